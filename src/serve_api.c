/* serve_api.c: the public data of the HTTP API (docs/API.md): the registry, world supply, imports
 * and dependence, the criticality assessment, the event register, chains, scenarios at their
 * central values and the hazards. Each handler validates its parameters, calls the same library
 * functions and views (src/views.h) as the command line, and answers JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "ingest.h"
#include "lists.h"
#include "registry.h"
#include "serve.h"
#include "sim_cli.h"
#include "text.h"
#include "views.h"

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

int h_health(srv_req *r)
{
    sqlite3_stmt *st;
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_db_prepare(r->db, &st, "SELECT count(*) FROM metal_type", &err)) return srv_fail(r, &err);
    long types = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (types < 0) return srv_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", NULL, "the database does not answer");
    return srv_json(r, MHD_HTTP_OK, json_pack("{s:s, s:s, s:i, s:i}", "status", "ok", "version", "0.1", "schema",
                                              rmct_db_schema_version(r->db), "metal_types", (int)types));
}

int h_index(srv_req *r)
{
    json_t *a = json_array();
    for (const srv_route *rt = srv_routes(); rt->method; rt++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s}", "method", rt->method, "path", rt->pattern, "role",
                                           rmct_role_name(rt->role), "query", rt->query, "summary", rt->summary));
    return srv_json(r, MHD_HTTP_OK, json_pack("{s:s, s:s, s:o}", "name", "RMCT API", "version", "v1", "endpoints", a));
}

/* ---------------- the registry and supply ---------------- */

int h_metals(srv_req *r)
{
    const char *list = NULL, *group = NULL;
    int st;
    if ((st = q_text(r, "list", 32, &list)) || (st = q_text(r, "group", 64, &group))) return st;
    rmct_error err;
    rmct_error_clear(&err);
    out_table *t;
    if (view_metals(r->db, list, group, OUT_JSON, &t, &err)) {
        if (err.code == RMCT_E_ARG || err.code == RMCT_E_NOTFOUND)
            return srv_error(r, err.code == RMCT_E_ARG ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_NOT_FOUND,
                             err.code == RMCT_E_ARG ? "bad_parameter" : "not_found", group && !list ? "group" : list ? "list" : NULL,
                             "%s", err.msg);
        return srv_fail(r, &err);
    }
    return srv_table(r, t);
}

static const char *const stages[] = {"mine", "refinery", NULL};

int h_metal(srv_req *r)
{
    long year = 0;
    const char *stage = NULL, *edition = NULL;
    int st;
    if ((st = q_long(r, "year", 1800, 2200, &year)) || (st = q_enum(r, "stage", stages, &stage)) ||
        (st = q_text(r, "edition", 64, &edition)))
        return st;
    rmct_error err;
    rmct_error_clear(&err);
    json_t *j;
    if (view_show(r->db, r->params[0], (int)year, stage, edition, &j, &err)) return srv_fail(r, &err);
    return srv_json(r, MHD_HTTP_OK, j);
}

int h_lists(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    out_table *c = NULL, *m = NULL;
    if (view_lists_counts(r->db, &c, &err) || view_lists_matrix(r->db, OUT_JSON, &m, &err)) {
        out_free(c);
        return srv_fail(r, &err);
    }
    json_t *j = json_pack("{s:o, s:o}", "lists", out_json(c), "membership", out_json(m));
    out_free(c);
    out_free(m);
    return srv_json(r, MHD_HTTP_OK, j);
}

int h_sources(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    out_table *t = NULL;
    if (view_sources(r->db, OUT_JSON, &t, &err)) {
        out_free(t);
        return srv_fail(r, &err);
    }
    return srv_table(r, t);
}

/* Remove every "dir/" from text (an importer names the uploaded file by its path). */
static void strip_dir(char *text, const char *dir)
{
    size_t dl = strlen(dir);
    for (char *p = strstr(text, dir); p; p = strstr(p, dir)) {
        size_t cut = dl + (p[dl] == '/');
        memmove(p, p + cut, strlen(p + cut) + 1);
    }
}

/* Import one data file (the body) in one transaction, as `rmct import FORMAT FILE`: all of it or
 * nothing; the same bytes again change nothing. */
