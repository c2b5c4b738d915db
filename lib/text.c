/* text.c: text helpers (see text.h). */
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t rmct_utf8_valid_prefix(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t need;
        unsigned min;
        if (c >= 0xC2 && c <= 0xDF) { need = 1; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { need = 2; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { need = 3; min = 0x10000; }
        else return i;
        if (need > len - i - 1) return i; /* truncated sequence */
        unsigned cp = c & (0x3F >> need);
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += need + 1;
    }
    return i;
}

long rmct_utf8_chars(const char *s, size_t len)
{
    long n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

/* Copies the number's characters into buf, dropping valid thousands separators. */
static bool normalise_number(const char *text, bool allow_thousands, char *buf, size_t size)
{
    while (*text == ' ' || *text == '\t') text++;
    size_t end = strlen(text);
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) end--;
    if (end == 0 || end >= size) return false;
    size_t n = 0, i = 0;
    if (text[i] == '+' || text[i] == '-') buf[n++] = text[i++];
    size_t digits = 0, group = 0;
    bool seen_comma = false, seen_dot = false, seen_exp = false;
    for (; i < end; i++) {
        char c = text[i];
        if (isdigit((unsigned char)c)) { buf[n++] = c; digits++; group++; continue; }
        if (c == ',' && allow_thousands && !seen_dot && !seen_exp) {
            /* first group 1-3 digits, later groups exactly 3 */
            if (group == 0 || group > 3 || (seen_comma && group != 3)) return false;
            seen_comma = true;
            group = 0;
            continue;
        }
        if (c == '.' && !seen_dot && !seen_exp) {
            if (seen_comma && group != 3) return false;
            seen_dot = true;
            seen_comma = false;
            buf[n++] = c;
            continue;
        }
        if ((c == 'e' || c == 'E') && !seen_exp && digits > 0) {
            if (seen_comma && group != 3) return false;
            seen_exp = true;
            seen_comma = false;
            buf[n++] = c;
            if (i + 1 < end && (text[i + 1] == '+' || text[i + 1] == '-')) buf[n++] = text[++i];
            if (i + 1 >= end) return false;
            continue;
        }
        return false;
    }
    if (seen_comma && group != 3) return false;
    if (digits == 0) return false;
    buf[n] = '\0';
    return true;
}

bool rmct_parse_double(const char *text, bool allow_thousands, double *out)
{
    char buf[128];
    if (!normalise_number(text, allow_thousands, buf, sizeof buf)) return false;
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v)) return false;
    *out = v;
    return true;
}

bool rmct_parse_long(const char *text, long min, long max, long *out)
{
    while (*text == ' ' || *text == '\t') text++;
    if (!*text) return false;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    while (*end == ' ' || *end == '\t') end++;
    if (*end != '\0' || errno == ERANGE || v < min || v > max) return false;
    if (!isdigit((unsigned char)text[0]) && !((text[0] == '-' || text[0] == '+') && isdigit((unsigned char)text[1])))
        return false;
    *out = v;
    return true;
}

bool rmct_streq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
    return *a == *b;
}

char *rmct_trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    size_t k = 0;
    while (s[k] == ' ' || s[k] == '\t') k++;
    if (k) memmove(s, s + k, n - k + 1);
    return s;
}

char *rmct_strlcpy(char *dst, const char *src, size_t n)
{
    if (n == 0) return dst;
    size_t len = strlen(src);
    if (len >= n) len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
    return dst;
}
