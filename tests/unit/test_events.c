/* test_events.c: unit tests for the event register (lib/events.h) against a temporary database
 * loaded with the bundled data: partial dates, which events a metal filter and an --active date
 * select, and the counts the simulation engine derives disruption frequencies from.
 *
 * Every expected number was counted by hand in data/export_controls.csv (48 rows) and is explained
 * next to its assertion. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "ingest.h"
#include "store.h"

typedef struct {
    char dir[64];
    rmct_db *db;
} world;

#define assert_ok(call, err) assert_ok_at((call), (err), #call, __FILE__, __LINE__)
static void assert_ok_at(rmct_code rc, const rmct_error *err, const char *expr, const char *file, int line)
{
    if (rc == RMCT_OK) return;
    print_error("%s returned %d: %s\n", expr, (int)rc, err->msg);
    _fail(file, line);
}

static int group_setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    if (!w) return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(w->dir, sizeof w->dir, "%s/rmct-events-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(w->dir)) {
        free(w);
        return -1;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/test.db", w->dir);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_import_result res[RMCT_BUNDLED_COUNT];
    if (rmct_db_open(&w->db, path, true, &err) || rmct_init_bundled(w->db, RMCT_DATADIR, NULL, res, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    *state = w;
    return 0;
}

static int group_teardown(void **state)
{
    world *w = *state;
    char path[128];
    rmct_db_close(w->db);
    snprintf(path, sizeof path, "%s/test.db", w->dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/test.db-wal", w->dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/test.db-shm", w->dir);
    unlink(path);
    rmdir(w->dir);
    free(w);
    return 0;
}

static void test_date_range(void **state)
{
    (void)state;
    long a, b;
    assert_true(rmct_event_date_range("2023-07-03", false, &a, &b));
    assert_int_equal(a, 20230703);
    assert_int_equal(b, 20230703);
    /* a month covers the whole month, February of a leap year included */
    assert_true(rmct_event_date_range("2019-05", false, &a, &b));
    assert_int_equal(a, 20190501);
    assert_int_equal(b, 20190531);
    assert_true(rmct_event_date_range("2024-02", false, &a, &b));
    assert_int_equal(b, 20240229);
    assert_true(rmct_event_date_range("2024-02-29", false, &a, &b));
    /* a year only where asked for (query dates, not the register's) */
    assert_false(rmct_event_date_range("2024", false, &a, &b));
    assert_true(rmct_event_date_range("2024", true, &a, &b));
    assert_int_equal(a, 20240101);
    assert_int_equal(b, 20241231);
    const char *bad[] = {"", "2023-02-29", "2023-13", "2023-00", "2023-04-31", "2023-7-3", "20230703", "2023/07/03",
                         "1899-12", "2023-07-03T00", " 2023-07", "2023-07-", "abcd"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (rmct_event_date_range(bad[i], true, &a, &b)) fail_msg("accepted \"%s\"", bad[i]);
    }
}

static void test_measure_types(void **state)
{
    (void)state;
    const char *const *t = rmct_event_measure_types();
    int n = 0, restricting = 0;
    for (; t[n]; n++) restricting += rmct_event_restricts(t[n]);
    assert_int_equal(n, 8);
    assert_int_equal(restricting, 6);
    assert_true(rmct_event_restricts("tax"));
    assert_false(rmct_event_restricts("other"));
    assert_false(rmct_event_restricts("conflict_disruption"));
    assert_false(rmct_event_restricts("export_duty")); /* not a type of the register: duties are "tax" */
}

static size_t query_count(world *w, rmct_event_query q)
{
    rmct_event *v;
    size_t n;
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_events_query(w->db, &q, &v, &n, NULL, &err), &err);
    rmct_events_free(v, n);
    return n;
}

