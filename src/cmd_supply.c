/* cmd_supply.c: the world supply picture: `supply` (the 35 types ranked by concentration) and
 * `show` (one page per metal). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lists.h"
#include "registry.h"
#include "supply.h"
#include "text.h"
#include "views.h"

/* Screening thresholds (docs/METHODS.md, "Concentration"): HHI above 2,500 is highly concentrated
 * under the 2010 US merger guidelines; one country above 50% of supply. */
#define DEFAULT_HHI_THRESHOLD 2500.0
#define DEFAULT_SHARE_THRESHOLD 50.0

typedef struct {
    int year;
    const char *stage;
    const char *edition;
} supply_filter;

/* Parse the options shared by supply and show; returns -1 (not one of them), 0 ok, or an exit code. */
static int filter_option(const char *cmd, supply_filter *f, int opt, const char *arg)
{
    enum { O_YEAR = OPT__COMMON_END, O_STAGE, O_EDITION };
    long y;
    switch (opt) {
    case O_YEAR:
        if (!rmct_parse_long(arg, 1800, 2200, &y)) return cli_usage_error(cmd, "--year: expected a year, got \"%s\"", arg);
        f->year = (int)y;
        return 0;
    case O_STAGE:
        if (strcmp(arg, "mine") && strcmp(arg, "refinery"))
            return cli_usage_error(cmd, "--stage: expected mine or refinery, got \"%s\"", arg);
        f->stage = arg;
        return 0;
    case O_EDITION: f->edition = arg; return 0;
    default: return -1;
    }
}

#define FILTER_OPTIONS \
    {"year", required_argument, NULL, OPT__COMMON_END}, {"stage", required_argument, NULL, OPT__COMMON_END + 1}, \
    {"edition", required_argument, NULL, OPT__COMMON_END + 2}

/* "Pt mine 2025e" / "Sr extraction, EU 2023 (2016-2020)" */
static void series_label(const rmct_series *s, char *buf, size_t size)
{
    const char *what = s->element[0] ? s->element : s->type_code;
    if (s->origin == RMCT_ORIGIN_SHARES)
        snprintf(buf, size, "%.60s %.20s, EU 2023 (%.15s avg)", s->commodity, s->stage_detail, s->period);
    else
        snprintf(buf, size, "%s %s %d%s", what, s->stage, s->year, s->estimated ? "e" : "");
}

static void source_label(rmct_db *db, const rmct_series *s, char *buf, size_t size)
{
    rmct_source src;
    rmct_error err;
    if (rmct_source_get(db, s->source_id, &src, &err) == RMCT_OK)
        snprintf(buf, size, "%.120s %.40s", src.publisher, src.edition);
    else
        snprintf(buf, size, "source %lld", (long long)s->source_id);
}

