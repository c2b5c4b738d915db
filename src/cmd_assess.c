/* cmd_assess.c: the criticality assessment command: the ranked list, --explain, --sensitivity,
 * --compare-lists, the SVG matrix and XLSX workbook, the USGS 2022 form, and --reproduce-eu (the check
 * against the EU's published 2023 values). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "assess.h"
#include "assess_files.h"
#include "lists.h"
#include "mfa_cli.h"
#include "critical.h"
#include "registry.h"
#include "supply.h"
#include "trade.h"
#include "text.h"

/* The window of the EU 2023 assessment (docs/METHODS.md: production and WGI averaged over 2016-2020). */
#define EU2023_WGI_FROM 2016
#define EU2023_WGI_TO 2020

static int reproduce_eu(cli_ctx *cli, rmct_db *db)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_eu_reproduction r;
    if (rmct_eu_reproduce(db, EU2023_WGI_FROM, EU2023_WGI_TO, &r, &err)) return cli_fail(&err);
    int computable = 0, within1 = 0, within2 = 0;
    for (size_t i = 0; i < r.n_sr; i++) {
        if (!r.sr[i].computable) continue;
        computable++;
        double d = fabs(r.sr[i].computed - r.sr[i].published);
        within1 += d <= 0.1 + 1e-9;
        within2 += d <= 0.2 + 1e-9;
    }
    int ei_computable = 0, ei1 = 0, ei2 = 0;
    for (size_t i = 0; i < r.n_ei; i++) {
        if (!r.ei[i].computable) continue;
        ei_computable++;
        double d = fabs(r.ei[i].computed - r.ei[i].published);
        ei1 += d <= 0.1 + 1e-9;
        ei2 += d <= 0.2 + 1e-9;
    }
    out_table *t = out_new();
    const char *cols[][2] = {{"material", "material"}, {"stage", "stage"}, {"scope", "scope"}, {"published", "published SR"},
                             {"computed", "computed SR"}, {"diff", "diff"}, {"hhi_global", "HHI_WGI,t GS"},
                             {"hhi_sourcing", "HHI_WGI,t EU"}, {"ir", "IR"}, {"eol_rir", "EoL-RIR"}, {"si_sr", "SI_SR"}, {"note", "note"}};
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) out_col(t, cols[c][0], cols[c][1]);
    for (size_t i = 0; i < r.n_sr; i++) {
        const rmct_eu_sr_check *c = &r.sr[i];
        out_row(t);
        out_text(t, c->material);
        out_text(t, c->stage);
        out_text(t, c->scope);
        out_num(t, c->published, 2);
        if (c->computable) {
            out_num(t, c->computed, 2);
            out_num(t, c->computed - c->published, 2);
            out_num(t, c->hhi_global, 2);
            out_num(t, c->hhi_sourcing, 2);
            out_num(t, c->ir, 2);
            out_num(t, c->eol_rir, 2);
            out_num(t, c->si_sr, 2);
        } else {
            for (int k = 0; k < 7; k++) out_null(t);
        }
        out_text(t, c->computable ? (fabs(c->computed - c->published) > 0.2 + 1e-9 ? (c->reason[0] ? c->reason : "not explained by the published inputs") : "")
                                  : c->reason);
    }
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE) {
        printf("\nEU 2023 supply risk per stage recomputed from the EU's published inputs (shares and trade factors,\n"
               "WGI mean of the six estimates averaged %d-%d, IR, EoL-RIR, SI_SR): %d of %zu published stages computable;\n"
               "%d (%.0f%%) within 0.1 and %d (%.0f%%) within 0.2 of the published value.\n",
               r.wgi_from, r.wgi_to, computable, r.n_sr, within1, computable ? 100.0 * within1 / computable : 0, within2,
               computable ? 100.0 * within2 / computable : 0);
        printf("Economic importance (end-use shares x sector value added x SI_EI / largest sector, %s, %.0f M EUR):\n"
               "%d of %zu computable; %d (%.0f%%) within 0.1 and %d (%.0f%%) within 0.2.\n",
               r.q_max_sector, r.q_max, ei_computable, r.n_ei, ei1, ei_computable ? 100.0 * ei1 / ei_computable : 0, ei2,
               ei_computable ? 100.0 * ei2 / ei_computable : 0);
        printf("Goals (at least 70%% within 0.1 and 80%% within 0.2): %s.\n",
               computable && within1 >= 0.7 * computable && within2 >= 0.8 * computable ? "met" : "NOT met");
        printf("Published values are rounded to one decimal and the EU sourcing appendix lists only shares of 1%% or\n"
               "more, so exact agreement is not expected; no parameter is tuned to close a gap (docs/CRITICALITY.md).\n");
        printf("\nStages outside 0.2:\n");
        for (size_t i = 0; i < r.n_sr; i++) {
            const rmct_eu_sr_check *c = &r.sr[i];
            if (!c->computable || fabs(c->computed - c->published) <= 0.2 + 1e-9) continue;
            printf("  %-16s %-10s published %.1f, computed %.2f: %s\n", c->material, c->stage, c->published, c->computed,
                   c->reason[0] ? c->reason : "not explained by the published inputs");
        }
        printf("\nEconomic importance outside 0.2:\n");
        for (size_t i = 0; i < r.n_ei; i++) {
            const rmct_eu_ei_check *c = &r.ei[i];
            if (!c->computable || fabs(c->computed - c->published) <= 0.2 + 1e-9) continue;
            printf("  %-27s published %.1f, computed %.2f (%d end uses, SI_EI %.2f): %s\n", c->material, c->published, c->computed,
                   c->sectors, c->si_ei, c->reason[0] ? c->reason : "not explained by the published inputs");
        }
    }
    rmct_eu_reproduction_free(&r);
    return 0;
}

