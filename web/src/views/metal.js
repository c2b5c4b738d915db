// One metal (a type such as REE, or one of its elements such as Dy): where it is mined and refined
// (world map, top producers, trend), where Korea's imports come from (partners and their trend,
// reported facts, or the labelled proxy), the lists it is on, its criticality, the export controls
// that touch it and every source behind the page.
import * as api from '../api.js';
import {
  t, tOr, num, int, pct, prob, usd, tonnes, date, metalName, groupName, countryName, countryByName,
} from '../i18n.js';
import { h, panel, table, badge, chartBox, kpis, msg, esc, extLink } from '../dom.js';
import { chart, C, grid, baseFont, loadWorld } from '../charts.js';
import { ASSESS_SAMPLES, eventsTable } from './overview.js';

const DEFAULT = 'Dy';
let lastCode = DEFAULT;
const chosenSeries = {}; // code -> index of the production series shown

function seriesList(page) {
  const out = [];
  for (const p of page.production || [])
    out.push({ kind: 'usgs', p, label: t('m.series.usgs', { el: p.element, stage: tOr('stage.' + p.stage, p.stage), year: p.year, basis: p.basis }) });
  for (const p of page.eu_2023_shares || [])
    out.push({ kind: 'eu', p, label: t('m.series.eu', { el: p.element, stage: tOr('stage.' + p.stage, p.stage), period: p.period }) });
  return out;
}

function metalOptions(metals, code) {
  const groups = new Map();
  for (const m of metals) {
    if (!groups.has(m.group)) groups.set(m.group, []);
    groups.get(m.group).push([m.code, `${metalName(m.code, m.name)} (${m.code})`]);
    const els = (m.elements || '').split(/\s+/).filter((e) => e && e !== m.code);
    if (els.length > 1) for (const e of els) groups.get(m.group).push([e, `\u00a0\u00a0\u00a0${metalName(e)} (${e})`]);
  }
  return [...groups].map(([g, items]) => h('optgroup', { label: groupName(g) },
    items.map(([c, label]) => h('option', { value: c, selected: c === code }, label))));
}