int h_source_import(srv_req *r)
{
    const char *formats[80];
    const rmct_format_info *fi = rmct_import_formats();
    int nf = 0;
    for (; fi[nf].name && nf < 79; nf++) formats[nf] = fi[nf].name;
    formats[nf] = NULL;
    const char *format = NULL, *dataset = NULL, *edition = NULL, *publisher = NULL, *title = NULL, *url = NULL,
               *licence = NULL, *hs = NULL;
    bool replace = false;
    int st;
    if ((st = q_enum(r, "format", formats, &format)) || (st = q_bool(r, "replace", &replace)) ||
        (st = q_text(r, "dataset", 128, &dataset)) || (st = q_text(r, "edition", 64, &edition)) ||
        (st = q_text(r, "publisher", 256, &publisher)) || (st = q_text(r, "title", 256, &title)) ||
        (st = q_text(r, "url", 256, &url)) || (st = q_text(r, "licence", 256, &licence)) ||
        (st = q_text(r, "hs_version", 16, &hs)))
        return st;
    if (!format) return srv_error(r, MHD_HTTP_BAD_REQUEST, "missing_parameter", "format", "format: expected one of the import formats (rmct import --help)");
    const char *name;
    char dir[600], path[700];
    if ((st = srv_upload_save(r, "upload.csv", "the data file", &name, dir, sizeof dir, path, sizeof path))) return st;
    snprintf(r->audit_target, sizeof r->audit_target, "%s %s", format, name);
    rmct_import_opts o = {dataset, edition, publisher, title, url, licence, replace, hs, NULL, NULL};
    rmct_import_result res;
    rmct_error err;
    rmct_error_clear(&err);
    const char *paths[1] = {path};
    rmct_code rc = rmct_import(r->db, format, paths, 1, &o, &res, &err);
    srv_upload_remove(dir, path);
    if (rc) {
        strip_dir(err.file, dir);
        strip_dir(err.msg, dir);
        return srv_fail(r, &err);
    }
    json_t *j = json_pack("{s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:s}", "format", format, "file", name, "unchanged", res.unchanged,
                          "source_id", (json_int_t)res.source_id, "replaced_source", (json_int_t)res.replaced_source, "rows",
                          (json_int_t)res.rows, "skipped", (json_int_t)res.skipped, "note", res.note);
    return srv_json(r, res.unchanged ? MHD_HTTP_OK : MHD_HTTP_CREATED, j);
}

int h_supply(srv_req *r)
{
    long year = 0;
    const char *stage = NULL, *edition = NULL;
    bool eu = true;
    double hhi = 2500, share = 50;
    int st;
    if ((st = q_long(r, "year", 1800, 2200, &year)) || (st = q_enum(r, "stage", stages, &stage)) ||
        (st = q_text(r, "edition", 64, &edition)) || (st = q_bool(r, "eu", &eu)) ||
        (st = q_double(r, "hhi_threshold", 0, 10000, &hhi)) || (st = q_double(r, "share_threshold", 0, 100, &share)))
        return st;
    rmct_overview_query q = {(int)year, stage, edition, eu};
    rmct_error err;
    rmct_error_clear(&err);
    out_table *t;
    supply_counts c;
    if (view_supply(r->db, &q, hhi, share, OUT_JSON, &t, &c, &err)) return srv_fail(r, &err);
    json_t *j = json_pack("{s:i, s:i, s:i, s:f, s:f, s:o}", "types", (int)c.types, "with_data", (int)c.with_data, "flagged", c.flagged,
                          "hhi_threshold", hhi, "share_threshold_pct", share, "metals", out_json(t));
    out_free(t);
    return srv_json(r, MHD_HTTP_OK, j);
}

/* ---------------- imports and dependence ---------------- */

static const char *const forms[] = {"ore", "compound", "metal", "scrap", "semi", "all", NULL};

static int imports_query(srv_req *r, imports_opts *o, char iso3[4])
{
    long year = 0;
    const char *reporter = "KOR", *form = NULL;
    int st;
    if ((st = q_text(r, "reporter", 64, &reporter)) || (st = q_long(r, "year", 1900, 2200, &year)) ||
        (st = q_enum(r, "form", forms, &form)) || (st = q_bool(r, "look_through", &o->look_through)))
        return st;
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_country_resolve(r->db, reporter, iso3, &err)) {
        rmct_strlcpy(err.field, "reporter", sizeof err.field);
        return srv_fail(r, &err);
    }
    o->reporter = iso3;
    o->year = (int)year;
    o->form = form && strcmp(form, "all") ? form : NULL;
    return 0;
}

