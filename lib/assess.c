/* assess.c: Korea's criticality assessment (see assess.h and docs/CRITICALITY.md). */
#include "assess.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supply.h"
#include "text.h"
#include "trade.h"

/* ---------------- the method file ---------------- */

static double num_at(json_t *root, const char *a, const char *b, const char *c, double fallback, bool *ok)
{
    json_t *v = json_object_get(root, a);
    if (v && b) v = json_object_get(v, b);
    if (v && c) v = json_object_get(v, c);
    if (!json_is_number(v)) {
        *ok = false;
        return fallback;
    }
    return json_number_value(v);
}

rmct_code rmct_method_load(const char *path, rmct_method *m, rmct_error *err)
{
    memset(m, 0, sizeof *m);
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) return rmct_error_at(err, path, je.line, je.column, NULL, "expected a method file in JSON: %s", je.text);
    bool ok = true;
    const char *id = json_string_value(json_object_get(root, "id"));
    const char *name = json_string_value(json_object_get(root, "name"));
    const char *source = json_string_value(json_object_get(root, "source"));
    if (!id || !name || !source) {
        json_decref(root);
        return rmct_error_at(err, path, 0, 0, NULL, "expected the fields id, name and source");
    }
    rmct_strlcpy(m->id, id, sizeof m->id);
    rmct_strlcpy(m->name, name, sizeof m->name);
    rmct_strlcpy(m->source, source, sizeof m->source);
    rmct_strlcpy(m->path, path, sizeof m->path);
    m->version = (int)num_at(root, "version", NULL, NULL, 0, &ok);
    m->sr_threshold = num_at(root, "thresholds", "sr", "value", 1.0, &ok);
    m->ei_threshold = num_at(root, "thresholds", "ei", "value", 2.8, &ok);
    m->average_years = (int)num_at(root, "average_years", "value", NULL, 5, &ok);
    m->wgi_years = (int)num_at(root, "wgi_years", "value", NULL, 5, &ok);
    m->ir_extraction = num_at(root, "defaults", "ir_extraction", "value", 1.0, &ok);
    m->ir_processing = num_at(root, "defaults", "ir_processing", "value", 1.0, &ok);
    const char *irn = json_string_value(json_object_get(json_object_get(json_object_get(root, "defaults"), "ir_extraction"), "source"));
    rmct_strlcpy(m->ir_note, irn ? irn : "assumption", sizeof m->ir_note);
    m->sd_share = num_at(root, "uncertainty", "share", "relative_sd", 0.1, &ok);
    m->sd_share_proxy = num_at(root, "uncertainty", "share_proxy", "relative_sd", 0.25, &ok);
    m->sd_wgi = num_at(root, "uncertainty", "wgi", "sd", 0.4, &ok);
    m->sd_ir = num_at(root, "uncertainty", "ir", "sd", 0.05, &ok);
    m->sd_eol = num_at(root, "uncertainty", "eol_rir", "sd", 0.05, &ok);
    m->sd_si = num_at(root, "uncertainty", "si", "sd", 0.05, &ok);
    m->sd_end_use = num_at(root, "uncertainty", "end_use", "relative_sd", 0.15, &ok);
    m->sd_va = num_at(root, "uncertainty", "value_added", "relative_sd", 0.1, &ok);
    json_decref(root);
    if (!ok || m->version < 1 || m->average_years < 1 || m->wgi_years < 1 || m->sr_threshold < 0 || m->ei_threshold < 0)
        return rmct_error_at(err, path, 0, 0, NULL,
                             "expected numbers for version, thresholds.sr.value, thresholds.ei.value, average_years.value, "
                             "wgi_years.value, defaults.ir_*.value and uncertainty.*");
    return rmct_sha256_file(path, m->sha256, err);
}

/* ---------------- distributions ---------------- */

static int dist_add(rmct_distribution *d, const char *iso3, double share, double t, double wgi)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->iso3[i], iso3)) {
            d->share[i] += share;
            d->total += share;
            return 0;
        }
    size_t n = d->n + 1;
    char (*i2)[4] = realloc(d->iso3, n * sizeof *i2);
    if (i2) d->iso3 = i2;
    double *s2 = realloc(d->share, n * sizeof *s2);
    if (s2) d->share = s2;
    double *t2 = realloc(d->t, n * sizeof *t2);
    if (t2) d->t = t2;
    double *w2 = realloc(d->wgi, n * sizeof *w2);
    if (w2) d->wgi = w2;
    if (!i2 || !s2 || !t2 || !w2) return -1;
    rmct_strlcpy(d->iso3[d->n], iso3, 4);
    d->share[d->n] = share;
    d->t[d->n] = t;
    d->wgi[d->n] = wgi;
    d->total += share;
    d->n = n;
    return 0;
}

