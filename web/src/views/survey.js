// The industry survey (docs/SURVEY.md): the industry's shape (charts by size, stage, sector and
// region, localisation by stage, concentration of demand) with the confidentiality rule under every
// table and chart — the published view for everyone, the withheld values marked for analysts —; the
// exposure of every company and a scenario's effect (analysts); a company's own page with its
// answers, exposure, history and a form to enter and correct them (its own users and analysts).
// Synthetic test data are labelled SYNTHETIC wherever they show.
//   #/survey[/YEAR]  #/survey/exposure[/SCENARIO]  #/survey/company[/BRN[/YEAR]]
import * as api from '../api.js';
import { t, tOr, num, int, pct, getLang, metalName, countryName, dateTime } from '../i18n.js';
import { h, panel, table, badge, chartBox, kpis, msg, esc } from '../dom.js';
import { chart, C, grid, baseFont } from '../charts.js';

const TABS = ['stats', 'exposure', 'company'];
const FIELDS = ['stage', 'consumed_t', 'produced_t', 'import_pct', 'domestic_pct', 'recycled_pct', 'origins', 'inventory_days',
  'substitutes', 'difficulties', 'difficulty_text'];
const PROFILE_FIELDS = ['name_ko', 'name_en', 'size', 'ksic', 'avg_sales_krw_bn', 'total_assets_krw_bn', 'region', 'stages', 'sectors'];
const state = { scenario: 'cn-heavy-ree-magnets-2025', notice: null };

export default async function survey(ctx) {
  const el = ctx.el;
  const [tab0, ...rest] = ctx.args;
  const tab = /^\d{4}$/.test(tab0 || '') ? 'stats' : TABS.includes(tab0) ? tab0 : 'stats';
  const me = api.user();
  el.append(h('h1', null, t('sv.title')), h('p', { class: 'lede' }, t('sv.lede')), tabs(tab, me));
  const [codes, campaigns] = await Promise.all([api.get('/api/v1/survey/codes'), api.get('/api/v1/survey/campaigns', { keep: false })]);
  if (!ctx.alive()) return;
  if (!campaigns.length) {
    el.append(msg(t('sv.nocampaign'), 'callout info'));
    return;
  }
  const names = codeNames(codes);
  if (tab === 'exposure') return exposureTab(ctx, rest, names);
  if (tab === 'company') return companyTab(ctx, rest, names, codes);
  return statsTab(ctx, /^\d{4}$/.test(tab0 || '') ? Number(tab0) : 0, campaigns, names);
}

function tabs(active, me) {
  const shown = TABS.filter((x) => x === 'stats' || (x === 'exposure' ? api.can('analyst') : !!me && (me.role === 'company' || api.can('analyst'))));
  return h('nav', { class: 'subnav', id: 'survey-tabs' }, shown.map((x) => h('a', {
    href: x === 'company' && me && me.company ? '#/survey/company/' + me.company : '#/survey' + (x === 'stats' ? '' : '/' + x),
    class: x === active ? 'active' : '', dataset: { tab: x },
  }, t('sv.tab.' + x + (x === 'company' && me && me.role === 'company' ? '.own' : '')))));
}

// ---------------- names and cells ----------------

function codeNames(codes) {
  const m = new Map();
  for (const set of ['stages', 'sectors', 'regions', 'difficulties'])
    for (const c of codes[set]) m.set(set + ':' + c.code, c);
  return {
    of(set, code) {
      const c = m.get(set + ':' + code);
      if (!c) return code;
      return getLang() === 'ko' ? c.name_ko : c.name_en;
    },
    list(set, text) { return (text || '').split(';').filter(Boolean).map((c) => this.of(set, c)).join(', '); },
    codes: (set) => codes[set],
  };
}

// A row's label in the chosen language (the API's label is English with the Korean in brackets).
function rowLabel(table, row, names) {
  const k = row.key;
  if (k === 'total') return t('sv.total');
  switch (table) {
    case 'size': case 'exposure': case 'impact': return t('sv.size.' + k);
    case 'stage': return names.of('stages', k);
    case 'sector': return names.of('sectors', k);
    case 'region': return names.of('regions', k);
    case 'metal': case 'concentration': return metalName(k);
    case 'origins': { const [m, c] = k.split(':'); return metalName(m) + ' ← ' + countryName(c); }
    case 'localisation': { const [ch, st] = k.split(':'); return tOr('chain.' + ch, ch) + ' · ' + names.of('stages', st); }
    default: return row.label;
  }
}

// A cell as text: the value, or its mark when withheld (an analyst sees the value and the mark).
function cellText(cell, col) {
  if (!cell || cell.status === 'empty') return '–';
  if (cell.value === null) return cell.mark || '–';
  const d = col.decimals;
  let v;
  if (col.key.endsWith('_pct')) v = pct(cell.value, d);
  else if (col.key === 'change') v = (cell.value > 0 ? '+' : '') + int(cell.value);
  else if (col.key.endsWith('_t')) v = num(cell.value, d) + ' ' + t('u.t');
  else if (col.key === 'inventory_days') v = num(cell.value, d) + t('u.days');
  else v = d === 0 ? int(cell.value) : num(cell.value, d);
  return cell.mark ? v + ' ' + cell.mark : v;
}