int h_imports(srv_req *r)
{
    imports_opts o = {0};
    char iso3[4];
    int st = imports_query(r, &o, iso3);
    if (st) return st;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_metal m;
    if (rmct_metal_resolve(r->db, r->params[0], &m, &err)) return srv_fail(r, &err);
    if (!m.type_code[0])
        return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "%s is not one of Korea's 35 rare-metal types", m.name);
    rmct_import_query q = {m.type_code, m.element[0] && strcmp(m.element, m.type_code) ? m.element : NULL, o.reporter, o.form, 0};
    rmct_import_year *years;
    size_t ny;
    if (rmct_imports_load(r->db, &q, &years, &ny, &err)) return srv_fail(r, &err);
    const rmct_import_year *cur = NULL;
    for (size_t i = 0; i < ny; i++)
        if (!o.year || years[i].year == o.year) cur = &years[i];
    json_t *j = json_object();
    json_object_set_new(j, "metal", json_pack("{s:s, s:s, s:s}", "name", m.name, "code", m.element[0] ? m.element : m.type_code,
                                              "type", m.type_code));
    json_object_set_new(j, "reporter", json_string(o.reporter));
    json_object_set_new(j, "form", o.form ? json_string(o.form) : json_string("all"));
    json_t *ya = json_array();
    for (size_t i = 0; i < ny; i++) {
        const rmct_import_year *y = &years[i];
        if (o.year && y->year != o.year) continue;
        json_array_append_new(
            ya, json_pack("{s:i, s:s, s:f, s:f, s:f, s:b, s:f, s:f, s:f, s:f, s:f, s:s?, s:f, s:f, s:I}", "year", y->year,
                          "source_kind", y->kind, "value_usd", y->value_usd, "product_t", y->qty_t, "contained_t", y->contained_t,
                          "contained_complete", y->contained_complete, "export_value_usd", y->export_value_usd,
                          "net_import_usd", y->value_usd - y->export_value_usd, "china_pct", 100 * y->china_share,
                          "weak_governance_pct", 100 * y->poor_governance_share, "hhi", y->conc.hhi, "top_partner",
                          y->n ? y->partners[0].name : NULL, "top_pct", 100 * y->conc.cr1, "export_contained_t",
                          y->export_contained_t, "flows", (json_int_t)y->flows));
    }
    json_object_set_new(j, "years", ya);
    out_table *t = view_import_flows(years, ny, o.year);
    json_object_set_new(j, "partners", out_json(t));
    out_free(t);
    out_table *facts = NULL;
    if (view_import_facts(r->db, m.type_code, o.reporter, &facts, &err)) {
        rmct_imports_free(years, ny);
        json_decref(j);
        return srv_fail(r, &err);
    }
    size_t nfacts = out_rows(facts);
    json_object_set_new(j, "facts", out_json(facts));
    out_free(facts);
    json_object_set_new(j, "evidence", json_string(cur ? "trade flows" : nfacts ? "reported facts" : "proxy"));
    if (!cur) {
        /* no flows: world production shares, labelled as a proxy */
        rmct_overview_query oq = {0, NULL, NULL, true};
        rmct_overview_row *rows;
        size_t n;
        if (rmct_supply_overview(r->db, &oq, &rows, &n, &err) == RMCT_OK) {
            for (size_t i = 0; i < n; i++) {
                if (strcmp(rows[i].code, m.type_code) || !rows[i].has_data) continue;
                const rmct_series *s = &rows[i].headline;
                json_object_set_new(
                    j, "proxy",
                    json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:s}", "warning",
                              "PROXY, not a measurement of Korea's imports: world production shares", "stage", s->stage, "series",
                              s->element[0] ? s->element : s->type_code, "period",
                              s->origin == RMCT_ORIGIN_SHARES ? s->period : "latest year", "top_producer", rows[i].top_name,
                              "top_share_pct", 100 * s->conc.cr1, "hhi", s->conc.hhi, "detail",
                              "GET /api/v1/metals/{metal} gives every producing country"));
            }
            free(rows);
        }
        rmct_error_clear(&err);
    }
    if (cur && o.look_through) {
        rmct_lookthrough lt;
        if (rmct_lookthrough_compute(r->db, &q, cur->year, &lt, &err) == RMCT_OK) {
            json_t *oa = json_array();
            for (size_t i = 0; i < lt.n; i++)
                json_array_append_new(oa, json_pack("{s:s, s:s, s:f, s:f}", "origin", lt.origins[i].name, "iso3",
                                                    lt.origins[i].iso3, "direct_pct", 100 * lt.origins[i].direct_share,
                                                    "origin_pct", 100 * lt.origins[i].origin_share));
            json_object_set_new(j, "look_through",
                                json_pack("{s:i, s:I, s:I, s:i, s:o}", "year", lt.year, "flows_used", (json_int_t)lt.flows_used,
                                          "flows_without_tonnes", (json_int_t)lt.flows_without_tonnes, "iterations", lt.iterations,
                                          "origins", oa));
            rmct_lookthrough_free(&lt);
        } else {
            json_object_set_new(j, "look_through", json_pack("{s:s}", "error", err.msg));
        }
    }
    rmct_imports_free(years, ny);
    return srv_json(r, MHD_HTTP_OK, j);
}

int h_dependence(srv_req *r)
{
    imports_opts o = {0};
    char iso3[4];
    int st = imports_query(r, &o, iso3);
    if (st) return st;
    rmct_error err;
    rmct_error_clear(&err);
    out_table *t;
    if (view_dependence(r->db, &o, &t, &err)) return srv_fail(r, &err);
    return srv_table(r, t);
}

/* ---------------- criticality ---------------- */

static const char *const assess_stages[] = {"max", "extraction", "processing", NULL};

typedef struct {
    rmct_method m;
    rmct_assessment *a;
    size_t n;
    long samples;
} assess_run;

static int assess_compute(srv_req *r, bool elements, assess_run *x)
{
    long year = 0, seed = 1;
    const char *stage = "max";
    double sr_t = NAN, ei_t = NAN;
    x->samples = 0;
    int st;
    if ((st = q_long(r, "year", 1900, 2200, &year)) || (st = q_enum(r, "stage", assess_stages, &stage)) ||
        (st = q_long(r, "samples", 0, 2000, &x->samples)) || (st = q_long(r, "seed", 0, 1L << 62, &seed)))
        return st;
    if (srv_query(r, "sr_threshold") && (st = q_double(r, "sr_threshold", 0, 100, &sr_t))) return st;
    if (srv_query(r, "ei_threshold") && (st = q_double(r, "ei_threshold", 0, 100, &ei_t))) return st;
    char path[700];
    snprintf(path, sizeof path, "%s/methods/eu2017-kr.json", srv_data_dir(r->s));
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_method_load(path, &x->m, &err)) return srv_fail(r, &err);
    if (!isnan(sr_t)) x->m.sr_threshold = sr_t;
    if (!isnan(ei_t)) x->m.ei_threshold = ei_t;
    rmct_assess_query q = {(int)year, elements, "KOR", !strcmp(stage, "extraction") ? 1 : !strcmp(stage, "processing") ? 2 : 0};
    if (rmct_assess(r->db, &x->m, &q, &x->a, &x->n, &err)) return srv_fail(r, &err);
    for (size_t i = 0; i < x->n; i++)
        x->a[i].critical = x->a[i].has_sr && x->a[i].has_ei && x->a[i].sr >= x->m.sr_threshold && x->a[i].ei >= x->m.ei_threshold;
    if (x->samples > 0) rmct_assess_monte_carlo(&x->m, x->a, x->n, (int)x->samples, (uint64_t)seed);
    return 0;
}