static void dist_copy(rmct_distribution *dst, const rmct_distribution *src)
{
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < src->n; i++) dist_add(dst, src->iso3[i], src->share[i], src->t[i], src->wgi[i]);
}

/* The supplier's own export measures (EU 2023 trade-related variable above 1) for a material. */
static double trade_factor(rmct_db *db, const char *material, const char *stage, const char *iso3)
{
    sqlite3_stmt *st;
    rmct_error e;
    double t = 1.0;
    if (!material[0] || rmct_db_cached(db, &st,
            "SELECT trade_factor FROM supply_share WHERE scope = 'global' AND country = ?3 AND stage = ?2"
            " AND material = coalesce((SELECT name FROM name_alias WHERE domain = 'eu-material' AND alias = ?1), ?1) COLLATE NOCASE"
            " AND trade_factor > 1", &e))
        return 1.0;
    sqlite3_bind_text(st, 1, material, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, !strcmp(stage, "extraction") ? "mine" : "refinery", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, iso3, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) t = sqlite3_column_double(st, 0);
    sqlite3_reset(st);
    return t;
}

/* Global supply from the loaded production data: tonnes pooled over the window and the type's
 * series of this stage (same basis), 'Other countries' in the denominator. */
static rmct_code global_supply(rmct_db *db, const rmct_assessment *a, rmct_stage_result *s, int from, int to,
                               const rmct_wgi *w, rmct_error *err)
{
    rmct_series_query q = {a->type_code, a->is_element ? a->code : NULL, "production",
                           !strcmp(s->stage, "extraction") ? "mine" : "refinery", 0, NULL};
    rmct_series *v;
    size_t n;
    rmct_code rc = rmct_series_load(db, &q, &v, &n, err);
    if (rc) return rc;
    double total = 0;
    char basis[16] = "";
    int y0 = 9999, y1 = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].year < from || v[i].year > to || v[i].conc.n == 0) continue;
        if (!basis[0]) rmct_strlcpy(basis, v[i].basis, sizeof basis);
        if (strcmp(basis, v[i].basis)) continue; /* only one basis can be pooled */
        if (v[i].year < y0) y0 = v[i].year;
        if (v[i].year > y1) y1 = v[i].year;
        for (size_t k = 0; k < v[i].n; k++)
            if (v[i].entries[k].has_value && v[i].entries[k].tonnes > 0) {
                if (dist_add(&s->gs, v[i].entries[k].iso3, v[i].entries[k].tonnes, 1.0, rmct_wgi_get(w, v[i].entries[k].iso3))) {
                    rmct_series_free(v, n);
                    return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                }
                total += v[i].entries[k].tonnes;
            }
        if (v[i].has_other) total += v[i].other_tonnes;
    }
    rmct_series_free(v, n);
    if (s->gs.n == 0) return RMCT_OK;
    for (size_t i = 0; i < s->gs.n; i++) {
        s->gs.share[i] /= total;
        s->gs.t[i] = trade_factor(db, s->eu_material, s->stage, s->gs.iso3[i]);
    }
    s->gs.total = 0;
    for (size_t i = 0; i < s->gs.n; i++) s->gs.total += s->gs.share[i];
    snprintf(s->gs_basis, sizeof s->gs_basis, "USGS MCS %s production by country, %d-%d pooled (%s)",
             strcmp(s->stage, "extraction") ? "refinery" : "mine", y0, y1, basis);
    return RMCT_OK;
}

/* The EU's published global shares as a proxy where no production data are loaded. */
static rmct_code global_supply_proxy(rmct_db *db, rmct_stage_result *s, const rmct_wgi *w, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(db, &st,
        "SELECT ifnull(country,''), share_pct, ifnull(trade_factor, 1.0) FROM supply_share WHERE scope = 'global'"
        " AND stage = ?2 AND share_pct IS NOT NULL AND material = coalesce("
        " (SELECT name FROM name_alias WHERE domain = 'eu-material' AND alias = ?1), ?1) COLLATE NOCASE", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, s->eu_material, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, !strcmp(s->stage, "extraction") ? "mine" : "refinery", -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *iso3 = (const char *)sqlite3_column_text(st, 0);
        double t = sqlite3_column_double(st, 2);
        if (dist_add(&s->gs, iso3, sqlite3_column_double(st, 1) / 100.0, t > 1 ? t : 1.0, rmct_wgi_get(w, iso3))) {
            sqlite3_reset(st);
            return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        }
    }
    sqlite3_reset(st);
    if (s->gs.n) {
        s->gs_proxy = true;
        char material[sizeof s->eu_material]; /* a copy: gcc's -Wrestrict cannot tell the fields apart after inlining */
        memcpy(material, s->eu_material, sizeof material);
        snprintf(s->gs_basis, sizeof s->gs_basis, "proxy: EU CRM 2023 published global shares of %s, 2016-2020", material);
    }
    return RMCT_OK;
}

