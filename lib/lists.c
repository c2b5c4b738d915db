/* lists.c: registry tables (see lists.h). */
#include "lists.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static void text(sqlite3_stmt *st, int i, char *dst, size_t n) { rmct_db_column_text(st, i, dst, n); }

rmct_code rmct_lists_load(rmct_db *db, rmct_list_info **out, size_t *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT l.id, l.short, l.name, l.jurisdiction, l.year,"
        " (SELECT count(DISTINCT member) FROM list_member m WHERE m.list_id = l.id),"
        " (SELECT count(DISTINCT element) FROM list_member m WHERE m.list_id = l.id AND element IS NOT NULL),"
        " (SELECT count(DISTINCT member) FROM list_member m WHERE m.list_id = l.id AND member_kind = 'material'),"
        " (SELECT count(DISTINCT e.type_code) FROM list_member m JOIN element e ON e.symbol = m.element WHERE m.list_id = l.id),"
        " (SELECT count(DISTINCT e.symbol) FROM list_member m JOIN element e ON e.symbol = m.element"
        "   WHERE m.list_id = l.id AND e.type_code IS NOT NULL),"
        " (SELECT c.text FROM list_member m JOIN citation c ON c.id = m.citation_id WHERE m.list_id = l.id LIMIT 1),"
        " (SELECT c.url FROM list_member m JOIN citation c ON c.id = m.citation_id WHERE m.list_id = l.id LIMIT 1)"
        " FROM list l ORDER BY l.ord, l.id LIMIT ?", err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, RMCT_MAX_LISTS);
    rmct_list_info *v = calloc(RMCT_MAX_LISTS, sizeof *v);
    if (!v) {
        sqlite3_finalize(st);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    size_t k = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        rmct_list_info *l = &v[k++];
        text(st, 0, l->id, sizeof l->id);
        text(st, 1, l->short_name, sizeof l->short_name);
        text(st, 2, l->name, sizeof l->name);
        text(st, 3, l->jurisdiction, sizeof l->jurisdiction);
        l->year = sqlite3_column_int(st, 4);
        l->n_members = sqlite3_column_int(st, 5);
        l->n_elements = sqlite3_column_int(st, 6);
        l->n_materials = sqlite3_column_int(st, 7);
        l->n_rm_types = sqlite3_column_int(st, 8);
        l->n_rm_elements = sqlite3_column_int(st, 9);
        text(st, 10, l->source, sizeof l->source);
        text(st, 11, l->url, sizeof l->url);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) {
        free(v);
        return rmct_db_error(db, err, "reading lists");
    }
    *out = v;
    *n = k;
    return RMCT_OK;
}

rmct_code rmct_list_find(const rmct_list_info *lists, size_t n, const char *name, size_t *index, rmct_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (rmct_streq_nocase(lists[i].short_name, name) || rmct_streq_nocase(lists[i].id, name)) {
            *index = i;
            return RMCT_OK;
        }
    char known[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < n && len < sizeof known; i++)
        len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "", lists[i].short_name);
    char q[64];
    return rmct_error_set(err, RMCT_E_NOTFOUND, "expected a list (%s), got \"%s\"", known, rmct_error_quote(name, q, sizeof q));
}

/* Count of the elements of `type` (or the single element) on each list. */
static rmct_code membership(rmct_db *db, const rmct_list_info *lists, size_t nlists, const char *type_code,
                            const char *element, int *on_list, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT count(DISTINCT m.element) FROM list_member m JOIN element e ON e.symbol = m.element"
        " WHERE m.list_id = ?1 AND ((?2 IS NOT NULL AND e.type_code = ?2) OR (?3 IS NOT NULL AND e.symbol = ?3))", err);
    if (rc) return rc;
    for (size_t i = 0; i < nlists; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, lists[i].id, -1, SQLITE_STATIC);
        if (type_code) sqlite3_bind_text(st, 2, type_code, -1, SQLITE_STATIC); else sqlite3_bind_null(st, 2);
        if (element) sqlite3_bind_text(st, 3, element, -1, SQLITE_STATIC); else sqlite3_bind_null(st, 3);
        on_list[i] = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    }
    sqlite3_finalize(st);
    return RMCT_OK;
}

rmct_code rmct_types_load(rmct_db *db, const rmct_list_info *lists, size_t nlists, const char *group,
                          rmct_type_info **out, size_t *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT t.no, t.code, t.name, g.code, g.name,"
        " (SELECT group_concat(symbol, ' ') FROM (SELECT symbol FROM element e WHERE e.type_code = t.code ORDER BY z)),"
        " (SELECT count(*) FROM element e WHERE e.type_code = t.code)"
        " FROM metal_type t JOIN metal_group g ON g.code = t.group_code WHERE (?1 IS NULL OR g.code = ?1) ORDER BY t.no", err);
    if (rc) return rc;
    if (group) sqlite3_bind_text(st, 1, group, -1, SQLITE_STATIC);
    rmct_type_info *v = calloc(35, sizeof *v);
    if (!v) {
        sqlite3_finalize(st);
        return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    }
    size_t k = 0;
    int s;
    while (k < 35 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        rmct_type_info *t = &v[k++];
        t->no = sqlite3_column_int(st, 0);
        text(st, 1, t->code, sizeof t->code);
        text(st, 2, t->name, sizeof t->name);
        text(st, 3, t->group_code, sizeof t->group_code);
        text(st, 4, t->group_name, sizeof t->group_name);
        text(st, 5, t->elements, sizeof t->elements);
        t->n_elements = sqlite3_column_int(st, 6);
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < k && !rc; i++) rc = membership(db, lists, nlists, v[i].code, NULL, v[i].on_list, err);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *n = k;
    return RMCT_OK;
}

