/* out.c: table/CSV/JSON rendering (see out.h). */
#include "out.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef enum { CELL_NULL, CELL_TEXT, CELL_NUM, CELL_INT, CELL_BOOL } cell_kind;

typedef struct {
    cell_kind kind;
    char *text;      /* display text (table) */
    double num;
    long i;
    int decimals;
} cell;

typedef struct {
    char *key, *label;
    bool numeric;    /* right-align */
} column;

struct out_table {
    column *cols;
    size_t ncols;
    cell *cells;     /* row-major */
    size_t nrows, ncells, cap;
};

static char *dup(const char *s) { return s ? strdup(s) : NULL; }

out_table *out_new(void) { return calloc(1, sizeof(out_table)); }

void out_free(out_table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->ncols; i++) {
        free(t->cols[i].key);
        free(t->cols[i].label);
    }
    for (size_t i = 0; i < t->ncells; i++) free(t->cells[i].text);
    free(t->cols);
    free(t->cells);
    free(t);
}

void out_col(out_table *t, const char *key, const char *label)
{
    column *p = realloc(t->cols, (t->ncols + 1) * sizeof *p);
    if (!p) abort();
    t->cols = p;
    t->cols[t->ncols].key = dup(key);
    t->cols[t->ncols].label = dup(label);
    t->cols[t->ncols].numeric = false;
    t->ncols++;
}

void out_row(out_table *t)
{
    /* pad the previous row if it was short */
    while (t->ncells < t->nrows * t->ncols) out_null(t);
    t->nrows++;
}

static cell *next_cell(out_table *t)
{
    if (t->ncells == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        cell *p = realloc(t->cells, t->cap * sizeof *p);
        if (!p) abort();
        t->cells = p;
    }
    cell *c = &t->cells[t->ncells++];
    memset(c, 0, sizeof *c);
    return c;
}

static size_t cur_col(const out_table *t) { return (t->ncells) % (t->ncols ? t->ncols : 1); }

void out_text(out_table *t, const char *s)
{
    cell *c = next_cell(t);
    c->kind = s ? CELL_TEXT : CELL_NULL;
    c->text = dup(s ? s : "");
}

void out_textf(out_table *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    out_text(t, buf);
}

void out_fmt_num(char *buf, size_t size, double v, int decimals)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    char *dot = strchr(raw, '.');
    size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t n = 0;
    if (v < 0 && strspn(raw, "0.") != strlen(raw) && n + 1 < size) buf[n++] = '-';
    for (size_t i = 0; i < int_len && n + 2 < size; i++) {
        if (i && (int_len - i) % 3 == 0) buf[n++] = ',';
        buf[n++] = raw[i];
    }
    if (dot)
        for (const char *p = dot; *p && n + 1 < size; p++) buf[n++] = *p;
    buf[n] = '\0';
}

const char *out_fmt_exact(char *buf, size_t size, double v)
{
    /* 15 significant digits: every decimal a source printed survives, and arithmetic noise such as
     * 92.60000000000001 does not show */
    snprintf(buf, size, "%.15g", v);
    return buf;
}

void out_num(out_table *t, double v, int decimals)
{
    size_t col = cur_col(t);
    cell *c = next_cell(t);
    if (!isfinite(v)) {
        c->kind = CELL_NULL;
        c->text = dup("");
        return;
    }
    c->kind = CELL_NUM;
    c->num = v;
    c->decimals = decimals;
    char buf[64];
    out_fmt_num(buf, sizeof buf, v, decimals);
    c->text = dup(buf);
    if (col < t->ncols) t->cols[col].numeric = true;
}

void out_int(out_table *t, long v)
{
    size_t col = cur_col(t);
    cell *c = next_cell(t);
    c->kind = CELL_INT;
    c->i = v;
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    c->text = dup(buf);
    if (col < t->ncols) t->cols[col].numeric = true;
}

void out_null(out_table *t)
{
    cell *c = next_cell(t);
    c->kind = CELL_NULL;
    c->text = dup("");
}

void out_bool(out_table *t, bool v)
{
    cell *c = next_cell(t);
    c->kind = CELL_BOOL;
    c->i = v;
    c->text = dup(v ? "yes" : "no");
}

/* Display width of UTF-8 text: one column per code point (wide CJK counted as two). */
static size_t width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp = *p;
        int len = 1;
        if (cp >= 0xF0) { cp &= 0x07; len = 4; }
        else if (cp >= 0xE0) { cp &= 0x0F; len = 3; }
        else if (cp >= 0xC0) { cp &= 0x1F; len = 2; }
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

