/* stockpile.h: the national stockpile ledger and its days of cover (docs/STOCKPILE.md).
 *
 * The ledger holds warehouses, lots (a metal in one form and purity, acquired on one date) and the
 * movements of each lot: acquisition, release, sale, rotation, transfer between warehouses,
 * write-off, stock-count adjustment and the reversal that corrects any of them. Its invariants
 * (append-only history, balanced movements, no negative lot or warehouse at any date, an audit row
 * for every change) are enforced by the store itself (sql/005_stockpile.sql); the functions here
 * check the same things first so that bad input gets an error saying what was expected, and write
 * each entry, or each imported file, in one transaction: on any error nothing is written.
 *
 * Quantities are stored as integer grams of the lot's gross material, so balances are exact;
 * contained tonnes follow the lot's contained/gross ratio. Days of cover divide contained stock by
 * a daily demand: a user's figure, a sourced figure (data/stockpile_demand.csv) or the normal demand
 * the bundled value chains imply (their assumptions), compared with targets from
 * data/stockpile_targets.csv and valued at the latest price loaded. */
#ifndef RMCT_STOCKPILE_H
#define RMCT_STOCKPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "chain.h"
#include "error.h"
#include "store.h"

/* Who records, and the day it is: entries dated after `today` are refused. */
typedef struct {
    const char *actor;   /* stored as recorded_by and in the audit log; non-empty */
    const char *today;   /* YYYY-MM-DD */
} rmct_stock_ctx;

/* ---------------- text helpers ---------------- */

/* A real calendar date written YYYY-MM-DD. */
bool rmct_stock_valid_date(const char *text);
/* Today's local date as YYYY-MM-DD. */
void rmct_stock_local_today(char out[11]);
/* Tonnes written as a decimal number ("12.5", "3", "1e-3") to whole grams. allow_negative for
 * adjustments. False for text that is not a number, has more than 6 decimals (finer than a gram),
 * is zero, negative (unless allowed) or larger than 1e9 t. */
bool rmct_stock_parse_tonnes(const char *text, bool allow_negative, int64_t *grams);
/* Grams as tonnes with up to 6 decimals and no trailing zeros ("12.5", "-0.25", "3"). */
const char *rmct_stock_fmt_tonnes(char *buf, size_t size, int64_t grams);

/* ---------------- warehouses ---------------- */

typedef struct {
    char code[40], name[160], location[160], recorded_by[96], recorded_at[32];
    int64_t held_g;        /* gross grams held now, all lots */
    double contained_t;    /* contained tonnes held now */
    int lots;              /* lots with a balance here */
} rmct_stock_warehouse;

/* Register a warehouse (code: letters, digits, '.', '_', '-', up to 32). Errors set err->field to
 * "code", "name" or "location". */
rmct_code rmct_stock_warehouse_add(rmct_db *db, const rmct_stock_ctx *ctx, const char *code, const char *name,
                                   const char *location, rmct_error *err);
rmct_code rmct_stock_warehouses(rmct_db *db, rmct_stock_warehouse **out, int *n, rmct_error *err);

/* ---------------- entries ---------------- */

/* One ledger entry as text, from the command line or one row of a ledger CSV. NULL or "" means not
 * given. The field names are the CSV's columns; on a bad value err->field names the field. */
typedef struct {
    const char *kind;          /* acquire, release, sale, rotation, write-off, transfer, adjust, reversal */
    const char *date;          /* YYYY-MM-DD; not after ctx->today; default today */
    const char *lot;           /* lot code */
    const char *warehouse;     /* acquire: where received; transfer, release...: where from; adjust: where
                                  counted. Optional when the lot is held in one warehouse only */
    const char *to_warehouse;  /* transfer: where to */
    const char *tonnes;        /* gross tonnes; adjust: the signed difference (+ found, - missing) */
    const char *counted;       /* adjust: the counted gross tonnes, instead of tonnes */
    const char *reason, *actor, *reference;
    const char *reverses;      /* reversal: the id of the movement it reverses */
    /* acquire only */
    const char *metal;         /* element or type of Korea's 35 (Dy, dysprosium, REE) */
    const char *form;          /* metal, oxide, alloy, compound */
    const char *purity;        /* fraction (0, 1] */
    const char *contained_t;   /* contained tonnes of the element, if known */
    const char *formula;       /* else the compound whose element fraction gives it (Dy2O3) */
    const char *unit_cost;     /* per tonne gross, in currency */
    const char *currency;      /* ISO 4217 code, with unit_cost */
    const char *supplier;      /* the supplier's country */
} rmct_stock_entry;

