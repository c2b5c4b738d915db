/* scenario.c: reading and validating scenario files (docs/SIMULATION.md, "Scenario files").
 * Like chain files, validation is strict: unknown keys are errors, every message names the file,
 * the entry (events[i], responses[i]) and the field. */
#include "scenario.h"
#include <dirent.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonv.h"
#include "text.h"

const char *rmct_scn_event_kind_name(rmct_scn_event_kind k)
{
    static const char *n[] = {"export_restriction", "outage", "demand_surge", "price_shock"};
    return (unsigned)k < 4 ? n[k] : "?";
}

const char *rmct_scn_response_kind_name(rmct_scn_response_kind k)
{
    static const char *n[] = {"stockpile_release", "alternative_sourcing", "substitution", "recycling_increase"};
    return (unsigned)k < 4 ? n[k] : "?";
}

bool rmct_month_parse(const char *text, int *out)
{
    int y, m, d, n = 0;
    size_t len = strlen(text);
    if (len == 7 && sscanf(text, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7) d = 1;
    else if (len == 10 && sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10) {
    } else
        return false;
    if (text[4] != '-' || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d > mdays[m - 1]) return false;
    *out = y * 12 + m - 1;
    return true;
}

const char *rmct_month_format(int month, char *buf, unsigned size)
{
    int y = month >= 0 ? month / 12 : (month - 11) / 12;
    snprintf(buf, size, "%04d-%02d", y, month - y * 12 + 1);
    return buf;
}

/* An array of strings into fixed slots. */
static rmct_code names(const json_t *obj, const char *key, const char *file, const char *where, char *slots,
                       size_t slot_size, int max, int *n, rmct_error *err)
{
    json_t *a = json_object_get(obj, key);
    *n = 0;
    if (!a) return RMCT_OK;
    char what[80];
    snprintf(what, sizeof what, "an array of 1 to %d names", max);
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > (size_t)max)
        return jsonv_bad(err, file, where, key, what, a);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *s = json_array_get(a, i);
        if (!json_is_string(s) || !*json_string_value(s) || strlen(json_string_value(s)) >= slot_size) {
            char f[48];
            snprintf(f, sizeof f, "%s[%zu]", key, i);
            snprintf(what, sizeof what, "a name of 1 to %zu bytes", slot_size - 1);
            return jsonv_bad(err, file, where, f, what, s);
        }
        rmct_strlcpy(slots + i * slot_size, json_string_value(s), slot_size);
    }
    *n = (int)json_array_size(a);
    return RMCT_OK;
}

static rmct_code target(const json_t *o, const char *file, const char *where, rmct_scn_target *t, rmct_error *err)
{
    if (names(o, "metals", file, where, &t->metals[0][0], sizeof t->metals[0], RMCT_SCN_NAMES, &t->n_metals, err) ||
        names(o, "nodes", file, where, &t->nodes[0][0], sizeof t->nodes[0], RMCT_SCN_NAMES, &t->n_nodes, err) ||
        names(o, "sectors", file, where, &t->sectors[0][0], sizeof t->sectors[0], RMCT_SCN_NAMES, &t->n_sectors, err))
        return err->code;
    return RMCT_OK;
}

/* A parameter field with the range it must lie in; absent and required: an error. */
static rmct_code param(const json_t *o, const char *key, bool required, const char *file, const char *where, double lo,
                       double hi, rmct_param *p, rmct_error *err)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        if (required) return jsonv_bad(err, file, where, key, "a parameter object", NULL);
        return RMCT_OK;
    }
    char w[200];
    snprintf(w, sizeof w, "%s.%s", where, key);
    if (rmct_param_read(v, file, w, true, p, err)) return err->code;
    if (p->value < lo || p->value > hi)
        return rmct_error_at(err, file, 0, 0, NULL, "%s.value: expected a number from %g to %g, got %g", w, lo, hi,
                             p->value);
    /* Draws are clamped to the range; a distribution reaching outside it says the file is wrong. */
    const rmct_dist *d = &p->dist;
    if ((d->kind == RMCT_DIST_UNIFORM || d->kind == RMCT_DIST_TRIANGULAR) && (d->low < lo || d->high > hi))
        return rmct_error_at(err, file, 0, 0, NULL, "%s.distribution: expected low and high within %g to %g, got %g to %g",
                             w, lo, hi, d->low, d->high);
    return RMCT_OK;
}

