/* test_csv.c: unit tests for lib/csv.h, the streaming CSV reader: quoting ("" escapes, commas
 * and newlines inside quotes), LF/CRLF/CR line ends, the byte-order mark, blank lines, header
 * binding, and the errors (field count, unterminated quote, NUL byte, invalid UTF-8, empty file)
 * with the line and column they point at. Each test writes a small temporary file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "error.h"

/* Per test: the temporary file, the reader on it and the last error. */
typedef struct {
    char path[64];
    rmct_csv *csv;
    rmct_error err;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    rmct_error_clear(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rmct_csv_close(f->csv);
    if (f->path[0]) unlink(f->path);
    free(f);
    return 0;
}

/* Write len bytes to a new temporary file and open a reader on it, shown as "t.csv". */
static void open_bytes(fixture *f, const char *data, size_t len)
{
    const char *dir = getenv("TMPDIR");
    snprintf(f->path, sizeof f->path, "%s/rmct-csv-XXXXXX", dir && strlen(dir) < 40 ? dir : "/tmp");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
    assert_int_equal(rmct_csv_open(&f->csv, f->path, "t.csv", &f->err), RMCT_OK);
}
/* For string literals, which may hold NUL bytes. */
#define OPEN(f, literal) open_bytes((f), (literal), sizeof(literal) - 1)

/* Read the header with every named column required and extra columns refused. */
static void header2(fixture *f, const char *a, const char *b)
{
    const rmct_csv_colspec spec[] = {{a, true}, {b, true}};
    int idx[2];
    assert_int_equal(rmct_csv_header(f->csv, spec, 2, idx, false, &f->err), RMCT_OK);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 1);
}

/* The next record must exist. */
static void next_ok(fixture *f)
{
    bool got = false;
    assert_int_equal(rmct_csv_next(f->csv, &got, &f->err), RMCT_OK);
    assert_true(got);
}

/* The file must be at its end. */
static void at_end(fixture *f)
{
    bool got = true;
    assert_int_equal(rmct_csv_next(f->csv, &got, &f->err), RMCT_OK);
    assert_false(got);
}

/* The next record must fail with an input error at line:col. */
static void next_fails_at(fixture *f, long line, long col)
{
    bool got;
    assert_int_equal(rmct_csv_next(f->csv, &got, &f->err), RMCT_E_INPUT);
    assert_int_equal(f->err.code, RMCT_E_INPUT);
    assert_string_equal(f->err.file, "t.csv");
    assert_int_equal(f->err.line, line);
    assert_int_equal(f->err.col, col);
}

/* Field i of the current record has this text and starts at line:col. */
static void field_is(fixture *f, int i, const char *text, long line, long col)
{
    assert_string_equal(rmct_csv_get(f->csv, i), text);
    assert_int_equal(rmct_csv_line(f->csv, i), line);
    assert_int_equal(rmct_csv_col(f->csv, i), col);
}

static void test_quoted_fields(void **state)
{
    fixture *f = *state;
    /* line 2: "x,1" is cols 1-5; "say ""hi""" is cols 7-18; plain starts at col 20 */
    OPEN(f, "a,b,c\n\"x,1\",\"say \"\"hi\"\"\",plain\n");
    const rmct_csv_colspec spec[] = {{"a", true}, {"b", true}, {"c", true}};
    int idx[3];
    assert_int_equal(rmct_csv_header(f->csv, spec, 3, idx, false, &f->err), RMCT_OK);
    next_ok(f);
    assert_int_equal(rmct_csv_count(f->csv), 3);
    field_is(f, 0, "x,1", 2, 1);
    field_is(f, 1, "say \"hi\"", 2, 7);
    field_is(f, 2, "plain", 2, 20);
    at_end(f);
}

static void test_quoted_newline_positions(void **state)
{
    fixture *f = *state;
    /* the record on lines 2-3 starts with a quoted field holding a newline; on line 3,
     * 'line",' is cols 1-6, so "after" starts at col 7 and "z" at col 13 */
    OPEN(f, "a,b,c\n\"multi\nline\",after,\"z\"\nnext,row,here\n");
    const rmct_csv_colspec spec[] = {{"a", true}, {"b", true}, {"c", true}};
    int idx[3];
    assert_int_equal(rmct_csv_header(f->csv, spec, 3, idx, false, &f->err), RMCT_OK);
    next_ok(f);
    field_is(f, 0, "multi\nline", 2, 1);
    field_is(f, 1, "after", 3, 7);
    field_is(f, 2, "z", 3, 13);
    next_ok(f);
    field_is(f, 0, "next", 4, 1);
    field_is(f, 2, "here", 4, 10);
    at_end(f);
}

