/* survey_out.c: sheets of 'rmct survey' as tables, CSV, JSON, XLSX and SVG bar charts (see
 * survey_out.h). */
#include "survey_out.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

enum { SV_NULL, SV_TEXT, SV_NUM };

typedef struct {
    int kind;
    char *text;            /* as shown in a table */
    double num;
    int decimals;
} sv_cell;

struct sv_sheet {
    char name[32], title[300];
    int ncols;
    char **keys, **labels;
    bool *numeric;
    int nrows;
    sv_cell *cells;
    size_t ncells, cap;
    char **notes;
    int nnotes;
};

static char *xdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p) abort();
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) abort();
    return q;
}

sv_sheet *sv_new(const char *name, const char *title)
{
    sv_sheet *s = calloc(1, sizeof *s);
    if (!s) abort();
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->title, sizeof s->title, "%s", title ? title : "");
    return s;
}

void sv_free(sv_sheet *s)
{
    if (!s) return;
    for (int i = 0; i < s->ncols; i++) free(s->keys[i]), free(s->labels[i]);
    free(s->keys), free(s->labels), free(s->numeric);
    for (size_t i = 0; i < s->ncells; i++) free(s->cells[i].text);
    free(s->cells);
    for (int i = 0; i < s->nnotes; i++) free(s->notes[i]);
    free(s->notes);
    free(s);
}

void sv_col(sv_sheet *s, const char *key, const char *label, bool numeric)
{
    s->keys = xrealloc(s->keys, (size_t)(s->ncols + 1) * sizeof *s->keys);
    s->labels = xrealloc(s->labels, (size_t)(s->ncols + 1) * sizeof *s->labels);
    s->numeric = xrealloc(s->numeric, (size_t)(s->ncols + 1) * sizeof *s->numeric);
    s->keys[s->ncols] = xdup(key);
    s->labels[s->ncols] = xdup(label);
    s->numeric[s->ncols] = numeric;
    s->ncols++;
}

static sv_cell *next(sv_sheet *s)
{
    if (s->ncells == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->cells = xrealloc(s->cells, s->cap * sizeof *s->cells);
    }
    sv_cell *c = &s->cells[s->ncells++];
    memset(c, 0, sizeof *c);
    return c;
}

void sv_row(sv_sheet *s)
{
    while (s->ncells < (size_t)s->nrows * (size_t)s->ncols) {
        sv_cell *c = next(s);
        c->kind = SV_NULL;
        c->text = xdup("");
    }
    s->nrows++;
}

int sv_rows(const sv_sheet *s) { return s->nrows; }

void sv_text(sv_sheet *s, const char *text)
{
    sv_cell *c = next(s);
    c->kind = text ? SV_TEXT : SV_NULL;
    c->text = xdup(text);
}

void sv_num_as(sv_sheet *s, double v, int decimals, const char *shown)
{
    sv_cell *c = next(s);
    c->kind = isfinite(v) ? SV_NUM : SV_NULL;
    c->num = v;
    c->decimals = decimals;
    if (shown) c->text = xdup(shown);
    else if (isfinite(v)) {
        char buf[64];
        out_fmt_num(buf, sizeof buf, v, decimals);
        c->text = xdup(buf);
    } else {
        c->text = xdup("");
    }
}

void sv_num(sv_sheet *s, double v, int decimals) { sv_num_as(s, v, decimals, NULL); }

void sv_note(sv_sheet *s, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    s->notes = xrealloc(s->notes, (size_t)(s->nnotes + 1) * sizeof *s->notes);
    s->notes[s->nnotes++] = xdup(buf);
}

/* Display width of UTF-8 text (Hangul and CJK count two columns), as src/out.c counts it. */
static size_t width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp = *p;
        int len = 1;
        if (cp >= 0xF0) cp &= 0x07, len = 4;
        else if (cp >= 0xE0) cp &= 0x0F, len = 3;
        else if (cp >= 0xC0) cp &= 0x1F, len = 2;
        for (int k = 1; k < len && p[k]; k++) cp = (cp << 6) | (p[k] & 0x3F);
        w += (cp >= 0x1100 && ((cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3000 && cp <= 0x30FF))) ? 2 : 1;
        for (int k = 0; k < len && *p; k++) p++;
    }
    return w;
}

static void pad(FILE *fp, size_t n)
{
    while (n--) fputc(' ', fp);
}

