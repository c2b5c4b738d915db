/* mfa.c: product systems, the national recycling file, and the metal flows from products in use
 * to what Korea recovers (see mfa.h, docs/MFA.md).
 *
 * Files are validated strictly, as chain files are: an unknown key is an error, every number is a
 * parameter object with its source or an assumption, and every message names the file, the JSON
 * path of the entry and what was expected. */
#include "mfa.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonv.h"
#include "sim.h"
#include "store.h"
#include "text.h"

/* ---------------- JSON helpers ---------------- */

static rmct_code only_keys(const json_t *obj, const char *const *allowed, const char *file, const char *where,
                           rmct_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++) ok |= strcmp(key, *a) == 0;
        if (!ok) {
            char q[64], list[400] = "";
            for (const char *const *a = allowed; *a; a++) {
                if (*list) strncat(list, ", ", sizeof list - strlen(list) - 1);
                strncat(list, *a, sizeof list - strlen(list) - 1);
            }
            return rmct_error_at(err, file, 0, 0, NULL, "%s%s\"%s\": unknown field (expected one of %s; docs/MFA.md)", where,
                                 *where ? "." : "", rmct_error_quote(key, q, sizeof q), list);
        }
    }
    return RMCT_OK;
}

static rmct_code get_string(const json_t *obj, const char *key, bool required, const char *file, const char *where,
                            char *dst, size_t size, rmct_error *err)
{
    json_t *v = json_object_get(obj, key);
    dst[0] = 0;
    if (!v) return required ? jsonv_bad(err, file, where, key, "a string", NULL) : RMCT_OK;
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

static rmct_code get_int(const json_t *obj, const char *key, const char *file, const char *where, long lo, long hi,
                         int *out, rmct_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        char what[64];
        snprintf(what, sizeof what, "an integer from %ld to %ld", lo, hi);
        return jsonv_bad(err, file, where, key, what, v);
    }
    *out = (int)json_integer_value(v);
    return RMCT_OK;
}

static bool metal_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 2 && s[0] >= 'A' && s[0] <= 'Z' && (n == 1 || (s[1] >= 'a' && s[1] <= 'z'));
}

/* A parameter object at `where`, its value within [lo, hi]. */
static rmct_code param_at(const json_t *v, const char *file, const char *where, double lo, double hi, rmct_param *p,
                          rmct_error *err)
{
    if (rmct_param_read(v, file, where, false, p, err)) return err->code;
    if (p->value < lo || p->value > hi) {
        if (isinf(hi)) return rmct_error_at(err, file, 0, 0, NULL, "%s.value: expected a number >= %g, got %g", where, lo, p->value);
        return rmct_error_at(err, file, 0, 0, NULL, "%s.value: expected a number from %g to %g, got %g", where, lo, hi, p->value);
    }
    return RMCT_OK;
}

/* ---------------- series ---------------- */

static void series_free(rmct_mfa_series *s)
{
    rmct_param_free(&s->constant);
    rmct_param_free(&s->growth);
    for (int i = 0; i < s->n_points; i++) rmct_param_free(&s->points[i]);
    free(s->points);
    free(s->years);
    memset(s, 0, sizeof *s);
}

/* A series at obj[key]: a parameter object (a constant), or {"points": [{"year": Y, ...parameter}],
 * "growth": parameter, "before": "zero"|"flat"}. Values within [lo, hi]. */
static rmct_code series_read(const json_t *obj, const char *key, const char *file, const char *where, double lo,
                             double hi, bool required, rmct_mfa_series *s, rmct_error *err)
{
    memset(s, 0, sizeof *s);
    snprintf(s->where, sizeof s->where, "%s%s%s", where, *where ? "." : "", key);
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return jsonv_bad(err, file, where, key, "a parameter object or {\"points\": [...]} (docs/MFA.md)", NULL);
        return RMCT_OK;
    }
    s->given = true;
    if (!json_is_object(v))
        return jsonv_bad(err, file, where, key, "a parameter object or {\"points\": [...]} (docs/MFA.md)", v);
    json_t *pts = json_object_get(v, "points");
    if (!pts) return param_at(v, file, s->where, lo, hi, &s->constant, err);
    static const char *const keys[] = {"points", "growth", "before", "unit", "note", NULL};
    if (only_keys(v, keys, file, s->where, err)) return err->code;
    if (!json_is_array(pts) || json_array_size(pts) == 0 || json_array_size(pts) > 400)
        return jsonv_bad(err, file, s->where, "points", "an array of 1 to 400 {\"year\": ..., \"value\": ...} objects", pts);
    int n = (int)json_array_size(pts);
    s->points = calloc((size_t)n, sizeof *s->points);
    s->years = calloc((size_t)n, sizeof *s->years);
    if (!s->points || !s->years) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        json_t *p = json_array_get(pts, (size_t)i);
        char w[160];
        snprintf(w, sizeof w, "%s.points[%d]", s->where, i);
        if (!json_is_object(p)) return jsonv_bad(err, file, s->where, "points[]", "an object", p);
        int y = 0;   /* set by get_int on success; initialised for the optimiser */
        if (get_int(p, "year", file, w, 1800, 2200, &y, err)) return err->code;
        if (i > 0 && y <= s->years[i - 1])
            return rmct_error_at(err, file, 0, 0, NULL, "%s.year: expected years in increasing order, got %d after %d", w, y,
                                 s->years[i - 1]);
        json_t *copy = json_copy(p);
        if (!copy) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        json_object_del(copy, "year");
        rmct_code rc = param_at(copy, file, w, lo, hi, &s->points[i], err);
        json_decref(copy);
        if (rc) return rc;
        s->years[i] = y;
        s->n_points = i + 1;
    }
    json_t *g = json_object_get(v, "growth");
    if (g) {
        char w[160];
        snprintf(w, sizeof w, "%s.growth", s->where);
        if (param_at(g, file, w, -0.5, 2, &s->growth, err)) return err->code;
    }
    json_t *b = json_object_get(v, "before");
    if (b) {
        if (!json_is_string(b) || (strcmp(json_string_value(b), "zero") && strcmp(json_string_value(b), "flat")))
            return jsonv_bad(err, file, s->where, "before", "\"zero\" or \"flat\"", b);
        s->before_zero = !strcmp(json_string_value(b), "zero");
    }
    return RMCT_OK;
}

