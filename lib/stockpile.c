/* stockpile.c: the stockpile ledger: warehouses, lots, movements, the ledger CSV import, queries
 * and the consistency check (see stockpile.h; the invariants are also triggers in
 * sql/005_stockpile.sql, which catch whatever these checks would miss). */
#include "stockpile.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "formula.h"
#include "registry.h"
#include "text.h"

#define MAX_T_G 1000000000000000LL   /* 1e9 t in grams: larger quantities are typing errors */

/* ---------------- text helpers ---------------- */

bool rmct_stock_valid_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= max;
}

void rmct_stock_local_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

bool rmct_stock_parse_tonnes(const char *text, bool allow_negative, int64_t *grams)
{
    if (!text) return false;
    while (*text == ' ' || *text == '\t') text++;
    const char *p = text;
    bool neg = false;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    int64_t mant = 0;
    int digits = 0, frac = 0, sig = 0;
    bool dot = false;
    for (; isdigit((unsigned char)*p) || (*p == '.' && !dot); p++) {
        if (*p == '.') {
            dot = true;
            continue;
        }
        digits++;
        if (dot) frac++;
        if (sig || *p != '0') {
            if (++sig > 18) return false;
            mant = mant * 10 + (*p - '0');
        }
    }
    if (!digits) return false;
    long ex = 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (!rmct_parse_long(p, -30, 30, &ex)) return false;
        /* rmct_parse_long took the rest, blanks included */
        p += strlen(p);
    }
    while (*p == ' ' || *p == '\t') p++;
    if (*p) return false;
    long e10 = ex - frac + 6; /* grams = mant * 10^e10 */
    for (; e10 > 0; e10--) {
        if (mant > MAX_T_G) return false;
        mant *= 10;
    }
    for (; e10 < 0; e10++) {
        if (mant % 10) return false; /* finer than a gram */
        mant /= 10;
    }
    if (mant == 0 || mant > MAX_T_G) return false;
    if (neg && !allow_negative) return false;
    *grams = neg ? -mant : mant;
    return true;
}

const char *rmct_stock_fmt_tonnes(char *buf, size_t size, int64_t g)
{
    uint64_t a = g < 0 ? (uint64_t)(-(g + 1)) + 1 : (uint64_t)g;
    int n = snprintf(buf, size, "%s%llu.%06llu", g < 0 ? "-" : "", (unsigned long long)(a / 1000000),
                     (unsigned long long)(a % 1000000));
    if (n <= 0 || (size_t)n >= size) return buf;
    while (n > 0 && buf[n - 1] == '0') buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.') buf[--n] = '\0';
    return buf;
}

static const char *ts(char *buf, int64_t g) { return rmct_stock_fmt_tonnes(buf, 32, g); }

/* An error about one field of an entry: err->field names it, the caller adds where it came from. */
static rmct_code ferr(rmct_error *err, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static rmct_code ferr(rmct_error *err, const char *field, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rmct_error_at(err, NULL, 0, 0, field, "%s", msg);
}

static bool given(const char *s) { return s && *s; }

/* ---------------- the transaction context ---------------- */

typedef struct {
    rmct_db *db;
    const rmct_stock_ctx *ctx;
    rmct_registry *reg;
    int64_t source_id;   /* 0: entered by hand */
    long src_line;
} stx;

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    if (given(s)) sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

static void bind_source(stx *t, sqlite3_stmt *st, int i)
{
    if (t->source_id) {
        sqlite3_bind_int64(st, i, t->source_id);
        sqlite3_bind_int64(st, i + 1, t->src_line);
    } else {
        sqlite3_bind_null(st, i);
        sqlite3_bind_null(st, i + 1);
    }
}

/* Text that the ledger stores: valid UTF-8 without control characters, at most max bytes. */
static rmct_code check_text(const char *field, const char *s, size_t max, rmct_error *err)
{
    if (!s) return RMCT_OK;
    size_t len = strlen(s);
    char q[128];
    if (rmct_utf8_valid_prefix(s, len) != len)
        return ferr(err, field, "expected UTF-8 text, got bytes that are not");
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return ferr(err, field, "expected text without control characters, got \"%s\"",
                        rmct_error_quote(s, q, sizeof q));
    if (len > max) return ferr(err, field, "expected at most %zu bytes, got %zu", max, len);
    return RMCT_OK;
}

static bool valid_code(const char *s, size_t max, const char *extra)
{
    size_t n = strlen(s);
    if (n == 0 || n > max) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr(extra, s[i])) return false;
    return true;
}

/* ---------------- warehouses ---------------- */

static rmct_code warehouse_exists(stx *t, const char *code, bool *found, rmct_error *err)
{
    sqlite3_stmt *st;
    static const char *const sql = "SELECT 1 FROM stock_warehouse WHERE code = ?";
    rmct_code rc = rmct_db_cached(t->db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    *found = s == SQLITE_ROW;
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE) return rmct_db_error(t->db, err, "looking up a warehouse");
    return RMCT_OK;
}

static rmct_code warehouse_insert(stx *t, const char *code, const char *name, const char *location, rmct_error *err)
{
    char q[128];
    if (!given(code)) return ferr(err, "code", "expected a warehouse code (e.g. W1, GUNSAN-1), got nothing");
    if (!valid_code(code, 32, "._-"))
        return ferr(err, "code", "expected a warehouse code of up to 32 letters, digits, '.', '_' or '-', got \"%s\"",
                    rmct_error_quote(code, q, sizeof q));
    if (!given(name)) return ferr(err, "name", "expected the warehouse's name, got nothing");
    rmct_code rc;
    if ((rc = check_text("name", name, 150, err)) || (rc = check_text("location", location, 150, err))) return rc;
    bool found;
    if ((rc = warehouse_exists(t, code, &found, err))) return rc;
    if (found) return ferr(err, "code", "expected a new warehouse code, got \"%s\", which is already in the ledger", code);
    sqlite3_stmt *st;
    if ((rc = rmct_db_prepare(t->db, &st,
             "INSERT INTO stock_warehouse(code, name, location, recorded_by, source_id) VALUES (?, ?, ?, ?, ?)", err)))
        return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, location ? location : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, t->ctx->actor, -1, SQLITE_STATIC);
    if (t->source_id) sqlite3_bind_int64(st, 5, t->source_id);
    else sqlite3_bind_null(st, 5);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) return rmct_db_error(t->db, err, "recording the warehouse");
    return RMCT_OK;
}

static rmct_code check_ctx(const rmct_stock_ctx *ctx, rmct_error *err)
{
    if (!ctx || !given(ctx->actor)) return rmct_error_set(err, RMCT_E_ARG, "no actor: the ledger records who makes each change");
    if (!rmct_stock_valid_date(ctx->today))
        return rmct_error_set(err, RMCT_E_ARG, "today's date must be YYYY-MM-DD, got \"%s\"", ctx->today ? ctx->today : "");
    return check_text("actor", ctx->actor, 90, err);
}

rmct_code rmct_stock_warehouse_add(rmct_db *db, const rmct_stock_ctx *ctx, const char *code, const char *name,
                                   const char *location, rmct_error *err)
{
    rmct_code rc = check_ctx(ctx, err);
    if (rc) return rc;
    stx t = {db, ctx, NULL, 0, 0};
    if ((rc = rmct_db_begin(db, err))) return rc;
    if (!(rc = warehouse_insert(&t, code, name, location, err))) rc = rmct_db_commit(db, err);
    if (rc) rmct_db_rollback(db);
    return rc;
}

rmct_code rmct_stock_warehouses(rmct_db *db, rmct_stock_warehouse **out, int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT w.code, w.name, w.location, w.recorded_by, w.recorded_at, "
        "       coalesce(sum(b.qty_g), 0), coalesce(sum(b.qty_g * 1.0 * l.contained_g / l.gross_g), 0) / 1e6, "
        "       count(b.lot_id) "
        "FROM stock_warehouse w LEFT JOIN stock_balance b ON b.warehouse = w.code AND b.qty_g > 0 "
        "LEFT JOIN stock_lot l ON l.id = b.lot_id GROUP BY w.code ORDER BY w.code", err);
    if (rc) return rc;
    int cap = 0, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            rmct_stock_warehouse *v = realloc(*out, (size_t)cap * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            *out = v;
        }
        rmct_stock_warehouse *w = &(*out)[(*n)++];
        memset(w, 0, sizeof *w);
        rmct_db_column_text(st, 0, w->code, sizeof w->code);
        rmct_db_column_text(st, 1, w->name, sizeof w->name);
        rmct_db_column_text(st, 2, w->location, sizeof w->location);
        rmct_db_column_text(st, 3, w->recorded_by, sizeof w->recorded_by);
        rmct_db_column_text(st, 4, w->recorded_at, sizeof w->recorded_at);
        w->held_g = sqlite3_column_int64(st, 5);
        w->contained_t = sqlite3_column_double(st, 6);
        w->lots = sqlite3_column_int(st, 7);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) return rmct_db_error(db, err, "listing warehouses");
    return RMCT_OK;
}

