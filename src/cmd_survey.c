/* cmd_survey.c: 'rmct survey', the industry survey (lib/survey.h, docs/SURVEY.md): import a
 * campaign, list campaigns and companies, show one company, the industry's shape with the
 * confidentiality rule applied, exposure scores and who a scenario hits, corrections and their
 * history. Every reading takes --view (public, company:BRN, analyst); the library applies it. */
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "scenario.h"
#include "survey.h"
#include "survey_out.h"
#include "text.h"

enum {
    O_VIEW = OPT__COMMON_END, O_YEAR, O_OUTPUT, O_ACTOR, O_TITLE, O_NOTE, O_TABLE, O_SVG, O_SCENARIO, O_METHOD, O_REASON,
    O_WITHDRAW, O_NO_SCENARIOS, O_ALL,
    O_FIELD   /* correct: O_FIELD + column index */
};

typedef struct {
    cli_ctx *cli;
    const char *cmd;           /* "survey stats" */
    rmct_survey_view view;
    int year;
    bool xlsx;
    const char *output;
    const char *actor;
    char actor_buf[96];
} sv_ctx;

/* ---------------- help ---------------- */

static void survey_help(FILE *fp)
{
    fprintf(fp,
        "usage: rmct survey SUBCOMMAND [OPTIONS]   ('rmct survey SUBCOMMAND --help' for each)\n"
        "\n"
        "The industry survey: the registry of rare-metal companies, yearly campaigns, the shape of the\n"
        "industry and each company's exposure (docs/SURVEY.md).\n"
        "  import FILE      import a campaign CSV (data/survey/questionnaire.csv): all of it or nothing\n"
        "  list             the campaigns; with --year Y the companies of campaign Y\n"
        "  show COMPANY     one company's profile and answers\n"
        "  stats            the industry's shape: by size, stage, sector, region and metal with the change from\n"
        "                   the previous campaign; localisation by stage; concentration; origins of imports\n"
        "  exposure         each company's exposure score per metal and the scenarios that hit it; with\n"
        "                   --scenario NAME, who the scenario hits and when each one's stock runs out\n"
        "  correct COMPANY  enter or correct a profile or an answer: a new version, the old ones kept\n"
        "  history COMPANY  every version of a company's profile and answers: what changed, who, when, why\n"
        "\n"
        "COMPANY is a business registration number (123-45-67890) or a company name.\n"
        "Company answers are confidential. --view says who is looking: 'public' (what may be published:\n"
        "statistics with the confidentiality rule applied, printed under every table), 'company:BRN' (that\n"
        "company's own answers and exposure, and the public statistics), 'analyst' (the default; everything,\n"
        "with the cells the rule withholds marked x or c).\n"
        "Every listing takes --format table|csv|json|xlsx (xlsx needs --output FILE).\n");
}

static const char *common_help =
    "  --view V         public, company:BRN or analyst (default analyst)\n"
    "  --year Y         the campaign (default: the latest)\n"
    "  --format F       table (default), csv, json, or xlsx with --output FILE\n";

/* ---------------- options ---------------- */

/* The common options of survey subcommands; returns 1 if handled, -1 (usage error printed) if bad, 0 if not one. */
static int sv_common(sv_ctx *c, int opt, const char *arg)
{
    rmct_error err;
    rmct_error_clear(&err);
    switch (opt) {
    case OPT_FORMAT:
        if (!strcmp(arg, "xlsx")) {
            c->xlsx = true;
            return 1;
        }
        c->xlsx = false;
        if (!out_parse_format(arg, &c->cli->format)) {
            cli_usage_error(c->cmd, "--format: expected table, csv, json or xlsx, got \"%s\"", arg);
            return -1;
        }
        return 1;
    case O_VIEW:
        if (rmct_survey_view_parse(arg, &c->view, &err)) {
            cli_usage_error(c->cmd, "--view: %s", err.msg);
            return -1;
        }
        return 1;
    case O_YEAR: {
        long y;
        if (!rmct_parse_long(arg, 2000, 2200, &y)) {
            cli_usage_error(c->cmd, "--year: expected a year from 2000 to 2200, got \"%s\"", arg);
            return -1;
        }
        c->year = (int)y;
        return 1;
    }
    case O_OUTPUT: c->output = arg; return 1;
    case O_ACTOR: c->actor = arg; return 1;
    default: {
        int r = cli_common_option(c->cli, opt, arg);
        if (r < 0) return -1;
        return r;
    }
    }
}

#define SV_COMMON_OPTIONS                                                                                          \
    CLI_COMMON_OPTIONS, {"view", required_argument, NULL, O_VIEW}, {"year", required_argument, NULL, O_YEAR},     \
        {"output", required_argument, NULL, O_OUTPUT}, {"actor", required_argument, NULL, O_ACTOR}

static int check_output(sv_ctx *c)
{
    if (c->xlsx && !c->output) return cli_usage_error(c->cmd, "--format xlsx needs --output FILE");
    if (!c->xlsx && c->output) return cli_usage_error(c->cmd, "--output FILE is for --format xlsx");
    return 0;
}

static int actor_init(sv_ctx *c)
{
    const char *a = c->actor;
    if (!a || !*a) a = getenv("RMCT_ACTOR");
    if (!a || !*a) {
        if (getlogin_r(c->actor_buf, sizeof c->actor_buf) == 0 && c->actor_buf[0]) a = c->actor_buf;
        else {
            struct passwd *pw = getpwuid(geteuid());
            if (pw && pw->pw_name && *pw->pw_name) a = rmct_strlcpy(c->actor_buf, pw->pw_name, sizeof c->actor_buf);
        }
    }
    if (!a || !*a) {
        fprintf(stderr, "rmct: cannot tell who is recording: give --actor NAME or set RMCT_ACTOR\n");
        return 1;
    }
    c->actor = a;
    return 0;
}

static int load_codes(sv_ctx *c, rmct_survey_codes **codes)
{
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_survey_codes_load(c->cli->data_dir, codes, &err)) return cli_fail(&err);
    return 0;
}

static const char *view_text(const sv_ctx *c, char *buf, size_t size) { return rmct_survey_view_text(&c->view, buf, size); }

/* Print the sheets: one after the other as tables, the first (or all, concatenated by the caller)
 * as CSV/JSON, or all in one workbook. */
static int emit(sv_ctx *c, sv_sheet *const *sheets, int n, const sv_chart *charts, int n_charts)
{
    if (c->xlsx) {
        rmct_error err;
        rmct_error_clear(&err);
        if (sv_write_xlsx(c->output, sheets, n, charts, n_charts, &err)) return cli_fail(&err);
        printf("wrote %s (%d sheet%s)\n", c->output, n, n == 1 ? "" : "s");
        return 0;
    }
    for (int i = 0; i < n; i++) {
        if (c->cli->format == OUT_TABLE && i) printf("\n");
        sv_print(sheets[i], c->cli->format, stdout);
        if (c->cli->format != OUT_TABLE) break;
    }
    return 0;
}

/* A year: a number in CSV, JSON and XLSX, without a thousands separator in tables. */
static void sv_year(sv_sheet *s, int year)
{
    char b[16];
    snprintf(b, sizeof b, "%d", year);
    sv_num_as(s, year, 0, b);
}

/* ---------------- import ---------------- */

