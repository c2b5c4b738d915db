/* test_survey.c: the industry survey (lib/survey.h, sql/007_survey.sql).
 *
 * The campaigns are the SYNTHETIC fixtures tests/fixtures/survey/campaign-2023.csv and
 * campaign-2024.csv: fictitious companies with registration numbers valid by the check digit, every
 * row marked synthetic. Besides the import, its errors, corrections and their history, these tests
 * prove the confidentiality rule:
 *   - a reader of everything the public view publishes cannot recover any company's figure: no
 *     published value, and no difference of two published values of one column, equals one; the
 *     linear-programming audit finds no figure it can bound within +-15%;
 *   - without the complementary suppression the same attack works (a total minus the other
 *     published cells gives one company's figure), so that step is what protects it;
 *   - company-level rows and values reach only the analyst and the company itself.
 * Hand-checked numbers are worked out in the comments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"
#include "scenario.h"
#include "sim.h"
#include "store.h"
#include "survey.h"
#include "survey_internal.h"

#define FIX RMCT_DATADIR "/../tests/fixtures/survey/"

static char base_dir[64], base_db[128];
static int test_no;
static rmct_survey_codes *codes;

typedef struct {
    char path[160];
    rmct_db *db;
} world;

#define assert_ok(call, err) assert_ok_at((call), (err), #call, __FILE__, __LINE__)
static void assert_ok_at(rmct_code rc, const rmct_error *err, const char *expr, const char *file, int line)
{
    if (rc == RMCT_OK) return;
    print_error("%s returned %d: %s:%ld:%ld: %s: %s\n", expr, (int)rc, err->file, err->line, err->col, err->field, err->msg);
    _fail(file, line);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static void remove_db(const char *path)
{
    char p[200];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static int group_setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(base_dir, sizeof base_dir, "%s/rmct-survey-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(base_dir)) return -1;
    snprintf(base_db, sizeof base_db, "%s/base.db", base_dir);
    rmct_db *db;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_import_result res[RMCT_BUNDLED_COUNT];
    if (rmct_db_open(&db, base_db, true, &err) || rmct_init_bundled(db, RMCT_DATADIR, NULL, res, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    rmct_db_close(db);
    if (rmct_survey_codes_load(RMCT_DATADIR, &codes, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    rmct_survey_codes_free(codes);
    remove_db(base_db);
    rmdir(base_dir);
    return 0;
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    if (!w) return -1;
    snprintf(w->path, sizeof w->path, "%s/t%d.db", base_dir, ++test_no);
    copy_file(base_db, w->path);
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_db_open(&w->db, w->path, false, &err)) return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    rmct_db_close(w->db);
    remove_db(w->path);
    free(w);
    return 0;
}

static void import_both(rmct_db *db)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_import_opts o = {"tester", NULL, NULL};
    rmct_survey_import_result r;
    assert_ok(rmct_survey_import(db, codes, FIX "campaign-2023.csv", NULL, &o, &r, &err), &err);
    assert_ok(rmct_survey_import(db, codes, FIX "campaign-2024.csv", NULL, &o, &r, &err), &err);
}

static long count(rmct_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(rmct_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/* ---------------- registration numbers, codebooks, size classes ---------------- */

static void test_brn(void **state)
{
    (void)state;
    char d[11];
    /* the published example: digits 1 2 3 4 5 6 7 8 9 weighted 1 3 7 1 3 7 1 3 5 give
       1 + 6 + 21 + 4 + 15 + 42 + 7 + 24 + 45 = 165, plus (9 x 5) / 10 = 4: 169; (10 - 9) mod 10 = 1 */
    assert_true(rmct_brn_normalize("123-45-67891", d));
    assert_string_equal(d, "1234567891");
    assert_int_equal(rmct_brn_check_digit(d), 1);
    assert_true(rmct_brn_valid(d));
    assert_true(rmct_brn_normalize(" 1234567891 ", d));
    assert_false(rmct_brn_valid("1234567890"));
    assert_false(rmct_brn_normalize("123-456-7891", d));
    assert_false(rmct_brn_normalize("12345678", d));
    assert_false(rmct_brn_normalize("123-45-6789a", d));
    /* the fixture's fictitious numbers: 000-81-0001: 0+0+0+8+3+0+0+0+5 = 16, plus 5/10 = 0; (10 - 6) = 4 */
    assert_int_equal(rmct_brn_check_digit("000810001"), 4);
    assert_true(rmct_brn_valid("0008100014"));
    char f[13];
    assert_string_equal(rmct_brn_format("0008100014", f), "000-81-00014");
    rmct_survey_view v;
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_survey_view_parse("company:000-81-00014", &v, &err), &err);
    assert_int_equal(v.kind, RMCT_VIEW_COMPANY);
    assert_string_equal(v.brn, "0008100014");
    assert_int_equal(rmct_survey_view_parse("company:000-81-00015", &v, &err), RMCT_E_ARG);
    assert_int_equal(rmct_survey_view_parse("everyone", &v, &err), RMCT_E_ARG);
    assert_ok(rmct_survey_view_parse("public", &v, &err), &err);
    assert_int_equal(v.kind, RMCT_VIEW_PUBLIC);
}

static void test_codes(void **state)
{
    (void)state;
    /* the questionnaire documents exactly the columns the importer reads, in order */
    assert_int_equal(codes->n_columns, S__N);
    for (int i = 0; i < S__N; i++) assert_string_equal(codes->columns[i], survey_columns[i].name);
    assert_string_equal(codes->questionnaire, "rmct-survey-1");
    assert_int_equal(codes->n_stages, 5);
    assert_int_equal(codes->n_regions, 17);
    /* three focus chains, their metals from the chain files */
    assert_int_equal(codes->n_chains, 3);
    const rmct_focus_chain *ree = NULL;
    for (int i = 0; i < codes->n_chains; i++)
        if (!strcmp(codes->chains[i].chain, "ree-magnets")) ree = &codes->chains[i];
    assert_non_null(ree);
    assert_string_equal(ree->sector, "ev_motors");
    assert_int_equal(ree->n_metals, 4);   /* nd, pr, dy, tb */
    assert_string_equal(ree->metals[2], "Dy");
}

