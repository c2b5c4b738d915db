/* hazard.h: background disruption hazards for Monte Carlo ensembles: for each supplier country and
 * metal (or tagged material such as "magnet" or "graphite"), a yearly probability that a
 * disruption starts, and the distributions of its depth (share of that country's deliveries
 * withheld) and duration (months). Defaults come from the register of past export restrictions and
 * the World Bank governance indicators (docs/SIMULATION.md, "Background hazards"); a CSV file can
 * replace any of them. */
#ifndef RMCT_HAZARD_H
#define RMCT_HAZARD_H

#include <stdbool.h>

#include "error.h"
#include "store.h"

typedef struct {
    char country[4];          /* ISO alpha-3 */
    char metal[32];           /* element symbol, type code, or a node tag/id ("magnet", "graphite") */
    double p_year;            /* probability that a disruption starts in a given year */
    double depth_low, depth_mode, depth_high;   /* triangular, fraction of deliveries withheld */
    double duration_median, duration_sdlog;     /* log-normal, months */
    int events;               /* restriction events in the register for this pair (-1: not derived) */
    double wgi;               /* scaled 0-10 governance score used (NaN if none) */
    char basis[640];          /* how p, depth and duration were obtained; "ASSUMPTION" where they are */
} rmct_hazard;

typedef struct {
    int n;
    rmct_hazard *h;
    int register_from, register_to;   /* years of the register the rates are taken over */
    char defaults_basis[600];         /* the rule behind the defaults, for output */
} rmct_hazard_set;

/* The model's assumptions for the defaults, stated once (docs/SIMULATION.md). */
#define RMCT_HAZARD_BASE_RATE 0.01          /* disruptions/year for a supplier at WGI score 5 with no record */
#define RMCT_HAZARD_DEPTH_LOW 0.1
#define RMCT_HAZARD_DEPTH_MODE 0.3
#define RMCT_HAZARD_DEPTH_HIGH 0.9
#define RMCT_HAZARD_DURATION_SDLOG 0.75

/* Default hazards for the given (country, metal) pairs: rate = register events for the pair per
 * year covered + RMCT_HAZARD_BASE_RATE * WGI/5; p = 1 - exp(-rate). `metals[i]` may be a tag
 * without an element (then only the governance part applies). Needs the register and WGI loaded
 * (rmct init). */
rmct_code rmct_hazards_default(rmct_db *db, const char (*countries)[4], const char (*metals)[32], int n,
                               rmct_hazard_set *out, rmct_error *err);

/* Replace or add hazards from a CSV file with the header
 * country,metal,p_year,depth_low,depth_mode,depth_high,duration_median_months,duration_sdlog,basis
 * (one transaction-like step: on error *set is unchanged). */
rmct_code rmct_hazards_override(rmct_hazard_set *set, const char *path, rmct_error *err);

void rmct_hazards_free(rmct_hazard_set *set);

#endif
