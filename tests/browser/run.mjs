// Browser end-to-end tests of the dashboard (docs/DASHBOARD.md): playwright-core drives Debian's
// Chromium, headless, against `rmct serve` on a free loopback port with a fresh database (the
// bundled data, the trade, stockpile and SYNTHETIC survey test fixtures, one analyst, one company
// user). Each view is opened and its charts checked to be drawn with data; a scenario is edited and
// run from the page (progress, result, fan charts) and a run cancelled; a purchase plan is run; the
// survey's views are opened as the public, an analyst and a company user, who corrects an answer;
// the language is switched and the text size changed. Screenshots go to ARTIFACTS (kept as test
// artifacts, not committed). Prints "ok N - what" or "not ok N - what" per test and ends with
// "N passed, N failed".
//   node tests/browser/run.mjs RMCT_BINARY BASE_DB ARTIFACTS_DIR
// RMCT_CHROMIUM names the browser (default /usr/bin/chromium).
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const [rmct, baseDb, artifacts] = process.argv.slice(2);
const CHROMIUM = process.env.RMCT_CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'browser-test-password-1';
const T = 30000; // longest wait for one thing (a page, a run), ms; the ASan build is slower

let passed = 0, failed = 0, n = 0;
const results = [];
function report(ok, name, detail) {
  n++;
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!ok && detail) console.log(String(detail).split('\n').map((l) => '    ' + l).join('\n'));
  results.push({ ok, name });
}
function finish(code) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code === undefined ? (failed ? 1 : 0) : code);
}

// ---------------- what is needed ----------------

const need = [];
if (!rmct || !fs.existsSync(rmct)) need.push('usage: node tests/browser/run.mjs RMCT_BINARY BASE_DB ARTIFACTS_DIR');
if (Number(process.versions.node.split('.')[0]) < 20) need.push(`Node.js 20 or later is needed (this is ${process.version})`);
if (!fs.existsSync(path.join(root, 'web', 'node_modules', 'playwright-core'))) need.push('web/node_modules is missing: run scripts/setup (npm ci in web/)');
if (!fs.existsSync(path.join(root, 'web', 'dist', 'index.html'))) need.push('web/dist is not built: run make');
if (!fs.existsSync(CHROMIUM)) need.push(`no browser at ${CHROMIUM}: run scripts/setup (Debian's chromium)`);
if (need.length) {
  report(false, 'browser tests can run', need.join('\n'));
  finish();
}
const { chromium } = createRequire(path.join(root, 'web', 'package.json'))('playwright-core');

// ---------------- a fresh database and a server ----------------

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rmct-browser.'));
const db = path.join(work, 'rmct.db');
const env = { ...process.env, RMCT_PASSWORD: PASSWORD, RMCT_TODAY: '2026-03-10', RMCT_ACTOR: 'kim' };
delete env.RMCT_DB;
fs.mkdirSync(artifacts, { recursive: true });
for (const f of fs.readdirSync(artifacts)) if (f.endsWith('.png') || f.endsWith('.log')) fs.rmSync(path.join(artifacts, f));
const fx = (p) => path.join(root, 'tests', 'fixtures', p);
const cli = (...args) => execFileSync(rmct, ['--db', db, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

let server = null, base = null, browser = null, profile = null;
const serverErr = [];
async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null) server.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
}
process.on('SIGTERM', async () => {
  report(false, 'the browser tests finished in time (stopped by SIGTERM)');
  await cleanup();
  finish(1);
});

try {
  if (baseDb && fs.existsSync(baseDb)) fs.copyFileSync(baseDb, db);
  else cli('init', '--quiet');
  cli('user', 'add', 'ann', '--role', 'analyst');
  cli('import', 'baci-countries', fx('trade/country_codes_V202401.csv'));
  cli('import', 'baci-products', fx('trade/product_codes_HS17_V202401.csv'));
  cli('import', 'baci', fx('trade/BACI_HS17_Y2023_V202401.csv'));
  cli('import', 'comtrade', fx('trade/comtrade_2023.csv'), fx('trade/comtrade_legacy_2022.csv'));
  cli('stock', 'import', fx('stock/ledger.csv'), '--create-warehouses');
  // the industry survey: the two SYNTHETIC test campaigns and a user of one of their companies
  cli('survey', 'import', fx('survey/campaign-2023.csv'));
  cli('survey', 'import', fx('survey/campaign-2024.csv'));
  cli('user', 'add', 'mia', '--role', 'company', '--company', '000-81-00052');
  server = spawn(rmct, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--web', path.join(root, 'web'), '--quiet'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.on('data', (d) => serverErr.push(d.toString()));
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the server printed no URL in 20 s')), 20000);
    server.stdout.on('data', (d) => {
      out += d.toString();
      const m = /^RMCT is serving .* at (http:\S+?)\/?$/m.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (c) => reject(new Error('the server exited with status ' + c + ': ' + serverErr.join(''))));
  });
} catch (e) {
  report(false, 'a test database and a server', (e.stderr ? e.stderr.toString() : '') + e.message);
  await cleanup();
  finish();
}

profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rmct-chromium.'));
const pageErrors = [];
// requests a test makes fail on purpose (the browser logs their status as an error): URL patterns
const expectedFailures = [];
let page;
try {
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  page = browser.pages()[0] || await browser.newPage();
  page.setDefaultTimeout(T);
  page.on('pageerror', (e) => pageErrors.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // not logged in yet: GET /api/v1/session answers 401, which the browser logs
    if (/status of 401/.test(m.text()) && /\/api\/v1\/session$/.test(m.location().url || '')) return;
    if (expectedFailures.some((re) => re.test(m.location().url || ''))) return;
    pageErrors.push('console: ' + m.text() + ' (' + (m.location().url || '') + ')');
  });
  await page.addInitScript(() => { if (!localStorage.getItem('rmct.lang')) localStorage.setItem('rmct.lang', 'en'); });
} catch (e) {
  report(false, 'Chromium starts (playwright-core)', e.message);
  await cleanup();
  finish();
}

// ---------------- helpers ----------------

let shot = 0;
async function screenshot(name) {
  shot++;
  const file = path.join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0)).catch(() => {});
  await page.screenshot({ path: file, fullPage: true }).catch(() => {});
}

// Wait until the view has drawn (after the render counted in `after`, if given).
async function ready(name, after = 0) {
  await page.waitForFunction(([nm, a]) => {
    const v = window.__rmct && window.__rmct.view();
    return v && v.name === nm && v.renders > a && v.state !== 'loading';
  }, [name, after], { timeout: T });
  const v = await page.evaluate(() => window.__rmct.view());
  if (v.state !== 'ready') throw new Error(`view ${name} is in state ${v.state}: ` + await page.locator('.view .error').allTextContents());
  await page.waitForTimeout(400); // chart animations
  return v.renders;
}
const renders = () => page.evaluate(() => window.__rmct.view().renders);
async function open(hash, name) {
  const before = await renders().catch(() => 0);
  await page.evaluate((h) => { location.hash = h; }, hash);
  return ready(name, before);
}

// The live charts by name; checks that each named one has series with data and ink on its canvas.
async function charts() {
  return Object.fromEntries((await page.evaluate(() => window.__rmct.charts())).map((c) => [c.name, c]));
}
function drawn(cs, name, minPoints = 1) {
  const c = cs[name];
  if (!c) throw new Error(`no chart ${name} (charts: ${Object.keys(cs).join(', ')})`);
  const pts = c.series.reduce((a, s) => Math.max(a, s.n), 0);
  if (!c.series.length || pts < minPoints) throw new Error(`chart ${name}: series ${JSON.stringify(c.series)}, expected at least ${minPoints} points`);
  if (c.inked < 50) throw new Error(`chart ${name}: the canvas is blank (${c.inked} inked samples)`);
  if (c.width < 100 || c.height < 100) throw new Error(`chart ${name}: ${c.width}x${c.height}`);
  return c;
}
function expect(cond, what) {
  if (!cond) throw new Error(what);
}
async function text(sel) {
  return (await page.locator(sel).first().textContent()) || '';
}
async function apiGet(p) {
  const r = await fetch(base + p);
  return r.json();
}
// A GET with the page's session (the logged-in user's view).
async function apiGetAs(p) {
  return page.evaluate((u) => fetch(u).then((r) => r.json()), p);
}

async function test(name, fn, shotName) {
  try {
    await fn();
    report(true, name);
    if (shotName) await screenshot(shotName);
  } catch (e) {
    report(false, name, e.stack || e.message);
    await screenshot((shotName || 'test-' + n) + '-FAILED');
  }
}

// ---------------- the tests ----------------

