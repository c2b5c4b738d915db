/* cmd_chain.c: 'rmct chain list|show': the bundled value chains and every parameter with its
 * provenance; and what 'rmct simulate', 'rmct hazards' and 'rmct stock plan' share: loading the
 * chains, a scenario and the hazards, and compiling them into a model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sim_cli.h"
#include "sim.h"
#include "text.h"
#include "views.h"

void sim_chains_free(sim_chains *c)
{
    for (int i = 0; i < c->n; i++) rmct_chain_free(c->v[i]);
    memset(c, 0, sizeof *c);
}

/* The chain directory: RMCT_CHAINS, else DATA/chains. */
static void chain_dir(const char *data_dir, char *buf, size_t size)
{
    const char *env = getenv("RMCT_CHAINS");
    if (env && *env) snprintf(buf, size, "%s", env);
    else snprintf(buf, size, "%s/chains", data_dir);
}

rmct_code sim_chains_open(const char *data_dir, rmct_db *db, const char *const *names, int n_names, sim_chains *out,
                          rmct_error *err)
{
    memset(out, 0, sizeof *out);
    char dir[600];
    chain_dir(data_dir, dir, sizeof dir);
    char **paths;
    int np;
    rmct_code rc = rmct_chain_list(dir, &paths, &np, err);
    if (rc) return rc;
    for (int i = 0; i < np && !rc; i++) {
        rmct_chain *c;
        if ((rc = rmct_chain_load(paths[i], &c, err))) break;
        bool wanted = n_names == 0;
        for (int k = 0; k < n_names; k++) wanted |= strcmp(names[k], c->name) == 0;
        if (!wanted || out->n == SIM_MAX_CHAINS) {
            rmct_chain_free(c);
            continue;
        }
        if (db && (rc = rmct_chain_resolve_imports(db, c, "KOR", err))) {
            rmct_chain_free(c);
            break;
        }
        out->v[out->n++] = c;
    }
    rmct_chain_list_free(paths, np);
    for (int k = 0; k < n_names && !rc; k++) {
        bool found = false;
        for (int i = 0; i < out->n; i++) found |= strcmp(names[k], out->v[i]->name) == 0;
        if (!found) {
            rmct_error_clear(err);
            rc = rmct_error_set(err, RMCT_E_NOTFOUND, "no chain named \"%.64s\" in %.600s (see 'rmct chain list')", names[k], dir);
        }
    }
    if (!rc && out->n == 0) {
        rmct_error_clear(err);
        rc = rmct_error_set(err, RMCT_E_NOTFOUND, "no chain files (*.json) in %.600s", dir);
    }
    if (rc) sim_chains_free(out);
    return rc;
}

int sim_chains_load(cli_ctx *cli, rmct_db *db, const char *const *names, int n_names, sim_chains *out)
{
    rmct_error err;
    rmct_error_clear(&err);
    if (sim_chains_open(cli->data_dir, db, names, n_names, out, &err)) return cli_fail(&err);
    return 0;
}

void sim_scenario_path(const char *data_dir, const char *arg, char *buf, size_t size)
{
    struct stat sb;
    if (strchr(arg, '/') || (stat(arg, &sb) == 0 && S_ISREG(sb.st_mode))) snprintf(buf, size, "%s", arg);
    else snprintf(buf, size, "%s/scenarios/%s.json", data_dir, arg);
}

/* Split "a,b,c" into names (pointing into buf). */
static int split_names(char *buf, const char **names, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *p = strtok_r(buf, ",", &save); p && n < max; p = strtok_r(NULL, ",", &save)) names[n++] = rmct_trim(p);
    return n;
}

void sim_setup_free(sim_setup *s)
{
    rmct_model_free(s->m);
    if (s->has_hz) rmct_hazards_free(&s->hz);
    rmct_scenario_free(s->sc);
    sim_chains_free(&s->ch);
    if (s->db && s->own_db) rmct_db_close(s->db);
    memset(s, 0, sizeof *s);
}

rmct_code sim_setup_open(const char *data_dir, rmct_db *db, const char *scenario, const char *chains,
                         const char *hazards_file, bool want_hazards, sim_setup *s, rmct_error *err)
{
    rmct_scenario *sc = NULL;
    if (scenario) {
        char path[700];
        sim_scenario_path(data_dir, scenario, path, sizeof path);
        if (rmct_scenario_load(path, &sc, err)) {
            if (err->code == RMCT_E_IO && access(path, F_OK) != 0) {
                rmct_error_clear(err);
                rmct_error_set(err, RMCT_E_NOTFOUND, "no scenario \"%.64s\" (%.600s; see 'rmct simulate --list')", scenario, path);
            }
            memset(s, 0, sizeof *s);
            return err->code;
        }
    }
    return sim_setup_open_scenario(data_dir, db, sc, chains, hazards_file, want_hazards, s, err);
}

