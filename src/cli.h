/* cli.h: what the rmct commands share: global settings, the common options (--db, --format,
 * --help) and error reporting ("rmct: WHERE: WHAT", non-zero exit). */
#ifndef RMCT_CLI_H
#define RMCT_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "error.h"
#include "out.h"
#include "store.h"

#define EXIT_USAGE 2

typedef struct {
    const char *db_path;   /* --db, else RMCT_DB, else ./rmct.db */
    const char *data_dir;  /* --data, else RMCT_DATA, else the build's data directory */
    out_format format;     /* --format, default table */
    bool progress;         /* stderr is a terminal */
} cli_ctx;

/* Options every command takes; a command's option table starts with these. */
enum { OPT_DB = 1000, OPT_FORMAT, OPT_DATA, OPT_HELP, OPT__COMMON_END };
#define CLI_COMMON_OPTIONS \
    {"db", required_argument, NULL, OPT_DB}, {"format", required_argument, NULL, OPT_FORMAT}, \
    {"data", required_argument, NULL, OPT_DATA}, {"help", no_argument, NULL, OPT_HELP}

/* Handle a common option; returns 1 if it was one, -1 after reporting a bad value, 0 otherwise. */
int cli_common_option(cli_ctx *cli, int opt, const char *arg);

/* Print "rmct: ..." for err on stderr and return the exit status for it. */
int cli_fail(const rmct_error *err);
/* Print a usage error ("rmct CMD: ...; see rmct CMD --help") and return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open the database (it must exist: 'rmct init' creates it). */
int cli_open_db(cli_ctx *cli, rmct_db **db);

/* Commands: each returns the process exit status. */
int cmd_init(cli_ctx *cli, int argc, char **argv);
int cmd_import(cli_ctx *cli, int argc, char **argv);
int cmd_sources(cli_ctx *cli, int argc, char **argv);
int cmd_metals(cli_ctx *cli, int argc, char **argv);
int cmd_lists(cli_ctx *cli, int argc, char **argv);
int cmd_supply(cli_ctx *cli, int argc, char **argv);
int cmd_show(cli_ctx *cli, int argc, char **argv);
int cmd_trade(cli_ctx *cli, int argc, char **argv);
int cmd_imports(cli_ctx *cli, int argc, char **argv);
int cmd_dependence(cli_ctx *cli, int argc, char **argv);
int cmd_events(cli_ctx *cli, int argc, char **argv);
int cmd_assess(cli_ctx *cli, int argc, char **argv);
int cmd_chain(cli_ctx *cli, int argc, char **argv);
int cmd_simulate(cli_ctx *cli, int argc, char **argv);
int cmd_hazards(cli_ctx *cli, int argc, char **argv);
int cmd_mfa(cli_ctx *cli, int argc, char **argv);      /* dynamic stock models and recycling (src/cmd_mfa.c) */
int stock_plan(cli_ctx *cli, int argc, char **argv);   /* 'rmct stock plan' (src/cmd_plan.c) */
int cmd_stock(cli_ctx *cli, int argc, char **argv);
int cmd_survey(cli_ctx *cli, int argc, char **argv);   /* the industry survey (src/cmd_survey.c) */
int cmd_serve(cli_ctx *cli, int argc, char **argv);    /* the HTTP server (src/serve.c) */
int cmd_user(cli_ctx *cli, int argc, char **argv);     /* its users (src/cmd_user.c) */

#endif
