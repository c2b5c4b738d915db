/* test_stockpile.c: the stockpile ledger (lib/stockpile.h, sql/005_stockpile.sql) and days of
 * cover (lib/stockpile_cover.c).
 *
 * Each test works on its own copy of a database loaded with the bundled data. Besides the entries
 * and their errors, it proves the invariants at the level of the store (raw SQL that bypasses the
 * library is refused), that two processes writing at once neither lose nor double-count a movement,
 * and that a writer killed with SIGKILL at random moments, 50 times, always leaves a consistent
 * ledger holding every movement it had acknowledged. Expected numbers are worked out in the
 * comments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chain.h"
#include "ingest.h"
#include "stockpile.h"
#include "store.h"

#define TODAY "2026-03-10"

static char base_dir[64], base_db[128];
static int test_no;

typedef struct {
    char path[160];
    rmct_db *db;
} world;

#define assert_ok(call, err) assert_ok_at((call), (err), #call, __FILE__, __LINE__)
static void assert_ok_at(rmct_code rc, const rmct_error *err, const char *expr, const char *file, int line)
{
    if (rc == RMCT_OK) return;
    print_error("%s returned %d: %s: %s\n", expr, (int)rc, err->field, err->msg);
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
    snprintf(base_dir, sizeof base_dir, "%s/rmct-stock-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
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
    rmct_db_close(db); /* the last connection: the WAL is checkpointed into the file */
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
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
    if (rmct_db_open(&w->db, w->path, false, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
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

static const rmct_stock_ctx ctx = {"tester", TODAY};

static int64_t count(rmct_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(rmct_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A hash of the whole ledger: what must not change when an entry is refused. */
static int64_t ledger_state(rmct_db *db)
{
    return count(db, "SELECT (SELECT count(*) FROM stock_warehouse) * 1000000000 + (SELECT count(*) FROM stock_lot) * "
                     "1000000 + (SELECT count(*) FROM stock_movement) * 1000 + (SELECT count(*) FROM stock_audit) + "
                     "(SELECT ifnull(sum(qty_g * id), 0) FROM stock_movement) + (SELECT count(*) FROM source)");
}

static void record(rmct_db *db, rmct_stock_entry e, rmct_stock_result *res)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_result local;
    assert_ok(rmct_stock_record(db, &ctx, &e, res ? res : &local, &err), &err);
}

/* Records e, expects it refused on `field`, with `needle` in the message, and nothing written. */
static void refused(rmct_db *db, rmct_stock_entry e, const char *field, const char *needle)
{
    int64_t before = ledger_state(db);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_result res;
    rmct_code rc = rmct_stock_record(db, &ctx, &e, &res, &err);
    if (rc == RMCT_OK) fail_msg("accepted an entry that should fail on %s", field);
    if (strcmp(err.field, field) || !strstr(err.msg, needle))
        fail_msg("expected an error on %s containing \"%s\", got %s: %s", field, needle, err.field, err.msg);
    assert_int_equal(ledger_state(db), before);
}

static int64_t balance(rmct_db *db, const char *lot, const char *wh)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT ifnull(sum(b.qty_g), 0) FROM stock_balance b JOIN stock_lot l ON l.id = b.lot_id "
             "WHERE l.code = '%s' AND b.warehouse = '%s'", lot, wh);
    return count(db, sql);
}

static void consistent(rmct_db *db)
{
    rmct_stock_check c;
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_stock_verify(db, &c, &err), &err);
    if (c.problems) fail_msg("ledger inconsistent: %ld problems; %s", c.problems, c.first_problem);
}

static void warehouses(rmct_db *db)
{
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_stock_warehouse_add(db, &ctx, "W1", "KOMIR Gunsan Reserve Base", "Saemangeum, Gunsan", &err), &err);
    assert_ok(rmct_stock_warehouse_add(db, &ctx, "W2", "PPS Incheon", NULL, &err), &err);
}

/* ---------------- helpers ---------------- */

static void test_tonnes(void **state)
{
    (void)state;
    int64_t g;
    struct {
        const char *text;
        int64_t grams;
    } ok[] = {{"12.5", 12500000}, {"3", 3000000}, {" 0.000001 ", 1}, {"1e-3", 1000}, {"4.2E2", 420000000},
              {"0.1", 100000}, {"+2", 2000000}, {"1000000000", 1000000000000000LL}, {"0.0000010", 1}};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        if (!rmct_stock_parse_tonnes(ok[i].text, false, &g)) fail_msg("refused \"%s\"", ok[i].text);
        assert_int_equal(g, ok[i].grams);
    }
    const char *bad[] = {"", "-3", "0", "0.0", "abc", "3t", "1,000", "0.0000001", "1e-7", "1e10", "1000000000.5e1",
                         "nan", "inf", "1.2.3", "--1", "1e", ".", "12 5"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (rmct_stock_parse_tonnes(bad[i], false, &g)) fail_msg("accepted \"%s\"", bad[i]);
    assert_true(rmct_stock_parse_tonnes("-0.25", true, &g));
    assert_int_equal(g, -250000);
    char buf[32];
    assert_string_equal(rmct_stock_fmt_tonnes(buf, sizeof buf, 12500000), "12.5");
    assert_string_equal(rmct_stock_fmt_tonnes(buf, sizeof buf, -250000), "-0.25");
    assert_string_equal(rmct_stock_fmt_tonnes(buf, sizeof buf, 3000000), "3");
    assert_string_equal(rmct_stock_fmt_tonnes(buf, sizeof buf, 1), "0.000001");
    assert_string_equal(rmct_stock_fmt_tonnes(buf, sizeof buf, 0), "0");
    /* dates */
    assert_true(rmct_stock_valid_date("2024-02-29"));
    assert_true(rmct_stock_valid_date("2026-01-15"));
    const char *bad_dates[] = {"2023-02-29", "2026-13-01", "2026-04-31", "2026-1-15", "20260115", "2026-01-15T00",
                               "", "1899-12-31"};
    for (size_t i = 0; i < sizeof bad_dates / sizeof *bad_dates; i++)
        if (rmct_stock_valid_date(bad_dates[i])) fail_msg("accepted \"%s\"", bad_dates[i]);
}

/* ---------------- entries ---------------- */

