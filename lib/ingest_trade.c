/* ingest_trade.c: readers for trade data: the HS -> metal map (data/hs_map.csv), CEPII BACI trade
 * files and their country and product code files, UN Comtrade exports (current bulk/API layout and
 * the legacy layout), and reported facts about Korea's imports (data/korea_imports.csv).
 *
 * Trade files are streamed: a row whose product is not in the HS map is dropped as soon as its code
 * is read, so memory and database size depend on the rare-metal flows only, whatever the file size.
 * Unknown country codes are kept with their code and counted; the import result says how many
 * and shows examples. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formula.h"
#include "ingest_internal.h"

static const char *get(ingest_ctx *ctx, int i) { return rmct_csv_get(ctx->csv, i); }

/* "HS17" / "H5" / "HS2017" / "2017" -> "HS2017"; false if not an HS edition RMCT knows. */
static bool hs_version_name(const char *text, char *out, size_t size)
{
    static const char *const map[][2] = {
        {"HS92", "HS1992"}, {"H0", "HS1992"}, {"HS96", "HS1996"}, {"H1", "HS1996"}, {"HS02", "HS2002"}, {"H2", "HS2002"},
        {"HS07", "HS2007"}, {"H3", "HS2007"}, {"HS12", "HS2012"}, {"H4", "HS2012"}, {"HS17", "HS2017"}, {"H5", "HS2017"},
        {"HS22", "HS2022"}, {"H6", "HS2022"}, {NULL, NULL}};
    char t[16];
    rmct_strlcpy(t, text, sizeof t);
    rmct_trim(t);
    for (char *p = t; *p; p++) *p = (char)toupper((unsigned char)*p);
    for (int i = 0; map[i][0]; i++)
        if (!strcmp(t, map[i][0]) || !strcmp(t, map[i][1]) || !strcmp(t, map[i][1] + 2)) {
            rmct_strlcpy(out, map[i][1], size);
            return true;
        }
    return false;
}

/* The HS edition named in a file name: BACI_HS17_Y2022_V202401.csv, product_codes_HS22_V202401.csv. */
static bool hs_version_from_name(const char *path, char *out, size_t size)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    for (const char *p = b; *p; p++)
        if (p[0] == 'H' && p[1] == 'S' && isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) && !isdigit((unsigned char)p[4])) {
            char v[5] = {p[0], p[1], p[2], p[3], 0};
            return hs_version_name(v, out, size);
        }
    return false;
}

/* The HS edition of a trade file: --hs-version, else its name; an error says how to give it. */
static rmct_code file_hs_version(ingest_ctx *ctx, char *out, size_t size, bool required, rmct_error *err)
{
    out[0] = '\0';
    if (ctx->opts->hs_version) {
        if (!hs_version_name(ctx->opts->hs_version, out, size))
            return rmct_error_set(err, RMCT_E_ARG, "--hs-version: expected HS2012, HS2017 or HS2022 (or HS12, H5...), got \"%s\"",
                                  ctx->opts->hs_version);
        return RMCT_OK;
    }
    if (hs_version_from_name(ctx->path, out, size) || !required) return RMCT_OK;
    return rmct_error_at(err, ctx->name, 0, 0, NULL,
                         "expected the HS edition in the file name (e.g. BACI_HS17_Y2022_V202401.csv) or --hs-version");
}

/* ---------------- the HS map ---------------- */

static double weight_of(void *ctx, const char *symbol)
{
    ingest_ctx *c = ctx;
    sqlite3_stmt *st;
    rmct_error e;
    if (ingest_stmt(c, 2, "SELECT atomic_weight FROM element WHERE symbol = ?", &st, &e)) return 0;
    sqlite3_bind_text(st, 1, symbol, -1, SQLITE_TRANSIENT);
    return sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : 0;
}

