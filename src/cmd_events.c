/* cmd_events.c: `events`, the dated register of export restrictions and supply disruptions
 * (lib/events.h): filters by country, metal, measure type and dates; a table that fits 120 columns
 * with the sources at the bottom, or every field in full as csv or json. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "events.h"
#include "text.h"
#include "views.h"

#define TABLE_WIDTH 120
#define METALS_WIDTH 14   /* the metals column of the table, in characters */
#define DESC_MIN 24

static void events_help(void)
{
    printf("usage: rmct events [--country C] [--metal M] [--type T] [--since DATE] [--until DATE]\n"
           "                   [--active DATE] [--format table|csv|json]\n"
           "\n"
           "The dated register of export restrictions and supply disruptions (data/export_controls.csv):\n"
           "who restricted or lost the supply of which metals, how, from when to when, against whom, with\n"
           "the sources of every row. Filters combine:\n"
           "  --country C    the country imposing the measure or where supply was disrupted (CHN, China)\n"
           "  --metal M      a metal by symbol, name, type code or alias (Dy, dysprosium, REE); an element\n"
           "                 also matches events naming its whole type (Dy: the events naming REE), a type\n"
           "                 matches events naming it or any of its elements; a material without a symbol\n"
           "                 (graphite) is looked up in the materials text\n"
           "  --type T       measure type: quota, tax, ban, licensing, technology_ban, suspension,\n"
           "                 conflict_disruption, other\n"
           "  --since DATE   events dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD); an event's date\n"
           "                 is its effective date, else its announcement date, else its end date\n"
           "  --until DATE   events dated on or before DATE\n"
           "  --active DATE  events in force at some time during DATE (a day, month or year): from the\n"
           "                 effective date to the end date, both included; an event without an effective\n"
           "                 date counts only up to its end date, one with neither date never\n"
           "Dates are as the register gives them: YYYY-MM where the source gives only the month (it\n"
           "covers the whole month). The table is ordered by date, shows the announcement date (marked *)\n"
           "where no effective date is given, and cuts descriptions to fit %d columns; csv and json give\n"
           "every field in full (announcement date, HS codes, target countries, sources and URLs).\n",
           TABLE_WIDTH);
}

/* Option names for the query fields the library reports errors against. */
static const char *option_of(const char *field)
{
    if (!strcmp(field, "measure_type")) return "type";
    return field;
}

/* The first `max` characters of UTF-8 text s, with "..." when cut. */
static void cut(char *dst, size_t size, const char *s, size_t max)
{
    size_t chars = 0, i = 0;
    while (s[i] && chars < max) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80) i++;
        chars++;
    }
    if (!s[i]) {
        rmct_strlcpy(dst, s, size);
        return;
    }
    /* room for "...": back up three characters */
    size_t keep = i, back = 0;
    while (keep > 0 && back < 3) {
        keep--;
        while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80) keep--;
        back++;
    }
    while (keep > 0 && s[keep - 1] == ' ') keep--;
    if (keep + 4 > size) keep = size > 4 ? size - 4 : 0;
    memcpy(dst, s, keep);
    memcpy(dst + keep, "...", 4);
}

/* Symbols joined by spaces (the table), or the materials text when the event names no symbol. */
static void metals_cell(char *dst, size_t size, const rmct_event *e)
{
    char buf[256] = "";
    for (int i = 0; i < e->n_metals; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, sizeof buf - used, "%s%s", i ? " " : "", e->metals[i].symbol);
    }
    cut(dst, size, e->n_metals ? buf : e->materials, METALS_WIDTH);
}

static size_t max_len(size_t a, size_t b) { return a > b ? a : b; }

/* The effective date, or the announcement date marked '*' when no effective date is given. */
static void effective_cell(char *dst, size_t size, const rmct_event *e)
{
    if (e->effective[0] || !e->announced[0]) snprintf(dst, size, "%s", e->effective);
    else snprintf(dst, size, "%s*", e->announced);
}

/* Text wrapped at `width` columns, the first line after `first` (already printed), the others
 * indented by `indent` spaces; words longer than a line are not broken. */
static void print_wrapped(const char *text, size_t first, size_t indent, size_t width)
{
    size_t col = first;
    const char *p = text;
    bool line_start = true;
    while (*p) {
        while (*p == ' ') p++;
        if (!*p) break;
        size_t len = strcspn(p, " ");
        size_t chars = (size_t)rmct_utf8_chars(p, len);
        if (!line_start && col + 1 + chars > width) {
            printf("\n%*s", (int)indent, "");
            col = indent;
            line_start = true;
        }
        if (!line_start) {
            putchar(' ');
            col++;
        }
        printf("%.*s", (int)len, p);
        col += chars;
        line_start = false;
        p += len;
    }
    putchar('\n');
}

