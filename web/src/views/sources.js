// Sources: every imported file behind the numbers, with its publisher, edition, licence and SHA-256.
import * as api from '../api.js';
import { t, int, dateTime } from '../i18n.js';
import { h, panel, table, extLink } from '../dom.js';

export default async function sources(ctx) {
  const rows = await api.get('/api/v1/sources');
  if (!ctx.alive()) return;
  const total = rows.reduce((a, r) => a + (r.rows || 0), 0);
  ctx.el.append(h('h1', null, t('src.title')), h('p', { class: 'lede' }, t('src.lede', { n: rows.length, rows: int(total) })),
    panel(null, {}, table(rows, [
      ['#', (r) => r.id, { num: true }],
      [t('src.dataset'), (r) => h('span', null, r.dataset, h('div', { class: 'note' }, r.edition))],
      [t('src.publisher'), (r) => r.publisher],
      [t('src.titlecol'), (r) => extLink(r.url, r.title)],
      [t('src.file'), (r) => h('code', null, r.file)],
      [t('src.rows'), (r) => int(r.rows), { num: true }],
      [t('src.licence'), (r) => r.licence],
      ['SHA-256', (r) => h('code', { title: r.sha256, class: 'hash' }, (r.sha256 || '').slice(0, 12) + '…')],
      [t('src.imported'), (r) => dateTime(r.imported_at)],
    ], { class: 'sources-all' })));
}
