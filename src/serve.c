/* serve.c: 'rmct serve', RMCT's HTTP server (docs/API.md): libmicrohttpd with a thread pool, JSON
 * through jansson, the dashboard's static files, and everything between a request and its handler:
 * the route table (every endpoint with its method, least role and handler, in one place), size
 * limits, per-client rate limits, authentication by session cookie or API token, CSRF checks on
 * state-changing requests, validation helpers, JSON errors and the audit log of writes. */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "registry.h"
#include "stockpile.h"
#include "text.h"

#ifndef RMCT_WEBDIR
#define RMCT_WEBDIR "web"
#endif

#define API_PREFIX "/api/v1"
#define SESSION_COOKIE "rmct_session"
#define MAX_QUERY_VALUE 256
#define POOL_MAX 64
#define RL_SLOTS 4096
#define RL_PROBE 8

/* ---------------- the route table ---------------- */

#define P RMCT_ROLE_PUBLIC
#define C RMCT_ROLE_COMPANY
#define V RMCT_ROLE_VIEWER
#define A RMCT_ROLE_ANALYST
#define K RMCT_ROLE_STOCK_KEEPER
#define ADM RMCT_ROLE_ADMIN

/* Every endpoint, in one place: method, path, least role, handler, query parameters, flags. */
static const srv_route routes[] = {
    {"GET", "/healthz", P, h_health, "", 0, "health check: the database answers"},
    {"GET", "/api/v1", P, h_index, "", 0, "this list of endpoints"},
    /* the registry and world supply */
    {"GET", "/api/v1/metals", P, h_metals, "list,group", SRV_CACHE, "the 35 rare-metal types (or one list's members)"},
    {"GET", "/api/v1/metals/{metal}", P, h_metal, "year,stage,edition", SRV_CACHE, "one metal's page: lists, producers, shares, reserves, trend, sources"},
    {"GET", "/api/v1/lists", P, h_lists, "", SRV_CACHE, "the national lists: counts and membership matrix"},
    {"GET", "/api/v1/sources", P, h_sources, "", SRV_CACHE, "every imported file behind the numbers"},
    {"POST", "/api/v1/sources", A, h_source_import, "format,file,replace,dataset,edition,publisher,title,url,licence,hs_version", SRV_CSV, "import a data file (text/csv) as 'rmct import': all of it or nothing"},
    {"GET", "/api/v1/supply", P, h_supply, "year,stage,edition,eu,hhi_threshold,share_threshold", SRV_CACHE, "the 35 types ranked by concentration of world supply"},
    /* imports, dependence, criticality, events */
    {"GET", "/api/v1/imports/{metal}", P, h_imports, "reporter,year,form,look_through", SRV_CACHE, "a metal's imports by partner, reported facts or the labelled proxy"},
    {"GET", "/api/v1/dependence", P, h_dependence, "reporter,year,form,look_through", SRV_CACHE, "the 35 types ranked by import dependence"},
    {"GET", "/api/v1/assessment", P, h_assessment, "year,stage,samples,seed,elements,sr_threshold,ei_threshold", SRV_CACHE, "criticality: SR, EI, intervals, P(critical)"},
    {"GET", "/api/v1/assessment/{metal}", P, h_assessment_metal, "year,stage,samples,seed", SRV_CACHE, "the whole calculation for one metal"},
    {"GET", "/api/v1/events", P, h_events, "country,metal,type,since,until,active", SRV_CACHE, "the register of export restrictions and disruptions"},
    /* chains and scenarios */
    {"GET", "/api/v1/chains", P, h_chains, "", SRV_CACHE, "the value chains"},
    {"GET", "/api/v1/chains/{chain}", P, h_chain, "", SRV_CACHE, "one chain: nodes, normal flows, every parameter with its basis"},
    {"GET", "/api/v1/hazards", P, h_hazards, "chains", SRV_CACHE, "background disruption hazards of Monte Carlo runs"},
    {"GET", "/api/v1/scenarios", P, h_scenarios, "", SRV_CACHE, "the bundled disruption scenarios"},
    {"GET", "/api/v1/scenarios/runs", V, h_run_list, "", 0, "Monte Carlo runs: status and progress"},
    {"POST", "/api/v1/scenarios/runs", A, h_run_start, "", SRV_BODY, "start a Monte Carlo run in the background"},
    {"GET", "/api/v1/scenarios/runs/{id}", V, h_run_get, "", 0, "a run: status, progress, results when done"},
    {"DELETE", "/api/v1/scenarios/runs/{id}", A, h_run_cancel, "", 0, "cancel a run"},
    {"GET", "/api/v1/scenarios/{scenario}", P, h_scenario, "", SRV_CACHE, "one scenario: events and responses with their basis"},
    {"GET", "/api/v1/scenarios/{scenario}/central", P, h_scenario_central, "flows,edits", SRV_CACHE, "the scenario at its central values, month by month"},
    /* the stockpile */
    {"GET", "/api/v1/stock/warehouses", V, h_warehouses, "", 0, "warehouses and what they hold"},
    {"POST", "/api/v1/stock/warehouses", K, h_warehouse_add, "", SRV_BODY, "register a warehouse"},
    {"GET", "/api/v1/stock/lots", V, h_lots, "metal,warehouse,lot,date,by,all", 0, "what each lot holds in each warehouse"},
    {"POST", "/api/v1/stock/lots", K, h_lot_add, "", SRV_BODY, "acquire a lot"},
    {"GET", "/api/v1/stock/movements", V, h_movements, "metal,warehouse,lot,since,until", 0, "the ledger's movements in date order"},
    {"POST", "/api/v1/stock/movements", K, h_movement_add, "", SRV_BODY, "release, sell, rotate, write off, transfer, adjust or reverse"},
    {"GET", "/api/v1/stock/audit", K, h_stock_audit, "", 0, "the ledger's audit log"},
    {"GET", "/api/v1/stock/verify", V, h_stock_verify, "", 0, "every ledger invariant checked again"},
    {"GET", "/api/v1/stock/cover", V, h_cover, "date,against,all", 0, "days of cover per metal against targets"},
    {"GET", "/api/v1/stock/plans", V, h_plan_list, "", 0, "purchase plans: status and progress"},
    {"POST", "/api/v1/stock/plans", A, h_plan_start, "", SRV_BODY, "start a purchase plan in the background"},
    {"GET", "/api/v1/stock/plans/{id}", V, h_plan_get, "", 0, "a plan: status, progress, the plan when done"},
    {"DELETE", "/api/v1/stock/plans/{id}", A, h_plan_cancel, "", 0, "cancel a plan"},
    /* the industry survey: published statistics with the confidentiality rule; company answers for
     * the company's own users and analysts only */
    {"GET", "/api/v1/survey/codes", P, h_survey_codes, "", SRV_CACHE, "the survey's codebooks: stages, sectors, regions, size classes, questions"},
    {"GET", "/api/v1/survey/campaigns", P, h_survey_campaigns, "", 0, "the survey campaigns: year, title, response, synthetic or real"},
    {"POST", "/api/v1/survey/campaigns", A, h_survey_import, "file", SRV_CSV, "import a campaign CSV (text/csv): all of it or nothing"},
    {"GET", "/api/v1/survey/stats", P, h_survey_stats, "year,table", 0, "published statistics of a campaign, the confidentiality rule applied"},
    {"GET", "/api/v1/survey/stats/full", A, h_survey_stats_full, "year,table", 0, "the statistics with the withheld values, marked (confidential)"},
    {"GET", "/api/v1/survey/exposure", A, h_survey_exposure, "year", 0, "each company's exposure score per metal (confidential)"},
    {"GET", "/api/v1/survey/exposure/{scenario}", A, h_survey_impact, "year,all", 0, "whom a scenario hits and when their stock runs out (confidential)"},
    {"GET", "/api/v1/survey/companies", A, h_survey_companies, "year", 0, "the companies that answered a campaign (confidential)"},
    {"GET", "/api/v1/survey/companies/{company}", C, h_survey_company, "year", 0, "a company's page: profile, answers, exposure, history (its own users, analysts)"},
    {"PATCH", "/api/v1/survey/companies/{company}/profile", C, h_survey_profile_edit, "", SRV_BODY, "correct a company's profile (a new version)"},
    {"PATCH", "/api/v1/survey/companies/{company}/answers/{metal}", C, h_survey_answer_edit, "", SRV_BODY, "enter, correct or withdraw a company's answer for a metal (a new version)"},
    /* who */
    {"POST", "/api/v1/session", P, h_login, "", SRV_BODY | SRV_NO_CSRF, "log in: a session cookie and its CSRF token"},
    {"GET", "/api/v1/session", C, h_session, "", 0, "who is logged in, and the session's CSRF token"},
    {"DELETE", "/api/v1/session", C, h_logout, "", 0, "log out"},
    {"POST", "/api/v1/session/password", C, h_password, "", SRV_BODY, "change one's own password"},
    {"GET", "/api/v1/tokens", C, h_tokens, "", 0, "one's API tokens (an admin: everyone's)"},
    {"POST", "/api/v1/tokens", C, h_token_add, "", SRV_BODY, "create an API token (shown once)"},
    {"DELETE", "/api/v1/tokens/{id}", C, h_token_revoke, "", 0, "revoke an API token"},
    {"GET", "/api/v1/users", ADM, h_users, "", 0, "users and roles"},
    {"POST", "/api/v1/users", ADM, h_user_add, "", SRV_BODY, "add a user"},
    {"GET", "/api/v1/users/{name}", ADM, h_user, "", 0, "one user"},
    {"PATCH", "/api/v1/users/{name}", ADM, h_user_update, "", SRV_BODY, "change a user's role, password or disabled flag"},
    {"GET", "/api/v1/audit", ADM, h_audit, "limit,before", 0, "the audit log of writes, newest first"},
    {NULL, NULL, P, NULL, NULL, 0, NULL},
};

