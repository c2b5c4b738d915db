/* ingest.c: the import framework: the format table, transactions, provenance and shared helpers
 * (see ingest.h and ingest_internal.h). The readers themselves live in ingest_*.c. */
#include "ingest_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define USGS_INFO(title) \
    { "usgs-mcs", "2026", "U.S. Geological Survey", title, \
      "https://pubs.usgs.gov/periodicals/mcs2026/", "public domain (U.S. Government work)" }
#define EC_INFO(dataset, title) \
    { dataset, "2023", "European Commission (DG GROW)", title, \
      "https://data.europa.eu/doi/10.2873/725585", "reproduction authorised with acknowledgement (EC)" }

/* The command table of formats: every format `rmct import` knows, in one place. */
static const ingest_format formats[] = {
    {"usgs", "USGS Mineral Commodity Summaries world data: per-commodity mcsYYYY-*_world.csv or MCS20YY_World_Data.csv",
     ingest_usgs, true, ingest_usgs_edition,
     {"usgs-mcs", "", "U.S. Geological Survey", "Mineral Commodity Summaries, world data release", "https://www.usgs.gov/centers/national-minerals-information-center/mineral-commodity-summaries", "public domain (U.S. Government work)"}},
    {"generic", "generic CSV: metal,stage,country,year,value,unit,source (see docs/DATA.md)",
     ingest_generic, true, NULL,
     {NULL, NULL, "user", "generic CSV import", "", ""}},
    {"comtrade", "UN Comtrade CSV export (bulk/API layout refYear,reporterCode,... or the legacy Year,Reporter Code,...)",
     ingest_comtrade, true, NULL,
     {"un-comtrade", NULL, "United Nations Statistics Division (UN Comtrade)", "UN Comtrade bilateral trade by HS product", "https://comtradeplus.un.org/", "UN Comtrade terms of use"}},
    {"baci", "CEPII BACI trade file (t,i,j,k,v,q; HS edition from the file name BACI_HS17_... or --hs-version)",
     ingest_baci, true, NULL,
     {"cepii-baci", NULL, "CEPII", "BACI: international trade database at the product level", "http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37", "Etalab Open Licence 2.0"}},
    {"baci-countries", "BACI country codes file (country_code,country_name,country_iso2,country_iso3)",
     ingest_baci_countries, true, NULL,
     {"cepii-baci-countries", NULL, "CEPII", "BACI country codes", "http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37", "Etalab Open Licence 2.0"}},
    {"baci-products", "BACI product codes file (code,description; HS edition from the file name)",
     ingest_baci_products, true, NULL,
     {"cepii-baci-products", NULL, "CEPII", "BACI product codes", "http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37", "Etalab Open Licence 2.0"}},
    {"hs-map", "HS product codes mapped to the rare-metal types (data/hs_map.csv)",
     ingest_hs_map, true, NULL,
     {"hs-map", "1", "RMCT (HS nomenclature as named per row)", "HS codes of rare-metal products, with content factors", "", ""}},
    {"korea-facts", "reported facts on Korea's imports (data/korea_imports.csv)",
     ingest_korea_facts, true, NULL,
     {"korea-import-facts", "2025", "news and agencies citing Korean customs, KITA, MOTIE/KOMIR, KIGAM (per row)", "reported facts on Korea's rare-metal imports", "", "facts only; see each row's source"}},
    {"production", "curated USGS production by country (data/production.csv layout)",
     ingest_production, true, NULL, USGS_INFO("Mineral Commodity Summaries 2026: world production by country (curated extract)")},
    {"reserves", "curated USGS reserves by country (data/reserves.csv layout)",
     ingest_reserves, true, NULL, USGS_INFO("Mineral Commodity Summaries 2026: reserves by country (curated extract)")},
    {"capacity", "curated USGS production capacity by country (data/capacity.csv layout)",
     ingest_capacity, true, NULL, USGS_INFO("Mineral Commodity Summaries 2026: production capacity (curated extract)")},
    {"prices", "curated USGS annual prices (data/prices.csv layout)",
     ingest_prices, true, NULL, USGS_INFO("Mineral Commodity Summaries 2026: salient-statistics prices (curated extract)")},
    {"eu-shares", "EU CRM 2023 global supply shares by country and stage (data/eu_crm_2023_global_supply_shares.csv)",
     ingest_eu_global_shares, true, NULL, EC_INFO("eu-crm-global-shares", "Study on the Critical Raw Materials for the EU 2023, Appendix 7: global supply shares and trade-related variable")},
    {"eu-sourcing", "EU CRM 2023 EU sourcing shares (data/eu_crm_2023_eu_supply_shares.csv)",
     ingest_eu_sourcing_shares, true, NULL, EC_INFO("eu-crm-eu-sourcing", "Study on the Critical Raw Materials for the EU 2023, Appendix 7: EU sourcing shares and trade-related variable")},
    {"eu-crm", "EU CRM 2023 results and critical flags (data/eu_crm_2023.csv)",
     ingest_eu_crm, true, NULL, EC_INFO("eu-crm-results", "Study on the Critical Raw Materials for the EU 2023: supply risk, economic importance, critical list")},
    {"eu-params", "EU CRM 2023 parameters per material and stage (data/eu_crm_2023_parameters.csv)",
     ingest_eu_params, true, NULL, EC_INFO("eu-crm-parameters", "Study on the Critical Raw Materials for the EU 2023: supply risk per stage, import reliance, EoL-RIR, substitution indices (as compiled by CritMAT)")},
    {"eu-end-use", "EU CRM 2023 end-use shares with NACE sector value added (data/eu_crm_2023_end_use_shares.csv)",
     ingest_eu_end_use, true, NULL, EC_INFO("eu-crm-end-use", "Study on the Critical Raw Materials for the EU 2023, Appendix 6: material use shares")},
    {"name-aliases", "names a publisher gives one material in different files (data/eu_material_names.csv)",
     ingest_name_aliases, true, NULL,
     {"name-aliases", "1", "RMCT (names as the publishers print them)", "material name aliases", "", ""}},
    {"wgi", "World Bank governance indicators, six estimates by country and year (data/wgi_six.csv)",
     ingest_wgi, true, NULL,
     {"wb-wgi", "2024", "World Bank", "Worldwide Governance Indicators: six aggregate estimates 2013-2023", "https://www.worldbank.org/en/publication/worldwide-governance-indicators", "CC BY 4.0 (World Bank terms; verify)"}},
    {"usgs-commodities", "how USGS commodities map onto the 35 types (data/usgs_commodities.csv)",
     ingest_usgs_commodities, true, NULL,
     {"usgs-commodities", "1", "RMCT (USGS commodity names and codes)", "USGS commodities and the rare-metal types they belong to", "", ""}},
    {"elements", "chemical elements (data/elements.csv)",
     ingest_elements, true, NULL,
     {"elements", "bodr-10", "Blue Obelisk Data Repository (Debian package bodr 10-2)", "elements.xml: atomic numbers, names, standard atomic weights (IUPAC 2011)", "https://github.com/egonw/bodr", "MIT (Debian copyright file); CC0 upstream from release 10"}},
    {"groups", "the seven Korean rare-metal groups (data/metal_groups.csv)",
     ingest_groups, true, NULL,
     {"kr-rm-groups", "2009", "Korea Institute for Rare Metals (KIRAM)", "Definition of Rare Metals: groups", "https://kiram.re.kr/en/info/introduction", ""}},
    {"iso3166", "ISO 3166-1 countries from Debian's iso-codes (iso_3166-1.json)",
     ingest_iso3166, false, NULL,
     {"iso-3166-1", "iso-codes", "ISO, via Debian's iso-codes package", "ISO 3166-1 country codes (alpha-2, alpha-3, numeric) and names", "https://salsa.debian.org/iso-codes-team/iso-codes", "LGPL-2.1+"}},
    {"countries-extra", "countries outside ISO 3166-1 that publishers use (data/countries_extra.csv)",
     ingest_countries_extra, true, NULL,
     {"countries-extra", "1", "RMCT", "countries outside ISO 3166-1 used by publishers", "", ""}},
    {"country-display", "short display names for countries with long ISO names (data/country_display.csv)",
     ingest_country_display, true, NULL,
     {"country-display", "1", "RMCT (names as the publishers named per row print them)", "country display names", "", ""}},
    {"comtrade-codes", "UN Comtrade numeric codes that differ from ISO (data/comtrade_codes.csv)",
     ingest_comtrade_codes, true, NULL,
     {"comtrade-codes", "2025-06", "United Nations Statistics Division (UN Comtrade)", "partner and reporter area reference tables", "https://comtradeapi.un.org/files/v1/app/reference/partnerAreas.json", ""}},
    {"country-aliases", "country names as publishers spell them (data/country_aliases.csv)",
     ingest_country_aliases, true, NULL,
     {"country-aliases", "1", "RMCT (compiled from the publishers named per row)", "country name aliases", "", ""}},
    {"units", "units with their factor to tonnes and basis (data/units.csv)",
     ingest_units, true, NULL,
     {"units", "1", "RMCT (unit lines of the publishers named per row)", "units and conversions to tonnes", "", ""}},
    {"list-names", "short CLI names of the national lists (data/list_names.csv)",
     ingest_list_names, true, NULL,
     {"list-names", "1", "RMCT", "short names of the national lists", "", ""}},
    {"lists", "national lists of rare/critical metals (data/national_lists.csv); defines Korea's 35 types",
     ingest_lists, true, NULL,
     {"national-lists", "2025", "KIRAM; MOTIE; METI; US DOI/USGS (as named per row)", "national lists of rare and critical metals", "", ""}},
    {"metal-aliases", "metal names as publishers spell them (data/metal_aliases.csv)",
     ingest_metal_aliases, true, NULL,
     {"metal-aliases", "1", "RMCT (compiled from the publishers named per row)", "metal name aliases", "", ""}},
    {"eu-material-elements", "elements of EU CRM group materials (data/eu_material_elements.csv)",
     ingest_eu_material_elements, true, NULL,
     {"eu-material-elements", "2023", "European Commission (grouping recorded by RMCT)", "elements of the EU CRM 2023 group materials", "", ""}},
    {"events", "register of export restrictions and supply disruptions (data/export_controls.csv layout)",
     ingest_events, true, NULL,
     {"export-controls", "2026", "RMCT research (compiled from the sources named per row)", "register of export restrictions and supply disruptions affecting the rare-metal types, 2007-2026", "", "facts only; see each row's source"}},
    {NULL, NULL, NULL, false, NULL, {NULL, NULL, NULL, NULL, NULL, NULL}},
};

