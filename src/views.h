/* views.h: what the rmct commands show, as tables (out.h) and JSON documents, built from librmct
 * results by the same code for the command line and the HTTP server (src/serve*.c): the server's
 * JSON is what 'rmct --format json COMMAND' prints, plus what the text pages add around it. */
#ifndef RMCT_VIEWS_H
#define RMCT_VIEWS_H

#include <jansson.h>
#include <stdbool.h>

#include "events.h"
#include "out.h"
#include "sim_cli.h"
#include "stockpile.h"
#include "supply.h"
#include "trade.h"

/* ---- registry (cmd_registry.c, cmd_data.c) ---- */
/* Korea's types (group code or NULL) with membership counts of every list; `f` decides the cells
 * ("yes", "3/17" for tables, counts otherwise). */
rmct_code view_metals(rmct_db *db, const char *list, const char *group, out_format f, out_table **out, rmct_error *err);
rmct_code view_lists_counts(rmct_db *db, out_table **out, rmct_error *err);
rmct_code view_lists_matrix(rmct_db *db, out_format f, out_table **out, rmct_error *err);
rmct_code view_sources(rmct_db *db, out_format f, out_table **out, rmct_error *err);

/* ---- supply (cmd_supply.c) ---- */
typedef struct {
    size_t types, with_data;
    int flagged;
} supply_counts;
rmct_code view_supply(rmct_db *db, const rmct_overview_query *q, double hhi_threshold, double share_threshold,
                      out_format f, out_table **out, supply_counts *counts, rmct_error *err);
/* One metal's page (rmct show METAL --format json). */
rmct_code view_show(rmct_db *db, const char *metal, int year, const char *stage, const char *edition, json_t **out,
                    rmct_error *err);

/* ---- imports and dependence (cmd_imports.c) ---- */
typedef struct {
    const char *reporter;     /* ISO3 */
    const char *form;         /* NULL: all */
    int year;
    bool look_through;
} imports_opts;
/* Partners of every year (one row per year and partner), as 'rmct imports --format json'. */
out_table *view_import_flows(const rmct_import_year *years, size_t ny, int year);
/* The reported facts of a type (data/korea_imports.csv): one row each. */
rmct_code view_import_facts(rmct_db *db, const char *type_code, const char *reporter, out_table **out, rmct_error *err);
rmct_code view_dependence(rmct_db *db, const imports_opts *o, out_table **out, rmct_error *err);

/* ---- criticality (cmd_assess.c) ---- */
#include "assess.h"
/* The assessment ranked by SR (assessed first), as 'rmct assess' shows it; samples > 0 adds the
 * intervals and P(critical). *assessed and *critical count the metals with an SR and the types critical. */
out_table *view_assess(const rmct_method *m, const rmct_assessment *a, size_t n, int samples, out_format f, size_t *assessed,
                       int *critical);

/* ---- events (cmd_events.c) ---- */
json_t *events_json(rmct_db *db, const rmct_event *v, size_t n);

/* ---- chains and scenarios (cmd_chain.c, cmd_simulate.c) ---- */
out_table *view_chain_list(const sim_chains *ch);
out_table *view_chain_params(const rmct_chain *c);
rmct_code view_scenarios(const char *data_dir, out_table **out, rmct_error *err);
/* A run: shortfall by metal, production lost by sector (the tables of 'rmct simulate NAME'), and
 * every flow of every node and month (--format csv/json). */
out_table *view_trace_metals(const rmct_model *m, const rmct_trace *tr);
out_table *view_trace_sectors(const rmct_model *m, const rmct_trace *tr);
out_table *view_trace_flows(const rmct_model *m, const rmct_trace *tr);
/* An ensemble's metrics: expected, P(any), P50, P95, P99, max. */
out_table *view_ensemble(const rmct_model *m, const rmct_ensemble_stats *st);
out_table *view_hazards(const rmct_hazard_set *hz, out_format f);

/* ---- stockpile (cmd_stock.c, cmd_plan.c) ---- */
out_table *view_stock_warehouses(const rmct_stock_warehouse *w, int n);
/* by: lot, metal or warehouse; totals in *lots, *gross (t) and *contained (t). */
out_table *view_stock_holdings(const rmct_stock_holding *h, int n, const char *by, out_format f, int *lots, double *gross,
                               double *contained);
out_table *view_stock_history(const rmct_stock_movement *m, int n, out_format f);
out_table *view_stock_audit(const rmct_stock_audit_row *a, int n);
/* Days of cover: demand from the chains, data/stockpile_demand.csv and demand_file (may be NULL);
 * targets from targets_file (NULL: data/stockpile_targets.csv); set: the target set. */
typedef struct {
    rmct_stock_target *targets;
    int n_targets;
    rmct_cover_row *rows;
    int n_rows;
    bool unknown_set;         /* set names no target set of the file: sets lists those it has */
    char sets[512];
} cover_result;
rmct_code view_cover_compute(const char *data_dir, rmct_db *db, const char *as_of, const char *set, const char *demand_file,
                             const char *targets_file, bool all, cover_result *out, rmct_error *err);
void view_cover_free(cover_result *c);
out_table *view_cover(const cover_result *c, out_format f);

typedef struct {
    double budget, capacity, purchase_days;
    long runs, seed, threads;
    const char *scenario, *as_of;
    bool no_hazards, extensive;
    volatile int *cancel;     /* may be NULL */
    void (*progress)(void *ctx, long done, long total);
    void *progress_ctx;
} plan_params;
typedef struct {
    out_table *metals;        /* the plan per metal ('rmct stock plan --format json') */
    char scenario[64];
    double loss0, objective, spent, loss_cover, loss_risk, budget_dual, seconds;
    int rows, columns;
    int n_frontier;
    double frontier_budget[6], frontier_loss[6], frontier_spent[6];
    char excluded[512];       /* metals not planned, with why */
} plan_result;
rmct_code view_plan(const char *data_dir, rmct_db *db, const plan_params *p, out_format f, plan_result *out,
                    rmct_error *err);
void view_plan_free(plan_result *r);

#endif
