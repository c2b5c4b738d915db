/* csv.c: streaming CSV reader with positions (see csv.h). */
#include "csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define CSV_MAX_RECORD (1u << 20)
#define CSV_MAX_FIELDS 1024

typedef struct {
    size_t off;     /* offset of the field's text in rec */
    long line, col; /* where it starts */
} field_pos;

struct rmct_csv {
    FILE *fp;
    char name[512];
    unsigned char buf[1 << 16];
    size_t buf_len, buf_pos;
    unsigned long long consumed; /* bytes in buffers already used up */
    bool eof;
    long line, col;          /* position of the next byte */
    bool after_cr;           /* previous byte was a CR ending a line: a following LF belongs to it */
    char *rec;               /* field texts, each NUL-terminated */
    size_t rec_len, rec_cap;
    field_pos *fields;
    size_t nfields, fields_cap;
    size_t expect;           /* field count from the header, 0 before */
    char **header;
    size_t nheader;
    /* UTF-8 check as bytes arrive, so an error points at the byte in the file */
    int u_need;              /* continuation bytes still expected */
    unsigned u_cp, u_min;
    unsigned char u_lead;
    long u_line, u_col;      /* where the sequence started */
};

static const char *field_name(const rmct_csv *c, size_t i)
{
    return (i < c->nheader) ? c->header[i] : NULL;
}

rmct_code rmct_csv_open(rmct_csv **out, const char *path, const char *display_name, rmct_error *err)
{
    *out = NULL;
    rmct_csv *c = calloc(1, sizeof *c);
    if (!c) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory opening %s", path);
    rmct_strlcpy(c->name, display_name ? display_name : path, sizeof c->name);
    c->fp = fopen(path, "rb");
    if (!c->fp) {
        rmct_error_set(err, RMCT_E_IO, "cannot open %s: %s", c->name, strerror(errno));
        free(c);
        return RMCT_E_IO;
    }
    c->line = 1;
    c->col = 1;
    *out = c;
    return RMCT_OK;
}

void rmct_csv_close(rmct_csv *c)
{
    if (!c) return;
    if (c->fp) fclose(c->fp);
    for (size_t i = 0; i < c->nheader; i++) free(c->header[i]);
    free(c->header);
    free(c->rec);
    free(c->fields);
    free(c);
}

/* Next byte or -1 at end of file; -2 on a read error (err set). */
static int next_byte(rmct_csv *c, rmct_error *err)
{
    if (c->buf_pos == c->buf_len) {
        if (c->eof) return -1;
        c->consumed += c->buf_len;
        c->buf_len = fread(c->buf, 1, sizeof c->buf, c->fp);
        c->buf_pos = 0;
        if (c->buf_len < sizeof c->buf) {
            if (ferror(c->fp)) {
                rmct_error_set(err, RMCT_E_IO, "read error in %s: %s", c->name, strerror(errno));
                return -2;
            }
            c->eof = true;
        }
        if (c->buf_len == 0) return -1;
    }
    return c->buf[c->buf_pos++];
}

static void unread_byte(rmct_csv *c)
{
    c->buf_pos--; /* only ever called right after next_byte returned a byte */
}

static rmct_code push_byte(rmct_csv *c, int b, rmct_error *err)
{
    if (c->rec_len + 1 >= c->rec_cap) {
        if (c->rec_cap >= CSV_MAX_RECORD)
            return rmct_error_at(err, c->name, c->fields ? c->fields[0].line : c->line, 1, NULL,
                                 "expected a CSV record shorter than 1 MiB (is this a CSV file?)");
        size_t cap = c->rec_cap ? c->rec_cap * 2 : 4096;
        char *p = realloc(c->rec, cap);
        if (!p) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory reading %s", c->name);
        c->rec = p;
        c->rec_cap = cap;
    }
    c->rec[c->rec_len++] = (char)b;
    return RMCT_OK;
}

