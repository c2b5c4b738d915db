/* serve_survey.c: the industry survey over HTTP (docs/API.md, "The industry survey"; docs/SURVEY.md).
 * Every answer comes from lib/survey.h with the view the request's user maps to, and the library,
 * not this file, applies it: anyone gets the published statistics (the confidentiality rule applied,
 * the rule stated in the answer); a company user (role company) its own company's page and nothing
 * of any other company (404, as for a company that does not exist); analysts (and the roles above)
 * every company, the statistics with the withheld values marked, exposure and a scenario's effect.
 * Entry and correction go through the library's versioned history (rmct_survey_correct_*) with the
 * user as the actor, and the server's audit log records every write. Campaigns are imported from a
 * CSV body by analysts. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry.h"
#include "scenario.h"
#include "serve.h"
#include "survey.h"
#include "text.h"

#define CONFIDENTIAL_ANALYST "ANALYST VIEW, CONFIDENTIAL: withheld values (marked x or c) are never published (GET /api/v1/survey/stats)."
#define CONFIDENTIAL_COMPANY "CONFIDENTIAL: one company's answers; shown only to the company's own users and analysts, never published."

static const char *const table_names[] = {"size", "stage", "sector", "region", "metal", "localisation", "concentration", "origins", NULL};

/* The survey's view of the request's user: analysts and above see everything, a company user its
 * own company, anyone else (no login, viewer) what is published. */
static rmct_survey_view user_view(const srv_req *r)
{
    rmct_survey_view v;
    memset(&v, 0, sizeof v);
    v.kind = RMCT_VIEW_PUBLIC;
    if (!r->authed) return v;
    if (r->user.role >= RMCT_ROLE_ANALYST) v.kind = RMCT_VIEW_ANALYST;
    else if (r->user.role == RMCT_ROLE_COMPANY && r->user.company[0]) {
        v.kind = RMCT_VIEW_COMPANY;
        rmct_strlcpy(v.brn, r->user.company, sizeof v.brn);
    }
    return v;
}

/* ---------------- JSON pieces ---------------- */

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *text_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

static json_t *brn_json(const char *brn)
{
    char b[13];
    return json_string(rmct_brn_format(brn, b));
}

static const char *mark(rmct_cell_status s)
{
    switch (s) {
    case RMCT_CELL_FEW: case RMCT_CELL_DOMINATED: return "x";
    case RMCT_CELL_SECONDARY: return "c";
    case RMCT_CELL_EMPTY: return "-";
    default: return "";
    }
}

/* A cell: its value and companies (null when withheld from the view or empty), what the rule says
 * of it, and the mark a published table prints. */
static json_t *cell_json(const rmct_survey_cell *x, int decimals)
{
    json_t *v;
    if (!isfinite(x->value) || x->status == RMCT_CELL_EMPTY) v = json_null();
    else if (decimals == 0 && x->value == floor(x->value) && fabs(x->value) < 1e15) v = json_integer((json_int_t)x->value);
    else v = json_real(x->value);
    json_t *c = x->companies >= 0 && x->status != RMCT_CELL_EMPTY ? json_integer(x->companies) : json_null();
    return json_pack("{s:o, s:o, s:s, s:s}", "value", v, "companies", c, "status", rmct_cell_status_name(x->status), "mark",
                     mark(x->status));
}

static json_t *table_json(const rmct_survey_table *t)
{
    json_t *cols = json_array(), *rows = json_array();
    for (int j = 0; j < t->n_cols; j++)
        json_array_append_new(cols, json_pack("{s:s, s:s, s:i}", "key", t->cols[j].key, "label", t->cols[j].label, "decimals",
                                              t->cols[j].decimals));
    for (int i = 0; i < t->n_rows; i++) {
        json_t *cells = json_object();
        for (int j = 0; j < t->n_cols; j++) json_object_set_new(cells, t->cols[j].key, cell_json(&t->rows[i].cells[j], t->cols[j].decimals));
        json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "key", t->rows[i].key, "label", t->rows[i].label, "cells", cells));
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "name", t->name, "title", t->title, "note", t->note, "rule", rmct_survey_rule,
                     "columns", cols, "rows", rows);
}

