/* chain.h: value chains (Resource -> Materials -> Components -> Products, with recycling feeding
 * back) read from JSON chain files (docs/SIMULATION.md), validated on load, every parameter with
 * its source or labelled an assumption. */
#ifndef RMCT_CHAIN_H
#define RMCT_CHAIN_H

#include <stdbool.h>

#include "error.h"
#include "store.h"

/* How a scenario parameter varies across futures (docs/SIMULATION.md, "distribution"). */
typedef enum { RMCT_DIST_NONE, RMCT_DIST_UNIFORM, RMCT_DIST_TRIANGULAR, RMCT_DIST_NORMAL, RMCT_DIST_LOGNORMAL } rmct_dist_kind;

typedef struct {
    rmct_dist_kind kind;
    double low, mode, high;   /* uniform, triangular */
    double sd;                /* normal (absolute), lognormal (of the log) */
} rmct_dist;

/* One number of a chain or scenario file with its provenance. */
typedef struct {
    bool given;               /* present in the file (else a default, see basis) */
    double value;
    double low, high;         /* published or assumed range; NaN if none */
    char unit[24];
    char *basis;              /* the source, or the reason for the assumption (owned) */
    bool assumption;
    rmct_dist dist;
} rmct_param;

typedef enum {
    RMCT_STAGE_RESOURCE, RMCT_STAGE_MATERIAL, RMCT_STAGE_COMPONENT, RMCT_STAGE_PRODUCT, RMCT_STAGE_RECYCLING
} rmct_chain_stage;

const char *rmct_chain_stage_name(rmct_chain_stage s);

typedef struct {
    int from;                 /* index of the input node */
    rmct_param intensity;     /* units of `from` per unit of this node's output, before yield */
} rmct_chain_input;

typedef struct {
    char iso3[4];
    rmct_param share;         /* fraction of the node's imports */
} rmct_chain_partner;

#define RMCT_CHAIN_TAGS 6

typedef struct {
    char id[32];
    char name[96];
    char unit[24];
    char element[8];          /* materials: symbol or type code; "" otherwise */
    char type_code[8];        /* the rare-metal type of `element`, when it is one (REE for Nd) */
    char tags[RMCT_CHAIN_TAGS][32];
    int n_tags;
    char sector[32];          /* the sector its final demand counts in ("" without final demand) */
    rmct_chain_stage stage;
    rmct_param final_demand;  /* units per year placed on Korea's supply of the node (products; optional on materials) */
    rmct_param yield;
    rmct_param domestic_share;
    rmct_param capacity;      /* units per year; !given: unlimited */
    rmct_param inventory_days;
    rmct_param value_usd, price_usd;
    rmct_param supply;        /* recycling: units of the fed node per year */
    int feeds;                /* recycling: the node it supplies, else -1 */
    rmct_chain_input *inputs;
    int n_inputs;
    rmct_chain_partner *partners;
    int n_partners;
    char imports_auto[8];     /* {"auto": SYMBOL}: partners resolved from the database */
    char imports_basis[240];  /* where the partner shares come from */
    bool imports_proxy;       /* world production shares standing in for Korea's imports */
} rmct_chain_node;

typedef struct {
    char name[48];
    int version;
    char title[160];
    int year;
    char path[512];
    char sha256[65];
    rmct_chain_node *nodes;
    int n_nodes;
    int *order;               /* node indices, every input before its consumers */
} rmct_chain;

/* Load and validate one chain file. Errors name the file, the JSON path of the entry and field
 * and what was expected. Partners given as {"auto": X} are left for rmct_chain_resolve_imports. */
rmct_code rmct_chain_load(const char *path, rmct_chain **out, rmct_error *err);

/* Fill the {"auto": X} partner lists from the database: the reporter's imports of X by partner
 * from loaded trade flows (latest year), else world refinery (else mine) production shares as a
 * labelled proxy. */
rmct_code rmct_chain_resolve_imports(rmct_db *db, rmct_chain *c, const char *reporter, rmct_error *err);

void rmct_chain_free(rmct_chain *c);

/* The chain files of a directory (NAME.json), sorted by name; *names is an array of malloc'd
 * paths. */
rmct_code rmct_chain_list(const char *dir, char ***paths, int *n, rmct_error *err);
void rmct_chain_list_free(char **paths, int n);

/* Index of the node with this id, or -1. */
int rmct_chain_find(const rmct_chain *c, const char *id);

/* Shared with scenario.c: read a parameter object at json path `where` of `file`. */
struct json_t;
rmct_code rmct_param_read(const struct json_t *obj, const char *file, const char *where, bool allow_dist, rmct_param *p,
                          rmct_error *err);
void rmct_param_free(rmct_param *p);
/* A parameter not in the file: its default with the reason. */
void rmct_param_default(rmct_param *p, double value, const char *unit, const char *why);

#endif