/* Korea's sourcing: import partners by value over the window, from loaded trade flows. */
static rmct_code korean_sourcing(rmct_db *db, const rmct_assessment *a, rmct_stage_result *s, int from, int to,
                                 const char *reporter, const rmct_wgi *w, bool *has_ir, double *ir, rmct_error *err)
{
    *has_ir = false;
    rmct_import_query q = {a->type_code, a->is_element ? a->code : NULL, reporter,
                           !strcmp(s->stage, "extraction") ? "ore" : NULL, 0};
    rmct_import_year *y;
    size_t ny;
    rmct_code rc = rmct_imports_load(db, &q, &y, &ny, err);
    if (rc) return rc;
    double total = 0, m = 0, x = 0;
    bool complete = true;
    int y0 = 9999, y1 = 0;
    for (size_t i = 0; i < ny; i++) {
        if (y[i].year < from || y[i].year > to) continue;
        if (y[i].year < y0) y0 = y[i].year;
        if (y[i].year > y1) y1 = y[i].year;
        for (size_t k = 0; k < y[i].n; k++) {
            const rmct_partner *p = &y[i].partners[k];
            if (!p->iso3[0] || p->value_usd <= 0) continue;
            dist_add(&s->ks, p->iso3, p->value_usd, trade_factor(db, s->eu_material, s->stage, p->iso3), rmct_wgi_get(w, p->iso3));
            total += p->value_usd;
        }
        m += y[i].contained_t;
        x += y[i].export_contained_t;
        complete &= y[i].contained_complete;
    }
    rmct_imports_free(y, ny);
    if (s->ks.n == 0) return RMCT_OK;
    for (size_t i = 0; i < s->ks.n; i++) s->ks.share[i] /= total;
    s->ks.total = 1.0;
    snprintf(s->ks_basis, sizeof s->ks_basis, "Korea's imports by partner (value), trade flows %d-%d", y0, y1);
    if (complete && m > x) { /* Korea's own production is none in the loaded data */
        *has_ir = true;
        *ir = 1.0;
    }
    return RMCT_OK;
}

/* The EU material whose parameters serve for this subject and stage. */
static void eu_parameters(rmct_db *db, const rmct_assessment *a, rmct_stage_result *s)
{
    sqlite3_stmt *st;
    rmct_error e;
    if (rmct_db_cached(db, &st,
            "SELECT material, eol_rir, si_sr, src_line FROM crit_param WHERE assessment = 'EU-2023' AND stage = ?2"
            " AND si_sr IS NOT NULL AND (element = ?1 OR (element IS NULL AND type_code = ?1))"
            " ORDER BY sr_published IS NULL, sr_published DESC, id LIMIT 1", &e))
        return;
    sqlite3_bind_text(st, 1, a->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, s->stage, -1, SQLITE_STATIC);
    int found = sqlite3_step(st);
    if (found != SQLITE_ROW && !a->is_element) {
        /* a group type (rare earths, platinum group): the EU assessed its members one by one; the
           member with the highest published SR of the stage stands in for the group */
        sqlite3_reset(st);
        if (rmct_db_cached(db, &st,
                "SELECT material, eol_rir, si_sr, src_line FROM crit_param WHERE assessment = 'EU-2023' AND stage = ?2"
                " AND si_sr IS NOT NULL AND type_code = ?1 AND element IS NOT NULL"
                " ORDER BY sr_published IS NULL, sr_published DESC, id LIMIT 1", &e))
            return;
        sqlite3_bind_text(st, 1, a->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, s->stage, -1, SQLITE_STATIC);
        found = sqlite3_step(st);
    }
    if (found == SQLITE_ROW) {
        rmct_db_column_text(st, 0, s->eu_material, sizeof s->eu_material);
        s->eol_rir.value = sqlite3_column_double(st, 1);
        s->si_sr.value = sqlite3_column_double(st, 2);
        s->eol_rir.assumption = s->si_sr.assumption = true;
        snprintf(s->eol_rir.basis, sizeof s->eol_rir.basis, "proxy: EU 2023 EoL-RIR of %s (data/eu_crm_2023_parameters.csv line %d)",
                 s->eu_material, sqlite3_column_int(st, 3));
        snprintf(s->si_sr.basis, sizeof s->si_sr.basis, "proxy: EU 2023 SI_SR of %s (data/eu_crm_2023_parameters.csv line %d)",
                 s->eu_material, sqlite3_column_int(st, 3));
    }
    sqlite3_reset(st);
}