/* What every survey answer says of its data: the campaign, the view, synthetic or not, the rule. */
static void data_fields(json_t *j, int year, const rmct_survey_view *v, bool synthetic, const char *data_note)
{
    char vb[40];
    json_object_set_new(j, "year", json_integer(year));
    json_object_set_new(j, "view", json_string(rmct_survey_view_text(v, vb, sizeof vb)));
    json_object_set_new(j, "synthetic", json_boolean(synthetic));
    json_object_set_new(j, "data_note", json_string(data_note));
    json_object_set_new(j, "rule", json_string(rmct_survey_rule));
    if (v->kind == RMCT_VIEW_ANALYST) json_object_set_new(j, "confidential", json_string(CONFIDENTIAL_ANALYST));
    else if (v->kind == RMCT_VIEW_COMPANY) json_object_set_new(j, "confidential", json_string(CONFIDENTIAL_COMPANY));
}

static int load_codes(srv_req *r, rmct_survey_codes **codes)
{
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_survey_codes_load(srv_data_dir(r->s), codes, &err)) return srv_fail(r, &err);
    return 0;
}

/* ---------------- codebooks and campaigns (public) ---------------- */

static json_t *codes_json(const rmct_survey_code *v, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "code", v[i].code, "name_en", v[i].name_en, "name_ko", v[i].name_ko,
                                           "extra", v[i].extra));
    return a;
}

int h_survey_codes(srv_req *r)
{
    rmct_survey_codes *c;
    int st = load_codes(r, &c);
    if (st) return st;
    json_t *sizes = json_array(), *cols = json_array();
    for (int s = 0; s < RMCT_SIZE__N; s++)
        json_array_append_new(sizes, json_pack("{s:s, s:s}", "code", rmct_size_name((rmct_size_class)s), "label",
                                               rmct_size_label((rmct_size_class)s)));
    for (int i = 0; i < c->n_columns; i++) json_array_append_new(cols, json_string(c->columns[i]));
    json_t *j = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "questionnaire", c->questionnaire, "columns", cols, "sizes", sizes,
                          "stages", codes_json(c->stages, c->n_stages), "sectors", codes_json(c->sectors, c->n_sectors), "regions",
                          codes_json(c->regions, c->n_regions), "difficulties", codes_json(c->difficulties, c->n_difficulties),
                          "rule", rmct_survey_rule);
    rmct_survey_codes_free(c);
    return srv_json(r, MHD_HTTP_OK, j);
}

int h_survey_campaigns(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_campaign *v;
    int n;
    if (rmct_survey_campaigns(r->db, &v, &n, &err)) return srv_fail(r, &err);
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:b, s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "year", v[i].year, "title",
                                           v[i].title, "questionnaire", v[i].questionnaire, "synthetic", v[i].synthetic, "data_note",
                                           v[i].data_note, "companies", (json_int_t)v[i].companies, "answers", (json_int_t)v[i].answers,
                                           "file", v[i].file_name, "sha256", v[i].sha256, "imported_by", v[i].recorded_by,
                                           "imported_at", v[i].recorded_at));
    free(v);
    return srv_json(r, MHD_HTTP_OK, a);
}

/* ---------------- import (analysts) ---------------- */

int h_survey_import(srv_req *r)
{
    const char *name;
    char dir[600], path[700];
    int st;
    if ((st = srv_upload_save(r, "upload.csv", "the campaign CSV", &name, dir, sizeof dir, path, sizeof path))) return st;
    rmct_strlcpy(r->audit_target, name, sizeof r->audit_target);
    rmct_survey_codes *codes;
    if ((st = load_codes(r, &codes))) {
        srv_upload_remove(dir, path);
        return st;
    }
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_import_opts o = {r->user.name, NULL, NULL};
    rmct_survey_import_result res;
    rmct_code rc = rmct_survey_import(r->db, codes, path, name, &o, &res, &err);
    rmct_survey_codes_free(codes);
    srv_upload_remove(dir, path);
    if (rc) return srv_fail(r, &err);
    rmct_survey_campaign camp;
    if (rmct_survey_campaign_get(r->db, res.year, &camp, &err)) return srv_fail(r, &err);
    json_t *j = json_pack("{s:s, s:i, s:b, s:I, s:I, s:I, s:I, s:b, s:s, s:s}", "file", name, "year", res.year, "unchanged",
                          res.unchanged, "source_id", (json_int_t)res.source_id, "companies", (json_int_t)camp.companies,
                          "new_companies", (json_int_t)res.new_companies, "answers", (json_int_t)camp.answers, "synthetic",
                          camp.synthetic, "data_note", camp.data_note, "title", camp.title);
    if (res.unchanged) return srv_json(r, MHD_HTTP_OK, j);
    snprintf(r->location, sizeof r->location, "/api/v1/survey/stats?year=%d", res.year);
    return srv_json(r, MHD_HTTP_CREATED, j);
}