int cmd_supply(cli_ctx *cli, int argc, char **argv)
{
    enum { O_HHI = OPT__COMMON_END + 3, O_SHARE, O_NO_EU };
    static const struct option opts[] = {CLI_COMMON_OPTIONS, FILTER_OPTIONS,
                                         {"hhi-threshold", required_argument, NULL, O_HHI},
                                         {"share-threshold", required_argument, NULL, O_SHARE},
                                         {"no-eu", no_argument, NULL, O_NO_EU}, {NULL, 0, NULL, 0}};
    supply_filter f = {0, NULL, NULL};
    double hhi_thr = DEFAULT_HHI_THRESHOLD, share_thr = DEFAULT_SHARE_THRESHOLD;
    bool use_eu = true;
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        if ((r = filter_option("supply", &f, opt, optarg)) >= 0) {
            if (r) return r;
            continue;
        }
        if (opt == O_HHI || opt == O_SHARE) {
            double v;
            if (!rmct_parse_double(optarg, false, &v) || v < 0 || v > (opt == O_HHI ? 10000 : 100))
                return cli_usage_error("supply", "%s: expected a number in %s, got \"%s\"",
                                       opt == O_HHI ? "--hhi-threshold" : "--share-threshold", opt == O_HHI ? "0-10000" : "0-100", optarg);
            *(opt == O_HHI ? &hhi_thr : &share_thr) = v;
            continue;
        }
        if (opt == O_NO_EU) { use_eu = false; continue; }
        if (opt == OPT_HELP) {
            printf("usage: rmct supply [--year Y] [--stage mine|refinery] [--edition E] [--no-eu]\n"
                   "                   [--hhi-threshold N] [--share-threshold PCT] [--format table|csv|json]\n"
                   "\n"
                   "Korea's 35 rare-metal types ranked by how concentrated world supply is. For each type the\n"
                   "most concentrated production series of the latest year available (or --year) is shown:\n"
                   "top producer and its share, HHI (sum of squared percentage shares, 0-10,000), CR3 (share of\n"
                   "the three largest), number of producing countries and world production. Shares are of the\n"
                   "named countries plus 'Other countries'; 'Other countries' is not counted as one producer,\n"
                   "so the HHI is a lower bound where it is large. Types without tonnage data fall back to the\n"
                   "EU CRM 2023 published supply shares (2016-2020 averages; --no-eu to skip; not used with\n"
                   "--year or --edition, which ask for tonnages of one year or edition); types without any\n"
                   "data are listed as such, never dropped. MIXED flags series whose countries report\n"
                   "different products (boron): their shares are indicative only.\n"
                   "Flags: HHI above --hhi-threshold (default 2,500, 2010 US merger guidelines) and one\n"
                   "country above --share-threshold percent (default 50).\n");
            return 0;
        }
        return cli_usage_error("supply", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error("supply", "unexpected argument \"%s\"", argv[optind]);
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_overview_query q = {f.year, f.stage, f.edition, use_eu};
    out_table *t;
    supply_counts c;
    if (view_supply(db, &q, hhi_thr, share_thr, cli->format, &t, &c, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE) {
        printf("\n%zu of %zu types have supply data; %d flagged (HHI > %g or one country > %g%%); %zu without data.\n",
               c.with_data, c.types, c.flagged, hhi_thr, share_thr, c.types - c.with_data);
        printf("HHI: 0-10,000 over named countries; 'e' = estimated year; world = published world total, else the sum.\n"
               "Series from EU CRM 2023 are published shares averaged over 2016-2020, not tonnages.\n"
               "Per-metal detail and sources: rmct show METAL.\n");
    }
    rmct_db_close(db);
    return 0;
}

rmct_code view_supply(rmct_db *db, const rmct_overview_query *q, double hhi_thr, double share_thr, out_format format,
                      out_table **out, supply_counts *counts, rmct_error *err)
{
    *out = NULL;
    rmct_overview_row *rows;
    size_t n;
    rmct_code rc = rmct_supply_overview(db, q, &rows, &n, err);
    if (rc) return rc;
    /* rank: with data by HHI (highest first), then the rest in registry order */
    size_t *order = malloc((n ? n : 1) * sizeof *order), k = 0;
    if (!order) {
        free(rows);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        if (rows[i].has_data) order[k++] = i;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++)
            if (rows[order[j]].headline.conc.hhi > rows[order[i]].headline.conc.hhi) {
                size_t tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
    size_t with_data = k;
    for (size_t i = 0; i < n; i++)
        if (!rows[i].has_data) order[k++] = i;

    out_table *t = out_new();
    out_col(t, "rank", "#");
    out_col(t, "type", "type");
    out_col(t, "name", "name");
    out_col(t, "series", "series");
    out_col(t, "top_producer", "top producer");
    out_col(t, "top_share_pct", "top %");
    out_col(t, "hhi", "HHI");
    out_col(t, "cr3_pct", "CR3 %");
    out_col(t, "producers", "n");
    out_col(t, "world_t", "world (t)");
    out_col(t, "basis", "basis");
    out_col(t, "flags", "flags");
    out_col(t, "source", "source");
    int flagged = 0;
    for (size_t r = 0; r < n; r++) {
        const rmct_overview_row *row = &rows[order[r]];
        out_row(t);
        if (row->has_data) out_int(t, (long)r + 1); else out_null(t);
        out_text(t, row->code);
        out_text(t, row->name);
        if (!row->has_data) {
            out_textf(t, "no data: %s", row->why_none);
            for (int c = 0; c < 7; c++) out_null(t);
            out_text(t, format == OUT_TABLE ? "NO DATA" : "no_data");
            out_null(t);
            continue;
        }
        const rmct_series *s = &row->headline;
        char label[200], src[200], flags[64] = "", one[32];
        series_label(s, label, sizeof label);
        source_label(db, s, src, sizeof src);
        bool f_hhi = s->conc.hhi > hhi_thr, f_one = s->conc.cr1 * 100 > share_thr;
        snprintf(one, sizeof one, "ONE>%g%%", share_thr);
        bool mixed = strcmp(s->basis, "mixed") == 0;
        snprintf(flags, sizeof flags, "%s%s%s%s%s", f_hhi ? "HHI" : "", f_hhi && f_one ? " " : "", f_one ? one : "",
                 mixed && (f_hhi || f_one) ? " " : "", mixed ? "MIXED" : "");
        flagged += f_hhi || f_one;
        out_text(t, label);
        out_text(t, row->top_name);
        out_num(t, 100 * s->conc.cr1, 1);
        out_num(t, s->conc.hhi, 0);
        out_num(t, 100 * s->conc.cr3, 1);
        out_int(t, s->conc.n);
        if (s->origin == RMCT_ORIGIN_TONNES) out_num(t, s->has_world ? s->world_tonnes : s->denominator, 0);
        else out_null(t);
        out_text(t, s->origin == RMCT_ORIGIN_TONNES ? s->basis_label : "shares only");
        out_text(t, flags);
        out_text(t, src);
    }
    if (counts) {
        counts->types = n;
        counts->with_data = with_data;
        counts->flagged = flagged;
    }
    free(order);
    free(rows);
    *out = t;
    return RMCT_OK;
}

/* ---------------- show ---------------- */

typedef struct {
    int64_t source_id, citation_id;
} cite_ref;

typedef struct {
    cite_ref v[64];
    int n;
} cite_list;

/* Number of the reference for a series, adding it to the list. */
static int cite(cite_list *c, const rmct_series *s)
{
    for (int i = 0; i < c->n; i++)
        if (c->v[i].source_id == s->source_id && c->v[i].citation_id == s->citation_id) return i + 1;
    if (c->n == 64) return 0;
    c->v[c->n].source_id = s->source_id;
    c->v[c->n].citation_id = s->citation_id;
    return ++c->n;
}

/* The reserves series matching a production series (same element, latest year), or NULL. */
/* The reserves series for a production series: same element, the latest year not after the
 * production year (else the earliest after it). */
static const rmct_series *matching_reserves(const rmct_series *res, size_t nres, const rmct_series *prod)
{
    const rmct_series *best = NULL;
    for (size_t i = 0; i < nres; i++) {
        const rmct_series *r = &res[i];
        if (!(r->has_world || r->denominator > 0) || strcmp(r->element, prod->element)) continue;
        bool fits = r->year <= prod->year, best_fits = best && best->year <= prod->year;
        if (!best || (fits && (!best_fits || r->year > best->year)) || (!fits && !best_fits && r->year < best->year)) best = r;
    }
    return best;
}

static const rmct_supply_entry *find_country(const rmct_series *s, const char *iso3)
{
    if (!s) return NULL;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->entries[i].iso3, iso3) == 0) return &s->entries[i];
    return NULL;
}

/* Both series in the same basis; element metal and element content count as one. */
static bool same_basis(const rmct_series *a, const rmct_series *b)
{
    if (!a || !b) return false;
    const char *x = strcmp(a->basis, "metal") ? a->basis : "contained", *y = strcmp(b->basis, "metal") ? b->basis : "contained";
    return strcmp(x, y) == 0;
}

static double world_of(const rmct_series *s) { return s->has_world ? s->world_tonnes : s->denominator; }

static bool has_quantities(const rmct_series *s) { return s->conc.n > 0 || s->has_world || s->has_other; }

/* Latest-year series with quantities per element and stage (or the asked year). */
static bool is_current(const rmct_series *v, size_t n, size_t i, int year)
{
    if (!has_quantities(&v[i])) return false;
    if (year) return v[i].year == year;
    for (size_t j = 0; j < n; j++)
        if (!strcmp(v[j].element, v[i].element) && !strcmp(v[j].stage, v[i].stage) && v[j].year > v[i].year &&
            has_quantities(&v[j]))
            return false;
    return true;
}

/* Series that list producers without any quantity (USGS germanium): say so once per element/stage. */
static void print_unquantified(const rmct_series *v, size_t n, const rmct_series *prod, size_t nprod, cite_list *cites)
{
    for (size_t i = 0; i < n; i++) {
        const rmct_series *s = &v[i];
        if (has_quantities(s) || s->n == 0) continue;
        bool shown = false;
        for (size_t k = 0; k < nprod && !shown; k++) shown = !strcmp(prod[k].element, s->element) && !strcmp(prod[k].stage, s->stage);
        for (size_t k = 0; k < i && !shown; k++)
            shown = !has_quantities(&v[k]) && !strcmp(v[k].element, s->element) && !strcmp(v[k].stage, s->stage);
        if (shown) continue;
        printf("\n%s %s production, %d: the source names the producers but publishes no quantities (", s->commodity,
               s->stage, s->year);
        for (size_t k = 0; k < s->n; k++) printf("%s%s", k ? ", " : "", s->entries[k].name);
        printf(") [%d].\n", cite(cites, s));
    }
}

static void print_concentration(const rmct_series *s)
{
    if (s->conc.n == 0) {
        printf("  Concentration: no country values (all withheld or not available).\n");
        return;
    }
    const rmct_supply_entry *top = &s->entries[s->conc.top];
    char hhi[32];
    out_fmt_num(hhi, sizeof hhi, s->conc.hhi, 0);
    printf("  Concentration: top-1 %s %.1f%%, top-3 %.1f%%, HHI %s (%s), %d producing countries.\n", top->name,
           100 * s->conc.cr1, 100 * s->conc.cr3, hhi,
           s->conc.hhi > 2500 ? "highly concentrated: above 2,500"
                              : s->conc.hhi > 1500 ? "moderately concentrated: 1,500-2,500" : "unconcentrated: below 1,500",
           s->conc.n);
    if (s->has_other && s->other_tonnes > 0)
        printf("  'Other countries' (%.1f%%) are in the denominator but not counted as one producer: the HHI is a lower bound.\n",
               100 * s->other_tonnes / s->denominator);
    if (s->n_missing) {
        printf("  Left out, value not published: ");
        int k = 0;
        for (size_t i = 0; i < s->n; i++)
            if (!s->entries[i].has_value)
                printf("%s%s (%s)", k++ ? ", " : "", s->entries[i].name, s->entries[i].qualifier[0] ? s->entries[i].qualifier : "n/a");
        printf(".\n");
    }
    if (strcmp(s->basis, "mixed") == 0)
        printf("  Countries report different products here, so these shares are indicative only.\n");
}

static void print_production(rmct_db *db, const rmct_series *s, const rmct_series *res, cite_list *cites)
{
    (void)db;
    int ref = cite(cites, s);
    const char *what = s->element[0] ? s->element : s->type_code;
    printf("\nWorld %s production of %s (%s), %d%s, in %s  [%d]\n", s->stage, what, s->commodity, s->year,
           s->estimated ? " (estimated)" : "", s->basis_label, ref);
    if (s->stage_detail[0]) printf("  Table: %s\n", s->stage_detail);
    bool rp = same_basis(s, res);
    out_table *t = out_new();
    out_col(t, "rank", "#");
    out_col(t, "country", "country");
    out_col(t, "iso3", "ISO");
    out_col(t, "production_t", "production (t)");
    out_col(t, "share_pct", "share %");
    out_col(t, "reserves_t", res ? "reserves (t)" : "reserves");
    out_col(t, "rp_years", "R/P (years)");
    int rank = 0;
    for (size_t i = 0; i < s->n; i++) {
        const rmct_supply_entry *e = &s->entries[i];
        const rmct_supply_entry *r = find_country(res, e->iso3);
        out_row(t);
        if (e->has_value && e->tonnes > 0) out_int(t, ++rank); else out_null(t);
        out_text(t, e->name);
        out_text(t, e->iso3);
        if (e->has_value) out_num(t, e->tonnes, e->tonnes > 0 && e->tonnes < 10 ? 2 : 0); else out_text(t, e->qualifier);
        if (e->has_value) out_num(t, 100 * e->share, 1); else out_null(t);
        if (r && r->has_value) out_num(t, r->tonnes, 0); else out_text(t, r ? r->qualifier : "");
        if (rp && r && r->has_value && e->has_value && e->tonnes > 0) out_num(t, r->tonnes / e->tonnes, 0);
        else out_null(t);
    }
    if (s->has_other) {
        out_row(t);
        out_null(t);
        out_text(t, "Other countries");
        out_null(t);
        out_num(t, s->other_tonnes, 0);
        out_num(t, s->denominator > 0 ? 100 * s->other_tonnes / s->denominator : 0, 1);
        out_null(t);
        out_null(t);
    }
    out_row(t);
    out_null(t);
    out_text(t, "Sum (share denominator)");
    out_null(t);
    out_num(t, s->denominator, 0);
    out_num(t, 100, 1);
    if (res && res->has_world) out_num(t, res->world_tonnes, 0); else out_null(t);
    if (rp && res && res->has_world && s->denominator > 0) out_num(t, res->world_tonnes / world_of(s), 0); else out_null(t);
    if (s->has_world) {
        out_row(t);
        out_null(t);
        out_text(t, "World total as published");
        out_null(t);
        out_num(t, s->world_tonnes, 0);
        out_null(t);
        out_null(t);
        out_null(t);
    }
    out_print(t, OUT_TABLE, stdout);
    out_free(t);
    print_concentration(s);
    if (res) {
        int rref = cite(cites, res);
        char w[32];
        out_fmt_num(w, sizeof w, res->has_world ? res->world_tonnes : res->denominator, 0);
        printf("  Reserves (%d, %s) [%d]: %s %s t", res->year, res->basis_label, rref,
               res->has_world ? "world" : "sum of the countries reported,", w);
        if (rp && res->has_world && world_of(s) > 0) printf("; reserves-to-production %.0f years", res->world_tonnes / world_of(s));
        else if (!rp) printf("; R/P not computed: reserves in %s, production in %s", res->basis_label, s->basis_label);
        printf(".\n");
    }
}

static void print_trend(const rmct_series *v, size_t n, const char *element, const char *stage, cite_list *cites)
{
    out_table *t = out_new();
    out_col(t, "year", "year");
    out_col(t, "world_t", "world (t)");
    out_col(t, "change_pct", "change %");
    out_col(t, "top_producer", "top producer");
    out_col(t, "top_share_pct", "top %");
    out_col(t, "hhi", "HHI");
    out_col(t, "edition", "edition");
    out_col(t, "ref", "ref");
    int rows = 0;
    double prev = NAN;
    for (size_t i = 0; i < n; i++) {
        const rmct_series *s = &v[i];
        if (strcmp(s->element, element) || strcmp(s->stage, stage) || !has_quantities(s)) continue;
        out_row(t);
        rows++;
        out_textf(t, "%d%s", s->year, s->estimated ? "e" : "");
        double w = world_of(s);
        out_num(t, w, 0);
        if (isfinite(prev) && prev > 0) out_num(t, 100 * (w - prev) / prev, 1); else out_null(t);
        prev = w;
        if (s->conc.n) {
            out_text(t, s->entries[s->conc.top].name);
            out_num(t, 100 * s->conc.cr1, 1);
            out_num(t, s->conc.hhi, 0);
        } else {
            out_null(t);
            out_null(t);
            out_null(t);
        }
        out_text(t, s->edition);
        out_textf(t, "[%d]", cite(cites, s));
    }
    if (rows > 0) {
        printf("\nTrend, %s %s production (years available):\n", element[0] ? element : "all", stage);
        out_print(t, OUT_TABLE, stdout);
        /* editions that define the table differently make the years hard to compare: say so */
        const rmct_series *first = NULL;
        for (size_t i = 0; i < n; i++) {
            const rmct_series *s = &v[i];
            if (strcmp(s->element, element) || strcmp(s->stage, stage)) continue;
            if (!first) first = s;
            else if (strcmp(first->basis, s->basis)) {
                printf("  Note: the years are in different bases (%s: %s; %s: %s); compare them with care.\n",
                       first->edition, first->basis_label, s->edition, s->basis_label);
                break;
            }
        }
    }
    out_free(t);
}

static void print_shares(const rmct_series *v, size_t n, cite_list *cites)
{
    if (n == 0) return;
    printf("\nEU CRM 2023 published shares of global supply (averages 2016-2020) [%d]:\n", cite(cites, &v[0]));
    for (size_t i = 0; i < n; i++) {
        const rmct_series *s = &v[i];
        printf("  %-24s %-10s ", s->commodity, s->stage_detail);
        int shown = 0;
        for (size_t k = 0; k < s->n && shown < 3; k++)
            if (s->entries[k].has_value) printf("%s%s %.1f%%", shown++ ? ", " : "", s->entries[k].name, 100 * s->entries[k].share);
        char hhi[32];
        out_fmt_num(hhi, sizeof hhi, s->conc.hhi, 0);
        printf("%s (HHI %s, %d countries)\n", shown < s->conc.n ? ", ..." : "", hhi, s->conc.n);
    }
}

static void print_sources(rmct_db *db, const cite_list *c)
{
    printf("\nSources:%s\n", c->n ? "" : " none: no supply data for this metal is loaded (see 'rmct sources').");
    for (int i = 0; i < c->n; i++) {
        rmct_source src;
        rmct_error err;
        char text[1024] = "", url[512] = "";
        if (rmct_source_get(db, c->v[i].source_id, &src, &err)) continue;
        if (c->v[i].citation_id) rmct_citation_get(db, c->v[i].citation_id, text, sizeof text, url, sizeof url, &err);
        printf("  [%d] %s%s%s\n", i + 1, text[0] ? text : src.title, url[0] ? "\n      " : "", url);
        printf("      file %s (%s edition %s, SHA-256 %.12s..., imported %s)\n", src.file_name, src.dataset, src.edition,
               src.sha256, src.imported_at);
    }
}

/* JSON helpers */
static json_t *series_json(rmct_db *db, const rmct_series *s, const rmct_series *res)
{
    json_t *o = json_object();
    json_object_set_new(o, "element", json_string(s->element[0] ? s->element : s->type_code));
    json_object_set_new(o, "commodity", json_string(s->commodity));
    json_object_set_new(o, "stage", json_string(s->stage));
    json_object_set_new(o, "stage_detail", json_string(s->stage_detail));
    if (s->origin == RMCT_ORIGIN_TONNES) {
        json_object_set_new(o, "year", json_integer(s->year));
        json_object_set_new(o, "estimated", json_boolean(s->estimated));
        json_object_set_new(o, "basis", json_string(s->basis_label));
        json_object_set_new(o, "unit_as_published", json_string(s->unit));
        json_object_set_new(o, "sum_t", json_real(s->denominator));
        json_object_set_new(o, "other_countries_t", s->has_other ? json_real(s->other_tonnes) : json_null());
        json_object_set_new(o, "world_published_t", s->has_world ? json_real(s->world_tonnes) : json_null());
    } else {
        json_object_set_new(o, "period", json_string(s->period));
    }
    json_object_set_new(o, "hhi", json_real(s->conc.hhi));
    json_object_set_new(o, "cr1_pct", json_real(100 * s->conc.cr1));
    json_object_set_new(o, "cr3_pct", json_real(100 * s->conc.cr3));
    json_object_set_new(o, "producers", json_integer(s->conc.n));
    json_t *arr = json_array();
    for (size_t i = 0; i < s->n; i++) {
        const rmct_supply_entry *e = &s->entries[i];
        json_t *c = json_object();
        json_object_set_new(c, "country", json_string(e->name));
        json_object_set_new(c, "iso3", json_string(e->iso3));
        if (s->origin == RMCT_ORIGIN_TONNES) json_object_set_new(c, "production_t", e->has_value ? json_real(e->tonnes) : json_null());
        json_object_set_new(c, "share_pct", e->has_value ? json_real(100 * e->share) : json_null());
        if (e->qualifier[0]) json_object_set_new(c, "qualifier", json_string(e->qualifier));
        const rmct_supply_entry *r = find_country(res, e->iso3);
        if (res) json_object_set_new(c, "reserves_t", r && r->has_value ? json_real(r->tonnes) : json_null());
        json_array_append_new(arr, c);
    }
    json_object_set_new(o, "countries", arr);
    if (res) {
        json_object_set_new(o, "reserves_year", json_integer(res->year));
        json_object_set_new(o, "reserves_world_t", res->has_world ? json_real(res->world_tonnes) : json_null());
        json_object_set_new(o, "reserves_basis", json_string(res->basis_label));
        if (same_basis(s, res) && res->has_world && world_of(s) > 0)
            json_object_set_new(o, "rp_years", json_real(res->world_tonnes / world_of(s)));
    }
    rmct_source src;
    rmct_error err;
    char text[1024] = "", url[512] = "";
    if (rmct_source_get(db, s->source_id, &src, &err) == RMCT_OK) {
        if (s->citation_id) rmct_citation_get(db, s->citation_id, text, sizeof text, url, sizeof url, &err);
        json_t *so = json_object();
        json_object_set_new(so, "citation", json_string(text[0] ? text : src.title));
        json_object_set_new(so, "url", json_string(url));
        json_object_set_new(so, "file", json_string(src.file_name));
        json_object_set_new(so, "dataset", json_string(src.dataset));
        json_object_set_new(so, "edition", json_string(src.edition));
        json_object_set_new(so, "sha256", json_string(src.sha256));
        json_object_set_new(o, "source", so);
    }
    return o;
}

/* Everything the page of one metal shows. */
typedef struct {
    rmct_metal m;
    rmct_type_info type;
    rmct_element_info els[32];
    size_t nel;
    rmct_list_info *lists;
    size_t nl;
    bool is_member;           /* an element within a group type */
    rmct_series *all, *res, *shares;
    size_t nall, nres, nshares;
    rmct_series *prod;        /* the current series (shallow copies of `all`) */
    size_t nprod;
} show_page;

static void show_free(show_page *pg)
{
    free(pg->prod);
    rmct_series_free(pg->all, pg->nall);
    rmct_series_free(pg->res, pg->nres);
    rmct_series_free(pg->shares, pg->nshares);
    free(pg->lists);
    memset(pg, 0, sizeof *pg);
}

static rmct_code show_load(rmct_db *db, const char *metal, int year, const char *stage, const char *edition, show_page *pg,
                           rmct_error *err)
{
    memset(pg, 0, sizeof *pg);
    if (rmct_metal_resolve(db, metal, &pg->m, err)) goto fail;
    if (!pg->m.type_code[0]) {
        rmct_error_set(err, RMCT_E_NOTFOUND, "%s (%s) is not one of Korea's 35 rare-metal types; 'rmct lists' shows "
                       "which lists name it", pg->m.name, pg->m.element);
        goto fail;
    }
    if (rmct_lists_load(db, &pg->lists, &pg->nl, err) || rmct_type_get(db, pg->lists, pg->nl, pg->m.type_code, &pg->type, err) ||
        rmct_type_elements(db, pg->m.type_code, pg->els, &pg->nel, err))
        goto fail;
    pg->is_member = pg->m.element[0] && strcmp(pg->m.element, pg->m.type_code) != 0; /* an element within a group type */
    /* an element of a group: its own series, and the type's whole-group series */
    const char *el_filter = pg->is_member ? NULL : NULL;
    rmct_series_query q = {pg->m.type_code, el_filter, "production", stage, 0, edition};
    if (rmct_series_load(db, &q, &pg->all, &pg->nall, err)) goto fail;
    q.measure = "reserves";
    q.year = 0;
    if (rmct_series_load(db, &q, &pg->res, &pg->nres, err)) goto fail;
    if (!edition && rmct_share_series_load(db, pg->m.type_code, pg->is_member ? pg->m.element : NULL, stage, &pg->shares, &pg->nshares, err)) goto fail;
    /* keep the current series: latest year per element and stage, or --year */
    pg->prod = calloc(pg->nall ? pg->nall : 1, sizeof *pg->prod);
    if (!pg->prod) goto fail;
    for (size_t i = 0; i < pg->nall; i++) {
        if (pg->is_member && pg->all[i].element[0] && strcmp(pg->all[i].element, pg->m.element)) continue;
        if (is_current(pg->all, pg->nall, i, year)) pg->prod[pg->nprod++] = pg->all[i]; /* shallow: entries owned by `all` */
    }

    return RMCT_OK;
fail:
    if (!err->code) rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    show_free(pg);
    return err->code;
}

static json_t *show_json(rmct_db *db, const show_page *pg)
{
    rmct_metal m = pg->m;
    const rmct_type_info type = pg->type;
    const rmct_element_info *els = pg->els;
    size_t nel = pg->nel;
    const rmct_list_info *lists = pg->lists;
    size_t nl = pg->nl;
    const rmct_series *all = pg->all, *res = pg->res, *shares = pg->shares, *prod = pg->prod;
    size_t nall = pg->nall, nres = pg->nres, nshares = pg->nshares, nprod = pg->nprod;
    bool is_member = pg->is_member;
    rmct_error err;
    rmct_error_clear(&err);
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(is_member ? m.name : type.name));
        json_object_set_new(o, "code", json_string(is_member ? m.element : type.code));
        json_object_set_new(o, "type", json_string(type.code));
        json_object_set_new(o, "type_no", json_integer(type.no));
        json_object_set_new(o, "group", json_string(type.group_name));
        json_t *ea = json_array();
        for (size_t i = 0; i < nel; i++) {
            json_t *e = json_object();
            json_object_set_new(e, "symbol", json_string(els[i].symbol));
            json_object_set_new(e, "z", json_integer(els[i].z));
            json_object_set_new(e, "name", json_string(els[i].name));
            json_object_set_new(e, "atomic_weight", els[i].atomic_weight > 0 ? json_real(els[i].atomic_weight) : json_null());
            json_array_append_new(ea, e);
        }
        json_object_set_new(o, "elements", ea);
        json_t *la = json_array();
        int on_el[RMCT_MAX_LISTS];
        if (is_member) rmct_element_membership(db, lists, nl, m.element, on_el, &err);
        for (size_t j = 0; j < nl; j++) {
            json_t *l = json_object();
            json_object_set_new(l, "list", json_string(lists[j].short_name));
            json_object_set_new(l, "id", json_string(lists[j].id));
            json_object_set_new(l, "elements_on_list", json_integer(is_member ? on_el[j] : type.on_list[j]));
            json_object_set_new(l, "elements_of_type", json_integer(is_member ? 1 : type.n_elements));
            json_array_append_new(la, l);
        }
        json_object_set_new(o, "lists", la);
        json_t *pa = json_array();
        for (size_t i = 0; i < nprod; i++) json_array_append_new(pa, series_json(db, &prod[i], matching_reserves(res, nres, &prod[i])));
        json_object_set_new(o, "production", pa);
        json_t *ta = json_array();
        for (size_t i = 0; i < nall; i++) {
            if (is_member && all[i].element[0] && strcmp(all[i].element, m.element)) continue;
            json_t *y = json_object();
            json_object_set_new(y, "element", json_string(all[i].element[0] ? all[i].element : all[i].type_code));
            json_object_set_new(y, "stage", json_string(all[i].stage));
            json_object_set_new(y, "year", json_integer(all[i].year));
            json_object_set_new(y, "world_t", json_real(world_of(&all[i])));
            json_object_set_new(y, "hhi", json_real(all[i].conc.hhi));
            json_object_set_new(y, "cr1_pct", json_real(100 * all[i].conc.cr1));
            json_object_set_new(y, "edition", json_string(all[i].edition));
            json_array_append_new(ta, y);
        }
        json_object_set_new(o, "trend", ta);
        json_t *sa = json_array();
        for (size_t i = 0; i < nshares; i++) json_array_append_new(sa, series_json(db, &shares[i], NULL));
        json_object_set_new(o, "eu_2023_shares", sa);
    return o;
}

