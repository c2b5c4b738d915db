/* cmd_imports.c: where Korea's rare metals come from: `imports METAL` (partners, shares, trend,
 * exports, mirror check, look-through) and `dependence` (the 35 types ranked by import dependence).
 * Where no trade flows are loaded, reported facts are shown as facts and world production shares
 * as a proxy, labelled as such in every output. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lists.h"
#include "registry.h"
#include "supply.h"
#include "text.h"
#include "trade.h"
#include "views.h"

/* Mirror gaps above this are flagged: CIF/FOB valuation alone explains a few percent. */
#define MIRROR_GAP_FLAG 0.25

static const char *kind_label(const char *kind)
{
    return !strcmp(kind, "importer") ? "the reporter's declarations (UN Comtrade)" : "reconciled flows (CEPII BACI)";
}


/* Reported facts (trade_fact) for a type: printed, or counted when fp is NULL. */
static int print_facts(rmct_db *db, const char *type_code, const char *reporter, FILE *fp)
{
    sqlite3_stmt *st;
    rmct_error err;
    if (rmct_db_prepare(db, &st,
            "SELECT f.year, f.description, ifnull(coalesce(c.display_name, c.common_name, c.name), 'World'), f.value_usd, f.quantity,"
            " f.quantity_unit, f.share_pct, f.basis, ci.text, ci.url FROM trade_fact f LEFT JOIN country c ON c.iso3 = f.partner"
            " LEFT JOIN citation ci ON ci.id = f.citation_id WHERE f.type_code = ? AND f.reporter = ? AND f.flow = 'import'"
            " ORDER BY f.year DESC, f.description, f.share_pct DESC", &err))
        return 0;
    sqlite3_bind_text(st, 1, type_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, reporter, -1, SQLITE_STATIC);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        n++;
        if (!fp) continue;
        char what[96] = "";
        if (sqlite3_column_type(st, 6) != SQLITE_NULL) snprintf(what, sizeof what, "%.1f%% share", sqlite3_column_double(st, 6));
        else if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
            char q[32];
            out_fmt_num(q, sizeof q, sqlite3_column_double(st, 4), 0);
            snprintf(what, sizeof what, "%s %s", q, (const char *)sqlite3_column_text(st, 5));
        } else if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
            char q[32];
            out_fmt_num(q, sizeof q, sqlite3_column_double(st, 3), 0);
            snprintf(what, sizeof what, "USD %s", q);
        }
        fprintf(fp, "  %d  %-36.36s %-18.18s %-18s (%s)\n      %s%s%s\n", sqlite3_column_int(st, 0), sqlite3_column_text(st, 1),
                sqlite3_column_text(st, 2), what, sqlite3_column_text(st, 7), sqlite3_column_text(st, 8),
                sqlite3_column_bytes(st, 9) ? " " : "", sqlite3_column_bytes(st, 9) ? (const char *)sqlite3_column_text(st, 9) : "");
    }
    sqlite3_finalize(st);
    return n;
}

static void print_proxy(rmct_db *db, const char *type_code)
{
    rmct_overview_query q = {0, NULL, NULL, true};
    rmct_overview_row *rows;
    size_t n;
    rmct_error err;
    if (rmct_supply_overview(db, &q, &rows, &n, &err)) return;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rows[i].code, type_code) || !rows[i].has_data) continue;
        const rmct_series *s = &rows[i].headline;
        char hhi[32];
        out_fmt_num(hhi, sizeof hhi, s->conc.hhi, 0);
        printf("\nPROXY, not a measurement of Korea's imports: world %s production shares (%s %s): top producer %s %.1f%%, HHI %s.\n"
               "Load UN Comtrade or CEPII BACI files ('rmct import comtrade|baci') for Korea's actual partners.\n",
               s->stage, s->element[0] ? s->element : s->type_code, s->origin == RMCT_ORIGIN_SHARES ? s->period : "latest year",
               rows[i].top_name, 100 * s->conc.cr1, hhi);
    }
    free(rows);
}

