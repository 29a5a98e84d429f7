// Produces the messages of a JSON spec read from stdin with kafkajs (pure JavaScript).
// NODE_PATH must point at tests/peers/node_modules. Exit status 0 only if the send succeeded.
'use strict'
const { Kafka, CompressionTypes, logLevel } = require('kafkajs')

const unhex = value => (value === null ? null : Buffer.from(value, 'hex'))

async function main() {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  const spec = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  const compression = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP }[spec.compression]
  if (compression === undefined) throw new Error(`kafkajs has no built-in codec ${spec.compression}`)

  const kafka = new Kafka({
    clientId: spec.clientId,
    brokers: [spec.bootstrap],
    logLevel: logLevel.WARN,
    connectionTimeout: 5000,
    requestTimeout: 10000,
    retry: { retries: 0 },
  })
  const producer = kafka.producer()
  await producer.connect()
  await producer.send({
    topic: spec.topic,
    acks: spec.acks,
    compression,
    messages: spec.messages.map(m => {
      // kafkajs takes headers as an object; repeated names become an array of values.
      const headers = {}
      for (const [name, value] of m.headers) {
        if (name in headers) headers[name] = [].concat(headers[name], unhex(value))
        else headers[name] = unhex(value)
      }
      return { key: unhex(m.key), value: unhex(m.value), headers }
    }),
  })
  await producer.disconnect()
}

main().then(
  () => process.exit(0),
  err => {
    console.error(err && err.stack ? err.stack : String(err))
    process.exit(1)
  }
)
