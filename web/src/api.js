// The JSON API (docs/API.md): GETs of the public data are kept for the page's lifetime (the server
// caches them too); writes carry the session's CSRF token.

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || 'http_' + status;
    this.parameter = e.parameter || null;
  }
}

const kept = new Map();
let csrf = null;
let me = null;
const listeners = new Set();

async function request(method, path, body, type) {
  const opt = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (type) {
    opt.headers['Content-Type'] = type;
    opt.body = body;
  } else if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  if (csrf && method !== 'GET') opt.headers['X-CSRF-Token'] = csrf;
  let r = await fetch(path, opt);
  // the server's per-client rate limit: a read waits as long as Retry-After says (a few times)
  for (let i = 0; r.status === 429 && method === 'GET' && i < 4; i++) {
    const wait = Math.min(5, Math.max(1, parseInt(r.headers.get('Retry-After'), 10) || 1));
    await new Promise((res) => setTimeout(res, wait * 1000));
    r = await fetch(path, opt);
  }
  let j = null;
  try {
    j = await r.json();
  } catch (e) {
    j = null;
  }
  if (!r.ok) throw new ApiError(r.status, j);
  return j;
}

// GET; public data is kept (keep: false for the stockpile, runs and anything per user).
export function get(path, { keep = true } = {}) {
  if (!keep) return request('GET', path);
  if (!kept.has(path)) {
    const p = request('GET', path);
    kept.set(path, p);
    p.catch(() => kept.delete(path));
  }
  return kept.get(path);
}

export const post = (path, body) => request('POST', path, body);
// POST a file as it is (a File or Blob), e.g. a CSV to import.
export const upload = (path, file, type = 'text/csv') => request('POST', path, file, type);
// Drop the kept public answers (after an import the data behind them changed).
export const forget = () => kept.clear();
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

// Who is logged in: null, or {name, role, company} (company: a company user's registration number).
export const user = () => me;
const ROLES = ['company', 'viewer', 'analyst', 'stock-keeper', 'admin'];
export function can(role) {
  return !!me && ROLES.indexOf(me.role) >= ROLES.indexOf(role);
}
export function onSession(fn) {
  listeners.add(fn);
}
function changed() {
  for (const fn of listeners) fn(me);
}

export async function refreshSession() {
  try {
    const s = await request('GET', '/api/v1/session');
    csrf = s.csrf_token;
    me = s.user;
  } catch (e) {
    csrf = null;
    me = null;
  }
  changed();
  return me;
}

export async function login(username, password) {
  const s = await request('POST', '/api/v1/session', { username, password });
  csrf = s.csrf_token;
  me = s.user;
  changed();
  return me;
}

export async function logout() {
  try {
    await request('DELETE', '/api/v1/session');
  } finally {
    csrf = null;
    me = null;
    changed();
  }
}
