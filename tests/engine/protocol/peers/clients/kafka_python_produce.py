# Produces the messages of a JSON spec read from stdin with kafka-python (pure Python).
# Run with Debian's /usr/bin/python3. Exit status 0 only if every message was acknowledged.
import json
import logging
import os
import sys

from kafka import KafkaProducer


def unhex(value):
    return None if value is None else bytes.fromhex(value)


def main():
    spec = json.load(sys.stdin)
    if os.environ.get("PARTITA_PEERS_VERBOSE"):
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    compression = None if spec["compression"] == "none" else spec["compression"]
    # Without "apiVersion" the client runs its version probe (ApiVersions v0 + Metadata v0),
    # which is part of what the test checks; with it (e.g. [0, 10, 0]) it skips the probe and
    # writes the old message formats such a broker takes.
    api_version = tuple(spec["apiVersion"]) if spec.get("apiVersion") else None
    producer = KafkaProducer(
        api_version=api_version,
        bootstrap_servers=spec["bootstrap"],
        client_id=spec["clientId"],
        compression_type=compression,
        acks=spec["acks"] if spec["acks"] != -1 else "all",
        linger_ms=200,
        request_timeout_ms=10000,
        max_block_ms=15000,
        retries=0,
    )
    futures = []
    for m in spec["messages"]:
        headers = [(name, unhex(value)) for name, value in m["headers"]]
        futures.append(producer.send(spec["topic"], key=unhex(m["key"]), value=unhex(m["value"]),
                                     headers=headers))
    producer.flush(20)
    failures = []
    for f in futures:
        try:
            f.get(timeout=1)
        except Exception as e:  # report every failure, not only the first
            failures.append(repr(e))
    producer.close(5)
    if failures:
        print("failures: %s" % failures, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
