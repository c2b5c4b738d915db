/* assess_files.c: the criticality assessment as files: the criticality matrix as SVG (EI across,
 * SR up, threshold lines, labels, 5-95% whiskers when sampled) and a workbook (libxlsxwriter) with
 * one sheet of results and one sheet per factor. */
#include "assess_files.h"
#include "out.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

rmct_code assess_write_svg(const char *path, const rmct_method *m, const rmct_assessment *a, size_t n, rmct_error *err)
{
    FILE *fp = fopen(path, "w");
    if (!fp) return rmct_error_set(err, RMCT_E_IO, "cannot write %s: %s", path, strerror(errno));
    const double W = 900, H = 640, L = 70, R = 30, T = 50, B = 60;
    double sr_max = 4;
    for (size_t i = 0; i < n; i++) {
        if (!a[i].has_sr || !a[i].has_ei) continue;
        double hi = a[i].samples ? a[i].sr_q[2] : a[i].sr;
        if (hi > sr_max) sr_max = hi;
    }
    sr_max = ceil(sr_max);
    const double ei_max = 10;
#define X(ei) (L + (ei) / ei_max * (W - L - R))
#define Y(sr) (H - B - (sr) / sr_max * (H - T - B))
    fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n", W, H, W, H);
    fprintf(fp, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    fprintf(fp, "<text x=\"%.0f\" y=\"28\" font-size=\"16\" font-weight=\"bold\">Criticality of Korea's rare metals: ", L);
    out_xml(fp, m->id);
    fprintf(fp, "</text>\n");
    /* the critical region, shaded */
    fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fde8e8\"/>\n", X(m->ei_threshold), Y(sr_max),
            X(ei_max) - X(m->ei_threshold), Y(m->sr_threshold) - Y(sr_max));
    /* axes and ticks */
    fprintf(fp, "<g stroke=\"#444\" stroke-width=\"1\">\n<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n"
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n</g>\n", X(0), Y(0), X(ei_max), Y(0), X(0), Y(0), X(0), Y(sr_max));
    for (int e = 0; e <= 10; e++)
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n",
                X(e), Y(0), X(e), Y(0) + 5, X(e), Y(0) + 20, e);
    for (int s = 0; s <= (int)sr_max; s++)
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n",
                X(0) - 5, Y(s), X(0), Y(s), X(0) - 8, Y(s) + 4, s);
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">Economic importance (EI)</text>\n", (X(0) + X(ei_max)) / 2, H - 15);
    fprintf(fp, "<text transform=\"translate(18,%.1f) rotate(-90)\" text-anchor=\"middle\">Supply risk (SR)</text>\n", (Y(0) + Y(sr_max)) / 2);
    /* thresholds */
    fprintf(fp, "<g stroke=\"#c0392b\" stroke-dasharray=\"6,4\" stroke-width=\"1.5\">\n"
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n</g>\n",
            X(m->ei_threshold), Y(0), X(m->ei_threshold), Y(sr_max), X(0), Y(m->sr_threshold), X(ei_max), Y(m->sr_threshold));
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#c0392b\">EI %.1f</text><text x=\"%.1f\" y=\"%.1f\" fill=\"#c0392b\">SR %.1f</text>\n",
            X(m->ei_threshold) + 4, Y(sr_max) + 14, m->ei_threshold, X(ei_max) - 50, Y(m->sr_threshold) - 6, m->sr_threshold);
    /* whiskers, then points and labels */
    for (size_t i = 0; i < n; i++) {
        const rmct_assessment *x = &a[i];
        if (!x->has_sr || !x->has_ei || !x->samples) continue;
        fprintf(fp, "<g stroke=\"#888\" stroke-width=\"1\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/></g>\n",
                X(fmin(x->ei_q[0], ei_max)), Y(x->sr), X(fmin(x->ei_q[2], ei_max)), Y(x->sr), X(x->ei), Y(x->sr_q[0]), X(x->ei), Y(x->sr_q[2]));
    }
    int shown = 0;
    for (size_t i = 0; i < n; i++) {
        const rmct_assessment *x = &a[i];
        if (!x->has_sr || !x->has_ei || x->is_element) continue;
        shown++;
        fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"#222\"><title>", X(fmin(x->ei, ei_max)), Y(x->sr),
                x->critical ? "#c0392b" : "#7f8c8d");
        out_xml(fp, x->name);
        fprintf(fp, ": SR %.2f, EI %.2f</title></circle>\n<text x=\"%.1f\" y=\"%.1f\">", x->sr, x->ei, X(fmin(x->ei, ei_max)) + 7, Y(x->sr) - 6);
        out_xml(fp, x->code);
        fprintf(fp, "</text>\n");
    }
    fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"10\" fill=\"#555\">%d metals; red: critical (SR &gt;= %.1f and EI &gt;= %.1f)%s. "
                "Factors, sources and assumptions: rmct assess --explain METAL.</text>\n",
            L, H - 2.0, shown, m->sr_threshold, m->ei_threshold, a[0].samples ? "; whiskers: 5-95% of the Monte Carlo" : "");
    fprintf(fp, "</svg>\n");
