/* sim_svg.c: charts of a simulation as SVG files: for one run, production lost by sector and
 * metal shortfall over time and public stock levels; for an ensemble, fan charts (P5-P95 band,
 * median and mean) per sector, metal and public stockpile. Plain SVG, no scripts, readable by any
 * browser and by rsvg-convert (which the tests use to check the charts are not blank). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim_cli.h"

static const char *palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                                "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

/* A chart area: x months 0..T-1, y 0..ymax percent. */
typedef struct {
    double x0, y0, w, h, ymax;
    int T;
} frame;

static double fx(const frame *f, double t) { return f->x0 + (f->T > 1 ? t / (f->T - 1) : 0) * f->w; }
static double fy(const frame *f, double v) { return f->y0 + f->h - (v / f->ymax) * f->h; }

static double nice_max(double v)
{
    if (v <= 0) return 1;
    double p = pow(10, floor(log10(v)));
    for (double k = 1; k <= 10; k *= 2) {
        if (k == 4) k = 5;
        if (v <= k * p) return k * p;
    }
    return 10 * p;
}

static void axes(FILE *fp, const frame *f, const rmct_model *m, const char *ylabel)
{
    fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#ffffff\" stroke=\"#888\"/>\n", f->x0,
            f->y0, f->w, f->h);
    for (int k = 0; k <= 4; k++) {
        double v = f->ymax * k / 4, y = fy(f, v);
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>\n", f->x0, y, f->x0 + f->w, y);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%g</text>\n", f->x0 - 4, y + 4, v);
    }
    int step = f->T <= 24 ? 3 : f->T <= 60 ? 6 : 12;
    for (int t = 0; t < f->T; t += step) {
        char b[16];
        rmct_month_format(rmct_model_start(m) + t, b, sizeof b);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n", fx(f, t),
                f->y0 + f->h + 15, b);
    }
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" transform=\"rotate(-90 %.1f %.1f)\" text-anchor=\"middle\">",
            f->x0 - 38, f->y0 + f->h / 2, f->x0 - 38, f->y0 + f->h / 2);
    out_xml(fp, ylabel);
    fprintf(fp, "</text>\n");
}

static FILE *open_svg(const char *dir, const char *name, double W, double H, char *path, size_t size, rmct_error *err)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        rmct_error_set(err, RMCT_E_IO, "cannot write %s: %s", path, strerror(errno));
        return NULL;
    }
    fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                "font-family=\"DejaVu Sans, Arial, sans-serif\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>\n",
            W, H, W, H);
    return fp;
}

static rmct_code close_svg(FILE *fp, const char *path, rmct_error *err)
{
    fprintf(fp, "</svg>\n");
    if (ferror(fp) | (fclose(fp) != 0)) return rmct_error_set(err, RMCT_E_IO, "cannot write %s", path);
    return RMCT_OK;
}

static void title(FILE *fp, double W, const char *text, const rmct_scenario *sc)
{
    fprintf(fp, "<text x=\"%.0f\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">", W / 2);
    out_xml(fp, text);
    fprintf(fp, "</text>\n<text x=\"%.0f\" y=\"42\" text-anchor=\"middle\" font-size=\"12\" fill=\"#444\">", W / 2);
    out_xml(fp, sc->title);
    fprintf(fp, "</text>\n");
}

/* Lines of several series (values in percent, series x T) with a legend. */
static rmct_code line_chart(const char *dir, const char *file, const char *heading, const char *ylabel,
                            const rmct_model *m, const rmct_scenario *sc, const double *vals, const char (*labels)[48],
                            int n, char written[][600], int *n_written, rmct_error *err)
{
    const double W = 900, H = 480;
    int T = rmct_model_months(m);
    double vmax = 0;
    for (int i = 0; i < n * T; i++) vmax = fmax(vmax, vals[i]);
    frame f = {70, 60, W - 70 - 180, H - 60 - 50, nice_max(vmax * 1.05), T};
    char path[600];
    FILE *fp = open_svg(dir, file, W, H, path, sizeof path, err);
    if (!fp) return err->code;
    title(fp, W, heading, sc);
    axes(fp, &f, m, ylabel);
    for (int s = 0; s < n; s++) {
        const char *col = palette[s % 10];
        fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", col);
        for (int t = 0; t < T; t++) fprintf(fp, "%.1f,%.1f ", fx(&f, t), fy(&f, vals[s * T + t]));
        fprintf(fp, "\"/>\n<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"4\" fill=\"%s\"/>\n", f.x0 + f.w + 14,
                f.y0 + 10 + 18.0 * s, col);
        fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\">", f.x0 + f.w + 34, f.y0 + 15 + 18.0 * s);
        out_xml(fp, labels[s]);
        fprintf(fp, "</text>\n");
    }
    if (close_svg(fp, path, err)) return err->code;
    snprintf(written[(*n_written)++], 600, "%s", path);
    return RMCT_OK;
}

