/* conc.h: concentration of supply among countries (docs/METHODS.md, "Concentration").
 * Pure arithmetic on shares; no storage, no I/O. */
#ifndef RMCT_CONC_H
#define RMCT_CONC_H

#include <stddef.h>

typedef struct {
    double hhi;    /* Herfindahl-Hirschman index, sum of (100 * share)^2, 0-10,000 */
    double cr1;    /* largest share (fraction) */
    double cr3;    /* sum of the three largest shares (fraction) */
    size_t top;    /* index of the largest share (first one on ties) */
    int n;         /* number of shares greater than zero */
    double total;  /* sum of the shares */
} rmct_conc;

/* Concentration of n shares given as fractions of the whole (negative values are treated as 0).
 * The shares need not sum to 1: an unallocated remainder (e.g. 'Other countries') adds nothing
 * to the HHI, so the HHI is then a lower bound. */
void rmct_concentration(const double *shares, size_t n, rmct_conc *out);

/* Shares of each value in the denominator (out[i] = values[i] / denominator); 0 when the
 * denominator is not positive. */
void rmct_shares(const double *values, size_t n, double denominator, double *out);

#endif