static void test_entries(void **state)
{
    world *w = *state;
    rmct_db *db = w->db;
    warehouses(db);
    rmct_stock_result r;
    /* The example. Dy2O3 (the usual oxide, assumed), atomic weights of data/elements.csv
     * (Dy 162.500, O 15.999): 325 / (325 + 47.997) = 0.8713206...; contained = 12.5 t x 0.995 x that =
     * 10.837051 t (to the gram) */
    record(db, (rmct_stock_entry){.kind = "acquire", .metal = "Dy", .tonnes = "12.5", .form = "oxide", .purity = "0.995",
                                  .unit_cost = "4.2e6", .currency = "USD", .warehouse = "W1", .date = "2026-01-15",
                                  .lot = "DY-2026-01", .supplier = "China"}, &r);
    assert_int_equal(r.qty_g, 12500000);
    double frac = 2 * 162.5 / (2 * 162.5 + 3 * 15.999);
    assert_int_equal(r.contained_g, 10837051);
    assert_int_equal(r.contained_g, llround(12.5e6 * 0.995 * frac));
    assert_non_null(strstr(r.contained_basis, "Dy2O3 (the usual oxide"));
    assert_int_equal(count(db, "SELECT count(*) FROM stock_lot WHERE supplier = 'CHN' AND formula = 'Dy2O3' "
                               "AND unit_cost = 4200000 AND currency = 'USD'"), 1);
    assert_int_equal(r.movement_id, 1);
    /* the release */
    record(db, (rmct_stock_entry){.kind = "release", .lot = "DY-2026-01", .tonnes = "3", .date = "2026-03-01",
                                  .reason = "emergency release"}, &r);
    assert_string_equal(r.from, "W1"); /* the one warehouse holding it */
    assert_int_equal(balance(db, "DY-2026-01", "W1"), 9500000);

    /* bad entries: clear errors, nothing written */
    rmct_stock_entry rel = {.kind = "release", .lot = "DY-2026-01", .tonnes = "3", .date = "2026-03-02", .reason = "r"};
    rmct_stock_entry e = rel;
    e.tonnes = "9.6";
    refused(db, e, "tonnes", "expected at most 9.5 t, what lot DY-2026-01 holds in W1 on 2026-03-02");
    e = rel;
    e.lot = "DY-2026-02";
    refused(db, e, "lot", "expected a lot in the ledger");
    e = rel;
    e.tonnes = "-3";
    refused(db, e, "tonnes", "expected a positive quantity");
    e.tonnes = "three";
    refused(db, e, "tonnes", "got \"three\"");
    e.tonnes = "0";
    refused(db, e, "tonnes", "expected a positive quantity");
    e = rel;
    e.date = "2026-03-11";
    refused(db, e, "date", "not after today (2026-03-10)");
    e.date = "2026-01-14";
    refused(db, e, "date", "on or after 2026-01-15, when lot DY-2026-01 was acquired");
    e.date = "2026-02-30";
    refused(db, e, "date", "expected a date YYYY-MM-DD");
    e = rel;
    e.reason = NULL;
    refused(db, e, "reason", "expected the reason");
    e = rel;
    e.warehouse = "W9";
    refused(db, e, "warehouse", "expected a warehouse in the ledger");
    e = rel;
    e.metal = "Dy";
    refused(db, e, "metal", "expected nothing for a release");
    /* back-dated: on 2026-02-01 the lot held 12.5 t, but the release of 3 t on 2026-03-01 needs
     * 3 t of it after that date: at most 9.5 t may leave on 2026-02-01 */
    e = rel;
    e.date = "2026-02-01";
    e.tonnes = "10";
    refused(db, e, "tonnes", "expected at most 9.5 t: lot DY-2026-01 holds 12.5 t in W1 on 2026-02-01, but movements");
    e.tonnes = "9.5";
    record(db, e, NULL); /* exactly allowed: the lot is at zero after 2026-03-01 */
    assert_int_equal(balance(db, "DY-2026-01", "W1"), 0);
    e.tonnes = "0.000001";
    refused(db, e, "tonnes", "movements recorded after that date need the rest");

    /* acquisitions: errors */
    rmct_stock_entry acq = {.kind = "acquire", .metal = "W", .tonnes = "2", .form = "metal", .purity = "0.999",
                            .warehouse = "W2", .date = "2026-02-01", .lot = "W-2026-01"};
    e = acq;
    e.lot = "DY-2026-01";
    refused(db, e, "lot", "expected a new lot code");
    e = acq;
    e.metal = "copper";
    refused(db, e, "metal", "expected one of Korea's 35 rare-metal types");
    e.metal = "unobtainium";
    refused(db, e, "metal", "expected a metal");
    e = acq;
    e.purity = "99.9";
    refused(db, e, "purity", "expected a fraction");
    e = acq;
    e.form = "powder";
    refused(db, e, "form", "expected metal, oxide, alloy or compound");
    e = acq;
    e.form = "alloy";
    refused(db, e, "contained_t", "expected the contained tonnes, or a formula");
    e = acq;
    e.contained_t = "2.5";
    refused(db, e, "contained_t", "expected at most the gross 2 t");
    e = acq;
    e.unit_cost = "5000";
    refused(db, e, "currency", "expected the currency");
    e.currency = "usd";
    refused(db, e, "currency", "ISO 4217");
    e = acq;
    e.supplier = "Atlantis";
    refused(db, e, "supplier", "expected the supplier's country");
    e = acq;
    e.formula = "WXyz";
    e.form = "compound";
    refused(db, e, "formula", "formula \"WXyz\"");
    e = acq;
    e.lot = "bad code!";
    refused(db, e, "lot", "expected a lot code");
    /* a metal lot: contained = gross x purity = 1.998 t */
    record(db, acq, &r);
    assert_int_equal(r.contained_g, 1998000);
    /* a compound with its formula: Li2CO3, Li fraction 2 x 6.94 / 73.888 (C 12.011, O 15.999) */
    record(db, (rmct_stock_entry){.kind = "acquire", .metal = "lithium", .tonnes = "100", .form = "compound",
                                  .formula = "Li2CO3", .purity = "0.995", .warehouse = "W2", .date = "2026-02-01",
                                  .lot = "LI-1"}, &r);
    double li = 2 * 6.94 / (2 * 6.94 + 12.011 + 3 * 15.999);
    assert_int_equal(r.contained_g, llround(100e6 * 0.995 * li));

    /* transfer, adjust, reverse */
    record(db, (rmct_stock_entry){.kind = "transfer", .lot = "W-2026-01", .tonnes = "0.5", .to_warehouse = "W1",
                                  .date = "2026-02-10", .reason = "rebalance"}, &r);
    assert_string_equal(r.from, "W2");
    refused(db, (rmct_stock_entry){.kind = "transfer", .lot = "W-2026-01", .tonnes = "0.5", .warehouse = "W2",
                                   .to_warehouse = "W2", .reason = "x"}, "to_warehouse", "other than");
    /* the lot is in two warehouses now: a release must say which */
    refused(db, (rmct_stock_entry){.kind = "sale", .lot = "W-2026-01", .tonnes = "0.1", .reason = "x"}, "warehouse",
            "is held in W1 (0.5 t), W2 (1.5 t)");
    /* a count of 1.45 t in W2 against 1.5 t on the book: -0.05 t */
    record(db, (rmct_stock_entry){.kind = "adjust", .lot = "W-2026-01", .warehouse = "W2", .counted = "1.45",
                                  .reason = "count"}, &r);
    assert_int_equal(r.book_g, 1500000);
    assert_int_equal(r.qty_g, 50000);
    assert_string_equal(r.from, "W2");
    /* a count equal to the book records nothing */
    int64_t before = ledger_state(db);
    record(db, (rmct_stock_entry){.kind = "adjust", .lot = "W-2026-01", .warehouse = "W2", .counted = "1.45",
                                  .reason = "count"}, &r);
    assert_int_equal(r.movement_id, 0);
    assert_int_equal(ledger_state(db), before);
    /* found more by +0.01 t */
    record(db, (rmct_stock_entry){.kind = "adjust", .lot = "W-2026-01", .warehouse = "W1", .tonnes = "+0.01",
                                  .reason = "count"}, &r);
    assert_string_equal(r.to, "W1");
    assert_int_equal(balance(db, "W-2026-01", "W1"), 510000);
    refused(db, (rmct_stock_entry){.kind = "adjust", .lot = "W-2026-01", .warehouse = "W1", .counted = "-1",
                                   .reason = "count"}, "counted", "zero or more");
    /* reverse the transfer (movement 6): 0.5 t back from W1 to W2 */
    int64_t transfer = count(db, "SELECT id FROM stock_movement WHERE kind = 'transfer'");
    char id[16];
    snprintf(id, sizeof id, "%lld", (long long)transfer);
    record(db, (rmct_stock_entry){.kind = "reversal", .reverses = id, .reason = "wrong warehouse"}, &r);
    assert_string_equal(r.from, "W1");
    assert_string_equal(r.to, "W2");
    assert_string_equal(r.date, TODAY);
    assert_int_equal(balance(db, "W-2026-01", "W1"), 10000);
    assert_int_equal(balance(db, "W-2026-01", "W2"), 1950000);
    refused(db, (rmct_stock_entry){.kind = "reversal", .reverses = id, .reason = "again"}, "reverses",
            "already reversed by movement");
    snprintf(id, sizeof id, "%lld", (long long)r.movement_id);
    refused(db, (rmct_stock_entry){.kind = "reversal", .reverses = id, .reason = "x"}, "reverses",
            "not itself a reversal");
    refused(db, (rmct_stock_entry){.kind = "reversal", .reverses = "999", .reason = "x"}, "reverses",
            "expected the id of a movement");
    /* reversing the acquisition of W-2026-01 would take 2 t out of W2, which holds 1.95 t */
    int64_t acq_id = count(db, "SELECT m.id FROM stock_movement m JOIN stock_lot l ON l.id = m.lot_id "
                               "WHERE l.code = 'W-2026-01' AND m.kind = 'acquire'");
    snprintf(id, sizeof id, "%lld", (long long)acq_id);
    refused(db, (rmct_stock_entry){.kind = "reversal", .reverses = id, .reason = "x"}, "reverses",
            "reverse the later movements first");
    refused(db, (rmct_stock_entry){.kind = "lend", .lot = "W-2026-01"}, "kind", "expected acquire, release");
    /* warehouses */
    rmct_error err;
    rmct_error_clear(&err);
    assert_int_not_equal(rmct_stock_warehouse_add(db, &ctx, "W1", "again", NULL, &err), RMCT_OK);
    assert_string_equal(err.field, "code");
    assert_int_not_equal(rmct_stock_warehouse_add(db, &ctx, "W 3", "bad", NULL, &err), RMCT_OK);
    assert_int_not_equal(rmct_stock_warehouse_add(db, &ctx, "W3", "", NULL, &err), RMCT_OK);
    assert_string_equal(err.field, "name");
    rmct_stock_ctx no_actor = {"", TODAY};
    assert_int_not_equal(rmct_stock_warehouse_add(db, &no_actor, "W3", "x", NULL, &err), RMCT_OK);
    consistent(db);

    /* the audit log: one row per warehouse (2), lot (3) and movement */
    assert_int_equal(count(db, "SELECT count(*) FROM stock_audit"),
                     2 + 3 + count(db, "SELECT count(*) FROM stock_movement"));
    assert_int_equal(count(db, "SELECT count(*) FROM stock_audit WHERE actor <> 'tester' OR at NOT LIKE '20%Z'"), 0);

    /* holdings and history */
    rmct_stock_holding *h;
    int n;
    rmct_stock_filter f = {.metal = "W"};
    assert_ok(rmct_stock_holdings(db, &f, &h, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_string_equal(h[0].warehouse, "W1");
    assert_int_equal(h[1].held_g, 1950000);
    assert_float_equal(h[1].contained_t, 1.95 * 0.999, 1e-9);
    free(h);
    f = (rmct_stock_filter){.lot = "W-2026-01", .as_of = "2026-02-09"}; /* before the transfer: 2 t in W2 */
    assert_ok(rmct_stock_holdings(db, &f, &h, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].held_g, 2000000);
    free(h);
    rmct_stock_movement *m;
    rmct_stock_history_filter hf = {.lot = "DY-2026-01"};
    assert_ok(rmct_stock_history(db, &hf, false, &m, &n, &err), &err);
    /* in date order: acquire 12.5 (01-15), release 9.5 (02-01, recorded third), release 3 (03-01) */
    assert_int_equal(n, 3);
    assert_string_equal(m[1].date, "2026-02-01");
    assert_int_equal(m[1].lot_balance_g, 3000000);
    assert_int_equal(m[2].lot_balance_g, 0);
    free(m);
}

/* ---------------- the store refuses what breaks the invariants ---------------- */

static int exec_sql(rmct_db *db, const char *sql)
{
    return sqlite3_exec(rmct_db_sqlite(db), sql, NULL, NULL, NULL);
}

static void test_store_invariants(void **state)
{
    world *w = *state;
    rmct_db *db = w->db;
    warehouses(db);
    record(db, (rmct_stock_entry){.kind = "acquire", .metal = "Co", .tonnes = "10", .form = "metal", .purity = "0.998",
                                  .warehouse = "W1", .date = "2026-01-10", .lot = "CO-1"}, NULL);
    record(db, (rmct_stock_entry){.kind = "release", .lot = "CO-1", .tonnes = "4", .date = "2026-02-10",
                                  .reason = "sale"}, NULL);
    int64_t before = ledger_state(db);
    const char *refused_sql[] = {
        /* history is immutable */
        "UPDATE stock_movement SET qty_g = 1 WHERE id = 2",
        "DELETE FROM stock_movement WHERE id = 2",
        "UPDATE stock_lot SET purity = 0.5",
        "DELETE FROM stock_lot",
        "UPDATE stock_warehouse SET name = 'x'",
        "DELETE FROM stock_warehouse WHERE code = 'W2'",
        "UPDATE stock_audit SET actor = 'nobody'",
        "DELETE FROM stock_audit",
        /* nothing goes negative: 6 t left */
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'release', '2026-03-01', 'W1', NULL, 6000001, 'r', 'a', 'a')",
        /* nor at an earlier date: 10 t on 2026-02-01 but the 4 t of 2026-02-10 leave only 6 t */
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'transfer', '2026-02-01', 'W1', 'W2', 7000000, 'r', 'a', 'a')",
        /* nor from a warehouse that does not hold the lot */
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'release', '2026-03-01', 'W2', NULL, 1, 'r', 'a', 'a')",
        /* every movement balances: a quantity > 0 from one place to another */
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'release', '2026-03-01', 'W1', NULL, -5, 'r', 'a', 'a')",
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'transfer', '2026-03-01', 'W1', 'W1', 5, 'r', 'a', 'a')",
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'adjust', '2026-03-01', NULL, NULL, 5, 'r', 'a', 'a')",
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'release', '2026-03-01', NULL, 'W1', 5, 'r', 'a', 'a')",
        /* a second acquisition, a movement before the lot, an impossible date, no reason */
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'acquire', '2026-01-10', NULL, 'W1', 10000000, 'r', 'a', 'a')",
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'adjust', '2026-01-09', NULL, 'W1', 5, 'r', 'a', 'a')",
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'adjust', '2026-02-30', NULL, 'W1', 5, 'r', 'a', 'a')",
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) "
        "VALUES (1, 'adjust', '2026-03-01', NULL, 'W1', 5, '', 'a', 'a')",
        /* reversals mirror: wrong quantity, places not swapped, twice */
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by, reverses) "
        "VALUES (1, 'reversal', '2026-03-01', NULL, 'W1', 3000000, 'r', 'a', 'a', 2)",
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by, reverses) "
        "VALUES (1, 'reversal', '2026-03-01', 'W1', NULL, 4000000, 'r', 'a', 'a', 2)",
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by, reverses) "
        "VALUES (1, 'reversal', '2026-02-09', NULL, 'W1', 4000000, 'r', 'a', 'a', 2)",
        /* a lot whose element is not of its type, unknown warehouse, contained above gross */
        "INSERT INTO stock_lot(code, type_code, element, form, purity, gross_g, contained_g, contained_basis, acquired, "
        "warehouse, reason, actor, recorded_by) VALUES ('X', 'REE', 'W', 'metal', 1, 5, 5, 'b', '2026-01-01', 'W1', 'r', "
        "'a', 'a')",
        "INSERT INTO stock_lot(code, type_code, element, form, purity, gross_g, contained_g, contained_basis, acquired, "
        "warehouse, reason, actor, recorded_by) VALUES ('X', 'W', 'W', 'metal', 1, 5, 5, 'b', '2026-01-01', 'W9', 'r', "
        "'a', 'a')",
        "INSERT INTO stock_lot(code, type_code, element, form, purity, gross_g, contained_g, contained_basis, acquired, "
        "warehouse, reason, actor, recorded_by) VALUES ('X', 'W', 'W', 'metal', 1, 5, 6, 'b', '2026-01-01', 'W1', 'r', "
        "'a', 'a')",
    };
    for (size_t i = 0; i < sizeof refused_sql / sizeof *refused_sql; i++) {
        exec_sql(db, "PRAGMA foreign_keys = ON");
        if (exec_sql(db, refused_sql[i]) == SQLITE_OK) fail_msg("the store accepted: %s", refused_sql[i]);
        assert_int_equal(ledger_state(db), before);
    }
    /* a mirroring reversal written by hand is accepted, and audited by the store */
    assert_int_equal(exec_sql(db, "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, "
                                  "recorded_by, reverses) VALUES (1, 'reversal', '2026-03-01', NULL, 'W1', 4000000, 'r', "
                                  "'a', 'someone', 2)"), SQLITE_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM stock_audit WHERE actor = 'someone' AND action = 'movement'"), 1);
    assert_int_equal(balance(db, "CO-1", "W1"), 10000000);
    consistent(db);

    /* the check finds what a damaged store would hold: with the guard dropped, a release of 1 t
     * edited to 20 t takes W1 from 10 t to -10 t */
    record(db, (rmct_stock_entry){.kind = "release", .lot = "CO-1", .tonnes = "1", .date = "2026-03-05",
                                  .reason = "sale"}, NULL);
    consistent(db);
    assert_int_equal(exec_sql(db, "DROP TRIGGER stock_movement_no_update"), SQLITE_OK);
    assert_int_equal(exec_sql(db, "UPDATE stock_movement SET qty_g = 20000000 WHERE id = 4"), SQLITE_OK);
    rmct_stock_check c;
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_stock_verify(db, &c, &err), &err);
    assert_true(c.problems > 0);
    assert_non_null(strstr(c.first_problem, "goes below zero in W1 on 2026-03-05"));
}

