// fundwatch interoperability check with clients nobody on the team wrote:
// kafkajs (Kafka protocol) and @kafkajs/confluent-schema-registry (Confluent wire
// format + registry REST API, Avro via avsc).
//
// Normal mode: registers the input schemas, publishes a P2P platform, its
// PLATFORM_GENERAL account and clearing payments from an individual straight into
// that account (CUSTODY_BYPASS, DETECTION.md D3a), then waits for fundwatch's alert on
// alerts.early-warning and decodes it with the writer schema fetched by id.
//
// --self-test: no fundwatch needed; produces the same records (plus one committed and
// one aborted transactional payment) and reads the payments back read_committed.
//
// stdout: exactly one line, "interop: 1 passed, 0 failed" or "interop: 0 passed, 1 failed".
// Everything else goes to stderr. Exit code 0 / 1.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import kafkajs from 'kafkajs';
import csr from '@kafkajs/confluent-schema-registry';

const { Kafka, Partitioners, logLevel: LogLevel } = kafkajs;
const { SchemaRegistry, SchemaType } = csr;

// ---------------------------------------------------------------- configuration
const argv = process.argv.slice(2);
const SELF_TEST = argv.includes('--self-test');
const argTimeout = argv.find((a) => a.startsWith('--timeout='));
const BOOTSTRAP = (process.env.FUNDWATCH_BOOTSTRAP || '127.0.0.1:19092').split(',').map((s) => s.trim()).filter(Boolean);
const REGISTRY = (process.env.FUNDWATCH_REGISTRY || 'http://127.0.0.1:18081/apis/ccompat/v7').replace(/\/+$/, '');
const TIMEOUT_RAW = Number(argTimeout ? argTimeout.split('=')[1] : process.env.FUNDWATCH_INTEROP_TIMEOUT || 120);
const TIMEOUT_S = TIMEOUT_RAW > 0 ? TIMEOUT_RAW : 120;
const SCHEMA_DIR = process.env.FUNDWATCH_SCHEMA_DIR
  ? pathToFileURL(`${resolve(process.env.FUNDWATCH_SCHEMA_DIR)}/`)
  : new URL('../schemas/src/main/avro/', import.meta.url);
const KAFKAJS_LOG = (process.env.FUNDWATCH_INTEROP_KAFKAJS_LOG || 'WARN').toUpperCase();
const RESEND_MS = 3000;

const TOPIC = {
  platforms: process.env.FUNDWATCH_TOPIC_PLATFORMS || 'registry.platforms',
  accounts: process.env.FUNDWATCH_TOPIC_ACCOUNTS || 'registry.accounts',
  payments: process.env.FUNDWATCH_TOPIC_PAYMENTS || 'clearing.payments',
  alerts: process.env.FUNDWATCH_TOPIC_ALERTS || 'alerts.early-warning',
};

const PLATFORM_ID = 'P-INTEROP';
const GENERAL_ACCOUNT = 'ACC-INTEROP-GEN';
const PAYER_ACCOUNT = 'ACC-CARD-INTEROP';
const AMOUNT_MINOR = 12_345_600; // 123,456.00 yuan
const RUN = randomUUID().slice(0, 8); // paymentIds unique per run

