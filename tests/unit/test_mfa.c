/* test_mfa.c: product systems and recycling flows.
 *
 * tests/fixtures/mfa holds two hand-checked systems sharing 0.25 t/yr of domestic cobalt capacity:
 *   tiny:  100 units a year from 2020 (50 of 2019 in use at the start), fixed 2-year life, 10 kg Co
 *          each; collection 0.5, pre-processing 0.8, recovery 0.5; 200 units made a year with 10 %
 *          scrap. Co in use 1.5 t (2020) then 2 t; end of life 0, 0.5, then 1 t; recoverable from
 *          end of life 0.2 x EoL; manufacturing scrap 0.2 t, recoverable 0.1 t.
 *   tiny2: stock-driven, 10, 20, 30, 30, 30 units, fixed 1-year life, 1 kg Co, everything recovered:
 *          end of life 0, 0.01, 0.02, 0.03, 0.03 t.
 * 2022: recoverable 0.2 + 0.1 + 0.02 = 0.32 t against 0.25 t of capacity: 78.125 % of each system's
 * recoverable metal is recovered (tiny 0.234375, tiny2 0.015625), the gap is 0.07 t, EoL-RIR
 * (0.2 + 0.02) x 0.78125 / 10 t = 1.71875 %. Then the bundled systems: the metal balance of every
 * system, metal and year, the Sankey flows' balance, capacity never exceeded; and bad files. */
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

#include "mfa.h"

#define FIX RMCT_DATADIR "/../tests/fixtures/mfa/"

static void ok(rmct_code rc, const rmct_error *err)
{
    if (rc) {
        char buf[1200];
        rmct_error_format(err, buf, sizeof buf);
        fail_msg("%s", buf);
    }
}

static void near(double got, double want)
{
    if (!(fabs(got - want) <= 1e-12 * fmax(1, fabs(want)))) fail_msg("got %.17g, want %.17g", got, want);
}

typedef struct {
    rmct_mfa_system *s[2];
    rmct_mfa_national *nat;
} tiny_set;

static void load_tiny(tiny_set *t)
{
    rmct_error err;
    rmct_error_clear(&err);
    ok(rmct_mfa_system_load(FIX "systems/tiny.json", &t->s[0], &err), &err);
    ok(rmct_mfa_system_load(FIX "systems/tiny2.json", &t->s[1], &err), &err);
    ok(rmct_mfa_national_load(FIX "korea.json", &t->nat, &err), &err);
}

static void free_tiny(tiny_set *t)
{
    rmct_mfa_system_free(t->s[0]);
    rmct_mfa_system_free(t->s[1]);
    rmct_mfa_national_free(t->nat);
}

