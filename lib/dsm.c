/* dsm.c: dynamic stock models by cohort with ODYM's conventions (see dsm.h, docs/MFA.md).
 *
 * The survival table sf[t][c] = S_c(t - c) is never stored whole: cohorts that share a lifetime
 * share one column of survival values by age (S) and of outflow shares by age (D: D[0] = 1 - S[0],
 * D[a] = S[a-1] - S[a]), so a model with one lifetime costs n erfc calls and an n^2/2 convolution;
 * only cohorts with their own parameters get their own column. */
#include "dsm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "text.h"

static const char *const lt_names[] = {"fixed", "normal", "foldednormal", "weibull", "lognormal"};

const char *rmct_lifetime_name(rmct_lt_kind k) { return (unsigned)k < 5 ? lt_names[k] : "?"; }

static int lt_nparams(rmct_lt_kind k) { return k == RMCT_LT_FIXED ? 1 : 2; }

static const char *lt_usage(rmct_lt_kind k)
{
    switch (k) {
    case RMCT_LT_FIXED: return "fixed:LIFETIME";
    case RMCT_LT_NORMAL: return "normal:MEAN,SD";
    case RMCT_LT_FOLDEDNORMAL: return "foldednormal:MEAN,SD";
    case RMCT_LT_WEIBULL: return "weibull:SHAPE,SCALE";
    default: return "lognormal:MEAN,SD";
    }
}

rmct_code rmct_lifetime_check(const rmct_lifetime *lt, const char *what, rmct_error *err)
{
    const char *name = rmct_lifetime_name(lt->kind);
    if ((unsigned)lt->kind >= 5) return rmct_error_set(err, RMCT_E_ARG, "%s: unknown lifetime type", what);
    if (!isfinite(lt->a) || (lt_nparams(lt->kind) == 2 && !isfinite(lt->b)))
        return rmct_error_set(err, RMCT_E_ARG, "%s: expected finite %s parameters, got %g, %g", what, name, lt->a, lt->b);
    switch (lt->kind) {
    case RMCT_LT_FIXED:
        if (lt->a < 0) return rmct_error_set(err, RMCT_E_ARG, "%s: expected a lifetime >= 0 years, got %g", what, lt->a);
        break;
    case RMCT_LT_WEIBULL:
        if (!(lt->a > 0)) return rmct_error_set(err, RMCT_E_ARG, "%s: expected a Weibull shape > 0, got %g", what, lt->a);
        if (!(lt->b > 0)) return rmct_error_set(err, RMCT_E_ARG, "%s: expected a Weibull scale > 0 years, got %g", what, lt->b);
        break;
    default:
        if (lt->a < 0) return rmct_error_set(err, RMCT_E_ARG, "%s: expected a %s mean >= 0 years, got %g", what, name, lt->a);
        if (lt->b < 0 || (lt->a > 0 && !(lt->b > 0)))
            return rmct_error_set(err, RMCT_E_ARG, "%s: expected a %s standard deviation > 0 years, got %g", what, name,
                                  lt->b);
        break;
    }
    return RMCT_OK;
}

rmct_code rmct_lifetime_parse(const char *spec, const char *what, rmct_lifetime *out, rmct_error *err)
{
    char q[64];
    const char *colon = strchr(spec, ':');
    size_t tl = colon ? (size_t)(colon - spec) : strlen(spec);
    int kind = -1;
    for (int k = 0; k < 5; k++)
        if (strlen(lt_names[k]) == tl && strncmp(spec, lt_names[k], tl) == 0) kind = k;
    /* a few spellings people use */
    if (kind < 0 && tl == 6 && !strncmp(spec, "folded", 6)) kind = RMCT_LT_FOLDEDNORMAL;
    if (kind < 0 && tl == 10 && !strncmp(spec, "log-normal", 10)) kind = RMCT_LT_LOGNORMAL;
    if (kind < 0)
        return rmct_error_set(err, RMCT_E_ARG,
                              "%s: expected TYPE:PARAMS with TYPE fixed, normal, foldednormal, weibull or lognormal "
                              "(e.g. normal:25,7.5), got \"%s\"",
                              what, rmct_error_quote(spec, q, sizeof q));
    memset(out, 0, sizeof *out);
    out->kind = (rmct_lt_kind)kind;
    int need = lt_nparams(out->kind), got = 0;
    double v[2] = {0, 0};
    if (colon) {
        char buf[128];
        rmct_strlcpy(buf, colon + 1, sizeof buf);
        char *save = NULL;
        for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
            if (got == 2 || !rmct_parse_double(p, false, &v[got]))
                return rmct_error_set(err, RMCT_E_ARG, "%s: expected %s (numbers, years), got \"%s\"", what,
                                      lt_usage(out->kind), rmct_error_quote(spec, q, sizeof q));
            got++;
        }
        if (colon[1] && colon[strlen(colon) - 1] == ',') got = -1;
    }
    if (got != need)
        return rmct_error_set(err, RMCT_E_ARG, "%s: %s needs %s, got \"%s\"", what, lt_names[kind],
                              need == 1 ? "one parameter (fixed:LIFETIME)"
                                        : out->kind == RMCT_LT_WEIBULL ? "two parameters, shape and scale (weibull:SHAPE,SCALE)"
                                                                       : out->kind == RMCT_LT_NORMAL
                                                                             ? "two parameters, mean and standard deviation (normal:MEAN,SD)"
                                                                             : out->kind == RMCT_LT_FOLDEDNORMAL
                                                                                   ? "two parameters, mean and standard deviation (foldednormal:MEAN,SD)"
                                                                                   : "two parameters, mean and standard deviation (lognormal:MEAN,SD)",
                              rmct_error_quote(spec, q, sizeof q));
    out->a = v[0];
    out->b = v[1];
    return rmct_lifetime_check(out, what, err);
}

