/* ingest_usgs.c: readers for the USGS Mineral Commodity Summaries world data releases, and for
 * data/usgs_commodities.csv, which says how USGS commodities map onto Korea's rare-metal types.
 *
 * Two layouts are read (see docs/DATA.md):
 *  - per-commodity files, mcsYYYY-CODE_world.csv (MCS 2022-2024): Source,Country,Type, then
 *    production columns Prod_<unit>[_<what>][_est]_<year>, Prod_notes, Reserves_<unit>[_<year>],
 *    Reserves_notes, capacity columns Cap_<unit>_..._<year>; the unit is in the column name;
 *  - the combined file MCS2025_World_Data.csv: SOURCE,COMMODITY,COUNTRY,TYPE,UNIT_MEAS,PROD_<year>,
 *    PROD_EST_ <year>,PROD_NOTES,CAP_...,RESERVES_<year>,RESERVE_NOTES; the unit is a column.
 * Value cells may hold numbers with thousands separators, an 'e' prefix (estimated), W (withheld),
 * NA, XX (not applicable), a dash (zero), '<n' / '>n' (bounds), ranges 'a-b' (midpoint kept with the
 * range as qualifier) and phrases such as 'Included in World total.' or 'Large'. Country cells
 * carry footnote marks ('Other countries6', 'Japane', 'World total (rounded) 10'), non-breaking
 * spaces and qualifiers ('Kazakhstan, concentrate'). Rows of commodities outside Korea's 35 types
 * are skipped and counted (the combined file holds every commodity). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_internal.h"

/* ---- data/usgs_commodities.csv ---- */
rmct_code ingest_usgs_commodities(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"code", true}, {"names", true}, {"metal", true}, {"stage", true},
                                            {"basis", true}, {"product_from_type", true}, {"type_match", true},
                                            {"import", true}, {"note", false}, {"source", true}};
    enum { U_CODE, U_NAMES, U_METAL, U_STAGE, U_BASIS, U_PFT, U_MATCH, U_IMPORT, U_NOTE, U_SRC };
    int ix[10];
    rmct_code rc = ingest_header(ctx, spec, 10, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        rmct_metal m;
        const char *code = rmct_csv_get(ctx->csv, ix[U_CODE]);
        if (!*code) {
            rc = rmct_csv_field_error(ctx->csv, ix[U_CODE], err, "expected a USGS commodity code, got an empty field");
            break;
        }
        if ((rc = ingest_metal(ctx, ix[U_METAL], rmct_csv_get(ctx->csv, ix[U_METAL]), &m, err))) break;
        long pft, imp;
        if (!rmct_parse_long(rmct_csv_get(ctx->csv, ix[U_PFT]), 0, 1, &pft) || !rmct_parse_long(rmct_csv_get(ctx->csv, ix[U_IMPORT]), 0, 1, &imp)) {
            rc = rmct_csv_field_error(ctx->csv, ix[U_PFT], err, "expected 0 or 1 in product_from_type and import");
            break;
        }
        int64_t cid;
        if ((rc = ingest_cite(ctx, rmct_csv_get(ctx->csv, ix[U_SRC]), NULL, &cid, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO usgs_commodity(code, type_code, element, stage, basis, product_from_type,"
                                      " type_match, import, note, citation_id) VALUES (?,?,nullif(?,''),?,?,?,?,?,?,?)", &st, err))) break;
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, m.type_code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, m.element, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, rmct_csv_get(ctx->csv, ix[U_STAGE]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, *rmct_csv_get(ctx->csv, ix[U_BASIS]) ? rmct_csv_get(ctx->csv, ix[U_BASIS]) : "unspecified", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 6, (int)pft);
        sqlite3_bind_text(st, 7, rmct_csv_get(ctx->csv, ix[U_MATCH]), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 8, (int)imp);
        sqlite3_bind_text(st, 9, rmct_csv_get(ctx->csv, ix[U_NOTE]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 10, cid);
        if ((rc = ingest_step(ctx, st, ix[U_STAGE], "USGS commodity (stage must be mine or refinery)", err))) break;
        ctx->res->rows++;
        char names[512];
        rmct_strlcpy(names, rmct_csv_get(ctx->csv, ix[U_NAMES]), sizeof names);
        for (char *save, *n = strtok_r(names, ";", &save); n && !rc; n = strtok_r(NULL, ";", &save)) {
            if ((rc = ingest_stmt(ctx, 1, "INSERT INTO usgs_commodity_name(name, code) VALUES (?, ?)", &st, err))) break;
            sqlite3_bind_text(st, 1, rmct_trim(n), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
            rc = ingest_step(ctx, st, ix[U_NAMES], "USGS commodity name", err);
        }
    }
    return rc;
}

/* ---- small text helpers ---- */

/* Strip blanks and non-breaking spaces (U+00A0) at both ends, in place. */
static char *clean(char *s)
{
    for (;;) {
        size_t n = strlen(s);
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[n - 1] = '\0';
        else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0) s[n - 2] = '\0';
        else break;
    }
    size_t k = 0;
    for (;;) {
        if (s[k] == ' ' || s[k] == '\t') k++;
        else if ((unsigned char)s[k] == 0xC2 && (unsigned char)s[k + 1] == 0xA0) k += 2;
        else break;
    }
    if (k) memmove(s, s + k, strlen(s + k) + 1);
    /* NBSP inside a name ('United\xa0States') becomes a space */
    for (char *p = s; (p = strstr(p, "\xC2\xA0")); ) {
        *p = ' ';
        memmove(p + 1, p + 2, strlen(p + 2) + 1);
    }
    return s;
}

static bool starts_nocase(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The note begins with the word w ("W for 23-24", "NA"), not merely its letters ("Wollastonite"). */
static bool note_word(const char *note, const char *w)
{
    size_t n = strlen(w);
    return starts_nocase(note, w) && !isalpha((unsigned char)note[n]);
}

static bool contains_nocase(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (strncasecmp(s, needle, n) == 0) return true;
    return false;
}

/* ---- edition ---- */

/* "2024" from "mcs2024-lithi_world.csv" or "MCS2025_World_Data.csv". */
static bool edition_from_name(const char *path, char *edition, size_t size)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    for (const char *p = b; *p; p++)
        if (starts_nocase(p, "mcs") && isdigit((unsigned char)p[3]) && isdigit((unsigned char)p[4]) &&
            isdigit((unsigned char)p[5]) && isdigit((unsigned char)p[6])) {
            snprintf(edition, size, "%.4s", p + 3);
            return true;
        }
    return false;
}

rmct_code ingest_usgs_edition(const char *path, char *edition, size_t size, rmct_error *err)
{
    if (size) edition[0] = '\0';
    if (edition_from_name(path, edition, size)) return RMCT_OK;
    /* else the Source column of the first data rows: 'MCS2025' */
    rmct_csv *csv;
    rmct_code rc = rmct_csv_open(&csv, path, path, err);
    if (rc) return rc;
    rc = rmct_csv_header(csv, NULL, 0, NULL, true, err);
    int col = -1;
    for (size_t i = 0; !rc && i < rmct_csv_count(csv); i++)
        if (!strcasecmp(rmct_csv_colname(csv, (int)i), "Source")) col = (int)i;
    bool got;
    for (int n = 0; !rc && col >= 0 && n < 50 && !(rc = rmct_csv_next(csv, &got, err)) && got; n++) {
        const char *src = rmct_csv_get(csv, col);
        if (starts_nocase(src, "MCS") && isdigit((unsigned char)src[3]) && strlen(src) >= 7) {
            snprintf(edition, size, "%.4s", src + 3);
            break;
        }
    }
    rmct_csv_close(csv);
    return rc; /* a bad file is reported with its position by the reader proper */
}

/* ---- values ---- */

typedef struct {
    bool has;
    double v;
    bool estimated;
    char qualifier[64];
} usgs_value;

/* Parse a USGS value cell; false with *why set when it is not one of the known forms. */
static bool parse_value(const char *cell, usgs_value *out, const char **why)
{
    char buf[128];
    rmct_strlcpy(buf, cell, sizeof buf);
    char *s = clean(buf);
    memset(out, 0, sizeof *out);
    *why = NULL;
    if (!*s) return true;
    if (!strcmp(s, "W")) { rmct_strlcpy(out->qualifier, "withheld", sizeof out->qualifier); return true; }
    if (!strcmp(s, "NA")) { rmct_strlcpy(out->qualifier, "not available", sizeof out->qualifier); return true; }
    if (!strcasecmp(s, "XX")) { rmct_strlcpy(out->qualifier, "not applicable", sizeof out->qualifier); return true; }
    if (!strcmp(s, "\xE2\x80\x94") || !strcmp(s, "\xE2\x80\x93") || !strcmp(s, "-") || !strcmp(s, "--")) {
        out->has = true; /* USGS prints a dash for zero */
        out->v = 0;
        return true;
    }
    if (starts_nocase(s, "Included")) { rmct_strlcpy(out->qualifier, "included elsewhere", sizeof out->qualifier); return true; }
    if (contains_nocase(s, "large")) { rmct_strlcpy(out->qualifier, "large, not quantified", sizeof out->qualifier); return true; }
    if (contains_nocase(s, "small") || starts_nocase(s, "Less than")) {
        rmct_strlcpy(out->qualifier, "small, not quantified", sizeof out->qualifier);
        return true;
    }
    if (*s == 'e' && (isdigit((unsigned char)s[1]) || s[1] == ' ')) { /* 'e87,700': estimated */
        out->estimated = true;
        s = clean(s + 1);
    }
    const char *bound = NULL;
    if (*s == '<') bound = "upper bound";
    if (*s == '>') bound = "lower bound";
    if (bound) s = clean(s + 1);
    /* a range 'a-b' or 'a–b' */
    char *dash = strstr(s + 1, "\xE2\x80\x93");
    size_t dlen = 3;
    if (!dash) {
        dash = strchr(s + 1, '-');
        dlen = 1;
    }
    if (dash && !bound) {
        char lo[64], hi[64];
        snprintf(lo, sizeof lo, "%.*s", (int)(dash - s), s);
        snprintf(hi, sizeof hi, "%s", dash + dlen);
        double a, b;
        if (rmct_parse_double(clean(lo), true, &a) && rmct_parse_double(clean(hi), true, &b) && a >= 0 && b >= a) {
            out->has = true;
            out->v = (a + b) / 2;
            snprintf(out->qualifier, sizeof out->qualifier, "range %.16s-%.16s, midpoint", lo, hi);
            return true;
        }
        *why = "a number, or W, NA, XX, a dash, <n, >n or a range a-b";
        return false;
    }
    if (!rmct_parse_double(s, true, &out->v)) {
        *why = "a number, or W, NA, XX, a dash, <n, >n or a range a-b";
        return false;
    }
    if (out->v < 0) {
        *why = "a non-negative quantity";
        return false;
    }
    out->has = true;
    if (bound) rmct_strlcpy(out->qualifier, bound, sizeof out->qualifier);
    return true;
}

/* ---- columns ---- */

typedef enum { COL_OTHER, COL_SOURCE, COL_COMMODITY, COL_COUNTRY, COL_TYPE, COL_UNIT, COL_PROD, COL_CAP,
               COL_RESERVES, COL_NOTES } col_kind;

typedef struct {
    col_kind kind;
    char unit[16];     /* unit token from the column name (per-commodity layout) */
    char what[32];     /* qualifier in the name, e.g. 'Pigment' */
    long year;         /* 0: reserves without a year (edition - 1) */
    bool estimated;
} usgs_col;

static const char *const unit_tokens[] = {"t", "kt", "kg", "Mt", "mt", "mmt", "mcm", "mct", "kct", NULL};

static bool is_unit_token(const char *t)
{
    for (int i = 0; unit_tokens[i]; i++)
        if (!strcmp(t, unit_tokens[i])) return true;
    return false;
}

/* Classify one header name. */
static void classify(const char *raw, usgs_col *c)
{
    memset(c, 0, sizeof *c);
    char name[128];
    size_t n = 0;
    for (const char *p = raw; *p && n + 1 < sizeof name; p++)
        if (*p != ' ') name[n++] = *p; /* 'PROD_EST_ 2024' */
    name[n] = '\0';
    if (!strcasecmp(name, "Source")) { c->kind = COL_SOURCE; return; }
    if (!strcasecmp(name, "Commodity")) { c->kind = COL_COMMODITY; return; }
    if (!strcasecmp(name, "Country")) { c->kind = COL_COUNTRY; return; }
    if (!strcasecmp(name, "Type")) { c->kind = COL_TYPE; return; }
    if (!strcasecmp(name, "UNIT_MEAS")) { c->kind = COL_UNIT; return; }
    if (contains_nocase(name, "note")) { c->kind = COL_NOTES; return; }
    col_kind kind;
    if (starts_nocase(name, "Prod_")) kind = COL_PROD;
    else if (starts_nocase(name, "Cap_")) kind = COL_CAP;
    else if (starts_nocase(name, "Reserves_") || starts_nocase(name, "Reserves")) kind = COL_RESERVES;
    else return;
    char buf[128];
    rmct_strlcpy(buf, name, sizeof buf);
    for (char *save, *t = strtok_r(buf, "_", &save); t; t = strtok_r(NULL, "_", &save)) {
        if (strlen(t) == 4 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[3])) c->year = atol(t);
        else if (!strcasecmp(t, "est")) c->estimated = true;
        else if (is_unit_token(t)) rmct_strlcpy(c->unit, t, sizeof c->unit);
        else if (strcasecmp(t, "Prod") && strcasecmp(t, "Cap") && strcasecmp(t, "Reserves") && !c->what[0])
            rmct_strlcpy(c->what, t, sizeof c->what);
    }
    if (kind != COL_RESERVES && c->year == 0) return; /* a production column must name its year */
    c->kind = kind;
}