// ---------------------------------------------------------------- output helpers
const t0 = Date.now();
const deadline = t0 + TIMEOUT_S * 1000;
const log = (msg) => process.stderr.write(`[interop +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);

class CheckFailure extends Error {}
let phase = 'starting';
const step = (name, msg) => { phase = name; log(msg); };
const fail = (msg) => { throw new CheckFailure(msg); };
const remainingMs = () => deadline - Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

let finished = false;
function finish(ok, reason) {
  if (finished) return;
  finished = true;
  if (!ok) log(`FAIL: ${reason}`);
  else log(`PASS${reason ? `: ${reason}` : ''}`);
  process.stdout.write(ok ? 'interop: 1 passed, 0 failed\n' : 'interop: 0 passed, 1 failed\n');
  process.exitCode = ok ? 0 : 1;
}

// kafkajs logs through this (stderr only; stdout is reserved for the verdict line).
const kafkaLogCreator = () => ({ namespace, level, label, log: entry }) => {
  const { message, timestamp, logger, ...extra } = entry;
  const rest = Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : '';
  process.stderr.write(`[kafkajs ${label} ${namespace}] ${message}${rest}\n`);
};

// ---------------------------------------------------------------- schemas
function readSchema(name) {
  const url = new URL(`${name}.avsc`, SCHEMA_DIR);
  const text = readFileSync(url, 'utf8');
  JSON.parse(text); // fail early and clearly on a broken file
  return text;
}

async function registerSchema(registry, subject, name) {
  const schema = { type: SchemaType.AVRO, schema: readSchema(name) };
  try {
    const { id } = await registry.register(schema, { subject });
    return id;
  } catch (e) {
    // The library insists that an existing subject's compatibility level equals the one
    // it is asked for (default BACKWARD). Whoever registered the subject first (fundwatch's
    // Java serde, the operator) owns that level: accept it instead of failing on it.
    const m = /\(BACKWARD != ([A-Z_]+)\)/.exec(String(e && e.message));
    if (m) {
      log(`  subject ${subject} has compatibility ${m[1]} (not BACKWARD); registering under it`);
      const { id } = await registry.register(schema, { subject, compatibility: m[1] });
      return id;
    }
    throw e;
  }
}

// ---------------------------------------------------------------- records
const platformRecord = () => ({
  platformId: PLATFORM_ID,
  name: 'Interop Check P2P Platform',
  kind: 'P2P_LENDING',
  licensed: true,
  custodianId: 'CB-1', // ["null","string"]: avsc (wrapUnions 'auto') takes plain values
  status: 'ACTIVE',
  registeredAt: Date.now() - 365 * 86_400_000, // timestamp-millis = long millis
  regionCode: '110000',
});

const accountRecord = () => ({
  accountId: GENERAL_ACCOUNT,
  bankId: 'B-1',
  platformId: PLATFORM_ID,
  holderPartyId: null,
  purpose: 'PLATFORM_GENERAL',
});

let paymentSeq = 0;
const paymentRecord = (tag = 'pay') => ({
  paymentId: `PAY-INTEROP-${RUN}-${tag}-${++paymentSeq}`,
  clearingHouse: 'NUCC',
  payerAccountId: PAYER_ACCOUNT,
  payerBankId: 'B-9',
  payerPartyId: 'pty-interop-1',
  payerPartyType: 'INDIVIDUAL',
  payeeAccountId: GENERAL_ACCOUNT,
  payeeBankId: 'B-1',
  payeePartyId: null,
  payeePartyType: 'CORPORATE',
  amountMinor: AMOUNT_MINOR,
  currency: 'CNY',
  paymentInstitutionId: null,
  purpose: 'interop check: investment paid into the platform general account',
  eventTime: Date.now(),
});

// ---------------------------------------------------------------- alert validation
const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const isStr = (v) => typeof v === 'string' && v.length > 0;
const isMillis = (v) => Number.isSafeInteger(v) && v > 0;
const isDoubleMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
  && Object.values(v).every((x) => typeof x === 'number');

/** Returns a list of problems with a decoded FundFlowAlert (empty = complete and sane). */
function alertProblems(a) {
  const p = [];
  const need = (cond, what) => { if (!cond) p.push(what); };
  need(isStr(a.alertId), `alertId=${JSON.stringify(a.alertId)}`);
  need(Number.isInteger(a.revision) && a.revision >= 1, `revision=${a.revision} (want int >= 1)`);
  need(a.detector === 'CUSTODY_BYPASS', `detector=${a.detector}`);
  need(SEVERITIES.includes(a.severity), `severity=${a.severity}`);
  need(typeof a.score === 'number' && a.score >= 0 && a.score <= 1, `score=${a.score} (want 0..1)`);
  need(a.subjectId === PLATFORM_ID, `subjectId=${a.subjectId}`);
  need(a.subjectType === 'PLATFORM', `subjectType=${a.subjectType}`);
  need(a.platformId === PLATFORM_ID, `platformId=${JSON.stringify(a.platformId)}`);
  need(a.regionCode === '110000', `regionCode=${JSON.stringify(a.regionCode)} (the platform's region is 110000)`);
  need(isMillis(a.windowStart), `windowStart=${a.windowStart}`);
  need(isMillis(a.windowEnd) && a.windowEnd > a.windowStart, `windowEnd=${a.windowEnd} (windowStart=${a.windowStart})`);
  need(isMillis(a.lastEventTime) && a.lastEventTime >= a.windowStart && a.lastEventTime <= a.windowEnd,
    `lastEventTime=${a.lastEventTime} (want within [windowStart, windowEnd])`);
  need(isMillis(a.detectedAt), `detectedAt=${a.detectedAt}`);
  need(isDoubleMap(a.metrics) && Object.keys(a.metrics).length > 0, `metrics=${JSON.stringify(a.metrics)}`);
  need(isDoubleMap(a.thresholds) && Object.keys(a.thresholds).length > 0, `thresholds=${JSON.stringify(a.thresholds)}`);
  need(Array.isArray(a.evidence) && a.evidence.length >= 1 && a.evidence.length <= 20,
    `evidence has ${Array.isArray(a.evidence) ? a.evidence.length : 'no'} entries (want 1..20)`);
  for (const [i, e] of (Array.isArray(a.evidence) ? a.evidence : []).entries()) {
    const ok = e && isStr(e.topic) && isStr(e.eventId) && Number.isSafeInteger(e.amountMinor)
      && isMillis(e.eventTime) && (e.counterpartyId === null || typeof e.counterpartyId === 'string');
    need(ok, `evidence[${i}]=${JSON.stringify(e)}`);
  }
  need(typeof a.ruleVersion === 'string', `ruleVersion=${JSON.stringify(a.ruleVersion)}`);
  need(isStr(a.summary), `summary=${JSON.stringify(a.summary)}`);
  return p;
}

// ---------------------------------------------------------------- kafka helpers
async function waitForTopics(admin, topics, { create = false } = {}) {
  for (let attempt = 0; ; attempt++) {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    if (create) {
      log(`creating missing topics ${missing.join(', ')} (self-test)`);
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: 1,
          configEntries: topic.startsWith('registry.') ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
        })),
      });
      continue;
    }
    if (remainingMs() < 2000) fail(`topic(s) never appeared: ${missing.join(', ')} (is fundwatch running against ${BOOTSTRAP.join(',')}?)`);
    if (attempt % 5 === 0) log(`waiting for topic(s) ${missing.join(', ')} to exist`);
    await sleep(1000);
  }
}

