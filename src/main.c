/* main.c: the rmct command-line tool: global options and the command table. Every command lives
 * in a cmd_*.c file and is a small function that validates its arguments and calls librmct. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

typedef struct {
    const char *name;
    int (*run)(cli_ctx *cli, int argc, char **argv);
    const char *summary;
} command;

/* Every command in one place. */
static const command commands[] = {
    {"init", cmd_init, "create the database and load the bundled data (idempotent)"},
    {"import", cmd_import, "import data files (USGS world data, generic CSV, ...) in one transaction"},
    {"supply", cmd_supply, "the 35 rare-metal types ranked by concentration of world supply"},
    {"show", cmd_show, "one page per metal: elements, lists, producers, shares, reserves, trend, sources"},
    {"metals", cmd_metals, "the registry: Korea's 35 rare-metal types and list membership"},
    {"lists", cmd_lists, "membership matrix across the national lists"},
    {"imports", cmd_imports, "imports of a metal by partner: shares, HHI, trend, exports, mirror check, look-through"},
    {"dependence", cmd_dependence, "the 35 types ranked by import dependence (measured, reported or proxy)"},
    {"events", cmd_events, "the dated register of export restrictions and supply disruptions"},
    {"chain", cmd_chain, "value chains: 'chain list', 'chain show NAME' with every parameter's source"},
    {"simulate", cmd_simulate, "disruption scenarios: what runs short, where, when, how long; Monte Carlo with --runs"},
    {"hazards", cmd_hazards, "background disruption hazards per supplier and metal, for Monte Carlo ensembles"},
    {"mfa", cmd_mfa, "products in use and what comes back: stock models (ODYM conventions), recycling per metal"},
    {"stock", cmd_stock, "the stockpile ledger: warehouses, lots, movements, audit log; days of cover against targets"},
    {"survey", cmd_survey, "the industry survey: companies, campaigns, the industry's shape, exposure (confidential)"},
    {"assess", cmd_assess, "criticality: the EU method from Korea's point of view; check against the EU's 2023 values"},
    {"trade", cmd_trade, "trade data tools: 'trade summary' looks at raw BACI files without importing"},
    {"sources", cmd_sources, "the imported files behind every number"},
    {"serve", cmd_serve, "the HTTP API and dashboard on the same database (docs/API.md)"},
    {"user", cmd_user, "users and roles of the server: add, list, passwd, role, disable, token"},
    {NULL, NULL, NULL},
};

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: rmct [--db PATH] [--format table|csv|json] COMMAND [ARGS]\n"
            "\n"
            "RMCT, the Rare Metals Control Tower: Korea's 35 rare-metal types, where they come from\n"
            "and how concentrated their supply is, from sourced public data.\n"
            "\n"
            "Commands:\n");
    for (const command *c = commands; c->name; c++) fprintf(fp, "  %-10s %s\n", c->name, c->summary);
    fprintf(fp,
            "\n"
            "Options (also accepted after the command):\n"
            "  --db PATH        database file (default: $RMCT_DB or ./rmct.db)\n"
            "  --format FMT     table (default), csv or json\n"
            "  --data DIR       bundled data directory (default: $RMCT_DATA or %s)\n"
            "  --help           this help; 'rmct COMMAND --help' for a command\n"
            "  --version        print the version\n"
            "\n"
            "Start with 'rmct init', then 'rmct supply' and 'rmct show tungsten'. See rmct(1).\n",
            RMCT_DATADIR);
}

int cli_common_option(cli_ctx *cli, int opt, const char *arg)
{
    switch (opt) {
    case OPT_DB: cli->db_path = arg; return 1;
    case OPT_DATA: cli->data_dir = arg; return 1;
    case OPT_FORMAT:
        if (!out_parse_format(arg, &cli->format)) {
            fprintf(stderr, "rmct: --format: expected table, csv or json, got \"%s\"\n", arg);
            return -1;
        }
        return 1;
    default: return 0;
    }
}

int cli_fail(const rmct_error *err)
{
    char buf[2048];
    rmct_error_format(err, buf, sizeof buf);
    fprintf(stderr, "rmct: %s\n", buf);
    return err->code == RMCT_E_ARG ? EXIT_USAGE : 1;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "rmct %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'rmct %s --help')\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_open_db(cli_ctx *cli, rmct_db **db)
{
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_db_open(db, cli->db_path, false, &err)) return cli_fail(&err);
    return 0;
}

int main(int argc, char **argv)
{
    cli_ctx cli = {0};
    cli.db_path = getenv("RMCT_DB") && *getenv("RMCT_DB") ? getenv("RMCT_DB") : "rmct.db";
    cli.data_dir = getenv("RMCT_DATA") && *getenv("RMCT_DATA") ? getenv("RMCT_DATA") : RMCT_DATADIR;
    cli.format = OUT_TABLE;
    cli.progress = isatty(STDERR_FILENO);

    static const struct option opts[] = {CLI_COMMON_OPTIONS, {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        int r = cli_common_option(&cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        if (opt == OPT_HELP || opt == 'h') {
            usage(stdout);
            return 0;
        }
        if (opt == 'V') {
            printf("rmct 0.1 (schema %d)\n", rmct_db_schema_latest());
            return 0;
        }
        fprintf(stderr, "rmct: unknown option \"%s\" (see 'rmct --help')\n", argv[optind - 1]);
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[optind];
    for (const command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0) {
            int first = optind;
            optind = 0; /* reinitialise getopt: commands parse their own argv, argv[0] = command name */
            return c->run(&cli, argc - first, argv + first);
        }
    fprintf(stderr, "rmct: unknown command \"%s\" (see 'rmct --help')\n", name);
    return EXIT_USAGE;
}
