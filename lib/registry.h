/* registry.h: naming things: metals (elements, the 35 Korean rare-metal types and their groups),
 * countries and units, as stored by the registry imports. Lookups are case-insensitive.
 *
 * A metal is named by element symbol ("W"), English name ("tungsten", "caesium"), type code
 * ("REE", "PGM"), type name ("rare earth elements") or a publisher's alias ("columbium",
 * "Platinum-group metals"). A country by ISO alpha-3 or alpha-2, ISO or Comtrade numeric code,
 * English name, or a publisher's alias ("Congo (Kinshasa)", "Korea, Republic of", "Burma"). */
#ifndef RMCT_REGISTRY_H
#define RMCT_REGISTRY_H

#include <stdbool.h>

#include "store.h"

typedef struct {
    char type_code[8];  /* the rare-metal type; "" for an element outside the 56 */
    char element[4];    /* the element, "" when the name means the whole type (e.g. "REE") */
    char name[96];      /* display name of what was named */
} rmct_metal;

typedef struct {
    char text[160];          /* the unit as data/units.csv spells it (lookups ignore case) */
    double factor_t;         /* value × factor_t = tonnes */
    char basis[16];          /* contained, metal, oxide, gross, product, mixed */
    char basis_label[96];    /* e.g. "t W content" */
    char element[4];         /* element whose content the unit states, "" if none */
} rmct_unit;

/* Prepared lookups, reused across many rows. */
typedef struct rmct_registry rmct_registry;

rmct_code rmct_registry_open(rmct_db *db, rmct_registry **out, rmct_error *err);
void rmct_registry_close(rmct_registry *reg);

/* Resolve a metal name; RMCT_E_NOTFOUND (message names the text) if unknown. */
rmct_code rmct_registry_metal(rmct_registry *reg, const char *text, rmct_metal *out, rmct_error *err);
/* Resolve a country to ISO alpha-3; RMCT_E_NOTFOUND if unknown. */
rmct_code rmct_registry_country(rmct_registry *reg, const char *text, char iso3[4], rmct_error *err);
/* Look up a unit by its exact text (case-insensitive); RMCT_E_NOTFOUND if unknown. */
rmct_code rmct_registry_unit(rmct_registry *reg, const char *text, rmct_unit *out, rmct_error *err);

/* One-shot versions for programs (open, look up, close). */
rmct_code rmct_metal_resolve(rmct_db *db, const char *text, rmct_metal *out, rmct_error *err);
rmct_code rmct_country_resolve(rmct_db *db, const char *text, char iso3[4], rmct_error *err);

/* Whether the registry has been loaded (rmct init has run). */
bool rmct_registry_loaded(rmct_db *db);

#endif
