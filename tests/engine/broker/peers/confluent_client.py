# confluent-kafka-python (librdkafka) against partitad: usage confluent_client.py BOOTSTRAP SCENARIO; prints JSON results.
import ctypes
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition, OFFSET_BEGINNING
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

BOOTSTRAP = sys.argv[1]
SCENARIO = sys.argv[2]
TIMEOUT = 20  # seconds for any one client call


def fail(message):
    print("FAILED: " + message, file=sys.stderr)
    sys.exit(2)


def produce(topic, count, prefix, partition=None, timestamps=None):
    """acks=all with delivery reports; returns [(partition, offset, value)] of the acknowledged ones."""
    producer = Producer({"bootstrap.servers": BOOTSTRAP, "acks": "all", "linger.ms": 5,
                         "message.timeout.ms": TIMEOUT * 1000})
    delivered, errors = [], []

    def report(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            delivered.append([msg.partition(), msg.offset(), msg.value().decode()])

    for i in range(count):
        kwargs = {"value": "%s-%d" % (prefix, i), "key": "k-%d" % i, "on_delivery": report}
        if partition is not None:
            kwargs["partition"] = partition
        if timestamps is not None:
            kwargs["timestamp"] = timestamps[i]
        producer.produce(topic, **kwargs)
    left = producer.flush(TIMEOUT)
    if left or errors:
        fail("produce to %s: %d undelivered, errors %s" % (topic, left, errors[:3]))
    return delivered


def consumer():
    return Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": "partita-peers-unused",
                     "enable.auto.commit": False, "enable.partition.eof": True})


def read(c, expected_eofs, limit=100000):
    """Messages until every assigned partition reported EOF."""
    out, eofs = [], 0
    deadline = time.time() + TIMEOUT
    while eofs < expected_eofs and time.time() < deadline and len(out) < limit:
        msg = c.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == -191:  # _PARTITION_EOF
                eofs += 1
                continue
            fail("consume: %s" % msg.error())
        out.append([msg.partition(), msg.offset(), msg.value().decode() if msg.value() is not None else None])
    if eofs < expected_eofs:
        fail("consume: no end of partition within %d s (%d messages read)" % (TIMEOUT, len(out)))
    return out


def wait_all(futures):
    results = {}
    for key, future in futures.items():
        try:
            results[str(key)] = {"ok": True, "result": repr(future.result(timeout=TIMEOUT))}
        except KafkaException as e:
            results[str(key)] = {"ok": False, "error": str(e.args[0])}
        except Exception as e:  # a timeout or a client-side error
            results[str(key)] = {"ok": False, "error": repr(e)}
    return results


def describe(admin, topic):
    futures = admin.describe_configs([ConfigResource(ConfigResource.Type.TOPIC, topic)])
    for _, future in futures.items():
        entries = future.result(timeout=TIMEOUT)
        return {name: entry.value for name, entry in entries.items()}


