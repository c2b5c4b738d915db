/* test_auth.c: users, sessions, API tokens and the audit log of the HTTP server (lib/auth.h) on a
 * fresh database: names, roles and password rules; Argon2id hashes (never the password); verifying
 * right, wrong and unknown; sessions that expire, end with a password change or a disabled user;
 * tokens stored as their SHA-256 and revoked; the audit log that cannot be changed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "auth.h"
#include "store.h"

typedef struct {
    char path[64];
    rmct_db *db;
} world;

static void ok(rmct_code rc, const rmct_error *err)
{
    if (rc) fail_msg("%s", err->msg);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    snprintf(w->path, sizeof w->path, "/tmp/rmct-auth-XXXXXX");
    int fd = mkstemp(w->path);
    if (fd < 0) return -1;
    close(fd);
    unlink(w->path);
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_db_open(&w->db, w->path, true, &err)) return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    rmct_db_close(w->db);
    char p[80];
    unlink(w->path);
    snprintf(p, sizeof p, "%s-wal", w->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", w->path);
    unlink(p);
    free(w);
    return 0;
}

static long count(rmct_db *db, const char *sql)
{
    sqlite3_stmt *st;
    rmct_error err;
    if (rmct_db_prepare(db, &st, sql, &err)) fail_msg("%s", err.msg);
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

static void test_roles_and_names(void **state)
{
    (void)state;
    rmct_role r;
    const char *names[] = {"viewer", "analyst", "stock-keeper", "admin"};
    for (int i = 0; i < 4; i++) {
        assert_true(rmct_role_parse(names[i], &r));
        assert_int_equal(r, RMCT_ROLE_VIEWER + i);
        assert_string_equal(rmct_role_name(r), names[i]);
    }
    assert_false(rmct_role_parse("public", &r));
    assert_false(rmct_role_parse("Admin", &r));
    assert_true(RMCT_ROLE_VIEWER < RMCT_ROLE_ANALYST && RMCT_ROLE_ANALYST < RMCT_ROLE_STOCK_KEEPER &&
                RMCT_ROLE_STOCK_KEEPER < RMCT_ROLE_ADMIN);
    assert_true(rmct_user_name_valid("kim.s-1_a"));
    assert_false(rmct_user_name_valid(""));
    assert_false(rmct_user_name_valid("a b"));
    assert_false(rmct_user_name_valid("a/b"));
    char long_name[80];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    assert_false(rmct_user_name_valid(long_name));
    char pw[32];
    rmct_password_generate(pw, sizeof pw);
    assert_int_equal(strlen(pw), 20);
}

static void test_users(void **state)
{
    world *w = *state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user u;
    ok(rmct_user_add(w->db, "ann", RMCT_ROLE_ANALYST, "correct horse battery", "test", &u, &err), &err);
    assert_string_equal(u.name, "ann");
    assert_int_equal(u.role, RMCT_ROLE_ANALYST);
    /* the hash is Argon2id and the password is nowhere in the database */
    assert_int_equal(count(w->db, "SELECT count(*) FROM app_user WHERE password_hash LIKE '$argon2id$%'"), 1);
    assert_int_equal(count(w->db, "SELECT count(*) FROM app_user WHERE password_hash LIKE '%horse%'"), 0);
    /* names are unique without regard to case; bad names, roles and passwords say which field */
    assert_int_equal(rmct_user_add(w->db, "ANN", RMCT_ROLE_VIEWER, "another password", "test", &u, &err), RMCT_E_CONFLICT);
    rmct_error_clear(&err);
    assert_int_equal(rmct_user_add(w->db, "a b", RMCT_ROLE_VIEWER, "another password", "test", &u, &err), RMCT_E_ARG);
    assert_string_equal(err.field, "name");
    rmct_error_clear(&err);
    assert_int_equal(rmct_user_add(w->db, "bob", RMCT_ROLE_PUBLIC, "another password", "test", &u, &err), RMCT_E_ARG);
    assert_string_equal(err.field, "role");
    rmct_error_clear(&err);
    assert_int_equal(rmct_user_add(w->db, "bob", RMCT_ROLE_VIEWER, "short", "test", &u, &err), RMCT_E_ARG);
    assert_string_equal(err.field, "password");
    /* verifying */
    bool good;
    rmct_error_clear(&err);
    ok(rmct_user_verify(w->db, "ann", "correct horse battery", &u, &good, &err), &err);
    assert_true(good);
    ok(rmct_user_verify(w->db, "ann", "wrong horse battery", &u, &good, &err), &err);
    assert_false(good);
    ok(rmct_user_verify(w->db, "nobody", "correct horse battery", &u, &good, &err), &err);
    assert_false(good);
    /* role and password changes; a disabled user cannot log in */
    rmct_role viewer = RMCT_ROLE_VIEWER;
    ok(rmct_user_update(w->db, "ann", &viewer, "a new password", -1, &u, &err), &err);
    assert_int_equal(u.role, RMCT_ROLE_VIEWER);
    ok(rmct_user_verify(w->db, "ann", "correct horse battery", &u, &good, &err), &err);
    assert_false(good);
    ok(rmct_user_verify(w->db, "ann", "a new password", &u, &good, &err), &err);
    assert_true(good);
    ok(rmct_user_update(w->db, "ann", NULL, NULL, 1, &u, &err), &err);
    assert_true(u.disabled);
    ok(rmct_user_verify(w->db, "ann", "a new password", &u, &good, &err), &err);
    assert_false(good);
    ok(rmct_user_update(w->db, "ann", NULL, NULL, 0, &u, &err), &err);
    assert_int_equal(rmct_user_update(w->db, "nobody", &viewer, NULL, -1, &u, &err), RMCT_E_NOTFOUND);
    rmct_user *all;
    int n;
    rmct_error_clear(&err);
    ok(rmct_user_list(w->db, &all, &n, &err), &err);
    assert_int_equal(n, 1);
    free(all);
}

