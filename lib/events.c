/* events.c: the event register: dates, queries and counts (see events.h). */
#include "events.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char *const measure_types[] = {"quota", "tax", "ban", "licensing", "technology_ban", "suspension",
                                            "conflict_disruption", "other", NULL};

const char *const *rmct_event_measure_types(void) { return measure_types; }

bool rmct_event_restricts(const char *t)
{
    static const char *const restricting[] = {"quota", "tax", "ban", "licensing", "technology_ban", "suspension"};
    for (size_t i = 0; i < sizeof restricting / sizeof *restricting; i++)
        if (t && strcmp(t, restricting[i]) == 0) return true;
    return false;
}

/* ---- dates ---- */

static int days_in_month(long y, long m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

/* n digits at s as a number, or -1 */
static long digits(const char *s, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool rmct_event_date_range(const char *t, bool allow_year, long *first, long *last)
{
    if (!t) return false;
    size_t len = strlen(t);
    if (len != 4 && len != 7 && len != 10) return false;
    if (len == 4 && !allow_year) return false;
    long y = digits(t, 4), m = 0, d = 0;
    if (y < 1900 || y > 2200) return false;
    if (len >= 7) {
        if (t[4] != '-' || (m = digits(t + 5, 2)) < 1 || m > 12) return false;
    }
    if (len == 10) {
        if (t[7] != '-' || (d = digits(t + 8, 2)) < 1 || d > days_in_month(y, m)) return false;
    }
    *first = y * 10000 + (m ? m : 1) * 100 + (d ? d : 1);
    *last = y * 10000 + (m ? m : 12) * 100 + (d ? d : days_in_month(y, m ? m : 12));
    return true;
}

/* The event's date: effective, else announced, else ended ("" if none). */
static const char *event_date(const rmct_event *e)
{
    return e->effective[0] ? e->effective : e->announced[0] ? e->announced : e->ended;
}

/* The year the event began: the earlier of announced and effective, else ended (0 if none). */
static int event_year(const rmct_event *e)
{
    long a0, a1, f0, f1;
    bool a = rmct_event_date_range(e->announced, false, &a0, &a1);
    bool f = rmct_event_date_range(e->effective, false, &f0, &f1);
    if (a && f) return (int)((a0 < f0 ? a0 : f0) / 10000);
    if (a) return (int)(a0 / 10000);
    if (f) return (int)(f0 / 10000);
    return (int)strtol(e->ended, NULL, 10);
}

static bool in_force_during(const rmct_event *e, long lo, long hi)
{
    long f0, f1, x0, x1;
    bool f = rmct_event_date_range(e->effective, false, &f0, &f1);
    bool x = rmct_event_date_range(e->ended, false, &x0, &x1);
    if (!f && !x) return false;      /* no start and no end: never known to be in force */
    if (f && x && x1 < f0) return false; /* suspended before it took effect */
    if (f && f0 > hi) return false;
    if (x && x1 < lo) return false;
    return true;
}

/* ---- metals ---- */

bool rmct_event_applies(const rmct_event *e, const rmct_metal *m)
{
    for (int i = 0; i < e->n_metals; i++) {
        const rmct_event_metal *l = &e->metals[i];
        if (m->element[0]) {
            if (strcmp(l->element, m->element) == 0) return true;
            if (!l->element[0] && m->type_code[0] && strcmp(l->type_code, m->type_code) == 0) return true;
        } else if (m->type_code[0] && strcmp(l->type_code, m->type_code) == 0) {
            return true;
        }
    }
    return false;
}

/* ASCII case-insensitive substring search */
static bool contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n) return true;
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i])) i++;
        if (i == n) return true;
    }
    return false;
}

static bool matches_metal(const rmct_event *e, const rmct_event_resolved *r)
{
    if (r->by_materials) return strlen(r->metal.name) >= 3 && contains_nocase(e->materials, r->metal.name);
    return rmct_event_applies(e, &r->metal);
}

/* ---- loading ---- */

