/* registry.c: metal, country and unit lookups (see registry.h). */
#include "registry.h"

#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

enum {
    Q_TYPE,        /* type code or type name */
    Q_ELEMENT,     /* element symbol or name */
    Q_METAL_ALIAS,
    Q_COUNTRY,     /* alpha-3, alpha-2, names */
    Q_COUNTRY_NUM, /* ISO numeric or M49 */
    Q_COUNTRY_ALIAS,
    Q_UNIT,
    Q__COUNT
};

static const char *const queries[Q__COUNT] = {
    [Q_TYPE] = "SELECT code, name FROM metal_type WHERE code = ?1 COLLATE NOCASE OR name = ?1 COLLATE NOCASE",
    [Q_ELEMENT] = "SELECT symbol, ifnull(type_code, ''), name FROM element "
                  "WHERE symbol = ?1 COLLATE NOCASE OR name = ?1 COLLATE NOCASE "
                  "ORDER BY symbol = ?1 DESC, symbol = ?1 COLLATE NOCASE DESC LIMIT 1",
    [Q_METAL_ALIAS] = "SELECT ifnull(a.type_code, e.type_code), ifnull(a.element, ''), "
                      "coalesce(e.name, t.name, a.alias) FROM metal_alias a "
                      "LEFT JOIN element e ON e.symbol = a.element "
                      "LEFT JOIN metal_type t ON t.code = a.type_code WHERE a.alias = ?1",
    [Q_COUNTRY] = "SELECT iso3 FROM country WHERE iso3 = ?1 COLLATE NOCASE OR iso2 = ?1 COLLATE NOCASE "
                  "OR name = ?1 COLLATE NOCASE OR official_name = ?1 COLLATE NOCASE "
                  "OR common_name = ?1 COLLATE NOCASE LIMIT 1",
    /* a Comtrade code names its country (or an area: NULL iso3) before an ISO numeric does */
    [Q_COUNTRY_NUM] = ("SELECT iso3, 1 FROM comtrade_code WHERE code = ?1 "
                       "UNION ALL SELECT iso3, 2 FROM country WHERE numeric = ?1 ORDER BY 2 LIMIT 1"),
    [Q_COUNTRY_ALIAS] = "SELECT iso3 FROM country_alias WHERE alias = ?1",
    [Q_UNIT] = "SELECT factor_t, basis, basis_label, ifnull(element, ''), text FROM unit WHERE text = ?1 COLLATE NOCASE",
};

/* Imports look the same few names up millions of times (a country per row): a small direct-mapped
 * cache in front of the queries, which scan with case-insensitive comparisons, cut the cost of a
 * lookup from tens of microseconds to a hash (measured: docs/PERFORMANCE.md). */
#define CACHE_SLOTS 1024

typedef struct {
    char key[64];     /* "" = empty slot */
    rmct_code rc;     /* RMCT_OK or RMCT_E_NOTFOUND */
    char msg[256];    /* the not-found message */
    union {
        rmct_metal metal;
        char iso3[4];
        rmct_unit unit;
    } v;
} cache_entry;

typedef enum { CACHE_METAL, CACHE_COUNTRY, CACHE_UNIT, CACHE__N } cache_kind;

struct rmct_registry {
    rmct_db *db;
    sqlite3_stmt *st[Q__COUNT];
    cache_entry *cache[CACHE__N];
};

static cache_entry *cache_slot(rmct_registry *reg, cache_kind kind, const char *key, bool *hit)
{
    *hit = false;
    if (strlen(key) >= sizeof reg->cache[0]->key) return NULL;
    if (!reg->cache[kind] && !(reg->cache[kind] = calloc(CACHE_SLOTS, sizeof(cache_entry)))) return NULL;
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) h = (h ^ *p) * 16777619u;
    cache_entry *e = &reg->cache[kind][h % CACHE_SLOTS];
    *hit = e->key[0] && strcmp(e->key, key) == 0;
    return e;
}

static void cache_store(cache_entry *e, const char *key, rmct_code rc, const rmct_error *err)
{
    if (!e || (rc != RMCT_OK && rc != RMCT_E_NOTFOUND)) return;
    rmct_strlcpy(e->key, key, sizeof e->key);
    e->rc = rc;
    rmct_strlcpy(e->msg, rc && err ? err->msg : "", sizeof e->msg);
}

static rmct_code cache_replay(const cache_entry *e, rmct_error *err)
{
    if (e->rc) rmct_error_set(err, e->rc, "%s", e->msg);
    return e->rc;
}

