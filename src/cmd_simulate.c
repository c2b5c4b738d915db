/* cmd_simulate.c: 'rmct simulate SCENARIO': one named scenario at its central values (month by
 * month: what runs short, where, when, for how long) or, with --runs, a Monte Carlo ensemble of
 * futures (expected unserved demand, probability of any shortfall, P50/P95/P99), on threads and
 * MPI ranks; and 'rmct hazards', the background disruption hazards ensembles draw from. */
#include <errno.h>
#include <jansson.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mfa_cli.h"
#include "sim_cli.h"
#include "text.h"
#include "views.h"

typedef struct {
    long runs;                /* 0: one run at the central values */
    uint64_t seed;
    int threads;
    bool no_hazards, list;
    const char *hazards_file, *svg_dir, *chains, *dump;
    long future;              /* >= 0: trace this future of the ensemble */
    int recycling_year;       /* > 0: recycling streams from the recycling model for this year */
    char recycling_note[400];
} sim_opts;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---------------- shared set-up ---------------- */

/* ---------------- one run ---------------- */

static void month_text(const rmct_model *m, int t, char *buf, size_t size)
{
    rmct_month_format(rmct_model_start(m) + t, buf, (unsigned)size);
}

/* First month with a shortfall at node-set `nodes`, the month after the last one, and the number of
 * months short; -1 when never short. */
typedef struct {
    double total, normal, min_cover_days, stock_used;
    int first, recovered, months;
} short_summary;

static short_summary summarize(const rmct_model *m, const rmct_trace *tr, int series, bool final)
{
    short_summary s = {0, 0, INFINITY, 0, -1, -1, 0};
    int T = tr->months;
    for (int t = 0; t < T; t++) {
        double v = 0, inv = 0, daily = 0;
        for (int i = 0; i < tr->nodes; i++) {
            const rmct_node_info *in = rmct_model_node(m, i);
            if ((final ? in->sector_index : in->metal) != series) continue;
            size_t x = (size_t)i * T + t;
            v += final ? tr->final_lost[x] * in->value_usd : tr->shortfall[x];
            if (!final) {
                inv += tr->inventory_end[x] + tr->public_stock[x];
                daily += in->demand0 / RMCT_DAYS_PER_MONTH;
                if (t == T - 1) s.stock_used += in->public_stock0 - tr->public_stock[x];
            }
        }
        if (!final && daily > 0 && inv / daily < s.min_cover_days) s.min_cover_days = inv / daily;
        s.total += v;
        if (v > 0) {
            if (s.first < 0) s.first = t;
            s.months++;
            s.recovered = t + 1 < T ? t + 1 : -1;
        }
    }
    s.normal = rmct_model_series_info(m, series)->normal * T;
    return s;
}

static void print_when(const rmct_model *m, int t, int T, out_table *o, bool never_ok)
{
    char b[16];
    if (t < 0 || t >= T) {
        out_text(o, never_ok ? "-" : "not within horizon");
        return;
    }
    month_text(m, t, b, sizeof b);
    out_text(o, b);
}

static void print_run_header(const rmct_model *m, const rmct_scenario *sc, const sim_chains *ch, const char *how)
{
    char a[16], b[16];
    month_text(m, 0, a, sizeof a);
    month_text(m, rmct_model_months(m) - 1, b, sizeof b);
    printf("Scenario %s: %s\n", sc->name, sc->title);
    printf("  file %s (SHA-256 %.16s...)\n", sc->path, sc->sha256);
    printf("  %s: %s\n", sc->assumption ? "ASSUMPTION" : "source", sc->basis);
    printf("  chains:");
    for (int i = 0; i < ch->n; i++) printf(" %s@%d", ch->v[i]->name, ch->v[i]->version);
    printf("; months %s to %s (%d); %s\n", a, b, rmct_model_months(m), how);
    for (int i = 0; i < sc->n_events; i++) {
        const rmct_scn_event *e = &sc->events[i];
        char when[16];
        month_text(m, e->month, when, sizeof when);
        printf("  %s from %s: ", e->label, when);
        for (int k = 0; k < e->target.n_metals; k++) printf("%s%s", k ? "," : "", e->target.metals[k]);
        for (int k = 0; k < e->target.n_nodes; k++) printf("%s%s", k || e->target.n_metals ? "," : "", e->target.nodes[k]);
        for (int k = 0; k < e->target.n_sectors; k++) printf("%s%s", k ? "," : " sectors ", e->target.sectors[k]);
        printf(" depth %.3g%s", e->depth.value, e->depth.dist.kind ? " (varies)" : "");
        if (e->duration.given) printf(", %.3g months%s", e->duration.value, e->duration.dist.kind ? " (varies)" : "");
        else printf(", to the end");
        printf(" [%s]\n", e->assumption ? "assumption" : "sourced");
    }
    for (int i = 0; i < sc->n_responses; i++) {
        const rmct_scn_response *r = &sc->responses[i];
        printf("  %s on ", r->label);
        for (int k = 0; k < r->target.n_metals; k++) printf("%s%s", k ? "," : "", r->target.metals[k]);
        for (int k = 0; k < r->target.n_nodes; k++) printf("%s%s", k || r->target.n_metals ? "," : "", r->target.nodes[k]);
        printf(" [%s]\n", r->assumption ? "assumption" : "sourced");
    }
}

