/* test_plan.c: the stockpile purchase plan (GLPK) against a brute-force search over purchase
 * quantities on small cases, in both LP forms (extensive and compact), its marginal values and
 * budget shadow price, and the simple rules it is compared with. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "plan.h"

static void ok(rmct_code rc, const rmct_error *err)
{
    if (rc) {
        char buf[1200];
        rmct_error_format(err, buf, sizeof buf);
        fail_msg("%s", buf);
    }
}

/* Brute force on a grid of `step` t: the least expected loss over every purchase that fits. The
 * optimum of these cases lies on the grid (integer shortfalls, costs 1, 2 and 4, budgets even), so
 * the LP must match it exactly. */
static double brute(const rmct_plan_problem *p, double step, double *best_x)
{
    int M = p->metals;
    double best = INFINITY;
    double x[3] = {0, 0, 0};
    int lim[3] = {0, 0, 0};
    for (int m = 0; m < M; m++) lim[m] = (int)floor(fmin(p->xmax[m], p->budget / p->cost[m]) / step + 1e-9);
    for (int a = 0; a <= lim[0]; a++)
        for (int b = 0; b <= (M > 1 ? lim[1] : 0); b++)
            for (int c = 0; c <= (M > 2 ? lim[2] : 0); c++) {
                x[0] = a * step, x[1] = b * step, x[2] = c * step;
                double cost = 0, t = 0;
                int inb = 1;
                for (int m = 0; m < M; m++) {
                    cost += x[m] * p->cost[m], t += x[m];
                    inb &= x[m] >= p->xmin[m] - 1e-12;
                }
                if (!inb || cost > p->budget + 1e-9 || t > p->capacity + 1e-9) continue;
                double v = rmct_plan_evaluate(p, x, NULL);
                if (v < best - 1e-12) {
                    best = v;
                    for (int m = 0; m < M; m++) best_x[m] = x[m];
                }
            }
    return best;
}

static void test_two_metals_vs_brute_force(void **state)
{
    (void)state;
    /* 6 futures; metal A short 0,2,4,6,8,10 t (weight 100 USD/t, 1 USD/t), B short 0,0,0,3,3,9 t
     * (weight 500 USD/t, 2 USD/t); 1 t of A already held; budget 10 USD. */
    double shortfall[] = {0, 0, 2, 0, 4, 0, 6, 3, 8, 3, 10, 9};
    double stock[] = {1, 0}, cost[] = {1, 2}, weight[] = {100, 500}, xmin[] = {0, 0}, xmax[] = {INFINITY, INFINITY};
    rmct_plan_problem p = {2, stock, cost, weight, xmin, xmax, 6, shortfall, 10, INFINITY, false};
    rmct_plan_result r, rx;
    rmct_error err;
    ok(rmct_plan_solve(&p, &r, &err), &err);
    p.extensive = true;
    ok(rmct_plan_solve(&p, &rx, &err), &err);
    assert_true(fabs(r.objective - rx.objective) < 1e-9 && fabs(r.budget_dual - rx.budget_dual) < 1e-6);
    rmct_plan_result_free(&rx);
    double bx[2];
    double b = brute(&p, 0.5, bx);
    assert_true(fabs(r.objective - b) < 1e-9);
    assert_true(r.spent <= 10 + 1e-9);
    /* by hand, per USD: B's first 3 t save 500 x 3/6 / 2 = 125 (3 futures short), A from 1 to 2 t
     * 100 x 5/6 = 83, 2 to 4 t 67, 4 to 6 t 50, B beyond 3 t 500 x 1/6 / 2 = 42: so 3 t of B (6 USD)
     * and 4 t of A (4 USD), A's level reaching 5 t */
    assert_true(fabs(r.x[1] - 3) < 1e-9);
    assert_true(fabs(r.x[0] - 4) < 1e-9);
    /* the marginal values at the plan: A still short beyond 5 t in 3 futures (6, 8, 10), B beyond 3 t in 1 */
    assert_true(fabs(r.marginal[0] - 100 * 3.0 / 6) < 1e-9);
    assert_true(fabs(r.marginal[1] - 500 * 1.0 / 6) < 1e-9);
    /* one more USD buys 1 t of A: 50 USD of expected loss avoided, the budget's shadow price */
    assert_true(fabs(r.budget_dual - 50) < 1e-6);
    rmct_plan_result_free(&r);
}

