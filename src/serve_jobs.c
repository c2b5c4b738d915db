/* serve_jobs.c: work that takes longer than a request (docs/API.md, "Background runs"): Monte
 * Carlo runs of a scenario and stockpile purchase plans. A POST queues a job and answers 202 with
 * its id at once; worker threads run the queue; GET shows status and progress (from the ensemble's
 * progress callback) and, when done, the results; DELETE cancels (the ensemble checks its cancel
 * flag between blocks of futures). The newest 200 jobs are kept in memory, finished ones dropped
 * first; every job that finishes is also stored in the database (lib/jobstore.h), and a server that
 * starts reads the newest back, so runs and plans outlive a restart. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jobstore.h"
#include "serve.h"
#include "sim_cli.h"
#include "stockpile.h"
#include "text.h"
#include "views.h"

#define JOB_KEEP 200           /* jobs remembered */
#define JOB_ACTIVE_MAX 32      /* queued or running, all users */
#define JOB_ACTIVE_PER_USER 4

typedef enum { JOB_RUN, JOB_PLAN } job_kind;
typedef enum { JS_QUEUED, JS_RUNNING, JS_DONE, JS_FAILED, JS_CANCELLED } job_status;
static const char *const status_names[] = {"queued", "running", "done", "failed", "cancelled"};

typedef struct {
    long id;
    job_kind kind;
    char owner[RMCT_NAME_MAX + 1];
    job_status status;
    volatile int cancel;
    double progress;          /* 0..1 */
    time_t created, started, finished;
    json_t *params;
    json_t *result;
    char error[1200];
    char error_code[32];
} job;

struct srv_jobs {
    srv *s;
    pthread_mutex_t lock;
    pthread_cond_t cv;
    bool stop;
    job *v[JOB_KEEP];
    int n;
    long next_id;
    pthread_t workers[16];
    int nworkers;
};

static void job_free(job *j)
{
    if (!j) return;
    json_decref(j->params);
    json_decref(j->result);
    free(j);
}

static void iso_time(time_t t, char *buf, size_t size)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Under the lock. */
static json_t *job_json(const job *j, bool with_result)
{
    char c[32], s[32] = "", f[32] = "";
    iso_time(j->created, c, sizeof c);
    if (j->started) iso_time(j->started, s, sizeof s);
    if (j->finished) iso_time(j->finished, f, sizeof f);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:f, s:b, s:s, s:s?, s:s?, s:O}", "id", (json_int_t)j->id, "kind",
                          j->kind == JOB_RUN ? "scenario-run" : "stock-plan", "owner", j->owner, "status", status_names[j->status],
                          "progress_pct", round(1000 * j->progress) / 10, "cancel_requested", j->cancel != 0, "created_at", c,
                          "started_at", s[0] ? s : NULL, "finished_at", f[0] ? f : NULL, "params", j->params);
    if (j->status == JS_FAILED || j->status == JS_CANCELLED)
        json_object_set_new(o, "error", json_pack("{s:s, s:s}", "code", j->error_code, "message", j->error));
    if (with_result && j->status == JS_DONE && j->result) json_object_set(o, "result", j->result);
    return o;
}

/* ---------------- the database copy ---------------- */

/* The stored form of finished job j (under the lock: the job may be dropped once it is released).
 * false if out of memory. */
static bool job_record(const job *j, rmct_jobrec *rec)
{
    memset(rec, 0, sizeof *rec);
    rec->id = j->id;
    rmct_strlcpy(rec->kind, j->kind == JOB_RUN ? "scenario-run" : "stock-plan", sizeof rec->kind);
    rmct_strlcpy(rec->owner, j->owner, sizeof rec->owner);
    rmct_strlcpy(rec->status, status_names[j->status], sizeof rec->status);
    rec->created_at = j->created, rec->started_at = j->started, rec->finished_at = j->finished;
    rec->params = json_dumps(j->params, JSON_COMPACT);
    rec->result = j->status == JS_DONE && j->result ? json_dumps(j->result, JSON_COMPACT) : NULL;
    rmct_strlcpy(rec->error_code, j->error_code, sizeof rec->error_code);
    rmct_strlcpy(rec->error_message, j->error, sizeof rec->error_message);
    return rec->params && (rec->result || j->status != JS_DONE);
}

