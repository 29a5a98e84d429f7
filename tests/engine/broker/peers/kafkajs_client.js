// kafkajs against partitad: usage node kafkajs_client.js BOOTSTRAP SCENARIO (NODE_PATH=tests/peers/node_modules); prints JSON results.
'use strict'
const { Kafka, logLevel } = require('kafkajs')

const [bootstrap, scenario] = process.argv.slice(2)

const kafka = new Kafka({
  clientId: 'partita-peers-kafkajs',
  brokers: [bootstrap],
  logLevel: logLevel.WARN,
  connectionTimeout: 5000,
  requestTimeout: 20000,
  retry: { retries: 2 },
})

async function settle(promise) {
  try {
    return { ok: true, result: await promise }
  } catch (e) {
    return { ok: false, error: e.type || e.name, message: e.message }
  }
}

async function produce() {
  const topic = 'kjs-produce'
  const out = {}
  const admin = kafka.admin()
  await admin.connect()
  const producer = kafka.producer({ allowAutoTopicCreation: true })
  await producer.connect()
  const base = Date.now() - 100000
  out.base = base
  out.sent = []
  // Two sends of 10 records, timestamps base + 1000 * i.
  for (const batch of [0, 1]) {
    const messages = []
    for (let i = batch * 10; i < batch * 10 + 10; i++)
      messages.push({ key: `k-${i}`, value: `v-${i}`, partition: 0, timestamp: String(base + 1000 * i) })
    const result = await producer.send({ topic, acks: -1, messages })
    out.sent.push(result.map(r => ({ partition: r.partition, errorCode: r.errorCode, baseOffset: r.baseOffset })))
  }
  await producer.disconnect()
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
  out.metadata = metadata.topics.map(t => ({
    name: t.name,
    partitions: t.partitions.map(p => ({ partitionId: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr })),
  }))
  out.offsets = await admin.fetchTopicOffsets(topic)
  out.byTimestamp = {}
  for (const [name, ts] of Object.entries({ first: base - 5000, exact5: base + 5000, between: base + 5500, future: base + 1e7 }))
    out.byTimestamp[name] = await admin.fetchTopicOffsetsByTimestamp(topic, ts)
  const cluster = await admin.describeCluster()
  out.cluster = { brokers: cluster.brokers.length, controller: cluster.controller, clusterId: cluster.clusterId }
  await admin.disconnect()
  return out
}

async function adminScenario() {
  const topic = 'kjs-admin'
  const out = {}
  const admin = kafka.admin()
  await admin.connect()
  out.create = await settle(
    admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 2, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
    })
  )
  out.createAgain = await settle(admin.createTopics({ topics: [{ topic, numPartitions: 2 }] }))
  out.listed = (await admin.listTopics()).includes(topic)
  const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic }] })
  out.describe = described.resources.map(r => ({
    errorCode: r.errorCode,
    resourceName: r.resourceName,
    retention: (r.configEntries.find(e => e.configName === 'retention.ms') || {}).configValue,
    count: r.configEntries.length,
  }))
  const brokerConfigs = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: 4, name: '1' }] })
  out.brokerConfigCount = brokerConfigs.resources[0].configEntries.length
  out.delete = await settle(admin.deleteTopics({ topics: [topic], timeout: 10000 }))
  await new Promise(r => setTimeout(r, 500))
  out.listedAfterDelete = (await admin.listTopics()).includes(topic)
  out.deleteMissing = await settle(admin.deleteTopics({ topics: ['kjs-never-existed'], timeout: 5000 }))
  await admin.disconnect()
  return out
}

const scenarios = { produce, admin: adminScenario }

async function main() {
  if (!scenarios[scenario]) throw new Error(`unknown scenario ${scenario}`)
  const timer = setTimeout(() => {
    console.error('FAILED: scenario did not finish within 60 s')
    process.exit(3)
  }, 60000)
  const result = await scenarios[scenario]()
  clearTimeout(timer)
  process.stdout.write('RESULT ' + JSON.stringify(result) + '\n')
}

main().then(
  () => process.exit(0),
  err => {
    console.error('FAILED: ' + (err && err.stack ? err.stack : String(err)))
    process.exit(2)
  }
)