typedef struct {
    const char *method_path;
    int year, samples;
    uint64_t seed;
    bool elements, compare, sensitivity;
    const char *explain, *svg, *xlsx;
    double sr_threshold, ei_threshold;   /* NaN: the method's */
    int stage;                           /* 0 the higher, 1 extraction, 2 processing */
    int eol_year;                        /* --eol-from-mfa: EoL-RIR from the recycling model for this year */
} assess_opts;

static void print_factor(const char *name, const rmct_factor *f)
{
    printf("    %-26s %8.3f   %s%s\n", name, f->value, f->assumption ? "[assumption/proxy] " : "", f->basis);
}

static void print_distribution(const char *title, const rmct_distribution *d, const char *basis)
{
    printf("    %s: %s\n", title, basis);
    printf("      %-5s %8s %6s %5s %12s\n", "ISO", "share", "WGI", "t", "s^2*WGI*t");
    double total = 0;
    for (size_t i = 0; i < d->n; i++) {
        double c = isnan(d->wgi[i]) ? NAN : d->share[i] * d->share[i] * d->wgi[i] * d->t[i];
        if (!isnan(c)) total += c;
        if (i < 12 || d->share[i] >= 0.01)
            printf("      %-5s %7.2f%% %6.2f %5.2f %12.5f%s\n", d->iso3[i], 100 * d->share[i], d->wgi[i], d->t[i], c,
                   isnan(d->wgi[i]) ? "  (no WGI: left out)" : "");
    }
    printf("      %-5s %7.2f%% %6s %5s %12.5f  = HHI_WGI,t\n", "sum", 100 * d->total, "", "", total);
}