#undef P
#undef C
#undef V
#undef A
#undef K
#undef ADM

const srv_route *srv_routes(void) { return routes; }

/* ---------------- server state ---------------- */

typedef struct {
    char key[48];
    double tokens;
    double last;
} rl_slot;

typedef struct {
    double rate, burst;
    rl_slot slots[RL_SLOTS];
    pthread_mutex_t lock;
} rate_limiter;

/* Answers of the public data routes, kept until the data they come from change: every import adds
 * or replaces a `source` row, so (count, max id, rows) of that table is the data's generation,
 * checked on every request (one indexed query). Bounded in entries and bytes; a full cache drops
 * its least recently used entries. */
#define CACHE_SLOTS 512
#define CACHE_BYTES (64u << 20)
#define CACHE_ENTRY_MAX (4u << 20)

typedef struct {
    char *key;                /* method, path and query as sent */
    char *body;               /* the JSON answer */
    size_t len;
    char gen[64];
    double used;
} cache_entry;

typedef struct {
    cache_entry e[CACHE_SLOTS];
    size_t bytes;
    long hits, misses;
    pthread_mutex_t lock;
} answer_cache;

struct srv {
    cli_ctx *cli;
    const char *db_path, *data_dir;
    char web_root[PATH_MAX];
    bool have_web;
    size_t max_body;
    unsigned timeout_s;
    int threads, job_threads;
    int64_t session_ttl;
    bool secure_cookies, quiet;
    rate_limiter rl, login_rl;
    answer_cache cache;
    bool no_cache;
    pthread_mutex_t pool_lock;
    rmct_db *pool[POOL_MAX];
    int npool;
    pthread_mutex_t log_lock;
    srv_jobs *jobs;
};

const char *srv_data_dir(const srv *s) { return s->data_dir; }
const char *srv_db_path(const srv *s) { return s->db_path; }
int srv_job_threads(const srv *s) { return s->job_threads; }
srv_jobs *srv_jobs_of(srv *s) { return s->jobs; }

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void srv_log(srv *s, const char *fmt, ...)
{
    if (s->quiet) return;
    char buf[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    time_t t = time(NULL);
    struct tm tm;
    char ts[32];
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    pthread_mutex_lock(&s->log_lock);
    fprintf(stderr, "%s %s\n", ts, buf);
    pthread_mutex_unlock(&s->log_lock);
}

void srv_today(char out[11])
{
    const char *t = getenv("RMCT_TODAY");
    if (t && rmct_stock_valid_date(t)) rmct_strlcpy(out, t, 11);
    else rmct_stock_local_today(out);
}

/* ---------------- the connection pool ---------------- */

static rmct_db *pool_get(srv *s, rmct_error *err)
{
    pthread_mutex_lock(&s->pool_lock);
    rmct_db *db = s->npool ? s->pool[--s->npool] : NULL;
    pthread_mutex_unlock(&s->pool_lock);
    if (db) return db;
    if (rmct_db_open(&db, s->db_path, false, err)) return NULL;
    return db;
}

static void pool_put(srv *s, rmct_db *db)
{
    if (!db) return;
    pthread_mutex_lock(&s->pool_lock);
    if (s->npool < POOL_MAX) {
        s->pool[s->npool++] = db;
        db = NULL;
    }
    pthread_mutex_unlock(&s->pool_lock);
    if (db) rmct_db_close(db);
}

/* ---------------- rate limits: a token bucket per client address ---------------- */

static void rl_init(rate_limiter *rl, double rate, double burst)
{
    memset(rl->slots, 0, sizeof rl->slots);
    rl->rate = rate;
    rl->burst = burst;
    pthread_mutex_init(&rl->lock, NULL);
}

/* True if the client may go on; else *retry gets the seconds until a token is back. */
static bool rl_take(rate_limiter *rl, const char *key, int *retry)
{
    if (rl->rate <= 0) return true;
    uint32_t h = 2166136261u;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    double now = now_s();
    pthread_mutex_lock(&rl->lock);
    rl_slot *slot = NULL, *free_slot = NULL, *oldest = NULL;
    for (int i = 0; i < RL_PROBE && !slot; i++) {
        rl_slot *c = &rl->slots[(h + (uint32_t)i) % RL_SLOTS];
        if (!c->key[0]) {
            if (!free_slot) free_slot = c;
        } else if (strcmp(c->key, key) == 0)
            slot = c;
        else if (!oldest || c->last < oldest->last)
            oldest = c;
    }
    if (!slot) { /* a new client takes a free slot, or the least recently seen of its probe range */
        slot = free_slot ? free_slot : oldest;
        rmct_strlcpy(slot->key, key, sizeof slot->key);
        slot->tokens = rl->burst;
        slot->last = now;
    }
    slot->tokens = fmin(rl->burst, slot->tokens + (now - slot->last) * rl->rate);
    slot->last = now;
    bool ok = slot->tokens >= 1;
    if (ok) slot->tokens -= 1;
    else *retry = (int)ceil((1 - slot->tokens) / rl->rate);
    pthread_mutex_unlock(&rl->lock);
    return ok;
}

/* ---------------- the answer cache ---------------- */

static void cache_free(answer_cache *c)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(c->e[i].key);
        free(c->e[i].body);
    }
    memset(c->e, 0, sizeof c->e);
    c->bytes = 0;
}

