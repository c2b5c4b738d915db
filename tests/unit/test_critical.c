/* test_critical.c: the EU criticality formulas on cases computed by hand: one producer, two
 * producers, import reliance 0 and 1, recycling 0 and 1, missing governance, economic importance. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "critical.h"

#define EPS 1e-12

static void test_wgi_scale(void **state)
{
    (void)state;
    assert_true(fabs(rmct_wgi_scale(2.5) - 0) < EPS);   /* best governance */
    assert_true(fabs(rmct_wgi_scale(-2.5) - 10) < EPS); /* worst */
    assert_true(fabs(rmct_wgi_scale(0) - 5) < EPS);
}

static void test_hhi_single_producer(void **state)
{
    (void)state;
    double s[] = {1.0}, w[] = {5.0}, t[] = {1.0};
    assert_true(fabs(rmct_hhi_wgi_t(s, w, t, 1, NULL) - 5.0) < EPS);
    double t2[] = {1.2}; /* export measures raise it */
    assert_true(fabs(rmct_hhi_wgi_t(s, w, t2, 1, NULL) - 6.0) < EPS);
}

static void test_hhi_two_producers(void **state)
{
    (void)state;
    double s[] = {0.5, 0.5}, w[] = {4.0, 6.0};
    assert_true(fabs(rmct_hhi_wgi_t(s, w, NULL, 2, NULL) - (0.25 * 4 + 0.25 * 6)) < EPS); /* 2.5 */
}

static void test_hhi_missing_wgi(void **state)
{
    (void)state;
    double s[] = {0.6, 0.4}, w[] = {5.0, NAN};
    int missing = 0;
    assert_true(fabs(rmct_hhi_wgi_t(s, w, NULL, 2, &missing) - 0.36 * 5) < EPS);
    assert_int_equal(missing, 1);
}

static void test_sr_import_reliance(void **state)
{
    (void)state;
    /* IR 0: sourcing only; IR 1: half and half */
    assert_true(fabs(rmct_supply_risk(4.0, 2.0, 0.0, 0.0, 1.0, RMCT_SCOPE_BOTH) - 2.0) < EPS);
    assert_true(fabs(rmct_supply_risk(4.0, 2.0, 1.0, 0.0, 1.0, RMCT_SCOPE_BOTH) - 3.0) < EPS);
    assert_true(fabs(rmct_supply_risk(4.0, 2.0, 0.5, 0.0, 1.0, RMCT_SCOPE_BOTH) - (4 * 0.25 + 2 * 0.75)) < EPS);
    assert_true(fabs(rmct_supply_risk(4.0, 2.0, 0.5, 0.0, 1.0, RMCT_SCOPE_GLOBAL) - 4.0) < EPS);
    assert_true(fabs(rmct_supply_risk(4.0, 2.0, 0.5, 0.0, 1.0, RMCT_SCOPE_SOURCING) - 2.0) < EPS);
}

static void test_sr_recycling_and_substitution(void **state)
{
    (void)state;
    assert_true(fabs(rmct_supply_risk(4.0, 4.0, 1.0, 1.0, 1.0, RMCT_SCOPE_BOTH)) < EPS);       /* all recycled: no risk */
    assert_true(fabs(rmct_supply_risk(4.0, 4.0, 1.0, 0.0, 1.0, RMCT_SCOPE_BOTH) - 4.0) < EPS); /* none recycled */
    assert_true(fabs(rmct_supply_risk(4.0, 4.0, 1.0, 0.25, 0.8, RMCT_SCOPE_BOTH) - 4 * 0.75 * 0.8) < EPS);
}

static void test_economic_importance(void **state)
{
    (void)state;
    double a[] = {0.5, 0.5}, q[] = {100, 50};
    assert_true(fabs(rmct_economic_importance(a, q, 2, 0.8, 200) - (50 + 25) * 0.8 / 200 * 10) < EPS); /* 3.0 */
    double a1[] = {1.0}, q1[] = {200};
    assert_true(fabs(rmct_economic_importance(a1, q1, 1, 1.0, 200) - 10) < EPS); /* all in the largest sector */
    assert_true(isnan(rmct_economic_importance(a1, q1, 1, 1.0, 0)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wgi_scale),
        cmocka_unit_test(test_hhi_single_producer),
        cmocka_unit_test(test_hhi_two_producers),
        cmocka_unit_test(test_hhi_missing_wgi),
        cmocka_unit_test(test_sr_import_reliance),
        cmocka_unit_test(test_sr_recycling_and_substitution),
        cmocka_unit_test(test_economic_importance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