/* ---------------- statistics ---------------- */

static int stats(srv_req *r, const rmct_survey_view *view)
{
    long year = 0;
    const char *table = NULL;
    int st;
    if ((st = q_long(r, "year", 2000, 2200, &year)) || (st = q_enum(r, "table", table_names, &table))) return st;
    rmct_survey_codes *codes;
    if ((st = load_codes(r, &codes))) return st;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_stats *s;
    rmct_code rc = rmct_survey_stats_compute(r->db, codes, view, (int)year, NULL, &s, &err);
    rmct_survey_codes_free(codes);
    if (rc) return srv_fail(r, &err);
    json_t *j = json_object();
    data_fields(j, s->year, &s->view, s->synthetic, s->data_note);
    json_object_set_new(j, "prev_year", s->prev_year ? json_integer(s->prev_year) : json_null());
    json_object_set_new(j, "title", json_string(s->title));
    json_object_set_new(j, "suppression", json_pack("{s:i, s:i, s:i, s:i, s:i}", "withheld_by_rule", s->primary, "withheld_to_protect",
                                                    s->secondary, "figures_audited", s->audited, "linear_programmes", s->lp_solves,
                                                    "figures_disclosed", s->disclosed));
    json_t *tables = json_array();
    for (int t = 0; t < s->n_tables; t++)
        if (!table || !strcmp(table, s->tables[t].name)) json_array_append_new(tables, table_json(&s->tables[t]));
    json_object_set_new(j, "tables", tables);
    rmct_survey_stats_free(s);
    return srv_json(r, MHD_HTTP_OK, j);
}

int h_survey_stats(srv_req *r)
{
    /* what may be published, whoever asks */
    rmct_survey_view v;
    memset(&v, 0, sizeof v);
    v.kind = RMCT_VIEW_PUBLIC;
    return stats(r, &v);
}

int h_survey_stats_full(srv_req *r)
{
    rmct_survey_view v = user_view(r);
    return stats(r, &v);
}

/* ---------------- exposure and a scenario's effect (analysts) ---------------- */

static json_t *exposure_row_json(const rmct_exposure_row *x, bool company_cols)
{
    json_t *j = json_object();
    if (company_cols) {
        json_object_set_new(j, "brn", brn_json(x->brn));
        json_object_set_new(j, "company", json_string(x->name_en));
        json_object_set_new(j, "name_ko", json_string(x->name_ko));
        json_object_set_new(j, "size", json_string(x->size));
        json_object_set_new(j, "region", json_string(x->region));
    }
    json_object_set_new(j, "metal", json_string(x->metal));
    json_object_set_new(j, "type", json_string(x->type_code));
    json_object_set_new(j, "metal_name", json_string(x->metal_name));
    json_object_set_new(j, "consumed_t", num(x->consumed_t));
    json_object_set_new(j, "import_pct", num(100 * x->import_share));
    json_object_set_new(j, "domestic_pct", num(100 * x->domestic_share));
    json_object_set_new(j, "recycled_pct", num(100 * x->recycled_share));
    json_object_set_new(j, "inventory_days", num(x->inventory_days));
    json_object_set_new(j, "national_sr", x->has_score || isfinite(x->national_sr) ? num(x->national_sr) : json_null());
    json_object_set_new(j, "score", x->has_score ? num(x->score) : json_null());
    json_object_set_new(j, "vs_national", x->has_score && x->national_sr > 0 ? num(x->score / x->national_sr) : json_null());
    json_object_set_new(j, "stage", text_or_null(x->stage));
    json_object_set_new(j, "driver", x->has_score ? json_string(x->driver) : json_null());
    json_object_set_new(j, "why_not", x->has_score ? json_null() : json_string(x->why_not));
    return j;
}

