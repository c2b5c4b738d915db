/* test_dsm.c: the dynamic stock models against ODYM, number for number.
 *
 * tests/fixtures/mfa/odym/ holds the results ODYM's DynamicStockModel computed for 43 cases (every
 * lifetime type, inflow- and stock-driven, with and without the negative-inflow correction,
 * per-cohort lifetimes, an age-structured initial stock, the benchmark's 300-year model; how they
 * were made: tests/fixtures/mfa/README.md). Each case is rerun here and every yearly total
 * (inflow, outflow, stock, stock change) must agree within 1e-9 relative; four cases also compare
 * stock and outflow by cohort. Then the mass balance, the survival table, the log-normal's
 * parameters and the errors for bad input. */
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

#include "csv.h"
#include "dsm.h"

#define FIX RMCT_DATADIR "/../tests/fixtures/mfa/odym/"
#define RTOL 1e-9

static void ok(rmct_code rc, const rmct_error *err)
{
    if (rc) {
        char buf[1200];
        rmct_error_format(err, buf, sizeof buf);
        fail_msg("%s", buf);
    }
}

/* A fixture CSV: header names and rows of doubles (text columns read as NaN, kept in text). */
typedef struct {
    int ncol, nrow;
    char names[8][32];
    double *v;               /* nrow x ncol */
    char (*text)[8][40];     /* the raw fields */
} table;

static void table_read(const char *path, table *t)
{
    memset(t, 0, sizeof *t);
    rmct_csv *csv;
    rmct_error err;
    rmct_error_clear(&err);
    ok(rmct_csv_open(&csv, path, NULL, &err), &err);
    bool got;
    ok(rmct_csv_next(csv, &got, &err), &err);
    assert_true(got);
    t->ncol = (int)rmct_csv_count(csv);
    assert_true(t->ncol <= 8);
    for (int i = 0; i < t->ncol; i++) snprintf(t->names[i], sizeof t->names[i], "%s", rmct_csv_get(csv, i));
    int cap = 0;
    while (!rmct_csv_next(csv, &got, &err) && got) {
        if (t->nrow == cap) {
            cap = cap ? 2 * cap : 256;
            t->v = realloc(t->v, (size_t)cap * t->ncol * sizeof *t->v);
            t->text = realloc(t->text, (size_t)cap * sizeof *t->text);
            assert_non_null(t->v);
            assert_non_null(t->text);
        }
        for (int i = 0; i < t->ncol; i++) {
            const char *f = rmct_csv_get(csv, i);
            char *end;
            double x = strtod(f, &end);
            t->v[(size_t)t->nrow * t->ncol + i] = (*f && !*end) ? x : NAN;
            snprintf(t->text[t->nrow][i], sizeof t->text[t->nrow][i], "%s", f);
        }
        t->nrow++;
    }
    assert_int_equal(err.code, RMCT_OK);
    rmct_csv_close(csv);
}

static int col(const table *t, const char *name)
{
    for (int i = 0; i < t->ncol; i++)
        if (!strcmp(t->names[i], name)) return i;
    fail_msg("no column %s", name);
    return -1;
}

static double at(const table *t, int r, int c) { return t->v[(size_t)r * t->ncol + c]; }

static void table_free(table *t)
{
    free(t->v);
    free(t->text);
}

/* Largest |a - b| / max(|b|, floor) over a series. floor = 1e-6 x `scale` (the case's largest
 * stock): a value that is a difference of nearly equal numbers (the outflow of a young cohort,
 * 1 - S(1) ~ 1e-14, say) carries rounding of order 1e-16 of the stock in both programs, so it is
 * judged within 1e-15 of the stock; every other value within 1e-9 of itself. */
static double rel_diff(const double *a, const double *b, int n, double scale)
{
    double worst = 0;
    for (int i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]) / fmax(fabs(b[i]), 1e-6 * scale);
        if (d > worst || isnan(d)) worst = isnan(d) ? INFINITY : d;
    }
    return worst;
}

static double series_max(const double *b, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++) m = fmax(m, fabs(b[i]));
    return m;
}

static double worst_overall;