static void print_year(const rmct_import_year *y, const char *el_label)
{
    out_table *t = out_new();
    out_col(t, "rank", "#");
    out_col(t, "partner", "partner");
    out_col(t, "iso3", "ISO");
    out_col(t, "value_usd", "value (USD)");
    out_col(t, "share_pct", "share %");
    out_col(t, "product_t", "product (t)");
    out_col(t, "contained_t", el_label);
    out_col(t, "mirror_usd", "partner says (USD)");
    out_col(t, "gap_pct", "gap %");
    for (size_t i = 0; i < y->n; i++) {
        const rmct_partner *p = &y->partners[i];
        out_row(t);
        out_int(t, (long)i + 1);
        out_text(t, p->name);
        out_text(t, p->iso3);
        out_num(t, p->value_usd, 0);
        out_num(t, 100 * p->share, 1);
        out_num(t, p->qty_t, p->qty_t < 10 ? 2 : 0);
        out_num(t, p->contained_t, p->contained_t < 10 ? 2 : 0);
        if (p->has_mirror) {
            out_num(t, p->mirror_value_usd, 0);
            double gap = (p->value_usd - p->mirror_value_usd) / fmax(p->value_usd, p->mirror_value_usd);
            out_textf(t, "%+.0f%s", 100 * gap, fabs(gap) > MIRROR_GAP_FLAG ? " GAP" : "");
        } else {
            out_null(t);
            out_null(t);
        }
    }
    out_print(t, OUT_TABLE, stdout);
    out_free(t);
}

out_table *view_import_flows(const rmct_import_year *years, size_t ny, int year)
{
    out_table *t = out_new();
    const char *cols[] = {"year", "source_kind", "partner", "iso3", "code", "value_usd", "share_pct", "product_t", "contained_t", "mirror_usd"};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) out_col(t, cols[i], cols[i]);
    for (size_t i = 0; i < ny; i++) {
        if (year && years[i].year != year) continue;
        for (size_t k = 0; k < years[i].n; k++) {
            const rmct_partner *p = &years[i].partners[k];
            out_row(t);
            out_int(t, years[i].year);
            out_text(t, years[i].kind);
            out_text(t, p->name);
            out_text(t, p->iso3);
            out_int(t, p->code);
            out_num(t, p->value_usd, 0);
            out_num(t, 100 * p->share, 3);
            out_num(t, p->qty_t, 3);
            out_num(t, p->contained_t, 3);
            if (p->has_mirror) out_num(t, p->mirror_value_usd, 0); else out_null(t);
        }
    }
    return t;
}

rmct_code view_import_facts(rmct_db *db, const char *type_code, const char *reporter, out_table **out, rmct_error *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
            "SELECT f.year, f.description, f.partner, ifnull(coalesce(c.display_name, c.common_name, c.name), 'World'), f.value_usd,"
            " f.quantity, f.quantity_unit, f.share_pct, f.basis, ci.text, ci.url FROM trade_fact f LEFT JOIN country c ON c.iso3 = f.partner"
            " LEFT JOIN citation ci ON ci.id = f.citation_id WHERE f.type_code = ? AND f.reporter = ? AND f.flow = 'import'"
            " ORDER BY f.year DESC, f.description, f.share_pct DESC", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, type_code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, reporter, -1, SQLITE_TRANSIENT);
    out_table *t = out_new();
    const char *cols[] = {"year", "description", "partner_iso3", "partner", "value_usd", "quantity", "quantity_unit", "share_pct",
                          "basis", "citation", "url"};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) out_col(t, cols[i], cols[i]);
    while (sqlite3_step(st) == SQLITE_ROW) {
        out_row(t);
        out_int(t, sqlite3_column_int(st, 0));
        for (int c = 1; c <= 10; c++) {
            if (sqlite3_column_type(st, c) == SQLITE_NULL) out_null(t);
            else if (c == 4 || c == 5 || c == 7) out_num(t, sqlite3_column_double(st, c), 3);
            else out_text(t, (const char *)sqlite3_column_text(st, c));
        }
    }
    sqlite3_finalize(st);
    *out = t;
    return RMCT_OK;
}