/* ---------------- the ledger CSV ---------------- */

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

#define HEADER "movement,date,kind,lot,warehouse,to_warehouse,tonnes,reason,actor,reference,reverses,metal,form,purity," \
               "contained_t,formula,unit_cost,currency,supplier\n"

static void test_import(void **state)
{
    world *w = *state;
    rmct_db *db = w->db;
    char path[200];
    snprintf(path, sizeof path, "%s/ledger%d.csv", base_dir, test_no);
    const char *good = HEADER
        "10,2026-01-15,acquire,DY-2026-01,W1,,12.5,purchase,lee,PO-1,,Dy,oxide,0.995,,,4200000,USD,CHN\n"
        "11,2026-02-01,transfer,DY-2026-01,W1,W2,4,rebalance,lee,,,,,,,,,,\n"
        "12,2026-03-01,release,DY-2026-01,W1,,3,emergency release,park,ER-7,,,,,,,,,\n"
        "13,2026-03-02,adjust,DY-2026-01,W2,,-0.1,annual count,park,,,,,,,,,,\n"
        "14,2026-03-05,reversal,DY-2026-01,,,3,entered twice,park,,12,,,,,,,,\n";
    write_file(path, good);
    rmct_stock_import_opts opts = {0};
    rmct_stock_import_result res;
    rmct_error err;
    rmct_error_clear(&err);
    /* the warehouses are not registered */
    int64_t before = ledger_state(db);
    assert_int_equal(rmct_stock_import(db, &ctx, path, "ledger.csv", &opts, &res, &err), RMCT_E_INPUT);
    assert_string_equal(err.file, "ledger.csv");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 34);
    assert_string_equal(err.field, "warehouse");
    assert_int_equal(ledger_state(db), before);
    opts.create_warehouses = true;
    assert_ok(rmct_stock_import(db, &ctx, path, "ledger.csv", &opts, &res, &err), &err);
    assert_false(res.unchanged);
    assert_int_equal(res.rows, 5);
    assert_int_equal(res.lots, 1);
    assert_int_equal(res.warehouses_created, 2);
    assert_string_equal(res.first_date, "2026-01-15");
    assert_string_equal(res.last_date, "2026-03-05");
    /* 12.5 - 4 - 3 + 3 = 8.5 t in W1; 4 - 0.1 = 3.9 t in W2 */
    assert_int_equal(balance(db, "DY-2026-01", "W1"), 8500000);
    assert_int_equal(balance(db, "DY-2026-01", "W2"), 3900000);
    /* the reversal refers to the file's movement 12, stored as the ledger's movement 3 */
    assert_int_equal(count(db, "SELECT reverses FROM stock_movement WHERE kind = 'reversal'"), 3);
    assert_int_equal(count(db, "SELECT count(*) FROM stock_movement WHERE source_id = (SELECT id FROM source WHERE "
                               "dataset = 'stock-ledger') AND src_line BETWEEN 2 AND 6"), 5);
    assert_int_equal(count(db, "SELECT count(*) FROM stock_movement WHERE actor = 'park' AND recorded_by = 'tester'"), 3);
    consistent(db);
    /* the same bytes again: nothing */
    before = ledger_state(db);
    assert_ok(rmct_stock_import(db, &ctx, path, "ledger.csv", &opts, &res, &err), &err);
    assert_true(res.unchanged);
    assert_int_equal(ledger_state(db), before);

    /* bad files: the first bad row rejects the file, naming line, column and field */
    struct {
        const char *rows;
        long line, col;
        const char *field, *needle;
    } bad[] = {
        /* over-release on line 3: 5 t held in W1 */
        {"1,2026-01-15,acquire,CO-1,W1,,5,purchase,,,,Co,metal,0.998,,,,,\n"
         "2,2026-03-01,release,CO-1,W1,,6,sale,,,,,,,,,,,\n", 3, 31, "tonnes", "expected at most 5 t"},
        {"1,2026-01-15,acquire,CO-1,W1,,5,purchase,,,,Co,metal,0.998,,,,,\n"
         "2,2026-03-01,release,CO-9,W1,,1,sale,,,,,,,,,,,\n", 3, 22, "lot", "expected a lot in the ledger"},
        {"1,2026-01-15,acquire,CO-1,W1,,-5,purchase,,,,Co,metal,0.998,,,,,\n", 2, 31, "tonnes", "positive"},
        {"1,2026-01-15,acquire,CO-1,W1,,five,purchase,,,,Co,metal,0.998,,,,,\n", 2, 31, "tonnes", "got \"five\""},
        {"1,2027-01-15,acquire,CO-1,W1,,5,purchase,,,,Co,metal,0.998,,,,,\n", 2, 3, "date", "a date in the future"},
        {"1,2026-01-15,acquire,CO-1,W1,,5,purchase,,,,Co,metal,0.998,,,,,\n"
         "2,2026-01-14,release,CO-1,W1,,1,sale,,,,,,,,,,,\n", 3, 3, "date", "when lot CO-1 was acquired"},
        {"1,2026-01-15,acquire,CO-1,W1,,5,purchase,,,,Co,metal,0.998,,,,,\n"
         "2,2026-01-16,reversal,CO-1,,,,oops,,,7,,,,,,,,\n", 3, 38, "reverses", "an earlier row of this file"},
        {"1,2026-01-15,acquire,CO-1,W1,,5,purchase,,,,Co,metal,0.998,,,,,\n"
         "1,2026-01-16,release,CO-1,W1,,1,sale,,,,,,,,,,,\n", 3, 1, "movement", "each movement number once"},
        {"1,,acquire,CO-1,W1,,5,purchase,,,,Co,metal,0.998,,,,,\n", 2, 3, "date", "got an empty field"},
        {"1,2026-01-15,buy,CO-1,W1,,5,purchase,,,,Co,metal,0.998,,,,,\n", 2, 14, "kind", "expected acquire"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s", HEADER, bad[i].rows);
        snprintf(path, sizeof path, "%s/bad%d-%zu.csv", base_dir, test_no, i);
        write_file(path, text);
        before = ledger_state(db);
        rmct_error_clear(&err);
        if (rmct_stock_import(db, &ctx, path, "bad.csv", &opts, &res, &err) == RMCT_OK)
            fail_msg("case %zu: imported a bad file", i);
        if (err.line != bad[i].line || err.col != bad[i].col || strcmp(err.field, bad[i].field) ||
            !strstr(err.msg, bad[i].needle))
            fail_msg("case %zu: got %ld:%ld %s: %s", i, err.line, err.col, err.field, err.msg);
        assert_int_equal(ledger_state(db), before);
        unlink(path);
    }
    /* a header with an unknown column */
    snprintf(path, sizeof path, "%s/hdr%d.csv", base_dir, test_no);
    write_file(path, "date,kind,lot,warehouse,tonnes,reason,colour\n");
    assert_int_not_equal(rmct_stock_import(db, &ctx, path, NULL, &opts, &res, &err), RMCT_OK);
    assert_int_equal(err.line, 1);
    unlink(path);
    snprintf(path, sizeof path, "%s/ledger%d.csv", base_dir, test_no);
    unlink(path);
    consistent(db);
}