static void test_empty_and_quoted_empty_fields(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b,c\n,\"\",\n");
    const rmct_csv_colspec spec[] = {{"a", true}, {"b", true}, {"c", true}};
    int idx[3];
    assert_int_equal(rmct_csv_header(f->csv, spec, 3, idx, false, &f->err), RMCT_OK);
    next_ok(f);
    assert_int_equal(rmct_csv_count(f->csv), 3);
    field_is(f, 0, "", 2, 1);
    field_is(f, 1, "", 2, 2);
    field_is(f, 2, "", 2, 5);
    assert_string_equal(rmct_csv_get(f->csv, 3), "");  /* out of range */
    assert_string_equal(rmct_csv_get(f->csv, -1), ""); /* absent optional column */
}

static void test_crlf(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\r\n1,2\r\n\r\n\"3\r\n3\",4\r\n");
    header2(f, "a", "b");
    next_ok(f);
    field_is(f, 0, "1", 2, 1);
    field_is(f, 1, "2", 2, 3); /* no CR left in the last field */
    next_ok(f);                /* the blank line 3 is skipped */
    field_is(f, 0, "3\r\n3", 4, 1);
    field_is(f, 1, "4", 5, 4); /* a CRLF inside quotes is one line end */
    at_end(f);
}

static void test_lone_cr(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\r1,2\r\r3,4");
    header2(f, "a", "b");
    next_ok(f);
    field_is(f, 1, "2", 2, 3);
    next_ok(f);
    field_is(f, 0, "3", 4, 1);
    field_is(f, 1, "4", 4, 3);
    at_end(f);
}

static void test_bom_skipped(void **state)
{
    fixture *f = *state;
    OPEN(f, "\xEF\xBB\xBFname,value\nx,1\n");
    header2(f, "name", "value");
    assert_string_equal(rmct_csv_colname(f->csv, 0), "name");
    next_ok(f);
    field_is(f, 0, "x", 2, 1);
    field_is(f, 1, "1", 2, 3);
    at_end(f);
}

static void test_blank_lines_skipped(void **state)
{
    fixture *f = *state;
    OPEN(f, "\n\na,b\n\n1,2\n\n\n3,4\n\n");
    header2(f, "a", "b");
    next_ok(f);
    field_is(f, 0, "1", 5, 1);
    next_ok(f);
    field_is(f, 0, "3", 8, 1);
    at_end(f);
}

static void test_no_final_newline(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\n1,2\n3,\"4\"");
    header2(f, "a", "b");
    next_ok(f);
    next_ok(f);
    field_is(f, 0, "3", 3, 1);
    field_is(f, 1, "4", 3, 3);
    at_end(f);
    at_end(f); /* stays at the end */
}

static void test_header_binding(void **state)
{
    fixture *f = *state;
    OPEN(f, " Year ,METAL,\tvalue\nx,y,z\n");
    const rmct_csv_colspec spec[] = {{"metal", true}, {"note", false}, {"year", true}, {"value", false}};
    int idx[4];
    assert_int_equal(rmct_csv_header(f->csv, spec, 4, idx, false, &f->err), RMCT_OK);
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], -1); /* optional and absent */
    assert_int_equal(idx[2], 0);
    assert_int_equal(idx[3], 2);
    assert_string_equal(rmct_csv_colname(f->csv, 0), "Year"); /* trimmed */
    assert_string_equal(rmct_csv_colname(f->csv, 2), "value");
    assert_string_equal(rmct_csv_colname(f->csv, 3), "");
    assert_string_equal(rmct_csv_name(f->csv), "t.csv");
    next_ok(f);
    assert_string_equal(rmct_csv_get(f->csv, idx[0]), "y");
    assert_string_equal(rmct_csv_get(f->csv, idx[1]), "");
}

static void test_header_unknown_column(void **state)
{
    fixture *f = *state;
    OPEN(f, "metal,colour,year\n");
    const rmct_csv_colspec spec[] = {{"metal", true}, {"year", true}};
    int idx[2];
    assert_int_equal(rmct_csv_header(f->csv, spec, 2, idx, false, &f->err), RMCT_E_INPUT);
    assert_int_equal(f->err.line, 1);
    assert_int_equal(f->err.col, 7);
    assert_non_null(strstr(f->err.msg, "\"colour\""));
}