static rmct_code basis(const json_t *o, const char *file, const char *where, char **out, bool *assumption,
                       rmct_error *err)
{
    json_t *s = json_object_get(o, "source"), *a = json_object_get(o, "assumption");
    if ((s != NULL) == (a != NULL))
        return rmct_error_at(err, file, 0, 0, NULL,
                             "%s: expected exactly one of \"source\" or \"assumption\", got %s", *where ? where : "scenario",
                             s ? "both" : "neither");
    json_t *b = s ? s : a;
    if (!json_is_string(b) || !*json_string_value(b))
        return jsonv_bad(err, file, where, s ? "source" : "assumption", "a non-empty string", b);
    *out = strdup(json_string_value(b));
    *assumption = a != NULL;
    return *out ? RMCT_OK : rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
}

static rmct_code date_field(const json_t *o, const char *key, bool required, int start, const char *file,
                            const char *where, int *out, bool *present, rmct_error *err)
{
    json_t *v = json_object_get(o, key);
    *present = v != NULL;
    if (!v) return required ? jsonv_bad(err, file, where, key, "a date YYYY-MM or YYYY-MM-DD", NULL) : RMCT_OK;
    int m;
    if (!json_is_string(v) || !rmct_month_parse(json_string_value(v), &m))
        return jsonv_bad(err, file, where, key, "a date YYYY-MM or YYYY-MM-DD", v);
    *out = m - start;
    return RMCT_OK;
}

static rmct_code read_event(const json_t *o, int i, int start, const char *file, rmct_scn_event *e, rmct_error *err)
{
    static const char *const keys[] = {"type", "country", "metals", "nodes", "sectors", "cut", "capacity_cut",
                                       "increase", "factor", "announced", "effective", "start", "duration_months",
                                       "phase_in_months", "source", "assumption", "description", NULL};
    char where[96];
    snprintf(where, sizeof where, "events[%d]", i);
    if (!json_is_object(o)) return jsonv_bad(err, file, "", where, "an object", o);
    const char *type = json_string_value(json_object_get(o, "type"));
    const char *kinds[] = {"export_restriction", "outage", "demand_surge", "price_shock"};
    int k = -1;
    for (int j = 0; j < 4 && type; j++)
        if (strcmp(type, kinds[j]) == 0) k = j;
    if (k < 0)
        return jsonv_bad(err, file, where, "type", "export_restriction, outage, demand_surge or price_shock",
                   json_object_get(o, "type"));
    e->kind = (rmct_scn_event_kind)k;
    if (jsonv_only_keys(o, keys, file, where, err)) return err->code;
    if (target(o, file, where, &e->target, err)) return err->code;
    if (basis(o, file, where, &e->basis, &e->assumption, err)) return err->code;
    bool present;
    const json_t *c = json_object_get(o, "country");
    switch (e->kind) {
    case RMCT_SCN_EVENT_EXPORT_RESTRICTION:
        if (!json_is_string(c) || strlen(json_string_value(c)) != 3)
            return jsonv_bad(err, file, where, "country", "an ISO 3166 alpha-3 code", c);
        rmct_strlcpy(e->country, json_string_value(c), sizeof e->country);
        for (int j = 0; j < 3; j++)
            if (e->country[j] < 'A' || e->country[j] > 'Z')
                return jsonv_bad(err, file, where, "country", "an ISO 3166 alpha-3 code in capitals", c);
        if (!e->target.n_metals && !e->target.n_nodes)
            return jsonv_bad(err, file, where, "metals", "the metals (or nodes) whose exports are restricted", NULL);
        if (param(o, "cut", true, file, where, 0, 1, &e->depth, err)) return err->code;
        if (date_field(o, "effective", true, start, file, where, &e->month, &present, err)) return err->code;
        if (date_field(o, "announced", false, start, file, where, &e->announced_month, &present, err)) return err->code;
        if (!present) e->announced_month = e->month;
        if (e->announced_month > e->month)
            return jsonv_bad(err, file, where, "announced", "a date no later than \"effective\"", json_object_get(o, "announced"));
        if (param(o, "phase_in_months", false, file, where, 0, 120, &e->phase_in, err)) return err->code;
        break;
    case RMCT_SCN_EVENT_OUTAGE:
        if (!e->target.n_nodes) return jsonv_bad(err, file, where, "nodes", "the nodes whose capacity falls", NULL);
        if (param(o, "capacity_cut", true, file, where, 0, 1, &e->depth, err)) return err->code;
        break;
    case RMCT_SCN_EVENT_DEMAND_SURGE:
        if (!e->target.n_nodes && !e->target.n_sectors)
            return jsonv_bad(err, file, where, "nodes", "the products (nodes or sectors) whose demand rises", NULL);
        if (param(o, "increase", true, file, where, -1, 100, &e->depth, err)) return err->code;
        break;
    case RMCT_SCN_EVENT_PRICE_SHOCK:
        if (!e->target.n_metals && !e->target.n_nodes)
            return jsonv_bad(err, file, where, "metals", "the metals (or nodes) whose price changes", NULL);
        if (param(o, "factor", true, file, where, 0, 1000, &e->depth, err)) return err->code;
        break;
    }
    if (e->kind != RMCT_SCN_EVENT_EXPORT_RESTRICTION) {
        if (c) return jsonv_bad(err, file, where, "country", "no country (only export restrictions name one)", c);
        if (date_field(o, "start", true, start, file, where, &e->month, &present, err)) return err->code;
        e->announced_month = e->month;
        const char *wrong[] = {"cut", "effective", "announced", "phase_in_months"};
        for (int j = 0; j < 4; j++)
            if (json_object_get(o, wrong[j]))
                return rmct_error_at(err, file, 0, 0, NULL, "%s.%s: not a field of a %s event", where, wrong[j], type);
    }
    const char *other_depth[] = {"cut", "capacity_cut", "increase", "factor"};
    for (int j = 0; j < 4; j++)
        if (j != k && json_object_get(o, other_depth[j]))
            return rmct_error_at(err, file, 0, 0, NULL, "%s.%s: not a field of a %s event", where, other_depth[j], type);
    if (param(o, "duration_months", false, file, where, 0.5, 1200, &e->duration, err)) return err->code;
    snprintf(e->label, sizeof e->label, "events[%d] (%s%s%s)", i, type, e->country[0] ? " " : "", e->country);
    return RMCT_OK;
}

