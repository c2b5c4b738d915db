/* trade.c: imports by partner, mirror check and look-through (see trade.h). */
#include "trade.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

void rmct_imports_free(rmct_import_year *y, size_t n)
{
    if (!y) return;
    for (size_t i = 0; i < n; i++) free(y[i].partners);
    free(y);
}

/* The flows of the metal into (or out of) a reporter: one statement for both directions. */
static const char flows_sql[] =
    "SELECT f.year, f.reported_by, ifnull(CASE WHEN ?6 THEN f.exporter ELSE f.importer END, ''),"
    " CASE WHEN ?6 THEN f.exporter_code ELSE f.importer_code END,"
    " coalesce(co.display_name, co.common_name, co.name, cc.name, 'code ' || CASE WHEN ?6 THEN f.exporter_code ELSE f.importer_code END),"
    " f.value_usd, f.qty_t, h.content_factor,"
    " (SELECT g.value FROM governance g WHERE g.country = co.iso3 AND g.indicator = 'mean6' ORDER BY g.year DESC LIMIT 1)"
    " FROM trade_flow f"
    " JOIN hs_code h ON h.hs_version = f.hs_version AND h.hs6 = f.hs6 AND h.type_code = ?1"
    "  AND (?2 IS NULL OR h.element = ?2) AND (?3 IS NULL OR h.form = ?3)"
    " LEFT JOIN country co ON co.iso3 = CASE WHEN ?6 THEN f.exporter ELSE f.importer END"
    " LEFT JOIN comtrade_code cc ON cc.code = CASE WHEN ?6 THEN f.exporter_code ELSE f.importer_code END"
    " WHERE (CASE WHEN ?6 THEN f.importer ELSE f.exporter END) = ?4 AND (?5 = 0 OR f.year = ?5)"
    "  AND f.reported_by IN ('reconciled', CASE WHEN ?6 THEN 'importer' ELSE 'exporter' END)"
    " ORDER BY f.year, f.reported_by";

static rmct_code prepare_flows(rmct_db *db, const rmct_import_query *q, bool imports, sqlite3_stmt **st, rmct_error *err)
{
    rmct_code rc = rmct_db_cached(db, st, flows_sql, err);
    if (rc) return rc;
    sqlite3_bind_text(*st, 1, q->type_code, -1, SQLITE_STATIC);
    if (q->element && *q->element) sqlite3_bind_text(*st, 2, q->element, -1, SQLITE_STATIC);
    if (q->form) sqlite3_bind_text(*st, 3, q->form, -1, SQLITE_STATIC);
    sqlite3_bind_text(*st, 4, q->reporter, -1, SQLITE_STATIC);
    sqlite3_bind_int(*st, 5, q->year);
    sqlite3_bind_int(*st, 6, imports);
    return RMCT_OK;
}

static int by_value(const void *a, const void *b)
{
    const rmct_partner *x = a, *y = b;
    if (x->value_usd != y->value_usd) return x->value_usd > y->value_usd ? -1 : 1;
    return x->code - y->code;
}

/* Find or add the partner with this code in year y. */
static rmct_partner *partner(rmct_import_year *y, size_t *cap, int code)
{
    for (size_t i = 0; i < y->n; i++)
        if (y->partners[i].code == code) return &y->partners[i];
    if (y->n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        rmct_partner *p = realloc(y->partners, *cap * sizeof *p);
        if (!p) return NULL;
        y->partners = p;
    }
    rmct_partner *p = &y->partners[y->n++];
    memset(p, 0, sizeof *p);
    p->code = code;
    return p;
}

