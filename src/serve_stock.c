/* serve_stock.c: the stockpile ledger over HTTP (docs/API.md, "Stockpile"): warehouses, lots and
 * movements (read by any user, written by stock-keepers; the user is the ledger's recorded_by and
 * the audit log's actor), the consistency check and days of cover. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "stockpile.h"
#include "text.h"
#include "views.h"

int h_warehouses(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_warehouse *w;
    int n;
    if (rmct_stock_warehouses(r->db, &w, &n, &err)) return srv_fail(r, &err);
    out_table *t = view_stock_warehouses(w, n);
    free(w);
    return srv_table(r, t);
}

int h_warehouse_add(srv_req *r)
{
    const char *code = NULL, *name = NULL, *location = NULL;
    int st;
    if ((st = b_only(r, "code,name,location")) || (st = b_text(r, "code", 32, true, &code)) ||
        (st = b_text(r, "name", 150, true, &name)) || (st = b_text(r, "location", 150, false, &location)))
        return st;
    rmct_strlcpy(r->audit_target, code, sizeof r->audit_target);
    char today[11];
    srv_today(today);
    rmct_stock_ctx ctx = {r->user.name, today};
    rmct_error err;
    rmct_error_clear(&err);
    if (rmct_stock_warehouse_add(r->db, &ctx, code, name, location, &err)) return srv_fail(r, &err);
    snprintf(r->location, sizeof r->location, "/api/v1/stock/warehouses");
    return srv_json(r, MHD_HTTP_CREATED, json_pack("{s:s, s:s, s:s, s:s}", "code", code, "name", name, "location",
                                                   location ? location : "", "recorded_by", r->user.name));
}

static const char *const by_values[] = {"lot", "metal", "warehouse", NULL};

int h_lots(srv_req *r)
{
    rmct_stock_filter f = {0};
    const char *by = "lot";
    int st;
    if ((st = q_text(r, "metal", 64, &f.metal)) || (st = q_text(r, "warehouse", 32, &f.warehouse)) ||
        (st = q_text(r, "lot", 64, &f.lot)) || (st = q_date(r, "date", &f.as_of)) || (st = q_enum(r, "by", by_values, &by)) ||
        (st = q_bool(r, "all", &f.include_empty)))
        return st;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_holding *h;
    int n;
    if (rmct_stock_holdings(r->db, &f, &h, &n, &err)) return srv_fail(r, &err);
    int lots;
    double gross, contained;
    out_table *t = view_stock_holdings(h, n, by, OUT_JSON, &lots, &gross, &contained);
    free(h);
    json_t *j = json_pack("{s:s, s:s?, s:i, s:f, s:f, s:o}", "by", by, "as_of", f.as_of, "lots", lots, "gross_t", gross,
                          "contained_t", contained, "holdings", out_json(t));
    out_free(t);
    return srv_json(r, MHD_HTTP_OK, j);
}

/* What a recorded entry did, as the command line's --format json shows it (one object). */
static json_t *result_json(const rmct_stock_result *x)
{
    json_t *j = json_object();
    json_object_set_new(j, "movement", x->movement_id ? json_integer(x->movement_id) : json_null());
    json_object_set_new(j, "kind", json_string(x->kind));
    json_object_set_new(j, "date", json_string(x->date));
    json_object_set_new(j, "lot", json_string(x->lot));
    json_object_set_new(j, "metal", json_string(x->metal));
    json_object_set_new(j, "from", x->from[0] ? json_string(x->from) : json_null());
    json_object_set_new(j, "to", x->to[0] ? json_string(x->to) : json_null());
    json_object_set_new(j, "tonnes", json_real((double)x->qty_g / 1e6));
    json_object_set_new(j, "contained_t", json_real((double)x->contained_g / 1e6));
    if (!strcmp(x->kind, "adjust")) json_object_set_new(j, "book_t", json_real((double)x->book_g / 1e6));
    if (x->contained_basis[0]) json_object_set_new(j, "contained_basis", json_string(x->contained_basis));
    return j;
}