async function sendOne(producer, registry, topic, id, key, record) {
  const value = await registry.encode(id, record);
  const [meta] = await producer.send({ topic, acks: -1, messages: [{ key, value }] });
  return meta;
}

/** Starts a read_committed consumer (fresh group, from the beginning); onMessage may resolve the returned promise. */
async function startConsumer(kafka, topic, cleanups, onMessage) {
  const consumer = kafka.consumer({
    groupId: `fundwatch-interop-${RUN}-${randomUUID().slice(0, 6)}`,
    allowAutoTopicCreation: false,
    readUncommitted: false, // isolation.level=read_committed (also kafkajs's default)
    sessionTimeout: 30000,
    heartbeatInterval: 3000,
    maxWaitTimeInMs: 500,
  });
  let resolve;
  let reject;
  const done = new Promise((res, rej) => { resolve = res; reject = rej; });
  consumer.on(consumer.events.CRASH, (ev) => {
    const err = ev.payload && ev.payload.error;
    if (ev.payload && ev.payload.restart === false) reject(new CheckFailure(`consumer crashed: ${err && err.message}`));
    else log(`consumer error (kafkajs restarts it): ${err && err.message}`);
  });
  consumer.on(consumer.events.GROUP_JOIN, (ev) => log(`consumer joined group ${ev.payload.groupId} (${ev.payload.duration} ms)`));
  cleanups.push(() => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false, // throwaway group: nothing to commit
    eachMessage: async (payload) => {
      try {
        const r = await onMessage(payload);
        if (r !== undefined) resolve(r);
      } catch (e) {
        reject(e);
      }
    },
  });
  return { consumer, done };
}

function checkWireValue(buf, where) {
  if (!Buffer.isBuffer(buf)) fail(`${where}: null value (tombstone) where a record was expected`);
  if (buf.length < 5) fail(`${where}: value of ${buf.length} bytes is too short for the Confluent wire format`);
  if (buf[0] !== 0) fail(`${where}: byte 0 is ${buf[0]}, want magic byte 0`);
  return buf.readUInt32BE(1);
}

