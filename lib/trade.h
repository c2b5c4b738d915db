/* trade.h: where a country's rare metals come from: imports by partner from the loaded trade
 * flows (value, tonnes of product, tonnes of contained element), their concentration, exports and
 * net imports, the mirror check against partners' declarations, import dependence, and the
 * look-through to ultimate origins across the trade network.
 *
 * Per year the flows of one kind are used: the reporter's own declarations (UN Comtrade import
 * records) when loaded, else reconciled flows (CEPII BACI). Contained tonnes use each HS code's
 * content factor; a flow whose factor is unknown counts in value and product tonnes only, and the
 * totals say so. */
#ifndef RMCT_TRADE_H
#define RMCT_TRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "conc.h"
#include "store.h"

typedef struct {
    char iso3[4];           /* "" for areas and unknown codes */
    int code;               /* the numeric code of the source */
    char name[80];
    double value_usd;
    double qty_t;           /* tonnes of product (flows without a quantity add nothing) */
    double contained_t;     /* tonnes of element (flows with a known content factor) */
    double share;           /* of the import value */
    bool has_mirror;
    double mirror_value_usd; /* what the partner declares exporting to the reporter */
} rmct_partner;

typedef struct {
    int year;
    char kind[16];          /* importer (declarations) or reconciled */
    double value_usd, qty_t, contained_t;
    bool contained_complete;  /* every flow had a content factor */
    double export_value_usd, export_contained_t;
    double china_share, poor_governance_share;  /* of the import value */
    size_t n;
    rmct_partner *partners; /* largest first */
    rmct_conc conc;         /* of partner value shares */
    long flows;
} rmct_import_year;

typedef struct {
    const char *type_code;
    const char *element;    /* NULL: the whole type */
    const char *reporter;   /* ISO3, e.g. "KOR" */
    const char *form;       /* ore, compound, metal, scrap, semi; NULL: all */
    int year;               /* 0: every year */
} rmct_import_query;

/* Years with flows, oldest first. */
rmct_code rmct_imports_load(rmct_db *db, const rmct_import_query *q, rmct_import_year **out, size_t *n, rmct_error *err);
void rmct_imports_free(rmct_import_year *y, size_t n);

/* Look-through: the reporter's imports of the year re-attributed to the countries that produced
 * the metal, using each country's own production (tonnes of contained element, from the supply
 * data) and its imports across all loaded flows: a country's supply mix is its production plus
 * its imports weighted by its partners' mixes (solved by fixed-point iteration). */
typedef struct {
    char iso3[4];
    char name[80];
    double direct_share;    /* of the reporter's contained imports, as declared */
    double origin_share;    /* after look-through */
} rmct_trade_origin;

typedef struct {
    int year;
    size_t n;
    rmct_trade_origin *origins;   /* by origin share, largest first */
    int iterations;
    double residual;
    long flows_used, flows_without_tonnes;
    int producers;          /* countries with production in the supply data */
    char production_note[160];
} rmct_lookthrough;

rmct_code rmct_lookthrough_compute(rmct_db *db, const rmct_import_query *q, int year, rmct_lookthrough *out, rmct_error *err);
void rmct_lookthrough_free(rmct_lookthrough *lt);

/* The network solver itself, on plain arrays (exposed for tests): n countries, production[c] in
 * tonnes, m flows from[k] -> to[k] of qty[k] tonnes; share[c * n + o] receives the share of origin
 * o in country c's supply. Countries with neither production nor imports count as their own
 * origin. Returns the number of iterations used. */
int rmct_lookthrough_solve(size_t n, const double *production, size_t m, const int *from, const int *to,
                           const double *qty, double *share, double *residual);

#endif