static void explain(const rmct_method *m, const rmct_assessment *a)
{
    printf("%s (%s): criticality by %s\n", a->name, a->code, m->name);
    printf("  method file %s (version %d, SHA-256 %.12s...)\n", m->path, m->version, m->sha256);
    for (int k = 0; k < 2; k++) {
        const rmct_stage_result *s = &a->st[k];
        printf("\n  Stage: %s%s\n", s->stage, s->available && k == a->sr_stage ? "  (the higher SR: used)" : "");
        if (!s->available) {
            printf("    not assessed: %s\n", s->why_not);
            continue;
        }
        printf("    EU parameters taken from the EU material '%s'\n", s->eu_material);
        print_distribution("Global supply (GS)", &s->gs, s->gs_basis);
        if (s->ks_proxy) printf("    Korean sourcing: %s\n      HHI_WGI,t = %.5f\n", s->ks_basis, s->hhi_ks);
        else print_distribution("Korean sourcing", &s->ks, s->ks_basis);
        print_factor("IR (import reliance)", &s->ir);
        print_factor("EoL-RIR", &s->eol_rir);
        print_factor("SI_SR", &s->si_sr);
        printf("    SR = [HHI_GS x IR/2 + HHI_KS x (1 - IR/2)] x (1 - EoL-RIR) x SI_SR\n");
        printf("       = [%.5f x %.3f + %.5f x %.3f] x %.3f x %.3f = %.4f\n", s->hhi_gs, s->ir.value / 2, s->hhi_ks,
               1 - s->ir.value / 2, 1 - s->eol_rir.value, s->si_sr.value, s->sr);
    }
    printf("\n  Economic importance (material '%s'):\n", a->ei_material);
    if (!a->has_ei) printf("    not computed: no end-use shares or SI_EI\n");
    else {
        printf("    %s\n", a->ei_basis);
        printf("      %-40s %-44s %7s %12s\n", "application", "sector", "share", "VA (M EUR)");
        double sum = 0;
        for (size_t i = 0; i < a->n_uses; i++) {
            printf("      %-40.40s %-44.44s %6.1f%% %12.0f\n", a->uses[i].application, a->uses[i].sector, 100 * a->uses[i].share, a->uses[i].va);
            sum += a->uses[i].share * a->uses[i].va;
        }
        print_factor("SI_EI", &a->si_ei);
        printf("    EI = sum(A x Q) x SI_EI / Q_max x 10 = %.0f x %.3f / %.0f (%s) x 10 = %.3f\n", sum, a->si_ei.value, a->q_max,
               a->q_max_sector, a->ei);
    }
    printf("\n  Result: SR %.2f (threshold %.1f), EI %.2f (threshold %.1f): %s\n", a->sr, m->sr_threshold, a->ei, m->ei_threshold,
           a->critical ? "CRITICAL" : a->has_sr && a->has_ei ? "not critical" : "not assessed (missing data)");
    if (a->dominant[0]) printf("  What drives the SR: %s\n", a->dominant);
    if (a->samples)
        printf("  Uncertainty (%d samples): SR %.2f [%.2f-%.2f], EI %.2f [%.2f-%.2f] (median [90%%]); P(critical) %.2f\n", a->samples,
               a->sr_q[1], a->sr_q[0], a->sr_q[2], a->ei_q[1], a->ei_q[0], a->ei_q[2], a->p_critical);
}