export default async function metal(ctx) {
  const code = ctx.args[0] || lastCode;
  lastCode = code;
  const enc = encodeURIComponent(code);
  const [metals, page, imp, events, assess, lists] = await Promise.all([
    api.get('/api/v1/metals'),
    api.get('/api/v1/metals/' + enc),
    api.get('/api/v1/imports/' + enc),
    api.get('/api/v1/events?metal=' + enc),
    api.get('/api/v1/assessment?samples=' + ASSESS_SAMPLES),
    api.get('/api/v1/lists'),
  ]);
  if (!ctx.alive()) return;
  const el = ctx.el;
  const f = baseFont();
  const name = metalName(page.code, page.name);
  const typeRow = assess.metals.find((m) => m.code === page.type);

  const select = h('select', { id: 'metal-select', 'aria-label': t('m.choose'), onchange: () => ctx.go('#/metal/' + encodeURIComponent(select.value)) },
    metalOptions(metals, page.code));
  el.append(h('div', { class: 'title-row' },
    h('h1', null, name, ' ', h('span', { class: 'code' }, page.code)),
    h('label', { class: 'picker' }, t('m.choose') + ' ', select)));
  el.append(h('p', { class: 'lede' },
    page.code !== page.type ? t('m.element_of', { type: metalName(page.type), group: groupName(page.group) }) : t('m.group', { group: groupName(page.group) }),
    ' ', (page.elements || []).length > 1 ? t('m.elements', { list: page.elements.map((e) => e.symbol).join(' ') }) : ''));

  // Key figures: the largest producer, Korea's evidence, criticality of the type.
  const series = seriesList(page);
  // an element's own series first (Dy's EU shares before the USGS rare-earth total)
  const own = series.findIndex((x) => x.p.element === page.code);
  const idx = Math.min(chosenSeries[page.code] !== undefined ? chosenSeries[page.code] : Math.max(own, 0), Math.max(series.length - 1, 0));
  const first = series[idx];
  const top = first ? first.p.countries[0] : null;
  kpisFor();
  function kpisFor() {
    const items = [];
    if (top) items.push([t('m.k.top', { stage: tOr('stage.' + first.p.stage, first.p.stage) }), countryName(top.iso3, top.country), pct(top.share_pct) + ' · ' + first.label]);
    const impTop = importHeadline(imp);
    items.push([t('m.k.imports'), impTop.value, impTop.sub, impTop.cls]);
    if (typeRow) items.push([t('m.k.critical', { type: page.type }), typeRow.sr === null ? '–' : prob(typeRow.p_critical, 0),
      typeRow.sr === null ? typeRow.driver : t('m.k.critical.sub', { sr: num(typeRow.sr, 2), ei: num(typeRow.ei, 2) }), typeRow.critical ? 'bad' : '']);
    items.push([t('m.k.events'), int(events.filter((e) => e.restricts).length), t('m.k.events.sub')]);
    el.append(kpis(items));
  }

  // World production: a map and the top producers of the chosen series.
  const mapBox = chartBox('world-map', 'map');
  const topBox = chartBox('producers', 'tall');
  const pick = h('select', { id: 'series-select', 'aria-label': t('m.series') });
  series.forEach((s, i) => pick.appendChild(h('option', { value: i }, s.label)));
  const sourceLine = h('p', { class: 'note source' });
  el.append(h('div', { class: 'grid2 wide-left' },
    panel(t('m.world'), {}, series.length ? h('label', { class: 'picker' }, t('m.series') + ' ', pick) : null, mapBox, sourceLine),
    panel(t('m.top'), {}, topBox)));
  if (!series.length) {
    mapBox.replaceWith(msg(t('m.nosupply'), 'warn'));
    topBox.replaceWith(msg(t('m.nosupply'), 'warn'));
  } else {
    pick.value = String(idx);
    pick.addEventListener('change', () => { chosenSeries[page.code] = Number(pick.value); drawSupply(series[Number(pick.value)]); });
    await loadWorld().catch((e) => mapBox.replaceWith(msg(t('common.failed', { what: e.message }), 'error')));
    if (!ctx.alive()) return;
    drawSupply(series[idx]);
  }

  function drawSupply(s) {
    const cs = s.p.countries.filter((c) => c.share_pct !== null);
    const max = Math.max(...cs.map((c) => c.share_pct), 1);
    sourceLine.replaceChildren(t('common.source') + ': ', s.p.source ? extLink(s.p.source.url, s.p.source.citation) : '–',
      s.kind === 'usgs' && s.p.world_published_t ? ' · ' + t('m.world_t', { v: tonnes(s.p.world_published_t, 0), basis: s.p.basis }) : '');
    if (mapBox.isConnected) {
      chart(mapBox, 'world-map', {
        tooltip: {
          trigger: 'item',
          formatter: (p) => {
            const c = cs.find((x) => x.iso3 === p.name);
            const n = esc(countryName(p.name, c ? c.country : p.name));
            if (!c) return `${n}<br>${esc(t('m.noproduction'))}`;
            return `<b>${n}</b><br>${pct(c.share_pct)}` + (c.production_t !== undefined && c.production_t !== null ? `<br>${esc(tonnes(c.production_t, 0))} ${esc(s.p.basis || '')}` : '');
          },
        },
        visualMap: {
          type: 'continuous', min: 0, max: Math.ceil(max), left: 8, bottom: 8, calculable: false, itemHeight: 110,
          text: [pct(Math.ceil(max), 0), pct(0, 0)], inRange: { color: ['#e3eef7', '#6fa3cc', '#1f5f99', '#0b2f4f'] },
          textStyle: { fontSize: Math.round(f * 0.7) },
        },
        series: [{
          type: 'map', map: 'world', name: s.label, roam: true, top: 4, bottom: 4, left: 4, right: 4,
          itemStyle: { areaColor: '#f1f3f5', borderColor: '#b9c2cb', borderWidth: 0.4 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: C.gold } },
          select: { disabled: true },
          data: cs.map((c) => ({ name: c.iso3, value: c.share_pct })),
        }],
      });
    }
    const top10 = cs.slice(0, 10).reverse();
    chart(topBox, 'producers', {
      grid: grid({ top: 8, right: 56 }),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: (v) => pct(v, 0) } },
      yAxis: { type: 'category', data: top10.map((c) => countryName(c.iso3, c.country)), axisLabel: { interval: 0 } },
      series: [{
        type: 'bar', name: t('sup.share'), data: top10.map((c) => c.share_pct), itemStyle: { color: C.blue },
        label: { show: true, position: 'right', formatter: (p) => pct(p.value) }, tooltip: { valueFormatter: (v) => pct(v) },
      }],
    });
  }

  // Korea's imports.
  el.append(importsPanel(imp, page, f, ctx));

  // World production over the years.
  const trend = page.trend || [];
  const trendBox = chartBox('world-trend');
  el.append(h('div', { class: 'grid2' },
    panel(t('m.trend'), { note: trend.length ? t('m.trend.note', { basis: (page.production[0] || {}).basis || '' }) : null },
      trend.length ? trendBox : msg(t('m.notrend'), 'empty')),
    listsPanel(page, lists)));
  if (trend.length) {
    chart(trendBox, 'world-trend', {
      grid: grid({ top: 36, right: 16 }),
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: trend.map((r) => String(r.year)) },
      yAxis: [{ type: 'value', name: t('u.t'), axisLabel: { formatter: (v) => num(v, 0) } }, { type: 'value', name: 'HHI', max: 10000, splitLine: { show: false } }],
      series: [
        { type: 'bar', name: t('m.world_prod'), data: trend.map((r) => r.world_t), itemStyle: { color: C.teal }, tooltip: { valueFormatter: (v) => tonnes(v, 0) } },
        { type: 'line', name: 'HHI', yAxisIndex: 1, data: trend.map((r) => r.hhi), itemStyle: { color: C.orange }, tooltip: { valueFormatter: (v) => int(v) } },
      ],
    });
  }

  // Criticality of the type, and the export controls that touch the metal.
  if (typeRow) {
    el.append(panel(t('m.assess', { type: metalName(page.type) }), { note: t('m.assess.note') },
      table([typeRow], [
        [t('as.sr'), (r) => (r.sr === null ? null : `${num(r.sr, 2)} (${num(r.sr_p05, 2)}–${num(r.sr_p95, 2)})`), { num: true }],
        [t('as.ei'), (r) => (r.ei === null ? null : `${num(r.ei, 2)} (${num(r.ei_p05, 2)}–${num(r.ei_p95, 2)})`), { num: true }],
        [t('as.pcrit'), (r) => prob(r.p_critical, 0), { num: true }],
        [t('as.critical'), (r) => (r.sr === null ? null : r.critical ? badge(t('common.yes'), 'bad') : t('common.no'))],
        [t('as.driver'), (r) => r.driver],
      ])));
  }
  el.append(panel(t('m.events', { name }), { note: t('m.events.note') },
    eventsTable(events.slice().sort((a, b) => (b.date || '').localeCompare(a.date || '')), { empty: t('m.noevents') })));

  // Every source on this page.
  el.append(sourcesPanel(page, imp, events));
}