static rmct_code read_response(const json_t *o, int i, const char *file, rmct_scn_response *r, rmct_error *err)
{
    char where[96];
    snprintf(where, sizeof where, "responses[%d]", i);
    if (!json_is_object(o)) return jsonv_bad(err, file, "", where, "an object", o);
    const char *type = json_string_value(json_object_get(o, "type"));
    static const char *kinds[] = {"stockpile_release", "alternative_sourcing", "substitution", "recycling_increase"};
    static const char *const keys[4][14] = {
        {"type", "nodes", "metals", "stock_days", "stock", "trigger_cover_days", "max_monthly_days", "floor_days",
         "lead_months", "source", "assumption", "description", NULL},
        {"type", "nodes", "metals", "countries", "max_share", "lead_months", "ramp_months", "source", "assumption",
         "description", NULL},
        {"type", "nodes", "metals", "fraction", "delay_months", "source", "assumption", "description", NULL},
        {"type", "nodes", "factor", "delay_months", "ramp_months", "source", "assumption", "description", NULL},
    };
    int k = -1;
    for (int j = 0; j < 4 && type; j++)
        if (strcmp(type, kinds[j]) == 0) k = j;
    if (k < 0)
        return jsonv_bad(err, file, where, "type", "stockpile_release, alternative_sourcing, substitution or recycling_increase",
                   json_object_get(o, "type"));
    r->kind = (rmct_scn_response_kind)k;
    snprintf(r->label, sizeof r->label, "responses[%d] (%s)", i, type);
    if (jsonv_only_keys(o, keys[k], file, where, err)) return err->code;
    if (target(o, file, where, &r->target, err)) return err->code;
    if (!r->target.n_nodes && !r->target.n_metals)
        return jsonv_bad(err, file, where, "nodes", "the nodes (or metals) the response applies to", NULL);
    if (basis(o, file, where, &r->basis, &r->assumption, err)) return err->code;
    switch (r->kind) {
    case RMCT_SCN_RESP_STOCKPILE_RELEASE: {
        json_t *sd = json_object_get(o, "stock_days"), *st = json_object_get(o, "stock");
        if ((sd != NULL) == (st != NULL))
            return rmct_error_at(err, file, 0, 0, NULL, "%s: expected exactly one of \"stock_days\" or \"stock\"", where);
        if (param(o, "stock_days", false, file, where, 0, 3650, &r->stock_days, err) ||
            param(o, "stock", false, file, where, 0, 1e15, &r->stock, err) ||
            param(o, "trigger_cover_days", false, file, where, 0, 3650, &r->trigger_cover_days, err) ||
            param(o, "max_monthly_days", false, file, where, 0, 3650, &r->max_monthly_days, err) ||
            param(o, "floor_days", false, file, where, 0, 3650, &r->floor_days, err) ||
            param(o, "lead_months", false, file, where, 0, 120, &r->lead_months, err))
            return err->code;
        break;
    }
    case RMCT_SCN_RESP_ALTERNATIVE_SOURCING:
        if (names(o, "countries", file, where, &r->countries[0][0], sizeof r->countries[0], RMCT_SCN_NAMES,
                  &r->n_countries, err))
            return err->code;
        if (!r->n_countries) return jsonv_bad(err, file, where, "countries", "the countries that can supply instead", NULL);
        if (param(o, "max_share", true, file, where, 0, 1, &r->max_share, err) ||
            param(o, "lead_months", false, file, where, 0, 120, &r->lead_months, err) ||
            param(o, "ramp_months", false, file, where, 0, 120, &r->ramp_months, err))
            return err->code;
        break;
    case RMCT_SCN_RESP_SUBSTITUTION:
        if (param(o, "fraction", true, file, where, 0, 1, &r->fraction, err) ||
            param(o, "delay_months", false, file, where, 0, 120, &r->lead_months, err))
            return err->code;
        break;
    case RMCT_SCN_RESP_RECYCLING_INCREASE:
        if (param(o, "factor", true, file, where, 1, 100, &r->factor, err) ||
            param(o, "delay_months", false, file, where, 0, 120, &r->lead_months, err) ||
            param(o, "ramp_months", false, file, where, 0, 120, &r->ramp_months, err))
            return err->code;
        break;
    }
    return RMCT_OK;
}