rmct_code view_show(rmct_db *db, const char *metal, int year, const char *stage, const char *edition, json_t **out,
                    rmct_error *err)
{
    show_page pg;
    rmct_code rc = show_load(db, metal, year, stage, edition, &pg, err);
    if (rc) return rc;
    *out = show_json(db, &pg);
    show_free(&pg);
    return RMCT_OK;
}

int cmd_show(cli_ctx *cli, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, FILTER_OPTIONS, {NULL, 0, NULL, 0}};
    supply_filter f = {0, NULL, NULL};
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        if ((r = filter_option("show", &f, opt, optarg)) >= 0) {
            if (r) return r;
            continue;
        }
        if (opt == OPT_HELP) {
            printf("usage: rmct show METAL [--year Y] [--stage mine|refinery] [--edition E] [--format table|csv|json]\n"
                   "\n"
                   "One page for a metal or rare-metal type, named by symbol (W), English name (tungsten), type\n"
                   "code (REE, PGM) or a publisher's name (columbium, rare earths), case-insensitively:\n"
                   "its elements, the national lists it is on, world production by country and stage for the\n"
                   "latest year (or --year) with shares, reserves and reserves-to-production years, top-1 and\n"
                   "top-3 shares, the HHI (0-10,000), the trend over the years available, the EU CRM 2023\n"
                   "published supply shares, and the sources at the bottom.\n"
                   "csv gives the country rows of the production tables; json gives the whole page.\n");
            return 0;
        }
        return cli_usage_error("show", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind >= argc) return cli_usage_error("show", "expected a metal, e.g. 'rmct show tungsten'");
    if (optind + 1 < argc) return cli_usage_error("show", "expected one metal, got also \"%s\"", argv[optind + 1]);
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    rmct_error err;
    rmct_error_clear(&err);
    show_page pgv, *pg = &pgv;
    if (show_load(db, argv[optind], f.year, f.stage, f.edition, pg, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    rmct_metal m = pg->m;
    const rmct_type_info type = pg->type;
    const rmct_element_info *els = pg->els;
    size_t nel = pg->nel;
    const rmct_list_info *lists = pg->lists;
    size_t nl = pg->nl;
    const rmct_series *all = pg->all, *res = pg->res, *shares = pg->shares, *prod = pg->prod;
    size_t nall = pg->nall, nres = pg->nres, nshares = pg->nshares, nprod = pg->nprod;
    bool is_member = pg->is_member;

    if (cli->format == OUT_JSON) {
        json_t *o = show_json(db, pg);
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        printf("\n");
        json_decref(o);
    } else if (cli->format == OUT_CSV) {
        out_table *t = out_new();
        const char *cols[] = {"element", "stage", "year", "estimated", "country", "iso3", "production_t", "share_pct",
                              "reserves_t", "basis", "source_file"};
        for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) out_col(t, cols[i], cols[i]);
        for (size_t i = 0; i < nprod; i++) {
            const rmct_series *s = &prod[i], *r = matching_reserves(res, nres, s);
            rmct_source src;
            rmct_source_get(db, s->source_id, &src, &err);
            for (size_t k = 0; k < s->n; k++) {
                const rmct_supply_entry *e = &s->entries[k], *re = find_country(r, e->iso3);
                out_row(t);
                out_text(t, s->element[0] ? s->element : s->type_code);
                out_text(t, s->stage);
                out_int(t, s->year);
                out_bool(t, e->estimated);
                out_text(t, e->name);
                out_text(t, e->iso3);
                if (e->has_value) out_num(t, e->tonnes, 0); else out_null(t);
                if (e->has_value) out_num(t, 100 * e->share, 3); else out_null(t);
                if (re && re->has_value) out_num(t, re->tonnes, 0); else out_null(t);
                out_text(t, s->basis_label);
                out_text(t, src.file_name);
            }
        }
        out_print(t, OUT_CSV, stdout);
        out_free(t);
    } else {
        int z = 0;
        for (size_t i = 0; i < nel; i++)
            if (!strcmp(els[i].symbol, m.element)) z = els[i].z;
        if (is_member)
            printf("%s (%s), Z %d - element of the Korean rare-metal type %s (%s, type %d of 35, group: %s)\n", m.name,
                   m.element, z, type.code, type.name, type.no, type.group_name);
        else
            printf("%s (%s) - Korean rare-metal type %d of 35, group: %s\n", type.name, type.code, type.no, type.group_name);
        printf("Elements (%zu):", nel);
        for (size_t i = 0; i < nel; i++) {
            if (nel <= 2) printf(" %s %s (Z %d, %.4g)", els[i].symbol, els[i].name, els[i].z, els[i].atomic_weight);
            else printf(" %s", els[i].symbol);
        }
        printf("\nOn lists:");
        int on_el[RMCT_MAX_LISTS];
        if (is_member) rmct_element_membership(db, lists, nl, m.element, on_el, &err);
        int shown = 0;
        for (size_t j = 0; j < nl; j++) {
            int on = is_member ? on_el[j] : type.on_list[j], of = is_member ? 1 : type.n_elements;
            if (!on) continue;
            if (on == of) printf("%s %s", shown++ ? "," : "", lists[j].short_name);
            else printf("%s %s (%d of %d elements)", shown++ ? "," : "", lists[j].short_name, on, of);
        }
        printf("%s\nNot on:", shown ? "" : " none");
        shown = 0;
        for (size_t j = 0; j < nl; j++)
            if (!(is_member ? on_el[j] : type.on_list[j])) printf("%s %s", shown++ ? "," : "", lists[j].short_name);
        printf("%s\n", shown ? "" : " -");
        cite_list cites = {.n = 0};
        if (nprod == 0)
            printf("\nNo production data by country in the loaded sources%s.\n",
                   nshares ? "; the EU CRM 2023 shares below are the only supply picture" : "");
        for (size_t i = 0; i < nprod; i++) print_production(db, &prod[i], matching_reserves(res, nres, &prod[i]), &cites);
        /* trend per element and stage with more than one year */
        for (size_t i = 0; i < nprod; i++) {
            int years = 0;
            for (size_t k = 0; k < nall; k++)
                years += !strcmp(all[k].element, prod[i].element) && !strcmp(all[k].stage, prod[i].stage) && has_quantities(&all[k]);
            if (years > 1) print_trend(all, nall, prod[i].element, prod[i].stage, &cites);
        }
        print_unquantified(all, nall, prod, nprod, &cites);
        print_shares(shares, nshares, &cites);
        print_sources(db, &cites);
    }
    show_free(pg);
    rmct_db_close(db);
    return 0;
}