/* Which supplier drives the SR most: its share of the dominant HHI_WGI,t term. */
static void dominant(rmct_assessment *a)
{
    const rmct_stage_result *s = &a->st[a->sr_stage];
    const rmct_distribution *d = (s->ir.value / 2 * s->hhi_gs >= (1 - s->ir.value / 2) * s->hhi_ks) ? &s->gs : &s->ks;
    double best = 0, sum = 0;
    size_t bi = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (isnan(d->wgi[i])) continue;
        double c = d->share[i] * d->share[i] * d->wgi[i] * d->t[i];
        sum += c;
        if (c > best) {
            best = c;
            bi = i;
        }
    }
    if (d->n && sum > 0)
        snprintf(a->dominant, sizeof a->dominant, "%s %s: %s %.0f%% of supply, WGI %.1f%s, %.0f%% of HHI_WGI,t", a->st[a->sr_stage].stage,
                 d == &s->gs ? "global supply" : "Korean sourcing", d->iso3[bi], 100 * d->share[bi], d->wgi[bi],
                 d->t[bi] > 1 ? " (export measures)" : "", 100 * best / sum);
}

double rmct_stage_sr(const rmct_stage_result *s, const double *gs_share, const double *gs_wgi, const double *ks_share,
                     const double *ks_wgi, double ir, double eol, double si)
{
    double hg = rmct_hhi_wgi_t(gs_share, gs_wgi, s->gs.t, s->gs.n, NULL);
    double hk = rmct_hhi_wgi_t(ks_share, ks_wgi, s->ks.t, s->ks.n, NULL);
    return rmct_supply_risk(hg, hk, ir, eol, si, RMCT_SCOPE_BOTH);
}

static rmct_code economic_importance(rmct_db *db, rmct_assessment *a, rmct_error *err)
{
    const char *material = a->st[a->sr_stage].eu_material[0] ? a->st[a->sr_stage].eu_material
                         : a->st[0].eu_material[0] ? a->st[0].eu_material : a->st[1].eu_material;
    if (!material[0]) return RMCT_OK;
    rmct_strlcpy(a->ei_material, material, sizeof a->ei_material);
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(db, &st, "SELECT sector, max(sector_va) FROM end_use WHERE assessment = 'EU-2023'"
                                            " GROUP BY sector ORDER BY 2 DESC LIMIT 1", err);
    if (rc) return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        rmct_db_column_text(st, 0, a->q_max_sector, sizeof a->q_max_sector);
        a->q_max = sqlite3_column_double(st, 1);
    }
    sqlite3_reset(st);
    if ((rc = rmct_db_cached(db, &st, "SELECT max(si_ei) FROM crit_param WHERE assessment = 'EU-2023' AND material = ?", err))) return rc;
    sqlite3_bind_text(st, 1, material, -1, SQLITE_STATIC);
    bool has_si = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    a->si_ei.value = has_si ? sqlite3_column_double(st, 0) : NAN;
    sqlite3_reset(st);
    a->si_ei.assumption = true;
    snprintf(a->si_ei.basis, sizeof a->si_ei.basis, "proxy: EU 2023 SI_EI of %s", material);
    if ((rc = rmct_db_cached(db, &st,
             "SELECT application, sector, share_pct / 100.0, sector_va FROM end_use WHERE assessment = 'EU-2023'"
             " AND share_pct IS NOT NULL AND sector_va IS NOT NULL AND material = coalesce("
             " (SELECT name FROM name_alias WHERE domain = 'eu-material' AND alias = ?1), ?1) COLLATE NOCASE ORDER BY id", err)))
        return rc;
    sqlite3_bind_text(st, 1, material, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rmct_end_use *u = realloc(a->uses, (a->n_uses + 1) * sizeof *u);
        if (!u) {
            sqlite3_reset(st);
            return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        }
        a->uses = u;
        u = &a->uses[a->n_uses++];
        rmct_db_column_text(st, 0, u->application, sizeof u->application);
        rmct_db_column_text(st, 1, u->sector, sizeof u->sector);
        u->share = sqlite3_column_double(st, 2);
        u->va = sqlite3_column_double(st, 3);
    }
    sqlite3_reset(st);
    if (a->n_uses == 0) { /* no end-use table published for the material: its published EI as a proxy */
        if ((rc = rmct_db_cached(db, &st, "SELECT max(ei_published) FROM crit_param WHERE assessment = 'EU-2023' AND material = ?", err)))
            return rc;
        sqlite3_bind_text(st, 1, material, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            a->ei = sqlite3_column_double(st, 0);
            a->has_ei = true;
            snprintf(a->ei_basis, sizeof a->ei_basis, "proxy: EU 2023 published EI of %s (no end-use table published for it)", material);
        }
        sqlite3_reset(st);
        return RMCT_OK;
    }
    if (a->n_uses && has_si && a->q_max > 0) {
        double *aa = malloc(a->n_uses * sizeof *aa), *qq = malloc(a->n_uses * sizeof *qq);
        if (!aa || !qq) {
            free(aa);
            free(qq);
            return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < a->n_uses; i++) {
            aa[i] = a->uses[i].share;
            qq[i] = a->uses[i].va;
        }
        a->ei = rmct_economic_importance(aa, qq, a->n_uses, a->si_ei.value, a->q_max);
        a->has_ei = true;
        free(aa);
        free(qq);
        snprintf(a->ei_basis, sizeof a->ei_basis,
                 "proxy: EU 2023 end-use shares of %s and EU sector value added (no Korean KSIC table loaded)", material);
    }
    return RMCT_OK;
}