/* Store a finished job's record (outside the lock) and free its texts. A failure is logged: the job
 * itself stays in memory as it is. */
static void job_persist(srv_jobs *q, rmct_jobrec *rec, bool made)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_db *db = NULL;
    if (!made) rmct_error_set(&err, RMCT_E_NOMEM, "out of memory");
    else if (!rmct_db_open(&db, srv_db_path(q->s), false, &err)) rmct_jobrec_save(db, rec, &err);
    if (db) rmct_db_close(db);
    if (err.code) srv_log(q->s, "job %lld not stored: %s", (long long)rec->id, err.msg);
    free(rec->params);
    free(rec->result);
}

/* The newest stored jobs, back in memory when the server starts; ids continue after the highest. */
static void jobs_restore(srv_jobs *q)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_db *db = NULL;
    rmct_jobrec *v = NULL;
    int n = 0;
    int64_t max_id = 0;
    if (!rmct_db_open(&db, srv_db_path(q->s), false, &err)) rmct_jobrec_load_recent(db, JOB_KEEP, &v, &n, &max_id, &err);
    if (db) rmct_db_close(db);
    if (err.code) srv_log(q->s, "stored jobs not read: %s", err.msg);
    for (int i = 0; i < n && q->n < JOB_KEEP; i++) {
        job *j = calloc(1, sizeof *j);
        if (!j) break;
        j->id = (long)v[i].id;
        j->kind = strcmp(v[i].kind, "stock-plan") ? JOB_RUN : JOB_PLAN;
        rmct_strlcpy(j->owner, v[i].owner, sizeof j->owner);
        j->status = !strcmp(v[i].status, "done") ? JS_DONE : !strcmp(v[i].status, "failed") ? JS_FAILED : JS_CANCELLED;
        j->progress = j->status == JS_DONE ? 1 : 0;
        j->created = (time_t)v[i].created_at, j->started = (time_t)v[i].started_at, j->finished = (time_t)v[i].finished_at;
        j->params = json_loads(v[i].params, 0, NULL);
        j->result = v[i].result ? json_loads(v[i].result, 0, NULL) : NULL;
        rmct_strlcpy(j->error_code, v[i].error_code, sizeof j->error_code);
        rmct_strlcpy(j->error, v[i].error_message, sizeof j->error);
        if (!j->params || (v[i].result && !j->result)) {
            job_free(j);
            continue;
        }
        q->v[q->n++] = j;
    }
    if (max_id >= q->next_id) q->next_id = (long)max_id + 1;
    rmct_jobrec_free_all(v, n);
}

/* ---------------- running a job ---------------- */

typedef struct {
    srv_jobs *q;
    job *j;
    double scale;
} progress_ctx;

static void on_progress(void *ctx, long done, long total)
{
    progress_ctx *p = ctx;
    pthread_mutex_lock(&p->q->lock);
    p->j->progress = total > 0 ? p->scale * (double)done / (double)total : 0;
    pthread_mutex_unlock(&p->q->lock);
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static json_t *series_array(const double *v, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, isfinite(v[i]) ? json_real(v[i]) : json_null());
    return a;
}