rmct_code sim_setup_open_scenario(const char *data_dir, rmct_db *db, rmct_scenario *sc, const char *chains,
                                  const char *hazards_file, bool want_hazards, sim_setup *s, rmct_error *err)
{
    memset(s, 0, sizeof *s);
    s->db = db;
    s->sc = sc;
    rmct_code rc;
    const char *names[SIM_MAX_CHAINS];
    int n_names = 0;
    char buf[512];
    if (chains) {
        snprintf(buf, sizeof buf, "%s", chains);
        n_names = split_names(buf, names, SIM_MAX_CHAINS);
    } else if (s->sc)
        for (int i = 0; i < s->sc->n_chains; i++) names[n_names++] = s->sc->chains[i];
    if ((rc = sim_chains_open(data_dir, s->db, names, n_names, &s->ch, err))) {
        sim_setup_free(s);
        return rc;
    }
    if (want_hazards) {
        char (*cs)[4] = NULL;
        char (*ms)[32] = NULL;
        int k = 0;
        if ((rc = rmct_chains_supply_pairs(s->ch.v, s->ch.n, &cs, &ms, &k, err)) ||
            (rc = rmct_hazards_default(s->db, (const char(*)[4])cs, (const char(*)[32])ms, k, &s->hz, err))) {
            free(cs);
            free(ms);
            sim_setup_free(s);
            return rc;
        }
        free(cs);
        free(ms);
        s->has_hz = true;
        if (hazards_file && (rc = rmct_hazards_override(&s->hz, hazards_file, err))) {
            sim_setup_free(s);
            return rc;
        }
    }
    if ((rc = rmct_model_build(s->ch.v, s->ch.n, s->sc, s->has_hz ? &s->hz : NULL, &s->m, err))) {
        sim_setup_free(s);
        return rc;
    }
    return RMCT_OK;
}

int sim_setup_load(cli_ctx *cli, const char *scenario, const char *chains, const char *hazards_file, bool want_hazards,
                   sim_setup *s)
{
    rmct_db *db;
    if (cli_open_db(cli, &db)) {
        memset(s, 0, sizeof *s);
        return 1;
    }
    rmct_error err;
    rmct_error_clear(&err);
    if (sim_setup_open(cli->data_dir, db, scenario, chains, hazards_file, want_hazards, s, &err)) {
        rmct_db_close(db);
        return cli_fail(&err);
    }
    s->own_db = true;
    return 0;
}

static int count_params(const rmct_chain *c, int *assumed)
{
    int n = 0;
    *assumed = 0;
    for (int i = 0; i < c->n_nodes; i++) {
        const rmct_chain_node *nd = &c->nodes[i];
        const rmct_param *ps[] = {&nd->final_demand, &nd->yield, &nd->domestic_share, &nd->capacity,
                                  &nd->inventory_days, &nd->value_usd, &nd->price_usd, &nd->supply};
        for (size_t k = 0; k < sizeof ps / sizeof *ps; k++)
            if (ps[k]->given) n++, *assumed += ps[k]->assumption;
        for (int k = 0; k < nd->n_inputs; k++) n++, *assumed += nd->inputs[k].intensity.assumption;
        for (int k = 0; k < nd->n_partners; k++) n++, *assumed += nd->partners[k].share.assumption;
    }
    return n;
}

out_table *view_chain_list(const sim_chains *ch)
{
    out_table *t = out_new();
    out_col(t, "chain", "chain");
    out_col(t, "version", "version");
    out_col(t, "year", "base year");
    out_col(t, "nodes", "nodes");
    out_col(t, "sectors", "sectors");
    out_col(t, "parameters", "parameters");
    out_col(t, "assumptions", "of which assumptions");
    out_col(t, "title", "title");
    out_col(t, "file", "file");
    for (int i = 0; i < ch->n; i++) {
        const rmct_chain *c = ch->v[i];
        char sectors[160] = "";
        for (int k = 0; k < c->n_nodes; k++) {
            const char *s = c->nodes[k].sector;
            if (!*s || strstr(sectors, s)) continue;
            if (*sectors) strncat(sectors, ", ", sizeof sectors - strlen(sectors) - 1);
            strncat(sectors, s, sizeof sectors - strlen(sectors) - 1);
        }
        int assumed, n = count_params(c, &assumed);
        out_row(t);
        out_text(t, c->name);
        out_int(t, c->version);
        out_int(t, c->year);
        out_int(t, c->n_nodes);
        out_text(t, sectors);
        out_int(t, n);
        out_int(t, assumed);
        out_text(t, c->title);
        out_text(t, c->path);
    }
    return t;
}