static void test_size(void **state)
{
    (void)state;
    rmct_size_result r;
    /* C24 basic metals (2015 criteria): SME up to KRW 150 bn, small up to KRW 12 bn */
    rmct_survey_size_classify(codes, 2024, "C24", 9.5, NAN, false, &r);
    assert_int_equal(r.certainty, RMCT_SIZE_KNOWN);
    assert_int_equal(r.cls, RMCT_SIZE_SMALL);
    rmct_survey_size_classify(codes, 2024, "C24", 12, NAN, false, &r);    /* inclusive limit */
    assert_int_equal(r.cls, RMCT_SIZE_SMALL);
    rmct_survey_size_classify(codes, 2024, "C24", 45.2, NAN, false, &r);
    assert_int_equal(r.cls, RMCT_SIZE_MEDIUM);
    rmct_survey_size_classify(codes, 2024, "C24", 150, NAN, false, &r);
    assert_int_equal(r.cls, RMCT_SIZE_MEDIUM);
    rmct_survey_size_classify(codes, 2024, "C24", 150.1, NAN, false, &r);
    assert_int_equal(r.cls, RMCT_SIZE_MIDSIZED);
    /* C20 chemicals: SME limit KRW 100 bn */
    rmct_survey_size_classify(codes, 2024, "C20", 100.5, NAN, false, &r);
    assert_int_equal(r.cls, RMCT_SIZE_MIDSIZED);
    /* total assets of KRW 500 bn or more: not an SME, whatever the sales */
    rmct_survey_size_classify(codes, 2024, "C24", 5, 500, false, &r);
    assert_int_equal(r.cls, RMCT_SIZE_MIDSIZED);
    rmct_survey_size_classify(codes, 2024, "C24", 5, 499.9, false, &r);
    assert_int_equal(r.cls, RMCT_SIZE_SMALL);
    /* a restricted business group: large */
    rmct_survey_size_classify(codes, 2024, "C28", NAN, NAN, true, &r);
    assert_int_equal(r.certainty, RMCT_SIZE_KNOWN);
    assert_int_equal(r.cls, RMCT_SIZE_LARGE);
    /* recyclers (E38) fall under section E: small up to KRW 3 bn */
    rmct_survey_size_classify(codes, 2024, "E38", 2.5, NAN, false, &r);
    assert_int_equal(r.cls, RMCT_SIZE_SMALL);
    /* C23 has no confirmed small limit: SME, medium or small as declared */
    rmct_survey_size_classify(codes, 2024, "C23", 10, NAN, false, &r);
    assert_int_equal(r.certainty, RMCT_SIZE_SME);
    /* no sales, no criteria for the industry, no criteria in force (business years after 2025-08-31): declared */
    rmct_survey_size_classify(codes, 2024, "C24", NAN, NAN, false, &r);
    assert_int_equal(r.certainty, RMCT_SIZE_UNKNOWN);
    rmct_survey_size_classify(codes, 2024, "J", 5, NAN, false, &r);
    assert_int_equal(r.certainty, RMCT_SIZE_UNKNOWN);
    rmct_survey_size_classify(codes, 2025, "C24", 5, NAN, false, &r);
    assert_int_equal(r.certainty, RMCT_SIZE_UNKNOWN);
    assert_non_null(strstr(r.basis, "2025-12-31"));
}

/* ---------------- import ---------------- */

static void test_import(void **state)
{
    world *w = *state;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_import_opts o = {"tester", NULL, NULL};
    rmct_survey_import_result r;
    assert_ok(rmct_survey_import(w->db, codes, FIX "campaign-2023.csv", NULL, &o, &r, &err), &err);
    assert_int_equal(r.year, 2023);
    assert_int_equal(r.companies, 23);
    assert_int_equal(r.new_companies, 23);
    assert_int_equal(r.rows, 43);
    assert_true(r.synthetic);
    assert_ok(rmct_survey_import(w->db, codes, FIX "campaign-2024.csv", NULL, &o, &r, &err), &err);
    assert_int_equal(r.year, 2024);
    assert_int_equal(r.companies, 25);
    assert_int_equal(r.new_companies, 4);   /* S13, S15, S16 and D5 answered first in 2024 */
    assert_int_equal(r.rows, 44);
    /* the same bytes again: nothing */
    assert_ok(rmct_survey_import(w->db, codes, FIX "campaign-2024.csv", NULL, &o, &r, &err), &err);
    assert_true(r.unchanged);
    assert_int_equal(r.year, 2024);
    rmct_survey_campaign c;
    assert_ok(rmct_survey_campaign_get(w->db, 0, &c, &err), &err);
    assert_int_equal(c.year, 2024);
    assert_true(c.synthetic);
    assert_non_null(strstr(c.data_note, "SYNTHETIC TEST DATA"));
    assert_int_equal(c.companies, 25);
    assert_int_equal(count(w->db, "SELECT count(*) FROM survey_company WHERE synthetic = 1"), 27);
    /* every insertion is in the audit log: 2 campaigns, 27 companies, 48 profiles, 87 answers */
    assert_int_equal(count(w->db, "SELECT count(*) FROM survey_audit"), 2 + 27 + 48 + 87);
    assert_int_equal(count(w->db, "SELECT count(*) FROM survey_origin o JOIN survey_answer a ON a.id = o.answer_id WHERE a.year = 2024"), 61);
}

typedef struct {
    const char *file;
    long line, col;
    const char *field;
    const char *msg;   /* a part of the message */
} bad_case;