static int imports_run(cli_ctx *cli, rmct_db *db, const rmct_metal *m, const imports_opts *o)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_import_query q = {m->type_code, m->element[0] && strcmp(m->element, m->type_code) ? m->element : NULL, o->reporter, o->form, 0};
    rmct_import_year *years;
    size_t ny;
    if (rmct_imports_load(db, &q, &years, &ny, &err)) return cli_fail(&err);
    const rmct_import_year *cur = NULL;
    for (size_t i = 0; i < ny; i++)
        if (!o->year || years[i].year == o->year) cur = &years[i];
    char el_label[48];
    snprintf(el_label, sizeof el_label, "contained (t %s)", m->element[0] ? m->element : m->type_code);

    if (cli->format != OUT_TABLE) { /* one row per year and partner */
        out_table *t = view_import_flows(years, ny, o->year);
        out_print(t, cli->format, stdout);
        out_free(t);
        rmct_imports_free(years, ny);
        return 0;
    }

    printf("%s (%s): imports into %s%s%s\n", m->name, m->element[0] ? m->element : m->type_code, o->reporter,
           o->form ? ", form " : ", all forms", o->form ? o->form : "");
    if (!cur) {
        printf("\nNo trade flows of this metal into %s are loaded%s.\n", o->reporter, o->year ? " for that year" : "");
        int nf = print_facts(db, m->type_code, o->reporter, NULL);
        if (nf) {
            printf("\nReported facts (from the press and agencies citing customs data; not a full partner table):\n");
            print_facts(db, m->type_code, o->reporter, stdout);
        }
        print_proxy(db, m->type_code);
        rmct_imports_free(years, ny);
        return 0;
    }
    printf("\n%d, from %s:\n", cur->year, kind_label(cur->kind));
    print_year(cur, el_label);
    char v[32], c[32];
    out_fmt_num(v, sizeof v, cur->value_usd, 0);
    out_fmt_num(c, sizeof c, cur->contained_t, 1);
    printf("  Total: USD %s; %s t %s contained%s (%ld flows).\n", v, c, m->element[0] ? m->element : m->type_code,
           cur->contained_complete ? "" : " (incomplete: some products have no sourced content factor)", cur->flows);
    if (cur->n) {
        char hhi[32];
        out_fmt_num(hhi, sizeof hhi, cur->conc.hhi, 0);
        printf("  Concentration of partners: top %s %.1f%%, HHI %s (0-10,000); from China %.1f%%; from countries with\n"
               "  weak governance (mean of the six WGI estimates below 0) %.1f%%.\n",
               cur->partners[0].name, 100 * cur->conc.cr1, hhi, 100 * cur->china_share, 100 * cur->poor_governance_share);
    }
    char ev[32], net[32];
    out_fmt_num(ev, sizeof ev, cur->export_value_usd, 0);
    out_fmt_num(net, sizeof net, cur->value_usd - cur->export_value_usd, 0);
    printf("  Exports: USD %s; net imports USD %s.\n", ev, net);
    if (ny > 1) {
        printf("\nTrend:\n");
        out_table *t = out_new();
        const char *cols[][2] = {{"year", "year"}, {"value_usd", "value (USD)"}, {"contained_t", el_label}, {"top", "top partner"},
                                 {"top_pct", "top %"}, {"hhi", "HHI"}, {"kind", "source"}};
        for (size_t i = 0; i < 7; i++) out_col(t, cols[i][0], cols[i][1]);
        for (size_t i = 0; i < ny; i++) {
            out_row(t);
            out_int(t, years[i].year);
            out_num(t, years[i].value_usd, 0);
            out_num(t, years[i].contained_t, 1);
            out_text(t, years[i].n ? years[i].partners[0].name : "");
            out_num(t, 100 * years[i].conc.cr1, 1);
            out_num(t, years[i].conc.hhi, 0);
            out_text(t, years[i].kind);
        }
        out_print(t, OUT_TABLE, stdout);
        out_free(t);
    }
    if (o->look_through) {
        rmct_lookthrough lt;
        if (rmct_lookthrough_compute(db, &q, cur->year, &lt, &err)) {
            printf("\nLook-through: %s\n", err.msg);
        } else {
            printf("\nLook-through to producing countries, %d (%ld flows with tonnes; %ld without, left out; %d producers: %s):\n",
                   lt.year, lt.flows_used, lt.flows_without_tonnes, lt.producers, lt.production_note[0] ? lt.production_note : "none loaded");
            out_table *t = out_new();
            out_col(t, "origin", "country");
            out_col(t, "iso3", "ISO");
            out_col(t, "direct_pct", "direct %");
            out_col(t, "origin_pct", "by origin %");
            for (size_t i = 0; i < lt.n; i++) {
                out_row(t);
                out_text(t, lt.origins[i].name);
                out_text(t, lt.origins[i].iso3);
                out_num(t, 100 * lt.origins[i].direct_share, 1);
                out_num(t, 100 * lt.origins[i].origin_share, 1);
            }
            out_print(t, OUT_TABLE, stdout);
            out_free(t);
            printf("  Method: docs/TRADE.md (each country's supply = its production + its imports, mixed by origin;\n"
                   "  %d iterations, residual %.1e).\n", lt.iterations, lt.residual);
            rmct_lookthrough_free(&lt);
        }
    }
    printf("\nSources: 'rmct sources' lists the imported trade files; HS codes and content factors: data/hs_map.csv.\n");
    rmct_imports_free(years, ny);
    return 0;
}