/* The units.csv text for a column-name unit token. */
static const char *unit_text(const char *token)
{
    static const char *const map[][2] = {{"t", "t"}, {"kt", "kt"}, {"kg", "kg"}, {"Mt", "Mt"}, {"mt", "Mt"}, {"mmt", "Mt"}, {NULL, NULL}};
    for (int i = 0; map[i][0]; i++)
        if (!strcmp(map[i][0], token)) return map[i][1];
    return NULL;
}

/* ---- commodity lookup ---- */

typedef struct {
    bool known;        /* in data/usgs_commodities.csv */
    bool import;
    char code[16];
    char type_code[8];
    char element[4];
    char stage[12];
    char basis[16];
    bool product_from_type;
    char type_match[32];
    char note[256];
    int64_t citation_id;
    char name[96];     /* the commodity as USGS names it */
} usgs_commodity;

static rmct_code find_commodity(ingest_ctx *ctx, const char *by_code, const char *by_name, usgs_commodity *c, rmct_error *err)
{
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st;
    rmct_code rc = ingest_stmt(ctx, 2,
        "SELECT c.code, c.type_code, ifnull(c.element,''), c.stage, c.basis, c.product_from_type, c.type_match, c.import,"
        " c.note, c.citation_id, (SELECT name FROM usgs_commodity_name n WHERE n.code = c.code ORDER BY n.rowid LIMIT 1)"
        " FROM usgs_commodity c WHERE c.code = ?1 COLLATE NOCASE"
        " OR c.code = (SELECT code FROM usgs_commodity_name WHERE name = ?2)", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, by_code ? by_code : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, by_name ? by_name : "", -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW) return RMCT_OK;
    c->known = true;
    rmct_db_column_text(st, 0, c->code, sizeof c->code);
    rmct_db_column_text(st, 1, c->type_code, sizeof c->type_code);
    rmct_db_column_text(st, 2, c->element, sizeof c->element);
    rmct_db_column_text(st, 3, c->stage, sizeof c->stage);
    rmct_db_column_text(st, 4, c->basis, sizeof c->basis);
    c->product_from_type = sqlite3_column_int(st, 5);
    rmct_db_column_text(st, 6, c->type_match, sizeof c->type_match);
    c->import = sqlite3_column_int(st, 7);
    rmct_db_column_text(st, 8, c->note, sizeof c->note);
    c->citation_id = sqlite3_column_int64(st, 9);
    rmct_db_column_text(st, 10, c->name, sizeof c->name);
    return RMCT_OK;
}