void rmct_lifetime_format(const rmct_lifetime *lt, char *buf, size_t size)
{
    if (lt_nparams(lt->kind) == 1) snprintf(buf, size, "%s:%g", rmct_lifetime_name(lt->kind), lt->a);
    else snprintf(buf, size, "%s:%g,%g", rmct_lifetime_name(lt->kind), lt->a, lt->b);
}

double rmct_lifetime_sf(const rmct_lifetime *lt, double age)
{
    switch (lt->kind) {
    case RMCT_LT_FIXED: return age < lt->a ? 1.0 : 0.0;
    case RMCT_LT_NORMAL:
        if (lt->a == 0) return 0.0;
        return 0.5 * erfc((age - lt->a) / (lt->b * M_SQRT2));
    case RMCT_LT_FOLDEDNORMAL:
        /* |X|, X ~ N(mean, sd^2): two erfc terms, so the tail keeps its precision (1 - cdf would not) */
        if (lt->a == 0) return 0.0;
        return 0.5 * erfc((age - lt->a) / (lt->b * M_SQRT2)) + 0.5 * erfc((age + lt->a) / (lt->b * M_SQRT2));
    case RMCT_LT_WEIBULL:
        if (age <= 0) return 1.0;
        return exp(-pow(age / lt->b, lt->a));
    case RMCT_LT_LOGNORMAL: {
        if (lt->a == 0) return 0.0;
        if (age <= 0) return 1.0;
        double s2 = log1p((lt->b * lt->b) / (lt->a * lt->a));
        double mu = log(lt->a) - s2 / 2;
        return 0.5 * erfc((log(age) - mu) / (sqrt(s2) * M_SQRT2));
    }
    }
    return 0.0;
}

double rmct_lifetime_mean(const rmct_lifetime *lt)
{
    switch (lt->kind) {
    case RMCT_LT_WEIBULL: return lt->b * tgamma(1.0 + 1.0 / lt->a);
    case RMCT_LT_FOLDEDNORMAL: {
        double m = lt->a, s = lt->b;
        if (m == 0) return 0;
        return s * sqrt(2 / M_PI) * exp(-m * m / (2 * s * s)) + m * erf(m / (s * M_SQRT2));
    }
    default: return lt->a;
    }
}

/* ---------------- survival columns ---------------- */

typedef struct {
    int N;
    const double **S, **D;  /* per cohort: by age 0 .. N-1-c */
    double *pool;
    const double **ptrs;
} tables;

static bool same_lt(const rmct_lifetime *x, const rmct_lifetime *y)
{
    return x->kind == y->kind && x->a == y->a && (lt_nparams(x->kind) == 1 || x->b == y->b);
}

static void tables_free(tables *t)
{
    free(t->pool);
    free(t->ptrs);
    memset(t, 0, sizeof *t);
}

static void fill_column(const rmct_lifetime *lt, int len, double *S, double *D)
{
    for (int a = 0; a < len; a++) S[a] = rmct_lifetime_sf(lt, a);
    D[0] = 1.0 - S[0];
    for (int a = 1; a < len; a++) D[a] = S[a - 1] - S[a];
}

