/* hazard.c: default background hazards from the export-restriction register and the governance
 * indicators, and replacing them from a CSV file (docs/SIMULATION.md, "Background hazards"). */
#include "hazard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "critical.h"
#include "csv.h"
#include "events.h"
#include "text.h"

void rmct_hazards_free(rmct_hazard_set *set)
{
    free(set->h);
    memset(set, 0, sizeof *set);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* yyyymmdd -> months since year 0 */
static double months_of(long ymd) { return (double)(ymd / 10000) * 12 + (double)(ymd / 100 % 100 - 1) + (double)(ymd % 100 - 1) / 30.4; }

/* Median length in months of the register's restrictions that have both an effective and an end
 * date; *n gets how many there were. */
static rmct_code register_duration(rmct_db *db, double *median, int *n, rmct_error *err)
{
    rmct_event_query q = {0};
    rmct_event *ev = NULL;
    size_t k = 0;
    if (rmct_events_query(db, &q, &ev, &k, NULL, err)) return err->code;
    double *d = calloc(k + 1, sizeof *d);
    if (!d) {
        rmct_events_free(ev, k);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    *n = 0;
    for (size_t i = 0; i < k; i++) {
        long f1, l1, f2, l2;
        if (!rmct_event_restricts(ev[i].measure_type) || !ev[i].effective[0] || !ev[i].ended[0]) continue;
        if (!rmct_event_date_range(ev[i].effective, true, &f1, &l1) || !rmct_event_date_range(ev[i].ended, true, &f2, &l2))
            continue;
        double len = months_of(l2) - months_of(f1);
        if (len > 0) d[(*n)++] = len;
    }
    rmct_events_free(ev, k);
    qsort(d, (size_t)*n, sizeof *d, cmp_double);
    *median = *n == 0 ? NAN : *n % 2 ? d[*n / 2] : (d[*n / 2 - 1] + d[*n / 2]) / 2;
    free(d);
    return RMCT_OK;
}

rmct_code rmct_hazards_default(rmct_db *db, const char (*countries)[4], const char (*metals)[32], int n,
                               rmct_hazard_set *out, rmct_error *err)
{
    memset(out, 0, sizeof *out);
    int wgi_to = 0;
    sqlite3_stmt *st;
    if (rmct_db_prepare(db, &st, "SELECT max(year) FROM governance WHERE indicator = 'mean6'", err)) return err->code;
    if (sqlite3_step(st) == SQLITE_ROW) wgi_to = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    rmct_wgi *w = NULL;
    if (wgi_to && rmct_wgi_load(db, wgi_to - 4, wgi_to, &w, err)) return err->code;
    double dur_median = NAN;
    int n_dur = 0;
    if (register_duration(db, &dur_median, &n_dur, err)) {
        rmct_wgi_free(w);
        return err->code;
    }
    out->h = calloc((size_t)n + 1, sizeof *out->h);
    if (!out->h) {
        rmct_wgi_free(w);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    char dur_basis[160];
    if (n_dur >= 3)
        snprintf(dur_basis, sizeof dur_basis, "duration median %.1f months: the median of the %d restrictions in the "
                                              "register with an effective and an end date",
                 dur_median, n_dur);
    else {
        dur_median = 6;
        snprintf(dur_basis, sizeof dur_basis, "duration median 6 months: ASSUMPTION (fewer than 3 ended restrictions in the register)");
    }
    rmct_code rc = RMCT_OK;
    for (int i = 0; i < n && !rc; i++) {
        rmct_event_count c;
        rmct_event_window win;
        if ((rc = rmct_event_count_for(db, countries[i], metals[i], &c, &win, err))) break;
        int years = win.first_year ? win.last_year - win.first_year + 1 : 0;
        out->register_from = win.first_year;
        out->register_to = win.last_year;
        double wgi = w ? rmct_wgi_get(w, countries[i]) : NAN;
        double rate_rec = years > 0 ? (double)c.restrictions / years : 0;
        double rate_gov = isnan(wgi) ? RMCT_HAZARD_BASE_RATE : RMCT_HAZARD_BASE_RATE * wgi / 5.0;
        rmct_hazard *h = &out->h[out->n++];
        memcpy(h->country, countries[i], 4);
        rmct_strlcpy(h->metal, metals[i], sizeof h->metal);
        h->p_year = 1 - exp(-(rate_rec + rate_gov));
        h->depth_low = RMCT_HAZARD_DEPTH_LOW;
        h->depth_mode = RMCT_HAZARD_DEPTH_MODE;
        h->depth_high = RMCT_HAZARD_DEPTH_HIGH;
        h->duration_median = dur_median;
        h->duration_sdlog = RMCT_HAZARD_DURATION_SDLOG;
        h->events = c.restrictions;
        h->wgi = wgi;
        char gov[120];
        if (isnan(wgi)) snprintf(gov, sizeof gov, "no governance score: base rate %.3f/yr (ASSUMPTION)", RMCT_HAZARD_BASE_RATE);
        else snprintf(gov, sizeof gov, "%.3f/yr from WGI %.2f (%d-%d; base %.3f/yr at 5: ASSUMPTION)", rate_gov, wgi,
                      wgi_to - 4, wgi_to, RMCT_HAZARD_BASE_RATE);
        snprintf(h->basis, sizeof h->basis, "rate %.3f/yr = %d restriction(s) in the register %d-%d / %d years + %.119s; "
                                            "depth triangular %.1f/%.1f/%.1f (ASSUMPTION); %.159s, sd-log %.2f (ASSUMPTION)",
                 rate_rec + rate_gov, c.restrictions, win.first_year, win.last_year, years, gov, h->depth_low,
                 h->depth_mode, h->depth_high, dur_basis, h->duration_sdlog);
    }
    snprintf(out->defaults_basis, sizeof out->defaults_basis,
             "yearly rate = restrictions the register records for the country and metal / years it covers + %.2f x "
             "WGI/5 (governance part an ASSUMPTION); p = 1 - exp(-rate); depth triangular %.1f/%.1f/%.1f and "
             "duration sd-log %.2f are ASSUMPTIONS; %s",
             RMCT_HAZARD_BASE_RATE, RMCT_HAZARD_DEPTH_LOW, RMCT_HAZARD_DEPTH_MODE, RMCT_HAZARD_DEPTH_HIGH,
             RMCT_HAZARD_DURATION_SDLOG, dur_basis);
    rmct_wgi_free(w);
    if (rc) rmct_hazards_free(out);
    return rc;
}

rmct_code rmct_hazards_override(rmct_hazard_set *set, const char *path, rmct_error *err)
{
    enum { C_COUNTRY, C_METAL, C_P, C_DLO, C_DMODE, C_DHI, C_DUR, C_SDLOG, C_BASIS, C_N };
    static const rmct_csv_colspec spec[C_N] = {
        {"country", true},    {"metal", true},      {"p_year", true},
        {"depth_low", true},  {"depth_mode", true}, {"depth_high", true},
        {"duration_median_months", true},           {"duration_sdlog", true},
        {"basis", true}};
    rmct_csv *csv;
    if (rmct_csv_open(&csv, path, NULL, err)) return err->code;
    int ix[C_N];
    rmct_code rc = rmct_csv_header(csv, spec, C_N, ix, false, err);
    rmct_hazard *h = NULL;
    int n = set->n, cap = set->n;
    if (!rc) {
        h = malloc(((size_t)cap + 1) * sizeof *h);
        if (!h) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        else if (set->n) memcpy(h, set->h, (size_t)set->n * sizeof *h);
    }
    bool got;
    while (!rc && !(rc = rmct_csv_next(csv, &got, err)) && got) {
        rmct_hazard x = {0};
        const char *c = rmct_csv_get(csv, ix[C_COUNTRY]);
        if (strlen(c) != 3 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' || c[2] < 'A' || c[2] > 'Z') {
            rc = rmct_csv_field_error(csv, ix[C_COUNTRY], err, "expected an ISO alpha-3 code in capitals, got \"%s\"", c);
            break;
        }
        memcpy(x.country, c, 4);
        const char *mt = rmct_csv_get(csv, ix[C_METAL]);
        if (!*mt || strlen(mt) >= sizeof x.metal) {
            rc = rmct_csv_field_error(csv, ix[C_METAL], err, "expected a metal symbol, type code or node tag");
            break;
        }
        rmct_strlcpy(x.metal, mt, sizeof x.metal);
        double *dst[] = {&x.p_year, &x.depth_low, &x.depth_mode, &x.depth_high, &x.duration_median, &x.duration_sdlog};
        const double lo[] = {0, 0, 0, 0, 0.5, 0}, hi[] = {1, 1, 1, 1, 1200, 5};
        for (int k = 0; k < 6 && !rc; k++) {
            int col = ix[C_P + k];
            if (!rmct_parse_double(rmct_csv_get(csv, col), false, dst[k]) || *dst[k] < lo[k] || *dst[k] > hi[k])
                rc = rmct_csv_field_error(csv, col, err, "expected a number from %g to %g, got \"%s\"", lo[k], hi[k],
                                          rmct_csv_get(csv, col));
        }
        if (rc) break;
        if (!(x.depth_low <= x.depth_mode && x.depth_mode <= x.depth_high)) {
            rc = rmct_csv_field_error(csv, ix[C_DMODE], err, "expected depth_low <= depth_mode <= depth_high");
            break;
        }
        const char *b = rmct_csv_get(csv, ix[C_BASIS]);
        if (!*b) {
            rc = rmct_csv_field_error(csv, ix[C_BASIS], err, "expected the source or the assumption behind the row");
            break;
        }
        snprintf(x.basis, sizeof x.basis, "%s (%s)", b, rmct_csv_name(csv));
        x.events = -1;
        x.wgi = NAN;
        int k = 0;
        while (k < n && !(strcmp(h[k].country, x.country) == 0 && rmct_streq_nocase(h[k].metal, x.metal))) k++;
        if (k == n) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                rmct_hazard *nh = realloc(h, ((size_t)cap + 1) * sizeof *nh);
                if (!nh) {
                    rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                    break;
                }
                h = nh;
            }
            n++;
        }
        h[k] = x;
    }
    rmct_csv_close(csv);
    if (rc) {
        free(h);
        return rc;
    }
    free(set->h);
    set->h = h;
    set->n = n;
    return RMCT_OK;
}
