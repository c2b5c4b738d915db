// Overview: the 35 types with their risk flags, the criticality matrix, world supply concentration
// and the newest export-control events.
import * as api from '../api.js';
import { t, tOr, num, int, pct, prob, date, metalName, countryName, countryByName } from '../i18n.js';
import { h, panel, table, badge, chartBox, kpis, msg, esc } from '../dom.js';
import { chart, C, grid, baseFont } from '../charts.js';

export const ASSESS_SAMPLES = 500;

export function today() {
  return new Date().toISOString().slice(0, 10);
}
// An event's state today: in force, announced (not yet in force) or ended.
export function eventState(e, now = today()) {
  if (e.ended && e.ended <= now) return 'ended';
  if (e.effective && e.effective > now) return 'announced';
  return 'active';
}

export function flagBadges(flags) {
  if (!flags) return [];
  return flags.split(/\s+/).filter(Boolean).map((f) => badge(tOr('flag.' + f, f), f === 'no_data' ? 'grey' : 'warn'));
}

export function eventsTable(events, opts = {}) {
  const now = today();
  return table(events, [
    [t('ev.date'), (e) => date(e.date)],
    [t('ev.country'), (e) => countryName(e.country, e.country_name)],
    [t('ev.type'), (e) => tOr('measure.' + e.measure_type, e.measure_type)],
    [t('ev.materials'), (e) => e.metals.map((m) => metalName(m.symbol)).join(', ') || e.materials],
    [t('ev.state'), (e) => { const s = eventState(e, now); return badge(t('ev.' + s), s === 'active' ? 'warn' : s === 'announced' ? 'info' : 'grey'); }],
    [t('ev.description'), (e) => h('details', null, h('summary', null, e.description.length > 90 ? e.description.slice(0, 88) + '…' : e.description),
      h('p', null, e.description), h('p', { class: 'note' }, t('ev.source') + ': ' + (e.source ? e.source.citation : '')))],
  ], { class: 'events', empty: opts.empty });
}