def delete_records(topic, partition, before):
    """confluent-kafka 1.7 has no delete_records; librdkafka 2.0.2 (which it loads) has: call it directly."""
    lib = ctypes.CDLL("librdkafka.so.1")
    lib.rd_kafka_conf_new.restype = ctypes.c_void_p
    lib.rd_kafka_conf_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                      ctypes.c_size_t]
    lib.rd_kafka_new.restype = ctypes.c_void_p
    lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.rd_kafka_topic_partition_list_new.restype = ctypes.c_void_p
    lib.rd_kafka_topic_partition_list_new.argtypes = [ctypes.c_int]
    lib.rd_kafka_topic_partition_list_add.restype = ctypes.c_void_p
    lib.rd_kafka_topic_partition_list_add.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32]
    lib.rd_kafka_DeleteRecords_new.restype = ctypes.c_void_p
    lib.rd_kafka_DeleteRecords_new.argtypes = [ctypes.c_void_p]
    lib.rd_kafka_queue_new.restype = ctypes.c_void_p
    lib.rd_kafka_queue_new.argtypes = [ctypes.c_void_p]
    lib.rd_kafka_DeleteRecords.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p), ctypes.c_size_t,
                                           ctypes.c_void_p, ctypes.c_void_p]
    lib.rd_kafka_queue_poll.restype = ctypes.c_void_p
    lib.rd_kafka_queue_poll.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.rd_kafka_event_error.argtypes = [ctypes.c_void_p]
    lib.rd_kafka_event_error_string.restype = ctypes.c_char_p
    lib.rd_kafka_event_error_string.argtypes = [ctypes.c_void_p]
    lib.rd_kafka_event_DeleteRecords_result.restype = ctypes.c_void_p
    lib.rd_kafka_event_DeleteRecords_result.argtypes = [ctypes.c_void_p]
    lib.rd_kafka_DeleteRecords_result_offsets.restype = ctypes.c_void_p
    lib.rd_kafka_DeleteRecords_result_offsets.argtypes = [ctypes.c_void_p]

    class TopicPartitionC(ctypes.Structure):
        _fields_ = [("topic", ctypes.c_char_p), ("partition", ctypes.c_int32), ("offset", ctypes.c_int64),
                    ("metadata", ctypes.c_void_p), ("metadata_size", ctypes.c_size_t),
                    ("opaque", ctypes.c_void_p), ("err", ctypes.c_int), ("_private", ctypes.c_void_p)]

    class ListC(ctypes.Structure):
        _fields_ = [("cnt", ctypes.c_int), ("size", ctypes.c_int), ("elems", ctypes.POINTER(TopicPartitionC))]

    conf = lib.rd_kafka_conf_new()
    err = ctypes.create_string_buffer(512)
    lib.rd_kafka_conf_set(conf, b"bootstrap.servers", BOOTSTRAP.encode(), err, 512)
    rk = lib.rd_kafka_new(0, conf, err, 512)  # RD_KAFKA_PRODUCER
    if not rk:
        fail("rd_kafka_new: " + err.value.decode())
    offsets = lib.rd_kafka_topic_partition_list_new(1)
    tp = ctypes.cast(lib.rd_kafka_topic_partition_list_add(offsets, topic.encode(), partition),
                     ctypes.POINTER(TopicPartitionC))
    tp.contents.offset = before
    request = ctypes.c_void_p(lib.rd_kafka_DeleteRecords_new(offsets))
    queue = lib.rd_kafka_queue_new(rk)
    lib.rd_kafka_DeleteRecords(rk, ctypes.byref(request), 1, None, queue)
    event = lib.rd_kafka_queue_poll(queue, TIMEOUT * 1000)
    if not event:
        fail("DeleteRecords: no result within %d s" % TIMEOUT)
    if lib.rd_kafka_event_error(event):
        return {"error": lib.rd_kafka_event_error_string(event).decode()}
    result = lib.rd_kafka_event_DeleteRecords_result(event)
    parts = ctypes.cast(lib.rd_kafka_DeleteRecords_result_offsets(result), ctypes.POINTER(ListC)).contents
    return {"partitions": [{"partition": parts.elems[i].partition, "lowWatermark": parts.elems[i].offset,
                            "error": parts.elems[i].err} for i in range(parts.cnt)]}


def scenario_produce_consume():
    topic = "cfk-produce-consume"
    delivered = produce(topic, 100, "v")
    c = consumer()
    c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    everything = read(c, 1)
    # Seek back to an absolute offset, then to the beginning again.
    c.seek(TopicPartition(topic, 0, 90))
    after_seek = read(c, 1)
    c.seek(TopicPartition(topic, 0, OFFSET_BEGINNING))
    msg = None
    deadline = time.time() + TIMEOUT
    while msg is None and time.time() < deadline:
        msg = c.poll(1.0)
        if msg is not None and msg.error():
            msg = None
    c.close()
    return {"delivered": delivered, "consumed": everything, "afterSeek": after_seek,
            "afterSeekBeginning": msg.offset() if msg is not None else None}


