/* test_sim.c: the disruption simulator on a chain small enough to compute by hand
 * (tests/fixtures/sim: cobalt imported 60% from China, 40% from Congo, one month of inventory, one
 * product using 0.5 t per unit, 100 units a month):
 * - China withholds everything for three months: shortfalls month by month as computed by hand;
 * - the same with 30 t of public stock: the release and what is still short;
 * - the mass balance at every node and month, for these and for a bundled chain;
 * - a Monte Carlo case with a known answer (one hazard, known probability and depth);
 * - the same ensemble on 1 and 2 threads and split in two ranges gives identical bits;
 * - a cancel flag stops an ensemble between blocks, and one that stays 0 changes no bit;
 * - on the bundled chains with frequent disruptions, every future of an ensemble (which skips quiet
 *   stretches and quiet nodes) has the totals of the same future stepped month by month in full. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "chain.h"
#include "hazard.h"
#include "ingest.h"
#include "scenario.h"
#include "sim.h"
#include "sim_internal.h"

#define FIX RMCT_DATADIR "/../tests/fixtures/sim/"
#define EPS 1e-9

static void ok(rmct_code rc, const rmct_error *err)
{
    if (rc) {
        char buf[2048];
        rmct_error_format(err, buf, sizeof buf);
        fail_msg("%s", buf);
    }
}

static rmct_model *build(const char *chain_file, const char *scenario_file, const rmct_hazard_set *hz,
                         rmct_chain **chain, rmct_scenario **sc)
{
    rmct_error err;
    rmct_error_clear(&err);
    ok(rmct_chain_load(chain_file, chain, &err), &err);
    *sc = NULL;
    if (scenario_file) ok(rmct_scenario_load(scenario_file, sc, &err), &err);
    rmct_model *m = NULL;
    ok(rmct_model_build(chain, 1, *sc, hz, &m, &err), &err);
    return m;
}

static void check_balance(const rmct_model *m, const rmct_trace *tr)
{
    for (int i = 0; i < tr->nodes; i++)
        for (int t = 0; t < tr->months; t++) {
            size_t x = (size_t)i * tr->months + t;
            double in = tr->inventory_start[x] + tr->imports[x] + tr->production[x] + tr->recycled[x] + tr->released[x] +
                        tr->returned[x];
            double out = tr->served[x] + tr->inventory_end[x];
            double scale = 1 + fabs(in) + fabs(out);
            if (fabs(in - out) > 1e-9 * scale)
                fail_msg("node %s month %d: in %.17g != out %.17g", rmct_model_node(m, i)->id, t, in, out);
            if (fabs(tr->served[x] + tr->shortfall[x] - tr->demand[x]) > 1e-9 * (1 + tr->demand[x]))
                fail_msg("node %s month %d: served + shortfall != demand", rmct_model_node(m, i)->id, t);
            if (t + 1 < tr->months && fabs(tr->inventory_end[x] - tr->inventory_start[x + 1]) > 1e-9 * scale)
                fail_msg("node %s month %d: inventory does not carry over", rmct_model_node(m, i)->id, t);
            if (tr->shortfall[x] < 0 || tr->served[x] < 0 || tr->imports[x] < -1e-12)
                fail_msg("node %s month %d: negative flow", rmct_model_node(m, i)->id, t);
        }
}

static int node_index(const rmct_model *m, const char *id)
{
    for (int i = 0; i < rmct_model_nodes(m); i++)
        if (strcmp(rmct_model_node(m, i)->id, id) == 0) return i;
    fail_msg("no node %s", id);
    return -1;
}

static void test_cut_by_hand(void **state)
{
    (void)state;
    rmct_chain *c;
    rmct_scenario *sc;
    rmct_model *m = build(FIX "chains/tiny.json", FIX "tiny-cut.json", NULL, &c, &sc);
    rmct_trace tr;
    rmct_error err;
    ok(rmct_sim_trace(m, false, 0, 0, &tr, &err), &err);
    int co = node_index(m, "co"), w = node_index(m, "widget");
    const int T = tr.months;
    assert_int_equal(T, 8);
    /* normal state: 50 t/month of cobalt, 50 t of inventory */
    assert_true(fabs(rmct_model_node(m, co)->demand0 - 50) < EPS);
    assert_true(fabs(rmct_model_node(m, co)->inventory0 - 50) < EPS);
    /* the cut takes effect in March (month 2) and lasts three months (2, 3, 4) */
    double want_short[8] = {0, 0, 0, 8, 80.0 / 3, 0, 0, 0};          /* 50 - 42; 50 - 23.33 */
    double want_inv[8] = {50, 50, 20, 0, 0, 25.0 / 3, 0, 0};
    double want_lost[8] = {0, 0, 0, 16, 160.0 / 3, 0, 0, 0};         /* widgets: 100 x (1 - 0.84), x (1 - 0.4667) */
    for (int t = 0; t < 6; t++) {
        assert_true(fabs(tr.shortfall[co * T + t] - want_short[t]) < 1e-9);
        assert_true(fabs(tr.inventory_end[co * T + t] - want_inv[t]) < 1e-9);
        assert_true(fabs(tr.final_lost[w * T + t] - want_lost[t]) < 1e-9);
    }
    /* month 3: imports ordered 55 t (50 + (50 - 20) / 6), Congo's 40% arrive */
    assert_true(fabs(tr.imports[co * T + 3] - 22) < 1e-9);
    assert_true(fabs(tr.import_lost[co * T + 3] - 33) < 1e-9);
    check_balance(m, &tr);
    rmct_trace_free(&tr);
    rmct_model_free(m);
    rmct_chain_free(c);
    rmct_scenario_free(sc);
}

