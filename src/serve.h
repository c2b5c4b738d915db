/* serve.h: what the HTTP server's files share (src/serve*.c; docs/API.md): the request a handler
 * gets, the helpers that validate its parameters and answer it, and the handlers the route table
 * in src/serve.c names. A handler returns the HTTP status it answered with; it never prints. */
#ifndef RMCT_SERVE_H
#define RMCT_SERVE_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "cli.h"
#include "out.h"
#include "sim_cli.h"

typedef struct srv srv;
typedef struct srv_req srv_req;
typedef int (*srv_handler)(srv_req *r);

enum {
    SRV_BODY = 1,       /* takes a JSON object as its body */
    SRV_NO_CSRF = 2,    /* a state-changing request that has no session yet (logging in) */
    SRV_CACHE = 4,      /* a public answer that depends only on the URL and the imported data: cached */
    SRV_CSV = 8,        /* takes a CSV file as its body (Content-Type: text/csv), limited by --max-body */
};

typedef struct {
    const char *method;       /* GET, POST, PATCH, DELETE */
    const char *pattern;      /* "/api/v1/metals/{metal}": a {name} matches one path segment */
    rmct_role role;           /* the least role it needs (RMCT_ROLE_PUBLIC: anyone) */
    srv_handler handler;
    const char *query;        /* the query parameters it takes, comma-separated ("" none) */
    unsigned flags;
    const char *summary;
} srv_route;

#define SRV_MAX_PARAMS 3

struct srv_req {
    srv *s;
    struct MHD_Connection *conn;
    const srv_route *route;
    const char *method, *path;
    char params[SRV_MAX_PARAMS][160];   /* the {name} segments of the path, in order */
    int nparams;
    json_t *body;             /* the JSON body (SRV_BODY routes) */
    const char *upload;       /* the body as sent (SRV_CSV routes; not NUL-terminated) */
    size_t upload_len;
    rmct_db *db;              /* a connection of the pool, for this request only */
    rmct_user user;           /* who asks (authed) */
    bool authed, by_token;
    char sid[RMCT_SECRET_HEX + 1], csrf[RMCT_SECRET_HEX + 1];
    char client[64];
    /* the answer */
    int status;
    json_t *out;              /* JSON body */
    char *raw;                /* or the body as text (a cached answer) */
    size_t raw_len;
    const char *cache;        /* X-Cache: "hit", "miss" or NULL (not cacheable) */
    char cookie[320];         /* Set-Cookie */
    char location[200];
    char allow[64];
    int retry_after;
    char audit_target[128];   /* what a write touched, for the audit log */
};

/* ---------------- answers ---------------- */

/* Answer with a JSON value (the reference is taken). */
int srv_json(srv_req *r, int status, json_t *j);
/* Answer with a table as an array of objects (the table is freed). */
int srv_table(srv_req *r, out_table *t);
/* {"error": {"code": CODE, "message": ..., "parameter": PARAM}}; param may be NULL. */
int srv_error(srv_req *r, int status, const char *code, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Replace the data directory's path in a message by "data" (the server's paths stay private). */
void srv_hide_paths(const srv *s, char *buf, size_t size);
/* A library error as 400 (bad argument or input), 404, 409 or 500 (details logged, not shown). */
int srv_fail(srv_req *r, const rmct_error *err);

/* ---------------- parameters ---------------- */

/* A query parameter's value, or NULL. */
const char *srv_query(srv_req *r, const char *name);
/* Each returns 0 when the parameter is absent (the default stays) or valid, else the status of the
 * 400 answer it made, naming the parameter. */
int q_long(srv_req *r, const char *name, long min, long max, long *out);
int q_double(srv_req *r, const char *name, double min, double max, double *out);
int q_bool(srv_req *r, const char *name, bool *out);
int q_enum(srv_req *r, const char *name, const char *const *allowed, const char **out);
/* Text: 1 to max bytes of UTF-8 without control characters. */
int q_text(srv_req *r, const char *name, size_t max, const char **out);
/* A date YYYY-MM-DD. */
int q_date(srv_req *r, const char *name, const char **out);

/* Body fields (the body is an object). Unknown fields are refused by b_only. */
int b_only(srv_req *r, const char *fields);
int b_text(srv_req *r, const char *name, size_t max, bool required, const char **out);
int b_number(srv_req *r, const char *name, double min, double max, bool required, double *out);
int b_long(srv_req *r, const char *name, long min, long max, bool required, long *out);
int b_bool(srv_req *r, const char *name, bool *out);
/* A number given as a JSON number or a decimal string, kept as text (for the ledger's exact grams). */
int b_decimal(srv_req *r, const char *name, bool required, char *buf, size_t size, const char **out);

/* A name for a bundled thing (scenario, chain): 1-64 of [A-Za-z0-9._-], no leading dot. */
bool srv_safe_name(const char *s);