static void print_trace_csv(cli_ctx *cli, const rmct_model *m, const rmct_trace *tr)
{
    out_table *t = view_trace_flows(m, tr);
    out_print(t, cli->format, stdout);
    out_free(t);
}

out_table *view_trace_flows(const rmct_model *m, const rmct_trace *tr)
{
    out_table *t = out_new();
    const char *cols[][2] = {{"month", "month"}, {"chain", "chain"}, {"node", "node"}, {"stage", "stage"},
                             {"metal", "metal"}, {"sector", "sector"}, {"unit", "unit"}, {"demand", "demand"},
                             {"served", "served"}, {"shortfall", "shortfall"}, {"shortfall_pct", "short %"},
                             {"inventory_start", "inventory at start"}, {"inventory", "inventory"}, {"cover_days", "cover days"}, {"public_stock", "public stock"},
                             {"imports", "imports"}, {"imports_withheld", "withheld"}, {"production", "production"},
                             {"recycled", "recycled"}, {"released", "released"}, {"returned", "returned"},
                             {"final_lost", "production lost"}, {"lost_usd", "lost USD"},
                             {"extra_import_usd", "extra import USD"}};
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) out_col(t, cols[k][0], cols[k][1]);
    int T = tr->months;
    for (int mo = 0; mo < T; mo++)
        for (int i = 0; i < tr->nodes; i++) {
            const rmct_node_info *in = rmct_model_node(m, i);
            size_t x = (size_t)i * T + mo;
            char mb[16];
            month_text(m, mo, mb, sizeof mb);
            out_row(t);
            out_text(t, mb);
            out_text(t, in->chain);
            out_text(t, in->id);
            out_text(t, rmct_chain_stage_name(in->stage));
            out_text(t, in->metal >= 0 ? in->label : NULL);
            out_text(t, in->sector_index >= 0 ? in->sector : NULL);
            out_text(t, in->unit);
            out_num(t, tr->demand[x], 3);
            out_num(t, tr->served[x], 3);
            out_num(t, tr->shortfall[x], 3);
            out_num(t, tr->demand[x] > 0 ? 100 * tr->shortfall[x] / tr->demand[x] : 0, 2);
            out_num(t, tr->inventory_start[x], 3);
            out_num(t, tr->inventory_end[x], 3);
            if (in->demand0 > 0) out_num(t, tr->inventory_end[x] / (in->demand0 / RMCT_DAYS_PER_MONTH), 1);
            else out_null(t);
            out_num(t, tr->public_stock[x], 3);
            out_num(t, tr->imports[x], 3);
            out_num(t, tr->import_lost[x], 3);
            out_num(t, tr->production[x], 3);
            out_num(t, tr->recycled[x], 3);
            out_num(t, tr->released[x], 3);
            out_num(t, tr->returned[x], 3);
            out_num(t, tr->final_lost[x], 3);
            out_num(t, tr->final_lost[x] * in->value_usd, 0);
            out_num(t, tr->extra_import_usd[x], 0);
        }
    return t;
}

out_table *view_trace_metals(const rmct_model *m, const rmct_trace *tr)
{
    int T = tr->months, nser = rmct_model_series(m);
    out_table *t = out_new();
    const char *mc[][2] = {{"metal", "metal"}, {"normal", "normal demand /month"}, {"shortfall", "shortfall"},
                           {"pct", "% of demand"}, {"months", "months short"}, {"first", "first short"},
                           {"recovered", "recovered"}, {"min_cover", "lowest cover (days)"}, {"stock_used", "public stock used"}};
    for (size_t k = 0; k < 9; k++) out_col(t, mc[k][0], mc[k][1]);
    for (int s = 0; s < nser; s++) {
        const rmct_series_info *si = rmct_model_series_info(m, s);
        if (si->kind != RMCT_SERIES_METAL) continue;
        short_summary x = summarize(m, tr, s, false);
        out_row(t);
        out_text(t, si->label);
        out_textf(t, "%.4g %s", si->normal, si->unit);
        out_num(t, x.total, x.total >= 100 ? 0 : 2);
        out_num(t, x.normal > 0 ? 100 * x.total / x.normal : 0, 1);
        out_int(t, x.months);
        print_when(m, x.first, T, t, true);
        if (x.first < 0) out_text(t, "-");
        else print_when(m, x.recovered, T, t, false);
        out_num(t, x.min_cover_days, 0);
        if (x.stock_used > 0) out_num(t, x.stock_used, x.stock_used >= 100 ? 0 : 2);
        else out_text(t, "-");
    }
    return t;
}

