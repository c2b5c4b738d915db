/* serve_users.c: who uses the server (docs/API.md, "Users, sessions and tokens"): logging in and
 * out (a session cookie, HttpOnly and SameSite=Strict, and its CSRF token), one's own password and
 * API tokens, the users an admin manages, and the audit log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve.h"
#include "survey.h"
#include "text.h"

/* A user; "company" is a company user's business registration number (123-45-67891), else null. */
static json_t *user_json(const rmct_user *u)
{
    char b[13];
    return json_pack("{s:s, s:s, s:s?, s:b, s:s, s:s}", "name", u->name, "role", rmct_role_name(u->role), "company",
                     u->company[0] ? rmct_brn_format(u->company, b) : NULL, "disabled", u->disabled, "created_at", u->created_at,
                     "created_by", u->created_by);
}

static void set_cookie(srv_req *r, const char *value, long max_age)
{
    snprintf(r->cookie, sizeof r->cookie, "rmct_session=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s", value, max_age,
             srv_secure_cookies(r->s) ? "; Secure" : "");
}

int h_login(srv_req *r)
{
    const char *name = NULL, *password = NULL;
    int st;
    if ((st = b_only(r, "username,password"))) return st;
    /* the password is checked by length only here: the hash decides */
    json_t *pw = json_object_get(r->body, "password");
    if ((st = b_text(r, "username", RMCT_NAME_MAX, true, &name))) return st;
    if (!json_is_string(pw))
        return srv_error(r, MHD_HTTP_BAD_REQUEST, pw ? "bad_parameter" : "missing_parameter", "password",
                         "password: expected a string");
    password = json_string_value(pw);
    if (strlen(password) > RMCT_PASSWORD_MAX)
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "password", "password: at most %d characters", RMCT_PASSWORD_MAX);
    rmct_strlcpy(r->audit_target, name, sizeof r->audit_target);
    int retry = 0;
    if (!srv_login_allowed(r, &retry)) {
        r->retry_after = retry > 0 ? retry : 1;
        return srv_error(r, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited", NULL, "too many login attempts; retry in %d s", r->retry_after);
    }
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user u;
    bool ok;
    if (rmct_user_verify(r->db, name, password, &u, &ok, &err)) return srv_fail(r, &err);
    if (!ok) return srv_error(r, MHD_HTTP_UNAUTHORIZED, "bad_credentials", NULL, "unknown user or wrong password");
    char sid[RMCT_SECRET_HEX + 1], csrf[RMCT_SECRET_HEX + 1];
    int64_t ttl = srv_session_ttl(r->s);
    if (rmct_session_create(r->db, u.id, (int64_t)time(NULL), ttl, sid, csrf, &err)) return srv_fail(r, &err);
    set_cookie(r, sid, (long)ttl);
    /* the audit row names the user who logged in */
    r->user = u;
    r->authed = true;
    return srv_json(r, MHD_HTTP_OK, json_pack("{s:o, s:s, s:I}", "user", user_json(&u), "csrf_token", csrf, "expires_in_s", (json_int_t)ttl));
}

int h_session(srv_req *r)
{
    if (r->by_token)
        return srv_json(r, MHD_HTTP_OK, json_pack("{s:o, s:n, s:s}", "user", user_json(&r->user), "csrf_token", "auth", "token"));
    return srv_json(r, MHD_HTTP_OK, json_pack("{s:o, s:s, s:s}", "user", user_json(&r->user), "csrf_token", r->csrf, "auth", "session"));
}

int h_logout(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    if (!r->by_token && rmct_session_delete(r->db, r->sid, &err)) return srv_fail(r, &err);
    if (!r->by_token) set_cookie(r, "", 0);
    return srv_json(r, MHD_HTTP_OK, json_pack("{s:b}", "logged_out", !r->by_token));
}

int h_password(srv_req *r)
{
    int st;
    const char *current = NULL, *next = NULL;
    if ((st = b_only(r, "current_password,new_password"))) return st;
    json_t *c = json_object_get(r->body, "current_password");
    if (!json_is_string(c)) return srv_error(r, MHD_HTTP_BAD_REQUEST, "missing_parameter", "current_password", "current_password: required");
    current = json_string_value(c);
    json_t *n = json_object_get(r->body, "new_password");
    if (!json_is_string(n)) return srv_error(r, MHD_HTTP_BAD_REQUEST, "missing_parameter", "new_password", "new_password: required");
    next = json_string_value(n);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user u;
    bool ok;
    if (rmct_user_verify(r->db, r->user.name, current, &u, &ok, &err)) return srv_fail(r, &err);
    if (!ok) return srv_error(r, MHD_HTTP_FORBIDDEN, "bad_credentials", "current_password", "current_password: wrong password");
    if (rmct_user_update(r->db, r->user.name, NULL, NULL, next, -1, &u, &err)) {
        if (err.code == RMCT_E_ARG && !strcmp(err.field, "password")) rmct_strlcpy(err.field, "new_password", sizeof err.field);
        return srv_fail(r, &err);
    }
    rmct_strlcpy(r->audit_target, r->user.name, sizeof r->audit_target);
    /* every session of the user ended with the change: this one too */
    if (!r->by_token) set_cookie(r, "", 0);
    return srv_json(r, MHD_HTTP_OK, json_pack("{s:b, s:s}", "changed", 1, "note", "every session of the user has ended: log in again"));
}

int h_users(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user *u;
    int n;
    if (rmct_user_list(r->db, &u, &n, &err)) return srv_fail(r, &err);
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, user_json(&u[i]));
    free(u);
    return srv_json(r, MHD_HTTP_OK, a);
}