static rmct_code tables_build(const rmct_lifetime *lt, int n_lt, int N, tables *t, rmct_error *err)
{
    memset(t, 0, sizeof *t);
    t->N = N;
    t->ptrs = malloc(2 * (size_t)N * sizeof *t->ptrs);
    if (!t->ptrs) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    t->S = t->ptrs;
    t->D = t->ptrs + N;
    size_t need = 0;
    for (int c = 0; c < N; c++)
        if (c == 0 || (n_lt > 1 && !same_lt(&lt[c], &lt[c - 1]))) need += (size_t)(N - c);
    t->pool = malloc(2 * need * sizeof *t->pool);
    if (!t->pool) {
        tables_free(t);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory (survival tables of %d cohorts)", N);
    }
    double *p = t->pool;
    for (int c = 0; c < N; c++) {
        if (c > 0 && (n_lt == 1 || same_lt(&lt[c], &lt[c - 1]))) {
            t->S[c] = t->S[c - 1];
            t->D[c] = t->D[c - 1];
            continue;
        }
        double *S = p, *D = p + (N - c);
        fill_column(&lt[n_lt == 1 ? 0 : c], N - c, S, D);
        t->S[c] = S;
        t->D[c] = D;
        p += 2 * (size_t)(N - c);
    }
    return RMCT_OK;
}

static rmct_code check_lts(const rmct_lifetime *lt, int n_lt, int N, rmct_error *err)
{
    if (!lt || (n_lt != 1 && n_lt != N))
        return rmct_error_set(err, RMCT_E_ARG,
                              "expected one lifetime for every cohort or one per cohort (%d), got %d lifetimes", N, n_lt);
    for (int c = 0; c < n_lt; c++) {
        char what[48];
        if (n_lt == 1) snprintf(what, sizeof what, "lifetime");
        else snprintf(what, sizeof what, "lifetime of cohort %d", c + 1);
        if (rmct_lifetime_check(&lt[c], what, err)) return err->code;
    }
    return RMCT_OK;
}

rmct_code rmct_dsm_survival(const rmct_lifetime *lt, int n_lt, int n, double *sf, rmct_error *err)
{
    if (n < 1 || n > RMCT_DSM_MAX_YEARS)
        return rmct_error_set(err, RMCT_E_ARG, "expected 1 to %d years, got %d", RMCT_DSM_MAX_YEARS, n);
    if (check_lts(lt, n_lt, n, err)) return err->code;
    tables t;
    if (tables_build(lt, n_lt, n, &t, err)) return err->code;
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++) sf[(size_t)r * n + c] = c <= r ? t.S[c][r - c] : 0.0;
    tables_free(&t);
    return RMCT_OK;
}

/* ---------------- models ---------------- */