static rmct_code assess_one(rmct_db *db, const rmct_method *m, const rmct_assess_query *q, const rmct_wgi *w, int year,
                            rmct_assessment *a, rmct_error *err)
{
    rmct_code rc = RMCT_OK;
    int from = year - m->average_years + 1;
    for (int k = 0; k < 2 && !rc; k++) {
        rmct_stage_result *s = &a->st[k];
        rmct_strlcpy(s->stage, k ? "processing" : "extraction", sizeof s->stage);
        eu_parameters(db, a, s);
        if ((rc = global_supply(db, a, s, from, year, w, err))) break;
        if (s->gs.n == 0 && s->eu_material[0] && (rc = global_supply_proxy(db, s, w, err))) break;
        if (s->gs.n == 0) {
            snprintf(s->why_not, sizeof s->why_not, "no %s supply data (neither production by country nor EU shares)",
                     k ? "processing" : "extraction");
            continue;
        }
        if (!s->eu_material[0]) {
            snprintf(s->why_not, sizeof s->why_not, "no EoL-RIR and substitution index for this stage (no EU parameters)");
            continue;
        }
        bool has_ir = false;
        double ir = 0;
        if ((rc = korean_sourcing(db, a, s, from, year, q->reporter, w, &has_ir, &ir, err))) break;
        if (s->ks.n == 0) {
            dist_copy(&s->ks, &s->gs);
            s->ks_proxy = true;
            snprintf(s->ks_basis, sizeof s->ks_basis, "assumption: no Korean trade flows loaded, sourcing taken as global supply");
        }
        s->ir.value = has_ir ? ir : (k ? m->ir_processing : m->ir_extraction);
        s->ir.assumption = !has_ir;
        snprintf(s->ir.basis, sizeof s->ir.basis, "%s", has_ir ? "trade flows: net imports with no Korean production in the data" : m->ir_note);
        s->hhi_gs = rmct_hhi_wgi_t(s->gs.share, s->gs.wgi, s->gs.t, s->gs.n, &s->missing_wgi);
        int mk;
        s->hhi_ks = rmct_hhi_wgi_t(s->ks.share, s->ks.wgi, s->ks.t, s->ks.n, &mk);
        s->sr = rmct_supply_risk(s->hhi_gs, s->hhi_ks, s->ir.value, s->eol_rir.value, s->si_sr.value, RMCT_SCOPE_BOTH);
        s->available = true;
        if ((a->stage_mask & (1u << k)) && (!a->has_sr || s->sr > a->sr)) {
            a->sr = s->sr;
            a->sr_stage = k;
            a->has_sr = true;
        }
    }
    if (!rc && a->has_sr) {
        dominant(a);
        rc = economic_importance(db, a, err);
    }
    a->critical = a->has_sr && a->has_ei && a->sr >= m->sr_threshold && a->ei >= m->ei_threshold;
    return rc;
}

void rmct_assess_set_eol_rir(const rmct_method *m, rmct_assessment *a, double eol_rir, const char *basis)
{
    a->has_sr = false; /* decided again below, from the same available stages */
    for (int k = 0; k < 2; k++) {
        rmct_stage_result *s = &a->st[k];
        if (!s->available) continue;
        s->eol_rir.value = eol_rir;
        s->eol_rir.assumption = true; /* a model result resting on labelled assumptions */
        snprintf(s->eol_rir.basis, sizeof s->eol_rir.basis, "%s", basis);
        s->sr = rmct_supply_risk(s->hhi_gs, s->hhi_ks, s->ir.value, s->eol_rir.value, s->si_sr.value, RMCT_SCOPE_BOTH);
        if ((a->stage_mask & (1u << k)) && (!a->has_sr || s->sr > a->sr)) {
            a->sr = s->sr;
            a->sr_stage = k;
            a->has_sr = true;
        }
    }
    if (a->has_sr) dominant(a);
    a->critical = a->has_sr && a->has_ei && a->sr >= m->sr_threshold && a->ei >= m->ei_threshold;
}

