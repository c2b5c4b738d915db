/* cmd_stock.c: 'rmct stock', the national stockpile ledger (lib/stockpile.h, docs/STOCKPILE.md):
 * warehouses, lots and their movements (add, release, transfer, adjust, reverse), listings, history,
 * the audit log, export and import of the ledger CSV, a consistency check, and days of cover per
 * metal against targets. */
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sim_cli.h"
#include "stockpile.h"
#include "text.h"
#include "views.h"

/* ---------------- who and when ---------------- */

typedef struct {
    const char *actor;
    char actor_buf[96];
    char today[11];
} stock_env;

/* --actor, else RMCT_ACTOR, else the login name; today from RMCT_TODAY, else the local date. */
static int stock_env_init(stock_env *env, const char *actor)
{
    const char *t = getenv("RMCT_TODAY");
    if (t && *t) {
        if (!rmct_stock_valid_date(t)) {
            fprintf(stderr, "rmct: RMCT_TODAY: expected a date YYYY-MM-DD, got \"%s\"\n", t);
            return 1;
        }
        rmct_strlcpy(env->today, t, sizeof env->today);
    } else {
        rmct_stock_local_today(env->today);
    }
    if (!actor || !*actor) actor = getenv("RMCT_ACTOR");
    if (!actor || !*actor) {
        if (getlogin_r(env->actor_buf, sizeof env->actor_buf) == 0 && env->actor_buf[0]) actor = env->actor_buf;
        else {
            struct passwd *pw = getpwuid(geteuid());
            if (pw && pw->pw_name && *pw->pw_name) actor = rmct_strlcpy(env->actor_buf, pw->pw_name, sizeof env->actor_buf);
        }
    }
    if (!actor || !*actor) {
        fprintf(stderr, "rmct: cannot tell who is recording: give --actor NAME or set RMCT_ACTOR\n");
        return 1;
    }
    env->actor = actor;
    return 0;
}

/* ---------------- errors: entry fields as the options that set them ---------------- */

typedef struct {
    const char *field, *option;
} field_opt;

static int stock_fail(rmct_error *err, const field_opt *map)
{
    static const field_opt common[] = {
        {"date", "--date"},         {"lot", "--lot"},           {"warehouse", "--warehouse"}, {"to_warehouse", "--to"},
        {"tonnes", "--tonnes"},     {"counted", "--counted"},   {"reason", "--reason"},       {"actor", "--actor"},
        {"reference", "--reference"}, {"reverses", "MOVEMENT"}, {"metal", "--metal"},         {"form", "--form"},
        {"purity", "--purity"},     {"contained_t", "--contained"}, {"formula", "--formula"}, {"unit_cost", "--cost"},
        {"currency", "--currency"}, {"supplier", "--supplier"}, {"code", "CODE"},             {"name", "--name"},
        {"location", "--location"}, {"kind", "--kind"},         {NULL, NULL}};
    if (err->field[0] && !err->file[0]) {
        const char *opt = NULL;
        for (const field_opt *m = map; m && m->field && !opt; m++)
            if (!strcmp(m->field, err->field)) opt = m->option;
        for (const field_opt *m = common; m->field && !opt; m++)
            if (!strcmp(m->field, err->field)) opt = m->option;
        if (opt) rmct_strlcpy(err->field, opt, sizeof err->field);
    }
    return cli_fail(err);
}

/* ---------------- help ---------------- */

static void stock_help(FILE *fp)
{
    fprintf(fp,
        "usage: rmct stock SUBCOMMAND [OPTIONS]   ('rmct stock SUBCOMMAND --help' for each)\n"
        "\n"
        "The national stockpile ledger: warehouses, lots and every movement of them, and days of cover.\n"
        "  warehouse add CODE --name NAME [--location TEXT]   register a warehouse\n"
        "  warehouse list                                     warehouses and what they hold\n"
        "  add       acquire a new lot into a warehouse\n"
        "  release   take tonnes of a lot out of the stockpile (--kind release, sale, rotation, write-off)\n"
        "  transfer  move tonnes of a lot from one warehouse to another\n"
        "  adjust    record a stock count: --counted T, or the difference --by +/-T\n"
        "  reverse   correct a movement with its mirror image (history is never edited)\n"
        "  list      what each lot holds in each warehouse (--by metal, warehouse), as of --date\n"
        "  history   movements in date order, with the lot's balance after each\n"
        "  audit     the audit log: every change, who recorded it and when\n"
        "  export    the ledger as CSV (the import format), or JSON\n"
        "  import    a ledger CSV, all of it or nothing (a bad row rejects the file, naming the line)\n"
        "  verify    check every invariant of the ledger again from the raw tables\n"
        "  cover     days of cover per metal against targets, and what it costs to close the gaps\n"
        "  plan      what to buy with a budget: a stochastic LP over futures of the scenario engine (GLPK)\n"
        "\n"
        "Quantities are gross tonnes of the lot's material (up to 6 decimals: the ledger counts grams);\n"
        "contained tonnes follow the lot's contained/gross ratio. Dates are YYYY-MM-DD, not after today\n"
        "($RMCT_TODAY overrides today) and not before the lot was acquired; the default is today. Every\n"
        "change records its actor: --actor NAME, else $RMCT_ACTOR, else the login name. The database\n"
        "itself refuses edits, deletions and negative balances (docs/STOCKPILE.md).\n");
}

static const char *entry_opts_help =
    "  --date D         the movement's date, YYYY-MM-DD (default today); not in the future, not before\n"
    "                   the lot was acquired\n"
    "  --reason TEXT    why (required except for add)\n"
    "  --reference REF  order, contract or document number\n"
    "  --actor NAME     who made or authorised it (default $RMCT_ACTOR, else the login name)\n";

static void add_help(void)
{
    printf("usage: rmct stock add --lot CODE --metal M --tonnes T --form F --purity P --warehouse W\n"
           "                      [--contained T | --formula F] [--cost C --currency CUR] [--supplier COUNTRY]\n"
           "                      [--date D] [--reason TEXT] [--reference REF] [--actor NAME]\n"
           "\n"
           "Acquire a new lot: T gross tonnes of metal M (element or type of Korea's 35: Dy, dysprosium, REE)\n"
           "in form F (metal, oxide, alloy, compound) of purity P (a fraction, 0.995) into warehouse W.\n"
           "  --contained T    contained tonnes of the element, when known\n"
           "  --formula F      else the compound (Dy2O3, Li2CO3, Nd2Fe14B): contained = gross x purity x the\n"
           "                   element's mass fraction in F (atomic weights from data/elements.csv)\n"
           "                   Without either: a metal is gross x purity; an oxide uses the element's usual\n"
           "                   oxide (Dy2O3, WO3, ...), an assumption recorded with the lot; alloys and\n"
           "                   compounds need one of the two.\n"
           "  --cost C         unit cost per gross tonne, in --currency (ISO 4217: USD, KRW)\n"
           "  --supplier C     the supplier's country (ISO code or name)\n"
           "%s", entry_opts_help);
}

static void release_help(void)
{
    printf("usage: rmct stock release --lot CODE --tonnes T --reason TEXT [--kind K] [--warehouse W] [--date D]\n"
           "                          [--reference REF] [--actor NAME]\n"
           "\n"
           "Take T gross tonnes of a lot out of the stockpile. --kind says how: release (default), sale,\n"
           "rotation (old stock out; the fresh stock comes in as a new lot) or write-off (lost, spoiled).\n"
           "  --warehouse W    where it leaves from (default: the one warehouse holding the lot)\n"
           "No lot may go negative in any warehouse, on the date given or after it.\n"
           "%s", entry_opts_help);
}

static void transfer_help(void)
{
    printf("usage: rmct stock transfer --lot CODE --tonnes T --from W1 --to W2 --reason TEXT [--date D]\n"
           "                           [--reference REF] [--actor NAME]\n"
           "\n"
           "Move T gross tonnes of a lot from warehouse W1 (default: the one holding it) to W2.\n"
           "%s", entry_opts_help);
}

