/* sim.c: compiling chains, a scenario and hazards into a model, and running one future of it: the
 * monthly mass balance of docs/SIMULATION.md ("The monthly model").
 *
 * The future loop is the hot path of every ensemble (a million futures x 120 months), so it works
 * on flat arrays, touches per-month effect arrays only for nodes that some disruption reaches, and
 * starts each chain at the first month anything happens to it: before that month every node of
 * the chain is exactly at its normal state, which is known without computing it. */
#include "sim_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "text.h"


/* ---------------- small helpers ---------------- */

static void *xcalloc(size_t n, size_t size, bool *fail)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) *fail = true;
    return p;
}

static rmct_code warn(rmct_model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static rmct_code warn(rmct_model *m, const char *fmt, ...)
{
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **w = realloc(m->warnings, (size_t)(m->n_warnings + 1) * sizeof *w);
    if (!w) return RMCT_E_NOMEM;
    m->warnings = w;
    if (!(w[m->n_warnings] = strdup(buf))) return RMCT_E_NOMEM;
    m->n_warnings++;
    return RMCT_OK;
}

static int push_target(rmct_model *m, int *cap, int v)
{
    if (m->n_targets == *cap) {
        int nc = *cap ? *cap * 2 : 64;
        int *t = realloc(m->targets, (size_t)nc * sizeof *t);
        if (!t) return -1;
        m->targets = t;
        *cap = nc;
    }
    m->targets[m->n_targets++] = v;
    return 0;
}

static sim_qty qty_of(const rmct_param *p, double fallback, double lo, double hi)
{
    sim_qty q = {p->given ? p->value : fallback, lo, hi, {0}};
    if (p->given) q.dist = p->dist;
    return q;
}

/* One draw of a quantity (central value when not stochastic or without a distribution). */
static double draw(const sim_qty *q, rmct_rng *r, bool stochastic)
{
    if (!stochastic) return q->value;
    double x;
    switch (q->dist.kind) {
    case RMCT_DIST_UNIFORM: x = q->dist.low + (q->dist.high - q->dist.low) * rmct_rng_uniform(r); break;
    case RMCT_DIST_TRIANGULAR: x = rmct_rng_triangular(r, q->dist.low, q->dist.mode, q->dist.high); break;
    case RMCT_DIST_NORMAL: x = q->value + q->dist.sd * rmct_rng_normal(r); break;
    case RMCT_DIST_LOGNORMAL: x = q->value * exp(q->dist.sd * rmct_rng_normal(r)); break;
    default: return q->value;
    }
    return x < q->lo ? q->lo : x > q->hi ? q->hi : x;
}

/* The node's metal label: element, else its first tag, else its id. */
static const char *node_label(const rmct_chain_node *n)
{
    return n->element[0] ? n->element : n->n_tags ? n->tags[0] : n->id;
}

/* What background hazards are keyed on: the rare-metal type (one Chinese measure on rare earths
 * hits Nd, Pr, Dy and Tb together, as the register's entries do), else the node's label. */
static const char *hazard_key(const rmct_chain_node *n)
{
    return n->type_code[0] ? n->type_code : node_label(n);
}

static bool is_material(const rmct_chain_node *n)
{
    return n->stage == RMCT_STAGE_MATERIAL || n->stage == RMCT_STAGE_RESOURCE;
}

/* Does a scenario target (metals, nodes, sectors) name this node? */
static bool target_matches(const rmct_scn_target *t, const rmct_chain_node *n, bool use_sectors)
{
    for (int i = 0; i < t->n_metals; i++) {
        const char *x = t->metals[i];
        if (is_material(n) && ((n->element[0] && rmct_streq_nocase(x, n->element)) ||
                               (n->type_code[0] && rmct_streq_nocase(x, n->type_code))))
            return true;
        for (int j = 0; j < n->n_tags; j++)
            if (rmct_streq_nocase(x, n->tags[j])) return true;
    }
    for (int i = 0; i < t->n_nodes; i++) {
        if (strcmp(t->nodes[i], n->id) == 0) return true;
        for (int j = 0; j < n->n_tags; j++)
            if (rmct_streq_nocase(t->nodes[i], n->tags[j])) return true;
    }
    if (use_sectors)
        for (int i = 0; i < t->n_sectors; i++)
            if (n->final_demand.given && rmct_streq_nocase(t->sectors[i], n->sector)) return true;
    return false;
}

/* ---------------- model ---------------- */

void rmct_model_free(rmct_model *m)
{
    if (!m) return;
    void *ps[] = {m->chain_begin, m->chain_name, m->info, m->node_label, m->fd0, m->d0, m->istar, m->cap, m->ds,
                  m->rec0, m->q0, m->m0, m->r0, m->value, m->price, m->daily, m->has_resp, m->resp_kind, m->resp,
                  m->in_off, m->node_chain, m->in_from, m->in_req, m->pair_node, m->pair_share, m->pair_country, m->targets,
                  m->events, m->hazards, m->rdraws, m->series, m->stock_series, m->metric, m->final_metric,
                  m->metal_metric, m->sector_metric, m->nodes};
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) free(ps[i]);
    for (int i = 0; i < m->n_warnings; i++) free(m->warnings[i]);
    free(m->warnings);
    free(m);
}

int rmct_model_months(const rmct_model *m) { return m->T; }
int rmct_model_start(const rmct_model *m) { return m->start; }
int rmct_model_nodes(const rmct_model *m) { return m->n; }
const rmct_node_info *rmct_model_node(const rmct_model *m, int i) { return &m->info[i]; }
int rmct_model_series(const rmct_model *m) { return m->n_series; }
const rmct_series_info *rmct_model_series_info(const rmct_model *m, int i) { return &m->series[i]; }
int rmct_model_metrics(const rmct_model *m) { return m->n_metrics; }
const rmct_metric_info *rmct_model_metric(const rmct_model *m, int i) { return &m->metric[i]; }
int rmct_model_hazard_pairs(const rmct_model *m) { return m->hazard_pairs; }
int rmct_model_warnings(const rmct_model *m) { return m->n_warnings; }
const char *rmct_model_warning(const rmct_model *m, int i) { return m->warnings[i]; }

/* Nodes of the model, chains in order, each chain's nodes inputs-first. */
typedef struct {
    const rmct_chain *chain;
    const rmct_chain_node *node;
    int chain_index;
} node_ref;