out_table *view_trace_sectors(const rmct_model *m, const rmct_trace *tr)
{
    int T = tr->months;
    out_table *t = out_new();
    const char *sc[][2] = {{"sector", "sector"}, {"product", "product"}, {"lost", "production lost"}, {"unit", "unit"},
                           {"pct", "% of output"}, {"usd", "value lost (USD)"}, {"first", "first loss"}, {"recovered", "recovered"}};
    for (size_t k = 0; k < 8; k++) out_col(t, sc[k][0], sc[k][1]);
    for (int i = 0; i < tr->nodes; i++) {
        const rmct_node_info *in = rmct_model_node(m, i);
        if (in->sector_index < 0) continue;
        double lost = 0;
        int first = -1, last = -1;
        for (int mo = 0; mo < T; mo++) {
            double v = tr->final_lost[(size_t)i * T + mo];
            lost += v;
            if (v > 0) {
                if (first < 0) first = mo;
                last = mo;
            }
        }
        out_row(t);
        out_text(t, in->sector);
        out_textf(t, "%s/%s", in->chain, in->id);
        out_num(t, lost, lost >= 100 ? 0 : 2);
        out_text(t, in->unit);
        out_num(t, in->final0 > 0 ? 100 * lost / (in->final0 * T) : 0, 2);
        if (in->value_usd > 0) out_num(t, lost * in->value_usd, 0);
        else out_text(t, "no value given");
        print_when(m, first, T, t, true);
        if (first < 0) out_text(t, "-");
        else print_when(m, last + 1, T, t, false);
    }
    return t;
}

static void print_trace_table(const rmct_model *m, const rmct_trace *tr)
{
    int T = tr->months, nser = rmct_model_series(m);
    out_table *t = view_trace_metals(m, tr);
    printf("\nShortfall by metal (tonnes of contained element unless the unit says otherwise, whole horizon)\n");
    out_print(t, OUT_TABLE, stdout);
    out_free(t);
    t = view_trace_sectors(m, tr);
    printf("\nProduction lost by sector\n");
    out_print(t, OUT_TABLE, stdout);
    out_free(t);
    /* month by month: sectors (% of normal output value) and metals short (% of demand) */
    printf("\nMonth by month: production lost by sector (%% of normal output value) and metals short (%% of demand)\n");
    printf("%-8s", "month");
    for (int s = 0; s < nser; s++) {
        const rmct_series_info *si = rmct_model_series_info(m, s);
        if (si->kind == RMCT_SERIES_SECTOR) printf(" %10.10s", si->label);
    }
    printf("  |");
    for (int s = 0; s < nser; s++) {
        const rmct_series_info *si = rmct_model_series_info(m, s);
        if (si->kind == RMCT_SERIES_METAL) printf(" %7.7s", si->label);
    }
    printf("\n");
    int quiet_from = -1;
    for (int mo = 0; mo <= T; mo++) {
        bool any = false;
        double val[256] = {0};
        for (int s = 0; s < nser && s < 256 && mo < T; s++) {
            const rmct_series_info *si = rmct_model_series_info(m, s);
            if (si->kind == RMCT_SERIES_STOCK) continue;
            double v = 0;
            for (int i = 0; i < tr->nodes; i++) {
                const rmct_node_info *in = rmct_model_node(m, i);
                size_t x = (size_t)i * T + mo;
                if (si->kind == RMCT_SERIES_METAL && in->metal == s) v += tr->shortfall[x];
                if (si->kind == RMCT_SERIES_SECTOR && in->sector_index == s) v += tr->final_lost[x] * in->value_usd;
            }
            val[s] = si->normal > 0 ? 100 * v / si->normal : 0;
            any |= val[s] >= 0.05;
        }
        if (!any && mo < T) {
            if (quiet_from < 0) quiet_from = mo;
            continue;
        }
        if (quiet_from >= 0) {
            char a[16], b[16];
            month_text(m, quiet_from, a, sizeof a);
            month_text(m, mo - 1, b, sizeof b);
            if (quiet_from == mo - 1) printf("%-8s  nothing short\n", a);
            else printf("%s..%s  nothing short\n", a, b);
            quiet_from = -1;
        }
        if (mo == T) break;
        char mb[16];
        month_text(m, mo, mb, sizeof mb);
        printf("%-8s", mb);
        for (int s = 0; s < nser; s++)
            if (rmct_model_series_info(m, s)->kind == RMCT_SERIES_SECTOR) printf(" %10.1f", val[s]);
        printf("  |");
        for (int s = 0; s < nser; s++)
            if (rmct_model_series_info(m, s)->kind == RMCT_SERIES_METAL) printf(" %7.1f", val[s]);
        printf("\n");
    }
}

