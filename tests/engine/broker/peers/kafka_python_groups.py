# kafka-python consumer groups against partitad.
# Usage: kafka_python_groups.py BOOTSTRAP SCENARIO [ARGS...]; prints one "RESULT {json}" line, or exits 2 with
# "FAILED: ..." on stderr. Each KafkaConsumer runs in a thread of its own: kafka-python rejoins a group inside
# poll(), so two members polled from one thread would wait for each other during a rebalance.
import json
import queue
import threading
import time
import traceback

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata

from groupscenarios import ARGS, BOOTSTRAP, RUN, SCENARIO, TIMEOUT, fail, log, run


def unique(kind):
    return "kp-%s-%s-%s" % (SCENARIO.replace("_", "-"), kind, RUN)


def admin_client():
    return KafkaAdminClient(bootstrap_servers=BOOTSTRAP, client_id="partita-kp-admin",
                            request_timeout_ms=TIMEOUT * 1000)


def ensure_topic(topic, partitions):
    """Creates the topic (an existing one is fine); without CreateTopics (the mock cluster) a metadata request
    auto-creates it. Returns its partition count."""
    try:
        admin_client().create_topics([NewTopic(topic, partitions, 1)], timeout_ms=10000)
    except TopicAlreadyExistsError:
        pass
    except Exception as e:  # noqa: BLE001 - any refusal falls back to auto-creation
        log("create %s: %r; relying on auto-creation" % (topic, e))
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, max_block_ms=TIMEOUT * 1000)
    try:
        found = producer.partitions_for(topic)  # the producer's metadata request may auto-create the topic
    except KafkaError as e:
        fail("topic %s: %r" % (topic, e))
    producer.close(TIMEOUT)
    return len(found)


def produce(topic, count, partitions, prefix):
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", request_timeout_ms=TIMEOUT * 1000,
                             max_block_ms=TIMEOUT * 1000)
    futures = [producer.send(topic, value=b"%s-%d" % (prefix.encode(), i), partition=i % partitions)
               for i in range(count)]
    producer.flush(TIMEOUT)
    delivered = []
    for f, i in zip(futures, range(count)):
        md = f.get(timeout=TIMEOUT)
        delivered.append([md.partition, md.offset, "%s-%d" % (prefix, i)])
    producer.close(TIMEOUT)
    return sorted(delivered)


class Listener(ConsumerRebalanceListener):
    def __init__(self, member):
        self.member = member

    def on_partitions_revoked(self, revoked):
        self.member.rebalanced("revoke", revoked)

    def on_partitions_assigned(self, assigned):
        self.member.rebalanced("assign", assigned)


class Member(threading.Thread):
    """A KafkaConsumer subscribed to one topic, polled by its own thread; run(fn) executes fn(consumer) there."""

    def __init__(self, label, group, topic, **config):
        super().__init__(daemon=True)
        self.label = label
        self.topic = topic
        self.lock = threading.Lock()
        self.events = []
        self.owned = set()
        self.consumed = []  # [partition, offset, value]
        self.commands = queue.Queue()
        self.error = None
        self.stopping = False
        options = dict(bootstrap_servers=BOOTSTRAP, group_id=group, client_id="partita-" + label,
                       enable_auto_commit=False, auto_offset_reset="earliest", session_timeout_ms=10000,
                       heartbeat_interval_ms=1000, max_poll_interval_ms=30000, request_timeout_ms=40000)
        options.update(config)
        self.consumer = KafkaConsumer(**options)
        self.start()

    def rebalanced(self, kind, partitions):
        parts = sorted(tp.partition for tp in partitions)
        with self.lock:
            self.events.append([kind, parts])
            if kind == "assign":
                self.owned = set(parts)  # eager protocol: the whole new assignment
            else:
                self.owned -= set(parts)
        log("%s %s %s" % (self.label, kind, parts))

    def run(self):
        try:
            self.consumer.subscribe([self.topic], listener=Listener(self))
            while not self.stopping:
                while not self.commands.empty():
                    fn, box = self.commands.get()
                    try:
                        box.put((True, fn(self.consumer)))
                    except Exception as e:  # noqa: BLE001 - handed to the caller
                        box.put((False, e))
                for tp, records in self.consumer.poll(timeout_ms=100).items():
                    with self.lock:
                        self.consumed += [[tp.partition, r.offset, r.value.decode()] for r in records]
            self.consumer.close(autocommit=False)
        except Exception:  # noqa: BLE001 - reported by whoever waits on this member
            self.error = traceback.format_exc()
            log("%s crashed: %s" % (self.label, self.error))

    def call(self, fn, what):
        box = queue.Queue()
        self.commands.put((fn, box))
        try:
            ok, value = box.get(timeout=TIMEOUT)
        except queue.Empty:
            fail("%s: %s did not finish within %d s" % (self.label, what, TIMEOUT))
        if not ok:
            fail("%s: %s raised %r" % (self.label, what, value))
        return value

    def stop(self):
        self.stopping = True
        self.join(TIMEOUT)
        if self.is_alive():
            fail("%s did not close within %d s" % (self.label, TIMEOUT))

    def snapshot(self):
        with self.lock:
            return {"label": self.label, "owned": sorted(self.owned), "events": [e[:] for e in self.events],
                    "consumed": len(self.consumed), "error": self.error}