static void test_import_errors(void **state)
{
    world *w = *state;
    static const bad_case cases[] = {
        {"bad_brn.csv", 3, 6, "brn", "check digit (4 after 000810001), got \"000-81-00015\""},
        {"bad_company.csv", 3, 31, "name_en", "as on line 2 for company 000-81-00014"},
        {"bad_duplicate.csv", 3, 113, "metal", "one row per company and metal, got Li again"},
        {"bad_metal.csv", 3, 113, "metal", "got \"copper\""},
        {"bad_origins.csv", 3, 144, "origins", "summing to 100 (within 0.5), got 90"},
        {"bad_region.csv", 3, 75, "region", "got \"Atlantis\""},
        {"bad_shares.csv", 3, 141, "recycled_pct", "= 100 (within 0.5), got 85 + 0 + 5 = 90"},
        {"bad_size.csv", 3, 63, "size", "expected small (3-year average sales of KRW 9.5 bn at most KRW 12 bn"},
        {"bad_stage.csv", 3, 116, "stage", "one of the company's stages (components;products)"},
        {"bad_synthetic.csv", 3, 221, "synthetic", "as a whole"},
        {"bad_year.csv", 3, 1, "year", "one campaign per file"},
        {"bad_last_row.csv", 46, 155, "inventory_days", "got \"-63\""},
    };
    const char *tables[] = {"source", "survey_campaign", "survey_company", "survey_profile", "survey_answer", "survey_origin", "survey_audit"};
    long before[7];
    for (int t = 0; t < 7; t++) {
        char sql[80];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[t]);
        before[t] = count(w->db, sql);
    }
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[300];
        snprintf(path, sizeof path, FIX "%s", cases[i].file);
        rmct_error err;
        rmct_error_clear(&err);
        rmct_survey_import_opts o = {"tester", NULL, NULL};
        rmct_survey_import_result r;
        rmct_code rc = rmct_survey_import(w->db, codes, path, cases[i].file, &o, &r, &err);
        if (rc != RMCT_E_INPUT || err.line != cases[i].line || err.col != cases[i].col || strcmp(err.field, cases[i].field) ||
            !strstr(err.msg, cases[i].msg)) {
            print_error("%s: got %d %s:%ld:%ld: %s: %s\n", cases[i].file, (int)rc, err.file, err.line, err.col, err.field, err.msg);
            fail();
        }
        assert_string_equal(err.file, cases[i].file);
        /* nothing stored */
        for (int t = 0; t < 7; t++) {
            char sql[80];
            snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[t]);
            assert_int_equal(count(w->db, sql), before[t]);
        }
    }
    /* a campaign year is imported once */
    import_both(w->db);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_import_opts o = {"tester", NULL, NULL};
    rmct_survey_import_result r;
    assert_int_equal(rmct_survey_import(w->db, codes, FIX "bad_size.csv", "bad_size.csv", &o, &r, &err), RMCT_E_INPUT);
    assert_string_equal(err.field, "year");
    assert_non_null(strstr(err.msg, "without a campaign"));
}

/* ---------------- the rule ---------------- */

static void test_suppress_counts(void **state)
{
    (void)state;
    rmct_cell_status s[5];
    /* 1 company alone: withheld; the smallest other (5) withheld with it, so the total minus the
       published cells gives 1 + 5 = 6 companies together, never the one */
    double a[] = {1, 5, 10};
    rmct_survey_suppress_counts(a, 3, s);
    assert_int_equal(s[0], RMCT_CELL_FEW);
    assert_int_equal(s[1], RMCT_CELL_SECONDARY);
    assert_int_equal(s[2], RMCT_CELL_SHOWN);
    /* two withheld cells of 2 hold 4 companies together: nothing more */
    double b[] = {2, 2, 20};
    rmct_survey_suppress_counts(b, 3, s);
    assert_int_equal(s[0], RMCT_CELL_FEW);
    assert_int_equal(s[1], RMCT_CELL_FEW);
    assert_int_equal(s[2], RMCT_CELL_SHOWN);
    /* two cells of 1: 2 companies together are still too few: a third cell goes */
    double c[] = {1, 1, 4, 9};
    rmct_survey_suppress_counts(c, 4, s);
    assert_int_equal(s[0], RMCT_CELL_FEW);
    assert_int_equal(s[1], RMCT_CELL_FEW);
    assert_int_equal(s[2], RMCT_CELL_SECONDARY);
    assert_int_equal(s[3], RMCT_CELL_SHOWN);
    /* zeros are published and never chosen to protect another cell */
    double d[] = {0, 1, 7, 9};
    rmct_survey_suppress_counts(d, 4, s);
    assert_int_equal(s[0], RMCT_CELL_SHOWN);
    assert_int_equal(s[1], RMCT_CELL_FEW);
    assert_int_equal(s[2], RMCT_CELL_SECONDARY);
    assert_int_equal(s[3], RMCT_CELL_SHOWN);
    double e[] = {3, 4};
    rmct_survey_suppress_counts(e, 2, s);
    assert_int_equal(s[0], RMCT_CELL_SHOWN);
    assert_int_equal(s[1], RMCT_CELL_SHOWN);
}

/* Every figure of every company, as an outside reader would want to learn them. */
typedef struct {
    char brn[11], metal[8], what[16];
    double v;
} figure;

