/* cmd_registry.c: the registry commands: metals (the 35 types, or one list's members) and lists
 * (the membership matrix across national lists). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lists.h"
#include "text.h"
#include "views.h"

/* "yes" when all n elements are on the list, "k/n" when some are, "" when none. */
static void membership_cell(out_table *t, out_format f, int on, int n)
{
    if (f != OUT_TABLE) {
        out_int(t, on);
        return;
    }
    if (on == 0) out_text(t, "");
    else if (on == n) out_text(t, "yes");
    else out_textf(t, "%d/%d", on, n);
}

static void list_columns(out_table *t, const rmct_list_info *lists, size_t nl)
{
    for (size_t j = 0; j < nl; j++) {
        char key[48];
        snprintf(key, sizeof key, "%s_elements", lists[j].short_name);
        for (char *p = key; *p; p++)
            if (*p == '-') *p = '_';
        out_col(t, key, lists[j].short_name);
    }
}

int cmd_metals(cli_ctx *cli, int argc, char **argv)
{
    enum { O_LIST = OPT__COMMON_END, O_GROUP };
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {"list", required_argument, NULL, O_LIST},
                                          {"group", required_argument, NULL, O_GROUP}, {NULL, 0, NULL, 0}};
    const char *list = NULL, *group = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        if (opt == O_LIST) { list = optarg; continue; }
        if (opt == O_GROUP) { group = optarg; continue; }
        if (opt == OPT_HELP) {
            printf("usage: rmct metals [--list KR|KR-CM|JP|US|US-2022|EU] [--group G] [--format table|csv|json]\n"
                   "\n"
                   "Without --list, or with --list KR: Korea's 35 rare-metal types (56 elements), one row each,\n"
                   "with their group, elements and membership of every national list ('yes' = all of the\n"
                   "type's elements are on the list, '3/17' = some are; csv/json give the element counts).\n"
                   "With another list: that list's members as it names them, with their elements and the\n"
                   "Korean rare-metal types they fall in; materials that are not elements are shown as such.\n"
                   "--group filters the types: alkali, semimetal, iron, boron, refractory, ree, pgm (or 1-7).\n");
            return 0;
        }
        return cli_usage_error("metals", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error("metals", "unexpected argument \"%s\"", argv[optind]);
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    rmct_error err;
    rmct_error_clear(&err);
    out_table *t = NULL;
    rmct_list_info *lists = NULL;
    size_t nl = 0, li = 0;
    if (view_metals(db, list, group, cli->format, &t, &err)) goto fail;
    out_print(t, cli->format, stdout);
    if (cli->format == OUT_TABLE && !rmct_lists_load(db, &lists, &nl, &err)) {
        if (list) rmct_list_find(lists, nl, list, &li, &err);
        if (list && li != 0) {
            printf("\n%s (%s, %d): %zu members, %d elements, %d materials that are not elements.\nSource: %s%s%s\n",
                   lists[li].name, lists[li].short_name, lists[li].year, out_rows(t), lists[li].n_elements, lists[li].n_materials,
                   lists[li].source, lists[li].url[0] ? " " : "", lists[li].url);
        } else {
            printf("\n%zu types, %.0f elements. Source: %s %s\n", out_rows(t), out_sum(t, "n_elements"), lists[0].source,
                   lists[0].url);
        }
    }
    out_free(t);
    free(lists);
    rmct_db_close(db);
    return 0;
fail:
    out_free(t);
    free(lists);
    rmct_db_close(db);
    return cli_fail(&err);
}

rmct_code view_metals(rmct_db *db, const char *list, const char *group, out_format f, out_table **out, rmct_error *err)
{
    *out = NULL;
    rmct_list_info *lists = NULL;
    size_t nl = 0, li = 0;
    char gcode[16];
    rmct_code rc;
    out_table *t = out_new();
    if ((rc = rmct_lists_load(db, &lists, &nl, err))) goto fail;
    if (list && (rc = rmct_list_find(lists, nl, list, &li, err))) goto fail;
    if (group && (rc = rmct_group_resolve(db, group, gcode, err))) goto fail;
    if (list && li != 0) { /* a list other than Korea's rare metals: its own members */
        if (group) {
            rc = rmct_error_set(err, RMCT_E_ARG, "--group applies to Korea's types; use it without --list or with --list KR");
            goto fail;
        }
        rmct_list_member *m;
        size_t nm;
        if ((rc = rmct_list_members_load(db, lists[li].id, &m, &nm, err))) goto fail;
        out_col(t, "member", "member");
        out_col(t, "kind", "kind");
        out_col(t, "elements", "elements");
        out_col(t, "kr_types", "Korean rare-metal type");
        out_col(t, "note", "note");
        for (size_t i = 0; i < nm; i++) {
            out_row(t);
            out_text(t, m[i].member);
            out_text(t, m[i].kind);
            out_text(t, m[i].elements);
            out_text(t, m[i].types[0] ? m[i].types : (f == OUT_TABLE ? "-" : ""));
            out_text(t, m[i].note);
        }
        free(m);
    } else {
        rmct_type_info *types;
        size_t n;
        if ((rc = rmct_types_load(db, lists, nl, group ? gcode : NULL, &types, &n, err))) goto fail;
        out_col(t, "no", "no");
        out_col(t, "code", "type");
        out_col(t, "name", "name");
        out_col(t, "group", "group");
        out_col(t, "n_elements", "n");
        out_col(t, "elements", "elements");
        list_columns(t, lists, nl);
        for (size_t i = 0; i < n; i++) {
            out_row(t);
            out_int(t, types[i].no);
            out_text(t, types[i].code);
            out_text(t, types[i].name);
            out_text(t, types[i].group_name);
            out_int(t, types[i].n_elements);
            out_text(t, types[i].elements);
            for (size_t j = 0; j < nl; j++) membership_cell(t, f, types[i].on_list[j], types[i].n_elements);
        }
        free(types);
    }
    free(lists);
    *out = t;
    return RMCT_OK;
fail:
    out_free(t);
    free(lists);
    return rc;
}

