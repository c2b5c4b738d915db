/* error.c: the librmct error type (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const messages[RMCT_E__COUNT] = {
    [RMCT_OK] = "success",
    [RMCT_E_NOMEM] = "out of memory",
    [RMCT_E_IO] = "input/output error",
    [RMCT_E_DB] = "database error",
    [RMCT_E_INPUT] = "bad input",
    [RMCT_E_ARG] = "bad argument",
    [RMCT_E_NOTFOUND] = "not found",
    [RMCT_E_CONFLICT] = "conflict",
    [RMCT_E_SCHEMA] = "schema error",
    [RMCT_E_CANCELLED] = "cancelled",
};

const char *rmct_strerror(rmct_code code)
{
    if ((int)code < 0 || code >= RMCT_E__COUNT) return "unknown error";
    return messages[code];
}

void rmct_error_clear(rmct_error *err)
{
    if (err) memset(err, 0, sizeof *err);
}

rmct_code rmct_error_set(rmct_error *err, rmct_code code, const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

rmct_code rmct_error_at(rmct_error *err, const char *file, long line, long col, const char *field,
                        const char *fmt, ...)
{
    if (!err) return RMCT_E_INPUT;
    err->code = RMCT_E_INPUT;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return RMCT_E_INPUT;
}

void rmct_error_format(const rmct_error *err, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
#define PUT(...) do { if (n < size) n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__); } while (0)
    if (err->file[0]) {
        PUT("%s", err->file);
        if (err->line > 0) PUT(":%ld", err->line);
        if (err->line > 0 && err->col > 0) PUT(":%ld", err->col);
        PUT(": ");
    }
    if (err->field[0]) PUT("%s: ", err->field);
    PUT("%s", err->msg[0] ? err->msg : rmct_strerror(err->code));
#undef PUT
}

const char *rmct_error_quote(const char *text, char *buf, size_t size)
{
    size_t n = 0, shown = 0;
    if (size < 8) {
        if (size) buf[0] = '\0';
        return buf;
    }
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        /* how many bytes the next character takes, and how many it needs escaped */
        size_t len = 1;
        if (*p >= 0xC0) while ((p[len] & 0xC0) == 0x80 && len < 4) len++;
        bool hex = len == 1 && (*p < 0x20 || *p == 0x7F || *p >= 0x80); /* control or stray byte */
        bool escaped = *p == '"' || *p == '\\';
        size_t out = hex ? 4 : escaped ? 2 : len;
        if (shown == 40 || n + out + 4 > size) { /* room for "..." and the terminator */
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
        if (hex) n += (size_t)snprintf(buf + n, size - n, "\\x%02X", *p);
        else if (escaped) { buf[n++] = '\\'; buf[n++] = (char)*p; }
        else { memcpy(buf + n, p, len); n += len; }
        p += len;
        shown++;
    }
    buf[n] = '\0';
    return buf;
}