def wait_for(members, condition, what, timeout=TIMEOUT):
    deadline = time.time() + timeout
    while not condition():
        for m in members:
            if m.error is not None:
                fail("%s crashed while waiting for %s: %s" % (m.label, what, m.error))
        if time.time() > deadline:
            fail("%s: not within %d s; members %s" % (what, timeout, json.dumps([m.snapshot() for m in members])))
        time.sleep(0.05)


def offsets_json(offsets):
    """{TopicPartition: OffsetAndMetadata} -> {"topic:partition": [offset, metadata]}"""
    return {"%s:%d" % (tp.topic, tp.partition): [om.offset, om.metadata] for tp, om in sorted(offsets.items())}


def describe_json(description):
    members = []
    for m in description.members:
        assignment = {}
        if m.member_assignment is not None:
            assignment = {t: sorted(ps) for t, ps in m.member_assignment.assignment}
        subscription = list(m.member_metadata.subscription) if m.member_metadata is not None else []
        members.append({"id": m.member_id, "clientId": m.client_id, "clientHost": m.client_host,
                        "subscription": subscription, "assignment": assignment})
    return {"error": description.error_code, "group": description.group, "state": description.state,
            "protocolType": description.protocol_type, "protocol": description.protocol,
            "members": sorted(members, key=lambda m: m["clientId"])}


# --- a group, commits, a rebalance, and the admin views of it ---------------------------------------------------

