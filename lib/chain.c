/* chain.c: value-chain files (docs/SIMULATION.md, "Chain files"): reading and validating them,
 * ordering their nodes, and resolving import partners that are left to the database.
 *
 * Validation is strict: an unknown key is an error (a typo must not silently become a default),
 * and every message names the file, the JSON path of the entry and field, and what was expected. */
#include "chain.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "supply.h"
#include "jsonv.h"
#include "text.h"
#include "trade.h"

const char *rmct_chain_stage_name(rmct_chain_stage s)
{
    static const char *names[] = {"resource", "material", "component", "product", "recycling"};
    return (unsigned)s < 5 ? names[s] : "?";
}

static bool stage_parse(const char *s, rmct_chain_stage *out)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(s, rmct_chain_stage_name((rmct_chain_stage)i)) == 0) {
            *out = (rmct_chain_stage)i;
            return true;
        }
    return false;
}

static rmct_code get_string(const json_t *obj, const char *key, bool required, const char *file, const char *where,
                            char *dst, size_t size, rmct_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required) return jsonv_bad(err, file, where, key, "a string", NULL);
        dst[0] = 0;
        return RMCT_OK;
    }
    if (!json_is_string(v)) return jsonv_bad(err, file, where, key, "a string", v);
    const char *s = json_string_value(v);
    if (strlen(s) >= size) {
        char what[64];
        snprintf(what, sizeof what, "at most %zu bytes", size - 1);
        return jsonv_bad(err, file, where, key, what, v);
    }
    if (required && !*s) return jsonv_bad(err, file, where, key, "a non-empty string", v);
    rmct_strlcpy(dst, s, size);
    return RMCT_OK;
}

void rmct_param_free(rmct_param *p)
{
    free(p->basis);
    p->basis = NULL;
}

void rmct_param_default(rmct_param *p, double value, const char *unit, const char *why)
{
    rmct_param_free(p);
    memset(p, 0, sizeof *p);
    p->value = value;
    p->low = p->high = NAN;
    rmct_strlcpy(p->unit, unit ? unit : "", sizeof p->unit);
    p->basis = strdup(why);
    p->assumption = true;
}

static rmct_code read_dist(const json_t *d, const char *file, const char *where, rmct_dist *out, rmct_error *err)
{
    static const char *const keys[] = {"type", "low", "mode", "high", "sd", NULL};
    if (!json_is_object(d)) return jsonv_bad(err, file, where, "distribution", "an object", d);
    char w[256];
    snprintf(w, sizeof w, "%s%sdistribution", where, *where ? "." : "");
    if (jsonv_only_keys(d, keys, file, w, err)) return err->code;
    const char *type = json_string_value(json_object_get(d, "type"));
    if (!type) return jsonv_bad(err, file, w, "type", "uniform, triangular, normal or lognormal", json_object_get(d, "type"));
    memset(out, 0, sizeof *out);
    const char *need[4] = {NULL};
    if (strcmp(type, "uniform") == 0) {
        out->kind = RMCT_DIST_UNIFORM;
        need[0] = "low", need[1] = "high";
    } else if (strcmp(type, "triangular") == 0) {
        out->kind = RMCT_DIST_TRIANGULAR;
        need[0] = "low", need[1] = "mode", need[2] = "high";
    } else if (strcmp(type, "normal") == 0) {
        out->kind = RMCT_DIST_NORMAL;
        need[0] = "sd";
    } else if (strcmp(type, "lognormal") == 0) {
        out->kind = RMCT_DIST_LOGNORMAL;
        need[0] = "sd";
    } else
        return jsonv_bad(err, file, w, "type", "uniform, triangular, normal or lognormal", json_object_get(d, "type"));
    for (int i = 0; need[i]; i++) {
        json_t *v = json_object_get(d, need[i]);
        if (!json_is_number(v)) return jsonv_bad(err, file, w, need[i], "a number", v);
        double x = json_number_value(v);
        if (strcmp(need[i], "low") == 0) out->low = x;
        else if (strcmp(need[i], "mode") == 0) out->mode = x;
        else if (strcmp(need[i], "high") == 0) out->high = x;
        else {
            if (!(x >= 0)) return jsonv_bad(err, file, w, need[i], "a non-negative number", v);
            out->sd = x;
        }
    }
    if (out->kind == RMCT_DIST_UNIFORM && !(out->low <= out->high))
        return rmct_error_at(err, file, 0, 0, NULL, "%s: expected low <= high, got %g > %g", w, out->low, out->high);
    if (out->kind == RMCT_DIST_TRIANGULAR && !(out->low <= out->mode && out->mode <= out->high))
        return rmct_error_at(err, file, 0, 0, NULL, "%s: expected low <= mode <= high, got %g, %g, %g", w, out->low,
                             out->mode, out->high);
    return RMCT_OK;
}

