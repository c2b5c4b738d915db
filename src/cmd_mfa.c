/* cmd_mfa.c: 'rmct mfa': dynamic stock models and the metal that comes back from products in use.
 *   mfa dsm       one stock model on a series file (ODYM's conventions, docs/MFA.md)
 *   mfa list      the bundled product systems
 *   mfa show      one system with every parameter's source or assumption
 *   mfa run       one system year by year: products in use, end of life, metal recovered
 *   mfa recycle   one metal over every system: recovered, capacity gap, recycled content, EoL-RIR */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "dsm.h"
#include "mfa.h"
#include "mfa_cli.h"
#include "sim_cli.h"
#include "text.h"

/* ---------------- shared ---------------- */

static void mfa_help(FILE *fp)
{
    fprintf(fp,
            "usage: rmct mfa dsm (--inflow FILE | --stock FILE) (--lifetime TYPE:PARAMS | --lifetimes FILE)\n"
            "                    [--initial-stock FILE] [--nic] [--first-year Y] [--cohorts] [--format F]\n"
            "       rmct mfa list\n"
            "       rmct mfa show SYSTEM\n"
            "       rmct mfa run SYSTEM [--years A-B] [--metal M] [WHAT-IF] [--sankey FILE [--year Y]]\n"
            "       rmct mfa recycle --metal M [--years A-B] [--systems A,B] [WHAT-IF] [--sankey FILE [--year Y]]\n"
            "\n"
            "Dynamic stock models of products in use in Korea and the metal that comes back from them\n"
            "(docs/MFA.md). Conventions are ODYM's (stocks at year end, survival at whole-year ages, outflow\n"
            "in the year of inflow counted); the log-normal takes the lifetime's own mean and sd.\n"
            "\n"
            "dsm: one model on a series file (one value per line, or year,value; a header line is allowed):\n"
            "  --inflow FILE        inflow-driven: the yearly inflow\n"
            "  --stock FILE         stock-driven: the stock at each year's end\n"
            "  --lifetime T:P       fixed:L, normal:MEAN,SD, foldednormal:MEAN,SD, lognormal:MEAN,SD,\n"
            "                       weibull:SHAPE,SCALE (years), the same for every cohort\n"
            "  --lifetimes FILE     one lifetime per cohort: CSV type,a,b (initial-stock cohorts first)\n"
            "  --initial-stock FILE stock at the end of the year before the first, by cohort, oldest first\n"
            "  --nic                stock-driven: ODYM's negative inflow correction (older cohorts release\n"
            "                       the excess stock instead of a negative inflow)\n"
            "  --first-year Y       the year of the first value (default 0, or the file's year column)\n"
            "  --cohorts            print stock and outflow by year and cohort instead of the totals\n"
            "Prints year,inflow,outflow,stock,stock_change (full double precision with --format csv).\n"
            "\n"
            "run / recycle: the bundled product systems (data/mfa/systems/*.json) and Korea's recycling\n"
            "capacity and demand (data/mfa/korea.json); every figure sourced or labelled an assumption.\n"
            "  --metal M            an element symbol (Co, Ni, Li, Mn, Nd, Pr, Dy, Tb)\n"
            "  --years A-B          the years shown (default 2025-2050)\n"
            "  --systems A,B        recycle: only these systems (default all; they share the capacity)\n"
            "  --sankey FILE        write a Sankey diagram (SVG) of the metal's flows in --year (default: B)\n"
            "WHAT-IF (the files are not changed):\n"
            "  --collection X       every system's collection rate, all years (0-1)\n"
            "  --capacity-growth G  yearly growth of every metal's domestic capacity after its last stated year\n"
            "  --demand-growth G    yearly growth of Korean demand\n");
}

static void mfa_dir(const cli_ctx *cli, char *buf, size_t size)
{
    const char *env = getenv("RMCT_MFA");
    if (env && *env) snprintf(buf, size, "%s", env);
    else snprintf(buf, size, "%s/mfa", cli->data_dir);
}

void mfa_data_free(mfa_data *d)
{
    for (int i = 0; i < d->n; i++) rmct_mfa_system_free(d->sys[i]);
    rmct_mfa_national_free(d->nat);
    memset(d, 0, sizeof *d);
}

int mfa_data_load(cli_ctx *cli, mfa_data *d)
{
    memset(d, 0, sizeof *d);
    rmct_error err;
    rmct_error_clear(&err);
    mfa_dir(cli, d->dir, sizeof d->dir);
    char sys_dir[700], nat_path[700];
    snprintf(sys_dir, sizeof sys_dir, "%s/systems", d->dir);
    snprintf(nat_path, sizeof nat_path, "%s/korea.json", d->dir);
    char **paths;
    int np;
    if (rmct_mfa_system_list(sys_dir, &paths, &np, &err)) return cli_fail(&err);
    int rc = 0;
    for (int i = 0; i < np && !rc; i++) {
        if (d->n == MFA_MAX_SYSTEMS) {
            fprintf(stderr, "rmct: %s: more than %d product systems; the rest are ignored\n", sys_dir, MFA_MAX_SYSTEMS);
            break;
        }
        if (rmct_mfa_system_load(paths[i], &d->sys[d->n], &err)) rc = cli_fail(&err);
        else {
            for (int k = 0; k < d->n; k++)
                if (!strcmp(d->sys[k]->name, d->sys[d->n]->name)) {
                    fprintf(stderr, "rmct: %s: system \"%s\" is also defined in %s\n", paths[i], d->sys[k]->name,
                            d->sys[k]->path);
                    rc = 1;
                }
            d->n++;
        }
    }
    rmct_chain_list_free(paths, np);
    if (!rc && d->n == 0) {
        fprintf(stderr, "rmct: no product systems (*.json) in %s\n", sys_dir);
        rc = 1;
    }
    if (!rc && rmct_mfa_national_load(nat_path, &d->nat, &err)) rc = cli_fail(&err);
    if (!rc) {
        /* demands taken from chains: load those chains (import partners are not needed) */
        const char *names[SIM_MAX_CHAINS];
        int nn = 0;
        for (int i = 0; i < d->nat->n_metals; i++) {
            const char *c = d->nat->metals[i].demand_chain;
            bool seen = !*c;
            for (int k = 0; k < nn && !seen; k++) seen = !strcmp(names[k], c);
            if (!seen && nn < SIM_MAX_CHAINS) names[nn++] = c;
        }
        if (nn) {
            sim_chains ch;
            rc = sim_chains_load(cli, NULL, names, nn, &ch);
            if (!rc) {
                if (rmct_mfa_national_resolve(d->nat, ch.v, ch.n, &err)) rc = cli_fail(&err);
                sim_chains_free(&ch);
            }
        }
    }
    if (rc) mfa_data_free(d);
    return rc;
}