/* The data's generation (see answer_cache). */
static bool data_generation(rmct_db *db, char gen[64])
{
    sqlite3_stmt *st;
    rmct_error err;
    if (rmct_db_cached(db, &st, "SELECT count(*), ifnull(max(id), 0), ifnull(sum(rows), 0) FROM source", &err)) return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        snprintf(gen, 64, "%lld/%lld/%lld", (long long)sqlite3_column_int64(st, 0), (long long)sqlite3_column_int64(st, 1),
                 (long long)sqlite3_column_int64(st, 2));
    sqlite3_reset(st);
    return ok;
}

/* A copy of the cached answer for key at generation gen, or NULL. */
static char *cache_get(answer_cache *c, const char *key, const char *gen, size_t *len)
{
    char *copy = NULL;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        cache_entry *e = &c->e[i];
        if (!e->key || strcmp(e->key, key)) continue;
        if (strcmp(e->gen, gen) == 0 && (copy = malloc(e->len + 1))) {
            memcpy(copy, e->body, e->len + 1);
            *len = e->len;
            e->used = now_s();
        }
        break;
    }
    if (copy) c->hits++;
    else c->misses++;
    pthread_mutex_unlock(&c->lock);
    return copy;
}

static void cache_put(answer_cache *c, const char *key, const char *gen, const char *body, size_t len)
{
    if (len > CACHE_ENTRY_MAX) return;
    pthread_mutex_lock(&c->lock);
    cache_entry *slot = NULL;
    for (int i = 0; i < CACHE_SLOTS && !slot; i++)
        if (c->e[i].key && strcmp(c->e[i].key, key) == 0) slot = &c->e[i];
    for (;;) {
        if (!slot)
            for (int i = 0; i < CACHE_SLOTS && !slot; i++)
                if (!c->e[i].key) slot = &c->e[i];
        if (slot && c->bytes - (slot->key ? slot->len : 0) + len <= CACHE_BYTES) break;
        /* drop the least recently used entry that is not the slot being written */
        cache_entry *lru = NULL;
        for (int i = 0; i < CACHE_SLOTS; i++)
            if (c->e[i].key && &c->e[i] != slot && (!lru || c->e[i].used < lru->used)) lru = &c->e[i];
        if (!lru) break;
        c->bytes -= lru->len;
        free(lru->key);
        free(lru->body);
        memset(lru, 0, sizeof *lru);
    }
    if (slot) {
        char *k = strdup(key), *b = malloc(len + 1);
        if (k && b) {
            if (slot->key) c->bytes -= slot->len;
            free(slot->key);
            free(slot->body);
            memcpy(b, body, len + 1);
            slot->key = k;
            slot->body = b;
            slot->len = len;
            rmct_strlcpy(slot->gen, gen, sizeof slot->gen);
            slot->used = now_s();
            c->bytes += len;
        } else {
            free(k);
            free(b);
        }
    }
    pthread_mutex_unlock(&c->lock);
}

typedef struct {
    char buf[1200];
    size_t n;
    bool overflow;
} key_builder;

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    key_builder *k = cls;
    int w = snprintf(k->buf + k->n, sizeof k->buf - k->n, "%c%s=%s", k->n && strchr(k->buf, '?') ? '&' : '?', key,
                     value ? value : "");
    if (w < 0 || (size_t)w >= sizeof k->buf - k->n) {
        k->overflow = true;
        return MHD_NO;
    }
    k->n += (size_t)w;
    return MHD_YES;
}

/* ---------------- answers ---------------- */

int srv_json(srv_req *r, int status, json_t *j)
{
    if (r->out) json_decref(r->out);
    r->out = j ? j : json_null();
    r->status = status;
    return status;
}

int srv_table(srv_req *r, out_table *t)
{
    json_t *j = out_json(t);
    out_free(t);
    return srv_json(r, MHD_HTTP_OK, j);
}

int srv_error(srv_req *r, int status, const char *code, const char *param, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t n = strlen(msg);
    n = rmct_utf8_valid_prefix(msg, n);
    msg[n] = '\0';
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(code));
    json_object_set_new(e, "message", json_string(msg));
    if (param) json_object_set_new(e, "parameter", json_string(param));
    return srv_json(r, status, json_pack("{s:o}", "error", e));
}

/* Messages name files of the data directory as data/...: the server's own paths stay private. */
void srv_hide_paths(const srv *s, char *buf, size_t size)
{
    size_t dl = strlen(s->data_dir);
    if (dl == 0) return;
    for (char *p = strstr(buf, s->data_dir); p; p = strstr(p, s->data_dir)) {
        size_t rest = strlen(p + dl);
        if (4 + rest + (size_t)(p - buf) >= size) break;
        memmove(p + 4, p + dl, rest + 1);
        memcpy(p, "data", 4);
        p += 4;
    }
}

int srv_fail(srv_req *r, const rmct_error *err)
{
    char buf[2048];
    rmct_error_format(err, buf, sizeof buf);
    srv_hide_paths(r->s, buf, sizeof buf);
    const char *param = err->field[0] ? err->field : NULL;
    switch (err->code) {
    case RMCT_E_ARG: return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", param, "%s", buf);
    case RMCT_E_INPUT: return srv_error(r, MHD_HTTP_UNPROCESSABLE_CONTENT, "bad_input", param, "%s", buf);
    case RMCT_E_NOTFOUND: return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", param, "%s", buf);
    case RMCT_E_CONFLICT: return srv_error(r, MHD_HTTP_CONFLICT, "conflict", param, "%s", buf);
    case RMCT_E_CANCELLED: return srv_error(r, MHD_HTTP_CONFLICT, "cancelled", NULL, "%s", buf);
    default:
        srv_log(r->s, "error %s %s: %s", r->method, r->path, buf);
        return srv_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL,
                         "the server could not complete the request (%s); the server log has the details",
                         rmct_strerror(err->code));
    }
}

/* ---------------- parameters ---------------- */

const char *srv_query(srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static bool clean_text(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || rmct_utf8_valid_prefix(s, n) != n) return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return false;
    return true;
}

int q_text(srv_req *r, const char *name, size_t max, const char **out)
{
    const char *v = srv_query(r, name);
    if (!v) return 0;
    if (!clean_text(v, max))
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected 1 to %zu characters of text", name, max);
    *out = v;
    return 0;
}