static int exposure_of(srv_req *r, const rmct_survey_view *v, int year, rmct_survey_exposure **x)
{
    char mpath[700];
    snprintf(mpath, sizeof mpath, "%s/methods/eu2017-kr.json", srv_data_dir(r->s));
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_survey_exposure_compute(r->db, v, year, mpath, x, &err)) return srv_fail(r, &err);
    return 0;
}

/* A bundled scenario's file, or 0 after a 404 naming it. */
static int scenario_path(srv_req *r, const char *name, char *path, size_t size)
{
    snprintf(path, size, "%s/scenarios/%s.json", srv_data_dir(r->s), srv_safe_name(name) ? name : "-");
    if (!srv_safe_name(name) || access(path, R_OK) != 0)
        return srv_error(r, MHD_HTTP_NOT_FOUND, "not_found", "scenario", "scenario: no bundled scenario \"%s\" (GET /api/v1/scenarios)",
                         srv_safe_name(name) ? name : "?");
    return 0;
}

int h_survey_exposure(srv_req *r)
{
    long year = 0;
    int st;
    if ((st = q_long(r, "year", 2000, 2200, &year))) return st;
    rmct_survey_view v = user_view(r);
    rmct_survey_exposure *x;
    if ((st = exposure_of(r, &v, (int)year, &x))) return st;
    /* the bundled scenarios that cut each row's supply; '!' where the company's own stock runs out */
    char names[32][64];
    int ns = rmct_scenario_names(srv_data_dir(r->s), names, 32);
    json_t **hit = calloc((size_t)(x->n_rows ? x->n_rows : 1), sizeof *hit);
    if (!hit) {
        rmct_survey_exposure_free(x);
        return srv_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, "out of memory");
    }
    for (int i = 0; i < x->n_rows; i++) hit[i] = json_array();
    rmct_error err;
    rmct_error_clear(&err);
    for (int k = 0; k < ns; k++) {
        char path[800];
        snprintf(path, sizeof path, "%.600s/scenarios/%.63s.json", srv_data_dir(r->s), names[k]);
        rmct_survey_impact *im;
        if (rmct_survey_impact_run(r->db, &v, x->year, srv_data_dir(r->s), path, &im, &err)) {
            for (int i = 0; i < x->n_rows; i++) json_decref(hit[i]);
            free(hit);
            rmct_survey_exposure_free(x);
            return srv_fail(r, &err);
        }
        for (int i = 0; i < x->n_rows; i++)
            for (int j = 0; j < im->n_rows; j++)
                if (!strcmp(im->rows[j].brn, x->rows[i].brn) && !strcmp(im->rows[j].metal, x->rows[i].metal) && im->rows[j].affected)
                    json_array_append_new(hit[i], json_pack("{s:s, s:b}", "scenario", names[k], "stockout", im->rows[j].stockout >= 0));
        rmct_survey_impact_free(im);
    }
    json_t *rows = json_array();
    for (int i = 0; i < x->n_rows; i++) {
        json_t *row = exposure_row_json(&x->rows[i], true);
        json_object_set_new(row, "hit_by", hit[i]);
        json_array_append_new(rows, row);
    }
    free(hit);
    json_t *j = json_object();
    data_fields(j, x->year, &x->view, x->synthetic, x->data_note);
    json_object_set_new(j, "method", json_string(x->method));
    json_object_set_new(j, "sr_threshold", num(x->sr_threshold));
    json_object_set_new(j, "assessment_year", json_integer(x->assessment_year));
    json_object_set_new(j, "rows", rows);
    json_object_set_new(j, "summary", table_json(&x->summary));
    rmct_survey_exposure_free(x);
    return srv_json(r, MHD_HTTP_OK, j);
}