static int parse_common(const char *cmd, int opt, const char *arg, imports_opts *o)
{
    enum { O_REPORTER = OPT__COMMON_END, O_YEAR, O_FORM, O_LOOK };
    long y;
    switch (opt) {
    case O_REPORTER: o->reporter = arg; return 0;
    case O_YEAR:
        if (!rmct_parse_long(arg, 1900, 2200, &y)) return cli_usage_error(cmd, "--year: expected a year, got \"%s\"", arg);
        o->year = (int)y;
        return 0;
    case O_FORM:
        if (strcmp(arg, "ore") && strcmp(arg, "compound") && strcmp(arg, "metal") && strcmp(arg, "scrap") && strcmp(arg, "semi") && strcmp(arg, "all"))
            return cli_usage_error(cmd, "--form: expected ore, compound, metal, scrap, semi or all, got \"%s\"", arg);
        o->form = strcmp(arg, "all") ? arg : NULL;
        return 0;
    case O_LOOK: o->look_through = true; return 0;
    default: return -1;
    }
}

#define IMPORTS_OPTIONS \
    {"reporter", required_argument, NULL, OPT__COMMON_END}, {"year", required_argument, NULL, OPT__COMMON_END + 1}, \
    {"form", required_argument, NULL, OPT__COMMON_END + 2}, {"look-through", no_argument, NULL, OPT__COMMON_END + 3}

/* Resolve the reporter to ISO3 (it must be a country). */
static int resolve_reporter(rmct_db *db, imports_opts *o, char iso3[4])
{
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_country_resolve(db, o->reporter, iso3, &err)) return cli_fail(&err);
    o->reporter = iso3;
    return 0;
}

