/* jobstore.c: the server's finished background jobs in the database (jobstore.h). */
#include "jobstore.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

rmct_code rmct_jobrec_save(rmct_db *db, const rmct_jobrec *j, rmct_error *err)
{
    sqlite3_stmt *st;
    if (rmct_db_begin(db, err)) return err->code;
    rmct_code rc = rmct_db_prepare(db, &st,
                                   "INSERT INTO server_job(id, kind, owner, status, created_at, started_at, finished_at, params, result,"
                                   " error_code, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   err);
    if (rc) {
        rmct_db_rollback(db);
        return rc;
    }
    sqlite3_bind_int64(st, 1, j->id);
    sqlite3_bind_text(st, 2, j->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, j->owner, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, j->status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, j->created_at);
    if (j->started_at) sqlite3_bind_int64(st, 6, j->started_at);
    else sqlite3_bind_null(st, 6);
    sqlite3_bind_int64(st, 7, j->finished_at);
    sqlite3_bind_text(st, 8, j->params ? j->params : "{}", -1, SQLITE_STATIC);
    if (j->result) sqlite3_bind_text(st, 9, j->result, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, 9);
    sqlite3_bind_text(st, 10, j->error_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, j->error_message, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) {
        rc = rmct_db_error(db, err, "storing a finished job");
        rmct_db_rollback(db);
        return rc;
    }
    return rmct_db_commit(db, err);
}

void rmct_jobrec_free_all(rmct_jobrec *v, int n)
{
    if (!v) return;
    for (int i = 0; i < n; i++) {
        free(v[i].params);
        free(v[i].result);
    }
    free(v);
}

static char *dup_column(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t) return NULL;
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    char *s = malloc(n + 1);
    if (s) memcpy(s, t, n), s[n] = '\0';
    return s;
}

rmct_code rmct_jobrec_load_recent(rmct_db *db, int max, rmct_jobrec **out, int *n, int64_t *max_id, rmct_error *err)
{
    *out = NULL, *n = 0, *max_id = 0;
    sqlite3_stmt *st;
    if (rmct_db_prepare(db, &st, "SELECT coalesce(max(id), 0) FROM server_job", err)) return err->code;
    if (sqlite3_step(st) == SQLITE_ROW) *max_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (max <= 0) return RMCT_OK;
    rmct_jobrec *v = calloc((size_t)max, sizeof *v);
    if (!v) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    if (rmct_db_prepare(db, &st,
                        "SELECT id, kind, owner, status, created_at, coalesce(started_at, 0), finished_at, params, result,"
                        " error_code, error_message FROM (SELECT * FROM server_job ORDER BY id DESC LIMIT ?) ORDER BY id",
                        err)) {
        free(v);
        return err->code;
    }
    sqlite3_bind_int(st, 1, max);
    int k = 0, s;
    while (k < max && (s = sqlite3_step(st)) == SQLITE_ROW) {
        rmct_jobrec *j = &v[k];
        j->id = sqlite3_column_int64(st, 0);
        rmct_strlcpy(j->kind, (const char *)sqlite3_column_text(st, 1), sizeof j->kind);
        rmct_strlcpy(j->owner, (const char *)sqlite3_column_text(st, 2), sizeof j->owner);
        rmct_strlcpy(j->status, (const char *)sqlite3_column_text(st, 3), sizeof j->status);
        j->created_at = sqlite3_column_int64(st, 4);
        j->started_at = sqlite3_column_int64(st, 5);
        j->finished_at = sqlite3_column_int64(st, 6);
        j->params = dup_column(st, 7);
        j->result = dup_column(st, 8);
        rmct_strlcpy(j->error_code, (const char *)sqlite3_column_text(st, 9), sizeof j->error_code);
        rmct_strlcpy(j->error_message, (const char *)sqlite3_column_text(st, 10), sizeof j->error_message);
        k++;
        if (!j->params || (sqlite3_column_type(st, 8) != SQLITE_NULL && !j->result)) {
            sqlite3_finalize(st);
            rmct_jobrec_free_all(v, k);
            return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        }
    }
    sqlite3_finalize(st);
    *out = v, *n = k;
    return RMCT_OK;
}
