# confluent-kafka-python (librdkafka) exactly-once against partitad: the idempotent producer, transactions over two
# topics, consume-transform-produce with send_offsets_to_transaction, fencing, the transaction timeout, and the
# pieces of the broker-crash tests (a paced idempotent stream, a transaction left open, one that spans a restart).
# Usage: confluent_txn.py BOOTSTRAP SCENARIO [ARGS...]; prints one "RESULT {json}" line, or exits 2 with
# "FAILED: ..." on stderr. Checks that find an anomaly in the data (a duplicate, a lost or aborted record made
# visible, a record at another offset than acknowledged) do not fail the script: they go into the result's
# "problems" list, next to the data, for the test to judge and show. Progress goes to stderr.
import json
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer, \
    TopicPartition

from confluent_groups import ensure_topic, produce, unique
from groupscenarios import ARGS, BOOTSTRAP, TIMEOUT, fail, log, run


# --- producers --------------------------------------------------------------------------------------------------

class Sender:
    """A producer that books every delivery report: acked[value] = [partition, offset], errors[value] = error."""

    def __init__(self, config):
        self.errors_seen = []  # error_cb: [name, fatal, text]
        conf = {"bootstrap.servers": BOOTSTRAP, "linger.ms": 5, "message.timeout.ms": TIMEOUT * 1000,
                "error_cb": self._on_error}
        conf.update(config)
        self.producer = Producer(conf)
        self.acked = {}
        self.errors = {}

    def _on_error(self, err):
        self.errors_seen.append([err.name(), err.fatal(), err.str()])
        log("producer error %s (fatal %s): %s" % (err.name(), err.fatal(), err.str()))

    def _report(self, err, msg):
        value = msg.value().decode()
        if err is None:
            self.acked[value] = [msg.partition(), msg.offset()]
        else:
            self.errors[value] = err.name()

    def send(self, topic, value, partition):
        while True:
            try:
                self.producer.produce(topic, value=value, partition=partition, on_delivery=self._report)
                return
            except BufferError:  # the local queue is full: let deliveries drain it
                self.producer.poll(0.1)

    def flush(self, timeout=TIMEOUT):
        left = self.producer.flush(timeout)
        if left:
            fail("%d messages still undelivered after %d s; errors %s" % (left, timeout, self.errors_seen[-5:]))


def transactional(txid, extra=None):
    conf = {"transactional.id": txid, "enable.idempotence": True, "acks": "all"}
    conf.update(extra or {})
    return Sender(conf)


def error_json(e):
    """A KafkaException (or a KafkaError) as data."""
    err = e.args[0] if isinstance(e, KafkaException) else e
    if not isinstance(err, KafkaError):
        return {"name": type(e).__name__, "str": str(e)}
    return {"name": err.name(), "code": err.code(), "fatal": err.fatal(), "retriable": err.retriable(),
            "abortable": err.txn_requires_abort(), "str": err.str()}


def attempt(call):
    """None if call() succeeds, else its error as data."""
    try:
        call()
        return None
    except KafkaException as e:
        return error_json(e)


def is_fencing(error):
    return error is not None and (error["name"] in ("_FENCED", "PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH")
                                  or "fenced" in error["str"].lower())


# --- reading ----------------------------------------------------------------------------------------------------

class Reader:
    """A consumer without a group that reads topics from the beginning with the given isolation level.
    records[topic] = [[partition, offset, value]] in the order polled; eof = {(topic, partition)} at their end (the
    high watermark, or the last stable offset for read_committed) since the last record."""

    def __init__(self, topics, isolation):
        self.consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": unique("reader"),
                                  "enable.auto.commit": False, "enable.partition.eof": True,
                                  "isolation.level": isolation, "fetch.wait.max.ms": 100})
        self.isolation = isolation
        self.partitions = {t: list(range(n)) for t, n in topics.items()}
        self.consumer.assign([TopicPartition(t, p, OFFSET_BEGINNING) for t, ps in self.partitions.items()
                              for p in ps])
        self.records = {t: [] for t in topics}
        self.eof = set()
        self.errors = []

    def poll(self, timeout=0.1):
        msg = self.consumer.poll(timeout)
        if msg is None:
            return
        err = msg.error()
        if err is None:
            self.records[msg.topic()].append([msg.partition(), msg.offset(), msg.value().decode()])
            self.eof.discard((msg.topic(), msg.partition()))
        elif err.code() == KafkaError._PARTITION_EOF:
            self.eof.add((msg.topic(), msg.partition()))
        else:
            self.errors.append(err.str())
            log("%s reader error %s" % (self.isolation, err))

    def at_end(self):
        return all((t, p) in self.eof for t, ps in self.partitions.items() for p in ps)

    def values(self, topic=None):
        topics = [topic] if topic else list(self.records)
        return [r[2] for t in topics for r in self.records[t]]

    def until(self, condition, what, timeout=TIMEOUT):
        deadline = time.time() + timeout
        while not condition(self):
            if time.time() > deadline:
                fail("%s reader: %s not within %d s; read %s, at end %s, errors %s"
                     % (self.isolation, what, timeout, json.dumps(self.records)[-3000:], sorted(self.eof),
                        self.errors[-5:]))
            self.poll()

    def ends(self, topic):
        """partition -> (high watermark or last stable offset), asked of the broker."""
        out = {}
        for p in self.partitions[topic]:
            _, high = self.consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=TIMEOUT, cached=False)
            out[str(p)] = high
        return out

    def close(self):
        self.consumer.close()


