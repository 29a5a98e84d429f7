# confluent-kafka-python (librdkafka) consumer groups against partitad.
# Usage: confluent_groups.py BOOTSTRAP SCENARIO [ARGS...]; prints one "RESULT {json}" line, or exits 2 with
# "FAILED: ..." on stderr. Progress goes to stderr so that a failing test shows where a scenario stopped.
import json
import time

from confluent_kafka import OFFSET_INVALID, Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from groupscenarios import ARGS, BOOTSTRAP, RUN, SCENARIO, TIMEOUT, fail, log, run


def unique(kind):
    return "cfk-%s-%s-%s" % (SCENARIO.replace("_", "-"), kind, RUN)


def ensure_topic(topic, partitions):
    """Creates the topic with the admin client (an existing one is fine). A broker without CreateTopics (the
    librdkafka mock cluster) auto-creates it from a metadata request instead. Returns its partition count."""
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    future = admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)],
                                 request_timeout=10)[topic]
    try:
        future.result(timeout=TIMEOUT)
    except KafkaException as e:
        if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
            log("create %s: %s; relying on auto-creation" % (topic, e.args[0]))
    producer = Producer({"bootstrap.servers": BOOTSTRAP})
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        found = producer.list_topics(topic, timeout=TIMEOUT).topics.get(topic)
        if found is not None and found.error is None and found.partitions and \
                all(p.leader >= 0 for p in found.partitions.values()):
            return len(found.partitions)
        time.sleep(0.2)
    fail("topic %s has no leaders after %d s" % (topic, TIMEOUT))


def topic_partitions(topic):
    found = Producer({"bootstrap.servers": BOOTSTRAP}).list_topics(topic, timeout=TIMEOUT).topics.get(topic)
    if found is None or found.error is not None:
        fail("no metadata for %s: %s" % (topic, None if found is None else found.error))
    return sorted(found.partitions)


