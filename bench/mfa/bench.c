/* bench.c: times RMCT's stock-driven dynamic stock model (lib/dsm.c) on the inputs bench/mfa/odym_bench.py
 * wrote, and writes the results for the check against ODYM.
 *   bench INPUTS.csv RESULTS.csv REPS_SINGLE REPS_BATCH
 * INPUTS.csv: one line per system, "mean,sd,s_0,...,s_{n-1}" (normal lifetime, stock at year end).
 * Prints "single_s BATCH_s" (medians, seconds) on stdout: the first system alone, then all of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsm.h"

#define MAXN 1000
#define MAXS 1000

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double stock[MAXS][MAXN], in[MAXS][MAXN], out[MAXS][MAXN], ds[MAXN], ms[MAXN];
static rmct_lifetime lt[MAXS];

static void run(int s, int n)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_dsm_opts o = {n, &lt[s], 1, 0, NULL, false, NULL, NULL, NULL};
    if (rmct_dsm_stock_driven(&o, stock[s], in[s], out[s], ds, ms, NULL, &err)) {
        fprintf(stderr, "bench: system %d: %s\n", s, err.msg);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench INPUTS.csv RESULTS.csv REPS_SINGLE REPS_BATCH\n");
        return 2;
    }
    FILE *fp = fopen(argv[1], "r");
    if (!fp) {
        perror(argv[1]);
        return 1;
    }
    static char line[1 << 20];
    int ns = 0, n = 0;
    while (ns < MAXS && fgets(line, sizeof line, fp)) {
        char *p = line, *e;
        lt[ns].kind = RMCT_LT_NORMAL;
        lt[ns].a = strtod(p, &e), p = e + 1;
        lt[ns].b = strtod(p, &e), p = e;
        int k = 0;
        while (*p == ',' && k < MAXN) stock[ns][k++] = strtod(p + 1, &e), p = e;
        if (n && k != n) {
            fprintf(stderr, "bench: %s: systems of different lengths\n", argv[1]);
            return 1;
        }
        n = k;
        ns++;
    }
    fclose(fp);
    int r1 = atoi(argv[3]), r2 = atoi(argv[4]);
    double *t1 = malloc((size_t)r1 * sizeof *t1), *t2 = malloc((size_t)r2 * sizeof *t2);
    for (int r = 0; r < r1; r++) {
        double t0 = now();
        run(0, n);
        t1[r] = now() - t0;
    }
    for (int r = 0; r < r2; r++) {
        double t0 = now();
        for (int s = 0; s < ns; s++) run(s, n);
        t2[r] = now() - t0;
    }
    fp = fopen(argv[2], "w");
    fprintf(fp, "system,year,inflow,outflow\n");
    for (int s = 0; s < ns; s++)
        for (int y = 0; y < n; y++) fprintf(fp, "%d,%d,%.17g,%.17g\n", s, y, in[s][y], out[s][y]);
    fclose(fp);
    printf("%.9f %.9f %d %d\n", median(t1, r1), median(t2, r2), ns, n);
    free(t1);
    free(t2);
    return 0;
}