static void adjust_help(void)
{
    printf("usage: rmct stock adjust --lot CODE (--counted T | --by +/-T) --reason TEXT [--warehouse W]\n"
           "                         [--date D] [--reference REF] [--actor NAME]\n"
           "\n"
           "Record a stock count: --counted T, the gross tonnes found (the difference from the book on that\n"
           "date is recorded), or --by the difference itself (+ found more, - found less). A count equal to\n"
           "the book records nothing.\n"
           "%s", entry_opts_help);
}

static void reverse_help(void)
{
    printf("usage: rmct stock reverse MOVEMENT --reason TEXT [--date D] [--reference REF] [--actor NAME]\n"
           "\n"
           "Correct movement MOVEMENT (its id: 'rmct stock history') by recording its mirror image: the\n"
           "same lot and quantity, the places swapped. Movements are never edited or deleted. A movement is\n"
           "reversed at most once, a reversal is not reversed (record the movement again), and a reversal\n"
           "must leave no lot negative (reverse later movements first).\n"
           "%s", entry_opts_help);
}

/* ---------------- printing results ---------------- */

static const char *tn(char *buf, int64_t g) { return rmct_stock_fmt_tonnes(buf, 32, g); }

static void print_result(cli_ctx *cli, rmct_db *db, const rmct_stock_result *r)
{
    char a[32], b[32], c[32];
    if (cli->format != OUT_TABLE) {
        out_table *t = out_new();
        const char *cols[][2] = {{"movement", "movement"}, {"kind", "kind"}, {"date", "date"}, {"lot", "lot"},
                                 {"metal", "metal"}, {"from", "from"}, {"to", "to"}, {"tonnes", "t"},
                                 {"contained_t", "contained t"}};
        for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) out_col(t, cols[i][0], cols[i][1]);
        out_row(t);
        if (r->movement_id) out_int(t, (long)r->movement_id);
        else out_null(t);
        out_text(t, r->kind);
        out_text(t, r->date);
        out_text(t, r->lot);
        out_text(t, r->metal);
        out_text(t, r->from[0] ? r->from : NULL);
        out_text(t, r->to[0] ? r->to : NULL);
        out_num(t, (double)r->qty_g / 1e6, 6);
        out_num(t, (double)r->contained_g / 1e6, 6);
        out_print(t, cli->format, stdout);
        out_free(t);
        return;
    }
    if (!r->movement_id) {
        printf("lot %s in %s on %s: the count matches the book (%s t); nothing recorded\n", r->lot, r->from, r->date,
               tn(a, r->book_g));
        return;
    }
    printf("movement %lld: ", (long long)r->movement_id);
    if (!strcmp(r->kind, "acquire"))
        printf("acquired lot %s into %s on %s: %s t gross, %s t %s contained (%s)\n", r->lot, r->to, r->date,
               tn(a, r->qty_g), tn(b, r->contained_g), r->metal, r->contained_basis);
    else if (!strcmp(r->kind, "transfer"))
        printf("transfer of %s t of lot %s from %s to %s on %s (%s t %s contained)\n", tn(a, r->qty_g), r->lot, r->from,
               r->to, r->date, tn(b, r->contained_g), r->metal);
    else if (!strcmp(r->kind, "adjust"))
        printf("count adjustment of lot %s in %s on %s: %s%s t against %s t on the book (%s t %s contained)\n", r->lot,
               r->to[0] ? r->to : r->from, r->date, r->to[0] ? "+" : "-", tn(a, r->qty_g), tn(b, r->book_g),
               tn(c, r->contained_g), r->metal);
    else if (!strcmp(r->kind, "reversal"))
        printf("reversal on %s: %s t of lot %s %s%s%s%s\n", r->date, tn(a, r->qty_g), r->lot,
               r->from[0] ? "out of " : "back into ", r->from[0] ? r->from : r->to, r->from[0] && r->to[0] ? " into " : "",
               r->from[0] && r->to[0] ? r->to : "");
    else
        printf("%s of %s t of lot %s from %s on %s (%s t %s contained)\n", r->kind, tn(a, r->qty_g), r->lot, r->from,
               r->date, tn(b, r->contained_g), r->metal);
    /* what the lot holds now, by warehouse */
    rmct_stock_filter f = {.lot = r->lot};
    rmct_stock_holding *h;
    int n;
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_stock_holdings(db, &f, &h, &n, &err) == RMCT_OK) {
        printf("lot %s now holds ", r->lot);
        if (n == 0) printf("nothing");
        for (int i = 0; i < n; i++) printf("%s%s t in %s", i ? ", " : "", tn(a, h[i].held_g), h[i].warehouse);
        printf("\n");
        free(h);
    }
}

/* ---------------- entries ---------------- */

enum {
    O_DATE = OPT__COMMON_END, O_LOT, O_WAREHOUSE, O_TO, O_TONNES, O_COUNTED, O_BY, O_REASON, O_ACTOR, O_REFERENCE,
    O_METAL, O_FORM, O_PURITY, O_CONTAINED, O_FORMULA, O_COST, O_CURRENCY, O_SUPPLIER, O_KIND, O_FROM, O_NAME,
    O_LOCATION, O_ALL, O_SINCE, O_UNTIL, O_OUTPUT, O_CREATE_WH, O_DEMAND, O_TARGETS, O_AGAINST, O_BY_GROUP
};

typedef enum { E_ADD, E_RELEASE, E_TRANSFER, E_ADJUST, E_REVERSE } entry_cmd;