static int company_figures(rmct_db *db, int year, figure **out)
{
    rmct_survey_answer *a;
    int n;
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(survey_answers_load(db, year, NULL, &a, &n, &err), &err);
    figure *f = calloc((size_t)n * 32, sizeof *f);
    assert_non_null(f);
    int k = 0;
    for (int i = 0; i < n; i++) {
        double c = a[i].consumed_t;
        double v[] = {c, a[i].produced_t, c * a[i].import_pct / 100, c * a[i].domestic_pct / 100, c * a[i].recycled_pct / 100,
                      c * a[i].inventory_days / 365};
        const char *names[] = {"consumed", "produced", "imported", "domestic", "recycled", "stock"};
        for (int q = 0; q < 6; q++)
            if (v[q] > 0) f[k++] = (figure){"", "", "", v[q]}, snprintf(f[k - 1].what, 16, "%s", names[q]);
        char buf[240];
        snprintf(buf, sizeof buf, "%s", a[i].origins);
        char *save = NULL;
        for (char *p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
            char *colon = strchr(p, ':');
            f[k] = (figure){"", "", "", c * a[i].import_pct / 100 * atof(colon + 1) / 100};
            snprintf(f[k++].what, 16, "from %.3s", p);
        }
        for (int j = k - 1; j >= 0 && !f[j].brn[0]; j--) {
            snprintf(f[j].brn, 11, "%s", a[i].brn);
            snprintf(f[j].metal, 8, "%s", a[i].metal);
        }
    }
    free(a);
    *out = f;
    return k;
}

static bool near(double a, double b) { return fabs(a - b) <= 1e-6 * (1 + fabs(b)); }

/* An outside attack on everything published: single values, and differences of two values of the
 * same column of one table. Returns how many company figures it recovers. */
static int attack(const rmct_survey_stats *st, const figure *f, int nf, bool verbose)
{
    int found = 0;
    for (int t = 0; t < st->n_tables; t++) {
        const rmct_survey_table *tb = &st->tables[t];
        for (int j = 0; j < tb->n_cols; j++) {
            const char *key = tb->cols[j].key;
            if (!strstr(key, "_t")) continue;   /* tonnes: counts and shares are not company figures */
            for (int r = 0; r < tb->n_rows; r++) {
                const rmct_survey_cell *x = &tb->rows[r].cells[j];
                if (x->status != RMCT_CELL_SHOWN || !isfinite(x->value)) continue;
                for (int k = 0; k < nf; k++)
                    if (near(x->value, f[k].v)) {
                        if (verbose) print_message("%s %s %s = %s's %s of %s\n", tb->name, tb->rows[r].key, key, f[k].brn, f[k].what, f[k].metal);
                        found++;
                    }
                for (int r2 = 0; r2 < tb->n_rows; r2++) {
                    const rmct_survey_cell *y = &tb->rows[r2].cells[j];
                    if (r2 == r || y->status != RMCT_CELL_SHOWN || !isfinite(y->value) || y->value >= x->value) continue;
                    for (int k = 0; k < nf; k++)
                        if (near(x->value - y->value, f[k].v)) {
                            if (verbose)
                                print_message("%s %s - %s %s = %s's %s of %s\n", tb->name, tb->rows[r].key, tb->rows[r2].key, key, f[k].brn,
                                              f[k].what, f[k].metal);
                            found++;
                        }
                }
            }
        }
    }
    return found;
}

/* The imports of a metal: its share of use published in the metal table times its use. */
static double published_imports(const rmct_survey_stats *st, const char *metal, bool *ok)
{
    const rmct_survey_table *m = rmct_survey_stats_table(st, "metal");
    for (int r = 0; r < m->n_rows; r++)
        if (!strcmp(m->rows[r].key, metal)) {
            *ok = m->rows[r].cells[3].status == RMCT_CELL_SHOWN && m->rows[r].cells[5].status == RMCT_CELL_SHOWN;
            return m->rows[r].cells[3].value * m->rows[r].cells[5].value / 100;
        }
    *ok = false;
    return NAN;
}

static const rmct_survey_cell *cell(const rmct_survey_stats *st, const char *table, const char *key, const char *col)
{
    const rmct_survey_table *t = rmct_survey_stats_table(st, table);
    assert_non_null(t);
    int j = -1;
    for (int k = 0; k < t->n_cols; k++)
        if (!strcmp(t->cols[k].key, col)) j = k;
    assert_true(j >= 0);
    for (int r = 0; r < t->n_rows; r++)
        if (!strcmp(t->rows[r].key, key)) return &t->rows[r].cells[j];
    print_error("no row %s in %s\n", key, table);
    fail();
    return NULL;
}

