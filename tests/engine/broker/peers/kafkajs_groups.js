// kafkajs consumer groups against partitad.
// Usage: node kafkajs_groups.js BOOTSTRAP SCENARIO [ARGS...] (NODE_PATH=tests/peers/node_modules); prints one
// "RESULT {json}" line, or exits 2 with "FAILED: ..." on stderr. Progress and kafkajs' own log go to stderr.
'use strict'
const { AssignerProtocol } = require('kafkajs')

const { args, unique, makeKafka, fail, log, sleep, waitFor, run } = require('./kafkajsscenarios')

const kafka = makeKafka('partita-groups-kafkajs', 3)

// A promise's outcome as data: kafkajs reports broker errors as exceptions with a type.
async function settle(promise) {
  try {
    return { ok: true, result: await promise }
  } catch (e) {
    const out = { ok: false, error: e.type || e.name, message: e.message }
    if (Array.isArray(e.groups))
      out.groups = e.groups.map(g => ({ groupId: g.groupId, errorCode: g.errorCode, type: g.error && g.error.type }))
    return out
  }
}

// Creates the topic (an existing one is fine); without CreateTopics (the mock cluster) a metadata request
// auto-creates it. Returns its partition count.
async function ensureTopic(admin, topic, partitions) {
  const created = await settle(
    admin.createTopics({ waitForLeaders: true, timeout: 10000, topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] })
  )
  if (!created.ok) log(`create ${topic}: ${created.error} ${created.message}; relying on auto-creation`)
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
  return metadata.topics[0].partitions.length
}

async function produce(topic, count, partitions, prefix) {
  const producer = kafka.producer({ allowAutoTopicCreation: true })
  await producer.connect()
  const messages = []
  for (let i = 0; i < count; i++) messages.push({ value: `${prefix}-${i}`, partition: i % partitions })
  await producer.send({ topic, acks: -1, messages })
  await producer.disconnect()
}

// A consumer group member running eachMessage with autoCommit off: each record it processes is committed at once
// with commitOffsets (offset + 1). `accept(member, record)` may refuse a record (it is then not processed).
class Member {
  constructor(label, groupId, topic, accept) {
    this.label = label
    this.topic = topic
    this.accept = accept
    this.owned = []
    this.joins = []
    this.consumed = [] // [partition, offset, value]
    this.commitErrors = []
    this.crash = null
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      rebalanceTimeout: 20000,
      maxWaitTimeInMs: 500,
      retry: { retries: 5 },
    })
    const { GROUP_JOIN, CRASH } = this.consumer.events
    this.consumer.on(GROUP_JOIN, ({ payload }) => {
      this.owned = (payload.memberAssignment[topic] || []).slice().sort((a, b) => a - b)
      this.joins.push({ memberId: payload.memberId, isLeader: payload.isLeader, protocol: payload.groupProtocol, owned: this.owned })
      log(`${label} joined as ${payload.memberId}${payload.isLeader ? ' (leader)' : ''}: ${this.owned}`)
    })
    this.consumer.on(CRASH, ({ payload }) => {
      this.crash = String(payload.error && payload.error.stack)
      log(`${label} crashed: ${this.crash}`)
    })
  }

  async start() {
    await this.consumer.connect()
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: true })
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const record = [partition, Number(message.offset), message.value.toString()]
        if (this.accept && !this.accept(this, record)) return
        this.consumed.push(record)
        try {
          await this.consumer.commitOffsets([{ topic, partition, offset: String(record[1] + 1) }])
        } catch (e) {
          this.commitErrors.push([record, e.type || e.message])
          throw e
        }
      },
    })
  }

  state() {
    const state = { label: this.label, owned: this.owned, joins: this.joins, consumed: this.consumed.length, commitErrors: this.commitErrors, crash: this.crash }
    return JSON.parse(JSON.stringify(state)) // a snapshot: the member carries on
  }

  async stop() {
    await this.consumer.disconnect()
  }
}

// fetchOffsets' answer as {"topic:partition": offset} (strings, as kafkajs gives them).
const offsetsJson = fetched => {
  const out = {}
  for (const { topic, partitions } of fetched) for (const p of partitions) out[`${topic}:${p.partition}`] = p.offset
  return out
}

