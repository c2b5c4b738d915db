/* lists.h: the registry as tables: Korea's 35 rare-metal types with their groups and elements,
 * the national lists (Korea, Japan, US, EU) and who is on which. */
#ifndef RMCT_LISTS_H
#define RMCT_LISTS_H

#include <stddef.h>

#include "store.h"

#define RMCT_MAX_LISTS 16

typedef struct {
    char id[32];
    char short_name[16];
    char name[128];
    char jurisdiction[8];
    int year;
    int n_members;      /* entries as the list names them (a group counts once) */
    int n_elements;     /* distinct elements */
    int n_materials;    /* members that are not elements (graphite, fluorspar...) */
    int n_rm_types;     /* Korean rare-metal types with at least one element on the list */
    int n_rm_elements;  /* of the 56 Korean rare-metal elements */
    char source[512];   /* citation of the list */
    char url[256];
} rmct_list_info;

typedef struct {
    int no;
    char code[8];
    char name[96];
    char group_code[16];
    char group_name[64];
    char elements[128];   /* symbols separated by spaces */
    int n_elements;
    int on_list[RMCT_MAX_LISTS]; /* number of the type's elements on each list, in list order */
} rmct_type_info;

/* Members of lists that are not among Korea's 56 rare-metal elements. */
typedef struct {
    char member[96];
    char kind[12];        /* element, material */
    char element[4];      /* "" for a material */
    int on_list[RMCT_MAX_LISTS];
} rmct_other_member;

/* A member of one list, with the Korean rare-metal type(s) of its elements. */
typedef struct {
    char member[96];
    char kind[12];
    char elements[128];
    char types[64];       /* Korean type codes, "" when none */
    char note[256];
} rmct_list_member;

rmct_code rmct_lists_load(rmct_db *db, rmct_list_info **out, size_t *n, rmct_error *err);
/* Resolve a list by short name (KR, US...) or id; *index set to its position in lists. */
rmct_code rmct_list_find(const rmct_list_info *lists, size_t n, const char *name, size_t *index, rmct_error *err);
/* The 35 types (group_code NULL for all), with membership counts for the given lists. */
rmct_code rmct_types_load(rmct_db *db, const rmct_list_info *lists, size_t nlists, const char *group,
                          rmct_type_info **out, size_t *n, rmct_error *err);
rmct_code rmct_other_members_load(rmct_db *db, const rmct_list_info *lists, size_t nlists,
                                  rmct_other_member **out, size_t *n, rmct_error *err);
rmct_code rmct_list_members_load(rmct_db *db, const char *list_id, rmct_list_member **out, size_t *n, rmct_error *err);
typedef struct {
    char symbol[4];
    int z;
    char name[64];
    double atomic_weight;  /* 0 when not given */
} rmct_element_info;

/* One type (with membership counts for the given lists). */
rmct_code rmct_type_get(rmct_db *db, const rmct_list_info *lists, size_t nlists, const char *code,
                        rmct_type_info *out, rmct_error *err);
/* The elements of a type in atomic-number order (out must hold 32). */
rmct_code rmct_type_elements(rmct_db *db, const char *code, rmct_element_info *out, size_t *n, rmct_error *err);
/* Count of one element on each list. */
rmct_code rmct_element_membership(rmct_db *db, const rmct_list_info *lists, size_t nlists, const char *symbol,
                                  int *on_list, rmct_error *err);

/* Resolve a group by code, name or number ("ree", "Rare earths", "6"). */
rmct_code rmct_group_resolve(rmct_db *db, const char *text, char code[16], rmct_error *err);

#endif