function cellNode(cell, col) {
  const text = cellText(cell, col);
  if (!cell || cell.status === 'shown' || cell.status === 'empty') return text;
  return h('span', { class: 'withheld', title: t('sv.status.' + cell.status), dataset: { status: cell.status } }, text);
}

// The rule, as every published table states it (the API's own words), and the data's label.
// In Korean the rule is translated; the API's own words stay in the title.
const ruleNote = (rule) => h('p', { class: 'note rule', title: rule }, getLang() === 'en' ? rule : t('sv.rule'));
// ... and what company-level panels (never published) say instead.
const confNote = () => h('p', { class: 'note confidential-note' }, h('b', null, t('sv.confidential') + ': '), t('sv.confidential.panel'));
const synthOpts = (data, extra = {}) => (data.synthetic ? { ...extra, badge: t('sv.synthetic'), badgeClass: 'warn synthetic' } : extra);

function dataBanner(data) {
  const out = [];
  if (data.synthetic) out.push(h('p', { class: 'callout warn synthetic-note' }, h('b', null, t('sv.synthetic') + ': '), t('sv.synthetic.text'), ' ', h('span', { lang: 'en' }, data.data_note)));
  if (data.confidential) out.push(h('p', { class: 'callout bad confidential' }, h('b', null, t('sv.confidential') + ': '), t('sv.confidential.' + (data.view === 'analyst' ? 'analyst' : 'company'))));
  return out;
}

function statsTable(tb, names, cls) {
  const cols = [[t('sv.col.key.' + tb.name), (r) => rowLabel(tb.name, r, names)]];
  for (const c of tb.columns) cols.push([tOr('sv.col.' + c.key + '.' + tb.name, tOr('sv.col.' + c.key, c.label)), (r) => cellNode(r.cells[c.key], c), { num: true }]);
  return table(tb.rows, cols, { class: 'survey-table ' + (cls || 'survey-' + tb.name), rowClass: (r) => (r.key === 'total' ? 'total' : '') });
}

// ---------------- charts ----------------

// Bars of one column (without the total row); withheld bars are drawn empty and labelled with their mark.
function barChart(box, name, tb, col, names, opts = {}) {
  const rows = tb.rows.filter((r) => r.key !== 'total');
  const c = tb.columns.find((x) => x.key === col);
  const f = baseFont();
  const horizontal = opts.horizontal !== undefined ? opts.horizontal : rows.length > 6;
  const labels = rows.map((r) => rowLabel(tb.name, r, names));
  const data = rows.map((r) => {
    const cell = r.cells[col];
    const withheld = cell.value === null && cell.status !== 'empty';
    return {
      value: cell.value === null ? 0 : cell.value,
      itemStyle: { color: withheld ? C.light : cell.mark ? C.orange : opts.color || C.blue },
      label: { show: true, position: horizontal ? 'right' : 'top', formatter: () => cellText(cell, c), color: withheld ? C.grey : '#33414d', fontSize: Math.round(f * 0.72) },
    };
  });
  const cat = { type: 'category', data: horizontal ? labels.slice().reverse() : labels, axisLabel: { interval: 0, fontSize: Math.round(f * 0.7), width: horizontal ? 150 : 90, overflow: 'truncate' } };
  const val = { type: 'value', axisLabel: { formatter: (v) => (col.endsWith('_pct') ? pct(v, 0) : int(v)) }, splitLine: { lineStyle: { color: '#eef1f4' } } };
  chart(box, name, {
    grid: grid({ top: 24, right: 48 }),
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const i = horizontal ? rows.length - 1 - p.dataIndex : p.dataIndex;
        const r = rows[i], cell = r.cells[col];
        return `<b>${esc(labels[i])}</b><br>${esc(tOr('sv.col.' + col, c.label))}: ${esc(cellText(cell, c))}` +
          (cell.status !== 'shown' && cell.status !== 'empty' ? `<br>${esc(t('sv.status.' + cell.status))}` : '');
      },
    },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? cat : val,
    series: [{ type: 'bar', name: tOr('sv.col.' + col, c.label), data: horizontal ? data.slice().reverse() : data, barMaxWidth: 42 }],
  });
}