static void test_query_metals(void **state)
{
    world *w = *state;
    rmct_event_query q = {0};
    assert_int_equal(query_count(w, q), 48);
    /* REE: the 23 rows naming REE or a rare-earth element; Dy: the 20 naming REE as a whole plus
     * EC-CHN-016 and EC-CHN-021, which name Dy (EC-CHN-019 names Ho, Er, Tm, Eu, Yb only) */
    q.metal = "REE";
    assert_int_equal(query_count(w, q), 23);
    q.metal = "dysprosium";
    assert_int_equal(query_count(w, q), 22);
    /* graphite has no symbol: the 7 rows whose materials mention it */
    q.metal = "graphite";
    assert_int_equal(query_count(w, q), 7);
    /* Ga/Ge 2023: only EC-CHN-010 (effective 2023-08-01) */
    q.metal = "Ga";
    q.since = "2023";
    q.until = "2023";
    rmct_event *v;
    size_t n;
    rmct_event_resolved r;
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_events_query(w->db, &q, &v, &n, &r, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].event_id, "EC-CHN-010");
    assert_string_equal(v[0].announced, "2023-07-03");
    assert_string_equal(v[0].effective, "2023-08-01");
    assert_string_equal(v[0].ended, "");
    assert_int_equal(v[0].n_metals, 2);
    assert_string_equal(v[0].metals[1].element, "Ge");
    assert_int_equal(v[0].year, 2023);
    assert_string_equal(r.metal.element, "Ga");
    rmct_events_free(v, n);
}

static void test_query_active(void **state)
{
    world *w = *state;
    /* China, rare earths, in force during November 2025: EC-CHN-016 (Apr 2025, open), EC-CHN-012
     * (Dec 2023, open), EC-CHN-006 (2015 abolition, open), EC-CHN-021/022 (9 Oct to 7 Nov 2025),
     * EC-CHN-023 (7 Nov 2025 to 10 Nov 2026); not EC-CHN-018/019 (due 8 Nov, suspended 7 Nov: never
     * in force) nor EC-CHN-025 (no effective and no end date) */
    rmct_event_query q = {.country = "China", .metal = "REE", .active = "2025-11"};
    rmct_event *v;
    size_t n;
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_events_query(w->db, &q, &v, &n, NULL, &err), &err);
    const char *want[] = {"EC-CHN-006", "EC-CHN-012", "EC-CHN-016", "EC-CHN-021", "EC-CHN-022", "EC-CHN-023"};
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++) assert_string_equal(v[i].event_id, want[i]);
    rmct_events_free(v, n);
    /* a day after the suspension: EC-CHN-021/022 have ended */
    q.active = "2025-11-08";
    assert_int_equal(query_count(w, q), 4);
    /* no effective date but an end date: in force up to it (EC-CHN-008, duties to end-2012) */
    rmct_event_query q2 = {.metal = "Mg", .active = "2011"};
    assert_int_equal(query_count(w, q2), 1);
}

static void test_query_errors(void **state)
{
    world *w = *state;
    struct {
        rmct_event_query q;
        const char *field;
    } cases[] = {
        {{.country = "Atlantis"}, "country"},
        {{.metal = "unobtainium"}, "metal"},
        {{.measure_type = "export_duty"}, "measure_type"},
        {{.since = "2023-13"}, "since"},
        {{.until = "yesterday"}, "until"},
        {{.active = "2025-02-30"}, "active"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rmct_event *v = NULL;
        size_t n = 0;
        rmct_error err;
        rmct_error_clear(&err);
        assert_int_equal(rmct_events_query(w->db, &cases[i].q, &v, &n, NULL, &err), RMCT_E_ARG);
        assert_string_equal(err.field, cases[i].field);
        assert_null(v);
    }
}

static const rmct_event_count *find(const rmct_event_count *c, size_t n, const char *country, const char *metal)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(c[i].country, country) && !strcmp(c[i].metal, metal)) return &c[i];
    return NULL;
}