static void test_stockpile_by_hand(void **state)
{
    (void)state;
    rmct_chain *c;
    rmct_scenario *sc;
    rmct_model *m = build(FIX "chains/tiny.json", FIX "tiny-stock.json", NULL, &c, &sc);
    rmct_trace tr;
    rmct_error err;
    ok(rmct_sim_trace(m, false, 0, 0, &tr, &err), &err);
    int co = node_index(m, "co"), w = node_index(m, "widget");
    const int T = tr.months;
    /* month 3: 8 t released, nothing short; month 4: the last 22 t, 4.667 t short */
    assert_true(fabs(tr.released[co * T + 3] - 8) < 1e-9);
    assert_true(fabs(tr.shortfall[co * T + 3]) < 1e-9);
    assert_true(fabs(tr.released[co * T + 4] - 22) < 1e-9);
    assert_true(fabs(tr.shortfall[co * T + 4] - (50 - (70.0 / 3 + 22))) < 1e-9);
    assert_true(fabs(tr.public_stock[co * T + 4]) < 1e-9);
    assert_true(fabs(tr.final_lost[w * T + 4] - 100 * (50 - (70.0 / 3 + 22)) / 50) < 1e-9);
    check_balance(m, &tr);
    rmct_trace_free(&tr);
    rmct_model_free(m);
    rmct_chain_free(c);
    rmct_scenario_free(sc);
}

/* One hazard: China withholds 100% of its 60% share, from a uniform month of the year, for longer
 * than the horizon, with yearly probability 0.3; no inventory, 12 months. Then
 *   P(any shortfall) = 0.3,  E[cobalt short] = 0.3 x E[12 - start] x 30 t = 0.3 x 6.5 x 30 = 58.5 t. */
static rmct_hazard_set one_hazard(void)
{
    static rmct_hazard h = {"CHN", "Co", 0.3, 1, 1, 1, 1000, 0, -1, NAN, "test"};
    rmct_hazard_set hz = {1, &h, 0, 0, ""};
    return hz;
}

static void test_monte_carlo_known(void **state)
{
    (void)state;
    rmct_chain *c;
    rmct_scenario *sc;
    rmct_hazard_set hz = one_hazard();
    rmct_model *m = build(FIX "chains/tiny0.json", FIX "tiny-none.json", &hz, &c, &sc);
    assert_int_equal(rmct_model_hazard_pairs(m), 1);
    rmct_ensemble_opts o = {.runs = 40000, .first = 0, .count = 40000, .seed = 7, .threads = 2, .hazards = true};
    rmct_ensemble *e;
    rmct_error err;
    ok(rmct_ensemble_run(m, &o, &e, &err), &err);
    rmct_ensemble_stats st;
    ok(rmct_ensemble_stats_compute(m, e, &st, &err), &err);
    double se_p = sqrt(0.3 * 0.7 / 40000);
    if (fabs(st.p_any_shortfall - 0.3) > 4 * se_p) fail_msg("P(any shortfall) %.4f, expected 0.3", st.p_any_shortfall);
    /* metric 0 is cobalt's shortfall in tonnes: sd of the total is at most 12 x 30 = 360 t */
    double mean = st.metric[0].mean, se_m = 360 / sqrt(40000.0);
    if (fabs(mean - 58.5) > 4 * se_m) fail_msg("E[short] %.3f t, expected 58.5", mean);
    assert_true(fabs(st.metric[0].p_any - st.p_any_shortfall) < 1e-12);
    /* the median future has no disruption; P99 loses at least 11 months' 30 t */
    assert_true(st.metric[0].p50 == 0);
    assert_true(st.metric[0].p99 >= 330 - 1e-9);
    rmct_ensemble_stats_free(&st);
    rmct_ensemble_free(e);
    rmct_model_free(m);
    rmct_chain_free(c);
    rmct_scenario_free(sc);
}