/* ---------------- two writers at once ---------------- */

#define WRITES 150

static void writer_child(const char *path, int fd, int who)
{
    rmct_db *db;
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_db_open(&db, path, false, &err)) _exit(3);
    long ok = 0, short_ = 0, other = 0;
    char lot[32];
    for (int i = 0; i < WRITES; i++) {
        /* a release from the shared lot, and a lot of one's own */
        rmct_stock_entry rel = {.kind = "release", .lot = "SHARED", .warehouse = "W1", .tonnes = "0.001",
                                .reason = "concurrent"};
        rmct_stock_result r;
        rmct_error_clear(&err);
        rmct_code rc = rmct_stock_record(db, &ctx, &rel, &r, &err);
        if (rc == RMCT_OK) ok++;
        else if (rc == RMCT_E_INPUT && !strcmp(err.field, "tonnes")) short_++;
        else other++;
        snprintf(lot, sizeof lot, "P%d-%d", who % 10, i % 1000);
        rmct_stock_entry acq = {.kind = "acquire", .lot = lot, .metal = "In", .tonnes = "0.01", .form = "metal",
                                .purity = "0.9999", .warehouse = i % 2 ? "W1" : "W2", .date = TODAY};
        if (rmct_stock_record(db, &ctx, &acq, &r, &err)) other++;
    }
    rmct_db_close(db);
    long out[3] = {ok, short_, other};
    if (write(fd, out, sizeof out) != (ssize_t)sizeof out) _exit(4);
    _exit(0);
}