static int chain_list(cli_ctx *cli)
{
    rmct_db *db = NULL;
    if (cli_open_db(cli, &db)) return 1;
    sim_chains ch;
    int rc = sim_chains_load(cli, db, NULL, 0, &ch);
    rmct_db_close(db);
    if (rc) return rc;
    out_table *t = view_chain_list(&ch);
    out_print(t, cli->format, stdout);
    out_free(t);
    if (cli->format == OUT_TABLE)
        printf("\nEvery parameter has a source or is labelled an assumption: 'rmct chain show NAME'. Import partners\n"
               "given as {\"auto\": X} are Korea's imports from loaded trade data, else world production shares (PROXY).\n");
    sim_chains_free(&ch);
    return 0;
}

static const char *basis_kind(const rmct_param *p) { return p->assumption ? "ASSUMPTION" : "source"; }

static void param_row(out_table *t, const rmct_chain_node *nd, const char *field, const rmct_param *p)
{
    if (!p->given) return;
    out_row(t);
    out_text(t, nd->id);
    out_text(t, field);
    out_num(t, p->value, 6);
    out_text(t, p->unit);
    out_text(t, basis_kind(p));
    out_text(t, p->basis);
}

static void print_param(const char *field, const rmct_param *p)
{
    if (!p->given) return;
    char v[48];
    out_fmt_num(v, sizeof v, p->value, fabs(p->value) >= 100 || p->value == floor(p->value) ? 0 : 4);
    printf("    %-15s %14s %-16.16s %s%s\n", field, v, p->unit, p->assumption ? "ASSUMPTION: " : "", p->basis);
}

out_table *view_chain_params(const rmct_chain *c)
{
    out_table *t = out_new();
    const char *cols[][2] = {{"node", "node"}, {"field", "field"}, {"value", "value"}, {"unit", "unit"},
                             {"basis_kind", "basis kind"}, {"basis", "source or assumption"}};
    for (size_t k = 0; k < 6; k++) out_col(t, cols[k][0], cols[k][1]);
    for (int i = 0; i < c->n_nodes; i++) {
        const rmct_chain_node *nd = &c->nodes[c->order[i]];
        param_row(t, nd, "final_demand", &nd->final_demand);
        param_row(t, nd, "yield", &nd->yield);
        param_row(t, nd, "domestic_share", &nd->domestic_share);
        param_row(t, nd, "capacity", &nd->capacity);
        param_row(t, nd, "inventory_days", &nd->inventory_days);
        param_row(t, nd, "value_usd", &nd->value_usd);
        param_row(t, nd, "price_usd", &nd->price_usd);
        param_row(t, nd, "supply", &nd->supply);
        for (int k = 0; k < nd->n_inputs; k++) {
            char f[64];
            snprintf(f, sizeof f, "intensity:%s", c->nodes[nd->inputs[k].from].id);
            param_row(t, nd, f, &nd->inputs[k].intensity);
        }
        for (int k = 0; k < nd->n_partners; k++) {
            char f[32];
            snprintf(f, sizeof f, "import_share:%s", nd->partners[k].iso3);
            param_row(t, nd, f, &nd->partners[k].share);
        }
    }
    return t;
}