/* The assessment's critical set against the national lists. */
static int compare_lists(cli_ctx *cli, rmct_db *db, const rmct_assessment *a, size_t n, const rmct_method *m)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_list_info *lists;
    size_t nl;
    rmct_type_info *types;
    size_t nt;
    if (rmct_lists_load(db, &lists, &nl, &err) || rmct_types_load(db, lists, nl, NULL, &types, &nt, &err)) return cli_fail(&err);
    out_table *t = out_new();
    out_col(t, "code", "type");
    out_col(t, "name", "name");
    out_col(t, "assessed", "assessment");
    for (size_t j = 1; j < nl; j++) { /* KR-RM (all 35) is the frame, not a criticality list */
        char key[40];
        snprintf(key, sizeof key, "%s", lists[j].short_name);
        for (char *p = key; *p; p++)
            if (*p == '-') *p = '_';
        out_col(t, key, lists[j].short_name);
    }
    out_col(t, "agreement", "lists agreeing");
    int agree_total[RMCT_MAX_LISTS] = {0}, both[RMCT_MAX_LISTS] = {0}, only_us[RMCT_MAX_LISTS] = {0}, only_them[RMCT_MAX_LISTS] = {0};
    for (size_t i = 0; i < n; i++) {
        const rmct_assessment *x = &a[i];
        if (x->is_element) continue;
        const rmct_type_info *ti = NULL;
        for (size_t k = 0; k < nt; k++)
            if (!strcmp(types[k].code, x->code)) ti = &types[k];
        if (!ti) continue;
        out_row(t);
        out_text(t, x->code);
        out_text(t, x->name);
        out_text(t, x->critical ? "critical" : x->has_sr && x->has_ei ? "not critical" : "n/a");
        int agree = 0, asked = 0;
        for (size_t j = 1; j < nl; j++) {
            bool listed = ti->on_list[j] > 0;
            if (cli->format == OUT_TABLE) out_text(t, listed ? (ti->on_list[j] == ti->n_elements ? "yes" : "part") : "");
            else out_int(t, ti->on_list[j]);
            if (x->has_sr && x->has_ei) {
                asked++;
                agree += listed == x->critical;
                agree_total[j] += listed == x->critical;
                both[j] += listed && x->critical;
                only_us[j] += !listed && x->critical;
                only_them[j] += listed && !x->critical;
            }
        }
        out_textf(t, "%d of %d", agree, asked);
    }
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE) {
        printf("\nAgainst each list (types assessed; 'part' = some of a group's elements listed, counted as listed):\n");
        for (size_t j = 1; j < nl; j++)
            printf("  %-8s critical and listed %2d; critical, not listed %2d; listed, not critical %2d; agreement on %d types\n",
                   lists[j].short_name, both[j], only_us[j], only_them[j], agree_total[j]);
        printf("Assessment: %s, thresholds SR %.1f and EI %.1f.\n", m->id, m->sr_threshold, m->ei_threshold);
    }
    free(lists);
    free(types);
    return 0;
}

/* For every assessed metal, its inputs ranked by how far they move the SR (one at a time). */
static int sensitivity_list(cli_ctx *cli, const rmct_method *m, const rmct_assessment *a, size_t n)
{
    enum { TOP = 5 };
    out_table *t = out_new();
    const char *cols[][2] = {{"code", "metal"}, {"stage", "stage"}, {"sr", "SR"}, {"rank", "#"}, {"input", "input"},
                             {"sr_low", "SR low"}, {"sr_high", "SR high"}, {"swing", "swing"}};
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) out_col(t, cols[c][0], cols[c][1]);
    for (size_t i = 0; i < n; i++) {
        rmct_sensitivity sens[TOP];
        size_t ns = rmct_assess_sensitivity(m, &a[i], sens, TOP);
        for (size_t j = 0; j < ns; j++) {
            out_row(t);
            out_text(t, cli->format == OUT_TABLE && j ? "" : a[i].code);
            out_text(t, cli->format == OUT_TABLE && j ? "" : a[i].st[a[i].sr_stage].stage);
            out_num(t, cli->format == OUT_TABLE && j ? NAN : a[i].sr, 2);
            out_int(t, (long)j + 1);
            out_text(t, sens[j].input);
            out_num(t, sens[j].sr_low, 3);
            out_num(t, sens[j].sr_high, 3);
            out_num(t, sens[j].swing, 3);
        }
    }
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE)
        printf("\nEach input moved to -2 and +2 standard deviations (%s v%d) with the others fixed; the %d that move the\n"
               "SR most per metal. 'rmct assess --explain METAL' lists them all with the calculation.\n", m->id, m->version, TOP);
    return 0;
}