def read_all(topics, isolation, condition=None, what="every partition read to its end"):
    """A Reader of topics ({topic: partitions}) until every partition is at its end and condition(reader)."""
    reader = Reader(topics, isolation)
    reader.until(lambda r: r.at_end() and (condition is None or condition(r)), what)
    return reader


def has_all(values, topic=None):
    wanted = set(values)
    return lambda r: wanted <= set(r.values(topic))


def duplicates(values):
    seen, out = set(), set()
    for v in values:
        if v in seen:
            out.add(v)
        seen.add(v)
    return sorted(out)


def check_acked_at_their_offsets(problems, records, acked, label):
    """Each record read is at the offset its producer's delivery report gave (when the value was acknowledged)."""
    for p, o, v in records:
        if v in acked and acked[v] != [p, o]:
            problems.append("%s: %s read at %d/%d, acknowledged at %s" % (label, v, p, o, acked[v]))


def check_in_order(problems, records, label, numbered=False):
    """Within a partition the offsets read only go up, and with numbered values (one series) so do the numbers."""
    last = {}
    for p, o, v in records:
        n = int(v.rsplit("-", 1)[1]) if numbered else 0
        if p in last and (o <= last[p][0] or (numbered and n <= last[p][1])):
            problems.append("%s: partition %d went from offset %d (%s) to %d (%s)" % (label, p, last[p][0],
                                                                                      last[p][2], o, v))
        last[p] = (o, n, v)


# --- the idempotent producer ------------------------------------------------------------------------------------

def scenario_idempotent():
    """idempotent [N]: enable.idempotence with five requests in flight and small batches sends N numbered records
    (record i to partition i % 3); a read shows each exactly once, in order, at its acknowledged offset."""
    n = int(ARGS[0]) if ARGS else 2000
    topic = unique("t")
    partitions = ensure_topic(topic, 3)
    sender = Sender({"enable.idempotence": True, "max.in.flight.requests.per.connection": 5,
                     "batch.num.messages": 20, "linger.ms": 1})
    values = ["i-%d" % i for i in range(n)]
    for i, v in enumerate(values):
        sender.send(topic, v, i % partitions)
        if i % 100 == 0:
            sender.producer.poll(0)
    sender.flush()
    reader = read_all({topic: partitions}, "read_committed", has_all(values), "all %d records" % n)
    records = reader.records[topic]
    ends = reader.ends(topic)
    reader.close()
    problems = []
    if sender.errors:
        problems.append("delivery failed for %d records: %s" % (len(sender.errors), list(sender.errors.items())[:5]))
    dups = duplicates(reader.values())
    if dups:
        problems.append("read more than once: %s" % dups[:20])
    missing = sorted(set(values) - set(reader.values()))
    if missing:
        problems.append("never read: %s" % missing[:20])
    check_acked_at_their_offsets(problems, records, sender.acked, "read")
    check_in_order(problems, records, "read", numbered=True)
    for p in range(partitions):
        if ends[str(p)] != sum(1 for r in records if r[0] == p):
            problems.append("partition %d ends at %d holding %d records" % (p, ends[str(p)],
                                                                          sum(1 for r in records if r[0] == p)))
    return {"topic": topic, "sent": n, "acked": len(sender.acked), "read": len(records), "ends": ends,
            "producerErrors": sender.errors_seen, "problems": problems}


