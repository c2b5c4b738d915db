/* error.h: the one error type of librmct.
 *
 * Every fallible library function takes an `rmct_error *err` as its last argument, returns an
 * rmct_code (RMCT_OK == 0 on success) and, on failure, fills *err with the code, a message and,
 * when the failure is tied to input, its location (file, line, column, field). The library never
 * prints and never exits; programs decide how to show the error (see rmct_error_format). */
#ifndef RMCT_ERROR_H
#define RMCT_ERROR_H

#include <stddef.h>

typedef enum {
    RMCT_OK = 0,
    RMCT_E_NOMEM,     /* out of memory */
    RMCT_E_IO,        /* a file could not be opened, read or written */
    RMCT_E_DB,        /* the database refused an operation */
    RMCT_E_INPUT,     /* bad input data: the location says where */
    RMCT_E_ARG,       /* a bad argument (unknown metal, bad option value, ...) */
    RMCT_E_NOTFOUND,  /* a named thing does not exist */
    RMCT_E_CONFLICT,  /* the operation conflicts with what is stored */
    RMCT_E_SCHEMA,    /* the database schema is newer than this program or damaged */
    RMCT_E_CANCELLED, /* a long computation was cancelled by its caller */
    RMCT_E__COUNT
} rmct_code;

typedef struct {
    rmct_code code;
    char file[512];   /* input file, "" if none */
    long line;        /* 1-based, 0 if none */
    long col;         /* 1-based character column, 0 if none */
    char field[64];   /* column/field name, "" if none */
    char msg[1024];   /* what went wrong, e.g. "expected a number, got \"abc\"" */
} rmct_error;

/* A short, fixed description of a code ("bad input", "database error", ...). */
const char *rmct_strerror(rmct_code code);

/* Reset *err to RMCT_OK with no location. err may be NULL. */
void rmct_error_clear(rmct_error *err);

/* Set code and a printf-style message, keeping any location already set; returns code.
 * err may be NULL (the error is then only returned). */
rmct_code rmct_error_set(rmct_error *err, rmct_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Set an input error at file:line:col (field may be NULL); returns RMCT_E_INPUT. */
rmct_code rmct_error_at(rmct_error *err, const char *file, long line, long col, const char *field,
                        const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Write "FILE:LINE:COL: FIELD: MESSAGE" (parts that are unset are left out) into buf. */
void rmct_error_format(const rmct_error *err, char *buf, size_t size);

/* Quote up to 40 characters of text for an error message, escaping control bytes, into buf. */
const char *rmct_error_quote(const char *text, char *buf, size_t size);

#endif