/* The element a group type's row is about, when the Type text names one of its elements
 * ('Mine production, Palladium content' -> Pd). */
static rmct_code element_in_type(ingest_ctx *ctx, const char *type_code, const char *type_text, char element[4], rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = ingest_stmt(ctx, 3, "SELECT symbol, name FROM element WHERE type_code = ? ORDER BY z", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, type_code, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 1);
        if (name && contains_nocase(type_text, name)) {
            rmct_db_column_text(st, 0, element, 4);
            return RMCT_OK;
        }
    }
    return RMCT_OK;
}

/* Basis named by the Type text, else the commodity's default. */
static const char *basis_of(const char *type_text, const char *fallback)
{
    if (!strcmp(fallback, "mixed")) return fallback; /* boron: each country its own product */
    if (contains_nocase(type_text, "content") || contains_nocase(type_text, "contained")) return "contained";
    if (contains_nocase(type_text, "oxide") || contains_nocase(type_text, "REO")) return "oxide";
    if (contains_nocase(type_text, "gross")) return "gross";
    if (contains_nocase(type_text, "metal") || contains_nocase(type_text, "sponge")) return "metal";
    return fallback;
}

static const char *stage_of(const char *type_text, const char *fallback)
{
    if (contains_nocase(type_text, "mine")) return "mine";
    if (contains_nocase(type_text, "refinery") || contains_nocase(type_text, "smelter") ||
        contains_nocase(type_text, "plant production") || contains_nocase(type_text, "primary production") ||
        contains_nocase(type_text, "sponge"))
        return "refinery";
    return fallback;
}