await page.goto(base + '/');
await test('overview: key figures, criticality matrix and supply concentration drawn with data, the 35 types, newest events', async () => {
  await ready('overview');
  const cs = await charts();
  drawn(cs, 'matrix', 30);
  drawn(cs, 'concentration', 30);
  expect(cs.matrix.series.some((s) => s.type === 'scatter' && s.n >= 30), 'matrix has a scatter of the metals');
  expect(await page.locator('table.metals tbody tr').count() === 35, '35 rows in the table of types');
  expect(await page.locator('table.events tbody tr').count() === 10, '10 newest events');
  expect((await text('.kpis')).includes('35'), 'the key figures name 35 types');
  expect(await page.locator('a#q-dy').count() === 1 && await page.locator('a#q-halves').count() === 1, "the issue's two questions are one click away");
}, 'overview-en');

await test("metal page (dysprosium, from the overview's question): world map of production shares, top producers, Korea's import partners and trend, lists, sources", async () => {
  const before = await renders();
  await page.click('a#q-dy');
  await ready('metal', before);
  expect((await page.evaluate(() => location.hash)) === '#/metal/Dy', 'the question leads to #/metal/Dy');
  const cs = await charts();
  drawn(cs, 'world-map', 5);
  drawn(cs, 'producers', 5);
  drawn(cs, 'import-partners', 2);
  drawn(cs, 'import-trend', 2);
  drawn(cs, 'world-trend', 2);
  const body = await text('.view');
  expect(body.includes('Dysprosium'), 'title names dysprosium');
  expect(/China/.test(body) && body.includes('84.7%'), "China's 84.7% of Korea's magnet imports (reported) is shown");
  expect(await page.locator('.callout.proxy').count() === 1, 'the world-production proxy is labelled');
  expect(await page.locator('.chip').count() === 6, 'six national lists');
  expect(await page.locator('table.sources tbody tr').count() > 3, 'sources listed');
  // another series on the map
  const opts = await page.locator('#series-select option').count();
  expect(opts >= 2, 'several production series');
  await page.selectOption('#series-select', '0');
  await page.waitForTimeout(300);
  drawn(await charts(), 'world-map', 5);
}, 'metal-dy-en');

await test('metal page from measured trade flows (lithium, test fixtures): partners and trend, chosen from the metal menu', async () => {
  const before = await renders();
  await page.selectOption('#metal-select', 'Li');
  await ready('metal', before);
  expect((await page.evaluate(() => location.hash)) === '#/metal/Li', 'the address follows the menu');
  const cs = await charts();
  expect(cs['import-partners'].series[0].n === 3, '2023: three partners');
  drawn(cs, 'import-partners', 3);
  drawn(cs, 'import-trend', 2);
  expect((await text('.view')).includes('Chile'), 'Chile is a partner');
}, 'metal-li-trade-en');

await test('sources: every imported file listed', async () => {
  await open('#/sources', 'sources');
  const api = await apiGet('/api/v1/sources');
  const rows = await page.locator('table.sources-all tbody tr').count();
  expect(rows === api.length, `${rows} rows for ${api.length} sources`);
}, 'sources-en');

// ---------------- the industry survey (SYNTHETIC test campaigns) ----------------

// Every survey panel with a chart or a table states the confidentiality rule (published statistics)
// or that it is confidential (company-level figures), and, for these test data, SYNTHETIC.
async function surveyPanelsLabelled() {
  const r = await page.evaluate(() => [...document.querySelectorAll('.survey-panel')].map((p) => ({
    id: p.id || p.querySelector('h2').textContent, rule: !!p.querySelector('.note.rule'), conf: !!p.querySelector('.confidential-note'),
    synthetic: !!p.querySelector('.badge.synthetic'), charts: p.querySelectorAll('[data-chart]').length, tables: p.querySelectorAll('table').length,
  })));
  const bad = r.filter((x) => (x.charts || x.tables) && (!(x.rule || x.conf) || !x.synthetic));
  expect(!bad.length, 'panels without the rule (or CONFIDENTIAL) or the SYNTHETIC label: ' + JSON.stringify(bad));
  expect(await page.locator('.synthetic-note').first().isVisible(), 'the SYNTHETIC note is visible');
  return r;
}

