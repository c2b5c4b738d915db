/* test_auth.c: users, sessions, API tokens and the audit log of the HTTP server (lib/auth.h) on a
 * fresh database: names, roles and password rules; Argon2id hashes (never the password); verifying
 * right, wrong and unknown; sessions that expire, end with a password change or a disabled user;
 * tokens stored as their SHA-256 and revoked; company users and their company; the audit log that
 * cannot be changed. */
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
#include "migrations.h"
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
    const char *names[] = {"company", "viewer", "analyst", "stock-keeper", "admin"};
    for (int i = 0; i < 5; i++) {
        assert_true(rmct_role_parse(names[i], &r));
        assert_int_equal(r, RMCT_ROLE_COMPANY + i);
        assert_string_equal(rmct_role_name(r), names[i]);
    }
    assert_false(rmct_role_parse("public", &r));
    assert_false(rmct_role_parse("Admin", &r));
    assert_true(RMCT_ROLE_PUBLIC < RMCT_ROLE_COMPANY && RMCT_ROLE_COMPANY < RMCT_ROLE_VIEWER &&
                RMCT_ROLE_VIEWER < RMCT_ROLE_ANALYST && RMCT_ROLE_ANALYST < RMCT_ROLE_STOCK_KEEPER &&
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
    ok(rmct_user_add(w->db, "ann", RMCT_ROLE_ANALYST, NULL, "correct horse battery", "test", &u, &err), &err);
    assert_string_equal(u.name, "ann");
    assert_int_equal(u.role, RMCT_ROLE_ANALYST);
    /* the hash is Argon2id and the password is nowhere in the database */
    assert_int_equal(count(w->db, "SELECT count(*) FROM app_user WHERE password_hash LIKE '$argon2id$%'"), 1);
    assert_int_equal(count(w->db, "SELECT count(*) FROM app_user WHERE password_hash LIKE '%horse%'"), 0);
    /* names are unique without regard to case; bad names, roles and passwords say which field */
    assert_int_equal(rmct_user_add(w->db, "ANN", RMCT_ROLE_VIEWER, NULL, "another password", "test", &u, &err), RMCT_E_CONFLICT);
    rmct_error_clear(&err);
    assert_int_equal(rmct_user_add(w->db, "a b", RMCT_ROLE_VIEWER, NULL, "another password", "test", &u, &err), RMCT_E_ARG);
    assert_string_equal(err.field, "name");
    rmct_error_clear(&err);
    assert_int_equal(rmct_user_add(w->db, "bob", RMCT_ROLE_PUBLIC, NULL, "another password", "test", &u, &err), RMCT_E_ARG);
    assert_string_equal(err.field, "role");
    rmct_error_clear(&err);
    assert_int_equal(rmct_user_add(w->db, "bob", RMCT_ROLE_VIEWER, NULL, "short", "test", &u, &err), RMCT_E_ARG);
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
    ok(rmct_user_update(w->db, "ann", &viewer, NULL, "a new password", -1, &u, &err), &err);
    assert_int_equal(u.role, RMCT_ROLE_VIEWER);
    ok(rmct_user_verify(w->db, "ann", "correct horse battery", &u, &good, &err), &err);
    assert_false(good);
    ok(rmct_user_verify(w->db, "ann", "a new password", &u, &good, &err), &err);
    assert_true(good);
    ok(rmct_user_update(w->db, "ann", NULL, NULL, NULL, 1, &u, &err), &err);
    assert_true(u.disabled);
    ok(rmct_user_verify(w->db, "ann", "a new password", &u, &good, &err), &err);
    assert_false(good);
    ok(rmct_user_update(w->db, "ann", NULL, NULL, NULL, 0, &u, &err), &err);
    assert_int_equal(rmct_user_update(w->db, "nobody", &viewer, NULL, NULL, -1, &u, &err), RMCT_E_NOTFOUND);
    rmct_user *all;
    int n;
    rmct_error_clear(&err);
    ok(rmct_user_list(w->db, &all, &n, &err), &err);
    assert_int_equal(n, 1);
    free(all);
}

/* A company user belongs to one company of the survey's registry (sql/008_company_users.sql); no
 * other role has a company; a session or token of a company user carries its company. */