out_table *view_assess(const rmct_method *m, const rmct_assessment *a, size_t n, int samples, out_format f, size_t *assessed,
                       int *critical)
{
    out_table *t = out_new();
    const char *cols[][2] = {{"rank", "#"}, {"code", "metal"}, {"name", "name"}, {"sr", "SR"}, {"sr_stage", "stage"},
                             {"ei", "EI"}, {"critical", "critical"}, {"p_critical", "P(crit)"}, {"sr_p05", "SR 5%"},
                             {"sr_p50", "SR med"}, {"sr_p95", "SR 95%"}, {"ei_p05", "EI 5%"}, {"ei_p50", "EI med"},
                             {"ei_p95", "EI 95%"}, {"driver", "what drives the SR"}, {"method", "method"}};
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
        if (!samples && (c >= 7 && c <= 13)) continue;
        if (f == OUT_TABLE && c == 15) continue; /* the table says it once, below */
        out_col(t, cols[c][0], cols[c][1]);
    }
    /* ranked by SR, the assessed first */
    size_t *order = malloc((n ? n : 1) * sizeof *order), k = 0;
    for (size_t i = 0; i < n; i++)
        if (a[i].has_sr) order[k++] = i;
    for (size_t x = 1; x < k; x++)
        for (size_t y = x; y > 0 && a[order[y]].sr > a[order[y - 1]].sr; y--) {
            size_t tmp = order[y];
            order[y] = order[y - 1];
            order[y - 1] = tmp;
        }
    *assessed = k;
    for (size_t i = 0; i < n; i++)
        if (!a[i].has_sr) order[k++] = i;
    *critical = 0;
    for (size_t r = 0; r < n; r++) {
        const rmct_assessment *x = &a[order[r]];
        out_row(t);
        if (x->has_sr) out_int(t, (long)r + 1); else out_null(t);
        out_text(t, x->is_element ? x->code : x->code);
        out_textf(t, "%s%s", x->is_element ? "  " : "", x->name);
        out_num(t, x->has_sr ? x->sr : NAN, 2);
        out_text(t, x->has_sr ? x->st[x->sr_stage].stage : "");
        out_num(t, x->has_ei ? x->ei : NAN, 2);
        if (f == OUT_TABLE) out_text(t, x->critical ? "CRITICAL" : x->has_sr && x->has_ei ? "no" : "n/a");
        else out_bool(t, x->critical);
        if (samples) {
            out_num(t, x->has_sr && x->has_ei ? x->p_critical : NAN, 2);
            for (int p = 0; p < 3; p++) out_num(t, x->has_sr ? x->sr_q[p] : NAN, 2);
            for (int p = 0; p < 3; p++) out_num(t, x->has_ei ? x->ei_q[p] : NAN, 2);
        }
        const char *why = "";
        for (int st = 0; st < 2 && !x->has_sr; st++)
            if ((x->stage_mask & (1u << st)) && !why[0]) why = x->st[st].why_not[0] ? x->st[st].why_not : "no SR for this stage";
        out_text(t, x->has_sr ? x->dominant : why);
        if (f != OUT_TABLE) out_textf(t, "%s v%d", m->id, m->version);
        *critical += x->critical && !x->is_element;
    }
    free(order);
    return t;
}