int h_survey_impact(srv_req *r)
{
    long year = 0;
    bool all = false;
    int st;
    if ((st = q_long(r, "year", 2000, 2200, &year)) || (st = q_bool(r, "all", &all))) return st;
    char path[800];
    if ((st = scenario_path(r, r->params[0], path, sizeof path))) return st;
    rmct_survey_view v = user_view(r);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_impact *x;
    if (rmct_survey_impact_run(r->db, &v, (int)year, srv_data_dir(r->s), path, &x, &err)) return srv_fail(r, &err);
    json_t *rows = json_array();
    int others = 0;
    for (int i = 0; i < x->n_rows; i++) {
        const rmct_impact_row *w = &x->rows[i];
        if (!all && !w->affected) {
            others++;
            continue;
        }
        char m1[16], m2[16];
        json_t *row = json_object();
        json_object_set_new(row, "brn", brn_json(w->brn));
        json_object_set_new(row, "company", json_string(w->name_en));
        json_object_set_new(row, "name_ko", json_string(w->name_ko));
        json_object_set_new(row, "size", json_string(w->size));
        json_object_set_new(row, "metal", json_string(w->metal));
        json_object_set_new(row, "consumed_t", num(w->consumed_t));
        json_object_set_new(row, "inventory_days", num(w->inventory_days));
        json_object_set_new(row, "import_pct", num(100 * w->import_share));
        json_object_set_new(row, "domestic_pct", num(100 * w->domestic_share));
        json_object_set_new(row, "recycled_pct", num(100 * w->recycled_share));
        json_object_set_new(row, "import_cut_max_pct", num(100 * w->direct_cut_max));
        json_object_set_new(row, "market_short_max_pct", num(100 * w->market_short_max));
        json_object_set_new(row, "supply_lost_max_pct", num(100 * w->supply_lost_max));
        json_object_set_new(row, "affected", json_boolean(w->affected));
        json_object_set_new(row, "first_affected",
                            w->first_affected >= 0 ? json_string(rmct_month_format(x->start + w->first_affected, m1, sizeof m1)) : json_null());
        json_object_set_new(row, "stockout", w->stockout >= 0 ? json_string(rmct_month_format(x->start + w->stockout, m2, sizeof m2)) : json_null());
        json_object_set_new(row, "months_short", json_integer(w->months_short));
        json_object_set_new(row, "shortfall_t", num(w->shortfall_t));
        json_array_append_new(rows, row);
    }
    char m0[16], m1[16];
    json_t *j = json_object();
    data_fields(j, x->year, &x->view, x->synthetic, x->data_note);
    json_object_set_new(j, "scenario", json_string(x->scenario));
    json_object_set_new(j, "title", json_string(x->title));
    json_object_set_new(j, "from", json_string(rmct_month_format(x->start, m0, sizeof m0)));
    json_object_set_new(j, "to", json_string(rmct_month_format(x->start + x->months - 1, m1, sizeof m1)));
    json_object_set_new(j, "months", json_integer(x->months));
    json_object_set_new(j, "not_hit", json_integer(others));
    json_object_set_new(j, "rows", rows);
    json_object_set_new(j, "summary", table_json(&x->summary));
    rmct_survey_impact_free(x);
    return srv_json(r, MHD_HTTP_OK, j);
}

/* ---------------- companies ---------------- */

static json_t *profile_json(const rmct_survey_profile *p, bool full)
{
    json_t *j = json_object();
    json_object_set_new(j, "brn", brn_json(p->brn));
    json_object_set_new(j, "name_en", json_string(p->name_en));
    json_object_set_new(j, "name_ko", json_string(p->name_ko));
    json_object_set_new(j, "size", json_string(p->size));
    if (full) json_object_set_new(j, "size_basis", json_string(p->size_basis));
    json_object_set_new(j, "ksic", json_string(p->ksic));
    if (full) {
        json_object_set_new(j, "avg_sales_krw_bn", num(p->sales_krw_bn));
        json_object_set_new(j, "total_assets_krw_bn", num(p->assets_krw_bn));
        json_object_set_new(j, "restricted_group", json_boolean(p->restricted_group));
    }
    json_object_set_new(j, "region", json_string(p->region));
    json_object_set_new(j, "stages", json_string(p->stages));
    json_object_set_new(j, "sectors", json_string(p->sectors));
    json_object_set_new(j, "metals", json_integer(p->metals));
    json_object_set_new(j, "version", json_integer(p->version));
    json_object_set_new(j, "synthetic", json_boolean(p->synthetic));
    if (full) {
        json_object_set_new(j, "reason", json_string(p->reason));
        json_object_set_new(j, "actor", json_string(p->actor));
        json_object_set_new(j, "recorded_at", json_string(p->recorded_at));
    }
    return j;
}