static const rmct_mfa_system *find_system(const mfa_data *d, const char *name, int *index)
{
    for (int i = 0; i < d->n; i++)
        if (!strcmp(d->sys[i]->name, name)) {
            if (index) *index = i;
            return d->sys[i];
        }
    return NULL;
}

static bool parse_years(const char *s, int *a, int *b)
{
    char buf[32];
    rmct_strlcpy(buf, s, sizeof buf);
    char *dash = strchr(buf, '-');
    long x, y;
    if (!dash) {
        if (!rmct_parse_long(buf, 1800, 2200, &x)) return false;
        *a = *b = (int)x;
        return true;
    }
    *dash = 0;
    if (!rmct_parse_long(buf, 1800, 2200, &x) || !rmct_parse_long(dash + 1, 1800, 2200, &y) || y < x) return false;
    *a = (int)x;
    *b = (int)y;
    return true;
}

/* ---------------- mfa dsm ---------------- */

static int read_lifetimes(const char *path, rmct_lifetime **out, int *n)
{
    rmct_error err;
    rmct_error_clear(&err);
    *out = NULL;
    *n = 0;
    rmct_csv *csv;
    if (rmct_csv_open(&csv, path, NULL, &err)) return cli_fail(&err);
    static const rmct_csv_colspec spec[] = {{"type", true}, {"a", true}, {"b", false}};
    int idx[3];
    int rc = 0, cap = 0;
    bool got;
    if (rmct_csv_header(csv, spec, 3, idx, false, &err)) rc = cli_fail(&err);
    while (!rc && !rmct_csv_next(csv, &got, &err) && got) {
        char spec_s[200], what[600];
        const char *b = idx[2] >= 0 ? rmct_csv_get(csv, idx[2]) : "";
        if (*b) snprintf(spec_s, sizeof spec_s, "%s:%s,%s", rmct_csv_get(csv, idx[0]), rmct_csv_get(csv, idx[1]), b);
        else snprintf(spec_s, sizeof spec_s, "%s:%s", rmct_csv_get(csv, idx[0]), rmct_csv_get(csv, idx[1]));
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            rmct_lifetime *p = realloc(*out, (size_t)cap * sizeof *p);
            if (!p) {
                fprintf(stderr, "rmct: out of memory\n");
                rc = 1;
                break;
            }
            *out = p;
        }
        snprintf(what, sizeof what, "%s:%ld", path, rmct_csv_line(csv, 0));
        if (rmct_lifetime_parse(spec_s, what, &(*out)[*n], &err)) {
            err.code = RMCT_E_INPUT;
            rc = cli_fail(&err);
            break;
        }
        (*n)++;
    }
    if (!rc && err.code) rc = cli_fail(&err);
    if (!rc && *n == 0) {
        fprintf(stderr, "rmct: %s: expected one lifetime per cohort, got none\n", path);
        rc = 1;
    }
    rmct_csv_close(csv);
    if (rc) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

static void print_num17(double v) { printf("%.17g", v); }