int q_long(srv_req *r, const char *name, long min, long max, long *out)
{
    const char *v = srv_query(r, name);
    if (!v) return 0;
    if (!rmct_parse_long(v, min, max, out))
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected a whole number from %ld to %ld", name,
                         min, max);
    return 0;
}

int q_double(srv_req *r, const char *name, double min, double max, double *out)
{
    const char *v = srv_query(r, name);
    if (!v) return 0;
    double x;
    if (!rmct_parse_double(v, false, &x) || x < min || x > max)
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected a number from %g to %g", name, min, max);
    *out = x;
    return 0;
}

int q_bool(srv_req *r, const char *name, bool *out)
{
    const char *v = srv_query(r, name);
    if (!v) return 0;
    if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "")) *out = true;
    else if (!strcmp(v, "false") || !strcmp(v, "0")) *out = false;
    else return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected true or false", name);
    return 0;
}

int q_enum(srv_req *r, const char *name, const char *const *allowed, const char **out)
{
    const char *v = srv_query(r, name);
    if (!v) return 0;
    char list[256] = "";
    for (int i = 0; allowed[i]; i++) {
        if (!strcmp(v, allowed[i])) {
            *out = allowed[i];
            return 0;
        }
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", allowed[i]);
    }
    return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected one of %s", name, list);
}

int q_date(srv_req *r, const char *name, const char **out)
{
    const char *v = srv_query(r, name);
    if (!v) return 0;
    if (!rmct_stock_valid_date(v))
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected a date YYYY-MM-DD", name);
    *out = v;
    return 0;
}

static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0) return true;
        p += len + (c != NULL);
    }
    return false;
}

int b_only(srv_req *r, const char *fields)
{
    const char *key;
    json_t *v;
    json_object_foreach(r->body, key, v) {
        if (!in_list(fields, key))
            return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", key, "%s: not a field of this request (expected: %s)",
                             rmct_utf8_valid_prefix(key, strlen(key)) == strlen(key) && strlen(key) < 64 ? key : "?", fields);
    }
    return 0;
}

int b_text(srv_req *r, const char *name, size_t max, bool required, const char **out)
{
    json_t *v = json_object_get(r->body, name);
    if (!v || json_is_null(v)) {
        if (required) return srv_error(r, MHD_HTTP_BAD_REQUEST, "missing_parameter", name, "%s: required", name);
        return 0;
    }
    if (!json_is_string(v) || !clean_text(json_string_value(v), max) || strlen(json_string_value(v)) != json_string_length(v))
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected a string of 1 to %zu characters", name, max);
    *out = json_string_value(v);
    return 0;
}

int b_number(srv_req *r, const char *name, double min, double max, bool required, double *out)
{
    json_t *v = json_object_get(r->body, name);
    if (!v || json_is_null(v)) {
        if (required) return srv_error(r, MHD_HTTP_BAD_REQUEST, "missing_parameter", name, "%s: required", name);
        return 0;
    }
    double x = json_number_value(v);
    if (!json_is_number(v) || !isfinite(x) || x < min || x > max)
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected a number from %g to %g", name, min, max);
    *out = x;
    return 0;
}

int b_long(srv_req *r, const char *name, long min, long max, bool required, long *out)
{
    json_t *v = json_object_get(r->body, name);
    if (!v || json_is_null(v)) {
        if (required) return srv_error(r, MHD_HTTP_BAD_REQUEST, "missing_parameter", name, "%s: required", name);
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected a whole number from %ld to %ld", name, min,
                         max);
    *out = (long)json_integer_value(v);
    return 0;
}

int b_bool(srv_req *r, const char *name, bool *out)
{
    json_t *v = json_object_get(r->body, name);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_boolean(v)) return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected true or false", name);
    *out = json_is_true(v);
    return 0;
}

int b_decimal(srv_req *r, const char *name, bool required, char *buf, size_t size, const char **out)
{
    json_t *v = json_object_get(r->body, name);
    if (!v || json_is_null(v)) {
        if (required) return srv_error(r, MHD_HTTP_BAD_REQUEST, "missing_parameter", name, "%s: required", name);
        return 0;
    }
    if (json_is_string(v) && clean_text(json_string_value(v), 40)) rmct_strlcpy(buf, json_string_value(v), size);
    else if (json_is_integer(v)) snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v) && isfinite(json_real_value(v))) snprintf(buf, size, "%.15g", json_real_value(v));
    else return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected a number", name);
    *out = buf;
    return 0;
}

bool srv_safe_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 64 || s[0] == '.') return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

int srv_upload_save(srv_req *r, const char *deflt, const char *what, const char **name, char *dir, size_t dsize, char *path,
                    size_t psize)
{
    int st;
    *name = deflt;
    if ((st = q_text(r, "file", 64, name))) return st;
    if (!srv_safe_name(*name))
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "file",
                         "file: expected a file name of 1 to 64 letters, digits, '.', '_' or '-', not starting with a dot");
    if (!r->upload_len) return srv_error(r, MHD_HTTP_BAD_REQUEST, "missing_parameter", NULL, "expected %s as the body", what);
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, dsize, "%s/rmct-upload.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        srv_log(r->s, "upload: cannot make a temporary directory: %s", strerror(errno));
        return srv_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, "the server could not store the upload");
    }
    snprintf(path, psize, "%s/%s", dir, *name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool ok = fd >= 0;
    for (size_t done = 0; ok && done < r->upload_len;) {
        ssize_t w = write(fd, r->upload + done, r->upload_len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) ok = false;
        else done += (size_t)w;
    }
    if (fd >= 0 && close(fd) != 0) ok = false;
    if (!ok) {
        srv_log(r->s, "upload: cannot write %s: %s", path, strerror(errno));
        srv_upload_remove(dir, path);
        return srv_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, "the server could not store the upload");
    }
    return 0;
}

void srv_upload_remove(const char *dir, const char *path)
{
    unlink(path);
    rmdir(dir);
}

/* ---------------- the audit log ---------------- */

/* The body without secrets. */
static json_t *audit_detail(json_t *body)
{
    if (!json_is_object(body)) return json_object();
    json_t *d = json_deep_copy(body);
    const char *secret[] = {"password", "current_password", "new_password", "token"};
    for (size_t i = 0; i < sizeof secret / sizeof *secret; i++)
        if (json_object_get(d, secret[i])) json_object_set_new(d, secret[i], json_string("(not recorded)"));
    return d;
}

void srv_audit(srv_req *r, const char *action, const char *target, int status, json_t *detail)
{
    rmct_error err;
    rmct_error_clear(&err);
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (r->db && rmct_audit_add(r->db, r->authed ? r->user.name : "anonymous", action, target, status, r->client, text, &err))
        srv_log(r->s, "audit log: %s", err.msg);
    free(text);
}

/* ---------------- static files ---------------- */

static const char *content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
                 {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
                 {".json", "application/json"}, {".map", "application/json"}, {".svg", "image/svg+xml"},
                 {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
                 {".ico", "image/x-icon"}, {".webp", "image/webp"}, {".woff", "font/woff"}, {".woff2", "font/woff2"},
                 {".txt", "text/plain; charset=utf-8"}, {".csv", "text/csv; charset=utf-8"}, {".wasm", "application/wasm"}};
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof types / sizeof *types; i++)
            if (rmct_streq_nocase(dot, types[i].ext)) return types[i].type;
    return "application/octet-stream";
}

