// Scenarios: choose a bundled disruption scenario, edit the main numbers of its events (start, depth,
// duration), see the central run month by month (what runs short, where, when, for how long), then
// run Monte Carlo futures in the background (an analyst's session), watch the progress, cancel, and
// read the fan charts. Edits go to the API as "edits" (docs/API.md, "Editing a scenario").
import * as api from '../api.js';
import { t, tOr, num, int, pct, pctAxis, prob, usd, tonnes, month, dateTime, metalName, countryName, unit } from '../i18n.js';
import { h, panel, table, badge, chartBox, kpis, msg, esc } from '../dom.js';
import { chart, C, grid, PALETTE } from '../charts.js';

const PREFERRED = 'ree-china-halves-6m';
const RUN_SIZES = [1000, 10000, 100000, 1000000];
const state = {
  name: null,
  edits: {},          // scenario -> {event index -> {depth, duration_months, from}}
  opts: { runs: 10000, seed: 1, hazards: true },
  job: null,          // the Monte Carlo run shown (its last state)
  sink: null,         // what draws a job update (the current page's)
  polling: false,
};

// Edits of a scenario as the API takes them: [{event, depth, duration_months, from}], only changes.
function editList(name) {
  const e = state.edits[name] || {};
  return Object.keys(e).map(Number).sort((a, b) => a - b).map((i) => ({ event: i, ...e[i] }))
    .filter((x) => Object.keys(x).length > 1);
}
const editQuery = (name) => {
  const l = editList(name);
  return l.length ? '?edits=' + encodeURIComponent(JSON.stringify(l)) : '';
};

// Depth as the page shows it: a percentage, except price factors (×).
const depthIsFactor = (e) => e.kind === 'price_shock';
const depthShown = (e, v) => (depthIsFactor(e) ? v : Math.round(v * 1000) / 10);
const depthStored = (e, v) => (depthIsFactor(e) ? v : v / 100);

function monthAdd(ym, k) {
  const [y, m] = ym.split('-').map(Number);
  const z = y * 12 + (m - 1) + k;
  return `${Math.floor(z / 12)}-${String((z % 12) + 1).padStart(2, '0')}`;
}

export default async function scenarios(ctx) {
  const list = await api.get('/api/v1/scenarios');
  if (!ctx.alive()) return;
  const names = list.map((s) => s.scenario);
  let name = ctx.args[0];
  if (!names.includes(name)) name = state.name && names.includes(state.name) ? state.name : names.includes(PREFERRED) ? PREFERRED : names[0];
  state.name = name;
  const [sc, central] = await Promise.all([
    api.get('/api/v1/scenarios/' + encodeURIComponent(name)),
    api.get('/api/v1/scenarios/' + encodeURIComponent(name) + '/central' + editQuery(name)).catch((e) => ({ failed: e })),
  ]);
  if (!ctx.alive()) return;
  const el = ctx.el;

  // Choose.
  const select = h('select', { id: 'scenario-select', 'aria-label': t('sc.choose'), onchange: () => ctx.go('#/scenarios/' + encodeURIComponent(select.value)) },
    list.map((s) => h('option', { value: s.scenario, selected: s.scenario === name }, s.scenario)));
  const meta = list.find((s) => s.scenario === name);
  el.append(h('div', { class: 'title-row' }, h('h1', null, t('sc.title')), h('label', { class: 'picker' }, t('sc.choose') + ' ', select)));
  el.append(panel(sc.title, { class: 'scenario-head', badge: sc.assumption || /HYPOTHETICAL/.test(sc.title) ? t('sc.hypothetical') : null, badgeClass: 'info' },
    h('p', null, sc.description),
    h('p', { class: 'note' }, t('sc.meta', { start: month(sc.start), months: sc.months, chains: (sc.chains || []).join(', ') || t('sc.allchains'), events: meta ? meta.events : sc.events.length, responses: meta ? meta.responses : sc.responses.length })),
    h('details', null, h('summary', null, t('sc.basis')), h('p', null, sc.basis))));

  // Edit the events.
  el.append(eventsPanel(sc, ctx));
  if (sc.responses.length) el.append(responsesPanel(sc));

  // The central run.
  el.append(centralPanel(sc, central));

  // Monte Carlo.
  el.append(runPanel(sc, ctx));
}