/* Check the shared options and reconstruct the inflows of the initial stock's cohorts into eff[0..H). */
static rmct_code setup(const rmct_dsm_opts *o, tables *t, double **eff, rmct_error *err)
{
    *eff = NULL;
    if (o->n < 1) return rmct_error_set(err, RMCT_E_ARG, "expected at least one year, got %d", o->n);
    if (o->n_hist < 0 || (o->n_hist > 0 && !o->initial_stock))
        return rmct_error_set(err, RMCT_E_ARG, "expected an initial stock of %d cohorts", o->n_hist);
    int N = o->n_hist + o->n;
    if (N > RMCT_DSM_MAX_YEARS)
        return rmct_error_set(err, RMCT_E_ARG, "expected at most %d cohorts (initial stock and model years), got %d",
                              RMCT_DSM_MAX_YEARS, N);
    if (o->n_lt != 1 && o->n_lt != N)
        return rmct_error_set(err, RMCT_E_ARG,
                              "expected one lifetime for every cohort or one per cohort (%d = %d of the initial stock + %d "
                              "years), got %d lifetimes",
                              N, o->n_hist, o->n, o->n_lt);
    if (check_lts(o->lt, o->n_lt, N, err)) return err->code;
    for (int c = 0; c < o->n_hist; c++)
        if (!isfinite(o->initial_stock[c]) || o->initial_stock[c] < 0)
            return rmct_error_set(err, RMCT_E_ARG, "initial stock, cohort %d of %d: expected a number >= 0, got %g", c + 1,
                                  o->n_hist, o->initial_stock[c]);
    if (tables_build(o->lt, o->n_lt, N, t, err)) return err->code;
    *eff = calloc((size_t)N, sizeof **eff);
    if (!*eff) {
        tables_free(t);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    int H = o->n_hist;
    for (int c = 0; c < H; c++) {
        double s = t->S[c][H - 1 - c];
        if (o->initial_stock[c] == 0) continue;
        if (!(s > 0)) {
            char b[64];
            rmct_lifetime_format(&o->lt[o->n_lt == 1 ? 0 : c], b, sizeof b);
            free(*eff);
            *eff = NULL;
            tables_free(t);
            return rmct_error_set(err, RMCT_E_ARG,
                                  "initial stock, cohort %d of %d (age %d): expected no stock at an age the lifetime %s "
                                  "leaves no survivors at, got %g",
                                  c + 1, H, H - 1 - c, b, o->initial_stock[c]);
        }
        (*eff)[c] = o->initial_stock[c] / s;
    }
    if (o->hist_inflow)
        for (int c = 0; c < H; c++) o->hist_inflow[c] = (*eff)[c];
    return RMCT_OK;
}

static double initial_total(const rmct_dsm_opts *o)
{
    double s = 0;
    for (int c = 0; c < o->n_hist; c++) s += o->initial_stock[c];
    return s;
}

static void info_reset(rmct_dsm_info *info)
{
    if (!info) return;
    memset(info, 0, sizeof *info);
    info->first_negative = -1;
}

rmct_code rmct_dsm_inflow_driven(const rmct_dsm_opts *o, const double *inflow, double *outflow, double *stock,
                                 double *stock_change, rmct_dsm_info *info, rmct_error *err)
{
    info_reset(info);
    for (int y = 0; y < o->n; y++)
        if (!isfinite(inflow[y]) || inflow[y] < 0)
            return rmct_error_set(err, RMCT_E_ARG, "inflow, year %d of %d: expected a number >= 0, got %g", y + 1, o->n,
                                  inflow[y]);
    tables t;
    double *eff;
    if (setup(o, &t, &eff, err)) return err->code;
    int H = o->n_hist, N = H + o->n;
    for (int y = 0; y < o->n; y++) eff[H + y] = inflow[y];
    bool one = o->n_lt == 1;
    for (int m = H; m < N; m++) {
        double s = 0, out = 0;
        if (one) {
            const double *S = t.S[0], *D = t.D[0];
            for (int c = 0; c <= m; c++) {
                s += eff[c] * S[m - c];
                out += eff[c] * D[m - c];
            }
        } else {
            for (int c = 0; c <= m; c++) {
                s += eff[c] * t.S[c][m - c];
                out += eff[c] * t.D[c][m - c];
            }
        }
        int y = m - H;
        stock[y] = s;
        outflow[y] = out;
        if (o->s_c || o->o_c)
            for (int c = 0; c < N; c++) {
                if (o->s_c) o->s_c[(size_t)y * N + c] = c <= m ? eff[c] * t.S[c][m - c] : 0.0;
                if (o->o_c) o->o_c[(size_t)y * N + c] = c <= m ? eff[c] * t.D[c][m - c] : 0.0;
            }
    }
    stock_change[0] = stock[0] - initial_total(o);
    for (int y = 1; y < o->n; y++) stock_change[y] = stock[y] - stock[y - 1];
    free(eff);
    tables_free(&t);
    return RMCT_OK;
}

rmct_code rmct_dsm_stock_driven(const rmct_dsm_opts *o, const double *stock, double *inflow, double *outflow,
                                double *stock_change, double *model_stock, rmct_dsm_info *info, rmct_error *err)
{
    rmct_dsm_info local;
    if (!info) info = &local;
    info_reset(info);
    for (int y = 0; y < o->n; y++)
        if (!isfinite(stock[y]) || stock[y] < 0)
            return rmct_error_set(err, RMCT_E_ARG, "stock, year %d of %d: expected a number >= 0, got %g", y + 1, o->n,
                                  stock[y]);
    tables t;
    double *eff;
    if (setup(o, &t, &eff, err)) return err->code;
    int H = o->n_hist, N = H + o->n;
    bool one = o->n_lt == 1;
    double prev_total = initial_total(o);
    for (int m = H; m < N; m++) {
        int y = m - H;
        /* stock at the end of year m and outflow during it of the cohorts before m */
        double s = 0, out = 0;
        if (one) {
            const double *S = t.S[0], *D = t.D[0];
            for (int c = 0; c < m; c++) {
                s += eff[c] * S[m - c];
                out += eff[c] * D[m - c];
            }
        } else {
            for (int c = 0; c < m; c++) {
                s += eff[c] * t.S[c][m - c];
                out += eff[c] * t.D[c][m - c];
            }
        }
        if (o->o_c)
            for (int c = 0; c < N; c++) o->o_c[(size_t)y * N + c] = c < m ? eff[c] * t.D[c][m - c] : 0.0;
        double test = stock[y] - s, s0 = t.S[m][0], total;
        if (o->nic && test < 0) {
            /* release the excess from every older cohort in proportion, inflow 0 */
            double delta = s != 0 ? -test / s : 0;
            if (o->o_c)
                for (int c = 0; c < m; c++) o->o_c[(size_t)y * N + c] += eff[c] * t.S[c][m - c] * delta;
            out += s * delta;
            for (int c = 0; c < m; c++) eff[c] *= 1 - delta;
            eff[m] = 0;
            total = s * (1 - delta);
            info->corrected_years++;
            if (info->first_negative < 0) info->first_negative = y;
        } else {
            eff[m] = s0 != 0 ? test / s0 : 0;
            if (s0 == 0 && test > 0) info->unmet_years++;
            if (eff[m] < 0) {
                info->negative_years++;
                if (info->first_negative < 0) info->first_negative = y;
            }
            out += eff[m] * (1 - s0);
            if (o->o_c) o->o_c[(size_t)y * N + m] = eff[m] * (1 - s0);
            total = s + eff[m] * s0;
        }
        inflow[y] = eff[m];
        outflow[y] = out;
        if (model_stock) model_stock[y] = total;
        stock_change[y] = total - prev_total;
        prev_total = total;
        if (o->s_c)
            for (int c = 0; c < N; c++) o->s_c[(size_t)y * N + c] = c <= m ? eff[c] * t.S[c][m - c] : 0.0;
    }
    free(eff);
    tables_free(&t);
    return RMCT_OK;
}

/* ---------------- series files ---------------- */

rmct_code rmct_series_read(const char *path, int first_year, bool nonnegative, double **out, int *n, int *years,
                           rmct_error *err)
{
    *out = NULL;
    *n = 0;
    *years = first_year;
    rmct_csv *csv;
    if (rmct_csv_open(&csv, path, NULL, err)) return err->code;
    size_t cap = 0;
    double *v = NULL;
    int cols = 0, year0 = 0, rows = 0;
    bool first = true, got;
    rmct_code rc = RMCT_OK;
    while (!(rc = rmct_csv_next(csv, &got, err)) && got) {
        size_t nf = rmct_csv_count(csv);
        if (nf == 1 && !*rmct_trim((char *)rmct_csv_get(csv, 0))) continue;
        if (nf > 2) {
            rc = rmct_csv_field_error(csv, 2, err, "expected one value per line, or year,value; got %zu fields", nf);
            break;
        }
        double x;
        if (first) {
            first = false;
            cols = (int)nf;
            if (!rmct_parse_double(rmct_csv_get(csv, (int)nf - 1), false, &x)) continue; /* a header line */
        }
        if ((int)nf != cols) {
            rc = rmct_error_at(err, rmct_csv_name(csv), rmct_csv_line(csv, 0), 1, NULL,
                               "expected %d field%s on every line, as on the first, got %zu", cols, cols == 1 ? "" : "s", nf);
            break;
        }
        int vi = cols - 1;
        if (!rmct_parse_double(rmct_csv_get(csv, vi), false, &x)) {
            char q[64];
            rc = rmct_csv_field_error(csv, vi, err, "expected a number, got \"%s\"",
                                      rmct_error_quote(rmct_csv_get(csv, vi), q, sizeof q));
            break;
        }
        if (nonnegative && x < 0) {
            rc = rmct_csv_field_error(csv, vi, err, "expected a number >= 0, got %g", x);
            break;
        }
        if (cols == 2) {
            long yr;
            if (!rmct_parse_long(rmct_csv_get(csv, 0), -100000, 100000, &yr)) {
                char q[64];
                rc = rmct_csv_field_error(csv, 0, err, "expected a year (an integer), got \"%s\"",
                                          rmct_error_quote(rmct_csv_get(csv, 0), q, sizeof q));
                break;
            }
            if (rows == 0) year0 = (int)yr;
            else if (yr != year0 + rows) {
                rc = rmct_csv_field_error(csv, 0, err, "expected consecutive years, %d after %d, got %ld", year0 + rows,
                                          year0 + rows - 1, yr);
                break;
            }
        }
        if ((size_t)rows == cap) {
            cap = cap ? 2 * cap : 64;
            double *p = realloc(v, cap * sizeof *v);
            if (!p) {
                rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                break;
            }
            v = p;
        }
        if (rows >= RMCT_DSM_MAX_YEARS) {
            rc = rmct_csv_field_error(csv, vi, err, "expected at most %d years", RMCT_DSM_MAX_YEARS);
            break;
        }
        v[rows++] = x;
    }
    if (!rc && rows == 0) rc = rmct_error_at(err, rmct_csv_name(csv), 0, 0, NULL, "expected at least one value, got none");
    rmct_csv_close(csv);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *n = rows;
    if (cols == 2) *years = year0;
    return RMCT_OK;
}