static double series_at_g(const rmct_mfa_series *s, int year, double growth)
{
    if (!s->given) return NAN;
    if (s->n_points == 0) return s->constant.value;
    int n = s->n_points;
    if (year < s->years[0]) return s->before_zero ? 0.0 : s->points[0].value;
    if (year >= s->years[n - 1]) {
        double g = !isnan(growth) ? growth : s->growth.given ? s->growth.value : 0.0;
        return s->points[n - 1].value * pow(1 + g, year - s->years[n - 1]);
    }
    int i = 0;
    while (s->years[i + 1] <= year) i++;
    double t = (double)(year - s->years[i]) / (s->years[i + 1] - s->years[i]);
    return s->points[i].value + t * (s->points[i + 1].value - s->points[i].value);
}

double rmct_mfa_series_at(const rmct_mfa_series *s, int year) { return series_at_g(s, year, NAN); }

/* ---------------- systems ---------------- */

void rmct_mfa_system_free(rmct_mfa_system *s)
{
    if (!s) return;
    series_free(&s->series);
    series_free(&s->per_unit);
    for (int i = 0; i < s->n_hist; i++) rmct_param_free(&s->hist[i]);
    free(s->hist);
    rmct_param_free(&s->lt_a);
    rmct_param_free(&s->lt_b);
    for (int v = 0; v < s->n_variants; v++) {
        series_free(&s->variants[v].share);
        for (int k = 0; k < s->variants[v].n_content; k++) series_free(&s->variants[v].content[k].content);
        free(s->variants[v].content);
    }
    free(s->variants);
    series_free(&s->collection);
    series_free(&s->preprocessing);
    for (int i = 0; i < s->n_recovery; i++) series_free(&s->recovery[i].yield);
    free(s->recovery);
    series_free(&s->production);
    series_free(&s->scrap_rate);
    free(s);
}

static rmct_code read_lifetime(const json_t *root, const char *file, rmct_mfa_system *s, rmct_error *err)
{
    json_t *lt = json_object_get(root, "lifetime");
    if (!json_is_object(lt)) return jsonv_bad(err, file, "", "lifetime", "an object {\"type\": ..., parameters}", lt);
    if (get_string(lt, "type", true, file, "lifetime", s->lifetime_type, sizeof s->lifetime_type, err)) return err->code;
    const char *t = s->lifetime_type;
    const char *ka = NULL, *kb = NULL;
    if (!strcmp(t, "fixed")) s->lifetime.kind = RMCT_LT_FIXED, ka = "lifetime";
    else if (!strcmp(t, "normal")) s->lifetime.kind = RMCT_LT_NORMAL, ka = "mean", kb = "sd";
    else if (!strcmp(t, "foldednormal")) s->lifetime.kind = RMCT_LT_FOLDEDNORMAL, ka = "mean", kb = "sd";
    else if (!strcmp(t, "lognormal")) s->lifetime.kind = RMCT_LT_LOGNORMAL, ka = "mean", kb = "sd";
    else if (!strcmp(t, "weibull")) s->lifetime.kind = RMCT_LT_WEIBULL, ka = "shape", kb = "scale";
    else
        return jsonv_bad(err, file, "lifetime", "type", "fixed, normal, foldednormal, weibull or lognormal",
                         json_object_get(lt, "type"));
    const char *keys[] = {"type", ka, kb ? kb : "note", "note", NULL};
    if (only_keys(lt, keys, file, "lifetime", err)) return err->code;
    char w[64];
    snprintf(w, sizeof w, "lifetime.%s", ka);
    json_t *va = json_object_get(lt, ka);
    if (!va) return jsonv_bad(err, file, "lifetime", ka, "a parameter object", NULL);
    if (param_at(va, file, w, 0, 1000, &s->lt_a, err)) return err->code;
    s->lifetime.a = s->lt_a.value;
    if (kb) {
        snprintf(w, sizeof w, "lifetime.%s", kb);
        json_t *vb = json_object_get(lt, kb);
        if (!vb) return jsonv_bad(err, file, "lifetime", kb, "a parameter object", NULL);
        if (param_at(vb, file, w, 0, 1000, &s->lt_b, err)) return err->code;
        s->lifetime.b = s->lt_b.value;
    }
    rmct_error e2;
    rmct_error_clear(&e2);
    if (rmct_lifetime_check(&s->lifetime, "lifetime", &e2))
        return rmct_error_at(err, file, 0, 0, NULL, "%s", e2.msg);
    return RMCT_OK;
}

static rmct_code add_metal(rmct_mfa_system *s, const char *m, const char *file, const char *where, rmct_error *err)
{
    for (int i = 0; i < s->n_metals; i++)
        if (!strcmp(s->metals[i], m)) return RMCT_OK;
    if (s->n_metals == RMCT_MFA_MAX_METALS)
        return rmct_error_at(err, file, 0, 0, NULL, "%s: expected at most %d metals per system", where, RMCT_MFA_MAX_METALS);
    rmct_strlcpy(s->metals[s->n_metals++], m, 8);
    return RMCT_OK;
}