static int mfa_dsm(cli_ctx *cli, int argc, char **argv)
{
    enum { O_INFLOW = OPT__COMMON_END, O_STOCK, O_LIFETIME, O_LIFETIMES, O_INIT, O_NIC, O_FIRST, O_COHORTS };
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS, {"inflow", required_argument, NULL, O_INFLOW}, {"stock", required_argument, NULL, O_STOCK},
        {"lifetime", required_argument, NULL, O_LIFETIME}, {"lifetimes", required_argument, NULL, O_LIFETIMES},
        {"initial-stock", required_argument, NULL, O_INIT}, {"nic", no_argument, NULL, O_NIC},
        {"first-year", required_argument, NULL, O_FIRST}, {"cohorts", no_argument, NULL, O_COHORTS}, {NULL, 0, NULL, 0}};
    const char *inflow = NULL, *stock = NULL, *ltspec = NULL, *ltfile = NULL, *initfile = NULL;
    bool nic = false, cohorts = false, first_given = false;
    long first = 0;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        switch (opt) {
        case O_INFLOW: inflow = optarg; break;
        case O_STOCK: stock = optarg; break;
        case O_LIFETIME: ltspec = optarg; break;
        case O_LIFETIMES: ltfile = optarg; break;
        case O_INIT: initfile = optarg; break;
        case O_NIC: nic = true; break;
        case O_COHORTS: cohorts = true; break;
        case O_FIRST:
            if (!rmct_parse_long(optarg, -100000, 100000, &first))
                return cli_usage_error("mfa dsm", "--first-year: expected a year, got \"%s\"", optarg);
            first_given = true;
            break;
        case OPT_HELP:
        case 'h': mfa_help(stdout); return 0;
        default: return cli_usage_error("mfa dsm", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("mfa dsm", "unexpected argument \"%s\"", argv[optind]);
    if (!inflow == !stock) return cli_usage_error("mfa dsm", "expected exactly one of --inflow FILE or --stock FILE");
    if (!ltspec == !ltfile) return cli_usage_error("mfa dsm", "expected exactly one of --lifetime TYPE:PARAMS or --lifetimes FILE");
    if (nic && inflow) return cli_usage_error("mfa dsm", "--nic applies to stock-driven models (--stock)");
    rmct_error err;
    rmct_error_clear(&err);
    rmct_lifetime one, *lt = &one;
    int n_lt = 1;
    if (ltspec && rmct_lifetime_parse(ltspec, "--lifetime", &one, &err)) return cli_fail(&err);
    if (ltfile && read_lifetimes(ltfile, &lt, &n_lt)) return 1;
    double *series = NULL, *init = NULL;
    int n = 0, n_hist = 0, year0 = 0, init_year = 0;
    int rc = 0;
    const char *path = inflow ? inflow : stock;
    if (rmct_series_read(path, (int)first, true, &series, &n, &year0, &err)) rc = cli_fail(&err);
    if (!rc && first_given) year0 = (int)first;
    /* a year far outside what a year column may hold marks a file without one */
    if (!rc && initfile && rmct_series_read(initfile, -1000000, true, &init, &n_hist, &init_year, &err)) rc = cli_fail(&err);
    if (!rc && init && init_year != -1000000 && init_year + n_hist != year0) {
        fprintf(stderr, "rmct: %s: expected cohorts ending in %d (the year before the first of %s), got %d-%d\n", initfile,
                year0 - 1, path, init_year, init_year + n_hist - 1);
        rc = 1;
    }
    if (!rc && n_lt != 1 && n_lt != n_hist + n) {
        fprintf(stderr, "rmct: %s: expected %d lifetimes (one per cohort: %d of the initial stock + %d years of %s), got %d\n",
                ltfile, n_hist + n, n_hist, n, path, n_lt);
        rc = 1;
    }
    int N = n_hist + n;
    double *in = NULL, *out = NULL, *st = NULL, *ds = NULL, *s_c = NULL, *o_c = NULL;
    rmct_dsm_info info;
    if (!rc) {
        in = calloc((size_t)n, sizeof *in), out = calloc((size_t)n, sizeof *out), st = calloc((size_t)n, sizeof *st),
        ds = calloc((size_t)n, sizeof *ds);
        if (cohorts) s_c = calloc((size_t)n * N, sizeof *s_c), o_c = calloc((size_t)n * N, sizeof *o_c);
        if (!in || !out || !st || !ds || (cohorts && (!s_c || !o_c))) {
            fprintf(stderr, "rmct: out of memory\n");
            rc = 1;
        }
    }
    if (!rc) {
        rmct_dsm_opts o = {n, lt, n_lt, n_hist, init, nic, NULL, s_c, o_c};
        rmct_code c;
        if (inflow) {
            memcpy(in, series, (size_t)n * sizeof *in);
            c = rmct_dsm_inflow_driven(&o, series, out, st, ds, &info, &err);
        } else
            c = rmct_dsm_stock_driven(&o, series, in, out, ds, st, &info, &err);
        if (c) {
            /* the series and lifetimes were read fine: name the input that the model refused */
            char msg[sizeof err.msg];
            snprintf(msg, sizeof msg, "%s", err.msg);
            const char *file = strstr(msg, "initial stock") == msg ? initfile : strstr(msg, "lifetime") ? (ltfile ? ltfile : "--lifetime") : path;
            rmct_error_set(&err, RMCT_E_INPUT, "%s: %s", file, msg);
            rc = cli_fail(&err);
        }
    }
    if (!rc) {
        if (cohorts) {
            out_table *t = out_new();
            out_col(t, "year", "year");
            out_col(t, "cohort", "cohort");
            out_col(t, "stock", "stock");
            out_col(t, "outflow", "outflow");
            int c0 = year0 - n_hist;
            if (cli->format == OUT_CSV) printf("year,cohort,stock,outflow\n");
            for (int y = 0; y < n; y++)
                for (int c = 0; c < N; c++) {
                    double sv = s_c[(size_t)y * N + c], ov = o_c[(size_t)y * N + c];
                    if (sv == 0 && ov == 0) continue;
                    if (cli->format == OUT_CSV) {
                        printf("%d,%d,", year0 + y, c0 + c);
                        print_num17(sv);
                        putchar(',');
                        print_num17(ov);
                        putchar('\n');
                        continue;
                    }
                    out_row(t);
                    out_int(t, year0 + y);
                    out_int(t, c0 + c);
                    out_num(t, sv, 3);
                    out_num(t, ov, 3);
                }
            if (cli->format != OUT_CSV) out_print(t, cli->format, stdout);
            out_free(t);
        } else if (cli->format == OUT_CSV) {
            printf("year,inflow,outflow,stock,stock_change\n");
            for (int y = 0; y < n; y++) {
                printf("%d,", year0 + y);
                print_num17(in[y]), putchar(','), print_num17(out[y]), putchar(','), print_num17(st[y]), putchar(',');
                print_num17(ds[y]), putchar('\n');
            }
        } else if (cli->format == OUT_JSON) {
            printf("[");
            for (int y = 0; y < n; y++) {
                printf("%s\n  {\"year\": %d, \"inflow\": %.17g, \"outflow\": %.17g, \"stock\": %.17g, \"stock_change\": %.17g}",
                       y ? "," : "", year0 + y, in[y], out[y], st[y], ds[y]);
            }
            printf("\n]\n");
        } else {
            out_table *t = out_new();
            const char *cols[][2] = {{"year", "year"}, {"inflow", "inflow"}, {"outflow", "outflow"}, {"stock", "stock (year end)"},
                                     {"stock_change", "stock change"}};
            for (int k = 0; k < 5; k++) out_col(t, cols[k][0], cols[k][1]);
            for (int y = 0; y < n; y++) {
                out_row(t);
                out_int(t, year0 + y);
                out_num(t, in[y], 3);
                out_num(t, out[y], 3);
                out_num(t, st[y], 3);
                out_num(t, ds[y], 3);
            }
            out_print(t, cli->format, stdout);
            out_free(t);
            char b[64];
            if (ltfile) snprintf(b, sizeof b, "per cohort from %s", ltfile);
            else rmct_lifetime_format(&one, b, sizeof b);
            printf("\n%s-driven model, %d years, lifetime %s", inflow ? "Inflow" : "Stock", n, b);
            if (!ltfile) printf(" (expected %.4g years)", rmct_lifetime_mean(&one));
            if (n_hist) printf(", initial stock of %d cohorts", n_hist);
            printf(". ODYM's conventions (docs/MFA.md).\n");
        }
        if (info.negative_years)
            fprintf(stderr,
                    "rmct: note: %d year%s with a negative inflow (first %d): the stock falls faster than the lifetime lets "
                    "products leave; --nic releases the excess from older cohorts instead\n",
                    info.negative_years, info.negative_years == 1 ? "" : "s", year0 + info.first_negative);
        if (info.corrected_years)
            fprintf(stderr, "rmct: note: %d year%s where older cohorts released excess stock (--nic; first %d)\n",
                    info.corrected_years, info.corrected_years == 1 ? "" : "s", year0 + info.first_negative);
        if (info.unmet_years)
            fprintf(stderr, "rmct: note: %d year%s whose stock could not be held: the lifetime leaves nothing at the end of "
                            "the year of inflow\n",
                    info.unmet_years, info.unmet_years == 1 ? "" : "s");
    }
    free(series), free(init), free(in), free(out), free(st), free(ds), free(s_c), free(o_c);
    if (lt != &one) free(lt);
    return rc;
}

/* ---------------- mfa list / show ---------------- */

static int count_assumed(const rmct_mfa_param_ref *p, int n)
{
    int a = 0;
    for (int i = 0; i < n; i++) a += p[i].p->assumption;
    return a;
}

static int mfa_list(cli_ctx *cli)
{
    mfa_data d;
    if (mfa_data_load(cli, &d)) return 1;
    out_table *t = out_new();
    const char *cols[][2] = {{"system", "system"}, {"version", "version"}, {"model", "model"}, {"unit", "unit"},
                             {"years", "years"}, {"lifetime", "lifetime"}, {"metals", "metals"},
                             {"parameters", "parameters"}, {"assumptions", "of which assumptions"}, {"title", "title"}};
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) out_col(t, cols[k][0], cols[k][1]);
    static rmct_mfa_param_ref refs[4000];
    for (int i = 0; i < d.n; i++) {
        const rmct_mfa_system *s = d.sys[i];
        int np = rmct_mfa_system_params(s, refs, 4000);
        if (np > 4000) np = 4000;
        char metals[128] = "", lt[64];
        for (int m = 0; m < s->n_metals; m++) {
            if (m) strncat(metals, " ", sizeof metals - strlen(metals) - 1);
            strncat(metals, s->metals[m], sizeof metals - strlen(metals) - 1);
        }
        rmct_lifetime_format(&s->lifetime, lt, sizeof lt);
        out_row(t);
        out_text(t, s->name);
        out_int(t, s->version);
        out_text(t, s->stock_driven ? "stock" : "inflow");
        out_text(t, s->unit);
        out_textf(t, "%d-%d", s->first_year, s->last_year);
        out_text(t, lt);
        out_text(t, metals);
        out_int(t, np);
        out_int(t, count_assumed(refs, np));
        out_text(t, s->title);
    }
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE) {
        int np = rmct_mfa_national_params(d.nat, refs, 4000);
        printf("\nKorea's capacity and demand per metal: %s (%d parameters, %d assumptions).\n"
               "Every parameter with its source or assumption: 'rmct mfa show SYSTEM'.\n",
               d.nat->path, np, count_assumed(refs, np < 4000 ? np : 4000));
    }
    mfa_data_free(&d);
    return 0;
}

