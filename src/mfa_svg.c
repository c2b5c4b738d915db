/* mfa_svg.c: a Sankey diagram of one metal's flows in one year, from products put in use to what
 * Korea recovers: bands proportional to tonnes, columns from left to right (put in use, in use,
 * end of life, collected, recovery feed, recovered). Plain SVG, no scripts. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mfa_cli.h"
#include "out.h"

typedef struct {
    const char *label;
    int col;
    const char *color;
    double in, out;           /* sums of the links drawn */
    double value;             /* max(in, out) */
    double x, y, h, in_off, out_off;
} snode;

typedef struct {
    int from, to;
    double v;
} slink;

enum { N_PUT, N_SCRAP, N_DRAWN, N_USE, N_EOL, N_ADDED, N_COLL, N_NOTCOLL, N_FEED, N_PRELOSS, N_RECOVERED, N_BEYOND,
       N_RECLOSS, N__COUNT };

rmct_code mfa_svg_sankey(const char *path, const char *title, const char *subtitle, const rmct_mfa_flows *f,
                         rmct_error *err)
{
    snode nd[N__COUNT] = {
        [N_PUT] = {"put in use", 0, "#1f77b4", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_SCRAP] = {"manufacturing scrap", 0, "#8c564b", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_DRAWN] = {"drawn from stock", 0, "#7f7f7f", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_USE] = {"in use (this year's flows)", 1, "#4a6fa5", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_EOL] = {"end of life", 2, "#ff7f0e", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_ADDED] = {"added to the stock in use", 2, "#7f7f7f", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_COLL] = {"collected", 3, "#2ca02c", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_NOTCOLL] = {"not collected", 3, "#d62728", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_FEED] = {"recovery feed", 4, "#17becf", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_PRELOSS] = {"pre-processing losses", 4, "#d62728", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_RECOVERED] = {"recovered in Korea", 5, "#2ca02c", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_BEYOND] = {"beyond domestic capacity", 5, "#9467bd", 0, 0, 0, 0, 0, 0, 0, 0},
        [N_RECLOSS] = {"recovery losses", 5, "#d62728", 0, 0, 0, 0, 0, 0, 0, 0},
    };
    double ds = f->stock_change;
    slink lk[] = {
        {N_PUT, N_USE, f->inflow},
        {N_DRAWN, N_USE, ds < 0 ? -ds : 0},
        {N_USE, N_EOL, f->eol},
        {N_USE, N_ADDED, ds > 0 ? ds : 0},
        {N_EOL, N_COLL, f->collected},
        {N_EOL, N_NOTCOLL, f->not_collected},
        {N_COLL, N_FEED, f->collected - f->preprocessing_loss},
        {N_COLL, N_PRELOSS, f->preprocessing_loss},
        {N_SCRAP, N_FEED, f->new_scrap},
        {N_FEED, N_RECOVERED, f->recovered},
        {N_FEED, N_BEYOND, f->beyond_capacity},
        {N_FEED, N_RECLOSS, f->recovery_loss},
    };
    const int NL = (int)(sizeof lk / sizeof *lk);
    for (int i = 0; i < NL; i++) {
        if (!(lk[i].v > 0)) lk[i].v = 0;
        nd[lk[i].from].out += lk[i].v;
        nd[lk[i].to].in += lk[i].v;
    }
    for (int i = 0; i < N__COUNT; i++) nd[i].value = fmax(nd[i].in, nd[i].out);
    const double W = 1220, H = 620, top = 90, avail = 440, nodew = 16, gap = 26;
    const double colx[6] = {40, 230, 420, 610, 800, 990};
    /* one scale for every column, so bands keep their widths from column to column */
    double scale = INFINITY;
    for (int c = 0; c < 6; c++) {
        double sum = 0;
        int k = 0;
        for (int i = 0; i < N__COUNT; i++)
            if (nd[i].col == c && nd[i].value > 0) sum += nd[i].value, k++;
        if (sum > 0) scale = fmin(scale, (avail - gap * (k - 1)) / sum);
    }
    char path_buf[600];
    snprintf(path_buf, sizeof path_buf, "%s", path);
    FILE *fp = fopen(path, "w");
    if (!fp) return rmct_error_set(err, RMCT_E_IO, "cannot write %s: %s", path, strerror(errno));
    fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                "font-family=\"DejaVu Sans, Arial, sans-serif\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>\n",
            W, H, W, H);
    fprintf(fp, "<text x=\"%.0f\" y=\"28\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\">", W / 2);
    out_xml(fp, title);
    fprintf(fp, "</text>\n<text x=\"%.0f\" y=\"48\" text-anchor=\"middle\" font-size=\"12\" fill=\"#444\">", W / 2);
    out_xml(fp, subtitle);
    fprintf(fp, "</text>\n");
    char cap[64], dem[64], line[300];
    if (isnan(f->capacity)) snprintf(cap, sizeof cap, "none stated");
    else out_fmt_num(cap, sizeof cap, f->capacity, 0), strncat(cap, " t", sizeof cap - strlen(cap) - 1);
    if (isnan(f->demand)) snprintf(dem, sizeof dem, "not given");
    else out_fmt_num(dem, sizeof dem, f->demand, 0), strncat(dem, " t", sizeof dem - strlen(dem) - 1);
    snprintf(line, sizeof line, "domestic recovery capacity %s; Korean demand %s", cap, dem);
    fprintf(fp, "<text x=\"%.0f\" y=\"66\" text-anchor=\"middle\" font-size=\"12\" fill=\"#444\">", W / 2);
    out_xml(fp, line);
    fprintf(fp, "</text>\n");
    if (!isfinite(scale)) {
        fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"14\">no flows of this metal in this year</text>\n",
                W / 2, top + avail / 2);
    } else {
        for (int c = 0; c < 6; c++) {
            double y = top;
            for (int i = 0; i < N__COUNT; i++) {
                if (nd[i].col != c || !(nd[i].value > 0)) continue;
                nd[i].x = colx[c];
                nd[i].y = y;
                nd[i].h = fmax(1.0, nd[i].value * scale);
                y += nd[i].h + gap;
            }
        }
        for (int i = 0; i < NL; i++) {
            if (!(lk[i].v > 0)) continue;
            snode *a = &nd[lk[i].from], *b = &nd[lk[i].to];
            double w = fmax(0.5, lk[i].v * scale);
            double x0 = a->x + nodew, y0 = a->y + a->out_off, x1 = b->x, y1 = b->y + b->in_off, xm = (x0 + x1) / 2;
            a->out_off += w;
            b->in_off += w;
            fprintf(fp,
                    "<path d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f L%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f Z\" "
                    "fill=\"%s\" fill-opacity=\"0.35\" stroke=\"none\"><title>",
                    x0, y0, xm, y0, xm, y1, x1, y1, x1, y1 + w, xm, y1 + w, xm, y0 + w, x0, y0 + w, b->color);
            char v[48];
            out_fmt_num(v, sizeof v, lk[i].v, 1);
            out_xml(fp, a->label);
            fputs(" -> ", fp);
            out_xml(fp, b->label);
            fprintf(fp, ": %s t</title></path>\n", v);
        }
        for (int i = 0; i < N__COUNT; i++) {
            if (!(nd[i].value > 0)) continue;
            char v[48];
            out_fmt_num(v, sizeof v, nd[i].value, nd[i].value >= 100 ? 0 : 1);
            fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\" fill=\"%s\"/>\n", nd[i].x, nd[i].y,
                    nodew, nd[i].h, nd[i].color);
            double tx = nd[i].x + nodew + 4;
            fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">", tx, nd[i].y + nd[i].h / 2 - 2);
            out_xml(fp, nd[i].label);
            fprintf(fp, "</text>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#333\">%s t</text>\n", tx,
                    nd[i].y + nd[i].h / 2 + 11, v);
        }
    }
    fprintf(fp, "<text x=\"20\" y=\"%.0f\" font-size=\"11\" fill=\"#555\">Band widths in tonnes of contained metal, one scale "
                "for the whole diagram. Bands below one pixel are drawn at one pixel.</text>\n",
            H - 20);
    fprintf(fp, "</svg>\n");
    if (ferror(fp) | (fclose(fp) != 0)) return rmct_error_set(err, RMCT_E_IO, "cannot write %s", path_buf);
    return RMCT_OK;
}
