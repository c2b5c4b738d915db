/* plan.h: what to buy for the strategic stockpile with a budget (docs/STOCKPILE.md, "Plan").
 *
 * A two-stage stochastic linear programme by sample-average approximation (METHODS.md,
 * "Stockpile planning"): first stage, purchases x_m per metal; second stage, in each sampled
 * future s (from the scenario engine's ensemble, probability 1/S), the unserved demand
 * u_{m,s} >= shortfall_{m,s} - (stock_m + x_m), u >= 0. Minimise the expected value lost,
 * sum_s p_s sum_m w_m u_{m,s}, subject to the budget sum_m c_m x_m <= B, the storage capacity
 * sum_m x_m <= C, and per-metal bounds (minimum, maximum, market size). Solved with GLPK's simplex;
 * GLPK never prints (its terminal output is off).
 *
 * Two equivalent forms. The extensive form has a variable u_{m,s} and a row per metal and future
 * that can be short: exact but slow beyond a few thousand futures (simplex on 10^5 rows). The
 * compact form (default) integrates the second stage out: each metal's expected loss is convex and
 * piecewise linear in x_m with a breakpoint at each future's shortfall, so x_m is split into
 * segments y_{m,k} between consecutive breakpoints, each worth w_m x (futures still short there) / S
 * per tonne; the LP keeps only the budget and capacity rows. Both give the same optimum
 * (tests/unit/test_plan.c checks them against each other and against brute force). */
#ifndef RMCT_PLAN_H
#define RMCT_PLAN_H

#include <stdbool.h>

#include "error.h"

typedef struct {
    int metals;
    const double *stock;      /* t contained already held, per metal */
    const double *cost;       /* USD per t, per metal (> 0) */
    const double *weight;     /* USD of downstream value lost per t short, per metal (>= 0) */
    const double *xmin, *xmax;/* t, per metal; xmax may be INFINITY */
    int futures;
    const double *shortfall;  /* futures x metals (future-major): t short over the horizon without new stock */
    double budget;            /* USD */
    double capacity;          /* t of new stock the warehouses can take; INFINITY: no limit */
    bool extensive;           /* solve the extensive form (one u per metal and future) instead of
                               * the compact one (below); same optimum, for checking */
} rmct_plan_problem;

typedef struct {
    double *x;                /* t to buy, per metal */
    double *marginal;         /* USD of expected loss avoided by one more t, per metal (at the plan) */
    double *expected_short;   /* t unserved per metal, expected over the futures, with the plan */
    double objective;         /* expected value lost with the plan, USD */
    double spent;             /* USD */
    double budget_dual;       /* USD of loss avoided per USD more budget (0 if the budget is not binding) */
    double seconds;           /* solve time */
    int rows, columns;        /* size of the LP solved */
} rmct_plan_result;

/* Solve. Errors: bad inputs (RMCT_E_ARG naming the metal and field), the budget cannot cover the
 * minimums (RMCT_E_ARG), GLPK failure (RMCT_E_INPUT with GLPK's status). */
rmct_code rmct_plan_solve(const rmct_plan_problem *p, rmct_plan_result *out, rmct_error *err);
void rmct_plan_result_free(rmct_plan_result *r);

/* The expected value lost (USD) with purchases x; per_metal (may be NULL) gets each metal's
 * expected unserved tonnes. */
double rmct_plan_evaluate(const rmct_plan_problem *p, const double *x, double *per_metal);

/* Simple rules for comparison, each spending the budget within the same bounds and capacity:
 * equal days of cover (raise every metal's (stock + x) / daily_demand to one common level, water
 * filling) and budget in proportion to a risk score per metal (risk >= 0). */
void rmct_plan_rule_equal_cover(const rmct_plan_problem *p, const double *daily_demand, double *x);
void rmct_plan_rule_proportional(const rmct_plan_problem *p, const double *risk, double *x);

#endif
