/* cmd_data.c: commands that bring data in and say where it came from: init, import, sources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "ingest.h"

/* Progress on stderr when it is a terminal: "importing FILE  42%". */
static void progress(void *ctx, const char *file, uint64_t done, uint64_t total)
{
    (void)ctx;
    if (total == 0) return;
    int pct = (int)(100.0 * (double)done / (double)total);
    fprintf(stderr, "\rimporting %s %3d%%%s", file, pct, done >= total ? "\n" : "");
    fflush(stderr);
}

static void print_results(cli_ctx *cli, const rmct_import_result *res, size_t n)
{
    out_table *t = out_new();
    out_col(t, "format", "format");
    out_col(t, "file", "file");
    out_col(t, "status", "status");
    out_col(t, "rows", "rows");
    out_col(t, "source_id", "source");
    out_col(t, "note", "note");
    for (size_t i = 0; i < n; i++) {
        out_row(t);
        out_text(t, res[i].format);
        out_text(t, res[i].file);
        out_text(t, res[i].unchanged ? "unchanged" : res[i].replaced_source ? "replaced" : "imported");
        out_int(t, res[i].rows);
        out_int(t, (long)res[i].source_id);
        out_text(t, res[i].note);
    }
    out_print(t, cli->format, stdout);
    out_free(t);
}

int cmd_init(cli_ctx *cli, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {"quiet", no_argument, NULL, 'q'}, {NULL, 0, NULL, 0}};
    bool quiet = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        if (opt == 'q') { quiet = true; continue; }
        if (opt == OPT_HELP) {
            printf("usage: rmct init [--db PATH] [--data DIR] [--quiet] [--format table|csv|json]\n"
                   "\n"
                   "Create the database if it does not exist, apply schema migrations and load the bundled\n"
                   "data (registry, national lists, countries, units, USGS MCS 2026 production, reserves,\n"
                   "capacity and prices, EU CRM 2023 results and supply shares, World Bank governance\n"
                   "indicators, the register of export restrictions) from DIR. Files already loaded are\n"
                   "left as they are, so running it again changes nothing; a bundled file that changed\n"
                   "replaces its earlier version. Everything is one transaction: on error the database is\n"
                   "left as it was.\n");
            return 0;
        }
        return cli_usage_error("init", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error("init", "unexpected argument \"%s\"", argv[optind]);
    rmct_error err;
    rmct_error_clear(&err);
    rmct_db *db;
    if (rmct_db_open(&db, cli->db_path, true, &err)) return cli_fail(&err);
    rmct_import_result res[RMCT_BUNDLED_COUNT];
    rmct_import_opts o = {0};
    if (cli->progress && !quiet) o.progress = progress;
    rmct_code rc = rmct_init_bundled(db, cli->data_dir, &o, res, &err);
    rmct_db_close(db);
    if (rc) return cli_fail(&err);
    if (!quiet) print_results(cli, res, RMCT_BUNDLED_COUNT);
    return 0;
}

static void import_help(void)
{
    printf("usage: rmct import FORMAT FILE... [--replace] [--dataset NAME] [--edition E]\n"
           "                   [--publisher P] [--title T] [--url URL] [--licence L] [--hs-version V]\n"
           "\n"
           "Import files into the database in one transaction: if any file has a bad row, nothing is\n"
           "stored and the error names the file, line, column and field. Importing the same bytes\n"
           "twice changes nothing. A newer edition of a dataset is stored beside the old one and\n"
           "queries take the newest; a different file with the same name, dataset and edition is\n"
           "refused unless --replace is given. --hs-version gives the HS edition (HS2012, HS2017,\n"
           "HS2022) of trade files whose name or columns do not say it.\n"
           "\n"
           "Formats:\n");
    for (const rmct_format_info *f = rmct_import_formats(); f->name; f++) printf("  %-21s %s\n", f->name, f->summary);
    printf("\nThe generic CSV layout is described in docs/DATA.md.\n");
}

