/* cmd_trade.c: trade commands: `trade summary` (a quick look at raw BACI files). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baci.h"
#include "cli.h"
#include "text.h"

typedef struct {
    out_format format;
    FILE *fp;
    out_table *table;   /* table and json: collected, then printed */
    char *buf;          /* csv: formatted here, written in large blocks */
    size_t len, cap;
    long groups;
} summary_out;

static int flush_buf(summary_out *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, o->fp) != o->len) return RMCT_E_IO;
    o->len = 0;
    return 0;
}

/* Decimal digits of v at p; returns the length. (printf was half of the run time of the all-importer
 * summary, measured with perf: these two formatters replace it on that path.) */
static int fmt_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10); while ((v /= 10));
    for (int i = 0; i < n; i++) p[i] = tmp[n - 1 - i];
    return n;
}

/* "12345.678" from thousandths, exactly. */
static int fmt_milli(char *p, int64_t v)
{
    int n = fmt_u64(p, (uint64_t)(v / 1000));
    int r = (int)(v % 1000);
    p[n++] = '.';
    p[n++] = (char)('0' + r / 100);
    p[n++] = (char)('0' + r / 10 % 10);
    p[n++] = (char)('0' + r % 10);
    p[n] = '\0';
    return n;
}

/* A share in [0, 1] with 17 decimals (trailing zeros dropped): within 1e-17 of the double. */
static int fmt_share(char *p, double x)
{
    if (x >= 1) { p[0] = '1'; p[1] = '\0'; return 1; }
    if (x <= 0) { p[0] = '0'; p[1] = '\0'; return 1; }
    uint64_t d = (uint64_t)(x * 1e17 + 0.5);
    if (d >= 100000000000000000ull) { p[0] = '1'; p[1] = '\0'; return 1; }
    char digits[17];
    for (int i = 16; i >= 0; i--, d /= 10) digits[i] = (char)('0' + d % 10);
    int last = 16;
    while (last > 0 && digits[last] == '0') last--;
    p[0] = '0';
    p[1] = '.';
    memcpy(p + 2, digits, (size_t)last + 1);
    p[last + 3] = '\0';
    return last + 3;
}

static int on_group(void *ctx, const rmct_trade_group *g)
{
    summary_out *o = ctx;
    o->groups++;
    if (o->format == OUT_CSV) {
        if (o->cap - o->len < 256 && flush_buf(o)) return RMCT_E_IO;
        char *p = o->buf + o->len;
        p += fmt_u64(p, (uint64_t)g->year);
        *p++ = ',';
        p += fmt_u64(p, (uint64_t)g->importer);
        *p++ = ',';
        for (int d = 100000, k = g->product; d; d /= 10) *p++ = (char)('0' + k / d % 10);
        *p++ = ',';
        p += fmt_milli(p, g->total_milli);
        *p++ = ',';
        p += fmt_u64(p, (uint64_t)g->n_partners);
        *p++ = ',';
        p += fmt_u64(p, (uint64_t)g->top_partner);
        *p++ = ',';
        p += fmt_share(p, g->top_share);
        *p++ = ',';
        p += fmt_share(p, g->hhi);
        *p++ = '\n';
        o->len = (size_t)(p - o->buf);
        return 0;
    }
    char total[32];
    fmt_milli(total, g->total_milli);
    out_row(o->table);
    out_int(o->table, g->year);
    out_int(o->table, g->importer);
    out_textf(o->table, "%06d", g->product);
    if (o->format == OUT_TABLE) out_text(o->table, total); else out_num(o->table, (double)g->total_milli / 1000.0, 3);
    out_int(o->table, g->n_partners);
    out_int(o->table, g->top_partner);
    out_num(o->table, g->top_share, 4);
    out_num(o->table, g->hhi, 4);
    return 0;
}

static void summary_help(void)
{
    printf("usage: rmct trade summary FILE... [--importer CODE | --all-importers] [--hs PREFIX]...\n"
           "                          [--threads N] [--format csv|table|json]\n"
           "\n"
           "A quick look at raw CEPII BACI files (t,i,j,k,v,q) without importing them: for each year,\n"
           "importer and HS6 product, the total value (thousand USD, exact), the number of exporting\n"
           "partners, the top partner (ties: the smallest code), its share and the HHI of partner\n"
           "shares (0-1). Rows of all files are pooled. Output is CSV by default, sorted by t, j, k, with\n"
           "the header t,j,k,total_value,n_partners,top1_partner,top1_share,hhi.\n"
           "\n"
           "  --importer CODE    numeric importer code (BACI/Comtrade, e.g. 410 Korea; the default)\n"
           "  --all-importers    every importer\n"
           "  --hs PREFIX        keep products whose HS code starts with these digits (repeatable,\n"
           "                     or comma-separated: --hs 2805,8105)\n"
           "  --threads N        parsing threads (default: one per CPU)\n");
}