function eventsPanel(sc, ctx) {
  const name = sc.name;
  const edits = (state.edits[name] = state.edits[name] || {});
  const end = monthAdd(sc.start, sc.months - 1), first = monthAdd(sc.start, -120);
  if (!sc.events.length) return panel(t('sc.events'), { note: t('sc.noevents') });
  const rows = sc.events.map((e, i) => {
    const ed = edits[i] || {};
    const depthIn = h('input', {
      type: 'number', class: 'edit-depth', dataset: { event: i }, step: depthIsFactor(e) ? '0.1' : '5',
      min: depthIsFactor(e) ? 0 : e.kind === 'demand_surge' ? -100 : 0, max: depthIsFactor(e) ? 1000 : e.kind === 'demand_surge' ? 10000 : 100,
      value: depthShown(e, ed.depth !== undefined ? ed.depth : e.depth.value), 'aria-label': t('sc.depth'),
    });
    const durIn = h('input', {
      type: 'number', class: 'edit-duration', dataset: { event: i }, step: '1', min: 1, max: 1200,
      value: ed.duration_months !== undefined ? ed.duration_months : e.duration_months ? e.duration_months.value : '',
      placeholder: t('sc.toend'), 'aria-label': t('sc.duration'),
    });
    const fromIn = h('input', { type: 'month', class: 'edit-from', dataset: { event: i }, min: first, max: end, value: ed.from || e.from, 'aria-label': t('sc.from') });
    return { e, i, depthIn, durIn, fromIn };
  });
  const status = h('span', { class: 'edit-status' });
  const apply = () => {
    const next = {};
    for (const r of rows) {
      const x = {};
      const d = parseFloat(r.depthIn.value);
      if (isFinite(d) && Math.abs(depthStored(r.e, d) - r.e.depth.value) > 1e-9) x.depth = depthStored(r.e, d);
      const du = parseFloat(r.durIn.value);
      if (isFinite(du) && (!r.e.duration_months || Math.abs(du - r.e.duration_months.value) > 1e-9)) x.duration_months = du;
      if (r.fromIn.value && r.fromIn.value !== r.e.from) x.from = r.fromIn.value;
      if (Object.keys(x).length) next[r.i] = x;
    }
    state.edits[name] = next;
    ctx.rerender();
  };
  const edited = editList(name).length > 0;
  const tbl = table(rows, [
    ['#', (r) => r.i, { num: true }],
    [t('sc.kind'), (r) => tOr('kind.' + r.e.kind, r.e.kind) + (r.e.country ? ' · ' + countryName(r.e.country) : '')],
    [t('sc.target'), (r) => [...r.e.target.metals.map((m) => metalName(m)), ...r.e.target.nodes, ...r.e.target.sectors].join(', ')],
    [t('sc.from'), (r) => r.fromIn],
    [depthLabel(sc), (r) => h('span', { class: 'with-unit' }, r.depthIn, depthIsFactor(r.e) ? '×' : '%')],
    [t('sc.duration'), (r) => h('span', { class: 'with-unit' }, r.durIn, t('u.months'))],
    [t('sc.varies'), (r) => (r.e.depth.varies || (r.e.duration_months && r.e.duration_months.varies) ? t('common.yes') : t('common.no'))],
    [t('sc.basis'), (r) => h('details', null, h('summary', null, r.e.assumption ? badge(t('common.assumption'), 'info') : t('common.sourced')), h('p', null, r.e.basis),
      h('p', { class: 'note' }, t('sc.depth') + ': ' + r.e.depth.basis), r.e.duration_months ? h('p', { class: 'note' }, t('sc.duration') + ': ' + r.e.duration_months.basis) : null)],
  ], { class: 'events-edit' });
  return panel(t('sc.events'), { note: t('sc.events.note'), badge: edited ? t('sc.edited') : null, badgeClass: 'warn', id: 'events-panel' },
    tbl,
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'apply-edits', onclick: apply }, t('sc.apply')),
      h('button', { type: 'button', class: 'ghost', id: 'reset-edits', disabled: !edited, onclick: () => { state.edits[name] = {}; ctx.rerender(); } }, t('sc.reset')),
      status));
}

