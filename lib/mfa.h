/* mfa.h: product systems in use in Korea and what comes back from them (docs/MFA.md).
 *
 * A product system (data/mfa/systems/NAME.json) is a product in use (EV batteries in kWh, wind
 * turbines in MW, ...): its sales or stock series, its lifetime, its metal content by variant
 * (chemistry mix, magnet type) and its recycling chain (collection, pre-processing, recovery yield
 * per metal, manufacturing scrap). The national file (data/mfa/korea.json) holds, per metal,
 * Korea's domestic recycling capacity and its growth, and Korea's demand. Every number is a
 * parameter object with its source or labelled an assumption (docs/SIMULATION.md, "Parameters").
 *
 * rmct_mfa_run runs every system's dynamic stock model (dsm.h) and follows the metal: in use, end
 * of life, collected, recoverable, recovered within the domestic capacity (shared by all systems
 * in proportion to what they could deliver), the capacity gap, the recycled content of Korean
 * demand and the end-of-life recycling input rate (EoL-RIR). */
#ifndef RMCT_MFA_H
#define RMCT_MFA_H

#include <stdbool.h>

#include "chain.h"
#include "dsm.h"
#include "error.h"

#define RMCT_MFA_MAX_METALS 24

/* A quantity by year: a constant parameter, or points (year, parameter) interpolated linearly,
 * held or grown beyond the last point, zero or held before the first. */
typedef struct {
    char where[96];           /* its JSON path, for listings */
    bool given;
    rmct_param constant;      /* n_points == 0 */
    int n_points;
    int *years;
    rmct_param *points;
    rmct_param growth;        /* per year beyond the last point (given or not: then held flat) */
    bool before_zero;         /* before the first point: 0 (else the first value) */
} rmct_mfa_series;

double rmct_mfa_series_at(const rmct_mfa_series *s, int year);

typedef struct {
    char metal[8];
    rmct_mfa_series content;  /* kg of metal per product unit */
} rmct_mfa_content;

typedef struct {
    char name[48];
    rmct_mfa_series share;    /* fraction of the product's inflow */
    rmct_mfa_content *content;
    int n_content;
} rmct_mfa_variant;

typedef struct {
    char metal[8];
    rmct_mfa_series yield;
} rmct_mfa_recovery;

typedef struct {
    char name[48];
    int version;
    char title[160];
    char description[800];
    char path[512];
    char sha256[65];
    char unit[24];            /* product unit the stock is counted in (kWh, MW, phones) */
    int first_year, last_year;
    bool stock_driven;        /* the series is the stock at year end (else the inflow) */
    rmct_mfa_series series;   /* in series_unit */
    char series_unit[24];
    rmct_mfa_series per_unit; /* product units per series unit (kWh per vehicle); 1 if not given */
    int n_hist;               /* initial stock at the end of first_year - 1, by cohort (series units) */
    int hist_first;           /* cohort year of hist[0] */
    rmct_param *hist;
    char lifetime_type[16];
    rmct_param lt_a, lt_b;    /* mean & sd, shape & scale, or the fixed lifetime */
    rmct_lifetime lifetime;
    rmct_mfa_variant *variants;
    int n_variants;
    char metals[RMCT_MFA_MAX_METALS][8];
    int n_metals;
    rmct_mfa_series collection;     /* fraction of end-of-life products collected for recycling in Korea */
    rmct_mfa_series preprocessing;  /* fraction of the collected metal reaching the recovery step */
    rmct_mfa_recovery *recovery;    /* per metal: fraction recovered from the recovery feed */
    int n_recovery;
    rmct_mfa_series production;     /* products made in Korea per year (product units); !given: none */
    rmct_mfa_series scrap_rate;     /* manufacturing scrap, fraction of production */
} rmct_mfa_system;

/* Korea, per metal: recovery capacity (t of metal a year) and demand (t a year). The demand is
 * either a series or the normal yearly demand of a chain node (resolved by rmct_mfa_national_
 * resolve from the loaded chains), grown by `growth` from the chain's base year. */
typedef struct {
    char metal[8];
    rmct_mfa_series capacity;
    rmct_mfa_series demand;
    char demand_chain[48], demand_node[32];
    rmct_param demand_growth;
    double chain_demand;      /* t/yr at the chain's base year, once resolved */
    int chain_year;
    char demand_basis[400];
} rmct_mfa_metal;