static void test_stats_public(void **state)
{
    world *w = *state;
    import_both(w->db);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_view pub = {RMCT_VIEW_PUBLIC, ""};
    rmct_survey_stats *st;
    assert_ok(rmct_survey_stats_compute(w->db, codes, &pub, 2024, NULL, &st, &err), &err);
    assert_int_equal(st->year, 2024);
    assert_int_equal(st->prev_year, 2023);
    assert_true(st->synthetic);
    /* the size distribution: 16 of 25 companies small (64%), 5 medium; large and mid-sized have 2
       each, withheld, and together 4 companies, enough to protect each other */
    assert_true(near(cell(st, "size", "small", "companies")->value, 16));
    assert_true(near(cell(st, "size", "small", "share_pct")->value, 64));
    assert_true(near(cell(st, "size", "medium", "companies")->value, 5));
    assert_true(near(cell(st, "size", "medium", "companies_prev")->value, 3));   /* D1 was small in 2023; D5 new */
    assert_true(near(cell(st, "size", "medium", "change")->value, 2));
    assert_true(near(cell(st, "size", "total", "companies")->value, 25));
    assert_int_equal(cell(st, "size", "large", "companies")->status, RMCT_CELL_FEW);
    assert_true(isnan(cell(st, "size", "large", "companies")->value));
    assert_int_equal(cell(st, "size", "large", "companies")->companies, -1);
    assert_int_equal(cell(st, "size", "mid-sized", "companies")->status, RMCT_CELL_FEW);
    /* cobalt: 7 users, 674.22 t (318.42 + 288.16 + 46.83 + 9.52 + 6.38 + 4.17 + 0.74); the 3 largest
       653.41 t, 96.9%; imported 85.6%: 270.657 + 288.16 + 9.52 + 3.828 + 4.17 + 0.74 = 577.075 t */
    assert_true(near(cell(st, "metal", "Co", "consumed_t")->value, 674.22));
    assert_true(near(cell(st, "concentration", "Co", "top3_pct")->value, 100 * 653.41 / 674.22));
    assert_true(near(cell(st, "metal", "Co", "import_pct")->value, 100 * 577.075 / 674.22));
    /* lithium: the battery maker uses 1846.25 of 1981.29 t, 93.2%: dominated */
    assert_int_equal(cell(st, "metal", "Li", "consumed_t")->status, RMCT_CELL_DOMINATED);
    /* terbium: 3 users, 1.92 + 0.13 + 0.48 = 2.53 t, the largest 75.9%: published */
    assert_true(near(cell(st, "metal", "Tb", "consumed_t")->value, 2.53));
    /* cobalt from the DR Congo: one company (x); Finland, the smallest other origin, withheld with
       it (c): imports - China gives Finland + Congo together, three companies */
    assert_int_equal(cell(st, "origins", "Co:COD", "imported_t")->status, RMCT_CELL_FEW);
    assert_int_equal(cell(st, "origins", "Co:FIN", "imported_t")->status, RMCT_CELL_SECONDARY);
    assert_true(near(cell(st, "origins", "Co:CHN", "imported_t")->value, 0.8 * 270.657 + 0.55 * 288.16 + 9.52 + 4.17 + 0.74));
    /* the audit */
    assert_true(st->audited > 50);
    assert_int_equal(st->disclosed, 0);
    assert_true(st->secondary > 0);
    /* the attack recovers nothing */
    figure *f;
    int nf = company_figures(w->db, 2024, &f);
    assert_true(nf > 100);
    assert_int_equal(attack(st, f, nf, true), 0);
    /* nor by the imports total minus every published origin of a metal */
    for (int t = 0; t < 1; t++) {
        const rmct_survey_table *o = rmct_survey_stats_table(st, "origins");
        const char *metals[] = {"Co", "Ni", "Nd", "W", "Ta", "In", "Tb", "Li", "Dy"};
        for (size_t m = 0; m < sizeof metals / sizeof *metals; m++) {
            bool ok;
            double rest = published_imports(st, metals[m], &ok);
            if (!ok) continue;
            for (int r = 0; r < o->n_rows; r++)
                if (!strncmp(o->rows[r].key, metals[m], strlen(metals[m])) && o->rows[r].key[strlen(metals[m])] == ':' &&
                    o->rows[r].cells[1].status == RMCT_CELL_SHOWN)
                    rest -= o->rows[r].cells[1].value;
            for (int k = 0; k < nf; k++)
                if (!strcmp(f[k].metal, metals[m]) && near(rest, f[k].v) && rest > 1e-9) {
                    print_error("%s: imports minus the published origins = %s's %s\n", metals[m], f[k].brn, f[k].what);
                    fail();
                }
        }
    }
    /* nothing the rule withholds carries a value or a count */
    for (int t = 0; t < st->n_tables; t++)
        for (int r = 0; r < st->tables[t].n_rows; r++)
            for (int j = 0; j < st->tables[t].n_cols; j++) {
                const rmct_survey_cell *x = &st->tables[t].rows[r].cells[j];
                if (x->status == RMCT_CELL_SHOWN || x->status == RMCT_CELL_EMPTY) continue;
                assert_true(isnan(x->value));
                assert_int_equal(x->companies, -1);
            }
    rmct_survey_stats_free(st);
    /* the analyst sees the same statuses, with the values */
    rmct_survey_view an = {RMCT_VIEW_ANALYST, ""};
    assert_ok(rmct_survey_stats_compute(w->db, codes, &an, 2024, NULL, &st, &err), &err);
    const rmct_survey_cell *li = cell(st, "metal", "Li", "consumed_t");
    assert_int_equal(li->status, RMCT_CELL_DOMINATED);
    assert_true(near(li->value, 1846.25 + 97.41 + 23.56 + 14.07));
    assert_true(near(cell(st, "size", "large", "companies")->value, 2));
    rmct_survey_stats_free(st);
    /* a company sees what the public sees */
    rmct_survey_view co = {RMCT_VIEW_COMPANY, "0008100014"};
    assert_ok(rmct_survey_stats_compute(w->db, codes, &co, 2024, NULL, &st, &err), &err);
    assert_true(isnan(cell(st, "metal", "Li", "consumed_t")->value));
    rmct_survey_stats_free(st);
    free(f);
}

/* Without the complementary cells, the published tables give companies' figures away, and the
 * audit says so: the protection comes from that step. */
static void test_complementary_needed(void **state)
{
    world *w = *state;
    import_both(w->db);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_view pub = {RMCT_VIEW_PUBLIC, ""};
    rmct_survey_stats_opts primary_only = {true, false};
    rmct_survey_stats *st;
    assert_ok(rmct_survey_stats_compute(w->db, codes, &pub, 2024, &primary_only, &st, &err), &err);
    assert_int_equal(st->secondary, 0);
    assert_true(st->disclosed > 0);
    /* the differencing attack: cobalt imports (use x imported share) minus China and Finland is
       what the one company importing from the DR Congo imports: 30% of its 288.16 t = 86.448 t */
    assert_int_equal(cell(st, "origins", "Co:FIN", "imported_t")->status, RMCT_CELL_SHOWN);
    bool ok;
    double imports = published_imports(st, "Co", &ok);
    assert_true(ok);
    double congo = imports - cell(st, "origins", "Co:CHN", "imported_t")->value - cell(st, "origins", "Co:FIN", "imported_t")->value;
    assert_true(near(congo, 0.30 * 288.16));
    rmct_survey_stats_free(st);
    /* the audit alone, without the complementary pass, also ends with nothing disclosed: it withholds
       cells one by one (the smallest containing a figure it can bound) until none can be bounded */
    rmct_survey_stats_opts audit_only = {false, true};
    assert_ok(rmct_survey_stats_compute(w->db, codes, &pub, 2024, &audit_only, &st, &err), &err);
    assert_int_equal(st->disclosed, 0);
    assert_true(st->secondary > 0);
    figure *f;
    int nf = company_figures(w->db, 2024, &f);
    assert_int_equal(attack(st, f, nf, true), 0);
    free(f);
    rmct_survey_stats_free(st);
    /* with them, the same subtraction gives Finland and Congo together (three companies) */
    assert_ok(rmct_survey_stats_compute(w->db, codes, &pub, 2024, NULL, &st, &err), &err);
    assert_int_equal(st->disclosed, 0);
    assert_true(isnan(cell(st, "origins", "Co:FIN", "imported_t")->value));
    rmct_survey_stats_free(st);
}

