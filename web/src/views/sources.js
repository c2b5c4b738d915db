// Sources: every imported file behind the numbers, with its publisher, edition, licence and SHA-256;
// for analysts, a form to import a data file (POST /api/v1/sources, docs/API.md "Importing data").
import * as api from '../api.js';
import { t, int, dateTime } from '../i18n.js';
import { h, panel, table, extLink } from '../dom.js';

// The formats offered (all of 'rmct import --help' are accepted by the server; these are the ones a
// person uploads from a browser).
const FORMATS = ['generic', 'usgs', 'production', 'reserves', 'capacity', 'prices', 'korea-facts', 'comtrade',
  'baci-countries', 'baci-products', 'hs-map', 'wgi'];
let notice = null;   // the last import's outcome, shown after the list is drawn again

// A name the server accepts for the upload: 1-64 of [A-Za-z0-9._-], not starting with a dot.
const safeName = (n) => (n.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'upload.csv').slice(0, 64);

function importForm(ctx) {
  const format = h('select', { id: 'import-format' }, FORMATS.map((f) => h('option', { value: f }, f)));
  const edition = h('input', { id: 'import-edition', type: 'text', size: 10, placeholder: '2026' });
  const file = h('input', { id: 'import-file', type: 'file', accept: '.csv,text/csv' });
  const status = h('p', { id: 'import-status', class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', id: 'import-start' }, t('src.imp.start'));
  if (notice) {
    status.textContent = notice;
    notice = null;
  }
  return panel(t('src.imp.title'), { id: 'import', note: t('src.imp.note') }, h('form', {
    id: 'import-form', class: 'survey-form', onsubmit: async (ev) => {
      ev.preventDefault();
      status.className = 'form-status';
      const f = file.files && file.files[0];
      if (!f) {
        status.textContent = t('src.imp.nofile');
        status.classList.add('error');
        return;
      }
      const name = safeName(f.name);
      let path = '/api/v1/sources?format=' + encodeURIComponent(format.value) + '&file=' + encodeURIComponent(name);
      if (edition.value.trim()) path += '&edition=' + encodeURIComponent(edition.value.trim());
      submit.disabled = true;
      status.textContent = t('src.imp.sending', { file: name });
      try {
        const r = await api.upload(path, f);
        api.forget();
        notice = r.unchanged ? t('src.imp.unchanged', { file: r.file }) : t('src.imp.done', { file: r.file, rows: int(r.rows), id: r.source_id });
        ctx.rerender();
      } catch (e) {
        submit.disabled = false;
        status.textContent = t('src.imp.refused') + ' ' + e.message;
        status.classList.add('error');
      }
    },
  },
  h('div', { class: 'form-grid' },
    h('label', null, t('src.imp.format'), format),
    h('label', null, t('src.imp.edition'), edition),
    h('label', { class: 'wide' }, t('src.imp.file'), file)),
  h('div', { class: 'actions' }, submit, status)));
}

export default async function sources(ctx) {
  const rows = await api.get('/api/v1/sources');
  if (!ctx.alive()) return;
  const total = rows.reduce((a, r) => a + (r.rows || 0), 0);
  ctx.el.append(h('h1', null, t('src.title')), h('p', { class: 'lede' }, t('src.lede', { n: rows.length, rows: int(total) })),
    api.can('analyst') ? importForm(ctx) : null,
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