def scenario_stream():
    """stream TOPIC N: an idempotent producer streams N numbered records "s-i" (i to partition i % 2) at about
    1000 a second, with retries and a message timeout long enough to ride out a broker restart, printing
    "ACKED k" to stdout at every 100 acknowledged. After its flush a read_committed reader checks the log:
    every record exactly once, at its acknowledged offset, in order."""
    topic, n = ARGS[0], int(ARGS[1])
    partitions = ensure_topic(topic, 2)
    sender = Sender({"enable.idempotence": True, "message.timeout.ms": 120000, "request.timeout.ms": 10000,
                     "reconnect.backoff.ms": 50, "reconnect.backoff.max.ms": 500, "retry.backoff.ms": 100,
                     "batch.num.messages": 25, "linger.ms": 2})
    values = ["s-%d" % i for i in range(n)]
    reported = 0
    started = time.time()
    for i, v in enumerate(values):
        sender.send(topic, v, i % partitions)
        wait = started + i / 1000.0 - time.time()
        sender.producer.poll(max(wait, 0))
        if len(sender.acked) >= reported + 100:
            reported = len(sender.acked) // 100 * 100
            print("ACKED %d" % reported, flush=True)
    left = sender.producer.flush(130)
    log("flushed after %.1f s, %d left" % (time.time() - started, left))
    reader = read_all({topic: partitions}, "read_committed", has_all(sender.acked), "every acknowledged record")
    records = reader.records[topic]
    reader.close()
    read_values = [r[2] for r in records]
    problems = []
    if left or sender.errors:
        problems.append("%d undelivered, %d failed: %s" % (left, len(sender.errors), list(sender.errors.items())[:5]))
    dups = duplicates(read_values)
    if dups:
        problems.append("written more than once: %s" % dups[:20])
    lost = sorted(set(sender.acked) - set(read_values), key=lambda v: int(v[2:]))
    if lost:
        problems.append("acknowledged but not in the log: %s" % lost[:20])
    acked_numbers = sorted(int(v[2:]) for v in sender.acked)
    gaps = sorted(set(range(acked_numbers[-1] + 1)) - set(acked_numbers)) if acked_numbers else []
    if gaps:
        problems.append("gaps in the acknowledged sequence: %s" % gaps[:20])
    check_acked_at_their_offsets(problems, records, sender.acked, "read")
    check_in_order(problems, records, "read", numbered=True)
    return {"topic": topic, "sent": n, "acked": len(sender.acked), "read": len(records),
            "seconds": round(time.time() - started, 1), "producerErrors": sender.errors_seen[-10:],
            "problems": problems}


def first_offsets(values, acked):
    """partition -> the lowest acknowledged offset among values."""
    out = {}
    for v in values:
        p, o = acked[v]
        out[str(p)] = min(out.get(str(p), o), o)
    return out


# --- a transaction over two topics --------------------------------------------------------------------------------