static json_t *method_json(const rmct_method *m)
{
    return json_pack("{s:s, s:i, s:s, s:s, s:f, s:f, s:s}", "id", m->id, "version", m->version, "name", m->name, "source", m->source,
                     "sr_threshold", m->sr_threshold, "ei_threshold", m->ei_threshold, "sha256", m->sha256);
}

int h_assessment(srv_req *r)
{
    bool elements = false;
    int st = q_bool(r, "elements", &elements);
    if (st) return st;
    assess_run x;
    if ((st = assess_compute(r, elements, &x))) return st;
    size_t assessed;
    int critical;
    out_table *t = view_assess(&x.m, x.a, x.n, (int)x.samples, OUT_JSON, &assessed, &critical);
    json_t *j = json_pack("{s:o, s:i, s:i, s:i, s:i, s:o}", "method", method_json(&x.m), "samples", (int)x.samples, "assessed",
                          (int)assessed, "of", (int)x.n, "critical_types", critical, "metals", out_json(t));
    out_free(t);
    rmct_assessments_free(x.a, x.n);
    return srv_json(r, MHD_HTTP_OK, j);
}

static json_t *factor_json(const rmct_factor *f)
{
    return json_pack("{s:o, s:s, s:b}", "value", num_or_null(f->value), "basis", f->basis, "assumption", f->assumption);
}

int h_assessment_metal(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_metal mt;
    if (rmct_metal_resolve(r->db, r->params[0], &mt, &err)) return srv_fail(r, &err);
    assess_run x;
    int st = assess_compute(r, true, &x);
    if (st) return st;
    const char *code = mt.element[0] && strcmp(mt.element, mt.type_code) && (!strcmp(mt.type_code, "REE") || !strcmp(mt.type_code, "PGM"))
                           ? mt.element : mt.type_code;
    rmct_assessment *a = NULL;
    for (size_t i = 0; i < x.n; i++)
        if (!strcmp(x.a[i].code, code)) a = &x.a[i];
    if (!a) {
        rmct_assessments_free(x.a, x.n);
        return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "%s is not one of Korea's rare metals", mt.name);
    }
    json_t *stg = json_array();
    for (int s = 0; s < 2; s++) {
        const rmct_stage_result *sr = &a->st[s];
        json_array_append_new(
            stg, json_pack("{s:s, s:b, s:s, s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:i}", "stage", sr->stage,
                           "available", sr->available, "why_not", sr->why_not, "eu_proxy_material", sr->eu_material,
                           "global_supply_basis", sr->gs_basis, "korea_sourcing_basis", sr->ks_basis, "global_supply_proxy",
                           sr->gs_proxy, "korea_sourcing_proxy", sr->ks_proxy, "import_reliance", factor_json(&sr->ir),
                           "eol_rir", factor_json(&sr->eol_rir), "substitution_sr", factor_json(&sr->si_sr), "hhi_wgi_global",
                           num_or_null(sr->hhi_gs), "hhi_wgi_korea", num_or_null(sr->hhi_ks), "sr",
                           sr->available ? num_or_null(sr->sr) : json_null(), "missing_wgi", sr->missing_wgi));
    }
    json_t *uses = json_array();
    for (size_t i = 0; i < a->n_uses; i++)
        json_array_append_new(uses, json_pack("{s:s, s:s, s:f, s:f}", "application", a->uses[i].application, "sector",
                                              a->uses[i].sector, "share", a->uses[i].share, "value_added", a->uses[i].va));
    json_t *sens = json_array();
    rmct_sensitivity sv[12];
    size_t ns = a->has_sr ? rmct_assess_sensitivity(&x.m, a, sv, 12) : 0;
    for (size_t i = 0; i < ns; i++)
        json_array_append_new(sens, json_pack("{s:s, s:f, s:f, s:f}", "input", sv[i].input, "sr_low", sv[i].sr_low, "sr_high",
                                              sv[i].sr_high, "swing", sv[i].swing));
    json_t *j = json_pack("{s:o, s:s, s:s, s:s, s:b, s:o, s:o, s:b, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o}", "method",
                          method_json(&x.m), "code", a->code, "type", a->type_code, "name", a->name, "is_element", a->is_element,
                          "sr", a->has_sr ? num_or_null(a->sr) : json_null(), "ei", a->has_ei ? num_or_null(a->ei) : json_null(),
                          "critical", a->critical, "sr_stage", a->has_sr ? a->st[a->sr_stage].stage : "", "dominant", a->dominant,
                          "stages", stg, "end_uses", uses, "substitution_ei", factor_json(&a->si_ei), "sensitivity", sens,
                          "ei_basis", a->ei_basis, "intervals",
                          x.samples > 0 ? json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "samples", (int)x.samples, "sr_p05",
                                                    num_or_null(a->sr_q[0]), "sr_p50", num_or_null(a->sr_q[1]), "sr_p95",
                                                    num_or_null(a->sr_q[2]), "ei_p05", num_or_null(a->ei_q[0]), "ei_p50",
                                                    num_or_null(a->ei_q[1]), "ei_p95", num_or_null(a->ei_q[2]), "p_critical",
                                                    num_or_null(a->p_critical))
                                        : json_null());
    rmct_assessments_free(x.a, x.n);
    return srv_json(r, MHD_HTTP_OK, j);
}

