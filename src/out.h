/* out.h: one way to print listings: an in-memory table rendered as an aligned text table (for
 * people), CSV (RFC 4180, full precision) or JSON (an array of objects; numbers as numbers, missing
 * values as null). Column keys carry units (e.g. "production_t", "share_pct") and are the CSV header
 * and JSON keys; labels are the table headers. */
#ifndef RMCT_OUT_H
#define RMCT_OUT_H

#include <stdbool.h>
#include <stdio.h>

typedef enum { OUT_TABLE, OUT_CSV, OUT_JSON } out_format;

typedef struct out_table out_table;

out_table *out_new(void);
void out_free(out_table *t);
/* Add a column: key (CSV/JSON), label (table header). Numbers are right-aligned. */
void out_col(out_table *t, const char *key, const char *label);
/* Start a new row; cells are then added left to right. */
void out_row(out_table *t);
void out_text(out_table *t, const char *s);          /* NULL prints as empty / null */
void out_textf(out_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A number shown with `decimals` digits and thousands separators in tables, full precision elsewhere. */
void out_num(out_table *t, double v, int decimals);
void out_int(out_table *t, long v);
void out_null(out_table *t);
void out_bool(out_table *t, bool v);
void out_print(const out_table *t, out_format f, FILE *fp);
/* The table as JSON: what out_print prints for OUT_JSON, an array of objects (jansson; new reference). */
struct json_t;
struct json_t *out_json(const out_table *t);

/* Rows so far, and the sum of a numeric column (0 for others). */
size_t out_rows(const out_table *t);
double out_sum(const out_table *t, const char *key);

/* Helpers shared by commands. */
bool out_parse_format(const char *s, out_format *f);

/* Text for XML and SVG: <, >, & and " escaped. */
void out_xml(FILE *fp, const char *s);
/* v with 15 significant digits, no thousands separators (CSV). */
const char *out_fmt_exact(char *buf, size_t size, double v);
/* "12,345.6" */
void out_fmt_num(char *buf, size_t size, double v, int decimals);

#endif
