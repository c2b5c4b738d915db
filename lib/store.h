/* store.h: the database behind RMCT: opening, schema migrations, transactions and provenance.
 *
 * SQLite is the embedded default (one file, WAL journal, foreign keys on). The schema is versioned
 * by the migrations in sql/, applied in order when a database is opened and recorded in the
 * table schema_migration. Every fact row references a `source` row describing the imported file
 * (dataset, edition, publisher, title, URL, licence, SHA-256, import time). */
#ifndef RMCT_STORE_H
#define RMCT_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

#include "error.h"

typedef struct rmct_db rmct_db;

/* Open (and with create, create) the database at path and bring its schema up to date.
 * Without create, a missing file is RMCT_E_NOTFOUND. */
rmct_code rmct_db_open(rmct_db **out, const char *path, bool create, rmct_error *err);
void rmct_db_close(rmct_db *db);
sqlite3 *rmct_db_sqlite(rmct_db *db);
const char *rmct_db_path(const rmct_db *db);

/* Highest applied migration version, and the highest this library knows. */
int rmct_db_schema_version(rmct_db *db);
int rmct_db_schema_latest(void);

/* One write transaction (BEGIN IMMEDIATE ... COMMIT); rollback is safe to call when none is open. */
rmct_code rmct_db_begin(rmct_db *db, rmct_error *err);
rmct_code rmct_db_commit(rmct_db *db, rmct_error *err);
void rmct_db_rollback(rmct_db *db);

/* Prepare a statement; on failure err says which. */
rmct_code rmct_db_prepare(rmct_db *db, sqlite3_stmt **st, const char *sql, rmct_error *err);
/* Like rmct_db_prepare, for statements run again and again (the SQL must be a string that lives as
 * long as the connection, e.g. a literal): prepared once, kept, and handed back reset. The caller
 * must not finalize it; sqlite3_reset when done is enough. */
rmct_code rmct_db_cached(rmct_db *db, sqlite3_stmt **st, const char *sql, rmct_error *err);

/* Set err from the connection's last SQLite error, prefixed by what was being done. */
rmct_code rmct_db_error(rmct_db *db, rmct_error *err, const char *what);

/* Hex SHA-256 of a file's bytes. */
rmct_code rmct_sha256_file(const char *path, char hex[65], rmct_error *err);

typedef struct {
    const char *dataset;    /* stable dataset name, e.g. "usgs-mcs" */
    const char *edition;    /* e.g. "2026" */
    const char *publisher;
    const char *title;
    const char *url;        /* may be NULL */
    const char *licence;    /* may be NULL */
} rmct_source_info;

typedef struct {
    int64_t id;
    char dataset[128], edition[64], publisher[256], title[512], url[512], licence[256];
    char file_name[256], sha256[65], imported_at[32];
    long rows;
} rmct_source;

/* The source already imported from a file with this dataset and hash, if any (*found false if not). */
rmct_code rmct_source_lookup(rmct_db *db, const char *dataset, const char *sha256, bool *found,
                             rmct_source *out, rmct_error *err);
/* Record a new source; *id receives its row id. Call inside the import's transaction. */
rmct_code rmct_source_add(rmct_db *db, const rmct_source_info *info, const char *file_name,
                          const char *sha256, int64_t *id, rmct_error *err);
/* A file of the same name already imported for the same dataset and edition (a replacement candidate). */
rmct_code rmct_source_same_file(rmct_db *db, const char *dataset, const char *edition, const char *file_name,
                                bool *found, rmct_source *out, rmct_error *err);
rmct_code rmct_source_delete(rmct_db *db, int64_t id, rmct_error *err);
rmct_code rmct_source_set_rows(rmct_db *db, int64_t id, long rows, rmct_error *err);
rmct_code rmct_source_get(rmct_db *db, int64_t id, rmct_source *out, rmct_error *err);

/* Find or create the citation (text, url) within a source; url may be NULL. */
rmct_code rmct_citation_id(rmct_db *db, int64_t source_id, const char *text, const char *url,
                           int64_t *id, rmct_error *err);

/* The text and URL of a citation. */
rmct_code rmct_citation_get(rmct_db *db, int64_t id, char *text, size_t text_size, char *url, size_t url_size,
                            rmct_error *err);

/* Copy a text column (NULL -> "") into dst. */
void rmct_db_column_text(sqlite3_stmt *st, int col, char *dst, size_t size);

#endif
