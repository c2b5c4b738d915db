/* sim_internal.h: the compiled model shared by sim.c (building it, one future) and ensemble.c
 * (many futures on threads). Not part of the library's interface. */
#ifndef RMCT_SIM_INTERNAL_H
#define RMCT_SIM_INTERNAL_H

#include "sim.h"

/* A quantity of the scenario that may vary across futures: central value, distribution, range. */
typedef struct {
    double value, lo, hi;
    rmct_dist dist;
} sim_qty;

/* A scenario event, compiled: what it hits (pairs for export restrictions, nodes otherwise). */
typedef struct {
    rmct_scn_event_kind kind;
    int month;                /* first month in force (relative; may be < 0) */
    sim_qty depth, duration, phase;
    bool has_duration;
    int off, len;             /* into model->targets */
} sim_event;

/* A background hazard mapped onto the model's (country, node) pairs. */
typedef struct {
    double p_year, depth_low, depth_mode, depth_high, dur_median, dur_sdlog;
    int off, len;             /* pairs, into model->targets */
} sim_hazard;

/* Responses, per node (central values; drawn ones are overwritten per future). */
enum { R_PS0, R_TRIG, R_MAXREL, R_FLOOR, R_SLEAD, R_ALTMAX, R_ALTLEAD, R_ALTRAMP, R_SUBFRAC, R_SUBDELAY, R_RECF,
       R_RECDELAY, R_RECRAMP, R__COUNT };

/* A response quantity drawn per future, then written to field `field` of each target node, times
 * the node's scale (days -> units for stockpile quantities, 1 otherwise). */
typedef struct {
    int field;
    sim_qty q;
    bool days;                /* value in days of the node's normal demand */
    int off, len;             /* nodes, into model->targets */
} sim_rdraw;

/* Node flags for the kernel: from the model (responses, links) and, per future, its effects. */
enum { NF_DEM = 1, NF_CAP = 2, NF_LOSS = 4, NF_PRICE = 8, NF_STOCK = 16, NF_ALT = 32, NF_SUB = 64, NF_REC = 128,
       NF_RECYCLED = 256, NF_INPUTS = 512, NF_SUBIN = 1024 };

/* What the monthly kernel reads of a node, together. */
typedef struct {
    double fd0, istar, rec0, cap, ds, q0, eps, value;   /* eps: shortfall below which it counts as served */
    int in_b, in_e;           /* its inputs: in_from[in_b .. in_e) */
    int metal, metal_metric, final_metric, sector, sector_metric, stock_series;   /* -1 when none */
    unsigned flags;
} sim_node;

struct rmct_model {
    int n, T, start;
    int n_chains;
    int *chain_begin;         /* n_chains + 1 */
    int *node_chain;          /* per node, its chain */
    char (*chain_name)[64];
    rmct_node_info *info;
    char (*node_label)[32];   /* per node, the key background hazards match (type code, else label) */
    /* per node */
    double *fd0, *d0, *istar, *cap, *ds, *rec0, *q0, *m0, *r0, *value, *price, *daily;
    unsigned char *has_resp; /* any response on the node */
    unsigned char *resp_kind; /* bit 0 stockpile, 1 alternative, 2 substitution, 3 recycling */
    double *resp;             /* n x R__COUNT central values */
    /* inputs, grouped by consumer */
    int *in_off, *in_from;
    double *in_req;           /* units of input per unit of output (intensity / yield) */
    /* import partners */
    int n_pairs;
    int *pair_node;
    double *pair_share;
    char (*pair_country)[4];
    /* what events, hazards and response draws act on */
    int *targets;
    int n_targets;
    sim_event *events;
    int n_events;
    sim_hazard *hazards;
    int n_hazards;
    int hazard_pairs;
    sim_rdraw *rdraws;
    int n_rdraws;
    /* output series and per-future metrics */
    int n_series, n_metals, n_sectors, n_stock;
    rmct_series_info *series;
    int *stock_series;        /* per node, -1 if no public stockpile */
    int n_metrics;
    rmct_metric_info *metric;
    int *final_metric;        /* per node, its FINAL_UNITS metric or -1 */
    int *metal_metric;        /* per metal series, its metric */
    int *sector_metric;       /* per sector series, its metric */
    int total_metric;
    char **warnings;
    int n_warnings;
    sim_node *nodes;          /* packed for the kernel */
};

/* Per-thread working memory for futures (sim.c). */
typedef struct sim_scratch sim_scratch;

enum { RK_STOCK = 1, RK_ALT = 2, RK_SUB = 4, RK_REC = 8 };   /* rmct_model.resp_kind bits */

#define REBUILD_MONTHS 6.0    /* inventories return to normal over six months (assumption, documented) */
#define SHORT_EPS 1e-12       /* relative: below this a node counts as fully served */

typedef struct {
    rmct_scn_event_kind kind;
    int t0, t1, phase;        /* months [t0, t1), phase-in length */
    double depth;
    int off, len;             /* targets */
} episode;

