/* bench.c: times the criticality assessment: the 35 types x 2 stages for 10 assessment years in one
 * process, and a 10,000-sample Monte Carlo of one year (issue goals: under 1 s and under 30 s).
 *   bench DB METHOD_FILE [SAMPLES] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "assess.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench DB METHOD_FILE [SAMPLES]\n");
        return 2;
    }
    int samples = argc > 3 ? atoi(argv[3]) : 10000;
    rmct_error err;
    rmct_db *db;
    rmct_method m;
    if (rmct_db_open(&db, argv[1], false, &err) || rmct_method_load(argv[2], &m, &err)) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 1;
    }
    double t0 = now();
    size_t total = 0;
    for (int year = 2016; year <= 2025; year++) {
        rmct_assess_query q = {year, false, "KOR", 0};
        rmct_assessment *a;
        size_t n;
        if (rmct_assess(db, &m, &q, &a, &n, &err)) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 1;
        }
        for (size_t i = 0; i < n; i++) total += a[i].has_sr;
        rmct_assessments_free(a, n);
    }
    double t1 = now();
    rmct_assess_query q = {0, false, "KOR", 0};
    rmct_assessment *a;
    size_t n;
    if (rmct_assess(db, &m, &q, &a, &n, &err)) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 1;
    }
    double t2 = now();
    rmct_assess_monte_carlo(&m, a, n, samples, 1);
    double t3 = now();
    printf("assessment, 35 types x 2 stages x 10 years (2016-2025): %.3f s (%zu metal-years assessed), goal < 1 s: %s\n",
           t1 - t0, total, t1 - t0 < 1 ? "met" : "NOT met");
    printf("Monte Carlo, %d samples of every type (one year): %.3f s (+ %.3f s to assemble the inputs), goal < 30 s: %s\n", samples,
           t3 - t2, t2 - t1, t3 - t2 < 30 ? "met" : "NOT met");
    rmct_assessments_free(a, n);
    rmct_db_close(db);
    return 0;
}