rmct_code sim_svg_trace(const char *dir, const rmct_model *m, const rmct_scenario *sc, const rmct_trace *tr,
                        char written[][600], int *n_written, rmct_error *err)
{
    int T = tr->months, S = rmct_model_series(m);
    double vals[64 * 120];
    char labels[64][48];
    *n_written = 0;
    for (int kind = 0; kind < 3; kind++) {
        rmct_series_kind want = kind == 0 ? RMCT_SERIES_SECTOR : kind == 1 ? RMCT_SERIES_METAL : RMCT_SERIES_STOCK;
        int n = 0;
        for (int s = 0; s < S && n < 64; s++) {
            const rmct_series_info *si = rmct_model_series_info(m, s);
            if (si->kind != want) continue;
            double *row = vals + n * T;
            bool any = false;
            for (int t = 0; t < T; t++) {
                double v = 0;
                for (int i = 0; i < tr->nodes; i++) {
                    const rmct_node_info *in = rmct_model_node(m, i);
                    size_t x = (size_t)i * T + t;
                    if (want == RMCT_SERIES_SECTOR && in->sector_index == s) v += tr->final_lost[x] * in->value_usd;
                    if (want == RMCT_SERIES_METAL && in->metal == s) v += tr->shortfall[x];
                    if (want == RMCT_SERIES_STOCK && in->public_stock0 > 0 && strstr(si->label, in->id) &&
                        strstr(si->label, in->chain))
                        v += tr->public_stock[x];
                }
                row[t] = si->normal > 0 ? 100 * v / si->normal : 0;
                any |= row[t] > 0;
            }
            if (!any && want == RMCT_SERIES_METAL) continue; /* only metals that run short */
            snprintf(labels[n], sizeof labels[n], "%s", si->label);
            n++;
        }
        if (!n) continue;
        rmct_code rc = kind == 0 ? line_chart(dir, "shortfall-sectors.svg", "Production lost by sector",
                                              "% of normal monthly output value", m, sc, vals, (const char(*)[48])labels, n,
                                              written, n_written, err)
                       : kind == 1 ? line_chart(dir, "shortfall-metals.svg", "Metals short",
                                                "% of normal monthly demand", m, sc, vals, (const char(*)[48])labels, n,
                                                written, n_written, err)
                                   : line_chart(dir, "stockpile.svg", "Public stockpile level", "% of initial stock", m,
                                                sc, vals, (const char(*)[48])labels, n, written, n_written, err);
        if (rc) return rc;
    }
    return RMCT_OK;
}

/* One fan panel per series that is ever non-zero: P5-P95 band, median line, mean dashed. */
rmct_code sim_svg_fans(const char *dir, const rmct_model *m, const rmct_scenario *sc, const rmct_ensemble_stats *st,
                       long runs, char written[][600], int *n_written, rmct_error *err)
{
    int T = rmct_model_months(m), S = rmct_model_series(m);
    int idx[64], n = 0;
    for (int s = 0; s < S && n < 64; s++) {
        double mx = 0;
        for (int t = 0; t < T; t++) mx = fmax(mx, st->month[(size_t)s * T + t].p95 + st->month[(size_t)s * T + t].mean);
        if (mx > 0) idx[n++] = s;
    }
    *n_written = 0;
    if (!n) return RMCT_OK;
    int cols = n < 2 ? 1 : 2, rows = (n + cols - 1) / cols;
    const double PW = 520, PH = 250, W = cols * PW, H = 60 + rows * PH;
    char path[600];
    FILE *fp = open_svg(dir, "fan.svg", W, H, path, sizeof path, err);
    if (!fp) return err->code;
    char head[120];
    snprintf(head, sizeof head, "Ensemble of %ld futures: P5-P95 (band), median (line), mean (dashed)", runs);
    title(fp, W, head, sc);
    for (int k = 0; k < n; k++) {
        int s = idx[k];
        const rmct_series_info *si = rmct_model_series_info(m, s);
        const rmct_month_stats *ms = st->month + (size_t)s * T;
        double vmax = 0;
        for (int t = 0; t < T; t++) vmax = fmax(vmax, fmax(ms[t].p95, ms[t].mean) * 100);
        frame f = {(k % cols) * PW + 60, 60 + (k / cols) * PH + 24, PW - 80, PH - 70, nice_max(vmax * 1.05), T};
        const char *what = si->kind == RMCT_SERIES_METAL ? "% of normal demand short"
                           : si->kind == RMCT_SERIES_SECTOR ? "% of output value lost"
                                                            : "% of stock released";
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" font-weight=\"bold\">", f.x0, f.y0 - 8);
        out_xml(fp, si->label);
        fprintf(fp, "</text>\n");
        axes(fp, &f, m, what);
        const char *col = palette[k % 10];
        fprintf(fp, "<polygon fill=\"%s\" fill-opacity=\"0.25\" stroke=\"none\" points=\"", col);
        for (int t = 0; t < T; t++) fprintf(fp, "%.1f,%.1f ", fx(&f, t), fy(&f, 100 * ms[t].p95));
        for (int t = T - 1; t >= 0; t--) fprintf(fp, "%.1f,%.1f ", fx(&f, t), fy(&f, 100 * ms[t].p05));
        fprintf(fp, "\"/>\n<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", col);
        for (int t = 0; t < T; t++) fprintf(fp, "%.1f,%.1f ", fx(&f, t), fy(&f, 100 * ms[t].p50));
        fprintf(fp, "\"/>\n<polyline fill=\"none\" stroke=\"#222\" stroke-dasharray=\"5,3\" stroke-width=\"1.5\" points=\"");
        for (int t = 0; t < T; t++) fprintf(fp, "%.1f,%.1f ", fx(&f, t), fy(&f, 100 * ms[t].mean));
        fprintf(fp, "\"/>\n");
    }
    if (close_svg(fp, path, err)) return err->code;
    snprintf(written[(*n_written)++], 600, "%s", path);
    return RMCT_OK;
}