static int stock_entry(cli_ctx *cli, entry_cmd which, int argc, char **argv)
{
    static const char *const names[] = {"add", "release", "transfer", "adjust", "reverse"};
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"date", required_argument, NULL, O_DATE},       {"lot", required_argument, NULL, O_LOT},
        {"warehouse", required_argument, NULL, O_WAREHOUSE}, {"to", required_argument, NULL, O_TO},
        {"from", required_argument, NULL, O_FROM},       {"tonnes", required_argument, NULL, O_TONNES},
        {"counted", required_argument, NULL, O_COUNTED}, {"by", required_argument, NULL, O_BY},
        {"reason", required_argument, NULL, O_REASON},   {"actor", required_argument, NULL, O_ACTOR},
        {"reference", required_argument, NULL, O_REFERENCE}, {"metal", required_argument, NULL, O_METAL},
        {"form", required_argument, NULL, O_FORM},       {"purity", required_argument, NULL, O_PURITY},
        {"contained", required_argument, NULL, O_CONTAINED}, {"formula", required_argument, NULL, O_FORMULA},
        {"cost", required_argument, NULL, O_COST},       {"currency", required_argument, NULL, O_CURRENCY},
        {"supplier", required_argument, NULL, O_SUPPLIER}, {"kind", required_argument, NULL, O_KIND},
        {NULL, 0, NULL, 0}};
    /* which options each subcommand takes */
    static const int allowed[][24] = {
        [E_ADD] = {O_DATE, O_LOT, O_WAREHOUSE, O_TONNES, O_REASON, O_ACTOR, O_REFERENCE, O_METAL, O_FORM, O_PURITY,
                   O_CONTAINED, O_FORMULA, O_COST, O_CURRENCY, O_SUPPLIER, 0},
        [E_RELEASE] = {O_DATE, O_LOT, O_WAREHOUSE, O_TONNES, O_REASON, O_ACTOR, O_REFERENCE, O_KIND, 0},
        [E_TRANSFER] = {O_DATE, O_LOT, O_FROM, O_WAREHOUSE, O_TO, O_TONNES, O_REASON, O_ACTOR, O_REFERENCE, 0},
        [E_ADJUST] = {O_DATE, O_LOT, O_WAREHOUSE, O_COUNTED, O_BY, O_REASON, O_ACTOR, O_REFERENCE, 0},
        [E_REVERSE] = {O_DATE, O_REASON, O_ACTOR, O_REFERENCE, 0},
    };
    const char *cmd = names[which];
    char cmdname[32];
    snprintf(cmdname, sizeof cmdname, "stock %s", cmd);
    rmct_stock_entry e = {0};
    const char *actor = NULL, *kind = NULL;
    int opt, li = -1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, &li)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        if (opt == OPT_HELP || opt == 'h') {
            if (which == E_ADD) add_help();
            else if (which == E_RELEASE) release_help();
            else if (which == E_TRANSFER) transfer_help();
            else if (which == E_ADJUST) adjust_help();
            else reverse_help();
            return 0;
        }
        bool ok = false;
        for (int k = 0; allowed[which][k]; k++) ok |= allowed[which][k] == opt;
        if (!ok && opt != '?' && li >= 0)
            return cli_usage_error(cmdname, "--%s does not apply to %s%s", opts[li].name, cmd,
                                   which == E_ADJUST && opt == O_TONNES ? ": give --counted T or --by +/-T" : "");
        if (!ok) return cli_usage_error(cmdname, "unknown option \"%s\"", argv[optind - 1]);
        switch (opt) {
        case O_DATE: e.date = optarg; break;
        case O_LOT: e.lot = optarg; break;
        case O_WAREHOUSE: case O_FROM:
            if (e.warehouse) return cli_usage_error(cmdname, "the warehouse is given twice");
            e.warehouse = optarg;
            break;
        case O_TO: e.to_warehouse = optarg; break;
        case O_TONNES: case O_BY: e.tonnes = optarg; break;
        case O_COUNTED: e.counted = optarg; break;
        case O_REASON: e.reason = optarg; break;
        case O_ACTOR: actor = e.actor = optarg; break;
        case O_REFERENCE: e.reference = optarg; break;
        case O_METAL: e.metal = optarg; break;
        case O_FORM: e.form = optarg; break;
        case O_PURITY: e.purity = optarg; break;
        case O_CONTAINED: e.contained_t = optarg; break;
        case O_FORMULA: e.formula = optarg; break;
        case O_COST: e.unit_cost = optarg; break;
        case O_CURRENCY: e.currency = optarg; break;
        case O_SUPPLIER: e.supplier = optarg; break;
        case O_KIND: kind = optarg; break;
        default: return cli_usage_error(cmdname, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (which == E_REVERSE) {
        if (optind >= argc) return cli_usage_error(cmdname, "expected the id of the movement to reverse");
        e.reverses = argv[optind++];
    }
    if (optind < argc) return cli_usage_error(cmdname, "unexpected argument \"%s\"", argv[optind]);
    switch (which) {
    case E_ADD: e.kind = "acquire"; break;
    case E_RELEASE:
        e.kind = kind ? kind : "release";
        if (strcmp(e.kind, "release") && strcmp(e.kind, "sale") && strcmp(e.kind, "rotation") && strcmp(e.kind, "write-off"))
            return cli_usage_error(cmdname, "--kind: expected release, sale, rotation or write-off, got \"%s\"", e.kind);
        break;
    case E_TRANSFER: e.kind = "transfer"; break;
    case E_ADJUST: e.kind = "adjust"; break;
    case E_REVERSE: e.kind = "reversal"; break;
    }
    stock_env env;
    if (stock_env_init(&env, actor)) return 1;
    rmct_stock_ctx ctx = {env.actor, env.today};
    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_result res;
    int rc = 0;
    if (rmct_stock_record(db, &ctx, &e, &res, &err)) {
        static const field_opt transfer_map[] = {{"warehouse", "--from"}, {NULL, NULL}};
        static const field_opt adjust_map[] = {{"tonnes", "--by"}, {NULL, NULL}};
        rc = stock_fail(&err, which == E_TRANSFER ? transfer_map : which == E_ADJUST ? adjust_map : NULL);
    } else {
        print_result(cli, db, &res);
    }
    rmct_db_close(db);
    return rc;
}

/* ---------------- warehouses ---------------- */

static int stock_warehouse(cli_ctx *cli, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {"name", required_argument, NULL, O_NAME},
                                         {"location", required_argument, NULL, O_LOCATION},
                                         {"actor", required_argument, NULL, O_ACTOR}, {NULL, 0, NULL, 0}};
    const char *name = NULL, *location = NULL, *actor = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        if (opt == OPT_HELP || opt == 'h') {
            printf("usage: rmct stock warehouse add CODE --name NAME [--location TEXT] [--actor NAME]\n"
                   "       rmct stock warehouse list [--format table|csv|json]\n"
                   "\n"
                   "Register a warehouse (CODE: up to 32 letters, digits, '.', '_', '-'), or list the warehouses\n"
                   "with the lots, gross and contained tonnes each holds. Warehouses, like the rest of the ledger,\n"
                   "cannot be renamed or removed.\n");
            return 0;
        }
        if (opt == O_NAME) name = optarg;
        else if (opt == O_LOCATION) location = optarg;
        else if (opt == O_ACTOR) actor = optarg;
        else return cli_usage_error("stock warehouse", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind >= argc) return cli_usage_error("stock warehouse", "expected add CODE or list");
    const char *sub = argv[optind++];
    rmct_db *db;
    rmct_error err;
    rmct_error_clear(&err);
    if (!strcmp(sub, "add")) {
        if (optind >= argc) return cli_usage_error("stock warehouse", "'add' needs a warehouse code");
        const char *code = argv[optind++];
        if (optind < argc) return cli_usage_error("stock warehouse", "unexpected argument \"%s\"", argv[optind]);
        stock_env env;
        if (stock_env_init(&env, actor)) return 1;
        rmct_stock_ctx ctx = {env.actor, env.today};
        if (cli_open_db(cli, &db)) return 1;
        int rc = 0;
        if (rmct_stock_warehouse_add(db, &ctx, code, name, location, &err)) rc = stock_fail(&err, NULL);
        else printf("warehouse %s registered: %s%s%s\n", code, name, location && *location ? ", " : "",
                    location ? location : "");
        rmct_db_close(db);
        return rc;
    }
    if (strcmp(sub, "list")) return cli_usage_error("stock warehouse", "expected add or list, got \"%s\"", sub);
    if (optind < argc) return cli_usage_error("stock warehouse", "unexpected argument \"%s\"", argv[optind]);
    if (name || location || actor) return cli_usage_error("stock warehouse", "'list' takes no --name, --location or --actor");
    if (cli_open_db(cli, &db)) return 1;
    rmct_stock_warehouse *w;
    int n;
    if (rmct_stock_warehouses(db, &w, &n, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    rmct_db_close(db);
    out_table *t = view_stock_warehouses(w, n);
    out_print(t, cli->format, stdout);
    out_free(t);
    free(w);
    return 0;
}

/* ---------------- list ---------------- */

static int stock_list(cli_ctx *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS, {"metal", required_argument, NULL, O_METAL}, {"warehouse", required_argument, NULL, O_WAREHOUSE},
        {"lot", required_argument, NULL, O_LOT}, {"date", required_argument, NULL, O_DATE},
        {"by", required_argument, NULL, O_BY_GROUP}, {"all", no_argument, NULL, O_ALL}, {NULL, 0, NULL, 0}};
    rmct_stock_filter f = {0};
    const char *by = "lot";
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        switch (opt) {
        case OPT_HELP: case 'h':
            printf("usage: rmct stock list [--metal M] [--warehouse W] [--lot CODE] [--date D] [--by lot|metal|warehouse]\n"
                   "                       [--all] [--format table|csv|json]\n"
                   "\n"
                   "What the stockpile holds: each lot in each warehouse (gross and contained tonnes, form, purity,\n"
                   "acquisition, unit cost, supplier), or totals --by metal or warehouse. --date D: as of the end of\n"
                   "day D (default: everything recorded). --metal takes an element (its lots) or a type (REE: all\n"
                   "rare-earth lots). --all also lists lots that hold nothing (released, reversed).\n");
            return 0;
        case O_METAL: f.metal = optarg; break;
        case O_WAREHOUSE: f.warehouse = optarg; break;
        case O_LOT: f.lot = optarg; break;
        case O_DATE: f.as_of = optarg; break;
        case O_BY_GROUP: by = optarg; break;
        case O_ALL: f.include_empty = true; break;
        default: return cli_usage_error("stock list", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("stock list", "unexpected argument \"%s\"", argv[optind]);
    if (strcmp(by, "lot") && strcmp(by, "metal") && strcmp(by, "warehouse"))
        return cli_usage_error("stock list", "--by: expected lot, metal or warehouse, got \"%s\"", by);
    if (f.as_of && !rmct_stock_valid_date(f.as_of))
        return cli_usage_error("stock list", "--date: expected a date YYYY-MM-DD, got \"%s\"", f.as_of);
    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_holding *h;
    int n;
    if (rmct_stock_holdings(db, &f, &h, &n, &err)) {
        rmct_db_close(db);
        return stock_fail(&err, NULL);
    }
    rmct_db_close(db);
    int lots = 0;
    double gross = 0, contained = 0;
    out_table *t = view_stock_holdings(h, n, by, cli->format, &lots, &gross, &contained);
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE) {
        char g[48], c[48];
        out_fmt_num(g, sizeof g, gross, 3);
        out_fmt_num(c, sizeof c, contained, 3);
        printf("\n%d lot%s%s: %s t gross, %s t contained%s%s. Contained tonnes follow each lot's contained/gross\n"
               "ratio; unit cost is per gross tonne as recorded at acquisition.\n",
               lots, lots == 1 ? "" : "s", f.as_of ? " as of the date" : "", g, c, f.as_of ? ", " : "",
               f.as_of ? f.as_of : "");
    }
    free(h);
    return 0;
}

/* ---------------- history, export ---------------- */

static int history_args(cli_ctx *cli, const char *cmd, int argc, char **argv, rmct_stock_history_filter *f,
                        const char **output, bool *done)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS, {"metal", required_argument, NULL, O_METAL}, {"warehouse", required_argument, NULL, O_WAREHOUSE},
        {"lot", required_argument, NULL, O_LOT}, {"since", required_argument, NULL, O_SINCE},
        {"until", required_argument, NULL, O_UNTIL}, {"output", required_argument, NULL, O_OUTPUT}, {NULL, 0, NULL, 0}};
    char name[32];
    snprintf(name, sizeof name, "stock %s", cmd);
    int opt;
    opterr = 0;
    *done = false;
    while ((opt = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        switch (opt) {
        case OPT_HELP: case 'h':
            if (output)
                printf("usage: rmct stock export [--output FILE] [--format csv|json] [--metal M] [--warehouse W] [--lot CODE]\n"
                       "\n"
                       "The ledger as a CSV in the import format (docs/DATA.md, \"The stockpile ledger\"), one row per\n"
                       "movement in the order recorded, with each lot's attributes on its acquisition row; 'rmct stock\n"
                       "import' reads it back into an empty ledger unchanged. --format json gives the same rows as\n"
                       "JSON (table is taken as csv). --output FILE writes to FILE instead of standard output.\n"
                       "With a filter, reversals of movements left out refer to movements not in the file.\n");
            else
                printf("usage: rmct stock history [--lot CODE] [--metal M] [--warehouse W] [--since D] [--until D]\n"
                       "                          [--format table|csv|json]\n"
                       "\n"
                       "Movements in date order (then the order recorded), each with the lot's total balance after it,\n"
                       "its reason, actor and reference, the movement it reverses or is reversed by; csv and json add\n"
                       "who recorded each and when, and the imported file and line it came from.\n");
            *done = true;
            return 0;
        case O_METAL: f->metal = optarg; break;
        case O_WAREHOUSE: f->warehouse = optarg; break;
        case O_LOT: f->lot = optarg; break;
        case O_SINCE: case O_UNTIL:
            if (!rmct_stock_valid_date(optarg))
                return cli_usage_error(name, "--%s: expected a date YYYY-MM-DD, got \"%s\"", opt == O_SINCE ? "since" : "until",
                                       optarg);
            if (output) return cli_usage_error(name, "unknown option \"%s\"", argv[optind - 1]);
            if (opt == O_SINCE) f->since = optarg;
            else f->until = optarg;
            break;
        case O_OUTPUT: case 'o':
            if (!output) return cli_usage_error(name, "unknown option \"%s\"", argv[optind - 1]);
            *output = optarg;
            break;
        default: return cli_usage_error(name, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error(name, "unexpected argument \"%s\"", argv[optind]);
    return 0;
}

static int stock_history(cli_ctx *cli, int argc, char **argv)
{
    rmct_stock_history_filter f = {0};
    bool done;
    int rc = history_args(cli, "history", argc, argv, &f, NULL, &done);
    if (rc || done) return rc;
    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_movement *m;
    int n;
    if (rmct_stock_history(db, &f, false, &m, &n, &err)) {
        rmct_db_close(db);
        return stock_fail(&err, NULL);
    }
    rmct_db_close(db);
    bool table = cli->format == OUT_TABLE;
    out_table *t = view_stock_history(m, n, cli->format);
    out_print(t, cli->format, stdout);
    out_free(t);
    if (table) printf("\n%d movement%s. 'from'/'to' empty: outside the stockpile. Quantities in gross tonnes.\n", n,
                      n == 1 ? "" : "s");
    free(m);
    return 0;
}

static int stock_export(cli_ctx *cli, int argc, char **argv)
{
    rmct_stock_history_filter f = {0};
    const char *output = NULL;
    bool done;
    int rc = history_args(cli, "export", argc, argv, &f, &output, &done);
    if (rc || done) return rc;
    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_movement *m;
    int n;
    if (rmct_stock_history(db, &f, true, &m, &n, &err)) {
        rmct_db_close(db);
        return stock_fail(&err, NULL);
    }
    rmct_db_close(db);
    bool json = cli->format == OUT_JSON;
    out_table *t = out_new();
    static const char *const cols[] = {"movement", "date", "kind", "lot", "warehouse", "to_warehouse", "tonnes", "reason",
                                       "actor", "reference", "reverses", "metal", "form", "purity", "contained_t",
                                       "formula", "unit_cost", "currency", "supplier"};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) out_col(t, cols[i], cols[i]);
    char buf[32], num[40];
    for (int i = 0; i < n; i++) {
        const rmct_stock_movement *x = &m[i];
        bool acq = !strcmp(x->kind, "acquire"), rev = !strcmp(x->kind, "reversal"), adj = !strcmp(x->kind, "adjust");
        out_row(t);
        out_int(t, (long)x->id);
        out_text(t, x->date);
        out_text(t, x->kind);
        out_text(t, x->lot);
        /* the warehouse: where received (acquire), counted (adjust) or left (the others) */
        const char *wh = rev ? "" : acq || (adj && !x->from[0]) ? x->to : x->from;
        out_text(t, *wh ? wh : NULL);
        out_text(t, !strcmp(x->kind, "transfer") ? x->to : NULL);
        int64_t q = adj && x->from[0] ? -x->qty_g : x->qty_g;
        if (json) out_num(t, (double)q / 1e6, 6);
        else out_text(t, tn(buf, q));
        out_text(t, x->reason);
        out_text(t, x->actor);
        out_text(t, x->reference[0] ? x->reference : NULL);
        if (x->reverses) out_int(t, (long)x->reverses);
        else out_null(t);
        if (acq) {
            out_text(t, x->metal);
            out_text(t, x->form);
            if (json) out_num(t, x->purity, 6);
            else out_text(t, out_fmt_exact(num, sizeof num, x->purity));
            if (json) out_num(t, (double)x->contained_g / 1e6, 6);
            else out_text(t, tn(buf, x->contained_g));
            out_text(t, x->formula[0] ? x->formula : NULL);
            if (isnan(x->unit_cost)) out_null(t);
            else if (json) out_num(t, x->unit_cost, 2);
            else out_text(t, out_fmt_exact(num, sizeof num, x->unit_cost));
            out_text(t, x->currency[0] ? x->currency : NULL);
            out_text(t, x->supplier[0] ? x->supplier : NULL);
        } else {
            for (int k = 0; k < 8; k++) out_null(t);
        }
    }
    FILE *fp = stdout;
    if (output && !(fp = fopen(output, "w"))) {
        perror(output);
        out_free(t);
        free(m);
        return 1;
    }
    out_print(t, json ? OUT_JSON : OUT_CSV, fp);
    int bad = ferror(fp);
    if (fp != stdout && fclose(fp)) bad = 1;
    out_free(t);
    free(m);
    if (bad) {
        fprintf(stderr, "rmct: %s: write error\n", output ? output : "standard output");
        return 1;
    }
    return 0;
}

/* ---------------- import ---------------- */

static int stock_import(cli_ctx *cli, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {"create-warehouses", no_argument, NULL, O_CREATE_WH},
                                         {"actor", required_argument, NULL, O_ACTOR}, {NULL, 0, NULL, 0}};
    rmct_stock_import_opts io = {0};
    const char *actor = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        if (opt == OPT_HELP || opt == 'h') {
            printf("usage: rmct stock import FILE [--create-warehouses] [--actor NAME] [--format table|csv|json]\n"
                   "\n"
                   "Import a ledger CSV (docs/DATA.md, \"The stockpile ledger\"; 'rmct stock export' writes one): one\n"
                   "row per movement, in the order recorded. Every row is checked as 'rmct stock add/release/...'\n"
                   "would check it (dates not in the future nor before the lot, no negative lot or warehouse,\n"
                   "reversals mirroring an earlier row); the first bad row rejects the whole file with its line,\n"
                   "column and field, and nothing is written. The file is recorded as a source (dataset\n"
                   "stock-ledger); importing the same bytes again does nothing. Warehouses must be registered\n"
                   "first, unless --create-warehouses registers those missing (named by their code). --actor: who\n"
                   "imports (the rows' own actor column says who made each movement).\n");
            return 0;
        }
        if (opt == O_CREATE_WH) io.create_warehouses = true;
        else if (opt == O_ACTOR) actor = optarg;
        else return cli_usage_error("stock import", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind >= argc) return cli_usage_error("stock import", "expected a ledger CSV file");
    const char *path = argv[optind++];
    if (optind < argc) return cli_usage_error("stock import", "one file at a time; unexpected \"%s\"", argv[optind]);
    stock_env env;
    if (stock_env_init(&env, actor)) return 1;
    rmct_stock_ctx ctx = {env.actor, env.today};
    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_import_result res;
    int rc = 0;
    if (rmct_stock_import(db, &ctx, path, path, &io, &res, &err)) rc = cli_fail(&err);
    rmct_db_close(db);
    if (rc) return rc;
    if (cli->format != OUT_TABLE) {
        out_table *t = out_new();
        const char *cols[] = {"file", "status", "source_id", "rows", "lots", "warehouses_created", "first_date", "last_date"};
        for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) out_col(t, cols[i], cols[i]);
        out_row(t);
        out_text(t, path);
        out_text(t, res.unchanged ? "unchanged" : "imported");
        out_int(t, (long)res.source_id);
        out_int(t, res.rows);
        out_int(t, res.lots);
        out_int(t, res.warehouses_created);
        out_text(t, res.first_date[0] ? res.first_date : NULL);
        out_text(t, res.last_date[0] ? res.last_date : NULL);
        out_print(t, cli->format, stdout);
        out_free(t);
    } else if (res.unchanged) {
        printf("%s: already imported (source %lld, %ld movements): nothing done\n", path, (long long)res.source_id, res.rows);
    } else {
        printf("%s: imported %ld movement%s (%ld new lot%s", path, res.rows, res.rows == 1 ? "" : "s", res.lots,
               res.lots == 1 ? "" : "s");
        if (res.warehouses_created) printf(", %ld warehouse%s registered", res.warehouses_created,
                                           res.warehouses_created == 1 ? "" : "s");
        printf(")%s%s%s%s as source %lld\n", res.rows ? ", dated " : "", res.first_date, res.rows ? " to " : "",
               res.last_date, (long long)res.source_id);
    }
    return 0;
}

/* ---------------- audit, verify ---------------- */

static int simple_args(cli_ctx *cli, const char *name, const char *help, int argc, char **argv, bool *done)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
    int opt;
    opterr = 0;
    *done = false;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        if (opt == OPT_HELP || opt == 'h') {
            fputs(help, stdout);
            *done = true;
            return 0;
        }
        return cli_usage_error(name, "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error(name, "unexpected argument \"%s\"", argv[optind]);
    return 0;
}