static void print_table(const sv_sheet *s, FILE *fp)
{
    if (s->title[0]) fprintf(fp, "%s\n", s->title);
    size_t *w = calloc((size_t)(s->ncols ? s->ncols : 1), sizeof *w);
    if (!w) abort();
    for (int j = 0; j < s->ncols; j++) w[j] = width(s->labels[j]);
    for (size_t i = 0; i < s->ncells; i++) {
        size_t j = i % (size_t)s->ncols, cw = width(s->cells[i].text);
        if (cw > w[j]) w[j] = cw;
    }
    for (int j = 0; j < s->ncols; j++) {
        size_t cw = width(s->labels[j]);
        if (s->numeric[j]) pad(fp, w[j] - cw);
        fputs(s->labels[j], fp);
        if (j + 1 < s->ncols) pad(fp, (s->numeric[j] ? 0 : w[j] - cw) + 2);
    }
    fputc('\n', fp);
    for (int j = 0; j < s->ncols; j++) {
        for (size_t k = 0; k < w[j]; k++) fputc('-', fp);
        if (j + 1 < s->ncols) fputs("  ", fp);
    }
    fputc('\n', fp);
    for (int i = 0; i < s->nrows; i++) {
        for (int j = 0; j < s->ncols; j++) {
            size_t idx = (size_t)i * (size_t)s->ncols + (size_t)j;
            const char *t = idx < s->ncells ? s->cells[idx].text : "";
            size_t cw = width(t);
            if (s->numeric[j]) pad(fp, w[j] - cw);
            fputs(t, fp);
            if (j + 1 < s->ncols) pad(fp, (s->numeric[j] ? 0 : w[j] - cw) + 2);
        }
        fputc('\n', fp);
    }
    free(w);
    for (int k = 0; k < s->nnotes; k++) fprintf(fp, "%s\n", s->notes[k]);
}

void sv_print(const sv_sheet *s, out_format f, FILE *fp)
{
    if (f == OUT_TABLE) {
        print_table(s, fp);
        return;
    }
    out_table *t = out_new();
    for (int j = 0; j < s->ncols; j++) out_col(t, s->keys[j], s->labels[j]);
    for (int i = 0; i < s->nrows; i++) {
        out_row(t);
        for (int j = 0; j < s->ncols; j++) {
            size_t idx = (size_t)i * (size_t)s->ncols + (size_t)j;
            const sv_cell *c = idx < s->ncells ? &s->cells[idx] : NULL;
            if (!c || c->kind == SV_NULL) out_null(t);
            else if (c->kind == SV_TEXT) out_text(t, c->text);
            else if (c->decimals == 0 && c->num == floor(c->num) && fabs(c->num) < 1e15) out_int(t, (long)c->num);
            else out_num(t, c->num, c->decimals);
        }
    }
    out_print(t, f, fp);
    out_free(t);
}

/* ---------------- XLSX ---------------- */

static const sv_cell *cell_at(const sv_sheet *s, int i, int j)
{
    size_t idx = (size_t)i * (size_t)s->ncols + (size_t)j;
    return idx < s->ncells ? &s->cells[idx] : NULL;
}

rmct_code sv_write_xlsx(const char *path, sv_sheet *const *sheets, int n, const sv_chart *charts, int n_charts, rmct_error *err)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) return rmct_error_set(err, RMCT_E_IO, "cannot create %s", path);
    lxw_format *bold = workbook_add_format(wb), *wrap = workbook_add_format(wb), *title = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_bold(title);
    format_set_font_size(title, 13);
    format_set_text_wrap(wrap);
    lxw_format *dec[4];
    for (int d = 0; d < 4; d++) {
        dec[d] = workbook_add_format(wb);
        format_set_num_format(dec[d], d == 0 ? "#,##0" : d == 1 ? "#,##0.0" : d == 2 ? "#,##0.00" : "#,##0.000");
    }
    lxw_worksheet **ws = calloc((size_t)(n ? n : 1), sizeof *ws);
    int *header_row = calloc((size_t)(n ? n : 1), sizeof *header_row);
    if (!ws || !header_row) {
        free(ws);
        free(header_row);
        workbook_close(wb);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    for (int k = 0; k < n; k++) {
        const sv_sheet *s = sheets[k];
        ws[k] = workbook_add_worksheet(wb, s->name);
        lxw_row_t r = 0;
        worksheet_write_string(ws[k], r++, 0, s->title, title);
        for (int q = 0; q < s->nnotes; q++) worksheet_write_string(ws[k], r++, 0, s->notes[q], NULL);
        r++;
        header_row[k] = (int)r;
        for (int j = 0; j < s->ncols; j++) {
            worksheet_write_string(ws[k], r, (lxw_col_t)j, s->labels[j], bold);
            worksheet_set_column(ws[k], (lxw_col_t)j, (lxw_col_t)j, s->numeric[j] ? 14 : 28, NULL);
        }
        r++;
        for (int i = 0; i < s->nrows; i++, r++)
            for (int j = 0; j < s->ncols; j++) {
                const sv_cell *c = cell_at(s, i, j);
                if (!c || c->kind == SV_NULL) {
                    /* a withheld value shows its mark ('x', 'c'), never a number */
                    if (c && c->text[0]) worksheet_write_string(ws[k], r, (lxw_col_t)j, c->text, NULL);
                } else if (c->kind == SV_TEXT) {
                    worksheet_write_string(ws[k], r, (lxw_col_t)j, c->text, NULL);
                } else {
                    worksheet_write_number(ws[k], r, (lxw_col_t)j, c->num, dec[c->decimals < 0 ? 0 : c->decimals > 3 ? 3 : c->decimals]);
                }
            }
    }
    for (int c = 0; c < n_charts; c++) {
        const sv_chart *ch = &charts[c];
        if (ch->sheet < 0 || ch->sheet >= n) continue;
        const sv_sheet *s = sheets[ch->sheet];
        int first = header_row[ch->sheet] + 1, last = first + s->nrows - 1 - ch->skip_last;
        if (last < first) continue;
        lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_BAR);
        lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(ser, s->name, (lxw_row_t)first, (lxw_col_t)ch->label_col, (lxw_row_t)last, (lxw_col_t)ch->label_col);
        chart_series_set_values(ser, s->name, (lxw_row_t)first, (lxw_col_t)ch->value_col, (lxw_row_t)last, (lxw_col_t)ch->value_col);
        chart_title_set_name(chart, ch->title);
        chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
        worksheet_insert_chart(ws[ch->sheet], (lxw_row_t)header_row[ch->sheet], (lxw_col_t)(s->ncols + 1), chart);
    }
    free(ws);
    free(header_row);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) return rmct_error_set(err, RMCT_E_IO, "cannot write %s: %s", path, lxw_strerror(e));
    return RMCT_OK;
}