static int assess_run(cli_ctx *cli, rmct_db *db, const assess_opts *o)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_method m;
    if (rmct_method_load(o->method_path, &m, &err)) return cli_fail(&err);
    if (!isnan(o->sr_threshold)) m.sr_threshold = o->sr_threshold;
    if (!isnan(o->ei_threshold)) m.ei_threshold = o->ei_threshold;
    rmct_assess_query q = {o->year, o->elements || o->explain, "KOR", o->stage};
    rmct_assessment *a;
    size_t n;
    if (rmct_assess(db, &m, &q, &a, &n, &err)) return cli_fail(&err);
    if (o->eol_year) {
        int erc = mfa_assess_eol(cli, &m, a, n, o->eol_year);
        if (erc) {
            rmct_assessments_free(a, n);
            return erc;
        }
    }
    /* the thresholds may have been overridden: decide again */
    for (size_t i = 0; i < n; i++) a[i].critical = a[i].has_sr && a[i].has_ei && a[i].sr >= m.sr_threshold && a[i].ei >= m.ei_threshold;
    if (o->samples > 0) rmct_assess_monte_carlo(&m, a, n, o->samples, o->seed);
    int rc = 0;
    if (o->svg && assess_write_svg(o->svg, &m, a, n, &err)) rc = cli_fail(&err);
    if (!rc && o->xlsx && assess_write_xlsx(o->xlsx, &m, a, n, &err)) rc = cli_fail(&err);
    if (rc) {
        rmct_assessments_free(a, n);
        return rc;
    }
    if (o->compare) {
        rc = compare_lists(cli, db, a, n, &m);
        rmct_assessments_free(a, n);
        return rc;
    }
    if (o->sensitivity) {
        rc = sensitivity_list(cli, &m, a, n);
        rmct_assessments_free(a, n);
        return rc;
    }
    if (o->explain) {
        rmct_metal mt;
        if (rmct_metal_resolve(db, o->explain, &mt, &err)) {
            rc = cli_fail(&err);
        } else {
            const char *code = mt.element[0] && strcmp(mt.element, mt.type_code) && (!strcmp(mt.type_code, "REE") || !strcmp(mt.type_code, "PGM"))
                               ? mt.element : mt.type_code;
            rmct_assessment *hit = NULL;
            for (size_t i = 0; i < n; i++)
                if (!strcmp(a[i].code, code)) hit = &a[i];
            if (!hit) {
                rmct_error_set(&err, RMCT_E_NOTFOUND, "%s is not one of Korea's rare metals", mt.name);
                rc = cli_fail(&err);
            } else {
                explain(&m, hit);
                rmct_sensitivity sens[12];
                size_t ns = rmct_assess_sensitivity(&m, hit, sens, 12);
                if (ns) {
                    printf("\n  Sensitivity of the SR (each input at -2 and +2 standard deviations, the others fixed):\n");
                    for (size_t i = 0; i < ns; i++)
                        printf("    %-52s SR %.3f .. %.3f  (swing %.3f)\n", sens[i].input, sens[i].sr_low, sens[i].sr_high, sens[i].swing);
                }
            }
        }
        rmct_assessments_free(a, n);
        return rc;
    }
    size_t assessed;
    int critical;
    out_table *t = view_assess(&m, a, n, o->samples, cli->format, &assessed, &critical);
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE) {
        printf("\n%s (method %s v%d).\n%zu of %zu assessed; %d of the 35 types critical (SR >= %.1f and EI >= %.1f).\n", m.name, m.id,
               m.version, assessed, n, critical, m.sr_threshold, m.ei_threshold);
        printf("Every factor is sourced or labelled: 'rmct assess --explain METAL' shows the arithmetic. Korea's sourcing,\n"
               "IR, EoL-RIR, SI and EI use the labelled defaults and EU proxies of the method file until Korean data are\n"
               "loaded (trade files give sourcing and IR).%s\n",
               o->samples ? "" : " Add --samples N for intervals and the probability of being critical.");
    }
    rmct_assessments_free(a, n);
    return 0;
}

/* The USGS 2022 form, with the data it needs where loaded and its gaps said. */
static int usgs2022(cli_ctx *cli, rmct_db *db, const char *reporter)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_overview_query q = {0, NULL, NULL, true};
    rmct_overview_row *rows;
    size_t n;
    if (rmct_supply_overview(db, &q, &rows, &n, &err)) return cli_fail(&err);
    out_table *t = out_new();
    const char *cols[][2] = {{"code", "type"}, {"name", "name"}, {"production_hhi", "prod. HHI (0-1)"}, {"asi", "ASI"}, {"wsi", "WSI"},
                             {"dp", "DP"}, {"te", "TE (NIR)"}, {"te_basis", "TE basis"}, {"ev", "EV"}, {"sr", "SR"}};
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) out_col(t, cols[c][0], cols[c][1]);
    for (size_t i = 0; i < n; i++) {
        out_row(t);
        out_text(t, rows[i].code);
        out_text(t, rows[i].name);
        out_num(t, rows[i].has_data ? rows[i].headline.conc.hhi / 10000.0 : NAN, 3);
        out_text(t, "gap");
        out_text(t, "gap");
        out_text(t, "gap");
        rmct_import_query iq = {rows[i].code, NULL, reporter, NULL, 0};
        rmct_import_year *y;
        size_t ny;
        bool trade = rmct_imports_load(db, &iq, &y, &ny, &err) == RMCT_OK && ny > 0;
        if (trade) {
            double m = y[ny - 1].value_usd, x = y[ny - 1].export_value_usd;
            out_num(t, m > x ? 1.0 : 0.0, 2);
            out_text(t, "trade flows (no Korean production in the data)");
        } else {
            out_num(t, 1.0, 2);
            out_text(t, "assumption: no Korean production, all imported");
        }
        if (trade) rmct_imports_free(y, ny);
        out_text(t, "gap");
        out_text(t, "not computable");
    }
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE)
        printf("\nUSGS 2022 form: SR = (DP x TE x EV)^(1/3), DP = sum s^2 x ASI x WSI (data/methods/usgs2022.json).\n"
               "Gaps: ASI (ability to supply, from a policy-perception index), WSI (willingness to supply, from trade ties and\n"
               "shared values) and EV (Korean industries' spend relative to operating profit) are not in the loaded data, so\n"
               "DP and SR cannot be computed; the production concentration and trade exposure that are available are shown.\n"
               "Where the EU method and this one would disagree cannot be told until the gaps are filled.\n");
    free(rows);
    return 0;
}

