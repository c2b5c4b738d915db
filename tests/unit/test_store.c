/* test_store.c: unit tests for the store and what sits on it (lib/store.h, ingest.h, registry.h,
 * supply.h), against a temporary database: schema migrations, loading the bundled data (and
 * loading it again, which changes nothing), metal and country name resolution, the tungsten
 * production series of data/production.csv, the 35-type overview, and the import rules: a failed
 * import stores nothing, the same file twice is 'unchanged', and a different file under the same
 * name is a conflict unless replace is asked for.
 *
 * All tests share one database, created and loaded by the group setup; the import tests use
 * years (2001-2003) that the bundled data does not have, so they cannot disturb the others. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"
#include "registry.h"
#include "store.h"
#include "supply.h"

#define GENERIC_HEADER "metal,stage,country,year,value,unit,source\n"

typedef struct {
    char dir[64];                                    /* temporary directory holding everything */
    rmct_db *db;
    rmct_code init_rc;                               /* the first rmct_init_bundled */
    rmct_error init_err;
    rmct_import_result init_res[RMCT_BUNDLED_COUNT];
} world;

/* assert_near: cmocka 1.1 has only a float version; |a - b| <= eps, reported at the caller's line. */
#define assert_near(a, b, eps) assert_near_at((a), (b), (eps), #a, __FILE__, __LINE__)
static void assert_near_at(double a, double b, double eps, const char *expr, const char *file, int line)
{
    if (fabs(a - b) <= eps) return; /* also false for NaN */
    print_error("%s = %.17g, expected %.17g (tolerance %g)\n", expr, a, b, eps);
    _fail(file, line);
}

/* A library call that must succeed; on failure the error message is shown. */
#define assert_ok(call, err) assert_ok_at((call), (err), #call, __FILE__, __LINE__)
static void assert_ok_at(rmct_code rc, const rmct_error *err, const char *expr, const char *file, int line)
{
    if (rc == RMCT_OK) return;
    print_error("%s returned %d: %s\n", expr, (int)rc, err->msg);
    _fail(file, line);
}

/* Remove a directory tree (the test directory holds files and one level of subdirectories). */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) remove_tree(p);
        else unlink(p);
    }
    closedir(d);
    rmdir(path);
}

static int group_setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    if (!w) return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(w->dir, sizeof w->dir, "%s/rmct-store-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(w->dir)) {
        free(w);
        return -1;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/test.db", w->dir);
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_db_open(&w->db, path, true, &err) != RMCT_OK) {
        fprintf(stderr, "rmct_db_open: %s\n", err.msg);
        remove_tree(w->dir);
        free(w);
        return -1;
    }
    /* checked by test_init_bundled_loads, so that a failure shows as a failed test */
    rmct_error_clear(&w->init_err);
    w->init_rc = rmct_init_bundled(w->db, RMCT_DATADIR, NULL, w->init_res, &w->init_err);
    *state = w;
    return 0;
}

static int group_teardown(void **state)
{
    world *w = *state;
    rmct_db_close(w->db);
    remove_tree(w->dir);
    free(w);
    return 0;
}

