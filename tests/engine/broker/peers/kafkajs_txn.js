// kafkajs exactly-once against partitad: the idempotent producer, transactions (send, sendOffsets, commit, abort)
// and fencing, checked with read_committed (readUncommitted: false) and read_uncommitted consumers.
// Usage: node kafkajs_txn.js BOOTSTRAP SCENARIO [ARGS...] (NODE_PATH=tests/peers/node_modules); prints one
// "RESULT {json}" line, or exits 2 with "FAILED: ..." on stderr. Anomalies found in the data go into the result's
// "problems" list for the test to judge; progress and kafkajs' own log go to stderr.
'use strict'

const { args, unique, makeKafka, fail, log, waitFor, run } = require('./kafkajsscenarios')

const kafka = makeKafka('partita-txn-kafkajs', 5)

// A promise's outcome as data; kafkajs wraps broker errors (retries exhausted, aggregated per broker).
async function outcome(promise) {
  try {
    await promise
    return null
  } catch (e) {
    const causes = []
    for (let c = e; c; c = c.originalError || c.cause) causes.push(c.type || c.name)
    if (Array.isArray(e.errors)) for (const c of e.errors) causes.push(c.type || c.name)
    return { name: e.name, type: e.type || null, causes, message: e.message }
  }
}

const isFencing = error =>
  error !== null && error.causes.concat([error.message]).some(c => /PRODUCER_FENCED|INVALID_PRODUCER_EPOCH|fenced/i.test(c || ''))

async function ensureTopic(admin, topic, partitions) {
  const created = await outcome(
    admin.createTopics({ waitForLeaders: true, timeout: 10000, topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] })
  )
  if (created) log(`create ${topic}: ${created.type} ${created.message}; relying on auto-creation`)
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
  return metadata.topics[0].partitions.length
}

// A consumer in a group of its own reading topics from the beginning until done(records) holds;
// records[topic] = [[partition, offset, value]] in the order consumed.
async function readAll(topics, readUncommitted, done, what) {
  const consumer = kafka.consumer({ groupId: unique(`reader-${readUncommitted ? 'u' : 'c'}`) + Math.random().toString(16).slice(2, 8), readUncommitted, maxWaitTimeInMs: 200, sessionTimeout: 10000, heartbeatInterval: 1000 })
  const records = {}
  for (const t of topics) records[t] = []
  let crash = null
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    crash = String(payload.error && payload.error.stack)
  })
  await consumer.connect()
  await consumer.subscribe({ topics, fromBeginning: true })
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      records[topic].push([partition, Number(message.offset), message.value.toString()])
    },
  })
  await waitFor(() => done(records) || crash, `${readUncommitted ? 'read_uncommitted' : 'read_committed'} reader: ${what}`, () => ({ records, crash }))
  await consumer.disconnect()
  if (crash) fail(`reader crashed: ${crash}`)
  return records
}

const values = records => Object.values(records).flatMap(rs => rs.map(r => r[2]))
const hasAll = wanted => records => {
  const seen = new Set(values(records))
  return wanted.every(v => seen.has(v))
}
const duplicates = list => [...new Set(list.filter((v, i) => list.indexOf(v) !== i))].sort()
const sorted = list => list.slice().sort()
const same = (a, b) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b))

// --- the idempotent producer ------------------------------------------------------------------------------------
// idempotent [N]: idempotent: true, maxInFlightRequests: 1 sends N numbered records (i to partition i % 3) in
// sends of 50; partition p then holds "i-(3k+p)" at offset k, once each.
async function idempotentScenario() {
  const n = Number(args[0] || 1000)
  const admin = kafka.admin()
  await admin.connect()
  const topic = unique('t')
  const partitions = await ensureTopic(admin, topic, 3)
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 8 } })
  await producer.connect()
  const metadata = []
  for (let start = 0; start < n; start += 50) {
    const messages = []
    for (let i = start; i < Math.min(n, start + 50); i++) messages.push({ value: `i-${i}`, partition: i % partitions })
    for (const m of await producer.send({ topic, acks: -1, messages })) metadata.push([m.partition, Number(m.baseOffset), m.errorCode])
  }
  await producer.disconnect()
  const all = []
  for (let i = 0; i < n; i++) all.push(`i-${i}`)
  const records = await readAll([topic], false, hasAll(all), `all ${n} records`)
  const offsets = await admin.fetchTopicOffsets(topic)
  await admin.disconnect()
  const problems = []
  const read = records[topic]
  const dups = duplicates(read.map(r => r[2]))
  if (dups.length) problems.push(`read more than once: ${dups.slice(0, 20)}`)
  for (const [p, o, v] of read)
    if (v !== `i-${o * partitions + p}`) problems.push(`partition ${p} offset ${o} holds ${v}, expected i-${o * partitions + p}`)
  for (const { partition, high } of offsets) {
    const held = read.filter(r => r[0] === partition).length
    if (Number(high) !== held) problems.push(`partition ${partition} ends at ${high} holding ${held} records`)
  }
  return { topic, sent: n, read: read.length, sends: metadata.length, ends: offsets.map(o => [o.partition, Number(o.high)]), problems: problems.slice(0, 30) }
}