static int cmd_trade_summary(cli_ctx *cli, int argc, char **argv)
{
    enum { O_IMPORTER = OPT__COMMON_END, O_ALL, O_HS, O_THREADS };
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {"importer", required_argument, NULL, O_IMPORTER},
                                         {"all-importers", no_argument, NULL, O_ALL}, {"hs", required_argument, NULL, O_HS},
                                         {"threads", required_argument, NULL, O_THREADS}, {NULL, 0, NULL, 0}};
    rmct_baci_filter f = {410, NULL, 0, 0};
    const char *prefixes[32];
    char *hs_copy[32];
    size_t ncopy = 0;
    bool importer_set = false, all = false, format_set = false;
    cli->format = OUT_CSV;
    int opt, status = 0;
    long v;
    while (!status && (opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) status = EXIT_USAGE;
        if (r) {
            format_set |= opt == OPT_FORMAT;
            continue;
        }
        switch (opt) {
        case O_IMPORTER:
            if (!rmct_parse_long(optarg, 0, 999, &v)) status = cli_usage_error("trade summary", "--importer: expected a numeric code 0-999, got \"%s\"", optarg);
            f.importer = (int)v;
            importer_set = true;
            break;
        case O_ALL: all = true; break;
        case O_HS:
            if (ncopy == 32) { status = cli_usage_error("trade summary", "--hs: at most 32 prefixes"); break; }
            hs_copy[ncopy] = strdup(optarg);
            for (char *save, *t = strtok_r(hs_copy[ncopy], ",", &save); t && f.n_prefixes < 32; t = strtok_r(NULL, ",", &save))
                prefixes[f.n_prefixes++] = t;
            ncopy++;
            break;
        case O_THREADS:
            if (!rmct_parse_long(optarg, 1, 16, &v)) status = cli_usage_error("trade summary", "--threads: expected 1-16, got \"%s\"", optarg);
            f.threads = (int)v;
            break;
        case OPT_HELP: summary_help(); status = -1; break;
        default: status = cli_usage_error("trade summary", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    (void)format_set;
    if (!status && all && importer_set) status = cli_usage_error("trade summary", "--importer and --all-importers exclude each other");
    if (!status && optind >= argc) status = cli_usage_error("trade summary", "expected at least one BACI file");
    if (status) {
        for (size_t i = 0; i < ncopy; i++) free(hs_copy[i]);
        return status < 0 ? 0 : status;
    }
    if (all) f.importer = -1;
    if (f.n_prefixes) f.hs_prefixes = prefixes;

    summary_out o = {cli->format, stdout, NULL, NULL, 0, 0, 0};
    static const char header[] = "t,j,k,total_value,n_partners,top1_partner,top1_share,hhi";
    if (o.format == OUT_CSV) {
        o.cap = 1 << 20;
        o.buf = malloc(o.cap);
        if (!o.buf) {
            for (size_t i = 0; i < ncopy; i++) free(hs_copy[i]);
            rmct_error e;
            rmct_error_set(&e, RMCT_E_NOMEM, "out of memory");
            return cli_fail(&e);
        }
        /* the header goes out with the first rows, so that a bad file prints only the error */
        o.len = (size_t)sprintf(o.buf, "%s\n", header);
    } else {
        o.table = out_new();
        const char *keys[] = {"t", "j", "k", "total_value", "n_partners", "top1_partner", "top1_share", "hhi"};
        const char *labels[] = {"year", "importer", "HS6", "total (kUSD)", "partners", "top partner", "top share", "HHI"};
        for (int i = 0; i < 8; i++) out_col(o.table, keys[i], o.format == OUT_TABLE ? labels[i] : keys[i]);
    }
    rmct_error err;
    rmct_error_clear(&err);
    rmct_code rc = rmct_baci_summary((const char *const *)&argv[optind], (size_t)(argc - optind), &f, on_group, &o, &err);
    if (rc && !err.code) rmct_error_set(&err, rc, "write error on standard output");
    if (!rc && o.format == OUT_CSV && flush_buf(&o)) rc = rmct_error_set(&err, RMCT_E_IO, "write error on standard output");
    if (!rc && o.table) out_print(o.table, o.format, stdout);
    out_free(o.table);
    free(o.buf);
    for (size_t i = 0; i < ncopy; i++) free(hs_copy[i]);
    if (!rc && fflush(stdout) != 0) rc = rmct_error_set(&err, RMCT_E_IO, "write error on standard output");
    return rc ? cli_fail(&err) : 0;
}

int cmd_trade(cli_ctx *cli, int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("usage: rmct trade summary FILE... [options]   (see 'rmct trade summary --help')\n");
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (!strcmp(argv[1], "summary")) return cmd_trade_summary(cli, argc - 1, argv + 1);
    fprintf(stderr, "rmct trade: unknown subcommand \"%s\" (see 'rmct trade --help')\n", argv[1]);
    return EXIT_USAGE;
}