static rmct_code run_scenario(srv_jobs *q, job *j, rmct_db *db, json_t **out, rmct_error *err)
{
    const char *scenario = json_string_value(json_object_get(j->params, "scenario"));
    json_t *ch = json_object_get(j->params, "chains");
    long runs = (long)json_integer_value(json_object_get(j->params, "runs"));
    uint64_t seed = (uint64_t)json_integer_value(json_object_get(j->params, "seed"));
    bool hazards = json_is_true(json_object_get(j->params, "hazards"));
    json_t *edits = json_object_get(j->params, "edits");
    sim_setup s;
    rmct_code rc;
    if (edits) { /* validated when the run was queued; applied to the scenario as loaded now */
        char path[800];
        rmct_scenario *sc;
        snprintf(path, sizeof path, "%s/scenarios/%s.json", srv_data_dir(q->s), scenario);
        if ((rc = rmct_scenario_load(path, &sc, err))) return rc;
        if ((rc = scenario_edit(sc, edits, err))) {
            rmct_scenario_free(sc);
            return rc;
        }
        rc = sim_setup_open_scenario(srv_data_dir(q->s), db, sc, json_is_string(ch) ? json_string_value(ch) : NULL, NULL, hazards, &s,
                                     err);
    } else
        rc = sim_setup_open(srv_data_dir(q->s), db, scenario, json_is_string(ch) ? json_string_value(ch) : NULL, NULL, hazards, &s, err);
    if (rc) return rc;
    progress_ctx pc = {q, j, 0.98};
    rmct_ensemble_opts eo = {.runs = runs, .first = 0, .count = runs, .seed = seed, .threads = srv_job_threads(q->s),
                             .hazards = hazards, .progress = on_progress, .progress_ctx = &pc, .cancel = &j->cancel};
    double t0 = mono();
    rmct_ensemble *e = NULL;
    if ((rc = rmct_ensemble_run(s.m, &eo, &e, err))) {
        sim_setup_free(&s);
        return rc;
    }
    double seconds = mono() - t0;
    rmct_ensemble_stats st;
    if ((rc = rmct_ensemble_stats_compute(s.m, e, &st, err))) {
        rmct_ensemble_free(e);
        sim_setup_free(&s);
        return rc;
    }
    const rmct_model *m = s.m;
    int T = rmct_model_months(m), nser = rmct_model_series(m);
    json_t *months = json_array();
    for (int t = 0; t < T; t++) {
        char b[16];
        json_array_append_new(months, json_string(rmct_month_format(rmct_model_start(m) + t, b, sizeof b)));
    }
    json_t *fans = json_array();
    double *mean = malloc(sizeof(double) * (size_t)(T ? T : 1) * 4);
    for (int k = 0; k < nser && mean; k++) {
        const rmct_series_info *si = rmct_model_series_info(m, k);
        double *p05 = mean + T, *p50 = mean + 2 * T, *p95 = mean + 3 * T;
        for (int t = 0; t < T; t++) {
            const rmct_month_stats *ms = &st.month[(size_t)k * T + t];
            mean[t] = ms->mean, p05[t] = ms->p05, p50[t] = ms->p50, p95[t] = ms->p95;
        }
        const char *kind = si->kind == RMCT_SERIES_METAL ? "metal shortfall" : si->kind == RMCT_SERIES_SECTOR ? "sector value lost"
                                                                                                             : "public stock used";
        json_array_append_new(fans, json_pack("{s:s, s:s, s:s, s:f, s:o, s:o, s:o, s:o}", "kind", kind, "label", si->label, "unit",
                                              si->unit, "normal", si->normal, "mean", series_array(mean, T), "p05",
                                              series_array(p05, T), "p50", series_array(p50, T), "p95", series_array(p95, T)));
    }
    free(mean);
    out_table *t = view_ensemble(m, &st);
    *out = json_pack("{s:o, s:I, s:I, s:b, s:i, s:I, s:f, s:f, s:f, s:o, s:o, s:s, s:o, s:o}", "scenario", scenario_json(s.sc), "runs",
                     (json_int_t)e->runs, "seed", (json_int_t)seed, "hazards", hazards && s.has_hz, "hazard_pairs",
                     hazards && s.has_hz ? rmct_model_hazard_pairs(m) : 0, "disruptions_drawn", (json_int_t)e->episodes,
                     "futures_disrupted_pct", 100.0 * (double)e->futures_disrupted / (double)e->runs, "p_any_shortfall",
                     st.p_any_shortfall, "seconds", seconds, "metrics", out_json(t), "months", months, "fan_values",
                     "fractions of the normal monthly amount", "fans", fans, "notes", model_notes_json(m, &s.ch));
    out_free(t);
    rmct_ensemble_stats_free(&st);
    rmct_ensemble_free(e);
    sim_setup_free(&s);
    return *out ? RMCT_OK : rmct_error_set(err, RMCT_E_NOMEM, "out of memory building the results");
}

