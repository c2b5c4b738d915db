/* bench/plan/bench.c: solve time of the stockpile purchase plan (lib/plan.c, GLPK simplex) for
 * F futures x M metals of synthetic shortfalls (seeded; a share of futures short per metal, sizes
 * log-normal), the size issue 6 asks to record: 10,000 futures x 35 metals.
 *   bench/plan/bench [FUTURES [METALS [SEED]]] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "plan.h"
#include "rng.h"

int main(int argc, char **argv)
{
    int F = argc > 1 ? atoi(argv[1]) : 10000, M = argc > 2 ? atoi(argv[2]) : 35;
    unsigned long long seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    double *sh = malloc((size_t)F * M * sizeof *sh);
    double *stock = calloc(M, sizeof *stock), *cost = malloc(M * sizeof *cost), *w = malloc(M * sizeof *w);
    double *xmin = calloc(M, sizeof *xmin), *xmax = malloc(M * sizeof *xmax);
    if (!sh || !stock || !cost || !w || !xmin || !xmax) return 1;
    rmct_rng r = rmct_rng_stream(seed, 0x504C414Eu, 0);
    double budget = 0;
    for (int m = 0; m < M; m++) {
        double p_short = 0.1 + 0.6 * rmct_rng_uniform(&r);      /* share of futures short */
        double scale = exp(2 + 4 * rmct_rng_uniform(&r));      /* typical shortfall, t */
        cost[m] = exp(8 + 5 * rmct_rng_uniform(&r));           /* 3,000 .. 450,000 USD/t */
        w[m] = cost[m] * (5 + 45 * rmct_rng_uniform(&r));     /* value lost per t short */
        stock[m] = scale * rmct_rng_uniform(&r);
        xmax[m] = scale * 10;
        budget += cost[m] * scale * 0.5;
        for (int f = 0; f < F; f++)
            sh[(size_t)f * M + m] = rmct_rng_uniform(&r) < p_short ? scale * exp(rmct_rng_normal(&r)) : 0;
    }
    rmct_plan_problem p = {M, stock, cost, w, xmin, xmax, F, sh, budget, INFINITY, argc > 4};
    rmct_plan_result res;
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_plan_solve(&p, &res, &err)) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 1;
    }
    printf("%d futures x %d metals: LP %d rows x %d columns, solved in %.3f s; expected loss %.6g USD, spent %.6g of %.6g USD\n",
           F, M, res.rows, res.columns, res.seconds, res.objective, res.spent, budget);
    rmct_plan_result_free(&res);
    free(sh), free(stock), free(cost), free(w), free(xmin), free(xmax);
    return 0;
}
