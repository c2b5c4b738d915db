/* auth.c: users, sessions, API tokens and the audit log (see auth.h). */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"
#include "text.h"

static const char *const role_names[] = {"public", "company", "viewer", "analyst", "stock-keeper", "admin"};
#define ROLES_EXPECTED "expected a role: company, viewer, analyst, stock-keeper or admin"

const char *rmct_role_name(rmct_role r)
{
    return (int)r >= 0 && (size_t)r < sizeof role_names / sizeof *role_names ? role_names[r] : "unknown";
}

bool rmct_role_parse(const char *text, rmct_role *out)
{
    for (int r = RMCT_ROLE_COMPANY; r <= RMCT_ROLE_ADMIN; r++)
        if (text && strcmp(text, role_names[r]) == 0) {
            *out = (rmct_role)r;
            return true;
        }
    return false;
}

bool rmct_user_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > RMCT_NAME_MAX) return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static rmct_code sodium_ready(rmct_error *err)
{
    if (sodium_init() < 0) return rmct_error_set(err, RMCT_E_NOMEM, "libsodium could not be initialised");
    return RMCT_OK;
}

/* n random bytes as 2n hex characters. */
static void random_hex(char *out, size_t bytes)
{
    unsigned char buf[64];
    randombytes_buf(buf, bytes);
    sodium_bin2hex(out, bytes * 2 + 1, buf, bytes);
    sodium_memzero(buf, sizeof buf);
}

static void sha256_hex(const char *text, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(out, 65, h, sizeof h);
}

void rmct_password_generate(char *buf, size_t size)
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    size_t n = size > 21 ? 20 : size - 1;
    if (sodium_init() < 0) abort();
    for (size_t i = 0; i < n; i++) buf[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    buf[n] = '\0';
}

static rmct_code check_password(const char *password, rmct_error *err)
{
    size_t n = password ? strlen(password) : 0;
    if (n < RMCT_PASSWORD_MIN || n > RMCT_PASSWORD_MAX) {
        rmct_strlcpy(err->field, "password", sizeof err->field);
        return rmct_error_set(err, RMCT_E_ARG, "expected a password of %d to %d characters, got %zu", RMCT_PASSWORD_MIN,
                              RMCT_PASSWORD_MAX, n);
    }
    if (rmct_utf8_valid_prefix(password, n) != n) {
        rmct_strlcpy(err->field, "password", sizeof err->field);
        return rmct_error_set(err, RMCT_E_ARG, "expected a password in UTF-8");
    }
    return RMCT_OK;
}

static rmct_code hash_password(const char *password, char out[crypto_pwhash_STRBYTES], rmct_error *err)
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return rmct_error_set(err, RMCT_E_NOMEM, "hashing the password: out of memory");
    return RMCT_OK;
}

#define USER_COLS "id, name, role, disabled, created_at, created_by, ifnull(company_brn, '')"

static void user_row(sqlite3_stmt *st, int c, rmct_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, c);
    rmct_db_column_text(st, c + 1, u->name, sizeof u->name);
    char role[32];
    rmct_db_column_text(st, c + 2, role, sizeof role);
    if (!rmct_role_parse(role, &u->role)) u->role = RMCT_ROLE_PUBLIC;
    u->disabled = sqlite3_column_int(st, c + 3) != 0;
    rmct_db_column_text(st, c + 4, u->created_at, sizeof u->created_at);
    rmct_db_column_text(st, c + 5, u->created_by, sizeof u->created_by);
    rmct_db_column_text(st, c + 6, u->company, sizeof u->company);
}

/* The company of a company user: a valid business registration number of a company in the survey's
 * registry (brn gets its 10 digits); no other role has one (brn gets ""). */