struct sim_scratch {
    int n, T;
    /* state per node */
    double *I, *reqsum, *sat, *D, *fd, *Q, *M, *R, *ps;
    int *first_loss, *first_trouble, *first_short, *trig_start;
    unsigned char *sub_on;
    double *resp;             /* n x R__COUNT, this future's drawn response values */
    const double *rv;         /* the response values in use: resp, or the model's when none is drawn */
    double *req;              /* per input link */
    /* effects per node and month, valid where the flag is set */
    double *loss, *capf, *demf, *pricef;
    unsigned char *has_loss, *has_cap, *has_dem, *has_price;
    int *touched;             /* nodes with any flag set, to clear them */
    int n_touched;
    double *surv;             /* per pair x month: share of deliveries not withheld (working memory) */
    bool surv_borrowed;       /* surv belongs to another scratch (sim_scratch_lend_surv) */
    unsigned char *pair_on;
    int *pair_lo, *pair_hi;   /* per pair, the months [lo, hi) its survival covers */
    int *pairs_on;
    int n_pairs_on;
    episode *ep;
    int n_ep, cap_ep;
    int *chain_first;
    unsigned *flags;          /* per node: model flags | this future's effects (NF_*) */
    unsigned char *busy;      /* chains x months: some effect is in force in the chain */
    /* outputs */
    double *metrics;
    double *series;           /* n_series x T, raw amounts until sim_future scales them */
    int *ser_lo, *ser_hi;     /* per series, the months [lo, hi) written this future (lo = T: none) */
};

/* Series q got values in months [t0, t1). */
static inline void sim_mark(sim_scratch *s, int q, int t0, int t1)
{
    if (t0 < s->ser_lo[q]) s->ser_lo[q] = t0;
    if (t1 > s->ser_hi[q]) s->ser_hi[q] = t1;
}

/* Linear ramp: 0 before start, then (t - start + 1) / ramp up to 1. */
static inline double sim_ramp(int t, int start, double ramp_months)
{
    if (start < 0 || t < start) return 0;
    if (ramp_months <= 0) return 1;
    double f = (t - start + 1) / ramp_months;
    return f < 1 ? f : 1;
}

/* A stockpile's use as the ensemble records it: a share of this future's own initial stock (which
 * varies across futures when drawn), in units of the series' normal (the central stock), so that
 * the fan chart reads 0-100% of the stock each future had. */
static inline double sim_stock_used_scaled(const rmct_model *m, int series, double used, double ps0)
{
    return ps0 > 0 ? used / ps0 * m->series[series].normal : 0;
}

/* (5/6)^k for k = 0..1200 months of relaxation. */
double sim_decay_pow(int k);

/* Draw future k (or the central one) into s and turn its disruptions into per-node, per-month
 * effects; zeroes the metrics. sim_clear_effects undoes the effects once the future is read. */
void sim_prepare(const rmct_model *m, sim_scratch *s, bool stochastic, bool hazards, uint64_t seed, long k);
void sim_clear_effects(sim_scratch *s);
sim_scratch *sim_scratch_new(const rmct_model *m);
/* Let s use from's survival working memory (only sim_prepare uses it, so scratches prepared one
 * after the other can share it and keep it in cache); from must outlive s. */
void sim_scratch_lend_surv(sim_scratch *s, sim_scratch *from);
void sim_scratch_free(sim_scratch *s);

/* Futures in the lanes of vectors (sim_lanes.c): sim_lanes_run runs stochastic futures
 * k0 .. k0 + used - 1 (used <= SIM_BATCH), each into its own scratch, sim_lanes_scratch(L, j) for
 * future k0 + j, with exactly the figures sim_future gives it alone. */
#define SIM_BATCH 32
#define SIM_LANES 8
typedef struct sim_lanes sim_lanes;
sim_lanes *sim_lanes_new(const rmct_model *m);
void sim_lanes_free(sim_lanes *L);
sim_scratch *sim_lanes_scratch(sim_lanes *L, int j);
void sim_lanes_run(const rmct_model *m, sim_lanes *L, int used, bool hazards, uint64_t seed, long k0);

/* Run future k (stochastic) or the central future into s; tr may be NULL. Afterwards
 * sim_scratch_metrics gives n_metrics totals and sim_scratch_series the series x months raw
 * amounts, with per series the months [lo, hi) that may be non-zero (lo = months: none); the
 * caller reads them, then zeroes those months and resets lo = months, hi = 0. */
void sim_future(const rmct_model *m, sim_scratch *s, bool stochastic, bool hazards, uint64_t seed, long k,
                rmct_trace *tr);
const double *sim_scratch_metrics(const sim_scratch *s);
double *sim_scratch_series(sim_scratch *s, int **lo, int **hi);
int sim_scratch_episodes(const sim_scratch *s);

#endif