static void test_concurrent_writers(void **state)
{
    world *w = *state;
    warehouses(w->db);
    /* the shared lot holds 0.2 t: 200 releases of 1 kg can succeed, of the 300 attempted */
    record(w->db, (rmct_stock_entry){.kind = "acquire", .metal = "Ga", .tonnes = "0.2", .form = "metal",
                                     .purity = "0.99999", .warehouse = "W1", .date = "2026-01-02", .lot = "SHARED"}, NULL);
    rmct_db_close(w->db); /* no connection crosses the fork */
    w->db = NULL;
    int fds[2][2];
    pid_t pid[2];
    for (int k = 0; k < 2; k++) {
        assert_int_equal(pipe(fds[k]), 0);
        pid[k] = fork();
        assert_true(pid[k] >= 0);
        if (pid[k] == 0) {
            close(fds[k][0]);
            writer_child(w->path, fds[k][1], k);
        }
        close(fds[k][1]);
    }
    long sum[3] = {0, 0, 0};
    for (int k = 0; k < 2; k++) {
        long got[3];
        assert_int_equal(read(fds[k][0], got, sizeof got), (ssize_t)sizeof got);
        close(fds[k][0]);
        int status;
        assert_int_equal(waitpid(pid[k], &status, 0), pid[k]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        for (int j = 0; j < 3; j++) sum[j] += got[j];
    }
    /* exactly 200 releases succeeded, 100 were refused as over-releases, nothing else failed */
    assert_int_equal(sum[0], 200);
    assert_int_equal(sum[1], 100);
    assert_int_equal(sum[2], 0);
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_db_open(&w->db, w->path, false, &err), &err);
    assert_int_equal(count(w->db, "SELECT count(*) FROM stock_movement WHERE kind = 'release'"), 200);
    assert_int_equal(balance(w->db, "SHARED", "W1"), 0);
    /* 1 + 2 x 150 lots, each acquired once; 0.01 t each */
    assert_int_equal(count(w->db, "SELECT count(*) FROM stock_lot"), 1 + 2 * WRITES);
    assert_int_equal(count(w->db, "SELECT count(*) FROM stock_movement WHERE kind = 'acquire'"), 1 + 2 * WRITES);
    assert_int_equal(count(w->db, "SELECT sum(qty_g) FROM stock_balance"), 2 * WRITES * 10000);
    consistent(w->db);
}