await test('survey, published view (logged out): charts by size, stage, sector and region, localisation and concentration drawn with data, the rule under every table and chart, SYNTHETIC shown', async () => {
  await open('#/survey', 'survey');
  const cs = await charts();
  drawn(cs, 'survey-size', 4);
  drawn(cs, 'survey-stage', 5);
  drawn(cs, 'survey-sector', 10);
  drawn(cs, 'survey-region', 10);
  drawn(cs, 'survey-localisation', 7);
  drawn(cs, 'survey-concentration', 13);
  const panels = await surveyPanelsLabelled();
  expect(panels.length >= 8, `${panels.length} survey panels`);
  expect((await text('.view h2')).includes('PUBLISHED VIEW'), 'the published view is named');
  expect(await page.locator('.confidential').count() === 0, 'nothing confidential');
  // what the rule withholds shows as x, without a value: the large and mid-sized classes (2 companies each)
  const sizes = await page.locator('table.survey-size tbody tr').allTextContents();
  expect(sizes.length === 5 && /^Large enterprisex/.test(sizes[0]) && /^Small enterprise16/.test(sizes[3]), 'size table: ' + sizes.join(' | '));
  const api = await apiGet('/api/v1/survey/stats');
  const hidden = api.tables.flatMap((t) => t.rows.flatMap((r) => Object.values(r.cells))).filter((c) => c.mark === 'x' || c.mark === 'c');
  expect(hidden.length > 100 && hidden.every((c) => c.value === null), 'the public answer carries no withheld value');
  expect(!/Fictitious|000-81-/.test(await text('.view')), 'no company is named on the published view');
  expect((await page.locator('#survey-tabs a').count()) === 1, 'only the statistics without a login');
}, 'survey-public-en');

let worstBefore = '';
await test('scenario: the central run month by month drawn; editing the cut (90%) and duration (12 months) changes the answer', async () => {
  await open('#/scenarios/ree-china-halves-6m', 'scenarios');
  let cs = await charts();
  drawn(cs, 'central-metals', 24);
  drawn(cs, 'central-sectors', 24);
  worstBefore = await text('#central-panel .kpi:nth-child(3) .kpi-value');
  const nd = await page.locator('table.by-metal tbody tr').count();
  expect(nd === 4, 'four metals in the shortfall table');
  await page.fill('input.edit-depth[data-event="0"]', '90');
  await page.fill('input.edit-duration[data-event="0"]', '12');
  const before = await renders();
  await page.click('#apply-edits');
  await ready('scenarios', before);
  cs = await charts();
  drawn(cs, 'central-metals', 24);
  const worst = await text('#central-panel .kpi:nth-child(3) .kpi-value');
  expect(worst !== worstBefore, `the worst monthly shortfall changed (${worstBefore} -> ${worst})`);
  expect((await text('#central-panel h2')).includes('EDITED'), 'the central run is marked as edited');
  expect((await page.inputValue('input.edit-depth[data-event="0"]')) === '90', 'the edit stays in the form');
}, 'scenario-edited-en');

await test('log in from the header as an analyst', async () => {
  await page.fill('#login-user', 'ann');
  await page.fill('#login-pass', PASSWORD);
  const before = await renders();
  await page.click('#login button[type=submit]');
  await ready('scenarios', before);
  expect((await text('#account')).includes('ann'), 'the header names the user');
  expect(await page.locator('#run-start').count() === 1, 'the run button is offered');
});

await test('Monte Carlo run from the page with the edits: progress, done, fan charts and totals drawn with data', async () => {
  await page.selectOption('#run-size', '1000');
  await page.click('#run-start');
  await page.waitForSelector('#run-status[data-status="done"]', { timeout: 4 * T });
  const status = await text('#run-status');
  expect(/done/.test(status), 'status says done: ' + status);
  await page.waitForTimeout(400);
  const cs = await charts();
  const fans = Object.keys(cs).filter((k) => k.startsWith('fan-'));
  expect(fans.length >= 4, `fan charts: ${fans.length}`);
  for (const f of fans) drawn(cs, f, 24);
  expect(await page.locator('table.metrics tbody tr').count() >= 4, 'totals table');
  expect((await text('#run-result')).includes('"depth":0.9'), 'the run says it used the edits');
  const runs = await page.evaluate(() => fetch('/api/v1/scenarios/runs').then((r) => r.json()));
  expect(runs[0].params.edits && runs[0].params.edits[0].duration_months === 12, 'the server ran the edited scenario');
}, 'scenario-run-en');