function importHeadline(imp) {
  if (imp.partners && imp.partners.length) {
    const y = Math.max(...imp.partners.map((p) => p.year));
    const p = imp.partners.filter((x) => x.year === y).sort((a, b) => b.share_pct - a.share_pct)[0];
    return { value: countryName(p.iso3, p.partner), sub: t('m.k.imports.trade', { share: pct(p.share_pct), year: y }) };
  }
  const facts = (imp.facts || []).filter((x) => x.share_pct !== null && x.partner_iso3);
  if (facts.length) {
    const y = Math.max(...facts.map((x) => x.year));
    const p = facts.filter((x) => x.year === y).sort((a, b) => b.share_pct - a.share_pct)[0];
    return { value: countryName(p.partner_iso3, p.partner), sub: t('m.k.imports.fact', { share: pct(p.share_pct), what: p.description, year: y }) };
  }
  if (imp.proxy) return { value: countryByName(imp.proxy.top_producer), sub: t('m.k.imports.proxy', { share: pct(imp.proxy.top_share_pct) }), cls: 'proxy' };
  return { value: '–', sub: t('m.noimports') };
}

function importsPanel(imp, page, f) {
  const body = [];
  const evidence = h('p', null, t('m.evidence') + ': ', badge(tOr('evidence.' + imp.evidence, imp.evidence), imp.evidence === 'trade flows' ? 'ok' : 'info'));
  body.push(evidence);
  const partnersBox = chartBox('import-partners');
  const trendBox = chartBox('import-trend');
  const charts = [];
  if (imp.partners && imp.partners.length) {
    // Measured trade: the latest year's partners, and every year's value and top share.
    const y = Math.max(...imp.partners.map((p) => p.year));
    const latest = imp.partners.filter((p) => p.year === y).sort((a, b) => b.share_pct - a.share_pct);
    body.push(h('div', { class: 'grid2' }, h('div', null, h('h3', null, t('m.partners', { year: y })), partnersBox),
      h('div', null, h('h3', null, t('m.imptrend')), trendBox)));
    body.push(table(latest, [
      [t('col.partner'), (p) => countryName(p.iso3, p.partner)],
      [t('col.value'), (p) => usd(p.value_usd), { num: true }],
      [t('sup.share'), (p) => pct(p.share_pct), { num: true }],
      [t('col.contained'), (p) => tonnes(p.contained_t), { num: true }],
      [t('col.mirror'), (p) => usd(p.mirror_usd), { num: true }],
    ]));
    charts.push(() => chart(partnersBox, 'import-partners', pieOption(latest.map((p) => ({ name: countryName(p.iso3, p.partner), value: p.share_pct })), f)));
    const years = imp.years || [];
    charts.push(() => chart(trendBox, 'import-trend', {
      grid: grid({ top: 36 }), legend: { top: 0 }, tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: years.map((r) => String(r.year)) },
      yAxis: [{ type: 'value', axisLabel: { formatter: (v) => usd(v) } }, { type: 'value', max: 100, axisLabel: { formatter: (v) => pct(v, 0) }, splitLine: { show: false } }],
      series: [
        { type: 'bar', name: t('col.value'), data: years.map((r) => r.value_usd), itemStyle: { color: C.teal }, tooltip: { valueFormatter: (v) => usd(v) } },
        { type: 'line', name: t('m.topshare'), yAxisIndex: 1, data: years.map((r) => r.top_pct), itemStyle: { color: C.orange }, tooltip: { valueFormatter: (v) => pct(v) } },
      ],
    }));
  } else if ((imp.facts || []).some((x) => x.share_pct !== null && x.partner_iso3)) {
    // Reported facts: shares by partner, each year they were reported.
    const facts = imp.facts.filter((x) => x.share_pct !== null && x.partner_iso3);
    const what = facts[0].description;
    const same = facts.filter((x) => x.description === what);
    const y = Math.max(...same.map((x) => x.year));
    const latest = same.filter((x) => x.year === y).sort((a, b) => b.share_pct - a.share_pct);
    body.push(h('div', { class: 'grid2' }, h('div', null, h('h3', null, t('m.facts.latest', { what, year: y })), partnersBox),
      h('div', null, h('h3', null, t('m.facts.trend', { what })), trendBox)));
    charts.push(() => chart(partnersBox, 'import-partners', pieOption(latest.map((p) => ({ name: countryName(p.partner_iso3, p.partner), value: p.share_pct })), f)));
    const years = [...new Set(same.map((x) => x.year))].sort();
    const partners = [...new Set(same.map((x) => x.partner_iso3))];
    charts.push(() => chart(trendBox, 'import-trend', {
      grid: grid({ top: 36 }), legend: { top: 0 }, tooltip: { trigger: 'axis', valueFormatter: (v) => pct(v) },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: (v) => pct(v, 0) } },
      series: partners.map((iso) => ({
        type: 'line', name: countryName(iso), symbolSize: 8,
        data: years.map((yy) => { const r = same.find((x) => x.year === yy && x.partner_iso3 === iso); return r ? r.share_pct : null; }),
      })),
    }));
  } else {
    body.push(msg(t('m.nopartners'), 'empty'));
  }
  if (imp.facts && imp.facts.length) {
    body.push(h('h3', null, t('m.facts')));
    body.push(table(imp.facts.slice().sort((a, b) => b.year - a.year), [
      [t('col.year'), (x) => x.year, { num: true }],
      [t('col.product'), (x) => x.description],
      [t('col.partner'), (x) => (x.partner_iso3 ? countryName(x.partner_iso3, x.partner) : tOr('partner.' + x.partner, x.partner))],
      [t('sup.share'), (x) => pct(x.share_pct), { num: true }],
      [t('col.quantity'), (x) => (x.quantity === null ? usd(x.value_usd) : num(x.quantity, 0) + ' ' + (x.quantity_unit === 't' ? t('u.t') : x.quantity_unit)), { num: true }],
      [t('col.basis'), (x) => x.basis],
      [t('common.source'), (x) => extLink(x.url, x.citation)],
    ], { class: 'facts' }));
  }
  if (imp.proxy) {
    body.push(h('div', { class: 'callout proxy' },
      h('strong', null, t('m.proxy.title')), ' ',
      t('m.proxy.text', { top: countryByName(imp.proxy.top_producer), share: pct(imp.proxy.top_share_pct), stage: tOr('stage.' + imp.proxy.stage, imp.proxy.stage), hhi: int(imp.proxy.hhi) }),
      h('div', { class: 'note' }, imp.proxy.warning)));
  }
  const p = panel(t('m.imports', { name: metalName(page.code, page.name) }), { note: t('m.imports.note') }, ...body);
  // charts are drawn once the panel is in the page (they need its size)
  queueMicrotask(() => charts.forEach((c) => c()));
  return p;
}