static rmct_code run_plan(srv_jobs *q, job *j, rmct_db *db, json_t **out, rmct_error *err)
{
    json_t *p = j->params;
    progress_ctx pc = {q, j, 0.9};
    json_t *cap = json_object_get(p, "capacity_t"), *asof = json_object_get(p, "as_of");
    plan_params pp = {.budget = json_number_value(json_object_get(p, "budget_usd")),
                      .capacity = json_is_number(cap) ? json_number_value(cap) : INFINITY,
                      .purchase_days = json_number_value(json_object_get(p, "purchase_days")),
                      .runs = (long)json_integer_value(json_object_get(p, "runs")),
                      .seed = (long)json_integer_value(json_object_get(p, "seed")),
                      .threads = srv_job_threads(q->s),
                      .scenario = json_string_value(json_object_get(p, "scenario")),
                      .as_of = json_is_string(asof) ? json_string_value(asof) : NULL,
                      .no_hazards = !json_is_true(json_object_get(p, "hazards")),
                      .extensive = json_is_true(json_object_get(p, "extensive")),
                      .cancel = &j->cancel,
                      .progress = on_progress,
                      .progress_ctx = &pc};
    plan_result r;
    rmct_code rc = view_plan(srv_data_dir(q->s), db, &pp, OUT_JSON, &r, err);
    if (rc) return rc;
    json_t *frontier = json_array();
    for (int k = 0; k < r.n_frontier; k++)
        json_array_append_new(frontier, json_pack("{s:f, s:f, s:f}", "budget_usd", r.frontier_budget[k], "expected_loss_usd",
                                                  r.frontier_loss[k], "spent_usd", r.frontier_spent[k]));
    *out = json_pack("{s:s, s:o, s:{s:f, s:f, s:f, s:f, s:f, s:f, s:f}, s:o, s:{s:s, s:i, s:i, s:f}, s:s}", "scenario", r.scenario,
                     "metals", out_json(r.metals), "summary", "expected_loss_no_purchase_usd", r.loss0, "expected_loss_with_plan_usd",
                     r.objective, "spent_usd", r.spent, "protected_usd", r.loss0 - r.objective, "rule_equal_cover_loss_usd",
                     r.loss_cover, "rule_by_sr_loss_usd", r.loss_risk, "budget_shadow_price", r.budget_dual, "frontier", frontier,
                     "lp", "form", pp.extensive ? "extensive" : "compact", "rows", r.rows, "columns", r.columns, "seconds",
                     r.seconds, "not_planned", r.excluded);
    view_plan_free(&r);
    return *out ? RMCT_OK : rmct_error_set(err, RMCT_E_NOMEM, "out of memory building the results");
}

static void *worker(void *arg)
{
    srv_jobs *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        job *j = NULL;
        while (!q->stop) {
            for (int i = 0; i < q->n && !j; i++)
                if (q->v[i]->status == JS_QUEUED) j = q->v[i];
            if (j) break;
            pthread_cond_wait(&q->cv, &q->lock);
        }
        if (q->stop) {
            pthread_mutex_unlock(&q->lock);
            return NULL;
        }
        j->status = JS_RUNNING;
        j->started = time(NULL);
        pthread_mutex_unlock(&q->lock);

        rmct_error err;
        rmct_error_clear(&err);
        json_t *result = NULL;
        rmct_db *db = NULL;
        rmct_code rc = rmct_db_open(&db, srv_db_path(q->s), false, &err);
        if (!rc) rc = j->kind == JOB_RUN ? run_scenario(q, j, db, &result, &err) : run_plan(q, j, db, &result, &err);
        if (db) rmct_db_close(db);

        pthread_mutex_lock(&q->lock);
        j->finished = time(NULL);
        if (rc == RMCT_OK && !j->cancel) {
            j->status = JS_DONE;
            j->progress = 1;
            j->result = result;
            result = NULL;
        } else if (rc == RMCT_E_CANCELLED || j->cancel) {
            j->status = JS_CANCELLED;
            rmct_strlcpy(j->error_code, "cancelled", sizeof j->error_code);
            snprintf(j->error, sizeof j->error, "cancelled%s%s", err.msg[0] ? ": " : "", err.msg);
        } else {
            j->status = JS_FAILED;
            rmct_strlcpy(j->error_code, rc == RMCT_E_ARG || rc == RMCT_E_INPUT || rc == RMCT_E_NOTFOUND ? "bad_parameter" : "internal",
                         sizeof j->error_code);
            rmct_error_format(&err, j->error, sizeof j->error);
            srv_hide_paths(q->s, j->error, sizeof j->error);
        }
        rmct_jobrec rec;
        bool made = job_record(j, &rec);
        pthread_mutex_unlock(&q->lock);
        json_decref(result);
        job_persist(q, &rec, made);
        srv_log(q->s, "job %ld (%s) %s", j->id, j->kind == JOB_RUN ? "scenario-run" : "stock-plan", status_names[j->status]);
    }
}

