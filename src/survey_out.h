/* survey_out.h: how 'rmct survey' prints: a sheet (title, columns, rows, notes) rendered as an
 * aligned table, CSV or JSON (src/out.h), or as a worksheet of an XLSX workbook (libxlsxwriter),
 * with bar charts (XLSX and SVG) of the industry's shape. */
#ifndef RMCT_SURVEY_OUT_H
#define RMCT_SURVEY_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "out.h"

typedef struct sv_sheet sv_sheet;

sv_sheet *sv_new(const char *name, const char *title);
void sv_free(sv_sheet *s);
void sv_col(sv_sheet *s, const char *key, const char *label, bool numeric);
void sv_row(sv_sheet *s);
/* A cell: text (NULL: empty/null), a number (NaN: empty/null) shown with `decimals` in tables, or a
 * number shown as `shown` in tables (a marked or withheld value) and as v (NaN: null) elsewhere. */
void sv_text(sv_sheet *s, const char *text);
void sv_num(sv_sheet *s, double v, int decimals);
void sv_num_as(sv_sheet *s, double v, int decimals, const char *shown);
void sv_note(sv_sheet *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sv_rows(const sv_sheet *s);

/* Table (with title and notes), CSV or JSON (columns and rows only) on fp. */
void sv_print(const sv_sheet *s, out_format f, FILE *fp);

/* A bar chart of one numeric column against the row labels of a sheet. */
typedef struct {
    int sheet;             /* index into the sheets */
    int value_col;         /* the column charted */
    int label_col;         /* the column giving each bar's label */
    int skip_last;         /* leave out the last n rows (a total) */
    const char *title;
} sv_chart;

/* Every sheet in one workbook, charts inserted beside their sheet's table. */
rmct_code sv_write_xlsx(const char *path, sv_sheet *const *sheets, int n, const sv_chart *charts, int n_charts, rmct_error *err);

/* A bar chart as an SVG file; bars without a value (withheld) are drawn as a gap marked 'x'. */
rmct_code sv_write_svg(const char *path, const sv_sheet *s, const sv_chart *c, const char *footnote, rmct_error *err);

#endif
