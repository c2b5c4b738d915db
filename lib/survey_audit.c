/* survey_audit.c: the audit behind the survey's confidentiality rule (docs/SURVEY.md,
 * "Confidentiality").
 *
 * Every published magnitude is a linear equation over the companies' figures (sum of its terms =
 * the published value); every company's figures of one metal are tied by its own identities
 * (imports + domestic + recycled = use; its imports by country add up to its imports). An outside
 * reader who knows all of that, knows which companies contribute to each cell (a variable whose
 * value is 0 is fixed at 0) and that no figure is negative, can bound each company's figure between
 * the minimum and the maximum of a linear programme. The audit solves both for every positive
 * figure that a published cell constrains (GLPK's simplex, warm-started from one programme to the
 * next) and reports the figures whose range is narrower than the protection level: an upper bound
 * below (1 + p) x value or a lower bound above (1 - p) x value, p = 15%. */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "survey_internal.h"

typedef struct {
    int off, len;
    bool identity;
    bool published;
    double rhs;
} lp_row;

struct survey_lp {
    int n_vars;
    double *val;
    lp_row *rows;
    int n_rows, cap_rows;
    int *var;
    double *coef;
    int nz, cap_nz;
};

survey_lp *survey_lp_new(int n_vars, const double *values)
{
    survey_lp *lp = calloc(1, sizeof *lp);
    if (!lp) return NULL;
    lp->n_vars = n_vars;
    lp->val = malloc((size_t)(n_vars > 0 ? n_vars : 1) * sizeof *lp->val);
    if (!lp->val) {
        free(lp);
        return NULL;
    }
    if (n_vars > 0) memcpy(lp->val, values, (size_t)n_vars * sizeof *values);
    return lp;
}

void survey_lp_free(survey_lp *lp)
{
    if (!lp) return;
    free(lp->val);
    free(lp->rows);
    free(lp->var);
    free(lp->coef);
    free(lp);
}

static int add_row(survey_lp *lp, int n, const int *var, const double *coef, bool identity)
{
    if (lp->n_rows == lp->cap_rows) {
        int cap = lp->cap_rows ? 2 * lp->cap_rows : 64;
        lp_row *r = realloc(lp->rows, (size_t)cap * sizeof *r);
        if (!r) return -1;
        lp->rows = r;
        lp->cap_rows = cap;
    }
    while (lp->nz + n > lp->cap_nz) {
        int cap = lp->cap_nz ? 2 * lp->cap_nz : 256;
        int *v = realloc(lp->var, (size_t)cap * sizeof *v);
        if (!v) return -1;
        lp->var = v;
        double *c = realloc(lp->coef, (size_t)cap * sizeof *c);
        if (!c) return -1;
        lp->coef = c;
        lp->cap_nz = cap;
    }
    lp_row *r = &lp->rows[lp->n_rows];
    r->off = lp->nz;
    r->len = n;
    r->identity = identity;
    r->published = identity;
    r->rhs = 0;
    for (int k = 0; k < n; k++) {
        lp->var[lp->nz + k] = var[k];
        lp->coef[lp->nz + k] = coef ? coef[k] : 1.0;
        if (!identity) r->rhs += lp->val[var[k]];
    }
    lp->nz += n;
    return lp->n_rows++;
}

int survey_lp_identity(survey_lp *lp, int n, const int *var, const double *coef) { return add_row(lp, n, var, coef, true); }
int survey_lp_cell(survey_lp *lp, int n, const int *var) { return add_row(lp, n, var, NULL, false); }

void survey_lp_set_published(survey_lp *lp, int cell, bool published)
{
    if (cell >= 0 && cell < lp->n_rows && !lp->rows[cell].identity) lp->rows[cell].published = published;
}

int survey_lp_cells_of(const survey_lp *lp, int v, int *cells, int max)
{
    int n = 0;
    for (int r = 0; r < lp->n_rows; r++) {
        const lp_row *row = &lp->rows[r];
        if (row->identity) continue;
        for (int k = 0; k < row->len; k++)
            if (lp->var[row->off + k] == v) {
                if (n < max) cells[n] = r;
                n++;
                break;
            }
    }
    return n;
}

/* union-find over variables, to find those a published cell reaches */
static int find(int *p, int x)
{
    while (p[x] != x) x = p[x] = p[p[x]];
    return x;
}

