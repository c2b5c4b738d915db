/* survey_exposure.c: each company's exposure, tied to the national supply picture
 * (docs/SURVEY.md, "Exposure").
 *
 * The score of a company for a metal is the EU supply-risk formula (critical.h) with the company
 * in Korea's place:
 *   SR_c = [HHI_WGI,t(global supply) x IR_c/2 + HHI_WGI,t(company sourcing) x (1 - IR_c/2)] x (1 - EoL_c) x SI_SR
 * where global supply and SI_SR are the national assessment's (rmct_assess, the stage giving the
 * metal's SR), the company's sourcing is its imports by country plus its purchases in Korea (as
 * Korea), IR_c its imported share of primary supply and EoL_c its recycled share of all supply.
 * A company sourcing as Korea does scores the national SR; one buying from well-governed countries
 * or from recycling scores less; one buying from one poorly governed supplier scores more.
 *
 * A scenario's effect on a company (rmct_survey_impact_compute) follows its own stock month by
 * month: its imports from a country fall by the scenario's export restrictions on that country
 * and metal (central depth, duration and phase-in, as lib/sim.c draws them), its purchases in
 * Korea fall as the Korean market of the metal is short in the scenario's trace, its recycled
 * supply is untouched, and its stock pays for the gap until it is gone. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "assess.h"
#include "survey_internal.h"
#include "text.h"

/* ---------------- the summary table: companies by size ---------------- */

static const rmct_survey_col exposure_cols[] = {
    {"companies", "companies using the metals", 0}, {"exposed", "with a metal at or above the SR threshold", 0}, {"exposed_pct", "% of them", 1}};
static const rmct_survey_col impact_cols[] = {
    {"companies", "companies using the metals", 0}, {"affected", "affected", 0}, {"stockout", "stock runs out", 0}};

/* A table of counts by size class (rows) and k count columns, each column a partition with a total
 * row, the rule applied column by column; a ratio column (share of column 1 in column 0) if asked. */
static rmct_code size_summary(rmct_survey_table *t, const char *name, const char *title, const char *note,
                              const rmct_survey_col *cols, int n_cols, int n_counts, int counts[][RMCT_SIZE__N], bool ratio,
                              bool reveal, rmct_error *err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    snprintf(t->title, sizeof t->title, "%s", title);
    snprintf(t->note, sizeof t->note, "%s", note);
    t->cols = cols;
    t->n_cols = n_cols;
    t->rows = calloc(RMCT_SIZE__N + 1, sizeof *t->rows);
    if (!t->rows) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    rmct_cell_status status[8][RMCT_SIZE__N];
    int total[8];
    for (int k = 0; k < n_counts; k++) {
        double v[RMCT_SIZE__N];
        total[k] = 0;
        for (int s = 0; s < RMCT_SIZE__N; s++) v[s] = counts[k][s], total[k] += counts[k][s];
        rmct_survey_suppress_counts(v, RMCT_SIZE__N, status[k]);
    }
    for (int r = 0; r <= RMCT_SIZE__N; r++) {
        rmct_survey_row *row = &t->rows[t->n_rows++];
        row->cells = calloc((size_t)n_cols, sizeof *row->cells);
        if (!row->cells) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        snprintf(row->key, sizeof row->key, "%s", r < RMCT_SIZE__N ? rmct_size_name((rmct_size_class)r) : "total");
        snprintf(row->label, sizeof row->label, "%s", r < RMCT_SIZE__N ? rmct_size_label((rmct_size_class)r) : "All companies");
        for (int k = 0; k < n_counts; k++) {
            int v = r < RMCT_SIZE__N ? counts[k][r] : total[k];
            rmct_cell_status s = r < RMCT_SIZE__N ? status[k][r] : (v > 0 && v < RMCT_SURVEY_MIN_COMPANIES ? RMCT_CELL_FEW : RMCT_CELL_SHOWN);
            row->cells[k] = (rmct_survey_cell){v, v, s};
        }
        if (ratio) {
            rmct_survey_cell a = row->cells[1], b = row->cells[0];
            rmct_survey_cell *c = &row->cells[n_counts];
            c->status = a.status != RMCT_CELL_SHOWN ? a.status : b.status;
            c->companies = (int)a.value;
            c->value = b.value > 0 ? a.value / b.value * 100 : NAN;
            if (b.value <= 0) c->status = RMCT_CELL_EMPTY;
        }
        for (int k = 0; k < n_cols; k++)
            if (row->cells[k].status != RMCT_CELL_SHOWN && !reveal) row->cells[k].value = NAN, row->cells[k].companies = -1;
    }
    return RMCT_OK;
}

