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

/* Add a thread's 16-bit histogram counts into the ensemble's and zero them. */
static void flush_hist(job *j, uint16_t *hist, size_t n)
{
    pthread_mutex_lock(&j->lock);
    for (size_t c = 0; c < n; c++) j->e->hist[c] += hist[c];
    pthread_mutex_unlock(&j->lock);
    memset(hist, 0, n * sizeof *hist);
}

static void work(job *j, bool main_thread)
{
    const rmct_model *m = j->m;
    const rmct_ensemble_opts *o = j->o;
    rmct_ensemble *e = j->e;
    size_t cells = (size_t)m->n_series * m->T;
    sim_lanes *L = sim_lanes_new(m);
    /* a future adds at most one count to a histogram cell, so 16-bit counts flushed every 65,535
     * futures never overflow; they keep a thread's histograms (about 2 MB) in its core's cache */
    uint16_t *hist = calloc(cells * RMCT_HIST_BINS + 1, sizeof *hist);
    long since_flush = 0;
    int64_t *sum = calloc(cells ? cells : 1, sizeof *sum);
    if (!L || !hist || !sum) {
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
        if (since_flush + (hi - lo) > UINT16_MAX) {
            flush_hist(j, hist, cells * RMCT_HIST_BINS);
            since_flush = 0;
        }
        since_flush += hi - lo;
        for (long g = lo; g < hi; g += SIM_BATCH) {
            int used = hi - g < SIM_BATCH ? (int)(hi - g) : SIM_BATCH;
            sim_lanes_run(m, L, used, o->hazards, o->seed, o->first + g);
            for (int l = 0; l < used; l++) {
                long f = g + l;
                sim_scratch *s = sim_lanes_scratch(L, l);
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
        }
        long d = atomic_fetch_add(&j->done, hi - lo) + (hi - lo);
        if (o->progress && main_thread) o->progress(o->progress_ctx, d, o->count);
    }
    flush_hist(j, hist, cells * RMCT_HIST_BINS);
    pthread_mutex_lock(&j->lock);
    for (size_t c = 0; c < cells; c++) e->sum_fx[c] += sum[c];
    e->episodes += episodes;
    e->futures_disrupted += disrupted;
    pthread_mutex_unlock(&j->lock);
out:
    sim_lanes_free(L);
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Order statistic k (0-based) of the values counted in one band pass: `below` values under L,
 * `eq` equal to L, then the band (L, U]; false if k is not among them. Reorders band. */
static bool band_rank(long k, long below, long eq, double L, double *band, long nb, double *out)
{
    k -= below;
    if (k < 0) return false;
    if (k < eq) {
        *out = L;
        return true;
    }
    k -= eq;
    if (k >= nb) return false;
    *out = select_k(band, nb, k);
    return true;
}

#define Q_SAMPLE 4096
#define Q_MARGIN 96

/* quantiles3 by sampling (Floyd and Rivest's idea): a fixed strided sample of Q_SAMPLE values,
 * sorted, brackets each wanted rank between two sample values; one pass counts the values below
 * each bracket and keeps those inside it (up to cap each, in band), and the order statistics are
 * selected within the brackets. Exact, like quantiles3; false (nothing written) if a rank fell
 * outside its bracket or a bracket overflowed, then the caller selects over everything. */
static bool quantiles3_sampled(const double *v, long n, const double q[3], double *out[3], double *band, long cap)
{
    double smp[Q_SAMPLE];
    for (int i = 0; i < Q_SAMPLE; i++) smp[i] = v[(long)((double)i * (double)n / Q_SAMPLE)];
    qsort(smp, Q_SAMPLE, sizeof *smp, cmp_double);
    double L[3], U[3];
    long r[3], below[3] = {0, 0, 0}, eq[3] = {0, 0, 0}, nb[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        r[i] = (long)floor((n - 1) * q[i]);
        long p = (long)((double)r[i] / (double)n * Q_SAMPLE);
        L[i] = p - Q_MARGIN >= 0 ? smp[p - Q_MARGIN] : -HUGE_VAL;
        U[i] = p + Q_MARGIN + 1 < Q_SAMPLE ? smp[p + Q_MARGIN + 1] : HUGE_VAL;
    }
    for (int i = 0; i < 3; i++) {
        double *bd = band + i * cap, lo = L[i], hi = U[i];
        long bl = 0, e = 0, k = 0;
        for (long f = 0; f < n; f++) {
            double x = v[f];
            bl += x < lo;
            e += x == lo;
            bd[k] = x;                        /* kept only if inside the bracket */
            k += (x > lo) & (x <= hi);
            if (k == cap) return false;
        }
        below[i] = bl, eq[i] = e, nb[i] = k;
    }
    double res[3];
    for (int i = 0; i < 3; i++) {
        double h = (n - 1) * q[i], a, b;
        if (!band_rank(r[i], below[i], eq[i], L[i], band + i * cap, nb[i], &a)) return false;
        res[i] = a;
        if (r[i] < n - 1 && h != r[i]) {
            if (!band_rank(r[i] + 1, below[i], eq[i], L[i], band + i * cap, nb[i], &b)) return false;
            res[i] = a + (h - r[i]) * (b - a);
        }
    }
    for (int i = 0; i < 3; i++) *out[i] = res[i];
    return true;
}

/* The 50th, 95th and 99th percentiles of v[0..n) (type 7: linear interpolation between order
 * statistics); may reorder v. band: 3 x cap doubles of working memory for the sampled way (cap 0:
 * none). Else each selection leaves the values above its rank after it, so the next one searches
 * only those. */
static void quantiles3(double *v, long n, double *p50, double *p95, double *p99, double *band, long cap)
{
    const double q[3] = {0.50, 0.95, 0.99};
    double *out[3] = {p50, p95, p99};
    if (n >= 16 * Q_SAMPLE && cap > 0 && quantiles3_sampled(v, n, q, out, band, cap)) return;
    long from = 0;
    for (int i = 0; i < 3; i++) {
        if (n <= 0) {
            *out[i] = 0;
            continue;
        }
        double h = (n - 1) * q[i];
        long lo = (long)floor(h);
        if (lo < from) lo = from;   /* never: the ranks increase */
        double a = select_k(v + from, n - from, lo - from);
        double r = a;
        if (lo < n - 1 && h != lo) {
            double b = v[lo + 1];
            for (long k = lo + 2; k < n; k++)
                if (v[k] < b) b = v[k];
            r = a + (h - lo) * (b - a);
        }
        *out[i] = r;
        from = lo;
    }
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

/* Metrics are gathered a group at a time, so that the future-major totals are read once per group
 * rather than once per metric (a million futures x 37 metrics is 300 MB). */
enum { STATS_GROUP = 8 };

typedef struct {
    const rmct_model *m;
    const rmct_ensemble *e;
    rmct_ensemble_stats *out;
    int group;
    atomic_int next;          /* next group's first metric */
} stats_job;

/* Metrics g .. g+gn-1: mean, P(any), maximum, P50/P95/P99. v: n x gn doubles; band: 3 x band_cap
 * (or NULL). Each metric's figures depend only on its own column, in future order. */
static void stats_group(stats_job *sj, int g, int gn, double *v, double *band, long band_cap)
{
    const rmct_model *m = sj->m;
    const rmct_ensemble *e = sj->e;
    long n = e->runs;
    int M = e->metrics;
    double norm[STATS_GROUP], sum[STATS_GROUP], max[STATS_GROUP];
    long pos[STATS_GROUP];
    for (int j = 0; j < gn; j++) {
        const rmct_metric_info *mi = &m->metric[g + j];
        norm[j] = mi->kind == RMCT_METRIC_METAL_T ? m->series[mi->ref].normal
                  : mi->kind == RMCT_METRIC_FINAL_UNITS ? m->fd0[mi->ref]
                  : mi->kind == RMCT_METRIC_SECTOR_USD ? m->series[mi->ref].normal : 0;
        if (mi->kind == RMCT_METRIC_TOTAL_USD)
            for (int s = 0; s < m->n_sectors; s++) norm[j] += m->series[m->n_metals + s].normal;
        sum[j] = 0, pos[j] = 0, max[j] = n > 0 ? e->totals[g + j] : 0;
    }
    /* sums in future order: the same whatever split computed them; a block of futures at a time
     * stays in cache while each metric of the group is read from it */
    for (long fb = 0; fb < n; fb += 4096) {
        long fe = fb + 4096 < n ? fb + 4096 : n;
        for (int j = 0; j < gn; j++) {
            const double *col_in = e->totals + g + j;
            double *col = v + (size_t)j * n, sjm = sum[j], mj = max[j], lim = 1e-9 * norm[j];
            long pj = pos[j];
            for (long f = fb; f < fe; f++) {
                double x = col_in[(size_t)f * M];
                col[f] = x;
                sjm += x;
                pj += x > lim;
                mj = x > mj ? x : mj;
            }
            sum[j] = sjm, max[j] = mj, pos[j] = pj;
        }
    }
    for (int j = 0; j < gn; j++) {
        rmct_metric_stats *st = &sj->out->metric[g + j];
        st->mean = sum[j] / (double)n;
        st->p_any = (double)pos[j] / (double)n;
        st->max = max[j];
        quantiles3(v + (size_t)j * n, n, &st->p50, &st->p95, &st->p99, band, band ? band_cap : 0);
    }
}

/* Take groups until none is left; false if out of memory before any work (the other worker then
 * does them all). */
static bool stats_work(stats_job *sj)
{
    long n = sj->e->runs, band_cap = n / 16 + 1;
    int M = sj->e->metrics;
    double *v = malloc((size_t)n * sj->group * sizeof *v);
    double *band = malloc(3 * (size_t)band_cap * sizeof *band);   /* optional: exact selection without it */
    if (!v) {
        free(band);
        return false;
    }
    for (;;) {
        int g = atomic_fetch_add(&sj->next, sj->group);
        if (g >= M) break;
        stats_group(sj, g, M - g < sj->group ? M - g : sj->group, v, band, band_cap);
    }
    free(v);
    free(band);
    return true;
}

static void *stats_worker(void *arg)
{
    stats_work(arg);
    return NULL;
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
    if (!out->metric || !out->month) {
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
    /* the metric groups on two threads for large ensembles (each metric's figures are the same
     * whichever thread computes them) */
    stats_job sj = {.m = m, .e = e, .out = out, .group = M < STATS_GROUP ? (M > 0 ? M : 1) : STATS_GROUP};
    atomic_init(&sj.next, 0);
    pthread_t helper;
    bool helped = n >= 200000 && M > sj.group && pthread_create(&helper, NULL, stats_worker, &sj) == 0;
    bool ok = stats_work(&sj);
    if (helped) pthread_join(helper, NULL);
    if (!ok && atomic_load(&sj.next) < M) {   /* this thread had no memory and no helper took the rest */
        rmct_ensemble_stats_free(out);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
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
