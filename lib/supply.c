/* supply.c: world supply series and the 35-type overview (see supply.h). */
#include "supply.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

void rmct_series_free(rmct_series *s, size_t n)
{
    if (!s) return;
    for (size_t i = 0; i < n; i++) free(s[i].entries);
    free(s);
}

/* Growable array of series. */
typedef struct {
    rmct_series *v;
    size_t n, cap;
} series_vec;

static rmct_series *vec_push(series_vec *vec)
{
    if (vec->n == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : 16;
        rmct_series *p = realloc(vec->v, cap * sizeof *p);
        if (!p) return NULL;
        vec->v = p;
        vec->cap = cap;
    }
    rmct_series *s = &vec->v[vec->n++];
    memset(s, 0, sizeof *s);
    return s;
}

static rmct_supply_entry *entry_push(rmct_series *s, size_t *cap)
{
    if (s->n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        rmct_supply_entry *p = realloc(s->entries, c * sizeof *p);
        if (!p) return NULL;
        s->entries = p;
        *cap = c;
    }
    rmct_supply_entry *e = &s->entries[s->n++];
    memset(e, 0, sizeof *e);
    return e;
}

static int by_size(const void *a, const void *b)
{
    const rmct_supply_entry *x = a, *y = b;
    if (x->has_value != y->has_value) return x->has_value ? -1 : 1;
    double vx = x->has_value ? x->tonnes : 0, vy = y->has_value ? y->tonnes : 0;
    if (x->share != y->share) return x->share > y->share ? -1 : 1;
    if (vx != vy) return vx > vy ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Shares and concentration once all rows of a series are in. */
static void finish_series(rmct_series *s)
{
    if (s->origin == RMCT_ORIGIN_TONNES) {
        double sum = 0;
        for (size_t i = 0; i < s->n; i++)
            if (s->entries[i].has_value) sum += s->entries[i].tonnes;
        s->denominator = sum + (s->has_other ? s->other_tonnes : 0);
        for (size_t i = 0; i < s->n; i++)
            s->entries[i].share = (s->entries[i].has_value && s->denominator > 0) ? s->entries[i].tonnes / s->denominator : 0;
    } else {
        s->denominator = 1;
    }
    s->n_missing = 0;
    for (size_t i = 0; i < s->n; i++) s->n_missing += !s->entries[i].has_value;
    qsort(s->entries, s->n, sizeof *s->entries, by_size);
    double *shares = malloc((s->n ? s->n : 1) * sizeof *shares);
    if (shares) {
        for (size_t i = 0; i < s->n; i++) shares[i] = s->entries[i].share;
        rmct_concentration(shares, s->n, &s->conc);
        free(shares);
    }
}

static void text(sqlite3_stmt *st, int i, char *dst, size_t n) { rmct_db_column_text(st, i, dst, n); }

rmct_code rmct_series_load(rmct_db *db, const rmct_series_query *q, rmct_series **out, size_t *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(db, &st,
        "WITH cand AS ("
        "  SELECT s.*, src.edition AS edition,"
        "   rank() OVER (PARTITION BY s.measure, s.type_code, ifnull(s.element,''), s.stage, s.year"
        "                ORDER BY CAST(src.edition AS INTEGER) DESC, s.source_id DESC) AS rk"
        "  FROM supply_stat s JOIN source src ON src.id = s.source_id"
        "  WHERE s.type_code = ?1 AND s.measure = ?2 AND (?3 IS NULL OR ifnull(s.element,'') = ?3)"
        "   AND (?4 IS NULL OR s.stage = ?4) AND (?5 = 0 OR s.year = ?5) AND (?6 IS NULL OR src.edition = ?6))"
        " SELECT ifnull(c.element,''), c.commodity, c.stage, c.stage_detail, c.year, c.row_kind, ifnull(c.country,''),"
        "  coalesce(co.display_name, co.common_name, co.name), c.value, u.factor_t, c.qualifier, c.estimated, c.basis, c.basis_label,"
        "  c.unit, c.source_id, c.edition, c.product, ifnull(c.citation_id, 0)"
        " FROM cand c JOIN unit u ON u.text = c.unit LEFT JOIN country co ON co.iso3 = c.country"
        " WHERE c.rk = 1 ORDER BY ifnull(c.element,''), c.stage, c.year, c.source_id, c.id", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, q->type_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, q->measure ? q->measure : "production", -1, SQLITE_STATIC);
    if (q->element) sqlite3_bind_text(st, 3, q->element, -1, SQLITE_STATIC);
    if (q->stage) sqlite3_bind_text(st, 4, q->stage, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, q->year);
    if (q->edition) sqlite3_bind_text(st, 6, q->edition, -1, SQLITE_STATIC);

    series_vec vec = {0};
    rmct_series *cur = NULL;
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char element[4], stage[12];
        text(st, 0, element, sizeof element);
        text(st, 2, stage, sizeof stage);
        int year = sqlite3_column_int(st, 4);
        int64_t source = sqlite3_column_int64(st, 15);
        if (!cur || strcmp(cur->element, element) || strcmp(cur->stage, stage) || cur->year != year || cur->source_id != source) {
            if (cur) finish_series(cur);
            if (!(cur = vec_push(&vec))) goto nomem;
            cap = 0;
            cur->origin = RMCT_ORIGIN_TONNES;
            rmct_strlcpy(cur->measure, q->measure ? q->measure : "production", sizeof cur->measure);
            rmct_strlcpy(cur->type_code, q->type_code, sizeof cur->type_code);
            rmct_strlcpy(cur->element, element, sizeof cur->element);
            text(st, 1, cur->commodity, sizeof cur->commodity);
            rmct_strlcpy(cur->stage, stage, sizeof cur->stage);
            text(st, 3, cur->stage_detail, sizeof cur->stage_detail);
            cur->year = year;
            text(st, 12, cur->basis, sizeof cur->basis);
            text(st, 13, cur->basis_label, sizeof cur->basis_label);
            text(st, 14, cur->unit, sizeof cur->unit);
            cur->source_id = source;
            text(st, 16, cur->edition, sizeof cur->edition);
        }
        char kind[12];
        text(st, 5, kind, sizeof kind);
        bool has = sqlite3_column_type(st, 8) != SQLITE_NULL;
        double tonnes = has ? sqlite3_column_double(st, 8) * sqlite3_column_double(st, 9) : 0;
        bool est = sqlite3_column_int(st, 11) != 0;
        cur->estimated |= est;
        /* a series can hold several products per country (ferrosilicon and silicon metal): the
         * country, 'Other countries' and world rows are summed over them */
        if (strcmp(kind, "world") == 0 || strcmp(kind, "other") == 0) {
            bool world = kind[0] == 'w';
            if (has) {
                *(world ? &cur->world_tonnes : &cur->other_tonnes) += tonnes;
                *(world ? &cur->has_world : &cur->has_other) = true;
            }
            continue;
        }
        char iso3[4], product[64];
        text(st, 6, iso3, sizeof iso3);
        text(st, 17, product, sizeof product);
        rmct_supply_entry *e = NULL;
        for (size_t k = 0; product[0] && k < cur->n && !e; k++)
            if (!strcmp(cur->entries[k].iso3, iso3)) e = &cur->entries[k];
        if (e) {
            if (has) {
                e->tonnes = (e->has_value ? e->tonnes : 0) + tonnes;
                e->has_value = true;
            }
            e->estimated |= est;
            continue;
        }
        if (!(e = entry_push(cur, &cap))) goto nomem;
        if (!cur->citation_id) cur->citation_id = sqlite3_column_int64(st, 18);
        rmct_strlcpy(e->iso3, iso3, sizeof e->iso3);
        text(st, 7, e->name, sizeof e->name);
        if (product[0] && strcmp(cur->basis, "mixed") == 0) { /* boron: say what each country reports */
            size_t len = strlen(e->name);
            snprintf(e->name + len, sizeof e->name - len, " (%s)", product);
        }
        e->has_value = has;
        e->tonnes = tonnes;
        e->estimated = est;
        text(st, 10, e->qualifier, sizeof e->qualifier);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        rmct_series_free(vec.v, vec.n);
        return rmct_db_error(db, err, "reading supply series");
    }
    if (cur) finish_series(cur);
    *out = vec.v;
    *n = vec.n;
    return RMCT_OK;
nomem:
    sqlite3_reset(st);
    rmct_series_free(vec.v, vec.n);
    return rmct_error_set(err, RMCT_E_NOMEM, "out of memory reading supply series");
}