/* A path below the web root: '/'-separated segments of [A-Za-z0-9._-], none empty, none starting
 * with '.' (no '..', no hidden files). */
static bool safe_static_path(const char *p)
{
    if (p[0] != '/' || strlen(p) > 512) return false;
    for (const char *s = p + 1; *s;) {
        size_t len = strcspn(s, "/");
        if (len == 0 || s[0] == '.') return false;
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
                return false;
        }
        s += len;
        if (*s == '/') {
            s++;
            if (!*s) return false;
        }
    }
    return true;
}

static void common_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
}

/* Serves a file of the web root; returns the status, *resp set. */
static int serve_static(srv *s, struct MHD_Connection *conn, const char *url, struct MHD_Response **resp, srv_req *r)
{
    if (!s->have_web) return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no web directory is configured (--web DIR)");
    const char *path = strcmp(url, "/") == 0 ? "/index.html" : url;
    if (!safe_static_path(path)) return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such file");
    char full[PATH_MAX + 600], real[PATH_MAX];
    snprintf(full, sizeof full, "%s%s", s->web_root, path);
    if (!realpath(full, real) || strncmp(real, s->web_root, strlen(s->web_root)) != 0 || real[strlen(s->web_root)] != '/')
        return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such file");
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0) close(fd);
        return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such file");
    }
    char etag[64], lastmod[64];
    snprintf(etag, sizeof etag, "\"%lx-%lx\"", (unsigned long)sb.st_mtime, (unsigned long)sb.st_size);
    struct tm tm;
    gmtime_r(&sb.st_mtime, &tm);
    strftime(lastmod, sizeof lastmod, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    int status = MHD_HTTP_OK;
    if (inm && strcmp(inm, etag) == 0) {
        close(fd);
        *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        status = MHD_HTTP_NOT_MODIFIED;
    } else {
        *resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    }
    if (!*resp) return srv_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, "out of memory");
    MHD_add_response_header(*resp, "Content-Type", content_type(path));
    MHD_add_response_header(*resp, "ETag", etag);
    MHD_add_response_header(*resp, "Last-Modified", lastmod);
    /* HTML is revalidated every time (it names the assets); other files may be kept an hour */
    MHD_add_response_header(*resp, "Cache-Control",
                            strstr(content_type(path), "text/html") ? "no-cache" : "public, max-age=3600");
    common_headers(*resp);
    return status;
}

/* ---------------- a request from start to answer ---------------- */

typedef struct {
    char *body;
    size_t len, cap;
    bool too_large;
    double t0;
    char client[64];
    int early;                /* an answer decided before the body was read */
} conn_state;

static const srv_route *match_route(const char *method, const char *path, srv_req *r, bool *path_known, char *allow,
                                    size_t allow_size)
{
    *path_known = false;
    allow[0] = '\0';
    const srv_route *hit = NULL;
    for (const srv_route *rt = routes; rt->method; rt++) {
        const char *p = rt->pattern, *u = path;
        int np = 0;
        char params[SRV_MAX_PARAMS][160];
        bool ok = true;
        while (ok && *p && *u) {
            if (*p != '/' || *u != '/') {
                ok = false;
                break;
            }
            p++, u++;
            size_t pl = strcspn(p, "/"), ul = strcspn(u, "/");
            if (p[0] == '{') {
                if (ul == 0 || ul >= sizeof params[0] || np == SRV_MAX_PARAMS) ok = false;
                else {
                    memcpy(params[np], u, ul);
                    params[np++][ul] = '\0';
                }
            } else if (pl != ul || strncmp(p, u, pl) != 0)
                ok = false;
            p += pl, u += ul;
        }
        if (!ok || *p || *u) continue;
        /* a literal segment beats a {param} at the same place: routes are listed literal first */
        *path_known = true;
        size_t used = strlen(allow);
        if (!strstr(allow, rt->method)) snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "", rt->method);
        if (!hit && strcmp(rt->method, method) == 0) {
            hit = rt;
            r->nparams = np;
            for (int i = 0; i < np; i++) memcpy(r->params[i], params[i], sizeof params[i]);
        }
    }
    return hit;
}

typedef struct {
    srv_req *r;
    const char *bad;          /* an unknown or repeated parameter */
    bool repeated, bad_value;
    int seen_n;
    const char *seen[32];
} query_check;

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    query_check *q = cls;
    if (q->bad) return MHD_NO;
    if (!in_list(q->r->route->query, key)) {
        q->bad = key;
        return MHD_NO;
    }
    for (int i = 0; i < q->seen_n; i++)
        if (!strcmp(q->seen[i], key)) {
            q->bad = key;
            q->repeated = true;
            return MHD_NO;
        }
    if (q->seen_n < 32) q->seen[q->seen_n++] = key;
    if (value && (strlen(value) > MAX_QUERY_VALUE || rmct_utf8_valid_prefix(value, strlen(value)) != strlen(value))) {
        q->bad = key;
        q->bad_value = true;
        return MHD_NO;
    }
    return MHD_YES;
}

static bool is_write(const char *method) { return strcmp(method, "GET") && strcmp(method, "HEAD"); }

/* The session cookie's value, if the request carries one. */
static const char *session_cookie(struct MHD_Connection *conn)
{
    return MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, SESSION_COOKIE);
}