rmct_code rmct_other_members_load(rmct_db *db, const rmct_list_info *lists, size_t nlists,
                                  rmct_other_member **out, size_t *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    /* one row per element outside the 56 (named by the element) or per material (named as listed) */
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT DISTINCT CASE WHEN m.element IS NULL THEN m.member ELSE e.name END AS label,"
        " CASE WHEN m.element IS NULL THEN 'material' ELSE 'element' END, ifnull(m.element,'')"
        " FROM list_member m LEFT JOIN element e ON e.symbol = m.element"
        " WHERE m.element IS NULL OR e.type_code IS NULL ORDER BY 2, 1", err);
    if (rc) return rc;
    rmct_other_member *v = NULL;
    size_t k = 0, cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 32;
            rmct_other_member *p = realloc(v, cap * sizeof *p);
            if (!p) {
                free(v);
                sqlite3_finalize(st);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            v = p;
        }
        rmct_other_member *o = &v[k++];
        memset(o, 0, sizeof *o);
        text(st, 0, o->member, sizeof o->member);
        text(st, 1, o->kind, sizeof o->kind);
        text(st, 2, o->element, sizeof o->element);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) {
        free(v);
        return rmct_db_error(db, err, "reading list members");
    }
    sqlite3_stmt *q;
    if ((rc = rmct_db_prepare(db, &q,
             "SELECT count(*) FROM list_member WHERE list_id = ?1 AND ((?2 <> '' AND element = ?2)"
             " OR (?2 = '' AND element IS NULL AND member = ?3 COLLATE NOCASE))", err))) {
        free(v);
        return rc;
    }
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < nlists; j++) {
            sqlite3_reset(q);
            sqlite3_bind_text(q, 1, lists[j].id, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, v[i].element, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, v[i].member, -1, SQLITE_STATIC);
            v[i].on_list[j] = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) > 0;
        }
    sqlite3_finalize(q);
    *out = v;
    *n = k;
    return RMCT_OK;
}

rmct_code rmct_list_members_load(rmct_db *db, const char *list_id, rmct_list_member **out, size_t *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT m.member, min(m.member_kind), ifnull(group_concat(m.element, ' '), ''),"
        " ifnull((SELECT group_concat(DISTINCT e.type_code) FROM list_member m2 JOIN element e ON e.symbol = m2.element"
        "         WHERE m2.list_id = m.list_id AND m2.member = m.member AND e.type_code IS NOT NULL), ''),"
        " max(m.note), min(m.rowid)"
        " FROM list_member m WHERE m.list_id = ? GROUP BY m.member ORDER BY min(m.rowid)", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, list_id, -1, SQLITE_STATIC);
    rmct_list_member *v = NULL;
    size_t k = 0, cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            cap = cap ? cap * 2 : 64;
            rmct_list_member *p = realloc(v, cap * sizeof *p);
            if (!p) {
                free(v);
                sqlite3_finalize(st);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            v = p;
        }
        rmct_list_member *m = &v[k++];
        memset(m, 0, sizeof *m);
        text(st, 0, m->member, sizeof m->member);
        text(st, 1, m->kind, sizeof m->kind);
        text(st, 2, m->elements, sizeof m->elements);
        text(st, 3, m->types, sizeof m->types);
        text(st, 4, m->note, sizeof m->note);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) {
        free(v);
        return rmct_db_error(db, err, "reading list members");
    }
    *out = v;
    *n = k;
    return RMCT_OK;
}

rmct_code rmct_group_resolve(rmct_db *db, const char *txt, char code[16], rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT code FROM metal_group WHERE code = ?1 COLLATE NOCASE OR name = ?1 COLLATE NOCASE"
        " OR name_in_source = ?1 COLLATE NOCASE OR CAST(ord AS TEXT) = ?1", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, txt, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) text(st, 0, code, 16);
    sqlite3_finalize(st);
    if (found) return RMCT_OK;
    char q[64];
    return rmct_error_set(err, RMCT_E_NOTFOUND,
                          "expected a group (alkali, semimetal, iron, boron, refractory, ree, pgm, or 1-7), got \"%s\"",
                          rmct_error_quote(txt, q, sizeof q));
}

rmct_code rmct_type_get(rmct_db *db, const rmct_list_info *lists, size_t nlists, const char *code,
                        rmct_type_info *out, rmct_error *err)
{
    rmct_type_info *all;
    size_t n;
    rmct_code rc = rmct_types_load(db, lists, nlists, NULL, &all, &n, err);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].code, code) == 0) {
            *out = all[i];
            free(all);
            return RMCT_OK;
        }
    free(all);
    return rmct_error_set(err, RMCT_E_NOTFOUND, "no rare-metal type \"%s\"", code);
}

rmct_code rmct_type_elements(rmct_db *db, const char *code, rmct_element_info *out, size_t *n, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "SELECT symbol, z, name, ifnull(atomic_weight, 0) FROM element WHERE type_code = ? ORDER BY z LIMIT 32", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        rmct_element_info *e = &out[(*n)++];
        text(st, 0, e->symbol, sizeof e->symbol);
        e->z = sqlite3_column_int(st, 1);
        text(st, 2, e->name, sizeof e->name);
        e->atomic_weight = sqlite3_column_double(st, 3);
    }
    sqlite3_finalize(st);
    return RMCT_OK;
}

rmct_code rmct_element_membership(rmct_db *db, const rmct_list_info *lists, size_t nlists, const char *symbol,
                                  int *on_list, rmct_error *err)
{
    return membership(db, lists, nlists, NULL, symbol, on_list, err);
}
