// The dashboard (docs/DASHBOARD.md): a header (views, language, text size, log-in) and one view at a
// time, chosen by the address's fragment (#/metal/Dy), drawn from the JSON API (docs/API.md).
import './style.css';
import * as api from './api.js';
import { t, getLang, setLang, LANGS, missingLabels } from './i18n.js';
import { h } from './dom.js';
import { disposeIn, stats } from './charts.js';
import overview from './views/overview.js';
import metal from './views/metal.js';
import scenarios from './views/scenarios.js';
import stockpile from './views/stockpile.js';
import survey from './views/survey.js';
import sources from './views/sources.js';

const VIEWS = { overview, metal, scenarios, stockpile, survey, sources };
const NAV = ['overview', 'metal', 'scenarios', 'stockpile', 'survey', 'sources'];
const SIZE_KEY = 'rmct.size';

let current = null; // {name, args, el, token}
let token = 0;

function parseHash() {
  const parts = (location.hash.replace(/^#\/?/, '') || 'overview').split('/').map(decodeURIComponent);
  const name = VIEWS[parts[0]] ? parts[0] : 'overview';
  return { name, args: parts.slice(1).filter(Boolean) };
}

// Draw the view the address names; again (same view) after a language, size or session change.
async function route() {
  const { name, args } = parseHash();
  const my = ++token;
  const main = document.getElementById('view');
  const el = h('div', { class: 'view view-' + name, dataset: { view: name, state: 'loading' } });
  disposeIn(main);
  main.replaceChildren(el);
  current = { name, args, el, token: my };
  renderNav();
  document.title = t('nav.' + name) + ' — RMCT';
  const ctx = { args, el, alive: () => my === token, go, rerender: route };
  try {
    await VIEWS[name](ctx);
    if (my === token) el.dataset.state = 'ready';
  } catch (e) {
    if (my !== token) return;
    console.error(e);
    el.appendChild(h('p', { class: 'error' }, t('common.failed', { what: e.message })));
    el.dataset.state = 'error';
  }
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function renderNav() {
  const active = current ? current.name : 'overview';
  document.getElementById('nav').replaceChildren(...NAV.map((n) =>
    h('a', { href: '#/' + n, class: n === active ? 'active' : '', dataset: { nav: n } }, t('nav.' + n))));
}

function renderHeader() {
  document.documentElement.lang = getLang();
  document.getElementById('brand-sub').textContent = t('brand.sub');
  document.getElementById('lang').replaceChildren(...LANGS.map((l) =>
    h('button', { type: 'button', class: l === getLang() ? 'on' : '', 'aria-pressed': String(l === getLang()), dataset: { lang: l },
      onclick: () => { if (l !== getLang()) { setLang(l); renderHeader(); route(); } } }, l === 'ko' ? '한국어' : 'English')));
  const size = document.getElementById('size');
  const large = document.documentElement.dataset.size === 'large';
  size.textContent = large ? t('size.normal') : t('size.large');
  size.title = t('size.title');
  renderAccount();
  renderNav();
  document.getElementById('foot').replaceChildren(
    h('span', null, t('foot.data')), ' · ',
    h('a', { href: '/api/v1' }, t('foot.api')), ' · ',
    h('span', null, t('foot.map')));
}

function renderAccount() {
  const box = document.getElementById('account');
  const me = api.user();
  if (me) {
    box.replaceChildren(h('span', { class: 'who', dataset: { user: me.name } }, me.name + ' · ' + t('role.' + me.role)),
      h('button', { type: 'button', class: 'ghost', id: 'logout', onclick: async () => { await api.logout(); } }, t('login.out')));
    return;
  }
  const user = h('input', { id: 'login-user', placeholder: t('login.user'), autocomplete: 'username', size: 9, required: true });
  const pass = h('input', { id: 'login-pass', type: 'password', placeholder: t('login.password'), autocomplete: 'current-password', size: 11, required: true });
  const err = h('span', { class: 'login-error', role: 'alert' });
  box.replaceChildren(h('form', {
    id: 'login', onsubmit: async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      try {
        await api.login(user.value, pass.value);
      } catch (e) {
        err.textContent = e.status === 401 ? t('login.bad') : e.message;
      }
    },
  }, user, pass, h('button', { type: 'submit' }, t('login.in')), err));
}

function toggleSize() {
  const large = document.documentElement.dataset.size !== 'large';
  document.documentElement.dataset.size = large ? 'large' : 'normal';
  try { localStorage.setItem(SIZE_KEY, large ? 'large' : 'normal'); } catch (e) { /* not kept */ }
  renderHeader();
  route();
}

async function start() {
  try {
    if (localStorage.getItem(SIZE_KEY) === 'large') document.documentElement.dataset.size = 'large';
  } catch (e) { /* default size */ }
  document.getElementById('size').addEventListener('click', toggleSize);
  renderHeader();
  let first = true;
  api.onSession(() => {
    renderAccount();
    if (!first) route(); // what a view shows depends on who is logged in
  });
  window.addEventListener('hashchange', route);
  await api.refreshSession();
  first = false;
  await route();
}

// What the browser tests read (tests/browser): the live charts, the view's state, missing labels.
window.__rmct = {
  charts: stats,
  view: () => (current ? { name: current.name, args: current.args, state: current.el.dataset.state, renders: current.token } : null),
  missingLabels,
};

start();
