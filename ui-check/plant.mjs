// Plants a self-financing scheme (DETECTION.md D8a) in a running fundwatch through the public contract, so that
// the browser test has a SELF_FINANCING alert and its traced path to look at without a simulated market: a P2P
// platform with its custody master, general and related-party accounts; a ¥1,200,000 loan to a shell company
// (the custody LOAN_DISBURSEMENT and the custody master's clearing payment), which pays it on to an intermediary,
// which pays ¥1,150,000 into the platform's related-party account — three payments after the origin.
//
//   node plant.mjs [--base URL]
// --base                fundwatch's HTTP, to wait until the registry entries are in (default http://127.0.0.1:18080)
// FUNDWATCH_BOOTSTRAP   the broker (127.0.0.1:19092); FUNDWATCH_REGISTRY the registry's Confluent-compatible API
//                       (http://127.0.0.1:18081/apis/ccompat/v7), as for interop/.
// Prints the platform id. Ids are fresh per run, so a second run plants a second scheme.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import csr from '@kafkajs/confluent-schema-registry';

const { Kafka, Partitioners, logLevel } = kafkajs;
const { SchemaRegistry, SchemaType } = csr;
const argv = process.argv.slice(2);
const i = argv.indexOf('--base');
const base = (i >= 0 ? argv[i + 1] : process.env.FUNDWATCH_UI_BASE || 'http://127.0.0.1:18080').replace(/\/$/, '');
const bootstrap = (process.env.FUNDWATCH_BOOTSTRAP || '127.0.0.1:19092').split(',');
const registry = new SchemaRegistry({ host: process.env.FUNDWATCH_REGISTRY || 'http://127.0.0.1:18081/apis/ccompat/v7' });
const SCHEMAS = new URL('../schemas/src/main/avro/', import.meta.url);
const run = randomUUID().slice(0, 6).toUpperCase();
const P = 'P-UI-' + run;
const log = (m) => process.stderr.write('plant: ' + m + '\n');

async function schemaId(topic, name) {
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: readFileSync(new URL(name + '.avsc', SCHEMAS),
    'utf8') }, { subject: topic + '-value' });
  return id;
}

const kafka = new Kafka({ brokers: bootstrap, clientId: 'fundwatch-ui-plant', logLevel: logLevel.WARN });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
await producer.connect();
try {
  const ids = {};
  for (const [topic, name] of [['registry.platforms', 'Platform'], ['registry.accounts', 'AccountRegistration'],
    ['custody.transactions', 'CustodyTransaction'], ['clearing.payments', 'ClearingPayment']]) {
    ids[topic] = await schemaId(topic, name);
  }
  const send = async (topic, key, record) => producer.send({ topic, acks: -1,
    messages: [{ key, value: await registry.encode(ids[topic], record) }] });

  await send('registry.platforms', P, { platformId: P, name: 'UI check self-financing lender', kind: 'P2P_LENDING',
    licensed: true, custodianId: 'CB-1', status: 'ACTIVE', registeredAt: Date.parse('2019-01-01T00:00:00Z'),
    regionCode: '440300' });
  const accounts = [[P + '-CM', 'CUSTODY_MASTER', 'pty-' + P], [P + '-GEN', 'PLATFORM_GENERAL', 'pty-' + P],
    [P + '-RP', 'RELATED_PARTY', 'pty-exec-' + run]];
  for (const [accountId, purpose, holderPartyId] of accounts) {
    await send('registry.accounts', accountId, { accountId, bankId: 'BANK-1', platformId: P, holderPartyId, purpose });
  }
  // The payments are judged against the registry: wait until fundwatch shows all three accounts.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await fetch(base + '/platforms/' + P).catch(() => null);
    const body = r && r.ok ? await r.json() : null;
    if (body && Array.isArray(body.accounts) && body.accounts.length === accounts.length) break;
    if (Date.now() > deadline) throw new Error('fundwatch did not show the accounts of ' + P + ' within 60 s');
    await new Promise((res) => setTimeout(res, 500));
  }

  const t0 = Date.now() - 6 * 3600_000;
  const at = (hours) => t0 + Math.round(hours * 3600_000);
  const shell = 'ACC-SHELL-' + run;
  const middle = 'ACC-MID-' + run;
  const payment = (id, payer, payee, yuan, hours) => ({ paymentId: id + '-' + run, clearingHouse: 'CNAPS',
    payerAccountId: payer, payerBankId: 'BANK-2', payerPartyId: 'pty-' + payer, payerPartyType: 'CORPORATE',
    payeeAccountId: payee, payeeBankId: 'BANK-1', payeePartyId: 'pty-' + payee, payeePartyType: 'CORPORATE',
    amountMinor: yuan * 100, currency: 'CNY', paymentInstitutionId: null, purpose: null, eventTime: at(hours) });
  await send('custody.transactions', P, { eventId: 'LOAN-' + run, custodianId: 'CB-1', platformId: P,
    type: 'LOAN_DISBURSEMENT', debitAccountId: 'SUB-' + shell, creditAccountId: shell, debitRole: 'BORROWER',
    creditRole: 'EXTERNAL', debitPartyId: 'pty-' + shell, creditPartyId: 'pty-' + shell, amountMinor: 120_000_000,
    currency: 'CNY', productId: null, eventTime: at(0) });
  for (const p of [payment('PAY-LOAN', P + '-CM', shell, 1_200_000, 0.1), payment('PAY-ON', shell, middle, 1_200_000, 1),
    payment('PAY-BACK', middle, P + '-RP', 1_150_000, 2)]) {
    await send('clearing.payments', p.payerAccountId, p);
  }
  log('planted a self-financing scheme on ' + P + ': ' + P + '-CM -> ' + shell + ' -> ' + middle + ' -> ' + P + '-RP');
  console.log(P);
} finally {
  await producer.disconnect();
}
