/* baci.h: fast reading of CEPII BACI bilateral trade files (t,i,j,k,v,q) and the per-importer,
 * per-product concentration summary that `rmct trade summary` prints and the trade benchmark times.
 *
 * BACI: t year, i exporter and j importer (numeric country codes), k HS6 product (text, leading
 * zeros kept), v value in thousand USD (up to 3 decimals, read exactly as thousandths), q quantity
 * in tonnes (may be empty or NA). Files are memory-mapped and parsed by several threads; rows are
 * filtered as they are parsed (importer, HS prefixes) so only what is asked for is kept. */
#ifndef RMCT_BACI_H
#define RMCT_BACI_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct {
    int year;
    int importer;
    int product;          /* HS6 code as a number (print with %06d) */
    int64_t total_milli;  /* sum of v in thousandths of a thousand USD, exact */
    int n_partners;       /* distinct exporters */
    int top_partner;      /* exporter with the largest value; ties: the smallest code */
    double top_share;     /* its share of the total, 0-1 */
    double hhi;           /* sum of squared exporter shares, 0-1 */
} rmct_trade_group;

typedef struct {
    int importer;                      /* -1: every importer */
    const char *const *hs_prefixes;    /* keep products starting with one of these digits; NULL: all */
    size_t n_prefixes;
    int threads;                       /* 0: one per online CPU (at most 16) */
} rmct_baci_filter;

/* Called once per (year, importer, product) in that order; a non-zero return stops the run and is
 * returned. */
typedef int (*rmct_group_fn)(void *ctx, const rmct_trade_group *g);

/* Summarise the files (rows of all files pooled) and call fn for each group in order.
 * Errors name file, line, column and field. */
rmct_code rmct_baci_summary(const char *const *paths, size_t n, const rmct_baci_filter *filter,
                            rmct_group_fn fn, void *ctx, rmct_error *err);

#endif
