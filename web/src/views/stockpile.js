// The stockpile (a logged-in user's): days of cover against the targets, the ledger (warehouses,
// holdings by lot, movements) and, for analysts, a purchase plan for a budget run in the background.
import * as api from '../api.js';
import { t, tOr, num, int, pct, prob, usd, usdFull, tonnes, date, metalName, countryName } from '../i18n.js';
import { h, panel, table, badge, chartBox, kpis, msg, esc } from '../dom.js';
import { chart, C, grid } from '../charts.js';

const plan = { job: null, sink: null, polling: false, form: { budget: 50000000, scenario: 'baseline', runs: 2000, days: 182.5 } };

export default async function stockpile(ctx) {
  const el = ctx.el;
  el.append(h('h1', null, t('st.title')), h('p', { class: 'lede' }, t('st.lede')));
  if (!api.can('viewer')) {
    // no login, or a company user (who sees only its own survey answers)
    el.append(panel(t('st.login'), {}, msg(t(api.user() ? 'st.login.company' : 'st.login.text'), 'callout info')));
    return;
  }
  const opt = { keep: false };
  const [cover, lots, moves, whs, verify, scens] = await Promise.all([
    api.get('/api/v1/stock/cover', opt), api.get('/api/v1/stock/lots', opt), api.get('/api/v1/stock/movements', opt),
    api.get('/api/v1/stock/warehouses', opt), api.get('/api/v1/stock/verify', opt), api.get('/api/v1/scenarios'),
  ]);
  if (!ctx.alive()) return;

  const rows = cover.metals;
  const below = rows.filter((r) => r.short_t > 0);
  const gapUsd = new Map();
  for (const r of rows) gapUsd.set(r.metal, Math.max(gapUsd.get(r.metal) || 0, r.short_usd || 0));
  const dayTarget = cover.targets.find((x) => x.metal === '*' && x.kind === 'days');
  el.append(kpis([
    [t('st.k.held'), tonnes(lots.contained_t, 1), t('st.k.held.sub', { lots: int(lots.lots), gross: tonnes(lots.gross_t, 1) })],
    [t('st.k.below'), int(new Set(below.map((r) => r.metal)).size), t('st.k.below.sub', { n: new Set(rows.map((r) => r.metal)).size }), below.length ? 'bad' : 'ok'],
    [t('st.k.gap'), usd([...gapUsd.values()].reduce((a, b) => a + b, 0)), t('st.k.gap.sub')],
    [t('st.k.verify'), verify.consistent ? t('st.ok') : t('st.problems', { n: verify.problems }), t('st.k.verify.sub', { m: int(verify.movements) }), verify.consistent ? 'ok' : 'bad'],
  ]));

  // Cover against target.
  const coverBox = chartBox('cover', 'tall');
  el.append(panel(t('st.cover'), { note: dayTarget ? t('st.cover.note', { days: int(dayTarget.value), year: dayTarget.year }) : null },
    coverBox,
    table(rows, [
      [t('col.metal'), (r) => metalName(r.metal, r.name)],
      [t('st.stock'), (r) => tonnes(r.stock_t, 2), { num: true }],
      [t('st.demand'), (r) => h('span', { class: 'hint', title: r.demand_basis }, num(r.demand_t_per_day, 3) + ' ' + t('u.tday')), { num: true }],
      [t('st.days'), (r) => num(r.days, 1) + t('u.days'), { num: true }],
      [t('st.target'), (r) => h('span', { class: 'hint', title: r.target_id }, r.target_kind === 'days' ? int(r.target_value) + t('u.days') : tonnes(r.target_value, 0)), { num: true }],
      [t('st.short'), (r) => (r.short_t > 0 ? tonnes(r.short_t, 2) : badge(t('st.met'), 'ok')), { num: true }],
      [t('st.shortusd'), (r) => usd(r.short_usd), { num: true }],
      [t('st.value'), (r) => usd(r.value_usd), { num: true }],
    ], { class: 'cover' }),
    h('p', { class: 'note' }, t('st.cover.hint'))));
  const cv = rows.map((r) => ({ ...r, held: r.target_t > 0 ? (100 * r.stock_t) / r.target_t : 0 })).reverse();
  chart(coverBox, 'cover', {
    grid: grid({ top: 22, right: 64 }),
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (ps) => {
        const r = cv[ps[0].dataIndex];
        return `<b>${esc(metalName(r.metal, r.name))}</b> (${esc(r.target_id)})<br>${esc(t('st.days'))}: ${num(r.days, 1)}<br>${esc(t('st.stock'))}: ${esc(tonnes(r.stock_t, 2))} / ${esc(tonnes(r.target_t, 2))}<br>${esc(t('st.short'))}: ${esc(tonnes(r.short_t, 2))} · ${esc(usd(r.short_usd))}`;
      },
    },
    xAxis: { type: 'value', max: (v) => Math.max(120, Math.min(200, Math.ceil(v.max / 10) * 10)), axisLabel: { formatter: (v) => pct(v, 0) } },
    yAxis: { type: 'category', data: cv.map((r) => metalName(r.metal, r.name) + (rows.filter((x) => x.metal === r.metal).length > 1 ? ' · ' + r.target_id : '')), axisLabel: { interval: 0 } },
    series: [{
      type: 'bar', name: t('st.held'),
      data: cv.map((r) => ({ value: Math.min(r.held, 200), itemStyle: { color: r.held >= 100 ? C.green : r.held >= 50 ? C.orange : C.red } })),
      label: { show: true, position: 'right', formatter: (p) => pct(cv[p.dataIndex].held, 0) },
      markLine: { silent: true, symbol: 'none', lineStyle: { color: C.grey, type: 'dashed' }, data: [{ xAxis: 100 }], label: { formatter: t('st.target') } },
    }],
  });

  // The ledger.
  el.append(h('div', { class: 'grid2' },
    panel(t('st.warehouses'), {}, table(whs, [
      [t('st.code'), (w) => w.code, { class: 'nowrap' }], [t('st.name'), (w) => w.name + (w.location ? ' · ' + w.location : '')],
      [t('st.lots'), (w) => int(w.lots), { num: true }], [t('st.gross'), (w) => tonnes(w.gross_t, 2), { num: true }],
      [t('st.contained'), (w) => tonnes(w.contained_t, 2), { num: true }],
    ], { class: 'warehouses', empty: t('st.nowh') })),
    panel(t('st.holdings'), {}, table(lots.holdings, [
      [t('st.lot'), (l) => l.lot, { class: 'nowrap' }], [t('col.metal'), (l) => metalName(l.metal)], [t('st.form'), (l) => tOr('form.' + l.form, l.form) + (l.formula ? ' ' + l.formula : '')],
      [t('st.wh'), (l) => l.warehouse], [t('st.gross'), (l) => tonnes(l.gross_t, 2), { num: true }], [t('st.contained'), (l) => tonnes(l.contained_t, 2), { num: true }],
      [t('st.acquired'), (l) => date(l.acquired)], [t('st.supplier'), (l) => (l.supplier ? countryName(l.supplier) : null)],
    ], { class: 'holdings', empty: t('st.nolots') }))));
  el.append(panel(t('st.movements'), { note: t('st.movements.note', { n: moves.length }) }, table(moves.slice().reverse().slice(0, 50), [
    ['#', (m) => m.movement, { num: true }], [t('st.date'), (m) => date(m.date)], [t('st.kind'), (m) => tOr('move.' + m.kind, m.kind)],
    [t('st.lot'), (m) => m.lot, { class: 'nowrap' }], [t('col.metal'), (m) => metalName(m.metal)],
    [t('st.fromto'), (m) => (m.from || t('st.outside')) + ' → ' + (m.to || t('st.outside'))],
    [t('st.tonnes'), (m) => tonnes(m.tonnes, 3), { num: true }], [t('st.reason'), (m) => m.reason], [t('st.actor'), (m) => m.actor],
    [t('st.reference'), (m) => m.reference],
  ], { class: 'movements', empty: t('st.nomoves') })));

  el.append(planPanel(scens, ctx));
}