int cmd_imports(cli_ctx *cli, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, IMPORTS_OPTIONS, {NULL, 0, NULL, 0}};
    imports_opts o = {"KOR", NULL, 0, false};
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        if ((r = parse_common("imports", opt, optarg, &o)) >= 0) {
            if (r) return r;
            continue;
        }
        if (opt == OPT_HELP) {
            printf("usage: rmct imports METAL [--reporter KOR] [--year Y] [--form ore|compound|metal|scrap|semi|all]\n"
                   "                    [--look-through] [--format table|csv|json]\n"
                   "\n"
                   "Imports of a metal into a country (Korea by default) from the loaded UN Comtrade or CEPII BACI\n"
                   "flows: by partner, value (USD), tonnes of product and of contained element (through the\n"
                   "content factors of data/hs_map.csv), shares, top-partner share, HHI of partners, the shares from\n"
                   "China and from weakly governed countries, the trend over the years loaded, exports and net\n"
                   "imports, and the mirror check: what each partner declares exporting against what the reporter\n"
                   "declares importing (gaps over 25%% flagged). Per year the reporter's own declarations are used\n"
                   "when loaded, else reconciled BACI flows. --look-through re-attributes the imports to producing\n"
                   "countries across the trade network (docs/TRADE.md). Without trade files: the reported facts in\n"
                   "data/korea_imports.csv and world production shares as a labelled proxy.\n");
            return 0;
        }
        return cli_usage_error("imports", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind >= argc) return cli_usage_error("imports", "expected a metal, e.g. 'rmct imports lithium'");
    if (optind + 1 < argc) return cli_usage_error("imports", "expected one metal, got also \"%s\"", argv[optind + 1]);
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    char iso3[4];
    rmct_metal m;
    rmct_error err;
    rmct_error_clear(&err);
    if ((rc = resolve_reporter(db, &o, iso3)) == 0) {
        if (rmct_metal_resolve(db, argv[optind], &m, &err)) rc = cli_fail(&err);
        else if (!m.type_code[0]) {
            rmct_error_set(&err, RMCT_E_NOTFOUND, "%s is not one of Korea's 35 rare-metal types", m.name);
            rc = cli_fail(&err);
        } else rc = imports_run(cli, db, &m, &o);
    }
    rmct_db_close(db);
    return rc;
}

/* ---------------- dependence ---------------- */