static json_t *answer_json(const rmct_survey_answer *a)
{
    json_t *j = json_object();
    json_object_set_new(j, "metal", json_string(a->metal));
    json_object_set_new(j, "type", json_string(a->type_code));
    json_object_set_new(j, "metal_name", json_string(a->metal_name));
    json_object_set_new(j, "stage", json_string(a->stage));
    json_object_set_new(j, "consumed_t", num(a->consumed_t));
    json_object_set_new(j, "produced_t", num(a->produced_t));
    json_object_set_new(j, "import_pct", num(a->import_pct));
    json_object_set_new(j, "domestic_pct", num(a->domestic_pct));
    json_object_set_new(j, "recycled_pct", num(a->recycled_pct));
    json_object_set_new(j, "origins", json_string(a->origins));
    json_object_set_new(j, "inventory_days", num(a->inventory_days));
    json_object_set_new(j, "substitutes", json_string(a->substitutes));
    json_object_set_new(j, "difficulties", json_string(a->difficulties));
    json_object_set_new(j, "difficulty_text", json_string(a->difficulty_text));
    json_object_set_new(j, "version", json_integer(a->version));
    json_object_set_new(j, "reason", json_string(a->reason));
    json_object_set_new(j, "actor", json_string(a->actor));
    json_object_set_new(j, "recorded_at", json_string(a->recorded_at));
    return j;
}

int h_survey_companies(srv_req *r)
{
    long year = 0;
    int st;
    if ((st = q_long(r, "year", 2000, 2200, &year))) return st;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_campaign camp;
    if (rmct_survey_campaign_get(r->db, (int)year, &camp, &err)) return srv_fail(r, &err);
    rmct_survey_view v = user_view(r);
    rmct_survey_profile *p;
    int n;
    if (rmct_survey_profiles(r->db, &v, camp.year, &p, &n, &err)) return srv_fail(r, &err);
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, profile_json(&p[i], false));
    free(p);
    json_t *j = json_object();
    data_fields(j, camp.year, &v, camp.synthetic, camp.data_note);
    json_object_set_new(j, "companies", a);
    return srv_json(r, MHD_HTTP_OK, j);
}

/* The company of the path as the view may see it (a name or a registration number); else a 404,
 * the same whether it does not exist or is not the user's. */
static int company_param(srv_req *r, const rmct_survey_view *v, char brn[11])
{
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_survey_find_company(r->db, v, r->params[0], brn, &err)) return srv_fail(r, &err);
    return 0;
}

int h_survey_company(srv_req *r)
{
    long year = 0;
    int st;
    if ((st = q_long(r, "year", 2000, 2200, &year))) return st;
    rmct_survey_view v = user_view(r);
    char brn[11];
    if ((st = company_param(r, &v, brn))) return st;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_profile p;
    rmct_survey_answer *a;
    int n;
    if (rmct_survey_company(r->db, &v, brn, (int)year, &p, &a, &n, &err)) return srv_fail(r, &err);
    rmct_survey_campaign camp;
    if (rmct_survey_campaign_get(r->db, p.year, &camp, &err)) {
        free(a);
        return srv_fail(r, &err);
    }
    json_t *answers = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(answers, answer_json(&a[i]));
    free(a);
    rmct_survey_version *h;
    int nh;
    if (rmct_survey_history(r->db, &v, brn, 0, &h, &nh, &err)) {
        json_decref(answers);
        return srv_fail(r, &err);
    }
    json_t *history = json_array(), *years = json_array();
    int last_year = 0;
    for (int i = 0; i < nh; i++) {
        json_array_append_new(history,
                              json_pack("{s:s, s:s, s:i, s:s, s:o, s:i, s:b, s:s, s:s, s:s}", "recorded_at", h[i].recorded_at, "actor",
                                        h[i].actor, "year", h[i].year, "kind", h[i].kind, "metal", text_or_null(h[i].metal), "version",
                                        h[i].version, "withdrawn", h[i].withdrawn, "changes", h[i].changes, "reason", h[i].reason,
                                        "source", h[i].source));
        if (h[i].year != last_year) json_array_append_new(years, json_integer(last_year = h[i].year));
    }
    free(h);
    rmct_survey_exposure *x;
    if ((st = exposure_of(r, &v, p.year, &x))) {
        json_decref(answers);
        json_decref(history);
        json_decref(years);
        return st;
    }
    json_t *exposure = json_array();
    for (int i = 0; i < x->n_rows; i++)
        if (!strcmp(x->rows[i].brn, brn)) json_array_append_new(exposure, exposure_row_json(&x->rows[i], false));
    json_t *j = json_object();
    data_fields(j, p.year, &v, camp.synthetic || p.synthetic, camp.data_note);
    json_object_set_new(j, "company", brn_json(brn));
    json_object_set_new(j, "campaigns", years);
    json_object_set_new(j, "profile", profile_json(&p, true));
    json_object_set_new(j, "answers", answers);
    json_object_set_new(j, "exposure", json_pack("{s:s, s:o, s:i, s:o}", "method", x->method, "sr_threshold", num(x->sr_threshold),
                                                 "assessment_year", x->assessment_year, "rows", exposure));
    json_object_set_new(j, "history", history);
    rmct_survey_exposure_free(x);
    return srv_json(r, MHD_HTTP_OK, j);
}

