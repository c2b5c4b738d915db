/* ingest_critical.c: readers for published criticality inputs: the EU 2023 parameters per material
 * and stage (data/eu_crm_2023_parameters.csv, with the known defects of that file handled
 * explicitly and noted per row) and the EU end-use shares with sector value added
 * (data/eu_crm_2023_end_use_shares.csv). */
#include <stdio.h>
#include <string.h>

#include "ingest_internal.h"

static const char *get(ingest_ctx *ctx, int i) { return rmct_csv_get(ctx->csv, i); }

/* The metal a publisher's material name is about, if it is one of the 35 types. */
static void material_metal(ingest_ctx *ctx, const char *material, rmct_metal *m)
{
    rmct_error e;
    rmct_error_clear(&e);
    if (rmct_registry_metal(ctx->reg, material, m, &e) != RMCT_OK || !m->type_code[0]) memset(m, 0, sizeof *m);
}

static bool number(const char *text, double *v) { return *text && rmct_parse_double(text, false, v); }

rmct_code ingest_eu_params(ingest_ctx *ctx, rmct_error *err)
{
    enum { P_MAT, P_SR, P_EI, P_USED, P_STAGES, P_SCOPE_E, P_SR_E, P_SCOPE_P, P_SR_P, P_SI_EI, P_SI_SR, P_IR_E, P_IR_P, P_EOL,
           P_SRC, P_PUB, P_DATE, P__N };
    static const rmct_csv_colspec spec[P__N] = {
        {"material_name", true}, {"supply_risk", true}, {"economic_importance", true}, {"eu_used_stage", true},
        {"eu_stages", true}, {"eu_used_supply_primary", true}, {"supply_risk_primary", true}, {"eu_used_supply_refined", true},
        {"supply_risk_refined", true}, {"si_ei", true}, {"si_sr", true}, {"import_reliance_primary", true},
        {"import_reliance_refined", true}, {"end_of_life", true}, {"source_name", false}, {"publish_year", false},
        {"date_year", false}};
    int ix[P__N];
    rmct_code rc = ingest_header(ctx, spec, P__N, ix, false, err);
    char last_material[128] = "", last_row[2048] = "";
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *material = get(ctx, ix[P_MAT]);
        /* a row repeated word for word (Tungsten) is the same fact: kept once */
        char row[2048] = "";
        size_t len = 0;
        for (int k = 0; k < P__N && len < sizeof row; k++) len += (size_t)snprintf(row + len, sizeof row - len, "%s|", get(ctx, ix[k]));
        if (!strcmp(material, last_material)) {
            if (!strcmp(row, last_row)) continue;
            rc = rmct_csv_field_error(ctx->csv, ix[P_MAT], err, "expected one row per material, got \"%s\" twice with different values", material);
            break;
        }
        rmct_strlcpy(last_material, material, sizeof last_material);
        rmct_strlcpy(last_row, row, sizeof last_row);
        rmct_metal m;
        material_metal(ctx, material, &m);
        double headline = 0, ei = 0, si_ei = 0, si_sr = 0, eol = 0;
        bool has_headline = number(get(ctx, ix[P_SR]), &headline), has_ei = number(get(ctx, ix[P_EI]), &ei);
        bool has_si_ei = number(get(ctx, ix[P_SI_EI]), &si_ei), has_si_sr = number(get(ctx, ix[P_SI_SR]), &si_sr);
        bool has_eol = number(get(ctx, ix[P_EOL]), &eol);
        const char *stages = get(ctx, ix[P_STAGES]);
        for (int st = 0; st < 2 && !rc; st++) {
            bool extraction = st == 0;
            if (!strstr(stages, extraction ? "E" : "P")) continue;
            char scope[16], note[256] = "";
            rmct_strlcpy(scope, get(ctx, ix[extraction ? P_SCOPE_E : P_SCOPE_P]), sizeof scope);
            const char *sr_text = get(ctx, ix[extraction ? P_SR_E : P_SR_P]);
            double sr = 0, ir = 0;
            bool has_sr = number(sr_text, &sr);
            /* Known defect: five rows have the primary SR shifted one column right, into the refined
               scope column (Coking coal, Diatomite, Magnesite, Natural cork, Strontium). */
            double shifted;
            bool is_shifted = !*get(ctx, ix[P_SR_E]) && number(get(ctx, ix[P_SCOPE_P]), &shifted);
            if (is_shifted && extraction) {
                sr = shifted;
                has_sr = true;
                snprintf(note, sizeof note, "source row shifted: the extraction SR was read from the refined-scope column");
            } else if (is_shifted) {
                scope[0] = '\0';
                snprintf(note, sizeof note, "source row shifted: the processing scope is not stated");
            }
            if (!strcmp(scope, "EU")) { /* Molybdenum */
                rmct_strlcpy(scope, "EUonly", sizeof scope);
                snprintf(note, sizeof note, "scope written 'EU' in the source, read as EUonly");
            }
            if (*scope && strcmp(scope, "GS+EU") && strcmp(scope, "GSonly") && strcmp(scope, "EUonly")) {
                rc = rmct_csv_field_error(ctx->csv, ix[extraction ? P_SCOPE_E : P_SCOPE_P], err,
                                          "expected GS+EU, GSonly or EUonly, got \"%s\"", scope);
                break;
            }
            if (*sr_text && !has_sr && !(is_shifted && extraction))
                snprintf(note, sizeof note, "published SR \"%s\" is not a supply risk value; left empty", sr_text);
            const char *ir_text = get(ctx, ix[extraction ? P_IR_E : P_IR_P]);
            bool has_ir = number(ir_text, &ir);
            if (has_ir && (ir < 0 || ir > 100)) {
                rc = rmct_csv_field_error(ctx->csv, ix[extraction ? P_IR_E : P_IR_P], err, "expected an import reliance in percent, got \"%s\"", ir_text);
                break;
            }
            sqlite3_stmt *q;
            if ((rc = ingest_stmt(ctx, 0, "INSERT INTO crit_param(assessment, material, type_code, element, stage, scope, sr_published,"
                                          " sr_headline, ei_published, ir, eol_rir, si_sr, si_ei, used_stage, note, source_id, src_line)"
                                          " VALUES ('EU-2023', ?, nullif(?,''), nullif(?,''), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &q, err))) break;
            sqlite3_bind_text(q, 1, material, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, m.type_code, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(q, 3, m.element, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(q, 4, extraction ? "extraction" : "processing", -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 5, scope, -1, SQLITE_TRANSIENT);
            if (has_sr) sqlite3_bind_double(q, 6, sr); else sqlite3_bind_null(q, 6);
            if (has_headline) sqlite3_bind_double(q, 7, headline); else sqlite3_bind_null(q, 7);
            if (has_ei) sqlite3_bind_double(q, 8, ei); else sqlite3_bind_null(q, 8);
            if (has_ir) sqlite3_bind_double(q, 9, ir / 100); else sqlite3_bind_null(q, 9);
            if (has_eol) sqlite3_bind_double(q, 10, eol / 100); else sqlite3_bind_null(q, 10);
            if (has_si_sr) sqlite3_bind_double(q, 11, si_sr); else sqlite3_bind_null(q, 11);
            if (has_si_ei) sqlite3_bind_double(q, 12, si_ei); else sqlite3_bind_null(q, 12);
            sqlite3_bind_text(q, 13, get(ctx, ix[P_USED]), -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 14, note, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(q, 15, ctx->source_id);
            sqlite3_bind_int64(q, 16, rmct_csv_line(ctx->csv, 0));
            if ((rc = ingest_step(ctx, q, ix[P_MAT], "assessment parameter", err))) break;
            ctx->res->rows++;
        }
    }
    return rc;
}

rmct_code ingest_eu_end_use(ingest_ctx *ctx, rmct_error *err)
{
    enum { U_MAT, U_KOR, U_APP, U_SHARE, U_RAW, U_SECTOR, U_VA, U_NOTE, U_SRC, U_REPO, U_PATH, U_COMMIT, U__N };
    static const rmct_csv_colspec spec[U__N] = {
        {"material", true}, {"korea_element_or_group", true}, {"application", true}, {"share_pct", true}, {"share_raw", true},
        {"nace_sector", true}, {"va_million_eur", true}, {"note", false}, {"source", true}, {"source_repo", false},
        {"source_path", false}, {"source_commit", false}};
    int ix[U__N];
    rmct_code rc = ingest_header(ctx, spec, U__N, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        const char *material = get(ctx, ix[U_MAT]);
        rmct_metal m;
        material_metal(ctx, material, &m);
        double share = 0, va = 0;
        bool has_share = number(get(ctx, ix[U_SHARE]), &share), has_va = number(get(ctx, ix[U_VA]), &va);
        if (*get(ctx, ix[U_SHARE]) && (!has_share || share < 0 || share > 100)) {
            rc = rmct_csv_field_error(ctx->csv, ix[U_SHARE], err, "expected a share in percent, got \"%s\"", get(ctx, ix[U_SHARE]));
            break;
        }
        if (*get(ctx, ix[U_VA]) && (!has_va || va < 0)) {
            rc = rmct_csv_field_error(ctx->csv, ix[U_VA], err, "expected a value added in million EUR, got \"%s\"", get(ctx, ix[U_VA]));
            break;
        }
        int64_t cid;
        if ((rc = ingest_cite(ctx, get(ctx, ix[U_SRC]), NULL, &cid, err))) break;
        sqlite3_stmt *q;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO end_use(assessment, material, type_code, element, application, share_pct, sector,"
                                      " sector_va, note, source_id, citation_id, src_line)"
                                      " VALUES ('EU-2023', ?, nullif(?,''), nullif(?,''), ?, ?, ?, ?, ?, ?, ?, ?)", &q, err))) break;
        sqlite3_bind_text(q, 1, material, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, m.type_code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 3, m.element, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 4, get(ctx, ix[U_APP]), -1, SQLITE_STATIC);
        if (has_share) sqlite3_bind_double(q, 5, share); else sqlite3_bind_null(q, 5);
        sqlite3_bind_text(q, 6, get(ctx, ix[U_SECTOR]), -1, SQLITE_STATIC);
        if (has_va) sqlite3_bind_double(q, 7, va); else sqlite3_bind_null(q, 7);
        sqlite3_bind_text(q, 8, get(ctx, ix[U_NOTE]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 9, ctx->source_id);
        sqlite3_bind_int64(q, 10, cid);
        sqlite3_bind_int64(q, 11, rmct_csv_line(ctx->csv, 0));
        if ((rc = ingest_step(ctx, q, ix[U_MAT], "end-use share", err))) break;
        ctx->res->rows++;
    }
    return rc;
}

/* data/eu_material_names.csv: domain,alias,name,note,source */
rmct_code ingest_name_aliases(ingest_ctx *ctx, rmct_error *err)
{
    static const rmct_csv_colspec spec[] = {{"domain", true}, {"alias", true}, {"name", true}, {"note", false}, {"source", true}};
    int ix[5];
    rmct_code rc = ingest_header(ctx, spec, 5, ix, false, err);
    bool got;
    while (!rc && !(rc = ingest_next(ctx, &got, err)) && got) {
        for (int k = 0; k < 3 && !rc; k++)
            if (!*get(ctx, ix[k])) rc = rmct_csv_field_error(ctx->csv, ix[k], err, "expected a value, got an empty field");
        if (rc) break;
        int64_t cid;
        if ((rc = ingest_cite(ctx, get(ctx, ix[4]), NULL, &cid, err))) break;
        sqlite3_stmt *q;
        if ((rc = ingest_stmt(ctx, 0, "INSERT INTO name_alias(domain, alias, name, note, citation_id) VALUES (?,?,?,?,?)", &q, err))) break;
        for (int k = 0; k < 4; k++) sqlite3_bind_text(q, k + 1, get(ctx, ix[k]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 5, cid);
        if ((rc = ingest_step(ctx, q, ix[1], "name alias", err))) break;
        ctx->res->rows++;
    }
    return rc;
}