rmct_code rmct_share_series_load(rmct_db *db, const char *type_code, const char *element, const char *stage,
                                 rmct_series **out, size_t *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(db, &st,
        "SELECT ss.material, ifnull(ss.element,''), ss.stage, ifnull(ss.country,''), coalesce(co.display_name, co.common_name, co.name),"
        " ss.share_pct, ss.share_raw, ss.period, ss.source_id, src.edition, ss.note, ifnull(ss.citation_id, 0)"
        " FROM supply_share ss JOIN source src ON src.id = ss.source_id LEFT JOIN country co ON co.iso3 = ss.country"
        " WHERE ss.scope = 'global' AND ss.type_code = ?1 AND (?2 IS NULL OR ifnull(ss.element,'') = ?2)"
        " AND (?3 IS NULL OR ss.stage = ?3)"
        " AND ss.source_id = (SELECT max(s2.source_id) FROM supply_share s2 WHERE s2.scope = 'global' AND s2.type_code = ?1)"
        " ORDER BY ss.material, ss.stage, ss.id", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, type_code, -1, SQLITE_STATIC);
    if (element) sqlite3_bind_text(st, 2, element, -1, SQLITE_STATIC);
    if (stage) sqlite3_bind_text(st, 3, stage, -1, SQLITE_STATIC);
    series_vec vec = {0};
    rmct_series *cur = NULL;
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char material[128], stg[12];
        text(st, 0, material, sizeof material);
        text(st, 2, stg, sizeof stg);
        if (!cur || strcmp(cur->commodity, material) || strcmp(cur->stage, stg)) {
            if (cur) finish_series(cur);
            if (!(cur = vec_push(&vec))) goto nomem;
            cap = 0;
            cur->origin = RMCT_ORIGIN_SHARES;
            rmct_strlcpy(cur->measure, "production", sizeof cur->measure);
            rmct_strlcpy(cur->type_code, type_code, sizeof cur->type_code);
            text(st, 1, cur->element, sizeof cur->element);
            rmct_strlcpy(cur->commodity, material, sizeof cur->commodity);
            rmct_strlcpy(cur->stage, stg, sizeof cur->stage);
            snprintf(cur->stage_detail, sizeof cur->stage_detail, "%s", strcmp(stg, "mine") ? "processing" : "extraction");
            text(st, 7, cur->period, sizeof cur->period);
            rmct_strlcpy(cur->basis, "share", sizeof cur->basis);
            rmct_strlcpy(cur->basis_label, "% of world supply", sizeof cur->basis_label);
            cur->source_id = sqlite3_column_int64(st, 8);
            cur->citation_id = sqlite3_column_int64(st, 11);
            text(st, 9, cur->edition, sizeof cur->edition);
        }
        rmct_supply_entry *e = entry_push(cur, &cap);
        if (!e) goto nomem;
        text(st, 3, e->iso3, sizeof e->iso3);
        text(st, 4, e->name, sizeof e->name);
        e->has_value = sqlite3_column_type(st, 5) != SQLITE_NULL;
        e->share = e->has_value ? sqlite3_column_double(st, 5) / 100.0 : 0;
        if (!e->has_value) rmct_strlcpy(e->qualifier, "below 0.1%", sizeof e->qualifier);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        rmct_series_free(vec.v, vec.n);
        return rmct_db_error(db, err, "reading supply shares");
    }
    if (cur) finish_series(cur);
    *out = vec.v;
    *n = vec.n;
    return RMCT_OK;
