/* auth.h: users, roles, sessions, API tokens and the audit log of the HTTP server (docs/API.md,
 * sql/006_users.sql, sql/008_company_users.sql).
 *
 * Roles are ordered: company < viewer < analyst < stock-keeper < admin; an endpoint names the least
 * role it needs. A company user belongs to one company of the industry survey (its business
 * registration number, sql/008_company_users.sql): it reads and corrects that company's own
 * answers and nothing confidential of anyone else's; no other role has a company.
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, interactive limits); session
 * ids and API tokens are 256-bit values from randombytes_buf, handed out once as hex and stored as
 * their SHA-256. Every function here runs prepared statements only. */
#ifndef RMCT_AUTH_H
#define RMCT_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "store.h"

typedef enum {
    RMCT_ROLE_PUBLIC = 0,      /* no login: what an endpoint open to everyone asks for */
    RMCT_ROLE_COMPANY,         /* a surveyed company's own user: any logged-in user */
    RMCT_ROLE_VIEWER,
    RMCT_ROLE_ANALYST,
    RMCT_ROLE_STOCK_KEEPER,
    RMCT_ROLE_ADMIN
} rmct_role;

/* "company", "viewer", "analyst", "stock-keeper", "admin" ("public" for RMCT_ROLE_PUBLIC). */
const char *rmct_role_name(rmct_role r);
/* A user's role by name (not "public"); false if unknown. */
bool rmct_role_parse(const char *text, rmct_role *out);

#define RMCT_NAME_MAX 64
#define RMCT_PASSWORD_MIN 10
#define RMCT_PASSWORD_MAX 256
#define RMCT_SECRET_HEX 64     /* session ids, CSRF and API tokens: 32 random bytes as hex */

typedef struct {
    int64_t id;
    char name[RMCT_NAME_MAX + 1];
    rmct_role role;
    bool disabled;
    char created_at[32], created_by[RMCT_NAME_MAX + 1];
    char company[11];          /* role company: its company's business registration number (10 digits); else "" */
} rmct_user;

/* A user name: 1-64 letters, digits, '.', '_' or '-'. */
bool rmct_user_name_valid(const char *name);

/* Add a user (errors: RMCT_E_ARG with err->field "name", "role", "company" or "password";
 * RMCT_E_CONFLICT when the name is taken, case-insensitively). company: for the company role (and
 * only for it), the business registration number of a company in the survey's registry, with or
 * without dashes. created_by: who adds it. */
rmct_code rmct_user_add(rmct_db *db, const char *name, rmct_role role, const char *company, const char *password,
                        const char *created_by, rmct_user *out, rmct_error *err);
rmct_code rmct_user_get(rmct_db *db, const char *name, rmct_user *out, rmct_error *err);   /* RMCT_E_NOTFOUND */
rmct_code rmct_user_list(rmct_db *db, rmct_user **out, int *n, rmct_error *err);
/* Change the role, the company, the password or the disabled flag (NULL / -1: unchanged). A
 * company given makes the user a company user of that company (role NULL or company); another role
 * drops the company; the company role needs a company (given, or the user's own). Disabling a
 * user or changing the password ends its sessions; a disabled user's tokens stop working. */
rmct_code rmct_user_update(rmct_db *db, const char *name, const rmct_role *role, const char *company, const char *password,
                           int disabled, rmct_user *out, rmct_error *err);
/* Check a password. *ok false for an unknown or disabled user or a wrong password (the time taken
 * does not tell which). */
rmct_code rmct_user_verify(rmct_db *db, const char *name, const char *password, rmct_user *out, bool *ok,
                           rmct_error *err);

/* Generate a random password of 20 characters (letters and digits) into buf (>= 21 bytes). */
void rmct_password_generate(char *buf, size_t size);

/* Sessions: a new session for a user, valid ttl_s seconds from now (Unix seconds). sid and csrf get
 * RMCT_SECRET_HEX hex characters each (buffers of RMCT_SECRET_HEX + 1). */
rmct_code rmct_session_create(rmct_db *db, int64_t user_id, int64_t now, int64_t ttl_s, char *sid, char *csrf,
                              rmct_error *err);
/* The session's user and CSRF token; *found false if unknown, expired or the user is disabled. */
rmct_code rmct_session_lookup(rmct_db *db, const char *sid, int64_t now, rmct_user *user, char *csrf, bool *found,
                              rmct_error *err);
rmct_code rmct_session_delete(rmct_db *db, const char *sid, rmct_error *err);
/* Remove expired sessions. */
rmct_code rmct_session_purge(rmct_db *db, int64_t now, rmct_error *err);

/* API tokens: "rmct_" + 64 hex characters (buffer of 70), shown once. */
#define RMCT_TOKEN_LEN 69
typedef struct {
    int64_t id, user_id;
    char user[RMCT_NAME_MAX + 1], name[RMCT_NAME_MAX + 1], prefix[16], created_at[32];
    bool revoked;
} rmct_token_info;

rmct_code rmct_token_create(rmct_db *db, int64_t user_id, const char *name, char *token, rmct_token_info *out,
                            rmct_error *err);
/* The token's user; *found false if unknown, revoked or the user is disabled. */
rmct_code rmct_token_lookup(rmct_db *db, const char *token, rmct_user *user, bool *found, rmct_error *err);
/* Tokens of one user (user_id > 0) or of everyone (0), newest first. */
rmct_code rmct_token_list(rmct_db *db, int64_t user_id, rmct_token_info **out, int *n, rmct_error *err);
/* Revoke a token; owner_id > 0 restricts it to that user's tokens (RMCT_E_NOTFOUND otherwise). */
rmct_code rmct_token_revoke(rmct_db *db, int64_t id, int64_t owner_id, rmct_error *err);

/* ---------------- audit log ---------------- */

typedef struct {
    int64_t id;
    char at[32], actor[RMCT_NAME_MAX + 1], action[128], target[128], client[64];
    int status;
    char *detail;            /* JSON, owned */
} rmct_audit_entry;

/* Append one row (detail: a JSON text, NULL for "{}"). */
rmct_code rmct_audit_add(rmct_db *db, const char *actor, const char *action, const char *target, int status,
                         const char *client, const char *detail, rmct_error *err);
/* The newest rows first: at most limit, with id < before_id when before_id > 0. */
rmct_code rmct_audit_list(rmct_db *db, int limit, int64_t before_id, rmct_audit_entry **out, int *n, rmct_error *err);
void rmct_audit_free(rmct_audit_entry *rows, int n);

#endif