static int role_field(srv_req *r, bool required, bool *given, rmct_role *role)
{
    const char *text = NULL;
    *given = false;
    int st = b_text(r, "role", 32, required, &text);
    if (st) return st;
    if (!text) return 0;
    if (!rmct_role_parse(text, role))
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "role", "role: expected one of company, viewer, analyst, stock-keeper or admin");
    *given = true;
    return 0;
}

static int password_field(srv_req *r, const char *name, bool required, const char **out)
{
    json_t *v = json_object_get(r->body, name);
    if (!v || json_is_null(v)) {
        if (required) return srv_error(r, MHD_HTTP_BAD_REQUEST, "missing_parameter", name, "%s: required", name);
        return 0;
    }
    if (!json_is_string(v)) return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected a string", name);
    *out = json_string_value(v);
    return 0;
}

int h_user_add(srv_req *r)
{
    int st;
    const char *name = NULL, *password = NULL, *company = NULL;
    rmct_role role;
    bool given;
    if ((st = b_only(r, "name,role,company,password")) || (st = b_text(r, "name", RMCT_NAME_MAX, true, &name)) ||
        (st = role_field(r, true, &given, &role)) || (st = b_text(r, "company", 16, false, &company)) ||
        (st = password_field(r, "password", true, &password)))
        return st;
    rmct_strlcpy(r->audit_target, name, sizeof r->audit_target);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user u;
    if (rmct_user_add(r->db, name, role, company, password, r->user.name, &u, &err)) return srv_fail(r, &err);
    snprintf(r->location, sizeof r->location, "/api/v1/users/%s", u.name);
    return srv_json(r, MHD_HTTP_CREATED, user_json(&u));
}

int h_user(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user u;
    if (rmct_user_get(r->db, r->params[0], &u, &err)) return srv_fail(r, &err);
    return srv_json(r, MHD_HTTP_OK, user_json(&u));
}

int h_user_update(srv_req *r)
{
    int st;
    const char *password = NULL, *company = NULL;
    rmct_role role;
    bool given, disabled = false;
    if ((st = b_only(r, "role,company,password,disabled")) || (st = role_field(r, false, &given, &role)) ||
        (st = b_text(r, "company", 16, false, &company)) || (st = password_field(r, "password", false, &password)) ||
        (st = b_bool(r, "disabled", &disabled)))
        return st;
    json_t *d = json_object_get(r->body, "disabled");
    int dis = d && !json_is_null(d) ? disabled : -1;
    if (!strcmp(r->params[0], r->user.name) && (dis == 1 || (given && role != RMCT_ROLE_ADMIN) || company))
        return srv_error(r, MHD_HTTP_CONFLICT, "conflict", NULL, "an admin cannot disable or demote themself (ask another admin)");
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user u;
    if (rmct_user_update(r->db, r->params[0], given ? &role : NULL, company, password, dis, &u, &err)) return srv_fail(r, &err);
    return srv_json(r, MHD_HTTP_OK, user_json(&u));
}

static json_t *token_json(const rmct_token_info *t)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)t->id, "user", t->user, "name", t->name, "prefix",
                     t->prefix, "created_at", t->created_at, "revoked", t->revoked);
}

int h_tokens(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_token_info *t;
    int n;
    if (rmct_token_list(r->db, r->user.role == RMCT_ROLE_ADMIN ? 0 : r->user.id, &t, &n, &err)) return srv_fail(r, &err);
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, token_json(&t[i]));
    free(t);
    return srv_json(r, MHD_HTTP_OK, a);
}

int h_token_add(srv_req *r)
{
    int st;
    const char *name = NULL;
    if ((st = b_only(r, "name")) || (st = b_text(r, "name", RMCT_NAME_MAX, true, &name))) return st;
    rmct_error err;
    rmct_error_clear(&err);
    char token[RMCT_TOKEN_LEN + 1];
    rmct_token_info info;
    if (rmct_token_create(r->db, r->user.id, name, token, &info, &err)) return srv_fail(r, &err);
    snprintf(r->audit_target, sizeof r->audit_target, "token %lld", (long long)info.id);
    json_t *j = token_json(&info);
    json_object_set_new(j, "token", json_string(token));
    json_object_set_new(j, "note", json_string("shown once: keep it secret; send it as 'Authorization: Bearer TOKEN'"));
    return srv_json(r, MHD_HTTP_CREATED, j);
}

int h_token_revoke(srv_req *r)
{
    long id;
    if (!rmct_parse_long(r->params[0], 1, 1L << 62, &id))
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "id", "id: expected a token number");
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_token_revoke(r->db, id, r->user.role == RMCT_ROLE_ADMIN ? 0 : r->user.id, &err)) return srv_fail(r, &err);
    snprintf(r->audit_target, sizeof r->audit_target, "token %ld", id);
    return srv_json(r, MHD_HTTP_OK, json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
}

int h_audit(srv_req *r)
{
    long limit = 100, before = 0;
    int st;
    if ((st = q_long(r, "limit", 1, 1000, &limit)) || (st = q_long(r, "before", 1, 1L << 62, &before))) return st;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_audit_entry *a;
    int n;
    if (rmct_audit_list(r->db, (int)limit, before, &a, &n, &err)) return srv_fail(r, &err);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_error_t je;
        json_t *d = json_loads(a[i].detail, 0, &je);
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:o}", "id", (json_int_t)a[i].id, "at", a[i].at,
                                             "actor", a[i].actor, "action", a[i].action, "target", a[i].target, "status",
                                             a[i].status, "client", a[i].client, "detail", d ? d : json_null()));
    }
    rmct_audit_free(a, n);
    return srv_json(r, MHD_HTTP_OK, arr);
}
