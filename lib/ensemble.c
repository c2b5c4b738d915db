/* ensemble.c: many futures of one model on threads, and their statistics.
 *
 * Futures are handed out in fixed blocks through an atomic counter; each future's totals go to its
 * own slot of `totals`, and the per-month histograms and fixed-point sums are integers, so the
 * result is the same bit for bit whatever the number of threads, the order the blocks finish in,
 * or how MPI ranks split the range (docs/SIMULATION.md, "Monte Carlo"). */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

#define BLOCK 64
#define FX_SCALE 4294967296.0   /* 2^32: fixed-point unit of the monthly sums */

typedef struct {
    const rmct_model *m;
    const rmct_ensemble_opts *o;
    rmct_ensemble *e;
    atomic_long next;         /* next block, relative to o->first */
    atomic_long done;
    atomic_int failed;
    atomic_int cancelled;     /* o->cancel was seen set */
    pthread_mutex_t lock;     /* merging a thread's integers into e */
} job;

static void work(job *j, bool main_thread)
{
    const rmct_model *m = j->m;
    const rmct_ensemble_opts *o = j->o;
    rmct_ensemble *e = j->e;
    size_t cells = (size_t)m->n_series * m->T;
    sim_scratch *s = sim_scratch_new(m);
    int64_t *hist = calloc(cells * RMCT_HIST_BINS, sizeof *hist);
    int64_t *sum = calloc(cells ? cells : 1, sizeof *sum);
    if (!s || !hist || !sum) {
        atomic_store(&j->failed, 1);
        goto out;
    }
    int64_t episodes = 0, disrupted = 0;
    const int T = m->T;
    for (;;) {
        long b = atomic_fetch_add(&j->next, 1);
        long lo = b * BLOCK;
        if (lo >= o->count || atomic_load(&j->failed)) break;
        if (o->cancel && *o->cancel) {   /* checked between blocks: a cancelled run stops within one block */
            atomic_store(&j->cancelled, 1);
            break;
        }
        long hi = lo + BLOCK < o->count ? lo + BLOCK : o->count;
        for (long f = lo; f < hi; f++) {
            long k = o->first + f;
            sim_future(m, s, true, o->hazards, o->seed, k, NULL);
            memcpy(e->totals + (size_t)f * m->n_metrics, sim_scratch_metrics(s), (size_t)m->n_metrics * sizeof(double));
            int n_ep = sim_scratch_episodes(s);
            episodes += n_ep;
            disrupted += n_ep > 0;
            int *slo, *shi;
            double *ser = sim_scratch_series(s, &slo, &shi);
            for (int q = 0; q < m->n_series; q++) {
                if (slo[q] >= shi[q]) continue;
                double norm = m->series[q].normal;
                double inv = norm > 0 ? 1 / norm : 0;
                double *row = ser + (size_t)q * T;
                for (int t = slo[q]; t < shi[q]; t++) {
                    double x = row[t] * inv;
                    row[t] = 0;
                    if (!(x > 1e-12)) continue;
                    int bin = (int)(x * 200);
                    if (bin > RMCT_HIST_BINS - 1) bin = RMCT_HIST_BINS - 1;
                    size_t c = (size_t)q * T + t;
                    hist[c * RMCT_HIST_BINS + bin]++;
                    sum[c] += (int64_t)(x * FX_SCALE + 0.5);   /* x > 0: rounds to nearest */
                }
                slo[q] = T, shi[q] = 0;
            }
        }
        long d = atomic_fetch_add(&j->done, hi - lo) + (hi - lo);
        if (o->progress && main_thread) o->progress(o->progress_ctx, d, o->count);
    }
    pthread_mutex_lock(&j->lock);
    for (size_t c = 0; c < cells * RMCT_HIST_BINS; c++) e->hist[c] += hist[c];
    for (size_t c = 0; c < cells; c++) e->sum_fx[c] += sum[c];
    e->episodes += episodes;
    e->futures_disrupted += disrupted;
    pthread_mutex_unlock(&j->lock);
out:
    sim_scratch_free(s);
    free(hist);
    free(sum);
}

static void *worker(void *arg)
{
    work(arg, false);
    return NULL;
}

void rmct_ensemble_free(rmct_ensemble *e)
{
    if (!e) return;
    free(e->totals);
    free(e->hist);
    free(e->sum_fx);
    free(e);
}