static void print_provenance_notes(const rmct_model *m, const sim_chains *ch)
{
    int assumed = 0, total = 0;
    for (int c = 0; c < ch->n; c++)
        for (int i = 0; i < ch->v[c]->n_nodes; i++) {
            const rmct_chain_node *nd = &ch->v[c]->nodes[i];
            const rmct_param *ps[] = {&nd->final_demand, &nd->yield, &nd->domestic_share, &nd->capacity,
                                      &nd->inventory_days, &nd->value_usd, &nd->price_usd, &nd->supply};
            for (size_t k = 0; k < sizeof ps / sizeof *ps; k++) total += ps[k]->given, assumed += ps[k]->given && ps[k]->assumption;
            for (int k = 0; k < nd->n_inputs; k++) total++, assumed += nd->inputs[k].intensity.assumption;
        }
    printf("\nChains: %d of %d parameters are assumptions ('rmct chain show NAME' lists each with its basis).\n", assumed,
           total);
    int proxies = 0;
    for (int i = 0; i < rmct_model_nodes(m); i++) proxies += rmct_model_node(m, i)->proxy_imports;
    if (proxies) {
        printf("Import partners of %d node(s) are PROXIES (world production shares, not Korea's imports):", proxies);
        for (int i = 0; i < rmct_model_nodes(m); i++)
            if (rmct_model_node(m, i)->proxy_imports) printf(" %s", rmct_model_node(m, i)->id);
        printf(".\nLoad Korea's trade data ('rmct import comtrade|baci') to replace them.\n");
    }
    for (int i = 0; i < rmct_model_warnings(m); i++) printf("warning: %s\n", rmct_model_warning(m, i));
}

static int run_once(cli_ctx *cli, sim_setup *s, const sim_opts *o)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_trace tr;
    bool stochastic = o->future >= 0;
    if (rmct_sim_trace(s->m, stochastic, o->seed, stochastic ? o->future : 0, &tr, &err)) return cli_fail(&err);
    if (cli->format != OUT_TABLE) print_trace_csv(cli, s->m, &tr);
    else {
        char how[160];
        if (stochastic)
            snprintf(how, sizeof how, "future %ld of the ensemble with seed %" PRIu64 " (%d disruption(s) drawn)", o->future,
                     o->seed, tr.episodes);
        else
            snprintf(how, sizeof how, "one run at the central values");
        print_run_header(s->m, s->sc, &s->ch, how);
        print_trace_table(s->m, &tr);
        print_provenance_notes(s->m, &s->ch);
        if (o->recycling_year)
            printf("Recycling streams from the recycling model for %d ('rmct mfa recycle'): %s.\n", o->recycling_year,
                   o->recycling_note[0] ? o->recycling_note : "no chain stream matches a modelled metal");
        printf("Every flow, node by node and month by month: --format csv.\n");
    }
    int rc = 0;
    if (o->svg_dir) {
        char written[8][600];
        int nw = 0;
        if (sim_svg_trace(o->svg_dir, s->m, s->sc, &tr, written, &nw, &err)) rc = cli_fail(&err);
        else if (cli->format == OUT_TABLE)
            for (int i = 0; i < nw; i++) printf("chart: %s\n", written[i]);
    }
    rmct_trace_free(&tr);
    return rc;
}

/* ---------------- ensembles ---------------- */

typedef struct {
    double last;
    double start;
} progress_state;

static void progress(void *ctx, long done, long total)
{
    progress_state *p = ctx;
    double t = now_s();
    if (done < total && t - p->last < 0.25) return;
    p->last = t;
    double rate = done / (t - p->start + 1e-9);
    fprintf(stderr, "\r  %ld / %ld futures (%.0f%%), %.0f futures/s%s", done, total, 100.0 * done / total, rate,
            done == total ? "\n" : "   ");
}