def produce(topic, count, partitions, prefix):
    """count records "prefix-i", record i to partition i % partitions, acks=all; returns [[partition, offset, value]]."""
    producer = Producer({"bootstrap.servers": BOOTSTRAP, "acks": "all", "linger.ms": 5,
                         "message.timeout.ms": TIMEOUT * 1000})
    delivered, errors = [], []

    def report(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            delivered.append([msg.partition(), msg.offset(), msg.value().decode()])

    for i in range(count):
        producer.produce(topic, value="%s-%d" % (prefix, i), partition=i % partitions, on_delivery=report)
    left = producer.flush(TIMEOUT)
    if left or errors:
        fail("produce to %s: %d undelivered, errors %s" % (topic, left, errors[:3]))
    return sorted(delivered)


class Member:
    """A subscribed consumer that records its rebalance callbacks, what it consumed and its errors."""

    def __init__(self, label, group, topics, config=None):
        self.label = label
        self.events = []  # [kind, [partitions]] for every on_assign ("assign"), on_revoke ("revoke"), on_lost ("lost")
        self.owned = set()
        self.readded = []  # partitions that an on_assign handed over although the member still owned them
        self.consumed = []  # [partition, offset, value]
        self.eof = set()
        self.errors = []
        self.fatal = None
        self.commits = []  # on_commit callbacks: [error or None, [[partition, offset, error or None]]]
        self.closed = False
        conf = {"bootstrap.servers": BOOTSTRAP, "group.id": group, "client.id": "partita-" + label,
                "enable.auto.commit": False, "auto.offset.reset": "earliest", "enable.partition.eof": True,
                "session.timeout.ms": 10000, "heartbeat.interval.ms": 1000, "on_commit": self._on_commit}
        conf.update(config or {})
        self.consumer = Consumer(conf)
        self.consumer.subscribe(topics, on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost)

    def _on_assign(self, consumer, partitions):
        added = sorted(p.partition for p in partitions)
        self.events.append(["assign", added])
        self.readded += sorted(self.owned & set(added))
        self.owned |= set(added)
        self.eof -= set(added)
        log("%s assigned %s, owns %s" % (self.label, added, sorted(self.owned)))

    def _on_revoke(self, consumer, partitions):
        removed = sorted(p.partition for p in partitions)
        self.events.append(["revoke", removed])
        self.owned -= set(removed)
        log("%s revoked %s, owns %s" % (self.label, removed, sorted(self.owned)))

    def _on_lost(self, consumer, partitions):
        lost = sorted(p.partition for p in partitions)
        self.events.append(["lost", lost])
        self.owned -= set(lost)
        log("%s lost %s" % (self.label, lost))

    def _on_commit(self, err, partitions):
        self.commits.append([None if err is None else str(err),
                             [[p.partition, p.offset, None if p.error is None else str(p.error)] for p in partitions]])

    def take(self, msg):
        """Books one polled message; True for a record."""
        if msg is None:
            return False
        err = msg.error()
        if err is None:
            self.consumed.append([msg.partition(), msg.offset(), msg.value().decode()])
            return True
        if err.code() == KafkaError._PARTITION_EOF:
            self.eof.add(msg.partition())
        elif err.fatal() or err.code() == KafkaError._FATAL:  # 1.7.0 hands over _FATAL without the fatal flag
            self.fatal = {"code": err.name(), "str": err.str()}
            log("%s fatal error %s" % (self.label, err))
        else:
            self.errors.append(str(err))
            log("%s error %s" % (self.label, err))
        return False

    def poll(self, timeout=0.05):
        if self.closed or self.fatal is not None:
            time.sleep(timeout)
            return None
        msg = self.consumer.poll(timeout)
        return msg if self.take(msg) else None

    def close(self):
        if not self.closed:
            self.closed = True
            self.consumer.close()

    def state(self):
        return {"label": self.label, "owned": sorted(self.owned), "events": self.events, "errors": self.errors[-5:],
                "fatal": self.fatal, "consumed": len(self.consumed)}


def pump(members, condition, what, timeout=TIMEOUT):
    """Polls every member until condition() holds; fails naming `what` after timeout seconds."""
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            fail("%s: not within %d s; members %s" % (what, timeout, json.dumps([m.state() for m in members])))
        for m in members:
            m.poll()


def settle(members, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        for m in members:
            m.poll()


def split_evenly(members, partitions):
    """Every partition owned by exactly one member, the counts at most one apart."""
    owned = [m.owned for m in members]
    union = set().union(*owned)
    sizes = [len(o) for o in owned]
    return union == set(range(partitions)) and sum(sizes) == partitions and max(sizes) - min(sizes) <= 1


def offsets_of(tps):
    return {str(tp.partition): tp.offset for tp in tps}


# --- commits, and a second consumer resuming after them ---------------------------------------------------------

def commit_and_resume(mode):
    """mode sync: commit(message, asynchronous=False) after each record; async: commit(message, asynchronous=True)
    with on_commit checked; batch: consume(num_messages=5), then one synchronous commit of the batch's offsets.
    The first member processes 14 of 30 records and closes; a second member of the group must read exactly the
    other 16."""
    topic, group = unique("t"), unique("g")
    partitions = ensure_topic(topic, 3)
    produced = produce(topic, 30, partitions, "m")
    first = Member("first", group, [topic])
    pump([first], lambda: len(first.owned) == partitions, "first member assigned every partition")
    target, calls, sync_results = 14, 0, []
    deadline = time.time() + TIMEOUT
    while len(first.consumed) < target:
        if time.time() > deadline:
            fail("processed %d of %d records in %d s: %s" % (len(first.consumed), target, TIMEOUT,
                                                             json.dumps(first.state())))
        if mode == "batch":
            before = len(first.consumed)
            for msg in first.consumer.consume(num_messages=min(5, target - before), timeout=1.0):
                first.take(msg)
            batch = first.consumed[before:]
            if not batch:
                continue
            ends = {}
            for p, o, _ in batch:
                ends[p] = max(ends.get(p, 0), o + 1)
            result = first.consumer.commit(offsets=[TopicPartition(topic, p, o) for p, o in sorted(ends.items())],
                                           asynchronous=False)
            sync_results.append([[tp.partition, tp.offset, None if tp.error is None else str(tp.error)]
                                 for tp in result])
            calls += 1
        else:
            msg = first.poll(0.2)
            if msg is None:
                continue
            if mode == "sync":
                result = first.consumer.commit(message=msg, asynchronous=False)
                sync_results.append([[tp.partition, tp.offset, None if tp.error is None else str(tp.error)]
                                     for tp in result])
            else:
                first.consumer.commit(message=msg, asynchronous=True)
            calls += 1
    processed = first.consumed[:]
    expected = {}
    for p, o, _ in processed:
        expected[str(p)] = max(expected.get(str(p), 0), o + 1)
    for result in sync_results:
        for p, o, err in result:
            if err is not None:
                fail("synchronous commit answered %s for partition %d" % (err, p))
    assignment = [TopicPartition(topic, p) for p in sorted(first.owned)]
    first.consumer.pause(assignment)  # nothing more reaches the application; commit callbacks still do
    if mode == "async":
        pump([first], lambda: len(first.commits) >= calls, "on_commit for each of %d asynchronous commits" % calls)
        failed = [c for c in first.commits if c[0] is not None or any(p[2] is not None for p in c[1])]
        if failed:
            fail("asynchronous commits failed: %s" % failed[:3])
        last = {}
        for _, parts in first.commits:
            for p, o, _ in parts:
                last[str(p)] = max(last.get(str(p), 0), o)
        if last != expected:
            fail("on_commit reported %s, processed up to %s" % (last, expected))
    committed = offsets_of(first.consumer.committed(assignment, timeout=TIMEOUT))
    position = offsets_of(first.consumer.position(assignment))
    if committed != position:
        fail("committed() %s and position() %s disagree" % (committed, position))
    for p in range(partitions):
        if committed[str(p)] != expected.get(str(p), OFFSET_INVALID):
            fail("committed() %s, processed up to %s" % (committed, expected))
    first.close()

    second = Member("second", group, [topic])
    pump([second], lambda: len(second.owned) == partitions and second.eof >= set(range(partitions)),
         "second member reads every partition to its end")
    second.close()
    starts = {}
    for p, o, _ in second.consumed:
        starts.setdefault(str(p), o)
    seen = [m[2] for m in processed] + [m[2] for m in second.consumed]
    all_values = [m[2] for m in produced]
    if sorted(seen) != sorted(all_values):
        duplicates = sorted({v for v in seen if seen.count(v) > 1})
        missing = sorted(set(all_values) - set(seen))
        fail("the two members consumed %d records for %d produced: duplicates %s, missing %s"
             % (len(seen), len(all_values), duplicates[:10], missing[:10]))
    for p, o in committed.items():
        start = max(o, 0)
        records = sum(1 for m in produced if str(m[0]) == p)
        if starts.get(p) != (start if start < records else None):
            fail("second member started partition %s at %s, committed %d" % (p, starts.get(p), o))
    return {"topic": topic, "group": group, "partitions": partitions, "produced": len(produced),
            "processed": processed, "commitCalls": calls, "syncResults": sync_results, "callbacks": first.commits,
            "committed": committed, "position": position, "resumed": second.consumed, "resumedFrom": starts}


def scenario_sync_commit():
    return commit_and_resume("sync")


def scenario_async_commit():
    return commit_and_resume("async")


def scenario_batch_commit():
    return commit_and_resume("batch")


# --- static membership -----------------------------------------------------------------------------------------

def scenario_static():
    """A static member (group.instance.id) closes without leaving and a new consumer with its instance id takes its
    partitions back without a rebalance of the other member; a second live consumer with the same instance id
    fences the first."""
    topic, group, instance = unique("t"), unique("g"), unique("instance")
    partitions = ensure_topic(topic, 4)
    static = {"group.instance.id": instance, "session.timeout.ms": 30000}
    b = Member("b", group, [topic], {"session.timeout.ms": 30000})
    pump([b], lambda: len(b.owned) == partitions, "b alone owns every partition")
    a = Member("a", group, [topic], static)
    pump([a, b], lambda: a.owned and b.owned and split_evenly([a, b], partitions), "a and b share the partitions")
    settle([a, b], 3)
    if not split_evenly([a, b], partitions):
        fail("the group did not stay settled: %s" % json.dumps([a.state(), b.state()]))
    a_partitions = sorted(a.owned)
    b_events = len(b.events)
    a.close()  # a static member closes without LeaveGroup: the group keeps its place until session.timeout.ms
    log("a closed")
    rejoined_at = time.time()
    a2 = Member("a2", group, [topic], static)
    pump([a2, b], lambda: sorted(a2.owned) == a_partitions, "a2 (a's instance id) gets a's partitions back")
    rejoin_seconds = time.time() - rejoined_at
    settle([a2, b], 3)
    b_after_rejoin = b.events[b_events:]

    a3 = Member("a3", group, [topic], static)
    pump([a2, a3, b], lambda: a2.fatal is not None and sorted(a3.owned) == a_partitions,
         "a3 (a live duplicate of the instance id) fences a2 and takes the partitions")
    settle([a3, b], 2)
    b_after_fence = b.events[b_events:]
    b_partitions, a2_partitions, a3_partitions = sorted(b.owned), sorted(a2.owned), sorted(a3.owned)
    for m in (a2, a3, b):
        try:
            m.close()
        except KafkaException as e:
            log("close %s: %s" % (m.label, e))
    out = {"topic": topic, "group": group, "aPartitions": a_partitions, "bPartitions": b_partitions,
           "a2Partitions": a2_partitions, "a3Partitions": a3_partitions, "bEventsBefore": b.events[:b_events],
           "bEventsAfterRejoin": b_after_rejoin, "bEventsAfterFence": b_after_fence, "a2Fatal": a2.fatal,
           "a2Errors": a2.errors, "rejoinSeconds": round(rejoin_seconds, 3)}
    if b_after_rejoin or b_after_fence:
        fail("b was rebalanced by a static member's return: %s" % json.dumps(out))
    fenced = a2.fatal["code"] in ("_FENCED", "FENCED_INSTANCE_ID") or "FENCED" in a2.fatal["str"].upper()
    if not fenced:
        fail("a2's fatal error is not a fencing: %s" % a2.fatal)
    return out


# --- cooperative-sticky ----------------------------------------------------------------------------------------

def scenario_cooperative():
    """cooperative-sticky: two, then three members on a 6-partition topic. Every on_assign hands over only added
    partitions, a member never loses a partition it keeps, and the end is balanced."""
    topic, group = unique("t"), unique("g")
    partitions = ensure_topic(topic, 6)
    conf = {"partition.assignment.strategy": "cooperative-sticky"}
    c1 = Member("c1", group, [topic], conf)
    pump([c1], lambda: len(c1.owned) == partitions, "c1 alone owns every partition")
    stages = [{"c1": sorted(c1.owned)}]
    c2 = Member("c2", group, [topic], conf)
    pump([c1, c2], lambda: c2.owned and split_evenly([c1, c2], partitions), "c1 and c2 share the partitions")
    settle([c1, c2], 2)
    stages.append({"c1": sorted(c1.owned), "c2": sorted(c2.owned)})
    c3 = Member("c3", group, [topic], conf)
    members = [c1, c2, c3]
    pump(members, lambda: c3.owned and split_evenly(members, partitions), "c1, c2 and c3 share the partitions")
    settle(members, 2)
    stages.append({m.label: sorted(m.owned) for m in members})
    out = {"topic": topic, "group": group, "partitions": partitions, "stages": stages,
           "events": {m.label: [e[:] for e in m.events] for m in members},
           "readded": {m.label: m.readded[:] for m in members},
           "assignment": {m.label: sorted(tp.partition for tp in m.consumer.assignment()) for m in members}}
    for m in members:
        m.close()
    problems = []
    for label, events in out["events"].items():
        history = {}
        for kind, parts in events:
            if kind == "lost":
                problems.append("%s lost %s" % (label, parts))
            for p in parts:
                history.setdefault(p, []).append(kind)
        for p, kinds in history.items():
            if kinds.count("assign") > 1:
                problems.append("%s was handed partition %d %d times: %s" % (label, p, kinds.count("assign"), kinds))
    for label, parts in out["readded"].items():
        if parts:
            problems.append("%s got partitions it already owned: %s" % (label, parts))
    for earlier, later in ((stages[0], stages[1]), (stages[1], stages[2])):
        for label, parts in later.items():
            if label in earlier and not set(parts) <= set(earlier[label]):
                problems.append("%s owned %s, then %s: not sticky" % (label, earlier[label], parts))
    for m in members:
        if out["assignment"][m.label] != stages[2][m.label]:
            problems.append("%s: assignment() %s, callbacks say %s" % (m.label, out["assignment"][m.label],
                                                                       stages[2][m.label]))
    if problems:
        fail("cooperative rebalancing: %s; %s" % (problems, json.dumps(out)))
    return out


# --- list_groups (ListGroups + DescribeGroups) -----------------------------------------------------------------

def decode_assignment(data):
    """ConsumerProtocolAssignment: version, [topic, [partition]], user data."""
    if not data:
        return {}
    pos = 2
    out = {}

    def take(n):
        nonlocal pos
        pos += n
        return data[pos - n:pos]

    for _ in range(int.from_bytes(take(4), "big", signed=True)):
        length = int.from_bytes(take(2), "big", signed=True)
        topic = take(length).decode()
        n = int.from_bytes(take(4), "big", signed=True)
        out[topic] = sorted(int.from_bytes(take(4), "big", signed=True) for _ in range(n))
    return out


def decode_subscription(data):
    """ConsumerProtocolSubscription: version, [topic], ..."""
    if not data:
        return []
    count = int.from_bytes(data[2:6], "big", signed=True)
    pos, topics = 6, []
    for _ in range(count):
        length = int.from_bytes(data[pos:pos + 2], "big", signed=True)
        topics.append(data[pos + 2:pos + 2 + length].decode())
        pos += 2 + length
    return topics


def group_json(g):
    return {"id": g.id, "error": None if g.error is None else str(g.error), "state": g.state,
            "protocolType": g.protocol_type, "protocol": g.protocol,
            "members": [{"id": m.id, "clientId": m.client_id, "clientHost": m.client_host,
                         "subscription": decode_subscription(m.metadata),
                         "assignment": decode_assignment(m.assignment)} for m in g.members]}


def list_groups(admin, group=None):
    try:
        found = admin.list_groups(group, timeout=TIMEOUT) if group is not None else admin.list_groups(timeout=TIMEOUT)
    except KafkaException as e:
        fail("list_groups(%s): %s" % (group, e.args[0]))
    return {g.id: group_json(g) for g in found}


def committed_offsets(group, topic):
    """The group's committed offsets (OffsetFetch) for every partition of topic; OFFSET_INVALID where none."""
    c = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": group, "enable.auto.commit": False})
    tps = c.committed([TopicPartition(topic, p) for p in topic_partitions(topic)], timeout=TIMEOUT)
    c.close()
    for tp in tps:
        if tp.error is not None:
            fail("committed(%s) partition %d: %s" % (group, tp.partition, tp.error))
    return offsets_of(tps)


def scenario_list_groups():
    """A Stable group with one member and an Empty group with committed offsets, as list_groups sees them."""
    topic, stable, empty = unique("t"), unique("stable"), unique("empty")
    partitions = ensure_topic(topic, 2)
    produce(topic, 4, partitions, "l")
    e = Member("e", empty, [topic])
    pump([e], lambda: len(e.owned) == partitions and e.eof >= set(range(partitions)), "e reads everything")
    e.consumer.commit(asynchronous=False)
    e.close()
    m = Member("m", stable, [topic])
    pump([m], lambda: len(m.owned) == partitions, "m owns every partition")
    settle([m], 1)
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    everything = list_groups(admin)
    out = {"topic": topic, "stableGroup": stable, "emptyGroup": empty, "owned": sorted(m.owned),
           "all": {g: everything.get(g) for g in (stable, empty)},
           "allIds": sorted(everything),
           "one": list_groups(admin, stable), "oneEmpty": list_groups(admin, empty),
           "unknown": list_groups(admin, unique("never-used")),
           "committedEmpty": committed_offsets(empty, topic), "committedStable": committed_offsets(stable, topic)}
    m.close()
    time.sleep(0.5)
    out["afterClose"] = list_groups(admin, stable)
    got = out["all"][stable]
    if got is None or got["state"] != "Stable" or len(got["members"]) != 1 or \
            got["members"][0]["assignment"] != {topic: out["owned"]}:
        fail("the stable group as listed: %s" % json.dumps(out))
    if out["all"][empty] is None or out["all"][empty]["state"] != "Empty":
        fail("the empty group as listed: %s" % json.dumps(out))
    return out


# --- building blocks for the tests that combine clients --------------------------------------------------------

def scenario_produce():
    """produce TOPIC PARTITIONS COUNT: creates the topic, record i "x-i" to partition i % PARTITIONS."""
    topic, partitions, count = ARGS[0], int(ARGS[1]), int(ARGS[2])
    if ensure_topic(topic, partitions) != partitions:
        fail("%s does not have %d partitions" % (topic, partitions))
    return {"topic": topic, "delivered": produce(topic, count, partitions, "x")}


def scenario_commit():
    """commit GROUP TOPIC N: a member of GROUP processes N records, committing synchronously after each, then
    closes (LeaveGroup). Prints what it processed and what it committed."""
    group, topic, n = ARGS[0], ARGS[1], int(ARGS[2])
    partitions = len(topic_partitions(topic))
    m = Member("committer", group, [topic])
    pump([m], lambda: len(m.owned) == partitions, "the member owns every partition")
    deadline = time.time() + TIMEOUT
    while len(m.consumed) < n:
        if time.time() > deadline:
            fail("processed %d of %d records" % (len(m.consumed), n))
        msg = m.poll(0.2)
        if msg is not None:
            m.consumer.commit(message=msg, asynchronous=False)
    m.consumer.pause([TopicPartition(topic, p) for p in range(partitions)])
    committed = offsets_of(m.consumer.committed([TopicPartition(topic, p) for p in range(partitions)],
                                                timeout=TIMEOUT))
    m.close()
    return {"group": group, "topic": topic, "processed": m.consumed,
            "committed": {p: o for p, o in committed.items() if o >= 0}}


def scenario_committed():
    """committed GROUP TOPIC: the group's committed offsets for the topic's partitions (OffsetFetch)."""
    group, topic = ARGS[0], ARGS[1]
    return {"group": group, "committed": {p: o for p, o in committed_offsets(group, topic).items() if o >= 0}}


def scenario_resume():
    """resume GROUP TOPIC: a member of GROUP reads from the committed offsets to the end of every partition."""
    group, topic = ARGS[0], ARGS[1]
    partitions = len(topic_partitions(topic))
    m = Member("resumer", group, [topic])
    pump([m], lambda: len(m.owned) == partitions and m.eof >= set(range(partitions)), "the member reads to the end")
    m.close()
    return {"group": group, "consumed": m.consumed}


def scenario_groups():
    """groups TOPIC GROUP...: list_groups (ListGroups + DescribeGroups), list_groups(group) (DescribeGroups) and
    committed offsets of each group, normalised for comparison with the other clients."""
    topic, groups = ARGS[0], ARGS[1:]
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    everything = list_groups(admin)
    out = {"listed": {}, "described": {}, "offsets": {}}
    for g in groups:
        if g in everything:
            out["listed"][g] = {"protocolType": everything[g]["protocolType"], "state": everything[g]["state"]}
        described = list_groups(admin, g).get(g)
        out["described"][g] = None if described is None else {
            "state": described["state"], "protocolType": described["protocolType"],
            "protocol": described["protocol"], "members": len(described["members"])}
        out["offsets"][g] = {"%s:%s" % (topic, p): o for p, o in committed_offsets(g, topic).items() if o >= 0}
    return out


SCENARIOS = {"sync_commit": scenario_sync_commit, "async_commit": scenario_async_commit,
             "batch_commit": scenario_batch_commit, "static": scenario_static,
             "cooperative": scenario_cooperative, "list_groups": scenario_list_groups, "produce": scenario_produce,
             "commit": scenario_commit, "committed": scenario_committed, "resume": scenario_resume,
             "groups": scenario_groups}


if __name__ == "__main__":
    run(SCENARIOS)