static rmct_code check_company(rmct_db *db, rmct_role role, const char *company, char brn[11], rmct_error *err)
{
    char q[64];
    brn[0] = '\0';
    bool given = company && *company;
    if (role != RMCT_ROLE_COMPANY) {
        if (!given) return RMCT_OK;
        rmct_strlcpy(err->field, "company", sizeof err->field);
        return rmct_error_set(err, RMCT_E_ARG, "only a user of the company role belongs to a company (role %s)", rmct_role_name(role));
    }
    if (!given) {
        rmct_strlcpy(err->field, "company", sizeof err->field);
        return rmct_error_set(err, RMCT_E_ARG, "the company role needs the company's business registration number");
    }
    if (!rmct_brn_normalize(company, brn) || !rmct_brn_valid(brn)) {
        brn[0] = '\0';
        rmct_strlcpy(err->field, "company", sizeof err->field);
        return rmct_error_set(err, RMCT_E_ARG,
                              "expected a business registration number (123-45-67891: 10 digits, the last its check digit), got %s",
                              rmct_error_quote(company, q, sizeof q));
    }
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT 1 FROM survey_company WHERE brn = ?", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, brn, -1, SQLITE_TRANSIENT);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (!found) {
        char b[13];
        rmct_strlcpy(err->field, "company", sizeof err->field);
        rc = rmct_error_set(err, RMCT_E_ARG, "expected a company of the survey's registry (one that answered a campaign), got %s",
                            rmct_brn_format(brn, b));
        brn[0] = '\0';
        return rc;
    }
    return RMCT_OK;
}

rmct_code rmct_user_get(rmct_db *db, const char *name, rmct_user *out, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT " USER_COLS " FROM app_user WHERE name = ?", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) user_row(st, 0, out);
    else if (s == SQLITE_DONE) {
        char q[64];
        rc = rmct_error_set(err, RMCT_E_NOTFOUND, "no user named %s", rmct_error_quote(name, q, sizeof q));
    } else rc = rmct_db_error(db, err, "reading a user");
    sqlite3_finalize(st);
    return rc;
}

rmct_code rmct_user_add(rmct_db *db, const char *name, rmct_role role, const char *company, const char *password,
                        const char *created_by, rmct_user *out, rmct_error *err)
{
    rmct_code rc;
    char q[64];
    if (!rmct_user_name_valid(name)) {
        rmct_strlcpy(err->field, "name", sizeof err->field);
        return rmct_error_set(err, RMCT_E_ARG, "expected a user name of 1 to %d letters, digits, '.', '_' or '-', got %s",
                              RMCT_NAME_MAX, rmct_error_quote(name ? name : "", q, sizeof q));
    }
    if (role < RMCT_ROLE_COMPANY || role > RMCT_ROLE_ADMIN) {
        rmct_strlcpy(err->field, "role", sizeof err->field);
        return rmct_error_set(err, RMCT_E_ARG, ROLES_EXPECTED);
    }
    char brn[11];
    if ((rc = check_company(db, role, company, brn, err)) || (rc = check_password(password, err)) || (rc = sodium_ready(err)))
        return rc;
    char hash[crypto_pwhash_STRBYTES];
    if ((rc = hash_password(password, hash, err))) return rc;
    sqlite3_stmt *st;
    if ((rc = rmct_db_prepare(db, &st,
                              "INSERT INTO app_user(name, role, password_hash, created_by, company_brn) VALUES (?, ?, ?, ?, ?)", err)))
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, rmct_role_name(role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, created_by && *created_by ? created_by : "unknown", -1, SQLITE_TRANSIENT);
    if (brn[0]) sqlite3_bind_text(st, 5, brn, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, 5);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    sodium_memzero(hash, sizeof hash);
    if (s != SQLITE_DONE) {
        if ((sqlite3_extended_errcode(rmct_db_sqlite(db)) & 0xFF) == SQLITE_CONSTRAINT) {
            rmct_strlcpy(err->field, "name", sizeof err->field);
            return rmct_error_set(err, RMCT_E_CONFLICT, "a user named %s already exists", rmct_error_quote(name, q, sizeof q));
        }
        return rmct_db_error(db, err, "adding a user");
    }
    rmct_user tmp;
    return rmct_user_get(db, name, out ? out : &tmp, err);
}

rmct_code rmct_user_list(rmct_db *db, rmct_user **out, int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT " USER_COLS " FROM app_user ORDER BY name", err);
    if (rc) return rc;
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            rmct_user *p = realloc(*out, (size_t)cap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                free(*out);
                *out = NULL;
                *n = 0;
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            *out = p;
        }
        user_row(st, 0, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    return RMCT_OK;
}

static rmct_code exec_bound(rmct_db *db, const char *sql, int64_t a, const char *text, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, a);
    if (text) sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) rc = rmct_db_error(db, err, "updating the users");
    sqlite3_finalize(st);
    return rc;
}

