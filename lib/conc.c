/* conc.c: concentration measures (see conc.h). */
#include "conc.h"

void rmct_concentration(const double *shares, size_t n, rmct_conc *out)
{
    out->hhi = out->cr1 = out->cr3 = out->total = 0;
    out->top = 0;
    out->n = 0;
    double top3[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        double s = shares[i] > 0 ? shares[i] : 0;
        out->total += s;
        out->hhi += (100.0 * s) * (100.0 * s);
        if (s > 0) out->n++;
        if (s > out->cr1) {
            out->cr1 = s;
            out->top = i;
        }
        if (s > top3[2]) { /* keep the three largest, descending */
            if (s > top3[0]) { top3[2] = top3[1]; top3[1] = top3[0]; top3[0] = s; }
            else if (s > top3[1]) { top3[2] = top3[1]; top3[1] = s; }
            else top3[2] = s;
        }
    }
    out->cr3 = top3[0] + top3[1] + top3[2];
}

void rmct_shares(const double *values, size_t n, double denominator, double *out)
{
    for (size_t i = 0; i < n; i++) out[i] = denominator > 0 ? values[i] / denominator : 0;
}
