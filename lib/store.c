/* store.c: database opening, migrations, transactions and provenance (see store.h). */
#include "store.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "migrations.h"
#include "text.h"

#define STMT_CACHE 64

struct rmct_db {
    sqlite3 *sql;
    char path[1024];
    bool in_tx;
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
};

sqlite3 *rmct_db_sqlite(rmct_db *db) { return db->sql; }
const char *rmct_db_path(const rmct_db *db) { return db->path; }

rmct_code rmct_db_error(rmct_db *db, rmct_error *err, const char *what)
{
    int code = sqlite3_errcode(db->sql) & 0xFF, sys = sqlite3_system_errno(db->sql);
    if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN) && sys) /* say why: disk full... */
        return rmct_error_set(err, code == SQLITE_FULL ? RMCT_E_IO : RMCT_E_DB, "%s: %s: %s (%s)", what, sqlite3_errmsg(db->sql),
                              strerror(sys), db->path);
    return rmct_error_set(err, RMCT_E_DB, "%s: %s (%s)", what, sqlite3_errmsg(db->sql), db->path);
}

rmct_code rmct_db_prepare(rmct_db *db, sqlite3_stmt **st, const char *sql, rmct_error *err)
{
    if (sqlite3_prepare_v2(db->sql, sql, -1, st, NULL) != SQLITE_OK)
        return rmct_db_error(db, err, "preparing a query");
    return RMCT_OK;
}

rmct_code rmct_db_cached(rmct_db *db, sqlite3_stmt **st, const char *sql, rmct_error *err)
{
    int free_slot = -1;
    for (int i = 0; i < STMT_CACHE; i++) {
        if (db->cache[i].sql == sql) {
            sqlite3_reset(db->cache[i].st);
            sqlite3_clear_bindings(db->cache[i].st);
            *st = db->cache[i].st;
            return RMCT_OK;
        }
        if (!db->cache[i].sql && free_slot < 0) free_slot = i;
    }
    if (free_slot < 0) return rmct_error_set(err, RMCT_E_DB, "statement cache full (raise STMT_CACHE in lib/store.c)");
    rmct_code rc = rmct_db_prepare(db, st, sql, err);
    if (rc) return rc;
    db->cache[free_slot].sql = sql;
    db->cache[free_slot].st = *st;
    return RMCT_OK;
}

static rmct_code exec(rmct_db *db, const char *sql, rmct_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
        rmct_error_set(err, RMCT_E_DB, "%s (%s)", msg ? msg : sqlite3_errmsg(db->sql), db->path);
        sqlite3_free(msg);
        return RMCT_E_DB;
    }
    return RMCT_OK;
}

int rmct_db_schema_latest(void)
{
    int v = 0;
    for (const struct rmct_migration *m = rmct_migrations; m->version; m++)
        if (m->version > v) v = m->version;
    return v;
}