out_table *view_ensemble(const rmct_model *m, const rmct_ensemble_stats *st)
{
    out_table *t = out_new();
    const char *cols[][2] = {{"kind", "kind"}, {"what", "what"}, {"unit", "unit"}, {"mean", "expected"},
                             {"p_any", "P(any)"}, {"p50", "P50"}, {"p95", "P95"}, {"p99", "P99"}, {"max", "max"}};
    for (size_t k = 0; k < 9; k++) out_col(t, cols[k][0], cols[k][1]);
    for (int k = 0; k < rmct_model_metrics(m); k++) {
        const rmct_metric_info *mi = rmct_model_metric(m, k);
        const rmct_metric_stats *x = &st->metric[k];
        const char *kind = mi->kind == RMCT_METRIC_METAL_T ? "metal shortfall"
                           : mi->kind == RMCT_METRIC_FINAL_UNITS ? "production lost"
                                                                 : "value lost";
        out_row(t);
        out_text(t, kind);
        out_text(t, mi->label);
        out_text(t, mi->unit);
        int d = mi->unit[0] == 'U' ? 0 : 2;
        out_num(t, x->mean, d);
        out_num(t, x->p_any, 4);
        out_num(t, x->p50, d);
        out_num(t, x->p95, d);
        out_num(t, x->p99, d);
        out_num(t, x->max, d);
    }
    return t;
}

static void print_ensemble(cli_ctx *cli, const sim_setup *s, const sim_opts *o, const rmct_ensemble *e,
                           const rmct_ensemble_stats *st, double seconds, int ranks)
{
    const rmct_model *m = s->m;
    out_table *t = view_ensemble(m, st);
    if (cli->format == OUT_TABLE) {
        char how[200];
        snprintf(how, sizeof how, "%ld futures, seed %" PRIu64 ", %d thread(s)%s%s", e->runs, o->seed, o->threads,
                 ranks > 1 ? " x " : "", "");
        if (ranks > 1) snprintf(how + strlen(how), sizeof how - strlen(how), "%d MPI ranks", ranks);
        print_run_header(m, s->sc, &s->ch, how);
        printf("  background hazards: %s", o->no_hazards || !s->has_hz ? "off" : "on");
        if (!o->no_hazards && s->has_hz)
            printf(" (%d country-metal pairs on %d import links; 'rmct hazards' lists them)", s->hz.n,
                   rmct_model_hazard_pairs(m));
        printf("\n  %" PRId64 " disruptions drawn; %.1f%% of futures had at least one; %.2f s (%.0f futures/s)\n",
               e->episodes, 100.0 * e->futures_disrupted / e->runs, seconds, e->runs / seconds);
        printf("\nProbability of any shortfall (any metal or product): %.4f\n\n", st->p_any_shortfall);
    }
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE) {
        printf("\nexpected = mean over futures (expected unserved demand); P(any) = share of futures with any;\n"
               "P50/P95/P99 = quantiles over futures of the horizon total. Metals in tonnes of contained element.\n");
        print_provenance_notes(m, &s->ch);
        if (o->recycling_year)
            printf("Recycling streams from the recycling model for %d ('rmct mfa recycle'): %s.\n", o->recycling_year,
                   o->recycling_note[0] ? o->recycling_note : "no chain stream matches a modelled metal");
        printf("The central run alone: rmct simulate %s; one future: --future K.\n", s->sc->name);
    }
}

static int run_ensemble(cli_ctx *cli, sim_setup *s, const sim_opts *o, int rank, int ranks)
{
    rmct_error err;
    rmct_error_clear(&err);
    long first = o->runs * rank / ranks, last = o->runs * (rank + 1) / ranks;
    progress_state ps = {0, now_s()};
    rmct_ensemble_opts eo = {.runs = o->runs, .first = first, .count = last - first, .seed = o->seed,
                             .threads = o->threads, .hazards = !o->no_hazards,
                             .progress = cli->progress && rank == 0 ? progress : NULL, .progress_ctx = &ps};
    double t0 = now_s();
    rmct_ensemble *part = NULL, *whole = NULL;
    bool failed = rmct_ensemble_run(s->m, &eo, &part, &err) != RMCT_OK;
    if (sim_mpi_any(failed)) {
        if (failed) cli_fail(&err);
        rmct_ensemble_free(part);
        return 1;
    }
    if (sim_mpi_gather(s->m, part, o->runs, &whole, &err)) {
        rmct_ensemble_free(part);
        return cli_fail(&err);
    }
    if (whole != part) rmct_ensemble_free(part);
    double seconds = now_s() - t0;
    int rc = 0;
    if (rank == 0) {
        rmct_ensemble_stats st;
        if (rmct_ensemble_stats_compute(s->m, whole, &st, &err)) rc = cli_fail(&err);
        else {
            print_ensemble(cli, s, o, whole, &st, seconds, ranks);
            if (o->svg_dir) {
                char written[8][600];
                int nw = 0;
                if (sim_svg_fans(o->svg_dir, s->m, s->sc, &st, whole->runs, written, &nw, &err)) rc = cli_fail(&err);
                else if (cli->format == OUT_TABLE)
                    for (int i = 0; i < nw; i++) printf("chart: %s\n", written[i]);
            }
            rmct_ensemble_stats_free(&st);
        }
        rmct_ensemble_free(whole);
    }
    return rc;
}