/* Resolve a country cell; sets *kind to country, other or world. */
static rmct_code usgs_country(ingest_ctx *ctx, int field, const char *cell, const char **kind, char iso3[4], rmct_error *err)
{
    char buf[160];
    rmct_strlcpy(buf, cell, sizeof buf);
    char *s = clean(buf);
    iso3[0] = '\0';
    if (!*s) return rmct_csv_field_error(ctx->csv, field, err, "expected a country, got an empty field");
    if (starts_nocase(s, "World")) { *kind = "world"; return RMCT_OK; }
    if (starts_nocase(s, "Other countr") || !strcasecmp(s, "Other")) { *kind = "other"; return RMCT_OK; }
    *kind = "country";
    /* footnote digits glued on or after a space: 'New Caledonia11', 'China 6' */
    size_t n = strlen(s);
    while (n > 0 && isdigit((unsigned char)s[n - 1])) s[--n] = '\0';
    clean(s);
    rmct_error e;
    char variant[160];
    const char *tries[4];
    int nt = 0;
    tries[nt++] = s;
    if (s[0] && s[strlen(s) - 1] == 'e') { /* footnote 'e' (estimated): 'Japane' */
        rmct_strlcpy(variant, s, sizeof variant);
        variant[strlen(variant) - 1] = '\0';
        tries[nt++] = variant;
    }
    char before_paren[160], before_comma[160];
    rmct_strlcpy(before_paren, s, sizeof before_paren);
    char *p = strstr(before_paren, " (");
    if (p) { *p = '\0'; tries[nt++] = before_paren; }
    rmct_strlcpy(before_comma, s, sizeof before_comma);
    char *c = strrchr(before_comma, ',');
    if (c && nt < 4) { *c = '\0'; tries[nt++] = before_comma; }
    for (int i = 0; i < nt; i++) {
        rmct_error_clear(&e);
        if (rmct_registry_country(ctx->reg, tries[i], iso3, &e) == RMCT_OK) return RMCT_OK;
        if (e.code != RMCT_E_NOTFOUND) { *err = e; return e.code; }
    }
    char q[96];
    return rmct_csv_field_error(ctx->csv, field, err,
                                "expected a known country (ISO 3166 name or code, or an alias in data/country_aliases.csv), got \"%s\"",
                                rmct_error_quote(cell, q, sizeof q));
}