/* ---------------- kill -9 during heavy writing ---------------- */

#define KILLS 50

/* Writes forever; after each COMMIT, acknowledges the movement id on fd. */
static void killable_writer(const char *path, int fd, int round)
{
    rmct_db *db;
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_db_open(&db, path, false, &err)) _exit(3);
    char lot[64], rev[32];
    int64_t last_transfer = 0;
    for (long i = 0;; i++) {
        rmct_stock_entry e = {.reason = "load", .date = TODAY};
        switch (i % 6) {
        case 0: e = (rmct_stock_entry){.kind = "transfer", .lot = "K", .warehouse = "W1", .to_warehouse = "W2",
                                       .tonnes = "0.001", .reason = "load"}; break;
        case 1: e = (rmct_stock_entry){.kind = "transfer", .lot = "K", .warehouse = "W2", .to_warehouse = "W1",
                                       .tonnes = "0.0005", .reason = "load"}; break;
        case 2: e = (rmct_stock_entry){.kind = "adjust", .lot = "K", .warehouse = "W1", .tonnes = "+0.000003",
                                       .reason = "count"}; break;
        case 3: e = (rmct_stock_entry){.kind = "release", .lot = "K", .warehouse = "W1", .tonnes = "0.000002",
                                       .reason = "load"}; break;
        case 4:
            snprintf(lot, sizeof lot, "K-%d-%ld", round, i);
            e = (rmct_stock_entry){.kind = "acquire", .lot = lot, .metal = "Nd", .tonnes = "0.5", .form = "oxide",
                                   .purity = "0.995", .warehouse = "W2", .date = TODAY};
            break;
        default:
            if (!last_transfer) continue;
            snprintf(rev, sizeof rev, "%lld", (long long)last_transfer);
            e = (rmct_stock_entry){.kind = "reversal", .reverses = rev, .reason = "undo"};
            break;
        }
        rmct_stock_result r;
        if (rmct_stock_record(db, &ctx, &e, &r, &err)) { fprintf(stderr, "writer: %s: %s\n", err.field, err.msg); _exit(5); } /* every entry here is valid */
        if (i % 6 == 1) last_transfer = r.movement_id; /* W2 -> W1: its reversal draws on W1 */
        if (write(fd, &r.movement_id, sizeof r.movement_id) != (ssize_t)sizeof r.movement_id) _exit(4);
    }
}