srv_jobs *srv_jobs_start(srv *s, int workers)
{
    srv_jobs *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->s = s;
    q->next_id = 1;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->cv, NULL);
    jobs_restore(q);
    for (int i = 0; i < workers && i < 16; i++)
        if (pthread_create(&q->workers[q->nworkers], NULL, worker, q) == 0) q->nworkers++;
    return q;
}

void srv_jobs_stop(srv_jobs *q)
{
    if (!q) return;
    pthread_mutex_lock(&q->lock);
    q->stop = true;
    for (int i = 0; i < q->n; i++) q->v[i]->cancel = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->lock);
    for (int i = 0; i < q->nworkers; i++) pthread_join(q->workers[i], NULL);
    for (int i = 0; i < q->n; i++) job_free(q->v[i]);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->lock);
    free(q);
}

/* ---------------- handlers ---------------- */

static int submit(srv_req *r, job_kind kind, json_t *params)
{
    srv_jobs *q = srv_jobs_of(r->s);
    if (!q) {
        json_decref(params);
        return srv_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", NULL, "background jobs are not running");
    }
    job *j = calloc(1, sizeof *j);
    if (!j) {
        json_decref(params);
        return srv_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, "out of memory");
    }
    j->kind = kind;
    j->params = params;
    j->created = time(NULL);
    rmct_strlcpy(j->owner, r->user.name, sizeof j->owner);
    pthread_mutex_lock(&q->lock);
    int active = 0, mine = 0;
    for (int i = 0; i < q->n; i++)
        if (q->v[i]->status <= JS_RUNNING) active++, mine += !strcmp(q->v[i]->owner, j->owner);
    const char *busy = mine >= JOB_ACTIVE_PER_USER ? "you have" : active >= JOB_ACTIVE_MAX ? "the server has" : NULL;
    if (!busy && q->n == JOB_KEEP) { /* forget the oldest finished job */
        int drop = -1;
        for (int i = 0; i < q->n && drop < 0; i++)
            if (q->v[i]->status > JS_RUNNING) drop = i;
        if (drop < 0) busy = "the server has";
        else {
            job_free(q->v[drop]);
            memmove(&q->v[drop], &q->v[drop + 1], (size_t)(q->n - drop - 1) * sizeof *q->v);
            q->n--;
        }
    }
    if (busy) {
        pthread_mutex_unlock(&q->lock);
        job_free(j);
        r->retry_after = 10;
        return srv_error(r, MHD_HTTP_TOO_MANY_REQUESTS, "too_many_jobs", NULL,
                         "%s too many runs queued or running (at most %d per user, %d in all); wait or cancel one", busy,
                         JOB_ACTIVE_PER_USER, JOB_ACTIVE_MAX);
    }
    j->id = q->next_id++;
    q->v[q->n++] = j;
    json_t *o = job_json(j, false);
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->lock);
    snprintf(r->audit_target, sizeof r->audit_target, "%s %ld", kind == JOB_RUN ? "run" : "plan", j->id);
    snprintf(r->location, sizeof r->location, "%s/%ld", kind == JOB_RUN ? "/api/v1/scenarios/runs" : "/api/v1/stock/plans", j->id);
    json_object_set_new(o, "url", json_string(r->location));
    return srv_json(r, MHD_HTTP_ACCEPTED, o);
}