static void event_clear(rmct_event *e)
{
    free(e->materials);
    free(e->symbols);
    free(e->hs_codes);
    free(e->description);
    free(e->citation);
    free(e->urls);
    free(e->metals);
}

void rmct_events_free(rmct_event *ev, size_t n)
{
    if (!ev) return;
    for (size_t i = 0; i < n; i++) event_clear(&ev[i]);
    free(ev);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return strdup(t ? (const char *)t : "");
}

static int by_date(const void *a, const void *b)
{
    const rmct_event *x = a, *y = b;
    long x0 = 0, x1, y0 = 0, y1;
    rmct_event_date_range(x->date, false, &x0, &x1);
    rmct_event_date_range(y->date, false, &y0, &y1);
    if (x0 != y0) return x0 < y0 ? -1 : 1;
    return strcmp(x->event_id, y->event_id);
}

/* Every event of the newest edition, optionally of one country and measure type, by date. */
static rmct_code load_events(rmct_db *db, const char *country, const char *measure, rmct_event **out, size_t *n,
                             rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st, *links = NULL;
    rmct_code rc = rmct_db_prepare(db, &st,
        "WITH cur AS (SELECT e.*, row_number() OVER (PARTITION BY e.event_id"
        "   ORDER BY CAST(s.edition AS INTEGER) DESC, e.source_id DESC) AS rk"
        "   FROM event e JOIN source s ON s.id = e.source_id)"
        " SELECT cur.id, cur.event_id, cur.country, coalesce(c.display_name, c.name), cur.measure_type,"
        "  ifnull(cur.announced, ''), ifnull(cur.effective, ''), ifnull(cur.ended, ''), cur.target_countries,"
        "  cur.confidence, cur.materials, cur.element_symbols, cur.hs_codes, cur.description, ci.text, ci.url,"
        "  cur.source_id, cur.citation_id, cur.src_line"
        " FROM cur JOIN country c ON c.iso3 = cur.country JOIN citation ci ON ci.id = cur.citation_id"
        " WHERE cur.rk = 1 AND (?1 IS NULL OR cur.country = ?1) AND (?2 IS NULL OR cur.measure_type = ?2)"
        " ORDER BY cur.id", err);
    if (rc) return rc;
    if ((rc = rmct_db_prepare(db, &links,
             "SELECT ifnull(type_code, ''), ifnull(element, '') FROM event_element WHERE event = ? ORDER BY ord", err))) {
        sqlite3_finalize(st);
        return rc;
    }
    if (country) sqlite3_bind_text(st, 1, country, -1, SQLITE_TRANSIENT);
    if (measure) sqlite3_bind_text(st, 2, measure, -1, SQLITE_TRANSIENT);
    rmct_event *v = NULL;
    size_t cnt = 0, cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? 2 * cap : 64;
            rmct_event *p = realloc(v, cap * sizeof *p);
            if (!p) { rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory"); break; }
            v = p;
        }
        rmct_event *e = &v[cnt++];
        memset(e, 0, sizeof *e);
        e->id = sqlite3_column_int64(st, 0);
        rmct_db_column_text(st, 1, e->event_id, sizeof e->event_id);
        rmct_db_column_text(st, 2, e->country, sizeof e->country);
        rmct_db_column_text(st, 3, e->country_name, sizeof e->country_name);
        rmct_db_column_text(st, 4, e->measure_type, sizeof e->measure_type);
        rmct_db_column_text(st, 5, e->announced, sizeof e->announced);
        rmct_db_column_text(st, 6, e->effective, sizeof e->effective);
        rmct_db_column_text(st, 7, e->ended, sizeof e->ended);
        rmct_db_column_text(st, 8, e->targets, sizeof e->targets);
        rmct_db_column_text(st, 9, e->confidence, sizeof e->confidence);
        e->materials = col_dup(st, 10);
        e->symbols = col_dup(st, 11);
        e->hs_codes = col_dup(st, 12);
        e->description = col_dup(st, 13);
        e->citation = col_dup(st, 14);
        e->urls = col_dup(st, 15);
        e->source_id = sqlite3_column_int64(st, 16);
        e->citation_id = sqlite3_column_int64(st, 17);
        e->src_line = (long)sqlite3_column_int64(st, 18);
        if (!e->materials || !e->symbols || !e->hs_codes || !e->description || !e->citation || !e->urls) {
            rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            break;
        }
        rmct_strlcpy(e->date, event_date(e), sizeof e->date);
        e->year = event_year(e);
        sqlite3_reset(links);
        sqlite3_bind_int64(links, 1, e->id);
        int ls;
        while ((ls = sqlite3_step(links)) == SQLITE_ROW) {
            rmct_event_metal *p = realloc(e->metals, (size_t)(e->n_metals + 1) * sizeof *p);
            if (!p) { rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory"); break; }
            e->metals = p;
            rmct_event_metal *l = &e->metals[e->n_metals++];
            rmct_db_column_text(links, 0, l->type_code, sizeof l->type_code);
            rmct_db_column_text(links, 1, l->element, sizeof l->element);
            rmct_strlcpy(l->symbol, l->element[0] ? l->element : l->type_code, sizeof l->symbol);
        }
        if (rc) break;
        if (ls != SQLITE_DONE) { rc = rmct_db_error(db, err, "reading the metals of an event"); break; }
    }
    if (!rc && s != SQLITE_DONE && s != SQLITE_ROW) rc = rmct_db_error(db, err, "reading the event register");
    sqlite3_finalize(links);
    sqlite3_finalize(st);
    if (rc) {
        rmct_events_free(v, cnt);
        return rc;
    }
    if (cnt) qsort(v, cnt, sizeof *v, by_date);
    *out = v;
    *n = cnt;
    return RMCT_OK;
}