// --- transactions -------------------------------------------------------------------------------------------------
// Five transactions of one producer on a 2-partition topic, each writing "tK-i" to both partitions; the ones with
// offsets send offsets of a 2-partition input topic for a group: t1 commits; t2 sends offsets {2, 2} and aborts;
// t3 sends {3, 1} and commits; t4 sends {4, 4} and aborts; t5 commits. read_committed sees t1, t3 and t5, once
// each; read_uncommitted sees all five; the group's offsets are t3's.
async function transactionsScenario() {
  const admin = kafka.admin()
  await admin.connect()
  const topic = unique('t')
  const input = unique('in')
  const groupId = unique('g')
  const partitions = await ensureTopic(admin, topic, 2)
  await ensureTopic(admin, input, 2)
  const plain = kafka.producer()
  await plain.connect()
  const inputs = []
  for (let i = 0; i < 10; i++) inputs.push({ value: `in-${i}`, partition: i % 2 })
  await plain.send({ topic: input, acks: -1, messages: inputs })
  await plain.disconnect()

  const producer = kafka.producer({ transactionalId: unique('txid'), idempotent: true, maxInFlightRequests: 1, transactionTimeout: 30000, retry: { retries: 8 } })
  await producer.connect()
  const out = { topic, input, groupId, transactions: [] }
  const written = {}
  const offsetsSeen = {}
  const plan = [
    ['t1', null, 'commit'],
    ['t2', ['2', '2'], 'abort'],
    ['t3', ['3', '1'], 'commit'],
    ['t4', ['4', '4'], 'abort'],
    ['t5', null, 'commit'],
  ]
  for (const [label, offsets, end] of plan) {
    const transaction = await producer.transaction()
    written[label] = []
    const messages = []
    for (let i = 0; i < 4; i++) {
      messages.push({ value: `${label}-${i}`, partition: i % partitions })
      written[label].push(`${label}-${i}`)
    }
    const sent = await transaction.send({ topic, acks: -1, messages })
    const entry = { label, end, sent: sent.map(m => [m.partition, Number(m.baseOffset)]) }
    if (offsets) {
      entry.sendOffsets = await outcome(
        transaction.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: offsets.map((offset, partition) => ({ partition, offset })) }] })
      )
      // not visible before the transaction ends
      const pending = await admin.fetchOffsets({ groupId, topics: [input] })
      entry.pendingOffsets = pending[0].partitions.map(p => [p.partition, Number(p.offset)]).sort((a, b) => a[0] - b[0])
    }
    entry.result = await outcome(end === 'commit' ? transaction.commit() : transaction.abort())
    const fetched = await admin.fetchOffsets({ groupId, topics: [input] })
    entry.groupOffsets = fetched[0].partitions.map(p => [p.partition, Number(p.offset)]).sort((a, b) => a[0] - b[0])
    offsetsSeen[label] = entry.groupOffsets
    out.transactions.push(entry)
    log(`${label}: ${JSON.stringify(entry)}`)
  }
  await producer.disconnect()
  const tail = written.t5
  const committed = await readAll([topic], false, hasAll(tail), "t5's records")
  const uncommitted = await readAll([topic], true, hasAll(tail), "t5's records")
  out.readCommitted = values(committed)
  out.readUncommitted = values(uncommitted)
  out.committedRecords = committed[topic]
  out.ends = (await admin.fetchTopicOffsets(topic)).map(o => [o.partition, Number(o.high)])
  await admin.disconnect()

  const problems = []
  for (const e of out.transactions) {
    if (e.result) problems.push(`${e.label} ${e.end} failed: ${JSON.stringify(e.result)}`)
    if (e.sendOffsets) problems.push(`${e.label} sendOffsets failed: ${JSON.stringify(e.sendOffsets)}`)
  }
  const expected = [...written.t1, ...written.t3, ...written.t5]
  if (!same(out.readCommitted, expected)) problems.push(`read_committed shows ${JSON.stringify(out.readCommitted)}, expected ${JSON.stringify(expected)}`)
  const everything = Object.values(written).flat()
  if (!same(out.readUncommitted, everything)) problems.push(`read_uncommitted shows ${JSON.stringify(out.readUncommitted)}, expected ${JSON.stringify(everything)}`)
  const expectOffsets = { t1: [[0, -1], [1, -1]], t2: [[0, -1], [1, -1]], t3: [[0, 3], [1, 1]], t4: [[0, 3], [1, 1]], t5: [[0, 3], [1, 1]] }
  for (const [label, want] of Object.entries(expectOffsets))
    if (JSON.stringify(offsetsSeen[label]) !== JSON.stringify(want))
      problems.push(`after ${label} the group's offsets are ${JSON.stringify(offsetsSeen[label])}, expected ${JSON.stringify(want)}`)
  for (let i = 1; i < out.transactions.length; i++) {
    const e = out.transactions[i]
    if (e.pendingOffsets && JSON.stringify(e.pendingOffsets) !== JSON.stringify(out.transactions[i - 1].groupOffsets))
      problems.push(`while ${e.label} is open fetchOffsets shows ${JSON.stringify(e.pendingOffsets)}, before it ${JSON.stringify(out.transactions[i - 1].groupOffsets)}`)
  }
  for (const [p, high] of out.ends) {
    const held = uncommitted[topic].filter(r => r[0] === p).length
    if (high !== held + plan.length) problems.push(`partition ${p} ends at ${high} holding ${held} records of ${plan.length} transactions`)
  }
  out.problems = problems
  return out
}