static void summary_free(rmct_survey_table *t)
{
    for (int r = 0; r < t->n_rows; r++) free(t->rows[r].cells);
    free(t->rows);
}

/* ---------------- exposure scores ---------------- */

void rmct_survey_exposure_free(rmct_survey_exposure *x)
{
    if (!x) return;
    free(x->rows);
    summary_free(&x->summary);
    free(x);
}

/* The trade factor of a supplier in the national distributions of the stage (1 if absent). */
static double trade_factor_of(const rmct_stage_result *s, const char *iso3)
{
    for (size_t i = 0; i < s->gs.n; i++)
        if (!strcmp(s->gs.iso3[i], iso3)) return s->gs.t[i];
    for (size_t i = 0; i < s->ks.n; i++)
        if (!strcmp(s->ks.iso3[i], iso3)) return s->ks.t[i];
    return 1.0;
}

/* x (its company's highest score cx) before y? Highest company first, then the company, then its
 * metals by score. */
static int row_cmp(const rmct_exposure_row *x, double cx, const rmct_exposure_row *y, double cy)
{
    if (cx != cy) return cx > cy ? -1 : 1;
    int s = strcmp(x->brn, y->brn);
    if (s) return s;
    double sx = x->has_score ? x->score : -1, sy = y->has_score ? y->score : -1;
    if (sx != sy) return sx > sy ? -1 : 1;
    return strcmp(x->metal, y->metal);
}

static void sort_rows(rmct_exposure_row *rows, int n)
{
    double *cm = malloc((size_t)(n ? n : 1) * sizeof *cm);
    if (!cm) return;
    for (int i = 0; i < n; i++) {
        cm[i] = -1;
        for (int j = 0; j < n; j++)
            if (!strcmp(rows[i].brn, rows[j].brn) && rows[j].has_score && rows[j].score > cm[i]) cm[i] = rows[j].score;
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && row_cmp(&rows[j], cm[j], &rows[j - 1], cm[j - 1]) < 0; j--) {
            rmct_exposure_row t = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = t;
            double d = cm[j];
            cm[j] = cm[j - 1];
            cm[j - 1] = d;
        }
    free(cm);
}

/* The assessment year and WGI window rmct_assess uses (its year 0: the latest production year). */
static rmct_code wgi_window(rmct_db *db, const rmct_method *m, int *year, int *from, int *to, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT max(year) FROM supply_stat WHERE measure = 'production' AND value IS NOT NULL", err);
    if (rc) return rc;
    *year = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if ((rc = rmct_db_prepare(db, &st, "SELECT max(year) FROM governance WHERE indicator = 'mean6'", err))) return rc;
    int last = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    *to = *year < last ? *year : last;
    *from = *to - m->wgi_years + 1;
    return RMCT_OK;
}