/* Authenticate, authorise, check CSRF and the body, then run the handler. */
static int dispatch(srv *s, srv_req *r, conn_state *cs, const char *version)
{
    (void)version;
    bool known;
    char allow[64];
    r->route = match_route(r->method, r->path, r, &known, allow, sizeof allow);
    if (!r->route) {
        if (!strcmp(r->method, "HEAD")) {
            const srv_route *g = match_route("GET", r->path, r, &known, allow, sizeof allow);
            if (g) r->route = g;
        }
        if (!r->route) {
            if (known) {
                rmct_strlcpy(r->allow, allow, sizeof r->allow);
                return srv_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", NULL, "%s is not allowed here (allowed: %s)",
                                 r->method, allow);
            }
            return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such endpoint: %s", r->path);
        }
    }
    for (int i = 0; i < r->nparams; i++)
        if (!clean_text(r->params[i], sizeof r->params[i] - 1))
            return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", NULL, "a path segment is not valid text");
    query_check qc = {.r = r};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &qc);
    if (qc.bad) {
        const char *name = clean_text(qc.bad, 64) ? qc.bad : "?";
        if (qc.repeated) return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: given more than once", name);
        if (qc.bad_value)
            return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected at most %d characters of UTF-8", name,
                             MAX_QUERY_VALUE);
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: not a parameter of this endpoint%s%s%s", name,
                         r->route->query[0] ? " (expected: " : " (it takes none)", r->route->query[0] ? r->route->query : "",
                         r->route->query[0] ? ")" : "");
    }
    rmct_error err;
    rmct_error_clear(&err);
    r->db = pool_get(s, &err);
    if (!r->db) return srv_fail(r, &err);

    /* who: an API token, else a session cookie */
    const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    if (authz) {
        if (strncmp(authz, "Bearer ", 7) != 0)
            return srv_error(r, MHD_HTTP_UNAUTHORIZED, "unauthenticated", NULL, "Authorization: expected 'Bearer TOKEN'");
        bool found;
        if (rmct_token_lookup(r->db, authz + 7, &r->user, &found, &err)) return srv_fail(r, &err);
        if (!found) return srv_error(r, MHD_HTTP_UNAUTHORIZED, "invalid_token", NULL, "the API token is unknown or revoked");
        r->authed = r->by_token = true;
    } else {
        const char *sid = session_cookie(r->conn);
        if (sid) {
            bool found;
            int64_t now = (int64_t)time(NULL);
            if (rmct_session_lookup(r->db, sid, now, &r->user, r->csrf, &found, &err)) return srv_fail(r, &err);
            if (found) {
                r->authed = true;
                rmct_strlcpy(r->sid, sid, sizeof r->sid);
            }
        }
    }
    if (r->route->role > RMCT_ROLE_PUBLIC && !r->authed)
        return srv_error(r, MHD_HTTP_UNAUTHORIZED, "unauthenticated", NULL, "log in (POST " API_PREFIX "/session) or send an API token");
    if (r->route->role > RMCT_ROLE_PUBLIC && r->user.role < r->route->role)
        return srv_error(r, MHD_HTTP_FORBIDDEN, "forbidden", NULL, "this needs the %s role or above; %s is %s",
                         rmct_role_name(r->route->role), r->user.name, rmct_role_name(r->user.role));
    bool write = is_write(r->method);
    if (write) {
        /* a browser's cross-site request says where it comes from: it must be this server */
        const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
        const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
        if (origin && strcmp(origin, "null") != 0) {
            const char *o = strstr(origin, "://");
            if (!host || !o || strcmp(o + 3, host) != 0)
                return srv_error(r, MHD_HTTP_FORBIDDEN, "bad_origin", NULL, "a request from another site (Origin %.100s) is refused",
                                 origin);
        }
        /* with a session cookie, the session's CSRF token must come back in a header */
        if (r->authed && !r->by_token && !(r->route->flags & SRV_NO_CSRF)) {
            const char *tok = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
            if (!tok || strlen(tok) != RMCT_SECRET_HEX || sodium_memcmp(tok, r->csrf, RMCT_SECRET_HEX) != 0)
                return srv_error(r, MHD_HTTP_FORBIDDEN, "csrf", NULL,
                                 "missing or wrong X-CSRF-Token header (GET " API_PREFIX "/session gives the session's token)");
        }
    }
    if (r->route->flags & SRV_BODY) {
        const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
        if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' '))
            return srv_error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", NULL,
                             "expected a JSON body (Content-Type: application/json)");
        json_error_t je;
        r->body = cs->len ? json_loadb(cs->body, cs->len, JSON_REJECT_DUPLICATES, &je) : NULL;
        if (!r->body)
            return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_json", NULL, "the body is not valid JSON%s%.200s",
                             cs->len ? ": " : " (empty)", cs->len ? je.text : "");
        if (!json_is_object(r->body))
            return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_json", NULL, "expected a JSON object as the body");
    } else if (r->route->flags & SRV_CSV) {
        const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
        if (!ct || strncasecmp(ct, "text/csv", 8) != 0 || (ct[8] && ct[8] != ';' && ct[8] != ' '))
            return srv_error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", NULL,
                             "expected a CSV file as the body (Content-Type: text/csv)");
        r->upload = cs->body;
        r->upload_len = cs->len;
    } else if (cs->len) {
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "unexpected_body", NULL, "this endpoint takes no body");
    }
    char key[1300], gen[64];
    bool cacheable = (r->route->flags & SRV_CACHE) && !strcmp(r->method, "GET") && !s->no_cache && data_generation(r->db, gen);
    if (cacheable) {
        key_builder kb = {.n = 0};
        int w = snprintf(kb.buf, sizeof kb.buf, "%s", r->path);
        kb.n = w > 0 && (size_t)w < sizeof kb.buf ? (size_t)w : sizeof kb.buf - 1;
        MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &kb);
        cacheable = !kb.overflow && snprintf(key, sizeof key, "%s", kb.buf) < (int)sizeof key;
    }
    if (cacheable && (r->raw = cache_get(&s->cache, key, gen, &r->raw_len))) {
        r->cache = "hit";
        r->status = MHD_HTTP_OK;
        return MHD_HTTP_OK;
    }
    int status = r->route->handler(r);
    if (cacheable && status == MHD_HTTP_OK && r->out) {
        r->raw = json_dumps(r->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY);
        if (r->raw) {
            r->raw_len = strlen(r->raw);
            cache_put(&s->cache, key, gen, r->raw, r->raw_len);
            r->cache = "miss";
        }
    }
    /* every write by a known user (and every login attempt) is in the audit log */
    if (write && (r->authed || r->route->handler == h_login)) {
        char action[160];
        snprintf(action, sizeof action, "%s %s", r->method, r->route->pattern);
        json_t *d = audit_detail(r->body);
        if (r->nparams) {
            json_t *pa = json_array();
            for (int i = 0; i < r->nparams; i++) json_array_append_new(pa, json_string(r->params[i]));
            json_object_set_new(d, "path", pa);
        }
        srv_audit(r, action, r->audit_target[0] ? r->audit_target : (r->nparams ? r->params[0] : ""), status, d);
        json_decref(d);
    }
    return status;
}