rmct_code ingest_hs_map(ingest_ctx *ctx, rmct_error *err)
{
    enum { H_VER, H_HS6, H_DESC, H_METAL, H_FORM, H_FORMULA, H_FACTOR, H_BASIS, H_SHARED, H_NOTE, H_SRC, H_URL, H__N };
    static const rmct_csv_colspec spec[H__N] = {
        {"hs_version", true}, {"hs6", true}, {"description", true}, {"metal", true}, {"form", true}, {"formula", true},
        {"content_factor", true}, {"factor_basis", true}, {"shared", true}, {"note", false}, {"source", true}, {"source_url", false}};
    static const char *const forms[] = {"ore", "compound", "metal", "scrap", "semi", NULL};
    int ix[H__N];
    rmct_code rc = ingest_header(ctx, spec, H__N, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        char version[16];
        if (!hs_version_name(get(ctx, ix[H_VER]), version, sizeof version)) {
            rc = rmct_csv_field_error(ctx->csv, ix[H_VER], err, "expected an HS edition (HS2012, HS2017, HS2022), got \"%s\"", get(ctx, ix[H_VER]));
            break;
        }
        char hs6[16];
        rmct_strlcpy(hs6, get(ctx, ix[H_HS6]), sizeof hs6);
        size_t n = 0;
        for (char *p = hs6; *p; p++)
            if (*p != '.') hs6[n++] = *p;
        hs6[n] = '\0';
        bool digits = n == 6;
        for (size_t k = 0; k < n; k++) digits &= isdigit((unsigned char)hs6[k]) != 0;
        if (!digits) {
            rc = rmct_csv_field_error(ctx->csv, ix[H_HS6], err, "expected a 6-digit HS code (leading zeros kept), got \"%s\"", get(ctx, ix[H_HS6]));
            break;
        }
        rmct_metal m;
        if ((rc = ingest_metal(ctx, ix[H_METAL], get(ctx, ix[H_METAL]), &m, err))) break;
        if (!m.type_code[0]) {
            rc = rmct_csv_field_error(ctx->csv, ix[H_METAL], err, "expected one of Korea's 35 rare-metal types, got \"%s\"", get(ctx, ix[H_METAL]));
            break;
        }
        const char *form = get(ctx, ix[H_FORM]);
        bool form_ok = false;
        for (int k = 0; forms[k]; k++) form_ok |= !strcmp(forms[k], form);
        if (!form_ok) {
            rc = rmct_csv_field_error(ctx->csv, ix[H_FORM], err, "expected ore, compound, metal, scrap or semi, got \"%s\"", form);
            break;
        }
        const char *formula = get(ctx, ix[H_FORMULA]), *basis_raw = get(ctx, ix[H_BASIS]), *fac = get(ctx, ix[H_FACTOR]);
        char basis[16];
        double factor = 0;
        bool has_factor = false;
        if (*formula) { /* computed: the formula wins over any typed figure */
            if (!m.element[0]) {
                rc = rmct_csv_field_error(ctx->csv, ix[H_METAL], err, "expected an element (not a group) for a formula row, got \"%s\"", get(ctx, ix[H_METAL]));
                break;
            }
            rmct_error fe;
            rmct_error_clear(&fe);
            if (rmct_mass_fraction(formula, m.element, weight_of, ctx, &factor, &fe)) {
                rc = rmct_csv_field_error(ctx->csv, ix[H_FORMULA], err, "%s", fe.msg);
                break;
            }
            has_factor = true;
            rmct_strlcpy(basis, "formula", sizeof basis);
        } else if (*fac) {
            if (!rmct_parse_double(fac, false, &factor) || factor <= 0 || factor > 1) {
                rc = rmct_csv_field_error(ctx->csv, ix[H_FACTOR], err, "expected a content factor in (0, 1], got \"%s\"", fac);
                break;
            }
            has_factor = true;
            rmct_strlcpy(basis, !strcmp(basis_raw, "definition") || !strcmp(basis_raw, "source") ? basis_raw : "assumption", sizeof basis);
        } else {
            rmct_strlcpy(basis, "unknown", sizeof basis);
        }
        long shared;
        if (!rmct_parse_long(get(ctx, ix[H_SHARED]), 0, 1, &shared)) {
            rc = rmct_csv_field_error(ctx->csv, ix[H_SHARED], err, "expected 0 or 1, got \"%s\"", get(ctx, ix[H_SHARED]));
            break;
        }
        int64_t cid;
        if ((rc = ingest_cite(ctx, get(ctx, ix[H_SRC]), get(ctx, ix[H_URL]), &cid, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO hs_code(hs_version, hs6, description, type_code, element, form, formula,"
                                      " content_factor, factor_basis, shared, note, citation_id)"
                                      " VALUES (?,?,?,?,nullif(?,''),?,?,?,?,?,?,?)", &st, err))) break;
        sqlite3_bind_text(st, 1, version, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, hs6, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, get(ctx, ix[H_DESC]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, m.type_code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, m.element, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, form, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, formula, -1, SQLITE_STATIC);
        if (has_factor) sqlite3_bind_double(st, 8, factor); else sqlite3_bind_null(st, 8);
        sqlite3_bind_text(st, 9, basis, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 10, (int)shared);
        sqlite3_bind_text(st, 11, get(ctx, ix[H_NOTE]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 12, cid);
        if ((rc = ingest_step(ctx, st, ix[H_HS6], "HS code (one row per edition, code and metal)", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---------------- shared by the trade file readers ---------------- */

/* The mapped HS6 codes of one edition as a bitmap over 0..999999. */
typedef struct {
    unsigned char *bits;
    long n;
} code_set;

static rmct_code load_codes(ingest_ctx *ctx, const char *table, const char *version, code_set *set, rmct_error *err)
{
    set->bits = calloc(1000000 / 8 + 1, 1);
    set->n = 0;
    if (!set->bits) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT DISTINCT hs6 FROM %s WHERE hs_version = ?", table);
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(ctx->db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, version, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        long k = atol((const char *)sqlite3_column_text(st, 0));
        set->bits[k / 8] |= (unsigned char)(1u << (k % 8));
        set->n++;
    }
    sqlite3_finalize(st);
    return RMCT_OK;
}

static bool in_set(const code_set *s, long k) { return k >= 0 && k < 1000000 && (s->bits[k / 8] >> (k % 8)) & 1; }

/* HS6 text to a number; false unless exactly six digits. */
static bool hs6_number(const char *text, long *k)
{
    const char *p = text;
    while (*p == ' ' || *p == '"') p++;
    long v = 0;
    int n = 0;
    for (; isdigit((unsigned char)*p); p++, n++) v = v * 10 + (*p - '0');
    while (*p == ' ' || *p == '"') p++;
    if (*p || n != 6) return false;
    *k = v;
    return true;
}

/* Country of a numeric code; unknown codes are counted, with a few examples kept. */
typedef struct {
    long unknown_rows;
    char examples[128];
    int n_examples;
} unknown_codes;

static rmct_code country_of_code(ingest_ctx *ctx, long code, char iso3[4], unknown_codes *u, rmct_error *err)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%ld", code);
    rmct_error e;
    rmct_error_clear(&e);
    if (rmct_registry_country(ctx->reg, buf, iso3, &e) == RMCT_OK) return RMCT_OK;
    if (e.code != RMCT_E_NOTFOUND) {
        *err = e;
        return e.code;
    }
    iso3[0] = '\0'; /* an area (World, 'Areas nes') or a code RMCT does not know: kept by its number */
    u->unknown_rows++;
    if (u->n_examples < 5 && !strstr(u->examples, buf)) {
        size_t len = strlen(u->examples);
        snprintf(u->examples + len, sizeof u->examples - len, "%s%s", u->n_examples ? ", " : "", buf);
        u->n_examples++;
    }
    return RMCT_OK;
}

typedef struct {
    long exporter_code, importer_code;
    const char *reported_by;
    const char *hs_version;
    char hs6[8];
    long year, month;
    double value_usd;
    bool has_qty;
    double qty_t;
    bool sum_duplicates;  /* Comtrade breakdowns add up; BACI keys are unique */
} flow_row;

static rmct_code store_flow(ingest_ctx *ctx, const flow_row *r, unknown_codes *u, rmct_error *err)
{
    char exp[4], imp[4];
    rmct_code rc;
    if ((rc = country_of_code(ctx, r->exporter_code, exp, u, err)) || (rc = country_of_code(ctx, r->importer_code, imp, u, err)))
        return rc;
    sqlite3_stmt *st;
    if (r->sum_duplicates)
        rc = ingest_stmt(ctx, 5,
            "INSERT INTO trade_flow(exporter_code, exporter, importer_code, importer, reported_by, hs_version, hs6, year, month,"
            " value_usd, qty_t, source_id, src_line) VALUES (?,nullif(?,''),?,nullif(?,''),?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(source_id, exporter_code, importer_code, reported_by, hs6, year, month) DO UPDATE SET"
            " value_usd = value_usd + excluded.value_usd, qty_t = CASE WHEN qty_t IS NULL OR excluded.qty_t IS NULL THEN NULL"
            " ELSE qty_t + excluded.qty_t END, rows = rows + 1", &st, err);
    else
        rc = ingest_stmt(ctx, 5,
            "INSERT INTO trade_flow(exporter_code, exporter, importer_code, importer, reported_by, hs_version, hs6, year, month,"
            " value_usd, qty_t, source_id, src_line) VALUES (?,nullif(?,''),?,nullif(?,''),?,?,?,?,?,?,?,?,?)", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, r->exporter_code);
    sqlite3_bind_text(st, 2, exp, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, r->importer_code);
    sqlite3_bind_text(st, 4, imp, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, r->reported_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->hs_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->hs6, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 8, r->year);
    sqlite3_bind_int64(st, 9, r->month);
    sqlite3_bind_double(st, 10, r->value_usd);
    if (r->has_qty) sqlite3_bind_double(st, 11, r->qty_t); else sqlite3_bind_null(st, 11);
    sqlite3_bind_int64(st, 12, ctx->source_id);
    sqlite3_bind_int64(st, 13, rmct_csv_line(ctx->csv, 0));
    int s = sqlite3_step(st);
    if (s == SQLITE_DONE) return RMCT_OK;
    if (s != SQLITE_CONSTRAINT_UNIQUE) return rmct_db_error(ctx->db, err, "storing a trade flow");
    sqlite3_stmt *q;
    long first = 0;
    if (rmct_db_prepare(ctx->db, &q, "SELECT src_line FROM trade_flow WHERE source_id = ? AND exporter_code = ? AND importer_code = ?"
                                     " AND reported_by = ? AND hs6 = ? AND year = ? AND month = ?", err) == RMCT_OK) {
        sqlite3_bind_int64(q, 1, ctx->source_id);
        sqlite3_bind_int64(q, 2, r->exporter_code);
        sqlite3_bind_int64(q, 3, r->importer_code);
        sqlite3_bind_text(q, 4, r->reported_by, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, r->hs6, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(q, 6, r->year);
        sqlite3_bind_int64(q, 7, r->month);
        if (sqlite3_step(q) == SQLITE_ROW) first = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    return rmct_error_at(err, ctx->name, rmct_csv_line(ctx->csv, 0), 1, NULL,
                         "expected one row per year, exporter, importer and product, got a duplicate of line %ld", first);
}

/* Result note: skipped rows and unknown codes. */
static void trade_note(ingest_ctx *ctx, long kept_rows, long skipped, const char *why, const unknown_codes *u)
{
    ctx->res->skipped = skipped;
    size_t n = (size_t)snprintf(ctx->res->note, sizeof ctx->res->note, "%ld rows of mapped products kept, %ld skipped (%s)",
                                kept_rows, skipped, why);
    if (u->unknown_rows && n < sizeof ctx->res->note) {
        int w = snprintf(ctx->res->note + n, sizeof ctx->res->note - n,
                         "; warning: %ld rows with country codes RMCT cannot place (e.g. %s), kept by code", u->unknown_rows,
                         u->examples);
        if (w < 0 || (size_t)w >= sizeof ctx->res->note - n) ctx->res->note[sizeof ctx->res->note - 1] = '\0';   /* cut short */
    }
}

/* ---------------- CEPII BACI ---------------- */

rmct_code ingest_baci(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"t", true}, {"i", true}, {"j", true}, {"k", true}, {"v", true}, {"q", true}};
    int ix[6];
    char version[16];
    rmct_code rc = file_hs_version(ctx, version, sizeof version, true, err);
    if (!rc) rc = ingest_header(ctx, spec, 6, ix, false, err);
    if (rc) return rc;
    code_set mapped = {0}, known = {0};
    if ((rc = load_codes(ctx, "hs_code", version, &mapped, err)) || (rc = load_codes(ctx, "hs_product", version, &known, err))) {
        free(mapped.bits);
        free(known.bits);
        return rc;
    }
    if (mapped.n == 0) {
        free(mapped.bits);
        free(known.bits);
        return rmct_error_at(err, ctx->name, 0, 0, NULL, "no HS codes of %s are mapped to rare metals (data/hs_map.csv)", version);
    }
    unknown_codes u = {0};
    long kept = 0, skipped = 0, unknown_products = 0;
    bool got;
    while (!(rc = ingest_next(ctx, &got, err)) && got) {
        long k, t, i, j;
        if (!hs6_number(get(ctx, ix[3]), &k)) {
            rc = rmct_csv_field_error(ctx->csv, ix[3], err, "expected an HS6 product code of six digits, got \"%s\"", get(ctx, ix[3]));
            break;
        }
        if (known.n && !in_set(&known, k)) unknown_products++;
        if (!in_set(&mapped, k)) { /* filter early: most of a BACI file is other products */
            skipped++;
            continue;
        }
        if (!rmct_parse_long(get(ctx, ix[0]), 1900, 2200, &t)) {
            rc = rmct_csv_field_error(ctx->csv, ix[0], err, "expected a year, got \"%s\"", get(ctx, ix[0]));
            break;
        }
        if (!rmct_parse_long(get(ctx, ix[1]), 0, 999, &i) || !rmct_parse_long(get(ctx, ix[2]), 0, 999, &j)) {
            int bad = rmct_parse_long(get(ctx, ix[1]), 0, 999, &i) ? ix[2] : ix[1];
            rc = rmct_csv_field_error(ctx->csv, bad, err, "expected a numeric country code (0-999), got \"%s\"", get(ctx, bad));
            break;
        }
        double v, q = 0;
        if (!rmct_parse_double(get(ctx, ix[4]), false, &v) || v < 0) {
            rc = rmct_csv_field_error(ctx->csv, ix[4], err, "expected a non-negative value in thousand USD, got \"%s\"", get(ctx, ix[4]));
            break;
        }
        char qbuf[32];
        rmct_strlcpy(qbuf, get(ctx, ix[5]), sizeof qbuf);
        rmct_trim(qbuf);
        bool has_q = qbuf[0] && strcmp(qbuf, "NA") != 0;
        if (has_q && (!rmct_parse_double(qbuf, false, &q) || q < 0)) {
            rc = rmct_csv_field_error(ctx->csv, ix[5], err, "expected a non-negative quantity in tonnes, empty or NA, got \"%s\"", get(ctx, ix[5]));
            break;
        }
        flow_row r = {i, j, "reconciled", version, "", t, 0, v * 1000.0, has_q, q, false};
        snprintf(r.hs6, sizeof r.hs6, "%06ld", k);
        if ((rc = store_flow(ctx, &r, &u, err))) break;
        kept++;
        ctx->res->rows++;
    }
    free(mapped.bits);
    free(known.bits);
    if (rc) return rc;
    trade_note(ctx, kept, skipped, "products outside the HS map", &u);
    if (unknown_products) {
        size_t n = strlen(ctx->res->note);
        snprintf(ctx->res->note + n, sizeof ctx->res->note - n, "; warning: %ld rows with product codes not in the loaded %s list",
                 unknown_products, version);
    }
    return RMCT_OK;
}

/* country_codes_V202401.csv: country_code,country_name,country_iso2,country_iso3 */
rmct_code ingest_baci_countries(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"country_code", true}, {"country_name", true}, {"country_iso2", false}, {"country_iso3", true}};
    int ix[4];
    rmct_code rc = ingest_header(ctx, spec, 4, ix, false, err);
    int64_t cid = 0;
    if (!rc) rc = ingest_cite(ctx, "CEPII BACI country codes file", NULL, &cid, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        long code;
        if (!rmct_parse_long(get(ctx, ix[0]), 0, 999, &code)) {
            rc = rmct_csv_field_error(ctx->csv, ix[0], err, "expected a numeric country code, got \"%s\"", get(ctx, ix[0]));
            break;
        }
        char iso3[4] = "", known[4];
        rmct_error e;
        rmct_error_clear(&e);
        char num[16];
        snprintf(num, sizeof num, "%ld", code);
        if (rmct_registry_country(ctx->reg, num, known, &e) == RMCT_OK) continue; /* already placed */
        rmct_error_clear(&e);
        bool is_country = rmct_registry_country(ctx->reg, get(ctx, ix[3]), iso3, &e) == RMCT_OK;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO comtrade_code(code, iso3, name, kind, note, citation_id) VALUES (?,nullif(?,''),?,?,?,?)"
                                      " ON CONFLICT(code) DO NOTHING", &st, err))) break;
        sqlite3_bind_int64(st, 1, code);
        sqlite3_bind_text(st, 2, is_country ? iso3 : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, get(ctx, ix[1]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, is_country ? "country" : "area", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, is_country ? "from the BACI country file" : "BACI code without an ISO country", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, cid);
        if ((rc = ingest_step(ctx, st, ix[0], "country code", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* product_codes_HS17_V202401.csv: code,description */
rmct_code ingest_baci_products(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"code", true}, {"description", true}};
    int ix[2];
    char version[16];
    rmct_code rc = file_hs_version(ctx, version, sizeof version, true, err);
    if (!rc) rc = ingest_header(ctx, spec, 2, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        long k;
        if (!hs6_number(get(ctx, ix[0]), &k)) {
            rc = rmct_csv_field_error(ctx->csv, ix[0], err, "expected a six-digit HS code, got \"%s\"", get(ctx, ix[0]));
            break;
        }
        char hs6[8];
        snprintf(hs6, sizeof hs6, "%06ld", k);
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO hs_product(hs_version, hs6, description, source_id) VALUES (?,?,?,?)", &st, err))) break;
        sqlite3_bind_text(st, 1, version, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, hs6, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, get(ctx, ix[1]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, ctx->source_id);
        if ((rc = ingest_step(ctx, st, ix[0], "product code", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---------------- UN Comtrade ---------------- */

rmct_code ingest_comtrade(ingest_ctx *ctx, rmct_error *err)
{
    /* both layouts in one table: the current bulk/API names, then the legacy names */
    enum { C_YEAR, C_PERIOD, C_REPORTER, C_PARTNER, C_FLOW, C_CMD, C_VALUE, C_NETWGT, C_CLASS, C_PARTNER2, C_CUSTOMS, C_MOT,
           L_YEAR, L_PERIOD, L_REPORTER, L_PARTNER, L_FLOW, L_CMD, L_VALUE, L_NETWGT, L_CLASS, C__N };
    static const rmct_csv_colspec spec[C__N] = {
        {"refYear", false}, {"period", false}, {"reporterCode", false}, {"partnerCode", false}, {"flowCode", false},
        {"cmdCode", false}, {"primaryValue", false}, {"netWgt", false}, {"classificationCode", false},
        {"partner2Code", false}, {"customsCode", false}, {"motCode", false},
        {"Year", false}, {"Period", false}, {"Reporter Code", false}, {"Partner Code", false}, {"Trade Flow Code", false},
        {"Commodity Code", false}, {"Trade Value (US$)", false}, {"Netweight (kg)", false}, {"Classification", false}};
    int ix[C__N];
    rmct_code rc = ingest_header(ctx, spec, C__N, ix, true, err);
    if (rc) return rc;
    bool legacy = ix[L_REPORTER] >= 0;
    int year = legacy ? ix[L_YEAR] : ix[C_YEAR], period = legacy ? ix[L_PERIOD] : ix[C_PERIOD];
    int reporter = legacy ? ix[L_REPORTER] : ix[C_REPORTER], partner = legacy ? ix[L_PARTNER] : ix[C_PARTNER];
    int flow = legacy ? ix[L_FLOW] : ix[C_FLOW], cmd = legacy ? ix[L_CMD] : ix[C_CMD];
    int value = legacy ? ix[L_VALUE] : ix[C_VALUE], netwgt = legacy ? ix[L_NETWGT] : ix[C_NETWGT];
    int klass = legacy ? ix[L_CLASS] : ix[C_CLASS];
    const char *missing = (year < 0 && period < 0) ? (legacy ? "Year" : "refYear") : reporter < 0 ? "reporterCode"
                        : partner < 0 ? (legacy ? "Partner Code" : "partnerCode") : flow < 0 ? (legacy ? "Trade Flow Code" : "flowCode")
                        : cmd < 0 ? (legacy ? "Commodity Code" : "cmdCode") : value < 0 ? (legacy ? "Trade Value (US$)" : "primaryValue") : NULL;
    if (missing)
        return rmct_error_at(err, ctx->name, 1, 1, NULL,
                             "expected a UN Comtrade header (refYear,reporterCode,partnerCode,flowCode,cmdCode,primaryValue,netWgt,... or "
                             "Year,Reporter Code,Partner Code,Trade Flow Code,Commodity Code,Trade Value (US$),...), missing \"%s\"", missing);
    char fixed_version[16] = "";
    if ((rc = file_hs_version(ctx, fixed_version, sizeof fixed_version, klass < 0, err))) return rc;
    code_set mapped[8] = {{0}};
    const char *versions[8] = {"HS1992", "HS1996", "HS2002", "HS2007", "HS2012", "HS2017", "HS2022", NULL};
    for (int v = 0; versions[v] && !rc; v++) rc = load_codes(ctx, "hs_code", versions[v], &mapped[v], err);
    unknown_codes u = {0};
    long kept = 0, skipped = 0, other_flows = 0, breakdown = 0, world = 0;
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        /* breakdowns (second partner, customs procedure, transport mode) repeat the totals: keep totals */
        if ((ix[C_PARTNER2] >= 0 && strcmp(get(ctx, ix[C_PARTNER2]), "0") && *get(ctx, ix[C_PARTNER2])) ||
            (ix[C_CUSTOMS] >= 0 && strcmp(get(ctx, ix[C_CUSTOMS]), "C00") && *get(ctx, ix[C_CUSTOMS])) ||
            (ix[C_MOT] >= 0 && strcmp(get(ctx, ix[C_MOT]), "0") && *get(ctx, ix[C_MOT]))) {
            breakdown++;
            continue;
        }
        long k;
        if (!hs6_number(get(ctx, cmd), &k)) { /* chapters, headings, TOTAL: not products */
            skipped++;
            continue;
        }
        char version[16];
        if (fixed_version[0]) rmct_strlcpy(version, fixed_version, sizeof version);
        else if (!hs_version_name(get(ctx, klass), version, sizeof version)) {
            rc = rmct_csv_field_error(ctx->csv, klass, err, "expected an HS classification (H4, H5, H6...), got \"%s\"", get(ctx, klass));
            break;
        }
        int vi = 0;
        while (versions[vi] && strcmp(versions[vi], version)) vi++;
        if (!versions[vi] || !in_set(&mapped[vi], k)) {
            skipped++;
            continue;
        }
        const char *fl = get(ctx, flow);
        const char *reported_by;
        if (!strcmp(fl, "M") || !strcmp(fl, "1")) reported_by = "importer";
        else if (!strcmp(fl, "X") || !strcmp(fl, "2")) reported_by = "exporter";
        else if (!strcmp(fl, "RM") || !strcmp(fl, "RX") || !strcmp(fl, "3") || !strcmp(fl, "4") || !strcmp(fl, "MIP") ||
                 !strcmp(fl, "XIP") || !strcmp(fl, "MOP") || !strcmp(fl, "XOP") || !strcmp(fl, "DX") || !strcmp(fl, "FM")) {
            other_flows++; /* re-exports, re-imports, processing: not counted as imports or exports */
            continue;
        } else {
            rc = rmct_csv_field_error(ctx->csv, flow, err, "expected a trade flow code (M, X, RM, RX or 1-4), got \"%s\"", fl);
            break;
        }
        long rep, par, y = 0, month = 0;
        if (!rmct_parse_long(get(ctx, reporter), 0, 999, &rep) || !rmct_parse_long(get(ctx, partner), 0, 999, &par)) {
            int bad = rmct_parse_long(get(ctx, reporter), 0, 999, &rep) ? partner : reporter;
            rc = rmct_csv_field_error(ctx->csv, bad, err, "expected a numeric country code (0-999), got \"%s\"", get(ctx, bad));
            break;
        }
        if (par == 0) { /* the World aggregate of the reporter's rows */
            world++;
            continue;
        }
        if (period >= 0 && *get(ctx, period)) {
            long p;
            if (!rmct_parse_long(get(ctx, period), 1900, 220012, &p) || (p > 2200 && (p % 100 < 1 || p % 100 > 12))) {
                rc = rmct_csv_field_error(ctx->csv, period, err, "expected a period YYYY or YYYYMM, got \"%s\"", get(ctx, period));
                break;
            }
            if (p > 2200) { y = p / 100; month = p % 100; } else y = p;
        }
        if (year >= 0 && *get(ctx, year) && !rmct_parse_long(get(ctx, year), 1900, 2200, &y)) {
            rc = rmct_csv_field_error(ctx->csv, year, err, "expected a year, got \"%s\"", get(ctx, year));
            break;
        }
        if (y == 0) {
            rc = rmct_csv_field_error(ctx->csv, year >= 0 ? year : period, err, "expected a year, got an empty field");
            break;
        }
        double v, w = 0;
        if (!rmct_parse_double(get(ctx, value), false, &v) || v < 0) {
            rc = rmct_csv_field_error(ctx->csv, value, err, "expected a non-negative trade value in USD, got \"%s\"", get(ctx, value));
            break;
        }
        bool has_w = netwgt >= 0 && *get(ctx, netwgt);
        if (has_w && (!rmct_parse_double(get(ctx, netwgt), false, &w) || w < 0)) {
            rc = rmct_csv_field_error(ctx->csv, netwgt, err, "expected a non-negative net weight in kg, got \"%s\"", get(ctx, netwgt));
            break;
        }
        bool imp = !strcmp(reported_by, "importer");
        flow_row r = {imp ? par : rep, imp ? rep : par, reported_by, version, "", y, month, v, has_w, w / 1000.0, true};
        snprintf(r.hs6, sizeof r.hs6, "%06ld", k);
        if ((rc = store_flow(ctx, &r, &u, err))) break;
        kept++;
    }
    for (int v = 0; versions[v]; v++) free(mapped[v].bits);
    if (rc) return rc;
    sqlite3_stmt *st;
    if (!(rc = rmct_db_prepare(ctx->db, &st, "SELECT count(*) FROM trade_flow WHERE source_id = ?", err))) {
        sqlite3_bind_int64(st, 1, ctx->source_id);
        if (sqlite3_step(st) == SQLITE_ROW) ctx->res->rows = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    char why[160];
    snprintf(why, sizeof why, "other products %ld, World rows %ld, re-exports/re-imports %ld, breakdown rows %ld",
             skipped, world, other_flows, breakdown);
    trade_note(ctx, kept, skipped + world + other_flows + breakdown, why, &u);
    return rc;
}

/* ---------------- reported facts about Korea's imports ---------------- */

rmct_code ingest_korea_facts(ingest_ctx *ctx, rmct_error *err)
{
    enum { F_YEAR, F_REP, F_REP3, F_FLOW, F_HS, F_DESC, F_PARTNER, F_PARTNER3, F_VALUE, F_QTY, F_UNIT, F_SHARE, F_BASIS, F_SRC,
           F_URL, F_NOTE, F__N };
    static const rmct_csv_colspec spec[F__N] = {
        {"year", true}, {"reporter", true}, {"reporter_iso3", true}, {"flow", true}, {"hs_code", true}, {"description", true},
        {"partner", true}, {"partner_iso3", true}, {"value_usd", true}, {"quantity", true}, {"quantity_unit", true},
        {"share_pct", true}, {"basis", true}, {"source", true}, {"source_url", false}, {"note", false}};
    int ix[F__N];
    rmct_code rc = ingest_header(ctx, spec, F__N, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        long year;
        if (!rmct_parse_long(get(ctx, ix[F_YEAR]), 1900, 2200, &year)) {
            rc = rmct_csv_field_error(ctx->csv, ix[F_YEAR], err, "expected a year, got \"%s\"", get(ctx, ix[F_YEAR]));
            break;
        }
        char rep[4], par[4] = "";
        if ((rc = ingest_country(ctx, ix[F_REP3], get(ctx, ix[F_REP3]), rep, err))) break;
        const char *p3 = get(ctx, ix[F_PARTNER3]);
        if (strcmp(p3, "WLD") && (rc = ingest_country(ctx, ix[F_PARTNER3], p3, par, err))) break;
        const char *flow = get(ctx, ix[F_FLOW]);
        if (strcmp(flow, "import") && strcmp(flow, "export")) {
            rc = rmct_csv_field_error(ctx->csv, ix[F_FLOW], err, "expected import or export, got \"%s\"", flow);
            break;
        }
        /* the metal: through the HS map when a code is given, else the description's first word */
        char hs6[8] = "", type[8] = "", element[4] = "";
        const char *hs = get(ctx, ix[F_HS]);
        size_t n = 0;
        for (const char *q = hs; *q && n < 6; q++)
            if (isdigit((unsigned char)*q)) hs6[n++] = *q;
        hs6[n] = '\0';
        if (n == 6) {
            sqlite3_stmt *st;
            if ((rc = ingest_stmt(ctx, 1, "SELECT type_code, ifnull(element,'') FROM hs_code WHERE hs6 = ? LIMIT 1", &st, err))) break;
            sqlite3_bind_text(st, 1, hs6, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(st) == SQLITE_ROW) {
                rmct_db_column_text(st, 0, type, sizeof type);
                rmct_db_column_text(st, 1, element, sizeof element);
            }
        }
        if (!type[0]) {
            char word[32];
            sscanf(get(ctx, ix[F_DESC]), "%31[A-Za-z]", word);
            rmct_metal m;
            rmct_error e;
            rmct_error_clear(&e);
            if (rmct_registry_metal(ctx->reg, word, &m, &e) == RMCT_OK && m.type_code[0]) {
                rmct_strlcpy(type, m.type_code, sizeof type);
                rmct_strlcpy(element, m.element, sizeof element);
            }
        }
        double vals[3];
        bool has[3];
        int cols[3] = {ix[F_VALUE], ix[F_QTY], ix[F_SHARE]};
        for (int c = 0; c < 3 && !rc; c++) {
            const char *t = get(ctx, cols[c]);
            has[c] = *t != '\0';
            if (has[c] && (!rmct_parse_double(t, false, &vals[c]) || vals[c] < 0 || (c == 2 && vals[c] > 100)))
                rc = rmct_csv_field_error(ctx->csv, cols[c], err, "expected a non-negative number%s, got \"%s\"", c == 2 ? " up to 100" : "", t);
        }
        if (rc) break;
        int64_t cid;
        if ((rc = ingest_cite(ctx, get(ctx, ix[F_SRC]), get(ctx, ix[F_URL]), &cid, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO trade_fact(year, reporter, flow, hs_code, description, type_code, element, partner,"
                                      " value_usd, quantity, quantity_unit, share_pct, basis, note, source_id, citation_id, src_line)"
                                      " VALUES (?,?,?,?,?,nullif(?,''),nullif(?,''),nullif(?,''),?,?,?,?,?,?,?,?,?)", &st, err))) break;
        sqlite3_bind_int64(st, 1, year);
        sqlite3_bind_text(st, 2, rep, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, flow, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, hs, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, get(ctx, ix[F_DESC]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, type, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 7, element, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 8, par, -1, SQLITE_TRANSIENT);
        for (int c = 0; c < 3; c++)
            if (has[c]) sqlite3_bind_double(st, c == 2 ? 12 : 9 + c, vals[c]); else sqlite3_bind_null(st, c == 2 ? 12 : 9 + c);
        sqlite3_bind_text(st, 11, get(ctx, ix[F_UNIT]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 13, get(ctx, ix[F_BASIS]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 14, get(ctx, ix[F_NOTE]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 15, ctx->source_id);
        sqlite3_bind_int64(st, 16, cid);
        sqlite3_bind_int64(st, 17, rmct_csv_line(ctx->csv, 0));
        if ((rc = ingest_step(ctx, st, ix[F_YEAR], "trade fact", err))) break;
        ctx->res->rows++;
    }
    return rc;
}