rmct_code rmct_survey_exposure_compute(rmct_db *db, const rmct_survey_view *view, int year, const char *method_path,
                                       rmct_survey_exposure **out, rmct_error *err)
{
    *out = NULL;
    rmct_survey_campaign camp;
    rmct_code rc = rmct_survey_campaign_get(db, year, &camp, err);
    if (rc) return rc;
    rmct_method m;
    if ((rc = rmct_method_load(method_path, &m, err))) return rc;
    rmct_survey_exposure *x = calloc(1, sizeof *x);
    if (!x) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    x->year = camp.year;
    x->view = *view;
    x->synthetic = camp.synthetic;
    snprintf(x->data_note, sizeof x->data_note, "%s", camp.data_note);
    snprintf(x->method, sizeof x->method, "%s", m.id);
    x->sr_threshold = m.sr_threshold;
    rmct_assessment *as = NULL;
    size_t nas = 0;
    rmct_survey_profile *p = NULL;
    rmct_survey_answer *a = NULL;
    int np = 0, na = 0;
    rmct_wgi *w = NULL;
    rmct_exposure_row *rows = NULL;
    int n_rows = 0;
    int from, to;
    rmct_assess_query q = {0, true, "KOR", 0};
    if ((rc = rmct_assess(db, &m, &q, &as, &nas, err))) goto out;
    if ((rc = wgi_window(db, &m, &x->assessment_year, &from, &to, err))) goto out;
    if ((rc = rmct_wgi_load(db, from, to, &w, err))) goto out;
    if ((rc = survey_profiles_all(db, camp.year, &p, &np, err))) goto out;
    if ((rc = survey_answers_load(db, camp.year, NULL, &a, &na, err))) goto out;
    rows = calloc((size_t)(na ? na : 1), sizeof *rows);
    if (!rows) {
        rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < na; i++) {
        const rmct_survey_answer *ans = &a[i];
        if (ans->consumed_t <= 0) continue;   /* producers only: no supply to be exposed */
        int pi = -1;
        for (int k = 0; k < np; k++)
            if (!strcmp(p[k].brn, ans->brn)) pi = k;
        if (pi < 0) continue;
        rmct_exposure_row *r = &rows[n_rows++];
        memset(r, 0, sizeof *r);
        snprintf(r->brn, sizeof r->brn, "%s", ans->brn);
        snprintf(r->name_ko, sizeof r->name_ko, "%s", p[pi].name_ko);
        snprintf(r->name_en, sizeof r->name_en, "%s", p[pi].name_en);
        snprintf(r->size, sizeof r->size, "%s", p[pi].size);
        snprintf(r->region, sizeof r->region, "%s", p[pi].region);
        snprintf(r->metal, sizeof r->metal, "%s", ans->metal);
        snprintf(r->type_code, sizeof r->type_code, "%s", ans->type_code);
        snprintf(r->metal_name, sizeof r->metal_name, "%s", ans->metal_name);
        r->consumed_t = ans->consumed_t;
        r->import_share = ans->import_pct / 100;
        r->domestic_share = ans->domestic_pct / 100;
        r->recycled_share = ans->recycled_pct / 100;
        r->inventory_days = ans->inventory_days;
        r->national_sr = r->hhi_global = r->hhi_company = r->si_sr = r->score = NAN;
        /* the national assessment of the element, else of its type */
        const rmct_assessment *ax = NULL;
        for (size_t k = 0; k < nas && !ax; k++)
            if (!strcmp(as[k].code, ans->metal)) ax = &as[k];
        for (size_t k = 0; k < nas && !ax; k++)
            if (!strcmp(as[k].code, ans->type_code)) ax = &as[k];
        if (!ax || !ax->has_sr) {
            const char *why = ax && ax->st[1].why_not[0] ? ax->st[1].why_not : ax && ax->st[0].why_not[0] ? ax->st[0].why_not : "not assessed";
            snprintf(r->why_not, sizeof r->why_not, "no national supply risk for %s: %s", ans->metal, why);
            continue;
        }
        const rmct_stage_result *s = &ax->st[ax->sr_stage];
        snprintf(r->stage, sizeof r->stage, "%s", s->stage);
        r->national_sr = ax->sr;
        r->hhi_global = s->hhi_gs;
        r->si_sr = s->si_sr.value;
        /* the company's sourcing of primary supply: its imports by country and Korea for what it buys at home */
        double primary = r->import_share + r->domestic_share;
        double share[SURVEY_MAX_ORIGINS + 1], wgi[SURVEY_MAX_ORIGINS + 1], t[SURVEY_MAX_ORIGINS + 1];
        char iso[SURVEY_MAX_ORIGINS + 1][4];
        int n = 0;
        if (primary > 0) {
            if (r->domestic_share > 0) {
                snprintf(iso[n], 4, "KOR");
                share[n] = r->domestic_share / primary;
                wgi[n] = rmct_wgi_get(w, "KOR");
                t[n++] = 1.0;
            }
            char buf[240];
            rmct_strlcpy(buf, ans->origins, sizeof buf);
            char *save = NULL;
            for (char *o = strtok_r(buf, ";", &save); o && n <= SURVEY_MAX_ORIGINS; o = strtok_r(NULL, ";", &save)) {
                char *colon = strchr(o, ':');
                if (!colon) continue;
                *colon = '\0';
                snprintf(iso[n], 4, "%s", o);
                share[n] = r->import_share / primary * atof(colon + 1) / 100;
                wgi[n] = rmct_wgi_get(w, o);
                t[n] = trade_factor_of(s, o);
                n++;
            }
        }
        int missing = 0;
        r->hhi_company = rmct_hhi_wgi_t(share, wgi, t, (size_t)n, &missing);
        double ir = primary > 0 ? r->import_share / primary : 0;
        r->score = rmct_supply_risk(r->hhi_global, r->hhi_company, ir, r->recycled_share, r->si_sr, RMCT_SCOPE_BOTH);
        r->has_score = true;
        /* what drives the company's sourcing term */
        double best = 0, sum = 0;
        int bi = -1;
        for (int k = 0; k < n; k++) {
            if (isnan(wgi[k])) continue;
            double c = share[k] * share[k] * wgi[k] * t[k];
            sum += c;
            if (c > best) best = c, bi = k;
        }
        if (bi >= 0 && sum > 0)
            snprintf(r->driver, sizeof r->driver, "%s %.0f%% of its primary supply, WGI %.1f%s: %.0f%% of its HHI_WGI,t%s", iso[bi],
                     100 * share[bi], wgi[bi], t[bi] > 1 ? " (export measures)" : "", 100 * best / sum,
                     missing ? "; a supplier without WGI is left out" : "");
        else if (r->recycled_share >= 1)
            snprintf(r->driver, sizeof r->driver, "all its supply is recycled");
    }
    sort_rows(rows, n_rows);
    /* the summary, for every view */
    int counts[2][RMCT_SIZE__N] = {{0}};
    for (int k = 0; k < np; k++) {
        bool uses = false, exposed = false;
        for (int i = 0; i < n_rows; i++)
            if (!strcmp(rows[i].brn, p[k].brn)) {
                uses = true;
                exposed |= rows[i].has_score && rows[i].score >= m.sr_threshold;
            }
        rmct_size_class sc;
        if (!rmct_size_parse(p[k].size, &sc)) continue;
        counts[0][sc] += uses;
        counts[1][sc] += exposed;
    }
    char note[400];
    snprintf(note, sizeof note, "Companies with at least one metal whose exposure score (the company's supply risk) is at or above the "
             "method's SR threshold of %.1f (%s)", m.sr_threshold, m.id);
    if ((rc = size_summary(&x->summary, "exposure", "Companies exposed by size class", note, exposure_cols, 3, 2, counts, true,
                           view->kind == RMCT_VIEW_ANALYST, err)))
        goto out;
    /* only the rows the view may see */
    int keep = 0;
    for (int i = 0; i < n_rows; i++)
        if (survey_view_sees(view, rows[i].brn)) rows[keep++] = rows[i];
    x->rows = rows;
    x->n_rows = keep;
    rows = NULL;
out:
    free(rows);
    free(p);
    free(a);
    if (w) rmct_wgi_free(w);
    rmct_assessments_free(as, nas);
    if (rc) {
        rmct_survey_exposure_free(x);
        return rc;
    }
    *out = x;
    return RMCT_OK;
}