// --- fencing ------------------------------------------------------------------------------------------------------
// Producer A opens a transaction and sends; producer B with the same transactionalId starts one (InitProducerId
// fences A and aborts its transaction). A's next send and its commit fail with a fencing error; B commits;
// read_committed shows only B's records.
async function fencingScenario() {
  const admin = kafka.admin()
  await admin.connect()
  const topic = unique('t')
  const transactionalId = unique('txid')
  const partitions = await ensureTopic(admin, topic, 2)
  await admin.disconnect()
  const a = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, retry: { retries: 2 } })
  const b = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, retry: { retries: 8 } })
  await a.connect()
  await b.connect()
  const ta = await a.transaction()
  const batch = label => [0, 1, 2, 3].map(i => ({ value: `${label}-${i}`, partition: i % partitions }))
  await ta.send({ topic, acks: -1, messages: batch('a1') })
  const tb = await b.transaction()
  log('B began its transaction')
  const out = { topic }
  out.aSend = await outcome(ta.send({ topic, acks: -1, messages: batch('a2') }))
  out.aCommit = await outcome(ta.commit())
  await tb.send({ topic, acks: -1, messages: batch('b') })
  out.bCommit = await outcome(tb.commit())
  await a.disconnect()
  await b.disconnect()
  const bValues = batch('b').map(m => m.value)
  out.readCommitted = values(await readAll([topic], false, hasAll(bValues), "B's records"))
  out.readUncommitted = values(await readAll([topic], true, hasAll(bValues), "B's records"))
  const problems = []
  if (!isFencing(out.aSend) && !isFencing(out.aCommit))
    problems.push(`A was not told it is fenced: send ${JSON.stringify(out.aSend)}, commit ${JSON.stringify(out.aCommit)}`)
  if (out.aCommit === null) problems.push('A committed after B fenced it')
  if (out.bCommit !== null) problems.push(`B's commit failed: ${JSON.stringify(out.bCommit)}`)
  if (!same(out.readCommitted, bValues)) problems.push(`read_committed shows ${JSON.stringify(out.readCommitted)}`)
  const a2 = out.readUncommitted.filter(v => v.startsWith('a2-'))
  if (a2.length) problems.push(`A's records sent after the fencing are in the log: ${a2}`)
  out.problems = problems
  return out
}

const scenarios = { idempotent: idempotentScenario, transactions: transactionsScenario, fencing: fencingScenario }

run(scenarios)