rmct_code survey_lp_audit(survey_lp *lp, double protection, int *disclosed, int *n_disclosed, int *count, int *solves,
                          rmct_error *err)
{
    *disclosed = -1;
    *n_disclosed = 0;
    *count = 0;
    int nv = lp->n_vars;
    if (nv == 0) return RMCT_OK;
    int *parent = malloc((size_t)nv * sizeof *parent);
    bool *anchored = calloc((size_t)nv, sizeof *anchored);
    if (!parent || !anchored) {
        free(parent);
        free(anchored);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    for (int i = 0; i < nv; i++) parent[i] = i;
    for (int r = 0; r < lp->n_rows; r++) {
        const lp_row *row = &lp->rows[r];
        if (!row->published) continue;
        for (int k = 1; k < row->len; k++) {
            int a = find(parent, lp->var[row->off]), b = find(parent, lp->var[row->off + k]);
            if (a != b) parent[a] = b;
        }
    }
    for (int r = 0; r < lp->n_rows; r++)
        if (lp->rows[r].published && !lp->rows[r].identity && lp->rows[r].len) anchored[find(parent, lp->var[lp->rows[r].off])] = true;
    /* one programme per connected set of figures that a published cell reaches: its figures, and the
       published rows among them */
    int *comp = malloc((size_t)nv * sizeof *comp), *col = malloc((size_t)nv * sizeof *col);
    int *start = calloc((size_t)nv + 1, sizeof *start), *members = malloc((size_t)nv * sizeof *members);
    int *row_comp = malloc((size_t)(lp->n_rows ? lp->n_rows : 1) * sizeof *row_comp);
    int *ind = malloc((size_t)(nv + 1) * sizeof *ind), *seen = calloc((size_t)nv + 1, sizeof *seen);
    double *vals = malloc((size_t)(nv + 1) * sizeof *vals), *acc = calloc((size_t)nv + 1, sizeof *acc);
    if (!comp || !col || !start || !members || !row_comp || !ind || !seen || !vals || !acc) {
        free(comp), free(col), free(start), free(members), free(row_comp), free(ind), free(seen), free(vals), free(acc);
        free(parent), free(anchored);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    int nc = 0;
    for (int v = 0; v < nv; v++) comp[v] = -1;
    for (int v = 0; v < nv; v++) {
        int r = find(parent, v);
        if (!anchored[r]) continue;
        if (comp[r] < 0) comp[r] = nc++;
        comp[v] = comp[r];
    }
    /* members of each component, in variable order (counting sort); col = position within it */
    for (int v = 0; v < nv; v++)
        if (comp[v] >= 0) start[comp[v] + 1]++;
    for (int k = 0; k < nc; k++) start[k + 1] += start[k];
    for (int v = 0; v < nv; v++)   /* start[k] is the next free place of component k while placing */
        if (comp[v] >= 0) members[start[comp[v]]++] = v;
    for (int k = nc; k > 0; k--) start[k] = start[k - 1];
    start[0] = 0;
    for (int k = 0; k < nc; k++)
        for (int i = start[k]; i < start[k + 1]; i++) col[members[i]] = i - start[k] + 1;
    for (int r = 0; r < lp->n_rows; r++)
        row_comp[r] = lp->rows[r].published && lp->rows[r].len ? comp[lp->var[lp->rows[r].off]] : -1;
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF;
    rmct_code rc = RMCT_OK;
    for (int k = 0; k < nc && !rc; k++) {
        int ncols = start[k + 1] - start[k];
        glp_prob *p = glp_create_prob();
        glp_add_cols(p, ncols);
        for (int i = start[k]; i < start[k + 1]; i++) {
            int v = members[i];
            if (lp->val[v] > 0) glp_set_col_bnds(p, col[v], GLP_LO, 0, 0);
            else glp_set_col_bnds(p, col[v], GLP_FX, 0, 0);
        }
        int nr = 0;
        for (int r = 0; r < lp->n_rows; r++) nr += row_comp[r] == k;
        if (nr) glp_add_rows(p, nr);
        int row_no = 0;
        for (int r = 0; r < lp->n_rows; r++) {
            if (row_comp[r] != k) continue;
            const lp_row *row = &lp->rows[r];
            row_no++;
            glp_set_row_bnds(p, row_no, GLP_FX, row->rhs, row->rhs);
            /* duplicate (row, column) entries merged: GLPK refuses them */
            int len = 0;
            for (int j = 0; j < row->len; j++) {
                int c = col[lp->var[row->off + j]];
                if (!seen[c]) ind[++len] = c, seen[c] = 1;
                acc[c] += lp->coef[row->off + j];
            }
            for (int j = 1; j <= len; j++) {
                vals[j] = acc[ind[j]];
                acc[ind[j]] = 0;
                seen[ind[j]] = 0;
            }
            glp_set_mat_row(p, row_no, len, ind, vals);
        }
        int prev = -1;
        for (int i = start[k]; i < start[k + 1] && !rc; i++) {
            int v = members[i];
            double x = lp->val[v];
            if (!(x > 0)) continue;
            (*count)++;
            if (prev >= 0) glp_set_obj_coef(p, prev, 0);
            glp_set_obj_coef(p, col[v], 1);
            prev = col[v];
            bool revealed = false;
            for (int dir = 0; dir < 2 && !revealed; dir++) {
                glp_set_obj_dir(p, dir == 0 ? GLP_MAX : GLP_MIN);
                int ret = glp_simplex(p, &parm);
                (*solves)++;
                if (ret != 0) { /* singular basis or the like: start again from scratch once */
                    glp_adv_basis(p, 0);
                    ret = glp_simplex(p, &parm);
                    (*solves)++;
                }
                int status = ret == 0 ? glp_get_status(p) : GLP_UNDEF;
                if (status == GLP_UNBND) continue;      /* no upper bound */
                if (status != GLP_OPT) {
                    rc = rmct_error_set(err, RMCT_E_DB, "the confidentiality audit's linear programme failed (GLPK status %d, return %d)",
                                        status, ret);
                    break;
                }
                double b = glp_get_obj_val(p), tol = 1e-9 * (1 + fabs(x));
                if (dir == 0 ? b < (1 + protection) * x - tol : b > (1 - protection) * x + tol) revealed = true;
            }
            if (revealed) {
                if (*disclosed < 0 || v < *disclosed) *disclosed = v;
                (*n_disclosed)++;
            }
        }
        glp_delete_prob(p);
    }
    /* GLPK keeps an environment per thread; free it, as plan.c does, so a server thread that ran the
     * audit leaks nothing (no GLPK object of ours outlives this call) */
    glp_free_env();
    free(comp), free(col), free(start), free(members), free(row_comp), free(ind), free(seen), free(vals), free(acc);
    free(parent);
    free(anchored);
    return rc;
}