static int list_jobs(srv_req *r, job_kind kind)
{
    srv_jobs *q = srv_jobs_of(r->s);
    json_t *a = json_array();
    if (q) {
        pthread_mutex_lock(&q->lock);
        for (int i = q->n - 1; i >= 0; i--)
            if (q->v[i]->kind == kind) json_array_append_new(a, job_json(q->v[i], false));
        pthread_mutex_unlock(&q->lock);
    }
    return srv_json(r, MHD_HTTP_OK, a);
}

/* The job of the path's {id} (under the lock on success), else an answer. */
static job *find_job(srv_req *r, job_kind kind, int *status)
{
    long id;
    srv_jobs *q = srv_jobs_of(r->s);
    if (!rmct_parse_long(r->params[0], 1, 1L << 62, &id)) {
        *status = srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "id", "id: expected a run number");
        return NULL;
    }
    if (q) {
        pthread_mutex_lock(&q->lock);
        for (int i = 0; i < q->n; i++)
            if (q->v[i]->id == id && q->v[i]->kind == kind) return q->v[i];
        pthread_mutex_unlock(&q->lock);
    }
    *status = srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no %s %ld (the newest %d runs and plans are kept)",
                        kind == JOB_RUN ? "run" : "plan", id, JOB_KEEP);
    return NULL;
}

static int get_job(srv_req *r, job_kind kind)
{
    int st;
    job *j = find_job(r, kind, &st);
    if (!j) return st;
    json_t *o = job_json(j, true);
    pthread_mutex_unlock(&srv_jobs_of(r->s)->lock);
    return srv_json(r, MHD_HTTP_OK, o);
}

static int cancel_job(srv_req *r, job_kind kind)
{
    int st;
    job *j = find_job(r, kind, &st);
    if (!j) return st;
    srv_jobs *q = srv_jobs_of(r->s);
    snprintf(r->audit_target, sizeof r->audit_target, "%s %ld", kind == JOB_RUN ? "run" : "plan", j->id);
    if (strcmp(j->owner, r->user.name) && r->user.role != RMCT_ROLE_ADMIN) {
        pthread_mutex_unlock(&q->lock);
        return srv_error(r, MHD_HTTP_FORBIDDEN, "forbidden", NULL, "only %s (who started it) or an admin can cancel it", j->owner);
    }
    if (j->status > JS_RUNNING) {
        const char *s = status_names[j->status];
        pthread_mutex_unlock(&q->lock);
        return srv_error(r, MHD_HTTP_CONFLICT, "conflict", NULL, "it has already finished (%s)", s);
    }
    j->cancel = 1;
    if (j->status == JS_QUEUED) {
        j->status = JS_CANCELLED;
        j->finished = time(NULL);
        rmct_strlcpy(j->error_code, "cancelled", sizeof j->error_code);
        snprintf(j->error, sizeof j->error, "cancelled by %s before it started", r->user.name);
        rmct_jobrec rec;
        bool made = job_record(j, &rec);
        json_t *o = job_json(j, false);
        pthread_mutex_unlock(&q->lock);
        job_persist(q, &rec, made);
        return srv_json(r, MHD_HTTP_ACCEPTED, o);
    }
    json_t *o = job_json(j, false);
    pthread_mutex_unlock(&q->lock);
    return srv_json(r, MHD_HTTP_ACCEPTED, o);
}