static void print_table(const out_table *t, FILE *fp)
{
    size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof *w);
    if (!w) return;
    for (size_t j = 0; j < t->ncols; j++) w[j] = width(t->cols[j].label);
    for (size_t i = 0; i < t->ncells; i++) {
        size_t j = i % t->ncols, cw = width(t->cells[i].text);
        if (cw > w[j]) w[j] = cw;
    }
    for (size_t j = 0; j < t->ncols; j++) {
        size_t cw = width(t->cols[j].label);
        if (t->cols[j].numeric) pad(fp, w[j] - cw);
        fputs(t->cols[j].label, fp);
        if (j + 1 < t->ncols) pad(fp, (t->cols[j].numeric ? 0 : w[j] - cw) + 2);
    }
    fputc('\n', fp);
    for (size_t j = 0; j < t->ncols; j++) {
        for (size_t k = 0; k < w[j]; k++) fputc('-', fp);
        if (j + 1 < t->ncols) fputs("  ", fp);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->ncols; j++) {
            size_t idx = i * t->ncols + j;
            const char *s = idx < t->ncells ? t->cells[idx].text : "";
            size_t cw = width(s);
            bool last = j + 1 == t->ncols;
            if (t->cols[j].numeric) pad(fp, w[j] - cw);
            fputs(s, fp);
            if (!last) pad(fp, (t->cols[j].numeric ? 0 : w[j] - cw) + 2);
        }
        fputc('\n', fp);
    }
    free(w);
}

static void csv_field(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', fp);
        for (const char *p = s; *p; p++) {
            if (*p == '"') fputc('"', fp);
            fputc(*p, fp);
        }
        fputc('"', fp);
    } else {
        fputs(s, fp);
    }
}

static void print_csv(const out_table *t, FILE *fp)
{
    for (size_t j = 0; j < t->ncols; j++) {
        if (j) fputc(',', fp);
        csv_field(fp, t->cols[j].key);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->ncols; j++) {
            if (j) fputc(',', fp);
            size_t idx = i * t->ncols + j;
            if (idx >= t->ncells) continue;
            const cell *c = &t->cells[idx];
            if (c->kind == CELL_NUM) {
                char buf[40];
                fputs(out_fmt_exact(buf, sizeof buf, c->num), fp);
            }
            else if (c->kind == CELL_INT) fprintf(fp, "%ld", c->i);
            else if (c->kind == CELL_BOOL) fputs(c->i ? "true" : "false", fp);
            else if (c->kind == CELL_TEXT) csv_field(fp, c->text);
        }
        fputc('\n', fp);
    }
}

json_t *out_json(const out_table *t)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < t->nrows; i++) {
        json_t *obj = json_object();
        for (size_t j = 0; j < t->ncols; j++) {
            size_t idx = i * t->ncols + j;
            const cell *c = idx < t->ncells ? &t->cells[idx] : NULL;
            json_t *v;
            if (!c || c->kind == CELL_NULL) v = json_null();
            else if (c->kind == CELL_NUM) v = json_real(c->num);
            else if (c->kind == CELL_INT) v = json_integer(c->i);
            else if (c->kind == CELL_BOOL) v = json_boolean(c->i);
            else v = json_string(c->text);
            json_object_set_new(obj, t->cols[j].key, v ? v : json_null());
        }
        json_array_append_new(arr, obj);
    }
    return arr;
}

static void print_json(const out_table *t, FILE *fp)
{
    json_t *arr = out_json(t);
    json_dumpf(arr, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    fputc('\n', fp);
    json_decref(arr);
}

void out_print(const out_table *t, out_format f, FILE *fp)
{
    if (f == OUT_CSV) print_csv(t, fp);
    else if (f == OUT_JSON) print_json(t, fp);
    else print_table(t, fp);
}

bool out_parse_format(const char *s, out_format *f)
{
    if (!strcmp(s, "table")) *f = OUT_TABLE;
    else if (!strcmp(s, "csv")) *f = OUT_CSV;
    else if (!strcmp(s, "json")) *f = OUT_JSON;
    else return false;
    return true;
}

size_t out_rows(const out_table *t) { return t->nrows; }

double out_sum(const out_table *t, const char *key)
{
    double sum = 0;
    for (size_t j = 0; j < t->ncols; j++) {
        if (strcmp(t->cols[j].key, key)) continue;
        for (size_t i = 0; i < t->nrows; i++) {
            size_t idx = i * t->ncols + j;
            if (idx >= t->ncells) break;
            const cell *c = &t->cells[idx];
            sum += c->kind == CELL_INT ? (double)c->i : c->kind == CELL_NUM ? c->num : 0;
        }
    }
    return sum;
}

void out_xml(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (*s == '<') fputs("&lt;", fp);
        else if (*s == '>') fputs("&gt;", fp);
        else if (*s == '&') fputs("&amp;", fp);
        else if (*s == '"') fputs("&quot;", fp);
        else fputc(*s, fp);
    }
}
