/* formula.h: element mass fractions from chemical formulas, so that a product's metal content
 * (lithium in Li2CO3) is computed from atomic weights instead of typed in. */
#ifndef RMCT_FORMULA_H
#define RMCT_FORMULA_H

#include "error.h"

/* Atomic weight of an element symbol, or 0 when unknown. */
typedef double (*rmct_weight_fn)(void *ctx, const char *symbol);

/* Mass fraction of `element` in `formula` (e.g. "Li2CO3", "(NH4)2MoO4", "CoSO4.7H2O" with '.' or
 * '·' joining a hydrate). RMCT_E_ARG names what is wrong with the formula. */
rmct_code rmct_mass_fraction(const char *formula, const char *element, rmct_weight_fn weight, void *ctx,
                             double *fraction, rmct_error *err);

#endif