static rmct_code build_nodes(rmct_model *m, rmct_chain *const *chains, int n_chains, node_ref **refs_out,
                             rmct_error *err)
{
    int n = 0, edges = 0;
    for (int c = 0; c < n_chains; c++) {
        n += chains[c]->n_nodes;
        for (int i = 0; i < chains[c]->n_nodes; i++) edges += chains[c]->nodes[i].n_inputs;
    }
    bool fail = false;
    m->n = n;
    m->n_chains = n_chains;
    m->chain_begin = xcalloc((size_t)n_chains + 1, sizeof(int), &fail);
    m->chain_name = xcalloc((size_t)n_chains, sizeof *m->chain_name, &fail);
    m->info = xcalloc((size_t)n, sizeof *m->info, &fail);
    m->node_label = xcalloc((size_t)n, sizeof *m->node_label, &fail);
    double **arrays[] = {&m->fd0, &m->d0, &m->istar, &m->cap, &m->ds, &m->rec0, &m->q0, &m->m0, &m->r0, &m->value,
                         &m->price, &m->daily};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) *arrays[i] = xcalloc((size_t)n, sizeof(double), &fail);
    m->has_resp = xcalloc((size_t)n, 1, &fail);
    m->resp_kind = xcalloc((size_t)n, 1, &fail);
    m->resp = xcalloc((size_t)n * R__COUNT, sizeof(double), &fail);
    m->in_off = xcalloc((size_t)n + 1, sizeof(int), &fail);
    m->node_chain = xcalloc((size_t)n, sizeof(int), &fail);
    m->in_from = xcalloc((size_t)edges, sizeof(int), &fail);
    m->in_req = xcalloc((size_t)edges, sizeof(double), &fail);
    m->stock_series = xcalloc((size_t)n, sizeof(int), &fail);
    m->final_metric = xcalloc((size_t)n, sizeof(int), &fail);
    node_ref *refs = xcalloc((size_t)n, sizeof *refs, &fail);
    int *global = xcalloc((size_t)n, sizeof(int), &fail);  /* chain-local index -> model index, per chain */
    if (fail) {
        free(refs);
        free(global);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    int g = 0, e = 0, pairs = 0;
    for (int c = 0; c < n_chains; c++) {
        const rmct_chain *ch = chains[c];
        for (int j = 0; j < c; j++)
            if (strcmp(m->chain_name[j], ch->name) == 0) {
                free(refs);
                free(global);
                return rmct_error_set(err, RMCT_E_ARG, "chain \"%s\" given twice", ch->name);
            }
        snprintf(m->chain_name[c], sizeof m->chain_name[c], "%s", ch->name);
        m->chain_begin[c] = g;
        int base = g;
        for (int k = 0; k < ch->n_nodes; k++) global[base + ch->order[k]] = base + k;
        for (int k = 0; k < ch->n_nodes; k++, g++) {
            const rmct_chain_node *nd = &ch->nodes[ch->order[k]];
            refs[g] = (node_ref){ch, nd, c};
            m->node_chain[g] = c;
            rmct_node_info *in = &m->info[g];
            in->chain = ch->name;
            in->id = nd->id;
            in->name = nd->name;
            in->unit = nd->unit;
            in->sector = nd->sector;
            in->stage = nd->stage;
            snprintf(in->label, sizeof in->label, "%s", node_label(nd));
            snprintf(m->node_label[g], sizeof m->node_label[g], "%s", hazard_key(nd));
            in->metal = in->sector_index = in->final_index = -1;
            /* a material used directly and lost is valued at its price when no value is given */
            in->value_usd = nd->value_usd.given ? nd->value_usd.value
                            : nd->final_demand.given && nd->price_usd.given ? nd->price_usd.value : 0;
            in->proxy_imports = nd->imports_proxy;
            m->fd0[g] = nd->final_demand.given ? nd->final_demand.value / 12.0 : 0;
            m->cap[g] = nd->capacity.given ? nd->capacity.value / 12.0 : INFINITY;
            m->ds[g] = nd->domestic_share.given ? nd->domestic_share.value : 0;
            m->value[g] = in->value_usd;
            m->price[g] = nd->price_usd.given ? nd->price_usd.value : 0;
            in->price_usd = m->price[g];
            m->stock_series[g] = m->final_metric[g] = -1;
            m->in_off[g] = e;
            for (int j = 0; j < nd->n_inputs; j++, e++) {
                m->in_from[e] = global[base + nd->inputs[j].from];
                m->in_req[e] = nd->inputs[j].intensity.value / (nd->yield.given ? nd->yield.value : 1);
            }
            pairs += nd->n_partners;
        }
        /* recycling streams add to the node they feed */
        for (int k = 0; k < ch->n_nodes; k++) {
            const rmct_chain_node *nd = &ch->nodes[k];
            if (nd->stage == RMCT_STAGE_RECYCLING) m->rec0[global[base + nd->feeds]] += nd->supply.value / 12.0;
        }
    }
    m->chain_begin[n_chains] = g;
    m->in_off[n] = e;
    free(global);
    m->pair_node = xcalloc((size_t)pairs, sizeof(int), &fail);
    m->pair_share = xcalloc((size_t)pairs, sizeof(double), &fail);
    m->pair_country = xcalloc((size_t)pairs, 4, &fail);
    if (fail) {
        free(refs);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < refs[i].node->n_partners; j++) {
            m->pair_node[m->n_pairs] = i;
            m->pair_share[m->n_pairs] = refs[i].node->partners[j].share.value;
            memcpy(m->pair_country[m->n_pairs], refs[i].node->partners[j].iso3, 4);
            m->n_pairs++;
        }
    *refs_out = refs;
    return RMCT_OK;
}

/* The normal state: demand on each node from the final demand below it, then the flows that meet it. */
static rmct_code baseline(rmct_model *m, const node_ref *refs)
{
    double *req_sum = calloc((size_t)m->n, sizeof *req_sum);
    if (!req_sum) return RMCT_E_NOMEM;
    for (int c = 0; c < m->n_chains; c++)
        for (int i = m->chain_begin[c + 1] - 1; i >= m->chain_begin[c]; i--) {
            double D = m->fd0[i] + req_sum[i];
            double R = m->rec0[i] < D ? m->rec0[i] : D;
            double net = D - R;
            double Q = m->ds[i] * net;
            if (Q > m->cap[i]) Q = m->cap[i];
            m->d0[i] = D;
            m->r0[i] = R;
            m->q0[i] = Q;
            m->m0[i] = net - Q;
            for (int k = m->in_off[i]; k < m->in_off[i + 1]; k++) req_sum[m->in_from[k]] += Q * m->in_req[k];
        }
    free(req_sum);
    for (int i = 0; i < m->n; i++) {
        const rmct_chain_node *nd = refs[i].node;
        m->daily[i] = m->d0[i] / RMCT_DAYS_PER_MONTH;
        m->istar[i] = nd->inventory_days.given ? nd->inventory_days.value * m->daily[i] : 0;
        rmct_node_info *in = &m->info[i];
        in->demand0 = m->d0[i];
        in->final0 = m->fd0[i];
        in->inventory0 = m->istar[i];
        in->imports0 = m->m0[i];
        in->production0 = m->q0[i];
        in->recycled0 = m->r0[i];
        if (nd->stage != RMCT_STAGE_RECYCLING && m->d0[i] <= 0)
            if (warn(m, "chain %s: node %s has no demand (no product below it uses it)", in->chain, in->id))
                return RMCT_E_NOMEM;
        if (m->rec0[i] > m->d0[i] * (1 + 1e-9) && m->d0[i] > 0)
            if (warn(m, "chain %s: recycling supplies more %s than is used; the excess is not modelled", in->chain, in->id))
                return RMCT_E_NOMEM;
    }
    return RMCT_OK;
}

static rmct_code build_series(rmct_model *m, const node_ref *refs)
{
    bool fail = false;
    /* metals, sectors, then public stockpiles (added with the responses) */
    m->series = xcalloc((size_t)m->n * 3 + 1, sizeof *m->series, &fail);
    if (fail) return RMCT_E_NOMEM;
    for (int i = 0; i < m->n; i++) {
        if (!is_material(refs[i].node)) continue;
        int s = 0;
        while (s < m->n_series && strcmp(m->series[s].label, m->info[i].label) != 0) s++;
        if (s == m->n_series) {
            m->series[s].kind = RMCT_SERIES_METAL;
            snprintf(m->series[s].label, sizeof m->series[s].label, "%s", m->info[i].label);
            snprintf(m->series[s].unit, sizeof m->series[s].unit, "%s", m->info[i].unit);
            m->n_series++;
            m->n_metals++;
        }
        m->series[s].normal += m->d0[i];
        m->info[i].metal = s;
    }
    for (int i = 0; i < m->n; i++) {
        if (!refs[i].node->final_demand.given) continue;
        int s = m->n_metals;
        while (s < m->n_series && strcmp(m->series[s].label, m->info[i].sector) != 0) s++;
        if (s == m->n_series) {
            m->series[s].kind = RMCT_SERIES_SECTOR;
            snprintf(m->series[s].label, sizeof m->series[s].label, "%s", m->info[i].sector);
            snprintf(m->series[s].unit, sizeof m->series[s].unit, "USD");
            m->n_series++;
            m->n_sectors++;
        }
        m->series[s].normal += m->fd0[i] * m->value[i];
        m->info[i].sector_index = s;
    }
    return RMCT_OK;
}

static rmct_code build_metrics(rmct_model *m)
{
    int finals = 0;
    for (int i = 0; i < m->n; i++) finals += m->fd0[i] > 0 || m->info[i].sector_index >= 0;
    bool fail = false;
    m->metric = xcalloc((size_t)(m->n_metals + finals + m->n_sectors + 1), sizeof *m->metric, &fail);
    m->metal_metric = xcalloc((size_t)m->n_metals, sizeof(int), &fail);
    m->sector_metric = xcalloc((size_t)m->n_sectors, sizeof(int), &fail);
    if (fail) return RMCT_E_NOMEM;
    for (int s = 0; s < m->n_metals; s++) {
        rmct_metric_info *x = &m->metric[m->n_metrics];
        x->kind = RMCT_METRIC_METAL_T;
        x->ref = s;
        snprintf(x->label, sizeof x->label, "%s", m->series[s].label);
        snprintf(x->unit, sizeof x->unit, "%s", m->series[s].unit);
        m->metal_metric[s] = m->n_metrics++;
    }
    int f = 0;
    for (int i = 0; i < m->n; i++) {
        if (m->info[i].sector_index < 0) continue;
        rmct_metric_info *x = &m->metric[m->n_metrics];
        x->kind = RMCT_METRIC_FINAL_UNITS;
        x->ref = i;
        snprintf(x->label, sizeof x->label, "%s/%s", m->info[i].chain, m->info[i].id);
        snprintf(x->unit, sizeof x->unit, "%s", m->info[i].unit);
        m->info[i].final_index = f++;
        m->final_metric[i] = m->n_metrics++;
    }
    for (int s = 0; s < m->n_sectors; s++) {
        rmct_metric_info *x = &m->metric[m->n_metrics];
        x->kind = RMCT_METRIC_SECTOR_USD;
        x->ref = m->n_metals + s;
        snprintf(x->label, sizeof x->label, "%s", m->series[m->n_metals + s].label);
        snprintf(x->unit, sizeof x->unit, "USD");
        m->sector_metric[s] = m->n_metrics++;
    }
    rmct_metric_info *x = &m->metric[m->n_metrics];
    x->kind = RMCT_METRIC_TOTAL_USD;
    x->ref = -1;
    snprintf(x->label, sizeof x->label, "all sectors");
    snprintf(x->unit, sizeof x->unit, "USD");
    m->total_metric = m->n_metrics++;
    return RMCT_OK;
}