static const rmct_bundled_file bundled[RMCT_BUNDLED_COUNT + 1] = {
    {"elements", "elements.csv"},
    {"groups", "metal_groups.csv"},
    {"iso3166", "/usr/share/iso-codes/json/iso_3166-1.json"},
    {"countries-extra", "countries_extra.csv"},
    {"country-display", "country_display.csv"},
    {"comtrade-codes", "comtrade_codes.csv"},
    {"country-aliases", "country_aliases.csv"},
    {"units", "units.csv"},
    {"list-names", "list_names.csv"},
    {"lists", "national_lists.csv"},
    {"metal-aliases", "metal_aliases.csv"},
    {"eu-material-elements", "eu_material_elements.csv"},
    {"usgs-commodities", "usgs_commodities.csv"},
    {"eu-crm", "eu_crm_2023.csv"},
    {"hs-map", "hs_map.csv"},
    {"korea-facts", "korea_imports.csv"},
    {"usgs", "usgs/MCS2025_World_Data.csv"},
    {"production", "production.csv"},
    {"reserves", "reserves.csv"},
    {"capacity", "capacity.csv"},
    {"prices", "prices.csv"},
    {"eu-shares", "eu_crm_2023_global_supply_shares.csv"},
    {"eu-sourcing", "eu_crm_2023_eu_supply_shares.csv"},
    {"wgi", "wgi_six.csv"},
    {"name-aliases", "eu_material_names.csv"},
    {"eu-params", "eu_crm_2023_parameters.csv"},
    {"eu-end-use", "eu_crm_2023_end_use_shares.csv"},
    {"events", "export_controls.csv"},
    {NULL, NULL},
};