const describeJson = g => ({
  groupId: g.groupId,
  errorCode: g.errorCode,
  state: g.state,
  protocolType: g.protocolType,
  protocol: g.protocol,
  members: g.members
    .map(m => {
      const assignment = m.memberAssignment && m.memberAssignment.length ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null
      const subscription = m.memberMetadata && m.memberMetadata.length ? AssignerProtocol.MemberMetadata.decode(m.memberMetadata) : null
      return {
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        subscription: subscription ? subscription.topics : null,
        assignment: assignment ? assignment.assignment : null,
      }
    })
    .sort((a, b) => (a.memberId < b.memberId ? -1 : 1)),
})

// --- a group with manual commits, a rebalance, and the admin views of it ------------------------------------------
async function groupScenario() {
  const topic = unique('t')
  const groupId = unique('g')
  const admin = kafka.admin()
  await admin.connect()
  const partitions = await ensureTopic(admin, topic, 4)
  const out = { topic, groupId, partitions }
  await produce(topic, 10 * partitions, partitions, 'a')

  const m1 = new Member('m1', groupId, topic)
  await m1.start()
  await waitFor(() => m1.owned.length === partitions && m1.consumed.length === 10 * partitions, 'm1 owns every partition and processed every record', () => m1.state())
  out.committedByM1 = offsetsJson(await admin.fetchOffsets({ groupId, topics: [topic] }))

  // A second member: the partitions split, and nothing committed is consumed again.
  const mark = m1.consumed.length
  const joinsBefore = m1.joins.length
  const m2 = new Member('m2', groupId, topic)
  await m2.start()
  const split = () => {
    const all = new Set([...m1.owned, ...m2.owned])
    return m1.joins.length > joinsBefore && m2.owned.length > 0 && m1.owned.length > 0 && all.size === partitions && m1.owned.length + m2.owned.length === partitions
  }
  await waitFor(split, 'm1 and m2 split the partitions', () => [m1.state(), m2.state()])
  await sleep(2000)
  out.m1 = m1.state()
  out.m2 = m2.state()
  out.consumedAgain = m1.consumed.slice(mark).concat(m2.consumed)
  // Two more records a partition: each goes to the member that owns its partition, which commits it.
  await produce(topic, 2 * partitions, partitions, 'b')
  await waitFor(
    () => m1.consumed.length - mark + m2.consumed.length >= 2 * partitions,
    'm1 and m2 process the second batch',
    () => [m1.state(), m2.state()]
  )
  await sleep(1000)
  out.afterRebalance = { m1: m1.consumed.slice(mark).map(r => r.slice(0, 2)), m2: m2.consumed.map(r => r.slice(0, 2)) }
  out.owned = { m1: m1.owned, m2: m2.owned }
  out.commitErrors = m1.commitErrors.concat(m2.commitErrors)

  out.listed = (await admin.listGroups()).groups.filter(g => g.groupId === groupId)
  out.describedStable = (await admin.describeGroups([groupId])).groups.map(describeJson)
  out.fetchNamed = offsetsJson(await admin.fetchOffsets({ groupId, topics: [topic] }))
  out.fetchAll = offsetsJson(await admin.fetchOffsets({ groupId }))
  out.deleteNonEmpty = await settle(admin.deleteGroups([groupId]))
  await m1.stop()
  await m2.stop()
  out.describedEmpty = (await admin.describeGroups([groupId])).groups.map(describeJson)

  // resetOffsets / setOffsets need an empty group; kafkajs joins it with a consumer of its own to commit.
  out.reset = await settle(admin.resetOffsets({ groupId, topic, earliest: true }))
  out.afterReset = offsetsJson(await admin.fetchOffsets({ groupId, topics: [topic] }))
  out.afterResetResolved = offsetsJson(await admin.fetchOffsets({ groupId, topics: [topic], resolveOffsets: true }))
  out.set = await settle(admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '3' }, { partition: 1, offset: '5' }] }))
  out.afterSet = offsetsJson(await admin.fetchOffsets({ groupId, topics: [topic] }))
  // A new member starts where setOffsets and the resolved reset left the group.
  const m3 = new Member('m3', groupId, topic)
  await m3.start()
  const expectedM3 = 12 * partitions - 3 - 5
  await waitFor(() => m3.consumed.length >= expectedM3, `m3 processes ${expectedM3} records`, () => m3.state())
  await sleep(1000)
  await m3.stop()
  out.m3Starts = {}
  for (const [p, o] of m3.consumed) if (!(p in out.m3Starts)) out.m3Starts[p] = o
  out.m3Consumed = m3.consumed.length

  out.deleteEmpty = await settle(admin.deleteGroups([groupId]))
  out.listedAfterDelete = (await admin.listGroups()).groups.filter(g => g.groupId === groupId)
  out.fetchAfterDelete = offsetsJson(await admin.fetchOffsets({ groupId, topics: [topic] }))
  out.deleteUnknown = await settle(admin.deleteGroups([unique('never-used')]))
  await admin.disconnect()

  const problems = []
  if (out.consumedAgain.length) problems.push(`committed records consumed again after the rebalance: ${JSON.stringify(out.consumedAgain)}`)
  for (const m of ['m1', 'm2'])
    for (const [p] of out.afterRebalance[m]) if (!out.owned[m].includes(p)) problems.push(`${m} consumed partition ${p} it does not own`)
  if (out.commitErrors.length) problems.push(`commitOffsets failed: ${JSON.stringify(out.commitErrors)}`)
  if (problems.length) fail(`${problems.join('; ')}; ${JSON.stringify(out)}`)
  return out
}