static rmct_code read_variants(const json_t *root, const char *file, rmct_mfa_system *s, rmct_error *err)
{
    json_t *vs = json_object_get(root, "variants");
    if (!json_is_array(vs) || json_array_size(vs) == 0 || json_array_size(vs) > 32)
        return jsonv_bad(err, file, "", "variants", "an array of 1 to 32 variants {\"name\", \"share\", \"content\"}", vs);
    s->n_variants = (int)json_array_size(vs);
    s->variants = calloc((size_t)s->n_variants, sizeof *s->variants);
    if (!s->variants) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    for (int i = 0; i < s->n_variants; i++) {
        static const char *const keys[] = {"name", "share", "content", "note", NULL};
        rmct_mfa_variant *v = &s->variants[i];
        json_t *o = json_array_get(vs, (size_t)i);
        char w[120];
        snprintf(w, sizeof w, "variants[%d]", i);
        if (!json_is_object(o)) return jsonv_bad(err, file, "", w, "an object", o);
        if (get_string(o, "name", true, file, w, v->name, sizeof v->name, err)) return err->code;
        snprintf(w, sizeof w, "variants[%d] (%s)", i, v->name);
        if (only_keys(o, keys, file, w, err)) return err->code;
        if (series_read(o, "share", file, w, 0, 1, true, &v->share, err)) return err->code;
        json_t *c = json_object_get(o, "content");
        if (!json_is_object(c) || json_object_size(c) == 0)
            return jsonv_bad(err, file, w, "content", "an object {\"METAL\": kg per product unit, ...}", c);
        v->content = calloc(json_object_size(c), sizeof *v->content);
        if (!v->content) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        const char *m;
        json_t *x;
        char cw[160];
        snprintf(cw, sizeof cw, "%s.content", w);
        json_object_foreach(c, m, x) {
            if (!metal_ok(m))
                return rmct_error_at(err, file, 0, 0, NULL, "%s: expected element symbols as keys (Co, Nd), got \"%s\"", cw, m);
            rmct_mfa_content *k = &v->content[v->n_content];
            rmct_strlcpy(k->metal, m, sizeof k->metal);
            if (series_read(c, m, file, cw, 0, 1e9, true, &k->content, err)) return err->code;
            v->n_content++;
            if (add_metal(s, m, file, cw, err)) return err->code;
        }
    }
    return RMCT_OK;
}

static rmct_code check_system(rmct_mfa_system *s, const char *file, rmct_error *err)
{
    /* shares sum to 1 in every cohort year */
    for (int y = s->hist_first; y <= s->last_year; y++) {
        double sum = 0;
        for (int v = 0; v < s->n_variants; v++) sum += rmct_mfa_series_at(&s->variants[v].share, y);
        if (fabs(sum - 1) > 1e-6)
            return rmct_error_at(err, file, 0, 0, NULL, "variants: expected shares summing to 1 in every year, got %.6g in %d",
                                 sum, y);
    }
    for (int m = 0; m < s->n_metals; m++) {
        bool found = false;
        for (int r = 0; r < s->n_recovery; r++) found |= !strcmp(s->recovery[r].metal, s->metals[m]);
        if (!found)
            return rmct_error_at(err, file, 0, 0, NULL,
                                 "recycling.recovery: expected a recovery yield for %s (a metal of the variants; 0 if none is "
                                 "recovered)",
                                 s->metals[m]);
    }
    return RMCT_OK;
}