/* Write text to dir/sub/name (sub may be NULL) and return the path in buf. */
static const char *write_file(const world *w, const char *sub, const char *name, const char *text, char *buf,
                              size_t size)
{
    if (sub) {
        snprintf(buf, size, "%s/%s", w->dir, sub);
        mkdir(buf, 0700);
        snprintf(buf, size, "%s/%s/%s", w->dir, sub, name);
    } else {
        snprintf(buf, size, "%s/%s", w->dir, name);
    }
    FILE *fp = fopen(buf, "wb");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

/* The single integer a query returns. */
static long long query_int(const world *w, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(rmct_db_sqlite(w->db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static long long sources(const world *w) { return query_int(w, "SELECT count(*) FROM source"); }
static long long supply_rows(const world *w) { return query_int(w, "SELECT count(*) FROM supply_stat"); }

/* ---- schema and bundled data ---- */

static void test_migrations_fresh_db(void **state)
{
    world *w = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/fresh.db", w->dir);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_db *db;
    assert_ok(rmct_db_open(&db, path, true, &err), &err);
    assert_true(rmct_db_schema_latest() >= 1);
    assert_int_equal(rmct_db_schema_version(db), rmct_db_schema_latest());
    assert_string_equal(rmct_db_path(db), path);
    assert_false(rmct_registry_loaded(db)); /* schema only, no data yet */
    rmct_db_close(db);

    assert_ok(rmct_db_open(&db, path, false, &err), &err); /* reopening applies nothing new */
    assert_int_equal(rmct_db_schema_version(db), rmct_db_schema_latest());
    rmct_db_close(db);
}

static void test_open_missing_without_create(void **state)
{
    world *w = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/missing.db", w->dir);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_db *db = NULL;
    assert_int_equal(rmct_db_open(&db, path, false, &err), RMCT_E_NOTFOUND);
    assert_null(db);
    assert_int_equal(access(path, F_OK), -1); /* and no file was created */
}

static void test_init_bundled_loads(void **state)
{
    world *w = *state;
    assert_ok(w->init_rc, &w->init_err);
    assert_int_equal(rmct_db_schema_version(w->db), rmct_db_schema_latest());
    assert_true(rmct_registry_loaded(w->db));
    const rmct_bundled_file *files = rmct_bundled_files();
    for (size_t i = 0; i < RMCT_BUNDLED_COUNT; i++) {
        const rmct_import_result *r = &w->init_res[i];
        assert_non_null(files[i].file);
        assert_string_equal(r->format, files[i].format);
        assert_false(r->unchanged);
        assert_true(r->source_id > 0);
        if (r->rows <= 0) fail_msg("%s stored no rows", r->file);
    }
    assert_null(files[RMCT_BUNDLED_COUNT].file);
    assert_int_equal(sources(w), RMCT_BUNDLED_COUNT);
}

static void test_init_bundled_again_unchanged(void **state)
{
    world *w = *state;
    long long n_sources = sources(w), n_rows = supply_rows(w);
    rmct_import_result res[RMCT_BUNDLED_COUNT];
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_init_bundled(w->db, RMCT_DATADIR, NULL, res, &err), &err);
    for (size_t i = 0; i < RMCT_BUNDLED_COUNT; i++) {
        if (!res[i].unchanged) fail_msg("%s was loaded again", res[i].file);
        assert_int_equal(res[i].source_id, w->init_res[i].source_id);
        assert_int_equal(res[i].rows, w->init_res[i].rows);
    }
    assert_int_equal(sources(w), n_sources);
    assert_int_equal(supply_rows(w), n_rows);
}

/* ---- names ---- */

static void test_metal_resolve(void **state)
{
    world *w = *state;
    static const struct {
        const char *text, *type, *element;
    } cases[] = {
        {"w", "W", "W"},         {"Tungsten", "W", "W"},   {"REE", "REE", ""}, {"rare earths", "REE", ""},
        {"Nd", "REE", "Nd"},     {"pgm", "PGM", ""},       {"columbium", "Nb", "Nb"},
        {"  tungsten ", "W", "W"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rmct_metal m;
        rmct_error err;
        rmct_error_clear(&err);
        if (rmct_metal_resolve(w->db, cases[i].text, &m, &err) != RMCT_OK)
            fail_msg("\"%s\": %s", cases[i].text, err.msg);
        if (strcmp(m.type_code, cases[i].type) || strcmp(m.element, cases[i].element))
            fail_msg("\"%s\" resolved to type \"%s\" element \"%s\", expected \"%s\" \"%s\"", cases[i].text,
                     m.type_code, m.element, cases[i].type, cases[i].element);
        assert_true(m.name[0] != '\0');
    }
}

static void test_metal_resolve_unknown(void **state)
{
    world *w = *state;
    rmct_metal m;
    rmct_error err;
    rmct_error_clear(&err);
    assert_int_equal(rmct_metal_resolve(w->db, "unobtainium", &m, &err), RMCT_E_NOTFOUND);
    assert_int_equal(err.code, RMCT_E_NOTFOUND);
    assert_non_null(strstr(err.msg, "\"unobtainium\""));
}

static void test_country_resolve(void **state)
{
    world *w = *state;
    static const struct {
        const char *text, *iso3;
    } cases[] = {
        {"KOR", "KOR"}, {"KR", "KOR"}, {"kor", "KOR"}, {"410", "KOR"}, {"Korea, Republic of", "KOR"},
        {"Congo (Kinshasa)", "COD"}, {"842", "USA"}, {"840", "USA"}, {"Burma", "MMR"}, {"China", "CHN"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char iso3[4] = "";
        rmct_error err;
        rmct_error_clear(&err);
        if (rmct_country_resolve(w->db, cases[i].text, iso3, &err) != RMCT_OK)
            fail_msg("\"%s\": %s", cases[i].text, err.msg);
        if (strcmp(iso3, cases[i].iso3))
            fail_msg("\"%s\" resolved to \"%s\", expected \"%s\"", cases[i].text, iso3, cases[i].iso3);
    }
}

static void test_country_resolve_errors(void **state)
{
    world *w = *state;
    char iso3[4];
    rmct_error err;
    rmct_error_clear(&err);
    assert_int_equal(rmct_country_resolve(w->db, "0", iso3, &err), RMCT_E_NOTFOUND); /* Comtrade 'World' */
    assert_non_null(strstr(err.msg, "Comtrade area"));
    assert_string_equal(iso3, "");
    rmct_error_clear(&err);
    assert_int_equal(rmct_country_resolve(w->db, "Atlantis", iso3, &err), RMCT_E_NOTFOUND);
    assert_non_null(strstr(err.msg, "\"Atlantis\""));
}

/* ---- supply ---- */

static void test_series_tungsten_2025(void **state)
{
    world *w = *state;
    /* data/production.csv, Tungsten 2025: the twelve country rows sum to 82,740 t (China 67,000)
     * and 'Other countries' adds 2,400: the shares are of 85,140 t */
    rmct_series_query q = {"W", NULL, "production", "mine", 2025, NULL};
    rmct_series *s;
    size_t n;
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_series_load(w->db, &q, &s, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(s[0].element, "W");
    assert_int_equal(s[0].year, 2025);
    assert_near(s[0].denominator, 85140, 1e-9);
    assert_true(s[0].has_other);
    assert_near(s[0].other_tonnes, 2400, 1e-9);
    assert_true(s[0].has_world);
    assert_near(s[0].world_tonnes, 85000, 1e-9); /* as published, rounded */
    assert_int_equal(s[0].n, 12);
    assert_string_equal(s[0].entries[0].iso3, "CHN"); /* largest first */
    assert_near(s[0].entries[0].tonnes, 67000, 1e-9);
    assert_near(s[0].entries[0].share, 67000.0 / 85140.0, 1e-12);
    assert_int_equal(s[0].conc.top, 0);
    assert_near(s[0].conc.cr1, 67000.0 / 85140.0, 1e-12);
    assert_near(s[0].conc.hhi, 6234.36, 0.01);
    assert_int_equal(s[0].conc.n, 11); /* the United States produced 0 */
    rmct_series_free(s, n);
}

static void test_supply_overview(void **state)
{
    world *w = *state;
    rmct_overview_query q = {0, NULL, NULL, true};
    rmct_overview_row *rows;
    size_t n;
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_supply_overview(w->db, &q, &rows, &n, &err), &err);
    assert_int_equal(n, 35);
    for (size_t i = 0; i < n; i++) {
        bool none = !strcmp(rows[i].code, "Cs") || !strcmp(rows[i].code, "Tl");
        if (rows[i].has_data == none)
            fail_msg("%s: has_data is %d", rows[i].code, rows[i].has_data);
        if (!strcmp(rows[i].code, "W")) {
            assert_string_equal(rows[i].top_iso3, "CHN");
            assert_near(rows[i].headline.conc.hhi, 6234.36, 0.01);
        }
    }
    free(rows);
}

/* ---- imports ---- */

static void test_failed_import_changes_nothing(void **state)
{
    world *w = *state;
    char bad[256], good[256];
    write_file(w, NULL, "negative.csv", GENERIC_HEADER "Sb,mine,China,2001,60000,t,unit test\n"
               "Sb,mine,Chile,2001,-5,t,unit test\n", bad, sizeof bad);
    write_file(w, NULL, "fine.csv", GENERIC_HEADER "Sb,mine,Chile,2001,5,t,unit test\n", good, sizeof good);
    long long n_sources = sources(w), n_rows = supply_rows(w);

    rmct_error err;
    rmct_error_clear(&err);
    const char *one[] = {bad};
    assert_int_equal(rmct_import(w->db, "generic", one, 1, NULL, NULL, &err), RMCT_E_INPUT);
    assert_string_equal(err.file, bad);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "value");
    assert_int_equal(sources(w), n_sources);
    assert_int_equal(supply_rows(w), n_rows);

    /* one transaction for all files: the good file before the bad one is not kept either */
    rmct_error_clear(&err);
    const char *two[] = {good, bad};
    rmct_import_result res[2];
    assert_int_equal(rmct_import(w->db, "generic", two, 2, NULL, res, &err), RMCT_E_INPUT);
    assert_int_equal(sources(w), n_sources);
    assert_int_equal(supply_rows(w), n_rows);
}

static void test_import_twice_unchanged(void **state)
{
    world *w = *state;
    char path[256];
    write_file(w, NULL, "twice.csv", GENERIC_HEADER "Sb,mine,China,2002,60000,t,unit test\n"
               "Sb,mine,Chile,2002,3000,t,unit test\n", path, sizeof path);
    const char *paths[] = {path};
    rmct_import_result res;
    rmct_error err;
    rmct_error_clear(&err);
    long long n_sources = sources(w), n_rows = supply_rows(w);
    assert_ok(rmct_import(w->db, "generic", paths, 1, NULL, &res, &err), &err);
    assert_false(res.unchanged);
    assert_int_equal(res.rows, 2);
    assert_int_equal(sources(w), n_sources + 1);
    assert_int_equal(supply_rows(w), n_rows + 2);
    int64_t first = res.source_id;

    /* the imported rows are what the supply queries see */
    rmct_series_query q = {"Sb", NULL, "production", "mine", 2002, NULL};
    rmct_series *s;
    size_t n;
    assert_ok(rmct_series_load(w->db, &q, &s, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].source_id, first);
    assert_near(s[0].entries[0].share, 60000.0 / 63000.0, 1e-12);
    rmct_series_free(s, n);

    assert_ok(rmct_import(w->db, "generic", paths, 1, NULL, &res, &err), &err);
    assert_true(res.unchanged);
    assert_int_equal(res.source_id, first);
    assert_int_equal(sources(w), n_sources + 1);
    assert_int_equal(supply_rows(w), n_rows + 2);
}

static void test_same_name_conflict_and_replace(void **state)
{
    world *w = *state;
    char old_path[256], new_path[256];
    write_file(w, "a", "same.csv", GENERIC_HEADER "Mo,mine,China,2003,1000,t,first\n"
               "Mo,mine,Chile,2003,500,t,first\n", old_path, sizeof old_path);
    write_file(w, "b", "same.csv", GENERIC_HEADER "Mo,mine,China,2003,2000,t,second\n", new_path, sizeof new_path);
    rmct_import_result res;
    rmct_error err;
    rmct_error_clear(&err);
    const char *old_paths[] = {old_path}, *new_paths[] = {new_path};
    assert_ok(rmct_import(w->db, "generic", old_paths, 1, NULL, &res, &err), &err);
    int64_t old_id = res.source_id;
    rmct_source old;
    assert_ok(rmct_source_get(w->db, old_id, &old, &err), &err);
    long long n_sources = sources(w), n_rows = supply_rows(w);

    assert_int_equal(rmct_import(w->db, "generic", new_paths, 1, NULL, &res, &err), RMCT_E_CONFLICT);
    assert_int_equal(err.code, RMCT_E_CONFLICT);
    assert_non_null(strstr(err.msg, "same.csv"));
    assert_int_equal(sources(w), n_sources);
    assert_int_equal(supply_rows(w), n_rows);

    rmct_import_opts opts = {0};
    opts.replace = true;
    rmct_error_clear(&err);
    assert_ok(rmct_import(w->db, "generic", new_paths, 1, &opts, &res, &err), &err);
    assert_false(res.unchanged);
    assert_int_equal(res.replaced_source, old_id);
    assert_int_equal(res.rows, 1);
    /* the old source and its rows are gone (SQLite may give the new source the freed id) */
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM source WHERE sha256 = '%s'", old.sha256);
    assert_int_equal(query_int(w, sql), 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM supply_stat WHERE source_id = %lld", (long long)res.source_id);
    assert_int_equal(query_int(w, sql), 1);
    assert_int_equal(query_int(w, "SELECT count(*) FROM supply_stat WHERE type_code = 'Mo' AND year = 2003"), 1);
    assert_int_equal(query_int(w, "SELECT value FROM supply_stat WHERE type_code = 'Mo' AND year = 2003"), 2000);
    assert_int_equal(sources(w), n_sources);
    assert_int_equal(supply_rows(w), n_rows - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrations_fresh_db),
        cmocka_unit_test(test_open_missing_without_create),
        cmocka_unit_test(test_init_bundled_loads),
        cmocka_unit_test(test_init_bundled_again_unchanged),
        cmocka_unit_test(test_metal_resolve),
        cmocka_unit_test(test_metal_resolve_unknown),
        cmocka_unit_test(test_country_resolve),
        cmocka_unit_test(test_country_resolve_errors),
        cmocka_unit_test(test_series_tungsten_2025),
        cmocka_unit_test(test_supply_overview),
        cmocka_unit_test(test_failed_import_changes_nothing),
        cmocka_unit_test(test_import_twice_unchanged),
        cmocka_unit_test(test_same_name_conflict_and_replace),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