typedef struct {
    int64_t movement_id;       /* 0: nothing recorded (an adjustment whose count matches the book) */
    int64_t lot_id;
    char kind[12], date[11], lot[72], from[40], to[40];
    int64_t qty_g;             /* gross grams moved (adjust: the absolute difference) */
    int64_t contained_g;       /* of which contained */
    int64_t book_g;            /* adjust: the book balance the count was compared with */
    char metal[8];             /* element, or type code */
    char contained_basis[200]; /* acquire: how the contained quantity was obtained */
} rmct_stock_result;

/* Record one entry in its own transaction (BEGIN IMMEDIATE: concurrent writers wait their turn).
 * Returns RMCT_OK only after COMMIT. */
rmct_code rmct_stock_record(rmct_db *db, const rmct_stock_ctx *ctx, const rmct_stock_entry *e, rmct_stock_result *res,
                            rmct_error *err);

typedef struct {
    bool create_warehouses;    /* create warehouses the file names but the ledger lacks */
} rmct_stock_import_opts;

typedef struct {
    bool unchanged;            /* this very file was imported before: nothing done */
    int64_t source_id;
    long rows, lots, warehouses_created;
    char first_date[11], last_date[11];
} rmct_stock_import_result;

/* Import a ledger CSV (docs/DATA.md, "The stockpile ledger") in one transaction, as a source of
 * dataset "stock-ledger". A bad row rejects the file: err names file, line, column and field. */
rmct_code rmct_stock_import(rmct_db *db, const rmct_stock_ctx *ctx, const char *path, const char *display_name,
                            const rmct_stock_import_opts *opts, rmct_stock_import_result *res, rmct_error *err);

/* ---------------- reading the ledger ---------------- */

typedef struct {
    int64_t lot_id;
    char lot[72], type_code[8], element[4], metal_name[64], form[12], formula[32];
    double purity;
    char warehouse[40];
    int64_t held_g;            /* gross grams in the warehouse as of the date */
    double contained_t;
    int64_t gross_g, contained_g;   /* as acquired */
    char acquired[11], currency[4], supplier[4];
    double unit_cost;          /* NaN if not recorded */
} rmct_stock_holding;

typedef struct {
    const char *metal;         /* element (its lots) or type (all its lots); NULL: all */
    const char *warehouse;     /* NULL: all */
    const char *lot;           /* NULL: all */
    const char *as_of;         /* YYYY-MM-DD; NULL: everything recorded */
    bool include_empty;        /* also (lot, warehouse) pairs that hold nothing */
} rmct_stock_filter;

rmct_code rmct_stock_holdings(rmct_db *db, const rmct_stock_filter *f, rmct_stock_holding **out, int *n,
                              rmct_error *err);

typedef struct {
    int64_t id, lot_id, reverses, reversed_by, source_id;
    char lot[72], metal[8], kind[12], date[11], from[40], to[40];
    int64_t qty_g;
    int64_t lot_balance_g;     /* the lot's total after this movement, in date order */
    char reason[512], actor[96], reference[160], recorded_by[96], recorded_at[32];
    long src_line;
    /* the lot, for acquisitions (and exports) */
    char form[12], formula[32], currency[4], supplier[4];
    double purity, unit_cost;
    int64_t contained_g;
} rmct_stock_movement;

typedef struct {
    const char *metal, *warehouse, *lot;
    const char *since, *until; /* dates, inclusive; NULL: open */
} rmct_stock_history_filter;

/* Movements in date order (then id), or in id order (the order recorded) when by_id. */
rmct_code rmct_stock_history(rmct_db *db, const rmct_stock_history_filter *f, bool by_id, rmct_stock_movement **out,
                             int *n, rmct_error *err);

