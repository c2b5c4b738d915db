/* critical.c: the EU criticality formulas, WGI averaging and the reproduction of the EU's 2023
 * results (see critical.h). */
#include "critical.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

double rmct_hhi_wgi_t(const double *share, const double *wgi, const double *t, size_t n, int *missing)
{
    double h = 0;
    int miss = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(wgi[i])) {
            miss++;
            continue;
        }
        h += share[i] * share[i] * wgi[i] * (t ? t[i] : 1.0);
    }
    if (missing) *missing = miss;
    return h;
}

double rmct_wgi_scale(double mean6) { return (2.5 - mean6) * 2.0; }

double rmct_supply_risk(double hhi_global, double hhi_sourcing, double ir, double eol_rir, double si_sr, rmct_scope scope)
{
    double h;
    switch (scope) {
    case RMCT_SCOPE_GLOBAL: h = hhi_global; break;
    case RMCT_SCOPE_SOURCING: h = hhi_sourcing; break;
    default: h = hhi_global * ir / 2.0 + hhi_sourcing * (1.0 - ir / 2.0); break;
    }
    return h * (1.0 - eol_rir) * si_sr;
}

double rmct_economic_importance(const double *a, const double *q, size_t n, double si_ei, double q_max)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * q[i];
    return q_max > 0 ? s * si_ei / q_max * 10.0 : NAN;
}

/* ---- WGI ---- */

struct rmct_wgi {
    size_t n;
    char (*iso3)[4];
    double *value;
};

rmct_code rmct_wgi_load(rmct_db *db, int from, int to, rmct_wgi **out, rmct_error *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(db, &st,
        "SELECT country, avg(value) FROM governance WHERE indicator = 'mean6' AND year BETWEEN ? AND ?"
        " GROUP BY country ORDER BY country", err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, from);
    sqlite3_bind_int(st, 2, to);
    rmct_wgi *w = calloc(1, sizeof *w);
    size_t cap = 0;
    while (w && sqlite3_step(st) == SQLITE_ROW) {
        if (w->n == cap) {
            cap = cap ? cap * 2 : 256;
            char (*i2)[4] = realloc(w->iso3, cap * sizeof *i2);
            double *v2 = realloc(w->value, cap * sizeof *v2);
            if (i2) w->iso3 = i2;
            if (v2) w->value = v2;
            if (!i2 || !v2) {
                rmct_wgi_free(w);
                w = NULL;
                break;
            }
        }
        rmct_db_column_text(st, 0, w->iso3[w->n], 4);
        w->value[w->n++] = rmct_wgi_scale(sqlite3_column_double(st, 1));
    }
    sqlite3_reset(st);
    if (!w) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory reading governance indicators");
    *out = w;
    return RMCT_OK;
}

double rmct_wgi_get(const rmct_wgi *w, const char *iso3)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) { /* sorted by the query */
        size_t mid = (lo + hi) / 2;
        int c = strcmp(w->iso3[mid], iso3);
        if (c == 0) return w->value[mid];
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return NAN;
}

void rmct_wgi_free(rmct_wgi *w)
{
    if (!w) return;
    free(w->iso3);
    free(w->value);
    free(w);
}

void rmct_distribution_free(rmct_distribution *d)
{
    free(d->iso3);
    free(d->share);
    free(d->t);
    free(d->wgi);
    memset(d, 0, sizeof *d);
}

/* The published shares of one material and stage (supply_share), with their trade factors and the
 * averaged WGI of each supplier. The material may be named differently in the share files
 * (name_alias, domain eu-material). */
static rmct_code load_shares(rmct_db *db, const char *scope, const char *material, const char *stage, const rmct_wgi *w,
                             rmct_distribution *d, rmct_error *err)
{
    memset(d, 0, sizeof *d);
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT ifnull(country, ''), share_pct, ifnull(trade_factor, 1.0) FROM supply_share"
        " WHERE scope = ?1 AND stage = ?3 AND share_pct IS NOT NULL AND material = coalesce("
        "  (SELECT name FROM name_alias WHERE domain = 'eu-material' AND alias = ?2), ?2) COLLATE NOCASE"
        " AND source_id = (SELECT max(source_id) FROM supply_share WHERE scope = ?1)", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, material, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, !strcmp(stage, "extraction") ? "mine" : "refinery", -1, SQLITE_STATIC);
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (d->n == cap) {
            cap = cap ? cap * 2 : 32;
            char (*i2)[4] = realloc(d->iso3, cap * sizeof *i2);
            double *s2 = realloc(d->share, cap * sizeof *s2), *t2 = realloc(d->t, cap * sizeof *t2), *w2 = realloc(d->wgi, cap * sizeof *w2);
            if (i2) d->iso3 = i2;
            if (s2) d->share = s2;
            if (t2) d->t = t2;
            if (w2) d->wgi = w2;
            if (!i2 || !s2 || !t2 || !w2) {
                sqlite3_finalize(st);
                rmct_distribution_free(d);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
        }
        rmct_db_column_text(st, 0, d->iso3[d->n], 4);
        d->share[d->n] = sqlite3_column_double(st, 1) / 100.0;
        d->t[d->n] = sqlite3_column_double(st, 2);
        d->wgi[d->n] = rmct_wgi_get(w, d->iso3[d->n]);
        d->total += d->share[d->n];
        d->n++;
    }
    sqlite3_finalize(st);
    return RMCT_OK;
}

