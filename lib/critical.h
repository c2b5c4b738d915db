/* critical.h: criticality assessment by the European Commission's method (EC 2017 guidelines, as
 * used for the 2023 EU list), from a given country's point of view, and its check against the
 * numbers the EU published (docs/CRITICALITY.md).
 *
 *   HHI_WGI,t = sum_c s_c^2 * WGI_c * t_c            (shares as fractions, WGI scaled 0-10)
 *   WGI_c     = (2.5 - mean of the six WGI estimates) * 2
 *   SR        = [HHI(global) * IR/2 + HHI(sourcing) * (1 - IR/2)] * (1 - EoL_RIR) * SI_SR
 *   EI        = sum_s A_s * Q_s * SI_EI / max_s Q_s * 10
 * The formula functions are pure; the rest reads the store. */
#ifndef RMCT_CRITICAL_H
#define RMCT_CRITICAL_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

typedef enum { RMCT_SCOPE_BOTH, RMCT_SCOPE_GLOBAL, RMCT_SCOPE_SOURCING } rmct_scope;

/* sum of share^2 * wgi * t; entries whose wgi is NaN are skipped and counted in *missing (may be NULL). */
double rmct_hhi_wgi_t(const double *share, const double *wgi, const double *t, size_t n, int *missing);
double rmct_wgi_scale(double mean6);
double rmct_supply_risk(double hhi_global, double hhi_sourcing, double ir, double eol_rir, double si_sr, rmct_scope scope);
double rmct_economic_importance(const double *a, const double *q, size_t n, double si_ei, double q_max);

/* Mean scaled WGI per country over [from, to] (years with a mean of the six estimates). */
typedef struct rmct_wgi rmct_wgi;
rmct_code rmct_wgi_load(rmct_db *db, int from, int to, rmct_wgi **out, rmct_error *err);
double rmct_wgi_get(const rmct_wgi *w, const char *iso3);  /* NaN if the country has no value */
void rmct_wgi_free(rmct_wgi *w);

/* A supply distribution: suppliers with shares (fractions) and trade factors. */
typedef struct {
    size_t n;
    char (*iso3)[4];
    double *share, *t, *wgi;
    double total;          /* sum of the shares (1 when complete) */
} rmct_distribution;
void rmct_distribution_free(rmct_distribution *d);

/* ---- reproducing the EU 2023 supply risk and economic importance from its published inputs ---- */

typedef struct {
    char material[64];
    char stage[12];        /* extraction, processing */
    char scope[8];
    double published, computed;
    bool computable;
    char reason[200];      /* why it cannot be computed, or what may explain a gap */
    double hhi_global, hhi_sourcing, ir, eol_rir, si_sr;
    double global_total, sourcing_total;  /* sums of the shares used (1 = complete) */
    int missing_wgi;
} rmct_eu_sr_check;

typedef struct {
    char material[64];
    double published, computed;
    bool computable;
    char reason[160];
    double sum_aq, si_ei;
    double share_total;    /* sum of the published end-use shares (1 = complete) */
    double share_no_sector;/* the part of it published without a sector ("Other"): not in sum_aq */
    int sectors;
} rmct_eu_ei_check;

typedef struct {
    rmct_eu_sr_check *sr;
    size_t n_sr;
    rmct_eu_ei_check *ei;
    size_t n_ei;
    int wgi_from, wgi_to;
    double q_max;
    char q_max_sector[96];
} rmct_eu_reproduction;

/* Recompute every EU 2023 stage SR and EI that the published inputs allow (WGI averaged over
 * wgi_from..wgi_to, the 2023 assessment's window being 2016-2020). */
rmct_code rmct_eu_reproduce(rmct_db *db, int wgi_from, int wgi_to, rmct_eu_reproduction *out, rmct_error *err);
void rmct_eu_reproduction_free(rmct_eu_reproduction *r);

#endif
