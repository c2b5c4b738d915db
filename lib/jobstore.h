/* jobstore.h: the server's finished background jobs in the database (sql/009_server_jobs.sql), so
 * that Monte Carlo runs and purchase plans outlive a restart. Storage only: what a job is and how it
 * runs is the server's business (src/serve_jobs.c). */
#ifndef RMCT_JOBSTORE_H
#define RMCT_JOBSTORE_H

#include <stdint.h>

#include "error.h"
#include "store.h"

typedef struct {
    int64_t id;
    char kind[16];            /* "scenario-run" or "stock-plan" */
    char owner[65];
    char status[16];          /* "done", "failed" or "cancelled" */
    int64_t created_at, started_at, finished_at;   /* Unix seconds; started_at 0: never started */
    char *params;             /* JSON text */
    char *result;             /* JSON text for "done", else NULL */
    char error_code[32];
    char error_message[1200];
} rmct_jobrec;

/* Store one finished job (one transaction; an id already stored is an error). */
rmct_code rmct_jobrec_save(rmct_db *db, const rmct_jobrec *j, rmct_error *err);

/* The newest `max` stored jobs, oldest first, in *out (free with rmct_jobrec_free_all), and the
 * highest id ever stored in *max_id (0 if none). */
rmct_code rmct_jobrec_load_recent(rmct_db *db, int max, rmct_jobrec **out, int *n, int64_t *max_id, rmct_error *err);
void rmct_jobrec_free_all(rmct_jobrec *v, int n);

#endif