def scenario_group():
    topic, group = unique("t"), unique("g")
    partitions = ensure_topic(topic, 4)
    if partitions != 4:
        log("the topic has %d partitions, not 4" % partitions)
    produced = produce(topic, 10 * partitions, partitions, "a")
    out = {"topic": topic, "group": group, "partitions": partitions}
    m1 = Member("m1", group, topic)
    wait_for([m1], lambda: len(m1.owned) == partitions and len(m1.consumed) == len(produced),
             "m1 owns every partition and consumed all %d records" % len(produced))
    # commit(): the consumed positions of every assigned partition.
    m1.call(lambda c: c.commit(), "commit()")
    out["afterCommit"] = m1.call(lambda c: {str(p): c.committed(TopicPartition(topic, p))
                                            for p in range(partitions)}, "committed()")
    # Two more records a partition, then commit({tp: OffsetAndMetadata}) for partitions 0 and 1 only.
    more = produce(topic, 2 * partitions, partitions, "b")
    wait_for([m1], lambda: len(m1.consumed) == len(produced) + len(more), "m1 consumes the second batch")
    explicit = {TopicPartition(topic, p): OffsetAndMetadata(12, "kp-meta-%d" % p) for p in (0, 1)}
    m1.call(lambda c: c.commit(explicit), "commit({tp: OffsetAndMetadata})")
    out["afterExplicitCommit"] = m1.call(
        lambda c: {str(p): list(c.committed(TopicPartition(topic, p), metadata=True)) for p in range(partitions)},
        "committed(metadata=True)")
    out["m1Before"] = m1.snapshot()
    mark1 = len(m1.consumed)

    # A second member: the partitions split, and each restarts at the committed offsets (12 for 0 and 1, 10 for
    # the others, whose last two records are consumed again).
    m2 = Member("m2", group, topic)
    expected_again = sorted([p, o] for p in range(2, partitions) for o in (10, 11))

    def again():
        with m1.lock, m2.lock:
            return sorted([r[0], r[1]] for r in m1.consumed[mark1:] + m2.consumed)

    wait_for([m1, m2], lambda: m2.owned and m1.owned and len(m1.owned | m2.owned) == partitions and
             not (m1.owned & m2.owned) and len(again()) >= len(expected_again),
             "m1 and m2 split the partitions and re-read the uncommitted records")
    time.sleep(2)
    out["m1"], out["m2"] = m1.snapshot(), m2.snapshot()
    out["consumedAgain"] = again()
    out["consumedAgainBy"] = {"m1": [r[:2] for r in m1.consumed[mark1:]], "m2": [r[:2] for r in m2.consumed]}

    admin = admin_client()
    listed = admin.list_consumer_groups()
    out["listed"] = sorted([g, pt] for g, pt in listed if g == group)
    out["describedStable"] = [describe_json(d) for d in admin.describe_consumer_groups([group])]
    out["offsetsAll"] = offsets_json(admin.list_consumer_group_offsets(group))
    out["offsetsNamed"] = offsets_json(admin.list_consumer_group_offsets(
        group, partitions=[TopicPartition(topic, 0), TopicPartition(topic, partitions - 1)]))
    m1.stop()
    m2.stop()
    out["describedEmpty"] = [describe_json(d) for d in admin.describe_consumer_groups([group])]
    # delete_consumer_groups answers (group, error class), NoError when it went.
    out["deleted"] = [[g, e.__name__ if isinstance(e, type) else type(e).__name__]
                      for g, e in admin.delete_consumer_groups([group])]
    out["listedAfterDelete"] = sorted(g for g, _ in admin.list_consumer_groups() if g == group)
    out["offsetsAfterDelete"] = offsets_json(admin.list_consumer_group_offsets(group))
    admin.close()

    problems = []
    if out["consumedAgain"] != expected_again:
        problems.append("after the rebalance the members consumed %s, expected %s" % (out["consumedAgain"],
                                                                                      expected_again))
    if sorted(len(out[m]["owned"]) for m in ("m1", "m2")) != [partitions // 2, partitions - partitions // 2]:
        problems.append("uneven split %s / %s" % (out["m1"]["owned"], out["m2"]["owned"]))
    if problems:
        fail("%s; %s" % (problems, json.dumps(out)))
    return out


# --- building blocks for the tests that combine clients --------------------------------------------------------

def scenario_commit():
    """commit GROUP TOPIC N: a member of GROUP polls one record at a time and commit()s after each until N are
    processed, then closes (LeaveGroup)."""
    group, topic, n = ARGS[0], ARGS[1], int(ARGS[2])
    consumer = KafkaConsumer(bootstrap_servers=BOOTSTRAP, request_timeout_ms=TIMEOUT * 1000 + 1000)
    partitions = len(consumer.partitions_for_topic(topic) or [])
    consumer.close()
    m = Member("committer", group, topic, max_poll_records=1)
    wait_for([m], lambda: len(m.owned) == partitions, "the member owns every partition")
    processed = []

    def step(c):
        # The member thread polls too: take what it consumed so far, then commit the consumed positions.
        with m.lock:
            fresh = m.consumed[len(processed):]
        if not fresh:
            return
        processed.append(fresh[0])
        c.commit({TopicPartition(topic, fresh[0][0]): OffsetAndMetadata(fresh[0][1] + 1, "")})

    deadline = time.time() + TIMEOUT
    while len(processed) < n:
        if time.time() > deadline:
            fail("processed %d of %d records" % (len(processed), n))
        m.call(step, "commit")
    committed = m.call(lambda c: {str(p): c.committed(TopicPartition(topic, p)) for p in range(partitions)},
                       "committed()")
    m.stop()
    return {"group": group, "topic": topic, "processed": processed,
            "committed": {p: o for p, o in committed.items() if o is not None and o >= 0}}


def scenario_committed():
    """committed GROUP TOPIC: list_consumer_group_offsets (all partitions) for the topic."""
    group, topic = ARGS[0], ARGS[1]
    admin = admin_client()
    offsets = admin.list_consumer_group_offsets(group)
    admin.close()
    return {"group": group, "committed": {str(tp.partition): om.offset for tp, om in offsets.items()
                                          if tp.topic == topic and om.offset >= 0}}


def scenario_groups():
    """groups TOPIC GROUP...: list_consumer_groups, describe_consumer_groups and list_consumer_group_offsets."""
    groups = ARGS[1:]
    admin = admin_client()
    listed = dict(admin.list_consumer_groups())
    out = {"listed": {g: {"protocolType": listed[g]} for g in groups if g in listed}, "described": {},
           "offsets": {}}
    for d in admin.describe_consumer_groups(groups):
        described = describe_json(d)
        out["described"][d.group] = {"state": described["state"], "protocolType": described["protocolType"],
                                     "protocol": described["protocol"], "members": len(described["members"])}
    for g in groups:
        out["offsets"][g] = {k: v[0] for k, v in offsets_json(admin.list_consumer_group_offsets(g)).items()
                             if v[0] >= 0}
    admin.close()
    return out


SCENARIOS = {"group": scenario_group, "commit": scenario_commit, "committed": scenario_committed,
             "groups": scenario_groups}


if __name__ == "__main__":
    run(SCENARIOS)