static enum MHD_Result send_answer(struct MHD_Connection *conn, srv_req *r, struct MHD_Response *file_resp, int status)
{
    struct MHD_Response *resp = file_resp;
    if (!resp) {
        char *text = r->raw ? r->raw : json_dumps(r->out ? r->out : json_null(),
                                                  JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY);
        r->raw = NULL;
        if (!text) text = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}");
        size_t n = text ? strlen(text) : 0;
        resp = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
        if (!resp) {
            free(text);
            return MHD_NO;
        }
        MHD_add_response_header(resp, "Content-Type", "application/json");
        MHD_add_response_header(resp, "Cache-Control", "no-store");
        common_headers(resp);
        if (r->allow[0]) MHD_add_response_header(resp, "Allow", r->allow);
        if (r->cache) MHD_add_response_header(resp, "X-Cache", r->cache);
        if (r->location[0]) MHD_add_response_header(resp, "Location", r->location);
    }
    if (r->cookie[0]) MHD_add_response_header(resp, "Set-Cookie", r->cookie);
    if (r->retry_after > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", ra);
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void request_done(srv *s, srv_req *r, conn_state *cs, int status)
{
    double ms = (now_s() - cs->t0) * 1000;
    srv_log(s, "%s %s %.200s %d %.1fms %s", cs->client, r->method, r->path, status, ms, r->authed ? r->user.name : "-");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    srv *s = cls;
    conn_state *cs = *con_cls;
    if (!cs) {
        cs = calloc(1, sizeof *cs);
        if (!cs) return MHD_NO;
        *con_cls = cs;
        cs->t0 = now_s();
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        rmct_strlcpy(cs->client, "unknown", sizeof cs->client);
        if (ci && ci->client_addr) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, cs->client, sizeof cs->client);
            else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, cs->client, sizeof cs->client);
        }
        /* limits decided before reading any body */
        int retry = 0;
        if (!rl_take(&s->rl, cs->client, &retry)) cs->early = -retry - 1;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        long len;
        if (!cs->early && cl && (!rmct_parse_long(cl, 0, LONG_MAX, &len) || (size_t)len > s->max_body)) cs->too_large = true;
        if (cs->early || cs->too_large) goto answer_now;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cs->too_large) {
            if (cs->len + *upload_size > s->max_body) {
                cs->too_large = true;
                free(cs->body);
                cs->body = NULL;
                cs->len = cs->cap = 0;
            } else {
                if (cs->len + *upload_size > cs->cap) {
                    size_t cap = cs->cap ? cs->cap : 1024;
                    while (cap < cs->len + *upload_size) cap *= 2;
                    char *p = realloc(cs->body, cap);
                    if (!p) return MHD_NO;
                    cs->body = p;
                    cs->cap = cap;
                }
                memcpy(cs->body + cs->len, upload_data, *upload_size);
                cs->len += *upload_size;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
answer_now:;
    srv_req r = {.s = s, .conn = conn, .method = method, .path = url, .status = 0};
    rmct_strlcpy(r.client, cs->client, sizeof r.client);
    struct MHD_Response *file_resp = NULL;
    int status;
    if (cs->early < 0) {
        r.retry_after = -cs->early - 1;
        if (r.retry_after < 1) r.retry_after = 1;
        status = srv_error(&r, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited", NULL, "too many requests from %s; retry in %d s",
                           cs->client, r.retry_after);
    } else if (cs->too_large) {
        status = srv_error(&r, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large", NULL, "the body is larger than %zu bytes", s->max_body);
    } else if (strcmp(url, "/healthz") == 0 || strcmp(url, API_PREFIX) == 0 || strncmp(url, API_PREFIX "/", strlen(API_PREFIX) + 1) == 0) {
        status = dispatch(s, &r, cs, version);
    } else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        rmct_strlcpy(r.allow, "GET, HEAD", sizeof r.allow);
        status = srv_error(&r, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", NULL, "static files are read with GET");
    } else if (cs->len) {
        status = srv_error(&r, MHD_HTTP_BAD_REQUEST, "unexpected_body", NULL, "a GET takes no body");
    } else {
        status = serve_static(s, conn, url, &file_resp, &r);
    }
    enum MHD_Result ret = send_answer(conn, &r, file_resp, status);
    request_done(s, &r, cs, status);
    if (r.db) pool_put(s, r.db);
    json_decref(r.body);
    json_decref(r.out);
    free(r.raw);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    conn_state *cs = *con_cls;
    if (!cs) return;
    free(cs->body);
    free(cs);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    srv *s = cls;
    char buf[600];
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t n = strlen(buf);
    while (n && buf[n - 1] == '\n') buf[--n] = '\0';
    srv_log(s, "libmicrohttpd: %s", buf);
}

/* ---------------- rmct serve ---------------- */

static void serve_usage(FILE *fp)
{
    fprintf(fp,
            "usage: rmct serve [--listen ADDR:PORT] [--db PATH] [--web DIR] [--threads N] [--jobs N]\n"
            "                  [--job-threads N] [--rate R] [--burst B] [--max-body BYTES] [--timeout S]\n"
            "                  [--login-rate R] [--session-hours H] [--secure-cookies] [--no-cache] [--quiet]\n"
            "\n"
            "RMCT over HTTP: the JSON API under /api/v1/ (docs/API.md, docs/openapi.json), a health check at\n"
            "/healthz and the dashboard's static files, from the same database as the command line. Reading\n"
            "the public data needs no login; the stockpile needs a user, writing needs the role the endpoint\n"
            "names, Monte Carlo runs and purchase plans the analyst role ('rmct user add NAME --role R').\n"
            "Stops cleanly on SIGINT or SIGTERM (running jobs are cancelled).\n"
            "\n"
            "  --listen ADDR:PORT   address to listen on (default 127.0.0.1:8080; port 0: any free port;\n"
            "                       [::1]:8080 for IPv6). The URL is printed on standard output.\n"
            "  --web DIR            static files (default: $RMCT_WEB, else %s; its dist/ when built)\n"
            "  --threads N          request threads (default: the CPUs online, at least 2)\n"
            "  --jobs N             background jobs run at once (default 1); --job-threads N threads each\n"
            "  --rate R --burst B   requests per second per client address, and the burst allowed (default\n"
            "                       20/s, burst 60; --rate 0: no limit). --login-rate R: login attempts per\n"
            "                       second per client address, burst 10 (default 0.5; 0: no limit)\n"
            "  --max-body BYTES     largest request body (default 1048576); --timeout S: idle connection\n"
            "                       timeout (default 30)\n"
            "  --session-hours H    session lifetime (default 12); --secure-cookies: mark cookies Secure\n"
            "                       (behind an HTTPS proxy)\n"
            "  --no-cache           recompute every answer (public data answers are otherwise kept until an\n"
            "                       import changes the data)\n"
            "  --quiet              no access log on standard error\n",
            RMCT_WEBDIR);
}

/* "127.0.0.1:8080", "[::1]:8080", "8080" -> a socket address. */
static bool parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len, bool *v6)
{
    char host[128] = "127.0.0.1", port[16];
    const char *colon;
    if (text[0] == '[') {
        const char *end = strchr(text, ']');
        if (!end || end[1] != ':' || (size_t)(end - text - 1) >= sizeof host) return false;
        memcpy(host, text + 1, (size_t)(end - text - 1));
        host[end - text - 1] = '\0';
        colon = end + 1;
    } else if ((colon = strrchr(text, ':'))) {
        if ((size_t)(colon - text) >= sizeof host) return false;
        memcpy(host, text, (size_t)(colon - text));
        host[colon - text] = '\0';
    } else
        colon = text - 1;
    long p;
    if (!rmct_parse_long(colon + 1, 0, 65535, &p)) return false;
    snprintf(port, sizeof port, "%ld", p);
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(host, port, &hints, &res) != 0) return false;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return true;
}

static void find_web_root(srv *s, const char *dir)
{
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/dist/index.html", dir);
    const char *use = dir;
    char dist[PATH_MAX + 8];
    if (access(probe, R_OK) == 0) {
        snprintf(dist, sizeof dist, "%s/dist", dir);
        use = dist;
    }
    s->have_web = realpath(use, s->web_root) != NULL;
}