static void test_kill_writer(void **state)
{
    world *w = *state;
    warehouses(w->db);
    record(w->db, (rmct_stock_entry){.kind = "acquire", .metal = "Nd", .tonnes = "100", .form = "metal", .purity = "0.999",
                                     .warehouse = "W1", .date = "2026-01-02", .lot = "K"}, NULL);
    rmct_db_close(w->db);
    w->db = NULL;
    srand(20260310);
    long acked_total = 0, killed_mid_run = 0;
    int64_t *acked = NULL;
    size_t cap = 0;
    for (int round = 0; round < KILLS; round++) {
        int fd[2];
        assert_int_equal(pipe(fd), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fd[0]);
            killable_writer(w->path, fd[1], round);
        }
        close(fd[1]);
        /* let it write for 3 to 22 ms, then SIGKILL: at a random point of a transaction */
        struct timespec ts = {0, (3 + rand() % 20) * 1000000L};
        nanosleep(&ts, NULL);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) killed_mid_run++;
        else fail_msg("round %d: the writer stopped by itself (status %d)", round, status);
        size_t n = 0;
        int64_t id;
        ssize_t got;
        while ((got = read(fd[0], &id, sizeof id)) == (ssize_t)sizeof id) {
            if (n == cap) {
                cap = cap ? 2 * cap : 1024;
                acked = realloc(acked, cap * sizeof *acked);
                assert_non_null(acked);
            }
            acked[n++] = id;
        }
        close(fd[0]);
        /* the ledger after the kill: consistent, and holding every movement acknowledged */
        rmct_error err;
        rmct_error_clear(&err);
        assert_ok(rmct_db_open(&w->db, w->path, false, &err), &err);
        consistent(w->db);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(rmct_db_sqlite(w->db), "SELECT count(*) FROM stock_movement WHERE id = ?", -1,
                                            &st, NULL), SQLITE_OK);
        for (size_t k = 0; k < n; k++) {
            sqlite3_bind_int64(st, 1, acked[k]);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            if (sqlite3_column_int(st, 0) != 1) fail_msg("round %d: acknowledged movement %lld is missing", round,
                                                         (long long)acked[k]);
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        acked_total += (long)n;
        rmct_db_close(w->db);
        w->db = NULL;
    }
    free(acked);
    if (getenv("RMCT_TEST_VERBOSE")) fprintf(stderr, "kill test: %ld movements acknowledged over %d kills\n", acked_total, KILLS);
    assert_int_equal(killed_mid_run, KILLS);
    /* the writers did write (some 700 movements in all with -O2, 160 under the sanitizers) */
    assert_true(acked_total > 0);
    rmct_error err;
    rmct_error_clear(&err);
    assert_ok(rmct_db_open(&w->db, w->path, false, &err), &err);
    assert_true(count(w->db, "SELECT count(*) FROM stock_movement") >= acked_total + 1);
    consistent(w->db);
}

/* ---------------- cover ---------------- */

