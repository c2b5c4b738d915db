/* test_text.c: unit tests for lib/text.h: UTF-8 validation and character counting, strict number
 * parsing (rmct_parse_double, rmct_parse_long), case-insensitive comparison, trimming and
 * rmct_strlcpy. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

/* rmct_utf8_valid_prefix on a NUL-free string literal. */
static size_t valid(const char *s) { return rmct_utf8_valid_prefix(s, strlen(s)); }

static void test_utf8_valid_sequences(void **state)
{
    (void)state;
    assert_int_equal(valid(""), 0);
    assert_int_equal(valid("plain ASCII, 123"), 16);
    assert_int_equal(valid("\xC2\x80"), 2);             /* U+0080, smallest 2-byte */
    assert_int_equal(valid("caf\xC3\xA9"), 5);          /* é */
    assert_int_equal(valid("\xE0\xA0\x80"), 3);         /* U+0800, smallest 3-byte */
    assert_int_equal(valid("\xE2\x82\xAC"), 3);         /* € */
    assert_int_equal(valid("\xED\x9F\xBF"), 3);         /* U+D7FF, just below the surrogates */
    assert_int_equal(valid("\xEE\x80\x80"), 3);         /* U+E000, just above them */
    assert_int_equal(valid("\xED\x85\x85\xEC\x8A\xA4"), 6); /* Korean 텅스 */
    assert_int_equal(valid("\xF0\x90\x80\x80"), 4);     /* U+10000, smallest 4-byte */
    assert_int_equal(valid("\xF0\x9F\x98\x80"), 4);     /* emoji */
    assert_int_equal(valid("\xF4\x8F\xBF\xBF"), 4);     /* U+10FFFF, the last code point */
}

static void test_utf8_overlong_rejected(void **state)
{
    (void)state;
    assert_int_equal(valid("a\xC0\x80"), 1);             /* overlong NUL */
    assert_int_equal(valid("a\xC1\xBF"), 1);             /* overlong U+007F */
    assert_int_equal(valid("ab\xE0\x80\x80"), 2);        /* overlong 3-byte */
    assert_int_equal(valid("\xE0\x9F\xBF"), 0);          /* overlong U+07FF */
    assert_int_equal(valid("\xF0\x8F\xBF\xBF"), 0);      /* overlong U+FFFF */
}

static void test_utf8_surrogates_and_range(void **state)
{
    (void)state;
    assert_int_equal(valid("x\xED\xA0\x80"), 1);         /* U+D800 */
    assert_int_equal(valid("\xED\xBF\xBF"), 0);          /* U+DFFF */
    assert_int_equal(valid("ok\xF4\x90\x80\x80"), 2);    /* U+110000 */
    assert_int_equal(valid("\xF5\x80\x80\x80"), 0);      /* lead byte beyond F4 */
    assert_int_equal(valid("\xFF"), 0);
}

static void test_utf8_bad_continuation(void **state)
{
    (void)state;
    assert_int_equal(valid("\x80"), 0);                  /* lone continuation byte */
    assert_int_equal(valid("ab\xC3\x28"), 2);            /* continuation expected, got '(' */
    assert_int_equal(valid("\xE2\x82\x28"), 0);
    assert_int_equal(valid("ok\xC0\x80ok"), 2);          /* stops at the first bad byte */
}

static void test_utf8_truncated_at_end(void **state)
{
    (void)state;
    assert_int_equal(valid("ab\xC3"), 2);
    assert_int_equal(valid("ab\xE2\x82"), 2);
    assert_int_equal(valid("ab\xF0\x9F\x98"), 2);
    /* the length argument, not the NUL, bounds the check */
    assert_int_equal(rmct_utf8_valid_prefix("\xC3\xA9", 1), 0);
    assert_int_equal(rmct_utf8_valid_prefix("a\xE2\x82\xAC", 3), 1);
}

static void test_utf8_chars(void **state)
{
    (void)state;
    const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"; /* a é € emoji: 10 bytes */
    assert_int_equal(strlen(s), 10);
    assert_int_equal(rmct_utf8_chars(s, strlen(s)), 4);
    assert_int_equal(rmct_utf8_chars("", 0), 0);
    assert_int_equal(rmct_utf8_chars("abc", 3), 3);
    assert_int_equal(rmct_utf8_chars(s, 3), 2); /* a and é */
}

/* rmct_parse_double must succeed and give want exactly. */
static void parses_to(const char *text, bool thousands, double want)
{
    double v = -12345.678;
    if (!rmct_parse_double(text, thousands, &v)) fail_msg("rmct_parse_double rejected \"%s\"", text);
    if (v != want) fail_msg("rmct_parse_double(\"%s\") = %.17g, want %.17g", text, v, want);
}

/* rmct_parse_double must reject text. */
static void rejects(const char *text, bool thousands)
{
    double v = 0;
    if (rmct_parse_double(text, thousands, &v))
        fail_msg("rmct_parse_double accepted \"%s\" (thousands %d) as %.17g", text, thousands, v);
}

static void test_parse_double_plain(void **state)
{
    (void)state;
    parses_to("42", false, 42);
    parses_to("0", false, 0);
    parses_to("3.25", false, 3.25);
    parses_to("+1.5", false, 1.5);
    parses_to("-2.5", false, -2.5);
    parses_to(".5", false, 0.5);
    parses_to("1e3", false, 1000);
    parses_to("1.5E-2", false, 0.015);
    parses_to("2e+2", false, 200);
    parses_to("  7 ", false, 7);
    parses_to("\t8\t", false, 8);
    parses_to("1234567", true, 1234567); /* no separators needed with allow_thousands */
}