static void params_free(rmct_param *const *ps, size_t n)
{
    for (size_t i = 0; i < n; i++) rmct_param_free(ps[i]);
}

void rmct_scenario_free(rmct_scenario *s)
{
    if (!s) return;
    for (int i = 0; i < s->n_events; i++) {
        rmct_scn_event *e = &s->events[i];
        rmct_param *ps[] = {&e->depth, &e->duration, &e->phase_in};
        params_free(ps, 3);
        free(e->basis);
    }
    for (int i = 0; i < s->n_responses; i++) {
        rmct_scn_response *r = &s->responses[i];
        rmct_param *ps[] = {&r->stock_days, &r->stock, &r->trigger_cover_days, &r->max_monthly_days, &r->floor_days,
                            &r->lead_months, &r->ramp_months, &r->max_share, &r->fraction, &r->factor};
        params_free(ps, sizeof ps / sizeof *ps);
        free(r->basis);
    }
    free(s->events);
    free(s->responses);
    free(s->basis);
    free(s);
}

rmct_code rmct_scenario_load(const char *path, rmct_scenario **out, rmct_error *err)
{
    static const char *const keys[] = {"scenario", "title", "description", "chains", "start", "months", "source",
                                       "assumption", "events", "responses", "notes", NULL};
    *out = NULL;
    json_t *root;
    if (jsonv_load(path, &root, err)) return err->code;
    rmct_scenario *s = calloc(1, sizeof *s);
    rmct_code rc = RMCT_OK;
    if (!s) {
        json_decref(root);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    rmct_strlcpy(s->path, path, sizeof s->path);
    if (!json_is_object(root)) {
        rc = rmct_error_at(err, path, 0, 0, NULL, "expected a JSON object (a scenario file), got %s", jsonv_kind(root));
        goto done;
    }
    if ((rc = jsonv_only_keys(root, keys, path, "", err))) goto done;
    const json_t *v = json_object_get(root, "scenario");
    if (!json_is_string(v) || !*json_string_value(v) || strlen(json_string_value(v)) >= sizeof s->name) {
        rc = jsonv_bad(err, path, "", "scenario", "the scenario's name (at most 63 bytes)", v);
        goto done;
    }
    rmct_strlcpy(s->name, json_string_value(v), sizeof s->name);
    v = json_object_get(root, "title");
    if (!json_is_string(v) || !*json_string_value(v) || strlen(json_string_value(v)) >= sizeof s->title) {
        rc = jsonv_bad(err, path, "", "title", "a title of at most 199 bytes", v);
        goto done;
    }
    rmct_strlcpy(s->title, json_string_value(v), sizeof s->title);
    v = json_object_get(root, "description");
    if (v && !json_is_string(v)) {
        rc = jsonv_bad(err, path, "", "description", "a string", v);
        goto done;
    }
    if (v) rmct_strlcpy(s->description, json_string_value(v), sizeof s->description);
    if ((rc = names(root, "chains", path, "", &s->chains[0][0], sizeof s->chains[0], 8, &s->n_chains, err))) goto done;
    v = json_object_get(root, "start");
    int start;
    if (!json_is_string(v) || strlen(json_string_value(v)) != 7 || !rmct_month_parse(json_string_value(v), &start)) {
        rc = jsonv_bad(err, path, "", "start", "the first simulated month, YYYY-MM", v);
        goto done;
    }
    s->start_year = start / 12;
    s->start_month = start % 12 + 1;
    v = json_object_get(root, "months");
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 120) {
        rc = jsonv_bad(err, path, "", "months", "a whole number of months from 1 to 120", v);
        goto done;
    }
    s->months = (int)json_integer_value(v);
    if ((rc = basis(root, path, "", &s->basis, &s->assumption, err))) goto done;
    const json_t *ev = json_object_get(root, "events"), *rs = json_object_get(root, "responses");
    if (ev && !json_is_array(ev)) {
        rc = jsonv_bad(err, path, "", "events", "an array", ev);
        goto done;
    }
    if (rs && !json_is_array(rs)) {
        rc = jsonv_bad(err, path, "", "responses", "an array", rs);
        goto done;
    }
    size_t ne = ev ? json_array_size(ev) : 0, nr = rs ? json_array_size(rs) : 0;
    if (ne > 64 || nr > 64) {
        rc = rmct_error_at(err, path, 0, 0, NULL, "%s: expected at most 64 entries", ne > 64 ? "events" : "responses");
        goto done;
    }
    s->events = calloc(ne + 1, sizeof *s->events);
    s->responses = calloc(nr + 1, sizeof *s->responses);
    if (!s->events || !s->responses) {
        rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < ne; i++) {
        s->n_events++;
        if ((rc = read_event(json_array_get(ev, i), (int)i, start, path, &s->events[i], err))) goto done;
    }
    for (size_t i = 0; i < nr; i++) {
        s->n_responses++;
        if ((rc = read_response(json_array_get(rs, i), (int)i, path, &s->responses[i], err))) goto done;
    }
    rc = rmct_sha256_file(path, s->sha256, err);
done:
    json_decref(root);
    if (rc) {
        rmct_scenario_free(s);
        return rc;
    }
    *out = s;
    return RMCT_OK;
}

static int name_cmp(const void *a, const void *b) { return strcmp(a, b); }

int rmct_scenario_names(const char *data_dir, char names[][64], int max)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s/scenarios", data_dir) >= (int)sizeof dir) return 0;
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while (n < max && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || len >= 69 || strcmp(e->d_name + len - 5, ".json") || e->d_name[0] == '.') continue;
        snprintf(names[n], 64, "%.*s", (int)(len - 5), e->d_name);
        n++;
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], name_cmp);
    return n;
}
