/* text.h: small text helpers shared by the readers: UTF-8 checks, strict number parsing,
 * case-insensitive comparison and trimming. Pure functions, no allocation. */
#ifndef RMCT_TEXT_H
#define RMCT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the longest valid UTF-8 prefix of s[0..len); equals len when all of s is valid.
 * Overlong forms, surrogates and code points above U+10FFFF are invalid. */
size_t rmct_utf8_valid_prefix(const char *s, size_t len);

/* Number of UTF-8 characters in s[0..len) (continuation bytes are not counted). */
long rmct_utf8_chars(const char *s, size_t len);

/* Parse a whole field as a finite decimal number. Leading/trailing blanks are allowed; with
 * allow_thousands, commas between digit groups are too ("1,270"). Rejects "", "1e", "0x10",
 * "inf", "nan", "12abc". Returns true and sets *out on success. */
bool rmct_parse_double(const char *text, bool allow_thousands, double *out);

/* Parse a whole field as a base-10 integer in [min, max]. */
bool rmct_parse_long(const char *text, long min, long max, long *out);

/* ASCII case-insensitive equality. */
bool rmct_streq_nocase(const char *a, const char *b);

/* Trim ASCII blanks (space, tab) at both ends in place; returns s. */
char *rmct_trim(char *s);

/* Copy src into dst of size n, always NUL-terminated; returns dst. */
char *rmct_strlcpy(char *dst, const char *src, size_t n);

#endif