rmct_code rmct_mfa_system_load(const char *path, rmct_mfa_system **out, rmct_error *err)
{
    static const char *const keys[] = {"system", "version", "title", "description", "notes", "unit", "first_year",
                                       "last_year", "model", "series", "per_unit", "initial_stock", "lifetime",
                                       "variants", "recycling", "manufacturing", NULL};
    *out = NULL;
    json_t *root;
    if (jsonv_load(path, &root, err)) return err->code;
    rmct_mfa_system *s = calloc(1, sizeof *s);
    if (!s) {
        json_decref(root);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    rmct_strlcpy(s->path, path, sizeof s->path);
    const char *f = path;
    rmct_code rc = RMCT_OK;
    char model[16];
    if (!json_is_object(root)) {
        rc = rmct_error_at(err, f, 0, 0, NULL, "expected a JSON object (a product system), got %s", jsonv_kind(root));
        goto done;
    }
    if ((rc = only_keys(root, keys, f, "", err))) goto done;
    if ((rc = get_string(root, "system", true, f, "", s->name, sizeof s->name, err))) goto done;
    for (const char *p = s->name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) {
            rc = jsonv_bad(err, f, "", "system", "lower-case letters, digits and '-'", json_object_get(root, "system"));
            goto done;
        }
    if ((rc = get_int(root, "version", f, "", 1, 1000000, &s->version, err)) ||
        (rc = get_string(root, "title", true, f, "", s->title, sizeof s->title, err)) ||
        (rc = get_string(root, "description", false, f, "", s->description, sizeof s->description, err)) ||
        (rc = get_string(root, "unit", true, f, "", s->unit, sizeof s->unit, err)) ||
        (rc = get_int(root, "first_year", f, "", 1900, 2200, &s->first_year, err)) ||
        (rc = get_int(root, "last_year", f, "", 1900, 2200, &s->last_year, err)) ||
        (rc = get_string(root, "model", true, f, "", model, sizeof model, err)))
        goto done;
    if (s->last_year < s->first_year) {
        rc = rmct_error_at(err, f, 0, 0, NULL, "last_year: expected a year >= first_year %d, got %d", s->first_year, s->last_year);
        goto done;
    }
    if (strcmp(model, "inflow") && strcmp(model, "stock")) {
        rc = jsonv_bad(err, f, "", "model", "\"inflow\" (the series is sales) or \"stock\" (the series is the stock in use)",
                       json_object_get(root, "model"));
        goto done;
    }
    s->stock_driven = !strcmp(model, "stock");
    if ((rc = series_read(root, "series", f, "", 0, 1e15, true, &s->series, err))) goto done;
    {
        json_t *sv = json_object_get(root, "series");
        json_t *u = json_object_get(sv, "unit");
        if (!json_is_string(u) || !*json_string_value(u) || strlen(json_string_value(u)) >= sizeof s->series_unit) {
            rc = jsonv_bad(err, f, "series", "unit", "the unit of the series (vehicles, MW, ...), at most 23 bytes", u);
            goto done;
        }
        rmct_strlcpy(s->series_unit, json_string_value(u), sizeof s->series_unit);
        if (s->series.n_points == 0) {
            rc = jsonv_bad(err, f, "series", "points", "an array of yearly points", NULL);
            goto done;
        }
    }
    if ((rc = series_read(root, "per_unit", f, "", 1e-12, 1e12, false, &s->per_unit, err))) goto done;
    s->hist_first = s->first_year;
    json_t *is = json_object_get(root, "initial_stock");
    if (is) {
        static const char *const ikeys[] = {"cohorts", "note", NULL};
        json_t *co = json_object_get(is, "cohorts");
        if (!json_is_object(is) || (rc = only_keys(is, ikeys, f, "initial_stock", err))) {
            if (!rc) rc = jsonv_bad(err, f, "", "initial_stock", "an object {\"cohorts\": [...]}", is);
            goto done;
        }
        if (!json_is_array(co) || json_array_size(co) == 0 || json_array_size(co) > 200) {
            rc = jsonv_bad(err, f, "initial_stock", "cohorts", "an array of 1 to 200 {\"year\": ..., \"value\": ...}", co);
            goto done;
        }
        s->n_hist = (int)json_array_size(co);
        s->hist = calloc((size_t)s->n_hist, sizeof *s->hist);
        if (!s->hist) {
            rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            goto done;
        }
        s->hist_first = s->first_year - s->n_hist;
        for (int i = 0; i < s->n_hist; i++) {
            json_t *p = json_array_get(co, (size_t)i);
            char w[96];
            snprintf(w, sizeof w, "initial_stock.cohorts[%d]", i);
            int y = 0;
            if (!json_is_object(p)) {
                rc = jsonv_bad(err, f, "initial_stock", "cohorts[]", "an object", p);
                goto done;
            }
            if ((rc = get_int(p, "year", f, w, 1800, 2200, &y, err))) goto done;
            if (y != s->hist_first + i) {
                rc = rmct_error_at(err, f, 0, 0, NULL,
                                   "%s.year: expected consecutive cohorts ending the year before first_year %d, so %d here, got %d",
                                   w, s->first_year, s->hist_first + i, y);
                goto done;
            }
            json_t *copy = json_copy(p);
            json_object_del(copy, "year");
            rc = param_at(copy, f, w, 0, 1e15, &s->hist[i], err);
            json_decref(copy);
            if (rc) goto done;
        }
    }
    if ((rc = read_lifetime(root, f, s, err)) || (rc = read_variants(root, f, s, err))) goto done;
    {
        json_t *r = json_object_get(root, "recycling");
        static const char *const rkeys[] = {"collection", "preprocessing", "recovery", "note", NULL};
        if (!json_is_object(r)) {
            rc = jsonv_bad(err, f, "", "recycling", "an object {\"collection\", \"preprocessing\", \"recovery\"}", r);
            goto done;
        }
        if ((rc = only_keys(r, rkeys, f, "recycling", err)) ||
            (rc = series_read(r, "collection", f, "recycling", 0, 1, true, &s->collection, err)) ||
            (rc = series_read(r, "preprocessing", f, "recycling", 0, 1, true, &s->preprocessing, err)))
            goto done;
        json_t *rec = json_object_get(r, "recovery");
        if (!json_is_object(rec) || json_object_size(rec) == 0) {
            rc = jsonv_bad(err, f, "recycling", "recovery", "an object {\"METAL\": yield, ...}", rec);
            goto done;
        }
        s->recovery = calloc(json_object_size(rec), sizeof *s->recovery);
        if (!s->recovery) {
            rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            goto done;
        }
        const char *m;
        json_t *x;
        json_object_foreach(rec, m, x) {
            bool known = false;
            for (int i = 0; i < s->n_metals; i++) known |= !strcmp(s->metals[i], m);
            if (!known) {
                rc = rmct_error_at(err, f, 0, 0, NULL, "recycling.recovery: expected metals of the variants' content, got \"%.7s\"", m);
                goto done;
            }
            rmct_strlcpy(s->recovery[s->n_recovery].metal, m, 8);
            if ((rc = series_read(rec, m, f, "recycling.recovery", 0, 1, true, &s->recovery[s->n_recovery].yield, err)))
                goto done;
            s->n_recovery++;
        }
    }
    {
        json_t *mf = json_object_get(root, "manufacturing");
        if (mf) {
            static const char *const mkeys[] = {"production", "scrap_rate", "note", NULL};
            if (!json_is_object(mf)) {
                rc = jsonv_bad(err, f, "", "manufacturing", "an object {\"production\", \"scrap_rate\"}", mf);
                goto done;
            }
            if ((rc = only_keys(mf, mkeys, f, "manufacturing", err)) ||
                (rc = series_read(mf, "production", f, "manufacturing", 0, 1e15, true, &s->production, err)) ||
                (rc = series_read(mf, "scrap_rate", f, "manufacturing", 0, 1, true, &s->scrap_rate, err)))
                goto done;
        }
    }
    if ((rc = check_system(s, f, err))) goto done;
    rc = rmct_sha256_file(path, s->sha256, err);
done:
    json_decref(root);
    if (rc) {
        rmct_mfa_system_free(s);
        return rc;
    }
    *out = s;
    return RMCT_OK;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

rmct_code rmct_mfa_system_list(const char *dir, char ***paths, int *n, rmct_error *err)
{
    *paths = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return rmct_error_set(err, RMCT_E_IO, "cannot read the directory %s", dir);
    struct dirent *e;
    int cap = 0;
    rmct_code rc = RMCT_OK;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") || e->d_name[0] == '.') continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **p = realloc(*paths, (size_t)cap * sizeof *p);
            if (!p) {
                rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                break;
            }
            *paths = p;
        }
        size_t sz = strlen(dir) + l + 2;
        (*paths)[*n] = malloc(sz);
        if (!(*paths)[*n]) {
            rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            break;
        }
        snprintf((*paths)[*n], sz, "%s/%s", dir, e->d_name);
        (*n)++;
    }
    closedir(d);
    if (*n) qsort(*paths, (size_t)*n, sizeof **paths, cmp_str);
    return rc;
}

/* ---------------- the national file ---------------- */