export default async function overview(ctx) {
  const [supply, assess, events, dep] = await Promise.all([
    api.get('/api/v1/supply'),
    api.get('/api/v1/assessment?samples=' + ASSESS_SAMPLES),
    api.get('/api/v1/events'),
    api.get('/api/v1/dependence'),
  ]);
  if (!ctx.alive()) return;
  const el = ctx.el;
  const now = today();
  const inForce = events.filter((e) => e.restricts && eventState(e, now) === 'active');
  const byCode = new Map(assess.metals.map((m) => [m.code, m]));
  const depBy = new Map(dep.map((d) => [d.type, d]));

  el.append(
    h('h1', null, t('ov.title')),
    h('p', { class: 'lede' }, t('ov.lede')),
    h('div', { class: 'questions' }, h('span', { class: 'q-label' }, t('ov.ask')),
      h('a', { href: '#/metal/Dy', class: 'q', id: 'q-dy' }, t('ov.q.dy')),
      h('a', { href: '#/scenarios/ree-china-halves-6m', class: 'q', id: 'q-halves' }, t('ov.q.halves')),
      h('a', { href: '#/stockpile', class: 'q' }, t('ov.q.stock'))),
    kpis([
      [t('ov.k.types'), int(supply.types), t('ov.k.types.sub', { n: supply.with_data })],
      [t('ov.k.flagged'), int(supply.flagged), t('ov.k.flagged.sub', { hhi: int(supply.hhi_threshold), share: pct(supply.share_threshold_pct, 0) }), 'warn'],
      [t('ov.k.critical'), int(assess.critical_types), t('ov.k.critical.sub', { n: assess.assessed }), 'bad'],
      [t('ov.k.events'), int(inForce.length), t('ov.k.events.sub', { n: events.length }), 'warn'],
    ]),
  );

  // The criticality matrix: EI across, SR up, the thresholds, 90% intervals.
  const matrixBox = chartBox('matrix', 'tall');
  const concBox = chartBox('concentration', 'tall');
  el.append(h('div', { class: 'grid2' },
    panel(t('ov.matrix'), { note: t('ov.matrix.note', { sr: num(assess.method.sr_threshold), ei: num(assess.method.ei_threshold), n: int(assess.samples) }) }, matrixBox),
    panel(t('ov.conc'), { note: t('ov.conc.note') }, concBox)));

  const pts = assess.metals.filter((m) => m.sr !== null && m.ei !== null);
  const f = baseFont();
  chart(matrixBox, 'matrix', {
    grid: grid({ top: 24, right: 24, bottom: 16 }),
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const m = pts[p.dataIndex];
        if (!m) return '';
        return `<b>${esc(metalName(m.code, m.name))} (${esc(m.code)})</b><br>${t('as.sr')}: ${num(m.sr, 2)} (${num(m.sr_p05, 2)}–${num(m.sr_p95, 2)})<br>` +
          `${t('as.ei')}: ${num(m.ei, 2)} (${num(m.ei_p05, 2)}–${num(m.ei_p95, 2)})<br>${t('as.pcrit')}: ${prob(m.p_critical, 0)}`;
      },
    },
    xAxis: { type: 'value', name: t('as.ei'), nameLocation: 'middle', nameGap: 26, min: 0, splitLine: { lineStyle: { color: '#eef1f4' } } },
    yAxis: { type: 'value', name: t('as.sr'), nameLocation: 'middle', nameGap: 30, min: 0, splitLine: { lineStyle: { color: '#eef1f4' } } },
    series: [
      {
        type: 'custom', name: 'interval', silent: true, z: 1,
        renderItem: (params, api2) => {
          const m = pts[params.dataIndex];
          if (m.sr_p05 === null || m.sr_p05 === undefined) return null;
          const a = api2.coord([m.ei_p05, m.sr]), b = api2.coord([m.ei_p95, m.sr]);
          const c = api2.coord([m.ei, m.sr_p05]), d = api2.coord([m.ei, m.sr_p95]);
          const style = { stroke: m.critical ? 'rgba(198,40,40,0.35)' : 'rgba(31,95,153,0.35)', lineWidth: 1.5 };
          return { type: 'group', children: [
            { type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style },
            { type: 'line', shape: { x1: c[0], y1: c[1], x2: d[0], y2: d[1] }, style },
          ] };
        },
        data: pts.map((m) => [m.ei, m.sr]),
      },
      {
        type: 'scatter', name: 'metals', z: 3, symbolSize: f * 0.8,
        data: pts.map((m) => ({ value: [m.ei, m.sr], itemStyle: { color: m.critical ? C.red : C.blue } })),
        label: { show: true, position: 'right', formatter: (p) => pts[p.dataIndex].code, fontSize: Math.round(f * 0.72), color: '#33414d' },
        markLine: {
          silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: C.grey },
          label: { formatter: (p) => p.name, fontSize: Math.round(f * 0.7), position: 'insideEndTop' },
          data: [{ xAxis: assess.method.ei_threshold, name: t('as.ei') + ' ' + num(assess.method.ei_threshold) },
            { yAxis: assess.method.sr_threshold, name: t('as.sr') + ' ' + num(assess.method.sr_threshold) }],
        },
      },
    ],
  });

  // Supply concentration: HHI of each type, most concentrated on top.
  const conc = supply.metals.filter((m) => m.hhi !== null).slice().reverse();
  chart(concBox, 'concentration', {
    grid: grid({ top: 26, right: 40 }),
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (ps) => {
        const m = conc[ps[0].dataIndex];
        return `<b>${esc(metalName(m.type, m.name))}</b><br>HHI ${int(m.hhi)}<br>${esc(t('sup.top'))}: ${esc(countryByName(m.top_producer))} ${pct(m.top_share_pct)}<br>${esc(m.series)}`;
      },
    },
    xAxis: { type: 'value', max: 10000, name: 'HHI', splitLine: { lineStyle: { color: '#eef1f4' } } },
    yAxis: { type: 'category', data: conc.map((m) => metalName(m.type, m.name)), axisLabel: { fontSize: Math.round(f * 0.68), interval: 0 } },
    series: [{
      type: 'bar', name: 'HHI', data: conc.map((m) => ({ value: m.hhi, itemStyle: { color: m.top_share_pct > supply.share_threshold_pct ? C.red : m.hhi > supply.hhi_threshold ? C.orange : C.blue } })),
      markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: C.grey }, data: [{ xAxis: supply.hhi_threshold }], label: { formatter: 'HHI ' + int(supply.hhi_threshold) } },
    }],
  });

  // The 35 types: supply, criticality, Korea's imports.
  const rows = supply.metals;
  el.append(panel(t('ov.table'), { note: t('ov.table.note') }, table(rows, [
    ['#', (m) => m.rank, { num: true }],
    [t('col.metal'), (m) => h('a', { href: '#/metal/' + encodeURIComponent(m.type) }, metalName(m.type, m.name), h('span', { class: 'code' }, ' ' + m.type))],
    [t('sup.top'), (m) => (m.top_producer ? countryByName(m.top_producer) : null)],
    [t('sup.share'), (m) => pct(m.top_share_pct), { num: true }],
    ['HHI', (m) => int(m.hhi), { num: true }],
    [t('sup.flags'), (m) => h('span', null, flagBadges(m.flags))],
    [t('as.sr'), (m) => num((byCode.get(m.type) || {}).sr, 2), { num: true }],
    [t('as.ei'), (m) => num((byCode.get(m.type) || {}).ei, 2), { num: true }],
    [t('as.pcrit'), (m) => { const a = byCode.get(m.type); return a ? h('span', null, prob(a.p_critical, 0), a.critical ? badge(t('as.critical'), 'bad') : null) : null; }, { num: true }],
    [t('dep.top'), (m) => {
      const d = depBy.get(m.type);
      if (!d) return null;
      const text = d.top_partner ? countryByName(d.top_partner) + ' ' + pct(d.top_pct, 0) : d.china_pct !== null ? t('dep.china', { p: pct(d.china_pct, 0) }) : null;
      return text && /PROXY/.test(d.basis) ? h('span', { class: 'proxy' }, text) : text;
    }],
    [t('dep.basis'), (m) => { const d = depBy.get(m.type); return d ? h('span', { class: /PROXY/.test(d.basis) ? 'proxy' : '' }, tOr('basis.' + d.basis, d.basis.replace(/^trade\b/, t('basis.trade')))) : null; }],
  ], { class: 'metals', onRow: (m) => ctx.go('#/metal/' + encodeURIComponent(m.type)) })));

  // The newest events first (announced ones included).
  const recent = events.slice().sort((a, b) => (b.date || '').localeCompare(a.date || '')).slice(0, 10);
  el.append(panel(t('ov.events'), { note: t('ov.events.note', { n: events.length }) }, eventsTable(recent)));
  if (!pts.length) el.append(msg(t('common.nodata'), 'warn'));
}