def scenario_atomic_two_topics():
    """A transactional producer writes to two topics in each of three transactions: t1 commits, t2 aborts (its
    records flushed first), t3 commits. read_committed readers see t1 after its commit, only t1 while t2 is open,
    and t1 and t3 at the end; read_uncommitted readers see all three. Each partition holds one marker per
    transaction after its records."""
    ta, tb = unique("a"), unique("b")
    topics = {ta: ensure_topic(ta, 3), tb: ensure_topic(tb, 2)}
    sender = transactional(unique("txid"))
    sender.producer.init_transactions(TIMEOUT)
    per_topic = 6
    out = {"topics": topics, "perTopic": per_topic}

    def write(label):
        values = {}
        for t, n in topics.items():
            values[t] = ["%s-%s-%d" % (label, "a" if t == ta else "b", i) for i in range(per_topic)]
            for i, v in enumerate(values[t]):
                sender.send(t, v, i % n)
        return values

    sender.producer.begin_transaction()
    t1 = write("t1")
    sender.producer.commit_transaction(TIMEOUT)
    after_t1 = read_all(topics, "read_committed", has_all(t1[ta] + t1[tb]), "t1's records")
    out["afterT1"] = {t: sorted(after_t1.values(t)) for t in topics}
    after_t1.close()

    sender.producer.begin_transaction()
    t2 = write("t2")
    sender.flush()
    open_committed = read_all(topics, "read_committed")
    open_uncommitted = read_all(topics, "read_uncommitted", has_all(t2[ta] + t2[tb]), "t2's open records")
    out["whileT2Open"] = {"readCommitted": {t: sorted(open_committed.values(t)) for t in topics},
                          "readUncommitted": {t: sorted(open_uncommitted.values(t)) for t in topics},
                          "lastStable": {t: open_committed.ends(t) for t in topics},
                          "firstOpenOffsets": {t: first_offsets(t2[t], sender.acked) for t in topics}}
    open_committed.close()
    open_uncommitted.close()
    sender.producer.abort_transaction(TIMEOUT)

    sender.producer.begin_transaction()
    t3 = write("t3")
    sender.producer.commit_transaction(TIMEOUT)
    committed = read_all(topics, "read_committed", has_all(t3[ta] + t3[tb]), "t3's records")
    uncommitted = read_all(topics, "read_uncommitted", has_all(t3[ta] + t3[tb]), "t3's records")
    out["readCommitted"] = {t: committed.values(t) for t in topics}
    out["readUncommitted"] = {t: uncommitted.values(t) for t in topics}
    out["ends"] = {t: uncommitted.ends(t) for t in topics}
    out["lastStable"] = {t: committed.ends(t) for t in topics}
    out["written"] = {"t1": t1, "t2": t2, "t3": t3}
    problems = []
    for t in topics:
        if sorted(out["afterT1"][t]) != sorted(t1[t]):
            problems.append("after t1's commit read_committed shows %s of %s" % (out["afterT1"][t], t))
        if sorted(out["whileT2Open"]["readCommitted"][t]) != sorted(t1[t]):
            problems.append("while t2 is open read_committed shows %s of %s"
                            % (out["whileT2Open"]["readCommitted"][t], t))
        if out["whileT2Open"]["lastStable"][t] != out["whileT2Open"]["firstOpenOffsets"][t]:
            problems.append("while t2 is open the last stable offsets of %s are %s, its first records are at %s"
                            % (t, out["whileT2Open"]["lastStable"][t], out["whileT2Open"]["firstOpenOffsets"][t]))
        if sorted(out["readCommitted"][t]) != sorted(t1[t] + t3[t]):
            problems.append("at the end read_committed shows %s of %s" % (out["readCommitted"][t], t))
        if sorted(out["readUncommitted"][t]) != sorted(t1[t] + t2[t] + t3[t]):
            problems.append("at the end read_uncommitted shows %s of %s" % (out["readUncommitted"][t], t))
        if out["lastStable"][t] != out["ends"][t]:
            problems.append("with no transaction open the last stable offsets of %s are %s, the ends %s"
                            % (t, out["lastStable"][t], out["ends"][t]))
    for t, n in topics.items():
        check_acked_at_their_offsets(problems, uncommitted.records[t], sender.acked, "read_uncommitted " + t)
        check_acked_at_their_offsets(problems, committed.records[t], sender.acked, "read_committed " + t)
        check_in_order(problems, committed.records[t], "read_committed " + t)
        for p in range(n):
            held = sum(1 for r in uncommitted.records[t] if r[0] == p)
            # three transactions, each writing to every partition: one marker each
            if out["ends"][t][str(p)] != held + 3:
                problems.append("%s-%d ends at %d holding %d records of three transactions"
                                % (t, p, out["ends"][t][str(p)], held))
    committed.close()
    uncommitted.close()
    out["problems"] = problems
    out["producerErrors"] = sender.errors_seen
    return out


# --- consume, transform, produce ------------------------------------------------------------------------------------