int h_run_start(srv_req *r)
{
    const char *scenario = NULL, *chains = NULL;
    long runs = 10000, seed = 1;
    bool hazards = true;
    int st;
    if ((st = b_only(r, "scenario,runs,seed,hazards,chains,edits")) || (st = b_text(r, "scenario", 64, true, &scenario)) ||
        (st = b_long(r, "runs", 1, 1000000, false, &runs)) || (st = b_long(r, "seed", 0, 1L << 62, false, &seed)) ||
        (st = b_bool(r, "hazards", &hazards)) || (st = b_text(r, "chains", 200, false, &chains)))
        return st;
    char path[800];
    snprintf(path, sizeof path, "%s/scenarios/%s.json", srv_data_dir(r->s), scenario);
    if (!srv_safe_name(scenario) || access(path, R_OK) != 0)
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "scenario", "scenario: no bundled scenario \"%s\" (GET /api/v1/scenarios)",
                         srv_safe_name(scenario) ? scenario : "?");
    if (chains)
        for (const char *p = chains; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("._-,", *p)))
                return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "chains", "chains: expected chain names separated by commas");
    /* edits of the scenario's events (docs/API.md, "Editing a scenario"): checked now against the file */
    json_t *edits = json_object_get(r->body, "edits");
    if (edits) {
        rmct_scenario *sc;
        rmct_error err;
        rmct_error_clear(&err);
        if (rmct_scenario_load(path, &sc, &err)) return srv_fail(r, &err);
        rmct_code rc = scenario_edit(sc, edits, &err);
        rmct_scenario_free(sc);
        if (rc) return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "edits", "%s", err.msg);
    }
    json_t *params = json_pack("{s:s, s:I, s:I, s:b}", "scenario", scenario, "runs", (json_int_t)runs, "seed", (json_int_t)seed,
                               "hazards", hazards);
    if (chains) json_object_set_new(params, "chains", json_string(chains));
    if (edits && json_array_size(edits)) json_object_set(params, "edits", edits);
    return submit(r, JOB_RUN, params);
}

int h_plan_start(srv_req *r)
{
    const char *scenario = "baseline", *as_of = NULL;
    double budget = 0, capacity = INFINITY, days = 182.5;
    long runs = 2000, seed = 1;
    bool hazards = true, extensive = false;
    int st;
    if ((st = b_only(r, "budget_usd,scenario,runs,seed,capacity_t,purchase_days,hazards,as_of,extensive")) ||
        (st = b_number(r, "budget_usd", 0, 1e13, true, &budget)) || (st = b_text(r, "scenario", 64, false, &scenario)) ||
        (st = b_long(r, "runs", 1, 200000, false, &runs)) || (st = b_long(r, "seed", 0, 1L << 62, false, &seed)) ||
        (st = b_number(r, "capacity_t", 0, 1e9, false, &capacity)) || (st = b_number(r, "purchase_days", 0, 3650, false, &days)) ||
        (st = b_bool(r, "hazards", &hazards)) || (st = b_text(r, "as_of", 10, false, &as_of)) || (st = b_bool(r, "extensive", &extensive)))
        return st;
    if (as_of && !rmct_stock_valid_date(as_of))
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "as_of", "as_of: expected a date YYYY-MM-DD");
    if (extensive && runs > 5000)
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "runs", "runs: at most 5000 with the extensive form (it is a check)");
    char path[800];
    snprintf(path, sizeof path, "%s/scenarios/%s.json", srv_data_dir(r->s), scenario);
    if (!srv_safe_name(scenario) || access(path, R_OK) != 0)
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "scenario", "scenario: no bundled scenario \"%s\" (GET /api/v1/scenarios)",
                         srv_safe_name(scenario) ? scenario : "?");
    json_t *params = json_pack("{s:f, s:s, s:I, s:I, s:f, s:b, s:b}", "budget_usd", budget, "scenario", scenario, "runs",
                               (json_int_t)runs, "seed", (json_int_t)seed, "purchase_days", days, "hazards", hazards, "extensive",
                               extensive);
    json_object_set_new(params, "capacity_t", isfinite(capacity) ? json_real(capacity) : json_null());
    json_object_set_new(params, "as_of", as_of ? json_string(as_of) : json_null());
    return submit(r, JOB_PLAN, params);
}

int h_run_list(srv_req *r) { return list_jobs(r, JOB_RUN); }
int h_run_get(srv_req *r) { return get_job(r, JOB_RUN); }
int h_run_cancel(srv_req *r) { return cancel_job(r, JOB_RUN); }
int h_plan_list(srv_req *r) { return list_jobs(r, JOB_PLAN); }
int h_plan_get(srv_req *r) { return get_job(r, JOB_PLAN); }
int h_plan_cancel(srv_req *r) { return cancel_job(r, JOB_PLAN); }