/* ---------------- a scenario's effect ---------------- */

void rmct_survey_impact_free(rmct_survey_impact *x)
{
    if (!x) return;
    free(x->rows);
    summary_free(&x->summary);
    free(x);
}

/* The type of an element symbol ("" if none). */
static void type_of(rmct_db *db, const char *symbol, char out[8])
{
    sqlite3_stmt *st;
    rmct_error e;
    out[0] = '\0';
    if (rmct_db_cached(db, &st, "SELECT ifnull(type_code, '') FROM element WHERE symbol = ?", &e)) return;
    sqlite3_bind_text(st, 1, symbol, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) rmct_db_column_text(st, 0, out, 8);
    sqlite3_reset(st);
}

/* Does a scenario metal (element or type code) reach an answer's metal? */
static bool metal_hits(rmct_db *db, const char *x, const rmct_survey_answer *a)
{
    if (rmct_streq_nocase(x, a->metal) || rmct_streq_nocase(x, a->type_code)) return true;
    if (!a->element[0]) { /* the answer is a whole type: any of its elements */
        char t[8];
        type_of(db, x, t);
        return t[0] && !strcmp(t, a->type_code);
    }
    return false;
}

rmct_code rmct_survey_impact_compute(rmct_db *db, const rmct_survey_view *view, int year, const rmct_scenario *sc,
                                     const rmct_model *model, const rmct_trace *tr, rmct_survey_impact **out, rmct_error *err)
{
    *out = NULL;
    rmct_survey_campaign camp;
    rmct_code rc = rmct_survey_campaign_get(db, year, &camp, err);
    if (rc) return rc;
    rmct_survey_impact *x = calloc(1, sizeof *x);
    if (!x) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    snprintf(x->scenario, sizeof x->scenario, "%s", sc->name);
    snprintf(x->title, sizeof x->title, "%s", sc->title);
    x->start = rmct_model_start(model);
    x->months = rmct_model_months(model);
    x->year = camp.year;
    x->view = *view;
    x->synthetic = camp.synthetic;
    snprintf(x->data_note, sizeof x->data_note, "%s", camp.data_note);
    int T = x->months;
    rmct_survey_profile *p = NULL;
    rmct_survey_answer *a = NULL;
    int np = 0, na = 0, n_rows = 0;
    rmct_impact_row *rows = NULL;
    double *direct = calloc((size_t)T, sizeof *direct), *market = calloc((size_t)T, sizeof *market);
    double *dem = calloc((size_t)T, sizeof *dem), *cut = calloc((size_t)T, sizeof *cut);
    if (!direct || !market || !dem || !cut) {
        rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = survey_profiles_all(db, camp.year, &p, &np, err))) goto out;
    if ((rc = survey_answers_load(db, camp.year, NULL, &a, &na, err))) goto out;
    rows = calloc((size_t)(na ? na : 1), sizeof *rows);
    if (!rows) {
        rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < na; i++) {
        const rmct_survey_answer *ans = &a[i];
        if (ans->consumed_t <= 0) continue;
        int pi = -1;
        for (int k = 0; k < np; k++)
            if (!strcmp(p[k].brn, ans->brn)) pi = k;
        if (pi < 0) continue;
        /* the Korean market of the metal: shortfall share of its nodes' demand, month by month */
        for (int t = 0; t < T; t++) market[t] = dem[t] = 0;
        for (int n = 0; n < rmct_model_nodes(model); n++) {
            const rmct_node_info *ni = rmct_model_node(model, n);
            if (ni->metal < 0 || !metal_hits(db, ni->label, ans)) continue;
            for (int t = 0; t < T; t++) {
                market[t] += tr->shortfall[n * T + t];
                dem[t] += tr->demand[n * T + t];
            }
        }
        for (int t = 0; t < T; t++) market[t] = dem[t] > 0 ? market[t] / dem[t] : 0;
        /* its imports: each origin cut by the scenario's restrictions on that country and metal */
        for (int t = 0; t < T; t++) direct[t] = 0;
        char buf[240];
        rmct_strlcpy(buf, ans->origins, sizeof buf);
        char *save = NULL;
        for (char *o = strtok_r(buf, ";", &save); o; o = strtok_r(NULL, ";", &save)) {
            char *colon = strchr(o, ':');
            if (!colon) continue;
            *colon = '\0';
            double share = atof(colon + 1) / 100;
            for (int t = 0; t < T; t++) cut[t] = 1;   /* survival */
            for (int e = 0; e < sc->n_events; e++) {
                const rmct_scn_event *ev = &sc->events[e];
                if (ev->kind != RMCT_SCN_EVENT_EXPORT_RESTRICTION || strcmp(ev->country, o)) continue;
                bool hits = false;
                for (int k = 0; k < ev->target.n_metals && !hits; k++) hits = metal_hits(db, ev->target.metals[k], ans);
                if (!hits) continue;
                double depth = ev->depth.given ? ev->depth.value : 0, dur = ev->duration.given ? ev->duration.value : 1e9;
                double ph = ev->phase_in.given ? ev->phase_in.value : 0;
                int len = (int)fmin(1e6, fmax(1.0, floor(dur + 0.5))), phase = (int)floor(ph + 0.5);
                int t0 = ev->month, t1 = ev->month + len;
                for (int t = t0 < 0 ? 0 : t0; t < t1 && t < T; t++) {
                    double f = phase > 0 && t - t0 + 1 < phase ? (double)(t - t0 + 1) / phase : 1;
                    cut[t] *= 1 - depth * f;
                }
            }
            for (int t = 0; t < T; t++) direct[t] += share * (1 - cut[t]);
        }
        rmct_impact_row *r = &rows[n_rows++];
        memset(r, 0, sizeof *r);
        snprintf(r->brn, sizeof r->brn, "%s", ans->brn);
        snprintf(r->name_en, sizeof r->name_en, "%s", p[pi].name_en);
        snprintf(r->name_ko, sizeof r->name_ko, "%s", p[pi].name_ko);
        snprintf(r->size, sizeof r->size, "%s", p[pi].size);
        snprintf(r->metal, sizeof r->metal, "%s", ans->metal);
        r->consumed_t = ans->consumed_t;
        r->inventory_days = ans->inventory_days;
        r->import_share = ans->import_pct / 100;
        r->domestic_share = ans->domestic_pct / 100;
        r->recycled_share = ans->recycled_pct / 100;
        r->first_affected = r->stockout = -1;
        double use = ans->consumed_t / 12, stock = ans->consumed_t * ans->inventory_days / 365;
        for (int t = 0; t < T; t++) {
            double lost = r->import_share * direct[t] + r->domestic_share * market[t];
            if (direct[t] > r->direct_cut_max) r->direct_cut_max = direct[t];
            if (market[t] > r->market_short_max) r->market_short_max = market[t];
            if (lost > r->supply_lost_max) r->supply_lost_max = lost;
            if (lost > 1e-12) {
                r->affected = true;
                if (r->first_affected < 0) r->first_affected = t;
            }
            stock += use * (1 - lost) - use;
            if (stock < -1e-12 * use) {
                r->shortfall_t += -stock;
                r->months_short++;
                if (r->stockout < 0) r->stockout = t;
                stock = 0;
            }
        }
    }
    /* the summary by size, for every view */
    int counts[3][RMCT_SIZE__N] = {{0}};
    for (int k = 0; k < np; k++) {
        bool uses = false, hit = false, out_of_stock = false;
        for (int i = 0; i < n_rows; i++)
            if (!strcmp(rows[i].brn, p[k].brn)) {
                uses = true;
                hit |= rows[i].affected;
                out_of_stock |= rows[i].stockout >= 0;
            }
        rmct_size_class s;
        if (!rmct_size_parse(p[k].size, &s)) continue;
        counts[0][s] += uses;
        counts[1][s] += hit;
        counts[2][s] += out_of_stock;
    }
    char note[400];
    snprintf(note, sizeof note, "Companies of the %d campaign whose supply of some metal the scenario cuts, and those whose own stock "
             "of it runs out within the %d months simulated", camp.year, T);
    if ((rc = size_summary(&x->summary, "impact", "Companies hit by the scenario, by size class", note, impact_cols, 3, 3, counts, false,
                           view->kind == RMCT_VIEW_ANALYST, err)))
        goto out;
    int keep = 0;
    for (int i = 0; i < n_rows; i++)
        if (survey_view_sees(view, rows[i].brn)) rows[keep++] = rows[i];
    x->rows = rows;
    x->n_rows = keep;
    rows = NULL;