void rmct_eu_reproduction_free(rmct_eu_reproduction *r)
{
    free(r->sr);
    free(r->ei);
    memset(r, 0, sizeof *r);
}

static rmct_code reproduce_sr(rmct_db *db, const rmct_wgi *w, rmct_eu_reproduction *out, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT material, stage, scope, sr_published, ir, eol_rir, si_sr, note FROM crit_param"
        " WHERE assessment = 'EU-2023' AND source_id = (SELECT max(source_id) FROM crit_param) ORDER BY id", err);
    if (rc) return rc;
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 3) == SQLITE_NULL) continue; /* no published value to check */
        if (out->n_sr == cap) {
            cap = cap ? cap * 2 : 128;
            rmct_eu_sr_check *p = realloc(out->sr, cap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            out->sr = p;
        }
        rmct_eu_sr_check *c = &out->sr[out->n_sr++];
        memset(c, 0, sizeof *c);
        rmct_db_column_text(st, 0, c->material, sizeof c->material);
        rmct_db_column_text(st, 1, c->stage, sizeof c->stage);
        rmct_db_column_text(st, 2, c->scope, sizeof c->scope);
        c->published = sqlite3_column_double(st, 3);
        c->computed = NAN;
        bool has_ir = sqlite3_column_type(st, 4) != SQLITE_NULL, has_si = sqlite3_column_type(st, 6) != SQLITE_NULL;
        c->ir = sqlite3_column_double(st, 4);
        c->eol_rir = sqlite3_column_double(st, 5);
        c->si_sr = sqlite3_column_double(st, 6);
        if (!c->scope[0]) {
            snprintf(c->reason, sizeof c->reason, "scope not stated in the source row");
            continue;
        }
        if (!has_si) {
            snprintf(c->reason, sizeof c->reason, "no substitution index (SI_SR) published for this material");
            continue;
        }
        rmct_scope scope = !strcmp(c->scope, "GSonly") ? RMCT_SCOPE_GLOBAL : !strcmp(c->scope, "EUonly") ? RMCT_SCOPE_SOURCING : RMCT_SCOPE_BOTH;
        rmct_distribution gs, eu;
        if ((rc = load_shares(db, "global", c->material, c->stage, w, &gs, err))) break;
        if ((rc = load_shares(db, "eu_sourcing", c->material, c->stage, w, &eu, err))) {
            rmct_distribution_free(&gs);
            break;
        }
        bool need_gs = scope != RMCT_SCOPE_SOURCING, need_eu = scope != RMCT_SCOPE_GLOBAL;
        if (need_gs && gs.n == 0) snprintf(c->reason, sizeof c->reason, "no global supply shares published for this stage");
        else if (need_eu && eu.n == 0) snprintf(c->reason, sizeof c->reason, "no EU sourcing shares published for this stage");
        else if (scope == RMCT_SCOPE_BOTH && !has_ir) snprintf(c->reason, sizeof c->reason, "no import reliance published");
        else {
            int m1 = 0, m2 = 0;
            c->hhi_global = rmct_hhi_wgi_t(gs.share, gs.wgi, gs.t, gs.n, &m1);
            c->hhi_sourcing = rmct_hhi_wgi_t(eu.share, eu.wgi, eu.t, eu.n, &m2);
            c->missing_wgi = (need_gs ? m1 : 0) + (need_eu ? m2 : 0);
            c->global_total = gs.total;
            c->sourcing_total = eu.total;
            c->computed = rmct_supply_risk(c->hhi_global, c->hhi_sourcing, c->ir, c->eol_rir, c->si_sr, scope);
            c->computable = true;
            /* what may explain a gap: incomplete distributions, suppliers without WGI */
            char why[200] = "";
            size_t len = 0;
            if (need_eu && eu.total < 0.95)
                len += (size_t)snprintf(why + len, sizeof why - len, "EU sourcing lists only shares of 1%% or more (sum %.0f%%); ", 100 * eu.total);
            if (need_gs && gs.total < 0.95 && len < sizeof why)
                len += (size_t)snprintf(why + len, sizeof why - len, "global shares sum to %.0f%%; ", 100 * gs.total);
            if (c->missing_wgi && len < sizeof why)
                len += (size_t)snprintf(why + len, sizeof why - len, "%d suppliers without WGI; ", c->missing_wgi);
            if (len) why[len - 2] = '\0';
            rmct_strlcpy(c->reason, why, sizeof c->reason);
        }
        rmct_distribution_free(&gs);
        rmct_distribution_free(&eu);
    }
    sqlite3_finalize(st);
    return rc;
}