static void test_split_invariance(void **state)
{
    (void)state;
    rmct_chain *c;
    rmct_scenario *sc;
    rmct_hazard_set hz = one_hazard();
    hz.h[0].depth_low = 0.2, hz.h[0].depth_mode = 0.5, hz.h[0].depth_high = 1;
    hz.h[0].duration_median = 3, hz.h[0].duration_sdlog = 0.8;
    rmct_model *m = build(FIX "chains/tiny.json", FIX "tiny-stock.json", &hz, &c, &sc);
    rmct_error err;
    const long N = 3001;
    rmct_ensemble_opts o1 = {.runs = N, .first = 0, .count = N, .seed = 42, .threads = 1, .hazards = true};
    rmct_ensemble_opts o2 = o1;
    o2.threads = 2;
    rmct_ensemble *a, *b, *whole, *p1, *p2;
    ok(rmct_ensemble_run(m, &o1, &a, &err), &err);
    ok(rmct_ensemble_run(m, &o2, &b, &err), &err);
    rmct_ensemble_opts h1 = o1, h2 = o1;
    h1.count = 1234;
    h2.first = 1234, h2.count = N - 1234, h2.threads = 2;
    ok(rmct_ensemble_run(m, &h1, &p1, &err), &err);
    ok(rmct_ensemble_run(m, &h2, &p2, &err), &err);
    ok(rmct_ensemble_alloc(m, N, 0, N, &whole, &err), &err);
    ok(rmct_ensemble_absorb(whole, p2, &err), &err);
    ok(rmct_ensemble_absorb(whole, p1, &err), &err);
    size_t cells = (size_t)a->series * a->months;
    rmct_ensemble *v[] = {b, whole};
    for (int i = 0; i < 2; i++) {
        assert_memory_equal(a->totals, v[i]->totals, (size_t)N * a->metrics * sizeof(double));
        assert_memory_equal(a->hist, v[i]->hist, cells * RMCT_HIST_BINS * sizeof(int64_t));
        assert_memory_equal(a->sum_fx, v[i]->sum_fx, cells * sizeof(int64_t));
        assert_int_equal(a->episodes, v[i]->episodes);
    }
    assert_true(a->episodes > 0);
    /* a future of the ensemble can be traced on its own, with the same totals */
    rmct_trace tr;
    ok(rmct_sim_trace(m, true, 42, 17, &tr, &err), &err);
    int co = node_index(m, "co");
    double sum = 0;
    for (int t = 0; t < tr.months; t++) sum += tr.shortfall[co * tr.months + t];
    assert_true(fabs(sum - a->totals[17 * a->metrics + 0]) < 1e-9 * (1 + sum));
    check_balance(m, &tr);
    rmct_trace_free(&tr);
    rmct_ensemble *all[] = {a, b, whole, p1, p2};
    for (int i = 0; i < 5; i++) rmct_ensemble_free(all[i]);
    rmct_model_free(m);
    rmct_chain_free(c);
    rmct_scenario_free(sc);
}

/* Cancelling: the flag set from the progress callback stops the run with RMCT_E_CANCELLED before
 * every future is drawn; a flag that stays 0 gives the same bits as no flag at all. */
typedef struct {
    volatile int *flag;
    long seen;
} cancel_ctx;

static void cancel_after_first(void *ctx, long done, long total)
{
    cancel_ctx *c = ctx;
    (void)total;
    c->seen = done;
    *c->flag = 1;
}

