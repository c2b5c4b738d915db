/* cmd_plan.c: 'rmct stock plan': what to buy for the strategic stockpile with a budget, so that the
 * expected value lost to shortages over an ensemble of futures from the scenario engine is least
 * (lib/plan.h); with the efficient frontier, the marginal value of one more tonne per metal, and
 * the two simple rules it is compared with (docs/STOCKPILE.md, "Plan"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assess.h"
#include "cli.h"
#include "plan.h"
#include "registry.h"
#include "sim_cli.h"
#include "stockpile.h"
#include "text.h"
#include "views.h"

#define DEFAULT_RUNS 2000
#define DEFAULT_PURCHASE_DAYS 182.5   /* ASSUMPTION: at most half a year of Korean demand bought in one plan */

typedef struct {
    int series;               /* the model's metal series */
    char label[32];
    double stock, cost, weight, daily, xmax, sr;
    char cost_basis[200];
} plan_metal;

static void plan_usage(FILE *fp)
{
    fprintf(fp,
            "usage: rmct stock plan --budget USD [--scenario NAME|FILE] [--runs N] [--seed S] [--threads T]\n"
            "                       [--capacity T] [--purchase-days D] [--no-hazards] [--as-of DATE]\n"
            "                       [--extensive] [--format table|csv|json]\n"
            "\n"
            "What to buy with a budget: purchases per metal that minimise the expected value of production\n"
            "lost to shortages over N futures of a scenario (default: 'baseline', background disruptions\n"
            "only; 2,000 futures), given the stock the ledger holds. A two-stage stochastic LP by sample-\n"
            "average approximation, solved with GLPK (docs/STOCKPILE.md). Bounds: at most --purchase-days\n"
            "days of Korean demand per metal (default 182.5, an assumption about market size), the\n"
            "storage --capacity in tonnes (default: none), the budget.\n"
            "\n"
            "Prints per metal the purchase, its cost, the expected shortfall before and after and the\n"
            "marginal value of one more tonne; the efficient frontier (budget -> expected loss); and the\n"
            "same budget spent by two simple rules (equal days of cover; in proportion to supply risk,\n"
            "the EU-method SR of 'rmct assess'), with how much better the plan does.\n"
            "--extensive solves the extensive form (one LP row per metal and future) instead of the compact\n"
            "one: the same optimum, slower (a check).\n");
}

/* Contained tonnes held of a metal label (0 for tags such as graphite, which are not metals). */
static rmct_code stock_of(rmct_db *db, const char *label, const char *as_of, double *t, rmct_error *err)
{
    *t = 0;
    rmct_metal m;
    if (rmct_metal_resolve(db, label, &m, err)) {
        rmct_error_clear(err);
        return RMCT_OK;
    }
    rmct_stock_filter f = {label, NULL, NULL, as_of, false};
    rmct_stock_holding *h = NULL;
    int n = 0;
    rmct_code rc = rmct_stock_holdings(db, &f, &h, &n, err);
    if (rc) return rc;
    for (int i = 0; i < n; i++) *t += h[i].contained_t;
    free(h);
    return RMCT_OK;
}

/* The EU-method supply risk of each metal (element, else type), for the proportional rule. */
static void supply_risk(const char *data_dir, rmct_db *db, plan_metal *pm, int n)
{
    rmct_error err;
    rmct_error_clear(&err);
    char path[600];
    snprintf(path, sizeof path, "%s/methods/eu2017-kr.json", data_dir);
    rmct_method meth;
    rmct_assessment *a = NULL;
    size_t na = 0;
    rmct_assess_query q = {0, true, "KOR", 0};
    for (int i = 0; i < n; i++) pm[i].sr = 0;
    if (rmct_method_load(path, &meth, &err) || rmct_assess(db, &meth, &q, &a, &na, &err)) return;
    for (int i = 0; i < n; i++) {
        rmct_metal m;
        if (rmct_metal_resolve(db, pm[i].label, &m, &err)) continue;
        for (size_t k = 0; k < na; k++)
            if (a[k].has_sr && (strcmp(a[k].code, m.element[0] ? m.element : m.type_code) == 0)) pm[i].sr = a[k].sr;
        if (pm[i].sr == 0)
            for (size_t k = 0; k < na; k++)
                if (a[k].has_sr && !a[k].is_element && strcmp(a[k].code, m.type_code) == 0) pm[i].sr = a[k].sr;
    }
    rmct_assessments_free(a, na);
}

