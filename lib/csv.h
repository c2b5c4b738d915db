/* csv.h: a streaming CSV reader that knows where every field came from.
 *
 * Reads RFC 4180 CSV (quoted fields, "" escapes, fields spanning lines) with LF, CRLF or CR line
 * ends and an optional UTF-8 byte-order mark, one record at a time, so memory stays bounded by
 * the longest record whatever the file size. It rejects what would silently corrupt an import:
 * invalid UTF-8, NUL bytes (binary files), unterminated quotes, records whose field count differs
 * from the header's, and records over 1 MiB. Every error names file, line and column.
 * Blank lines are skipped. Hand-written rather than libcsv because the error contract needs the
 * line and column of each field, which libcsv's callbacks do not report. */
#ifndef RMCT_CSV_H
#define RMCT_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct rmct_csv rmct_csv;

typedef struct {
    const char *name;  /* header name, matched case-insensitively after trimming blanks */
    bool required;
} rmct_csv_colspec;

/* Open path for reading. display_name (may be NULL: path is used) is the name errors show. */
rmct_code rmct_csv_open(rmct_csv **out, const char *path, const char *display_name, rmct_error *err);
void rmct_csv_close(rmct_csv *csv);

/* Read the header record and bind the n columns of spec: index[i] becomes the column position of
 * spec[i] or -1 when an optional column is absent. A missing required column, a duplicated column
 * name or (unless allow_extra) an unknown column is an error at line 1. Later records must have
 * as many fields as the header. */
rmct_code rmct_csv_header(rmct_csv *csv, const rmct_csv_colspec *spec, size_t n, int *index,
                          bool allow_extra, rmct_error *err);

/* Read the next record into the reader; *got is false at end of file. Fields stay valid until the
 * next call. */
rmct_code rmct_csv_next(rmct_csv *csv, bool *got, rmct_error *err);

size_t rmct_csv_count(const rmct_csv *csv);
/* Field i of the current record (NUL-terminated; "" when i is out of range or index < 0). */
const char *rmct_csv_get(const rmct_csv *csv, int i);
/* Line and character column where field i starts, for error messages. */
long rmct_csv_line(const rmct_csv *csv, int i);
long rmct_csv_col(const rmct_csv *csv, int i);
/* Name of header column i ("" before the header is read). */
const char *rmct_csv_colname(const rmct_csv *csv, int i);
/* Bytes of the file consumed so far (for progress). */
unsigned long long rmct_csv_offset(const rmct_csv *csv);
/* Name used in error messages for this file. */
const char *rmct_csv_name(const rmct_csv *csv);

/* Convenience: an input error pointing at field i of the current record, named after its column. */
rmct_code rmct_csv_field_error(const rmct_csv *csv, int i, rmct_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
