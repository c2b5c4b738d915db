/* plan.c: the stockpile purchase plan as a two-stage stochastic LP solved with GLPK (plan.h), its
 * evaluation on the sampled futures, and the simple rules it is compared with. */
#include "plan.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void rmct_plan_result_free(rmct_plan_result *r)
{
    free(r->x);
    free(r->marginal);
    free(r->expected_short);
    memset(r, 0, sizeof *r);
}

double rmct_plan_evaluate(const rmct_plan_problem *p, const double *x, double *per_metal)
{
    double total = 0;
    for (int m = 0; m < p->metals; m++) {
        double level = p->stock[m] + x[m], sum = 0;
        for (int s = 0; s < p->futures; s++) {
            double u = p->shortfall[(size_t)s * p->metals + m] - level;
            if (u > 0) sum += u;
        }
        double e = p->futures ? sum / p->futures : 0;
        if (per_metal) per_metal[m] = e;
        total += p->weight[m] * e;
    }
    return total;
}

static rmct_code check(const rmct_plan_problem *p, rmct_error *err)
{
    if (p->metals < 1 || p->futures < 1) return rmct_error_set(err, RMCT_E_ARG, "a plan needs at least one metal and one future");
    if (!(p->budget >= 0) || !isfinite(p->budget)) return rmct_error_set(err, RMCT_E_ARG, "budget: expected a non-negative amount");
    if (!(p->capacity >= 0)) return rmct_error_set(err, RMCT_E_ARG, "capacity: expected a non-negative tonnage");
    double need = 0, room = 0;
    for (int m = 0; m < p->metals; m++) {
        if (!(p->cost[m] > 0) || !isfinite(p->cost[m]))
            return rmct_error_set(err, RMCT_E_ARG, "metal %d: cost: expected a positive price per tonne", m + 1);
        if (!(p->weight[m] >= 0)) return rmct_error_set(err, RMCT_E_ARG, "metal %d: weight: expected >= 0", m + 1);
        if (!(p->xmin[m] >= 0) || !(p->xmax[m] >= p->xmin[m]))
            return rmct_error_set(err, RMCT_E_ARG, "metal %d: expected 0 <= minimum <= maximum purchase", m + 1);
        if (!(p->stock[m] >= 0)) return rmct_error_set(err, RMCT_E_ARG, "metal %d: stock: expected >= 0", m + 1);
        need += p->xmin[m] * p->cost[m];
        room += p->xmin[m];
    }
    if (need > p->budget * (1 + 1e-12))
        return rmct_error_set(err, RMCT_E_ARG, "the minimum purchases cost %.0f USD, more than the budget of %.0f USD", need,
                              p->budget);
    if (room > p->capacity * (1 + 1e-12))
        return rmct_error_set(err, RMCT_E_ARG, "the minimum purchases (%.6g t) exceed the storage capacity (%.6g t)", room,
                              p->capacity);
    return RMCT_OK;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Fill out->x and out->budget_dual by the extensive form. */
static rmct_code solve_extensive(const rmct_plan_problem *p, rmct_plan_result *out, rmct_error *err)
{
    const int M = p->metals, S = p->futures;
    /* second-stage rows only where a future can be short beyond the stock held: elsewhere u = 0 */
    long rows = 0;
    for (int s = 0; s < S; s++)
        for (int m = 0; m < M; m++) rows += p->shortfall[(size_t)s * M + m] > p->stock[m];
    bool has_cap = isfinite(p->capacity);
    long nrows = rows + 1 + has_cap, ncols = M + rows;
    if (nrows > 20000000) return rmct_error_set(err, RMCT_E_ARG, "the extensive form would have %ld rows", nrows);
    size_t nz = (size_t)rows * 2 + 2 * (size_t)M + 1;
    int *ia = malloc(nz * sizeof *ia), *ja = malloc(nz * sizeof *ja);
    double *ar = malloc(nz * sizeof *ar);
    if (!ia || !ja || !ar) {
        free(ia), free(ja), free(ar);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory for an LP of %ld rows", nrows);
    }
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_cols(lp, (int)ncols);
    glp_add_rows(lp, (int)nrows);
    for (int m = 0; m < M; m++) {
        if (isfinite(p->xmax[m])) glp_set_col_bnds(lp, m + 1, p->xmax[m] > p->xmin[m] ? GLP_DB : GLP_FX, p->xmin[m], p->xmax[m]);
        else glp_set_col_bnds(lp, m + 1, GLP_LO, p->xmin[m], 0);
    }
    long ne = 0, r = 0;
    for (int s = 0; s < S; s++)
        for (int m = 0; m < M; m++) {
            double need = p->shortfall[(size_t)s * M + m] - p->stock[m];
            if (!(need > 0)) continue;
            int row = (int)(++r), col = (int)(M + r);
            glp_set_col_bnds(lp, col, GLP_LO, 0, 0);
            glp_set_obj_coef(lp, col, p->weight[m] / S);
            glp_set_row_bnds(lp, row, GLP_LO, need, 0);   /* u + x >= shortfall - stock */
            ++ne, ia[ne] = row, ja[ne] = col, ar[ne] = 1;
            ++ne, ia[ne] = row, ja[ne] = m + 1, ar[ne] = 1;
        }
    int budget_row = (int)rows + 1;
    glp_set_row_bnds(lp, budget_row, GLP_UP, 0, p->budget);
    for (int m = 0; m < M; m++) ++ne, ia[ne] = budget_row, ja[ne] = m + 1, ar[ne] = p->cost[m];
    if (has_cap) {
        glp_set_row_bnds(lp, budget_row + 1, GLP_UP, 0, p->capacity);
        for (int m = 0; m < M; m++) ++ne, ia[ne] = budget_row + 1, ja[ne] = m + 1, ar[ne] = 1;
    }
    glp_load_matrix(lp, (int)ne, ia, ja, ar);
    free(ia), free(ja), free(ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_ON;
    int ret = glp_simplex(lp, &parm);
    int status = ret == 0 ? glp_get_status(lp) : 0;
    if (ret == 0 && status == GLP_OPT) {
        for (int m = 0; m < M; m++) out->x[m] = glp_get_col_prim(lp, m + 1);
        out->budget_dual = -glp_get_row_dual(lp, budget_row);
    }
    out->rows = (int)nrows;
    out->columns = (int)ncols;
    glp_delete_prob(lp);
    if (ret != 0 || status != GLP_OPT)
        return rmct_error_set(err, RMCT_E_INPUT, "GLPK could not solve the plan (simplex returned %d, status %d)", ret, status);
    return RMCT_OK;
}

/* Order of segments for the greedy warm start: value per USD, highest first. */
typedef struct {
    double ratio;
    int col;
} seg_rank;

static int cmp_rank(const void *a, const void *b)
{
    double x = ((const seg_rank *)a)->ratio, y = ((const seg_rank *)b)->ratio;
    if (x != y) return (x < y) - (x > y);
    return ((const seg_rank *)a)->col - ((const seg_rank *)b)->col;
}

static rmct_code warm_start(const rmct_plan_problem *p, glp_prob *lp, const int *seg_off, const double *seg_len,
                            const double *seg_gain, long nseg, double budget, bool has_cap)
{
    seg_rank *rk = malloc((size_t)nseg * sizeof *rk);
    if (!rk) return RMCT_E_NOMEM;
    for (int m = 0; m < p->metals; m++)
        for (int k = seg_off[m]; k < seg_off[m + 1]; k++) rk[k] = (seg_rank){seg_gain[k] / p->cost[m], k + 1};
    qsort(rk, (size_t)nseg, sizeof *rk, cmp_rank);
    bool basic_col = false;
    double left = budget;
    for (long i = 0; i < nseg; i++) {
        int col = rk[i].col, m = 0;
        while (seg_off[m + 1] < col) m++;   /* columns are grouped by metal */
        double c = seg_len[col - 1] * p->cost[m];
        if (rk[i].ratio <= 0 || left <= 0) glp_set_col_stat(lp, col, GLP_NL);
        else if (c <= left) {
            glp_set_col_stat(lp, col, GLP_NU);
            left -= c;
        } else {
            glp_set_col_stat(lp, col, GLP_BS);
            basic_col = true;
            left = 0;
        }
    }
    glp_set_row_stat(lp, 1, basic_col ? GLP_NU : GLP_BS);
    if (has_cap) glp_set_row_stat(lp, 2, GLP_BS);
    free(rk);
    return RMCT_OK;
}

/* Fill out->x and out->budget_dual by the compact form: the minimums are bought first, then each
 * metal's segments between consecutive shortfalls, worth w x (futures short beyond) / S per t. */
static rmct_code solve_compact(const rmct_plan_problem *p, rmct_plan_result *out, rmct_error *err)
{
    const int M = p->metals, S = p->futures;
    double *excess = malloc((size_t)S * sizeof *excess);
    int *seg_off = calloc((size_t)M + 1, sizeof *seg_off);
    double *seg_len = NULL, *seg_gain = NULL;
    long nseg = 0, cap = 0;
    rmct_code rc = RMCT_OK;
    if (!excess || !seg_off) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    for (int m = 0; m < M && !rc; m++) {
        seg_off[m] = (int)nseg;
        double level = p->stock[m] + p->xmin[m], room = p->xmax[m] - p->xmin[m];
        int k = 0;
        for (int s = 0; s < S; s++) {
            double e = p->shortfall[(size_t)s * M + m] - level;
            if (e > 0) excess[k++] = e;
        }
        qsort(excess, (size_t)k, sizeof *excess, cmp_desc);
        /* walking up from the current level: between the j-th and (j+1)-th largest excess (from the
         * bottom) the futures still short are those with a larger excess */
        double at = 0;
        for (int j = k - 1; j >= 0 && at < room; j--) {
            double top = excess[j] < room ? excess[j] : room;
            if (top <= at) continue;
            if (nseg == cap) {
                cap = cap ? cap * 2 : 1024;
                double *l2 = realloc(seg_len, (size_t)cap * sizeof *l2);
                if (l2) seg_len = l2;
                double *g2 = realloc(seg_gain, (size_t)cap * sizeof *g2);
                if (g2) seg_gain = g2;
                if (!l2 || !g2) {
                    rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                    break;
                }
            }
            seg_len[nseg] = top - at;
            seg_gain[nseg] = p->weight[m] * (double)(j + 1) / S;   /* futures with excess >= top */
            nseg++;
            at = top;
        }
    }
    if (!rc) seg_off[M] = (int)nseg;
    free(excess);
    if (rc) {
        free(seg_off), free(seg_len), free(seg_gain);
        return rc;
    }
    double budget = p->budget, capacity = p->capacity;
    for (int m = 0; m < M; m++) budget -= p->xmin[m] * p->cost[m], capacity -= p->xmin[m];
    bool has_cap = isfinite(capacity);
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    int nrows = 1 + has_cap;
    glp_add_rows(lp, nrows);
    glp_set_row_bnds(lp, 1, GLP_UP, 0, budget > 0 ? budget : 0);
    if (has_cap) glp_set_row_bnds(lp, 2, GLP_UP, 0, capacity > 0 ? capacity : 0);
    if (nseg) glp_add_cols(lp, (int)nseg);
    size_t nz = (size_t)nseg * 2 + 1;
    int *ia = malloc(nz * sizeof *ia), *ja = malloc(nz * sizeof *ja);
    double *ar = malloc(nz * sizeof *ar);
    if (!ia || !ja || !ar) {
        free(ia), free(ja), free(ar), free(seg_off), free(seg_len), free(seg_gain);
        glp_delete_prob(lp);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    long ne = 0;
    for (int m = 0; m < M; m++)
        for (int k = seg_off[m]; k < seg_off[m + 1]; k++) {
            int col = k + 1;
            glp_set_col_bnds(lp, col, GLP_DB, 0, seg_len[k]);
            glp_set_obj_coef(lp, col, seg_gain[k]);
            ++ne, ia[ne] = 1, ja[ne] = col, ar[ne] = p->cost[m];
            if (has_cap) ++ne, ia[ne] = 2, ja[ne] = col, ar[ne] = 1;
        }
    glp_load_matrix(lp, (int)ne, ia, ja, ar);
    free(ia), free(ja), free(ar);
    /* Warm start: the greedy fill by value per USD is optimal when the budget is the only binding
     * row; the simplex then only proves it (or moves on from it when capacity binds). Without it,
     * GLPK's simplex prices 10^5 columns at each of 10^5 pivots. */
    if (nseg && warm_start(p, lp, seg_off, seg_len, seg_gain, nseg, budget > 0 ? budget : 0, has_cap)) {
        free(seg_off), free(seg_len), free(seg_gain);
        glp_delete_prob(lp);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    int ret = nseg ? glp_simplex(lp, &parm) : 0;
    int status = nseg && ret == 0 ? glp_get_status(lp) : GLP_OPT;
    if (ret == 0 && status == GLP_OPT) {
        for (int m = 0; m < M; m++) {
            double x = p->xmin[m];
            for (int k = seg_off[m]; k < seg_off[m + 1]; k++) x += glp_get_col_prim(lp, k + 1);
            out->x[m] = x;
        }
        out->budget_dual = nseg ? glp_get_row_dual(lp, 1) : 0;
    }
    out->rows = nrows;
    out->columns = (int)nseg;
    glp_delete_prob(lp);
    free(seg_off), free(seg_len), free(seg_gain);
    if (ret != 0 || status != GLP_OPT)
        return rmct_error_set(err, RMCT_E_INPUT, "GLPK could not solve the plan (simplex returned %d, status %d)", ret, status);
    return RMCT_OK;
}

rmct_code rmct_plan_solve(const rmct_plan_problem *p, rmct_plan_result *out, rmct_error *err)
{
    memset(out, 0, sizeof *out);
    if (check(p, err)) return err->code;
    const int M = p->metals, S = p->futures;
    double t0 = now_s();
    out->x = calloc((size_t)M, sizeof *out->x);
    out->marginal = calloc((size_t)M, sizeof *out->marginal);
    out->expected_short = calloc((size_t)M, sizeof *out->expected_short);
    if (!out->x || !out->marginal || !out->expected_short) {
        rmct_plan_result_free(out);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    glp_term_out(GLP_OFF);
    rmct_code rc = p->extensive ? solve_extensive(p, out, err) : solve_compact(p, out, err);
    glp_free_env();
    if (rc) {
        rmct_plan_result_free(out);
        return rc;
    }
    for (int m = 0; m < M; m++) {
        if (out->x[m] < p->xmin[m]) out->x[m] = p->xmin[m];   /* the simplex's rounding below a bound */
        if (out->x[m] > p->xmax[m]) out->x[m] = p->xmax[m];
        out->spent += out->x[m] * p->cost[m];
    }
    if (out->budget_dual < 0) out->budget_dual = 0;
    out->objective = rmct_plan_evaluate(p, out->x, out->expected_short);
    /* marginal value of one more tonne: w x P(a future is still short beyond the new level) */
    for (int m = 0; m < M; m++) {
        long beyond = 0;
        double level = p->stock[m] + out->x[m];
        for (int s = 0; s < S; s++) beyond += p->shortfall[(size_t)s * M + m] > level + 1e-9 * (1 + level);
        out->marginal[m] = p->weight[m] * (double)beyond / S;
    }
    out->seconds = now_s() - t0;
    return RMCT_OK;
}

/* Clip x to the bounds, then scale the part above the minimums so cost and capacity fit. */
static void fit(const rmct_plan_problem *p, double *x)
{
    double cost = 0, tonnes = 0, cost_min = 0, t_min = 0;
    for (int m = 0; m < p->metals; m++) {
        if (x[m] < p->xmin[m]) x[m] = p->xmin[m];
        if (x[m] > p->xmax[m]) x[m] = p->xmax[m];
        cost += x[m] * p->cost[m], tonnes += x[m];
        cost_min += p->xmin[m] * p->cost[m], t_min += p->xmin[m];
    }
    double f = 1;
    if (cost > p->budget && cost > cost_min) f = fmin(f, (p->budget - cost_min) / (cost - cost_min));
    if (tonnes > p->capacity && tonnes > t_min) f = fmin(f, (p->capacity - t_min) / (tonnes - t_min));
    if (f < 1)
        for (int m = 0; m < p->metals; m++) x[m] = p->xmin[m] + (x[m] - p->xmin[m]) * f;
}

/* Purchases that raise every metal with a daily demand to `days` of cover, within its bounds;
 * whether they fit the budget and capacity. */
static bool cover_at(const rmct_plan_problem *p, const double *daily, double days, double *x)
{
    double cost = 0, tonnes = 0;
    for (int m = 0; m < p->metals; m++) {
        double want = daily[m] > 0 ? days * daily[m] - p->stock[m] : 0;
        x[m] = fmin(p->xmax[m], fmax(p->xmin[m], want));
        cost += x[m] * p->cost[m], tonnes += x[m];
    }
    return cost <= p->budget * (1 + 1e-12) && tonnes <= p->capacity * (1 + 1e-12);
}

void rmct_plan_rule_equal_cover(const rmct_plan_problem *p, const double *daily, double *x)
{
    /* water filling: the highest common level of cover the budget and capacity reach */
    double lo = 0, hi = 1;
    while (hi < 1e9 && cover_at(p, daily, hi, x)) lo = hi, hi *= 2;
    for (int it = 0; it < 100; it++) {
        double mid = (lo + hi) / 2;
        if (cover_at(p, daily, mid, x)) lo = mid;
        else hi = mid;
    }
    cover_at(p, daily, lo, x);
    fit(p, x);
}

void rmct_plan_rule_proportional(const rmct_plan_problem *p, const double *risk, double *x)
{
    double total = 0;
    for (int m = 0; m < p->metals; m++) total += risk[m] > 0 ? risk[m] : 0;
    for (int m = 0; m < p->metals; m++) x[m] = p->xmin[m];
    if (total <= 0) return;
    /* spend what is left over after clipping again on the metals still below their maximum */
    for (int round = 0; round < 20; round++) {
        double spent = 0, open = 0;
        for (int m = 0; m < p->metals; m++) {
            spent += x[m] * p->cost[m];
            if (x[m] < p->xmax[m] && risk[m] > 0) open += risk[m];
        }
        double left = p->budget - spent;
        if (left <= p->budget * 1e-9 || open <= 0) break;
        for (int m = 0; m < p->metals; m++)
            if (x[m] < p->xmax[m] && risk[m] > 0) x[m] = fmin(p->xmax[m], x[m] + left * risk[m] / open / p->cost[m]);
    }
    fit(p, x);
}