rmct_code rmct_ensemble_alloc(const rmct_model *m, long runs, long first, long count, rmct_ensemble **out,
                              rmct_error *err)
{
    *out = NULL;
    if (runs < 1 || first < 0 || count < 0 || first + count > runs)
        return rmct_error_set(err, RMCT_E_ARG, "bad ensemble range %ld+%ld of %ld futures", first, count, runs);
    rmct_ensemble *e = calloc(1, sizeof *e);
    if (!e) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    e->runs = runs;
    e->first = first;
    e->count = count;
    e->metrics = m->n_metrics;
    e->series = m->n_series;
    e->months = m->T;
    size_t cells = (size_t)m->n_series * m->T;
    e->totals = malloc(((size_t)count * m->n_metrics + 1) * sizeof *e->totals);
    e->hist = calloc(cells * RMCT_HIST_BINS + 1, sizeof *e->hist);
    e->sum_fx = calloc(cells + 1, sizeof *e->sum_fx);
    if (!e->totals || !e->hist || !e->sum_fx) {
        rmct_ensemble_free(e);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory for %ld futures x %d totals", count, m->n_metrics);
    }
    *out = e;
    return RMCT_OK;
}

rmct_code rmct_ensemble_run(const rmct_model *m, const rmct_ensemble_opts *o, rmct_ensemble **out, rmct_error *err)
{
    if (o->threads < 1 || o->threads > 256) return rmct_error_set(err, RMCT_E_ARG, "threads: expected 1 to 256, got %d", o->threads);
    if (rmct_ensemble_alloc(m, o->runs, o->first, o->count, out, err)) return err->code;
    job j = {.m = m, .o = o, .e = *out};
    atomic_init(&j.next, 0);
    atomic_init(&j.done, 0);
    atomic_init(&j.failed, 0);
    atomic_init(&j.cancelled, 0);
    pthread_mutex_init(&j.lock, NULL);
    int nt = o->threads;
    pthread_t *th = calloc((size_t)nt, sizeof *th);
    int started = 0;
    if (!th) atomic_store(&j.failed, 1);
    else
        for (; started < nt - 1; started++)
            if (pthread_create(&th[started], NULL, worker, &j)) break;
    work(&j, true);   /* this thread works too, and reports progress */
    for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
    free(th);
    pthread_mutex_destroy(&j.lock);
    if (atomic_load(&j.failed)) {
        rmct_ensemble_free(*out);
        *out = NULL;
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory in an ensemble thread");
    }
    if (atomic_load(&j.cancelled)) {
        rmct_ensemble_free(*out);
        *out = NULL;
        return rmct_error_set(err, RMCT_E_CANCELLED, "the ensemble was cancelled after %ld of %ld futures",
                              atomic_load(&j.done), o->count);
    }
    if (o->progress) o->progress(o->progress_ctx, o->count, o->count);
    return RMCT_OK;
}

/* ---------------- statistics ---------------- */

/* The k-th smallest of v[0..n) (0-based), moving it to v[k], smaller ones before it and larger ones
 * after (Hoare's selection with a median-of-three pivot): linear time, where a sort of a million
 * values per metric took seconds. */
static double select_k(double *v, long n, long k)
{
    long lo = 0, hi = n - 1;
    while (hi > lo) {
        long mid = lo + (hi - lo) / 2;
        double a = v[lo], b = v[mid], c = v[hi];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j], v[j] = t;
                i++, j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else break;
    }
    return v[k];
}

/* Quantile q of v[0..n) (type 7: linear interpolation between order statistics); reorders v. */
static double quantile_select(double *v, long n, double q)
{
    if (n <= 0) return 0;
    double h = (n - 1) * q;
    long lo = (long)floor(h);
    double a = select_k(v, n, lo);
    if (lo >= n - 1 || h == lo) return a;
    double b = v[lo + 1];
    for (long i = lo + 2; i < n; i++)
        if (v[i] < b) b = v[i];
    return a + (h - lo) * (b - a);
}

/* Quantile q from a histogram of non-zero values (bin b covers [b, b+1) / 200) plus `zeros`. */
static double quantile_hist(const int64_t *hist, int64_t zeros, int64_t n, double q)
{
    double target = q * (double)n;
    if (target <= (double)zeros) return 0;
    double acc = (double)zeros;
    for (int b = 0; b < RMCT_HIST_BINS; b++) {
        if (!hist[b]) continue;
        if (acc + (double)hist[b] >= target) {
            double f = (target - acc) / (double)hist[b];
            return (b + f) / 200.0;
        }
        acc += (double)hist[b];
    }
    return (RMCT_HIST_BINS) / 200.0;
}

void rmct_ensemble_stats_free(rmct_ensemble_stats *s)
{
    free(s->metric);
    free(s->month);
    memset(s, 0, sizeof *s);
}