function depthLabel(sc) {
  const kinds = new Set(sc.events.map((e) => e.kind));
  return kinds.size === 1 ? t('sc.depth.' + [...kinds][0]) : t('sc.depth');
}

function responsesPanel(sc) {
  return h('details', { class: 'panel responses' }, h('summary', null, h('h2', null, t('sc.responses', { n: sc.responses.length }))),
    table(sc.responses, [
      [t('sc.kind'), (r) => tOr('kind.' + r.kind, r.kind)],
      [t('sc.target'), (r) => [...r.target.metals.map((m) => metalName(m)), ...r.target.nodes].join(', ')],
      [t('sc.countries'), (r) => (r.countries || []).map((c) => countryName(c)).join(', ')],
      [t('sc.basis'), (r) => h('details', null, h('summary', null, r.assumption ? badge(t('common.assumption'), 'info') : t('common.sourced')), h('p', null, r.basis))],
    ]));
}

function centralPanel(sc, c) {
  if (c.failed) return panel(t('sc.central'), {}, msg(t('common.failed', { what: c.failed.message }), 'error'));
  const metals = c.monthly.filter((s) => s.kind === 'metal shortfall');
  const sectors = c.monthly.filter((s) => s.kind === 'sector value lost');
  const short = c.by_metal.filter((m) => m.shortfall > 0);
  const worst = metals.reduce((w, s) => Math.max(w, ...s.pct_of_normal), 0);
  const lostUsd = c.by_sector.reduce((a, s) => a + (s.usd || 0), 0);
  const mBox = chartBox('central-metals'), sBox = chartBox('central-sectors');
  const p = panel(t('sc.central'), { note: t('sc.central.note'), id: 'central-panel', badge: editList(sc.name).length ? t('sc.edited') : null, badgeClass: 'warn' },
    kpis([
      [t('sc.k.disruptions'), int(c.disruptions), t('sc.k.disruptions.sub')],
      [t('sc.k.short'), int(short.length), short.map((m) => metalName(m.metal)).join(', ') || t('common.none'), short.length ? 'bad' : 'ok'],
      [t('sc.k.worst'), pct(worst), t('sc.k.worst.sub'), worst > 0 ? 'warn' : ''],
      [t('sc.k.lost'), usd(lostUsd), t('sc.k.lost.sub')],
    ]),
    h('div', { class: 'grid2' },
      h('div', null, h('h3', null, t('sc.central.metals')), mBox),
      h('div', null, h('h3', null, t('sc.central.sectors')), sBox)),
    h('h3', null, t('sc.bymetal')),
    table(c.by_metal, [
      [t('col.metal'), (m) => metalName(m.metal)],
      [t('sc.normal'), (m) => { const x = /^([\d.eE+-]+) (\S+)$/.exec(m.normal || ''); return x ? num(Number(x[1]), 3) + ' ' + unit(x[2]) : m.normal; }, { num: true }],
      [t('sc.shortfall'), (m) => tonnes(m.shortfall, 3), { num: true }],
      [t('sc.pctdemand'), (m) => pct(m.pct, 2), { num: true }],
      [t('sc.monthsshort'), (m) => int(m.months), { num: true }],
      [t('sc.first'), (m) => month(m.first)],
      [t('sc.recovered'), (m) => month(m.recovered)],
      [t('sc.mincover'), (m) => num(m.min_cover, 0) + t('u.days'), { num: true }],
      [t('sc.stockused'), (m) => tonnes(m.stock_used, 2), { num: true }],
    ], { class: 'by-metal' }),
    h('h3', null, t('sc.bysector')),
    table(c.by_sector, [
      [t('sc.sector'), (s) => tOr('sector.' + s.sector, s.sector)],
      [t('col.product'), (s) => s.product],
      [t('sc.lost'), (s) => num(s.lost, 1) + ' ' + unit(s.unit), { num: true }],
      [t('sc.pctoutput'), (s) => pct(s.pct, 2), { num: true }],
      [t('sc.usdlost'), (s) => usd(s.usd), { num: true }],
      [t('sc.first'), (s) => month(s.first)],
      [t('sc.recovered'), (s) => month(s.recovered)],
    ], { class: 'by-sector' }),
    c.notes ? h('p', { class: 'note' }, t('sc.notes', { a: c.notes.assumptions, n: c.notes.parameters, proxies: c.notes.proxy_import_nodes.join(', ') || t('common.none') })) : null);
  queueMicrotask(() => {
    chart(mBox, 'central-metals', {
      grid: grid({ top: 40 }), legend: { top: 0, type: 'scroll' }, tooltip: { trigger: 'axis', valueFormatter: (v) => pct(v, 2) },
      xAxis: { type: 'category', data: c.months.map(month) },
      yAxis: { type: 'value', axisLabel: { formatter: pctAxis }, name: t('sc.pctnormal') },
      series: metals.map((s) => ({ type: 'line', name: metalName(s.label), data: s.pct_of_normal, symbol: 'none', lineWidth: 2 })),
    });
    chart(sBox, 'central-sectors', {
      grid: grid({ top: 40 }), legend: { top: 0, type: 'scroll' }, tooltip: { trigger: 'axis', valueFormatter: (v) => usd(v) },
      xAxis: { type: 'category', data: c.months.map(month) },
      yAxis: { type: 'value', axisLabel: { formatter: (v) => usd(v) }, name: t('sc.usdmonth') },
      series: sectors.map((s) => ({ type: 'bar', stack: 'lost', name: tOr('sector.' + s.label, s.label), data: s.value })),
    });
  });
  return p;
}