await test('cancel a running Monte Carlo run from the page', async () => {
  // a million futures take 25 s or more on this machine: the cancel always arrives first, without
  // any timing assumption in the test itself
  await open('#/scenarios/baseline', 'scenarios');
  await page.selectOption('#run-size', '1000000');
  await page.click('#run-start');
  await page.waitForSelector('#run-status[data-status="running"], #run-status[data-status="queued"]', { timeout: T });
  await page.click('#run-cancel');
  await page.waitForSelector('#run-status[data-status="cancelled"]', { timeout: T });
  expect(await page.locator('#run-cancel').isHidden(), 'no cancel button once cancelled');
}, 'scenario-cancelled-en');

await test('stockpile: cover against target drawn, the ledger, a purchase plan run from the page', async () => {
  await open('#/stockpile', 'stockpile');
  let cs = await charts();
  drawn(cs, 'cover', 10);
  expect(await page.locator('table.holdings tbody tr').count() === 4, 'four holdings (lot x warehouse)');
  expect(await page.locator('table.movements tbody tr').count() === 11, 'eleven movements');
  expect(await page.locator('table.warehouses tbody tr').count() === 2, 'two warehouses');
  await page.fill('#plan-budget', '50000000');
  await page.selectOption('#plan-runs', '500');
  await page.click('#plan-start');
  await page.waitForSelector('#plan-status[data-status="done"]', { timeout: 4 * T });
  await page.waitForTimeout(400);
  cs = await charts();
  drawn(cs, 'plan-frontier', 3);
  expect(await page.locator('table.plan-metals tbody tr').count() > 3, 'what to buy, by metal');
}, 'stockpile-en');

await test('import a data file from the sources page (analyst): a bad file refused naming its line and field, nothing imported; a good one imported and listed', async () => {
  await open('#/sources', 'sources');
  const before = (await apiGet('/api/v1/sources')).length;
  expectedFailures.push(/\/api\/v1\/sources\?format=generic&file=nonnumeric\.csv/);
  await page.selectOption('#import-format', 'generic');
  await page.setInputFiles('#import-file', fx('generic/nonnumeric.csv'));
  await page.click('#import-start');
  await page.waitForFunction(() => { const e = document.querySelector('#import-status'); return e && e.classList.contains('error'); }, null, { timeout: T });
  const msg = await text('#import-status');
  expect(msg.includes('nonnumeric.csv:3:21') && msg.includes('value'), 'the refusal names the file, line, column and field: ' + msg);
  expect((await apiGet('/api/v1/sources')).length === before, 'nothing imported');
  const r0 = await renders();
  await page.setInputFiles('#import-file', fx('generic/good.csv'));
  await page.fill('#import-edition', '2024');
  await page.click('#import-start');
  await ready('sources', r0);
  const done = await text('#import-status');
  expect(done.includes('good.csv') && done.includes('5'), 'the import reported with its rows: ' + done);
  const rows = await page.locator('table.sources-all tbody tr').count();
  expect(rows === before + 1, `${rows} rows listed for ${before + 1} sources`);
}, 'sources-import-en');

await test("survey as an analyst: withheld values shown and marked, every company's exposure and a scenario's effect on companies", async () => {
  await open('#/survey', 'survey');
  expect((await text('.view h2')).includes('ANALYST VIEW'), 'the analyst view is named');
  expect(await page.locator('.confidential').isVisible(), 'marked confidential');
  const large = await page.locator('table.survey-size tbody tr').first().textContent();
  expect(/^Large enterprise2 x/.test(large), 'the withheld value with its mark: ' + large);
  drawn(await charts(), 'survey-size', 4);
  await surveyPanelsLabelled();
  const before = await renders();
  await page.click('#survey-tabs a[data-tab="exposure"]');
  await ready('survey', before);
  const cs = await charts();
  drawn(cs, 'survey-exposure', 20);
  await page.waitForSelector('table.survey-impact');
  await page.waitForTimeout(400);
  drawn(await charts(), 'survey-impact', 3);
  expect(await page.locator('table.survey-exposure tbody tr').count() === 44, '44 company-metal pairs');
  expect((await text('table.survey-exposure')).includes('Fictitious Magnet Alloys'), 'companies named (confidential view)');
  expect(await page.locator('table.survey-impact tbody tr').count() >= 3, "the scenario's hits");
  await surveyPanelsLabelled();
}, 'survey-analyst-en');