static rmct_code build_events(rmct_model *m, const node_ref *refs, const rmct_scenario *sc, int *tcap,
                              rmct_error *err)
{
    if (!sc) return RMCT_OK;
    m->events = calloc((size_t)sc->n_events + 1, sizeof *m->events);
    if (!m->events) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    for (int k = 0; k < sc->n_events; k++) {
        const rmct_scn_event *ev = &sc->events[k];
        sim_event *se = &m->events[m->n_events++];
        se->kind = ev->kind;
        se->month = ev->month;
        double dlo = 0, dhi = 1;
        if (ev->kind == RMCT_SCN_EVENT_DEMAND_SURGE) dlo = -1, dhi = 100;
        if (ev->kind == RMCT_SCN_EVENT_PRICE_SHOCK) dlo = 0, dhi = 1000;
        se->depth = qty_of(&ev->depth, 0, dlo, dhi);
        se->has_duration = ev->duration.given;
        se->duration = qty_of(&ev->duration, 0, 0.5, 1200);
        se->phase = qty_of(&ev->phase_in, 0, 0, 120);
        se->off = m->n_targets;
        int matched = 0;
        for (int i = 0; i < m->n; i++) {
            if (!target_matches(&ev->target, refs[i].node, ev->kind == RMCT_SCN_EVENT_DEMAND_SURGE)) continue;
            matched++;
            if (ev->kind == RMCT_SCN_EVENT_EXPORT_RESTRICTION) {
                for (int p = 0; p < m->n_pairs; p++)
                    if (m->pair_node[p] == i && strcmp(m->pair_country[p], ev->country) == 0 &&
                        push_target(m, tcap, p))
                        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            } else if (push_target(m, tcap, i))
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        }
        se->len = m->n_targets - se->off;
        if (!matched)
            return rmct_error_at(err, sc->path, 0, 0, NULL, "%s: matches no node of the chains simulated (check metals, "
                                                            "nodes and sectors against 'rmct chain show')",
                                 ev->label);
        if (!se->len && warn(m, "%s: %s supplies none of the %d matched node(s) in the import data used; the event has no effect",
                             ev->label, ev->country, matched))
            return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    return RMCT_OK;
}

static rmct_code add_rdraw(rmct_model *m, int field, const rmct_param *p, double fallback, double lo, double hi, bool days,
                           int off, int len)
{
    sim_qty q = qty_of(p, fallback, lo, hi);
    for (int k = off; k < off + len; k++) {
        int i = m->targets[k];
        m->resp[i * R__COUNT + field] = q.value * (days ? m->daily[i] : 1);
    }
    if (!p->given || p->dist.kind == RMCT_DIST_NONE) return RMCT_OK;
    sim_rdraw *r = realloc(m->rdraws, (size_t)(m->n_rdraws + 1) * sizeof *r);
    if (!r) return RMCT_E_NOMEM;
    m->rdraws = r;
    r[m->n_rdraws++] = (sim_rdraw){field, q, days, off, len};
    return RMCT_OK;
}

static rmct_code build_responses(rmct_model *m, const node_ref *refs, const rmct_scenario *sc, int *tcap,
                                 rmct_error *err)
{
    if (!sc) return RMCT_OK;
    for (int k = 0; k < sc->n_responses; k++) {
        const rmct_scn_response *r = &sc->responses[k];
        int off = m->n_targets;
        for (int i = 0; i < m->n; i++) {
            const rmct_chain_node *nd = refs[i].node;
            bool hit = target_matches(&r->target, nd, false);
            /* a recycling response may name the recycling stream: it acts on the node it feeds */
            if (!hit && r->kind == RMCT_SCN_RESP_RECYCLING_INCREASE) {
                const rmct_chain *ch = refs[i].chain;
                for (int j = 0; j < ch->n_nodes && !hit; j++)
                    if (ch->nodes[j].stage == RMCT_STAGE_RECYCLING && &ch->nodes[ch->nodes[j].feeds] == nd)
                        hit = target_matches(&r->target, &ch->nodes[j], false);
            }
            if (!hit || nd->stage == RMCT_STAGE_RECYCLING) continue;
            if (r->kind == RMCT_SCN_RESP_RECYCLING_INCREASE && m->rec0[i] <= 0) continue;
            if (push_target(m, tcap, i)) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        }
        int len = m->n_targets - off;
        if (!len)
            return rmct_error_at(err, sc->path, 0, 0, NULL, "%s: matches no node of the chains simulated%s", r->label,
                                 r->kind == RMCT_SCN_RESP_RECYCLING_INCREASE ? " that a recycling stream feeds" : "");
        rmct_code rc = RMCT_OK;
        unsigned char bit = 0;
        switch (r->kind) {
        case RMCT_SCN_RESP_STOCKPILE_RELEASE:
            bit = RK_STOCK;
            if (r->stock.given && len > 1)
                return rmct_error_at(err, sc->path, 0, 0, NULL, "%s.stock: a stock in units needs exactly one node, "
                                                                "this entry matches %d (use stock_days)",
                                     r->label, len);
            rc = r->stock.given ? add_rdraw(m, R_PS0, &r->stock, 0, 0, 1e15, false, off, len)
                                : add_rdraw(m, R_PS0, &r->stock_days, 0, 0, 3650, true, off, len);
            if (!rc) rc = add_rdraw(m, R_TRIG, &r->trigger_cover_days, 0, 0, 3650, true, off, len);
            if (!rc) rc = add_rdraw(m, R_MAXREL, &r->max_monthly_days, INFINITY, 0, INFINITY, true, off, len);
            if (!rc) rc = add_rdraw(m, R_FLOOR, &r->floor_days, 0, 0, 3650, true, off, len);
            if (!rc) rc = add_rdraw(m, R_SLEAD, &r->lead_months, 0, 0, 120, false, off, len);
            break;
        case RMCT_SCN_RESP_ALTERNATIVE_SOURCING:
            bit = RK_ALT;
            rc = add_rdraw(m, R_ALTMAX, &r->max_share, 0, 0, 1, false, off, len);
            if (!rc) rc = add_rdraw(m, R_ALTLEAD, &r->lead_months, 0, 0, 120, false, off, len);
            if (!rc) rc = add_rdraw(m, R_ALTRAMP, &r->ramp_months, 0, 0, 120, false, off, len);
            break;
        case RMCT_SCN_RESP_SUBSTITUTION:
            bit = RK_SUB;
            rc = add_rdraw(m, R_SUBFRAC, &r->fraction, 0, 0, 1, false, off, len);
            if (!rc) rc = add_rdraw(m, R_SUBDELAY, &r->lead_months, 0, 0, 120, false, off, len);
            break;
        case RMCT_SCN_RESP_RECYCLING_INCREASE:
            bit = RK_REC;
            rc = add_rdraw(m, R_RECF, &r->factor, 1, 1, 100, false, off, len);
            if (!rc) rc = add_rdraw(m, R_RECDELAY, &r->lead_months, 0, 0, 120, false, off, len);
            if (!rc) rc = add_rdraw(m, R_RECRAMP, &r->ramp_months, 0, 0, 120, false, off, len);
            break;
        }
        if (rc) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        for (int t = off; t < off + len; t++) {
            int i = m->targets[t];
            if (m->resp_kind[i] & bit)
                return rmct_error_at(err, sc->path, 0, 0, NULL, "%s: node %s already has a %s response", r->label,
                                     m->info[i].id, rmct_scn_response_kind_name(r->kind));
            m->resp_kind[i] |= bit;
            m->has_resp[i] = 1;
            if (bit == RK_STOCK) {
                int s = m->n_series++;
                m->n_stock++;
                m->series[s].kind = RMCT_SERIES_STOCK;
                snprintf(m->series[s].label, sizeof m->series[s].label, "stock %s/%s", m->info[i].chain, m->info[i].id);
                snprintf(m->series[s].unit, sizeof m->series[s].unit, "%s", m->info[i].unit);
                m->series[s].normal = m->resp[i * R__COUNT + R_PS0];
                m->stock_series[i] = s;
                m->info[i].public_stock0 = m->resp[i * R__COUNT + R_PS0];
            }
        }
    }
    return RMCT_OK;
}

static rmct_code build_hazards(rmct_model *m, const rmct_hazard_set *hz, int *tcap, rmct_error *err)
{
    if (!hz || !hz->n) return RMCT_OK;
    m->hazards = calloc((size_t)hz->n, sizeof *m->hazards);
    if (!m->hazards) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    for (int h = 0; h < hz->n; h++) {
        const rmct_hazard *x = &hz->h[h];
        if (!(x->p_year > 0)) continue;
        sim_hazard *sh = &m->hazards[m->n_hazards];
        *sh = (sim_hazard){x->p_year, x->depth_low, x->depth_mode, x->depth_high, x->duration_median,
                           x->duration_sdlog, m->n_targets, 0};
        for (int p = 0; p < m->n_pairs; p++) {
            int i = m->pair_node[p];
            if (strcmp(m->pair_country[p], x->country) != 0) continue;
            if (!rmct_streq_nocase(m->node_label[i], x->metal)) continue;
            if (push_target(m, tcap, p)) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        }
        sh->len = m->n_targets - sh->off;
        if (sh->len) {
            m->n_hazards++;
            m->hazard_pairs += sh->len;
        }
    }
    return RMCT_OK;
}

/* The kernel's view of each node, packed in one struct (one or two cache lines). */
static rmct_code pack_nodes(rmct_model *m)
{
    m->nodes = calloc((size_t)m->n + 1, sizeof *m->nodes);
    if (!m->nodes) return RMCT_E_NOMEM;
    for (int i = 0; i < m->n; i++) {
        sim_node *nd = &m->nodes[i];
        nd->fd0 = m->fd0[i];
        nd->istar = m->istar[i];
        nd->rec0 = m->rec0[i];
        nd->cap = m->cap[i];
        nd->ds = m->ds[i];
        nd->q0 = m->q0[i];
        nd->eps = SHORT_EPS * m->d0[i];
        nd->value = m->value[i];
        nd->in_b = m->in_off[i];
        nd->in_e = m->in_off[i + 1];
        nd->metal = m->info[i].metal;
        nd->metal_metric = nd->metal >= 0 ? m->metal_metric[nd->metal] : -1;
        nd->final_metric = m->final_metric[i];
        nd->sector = m->info[i].sector_index;
        nd->sector_metric = nd->sector >= 0 ? m->sector_metric[nd->sector - m->n_metals] : -1;
        nd->stock_series = m->stock_series[i];
        unsigned f = 0;
        if (m->resp_kind[i] & RK_STOCK) f |= NF_STOCK;
        if (m->resp_kind[i] & RK_ALT) f |= NF_ALT;
        if (m->resp_kind[i] & RK_SUB) f |= NF_SUB;
        if (m->resp_kind[i] & RK_REC) f |= NF_REC;
        if (m->rec0[i] > 0) f |= NF_RECYCLED;
        if (nd->in_e > nd->in_b) f |= NF_INPUTS;
        for (int k = nd->in_b; k < nd->in_e; k++)
            if (m->resp_kind[m->in_from[k]] & RK_SUB) f |= NF_SUBIN;
        nd->flags = f;
    }
    return RMCT_OK;
}

rmct_code rmct_model_build(rmct_chain *const *chains, int n_chains, const rmct_scenario *sc,
                           const rmct_hazard_set *hazards, rmct_model **out, rmct_error *err)
{
    *out = NULL;
    if (n_chains < 1) return rmct_error_set(err, RMCT_E_ARG, "no chains to simulate");
    rmct_model *m = calloc(1, sizeof *m);
    if (!m) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    m->T = sc ? sc->months : 120;
    m->start = sc ? sc->start_year * 12 + sc->start_month - 1 : 0;
    node_ref *refs = NULL;
    int tcap = 0;
    rmct_code rc = build_nodes(m, chains, n_chains, &refs, err);
    if (!rc && baseline(m, refs)) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    if (!rc && build_series(m, refs)) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    if (!rc && build_metrics(m)) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    if (!rc) {
        for (int i = 0; i < m->n; i++) m->resp[i * R__COUNT + R_MAXREL] = INFINITY;
        rc = build_events(m, refs, sc, &tcap, err);
    }
    if (!rc) rc = build_responses(m, refs, sc, &tcap, err);
    if (!rc) rc = build_hazards(m, hazards, &tcap, err);
    if (!rc && pack_nodes(m)) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    free(refs);
    if (rc) {
        rmct_model_free(m);
        return rc;
    }
    *out = m;
    return RMCT_OK;
}

/* ---------------- one future ---------------- */

sim_scratch *sim_scratch_new(const rmct_model *m)
{
    sim_scratch *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    int n = m->n, T = m->T;
    bool fail = false;
    s->n = n;
    s->T = T;
    double **d[] = {&s->I, &s->reqsum, &s->sat, &s->D, &s->fd, &s->Q, &s->M, &s->R, &s->ps};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) *d[i] = xcalloc((size_t)n, sizeof(double), &fail);
    int **ip[] = {&s->first_loss, &s->first_trouble, &s->first_short, &s->trig_start, &s->touched};
    for (size_t i = 0; i < sizeof ip / sizeof *ip; i++) *ip[i] = xcalloc((size_t)n, sizeof(int), &fail);
    s->sub_on = xcalloc((size_t)n, 1, &fail);
    s->resp = xcalloc((size_t)n * R__COUNT, sizeof(double), &fail);
    s->req = xcalloc((size_t)m->in_off[n], sizeof(double), &fail);
    s->loss = xcalloc((size_t)n * T, sizeof(double), &fail);
    s->capf = xcalloc((size_t)n * T, sizeof(double), &fail);
    s->demf = xcalloc((size_t)n * T, sizeof(double), &fail);
    s->pricef = xcalloc((size_t)n * T, sizeof(double), &fail);
    s->has_loss = xcalloc((size_t)n, 1, &fail);
    s->has_cap = xcalloc((size_t)n, 1, &fail);
    s->has_dem = xcalloc((size_t)n, 1, &fail);
    s->has_price = xcalloc((size_t)n, 1, &fail);
    s->surv = xcalloc((size_t)(m->n_pairs ? m->n_pairs : 1) * T, sizeof(double), &fail);
    s->pair_on = xcalloc((size_t)m->n_pairs, 1, &fail);
    s->pairs_on = xcalloc((size_t)m->n_pairs, sizeof(int), &fail);
    s->pair_lo = xcalloc((size_t)m->n_pairs, sizeof(int), &fail);
    s->pair_hi = xcalloc((size_t)m->n_pairs, sizeof(int), &fail);
    s->chain_first = xcalloc((size_t)m->n_chains, sizeof(int), &fail);
    s->busy = xcalloc((size_t)m->n_chains * T, 1, &fail);
    s->flags = xcalloc((size_t)n, sizeof(unsigned), &fail);
    s->metrics = xcalloc((size_t)m->n_metrics, sizeof(double), &fail);
    s->series = xcalloc((size_t)m->n_series * T, sizeof(double), &fail);
    s->ser_lo = xcalloc((size_t)m->n_series + 1, sizeof(int), &fail);
    s->ser_hi = xcalloc((size_t)m->n_series + 1, sizeof(int), &fail);
    for (int q = 0; !fail && q < m->n_series; q++) s->ser_lo[q] = T;
    s->cap_ep = 64;
    s->ep = xcalloc((size_t)s->cap_ep, sizeof *s->ep, &fail);
    if (fail) {
        sim_scratch_free(s);
        return NULL;
    }
    return s;
}