static void test_cancel(void **state)
{
    (void)state;
    rmct_chain *c;
    rmct_scenario *sc;
    rmct_hazard_set hz = one_hazard();
    rmct_model *m = build(FIX "chains/tiny.json", FIX "tiny-stock.json", &hz, &c, &sc);
    rmct_error err;
    rmct_error_clear(&err);
    const long N = 20000;
    volatile int flag = 0;
    cancel_ctx cc = {&flag, 0};
    rmct_ensemble_opts o = {.runs = N, .first = 0, .count = N, .seed = 5, .threads = 1, .hazards = true,
                            .progress = cancel_after_first, .progress_ctx = &cc, .cancel = &flag};
    rmct_ensemble *e = (rmct_ensemble *)&flag; /* must be reset to NULL */
    assert_int_equal(rmct_ensemble_run(m, &o, &e, &err), RMCT_E_CANCELLED);
    assert_null(e);
    assert_int_equal(err.code, RMCT_E_CANCELLED);
    assert_true(cc.seen > 0 && cc.seen < N);
    /* a flag that stays 0 changes nothing */
    volatile int zero = 0;
    rmct_ensemble_opts a = {.runs = N, .first = 0, .count = N, .seed = 5, .threads = 2, .hazards = true};
    rmct_ensemble_opts b = a;
    b.cancel = &zero;
    rmct_ensemble *x, *y;
    ok(rmct_ensemble_run(m, &a, &x, &err), &err);
    ok(rmct_ensemble_run(m, &b, &y, &err), &err);
    size_t cells = (size_t)x->series * x->months;
    assert_memory_equal(x->totals, y->totals, (size_t)N * x->metrics * sizeof(double));
    assert_memory_equal(x->hist, y->hist, cells * RMCT_HIST_BINS * sizeof(int64_t));
    assert_memory_equal(x->sum_fx, y->sum_fx, cells * sizeof(int64_t));
    rmct_ensemble_free(x);
    rmct_ensemble_free(y);
    rmct_model_free(m);
    rmct_chain_free(c);
    rmct_scenario_free(sc);
}

