/* sim.h: the disruption simulator (docs/SIMULATION.md, "The monthly model", "Monte Carlo").
 *
 * rmct_model_build compiles value chains, a scenario and (optionally) background hazards into flat
 * arrays that one future reads and never writes, so any number of threads share one model. A
 * future is the monthly mass balance of every node over the scenario's horizon, with the
 * scenario's uncertain quantities and the background disruptions drawn from a counter-based
 * generator keyed by (seed, future index): future k is the same whichever thread or MPI rank
 * computes it.
 *
 * rmct_sim_trace runs one future and keeps every flow (the named scenario at its central values,
 * or future k of an ensemble). rmct_ensemble_run runs a range of futures and keeps what the
 * statistics need: per-future totals (exact quantiles) and integer histograms and fixed-point sums
 * per series and month (fan charts), which add up exactly, so results are bit-identical for any
 * split of the futures. */
#ifndef RMCT_SIM_H
#define RMCT_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "chain.h"
#include "error.h"
#include "hazard.h"
#include "scenario.h"

#define RMCT_DAYS_PER_MONTH (365.0 / 12.0)

typedef struct rmct_model rmct_model;

/* What the output needs to know about one node. */
typedef struct {
    const char *chain, *id, *name, *unit, *sector;
    rmct_chain_stage stage;
    char label[32];           /* the metal it is (element, else first tag, else id) */
    int metal;                /* index of its metal series, -1 if not a material/resource */
    int sector_index;         /* index of its sector, -1 without final demand */
    int final_index;          /* index among nodes with final demand, -1 if none */
    double demand0;           /* normal demand on the node, units per month */
    double final0;            /* normal final demand, units per month */
    double inventory0;        /* normal working inventory, units */
    double imports0, production0, recycled0;   /* normal monthly flows */
    double value_usd;         /* per unit (final nodes); 0 if not given */
    double price_usd;         /* per unit (materials: USD per tonne); 0 if not given */
    double public_stock0;     /* initial public stockpile (central value), units */
    bool proxy_imports;       /* partner shares are world production shares, not Korea's imports */
} rmct_node_info;

/* A series followed month by month in ensembles: a metal's shortfall, a sector's production lost,
 * a public stockpile's depletion. Values are fractions of the normal monthly amount. */
typedef enum { RMCT_SERIES_METAL, RMCT_SERIES_SECTOR, RMCT_SERIES_STOCK } rmct_series_kind;
typedef struct {
    rmct_series_kind kind;
    char label[48];
    double normal;            /* tonnes per month (metal), USD per month (sector), units (stock) */
    char unit[24];
} rmct_series_info;

/* Per-future totals: metal shortfall (t), final-node production lost (units), sector value lost
 * (USD), everything lost (USD). */
typedef enum { RMCT_METRIC_METAL_T, RMCT_METRIC_FINAL_UNITS, RMCT_METRIC_SECTOR_USD, RMCT_METRIC_TOTAL_USD } rmct_metric_kind;
typedef struct {
    rmct_metric_kind kind;
    char label[64];
    char unit[24];
    int ref;                  /* series index (metal, sector) or node index (final) */
} rmct_metric_info;

/* The distinct (partner country, metal label) pairs of the chains' imports: what background
 * hazards can act on (rmct_hazards_default). *countries and *metals are malloc'd arrays of *n. */
rmct_code rmct_chains_supply_pairs(rmct_chain *const *chains, int n_chains, char (**countries)[4], char (**metals)[32],
                                   int *n, rmct_error *err);

/* Compile chains + scenario (+ hazards, may be NULL) into a model. Events or responses that match
 * no node are errors naming the entry; an event whose country supplies none of the matched nodes
 * is allowed and reported by rmct_model_warnings. */
rmct_code rmct_model_build(rmct_chain *const *chains, int n_chains, const rmct_scenario *sc,
                           const rmct_hazard_set *hazards, rmct_model **out, rmct_error *err);
void rmct_model_free(rmct_model *m);

int rmct_model_months(const rmct_model *m);
int rmct_model_start(const rmct_model *m);            /* months since year 0 */
int rmct_model_nodes(const rmct_model *m);
const rmct_node_info *rmct_model_node(const rmct_model *m, int i);   /* chains in order, inputs first */
int rmct_model_series(const rmct_model *m);
const rmct_series_info *rmct_model_series_info(const rmct_model *m, int i);
int rmct_model_metrics(const rmct_model *m);
const rmct_metric_info *rmct_model_metric(const rmct_model *m, int i);
int rmct_model_hazard_pairs(const rmct_model *m);     /* (country, node) pairs background hazards act on */
int rmct_model_warnings(const rmct_model *m);
const char *rmct_model_warning(const rmct_model *m, int i);