int stock_plan(cli_ctx *cli, int argc, char **argv)
{
    enum { O_BUDGET = OPT__COMMON_END, O_SCEN, O_RUNS, O_SEED, O_THREADS, O_CAP, O_DAYS, O_NOHZ, O_ASOF, O_EXT };
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"budget", required_argument, NULL, O_BUDGET},
                                         {"scenario", required_argument, NULL, O_SCEN},
                                         {"scenarios", required_argument, NULL, O_SCEN},
                                         {"runs", required_argument, NULL, O_RUNS},
                                         {"seed", required_argument, NULL, O_SEED},
                                         {"threads", required_argument, NULL, O_THREADS},
                                         {"capacity", required_argument, NULL, O_CAP},
                                         {"purchase-days", required_argument, NULL, O_DAYS},
                                         {"no-hazards", no_argument, NULL, O_NOHZ},
                                         {"as-of", required_argument, NULL, O_ASOF},
                                         {"extensive", no_argument, NULL, O_EXT},
                                         {NULL, 0, NULL, 0}};
    double budget = NAN, capacity = INFINITY, days = DEFAULT_PURCHASE_DAYS;
    long runs = DEFAULT_RUNS, seed = 1, threads = sysconf(_SC_NPROCESSORS_ONLN);
    const char *scenario = "baseline", *as_of = NULL;
    bool no_hz = false, extensive = false;
    if (threads < 1 || threads > 256) threads = 1;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        switch (opt) {
        case O_BUDGET:
            if (!rmct_parse_double(optarg, true, &budget) || budget < 0)
                return cli_usage_error("stock plan", "--budget: expected an amount in USD (e.g. 5e7), got \"%s\"", optarg);
            break;
        case O_SCEN: scenario = optarg; break;
        case O_RUNS:
            if (!rmct_parse_long(optarg, 1, 200000, &runs))
                return cli_usage_error("stock plan", "--runs: expected 1 to 200,000 futures, got \"%s\"", optarg);
            break;
        case O_SEED:
            if (!rmct_parse_long(optarg, 0, 0x7fffffffffffffffL, &seed))
                return cli_usage_error("stock plan", "--seed: expected a non-negative whole number, got \"%s\"", optarg);
            break;
        case O_THREADS:
            if (!rmct_parse_long(optarg, 1, 256, &threads))
                return cli_usage_error("stock plan", "--threads: expected 1 to 256, got \"%s\"", optarg);
            break;
        case O_CAP:
            if (!rmct_parse_double(optarg, true, &capacity) || capacity < 0)
                return cli_usage_error("stock plan", "--capacity: expected tonnes >= 0, got \"%s\"", optarg);
            break;
        case O_DAYS:
            if (!rmct_parse_double(optarg, true, &days) || days < 0 || days > 3650)
                return cli_usage_error("stock plan", "--purchase-days: expected 0 to 3650 days, got \"%s\"", optarg);
            break;
        case O_NOHZ: no_hz = true; break;
        case O_ASOF: as_of = optarg; break;
        case O_EXT: extensive = true; break;
        case OPT_HELP:
        case 'h': plan_usage(stdout); return 0;
        default: return cli_usage_error("stock plan", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("stock plan", "unexpected argument \"%s\"", argv[optind]);
    if (isnan(budget)) return cli_usage_error("stock plan", "--budget is required (USD)");

    plan_params pp = {.budget = budget, .capacity = capacity, .purchase_days = days, .runs = runs, .seed = seed,
                      .threads = threads, .scenario = scenario, .as_of = as_of, .no_hazards = no_hz, .extensive = extensive};
    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    plan_result r;
    if (view_plan(cli->data_dir, db, &pp, cli->format, &r, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    rmct_db_close(db);
    if (cli->format == OUT_TABLE) {
        printf("Stockpile purchase plan: budget %.0f USD, %ld futures of scenario %s (seed %ld, hazards %s)\n", budget, runs,
               r.scenario, seed, no_hz ? "off" : "on");
        printf("  two-stage stochastic LP (sample-average approximation), %s form, GLPK simplex: %d rows x %d columns, "
               "%.3f s\n\n",
               extensive ? "extensive" : "compact", r.rows, r.columns, r.seconds);
    }
    out_print(r.metals, cli->format, stdout);
    if (cli->format == OUT_TABLE) {
        printf("\nExpected value of production lost over the horizon (USD; value at risk x expected unserved tonnes):\n");
        printf("  with no purchase           %18.0f\n", r.loss0);
        printf("  with the plan              %18.0f  (spends %.0f USD; protects %.0f USD)\n", r.objective, r.spent,
               r.loss0 - r.objective);
        printf("  rule: equal days of cover  %18.0f  (the plan does %.0f USD better, %.1f%% of the rule's loss)\n", r.loss_cover,
               r.loss_cover - r.objective, r.loss_cover > 0 ? 100 * (r.loss_cover - r.objective) / r.loss_cover : 0);
        printf("  rule: budget by SR         %18.0f  (the plan does %.0f USD better, %.1f%% of the rule's loss)\n", r.loss_risk,
               r.loss_risk - r.objective, r.loss_risk > 0 ? 100 * (r.loss_risk - r.objective) / r.loss_risk : 0);
        printf("One more USD of budget avoids %.2f USD of expected loss (the budget's shadow price).\n", r.budget_dual);
        printf("\nEfficient frontier (same futures):\n  %18s  %22s  %14s\n", "budget (USD)", "expected loss (USD)", "spent (USD)");
        for (int k = 0; k < r.n_frontier; k++)
            printf("  %18.0f  %22.0f  %14.0f\n", r.frontier_budget[k], r.frontier_loss[k], r.frontier_spent[k]);
        printf("\nValue at risk per tonne: the normal output value of the products a metal feeds (chain final demand\n"
               "x value) per tonne of its normal demand (rmct_model_metal_value; the chains' sources and assumptions).\n"
               "Prices: the chains' price_usd, else the latest price loaded. Held stock: the ledger ('rmct stock list').\n"
               "Purchases capped at %.1f days of demand per metal (ASSUMPTION: market size); shortfalls are the\n"
               "ensemble's totals over the horizon without new stock (docs/STOCKPILE.md, \"Plan\").\n",
               days);
        if (r.excluded[0]) printf("Not planned: %s.\n", r.excluded);
    }
    view_plan_free(&r);
    return 0;
}

void view_plan_free(plan_result *r)
{
    out_free(r->metals);
    memset(r, 0, sizeof *r);
}

rmct_code view_plan(const char *data_dir, rmct_db *db, const plan_params *pp, out_format format, plan_result *out,
                    rmct_error *err)
{
    (void)format;
    memset(out, 0, sizeof *out);
    double budget = pp->budget, capacity = pp->capacity, days = pp->purchase_days;
    long runs = pp->runs, seed = pp->seed, threads = pp->threads;
    bool no_hz = pp->no_hazards, extensive = pp->extensive;
    const char *as_of = pp->as_of;
    sim_setup s;
    rmct_code rc = sim_setup_open(data_dir, db, pp->scenario, NULL, NULL, !no_hz, &s, err);
    if (rc) return rc;
    snprintf(out->scenario, sizeof out->scenario, "%s", s.sc->name);
    const rmct_model *m = s.m;
    int nser = rmct_model_series(m), nmet = 0;
    for (int k = 0; k < nser; k++) nmet += rmct_model_series_info(m, k)->kind == RMCT_SERIES_METAL;
    plan_metal *pm = calloc((size_t)nmet + 1, sizeof *pm);
    char (*excluded)[96] = calloc((size_t)nmet + 1, sizeof *excluded);
    double *shortfall = NULL, *stock = NULL, *cost = NULL, *weight = NULL, *xmin = NULL, *xmax = NULL, *daily = NULL,
           *risk = NULL, *x_cover = NULL, *x_risk = NULL, *zero = NULL, *before = NULL;
    rmct_ensemble *e = NULL;
    int n = 0, n_ex = 0;
    if (!pm || !excluded) {
        rc = rmct_error_set(err, RMCT_E_NOMEM, "stock plan: out of memory");
        goto done;
    }
    for (int k = 0; k < nser && !rc; k++) {
        const rmct_series_info *si = rmct_model_series_info(m, k);
        if (si->kind != RMCT_SERIES_METAL || strcmp(si->unit, "t") != 0) continue;
        plan_metal x = {.series = k};
        snprintf(x.label, sizeof x.label, "%.31s", si->label);
        for (int i = 0; i < rmct_model_nodes(m); i++) {
            const rmct_node_info *in = rmct_model_node(m, i);
            if (in->metal == k && in->price_usd > 0 && x.cost == 0) {
                x.cost = in->price_usd;
                snprintf(x.cost_basis, sizeof x.cost_basis, "chain %s, node %s: price_usd", in->chain, in->id);
            }
        }
        rmct_metal mt;
        if (x.cost == 0 && !rmct_metal_resolve(s.db, x.label, &mt, err)) {
            double p;
            char series[200], unit[120];
            int year;
            if (!rmct_stock_price(s.db, mt.type_code, mt.element, &p, series, sizeof series, unit, sizeof unit, &year, err) &&
                p > 0) {
                x.cost = p;
                snprintf(x.cost_basis, sizeof x.cost_basis, "%.120s, %d (%.40s)", series, year, unit);
            }
        }
        rmct_error_clear(err);
        if (!(x.cost > 0)) {
            snprintf(excluded[n_ex++], 96, "%s (no price loaded)", x.label);
            continue;
        }
        rc = stock_of(s.db, x.label, as_of, &x.stock, err);
        x.weight = rmct_model_metal_value(m, k);
        x.daily = si->normal / RMCT_DAYS_PER_MONTH;
        x.xmax = days * x.daily;
        pm[n++] = x;
    }
    if (rc) goto done;
    if (n == 0) {
        rc = rmct_error_set(err, RMCT_E_NOTFOUND, "stock plan: no metal of the chains has a price to plan with");
        goto done;
    }
    for (int i = 0; i < n_ex; i++) {
        size_t used = strlen(out->excluded);
        snprintf(out->excluded + used, sizeof out->excluded - used, "%s%s", i ? ", " : "", excluded[i]);
    }
    /* the futures */
    rmct_ensemble_opts eo = {.runs = runs, .first = 0, .count = runs, .seed = (uint64_t)seed, .threads = (int)threads,
                             .hazards = !no_hz, .progress = pp->progress, .progress_ctx = pp->progress_ctx,
                             .cancel = pp->cancel};
    if ((rc = rmct_ensemble_run(m, &eo, &e, err))) goto done;
    shortfall = malloc((size_t)runs * n * sizeof *shortfall);
    stock = calloc((size_t)n, sizeof *stock), cost = calloc((size_t)n, sizeof *cost),
    weight = calloc((size_t)n, sizeof *weight), xmin = calloc((size_t)n, sizeof *xmin),
    xmax = calloc((size_t)n, sizeof *xmax), daily = calloc((size_t)n, sizeof *daily),
    risk = calloc((size_t)n, sizeof *risk), x_cover = calloc((size_t)n, sizeof *x_cover),
    x_risk = calloc((size_t)n, sizeof *x_risk), zero = calloc((size_t)n, sizeof *zero),
    before = calloc((size_t)n, sizeof *before);
    if (!shortfall || !stock || !cost || !weight || !xmin || !xmax || !daily || !risk || !x_cover || !x_risk || !zero || !before) {
        rc = rmct_error_set(err, RMCT_E_NOMEM, "stock plan: out of memory");
        goto done;
    }
    supply_risk(data_dir, s.db, pm, n);
    for (int i = 0; i < n; i++) {
        stock[i] = pm[i].stock, cost[i] = pm[i].cost, weight[i] = pm[i].weight, xmax[i] = pm[i].xmax;
        daily[i] = pm[i].daily, risk[i] = pm[i].sr;
        for (long f = 0; f < runs; f++) shortfall[(size_t)f * n + i] = e->totals[(size_t)f * e->metrics + pm[i].series];
    }
    rmct_plan_problem p = {n, stock, cost, weight, xmin, xmax, (int)runs, shortfall, budget, capacity, extensive};
    rmct_plan_result r;
    if ((rc = rmct_plan_solve(&p, &r, err))) goto done;
    double loss0 = rmct_plan_evaluate(&p, zero, before);
    rmct_plan_rule_equal_cover(&p, daily, x_cover);
    rmct_plan_rule_proportional(&p, risk, x_risk);
    double loss_cover = rmct_plan_evaluate(&p, x_cover, NULL), loss_risk = rmct_plan_evaluate(&p, x_risk, NULL);

    out_table *t = out_new();
    const char *cols[][2] = {{"metal", "metal"}, {"stock_t", "held (t)"}, {"demand_t_day", "demand (t/day)"},
                             {"price_usd_t", "price (USD/t)"}, {"value_at_risk_usd_t", "value at risk (USD/t short)"},
                             {"p_short", "P(short)"}, {"short_before_t", "E short now (t)"}, {"buy_t", "buy (t)"},
                             {"cost_usd", "cost (USD)"}, {"short_after_t", "E short after (t)"},
                             {"marginal_usd_t", "next t worth (USD)"}, {"cover_days_after", "cover after (days)"},
                             {"equal_cover_t", "rule: equal cover (t)"}, {"risk_rule_t", "rule: by SR (t)"}, {"sr", "SR"}};
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) out_col(t, cols[k][0], cols[k][1]);
    for (int i = 0; i < n; i++) {
        long short_futures = 0;
        for (long f = 0; f < runs; f++) short_futures += shortfall[(size_t)f * n + i] > stock[i];
        out_row(t);
        out_text(t, pm[i].label);
        out_num(t, stock[i], 2);
        out_num(t, daily[i], 3);
        out_num(t, cost[i], 0);
        out_num(t, weight[i], 0);
        out_num(t, (double)short_futures / runs, 3);
        out_num(t, before[i], 2);
        out_num(t, r.x[i], 2);
        out_num(t, r.x[i] * cost[i], 0);
        out_num(t, r.expected_short[i], 2);
        out_num(t, r.marginal[i], 0);
        if (daily[i] > 0) out_num(t, (stock[i] + r.x[i]) / daily[i], 1);
        else out_null(t);
        out_num(t, x_cover[i], 2);
        out_num(t, x_risk[i], 2);
        out_num(t, pm[i].sr, 2);
    }
    out->metals = t;
    out->loss0 = loss0;
    out->objective = r.objective;
    out->spent = r.spent;
    out->loss_cover = loss_cover;
    out->loss_risk = loss_risk;
    out->budget_dual = r.budget_dual;
    out->seconds = r.seconds;
    out->rows = r.rows;
    out->columns = r.columns;
    double mult[] = {0, 0.25, 0.5, 1, 2, 4};
    for (size_t k = 0; k < sizeof mult / sizeof *mult; k++) {
        rmct_plan_problem q = p;
        q.budget = budget * mult[k];
        rmct_plan_result rk;
        rmct_error ek;
        rmct_error_clear(&ek);
        if (rmct_plan_solve(&q, &rk, &ek)) continue;
        out->frontier_budget[out->n_frontier] = q.budget;
        out->frontier_loss[out->n_frontier] = rk.objective;
        out->frontier_spent[out->n_frontier++] = rk.spent;
        rmct_plan_result_free(&rk);
    }
    rmct_plan_result_free(&r);
done:
    free(shortfall), free(stock), free(cost), free(weight), free(xmin), free(xmax), free(daily), free(risk), free(x_cover),
        free(x_risk), free(zero), free(before);
    rmct_ensemble_free(e);
    free(pm), free(excluded);
    sim_setup_free(&s);
    return rc;
}