/* ---------------- views, corrections, history ---------------- */

static void test_views(void **state)
{
    world *w = *state;
    import_both(w->db);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_view pub = {RMCT_VIEW_PUBLIC, ""}, an = {RMCT_VIEW_ANALYST, ""}, me = {RMCT_VIEW_COMPANY, "0008100052"};
    rmct_survey_profile *p;
    int n;
    assert_ok(rmct_survey_profiles(w->db, &pub, 2024, &p, &n, &err), &err);
    assert_int_equal(n, 0);
    free(p);
    assert_ok(rmct_survey_profiles(w->db, &an, 2024, &p, &n, &err), &err);
    assert_int_equal(n, 25);
    free(p);
    assert_ok(rmct_survey_profiles(w->db, &me, 2024, &p, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].brn, "0008100052");
    assert_string_equal(p[0].name_en, "Fictitious Magnet Alloys (test)");
    free(p);
    char brn[11];
    assert_ok(rmct_survey_find_company(w->db, &me, "Fictitious Magnet Alloys (test)", brn, &err), &err);
    assert_ok(rmct_survey_find_company(w->db, &an, "가상배터리셀(시험용)", brn, &err), &err);
    assert_string_equal(brn, "0008100014");
    /* another company, or the public: as if it did not exist */
    assert_int_equal(rmct_survey_find_company(w->db, &me, "000-81-00014", brn, &err), RMCT_E_NOTFOUND);
    assert_int_equal(rmct_survey_find_company(w->db, &pub, "000-81-00014", brn, &err), RMCT_E_NOTFOUND);
    rmct_survey_profile prof;
    rmct_survey_answer *a;
    assert_int_equal(rmct_survey_company(w->db, &me, "0008100014", 2024, &prof, &a, &n, &err), RMCT_E_NOTFOUND);
    assert_ok(rmct_survey_company(w->db, &me, "0008100052", 2024, &prof, &a, &n, &err), &err);
    assert_int_equal(n, 4);
    free(a);
    rmct_survey_version *v;
    assert_int_equal(rmct_survey_history(w->db, &me, "0008100014", 0, &v, &n, &err), RMCT_E_NOTFOUND);
    /* exposure: rows only for the analyst and the company's own */
    rmct_survey_exposure *x;
    assert_ok(rmct_survey_exposure_compute(w->db, &pub, 2024, RMCT_DATADIR "/methods/eu2017-kr.json", &x, &err), &err);
    assert_int_equal(x->n_rows, 0);
    assert_int_equal(x->summary.n_rows, RMCT_SIZE__N + 1);
    rmct_survey_exposure_free(x);
    assert_ok(rmct_survey_exposure_compute(w->db, &me, 2024, RMCT_DATADIR "/methods/eu2017-kr.json", &x, &err), &err);
    assert_int_equal(x->n_rows, 4);
    for (int i = 0; i < x->n_rows; i++) assert_string_equal(x->rows[i].brn, "0008100052");
    rmct_survey_exposure_free(x);
    /* changes: public never, another company never */
    rmct_survey_change ch = {"tester", "test"};
    rmct_survey_answer_edit e = {.metal = "Dy", .consumed_t = "8"};
    int version;
    assert_int_equal(rmct_survey_correct_answer(w->db, codes, &pub, &ch, 2024, "0008100052", &e, &version, &err), RMCT_E_ARG);
    rmct_survey_view other = {RMCT_VIEW_COMPANY, "0008100014"};
    assert_int_equal(rmct_survey_correct_answer(w->db, codes, &other, &ch, 2024, "0008100052", &e, &version, &err), RMCT_E_NOTFOUND);
    assert_ok(rmct_survey_correct_answer(w->db, codes, &me, &ch, 2024, "0008100052", &e, &version, &err), &err);
    assert_int_equal(version, 2);
}