/* Every future of a stochastic ensemble balances too (a sample of them). */
static void test_balance_random_futures(void **state)
{
    (void)state;
    rmct_chain *c;
    rmct_scenario *sc;
    rmct_hazard_set hz = one_hazard();
    hz.h[0].depth_low = 0.1, hz.h[0].depth_mode = 0.4, hz.h[0].depth_high = 1;
    hz.h[0].duration_median = 2, hz.h[0].duration_sdlog = 1;
    hz.h[0].p_year = 0.9;
    rmct_model *m = build(FIX "chains/tiny.json", FIX "tiny-stock.json", &hz, &c, &sc);
    rmct_error err;
    /* the ensemble jumps quiet stretches in closed form; the traces step every month */
    rmct_ensemble_opts o = {.runs = 200, .first = 0, .count = 200, .seed = 99, .threads = 1, .hazards = true};
    rmct_ensemble *e;
    ok(rmct_ensemble_run(m, &o, &e, &err), &err);
    int co = node_index(m, "co"), w = node_index(m, "widget");
    int jumps_mattered = 0;
    for (long k = 0; k < 200; k++) {
        rmct_trace tr;
        ok(rmct_sim_trace(m, true, 99, k, &tr, &err), &err);
        check_balance(m, &tr);
        double co_short = 0, lost = 0;
        for (int t = 0; t < tr.months; t++) {
            co_short += tr.shortfall[co * tr.months + t];
            lost += tr.final_lost[w * tr.months + t];
        }
        const double *row = e->totals + (size_t)k * e->metrics;
        if (fabs(co_short - row[0]) > 1e-9 * (1 + co_short) || fabs(lost - row[1]) > 1e-9 * (1 + lost))
            fail_msg("future %ld: trace %.17g t / %.17g units, ensemble %.17g / %.17g", k, co_short, lost, row[0], row[1]);
        jumps_mattered += co_short > 0;
        rmct_trace_free(&tr);
    }
    assert_true(jumps_mattered > 20);
    rmct_ensemble_free(e);
    rmct_model_free(m);
    rmct_chain_free(c);
    rmct_scenario_free(sc);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Type-7 quantile of sorted values. */
static double q7(const double *sorted, long n, double q)
{
    double h = (n - 1) * q;
    long lo = (long)floor(h);
    return lo >= n - 1 ? sorted[n - 1] : sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/* The ensemble's P50/P95/P99, maxima and means for ensembles of model m with n futures whose totals
 * are set by hand to value sets that make sampling hard (ties, mostly zeros, a few distinct values,
 * a heavy tail, sorted and reversed orders): equal to those of a full sort. */
static void check_quantiles(const rmct_model *m, long n)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_ensemble *e;
    ok(rmct_ensemble_alloc(m, n, 0, n, &e, &err), &err);
    int M = e->metrics;
    assert_true(M >= 2);
    double *col = malloc((size_t)n * sizeof *col);
    for (int rep = 0; rep < 6; rep++) {
        uint64_t x = 88172645463325252ull + (uint64_t)rep;
        for (long f = 0; f < n; f++)
            for (int k = 0; k < M; k++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                double u = (double)(x >> 11) / 9007199254740992.0;
                double v;
                switch ((rep + k) % 6) {
                case 0: v = u; break;                                   /* uniform */
                case 1: v = u < 0.7 ? 0 : -log(1 - u) * 50; break;      /* mostly zeros */
                case 2: v = floor(u * 4); break;                        /* four values */
                case 3: v = 1 / (1 - u + 1e-12); break;                 /* heavy tail */
                case 4: v = (double)f; break;                           /* sorted */
                default: v = (double)(n - f) * 0.5; break;              /* reversed, no ties */
                }
                e->totals[(size_t)f * M + k] = v;
            }
        rmct_ensemble_stats st;
        ok(rmct_ensemble_stats_compute(m, e, &st, &err), &err);
        for (int k = 0; k < M; k++) {
            double sum = 0;
            for (long f = 0; f < n; f++) sum += col[f] = e->totals[(size_t)f * M + k];
            qsort(col, (size_t)n, sizeof *col, cmp_d);
            const rmct_metric_stats *ms = &st.metric[k];
            if (ms->p50 != q7(col, n, 0.5) || ms->p95 != q7(col, n, 0.95) || ms->p99 != q7(col, n, 0.99) ||
                ms->max != col[n - 1] || ms->mean != sum / (double)n)
                fail_msg("n %ld case %d metric %d: %.17g %.17g %.17g, sorted %.17g %.17g %.17g", n, (rep + k) % 6, k,
                         ms->p50, ms->p95, ms->p99, q7(col, n, 0.5), q7(col, n, 0.95), q7(col, n, 0.99));
        }
        rmct_ensemble_stats_free(&st);
    }
    free(col);
    rmct_ensemble_free(e);
}

/* On the small test model (a few metrics, one thread for the statistics). */
static void test_quantiles_exact(void **state)
{
    (void)state;
    rmct_chain *c;
    rmct_scenario *sc;
    rmct_model *m = build(FIX "chains/tiny.json", FIX "tiny-cut.json", NULL, &c, &sc);
    const long sizes[] = {100, 70001, 200000};
    for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) check_quantiles(m, sizes[z]);
    rmct_model_free(m);
    rmct_chain_free(c);
    rmct_scenario_free(sc);
}

/* An overstock large enough to clamp a request at zero is stepped through, not jumped in closed
 * form (tests/fixtures/sim/pair-overstock.json): nickel piles up while cobalt is cut under tripled
 * demand; when both end, nickel's request is zero for months; how much is left meets nickel's own
 * cut later. The ensemble's one future (no distributions, no hazards) equals the central trace. */