/* The references of the table: one per citation, numbered in order of first use. */
typedef struct {
    int64_t *cit;
    size_t n;
} refs;

static int ref_of(refs *r, int64_t citation_id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->cit[i] == citation_id) return (int)i + 1;
    r->cit[r->n++] = citation_id;
    return (int)r->n;
}

/* Countries by number of events, most first, then by ISO3. */
static char (*count_names)[4];
static int by_count(const void *a, const void *b)
{
    const int *x = a, *y = b;
    return x[1] != y[1] ? y[1] - x[1] : strcmp(count_names[x[0]], count_names[y[0]]);
}

static void print_table(rmct_db *db, const rmct_event *v, size_t n)
{
    refs r = {calloc(n ? n : 1, sizeof(int64_t)), 0};
    int *ref = calloc(n ? n : 1, sizeof *ref);
    if (!r.cit || !ref) {
        free(r.cit);
        free(ref);
        return;
    }
    /* column widths first, so that the description gets what is left of the line */
    size_t w_id = strlen("event"), w_measure = strlen("measure"), w_metals = strlen("metals"), w_eff = strlen("effective"),
           w_end = strlen("ended"), w_ref = strlen("src");
    char cell[64], buf[32];
    for (size_t i = 0; i < n; i++) {
        ref[i] = ref_of(&r, v[i].citation_id);
        metals_cell(cell, sizeof cell, &v[i]);
        snprintf(buf, sizeof buf, "[%d]", ref[i]);
        w_id = max_len(w_id, strlen(v[i].event_id));
        w_measure = max_len(w_measure, strlen(v[i].measure_type));
        w_metals = max_len(w_metals, (size_t)rmct_utf8_chars(cell, strlen(cell)));
        char eff[16];
        effective_cell(eff, sizeof eff, &v[i]);
        w_eff = max_len(w_eff, strlen(eff));
        w_end = max_len(w_end, strlen(v[i].ended));
        w_ref = max_len(w_ref, strlen(buf));
    }
    size_t fixed = w_id + 4 + w_measure + w_metals + w_eff + w_end + w_ref + 2 * 7;
    size_t w_desc = fixed + DESC_MIN < TABLE_WIDTH ? TABLE_WIDTH - fixed : DESC_MIN;

    out_table *t = out_new();
    out_col(t, "event_id", "event");
    out_col(t, "country", "iso3");
    out_col(t, "measure_type", "measure");
    out_col(t, "metals", "metals");
    out_col(t, "effective", "effective");
    out_col(t, "ended", "ended");
    out_col(t, "src", "src");
    out_col(t, "description", "description");
    bool starred = false;
    int per_country[64][2];
    char countries[64][4];
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) {
        const rmct_event *e = &v[i];
        out_row(t);
        out_text(t, e->event_id);
        out_text(t, e->country);
        out_text(t, e->measure_type);
        metals_cell(cell, sizeof cell, e);
        out_text(t, cell);
        char eff[16];
        effective_cell(eff, sizeof eff, e);
        if (!e->effective[0] && e->announced[0]) starred = true;
        out_text(t, eff);
        out_text(t, e->ended);
        out_textf(t, "[%d]", ref[i]);
        char desc[1024];
        if (e->targets[0]) {
            char full[2048];
            snprintf(full, sizeof full, "(to %s) %s", e->targets, e->description);
            cut(desc, sizeof desc, full, w_desc);
        } else {
            cut(desc, sizeof desc, e->description, w_desc);
        }
        out_text(t, desc);
        size_t c = 0;
        while (c < nc && strcmp(countries[c], e->country)) c++;
        if (c == nc && nc < 64) {
            rmct_strlcpy(countries[nc], e->country, sizeof countries[nc]);
            per_country[nc][0] = (int)nc;
            per_country[nc][1] = 0;
            nc++;
        }
        if (c < nc) per_country[c][1]++;
    }
    out_print(t, OUT_TABLE, stdout);
    out_free(t);

    count_names = countries;
    qsort(per_country, nc, sizeof per_country[0], by_count);
    printf("\n%zu event%s:", n, n == 1 ? "" : "s");
    for (size_t c = 0; c < nc; c++) printf("%s %s %d", c ? "," : "", countries[per_country[c][0]], per_country[c][1]);
    printf(".\n%sDates as the register gives them (YYYY-MM: the source gives only the month); descriptions are cut\n"
           "to fit: --format csv or json gives every field in full.\n",
           starred ? "* announcement date: the sources read give no effective date.\n" : "");

    printf("\nSources:\n");
    for (size_t k = 0; k < r.n; k++) {
        const rmct_event *e = NULL;
        for (size_t i = 0; i < n && !e; i++)
            if (v[i].citation_id == r.cit[k]) e = &v[i];
        char tag[32];
        int tl = snprintf(tag, sizeof tag, "  [%zu] ", k + 1);
        fputs(tag, stdout);
        print_wrapped(e->citation, (size_t)tl, 6, TABLE_WIDTH);
        const char *u = e->urls;
        while (*u) {
            const char *bar = strstr(u, " | ");
            int len = bar ? (int)(bar - u) : (int)strlen(u);
            printf("      %.*s\n", len, u);
            u = bar ? bar + 3 : u + len;
        }
    }
    /* the files the rows come from */
    int64_t *seen = calloc(n ? n : 1, sizeof *seen);
    size_t ns = 0;
    for (size_t i = 0; seen && i < n; i++) {
        size_t j = 0;
        while (j < ns && seen[j] != v[i].source_id) j++;
        if (j < ns) continue;
        seen[ns++] = v[i].source_id;
        rmct_source src;
        rmct_error err;
        rmct_error_clear(&err);
        if (rmct_source_get(db, v[i].source_id, &src, &err)) continue;
        printf("  File: %s (%s edition %s, SHA-256 %.12s..., imported %s)\n", src.file_name, src.dataset, src.edition,
               src.sha256, src.imported_at);
    }
    free(seen);
    free(r.cit);
    free(ref);
}