static void test_counts(void **state)
{
    world *w = *state;
    rmct_event_count *c;
    size_t n;
    rmct_event_window win;
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_event_counts(w->db, &c, &n, &win, &err), &err);
    /* the register: 48 events, the first announced May 2007 (EC-CHN-007), the last 25 Feb 2026 */
    assert_int_equal(win.events, 48);
    assert_int_equal(win.first_year, 2007);
    assert_int_equal(win.last_year, 2026);
    const rmct_event_count *x;
    /* China, REE (any rare earth): EC-CHN-001/002/004/005 quotas, 007 tax, 009 ban, 012
     * technology_ban, 016/018/019/021/022 licensing = 12; 006/023/025 are 'other' */
    assert_non_null(x = find(c, n, "CHN", "REE"));
    assert_int_equal(x->restrictions, 12);
    assert_int_equal(x->disruptions, 0);
    assert_int_equal(x->first_year, 2007);
    assert_int_equal(x->last_year, 2025);
    /* China, Dy: the 9 naming REE as a whole, and 016 and 021 naming Dy */
    assert_non_null(x = find(c, n, "CHN", "Dy"));
    assert_int_equal(x->restrictions, 11);
    assert_string_equal(x->type_code, "REE");
    /* China, Ga: EC-CHN-010 (2023), 014 (2024), 017 (2025); 024 and 025 are 'other' */
    assert_non_null(x = find(c, n, "CHN", "Ga"));
    assert_int_equal(x->restrictions, 3);
    assert_int_equal(x->first_year, 2023);
    assert_int_equal(x->last_year, 2025);
    /* DR Congo, Co: three suspensions and the quota, all 2025; Ta: the M23 capture of Rubaya */
    assert_non_null(x = find(c, n, "COD", "Co"));
    assert_int_equal(x->restrictions, 4);
    assert_int_equal(x->first_year, 2025);
    assert_non_null(x = find(c, n, "COD", "Ta"));
    assert_int_equal(x->restrictions, 0);
    assert_int_equal(x->disruptions, 1);
    /* Myanmar, REE: three conflict disruptions (MMR-005/006/007); border closures are 'other' */
    assert_non_null(x = find(c, n, "MMR", "REE"));
    assert_int_equal(x->restrictions, 0);
    assert_int_equal(x->disruptions, 3);
    /* Indonesia, Ni: the 2014 and 2020 bans (the latter announced Sep 2019); the 2017 relaxation is 'other' */
    assert_non_null(x = find(c, n, "IDN", "Ni"));
    assert_int_equal(x->restrictions, 2);
    assert_int_equal(x->last_year, 2019);
    /* Russia and South Africa have only proposals ('other'): no rows */
    assert_null(find(c, n, "RUS", "Ti"));
    assert_null(find(c, n, "ZAF", "Cr"));
    /* sorted by country, then metal */
    for (size_t i = 1; i < n; i++) {
        int o = strcmp(c[i - 1].country, c[i].country);
        assert_true(o < 0 || (o == 0 && strcmp(c[i - 1].metal, c[i].metal) < 0));
    }
    free(c);
}

static void test_count_for(void **state)
{
    world *w = *state;
    rmct_event_count c;
    rmct_event_window win;
    rmct_error err;
    rmct_error_clear(&err);
    /* Pr is never named: the 9 restrictions naming REE as a whole (the 12 above less 016, 019, 021) */
    assert_ok(rmct_event_count_for(w->db, "CHN", "Pr", &c, &win, &err), &err);
    assert_int_equal(c.restrictions, 9);
    assert_string_equal(c.metal, "Pr");
    assert_int_equal(win.first_year, 2007);
    /* graphite, a tag: EC-CHN-011, 014, 020 (023/024/025 are 'other'; NAM-001 is Namibia's) */
    assert_ok(rmct_event_count_for(w->db, "China", "graphite", &c, NULL, &err), &err);
    assert_int_equal(c.restrictions, 3);
    assert_string_equal(c.metal, "graphite");
    /* magnet: EC-CHN-012, 016, 018, 022 mention magnets in their materials */
    assert_ok(rmct_event_count_for(w->db, "CHN", "magnet", &c, NULL, &err), &err);
    assert_int_equal(c.restrictions, 4);
    /* a tag the register never mentions counts nothing, and is not an error */
    assert_ok(rmct_event_count_for(w->db, "CHN", "wind-turbine", &c, NULL, &err), &err);
    assert_int_equal(c.restrictions, 0);
    assert_int_equal(c.first_year, 0);
    /* Zimbabwe, lithium: 2022 ban, 2027 ban announced 2025, 2026 suspension */
    assert_ok(rmct_event_count_for(w->db, "ZWE", "lithium", &c, NULL, &err), &err);
    assert_int_equal(c.restrictions, 3);
    assert_int_equal(c.last_year, 2026);
    assert_int_equal(rmct_event_count_for(w->db, "Atlantis", "Li", &c, NULL, &err), RMCT_E_ARG);
    assert_string_equal(err.field, "country");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_range),
        cmocka_unit_test(test_measure_types),
        cmocka_unit_test(test_query_metals),
        cmocka_unit_test(test_query_active),
        cmocka_unit_test(test_query_errors),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_count_for),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