int rmct_db_schema_version(rmct_db *db)
{
    sqlite3_stmt *st;
    int v = 0;
    if (sqlite3_prepare_v2(db->sql, "SELECT max(version) FROM schema_migration", -1, &st, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static bool migration_applied(rmct_db *db, int version)
{
    sqlite3_stmt *st;
    bool found = false;
    if (sqlite3_prepare_v2(db->sql, "SELECT 1 FROM schema_migration WHERE version = ?", -1, &st, NULL) != SQLITE_OK)
        return true;   /* cannot tell: leave it to the normal order */
    sqlite3_bind_int(st, 1, version);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

static rmct_code migrate(rmct_db *db, rmct_error *err)
{
    rmct_code rc = exec(db,
        "CREATE TABLE IF NOT EXISTS schema_migration ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)", err);
    if (rc) return rc;
    int current = rmct_db_schema_version(db);
    int latest = rmct_db_schema_latest();
    if (current > latest)
        return rmct_error_set(err, RMCT_E_SCHEMA,
                              "database %s has schema version %d, newer than this program's %d; "
                              "use a newer rmct", db->path, current, latest);
    for (const struct rmct_migration *m = rmct_migrations; m->version; m++) {
        /* every migration not yet recorded, not only those above the highest: a database made
         * while one was missing (branches merged in another order) still gets it */
        if (m->version <= current && migration_applied(db, m->version)) continue;
        if ((rc = rmct_db_begin(db, err))) return rc;
        if ((rc = exec(db, m->sql, err))) {
            rmct_db_rollback(db);
            char what[sizeof err->msg];
            rmct_strlcpy(what, err->msg, sizeof what);
            return rmct_error_set(err, RMCT_E_SCHEMA, "migration %s failed: %.900s", m->name, what);
        }
        sqlite3_stmt *st;
        if ((rc = rmct_db_prepare(db, &st,
                 "INSERT INTO schema_migration(version, name, applied_at) "
                 "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))", err))) {
            rmct_db_rollback(db);
            return rc;
        }
        sqlite3_bind_int(st, 1, m->version);
        sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
        int s = sqlite3_step(st);
        sqlite3_finalize(st);
        if (s != SQLITE_DONE) {
            rmct_db_error(db, err, "recording a migration");
            rmct_db_rollback(db);
            return RMCT_E_DB;
        }
        if ((rc = rmct_db_commit(db, err))) return rc;
    }
    return RMCT_OK;
}

rmct_code rmct_db_open(rmct_db **out, const char *path, bool create, rmct_error *err)
{
    *out = NULL;
    if (sodium_init() < 0) return rmct_error_set(err, RMCT_E_NOMEM, "libsodium failed to initialise");
    struct stat sb;
    if (!create && stat(path, &sb) != 0)
        return rmct_error_set(err, RMCT_E_NOTFOUND, "no database at %s (run 'rmct init' first)", path);
    rmct_db *db = calloc(1, sizeof *db);
    if (!db) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    rmct_strlcpy(db->path, path, sizeof db->path);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db->sql, flags, NULL) != SQLITE_OK) {
        rmct_error_set(err, RMCT_E_IO, "cannot open database %s: %s", path,
                       db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
        sqlite3_close(db->sql);
        free(db);
        return RMCT_E_IO;
    }
    sqlite3_busy_timeout(db->sql, 10000);
    sqlite3_extended_result_codes(db->sql, 1);
    rmct_code rc = exec(db, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", err);
    if (!rc) rc = migrate(db, err);
    if (rc) {
        rmct_db_close(db);
        return rc;
    }
    *out = db;
    return RMCT_OK;
}

void rmct_db_close(rmct_db *db)
{
    if (!db) return;
    for (int i = 0; i < STMT_CACHE; i++) sqlite3_finalize(db->cache[i].st);
    if (db->in_tx) rmct_db_rollback(db);
    sqlite3_close_v2(db->sql);
    free(db);
}

rmct_code rmct_db_begin(rmct_db *db, rmct_error *err)
{
    rmct_code rc = exec(db, "BEGIN IMMEDIATE", err);
    if (!rc) db->in_tx = true;
    return rc;
}

rmct_code rmct_db_commit(rmct_db *db, rmct_error *err)
{
    rmct_code rc = exec(db, "COMMIT", err);
    if (rc) rmct_db_rollback(db);
    db->in_tx = false;
    return rc;
}

void rmct_db_rollback(rmct_db *db)
{
    if (!sqlite3_get_autocommit(db->sql)) sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
    db->in_tx = false;
}

rmct_code rmct_sha256_file(const char *path, char hex[65], rmct_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return rmct_error_set(err, RMCT_E_IO, "cannot open %s: %s", path, strerror(errno));
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) crypto_hash_sha256_update(&state, buf, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad) return rmct_error_set(err, RMCT_E_IO, "read error in %s", path);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
    return RMCT_OK;
}

void rmct_db_column_text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    rmct_strlcpy(dst, t ? (const char *)t : "", size);
}

#define SOURCE_COLUMNS "id, dataset, edition, publisher, title, url, licence, file_name, sha256, imported_at, rows"

static void read_source(sqlite3_stmt *st, rmct_source *s)
{
    s->id = sqlite3_column_int64(st, 0);
    rmct_db_column_text(st, 1, s->dataset, sizeof s->dataset);
    rmct_db_column_text(st, 2, s->edition, sizeof s->edition);
    rmct_db_column_text(st, 3, s->publisher, sizeof s->publisher);
    rmct_db_column_text(st, 4, s->title, sizeof s->title);
    rmct_db_column_text(st, 5, s->url, sizeof s->url);
    rmct_db_column_text(st, 6, s->licence, sizeof s->licence);
    rmct_db_column_text(st, 7, s->file_name, sizeof s->file_name);
    rmct_db_column_text(st, 8, s->sha256, sizeof s->sha256);
    rmct_db_column_text(st, 9, s->imported_at, sizeof s->imported_at);
    s->rows = sqlite3_column_int(st, 10);
}

/* Runs a one-row source query with up to three text parameters. */
static rmct_code source_query(rmct_db *db, const char *sql, const char *a, const char *b, const char *c,
                              bool *found, rmct_source *out, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, sql, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    if (c) sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    *found = (s == SQLITE_ROW);
    if (*found && out) read_source(st, out);
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE) return rmct_db_error(db, err, "looking up a source");
    return RMCT_OK;
}

rmct_code rmct_source_lookup(rmct_db *db, const char *dataset, const char *sha256, bool *found,
                             rmct_source *out, rmct_error *err)
{
    return source_query(db, "SELECT " SOURCE_COLUMNS " FROM source WHERE dataset = ? AND sha256 = ?",
                        dataset, sha256, NULL, found, out, err);
}

rmct_code rmct_source_same_file(rmct_db *db, const char *dataset, const char *edition, const char *file_name,
                                bool *found, rmct_source *out, rmct_error *err)
{
    return source_query(db, "SELECT " SOURCE_COLUMNS " FROM source WHERE dataset = ? AND edition = ? "
                        "AND file_name = ? ORDER BY id LIMIT 1", dataset, edition, file_name, found, out, err);
}

rmct_code rmct_source_get(rmct_db *db, int64_t id, rmct_source *out, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT " SOURCE_COLUMNS " FROM source WHERE id = ?", err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) read_source(st, out);
    sqlite3_finalize(st);
    if (s != SQLITE_ROW) return rmct_error_set(err, RMCT_E_NOTFOUND, "no source with id %lld", (long long)id);
    return RMCT_OK;
}

rmct_code rmct_source_add(rmct_db *db, const rmct_source_info *info, const char *file_name,
                          const char *sha256, int64_t *id, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "INSERT INTO source(dataset, edition, publisher, title, url, licence, file_name, sha256, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))", err);
    if (rc) return rc;
    const char *vals[] = {info->dataset, info->edition, info->publisher, info->title,
                          info->url ? info->url : "", info->licence ? info->licence : "", file_name, sha256};
    for (int i = 0; i < 8; i++) sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) return rmct_db_error(db, err, "recording the source");
    *id = sqlite3_last_insert_rowid(db->sql);
    return RMCT_OK;
}

