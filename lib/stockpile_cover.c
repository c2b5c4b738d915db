/* stockpile_cover.c: days of cover per metal against targets, valued at the latest price loaded
 * (see stockpile.h and docs/STOCKPILE.md, "Days of cover"). */
#include "stockpile.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "registry.h"
#include "sim.h"
#include "text.h"

const char *rmct_demand_kind_name(rmct_demand_kind k)
{
    switch (k) {
    case RMCT_DEMAND_CHAINS: return "chains";
    case RMCT_DEMAND_SOURCED: return "sourced";
    case RMCT_DEMAND_USER: return "user";
    default: return "none";
    }
}

static void *grow(void *v, int n, int *cap, size_t size)
{
    if (n < *cap) return v;
    int c = *cap ? 2 * *cap : 16;
    void *p = realloc(v, (size_t)c * size);
    if (p) *cap = c;
    return p;
}

/* ---------------- demand ---------------- */

rmct_code rmct_stock_chain_demand(rmct_chain *const *chains, int n_chains, rmct_stock_demand **out, int *n,
                                  rmct_error *err)
{
    *out = NULL;
    *n = 0;
    if (n_chains == 0) return RMCT_OK;
    rmct_model *m;
    rmct_code rc = rmct_model_build(chains, n_chains, NULL, NULL, &m, err);
    if (rc) return rc;
    int cap = 0;
    for (int i = 0; i < rmct_model_nodes(m) && !rc; i++) {
        const rmct_node_info *in = rmct_model_node(m, i);
        if (in->stage != RMCT_STAGE_MATERIAL || strcmp(in->unit, "t") != 0 || !(in->demand0 > 0)) continue;
        const rmct_chain_node *nd = NULL;
        for (int c = 0; c < n_chains && !nd; c++)
            if (!strcmp(chains[c]->name, in->chain)) {
                int k = rmct_chain_find(chains[c], in->id);
                if (k >= 0) nd = &chains[c]->nodes[k];
            }
        if (!nd || !nd->element[0]) continue; /* graphite and other materials without a symbol */
        double per_day = in->demand0 / RMCT_DAYS_PER_MONTH;
        int j = 0;
        while (j < *n && strcmp((*out)[j].metal, nd->element)) j++;
        char part[160];
        snprintf(part, sizeof part, "%s%s:%s %.6g t/month", j < *n ? " + " : "", in->chain, in->id, in->demand0);
        if (j == *n) {
            rmct_stock_demand *v = grow(*out, *n, &cap, sizeof *v);
            if (!v) {
                rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                break;
            }
            *out = v;
            memset(&v[j], 0, sizeof v[j]);
            rmct_strlcpy(v[j].metal, nd->element, sizeof v[j].metal);
            v[j].kind = RMCT_DEMAND_CHAINS;
            v[j].year = chains[0]->year;
            snprintf(v[j].basis, sizeof v[j].basis, "implied by the bundled chains (their assumptions): ");
            (*n)++;
        }
        (*out)[j].t_per_day += per_day;
        size_t used = strlen((*out)[j].basis);
        snprintf((*out)[j].basis + used, sizeof (*out)[j].basis - used, "%s", part);
    }
    rmct_model_free(m);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* Resolve a metal cell to an element symbol or a type code of the 35. */
static rmct_code metal_key(rmct_registry *reg, rmct_csv *csv, int col, char key[8], rmct_error *err)
{
    const char *text = rmct_csv_get(csv, col);
    rmct_metal m;
    rmct_error e;
    rmct_error_clear(&e);
    rmct_code rc = rmct_registry_metal(reg, text, &m, &e);
    char q[128];
    if (rc == RMCT_E_NOTFOUND || (!rc && !m.type_code[0]))
        return rmct_csv_field_error(csv, col, err, "expected one of Korea's 35 rare-metal types or their elements "
                                    "(symbol, name or type code), got \"%s\"", rmct_error_quote(text, q, sizeof q));
    if (rc) {
        *err = e;
        return rc;
    }
    rmct_strlcpy(key, m.element[0] ? m.element : m.type_code, 8);
    return RMCT_OK;
}

static rmct_code year_cell(rmct_csv *csv, int col, int *year, rmct_error *err)
{
    *year = 0;
    if (col < 0 || !*rmct_csv_get(csv, col)) return RMCT_OK;
    long y;
    char q[64];
    if (!rmct_parse_long(rmct_csv_get(csv, col), 1900, 2200, &y))
        return rmct_csv_field_error(csv, col, err, "expected a year (1900-2200) or nothing, got \"%s\"",
                                    rmct_error_quote(rmct_csv_get(csv, col), q, sizeof q));
    *year = (int)y;
    return RMCT_OK;
}

rmct_code rmct_stock_demand_read(rmct_db *db, const char *path, rmct_demand_kind kind, rmct_stock_demand **out, int *n,
                                 rmct_error *err)
{
    *out = NULL;
    *n = 0;
    static const rmct_csv_colspec cols[] = {{"metal", true}, {"t_per_day", true}, {"year", false}, {"basis", false},
                                            {"source", true}, {"source_url", false}, {"note", false}};
    enum { D_METAL, D_T, D_YEAR, D_BASIS, D_SOURCE, D_URL, D_NOTE, D__N };
    int idx[D__N], cap = 0;
    rmct_csv *csv = NULL;
    rmct_registry *reg = NULL;
    rmct_code rc;
    if ((rc = rmct_registry_open(db, &reg, err)) || (rc = rmct_csv_open(&csv, path, NULL, err)) ||
        (rc = rmct_csv_header(csv, cols, D__N, idx, false, err)))
        goto out;
    long *lines = NULL;
    for (;;) {
        bool got;
        if ((rc = rmct_csv_next(csv, &got, err)) || !got) break;
        char key[8], q[128];
        if ((rc = metal_key(reg, csv, idx[D_METAL], key, err))) break;
        for (int i = 0; i < *n; i++)
            if (!strcmp((*out)[i].metal, key)) {
                rc = rmct_csv_field_error(csv, idx[D_METAL], err, "expected one row per metal, got %s again (first on "
                                          "line %ld)", key, lines[i]);
                break;
            }
        if (rc) break;
        double v;
        const char *t = rmct_csv_get(csv, idx[D_T]);
        if (!rmct_parse_double(t, false, &v) || !(v > 0)) {
            rc = rmct_csv_field_error(csv, idx[D_T], err, "expected a positive number of tonnes per day, got \"%s\"",
                                      rmct_error_quote(t, q, sizeof q));
            break;
        }
        const char *src = rmct_csv_get(csv, idx[D_SOURCE]);
        if (!*src) {
            rc = rmct_csv_field_error(csv, idx[D_SOURCE], err, "expected where the figure comes from, got an empty field");
            break;
        }
        rmct_stock_demand *d = grow(*out, *n, &cap, sizeof *d);
        long *l2 = d ? realloc(lines, (size_t)cap * sizeof *l2) : NULL;
        if (!d || !l2) {
            if (d) *out = d;
            rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            break;
        }
        *out = d;
        lines = l2;
        d = &(*out)[*n];
        memset(d, 0, sizeof *d);
        lines[*n] = rmct_csv_line(csv, 0);
        rmct_strlcpy(d->metal, key, sizeof d->metal);
        d->t_per_day = v;
        d->kind = kind;
        if ((rc = year_cell(csv, idx[D_YEAR], &d->year, err))) break;
        const char *basis = idx[D_BASIS] >= 0 ? rmct_csv_get(csv, idx[D_BASIS]) : "";
        const char *url = idx[D_URL] >= 0 ? rmct_csv_get(csv, idx[D_URL]) : "";
        const char *note = idx[D_NOTE] >= 0 ? rmct_csv_get(csv, idx[D_NOTE]) : "";
        snprintf(d->basis, sizeof d->basis, "%s%s%s%s%s%s%s", src, *url ? " " : "", url, *basis ? "; tonnes of " : "", basis,
                 *note ? "; " : "", note);
        (*n)++;
    }
    free(lines);
out:
    rmct_csv_close(csv);
    rmct_registry_close(reg);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---------------- targets ---------------- */

rmct_code rmct_stock_targets_read(rmct_db *db, const char *path, rmct_stock_target **out, int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    static const rmct_csv_colspec cols[] = {{"id", true},   {"set", true},    {"metal", true},  {"kind", true},
                                            {"value", true}, {"year", false}, {"note", false},  {"source", true},
                                            {"source_url", false}};
    enum { T_ID, T_SET, T_METAL, T_KIND, T_VALUE, T_YEAR, T_NOTE, T_SOURCE, T_URL, T__N };
    int idx[T__N], cap = 0;
    rmct_csv *csv = NULL;
    rmct_registry *reg = NULL;
    rmct_code rc;
    if ((rc = rmct_registry_open(db, &reg, err)) || (rc = rmct_csv_open(&csv, path, NULL, err)) ||
        (rc = rmct_csv_header(csv, cols, T__N, idx, false, err)))
        goto out;
    for (;;) {
        bool got;
        if ((rc = rmct_csv_next(csv, &got, err)) || !got) break;
        rmct_stock_target *t = grow(*out, *n, &cap, sizeof *t);
        if (!t) {
            rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            break;
        }
        *out = t;
        t = &(*out)[*n];
        memset(t, 0, sizeof *t);
        char q[128];
        const char *id = rmct_csv_get(csv, idx[T_ID]), *set = rmct_csv_get(csv, idx[T_SET]);
        if (!*id || strlen(id) >= sizeof t->id) {
            rc = rmct_csv_field_error(csv, idx[T_ID], err, "expected an id of 1 to %zu characters, got \"%s\"",
                                      sizeof t->id - 1, rmct_error_quote(id, q, sizeof q));
            break;
        }
        for (int i = 0; i < *n && !rc; i++)
            if (!strcmp((*out)[i].id, id))
                rc = rmct_csv_field_error(csv, idx[T_ID], err, "expected each id once, got \"%s\" again", id);
        if (rc) break;
        if (!*set || strlen(set) >= sizeof t->set) {
            rc = rmct_csv_field_error(csv, idx[T_SET], err, "expected a set name of 1 to %zu characters, got \"%s\"",
                                      sizeof t->set - 1, rmct_error_quote(set, q, sizeof q));
            break;
        }
        rmct_strlcpy(t->id, id, sizeof t->id);
        rmct_strlcpy(t->set, set, sizeof t->set);
        if (!strcmp(rmct_csv_get(csv, idx[T_METAL]), "*")) rmct_strlcpy(t->metal, "*", sizeof t->metal);
        else if ((rc = metal_key(reg, csv, idx[T_METAL], t->metal, err))) break;
        const char *kind = rmct_csv_get(csv, idx[T_KIND]);
        if (strcmp(kind, "days") && strcmp(kind, "tonnes")) {
            rc = rmct_csv_field_error(csv, idx[T_KIND], err, "expected days or tonnes, got \"%s\"",
                                      rmct_error_quote(kind, q, sizeof q));
            break;
        }
        t->tonnes = !strcmp(kind, "tonnes");
        const char *v = rmct_csv_get(csv, idx[T_VALUE]);
        if (!rmct_parse_double(v, false, &t->value) || !(t->value > 0)) {
            rc = rmct_csv_field_error(csv, idx[T_VALUE], err, "expected a positive number, got \"%s\"",
                                      rmct_error_quote(v, q, sizeof q));
            break;
        }
        if ((rc = year_cell(csv, idx[T_YEAR], &t->year, err))) break;
        const char *src = rmct_csv_get(csv, idx[T_SOURCE]);
        if (!*src) {
            rc = rmct_csv_field_error(csv, idx[T_SOURCE], err, "expected where the target comes from, got an empty field");
            break;
        }
        for (int i = 0; i < *n && !rc; i++)
            if (!strcmp((*out)[i].set, t->set) && !strcmp((*out)[i].metal, t->metal) && (*out)[i].tonnes == t->tonnes)
                rc = rmct_csv_field_error(csv, idx[T_METAL], err, "expected one %s target per metal in set %s, got a "
                                          "second for %s (%s)", kind, t->set, t->metal, (*out)[i].id);
        if (rc) break;
        rmct_strlcpy(t->source, src, sizeof t->source);
        if (idx[T_URL] >= 0) rmct_strlcpy(t->url, rmct_csv_get(csv, idx[T_URL]), sizeof t->url);
        if (idx[T_NOTE] >= 0) rmct_strlcpy(t->note, rmct_csv_get(csv, idx[T_NOTE]), sizeof t->note);
        (*n)++;
    }
out:
    rmct_csv_close(csv);
    rmct_registry_close(reg);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---------------- prices ---------------- */

/* USD per tonne from a price unit as the bundled prices write it; 0 when it cannot be converted. */
static double usd_per_t(const char *unit)
{
    if (strstr(unit, "UNVERIFIED") || !strstr(unit, "dollars per ")) return 0;
    if (strstr(unit, "metric ton unit")) return 100;   /* 1 mtu = 10 kg */
    if (strstr(unit, "dollars per metric ton")) return 1;
    if (strstr(unit, "dollars per kilogram")) return 1000;
    if (strstr(unit, "dollars per pound")) return 1e6 / 453.59237;
    if (strstr(unit, "dollars per troy ounce")) return 1e6 / 31.1034768;
    return 0;
}

rmct_code rmct_stock_price(rmct_db *db, const char *type_code, const char *element, double *usd_t, char *series,
                           size_t series_size, char *unit, size_t unit_size, int *year, rmct_error *err)
{
    *usd_t = NAN;
    series[0] = unit[0] = '\0';
    *year = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT p.series, p.unit, p.year, p.value, ifnull(p.element, ''), ifnull(e.name, '') FROM price p "
        "JOIN source s ON s.id = p.source_id LEFT JOIN element e ON e.symbol = ?2 "
        "WHERE p.type_code = ?1 AND p.value IS NOT NULL "
        "ORDER BY p.year DESC, CAST(s.edition AS INTEGER) DESC, s.id DESC, p.id", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, type_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, element ? element : "", -1, SQLITE_STATIC);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char ser[200], un[120], el[4], name[64];
        rmct_db_column_text(st, 0, ser, sizeof ser);
        rmct_db_column_text(st, 1, un, sizeof un);
        rmct_db_column_text(st, 4, el, sizeof el);
        rmct_db_column_text(st, 5, name, sizeof name);
        bool match;
        if (el[0]) match = element && !strcmp(el, element);
        else {
            /* a series of a group type names its element first: "Neodymium oxide, 99.5% minimum" */
            size_t len = strcspn(ser, " ,");
            match = name[0] && strlen(name) == len && !strncasecmp(ser, name, len);
        }
        double f = usd_per_t(un);
        if (!match || f == 0) continue;
        *usd_t = sqlite3_column_double(st, 3) * f;
        *year = sqlite3_column_int(st, 2);
        rmct_strlcpy(series, ser, series_size);
        rmct_strlcpy(unit, un, unit_size);
        break;
    }
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE) return rmct_db_error(db, err, "reading prices");
    return RMCT_OK;
}

