/* cmd_assess.c: criticality assessment: `assess --reproduce-eu` (check against the EU's published
 * 2023 values). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "critical.h"
#include "text.h"

/* The window of the EU 2023 assessment (docs/METHODS.md: production and WGI averaged over 2016-2020). */
#define EU2023_WGI_FROM 2016
#define EU2023_WGI_TO 2020

static int reproduce_eu(cli_ctx *cli, rmct_db *db)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_eu_reproduction r;
    if (rmct_eu_reproduce(db, EU2023_WGI_FROM, EU2023_WGI_TO, &r, &err)) return cli_fail(&err);
    int computable = 0, within1 = 0, within2 = 0;
    for (size_t i = 0; i < r.n_sr; i++) {
        if (!r.sr[i].computable) continue;
        computable++;
        double d = fabs(r.sr[i].computed - r.sr[i].published);
        within1 += d <= 0.1 + 1e-9;
        within2 += d <= 0.2 + 1e-9;
    }
    int ei_computable = 0, ei1 = 0, ei2 = 0;
    for (size_t i = 0; i < r.n_ei; i++) {
        if (!r.ei[i].computable) continue;
        ei_computable++;
        double d = fabs(r.ei[i].computed - r.ei[i].published);
        ei1 += d <= 0.1 + 1e-9;
        ei2 += d <= 0.2 + 1e-9;
    }
    out_table *t = out_new();
    const char *cols[][2] = {{"material", "material"}, {"stage", "stage"}, {"scope", "scope"}, {"published", "published SR"},
                             {"computed", "computed SR"}, {"diff", "diff"}, {"hhi_global", "HHI_WGI,t GS"},
                             {"hhi_sourcing", "HHI_WGI,t EU"}, {"ir", "IR"}, {"eol_rir", "EoL-RIR"}, {"si_sr", "SI_SR"}, {"note", "note"}};
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) out_col(t, cols[c][0], cols[c][1]);
    for (size_t i = 0; i < r.n_sr; i++) {
        const rmct_eu_sr_check *c = &r.sr[i];
        out_row(t);
        out_text(t, c->material);
        out_text(t, c->stage);
        out_text(t, c->scope);
        out_num(t, c->published, 2);
        if (c->computable) {
            out_num(t, c->computed, 2);
            out_num(t, c->computed - c->published, 2);
            out_num(t, c->hhi_global, 2);
            out_num(t, c->hhi_sourcing, 2);
            out_num(t, c->ir, 2);
            out_num(t, c->eol_rir, 2);
            out_num(t, c->si_sr, 2);
        } else {
            for (int k = 0; k < 7; k++) out_null(t);
        }
        out_text(t, c->computable ? (fabs(c->computed - c->published) > 0.2 + 1e-9 ? (c->reason[0] ? c->reason : "not explained by the published inputs") : "")
                                  : c->reason);
    }
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE) {
        printf("\nEU 2023 supply risk per stage recomputed from the EU's published inputs (shares and trade factors,\n"
               "WGI mean of the six estimates averaged %d-%d, IR, EoL-RIR, SI_SR): %d of %zu published stages computable;\n"
               "%d (%.0f%%) within 0.1 and %d (%.0f%%) within 0.2 of the published value.\n",
               r.wgi_from, r.wgi_to, computable, r.n_sr, within1, computable ? 100.0 * within1 / computable : 0, within2,
               computable ? 100.0 * within2 / computable : 0);
        printf("Economic importance (end-use shares x sector value added x SI_EI / largest sector, %s, %.0f M EUR):\n"
               "%d of %zu computable; %d (%.0f%%) within 0.1 and %d (%.0f%%) within 0.2.\n",
               r.q_max_sector, r.q_max, ei_computable, r.n_ei, ei1, ei_computable ? 100.0 * ei1 / ei_computable : 0, ei2,
               ei_computable ? 100.0 * ei2 / ei_computable : 0);
        printf("Goals (at least 70%% within 0.1 and 80%% within 0.2): %s.\n",
               computable && within1 >= 0.7 * computable && within2 >= 0.8 * computable ? "met" : "NOT met");
        printf("Published values are rounded to one decimal and the EU sourcing appendix lists only shares of 1%% or\n"
               "more, so exact agreement is not expected; no parameter is tuned to close a gap (docs/CRITICALITY.md).\n");
        printf("\nStages outside 0.2:\n");
        for (size_t i = 0; i < r.n_sr; i++) {
            const rmct_eu_sr_check *c = &r.sr[i];
            if (!c->computable || fabs(c->computed - c->published) <= 0.2 + 1e-9) continue;
            printf("  %-16s %-10s published %.1f, computed %.2f: %s\n", c->material, c->stage, c->published, c->computed,
                   c->reason[0] ? c->reason : "not explained by the published inputs");
        }
    }
    rmct_eu_reproduction_free(&r);
    return 0;
}

int cmd_assess(cli_ctx *cli, int argc, char **argv)
{
    enum { O_REPRODUCE = OPT__COMMON_END };
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {"reproduce-eu", no_argument, NULL, O_REPRODUCE}, {NULL, 0, NULL, 0}};
    bool reproduce = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        if (opt == O_REPRODUCE) { reproduce = true; continue; }
        if (opt == OPT_HELP) {
            printf("usage: rmct assess --reproduce-eu [--format table|csv|json]\n"
                   "\n"
                   "--reproduce-eu  recompute the EU 2023 supply risk of every stage, and the economic importance, from\n"
                   "                the EU's own published inputs, and compare with the published values.\n");
            return 0;
        }
        return cli_usage_error("assess", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error("assess", "unexpected argument \"%s\"", argv[optind]);
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    rc = reproduce ? reproduce_eu(cli, db) : cli_usage_error("assess", "the Korean assessment is not built yet; use --reproduce-eu");
    rmct_db_close(db);
    return rc;
}