static void test_header_unknown_column_allowed(void **state)
{
    fixture *f = *state;
    OPEN(f, "metal,colour,year\nW,grey,2024\n");
    const rmct_csv_colspec spec[] = {{"metal", true}, {"year", true}};
    int idx[2];
    assert_int_equal(rmct_csv_header(f->csv, spec, 2, idx, true, &f->err), RMCT_OK);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 2);
    next_ok(f);
    assert_int_equal(rmct_csv_count(f->csv), 3);
    assert_string_equal(rmct_csv_get(f->csv, idx[1]), "2024");
}

static void test_header_missing_required(void **state)
{
    fixture *f = *state;
    OPEN(f, "metal,note\n");
    const rmct_csv_colspec spec[] = {{"metal", true}, {"year", true}, {"note", false}};
    int idx[3];
    assert_int_equal(rmct_csv_header(f->csv, spec, 3, idx, false, &f->err), RMCT_E_INPUT);
    assert_int_equal(f->err.code, RMCT_E_INPUT);
    assert_int_equal(f->err.line, 1);
    assert_non_null(strstr(f->err.msg, "\"year\""));
}

static void test_header_duplicate(void **state)
{
    fixture *f = *state;
    OPEN(f, "metal,year, Metal \n"); /* the second metal starts at col 12 */
    const rmct_csv_colspec spec[] = {{"metal", true}, {"year", true}};
    int idx[2];
    assert_int_equal(rmct_csv_header(f->csv, spec, 2, idx, false, &f->err), RMCT_E_INPUT);
    assert_int_equal(f->err.line, 1);
    assert_int_equal(f->err.col, 12);
    assert_non_null(strstr(f->err.msg, "twice"));
}

/* Regression (fixed): csv.h says "a duplicated column name ... is an error at line 1" and keeps "unless
 * allow_extra" for unknown columns only, but a duplicated column that is not in the spec is
 * accepted when allow_extra is true. */
static void test_header_duplicate_extra_column(void **state)
{
    fixture *f = *state;
    OPEN(f, "metal,note,year,note\n");
    const rmct_csv_colspec spec[] = {{"metal", true}, {"year", true}};
    int idx[2];
    assert_int_equal(rmct_csv_header(f->csv, spec, 2, idx, true, &f->err), RMCT_E_INPUT);
    assert_int_equal(f->err.line, 1);
    assert_int_equal(f->err.col, 17);
}

static void test_field_count_too_few(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b,c\n1,2,3\n4,55\n");
    const rmct_csv_colspec spec[] = {{"a", true}, {"b", true}, {"c", true}};
    int idx[3];
    assert_int_equal(rmct_csv_header(f->csv, spec, 3, idx, false, &f->err), RMCT_OK);
    next_ok(f);
    next_fails_at(f, 3, 5); /* just past "55" */
    assert_non_null(strstr(f->err.msg, "expected 3 fields"));
    assert_non_null(strstr(f->err.msg, "got 2"));
}

static void test_field_count_too_many(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\n1,2\n\n3,4,5\n");
    header2(f, "a", "b");
    next_ok(f);
    next_fails_at(f, 4, 5); /* the first extra field */
    assert_non_null(strstr(f->err.msg, "expected 2 fields"));
    assert_non_null(strstr(f->err.msg, "got 3"));
}

static void test_unterminated_quote(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\n1,2\n3,\"open\nmore,lines\n");
    header2(f, "a", "b");
    next_ok(f);
    next_fails_at(f, 3, 3); /* the opening quote */
    assert_string_equal(f->err.field, "b");
    assert_non_null(strstr(f->err.msg, "closing '\"'"));
}

static void test_text_after_closing_quote(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\n\"ab\"c,d\n");
    header2(f, "a", "b");
    next_fails_at(f, 2, 5);
}

static void test_nul_byte(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\n1,x\0y\n");
    header2(f, "a", "b");
    next_fails_at(f, 2, 4);
    assert_non_null(strstr(f->err.msg, "NUL"));
}

static void test_invalid_utf8(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\n1,\xC3\xA9x\xFFz\n"); /* é is one column: 0xFF is at col 5 */
    header2(f, "a", "b");
    next_fails_at(f, 2, 5);
    assert_string_equal(f->err.field, "b");
    assert_non_null(strstr(f->err.msg, "0xFF"));
}

static void test_invalid_utf8_in_header(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\xC0\x80\n");
    const rmct_csv_colspec spec[] = {{"a", true}};
    int idx[1];
    assert_int_equal(rmct_csv_header(f->csv, spec, 1, idx, true, &f->err), RMCT_E_INPUT);
    assert_int_equal(f->err.line, 1);
    assert_int_equal(f->err.col, 4);
}