static void run_case(const char *name, const char *model, const char *ltspec, bool nic, int n_hist, bool cohorts)
{
    char path[512];
    snprintf(path, sizeof path, FIX "%s.csv", name);
    table g;
    table_read(path, &g);
    int n = g.nrow;
    rmct_error err;
    rmct_error_clear(&err);

    rmct_lifetime one, *lt = &one;
    int n_lt = 1;
    if (!strcmp(ltspec, "cohorts")) {
        table L;
        snprintf(path, sizeof path, FIX "%s-lt.csv", name);
        table_read(path, &L);
        n_lt = L.nrow;
        lt = calloc((size_t)n_lt, sizeof *lt);
        for (int c = 0; c < n_lt; c++) {
            char spec[128];
            snprintf(spec, sizeof spec, "%s:%s,%s", L.text[c][0], L.text[c][1], L.text[c][2]);
            ok(rmct_lifetime_parse(spec, name, &lt[c], &err), &err);
            /* the parse must give the file's doubles exactly */
            assert_true(lt[c].a == at(&L, c, 1) && lt[c].b == at(&L, c, 2));
        }
        table_free(&L);
    } else
        ok(rmct_lifetime_parse(ltspec, name, &one, &err), &err);

    double *init = NULL, *hist_ref = NULL, *hist = NULL;
    if (n_hist) {
        table I;
        snprintf(path, sizeof path, FIX "%s-init.csv", name);
        table_read(path, &I);
        assert_int_equal(I.nrow, n_hist);
        init = malloc((size_t)n_hist * sizeof *init);
        hist_ref = malloc((size_t)n_hist * sizeof *hist_ref);
        hist = malloc((size_t)n_hist * sizeof *hist);
        for (int c = 0; c < n_hist; c++) {
            init[c] = at(&I, c, col(&I, "initial_stock"));
            hist_ref[c] = at(&I, c, col(&I, "odym_hist_inflow"));
        }
        table_free(&I);
    }
    int N = n_hist + n;
    double *in = malloc((size_t)n * sizeof *in), *ref[4], *got[4];
    const char *what[4] = {"inflow", "outflow", "stock", "stock_change"};
    for (int k = 0; k < 4; k++) {
        ref[k] = malloc((size_t)n * sizeof **ref);
        got[k] = calloc((size_t)n, sizeof **got);
        for (int y = 0; y < n; y++) ref[k][y] = at(&g, y, col(&g, what[k]));
    }
    for (int y = 0; y < n; y++) in[y] = at(&g, y, col(&g, "input"));
    double *s_c = cohorts ? calloc((size_t)n * N, sizeof *s_c) : NULL;
    double *o_c = cohorts ? calloc((size_t)n * N, sizeof *o_c) : NULL;
    rmct_dsm_opts o = {n, lt, n_lt, n_hist, init, nic, hist, s_c, o_c};
    rmct_dsm_info info;
    if (!strcmp(model, "inflow")) {
        ok(rmct_dsm_inflow_driven(&o, in, got[1], got[2], got[3], &info, &err), &err);
        memcpy(got[0], in, (size_t)n * sizeof *in);
    } else {
        double *ms = malloc((size_t)n * sizeof *ms);
        ok(rmct_dsm_stock_driven(&o, in, got[0], got[1], got[3], ms, &info, &err), &err);
        memcpy(got[2], ms, (size_t)n * sizeof *ms);
        free(ms);
    }
    double smax = series_max(ref[2], n);
    for (int k = 0; k < 4; k++) {
        double d = rel_diff(got[k], ref[k], n, smax);
        if (d > worst_overall) worst_overall = d;
        if (getenv("RMCT_TEST_VERBOSE")) fprintf(stderr, "%-34s %-12s max rel diff %.2e\n", name, what[k], d);
        if (!(d <= RTOL)) fail_msg("%s: %s differs from ODYM by %.3g relative (limit %g)", name, what[k], d, RTOL);
    }
    if (n_hist) {
        double d = rel_diff(hist, hist_ref, n_hist, series_max(hist_ref, n_hist));
        if (!(d <= RTOL)) fail_msg("%s: reconstructed historic inflows differ from ODYM by %.3g", name, d);
    }
    /* mass balance of every case: inflow - outflow = stock change */
    double scale = 0;
    for (int y = 0; y < n; y++) scale = fmax(scale, fabs(got[2][y]));
    for (int y = 0; y < n; y++) assert_true(fabs(got[0][y] - got[1][y] - got[3][y]) <= 1e-9 * scale);
    if (cohorts) {
        table C;
        snprintf(path, sizeof path, FIX "%s-cohorts.csv", name);
        table_read(path, &C);
        double *rs = calloc((size_t)n * N, sizeof *rs), *ro = calloc((size_t)n * N, sizeof *ro);
        for (int r = 0; r < C.nrow; r++) {
            int y = (int)at(&C, r, 0), c = (int)at(&C, r, 1);
            rs[(size_t)y * N + c] = at(&C, r, 2);
            ro[(size_t)y * N + c] = at(&C, r, 3);
        }
        double ds = rel_diff(s_c, rs, n * N, smax), dO = rel_diff(o_c, ro, n * N, smax);
        if (getenv("RMCT_TEST_VERBOSE")) fprintf(stderr, "%-34s by cohort: stock %.2e outflow %.2e\n", name, ds, dO);
        if (!(ds <= RTOL) || !(dO <= RTOL)) fail_msg("%s: by cohort, stock %.3g and outflow %.3g relative", name, ds, dO);
        free(rs);
        free(ro);
        table_free(&C);
    }
    for (int k = 0; k < 4; k++) free(ref[k]), free(got[k]);
    free(in);
    free(s_c);
    free(o_c);
    free(init);
    free(hist);
    free(hist_ref);
    if (lt != &one) free(lt);
    table_free(&g);
}