static int stock_audit(cli_ctx *cli, int argc, char **argv)
{
    bool done;
    int rc = simple_args(cli, "stock audit",
                         "usage: rmct stock audit [--format table|csv|json]\n"
                         "\n"
                         "The audit log: one row per change to the ledger (a warehouse registered, a lot recorded, a\n"
                         "movement recorded), with who recorded it, when (UTC, from the database's clock) and the row\n"
                         "as JSON. The database writes it (triggers) and refuses to change or delete it.\n",
                         argc, argv, &done);
    if (rc || done) return rc;
    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_audit_row *a;
    int n;
    if (rmct_stock_audit(db, &a, &n, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    rmct_db_close(db);
    out_table *t = view_stock_audit(a, n);
    out_print(t, cli->format, stdout);
    out_free(t);
    rmct_stock_audit_free(a, n);
    return 0;
}

static int stock_verify(cli_ctx *cli, int argc, char **argv)
{
    bool done;
    int rc = simple_args(cli, "stock verify",
                         "usage: rmct stock verify [--format table|csv|json]\n"
                         "\n"
                         "Check the ledger again from its raw tables: the database file is sound, no dangling\n"
                         "references, one acquisition per lot matching it, no movement before its lot, every\n"
                         "movement balanced, reversals mirroring what they reverse, no lot below zero in any\n"
                         "warehouse at any date, one audit row per warehouse, lot and movement, and what the\n"
                         "warehouses hold equal to what came in minus what left. Exit status 1 if anything is wrong.\n",
                         argc, argv, &done);
    if (rc || done) return rc;
    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_check c;
    if (rmct_stock_verify(db, &c, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    rmct_db_close(db);
    char h[32], i[32], o[32];
    if (cli->format != OUT_TABLE) {
        out_table *t = out_new();
        const char *cols[] = {"consistent", "warehouses", "lots", "movements", "reversals", "audit_rows", "held_t", "in_t",
                              "out_t", "problems", "first_problem"};
        for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) out_col(t, cols[k], cols[k]);
        out_row(t);
        out_bool(t, c.problems == 0);
        out_int(t, c.warehouses);
        out_int(t, c.lots);
        out_int(t, c.movements);
        out_int(t, c.reversals);
        out_int(t, c.audit_rows);
        out_num(t, (double)c.held_g / 1e6, 6);
        out_num(t, (double)c.in_g / 1e6, 6);
        out_num(t, (double)c.out_g / 1e6, 6);
        out_int(t, c.problems);
        out_text(t, c.problems ? c.first_problem : NULL);
        out_print(t, cli->format, stdout);
        out_free(t);
    } else if (c.problems == 0) {
        printf("ledger consistent: %ld warehouse%s, %ld lot%s, %ld movement%s (%ld reversal%s), %ld audit rows; "
               "held %s t = in %s t - out %s t\n",
               c.warehouses, c.warehouses == 1 ? "" : "s", c.lots, c.lots == 1 ? "" : "s", c.movements,
               c.movements == 1 ? "" : "s", c.reversals, c.reversals == 1 ? "" : "s", c.audit_rows, tn(h, c.held_g),
               tn(i, c.in_g), tn(o, c.out_g));
    } else {
        printf("ledger INCONSISTENT: %ld problem%s; the first: %s\n", c.problems, c.problems == 1 ? "" : "s",
               c.first_problem);
    }
    return c.problems ? 1 : 0;
}

/* ---------------- cover ---------------- */

/* text wrapped at `width` columns after `lead` (printed first), continuation lines indented by
 * `indent` spaces; words longer than a line (URLs) are not broken */
static void wrapped(const char *lead, const char *text, int indent, int width)
{
    fputs(lead, stdout);
    int col = (int)rmct_utf8_chars(lead, strlen(lead));
    const char *p = text;
    bool first = true;
    while (*p) {
        while (*p == ' ') p++;
        if (!*p) break;
        size_t len = strcspn(p, " ");
        int chars = (int)rmct_utf8_chars(p, len);
        if (!first && col + 1 + chars > width) {
            printf("\n%*s", indent, "");
            col = indent;
        } else if (!first) {
            putchar(' ');
            col++;
        }
        printf("%.*s", (int)len, p);
        col += chars;
        first = false;
        p += len;
    }
    putchar('\n');
}

static void cover_help(void)
{
    printf("usage: rmct stock cover [--date D] [--against SET] [--demand FILE] [--targets FILE] [--all]\n"
           "                        [--format table|csv|json]\n"
           "\n"
           "Days of cover per metal: contained stock / Korean daily demand, against a target, valued at the\n"
           "latest price loaded; ranked by days short of target, then by the value of the tonnes short.\n"
           "  --date D        stock as of the end of day D (default: everything recorded)\n"
           "  --against SET   the target set (default KR: 100 days of demand for every metal, Korea's stated\n"
           "                  target since 2021, and about 1,500 t of rare earths, the 2011 tonnage target).\n"
           "                  Others in data/stockpile_targets.csv: JP (Japan's 60 days), KR-2021-level (57\n"
           "                  days), KR-2023-level (54 days), KR-2016 (the 2010 plan's tonnages), KR-interim\n"
           "                  (lithium 30 days in 2024). A metal's own target overrides the set's \"*\" target.\n"
           "  --demand FILE   daily demand per metal (metal,t_per_day,year,basis,source,source_url,note):\n"
           "                  overrides every other figure for the metals it names\n"
           "  --targets FILE  a targets file to use instead of data/stockpile_targets.csv\n"
           "  --all           every element and type of the 35, also those with no stock, demand or target\n"
           "Demand, in order of precedence: --demand (user), data/stockpile_demand.csv (sourced: rare earths\n"
           "as a whole, derived from the 2011 statement), else the normal demand the bundled value chains\n"
           "imply (their assumptions, and only the uses they model: 'rmct chain show NAME'). No sourced\n"
           "figure of Korea's apparent consumption per metal was found (data/SOURCES.md). Metals with no\n"
           "figure show no days. Prices: the latest year's series of the element in the price table (USGS\n"
           "MCS), converted to USD per tonne of the series' product and applied to contained tonnes (no\n"
           "conversion between oxide, alloy and element).\n");
}

static int stock_cover(cli_ctx *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS, {"date", required_argument, NULL, O_DATE}, {"against", required_argument, NULL, O_AGAINST},
        {"demand", required_argument, NULL, O_DEMAND}, {"targets", required_argument, NULL, O_TARGETS},
        {"all", no_argument, NULL, O_ALL}, {NULL, 0, NULL, 0}};
    const char *as_of = NULL, *set = "KR", *demand_file = NULL, *targets_file = NULL;
    bool all = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        switch (opt) {
        case OPT_HELP: case 'h': cover_help(); return 0;
        case O_DATE: as_of = optarg; break;
        case O_AGAINST: set = optarg; break;
        case O_DEMAND: demand_file = optarg; break;
        case O_TARGETS: targets_file = optarg; break;
        case O_ALL: all = true; break;
        default: return cli_usage_error("stock cover", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("stock cover", "unexpected argument \"%s\"", argv[optind]);
    if (as_of && !rmct_stock_valid_date(as_of))
        return cli_usage_error("stock cover", "--date: expected a date YYYY-MM-DD, got \"%s\"", as_of);
    char tpath[600], dpath[600];
    snprintf(tpath, sizeof tpath, "%s/stockpile_targets.csv", cli->data_dir);
    snprintf(dpath, sizeof dpath, "%s/stockpile_demand.csv", cli->data_dir);
    if (!targets_file) targets_file = tpath;
    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    cover_result cr;
    int rc = 0;
    if (view_cover_compute(cli->data_dir, db, as_of, set, demand_file, targets_file == tpath ? NULL : targets_file, all, &cr,
                           &err)) {
        if (cr.unknown_set)
            rc = cli_usage_error("stock cover", "--against: expected a target set of %s (%s), got \"%s\"",
                                 targets_file == tpath ? "data/stockpile_targets.csv" : targets_file, cr.sets, set);
        else
            rc = cli_fail(&err);
        view_cover_free(&cr);
        rmct_db_close(db);
        return rc;
    }
    const rmct_stock_target *tg = cr.targets;
    const rmct_cover_row *rows = cr.rows;
    int ntg = cr.n_targets, nrows = cr.n_rows;
    bool table = cli->format == OUT_TABLE;
    out_table *t = view_cover(&cr, cli->format);
    if (table) printf("Days of cover%s%s, against target set %s (%s)\n", as_of ? " as of " : "", as_of ? as_of : "", set,
                      targets_file == tpath ? "data/stockpile_targets.csv" : targets_file);
    out_print(t, cli->format, stdout);
    out_free(t);
    if (table) {
        printf("\nTargets:\n");
        for (int i = 0; i < ntg; i++) {
            if (strcmp(tg[i].set, set)) continue;
            char v[32], lead[96], text[2048];
            out_fmt_num(v, sizeof v, tg[i].value, tg[i].value == floor(tg[i].value) ? 0 : 1);
            snprintf(lead, sizeof lead, "  %s: ", tg[i].id);
            char urls[400];
            rmct_strlcpy(urls, tg[i].url, sizeof urls);
            for (char *bar; (bar = strstr(urls, " | "));) memmove(bar + 1, bar + 3, strlen(bar + 3) + 1);
            snprintf(text, sizeof text, "%s %s, %s (%d). %s. Source: %s%s%s", v, tg[i].tonnes ? "t" : "days of demand",
                     strcmp(tg[i].metal, "*") ? tg[i].metal : "every metal", tg[i].year, tg[i].note, tg[i].source,
                     urls[0] ? " " : "", urls);
            wrapped(lead, text, 4, 100);
        }
        printf("Demand (t/d: tonnes contained per day):\n");
        wrapped("  ", "chains: the normal demand of the bundled value chains' material nodes, per month / (365/12): "
                "their assumptions, and only the uses they model ('rmct chain show NAME').", 4, 100);
        for (int i = 0; i < nrows; i++) {
            const rmct_cover_row *r = &rows[i];
            if (r->demand_kind == RMCT_DEMAND_NONE || r->demand_kind == RMCT_DEMAND_CHAINS) continue;
            bool seen = false;
            for (int k = 0; k < i; k++) seen |= !strcmp(rows[k].metal, r->metal);
            if (seen) continue;
            char lead[64];
            snprintf(lead, sizeof lead, "  %s (%s): ", r->metal, rmct_demand_kind_name(r->demand_kind));
            wrapped(lead, r->demand_basis, 4, 100);
        }
        int none = 0;
        for (int i = 0; i < nrows; i++) none += rows[i].demand_kind == RMCT_DEMAND_NONE;
        if (none) {
            char text[1024] = "";
            for (int i = 0; i < nrows; i++) {
                bool seen = false;
                for (int k = 0; k < i; k++) seen |= !strcmp(rows[k].metal, rows[i].metal);
                if (rows[i].demand_kind != RMCT_DEMAND_NONE || seen) continue;
                size_t used = strlen(text);
                snprintf(text + used, sizeof text - used, "%s ", rows[i].metal);
            }
            size_t used = strlen(text);
            snprintf(text + used, sizeof text - used, "(no days without one: give it with --demand FILE)");
            wrapped("  No demand figure for: ", text, 4, 100);
        }
        printf("Prices (USD/t of the series' product, applied to contained tonnes; csv and json name each series):\n");
        for (int i = 0; i < nrows; i++) {
            const rmct_cover_row *r = &rows[i];
            bool seen = false;
            for (int k = 0; k < i; k++) seen |= !strcmp(rows[k].metal, r->metal);
            if (!r->price_series[0] || seen) continue;
            char lead[64], text[400];
            snprintf(lead, sizeof lead, "  %s: ", r->metal);
            snprintf(text, sizeof text, "%s (%d; %s)", r->price_series, r->price_year, r->price_unit);
            wrapped(lead, text, 4, 100);
        }
        wrapped("  ", "Metals without a price have none loaded in a unit convertible to USD per tonne; a whole type (REE "
                "(all)) has no single price.", 4, 100);
    }
    view_cover_free(&cr);
    rmct_db_close(db);
    return rc;
}

rmct_code view_cover_compute(const char *data_dir, rmct_db *db, const char *as_of, const char *set, const char *demand_file,
                             const char *targets_file, bool all, cover_result *out, rmct_error *err)
{
    memset(out, 0, sizeof *out);
    char tpath[600], dpath[600];
    snprintf(tpath, sizeof tpath, "%s/stockpile_targets.csv", data_dir);
    snprintf(dpath, sizeof dpath, "%s/stockpile_demand.csv", data_dir);
    if (!targets_file) targets_file = tpath;
    rmct_stock_demand *dem = NULL, *part = NULL;
    int ndem = 0, npart = 0;
    sim_chains ch = {0};
    rmct_code rc;
    if ((rc = rmct_stock_targets_read(db, targets_file, &out->targets, &out->n_targets, err))) goto out;
    bool known = false;
    for (int i = 0; i < out->n_targets; i++) known |= !strcmp(out->targets[i].set, set);
    if (!known) {
        for (int i = 0; i < out->n_targets; i++) {
            bool seen = false;
            for (int k = 0; k < i; k++) seen |= !strcmp(out->targets[k].set, out->targets[i].set);
            if (seen) continue;
            size_t used = strlen(out->sets);
            snprintf(out->sets + used, sizeof out->sets - used, "%s%s", used ? ", " : "", out->targets[i].set);
        }
        out->unknown_set = true;
        rmct_strlcpy(err->field, "against", sizeof err->field);
        char q[64];
        rc = rmct_error_set(err, RMCT_E_ARG, "expected a target set of the targets file (%s), got %s", out->sets,
                            rmct_error_quote(set, q, sizeof q));
        goto out;
    }
    /* demand: the chains, the sourced file, the user's file */
    if ((rc = sim_chains_open(data_dir, db, NULL, 0, &ch, err))) goto out;
    if ((rc = rmct_stock_chain_demand(ch.v, ch.n, &dem, &ndem, err))) goto out;
    const char *files[2] = {dpath, demand_file};
    rmct_demand_kind kinds[2] = {RMCT_DEMAND_SOURCED, RMCT_DEMAND_USER};
    for (int f = 0; f < 2; f++) {
        if (!files[f]) continue;
        if ((rc = rmct_stock_demand_read(db, files[f], kinds[f], &part, &npart, err))) goto out;
        rmct_stock_demand *v = realloc(dem, (size_t)(ndem + npart + 1) * sizeof *v);
        if (!v) {
            rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            goto out;
        }
        dem = v;
        memcpy(dem + ndem, part, (size_t)npart * sizeof *part);
        ndem += npart;
        free(part);
        part = NULL;
    }
    rc = rmct_stock_cover(db, as_of, dem, ndem, out->targets, out->n_targets, set, all, &out->rows, &out->n_rows, err);
out:
    sim_chains_free(&ch);
    free(dem);
    free(part);
    return rc;
}

void view_cover_free(cover_result *c)
{
    free(c->targets);
    free(c->rows);
    memset(c, 0, sizeof *c);
}

out_table *view_cover(const cover_result *c, out_format f)
{
    const rmct_stock_target *tg = c->targets;
    const rmct_cover_row *rows = c->rows;
    int nrows = c->n_rows;
    out_table *t = out_new();
    bool table = f == OUT_TABLE;
    out_col(t, "rank", "#");
    out_col(t, "metal", "metal");
    if (!table) {
        out_col(t, "name", "name");
        out_col(t, "whole_type", "whole_type");
    }
    out_col(t, "stock_t", "stock t");
    out_col(t, "demand_t_per_day", "demand t/d");
    out_col(t, "demand_kind", "demand");
    out_col(t, "days", "days");
    out_col(t, "target_id", "target");
    if (!table) {
        out_col(t, "target_kind", "target_kind");
        out_col(t, "target_value", "target_value");
    }
    out_col(t, "target_t", "target t");
    out_col(t, "short_days", "days short");
    out_col(t, "short_t", "t short");
    out_col(t, "price_usd_per_t", "USD/t");
    out_col(t, "short_usd", "USD short");
    if (!table) {
        out_col(t, "value_usd", "value_usd");
        out_col(t, "price_series", "price_series");
        out_col(t, "price_unit", "price_unit");
        out_col(t, "price_year", "price_year");
        out_col(t, "demand_basis", "demand_basis");
    }
    for (int i = 0; i < nrows; i++) {
        const rmct_cover_row *r = &rows[i];
        const rmct_stock_target *g = r->target >= 0 ? &tg[r->target] : NULL;
        out_row(t);
        out_int(t, i + 1);
        if (table && r->aggregate) out_textf(t, "%s (all)", r->metal);
        else out_text(t, r->metal);
        if (!table) {
            out_text(t, r->name);
            out_bool(t, r->aggregate);
        }
        out_num(t, r->stock_t, 3);
        out_num(t, r->demand_t_day, r->demand_t_day < 1 ? 4 : 2);
        out_text(t, r->demand_kind == RMCT_DEMAND_NONE ? (table ? "no figure" : NULL) : rmct_demand_kind_name(r->demand_kind));
        out_num(t, r->days, 1);
        out_text(t, g ? g->id : NULL);
        if (!table) {
            out_text(t, g ? (g->tonnes ? "tonnes" : "days") : NULL);
            if (g) out_num(t, g->value, 2);
            else out_null(t);
        }
        out_num(t, r->target_t, 3);
        out_num(t, r->short_days, 1);
        out_num(t, r->short_t, 3);
        out_num(t, r->price_usd_t, 0);
        out_num(t, r->short_usd, 0);
        if (!table) {
            out_num(t, r->value_usd, 0);
            out_text(t, r->price_series[0] ? r->price_series : NULL);
            out_text(t, r->price_unit[0] ? r->price_unit : NULL);
            if (r->price_year) out_int(t, r->price_year);
            else out_null(t);
            out_text(t, r->demand_basis[0] ? r->demand_basis : NULL);
        }
    }
    return t;
}

out_table *view_stock_warehouses(const rmct_stock_warehouse *w, int n)
{
    out_table *t = out_new();
    const char *cols[][2] = {{"code", "code"}, {"name", "name"}, {"location", "location"}, {"lots", "lots"},
                             {"gross_t", "gross t"}, {"contained_t", "contained t"}, {"recorded_by", "recorded by"},
                             {"recorded_at", "recorded at (UTC)"}};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) out_col(t, cols[i][0], cols[i][1]);
    for (int i = 0; i < n; i++) {
        out_row(t);
        out_text(t, w[i].code);
        out_text(t, w[i].name);
        out_text(t, w[i].location);
        out_int(t, w[i].lots);
        out_num(t, (double)w[i].held_g / 1e6, 3);
        out_num(t, w[i].contained_t, 3);
        out_text(t, w[i].recorded_by);
        out_text(t, w[i].recorded_at);
    }
    return t;
}

out_table *view_stock_holdings(const rmct_stock_holding *h, int n, const char *by, out_format f, int *lots_out,
                               double *gross_out, double *contained_out)
{
    out_table *t = out_new();
    char buf[32];
    int lots = 0, places = 0;
    double gross = 0, contained = 0;
    if (!strcmp(by, "lot")) {
        const char *cols[][2] = {{"lot", "lot"}, {"metal", "metal"}, {"form", "form"}, {"formula", "formula"},
                                 {"purity", "purity"}, {"warehouse", "warehouse"}, {"gross_t", "gross t"},
                                 {"contained_t", "contained t"}, {"acquired", "acquired"}, {"unit_cost", "unit cost/t"},
                                 {"currency", "cur"}, {"supplier", "supplier"}};
        for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) out_col(t, cols[i][0], cols[i][1]);
        for (int i = 0; i < n; i++) {
            out_row(t);
            out_text(t, h[i].lot);
            out_text(t, h[i].element[0] ? h[i].element : h[i].type_code);
            out_text(t, h[i].form);
            out_text(t, h[i].formula);
            out_num(t, h[i].purity, 4);
            out_text(t, h[i].warehouse);
            if (f == OUT_TABLE) out_text(t, tn(buf, h[i].held_g));
            else out_num(t, (double)h[i].held_g / 1e6, 6);
            out_num(t, h[i].contained_t, 3);
            out_text(t, h[i].acquired);
            out_num(t, h[i].unit_cost, 0);
            out_text(t, h[i].currency[0] ? h[i].currency : NULL);
            out_text(t, h[i].supplier[0] ? h[i].supplier : NULL);
            gross += (double)h[i].held_g / 1e6;
            contained += h[i].contained_t;
            places++;
            bool seen = false;
            for (int k = 0; k < i && !seen; k++) seen = h[k].lot_id == h[i].lot_id;
            lots += !seen;
        }
    } else {
        bool bymetal = !strcmp(by, "metal");
        out_col(t, bymetal ? "metal" : "warehouse", bymetal ? "metal" : "warehouse");
        out_col(t, "lots", "lots");
        out_col(t, "gross_t", "gross t");
        out_col(t, "contained_t", "contained t");
        /* group in first-seen order after sorting keys */
        char (*keys)[40] = calloc((size_t)n + 1, sizeof *keys);
        int nk = 0;
        for (int i = 0; i < n; i++) {
            const char *k = bymetal ? (h[i].element[0] ? h[i].element : h[i].type_code) : h[i].warehouse;
            int j = 0;
            while (j < nk && strcmp(keys[j], k)) j++;
            if (j == nk) rmct_strlcpy(keys[nk++], k, sizeof keys[0]);
        }
        qsort(keys, (size_t)nk, sizeof *keys, (int (*)(const void *, const void *))strcmp);
        for (int j = 0; j < nk; j++) {
            int cnt = 0;
            int64_t g = 0;
            double c = 0;
            for (int i = 0; i < n; i++) {
                const char *k = bymetal ? (h[i].element[0] ? h[i].element : h[i].type_code) : h[i].warehouse;
                if (strcmp(k, keys[j])) continue;
                g += h[i].held_g;
                c += h[i].contained_t;
                bool seen = false;
                for (int m = 0; m < i && !seen; m++) {
                    const char *km = bymetal ? (h[m].element[0] ? h[m].element : h[m].type_code) : h[m].warehouse;
                    seen = h[m].lot_id == h[i].lot_id && !strcmp(km, keys[j]);
                }
                cnt += !seen;
            }
            out_row(t);
            out_text(t, keys[j]);
            out_int(t, cnt);
            if (f == OUT_TABLE) out_text(t, tn(buf, g));
            else out_num(t, (double)g / 1e6, 6);
            out_num(t, c, 3);
            gross += (double)g / 1e6;
            contained += c;
        }
        for (int i = 0; i < n; i++) {
            bool seen = false;
            for (int k = 0; k < i && !seen; k++) seen = h[k].lot_id == h[i].lot_id;
            lots += !seen;
            places++;
        }
        free(keys);
    }
    (void)places;
    *lots_out = lots;
    *gross_out = gross;
    *contained_out = contained;
    return t;
}

out_table *view_stock_history(const rmct_stock_movement *m, int n, out_format f)
{
    out_table *t = out_new();
    bool table = f == OUT_TABLE;
    out_col(t, "movement", "id");
    out_col(t, "date", "date");
    out_col(t, "kind", "kind");
    out_col(t, "lot", "lot");
    out_col(t, "metal", "metal");
    out_col(t, "from", "from");
    out_col(t, "to", "to");
    out_col(t, "tonnes", "t");
    out_col(t, "lot_balance_t", "lot after t");
    out_col(t, "reverses", "reverses");
    out_col(t, "reversed_by", "reversed by");
    out_col(t, "actor", "actor");
    out_col(t, "reason", "reason");
    out_col(t, "reference", "reference");
    if (!table) {
        out_col(t, "recorded_by", "recorded_by");
        out_col(t, "recorded_at", "recorded_at");
        out_col(t, "source_id", "source_id");
        out_col(t, "src_line", "src_line");
    }
    char buf[32];
    for (int i = 0; i < n; i++) {
        out_row(t);
        out_int(t, (long)m[i].id);
        out_text(t, m[i].date);
        out_text(t, m[i].kind);
        out_text(t, m[i].lot);
        out_text(t, m[i].metal);
        out_text(t, m[i].from[0] ? m[i].from : NULL);
        out_text(t, m[i].to[0] ? m[i].to : NULL);
        if (table) {
            out_text(t, tn(buf, m[i].qty_g));
            out_text(t, tn(buf, m[i].lot_balance_g));
        } else {
            out_num(t, (double)m[i].qty_g / 1e6, 6);
            out_num(t, (double)m[i].lot_balance_g / 1e6, 6);
        }
        if (m[i].reverses) out_int(t, (long)m[i].reverses);
        else out_null(t);
        if (m[i].reversed_by) out_int(t, (long)m[i].reversed_by);
        else out_null(t);
        out_text(t, m[i].actor);
        out_text(t, m[i].reason);
        out_text(t, m[i].reference);
        if (!table) {
            out_text(t, m[i].recorded_by);
            out_text(t, m[i].recorded_at);
            if (m[i].source_id) out_int(t, (long)m[i].source_id);
            else out_null(t);
            if (m[i].src_line) out_int(t, m[i].src_line);
            else out_null(t);
        }
    }
    return t;
}

out_table *view_stock_audit(const rmct_stock_audit_row *a, int n)
{
    out_table *t = out_new();
    const char *cols[][2] = {{"id", "id"}, {"at", "at (UTC)"}, {"actor", "recorded by"}, {"action", "what"},
                             {"row_key", "key"}, {"detail", "row"}};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) out_col(t, cols[i][0], cols[i][1]);
    for (int i = 0; i < n; i++) {
        out_row(t);
        out_int(t, (long)a[i].id);
        out_text(t, a[i].at);
        out_text(t, a[i].actor);
        out_text(t, a[i].action);
        out_text(t, a[i].row_key);
        out_text(t, a[i].detail);
    }
    return t;
}

/* ---------------- dispatch ---------------- */

int cmd_stock(cli_ctx *cli, int argc, char **argv)
{
    if (argc < 2) {
        stock_help(stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        stock_help(stdout);
        return 0;
    }
    static const struct {
        const char *name;
        int (*run)(cli_ctx *, int, char **);
    } subs[] = {{"warehouse", stock_warehouse}, {"list", stock_list},     {"history", stock_history},
                {"export", stock_export},       {"import", stock_import}, {"audit", stock_audit},
                {"verify", stock_verify},       {"cover", stock_cover},   {"plan", stock_plan}};
    static const char *const entries[] = {"add", "release", "transfer", "adjust", "reverse"};
    argc--;
    argv++;
    for (size_t i = 0; i < sizeof entries / sizeof *entries; i++)
        if (!strcmp(sub, entries[i])) return stock_entry(cli, (entry_cmd)i, argc, argv);
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        if (!strcmp(sub, subs[i].name)) return subs[i].run(cli, argc, argv);
    return cli_usage_error("stock", "unknown subcommand \"%s\"", sub);
}
