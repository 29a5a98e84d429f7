// What the kafkajs_* peer scripts share: the command line, a kafkajs client logging to stderr, failing and
// waiting, and running one scenario under a watchdog that turns a hang into a clear failure.
'use strict'
const { Kafka, logLevel } = require('kafkajs')

const [bootstrap, scenario, ...args] = process.argv.slice(2)
const TIMEOUT = 30000 // ms for any one wait (a group to settle, records to arrive)
const WATCHDOG = 170000 // ms for a whole scenario
const runId = process.pid.toString(16) + (Date.now() & 0xffffff).toString(16)
const unique = kind => `kjs-${scenario.replace(/_/g, '-')}-${kind}-${runId}`

const toStderr = () => ({ namespace, label, log }) => {
  const { message, timestamp, logger, ...extra } = log
  process.stderr.write(`${label} [${namespace}] ${message} ${JSON.stringify(extra)}\n`)
}

const makeKafka = (clientId, retries) =>
  new Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: logLevel.WARN,
    logCreator: toStderr,
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: { retries },
  })

class Failure extends Error {}
const fail = message => {
  throw new Failure(message)
}
const log = message => process.stderr.write(`${(Date.now() / 1000).toFixed(3)} ${message}\n`)
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function waitFor(condition, what, state, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout
  while (!condition()) {
    if (Date.now() > deadline) fail(`${what}: not within ${timeout / 1000} s; ${JSON.stringify(state())}`)
    await sleep(50)
  }
}

// Runs `scenario` from `scenarios`, prints its result on one RESULT line and exits: 0, 2 on a failure, 3 on a hang.
function run(scenarios) {
  async function main() {
    if (!scenarios[scenario]) fail(`unknown scenario ${scenario}`)
    const timer = setTimeout(() => {
      process.stderr.write(`FAILED: scenario ${scenario} did not finish within ${WATCHDOG / 1000} s\n`)
      process.exit(3)
    }, WATCHDOG)
    const result = await scenarios[scenario]()
    clearTimeout(timer)
    process.stdout.write('RESULT ' + JSON.stringify(result) + '\n')
  }
  main().then(
    () => process.exit(0),
    err => {
      const why = err instanceof Failure ? err.message : err && err.stack ? err.stack : String(err)
      process.stderr.write('FAILED: ' + why + '\n')
      process.exit(2)
    }
  )
}

module.exports = { bootstrap, scenario, args, TIMEOUT, unique, makeKafka, fail, log, sleep, waitFor, run }