rmct_code rmct_source_delete(rmct_db *db, int64_t id, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "DELETE FROM source WHERE id = ?", err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) return rmct_db_error(db, err, "removing the replaced source");
    return RMCT_OK;
}

rmct_code rmct_source_set_rows(rmct_db *db, int64_t id, long rows, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "UPDATE source SET rows = ? WHERE id = ?", err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, rows);
    sqlite3_bind_int64(st, 2, id);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) return rmct_db_error(db, err, "counting the source's rows");
    return RMCT_OK;
}

rmct_code rmct_citation_id(rmct_db *db, int64_t source_id, const char *text, const char *url,
                           int64_t *id, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st,
        "INSERT INTO citation(source_id, text, url) VALUES (?, ?, ?) "
        "ON CONFLICT(source_id, text, url) DO UPDATE SET text = excluded.text RETURNING id", err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, source_id);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, url ? url : "", -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (s != SQLITE_ROW) return rmct_db_error(db, err, "recording a citation");
    return RMCT_OK;
}

rmct_code rmct_citation_get(rmct_db *db, int64_t id, char *text, size_t text_size, char *url, size_t url_size,
                            rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT text, url FROM citation WHERE id = ?", err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        rmct_db_column_text(st, 0, text, text_size);
        rmct_db_column_text(st, 1, url, url_size);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_ROW) return rmct_error_set(err, RMCT_E_NOTFOUND, "no citation with id %lld", (long long)id);
    return RMCT_OK;
}