// ---------------- Monte Carlo ----------------

function runPanel(sc, ctx) {
  const box = h('div', { id: 'run-result' });
  const progress = h('progress', { id: 'run-progress', max: 100, value: 0, hidden: true });
  const status = h('span', { id: 'run-status', class: 'run-status', role: 'status' });
  const cancel = h('button', { type: 'button', id: 'run-cancel', class: 'ghost', hidden: true }, t('sc.cancel'));
  const runsSel = h('select', { id: 'run-size', 'aria-label': t('sc.futures') }, RUN_SIZES.map((n) => h('option', { value: n, selected: n === state.opts.runs }, int(n))));
  const seed = h('input', { id: 'run-seed', type: 'number', min: 0, step: 1, value: state.opts.seed, size: 6, 'aria-label': t('sc.seed') });
  const hz = h('input', { id: 'run-hazards', type: 'checkbox', checked: state.opts.hazards });
  const start = h('button', { type: 'button', id: 'run-start' }, t('sc.run'));
  const edited = editList(sc.name).length > 0;
  const mine = state.job && state.job.params && state.job.params.scenario === sc.name;
  const history = h('div', { id: 'run-history' });

  const draw = (j) => {
    state.job = j;
    const active = j.status === 'queued' || j.status === 'running';
    progress.hidden = false;
    progress.value = j.progress_pct || 0;
    status.textContent = t('run.' + j.status) + (active ? ' ' + pct(j.progress_pct, 1) : '') + (j.error ? ' — ' + j.error.message : '');
    status.dataset.status = j.status;
    cancel.hidden = !active;
    start.disabled = active;
    if (j.status === 'done' && j.result) {
      if (box.dataset.job !== String(j.id)) drawResult(box, j);
    } else if (!active) {
      box.replaceChildren();
      box.dataset.job = '';
    }
  };
  state.sink = (j) => { if (ctx.alive() && j.params && j.params.scenario === sc.name) draw(j); };

  start.addEventListener('click', async () => {
    state.opts = { runs: Number(runsSel.value), seed: Math.max(0, parseInt(seed.value, 10) || 0), hazards: hz.checked };
    const body = { scenario: sc.name, runs: state.opts.runs, seed: state.opts.seed, hazards: state.opts.hazards };
    const ed = editList(sc.name);
    if (ed.length) body.edits = ed;
    start.disabled = true;
    try {
      const j = await api.post('/api/v1/scenarios/runs', body);
      j.url = j.url || '/api/v1/scenarios/runs/' + j.id;
      box.replaceChildren();
      box.dataset.job = '';
      draw(j);
      poll();
    } catch (e) {
      start.disabled = false;
      status.textContent = e.status === 429 ? t('run.busy') : t('common.failed', { what: e.message });
      status.dataset.status = 'error';
    }
  });
  cancel.addEventListener('click', async () => {
    if (!state.job) return;
    try {
      draw(await api.del(state.job.url || '/api/v1/scenarios/runs/' + state.job.id));
    } catch (e) {
      status.textContent = t('common.failed', { what: e.message });
    }
  });

  let body;
  if (!api.can('analyst')) {
    body = [msg(api.user() ? t('sc.needanalyst', { role: t('role.' + api.user().role) }) : t('sc.needlogin'), 'callout info')];
    if (api.can('viewer')) body.push(history);
  } else {
    body = [
      h('div', { class: 'run-form' },
        h('label', null, t('sc.futures') + ' ', runsSel),
        h('label', null, t('sc.seed') + ' ', seed),
        h('label', { class: 'check' }, hz, ' ' + t('sc.hazards')),
        start, edited ? badge(t('sc.withedits'), 'warn') : null),
      h('div', { class: 'run-progress' }, progress, status, cancel),
      box,
      history,
    ];
  }
  const p = panel(t('sc.mc'), { note: t('sc.mc.note'), id: 'run-panel' }, ...body);
  if (mine) queueMicrotask(() => { box.dataset.job = ''; draw(state.job); if (state.job.status === 'queued' || state.job.status === 'running') poll(); });
  if (api.can('viewer')) queueMicrotask(() => drawHistory(history, sc, ctx)); // runs are for viewers and above
  return p;
}