rmct_code rmct_registry_open(rmct_db *db, rmct_registry **out, rmct_error *err)
{
    *out = NULL;
    rmct_registry *reg = calloc(1, sizeof *reg);
    if (!reg) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    reg->db = db;
    for (int i = 0; i < Q__COUNT; i++) {
        rmct_code rc = rmct_db_prepare(db, &reg->st[i], queries[i], err);
        if (rc) {
            rmct_registry_close(reg);
            return rc;
        }
    }
    *out = reg;
    return RMCT_OK;
}

void rmct_registry_close(rmct_registry *reg)
{
    if (!reg) return;
    for (int i = 0; i < Q__COUNT; i++) sqlite3_finalize(reg->st[i]);
    for (int i = 0; i < CACHE__N; i++) free(reg->cache[i]);
    free(reg);
}

/* Runs query q with one text parameter; returns 1 with a row ready, 0 for none, -1 on error. */
static int run(rmct_registry *reg, int q, const char *text, rmct_error *err)
{
    sqlite3_stmt *st = reg->st[q];
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) return 1;
    if (s == SQLITE_DONE) return 0;
    rmct_db_error(reg->db, err, "looking up a name");
    return -1;
}

static void col(sqlite3_stmt *st, int i, char *dst, size_t n) { rmct_db_column_text(st, i, dst, n); }

static rmct_code metal_lookup(rmct_registry *reg, const char *text, rmct_metal *out, rmct_error *err)
{
    memset(out, 0, sizeof *out);
    char key[128];
    rmct_trim(rmct_strlcpy(key, text, sizeof key));
    int r;
    if ((r = run(reg, Q_TYPE, key, err)) < 0) return RMCT_E_DB;
    if (r) {
        col(reg->st[Q_TYPE], 0, out->type_code, sizeof out->type_code);
        col(reg->st[Q_TYPE], 1, out->name, sizeof out->name);
        /* a single-element type named by its code is that element too */
        if ((r = run(reg, Q_ELEMENT, out->type_code, err)) < 0) return RMCT_E_DB;
        if (r) col(reg->st[Q_ELEMENT], 0, out->element, sizeof out->element);
        return RMCT_OK;
    }
    if ((r = run(reg, Q_ELEMENT, key, err)) < 0) return RMCT_E_DB;
    if (r) {
        col(reg->st[Q_ELEMENT], 0, out->element, sizeof out->element);
        col(reg->st[Q_ELEMENT], 1, out->type_code, sizeof out->type_code);
        col(reg->st[Q_ELEMENT], 2, out->name, sizeof out->name);
        return RMCT_OK;
    }
    if ((r = run(reg, Q_METAL_ALIAS, key, err)) < 0) return RMCT_E_DB;
    if (r) {
        col(reg->st[Q_METAL_ALIAS], 0, out->type_code, sizeof out->type_code);
        col(reg->st[Q_METAL_ALIAS], 1, out->element, sizeof out->element);
        col(reg->st[Q_METAL_ALIAS], 2, out->name, sizeof out->name);
        return RMCT_OK;
    }
    char q[64];
    return rmct_error_set(err, RMCT_E_NOTFOUND,
                          "expected a metal (element symbol or name, type code such as REE or PGM, "
                          "or a known alias), got \"%s\"", rmct_error_quote(key, q, sizeof q));
}

static rmct_code country_lookup(rmct_registry *reg, const char *text, char iso3[4], rmct_error *err)
{
    char key[160];
    rmct_trim(rmct_strlcpy(key, text, sizeof key));
    iso3[0] = '\0';
    int r;
    long num;
    if (rmct_parse_long(key, 0, 999, &num)) {
        sqlite3_stmt *st = reg->st[Q_COUNTRY_NUM];
        sqlite3_reset(st);
        sqlite3_bind_int(st, 1, (int)num);
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            col(st, 0, iso3, 4);
            return RMCT_OK;
        }
        if (s == SQLITE_ROW) {
            char q[64];
            return rmct_error_set(err, RMCT_E_NOTFOUND,
                                  "expected a country, got \"%s\", which is a Comtrade area or a "
                                  "historical entity, not a country", rmct_error_quote(key, q, sizeof q));
        }
        if (s != SQLITE_DONE) return rmct_db_error(reg->db, err, "looking up a country code");
    } else {
        if ((r = run(reg, Q_COUNTRY, key, err)) < 0) return RMCT_E_DB;
        if (r) {
            col(reg->st[Q_COUNTRY], 0, iso3, 4);
            return RMCT_OK;
        }
        if ((r = run(reg, Q_COUNTRY_ALIAS, key, err)) < 0) return RMCT_E_DB;
        if (r) {
            col(reg->st[Q_COUNTRY_ALIAS], 0, iso3, 4);
            return RMCT_OK;
        }
    }
    char q[64];
    return rmct_error_set(err, RMCT_E_NOTFOUND,
                          "expected a known country (ISO 3166 code or name, or an alias in "
                          "data/country_aliases.csv), got \"%s\"", rmct_error_quote(key, q, sizeof q));
}