typedef struct {
    char path[512];
    char sha256[65];
    char title[160];
    rmct_mfa_metal *metals;
    int n_metals;
} rmct_mfa_national;

rmct_code rmct_mfa_system_load(const char *path, rmct_mfa_system **out, rmct_error *err);
void rmct_mfa_system_free(rmct_mfa_system *s);
/* The system files of a directory (*.json), sorted; *paths malloc'd (free with rmct_chain_list_free). */
rmct_code rmct_mfa_system_list(const char *dir, char ***paths, int *n, rmct_error *err);

rmct_code rmct_mfa_national_load(const char *path, rmct_mfa_national **out, rmct_error *err);
void rmct_mfa_national_free(rmct_mfa_national *n);
/* Fill demands given as chain nodes from these chains (their normal yearly demand). */
rmct_code rmct_mfa_national_resolve(rmct_mfa_national *n, rmct_chain *const *chains, int n_chains, rmct_error *err);

/* Every parameter of a system or the national file, in file order, for listings. */
typedef struct {
    const char *field;        /* JSON path */
    int year;                 /* a point's year, 0 otherwise */
    const rmct_param *p;
} rmct_mfa_param_ref;
int rmct_mfa_system_params(const rmct_mfa_system *s, rmct_mfa_param_ref *out, int max);
int rmct_mfa_national_params(const rmct_mfa_national *n, rmct_mfa_param_ref *out, int max);

/* What-if changes applied to every system and metal (NaN: as in the files). */
typedef struct {
    double collection;        /* replaces every system's collection rate, all years */
    double capacity_growth;   /* replaces every metal's capacity growth beyond its last point */
    double demand_growth;     /* replaces every metal's demand growth */
} rmct_mfa_whatif;

typedef struct {
    int first_year, n_years;
    int n_systems;
    const rmct_mfa_system *const *systems;
    int n_metals;
    char (*metals)[8];
    /* per system and year, product units */
    double *p_inflow, *p_outflow, *p_stock;          /* [s][y] */
    int *negative_years;                             /* [s] stock-driven years with a negative inflow */
    /* per system, metal and year, t of metal; 0 where the system has no such metal */
    double *in_use, *inflow, *eol, *collected, *recoverable_eol, *new_scrap, *recoverable_new, *recovered_eol,
        *recovered_new;                              /* [(s * n_metals + m) * n_years + y] */
    /* per metal and year */
    double *capacity, *demand;                       /* NaN where not given */
    double *recovered, *gap;                         /* t; gap = recoverable - capacity (> 0: short of capacity) */
    double *eol_rir, *recycled_content;              /* fractions; NaN without demand */
} rmct_mfa_result;

/* Run every system and follow each metal (see above). nat may have metals no system contains and
 * systems metals nat lacks (no domestic capacity: nothing recovered). */
rmct_code rmct_mfa_run(rmct_mfa_system *const *systems, int n_systems, const rmct_mfa_national *nat,
                       const rmct_mfa_whatif *wi, rmct_mfa_result **out, rmct_error *err);
void rmct_mfa_result_free(rmct_mfa_result *r);

/* Index of a metal in the result (element symbol, case-insensitive), or -1. */
int rmct_mfa_metal_index(const rmct_mfa_result *r, const char *metal);
/* Per metal and year, for the criticality assessment and the scenario engine. Return false when
 * the metal or year is not in the result (or, for EoL-RIR, there is no demand). */
bool rmct_mfa_eol_rir(const rmct_mfa_result *r, const char *metal, int year, double *out);
bool rmct_mfa_recovered(const rmct_mfa_result *r, const char *metal, int year, double *out);

/* One metal's flows in one year, summed over systems, for a Sankey diagram and balance checks. */
typedef struct {
    double inflow, in_use, stock_change, eol, collected, not_collected, preprocessing_loss, new_scrap,
        recovery_feed, recovered, recovery_loss, beyond_capacity, capacity, demand;
} rmct_mfa_flows;
bool rmct_mfa_year_flows(const rmct_mfa_result *r, int system /* -1: all */, int metal, int year, rmct_mfa_flows *f);

#endif