def scenario_consume_transform_produce():
    """consume_transform_produce [N]: N records in a 3-partition input topic; a group member (read_committed, no
    auto commit) and a transactional producer turn batches of at most 4 into "out-<value>" records on a 2-partition
    output topic, each batch one transaction with send_offsets_to_transaction(position, group metadata). The third
    batch's transaction aborts after its records and offsets were sent; the loop seeks back to the committed
    offsets and processes those records again."""
    n = int(ARGS[0]) if ARGS else 30
    source, sink, group = unique("in"), unique("out"), unique("g")
    in_partitions = ensure_topic(source, 3)
    out_partitions = ensure_topic(sink, 2)
    inputs = produce(source, n, in_partitions, "in")
    input_ends = {}
    for p, o, _ in inputs:
        input_ends[str(p)] = max(input_ends.get(str(p), 0), o + 1)
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": group, "enable.auto.commit": False,
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed",
                         "session.timeout.ms": 10000, "heartbeat.interval.ms": 1000})
    assigned = []
    consumer.subscribe([source], on_assign=lambda c, ps: assigned.extend(p.partition for p in ps))
    sender = transactional(unique("txid"))
    sender.producer.init_transactions(TIMEOUT)
    processed = []  # [partition, offset, value] of every input record handled, aborted batches included
    transactions = []  # {"records": [...], "offsets": {...}, "outcome": "commit" | "abort", "committedAfter": {...}}
    abort_at = 2
    deadline = time.time() + 120
    last_committed = {}  # partition -> the offset the last committed transaction sent
    tps = [TopicPartition(source, p) for p in range(in_partitions)]
    while any(last_committed.get(p, 0) < end for p, end in input_ends.items()):
        if time.time() > deadline:
            fail("the loop did not consume the input within 120 s: %s" % json.dumps(transactions)[-3000:])
        batch = []
        for msg in consumer.consume(num_messages=4, timeout=0.5):
            err = msg.error()
            if err is None:
                batch.append([msg.partition(), msg.offset(), msg.value().decode()])
            elif err.code() != KafkaError._PARTITION_EOF:
                log("consumer error %s" % err)
        if not batch:
            continue
        processed.extend(batch)
        sender.producer.begin_transaction()
        for p, o, v in batch:
            sender.send(sink, "out-" + v, int(v.rsplit("-", 1)[1]) % out_partitions)
        positions = consumer.position(consumer.assignment())
        sent = {str(tp.partition): tp.offset for tp in positions}
        sender.producer.send_offsets_to_transaction(positions, consumer.consumer_group_metadata(), TIMEOUT)
        entry = {"records": batch, "offsets": sent}
        if len(transactions) == abort_at:
            sender.flush()
            sender.producer.abort_transaction(TIMEOUT)
            entry["outcome"] = "abort"
            committed = consumer.committed(tps, timeout=TIMEOUT)
            entry["committedAfter"] = {str(tp.partition): tp.offset for tp in committed}
            owned = {tp.partition for tp in consumer.assignment()}
            for tp in committed:  # back to the last committed position (the beginning where there is none)
                if tp.partition in owned:
                    start = tp.offset if tp.offset >= 0 else OFFSET_BEGINNING
                    consumer.seek(TopicPartition(source, tp.partition, start))
            log("aborted a batch of %d, back to %s" % (len(batch), entry["committedAfter"]))
        else:
            sender.producer.commit_transaction(TIMEOUT)
            entry["outcome"] = "commit"
            for p, o in sent.items():
                if o >= 0:
                    last_committed[p] = o
        transactions.append(entry)
    final_committed = {str(tp.partition): tp.offset for tp in consumer.committed(tps, timeout=TIMEOUT)}
    consumer.close()
    expected = ["out-" + v for _, _, v in inputs]
    output = read_all({sink: out_partitions}, "read_committed", has_all(expected), "every transformed record")
    uncommitted = read_all({sink: out_partitions}, "read_uncommitted", has_all(expected), "every transformed record")
    out = {"input": source, "output": sink, "group": group, "inputEnds": input_ends, "committed": final_committed,
           "transactions": transactions, "processed": len(processed), "assigned": sorted(set(assigned)),
           "outputCommitted": output.values(), "outputUncommitted": uncommitted.values(),
           "producerErrors": sender.errors_seen}
    output.close()
    uncommitted.close()
    problems = []
    dups = duplicates(out["outputCommitted"])
    if dups:
        problems.append("read_committed output holds duplicates: %s" % dups[:20])
    if sorted(out["outputCommitted"]) != sorted(expected):
        problems.append("read_committed output is not the transformed input: missing %s, extra %s"
                        % (sorted(set(expected) - set(out["outputCommitted"]))[:10],
                           sorted(set(out["outputCommitted"]) - set(expected))[:10]))
    aborted = [e for e in transactions if e["outcome"] == "abort"]
    if len(aborted) != 1:
        problems.append("%d transactions aborted, expected 1" % len(aborted))
    else:
        a = aborted[0]
        index = transactions.index(a)
        before = {}
        for e in transactions[:index]:
            for p, o in e["offsets"].items():
                if o >= 0:
                    before[p] = o
        got = {p: o for p, o in a["committedAfter"].items() if o >= 0}
        if got != before:
            problems.append("after the abort the group's committed offsets are %s, the committed transactions "
                            "left %s" % (a["committedAfter"], before))
        redone = [r for e in transactions[index + 1:] for r in e["records"]]
        missed = [r for r in a["records"] if r not in redone]
        if missed:
            problems.append("records of the aborted batch never processed again: %s" % missed)
        extra = len(out["outputUncommitted"]) - len(expected)
        if extra != len(a["records"]):
            problems.append("read_uncommitted sees %d records more than the input, the aborted batch had %d"
                            % (extra, len(a["records"])))
    if final_committed != input_ends:
        problems.append("the group committed %s, the input ends at %s" % (final_committed, input_ends))
    out["problems"] = problems
    return out


# --- fencing ------------------------------------------------------------------------------------------------------