typedef struct {
    int64_t id;
    char at[32], actor[96], action[12], row_key[40];
    char *detail;              /* JSON, owned */
} rmct_stock_audit_row;

rmct_code rmct_stock_audit(rmct_db *db, rmct_stock_audit_row **out, int *n, rmct_error *err);
void rmct_stock_audit_free(rmct_stock_audit_row *rows, int n);

/* Everything the store promises, checked again from the raw tables. */
typedef struct {
    long warehouses, lots, movements, reversals, audit_rows;
    int64_t held_g;            /* in all warehouses */
    int64_t in_g, out_g;       /* gross grams that entered and left the stockpile */
    long problems;
    char first_problem[512];
} rmct_stock_check;

rmct_code rmct_stock_verify(rmct_db *db, rmct_stock_check *out, rmct_error *err);

/* ---------------- days of cover ---------------- */

typedef enum { RMCT_DEMAND_NONE, RMCT_DEMAND_CHAINS, RMCT_DEMAND_SOURCED, RMCT_DEMAND_USER } rmct_demand_kind;
const char *rmct_demand_kind_name(rmct_demand_kind k);

typedef struct {
    char metal[8];             /* element symbol or type code */
    double t_per_day;          /* tonnes per day */
    rmct_demand_kind kind;
    int year;                  /* 0 if not stated */
    char basis[600];           /* its source, or how it was derived */
} rmct_stock_demand;

/* The normal demand the chains imply, per element: material nodes measured in t, their demand in
 * the normal month (rmct_model_node()->demand0) summed over chains and divided by 365/12. */
rmct_code rmct_stock_chain_demand(rmct_chain *const *chains, int n_chains, rmct_stock_demand **out, int *n,
                                  rmct_error *err);
/* A demand CSV (metal,t_per_day,year,basis,source,source_url,note): kind is SOURCED or USER. */
rmct_code rmct_stock_demand_read(rmct_db *db, const char *path, rmct_demand_kind kind, rmct_stock_demand **out, int *n,
                                 rmct_error *err);

typedef struct {
    char id[32], set[32], metal[8];   /* metal "*": every metal without a row of its own */
    bool tonnes;                      /* a tonnage target; else days of demand */
    double value;
    int year;
    char note[600], source[600], url[400];
} rmct_stock_target;

/* A targets CSV (data/stockpile_targets.csv: id,set,metal,kind,value,year,note,source,source_url). */
rmct_code rmct_stock_targets_read(rmct_db *db, const char *path, rmct_stock_target **out, int *n, rmct_error *err);

typedef struct {
    char metal[8], type_code[8], name[64];
    bool aggregate;            /* a whole type (REE, PGM): every lot of it */
    double stock_t;            /* contained tonnes as of the date */
    double demand_t_day;       /* NaN: no figure */
    rmct_demand_kind demand_kind;
    char demand_basis[600];
    double days;               /* stock / demand; NaN without demand */
    int target;                /* index into the targets, -1 if none */
    double target_t;           /* tonnes the target asks for; NaN if unknown (days target, no demand) */
    double short_days, short_t;/* >= 0; NaN if unknown */
    double price_usd_t;        /* NaN: no price */
    char price_series[200], price_unit[120];
    int price_year;
    double value_usd, short_usd;   /* NaN without a price */
} rmct_cover_row;

/* Rows for every metal with stock, a demand figure or a target of its own in `set`, plus (all) the
 * other elements and types of the 35; ranked by days short, then tonnes short's value, then
 * metal. Demand per metal: the highest kind given (user, then sourced, then chains). */
rmct_code rmct_stock_cover(rmct_db *db, const char *as_of, const rmct_stock_demand *demand, int n_demand,
                           const rmct_stock_target *targets, int n_targets, const char *set, bool all,
                           rmct_cover_row **out, int *n, rmct_error *err);

/* The latest price loaded for an element (or type): USD per tonne of the series' product. */
rmct_code rmct_stock_price(rmct_db *db, const char *type_code, const char *element, double *usd_t, char *series,
                           size_t series_size, char *unit, size_t unit_size, int *year, rmct_error *err);

#endif