/* ---------------- SVG ---------------- */

rmct_code sv_write_svg(const char *path, const sv_sheet *s, const sv_chart *c, const char *footnote, rmct_error *err)
{
    FILE *fp = fopen(path, "w");
    if (!fp) return rmct_error_set(err, RMCT_E_IO, "cannot write %s: %s", path, strerror(errno));
    int nbars = s->nrows - c->skip_last;
    if (nbars < 0) nbars = 0;
    double max = 0;
    for (int i = 0; i < nbars; i++) {
        const sv_cell *v = cell_at(s, i, c->value_col);
        if (v && v->kind == SV_NUM && v->num > max) max = v->num;
    }
    if (max <= 0) max = 1;
    const double L = 300, R = 60, T = 50, bar = 22, gap = 8, W = 900;
    double H = T + nbars * (bar + gap) + 40 + 14.0 * (double)((footnote ? strlen(footnote) : 0) / 100 + 2);
    fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Noto Sans CJK KR, Malgun Gothic, Arial, sans-serif\" font-size=\"12\">\n"
                "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"20\" y=\"28\" font-size=\"16\" font-weight=\"bold\">",
            W, H, W, H);
    out_xml(fp, c->title);
    fprintf(fp, "</text>\n");
    for (int i = 0; i < nbars; i++) {
        const sv_cell *lab = cell_at(s, i, c->label_col), *v = cell_at(s, i, c->value_col);
        double y = T + i * (bar + gap);
        fprintf(fp, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", L - 8, y + bar * 0.7);
        out_xml(fp, lab ? lab->text : "");
        fprintf(fp, "</text>\n");
        if (v && v->kind == SV_NUM) {
            double w = (W - L - R) * v->num / max;
            fprintf(fp, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"#2f6f9f\"/>\n", L, y, w, bar);
            fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">", L + w + 5, y + bar * 0.7);
            out_xml(fp, v->text);
            fprintf(fp, "</text>\n");
        } else {
            fprintf(fp, "<text x=\"%.0f\" y=\"%.1f\" fill=\"#999\">%s</text>\n", L + 5, y + bar * 0.7,
                    v && v->text[0] ? "withheld (x)" : "-");
        }
    }
    fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#444\"/>\n", L, T - 4, L, T + nbars * (bar + gap));
    if (footnote) {
        /* the rule and the data note, wrapped at about 130 characters */
        double y = T + nbars * (bar + gap) + 24;
        const char *p = footnote;
        while (*p && y < H) {
            size_t n = strlen(p);
            if (n > 130) {
                n = 130;
                while (n > 60 && p[n] != ' ') n--;
            }
            fprintf(fp, "<text x=\"20\" y=\"%.0f\" font-size=\"10\" fill=\"#444\">", y);
            char buf[200];
            snprintf(buf, sizeof buf, "%.*s", (int)n, p);
            out_xml(fp, buf);
            fprintf(fp, "</text>\n");
            p += n;
            while (*p == ' ') p++;
            y += 13;
        }
    }
    fprintf(fp, "</svg>\n");
    if (fclose(fp) != 0) return rmct_error_set(err, RMCT_E_IO, "cannot write %s: %s", path, strerror(errno));
    return RMCT_OK;
}