/* ---------------- balances ---------------- */

/* What lot `lot_id` holds in `wh` after every movement dated on or before `date`. */
static rmct_code balance_at(stx *t, int64_t lot_id, const char *wh, const char *date, int64_t *out, rmct_error *err)
{
    static const char *const sql =
        "SELECT coalesce(sum(CASE WHEN to_wh = ?2 THEN qty_g ELSE -qty_g END), 0) FROM stock_movement "
        "WHERE lot_id = ?1 AND (to_wh = ?2 OR from_wh = ?2) AND date <= ?3";
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(t->db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, lot_id);
    sqlite3_bind_text(st, 2, wh, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    *out = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (s != SQLITE_ROW) return rmct_db_error(t->db, err, "reading a balance");
    return RMCT_OK;
}

/* The lowest balance of the lot in wh after any movement dated after `date` (*any false if none). */
static rmct_code min_later(stx *t, int64_t lot_id, const char *wh, const char *date, int64_t *out, bool *any,
                           rmct_error *err)
{
    static const char *const sql =
        "SELECT min(b) FROM (SELECT date AS d, sum(CASE WHEN to_wh = ?2 THEN qty_g ELSE -qty_g END) "
        "  OVER (ORDER BY date, id ROWS UNBOUNDED PRECEDING) AS b FROM stock_movement "
        "  WHERE lot_id = ?1 AND (to_wh = ?2 OR from_wh = ?2)) WHERE d > ?3";
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(t->db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, lot_id);
    sqlite3_bind_text(st, 2, wh, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    *any = s == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    *out = *any ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (s != SQLITE_ROW) return rmct_db_error(t->db, err, "reading later balances");
    return RMCT_OK;
}

typedef struct {
    int64_t id, gross_g, contained_g;
    char code[72], acquired[11], type_code[8], element[4];
} lot_info;

static rmct_code lot_find(stx *t, const char *code, lot_info *out, bool *found, rmct_error *err)
{
    static const char *const sql =
        "SELECT id, gross_g, contained_g, code, acquired, type_code, ifnull(element, '') FROM stock_lot WHERE code = ?";
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(t->db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    *found = s == SQLITE_ROW;
    if (*found) {
        out->id = sqlite3_column_int64(st, 0);
        out->gross_g = sqlite3_column_int64(st, 1);
        out->contained_g = sqlite3_column_int64(st, 2);
        rmct_db_column_text(st, 3, out->code, sizeof out->code);
        rmct_db_column_text(st, 4, out->acquired, sizeof out->acquired);
        rmct_db_column_text(st, 5, out->type_code, sizeof out->type_code);
        rmct_db_column_text(st, 6, out->element, sizeof out->element);
    }
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE) return rmct_db_error(t->db, err, "looking up a lot");
    return RMCT_OK;
}

/* The warehouses holding the lot on `date`, as "W1 (3 t), W2 (9.5 t)"; *count of them, *only the
 * one when there is exactly one. */
static rmct_code lot_places(stx *t, int64_t lot_id, const char *date, int *count, char *only, size_t only_size,
                            char *list, size_t list_size, rmct_error *err)
{
    static const char *const sql =
        "SELECT w, sum(q) FROM (SELECT to_wh AS w, qty_g AS q FROM stock_movement WHERE lot_id = ?1 AND to_wh IS NOT NULL "
        "AND date <= ?2 UNION ALL SELECT from_wh, -qty_g FROM stock_movement WHERE lot_id = ?1 AND from_wh IS NOT NULL "
        "AND date <= ?2) GROUP BY w HAVING sum(q) > 0 ORDER BY w";
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(t->db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, lot_id);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    *count = 0;
    list[0] = only[0] = '\0';
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char w[40], q[32];
        rmct_db_column_text(st, 0, w, sizeof w);
        size_t used = strlen(list);
        snprintf(list + used, list_size - used, "%s%s (%s t)", *count ? ", " : "", w, ts(q, sqlite3_column_int64(st, 1)));
        if (++*count == 1) rmct_strlcpy(only, w, only_size);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) return rmct_db_error(t->db, err, "reading where a lot is held");
    return RMCT_OK;
}

/* Whether qty_g may leave wh on date; if not, err names `field` and says how much may. */
static rmct_code check_available(stx *t, const lot_info *lot, const char *wh, const char *date, int64_t qty_g,
                                 const char *field, rmct_error *err)
{
    int64_t at, later;
    bool any;
    rmct_code rc;
    if ((rc = balance_at(t, lot->id, wh, date, &at, err)) || (rc = min_later(t, lot->id, wh, date, &later, &any, err)))
        return rc;
    int64_t avail = any && later < at ? later : at;
    if (avail < 0) avail = 0;
    if (qty_g <= avail) return RMCT_OK;
    char a[32], b[32], q[32];
    if (at <= 0)
        return ferr(err, field, "expected a quantity lot %s holds in %s on %s, but it holds nothing there then; got %s t",
                    lot->code, wh, date, ts(q, qty_g));
    if (qty_g <= at)
        return ferr(err, field, "expected at most %s t: lot %s holds %s t in %s on %s, but movements recorded after that "
                    "date need the rest; got %s t", ts(a, avail), lot->code, ts(b, at), wh, date, ts(q, qty_g));
    return ferr(err, field, "expected at most %s t, what lot %s holds in %s on %s, got %s t (no lot may go negative)",
                ts(a, avail), lot->code, wh, date, ts(q, qty_g));
}

/* ---------------- entries ---------------- */

typedef enum { K_ACQUIRE, K_RELEASE, K_SALE, K_ROTATION, K_WRITEOFF, K_TRANSFER, K_ADJUST, K_REVERSAL, K__N } kind_t;
static const char *const kind_names[K__N] = {"acquire", "release", "sale", "rotation", "write-off", "transfer", "adjust",
                                             "reversal"};

static const char *const forms[] = {"metal", "oxide", "alloy", "compound", NULL};

/* The usual oxide of each element, for an oxide lot whose formula is not given (an assumption the
 * lot records in its contained_basis; give the formula to state the compound). */
static const struct {
    const char *el, *oxide;
} usual_oxides[] = {
    {"Sc", "Sc2O3"}, {"Y", "Y2O3"},   {"La", "La2O3"},  {"Ce", "CeO2"},   {"Pr", "Pr6O11"}, {"Nd", "Nd2O3"},
    {"Sm", "Sm2O3"}, {"Eu", "Eu2O3"}, {"Gd", "Gd2O3"},  {"Tb", "Tb4O7"},  {"Dy", "Dy2O3"},  {"Ho", "Ho2O3"},
    {"Er", "Er2O3"}, {"Tm", "Tm2O3"}, {"Yb", "Yb2O3"},  {"Lu", "Lu2O3"},  {"Li", "Li2O"},   {"Mg", "MgO"},
    {"Be", "BeO"},   {"Sr", "SrO"},   {"Ba", "BaO"},    {"Ge", "GeO2"},   {"P", "P2O5"},    {"As", "As2O3"},
    {"Sb", "Sb2O3"}, {"Bi", "Bi2O3"}, {"Se", "SeO2"},   {"Te", "TeO2"},   {"Sn", "SnO2"},   {"Si", "SiO2"},
    {"Co", "Co3O4"}, {"Ni", "NiO"},   {"B", "B2O3"},    {"Ga", "Ga2O3"},  {"In", "In2O3"},  {"Tl", "Tl2O3"},
    {"Cd", "CdO"},   {"Ti", "TiO2"},  {"Zr", "ZrO2"},   {"Hf", "HfO2"},   {"V", "V2O5"},    {"Nb", "Nb2O5"},
    {"Ta", "Ta2O5"}, {"Cr", "Cr2O3"}, {"Mo", "MoO3"},   {"W", "WO3"},     {"Mn", "MnO2"},   {"Re", "Re2O7"},
    {"Cs", "Cs2O"},
};

static double atomic_weight(void *ctx, const char *symbol)
{
    stx *t = ctx;
    static const char *const sql = "SELECT atomic_weight FROM element WHERE symbol = ?";
    sqlite3_stmt *st;
    rmct_error e;
    if (rmct_db_cached(t->db, &st, sql, &e)) return 0;
    sqlite3_bind_text(st, 1, symbol, -1, SQLITE_TRANSIENT);
    double w = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : 0;
    sqlite3_reset(st);
    return w;
}

/* Fields an entry of this kind must leave empty. */
static rmct_code only_for(const rmct_stock_entry *e, kind_t k, rmct_error *err)
{
    struct {
        const char *name, *value;
        unsigned kinds; /* bit per kind that may give it */
    } f[] = {
        {"to_warehouse", e->to_warehouse, 1u << K_TRANSFER},
        {"counted", e->counted, 1u << K_ADJUST},
        {"reverses", e->reverses, 1u << K_REVERSAL},
        {"warehouse", e->warehouse, ~(1u << K_REVERSAL)},
        {"metal", e->metal, 1u << K_ACQUIRE},
        {"form", e->form, 1u << K_ACQUIRE},
        {"purity", e->purity, 1u << K_ACQUIRE},
        {"contained_t", e->contained_t, 1u << K_ACQUIRE},
        {"formula", e->formula, 1u << K_ACQUIRE},
        {"unit_cost", e->unit_cost, 1u << K_ACQUIRE},
        {"currency", e->currency, 1u << K_ACQUIRE},
        {"supplier", e->supplier, 1u << K_ACQUIRE},
    };
    char q[128];
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (given(f[i].value) && !(f[i].kinds & (1u << k)))
            return ferr(err, f[i].name, "expected nothing for %s %s, got \"%s\"",
                        k == K_ACQUIRE || k == K_ADJUST ? "an" : "a", kind_names[k], rmct_error_quote(f[i].value, q, sizeof q));
    return RMCT_OK;
}

static rmct_code insert_movement(stx *t, int64_t lot_id, kind_t k, const char *date, const char *from, const char *to,
                                 int64_t qty_g, const char *reason, const char *actor, const char *reference,
                                 int64_t reverses, int64_t *id, rmct_error *err)
{
    static const char *const sql =
        "INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, reference, reverses, "
        "recorded_by, source_id, src_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(t->db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, lot_id);
    sqlite3_bind_text(st, 2, kind_names[k], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
    bind_opt_text(st, 4, from);
    bind_opt_text(st, 5, to);
    sqlite3_bind_int64(st, 6, qty_g);
    sqlite3_bind_text(st, 7, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, reference ? reference : "", -1, SQLITE_STATIC);
    if (reverses) sqlite3_bind_int64(st, 10, reverses);
    else sqlite3_bind_null(st, 10);
    sqlite3_bind_text(st, 11, t->ctx->actor, -1, SQLITE_STATIC);
    bind_source(t, st, 12);
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    if (s != SQLITE_DONE) return rmct_db_error(t->db, err, "recording the movement");
    *id = sqlite3_last_insert_rowid(rmct_db_sqlite(t->db));
    return RMCT_OK;
}

static rmct_code need_warehouse(stx *t, const char *field, const char *code, rmct_error *err)
{
    char q[128];
    if (!valid_code(code, 32, "._-"))
        return ferr(err, field, "expected a warehouse code (letters, digits, '.', '_', '-'), got \"%s\"",
                    rmct_error_quote(code, q, sizeof q));
    bool found;
    rmct_code rc = warehouse_exists(t, code, &found, err);
    if (rc) return rc;
    if (!found)
        return ferr(err, field, "expected a warehouse in the ledger (see 'rmct stock warehouse list'), got \"%s\"", code);
    return RMCT_OK;
}

static rmct_code acquire(stx *t, const rmct_stock_entry *e, const char *date, const char *actor, const char *reason,
                         rmct_stock_result *res, rmct_error *err)
{
    char q[128], q2[128];
    rmct_code rc;
    /* lot */
    if (!given(e->lot)) return ferr(err, "lot", "expected a code for the new lot (e.g. DY-2026-01), got nothing");
    if (!valid_code(e->lot, 64, "._/-"))
        return ferr(err, "lot", "expected a lot code of up to 64 letters, digits, '.', '_', '/' or '-', got \"%s\"",
                    rmct_error_quote(e->lot, q, sizeof q));
    lot_info old;
    bool found;
    if ((rc = lot_find(t, e->lot, &old, &found, err))) return rc;
    if (found)
        return ferr(err, "lot", "expected a new lot code, got \"%s\", which is already in the ledger (acquired %s)", e->lot,
                    old.acquired);
    /* metal */
    if (!given(e->metal)) return ferr(err, "metal", "expected the lot's metal (e.g. Dy, dysprosium, REE), got nothing");
    rmct_metal m;
    rmct_error lookup;
    rmct_error_clear(&lookup);
    rc = rmct_registry_metal(t->reg, e->metal, &m, &lookup);
    if (rc == RMCT_E_NOTFOUND)
        return ferr(err, "metal", "expected a metal (element symbol or name, type code such as REE or PGM, or a known "
                    "alias), got \"%s\"", rmct_error_quote(e->metal, q, sizeof q));
    if (rc) {
        *err = lookup;
        return rc;
    }
    if (!m.type_code[0])
        return ferr(err, "metal", "expected one of Korea's 35 rare-metal types or one of their elements, got \"%s\" (%s)",
                    rmct_error_quote(e->metal, q, sizeof q), m.name);
    /* form, purity, tonnes */
    if (!given(e->form)) return ferr(err, "form", "expected the form: metal, oxide, alloy or compound, got nothing");
    const char *form = NULL;
    for (int i = 0; forms[i]; i++)
        if (rmct_streq_nocase(e->form, forms[i])) form = forms[i];
    if (!form)
        return ferr(err, "form", "expected metal, oxide, alloy or compound, got \"%s\"", rmct_error_quote(e->form, q, sizeof q));
    double purity;
    if (!given(e->purity)) return ferr(err, "purity", "expected the purity as a fraction (e.g. 0.995), got nothing");
    if (!rmct_parse_double(e->purity, false, &purity) || purity <= 0 || purity > 1)
        return ferr(err, "purity", "expected a fraction greater than 0 and at most 1 (0.995 for 99.5%%), got \"%s\"",
                    rmct_error_quote(e->purity, q, sizeof q));
    int64_t gross;
    if (!given(e->tonnes)) return ferr(err, "tonnes", "expected the lot's gross tonnes, got nothing");
    if (!rmct_stock_parse_tonnes(e->tonnes, false, &gross))
        return ferr(err, "tonnes", "expected a positive quantity in tonnes (e.g. 12.5, at most 6 decimals), got \"%s\"",
                    rmct_error_quote(e->tonnes, q, sizeof q));
    /* warehouse */
    if (!given(e->warehouse)) return ferr(err, "warehouse", "expected the warehouse receiving the lot, got nothing");
    if ((rc = need_warehouse(t, "warehouse", e->warehouse, err))) return rc;
    /* contained */
    int64_t contained;
    char basis[200], formula[32] = "";
    const char *el = m.element[0] ? m.element : m.type_code;
    if (given(e->formula)) {
        if (strlen(e->formula) >= sizeof formula)
            return ferr(err, "formula", "expected a chemical formula of at most %zu characters, got \"%s\"",
                        sizeof formula - 1, rmct_error_quote(e->formula, q, sizeof q));
        rmct_strlcpy(formula, e->formula, sizeof formula);
    }
    if (given(e->contained_t)) {
        if (!rmct_stock_parse_tonnes(e->contained_t, false, &contained))
            return ferr(err, "contained_t", "expected a positive quantity in tonnes, got \"%s\"",
                        rmct_error_quote(e->contained_t, q, sizeof q));
        if (contained > gross)
            return ferr(err, "contained_t", "expected at most the gross %s t, got %s t", ts(q, gross), ts(q2, contained));
        snprintf(basis, sizeof basis, "given");
    } else {
        if (!m.element[0] && strcmp(form, "metal") != 0)
            return ferr(err, "contained_t", "expected the contained tonnes of a %s lot of the whole type %s (no single "
                        "element's fraction applies), got nothing", form, m.type_code);
        bool assumed = false;
        if (!formula[0] && !strcmp(form, "oxide")) {
            for (size_t i = 0; i < sizeof usual_oxides / sizeof *usual_oxides; i++)
                if (!strcmp(usual_oxides[i].el, el)) rmct_strlcpy(formula, usual_oxides[i].oxide, sizeof formula);
            assumed = formula[0] != '\0';
        }
        if (!formula[0] && strcmp(form, "metal") != 0)
            return ferr(err, "contained_t", "expected the contained tonnes, or a formula, for %s %s lot (its %s content "
                        "is not gross x purity), got neither", !strcmp(form, "alloy") ? "an" : "a", form, el);
        double fraction = 1;
        if (formula[0]) {
            rmct_error fe;
            rmct_error_clear(&fe);
            if (rmct_mass_fraction(formula, el, atomic_weight, t, &fraction, &fe))
                return ferr(err, "formula", "%s", fe.msg);
        }
        double g = (double)gross * purity * fraction;
        contained = (int64_t)llround(g);
        if (contained < 1) contained = 1;
        if (formula[0])
            snprintf(basis, sizeof basis, "gross x purity %.6g x %s fraction %.6f of %s%s", purity, el, fraction, formula,
                     assumed ? " (the usual oxide of the element: an assumption; give a formula to state it)" : "");
        else snprintf(basis, sizeof basis, "gross x purity %.6g (metal)", purity);
    }
    /* cost */
    double cost = 0;
    bool has_cost = given(e->unit_cost);
    if (has_cost && (!rmct_parse_double(e->unit_cost, false, &cost) || cost < 0))
        return ferr(err, "unit_cost", "expected a non-negative cost per gross tonne (e.g. 4.2e6), got \"%s\"",
                    rmct_error_quote(e->unit_cost, q, sizeof q));
    char currency[4] = "";
    if (given(e->currency)) {
        if (strlen(e->currency) != 3 || !isupper((unsigned char)e->currency[0]) || !isupper((unsigned char)e->currency[1]) ||
            !isupper((unsigned char)e->currency[2]))
            return ferr(err, "currency", "expected an ISO 4217 currency code in capitals (USD, KRW), got \"%s\"",
                        rmct_error_quote(e->currency, q, sizeof q));
        memcpy(currency, e->currency, 4);
    }
    if (has_cost && !currency[0]) return ferr(err, "currency", "expected the currency of the unit cost, got nothing");
    if (!has_cost && currency[0]) return ferr(err, "unit_cost", "expected the unit cost the currency is for, got nothing");
    /* supplier */
    char supplier[4] = "";
    if (given(e->supplier)) {
        rmct_error_clear(&lookup);
        rc = rmct_registry_country(t->reg, e->supplier, supplier, &lookup);
        if (rc == RMCT_E_NOTFOUND)
            return ferr(err, "supplier", "expected the supplier's country (ISO 3166 code or name), got \"%s\"",
                        rmct_error_quote(e->supplier, q, sizeof q));
        if (rc) {
            *err = lookup;
            return rc;
        }
    }
    sqlite3_stmt *st;
    static const char *const sql =
        "INSERT INTO stock_lot(code, type_code, element, form, formula, purity, gross_g, contained_g, contained_basis, "
        "acquired, unit_cost, currency, supplier, warehouse, reason, actor, reference, recorded_by, source_id, src_line) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    if ((rc = rmct_db_cached(t->db, &st, sql, err))) return rc;
    sqlite3_bind_text(st, 1, e->lot, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, m.type_code, -1, SQLITE_TRANSIENT);
    bind_opt_text(st, 3, m.element);
    sqlite3_bind_text(st, 4, form, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, formula, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 6, purity);
    sqlite3_bind_int64(st, 7, gross);
    sqlite3_bind_int64(st, 8, contained);
    sqlite3_bind_text(st, 9, basis, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, date, -1, SQLITE_STATIC);
    if (has_cost) sqlite3_bind_double(st, 11, cost);
    else sqlite3_bind_null(st, 11);
    bind_opt_text(st, 12, currency);
    bind_opt_text(st, 13, supplier);
    sqlite3_bind_text(st, 14, e->warehouse, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 15, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 16, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 17, e->reference ? e->reference : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 18, t->ctx->actor, -1, SQLITE_STATIC);
    bind_source(t, st, 19);
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    if (s != SQLITE_DONE) return rmct_db_error(t->db, err, "recording the lot");
    res->lot_id = sqlite3_last_insert_rowid(rmct_db_sqlite(t->db));
    static const char *const mv = "SELECT id FROM stock_movement WHERE lot_id = ? AND kind = 'acquire'";
    if ((rc = rmct_db_cached(t->db, &st, mv, err))) return rc;
    sqlite3_bind_int64(st, 1, res->lot_id);
    s = sqlite3_step(st);
    if (s == SQLITE_ROW) res->movement_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (s != SQLITE_ROW) return rmct_db_error(t->db, err, "reading the acquisition");
    rmct_strlcpy(res->lot, e->lot, sizeof res->lot);
    rmct_strlcpy(res->to, e->warehouse, sizeof res->to);
    rmct_strlcpy(res->metal, el, sizeof res->metal);
    rmct_strlcpy(res->contained_basis, basis, sizeof res->contained_basis);
    res->qty_g = gross;
    res->contained_g = contained;
    return RMCT_OK;
}

static int64_t contained_of(const lot_info *lot, int64_t qty_g)
{
    return (int64_t)llround((double)qty_g * (double)lot->contained_g / (double)lot->gross_g);
}

static rmct_code need_lot(stx *t, const char *code, lot_info *lot, rmct_error *err)
{
    char q[128];
    if (!given(code)) return ferr(err, "lot", "expected a lot code, got nothing");
    bool found;
    rmct_code rc = lot_find(t, code, lot, &found, err);
    if (rc) return rc;
    if (!found)
        return ferr(err, "lot", "expected a lot in the ledger (see 'rmct stock list --all'), got \"%s\"",
                    rmct_error_quote(code, q, sizeof q));
    return RMCT_OK;
}

static rmct_code move(stx *t, kind_t k, const rmct_stock_entry *e, const char *date, const char *actor, const char *reason,
                      rmct_stock_result *res, rmct_error *err)
{
    char q[128], a[32], b[32];
    rmct_code rc;
    lot_info lot;
    if ((rc = need_lot(t, e->lot, &lot, err))) return rc;
    if (strcmp(date, lot.acquired) < 0)
        return ferr(err, "date", "expected a date on or after %s, when lot %s was acquired, got %s", lot.acquired, lot.code,
                    date);
    /* where from (adjust: where counted) */
    char wh[40];
    if (given(e->warehouse)) {
        if ((rc = need_warehouse(t, "warehouse", e->warehouse, err))) return rc;
        rmct_strlcpy(wh, e->warehouse, sizeof wh);
    } else {
        int count;
        char list[512];
        if ((rc = lot_places(t, lot.id, date, &count, wh, sizeof wh, list, sizeof list, err))) return rc;
        if (count == 0)
            return ferr(err, "warehouse", "expected the warehouse: lot %s holds nothing on %s, so none can be assumed",
                        lot.code, date);
        if (count > 1)
            return ferr(err, "warehouse", "expected the warehouse: lot %s is held in %s on %s", lot.code, list, date);
    }
    const char *from = wh, *to = NULL;
    int64_t qty = 0;
    const char *qty_field = "tonnes";
    if (k == K_TRANSFER) {
        if (!given(e->to_warehouse)) return ferr(err, "to_warehouse", "expected the warehouse to transfer to, got nothing");
        if ((rc = need_warehouse(t, "to_warehouse", e->to_warehouse, err))) return rc;
        if (!strcmp(e->to_warehouse, wh))
            return ferr(err, "to_warehouse", "expected a warehouse other than the one it leaves (%s), got the same", wh);
        to = e->to_warehouse;
    }
    if (k == K_ADJUST) {
        int64_t book;
        if ((rc = balance_at(t, lot.id, wh, date, &book, err))) return rc;
        res->book_g = book;
        int64_t delta;
        if (given(e->counted) && given(e->tonnes))
            return ferr(err, "counted", "expected either the counted quantity or the difference (tonnes), got both");
        if (given(e->counted)) {
            qty_field = "counted";
            int64_t counted;
            double zero;
            if (rmct_parse_double(e->counted, false, &zero) && zero == 0) counted = 0; /* nothing left */
            else if (!rmct_stock_parse_tonnes(e->counted, false, &counted))
                return ferr(err, "counted", "expected the counted gross tonnes, zero or more (at most 6 decimals), got \"%s\"",
                            rmct_error_quote(e->counted, q, sizeof q));
            delta = counted - book;
        } else {
            if (!given(e->tonnes))
                return ferr(err, "tonnes", "expected the difference found by the count (+ more, - less than the book), "
                            "or the counted quantity, got neither");
            if (!rmct_stock_parse_tonnes(e->tonnes, true, &delta))
                return ferr(err, "tonnes", "expected a non-zero signed quantity in tonnes (e.g. -0.25, at most 6 "
                            "decimals), got \"%s\"", rmct_error_quote(e->tonnes, q, sizeof q));
        }
        if (delta == 0) {
            res->lot_id = lot.id;
            rmct_strlcpy(res->lot, lot.code, sizeof res->lot);
            rmct_strlcpy(res->kind, "adjust", sizeof res->kind);
            rmct_strlcpy(res->date, date, sizeof res->date);
            rmct_strlcpy(res->from, wh, sizeof res->from);
            return RMCT_OK; /* the count matches the book */
        }
        if (delta > 0) {
            from = NULL;
            to = wh;
            qty = delta;
        } else {
            qty = -delta;
        }
    } else {
        if (!given(e->tonnes)) return ferr(err, "tonnes", "expected the gross tonnes moved, got nothing");
        if (!rmct_stock_parse_tonnes(e->tonnes, false, &qty))
            return ferr(err, "tonnes", "expected a positive quantity in tonnes (e.g. 3 or 0.25, at most 6 decimals), "
                        "got \"%s\"", rmct_error_quote(e->tonnes, q, sizeof q));
    }
    if (from && (rc = check_available(t, &lot, from, date, qty, qty_field, err))) {
        if (k == K_ADJUST && given(e->counted)) {
            int64_t book = res->book_g;
            return ferr(err, "counted", "expected a count the later movements allow: lot %s holds %s t in %s on %s by the "
                        "book and movements recorded after that date need more than the %s t counted",
                        lot.code, ts(a, book), wh, date, ts(b, book - qty));
        }
        return rc;
    }
    int64_t id;
    if ((rc = insert_movement(t, lot.id, k, date, from, to, qty, reason, actor, e->reference, 0, &id, err))) return rc;
    res->movement_id = id;
    res->lot_id = lot.id;
    rmct_strlcpy(res->lot, lot.code, sizeof res->lot);
    rmct_strlcpy(res->from, from ? from : "", sizeof res->from);
    rmct_strlcpy(res->to, to ? to : "", sizeof res->to);
    rmct_strlcpy(res->metal, lot.element[0] ? lot.element : lot.type_code, sizeof res->metal);
    res->qty_g = qty;
    res->contained_g = contained_of(&lot, qty);
    return RMCT_OK;
}

static rmct_code reversal(stx *t, const rmct_stock_entry *e, const char *date, const char *actor, const char *reason,
                          rmct_stock_result *res, rmct_error *err)
{
    char q[128];
    long id;
    if (!given(e->reverses)) return ferr(err, "reverses", "expected the id of the movement to reverse, got nothing");
    if (!rmct_parse_long(e->reverses, 1, 1L << 62, &id))
        return ferr(err, "reverses", "expected a movement id (a positive integer), got \"%s\"",
                    rmct_error_quote(e->reverses, q, sizeof q));
    sqlite3_stmt *st;
    static const char *const sql =
        "SELECT m.lot_id, l.code, m.kind, m.date, ifnull(m.from_wh, ''), ifnull(m.to_wh, ''), m.qty_g, "
        "       (SELECT r.id FROM stock_movement r WHERE r.reverses = m.id), ifnull(m.reverses, 0) "
        "FROM stock_movement m JOIN stock_lot l ON l.id = m.lot_id WHERE m.id = ?";
    rmct_code rc = rmct_db_cached(t->db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int s = sqlite3_step(st);
    char code[72] = "", okind[12] = "", odate[11] = "", ofrom[40] = "", oto[40] = "";
    int64_t qty = 0, by = 0, orev = 0;
    if (s == SQLITE_ROW) {
        rmct_db_column_text(st, 1, code, sizeof code);
        rmct_db_column_text(st, 2, okind, sizeof okind);
        rmct_db_column_text(st, 3, odate, sizeof odate);
        rmct_db_column_text(st, 4, ofrom, sizeof ofrom);
        rmct_db_column_text(st, 5, oto, sizeof oto);
        qty = sqlite3_column_int64(st, 6);
        by = sqlite3_column_int64(st, 7);
        orev = sqlite3_column_int64(st, 8);
    }
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE) return rmct_db_error(t->db, err, "looking up a movement");
    if (s != SQLITE_ROW) return ferr(err, "reverses", "expected the id of a movement in the ledger, got %ld", id);
    if (orev)
        return ferr(err, "reverses", "expected a movement that is not itself a reversal: movement %ld reverses movement "
                    "%lld (record the original movement again instead)", id, (long long)orev);
    if (by) return ferr(err, "reverses", "movement %ld was already reversed by movement %lld", id, (long long)by);
    if (given(e->lot) && strcmp(e->lot, code))
        return ferr(err, "lot", "expected the lot of movement %ld (%s), got \"%s\"", id, code,
                    rmct_error_quote(e->lot, q, sizeof q));
    if (given(e->tonnes)) {
        int64_t g;
        char a[32];
        if (!rmct_stock_parse_tonnes(e->tonnes, true, &g) || (g != qty && g != -qty))
            return ferr(err, "tonnes", "expected the quantity of movement %ld (%s t) or nothing, got \"%s\"", id, ts(a, qty),
                        rmct_error_quote(e->tonnes, q, sizeof q));
    }
    if (strcmp(date, odate) < 0)
        return ferr(err, "date", "expected a date on or after %s, the date of movement %ld, got %s", odate, id, date);
    lot_info lot;
    bool found;
    if ((rc = lot_find(t, code, &lot, &found, err))) return rc;
    const char *from = oto[0] ? oto : NULL, *to = ofrom[0] ? ofrom : NULL;
    if (from && (rc = check_available(t, &lot, from, date, qty, "reverses", err))) {
        char msg[sizeof err->msg];
        rmct_strlcpy(msg, err->msg, sizeof msg);
        return ferr(err, "reverses", "cannot reverse movement %ld (%s) on %s: %s; reverse the later movements first", id,
                    okind, date, msg);
    }
    int64_t mid;
    if ((rc = insert_movement(t, lot.id, K_REVERSAL, date, from, to, qty, reason, actor, e->reference, id, &mid, err)))
        return rc;
    res->movement_id = mid;
    res->lot_id = lot.id;
    rmct_strlcpy(res->lot, code, sizeof res->lot);
    rmct_strlcpy(res->from, from ? from : "", sizeof res->from);
    rmct_strlcpy(res->to, to ? to : "", sizeof res->to);
    rmct_strlcpy(res->metal, lot.element[0] ? lot.element : lot.type_code, sizeof res->metal);
    res->qty_g = qty;
    res->contained_g = contained_of(&lot, qty);
    return RMCT_OK;
}

/* One entry inside the caller's transaction. */
static rmct_code record_tx(stx *t, const rmct_stock_entry *e, rmct_stock_result *res, rmct_error *err)
{
    char q[128];
    memset(res, 0, sizeof *res);
    if (!given(e->kind))
        return ferr(err, "kind", "expected the kind of movement (acquire, release, sale, rotation, write-off, transfer, "
                    "adjust, reversal), got nothing");
    kind_t k = K__N;
    for (int i = 0; i < K__N; i++)
        if (!strcmp(e->kind, kind_names[i])) k = (kind_t)i;
    if (k == K__N)
        return ferr(err, "kind", "expected acquire, release, sale, rotation, write-off, transfer, adjust or reversal, got "
                    "\"%s\"", rmct_error_quote(e->kind, q, sizeof q));
    const char *date = given(e->date) ? e->date : t->ctx->today;
    if (!rmct_stock_valid_date(date))
        return ferr(err, "date", "expected a date YYYY-MM-DD, got \"%s\"", rmct_error_quote(date, q, sizeof q));
    if (strcmp(date, t->ctx->today) > 0)
        return ferr(err, "date", "expected a date not after today (%s), got %s, a date in the future", t->ctx->today, date);
    const char *actor = given(e->actor) ? e->actor : t->ctx->actor;
    const char *reason = e->reason;
    if (!given(reason)) {
        if (k != K_ACQUIRE)
            return ferr(err, "reason", "expected the reason for the %s (e.g. 'emergency release'), got nothing", kind_names[k]);
        reason = "acquisition";
    }
    rmct_code rc;
    if ((rc = check_text("reason", reason, 500, err)) || (rc = check_text("actor", actor, 90, err)) ||
        (rc = check_text("reference", e->reference, 150, err)) || (rc = only_for(e, k, err)))
        return rc;
    if (k == K_ACQUIRE) rc = acquire(t, e, date, actor, reason, res, err);
    else if (k == K_REVERSAL) rc = reversal(t, e, date, actor, reason, res, err);
    else rc = move(t, k, e, date, actor, reason, res, err);
    if (rc) return rc;
    rmct_strlcpy(res->kind, kind_names[k], sizeof res->kind);
    rmct_strlcpy(res->date, date, sizeof res->date);
    return RMCT_OK;
}

rmct_code rmct_stock_record(rmct_db *db, const rmct_stock_ctx *ctx, const rmct_stock_entry *e, rmct_stock_result *res,
                            rmct_error *err)
{
    rmct_code rc = check_ctx(ctx, err);
    if (rc) return rc;
    stx t = {db, ctx, NULL, 0, 0};
    if ((rc = rmct_registry_open(db, &t.reg, err))) return rc;
    if (!(rc = rmct_db_begin(db, err))) {
        rc = record_tx(&t, e, res, err);
        if (!rc) rc = rmct_db_commit(db, err);
        if (rc) rmct_db_rollback(db);
    }
    rmct_registry_close(t.reg);
    return rc;
}

/* ---------------- the ledger CSV ---------------- */

enum {
    C_MOVEMENT, C_DATE, C_KIND, C_LOT, C_WAREHOUSE, C_TO, C_TONNES, C_REASON, C_ACTOR, C_REFERENCE, C_REVERSES, C_METAL,
    C_FORM, C_PURITY, C_CONTAINED, C_FORMULA, C_COST, C_CURRENCY, C_SUPPLIER, C__N
};
static const rmct_csv_colspec ledger_cols[C__N] = {
    {"movement", false}, {"date", true},      {"kind", true},       {"lot", true},          {"warehouse", true},
    {"to_warehouse", false}, {"tonnes", true}, {"reason", true},    {"actor", false},       {"reference", false},
    {"reverses", false}, {"metal", false},    {"form", false},      {"purity", false},      {"contained_t", false},
    {"formula", false},  {"unit_cost", false}, {"currency", false}, {"supplier", false},
};

typedef struct {
    long file_id;
    int64_t id;
} id_pair;

static const char *cell(rmct_csv *csv, const int *idx, int c)
{
    if (idx[c] < 0) return NULL;
    const char *s = rmct_csv_get(csv, idx[c]);
    return *s ? s : NULL;
}

/* Point an entry error at the row: the column of err->field when the file has it. */
static void locate(rmct_csv *csv, const int *idx, rmct_error *err)
{
    long line = rmct_csv_line(csv, 0), col = 0;
    for (int c = 0; c < C__N; c++)
        if (idx[c] >= 0 && !strcmp(err->field, ledger_cols[c].name)) {
            line = rmct_csv_line(csv, idx[c]);
            col = rmct_csv_col(csv, idx[c]);
        }
    char field[sizeof err->field];
    rmct_strlcpy(field, err->field, sizeof field);
    char msg[sizeof err->msg];
    rmct_strlcpy(msg, err->msg, sizeof msg);
    if (err->code == RMCT_E_INPUT || err->code == RMCT_E_DB)
        rmct_error_at(err, rmct_csv_name(csv), line, col, field[0] ? field : NULL, "%s", msg);
}

static rmct_code import_rows(stx *t, rmct_csv *csv, const int *idx, const rmct_stock_import_opts *opts,
                             rmct_stock_import_result *res, rmct_error *err)
{
    id_pair *ids = NULL;
    size_t n_ids = 0, cap = 0;
    rmct_code rc = RMCT_OK;
    char q[128];
    for (;;) {
        bool got;
        if ((rc = rmct_csv_next(csv, &got, err)) || !got) break;
        t->src_line = rmct_csv_line(csv, 0);
        rmct_stock_entry e = {
            .kind = cell(csv, idx, C_KIND), .date = cell(csv, idx, C_DATE), .lot = cell(csv, idx, C_LOT),
            .warehouse = cell(csv, idx, C_WAREHOUSE), .to_warehouse = cell(csv, idx, C_TO),
            .tonnes = cell(csv, idx, C_TONNES), .reason = cell(csv, idx, C_REASON), .actor = cell(csv, idx, C_ACTOR),
            .reference = cell(csv, idx, C_REFERENCE), .metal = cell(csv, idx, C_METAL), .form = cell(csv, idx, C_FORM),
            .purity = cell(csv, idx, C_PURITY), .contained_t = cell(csv, idx, C_CONTAINED),
            .formula = cell(csv, idx, C_FORMULA), .unit_cost = cell(csv, idx, C_COST),
            .currency = cell(csv, idx, C_CURRENCY), .supplier = cell(csv, idx, C_SUPPLIER),
        };
        /* a date is required in a file (no default to today) */
        if (!e.date) {
            rc = rmct_error_at(err, rmct_csv_name(csv), rmct_csv_line(csv, idx[C_DATE]), rmct_csv_col(csv, idx[C_DATE]),
                               "date", "expected a date YYYY-MM-DD, got an empty field");
            break;
        }
        long file_id = 0;
        const char *mv = cell(csv, idx, C_MOVEMENT);
        if (mv) {
            if (!rmct_parse_long(mv, 1, 1L << 62, &file_id)) {
                rc = rmct_error_at(err, rmct_csv_name(csv), rmct_csv_line(csv, idx[C_MOVEMENT]),
                                   rmct_csv_col(csv, idx[C_MOVEMENT]), "movement",
                                   "expected a movement number (a positive integer) or nothing, got \"%s\"",
                                   rmct_error_quote(mv, q, sizeof q));
                break;
            }
            for (size_t i = 0; i < n_ids; i++)
                if (ids[i].file_id == file_id) {
                    rc = rmct_error_at(err, rmct_csv_name(csv), rmct_csv_line(csv, idx[C_MOVEMENT]),
                                       rmct_csv_col(csv, idx[C_MOVEMENT]), "movement",
                                       "expected each movement number once, got %ld again", file_id);
                    break;
                }
            if (rc) break;
        }
        char rev[32];
        const char *rv = cell(csv, idx, C_REVERSES);
        if (rv) {
            long want;
            int64_t found = 0;
            if (rmct_parse_long(rv, 1, 1L << 62, &want))
                for (size_t i = 0; i < n_ids; i++)
                    if (ids[i].file_id == want) found = ids[i].id;
            if (!found) {
                rc = rmct_error_at(err, rmct_csv_name(csv), rmct_csv_line(csv, idx[C_REVERSES]),
                                   rmct_csv_col(csv, idx[C_REVERSES]), "reverses",
                                   "expected the movement number of an earlier row of this file, got \"%s\"",
                                   rmct_error_quote(rv, q, sizeof q));
                break;
            }
            snprintf(rev, sizeof rev, "%lld", (long long)found);
            e.reverses = rev;
        }
        if (opts && opts->create_warehouses) {
            const char *whs[2] = {e.warehouse, e.to_warehouse};
            int cols[2] = {C_WAREHOUSE, C_TO};
            for (int w = 0; w < 2 && !rc; w++) {
                bool found;
                if (!whs[w] || !valid_code(whs[w], 32, "._-")) continue;
                if ((rc = warehouse_exists(t, whs[w], &found, err))) break;
                if (found) continue;
                if ((rc = warehouse_insert(t, whs[w], whs[w], "", err))) {
                    rmct_strlcpy(err->field, ledger_cols[cols[w]].name, sizeof err->field);
                    locate(csv, idx, err);
                    break;
                }
                res->warehouses_created++;
            }
            if (rc) break;
        }
        rmct_stock_result r;
        if ((rc = record_tx(t, &e, &r, err))) {
            locate(csv, idx, err);
            break;
        }
        if (!r.movement_id) {
            rc = rmct_error_at(err, rmct_csv_name(csv), t->src_line, 0, NULL, "expected a movement, got none");
            break;
        }
        if (mv) {
            if (n_ids == cap) {
                cap = cap ? 2 * cap : 64;
                id_pair *v = realloc(ids, cap * sizeof *v);
                if (!v) {
                    rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                    break;
                }
                ids = v;
            }
            ids[n_ids++] = (id_pair){file_id, r.movement_id};
        }
        res->rows++;
        if (!strcmp(r.kind, "acquire")) res->lots++;
        if (!res->first_date[0] || strcmp(r.date, res->first_date) < 0) rmct_strlcpy(res->first_date, r.date, 11);
        if (strcmp(r.date, res->last_date) > 0) rmct_strlcpy(res->last_date, r.date, 11);
    }
    free(ids);
    return rc;
}

rmct_code rmct_stock_import(rmct_db *db, const rmct_stock_ctx *ctx, const char *path, const char *display_name,
                            const rmct_stock_import_opts *opts, rmct_stock_import_result *res, rmct_error *err)
{
    memset(res, 0, sizeof *res);
    rmct_code rc = check_ctx(ctx, err);
    if (rc) return rc;
    const char *shown = display_name ? display_name : path;
    char sha[65];
    if ((rc = rmct_sha256_file(path, sha, err))) return rc;
    stx t = {db, ctx, NULL, 0, 0};
    if ((rc = rmct_registry_open(db, &t.reg, err))) return rc;
    rmct_csv *csv = NULL;
    if ((rc = rmct_db_begin(db, err))) goto out;
    bool found;
    rmct_source old;
    if ((rc = rmct_source_lookup(db, "stock-ledger", sha, &found, &old, err))) goto out;
    if (found) {
        res->unchanged = true;
        res->source_id = old.id;
        res->rows = old.rows;
        rmct_db_rollback(db);
        goto out;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    rmct_source_info info = {"stock-ledger", ctx->today, ctx->actor, "stockpile ledger CSV", NULL, NULL};
    if ((rc = rmct_source_add(db, &info, base, sha, &t.source_id, err))) goto out;
    res->source_id = t.source_id;
    if ((rc = rmct_csv_open(&csv, path, shown, err))) goto out;
    int idx[C__N];
    if ((rc = rmct_csv_header(csv, ledger_cols, C__N, idx, false, err))) goto out;
    if ((rc = import_rows(&t, csv, idx, opts, res, err))) goto out;
    if ((rc = rmct_source_set_rows(db, t.source_id, res->rows, err))) goto out;
    rc = rmct_db_commit(db, err);
out:
    if (rc) rmct_db_rollback(db);
    rmct_csv_close(csv);
    rmct_registry_close(t.reg);
    return rc;
}

/* ---------------- reading the ledger ---------------- */

/* A metal filter: an element or type of the 35 (err->field "metal" otherwise). */
static rmct_code metal_filter(rmct_db *db, const char *text, rmct_metal *m, rmct_error *err)
{
    char q[128];
    rmct_error e;
    rmct_error_clear(&e);
    rmct_code rc = rmct_metal_resolve(db, text, m, &e);
    if (rc == RMCT_E_NOTFOUND)
        return ferr(err, "metal", "expected a metal (element symbol or name, type code such as REE or PGM, or a known "
                    "alias), got \"%s\"", rmct_error_quote(text, q, sizeof q));
    if (rc) {
        *err = e;
        return rc;
    }
    if (!m->type_code[0])
        return ferr(err, "metal", "expected one of Korea's 35 rare-metal types or one of their elements, got \"%s\" (%s)",
                    rmct_error_quote(text, q, sizeof q), m->name);
    return RMCT_OK;
}

rmct_code rmct_stock_holdings(rmct_db *db, const rmct_stock_filter *f, rmct_stock_holding **out, int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    rmct_stock_filter none = {0};
    if (!f) f = &none;
    rmct_metal m = {0};
    rmct_code rc;
    if (given(f->metal) && (rc = metal_filter(db, f->metal, &m, err))) return rc;
    sqlite3_stmt *st;
    if ((rc = rmct_db_prepare(db, &st,
             "SELECT l.id, l.code, l.type_code, ifnull(l.element, ''), coalesce(e.name, t.name), l.form, l.formula, "
             "       l.purity, b.w, b.q, b.q * 1.0 * l.contained_g / l.gross_g / 1e6, l.gross_g, l.contained_g, "
             "       l.acquired, ifnull(l.currency, ''), ifnull(l.supplier, ''), l.unit_cost "
             "FROM (SELECT lot_id, w, sum(q) AS q FROM ("
             "        SELECT lot_id, to_wh AS w, qty_g AS q FROM stock_movement WHERE to_wh IS NOT NULL AND date <= ?1 "
             "        UNION ALL SELECT lot_id, from_wh, -qty_g FROM stock_movement WHERE from_wh IS NOT NULL AND date <= ?1)"
             "      GROUP BY lot_id, w) b "
             "JOIN stock_lot l ON l.id = b.lot_id LEFT JOIN element e ON e.symbol = l.element "
             "JOIN metal_type t ON t.code = l.type_code "
             "WHERE (?2 OR b.q <> 0) AND (?3 IS NULL OR l.type_code = ?3) AND (?4 IS NULL OR l.element = ?4) "
             "  AND (?5 IS NULL OR b.w = ?5) AND (?6 IS NULL OR l.code = ?6) "
             "ORDER BY l.type_code, l.element, l.code, b.w", err)))
        return rc;
    sqlite3_bind_text(st, 1, given(f->as_of) ? f->as_of : "9999-12-31", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, f->include_empty);
    bind_opt_text(st, 3, m.type_code);
    bind_opt_text(st, 4, m.element);
    bind_opt_text(st, 5, f->warehouse);
    bind_opt_text(st, 6, f->lot);
    int cap = 0, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            rmct_stock_holding *v = realloc(*out, (size_t)cap * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            *out = v;
        }
        rmct_stock_holding *h = &(*out)[(*n)++];
        memset(h, 0, sizeof *h);
        h->lot_id = sqlite3_column_int64(st, 0);
        rmct_db_column_text(st, 1, h->lot, sizeof h->lot);
        rmct_db_column_text(st, 2, h->type_code, sizeof h->type_code);
        rmct_db_column_text(st, 3, h->element, sizeof h->element);
        rmct_db_column_text(st, 4, h->metal_name, sizeof h->metal_name);
        rmct_db_column_text(st, 5, h->form, sizeof h->form);
        rmct_db_column_text(st, 6, h->formula, sizeof h->formula);
        h->purity = sqlite3_column_double(st, 7);
        rmct_db_column_text(st, 8, h->warehouse, sizeof h->warehouse);
        h->held_g = sqlite3_column_int64(st, 9);
        h->contained_t = sqlite3_column_double(st, 10);
        h->gross_g = sqlite3_column_int64(st, 11);
        h->contained_g = sqlite3_column_int64(st, 12);
        rmct_db_column_text(st, 13, h->acquired, sizeof h->acquired);
        rmct_db_column_text(st, 14, h->currency, sizeof h->currency);
        rmct_db_column_text(st, 15, h->supplier, sizeof h->supplier);
        h->unit_cost = sqlite3_column_type(st, 16) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 16);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rmct_db_error(db, err, "reading holdings");
    }
    return RMCT_OK;
}

rmct_code rmct_stock_history(rmct_db *db, const rmct_stock_history_filter *f, bool by_id, rmct_stock_movement **out,
                             int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    rmct_stock_history_filter none = {0};
    if (!f) f = &none;
    rmct_metal m = {0};
    rmct_code rc;
    if (given(f->metal) && (rc = metal_filter(db, f->metal, &m, err))) return rc;
    sqlite3_stmt *st;
    const char *sql_date =
        "SELECT * FROM (SELECT m.id AS id, m.lot_id, ifnull(m.reverses, 0), "
        "  ifnull((SELECT r.id FROM stock_movement r WHERE r.reverses = m.id), 0), ifnull(m.source_id, 0), "
        "  l.code AS code, ifnull(l.element, l.type_code), m.kind, m.date AS date, ifnull(m.from_wh, '') AS fw, "
        "  ifnull(m.to_wh, '') AS tw, m.qty_g, "
        "  sum(CASE WHEN m.from_wh IS NULL THEN m.qty_g WHEN m.to_wh IS NULL THEN -m.qty_g ELSE 0 END) "
        "      OVER (PARTITION BY m.lot_id ORDER BY m.date, m.id ROWS UNBOUNDED PRECEDING), "
        "  m.reason, m.actor, m.reference, m.recorded_by, m.recorded_at, ifnull(m.src_line, 0), "
        "  l.form, l.formula, ifnull(l.currency, ''), ifnull(l.supplier, ''), l.purity, l.unit_cost, l.contained_g, "
        "  l.type_code AS tc, l.element AS el "
        "FROM stock_movement m JOIN stock_lot l ON l.id = m.lot_id) "
        "WHERE (?1 IS NULL OR tc = ?1) AND (?2 IS NULL OR el = ?2) AND (?3 IS NULL OR fw = ?3 OR tw = ?3) "
        "  AND (?4 IS NULL OR code = ?4) AND (?5 IS NULL OR date >= ?5) AND (?6 IS NULL OR date <= ?6) ";
    char sql[2400];
    snprintf(sql, sizeof sql, "%s ORDER BY %s", sql_date, by_id ? "id" : "date, id");
    if ((rc = rmct_db_prepare(db, &st, sql, err))) return rc;
    bind_opt_text(st, 1, m.type_code);
    bind_opt_text(st, 2, m.element);
    bind_opt_text(st, 3, f->warehouse);
    bind_opt_text(st, 4, f->lot);
    bind_opt_text(st, 5, f->since);
    bind_opt_text(st, 6, f->until);
    int cap = 0, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 32;
            rmct_stock_movement *v = realloc(*out, (size_t)cap * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            *out = v;
        }
        rmct_stock_movement *x = &(*out)[(*n)++];
        memset(x, 0, sizeof *x);
        x->id = sqlite3_column_int64(st, 0);
        x->lot_id = sqlite3_column_int64(st, 1);
        x->reverses = sqlite3_column_int64(st, 2);
        x->reversed_by = sqlite3_column_int64(st, 3);
        x->source_id = sqlite3_column_int64(st, 4);
        rmct_db_column_text(st, 5, x->lot, sizeof x->lot);
        rmct_db_column_text(st, 6, x->metal, sizeof x->metal);
        rmct_db_column_text(st, 7, x->kind, sizeof x->kind);
        rmct_db_column_text(st, 8, x->date, sizeof x->date);
        rmct_db_column_text(st, 9, x->from, sizeof x->from);
        rmct_db_column_text(st, 10, x->to, sizeof x->to);
        x->qty_g = sqlite3_column_int64(st, 11);
        x->lot_balance_g = sqlite3_column_int64(st, 12);
        rmct_db_column_text(st, 13, x->reason, sizeof x->reason);
        rmct_db_column_text(st, 14, x->actor, sizeof x->actor);
        rmct_db_column_text(st, 15, x->reference, sizeof x->reference);
        rmct_db_column_text(st, 16, x->recorded_by, sizeof x->recorded_by);
        rmct_db_column_text(st, 17, x->recorded_at, sizeof x->recorded_at);
        x->src_line = sqlite3_column_int(st, 18);
        rmct_db_column_text(st, 19, x->form, sizeof x->form);
        rmct_db_column_text(st, 20, x->formula, sizeof x->formula);
        rmct_db_column_text(st, 21, x->currency, sizeof x->currency);
        rmct_db_column_text(st, 22, x->supplier, sizeof x->supplier);
        x->purity = sqlite3_column_double(st, 23);
        x->unit_cost = sqlite3_column_type(st, 24) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 24);
        x->contained_g = sqlite3_column_int64(st, 25);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rmct_db_error(db, err, "reading the ledger's movements");
    }
    return RMCT_OK;
}