// ---------------- the purchase plan ----------------

function planPanel(scens, ctx) {
  const box = h('div', { id: 'plan-result' });
  const progress = h('progress', { id: 'plan-progress', max: 100, value: 0, hidden: true });
  const status = h('span', { id: 'plan-status', class: 'run-status', role: 'status' });
  const cancel = h('button', { type: 'button', id: 'plan-cancel', class: 'ghost', hidden: true }, t('sc.cancel'));
  const f = plan.form;
  const budget = h('input', { id: 'plan-budget', type: 'number', min: 0, step: 1000000, value: f.budget, 'aria-label': t('st.budget') });
  const scen = h('select', { id: 'plan-scenario' }, scens.map((s) => h('option', { value: s.scenario, selected: s.scenario === f.scenario }, s.scenario)));
  const runs = h('select', { id: 'plan-runs' }, [500, 2000, 10000].map((n) => h('option', { value: n, selected: n === f.runs }, int(n))));
  const days = h('input', { id: 'plan-days', type: 'number', min: 0, max: 3650, step: 'any', value: f.days });
  const go = h('button', { type: 'button', id: 'plan-start' }, t('st.plan.run'));

  const draw = (j) => {
    plan.job = j;
    const active = j.status === 'queued' || j.status === 'running';
    progress.hidden = false;
    progress.value = j.progress_pct || 0;
    status.textContent = t('run.' + j.status) + (active ? ' ' + pct(j.progress_pct, 1) : '') + (j.error ? ' — ' + j.error.message : '');
    status.dataset.status = j.status;
    cancel.hidden = !active;
    go.disabled = active;
    if (j.status === 'done' && j.result) { if (box.dataset.job !== String(j.id)) drawPlan(box, j); } else if (!active) box.replaceChildren();
  };
  plan.sink = (j) => { if (ctx.alive()) draw(j); };
  go.addEventListener('click', async () => {
    plan.form = { budget: Number(budget.value) || 0, scenario: scen.value, runs: Number(runs.value), days: Number(days.value) || 182.5 };
    go.disabled = true;
    try {
      const j = await api.post('/api/v1/stock/plans', { budget_usd: plan.form.budget, scenario: plan.form.scenario, runs: plan.form.runs, purchase_days: plan.form.days });
      j.url = j.url || '/api/v1/stock/plans/' + j.id;
      box.dataset.job = '';
      draw(j);
      pollPlan();
    } catch (e) {
      go.disabled = false;
      status.textContent = t('common.failed', { what: e.message });
      status.dataset.status = 'error';
    }
  });
  cancel.addEventListener('click', async () => { if (plan.job) draw(await api.del(plan.job.url)); });

  const body = api.can('analyst') ? [
    h('div', { class: 'run-form' },
      h('label', null, t('st.budget') + ' (USD) ', budget), h('label', null, t('sc.scenario') + ' ', scen),
      h('label', null, t('sc.futures') + ' ', runs), h('label', null, t('st.purchasedays') + ' ', days), go),
    h('div', { class: 'run-progress' }, progress, status, cancel), box,
  ] : [msg(t('st.plan.needanalyst'), 'callout info')];
  if (plan.job) queueMicrotask(() => { box.dataset.job = ''; draw(plan.job); if (plan.job.status === 'queued' || plan.job.status === 'running') pollPlan(); });
  return panel(t('st.plan'), { note: t('st.plan.note'), id: 'plan-panel' }, ...body);
}