static void param_line(const rmct_mfa_param_ref *r)
{
    char v[48], f[140];
    double x = r->p->value;
    int decimals = fabs(x) >= 100 || x == floor(x) ? 0 : 4;
    if (x != 0 && fabs(x) < 0.001) decimals = 2 - (int)floor(log10(fabs(x))); /* 3 significant digits: 0.000141 kg/TV */
    out_fmt_num(v, sizeof v, x, decimals);
    if (r->year > 0) snprintf(f, sizeof f, "%s [%d]", r->field, r->year);
    else if (r->year < 0) snprintf(f, sizeof f, "%s [growth]", r->field);
    else snprintf(f, sizeof f, "%s", r->field);
    printf("  %-44s %12s %-18.18s %s%s\n", f, v, r->p->unit, r->p->assumption ? "ASSUMPTION: " : "", r->p->basis);
}

static int mfa_show(cli_ctx *cli, const char *name)
{
    mfa_data d;
    if (mfa_data_load(cli, &d)) return 1;
    const rmct_mfa_system *s = find_system(&d, name, NULL);
    if (!s) {
        fprintf(stderr, "rmct: no product system named \"%s\" (see 'rmct mfa list')\n", name);
        mfa_data_free(&d);
        return 1;
    }
    static rmct_mfa_param_ref refs[4000];
    int np = rmct_mfa_system_params(s, refs, 4000);
    if (np > 4000) np = 4000;
    if (cli->format != OUT_TABLE) {
        out_table *t = out_new();
        const char *cols[][2] = {{"field", "field"}, {"year", "year"}, {"value", "value"}, {"unit", "unit"},
                                 {"basis_kind", "basis kind"}, {"basis", "source or assumption"}};
        for (int k = 0; k < 6; k++) out_col(t, cols[k][0], cols[k][1]);
        for (int i = 0; i < np; i++) {
            out_row(t);
            out_text(t, refs[i].field);
            if (refs[i].year > 0) out_int(t, refs[i].year);
            else out_text(t, refs[i].year < 0 ? "growth" : "");
            out_num(t, refs[i].p->value, 6);
            out_text(t, refs[i].p->unit);
            out_text(t, refs[i].p->assumption ? "ASSUMPTION" : "source");
            out_text(t, refs[i].p->basis);
        }
        out_print(t, cli->format, stdout);
        out_free(t);
    } else {
        char lt[64];
        rmct_lifetime_format(&s->lifetime, lt, sizeof lt);
        printf("%s (version %d): %s\n", s->name, s->version, s->title);
        printf("File %s, SHA-256 %.16s...; %d parameters, %d of them assumptions.\n", s->path, s->sha256, np,
               count_assumed(refs, np));
        if (s->description[0]) printf("%s\n", s->description);
        printf("\n%s-driven model in %s (series in %s), %d-%d; lifetime %s (expected %.3g years)%s.\n",
               s->stock_driven ? "Stock" : "Inflow", s->unit, s->series_unit, s->first_year, s->last_year, lt,
               rmct_lifetime_mean(&s->lifetime), s->n_hist ? "; initial stock by cohort" : "");
        printf("Years between points are interpolated linearly; after the last point a series grows by its growth\n"
               "parameter, or is held flat.\n\n");
        for (int i = 0; i < np; i++) param_line(&refs[i]);
    }
    mfa_data_free(&d);
    return 0;
}

/* ---------------- run / recycle ---------------- */

typedef struct {
    int y0, y1;
    bool years_given;
    const char *metal, *sankey, *systems;
    int sankey_year;
    rmct_mfa_whatif wi;
} mfa_opts;