int cmd_lists(cli_ctx *cli, int argc, char **argv)
{
    enum { O_COUNTS = OPT__COMMON_END };
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {"counts", no_argument, NULL, O_COUNTS}, {NULL, 0, NULL, 0}};
    bool counts_only = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r) continue;
        if (opt == O_COUNTS) { counts_only = true; continue; }
        if (opt == OPT_HELP) {
            printf("usage: rmct lists [--counts] [--format table|csv|json]\n"
                   "\n"
                   "The national lists side by side: Korea's 35 rare-metal types (KR, 56 elements), Korea's\n"
                   "33 critical minerals of 2023 (KR-CM), Japan's rare metals (JP), the US critical minerals\n"
                   "of 2022 (US-2022) and 2025 (US), the EU critical raw materials of 2023 (EU).\n"
                   "The table shows the counts per list, then the membership matrix: one row per Korean type\n"
                   "('yes' = all its elements listed, 'k/n' = some), then other elements and materials that\n"
                   "are not elements (graphite, fluorspar...). csv/json give the matrix, or the counts with\n"
                   "--counts.\n");
            return 0;
        }
        return cli_usage_error("lists", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error("lists", "unexpected argument \"%s\"", argv[optind]);
    rmct_db *db;
    int rc = cli_open_db(cli, &db);
    if (rc) return rc;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_list_info *lists = NULL;
    size_t nl = 0;
    out_table *c = NULL, *t = NULL;
    if (rmct_lists_load(db, &lists, &nl, &err) || ((cli->format == OUT_TABLE || counts_only) && view_lists_counts(db, &c, &err)) ||
        (!counts_only && view_lists_matrix(db, cli->format, &t, &err))) {
        free(lists);
        out_free(c);
        rmct_db_close(db);
        return cli_fail(&err);
    }
    rmct_db_close(db);

    if (c) {
        out_print(c, cli->format, stdout);
        if (counts_only) goto done;
        printf("\nKorea's rare metals (KR): %d types, %d elements. 'KR types' and 'KR elements' count how many of\n"
               "them each list covers. A group (rare earths, platinum group) counts as one member.\n\n",
               nl ? lists[0].n_members : 0, nl ? lists[0].n_elements : 0);
    }
    out_print(t, cli->format, stdout);
    if (cli->format == OUT_TABLE) {
        printf("\nSources:\n");
        for (size_t j = 0; j < nl; j++) printf("  %-8s %s%s%s\n", lists[j].short_name, lists[j].source, lists[j].url[0] ? " " : "", lists[j].url);
    }
done:
    out_free(c);
    out_free(t);
    free(lists);
    return 0;
}

rmct_code view_lists_counts(rmct_db *db, out_table **out, rmct_error *err)
{
    rmct_list_info *lists = NULL;
    size_t nl = 0;
    rmct_code rc = rmct_lists_load(db, &lists, &nl, err);
    if (rc) return rc;
    out_table *c = out_new();
    out_col(c, "list", "list");
    out_col(c, "id", "id");
    out_col(c, "name", "name");
    out_col(c, "year", "year");
    out_col(c, "members", "members");
    out_col(c, "elements", "elements");
    out_col(c, "materials", "non-elements");
    out_col(c, "kr_types", "KR types");
    out_col(c, "kr_elements", "KR elements");
    for (size_t j = 0; j < nl; j++) {
        out_row(c);
        out_text(c, lists[j].short_name);
        out_text(c, lists[j].id);
        out_text(c, lists[j].name);
        out_int(c, lists[j].year);
        out_int(c, lists[j].n_members);
        out_int(c, lists[j].n_elements);
        out_int(c, lists[j].n_materials);
        out_int(c, lists[j].n_rm_types);
        out_int(c, lists[j].n_rm_elements);
    }
    free(lists);
    *out = c;
    return RMCT_OK;
}

rmct_code view_lists_matrix(rmct_db *db, out_format f, out_table **out, rmct_error *err)
{
    rmct_list_info *lists = NULL;
    rmct_type_info *types = NULL;
    rmct_other_member *others = NULL;
    size_t nl = 0, nt = 0, no = 0;
    rmct_code rc;
    if ((rc = rmct_lists_load(db, &lists, &nl, err)) || (rc = rmct_types_load(db, lists, nl, NULL, &types, &nt, err)) ||
        (rc = rmct_other_members_load(db, lists, nl, &others, &no, err))) {
        free(lists);
        free(types);
        return rc;
    }
    out_table *t = out_new();
    out_col(t, "member", "type / member");
    out_col(t, "kind", "kind");
    out_col(t, "elements", "elements");
    list_columns(t, lists, nl);
    for (size_t i = 0; i < nt; i++) {
        out_row(t);
        out_textf(t, "%s (%s)", types[i].name, types[i].code);
        out_text(t, "KR type");
        out_text(t, types[i].elements);
        for (size_t j = 0; j < nl; j++) membership_cell(t, f, types[i].on_list[j], types[i].n_elements);
    }
    for (size_t i = 0; i < no; i++) {
        out_row(t);
        out_text(t, others[i].member);
        out_text(t, others[i].kind);
        out_text(t, others[i].element);
        for (size_t j = 0; j < nl; j++) {
            if (f == OUT_TABLE) out_text(t, others[i].on_list[j] ? "yes" : "");
            else out_int(t, others[i].on_list[j]);
        }
    }
    free(lists);
    free(types);
    free(others);
    *out = t;
    return RMCT_OK;
}