/* ---------------- cover ---------------- */

typedef struct {
    char key[8], type_code[8], name[64];
    bool aggregate;
    double stock_t;
} metal_row;

static int cmp_rows(const void *pa, const void *pb)
{
    const rmct_cover_row *a = pa, *b = pb;
    /* known days short first, most first; then value short, most first; then tonnes short */
    bool ka = !isnan(a->short_days), kb = !isnan(b->short_days);
    if (ka != kb) return ka ? -1 : 1;
    if (ka && a->short_days != b->short_days) return a->short_days > b->short_days ? -1 : 1;
    bool va = !isnan(a->short_usd), vb = !isnan(b->short_usd);
    if (va != vb) return va ? -1 : 1;
    if (va && a->short_usd != b->short_usd) return a->short_usd > b->short_usd ? -1 : 1;
    bool ta = !isnan(a->short_t), tb = !isnan(b->short_t);
    if (ta != tb) return ta ? -1 : 1;
    if (ta && a->short_t != b->short_t) return a->short_t > b->short_t ? -1 : 1;
    int c = strcmp(a->metal, b->metal);
    if (c) return c;
    return a->target - b->target;
}

rmct_code rmct_stock_cover(rmct_db *db, const char *as_of, const rmct_stock_demand *demand, int n_demand,
                           const rmct_stock_target *targets, int n_targets, const char *set, bool all,
                           rmct_cover_row **out, int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    /* every element of the 35 types, and the group types as wholes, with their contained stock */
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "WITH held AS (SELECT l.type_code AS tc, l.element AS el, "
        "    sum((CASE WHEN m.to_wh IS NOT NULL THEN m.qty_g ELSE 0 END - CASE WHEN m.from_wh IS NOT NULL THEN m.qty_g "
        "         ELSE 0 END) * 1.0 * l.contained_g / l.gross_g) / 1e6 AS t "
        "  FROM stock_movement m JOIN stock_lot l ON l.id = m.lot_id WHERE m.date <= ?1 GROUP BY 1, 2), "
        "groups AS (SELECT type_code FROM element WHERE type_code IS NOT NULL GROUP BY 1 HAVING count(*) > 1) "
        "SELECT e.symbol, e.type_code, e.name, 0, ifnull((SELECT t FROM held WHERE el = e.symbol), 0), e.z "
        "  FROM element e WHERE e.type_code IS NOT NULL "
        "UNION ALL SELECT t.code, t.code, t.name, 1, ifnull((SELECT sum(h.t) FROM held h WHERE h.tc = t.code), 0), 1000 "
        "  FROM metal_type t WHERE t.code IN (SELECT type_code FROM groups) ORDER BY 6", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, as_of ? as_of : "9999-12-31", -1, SQLITE_STATIC);
    metal_row *mr = NULL;
    int nm = 0, capm = 0, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        metal_row *v = grow(mr, nm, &capm, sizeof *v);
        if (!v) {
            sqlite3_finalize(st);
            free(mr);
            return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        }
        mr = v;
        metal_row *r = &mr[nm++];
        memset(r, 0, sizeof *r);
        rmct_db_column_text(st, 0, r->key, sizeof r->key);
        rmct_db_column_text(st, 1, r->type_code, sizeof r->type_code);
        rmct_db_column_text(st, 2, r->name, sizeof r->name);
        r->aggregate = sqlite3_column_int(st, 3);
        r->stock_t = sqlite3_column_double(st, 4);
        if (fabs(r->stock_t) < 5e-7) r->stock_t = 0;
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) {
        free(mr);
        return rmct_db_error(db, err, "reading contained stock");
    }
    int cap = 0;
    for (int i = 0; i < nm; i++) {
        metal_row *r = &mr[i];
        /* demand: the highest kind given for the key */
        const rmct_stock_demand *d = NULL;
        for (int k = 0; k < n_demand; k++)
            if (!strcmp(demand[k].metal, r->key) && (!d || demand[k].kind > d->kind)) d = &demand[k];
        double dem = d ? d->t_per_day : NAN;
        char basis[600] = "";
        rmct_demand_kind dk = d ? d->kind : RMCT_DEMAND_NONE;
        if (d) rmct_strlcpy(basis, d->basis, sizeof basis);
        if (!d && r->aggregate) {
            /* a whole type without its own figure: the sum of its elements' figures, labelled */
            double sum = 0;
            int parts = 0;
            size_t used = 0;
            for (int k = 0; k < nm; k++) {
                if (mr[k].aggregate || strcmp(mr[k].type_code, r->key)) continue;
                const rmct_stock_demand *e = NULL;
                for (int j = 0; j < n_demand; j++)
                    if (!strcmp(demand[j].metal, mr[k].key) && (!e || demand[j].kind > e->kind)) e = &demand[j];
                if (!e) continue;
                sum += e->t_per_day;
                if (e->kind > dk) dk = e->kind;
                used += (size_t)snprintf(basis + used, used < sizeof basis ? sizeof basis - used : 0, "%s%s", parts++ ? "+" : "",
                                         mr[k].key);
                if (used >= sizeof basis) used = sizeof basis - 1;
            }
            if (parts) {
                char head[700];
                snprintf(head, sizeof head, "sum of %.500s (%s figures): the other elements have none", basis,
                         rmct_demand_kind_name(dk));
                rmct_strlcpy(basis, head, sizeof basis);
                dem = sum;
            }
        }
        /* targets of the set: the metal's own per kind, else the set's "*" */
        int tdays = -1, ttons = -1, own = 0;
        for (int k = 0; k < n_targets; k++) {
            const rmct_stock_target *t = &targets[k];
            if (strcmp(t->set, set)) continue;
            bool mine = !strcmp(t->metal, r->key);
            if (!mine && strcmp(t->metal, "*")) continue;
            own += mine;
            int *slot = t->tonnes ? &ttons : &tdays;
            if (*slot < 0 || mine) *slot = k;
        }
        bool shown = all || r->stock_t != 0 || !isnan(dem) || own;
        if (!shown) continue;
        double price = NAN;
        char series[200] = "", unit[120] = "";
        int year = 0;
        if (!r->aggregate) {
            if ((rc = rmct_stock_price(db, r->type_code, r->key, &price, series, sizeof series, unit,
                                       sizeof unit, &year, err)))
                break;
        }
        int tlist[2] = {tdays, ttons}, nt = 0;
        for (int k = 0; k < 2; k++)
            if (tlist[k] >= 0) tlist[nt++] = tlist[k];
        if (nt == 0) tlist[nt++] = -1;
        for (int k = 0; k < nt; k++) {
            rmct_cover_row *v = grow(*out, *n, &cap, sizeof *v);
            if (!v) {
                rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                break;
            }
            *out = v;
            rmct_cover_row *c = &v[(*n)++];
            memset(c, 0, sizeof *c);
            rmct_strlcpy(c->metal, r->key, sizeof c->metal);
            rmct_strlcpy(c->type_code, r->type_code, sizeof c->type_code);
            rmct_strlcpy(c->name, r->name, sizeof c->name);
            c->aggregate = r->aggregate;
            c->stock_t = r->stock_t;
            c->demand_t_day = dem;
            c->demand_kind = isnan(dem) ? RMCT_DEMAND_NONE : dk;
            rmct_strlcpy(c->demand_basis, basis, sizeof c->demand_basis);
            c->days = isnan(dem) ? NAN : r->stock_t / dem;
            c->target = tlist[k];
            c->target_t = c->short_days = c->short_t = NAN;
            if (c->target >= 0) {
                const rmct_stock_target *t = &targets[c->target];
                c->target_t = t->tonnes ? t->value : t->value * dem;
                if (!isnan(c->target_t)) c->short_t = fmax(0, c->target_t - r->stock_t);
                if (!isnan(dem)) c->short_days = t->tonnes ? c->short_t / dem : fmax(0, t->value - c->days);
            }
            c->price_usd_t = price;
            rmct_strlcpy(c->price_series, series, sizeof c->price_series);
            rmct_strlcpy(c->price_unit, unit, sizeof c->price_unit);
            c->price_year = year;
            c->value_usd = r->stock_t * price;
            c->short_usd = c->short_t * price;
        }
        if (rc) break;
    }
    free(mr);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    qsort(*out, (size_t)*n, sizeof **out, cmp_rows);
    return RMCT_OK;
}