static void test_company_users(void **state)
{
    world *w = *state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user u;
    char *msg = NULL;
    /* two companies in the registry (valid check digits: 000-81-00052, 000-81-00028) */
    if (sqlite3_exec(rmct_db_sqlite(w->db), "INSERT INTO survey_company(brn, synthetic, recorded_by) VALUES ('0008100052', 1, 'test'),"
                                            " ('0008100028', 1, 'test')", NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s", msg);
    ok(rmct_user_add(w->db, "mia", RMCT_ROLE_COMPANY, "000-81-00052", "mia's password", "test", &u, &err), &err);
    assert_int_equal(u.role, RMCT_ROLE_COMPANY);
    assert_string_equal(u.company, "0008100052");
    /* the company is required, must be valid and registered, and only for the company role */
    const struct {
        rmct_role role;
        const char *company;
    } bad[] = {{RMCT_ROLE_COMPANY, NULL}, {RMCT_ROLE_COMPANY, "000-81-00053"}, {RMCT_ROLE_COMPANY, "123-45-67891"},
               {RMCT_ROLE_VIEWER, "000-81-00052"}, {RMCT_ROLE_ANALYST, "0008100028"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rmct_error_clear(&err);
        assert_int_equal(rmct_user_add(w->db, "bad", bad[i].role, bad[i].company, "bad's password", "test", &u, &err), RMCT_E_ARG);
        assert_string_equal(err.field, "company");
    }
    assert_int_equal(count(w->db, "SELECT count(*) FROM app_user WHERE name = 'bad'"), 0);
    /* the store refuses a company on another role, and a company user without one */
    assert_int_not_equal(sqlite3_exec(rmct_db_sqlite(w->db), "UPDATE app_user SET role = 'viewer' WHERE name = 'mia'", NULL, NULL, &msg),
                         SQLITE_OK);
    sqlite3_free(msg);
    msg = NULL;
    assert_int_not_equal(sqlite3_exec(rmct_db_sqlite(w->db), "UPDATE app_user SET company_brn = '0008100099' WHERE name = 'mia'", NULL,
                                      NULL, &msg),
                         SQLITE_OK);
    sqlite3_free(msg);
    /* its session and token carry the company */
    char sid[RMCT_SECRET_HEX + 1], csrf[RMCT_SECRET_HEX + 1], got[RMCT_SECRET_HEX + 1], token[RMCT_TOKEN_LEN + 1];
    bool found;
    rmct_error_clear(&err);
    ok(rmct_session_create(w->db, u.id, 1000, 60, sid, csrf, &err), &err);
    rmct_user s;
    ok(rmct_session_lookup(w->db, sid, 1001, &s, got, &found, &err), &err);
    assert_true(found);
    assert_string_equal(s.company, "0008100052");
    assert_string_equal(got, csrf);
    rmct_token_info ti;
    ok(rmct_token_create(w->db, u.id, "mia's script", token, &ti, &err), &err);
    ok(rmct_token_lookup(w->db, token, &s, &found, &err), &err);
    assert_true(found);
    assert_int_equal(s.role, RMCT_ROLE_COMPANY);
    assert_string_equal(s.company, "0008100052");
    /* moving to another company; another role drops the company; the company role needs one */
    ok(rmct_user_update(w->db, "mia", NULL, "0008100028", NULL, -1, &u, &err), &err);
    assert_string_equal(u.company, "0008100028");
    rmct_role viewer = RMCT_ROLE_VIEWER, company = RMCT_ROLE_COMPANY;
    ok(rmct_user_update(w->db, "mia", &viewer, NULL, NULL, -1, &u, &err), &err);
    assert_int_equal(u.role, RMCT_ROLE_VIEWER);
    assert_string_equal(u.company, "");
    assert_int_equal(rmct_user_update(w->db, "mia", &company, NULL, NULL, -1, &u, &err), RMCT_E_ARG);
    assert_string_equal(err.field, "company");
    rmct_error_clear(&err);
    assert_int_equal(rmct_user_update(w->db, "mia", &viewer, "0008100028", NULL, -1, &u, &err), RMCT_E_ARG);
    rmct_error_clear(&err);
    ok(rmct_user_update(w->db, "mia", &company, "000-81-00052", NULL, -1, &u, &err), &err);
    assert_int_equal(u.role, RMCT_ROLE_COMPANY);
    assert_string_equal(u.company, "0008100052");
    ok(rmct_user_get(w->db, "mia", &u, &err), &err);
    assert_string_equal(u.company, "0008100052");
    ok(rmct_session_delete(w->db, sid, &err), &err);
}

/* Migration 008 rebuilds app_user (a CHECK constraint cannot change in place): a database made by
 * migrations 001-007 keeps its users, their sessions and tokens, and their links. */
static void test_migration_keeps_users(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/rmct-auth-mig-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    char *msg = NULL;
#define EXEC(sql) if (sqlite3_exec(raw, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s", msg)
    EXEC("PRAGMA foreign_keys = ON; CREATE TABLE schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    for (const struct rmct_migration *m = rmct_migrations; m->version && m->version <= 7; m++) {
        EXEC(m->sql);
        char q[200];
        snprintf(q, sizeof q, "INSERT INTO schema_migration VALUES (%d, '%s', 'test')", m->version, m->name);
        EXEC(q);
    }
    EXEC("INSERT INTO app_user(id, name, role, password_hash, created_by) VALUES (7, 'old', 'analyst', '$argon2id$v=19$x', 'test');"
         "INSERT INTO app_session VALUES ('" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" "', 7,"
         " '" "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210" "', 1000, 99999999999);"
         "INSERT INTO api_token(user_id, name, token_sha256, prefix) VALUES (7, 'script',"
         " '" "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" "', 'rmct_0011');");
#undef EXEC
    sqlite3_close(raw);
    rmct_db *db;
    rmct_error err;
    rmct_error_clear(&err);
    ok(rmct_db_open(&db, path, false, &err), &err);
    assert_true(rmct_db_schema_version(db) >= 8);
    rmct_user u;
    ok(rmct_user_get(db, "old", &u, &err), &err);
    assert_int_equal(u.id, 7);
    assert_int_equal(u.role, RMCT_ROLE_ANALYST);
    assert_string_equal(u.company, "");
    assert_int_equal(count(db, "SELECT count(*) FROM app_session WHERE user_id = 7"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM api_token WHERE user_id = 7 AND name = 'script'"), 1);
    assert_int_equal(count(db, "PRAGMA foreign_key_check"), -1);
    rmct_db_close(db);
    unlink(path);
    char p[80];
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static void test_sessions_and_tokens(void **state)
{
    world *w = *state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user u, who;
    ok(rmct_user_add(w->db, "kim", RMCT_ROLE_STOCK_KEEPER, NULL, "kim's password", "test", &u, &err), &err);
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
    ok(rmct_user_update(w->db, "kim", NULL, NULL, "kim's new password", -1, &u, &err), &err);
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
    ok(rmct_user_update(w->db, "kim", NULL, NULL, NULL, 1, &u, &err), &err);
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
        cmocka_unit_test(test_company_users),
        cmocka_unit_test(test_migration_keeps_users),
        cmocka_unit_test(test_sessions_and_tokens),
        cmocka_unit_test(test_audit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