def scenario_fencing():
    """Producer A begins a transaction and writes (flushed); producer B initialises the same transactional.id,
    which aborts A's transaction and fences A: A's next produce and its commit fail fatally (_FENCED), B commits,
    and read_committed sees B's records only."""
    topic, txid = unique("t"), unique("txid")
    partitions = ensure_topic(topic, 2)
    a = transactional(txid)
    a.producer.init_transactions(TIMEOUT)
    a.producer.begin_transaction()
    for i in range(4):
        a.send(topic, "a1-%d" % i, i % partitions)
    a.flush()
    b = transactional(txid)
    b.producer.init_transactions(TIMEOUT)  # waits while the coordinator aborts A's transaction
    log("B initialised")
    a_send = attempt(lambda: [a.send(topic, "a2-%d" % i, i % partitions) for i in range(4)])
    a_flush = attempt(lambda: a.producer.flush(TIMEOUT))  # raises once the producer is fenced
    a_commit = attempt(lambda: a.producer.commit_transaction(TIMEOUT))
    a_abort = None
    if a_commit is not None and a_commit["abortable"] and not a_commit["fatal"]:
        a_abort = attempt(lambda: a.producer.abort_transaction(TIMEOUT))
    b.producer.begin_transaction()
    for i in range(4):
        b.send(topic, "b-%d" % i, i % partitions)
    b_commit = attempt(lambda: b.producer.commit_transaction(TIMEOUT))
    b_values = ["b-%d" % i for i in range(4)]
    committed = read_all({topic: partitions}, "read_committed", has_all(b_values), "B's records")
    uncommitted = read_all({topic: partitions}, "read_uncommitted", has_all(b_values), "B's records")
    out = {"topic": topic, "aSend": a_send, "aFlush": a_flush, "aDeliveryErrors": a.errors, "aErrors": a.errors_seen,
           "aCommit": a_commit, "aAbort": a_abort, "bCommit": b_commit, "bErrors": b.errors_seen,
           "readCommitted": committed.values(), "readUncommitted": uncommitted.values()}
    committed.close()
    uncommitted.close()
    problems = []
    fatal = [e for e in a.errors_seen if e[1]]
    if a_commit is None:
        problems.append("A committed after B fenced it")
    if not any(is_fencing(e) and e["fatal"] for e in (a_send, a_flush, a_commit, a_abort)):
        problems.append("A was not told fatally that it is fenced: send %s, flush %s, commit %s, abort %s, "
                        "error_cb %s" % (a_send, a_flush, a_commit, a_abort, a.errors_seen))
    if fatal and not any(e[0] in ("_FENCED", "PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH") for e in fatal):
        problems.append("A's fatal error is not a fencing: %s" % fatal)
    if b_commit is not None:
        problems.append("B's commit failed: %s" % b_commit)
    shown = [v for v in out["readCommitted"] if v.startswith("a")]
    if shown:
        problems.append("read_committed shows A's records: %s" % shown)
    if sorted(out["readCommitted"]) != sorted(b_values):
        problems.append("read_committed shows %s, B committed %s" % (out["readCommitted"], b_values))
    written_a = [v for v in out["readUncommitted"] if v.startswith("a2-")]
    if written_a:
        problems.append("A's records produced after the fencing are in the log: %s" % written_a)
    out["problems"] = problems
    return out


# --- the transaction timeout ----------------------------------------------------------------------------------------

def scenario_timeout():
    """A producer with transaction.timeout.ms=3000 begins a transaction, writes "open-i" to both partitions and
    then does nothing. A plain producer writes "after-i" behind it. read_committed readers stop before the open
    transaction until the broker aborts it, then read past it without showing its records. At the end the idle
    producer tries to commit, which must fail."""
    topic = unique("t")
    partitions = ensure_topic(topic, 2)
    before = produce(topic, 4, partitions, "before")
    idle = transactional(unique("txid"), {"transaction.timeout.ms": 3000, "message.timeout.ms": 3000,
                                          "socket.timeout.ms": 3000})
    idle.producer.init_transactions(TIMEOUT)
    idle.producer.begin_transaction()
    opened = time.time()
    for i in range(4):
        idle.send(topic, "open-%d" % i, i % partitions)
    idle.flush()
    after = produce(topic, 4, partitions, "after")
    after_values = [r[2] for r in after]
    out = {"topic": topic, "flushedAfter": round(time.time() - opened, 3)}
    early = Reader({topic: partitions}, "read_committed")
    early.until(lambda r: r.at_end(), "the end of every partition")
    out["early"] = {"seconds": round(time.time() - opened, 3), "values": early.values(),
                    "lastStable": early.ends(topic)}
    early.close()
    reader = Reader({topic: partitions}, "read_committed")
    reader.until(has_all(after_values), "the records behind the open transaction", timeout=60)
    out["readPastAfter"] = round(time.time() - opened, 3)
    reader.until(lambda r: r.at_end(), "the end of every partition")
    out["readCommitted"] = reader.values()
    out["lastStable"] = reader.ends(topic)
    reader.close()
    uncommitted = read_all({topic: partitions}, "read_uncommitted", has_all(after_values), "every record")
    out["readUncommitted"] = uncommitted.values()
    out["ends"] = uncommitted.ends(topic)
    uncommitted.close()
    out["lateCommit"] = attempt(lambda: idle.producer.commit_transaction(TIMEOUT))
    out["idleErrors"] = idle.errors_seen
    problems = []
    shown = [v for v in out["readCommitted"] if v.startswith("open-")]
    if shown:
        problems.append("read_committed shows the timed-out transaction's records: %s" % shown)
    if sorted(out["readCommitted"]) != sorted([r[2] for r in before] + after_values):
        problems.append("read_committed shows %s" % out["readCommitted"])
    if out["early"]["seconds"] < 2.5 and any(v.startswith(("open-", "after-")) for v in out["early"]["values"]):
        problems.append("%.1f s into a 3 s transaction read_committed already reads %s"
                        % (out["early"]["seconds"], out["early"]["values"]))
    if sorted(v for v in out["readUncommitted"] if v.startswith("open-")) != ["open-%d" % i for i in range(4)]:
        problems.append("read_uncommitted does not show the aborted records: %s" % out["readUncommitted"])
    if out["lateCommit"] is None:
        problems.append("the idle producer committed its transaction after the broker aborted it")
    out["problems"] = problems
    return out


