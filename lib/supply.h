/* supply.h: the world supply picture: production, reserves and capacity series by country with
 * their concentration, read from the store (newest edition per series unless an edition is asked
 * for) and the published EU supply shares used where no tonnage data exist.
 *
 * A series is one metal (type, or element within a type), one measure, one stage and one year,
 * from one source. Shares are of the sum of the country rows plus 'Other countries' (when the
 * source gives it); the HHI counts named countries only, so with an 'Other countries' remainder
 * it is a lower bound. Withheld or unavailable values are left out and counted. */
#ifndef RMCT_SUPPLY_H
#define RMCT_SUPPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "conc.h"
#include "store.h"

typedef struct {
    char iso3[4];
    char name[80];
    bool has_value;
    double tonnes;        /* value × unit factor, in the series' basis */
    double share;         /* of the denominator; 0 without a value */
    char qualifier[64];   /* withheld, not available, lower bound, ... */
    bool estimated;
} rmct_supply_entry;

typedef enum { RMCT_ORIGIN_TONNES = 'T', RMCT_ORIGIN_SHARES = 'S' } rmct_origin;

typedef struct {
    rmct_origin origin;
    char measure[12];
    char type_code[8];
    char element[4];          /* "" = whole type */
    char commodity[128];      /* as the publisher names it */
    char stage[12];           /* mine | refinery */
    char stage_detail[256];
    int year;                 /* tonnage series */
    char period[16];          /* share series, e.g. "2016-2020" */
    bool estimated;           /* any row estimated */
    char basis[16];
    char basis_label[96];
    char unit[160];
    int64_t source_id;
    int64_t citation_id;      /* of the first country row (chapter, table) */
    char edition[64];
    size_t n;
    rmct_supply_entry *entries;  /* countries, largest first; those without a value last */
    bool has_other;
    double other_tonnes;
    bool has_world;
    double world_tonnes;      /* as published (e.g. 'World total (rounded)') */
    double denominator;       /* sum of country values plus 'Other countries' */
    int n_missing;            /* country rows without a value (withheld, not available) */
    rmct_conc conc;
} rmct_series;

typedef struct {
    const char *type_code;    /* required */
    const char *element;      /* NULL: any; "": whole-type series only; else that element */
    const char *measure;      /* production, reserves, capacity */
    const char *stage;        /* NULL: any */
    int year;                 /* 0: every year */
    const char *edition;      /* NULL: newest per series */
} rmct_series_query;

/* All tonnage series matching q, ordered by element, stage, year. */
rmct_code rmct_series_load(rmct_db *db, const rmct_series_query *q, rmct_series **out, size_t *n, rmct_error *err);
/* The EU CRM global supply-share series of a type (one per material and stage), stage may be NULL. */
rmct_code rmct_share_series_load(rmct_db *db, const char *type_code, const char *element, const char *stage,
                                 rmct_series **out, size_t *n, rmct_error *err);
void rmct_series_free(rmct_series *s, size_t n);

/* One row of the 35-type overview. */
typedef struct {
    int no;
    char code[8];
    char name[96];
    char group[64];
    bool has_data;
    rmct_series headline;     /* the most concentrated series chosen for the type (entries not kept) */
    char top_iso3[4];
    char top_name[80];
    int n_series;             /* candidate series considered */
    char why_none[200];       /* when !has_data */
} rmct_overview_row;

typedef struct {
    int year;                 /* 0: latest per series */
    const char *stage;        /* NULL: any */
    const char *edition;      /* NULL: newest */
    bool use_shares;          /* fall back to EU published shares where no tonnage exists */
} rmct_overview_query;

/* The 35 types in registry order, each with its most concentrated series (tonnage first, EU shares
 * as fallback). */
rmct_code rmct_supply_overview(rmct_db *db, const rmct_overview_query *q, rmct_overview_row **out,
                               size_t *n, rmct_error *err);

#endif