static rmct_code reproduce_ei(rmct_db *db, rmct_eu_reproduction *out, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT sector, max(sector_va) FROM end_use WHERE assessment = 'EU-2023' GROUP BY sector ORDER BY 2 DESC LIMIT 1", err);
    if (rc) return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        rmct_db_column_text(st, 0, out->q_max_sector, sizeof out->q_max_sector);
        out->q_max = sqlite3_column_double(st, 1);
    }
    sqlite3_finalize(st);
    if ((rc = rmct_db_prepare(db, &st,
             "SELECT p.material, max(p.ei_published), max(p.si_ei),"
             " (SELECT sum(u.share_pct / 100.0 * u.sector_va) FROM end_use u WHERE u.assessment = 'EU-2023' AND u.material = coalesce("
             "   (SELECT name FROM name_alias WHERE domain = 'eu-material' AND alias = p.material), p.material) COLLATE NOCASE),"
             " (SELECT count(*) FROM end_use u WHERE u.assessment = 'EU-2023' AND u.material = coalesce("
             "   (SELECT name FROM name_alias WHERE domain = 'eu-material' AND alias = p.material), p.material) COLLATE NOCASE),"
             " (SELECT sum(u.share_pct / 100.0) FROM end_use u WHERE u.assessment = 'EU-2023' AND u.material = coalesce("
             "   (SELECT name FROM name_alias WHERE domain = 'eu-material' AND alias = p.material), p.material) COLLATE NOCASE),"
             " (SELECT total(u.share_pct / 100.0) FROM end_use u WHERE u.assessment = 'EU-2023' AND u.sector_va IS NULL AND u.material = coalesce("
             "   (SELECT name FROM name_alias WHERE domain = 'eu-material' AND alias = p.material), p.material) COLLATE NOCASE)"
             " FROM crit_param p WHERE p.assessment = 'EU-2023' AND p.ei_published IS NOT NULL GROUP BY p.material ORDER BY min(p.id)", err)))
        return rc;
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (out->n_ei == cap) {
            cap = cap ? cap * 2 : 64;
            rmct_eu_ei_check *p = realloc(out->ei, cap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            out->ei = p;
        }
        rmct_eu_ei_check *c = &out->ei[out->n_ei++];
        memset(c, 0, sizeof *c);
        rmct_db_column_text(st, 0, c->material, sizeof c->material);
        c->published = sqlite3_column_double(st, 1);
        c->computed = NAN;
        c->sectors = sqlite3_column_int(st, 4);
        if (sqlite3_column_type(st, 2) == SQLITE_NULL) snprintf(c->reason, sizeof c->reason, "no substitution index (SI_EI) published");
        else if (c->sectors == 0) snprintf(c->reason, sizeof c->reason, "no end-use shares published");
        else {
            c->si_ei = sqlite3_column_double(st, 2);
            c->sum_aq = sqlite3_column_double(st, 3);
            c->computed = out->q_max > 0 ? c->sum_aq * c->si_ei / out->q_max * 10.0 : NAN;
            c->computable = true;
            c->share_total = sqlite3_column_double(st, 5);
            c->share_no_sector = sqlite3_column_double(st, 6);
            bool off = fabs(c->computed - c->published) > 0.2 + 1e-9;
            if (off && fabs(c->share_total - 1.0) > 0.02)
                snprintf(c->reason, sizeof c->reason, "the published end-use shares sum to %.0f%%", 100.0 * c->share_total);
            else if (off && c->share_no_sector >= 0.05)
                snprintf(c->reason, sizeof c->reason, "%.0f%% of the end uses published as 'Other' without a sector (the EU's allocation of it is not published)",
                         100.0 * c->share_no_sector);
        }
    }
    sqlite3_finalize(st);
    return RMCT_OK;
}

rmct_code rmct_eu_reproduce(rmct_db *db, int wgi_from, int wgi_to, rmct_eu_reproduction *out, rmct_error *err)
{
    memset(out, 0, sizeof *out);
    out->wgi_from = wgi_from;
    out->wgi_to = wgi_to;
    rmct_wgi *w;
    rmct_code rc = rmct_wgi_load(db, wgi_from, wgi_to, &w, err);
    if (rc) return rc;
    rc = reproduce_sr(db, w, out, err);
    if (!rc) rc = reproduce_ei(db, out, err);
    rmct_wgi_free(w);
    if (rc) rmct_eu_reproduction_free(out);
    return rc;
}