/* ---- filters ---- */

/* An RMCT_E_ARG error about query field `field`; the text is quoted for the message. */
static rmct_code arg_error(rmct_error *err, const char *field, const char *expected, const char *text)
{
    char q[64];
    rmct_error_set(err, RMCT_E_ARG, "expected %s, got \"%s\"", expected, rmct_error_quote(text, q, sizeof q));
    rmct_strlcpy(err->field, field, sizeof err->field);
    return RMCT_E_ARG;
}

static rmct_code check_date(const char *text, const char *field, long *lo, long *hi, rmct_error *err)
{
    if (!text) return RMCT_OK;
    if (rmct_event_date_range(text, true, lo, hi)) return RMCT_OK;
    return arg_error(err, field, "a date YYYY, YYYY-MM or YYYY-MM-DD", text);
}

/* Whether any event's materials mention word. */
static rmct_code materials_mention(rmct_db *db, const char *word, bool *found, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT 1 FROM event WHERE instr(lower(materials), lower(?)) > 0 LIMIT 1", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, word, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE) return rmct_db_error(db, err, "searching the event materials");
    *found = s == SQLITE_ROW;
    return RMCT_OK;
}

/* Resolve the country and metal filters. A metal name that is neither in the registry nor in the
 * materials text is an error, or with lenient a materials word that matches nothing. */
static rmct_code resolve(rmct_db *db, const char *country, const char *metal, bool lenient, rmct_event_resolved *r,
                         rmct_error *err)
{
    memset(r, 0, sizeof *r);
    if (!country && !metal) return RMCT_OK;
    rmct_registry *reg;
    rmct_code rc = rmct_registry_open(db, &reg, err);
    if (rc) return rc;
    rmct_error e;
    rmct_error_clear(&e);
    if (country && (rc = rmct_registry_country(reg, country, r->country, &e))) {
        if (rc == RMCT_E_NOTFOUND) {
            e.code = rc = RMCT_E_ARG;
            rmct_strlcpy(e.field, "country", sizeof e.field);
        }
        *err = e;
    }
    rmct_code mrc = rc || !metal ? RMCT_OK : rmct_registry_metal(reg, metal, &r->metal, &e);
    if (mrc == RMCT_E_NOTFOUND) {
        /* a material without a symbol (graphite): the materials text, if the register mentions it */
        bool found = false;
        char word[64];
        rmct_trim(rmct_strlcpy(word, metal, sizeof word));
        if (strlen(word) >= 3 && !lenient) rc = materials_mention(db, word, &found, err);
        if (!rc && (found || lenient)) {
            memset(&r->metal, 0, sizeof r->metal);
            rmct_strlcpy(r->metal.name, word, sizeof r->metal.name);
            r->by_materials = true;
        } else if (!rc) {
            rc = arg_error(err, "metal",
                           "a metal (element symbol or name, type code such as REE or PGM, or a known alias) "
                           "or a material the register names without a symbol (graphite)", word);
        }
    } else if (mrc) {
        *err = e;
        rc = mrc;
    }
    rmct_registry_close(reg);
    return rc;
}