static rmct_code start_field(rmct_csv *c, rmct_error *err)
{
    if (c->nfields == c->fields_cap) {
        if (c->fields_cap >= CSV_MAX_FIELDS)
            return rmct_error_at(err, c->name, c->line, c->col, NULL,
                                 "expected at most %d fields in a record", CSV_MAX_FIELDS);
        size_t cap = c->fields_cap ? c->fields_cap * 2 : 32;
        field_pos *p = realloc(c->fields, cap * sizeof *p);
        if (!p) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory reading %s", c->name);
        c->fields = p;
        c->fields_cap = cap;
    }
    c->fields[c->nfields].off = c->rec_len;
    c->fields[c->nfields].line = c->line;
    c->fields[c->nfields].col = c->col;
    c->nfields++;
    return RMCT_OK;
}

/* Advance the position past byte b. */
static void advance(rmct_csv *c, int b)
{
    if (b == '\n' || b == '\r') {
        if (b == '\n' && c->after_cr) { c->after_cr = false; return; }
        c->line++;
        c->col = 1;
        c->after_cr = (b == '\r');
        return;
    }
    c->after_cr = false;
    if ((b & 0xC0) != 0x80) c->col++;
}

static rmct_code utf8_error(rmct_csv *c, unsigned char byte, rmct_error *err)
{
    return rmct_error_at(err, c->name, c->u_line, c->u_col, field_name(c, c->nfields ? c->nfields - 1 : 0),
                         "expected UTF-8 text, got the byte 0x%02X (convert the file to UTF-8)", byte);
}

/* Feed one content byte (at the current position) to the UTF-8 check. */
static rmct_code utf8_feed(rmct_csv *c, int b, rmct_error *err)
{
    if (c->u_need == 0) {
        if (b < 0x80) return RMCT_OK;
        c->u_line = c->line;
        c->u_col = c->col;
        c->u_lead = (unsigned char)b;
        if (b >= 0xC2 && b <= 0xDF) { c->u_need = 1; c->u_min = 0x80; c->u_cp = (unsigned)b & 0x1F; }
        else if (b >= 0xE0 && b <= 0xEF) { c->u_need = 2; c->u_min = 0x800; c->u_cp = (unsigned)b & 0x0F; }
        else if (b >= 0xF0 && b <= 0xF4) { c->u_need = 3; c->u_min = 0x10000; c->u_cp = (unsigned)b & 0x07; }
        else return utf8_error(c, (unsigned char)b, err);
        return RMCT_OK;
    }
    if ((b & 0xC0) != 0x80) {
        c->u_need = 0;
        return utf8_error(c, c->u_lead, err);
    }
    c->u_cp = (c->u_cp << 6) | ((unsigned)b & 0x3F);
    if (--c->u_need == 0 && (c->u_cp < c->u_min || c->u_cp > 0x10FFFF || (c->u_cp >= 0xD800 && c->u_cp <= 0xDFFF)))
        return utf8_error(c, c->u_lead, err);
    return RMCT_OK;
}

/* A field ended: an unfinished sequence is an error. */
static rmct_code utf8_end(rmct_csv *c, rmct_error *err)
{
    if (c->u_need == 0) return RMCT_OK;
    c->u_need = 0;
    return utf8_error(c, c->u_lead, err);
}

/* A content byte: checked, stored. */
static rmct_code push_content(rmct_csv *c, int b, rmct_error *err)
{
    rmct_code rc = utf8_feed(c, b, err);
    return rc ? rc : push_byte(c, b, err);
}