static void test_corrections(void **state)
{
    world *w = *state;
    import_both(w->db);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_view an = {RMCT_VIEW_ANALYST, ""};
    rmct_survey_change ch = {"analyst-kim", "company corrected its dysprosium use"};
    int version;
    rmct_survey_answer_edit e = {.metal = "dysprosium", .consumed_t = "8.4", .origins = "CHN:90;JPN:10"};
    assert_ok(rmct_survey_correct_answer(w->db, codes, &an, &ch, 2024, "0008100052", &e, &version, &err), &err);
    assert_int_equal(version, 2);
    /* a bad value names the column and changes nothing */
    rmct_survey_answer_edit bad = {.metal = "Dy", .import_pct = "90"};
    assert_int_equal(rmct_survey_correct_answer(w->db, codes, &an, &ch, 2024, "0008100052", &bad, &version, &err), RMCT_E_INPUT);
    assert_string_equal(err.field, "recycled_pct");
    assert_string_equal(err.file, "");
    rmct_survey_profile_edit pe = {.size = "small"};
    assert_int_equal(rmct_survey_correct_profile(w->db, codes, &an, &ch, 2024, "0008100052", &pe, &version, &err), RMCT_E_INPUT);
    assert_string_equal(err.field, "size");
    /* a profile correction may not drop a stage an answer uses */
    rmct_survey_profile_edit st = {.stages = "components"};
    assert_int_equal(rmct_survey_correct_profile(w->db, codes, &an, &ch, 2024, "0008100052", &st, &version, &err), RMCT_E_INPUT);
    assert_string_equal(err.field, "stages");
    rmct_survey_profile_edit ok = {.avg_sales_krw_bn = "11.5", .size = "small"};
    assert_ok(rmct_survey_correct_profile(w->db, codes, &an, &ch, 2024, "0008100052", &ok, &version, &err), &err);
    assert_int_equal(version, 2);
    /* a new answer needs its fields; then withdraw it */
    rmct_survey_answer_edit nw = {.metal = "Sm", .stage = "materials", .consumed_t = "0.75", .produced_t = "0", .import_pct = "100",
                                  .domestic_pct = "0", .recycled_pct = "0", .origins = "CHN:100", .inventory_days = "30"};
    rmct_survey_answer_edit half = {.metal = "Sm", .consumed_t = "1"};
    assert_int_equal(rmct_survey_correct_answer(w->db, codes, &an, &ch, 2024, "0008100052", &half, &version, &err), RMCT_E_ARG);
    assert_ok(rmct_survey_correct_answer(w->db, codes, &an, &ch, 2024, "0008100052", &nw, &version, &err), &err);
    assert_int_equal(version, 1);
    rmct_survey_answer_edit wd = {.metal = "Sm", .withdraw = true};
    assert_ok(rmct_survey_correct_answer(w->db, codes, &an, &ch, 2024, "0008100052", &wd, &version, &err), &err);
    assert_int_equal(version, 2);
    assert_int_equal(rmct_survey_correct_answer(w->db, codes, &an, &ch, 2024, "0008100052", &wd, &version, &err), RMCT_E_CONFLICT);
    /* the current state */
    rmct_survey_profile p;
    rmct_survey_answer *a;
    int n;
    assert_ok(rmct_survey_company(w->db, &an, "0008100052", 2024, &p, &a, &n, &err), &err);
    assert_string_equal(p.size, "small");
    assert_int_equal(p.version, 2);
    assert_int_equal(n, 4);   /* Sm withdrawn */
    for (int i = 0; i < n; i++)
        if (!strcmp(a[i].metal, "Dy")) {
            assert_true(near(a[i].consumed_t, 8.4));
            assert_string_equal(a[i].origins, "CHN:90;JPN:10");
            assert_int_equal(a[i].version, 2);
        }
    free(a);
    /* the history: every version, what changed, who and why */
    rmct_survey_version *v;
    assert_ok(rmct_survey_history(w->db, &an, "0008100052", 2024, &v, &n, &err), &err);
    assert_int_equal(n, 1 + 4 + 1 + 1 + 2);   /* profile 1, 4 answers, Dy 2, profile 2, Sm 1 and 2 */
    bool dy = false, prof = false, wdn = false;
    for (int i = 0; i < n; i++) {
        if (!strcmp(v[i].kind, "answer") && !strcmp(v[i].metal, "Dy") && v[i].version == 2) {
            assert_string_equal(v[i].changes, "consumed_t 7.86 -> 8.4; origins CHN:100 -> CHN:90;JPN:10");
            assert_string_equal(v[i].actor, "analyst-kim");
            assert_string_equal(v[i].source, "correction");
            dy = true;
        }
        if (!strcmp(v[i].kind, "profile") && v[i].version == 2) {
            assert_string_equal(v[i].changes, "size medium -> small; avg_sales_krw_bn 45.2 -> 11.5");
            prof = true;
        }
        if (!strcmp(v[i].metal, "Sm") && v[i].version == 2) {
            assert_true(v[i].withdrawn);
            assert_string_equal(v[i].changes, "withdrawn");
            wdn = true;
        }
        if (!strcmp(v[i].metal, "Nd")) assert_string_equal(v[i].source, "campaign-2024.csv line 14");
    }
    assert_true(dy && prof && wdn);
    free(v);
    /* the store refuses edits, deletions and versions out of order */
    sqlite3 *s = rmct_db_sqlite(w->db);
    assert_int_not_equal(sqlite3_exec(s, "UPDATE survey_answer SET consumed_t = 1", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(s, "DELETE FROM survey_answer", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(s, "DELETE FROM survey_profile", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(s, "UPDATE survey_audit SET actor = 'x'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(s, "DELETE FROM survey_campaign", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(s, "INSERT INTO survey_answer(year, brn, metal, type_code, element, version, stage, consumed_t,"
                                         " produced_t, import_pct, domestic_pct, recycled_pct, inventory_days, reason, actor)"
                                         " VALUES (2024, '0008100052', 'Dy', 'REE', 'Dy', 5, 'materials', 1, 0, 100, 0, 0, 1, 'x', 'x')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(s, "INSERT INTO survey_answer(year, brn, metal, type_code, element, version, stage, consumed_t,"
                                         " produced_t, import_pct, domestic_pct, recycled_pct, inventory_days, reason, actor)"
                                         " VALUES (2024, '0008100052', 'Dy', 'REE', 'Dy', 3, 'materials', 1, 0, 50, 0, 0, 1, 'x', 'x')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    /* every change is in the audit log */
    assert_int_equal(count(w->db, "SELECT count(*) FROM survey_audit WHERE actor = 'analyst-kim'"), 4);
}

/* ---------------- exposure ---------------- */

static void test_exposure(void **state)
{
    world *w = *state;
    import_both(w->db);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_view an = {RMCT_VIEW_ANALYST, ""};
    rmct_survey_exposure *x;
    assert_ok(rmct_survey_exposure_compute(w->db, &an, 2024, RMCT_DATADIR "/methods/eu2017-kr.json", &x, &err), &err);
    assert_int_equal(x->n_rows, 44);   /* every answer of 2024 reports some use */
    const rmct_exposure_row *all_ch = NULL, *recycler = NULL, *fin = NULL;
    for (int i = 0; i < x->n_rows; i++) {
        const rmct_exposure_row *r = &x->rows[i];
        assert_true(r->has_score || r->why_not[0]);
        if (!r->has_score) continue;
        /* the score is the EU formula with the company's terms */
        double ir = r->import_share + r->domestic_share > 0 ? r->import_share / (r->import_share + r->domestic_share) : 0;
        assert_true(near(r->score, (r->hhi_global * ir / 2 + r->hhi_company * (1 - ir / 2)) * (1 - r->recycled_share) * r->si_sr));
        if (!strcmp(r->brn, "0008100130") && !strcmp(r->metal, "Co")) all_ch = r;   /* S04: cobalt, 100% imported from China */
        if (!strcmp(r->brn, "0008100085") && !strcmp(r->metal, "Co")) recycler = r; /* D4: all recycled */
        if (!strcmp(r->brn, "0008100144")) fin = r;                                 /* S05: 60% from Finland, 40% recycled */
    }
    assert_non_null(all_ch);
    assert_non_null(recycler);
    assert_non_null(fin);
    /* all from one country: HHI_WGI,t of its sourcing = 1^2 x WGI(CHN) x t; with IR = 1 the score is
       (HHI_gs / 2 + HHI_company / 2) x SI_SR, EoL 0 */
    assert_true(all_ch->hhi_company > 4 && all_ch->hhi_company < 10);
    assert_true(near(all_ch->score, (all_ch->hhi_global / 2 + all_ch->hhi_company / 2) * all_ch->si_sr));
    /* all recycled: nothing at risk */
    assert_true(near(recycler->score, 0));
    /* Finland governs better than China: the same metal scores lower */
    assert_true(fin->hhi_company < all_ch->hhi_company);
    assert_true(fin->score < all_ch->score);
    assert_true(near(fin->national_sr, all_ch->national_sr));
    rmct_survey_exposure_free(x);
}

/* A hand-checked scenario: China cuts 80% of its dysprosium for 3 months from the scenario's third
 * month. Fictitious Magnet Alloys uses 7.86 t of Dy a year (0.655 t a month), all imported from
 * China, and holds 49 days: 7.86 x 49 / 365 = 1.05518 t. Each month of the cut it receives 20% of
 * its use: its stock falls by 0.524 t: 0.53118 after month 2, 0.00718 after month 3, and in month 4
 * it is 0.51682 t short: its stock runs out in month 4 (index 4), 1 month short. */
static void test_impact(void **state)
{
    world *w = *state;
    import_both(w->db);
    char path[200];
    snprintf(path, sizeof path, "%s/scn%d.json", base_dir, test_no);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "{\"scenario\": \"test-dy-cut\", \"title\": \"Test: China cuts 80%% of its Dy for 3 months\", \"chains\": [\"ree-magnets\"],"
                " \"start\": \"2025-01\", \"months\": 12, \"assumption\": \"test case\", \"events\": [{\"type\": \"export_restriction\","
                " \"country\": \"CHN\", \"metals\": [\"Dy\"], \"effective\": \"2025-03\", \"cut\": {\"value\": 0.8, \"unit\": \"fraction\","
                " \"assumption\": \"test\"}, \"duration_months\": {\"value\": 3, \"unit\": \"months\", \"assumption\": \"test\"},"
                " \"assumption\": \"test\"}]}\n");
    fclose(fp);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_view an = {RMCT_VIEW_ANALYST, ""};
    rmct_survey_impact *x;
    assert_ok(rmct_survey_impact_run(w->db, &an, 2024, RMCT_DATADIR, path, &x, &err), &err);
    assert_int_equal(x->months, 12);
    const rmct_impact_row *d1 = NULL, *tb = NULL, *co = NULL;
    for (int i = 0; i < x->n_rows; i++) {
        if (!strcmp(x->rows[i].brn, "0008100052") && !strcmp(x->rows[i].metal, "Dy")) d1 = &x->rows[i];
        if (!strcmp(x->rows[i].brn, "0008100052") && !strcmp(x->rows[i].metal, "Tb")) tb = &x->rows[i];
        if (!strcmp(x->rows[i].metal, "Co")) co = &x->rows[i];
    }
    assert_non_null(d1);
    assert_true(d1->affected);
    assert_int_equal(d1->first_affected, 2);
    assert_true(near(d1->direct_cut_max, 0.8));
    assert_int_equal(d1->stockout, 4);
    assert_int_equal(d1->months_short, 1);
    assert_true(fabs(d1->shortfall_t - (7.86 * 3 * 0.8 / 12 - 7.86 * 49 / 365)) < 1e-9);
    /* terbium and cobalt are not in the event */
    assert_false(tb->affected);
    assert_false(co->affected);
    /* the summary counts companies by size; the public sees the counts the rule allows */
    assert_int_equal(x->summary.n_rows, RMCT_SIZE__N + 1);
    rmct_survey_impact_free(x);
    rmct_survey_view pub = {RMCT_VIEW_PUBLIC, ""};
    assert_ok(rmct_survey_impact_run(w->db, &pub, 2024, RMCT_DATADIR, path, &x, &err), &err);
    assert_int_equal(x->n_rows, 0);
    for (int r = 0; r < x->summary.n_rows; r++)
        for (int j = 0; j < x->summary.n_cols; j++) {
            const rmct_survey_cell *c = &x->summary.rows[r].cells[j];
            if (c->status == RMCT_CELL_SHOWN) assert_true(c->value == 0 || c->value >= 3);
            else assert_true(isnan(c->value));
        }
    rmct_survey_impact_free(x);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brn),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_size),
        cmocka_unit_test(test_suppress_counts),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_public, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complementary_needed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_views, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exposure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_impact, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