await test('language switch: Korean labels, names and numbers on every view, kept after a reload', async () => {
  await open('#/overview', 'overview');
  const before = await renders();
  await page.click('#lang button[data-lang="ko"]');
  await ready('overview', before);
  expect((await page.getAttribute('html', 'lang')) === 'ko', 'html lang="ko"');
  expect((await text('#nav')).includes('개요') && (await text('#nav')).includes('시나리오'), 'Korean navigation');
  expect((await text('.view h1')).includes('희소금속'), 'Korean title');
  expect((await text('table.metals')).includes('중국'), 'countries in Korean (중국)');
  expect((await text('table.metals')).includes('갈륨'), 'metals in Korean (갈륨)');
  drawn(await charts(), 'matrix', 30);
  await screenshot('overview-ko');
  await page.reload();
  await ready('overview');
  expect((await text('#nav')).includes('개요'), 'still Korean after a reload (localStorage)');
  for (const [hash, name, chartName, label] of [
    ['#/metal/Dy', 'metal', 'world-map', '디스프로슘'], ['#/scenarios/ree-china-halves-6m', 'scenarios', 'central-metals', '시나리오'],
    ['#/stockpile', 'stockpile', 'cover', '국가 비축'], ['#/sources', 'sources', null, '출처']]) {
    await open(hash, name);
    if (chartName) drawn(await charts(), chartName, 2);
    expect((await text('.view')).includes(label), `${name}: Korean label ${label}`);
    await screenshot(name + '-ko');
  }
  // numbers for the Korean locale: US dollars in 억 or 만 (10^8, 10^4) on the stockpile page
  await open('#/stockpile', 'stockpile');
  expect(/US\$[\d.,]+(억|만|조)/.test(await text('.kpis')), 'Korean compact numbers: ' + await text('.kpis'));
  const missing = await page.evaluate(() => window.__rmct.missingLabels());
  expect(missing.length === 0, 'labels missing: ' + missing.join(', '));
  const b2 = await renders();
  await page.click('#lang button[data-lang="en"]');
  await ready('stockpile', b2);
  expect((await text('#nav')).includes('Overview'), 'back to English');
});

await test('projector size: larger text, charts drawn again at the new size', async () => {
  await open('#/overview', 'overview');
  const before = await renders();
  await page.click('#size');
  await ready('overview', before);
  const fs2 = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  expect(fs2 === '20px', 'root font size ' + fs2);
  drawn(await charts(), 'matrix', 30);
  await page.setViewportSize({ width: 1280, height: 720 }); // a projector
  await page.waitForTimeout(500);
  drawn(await charts(), 'concentration', 30);
  await screenshot('overview-projector');
  const b2 = await renders();
  await page.click('#size');
  await ready('overview', b2);
  await page.setViewportSize({ width: 1440, height: 900 });
});

await test('log out: the stockpile asks for a login again', async () => {
  await page.click('#logout');
  await page.waitForSelector('#login');
  await open('#/stockpile', 'stockpile');
  expect(await page.locator('table.cover').count() === 0, 'no ledger without a login');
});