// ---------------------------------------------------------------- the check
async function main() {
  log(`mode=${SELF_TEST ? 'self-test' : 'fundwatch'} bootstrap=${BOOTSTRAP.join(',')} registry=${REGISTRY} timeout=${TIMEOUT_S}s run=${RUN}`);
  const registryOpts = { host: REGISTRY, clientId: 'fundwatch-interop', retry: { retries: 3 } };
  const registry = new SchemaRegistry(registryOpts);
  // A second client with an empty cache: decoding must fetch the writer schema by id.
  const decoder = new SchemaRegistry(registryOpts);

  const kafka = new Kafka({
    clientId: 'fundwatch-interop',
    brokers: BOOTSTRAP,
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5000 },
    logLevel: LogLevel[KAFKAJS_LOG] ?? LogLevel.WARN,
    logCreator: kafkaLogCreator,
  });
  const cleanups = [];
  // Overall bound: fires just after the mode-specific timeouts, so theirs (more telling) win.
  const overall = sleep(remainingMs() + 500).then(() => {
    throw new CheckFailure(`timed out after ${TIMEOUT_S}s while ${phase}`);
  });
  overall.catch(() => {});
  try {
    return await Promise.race([body(kafka, registry, decoder, cleanups), overall]);
  } finally {
    for (const c of cleanups.reverse()) {
      try { await Promise.race([c(), sleep(5000)]); } catch (e) { log(`disconnect: ${e.message}`); }
    }
    log('disconnected');
  }
}

async function body(kafka, registry, decoder, cleanups) {
  // a. schemas
  step(`registering schemas at ${REGISTRY}`, 'a. registering contract schemas (TopicNameStrategy, <topic>-value)');
  const ids = {};
  for (const [topic, name] of [[TOPIC.platforms, 'Platform'], [TOPIC.accounts, 'AccountRegistration'], [TOPIC.payments, 'ClearingPayment']]) {
    ids[topic] = await registerSchema(registry, `${topic}-value`, name);
    log(`  ${topic}-value <- fundwatch.avro.${name}: schema id ${ids[topic]}`);
  }

  // kafka connectivity + topics
  phase = `connecting to Kafka at ${BOOTSTRAP.join(',')}`;
  const admin = kafka.admin();
  cleanups.push(() => admin.disconnect());
  await admin.connect();
  const cluster = await admin.describeCluster();
  log(`connected to Kafka cluster ${cluster.clusterId} (${cluster.brokers.length} broker(s), controller ${cluster.controller})`);
  const inputTopics = [TOPIC.platforms, TOPIC.accounts, TOPIC.payments];
  await waitForTopics(admin, SELF_TEST ? inputTopics : [...inputTopics, TOPIC.alerts], { create: SELF_TEST });

  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner, // Java-compatible murmur2 on the key
  });
  cleanups.push(() => producer.disconnect());
  await producer.connect();

  // b. registry records
  step('producing registry records', 'b. producing registry records');
  let m = await sendOne(producer, registry, TOPIC.platforms, ids[TOPIC.platforms], PLATFORM_ID, platformRecord());
  log(`  Platform ${PLATFORM_ID} (P2P_LENDING, region 110000) -> ${TOPIC.platforms}[${m.partition}]@${m.baseOffset}`);
  m = await sendOne(producer, registry, TOPIC.accounts, ids[TOPIC.accounts], GENERAL_ACCOUNT, accountRecord());
  log(`  AccountRegistration ${GENERAL_ACCOUNT} (PLATFORM_GENERAL of ${PLATFORM_ID}) -> ${TOPIC.accounts}[${m.partition}]@${m.baseOffset}`);

  if (SELF_TEST) return await selfTest(kafka, producer, registry, decoder, ids, cleanups);
  return await fundwatchTest(kafka, producer, registry, decoder, ids, cleanups);
}