static int list_scenarios(cli_ctx *cli)
{
    rmct_error err;
    rmct_error_clear(&err);
    out_table *t;
    if (view_scenarios(cli->data_dir, &t, &err)) return cli_fail(&err);
    out_print(t, cli->format, stdout);
    out_free(t);
    return 0;
}

rmct_code view_scenarios(const char *data_dir, out_table **out, rmct_error *err)
{
    *out = NULL;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/scenarios", data_dir);
    char **paths;
    int n;
    rmct_code rc = rmct_chain_list(dir, &paths, &n, err);
    if (rc) return rc;
    out_table *t = out_new();
    const char *cols[][2] = {{"scenario", "scenario"}, {"start", "start"}, {"months", "months"}, {"chains", "chains"},
                             {"events", "events"}, {"responses", "responses"}, {"title", "title"}};
    for (size_t k = 0; k < 7; k++) out_col(t, cols[k][0], cols[k][1]);
    for (int i = 0; i < n && !rc; i++) {
        rmct_scenario *sc;
        if ((rc = rmct_scenario_load(paths[i], &sc, err))) break;
        char chains[200] = "";
        for (int k = 0; k < sc->n_chains; k++)
            snprintf(chains + strlen(chains), sizeof chains - strlen(chains), "%s%s", k ? "," : "", sc->chains[k]);
        out_row(t);
        out_text(t, sc->name);
        out_textf(t, "%04d-%02d", sc->start_year, sc->start_month);
        out_int(t, sc->months);
        out_text(t, sc->n_chains ? chains : "all");
        out_int(t, sc->n_events);
        out_int(t, sc->n_responses);
        out_text(t, sc->title);
        rmct_scenario_free(sc);
    }
    rmct_chain_list_free(paths, n);
    if (rc) out_free(t);
    else *out = t;
    return rc;
}

static void simulate_usage(FILE *fp)
{
    fprintf(fp,
            "usage: rmct simulate SCENARIO [--runs N] [--seed S] [--threads T] [--chains A,B]\n"
            "                     [--no-hazards] [--hazards FILE] [--future K] [--svg DIR] [--format table|csv|json]\n"
            "       rmct simulate --list\n"
            "       mpirun -np N rmct simulate SCENARIO --runs R ...\n"
            "\n"
            "What runs short, where, when and for how long when a scenario's events hit Korea's value\n"
            "chains (data/chains), month by month with a mass balance at every node.\n"
            "SCENARIO is a bundled scenario name (see --list) or a scenario file (docs/SIMULATION.md).\n"
            "\n"
            "Without --runs the scenario runs once at its central values: shortfall by metal and\n"
            "production lost by sector, month by month (--format csv/json: every flow of every node).\n"
            "With --runs N, N futures are drawn: the scenario's uncertain quantities vary as their\n"
            "distributions say and background disruptions strike every supplier at the rates\n"
            "'rmct hazards' lists. Reported per metal, product and sector: expected unserved demand,\n"
            "probability of any shortfall, P50/P95/P99 and the maximum.\n"
            "\n"
            "  --runs N         number of futures (Monte Carlo ensemble)\n"
            "  --seed S         seed of the counter-based generator (default 1): the same seed gives the\n"
            "                   same numbers on any number of threads or MPI ranks\n"
            "  --threads T      threads (default: the CPUs online)\n"
            "  --chains A,B     chains to simulate (default: the scenario's, else all)\n"
            "  --no-hazards     no background disruptions, only the scenario's own uncertainty\n"
            "  --hazards FILE   replace hazards from a CSV (country,metal,p_year,depth_low,depth_mode,\n"
            "                   depth_high,duration_median_months,duration_sdlog,basis)\n"
            "  --future K       print future K of the ensemble (with --seed) month by month\n"
            "  --svg DIR        write charts: one run: shortfall by sector and metal, public stock;\n"
            "                   ensemble: fan charts (P5-P95, median, mean) per sector and metal\n"
            "  --dump-model F   also write the compiled model (arrays, events, hazards) as JSON to F\n"
            "  --recycling-from-mfa Y  the chains' recycling streams supply what the recycling model\n"
            "                   recovers in Korea in year Y ('rmct mfa recycle'), not the chains' figures\n"
            "  --list           the bundled scenarios\n");
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-') return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return false;
    *out = v;
    return true;
}

