// Small DOM helpers: elements are built with textContent and properties only (no HTML strings from
// data), which the server's Content-Security-Policy (no inline script) also expects.
import { t, DASH } from './i18n.js';

// h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [more children])
export function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else if (k in e && typeof v !== 'string') e[k] = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
  }
  append(e, children);
  return e;
}

function append(e, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(e, c);
    else e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// A panel with a heading (and an optional note under it).
export function panel(title, opts = {}, ...body) {
  return h('section', { class: 'panel ' + (opts.class || ''), id: opts.id },
    title ? h('h2', null, title, opts.badge ? h('span', { class: 'badge ' + (opts.badgeClass || '') }, opts.badge) : null) : null,
    opts.note ? h('p', { class: 'note' }, opts.note) : null,
    ...body);
}

// A chart container; the style sheet gives it a height (class: chart, chart tall, chart short).
export const chartBox = (name, cls = '') => h('div', { class: 'chart ' + cls, dataset: { name } });

// A table: cols are [label, (row) => value or Node, {num: true, class}].
export function table(rows, cols, opts = {}) {
  const head = h('tr', null, cols.map((c) => h('th', { class: c[2] && c[2].num ? 'num' : '' }, c[0])));
  const body = rows.map((r, i) => {
    const tr = h('tr', { class: opts.rowClass ? opts.rowClass(r) : '' },
      cols.map((c) => {
        let v = c[1](r, i);
        if (v === null || v === undefined || v === '') v = DASH;
        return h('td', { class: (c[2] && c[2].num ? 'num ' : '') + ((c[2] && c[2].class) || '') }, v);
      }));
    if (opts.onRow) {
      tr.classList.add('link');
      tr.tabIndex = 0;
      tr.addEventListener('click', () => opts.onRow(r));
      tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') opts.onRow(r); });
    }
    return tr;
  });
  const tbl = h('table', { class: 'data ' + (opts.class || '') }, h('thead', null, head), h('tbody', null, body));
  if (!rows.length) return h('p', { class: 'empty' }, opts.empty || t('common.none'));
  return h('div', { class: 'table-wrap' }, tbl);
}

export const badge = (text, cls = '') => h('span', { class: 'badge ' + cls }, text);
export const link = (href, text) => h('a', { href }, text);
export function extLink(url, text) {
  if (!url || !/^https?:\/\//.test(url)) return text || url || DASH;
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, text || url);
}

// A message in place of content: kind is 'error', 'empty', 'loading' or 'warn'.
export const msg = (text, kind = 'note') => h('p', { class: kind }, text);

// Key figures in a row.
export function kpis(items) {
  return h('div', { class: 'kpis' }, items.map(([label, value, sub, cls]) =>
    h('div', { class: 'kpi ' + (cls || '') }, h('div', { class: 'kpi-value' }, value), h('div', { class: 'kpi-label' }, label),
      sub ? h('div', { class: 'kpi-sub' }, sub) : null)));
}

// Text for the HTML of chart tooltips (ECharts writes them as HTML).
export const esc = (s) => String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