async function fundwatchTest(kafka, producer, registry, decoder, ids, cleanups) {
  const sent = new Map(); // paymentId -> record
  let seen = 0;
  let older = 0;
  step(`waiting for the CUSTODY_BYPASS alert on ${TOPIC.alerts}`, `c. consuming ${TOPIC.alerts} (fresh group, from beginning, read_committed)`);
  const { done } = await startConsumer(kafka, TOPIC.alerts, cleanups, async ({ partition, message }) => {
    seen++;
    const where = `${TOPIC.alerts}[${partition}]@${message.offset}`;
    if (message.value === null) { log(`  ${where}: tombstone, skipped`); return undefined; }
    const schemaId = checkWireValue(message.value, where);
    let alert;
    try {
      alert = await decoder.decode(message.value);
    } catch (e) {
      fail(`${where}: cannot decode with writer schema id ${schemaId} from the registry: ${e.message}`);
    }
    if (alert.detector !== 'CUSTODY_BYPASS' || alert.subjectId !== PLATFORM_ID) return undefined;
    const key = message.key === null ? null : message.key.toString('utf8');
    const ours = (alert.evidence || []).filter((e) => sent.has(e.eventId));
    const line = `  ${where}: CUSTODY_BYPASS ${alert.alertId} rev ${alert.revision} ${alert.severity} key=${JSON.stringify(key)} schemaId=${schemaId} evidence=${(alert.evidence || []).length}`;
    if (ours.length === 0) { // an alert about earlier payments (earlier run on the same cluster)
      if (++older <= 3) log(`${line} (none of ours${older === 3 ? '; not logging further such alerts' : ''})`);
      return undefined;
    }
    log(`${line} (ours: ${ours.length})`);
    if (key !== PLATFORM_ID) fail(`${where}: message key is ${JSON.stringify(key)}, want "${PLATFORM_ID}" (subjectId)`);
    const problems = alertProblems(alert);
    if (problems.length) fail(`${where}: alert ${alert.alertId} is incomplete or wrong: ${problems.join('; ')}`);
    const bad = ours.filter((e) => e.topic !== TOPIC.payments || e.amountMinor !== AMOUNT_MINOR || e.eventTime !== sent.get(e.eventId).eventTime);
    if (bad.length) fail(`${where}: evidence does not match what we sent: ${JSON.stringify(bad)}`);
    const writer = await decoder.getSchema(schemaId);
    if (writer.name !== 'fundwatch.avro.FundFlowAlert') fail(`${where}: writer schema ${schemaId} is ${writer.name}, want fundwatch.avro.FundFlowAlert`);
    return { alert, where, schemaId };
  });

  // Keep paying into the general account until the alert shows up: fundwatch loads the
  // registry topics asynchronously, so early payments may precede its view of P-INTEROP.
  let result = null;
  done.then((r) => { result = r; }, () => {});
  const timeout = sleep(remainingMs()).then(() => { throw new CheckFailure(`no CUSTODY_BYPASS alert for ${PLATFORM_ID} listing one of our ${sent.size} payment(s) within ${TIMEOUT_S}s (${seen} alert(s) read from ${TOPIC.alerts})`); });
  timeout.catch(() => {});
  const pay = async () => {
    while (!result && !finished && remainingMs() > 0) {
      const p = paymentRecord();
      const meta = await sendOne(producer, registry, TOPIC.payments, ids[TOPIC.payments], PAYER_ACCOUNT, p);
      sent.set(p.paymentId, p);
      log(`  ClearingPayment ${p.paymentId} 123,456 CNY ${PAYER_ACCOUNT} (INDIVIDUAL) -> ${GENERAL_ACCOUNT} -> ${TOPIC.payments}[${meta.partition}]@${meta.baseOffset}`);
      await Promise.race([done.catch(() => {}), sleep(Math.min(RESEND_MS, remainingMs()))]);
    }
  };
  const payer = pay();
  const r = await Promise.race([done, timeout, payer.then(() => new Promise(() => {}))]);
  await payer.catch(() => {});
  const { alert, where, schemaId } = r;
  log(`  alert ${alert.alertId}: ${alert.summary}`);
  return `CUSTODY_BYPASS alert ${alert.alertId} (rev ${alert.revision}, ${alert.severity}, score ${alert.score}) at ${where}, writer schema id ${schemaId}, decoded by @kafkajs/confluent-schema-registry`;
}