rmct_code rmct_events_query(rmct_db *db, const rmct_event_query *q, rmct_event **out, size_t *n,
                            rmct_event_resolved *resolved, rmct_error *err)
{
    static const rmct_event_query none;
    if (!q) q = &none;
    *out = NULL;
    *n = 0;
    if (q->measure_type) {
        bool ok = false;
        for (const char *const *t = measure_types; *t && !ok; t++) ok = strcmp(*t, q->measure_type) == 0;
        if (!ok)
            return arg_error(err, "measure_type",
                             "one of quota, tax, ban, licensing, technology_ban, suspension, "
                             "conflict_disruption, other", q->measure_type);
    }
    long s0 = 0, s1 = 0, u0 = 0, u1 = 0, a0 = 0, a1 = 0;
    rmct_code rc;
    if ((rc = check_date(q->since, "since", &s0, &s1, err)) || (rc = check_date(q->until, "until", &u0, &u1, err)) ||
        (rc = check_date(q->active, "active", &a0, &a1, err)))
        return rc;
    rmct_event_resolved r;
    if ((rc = resolve(db, q->country, q->metal, false, &r, err))) return rc;
    if (resolved) *resolved = r;
    rmct_event *v;
    size_t cnt;
    if ((rc = load_events(db, q->country ? r.country : NULL, q->measure_type, &v, &cnt, err))) return rc;
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        long d0 = 0, d1 = 0;
        bool dated = rmct_event_date_range(v[i].date, false, &d0, &d1);
        bool keep = (!q->metal || matches_metal(&v[i], &r)) && (!q->since || (dated && d1 >= s0)) &&
                    (!q->until || (dated && d0 <= u1)) && (!q->active || in_force_during(&v[i], a0, a1));
        if (keep) {
            if (k != i) {
                rmct_event tmp = v[k];
                v[k] = v[i];
                v[i] = tmp;
            }
            k++;
        }
    }
    /* the rejected ones are now at the end */
    for (size_t i = k; i < cnt; i++) event_clear(&v[i]);
    if (k == 0) {
        free(v);
        v = NULL;
    }
    *out = v;
    *n = k;
    return RMCT_OK;
}

/* ---- counts ---- */

static void window_of(const rmct_event *v, size_t n, rmct_event_window *w)
{
    memset(w, 0, sizeof *w);
    w->events = (int)n;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].year) continue;
        if (!w->first_year || v[i].year < w->first_year) w->first_year = v[i].year;
        if (v[i].year > w->last_year) w->last_year = v[i].year;
    }
}

static void count_events(const rmct_event *v, size_t n, const char *country, const rmct_event_resolved *r,
                         rmct_event_count *c)
{
    memset(c, 0, sizeof *c);
    rmct_strlcpy(c->country, country, sizeof c->country);
    if (r->by_materials) rmct_strlcpy(c->metal, r->metal.name, sizeof c->metal);
    else rmct_strlcpy(c->metal, r->metal.element[0] ? r->metal.element : r->metal.type_code, sizeof c->metal);
    rmct_strlcpy(c->type_code, r->metal.type_code, sizeof c->type_code);
    for (size_t i = 0; i < n; i++) {
        const rmct_event *e = &v[i];
        if (strcmp(e->country, country) || !matches_metal(e, r)) continue;
        bool restricts = rmct_event_restricts(e->measure_type), disrupts = strcmp(e->measure_type, "conflict_disruption") == 0;
        if (!restricts && !disrupts) continue;
        c->restrictions += restricts;
        c->disruptions += disrupts;
        if (e->year && (!c->first_year || e->year < c->first_year)) c->first_year = e->year;
        if (e->year > c->last_year) c->last_year = e->year;
    }
}