void sim_scratch_lend_surv(sim_scratch *s, sim_scratch *from)
{
    if (!s->surv_borrowed) free(s->surv);
    s->surv = from->surv;
    s->surv_borrowed = true;
}

void sim_scratch_free(sim_scratch *s)
{
    if (!s) return;
    if (s->surv_borrowed) s->surv = NULL;
    void *ps[] = {s->I, s->reqsum, s->sat, s->D, s->fd, s->Q, s->M, s->R, s->ps, s->first_loss, s->first_trouble,
                  s->first_short, s->trig_start, s->touched, s->sub_on, s->resp, s->req, s->loss, s->capf, s->demf,
                  s->pricef, s->has_loss, s->has_cap, s->has_dem, s->has_price, s->surv, s->pair_on, s->pair_lo, s->pair_hi, s->pairs_on,
                  s->chain_first, s->flags, s->busy, s->metrics, s->series, s->ser_lo, s->ser_hi, s->ep};
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) free(ps[i]);
    free(s);
}

const double *sim_scratch_metrics(const sim_scratch *s) { return s->metrics; }
double *sim_scratch_series(sim_scratch *s, int **lo, int **hi)
{
    *lo = s->ser_lo;
    *hi = s->ser_hi;
    return s->series;
}
int sim_scratch_episodes(const sim_scratch *s) { return s->n_ep; }