#undef X
#undef Y
    if (fclose(fp) != 0) return rmct_error_set(err, RMCT_E_IO, "cannot write %s: %s", path, strerror(errno));
    return RMCT_OK;
}

static rmct_code xlsx_error(lxw_error e, const char *path, rmct_error *err)
{
    return rmct_error_set(err, RMCT_E_IO, "cannot write %s: %s", path, lxw_strerror(e));
}

rmct_code assess_write_xlsx(const char *path, const rmct_method *m, const rmct_assessment *a, size_t n, rmct_error *err)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) return rmct_error_set(err, RMCT_E_IO, "cannot create %s", path);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *dec = workbook_add_format(wb);
    format_set_num_format(dec, "0.000");
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.00%");

    lxw_worksheet *res = workbook_add_worksheet(wb, "results");
    const char *rh[] = {"metal", "name", "SR", "SR stage", "EI", "critical", "P(critical)", "SR 5%", "SR 50%", "SR 95%",
                        "EI 5%", "EI 50%", "EI 95%", "what drives the SR", "EI basis"};
    for (int c = 0; c < 15; c++) worksheet_write_string(res, 0, (lxw_col_t)c, rh[c], bold);
    lxw_row_t r = 1;
    for (size_t i = 0; i < n; i++, r++) {
        const rmct_assessment *x = &a[i];
        worksheet_write_string(res, r, 0, x->code, NULL);
        worksheet_write_string(res, r, 1, x->name, NULL);
        if (x->has_sr) {
            worksheet_write_number(res, r, 2, x->sr, dec);
            worksheet_write_string(res, r, 3, x->st[x->sr_stage].stage, NULL);
        }
        if (x->has_ei) worksheet_write_number(res, r, 4, x->ei, dec);
        worksheet_write_string(res, r, 5, x->critical ? "yes" : x->has_sr && x->has_ei ? "no" : "n/a", NULL);
        if (x->samples && x->has_sr) {
            worksheet_write_number(res, r, 6, x->p_critical, dec);
            for (int q = 0; q < 3; q++) worksheet_write_number(res, r, (lxw_col_t)(7 + q), x->sr_q[q], dec);
            if (x->has_ei)
                for (int q = 0; q < 3; q++) worksheet_write_number(res, r, (lxw_col_t)(10 + q), x->ei_q[q], dec);
        }
        worksheet_write_string(res, r, 13, x->dominant, NULL);
        worksheet_write_string(res, r, 14, x->ei_basis, NULL);
    }

    /* one sheet per factor */
    lxw_worksheet *sup = workbook_add_worksheet(wb, "supply shares");
    const char *sh[] = {"metal", "stage", "distribution", "country", "share", "WGI (0-10)", "trade factor t", "share^2*WGI*t", "basis"};
    for (int c = 0; c < 9; c++) worksheet_write_string(sup, 0, (lxw_col_t)c, sh[c], bold);
    lxw_worksheet *fac = workbook_add_worksheet(wb, "IR, EoL-RIR, SI");
    const char *fh[] = {"metal", "stage", "factor", "value", "assumption or proxy", "basis"};
    for (int c = 0; c < 6; c++) worksheet_write_string(fac, 0, (lxw_col_t)c, fh[c], bold);
    lxw_worksheet *use = workbook_add_worksheet(wb, "end uses (EI)");
    const char *uh[] = {"metal", "material", "application", "sector", "share", "sector value added", "SI_EI", "Q_max", "EI"};
    for (int c = 0; c < 9; c++) worksheet_write_string(use, 0, (lxw_col_t)c, uh[c], bold);
    lxw_row_t rs = 1, rf = 1, ru = 1;
    for (size_t i = 0; i < n; i++) {
        const rmct_assessment *x = &a[i];
        for (int k = 0; k < 2; k++) {
            const rmct_stage_result *s = &x->st[k];
            if (!s->available) continue;
            for (int which = 0; which < 2; which++) {
                const rmct_distribution *d = which ? &s->ks : &s->gs;
                for (size_t j = 0; j < d->n; j++, rs++) {
                    worksheet_write_string(sup, rs, 0, x->code, NULL);
                    worksheet_write_string(sup, rs, 1, s->stage, NULL);
                    worksheet_write_string(sup, rs, 2, which ? "Korean sourcing" : "global supply", NULL);
                    worksheet_write_string(sup, rs, 3, d->iso3[j], NULL);
                    worksheet_write_number(sup, rs, 4, d->share[j], pct);
                    if (!isnan(d->wgi[j])) {
                        worksheet_write_number(sup, rs, 5, d->wgi[j], dec);
                        worksheet_write_number(sup, rs, 7, d->share[j] * d->share[j] * d->wgi[j] * d->t[j], dec);
                    }
                    worksheet_write_number(sup, rs, 6, d->t[j], dec);
                    worksheet_write_string(sup, rs, 8, which ? s->ks_basis : s->gs_basis, NULL);
                }
            }
            const rmct_factor *f[3] = {&s->ir, &s->eol_rir, &s->si_sr};
            const char *names[3] = {"IR", "EoL-RIR", "SI_SR"};
            for (int j = 0; j < 3; j++, rf++) {
                worksheet_write_string(fac, rf, 0, x->code, NULL);
                worksheet_write_string(fac, rf, 1, s->stage, NULL);
                worksheet_write_string(fac, rf, 2, names[j], NULL);
                worksheet_write_number(fac, rf, 3, f[j]->value, dec);
                worksheet_write_string(fac, rf, 4, f[j]->assumption ? "yes" : "no", NULL);
                worksheet_write_string(fac, rf, 5, f[j]->basis, NULL);
            }
        }
        for (size_t j = 0; j < x->n_uses; j++, ru++) {
            worksheet_write_string(use, ru, 0, x->code, NULL);
            worksheet_write_string(use, ru, 1, x->ei_material, NULL);
            worksheet_write_string(use, ru, 2, x->uses[j].application, NULL);
            worksheet_write_string(use, ru, 3, x->uses[j].sector, NULL);
            worksheet_write_number(use, ru, 4, x->uses[j].share, pct);
            worksheet_write_number(use, ru, 5, x->uses[j].va, NULL);
            worksheet_write_number(use, ru, 6, x->si_ei.value, dec);
            worksheet_write_number(use, ru, 7, x->q_max, NULL);
            worksheet_write_number(use, ru, 8, x->ei, dec);
        }
    }
    lxw_worksheet *meth = workbook_add_worksheet(wb, "method");
    const char *kv[][2] = {{"method", m->id}, {"name", m->name}, {"source", m->source}, {"method file", m->path}, {"method SHA-256", m->sha256}};
    for (int j = 0; j < 5; j++) {
        worksheet_write_string(meth, (lxw_row_t)j, 0, kv[j][0], bold);
        worksheet_write_string(meth, (lxw_row_t)j, 1, kv[j][1], NULL);
    }
    worksheet_write_string(meth, 5, 0, "SR threshold", bold);
    worksheet_write_number(meth, 5, 1, m->sr_threshold, NULL);
    worksheet_write_string(meth, 6, 0, "EI threshold", bold);
    worksheet_write_number(meth, 6, 1, m->ei_threshold, NULL);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) return xlsx_error(e, path, err);
    return RMCT_OK;
}