def scenario_timeout_too_long():
    """transaction.timeout.ms above the broker's transaction.max.timeout.ms (900000 by default): init_transactions
    fails with INVALID_TRANSACTION_TIMEOUT."""
    sender = transactional(unique("txid"), {"transaction.timeout.ms": 900001})
    error = attempt(lambda: sender.producer.init_transactions(TIMEOUT))
    return {"init": error, "errors": sender.errors_seen}


# --- the broker-crash tests ---------------------------------------------------------------------------------------

def scenario_open_txn():
    """open_txn TOPIC TIMEOUT_MS: on a 2-partition topic a transactional producer commits "c-0".."c-5", then begins
    a transaction (timeout TIMEOUT_MS), writes "open-0".."open-5" (flushed) and exits without ending it.
    openedAt: the time (time.time()) just before the transaction's first record."""
    topic, timeout_ms = ARGS[0], int(ARGS[1])
    partitions = ensure_topic(topic, 2)
    sender = transactional(unique("txid"), {"transaction.timeout.ms": timeout_ms, "message.timeout.ms": timeout_ms})
    sender.producer.init_transactions(TIMEOUT)
    sender.producer.begin_transaction()
    for i in range(6):
        sender.send(topic, "c-%d" % i, i % partitions)
    sender.producer.commit_transaction(TIMEOUT)
    sender.producer.begin_transaction()
    opened_at = time.time()  # the transaction starts on the broker after this, with the first AddPartitionsToTxn
    for i in range(6):
        sender.send(topic, "open-%d" % i, i % partitions)
    sender.flush()
    # run() ends the process with os._exit: nothing is ended
    return {"topic": topic, "acked": sender.acked, "openedAt": opened_at}


def scenario_read_past():
    """read_past TOPIC: a plain producer writes "after-0".."after-5" to both partitions; a read_committed reader
    must get past the abandoned transaction (within 90 s) to them; nothing of it ("open-") may show. readPastAt:
    the time (time.time()) it got there."""
    topic = ARGS[0]
    partitions = ensure_topic(topic, 2)
    started = time.time()
    after = produce(topic, 6, partitions, "after")
    after_values = [r[2] for r in after]
    reader = Reader({topic: partitions}, "read_committed")
    reader.until(has_all(after_values), "the records behind the abandoned transaction", timeout=90)
    read_past_at = time.time()
    seconds = round(read_past_at - started, 3)
    reader.until(lambda r: r.at_end(), "the end of every partition")
    uncommitted = read_all({topic: partitions}, "read_uncommitted", has_all(after_values), "every record")
    out = {"topic": topic, "readPastAfter": seconds, "readPastAt": read_past_at, "readCommitted": reader.values(),
           "readUncommitted": uncommitted.values(), "lastStable": reader.ends(topic), "ends": uncommitted.ends(topic)}
    records = reader.records[topic]
    reader.close()
    uncommitted.close()
    problems = []
    expected = ["c-%d" % i for i in range(6)] + after_values
    if sorted(out["readCommitted"]) != sorted(expected):
        problems.append("read_committed shows %s, expected %s" % (out["readCommitted"], expected))
    check_in_order(problems, records, "read_committed")
    if sorted(v for v in out["readUncommitted"] if v.startswith("open-")) != ["open-%d" % i for i in range(6)]:
        problems.append("read_uncommitted does not show the abandoned records once each: %s" % out["readUncommitted"])
    if out["lastStable"] != out["ends"]:
        problems.append("the last stable offsets %s are not the ends %s" % (out["lastStable"], out["ends"]))
    out["problems"] = problems
    return out