static void test_overstock_not_jumped(void **state)
{
    (void)state;
    rmct_chain *c;
    rmct_scenario *sc;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_model *m = build(FIX "chains/pair.json", FIX "pair-overstock.json", NULL, &c, &sc);
    rmct_trace tr;
    ok(rmct_sim_trace(m, false, 0, 0, &tr, &err), &err);
    check_balance(m, &tr);
    int ni = node_index(m, "ni"), T = tr.months, clamped = 0;
    for (int t = 12; t < 14; t++) clamped += tr.imports[ni * T + t] == 0 && tr.demand[ni * T + t] > 0;
    assert_true(clamped > 0);                                       /* the case happens */
    assert_true(tr.inventory_start[ni * T + 12] > 6 * tr.demand[ni * T + 12]);
    rmct_ensemble_opts o = {.runs = 1, .first = 0, .count = 1, .seed = 1, .threads = 1, .hazards = false};
    rmct_ensemble *e;
    ok(rmct_ensemble_run(m, &o, &e, &err), &err);
    double ni_short = 0;
    for (int t = 0; t < T; t++) ni_short += tr.shortfall[ni * T + t];
    assert_true(ni_short > 0);
    for (int x = 0; x < e->metrics; x++)
        if (fabs(tr.metrics[x] - e->totals[x]) > 1e-9 * (1 + fabs(tr.metrics[x])))
            fail_msg("%s: stepped %.17g, ensemble %.17g", rmct_model_metric(m, x)->label, tr.metrics[x], e->totals[x]);
    rmct_ensemble_free(e);
    rmct_trace_free(&tr);
    rmct_model_free(m);
    rmct_chain_free(c);
    rmct_scenario_free(sc);
}

/* The ensemble's shortcuts (quiet stretches in closed form, quiet nodes in a busy month) against
 * the trace, which works out every node every month: all totals of every future agree, on the four
 * bundled chains with the bundled default hazards made five times as likely, for scenarios with
 * export cuts, stockpiles, alternative sources, substitution and recycling, and every effect and response at once. */
/* Read and reset a scratch's series as the ensemble does; false if a month outside [lo, hi) holds
 * a value (the marks would have lost it). */
static bool take_series(const rmct_model *m, sim_scratch *s, double *out)
{
    int *lo, *hi;
    double *ser = sim_scratch_series(s, &lo, &hi);
    int T = rmct_model_months(m), n = rmct_model_series(m);
    bool marked = true;
    for (int q = 0; q < n; q++)
        for (int t = 0; t < T; t++) {
            double *x = &ser[(size_t)q * T + t];
            out[(size_t)q * T + t] = *x;
            if (*x != 0 && (t < lo[q] || t >= hi[q])) marked = false;
            *x = 0;
        }
    for (int q = 0; q < n; q++) lo[q] = T, hi[q] = 0;
    return marked;
}

/* Futures run eight at a time in vector lanes (sim_lanes.c) give bit for bit what each gives alone
 * (sim_future): every metric and every month of every series, whatever futures share the lanes
 * (full groups and a part-filled one, from different first futures). */
static void check_lanes_match_one_by_one(const rmct_model *m, const char *name)
{
    sim_lanes *L = sim_lanes_new(m);
    sim_scratch *one = sim_scratch_new(m);
    assert_non_null(L);
    assert_non_null(one);
    int T = rmct_model_months(m), nm = rmct_model_metrics(m);
    size_t cells = (size_t)rmct_model_series(m) * T;
    double *a = calloc(cells + 1, sizeof *a), *b = calloc(cells + 1, sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    const struct { long first; int used; } groups[] = {{0, SIM_BATCH}, {40, SIM_BATCH}, {3, 13}, {61, 5}, {200, 1}};
    int nonzero = 0;
    for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
        sim_lanes_run(m, L, groups[g].used, true, 11, groups[g].first);
        for (int l = 0; l < groups[g].used; l++) {
            long k = groups[g].first + l;
            sim_scratch *s = sim_lanes_scratch(L, l);
            sim_future(m, one, true, true, 11, k, NULL);
            const double *x = sim_scratch_metrics(s), *y = sim_scratch_metrics(one);
            for (int q = 0; q < nm; q++) {
                if (memcmp(&x[q], &y[q], sizeof x[q]))
                    fail_msg("%s future %ld, %s: lanes %.17g, alone %.17g", name, k, rmct_model_metric(m, q)->label, x[q], y[q]);
                nonzero += x[q] != 0;
            }
            assert_int_equal(sim_scratch_episodes(s), sim_scratch_episodes(one));
            assert_true(take_series(m, s, a));
            assert_true(take_series(m, one, b));
            for (size_t c = 0; c < cells; c++)
                if (memcmp(&a[c], &b[c], sizeof a[c]))
                    fail_msg("%s future %ld, series %zu month %zu: lanes %.17g, alone %.17g", name, k, c / T, c % T, a[c], b[c]);
        }
    }
    assert_true(nonzero > 0);   /* not a comparison of zeros */
    free(a);
    free(b);
    sim_scratch_free(one);
    sim_lanes_free(L);
}