typedef struct {
    char country[4];
    rmct_metal metal;
} count_key;

static int key_cmp(const void *a, const void *b)
{
    const count_key *x = a, *y = b;
    int c = strcmp(x->country, y->country);
    if (c) return c;
    const char *mx = x->metal.element[0] ? x->metal.element : x->metal.type_code;
    const char *my = y->metal.element[0] ? y->metal.element : y->metal.type_code;
    if ((c = strcmp(mx, my))) return c;
    return strcmp(x->metal.element, y->metal.element); /* W the type and W the element: one key */
}

rmct_code rmct_event_counts(rmct_db *db, rmct_event_count **out, size_t *n, rmct_event_window *window, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    rmct_event *v;
    size_t nv;
    rmct_code rc = load_events(db, NULL, NULL, &v, &nv, err);
    if (rc) return rc;
    if (window) window_of(v, nv, window);
    size_t nk = 0, cap = 0;
    for (size_t i = 0; i < nv; i++) cap += 2 * (size_t)v[i].n_metals;
    count_key *keys = calloc(cap ? cap : 1, sizeof *keys);
    rmct_event_count *res = calloc(cap ? cap : 1, sizeof *res);
    if (!keys || !res) {
        free(keys);
        free(res);
        rmct_events_free(v, nv);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < nv; i++)
        for (int j = 0; j < v[i].n_metals; j++) {
            const rmct_event_metal *l = &v[i].metals[j];
            count_key *k = &keys[nk++];
            rmct_strlcpy(k->country, v[i].country, sizeof k->country);
            rmct_strlcpy(k->metal.type_code, l->type_code, sizeof k->metal.type_code);
            rmct_strlcpy(k->metal.element, l->element, sizeof k->metal.element);
            if (l->element[0] && l->type_code[0] && strcmp(l->element, l->type_code)) { /* the element's group type */
                k = &keys[nk++];
                rmct_strlcpy(k->country, v[i].country, sizeof k->country);
                rmct_strlcpy(k->metal.type_code, l->type_code, sizeof k->metal.type_code);
            }
        }
    if (nk) qsort(keys, nk, sizeof *keys, key_cmp);
    size_t nr = 0;
    for (size_t i = 0; i < nk; i++) {
        if (i && key_cmp(&keys[i - 1], &keys[i]) == 0) continue;
        rmct_event_resolved r = {.by_materials = false};
        r.metal = keys[i].metal;
        count_events(v, nv, keys[i].country, &r, &res[nr]);
        if (res[nr].restrictions || res[nr].disruptions) nr++;
    }
    free(keys);
    rmct_events_free(v, nv);
    if (!nr) {
        free(res);
        res = NULL;
    }
    *out = res;
    *n = nr;
    return RMCT_OK;
}

rmct_code rmct_event_count_for(rmct_db *db, const char *country, const char *metal, rmct_event_count *out,
                               rmct_event_window *window, rmct_error *err)
{
    memset(out, 0, sizeof *out);
    if (!country || !metal) return rmct_error_set(err, RMCT_E_ARG, "expected a country and a metal");
    rmct_event_resolved r;
    rmct_code rc = resolve(db, country, metal, true, &r, err);
    if (rc) return rc;
    rmct_event *v;
    size_t nv;
    if ((rc = load_events(db, NULL, NULL, &v, &nv, err))) return rc;
    if (window) window_of(v, nv, window);
    count_events(v, nv, r.country, &r, out);
    rmct_events_free(v, nv);
    return RMCT_OK;
}