/* Reads one physical record (possibly spanning lines inside quotes). *got false at EOF. */
static rmct_code read_record(rmct_csv *c, bool *got, rmct_error *err)
{
    rmct_code rc;
    for (;;) { /* skip blank lines */
        c->rec_len = 0;
        c->nfields = 0;
        *got = false;
        int b = next_byte(c, err);
        if (b == -2) return RMCT_E_IO;
        if (b == -1) return RMCT_OK;
        if (b == '\n' || b == '\r') { advance(c, b); continue; }
        unread_byte(c);
        break;
    }
    *got = true;
    c->u_need = 0;
    if ((rc = start_field(c, err))) return rc;
    enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } st = FIELD_START;
    long qline = 0, qcol = 0;
    for (;;) {
        int b = next_byte(c, err);
        if (b == -2) return RMCT_E_IO;
        if (b == 0)
            return rmct_error_at(err, c->name, c->line, c->col, NULL,
                                 "expected text, got a NUL byte (this looks like a binary file)");
        if (b == -1) {
            if (st == QUOTED)
                return rmct_error_at(err, c->name, qline, qcol, field_name(c, c->nfields - 1),
                                     "expected a closing '\"', got the end of the file "
                                     "(the file is truncated or a quote is unbalanced)");
            break;
        }
        if (st == QUOTED) {
            if (b == '"') st = QUOTE_IN_QUOTED;
            else if ((rc = push_content(c, b, err))) return rc;
            advance(c, b);
            continue;
        }
        if (st == QUOTE_IN_QUOTED) {
            if (b == '"') {
                if ((rc = push_content(c, '"', err))) return rc;
                st = QUOTED;
                advance(c, b);
                continue;
            }
            if (b != ',' && b != '\n' && b != '\r') {
                char q[16];
                char tmp[2] = {(char)b, 0};
                return rmct_error_at(err, c->name, c->line, c->col, field_name(c, c->nfields - 1),
                                     "expected ',' or the end of the line after a closing '\"', got \"%s\"",
                                     rmct_error_quote(tmp, q, sizeof q));
            }
            st = UNQUOTED; /* fall through to separator handling */
        }
        if (b == ',') {
            if ((rc = utf8_end(c, err)) || (rc = push_byte(c, '\0', err))) return rc;
            advance(c, b);
            if ((rc = start_field(c, err))) return rc;
            st = FIELD_START;
            continue;
        }
        if (b == '\n' || b == '\r') {
            advance(c, b);
            if (b == '\r') { /* swallow the LF of a CRLF now so the next record starts clean */
                int n = next_byte(c, err);
                if (n == -2) return RMCT_E_IO;
                if (n == '\n') advance(c, n);
                else if (n >= 0) unread_byte(c);
            }
            break;
        }
        if (b == '"' && st == FIELD_START) {
            qline = c->line;
            qcol = c->col;
            st = QUOTED;
            advance(c, b);
            continue;
        }
        st = UNQUOTED;
        if ((rc = push_content(c, b, err))) return rc;
        advance(c, b);
    }
    if ((rc = utf8_end(c, err)) || (rc = push_byte(c, '\0', err))) return rc;
    return RMCT_OK;
}

static void skip_bom(rmct_csv *c)
{
    unsigned char bom[3];
    size_t n = fread(bom, 1, 3, c->fp);
    if (n == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF) {
        c->consumed = 3;
        return;
    }
    memcpy(c->buf, bom, n);
    c->buf_len = n;
    c->buf_pos = 0;
}