static int parse_common(const char *cmd, int argc, char **argv, cli_ctx *cli, mfa_opts *o, const char **name)
{
    enum { O_YEARS = OPT__COMMON_END, O_METAL, O_SANKEY, O_YEAR, O_COLL, O_CAPG, O_DEMG, O_SYSTEMS };
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"years", required_argument, NULL, O_YEARS},
                                         {"metal", required_argument, NULL, O_METAL},
                                         {"sankey", required_argument, NULL, O_SANKEY},
                                         {"year", required_argument, NULL, O_YEAR},
                                         {"collection", required_argument, NULL, O_COLL},
                                         {"capacity-growth", required_argument, NULL, O_CAPG},
                                         {"demand-growth", required_argument, NULL, O_DEMG},
                                         {"systems", required_argument, NULL, O_SYSTEMS},
                                         {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->y0 = 2025;
    o->y1 = 2050;
    o->wi = (rmct_mfa_whatif){NAN, NAN, NAN};
    int opt;
    long v;
    double d;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        switch (opt) {
        case O_YEARS:
            if (!parse_years(optarg, &o->y0, &o->y1))
                return cli_usage_error(cmd, "--years: expected A-B (e.g. 2025-2050) or one year, got \"%s\"", optarg);
            o->years_given = true;
            break;
        case O_METAL: o->metal = optarg; break;
        case O_SANKEY: o->sankey = optarg; break;
        case O_SYSTEMS: o->systems = optarg; break;
        case O_YEAR:
            if (!rmct_parse_long(optarg, 1800, 2200, &v)) return cli_usage_error(cmd, "--year: expected a year, got \"%s\"", optarg);
            o->sankey_year = (int)v;
            break;
        case O_COLL:
            if (!rmct_parse_double(optarg, false, &d) || d < 0 || d > 1)
                return cli_usage_error(cmd, "--collection: expected a fraction from 0 to 1, got \"%s\"", optarg);
            o->wi.collection = d;
            break;
        case O_CAPG: case O_DEMG:
            if (!rmct_parse_double(optarg, false, &d) || d < -0.5 || d > 2)
                return cli_usage_error(cmd, "%s: expected a yearly growth from -0.5 to 2 (0.15 = 15 %%), got \"%s\"",
                                       opt == O_CAPG ? "--capacity-growth" : "--demand-growth", optarg);
            *(opt == O_CAPG ? &o->wi.capacity_growth : &o->wi.demand_growth) = d;
            break;
        case OPT_HELP:
        case 'h': mfa_help(stdout); return -1;
        default: return cli_usage_error(cmd, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (name) {
        if (optind >= argc) return cli_usage_error(cmd, "expected a system name (see 'rmct mfa list')");
        *name = argv[optind++];
    }
    if (optind < argc) return cli_usage_error(cmd, "unexpected argument \"%s\"", argv[optind]);
    if (o->sankey_year && !o->sankey) return cli_usage_error(cmd, "--year goes with --sankey FILE");
    if (o->systems && name) return cli_usage_error(cmd, "--systems is for 'mfa recycle'");
    if (!o->sankey_year) o->sankey_year = o->y1;
    return 0;
}

static void whatif_note(const mfa_opts *o)
{
    if (!isnan(o->wi.collection)) printf("WHAT-IF: collection %.3g for every system and year (the files say otherwise).\n", o->wi.collection);
    if (!isnan(o->wi.capacity_growth))
        printf("WHAT-IF: domestic capacity grows %.3g%% a year after its last stated year.\n", 100 * o->wi.capacity_growth);
    if (!isnan(o->wi.demand_growth)) printf("WHAT-IF: Korean demand grows %.3g%% a year.\n", 100 * o->wi.demand_growth);
}

static int write_sankey(const mfa_opts *o, const rmct_mfa_result *r, int system, int m, const char *title)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_mfa_flows f;
    if (!rmct_mfa_year_flows(r, system, m, o->sankey_year, &f)) {
        fprintf(stderr, "rmct: --year %d: outside the modelled years %d-%d\n", o->sankey_year, r->first_year,
                r->first_year + r->n_years - 1);
        return 1;
    }
    char t[200], sub[300];
    snprintf(t, sizeof t, "%s: %s flows in %d (t)", title, r->metals[m], o->sankey_year);
    snprintf(sub, sizeof sub, "rmct mfa: every figure sourced or labelled an assumption ('rmct mfa show SYSTEM')%s",
             !isnan(o->wi.collection) || !isnan(o->wi.capacity_growth) || !isnan(o->wi.demand_growth)
                 ? "; WHAT-IF settings applied"
                 : "");
    if (mfa_svg_sankey(o->sankey, t, sub, &f, &err)) return cli_fail(&err);
    fprintf(stderr, "wrote %s\n", o->sankey);
    return 0;
}

static int check_years(const mfa_opts *o, const rmct_mfa_result *r)
{
    int last = r->first_year + r->n_years - 1;
    if (o->y0 < r->first_year || o->y1 > last) {
        fprintf(stderr, "rmct: --years %d-%d: expected years within the modelled %d-%d\n", o->y0, o->y1, r->first_year, last);
        return 1;
    }
    return 0;
}

static int mfa_run_cmd(cli_ctx *cli, int argc, char **argv)
{
    mfa_opts o;
    const char *name;
    int rc = parse_common("mfa run", argc, argv, cli, &o, &name);
    if (rc) return rc < 0 ? 0 : rc;
    mfa_data d;
    if (mfa_data_load(cli, &d)) return 1;
    int si;
    const rmct_mfa_system *s = find_system(&d, name, &si);
    if (!s) {
        fprintf(stderr, "rmct: no product system named \"%s\" (see 'rmct mfa list')\n", name);
        mfa_data_free(&d);
        return 1;
    }
    if (!o.years_given) o.y0 = s->first_year, o.y1 = s->last_year, o.sankey_year = o.sankey_year ? o.sankey_year : o.y1;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_mfa_result *r;
    if (rmct_mfa_run(d.sys, d.n, d.nat, &o.wi, &r, &err)) {
        mfa_data_free(&d);
        return cli_fail(&err);
    }
    rc = check_years(&o, r);
    int only = -1;
    if (!rc && o.metal) {
        only = rmct_mfa_metal_index(r, o.metal);
        bool in_sys = false;
        for (int m = 0; only >= 0 && m < s->n_metals; m++) in_sys |= !strcmp(s->metals[m], r->metals[only]);
        if (!in_sys) {
            fprintf(stderr, "rmct: --metal %s: not a metal of %s (its metals:", o.metal, s->name);
            for (int m = 0; m < s->n_metals; m++) fprintf(stderr, " %s", s->metals[m]);
            fprintf(stderr, ")\n");
            rc = EXIT_USAGE;
        }
    }
    if (!rc) {
        out_table *t = out_new();
        const char *cols[][2] = {{"year", "year"},
                                 {"metal", "metal"},
                                 {"product_inflow", "put in use"},
                                 {"product_outflow", "leaving use"},
                                 {"product_stock", "in use"},
                                 {"inflow_t", "metal in (t)"},
                                 {"in_use_t", "in use (t)"},
                                 {"eol_t", "end of life (t)"},
                                 {"collected_t", "collected (t)"},
                                 {"recoverable_eol_t", "recoverable EoL (t)"},
                                 {"new_scrap_t", "mfg scrap (t)"},
                                 {"recoverable_new_t", "recoverable scrap (t)"},
                                 {"recovered_t", "recovered (t)"}};
        for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) out_col(t, cols[k][0], cols[k][1]);
        int M = r->n_metals, Y = r->n_years;
        for (int year = o.y0; year <= o.y1; year++) {
            int y = year - r->first_year;
            if (year < s->first_year || year > s->last_year) continue;
            for (int mi = 0; mi < s->n_metals; mi++) {
                int m = rmct_mfa_metal_index(r, s->metals[mi]);
                if (only >= 0 && m != only) continue;
                size_t i = ((size_t)si * M + m) * Y + y;
                out_row(t);
                out_int(t, year);
                out_text(t, r->metals[m]);
                out_num(t, r->p_inflow[si * Y + y], 0);
                out_num(t, r->p_outflow[si * Y + y], 0);
                out_num(t, r->p_stock[si * Y + y], 0);
                out_num(t, r->inflow[i], 1);
                out_num(t, r->in_use[i], 1);
                out_num(t, r->eol[i], 1);
                out_num(t, r->collected[i], 1);
                out_num(t, r->recoverable_eol[i], 1);
                out_num(t, r->new_scrap[i], 1);
                out_num(t, r->recoverable_new[i], 1);
                out_num(t, r->recovered_eol[i] + r->recovered_new[i], 1);
            }
        }
        if (cli->format == OUT_TABLE) {
            char lt[64];
            rmct_lifetime_format(&s->lifetime, lt, sizeof lt);
            printf("%s: %s\n%s-driven, products in %s, lifetime %s; metal in tonnes. 'recovered' is this system's share\n"
                   "of Korea's domestic capacity (shared with the other systems in proportion to what each could deliver).\n",
                   s->name, s->title, s->stock_driven ? "Stock" : "Inflow", s->unit, lt);
            whatif_note(&o);
            printf("\n");
        }
        out_print(t, cli->format, stdout);
        out_free(t);
        if (cli->format == OUT_TABLE) {
            static rmct_mfa_param_ref refs[4000];
            int np = rmct_mfa_system_params(s, refs, 4000);
            printf("\n%d parameters, %d of them assumptions: 'rmct mfa show %s' lists each with its source.\n", np,
                   count_assumed(refs, np < 4000 ? np : 4000), s->name);
            if (r->negative_years[si])
                printf("Note: %d years with a negative inflow (the stock falls faster than the lifetime lets products leave).\n",
                       r->negative_years[si]);
        }
        if (o.sankey) {
            int m = only >= 0 ? only : rmct_mfa_metal_index(r, s->metals[0]);
            rc = write_sankey(&o, r, si, m, s->name);
        }
    }
    rmct_mfa_result_free(r);
    mfa_data_free(&d);
    return rc;
}