nomem:
    sqlite3_reset(st);
    rmct_series_free(vec.v, vec.n);
    return rmct_error_set(err, RMCT_E_NOMEM, "out of memory reading supply shares");
}

static bool has_values(const rmct_series *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->entries[i].has_value && s->entries[i].share > 0) return true;
    return false;
}

/* The latest year with values for the same element and stage as s. */
static int latest_year(const rmct_series *v, size_t n, const rmct_series *s)
{
    int y = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].element, s->element) && !strcmp(v[i].stage, s->stage) && has_values(&v[i]) && v[i].year > y)
            y = v[i].year;
    return y;
}

/* Index of the most concentrated usable series, or -1. */
static long pick_headline(const rmct_series *v, size_t n, bool latest_only)
{
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        if (!has_values(&v[i])) continue;
        if (latest_only && v[i].origin == RMCT_ORIGIN_TONNES && v[i].year != latest_year(v, n, &v[i])) continue;
        if (best < 0 || v[i].conc.hhi > v[best].conc.hhi) best = (long)i;
    }
    return best;
}

static void set_headline(rmct_overview_row *row, const rmct_series *s)
{
    row->has_data = true;
    row->headline = *s;
    row->headline.entries = NULL;
    row->headline.n = 0;
    if (s->n) {
        rmct_strlcpy(row->top_iso3, s->entries[s->conc.top].iso3, sizeof row->top_iso3);
        rmct_strlcpy(row->top_name, s->entries[s->conc.top].name, sizeof row->top_name);
    }
}