rmct_code rmct_imports_load(rmct_db *db, const rmct_import_query *q, rmct_import_year **out, size_t *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    rmct_import_year *years = NULL;
    size_t ny = 0, capy = 0, capp = 0;
    sqlite3_stmt *st;
    rmct_code rc = prepare_flows(db, q, true, &st, err);
    if (rc) return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int year = sqlite3_column_int(st, 0);
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        rmct_import_year *y = ny ? &years[ny - 1] : NULL;
        if (y && y->year == year && strcmp(y->kind, kind)) continue; /* the declarations win: 'importer' sorts first */
        if (!y || y->year != year) {
            if (ny == capy) {
                capy = capy ? capy * 2 : 8;
                rmct_import_year *p = realloc(years, capy * sizeof *p);
                if (!p) goto nomem;
                years = p;
            }
            y = &years[ny++];
            memset(y, 0, sizeof *y);
            y->year = year;
            rmct_strlcpy(y->kind, kind, sizeof y->kind);
            y->contained_complete = true;
            capp = 0;
        }
        rmct_partner *p = partner(y, &capp, sqlite3_column_int(st, 3));
        if (!p) goto nomem;
        rmct_db_column_text(st, 2, p->iso3, sizeof p->iso3);
        rmct_db_column_text(st, 4, p->name, sizeof p->name);
        double v = sqlite3_column_double(st, 5);
        bool has_q = sqlite3_column_type(st, 6) != SQLITE_NULL, has_f = sqlite3_column_type(st, 7) != SQLITE_NULL;
        double qty = sqlite3_column_double(st, 6), f = sqlite3_column_double(st, 7);
        p->value_usd += v;
        y->value_usd += v;
        if (has_q) {
            p->qty_t += qty;
            y->qty_t += qty;
        }
        if (has_q && has_f) {
            p->contained_t += qty * f;
            y->contained_t += qty * f;
        } else {
            y->contained_complete = false;
        }
        if (!strcmp(p->iso3, "CHN")) y->china_share += v;
        /* poor governance: mean of the six WGI estimates below 0, i.e. worse than about the world median
           (scaled EU-style, (2.5 - mean) * 2 > 5) */
        if (sqlite3_column_type(st, 8) != SQLITE_NULL && sqlite3_column_double(st, 8) < 0) y->poor_governance_share += v;
        y->flows++;
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        rmct_imports_free(years, ny);
        return rmct_db_error(db, err, "reading trade flows");
    }
    /* exports of the same years, and partners' declared exports to the reporter (mirror) */
    if ((rc = prepare_flows(db, q, false, &st, err))) {
        rmct_imports_free(years, ny);
        return rc;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        int year = sqlite3_column_int(st, 0);
        for (size_t i = 0; i < ny; i++)
            if (years[i].year == year) {
                double v = sqlite3_column_double(st, 5);
                years[i].export_value_usd += v;
                if (sqlite3_column_type(st, 6) != SQLITE_NULL && sqlite3_column_type(st, 7) != SQLITE_NULL)
                    years[i].export_contained_t += sqlite3_column_double(st, 6) * sqlite3_column_double(st, 7);
            }
    }
    sqlite3_reset(st);
    sqlite3_stmt *m;
    if ((rc = rmct_db_cached(db, &m,
             "SELECT f.year, f.exporter_code, sum(f.value_usd) FROM trade_flow f"
             " JOIN hs_code h ON h.hs_version = f.hs_version AND h.hs6 = f.hs6 AND h.type_code = ?1"
             "  AND (?2 IS NULL OR h.element = ?2) AND (?3 IS NULL OR h.form = ?3)"
             " WHERE f.importer = ?4 AND f.reported_by = 'exporter' AND (?5 = 0 OR f.year = ?5) GROUP BY 1, 2", err))) {
        rmct_imports_free(years, ny);
        return rc;
    }
    sqlite3_bind_text(m, 1, q->type_code, -1, SQLITE_STATIC);
    if (q->element && *q->element) sqlite3_bind_text(m, 2, q->element, -1, SQLITE_STATIC);
    if (q->form) sqlite3_bind_text(m, 3, q->form, -1, SQLITE_STATIC);
    sqlite3_bind_text(m, 4, q->reporter, -1, SQLITE_STATIC);
    sqlite3_bind_int(m, 5, q->year);
    while (sqlite3_step(m) == SQLITE_ROW) {
        int year = sqlite3_column_int(m, 0), code = sqlite3_column_int(m, 1);
        for (size_t i = 0; i < ny; i++) {
            if (years[i].year != year || strcmp(years[i].kind, "importer")) continue;
            for (size_t k = 0; k < years[i].n; k++)
                if (years[i].partners[k].code == code) {
                    years[i].partners[k].has_mirror = true;
                    years[i].partners[k].mirror_value_usd = sqlite3_column_double(m, 2);
                }
        }
    }
    sqlite3_reset(m);
    for (size_t i = 0; i < ny; i++) {
        rmct_import_year *y = &years[i];
        qsort(y->partners, y->n, sizeof *y->partners, by_value);
        double *shares = malloc((y->n ? y->n : 1) * sizeof *shares);
        if (!shares) goto nomem_free;
        for (size_t k = 0; k < y->n; k++) shares[k] = y->partners[k].share = y->value_usd > 0 ? y->partners[k].value_usd / y->value_usd : 0;
        rmct_concentration(shares, y->n, &y->conc);
        free(shares);
        if (y->value_usd > 0) {
            y->china_share /= y->value_usd;
            y->poor_governance_share /= y->value_usd;
        }
    }
    *out = years;
    *n = ny;
    return RMCT_OK;