rmct_code rmct_stock_audit(rmct_db *db, rmct_stock_audit_row **out, int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT id, at, actor, action, row_key, detail FROM stock_audit ORDER BY id", err);
    if (rc) return rc;
    int cap = 0, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 32;
            rmct_stock_audit_row *v = realloc(*out, (size_t)cap * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                rmct_stock_audit_free(*out, *n);
                *out = NULL;
                *n = 0;
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            *out = v;
        }
        rmct_stock_audit_row *a = &(*out)[(*n)++];
        memset(a, 0, sizeof *a);
        a->id = sqlite3_column_int64(st, 0);
        rmct_db_column_text(st, 1, a->at, sizeof a->at);
        rmct_db_column_text(st, 2, a->actor, sizeof a->actor);
        rmct_db_column_text(st, 3, a->action, sizeof a->action);
        rmct_db_column_text(st, 4, a->row_key, sizeof a->row_key);
        const unsigned char *d = sqlite3_column_text(st, 5);
        a->detail = strdup(d ? (const char *)d : "");
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) return rmct_db_error(db, err, "reading the audit log");
    return RMCT_OK;
}

void rmct_stock_audit_free(rmct_stock_audit_row *rows, int n)
{
    for (int i = 0; i < n; i++) free(rows[i].detail);
    free(rows);
}