await test('a company user logs in, sees its own page (profile, answers, exposure, history), corrects an answer and sees the change in its history', async () => {
  await page.goto(base + '/#/survey');
  await ready('survey');
  await page.fill('#login-user', 'mia');
  await page.fill('#login-pass', PASSWORD);
  let before = await renders();
  await page.click('#login button[type=submit]');
  await ready('survey', before);
  expect((await text('#account')).includes('mia'), 'the header names the user');
  expect(await page.locator('#survey-tabs a[data-tab="exposure"]').count() === 0, 'no exposure of other companies');
  before = await renders();
  await page.click('#survey-tabs a[data-tab="company"]');
  await ready('survey', before);
  expect((await page.evaluate(() => location.hash)) === '#/survey/company/000-81-00052', 'its own company: ' + await page.evaluate(() => location.hash));
  expect((await text('#company-name')).includes('Fictitious Magnet Alloys'), 'its name');
  expect(await page.locator('#company-select').count() === 0, 'no other company to choose');
  expect(await page.locator('table.company-answers tbody tr').count() === 4, 'four answers: Nd, Pr, Dy, Tb');
  drawn(await charts(), 'company-exposure', 4);
  await surveyPanelsLabelled();
  const versions = await page.locator('table.company-history tbody tr').count();
  // correct the dysprosium: used 7.86 -> 8.4 t a year
  await page.click('button.edit-answer[data-metal="Dy"]');
  expect((await page.inputValue('#answer-form input[name="consumed_t"]')) === '7.86', 'the form holds the current answer');
  await page.fill('#answer-form input[name="consumed_t"]', '8.4');
  await page.fill('#answer-reason', 'meter read again');
  before = await renders();
  await page.click('#answer-submit');
  await ready('survey', before);
  expect((await text('#survey-notice')).includes('corrected as version 2'), 'saved: ' + await text('#survey-notice'));
  expect(await page.locator('table.company-history tbody tr').count() === versions + 1, 'one more version');
  const first = await page.locator('table.company-history tbody tr').first().textContent();
  expect(first.includes('mia') && first.includes('consumed_t 7.86 -> 8.4') && first.includes('meter read again'), 'the history: ' + first);
  const dy = await page.locator('table.company-answers tbody tr', { hasText: 'Dysprosium' }).textContent();
  expect(dy.includes('8.4') && dy.includes('v2'), 'the answer: ' + dy);
  // a value the checks refuse: the message names the field, nothing is saved
  expectedFailures.push(/\/api\/v1\/survey\/companies\/000-81-00052\/answers\/Dy$/);
  await page.click('button.edit-answer[data-metal="Dy"]');
  await page.fill('#answer-form input[name="import_pct"]', '90');
  await page.fill('#answer-reason', 'a mistake');
  await page.click('#answer-submit');
  await page.waitForSelector('#answer-status.error');
  expect((await text('#answer-status')).includes('recycled_pct'), 'refused, naming the field: ' + await text('#answer-status'));
  expect(await page.locator('#answer-form input.bad-field').count() === 1, 'the field is marked');
  const after = await apiGetAs('/api/v1/survey/companies/000-81-00052');
  expect(after.history.length === versions + 1, 'nothing more was recorded');
}, 'survey-company-en');

await test("another company's page is not found for a company user", async () => {
  expectedFailures.push(/\/api\/v1\/survey\/companies\/000-81-00028$/);
  await open('#/survey/company/000-81-00028', 'survey');
  expect(await page.locator('.notfound').isVisible(), 'not found');
  expect(!(await text('.view')).includes('Motor Works'), 'nothing of it shown');
});

await test('survey views in Korean: labels, charts and the company page; no label missing; and back', async () => {
  await open('#/survey/company/000-81-00052', 'survey');
  let before = await renders();
  await page.click('#lang button[data-lang="ko"]');
  await ready('survey', before);
  expect((await text('#nav')).includes('산업 실태조사'), 'Korean navigation');
  expect((await text('.view h1')).includes('실태조사'), 'Korean title');
  expect((await text('#company-name')).includes('가상자석합금'), 'the Korean name');
  expect((await text('table.company-answers')).includes('디스프로슘'), 'metals in Korean');
  expect((await text('#company-history')).includes('변경 이력'), 'the history in Korean');
  expect((await text('.synthetic-note')).includes('가상 데이터'), 'SYNTHETIC in Korean');
  drawn(await charts(), 'company-exposure', 4);
  await screenshot('survey-company-ko');
  await open('#/survey', 'survey');
  drawn(await charts(), 'survey-size', 4);
  drawn(await charts(), 'survey-localisation', 7);
  expect((await text('table.survey-size')).includes('소기업'), 'size classes in Korean');
  expect((await text('table.survey-stage')).includes('소재'), 'stages in Korean');
  expect((await text('.rule')).includes('비밀 보호 규칙'), 'the rule introduced in Korean');
  await screenshot('survey-ko');
  const missing = await page.evaluate(() => window.__rmct.missingLabels());
  expect(missing.length === 0, 'labels missing: ' + missing.join(', '));
  before = await renders();
  await page.click('#lang button[data-lang="en"]');
  await ready('survey', before);
  expect((await text('#nav')).includes('Industry survey'), 'back to English');
  await page.click('#logout');
  await page.waitForSelector('#login');
});

await test('no script errors in the pages', async () => {
  expect(pageErrors.length === 0, pageErrors.join('\n'));
});

await browser.close().catch(() => {});
browser = null;
await test('server stopped cleanly', async () => {
  server.kill('SIGTERM');
  const code = await new Promise((res) => (server.exitCode !== null ? res(server.exitCode) : server.on('exit', (c) => res(c))));
  const err = serverErr.join('');
  fs.writeFileSync(path.join(artifacts, 'server.log'), err);
  expect(code === 0 && !/Sanitizer|runtime error/.test(err), `exit ${code}: ${err}`);
});
await cleanup();
finish();