static void add_episode(sim_scratch *s, episode e)
{
    if (s->n_ep == s->cap_ep) {
        episode *ne = realloc(s->ep, (size_t)s->cap_ep * 2 * sizeof *ne);
        if (!ne) return; /* out of memory: the episode is dropped (never happens at these sizes) */
        s->ep = ne;
        s->cap_ep *= 2;
    }
    s->ep[s->n_ep++] = e;
}

/* Draw this future's disruptions and response values. */
static void draw_future(const rmct_model *m, sim_scratch *s, bool stochastic, bool hazards, uint64_t seed, long k)
{
    rmct_rng r = rmct_rng_stream(seed, 0x5349u, (uint64_t)k);
    s->n_ep = 0;
    int T = m->T;
    for (int e = 0; e < m->n_events; e++) {
        const sim_event *se = &m->events[e];
        double depth = draw(&se->depth, &r, stochastic);
        double dur = se->has_duration ? draw(&se->duration, &r, stochastic) : 1e9;
        double phase = draw(&se->phase, &r, stochastic);
        int len = (int)fmin(1e6, fmax(1.0, floor(dur + 0.5)));
        episode ep = {se->kind, se->month, se->month + len, (int)floor(phase + 0.5), depth, se->off, se->len};
        if (ep.t1 > 0 && ep.t0 < T && se->len > 0) add_episode(s, ep);
    }
    s->rv = m->resp;
    if (m->n_rdraws) {
        memcpy(s->resp, m->resp, (size_t)m->n * R__COUNT * sizeof(double));
        s->rv = s->resp;
    }
    for (int d = 0; d < m->n_rdraws; d++) {
        const sim_rdraw *rd = &m->rdraws[d];
        double v = draw(&rd->q, &r, stochastic);
        for (int t = rd->off; t < rd->off + rd->len; t++) {
            int i = m->targets[t];
            s->resp[i * R__COUNT + rd->field] = v * (rd->days ? m->daily[i] : 1);
        }
    }
    if (!stochastic || !hazards) return;
    int years = (T + 11) / 12;
    for (int h = 0; h < m->n_hazards; h++) {
        const sim_hazard *hz = &m->hazards[h];
        for (int y = 0; y < years; y++) {
            if (rmct_rng_uniform(&r) >= hz->p_year) continue;
            int t0 = y * 12 + (int)(12 * rmct_rng_uniform(&r));
            double depth = rmct_rng_triangular(&r, hz->depth_low, hz->depth_mode, hz->depth_high);
            double dur = hz->dur_median * exp(hz->dur_sdlog * rmct_rng_normal(&r));
            int len = (int)fmin(1200, fmax(1.0, floor(dur + 0.5)));
            if (t0 < T) add_episode(s, (episode){RMCT_SCN_EVENT_EXPORT_RESTRICTION, t0, t0 + len, 0, depth, hz->off, hz->len});
        }
    }
}

static void touch(sim_scratch *s, int i)
{
    if (!s->has_loss[i] && !s->has_cap[i] && !s->has_dem[i] && !s->has_price[i]) s->touched[s->n_touched++] = i;
}

/* Turn the episodes into per-node, per-month effects, and find where each chain starts to move. */
static void apply_episodes(const rmct_model *m, sim_scratch *s)
{
    int T = m->T;
    for (int c = 0; c < m->n_chains; c++) s->chain_first[c] = T;
    memset(s->busy, 0, (size_t)m->n_chains * T);
    for (int j = 0; j < s->n_ep; j++) {
        const episode *e = &s->ep[j];
        int a = e->t0 < 0 ? 0 : e->t0, b = e->t1 > T ? T : e->t1;
        for (int q = e->off; q < e->off + e->len; q++) {
            int tgt = m->targets[q];
            int node = e->kind == RMCT_SCN_EVENT_EXPORT_RESTRICTION ? m->pair_node[tgt] : tgt;
            int c = m->node_chain[node];
            if (a < s->chain_first[c]) s->chain_first[c] = a;
            if (a < b) memset(s->busy + (size_t)c * T + a, 1, (size_t)(b - a));
            double *arr;
            if (e->kind == RMCT_SCN_EVENT_EXPORT_RESTRICTION) {
                /* survival is kept only over the months some episode on the pair covers */
                arr = s->surv + (size_t)tgt * T;
                if (!s->pair_on[tgt]) {
                    s->pair_on[tgt] = 1;
                    s->pairs_on[s->n_pairs_on++] = tgt;
                    s->pair_lo[tgt] = a, s->pair_hi[tgt] = a;
                }
                for (int t = a; t < s->pair_lo[tgt]; t++) arr[t] = 1;
                for (int t = s->pair_hi[tgt]; t < b; t++) arr[t] = 1;
                if (a < s->pair_lo[tgt]) s->pair_lo[tgt] = a;
                if (b > s->pair_hi[tgt]) s->pair_hi[tgt] = b;
            } else {
                touch(s, node);
                unsigned char *flag = e->kind == RMCT_SCN_EVENT_OUTAGE ? s->has_cap : e->kind == RMCT_SCN_EVENT_DEMAND_SURGE ? s->has_dem : s->has_price;
                double *base = e->kind == RMCT_SCN_EVENT_OUTAGE ? s->capf : e->kind == RMCT_SCN_EVENT_DEMAND_SURGE ? s->demf : s->pricef;
                arr = base + (size_t)node * T;
                if (!flag[node]) {
                    flag[node] = 1;
                    for (int t = 0; t < T; t++) arr[t] = 1;
                }
            }
            for (int t = a; t < b; t++) {
                double f = e->phase > 0 && t - e->t0 + 1 < e->phase ? (double)(t - e->t0 + 1) / e->phase : 1;
                double x = e->depth * f;
                switch (e->kind) {
                case RMCT_SCN_EVENT_EXPORT_RESTRICTION:
                case RMCT_SCN_EVENT_OUTAGE: arr[t] *= 1 - x; break;
                case RMCT_SCN_EVENT_DEMAND_SURGE: arr[t] *= 1 + x; break;
                case RMCT_SCN_EVENT_PRICE_SHOCK: arr[t] *= x; break;
                }
            }
        }
    }
    /* withheld share of each node's imports: sum over its partners of share x (1 - survival) */
    for (int j = 0; j < s->n_pairs_on; j++) {
        int p = s->pairs_on[j], i = m->pair_node[p];
        touch(s, i);
        double *loss = s->loss + (size_t)i * T;
        if (!s->has_loss[i]) {
            s->has_loss[i] = 1;
            memset(loss, 0, (size_t)T * sizeof *loss);
        }
        for (int t = s->pair_lo[p]; t < s->pair_hi[p]; t++) loss[t] += m->pair_share[p] * (1 - s->surv[p * T + t]);
        s->pair_on[p] = 0;
    }
    s->n_pairs_on = 0;
}

void sim_prepare(const rmct_model *m, sim_scratch *s, bool stochastic, bool hazards, uint64_t seed, long k)
{
    draw_future(m, s, stochastic, hazards, seed, k);
    memset(s->metrics, 0, (size_t)m->n_metrics * sizeof *s->metrics);
    apply_episodes(m, s);
}

void sim_clear_effects(sim_scratch *s)
{
    for (int j = 0; j < s->n_touched; j++) {
        int i = s->touched[j];
        s->has_loss[i] = s->has_cap[i] = s->has_dem[i] = s->has_price[i] = 0;
    }
    s->n_touched = 0;
}

static void trace_baseline(const rmct_model *m, rmct_trace *tr, int i, int t, const sim_scratch *s)
{
    size_t x = (size_t)i * m->T + t;
    tr->demand[x] = tr->served[x] = m->d0[i];
    tr->inventory_start[x] = tr->inventory_end[x] = m->istar[i];
    tr->imports[x] = m->m0[i];
    tr->production[x] = m->q0[i];
    tr->recycled[x] = m->r0[i];
    tr->public_stock[x] = s->rv[i * R__COUNT + R_PS0];
}

/* (5/6)^k for k = 0..1200 months of relaxation, built once. */
static double decay_table[1201];
static pthread_once_t decay_once = PTHREAD_ONCE_INIT;

