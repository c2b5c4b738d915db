/* ingest_events.c: the event register of export restrictions and supply disruptions
 * (data/export_controls.csv; docs/DATA.md, "The event register"). One `event` row per line, its
 * metals in event_element and its target countries in event_target; the row's sources and URLs, as
 * given, are its citation. */
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "ingest_internal.h"

enum { S_EVENT, S_ELEMENT, S_TARGET, S_DUP, S_TYPE, S_SYMBOL };

static const char *get(ingest_ctx *ctx, int i) { return rmct_csv_get(ctx->csv, i); }

static rmct_code bad(ingest_ctx *ctx, int field, const char *expected, const char *got, rmct_error *err)
{
    char q[64];
    return rmct_csv_field_error(ctx->csv, field, err, "expected %s, got \"%s\"", expected, rmct_error_quote(got, q, sizeof q));
}

static rmct_code need(ingest_ctx *ctx, int field, const char *what, rmct_error *err)
{
    const char *v = get(ctx, field);
    while (*v == ' ') v++;
    if (*v) return RMCT_OK;
    return rmct_csv_field_error(ctx->csv, field, err, "expected %s, got an empty field", what);
}

/* The next ';'-separated token of *p, trimmed, into buf; false at the end. *empty is set for an empty token. */
static bool next_token(const char **p, char *buf, size_t size, bool *empty)
{
    if (!*p) return false;
    const char *semi = strchr(*p, ';');
    size_t len = semi ? (size_t)(semi - *p) : strlen(*p);
    if (len >= size) len = size - 1;
    memcpy(buf, *p, len);
    buf[len] = '\0';
    rmct_trim(buf);
    *empty = buf[0] == '\0';
    *p = semi ? semi + 1 : NULL;
    return true;
}