void rmct_assessments_free(rmct_assessment *a, size_t n)
{
    if (!a) return;
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 2; k++) {
            rmct_distribution_free(&a[i].st[k].gs);
            rmct_distribution_free(&a[i].st[k].ks);
        }
        free(a[i].uses);
    }
    free(a);
}

rmct_code rmct_assess(rmct_db *db, const rmct_method *m, const rmct_assess_query *q, rmct_assessment **out, size_t *n,
                      rmct_error *err)
{
    *out = NULL;
    *n = 0;
    int year = q->year;
    sqlite3_stmt *st;
    rmct_code rc;
    if (!year) { /* the latest year of the loaded production data */
        if ((rc = rmct_db_prepare(db, &st, "SELECT max(year) FROM supply_stat WHERE measure = 'production' AND value IS NOT NULL", err))) return rc;
        if (sqlite3_step(st) == SQLITE_ROW) year = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    int wgi_to = year, wgi_last = 0;
    if ((rc = rmct_db_prepare(db, &st, "SELECT max(year) FROM governance WHERE indicator = 'mean6'", err))) return rc;
    if (sqlite3_step(st) == SQLITE_ROW) wgi_last = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (wgi_to > wgi_last) wgi_to = wgi_last;
    rmct_wgi *w;
    if ((rc = rmct_wgi_load(db, wgi_to - m->wgi_years + 1, wgi_to, &w, err))) return rc;
    /* the subjects: the 35 types, then (if asked) the member elements of REE and PGM */
    if ((rc = rmct_db_prepare(db, &st,
             "SELECT t.code, t.code, t.name, t.no, 0 FROM metal_type t"
             " UNION ALL SELECT e.symbol, e.type_code, e.name, t.no, 1 FROM element e JOIN metal_type t ON t.code = e.type_code"
             "  WHERE ?1 AND e.type_code IN ('REE', 'PGM') ORDER BY 4, 5, 1", err))) {
        rmct_wgi_free(w);
        return rc;
    }
    sqlite3_bind_int(st, 1, q->elements);
    rmct_assessment *v = NULL;
    size_t k = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        rmct_assessment *p = realloc(v, (k + 1) * sizeof *p);
        if (!p) {
            rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            break;
        }
        v = p;
        rmct_assessment *a = &v[k++];
        memset(a, 0, sizeof *a);
        rmct_db_column_text(st, 0, a->code, sizeof a->code);
        rmct_db_column_text(st, 1, a->type_code, sizeof a->type_code);
        rmct_db_column_text(st, 2, a->name, sizeof a->name);
        a->no = sqlite3_column_int(st, 3);
        a->is_element = sqlite3_column_int(st, 4) != 0;
        a->sr = a->ei = NAN;
        a->stage_mask = q->stage == 1 ? 1u : q->stage == 2 ? 2u : 3u;
        rc = assess_one(db, m, q, w, year, a, err);
    }
    sqlite3_finalize(st);
    rmct_wgi_free(w);
    if (rc) {
        rmct_assessments_free(v, k);
        return rc;
    }
    *out = v;
    *n = k;
    return RMCT_OK;
}

/* ---------------- uncertainty ---------------- */

/* splitmix64 over (seed, metal, sample, draw): a counter-based stream, identical in any order. */
static uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

typedef struct {
    uint64_t key, counter;
} rng;

static double uniform(rng *r) { return ((double)(mix(r->key ^ mix(r->counter++)) >> 11) + 0.5) / 9007199254740992.0; }