async function poll() {
  if (state.polling) return;
  state.polling = true;
  try {
    while (state.job && (state.job.status === 'queued' || state.job.status === 'running')) {
      await new Promise((r) => setTimeout(r, 400));
      const url = state.job.url || '/api/v1/scenarios/runs/' + state.job.id;
      const j = await api.get(url, { keep: false });
      j.url = url;
      state.job = j;
      if (state.sink) state.sink(j);
    }
  } catch (e) {
    if (state.sink && state.job) state.sink({ ...state.job, status: 'failed', error: { message: e.message } });
  } finally {
    state.polling = false;
  }
}

async function drawHistory(box, sc, ctx) {
  let runs;
  try {
    runs = await api.get('/api/v1/scenarios/runs', { keep: false });
  } catch (e) {
    return;
  }
  if (!ctx.alive() || !runs.length) return;
  box.replaceChildren(h('h3', null, t('sc.history')), table(runs.slice(0, 10), [
    ['#', (j) => j.id, { num: true }],
    [t('sc.scenario'), (j) => j.params.scenario + (j.params.edits ? ' *' : '')],
    [t('sc.futures'), (j) => int(j.params.runs), { num: true }],
    [t('sc.owner'), (j) => j.owner],
    [t('sc.status'), (j) => t('run.' + j.status) + (j.status === 'running' ? ' ' + pct(j.progress_pct) : '')],
    [t('sc.created'), (j) => dateTime(j.created_at)],
  ], {
    class: 'runs',
    onRow: async (j) => {
      const full = await api.get('/api/v1/scenarios/runs/' + j.id, { keep: false });
      full.url = '/api/v1/scenarios/runs/' + j.id;
      state.job = full;
      if (full.params.scenario !== sc.name) ctx.go('#/scenarios/' + encodeURIComponent(full.params.scenario));
      else ctx.rerender();
    },
  }));
}