rmct_code rmct_user_update(rmct_db *db, const char *name, const rmct_role *role, const char *company, const char *password,
                           int disabled, rmct_user *out, rmct_error *err)
{
    rmct_user u;
    rmct_code rc = rmct_user_get(db, name, &u, err);
    if (rc) return rc;
    if (role && (*role < RMCT_ROLE_COMPANY || *role > RMCT_ROLE_ADMIN)) {
        rmct_strlcpy(err->field, "role", sizeof err->field);
        return rmct_error_set(err, RMCT_E_ARG, ROLES_EXPECTED);
    }
    /* the role and company after the change, checked together (the table's CHECK pairs them) */
    bool who = role || company;
    rmct_role new_role = role ? *role : company ? RMCT_ROLE_COMPANY : u.role;
    char brn[11] = "";
    if (who && (rc = check_company(db, new_role, company ? company : new_role == RMCT_ROLE_COMPANY ? u.company : NULL, brn, err)))
        return rc;
    char hash[crypto_pwhash_STRBYTES] = "";
    if (password && ((rc = check_password(password, err)) || (rc = sodium_ready(err)) || (rc = hash_password(password, hash, err))))
        return rc;
    if ((rc = rmct_db_begin(db, err))) return rc;
    if (who) {
        sqlite3_stmt *st;
        if (!(rc = rmct_db_prepare(db, &st, "UPDATE app_user SET role = ?2, company_brn = ?3 WHERE id = ?1", err))) {
            sqlite3_bind_int64(st, 1, u.id);
            sqlite3_bind_text(st, 2, rmct_role_name(new_role), -1, SQLITE_STATIC);
            if (brn[0]) sqlite3_bind_text(st, 3, brn, -1, SQLITE_TRANSIENT);
            else sqlite3_bind_null(st, 3);
            if (sqlite3_step(st) != SQLITE_DONE) rc = rmct_db_error(db, err, "updating the users");
            sqlite3_finalize(st);
        }
    }
    if (!rc && password) rc = exec_bound(db, "UPDATE app_user SET password_hash = ?2 WHERE id = ?1", u.id, hash, err);
    if (!rc && disabled >= 0)
        rc = exec_bound(db, "UPDATE app_user SET disabled = ?2 WHERE id = ?1", u.id, disabled ? "1" : "0", err);
    if (!rc && (password || disabled == 1)) rc = exec_bound(db, "DELETE FROM app_session WHERE user_id = ?1", u.id, NULL, err);
    if (!rc) rc = rmct_db_commit(db, err);
    else rmct_db_rollback(db);
    sodium_memzero(hash, sizeof hash);
    if (rc) return rc;
    rmct_user tmp;
    return rmct_user_get(db, name, out ? out : &tmp, err);
}