static double normal(rng *r)
{
    double u = uniform(r), v = uniform(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Perturb a distribution's shares (relative normal, kept non-negative, total preserved) and WGI. */
static void perturb(const rmct_distribution *d, double rel_sd, double wgi_sd, rng *r, double *share, double *wgi)
{
    double sum = 0;
    for (size_t i = 0; i < d->n; i++) {
        share[i] = d->share[i] * fmax(0.0, 1.0 + rel_sd * normal(r));
        sum += share[i];
        wgi[i] = isnan(d->wgi[i]) ? NAN : clamp(d->wgi[i] + wgi_sd * normal(r), 0.0, 10.0);
    }
    if (sum > 0)
        for (size_t i = 0; i < d->n; i++) share[i] *= d->total / sum;
}

void rmct_assess_monte_carlo(const rmct_method *m, rmct_assessment *a, size_t n, int samples, uint64_t seed)
{
    if (samples < 1) return;
    double *srs = malloc((size_t)samples * sizeof *srs), *eis = malloc((size_t)samples * sizeof *eis);
    if (!srs || !eis) {
        free(srs);
        free(eis);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        rmct_assessment *x = &a[i];
        if (!x->has_sr) continue;
        size_t maxn = 1;
        for (int k = 0; k < 2; k++) maxn = x->st[k].gs.n > maxn ? x->st[k].gs.n : maxn, maxn = x->st[k].ks.n > maxn ? x->st[k].ks.n : maxn;
        double *gs = malloc(maxn * sizeof *gs), *gw = malloc(maxn * sizeof *gw), *ks = malloc(maxn * sizeof *ks), *kw = malloc(maxn * sizeof *kw);
        double *aa = malloc((x->n_uses ? x->n_uses : 1) * sizeof *aa), *qq = malloc((x->n_uses ? x->n_uses : 1) * sizeof *qq);
        if (!gs || !gw || !ks || !kw || !aa || !qq) {
            free(gs); free(gw); free(ks); free(kw); free(aa); free(qq);
            continue;
        }
        int crit = 0;
        uint64_t metal_key = 0;
        for (const char *c = x->code; *c; c++) metal_key = metal_key * 131 + (unsigned char)*c;
        for (int s = 0; s < samples; s++) {
            rng r = {mix(seed ^ mix(metal_key) ^ ((uint64_t)s << 20)), 0};
            double sr = 0;
            bool any = false;
            for (int k = 0; k < 2; k++) {
                const rmct_stage_result *st = &x->st[k];
                if (!st->available || !(x->stage_mask & (1u << k))) continue;
                perturb(&st->gs, st->gs_proxy ? m->sd_share_proxy : m->sd_share, m->sd_wgi, &r, gs, gw);
                if (st->ks_proxy) { /* the same suppliers: the assumption 'sourcing = global supply' holds in every draw */
                    memcpy(ks, gs, st->gs.n * sizeof *ks);
                    memcpy(kw, gw, st->gs.n * sizeof *kw);
                } else {
                    perturb(&st->ks, m->sd_share, m->sd_wgi, &r, ks, kw);
                }
                double ir = clamp(st->ir.value + m->sd_ir * normal(&r), 0, 1);
                double eol = clamp(st->eol_rir.value + m->sd_eol * normal(&r), 0, 1);
                double si = clamp(st->si_sr.value + m->sd_si * normal(&r), 0, 1);
                double v = rmct_stage_sr(st, gs, gw, ks, kw, ir, eol, si);
                if (!any || v > sr) sr = v;
                any = true;
            }
            srs[s] = sr;
            double ei = NAN;
            if (x->has_ei && x->n_uses == 0) { /* a published EI used as a proxy: its own relative spread */
                ei = x->ei * fmax(0.0, 1.0 + m->sd_end_use * normal(&r));
            } else if (x->has_ei) {
                double sum = 0;
                for (size_t u = 0; u < x->n_uses; u++) {
                    aa[u] = x->uses[u].share * fmax(0.0, 1.0 + m->sd_end_use * normal(&r));
                    qq[u] = x->uses[u].va * fmax(0.0, 1.0 + m->sd_va * normal(&r));
                    sum += aa[u];
                }
                double orig = 0;
                for (size_t u = 0; u < x->n_uses; u++) orig += x->uses[u].share;
                if (sum > 0)
                    for (size_t u = 0; u < x->n_uses; u++) aa[u] *= orig / sum;
                double si_ei = clamp(x->si_ei.value + m->sd_si * normal(&r), 0, 1);
                ei = rmct_economic_importance(aa, qq, x->n_uses, si_ei, x->q_max);
            }
            eis[s] = ei;
            crit += x->has_ei && sr >= m->sr_threshold && ei >= m->ei_threshold;
        }
        qsort(srs, (size_t)samples, sizeof *srs, cmp_double);
        x->samples = samples;
        x->sr_q[0] = srs[(size_t)(0.05 * (samples - 1))];
        x->sr_q[1] = srs[(size_t)(0.50 * (samples - 1))];
        x->sr_q[2] = srs[(size_t)(0.95 * (samples - 1))];
        if (x->has_ei) {
            qsort(eis, (size_t)samples, sizeof *eis, cmp_double);
            x->ei_q[0] = eis[(size_t)(0.05 * (samples - 1))];
            x->ei_q[1] = eis[(size_t)(0.50 * (samples - 1))];
            x->ei_q[2] = eis[(size_t)(0.95 * (samples - 1))];
        }
        x->p_critical = (double)crit / samples;
        free(gs); free(gw); free(ks); free(kw); free(aa); free(qq);
    }
    free(srs);
    free(eis);
}

/* ---------------- sensitivity ---------------- */

static int by_swing(const void *a, const void *b)
{
    const rmct_sensitivity *x = a, *y = b;
    return (x->swing < y->swing) - (x->swing > y->swing);
}

size_t rmct_assess_sensitivity(const rmct_method *m, const rmct_assessment *a, rmct_sensitivity *out, size_t max)
{
    if (!a->has_sr || max == 0) return 0;
    const rmct_stage_result *s = &a->st[a->sr_stage];
    size_t n = 0, cap = s->gs.n > s->ks.n ? s->gs.n : s->ks.n;
    double *gs = malloc((cap ? cap : 1) * sizeof *gs), *gw = malloc((cap ? cap : 1) * sizeof *gw);
    double *ks = malloc((cap ? cap : 1) * sizeof *ks), *kw = malloc((cap ? cap : 1) * sizeof *kw);
    rmct_sensitivity *all = malloc((4 * cap + 8) * sizeof *all);
    if (!gs || !gw || !ks || !kw || !all) {
        free(gs); free(gw); free(ks); free(kw); free(all);
        return 0;
    }
#define RESET() do { \
        memcpy(gs, s->gs.share, s->gs.n * sizeof *gs); memcpy(gw, s->gs.wgi, s->gs.n * sizeof *gw); \
        memcpy(ks, s->ks.share, s->ks.n * sizeof *ks); memcpy(kw, s->ks.wgi, s->ks.n * sizeof *kw); } while (0)
#define EVAL(ir, eol, si) rmct_stage_sr(s, gs, gw, s->ks_proxy ? gs : ks, s->ks_proxy ? gw : kw, ir, eol, si)
    double ir = s->ir.value, eol = s->eol_rir.value, si = s->si_sr.value;
    struct { const char *name; double v, sd, lo, hi; int which; } scalars[] = {
        {"import reliance (IR)", ir, m->sd_ir, 0, 1, 0}, {"end-of-life recycling input rate", eol, m->sd_eol, 0, 1, 1},
        {"substitution index SI_SR", si, m->sd_si, 0, 1, 2}};
    for (int k = 0; k < 3; k++) {
        RESET();
        double lo = clamp(scalars[k].v - 2 * scalars[k].sd, scalars[k].lo, scalars[k].hi);
        double hi = clamp(scalars[k].v + 2 * scalars[k].sd, scalars[k].lo, scalars[k].hi);
        double v_lo = EVAL(k == 0 ? lo : ir, k == 1 ? lo : eol, k == 2 ? lo : si);
        double v_hi = EVAL(k == 0 ? hi : ir, k == 1 ? hi : eol, k == 2 ? hi : si);
        rmct_sensitivity *x = &all[n++];
        snprintf(x->input, sizeof x->input, "%s (%.2f +- %.2f)", scalars[k].name, scalars[k].v, 2 * scalars[k].sd);
        x->sr_low = v_lo;
        x->sr_high = v_hi;
        x->swing = fabs(v_hi - v_lo);
    }
    for (int which = 0; which < 2; which++) { /* each supplier's share and WGI, global then sourcing */
        const rmct_distribution *d = which ? &s->ks : &s->gs;
        if (which && s->ks_proxy) break;
        double rel = which ? m->sd_share : (s->gs_proxy ? m->sd_share_proxy : m->sd_share);
        for (size_t i = 0; i < d->n && i < 6; i++) {
            for (int kind = 0; kind < 2; kind++) {
                double v[2];
                for (int side = 0; side < 2; side++) {
                    RESET();
                    double *sh = which ? ks : gs, *wg = which ? kw : gw;
                    double f = side ? 1 + 2 * rel : fmax(0, 1 - 2 * rel);
                    if (kind == 0) { /* the share, others rescaled to keep the total */
                        double old = sh[i], neu = fmin(old * f, d->total), rest = d->total - old;
                        for (size_t j = 0; j < d->n; j++)
                            if (j != i && rest > 0) sh[j] *= (d->total - neu) / rest;
                        sh[i] = neu;
                    } else if (!isnan(wg[i])) {
                        wg[i] = clamp(wg[i] + (side ? 2 : -2) * m->sd_wgi, 0, 10);
                    }
                    v[side] = EVAL(ir, eol, si);
                }
                rmct_sensitivity *x = &all[n++];
                snprintf(x->input, sizeof x->input, "%s %s of %s", which ? "Korean sourcing:" : "global supply:",
                         kind ? "WGI" : "share", d->iso3[i]);
                x->sr_low = v[0];
                x->sr_high = v[1];
                x->swing = fabs(v[1] - v[0]);
            }
        }
    }
#undef RESET
#undef EVAL
    qsort(all, n, sizeof *all, by_swing);
    size_t k = n < max ? n : max;
    memcpy(out, all, k * sizeof *out);
    free(gs); free(gw); free(ks); free(kw); free(all);
    return k;
}