def scenario_across_restart():
    """across_restart TOPIC: a transactional producer writes "s1-0".."s1-5" (flushed) in an open transaction,
    prints "READY" and waits for a line on stdin (the test restarts the broker meanwhile); then it writes
    "s2-0".."s2-5" and commits. read_committed shows all twelve, once each."""
    topic = ARGS[0]
    partitions = ensure_topic(topic, 2)
    sender = transactional(unique("txid"), {"transaction.timeout.ms": 60000, "message.timeout.ms": 60000,
                                            "reconnect.backoff.max.ms": 500})
    sender.producer.init_transactions(TIMEOUT)
    sender.producer.begin_transaction()
    for i in range(6):
        sender.send(topic, "s1-%d" % i, i % partitions)
    sender.flush()
    print("READY", flush=True)
    line = sys.stdin.readline()
    log("told %r" % line.strip())
    for i in range(6):
        sender.send(topic, "s2-%d" % i, i % partitions)
    flushed = sender.producer.flush(60)
    commit = attempt(lambda: sender.producer.commit_transaction(60))
    out = {"topic": topic, "flushLeft": flushed, "deliveryErrors": sender.errors, "commit": commit,
           "errors": sender.errors_seen}
    problems = []
    if commit is not None:
        problems.append("the commit after the restart failed: %s" % commit)
        out["problems"] = problems
        return out
    expected = ["s%d-%d" % (k, i) for k in (1, 2) for i in range(6)]
    reader = read_all({topic: partitions}, "read_committed", has_all(expected), "the transaction's records")
    out["readCommitted"] = reader.values()
    check_acked_at_their_offsets(problems, reader.records[topic], sender.acked, "read_committed")
    check_in_order(problems, reader.records[topic], "read_committed")
    reader.close()
    if sorted(out["readCommitted"]) != sorted(expected):
        problems.append("read_committed shows %s" % out["readCommitted"])
    out["problems"] = problems
    return out


# --- offsets in a transaction, looked at from outside ---------------------------------------------------------------

def scenario_pending_offsets():
    """pending_offsets GROUP TOPIC: offsets-only transactions for GROUP on a 2-partition TOPIC. The first sends
    {0: 3, 1: 5}, prints "PENDING 1" and commits after a line on stdin; the second sends {0: 7, 1: 8}, prints
    "PENDING 2" and aborts after a line on stdin. The test looks at the group's offsets (OffsetFetch) meanwhile."""
    group, topic = ARGS[0], ARGS[1]
    partitions = ensure_topic(topic, 2)
    produce(topic, 20, partitions, "p")
    member = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": group, "enable.auto.commit": False})
    metadata = member.consumer_group_metadata()
    sender = transactional(unique("txid"))
    sender.producer.init_transactions(TIMEOUT)
    out = {"group": group, "topic": topic}
    for round_, (offsets, end) in enumerate((({0: 3, 1: 5}, "commit"), ({0: 7, 1: 8}, "abort")), start=1):
        sender.producer.begin_transaction()
        sender.producer.send_offsets_to_transaction([TopicPartition(topic, p, o) for p, o in offsets.items()],
                                                    metadata, TIMEOUT)
        print("PENDING %d" % round_, flush=True)
        log("told %r" % sys.stdin.readline().strip())
        call = sender.producer.commit_transaction if end == "commit" else sender.producer.abort_transaction
        out["round%d" % round_] = attempt(lambda: call(TIMEOUT))
    committed = member.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=TIMEOUT)
    out["committed"] = {str(tp.partition): tp.offset for tp in committed}
    member.close()
    problems = []
    for key in ("round1", "round2"):
        if out[key] is not None:
            problems.append("%s failed: %s" % (key, out[key]))
    if out["committed"] != {"0": 3, "1": 5}:
        problems.append("committed() answers %s after a committed {0: 3, 1: 5} and an aborted {0: 7, 1: 8}"
                        % out["committed"])
    out["problems"] = problems
    return out


SCENARIOS = {"idempotent": scenario_idempotent, "stream": scenario_stream,
             "atomic_two_topics": scenario_atomic_two_topics,
             "consume_transform_produce": scenario_consume_transform_produce, "fencing": scenario_fencing,
             "timeout": scenario_timeout, "timeout_too_long": scenario_timeout_too_long,
             "pending_offsets": scenario_pending_offsets, "open_txn": scenario_open_txn,
             "read_past": scenario_read_past, "across_restart": scenario_across_restart}


if __name__ == "__main__":
    run(SCENARIOS)