rmct_code rmct_ensemble_stats_compute(const rmct_model *m, const rmct_ensemble *e, rmct_ensemble_stats *out,
                                      rmct_error *err)
{
    memset(out, 0, sizeof *out);
    if (e->first != 0 || e->count != e->runs) return rmct_error_set(err, RMCT_E_ARG, "statistics need the whole ensemble");
    long n = e->runs;
    int M = e->metrics;
    out->metric = calloc((size_t)M, sizeof *out->metric);
    out->month = calloc((size_t)e->series * e->months + 1, sizeof *out->month);
    double *v = malloc((size_t)n * sizeof *v);
    if (!out->metric || !out->month || !v) {
        free(v);
        rmct_ensemble_stats_free(out);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    /* futures with any metal or product short */
    long any = 0;
    for (long f = 0; f < n; f++) {
        const double *row = e->totals + (size_t)f * M;
        bool hit = false;
        for (int k = 0; k < M && !hit; k++) {
            const rmct_metric_info *mi = &m->metric[k];
            double norm = mi->kind == RMCT_METRIC_METAL_T ? m->series[mi->ref].normal
                          : mi->kind == RMCT_METRIC_FINAL_UNITS ? m->fd0[mi->ref] : 0;
            if (mi->kind == RMCT_METRIC_METAL_T || mi->kind == RMCT_METRIC_FINAL_UNITS) hit = row[k] > 1e-9 * norm;
        }
        any += hit;
    }
    out->p_any_shortfall = (double)any / (double)n;
    for (int k = 0; k < M; k++) {
        const rmct_metric_info *mi = &m->metric[k];
        double norm = mi->kind == RMCT_METRIC_METAL_T ? m->series[mi->ref].normal
                      : mi->kind == RMCT_METRIC_FINAL_UNITS ? m->fd0[mi->ref]
                      : mi->kind == RMCT_METRIC_SECTOR_USD ? m->series[mi->ref].normal : 0;
        if (mi->kind == RMCT_METRIC_TOTAL_USD)
            for (int s = 0; s < m->n_sectors; s++) norm += m->series[m->n_metals + s].normal;
        double sum = 0;
        long pos = 0;
        /* sum in future order: the same whatever split computed them */
        for (long f = 0; f < n; f++) {
            double x = e->totals[(size_t)f * M + k];
            v[f] = x;
            sum += x;
            pos += x > 1e-9 * norm;
        }
        rmct_metric_stats *st = &out->metric[k];
        st->mean = sum / (double)n;
        st->p_any = (double)pos / (double)n;
        st->max = v[0];
        for (long f = 1; f < n; f++)
            if (v[f] > st->max) st->max = v[f];
        st->p50 = quantile_select(v, n, 0.50);
        st->p95 = quantile_select(v, n, 0.95);
        st->p99 = quantile_select(v, n, 0.99);
    }
    free(v);
    for (int s = 0; s < e->series; s++)
        for (int t = 0; t < e->months; t++) {
            size_t c = (size_t)s * e->months + t;
            const int64_t *h = e->hist + c * RMCT_HIST_BINS;
            int64_t nz = 0;
            for (int b = 0; b < RMCT_HIST_BINS; b++) nz += h[b];
            int64_t zeros = n - nz;
            rmct_month_stats *ms = &out->month[c];
            ms->mean = (double)e->sum_fx[c] / FX_SCALE / (double)n;
            ms->p05 = quantile_hist(h, zeros, n, 0.05);
            ms->p50 = quantile_hist(h, zeros, n, 0.50);
            ms->p95 = quantile_hist(h, zeros, n, 0.95);
        }
    return RMCT_OK;
}

rmct_code rmct_ensemble_absorb(rmct_ensemble *whole, const rmct_ensemble *part, rmct_error *err)
{
    if (part->metrics != whole->metrics || part->series != whole->series || part->months != whole->months ||
        part->first < whole->first || part->first + part->count > whole->first + whole->count)
        return rmct_error_set(err, RMCT_E_ARG, "ensemble part %ld+%ld does not fit %ld+%ld", part->first, part->count,
                              whole->first, whole->count);
    memcpy(whole->totals + (size_t)(part->first - whole->first) * whole->metrics, part->totals,
           (size_t)part->count * part->metrics * sizeof(double));
    size_t cells = (size_t)part->series * part->months;
    for (size_t c = 0; c < cells * RMCT_HIST_BINS; c++) whole->hist[c] += part->hist[c];
    for (size_t c = 0; c < cells; c++) whole->sum_fx[c] += part->sum_fx[c];
    whole->episodes += part->episodes;
    whole->futures_disrupted += part->futures_disrupted;
    return RMCT_OK;
}