// Localisation: supply by source type, stacked to 100%, per chain and stage.
function localisationChart(box, tb, names) {
  const rows = tb.rows;
  const f = baseFont();
  const labels = rows.map((r) => rowLabel('localisation', r, names)).reverse();
  const parts = [['domestic_pct', C.green], ['import_pct', C.blue], ['recycled_pct', C.teal]];
  const series = parts.map(([k, color]) => ({
    type: 'bar', stack: 'supply', name: t('sv.col.' + k), itemStyle: { color },
    data: rows.map((r) => (r.cells[k].value === null ? 0 : r.cells[k].value)).reverse(),
    label: { show: true, formatter: (p) => (p.value >= 8 ? pct(p.value, 0) : ''), color: '#fff', fontSize: Math.round(f * 0.68) },
  }));
  // rows whose shares are withheld: an empty bar with the mark
  series.push({
    type: 'bar', stack: 'supply', name: t('sv.withheld'), itemStyle: { color: C.light },
    data: rows.map((r) => (r.cells.domestic_pct.value === null ? 100 : 0)).reverse(),
    label: { show: true, formatter: (p) => (p.value ? rows[rows.length - 1 - p.dataIndex].cells.domestic_pct.mark || '' : ''), color: C.grey },
  });
  chart(box, 'survey-localisation', {
    grid: grid({ top: 30, right: 24 }),
    legend: { top: 0, textStyle: { fontSize: Math.round(f * 0.72) } },
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (ps) => {
        const r = rows[rows.length - 1 - ps[0].dataIndex];
        return `<b>${esc(labels[ps[0].dataIndex])}</b><br>` + tb.columns.map((c) => `${esc(tOr('sv.col.' + c.key + '.localisation', tOr('sv.col.' + c.key, c.label)))}: ${esc(cellText(r.cells[c.key], c))}`).join('<br>');
      },
    },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: (v) => pct(v, 0) } },
    yAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontSize: Math.round(f * 0.68), width: 190, overflow: 'truncate' } },
    series,
  });
}

// ---------------- the industry's shape ----------------

async function statsTab(ctx, year, campaigns, names) {
  const el = ctx.el;
  const full = api.can('analyst');
  const q = year ? '?year=' + year : '';
  const s = await api.get((full ? '/api/v1/survey/stats/full' : '/api/v1/survey/stats') + q, { keep: false });
  if (!ctx.alive()) return;
  const by = Object.fromEntries(s.tables.map((x) => [x.name, x]));
  const yearSel = h('select', { id: 'survey-year', onchange: () => ctx.go('#/survey/' + yearSel.value) },
    campaigns.map((c) => h('option', { value: c.year, selected: c.year === s.year }, String(c.year))));
  el.append(h('div', { class: 'title-row' },
    h('h2', null, t('sv.stats.title', { year: s.year }), ' ', badge(full ? t('sv.view.analyst') : t('sv.view.public'), full ? 'bad' : 'ok')),
    h('label', { class: 'picker' }, t('sv.campaign') + ' ', yearSel)));
  el.append(...dataBanner(s));
  const total = by.size.rows.find((r) => r.key === 'total');
  const sup = s.suppression;
  el.append(kpis([
    [t('sv.k.companies'), int(total.cells.companies.value), s.prev_year ? t('sv.k.companies.sub', { prev: int(total.cells.companies_prev.value), year: s.prev_year }) : t('sv.k.first')],
    [t('sv.k.small'), cellText(by.size.rows.find((r) => r.key === 'small').cells.share_pct, by.size.columns[1]), t('sv.k.small.sub')],
    [t('sv.k.metals'), int(by.metal.rows.length), t('sv.k.metals.sub')],
    [t('sv.k.withheld'), int(sup.withheld_by_rule + sup.withheld_to_protect), t('sv.k.withheld.sub', { a: int(sup.withheld_by_rule), b: int(sup.withheld_to_protect), n: int(sup.figures_audited), d: int(sup.figures_disclosed) }), 'ok'],
  ]));

  // Charts by size, stage, sector and region, each with its table and the rule.
  const chartPanel = (name, col, opts = {}) => {
    const tb = by[name];
    const box = chartBox('survey-' + name, opts.tall ? 'tall' : '');
    const p = panel(t('sv.t.' + name), synthOpts(s, { note: t('sv.t.' + name + '.note'), id: 'panel-' + name, class: 'survey-panel' }), box,
      h('details', { class: 'table-details' }, h('summary', null, t('sv.table')), statsTable(tb, names)), ruleNote(tb.rule));
    return [p, () => barChart(box, 'survey-' + name, tb, col, names, opts)];
  };
  const made = [chartPanel('size', 'companies', { horizontal: false }), chartPanel('stage', 'companies', { horizontal: false }),
    chartPanel('sector', 'companies', { tall: true }), chartPanel('region', 'companies', { tall: true })];
  el.append(h('div', { class: 'grid2' }, made[0][0], made[1][0]), h('div', { class: 'grid2' }, made[2][0], made[3][0]));
  for (const [, draw] of made) draw();

  // Localisation by stage and concentration of demand.
  const locBox = chartBox('survey-localisation', 'tall');
  const concBox = chartBox('survey-concentration', 'tall');
  el.append(h('div', { class: 'grid2' },
    panel(t('sv.t.localisation'), synthOpts(s, { note: t('sv.t.localisation.note'), id: 'panel-localisation', class: 'survey-panel' }), locBox,
      h('details', { class: 'table-details' }, h('summary', null, t('sv.table')), statsTable(by.localisation, names)), ruleNote(by.localisation.rule)),
    panel(t('sv.t.concentration'), synthOpts(s, { note: t('sv.t.concentration.note'), id: 'panel-concentration', class: 'survey-panel' }), concBox,
      h('details', { class: 'table-details' }, h('summary', null, t('sv.table')), statsTable(by.concentration, names)), ruleNote(by.concentration.rule))));
  localisationChart(locBox, by.localisation, names);
  barChart(concBox, 'survey-concentration', by.concentration, 'top3_pct', names, { horizontal: true, color: C.purple });

  // Metals and origins as tables.
  el.append(panel(t('sv.t.metal'), synthOpts(s, { note: t('sv.t.metal.note'), id: 'panel-metal', class: 'survey-panel' }), statsTable(by.metal, names), ruleNote(by.metal.rule)));
  el.append(panel(t('sv.t.origins'), synthOpts(s, { note: t('sv.t.origins.note'), id: 'panel-origins', class: 'survey-panel' }), statsTable(by.origins, names), ruleNote(by.origins.rule)));
  el.append(h('p', { class: 'note' }, t('sv.marks')));
  const me = api.user();
  if (!me) el.append(msg(t('sv.login'), 'callout info'));
}

