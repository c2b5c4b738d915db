/* test_jobstore.c: the server's finished jobs in the database (lib/jobstore.h): stored and read
 * back newest first within the limit, the highest id known; a duplicate id, parameters that are
 * not JSON, or a done job without a result are refused and leave the table as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jobstore.h"

static void ok(rmct_code rc, const rmct_error *err)
{
    if (rc) fail_msg("%s", err->msg);
}

static rmct_jobrec job(int64_t id, const char *status, char *params, char *result)
{
    rmct_jobrec j;
    memset(&j, 0, sizeof j);
    j.id = id;
    strcpy(j.kind, "scenario-run");
    strcpy(j.owner, "ann");
    strcpy(j.status, status);
    j.created_at = 1000 + id, j.started_at = id == 2 ? 0 : 1001 + id, j.finished_at = 1002 + id;
    j.params = params;
    j.result = result;
    if (strcmp(status, "done")) strcpy(j.error_code, "cancelled"), strcpy(j.error_message, "cancelled by ann");
    return j;
}

static int count_rows(rmct_db *db)
{
    sqlite3_stmt *st;
    rmct_error err;
    ok(rmct_db_prepare(db, &st, "SELECT count(*) FROM server_job", &err), &err);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_store_and_read(void **state)
{
    (void)state;
    char dir[] = "/tmp/rmct-test-jobs-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/j.db", dir);
    rmct_db *db;
    rmct_error err;
    rmct_error_clear(&err);
    ok(rmct_db_open(&db, path, true, &err), &err);
    rmct_jobrec a = job(1, "done", "{\"runs\":10}", "{\"p\":[1,2]}"), b = job(2, "cancelled", "{\"runs\":20}", NULL);
    ok(rmct_jobrec_save(db, &a, &err), &err);
    ok(rmct_jobrec_save(db, &b, &err), &err);
    /* refused, nothing changed */
    rmct_jobrec dup = job(2, "failed", "{}", NULL), bad = job(3, "failed", "{not json", NULL), nores = job(4, "done", "{}", NULL);
    assert_int_equal(rmct_jobrec_save(db, &dup, &err), RMCT_E_DB);
    assert_int_equal(rmct_jobrec_save(db, &bad, &err), RMCT_E_DB);
    assert_int_equal(rmct_jobrec_save(db, &nores, &err), RMCT_E_DB);
    assert_int_equal(count_rows(db), 2);
    /* the newest first within the limit, oldest first in the array */
    rmct_jobrec *v;
    int n;
    int64_t max_id;
    ok(rmct_jobrec_load_recent(db, 1, &v, &n, &max_id, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(max_id, 2);
    assert_int_equal(v[0].id, 2);
    assert_string_equal(v[0].status, "cancelled");
    assert_int_equal(v[0].started_at, 0);
    assert_null(v[0].result);
    assert_string_equal(v[0].error_message, "cancelled by ann");
    rmct_jobrec_free_all(v, n);
    ok(rmct_jobrec_load_recent(db, 10, &v, &n, &max_id, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, 1);
    assert_string_equal(v[0].params, "{\"runs\":10}");
    assert_string_equal(v[0].result, "{\"p\":[1,2]}");
    assert_int_equal(v[0].created_at, 1001);
    assert_int_equal(v[0].started_at, 1002);
    assert_int_equal(v[0].finished_at, 1003);
    rmct_jobrec_free_all(v, n);
    rmct_db_close(db);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[96];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_store_and_read)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