/* ---------------- entry and correction ---------------- */

/* A field as the campaign CSV writes it: a string (at most max bytes of UTF-8 without control
 * characters; "" clears an optional field), a number (as %.15g) or a boolean (1 or 0); absent or
 * null: unchanged. */
static int b_field(srv_req *r, const char *name, size_t max, char *buf, size_t size, const char **out)
{
    json_t *v = json_object_get(r->body, name);
    if (!v || json_is_null(v)) return 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = strlen(s);
        bool ok = n <= max && n == json_string_length(v) && rmct_utf8_valid_prefix(s, n) == n;
        for (const unsigned char *p = (const unsigned char *)s; ok && *p; p++) ok = *p >= 0x20 && *p != 0x7f;
        if (!ok)
            return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected a string of at most %zu characters of text", name,
                             max);
        rmct_strlcpy(buf, s, size);
    } else if (json_is_integer(v))
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v) && isfinite(json_real_value(v)))
        snprintf(buf, size, "%.15g", json_real_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, size, "%d", json_is_true(v) ? 1 : 0);
    else
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", name, "%s: expected a string or a number", name);
    *out = buf;
    return 0;
}

/* What every change needs: the campaign, the reason, a view that may change answers. */
static int change_common(srv_req *r, rmct_survey_view *v, long *year, const char **reason)
{
    int st;
    if ((st = b_long(r, "year", 2000, 2200, true, year)) || (st = b_text(r, "reason", 400, true, reason))) return st;
    *v = user_view(r);
    if (v->kind == RMCT_VIEW_PUBLIC)
        return srv_error(r, MHD_HTTP_FORBIDDEN, "forbidden", NULL,
                         "only the company's own users and analysts may enter or correct its answers; %s is %s", r->user.name,
                         rmct_role_name(r->user.role));
    return 0;
}

/* The library's refusal: a bad value names the CSV column (422), as an imported row's would. */
static int change_failed(srv_req *r, rmct_error *err)
{
    srv_hide_paths(r->s, err->msg, sizeof err->msg);
    return srv_fail(r, err);
}

static json_t *change_json(const char *brn, long year, const char *kind, const char *metal, int version, const char *action,
                           const char *by, const char *reason)
{
    return json_pack("{s:o, s:I, s:s, s:o, s:i, s:s, s:s, s:s}", "company", brn_json(brn), "year", (json_int_t)year, "kind", kind,
                     "metal", text_or_null(metal), "version", version, "action", action, "by", by, "reason", reason);
}

#define PROFILE_FIELDS "year,reason,name_ko,name_en,size,ksic,avg_sales_krw_bn,total_assets_krw_bn,restricted_group,region,stages,sectors"
#define ANSWER_FIELDS                                                                                                          \
    "year,reason,stage,consumed_t,produced_t,import_pct,domestic_pct,recycled_pct,origins,inventory_days,substitutes,"       \
    "difficulties,difficulty_text,withdraw"