out:
    free(rows);
    free(p);
    free(a);
    free(direct);
    free(market);
    free(dem);
    free(cut);
    if (rc) {
        rmct_survey_impact_free(x);
        return rc;
    }
    *out = x;
    return RMCT_OK;
}

rmct_code rmct_survey_impact_run(rmct_db *db, const rmct_survey_view *view, int year, const char *data_dir, const char *scenario,
                                 rmct_survey_impact **out, rmct_error *err)
{
    *out = NULL;
    char path[800], dir[700];
    struct stat sb;
    if (strchr(scenario, '/') || (stat(scenario, &sb) == 0 && S_ISREG(sb.st_mode))) snprintf(path, sizeof path, "%s", scenario);
    else snprintf(path, sizeof path, "%s/scenarios/%s.json", data_dir, scenario);
    rmct_scenario *sc = NULL;
    rmct_code rc = rmct_scenario_load(path, &sc, err);
    if (rc) return rc;
    snprintf(dir, sizeof dir, "%s/chains", data_dir);
    char **paths = NULL;
    int np = 0, n = 0;
    rmct_chain *chains[16];
    rmct_model *m = NULL;
    rmct_trace tr;
    memset(&tr, 0, sizeof tr);
    if ((rc = rmct_chain_list(dir, &paths, &np, err))) goto out;
    for (int i = 0; i < np && !rc; i++) {
        rmct_chain *c;
        if ((rc = rmct_chain_load(paths[i], &c, err))) break;
        bool wanted = sc->n_chains == 0;
        for (int k = 0; k < sc->n_chains; k++) wanted |= !strcmp(sc->chains[k], c->name);
        if (!wanted || n == 16) {
            rmct_chain_free(c);
            continue;
        }
        if ((rc = rmct_chain_resolve_imports(db, c, "KOR", err))) {
            rmct_chain_free(c);
            break;
        }
        chains[n++] = c;
    }
    if (!rc && n == 0) rc = rmct_error_set(err, RMCT_E_NOTFOUND, "no chain of scenario %s in %s", sc->name, dir);
    if (!rc) rc = rmct_model_build(chains, n, sc, NULL, &m, err);
    if (!rc) rc = rmct_sim_trace(m, false, 0, 0, &tr, err);
    if (!rc) rc = rmct_survey_impact_compute(db, view, year, sc, m, &tr, out, err);
out:
    rmct_trace_free(&tr);
    rmct_model_free(m);
    for (int i = 0; i < n; i++) rmct_chain_free(chains[i]);
    rmct_chain_list_free(paths, np);
    rmct_scenario_free(sc);
    return rc;
}
