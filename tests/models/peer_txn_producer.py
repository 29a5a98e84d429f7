# peer_txn_producer.py: what confluent-kafka-python (librdkafka) writes for messagemodel_peers_test.
# Usage: peer_txn_producer.py BOOTSTRAP transactions TOPIC   (partition 0: c0..c4 committed, a0..a4
#                                                            aborted, c5..c9 committed, then "n0"
#                                                            outside any transaction)
#        peer_txn_producer.py BOOTSTRAP huge TOPIC SIZE     (one value of SIZE bytes, key "huge")
#        peer_txn_producer.py BOOTSTRAP bigabort TOPIC      (an aborted transaction of three 600 KB
#                                                            batches, then "after" committed)
# Exits 0 when everything was acknowledged; otherwise prints why on stderr and exits 2.
import sys

from confluent_kafka import KafkaException, Producer

TIMEOUT = 60


def fail(message):
    sys.stderr.write("FAILED: %s\n" % message)
    sys.exit(2)


def delivered(err, msg):
    if err is not None:
        fail("delivery of %r: %s" % (msg.value()[:20], err))


def send(producer, topic, values):
    for value in values:
        producer.produce(topic, value=value, key="k-" + value, partition=0, on_delivery=delivered)
    # Aborted records must reach the log before the abort: abort_transaction() purges what is
    # still queued, and a purged record would leave nothing for the reader to mark.
    if producer.flush(TIMEOUT) != 0:
        fail("records still queued after %d s" % TIMEOUT)


def transactions(bootstrap, topic):
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": "messagemodel-peers",
                         "linger.ms": 5})
    producer.init_transactions(TIMEOUT)
    for values, commit in ((["c%d" % i for i in range(5)], True),
                           (["a%d" % i for i in range(5)], False),
                           (["c%d" % i for i in range(5, 10)], True)):
        producer.begin_transaction()
        send(producer, topic, values)
        if commit:
            producer.commit_transaction(TIMEOUT)
        else:
            producer.abort_transaction(TIMEOUT)
    plain = Producer({"bootstrap.servers": bootstrap})
    send(plain, topic, ["n0"])


def huge(bootstrap, topic, size):
    # librdkafka's own message.max.bytes (1,000,000 by default) would refuse values near it.
    producer = Producer({"bootstrap.servers": bootstrap, "message.max.bytes": max(1000000, size + 4096)})
    value = bytes((ord("a") + i % 26) for i in range(size))
    producer.produce(topic, key=b"huge", value=value, partition=0, on_delivery=delivered)
    if producer.flush(TIMEOUT) != 0:
        fail("the huge record is still queued after %d s" % TIMEOUT)


def big_abort(bootstrap, topic):
    # More aborted bytes than one partition's fetch (1 MiB) takes, so that a read_committed fetch
    # can come back with nothing but aborted batches.
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": "messagemodel-bigabort",
                         "message.max.bytes": 2000000})
    producer.init_transactions(TIMEOUT)
    producer.begin_transaction()
    for i in range(3):
        send(producer, topic, ["big%d-" % i + "x" * (600 * 1024)])  # one batch each
    producer.abort_transaction(TIMEOUT)
    producer.begin_transaction()
    send(producer, topic, ["after"])
    producer.commit_transaction(TIMEOUT)


def main():
    if len(sys.argv) < 4:
        fail("usage: peer_txn_producer.py BOOTSTRAP transactions|huge TOPIC [SIZE]")
    bootstrap, mode, topic = sys.argv[1:4]
    try:
        if mode == "transactions":
            transactions(bootstrap, topic)
        elif mode == "bigabort":
            big_abort(bootstrap, topic)
        elif mode == "huge":
            huge(bootstrap, topic, int(sys.argv[4]))
        else:
            fail("unknown mode " + mode)
    except KafkaException as e:
        fail(str(e))


if __name__ == "__main__":
    main()
