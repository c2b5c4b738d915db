// Languages (Korean, English), the labels of both (src/labels.js), and numbers, dates, metals and
// countries written for the chosen language with the browser's Intl.
import { LABELS, METALS, GROUPS } from './labels.js';
import { iso3ToIso2, iso3ByName } from 'rmct:countries';

export const LANGS = ['ko', 'en'];
const KEY = 'rmct.lang';

function initial() {
  try {
    const s = localStorage.getItem(KEY);
    if (LANGS.includes(s)) return s;
  } catch (e) { /* storage blocked: the browser's language */ }
  return (navigator.language || 'en').toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

let lang = initial();
const missing = new Set();

export const getLang = () => lang;
export const locale = () => (lang === 'ko' ? 'ko-KR' : 'en-US');
export function setLang(l) {
  if (!LANGS.includes(l)) return;
  lang = l;
  try {
    localStorage.setItem(KEY, l);
  } catch (e) { /* not kept */ }
  document.documentElement.lang = l;
  cache.clear();
}
export const missingLabels = () => [...missing];

// A label; {name} in it is replaced by vars.name.
export function t(key, vars) {
  const entry = LABELS[key];
  let s;
  if (!entry) {
    missing.add(key);
    s = key;
  } else {
    s = entry[lang];
    if (s === undefined) {
      missing.add(key + ' (' + lang + ')');
      s = entry.en;
    }
  }
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));
  return s;
}
// A label if there is one, else the text as given (data values such as an event type).
export function tOr(key, text) {
  return LABELS[key] ? t(key) : text;
}

// ---------------- numbers ----------------

const cache = new Map();
function nf(opts) {
  const k = JSON.stringify(opts);
  if (!cache.has(k)) cache.set(k, new Intl.NumberFormat(locale(), opts));
  return cache.get(k);
}
export const DASH = '–';
const bad = (v) => v === null || v === undefined || typeof v !== 'number' || !isFinite(v);

// A number with at most d decimals; values below 1 keep 3 significant digits.
export function num(v, d = 1) {
  if (bad(v)) return DASH;
  if (v !== 0 && Math.abs(v) < 1) return nf({ maximumSignificantDigits: 3 }).format(v);
  return nf({ maximumFractionDigits: d }).format(v);
}
export const int = (v) => (bad(v) ? DASH : nf({ maximumFractionDigits: 0 }).format(v));
// A value already in percent (share_pct: 69.4 -> "69.4%").
export const pct = (v, d = 1) => (bad(v) ? DASH : nf({ style: 'percent', maximumFractionDigits: d }).format(v / 100));
// On a chart's axis: as many decimals as small ticks need.
export const pctAxis = (v) => pct(v, Math.abs(v) >= 10 || v === 0 ? 0 : 2);
// A probability (0.6 -> "60%").
export const prob = (v, d = 1) => (bad(v) ? DASH : nf({ style: 'percent', maximumFractionDigits: d }).format(v));
// US dollars, short: "$449M" / "US$4.5억".
export function usd(v) {
  if (bad(v)) return DASH;
  if (Math.abs(v) < 1e4) return nf({ style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(v);
  return nf({ style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 }).format(v);
}
export const usdFull = (v) => (bad(v) ? DASH : nf({ style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(v));
// With a unit: tonnes, days, months, years.
export const tonnes = (v, d = 1) => (bad(v) ? DASH : num(v, d) + ' ' + t('u.t'));
export const days = (v, d = 0) => (bad(v) ? DASH : num(v, d) + t('u.days'));
export const months = (v) => (bad(v) ? DASH : num(v, 1) + t('u.months'));
// A unit as the API writes it ("t", "USD", "MW", "units") in the chosen language.
export const unit = (u) => tOr('unit.' + u, u);

// "2026-03" -> "Mar 2026" / "2026년 3월"; "2025-11-08" -> "Nov 8, 2025" / "2025. 11. 8."
export function month(s) {
  if (!s || !/^\d{4}-\d{2}/.test(s)) return s || DASH;
  const [y, m] = s.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
}
export function date(s) {
  if (!s) return DASH;
  if (/^\d{4}-\d{2}$/.test(s)) return month(s);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return s;
  const [y, m, d] = s.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}
export function dateTime(s) {
  if (!s) return DASH;
  const d = new Date(s);
  return isNaN(d) ? s : new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

// ---------------- names ----------------

// A metal type or element by code ("Dy", "REE"): "디스프로슘" / the API's English name.
export function metalName(code, english) {
  const m = METALS[code];
  if (m) return lang === 'ko' ? m[0] : m[1];
  return english || code;
}
export const groupName = (g) => (GROUPS[g] && lang === 'ko' ? GROUPS[g] : g);

// A country by ISO 3166 alpha-3 code, in the chosen language (Intl.DisplayNames), else as given.
export function countryName(iso3, english) {
  const a2 = iso3 && iso3ToIso2[iso3];
  if (a2) {
    const k = 'dn:' + lang;
    if (!cache.has(k)) {
      try {
        cache.set(k, new Intl.DisplayNames([locale()], { type: 'region' }));
      } catch (e) {
        cache.set(k, null);
      }
    }
    const dn = cache.get(k);
    if (dn) {
      try {
        const n = dn.of(a2);
        if (n && n !== a2) return n;
      } catch (e) { /* unknown region */ }
    }
  }
  return english || iso3 || DASH;
}

// A country given by its English name only (as the supply ranking's top producer is).
export const countryByName = (name) => (name ? countryName(iso3ByName[name], name) : DASH);