int cmd_import(cli_ctx *cli, int argc, char **argv)
{
    enum { O_DATASET = OPT__COMMON_END, O_EDITION, O_PUBLISHER, O_TITLE, O_URL, O_LICENCE, O_REPLACE, O_HSV };
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"dataset", required_argument, NULL, O_DATASET}, {"edition", required_argument, NULL, O_EDITION},
        {"publisher", required_argument, NULL, O_PUBLISHER}, {"title", required_argument, NULL, O_TITLE},
        {"url", required_argument, NULL, O_URL}, {"licence", required_argument, NULL, O_LICENCE},
        {"license", required_argument, NULL, O_LICENCE}, {"replace", no_argument, NULL, O_REPLACE},
        {"hs-version", required_argument, NULL, O_HSV},
        {NULL, 0, NULL, 0}};
    rmct_import_opts o = {0};
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        switch (opt) {
        case O_DATASET: o.dataset = optarg; break;
        case O_EDITION: o.edition = optarg; break;
        case O_PUBLISHER: o.publisher = optarg; break;
        case O_TITLE: o.title = optarg; break;
        case O_URL: o.url = optarg; break;
        case O_LICENCE: o.licence = optarg; break;
        case O_REPLACE: o.replace = true; break;
        case O_HSV: o.hs_version = optarg; break;
        case OPT_HELP: import_help(); return 0;
        default: return cli_usage_error("import", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind >= argc) return cli_usage_error("import", "expected a format and at least one file");
    if (optind + 1 >= argc) return cli_usage_error("import", "expected at least one file after the format \"%s\"", argv[optind]);
    const char *format = argv[optind];
    size_t n = (size_t)(argc - optind - 1);
    bool known = false;
    for (const rmct_format_info *f = rmct_import_formats(); f->name; f++) known |= strcmp(f->name, format) == 0;
    if (!known) return cli_usage_error("import", "unknown format \"%s\"", format);
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    if (cli->progress) o.progress = progress;
    rmct_import_result *res = calloc(n, sizeof *res);
    rmct_error err;
    rmct_error_clear(&err);
    if (!res) {
        rmct_db_close(db);
        rmct_error_set(&err, RMCT_E_NOMEM, "out of memory");
        return cli_fail(&err);
    }
    rmct_code code = rmct_import(db, format, (const char *const *)&argv[optind + 1], n, &o, res, &err);
    rmct_db_close(db);
    if (code) {
        free(res);
        return cli_fail(&err);
    }
    print_results(cli, res, n);
    free(res);
    return 0;
}

int cmd_sources(cli_ctx *cli, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        if (opt == OPT_HELP) {
            printf("usage: rmct sources [--db PATH] [--format table|csv|json]\n"
                   "\n"
                   "List every imported file (a 'source'): dataset, edition, publisher, title, URL, licence,\n"
                   "file name, SHA-256 of its bytes, import time and the rows it holds. Every fact in the\n"
                   "database references one of these.\n");
            return 0;
        }
        return cli_usage_error("sources", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error("sources", "unexpected argument \"%s\"", argv[optind]);
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    rmct_error err;
    rmct_error_clear(&err);
    out_table *t = NULL;
    rmct_code code = view_sources(db, cli->format, &t, &err);
    rmct_db_close(db);
    if (t) out_print(t, cli->format, stdout);
    out_free(t);
    return code ? cli_fail(&err) : 0;
}

rmct_code view_sources(rmct_db *db, out_format f, out_table **out, rmct_error *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT id FROM source ORDER BY id", err);
    if (rc) return rc;
    out_table *t = out_new();
    const char *cols[][2] = {{"id", "id"}, {"dataset", "dataset"}, {"edition", "edition"}, {"publisher", "publisher"},
                             {"title", "title"}, {"file", "file"}, {"rows", "rows"}, {"sha256", "SHA-256"},
                             {"imported_at", "imported (UTC)"}, {"url", "URL"}, {"licence", "licence"}};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) out_col(t, cols[i][0], cols[i][1]);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rmct_source s;
        if ((rc = rmct_source_get(db, sqlite3_column_int64(st, 0), &s, err))) break;
        out_row(t);
        out_int(t, (long)s.id);
        out_text(t, s.dataset);
        out_text(t, s.edition);
        out_text(t, s.publisher);
        out_text(t, s.title);
        out_text(t, s.file_name);
        out_int(t, s.rows);
        if (f == OUT_TABLE) out_textf(t, "%.12s", s.sha256); else out_text(t, s.sha256);
        out_text(t, s.imported_at);
        out_text(t, s.url);
        out_text(t, s.licence);
    }
    sqlite3_finalize(st);
    *out = t;   /* the rows read before an error are still shown */
    return rc;
}