static int chain_show(cli_ctx *cli, const char *name)
{
    rmct_db *db = NULL;
    if (cli_open_db(cli, &db)) return 1;
    sim_chains ch;
    const char *names[] = {name};
    int rc = sim_chains_load(cli, db, names, 1, &ch);
    rmct_db_close(db);
    if (rc) return rc;
    const rmct_chain *c = ch.v[0];
    rmct_model *m = NULL;
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_model_build(ch.v, 1, NULL, NULL, &m, &err)) {
        sim_chains_free(&ch);
        return cli_fail(&err);
    }
    if (cli->format != OUT_TABLE) {
        out_table *t = view_chain_params(c);
        out_print(t, cli->format, stdout);
        out_free(t);
    } else {
        int assumed, n = count_params(c, &assumed);
        printf("%s (version %d, base year %d): %s\n", c->name, c->version, c->year, c->title);
        printf("File %s, SHA-256 %.16s...; %d parameters, %d of them assumptions.\n", c->path, c->sha256, n, assumed);
        printf("Nodes from resource to product (inputs first). Normal flows per month are derived from the final\n"
               "demand below each node.\n");
        for (int i = 0; i < c->n_nodes; i++) {
            const rmct_chain_node *nd = &c->nodes[c->order[i]];
            const rmct_node_info *in = rmct_model_node(m, i);
            printf("\n  %s: %s [%s, %s", nd->id, nd->name, rmct_chain_stage_name(nd->stage), nd->unit);
            if (nd->element[0]) printf(", %s%s%s", nd->element, nd->type_code[0] && strcmp(nd->type_code, nd->element) ? " in " : "",
                                       nd->type_code[0] && strcmp(nd->type_code, nd->element) ? nd->type_code : "");
            for (int k = 0; k < nd->n_tags; k++) printf("%s%s", k ? " " : ", tags: ", nd->tags[k]);
            if (nd->sector[0]) printf(", sector %s", nd->sector);
            printf("]\n");
            if (nd->stage == RMCT_STAGE_RECYCLING) {
                printf("    feeds %s\n", c->nodes[nd->feeds].id);
            } else {
                char d0[32], m0[32], q0[32], i0[32];
                out_fmt_num(d0, sizeof d0, in->demand0, in->demand0 >= 100 ? 0 : 3);
                out_fmt_num(m0, sizeof m0, in->imports0, in->imports0 >= 100 ? 0 : 3);
                out_fmt_num(q0, sizeof q0, in->production0, in->production0 >= 100 ? 0 : 3);
                out_fmt_num(i0, sizeof i0, in->inventory0, in->inventory0 >= 100 ? 0 : 3);
                printf("    normal month: demand %s %s = Korean production %s + imports %s", d0, nd->unit, q0, m0);
                if (in->recycled0 > 0) printf(" + recycled %.3g", in->recycled0);
                printf("; inventory %s %s\n", i0, nd->unit);
            }
            for (int k = 0; k < nd->n_inputs; k++) {
                char f[48];
                snprintf(f, sizeof f, "<- %s", c->nodes[nd->inputs[k].from].id);
                print_param(f, &nd->inputs[k].intensity);
            }
            print_param("final demand", &nd->final_demand);
            print_param("yield", &nd->yield);
            print_param("domestic share", &nd->domestic_share);
            print_param("capacity", &nd->capacity);
            print_param("inventory days", &nd->inventory_days);
            print_param("value", &nd->value_usd);
            print_param("price", &nd->price_usd);
            print_param("supply", &nd->supply);
            if (nd->n_partners) {
                printf("    imports from: %s\n", nd->imports_proxy ? "PROXY (world production shares, not Korea's imports)" : "");
                double sum = 0;
                for (int k = 0; k < nd->n_partners; k++) {
                    const rmct_chain_partner *p = &nd->partners[k];
                    sum += p->share.value;
                    if (k < 8 || p->share.value >= 0.02)
                        printf("      %-4s %6.1f%%  %s\n", p->iso3, 100 * p->share.value,
                               k == 0 || strcmp(p->share.basis, nd->partners[k - 1].share.basis) ? p->share.basis : "\"");
                }
                if (sum < 0.9995) printf("      other %5.1f%%  (no country event reaches it)\n", 100 * (1 - sum));
            } else if (nd->imports_auto[0])
                printf("    imports: %s\n", nd->imports_basis);
        }
        for (int i = 0; i < rmct_model_warnings(m); i++) printf("\nwarning: %s\n", rmct_model_warning(m, i));
    }
    rmct_model_free(m);
    sim_chains_free(&ch);
    return 0;
}

static void chain_usage(FILE *fp)
{
    fprintf(fp, "usage: rmct chain list [--format table|csv|json]\n"
                "       rmct chain show NAME [--format table|csv|json]\n"
                "\n"
                "The value chains the simulator runs (data/chains/*.json, or the directory in RMCT_CHAINS): stages\n"
                "from resource to product, material intensities, yields, Korean capacity and domestic share,\n"
                "import partners, normal inventory and the value of what is produced. 'show' prints every\n"
                "parameter with its source or the assumption behind it, and the normal monthly flows derived\n"
                "from them; csv and json give one row per parameter. Format: docs/SIMULATION.md.\n");
}

int cmd_chain(cli_ctx *cli, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
    int opt;
    opterr = 0;
    /* getopt permutes: options may come before or after "list"/"show NAME" */
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        if (opt == OPT_HELP || opt == 'h') {
            chain_usage(stdout);
            return 0;
        }
        return cli_usage_error("chain", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind >= argc) return cli_usage_error("chain", "expected list or show NAME");
    const char *sub = argv[optind++];
    const char *name = optind < argc ? argv[optind++] : NULL;
    if (optind < argc) return cli_usage_error("chain", "unexpected argument \"%s\"", argv[optind]);
    if (strcmp(sub, "list") == 0) {
        if (name) return cli_usage_error("chain", "'list' takes no name");
        return chain_list(cli);
    }
    if (strcmp(sub, "show") == 0) {
        if (!name) return cli_usage_error("chain", "'show' needs a chain name (see 'rmct chain list')");
        return chain_show(cli, name);
    }
    return cli_usage_error("chain", "expected list or show, got \"%s\"", sub);
}