/* The sources and assumptions behind one metal: every system parameter that bears on it, then the
 * national capacity and demand. */
static void list_bases(const mfa_data *d, const char *metal)
{
    static rmct_mfa_param_ref refs[4000];
    printf("\nSources and assumptions behind %s (ASSUMPTION marks a figure without a source):\n", metal);
    for (int i = 0; i < d->n; i++) {
        const rmct_mfa_system *s = d->sys[i];
        bool has = false;
        for (int m = 0; m < s->n_metals; m++) has |= !strcmp(s->metals[m], metal);
        if (!has) continue;
        int np = rmct_mfa_system_params(s, refs, 4000);
        if (np > 4000) np = 4000;
        const char *base = strrchr(s->path, '/');
        printf(" %s (systems/%s):\n", s->name, base ? base + 1 : s->path);
        for (int k = 0; k < np; k++) {
            const char *f = refs[k].field;
            /* other metals' contents and yields do not bear on this one */
            const char *dot = strrchr(f, '.');
            bool metal_field = strstr(f, ".content.") || strstr(f, "recovery.");
            if (metal_field && dot && strcmp(dot + 1, metal)) continue;
            param_line(&refs[k]);
        }
    }
    for (int i = 0; i < d->nat->n_metals; i++) {
        const rmct_mfa_metal *x = &d->nat->metals[i];
        if (strcmp(x->metal, metal)) continue;
        printf(" Korea (korea.json):\n");
        rmct_mfa_param_ref one[64];
        int k = 0;
        if (x->capacity.given) {
            for (int p = 0; p < x->capacity.n_points && k < 64; p++)
                one[k++] = (rmct_mfa_param_ref){x->capacity.where, x->capacity.years[p], &x->capacity.points[p]};
            if (x->capacity.n_points == 0) one[k++] = (rmct_mfa_param_ref){x->capacity.where, 0, &x->capacity.constant};
            if (x->capacity.growth.given && k < 64) one[k++] = (rmct_mfa_param_ref){x->capacity.where, -1, &x->capacity.growth};
        }
        for (int p = 0; p < k; p++) param_line(&one[p]);
        if (!x->capacity.given) printf("  %-44s %12s %-18s %s\n", "capacity", "none", "", "no domestic recovery capacity for this metal in the data");
        if (x->demand_chain[0]) {
            printf("  %-44s %12.0f %-18s %s\n", "demand", x->chain_demand, "t/yr", x->demand_basis);
            rmct_mfa_param_ref g = {x->demand.where, -1, &x->demand_growth};
            param_line(&g);
        } else if (x->demand.given) {
            k = 0;
            for (int p = 0; p < x->demand.n_points && k < 64; p++)
                one[k++] = (rmct_mfa_param_ref){x->demand.where, x->demand.years[p], &x->demand.points[p]};
            for (int p = 0; p < k; p++) param_line(&one[p]);
        }
    }
}