nomem:
    sqlite3_reset(st);
nomem_free:
    rmct_imports_free(years, ny);
    return rmct_error_set(err, RMCT_E_NOMEM, "out of memory reading trade flows");
}

/* ---------------- look-through ---------------- */

int rmct_lookthrough_solve(size_t n, const double *production, size_t m, const int *from, const int *to,
                           const double *qty, double *share, double *residual)
{
    size_t cells = n * n > 0 ? n * n : 1;
    double *inflow = calloc(n ? n : 1, sizeof *inflow), *next = calloc(cells, sizeof *next);
    if (!inflow || !next) {
        free(inflow);
        free(next);
        return -1;
    }
    for (size_t k = 0; k < m; k++) inflow[to[k]] += qty[k];
    /* start from 'everyone is their own origin' */
    for (size_t c = 0; c < n; c++)
        for (size_t o = 0; o < n; o++) share[c * n + o] = c == o;
    int it;
    double delta = 0;
    for (it = 1; it <= 10000; it++) {
        for (size_t c = 0; c < n; c++) {
            double *row = &next[c * n];
            double total = production[c] + inflow[c];
            for (size_t o = 0; o < n; o++) row[o] = 0;
            if (total <= 0) {
                row[c] = 1; /* exports with neither production nor imports: taken as its own origin */
                continue;
            }
            row[c] = production[c] / total;
        }
        for (size_t k = 0; k < m; k++) {
            double total = production[to[k]] + inflow[to[k]];
            double w = qty[k] / total;
            double *row = &next[(size_t)to[k] * n];
            const double *src = &share[(size_t)from[k] * n];
            for (size_t o = 0; o < n; o++) row[o] += w * src[o];
        }
        delta = 0;
        for (size_t x = 0; x < n * n; x++) {
            double d = fabs(next[x] - share[x]);
            if (d > delta) delta = d;
        }
        memcpy(share, next, n * n * sizeof *share);
        if (delta < 1e-13) break;
    }
    *residual = delta;
    free(inflow);
    free(next);
    return it;
}

void rmct_lookthrough_free(rmct_lookthrough *lt)
{
    if (lt) free(lt->origins);
}

/* Index of a country in the node list, adding it. */
static int node(char (*iso)[4], size_t *n, size_t cap, const char *code)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(iso[i], code)) return (int)i;
    if (*n == cap) return -1;
    rmct_strlcpy(iso[*n], code, 4);
    return (int)(*n)++;
}

