/* ingest_registry.c: readers for the registry files: elements, the Korean groups and types,
 * national lists, countries (ISO 3166-1 from iso-codes, extras, Comtrade codes, aliases), units and
 * metal aliases. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "ingest_internal.h"

/* The list that defines Korea's 35 rare-metal types. */
#define KOREA_RM_LIST "KR-RM"

/* A required, non-empty field, or an input error naming it. */
static rmct_code need(ingest_ctx *ctx, int idx, const char *what, const char **out, rmct_error *err)
{
    const char *v = rmct_csv_get(ctx->csv, idx);
    *out = "";
    while (*v == ' ') v++;
    if (!*v) return rmct_csv_field_error(ctx->csv, idx, err, "expected %s, got an empty field", what);
    *out = v;
    return RMCT_OK;
}

static rmct_code bind_cite(ingest_ctx *ctx, sqlite3_stmt *st, int pos, const char *text, const char *url,
                           rmct_error *err)
{
    int64_t cid;
    rmct_code rc = ingest_cite(ctx, (text && *text) ? text : ctx->name, url, &cid, err);
    if (!rc) sqlite3_bind_int64(st, pos, cid);
    return rc;
}

/* ---- elements.csv: symbol,z,name,atomic_weight,source ---- */
rmct_code ingest_elements(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {
        {"symbol", true}, {"z", true}, {"name", true}, {"atomic_weight", true}, {"source", true}};
    int ix[5];
    rmct_code rc = ingest_header(ctx, spec, 5, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *sym, *name;
        long z;
        double w = 0;
        if ((rc = need(ctx, ix[0], "an element symbol", &sym, err)) || (rc = need(ctx, ix[2], "a name", &name, err))) break;
        if (!rmct_parse_long(rmct_csv_get(ctx->csv, ix[1]), 1, 118, &z)) {
            rc = rmct_csv_field_error(ctx->csv, ix[1], err, "expected an atomic number 1-118, got \"%s\"", rmct_csv_get(ctx->csv, ix[1]));
            break;
        }
        const char *ws = rmct_csv_get(ctx->csv, ix[3]);
        if (*ws && (!rmct_parse_double(ws, false, &w) || w <= 0)) {
            rc = rmct_csv_field_error(ctx->csv, ix[3], err, "expected a positive atomic weight, got \"%s\"", ws);
            break;
        }
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO element(symbol, z, name, atomic_weight, citation_id) VALUES (?,?,?,?,?)", &st, err))) break;
        sqlite3_bind_text(st, 1, sym, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, z);
        sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
        if (*ws) sqlite3_bind_double(st, 4, w); else sqlite3_bind_null(st, 4);
        if ((rc = bind_cite(ctx, st, 5, rmct_csv_get(ctx->csv, ix[4]), NULL, err))) break;
        if ((rc = ingest_step(ctx, st, ix[0], "element", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---- metal_groups.csv: code,name,name_in_source,ord,single_type_code,source,source_url ---- */
rmct_code ingest_groups(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"code", true}, {"name", true}, {"name_in_source", true}, {"ord", true},
                                            {"single_type_code", true}, {"source", true}, {"source_url", false}};
    int ix[7];
    rmct_code rc = ingest_header(ctx, spec, 7, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *code, *name, *insrc;
        long ord;
        if ((rc = need(ctx, ix[0], "a group code", &code, err)) || (rc = need(ctx, ix[1], "a group name", &name, err)) ||
            (rc = need(ctx, ix[2], "the group's name in the source", &insrc, err)))
            break;
        if (!rmct_parse_long(rmct_csv_get(ctx->csv, ix[3]), 1, 99, &ord)) {
            rc = rmct_csv_field_error(ctx->csv, ix[3], err, "expected an order number, got \"%s\"", rmct_csv_get(ctx->csv, ix[3]));
            break;
        }
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO metal_group(code, name, name_in_source, ord, single_type_code, citation_id) "
                                      "VALUES (?,?,?,?,nullif(?,''),?)", &st, err))) break;
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, insrc, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, ord);
        sqlite3_bind_text(st, 5, rmct_csv_get(ctx->csv, ix[4]), -1, SQLITE_STATIC);
        if ((rc = bind_cite(ctx, st, 6, rmct_csv_get(ctx->csv, ix[5]), rmct_csv_get(ctx->csv, ix[6]), err))) break;
        if ((rc = ingest_step(ctx, st, ix[0], "group", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---- iso_3166-1.json from Debian's iso-codes ---- */
rmct_code ingest_iso3166(ingest_ctx *ctx, rmct_error *err)
{
    json_error_t je;
    json_t *root = json_load_file(ctx->path, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return rmct_error_at(err, ctx->name, je.line, je.column, NULL, "expected ISO 3166-1 JSON from iso-codes: %s", je.text);
    json_t *list = json_object_get(root, "3166-1");
    rmct_code rc = RMCT_OK;
    if (!json_is_array(list)) {
        json_decref(root);
        return rmct_error_at(err, ctx->name, 1, 1, NULL, "expected an object with a \"3166-1\" array");
    }
    int64_t cid;
    if ((rc = ingest_cite(ctx, "ISO 3166-1 as shipped in Debian's iso-codes package", NULL, &cid, err))) {
        json_decref(root);
        return rc;
    }
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) {
        const char *a2 = json_string_value(json_object_get(c, "alpha_2"));
        const char *a3 = json_string_value(json_object_get(c, "alpha_3"));
        const char *num = json_string_value(json_object_get(c, "numeric"));
        const char *name = json_string_value(json_object_get(c, "name"));
        if (!a2 || !a3 || !num || !name) {
            rc = rmct_error_at(err, ctx->name, 0, 0, NULL, "entry %zu: expected alpha_2, alpha_3, numeric and name", i + 1);
            break;
        }
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO country(iso3, iso2, numeric, name, official_name, common_name, citation_id) "
                                      "VALUES (?,?,?,?,?,?,?)", &st, err))) break;
        sqlite3_bind_text(st, 1, a3, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, a2, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, atoi(num));
        sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, json_string_value(json_object_get(c, "official_name")), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, json_string_value(json_object_get(c, "common_name")), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, cid);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = rmct_error_at(err, ctx->name, 0, 0, NULL, "entry %zu (%s): %s", i + 1, a3, sqlite3_errmsg(rmct_db_sqlite(ctx->db)));
            break;
        }
        ctx->res->rows++;
    }
    json_decref(root);
    return rc;
}