static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void)
{
    char pw[24];
    rmct_password_generate(pw, sizeof pw);
    if (crypto_pwhash_str(dummy, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy[0] = '\0';
}

rmct_code rmct_user_verify(rmct_db *db, const char *name, const char *password, rmct_user *out, bool *ok,
                           rmct_error *err)
{
    *ok = false;
    rmct_code rc = sodium_ready(err);
    if (rc) return rc;
    /* a hash to verify against when the user does not exist, so that the answer takes as long */
    pthread_once(&dummy_once, make_dummy);
    char hash[crypto_pwhash_STRBYTES] = "";
    bool known = false;
    sqlite3_stmt *st;
    if ((rc = rmct_db_prepare(db, &st, "SELECT " USER_COLS ", password_hash FROM app_user WHERE name = ?", err))) return rc;
    sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        user_row(st, 0, out);
        rmct_db_column_text(st, 7, hash, sizeof hash);
        known = !out->disabled;
    }
    sqlite3_finalize(st);
    size_t plen = password ? strlen(password) : 0;
    if (plen > RMCT_PASSWORD_MAX) plen = RMCT_PASSWORD_MAX;
    int v = crypto_pwhash_str_verify(known ? hash : dummy, password ? password : "", plen);
    *ok = known && v == 0;
    sodium_memzero(hash, sizeof hash);
    return RMCT_OK;
}

/* ---------------- sessions ---------------- */

rmct_code rmct_session_create(rmct_db *db, int64_t user_id, int64_t now, int64_t ttl_s, char *sid, char *csrf,
                              rmct_error *err)
{
    rmct_code rc = sodium_ready(err);
    if (rc) return rc;
    random_hex(sid, 32);
    random_hex(csrf, 32);
    char h[65];
    sha256_hex(sid, h);
    sqlite3_stmt *st;
    if ((rc = rmct_db_prepare(db, &st,
                              "INSERT INTO app_session(id_sha256, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                              err)))
        return rc;
    sqlite3_bind_text(st, 1, h, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, csrf, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now + ttl_s);
    if (sqlite3_step(st) != SQLITE_DONE) rc = rmct_db_error(db, err, "creating a session");
    sqlite3_finalize(st);
    return rc;
}

static bool hex_secret(const char *s)
{
    if (!s || strlen(s) != RMCT_SECRET_HEX) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

rmct_code rmct_session_lookup(rmct_db *db, const char *sid, int64_t now, rmct_user *user, char *csrf, bool *found,
                              rmct_error *err)
{
    *found = false;
    if (!hex_secret(sid)) return RMCT_OK;
    char h[65];
    sha256_hex(sid, h);
    sqlite3_stmt *st;
    static const char sql[] = "SELECT u.id, u.name, u.role, u.disabled, u.created_at, u.created_by, ifnull(u.company_brn, ''), s.csrf"
                              " FROM app_session s JOIN app_user u ON u.id = s.user_id WHERE s.id_sha256 = ? AND s.expires_at > ?";
    rmct_code rc = rmct_db_cached(db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, h, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    if (sqlite3_step(st) == SQLITE_ROW) {
        user_row(st, 0, user);
        rmct_db_column_text(st, 7, csrf, RMCT_SECRET_HEX + 1);
        *found = !user->disabled;
    }
    sqlite3_reset(st);
    return RMCT_OK;
}

rmct_code rmct_session_delete(rmct_db *db, const char *sid, rmct_error *err)
{
    if (!hex_secret(sid)) return RMCT_OK;
    char h[65];
    sha256_hex(sid, h);
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "DELETE FROM app_session WHERE id_sha256 = ?", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, h, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) rc = rmct_db_error(db, err, "ending a session");
    sqlite3_finalize(st);
    return rc;
}

rmct_code rmct_session_purge(rmct_db *db, int64_t now, rmct_error *err)
{
    return exec_bound(db, "DELETE FROM app_session WHERE expires_at <= ?1", now, NULL, err);
}

/* ---------------- API tokens ---------------- */

#define TOKEN_COLS "t.id, t.user_id, u.name, t.name, t.prefix, t.created_at, t.revoked"

static void token_row(sqlite3_stmt *st, rmct_token_info *t)
{
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(st, 0);
    t->user_id = sqlite3_column_int64(st, 1);
    rmct_db_column_text(st, 2, t->user, sizeof t->user);
    rmct_db_column_text(st, 3, t->name, sizeof t->name);
    rmct_db_column_text(st, 4, t->prefix, sizeof t->prefix);
    rmct_db_column_text(st, 5, t->created_at, sizeof t->created_at);
    t->revoked = sqlite3_column_int(st, 6) != 0;
}

rmct_code rmct_token_create(rmct_db *db, int64_t user_id, const char *name, char *token, rmct_token_info *out,
                            rmct_error *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > RMCT_NAME_MAX || rmct_utf8_valid_prefix(name, n) != n) {
        rmct_strlcpy(err->field, "name", sizeof err->field);
        return rmct_error_set(err, RMCT_E_ARG, "expected a token name of 1 to %d characters", RMCT_NAME_MAX);
    }
    rmct_code rc = sodium_ready(err);
    if (rc) return rc;
    memcpy(token, "rmct_", 5);
    random_hex(token + 5, 32);
    char h[65], prefix[16];
    sha256_hex(token, h);
    snprintf(prefix, sizeof prefix, "%.11s", token);
    sqlite3_stmt *st;
    if ((rc = rmct_db_prepare(db, &st, "INSERT INTO api_token(user_id, name, token_sha256, prefix) VALUES (?, ?, ?, ?)", err)))
        return rc;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, h, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, prefix, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) rc = rmct_db_error(db, err, "creating a token");
    sqlite3_finalize(st);
    if (rc) return rc;
    int64_t id = sqlite3_last_insert_rowid(rmct_db_sqlite(db));
    if ((rc = rmct_db_prepare(db, &st, "SELECT " TOKEN_COLS " FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.id = ?",
                              err)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW && out) token_row(st, out);
    sqlite3_finalize(st);
    return RMCT_OK;
}

rmct_code rmct_token_lookup(rmct_db *db, const char *token, rmct_user *user, bool *found, rmct_error *err)
{
    *found = false;
    if (!token || strlen(token) != RMCT_TOKEN_LEN || strncmp(token, "rmct_", 5) || !hex_secret(token + 5)) return RMCT_OK;
    char h[65];
    sha256_hex(token, h);
    sqlite3_stmt *st;
    static const char sql[] = "SELECT u.id, u.name, u.role, u.disabled, u.created_at, u.created_by, ifnull(u.company_brn, '')"
                              " FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.token_sha256 = ? AND t.revoked = 0";
    rmct_code rc = rmct_db_cached(db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, h, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        user_row(st, 0, user);
        *found = !user->disabled;
    }
    sqlite3_reset(st);
    return RMCT_OK;
}

rmct_code rmct_token_list(rmct_db *db, int64_t user_id, rmct_token_info **out, int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
                                   "SELECT " TOKEN_COLS " FROM api_token t JOIN app_user u ON u.id = t.user_id"
                                   " WHERE ?1 = 0 OR t.user_id = ?1 ORDER BY t.id DESC",
                                   err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, user_id);
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            rmct_token_info *p = realloc(*out, (size_t)cap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                free(*out);
                *out = NULL;
                *n = 0;
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            *out = p;
        }
        token_row(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    return RMCT_OK;
}

rmct_code rmct_token_revoke(rmct_db *db, int64_t id, int64_t owner_id, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "UPDATE api_token SET revoked = 1 WHERE id = ?1 AND (?2 = 0 OR user_id = ?2)", err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, owner_id);
    if (sqlite3_step(st) != SQLITE_DONE) rc = rmct_db_error(db, err, "revoking a token");
    else if (sqlite3_changes(rmct_db_sqlite(db)) == 0) rc = rmct_error_set(err, RMCT_E_NOTFOUND, "no token %lld", (long long)id);
    sqlite3_finalize(st);
    return rc;
}

/* ---------------- audit log ---------------- */

rmct_code rmct_audit_add(rmct_db *db, const char *actor, const char *action, const char *target, int status,
                         const char *client, const char *detail, rmct_error *err)
{
    sqlite3_stmt *st;
    static const char sql[] = "INSERT INTO audit_log(actor, action, target, status, client, detail) VALUES (?, ?, ?, ?, ?, ?)";
    rmct_code rc = rmct_db_cached(db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, actor && *actor ? actor : "anonymous", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, action, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, target ? target : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, status);
    sqlite3_bind_text(st, 5, client ? client : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, detail ? detail : "{}", -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) rc = rmct_db_error(db, err, "writing the audit log");
    sqlite3_reset(st);
    return rc;
}

rmct_code rmct_audit_list(rmct_db *db, int limit, int64_t before_id, rmct_audit_entry **out, int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    if (limit < 1) limit = 1;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
                                   "SELECT id, at, actor, action, target, status, client, detail FROM audit_log"
                                   " WHERE ?1 <= 0 OR id < ?1 ORDER BY id DESC LIMIT ?2",
                                   err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, before_id);
    sqlite3_bind_int(st, 2, limit);
    rmct_audit_entry *v = calloc((size_t)limit, sizeof *v);
    if (!v) {
        sqlite3_finalize(st);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    int k = 0;
    while (k < limit && sqlite3_step(st) == SQLITE_ROW) {
        rmct_audit_entry *a = &v[k++];
        a->id = sqlite3_column_int64(st, 0);
        rmct_db_column_text(st, 1, a->at, sizeof a->at);
        rmct_db_column_text(st, 2, a->actor, sizeof a->actor);
        rmct_db_column_text(st, 3, a->action, sizeof a->action);
        rmct_db_column_text(st, 4, a->target, sizeof a->target);
        a->status = sqlite3_column_int(st, 5);
        rmct_db_column_text(st, 6, a->client, sizeof a->client);
        const char *d = (const char *)sqlite3_column_text(st, 7);
        a->detail = strdup(d ? d : "{}");
        if (!a->detail) {
            sqlite3_finalize(st);
            rmct_audit_free(v, k);
            return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        }
    }
    sqlite3_finalize(st);
    *out = v;
    *n = k;
    return RMCT_OK;
}

void rmct_audit_free(rmct_audit_entry *rows, int n)
{
    if (!rows) return;
    for (int i = 0; i < n; i++) free(rows[i].detail);
    free(rows);
}
