/* test_error.c: unit tests for lib/error.h: setting errors (rmct_error_set, rmct_error_at,
 * rmct_error_clear), formatting them as "FILE:LINE:COL: FIELD: MESSAGE" (rmct_error_format),
 * quoting text for messages (rmct_error_quote) and the code descriptions (rmct_strerror). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "error.h"
#include "text.h"

/* rmct_error_format into a buffer large enough for any of these tests. */
static const char *formatted(const rmct_error *err)
{
    static char buf[2048];
    rmct_error_format(err, buf, sizeof buf);
    return buf;
}

static void test_error_at_sets_location(void **state)
{
    (void)state;
    rmct_error err;
    rmct_error_clear(&err);
    assert_int_equal(rmct_error_at(&err, "data/x.csv", 3, 7, "value", "expected a number, got \"%s\"", "abc"),
                     RMCT_E_INPUT);
    assert_int_equal(err.code, RMCT_E_INPUT);
    assert_string_equal(err.file, "data/x.csv");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 7);
    assert_string_equal(err.field, "value");
    assert_string_equal(err.msg, "expected a number, got \"abc\"");
    assert_int_equal(rmct_error_at(NULL, "f", 1, 1, NULL, "x"), RMCT_E_INPUT);
}

static void test_error_set_keeps_location(void **state)
{
    (void)state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_error_at(&err, "a.csv", 2, 4, NULL, "first");
    assert_int_equal(rmct_error_set(&err, RMCT_E_CONFLICT, "now %d", 42), RMCT_E_CONFLICT);
    assert_int_equal(err.code, RMCT_E_CONFLICT);
    assert_string_equal(err.msg, "now 42");
    assert_string_equal(err.file, "a.csv");
    assert_int_equal(err.line, 2);
    assert_int_equal(rmct_error_set(NULL, RMCT_E_IO, "ignored"), RMCT_E_IO);

    rmct_error_clear(&err);
    assert_int_equal(err.code, RMCT_OK);
    assert_string_equal(err.file, "");
    assert_int_equal(err.line, 0);
    assert_string_equal(err.msg, "");
    rmct_error_clear(NULL); /* allowed */
}

static void test_format_full(void **state)
{
    (void)state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_error_at(&err, "data/x.csv", 3, 7, "value", "expected a number");
    assert_string_equal(formatted(&err), "data/x.csv:3:7: value: expected a number");
}

static void test_format_partial_locations(void **state)
{
    (void)state;
    rmct_error err;

    rmct_error_clear(&err);
    rmct_error_at(&err, "f.csv", 3, 0, NULL, "bad row");
    assert_string_equal(formatted(&err), "f.csv:3: bad row");

    rmct_error_clear(&err);
    rmct_error_at(&err, "f.csv", 0, 0, NULL, "bad file");
    assert_string_equal(formatted(&err), "f.csv: bad file");

    rmct_error_clear(&err); /* a column without a line is not shown */
    rmct_error_at(&err, "f.csv", 0, 5, NULL, "odd");
    assert_string_equal(formatted(&err), "f.csv: odd");

    rmct_error_clear(&err);
    rmct_error_at(&err, "f.csv", 0, 0, "unit", "unit mismatch");
    assert_string_equal(formatted(&err), "f.csv: unit: unit mismatch");

    rmct_error_clear(&err); /* no file: line and column are not shown either */
    rmct_error_at(&err, NULL, 4, 2, "year", "expected a year");
    assert_string_equal(formatted(&err), "year: expected a year");

    rmct_error_clear(&err);
    rmct_error_set(&err, RMCT_E_ARG, "unknown metal");
    assert_string_equal(formatted(&err), "unknown metal");
}

static void test_format_without_message_uses_strerror(void **state)
{
    (void)state;
    rmct_error err;
    rmct_error_clear(&err);
    err.code = RMCT_E_DB;
    assert_string_equal(formatted(&err), "database error");
    rmct_strlcpy(err.file, "x.db", sizeof err.file);
    assert_string_equal(formatted(&err), "x.db: database error");
}

static void test_format_truncates_safely(void **state)
{
    (void)state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_error_at(&err, "data/x.csv", 3, 7, "value", "expected a number");
    char small[8];
    memset(small, 'Z', sizeof small);
    rmct_error_format(&err, small, sizeof small);
    assert_string_equal(small, "data/x."); /* cut to fit, terminated */
    char tiny[12];
    rmct_error_format(&err, tiny, sizeof tiny); /* cut inside the ":3:7" part */
    assert_string_equal(tiny, "data/x.csv:");
}

/* rmct_error_quote into a 256-byte buffer. */
static const char *quoted(const char *text)
{
    static char buf[256];
    const char *r = rmct_error_quote(text, buf, sizeof buf);
    assert_ptr_equal(r, buf);
    return buf;
}

static void test_quote_escapes(void **state)
{
    (void)state;
    assert_string_equal(quoted("plain"), "plain");
    assert_string_equal(quoted(""), "");
    assert_string_equal(quoted("say \"hi\""), "say \\\"hi\\\"");
    assert_string_equal(quoted("a\\b"), "a\\\\b");
    assert_string_equal(quoted("a\tb\n"), "a\\x09b\\x0A");
    assert_string_equal(quoted("\x01\x1F\x7F"), "\\x01\\x1F\\x7F");
    assert_string_equal(quoted("caf\xC3\xA9"), "caf\xC3\xA9"); /* UTF-8 passes through */
}