rmct_code rmct_lookthrough_compute(rmct_db *db, const rmct_import_query *q, int year, rmct_lookthrough *out, rmct_error *err)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    enum { CAP = 400 };
    char (*iso)[4] = calloc(CAP, sizeof *iso);
    double *prod = calloc(CAP, sizeof *prod);
    size_t n = 0, m = 0, capm = 0;
    int *from = NULL, *to = NULL;
    double *qty = NULL, *share = NULL;
    rmct_code rc = RMCT_OK;
    if (!iso || !prod) goto nomem;
    /* which kind of flows: reconciled (BACI) if that year has any, else the importers' declarations */
    sqlite3_stmt *st;
    if ((rc = rmct_db_prepare(db, &st,
             "WITH fl AS (SELECT f.*, h.content_factor FROM trade_flow f JOIN hs_code h ON h.hs_version = f.hs_version"
             "  AND h.hs6 = f.hs6 AND h.type_code = ?1 AND (?2 IS NULL OR h.element = ?2) AND (?3 IS NULL OR h.form = ?3)"
             "  WHERE f.year = ?4 AND f.reported_by IN ('reconciled', 'importer') AND f.exporter IS NOT NULL AND f.importer IS NOT NULL"
             "  AND f.exporter <> f.importer)"
             " SELECT exporter, importer, qty_t, content_factor FROM fl"
             " WHERE reported_by = (SELECT CASE WHEN count(*) > 0 THEN 'reconciled' ELSE 'importer' END FROM fl WHERE reported_by = 'reconciled')",
             err)))
        goto fail;
    sqlite3_bind_text(st, 1, q->type_code, -1, SQLITE_STATIC);
    if (q->element && *q->element) sqlite3_bind_text(st, 2, q->element, -1, SQLITE_STATIC);
    if (q->form) sqlite3_bind_text(st, 3, q->form, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, year);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
            out->flows_without_tonnes++;
            continue;
        }
        /* contained tonnes where the content factor is known, else product tonnes (said in the note) */
        double t = sqlite3_column_double(st, 2) * (sqlite3_column_type(st, 3) != SQLITE_NULL ? sqlite3_column_double(st, 3) : 1.0);
        int a = node(iso, &n, CAP, (const char *)sqlite3_column_text(st, 0));
        int b = node(iso, &n, CAP, (const char *)sqlite3_column_text(st, 1));
        if (a < 0 || b < 0) continue;
        if (m == capm) {
            capm = capm ? capm * 2 : 1024;
            int *f2 = realloc(from, capm * sizeof *f2), *t2 = realloc(to, capm * sizeof *t2);
            double *q2 = realloc(qty, capm * sizeof *q2);
            if (f2) from = f2;
            if (t2) to = t2;
            if (q2) qty = q2;
            if (!f2 || !t2 || !q2) {
                sqlite3_finalize(st);
                goto nomem;
            }
        }
        from[m] = a;
        to[m] = b;
        qty[m] = t;
        m++;
    }
    sqlite3_finalize(st);
    out->flows_used = (long)m;
    /* production: the refinery stage for refined forms and the mine stage for ores, the year closest
       to the trade year (newest edition) */
    const char *stage = q->form && !strcmp(q->form, "ore") ? "mine" : NULL;
    if ((rc = rmct_db_prepare(db, &st,
             "WITH s AS (SELECT st.country, st.value * u.factor_t AS t, st.stage, st.year, src.edition, st.source_id, st.basis"
             "  FROM supply_stat st JOIN unit u ON u.text = st.unit JOIN source src ON src.id = st.source_id"
             "  WHERE st.type_code = ?1 AND (?2 IS NULL OR ifnull(st.element, ?2) = ?2) AND st.measure = 'production'"
             "  AND st.row_kind = 'country' AND st.value IS NOT NULL AND (?3 IS NULL OR st.stage = ?3)),"
             " pick AS (SELECT stage, year, source_id FROM s ORDER BY (stage = 'refinery') DESC, abs(year - ?4),"
             "  CAST(edition AS INTEGER) DESC, source_id DESC LIMIT 1)"
             " SELECT s.country, s.t, s.stage, s.year, s.basis FROM s JOIN pick p ON p.stage = s.stage AND p.year = s.year"
             "  AND p.source_id = s.source_id", err)))
        goto fail;
    sqlite3_bind_text(st, 1, q->type_code, -1, SQLITE_STATIC);
    if (q->element && *q->element) sqlite3_bind_text(st, 2, q->element, -1, SQLITE_STATIC);
    if (stage) sqlite3_bind_text(st, 3, stage, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, year);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int c = node(iso, &n, CAP, (const char *)sqlite3_column_text(st, 0));
        if (c < 0) continue;
        prod[c] += sqlite3_column_double(st, 1);
        out->producers++;
        snprintf(out->production_note, sizeof out->production_note, "%s production %d (%s)",
                 (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3), (const char *)sqlite3_column_text(st, 4));
    }
    sqlite3_finalize(st);
    int rep = -1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(iso[i], q->reporter)) rep = (int)i;
    if (rep < 0 || m == 0) {
        free(iso);
        free(prod);
        free(from);
        free(to);
        free(qty);
        return rmct_error_set(err, RMCT_E_NOTFOUND, "no trade flows with quantities into %s in %d for the look-through", q->reporter, year);
    }
    share = calloc(n * n, sizeof *share);
    if (!share) goto nomem;
    out->iterations = rmct_lookthrough_solve(n, prod, m, from, to, qty, share, &out->residual);
    /* the reporter's imports: direct partners and their origin mixes */
    double total = 0;
    double *direct = calloc(n, sizeof *direct), *origin = calloc(n, sizeof *origin);
    if (!direct || !origin) {
        free(direct);
        free(origin);
        goto nomem;
    }
    for (size_t k = 0; k < m; k++) {
        if (to[k] != rep) continue;
        total += qty[k];
        direct[from[k]] += qty[k];
        for (size_t o = 0; o < n; o++) origin[o] += qty[k] * share[(size_t)from[k] * n + o];
    }
    out->origins = calloc(n, sizeof *out->origins);
    if (!out->origins) {
        free(direct);
        free(origin);
        goto nomem;
    }
    for (size_t o = 0; o < n; o++) {
        if (direct[o] <= 0 && origin[o] <= 1e-15 * total) continue;
        rmct_trade_origin *r = &out->origins[out->n++];
        rmct_strlcpy(r->iso3, iso[o], sizeof r->iso3);
        r->direct_share = total > 0 ? direct[o] / total : 0;
        r->origin_share = total > 0 ? origin[o] / total : 0;
    }
    free(direct);
    free(origin);
    for (size_t a = 0; a < out->n; a++) /* largest origin first (few entries) */
        for (size_t b = a + 1; b < out->n; b++)
            if (out->origins[b].origin_share > out->origins[a].origin_share) {
                rmct_trade_origin t = out->origins[a];
                out->origins[a] = out->origins[b];
                out->origins[b] = t;
            }
    if ((rc = rmct_db_prepare(db, &st, "SELECT coalesce(display_name, common_name, name) FROM country WHERE iso3 = ?", err))) goto fail;
    for (size_t i = 0; i < out->n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, out->origins[i].iso3, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) rmct_db_column_text(st, 0, out->origins[i].name, sizeof out->origins[i].name);
    }
    sqlite3_finalize(st);
    free(iso);
    free(prod);
    free(from);
    free(to);
    free(qty);
    free(share);
    return RMCT_OK;
nomem:
    rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory in the look-through");
fail:
    free(iso);
    free(prod);
    free(from);
    free(to);
    free(qty);
    free(share);
    rmct_lookthrough_free(out);
    return rc;
}
