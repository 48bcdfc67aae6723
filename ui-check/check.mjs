// Browser test of fundwatch's analyst page (/ui/) in Debian's chromium, headless, over the DevTools protocol
// (puppeteer-core; no browser download). It checks what a person would see: the alert list has rows; an alert of
// detector SELF_FINANCING, chosen through the page's own filter, draws a flow graph with a node for every account
// on its traced paths, its origin platform and its final account marked; and it saves screenshots.
//
//   node check.mjs [--base URL] [--token TOKEN] [--out DIR] [--timeout SECONDS] [--alert-list-only] [--fixture]
//
// --base             fundwatch's HTTP (env FUNDWATCH_UI_BASE; default http://127.0.0.1:18080)
// --token            a bearer token, typed into the page's token form (env FUNDWATCH_UI_TOKEN)
// --out              where the PNG screenshots go (env FUNDWATCH_UI_OUT; default <repo>/target/ui-screenshots,
//                    its fixture/ with --fixture)
// --timeout          how long to wait for alerts and for a SELF_FINANCING alert (env FUNDWATCH_UI_TIMEOUT; 120)
// --alert-list-only  the one allowed leniency, for a fundwatch without the look-through detectors: check the alert
//                    list only and pass when no SELF_FINANCING alert exists (env FUNDWATCH_UI_ALERT_LIST_ONLY=1).
//                    Without it, no SELF_FINANCING alert within the timeout FAILS the check.
// --fixture          no fundwatch: serve the page from the source tree with fixture.json's data (fixture.mjs);
//                    with --token, the fixture's JSON requires it, as fundwatch with bearer tokens does
// Env CHROMIUM: the browser (default /usr/bin/chromium).
import puppeteer from 'puppeteer-core';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const DETECTOR = 'SELF_FINANCING';
const timeoutMs = Number(option('--timeout', process.env.FUNDWATCH_UI_TIMEOUT || '120')) * 1000;
const outDir = path.resolve(option('--out', process.env.FUNDWATCH_UI_OUT || path.join(here, '..', 'target',
  'ui-screenshots', flag('--fixture') ? 'fixture' : '.')));
const token = option('--token', process.env.FUNDWATCH_UI_TOKEN || '');
const alertListOnly = flag('--alert-list-only') || process.env.FUNDWATCH_UI_ALERT_LIST_ONLY === '1';
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';

let fixture = null;
let base = option('--base', process.env.FUNDWATCH_UI_BASE || 'http://127.0.0.1:18080').replace(/\/$/, '');
if (flag('--fixture')) {
  fixture = await (await import('./fixture.mjs')).startFixture(token);
  base = fixture.base;
}