static rmct_code unit_lookup(rmct_registry *reg, const char *text, rmct_unit *out, rmct_error *err)
{
    memset(out, 0, sizeof *out);
    int r = run(reg, Q_UNIT, text, err);
    if (r < 0) return RMCT_E_DB;
    if (!r) {
        char q[64];
        return rmct_error_set(err, RMCT_E_NOTFOUND,
                              "expected a unit listed in data/units.csv (e.g. \"t\", \"kt\", \"kg\"), got \"%s\"",
                              rmct_error_quote(text, q, sizeof q));
    }
    sqlite3_stmt *st = reg->st[Q_UNIT];
    out->factor_t = sqlite3_column_double(st, 0);
    col(st, 1, out->basis, sizeof out->basis);
    col(st, 2, out->basis_label, sizeof out->basis_label);
    col(st, 3, out->element, sizeof out->element);
    col(st, 4, out->text, sizeof out->text);
    return RMCT_OK;
}

rmct_code rmct_registry_metal(rmct_registry *reg, const char *text, rmct_metal *out, rmct_error *err)
{
    bool hit;
    cache_entry *e = cache_slot(reg, CACHE_METAL, text, &hit);
    if (hit) {
        *out = e->v.metal;
        return cache_replay(e, err);
    }
    rmct_code rc = metal_lookup(reg, text, out, err);
    cache_store(e, text, rc, err);
    if (e && (rc == RMCT_OK || rc == RMCT_E_NOTFOUND)) e->v.metal = *out;
    return rc;
}

rmct_code rmct_registry_country(rmct_registry *reg, const char *text, char iso3[4], rmct_error *err)
{
    bool hit;
    cache_entry *e = cache_slot(reg, CACHE_COUNTRY, text, &hit);
    if (hit) {
        memcpy(iso3, e->v.iso3, 4);
        return cache_replay(e, err);
    }
    rmct_code rc = country_lookup(reg, text, iso3, err);
    cache_store(e, text, rc, err);
    if (e && (rc == RMCT_OK || rc == RMCT_E_NOTFOUND)) memcpy(e->v.iso3, iso3, 4);
    return rc;
}

rmct_code rmct_registry_unit(rmct_registry *reg, const char *text, rmct_unit *out, rmct_error *err)
{
    bool hit;
    cache_entry *e = cache_slot(reg, CACHE_UNIT, text, &hit);
    if (hit) {
        *out = e->v.unit;
        return cache_replay(e, err);
    }
    rmct_code rc = unit_lookup(reg, text, out, err);
    cache_store(e, text, rc, err);
    if (e && (rc == RMCT_OK || rc == RMCT_E_NOTFOUND)) e->v.unit = *out;
    return rc;
}

rmct_code rmct_metal_resolve(rmct_db *db, const char *text, rmct_metal *out, rmct_error *err)
{
    rmct_registry *reg;
    rmct_code rc = rmct_registry_open(db, &reg, err);
    if (rc) return rc;
    rc = rmct_registry_metal(reg, text, out, err);
    rmct_registry_close(reg);
    return rc;
}

rmct_code rmct_country_resolve(rmct_db *db, const char *text, char iso3[4], rmct_error *err)
{
    rmct_registry *reg;
    rmct_code rc = rmct_registry_open(db, &reg, err);
    if (rc) return rc;
    rc = rmct_registry_country(reg, text, iso3, err);
    rmct_registry_close(reg);
    return rc;
}

bool rmct_registry_loaded(rmct_db *db)
{
    sqlite3_stmt *st;
    bool ok = false;
    if (sqlite3_prepare_v2(rmct_db_sqlite(db), "SELECT count(*) FROM metal_type", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) ok = sqlite3_column_int(st, 0) == 35;
        sqlite3_finalize(st);
    }
    return ok;
}