function drawResult(box, j) {
  const r = j.result;
  box.dataset.job = String(j.id);
  const fans = r.fans.map((f, i) => ({ ...f, i, peak: Math.max(0, ...f.p95.filter((v) => v !== null)) }))
    .sort((a, b) => (a.kind === b.kind ? b.peak - a.peak : a.kind.localeCompare(b.kind)));
  const grid2 = h('div', { class: 'fans' });
  box.replaceChildren(
    h('h3', null, t('sc.result', { id: j.id, scenario: r.scenario.name })),
    kpis([
      [t('sc.k.futures'), int(r.runs), t('sc.k.futures.sub', { s: num(r.seconds, 2), seed: r.seed })],
      [t('sc.k.pany'), prob(r.p_any_shortfall, 1), t('sc.k.pany.sub'), r.p_any_shortfall > 0.5 ? 'bad' : 'warn'],
      [t('sc.k.disrupted'), pct(r.futures_disrupted_pct, 1), t('sc.k.disrupted.sub', { n: int(r.disruptions_drawn) })],
    ]),
    j.params.edits ? h('p', { class: 'callout warn' }, t('sc.resultedited', { edits: JSON.stringify(j.params.edits) })) : null,
    h('h3', null, t('sc.fans')),
    h('p', { class: 'note' }, t('sc.fans.note')),
    grid2,
    h('h3', null, t('sc.metrics')),
    table(r.metrics, [
      [t('sc.mkind'), (m) => tOr('series.' + m.kind, m.kind)],
      [t('sc.what'), (m) => (m.kind === 'metal shortfall' || m.kind === 'public stock used' ? metalName(m.what) : tOr('sector.' + m.what, m.what))],
      [t('sc.unit'), (m) => unit(m.unit)],
      [t('sc.mean'), (m) => num(m.mean, 2), { num: true }],
      [t('sc.pany'), (m) => prob(m.p_any, 1), { num: true }],
      ['P50', (m) => num(m.p50, 2), { num: true }],
      ['P95', (m) => num(m.p95, 2), { num: true }],
      ['P99', (m) => num(m.p99, 2), { num: true }],
      [t('sc.max'), (m) => num(m.max, 2), { num: true }],
    ], { class: 'metrics' }));
  const labels = r.months.map(month);
  for (const f of fans) {
    const b = chartBox('fan-' + f.i, 'short');
    grid2.appendChild(h('div', { class: 'fan' }, h('h4', null, fanTitle(f)), b));
    const lo = f.p05.map((v) => (v === null ? null : v * 100));
    const band = f.p95.map((v, k) => (v === null || f.p05[k] === null ? null : (v - f.p05[k]) * 100));
    const col = f.kind === 'metal shortfall' ? C.red : f.kind === 'public stock used' ? C.teal : C.orange;
    chart(b, 'fan-' + f.i, {
      grid: grid({ top: 28, bottom: 4 }),
      legend: { top: 0, data: ['P5–P95', t('sc.median'), t('sc.mean')], textStyle: { fontSize: 11 } },
      tooltip: {
        trigger: 'axis',
        formatter: (ps) => {
          const k = ps[0].dataIndex;
          return `<b>${esc(labels[k])}</b><br>P5 ${pct(f.p05[k] * 100)} · P50 ${pct(f.p50[k] * 100)} · P95 ${pct(f.p95[k] * 100)}<br>${esc(t('sc.mean'))} ${pct(f.mean[k] * 100)}`;
        },
      },
      xAxis: { type: 'category', data: labels, boundaryGap: false },
      yAxis: { type: 'value', min: 0, axisLabel: { formatter: pctAxis } },
      series: [
        { type: 'line', name: 'P5', data: lo, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, silent: true },
        { type: 'line', name: 'P5–P95', data: band, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: col, opacity: 0.22 }, itemStyle: { color: col } },
        { type: 'line', name: t('sc.median'), data: f.p50.map((v) => (v === null ? null : v * 100)), symbol: 'none', itemStyle: { color: col }, lineStyle: { width: 2 } },
        { type: 'line', name: t('sc.mean'), data: f.mean.map((v) => (v === null ? null : v * 100)), symbol: 'none', itemStyle: { color: PALETTE[8] }, lineStyle: { width: 1.5, type: 'dashed' } },
      ],
    });
  }
}

function fanTitle(f) {
  const what = f.kind === 'sector value lost' ? tOr('sector.' + f.label, f.label) : metalName(f.label);
  return `${tOr('series.' + f.kind, f.kind)}: ${what}`;
}