/* ---------------- events ---------------- */

int h_events(srv_req *r)
{
    rmct_event_query q = {0};
    int st;
    if ((st = q_text(r, "country", 64, &q.country)) || (st = q_text(r, "metal", 64, &q.metal)) ||
        (st = q_enum(r, "type", rmct_event_measure_types(), &q.measure_type)) || (st = q_text(r, "since", 10, &q.since)) ||
        (st = q_text(r, "until", 10, &q.until)) || (st = q_text(r, "active", 10, &q.active)))
        return st;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_event *v = NULL;
    size_t n = 0;
    rmct_event_resolved res;
    if (rmct_events_query(r->db, &q, &v, &n, &res, &err)) {
        if (err.code == RMCT_E_ARG && !strcmp(err.field, "measure_type")) rmct_strlcpy(err.field, "type", sizeof err.field);
        return srv_fail(r, &err);
    }
    json_t *j = events_json(r->db, v, n);
    rmct_events_free(v, n);
    return srv_json(r, MHD_HTTP_OK, j);
}

/* ---------------- chains, scenarios, hazards ---------------- */

int h_chains(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    sim_chains ch;
    if (sim_chains_open(srv_data_dir(r->s), r->db, NULL, 0, &ch, &err)) return srv_fail(r, &err);
    out_table *t = view_chain_list(&ch);
    sim_chains_free(&ch);
    return srv_table(r, t);
}

static json_t *param_json(const rmct_param *p)
{
    if (!p->given) return json_null();
    return json_pack("{s:f, s:s, s:o, s:o, s:s, s:b, s:b}", "value", p->value, "unit", p->unit, "low", num_or_null(p->low), "high",
                     num_or_null(p->high), "basis", p->basis ? p->basis : "", "assumption", p->assumption, "varies",
                     p->dist.kind != RMCT_DIST_NONE);
}

int h_chain(srv_req *r)
{
    if (!srv_safe_name(r->params[0])) return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such chain");
    rmct_error err;
    rmct_error_clear(&err);
    sim_chains ch;
    const char *names[] = {r->params[0]};
    if (sim_chains_open(srv_data_dir(r->s), r->db, names, 1, &ch, &err)) return srv_fail(r, &err);
    const rmct_chain *c = ch.v[0];
    rmct_model *m = NULL;
    if (rmct_model_build(ch.v, 1, NULL, NULL, &m, &err)) {
        sim_chains_free(&ch);
        return srv_fail(r, &err);
    }
    json_t *nodes = json_array();
    for (int i = 0; i < c->n_nodes; i++) {
        const rmct_chain_node *nd = &c->nodes[c->order[i]];
        const rmct_node_info *in = rmct_model_node(m, i);
        json_t *partners = json_array();
        for (int k = 0; k < nd->n_partners; k++)
            json_array_append_new(partners, json_pack("{s:s, s:f, s:s}", "iso3", nd->partners[k].iso3, "share",
                                                      nd->partners[k].share.value, "basis",
                                                      nd->partners[k].share.basis ? nd->partners[k].share.basis : ""));
        json_t *inputs = json_array();
        for (int k = 0; k < nd->n_inputs; k++)
            json_array_append_new(inputs, json_pack("{s:s, s:o}", "from", c->nodes[nd->inputs[k].from].id, "intensity",
                                                    param_json(&nd->inputs[k].intensity)));
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id", nd->id, "name", nd->name, "stage",
                              rmct_chain_stage_name(nd->stage), "unit", nd->unit, "element", nd->element, "sector", nd->sector,
                              "inputs", inputs, "partners", partners);
        json_object_set_new(o, "imports_proxy", json_boolean(nd->imports_proxy));
        json_object_set_new(o, "imports_basis", json_string(nd->imports_basis));
        json_object_set_new(o, "normal_month", json_pack("{s:f, s:f, s:f, s:f, s:f}", "demand", in->demand0, "imports", in->imports0,
                                                         "production", in->production0, "recycled", in->recycled0, "inventory",
                                                         in->inventory0));
        json_array_append_new(nodes, o);
    }
    json_t *warn = json_array();
    for (int i = 0; i < rmct_model_warnings(m); i++) json_array_append_new(warn, json_string(rmct_model_warning(m, i)));
    out_table *t = view_chain_params(c);
    json_t *j = json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:o, s:o, s:o}", "chain", c->name, "version", c->version, "year", c->year,
                          "title", c->title, "file", c->path, "sha256", c->sha256, "nodes", nodes, "parameters", out_json(t),
                          "warnings", warn);
    out_free(t);
    rmct_model_free(m);
    sim_chains_free(&ch);
    return srv_json(r, MHD_HTTP_OK, j);
}

