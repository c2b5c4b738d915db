/* ingest_supply.c: readers for world supply facts in RMCT's curated layouts (production, reserves,
 * capacity and prices from USGS MCS 2026; EU CRM 2023 supply shares; World Bank governance
 * indicators) and for the documented generic CSV (docs/DATA.md). */
#include <stdio.h>
#include <string.h>

#include "ingest_internal.h"

static const char *get(ingest_ctx *ctx, int i) { return rmct_csv_get(ctx->csv, i); }

/* Stage names as publishers write them, mapped onto RMCT's two stages. */
static const char *canonical_stage(const char *s)
{
    static const char *const map[][2] = {
        {"mine", "mine"}, {"extraction", "mine"}, {"refinery", "refinery"}, {"smelter", "refinery"},
        {"processing", "refinery"}, {NULL, NULL}};
    for (int i = 0; map[i][0]; i++)
        if (rmct_streq_nocase(map[i][0], s)) return map[i][1];
    return NULL;
}

/* Resolve unit text and check it against the row's element. */
static rmct_code row_unit(ingest_ctx *ctx, int field, const char *text, const char *element,
                          const char *default_basis, rmct_unit *u, char *label, size_t size, rmct_error *err)
{
    rmct_error e;
    rmct_error_clear(&e);
    if (rmct_registry_unit(ctx->reg, text, u, &e)) {
        if (e.code != RMCT_E_NOTFOUND) { *err = e; return e.code; }
        return rmct_csv_field_error(ctx->csv, field, err, "%s", e.msg);
    }
    if (u->element[0] && element && element[0] && strcmp(u->element, element) != 0)
        return rmct_csv_field_error(ctx->csv, field, err,
                                    "expected a unit of %s (or a plain mass unit such as t), got \"%s\", a unit of %s "
                                    "(unit mismatch)", element, text, u->element);
    if (!u->basis[0]) rmct_strlcpy(u->basis, default_basis, sizeof u->basis);
    if (strcmp(u->basis_label, "t") != 0) rmct_strlcpy(label, u->basis_label, size);
    else ingest_basis_label(u->basis, element, label, size);
    return RMCT_OK;
}

