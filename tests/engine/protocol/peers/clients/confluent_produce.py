# Produces the messages of a JSON spec read from stdin with confluent-kafka-python (librdkafka).
# Run with Debian's /usr/bin/python3. Exit status 0 only if every message was acknowledged.
import json
import sys

from confluent_kafka import Producer


def unhex(value):
    return None if value is None else bytes.fromhex(value)


def main():
    spec = json.load(sys.stdin)
    config = {
        "bootstrap.servers": spec["bootstrap"],
        "client.id": spec["clientId"],
        "compression.type": spec["compression"],
        "acks": str(spec["acks"]),
        "enable.idempotence": bool(spec.get("idempotence", False)),
        # One batch for all messages, so the test sees them in a single compressed set.
        "linger.ms": 200,
        "message.timeout.ms": 15000,
        "socket.timeout.ms": 10000,
    }
    producer = Producer(config)
    failures = []

    def delivered(err, msg):
        if err is not None:
            failures.append(str(err))

    # Learn the partition leader first: messages produced while it is unknown wait in a
    # queue and may then leave one per request when flush() forces them out.
    producer.list_topics(spec["topic"], timeout=10)
    for m in spec["messages"]:
        headers = [(name, unhex(value)) for name, value in m["headers"]]
        producer.produce(spec["topic"], key=unhex(m["key"]), value=unhex(m["value"]), headers=headers,
                         on_delivery=delivered)
    left = producer.flush(20)
    if left or failures:
        print("not delivered: %d, failures: %s" % (left, failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