int h_hazards(srv_req *r)
{
    const char *chains = NULL;
    int st = q_text(r, "chains", 200, &chains);
    if (st) return st;
    if (chains)
        for (const char *p = chains; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("._-,", *p)))
                return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "chains", "chains: expected chain names separated by commas");
    rmct_error err;
    rmct_error_clear(&err);
    sim_setup s;
    if (sim_setup_open(srv_data_dir(r->s), r->db, NULL, chains, NULL, true, &s, &err)) {
        if (err.code == RMCT_E_NOTFOUND) rmct_strlcpy(err.field, "chains", sizeof err.field);
        return srv_fail(r, &err);
    }
    out_table *t = view_hazards(&s.hz, OUT_JSON);
    json_t *j = json_pack("{s:s, s:o}", "defaults", s.hz.defaults_basis, "hazards", out_json(t));
    out_free(t);
    sim_setup_free(&s);
    return srv_json(r, MHD_HTTP_OK, j);
}

int h_scenarios(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    out_table *t;
    if (view_scenarios(srv_data_dir(r->s), &t, &err)) return srv_fail(r, &err);
    return srv_table(r, t);
}

static json_t *target_json(const rmct_scn_target *t)
{
    json_t *m = json_array(), *n = json_array(), *s = json_array();
    for (int i = 0; i < t->n_metals; i++) json_array_append_new(m, json_string(t->metals[i]));
    for (int i = 0; i < t->n_nodes; i++) json_array_append_new(n, json_string(t->nodes[i]));
    for (int i = 0; i < t->n_sectors; i++) json_array_append_new(s, json_string(t->sectors[i]));
    return json_pack("{s:o, s:o, s:o}", "metals", m, "nodes", n, "sectors", s);
}

json_t *scenario_json(const rmct_scenario *sc)
{
    char mb[16];
    json_t *ev = json_array();
    for (int i = 0; i < sc->n_events; i++) {
        const rmct_scn_event *e = &sc->events[i];
        int start = sc->start_year * 12 + sc->start_month - 1;
        json_array_append_new(
            ev, json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:s, s:b}", "kind", rmct_scn_event_kind_name(e->kind), "label",
                          e->label, "country", e->country, "target", target_json(&e->target), "from",
                          rmct_month_format(start + e->month, mb, sizeof mb), "depth", param_json(&e->depth), "duration_months",
                          param_json(&e->duration), "phase_in_months", param_json(&e->phase_in), "basis",
                          e->basis ? e->basis : "", "assumption", e->assumption));
    }
    json_t *rs = json_array();
    for (int i = 0; i < sc->n_responses; i++) {
        const rmct_scn_response *p = &sc->responses[i];
        json_t *countries = json_array();
        for (int k = 0; k < p->n_countries; k++) json_array_append_new(countries, json_string(p->countries[k]));
        json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b}", "kind", rmct_scn_response_kind_name(p->kind), "label", p->label,
                              "target", target_json(&p->target), "countries", countries, "basis", p->basis ? p->basis : "",
                              "assumption", p->assumption);
        const struct {
            const char *name;
            const rmct_param *p;
        } ps[] = {{"stock_days", &p->stock_days}, {"stock", &p->stock}, {"trigger_cover_days", &p->trigger_cover_days},
                  {"max_monthly_days", &p->max_monthly_days}, {"floor_days", &p->floor_days}, {"lead_months", &p->lead_months},
                  {"ramp_months", &p->ramp_months}, {"max_share", &p->max_share}, {"fraction", &p->fraction},
                  {"factor", &p->factor}};
        for (size_t k = 0; k < sizeof ps / sizeof *ps; k++)
            if (ps[k].p->given) json_object_set_new(o, ps[k].name, param_json(ps[k].p));
        json_array_append_new(rs, o);
    }
    json_t *chains = json_array();
    for (int i = 0; i < sc->n_chains; i++) json_array_append_new(chains, json_string(sc->chains[i]));
    char start[16];
    snprintf(start, sizeof start, "%04d-%02d", sc->start_year, sc->start_month);
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:s, s:b, s:s, s:s, s:o, s:o}", "name", sc->name, "title", sc->title,
                     "description", sc->description, "start", start, "months", sc->months, "chains", chains, "basis",
                     sc->basis ? sc->basis : "", "assumption", sc->assumption, "file", sc->path, "sha256", sc->sha256, "events",
                     ev, "responses", rs);
}

/* A bundled scenario by name (never a path: the API reads only data/scenarios). */
static int load_scenario(srv_req *r, const char *name, rmct_scenario **sc)
{
    if (!srv_safe_name(name)) return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no such scenario");
    char path[700];
    snprintf(path, sizeof path, "%s/scenarios/%s.json", srv_data_dir(r->s), name);
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_scenario_load(path, sc, &err)) {
        if (err.code == RMCT_E_IO) return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no scenario \"%s\" (GET /api/v1/scenarios lists them)", name);
        return srv_fail(r, &err);
    }
    return 0;
}

