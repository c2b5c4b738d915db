/* formula.c: mass fractions from chemical formulas (see formula.h). A small recursive-descent
 * parser: formula := part ('.' | '·') part ...; part := [count] group+; group := element [count] |
 * '(' group+ ')' [count]; element := Upper [lower]. */
#include "formula.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *p, *start;
    const char *element;
    rmct_weight_fn weight;
    void *ctx;
    rmct_error *err;
    int failed;
} parser;

static long count(parser *ps)
{
    if (!isdigit((unsigned char)*ps->p)) return 1;
    long n = 0;
    while (isdigit((unsigned char)*ps->p) && n < 100000) n = n * 10 + (*ps->p++ - '0');
    return n;
}

static void bad(parser *ps, const char *what)
{
    if (ps->failed) return;
    ps->failed = 1;
    rmct_error_set(ps->err, RMCT_E_ARG, "formula \"%s\": expected %s at character %ld", ps->start, what,
                   (long)(ps->p - ps->start) + 1);
}

/* Parses groups until ')' or a separator; adds total mass and the element's mass. */
static void groups(parser *ps, double *mass, double *el_mass, int depth)
{
    while (*ps->p && *ps->p != ')' && *ps->p != '.' && strncmp(ps->p, "\xC2\xB7", 2) != 0 && !ps->failed) {
        double m = 0, e = 0;
        if (*ps->p == '(') {
            if (depth > 8) return bad(ps, "fewer nested parentheses");
            ps->p++;
            groups(ps, &m, &e, depth + 1);
            if (*ps->p != ')') return bad(ps, "')'");
            ps->p++;
        } else if (isupper((unsigned char)*ps->p)) {
            char sym[3] = {*ps->p++, 0, 0};
            if (islower((unsigned char)*ps->p)) sym[1] = *ps->p++;
            double w = ps->weight(ps->ctx, sym);
            if (w <= 0) {
                ps->p -= strlen(sym);
                return bad(ps, "an element symbol with a known atomic weight");
            }
            m = w;
            e = strcmp(sym, ps->element) == 0 ? w : 0;
        } else {
            return bad(ps, "an element symbol or '('");
        }
        long n = count(ps);
        *mass += m * (double)n;
        *el_mass += e * (double)n;
    }
}

rmct_code rmct_mass_fraction(const char *formula, const char *element, rmct_weight_fn weight, void *ctx,
                             double *fraction, rmct_error *err)
{
    parser ps = {formula, formula, element, weight, ctx, err, 0};
    double mass = 0, el = 0;
    for (;;) {
        long n = count(&ps); /* a hydrate's multiplier: CoSO4.7H2O */
        double m = 0, e = 0;
        groups(&ps, &m, &e, 0);
        if (ps.failed) return RMCT_E_ARG;
        mass += m * (double)n;
        el += e * (double)n;
        if (*ps.p == '.') ps.p++;
        else if (!strncmp(ps.p, "\xC2\xB7", 2)) ps.p += 2;
        else if (*ps.p == ')') { bad(&ps, "'(' before ')'"); return RMCT_E_ARG; }
        else break;
    }
    if (mass <= 0) return rmct_error_set(err, RMCT_E_ARG, "formula \"%s\": expected at least one element", formula);
    if (el <= 0) return rmct_error_set(err, RMCT_E_ARG, "formula \"%s\" does not contain %s", formula, element);
    *fraction = el / mass;
    return RMCT_OK;
}