static int survey_import(sv_ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {SV_COMMON_OPTIONS, {"title", required_argument, NULL, O_TITLE},
                                         {"note", required_argument, NULL, O_NOTE}, {NULL, 0, NULL, 0}};
    const char *title = NULL, *note = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_HELP || opt == 'h') {
            printf("usage: rmct survey import FILE [--title TEXT] [--note TEXT] [--actor NAME]\n"
                   "\n"
                   "Import one campaign: a CSV with one row per company and metal, the columns of\n"
                   "data/survey/questionnaire.csv (docs/SURVEY.md). Every row is checked (business registration\n"
                   "number and its check digit, size class against the size criteria of Korean law when sales are\n"
                   "given, codes, supply shares adding up to 100, origins, one row per company and metal, the same\n"
                   "company columns on each of its rows); the first bad row rejects the file, naming its line and\n"
                   "field, and nothing is stored. The file becomes a source (dataset survey); importing the same\n"
                   "bytes again does nothing. A campaign year is imported once: later changes are corrections.\n"
                   "  --title TEXT     the campaign's title (default: Rare-metal industry survey YEAR)\n"
                   "  --note TEXT      what the data are and where they come from (default: said from the file;\n"
                   "                   a file whose rows are all synthetic is labelled SYNTHETIC TEST DATA)\n"
                   "  --actor NAME     who imports (default $RMCT_ACTOR, else the login name)\n");
            return 0;
        }
        if (opt == O_TITLE) title = optarg;
        else if (opt == O_NOTE) note = optarg;
        else {
            int r = sv_common(c, opt, optarg);
            if (r < 0) return EXIT_USAGE;
            if (r == 0 || opt == O_VIEW || opt == O_YEAR || opt == O_OUTPUT || c->xlsx)
                return cli_usage_error(c->cmd, "unknown or inapplicable option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind >= argc) return cli_usage_error(c->cmd, "expected the campaign file");
    const char *path = argv[optind++];
    if (optind < argc) return cli_usage_error(c->cmd, "unexpected argument \"%s\"", argv[optind]);
    if (actor_init(c)) return 1;
    rmct_survey_codes *codes;
    if (load_codes(c, &codes)) return 1;
    rmct_db *db;
    if (cli_open_db(c->cli, &db)) {
        rmct_survey_codes_free(codes);
        return 1;
    }
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_import_opts o = {c->actor, title, note};
    rmct_survey_import_result res;
    int rc = 0;
    if (rmct_survey_import(db, codes, path, NULL, &o, &res, &err)) rc = cli_fail(&err);
    else if (res.unchanged)
        printf("%s: unchanged (already imported as campaign %d)\n", path, res.year);
    else {
        rmct_survey_campaign camp;
        printf("%s: campaign %d imported: %ld companies (%ld new to the registry), %ld answers\n", path, res.year, res.companies,
               res.new_companies, res.rows);
        if (!rmct_survey_campaign_get(db, res.year, &camp, &err)) printf("data: %s\n", camp.data_note);
    }
    rmct_db_close(db);
    rmct_survey_codes_free(codes);
    return rc;
}

/* ---------------- list ---------------- */

/* The options of a subcommand that takes only the common ones: --help prints `help` and the
 * common options. -1 to go on, else the exit status to return. */
static int sv_options(sv_ctx *c, int argc, char **argv, const char *help)
{
    static const struct option opts[] = {SV_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_HELP || opt == 'h') {
            printf("%s%s", help, common_help);
            return 0;
        }
        int r = sv_common(c, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r == 0 || opt == O_ACTOR) return cli_usage_error(c->cmd, "unknown option \"%s\"", argv[optind - 1]);
    }
    return -1;
}