static void test_cover(void **state)
{
    world *w = *state;
    rmct_db *db = w->db;
    rmct_error err;
    rmct_error_clear(&err);
    /* prices: Nd oxide 73 USD/kg (2025) = 73,000 USD/t; tungsten 380 USD per metric ton unit (10 kg) of
     * WO3 = 38,000 USD/t; palladium 1,100 USD per troy ounce (31.1034768 g); no price for Dy */
    double usd;
    char series[200], unit[120];
    int year;
    assert_ok(rmct_stock_price(db, "REE", "Nd", &usd, series, sizeof series, unit, sizeof unit, &year, &err), &err);
    assert_float_equal(usd, 73000, 1e-6);
    assert_string_equal(series, "Neodymium oxide, 99.5% minimum");
    assert_int_equal(year, 2025);
    assert_ok(rmct_stock_price(db, "W", "W", &usd, series, sizeof series, unit, sizeof unit, &year, &err), &err);
    assert_float_equal(usd, 38000, 1e-6);
    assert_ok(rmct_stock_price(db, "PGM", "Pd", &usd, series, sizeof series, unit, sizeof unit, &year, &err), &err);
    assert_float_equal(usd, 1100 * 1e6 / 31.1034768, 1e-3);
    assert_ok(rmct_stock_price(db, "REE", "Dy", &usd, series, sizeof series, unit, sizeof unit, &year, &err), &err);
    assert_true(isnan(usd));
    /* silicon's prices have no verified unit: none used */
    assert_ok(rmct_stock_price(db, "Si", "Si", &usd, series, sizeof series, unit, sizeof unit, &year, &err), &err);
    assert_true(isnan(usd));

    /* the bundled targets and sourced demand */
    rmct_stock_target *tg;
    int ntg;
    assert_ok(rmct_stock_targets_read(db, RMCT_DATADIR "/stockpile_targets.csv", &tg, &ntg, &err), &err);
    assert_int_equal(ntg, 14);
    assert_string_equal(tg[0].id, "KR-100D");
    assert_string_equal(tg[0].metal, "*");
    assert_float_equal(tg[0].value, 100, 0);
    assert_string_equal(tg[1].metal, "REE");
    assert_true(tg[1].tonnes);
    assert_float_equal(tg[1].value, 1500, 0);
    rmct_stock_demand *dem;
    int ndem;
    assert_ok(rmct_stock_demand_read(db, RMCT_DATADIR "/stockpile_demand.csv", RMCT_DEMAND_SOURCED, &dem, &ndem, &err),
              &err);
    assert_int_equal(ndem, 1);
    assert_string_equal(dem[0].metal, "REE");
    assert_float_equal(dem[0].t_per_day, 15, 0);

    /* the chains' demand: Dy 0.0567188 t a month in ree-magnets (rmct chain show ree-magnets) */
    char **paths;
    int np;
    assert_ok(rmct_chain_list(RMCT_DATADIR "/chains", &paths, &np, &err), &err);
    rmct_chain *chains[16];
    assert_true(np <= 16);
    for (int i = 0; i < np; i++) assert_ok(rmct_chain_load(paths[i], &chains[i], &err), &err);
    rmct_chain_list_free(paths, np);
    rmct_stock_demand *cd;
    int ncd;
    assert_ok(rmct_stock_chain_demand(chains, np, &cd, &ncd, &err), &err);
    for (int i = 0; i < np; i++) rmct_chain_free(chains[i]);
    int dy = -1;
    for (int i = 0; i < ncd; i++)
        if (!strcmp(cd[i].metal, "Dy")) dy = i;
    assert_true(dy >= 0);
    assert_float_equal(cd[dy].t_per_day * 365 / 12, 0.0567188, 1e-6);
    assert_int_equal(cd[dy].kind, RMCT_DEMAND_CHAINS);

    /* a ledger: 10.837 t Dy (the oxide lot) and 1 t Nd metal; a user figure of 0.5 t/day for Nd */
    warehouses(db);
    record(db, (rmct_stock_entry){.kind = "acquire", .metal = "Dy", .tonnes = "12.5", .form = "oxide", .purity = "0.995",
                                  .warehouse = "W1", .date = "2026-01-15", .lot = "DY-1"}, NULL);
    record(db, (rmct_stock_entry){.kind = "acquire", .metal = "Nd", .tonnes = "1", .form = "metal", .purity = "1",
                                  .warehouse = "W1", .date = "2026-02-15", .lot = "ND-1"}, NULL);
    int nall = ncd + ndem + 1;
    rmct_stock_demand *all = calloc((size_t)nall, sizeof *all);
    memcpy(all, cd, (size_t)ncd * sizeof *cd);
    memcpy(all + ncd, dem, (size_t)ndem * sizeof *dem);
    all[nall - 1] = (rmct_stock_demand){.metal = "Nd", .t_per_day = 0.5, .kind = RMCT_DEMAND_USER, .basis = "test"};
    rmct_cover_row *rows;
    int n;
    assert_ok(rmct_stock_cover(db, NULL, all, nall, tg, ntg, "KR", false, &rows, &n, &err), &err);
    const rmct_cover_row *nd = NULL, *ree_days = NULL, *ree_t = NULL, *dyr = NULL;
    for (int i = 0; i < n; i++) {
        if (!strcmp(rows[i].metal, "Nd")) nd = &rows[i];
        if (!strcmp(rows[i].metal, "Dy")) dyr = &rows[i];
        if (!strcmp(rows[i].metal, "REE") && rows[i].target >= 0 && !tg[rows[i].target].tonnes) ree_days = &rows[i];
        if (!strcmp(rows[i].metal, "REE") && rows[i].target >= 0 && tg[rows[i].target].tonnes) ree_t = &rows[i];
    }
    assert_non_null(nd);
    assert_non_null(dyr);
    assert_non_null(ree_days);
    assert_non_null(ree_t);
    /* Nd: the user's 0.5 t/day wins; 1 t = 2 days; 100 days = 50 t; 49 t and 98 days short, at
     * 73,000 USD/t = 3,577,000 USD */
    assert_int_equal(nd->demand_kind, RMCT_DEMAND_USER);
    assert_float_equal(nd->days, 2, 1e-9);
    assert_float_equal(nd->target_t, 50, 1e-9);
    assert_float_equal(nd->short_t, 49, 1e-9);
    assert_float_equal(nd->short_days, 98, 1e-9);
    assert_float_equal(nd->short_usd, 49 * 73000.0, 1e-3);
    /* Dy: the chains' demand, far below the stock: nothing short; no price */
    assert_int_equal(dyr->demand_kind, RMCT_DEMAND_CHAINS);
    assert_float_equal(dyr->short_t, 0, 0);
    assert_true(isnan(dyr->price_usd_t));
    /* REE as a whole: 10.837 + 1 t contained against 15 t/day (sourced): 0.789 days; 1,500 t both
     * ways (100 x 15 and the tonnage target) */
    double ree = 10.837051 + 1;
    assert_float_equal(ree_days->stock_t, ree, 1e-6);
    assert_float_equal(ree_days->days, ree / 15, 1e-9);
    assert_float_equal(ree_days->target_t, 1500, 1e-9);
    assert_float_equal(ree_t->short_t, 1500 - ree, 1e-6);
    assert_float_equal(ree_t->short_days, (1500 - ree) / 15, 1e-6);
    assert_true(ree_t->aggregate);
    /* ranked by days short: REE (99.2 days short) before Nd (98) */
    assert_true(ree_days < nd);
    /* as of 2026-02-01: no Nd yet */
    free(rows);
    assert_ok(rmct_stock_cover(db, "2026-02-01", all, nall, tg, ntg, "JP", false, &rows, &n, &err), &err);
    for (int i = 0; i < n; i++)
        if (!strcmp(rows[i].metal, "Nd")) {
            assert_float_equal(rows[i].stock_t, 0, 0);
            assert_float_equal(rows[i].target_t, 30, 1e-9); /* Japan's 60 days x 0.5 t */
        }
    free(rows);
    free(all);
    free(cd);
    free(dem);
    free(tg);

    /* bad target and demand files name line, column and field */
    char path[200];
    snprintf(path, sizeof path, "%s/targets%d.csv", base_dir, test_no);
    write_file(path, "id,set,metal,kind,value,year,note,source,source_url\nA,KR,*,weeks,3,2024,,src,\n");
    assert_int_equal(rmct_stock_targets_read(db, path, &tg, &ntg, &err), RMCT_E_INPUT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 8);
    write_file(path, "metal,t_per_day,year,basis,source,source_url,note\ncopper,3,2024,,src,,\n");
    assert_int_equal(rmct_stock_demand_read(db, path, RMCT_DEMAND_USER, &dem, &ndem, &err), RMCT_E_INPUT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 1);
    write_file(path, "metal,t_per_day,year,basis,source,source_url,note\nLi,-3,2024,,src,,\n");
    assert_int_equal(rmct_stock_demand_read(db, path, RMCT_DEMAND_USER, &dem, &ndem, &err), RMCT_E_INPUT);
    assert_int_equal(err.col, 4);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tonnes),
        cmocka_unit_test_setup_teardown(test_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_invariants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cover, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