static void test_shortcuts_match_full_steps(void **state)
{
    (void)state;
    rmct_error err;
    rmct_error_clear(&err);
    char dir[] = "/tmp/rmct-test-sim-XXXXXX", db_path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(db_path, sizeof db_path, "%s/t.db", dir);
    rmct_db *db;
    rmct_import_result res[RMCT_BUNDLED_COUNT];
    ok(rmct_db_open(&db, db_path, true, &err), &err);
    ok(rmct_init_bundled(db, RMCT_DATADIR, NULL, res, &err), &err);
    char **paths;
    int n_chains;
    ok(rmct_chain_list(RMCT_DATADIR "/chains", &paths, &n_chains, &err), &err);
    rmct_chain *chains[16];
    assert_true(n_chains >= 4 && n_chains <= 16);
    for (int c = 0; c < n_chains; c++) {
        ok(rmct_chain_load(paths[c], &chains[c], &err), &err);
        ok(rmct_chain_resolve_imports(db, chains[c], "KOR", &err), &err);
    }
    char (*cs)[4], (*ms)[32];
    int k;
    rmct_hazard_set hz;
    ok(rmct_chains_supply_pairs(chains, n_chains, &cs, &ms, &k, &err), &err);
    ok(rmct_hazards_default(db, (const char(*)[4])cs, (const char(*)[32])ms, k, &hz, &err), &err);
    for (int h = 0; h < hz.n; h++) hz.h[h].p_year = fmin(0.9, 5 * hz.h[h].p_year);
    /* all-effects: a stockpile with a cover trigger above normal inventory and a floor, outages, a
     * demand surge, more recycling (bench/simulate's test case) */
    const char *scenarios[] = {"baseline", "cd-cobalt-suspension-2025", "ree-china-halves-6m", "cn-heavy-ree-magnets-2025",
                               "../../bench/simulate/testdata/all-effects"};
    int futures_short = 0;
    for (size_t q = 0; q < sizeof scenarios / sizeof *scenarios; q++) {
        char path[512];
        snprintf(path, sizeof path, RMCT_DATADIR "/scenarios/%s.json", scenarios[q]);
        rmct_scenario *sc;
        ok(rmct_scenario_load(path, &sc, &err), &err);
        rmct_model *m;
        ok(rmct_model_build(chains, n_chains, sc, &hz, &m, &err), &err);
        if (q == 0) check_quantiles(m, 200000);   /* 37 metrics: the statistics use two threads */
        check_lanes_match_one_by_one(m, scenarios[q]);
        const long N = 120;
        rmct_ensemble_opts o = {.runs = N, .first = 0, .count = N, .seed = 7, .threads = 1, .hazards = true};
        rmct_ensemble *e;
        ok(rmct_ensemble_run(m, &o, &e, &err), &err);
        for (long f = 0; f < N; f++) {
            rmct_trace tr;
            ok(rmct_sim_trace(m, true, 7, f, &tr, &err), &err);
            const double *row = e->totals + (size_t)f * e->metrics;
            bool any = false;
            for (int x = 0; x < e->metrics; x++) {
                double a = tr.metrics[x], b = row[x];
                if (fabs(a - b) > 1e-9 * (1 + fabs(a)))
                    fail_msg("%s future %ld, %s: stepped in full %.17g, ensemble %.17g", scenarios[q], f,
                             rmct_model_metric(m, x)->label, a, b);
                any |= a > 0;
            }
            futures_short += any;
            rmct_trace_free(&tr);
        }
        rmct_ensemble_free(e);
        rmct_model_free(m);
        rmct_scenario_free(sc);
    }
    assert_true(futures_short > 100);   /* the comparison is not between zeros */
    free(cs);
    free(ms);
    rmct_hazards_free(&hz);
    for (int c = 0; c < n_chains; c++) rmct_chain_free(chains[c]);
    rmct_chain_list_free(paths, n_chains);
    rmct_db_close(db);
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        char p[80];
        snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
        unlink(p);
    }
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_by_hand),
        cmocka_unit_test(test_stockpile_by_hand),
        cmocka_unit_test(test_monte_carlo_known),
        cmocka_unit_test(test_split_invariance),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_balance_random_futures),
        cmocka_unit_test(test_shortcuts_match_full_steps),
        cmocka_unit_test(test_overstock_not_jumped),
        cmocka_unit_test(test_quantiles_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