const started = Date.now();
const log = (...a) => console.log('ui-check [' + ((Date.now() - started) / 1000).toFixed(1) + ' s]', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await fs.mkdir(outDir, { recursive: true });
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  // --no-sandbox: CI runs as root, where chromium refuses its sandbox; the page is our own, on loopback.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--lang=en-US'],
  defaultViewport: { width: 1600, height: 1000 },
});
const problems = [];
let page;
let exitCode = 1;
try {
  page = await browser.newPage();
  page.on('pageerror', (e) => problems.push('uncaught error in the page: ' + e.message));
  page.on('console', (m) => {
    // A blocked script or style would show here; failed fetches (a 404 trace) are the page's business.
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  page.on('requestfailed', (r) => {
    if (!r.url().startsWith(base)) problems.push('a request left fundwatch: ' + r.url());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) problems.push('request outside fundwatch: ' + r.url());
  });

  log('chromium', await browser.version(), 'opens', base + '/ui/');
  const response = await page.goto(base + '/ui/', { waitUntil: 'load' });
  if (!response || response.status() !== 200) throw new Error('GET /ui/ answered ' + (response && response.status()));
  if (token) {
    // As an analyst would: the page answers the 401 by opening its token form; the token, Use.
    const asked = await page.waitForSelector('#token-form:not([hidden])', { timeout: 10000 }).then(() => true,
      () => false);
    if (!asked && fixture) throw new Error('the page did not ask for the token after a 401');
    if (!asked) await page.click('#token-toggle');
    log(asked ? 'the page asks for a bearer token (401): typing it' : 'no 401: typing the token anyway');
    await page.type('#token', token);
    await page.click('#token-form button[type=submit]');
  }

  // The alert list has rows: wait for them, asking again (the Apply button) while fundwatch is still catching up.
  const rows = await waitForRows(null);
  if (!rows) throw new Error('the alert list stayed empty for ' + timeoutMs / 1000 + ' s: ' + await statusText());
  const listed = await page.$$eval('#alerts tbody tr', (trs) => trs.map((tr) => ({
    detector: tr.dataset.detector, cells: [...tr.cells].map((c) => c.textContent) })));
  for (const r of listed) {
    if (r.cells.length !== 8 || !r.cells[0] || !r.cells[1] || !r.cells[2]) {
      throw new Error('an alert row lacks time, severity or detector: ' + JSON.stringify(r.cells));
    }
  }
  log('alert list:', listed.length, 'rows, detectors', [...new Set(listed.map((r) => r.detector))].join(' '));
  await page.screenshot({ path: path.join(outDir, 'analyst-alerts.png') });

  // An alert of the look-through detector, found through the detector filter.
  const found = await waitForRows(DETECTOR);
  if (!found) {
    await page.screenshot({ path: path.join(outDir, 'analyst-no-' + DETECTOR.toLowerCase() + '.png') });
    if (alertListOnly) {
      log('no', DETECTOR, 'alert; --alert-list-only: the alert list was checked, the graph was not');
      exitCode = problems.length ? 1 : 0;
    } else {
      throw new Error('no ' + DETECTOR + ' alert within ' + timeoutMs / 1000 + ' s (a planted self-financing '
        + 'scheme should have raised one): ' + await statusText());
    }
  } else {
    await checkGraph();
    exitCode = problems.length ? 1 : 0;
  }
} catch (e) {
  problems.push(e.message);
  if (page) await page.screenshot({ path: path.join(outDir, 'analyst-failure.png') }).catch(() => {});
} finally {
  await browser.close();
  if (fixture) fixture.close();
}
for (const p of problems) console.error('ui-check FAILED: ' + p);
log(exitCode === 0 ? 'passed; screenshots in ' + outDir : 'failed; screenshots in ' + outDir);
process.exit(exitCode);

async function statusText() {
  return page.$eval('#status', (s) => s.textContent).catch(() => '?');
}

/** Sets the detector filter (null: any), applies it, and waits for rows of it; false when none came in time. */
async function waitForRows(detector) {
  await page.$eval('#f-detector', (input, d) => { input.value = d || ''; }, detector);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await page.click('#apply');
    const ok = await page.waitForFunction((d) => {
      const trs = [...document.querySelectorAll('#alerts tbody tr')];
      return trs.length > 0 && (!d || trs.some((tr) => tr.dataset.detector === d));
    }, { timeout: 3000, polling: 200 }, detector).then(() => true, () => false);
    if (ok) return true;
  }
  return false;
}