void rmct_mfa_national_free(rmct_mfa_national *n)
{
    if (!n) return;
    for (int i = 0; i < n->n_metals; i++) {
        series_free(&n->metals[i].capacity);
        series_free(&n->metals[i].demand);
        rmct_param_free(&n->metals[i].demand_growth);
    }
    free(n->metals);
    free(n);
}

rmct_code rmct_mfa_national_load(const char *path, rmct_mfa_national **out, rmct_error *err)
{
    static const char *const keys[] = {"title", "version", "notes", "metals", NULL};
    *out = NULL;
    json_t *root;
    if (jsonv_load(path, &root, err)) return err->code;
    rmct_mfa_national *n = calloc(1, sizeof *n);
    rmct_code rc = RMCT_OK;
    if (!n) {
        json_decref(root);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    rmct_strlcpy(n->path, path, sizeof n->path);
    const char *f = path;
    json_t *ms;
    if (!json_is_object(root)) {
        rc = rmct_error_at(err, f, 0, 0, NULL, "expected a JSON object (the national recycling file), got %s", jsonv_kind(root));
        goto done;
    }
    if ((rc = only_keys(root, keys, f, "", err)) || (rc = get_string(root, "title", true, f, "", n->title, sizeof n->title, err)))
        goto done;
    ms = json_object_get(root, "metals");
    if (!json_is_object(ms) || json_object_size(ms) == 0) {
        rc = jsonv_bad(err, f, "", "metals", "an object {\"METAL\": {\"capacity\", \"demand\"}, ...}", ms);
        goto done;
    }
    n->metals = calloc(json_object_size(ms), sizeof *n->metals);
    if (!n->metals) {
        rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        goto done;
    }
    const char *m;
    json_t *o;
    json_object_foreach(ms, m, o) {
        static const char *const mkeys[] = {"capacity", "demand", "note", NULL};
        rmct_mfa_metal *x = &n->metals[n->n_metals];
        char w[64];
        snprintf(w, sizeof w, "metals.%s", m);
        if (!metal_ok(m)) {
            rc = rmct_error_at(err, f, 0, 0, NULL, "metals: expected element symbols as keys (Co, Nd), got \"%.7s\"", m);
            goto done;
        }
        rmct_strlcpy(x->metal, m, sizeof x->metal);
        n->n_metals++;
        if (!json_is_object(o)) {
            rc = jsonv_bad(err, f, "metals", m, "an object {\"capacity\", \"demand\"}", o);
            goto done;
        }
        if ((rc = only_keys(o, mkeys, f, w, err)) || (rc = series_read(o, "capacity", f, w, 0, 1e12, false, &x->capacity, err)))
            goto done;
        json_t *d = json_object_get(o, "demand");
        if (d && json_is_object(d) && json_object_get(d, "chain")) {
            static const char *const dkeys[] = {"chain", "node", "growth", "note", NULL};
            char dw[80];
            snprintf(dw, sizeof dw, "%s.demand", w);
            if ((rc = only_keys(d, dkeys, f, dw, err)) ||
                (rc = get_string(d, "chain", true, f, dw, x->demand_chain, sizeof x->demand_chain, err)) ||
                (rc = get_string(d, "node", true, f, dw, x->demand_node, sizeof x->demand_node, err)))
                goto done;
            json_t *g = json_object_get(d, "growth");
            if (!g) {
                rc = jsonv_bad(err, f, dw, "growth", "a parameter object (yearly growth of the demand from the chain's base year)", NULL);
                goto done;
            }
            char gw[96];
            snprintf(gw, sizeof gw, "%s.growth", dw);
            if ((rc = param_at(g, f, gw, -0.5, 2, &x->demand_growth, err))) goto done;
            snprintf(x->demand.where, sizeof x->demand.where, "%s", dw);
        } else if ((rc = series_read(o, "demand", f, w, 0, 1e12, false, &x->demand, err)))
            goto done;
    }
    rc = rmct_sha256_file(path, n->sha256, err);
done:
    json_decref(root);
    if (rc) {
        rmct_mfa_national_free(n);
        return rc;
    }
    *out = n;
    return RMCT_OK;
}

rmct_code rmct_mfa_national_resolve(rmct_mfa_national *n, rmct_chain *const *chains, int n_chains, rmct_error *err)
{
    bool any = false;
    for (int i = 0; i < n->n_metals; i++) any |= n->metals[i].demand_chain[0] != 0;
    if (!any) return RMCT_OK;
    rmct_model *m = NULL;
    if (n_chains > 0 && rmct_model_build(chains, n_chains, NULL, NULL, &m, err)) return err->code;
    rmct_code rc = RMCT_OK;
    for (int i = 0; i < n->n_metals && !rc; i++) {
        rmct_mfa_metal *x = &n->metals[i];
        if (!x->demand_chain[0]) continue;
        int chain_year = 0;
        bool have_chain = false;
        for (int c = 0; c < n_chains; c++)
            if (!strcmp(chains[c]->name, x->demand_chain)) chain_year = chains[c]->year, have_chain = true;
        const rmct_node_info *hit = NULL;
        for (int k = 0; m && k < rmct_model_nodes(m); k++) {
            const rmct_node_info *in = rmct_model_node(m, k);
            if (!strcmp(in->chain, x->demand_chain) && !strcmp(in->id, x->demand_node)) hit = in;
        }
        if (!hit) {
            rc = rmct_error_at(err, n->path, 0, 0, NULL, "metals.%s.demand: expected a node of a loaded chain, got %s:%s (%s)",
                               x->metal, x->demand_chain, x->demand_node, have_chain ? "no such node" : "no such chain");
            break;
        }
        x->chain_demand = hit->demand0 * 12;
        x->chain_year = chain_year;
        snprintf(x->demand_basis, sizeof x->demand_basis,
                 "normal demand of chain %s node %s (%.6g t/yr in %d, derived from the chain's final demands and "
                 "intensities: 'rmct chain show %s'), grown %.3g%%/yr (%s)",
                 x->demand_chain, x->demand_node, x->chain_demand, chain_year, x->demand_chain, 100 * x->demand_growth.value,
                 x->demand_growth.assumption ? "ASSUMPTION" : "sourced");
    }
    rmct_model_free(m);
    return rc;
}

/* ---------------- parameter listings ---------------- */

static int add_series(const rmct_mfa_series *s, rmct_mfa_param_ref *out, int n, int max)
{
    if (!s->given) return n;
    if (s->n_points == 0) {
        if (n < max) out[n] = (rmct_mfa_param_ref){s->where, 0, &s->constant};
        return n + 1;
    }
    for (int i = 0; i < s->n_points; i++) {
        if (n < max) out[n] = (rmct_mfa_param_ref){s->where, s->years[i], &s->points[i]};
        n++;
    }
    if (s->growth.given) {
        if (n < max) out[n] = (rmct_mfa_param_ref){s->where, -1, &s->growth};
        n++;
    }
    return n;
}

int rmct_mfa_system_params(const rmct_mfa_system *s, rmct_mfa_param_ref *out, int max)
{
    int n = add_series(&s->series, out, 0, max);
    n = add_series(&s->per_unit, out, n, max);
    for (int i = 0; i < s->n_hist; i++) {
        if (n < max) out[n] = (rmct_mfa_param_ref){"initial_stock", s->hist_first + i, &s->hist[i]};
        n++;
    }
    if (n < max) out[n] = (rmct_mfa_param_ref){s->lifetime.kind == RMCT_LT_WEIBULL ? "lifetime.shape" : s->lifetime.kind == RMCT_LT_FIXED ? "lifetime.lifetime" : "lifetime.mean", 0, &s->lt_a};
    n++;
    if (s->lt_b.given) {
        if (n < max) out[n] = (rmct_mfa_param_ref){s->lifetime.kind == RMCT_LT_WEIBULL ? "lifetime.scale" : "lifetime.sd", 0, &s->lt_b};
        n++;
    }
    for (int v = 0; v < s->n_variants; v++) {
        n = add_series(&s->variants[v].share, out, n, max);
        for (int k = 0; k < s->variants[v].n_content; k++) n = add_series(&s->variants[v].content[k].content, out, n, max);
    }
    n = add_series(&s->collection, out, n, max);
    n = add_series(&s->preprocessing, out, n, max);
    for (int r = 0; r < s->n_recovery; r++) n = add_series(&s->recovery[r].yield, out, n, max);
    n = add_series(&s->production, out, n, max);
    n = add_series(&s->scrap_rate, out, n, max);
    return n;
}

int rmct_mfa_national_params(const rmct_mfa_national *nat, rmct_mfa_param_ref *out, int max)
{
    int n = 0;
    for (int i = 0; i < nat->n_metals; i++) {
        n = add_series(&nat->metals[i].capacity, out, n, max);
        n = add_series(&nat->metals[i].demand, out, n, max);
        if (nat->metals[i].demand_growth.given) {
            if (n < max) out[n] = (rmct_mfa_param_ref){nat->metals[i].demand.where, -1, &nat->metals[i].demand_growth};
            n++;
        }
    }
    return n;
}

/* ---------------- the run ---------------- */

void rmct_mfa_result_free(rmct_mfa_result *r)
{
    if (!r) return;
    free(r->metals);
    free(r->p_inflow);
    free(r->p_outflow);
    free(r->p_stock);
    free(r->negative_years);
    double *v[] = {r->in_use, r->inflow, r->eol, r->collected, r->recoverable_eol, r->new_scrap, r->recoverable_new,
                   r->recovered_eol, r->recovered_new, r->capacity, r->demand, r->recovered, r->gap, r->eol_rir,
                   r->recycled_content};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) free(v[i]);
    free(r);
}