/* An uploaded file for an importer (which reads a file and records its name): the query parameter
 * `file` (default `deflt`; checked as srv_safe_name) and the request body, saved as dir/NAME in a new
 * private temporary directory. 0 with *name, dir and path set, else the status of the answer made
 * (400 for the name or an empty body, 500 if it cannot be stored). srv_upload_remove deletes both. */
int srv_upload_save(srv_req *r, const char *deflt, const char *what, const char **name, char *dir, size_t dsize, char *path,
                    size_t psize);
void srv_upload_remove(const char *dir, const char *path);

/* ---------------- server state shared with handlers ---------------- */

const char *srv_data_dir(const srv *s);
const char *srv_db_path(const srv *s);
int srv_job_threads(const srv *s);
/* Record a write in the audit log (with the request's user and client). */
void srv_audit(srv_req *r, const char *action, const char *target, int status, json_t *detail);
/* Today's date for ledger entries: $RMCT_TODAY, else the local date. */
void srv_today(char out[11]);
void srv_log(srv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Logins have their own, stricter rate limit per client address (each costs an Argon2id hash). */
bool srv_login_allowed(srv_req *r, int *retry);
int64_t srv_session_ttl(const srv *s);
bool srv_secure_cookies(const srv *s);

/* ---------------- handlers ---------------- */

/* src/serve_api.c: the data, read by anyone */
int h_health(srv_req *r);
int h_index(srv_req *r);
int h_metals(srv_req *r);
int h_metal(srv_req *r);
int h_lists(srv_req *r);
int h_sources(srv_req *r);
int h_source_import(srv_req *r);
int h_supply(srv_req *r);
int h_imports(srv_req *r);
int h_dependence(srv_req *r);
int h_assessment(srv_req *r);
int h_assessment_metal(srv_req *r);
int h_events(srv_req *r);
int h_chains(srv_req *r);
int h_chain(srv_req *r);
int h_scenarios(srv_req *r);
int h_scenario(srv_req *r);
int h_scenario_central(srv_req *r);
int h_hazards(srv_req *r);
/* A scenario with its events and responses; a model's provenance notes (shared with the jobs). */
json_t *scenario_json(const rmct_scenario *sc);
/* Edit a loaded scenario's events: edits is a JSON array of {"event": i, "depth": x,
 * "duration_months": n, "from": "YYYY-MM"} (all but "event" optional); an edited number is fixed
 * across futures and labelled as the request's. RMCT_E_ARG with a message naming the element
 * when an edit is wrong (docs/API.md, "Editing a scenario"). */
rmct_code scenario_edit(rmct_scenario *sc, const json_t *edits, rmct_error *err);
/* The longest edits in a query (GET .../central?edits=): the query limit. */
#define MAX_EDITS_QUERY 256
json_t *model_notes_json(const rmct_model *m, const sim_chains *ch);

/* src/serve_jobs.c: background runs (scenario ensembles, stockpile plans) */
int h_run_start(srv_req *r);
int h_run_list(srv_req *r);
int h_run_get(srv_req *r);
int h_run_cancel(srv_req *r);
int h_plan_start(srv_req *r);
int h_plan_list(srv_req *r);
int h_plan_get(srv_req *r);
int h_plan_cancel(srv_req *r);
typedef struct srv_jobs srv_jobs;
srv_jobs *srv_jobs_start(srv *s, int workers);
void srv_jobs_stop(srv_jobs *j);
srv_jobs *srv_jobs_of(srv *s);

/* src/serve_stock.c: the stockpile ledger and cover */
int h_warehouses(srv_req *r);
int h_warehouse_add(srv_req *r);
int h_lots(srv_req *r);
int h_lot_add(srv_req *r);
int h_movements(srv_req *r);
int h_movement_add(srv_req *r);
int h_stock_audit(srv_req *r);
int h_stock_verify(srv_req *r);
int h_cover(srv_req *r);

/* src/serve_users.c: sessions, users, tokens, the audit log */
int h_login(srv_req *r);
int h_session(srv_req *r);
int h_logout(srv_req *r);
int h_password(srv_req *r);
int h_users(srv_req *r);
int h_user_add(srv_req *r);
int h_user(srv_req *r);
int h_user_update(srv_req *r);
int h_tokens(srv_req *r);
int h_token_add(srv_req *r);
int h_token_revoke(srv_req *r);
int h_audit(srv_req *r);

/* src/serve_survey.c: the industry survey (public statistics with the confidentiality rule; company
 * pages for the company's own users and analysts; entry, correction, import) */
int h_survey_codes(srv_req *r);
int h_survey_campaigns(srv_req *r);
int h_survey_import(srv_req *r);
int h_survey_stats(srv_req *r);
int h_survey_stats_full(srv_req *r);
int h_survey_exposure(srv_req *r);
int h_survey_impact(srv_req *r);
int h_survey_companies(srv_req *r);
int h_survey_company(srv_req *r);
int h_survey_profile_edit(srv_req *r);
int h_survey_answer_edit(srv_req *r);

/* The route table (src/serve.c), for the index. */
const srv_route *srv_routes(void);

#endif
