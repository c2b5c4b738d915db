/* ingest_internal.h: what the readers share: the per-file import context, the format table entry
 * and the helpers that store citations and supply rows. Not part of the public API. */
#ifndef RMCT_INGEST_INTERNAL_H
#define RMCT_INGEST_INTERNAL_H

#include "csv.h"
#include "ingest.h"
#include "registry.h"
#include "text.h"

/* Statement slots: readers use 0..INGEST_READER_STMTS-1; the shared helpers use the last two. */
#define INGEST_STMTS 10
#define INGEST_READER_STMTS 8
#define INGEST_STMT_CITE 8
#define INGEST_STMT_SUPPLY 9

typedef struct {
    rmct_db *db;
    rmct_registry *reg;
    rmct_csv *csv;                /* open when the format is a CSV format */
    const char *path;             /* as given */
    const char *name;             /* as shown in errors */
    int64_t source_id;
    rmct_import_result *res;
    const rmct_import_opts *opts;
    uint64_t size;                /* file size, for progress */
    long rows_seen;
    int64_t cite_id;              /* last citation, reused while the text repeats */
    char cite_text[1024], cite_url[512];
    sqlite3_stmt *st[INGEST_STMTS]; /* statements a reader prepares once; finalized after the file */
} ingest_ctx;

typedef rmct_code (*ingest_reader)(ingest_ctx *ctx, rmct_error *err);
/* Reads the edition from the file when the format carries it (USGS); "" if it cannot tell. */
typedef rmct_code (*ingest_edition_fn)(const char *path, char *edition, size_t size, rmct_error *err);

typedef struct {
    const char *name;
    const char *summary;
    ingest_reader read;
    bool is_csv;
    ingest_edition_fn edition_from_file;
    rmct_source_info defaults;
} ingest_format;

/* The readers, one per format (ingest_registry.c, ingest_supply.c, ingest_usgs.c, ingest_events.c, ...). */
rmct_code ingest_elements(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_groups(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_iso3166(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_countries_extra(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_country_display(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_comtrade_codes(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_country_aliases(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_units(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_list_names(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_lists(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_metal_aliases(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_eu_material_elements(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_eu_crm(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_production(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_reserves(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_capacity(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_prices(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_eu_global_shares(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_eu_sourcing_shares(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_wgi(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_generic(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_usgs(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_usgs_commodities(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_hs_map(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_baci(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_baci_countries(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_baci_products(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_comtrade(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_korea_facts(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_eu_params(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_eu_end_use(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_name_aliases(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_events(ingest_ctx *ctx, rmct_error *err);
rmct_code ingest_usgs_edition(const char *path, char *edition, size_t size, rmct_error *err);

/* Bind the header of ctx->csv to spec (see rmct_csv_header). */
rmct_code ingest_header(ingest_ctx *ctx, const rmct_csv_colspec *spec, size_t n, int *idx,
                        bool allow_extra, rmct_error *err);
/* Next record; *got false at the end. Reports progress now and then. */
rmct_code ingest_next(ingest_ctx *ctx, bool *got, rmct_error *err);

/* Citation id for (text, url) in this source, cached while it repeats. */
rmct_code ingest_cite(ingest_ctx *ctx, const char *text, const char *url, int64_t *id, rmct_error *err);

/* Prepare statement slot i of ctx once. */
rmct_code ingest_stmt(ingest_ctx *ctx, int i, const char *sql, sqlite3_stmt **st, rmct_error *err);

/* Run a prepared INSERT bound by the caller; maps constraint failures to an input error at the
 * current record (field i, or the record when i < 0) saying what was violated. */
rmct_code ingest_step(ingest_ctx *ctx, sqlite3_stmt *st, int field, const char *what, rmct_error *err);

/* One production/reserves/capacity fact. */
typedef struct {
    const char *measure;   /* production, reserves, capacity */
    const char *type_code;
    const char *element;   /* NULL or "" for the whole type */
    const char *commodity;
    const char *stage;     /* mine, refinery */
    const char *stage_detail;
    const char *row_kind;  /* country, other, world */
    const char *country;   /* ISO3 for row_kind country */
    const char *product;
    long year;
    bool has_value;
    double value;
    const char *unit;
    const char *basis;
    const char *basis_label;
    const char *qualifier;
    bool estimated;
    const char *value_raw;
    const char *note;
    int64_t citation_id;   /* 0 = none */
    long line;
} ingest_supply;

/* Store one supply fact; a duplicate key is an input error naming the earlier line. */
rmct_code ingest_supply_row(ingest_ctx *ctx, const ingest_supply *row, rmct_error *err);

/* Check that all rows of each series (metal, stage, year, measure) in this source share one
 * basis; the first row that disagrees is an input error (unit mismatch). */
rmct_code ingest_check_series_basis(ingest_ctx *ctx, rmct_error *err);

/* Resolve a metal / country for the current record's field i, as an input error if unknown. */
rmct_code ingest_metal(ingest_ctx *ctx, int field, const char *text, rmct_metal *out, rmct_error *err);
rmct_code ingest_country(ingest_ctx *ctx, int field, const char *text, char iso3[4], rmct_error *err);

/* "t Sb content"-style label for a basis. */
void ingest_basis_label(const char *basis, const char *element, char *buf, size_t size);

#endif
