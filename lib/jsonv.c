/* jsonv.c: located errors for JSON input (see jsonv.h). */
#include "jsonv.h"

#include <string.h>

const char *jsonv_kind(const json_t *v)
{
    if (!v) return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

rmct_code jsonv_bad(rmct_error *err, const char *file, const char *where, const char *field, const char *expected,
                    const json_t *got)
{
    char q[64];
    const char *dot = *where ? "." : "";
    if (json_is_string(got))
        return rmct_error_at(err, file, 0, 0, NULL, "%s%s%s: expected %s, got \"%s\"", where, dot, field, expected,
                             rmct_error_quote(json_string_value(got), q, sizeof q));
    if (json_is_number(got))
        return rmct_error_at(err, file, 0, 0, NULL, "%s%s%s: expected %s, got %g", where, dot, field, expected,
                             json_number_value(got));
    return rmct_error_at(err, file, 0, 0, NULL, "%s%s%s: expected %s, got %s", where, dot, field, expected,
                         jsonv_kind(got));
}

rmct_code jsonv_only_keys(const json_t *obj, const char *const *allowed, const char *file, const char *where,
                          rmct_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++) ok |= strcmp(key, *a) == 0;
        if (!ok) {
            char q[64];
            return rmct_error_at(err, file, 0, 0, NULL, "%s%s\"%s\": unknown field (allowed: see docs/SIMULATION.md)",
                                 where, *where ? "." : "", rmct_error_quote(key, q, sizeof q));
        }
    }
    return RMCT_OK;
}

rmct_code jsonv_load(const char *path, json_t **root, rmct_error *err)
{
    json_error_t je;
    *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (*root) return RMCT_OK;
    if (je.line <= 0) return rmct_error_set(err, RMCT_E_IO, "cannot read %s: %s", path, je.text);
    return rmct_error_at(err, path, je.line, je.column, NULL, "expected valid JSON: %s", je.text);
}