static void test_hand_checked(void **state)
{
    (void)state;
    tiny_set t;
    load_tiny(&t);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_mfa_result *r;
    ok(rmct_mfa_run(t.s, 2, t.nat, NULL, &r, &err), &err);
    assert_int_equal(r->first_year, 2020);
    assert_int_equal(r->n_years, 5);
    int m = rmct_mfa_metal_index(r, "co");
    assert_int_equal(m, 0);
    int Y = r->n_years;
    double use[] = {1.5, 2, 2, 2, 2}, eol[] = {0, 0.5, 1, 1, 1}, eol2[] = {0, 0.01, 0.02, 0.03, 0.03};
    for (int y = 0; y < 5; y++) {
        near(r->in_use[y], use[y]);
        near(r->eol[y], eol[y]);
        near(r->recoverable_eol[y], 0.2 * eol[y]);
        near(r->new_scrap[y], 0.2);
        near(r->recoverable_new[y], 0.1);
        near(r->eol[Y + y], eol2[y]); /* tiny2: (s = 1) x 1 metal x Y years + y */
        near(r->p_stock[Y + y], y < 2 ? 10.0 * (y + 1) : 30.0);
    }
    /* 2022: capacity binds */
    double f = 0.25 / 0.32;
    near(r->recovered[2], 0.25);
    near(r->gap[2], 0.07);
    near(r->recovered_eol[2] + r->recovered_new[2], 0.3 * f);
    near(r->recovered_eol[Y + 2], 0.02 * f);
    near(r->eol_rir[2], 0.22 * f / 10);
    near(r->recycled_content[2], 0.025);
    double v;
    assert_true(rmct_mfa_eol_rir(r, "Co", 2022, &v));
    near(v, 0.0171875);
    assert_true(rmct_mfa_recovered(r, "Co", 2021, &v));
    near(v, 0.21);
    assert_false(rmct_mfa_eol_rir(r, "Co", 2031, &v));
    assert_false(rmct_mfa_eol_rir(r, "Nd", 2022, &v));
    /* the Sankey flows of 2022 (both systems): every node balances */
    rmct_mfa_flows fl;
    assert_true(rmct_mfa_year_flows(r, -1, m, 2022, &fl));
    near(fl.inflow, 1.03);
    near(fl.eol, 1.02);
    near(fl.stock_change, 0.01);
    near(fl.collected + fl.not_collected, fl.eol);
    near(fl.recovery_feed, fl.collected - fl.preprocessing_loss + fl.new_scrap);
    near(fl.recovered + fl.recovery_loss + fl.beyond_capacity, fl.recovery_feed);
    near(fl.recovered, 0.25);
    /* 2020 of tiny: the initial stock's metal (0.5 t) makes the stock change 1.0 t */
    assert_true(rmct_mfa_year_flows(r, 0, m, 2020, &fl));
    near(fl.stock_change, 1.0);
    rmct_mfa_result_free(r);

    /* what-if: capacity doubling every year from 2020 no longer binds in 2022; collection 1 */
    rmct_mfa_whatif wi = {1.0, 1.0, NAN};
    ok(rmct_mfa_run(t.s, 2, t.nat, &wi, &r, &err), &err);
    near(r->recoverable_eol[2], 1 * 0.8 * 0.5 * 1.0);
    near(r->capacity[2], 1.0);
    near(r->recovered[2], 0.4 + 0.1 + 0.02);
    rmct_mfa_result_free(r);
    wi = (rmct_mfa_whatif){1.5, NAN, NAN};
    assert_int_equal(rmct_mfa_run(t.s, 2, t.nat, &wi, &r, &err), RMCT_E_ARG);
    free_tiny(&t);
}

/* The bundled systems: metal in minus metal out equals the change of metal in use, for every
 * system, metal and year; recovered never above capacity; every Sankey node balances. */
static void test_bundled_balances(void **state)
{
    (void)state;
    char **paths;
    int np;
    rmct_error err;
    rmct_error_clear(&err);
    ok(rmct_mfa_system_list(RMCT_DATADIR "/mfa/systems", &paths, &np, &err), &err);
    assert_true(np >= 4);
    rmct_mfa_system *s[16];
    for (int i = 0; i < np; i++) ok(rmct_mfa_system_load(paths[i], &s[i], &err), &err);
    rmct_chain_list_free(paths, np);
    rmct_mfa_national *nat;
    ok(rmct_mfa_national_load(RMCT_DATADIR "/mfa/korea.json", &nat, &err), &err);
    /* chain demands are not resolved here: no demand, no EoL-RIR, everything else runs */
    rmct_mfa_result *r;
    ok(rmct_mfa_run(s, np, nat, NULL, &r, &err), &err);
    int M = r->n_metals, Y = r->n_years;
    assert_true(M >= 8);
    for (int si = 0; si < np; si++)
        for (int m = 0; m < M; m++)
            for (int y = 1; y < Y; y++) {
                size_t i = ((size_t)si * M + m) * Y + y;
                if (r->first_year + y <= s[si]->first_year) continue;
                double d = r->in_use[i] - r->in_use[i - 1], bal = r->inflow[i] - r->eol[i];
                if (!(fabs(d - bal) <= 1e-9 * fmax(1, r->in_use[i]))) fail_msg("%s %s %d: stock change %g, in - out %g", s[si]->name, r->metals[m], r->first_year + y, d, bal);
                assert_true(r->collected[i] <= r->eol[i] + 1e-12 && r->recovered_eol[i] <= r->recoverable_eol[i] + 1e-12);
            }
    for (int m = 0; m < M; m++)
        for (int y = 0; y < Y; y++) {
            size_t j = (size_t)m * Y + y;
            if (!isnan(r->capacity[j])) assert_true(r->recovered[j] <= r->capacity[j] + 1e-9);
            else assert_true(r->recovered[j] == 0);
            rmct_mfa_flows f;
            assert_true(rmct_mfa_year_flows(r, -1, m, r->first_year + y, &f));
            double tol = 1e-9 * fmax(1, f.in_use);
            assert_true(fabs(f.inflow - f.eol - f.stock_change) <= tol);
            assert_true(fabs(f.collected + f.not_collected - f.eol) <= tol);
            assert_true(fabs(f.recovered + f.recovery_loss + f.beyond_capacity - f.recovery_feed) <= tol);
        }
    rmct_mfa_result_free(r);
    for (int i = 0; i < np; i++) rmct_mfa_system_free(s[i]);
    rmct_mfa_national_free(nat);
}

