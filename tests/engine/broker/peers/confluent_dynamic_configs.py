# Dynamic broker configs through confluent-kafka-python's AdminClient: one operation per run, the outcome as JSON.
#
#   describe BOOTSTRAP topic|broker NAME   -> {"configs": {name: {value, source, read_only, synonyms}}} or {"error"}
#   alter BOOTSTRAP topic|broker NAME validate|apply KEY=VALUE...   (legacy AlterConfigs: the complete new set)
#   create BOOTSTRAP TOPIC                 -> {"ok": true}
#   produce BOOTSTRAP TOPIC BYTES          -> {"ok": true} or {"error": KafkaError name}
import enum
import json
import sys

from confluent_kafka import KafkaException, Producer
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

TIMEOUT = 30


def resource(kind, name):
    t = ConfigResource.Type.TOPIC if kind == "topic" else ConfigResource.Type.BROKER
    return ConfigResource(t, name)


def source_id(source):
    # ConfigSource is a plain Enum in confluent-kafka 1.7, an int in some builds.
    return source.value if isinstance(source, enum.Enum) else int(source)


def error_of(e):
    err = e.args[0] if e.args else None
    if hasattr(err, "name"):
        return {"error": err.str(), "code": err.name()}
    return {"error": str(e), "code": "UNKNOWN"}


def describe(admin, kind, name):
    futures = admin.describe_configs([resource(kind, name)], request_timeout=TIMEOUT)
    try:
        entries = list(futures.values())[0].result(timeout=TIMEOUT)
    except KafkaException as e:
        return error_of(e)
    out = {}
    for key, entry in entries.items():
        out[key] = {
            "value": entry.value,
            "source": source_id(entry.source),
            "read_only": bool(entry.is_read_only),
            "synonyms": [[s.name, s.value, source_id(s.source)] for s in entry.synonyms.values()],
        }
    return {"configs": out}


def alter(admin, kind, name, validate, pairs):
    r = resource(kind, name)
    for pair in pairs:
        key, _, value = pair.partition("=")
        r.set_config(key, value)
    futures = admin.alter_configs([r], request_timeout=TIMEOUT, validate_only=validate)
    try:
        list(futures.values())[0].result(timeout=TIMEOUT)
    except KafkaException as e:
        return error_of(e)
    return {"ok": True}


def create(admin, topic):
    futures = admin.create_topics([NewTopic(topic, 1, 1)], request_timeout=TIMEOUT)
    try:
        futures[topic].result(timeout=TIMEOUT)
    except KafkaException as e:
        return error_of(e)
    return {"ok": True}


def produce(bootstrap, topic, size):
    producer = Producer({"bootstrap.servers": bootstrap, "message.max.bytes": 10000000, "retries": 0})
    outcome = {}

    def done(err, _msg):
        outcome["result"] = {"ok": True} if err is None else {"error": err.str(), "code": err.name()}

    producer.produce(topic, b"x" * size, on_delivery=done)
    producer.flush(TIMEOUT)
    return outcome.get("result", {"error": "no delivery report", "code": "TIMEOUT"})


def main():
    op, bootstrap = sys.argv[1], sys.argv[2]
    if op == "produce":
        result = produce(bootstrap, sys.argv[3], int(sys.argv[4]))
    else:
        admin = AdminClient({"bootstrap.servers": bootstrap})
        if op == "describe":
            result = describe(admin, sys.argv[3], sys.argv[4])
        elif op == "alter":
            result = alter(admin, sys.argv[3], sys.argv[4], sys.argv[5] == "validate", sys.argv[6:])
        elif op == "create":
            result = create(admin, sys.argv[3])
        else:
            raise SystemExit("unknown operation " + op)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