async function pollPlan() {
  if (plan.polling) return;
  plan.polling = true;
  try {
    while (plan.job && (plan.job.status === 'queued' || plan.job.status === 'running')) {
      await new Promise((r) => setTimeout(r, 400));
      const j = await api.get(plan.job.url, { keep: false });
      j.url = plan.job.url;
      plan.job = j;
      if (plan.sink) plan.sink(j);
    }
  } catch (e) {
    if (plan.sink && plan.job) plan.sink({ ...plan.job, status: 'failed', error: { message: e.message } });
  } finally {
    plan.polling = false;
  }
}

function drawPlan(box, j) {
  const r = j.result, s = r.summary;
  box.dataset.job = String(j.id);
  const fBox = chartBox('plan-frontier');
  const buys = r.metals.slice().sort((a, b) => b.cost_usd - a.cost_usd);
  box.replaceChildren(
    kpis([
      [t('st.p.loss0'), usd(s.expected_loss_no_purchase_usd), t('st.p.loss0.sub')],
      [t('st.p.loss1'), usd(s.expected_loss_with_plan_usd), t('st.p.loss1.sub', { spent: usd(s.spent_usd) }), 'ok'],
      [t('st.p.protected'), usd(s.protected_usd), t('st.p.protected.sub', { x: num(s.spent_usd > 0 ? s.protected_usd / s.spent_usd : null, 1) })],
      [t('st.p.rules'), usd(s.rule_equal_cover_loss_usd), t('st.p.rules.sub', { sr: usd(s.rule_by_sr_loss_usd) })],
    ]),
    h('div', { class: 'grid2' },
      h('div', null, h('h3', null, t('st.p.frontier')), fBox),
      h('div', null, h('h3', null, t('st.p.buys')), table(buys, [
        [t('col.metal'), (m) => metalName(m.metal)], [t('st.p.buy'), (m) => tonnes(m.buy_t, 2), { num: true }],
        [t('st.p.cost'), (m) => usd(m.cost_usd), { num: true }], [t('st.p.pshort'), (m) => prob(m.p_short, 0), { num: true }],
        [t('st.p.coverafter'), (m) => num(m.cover_days_after, 0) + t('u.days'), { num: true }],
      ], { class: 'plan-metals' }))),
    r.not_planned ? h('p', { class: 'note' }, t('st.p.notplanned', { list: r.not_planned })) : null);
  chart(fBox, 'plan-frontier', {
    grid: grid({ top: 28 }), tooltip: { trigger: 'axis', valueFormatter: (v) => usdFull(v) },
    xAxis: { type: 'category', data: r.frontier.map((x) => usd(x.budget_usd)), name: t('st.budget') },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => usd(v) } },
    series: [{ type: 'line', name: t('st.p.loss1'), data: r.frontier.map((x) => x.expected_loss_usd), itemStyle: { color: C.blue }, areaStyle: { opacity: 0.12 } }],
  });
}