static void print_csv(rmct_db *db, const rmct_event *v, size_t n)
{
    out_table *t = out_new();
    const char *cols[] = {"event_id", "country", "country_name", "measure_type", "restricts", "materials", "element_symbols",
                          "hs_codes", "announced", "effective", "ended", "date", "target_countries", "description",
                          "confidence", "source", "source_url", "source_file"};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) out_col(t, cols[i], cols[i]);
    for (size_t i = 0; i < n; i++) {
        const rmct_event *e = &v[i];
        rmct_source src;
        rmct_error err;
        rmct_error_clear(&err);
        if (rmct_source_get(db, e->source_id, &src, &err)) src.file_name[0] = '\0';
        out_row(t);
        out_text(t, e->event_id);
        out_text(t, e->country);
        out_text(t, e->country_name);
        out_text(t, e->measure_type);
        out_bool(t, rmct_event_restricts(e->measure_type));
        out_text(t, e->materials);
        out_text(t, e->symbols);
        out_text(t, e->hs_codes);
        out_text(t, e->announced);
        out_text(t, e->effective);
        out_text(t, e->ended);
        out_text(t, e->date);
        out_text(t, e->targets);
        out_text(t, e->description);
        out_text(t, e->confidence);
        out_text(t, e->citation);
        out_text(t, e->urls);
        out_text(t, src.file_name);
    }
    out_print(t, OUT_CSV, stdout);
    out_free(t);
}

/* A ';'- or " | "-separated list as a JSON array of strings. */
static json_t *split_json(const char *s, const char *sep)
{
    json_t *a = json_array();
    size_t sl = strlen(sep);
    while (*s) {
        const char *p = strstr(s, sep);
        size_t len = p ? (size_t)(p - s) : strlen(s);
        json_array_append_new(a, json_stringn(s, len));
        s = p ? p + sl : s + len;
    }
    return a;
}

static json_t *date_json(const char *d) { return d[0] ? json_string(d) : json_null(); }