static void test_odym_cases(void **state)
{
    (void)state;
    table idx;
    table_read(FIX "cases.csv", &idx);
    assert_true(idx.nrow >= 40);
    int kinds[5] = {0}, models[3] = {0};
    worst_overall = 0;
    for (int r = 0; r < idx.nrow; r++) {
        const char *name = idx.text[r][0], *model = idx.text[r][1], *spec = idx.text[r][2];
        run_case(name, model, spec, at(&idx, r, 3) != 0, (int)at(&idx, r, 4), at(&idx, r, 5) != 0);
        for (int k = 0; k < 5; k++)
            if (!strncmp(spec, rmct_lifetime_name((rmct_lt_kind)k), strlen(rmct_lifetime_name((rmct_lt_kind)k))))
                kinds[k]++;
        models[!strcmp(model, "inflow") ? 0 : at(&idx, r, 3) != 0 ? 2 : 1]++;
    }
    /* every lifetime type and every model kind is covered */
    for (int k = 0; k < 5; k++) assert_true(kinds[k] >= 3);
    for (int m = 0; m < 3; m++) assert_true(models[m] >= 10);
    if (getenv("RMCT_TEST_VERBOSE")) fprintf(stderr, "worst relative difference from ODYM: %.3g\n", worst_overall);
    table_free(&idx);
}

/* The survival table is S(t - c) below the diagonal, zero above, and by cohort when asked. */
static void test_survival_table(void **state)
{
    (void)state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_lifetime lt[4] = {{RMCT_LT_NORMAL, 3, 1}, {RMCT_LT_NORMAL, 3, 1}, {RMCT_LT_FIXED, 2, 0}, {RMCT_LT_WEIBULL, 2, 3}};
    double sf[16];
    ok(rmct_dsm_survival(lt, 4, 4, sf, &err), &err);
    for (int t = 0; t < 4; t++)
        for (int c = 0; c < 4; c++) {
            double want = c <= t ? rmct_lifetime_sf(&lt[c], t - c) : 0;
            assert_true(sf[t * 4 + c] == want);
        }
    assert_true(sf[2 * 4 + 2] == 1.0 && sf[3 * 4 + 2] == 1.0); /* fixed 2: present at ages 0 and 1 */
    ok(rmct_dsm_survival(lt, 1, 4, sf, &err), &err);
    assert_true(fabs(sf[0] - 0.5 * erfc(-3 / M_SQRT2)) < 1e-16);
    /* fixed: present while age < mean (3.5: ages 0-3) */
    rmct_lifetime f = {RMCT_LT_FIXED, 3.5, 0};
    assert_true(rmct_lifetime_sf(&f, 3) == 1 && rmct_lifetime_sf(&f, 4) == 0);
    /* a mean of 0 leaves in the year of inflow (ODYM) */
    rmct_lifetime z = {RMCT_LT_NORMAL, 0, 2};
    assert_true(rmct_lifetime_sf(&z, 0) == 0);
    /* folded normal keeps its tail: 1 - cdf would be 0 here */
    rmct_lifetime fn = {RMCT_LT_FOLDEDNORMAL, 5, 1};
    assert_true(rmct_lifetime_sf(&fn, 20) > 0 && rmct_lifetime_sf(&fn, 20) < 1e-40);
}

/* The log-normal takes the lifetime's own mean and standard deviation: integrate its density. */
static void test_lognormal_moments(void **state)
{
    (void)state;
    rmct_lifetime ln = {RMCT_LT_LOGNORMAL, 12, 4};
    double m1 = 0, m2 = 0, h = 0.001;
    for (double a = h / 2; a < 200; a += h) {
        double p = (rmct_lifetime_sf(&ln, a - h / 2) - rmct_lifetime_sf(&ln, a + h / 2)) / h;
        m1 += a * p * h;
        m2 += a * a * p * h;
    }
    assert_true(fabs(m1 - 12) < 1e-4);
    assert_true(fabs(sqrt(m2 - m1 * m1) - 4) < 1e-3);
    /* mean of the Weibull (shape 2.5, scale 20): 20 Gamma(1.4) */
    rmct_lifetime w = {RMCT_LT_WEIBULL, 2.5, 20};
    assert_true(fabs(rmct_lifetime_mean(&w) - 20 * tgamma(1.4)) < 1e-12);
}