function pieOption(data, f) {
  return {
    tooltip: { trigger: 'item', formatter: (p) => `${esc(p.name)}: ${pct(p.value)}` },
    series: [{
      type: 'pie', name: 'partners', radius: ['35%', '68%'], center: ['50%', '52%'], data,
      label: { formatter: (p) => `${p.name}\n${pct(p.value)}`, fontSize: Math.round(f * 0.75) },
    }],
  };
}

function listsPanel(page, lists) {
  const names = new Map((lists.lists || []).map((l) => [l.list, l]));
  return panel(t('m.lists'), { note: t('m.lists.note') },
    h('div', { class: 'chips' }, (page.lists || []).map((l) => {
      const on = l.elements_on_list > 0;
      const info = names.get(l.list);
      return h('div', { class: 'chip ' + (on ? 'on' : 'off'), title: info ? info.name : l.id, dataset: { list: l.list } },
        h('div', { class: 'chip-title' }, tOr('list.' + l.list, l.list)),
        h('div', { class: 'chip-sub' }, on ? t('m.lists.on', { n: l.elements_on_list, of: l.elements_of_type }) : t('m.lists.off')),
        h('div', { class: 'chip-id' }, l.id));
    })));
}

function sourcesPanel(page, imp, events) {
  const seen = new Map();
  const add = (citation, url, what) => {
    if (!citation) return;
    const k = citation + '|' + (url || '');
    if (!seen.has(k)) seen.set(k, { citation, url, what: new Set() });
    seen.get(k).what.add(what);
  };
  for (const p of page.production || []) if (p.source) add(p.source.citation, p.source.url, t('src.production'));
  for (const p of page.eu_2023_shares || []) if (p.source) add(p.source.citation, p.source.url, t('src.eushares'));
  for (const x of imp.facts || []) add(x.citation, x.url, t('src.facts'));
  for (const e of events) if (e.source) add(e.source.citation, (e.source.urls || [])[0], t('src.events'));
  const rows = [...seen.values()];
  return panel(t('m.sources'), { note: t('m.sources.note') }, table(rows, [
    [t('src.what'), (r) => [...r.what].join(', ')],
    [t('src.citation'), (r) => extLink(r.url, r.citation)],
  ], { class: 'sources' }));
}