/* ---- the reader ---- */

#define MAX_COLS 64

rmct_code ingest_usgs(ingest_ctx *ctx, rmct_error *err)
{
    rmct_code rc = ingest_header(ctx, NULL, 0, NULL, true, err);
    if (rc) return rc;
    size_t ncols = rmct_csv_count(ctx->csv);
    if (ncols > MAX_COLS) ncols = MAX_COLS;
    usgs_col cols[MAX_COLS];
    int c_source = -1, c_commodity = -1, c_country = -1, c_type = -1, c_unit = -1;
    int c_prod_notes = -1, c_res_notes = -1, c_cap_notes = -1;
    bool any_value_col = false;
    for (size_t i = 0; i < ncols; i++) {
        const char *name = rmct_csv_colname(ctx->csv, (int)i);
        classify(name, &cols[i]);
        switch (cols[i].kind) {
        case COL_SOURCE: c_source = (int)i; break;
        case COL_COMMODITY: c_commodity = (int)i; break;
        case COL_COUNTRY: c_country = (int)i; break;
        case COL_TYPE: c_type = (int)i; break;
        case COL_UNIT: c_unit = (int)i; break;
        case COL_NOTES:
            if (contains_nocase(name, "Prod") && c_prod_notes < 0) c_prod_notes = (int)i;
            if (contains_nocase(name, "Reserve") && c_res_notes < 0) c_res_notes = (int)i;
            if (contains_nocase(name, "Cap") && c_cap_notes < 0) c_cap_notes = (int)i;
            break;
        case COL_PROD: case COL_CAP: case COL_RESERVES: any_value_col = true; break;
        default: break;
        }
    }
    if (c_country < 0 || !any_value_col)
        return rmct_error_at(err, ctx->name, 1, 1, NULL,
                             "expected a USGS world data header (Source,Country,Type,Prod_<unit>_<year>,... or "
                             "SOURCE,COMMODITY,COUNTRY,TYPE,UNIT_MEAS,PROD_<year>,...), got \"%s,%s,...\"",
                             rmct_csv_colname(ctx->csv, 0), rmct_csv_colname(ctx->csv, 1));
    bool combined = c_commodity >= 0;
    if (combined && c_unit < 0)
        return rmct_error_at(err, ctx->name, 1, 1, NULL, "expected a UNIT_MEAS column in the combined layout");

    /* per-commodity files name the commodity in the file name */
    usgs_commodity file_commodity = {0};
    if (!combined) {
        const char *b = strrchr(ctx->path, '/');
        b = b ? b + 1 : ctx->path;
        const char *dash = NULL; /* after 'mcsYYYY-': the code runs to '_world' */
        for (const char *p = b; *p && !dash; p++)
            if (starts_nocase(p, "mcs") && isdigit((unsigned char)p[3]) && isdigit((unsigned char)p[6]) && p[7] == '-')
                dash = p + 7;
        const char *under = dash ? strstr(dash, "_world") : NULL;
        if (!dash || !under)
            return rmct_error_at(err, ctx->name, 0, 0, NULL,
                                 "expected a per-commodity file named mcsYYYY-CODE_world.csv (the code says which commodity), got \"%s\"", b);
        char code[32];
        snprintf(code, sizeof code, "%.*s", (int)(under - dash - 1), dash + 1);
        if ((rc = find_commodity(ctx, code, NULL, &file_commodity, err))) return rc;
        if (!file_commodity.known)
            return rmct_error_at(err, ctx->name, 0, 0, NULL,
                                 "expected a commodity of Korea's 35 rare-metal types (data/usgs_commodities.csv), got the "
                                 "USGS code \"%s\"", code);
        if (!file_commodity.import)
            return rmct_error_at(err, ctx->name, 0, 0, NULL, "commodity \"%s\" is not read (data/usgs_commodities.csv): %s", code, file_commodity.note);
    }
    char edition[16] = "";
    edition_from_name(ctx->path, edition, sizeof edition);

    long skipped_commodity = 0, skipped_type = 0;
    char last_unit[64] = "", last_unit_key[160] = "";
    bool got;
    while (!(rc = ingest_next(ctx, &got, err)) && got) {
        /* rows made only of empty fields pad many MCS2024 files */
        bool blank = true;
        for (size_t i = 0; i < rmct_csv_count(ctx->csv) && blank; i++) {
            char b[16];
            rmct_strlcpy(b, rmct_csv_get(ctx->csv, (int)i), sizeof b);
            blank = !*clean(b);
        }
        if (blank) continue;
        if (!edition[0] && c_source >= 0) {
            const char *src = rmct_csv_get(ctx->csv, c_source);
            if (starts_nocase(src, "MCS") && strlen(src) >= 7) snprintf(edition, sizeof edition, "%.4s", src + 3);
        }
        usgs_commodity cm = file_commodity;
        char commodity_name[96] = "";
        if (combined) {
            rmct_strlcpy(commodity_name, rmct_csv_get(ctx->csv, c_commodity), sizeof commodity_name);
            clean(commodity_name);
            if ((rc = find_commodity(ctx, NULL, commodity_name, &cm, err))) break;
            if (!cm.known || !cm.import) {
                skipped_commodity++;
                continue;
            }
            rmct_strlcpy(commodity_name, cm.name, sizeof commodity_name); /* 'Gemanium' -> 'Germanium' */
        } else {
            rmct_strlcpy(commodity_name, cm.name[0] ? cm.name : cm.code, sizeof commodity_name);
        }
        char type_text[256] = "";
        if (c_type >= 0) rmct_strlcpy(type_text, rmct_csv_get(ctx->csv, c_type), sizeof type_text);
        clean(type_text);
        if (cm.type_match[0] && !contains_nocase(type_text, cm.type_match)) {
            skipped_type++;
            continue;
        }
        char element[4];
        rmct_strlcpy(element, cm.element, sizeof element);
        if (!element[0] && (rc = element_in_type(ctx, cm.type_code, type_text, element, err))) break;
        const char *stage = stage_of(type_text, cm.stage);
        const char *basis = basis_of(type_text, cm.basis);
        char label[96];
        ingest_basis_label(basis, element, label, sizeof label);

        const char *kind;
        char iso3[4];
        if ((rc = usgs_country(ctx, c_country, rmct_csv_get(ctx->csv, c_country), &kind, iso3, err))) break;

        /* the row's unit (combined layout): empty means 'as the row above in the same table' */
        char unit_row[64] = "";
        if (combined) {
            char key[160];
            snprintf(key, sizeof key, "%.60s|%.90s", commodity_name, type_text);
            rmct_strlcpy(unit_row, rmct_csv_get(ctx->csv, c_unit), sizeof unit_row);
            clean(unit_row);
            if (!unit_row[0]) {
                if (strcmp(key, last_unit_key) != 0 || !last_unit[0]) {
                    rc = rmct_csv_field_error(ctx->csv, c_unit, err, "expected a unit, got an empty field");
                    break;
                }
                rmct_strlcpy(unit_row, last_unit, sizeof unit_row);
            }
            rmct_strlcpy(last_unit, unit_row, sizeof last_unit);
            rmct_strlcpy(last_unit_key, key, sizeof last_unit_key);
        }
        char prod_note[256] = "", res_note[256] = "", cap_note[256] = "";
        if (c_prod_notes >= 0) rmct_strlcpy(prod_note, rmct_csv_get(ctx->csv, c_prod_notes), sizeof prod_note);
        if (c_res_notes >= 0) rmct_strlcpy(res_note, rmct_csv_get(ctx->csv, c_res_notes), sizeof res_note);
        /* capacity cells have their own notes in the combined file; the per-commodity files have none */
        if (c_cap_notes >= 0) rmct_strlcpy(cap_note, rmct_csv_get(ctx->csv, c_cap_notes), sizeof cap_note);
        else rmct_strlcpy(cap_note, prod_note, sizeof cap_note);
        clean(prod_note);
        clean(res_note);
        clean(cap_note);

        for (size_t i = 0; i < ncols && !rc; i++) {
            const usgs_col *col = &cols[i];
            if (col->kind != COL_PROD && col->kind != COL_CAP && col->kind != COL_RESERVES) continue;
            if (!combined && !unit_text(col->unit)) {
                rc = rmct_error_at(err, ctx->name, 1, (long)i + 1, rmct_csv_colname(ctx->csv, (int)i),
                                   "expected a mass unit in the column name (t, kt, kg, Mt), got \"%s\"",
                                   col->unit[0] ? col->unit : col->what);
                break;
            }
            /* 'Prod_Sponge_t_2022' names its product: read it only when it is the one this commodity
             * is about ('Cap_Pigment_t_2023' is TiO2 pigment, not titanium metal) */
            if (col->what[0] && strcasecmp(col->what, cm.type_match)) continue;
            usgs_value v;
            const char *why;
            if (!parse_value(rmct_csv_get(ctx->csv, (int)i), &v, &why)) {
                char q[96];
                rc = rmct_csv_field_error(ctx->csv, (int)i, err, "expected %s, got \"%s\"", why,
                                          rmct_error_quote(rmct_csv_get(ctx->csv, (int)i), q, sizeof q));
                break;
            }
            const char *note = col->kind == COL_RESERVES ? res_note : col->kind == COL_CAP ? cap_note : prod_note;
            /* the combined file moved W and NA into the notes: 'W for 23-24', 'NA', 'na for 2023' */
            if (!v.has && !v.qualifier[0]) {
                if (note_word(note, "W")) rmct_strlcpy(v.qualifier, "withheld", sizeof v.qualifier);
                else if (note_word(note, "NA")) rmct_strlcpy(v.qualifier, "not available", sizeof v.qualifier);
                else if (!strcmp(kind, "country")) rmct_strlcpy(v.qualifier, "not reported", sizeof v.qualifier);
                else continue; /* an empty aggregate cell says nothing */
            }
            const char *unit = combined ? unit_row : unit_text(col->unit);
            rmct_unit u;
            rmct_error e;
            rmct_error_clear(&e);
            if (!rmct_registry_unit(ctx->reg, unit, &u, &e)) unit = u.text;
            if (e.code) {
                rc = combined ? rmct_csv_field_error(ctx->csv, c_unit, err, "%s", e.msg)
                              : rmct_error_at(err, ctx->name, 1, (long)i + 1, rmct_csv_colname(ctx->csv, (int)i), "%s", e.msg);
                break;
            }
            long year = col->year ? col->year : (edition[0] ? atol(edition) - 1 : 0);
            if (year < 1800 || year > 2200) {
                rc = rmct_error_at(err, ctx->name, 1, (long)i + 1, rmct_csv_colname(ctx->csv, (int)i),
                                   "expected a year in the column name or an edition in the file name (mcsYYYY-...), got none");
                break;
            }
            ingest_supply row = {0};
            row.measure = col->kind == COL_PROD ? "production" : col->kind == COL_CAP ? "capacity" : "reserves";
            row.type_code = cm.type_code;
            row.element = element;
            row.commodity = commodity_name;
            row.stage = col->kind == COL_RESERVES ? "mine" : stage;
            row.stage_detail = type_text;
            row.row_kind = kind;
            row.country = iso3;
            row.product = cm.product_from_type ? type_text : "";
            row.year = year;
            row.has_value = v.has;
            row.value = v.v;
            row.unit = unit;
            row.basis = basis;
            row.basis_label = label;
            row.qualifier = v.qualifier;
            row.estimated = col->estimated || v.estimated || contains_nocase(type_text, "estimated");
            row.value_raw = rmct_csv_get(ctx->csv, (int)i);
            row.note = note;
            row.citation_id = 0;
            row.line = rmct_csv_line(ctx->csv, 0);
            char cite_text[400];
            snprintf(cite_text, sizeof cite_text, "U.S. Geological Survey, Mineral Commodity Summaries %.20s, world data release, %.90s%s%.200s",
                     edition[0] ? edition : "(edition not stated)", commodity_name, type_text[0] ? ": " : "", type_text);
            if ((rc = ingest_cite(ctx, cite_text, NULL, &row.citation_id, err))) break;
            rc = ingest_supply_row(ctx, &row, err);
        }
        if (rc) break;
    }
    if (rc) return rc;
    ctx->res->skipped = skipped_commodity + skipped_type;
    if (ctx->res->skipped)
        snprintf(ctx->res->note, sizeof ctx->res->note, "skipped %ld rows of commodities outside the 35 types or not imported, %ld rows of other products",
                 skipped_commodity, skipped_type);
    return ingest_check_series_basis(ctx, err);
}
