/* dsm.h: dynamic stock models of products in use, by cohort (docs/MFA.md).
 *
 * The conventions are those of ODYM's DynamicStockModel (IndEcol/ODYM, dynamic_stock_model.py),
 * so that results can be compared number for number:
 *   - stocks are measured at the end of each year; flows happen during the year;
 *   - survival is evaluated at whole-year ages: sf[t][c] = S_c(t - c), so part of an inflow can
 *     leave in its own year (outflow o_c[c][c] = i[c] * (1 - S_c(0)));
 *   - normal lifetimes are not truncated at age 0; a fixed lifetime keeps a cohort while
 *     age < mean; a mean of 0 (normal, folded normal, log-normal) means nothing survives the year;
 *   - stock-driven: i[m] = (s[m] - sum_{c<m} s_c[m][c]) / S_m(0), 0 when S_m(0) = 0; negative
 *     inflows are kept unless the negative-inflow correction is on, which then releases the excess
 *     stock from all older cohorts in proportion (ODYM's NegativeInflowCorrect);
 *   - stock change in the first year is the stock itself (less any initial stock).
 * One deliberate difference: the log-normal lifetime takes the mean and standard deviation of the
 * lifetime itself (sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2); ODYM's code uses
 * mean^2/sd^2 in place of sd^2/mean^2, which agrees only when mean = sd.
 *
 * The functions take plain arrays and fill caller-provided arrays; they never print. */
#ifndef RMCT_DSM_H
#define RMCT_DSM_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef enum { RMCT_LT_FIXED, RMCT_LT_NORMAL, RMCT_LT_FOLDEDNORMAL, RMCT_LT_WEIBULL, RMCT_LT_LOGNORMAL } rmct_lt_kind;

/* A lifetime distribution, in years.
 *   fixed:        a = the lifetime
 *   normal:       a = mean, b = standard deviation (of the normal; not truncated)
 *   foldednormal: a = mean, b = standard deviation of the normal before folding (as ODYM)
 *   lognormal:    a = mean, b = standard deviation of the lifetime itself
 *   weibull:      a = shape, b = scale */
typedef struct {
    rmct_lt_kind kind;
    double a, b;
} rmct_lifetime;

/* The largest number of cohorts (historic + model years) a model may have. */
#define RMCT_DSM_MAX_YEARS 5000

/* "fixed", "normal", "foldednormal", "weibull", "lognormal". */
const char *rmct_lifetime_name(rmct_lt_kind k);
/* Parse "TYPE:P1[,P2]" (normal:25,7.5, weibull:2.5,20, fixed:5, lognormal:12,4, foldednormal:20,20).
 * `what` names the input in errors (an option or file:line). Checks the parameters too. */
rmct_code rmct_lifetime_parse(const char *spec, const char *what, rmct_lifetime *out, rmct_error *err);
/* Check the parameters: finite; means >= 0; standard deviations > 0 when the mean is > 0;
 * Weibull shape and scale > 0. */
rmct_code rmct_lifetime_check(const rmct_lifetime *lt, const char *what, rmct_error *err);
/* "normal:25,7.5" */
void rmct_lifetime_format(const rmct_lifetime *lt, char *buf, size_t size);
/* Survival S(age): the share of a cohort still in use at the end of the year it reaches `age`
 * (age 0 = the end of the year of inflow). */
double rmct_lifetime_sf(const rmct_lifetime *lt, double age);
/* The expected lifetime in years (for display; Weibull: scale x Gamma(1 + 1/shape)). */
double rmct_lifetime_mean(const rmct_lifetime *lt);

/* The survival table of n cohorts over n years: sf[t * n + c] = S_c(t - c) for t >= c, 0 above the
 * diagonal. lt holds n_lt = 1 (every cohort) or n lifetimes (one per cohort). */
rmct_code rmct_dsm_survival(const rmct_lifetime *lt, int n_lt, int n, double *sf, rmct_error *err);

/* What a model run shares. Cohorts are numbered from the oldest: the n_hist cohorts of the initial
 * stock first, then one per model year; N = n_hist + n. */
typedef struct {
    int n;                        /* model years (>= 1) */
    const rmct_lifetime *lt;      /* n_lt = 1 (every cohort) or N (one per cohort, oldest first) */
    int n_lt;
    int n_hist;                   /* cohorts of the initial stock, 0 for none */
    const double *initial_stock;  /* n_hist values: stock at the end of the year before the first
                                     model year, by cohort, oldest first */
    bool nic;                     /* stock-driven: ODYM's negative inflow correction */
    double *hist_inflow;          /* optional out, n_hist: inflows that built the initial stock */
    double *s_c, *o_c;            /* optional out, n x N, row-major [year][cohort]: stock at year
                                     end and outflow during the year, by cohort */
} rmct_dsm_opts;

typedef struct {
    int negative_years;           /* stock-driven without correction: years with a negative inflow */
    int corrected_years;          /* with the correction: years where older cohorts were released */
    int first_negative;           /* model year index of the first of either, -1 if none */
    int unmet_years;              /* stock-driven: years whose stock could not be held because
                                     nothing survives the year of inflow (S(0) = 0) */
} rmct_dsm_info;

/* Inflow-driven: inflow[n] (>= 0) -> outflow, stock (at year end) and stock change [n].
 * info may be NULL. Errors: bad lifetimes, negative or non-finite inputs, sizes. */
rmct_code rmct_dsm_inflow_driven(const rmct_dsm_opts *o, const double *inflow, double *outflow, double *stock,
                                 double *stock_change, rmct_dsm_info *info, rmct_error *err);

/* Stock-driven: stock[n] (>= 0, at year end) -> inflow, outflow and stock change [n]; model_stock
 * (may be NULL) receives the stock the cohorts hold, which equals stock[] except in unmet years. */
rmct_code rmct_dsm_stock_driven(const rmct_dsm_opts *o, const double *stock, double *inflow, double *outflow,
                                double *stock_change, double *model_stock, rmct_dsm_info *info, rmct_error *err);

/* A series file: one value per year, one per line; optionally a header line and a first column
 * of years ("year,value"; consecutive). Blank lines are skipped. *years gets the first year (or
 * first_year when the file has no year column). With nonnegative, a value < 0 is an error at its
 * line. *out is malloc'd. */
rmct_code rmct_series_read(const char *path, int first_year, bool nonnegative, double **out, int *n, int *years,
                           rmct_error *err);

#endif