/* Downstream value that depends on metal series `series`, per tonne of its normal demand: the
 * normal monthly output value (final demand x value) of every final node the metal's nodes feed,
 * directly or through components, divided by the metal's normal monthly demand. A product needing
 * several metals counts in full for each (a shortage of any one stops it). USD per tonne; 0 if the
 * metal feeds nothing with a value. */
double rmct_model_metal_value(const rmct_model *m, int series);

/* The compiled model as a JSON object (jansson): every array the monthly model reads, the events,
 * response draws and hazards, the series and metrics. For peers that reimplement the model
 * (bench/simulate) and for inspection ('rmct simulate --dump-model FILE'). */
struct json_t;
rmct_code rmct_model_to_json(const rmct_model *m, struct json_t **out, rmct_error *err);

/* ---------------- one future, every flow ---------------- */

/* Arrays of nodes x months, index node * months + t; units of the node per month. The identity
 *   inventory_start + imports + production + recycled + released + returned = served + inventory_end
 *   served + shortfall = demand
 * holds at every node and month (tests/unit/test_sim.c). */
typedef struct {
    int nodes, months;
    double *demand, *served, *shortfall, *final_lost;
    double *inventory_start, *inventory_end, *public_stock;
    double *imports, *import_lost, *production, *recycled, *released, *returned;
    double *extra_import_usd;   /* price shocks: extra cost of the imports that arrived */
    int episodes;               /* disruptions in force at some point in this future */
    double *metrics;            /* rmct_model_metrics(m) totals of this future, as an ensemble's row */
} rmct_trace;

/* Run one future into tr (allocated here; free with rmct_trace_free). stochastic false: the central
 * values, no background hazards (future and seed ignored); true: future `future` of the ensemble
 * with `seed`, hazards included when the model has them. */
rmct_code rmct_sim_trace(const rmct_model *m, bool stochastic, uint64_t seed, long future, rmct_trace *tr,
                         rmct_error *err);
void rmct_trace_free(rmct_trace *tr);

/* ---------------- ensembles ---------------- */

#define RMCT_HIST_BINS 202    /* 0.5% bins over [0, 1.005) and one for anything above */

typedef struct {
    long runs;                /* futures in the whole ensemble */
    long first, count;        /* the range computed by this call (MPI ranks split [0, runs)) */
    uint64_t seed;
    int threads;              /* >= 1 */
    bool hazards;             /* background hazards on (when the model has them) */
    void (*progress)(void *ctx, long done, long total);   /* may be NULL; called from one thread */
    void *progress_ctx;
    volatile int *cancel;     /* may be NULL; when *cancel becomes non-zero the run stops between blocks
                               * of futures and returns RMCT_E_CANCELLED (results are unchanged otherwise) */
} rmct_ensemble_opts;

/* What a range of futures leaves behind. All integer arrays add up exactly across ranges. */
typedef struct {
    long runs, first, count;
    int metrics, series, months;
    double *totals;           /* count x metrics, future-major, futures first..first+count-1 */
    int64_t *hist;            /* series x months x RMCT_HIST_BINS counts of non-zero values */
    int64_t *sum_fx;          /* series x months: sum of values x 2^32, rounded */
    int64_t episodes;         /* disruptions drawn, over all futures */
    int64_t futures_disrupted;/* futures with at least one disruption */
} rmct_ensemble;

rmct_code rmct_ensemble_run(const rmct_model *m, const rmct_ensemble_opts *o, rmct_ensemble **out, rmct_error *err);
/* An empty ensemble for the whole range [0, runs) to gather ranges into (MPI rank 0). */
rmct_code rmct_ensemble_alloc(const rmct_model *m, long runs, long first, long count, rmct_ensemble **out, rmct_error *err);
/* Add a range computed elsewhere (another rank) into an ensemble covering it; exact. */
rmct_code rmct_ensemble_absorb(rmct_ensemble *whole, const rmct_ensemble *part, rmct_error *err);
void rmct_ensemble_free(rmct_ensemble *e);

typedef struct {
    double mean, p_any, p50, p95, p99, max;   /* p_any: share of futures with a value above 1e-9 of normal */
} rmct_metric_stats;

typedef struct {
    double mean, p05, p50, p95;   /* fractions of normal, from the histograms (0.5% resolution) */
} rmct_month_stats;

typedef struct {
    rmct_metric_stats *metric;    /* metrics */
    rmct_month_stats *month;      /* series x months */
    double p_any_shortfall;       /* futures with any metal or product short */
} rmct_ensemble_stats;

/* Statistics of a whole ensemble (first == 0, count == runs). */
rmct_code rmct_ensemble_stats_compute(const rmct_model *m, const rmct_ensemble *e, rmct_ensemble_stats *out,
                                      rmct_error *err);
void rmct_ensemble_stats_free(rmct_ensemble_stats *s);

#endif
