# kafka-python against partitad: usage kafka_python_client.py BOOTSTRAP SCENARIO; prints JSON results.
import json
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic
from kafka.errors import KafkaError

BOOTSTRAP = sys.argv[1]
SCENARIO = sys.argv[2]
TIMEOUT = 20  # seconds for any one client call


def fail(message):
    print("FAILED: " + message, file=sys.stderr)
    sys.exit(2)


def scenario_produce_consume():
    topic = "kp-produce-consume"
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", request_timeout_ms=TIMEOUT * 1000,
                             max_block_ms=TIMEOUT * 1000)
    base = int(time.time() * 1000) - 100000
    futures = [producer.send(topic, key=b"k-%d" % i, value=b"v-%d" % i, partition=0, timestamp_ms=base + 1000 * i)
               for i in range(30)]
    producer.flush(TIMEOUT)
    delivered = []
    for f in futures:
        md = f.get(timeout=TIMEOUT)
        delivered.append([md.partition, md.offset])
    producer.close(TIMEOUT)

    consumer = KafkaConsumer(bootstrap_servers=BOOTSTRAP, enable_auto_commit=False, group_id=None,
                             consumer_timeout_ms=5000, request_timeout_ms=TIMEOUT * 1000 + 1000)
    tp = TopicPartition(topic, 0)
    consumer.assign([tp])
    consumer.seek_to_beginning(tp)
    consumed = []
    deadline = time.time() + TIMEOUT
    while len(consumed) < 30 and time.time() < deadline:
        for records in consumer.poll(timeout_ms=1000).values():
            consumed += [[r.offset, r.key.decode(), r.value.decode(), r.timestamp] for r in records]
    consumer.seek(tp, 25)
    after_seek = []
    deadline = time.time() + TIMEOUT
    while len(after_seek) < 5 and time.time() < deadline:
        for records in consumer.poll(timeout_ms=1000).values():
            after_seek += [r.offset for r in records]
    out = {"base": base, "delivered": delivered, "consumed": consumed, "afterSeek": after_seek}
    out["beginning"] = consumer.beginning_offsets([tp])[tp]
    out["end"] = consumer.end_offsets([tp])[tp]
    out["forTimes"] = {}
    for name, ts in {"first": base - 5000, "exact5": base + 5000, "between": base + 5500,
                     "future": base + 10 ** 7}.items():
        found = consumer.offsets_for_times({tp: ts})[tp]
        out["forTimes"][name] = None if found is None else {"offset": found.offset, "timestamp": found.timestamp}
    consumer.close()
    return out


def scenario_admin():
    admin = KafkaAdminClient(bootstrap_servers=BOOTSTRAP, request_timeout_ms=TIMEOUT * 1000)
    topic = "kp-admin"
    out = {}
    response = admin.create_topics([NewTopic(topic, 3, 1, topic_configs={"retention.ms": "3600000"})],
                                   timeout_ms=10000)
    out["create"] = [list(t[:2]) for t in response.topic_errors]
    try:
        admin.create_topics([NewTopic(topic, 3, 1)], timeout_ms=10000)
        out["createAgain"] = "no error"
    except KafkaError as e:
        out["createAgain"] = type(e).__name__
    consumer = KafkaConsumer(bootstrap_servers=BOOTSTRAP, request_timeout_ms=TIMEOUT * 1000 + 1000)
    out["partitions"] = sorted(consumer.partitions_for_topic(topic) or [])
    out["listed"] = topic in admin.list_topics()
    configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    entries = {}
    for resp in configs:
        for error_code, _msg, _type, _name, resources in [r for r in resp.resources]:
            out["describeError"] = error_code
            for entry in resources:
                entries[entry[0]] = entry[1]
    out["configs"] = {k: entries.get(k) for k in ("retention.ms", "cleanup.policy", "segment.bytes")}
    out["configCount"] = len(entries)
    broker = admin.describe_configs([ConfigResource(ConfigResourceType.BROKER, "1")])
    out["brokerConfigCount"] = sum(len(r[4]) for resp in broker for r in resp.resources)
    response = admin.delete_topics([topic], timeout_ms=10000)
    out["delete"] = [list(t) for t in response.topic_error_codes]
    time.sleep(0.5)
    out["listedAfterDelete"] = topic in admin.list_topics()
    consumer.close()
    admin.close()
    return out


SCENARIOS = {"produce_consume": scenario_produce_consume, "admin": scenario_admin}

if __name__ == "__main__":
    if SCENARIO not in SCENARIOS:
        fail("unknown scenario " + SCENARIO)
    print("RESULT " + json.dumps(SCENARIOS[SCENARIO]()))