int h_scenario(srv_req *r)
{
    rmct_scenario *sc;
    int st = load_scenario(r, r->params[0], &sc);
    if (st) return st;
    json_t *j = scenario_json(sc);
    rmct_scenario_free(sc);
    return srv_json(r, MHD_HTTP_OK, j);
}

/* One edited number of an event: fixed across futures (no distribution, no range), its basis saying
 * what it replaced. */
static rmct_code edit_param(rmct_param *p, double value, const char *unit, rmct_error *err)
{
    char *basis = NULL;
    if (p->given) {
        size_t n = strlen(p->basis ? p->basis : "") + 160;
        if ((basis = malloc(n)))
            snprintf(basis, n, "EDITED in the request: %g instead of the file's %g (the file's basis: %s)", value, p->value,
                     p->basis ? p->basis : "");
    } else
        basis = strdup("EDITED in the request (the file gives none)");
    if (!basis) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    free(p->basis);
    p->basis = basis;
    p->given = true;
    p->value = value;
    p->low = p->high = NAN;
    p->dist.kind = RMCT_DIST_NONE;
    p->assumption = true;
    if (!p->unit[0]) rmct_strlcpy(p->unit, unit, sizeof p->unit);
    return RMCT_OK;
}

rmct_code scenario_edit(rmct_scenario *sc, const json_t *edits, rmct_error *err)
{
    if (!json_is_array(edits) || json_array_size(edits) > (size_t)sc->n_events)
        return rmct_error_set(err, RMCT_E_ARG, "edits: expected an array of objects {\"event\", \"depth\", \"duration_months\", \"from\"}, "
                              "at most one per event (the scenario has %d)", sc->n_events);
    static const struct {
        const char *field;
        double lo, hi;
    } depth[] = {{"cut", 0, 1}, {"capacity_cut", 0, 1}, {"increase", -1, 100}, {"factor", 0, 1000}};
    int start = sc->start_year * 12 + sc->start_month - 1;
    bool seen[RMCT_SCN_NAMES * 4] = {false};
    size_t i;
    json_t *o;
    json_array_foreach(edits, i, o) {
        const char *key;
        json_t *v;
        if (!json_is_object(o))
            return rmct_error_set(err, RMCT_E_ARG, "edits[%zu]: expected an object {\"event\", \"depth\", \"duration_months\", \"from\"}", i);
        json_object_foreach(o, key, v)
            if (strcmp(key, "event") && strcmp(key, "depth") && strcmp(key, "duration_months") && strcmp(key, "from"))
                return rmct_error_set(err, RMCT_E_ARG, "edits[%zu].%.40s: unknown field (event, depth, duration_months, from)", i, key);
        json_t *ev = json_object_get(o, "event");
        if (!json_is_integer(ev) || json_integer_value(ev) < 0 || json_integer_value(ev) >= sc->n_events)
            return rmct_error_set(err, RMCT_E_ARG, "edits[%zu].event: expected the number of one of the scenario's events, 0 to %d", i,
                                  sc->n_events - 1);
        int k = (int)json_integer_value(ev);
        if (k < (int)(sizeof seen / sizeof *seen)) {
            if (seen[k]) return rmct_error_set(err, RMCT_E_ARG, "edits[%zu].event: event %d is edited twice", i, k);
            seen[k] = true;
        }
        rmct_scn_event *e = &sc->events[k];
        json_t *d = json_object_get(o, "depth"), *du = json_object_get(o, "duration_months"), *f = json_object_get(o, "from");
        if (d) {
            double lo = depth[e->kind].lo, hi = depth[e->kind].hi;
            if (!json_is_number(d) || json_number_value(d) < lo || json_number_value(d) > hi)
                return rmct_error_set(err, RMCT_E_ARG, "edits[%zu].depth: expected a number from %g to %g (the %s of this %s event)", i, lo,
                                      hi, depth[e->kind].field, rmct_scn_event_kind_name(e->kind));
            if (edit_param(&e->depth, json_number_value(d), "fraction", err)) return err->code;
        }
        if (du) {
            if (!json_is_number(du) || json_number_value(du) < 0.5 || json_number_value(du) > 1200)
                return rmct_error_set(err, RMCT_E_ARG, "edits[%zu].duration_months: expected a number of months from 0.5 to 1200", i);
            if (edit_param(&e->duration, json_number_value(du), "months", err)) return err->code;
        }
        if (f) {
            int m;
            if (!json_is_string(f) || !rmct_month_parse(json_string_value(f), &m) || m - start < -120 || m - start >= sc->months)
                return rmct_error_set(err, RMCT_E_ARG, "edits[%zu].from: expected a month YYYY-MM from ten years before the scenario's start "
                                      "to its last month", i);
            e->announced_month += (m - start) - e->month; /* the same notice before the new start */
            e->month = m - start;
        }
    }
    return RMCT_OK;
}