async function checkGraph() {
  // Let any list request still in flight land first, so that the row chosen is the one that stays.
  await page.waitForFunction(() => !/loading/.test(document.querySelector('#status').textContent), { timeout: 30000 });
  const alertId = await page.$eval('#alerts tbody tr[data-detector="' + DETECTOR + '"]', (tr) => tr.dataset.alertId);
  log('selects', DETECTOR, 'alert', alertId);
  // Clicked in the page, on the row there now: a list refreshed in between would detach a handle taken before.
  await page.$eval('#alerts tbody tr[data-detector="' + DETECTOR + '"]', (tr) => tr.click());
  await page.waitForFunction(() => document.querySelector('#paths .path')
    || /no trace|trace:/.test(document.querySelector('#trace-message').textContent), { timeout: 30000 });
  const traceMessage = await page.$eval('#trace-message', (m) => m.textContent);
  if (!await page.$('#paths .path')) throw new Error('the page shows no traced path for ' + alertId + ': ' + traceMessage);

  // What the graph must show, from the endpoint the page draws: every account of every path.
  const headers = token ? { Authorization: 'Bearer ' + token } : {};
  const traceResponse = await fetch(base + '/alerts/' + encodeURIComponent(alertId) + '/trace', { headers });
  if (traceResponse.status !== 200) throw new Error('GET /alerts/' + alertId + '/trace answered ' + traceResponse.status);
  const trace = await traceResponse.json();
  const accounts = new Set();
  const payments = new Map();
  for (const p of trace.paths) {
    accounts.add(p.finalAccountId);
    for (const h of p.hops) {
      accounts.add(h.payerAccountId);
      accounts.add(h.payeeAccountId);
      payments.set(h.paymentId, h);
    }
  }
  // Layout and drawing happen on animation frames: let two pass before reading positions and taking the picture.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const nodes = await page.evaluate(() => window.fundwatchUi.graphNodes());
  const edges = await page.evaluate(() => window.fundwatchUi.graphEdges());
  const byAccount = new Map(nodes.filter((n) => n.account).map((n) => [n.account, n]));
  for (const a of accounts) {
    const n = byAccount.get(a);
    if (!n) throw new Error('the graph has no node for account ' + a + ' of the traced path');
    if (!n.visible || !n.inView) throw new Error('the node of account ' + a + ' is not in view');
  }
  for (const p of trace.paths) {
    if (byAccount.get(p.finalAccountId).kind !== 'final') throw new Error('final account ' + p.finalAccountId + ' is not marked');
    if (!nodes.some((n) => n.kind === 'origin' && n.platform === p.originPlatformId && n.inView)) {
      throw new Error('origin platform ' + p.originPlatformId + ' is not marked in the graph');
    }
  }
  // Each payment an arrow from its payer's node to its payee's, labelled with an amount.
  const accountOf = new Map(nodes.map((n) => [n.id, n.account]));
  for (const [id, h] of payments) {
    const e = edges.find((x) => x.payment === id);
    if (!e || !/¥/.test(e.label)) throw new Error('no arrow with an amount for payment ' + id);
    if (accountOf.get(e.source) !== h.payerAccountId || accountOf.get(e.target) !== h.payeeAccountId) {
      throw new Error('payment ' + id + ' is drawn from ' + accountOf.get(e.source) + ' to ' + accountOf.get(e.target)
        + ', not from ' + h.payerAccountId + ' to ' + h.payeeAccountId);
    }
  }
  // The same accounts in the path table a person reads under the graph.
  const tableText = await page.$eval('#paths', (p) => p.textContent);
  for (const a of accounts) {
    if (!tableText.includes(a)) throw new Error('the path table does not name account ' + a);
  }
  // The graph is a canvas: it must not be blank.
  const painted = await page.evaluate(() => [...document.querySelectorAll('#graph canvas')].some((c) => {
    const ctx = c.getContext('2d');
    if (!ctx || !c.width || !c.height) return false;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < px.length; i += 4 * 7) if (px[i] !== 0) return true;
    return false;
  }));
  if (!painted) throw new Error('the graph canvas is blank');
  const file = path.join(outDir, 'analyst-' + DETECTOR.toLowerCase() + '-trace.png');
  await page.screenshot({ path: file, fullPage: true });
  await (await page.$('#trace')).screenshot({ path: path.join(outDir, 'analyst-trace-graph.png') });
  log('graph of', alertId + ':', accounts.size, 'accounts and', payments.size, 'payments on', trace.paths.length,
    'path(s), all drawn; origin', [...new Set(trace.paths.map((p) => p.originPlatformId))].join(' '), 'and final',
    [...new Set(trace.paths.map((p) => p.finalAccountId))].join(' '), 'marked; screenshot', file);
}