rmct_code rmct_param_read(const json_t *obj, const char *file, const char *where, bool allow_dist, rmct_param *p,
                          rmct_error *err)
{
    static const char *const keys[] = {"value", "unit", "source", "assumption", "low", "high", "distribution", NULL};
    memset(p, 0, sizeof *p);
    p->low = p->high = NAN;
    if (!json_is_object(obj))
        return rmct_error_at(err, file, 0, 0, NULL, "%s: expected a parameter object {\"value\": ..., \"source\" or "
                                                    "\"assumption\": ...}, got %s",
                             where, jsonv_kind(obj));
    if (jsonv_only_keys(obj, keys, file, where, err)) return err->code;
    json_t *v = json_object_get(obj, "value");
    if (!json_is_number(v)) return jsonv_bad(err, file, where, "value", "a number", v);
    p->value = json_number_value(v);
    if (!isfinite(p->value)) return jsonv_bad(err, file, where, "value", "a finite number", v);
    if (get_string(obj, "unit", false, file, where, p->unit, sizeof p->unit, err)) return err->code;
    json_t *src = json_object_get(obj, "source"), *asm_ = json_object_get(obj, "assumption");
    if ((src != NULL) == (asm_ != NULL))
        return rmct_error_at(err, file, 0, 0, NULL,
                             "%s: expected exactly one of \"source\" (where the figure comes from) or \"assumption\" "
                             "(why this value), got %s",
                             where, src ? "both" : "neither");
    json_t *b = src ? src : asm_;
    if (!json_is_string(b) || !*json_string_value(b))
        return jsonv_bad(err, file, where, src ? "source" : "assumption", "a non-empty string", b);
    p->assumption = asm_ != NULL;
    for (int i = 0; i < 2; i++) {
        json_t *x = json_object_get(obj, i ? "high" : "low");
        if (!x) continue;
        if (!json_is_number(x)) return jsonv_bad(err, file, where, i ? "high" : "low", "a number", x);
        *(i ? &p->high : &p->low) = json_number_value(x);
    }
    json_t *d = json_object_get(obj, "distribution");
    if (d) {
        if (!allow_dist)
            return rmct_error_at(err, file, 0, 0, NULL,
                                 "%s.distribution: distributions belong in scenario files, not chain files", where);
        if (read_dist(d, file, where, &p->dist, err)) return err->code;
    }
    p->basis = strdup(json_string_value(b));
    if (!p->basis) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    p->given = true;
    return RMCT_OK;
}

/* An optional parameter field of obj; absent: *p keeps given == false. Checks lo <= value <= hi. */
static rmct_code param_field(const json_t *obj, const char *key, const char *file, const char *where, double lo,
                             double hi, rmct_param *p, rmct_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v) return RMCT_OK;
    char w[256];
    snprintf(w, sizeof w, "%s.%s", where, key);
    rmct_param_free(p);
    if (rmct_param_read(v, file, w, false, p, err)) return err->code;
    if (p->value < lo || p->value > hi) {
        if (isinf(hi))
            return rmct_error_at(err, file, 0, 0, NULL, "%s.value: expected a number >= %g, got %g", w, lo, p->value);
        return rmct_error_at(err, file, 0, 0, NULL, "%s.value: expected a number from %g to %g, got %g", w, lo, hi,
                             p->value);
    }
    return RMCT_OK;
}

static bool id_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n >= max) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-')) return false;
    return true;
}