/* Provenance notes of a model: parameters that are assumptions, proxy import partners, warnings. */
json_t *model_notes_json(const rmct_model *m, const sim_chains *ch)
{
    int assumed = 0, total = 0;
    for (int c = 0; c < ch->n; c++)
        for (int i = 0; i < ch->v[c]->n_nodes; i++) {
            const rmct_chain_node *nd = &ch->v[c]->nodes[i];
            const rmct_param *ps[] = {&nd->final_demand, &nd->yield, &nd->domestic_share, &nd->capacity,
                                      &nd->inventory_days, &nd->value_usd, &nd->price_usd, &nd->supply};
            for (size_t k = 0; k < sizeof ps / sizeof *ps; k++) total += ps[k]->given, assumed += ps[k]->given && ps[k]->assumption;
            for (int k = 0; k < nd->n_inputs; k++) total++, assumed += nd->inputs[k].intensity.assumption;
        }
    json_t *proxies = json_array(), *warn = json_array();
    for (int i = 0; i < rmct_model_nodes(m); i++)
        if (rmct_model_node(m, i)->proxy_imports) json_array_append_new(proxies, json_string(rmct_model_node(m, i)->id));
    for (int i = 0; i < rmct_model_warnings(m); i++) json_array_append_new(warn, json_string(rmct_model_warning(m, i)));
    return json_pack("{s:i, s:i, s:o, s:s, s:o}", "parameters", total, "assumptions", assumed, "proxy_import_nodes", proxies,
                     "proxy_note", "import partners of these nodes are world production shares, not Korea's imports", "warnings",
                     warn);
}

int h_scenario_central(srv_req *r)
{
    bool flows = false;
    const char *edits_text = NULL;
    int st;
    if ((st = q_bool(r, "flows", &flows)) || (st = q_text(r, "edits", MAX_EDITS_QUERY, &edits_text))) return st;
    rmct_scenario *sc;
    if ((st = load_scenario(r, r->params[0], &sc))) return st;
    rmct_error err;
    rmct_error_clear(&err);
    if (edits_text) { /* the same edits as a run's (docs/API.md, "Editing a scenario"), as JSON text */
        json_t *edits = json_loads(edits_text, JSON_REJECT_DUPLICATES, NULL);
        rmct_code rc = edits ? scenario_edit(sc, edits, &err)
                             : rmct_error_set(&err, RMCT_E_ARG, "edits: expected JSON: an array of {\"event\", \"depth\", \"duration_months\", \"from\"}");
        json_decref(edits);
        if (rc) {
            rmct_scenario_free(sc);
            return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "edits", "%s", err.msg);
        }
    }
    sim_setup s;
    if (sim_setup_open_scenario(srv_data_dir(r->s), r->db, sc, NULL, NULL, false, &s, &err)) return srv_fail(r, &err);
    rmct_trace tr;
    if (rmct_sim_trace(s.m, false, 0, 0, &tr, &err)) {
        sim_setup_free(&s);
        return srv_fail(r, &err);
    }
    const rmct_model *m = s.m;
    int T = tr.months, nser = rmct_model_series(m);
    json_t *months = json_array();
    for (int t = 0; t < T; t++) {
        char b[16];
        json_array_append_new(months, json_string(rmct_month_format(rmct_model_start(m) + t, b, sizeof b)));
    }
    /* month by month: each metal's shortfall (% of its demand) and each sector's value lost (% of its output) */
    json_t *series = json_array();
    for (int k = 0; k < nser; k++) {
        const rmct_series_info *si = rmct_model_series_info(m, k);
        if (si->kind == RMCT_SERIES_STOCK) continue;
        json_t *pct = json_array(), *abs = json_array();
        for (int t = 0; t < T; t++) {
            double v = 0;
            for (int i = 0; i < tr.nodes; i++) {
                const rmct_node_info *in = rmct_model_node(m, i);
                size_t x = (size_t)i * T + t;
                if (si->kind == RMCT_SERIES_METAL && in->metal == k) v += tr.shortfall[x];
                if (si->kind == RMCT_SERIES_SECTOR && in->sector_index == k) v += tr.final_lost[x] * in->value_usd;
            }
            json_array_append_new(abs, json_real(v));
            json_array_append_new(pct, json_real(si->normal > 0 ? 100 * v / si->normal : 0));
        }
        json_array_append_new(series, json_pack("{s:s, s:s, s:s, s:f, s:o, s:o}", "kind",
                                                si->kind == RMCT_SERIES_METAL ? "metal shortfall" : "sector value lost", "label",
                                                si->label, "unit", si->unit, "normal_per_month", si->normal, "value", abs,
                                                "pct_of_normal", pct));
    }
    out_table *tm = view_trace_metals(m, &tr), *ts = view_trace_sectors(m, &tr);
    json_t *j = json_pack("{s:o, s:s, s:i, s:o, s:o, s:o, s:o, s:o}", "scenario", scenario_json(s.sc), "run",
                          "one run at the central values", "disruptions", tr.episodes, "months", months, "by_metal", out_json(tm),
                          "by_sector", out_json(ts), "monthly", series, "notes", model_notes_json(m, &s.ch));
    out_free(tm);
    out_free(ts);
    if (flows) {
        out_table *tf = view_trace_flows(m, &tr);
        json_object_set_new(j, "flows", out_json(tf));
        out_free(tf);
    }
    rmct_trace_free(&tr);
    sim_setup_free(&s);
    return srv_json(r, MHD_HTTP_OK, j);
}