json_t *events_json(rmct_db *db, const rmct_event *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const rmct_event *e = &v[i];
        json_t *o = json_object();
        json_object_set_new(o, "event_id", json_string(e->event_id));
        json_object_set_new(o, "country", json_string(e->country));
        json_object_set_new(o, "country_name", json_string(e->country_name));
        json_object_set_new(o, "measure_type", json_string(e->measure_type));
        json_object_set_new(o, "restricts", json_boolean(rmct_event_restricts(e->measure_type)));
        json_object_set_new(o, "materials", json_string(e->materials));
        json_t *ma = json_array();
        for (int k = 0; k < e->n_metals; k++) {
            json_t *m = json_object();
            json_object_set_new(m, "symbol", json_string(e->metals[k].symbol));
            json_object_set_new(m, "element", e->metals[k].element[0] ? json_string(e->metals[k].element) : json_null());
            json_object_set_new(m, "type", e->metals[k].type_code[0] ? json_string(e->metals[k].type_code) : json_null());
            json_array_append_new(ma, m);
        }
        json_object_set_new(o, "metals", ma);
        json_object_set_new(o, "hs_codes", split_json(e->hs_codes, ";"));
        json_object_set_new(o, "announced", date_json(e->announced));
        json_object_set_new(o, "effective", date_json(e->effective));
        json_object_set_new(o, "ended", date_json(e->ended));
        json_object_set_new(o, "date", date_json(e->date));
        json_object_set_new(o, "target_countries", split_json(e->targets, ";"));
        json_object_set_new(o, "description", json_string(e->description));
        json_object_set_new(o, "confidence", json_string(e->confidence));
        json_t *so = json_object();
        json_object_set_new(so, "citation", json_string(e->citation));
        json_object_set_new(so, "urls", split_json(e->urls, " | "));
        rmct_source src;
        rmct_error err;
        rmct_error_clear(&err);
        if (rmct_source_get(db, e->source_id, &src, &err) == RMCT_OK) {
            json_object_set_new(so, "file", json_string(src.file_name));
            json_object_set_new(so, "line", json_integer(e->src_line));
            json_object_set_new(so, "dataset", json_string(src.dataset));
            json_object_set_new(so, "edition", json_string(src.edition));
            json_object_set_new(so, "sha256", json_string(src.sha256));
        }
        json_object_set_new(o, "source", so);
        json_array_append_new(arr, o);
    }
    return arr;
}

static void print_json(rmct_db *db, const rmct_event *v, size_t n)
{
    json_t *arr = events_json(db, v, n);
    json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("\n");
    json_decref(arr);
}

int cmd_events(cli_ctx *cli, int argc, char **argv)
{
    enum { O_COUNTRY = OPT__COMMON_END, O_METAL, O_TYPE, O_SINCE, O_UNTIL, O_ACTIVE };
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"country", required_argument, NULL, O_COUNTRY}, {"metal", required_argument, NULL, O_METAL},
        {"type", required_argument, NULL, O_TYPE}, {"since", required_argument, NULL, O_SINCE},
        {"until", required_argument, NULL, O_UNTIL}, {"active", required_argument, NULL, O_ACTIVE},
        {NULL, 0, NULL, 0}};
    rmct_event_query q = {0};
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        switch (opt) {
        case O_COUNTRY: q.country = optarg; break;
        case O_METAL: q.metal = optarg; break;
        case O_TYPE: q.measure_type = optarg; break;
        case O_SINCE: q.since = optarg; break;
        case O_UNTIL: q.until = optarg; break;
        case O_ACTIVE: q.active = optarg; break;
        case OPT_HELP: events_help(); return 0;
        default:
            if (opt == '?' && optopt >= OPT_DB) /* a known option without its value */
                return cli_usage_error("events", "%s: expected a value", argv[optind - 1]);
            return cli_usage_error("events", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("events", "unexpected argument \"%s\"", argv[optind]);
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_event *v = NULL;
    size_t n = 0;
    rmct_event_resolved res;
    if (rmct_events_query(db, &q, &v, &n, &res, &err)) {
        rmct_db_close(db);
        if (err.code == RMCT_E_ARG && err.field[0]) return cli_usage_error("events", "--%s: %s", option_of(err.field), err.msg);
        return cli_fail(&err);
    }
    if (cli->format == OUT_CSV) {
        print_csv(db, v, n);
    } else if (cli->format == OUT_JSON) {
        print_json(db, v, n);
    } else {
        if (q.metal) {
            if (res.by_materials)
                printf("Events whose materials mention \"%s\" (not an element or a rare-metal type):\n", res.metal.name);
            else if (!res.metal.element[0])
                printf("Events naming %s (%s) or any of its elements:\n", res.metal.name, res.metal.type_code);
            else if (res.metal.type_code[0] && strcmp(res.metal.type_code, res.metal.element))
                printf("Events naming %s (%s) or its type %s as a whole:\n", res.metal.name, res.metal.element,
                       res.metal.type_code);
            else
                printf("Events naming %s (%s):\n", res.metal.name, res.metal.element);
        }
        if (q.active) printf("In force at some time during %s:\n", q.active);
        if (n == 0) printf("No event in the register matches.\n");
        else print_table(db, v, n);
    }
    rmct_events_free(v, n);
    rmct_db_close(db);
    return 0;
}