static void test_quote_cuts_after_40_characters(void **state)
{
    (void)state;
    const char *forty = "0123456789012345678901234567890123456789";
    assert_int_equal(strlen(forty), 40);
    assert_string_equal(quoted(forty), forty); /* exactly 40: shown whole */

    char longer[64];
    memcpy(longer, forty, 40);
    memcpy(longer + 40, "ABCDEF", 7);
    char want[64];
    memcpy(want, forty, 40);
    memcpy(want + 40, "...", 4);
    assert_string_equal(quoted(longer), want);

    /* characters, not bytes: 41 two-byte 'é' keep 40 of them */
    char e41[128] = "", e40[128] = "";
    for (int i = 0; i < 41; i++) strcat(e41, "\xC3\xA9");
    for (int i = 0; i < 40; i++) strcat(e40, "\xC3\xA9");
    strcat(e40, "...");
    assert_string_equal(quoted(e41), e40);

    /* an escaped character counts once */
    char quotes[64];
    memset(quotes, '"', 41);
    quotes[41] = '\0';
    const char *q = quoted(quotes);
    assert_int_equal(strlen(q), 40 * 2 + 3);
    assert_memory_equal(q + 80, "...", 4);
}

static void test_quote_small_buffer(void **state)
{
    (void)state;
    char buf[7];
    memset(buf, 'Z', sizeof buf);
    rmct_error_quote("anything", buf, sizeof buf);
    assert_string_equal(buf, "");
    char buf16[16];
    rmct_error_quote("0123456789abcdefghij", buf16, sizeof buf16);
    size_t len = strlen(buf16);
    assert_true(len > 3 && len < sizeof buf16); /* cut to fit, terminated, and says so */
    assert_string_equal(buf16 + len - 3, "...");
    assert_int_equal(strncmp(buf16, "0123456789abcdefghij", len - 3), 0);
}

/* Regression (fixed): when the buffer fills before 40 characters, rmct_error_quote stops in the middle of a
 * multi-byte UTF-8 character and adds no "...": the message shows invalid UTF-8 and does not say
 * the text was cut. The library quotes user text into 64-byte buffers (rmct_registry_metal,
 * rmct_registry_country), so `rmct show` with a 30-character Korean name prints a broken
 * character. Expected: the output stays valid UTF-8 and ends with "..." when text was dropped. */
static void test_quote_full_buffer_keeps_utf8_whole(void **state)
{
    (void)state;
    char korean[128] = "";
    for (int i = 0; i < 30; i++) strcat(korean, "\xED\x85\x85"); /* 텅 × 30, 90 bytes */
    char buf[64];
    rmct_error_quote(korean, buf, sizeof buf);
    size_t len = strlen(buf);
    assert_true(len < sizeof buf);
    assert_int_equal(rmct_utf8_valid_prefix(buf, len), len);
    assert_true(len >= 3 && strcmp(buf + len - 3, "...") == 0);
}

static void test_strerror_every_code(void **state)
{
    (void)state;
    static const struct {
        rmct_code code;
        const char *text;
    } want[] = {
        {RMCT_OK, "success"},
        {RMCT_E_NOMEM, "out of memory"},
        {RMCT_E_IO, "input/output error"},
        {RMCT_E_DB, "database error"},
        {RMCT_E_INPUT, "bad input"},
        {RMCT_E_ARG, "bad argument"},
        {RMCT_E_NOTFOUND, "not found"},
        {RMCT_E_CONFLICT, "conflict"},
        {RMCT_E_SCHEMA, "schema error"},
        {RMCT_E_CANCELLED, "cancelled"},
    };
    assert_int_equal(sizeof want / sizeof want[0], RMCT_E__COUNT); /* a new code needs a line here */
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_non_null(rmct_strerror(want[i].code));
        assert_string_equal(rmct_strerror(want[i].code), want[i].text);
    }
}

static void test_strerror_out_of_range(void **state)
{
    (void)state;
    assert_string_equal(rmct_strerror(RMCT_E__COUNT), "unknown error");
    assert_string_equal(rmct_strerror((rmct_code)(RMCT_E__COUNT + 7)), "unknown error");
    assert_string_equal(rmct_strerror((rmct_code)-1), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_at_sets_location),
        cmocka_unit_test(test_error_set_keeps_location),
        cmocka_unit_test(test_format_full),
        cmocka_unit_test(test_format_partial_locations),
        cmocka_unit_test(test_format_without_message_uses_strerror),
        cmocka_unit_test(test_format_truncates_safely),
        cmocka_unit_test(test_quote_escapes),
        cmocka_unit_test(test_quote_cuts_after_40_characters),
        cmocka_unit_test(test_quote_small_buffer),
        cmocka_unit_test(test_quote_full_buffer_keeps_utf8_whole),
        cmocka_unit_test(test_strerror_every_code),
        cmocka_unit_test(test_strerror_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