/* ---- the curated USGS layouts (production.csv, reserves.csv, capacity.csv) ---- */
static rmct_code read_curated_supply(ingest_ctx *ctx, const char *measure, rmct_error *err)
{
    enum { C_COMMODITY, C_METAL, C_STAGE, C_DETAIL, C_COUNTRY, C_ISO3, C_ROWTYPE, C_PRODUCT, C_YEAR, C_VALUE,
           C_UNIT, C_EST, C_RAW, C_NOTE, C_SRC, C_URL, C_REPO, C_PATH, C_COMMIT, C__N };
    bool reserves = strcmp(measure, "reserves") == 0, production = strcmp(measure, "production") == 0;
    const rmct_csv_colspec spec[C__N] = {
        {"commodity", true}, {"element_or_group", true}, {"stage", !reserves}, {"stage_detail", production},
        {"country", true}, {"country_iso3", true}, {"row_type", true}, {"product_detail", false}, {"year", true},
        {"value", true}, {"unit", true}, {"estimated", production}, {"value_raw", true}, {"note", true},
        {"source", true}, {"source_url", false}, {"source_repo", false}, {"source_path", false}, {"source_commit", false}};
    int ix[C__N];
    rmct_code rc = ingest_header(ctx, spec, C__N, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        ingest_supply row = {0};
        row.measure = measure;
        row.commodity = get(ctx, ix[C_COMMODITY]);
        row.line = rmct_csv_line(ctx->csv, 0);
        rmct_metal m;
        if ((rc = ingest_metal(ctx, ix[C_METAL], get(ctx, ix[C_METAL]), &m, err))) break;
        if (!m.type_code[0]) {
            rc = rmct_csv_field_error(ctx->csv, ix[C_METAL], err, "expected one of Korea's 35 rare-metal types, got \"%s\"", get(ctx, ix[C_METAL]));
            break;
        }
        row.type_code = m.type_code;
        row.element = m.element;
        const char *stage_raw = ix[C_STAGE] >= 0 ? get(ctx, ix[C_STAGE]) : "mine";
        row.stage = canonical_stage(stage_raw);
        if (!row.stage) {
            rc = rmct_csv_field_error(ctx->csv, ix[C_STAGE], err, "expected a stage (mine, refinery, smelter), got \"%s\"", stage_raw);
            break;
        }
        char detail[512];
        snprintf(detail, sizeof detail, "%s%s%s", strcmp(stage_raw, row.stage) ? stage_raw : "",
                 strcmp(stage_raw, row.stage) && ix[C_DETAIL] >= 0 ? ": " : "", ix[C_DETAIL] >= 0 ? get(ctx, ix[C_DETAIL]) : "");
        row.stage_detail = detail;
        const char *rt = get(ctx, ix[C_ROWTYPE]);
        char iso3[4] = "";
        if (strcmp(rt, "country") == 0) {
            row.row_kind = "country";
            const char *code = get(ctx, ix[C_ISO3]);
            if ((rc = ingest_country(ctx, *code ? ix[C_ISO3] : ix[C_COUNTRY], *code ? code : get(ctx, ix[C_COUNTRY]), iso3, err))) break;
            row.country = iso3;
        } else if (strcmp(rt, "other_countries") == 0) {
            row.row_kind = "other";
        } else if (strcmp(rt, "world_total") == 0) {
            row.row_kind = "world";
        } else {
            rc = rmct_csv_field_error(ctx->csv, ix[C_ROWTYPE], err, "expected country, other_countries or world_total, got \"%s\"", rt);
            break;
        }
        row.product = ix[C_PRODUCT] >= 0 ? get(ctx, ix[C_PRODUCT]) : "";
        if (!rmct_parse_long(get(ctx, ix[C_YEAR]), 1800, 2200, &row.year)) {
            rc = rmct_csv_field_error(ctx->csv, ix[C_YEAR], err, "expected a year (1800-2200), got \"%s\"", get(ctx, ix[C_YEAR]));
            break;
        }
        const char *v = get(ctx, ix[C_VALUE]), *raw = get(ctx, ix[C_RAW]), *note = get(ctx, ix[C_NOTE]);
        row.value_raw = raw;
        row.note = note;
        row.qualifier = "";
        if (*v) {
            if (!rmct_parse_double(v, false, &row.value)) {
                rc = rmct_csv_field_error(ctx->csv, ix[C_VALUE], err, "expected a number, got \"%s\"", v);
                break;
            }
            if (row.value < 0) {
                rc = rmct_csv_field_error(ctx->csv, ix[C_VALUE], err, "expected a non-negative quantity, got \"%s\"", v);
                break;
            }
            row.has_value = true;
            if (strstr(note, "lower bound")) row.qualifier = "lower bound";
            else if (strstr(note, "upper bound")) row.qualifier = "upper bound";
        } else if (strcmp(raw, "W") == 0) {
            row.qualifier = "withheld";
        } else if (strcmp(raw, "NA") == 0) {
            row.qualifier = "not available";
        } else {
            row.qualifier = *raw ? raw : "not available";
        }
        if (ix[C_EST] >= 0) {
            long est;
            if (!rmct_parse_long(get(ctx, ix[C_EST]), 0, 1, &est)) {
                rc = rmct_csv_field_error(ctx->csv, ix[C_EST], err, "expected 0 or 1, got \"%s\"", get(ctx, ix[C_EST]));
                break;
            }
            row.estimated = est;
        }
        rmct_unit u;
        char label[96];
        if ((rc = row_unit(ctx, ix[C_UNIT], get(ctx, ix[C_UNIT]), m.element[0] ? m.element : NULL, "unspecified", &u, label, sizeof label, err))) break;
        row.unit = u.text;
        row.basis = u.basis;
        row.basis_label = label;
        if ((rc = ingest_cite(ctx, get(ctx, ix[C_SRC]), ix[C_URL] >= 0 ? get(ctx, ix[C_URL]) : NULL, &row.citation_id, err))) break;
        rc = ingest_supply_row(ctx, &row, err);
    }
    if (!rc) rc = ingest_check_series_basis(ctx, err);
    return rc;
}