/* ---------------- the consistency check ---------------- */

/* Runs a query returning problem descriptions (one text column); counts them, keeps the first. */
static rmct_code problems(rmct_db *db, const char *sql, rmct_stock_check *c, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, sql, err);
    if (rc) return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (!c->problems++) rmct_db_column_text(st, 0, c->first_problem, sizeof c->first_problem);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) return rmct_db_error(db, err, "checking the ledger");
    return RMCT_OK;
}

static rmct_code count_of(rmct_db *db, const char *sql, int64_t *v, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, sql, err);
    if (rc) return rc;
    int s = sqlite3_step(st);
    *v = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (s != SQLITE_ROW) return rmct_db_error(db, err, "checking the ledger");
    return RMCT_OK;
}

rmct_code rmct_stock_verify(rmct_db *db, rmct_stock_check *c, rmct_error *err)
{
    memset(c, 0, sizeof *c);
    static const char *const checks[] = {
        /* the file itself */
        "SELECT 'database: ' || quick_check FROM pragma_quick_check WHERE quick_check <> 'ok'",
        "SELECT 'dangling reference in ' || \"table\" || ' row ' || rowid FROM pragma_foreign_key_check "
        "WHERE \"table\" IN ('stock_warehouse', 'stock_lot', 'stock_movement')",
        /* one acquisition per lot, matching it, first by date */
        "SELECT 'lot ' || l.code || ' has ' || count(m.id) || ' acquisitions' FROM stock_lot l "
        "LEFT JOIN stock_movement m ON m.lot_id = l.id AND m.kind = 'acquire' GROUP BY l.id HAVING count(m.id) <> 1",
        "SELECT 'lot ' || l.code || ': its acquisition (movement ' || m.id || ') does not match it' FROM stock_lot l "
        "JOIN stock_movement m ON m.lot_id = l.id AND m.kind = 'acquire' "
        "WHERE m.qty_g <> l.gross_g OR m.date <> l.acquired OR m.to_wh IS NOT l.warehouse OR m.from_wh IS NOT NULL",
        "SELECT 'movement ' || m.id || ' is dated ' || m.date || ', before lot ' || l.code || ' was acquired' "
        "FROM stock_movement m JOIN stock_lot l ON l.id = m.lot_id WHERE m.date < l.acquired",
        /* every movement balances: one quantity from one place to another */
        "SELECT 'movement ' || id || ' does not balance' FROM stock_movement "
        "WHERE qty_g <= 0 OR (from_wh IS NULL AND to_wh IS NULL) OR from_wh IS to_wh",
        /* reversals mirror what they reverse */
        "SELECT 'movement ' || r.id || ' does not mirror movement ' || r.reverses FROM stock_movement r "
        "LEFT JOIN stock_movement o ON o.id = r.reverses WHERE r.reverses IS NOT NULL AND (o.id IS NULL "
        "OR o.lot_id <> r.lot_id OR o.qty_g <> r.qty_g OR o.from_wh IS NOT r.to_wh OR o.to_wh IS NOT r.from_wh "
        "OR o.kind = 'reversal' OR o.date > r.date)",
        /* no lot below zero in any warehouse after any movement, in date order */
        "SELECT 'lot ' || l.code || ' goes below zero in ' || w || ' on ' || d FROM ("
        "  SELECT lot_id, w, d, sum(q) OVER (PARTITION BY lot_id, w ORDER BY d, id ROWS UNBOUNDED PRECEDING) AS b FROM ("
        "    SELECT lot_id, to_wh AS w, date AS d, id, qty_g AS q FROM stock_movement WHERE to_wh IS NOT NULL "
        "    UNION ALL SELECT lot_id, from_wh, date, id, -qty_g FROM stock_movement WHERE from_wh IS NOT NULL)) x "
        "JOIN stock_lot l ON l.id = x.lot_id WHERE b < 0",
        /* the audit log: one row per warehouse, lot and movement */
        "SELECT 'warehouse ' || w.code || ' has no audit row' FROM stock_warehouse w WHERE NOT EXISTS "
        "(SELECT 1 FROM stock_audit a WHERE a.action = 'warehouse' AND a.row_key = w.code)",
        "SELECT 'lot ' || l.code || ' has no audit row' FROM stock_lot l WHERE NOT EXISTS "
        "(SELECT 1 FROM stock_audit a WHERE a.action = 'lot' AND a.row_key = CAST(l.id AS TEXT))",
        "SELECT 'movement ' || m.id || ' has no audit row' FROM stock_movement m WHERE NOT EXISTS "
        "(SELECT 1 FROM stock_audit a WHERE a.action = 'movement' AND a.row_key = CAST(m.id AS TEXT))",
        "SELECT 'audit row ' || id || ' names a ' || action || ' not in the ledger' FROM stock_audit a WHERE "
        "(action = 'warehouse' AND NOT EXISTS (SELECT 1 FROM stock_warehouse WHERE code = a.row_key)) OR "
        "(action = 'lot' AND NOT EXISTS (SELECT 1 FROM stock_lot WHERE CAST(id AS TEXT) = a.row_key)) OR "
        "(action = 'movement' AND NOT EXISTS (SELECT 1 FROM stock_movement WHERE CAST(id AS TEXT) = a.row_key))",
        "SELECT 'audit rows for ' || action || ' ' || row_key || ': ' || count(*) FROM stock_audit "
        "GROUP BY action, row_key HAVING count(*) > 1",
    };
    rmct_code rc;
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
        if ((rc = problems(db, checks[i], c, err))) return rc;
    int64_t v;
    if ((rc = count_of(db, "SELECT count(*) FROM stock_warehouse", &v, err))) return rc;
    c->warehouses = (long)v;
    if ((rc = count_of(db, "SELECT count(*) FROM stock_lot", &v, err))) return rc;
    c->lots = (long)v;
    if ((rc = count_of(db, "SELECT count(*) FROM stock_movement", &v, err))) return rc;
    c->movements = (long)v;
    if ((rc = count_of(db, "SELECT count(*) FROM stock_movement WHERE reverses IS NOT NULL", &v, err))) return rc;
    c->reversals = (long)v;
    if ((rc = count_of(db, "SELECT count(*) FROM stock_audit", &v, err))) return rc;
    c->audit_rows = (long)v;
    if ((rc = count_of(db, "SELECT coalesce(sum(qty_g), 0) FROM stock_balance", &c->held_g, err)) ||
        (rc = count_of(db, "SELECT coalesce(sum(qty_g), 0) FROM stock_movement WHERE from_wh IS NULL", &c->in_g, err)) ||
        (rc = count_of(db, "SELECT coalesce(sum(qty_g), 0) FROM stock_movement WHERE to_wh IS NULL", &c->out_g, err)))
        return rc;
    if (c->held_g != c->in_g - c->out_g && !c->problems++) {
        char a[32], b[32], h[32];
        snprintf(c->first_problem, sizeof c->first_problem, "the warehouses hold %s t, but %s t came in and %s t left",
                 ts(h, c->held_g), ts(a, c->in_g), ts(b, c->out_g));
    }
    if (c->audit_rows != c->warehouses + c->lots + c->movements && !c->problems++)
        snprintf(c->first_problem, sizeof c->first_problem, "%ld audit rows for %ld warehouses, %ld lots and %ld movements",
                 c->audit_rows, c->warehouses, c->lots, c->movements);
    return RMCT_OK;
}