/* --systems A,B: keep only these systems (the others are freed), in the order of the directory. */
static int keep_systems(mfa_data *d, const char *list)
{
    char buf[512];
    rmct_strlcpy(buf, list, sizeof buf);
    bool keep[MFA_MAX_SYSTEMS] = {false};
    char *save = NULL;
    for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        int i;
        if (!find_system(d, rmct_trim(p), &i)) {
            fprintf(stderr, "rmct: --systems: no product system named \"%s\" (see 'rmct mfa list')\n", p);
            return 1;
        }
        keep[i] = true;
    }
    int k = 0;
    for (int i = 0; i < d->n; i++) {
        if (keep[i]) d->sys[k++] = d->sys[i];
        else rmct_mfa_system_free(d->sys[i]);
    }
    d->n = k;
    if (!k) fprintf(stderr, "rmct: --systems: expected system names (see 'rmct mfa list'), got \"%s\"\n", list);
    return k ? 0 : 1;
}

static int mfa_recycle(cli_ctx *cli, int argc, char **argv)
{
    mfa_opts o;
    int rc = parse_common("mfa recycle", argc, argv, cli, &o, NULL);
    if (rc) return rc < 0 ? 0 : rc;
    if (!o.metal) return cli_usage_error("mfa recycle", "expected --metal M (an element symbol: Co, Ni, Li, ...)");
    mfa_data d;
    if (mfa_data_load(cli, &d)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    if (o.systems && keep_systems(&d, o.systems)) {
        mfa_data_free(&d);
        return EXIT_USAGE;
    }
    rmct_mfa_result *r;
    if (rmct_mfa_run(d.sys, d.n, d.nat, &o.wi, &r, &err)) {
        mfa_data_free(&d);
        return cli_fail(&err);
    }
    int m = rmct_mfa_metal_index(r, o.metal);
    if (m < 0) {
        fprintf(stderr, "rmct: --metal %s: no product system contains it (modelled:", o.metal);
        for (int k = 0; k < r->n_metals; k++) fprintf(stderr, " %s", r->metals[k]);
        fprintf(stderr, ")\n");
        rc = EXIT_USAGE;
    }
    if (!rc) rc = check_years(&o, r);
    if (!rc) {
        const char *metal = r->metals[m];
        int M = r->n_metals, Y = r->n_years;
        out_table *t = out_new();
        const char *cols[][2] = {{"year", "year"},
                                 {"metal", "metal"},
                                 {"in_use_t", "in use (t)"},
                                 {"eol_t", "end of life (t)"},
                                 {"collected_t", "collected (t)"},
                                 {"new_scrap_t", "mfg scrap (t)"},
                                 {"recoverable_t", "recoverable (t)"},
                                 {"capacity_t", "capacity (t)"},
                                 {"recovered_t", "recovered (t)"},
                                 {"recovered_eol_t", "of which EoL (t)"},
                                 {"capacity_gap_t", "capacity gap (t)"},
                                 {"demand_t", "demand (t)"},
                                 {"recycled_content_pct", "recycled content %"},
                                 {"eol_rir_pct", "EoL-RIR %"},
                                 {"sr_factor", "SR x (1-EoL-RIR)"}};
        for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) out_col(t, cols[k][0], cols[k][1]);
        for (int year = o.y0; year <= o.y1; year++) {
            int y = year - r->first_year;
            double use = 0, eol = 0, coll = 0, scrap = 0, rec_pot = 0, rec_eol = 0;
            for (int s = 0; s < r->n_systems; s++) {
                size_t i = ((size_t)s * M + m) * Y + y;
                use += r->in_use[i], eol += r->eol[i], coll += r->collected[i], scrap += r->new_scrap[i];
                rec_pot += r->recoverable_eol[i] + r->recoverable_new[i];
                rec_eol += r->recovered_eol[i];
            }
            size_t j = (size_t)m * Y + y;
            out_row(t);
            out_int(t, year);
            out_text(t, metal);
            out_num(t, use, 0);
            out_num(t, eol, 1);
            out_num(t, coll, 1);
            out_num(t, scrap, 1);
            out_num(t, rec_pot, 1);
            out_num(t, r->capacity[j], 0);
            out_num(t, r->recovered[j], 1);
            out_num(t, rec_eol, 1);
            out_num(t, r->gap[j], 1);
            out_num(t, r->demand[j], 0);
            out_num(t, 100 * r->recycled_content[j], 2);
            out_num(t, 100 * r->eol_rir[j], 2);
            out_num(t, isnan(r->eol_rir[j]) ? NAN : 1 - r->eol_rir[j], 4);
        }
        if (cli->format == OUT_TABLE) {
            printf("%s recovered in Korea from products in use, %d-%d (tonnes of contained %s).\n", metal, o.y0, o.y1, metal);
            printf("Systems:");
            for (int s = 0; s < r->n_systems; s++) {
                bool has = false;
                for (int k = 0; k < r->systems[s]->n_metals; k++) has |= !strcmp(r->systems[s]->metals[k], metal);
                if (has) printf(" %s", r->systems[s]->name);
            }
            printf(". recoverable = end of life x collection x pre-processing x recovery yield + manufacturing\n"
                   "scrap x recovery yield; recovered = min(recoverable, domestic capacity); capacity gap = recoverable -\n"
                   "capacity (> 0: more than Korea can process; < 0: spare capacity); EoL-RIR = recovered from end of\n"
                   "life / Korean demand; the last column is the supply-risk multiplier of the EU method.\n");
            whatif_note(&o);
            printf("\n");
        }
        out_print(t, cli->format, stdout);
        out_free(t);
        if (cli->format == OUT_TABLE) list_bases(&d, metal);
        if (o.sankey) rc = write_sankey(&o, r, -1, m, "Korea");
    }
    rmct_mfa_result_free(r);
    mfa_data_free(&d);
    return rc;
}