static void decay_init(void)
{
    double x = 1;
    for (int i = 0; i <= 1200; i++, x *= 1 - 1 / REBUILD_MONTHS) decay_table[i] = x;
}

double sim_decay_pow(int k)
{
    pthread_once(&decay_once, decay_init);   /* ensemble threads may be the first to ask */
    return decay_table[k];
}

/* Jump nodes b..e-1 from month t to month `next` in closed form, if the stretch is quiet; false
 * (nothing changed) if it is not. */
/* Can a node of b..e-1 holding more than its normal inventory have its request F = D + (I* - I)/6
 * clamped at zero in a quiet stretch from now on? Lower bounds of every demand over the stretch,
 * downstream to upstream: no effect is in force, an excess only shrinks, recycling is at most its
 * raised level and substitution can only end; F stays >= 0 while the excess is at most six of those
 * months. Uses s->D (the month's demands, not yet computed) as working memory. */
static bool overstock_may_clamp(const rmct_model *m, sim_scratch *s, int b, int e)
{
    const sim_node *nodes = m->nodes;
    const double *I = s->I;
    double *dmin = s->D;
    for (int i = b; i < e; i++) dmin[i] = nodes[i].fd0;
    for (int c = e - 1; c >= b; c--) {
        const sim_node *nd = &nodes[c];
        double excess = I[c] - nd->istar;
        if (excess > nd->istar * 1e-12 && excess > 6 * dmin[c] * (1 - 1e-9)) return true;
        double F = dmin[c] - (excess > 0 ? excess : 0) * (1.0 / REBUILD_MONTHS);
        double rmax = nd->rec0;
        if (nd->flags & NF_REC) rmax *= fmax(1, s->rv[c * R__COUNT + R_RECF]);
        double net = F - rmax, q = nd->ds * (net > 0 ? net : 0);
        if (q > nd->cap) q = nd->cap;
        for (int k = nd->in_b; k < nd->in_e; k++) {
            int u = m->in_from[k];
            double r = q * m->in_req[k];
            if (s->sub_on[u]) r *= 1 - s->rv[u * R__COUNT + R_SUBFRAC];
            dmin[u] += r;
        }
    }
    return false;
}

static bool quiet_jump(const rmct_model *m, sim_scratch *s, int b, int e, int t, int next)
{
    double *I = s->I;
    bool over = false;
    for (int i = b; i < e; i++) {
        over |= I[i] > m->istar[i] * (1 + 1e-12);
        if ((m->resp_kind[i] & RK_STOCK) && s->rv[i * R__COUNT + R_TRIG] > 0 &&
            s->ps[i] > s->rv[i * R__COUNT + R_FLOOR] &&
            I[i] + (m->istar[i] - I[i]) * (1.0 / REBUILD_MONTHS) < s->rv[i * R__COUNT + R_TRIG])
            return false;
    }
    if (over && overstock_may_clamp(m, s, b, e)) return false;
    double f = sim_decay_pow(next - t);
    const int T = m->T;
    for (int i = b; i < e; i++) {
        I[i] = m->istar[i] - (m->istar[i] - I[i]) * f;
        s->sat[i] = 1;
        if (s->sub_on[i] && I[i] >= m->istar[i] * (1 - 1e-9)) s->sub_on[i] = 0;
        int ss = m->stock_series[i];
        double used = s->rv[i * R__COUNT + R_PS0] - s->ps[i];
        if (ss >= 0 && used > 0) {
            double v = sim_stock_used_scaled(m, ss, used, s->rv[i * R__COUNT + R_PS0]);
            for (int k = t; k < next; k++) s->series[(size_t)ss * T + k] = v;
            sim_mark(s, ss, t, next);
        }
    }
    return true;
}

/* Months t_from..T-1 of chain c, from the normal state. Accumulates s->metrics and the raw
 * series amounts (marking the series that get a non-zero value); fills tr when tracing. Inlined
 * into two versions so the ensemble's copy carries no trace code. */