rmct_code view_dependence(rmct_db *db, const imports_opts *o, out_table **out, rmct_error *err)
{
    *out = NULL;
    rmct_overview_query oq = {0, NULL, NULL, true};
    rmct_overview_row *ov;
    size_t nov;
    rmct_code rc = rmct_supply_overview(db, &oq, &ov, &nov, err);
    if (rc) return rc;
    typedef struct {
        const rmct_overview_row *t;
        char basis[24];
        int year;
        double nir, hhi, top, china, poor, lt_china;
        bool has_nir, has_lt;
        char top_name[80], note[200];
    } dep;
    dep *d = calloc(nov ? nov : 1, sizeof *d);
    size_t *order = malloc((nov ? nov : 1) * sizeof *order);
    if (!d || !order) {
        free(d), free(order), free(ov);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < nov; i++) {
        dep *x = &d[i];
        x->t = &ov[i];
        x->nir = x->hhi = x->top = x->china = x->poor = x->lt_china = NAN;
        rmct_import_query q = {ov[i].code, NULL, o->reporter, o->form, o->year};
        rmct_import_year *years;
        size_t ny;
        if (rmct_imports_load(db, &q, &years, &ny, err) == RMCT_OK && ny > 0) {
            const rmct_import_year *y = &years[ny - 1];
            rmct_strlcpy(x->basis, !strcmp(y->kind, "importer") ? "trade: declared" : "trade: BACI", sizeof x->basis);
            x->year = y->year;
            x->hhi = y->conc.hhi;
            x->top = 100 * y->conc.cr1;
            x->china = 100 * y->china_share;
            x->poor = 100 * y->poor_governance_share;
            if (y->n) rmct_strlcpy(x->top_name, y->partners[0].name, sizeof x->top_name);
            /* the country's own production, contained tonnes, latest year */
            double prod = 0;
            bool has_prod = false;
            sqlite3_stmt *st;
            if (!rmct_db_prepare(db, &st, "SELECT sum(s.value * u.factor_t) FROM supply_stat s JOIN unit u ON u.text = s.unit"
                                          " WHERE s.type_code = ? AND s.country = ? AND s.measure = 'production' AND s.value IS NOT NULL"
                                          " AND s.year = (SELECT max(year) FROM supply_stat WHERE type_code = s.type_code AND country = s.country"
                                          " AND measure = 'production')", err)) {
                sqlite3_bind_text(st, 1, ov[i].code, -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 2, o->reporter, -1, SQLITE_STATIC);
                if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
                    prod = sqlite3_column_double(st, 0);
                    has_prod = true;
                }
                sqlite3_finalize(st);
            }
            double net = y->contained_t - y->export_contained_t;
            if (y->contained_complete && prod + net > 0) {
                x->nir = 100 * net / (prod + net);
                x->has_nir = true;
            } else if (!has_prod && y->value_usd > y->export_value_usd) {
                x->nir = 100; /* no domestic production: all net supply is imported, whatever the unit */
                x->has_nir = true;
            }
            snprintf(x->note, sizeof x->note, "%s%s", has_prod ? "" : "own production taken as 0 (none in the supply data)",
                     y->contained_complete ? "" : (has_prod ? "contained tonnes incomplete" : "; contained tonnes incomplete"));
            if (o->look_through) {
                rmct_lookthrough lt;
                if (rmct_lookthrough_compute(db, &q, y->year, &lt, err) == RMCT_OK) {
                    x->has_lt = true;
                    x->lt_china = 0;
                    for (size_t k = 0; k < lt.n; k++)
                        if (!strcmp(lt.origins[k].iso3, "CHN")) x->lt_china = 100 * lt.origins[k].origin_share;
                    rmct_lookthrough_free(&lt);
                }
            }
        } else {
            /* reported facts: China's share, latest year */
            sqlite3_stmt *st;
            if (!rmct_db_prepare(db, &st, "SELECT year, share_pct, description FROM trade_fact WHERE type_code = ? AND reporter = ?"
                                          " AND partner = 'CHN' AND share_pct IS NOT NULL ORDER BY year DESC LIMIT 1", err)) {
                sqlite3_bind_text(st, 1, ov[i].code, -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 2, o->reporter, -1, SQLITE_STATIC);
                if (sqlite3_step(st) == SQLITE_ROW) {
                    rmct_strlcpy(x->basis, "reported fact", sizeof x->basis);
                    x->year = sqlite3_column_int(st, 0);
                    x->china = sqlite3_column_double(st, 1);
                    snprintf(x->note, sizeof x->note, "China's share of imports (%s), data/korea_imports.csv", sqlite3_column_text(st, 2));
                }
                sqlite3_finalize(st);
            }
            if (!x->basis[0] && ov[i].has_data) {
                const rmct_series *s = &ov[i].headline;
                rmct_strlcpy(x->basis, "PROXY: world prod.", sizeof x->basis);
                x->year = s->origin == RMCT_ORIGIN_TONNES ? s->year : 0;
                x->hhi = s->conc.hhi;
                x->top = 100 * s->conc.cr1;
                rmct_strlcpy(x->top_name, ov[i].top_name, sizeof x->top_name);
                snprintf(x->note, sizeof x->note, "world production shares, not Korea's imports");
            }
            if (!x->basis[0]) {
                rmct_strlcpy(x->basis, "no data", sizeof x->basis);
                snprintf(x->note, sizeof x->note, "no trade flows, reported facts or production data");
            }
        }
        rmct_imports_free(years, ny);
    }
    out_table *t = out_new();
    const char *cols[][2] = {{"type", "type"}, {"name", "name"}, {"basis", "basis"}, {"year", "year"}, {"nir_pct", "NIR %"},
                             {"hhi", "HHI"}, {"top_partner", "top partner / producer"}, {"top_pct", "top %"},
                             {"china_pct", "China %"}, {"weak_governance_pct", "weak gov. %"}, {"china_lookthrough_pct", "China l-t %"},
                             {"note", "note"}};
    size_t ncols = sizeof cols / sizeof *cols;
    for (size_t c = 0; c < ncols; c++)
        if (o->look_through || strcmp(cols[c][0], "china_lookthrough_pct")) out_col(t, cols[c][0], cols[c][1]);
    /* measured first, then facts, proxies, nothing; within each, the most dependent first: by NIR,
       then the largest partner's (or producer's) share, then China's share */
    for (size_t i = 0; i < nov; i++) order[i] = i;
    for (size_t a = 1; a < nov; a++) /* insertion sort: 35 rows */
        for (size_t b = a; b > 0; b--) {
            const dep *x = &d[order[b - 1]], *y = &d[order[b]];
            double kx[3] = {x->nir, x->top, x->china}, ky[3] = {y->nir, y->top, y->china};
            int cmp = 0;
            for (int k = 0; k < 3 && !cmp; k++) {
                double u = isnan(kx[k]) ? -1 : kx[k], v = isnan(ky[k]) ? -1 : ky[k];
                cmp = u < v ? 1 : u > v ? -1 : 0;
            }
            if (cmp <= 0) break;
            size_t t2 = order[b - 1];
            order[b - 1] = order[b];
            order[b] = t2;
        }
    for (int pass = 0; pass < 4; pass++) {
        for (size_t r = 0; r < nov; r++) {
            dep *x = &d[order[r]];
            int p = !strncmp(x->basis, "trade", 5) ? 0 : !strcmp(x->basis, "reported fact") ? 1 : !strncmp(x->basis, "PROXY", 5) ? 2 : 3;
            if (p != pass) continue;
            out_row(t);
            out_text(t, x->t->code);
            out_text(t, x->t->name);
            out_text(t, x->basis);
            if (x->year) out_int(t, x->year); else out_text(t, x->t->headline.period);
            out_num(t, x->nir, 0);
            out_num(t, x->hhi, 0);
            out_text(t, x->top_name);
            out_num(t, x->top, 1);
            out_num(t, x->china, 1);
            out_num(t, x->poor, 1);
            if (o->look_through) out_num(t, x->lt_china, 1);
            out_text(t, x->note);
        }
    }
    free(order);
    free(d);
    free(ov);
    rmct_error_clear(err);
    *out = t;
    return RMCT_OK;
}