static void test_sessions_and_tokens(void **state)
{
    world *w = *state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user u, who;
    ok(rmct_user_add(w->db, "kim", RMCT_ROLE_STOCK_KEEPER, "kim's password", "test", &u, &err), &err);
    char sid[RMCT_SECRET_HEX + 1], csrf[RMCT_SECRET_HEX + 1], got[RMCT_SECRET_HEX + 1];
    ok(rmct_session_create(w->db, u.id, 1000, 3600, sid, csrf, &err), &err);
    assert_int_equal(strlen(sid), RMCT_SECRET_HEX);
    assert_string_not_equal(sid, csrf);
    bool found;
    ok(rmct_session_lookup(w->db, sid, 1001, &who, got, &found, &err), &err);
    assert_true(found);
    assert_string_equal(who.name, "kim");
    assert_string_equal(got, csrf);
    /* stored as its hash only */
    assert_int_equal(count(w->db, "SELECT count(*) FROM app_session"), 1);
    char q[200];
    snprintf(q, sizeof q, "SELECT count(*) FROM app_session WHERE id_sha256 = '%s'", sid);
    assert_int_equal(count(w->db, q), 0);
    /* expired, malformed, unknown */
    ok(rmct_session_lookup(w->db, sid, 1000 + 3600, &who, got, &found, &err), &err);
    assert_false(found);
    ok(rmct_session_lookup(w->db, "abc", 1001, &who, got, &found, &err), &err);
    assert_false(found);
    char other[RMCT_SECRET_HEX + 1];
    memcpy(other, sid, sizeof other);
    other[0] = other[0] == 'a' ? 'b' : 'a';
    ok(rmct_session_lookup(w->db, other, 1001, &who, got, &found, &err), &err);
    assert_false(found);
    /* a password change ends the sessions; so does disabling; purge removes the expired */
    ok(rmct_user_update(w->db, "kim", NULL, "kim's new password", -1, &u, &err), &err);
    ok(rmct_session_lookup(w->db, sid, 1001, &who, got, &found, &err), &err);
    assert_false(found);
    ok(rmct_session_create(w->db, u.id, 1000, 10, sid, csrf, &err), &err);
    ok(rmct_session_purge(w->db, 2000, &err), &err);
    assert_int_equal(count(w->db, "SELECT count(*) FROM app_session"), 0);
    ok(rmct_session_create(w->db, u.id, 1000, 3600, sid, csrf, &err), &err);
    ok(rmct_session_delete(w->db, sid, &err), &err);
    ok(rmct_session_lookup(w->db, sid, 1001, &who, got, &found, &err), &err);
    assert_false(found);

    /* tokens */
    char token[RMCT_TOKEN_LEN + 1];
    rmct_token_info info;
    ok(rmct_token_create(w->db, u.id, "script", token, &info, &err), &err);
    assert_int_equal(strlen(token), RMCT_TOKEN_LEN);
    assert_memory_equal(token, "rmct_", 5);
    assert_memory_equal(info.prefix, token, strlen(info.prefix));
    snprintf(q, sizeof q, "SELECT count(*) FROM api_token WHERE token_sha256 = '%s'", token + 5);
    assert_int_equal(count(w->db, q), 0);
    ok(rmct_token_lookup(w->db, token, &who, &found, &err), &err);
    assert_true(found);
    assert_string_equal(who.name, "kim");
    ok(rmct_token_lookup(w->db, "rmct_nothex", &who, &found, &err), &err);
    assert_false(found);
    assert_int_equal(rmct_token_revoke(w->db, info.id, u.id + 1, &err), RMCT_E_NOTFOUND);
    rmct_error_clear(&err);
    ok(rmct_token_revoke(w->db, info.id, u.id, &err), &err);
    ok(rmct_token_lookup(w->db, token, &who, &found, &err), &err);
    assert_false(found);
    rmct_token_info *list;
    int n;
    ok(rmct_token_list(w->db, u.id, &list, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_true(list[0].revoked);
    free(list);
    /* a disabled user's token stops working */
    ok(rmct_token_create(w->db, u.id, "script 2", token, &info, &err), &err);
    ok(rmct_user_update(w->db, "kim", NULL, NULL, 1, &u, &err), &err);
    ok(rmct_token_lookup(w->db, token, &who, &found, &err), &err);
    assert_false(found);
    assert_int_equal(rmct_token_create(w->db, u.id, "", token, &info, &err), RMCT_E_ARG);
}

static void test_audit(void **state)
{
    world *w = *state;
    rmct_error err;
    rmct_error_clear(&err);
    ok(rmct_audit_add(w->db, "kim", "POST /api/v1/stock/lots", "DY-1", 201, "127.0.0.1", "{\"lot\":\"DY-1\"}", &err), &err);
    ok(rmct_audit_add(w->db, "ann", "user add", "bob", 0, "cli", NULL, &err), &err);
    rmct_audit_entry *a;
    int n;
    ok(rmct_audit_list(w->db, 10, 0, &a, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_string_equal(a[0].actor, "ann");   /* newest first */
    assert_string_equal(a[0].detail, "{}");
    assert_string_equal(a[1].target, "DY-1");
    assert_int_equal(a[1].status, 201);
    int64_t newest = a[0].id;
    rmct_audit_free(a, n);
    ok(rmct_audit_list(w->db, 10, newest, &a, &n, &err), &err);
    assert_int_equal(n, 1);
    rmct_audit_free(a, n);
    /* the log cannot be changed or emptied */
    char *msg = NULL;
    assert_int_not_equal(sqlite3_exec(rmct_db_sqlite(w->db), "UPDATE audit_log SET actor = 'x'", NULL, NULL, &msg), SQLITE_OK);
    sqlite3_free(msg);
    msg = NULL;
    assert_int_not_equal(sqlite3_exec(rmct_db_sqlite(w->db), "DELETE FROM audit_log", NULL, NULL, &msg), SQLITE_OK);
    sqlite3_free(msg);
    assert_int_equal(count(w->db, "SELECT count(*) FROM audit_log"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_and_names),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_sessions_and_tokens),
        cmocka_unit_test(test_audit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