static int survey_list(sv_ctx *c, int argc, char **argv)
{
    int st = sv_options(c, argc, argv,
                        "usage: rmct survey list [--year Y] [--view V] [--format table|csv|json|xlsx] [--output FILE]\n"
                        "\n"
                        "The campaigns imported (year, title, questionnaire, companies and answers, the file, and whether\n"
                        "the data are synthetic). With --year Y: the companies that answered campaign Y (business\n"
                        "registration number, names, size class, main business, region, stages, sectors, metals), as the\n"
                        "view may see them: all for analysts, its own for a company, none for the public.\n");
    if (st >= 0) return st;
    if (optind < argc) return cli_usage_error(c->cmd, "unexpected argument \"%s\"", argv[optind]);
    if (check_output(c)) return EXIT_USAGE;
    rmct_db *db;
    if (cli_open_db(c->cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    int rc = 0;
    char vb[40];
    if (!c->year) {
        rmct_survey_campaign *v;
        int n;
        if (rmct_survey_campaigns(db, &v, &n, &err)) {
            rmct_db_close(db);
            return cli_fail(&err);
        }
        sv_sheet *s = sv_new("campaigns", "Survey campaigns");
        const char *cols[][2] = {{"year", "year"}, {"title", "title"}, {"questionnaire", "questionnaire"}, {"synthetic", "synthetic"},
                                 {"companies", "companies"}, {"answers", "answers"}, {"file", "file"}, {"sha256", "SHA-256"},
                                 {"imported_by", "imported by"}, {"imported_at", "imported at (UTC)"}, {"data", "data"}};
        for (size_t k = 0; k < sizeof cols / sizeof *cols; k++)
            sv_col(s, cols[k][0], cols[k][1], k == 4 || k == 5);
        for (int i = 0; i < n; i++) {
            char sha[16];
            snprintf(sha, sizeof sha, "%.12s", v[i].sha256);
            char year[16];
            snprintf(year, sizeof year, "%d", v[i].year);
            sv_row(s);
            sv_text(s, year);
            sv_text(s, v[i].title);
            sv_text(s, v[i].questionnaire);
            sv_text(s, v[i].synthetic ? "yes" : "no");
            sv_num(s, (double)v[i].companies, 0);
            sv_num(s, (double)v[i].answers, 0);
            sv_text(s, v[i].file_name);
            sv_text(s, sha);
            sv_text(s, v[i].recorded_by);
            sv_text(s, v[i].recorded_at);
            sv_text(s, v[i].data_note);
        }
        if (!n) sv_note(s, "No campaign yet: rmct survey import FILE");
        for (int i = 0; i < n; i++)
            if (v[i].synthetic) sv_note(s, "Campaign %d is %s", v[i].year, v[i].data_note);
        rc = emit(c, &s, 1, NULL, 0);
        sv_free(s);
        free(v);
        rmct_db_close(db);
        return rc;
    }
    rmct_survey_campaign camp;
    if (rmct_survey_campaign_get(db, c->year, &camp, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    if (c->view.kind == RMCT_VIEW_PUBLIC) {
        rmct_db_close(db);
        fprintf(stderr, "rmct: --view public: the companies that answered are confidential; the public view lists campaigns "
                        "only ('rmct survey list') and their statistics ('rmct survey stats')\n");
        return 1;
    }
    rmct_survey_profile *p;
    int n;
    if (rmct_survey_profiles(db, &c->view, camp.year, &p, &n, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    char title[300];
    snprintf(title, sizeof title, "Companies of campaign %d (view: %s)", camp.year, view_text(c, vb, sizeof vb));
    sv_sheet *s = sv_new("companies", title);
    const char *cols[][2] = {{"brn", "registration no."}, {"name_en", "name"}, {"name_ko", "name (Korean)"}, {"size", "size"},
                             {"ksic", "KSIC"}, {"region", "region"}, {"stages", "stages"}, {"sectors", "sectors"},
                             {"metals", "metals"}, {"version", "version"}, {"data", "data"}};
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) sv_col(s, cols[k][0], cols[k][1], k == 8 || k == 9);
    for (int i = 0; i < n; i++) {
        char b[13];
        sv_row(s);
        sv_text(s, rmct_brn_format(p[i].brn, b));
        sv_text(s, p[i].name_en);
        sv_text(s, p[i].name_ko);
        sv_text(s, p[i].size);
        sv_text(s, p[i].ksic);
        sv_text(s, p[i].region);
        sv_text(s, p[i].stages);
        sv_text(s, p[i].sectors);
        sv_num(s, p[i].metals, 0);
        sv_num(s, p[i].version, 0);
        sv_text(s, p[i].synthetic ? "synthetic (fictitious company)" : "survey answer");
    }
    if (camp.synthetic) sv_note(s, "%s", camp.data_note);
    if (c->view.kind == RMCT_VIEW_ANALYST) sv_note(s, "CONFIDENTIAL (analyst view): the companies that answered are not published.");
    rc = emit(c, &s, 1, NULL, 0);
    sv_free(s);
    free(p);
    rmct_db_close(db);
    return rc;
}

/* ---------------- show ---------------- */

static int company_arg(sv_ctx *c, rmct_db *db, const char *text, char brn[11])
{
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_survey_find_company(db, &c->view, text, brn, &err)) return cli_fail(&err);
    return 0;
}

static void answer_cols(sv_sheet *s)
{
    const char *cols[][2] = {{"metal", "metal"},          {"stage", "stage"},          {"consumed_t", "used t/yr"},
                             {"produced_t", "produced t/yr"}, {"import_pct", "imported %"}, {"domestic_pct", "domestic %"},
                             {"recycled_pct", "recycled %"}, {"origins", "origins (% of imports)"}, {"inventory_days", "stock days"},
                             {"difficulties", "difficulties"}, {"substitutes", "substitutes considered"},
                             {"difficulty_text", "difficulties (text)"}, {"version", "version"}};
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++)
        sv_col(s, cols[k][0], cols[k][1], (k >= 2 && k <= 6) || k == 8 || k == 12);
}

static void answer_row(sv_sheet *s, const rmct_survey_answer *a)
{
    sv_row(s);
    sv_text(s, a->metal);
    sv_text(s, a->stage);
    sv_num(s, a->consumed_t, 2);
    sv_num(s, a->produced_t, 2);
    sv_num(s, a->import_pct, 1);
    sv_num(s, a->domestic_pct, 1);
    sv_num(s, a->recycled_pct, 1);
    sv_text(s, a->origins);
    sv_num(s, a->inventory_days, 0);
    sv_text(s, a->difficulties);
    sv_text(s, a->substitutes);
    sv_text(s, a->difficulty_text);
    sv_num(s, a->version, 0);
}

/* After the options of show and history: COMPANY (the only argument), the output checked, the
 * database opened and the company's registration number found. -1 to go on (*db open), else the
 * exit status to return. */
static int sv_open_company(sv_ctx *c, int argc, char **argv, rmct_db **db, char brn[11])
{
    if (optind >= argc) return cli_usage_error(c->cmd, "expected a company (registration number or name)");
    const char *who = argv[optind++];
    if (optind < argc) return cli_usage_error(c->cmd, "unexpected argument \"%s\"", argv[optind]);
    if (check_output(c)) return EXIT_USAGE;
    if (cli_open_db(c->cli, db)) return 1;
    if (company_arg(c, *db, who, brn)) {
        rmct_db_close(*db);
        return 1;
    }
    return -1;
}

static int survey_show(sv_ctx *c, int argc, char **argv)
{
    int st = sv_options(c, argc, argv,
                        "usage: rmct survey show COMPANY [--year Y] [--view V] [--format table|csv|json|xlsx] [--output FILE]\n"
                        "\n"
                        "One company's profile (names, size class and how it was checked, main business, region, stages,\n"
                        "sectors) and its current answers, metal by metal, in a campaign (default: its latest). COMPANY is\n"
                        "a business registration number or a name. Only analysts and the company itself may see them.\n");
    if (st >= 0) return st;
    rmct_db *db;
    char brn[11];
    if ((st = sv_open_company(c, argc, argv, &db, brn)) >= 0) return st;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_profile p;
    rmct_survey_answer *a;
    int n;
    if (rmct_survey_company(db, &c->view, brn, c->year, &p, &a, &n, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    rmct_survey_campaign camp;
    if (rmct_survey_campaign_get(db, p.year, &camp, &err)) {
        free(a);
        rmct_db_close(db);
        return cli_fail(&err);
    }
    char b[13], title[400];
    snprintf(title, sizeof title, "%s (%s), %s: answers to the %d campaign", p.name_en, p.name_ko, rmct_brn_format(brn, b), p.year);
    sv_sheet *s = sv_new("answers", title);
    answer_cols(s);
    for (int i = 0; i < n; i++) answer_row(s, &a[i]);
    char sales[64] = "not given", assets[64] = "not given";
    if (!isnan(p.sales_krw_bn)) snprintf(sales, sizeof sales, "KRW %.10g bn", p.sales_krw_bn);
    if (!isnan(p.assets_krw_bn)) snprintf(assets, sizeof assets, "KRW %.10g bn", p.assets_krw_bn);
    sv_note(s, "size: %s (%s)", p.size, p.size_basis);
    sv_note(s, "main business (KSIC) %s; 3-year average sales %s; total assets %s; restricted business group: %s", p.ksic, sales,
            assets, p.restricted_group ? "yes" : "no");
    sv_note(s, "region %s; stages %s; sectors %s; profile version %d (%s, by %s; 'rmct survey history' gives when)", p.region,
            p.stages, p.sectors, p.version, p.reason, p.actor);
    if (camp.synthetic || p.synthetic) sv_note(s, "%s", camp.data_note);
    sv_note(s, "CONFIDENTIAL: one company's answers (view %s); never published.", view_text(c, title, sizeof title));
    int rc = emit(c, &s, 1, NULL, 0);
    sv_free(s);
    free(a);
    rmct_db_close(db);
    return rc;
}

/* ---------------- stats ---------------- */

static const char *mark(rmct_cell_status s)
{
    switch (s) {
    case RMCT_CELL_FEW: case RMCT_CELL_DOMINATED: return "x";
    case RMCT_CELL_SECONDARY: return "c";
    default: return "";
    }
}

/* One published table as a sheet (wide): key, label, its columns, what is withheld; for CSV/JSON the
 * data note and the rule on every row. */
static sv_sheet *stats_sheet(const rmct_survey_stats *st, const rmct_survey_table *t, bool machine)
{
    char title[400];
    snprintf(title, sizeof title, "%s, %d%s", t->title, st->year, st->prev_year ? "" : " (no earlier campaign)");
    if (st->prev_year) snprintf(title + strlen(title), sizeof title - strlen(title), " (previous campaign %d)", st->prev_year);
    sv_sheet *s = sv_new(t->name, title);
    sv_col(s, "key", t->name, false);
    sv_col(s, "label", "", false);
    for (int j = 0; j < t->n_cols; j++) sv_col(s, t->cols[j].key, t->cols[j].label, true);
    sv_col(s, "withheld", "withheld", false);
    if (machine) {
        sv_col(s, "year", "year", true);
        sv_col(s, "view", "view", false);
        sv_col(s, "data", "data", false);
        sv_col(s, "rule", "rule", false);
    }
    bool analyst = st->view.kind == RMCT_VIEW_ANALYST;
    char vb[40];
    rmct_survey_view_text(&st->view, vb, sizeof vb);
    for (int i = 0; i < t->n_rows; i++) {
        const rmct_survey_row *r = &t->rows[i];
        sv_row(s);
        sv_text(s, r->key);
        sv_text(s, r->label);
        char withheld[400] = "";
        for (int j = 0; j < t->n_cols; j++) {
            const rmct_survey_cell *x = &r->cells[j];
            int dec = t->cols[j].decimals;
            if (x->status == RMCT_CELL_EMPTY) {
                sv_num_as(s, NAN, dec, "-");
                continue;
            }
            if (x->status == RMCT_CELL_SHOWN) {
                sv_num(s, x->value, dec);
                continue;
            }
            char item[64], shown[64];
            snprintf(item, sizeof item, "%s%s:%s", withheld[0] ? "; " : "", t->cols[j].key, mark(x->status));
            strncat(withheld, item, sizeof withheld - strlen(withheld) - 1);
            if (analyst && isfinite(x->value)) {
                char num[48];
                out_fmt_num(num, sizeof num, x->value, dec);
                snprintf(shown, sizeof shown, "%s %s", num, mark(x->status));
                sv_num_as(s, x->value, dec, shown);
            } else {
                sv_num_as(s, NAN, dec, mark(x->status));
            }
        }
        sv_text(s, withheld);
        if (machine) {
            sv_year(s, st->year);
            sv_text(s, vb);
            sv_text(s, st->data_note);
            sv_text(s, rmct_survey_rule);
        }
    }
    sv_note(s, "%s.", t->note);
    if (analyst)
        sv_note(s, "ANALYST VIEW, CONFIDENTIAL: values marked x or c are withheld from published tables (--view public).");
    if (st->synthetic) sv_note(s, "%s", st->data_note);
    sv_note(s, "%s", rmct_survey_rule);
    return s;
}

/* The long form for CSV/JSON of all tables: one row per cell. */
static sv_sheet *stats_long(const rmct_survey_stats *st)
{
    sv_sheet *s = sv_new("stats", "");
    const char *cols[][2] = {{"year", "year"}, {"table", "table"}, {"key", "key"}, {"label", "label"}, {"column", "column"},
                             {"value", "value"}, {"companies", "companies"}, {"status", "status"}, {"view", "view"},
                             {"data", "data"}, {"rule", "rule"}};
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) sv_col(s, cols[k][0], cols[k][1], k == 0 || k == 5 || k == 6);
    char vb[40];
    rmct_survey_view_text(&st->view, vb, sizeof vb);
    for (int t = 0; t < st->n_tables; t++) {
        const rmct_survey_table *tb = &st->tables[t];
        for (int i = 0; i < tb->n_rows; i++)
            for (int j = 0; j < tb->n_cols; j++) {
                const rmct_survey_cell *x = &tb->rows[i].cells[j];
                sv_row(s);
                sv_year(s, st->year);
                sv_text(s, tb->name);
                sv_text(s, tb->rows[i].key);
                sv_text(s, tb->rows[i].label);
                sv_text(s, tb->cols[j].key);
                sv_num(s, x->value, tb->cols[j].decimals);
                if (x->companies >= 0 && x->status != RMCT_CELL_EMPTY) sv_num(s, x->companies, 0);
                else sv_text(s, NULL);
                sv_text(s, rmct_cell_status_name(x->status));
                sv_text(s, vb);
                sv_text(s, st->data_note);
                sv_text(s, rmct_survey_rule);
            }
    }
    return s;
}

static const char *stats_tables = "size, stage, sector, region, metal, localisation, concentration, origins";

static int survey_stats(sv_ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {SV_COMMON_OPTIONS, {"table", required_argument, NULL, O_TABLE},
                                         {"svg", required_argument, NULL, O_SVG}, {NULL, 0, NULL, 0}};
    const char *table = NULL, *svg = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_HELP || opt == 'h') {
            printf("usage: rmct survey stats [--year Y] [--view V] [--table NAME] [--svg DIR]\n"
                   "                         [--format table|csv|json|xlsx] [--output FILE]\n"
                   "\n"
                   "The shape of the industry in a campaign, with the change from the previous one:\n"
                   "  size          companies by size class (large, mid-sized, medium, small)\n"
                   "  stage         companies by value-chain stage (resource, materials, components, products, recycling)\n"
                   "  sector        companies by sector served\n"
                   "  region        companies by region of their main plant\n"
                   "  metal         per metal: companies, tonnes used and produced, supply imported, domestic and\n"
                   "                recycled, days of stock\n"
                   "  localisation  for the focus chains (rare-earth magnets, batteries, semiconductor targets): the\n"
                   "                domestic share of supply at each stage\n"
                   "  concentration the share of each metal's use by the 3 largest users\n"
                   "  origins       imports by country of origin, per metal\n"
                   "Confidentiality: a cell built from fewer than 3 companies, or more than 85%% from one company, is\n"
                   "withheld (x); further cells are withheld (c) so that none can be recovered from totals and other\n"
                   "cells, which a linear-programming audit checks. The rule is printed with every table. --view\n"
                   "public gives what may be published; analysts see the withheld values, marked.\n"
                   "  --table NAME     one table (%s); csv and json without it give\n"
                   "                   every cell in long form (table, key, column, value, companies, status)\n"
                   "  --svg DIR        bar charts of the size, stage and sector tables as SVG files in DIR\n%s",
                   stats_tables, common_help);
            return 0;
        }
        if (opt == O_TABLE) table = optarg;
        else if (opt == O_SVG) svg = optarg;
        else {
            int r = sv_common(c, opt, optarg);
            if (r < 0) return EXIT_USAGE;
            if (r == 0 || opt == O_ACTOR) return cli_usage_error(c->cmd, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error(c->cmd, "unexpected argument \"%s\"", argv[optind]);
    if (check_output(c)) return EXIT_USAGE;
    if (table) {
        char list[200];
        snprintf(list, sizeof list, ", %s,", stats_tables);
        char needle[64];
        snprintf(needle, sizeof needle, " %s,", table);
        if (!strstr(list, needle)) return cli_usage_error(c->cmd, "--table: expected one of %s, got \"%s\"", stats_tables, table);
    }
    rmct_survey_codes *codes;
    if (load_codes(c, &codes)) return 1;
    rmct_db *db;
    if (cli_open_db(c->cli, &db)) {
        rmct_survey_codes_free(codes);
        return 1;
    }
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_stats *st;
    if (rmct_survey_stats_compute(db, codes, &c->view, c->year, NULL, &st, &err)) {
        rmct_db_close(db);
        rmct_survey_codes_free(codes);
        return cli_fail(&err);
    }
    rmct_db_close(db);
    rmct_survey_codes_free(codes);
    bool machine = !c->xlsx && c->cli->format != OUT_TABLE;
    int rc = 0;
    sv_sheet *sheets[16];
    const char *sheet_table[16];
    int n = 0;
    for (int t = 0; t < st->n_tables && n < 15; t++)
        if (!table || !strcmp(st->tables[t].name, table)) {
            sheet_table[n] = st->tables[t].name;
            sheets[n++] = stats_sheet(st, &st->tables[t], machine);
        }
    /* charts of the companies column (2) against the labels (1): size (without its total row), stage, sector */
    sv_chart charts[3];
    const char *charted[3];
    int nc = 0;
    const char *chart_of[] = {"size", "stage", "sector"};
    char chart_titles[3][120];
    snprintf(chart_titles[0], sizeof chart_titles[0], "Companies by size class, %d", st->year);
    snprintf(chart_titles[1], sizeof chart_titles[1], "Companies by value-chain stage, %d", st->year);
    snprintf(chart_titles[2], sizeof chart_titles[2], "Companies by sector served, %d", st->year);
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < n; i++)
            if (!strcmp(sheet_table[i], chart_of[k])) {
                charted[nc] = chart_of[k];
                charts[nc++] = (sv_chart){i, 2, 1, k == 0 ? 1 : 0, chart_titles[k]};
                break;
            }
    char vb[40];
    if (c->xlsx) {
        /* a first sheet saying what the workbook is */
        sv_sheet *about = sv_new("about", st->title);
        sv_col(about, "item", "item", false);
        sv_col(about, "value", "value", false);
        const char *kv[][2] = {{"campaign", ""}, {"view", rmct_survey_view_text(&st->view, vb, sizeof vb)}, {"data", st->data_note},
                               {"rule", rmct_survey_rule}};
        char year[16];
        snprintf(year, sizeof year, "%d", st->year);
        kv[0][1] = year;
        for (int k = 0; k < 4; k++) {
            sv_row(about);
            sv_text(about, kv[k][0]);
            sv_text(about, kv[k][1]);
        }
        if (st->synthetic) sv_note(about, "%s", st->data_note);
        sv_note(about, "%s", rmct_survey_rule);
        sv_sheet *all[17];
        all[0] = about;
        for (int i = 0; i < n; i++) all[i + 1] = sheets[i];
        for (int k = 0; k < nc; k++) charts[k].sheet++;
        rc = emit(c, all, n + 1, charts, nc);
        sv_free(about);
    } else if (machine && !table) {
        sv_sheet *l = stats_long(st);
        rc = emit(c, &l, 1, NULL, 0);
        sv_free(l);
    } else {
        if (c->cli->format == OUT_TABLE)
            printf("%s: the industry's shape (view: %s)\n"
                   "Confidentiality: %d cells withheld by the rule, %d more to protect them; audit: %d company figures checked by %d "
                   "linear programmes, %d could be bounded within +-15%%.\n\n",
                   st->title, rmct_survey_view_text(&st->view, vb, sizeof vb), st->primary, st->secondary, st->audited, st->lp_solves,
                   st->disclosed);
        rc = emit(c, sheets, n, NULL, 0);
    }
    if (!rc && svg) {
        mkdir(svg, 0777);
        char foot[1200];
        snprintf(foot, sizeof foot, "%s%s%s", st->synthetic ? st->data_note : "", st->synthetic ? " " : "", rmct_survey_rule);
        for (int k = 0; k < nc && !rc; k++) {
            sv_chart ch = charts[k];
            if (c->xlsx) ch.sheet--;
            char path[700];
            snprintf(path, sizeof path, "%s/%s.svg", svg, charted[k]);
            if (sv_write_svg(path, sheets[ch.sheet], &ch, foot, &err)) rc = cli_fail(&err);
            else if (c->cli->format == OUT_TABLE && !c->xlsx) printf("wrote %s\n", path);
        }
    }
    for (int i = 0; i < n; i++) sv_free(sheets[i]);
    rmct_survey_stats_free(st);
    return rc;
}

/* ---------------- exposure ---------------- */

/* A summary table (counts by size class) as a sheet; for CSV/JSON the year, view, data note and
 * rule on every row. */
static void summary_sheet_rows(sv_sheet *s, const rmct_survey_table *t, bool analyst, bool machine, int year, const char *view,
                               const char *data)
{
    sv_col(s, "key", "size", false);
    sv_col(s, "label", "", false);
    for (int j = 0; j < t->n_cols; j++) sv_col(s, t->cols[j].key, t->cols[j].label, true);
    sv_col(s, "withheld", "withheld", false);
    if (machine) {
        sv_col(s, "year", "year", true);
        sv_col(s, "view", "view", false);
        sv_col(s, "data", "data", false);
        sv_col(s, "rule", "rule", false);
    }
    for (int i = 0; i < t->n_rows; i++) {
        sv_row(s);
        sv_text(s, t->rows[i].key);
        sv_text(s, t->rows[i].label);
        char withheld[300] = "";
        for (int j = 0; j < t->n_cols; j++) {
            const rmct_survey_cell *x = &t->rows[i].cells[j];
            int dec = t->cols[j].decimals;
            if (x->status != RMCT_CELL_SHOWN && x->status != RMCT_CELL_EMPTY) {
                char item[64];
                snprintf(item, sizeof item, "%s%s:%s", withheld[0] ? "; " : "", t->cols[j].key, mark(x->status));
                strncat(withheld, item, sizeof withheld - strlen(withheld) - 1);
            }
            if (x->status == RMCT_CELL_EMPTY) sv_num_as(s, NAN, dec, "-");
            else if (x->status == RMCT_CELL_SHOWN) sv_num(s, x->value, dec);
            else if (analyst && isfinite(x->value)) {
                char num[48], shown[64];
                out_fmt_num(num, sizeof num, x->value, dec);
                snprintf(shown, sizeof shown, "%s %s", num, mark(x->status));
                sv_num_as(s, x->value, dec, shown);
            } else {
                sv_num_as(s, NAN, dec, mark(x->status));
            }
        }
        sv_text(s, withheld);
        if (machine) {
            sv_year(s, year);
            sv_text(s, view);
            sv_text(s, data);
            sv_text(s, rmct_survey_rule);
        }
    }
}

static int survey_impact(sv_ctx *c, rmct_db *db, const char *scenario, bool all)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_impact *x;
    if (rmct_survey_impact_run(db, &c->view, c->year, c->cli->data_dir, scenario, &x, &err)) return cli_fail(&err);
    char vb[40], title[400];
    bool analyst = c->view.kind == RMCT_VIEW_ANALYST;
    bool machine = !c->xlsx && c->cli->format != OUT_TABLE;
    sv_sheet *sheets[2];
    int n = 0;
    if (c->view.kind != RMCT_VIEW_PUBLIC) {
        snprintf(title, sizeof title, "%s: who is hit, campaign %d (view: %s)", x->title, x->year, view_text(c, vb, sizeof vb));
        sv_sheet *s = sv_new("companies", title);
        const char *cols[][2] = {{"brn", "registration no."},  {"company", "company"},         {"size", "size"},
                                 {"metal", "metal"},            {"consumed_t", "used t/yr"},    {"inventory_days", "stock days"},
                                 {"import_pct", "imported %"},   {"domestic_pct", "domestic %"}, {"import_cut_max_pct", "imports cut, max %"},
                                 {"market_short_max_pct", "Korean market short, max %"}, {"supply_lost_max_pct", "its supply lost, max %"},
                                 {"first_affected", "first hit"}, {"stockout", "stock runs out"}, {"months_short", "months short"},
                                 {"shortfall_t", "use not served t"}};
        for (size_t k = 0; k < sizeof cols / sizeof *cols; k++)
            sv_col(s, cols[k][0], cols[k][1], (k >= 4 && k <= 10) || k == 13 || k == 14);
        if (machine) sv_col(s, "scenario", "scenario", false), sv_col(s, "data", "data", false);
        int others = 0;
        for (int i = 0; i < x->n_rows; i++) {
            const rmct_impact_row *r = &x->rows[i];
            char b[13], m1[16], m2[16];
            if (!all && !r->affected) {
                others++;
                continue;
            }
            sv_row(s);
            sv_text(s, rmct_brn_format(r->brn, b));
            sv_text(s, r->name_en);
            sv_text(s, r->size);
            sv_text(s, r->metal);
            sv_num(s, r->consumed_t, 2);
            sv_num(s, r->inventory_days, 0);
            sv_num(s, 100 * r->import_share, 1);
            sv_num(s, 100 * r->domestic_share, 1);
            sv_num(s, 100 * r->direct_cut_max, 1);
            sv_num(s, 100 * r->market_short_max, 1);
            sv_num(s, 100 * r->supply_lost_max, 1);
            sv_text(s, r->first_affected >= 0 ? rmct_month_format(x->start + r->first_affected, m1, sizeof m1) : "no");
            sv_text(s, r->stockout >= 0 ? rmct_month_format(x->start + r->stockout, m2, sizeof m2) : "no");
            sv_num(s, r->months_short, 0);
            sv_num(s, r->shortfall_t, 2);
            if (machine) sv_text(s, x->scenario), sv_text(s, x->data_note);
        }
        if (others) sv_note(s, "%d other company-metal pairs are not hit (--all lists them).", others);
        sv_note(s, "Its imports fall by the scenario's export restrictions on each origin (central values), its purchases in Korea as "
                   "the Korean market is short in the scenario's trace, its recycled supply not at all; its own stock covers the gap until "
                   "it runs out (docs/SURVEY.md, Exposure).");
        if (x->synthetic) sv_note(s, "%s", x->data_note);
        sv_note(s, "CONFIDENTIAL: company-level results (view %s); never published.", vb);
        sheets[n++] = s;
    }
    if (!machine || c->view.kind == RMCT_VIEW_PUBLIC) {
        snprintf(title, sizeof title, "%.190s: %.150s, campaign %d", x->title, x->summary.title, x->year);
        sv_sheet *s = sv_new("summary", title);
        summary_sheet_rows(s, &x->summary, analyst, machine, x->year, view_text(c, vb, sizeof vb), x->data_note);
        sv_note(s, "%s.", x->summary.note);
        if (analyst) sv_note(s, "ANALYST VIEW, CONFIDENTIAL: values marked x or c are withheld from published tables (--view public).");
        if (x->synthetic) sv_note(s, "%s", x->data_note);
        sv_note(s, "%s", rmct_survey_rule);
        sheets[n++] = s;
    }
    if (c->cli->format == OUT_TABLE && !c->xlsx) {
        char m0[16], m1[16];
        printf("Scenario %s, %s to %s (%d months); companies of the %d campaign\n\n", x->scenario, rmct_month_format(x->start, m0, sizeof m0),
               rmct_month_format(x->start + x->months - 1, m1, sizeof m1), x->months, x->year);
    }
    int rc = emit(c, sheets, n, NULL, 0);
    for (int i = 0; i < n; i++) sv_free(sheets[i]);
    rmct_survey_impact_free(x);
    return rc;
}

static int survey_exposure(sv_ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {SV_COMMON_OPTIONS, {"scenario", required_argument, NULL, O_SCENARIO},
                                         {"method", required_argument, NULL, O_METHOD},
                                         {"no-scenarios", no_argument, NULL, O_NO_SCENARIOS},
                                         {"all", no_argument, NULL, O_ALL}, {NULL, 0, NULL, 0}};
    const char *scenario = NULL, *method = NULL;
    bool no_scen = false, all = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_HELP || opt == 'h') {
            printf("usage: rmct survey exposure [--year Y] [--view V] [--method FILE] [--no-scenarios]\n"
                   "                            [--format table|csv|json|xlsx] [--output FILE]\n"
                   "       rmct survey exposure --scenario NAME [--all] [--year Y] [--view V] [--format ...]\n"
                   "\n"
                   "Each company's exposure score per metal it uses: its own supply risk, the EU formula of the\n"
                   "national assessment (rmct assess) with the company's sourcing in Korea's place: its imports by\n"
                   "country, its purchases in Korea and its recycled share (docs/SURVEY.md). A score at or above the\n"
                   "SR threshold (1.0) is as risky as a critical metal's supply. 'hit by' lists the bundled scenarios\n"
                   "(data/scenarios) that cut its supply of the metal, marked ! where its own stock runs out.\n"
                   "With --scenario NAME: month by month, whose supply the scenario cuts, by how much, and when each\n"
                   "company's own stock runs out. The public view gives counts by size class, with the rule applied.\n"
                   "  --method FILE    the assessment method (default DATA/methods/eu2017-kr.json)\n"
                   "  --no-scenarios   skip the 'hit by' columns (faster)\n"
                   "  --all            with --scenario: also the companies and metals it does not hit\n%s",
                   common_help);
            return 0;
        }
        if (opt == O_SCENARIO) scenario = optarg;
        else if (opt == O_METHOD) method = optarg;
        else if (opt == O_NO_SCENARIOS) no_scen = true;
        else if (opt == O_ALL) all = true;
        else {
            int r = sv_common(c, opt, optarg);
            if (r < 0) return EXIT_USAGE;
            if (r == 0 || opt == O_ACTOR) return cli_usage_error(c->cmd, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error(c->cmd, "unexpected argument \"%s\"", argv[optind]);
    if (check_output(c)) return EXIT_USAGE;
    if (scenario && (method || no_scen)) return cli_usage_error(c->cmd, "--scenario takes no --method or --no-scenarios");
    if (all && !scenario) return cli_usage_error(c->cmd, "--all goes with --scenario");
    rmct_db *db;
    if (cli_open_db(c->cli, &db)) return 1;
    if (scenario) {
        int rc = survey_impact(c, db, scenario, all);
        rmct_db_close(db);
        return rc;
    }
    char mpath[700];
    if (method) snprintf(mpath, sizeof mpath, "%s", method);
    else snprintf(mpath, sizeof mpath, "%s/methods/eu2017-kr.json", c->cli->data_dir);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_exposure *x;
    if (rmct_survey_exposure_compute(db, &c->view, c->year, mpath, &x, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    /* the scenarios that hit each row */
    char names[32][64];
    int ns = no_scen || c->view.kind == RMCT_VIEW_PUBLIC ? 0 : rmct_scenario_names(c->cli->data_dir, names, 32);
    char (*hit)[400] = calloc((size_t)(x->n_rows ? x->n_rows : 1), sizeof *hit);
    if (!hit) abort();
    int rc = 0;
    for (int k = 0; k < ns && !rc; k++) {
        rmct_survey_impact *im;
        if (rmct_survey_impact_run(db, &c->view, x->year, c->cli->data_dir, names[k], &im, &err)) {
            rc = cli_fail(&err);
            break;
        }
        for (int i = 0; i < x->n_rows; i++)
            for (int j = 0; j < im->n_rows; j++)
                if (!strcmp(im->rows[j].brn, x->rows[i].brn) && !strcmp(im->rows[j].metal, x->rows[i].metal) && im->rows[j].affected) {
                    char item[80];
                    snprintf(item, sizeof item, "%s%.60s%s", hit[i][0] ? ", " : "", names[k], im->rows[j].stockout >= 0 ? " !" : "");
                    strncat(hit[i], item, sizeof hit[i] - strlen(hit[i]) - 1);
                }
        rmct_survey_impact_free(im);
    }
    rmct_db_close(db);
    if (rc) {
        free(hit);
        rmct_survey_exposure_free(x);
        return rc;
    }
    char vb[40], title[400];
    bool analyst = c->view.kind == RMCT_VIEW_ANALYST;
    bool machine = !c->xlsx && c->cli->format != OUT_TABLE;
    sv_sheet *sheets[2];
    int n = 0;
    if (c->view.kind != RMCT_VIEW_PUBLIC) {
        snprintf(title, sizeof title, "Exposure of the companies of campaign %d (view: %s; method %s, supply data of %d)", x->year,
                 view_text(c, vb, sizeof vb), x->method, x->assessment_year);
        sv_sheet *s = sv_new("exposure", title);
        const char *cols[][2] = {{"brn", "registration no."}, {"company", "company"}, {"size", "size"}, {"metal", "metal"},
                                 {"consumed_t", "used t/yr"}, {"import_pct", "imported %"}, {"domestic_pct", "domestic %"},
                                 {"recycled_pct", "recycled %"}, {"national_sr", "national SR"}, {"score", "exposure score"},
                                 {"vs_national", "x national"}, {"driver", "what drives its sourcing risk"}, {"hit_by", "hit by (! stock runs out)"}};
        for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) sv_col(s, cols[k][0], cols[k][1], k >= 4 && k <= 10);
        if (machine) sv_col(s, "stage", "SR stage", false), sv_col(s, "data", "data", false);
        for (int i = 0; i < x->n_rows; i++) {
            const rmct_exposure_row *r = &x->rows[i];
            char b[13];
            sv_row(s);
            sv_text(s, rmct_brn_format(r->brn, b));
            sv_text(s, r->name_en);
            sv_text(s, r->size);
            sv_text(s, r->metal);
            sv_num(s, r->consumed_t, 2);
            sv_num(s, 100 * r->import_share, 1);
            sv_num(s, 100 * r->domestic_share, 1);
            sv_num(s, 100 * r->recycled_share, 1);
            sv_num(s, r->national_sr, 2);
            sv_num(s, r->has_score ? r->score : NAN, 2);
            sv_num(s, r->has_score && r->national_sr > 0 ? r->score / r->national_sr : NAN, 2);
            sv_text(s, r->has_score ? r->driver : r->why_not);
            sv_text(s, ns ? hit[i] : NULL);
            if (machine) sv_text(s, r->stage), sv_text(s, x->data_note);
        }
        sv_note(s, "exposure score = the company's supply risk of the metal: the EU formula with its own sourcing (imports by country, "
                   "purchases in Korea) in Korea's place and its recycled share as EoL-RIR (docs/SURVEY.md). At or above %.1f: as risky "
                   "as a critical metal's supply.", x->sr_threshold);
        if (x->synthetic) sv_note(s, "%s", x->data_note);
        sv_note(s, "CONFIDENTIAL: company-level results (view %s); never published.", vb);
        sheets[n++] = s;
    }
    if (!machine || c->view.kind == RMCT_VIEW_PUBLIC) {
        snprintf(title, sizeof title, "%s, campaign %d", x->summary.title, x->year);
        sv_sheet *s = sv_new("summary", title);
        summary_sheet_rows(s, &x->summary, analyst, machine, x->year, view_text(c, vb, sizeof vb), x->data_note);
        sv_note(s, "%s.", x->summary.note);
        if (analyst) sv_note(s, "ANALYST VIEW, CONFIDENTIAL: values marked x or c are withheld from published tables (--view public).");
        if (x->synthetic) sv_note(s, "%s", x->data_note);
        sv_note(s, "%s", rmct_survey_rule);
        sheets[n++] = s;
    }
    rc = emit(c, sheets, n, NULL, 0);
    for (int i = 0; i < n; i++) sv_free(sheets[i]);
    free(hit);
    rmct_survey_exposure_free(x);
    return rc;
}

/* ---------------- correct ---------------- */

/* The CSV columns a correction may set, as options --name-ko, --consumed-t, ... */
static const char *const field_cols[] = {"name_ko", "name_en", "size", "ksic", "avg_sales_krw_bn", "total_assets_krw_bn",
                                         "restricted_group", "region", "stages", "sectors", "metal", "stage", "consumed_t",
                                         "produced_t", "import_pct", "domestic_pct", "recycled_pct", "origins", "inventory_days",
                                         "substitutes", "difficulties", "difficulty_text"};
#define N_FIELDS ((int)(sizeof field_cols / sizeof *field_cols))
#define FIRST_ANSWER_FIELD 10

static void option_of(const char *col, char *buf, size_t size)
{
    snprintf(buf, size, "--%.60s", col);
    for (char *p = buf; *p; p++)
        if (*p == '_') *p = '-';
}

static int survey_correct(sv_ctx *c, int argc, char **argv)
{
    static char names[N_FIELDS][64];
    static struct option opts[N_FIELDS + 16] = {SV_COMMON_OPTIONS, {"reason", required_argument, NULL, O_REASON},
                                                {"withdraw", no_argument, NULL, O_WITHDRAW}};
    int base = 0;
    while (opts[base].name) base++;
    for (int k = 0; k < N_FIELDS; k++) {
        option_of(field_cols[k], names[k], sizeof names[k]);
        opts[base + k] = (struct option){names[k] + 2, required_argument, NULL, O_FIELD + k};
    }
    opts[base + N_FIELDS] = (struct option){NULL, 0, NULL, 0};
    const char *val[N_FIELDS] = {0}, *reason = NULL;
    bool withdraw = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_HELP || opt == 'h') {
            printf("usage: rmct survey correct COMPANY --year Y --reason TEXT [PROFILE FIELDS] [--actor NAME] [--view V]\n"
                   "       rmct survey correct COMPANY --year Y --metal M --reason TEXT [ANSWER FIELDS | --withdraw] ...\n"
                   "\n"
                   "Enter or correct a company's answers to campaign Y: the fields given replace the current ones and\n"
                   "the result is checked exactly as an imported row, then recorded as the next version (the earlier\n"
                   "versions stay: 'rmct survey history COMPANY'). With --metal M the answer for that metal is\n"
                   "corrected, or entered if the company has none (then --stage, --consumed-t, --produced-t and\n"
                   "--inventory-days are needed); --withdraw withdraws it. Without --metal the profile is corrected.\n"
                   "Only analysts and the company itself (--view company:BRN) may change a company's answers.\n"
                   "Profile fields: --name-ko, --name-en, --size, --ksic, --avg-sales-krw-bn, --total-assets-krw-bn,\n"
                   "  --restricted-group, --region, --stages, --sectors\n"
                   "Answer fields: --stage, --consumed-t, --produced-t, --import-pct, --domestic-pct, --recycled-pct,\n"
                   "  --origins, --inventory-days, --substitutes, --difficulties, --difficulty-text\n"
                   "(the columns of the campaign CSV, data/survey/questionnaire.csv).\n"
                   "  --reason TEXT    why (required)\n"
                   "  --actor NAME     who corrects (default $RMCT_ACTOR, else the login name)\n");
            return 0;
        }
        if (opt >= O_FIELD && opt < O_FIELD + N_FIELDS) val[opt - O_FIELD] = optarg;
        else if (opt == O_REASON) reason = optarg;
        else if (opt == O_WITHDRAW) withdraw = true;
        else {
            int r = sv_common(c, opt, optarg);
            if (r < 0) return EXIT_USAGE;
            if (r == 0 || opt == O_OUTPUT || c->xlsx) return cli_usage_error(c->cmd, "unknown or inapplicable option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind >= argc) return cli_usage_error(c->cmd, "expected a company (registration number or name)");
    const char *who = argv[optind++];
    if (optind < argc) return cli_usage_error(c->cmd, "unexpected argument \"%s\"", argv[optind]);
    if (!c->year) return cli_usage_error(c->cmd, "--year: expected the campaign to correct");
    bool answer = val[FIRST_ANSWER_FIELD] != NULL;
    for (int k = 0; k < N_FIELDS; k++)
        if (val[k] && (k < FIRST_ANSWER_FIELD) == answer)
            return cli_usage_error(c->cmd, "%s does not go with %s (correct the profile and an answer separately)", names[k],
                                   answer ? "--metal" : "a profile correction (no --metal)");
    if (withdraw && !answer) return cli_usage_error(c->cmd, "--withdraw needs --metal");
    if (c->view.kind == RMCT_VIEW_PUBLIC)
        return cli_usage_error(c->cmd, "--view: expected analyst or the company's own view (company:BRN) to change answers, got public");
    if (actor_init(c)) return 1;
    rmct_survey_codes *codes;
    if (load_codes(c, &codes)) return 1;
    rmct_db *db;
    if (cli_open_db(c->cli, &db)) {
        rmct_survey_codes_free(codes);
        return 1;
    }
    char brn[11];
    int rc = company_arg(c, db, who, brn);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_change ch = {c->actor, reason};
    int version = 0;
    rmct_code code = RMCT_OK;
    if (!rc) {
        if (answer) {
            rmct_survey_answer_edit e = {val[10], val[11], val[12], val[13], val[14], val[15], val[16], val[17], val[18], val[19],
                                         val[20], val[21], withdraw};
            code = rmct_survey_correct_answer(db, codes, &c->view, &ch, c->year, brn, &e, &version, &err);
        } else {
            rmct_survey_profile_edit e = {val[0], val[1], val[2], val[3], val[4], val[5], val[6], val[7], val[8], val[9]};
            code = rmct_survey_correct_profile(db, codes, &c->view, &ch, c->year, brn, &e, &version, &err);
        }
        if (code) {
            if (err.field[0] && !err.file[0]) {
                char o[80];
                option_of(err.field, o, sizeof o);
                rmct_strlcpy(err.field, o, sizeof err.field);
            }
            rc = cli_fail(&err);
        } else {
            char b[13];
            if (answer)
                printf("company %s, campaign %d: answer for %s %s as version %d (%s, by %s)\n", rmct_brn_format(brn, b), c->year,
                       val[FIRST_ANSWER_FIELD], withdraw ? "withdrawn" : version == 1 ? "entered" : "corrected", version, reason, c->actor);
            else
                printf("company %s, campaign %d: profile corrected as version %d (%s, by %s)\n", rmct_brn_format(brn, b), c->year, version,
                       reason, c->actor);
        }
    }
    rmct_db_close(db);
    rmct_survey_codes_free(codes);
    return rc;
}

/* ---------------- history ---------------- */

static int survey_history(sv_ctx *c, int argc, char **argv)
{
    int st = sv_options(c, argc, argv,
                        "usage: rmct survey history COMPANY [--year Y] [--view V] [--format table|csv|json|xlsx] [--output FILE]\n"
                        "\n"
                        "Every version of a company's profiles and answers (every campaign, or --year Y), in the order\n"
                        "recorded: what changed from the version before, the reason, who recorded it and when, and the\n"
                        "imported file and line or 'correction'. Versions are never edited or deleted; the database\n"
                        "refuses it. Only analysts and the company itself may see them.\n");
    if (st >= 0) return st;
    rmct_db *db;
    char brn[11];
    if ((st = sv_open_company(c, argc, argv, &db, brn)) >= 0) return st;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_survey_version *v;
    int n;
    if (rmct_survey_history(db, &c->view, brn, c->year, &v, &n, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    rmct_db_close(db);
    char b[13], title[200];
    snprintf(title, sizeof title, "History of company %s", rmct_brn_format(brn, b));
    sv_sheet *s = sv_new("history", title);
    const char *cols[][2] = {{"recorded_at", "recorded at (UTC)"}, {"actor", "by"}, {"year", "campaign"}, {"kind", "what"},
                             {"metal", "metal"}, {"version", "version"}, {"changes", "changes"}, {"reason", "reason"},
                             {"source", "source"}};
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) sv_col(s, cols[k][0], cols[k][1], k == 2 || k == 5);
    for (int i = 0; i < n; i++) {
        sv_row(s);
        sv_text(s, v[i].recorded_at);
        sv_text(s, v[i].actor);
        sv_year(s, v[i].year);
        sv_text(s, v[i].kind);
        sv_text(s, v[i].metal[0] ? v[i].metal : NULL);
        sv_num(s, v[i].version, 0);
        sv_text(s, v[i].changes);
        sv_text(s, v[i].reason);
        sv_text(s, v[i].source);
    }
    sv_note(s, "CONFIDENTIAL: one company's answers and their history; never published.");
    int rc = emit(c, &s, 1, NULL, 0);
    sv_free(s);
    free(v);
    return rc;
}

/* ---------------- dispatch ---------------- */

int cmd_survey(cli_ctx *cli, int argc, char **argv)
{
    sv_ctx c;
    memset(&c, 0, sizeof c);
    c.cli = cli;
    c.view.kind = RMCT_VIEW_ANALYST;
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        survey_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    static const struct {
        const char *name;
        int (*run)(sv_ctx *, int, char **);
    } subs[] = {{"import", survey_import},     {"list", survey_list},       {"show", survey_show},       {"stats", survey_stats},
                {"exposure", survey_exposure}, {"correct", survey_correct}, {"history", survey_history}};
    for (size_t k = 0; k < sizeof subs / sizeof *subs; k++)
        if (!strcmp(argv[1], subs[k].name)) {
            char cmd[32];
            snprintf(cmd, sizeof cmd, "survey %s", subs[k].name);
            c.cmd = cmd;
            optind = 0;
            return subs[k].run(&c, argc - 1, argv + 1);
        }
    return cli_usage_error("survey", "expected import, list, show, stats, exposure, correct or history, got \"%s\"", argv[1]);
}