static void test_three_metals_capacity_and_bounds(void **state)
{
    (void)state;
    double shortfall[] = {
        5, 1, 0,
        2, 4, 2,
        0, 6, 4,
        8, 0, 1,
        4, 2, 6,
    };
    double stock[] = {0, 1, 0}, cost[] = {1, 2, 4}, weight[] = {30, 40, 90}, xmin[] = {1, 0, 0}, xmax[] = {6, 4, 3};
    rmct_plan_problem p = {3, stock, cost, weight, xmin, xmax, 5, shortfall, 14, 6, false};
    rmct_plan_result r, rx;
    rmct_error err;
    ok(rmct_plan_solve(&p, &r, &err), &err);
    p.extensive = true;
    ok(rmct_plan_solve(&p, &rx, &err), &err);
    assert_true(fabs(r.objective - rx.objective) < 1e-9);
    rmct_plan_result_free(&rx);
    double bx[3];
    double b = brute(&p, 0.5, bx);
    if (fabs(r.objective - b) > 1e-9) fail_msg("LP %.12g, brute force %.12g", r.objective, b);
    double t = r.x[0] + r.x[1] + r.x[2];
    assert_true(t <= 6 + 1e-9);
    assert_true(r.x[0] >= 1 - 1e-12 && r.x[2] <= 3 + 1e-12);
    rmct_plan_result_free(&r);
}

static void test_rules(void **state)
{
    (void)state;
    double shortfall[] = {1, 1};
    double stock[] = {10, 0}, cost[] = {1, 1}, weight[] = {1, 1}, xmin[] = {0, 0}, xmax[] = {INFINITY, INFINITY};
    rmct_plan_problem p = {2, stock, cost, weight, xmin, xmax, 1, shortfall, 30, INFINITY, false};
    double daily[] = {1, 2}, x[2];
    /* equal cover: (10 + x0)/1 = (0 + x1)/2 with x0 + x1 = 30 -> x0 = 10/3... L = 40/3 days */
    rmct_plan_rule_equal_cover(&p, daily, x);
    assert_true(fabs((10 + x[0]) / 1 - x[1] / 2) < 1e-6);
    assert_true(fabs(x[0] + x[1] - 30) < 1e-6);
    double risk[] = {1, 3};
    rmct_plan_rule_proportional(&p, risk, x);
    assert_true(fabs(x[0] - 7.5) < 1e-9 && fabs(x[1] - 22.5) < 1e-9);
    /* a maximum on the riskier metal sends the rest of the budget to the other */
    xmax[1] = 10;
    rmct_plan_rule_proportional(&p, risk, x);
    assert_true(fabs(x[1] - 10) < 1e-9 && fabs(x[0] - 20) < 1e-9);
}

static void test_errors(void **state)
{
    (void)state;
    double shortfall[] = {1};
    double stock[] = {0}, cost[] = {5}, weight[] = {1}, xmin[] = {3}, xmax[] = {INFINITY};
    rmct_plan_problem p = {1, stock, cost, weight, xmin, xmax, 1, shortfall, 10, INFINITY, false};
    rmct_plan_result r;
    rmct_error err;
    assert_int_equal(rmct_plan_solve(&p, &r, &err), RMCT_E_ARG);   /* minimum costs 15 > 10 */
    cost[0] = 0;
    assert_int_equal(rmct_plan_solve(&p, &r, &err), RMCT_E_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_metals_vs_brute_force),
        cmocka_unit_test(test_three_metals_capacity_and_bounds),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
