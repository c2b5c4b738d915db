/* mfa_cli.h: what 'rmct mfa' and 'rmct assess --eol-from-mfa' share: loading the bundled product
 * systems and the national file, and the Sankey diagram of one year's flows (src/mfa_svg.c). */
#ifndef RMCT_MFA_CLI_H
#define RMCT_MFA_CLI_H

#include "assess.h"
#include "cli.h"
#include "mfa.h"

#define MFA_MAX_SYSTEMS 32

typedef struct {
    rmct_mfa_system *sys[MFA_MAX_SYSTEMS];
    int n;
    rmct_mfa_national *nat;
    char dir[600];
} mfa_data;

/* Every system of DATA/mfa/systems (or $RMCT_MFA/systems) and the national file DATA/mfa/korea.json,
 * chain demands resolved from the bundled chains. Returns 0 or an exit status after printing. */
int mfa_data_load(cli_ctx *cli, mfa_data *d);
void mfa_data_free(mfa_data *d);

/* 'rmct assess --eol-from-mfa YEAR': replace the EoL-RIR of every assessed metal the recycling
 * model covers with its value for YEAR (before the Monte Carlo); in table format a note says which.
 * Returns 0 or an exit status after printing the error. */
int mfa_assess_eol(cli_ctx *cli, const rmct_method *m, rmct_assessment *a, size_t n, int year);

/* 'rmct simulate --recycling-from-mfa YEAR': set the supply of every recycling stream of the chains
 * to what the recycling model recovers in YEAR of the metal the stream feeds (shared among the
 * streams into one node in proportion to their own figures). note receives "Co 84 t/yr, ...".
 * Returns 0 or an exit status after printing the error; the chains' models must be rebuilt after. */
int mfa_chain_recycling(cli_ctx *cli, rmct_chain *const *chains, int n_chains, int year, char *note, size_t note_size);

/* A Sankey diagram of one metal's flows in one year. */
rmct_code mfa_svg_sankey(const char *path, const char *title, const char *subtitle, const rmct_mfa_flows *f,
                         rmct_error *err);

#endif
