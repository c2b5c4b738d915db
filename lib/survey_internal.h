/* survey_internal.h: what the survey's source files share (survey.c, survey_stats.c,
 * survey_audit.c, survey_exposure.c). Not part of the public API. */
#ifndef RMCT_SURVEY_INTERNAL_H
#define RMCT_SURVEY_INTERNAL_H

#include "csv.h"
#include "registry.h"
#include "survey.h"

/* The columns of a campaign file, in the questionnaire's order. */
enum {
    S_YEAR, S_BRN, S_NAME_KO, S_NAME_EN, S_SIZE, S_KSIC, S_SALES, S_ASSETS, S_RESTRICTED, S_REGION, S_STAGES, S_SECTORS,
    S_METAL, S_STAGE, S_CONSUMED, S_PRODUCED, S_IMPORT, S_DOMESTIC, S_RECYCLED, S_ORIGINS, S_DAYS, S_SUBSTITUTES,
    S_DIFFICULTIES, S_DIFFICULTY_TEXT, S_SYNTHETIC, S__N
};
extern const rmct_csv_colspec survey_columns[S__N];

#define SURVEY_MAX_ORIGINS 24

typedef struct {
    char iso3[4];
    double pct;
} survey_origin;

/* One row of a campaign, checked: the company's profile and its answer for one metal. */
typedef struct {
    char brn[11];
    char name_ko[160], name_en[160];
    rmct_size_class size;
    char size_basis[400];
    char ksic[8];
    double sales, assets;
    bool restricted;
    char region[8];
    char stages[96], sectors[240];
    unsigned stage_mask, sector_mask;
    rmct_metal metal;
    char metal_key[8];
    char stage[16];
    double consumed, produced, import_pct, domestic_pct, recycled_pct, days;
    survey_origin origins[SURVEY_MAX_ORIGINS];
    int n_origins;
    char origins_text[240];
    char substitutes[400], difficulties[240], difficulty_text[600];
} survey_row;

/* May this view see this company's answers? */
bool survey_view_sees(const rmct_survey_view *v, const char *brn);

/* Current answers of a campaign (brn NULL: every company), and every current profile, whatever the view:
 * for the statistics, which publish by the rule. */
rmct_code survey_answers_load(rmct_db *db, int year, const char *brn, rmct_survey_answer **out, int *n, rmct_error *err);
rmct_code survey_profiles_all(rmct_db *db, int year, rmct_survey_profile **out, int *n, rmct_error *err);

/* ---------------- the suppression audit (survey_audit.c) ---------------- */

/* The audit sees every published magnitude as a linear equation over company figures (variables):
 * sum of its terms = the published value. Variables of one company and metal are tied by its own
 * identities (imports + domestic + recycled = use; the imports by country add up to the imports). */
typedef struct survey_lp survey_lp;

/* vars: n variables with their true values (>= 0). */
survey_lp *survey_lp_new(int n_vars, const double *values);
void survey_lp_free(survey_lp *lp);
/* An identity: sum of coef[k] * x[var[k]] = 0 (kept in every audit). */
int survey_lp_identity(survey_lp *lp, int n, const int *var, const double *coef);
/* A published cell: sum of x[var[k]] = its true value. Returns its index. */
int survey_lp_cell(survey_lp *lp, int n, const int *var);
/* Which cells are published now (others are ignored by the audit). */
void survey_lp_set_published(survey_lp *lp, int cell, bool published);
/* Audit: for every variable with a positive value that a published cell constrains, the range the
 * published cells allow. *disclosed gets the first variable bounded within the protection
 * (-1 if none); *count the number audited; *solves the linear programmes solved. */
rmct_code survey_lp_audit(survey_lp *lp, double protection, int *disclosed, int *n_disclosed, int *count, int *solves,
                          rmct_error *err);
/* The cells (published or not) whose terms include variable v. */
int survey_lp_cells_of(const survey_lp *lp, int v, int *cells, int max);

#endif