rmct_code rmct_csv_header(rmct_csv *c, const rmct_csv_colspec *spec, size_t n, int *index,
                          bool allow_extra, rmct_error *err)
{
    skip_bom(c);
    bool got;
    rmct_code rc = read_record(c, &got, err);
    if (rc) return rc;
    if (!got)
        return rmct_error_at(err, c->name, 1, 1, NULL, "expected a header line, got an empty file");
    c->header = calloc(c->nfields, sizeof *c->header);
    if (!c->header) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    c->nheader = c->nfields;
    for (size_t i = 0; i < c->nfields; i++) {
        c->header[i] = strdup(c->rec + c->fields[i].off);
        if (!c->header[i]) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        rmct_trim(c->header[i]);
    }
    for (size_t k = 0; k < n; k++) index[k] = -1;
    for (size_t i = 0; i < c->nfields; i++) {
        for (size_t j = 0; j < i && c->header[i][0]; j++)
            if (rmct_streq_nocase(c->header[i], c->header[j])) {
                char q[64];
                return rmct_error_at(err, c->name, c->fields[i].line, c->fields[i].col, NULL,
                                     "expected each column once in the header, got \"%s\" twice",
                                     rmct_error_quote(c->header[i], q, sizeof q));
            }
        bool known = false;
        for (size_t k = 0; k < n; k++) {
            if (!rmct_streq_nocase(c->header[i], spec[k].name)) continue;
            if (index[k] >= 0) {
                char q[64];
                return rmct_error_at(err, c->name, c->fields[i].line, c->fields[i].col, NULL,
                                     "expected each column once in the header, got \"%s\" twice",
                                     rmct_error_quote(c->header[i], q, sizeof q));
            }
            index[k] = (int)i;
            known = true;
        }
        if (!known && !allow_extra && n > 0) {
            char q[64];
            char list[512] = "";
            size_t len = 0;
            for (size_t k = 0; k < n && len < sizeof list; k++)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? "," : "", spec[k].name);
            return rmct_error_at(err, c->name, c->fields[i].line, c->fields[i].col, NULL,
                                 "expected a header with the columns %s, got an unknown column \"%s\"",
                                 list, rmct_error_quote(c->header[i], q, sizeof q));
        }
    }
    for (size_t k = 0; k < n; k++) {
        if (index[k] >= 0 || !spec[k].required) continue;
        char q[96];
        return rmct_error_at(err, c->name, c->fields[0].line, 1, NULL,
                             "expected a column \"%s\" in the header, got \"%s%s\"", spec[k].name,
                             rmct_error_quote(c->rec, q, sizeof q), c->nfields > 1 ? ",..." : "");
    }
    c->expect = c->nfields;
    return RMCT_OK;
}

rmct_code rmct_csv_next(rmct_csv *c, bool *got, rmct_error *err)
{
    rmct_code rc = read_record(c, got, err);
    if (rc || !*got) return rc;
    if (c->expect && c->nfields != c->expect) {
        bool at_eof = c->eof && c->buf_pos == c->buf_len;
        const field_pos *last = &c->fields[c->nfields - 1];
        long col = last->col + rmct_utf8_chars(c->rec + last->off, strlen(c->rec + last->off));
        return rmct_error_at(err, c->name, c->fields[0].line, c->nfields < c->expect ? col : c->fields[c->expect].col,
                             NULL, "expected %zu fields as in the header, got %zu%s", c->expect, c->nfields,
                             (at_eof && c->nfields < c->expect) ? " (the file ends in the middle of a record)" : "");
    }
    return RMCT_OK;
}

size_t rmct_csv_count(const rmct_csv *c) { return c->nfields; }

const char *rmct_csv_get(const rmct_csv *c, int i)
{
    if (i < 0 || (size_t)i >= c->nfields) return "";
    return c->rec + c->fields[i].off;
}

long rmct_csv_line(const rmct_csv *c, int i)
{
    if (i < 0 || (size_t)i >= c->nfields) return c->nfields ? c->fields[0].line : c->line;
    return c->fields[i].line;
}

long rmct_csv_col(const rmct_csv *c, int i)
{
    if (i < 0 || (size_t)i >= c->nfields) return 1;
    return c->fields[i].col;
}

const char *rmct_csv_colname(const rmct_csv *c, int i)
{
    if (i < 0 || (size_t)i >= c->nheader) return "";
    return c->header[i];
}

const char *rmct_csv_name(const rmct_csv *c) { return c->name; }

unsigned long long rmct_csv_offset(const rmct_csv *c) { return c->consumed + c->buf_pos; }

rmct_code rmct_csv_field_error(const rmct_csv *c, int i, rmct_error *err, const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rmct_error_at(err, c->name, rmct_csv_line(c, i), rmct_csv_col(c, i),
                         i >= 0 ? rmct_csv_colname(c, i) : NULL, "%s", msg);
}