static inline __attribute__((always_inline)) void run_chain_impl(const rmct_model *m, sim_scratch *s, int c,
                                                                 int t_from, rmct_trace *tr, const bool tracing)
{
    const int b = m->chain_begin[c], e = m->chain_begin[c + 1], T = m->T;
    const int *restrict in_from = m->in_from;
    const double *restrict in_req = m->in_req;
    const sim_node *restrict nodes = m->nodes;
    double *restrict I = s->I, *restrict sat = s->sat, *restrict req = s->req, *restrict reqsum = s->reqsum;
    double *restrict Dn = s->D, *restrict fdn = s->fd, *restrict Qn = s->Q, *restrict Mn = s->M, *restrict Rn = s->R;
    double *restrict metrics = s->metrics, *restrict series = s->series;
    unsigned *restrict fl = s->flags;
    for (int i = b; i < e; i++) {
        I[i] = nodes[i].istar;
        reqsum[i] = 0;
        sat[i] = 1;
        s->ps[i] = s->rv[i * R__COUNT + R_PS0];
        s->first_loss[i] = s->first_trouble[i] = s->first_short[i] = s->trig_start[i] = -1;
        s->sub_on[i] = 0;
        /* what this node needs done this future, in one word */
        fl[i] = nodes[i].flags | (s->has_dem[i] ? NF_DEM : 0) | (s->has_cap[i] ? NF_CAP : 0) |
                (s->has_loss[i] ? NF_LOSS : 0) | (s->has_price[i] ? NF_PRICE : 0);
    }
    const unsigned char *busy = s->busy + (size_t)c * T;
    for (int t = t_from; t < T; t++) {
        /* A quiet stretch (no effect in force, nothing above its normal stock, no stockpile about to
         * be drawn on a cover trigger) needs no month-by-month work: every node is fully served and
         * its gap to normal inventory shrinks by 5/6 a month whatever its demand
         * (docs/SIMULATION.md, "Quiet months"). The trace keeps the month-by-month path. */
        if (!tracing && !busy[t]) {
            int next = t + 1;
            while (next < T && !busy[next]) next++;
            if (quiet_jump(m, s, b, e, t, next)) {
                t = next - 1;
                continue;
            }
        }
        /* requirements, downstream to upstream */
        for (int i = e - 1; i >= b; i--) {
            const sim_node *nd = &nodes[i];
            const unsigned f = fl[i];
            double fd = nd->fd0;
            if (f & NF_DEM) fd *= s->demf[(size_t)i * T + t];
            double D = fd + reqsum[i];
            reqsum[i] = 0;
            Dn[i] = D;
            fdn[i] = fd;
            double F = D + (nd->istar - I[i]) * (1.0 / REBUILD_MONTHS);
            if (F < 0) F = 0;
            double R = nd->rec0;
            if (f & NF_RECYCLED) {
                if (f & NF_REC) {
                    const double *rp = s->rv + i * R__COUNT;
                    int st = s->first_trouble[i] < 0 ? -1 : s->first_trouble[i] + (int)rp[R_RECDELAY];
                    R *= 1 + (rp[R_RECF] - 1) * sim_ramp(t, st, rp[R_RECRAMP]);
                }
                if (R > F) R = F;
            }
            double net = F - R;
            double cap = nd->cap;
            if (f & NF_CAP) {
                /* an outage cuts capacity only while it lasts; a node without a stated capacity loses
                 * that share of its normal production */
                double cf = s->capf[(size_t)i * T + t];
                if (cf < 1) cap = (isinf(cap) ? nd->q0 : cap) * cf;
            }
            double Q = nd->ds * net;
            if (Q > cap) Q = cap;
            Qn[i] = Q;
            Mn[i] = net - Q;
            Rn[i] = R;
            if (f & NF_SUBIN) {
                for (int k = nd->in_b; k < nd->in_e; k++) {
                    int u = in_from[k];
                    double r = Q * in_req[k];
                    if (s->sub_on[u]) r *= 1 - s->rv[u * R__COUNT + R_SUBFRAC];
                    req[k] = r;
                    reqsum[u] += r;
                }
            } else
                for (int k = nd->in_b; k < nd->in_e; k++) {
                    double r = Q * in_req[k];
                    req[k] = r;
                    reqsum[in_from[k]] += r;
                }
        }
        /* supply, upstream to downstream */
        for (int i = b; i < e; i++) {
            const sim_node *nd = &nodes[i];
            const unsigned f = fl[i];
            const size_t x = (size_t)i * T + t;
            double Mo = Mn[i], A = Mo, lost = 0;
            if (f & NF_LOSS) {
                lost = Mo * s->loss[x];
                A = Mo - lost;
                if (lost > 0) {
                    if (s->first_loss[i] < 0) s->first_loss[i] = t;
                    if (s->first_trouble[i] < 0) s->first_trouble[i] = t;
                }
                if ((f & NF_ALT) && s->first_loss[i] >= 0) {
                    const double *rp = s->rv + i * R__COUNT;
                    double alt = Mo * rp[R_ALTMAX] * sim_ramp(t, s->first_loss[i] + (int)rp[R_ALTLEAD], rp[R_ALTRAMP]);
                    if (alt > lost) alt = lost;
                    A += alt;
                    lost -= alt;
                }
            }
            double P = Qn[i];
            if (f & NF_INPUTS) {
                double ms = 1;
                for (int k = nd->in_b; k < nd->in_e; k++)
                    if (sat[in_from[k]] < ms) ms = sat[in_from[k]];
                if (ms < 1) {
                    P *= ms;
                    /* inputs delivered beyond what the scarcest one allows go back to stock */
                    for (int k = nd->in_b; k < nd->in_e; k++) {
                        int u = in_from[k];
                        double back = req[k] * (sat[u] - ms);
                        I[u] += back;
                        if (tracing) tr->returned[(size_t)u * T + t] += back;
                    }
                }
            }
            double R = Rn[i];
            double V = I[i] + A + P + R;
            double D = Dn[i];
            double G = 0;
            if (f & NF_STOCK) {
                const double *rp = s->rv + i * R__COUNT;
                double avail = s->ps[i] - rp[R_FLOOR];
                double need = rp[R_TRIG] - (V - D);
                if (avail > 0 && need > 0) {
                    if (s->trig_start[i] < 0) s->trig_start[i] = t;
                    if (t >= s->trig_start[i] + (int)rp[R_SLEAD]) {
                        G = need;
                        if (G > rp[R_MAXREL]) G = rp[R_MAXREL];
                        if (G > avail) G = avail;
                        s->ps[i] -= G;
                    }
                }
            }
            double S = D, shortfall = 0;
            bool is_short = D - (V + G) > nd->eps;
            if (is_short) {
                S = V + G;
                shortfall = D - S;
                sat[i] = S / D;
            } else
                sat[i] = 1;
            double Istart = I[i];
            I[i] = V + G - S;
            if (is_short) {
                if (s->first_short[i] < 0) s->first_short[i] = t;
                if (s->first_trouble[i] < 0) s->first_trouble[i] = t;
            }
            /* substitution lasts from its delay after the first shortage until stocks are back to normal */
            if (f & NF_SUB) {
                if (is_short && t >= s->first_short[i] + (int)s->rv[i * R__COUNT + R_SUBDELAY])
                    s->sub_on[i] = 1;
                else if (!is_short && I[i] >= nd->istar * (1 - 1e-9))
                    s->sub_on[i] = 0;
            }
            /* outputs */
            double fd_lost = 0;
            if (is_short) {
                fd_lost = fdn[i] * (1 - sat[i]);
                if (nd->metal >= 0) {
                    metrics[nd->metal_metric] += shortfall;
                    series[(size_t)nd->metal * T + t] += shortfall;
                    sim_mark(s, nd->metal, t, t + 1);
                }
                if (nd->final_metric >= 0 && fd_lost > 0) {
                    double usd = fd_lost * nd->value;
                    metrics[nd->final_metric] += fd_lost;
                    metrics[nd->sector_metric] += usd;
                    metrics[m->total_metric] += usd;
                    series[(size_t)nd->sector * T + t] += usd;
                    sim_mark(s, nd->sector, t, t + 1);
                }
            }
            if ((f & NF_STOCK) && nd->stock_series >= 0 && s->ps[i] < s->rv[i * R__COUNT + R_PS0]) {
                series[(size_t)nd->stock_series * T + t] =
                    sim_stock_used_scaled(m, nd->stock_series, s->rv[i * R__COUNT + R_PS0] - s->ps[i], s->rv[i * R__COUNT + R_PS0]);
                sim_mark(s, nd->stock_series, t, t + 1);
            }
            if (tracing) {
                tr->demand[x] = D;
                tr->served[x] = S;
                tr->shortfall[x] = shortfall;
                tr->final_lost[x] = fd_lost;
                tr->inventory_start[x] = Istart;
                tr->inventory_end[x] = I[i];
                tr->public_stock[x] = s->ps[i];
                tr->imports[x] = A;
                tr->import_lost[x] = lost;
                tr->production[x] = P;
                tr->recycled[x] = R;
                tr->released[x] = G;
                if (f & NF_PRICE) tr->extra_import_usd[x] = A * m->price[i] * (s->pricef[x] - 1);
            }
        }
    }
    /* the inventory a month ends with is the next month's start, returns included */
    if (tracing)
        for (int i = b; i < e; i++)
            for (int t = t_from; t < T; t++) {
                size_t x = (size_t)i * T + t;
                tr->inventory_end[x] += tr->returned[x];
            }
}

static void run_chain_fast(const rmct_model *m, sim_scratch *s, int c, int t_from)
{
    run_chain_impl(m, s, c, t_from, NULL, false);
}

static void run_chain_traced(const rmct_model *m, sim_scratch *s, int c, int t_from, rmct_trace *tr)
{
    run_chain_impl(m, s, c, t_from, tr, true);
}

void sim_future(const rmct_model *m, sim_scratch *s, bool stochastic, bool hazards, uint64_t seed, long k,
                rmct_trace *tr)
{
    int T = m->T;
    sim_prepare(m, s, stochastic, hazards, seed, k);
    for (int c = 0; c < m->n_chains; c++) {
        int from = s->chain_first[c];
        if (tr)
            for (int i = m->chain_begin[c]; i < m->chain_begin[c + 1]; i++)
                for (int t = 0; t < from; t++) trace_baseline(m, tr, i, t, s);
        if (from < T) {
            if (tr) run_chain_traced(m, s, c, from, tr);
            else run_chain_fast(m, s, c, from);
        }
    }
    sim_clear_effects(s);
    if (tr) tr->episodes = s->n_ep;
}

/* ---------------- traces ---------------- */

void rmct_trace_free(rmct_trace *tr)
{
    double *ps[] = {tr->demand, tr->served, tr->shortfall, tr->final_lost, tr->inventory_start, tr->inventory_end,
                    tr->public_stock, tr->imports, tr->import_lost, tr->production, tr->recycled, tr->released,
                    tr->returned, tr->extra_import_usd, tr->metrics};
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) free(ps[i]);
    memset(tr, 0, sizeof *tr);
}

rmct_code rmct_sim_trace(const rmct_model *m, bool stochastic, uint64_t seed, long future, rmct_trace *tr,
                         rmct_error *err)
{
    memset(tr, 0, sizeof *tr);
    tr->nodes = m->n;
    tr->months = m->T;
    size_t cells = (size_t)m->n * m->T;
    double **ps[] = {&tr->demand, &tr->served, &tr->shortfall, &tr->final_lost, &tr->inventory_start,
                     &tr->inventory_end, &tr->public_stock, &tr->imports, &tr->import_lost, &tr->production,
                     &tr->recycled, &tr->released, &tr->returned, &tr->extra_import_usd};
    bool fail = false;
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) *ps[i] = xcalloc(cells, sizeof(double), &fail);
    sim_scratch *s = fail ? NULL : sim_scratch_new(m);
    if (!s) {
        rmct_trace_free(tr);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    sim_future(m, s, stochastic, true, seed, future, tr);
    tr->metrics = malloc((size_t)(m->n_metrics ? m->n_metrics : 1) * sizeof *tr->metrics);
    if (tr->metrics) memcpy(tr->metrics, sim_scratch_metrics(s), (size_t)m->n_metrics * sizeof *tr->metrics);
    sim_scratch_free(s);
    if (!tr->metrics) {
        rmct_trace_free(tr);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    return RMCT_OK;
}

/* ---------------- hazard keys ---------------- */

rmct_code rmct_chains_supply_pairs(rmct_chain *const *chains, int n_chains, char (**countries)[4], char (**metals)[32],
                                   int *n, rmct_error *err)
{
    int cap = 0, k = 0;
    for (int c = 0; c < n_chains; c++)
        for (int i = 0; i < chains[c]->n_nodes; i++) cap += chains[c]->nodes[i].n_partners;
    char (*cs)[4] = calloc((size_t)cap + 1, 4);
    char (*ms)[32] = calloc((size_t)cap + 1, 32);
    if (!cs || !ms) {
        free(cs);
        free(ms);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    for (int c = 0; c < n_chains; c++)
        for (int i = 0; i < chains[c]->n_nodes; i++) {
            const rmct_chain_node *nd = &chains[c]->nodes[i];
            const char *label = hazard_key(nd);
            for (int j = 0; j < nd->n_partners; j++) {
                int q = 0;
                while (q < k && !(strcmp(cs[q], nd->partners[j].iso3) == 0 && strcmp(ms[q], label) == 0)) q++;
                if (q < k) continue;
                memcpy(cs[k], nd->partners[j].iso3, 4);
                snprintf(ms[k], 32, "%s", label);
                k++;
            }
        }
    *countries = cs;
    *metals = ms;
    *n = k;
    return RMCT_OK;
}

/* ---------------- the model as data (for peers and inspection) ---------------- */

#include <jansson.h>

static json_t *darr(const double *v, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, isfinite(v[i]) ? json_real(v[i]) : json_null());
    return a;
}

static json_t *iarr(const int *v, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, json_integer(v[i]));
    return a;
}