static void expect_parse_error(const char *spec, const char *needle)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_lifetime lt;
    rmct_code rc = rmct_lifetime_parse(spec, "--lifetime", &lt, &err);
    assert_int_equal(rc, RMCT_E_ARG);
    if (!strstr(err.msg, needle)) fail_msg("%s: message \"%s\" lacks \"%s\"", spec, err.msg, needle);
}

static void test_lifetime_errors(void **state)
{
    (void)state;
    expect_parse_error("normal:25", "normal needs two parameters, mean and standard deviation");
    expect_parse_error("normal", "normal needs two parameters");
    expect_parse_error("weibull:2.5", "shape and scale");
    expect_parse_error("fixed:5,3", "fixed needs one parameter");
    expect_parse_error("normal:-5,2", "expected a normal mean >= 0 years, got -5");
    expect_parse_error("normal:25,-1", "expected a normal standard deviation > 0 years, got -1");
    expect_parse_error("lognormal:12,0", "standard deviation > 0");
    expect_parse_error("weibull:0,20", "Weibull shape > 0");
    expect_parse_error("weibull:2,-3", "Weibull scale > 0");
    expect_parse_error("fixed:-1", "lifetime >= 0");
    expect_parse_error("gamma:3,4", "TYPE fixed, normal, foldednormal, weibull or lognormal");
    expect_parse_error("normal:25,x", "expected normal:MEAN,SD");
    rmct_lifetime lt;
    rmct_error err;
    rmct_error_clear(&err);
    ok(rmct_lifetime_parse("foldednormal:20,20", "x", &lt, &err), &err);
    assert_int_equal(lt.kind, RMCT_LT_FOLDEDNORMAL);
    ok(rmct_lifetime_parse("fixed:5", "x", &lt, &err), &err);
    char b[64];
    rmct_lifetime_format(&lt, b, sizeof b);
    assert_string_equal(b, "fixed:5");
}

static void test_model_errors(void **state)
{
    (void)state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_lifetime lt = {RMCT_LT_NORMAL, 10, 3};
    double s[3] = {10, -1, 5}, a[3], b[3], c[3], d[3];
    rmct_dsm_opts o = {3, &lt, 1, 0, NULL, false, NULL, NULL, NULL};
    assert_int_equal(rmct_dsm_stock_driven(&o, s, a, b, c, d, NULL, &err), RMCT_E_ARG);
    assert_non_null(strstr(err.msg, "stock, year 2 of 3: expected a number >= 0, got -1"));
    assert_int_equal(rmct_dsm_inflow_driven(&o, s, a, b, c, NULL, &err), RMCT_E_ARG);
    assert_non_null(strstr(err.msg, "inflow, year 2 of 3"));
    /* mismatched lengths: 2 lifetimes for 3 cohorts */
    rmct_lifetime two[2] = {lt, lt};
    double ok3[3] = {1, 2, 3};
    rmct_dsm_opts o2 = {3, two, 2, 0, NULL, false, NULL, NULL, NULL};
    assert_int_equal(rmct_dsm_inflow_driven(&o2, ok3, a, b, c, NULL, &err), RMCT_E_ARG);
    assert_non_null(strstr(err.msg, "one per cohort (3 = 0 of the initial stock + 3 years), got 2 lifetimes"));
    /* a bad lifetime among per-cohort ones */
    rmct_lifetime three[3] = {lt, {RMCT_LT_WEIBULL, 2, -1}, lt};
    rmct_dsm_opts o3 = {3, three, 3, 0, NULL, false, NULL, NULL, NULL};
    assert_int_equal(rmct_dsm_inflow_driven(&o3, ok3, a, b, c, NULL, &err), RMCT_E_ARG);
    assert_non_null(strstr(err.msg, "lifetime of cohort 2: expected a Weibull scale > 0 years, got -1"));
    /* initial stock at an age the lifetime leaves nobody */
    rmct_lifetime fx = {RMCT_LT_FIXED, 2, 0};
    double init[3] = {5, 1, 1};
    rmct_dsm_opts o4 = {3, &fx, 1, 3, init, false, NULL, NULL, NULL};
    assert_int_equal(rmct_dsm_inflow_driven(&o4, ok3, a, b, c, NULL, &err), RMCT_E_ARG);
    assert_non_null(strstr(err.msg, "initial stock, cohort 1 of 3 (age 2)"));
    double neg[1] = {-2};
    rmct_dsm_opts o5 = {3, &lt, 1, 1, neg, false, NULL, NULL, NULL};
    assert_int_equal(rmct_dsm_inflow_driven(&o5, ok3, a, b, c, NULL, &err), RMCT_E_ARG);
    assert_non_null(strstr(err.msg, "initial stock, cohort 1 of 1: expected a number >= 0, got -2"));
    double nan3[3] = {1, NAN, 3};
    assert_int_equal(rmct_dsm_inflow_driven(&o, nan3, a, b, c, NULL, &err), RMCT_E_ARG);
}