int cmd_dependence(cli_ctx *cli, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, IMPORTS_OPTIONS, {NULL, 0, NULL, 0}};
    imports_opts o = {"KOR", NULL, 0, false};
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        if ((r = parse_common("dependence", opt, optarg, &o)) >= 0) {
            if (r) return r;
            continue;
        }
        if (opt == OPT_HELP) {
            printf("usage: rmct dependence [--reporter KOR] [--year Y] [--look-through] [--format table|csv|json]\n"
                   "\n"
                   "The 35 rare-metal types ranked by a country's import dependence. Where trade flows are loaded\n"
                   "(UN Comtrade or CEPII BACI): net import reliance = (imports - exports) / (production + imports -\n"
                   "exports) in contained tonnes (production: the country's own rows in the supply data, else 0,\n"
                   "said so), partner HHI, the largest partner's share, China's share and the share from weakly\n"
                   "governed countries (mean WGI estimate below 0). --look-through gives China's share after\n"
                   "re-attributing intermediaries' deliveries to producing countries. Where no flows are loaded,\n"
                   "reported facts (data/korea_imports.csv) are shown as facts, and otherwise world production\n"
                   "shares as a PROXY, never as a measurement.\n");
            return 0;
        }
        return cli_usage_error("dependence", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error("dependence", "unexpected argument \"%s\"", argv[optind]);
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    char iso3[4];
    if ((rc = resolve_reporter(db, &o, iso3))) {
        rmct_db_close(db);
        return rc;
    }
    rmct_error err;
    rmct_error_clear(&err);
    out_table *t;
    if (view_dependence(db, &o, &t, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE)
        printf("\nImport dependence of %s. 'trade' rows are measured from loaded trade files; 'reported fact' rows show a\n"
               "single published figure; 'PROXY' rows show world production concentration, NOT %s's imports.\n"
               "NIR = net import reliance; HHI of partners (0-10,000); weak gov. = share from countries whose mean WGI\n"
               "estimate is below 0.\n", o.reporter, o.reporter);
    rmct_db_close(db);
    return 0;
}