// ---------------- exposure (analysts) ----------------

async function exposureTab(ctx, rest, names) {
  const el = ctx.el;
  if (!api.can('analyst')) {
    el.append(msg(t('sv.exposure.analysts'), 'callout info'));
    return;
  }
  if (rest[0]) state.scenario = rest[0];
  const [x, scens] = await Promise.all([api.get('/api/v1/survey/exposure', { keep: false }), api.get('/api/v1/scenarios')]);
  if (!ctx.alive()) return;
  el.append(h('h2', null, t('sv.exposure.title', { year: x.year }), ' ', badge(t('sv.view.analyst'), 'bad')));
  el.append(...dataBanner(x));
  const above = x.rows.filter((r) => r.score !== null && r.score >= x.sr_threshold);
  el.append(kpis([
    [t('sv.k.pairs'), int(x.rows.length), t('sv.k.pairs.sub')],
    [t('sv.k.above'), int(above.length), t('sv.k.above.sub', { sr: num(x.sr_threshold) }), above.length ? 'bad' : 'ok'],
    [t('sv.k.companiesabove'), int(new Set(above.map((r) => r.brn)).size), t('sv.k.companiesabove.sub')],
  ]));
  const top = x.rows.filter((r) => r.score !== null).slice().sort((a, b) => b.score - a.score).slice(0, 20).reverse();
  const box = chartBox('survey-exposure', 'tall');
  el.append(panel(t('sv.exposure.chart'), synthOpts(x, { note: t('sv.exposure.chart.note', { sr: num(x.sr_threshold) }), class: 'survey-panel' }), box, confNote()));
  const f = baseFont();
  chart(box, 'survey-exposure', {
    grid: grid({ top: 26, right: 40 }),
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (ps) => {
        const r = top[ps[0].dataIndex];
        return `<b>${esc(r.company)}</b> · ${esc(metalName(r.metal))}<br>${esc(t('sv.score'))}: ${num(r.score, 2)} (${esc(t('sv.national'))} ${num(r.national_sr, 2)})<br>${esc(r.driver || '')}`;
      },
    },
    xAxis: { type: 'value', name: t('sv.score'), splitLine: { lineStyle: { color: '#eef1f4' } } },
    yAxis: { type: 'category', data: top.map((r) => r.company.replace(/^Fictitious /, '').replace(/ \(test\)$/, '') + ' · ' + r.metal), axisLabel: { interval: 0, fontSize: Math.round(f * 0.66) } },
    series: [
      { type: 'bar', name: t('sv.score'), data: top.map((r) => ({ value: r.score, itemStyle: { color: r.score >= x.sr_threshold ? C.red : C.blue } })),
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: C.grey }, data: [{ xAxis: x.sr_threshold }], label: { formatter: 'SR ' + num(x.sr_threshold) } } },
      { type: 'scatter', name: t('sv.national'), data: top.map((r) => r.national_sr), symbol: 'diamond', symbolSize: f * 0.7, itemStyle: { color: C.gold } },
    ],
  });
  el.append(panel(t('sv.exposure.table'), synthOpts(x, { note: t('sv.exposure.table.note'), class: 'survey-panel' }), table(x.rows, [
    [t('sv.company'), (r) => h('a', { href: '#/survey/company/' + r.brn }, getLang() === 'ko' ? r.name_ko : r.company), { class: 'nowrap' }],
    [t('sv.col.key.size'), (r) => t('sv.size.' + r.size)],
    [t('col.metal'), (r) => metalName(r.metal)],
    [t('sv.col.consumed_t'), (r) => num(r.consumed_t, 2) + ' ' + t('u.t'), { num: true }],
    [t('sv.col.import_pct'), (r) => pct(r.import_pct, 0), { num: true }],
    [t('sv.col.recycled_pct'), (r) => pct(r.recycled_pct, 0), { num: true }],
    [t('sv.national'), (r) => num(r.national_sr, 2), { num: true }],
    [t('sv.score'), (r) => (r.score === null ? h('span', { class: 'hint', title: r.why_not }, '–') : h('span', { class: r.score >= x.sr_threshold ? 'bad-text' : '' }, num(r.score, 2))), { num: true }],
    [t('sv.vsnational'), (r) => (r.vs_national === null ? null : '×' + num(r.vs_national, 2)), { num: true }],
    [t('sv.driver'), (r) => h('span', { lang: 'en' }, r.driver || r.why_not)],
    [t('sv.hitby'), (r) => h('span', null, r.hit_by.map((x2) => badge(x2.scenario + (x2.stockout ? ' !' : ''), x2.stockout ? 'bad' : 'warn')))],
  ], { class: 'survey-exposure', onRow: (r) => ctx.go('#/survey/company/' + r.brn) }), confNote()));
  el.append(panel(t('sv.t.exposed'), synthOpts(x, { note: t('sv.t.exposed.note', { sr: num(x.sr_threshold) }), class: 'survey-panel' }), statsTable(x.summary, names, 'survey-exposed'), ruleNote(x.summary.rule)));

  // A scenario's effect on the companies.
  const sel = h('select', { id: 'impact-scenario', onchange: () => ctx.go('#/survey/exposure/' + encodeURIComponent(sel.value)) },
    scens.map((s2) => h('option', { value: s2.scenario, selected: s2.scenario === state.scenario }, s2.scenario)));
  const impactBox = h('div', { id: 'impact-result' });
  el.append(panel(t('sv.impact'), synthOpts(x, { note: t('sv.impact.note'), id: 'impact-panel', class: 'survey-panel' }),
    h('label', { class: 'picker' }, t('sc.scenario') + ' ', sel), impactBox));
  let im;
  try {
    im = await api.get('/api/v1/survey/exposure/' + encodeURIComponent(state.scenario), { keep: false });
  } catch (e) {
    impactBox.append(msg(t('common.failed', { what: e.message }), 'error'));
    return;
  }
  if (!ctx.alive()) return;
  const ib = chartBox('survey-impact');
  impactBox.append(h('p', { class: 'note' }, t('sv.impact.meta', { from: im.from, to: im.to, n: int(im.rows.length), other: int(im.not_hit) })), ib,
    table(im.rows, [
      [t('sv.company'), (r) => h('a', { href: '#/survey/company/' + r.brn }, getLang() === 'ko' ? r.name_ko : r.company), { class: 'nowrap' }],
      [t('col.metal'), (r) => metalName(r.metal)],
      [t('sv.col.inventory_days'), (r) => num(r.inventory_days, 0) + t('u.days'), { num: true }],
      [t('sv.importcut'), (r) => pct(r.import_cut_max_pct, 0), { num: true }],
      [t('sv.marketshort'), (r) => pct(r.market_short_max_pct, 1), { num: true }],
      [t('sv.supplylost'), (r) => pct(r.supply_lost_max_pct, 0), { num: true }],
      [t('sv.firsthit'), (r) => r.first_affected || '–'],
      [t('sv.stockout'), (r) => (r.stockout ? badge(r.stockout, 'bad') : t('common.no'))],
      [t('sc.monthsshort'), (r) => int(r.months_short), { num: true }],
      [t('sv.notserved'), (r) => num(r.shortfall_t, 2) + ' ' + t('u.t'), { num: true }],
    ], { class: 'survey-impact', empty: t('sv.impact.none') }), confNote(),
    h('h3', null, t('sv.t.hit')), statsTable(im.summary, names, 'survey-impact-summary'), ruleNote(im.summary.rule));
  const rows = im.rows.slice().reverse();
  chart(ib, 'survey-impact', {
    grid: grid({ top: 16, right: 40 }),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => pct(v, 0) },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: (v) => pct(v, 0) } },
    yAxis: { type: 'category', data: rows.map((r) => r.company.replace(/^Fictitious /, '').replace(/ \(test\)$/, '') + ' · ' + r.metal), axisLabel: { interval: 0, fontSize: Math.round(f * 0.66) } },
    series: [{ type: 'bar', name: t('sv.supplylost'), data: rows.map((r) => ({ value: r.supply_lost_max_pct, itemStyle: { color: r.stockout ? C.red : C.orange } })) }],
  });
}