static int record(srv_req *r, rmct_stock_entry *e)
{
    char today[11];
    srv_today(today);
    rmct_stock_ctx ctx = {r->user.name, today};
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_result res;
    if (rmct_stock_record(r->db, &ctx, e, &res, &err)) {
        srv_hide_paths(r->s, err.msg, sizeof err.msg);
        if (err.code == RMCT_E_INPUT || err.code == RMCT_E_CONFLICT) {
            /* an entry the ledger refuses (a negative balance, an unknown lot...) is the client's to fix */
            return srv_error(r, err.code == RMCT_E_CONFLICT ? MHD_HTTP_CONFLICT : MHD_HTTP_UNPROCESSABLE_CONTENT,
                             err.code == RMCT_E_CONFLICT ? "conflict" : "bad_input", err.field[0] ? err.field : NULL, "%s", err.msg);
        }
        return srv_fail(r, &err);
    }
    if (res.movement_id) snprintf(r->audit_target, sizeof r->audit_target, "movement %lld", (long long)res.movement_id);
    else rmct_strlcpy(r->audit_target, res.lot, sizeof r->audit_target);
    return srv_json(r, res.movement_id ? MHD_HTTP_CREATED : MHD_HTTP_OK, result_json(&res));
}

int h_lot_add(srv_req *r)
{
    rmct_stock_entry e = {.kind = "acquire"};
    char tonnes[48], purity[48], contained[48], cost[48];
    int st;
    if ((st = b_only(r, "lot,metal,tonnes,form,purity,warehouse,date,reason,actor,reference,contained_t,formula,unit_cost,currency,"
                        "supplier")) ||
        (st = b_text(r, "lot", 64, true, &e.lot)) || (st = b_text(r, "metal", 64, true, &e.metal)) ||
        (st = b_decimal(r, "tonnes", true, tonnes, sizeof tonnes, &e.tonnes)) || (st = b_text(r, "form", 16, true, &e.form)) ||
        (st = b_decimal(r, "purity", true, purity, sizeof purity, &e.purity)) ||
        (st = b_text(r, "warehouse", 32, true, &e.warehouse)) || (st = b_text(r, "date", 10, false, &e.date)) ||
        (st = b_text(r, "reason", 500, false, &e.reason)) || (st = b_text(r, "actor", 90, false, &e.actor)) ||
        (st = b_text(r, "reference", 150, false, &e.reference)) ||
        (st = b_decimal(r, "contained_t", false, contained, sizeof contained, &e.contained_t)) ||
        (st = b_text(r, "formula", 30, false, &e.formula)) || (st = b_decimal(r, "unit_cost", false, cost, sizeof cost, &e.unit_cost)) ||
        (st = b_text(r, "currency", 3, false, &e.currency)) || (st = b_text(r, "supplier", 64, false, &e.supplier)))
        return st;
    return record(r, &e);
}

static const char *const movement_kinds[] = {"release", "sale", "rotation", "write-off", "transfer", "adjust", "reversal", NULL};

int h_movement_add(srv_req *r)
{
    rmct_stock_entry e = {0};
    char tonnes[48], counted[48], rev[32];
    int st;
    if ((st = b_only(r, "kind,lot,tonnes,counted,warehouse,to_warehouse,date,reason,actor,reference,reverses")) ||
        (st = b_text(r, "kind", 16, true, &e.kind)))
        return st;
    bool known = false;
    for (int i = 0; movement_kinds[i]; i++) known |= !strcmp(e.kind, movement_kinds[i]);
    if (!known)
        return srv_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "kind",
                         "kind: expected release, sale, rotation, write-off, transfer, adjust or reversal (acquisitions: POST "
                         "/api/v1/stock/lots)");
    bool reversal = !strcmp(e.kind, "reversal");
    if ((st = b_text(r, "lot", 64, !reversal, &e.lot)) || (st = b_decimal(r, "tonnes", false, tonnes, sizeof tonnes, &e.tonnes)) ||
        (st = b_decimal(r, "counted", false, counted, sizeof counted, &e.counted)) ||
        (st = b_text(r, "warehouse", 32, false, &e.warehouse)) || (st = b_text(r, "to_warehouse", 32, false, &e.to_warehouse)) ||
        (st = b_text(r, "date", 10, false, &e.date)) || (st = b_text(r, "reason", 500, false, &e.reason)) ||
        (st = b_text(r, "actor", 90, false, &e.actor)) || (st = b_text(r, "reference", 150, false, &e.reference)) ||
        (st = b_decimal(r, "reverses", reversal, rev, sizeof rev, &e.reverses)))
        return st;
    return record(r, &e);
}