int cmd_mfa(cli_ctx *cli, int argc, char **argv)
{
    if (argc < 2) {
        mfa_help(stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        mfa_help(stdout);
        return 0;
    }
    argc--;
    argv++;
    if (!strcmp(sub, "dsm")) return mfa_dsm(cli, argc, argv);
    if (!strcmp(sub, "run")) return mfa_run_cmd(cli, argc, argv);
    if (!strcmp(sub, "recycle")) return mfa_recycle(cli, argc, argv);
    if (!strcmp(sub, "list") || !strcmp(sub, "show")) {
        static const struct option opts[] = {CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
        int opt;
        opterr = 0;
        while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
            int r = cli_common_option(cli, opt, optarg);
            if (r < 0) return EXIT_USAGE;
            if (r) continue;
            if (opt == OPT_HELP || opt == 'h') {
                mfa_help(stdout);
                return 0;
            }
            return cli_usage_error("mfa", "unknown option \"%s\"", argv[optind - 1]);
        }
        if (!strcmp(sub, "list")) {
            if (optind < argc) return cli_usage_error("mfa", "unexpected argument \"%s\"", argv[optind]);
            return mfa_list(cli);
        }
        if (optind >= argc) return cli_usage_error("mfa", "'show' needs a system name (see 'rmct mfa list')");
        if (optind + 1 < argc) return cli_usage_error("mfa", "unexpected argument \"%s\"", argv[optind + 1]);
        return mfa_show(cli, argv[optind]);
    }
    return cli_usage_error("mfa", "expected dsm, list, show, run or recycle, got \"%s\"", sub);
}

/* ---------------- for 'rmct assess --eol-from-mfa YEAR' ---------------- */

/* The bundled recycling model run at its defaults, for `year` (given by `flag`, for the message).
 * -1 with *d and *r (the result points into the data: free r, then d) when the year is covered,
 * else the exit status. */
static int mfa_run_year(cli_ctx *cli, const char *flag, int year, mfa_data *d, rmct_mfa_result **r)
{
    if (mfa_data_load(cli, d)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_mfa_run(d->sys, d->n, d->nat, NULL, r, &err)) {
        mfa_data_free(d);
        return cli_fail(&err);
    }
    int last = (*r)->first_year + (*r)->n_years - 1;
    if (year >= (*r)->first_year && year <= last) return -1;
    fprintf(stderr, "rmct: %s %d: expected a year the recycling model covers, %d-%d\n", flag, year, (*r)->first_year, last);
    rmct_mfa_result_free(*r);
    mfa_data_free(d);
    return EXIT_USAGE;
}

int mfa_assess_eol(cli_ctx *cli, const rmct_method *m, rmct_assessment *a, size_t n, int year)
{
    mfa_data d;
    rmct_mfa_result *r;
    int rc = mfa_run_year(cli, "--eol-from-mfa", year, &d, &r);
    if (rc >= 0) return rc;
    rc = 0;
    char note[600] = "";
    for (size_t i = 0; i < n && !rc; i++) {
        double v;
        if (!rmct_mfa_eol_rir(r, a[i].code, year, &v)) continue;
        double before = a[i].st[a[i].sr_stage].eol_rir.value;
        char basis[200];
        snprintf(basis, sizeof basis,
                 "RMCT recycling model %d: %s recovered from end of life / Korean demand of the modelled uses "
                 "('rmct mfa recycle --metal %s'), in place of the EU proxy",
                 year, a[i].code, a[i].code);
        rmct_assess_set_eol_rir(m, &a[i], v, basis);
        size_t used = strlen(note);
        snprintf(note + used, sizeof note - used, "%s%s %.2f%% (EU proxy %.0f%%)", used ? ", " : "", a[i].code, 100 * v,
                 100 * before);
    }
    if (!rc && cli->format == OUT_TABLE)
        printf("EoL-RIR from the recycling model for %d (rmct mfa recycle): %s.\n\n", year, *note ? note : "no assessed metal is modelled");
    rmct_mfa_result_free(r);
    mfa_data_free(&d);
    return rc;
}

int mfa_chain_recycling(cli_ctx *cli, rmct_chain *const *chains, int n_chains, int year, char *note, size_t note_size)
{
    mfa_data d;
    rmct_mfa_result *r;
    int rc = mfa_run_year(cli, "--recycling-from-mfa", year, &d, &r);
    if (rc >= 0) return rc;
    rc = 0;
    note[0] = 0;
    for (int c = 0; c < n_chains && !rc; c++) {
        rmct_chain *ch = chains[c];
        for (int i = 0; i < ch->n_nodes && !rc; i++) {
            rmct_chain_node *fed = &ch->nodes[i];
            if (!fed->element[0]) continue;
            double rec;
            if (!rmct_mfa_recovered(r, fed->element, year, &rec)) continue;
            /* the chain's recycling streams into this node share the model's recovered tonnes in
             * proportion to what the chain gave them (all to the first if it gave none) */
            double given = 0;
            int first = -1, streams = 0;
            for (int k = 0; k < ch->n_nodes; k++)
                if (ch->nodes[k].stage == RMCT_STAGE_RECYCLING && ch->nodes[k].feeds == i) {
                    given += ch->nodes[k].supply.value;
                    if (first < 0) first = k;
                    streams++;
                }
            if (!streams) continue;
            char basis[300];
            snprintf(basis, sizeof basis,
                     "RMCT recycling model, %d: %s recovered in Korea ('rmct mfa recycle --metal %s --years %d'), %.6g t, "
                     "in place of the chain's figure",
                     year, fed->element, fed->element, year, rec);
            for (int k = 0; k < ch->n_nodes; k++) {
                rmct_chain_node *s = &ch->nodes[k];
                if (s->stage != RMCT_STAGE_RECYCLING || s->feeds != i) continue;
                double share = given > 0 ? s->supply.value / given : k == first;
                rmct_param_default(&s->supply, rec * share, "t/yr", basis);
                s->supply.assumption = false;
                s->supply.given = true;
            }
            size_t used = strlen(note);
            snprintf(note + used, note_size - used, "%s%s %.4g t/yr", used ? ", " : "", fed->element, rec);
        }
    }
    rmct_mfa_result_free(r);
    mfa_data_free(&d);
    return rc;
}