int rmct_mfa_metal_index(const rmct_mfa_result *r, const char *metal)
{
    for (int m = 0; m < r->n_metals; m++)
        if (rmct_streq_nocase(r->metals[m], metal)) return m;
    return -1;
}

/* t of `metal` per product unit of a cohort of `year` */
static double content_t(const rmct_mfa_system *s, const char *metal, int year)
{
    double kg = 0;
    for (int v = 0; v < s->n_variants; v++)
        for (int k = 0; k < s->variants[v].n_content; k++)
            if (!strcmp(s->variants[v].content[k].metal, metal))
                kg += rmct_mfa_series_at(&s->variants[v].share, year) * rmct_mfa_series_at(&s->variants[v].content[k].content, year);
    return kg / 1000.0;
}

static double per_unit_at(const rmct_mfa_system *s, int year)
{
    return s->per_unit.given ? rmct_mfa_series_at(&s->per_unit, year) : 1.0;
}

static const rmct_mfa_recovery *recovery_of(const rmct_mfa_system *s, const char *metal)
{
    for (int r = 0; r < s->n_recovery; r++)
        if (!strcmp(s->recovery[r].metal, metal)) return &s->recovery[r];
    return NULL;
}

/* One system: its stock model and the metal flows into the result's arrays. */
static rmct_code run_system(const rmct_mfa_system *s, int si, const rmct_mfa_whatif *wi, rmct_mfa_result *r,
                            rmct_error *err)
{
    int n = s->last_year - s->first_year + 1, H = s->n_hist, N = H + n;
    double *series = calloc((size_t)n, sizeof *series), *init = calloc((size_t)(H ? H : 1), sizeof *init);
    double *a = calloc((size_t)n, sizeof *a), *b = calloc((size_t)n, sizeof *b), *c = calloc((size_t)n, sizeof *c),
           *d = calloc((size_t)n, sizeof *d);
    double *s_c = calloc((size_t)n * N, sizeof *s_c), *o_c = calloc((size_t)n * N, sizeof *o_c);
    double *k = calloc((size_t)N, sizeof *k);
    rmct_code rc = RMCT_OK;
    if (!series || !init || !a || !b || !c || !d || !s_c || !o_c || !k) {
        rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        goto done;
    }
    for (int y = 0; y < n; y++) series[y] = rmct_mfa_series_at(&s->series, s->first_year + y) * per_unit_at(s, s->first_year + y);
    for (int i = 0; i < H; i++) init[i] = s->hist[i].value * per_unit_at(s, s->hist_first + i);
    rmct_dsm_opts o = {n, &s->lifetime, 1, H, H ? init : NULL, false, NULL, s_c, o_c};
    rmct_dsm_info info;
    double *inflow, *outflow, *stock;
    if (s->stock_driven) {
        rc = rmct_dsm_stock_driven(&o, series, a, b, c, d, &info, err);
        inflow = a, outflow = b, stock = d;
    } else {
        rc = rmct_dsm_inflow_driven(&o, series, b, c, d, &info, err);
        inflow = series, outflow = b, stock = c;
    }
    if (rc) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        rmct_error_at(err, s->path, 0, 0, NULL, "the stock model: %s", msg);
        goto done;
    }
    r->negative_years[si] = info.negative_years;
    int off = s->first_year - r->first_year, M = r->n_metals, Y = r->n_years;
    for (int y = 0; y < n; y++) {
        r->p_inflow[si * Y + off + y] = inflow[y];
        r->p_outflow[si * Y + off + y] = outflow[y];
        r->p_stock[si * Y + off + y] = stock[y];
    }
    for (int mi = 0; mi < s->n_metals; mi++) {
        const char *metal = s->metals[mi];
        int m = rmct_mfa_metal_index(r, metal);
        for (int ci = 0; ci < N; ci++) k[ci] = content_t(s, metal, s->hist_first + ci);
        const rmct_mfa_recovery *rec = recovery_of(s, metal);
        size_t base = ((size_t)si * M + m) * Y + off;
        for (int y = 0; y < n; y++) {
            int year = s->first_year + y;
            double use = 0, eol = 0;
            for (int ci = 0; ci < N; ci++) {
                use += s_c[(size_t)y * N + ci] * k[ci];
                eol += o_c[(size_t)y * N + ci] * k[ci];
            }
            double coll = !isnan(wi->collection) ? wi->collection : rmct_mfa_series_at(&s->collection, year);
            double pre = rmct_mfa_series_at(&s->preprocessing, year), ry = rmct_mfa_series_at(&rec->yield, year);
            r->in_use[base + y] = use;
            r->inflow[base + y] = inflow[y] * k[H + y];
            r->eol[base + y] = eol;
            r->collected[base + y] = eol * coll;
            r->recoverable_eol[base + y] = eol * coll * pre * ry;
            if (s->production.given) {
                double scrap = rmct_mfa_series_at(&s->production, year) * k[H + y] * rmct_mfa_series_at(&s->scrap_rate, year);
                r->new_scrap[base + y] = scrap;
                r->recoverable_new[base + y] = scrap * ry;
            }
        }
    }