// ---------------- a company's own page ----------------

async function companyTab(ctx, rest, names, codes) {
  const el = ctx.el;
  const me = api.user();
  if (!me) {
    el.append(msg(t('sv.company.login'), 'callout info'));
    return;
  }
  const analyst = api.can('analyst');
  if (!analyst && me.role !== 'company') {
    el.append(msg(t('sv.company.role', { role: t('role.' + me.role) }), 'callout info'));
    return;
  }
  let brn = rest[0] || (me.role === 'company' ? me.company : null);
  const year = /^\d{4}$/.test(rest[1] || '') ? Number(rest[1]) : 0;
  if (analyst) {
    // analysts choose any company of the latest campaign
    const list = await api.get('/api/v1/survey/companies', { keep: false });
    if (!ctx.alive()) return;
    const sel = h('select', { id: 'company-select', onchange: () => ctx.go('#/survey/company/' + sel.value) },
      h('option', { value: '', selected: !brn }, t('sv.company.choose')),
      list.companies.map((c) => h('option', { value: c.brn, selected: c.brn === brn }, (getLang() === 'ko' ? c.name_ko : c.name_en) + ' · ' + c.brn)));
    el.append(h('label', { class: 'picker' }, t('sv.company') + ' ', sel));
    if (!brn) return;
  }
  let page;
  try {
    page = await api.get('/api/v1/survey/companies/' + encodeURIComponent(brn) + (year ? '?year=' + year : ''), { keep: false });
  } catch (e) {
    if (!ctx.alive()) return;
    if (e.status === 404) {
      el.append(msg(t('sv.company.notfound'), 'callout warn notfound'));
      return;
    }
    throw e;
  }
  if (!ctx.alive()) return;
  const p = page.profile;
  const yearSel = h('select', { id: 'company-year', onchange: () => ctx.go('#/survey/company/' + page.company + '/' + yearSel.value) },
    page.campaigns.map((y) => h('option', { value: y, selected: y === page.year }, String(y))));
  el.append(h('div', { class: 'title-row' },
    h('h2', { id: 'company-name' }, getLang() === 'ko' ? p.name_ko : p.name_en, ' ', h('span', { class: 'code' }, page.company)),
    h('label', { class: 'picker' }, t('sv.campaign') + ' ', yearSel)));
  el.append(...dataBanner(page));
  if (state.notice) {
    el.append(h('p', { class: 'callout ok', id: 'survey-notice', role: 'status' }, state.notice));
    state.notice = null;
  }
  const answers = page.answers;
  el.append(kpis([
    [t('sv.col.key.size'), t('sv.size.' + p.size), h('span', { lang: 'en' }, p.size_basis)],
    [t('sv.k.answers'), int(answers.length), t('sv.k.answers.sub', { year: page.year })],
    [t('sv.k.worst'), page.exposure.rows.length && page.exposure.rows[0].score !== null ? num(page.exposure.rows[0].score, 2) : '–',
      page.exposure.rows.length ? metalName(page.exposure.rows[0].metal) + ' · ' + t('sv.k.worst.sub', { sr: num(page.exposure.sr_threshold) }) : '',
      page.exposure.rows.some((r) => r.score !== null && r.score >= page.exposure.sr_threshold) ? 'bad' : 'ok'],
    [t('sv.k.versions'), int(page.history.length), t('sv.k.versions.sub')],
  ]));
  // profile
  const kv = [
    [t('sv.p.names'), p.name_ko + ' · ' + p.name_en], [t('sv.p.ksic'), p.ksic],
    [t('sv.p.sales'), p.avg_sales_krw_bn === null ? '–' : num(p.avg_sales_krw_bn, 1) + ' ' + t('u.krwbn')],
    [t('sv.p.assets'), p.total_assets_krw_bn === null ? '–' : num(p.total_assets_krw_bn, 1) + ' ' + t('u.krwbn')],
    [t('sv.p.region'), names.of('regions', p.region)], [t('sv.p.stages'), names.list('stages', p.stages)],
    [t('sv.p.sectors'), names.list('sectors', p.sectors)],
    [t('sv.p.version'), t('sv.p.version.text', { v: p.version, by: p.actor, at: dateTime(p.recorded_at), reason: p.reason })],
  ];
  el.append(panel(t('sv.profile'), synthOpts(page, { id: 'company-profile', class: 'survey-panel' }),
    h('table', { class: 'data kv' }, h('tbody', null, kv.map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, v))))), confNote(),
    profileForm(ctx, page, names, codes)));
  // answers and exposure
  const expBy = new Map(page.exposure.rows.map((r) => [r.metal, r]));
  const form = answerForm(ctx, page, names, codes);
  el.append(panel(t('sv.answers', { year: page.year }), synthOpts(page, { id: 'company-answers', class: 'survey-panel', note: t('sv.answers.note') }),
    table(answers, [
      [t('col.metal'), (a) => h('span', null, metalName(a.metal, a.metal_name), h('span', { class: 'code' }, ' ' + a.metal))],
      [t('sv.stage'), (a) => names.of('stages', a.stage)],
      [t('sv.col.consumed_t'), (a) => num(a.consumed_t, 2) + ' ' + t('u.t'), { num: true }],
      [t('sv.col.produced_t'), (a) => num(a.produced_t, 2) + ' ' + t('u.t'), { num: true }],
      [t('sv.col.import_pct'), (a) => pct(a.import_pct, 1), { num: true }],
      [t('sv.col.domestic_pct'), (a) => pct(a.domestic_pct, 1), { num: true }],
      [t('sv.col.recycled_pct'), (a) => pct(a.recycled_pct, 1), { num: true }],
      [t('sv.origins'), (a) => a.origins.split(';').filter(Boolean).map((o) => { const [c, v] = o.split(':'); return countryName(c) + ' ' + pct(Number(v), 0); }).join(', ')],
      [t('sv.col.inventory_days'), (a) => num(a.inventory_days, 0) + t('u.days'), { num: true }],
      [t('sv.difficulties'), (a) => names.list('difficulties', a.difficulties)],
      [t('sv.score'), (a) => { const x = expBy.get(a.metal); return x && x.score !== null ? h('span', { class: x.score >= page.exposure.sr_threshold ? 'bad-text' : '' }, num(x.score, 2)) : '–'; }, { num: true }],
      [t('sv.version'), (a) => 'v' + a.version, { num: true }],
      ['', (a) => h('button', { type: 'button', class: 'ghost small edit-answer', dataset: { metal: a.metal }, onclick: () => form.load(a) }, t('sv.correct'))],
    ], { class: 'company-answers', empty: t('sv.noanswers') }), confNote(), form.el));
  const eb = chartBox('company-exposure', 'short');
  el.append(panel(t('sv.company.exposure'), synthOpts(page, { note: t('sv.company.exposure.note', { sr: num(page.exposure.sr_threshold) }), class: 'survey-panel' }), eb, confNote()));
  const er = page.exposure.rows;
  chart(eb, 'company-exposure', {
    grid: grid({ top: 26, right: 24 }), legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps) => { const r = er[ps[0].dataIndex]; return `<b>${esc(metalName(r.metal))}</b><br>${esc(t('sv.score'))}: ${num(r.score, 2)}<br>${esc(t('sv.national'))}: ${num(r.national_sr, 2)}<br>${esc(r.driver || r.why_not || '')}`; } },
    xAxis: { type: 'category', data: er.map((r) => metalName(r.metal)) },
    yAxis: { type: 'value', splitLine: { lineStyle: { color: '#eef1f4' } } },
    series: [
      { type: 'bar', name: t('sv.score'), data: er.map((r) => ({ value: r.score, itemStyle: { color: r.score !== null && r.score >= page.exposure.sr_threshold ? C.red : C.blue } })), barMaxWidth: 48,
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: C.grey }, data: [{ yAxis: page.exposure.sr_threshold }], label: { formatter: 'SR ' + num(page.exposure.sr_threshold) } } },
      { type: 'bar', name: t('sv.national'), data: er.map((r) => r.national_sr), itemStyle: { color: C.gold }, barMaxWidth: 48 },
    ],
  });
  // history
  el.append(panel(t('sv.history'), synthOpts(page, { id: 'company-history', class: 'survey-panel', note: t('sv.history.note') }), table(page.history.slice().reverse(), [
    [t('sv.h.at'), (v) => dateTime(v.recorded_at), { class: 'nowrap' }], [t('sv.h.by'), (v) => v.actor], [t('sv.campaign'), (v) => String(v.year)],
    [t('sv.h.what'), (v) => (v.kind === 'profile' ? t('sv.profile') : metalName(v.metal))], [t('sv.version'), (v) => 'v' + v.version + (v.withdrawn ? ' · ' + t('sv.withdrawn') : ''), { num: true }],
    [t('sv.h.changes'), (v) => h('span', { lang: 'en', class: 'changes' }, v.changes === 'first version' ? t('sv.h.first') : v.changes)],
    [t('sv.h.reason'), (v) => v.reason], [t('sv.h.source'), (v) => (v.source === 'correction' ? t('sv.h.correction') : v.source)],
  ], { class: 'company-history' }), confNote()));
}