/* Regression (fixed): the column of invalid UTF-8 inside a quoted field is counted from the opening quote as if
 * the quote were part of the text, so it is one column too far left (col 5 instead of 6). */
static void test_invalid_utf8_in_quoted_field(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\n1,\"ab\xFF\"\n"); /* 1 , " a b: 0xFF is at col 6 */
    header2(f, "a", "b");
    bool got;
    assert_int_equal(rmct_csv_next(f->csv, &got, &f->err), RMCT_E_INPUT);
    assert_int_equal(f->err.line, 2);
    assert_int_equal(f->err.col, 6);
}

/* Regression (fixed): inside a quoted field a lone CR ends a line for the reader but not for the invalid-UTF-8
 * position, which then names the field's first line (2:6 instead of 3:2). */
static void test_invalid_utf8_after_cr_in_quoted_field(void **state)
{
    fixture *f = *state;
    OPEN(f, "a,b\n1,\"x\ry\xFF\"\n");
    header2(f, "a", "b");
    bool got;
    assert_int_equal(rmct_csv_next(f->csv, &got, &f->err), RMCT_E_INPUT);
    assert_int_equal(f->err.line, 3);
}

static void test_empty_file(void **state)
{
    fixture *f = *state;
    OPEN(f, "");
    const rmct_csv_colspec spec[] = {{"a", true}};
    int idx[1];
    assert_int_equal(rmct_csv_header(f->csv, spec, 1, idx, false, &f->err), RMCT_E_INPUT);
    assert_int_equal(f->err.line, 1);
    assert_int_equal(f->err.col, 1);
    assert_string_equal(f->err.file, "t.csv");
    assert_non_null(strstr(f->err.msg, "empty file"));
}

static void test_bom_and_blank_lines_only(void **state)
{
    fixture *f = *state;
    OPEN(f, "\xEF\xBB\xBF\n\r\n\n");
    const rmct_csv_colspec spec[] = {{"a", true}};
    int idx[1];
    assert_int_equal(rmct_csv_header(f->csv, spec, 1, idx, false, &f->err), RMCT_E_INPUT);
    assert_non_null(strstr(f->err.msg, "empty file"));
}

static void test_field_error_format(void **state)
{
    fixture *f = *state;
    OPEN(f, "metal,value\nW,\"12abc\"\n");
    header2(f, "metal", "value");
    next_ok(f);
    assert_int_equal(rmct_csv_field_error(f->csv, 1, &f->err, "expected a number, got \"%s\"",
                                          rmct_csv_get(f->csv, 1)),
                     RMCT_E_INPUT);
    char buf[256];
    rmct_error_format(&f->err, buf, sizeof buf);
    assert_string_equal(buf, "t.csv:2:3: value: expected a number, got \"12abc\"");

    /* a negative index names the record, not a field */
    rmct_error_clear(&f->err);
    rmct_csv_field_error(f->csv, -1, &f->err, "bad row");
    rmct_error_format(&f->err, buf, sizeof buf);
    assert_string_equal(buf, "t.csv:2:1: bad row");
}

static void test_open_missing_file(void **state)
{
    fixture *f = *state;
    assert_int_equal(rmct_csv_open(&f->csv, "/nonexistent/dir/x.csv", NULL, &f->err), RMCT_E_IO);
    assert_null(f->csv);
    assert_int_equal(f->err.code, RMCT_E_IO);
    assert_non_null(strstr(f->err.msg, "/nonexistent/dir/x.csv"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_quoted_fields),
        T(test_quoted_newline_positions),
        T(test_empty_and_quoted_empty_fields),
        T(test_crlf),
        T(test_lone_cr),
        T(test_bom_skipped),
        T(test_blank_lines_skipped),
        T(test_no_final_newline),
        T(test_header_binding),
        T(test_header_unknown_column),
        T(test_header_unknown_column_allowed),
        T(test_header_missing_required),
        T(test_header_duplicate),
        T(test_header_duplicate_extra_column),
        T(test_field_count_too_few),
        T(test_field_count_too_many),
        T(test_unterminated_quote),
        T(test_text_after_closing_quote),
        T(test_nul_byte),
        T(test_invalid_utf8),
        T(test_invalid_utf8_in_header),
        T(test_invalid_utf8_in_quoted_field),
        T(test_invalid_utf8_after_cr_in_quoted_field),
        T(test_empty_file),
        T(test_bom_and_blank_lines_only),
        T(test_field_error_format),
        T(test_open_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