const rmct_bundled_file *rmct_bundled_files(void) { return bundled; }

const rmct_format_info *rmct_import_formats(void)
{
    static rmct_format_info list[sizeof formats / sizeof formats[0]];
    if (!list[0].name)
        for (size_t i = 0; formats[i].name; i++) {
            list[i].name = formats[i].name;
            list[i].summary = formats[i].summary;
        }
    return list;
}

static const ingest_format *find_format(const char *name)
{
    for (const ingest_format *f = formats; f->name; f++)
        if (rmct_streq_nocase(f->name, name)) return f;
    return NULL;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- helpers shared by the readers ---- */

rmct_code ingest_header(ingest_ctx *ctx, const rmct_csv_colspec *spec, size_t n, int *idx,
                        bool allow_extra, rmct_error *err)
{
    return rmct_csv_header(ctx->csv, spec, n, idx, allow_extra, err);
}

rmct_code ingest_next(ingest_ctx *ctx, bool *got, rmct_error *err)
{
    rmct_code rc = rmct_csv_next(ctx->csv, got, err);
    if (!rc && *got && ctx->opts && ctx->opts->progress && (++ctx->rows_seen & 0xFFFF) == 0)
        ctx->opts->progress(ctx->opts->progress_ctx, ctx->name, rmct_csv_offset(ctx->csv), ctx->size);
    return rc;
}

rmct_code ingest_stmt(ingest_ctx *ctx, int i, const char *sql, sqlite3_stmt **st, rmct_error *err)
{
    if (!ctx->st[i]) {
        rmct_code rc = rmct_db_prepare(ctx->db, &ctx->st[i], sql, err);
        if (rc) return rc;
    }
    sqlite3_reset(ctx->st[i]);
    sqlite3_clear_bindings(ctx->st[i]);
    *st = ctx->st[i];
    return RMCT_OK;
}

rmct_code ingest_cite(ingest_ctx *ctx, const char *text, const char *url, int64_t *id, rmct_error *err)
{
    if (!url) url = "";
    if (ctx->cite_id && strcmp(text, ctx->cite_text) == 0 && strcmp(url, ctx->cite_url) == 0) {
        *id = ctx->cite_id;
        return RMCT_OK;
    }
    sqlite3_stmt *st;
    rmct_code rc = ingest_stmt(ctx, INGEST_STMT_CITE,
        "INSERT INTO citation(source_id, text, url) VALUES (?, ?, ?) "
        "ON CONFLICT(source_id, text, url) DO UPDATE SET text = excluded.text RETURNING id", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, ctx->source_id);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, url, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (s != SQLITE_ROW) return rmct_db_error(ctx->db, err, "recording a citation");
    ctx->cite_id = *id;
    rmct_strlcpy(ctx->cite_text, text, sizeof ctx->cite_text);
    rmct_strlcpy(ctx->cite_url, url, sizeof ctx->cite_url);
    return RMCT_OK;
}

rmct_code ingest_step(ingest_ctx *ctx, sqlite3_stmt *st, int field, const char *what, rmct_error *err)
{
    int s = sqlite3_step(st);
    if (s == SQLITE_DONE || s == SQLITE_ROW) return RMCT_OK;
    if ((s & 0xFF) == SQLITE_CONSTRAINT) {
        const char *msg = sqlite3_errmsg(rmct_db_sqlite(ctx->db));
        if (ctx->csv)
            return rmct_csv_field_error(ctx->csv, field, err, "%s: %s", what,
                                        s == SQLITE_CONSTRAINT_UNIQUE || s == SQLITE_CONSTRAINT_PRIMARYKEY
                                            ? "expected a unique row, got a duplicate" : msg);
        return rmct_error_at(err, ctx->name, 0, 0, NULL, "%s: %s", what, msg);
    }
    return rmct_db_error(ctx->db, err, what);
}

rmct_code ingest_metal(ingest_ctx *ctx, int field, const char *text, rmct_metal *out, rmct_error *err)
{
    rmct_error e;
    rmct_error_clear(&e);
    if (rmct_registry_metal(ctx->reg, text, out, &e) == RMCT_OK) return RMCT_OK;
    if (e.code != RMCT_E_NOTFOUND) { *err = e; return e.code; }
    return rmct_csv_field_error(ctx->csv, field, err, "%s", e.msg);
}

rmct_code ingest_country(ingest_ctx *ctx, int field, const char *text, char iso3[4], rmct_error *err)
{
    rmct_error e;
    rmct_error_clear(&e);
    if (rmct_registry_country(ctx->reg, text, iso3, &e) == RMCT_OK) return RMCT_OK;
    if (e.code != RMCT_E_NOTFOUND) { *err = e; return e.code; }
    return rmct_csv_field_error(ctx->csv, field, err, "%s", e.msg);
}

void ingest_basis_label(const char *basis, const char *element, char *buf, size_t size)
{
    const char *el = (element && *element) ? element : "";
    if (strcmp(basis, "contained") == 0) snprintf(buf, size, "t %s%scontent", el, *el ? " " : "");
    else if (strcmp(basis, "metal") == 0) snprintf(buf, size, "t %s%smetal", el, *el ? " " : "");
    else if (strcmp(basis, "oxide") == 0) snprintf(buf, size, "t oxide equivalent");
    else if (strcmp(basis, "gross") == 0) snprintf(buf, size, "t gross weight");
    else if (strcmp(basis, "mixed") == 0) snprintf(buf, size, "t (mixed product bases)");
    else snprintf(buf, size, "t (basis not stated)");
}

rmct_code ingest_supply_row(ingest_ctx *ctx, const ingest_supply *r, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = ingest_stmt(ctx, INGEST_STMT_SUPPLY,
        "INSERT INTO supply_stat(measure, type_code, element, commodity, stage, stage_detail, row_kind,"
        " country, product, year, value, unit, basis, basis_label, qualifier, estimated, value_raw, note,"
        " source_id, citation_id, src_line)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &st, err);
    if (rc) return rc;
    int i = 1;
#define TXT(v) sqlite3_bind_text(st, i++, (v) ? (v) : "", -1, SQLITE_STATIC)
    TXT(r->measure);
    TXT(r->type_code);
    if (r->element && *r->element) TXT(r->element); else sqlite3_bind_null(st, i++);
    TXT(r->commodity);
    TXT(r->stage);
    TXT(r->stage_detail);
    TXT(r->row_kind);
    if (r->country && *r->country) TXT(r->country); else sqlite3_bind_null(st, i++);
    TXT(r->product);
    sqlite3_bind_int64(st, i++, r->year);
    if (r->has_value) sqlite3_bind_double(st, i++, r->value); else sqlite3_bind_null(st, i++);
    TXT(r->unit);
    TXT(r->basis);
    TXT(r->basis_label);
    TXT(r->qualifier);
    sqlite3_bind_int(st, i++, r->estimated);
    TXT(r->value_raw);
    TXT(r->note);
    sqlite3_bind_int64(st, i++, ctx->source_id);
    if (r->citation_id) sqlite3_bind_int64(st, i++, r->citation_id); else sqlite3_bind_null(st, i++);
    sqlite3_bind_int64(st, i++, r->line);
#undef TXT
    int s = sqlite3_step(st);
    if (s == SQLITE_DONE) {
        ctx->res->rows++;
        return RMCT_OK;
    }
    if (s != SQLITE_CONSTRAINT_UNIQUE) {
        if ((s & 0xFF) == SQLITE_CONSTRAINT)
            return rmct_error_at(err, ctx->name, r->line, 0, NULL, "expected a valid row, got one the database refuses: %s",
                                 sqlite3_errmsg(rmct_db_sqlite(ctx->db)));
        return rmct_db_error(ctx->db, err, "storing a supply row");
    }
    /* find the earlier line with the same key to name it */
    sqlite3_stmt *q;
    long first = 0;
    if (rmct_db_prepare(ctx->db, &q,
            "SELECT src_line FROM supply_stat WHERE source_id = ? AND measure = ? AND type_code = ?"
            " AND ifnull(element,'') = ? AND stage = ? AND row_kind = ? AND ifnull(country,'') = ?"
            " AND product = ? AND year = ?", err) == RMCT_OK) {
        sqlite3_bind_int64(q, 1, ctx->source_id);
        sqlite3_bind_text(q, 2, r->measure, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, r->type_code, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, r->element ? r->element : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, r->stage, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 6, r->row_kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 7, r->country ? r->country : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 8, r->product ? r->product : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 9, r->year);
        if (sqlite3_step(q) == SQLITE_ROW) first = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    return rmct_error_at(err, ctx->name, r->line, 1, NULL,
                         "expected one row per metal, stage, country and year, got a duplicate of line %ld "
                         "(%s %s %s %s %ld)", first, r->measure, (r->element && *r->element) ? r->element : r->type_code,
                         r->stage, (r->country && *r->country) ? r->country : r->row_kind, r->year);
}

rmct_code ingest_check_series_basis(ingest_ctx *ctx, rmct_error *err)
{
    /* 'metal' and 'contained' are both tonnes of the element: one series may hold both */
#define NORMALISED_BASIS "replace(basis, 'metal', 'contained')"
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(ctx->db, &st,
        "SELECT measure, type_code, ifnull(element,''), stage, year FROM supply_stat WHERE source_id = ?1"
        " GROUP BY measure, type_code, ifnull(element,''), stage, year"
        " HAVING min(" NORMALISED_BASIS ") <> max(" NORMALISED_BASIS ") ORDER BY min(src_line) LIMIT 1", err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, ctx->source_id);
    int s = sqlite3_step(st);
    if (s == SQLITE_DONE) {
        sqlite3_finalize(st);
        return RMCT_OK;
    }
    if (s != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rmct_db_error(ctx->db, err, "checking units");
    }
    /* name the first row of the series and the first row that disagrees with it */
    sqlite3_stmt *q;
    if ((rc = rmct_db_prepare(ctx->db, &q,
             "SELECT src_line, unit, basis, " NORMALISED_BASIS " FROM supply_stat WHERE source_id = ?1 AND measure = ?2"
             " AND type_code = ?3 AND ifnull(element,'') = ?4 AND stage = ?5 AND year = ?6 ORDER BY src_line", err))) {
        sqlite3_finalize(st);
        return rc;
    }
    sqlite3_bind_int64(q, 1, ctx->source_id);
    for (int i = 0; i < 5; i++) sqlite3_bind_value(q, i + 2, sqlite3_column_value(st, i));
    long first = 0;
    char funit[256] = "", fbasis[32] = "", fnorm[32] = "";
    while (sqlite3_step(q) == SQLITE_ROW) {
        char unit[256], basis[32], norm[32];
        rmct_db_column_text(q, 1, unit, sizeof unit);
        rmct_db_column_text(q, 2, basis, sizeof basis);
        rmct_db_column_text(q, 3, norm, sizeof norm);
        if (!first) {
            first = sqlite3_column_int(q, 0);
            rmct_strlcpy(funit, unit, sizeof funit);
            rmct_strlcpy(fbasis, basis, sizeof fbasis);
            rmct_strlcpy(fnorm, norm, sizeof fnorm);
            continue;
        }
        if (strcmp(norm, fnorm) == 0) continue;
        long line = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        sqlite3_finalize(st);
        return rmct_error_at(err, ctx->name, line, 0, "unit",
                             "expected the same basis as line %ld of this series (%s, \"%s\"), got \"%s\" (%s): "
                             "unit mismatch, one series cannot mix bases", first, fbasis, funit, unit, basis);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(st);
    return rmct_error_set(err, RMCT_E_DB, "checking units: inconsistent result");
#undef NORMALISED_BASIS
}

/* ---- the import driver ---- */

static void finalize_stmts(ingest_ctx *ctx)
{
    for (int i = 0; i < INGEST_STMTS; i++) {
        sqlite3_finalize(ctx->st[i]);
        ctx->st[i] = NULL;
    }
}

static const char *pick(const char *override, const char *fallback) { return override ? override : fallback; }

/* Imports one file inside the caller's transaction. */
static rmct_code import_one(rmct_db *db, rmct_registry *reg, const ingest_format *fmt, const char *path,
                            const rmct_import_opts *opts, rmct_import_result *res, rmct_error *err)
{
    memset(res, 0, sizeof *res);
    rmct_strlcpy(res->file, path, sizeof res->file);
    rmct_strlcpy(res->format, fmt->name, sizeof res->format);
    struct stat sb;
    if (stat(path, &sb) != 0) return rmct_error_set(err, RMCT_E_IO, "cannot open %s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode)) return rmct_error_set(err, RMCT_E_IO, "cannot import %s: it is a directory", path);

    char sha[65];
    rmct_code rc = rmct_sha256_file(path, sha, err);
    if (rc) return rc;

    char dataset[160], edition[64] = "";
    const char *file_name = base_name(path);
    if (opts->dataset) rmct_strlcpy(dataset, opts->dataset, sizeof dataset);
    else if (fmt->defaults.dataset) rmct_strlcpy(dataset, fmt->defaults.dataset, sizeof dataset);
    else snprintf(dataset, sizeof dataset, "%s:%s", fmt->name, file_name);
    if (opts->edition) rmct_strlcpy(edition, opts->edition, sizeof edition);
    else if (fmt->edition_from_file && (rc = fmt->edition_from_file(path, edition, sizeof edition, err))) return rc;
    if (!edition[0] && fmt->defaults.edition && fmt->defaults.edition[0])
        rmct_strlcpy(edition, fmt->defaults.edition, sizeof edition);
    /* Without an edition, user data ranks below every published edition: it fills series no other
     * source has and never silently replaces one (--edition YEAR ranks it as that year). */
    if (!edition[0]) rmct_strlcpy(edition, "0", sizeof edition);

    bool found;
    rmct_source old;
    if ((rc = rmct_source_lookup(db, dataset, sha, &found, &old, err))) return rc;
    if (found) {
        res->unchanged = true;
        res->source_id = old.id;
        res->rows = old.rows;
        return RMCT_OK;
    }
    if ((rc = rmct_source_same_file(db, dataset, edition, file_name, &found, &old, err))) return rc;
    if (found) {
        if (!opts->replace)
            return rmct_error_set(err, RMCT_E_CONFLICT,
                                  "%s: a different file named %s was already imported as %s edition %s "
                                  "(on %s, SHA-256 %.12s...); use --replace to replace it, or --edition to "
                                  "import it beside the old one", path, file_name, dataset, edition,
                                  old.imported_at, old.sha256);
        if ((rc = rmct_source_delete(db, old.id, err))) {
            char why[sizeof err->msg];
            rmct_strlcpy(why, err->msg, sizeof why);
            rmct_error_set(err, rc, "cannot replace %s: rows elsewhere depend on its entries (%.600s); "
                           "re-create the database with rmct init", file_name, why);
            return rc;
        }
        res->replaced_source = old.id;
    }

    rmct_source_info info = {
        dataset, edition,
        pick(opts->publisher, fmt->defaults.publisher),
        pick(opts->title, fmt->defaults.title),
        pick(opts->url, fmt->defaults.url),
        pick(opts->licence, fmt->defaults.licence),
    };
    if ((rc = rmct_source_add(db, &info, file_name, sha, &res->source_id, err))) return rc;

    ingest_ctx ctx = {0};
    ctx.db = db;
    ctx.reg = reg;
    ctx.path = path;
    ctx.name = path;
    ctx.source_id = res->source_id;
    ctx.res = res;
    ctx.opts = opts;
    ctx.size = (uint64_t)sb.st_size;
    if (fmt->is_csv && (rc = rmct_csv_open(&ctx.csv, path, path, err))) return rc;
    rc = fmt->read(&ctx, err);
    finalize_stmts(&ctx);
    rmct_csv_close(ctx.csv);
    if (rc) return rc;
    if (opts->progress) opts->progress(opts->progress_ctx, path, ctx.size, ctx.size);
    return rmct_source_set_rows(db, res->source_id, res->rows, err);
}

static rmct_code import_many(rmct_db *db, const ingest_format *const *fmts, const char *const *paths, size_t n,
                             const rmct_import_opts *opts, rmct_import_result *results, rmct_error *err)
{
    static const rmct_import_opts none;
    if (!opts) opts = &none;
    rmct_code rc = rmct_db_begin(db, err);
    if (rc) return rc;
    rmct_registry *reg = NULL;
    for (size_t i = 0; i < n && !rc; i++) {
        /* registry statements are prepared after the registry tables exist, and reopened per file
         * so that each file sees what the previous one stored */
        rmct_registry_close(reg);
        reg = NULL;
        rmct_import_result tmp;
        rc = rmct_registry_open(db, &reg, err);
        if (!rc) rc = import_one(db, reg, fmts[i], paths[i], opts, results ? &results[i] : &tmp, err);
    }
    rmct_registry_close(reg);
    if (!rc) {
        sqlite3_stmt *st;
        /* foreign keys are checked row by row already; this catches anything deferred */
        if (!(rc = rmct_db_prepare(db, &st, "PRAGMA foreign_key_check", err))) {
            if (sqlite3_step(st) == SQLITE_ROW) {
                char table[64];
                rmct_db_column_text(st, 0, table, sizeof table);
                rc = rmct_error_set(err, RMCT_E_DB, "import would leave a dangling reference in table %s", table);
            }
            sqlite3_finalize(st);
        }
    }
    if (rc) {
        rmct_db_rollback(db);
        return rc;
    }
    return rmct_db_commit(db, err);
}

rmct_code rmct_import(rmct_db *db, const char *format, const char *const *paths, size_t n,
                      const rmct_import_opts *opts, rmct_import_result *results, rmct_error *err)
{
    const ingest_format *fmt = find_format(format);
    if (!fmt) return rmct_error_set(err, RMCT_E_ARG, "unknown import format \"%s\" (see 'rmct import --help')", format);
    if (n == 0) return rmct_error_set(err, RMCT_E_ARG, "no file to import");
    const ingest_format **fmts = malloc(n * sizeof *fmts);
    if (!fmts) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) fmts[i] = fmt;
    rmct_code rc = import_many(db, fmts, paths, n, opts, results, err);
    free(fmts);
    return rc;
}

rmct_code rmct_init_bundled(rmct_db *db, const char *datadir, const rmct_import_opts *opts,
                            rmct_import_result *results, rmct_error *err)
{
    const ingest_format *fmts[RMCT_BUNDLED_COUNT];
    char paths[RMCT_BUNDLED_COUNT][1024];
    const char *ptrs[RMCT_BUNDLED_COUNT];
    for (size_t i = 0; i < RMCT_BUNDLED_COUNT; i++) {
        fmts[i] = find_format(bundled[i].format);
        if (bundled[i].file[0] == '/') rmct_strlcpy(paths[i], bundled[i].file, sizeof paths[i]);
        else snprintf(paths[i], sizeof paths[i], "%s/%s", datadir, bundled[i].file);
        ptrs[i] = paths[i];
    }
    rmct_import_opts o = opts ? *opts : (rmct_import_opts){0};
    o.replace = true;
    return import_many(db, fmts, ptrs, RMCT_BUNDLED_COUNT, &o, results, err);
}