int cmd_serve(cli_ctx *cli, int argc, char **argv)
{
    enum { O_LISTEN = OPT__COMMON_END, O_WEB, O_THREADS, O_JOBS, O_JOB_THREADS, O_RATE, O_BURST, O_MAX_BODY, O_TIMEOUT,
           O_SESSION, O_SECURE, O_QUIET, O_LOGIN_RATE, O_NO_CACHE };
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"listen", required_argument, NULL, O_LISTEN},
                                         {"web", required_argument, NULL, O_WEB},
                                         {"threads", required_argument, NULL, O_THREADS},
                                         {"jobs", required_argument, NULL, O_JOBS},
                                         {"job-threads", required_argument, NULL, O_JOB_THREADS},
                                         {"rate", required_argument, NULL, O_RATE},
                                         {"burst", required_argument, NULL, O_BURST},
                                         {"max-body", required_argument, NULL, O_MAX_BODY},
                                         {"timeout", required_argument, NULL, O_TIMEOUT},
                                         {"session-hours", required_argument, NULL, O_SESSION},
                                         {"secure-cookies", no_argument, NULL, O_SECURE},
                                         {"quiet", no_argument, NULL, O_QUIET},
                                         {"login-rate", required_argument, NULL, O_LOGIN_RATE},
                                         {"no-cache", no_argument, NULL, O_NO_CACHE},
                                         {NULL, 0, NULL, 0}};
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    const char *listen = "127.0.0.1:8080", *web = getenv("RMCT_WEB");
    if (!web || !*web) web = RMCT_WEBDIR;
    long threads = ncpu > 2 ? ncpu : 2, jobs = 1, job_threads = ncpu > 0 ? ncpu : 1, max_body = 1 << 20, timeout = 30,
         session_h = 12;
    double rate = 20, burst = 60, login_rate = 0.5;
    bool secure = false, quiet = false, no_cache = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        switch (opt) {
        case O_LISTEN: listen = optarg; break;
        case O_WEB: web = optarg; break;
        case O_THREADS:
            if (!rmct_parse_long(optarg, 1, 256, &threads)) return cli_usage_error("serve", "--threads: expected 1 to 256, got \"%s\"", optarg);
            break;
        case O_JOBS:
            if (!rmct_parse_long(optarg, 1, 16, &jobs)) return cli_usage_error("serve", "--jobs: expected 1 to 16, got \"%s\"", optarg);
            break;
        case O_JOB_THREADS:
            if (!rmct_parse_long(optarg, 1, 256, &job_threads))
                return cli_usage_error("serve", "--job-threads: expected 1 to 256, got \"%s\"", optarg);
            break;
        case O_RATE:
        case O_BURST:
        case O_LOGIN_RATE: {
            double v;
            if (!rmct_parse_double(optarg, false, &v) || v < 0 || v > 1e6)
                return cli_usage_error("serve", "%s: expected a number from 0 to 1000000, got \"%s\"",
                                       opt == O_RATE ? "--rate" : opt == O_BURST ? "--burst" : "--login-rate", optarg);
            *(opt == O_RATE ? &rate : opt == O_BURST ? &burst : &login_rate) = v;
            break;
        }
        case O_MAX_BODY:
            if (!rmct_parse_long(optarg, 1024, 64L << 20, &max_body))
                return cli_usage_error("serve", "--max-body: expected 1024 to 67108864 bytes, got \"%s\"", optarg);
            break;
        case O_TIMEOUT:
            if (!rmct_parse_long(optarg, 1, 3600, &timeout)) return cli_usage_error("serve", "--timeout: expected 1 to 3600 s, got \"%s\"", optarg);
            break;
        case O_SESSION:
            if (!rmct_parse_long(optarg, 1, 24 * 30, &session_h))
                return cli_usage_error("serve", "--session-hours: expected 1 to 720, got \"%s\"", optarg);
            break;
        case O_SECURE: secure = true; break;
        case O_QUIET: quiet = true; break;
        case O_NO_CACHE: no_cache = true; break;
        case OPT_HELP:
        case 'h': serve_usage(stdout); return 0;
        default: return cli_usage_error("serve", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("serve", "unexpected argument \"%s\"", argv[optind]);
    struct sockaddr_storage ss;
    socklen_t sslen;
    bool v6;
    if (!parse_listen(listen, &ss, &sslen, &v6))
        return cli_usage_error("serve", "--listen: expected ADDRESS:PORT (127.0.0.1:8080, [::1]:8080), got \"%s\"", listen);
    if (burst < 1 && rate > 0) burst = 1;

    /* the database must exist and be up to date before the first request */
    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    if (!rmct_registry_loaded(db)) {
        rmct_db_close(db);
        fprintf(stderr, "rmct: serve: the database %s has no data: run 'rmct init' first\n", cli->db_path);
        return 1;
    }
    rmct_error err;
    rmct_error_clear(&err);
    rmct_session_purge(db, (int64_t)time(NULL), &err);
    if (sodium_init() < 0) {
        rmct_db_close(db);
        fprintf(stderr, "rmct: serve: libsodium could not be initialised\n");
        return 1;
    }

    srv *s = calloc(1, sizeof *s);
    if (!s) {
        rmct_db_close(db);
        return 1;
    }
    s->cli = cli;
    s->db_path = cli->db_path;
    s->data_dir = cli->data_dir;
    s->max_body = (size_t)max_body;
    s->timeout_s = (unsigned)timeout;
    s->threads = (int)threads;
    s->job_threads = (int)job_threads;
    s->session_ttl = session_h * 3600;
    s->secure_cookies = secure;
    s->quiet = quiet;
    rl_init(&s->rl, rate, burst);
    rl_init(&s->login_rl, login_rate, 10);
    pthread_mutex_init(&s->cache.lock, NULL);
    s->no_cache = no_cache;
    pthread_mutex_init(&s->pool_lock, NULL);
    pthread_mutex_init(&s->log_lock, NULL);
    s->pool[s->npool++] = db;
    find_web_root(s, web);

    /* signals: every thread started from here on blocks them; this one waits for them */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    s->jobs = srv_jobs_start(s, (int)jobs);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | (v6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)timeout, MHD_OPTION_CONNECTION_LIMIT, 1000u,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_END);
    int rc = 0;
    if (!d) {
        fprintf(stderr, "rmct: serve: cannot listen on %s: %s\n", listen, errno ? strerror(errno) : "libmicrohttpd refused");
        rc = 1;
    } else {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        char host[128];
        if (v6) inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr, host, sizeof host);
        else inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)&ss)->sin_addr, host, sizeof host);
        printf("RMCT is serving %s at http://%s%s%s:%u/\n", cli->db_path, v6 ? "[" : "", host, v6 ? "]" : "",
               info ? (unsigned)info->port : 0u);
        if (!s->have_web) printf("(no web directory at %s: only the API is served)\n", web);
        fflush(stdout);
        int sig = 0;
        sigwait(&set, &sig);
        srv_log(s, "signal %d: stopping", sig);
        MHD_stop_daemon(d);
    }
    srv_jobs_stop(s->jobs);
    for (int i = 0; i < s->npool; i++) rmct_db_close(s->pool[i]);
    pthread_mutex_destroy(&s->pool_lock);
    pthread_mutex_destroy(&s->log_lock);
    pthread_mutex_destroy(&s->rl.lock);
    pthread_mutex_destroy(&s->login_rl.lock);
    srv_log(s, "answer cache: %ld hits, %ld misses", s->cache.hits, s->cache.misses);
    cache_free(&s->cache);
    pthread_mutex_destroy(&s->cache.lock);
    free(s);
    return rc;
}

/* Login attempts are limited per client address on their own (each costs an Argon2id hash). */
bool srv_login_allowed(srv_req *r, int *retry) { return rl_take(&r->s->login_rl, r->client, retry); }
int64_t srv_session_ttl(const srv *s) { return s->session_ttl; }
bool srv_secure_cookies(const srv *s) { return s->secure_cookies; }