/* A copy of tiny.json with one replacement must fail with this message. */
static void bad_system(const char *from, const char *to, const char *needle)
{
    FILE *fp = fopen(FIX "systems/tiny.json", "r");
    assert_non_null(fp);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = 0;
    char *at = strstr(buf, from);
    if (!at) fail_msg("fixture lacks \"%s\"", from);
    static char out[9000];
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - buf), buf, to, at + strlen(from));
    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/rmct-mfa-bad-%d.json", tmp && *tmp ? tmp : "/tmp", (int)getpid());
    fp = fopen(path, "w");
    fputs(out, fp);
    fclose(fp);
    rmct_mfa_system *s;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_code rc = rmct_mfa_system_load(path, &s, &err);
    remove(path);
    if (rc == RMCT_OK) {
        rmct_mfa_system_free(s);
        fail_msg("accepted a file with \"%s\"", to);
    }
    if (!strstr(err.msg, needle)) fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
    assert_non_null(strstr(err.file, "rmct-mfa-bad-"));
}

static void test_bad_files(void **state)
{
    (void)state;
    bad_system("\"value\": 2, \"unit\": \"years\"", "\"value\": -2, \"unit\": \"years\"",
               "lifetime.lifetime.value: expected a number from 0 to 1000, got -2");
    bad_system("{\"type\": \"fixed\", \"lifetime\":", "{\"type\": \"normal\", \"mean\":", "lifetime.sd: expected a parameter object, got nothing");
    bad_system("\"share\": {\"value\": 1,", "\"share\": {\"value\": 0.7,", "variants: expected shares summing to 1 in every year, got 0.7 in 2019");
    bad_system("\"recovery\": {\"Co\"", "\"recovery\": {\"Ni\"", "recycling.recovery: expected metals of the variants' content, got \"Ni\"");
    bad_system("{\"year\": 2024, \"value\": 100", "{\"year\": 2019, \"value\": 100", "series.points[1].year: expected years in increasing order, got 2019 after 2020");
    bad_system("\"year\": 2019, \"value\": 50", "\"year\": 2018, \"value\": 50",
               "initial_stock.cohorts[0].year: expected consecutive cohorts ending the year before first_year 2020, so 2019 here, got 2018");
    bad_system("\"value\": 50, \"source\": \"test fixture\"", "\"value\": -50, \"source\": \"test fixture\"",
               "initial_stock.cohorts[0].value: expected a number from 0 to 1e+15, got -50");
    bad_system("\"model\": \"inflow\"", "\"modell\": \"inflow\"", "\"modell\": unknown field");
    bad_system("{\"value\": 0.5, \"source\": \"test fixture\"}", "{\"value\": 0.5}", "expected exactly one of \"source\"");
    bad_system("\"collection\": {\"value\": 0.5", "\"collection\": {\"value\": 1.5", "recycling.collection.value: expected a number from 0 to 1, got 1.5");
    bad_system("\"Co\": {\"value\": 10,", "\"cobalt\": {\"value\": 10,", "expected element symbols as keys (Co, Nd), got \"cobalt\"");
    bad_system("\"last_year\": 2024", "\"last_year\": 2010", "last_year: expected a year >= first_year 2020, got 2010");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_checked),
        cmocka_unit_test(test_bundled_balances),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
