/* jsonv.h: checking JSON documents read with jansson (chain and scenario files) and saying
 * precisely what is wrong: every message names the file, the JSON path of the entry and field,
 * what was expected and what was found. Internal to the library. */
#ifndef RMCT_JSONV_H
#define RMCT_JSONV_H

#include <jansson.h>

#include "error.h"

/* A value's kind in words ("an object", "a string", ..., "nothing" for NULL). */
const char *jsonv_kind(const json_t *v);

/* Load a JSON file (duplicate keys refused): RMCT_E_IO if it cannot be read, else an error at the
 * line and column that is not valid JSON. */
rmct_code jsonv_load(const char *path, json_t **root, rmct_error *err);

/* Set an input error "WHERE.FIELD: expected EXPECTED, got GOT" at file; returns RMCT_E_INPUT. */
rmct_code jsonv_bad(rmct_error *err, const char *file, const char *where, const char *field, const char *expected,
                    const json_t *got);

/* Refuse keys of obj not in `allowed` (NULL-terminated): a typo must not silently become a default. */
rmct_code jsonv_only_keys(const json_t *obj, const char *const *allowed, const char *file, const char *where,
                          rmct_error *err);

#endif