int h_survey_profile_edit(srv_req *r)
{
    int st;
    if ((st = b_only(r, PROFILE_FIELDS))) return st;
    rmct_survey_view v;
    long year;
    const char *reason = NULL;
    if ((st = change_common(r, &v, &year, &reason))) return st;
    static const char *const names[] = {"name_ko", "name_en", "size", "ksic", "avg_sales_krw_bn", "total_assets_krw_bn",
                                        "restricted_group", "region", "stages", "sectors"};
    enum { NF = sizeof names / sizeof *names };
    char buf[NF][260];
    const char *val[NF] = {0};
    for (int k = 0; k < NF; k++)
        if ((st = b_field(r, names[k], 240, buf[k], sizeof buf[k], &val[k]))) return st;
    char brn[11];
    if ((st = company_param(r, &v, brn))) return st;
    char b[13];
    snprintf(r->audit_target, sizeof r->audit_target, "company %s %ld profile", rmct_brn_format(brn, b), year);
    rmct_survey_codes *codes;
    if ((st = load_codes(r, &codes))) return st;
    rmct_survey_profile_edit e = {val[0], val[1], val[2], val[3], val[4], val[5], val[6], val[7], val[8], val[9]};
    rmct_survey_change ch = {r->user.name, reason};
    rmct_error err;
    rmct_error_clear(&err);
    int version = 0;
    rmct_code rc = rmct_survey_correct_profile(r->db, codes, &v, &ch, (int)year, brn, &e, &version, &err);
    rmct_survey_codes_free(codes);
    if (rc) return change_failed(r, &err);
    return srv_json(r, MHD_HTTP_OK, change_json(brn, year, "profile", NULL, version, "corrected", r->user.name, reason));
}

int h_survey_answer_edit(srv_req *r)
{
    int st;
    if ((st = b_only(r, ANSWER_FIELDS))) return st;
    rmct_survey_view v;
    long year;
    const char *reason = NULL;
    bool withdraw = false;
    if ((st = change_common(r, &v, &year, &reason)) || (st = b_bool(r, "withdraw", &withdraw))) return st;
    static const char *const names[] = {"stage", "consumed_t", "produced_t", "import_pct", "domestic_pct", "recycled_pct",
                                        "origins", "inventory_days", "substitutes", "difficulties", "difficulty_text"};
    enum { NF = sizeof names / sizeof *names };
    char buf[NF][620];
    const char *val[NF] = {0};
    for (int k = 0; k < NF; k++)
        if ((st = b_field(r, names[k], 600, buf[k], sizeof buf[k], &val[k]))) return st;
    char brn[11];
    if ((st = company_param(r, &v, brn))) return st;
    char b[13];
    snprintf(r->audit_target, sizeof r->audit_target, "company %s %ld %.16s", rmct_brn_format(brn, b), year, r->params[1]);
    rmct_survey_codes *codes;
    if ((st = load_codes(r, &codes))) return st;
    rmct_survey_answer_edit e = {r->params[1], val[0], val[1], val[2], val[3], val[4], val[5], val[6], val[7], val[8], val[9], val[10],
                                 withdraw};
    rmct_survey_change ch = {r->user.name, reason};
    rmct_error err;
    rmct_error_clear(&err);
    int version = 0;
    rmct_code rc = rmct_survey_correct_answer(r->db, codes, &v, &ch, (int)year, brn, &e, &version, &err);
    rmct_survey_codes_free(codes);
    if (rc) return change_failed(r, &err);
    /* the answer's key: the element or type the metal names, as stored */
    rmct_metal m;
    rmct_error_clear(&err);
    const char *key = r->params[1];
    if (!rmct_metal_resolve(r->db, r->params[1], &m, &err)) key = m.element[0] ? m.element : m.type_code;
    snprintf(r->audit_target, sizeof r->audit_target, "company %s %ld %.16s", rmct_brn_format(brn, b), year, key);
    const char *action = withdraw ? "withdrawn" : version == 1 ? "entered" : "corrected";
    return srv_json(r, version == 1 ? MHD_HTTP_CREATED : MHD_HTTP_OK, change_json(brn, year, "answer", key, version, action, r->user.name,
                                                                                  reason));
}