int cmd_simulate(cli_ctx *cli, int argc, char **argv)
{
    enum { OPT_RUNS = OPT__COMMON_END, OPT_SEED, OPT_THREADS, OPT_CHAINS, OPT_NOHZ, OPT_HZ, OPT_SVG, OPT_LIST, OPT_FUTURE,
           OPT_DUMP, OPT_REC };
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"runs", required_argument, NULL, OPT_RUNS},
                                         {"seed", required_argument, NULL, OPT_SEED},
                                         {"threads", required_argument, NULL, OPT_THREADS},
                                         {"chains", required_argument, NULL, OPT_CHAINS},
                                         {"no-hazards", no_argument, NULL, OPT_NOHZ},
                                         {"hazards", required_argument, NULL, OPT_HZ},
                                         {"svg", required_argument, NULL, OPT_SVG},
                                         {"list", no_argument, NULL, OPT_LIST},
                                         {"future", required_argument, NULL, OPT_FUTURE},
                                         {"dump-model", required_argument, NULL, OPT_DUMP},
                                         {"recycling-from-mfa", required_argument, NULL, OPT_REC},
                                         {NULL, 0, NULL, 0}};
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    sim_opts o = {.seed = 1, .threads = ncpu > 0 && ncpu < 256 ? (int)ncpu : 1, .future = -1};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        long v;
        switch (opt) {
        case OPT_RUNS:
            if (!rmct_parse_long(optarg, 1, 100000000, &v))
                return cli_usage_error("simulate", "--runs: expected a number of futures from 1 to 100,000,000, got \"%s\"", optarg);
            o.runs = v;
            break;
        case OPT_SEED:
            if (!parse_u64(optarg, &o.seed))
                return cli_usage_error("simulate", "--seed: expected a non-negative whole number, got \"%s\"", optarg);
            break;
        case OPT_THREADS:
            if (!rmct_parse_long(optarg, 1, 256, &v))
                return cli_usage_error("simulate", "--threads: expected 1 to 256, got \"%s\"", optarg);
            o.threads = (int)v;
            break;
        case OPT_FUTURE:
            if (!rmct_parse_long(optarg, 0, 100000000 - 1, &v))
                return cli_usage_error("simulate", "--future: expected a future number from 0, got \"%s\"", optarg);
            o.future = v;
            break;
        case OPT_CHAINS: o.chains = optarg; break;
        case OPT_NOHZ: o.no_hazards = true; break;
        case OPT_HZ: o.hazards_file = optarg; break;
        case OPT_SVG: o.svg_dir = optarg; break;
        case OPT_DUMP: o.dump = optarg; break;
        case OPT_REC:
            if (!rmct_parse_long(optarg, 1900, 2200, &v))
                return cli_usage_error("simulate", "--recycling-from-mfa: expected a year, got \"%s\"", optarg);
            o.recycling_year = (int)v;
            break;
        case OPT_LIST: o.list = true; break;
        case OPT_HELP:
        case 'h': simulate_usage(stdout); return 0;
        default: return cli_usage_error("simulate", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (o.list) return list_scenarios(cli);
    if (optind >= argc) return cli_usage_error("simulate", "expected a scenario name or file (see --list)");
    if (optind + 1 < argc) return cli_usage_error("simulate", "unexpected argument \"%s\"", argv[optind + 1]);
    if (o.runs && o.future >= 0) return cli_usage_error("simulate", "--future prints one future: leave out --runs");
    const char *scenario = argv[optind];
    int rank = 0, ranks = 1;
    if (o.runs) sim_mpi_start(NULL, NULL, &rank, &ranks);
    if (ranks > 1 && cli->progress && rank != 0) cli->progress = false;
    sim_setup s;
    bool want_hz = (o.runs || o.future >= 0) && !o.no_hazards;
    int rc = sim_setup_load(cli, scenario, o.chains, o.hazards_file, want_hz, &s);
    if (!rc && o.recycling_year) {
        /* the recycling model's recovered tonnes replace the chains' recycling supply; rebuild */
        rc = mfa_chain_recycling(cli, s.ch.v, s.ch.n, o.recycling_year, o.recycling_note, sizeof o.recycling_note);
        if (!rc) {
            rmct_error err;
            rmct_error_clear(&err);
            rmct_model_free(s.m);
            s.m = NULL;
            if (rmct_model_build(s.ch.v, s.ch.n, s.sc, s.has_hz ? &s.hz : NULL, &s.m, &err)) rc = cli_fail(&err);
        }
        if (rc) sim_setup_free(&s);
    }
    if (sim_mpi_any(rc != 0)) {
        sim_mpi_finish();
        if (!rc) sim_setup_free(&s);
        return rc ? rc : 1;
    }
    if (o.dump && rank == 0) {
        rmct_error err;
        rmct_error_clear(&err);
        json_t *j = NULL;
        if (rmct_model_to_json(s.m, &j, &err)) rc = cli_fail(&err);
        else if (json_dump_file(j, o.dump, JSON_COMPACT) != 0) {
            fprintf(stderr, "rmct: --dump-model: cannot write %s\n", o.dump);
            rc = 1;
        }
        json_decref(j);
        if (rc) {
            sim_setup_free(&s);
            sim_mpi_finish();
            return rc;
        }
    }
    if (o.svg_dir && mkdir(o.svg_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "rmct: --svg: cannot create directory %s: %s\n", o.svg_dir, strerror(errno));
        sim_setup_free(&s);
        sim_mpi_finish();
        return 1;
    }
    rc = o.runs ? run_ensemble(cli, &s, &o, rank, ranks) : run_once(cli, &s, &o);
    sim_setup_free(&s);
    sim_mpi_finish();
    return rc;
}

/* ---------------- hazards ---------------- */

out_table *view_hazards(const rmct_hazard_set *hz, out_format f)
{
    out_table *t = out_new();
    const char *cols[][2] = {{"country", "country"}, {"metal", "metal"}, {"p_year", "P(start)/yr"},
                             {"depth_low", "depth low"}, {"depth_mode", "mode"}, {"depth_high", "high"},
                             {"duration_median_months", "duration median (months)"}, {"duration_sdlog", "sd-log"},
                             {"register_restrictions", "register restrictions"}, {"wgi", "WGI 0-10"}, {"basis", "basis"}};
    for (size_t k = 0; k < 11; k++) out_col(t, cols[k][0], cols[k][1]);
    for (int i = 0; i < hz->n; i++) {
        const rmct_hazard *h = &hz->h[i];
        out_row(t);
        out_text(t, h->country);
        out_text(t, h->metal);
        out_num(t, h->p_year, 4);
        out_num(t, h->depth_low, 2);
        out_num(t, h->depth_mode, 2);
        out_num(t, h->depth_high, 2);
        out_num(t, h->duration_median, 1);
        out_num(t, h->duration_sdlog, 2);
        if (h->events >= 0) out_int(t, h->events);
        else out_null(t);
        if (isnan(h->wgi)) out_null(t);
        else out_num(t, h->wgi, 2);
        out_text(t, f == OUT_TABLE && strlen(h->basis) > 60 ? "(csv/json: full basis)" : h->basis);
    }
    return t;
}

int cmd_hazards(cli_ctx *cli, int argc, char **argv)
{
    enum { OPT_CHAINS = OPT__COMMON_END, OPT_HZ };
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {"chains", required_argument, NULL, OPT_CHAINS},
                                         {"hazards", required_argument, NULL, OPT_HZ}, {NULL, 0, NULL, 0}};
    sim_opts o = {.future = -1};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        if (opt == OPT_CHAINS) o.chains = optarg;
        else if (opt == OPT_HZ) o.hazards_file = optarg;
        else if (opt == OPT_HELP || opt == 'h') {
            printf("usage: rmct hazards [--chains A,B] [--hazards FILE] [--format table|csv|json]\n"
                   "\n"
                   "The background disruption hazards of Monte Carlo ensembles ('rmct simulate --runs'): for each\n"
                   "country that supplies a node of the chains and each metal, the yearly probability that a\n"
                   "disruption starts, its depth (share of that country's deliveries withheld, triangular) and\n"
                   "duration (months, log-normal), with how each was obtained: restrictions the register records\n"
                   "('rmct events'), governance (WGI) and stated assumptions. --hazards FILE replaces rows\n"
                   "(the same columns as --format csv prints).\n");
            return 0;
        } else
            return cli_usage_error("hazards", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error("hazards", "unexpected argument \"%s\"", argv[optind]);
    sim_setup s;
    int rc = sim_setup_load(cli, NULL, o.chains, o.hazards_file, true, &s);
    if (rc) return rc;
    out_table *t = view_hazards(&s.hz, cli->format);
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE) printf("\nDefaults: %s.\n", s.hz.defaults_basis);
    sim_setup_free(&s);
    return 0;
}