rmct_code rmct_supply_overview(rmct_db *db, const rmct_overview_query *q, rmct_overview_row **out, size_t *n,
                               rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT t.no, t.code, t.name, g.name FROM metal_type t JOIN metal_group g ON g.code = t.group_code ORDER BY t.no", err);
    if (rc) return rc;
    rmct_overview_row *rows = calloc(35, sizeof *rows);
    if (!rows) {
        sqlite3_finalize(st);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    size_t count = 0;
    int s;
    while (!rc && count < 35 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        rmct_overview_row *row = &rows[count++];
        row->no = sqlite3_column_int(st, 0);
        text(st, 1, row->code, sizeof row->code);
        text(st, 2, row->name, sizeof row->name);
        text(st, 3, row->group, sizeof row->group);
        rmct_series_query sq = {row->code, NULL, "production", q->stage, q->year, q->edition};
        rmct_series *v;
        size_t nv;
        if ((rc = rmct_series_load(db, &sq, &v, &nv, err))) break;
        long best = pick_headline(v, nv, q->year == 0);
        row->n_series = (int)nv;
        if (best >= 0) set_headline(row, &v[best]);
        rmct_series_free(v, nv);
        if (best >= 0) continue;
        if (q->use_shares && q->year == 0 && !q->edition) {
            if ((rc = rmct_share_series_load(db, row->code, NULL, q->stage, &v, &nv, err))) break;
            best = pick_headline(v, nv, false);
            if (best >= 0) set_headline(row, &v[best]);
            rmct_series_free(v, nv);
            if (best >= 0) continue;
        }
        snprintf(row->why_none, sizeof row->why_none, "%s",
                 nv ? "country values withheld or not available" : "no production data by country in the loaded sources");
    }
    sqlite3_finalize(st);
    if (rc) {
        free(rows);
        return rc;
    }
    *out = rows;
    *n = count;
    return RMCT_OK;
}