/* Stock-driven with the correction: no negative inflow, the stock is held exactly, the balance
 * holds; without it the same stock gives negative inflows, counted in info. */
static void test_negative_inflow_correction(void **state)
{
    (void)state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_lifetime lt = {RMCT_LT_NORMAL, 20, 5};
    double s[10] = {100, 200, 300, 400, 200, 100, 100, 150, 200, 250}, i[10], o[10], ds[10], ms[10];
    rmct_dsm_opts opt = {10, &lt, 1, 0, NULL, false, NULL, NULL, NULL};
    rmct_dsm_info info;
    ok(rmct_dsm_stock_driven(&opt, s, i, o, ds, ms, &info, &err), &err);
    assert_true(info.negative_years >= 2 && info.first_negative == 4 && info.corrected_years == 0);
    opt.nic = true;
    ok(rmct_dsm_stock_driven(&opt, s, i, o, ds, ms, &info, &err), &err);
    assert_int_equal(info.negative_years, 0);
    assert_true(info.corrected_years >= 2 && info.first_negative == 4);
    for (int y = 0; y < 10; y++) {
        assert_true(i[y] >= 0);
        assert_true(fabs(ms[y] - s[y]) < 1e-9);
        assert_true(fabs(i[y] - o[y] - ds[y]) < 1e-9);
    }
    assert_true(i[4] == 0 && fabs(o[4] - 200) < 1e-9); /* 400 -> 200 with nothing entering */
}

/* Series files: one column, or year,value; a header is allowed; errors name file and line. */
static void test_series_read(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    char p[512];
    snprintf(p, sizeof p, "%s/rmct-dsm-series-%d.csv", tmp && *tmp ? tmp : "/tmp", (int)getpid());
    rmct_error err;
    rmct_error_clear(&err);
    double *v;
    int n, y0;
    FILE *fp = fopen(p, "w");
    fputs("stock_t\n1\n2.5\n\n4\n", fp);
    fclose(fp);
    ok(rmct_series_read(p, 2000, false, &v, &n, &y0, &err), &err);
    assert_int_equal(n, 3);
    assert_int_equal(y0, 2000);
    assert_true(v[1] == 2.5);
    free(v);
    fp = fopen(p, "w");
    fputs("year,value\n2010,1\n2011,2\n2013,3\n", fp);
    fclose(fp);
    assert_int_equal(rmct_series_read(p, 0, false, &v, &n, &y0, &err), RMCT_E_INPUT);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.msg, "expected consecutive years, 2012 after 2011, got 2013"));
    fp = fopen(p, "w");
    fputs("1\n2\nabc\n", fp);
    fclose(fp);
    assert_int_equal(rmct_series_read(p, 0, false, &v, &n, &y0, &err), RMCT_E_INPUT);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "expected a number, got \"abc\""));
    fp = fopen(p, "w");
    fputs("1\n-2\n", fp);
    fclose(fp);
    assert_int_equal(rmct_series_read(p, 0, true, &v, &n, &y0, &err), RMCT_E_INPUT);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "expected a number >= 0, got -2"));
    fp = fopen(p, "w");
    fputs("value\n", fp);
    fclose(fp);
    assert_int_equal(rmct_series_read(p, 0, false, &v, &n, &y0, &err), RMCT_E_INPUT);
    assert_non_null(strstr(err.msg, "expected at least one value"));
    remove(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_odym_cases),         cmocka_unit_test(test_survival_table),
        cmocka_unit_test(test_lognormal_moments),  cmocka_unit_test(test_lifetime_errors),
        cmocka_unit_test(test_model_errors),       cmocka_unit_test(test_negative_inflow_correction),
        cmocka_unit_test(test_series_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
