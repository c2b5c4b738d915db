/* ingest.h: importing files into the store, one reader per format.
 *
 * Every import runs in one transaction: either every file named in the call is imported, or the
 * database is left exactly as it was and err says which file, line, column and field was bad.
 * Each file becomes a `source` row (dataset, edition, publisher, title, URL, licence, SHA-256,
 * import time) that every row read from it references. Importing a file whose bytes were already
 * imported for the same dataset changes nothing. A newer edition of a dataset is imported beside
 * the old one; queries take the newest edition unless asked for another. Re-importing a *different*
 * file under the same dataset, edition and file name is refused unless opts.replace is set. */
#ifndef RMCT_INGEST_H
#define RMCT_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct {
    /* Source description; NULL fields take the format's defaults (or what the file itself says,
     * e.g. the edition of a USGS file). */
    const char *dataset, *edition, *publisher, *title, *url, *licence;
    bool replace;
    const char *hs_version;  /* HS edition of trade files whose name does not say it (HS2017...) */
    /* Called now and then on long imports: bytes read of the current file and its size. */
    void (*progress)(void *ctx, const char *file, uint64_t done, uint64_t total);
    void *progress_ctx;
} rmct_import_opts;

typedef struct {
    char file[512];
    char format[32];
    bool unchanged;          /* the same bytes were already imported: nothing was done */
    int64_t source_id;
    int64_t replaced_source; /* id of the source this import replaced, 0 if none */
    long rows;               /* fact rows stored */
    long skipped;            /* rows deliberately not stored (e.g. commodities outside the 35 types) */
    char note[256];          /* what was skipped and why, or "" */
} rmct_import_result;

typedef struct {
    const char *name;
    const char *summary;
} rmct_format_info;

/* The formats `rmct import` accepts, terminated by {NULL, NULL}. */
const rmct_format_info *rmct_import_formats(void);

/* Import n files of one format in one transaction; results (may be NULL) receives one entry per
 * file. On error nothing is stored. */
rmct_code rmct_import(rmct_db *db, const char *format, const char *const *paths, size_t n,
                      const rmct_import_opts *opts, rmct_import_result *results, rmct_error *err);

/* The bundled default data, in load order: format and file name within the data directory.
 * A file name starting with '/' is absolute (Debian's iso-codes). */
typedef struct {
    const char *format;
    const char *file;
} rmct_bundled_file;
const rmct_bundled_file *rmct_bundled_files(void);
#define RMCT_BUNDLED_COUNT 28

/* Load every bundled file from datadir in one transaction (idempotent: unchanged files are skipped,
 * changed fact files replace their earlier version). results must hold RMCT_BUNDLED_COUNT entries. */
rmct_code rmct_init_bundled(rmct_db *db, const char *datadir, const rmct_import_opts *opts,
                            rmct_import_result *results, rmct_error *err);

#endif