rmct_code ingest_production(ingest_ctx *ctx, rmct_error *err) { return read_curated_supply(ctx, "production", err); }
rmct_code ingest_reserves(ingest_ctx *ctx, rmct_error *err) { return read_curated_supply(ctx, "reserves", err); }
rmct_code ingest_capacity(ingest_ctx *ctx, rmct_error *err) { return read_curated_supply(ctx, "capacity", err); }

/* ---- prices.csv ---- */
rmct_code ingest_prices(ingest_ctx *ctx, rmct_error *err)
{
    enum { P_COMMODITY, P_METAL, P_SERIES, P_YEAR, P_VALUE, P_UNIT, P_EST, P_RAW, P_NOTE, P_SRC, P_URL, P_REPO, P_PATH, P_COMMIT, P__N };
    static const rmct_csv_colspec spec[P__N] = {
        {"commodity", true}, {"element_or_group", true}, {"price_series", true}, {"year", true}, {"value", true},
        {"unit", true}, {"estimated", true}, {"value_raw", true}, {"note", true}, {"source", true}, {"source_url", false},
        {"source_repo", false}, {"source_path", false}, {"source_commit", false}};
    int ix[P__N];
    rmct_code rc = ingest_header(ctx, spec, P__N, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        rmct_metal m;
        long year, est;
        double value = 0;
        if ((rc = ingest_metal(ctx, ix[P_METAL], get(ctx, ix[P_METAL]), &m, err))) break;
        if (!m.type_code[0]) {
            rc = rmct_csv_field_error(ctx->csv, ix[P_METAL], err, "expected one of Korea's 35 rare-metal types, got \"%s\"", get(ctx, ix[P_METAL]));
            break;
        }
        if (!rmct_parse_long(get(ctx, ix[P_YEAR]), 1800, 2200, &year)) {
            rc = rmct_csv_field_error(ctx->csv, ix[P_YEAR], err, "expected a year, got \"%s\"", get(ctx, ix[P_YEAR]));
            break;
        }
        const char *v = get(ctx, ix[P_VALUE]);
        if (*v && (!rmct_parse_double(v, false, &value) || value < 0)) {
            rc = rmct_csv_field_error(ctx->csv, ix[P_VALUE], err, "expected a non-negative price, got \"%s\"", v);
            break;
        }
        if (!rmct_parse_long(get(ctx, ix[P_EST]), 0, 1, &est)) {
            rc = rmct_csv_field_error(ctx->csv, ix[P_EST], err, "expected 0 or 1, got \"%s\"", get(ctx, ix[P_EST]));
            break;
        }
        int64_t cid;
        if ((rc = ingest_cite(ctx, get(ctx, ix[P_SRC]), get(ctx, ix[P_URL]), &cid, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO price(type_code, element, series, year, value, unit, estimated, value_raw, note, source_id, citation_id) "
                                      "VALUES (?, nullif(?,''), ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err))) break;
        sqlite3_bind_text(st, 1, m.type_code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, m.element, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, get(ctx, ix[P_SERIES]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, year);
        if (*v) sqlite3_bind_double(st, 5, value); else sqlite3_bind_null(st, 5);
        sqlite3_bind_text(st, 6, get(ctx, ix[P_UNIT]), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 7, (int)est);
        sqlite3_bind_text(st, 8, get(ctx, ix[P_RAW]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, get(ctx, ix[P_NOTE]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 10, ctx->source_id);
        sqlite3_bind_int64(st, 11, cid);
        if ((rc = ingest_step(ctx, st, ix[P_SERIES], "price", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---- EU CRM 2023 supply shares (global and EU sourcing share the layout) ---- */
static rmct_code read_eu_shares(ingest_ctx *ctx, const char *scope, rmct_error *err)
{
    enum { S_MAT, S_KOR, S_STAGE, S_COUNTRY, S_ISO3, S_PCT, S_RAW, S_T, S_NOTE, S_SRC, S_REPO, S_PATH, S_COMMIT, S__N };
    static const rmct_csv_colspec spec[S__N] = {
        {"material", true}, {"korea_element_or_group", true}, {"stage", true}, {"country", true}, {"country_iso3", true},
        {"share_pct", true}, {"share_raw", true}, {"trade_variable_t", true}, {"note", true}, {"source", true},
        {"source_repo", false}, {"source_path", false}, {"source_commit", false}};
    /* The EC 2023 assessment averaged its supply data over 2016-2020 (see docs/METHODS.md). */
    static const char period[] = "2016-2020";
    int ix[S__N];
    rmct_code rc = ingest_header(ctx, spec, S__N, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *material = get(ctx, ix[S_MAT]), *kor = get(ctx, ix[S_KOR]);
        rmct_metal m = {0};
        rmct_error e;
        rmct_error_clear(&e);
        /* the material's own name first (Dysprosium -> Dy), then the file's Korean type; materials
         * outside the 35 types (aggregates, wood...) are kept without a type */
        if (rmct_registry_metal(ctx->reg, material, &m, &e) != RMCT_OK) {
            memset(&m, 0, sizeof m);
            if (*kor && (rc = ingest_metal(ctx, ix[S_KOR], kor, &m, err))) break;
        }
        const char *stage = canonical_stage(get(ctx, ix[S_STAGE]));
        if (!stage) {
            rc = rmct_csv_field_error(ctx->csv, ix[S_STAGE], err, "expected extraction or processing, got \"%s\"", get(ctx, ix[S_STAGE]));
            break;
        }
        char iso3[4];
        if ((rc = ingest_country(ctx, ix[S_ISO3], *get(ctx, ix[S_ISO3]) ? get(ctx, ix[S_ISO3]) : get(ctx, ix[S_COUNTRY]), iso3, err))) break;
        double pct = 0, t = 0;
        const char *p = get(ctx, ix[S_PCT]), *tv = get(ctx, ix[S_T]);
        if (*p && (!rmct_parse_double(p, false, &pct) || pct < 0 || pct > 100)) {
            rc = rmct_csv_field_error(ctx->csv, ix[S_PCT], err, "expected a share in percent (0-100), got \"%s\"", p);
            break;
        }
        if (*tv && (!rmct_parse_double(tv, false, &t) || t <= 0)) {
            rc = rmct_csv_field_error(ctx->csv, ix[S_T], err, "expected a positive trade factor, got \"%s\"", tv);
            break;
        }
        int64_t cid;
        if ((rc = ingest_cite(ctx, get(ctx, ix[S_SRC]), NULL, &cid, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO supply_share(scope, material, type_code, element, stage, country, country_raw,"
                                      " share_pct, share_raw, trade_factor, period, note, source_id, citation_id)"
                                      " VALUES (?, ?, nullif(?,''), nullif(?,''), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err))) break;
        sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, material, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, m.type_code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, m.element, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, stage, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, iso3, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 7, get(ctx, ix[S_COUNTRY]), -1, SQLITE_STATIC);
        if (*p) sqlite3_bind_double(st, 8, pct); else sqlite3_bind_null(st, 8);
        sqlite3_bind_text(st, 9, get(ctx, ix[S_RAW]), -1, SQLITE_STATIC);
        if (*tv) sqlite3_bind_double(st, 10, t); else sqlite3_bind_null(st, 10);
        sqlite3_bind_text(st, 11, period, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 12, get(ctx, ix[S_NOTE]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 13, ctx->source_id);
        sqlite3_bind_int64(st, 14, cid);
        if ((rc = ingest_step(ctx, st, ix[S_COUNTRY], "supply share", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

rmct_code ingest_eu_global_shares(ingest_ctx *ctx, rmct_error *err) { return read_eu_shares(ctx, "global", err); }
rmct_code ingest_eu_sourcing_shares(ingest_ctx *ctx, rmct_error *err) { return read_eu_shares(ctx, "eu_sourcing", err); }

/* ---- wgi_six.csv ---- */
rmct_code ingest_wgi(ingest_ctx *ctx, rmct_error *err)
{
    enum { W_COUNTRY, W_ISO3, W_YEAR, W_CC, W_GE, W_PV, W_RQ, W_RL, W_VA, W_MEAN, W_N, W_NOTE, W_SRC, W_REPO, W_PATH, W_COMMIT, W__N };
    static const rmct_csv_colspec spec[W__N] = {
        {"country", true}, {"iso3", true}, {"year", true}, {"cc", true}, {"ge", true}, {"pv", true}, {"rq", true},
        {"rl", true}, {"va", true}, {"mean6", true}, {"n_available", true}, {"note", false}, {"source", true},
        {"source_repo", false}, {"source_path", false}, {"source_commit", false}};
    int ix[W__N];
    rmct_code rc = ingest_header(ctx, spec, W__N, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        char iso3[4];
        long year;
        if ((rc = ingest_country(ctx, ix[W_ISO3], get(ctx, ix[W_ISO3]), iso3, err))) break;
        if (!rmct_parse_long(get(ctx, ix[W_YEAR]), 1990, 2200, &year)) {
            rc = rmct_csv_field_error(ctx->csv, ix[W_YEAR], err, "expected a year, got \"%s\"", get(ctx, ix[W_YEAR]));
            break;
        }
        for (int k = W_CC; k <= W_MEAN && !rc; k++) {
            const char *t = get(ctx, ix[k]);
            double v;
            if (!*t) continue; /* NA in the source */
            if (!rmct_parse_double(t, false, &v) || v < -5 || v > 5) {
                rc = rmct_csv_field_error(ctx->csv, ix[k], err, "expected a governance estimate (about -2.5 to 2.5), got \"%s\"", t);
                break;
            }
            sqlite3_stmt *st;
            if ((rc = ingest_stmt(ctx, 0, "INSERT INTO governance(country, year, indicator, value, source_id) VALUES (?,?,?,?,?)", &st, err))) break;
            sqlite3_bind_text(st, 1, iso3, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, year);
            sqlite3_bind_text(st, 3, spec[k].name, -1, SQLITE_STATIC);
            sqlite3_bind_double(st, 4, v);
            sqlite3_bind_int64(st, 5, ctx->source_id);
            if ((rc = ingest_step(ctx, st, ix[W_ISO3], "governance value", err))) break;
            ctx->res->rows++;
        }
    }
    return rc;
}

/* ---- generic CSV (docs/DATA.md): metal,stage,country,year,value,unit,source[,measure,estimated,note] ---- */
rmct_code ingest_generic(ingest_ctx *ctx, rmct_error *err)
{
    enum { G_METAL, G_STAGE, G_COUNTRY, G_YEAR, G_VALUE, G_UNIT, G_SOURCE, G_MEASURE, G_EST, G_NOTE, G__N };
    static const rmct_csv_colspec spec[G__N] = {
        {"metal", true}, {"stage", true}, {"country", true}, {"year", true}, {"value", true}, {"unit", true},
        {"source", true}, {"measure", false}, {"estimated", false}, {"note", false}};
    int ix[G__N];
    rmct_code rc = ingest_header(ctx, spec, G__N, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        ingest_supply row = {0};
        row.line = rmct_csv_line(ctx->csv, 0);
        rmct_metal m;
        if ((rc = ingest_metal(ctx, ix[G_METAL], get(ctx, ix[G_METAL]), &m, err))) break;
        if (!m.type_code[0]) {
            rc = rmct_csv_field_error(ctx->csv, ix[G_METAL], err, "expected one of Korea's 35 rare-metal types, got \"%s\" (%s)",
                                      get(ctx, ix[G_METAL]), m.name);
            break;
        }
        row.type_code = m.type_code;
        row.element = m.element;
        row.commodity = m.name;
        row.measure = "production";
        if (ix[G_MEASURE] >= 0 && *get(ctx, ix[G_MEASURE])) {
            const char *ms = get(ctx, ix[G_MEASURE]);
            if (strcmp(ms, "production") && strcmp(ms, "reserves") && strcmp(ms, "capacity")) {
                rc = rmct_csv_field_error(ctx->csv, ix[G_MEASURE], err, "expected production, reserves or capacity, got \"%s\"", ms);
                break;
            }
            row.measure = ms;
        }
        if (!(row.stage = canonical_stage(get(ctx, ix[G_STAGE])))) {
            rc = rmct_csv_field_error(ctx->csv, ix[G_STAGE], err,
                                      "expected a stage (mine or refinery; extraction, processing and smelter are read as those), got \"%s\"",
                                      get(ctx, ix[G_STAGE]));
            break;
        }
        row.stage_detail = "";
        const char *country = get(ctx, ix[G_COUNTRY]);
        char iso3[4] = "";
        if (rmct_streq_nocase(country, "World") || rmct_streq_nocase(country, "World total")) {
            row.row_kind = "world";
        } else if (rmct_streq_nocase(country, "Other countries")) {
            row.row_kind = "other";
        } else {
            if ((rc = ingest_country(ctx, ix[G_COUNTRY], country, iso3, err))) break;
            row.row_kind = "country";
            row.country = iso3;
        }
        if (!rmct_parse_long(get(ctx, ix[G_YEAR]), 1800, 2200, &row.year)) {
            rc = rmct_csv_field_error(ctx->csv, ix[G_YEAR], err, "expected a year (1800-2200), got \"%s\"", get(ctx, ix[G_YEAR]));
            break;
        }
        const char *v = get(ctx, ix[G_VALUE]);
        if (!rmct_parse_double(v, false, &row.value)) {
            rc = rmct_csv_field_error(ctx->csv, ix[G_VALUE], err, "expected a number, got \"%s\"", v);
            break;
        }
        if (row.value < 0) {
            rc = rmct_csv_field_error(ctx->csv, ix[G_VALUE], err, "expected a non-negative quantity, got \"%s\"", v);
            break;
        }
        row.has_value = true;
        row.value_raw = v;
        if (ix[G_EST] >= 0 && *get(ctx, ix[G_EST])) {
            long est;
            if (!rmct_parse_long(get(ctx, ix[G_EST]), 0, 1, &est)) {
                rc = rmct_csv_field_error(ctx->csv, ix[G_EST], err, "expected 0 or 1, got \"%s\"", get(ctx, ix[G_EST]));
                break;
            }
            row.estimated = est;
        }
        row.note = ix[G_NOTE] >= 0 ? get(ctx, ix[G_NOTE]) : "";
        rmct_unit u;
        char label[96];
        if ((rc = row_unit(ctx, ix[G_UNIT], get(ctx, ix[G_UNIT]), m.element[0] ? m.element : NULL, "contained", &u, label, sizeof label, err))) break;
        row.unit = u.text;
        row.basis = u.basis;
        row.basis_label = label;
        const char *src = get(ctx, ix[G_SOURCE]);
        if (!*src) {
            rc = rmct_csv_field_error(ctx->csv, ix[G_SOURCE], err, "expected the row's source (publisher, document), got an empty field");
            break;
        }
        if ((rc = ingest_cite(ctx, src, NULL, &row.citation_id, err))) break;
        rc = ingest_supply_row(ctx, &row, err);
    }
    if (!rc) rc = ingest_check_series_basis(ctx, err);
    return rc;
}