static void node_free(rmct_chain_node *n)
{
    rmct_param *ps[] = {&n->final_demand, &n->yield, &n->domestic_share, &n->capacity, &n->inventory_days,
                        &n->value_usd, &n->price_usd, &n->supply};
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) rmct_param_free(ps[i]);
    for (int i = 0; i < n->n_inputs; i++) rmct_param_free(&n->inputs[i].intensity);
    for (int i = 0; i < n->n_partners; i++) rmct_param_free(&n->partners[i].share);
    free(n->inputs);
    free(n->partners);
}

void rmct_chain_free(rmct_chain *c)
{
    if (!c) return;
    for (int i = 0; i < c->n_nodes; i++) node_free(&c->nodes[i]);
    free(c->nodes);
    free(c->order);
    free(c);
}

int rmct_chain_find(const rmct_chain *c, const char *id)
{
    for (int i = 0; i < c->n_nodes; i++)
        if (strcmp(c->nodes[i].id, id) == 0) return i;
    return -1;
}

static rmct_code read_imports(const json_t *v, const char *file, const char *where, rmct_chain_node *n,
                              rmct_error *err)
{
    static const char *const keys[] = {"partners", "auto", "source", "assumption", NULL};
    char w[256];
    snprintf(w, sizeof w, "%s.imports", where);
    if (!json_is_object(v)) return jsonv_bad(err, file, where, "imports", "an object with \"partners\" or \"auto\"", v);
    if (jsonv_only_keys(v, keys, file, w, err)) return err->code;
    json_t *aut = json_object_get(v, "auto"), *list = json_object_get(v, "partners");
    if ((aut != NULL) == (list != NULL))
        return rmct_error_at(err, file, 0, 0, NULL, "%s: expected exactly one of \"partners\" or \"auto\"", w);
    if (aut) {
        if (get_string(v, "auto", true, file, w, n->imports_auto, sizeof n->imports_auto, err)) return err->code;
        return RMCT_OK;
    }
    if (!json_is_array(list) || json_array_size(list) == 0)
        return jsonv_bad(err, file, w, "partners", "a non-empty array", list);
    n->n_partners = (int)json_array_size(list);
    n->partners = calloc((size_t)n->n_partners, sizeof *n->partners);
    if (!n->partners) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    double sum = 0;
    for (int i = 0; i < n->n_partners; i++) {
        static const char *const pkeys[] = {"country", "share", NULL};
        json_t *p = json_array_get(list, (size_t)i);
        char pw[300];
        snprintf(pw, sizeof pw, "%s.partners[%d]", w, i);
        if (!json_is_object(p)) return jsonv_bad(err, file, w, "partners[]", "an object", p);
        if (jsonv_only_keys(p, pkeys, file, pw, err)) return err->code;
        if (get_string(p, "country", true, file, pw, n->partners[i].iso3, sizeof n->partners[i].iso3, err))
            return err->code;
        const char *c = n->partners[i].iso3;
        if (strlen(c) != 3 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' || c[2] < 'A' || c[2] > 'Z')
            return jsonv_bad(err, file, pw, "country", "an ISO 3166 alpha-3 code in capitals", json_object_get(p, "country"));
        for (int j = 0; j < i; j++)
            if (strcmp(n->partners[j].iso3, c) == 0)
                return jsonv_bad(err, file, pw, "country", "a country not listed before", json_object_get(p, "country"));
        json_t *sv = json_object_get(p, "share");
        if (!sv) return jsonv_bad(err, file, pw, "share", "a parameter object", NULL);
        if (param_field(p, "share", file, pw, 0, 1, &n->partners[i].share, err)) return err->code;
        sum += n->partners[i].share.value;
    }
    if (sum > 1 + 1e-6)
        return rmct_error_at(err, file, 0, 0, NULL, "%s.partners: expected shares summing to at most 1, got %.6g", w,
                             sum);
    const char *basis = json_string_value(json_object_get(v, "source"));
    if (!basis) basis = json_string_value(json_object_get(v, "assumption"));
    snprintf(n->imports_basis, sizeof n->imports_basis, "%s", basis ? basis : "partner shares as given per partner");
    return RMCT_OK;
}

static rmct_code read_node(const json_t *o, int index, const char *file, rmct_chain_node *n, rmct_error *err)
{
    static const char *const keys[] = {"id", "name", "stage", "unit", "element", "tags", "sector", "final_demand",
                                       "inputs", "yield", "domestic_share", "capacity", "imports", "inventory_days",
                                       "value_usd", "price_usd", "feeds", "supply", "notes", NULL};
    char where[160];
    snprintf(where, sizeof where, "nodes[%d]", index);
    if (!json_is_object(o)) return jsonv_bad(err, file, "", where, "an object", o);
    if (get_string(o, "id", true, file, where, n->id, sizeof n->id, err)) return err->code;
    if (!id_ok(n->id, sizeof n->id))
        return jsonv_bad(err, file, where, "id", "lower-case letters, digits, '_' or '-'", json_object_get(o, "id"));
    snprintf(where, sizeof where, "nodes[%d] (%s)", index, n->id);
    if (jsonv_only_keys(o, keys, file, where, err)) return err->code;
    if (get_string(o, "name", true, file, where, n->name, sizeof n->name, err)) return err->code;
    char stage[16];
    if (get_string(o, "stage", true, file, where, stage, sizeof stage, err)) return err->code;
    if (!stage_parse(stage, &n->stage))
        return jsonv_bad(err, file, where, "stage", "resource, material, component, product or recycling",
                   json_object_get(o, "stage"));
    if (get_string(o, "unit", true, file, where, n->unit, sizeof n->unit, err)) return err->code;
    if (get_string(o, "element", false, file, where, n->element, sizeof n->element, err)) return err->code;
    if (get_string(o, "sector", false, file, where, n->sector, sizeof n->sector, err)) return err->code;
    json_t *tags = json_object_get(o, "tags");
    if (tags) {
        if (!json_is_array(tags) || json_array_size(tags) > RMCT_CHAIN_TAGS)
            return jsonv_bad(err, file, where, "tags", "an array of at most 6 strings", tags);
        for (size_t i = 0; i < json_array_size(tags); i++) {
            json_t *t = json_array_get(tags, i);
            if (!json_is_string(t) || !*json_string_value(t) || strlen(json_string_value(t)) >= 32)
                return jsonv_bad(err, file, where, "tags[]", "a string of 1 to 31 bytes", t);
            rmct_strlcpy(n->tags[n->n_tags++], json_string_value(t), 32);
        }
    }
    n->feeds = -1;
    const double inf = INFINITY;
    if (param_field(o, "final_demand", file, where, 0, inf, &n->final_demand, err) ||
        param_field(o, "yield", file, where, 1e-9, 1, &n->yield, err) ||
        param_field(o, "domestic_share", file, where, 0, 1, &n->domestic_share, err) ||
        param_field(o, "capacity", file, where, 0, inf, &n->capacity, err) ||
        param_field(o, "inventory_days", file, where, 0, 3650, &n->inventory_days, err) ||
        param_field(o, "value_usd", file, where, 0, inf, &n->value_usd, err) ||
        param_field(o, "price_usd", file, where, 0, inf, &n->price_usd, err) ||
        param_field(o, "supply", file, where, 0, inf, &n->supply, err))
        return err->code;

    bool recycling = n->stage == RMCT_STAGE_RECYCLING;
    if (n->stage == RMCT_STAGE_PRODUCT && !n->final_demand.given)
        return jsonv_bad(err, file, where, "final_demand", "a parameter object (products need their yearly demand)", NULL);
    if (n->final_demand.given && !n->sector[0])
        return jsonv_bad(err, file, where, "sector", "the sector the final demand counts in", NULL);
    if (n->sector[0] && !n->final_demand.given)
        return jsonv_bad(err, file, where, "final_demand", "a parameter object (a node with a sector needs its demand)", NULL);
    if (n->stage == RMCT_STAGE_MATERIAL && !n->element[0] && n->n_tags == 0)
        return jsonv_bad(err, file, where, "element", "the element symbol or type code (or tags naming the material)", NULL);
    if (!recycling) {
        if (!n->domestic_share.given) return jsonv_bad(err, file, where, "domestic_share", "a parameter object", NULL);
        if (!n->inventory_days.given) return jsonv_bad(err, file, where, "inventory_days", "a parameter object", NULL);
        if (!n->yield.given) rmct_param_default(&n->yield, 1, "", "no yield given: no loss in processing (default)");
        json_t *imp = json_object_get(o, "imports");
        if (imp && read_imports(imp, file, where, n, err)) return err->code;
        if (n->domestic_share.value < 1 && !imp)
            return jsonv_bad(err, file, where, "imports",
                       "where imports come from ({\"partners\": [...]} or {\"auto\": SYMBOL}), since domestic_share < 1",
                       NULL);
        if (json_object_get(o, "feeds") || n->supply.given)
            return jsonv_bad(err, file, where, "stage", "recycling (only recycling nodes have feeds and supply)",
                       json_object_get(o, "stage"));
    } else {
        if (!n->supply.given) return jsonv_bad(err, file, where, "supply", "a parameter object (recovered output per year)", NULL);
        if (!json_object_get(o, "feeds")) return jsonv_bad(err, file, where, "feeds", "the id of the node it supplies", NULL);
        const char *forbidden[] = {"inputs", "imports", "final_demand", "domestic_share"};
        for (size_t i = 0; i < 4; i++)
            if (json_object_get(o, forbidden[i]))
                return rmct_error_at(err, file, 0, 0, NULL, "%s.%s: not allowed on a recycling node", where,
                                     forbidden[i]);
    }
    return RMCT_OK;
}

/* Second pass: links (inputs, feeds) by id, then the order. */
static rmct_code link_nodes(const json_t *nodes, const char *file, rmct_chain *c, rmct_error *err)
{
    for (int i = 0; i < c->n_nodes; i++) {
        rmct_chain_node *n = &c->nodes[i];
        const json_t *o = json_array_get(nodes, (size_t)i);
        char where[160];
        snprintf(where, sizeof where, "nodes[%d] (%s)", i, n->id);
        if (n->stage == RMCT_STAGE_RECYCLING) {
            json_t *f = json_object_get(o, "feeds");
            if (!json_is_string(f)) return jsonv_bad(err, file, where, "feeds", "the id of a node in this chain", f);
            int k = rmct_chain_find(c, json_string_value(f));
            if (k < 0 || k == i || c->nodes[k].stage == RMCT_STAGE_RECYCLING)
                return jsonv_bad(err, file, where, "feeds", "the id of a non-recycling node in this chain", f);
            n->feeds = k;
        }
        json_t *in = json_object_get(o, "inputs");
        if (!in) continue;
        if (!json_is_array(in)) return jsonv_bad(err, file, where, "inputs", "an array", in);
        n->n_inputs = (int)json_array_size(in);
        n->inputs = calloc((size_t)n->n_inputs + 1, sizeof *n->inputs);
        if (!n->inputs) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        for (int j = 0; j < n->n_inputs; j++) {
            static const char *const keys[] = {"from", "intensity", NULL};
            json_t *e = json_array_get(in, (size_t)j);
            char w[220];
            snprintf(w, sizeof w, "%s.inputs[%d]", where, j);
            if (!json_is_object(e)) return jsonv_bad(err, file, where, "inputs[]", "an object {\"from\", \"intensity\"}", e);
            if (jsonv_only_keys(e, keys, file, w, err)) return err->code;
            json_t *f = json_object_get(e, "from");
            if (!json_is_string(f)) return jsonv_bad(err, file, w, "from", "the id of a node in this chain", f);
            int k = rmct_chain_find(c, json_string_value(f));
            if (k < 0 || k == i) return jsonv_bad(err, file, w, "from", "the id of a node in this chain", f);
            if (c->nodes[k].stage == RMCT_STAGE_RECYCLING)
                return jsonv_bad(err, file, w, "from", "a non-recycling node (recycling nodes supply through feeds)", f);
            for (int m = 0; m < j; m++)
                if (n->inputs[m].from == k) return jsonv_bad(err, file, w, "from", "a node not listed before", f);
            n->inputs[j].from = k;
            if (!json_object_get(e, "intensity")) return jsonv_bad(err, file, w, "intensity", "a parameter object", NULL);
            if (param_field(e, "intensity", file, w, 1e-12, INFINITY, &n->inputs[j].intensity, err)) return err->code;
        }
    }
    /* Kahn's algorithm over input links: every input before its consumers. */
    int nn = c->n_nodes;
    int *indeg = calloc((size_t)nn, sizeof *indeg);
    c->order = malloc((size_t)nn * sizeof *c->order);
    if (!indeg || !c->order) {
        free(indeg);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    for (int i = 0; i < nn; i++) indeg[i] = c->nodes[i].n_inputs;
    int head = 0, tail = 0;
    for (int i = 0; i < nn; i++)
        if (indeg[i] == 0) c->order[tail++] = i;
    while (head < tail) {
        int u = c->order[head++];
        for (int i = 0; i < nn; i++)
            for (int j = 0; j < c->nodes[i].n_inputs; j++)
                if (c->nodes[i].inputs[j].from == u && --indeg[i] == 0) c->order[tail++] = i;
    }
    if (tail < nn) {
        int k = 0;
        while (indeg[k] == 0) k++;
        free(indeg);
        return rmct_error_at(err, file, 0, 0, NULL,
                             "nodes[%d] (%s).inputs: expected an acyclic chain, but this node is on a cycle of inputs", k,
                             c->nodes[k].id);
    }
    free(indeg);
    return RMCT_OK;
}

rmct_code rmct_chain_load(const char *path, rmct_chain **out, rmct_error *err)
{
    static const char *const keys[] = {"chain", "version", "title", "year", "description", "notes", "nodes", NULL};
    *out = NULL;
    json_t *root;
    if (jsonv_load(path, &root, err)) return err->code;
    rmct_chain *c = calloc(1, sizeof *c);
    if (!c) {
        json_decref(root);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    rmct_strlcpy(c->path, path, sizeof c->path);
    rmct_code rc = RMCT_OK;
    if (!json_is_object(root)) {
        rc = rmct_error_at(err, path, 0, 0, NULL, "expected a JSON object (a chain file), got %s", jsonv_kind(root));
        goto done;
    }
    if ((rc = jsonv_only_keys(root, keys, path, "", err))) goto done;
    if ((rc = get_string(root, "chain", true, path, "", c->name, sizeof c->name, err))) goto done;
    if (!id_ok(c->name, sizeof c->name)) {
        rc = jsonv_bad(err, path, "", "chain", "a name of lower-case letters, digits and '-'", json_object_get(root, "chain"));
        goto done;
    }
    if ((rc = get_string(root, "title", true, path, "", c->title, sizeof c->title, err))) goto done;
    json_t *v = json_object_get(root, "version");
    if (!json_is_integer(v) || json_integer_value(v) < 1) {
        rc = jsonv_bad(err, path, "", "version", "a positive integer", v);
        goto done;
    }
    c->version = (int)json_integer_value(v);
    v = json_object_get(root, "year");
    if (!json_is_integer(v) || json_integer_value(v) < 1900 || json_integer_value(v) > 2100) {
        rc = jsonv_bad(err, path, "", "year", "the base year of the figures", v);
        goto done;
    }
    c->year = (int)json_integer_value(v);
    json_t *nodes = json_object_get(root, "nodes");
    if (!json_is_array(nodes) || json_array_size(nodes) == 0 || json_array_size(nodes) > 200) {
        rc = jsonv_bad(err, path, "", "nodes", "an array of 1 to 200 nodes", nodes);
        goto done;
    }
    c->n_nodes = (int)json_array_size(nodes);
    c->nodes = calloc((size_t)c->n_nodes, sizeof *c->nodes);
    if (!c->nodes) {
        rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < c->n_nodes; i++) {
        if ((rc = read_node(json_array_get(nodes, (size_t)i), i, path, &c->nodes[i], err))) goto done;
        for (int j = 0; j < i; j++)
            if (strcmp(c->nodes[j].id, c->nodes[i].id) == 0) {
                char where[32];
                snprintf(where, sizeof where, "nodes[%d]", i);
                rc = jsonv_bad(err, path, where, "id", "an id not used by an earlier node",
                         json_object_get(json_array_get(nodes, (size_t)i), "id"));
                goto done;
            }
    }
    if ((rc = link_nodes(nodes, path, c, err))) goto done;
    rc = rmct_sha256_file(path, c->sha256, err);
done:
    json_decref(root);
    if (rc) {
        rmct_chain_free(c);
        return rc;
    }
    *out = c;
    return RMCT_OK;
}

/* ---------------- partners from the database ---------------- */

static rmct_code set_partners(rmct_chain_node *n, const char (*iso3)[4], const double *share, size_t k, const char *basis,
                              bool proxy, rmct_error *err)
{
    n->partners = calloc(k ? k : 1, sizeof *n->partners);
    if (!n->partners) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    n->n_partners = 0;
    for (size_t i = 0; i < k; i++) {
        if (!iso3[i][0] || !(share[i] > 0)) continue;
        rmct_chain_partner *p = &n->partners[n->n_partners++];
        memcpy(p->iso3, iso3[i], 4);
        p->share.given = true;
        p->share.value = share[i];
        p->share.low = p->share.high = NAN;
        p->share.basis = strdup(basis);
        p->share.assumption = proxy;
        if (!p->share.basis) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    snprintf(n->imports_basis, sizeof n->imports_basis, "%s", basis);
    n->imports_proxy = proxy;
    return RMCT_OK;
}

/* The reporter's imports of the metal by partner in the latest year with flows. */
static rmct_code partners_from_trade(rmct_db *db, rmct_chain_node *n, const rmct_metal *m, const char *reporter,
                                     bool *done, rmct_error *err)
{
    rmct_import_query q = {m->type_code, m->element[0] ? m->element : NULL, reporter, NULL, 0};
    rmct_import_year *years = NULL;
    size_t ny = 0;
    if (rmct_imports_load(db, &q, &years, &ny, err)) return err->code;
    rmct_code rc = RMCT_OK;
    if (ny > 0 && years[ny - 1].n > 0) {
        rmct_import_year *y = &years[ny - 1];
        char (*iso)[4] = calloc(y->n, 4);
        double *sh = calloc(y->n, sizeof *sh);
        if (!iso || !sh) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        else {
            for (size_t i = 0; i < y->n; i++) {
                memcpy(iso[i], y->partners[i].iso3, 4);
                sh[i] = y->partners[i].share;
            }
            char basis[240];
            snprintf(basis, sizeof basis, "%s imports of %s by partner (share of value), %d, from loaded trade flows (%s)",
                     reporter, m->element[0] ? m->element : m->type_code, y->year, y->kind);
            rc = set_partners(n, (const char(*)[4])iso, sh, y->n, basis, false, err);
            *done = rc == RMCT_OK;
        }
        free(iso);
        free(sh);
    }
    rmct_imports_free(years, ny);
    return rc;
}

/* World production shares of the newest series: refinery, else mine; the element's own, else the
 * type's; tonnage series first, EU published shares last. */
static rmct_code partners_from_supply(rmct_db *db, rmct_chain_node *n, const rmct_metal *m, bool *done, rmct_error *err)
{
    const char *stages[] = {"refinery", "mine"};
    for (int pass = 0; pass < 3 && !*done; pass++) {
        for (int s = 0; s < 2 && !*done; s++) {
            rmct_series *ser = NULL;
            size_t k = 0;
            if (pass < 2) {
                if (pass == 1 && !m->element[0]) continue;
                rmct_series_query q = {m->type_code, pass == 0 ? (m->element[0] ? m->element : "") : "", "production",
                                       stages[s], 0, NULL};
                if (rmct_series_load(db, &q, &ser, &k, err)) return err->code;
            } else if (rmct_share_series_load(db, m->type_code, m->element[0] ? m->element : NULL, stages[s], &ser, &k,
                                              err))
                return err->code;
            /* the newest year with at least one country value */
            rmct_series *best = NULL;
            for (size_t i = 0; i < k; i++)
                if (ser[i].n > 0 && ser[i].entries[0].has_value && (!best || ser[i].year > best->year)) best = &ser[i];
            if (best) {
                char (*iso)[4] = calloc(best->n, 4);
                double *sh = calloc(best->n, sizeof *sh);
                rmct_code rc = RMCT_OK;
                if (!iso || !sh) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                else {
                    for (size_t i = 0; i < best->n; i++) {
                        memcpy(iso[i], best->entries[i].iso3, 4);
                        sh[i] = best->entries[i].has_value ? best->entries[i].share : 0;
                    }
                    char basis[240];
                    if (best->origin == RMCT_ORIGIN_SHARES)
                        snprintf(basis, sizeof basis, "PROXY: world %s shares of %.90s (%.15s, %.30s), not Korea's imports",
                                 stages[s], best->commodity, best->period, best->edition);
                    else
                        snprintf(basis, sizeof basis, "PROXY: world %s production shares of %.90s, %d (edition %.30s), not Korea's imports",
                                 stages[s], best->commodity, best->year, best->edition);
                    rc = set_partners(n, (const char(*)[4])iso, sh, best->n, basis, true, err);
                    *done = rc == RMCT_OK;
                }
                free(iso);
                free(sh);
                rmct_series_free(ser, k);
                if (rc) return rc;
                break;
            }
            rmct_series_free(ser, k);
        }
    }
    return RMCT_OK;
}

rmct_code rmct_chain_resolve_imports(rmct_db *db, rmct_chain *c, const char *reporter, rmct_error *err)
{
    rmct_registry *reg = NULL;
    if (rmct_registry_open(db, &reg, err)) return err->code;
    rmct_code rc = RMCT_OK;
    for (int i = 0; i < c->n_nodes && !rc; i++) {
        rmct_chain_node *n = &c->nodes[i];
        char where[160];
        snprintf(where, sizeof where, "nodes[%d] (%s)", i, n->id);
        if (n->element[0]) {
            rmct_metal m;
            if (rmct_registry_metal(reg, n->element, &m, err)) {
                rc = rmct_error_at(err, c->path, 0, 0, NULL, "%s.element: expected an element symbol or type code, got \"%s\"",
                                   where, n->element);
                break;
            }
            rmct_strlcpy(n->type_code, m.type_code, sizeof n->type_code);
        }
        for (int j = 0; j < n->n_partners; j++) {
            char iso3[4];
            if (rmct_registry_country(reg, n->partners[j].iso3, iso3, err) || strcmp(iso3, n->partners[j].iso3) != 0) {
                rc = rmct_error_at(err, c->path, 0, 0, NULL, "%s.imports.partners[%d].country: expected a known ISO "
                                                             "alpha-3 code, got \"%s\"",
                                   where, j, n->partners[j].iso3);
                break;
            }
        }
        if (rc || !n->imports_auto[0] || n->n_partners) continue;
        rmct_metal m;
        if (rmct_registry_metal(reg, n->imports_auto, &m, err)) {
            rc = rmct_error_at(err, c->path, 0, 0, NULL, "%s.imports.auto: expected an element symbol or type code, got \"%s\"",
                               where, n->imports_auto);
            break;
        }
        bool done = false;
        if ((rc = partners_from_trade(db, n, &m, reporter, &done, err))) break;
        if (!done && (rc = partners_from_supply(db, n, &m, &done, err))) break;
        if (!done) {
            /* No data at all: every import counts as 'other', which no country event can cut. */
            snprintf(n->imports_basis, sizeof n->imports_basis,
                     "no trade or production data for %s: imports unattributed", n->imports_auto);
            n->imports_proxy = true;
        }
    }
    rmct_registry_close(reg);
    return rc;
}

/* ---------------- directories ---------------- */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

rmct_code rmct_chain_list(const char *dir, char ***paths, int *n, rmct_error *err)
{
    *paths = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return rmct_error_set(err, RMCT_E_IO, "cannot read directory %s", dir);
    char **v = NULL;
    int k = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || e->d_name[0] == '.' || strcmp(e->d_name + len - 5, ".json") != 0) continue;
        if (k == cap) {
            cap = cap ? cap * 2 : 8;
            char **nv = realloc(v, (size_t)cap * sizeof *v);
            if (!nv) break;
            v = nv;
        }
        size_t sz = strlen(dir) + len + 2;
        v[k] = malloc(sz);
        if (!v[k]) break;
        snprintf(v[k], sz, "%s/%s", dir, e->d_name);
        k++;
    }
    closedir(d);
    qsort(v, (size_t)k, sizeof *v, cmp_str);
    *paths = v;
    *n = k;
    return RMCT_OK;
}

void rmct_chain_list_free(char **paths, int n)
{
    for (int i = 0; i < n; i++) free(paths[i]);
    free(paths);
}