int cmd_assess(cli_ctx *cli, int argc, char **argv)
{
    enum { O_REPRODUCE = OPT__COMMON_END, O_METHOD, O_YEAR, O_SAMPLES, O_SEED, O_EXPLAIN, O_ELEMENTS, O_SVG, O_XLSX,
           O_COMPARE, O_SR_T, O_EI_T, O_STAGE, O_SENS, O_EOL_MFA };
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS, {"reproduce-eu", no_argument, NULL, O_REPRODUCE}, {"method", required_argument, NULL, O_METHOD},
        {"year", required_argument, NULL, O_YEAR}, {"samples", required_argument, NULL, O_SAMPLES},
        {"seed", required_argument, NULL, O_SEED}, {"explain", required_argument, NULL, O_EXPLAIN},
        {"elements", no_argument, NULL, O_ELEMENTS}, {"svg", required_argument, NULL, O_SVG},
        {"xlsx", required_argument, NULL, O_XLSX}, {"compare-lists", no_argument, NULL, O_COMPARE},
        {"sr-threshold", required_argument, NULL, O_SR_T}, {"ei-threshold", required_argument, NULL, O_EI_T},
        {"stage", required_argument, NULL, O_STAGE}, {"sensitivity", no_argument, NULL, O_SENS},
        {"eol-from-mfa", required_argument, NULL, O_EOL_MFA}, {NULL, 0, NULL, 0}};
    bool reproduce = false;
    assess_opts o = {NULL, 0, 0, 1, false, false, false, NULL, NULL, NULL, NAN, NAN, 0, 0};
    char default_method[1024];
    int opt;
    long v;
    double d;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        switch (opt) {
        case O_REPRODUCE: reproduce = true; break;
        case O_METHOD: o.method_path = optarg; break;
        case O_YEAR:
            if (!rmct_parse_long(optarg, 1900, 2200, &v)) return cli_usage_error("assess", "--year: expected a year, got \"%s\"", optarg);
            o.year = (int)v;
            break;
        case O_SAMPLES:
            if (!rmct_parse_long(optarg, 1, 10000000, &v)) return cli_usage_error("assess", "--samples: expected 1-10000000, got \"%s\"", optarg);
            o.samples = (int)v;
            break;
        case O_SEED:
            if (!rmct_parse_long(optarg, 0, 2147483647L, &v)) return cli_usage_error("assess", "--seed: expected a non-negative integer, got \"%s\"", optarg);
            o.seed = (uint64_t)v;
            break;
        case O_EXPLAIN: o.explain = optarg; break;
        case O_ELEMENTS: o.elements = true; break;
        case O_SVG: o.svg = optarg; break;
        case O_XLSX: o.xlsx = optarg; break;
        case O_COMPARE: o.compare = true; break;
        case O_SENS: o.sensitivity = true; break;
        case O_EOL_MFA:
            if (!rmct_parse_long(optarg, 1900, 2200, &v)) return cli_usage_error("assess", "--eol-from-mfa: expected a year, got \"%s\"", optarg);
            o.eol_year = (int)v;
            break;
        case O_STAGE:
            if (!strcmp(optarg, "max") || !strcmp(optarg, "higher")) o.stage = 0;
            else if (!strcmp(optarg, "extraction")) o.stage = 1;
            else if (!strcmp(optarg, "processing")) o.stage = 2;
            else return cli_usage_error("assess", "--stage: expected extraction, processing or max, got \"%s\"", optarg);
            break;
        case O_SR_T: case O_EI_T:
            if (!rmct_parse_double(optarg, false, &d) || d < 0) return cli_usage_error("assess", "%s: expected a non-negative number, got \"%s\"",
                                                                                      opt == O_SR_T ? "--sr-threshold" : "--ei-threshold", optarg);
            *(opt == O_SR_T ? &o.sr_threshold : &o.ei_threshold) = d;
            break;
        case OPT_HELP:
            printf("usage: rmct assess [--year Y] [--stage S] [--samples N] [--seed S] [--elements] [--method FILE]\n"
                   "                   [--sr-threshold X] [--ei-threshold X] [--format table|csv|json]\n"
                   "       rmct assess --explain METAL [--samples N]\n"
                   "       rmct assess --sensitivity [--format table|csv|json]\n"
                   "       rmct assess --reproduce-eu\n"
                   "\n"
                   "Criticality of Korea's 35 rare-metal types by the EU method (EC 2017 guidelines, as used for the 2023 EU\n"
                   "list) from Korea's point of view: supply risk per stage (extraction, processing; the higher counts)\n"
                   "  SR = [HHI_WGI,t(global supply) x IR/2 + HHI_WGI,t(Korean sourcing) x (1 - IR/2)] x (1 - EoL-RIR) x SI_SR\n"
                   "and economic importance EI = sum(A_s x Q_s) x SI_EI / Q_max x 10; critical if SR >= 1.0 and EI >= 2.8.\n"
                   "Parameters, defaults and uncertainties come from the method file (default data/methods/eu2017-kr.json);\n"
                   "every factor is shown with its source or labelled an assumption or proxy.\n"
                   "\n"
                   "  --samples N        Monte Carlo over the inputs' uncertainties: median, 5-95%% intervals, P(critical)\n"
                   "  --seed S           seed of the Monte Carlo (default 1); the same seed gives the same numbers\n"
                   "  --explain METAL    the whole calculation for one metal, factor by factor, and its sensitivity\n"
                   "  --elements         also the member elements of the rare earths and platinum group\n"
                   "  --year Y           the assessment year (data averaged over the five years to Y)\n"
                   "  --stage S          the SR of extraction, processing, or max (the higher of the two; default)\n"
                   "  --sensitivity      for every metal, the inputs that move its SR most, ranked (one at a time,\n"
                   "                     each input at -2 and +2 standard deviations)\n"
                   "  --eol-from-mfa Y   EoL-RIR of the metals the recycling model covers (Co, Ni, Li, Mn; Nd, Pr, Dy,\n"
                   "                     Tb with --elements) from 'rmct mfa recycle' for year Y, instead of the EU proxy\n"
                   "  --method M         eu (default), usgs2022 (the USGS 2022 form, with its data gaps shown) or a\n"
                   "                     method file of the eu2017-kr.json layout\n"
                   "  --compare-lists    the critical set against Korea's, the US, the EU and Japan's lists\n"
                   "  --svg FILE         write the criticality matrix (EI across, SR up, thresholds, whiskers)\n"
                   "  --xlsx FILE        write a workbook: results, supply shares, IR/EoL-RIR/SI, end uses, method\n"
                   "  --sr-threshold X   --ei-threshold X   override the method's thresholds (1.0 and 2.8)\n"
                   "  --reproduce-eu     recompute the EU 2023 SR per stage and EI from the EU's own inputs\n");
            return 0;
        default: return cli_usage_error("assess", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("assess", "unexpected argument \"%s\"", argv[optind]);
    bool usgs = o.method_path && !strcmp(o.method_path, "usgs2022");
    if (!o.method_path || !strcmp(o.method_path, "eu")) {
        snprintf(default_method, sizeof default_method, "%s/methods/eu2017-kr.json", cli->data_dir);
        o.method_path = default_method;
    }
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    rc = reproduce ? reproduce_eu(cli, db) : usgs ? usgs2022(cli, db, "KOR") : assess_run(cli, db, &o);
    rmct_db_close(db);
    return rc;
}