static json_t *qty_json(const sim_qty *q)
{
    static const char *kinds[] = {"none", "uniform", "triangular", "normal", "lognormal"};
    json_t *o = json_pack("{s:f, s:f, s:s}", "value", q->value, "lo", q->lo, "dist", kinds[q->dist.kind]);
    if (isfinite(q->hi)) json_object_set_new(o, "hi", json_real(q->hi));
    else json_object_set_new(o, "hi", json_null());
    if (q->dist.kind == RMCT_DIST_UNIFORM || q->dist.kind == RMCT_DIST_TRIANGULAR) {
        json_object_set_new(o, "low", json_real(q->dist.low));
        json_object_set_new(o, "mode", json_real(q->dist.mode));
        json_object_set_new(o, "high", json_real(q->dist.high));
    }
    if (q->dist.kind == RMCT_DIST_NORMAL || q->dist.kind == RMCT_DIST_LOGNORMAL)
        json_object_set_new(o, "sd", json_real(q->dist.sd));
    return o;
}

rmct_code rmct_model_to_json(const rmct_model *m, struct json_t **out, rmct_error *err)
{
    json_t *o = json_object();
    if (!o) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    int n = m->n;
    json_object_set_new(o, "months", json_integer(m->T));
    json_object_set_new(o, "start", json_integer(m->start));
    json_object_set_new(o, "rebuild_months", json_real(REBUILD_MONTHS));
    json_object_set_new(o, "short_eps", json_real(SHORT_EPS));
    json_object_set_new(o, "chain_begin", iarr(m->chain_begin, m->n_chains + 1));
    json_t *ids = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(ids, json_sprintf("%s/%s", m->info[i].chain, m->info[i].id));
    json_object_set_new(o, "node_ids", ids);
    json_object_set_new(o, "fd0", darr(m->fd0, n));
    json_object_set_new(o, "d0", darr(m->d0, n));
    json_object_set_new(o, "istar", darr(m->istar, n));
    json_object_set_new(o, "cap", darr(m->cap, n));
    json_object_set_new(o, "ds", darr(m->ds, n));
    json_object_set_new(o, "rec0", darr(m->rec0, n));
    json_object_set_new(o, "q0", darr(m->q0, n));
    json_object_set_new(o, "value", darr(m->value, n));
    json_object_set_new(o, "price", darr(m->price, n));
    json_object_set_new(o, "daily", darr(m->daily, n));
    int *kind = calloc((size_t)n + 1, sizeof *kind), *metal = calloc((size_t)n + 1, sizeof *metal),
        *sector = calloc((size_t)n + 1, sizeof *sector);
    if (!kind || !metal || !sector) {
        free(kind), free(metal), free(sector);
        json_decref(o);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++) kind[i] = m->resp_kind[i], metal[i] = m->info[i].metal, sector[i] = m->info[i].sector_index;
    json_object_set_new(o, "resp_kind", iarr(kind, n));
    json_object_set_new(o, "metal_series", iarr(metal, n));
    json_object_set_new(o, "sector_series", iarr(sector, n));
    json_object_set_new(o, "stock_series", iarr(m->stock_series, n));
    json_object_set_new(o, "final_metric", iarr(m->final_metric, n));
    free(kind), free(metal), free(sector);
    static const char *fields[R__COUNT] = {"ps0", "trigger", "max_release", "floor", "stock_lead", "alt_max", "alt_lead",
                                           "alt_ramp", "sub_fraction", "sub_delay", "rec_factor", "rec_delay", "rec_ramp"};
    json_t *resp = json_object();
    for (int f = 0; f < R__COUNT; f++) {
        json_t *a = json_array();
        for (int i = 0; i < n; i++) {
            double v = m->resp[i * R__COUNT + f];
            json_array_append_new(a, isfinite(v) ? json_real(v) : json_null());
        }
        json_object_set_new(resp, fields[f], a);
    }
    json_object_set_new(o, "resp", resp);
    json_object_set_new(o, "in_off", iarr(m->in_off, n + 1));
    json_object_set_new(o, "in_from", iarr(m->in_from, m->in_off[n]));
    json_object_set_new(o, "in_req", darr(m->in_req, m->in_off[n]));
    json_object_set_new(o, "pair_node", iarr(m->pair_node, m->n_pairs));
    json_object_set_new(o, "pair_share", darr(m->pair_share, m->n_pairs));
    json_t *ev = json_array();
    static const char *ek[] = {"export_restriction", "outage", "demand_surge", "price_shock"};
    for (int e = 0; e < m->n_events; e++) {
        const sim_event *x = &m->events[e];
        json_t *j = json_pack("{s:s, s:i, s:o, s:o, s:o, s:b, s:o}", "kind", ek[x->kind], "month", x->month, "depth",
                              qty_json(&x->depth), "duration", qty_json(&x->duration), "phase", qty_json(&x->phase),
                              "has_duration", x->has_duration, "targets", iarr(m->targets + x->off, x->len));
        json_array_append_new(ev, j);
    }
    json_object_set_new(o, "events", ev);
    json_t *rd = json_array();
    for (int d = 0; d < m->n_rdraws; d++) {
        const sim_rdraw *x = &m->rdraws[d];
        json_array_append_new(rd, json_pack("{s:s, s:o, s:b, s:o}", "field", fields[x->field], "q", qty_json(&x->q), "days",
                                            x->days, "nodes", iarr(m->targets + x->off, x->len)));
    }
    json_object_set_new(o, "response_draws", rd);
    json_t *hz = json_array();
    for (int h = 0; h < m->n_hazards; h++) {
        const sim_hazard *x = &m->hazards[h];
        json_array_append_new(hz, json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:o}", "p_year", x->p_year, "depth_low",
                                            x->depth_low, "depth_mode", x->depth_mode, "depth_high", x->depth_high,
                                            "duration_median", x->dur_median, "duration_sdlog", x->dur_sdlog, "pairs",
                                            iarr(m->targets + x->off, x->len)));
    }
    json_object_set_new(o, "hazards", hz);
    json_t *ser = json_array();
    static const char *sk[] = {"metal", "sector", "stock"};
    for (int s = 0; s < m->n_series; s++)
        json_array_append_new(ser, json_pack("{s:s, s:s, s:f}", "kind", sk[m->series[s].kind], "label", m->series[s].label,
                                             "normal", m->series[s].normal));
    json_object_set_new(o, "series", ser);
    json_t *met = json_array();
    static const char *mk[] = {"metal_t", "final_units", "sector_usd", "total_usd"};
    for (int k = 0; k < m->n_metrics; k++)
        json_array_append_new(met, json_pack("{s:s, s:s, s:s, s:i}", "kind", mk[m->metric[k].kind], "label", m->metric[k].label,
                                             "unit", m->metric[k].unit, "ref", m->metric[k].ref));
    json_object_set_new(o, "metrics", met);
    *out = o;
    return RMCT_OK;
}

/* ---------------- value at risk per tonne ---------------- */

double rmct_model_metal_value(const rmct_model *m, int series)
{
    if (series < 0 || series >= m->n_metals || !(m->series[series].normal > 0)) return 0;
    /* mark everything downstream of the metal's nodes: consumers come after their inputs, so one
     * pass in model order propagates the marks */
    unsigned char *down = calloc((size_t)m->n + 1, 1);
    if (!down) return NAN;
    for (int i = 0; i < m->n; i++) {
        if (m->info[i].metal == series) down[i] = 1;
        for (int k = m->in_off[i]; k < m->in_off[i + 1] && !down[i]; k++)
            if (down[m->in_from[k]] && m->node_chain[m->in_from[k]] == m->node_chain[i]) down[i] = 1;
    }
    double value = 0;
    for (int i = 0; i < m->n; i++)
        if (down[i]) value += m->fd0[i] * m->value[i];
    free(down);
    return value / m->series[series].normal;
}
