/* sim_cli.h: what the chain, simulate and hazards commands share: loading the bundled chains, the
 * SVG charts of a simulation, and spreading an ensemble over MPI ranks. */
#ifndef RMCT_SIM_CLI_H
#define RMCT_SIM_CLI_H

#include <stdbool.h>

#include "cli.h"
#include "sim.h"

#define SIM_MAX_CHAINS 16

typedef struct {
    rmct_chain *v[SIM_MAX_CHAINS];
    int n;
} sim_chains;

/* Load the chains of the chain directory (all, or those named), partners resolved from db (may be
 * NULL: {"auto"} partners stay unresolved). Returns 0 or an exit status after printing the error. */
int sim_chains_load(cli_ctx *cli, rmct_db *db, const char *const *names, int n_names, sim_chains *out);
/* The same for programs that report errors themselves (the server): chains from data_dir/chains. */
rmct_code sim_chains_open(const char *data_dir, rmct_db *db, const char *const *names, int n_names, sim_chains *out,
                          rmct_error *err);
void sim_chains_free(sim_chains *c);

/* Chains, a scenario (a bundled name or a file; NULL: none), hazards (when wanted; defaults from the
 * register, replaced from hazards_file if given) and the model compiled from them. chains: "a,b"
 * (NULL: the scenario's, else all). Returns 0 or an exit status after printing the error. */
typedef struct {
    rmct_db *db;
    sim_chains ch;
    rmct_scenario *sc;
    rmct_hazard_set hz;
    bool has_hz;
    rmct_model *m;
    bool own_db;              /* sim_setup_free closes db */
} sim_setup;
int sim_setup_load(cli_ctx *cli, const char *scenario, const char *chains, const char *hazards_file, bool want_hazards,
                   sim_setup *s);
/* The same on an open database (borrowed: sim_setup_free leaves it open), errors in *err. */
rmct_code sim_setup_open(const char *data_dir, rmct_db *db, const char *scenario, const char *chains,
                         const char *hazards_file, bool want_hazards, sim_setup *s, rmct_error *err);
/* The same with a scenario already loaded (and perhaps changed, as the server's edits do; NULL:
 * none), which s takes over: sim_setup_free frees it, and so does a failure. */
rmct_code sim_setup_open_scenario(const char *data_dir, rmct_db *db, rmct_scenario *sc, const char *chains,
                                  const char *hazards_file, bool want_hazards, sim_setup *s, rmct_error *err);
/* A scenario argument as a file path: a path as given, else data_dir/scenarios/NAME.json. */
void sim_scenario_path(const char *data_dir, const char *arg, char *buf, size_t size);
void sim_setup_free(sim_setup *s);

/* Charts (src/sim_svg.c). Each returns RMCT_OK or an I/O error naming the file. */
rmct_code sim_svg_trace(const char *dir, const rmct_model *m, const rmct_scenario *sc, const rmct_trace *tr,
                        char written[][600], int *n_written, rmct_error *err);
rmct_code sim_svg_fans(const char *dir, const rmct_model *m, const rmct_scenario *sc, const rmct_ensemble_stats *st,
                       long runs, char written[][600], int *n_written, rmct_error *err);

/* MPI (src/sim_mpi.c). sim_mpi_start: when launched by mpirun, initialise MPI and give this process's
 * rank and the number of ranks; otherwise rank 0 of 1 and MPI is never touched. */
void sim_mpi_start(int *argc, char ***argv, int *rank, int *ranks);
/* Gather every rank's part into rank 0's *whole (allocated there for [0, runs)); collective. */
rmct_code sim_mpi_gather(const rmct_model *m, rmct_ensemble *part, long runs, rmct_ensemble **whole, rmct_error *err);
/* The rank-wide logical OR of a failure (so every rank stops together); collective. */
bool sim_mpi_any(bool failed);
void sim_mpi_finish(void);

#endif
