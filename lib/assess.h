/* assess.h: the criticality assessment of Korea's rare metals by the EU method (critical.h), with
 * every factor traced to its source or labelled an assumption, its uncertainty propagated by Monte
 * Carlo, and a one-at-a-time sensitivity ranking. The method's parameters come from a versioned
 * JSON file (data/methods/eu2017-kr.json). */
#ifndef RMCT_ASSESS_H
#define RMCT_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "critical.h"
#include "store.h"

typedef struct {
    char id[32];
    int version;
    char name[160];
    char source[400];
    double sr_threshold, ei_threshold;
    int average_years, wgi_years;
    double ir_extraction, ir_processing;
    char ir_note[200];
    /* standard deviations (relative for shares, end uses and value added; absolute otherwise) */
    double sd_share, sd_share_proxy, sd_wgi, sd_ir, sd_eol, sd_si, sd_end_use, sd_va;
    char path[512];
    char sha256[65];
} rmct_method;

rmct_code rmct_method_load(const char *path, rmct_method *m, rmct_error *err);

/* One factor's value and where it comes from ("USGS MCS 2026 ...", "assumption: ..."). */
typedef struct {
    double value;
    char basis[200];
    bool assumption;   /* a default or a proxy, not a measurement for Korea */
} rmct_factor;

typedef struct {
    char stage[12];                /* extraction, processing */
    bool available;
    char why_not[160];
    char eu_material[64];          /* the EU material whose parameters serve as proxies */
    rmct_distribution gs, ks;      /* global supply, Korea's sourcing */
    char gs_basis[200], ks_basis[200];
    bool gs_proxy, ks_proxy;
    rmct_factor ir, eol_rir, si_sr;
    double hhi_gs, hhi_ks, sr;
    int missing_wgi;
} rmct_stage_result;

typedef struct {
    char application[120];
    char sector[120];
    double share;                  /* fraction */
    double va;                     /* sector value added */
} rmct_end_use;

typedef struct {
    char code[8];                  /* type code, or element symbol for a member element */
    char type_code[8];
    char name[96];
    int no;                        /* the type's number (1-35) */
    bool is_element;               /* a member element of REE or PGM */
    rmct_stage_result st[2];
    bool has_sr, has_ei, critical;
    int sr_stage;                  /* index of the stage giving the SR */
    unsigned stage_mask;           /* the stages that may give the SR (bit 0 extraction, bit 1 processing) */
    double sr, ei;
    char ei_material[64];
    rmct_end_use *uses;
    size_t n_uses;
    rmct_factor si_ei;
    double q_max;
    char q_max_sector[120];
    char ei_basis[200];
    char dominant[200];            /* what drives the SR most */
    /* Monte Carlo */
    int samples;
    double sr_q[3], ei_q[3];       /* 5th, 50th, 95th percentiles */
    double p_critical;
} rmct_assessment;

typedef struct {
    int year;                      /* 0: the latest year with data */
    bool elements;                 /* also the member elements of REE and PGM */
    const char *reporter;          /* "KOR" */
    int stage;                     /* 0: the higher of the two stages; 1: extraction only; 2: processing only */
} rmct_assess_query;

rmct_code rmct_assess(rmct_db *db, const rmct_method *m, const rmct_assess_query *q, rmct_assessment **out, size_t *n,
                      rmct_error *err);
void rmct_assessments_free(rmct_assessment *a, size_t n);

/* Propagate the method's uncertainties: `samples` draws per metal from a counter-based generator
 * keyed by (seed, metal, sample), so results do not depend on order or threads. */
void rmct_assess_monte_carlo(const rmct_method *m, rmct_assessment *a, size_t n, int samples, uint64_t seed);

/* One-at-a-time sensitivity of a metal's SR: each input moved by +-2 standard deviations. */
typedef struct {
    char input[96];
    double sr_low, sr_high;        /* the SR with the input at its low and high value */
    double swing;                  /* |sr_high - sr_low| */
} rmct_sensitivity;

size_t rmct_assess_sensitivity(const rmct_method *m, const rmct_assessment *a, rmct_sensitivity *out, size_t max);

/* Replace the EoL-RIR of every available stage of one assessed subject (a Korean rate from the
 * recycling model, say, in place of the EU proxy), labelled with `basis`, and decide its SR, the
 * stage giving it, what drives it and whether it is critical again. Call before the Monte Carlo. */
void rmct_assess_set_eol_rir(const rmct_method *m, rmct_assessment *a, double eol_rir, const char *basis);

/* SR of a stage from its (possibly perturbed) inputs. */
double rmct_stage_sr(const rmct_stage_result *s, const double *gs_share, const double *gs_wgi, const double *ks_share,
                     const double *ks_wgi, double ir, double eol, double si);

#endif