async function selfTest(kafka, producer, registry, decoder, ids, cleanups) {
  // Three payments on the same key (same partition, in this order):
  //   aborted: in a transaction that is aborted   -> must NOT be seen read_committed
  //   txn:     in a transaction that is committed -> must be seen
  //   plain:   idempotent, non-transactional       -> must be seen (its arrival ends the read)
  phase = 'producing transactional payments';
  const aborted = paymentRecord('aborted');
  const committed = paymentRecord('txn');
  const plain = paymentRecord('plain');
  const txProducer = kafka.producer({
    transactionalId: `fundwatch-interop-${RUN}`,
    idempotent: true,
    // kafkajs warns unless an idempotent producer retries "forever"; the run's timeout bounds it.
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 2000 },
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  cleanups.push(() => txProducer.disconnect());
  await txProducer.connect();
  for (const [rec, commit] of [[aborted, false], [committed, true]]) {
    const tx = await txProducer.transaction();
    await tx.send({ topic: TOPIC.payments, messages: [{ key: PAYER_ACCOUNT, value: await registry.encode(ids[TOPIC.payments], rec) }] });
    if (commit) await tx.commit(); else await tx.abort();
    log(`  ClearingPayment ${rec.paymentId} in a transaction, ${commit ? 'committed' : 'aborted'}`);
  }
  const meta = await sendOne(producer, registry, TOPIC.payments, ids[TOPIC.payments], PAYER_ACCOUNT, plain);
  log(`  ClearingPayment ${plain.paymentId} -> ${TOPIC.payments}[${meta.partition}]@${meta.baseOffset}`);

  step(`reading own payments back from ${TOPIC.payments}`, `c. self-test: consuming ${TOPIC.payments} back (fresh group, from beginning, read_committed)`);
  const got = new Map();
  const { done } = await startConsumer(kafka, TOPIC.payments, cleanups, async ({ partition, message }) => {
    const where = `${TOPIC.payments}[${partition}]@${message.offset}`;
    const schemaId = checkWireValue(message.value, where);
    const rec = await decoder.decode(message.value); // writer schema fetched by id
    if (![aborted, committed, plain].some((p) => p.paymentId === rec.paymentId)) return undefined;
    const key = message.key && message.key.toString('utf8');
    log(`  ${where}: ${rec.paymentId} key=${key} schemaId=${schemaId}`);
    if (key !== PAYER_ACCOUNT) fail(`${where}: key ${JSON.stringify(key)}, want ${PAYER_ACCOUNT}`);
    if (schemaId !== ids[TOPIC.payments]) fail(`${where}: schema id ${schemaId}, want ${ids[TOPIC.payments]}`);
    got.set(rec.paymentId, { ...rec });
    return rec.paymentId === plain.paymentId ? true : undefined;
  });
  const timeout = sleep(remainingMs()).then(() => { throw new CheckFailure(`own payment ${plain.paymentId} not read back within ${TIMEOUT_S}s`); });
  timeout.catch(() => {});
  await Promise.race([done, timeout]);

  if (got.has(aborted.paymentId)) fail(`read_committed consumer saw the aborted payment ${aborted.paymentId}`);
  if (!got.has(committed.paymentId)) fail(`committed transactional payment ${committed.paymentId} was not read before ${plain.paymentId}`);
  for (const rec of [committed, plain]) {
    if (!isDeepStrictEqual(got.get(rec.paymentId), rec)) {
      fail(`round trip changed the record:\n  sent ${JSON.stringify(rec)}\n  got  ${JSON.stringify(got.get(rec.paymentId))}`);
    }
  }
  return `own ClearingPayments round-tripped (encode -> Kafka -> decode by schema id ${ids[TOPIC.payments]}); committed transaction visible, aborted one not`;
}

// ---------------------------------------------------------------- run, bounded
const hardStop = setTimeout(() => {
  finish(false, `hard timeout: still running ${TIMEOUT_S + 20}s after start`);
  process.exit(1);
}, (TIMEOUT_S + 20) * 1000);
hardStop.unref();

main().then(
  (summary) => finish(true, summary),
  (e) => finish(false, e instanceof CheckFailure ? e.message
    : `while ${phase}: ${e && e.name}: ${e && e.message}${e && e.paths ? ` (invalid fields: ${JSON.stringify(e.paths)})` : ''}`),
).finally(() => {
  // kafkajs may keep sockets/timers for a moment after disconnect; don't let them hold the exit.
  setTimeout(() => process.exit(process.exitCode ?? 1), 1000).unref();
});