// --- building blocks for the tests that combine clients ---------------------------------------------------------

// commit GROUP TOPIC N: a member processes N records, committing each, then disconnects (LeaveGroup).
async function commitScenario() {
  const [groupId, topic, n] = [args[0], args[1], Number(args[2])]
  const m = new Member('committer', groupId, topic, member => member.consumed.length < n)
  await m.start()
  await waitFor(() => m.consumed.length >= n, `processed ${n} records`, () => m.state())
  await sleep(500)
  await m.stop()
  const admin = kafka.admin()
  await admin.connect()
  const committed = {}
  for (const [key, offset] of Object.entries(offsetsJson(await admin.fetchOffsets({ groupId, topics: [topic] }))))
    if (Number(offset) >= 0) committed[key.slice(topic.length + 1)] = Number(offset)
  await admin.disconnect()
  return { group: groupId, topic, processed: m.consumed, committed }
}

// committed GROUP TOPIC: fetchOffsets for the topic.
async function committedScenario() {
  const [groupId, topic] = args
  const admin = kafka.admin()
  await admin.connect()
  const committed = {}
  for (const [key, offset] of Object.entries(offsetsJson(await admin.fetchOffsets({ groupId, topics: [topic] }))))
    if (Number(offset) >= 0) committed[key.slice(topic.length + 1)] = Number(offset)
  await admin.disconnect()
  return { group: groupId, committed }
}

// groups TOPIC GROUP...: listGroups, describeGroups and fetchOffsets (every topic) of each group.
async function groupsScenario() {
  const groups = args.slice(1)
  const admin = kafka.admin()
  await admin.connect()
  const listed = (await admin.listGroups()).groups
  const out = { listed: {}, described: {}, offsets: {} }
  for (const g of listed) if (groups.includes(g.groupId)) out.listed[g.groupId] = { protocolType: g.protocolType }
  for (const g of (await admin.describeGroups(groups)).groups)
    out.described[g.groupId] = { state: g.state, protocolType: g.protocolType, protocol: g.protocol, members: g.members.length }
  for (const groupId of groups) {
    out.offsets[groupId] = {}
    for (const [key, offset] of Object.entries(offsetsJson(await admin.fetchOffsets({ groupId }))))
      if (Number(offset) >= 0) out.offsets[groupId][key] = Number(offset)
  }
  await admin.disconnect()
  return out
}

const scenarios = { group: groupScenario, commit: commitScenario, committed: committedScenario, groups: groupsScenario }

run(scenarios)