done:
    free(series), free(init), free(a), free(b), free(c), free(d), free(s_c), free(o_c), free(k);
    return rc;
}

static const rmct_mfa_metal *national_of(const rmct_mfa_national *nat, const char *metal)
{
    for (int i = 0; nat && i < nat->n_metals; i++)
        if (!strcmp(nat->metals[i].metal, metal)) return &nat->metals[i];
    return NULL;
}

rmct_code rmct_mfa_run(rmct_mfa_system *const *systems, int n_systems, const rmct_mfa_national *nat,
                       const rmct_mfa_whatif *wi, rmct_mfa_result **out, rmct_error *err)
{
    *out = NULL;
    rmct_mfa_whatif none = {NAN, NAN, NAN};
    if (!wi) wi = &none;
    if (n_systems < 1) return rmct_error_set(err, RMCT_E_ARG, "expected at least one product system");
    if (!isnan(wi->collection) && !(wi->collection >= 0 && wi->collection <= 1))
        return rmct_error_set(err, RMCT_E_ARG, "--collection: expected a fraction from 0 to 1, got %g", wi->collection);
    if (!isnan(wi->capacity_growth) && !(wi->capacity_growth >= -0.5 && wi->capacity_growth <= 2))
        return rmct_error_set(err, RMCT_E_ARG, "--capacity-growth: expected a yearly growth from -0.5 to 2, got %g",
                              wi->capacity_growth);
    if (!isnan(wi->demand_growth) && !(wi->demand_growth >= -0.5 && wi->demand_growth <= 2))
        return rmct_error_set(err, RMCT_E_ARG, "--demand-growth: expected a yearly growth from -0.5 to 2, got %g",
                              wi->demand_growth);
    rmct_mfa_result *r = calloc(1, sizeof *r);
    if (!r) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    int y0 = 9999, y1 = 0;
    char metals[4 * RMCT_MFA_MAX_METALS][8];
    int nm = 0;
    for (int i = 0; i < n_systems; i++) {
        const rmct_mfa_system *s = systems[i];
        if (s->first_year < y0) y0 = s->first_year;
        if (s->last_year > y1) y1 = s->last_year;
        for (int m = 0; m < s->n_metals; m++) {
            bool seen = false;
            for (int j = 0; j < nm; j++) seen |= !strcmp(metals[j], s->metals[m]);
            if (!seen && nm < 4 * RMCT_MFA_MAX_METALS) rmct_strlcpy(metals[nm++], s->metals[m], 8);
        }
    }
    r->first_year = y0;
    r->n_years = y1 - y0 + 1;
    r->n_systems = n_systems;
    r->systems = (const rmct_mfa_system *const *)systems;
    r->n_metals = nm;
    int Y = r->n_years, S = n_systems, M = nm;
    size_t smy = (size_t)S * M * Y, my = (size_t)M * Y;
    r->metals = calloc((size_t)(M ? M : 1), sizeof *r->metals);
    r->p_inflow = calloc((size_t)S * Y, sizeof(double));
    r->p_outflow = calloc((size_t)S * Y, sizeof(double));
    r->p_stock = calloc((size_t)S * Y, sizeof(double));
    r->negative_years = calloc((size_t)S, sizeof(int));
    double **smy_arrays[] = {&r->in_use, &r->inflow, &r->eol, &r->collected, &r->recoverable_eol, &r->new_scrap,
                             &r->recoverable_new, &r->recovered_eol, &r->recovered_new};
    double **my_arrays[] = {&r->capacity, &r->demand, &r->recovered, &r->gap, &r->eol_rir, &r->recycled_content};
    bool okm = r->metals && r->p_inflow && r->p_outflow && r->p_stock && r->negative_years;
    for (size_t i = 0; i < sizeof smy_arrays / sizeof *smy_arrays; i++) okm &= (*smy_arrays[i] = calloc(smy ? smy : 1, sizeof(double))) != NULL;
    for (size_t i = 0; i < sizeof my_arrays / sizeof *my_arrays; i++) okm &= (*my_arrays[i] = calloc(my ? my : 1, sizeof(double))) != NULL;
    if (!okm) {
        rmct_mfa_result_free(r);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    for (int m = 0; m < M; m++) rmct_strlcpy(r->metals[m], metals[m], 8);
    rmct_code rc = RMCT_OK;
    for (int i = 0; i < S && !rc; i++) rc = run_system(systems[i], i, wi, r, err);
    for (int m = 0; m < M && !rc; m++) {
        const rmct_mfa_metal *x = national_of(nat, r->metals[m]);
        for (int y = 0; y < Y; y++) {
            int year = y0 + y;
            double cap = x && x->capacity.given ? series_at_g(&x->capacity, year, wi->capacity_growth) : 0;
            double dem = NAN;
            if (x && x->demand_chain[0]) {
                double g = !isnan(wi->demand_growth) ? wi->demand_growth : x->demand_growth.value;
                dem = x->chain_demand * pow(1 + g, year - x->chain_year);
            } else if (x && x->demand.given)
                dem = series_at_g(&x->demand, year, wi->demand_growth);
            double R = 0, R_eol = 0;
            for (int s = 0; s < S; s++) {
                size_t i = ((size_t)s * M + m) * Y + y;
                R += r->recoverable_eol[i] + r->recoverable_new[i];
            }
            double got = fmin(R, cap), f = R > 0 ? got / R : 0;
            for (int s = 0; s < S; s++) {
                size_t i = ((size_t)s * M + m) * Y + y;
                r->recovered_eol[i] = r->recoverable_eol[i] * f;
                r->recovered_new[i] = r->recoverable_new[i] * f;
                R_eol += r->recovered_eol[i];
            }
            size_t j = (size_t)m * Y + y;
            r->capacity[j] = x && x->capacity.given ? cap : NAN;
            r->demand[j] = dem;
            r->recovered[j] = got;
            r->gap[j] = R - cap;
            r->eol_rir[j] = dem > 0 ? R_eol / dem : NAN;
            r->recycled_content[j] = dem > 0 ? got / dem : NAN;
        }
    }
    if (rc) {
        rmct_mfa_result_free(r);
        return rc;
    }
    *out = r;
    return RMCT_OK;
}

bool rmct_mfa_eol_rir(const rmct_mfa_result *r, const char *metal, int year, double *out)
{
    int m = rmct_mfa_metal_index(r, metal), y = year - r->first_year;
    if (m < 0 || y < 0 || y >= r->n_years || isnan(r->eol_rir[(size_t)m * r->n_years + y])) return false;
    *out = r->eol_rir[(size_t)m * r->n_years + y];
    return true;
}

bool rmct_mfa_recovered(const rmct_mfa_result *r, const char *metal, int year, double *out)
{
    int m = rmct_mfa_metal_index(r, metal), y = year - r->first_year;
    if (m < 0 || y < 0 || y >= r->n_years) return false;
    *out = r->recovered[(size_t)m * r->n_years + y];
    return true;
}

bool rmct_mfa_year_flows(const rmct_mfa_result *r, int system, int metal, int year, rmct_mfa_flows *f)
{
    memset(f, 0, sizeof *f);
    int y = year - r->first_year, M = r->n_metals, Y = r->n_years;
    if (metal < 0 || metal >= M || y < 0 || y >= Y) return false;
    double recoverable = 0, feed_all = 0;
    for (int s = 0; s < r->n_systems; s++) {
        if (system >= 0 && s != system) continue;
        const rmct_mfa_system *sys = r->systems[s];
        size_t i = ((size_t)s * M + metal) * Y + y;
        double pre = rmct_mfa_series_at(&sys->preprocessing, year);
        f->inflow += r->inflow[i];
        f->in_use += r->in_use[i];
        double prev;
        if (y > 0 && year > sys->first_year) prev = r->in_use[i - 1];
        else if (year == sys->first_year && sys->n_hist) {
            /* the initial stock's metal */
            const char *mname = r->metals[metal];
            prev = 0;
            for (int c = 0; c < sys->n_hist; c++)
                prev += sys->hist[c].value * per_unit_at(sys, sys->hist_first + c) * content_t(sys, mname, sys->hist_first + c);
        } else
            prev = 0;
        f->stock_change += r->in_use[i] - prev;
        f->eol += r->eol[i];
        f->collected += r->collected[i];
        f->not_collected += r->eol[i] - r->collected[i];
        f->preprocessing_loss += r->collected[i] * (1 - pre);
        f->new_scrap += r->new_scrap[i];
        double feed = r->collected[i] * pre + r->new_scrap[i];
        f->recovery_feed += feed;
        recoverable += r->recoverable_eol[i] + r->recoverable_new[i];
        f->recovered += r->recovered_eol[i] + r->recovered_new[i];
        feed_all += feed;
    }
    /* the capacity passes a share of the recovery feed; what it does not pass is beyond capacity */
    double share = recoverable > 0 ? f->recovered / recoverable : 0;
    f->recovery_loss = share * (feed_all - recoverable);
    f->beyond_capacity = (1 - share) * feed_all;
    f->capacity = r->capacity[(size_t)metal * Y + y];
    f->demand = r->demand[(size_t)metal * Y + y];
    return true;
}