/* A symbol of element_symbols: a group type code (REE, PGM) or an element symbol, as written. */
static rmct_code resolve_symbol(ingest_ctx *ctx, int field, const char *sym, rmct_event_metal *m, rmct_error *err)
{
    memset(m, 0, sizeof *m);
    rmct_strlcpy(m->symbol, sym, sizeof m->symbol);
    sqlite3_stmt *st;
    rmct_code rc = ingest_stmt(ctx, S_TYPE,
        "SELECT code FROM metal_type WHERE code = ?1 AND (SELECT count(*) FROM element WHERE type_code = ?1) > 1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, sym, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        rmct_strlcpy(m->type_code, sym, sizeof m->type_code);
        return RMCT_OK;
    }
    if (s != SQLITE_DONE) return rmct_db_error(ctx->db, err, "looking up a type code");
    if ((rc = ingest_stmt(ctx, S_SYMBOL, "SELECT symbol, ifnull(type_code, '') FROM element WHERE symbol = ?", &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, sym, -1, SQLITE_TRANSIENT);
    if ((s = sqlite3_step(st)) == SQLITE_ROW) {
        rmct_db_column_text(st, 0, m->element, sizeof m->element);
        rmct_db_column_text(st, 1, m->type_code, sizeof m->type_code);
        return RMCT_OK;
    }
    if (s != SQLITE_DONE) return rmct_db_error(ctx->db, err, "looking up an element symbol");
    return bad(ctx, field, "element symbols or type codes (REE, PGM) separated by ';'", sym, err);
}

#define MAX_METALS 64
#define MAX_TARGETS 12

rmct_code ingest_events(ingest_ctx *ctx, rmct_error *err)
{
    enum { F_ID, F_COUNTRY, F_ISO3, F_TYPE, F_MAT, F_SYMS, F_HS, F_ANN, F_EFF, F_END, F_TARGET, F_DESC, F_SRC, F_URL,
           F_CONF, F__N };
    static const rmct_csv_colspec spec[F__N] = {
        {"event_id", true}, {"country", true}, {"country_iso3", true}, {"measure_type", true}, {"materials", true},
        {"element_symbols", true}, {"hs_codes", true}, {"announced", true}, {"effective", true}, {"ended", true},
        {"target_countries", true}, {"description", true}, {"source", true}, {"source_url", false},
        {"confidence", true}};
    int ix[F__N];
    rmct_code rc = ingest_header(ctx, spec, F__N, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        if ((rc = need(ctx, ix[F_ID], "an event id", err)) || (rc = need(ctx, ix[F_ISO3], "a country", err))) break;
        char id[32];
        rmct_trim(rmct_strlcpy(id, get(ctx, ix[F_ID]), sizeof id));
        long line = rmct_csv_line(ctx->csv, 0);

        /* the country: ISO3 from country_iso3; the name, when the registry knows it, must agree */
        char iso3[4], named[4];
        if ((rc = ingest_country(ctx, ix[F_ISO3], get(ctx, ix[F_ISO3]), iso3, err))) break;
        const char *cname = get(ctx, ix[F_COUNTRY]);
        rmct_error e;
        rmct_error_clear(&e);
        if (*cname && rmct_registry_country(ctx->reg, cname, named, &e) == RMCT_OK && strcmp(named, iso3)) {
            char q[64];
            rc = rmct_csv_field_error(ctx->csv, ix[F_COUNTRY], err, "expected the country of country_iso3 (%s), got \"%s\" (%s)",
                                      iso3, rmct_error_quote(cname, q, sizeof q), named);
            break;
        }

        const char *type = get(ctx, ix[F_TYPE]);
        bool known = false;
        for (const char *const *t = rmct_event_measure_types(); *t && !known; t++) known = strcmp(*t, type) == 0;
        if (!known) {
            rc = bad(ctx, ix[F_TYPE], "a measure type (quota, tax, ban, licensing, technology_ban, suspension, "
                     "conflict_disruption or other)", type, err);
            break;
        }
        if ((rc = need(ctx, ix[F_MAT], "the materials", err))) break;

        /* element symbols and type codes, each once */
        rmct_event_metal metals[MAX_METALS];
        int nm = 0;
        char syms[512] = "", tok[64];
        bool empty;
        const char *p = get(ctx, ix[F_SYMS]);
        if (!*p) p = NULL;
        while (!rc && next_token(&p, tok, sizeof tok, &empty)) {
            if (empty) {
                rc = bad(ctx, ix[F_SYMS], "element symbols or type codes (REE, PGM) separated by ';'", get(ctx, ix[F_SYMS]), err);
                break;
            }
            if (nm == MAX_METALS) {
                rc = rmct_csv_field_error(ctx->csv, ix[F_SYMS], err, "expected at most %d symbols, got more", MAX_METALS);
                break;
            }
            for (int i = 0; i < nm && !rc; i++)
                if (strcmp(metals[i].symbol, tok) == 0) rc = bad(ctx, ix[F_SYMS], "each symbol once", tok, err);
            if (rc || (rc = resolve_symbol(ctx, ix[F_SYMS], tok, &metals[nm], err))) break;
            size_t used = strlen(syms);
            snprintf(syms + used, sizeof syms - used, "%s%s", nm ? ";" : "", tok);
            nm++;
        }
        if (rc) break;

        /* HS codes: 4 to 10 digits each */
        p = get(ctx, ix[F_HS]);
        if (!*p) p = NULL;
        while (!rc && next_token(&p, tok, sizeof tok, &empty)) {
            size_t len = strlen(tok);
            bool ok = len >= 4 && len <= 10 && strspn(tok, "0123456789") == len;
            if (!ok) rc = bad(ctx, ix[F_HS], "HS codes of 4 to 10 digits separated by ';'", empty ? get(ctx, ix[F_HS]) : tok, err);
        }
        if (rc) break;

        /* dates as given: YYYY-MM-DD or YYYY-MM, at least one of the three */
        int dates[3] = {ix[F_ANN], ix[F_EFF], ix[F_END]};
        int given = 0;
        for (int i = 0; i < 3 && !rc; i++) {
            const char *d = get(ctx, dates[i]);
            long lo, hi;
            if (!*d) continue;
            given++;
            if (!rmct_event_date_range(d, false, &lo, &hi)) rc = bad(ctx, dates[i], "a date YYYY-MM-DD or YYYY-MM", d, err);
        }
        if (rc) break;
        if (!given) {
            rc = rmct_csv_field_error(ctx->csv, ix[F_ANN], err, "expected at least one of announced, effective and ended, got none");
            break;
        }

        /* target countries: ';'-separated, empty = all destinations */
        char targets[MAX_TARGETS][4], tlist[64] = "";
        int nt = 0;
        p = get(ctx, ix[F_TARGET]);
        if (!*p) p = NULL;
        while (!rc && next_token(&p, tok, sizeof tok, &empty)) {
            if (empty || nt == MAX_TARGETS) {
                rc = bad(ctx, ix[F_TARGET], "up to 12 countries separated by ';'", get(ctx, ix[F_TARGET]), err);
                break;
            }
            if ((rc = ingest_country(ctx, ix[F_TARGET], tok, targets[nt], err))) break;
            for (int i = 0; i < nt && !rc; i++)
                if (strcmp(targets[i], targets[nt]) == 0) rc = bad(ctx, ix[F_TARGET], "each country once", tok, err);
            if (rc) break;
            size_t used = strlen(tlist);
            snprintf(tlist + used, sizeof tlist - used, "%s%s", nt ? ";" : "", targets[nt]);
            nt++;
        }
        if (rc) break;

        if ((rc = need(ctx, ix[F_DESC], "a description", err)) || (rc = need(ctx, ix[F_SRC], "a source", err))) break;
        const char *conf = get(ctx, ix[F_CONF]);
        if (strcmp(conf, "primary") && strcmp(conf, "secondary")) {
            rc = bad(ctx, ix[F_CONF], "primary or secondary", conf, err);
            break;
        }

        /* one row per event_id in a file */
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, S_DUP, "SELECT src_line FROM event WHERE source_id = ? AND event_id = ?", &st, err))) break;
        sqlite3_bind_int64(st, 1, ctx->source_id);
        sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            char q[64];
            rc = rmct_csv_field_error(ctx->csv, ix[F_ID], err, "expected one row per event id, got \"%s\" again (first on line %lld)",
                                      rmct_error_quote(id, q, sizeof q), (long long)sqlite3_column_int64(st, 0));
            break;
        }

        int64_t cid;
        if ((rc = ingest_cite(ctx, get(ctx, ix[F_SRC]), get(ctx, ix[F_URL]), &cid, err))) break;
        if ((rc = ingest_stmt(ctx, S_EVENT,
                 "INSERT INTO event(event_id, country, country_raw, measure_type, materials, element_symbols, hs_codes,"
                 " announced, effective, ended, target_countries, description, confidence, source_id, citation_id, src_line)"
                 " VALUES (?,?,?,?,?,?,?,nullif(?,''),nullif(?,''),nullif(?,''),?,?,?,?,?,?)", &st, err)))
            break;
        int k = 1;
        sqlite3_bind_text(st, k++, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, k++, iso3, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, k++, cname, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, type, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, get(ctx, ix[F_MAT]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, syms, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, k++, get(ctx, ix[F_HS]), -1, SQLITE_STATIC);
        for (int i = 0; i < 3; i++) sqlite3_bind_text(st, k++, get(ctx, dates[i]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, tlist, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, k++, get(ctx, ix[F_DESC]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, conf, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, k++, ctx->source_id);
        sqlite3_bind_int64(st, k++, cid);
        sqlite3_bind_int64(st, k++, line);
        if ((rc = ingest_step(ctx, st, ix[F_ID], "event", err))) break;
        int64_t ev = sqlite3_last_insert_rowid(rmct_db_sqlite(ctx->db));

        for (int i = 0; i < nm && !rc; i++) {
            if ((rc = ingest_stmt(ctx, S_ELEMENT, "INSERT INTO event_element(event, ord, type_code, element)"
                                                  " VALUES (?, ?, nullif(?,''), nullif(?,''))", &st, err))) break;
            sqlite3_bind_int64(st, 1, ev);
            sqlite3_bind_int(st, 2, i + 1);
            sqlite3_bind_text(st, 3, metals[i].type_code, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 4, metals[i].element, -1, SQLITE_TRANSIENT);
            rc = ingest_step(ctx, st, ix[F_SYMS], "event metal", err);
        }
        for (int i = 0; i < nt && !rc; i++) {
            if ((rc = ingest_stmt(ctx, S_TARGET, "INSERT INTO event_target(event, country) VALUES (?, ?)", &st, err))) break;
            sqlite3_bind_int64(st, 1, ev);
            sqlite3_bind_text(st, 2, targets[i], -1, SQLITE_TRANSIENT);
            rc = ingest_step(ctx, st, ix[F_TARGET], "event target", err);
        }
        if (rc) break;
        ctx->res->rows++;
    }
    return rc;
}