def scenario_admin():
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    topic = "cfk-admin"
    out = {}
    out["create"] = wait_all(admin.create_topics(
        [NewTopic(topic, num_partitions=2, replication_factor=1, config={"retention.ms": "3600000"})],
        operation_timeout=10, request_timeout=TIMEOUT))
    out["createAgain"] = wait_all(admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)],
                                                      request_timeout=TIMEOUT))
    md = admin.list_topics(timeout=TIMEOUT)
    out["partitionsAfterCreate"] = len(md.topics[topic].partitions) if topic in md.topics else -1
    out["createPartitions"] = wait_all(admin.create_partitions([NewPartitions(topic, 4)], request_timeout=TIMEOUT))
    md = admin.list_topics(topic=topic, timeout=TIMEOUT)
    out["partitionsAfterCreatePartitions"] = len(md.topics[topic].partitions)
    out["configsBefore"] = describe(admin, topic)
    resource = ConfigResource(ConfigResource.Type.TOPIC, topic, set_config={"retention.ms": "7200000",
                                                                             "max.message.bytes": "2000000"})
    out["alter"] = wait_all(admin.alter_configs([resource], request_timeout=TIMEOUT))
    out["configsAfter"] = describe(admin, topic)
    broker = admin.describe_configs([ConfigResource(ConfigResource.Type.BROKER, "1")])
    for _, future in broker.items():
        out["brokerConfigCount"] = len(future.result(timeout=TIMEOUT))
    # Delete records: 10 records in partition 0, everything before offset 4 goes.
    produce(topic, 10, "dr", partition=0)
    out["deleteRecords"] = delete_records(topic, 0, 4)
    c = consumer()
    out["watermarksAfterDeleteRecords"] = list(c.get_watermark_offsets(TopicPartition(topic, 0), timeout=TIMEOUT))
    c.close()
    out["delete"] = wait_all(admin.delete_topics([topic], operation_timeout=10, request_timeout=TIMEOUT))
    time.sleep(0.5)
    out["existsAfterDelete"] = topic in admin.list_topics(timeout=TIMEOUT).topics
    out["deleteMissing"] = wait_all(admin.delete_topics(["cfk-never-existed"], request_timeout=TIMEOUT))
    return out


def scenario_offsets():
    topic = "cfk-offsets"
    base = int(time.time() * 1000) - 100000
    # Record i carries timestamp base + 1000 * i.
    delivered = produce(topic, 20, "t", partition=0, timestamps=[base + 1000 * i for i in range(20)])
    c = consumer()
    out = {"base": base, "delivered": delivered}
    out["watermarks"] = list(c.get_watermark_offsets(TopicPartition(topic, 0), timeout=TIMEOUT))
    out["cachedWatermarks"] = list(c.get_watermark_offsets(TopicPartition(topic, 0), cached=True) or [])
    queries = {"first": base - 5000, "exact5": base + 5000, "between": base + 5500,
               "last": base + 19000, "future": base + 10 ** 7}
    out["forTimes"] = {}
    for name, ts in queries.items():  # one lookup each: a request names a partition once
        tp = c.offsets_for_times([TopicPartition(topic, 0, ts)], timeout=TIMEOUT)[0]
        out["forTimes"][name] = {"offset": tp.offset, "error": str(tp.error) if tp.error else None}
    c.close()
    return out


def scenario_load():
    """acks=all until the broker dies (or 60 s): every acknowledged record printed at once, one line each."""
    topic = sys.argv[3] if len(sys.argv) > 3 else "cfk-load"
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    created = wait_all(admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)],
                                           request_timeout=TIMEOUT))
    if not created[topic]["ok"] and "TOPIC_ALREADY_EXISTS" not in created[topic]["error"]:
        fail("create %s: %s" % (topic, created[topic]["error"]))
    producer = Producer({"bootstrap.servers": BOOTSTRAP, "acks": "all", "linger.ms": 2,
                         "message.timeout.ms": 5000, "retries": 0})
    failures = [0]

    def report(err, msg):
        if err is None:
            print("ACK %d %d %s" % (msg.partition(), msg.offset(), msg.value().decode()), flush=True)
        else:
            failures[0] += 1

    deadline = time.time() + 60
    i = 0
    while time.time() < deadline and failures[0] == 0:
        try:
            producer.produce(topic, value="load-%d" % i, partition=i % 2, on_delivery=report)
            i += 1
        except BufferError:  # the queue is full: let delivery reports drain it
            pass
        producer.poll(0.001 if i % 50 else 0.01)
    producer.flush(10)
    print("SENT %d FAILED %d" % (i, failures[0]), flush=True)
    return None


def scenario_consume_all():
    topic = sys.argv[3]
    partitions = int(sys.argv[4])
    c = consumer()
    c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
    out = read(c, partitions)
    c.close()
    return {"consumed": out}


SCENARIOS = {"produce_consume": scenario_produce_consume, "admin": scenario_admin, "offsets": scenario_offsets,
             "load": scenario_load, "consume_all": scenario_consume_all}

if __name__ == "__main__":
    if SCENARIO not in SCENARIOS:
        fail("unknown scenario " + SCENARIO)
    result = SCENARIOS[SCENARIO]()
    if result is not None:
        print("RESULT " + json.dumps(result))