// The entry and correction form of an answer: only the fields changed are sent, as the campaign CSV
// writes them; the library checks the result as an imported row and records a new version.
function answerForm(ctx, page, names, codes) {
  const stages = page.profile.stages.split(';').filter(Boolean);
  const inputs = {};
  const fieldInput = (k) => {
    if (k === 'stage') return h('select', { name: k }, stages.map((s) => h('option', { value: s }, names.of('stages', s))));
    if (k === 'difficulties' || k === 'difficulty_text' || k === 'substitutes' || k === 'origins') return h('input', { name: k, type: 'text', size: k === 'origins' ? 16 : 24, placeholder: k === 'origins' ? 'CHN:70;JPN:30' : '' });
    return h('input', { name: k, type: 'text', inputmode: 'decimal', size: 7 });
  };
  for (const k of FIELDS) inputs[k] = fieldInput(k);
  const metal = h('select', { id: 'answer-metal', name: 'metal' },
    page.answers.map((a) => h('option', { value: a.metal }, metalName(a.metal, a.metal_name))), h('option', { value: '' }, t('sv.f.newmetal')));
  const newMetal = h('input', { id: 'answer-newmetal', type: 'text', size: 8, placeholder: 'Ga', hidden: true });
  const reason = h('input', { id: 'answer-reason', name: 'reason', type: 'text', size: 40, required: true });
  const withdraw = h('input', { id: 'answer-withdraw', type: 'checkbox' });
  const status = h('p', { id: 'answer-status', class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', id: 'answer-submit' }, t('sv.f.save'));
  let current = null;
  const load = (a) => {
    current = a;
    metal.value = a ? a.metal : '';
    newMetal.hidden = !!a;
    for (const k of FIELDS) inputs[k].value = a ? String(a[k]) : k === 'stage' ? stages[0] : '';
    withdraw.checked = false;
    status.textContent = '';
    for (const x of Object.values(inputs)) x.classList.remove('bad-field');
    if (a && formEl.isConnected) formEl.scrollIntoView({ block: 'nearest' });
  };
  metal.addEventListener('change', () => load(page.answers.find((a) => a.metal === metal.value) || null));
  const formEl = h('form', {
    id: 'answer-form', class: 'survey-form', onsubmit: async (ev) => {
      ev.preventDefault();
      for (const x of Object.values(inputs)) x.classList.remove('bad-field');
      const m = current ? current.metal : newMetal.value.trim();
      const body = { year: page.year, reason: reason.value.trim() };
      if (withdraw.checked) body.withdraw = true;
      else for (const k of FIELDS) { const v = inputs[k].value.trim(); if (!current || v !== String(current[k])) { if (current || v !== '') body[k] = v; } }
      status.className = 'form-status';
      if (!m) { status.textContent = t('sv.f.needmetal'); status.classList.add('error'); return; }
      submit.disabled = true;
      try {
        const r = await api.patch('/api/v1/survey/companies/' + encodeURIComponent(page.company) + '/answers/' + encodeURIComponent(m), body);
        state.notice = t('sv.f.saved.' + r.action, { metal: metalName(r.metal), v: r.version });
        ctx.rerender();
      } catch (e) {
        submit.disabled = false;
        status.textContent = t('sv.f.refused') + ' ' + e.message;
        status.classList.add('error');
        status.dataset.parameter = e.parameter || '';
        if (e.parameter && inputs[e.parameter]) inputs[e.parameter].classList.add('bad-field');
      }
    },
  },
  h('h3', null, t('sv.f.title')), h('p', { class: 'note' }, t('sv.f.note')),
  h('div', { class: 'form-grid' },
    h('label', null, t('col.metal'), metal, newMetal),
    ...FIELDS.map((k) => h('label', null, t('sv.f.' + k), inputs[k])),
    h('label', { class: 'wide' }, t('sv.f.reason'), reason),
    h('label', { class: 'check' }, withdraw, ' ', t('sv.f.withdraw'))),
  h('div', { class: 'actions' }, submit, status));
  load(page.answers[0] || null);
  return { el: formEl, load };
}

function profileForm(ctx, page, names, codes) {
  const p = page.profile;
  const inputs = {};
  for (const k of PROFILE_FIELDS) {
    if (k === 'size') inputs[k] = h('select', { name: k }, codes.sizes.map((s) => h('option', { value: s.code, selected: s.code === p.size }, t('sv.size.' + s.code))));
    else if (k === 'region') inputs[k] = h('select', { name: k }, names.codes('regions').map((r) => h('option', { value: r.code, selected: r.code === p.region }, names.of('regions', r.code))));
    else inputs[k] = h('input', { name: k, type: 'text', size: k.startsWith('name') || k === 'sectors' ? 28 : 10, value: p[k] === null ? '' : String(p[k]) });
  }
  const reason = h('input', { id: 'profile-reason', type: 'text', size: 40, required: true });
  const status = h('p', { class: 'form-status', role: 'status' });
  const orig = (k) => (p[k] === null ? '' : String(p[k]));
  return h('details', { class: 'profile-edit' }, h('summary', null, t('sv.f.profile')),
    h('form', {
      id: 'profile-form', class: 'survey-form', onsubmit: async (ev) => {
        ev.preventDefault();
        const body = { year: page.year, reason: reason.value.trim() };
        for (const k of PROFILE_FIELDS) if (inputs[k].value.trim() !== orig(k)) body[k] = inputs[k].value.trim();
        try {
          const r = await api.patch('/api/v1/survey/companies/' + encodeURIComponent(page.company) + '/profile', body);
          state.notice = t('sv.f.saved.profile', { v: r.version });
          ctx.rerender();
        } catch (e) {
          status.textContent = t('sv.f.refused') + ' ' + e.message;
          status.className = 'form-status error';
        }
      },
    }, h('div', { class: 'form-grid' }, ...PROFILE_FIELDS.map((k) => h('label', null, t('sv.pf.' + k), inputs[k])),
      h('label', { class: 'wide' }, t('sv.f.reason'), reason)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('sv.f.save')), status)));
}
