/* test_trade.c: the look-through network solver and element mass fractions from formulas, on
 * small cases worked out by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "formula.h"
#include "trade.h"

#define EPS 1e-9

/* share of origin o in country c's supply */
#define S(share, n, c, o) ((share)[(size_t)(c) * (n) + (o)])

/* A produces 100; B produces nothing and imports 50 from A: all of B's supply comes from A. */
static void test_intermediary_passes_origin_on(void **state)
{
    (void)state;
    enum { A, B, KOR, N };
    double prod[N] = {100, 0, 0}, share[N * N], res;
    int from[] = {A, A, B}, to[] = {B, KOR, KOR};
    double qty[] = {50, 10, 40};
    int it = rmct_lookthrough_solve(N, prod, 3, from, to, qty, share, &res);
    assert_true(it > 0);
    assert_true(fabs(S(share, N, B, A) - 1) < EPS);
    assert_true(fabs(S(share, N, KOR, A) - 1) < EPS); /* Korea: 10 direct + 40 via B, all from A */
    assert_true(fabs(S(share, N, KOR, B)) < EPS);
}

/* Two producers A (100) and C (300); B mixes 30 from A and 10 from C; Korea takes 40 from B and 60
 * from C: origins A 40 * 0.75 = 30, C 40 * 0.25 + 60 = 70. */
static void test_two_producers_mix(void **state)
{
    (void)state;
    enum { A, B, C, KOR, N };
    double prod[N] = {100, 0, 300, 0}, share[N * N], res;
    int from[] = {A, C, B, C}, to[] = {B, B, KOR, KOR};
    double qty[] = {30, 10, 40, 60};
    rmct_lookthrough_solve(N, prod, 4, from, to, qty, share, &res);
    assert_true(fabs(S(share, N, B, A) - 0.75) < EPS);
    assert_true(fabs(S(share, N, B, C) - 0.25) < EPS);
    assert_true(fabs(S(share, N, KOR, A) - 0.30) < EPS);
    assert_true(fabs(S(share, N, KOR, C) - 0.70) < EPS);
}

/* An intermediary with its own production keeps its part: B produces 40 and imports 60 from A. */
static void test_own_production_counts(void **state)
{
    (void)state;
    enum { A, B, N };
    double prod[N] = {100, 40}, share[N * N], res;
    int from[] = {A}, to[] = {B};
    double qty[] = {60};
    rmct_lookthrough_solve(N, prod, 1, from, to, qty, share, &res);
    assert_true(fabs(S(share, N, B, B) - 0.4) < EPS);
    assert_true(fabs(S(share, N, B, A) - 0.6) < EPS);
    assert_true(fabs(S(share, N, A, A) - 1) < EPS);
}

/* A re-export loop converges: A produces 100 and buys back 10 from B, which only buys from A. */
static void test_loop_converges(void **state)
{
    (void)state;
    enum { A, B, N };
    double prod[N] = {100, 0}, share[N * N], res;
    int from[] = {A, B}, to[] = {B, A};
    double qty[] = {50, 10};
    int it = rmct_lookthrough_solve(N, prod, 2, from, to, qty, share, &res);
    assert_true(it < 10000);
    assert_true(res < 1e-12);
    assert_true(fabs(S(share, N, B, A) - 1) < EPS);
    assert_true(fabs(S(share, N, A, A) - 1) < EPS);
}

/* A country that exports without production or imports is its own origin. */
static void test_unexplained_exporter_is_origin(void **state)
{
    (void)state;
    enum { X, KOR, N };
    double prod[N] = {0, 0}, share[N * N], res;
    int from[] = {X}, to[] = {KOR};
    double qty[] = {5};
    rmct_lookthrough_solve(N, prod, 1, from, to, qty, share, &res);
    assert_true(fabs(S(share, N, X, X) - 1) < EPS);
    assert_true(fabs(S(share, N, KOR, X) - 1) < EPS);
}

/* ---- formulas ---- */

static double weights(void *ctx, const char *sym)
{
    (void)ctx;
    static const struct { const char *s; double w; } t[] = {
        {"Li", 6.94}, {"C", 12.011}, {"O", 15.999}, {"H", 1.008}, {"Co", 58.933}, {"S", 32.06}, {"N", 14.007}, {"Mo", 95.95}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (!strcmp(t[i].s, sym)) return t[i].w;
    return 0;
}

static void test_fraction_lithium_carbonate(void **state)
{
    (void)state;
    double f;
    rmct_error err;
    assert_int_equal(rmct_mass_fraction("Li2CO3", "Li", weights, NULL, &f, &err), RMCT_OK);
    assert_true(fabs(f - 2 * 6.94 / (2 * 6.94 + 12.011 + 3 * 15.999)) < 1e-12);
}

static void test_fraction_parentheses_and_hydrate(void **state)
{
    (void)state;
    double f;
    rmct_error err;
    double nh4 = 14.007 + 4 * 1.008;
    assert_int_equal(rmct_mass_fraction("(NH4)2MoO4", "Mo", weights, NULL, &f, &err), RMCT_OK);
    assert_true(fabs(f - 95.95 / (2 * nh4 + 95.95 + 4 * 15.999)) < 1e-12);
    double coso4 = 58.933 + 32.06 + 4 * 15.999, water = 2 * 1.008 + 15.999;
    assert_int_equal(rmct_mass_fraction("CoSO4.7H2O", "Co", weights, NULL, &f, &err), RMCT_OK);
    assert_true(fabs(f - 58.933 / (coso4 + 7 * water)) < 1e-12);
    assert_int_equal(rmct_mass_fraction("CoSO4\xC2\xB7" "7H2O", "Co", weights, NULL, &f, &err), RMCT_OK);
    assert_true(fabs(f - 58.933 / (coso4 + 7 * water)) < 1e-12);
}

static void test_fraction_errors(void **state)
{
    (void)state;
    double f;
    rmct_error err;
    assert_int_equal(rmct_mass_fraction("Li2CO3", "Co", weights, NULL, &f, &err), RMCT_E_ARG);
    assert_non_null(strstr(err.msg, "does not contain Co"));
    assert_int_equal(rmct_mass_fraction("Li2Xx", "Li", weights, NULL, &f, &err), RMCT_E_ARG);
    assert_non_null(strstr(err.msg, "character 4"));
    assert_int_equal(rmct_mass_fraction("(LiOH", "Li", weights, NULL, &f, &err), RMCT_E_ARG);
    assert_int_equal(rmct_mass_fraction("li2co3", "Li", weights, NULL, &f, &err), RMCT_E_ARG);
    assert_int_equal(rmct_mass_fraction("", "Li", weights, NULL, &f, &err), RMCT_E_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intermediary_passes_origin_on),
        cmocka_unit_test(test_two_producers_mix),
        cmocka_unit_test(test_own_production_counts),
        cmocka_unit_test(test_loop_converges),
        cmocka_unit_test(test_unexplained_exporter_is_origin),
        cmocka_unit_test(test_fraction_lithium_carbonate),
        cmocka_unit_test(test_fraction_parentheses_and_hydrate),
        cmocka_unit_test(test_fraction_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