/* ---- countries_extra.csv: iso3,iso2,numeric,name,note,source ---- */
rmct_code ingest_countries_extra(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"iso3", true}, {"iso2", true}, {"numeric", true},
                                            {"name", true}, {"note", false}, {"source", true}};
    int ix[6];
    rmct_code rc = ingest_header(ctx, spec, 6, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *iso3, *name;
        if ((rc = need(ctx, ix[0], "an alpha-3 code", &iso3, err)) || (rc = need(ctx, ix[3], "a name", &name, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO country(iso3, iso2, numeric, name, citation_id) "
                                      "VALUES (?,nullif(?,''),nullif(?,''),?,?)", &st, err))) break;
        sqlite3_bind_text(st, 1, iso3, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, rmct_csv_get(ctx->csv, ix[1]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, rmct_csv_get(ctx->csv, ix[2]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
        if ((rc = bind_cite(ctx, st, 5, rmct_csv_get(ctx->csv, ix[5]), NULL, err))) break;
        if ((rc = ingest_step(ctx, st, ix[0], "country", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---- country_display.csv: iso3,display_name,source ---- */
rmct_code ingest_country_display(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"iso3", true}, {"display_name", true}, {"source", true}};
    int ix[3];
    rmct_code rc = ingest_header(ctx, spec, 3, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *iso3, *name;
        char iso[4];
        if ((rc = need(ctx, ix[0], "an ISO alpha-3 code", &iso3, err)) || (rc = need(ctx, ix[1], "a display name", &name, err))) break;
        if ((rc = ingest_country(ctx, ix[0], iso3, iso, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "UPDATE country SET display_name = ? WHERE iso3 = ?", &st, err))) break;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, iso, -1, SQLITE_STATIC);
        if ((rc = ingest_step(ctx, st, ix[1], "country display name", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---- comtrade_codes.csv: code,iso3,name,kind,note,source,source_repo,source_path,source_commit,source_url ---- */
rmct_code ingest_comtrade_codes(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"code", true}, {"iso3", true}, {"name", true}, {"kind", true}, {"note", false},
                                            {"source", true}, {"source_repo", false}, {"source_path", false},
                                            {"source_commit", false}, {"source_url", false}};
    int ix[10];
    rmct_code rc = ingest_header(ctx, spec, 10, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        long code;
        const char *name, *kind, *iso3 = rmct_csv_get(ctx->csv, ix[1]);
        if (!rmct_parse_long(rmct_csv_get(ctx->csv, ix[0]), 0, 999, &code)) {
            rc = rmct_csv_field_error(ctx->csv, ix[0], err, "expected a numeric code 0-999, got \"%s\"", rmct_csv_get(ctx->csv, ix[0]));
            break;
        }
        if ((rc = need(ctx, ix[2], "a name", &name, err)) || (rc = need(ctx, ix[3], "a kind", &kind, err))) break;
        char iso[4] = "";
        if (*iso3 && (rc = ingest_country(ctx, ix[1], iso3, iso, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO comtrade_code(code, iso3, name, kind, note, citation_id) "
                                      "VALUES (?,nullif(?,''),?,?,?,?)", &st, err))) break;
        sqlite3_bind_int64(st, 1, code);
        sqlite3_bind_text(st, 2, iso, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, rmct_csv_get(ctx->csv, ix[4]), -1, SQLITE_STATIC);
        if ((rc = bind_cite(ctx, st, 6, rmct_csv_get(ctx->csv, ix[5]), rmct_csv_get(ctx->csv, ix[9]), err))) break;
        if ((rc = ingest_step(ctx, st, ix[3], "Comtrade code", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---- country_aliases.csv: alias,iso3,publisher,source ---- */
rmct_code ingest_country_aliases(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"alias", true}, {"iso3", true}, {"publisher", true}, {"source", true}};
    int ix[4];
    rmct_code rc = ingest_header(ctx, spec, 4, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *alias, *iso3;
        char iso[4];
        if ((rc = need(ctx, ix[0], "an alias", &alias, err)) || (rc = need(ctx, ix[1], "an ISO alpha-3 code", &iso3, err))) break;
        if ((rc = ingest_country(ctx, ix[1], iso3, iso, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO country_alias(alias, iso3, publisher, citation_id) VALUES (?,?,?,?)", &st, err))) break;
        sqlite3_bind_text(st, 1, alias, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, iso, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, rmct_csv_get(ctx->csv, ix[2]), -1, SQLITE_STATIC);
        if ((rc = bind_cite(ctx, st, 4, rmct_csv_get(ctx->csv, ix[3]), NULL, err))) break;
        if ((rc = ingest_step(ctx, st, ix[0], "country alias", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---- units.csv: text,factor_t,basis,element,basis_label,note,source ---- */
rmct_code ingest_units(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"text", true}, {"factor_t", true}, {"basis", true}, {"element", true},
                                            {"basis_label", true}, {"note", false}, {"source", true}};
    static const char *const bases[] = {"", "contained", "metal", "oxide", "gross", "product", "mixed", NULL};
    int ix[7];
    rmct_code rc = ingest_header(ctx, spec, 7, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *text, *label, *basis = rmct_csv_get(ctx->csv, ix[2]);
        double f;
        if ((rc = need(ctx, ix[0], "a unit text", &text, err)) || (rc = need(ctx, ix[4], "a label", &label, err))) break;
        if (!rmct_parse_double(rmct_csv_get(ctx->csv, ix[1]), false, &f) || f <= 0) {
            rc = rmct_csv_field_error(ctx->csv, ix[1], err, "expected a positive factor to tonnes, got \"%s\"", rmct_csv_get(ctx->csv, ix[1]));
            break;
        }
        bool ok = false;
        for (int k = 0; bases[k]; k++) ok |= strcmp(bases[k], basis) == 0;
        if (!ok) {
            rc = rmct_csv_field_error(ctx->csv, ix[2], err, "expected a basis (contained, metal, oxide, gross, product, mixed or empty), got \"%s\"", basis);
            break;
        }
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO unit(text, factor_t, basis, element, basis_label, note, citation_id) "
                                      "VALUES (?,?,?,nullif(?,''),?,?,?)", &st, err))) break;
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 2, f);
        sqlite3_bind_text(st, 3, basis, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, rmct_csv_get(ctx->csv, ix[3]), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, label, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, rmct_csv_get(ctx->csv, ix[5]), -1, SQLITE_STATIC);
        if ((rc = bind_cite(ctx, st, 7, rmct_csv_get(ctx->csv, ix[6]), NULL, err))) break;
        if ((rc = ingest_step(ctx, st, ix[0], "unit", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---- list_names.csv: list_id,short,ord,note ---- */
rmct_code ingest_list_names(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"list_id", true}, {"short", true}, {"ord", true}, {"note", false}};
    int ix[4];
    rmct_code rc = ingest_header(ctx, spec, 4, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *id, *shortname;
        long ord;
        if ((rc = need(ctx, ix[0], "a list id", &id, err)) || (rc = need(ctx, ix[1], "a short name", &shortname, err))) break;
        if (!rmct_parse_long(rmct_csv_get(ctx->csv, ix[2]), 1, 999, &ord)) {
            rc = rmct_csv_field_error(ctx->csv, ix[2], err, "expected an order number, got \"%s\"", rmct_csv_get(ctx->csv, ix[2]));
            break;
        }
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO list_short(list_id, short, ord, citation_id) VALUES (?,?,?,?)", &st, err))) break;
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, shortname, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, ord);
        if ((rc = bind_cite(ctx, st, 4, rmct_csv_get(ctx->csv, ix[3]), NULL, err))) break;
        if ((rc = ingest_step(ctx, st, ix[0], "list name", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* Insert the list row once (ignored when present). */
static rmct_code ensure_list(ingest_ctx *ctx, int slot, const char *id, const char *name, const char *jur,
                             long year, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = ingest_stmt(ctx, slot,
        "INSERT INTO list(id, short, name, jurisdiction, year, ord, source_id) VALUES (?1,"
        " coalesce((SELECT short FROM list_short WHERE list_id = ?1), ?1), ?2, ?3, ?4,"
        " coalesce((SELECT ord FROM list_short WHERE list_id = ?1), 100), ?5) ON CONFLICT(id) DO NOTHING", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, jur, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, year);
    sqlite3_bind_int64(st, 5, ctx->source_id);
    return ingest_step(ctx, st, -1, "list", err);
}

static rmct_code add_member(ingest_ctx *ctx, int slot, const char *list, const char *member, const char *kind,
                            const char *element, const char *note, int64_t cid, int field, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = ingest_stmt(ctx, slot,
        "INSERT INTO list_member(list_id, member, member_kind, element, note, citation_id) VALUES (?,?,?,nullif(?,''),?,?)",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, member, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, element ? element : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, note ? note : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, cid);
    if ((rc = ingest_step(ctx, st, field, "list member", err))) return rc;
    ctx->res->rows++;
    return RMCT_OK;
}

/* Korea's list defines the types: element members are one type each, group members one type for the group. */
static rmct_code define_type(ingest_ctx *ctx, int no, const char *member, const char *kind, const char *symbols,
                             const char *note, int64_t cid, int ix_member, int ix_note, rmct_error *err)
{
    const char *g = strstr(note, "group: ");
    if (!g) return rmct_csv_field_error(ctx->csv, ix_note, err, "expected \"group: <name>\" for a Korean rare-metal type, got \"%s\"", note);
    char group[128];
    rmct_strlcpy(group, g + 7, sizeof group);
    char *semi = strchr(group, ';');
    if (semi) *semi = '\0';
    rmct_trim(group);
    sqlite3_stmt *st;
    rmct_code rc = ingest_stmt(ctx, 3, "SELECT code, ifnull(single_type_code, '') FROM metal_group WHERE name_in_source = ? COLLATE NOCASE", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, group, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW)
        return rmct_csv_field_error(ctx->csv, ix_note, err, "expected a group from data/metal_groups.csv, got \"%s\"", group);
    char gcode[32], single[16], code[16], name[96];
    rmct_db_column_text(st, 0, gcode, sizeof gcode);
    rmct_db_column_text(st, 1, single, sizeof single);
    if (strcmp(kind, "group") == 0) {
        if (!single[0])
            return rmct_csv_field_error(ctx->csv, ix_member, err, "expected a group that counts as one type, got group \"%s\"", group);
        rmct_strlcpy(code, single, sizeof code);
        rmct_strlcpy(name, member, sizeof name);
        char *paren = strstr(name, " (");
        if (paren) *paren = '\0';
    } else {
        rmct_strlcpy(code, symbols, sizeof code);
        rmct_strlcpy(name, member, sizeof name);
        if ((rc = ingest_stmt(ctx, 4, "SELECT name FROM element WHERE symbol = ?", &st, err))) return rc;
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) rmct_db_column_text(st, 0, name, sizeof name);
    }
    if ((rc = ingest_stmt(ctx, 5, "INSERT INTO metal_type(code, no, name, group_code, citation_id) VALUES (?,?,?,?,?)", &st, err))) return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, no);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, gcode, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, cid);
    if ((rc = ingest_step(ctx, st, ix_member, "rare-metal type", err))) return rc;
    /* assign the elements */
    char syms[256];
    rmct_strlcpy(syms, symbols, sizeof syms);
    for (char *save, *s = strtok_r(syms, ";", &save); s; s = strtok_r(NULL, ";", &save)) {
        if ((rc = ingest_stmt(ctx, 6, "UPDATE element SET type_code = ?1 WHERE symbol = ?2 AND type_code IS NULL", &st, err))) return rc;
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, rmct_trim(s), -1, SQLITE_TRANSIENT);
        if ((rc = ingest_step(ctx, st, ix_member, "element type", err))) return rc;
        if (sqlite3_changes(rmct_db_sqlite(ctx->db)) != 1)
            return rmct_csv_field_error(ctx->csv, ix_member, err,
                                        "expected an element not yet in another type, got \"%s\" (unknown or listed twice)", s);
    }
    return RMCT_OK;
}

static rmct_code check_korea_counts(ingest_ctx *ctx, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(ctx->db, &st,
        "SELECT (SELECT count(*) FROM metal_type), (SELECT count(*) FROM element WHERE type_code IS NOT NULL)", err);
    if (rc) return rc;
    int types = 0, elements = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        types = sqlite3_column_int(st, 0);
        elements = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    if (types != 35 || elements != 56)
        return rmct_error_at(err, ctx->name, 0, 0, NULL,
                             "expected Korea's list (%s) to define 35 rare-metal types and 56 elements, got %d and %d",
                             KOREA_RM_LIST, types, elements);
    return RMCT_OK;
}

/* ---- national_lists.csv ---- */
rmct_code ingest_lists(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"list_id", true}, {"list_name", true}, {"jurisdiction", true}, {"year", true},
                                            {"member", true}, {"element_symbols", true}, {"member_kind", true},
                                            {"note", false}, {"source", true}, {"source_url", false}};
    enum { L_ID, L_NAME, L_JUR, L_YEAR, L_MEMBER, L_SYMS, L_KIND, L_NOTE, L_SRC, L_URL };
    int ix[10];
    rmct_code rc = ingest_header(ctx, spec, 10, ix, false, err);
    bool got, saw_korea = false;
    int korea_no = 0;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *id, *name, *jur, *member, *kind;
        long year;
        if ((rc = need(ctx, ix[L_ID], "a list id", &id, err)) || (rc = need(ctx, ix[L_NAME], "a list name", &name, err)) ||
            (rc = need(ctx, ix[L_JUR], "a jurisdiction", &jur, err)) || (rc = need(ctx, ix[L_MEMBER], "a member", &member, err)) ||
            (rc = need(ctx, ix[L_KIND], "a member kind", &kind, err)))
            break;
        if (!rmct_parse_long(rmct_csv_get(ctx->csv, ix[L_YEAR]), 1900, 2200, &year)) {
            rc = rmct_csv_field_error(ctx->csv, ix[L_YEAR], err, "expected a year, got \"%s\"", rmct_csv_get(ctx->csv, ix[L_YEAR]));
            break;
        }
        if (strcmp(kind, "element") && strcmp(kind, "group") && strcmp(kind, "material")) {
            rc = rmct_csv_field_error(ctx->csv, ix[L_KIND], err, "expected element, group or material, got \"%s\"", kind);
            break;
        }
        const char *syms = rmct_csv_get(ctx->csv, ix[L_SYMS]), *note = rmct_csv_get(ctx->csv, ix[L_NOTE]);
        if (strcmp(kind, "material") && !*syms) {
            rc = rmct_csv_field_error(ctx->csv, ix[L_SYMS], err, "expected element symbols for a %s, got an empty field", kind);
            break;
        }
        int64_t cid;
        if ((rc = ingest_cite(ctx, rmct_csv_get(ctx->csv, ix[L_SRC]), rmct_csv_get(ctx->csv, ix[L_URL]), &cid, err))) break;
        if ((rc = ensure_list(ctx, 0, id, name, jur, year, err))) break;
        if (strcmp(id, KOREA_RM_LIST) == 0) {
            saw_korea = true;
            if ((rc = define_type(ctx, ++korea_no, member, kind, syms, note, cid, ix[L_MEMBER], ix[L_NOTE], err))) break;
        }
        if (!*syms) {
            rc = add_member(ctx, 1, id, member, kind, NULL, note, cid, ix[L_MEMBER], err);
            continue;
        }
        char buf[256];
        rmct_strlcpy(buf, syms, sizeof buf);
        for (char *save, *s = strtok_r(buf, ";", &save); s && !rc; s = strtok_r(NULL, ";", &save)) {
            rmct_trim(s);
            sqlite3_stmt *st;
            if ((rc = ingest_stmt(ctx, 2, "SELECT 1 FROM element WHERE symbol = ?", &st, err))) break;
            sqlite3_bind_text(st, 1, s, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(st) != SQLITE_ROW) {
                rc = rmct_csv_field_error(ctx->csv, ix[L_SYMS], err, "expected element symbols separated by ';', got the unknown symbol \"%s\"", s);
                break;
            }
            rc = add_member(ctx, 1, id, member, kind, s, note, cid, ix[L_MEMBER], err);
        }
    }
    if (!rc && saw_korea) rc = check_korea_counts(ctx, err);
    return rc;
}

/* ---- metal_aliases.csv: alias,metal,source ---- */
rmct_code ingest_metal_aliases(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"alias", true}, {"metal", true}, {"source", true}};
    int ix[3];
    rmct_code rc = ingest_header(ctx, spec, 3, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *alias, *metal;
        rmct_metal m;
        if ((rc = need(ctx, ix[0], "an alias", &alias, err)) || (rc = need(ctx, ix[1], "a metal", &metal, err))) break;
        if ((rc = ingest_metal(ctx, ix[1], metal, &m, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO metal_alias(alias, type_code, element, citation_id) "
                                      "VALUES (?, nullif(?,''), nullif(?,''), ?)", &st, err))) break;
        sqlite3_bind_text(st, 1, alias, -1, SQLITE_STATIC);
        /* an alias of an element keeps only the element; its type follows from it */
        sqlite3_bind_text(st, 2, m.element[0] ? "" : m.type_code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, m.element, -1, SQLITE_TRANSIENT);
        if ((rc = bind_cite(ctx, st, 4, rmct_csv_get(ctx->csv, ix[2]), NULL, err))) break;
        if ((rc = ingest_step(ctx, st, ix[0], "metal alias", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* ---- eu_material_elements.csv: material,element_symbols,note,source ---- */
rmct_code ingest_eu_material_elements(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"material", true}, {"element_symbols", true}, {"note", false}, {"source", true}};
    int ix[4];
    rmct_code rc = ingest_header(ctx, spec, 4, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *material;
        if ((rc = need(ctx, ix[0], "a material", &material, err))) break;
        char buf[256];
        rmct_strlcpy(buf, rmct_csv_get(ctx->csv, ix[1]), sizeof buf);
        int64_t cid;
        if ((rc = ingest_cite(ctx, rmct_csv_get(ctx->csv, ix[3]), NULL, &cid, err))) break;
        for (char *save, *s = strtok_r(buf, ";", &save); s && !rc; s = strtok_r(NULL, ";", &save)) {
            sqlite3_stmt *st;
            if ((rc = ingest_stmt(ctx, 0, "INSERT INTO material_element(material, element, note, citation_id) "
                                          "VALUES (?, (SELECT symbol FROM element WHERE symbol = ?2), ?, ?)", &st, err))) break;
            sqlite3_bind_text(st, 1, material, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, rmct_trim(s), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, rmct_csv_get(ctx->csv, ix[2]), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, cid);
            if ((rc = ingest_step(ctx, st, ix[1], "material element (unknown symbol?)", err))) break;
            ctx->res->rows++;
        }
    }
    return rc;
}

/* ---- eu_crm_2023.csv: results and the critical flag, which make the EU list ---- */
rmct_code ingest_eu_crm(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {
        {"material", true}, {"korea_element_or_group", true}, {"sr", true}, {"ei", true}, {"eol_rir", false}, {"ir", false},
        {"critical", true}, {"critical_note", false}, {"note", false}, {"source_sr_ei", true}, {"source_repo", false},
        {"source_path", false}, {"source_commit", false}, {"source_critical", true}, {"source_critical_url", false}};
    enum { E_MAT, E_KOR, E_SR, E_EI, E_EOL, E_IR, E_CRIT, E_CNOTE, E_NOTE, E_SRC, E_REPO, E_PATH, E_COMMIT, E_CSRC, E_CURL };
    int ix[15];
    rmct_code rc = ingest_header(ctx, spec, 15, ix, false, err);
    if (!rc) rc = ensure_list(ctx, 0, "EU-CRM-2023", "EU critical raw materials 2023", "EU", 2023, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *material, *kor = rmct_csv_get(ctx->csv, ix[E_KOR]);
        if ((rc = need(ctx, ix[E_MAT], "a material", &material, err))) break;
        double v[2];
        bool has[2];
        for (int k = 0; k < 2; k++) {
            const char *t = rmct_csv_get(ctx->csv, ix[E_SR + k]);
            has[k] = *t != '\0';
            if (has[k] && (!rmct_parse_double(t, false, &v[k]) || v[k] < 0)) {
                rc = rmct_csv_field_error(ctx->csv, ix[E_SR + k], err, "expected a non-negative number or empty, got \"%s\"", t);
                break;
            }
        }
        if (rc) break;
        long crit;
        if (!rmct_parse_long(rmct_csv_get(ctx->csv, ix[E_CRIT]), 0, 1, &crit)) {
            rc = rmct_csv_field_error(ctx->csv, ix[E_CRIT], err, "expected 0 or 1, got \"%s\"", rmct_csv_get(ctx->csv, ix[E_CRIT]));
            break;
        }
        rmct_metal m = {0};
        if (*kor && (rc = ingest_metal(ctx, ix[E_KOR], kor, &m, err))) break;
        int64_t cid, ccid;
        if ((rc = ingest_cite(ctx, rmct_csv_get(ctx->csv, ix[E_SRC]), NULL, &cid, err))) break;
        sqlite3_stmt *st;
        if ((rc = ingest_stmt(ctx, 1, "INSERT INTO assessment_result(assessor, year, material, type_code, sr, ei, critical, note, source_id, citation_id) "
                                      "VALUES ('EU', 2023, ?, nullif(?,''), ?, ?, ?, ?, ?, ?)", &st, err))) break;
        sqlite3_bind_text(st, 1, material, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, m.type_code, -1, SQLITE_TRANSIENT);
        if (has[0]) sqlite3_bind_double(st, 3, v[0]); else sqlite3_bind_null(st, 3);
        if (has[1]) sqlite3_bind_double(st, 4, v[1]); else sqlite3_bind_null(st, 4);
        sqlite3_bind_int(st, 5, (int)crit);
        sqlite3_bind_text(st, 6, rmct_csv_get(ctx->csv, ix[E_NOTE]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, ctx->source_id);
        sqlite3_bind_int64(st, 8, cid);
        if ((rc = ingest_step(ctx, st, ix[E_MAT], "assessment result", err))) break;
        ctx->res->rows++;
        if (!crit) continue;
        if ((rc = ingest_cite(ctx, rmct_csv_get(ctx->csv, ix[E_CSRC]), rmct_csv_get(ctx->csv, ix[E_CURL]), &ccid, err))) break;
        /* members: the elements of a group material, else the element itself, else a material */
        if ((rc = ingest_stmt(ctx, 2, "SELECT element FROM material_element WHERE material = ? ORDER BY element", &st, err))) break;
        sqlite3_bind_text(st, 1, material, -1, SQLITE_STATIC);
        char els[24][4];
        int n = 0;
        while (n < 24 && sqlite3_step(st) == SQLITE_ROW) rmct_db_column_text(st, 0, els[n++], 4);
        const char *cnote = rmct_csv_get(ctx->csv, ix[E_CNOTE]);
        if (n > 0) {
            for (int k = 0; k < n && !rc; k++)
                rc = add_member(ctx, 3, "EU-CRM-2023", material, n > 1 ? "group" : "element", els[k], cnote, ccid, ix[E_MAT], err);
        } else if (m.element[0]) {
            rc = add_member(ctx, 3, "EU-CRM-2023", material, "element", m.element, cnote, ccid, ix[E_MAT], err);
        } else {
            rc = add_member(ctx, 3, "EU-CRM-2023", material, "material", NULL, cnote, ccid, ix[E_MAT], err);
        }
    }
    return rc;
}
