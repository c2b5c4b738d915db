/* test_conc.c: unit tests for lib/conc.h: the Herfindahl-Hirschman index, CR1/CR3, the top
 * producer, the count of producers and the total of a set of shares (rmct_concentration), and
 * shares of a denominator (rmct_shares), on hand-checked cases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "conc.h"

#define EPS 1e-9

/* assert_near: cmocka 1.1 has only a float version; |a - b| <= eps, reported at the caller's line. */
#define assert_near(a, b, eps) assert_near_at((a), (b), (eps), #a, __FILE__, __LINE__)
static void assert_near_at(double a, double b, double eps, const char *expr, const char *file, int line)
{
    if (fabs(a - b) <= eps) return; /* also false for NaN */
    print_error("%s = %.17g, expected %.17g (tolerance %g)\n", expr, a, b, eps);
    _fail(file, line);
}

static rmct_conc conc_of(const double *shares, size_t n)
{
    rmct_conc c;
    rmct_concentration(shares, n, &c);
    return c;
}

static void test_single_producer(void **state)
{
    (void)state;
    const double s[] = {1.0};
    rmct_conc c = conc_of(s, 1);
    assert_near(c.hhi, 10000.0, EPS);
    assert_near(c.cr1, 1.0, EPS);
    assert_near(c.cr3, 1.0, EPS);
    assert_near(c.total, 1.0, EPS);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.top, 0);
}

static void test_two_equal_producers(void **state)
{
    (void)state;
    const double s[] = {0.5, 0.5};
    rmct_conc c = conc_of(s, 2);
    assert_near(c.hhi, 5000.0, EPS);
    assert_near(c.cr1, 0.5, EPS);
    assert_near(c.cr3, 1.0, EPS);
    assert_int_equal(c.n, 2);
}

static void test_three_producers(void **state)
{
    (void)state;
    const double s[] = {0.3, 0.5, 0.2}; /* 30² + 50² + 20² = 900 + 2500 + 400 */
    rmct_conc c = conc_of(s, 3);
    assert_near(c.hhi, 3800.0, EPS);
    assert_near(c.cr1, 0.5, EPS);
    assert_near(c.cr3, 1.0, EPS);
    assert_near(c.total, 1.0, EPS);
    assert_int_equal(c.top, 1);
    assert_int_equal(c.n, 3);
}

static void test_cr3_takes_the_three_largest(void **state)
{
    (void)state;
    const double s[] = {0.1, 0.4, 0.05, 0.3, 0.15}; /* CR3 = 0.4 + 0.3 + 0.15 */
    rmct_conc c = conc_of(s, 5);
    assert_near(c.cr3, 0.85, EPS);
    assert_near(c.cr1, 0.4, EPS);
    assert_int_equal(c.top, 1);
    assert_near(c.hhi, 100 + 1600 + 25 + 900 + 225, EPS);
    assert_int_equal(c.n, 5);
}

static void test_other_countries_remainder(void **state)
{
    (void)state;
    /* 0.2 of the world is 'Other countries': not a producer, adds nothing to the HHI */
    const double s[] = {0.6, 0.2};
    rmct_conc c = conc_of(s, 2);
    assert_near(c.hhi, 4000.0, EPS); /* 3600 + 400 */
    assert_near(c.total, 0.8, EPS);
    assert_near(c.cr1, 0.6, EPS);
    assert_near(c.cr3, 0.8, EPS);
    assert_int_equal(c.n, 2);
}

static void test_zeros_and_negatives_ignored(void **state)
{
    (void)state;
    const double s[] = {0.0, -0.3, 0.5, 0.0, 0.5, -1.0};
    rmct_conc c = conc_of(s, 6);
    assert_int_equal(c.n, 2);
    assert_near(c.hhi, 5000.0, EPS);
    assert_near(c.total, 1.0, EPS); /* negatives count as 0 */
    assert_near(c.cr3, 1.0, EPS);
    assert_int_equal(c.top, 2);
}

static void test_ties_keep_first_index(void **state)
{
    (void)state;
    const double s[] = {0.2, 0.4, 0.4};
    rmct_conc c = conc_of(s, 3);
    assert_int_equal(c.top, 1);
    assert_near(c.cr1, 0.4, EPS);
    assert_near(c.cr3, 1.0, EPS);

    const double four[] = {0.25, 0.25, 0.25, 0.25};
    c = conc_of(four, 4);
    assert_int_equal(c.top, 0);
    assert_near(c.hhi, 2500.0, EPS);
    assert_near(c.cr3, 0.75, EPS);
}

static void test_empty_and_all_zero(void **state)
{
    (void)state;
    rmct_conc c = conc_of(NULL, 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(c.top, 0);
    assert_near(c.hhi, 0.0, EPS);
    assert_near(c.total, 0.0, EPS);

    const double z[] = {0.0, 0.0, -0.5};
    c = conc_of(z, 3);
    assert_int_equal(c.n, 0);
    assert_near(c.cr1, 0.0, EPS);
    assert_near(c.cr3, 0.0, EPS);
    assert_near(c.hhi, 0.0, EPS);
}

static void test_shares(void **state)
{
    (void)state;
    const double v[] = {67000, 3000, 0};
    double out[3];
    rmct_shares(v, 3, 85140, out);
    assert_near(out[0], 67000.0 / 85140.0, EPS);
    assert_near(out[1], 3000.0 / 85140.0, EPS);
    assert_near(out[2], 0.0, EPS);

    const double w[] = {1, 3};
    rmct_shares(w, 2, 4, out);
    assert_near(out[0], 0.25, EPS);
    assert_near(out[1], 0.75, EPS);
}

static void test_shares_zero_denominator(void **state)
{
    (void)state;
    const double v[] = {5, 7};
    double out[2] = {-1, -1};
    rmct_shares(v, 2, 0, out);
    assert_near(out[0], 0.0, EPS);
    assert_near(out[1], 0.0, EPS);
    out[0] = out[1] = -1;
    rmct_shares(v, 2, -10, out); /* not positive either */
    assert_near(out[0], 0.0, EPS);
    assert_near(out[1], 0.0, EPS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_producer),
        cmocka_unit_test(test_two_equal_producers),
        cmocka_unit_test(test_three_producers),
        cmocka_unit_test(test_cr3_takes_the_three_largest),
        cmocka_unit_test(test_other_countries_remainder),
        cmocka_unit_test(test_zeros_and_negatives_ignored),
        cmocka_unit_test(test_ties_keep_first_index),
        cmocka_unit_test(test_empty_and_all_zero),
        cmocka_unit_test(test_shares),
        cmocka_unit_test(test_shares_zero_denominator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