static void test_parse_double_thousands(void **state)
{
    (void)state;
    parses_to("1,270", true, 1270);
    parses_to("1,234,567.5", true, 1234567.5);
    parses_to("-12,000", true, -12000);
    parses_to("999,999", true, 999999);
    rejects("1,270", false);
    rejects("1,234,567.5", false);
}

static void test_parse_double_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {"", " ", "\t", "1e", "1e+", "e5", "0x10", "inf", "-inf", "nan",
                                      "NaN", "12abc", "1 2", "+", "-", ".", "--1", "1.2.3",
                                      "1e999", "-1e999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rejects(bad[i], false);
        rejects(bad[i], true);
    }
    /* thousands groups: first 1-3 digits, then exactly 3 */
    static const char *const bad_groups[] = {"1,23", "1,2345", ",123", "1,,234", "1234,567",
                                             "1,234,56", "1,", "1,23.5", "1.234,5"};
    for (size_t i = 0; i < sizeof bad_groups / sizeof bad_groups[0]; i++) rejects(bad_groups[i], true);
}

static void test_parse_long(void **state)
{
    (void)state;
    long v = 0;
    assert_true(rmct_parse_long("2024", 1800, 2200, &v));
    assert_int_equal(v, 2024);
    assert_true(rmct_parse_long(" -5 ", -10, 10, &v));
    assert_int_equal(v, -5);
    assert_true(rmct_parse_long("0", 0, 1, &v));
    assert_int_equal(v, 0);
    /* bounds are inclusive */
    assert_true(rmct_parse_long("1800", 1800, 2200, &v));
    assert_int_equal(v, 1800);
    assert_true(rmct_parse_long("2200", 1800, 2200, &v));
    assert_int_equal(v, 2200);
    assert_false(rmct_parse_long("1799", 1800, 2200, &v));
    assert_false(rmct_parse_long("2201", 1800, 2200, &v));
    assert_false(rmct_parse_long("-1", 0, 1, &v));
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", LONG_MAX);
    assert_true(rmct_parse_long(buf, 0, LONG_MAX, &v));
    assert_true(v == LONG_MAX);
    assert_false(rmct_parse_long("99999999999999999999999", LONG_MIN, LONG_MAX, &v)); /* overflow */
    assert_false(rmct_parse_long("-99999999999999999999999", LONG_MIN, LONG_MAX, &v));
}

static void test_parse_long_junk(void **state)
{
    (void)state;
    static const char *const bad[] = {"", " ", "abc", "12abc", "1.5", "1e3", "0x10", "- 5", "5 5", "--5", "-"};
    long v = 777;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (rmct_parse_long(bad[i], LONG_MIN, LONG_MAX, &v))
            fail_msg("rmct_parse_long accepted \"%s\" as %ld", bad[i], v);
}

static void test_streq_nocase(void **state)
{
    (void)state;
    assert_true(rmct_streq_nocase("Tungsten", "tUNGSTEN"));
    assert_true(rmct_streq_nocase("REE", "ree"));
    assert_true(rmct_streq_nocase("", ""));
    assert_false(rmct_streq_nocase("abc", "abd"));
    assert_false(rmct_streq_nocase("abc", "abcd"));
    assert_false(rmct_streq_nocase("abcd", "abc"));
    assert_false(rmct_streq_nocase("", "a"));
    assert_false(rmct_streq_nocase("\xC3\x89", "\xC3\xA9")); /* É vs é: ASCII folding only */
}

static void test_trim(void **state)
{
    (void)state;
    char a[] = "  a b \t";
    assert_ptr_equal(rmct_trim(a), a);
    assert_string_equal(a, "a b");
    char b[] = "\tx";
    assert_string_equal(rmct_trim(b), "x");
    char c[] = "   ";
    assert_string_equal(rmct_trim(c), "");
    char d[] = "";
    assert_string_equal(rmct_trim(d), "");
    char e[] = "x\n"; /* only spaces and tabs are blanks */
    assert_string_equal(rmct_trim(e), "x\n");
    char f[] = "no-blanks";
    assert_string_equal(rmct_trim(f), "no-blanks");
}

static void test_strlcpy(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    assert_ptr_equal(rmct_strlcpy(buf, "abc", sizeof buf), buf);
    assert_string_equal(buf, "abc");

    char small[4];
    rmct_strlcpy(small, "abcdef", sizeof small); /* truncated, still terminated */
    assert_string_equal(small, "abc");
    rmct_strlcpy(small, "xyz", sizeof small);    /* exact fit */
    assert_string_equal(small, "xyz");

    char one[1] = {'Q'};
    rmct_strlcpy(one, "abc", 1);
    assert_int_equal(one[0], '\0');

    char untouched[2] = {'Q', 'R'};
    rmct_strlcpy(untouched, "abc", 0); /* n == 0 writes nothing */
    assert_int_equal(untouched[0], 'Q');
    assert_int_equal(untouched[1], 'R');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid_sequences),
        cmocka_unit_test(test_utf8_overlong_rejected),
        cmocka_unit_test(test_utf8_surrogates_and_range),
        cmocka_unit_test(test_utf8_bad_continuation),
        cmocka_unit_test(test_utf8_truncated_at_end),
        cmocka_unit_test(test_utf8_chars),
        cmocka_unit_test(test_parse_double_plain),
        cmocka_unit_test(test_parse_double_thousands),
        cmocka_unit_test(test_parse_double_rejects),
        cmocka_unit_test(test_parse_long),
        cmocka_unit_test(test_parse_long_junk),
        cmocka_unit_test(test_streq_nocase),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_strlcpy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