int h_movements(srv_req *r)
{
    rmct_stock_history_filter f = {0};
    int st;
    if ((st = q_text(r, "metal", 64, &f.metal)) || (st = q_text(r, "warehouse", 32, &f.warehouse)) ||
        (st = q_text(r, "lot", 64, &f.lot)) || (st = q_date(r, "since", &f.since)) || (st = q_date(r, "until", &f.until)))
        return st;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_movement *m;
    int n;
    if (rmct_stock_history(r->db, &f, false, &m, &n, &err)) return srv_fail(r, &err);
    out_table *t = view_stock_history(m, n, OUT_JSON);
    free(m);
    return srv_table(r, t);
}

int h_stock_audit(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_audit_row *a;
    int n;
    if (rmct_stock_audit(r->db, &a, &n, &err)) return srv_fail(r, &err);
    out_table *t = view_stock_audit(a, n);
    rmct_stock_audit_free(a, n);
    return srv_table(r, t);
}

int h_stock_verify(srv_req *r)
{
    rmct_error err;
    rmct_error_clear(&err);
    rmct_stock_check c;
    if (rmct_stock_verify(r->db, &c, &err)) return srv_fail(r, &err);
    return srv_json(r, MHD_HTTP_OK,
                    json_pack("{s:b, s:i, s:i, s:i, s:i, s:i, s:f, s:f, s:f, s:i, s:s?}", "consistent", c.problems == 0, "warehouses",
                              (int)c.warehouses, "lots", (int)c.lots, "movements", (int)c.movements, "reversals", (int)c.reversals,
                              "audit_rows", (int)c.audit_rows, "held_t", (double)c.held_g / 1e6, "in_t", (double)c.in_g / 1e6,
                              "out_t", (double)c.out_g / 1e6, "problems", (int)c.problems, "first_problem",
                              c.problems ? c.first_problem : NULL));
}

int h_cover(srv_req *r)
{
    const char *as_of = NULL, *set = "KR";
    bool all = false;
    int st;
    if ((st = q_date(r, "date", &as_of)) || (st = q_text(r, "against", 32, &set)) || (st = q_bool(r, "all", &all))) return st;
    rmct_error err;
    rmct_error_clear(&err);
    cover_result c;
    if (view_cover_compute(srv_data_dir(r->s), r->db, as_of, set, NULL, NULL, all, &c, &err)) {
        view_cover_free(&c);
        return srv_fail(r, &err);
    }
    out_table *t = view_cover(&c, OUT_JSON);
    json_t *targets = json_array();
    for (int i = 0; i < c.n_targets; i++) {
        const rmct_stock_target *g = &c.targets[i];
        if (strcmp(g->set, set)) continue;
        json_array_append_new(targets, json_pack("{s:s, s:s, s:s, s:f, s:i, s:s, s:s, s:s}", "id", g->id, "metal", g->metal, "kind",
                                                 g->tonnes ? "tonnes" : "days", "value", g->value, "year", g->year, "note",
                                                 g->note, "source", g->source, "url", g->url));
    }
    json_t *j = json_pack("{s:s?, s:s, s:o, s:o}", "as_of", as_of, "against", set, "targets", targets, "metals", out_json(t));
    out_free(t);
    view_cover_free(&c);
    return srv_json(r, MHD_HTTP_OK, j);
}
