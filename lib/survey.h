/* survey.h: the industry survey (docs/SURVEY.md): the registry of rare-metal companies, yearly
 * campaigns imported from CSV, corrections kept as versions with an audit log, the industry's
 * shape with the confidentiality rule applied, and each company's exposure tied to the national
 * supply picture (criticality, dependence) and to the scenario engine.
 *
 * Confidentiality is a parameter of every reading function, the view:
 *   - public: published statistics only. A cell built from fewer than 3 companies, or in which one
 *     company contributes more than 85%, is suppressed; further cells are suppressed so that no
 *     suppressed value can be recovered from totals, subtotals or other published cells (checked
 *     by a linear-programming audit: no company's figure can be bounded within +-15%). No
 *     company-level row is ever returned.
 *   - company:BRN: the company's own answers and exposure, and the public statistics.
 *   - analyst: everything, with the cells the rule would suppress marked.
 * The library enforces the view; programs only choose it (the CLI is an analyst tool; the web
 * server maps its users to views).
 *
 * Files of the survey (data/survey/): the questionnaire, the size criteria of Korean law, the
 * codes of stages, sectors, difficulties and regions. Nothing here invents a company: the only
 * company-level data are what a campaign file brings, and a campaign marked synthetic says so in
 * every output. */
#ifndef RMCT_SURVEY_H
#define RMCT_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "sim.h"
#include "store.h"

/* ---------------- views and the rule ---------------- */

typedef enum { RMCT_VIEW_PUBLIC, RMCT_VIEW_COMPANY, RMCT_VIEW_ANALYST } rmct_view_kind;

typedef struct {
    rmct_view_kind kind;
    char brn[11];          /* company view: the company's business registration number */
} rmct_survey_view;

/* "public", "analyst" or "company:BRN" (BRN with or without dashes, valid check digit). */
rmct_code rmct_survey_view_parse(const char *text, rmct_survey_view *out, rmct_error *err);
const char *rmct_survey_view_text(const rmct_survey_view *v, char *buf, size_t size);

#define RMCT_SURVEY_MIN_COMPANIES 3     /* a cell needs at least this many companies */
#define RMCT_SURVEY_DOMINANCE 0.85      /* and no company above this share of it */
#define RMCT_SURVEY_PROTECTION 0.15     /* no company's figure may be bounded within +-15% */

/* The rule, as printed on every published table. */
extern const char rmct_survey_rule[];

/* ---------------- business registration numbers (사업자등록번호) ---------------- */

/* "123-45-67890" or "1234567890" (blanks around allowed) -> 10 digits; false if it is not that
 * shape. The check digit is not looked at. */
bool rmct_brn_normalize(const char *text, char out[11]);
/* The check digit of the first 9 digits: weights 1 3 7 1 3 7 1 3 5, plus the tens digit of
 * 5 x the ninth digit, then (10 - sum mod 10) mod 10. */
int rmct_brn_check_digit(const char *digits);
bool rmct_brn_valid(const char *digits10);
/* "123-45-67890" */
const char *rmct_brn_format(const char *digits10, char out[13]);

/* ---------------- codebooks (data/survey) ---------------- */

typedef struct {
    char code[24];
    char name_en[96], name_ko[96];
    char extra[48];        /* stages: the chain stage; sectors: the focus chain; regions: the ISO name */
} rmct_survey_code;

typedef struct {
    char set[16], valid_from[11], valid_to[11];
    char ksic[8];          /* KSIC section or division; "*" for every industry */
    char industry_en[200];
    double sme_max_sales;  /* KRW bn, inclusive; NaN if not given */
    double small_max_sales;
    double sme_max_assets; /* KRW bn, exclusive; NaN if not given */
    char source[400];
    int line;
} rmct_size_criterion;

#define RMCT_FOCUS_METALS 16
typedef struct {
    char chain[48], title[200];
    char sector[24];       /* the sector mapped to this chain in sectors.csv */
    char metals[RMCT_FOCUS_METALS][8];  /* element symbols or type codes of its material and resource nodes */
    int n_metals;
} rmct_focus_chain;

typedef struct {
    char dir[512];                 /* data/survey */
    char questionnaire[32];        /* its version, e.g. "rmct-survey-1" */
    char (*columns)[32];           /* the questionnaire's columns, in order */
    int n_columns;
    rmct_survey_code *stages, *sectors, *difficulties, *regions;
    int n_stages, n_sectors, n_difficulties, n_regions;
    rmct_size_criterion *criteria;
    int n_criteria;
    rmct_focus_chain *chains;      /* from the chain files the sectors name (data/chains/NAME.json) */
    int n_chains;
} rmct_survey_codes;

/* Load the CSV files of data/survey and the focus chains' metals from data/chains under data_dir. */
rmct_code rmct_survey_codes_load(const char *data_dir, rmct_survey_codes **out, rmct_error *err);
void rmct_survey_codes_free(rmct_survey_codes *c);
int rmct_survey_code_find(const rmct_survey_code *v, int n, const char *code);   /* index or -1 */

/* ---------------- size classes ---------------- */

typedef enum { RMCT_SIZE_LARGE, RMCT_SIZE_MIDSIZED, RMCT_SIZE_MEDIUM, RMCT_SIZE_SMALL, RMCT_SIZE__N } rmct_size_class;
const char *rmct_size_name(rmct_size_class s);        /* large, mid-sized, medium, small */
const char *rmct_size_label(rmct_size_class s);       /* "Large enterprise (대기업)", ... */
bool rmct_size_parse(const char *text, rmct_size_class *out);

typedef enum { RMCT_SIZE_UNKNOWN, RMCT_SIZE_KNOWN, RMCT_SIZE_SME } rmct_size_certainty;
typedef struct {
    rmct_size_certainty certainty; /* KNOWN: cls; SME: medium or small, the small limit not given */
    rmct_size_class cls;
    char basis[400];               /* the rule and figures that decided, or why it cannot be told */
} rmct_size_result;

/* What the criteria say of a company whose business year ends on 31 December of `year`. sales and
 * assets in KRW billion, NaN when not given. */
void rmct_survey_size_classify(const rmct_survey_codes *c, int year, const char *ksic, double sales, double assets,
                               bool restricted_group, rmct_size_result *out);

/* ---------------- import of a campaign ---------------- */

typedef struct {
    const char *actor;         /* who imports; required */
    const char *title;         /* NULL: "Rare-metal industry survey YEAR" */
    const char *data_note;     /* NULL: "synthetic test data (fictitious companies; FILE)" or "survey answers (FILE)" */
} rmct_survey_import_opts;

typedef struct {
    bool unchanged;            /* this very file was imported before: nothing done */
    int year;
    int64_t source_id;
    long rows, companies, new_companies;
    bool synthetic;
} rmct_survey_import_result;

/* Import a campaign CSV (docs/SURVEY.md, data/survey/questionnaire.csv) in one transaction, as a
 * source of dataset "survey". A bad row rejects the file; err names the file, line, column and
 * field and says what was expected. A campaign year already imported from another file is
 * refused: corrections go through rmct_survey_correct_*. */
rmct_code rmct_survey_import(rmct_db *db, const rmct_survey_codes *codes, const char *path, const char *display_name,
                             const rmct_survey_import_opts *o, rmct_survey_import_result *res, rmct_error *err);

/* ---------------- reading (all filtered by the view) ---------------- */

typedef struct {
    int year;
    char title[200], questionnaire[32], data_note[400], recorded_by[96], recorded_at[32];
    char file_name[256], sha256[65];
    bool synthetic;
    long companies, answers;   /* current */
} rmct_survey_campaign;

/* Every campaign, oldest first (campaigns are public: title, size of the response). */
rmct_code rmct_survey_campaigns(rmct_db *db, rmct_survey_campaign **out, int *n, rmct_error *err);
/* One campaign; year 0: the latest. RMCT_E_NOTFOUND if there is none. */
rmct_code rmct_survey_campaign_get(rmct_db *db, int year, rmct_survey_campaign *out, rmct_error *err);

typedef struct {
    int64_t id;
    int year, version;
    char brn[11];
    bool synthetic;
    char name_ko[160], name_en[160], size[12], size_basis[400], ksic[8];
    double sales_krw_bn, assets_krw_bn;   /* NaN if not given */
    bool restricted_group;
    char region[8], stages[96], sectors[240];
    char reason[400], actor[96], recorded_at[32];
    int64_t source_id;
    long src_line;
    int metals;                /* current answers */
} rmct_survey_profile;

typedef struct {
    int64_t id;
    int year, version;
    char brn[11];
    char metal[8], type_code[8], element[4], metal_name[64];
    bool withdrawn;
    char stage[16];
    double consumed_t, produced_t, import_pct, domestic_pct, recycled_pct, inventory_days;
    char origins[240];         /* "CHN:70;JPN:30" */
    char substitutes[400], difficulties[240], difficulty_text[600];
    char reason[400], actor[96], recorded_at[32];
    int64_t source_id;
    long src_line;
} rmct_survey_answer;

/* Current profiles of a campaign the view may see (analyst: all; company: its own; public: none),
 * ordered by English name. */
rmct_code rmct_survey_profiles(rmct_db *db, const rmct_survey_view *view, int year, rmct_survey_profile **out, int *n,
                               rmct_error *err);
/* A company by BRN (with or without dashes) or by its Korean or English name in any campaign.
 * RMCT_E_NOTFOUND when there is none or the view may not see it (the two are not told apart). */
rmct_code rmct_survey_find_company(rmct_db *db, const rmct_survey_view *view, const char *text, char brn[11],
                                   rmct_error *err);
/* A company's current profile and answers in a campaign (year 0: its latest). */
rmct_code rmct_survey_company(rmct_db *db, const rmct_survey_view *view, const char *brn, int year,
                              rmct_survey_profile *profile, rmct_survey_answer **answers, int *n, rmct_error *err);

/* One version of a profile or an answer, with what changed from the version before. */
typedef struct {
    int year, version;
    char kind[8];              /* profile, answer */
    char metal[8];             /* answers */
    bool withdrawn;
    char changes[1200];        /* "consumed_t 12.5 -> 13.1; origins CHN:100 -> CHN:80;VNM:20", or "first version" */
    char reason[400], actor[96], recorded_at[32];
    char source[300];          /* the imported file and line, or "correction" */
    int64_t source_id;         /* the imported file, 0 for a correction */
    long src_line;
} rmct_survey_version;

/* Every version of a company's profiles and answers (year 0: every campaign): by campaign, what
 * was imported in the file's order (profile first), then corrections in the order recorded. */
rmct_code rmct_survey_history(rmct_db *db, const rmct_survey_view *view, const char *brn, int year,
                              rmct_survey_version **out, int *n, rmct_error *err);

/* ---------------- entry and correction ---------------- */

/* Text fields as in the campaign CSV; NULL means unchanged. */
typedef struct {
    const char *name_ko, *name_en, *size, *ksic, *avg_sales_krw_bn, *total_assets_krw_bn, *restricted_group;
    const char *region, *stages, *sectors;
} rmct_survey_profile_edit;

typedef struct {
    const char *metal;         /* required: which answer */
    const char *stage, *consumed_t, *produced_t, *import_pct, *domestic_pct, *recycled_pct, *origins;
    const char *inventory_days, *substitutes, *difficulties, *difficulty_text;
    bool withdraw;             /* withdraw the answer (a version marked withdrawn) */
} rmct_survey_answer_edit;

typedef struct {
    const char *actor;         /* required */
    const char *reason;        /* required */
} rmct_survey_change;

/* Record the next version of a company's profile or of one answer (a new answer when the metal has
 * none), checked exactly as an imported row, in its own transaction. Only the analyst view and the
 * company's own view may change a company's answers. *version receives the version written. On a
 * bad value err->field names the CSV column. */
rmct_code rmct_survey_correct_profile(rmct_db *db, const rmct_survey_codes *codes, const rmct_survey_view *view,
                                      const rmct_survey_change *ch, int year, const char *brn,
                                      const rmct_survey_profile_edit *e, int *version, rmct_error *err);
rmct_code rmct_survey_correct_answer(rmct_db *db, const rmct_survey_codes *codes, const rmct_survey_view *view,
                                     const rmct_survey_change *ch, int year, const char *brn,
                                     const rmct_survey_answer_edit *e, int *version, rmct_error *err);

/* ---------------- published tables ---------------- */

typedef enum {
    RMCT_CELL_SHOWN,           /* published */
    RMCT_CELL_FEW,             /* primary: fewer than 3 companies */
    RMCT_CELL_DOMINATED,       /* primary: one company above 85% */
    RMCT_CELL_SECONDARY,       /* complementary: would let a suppressed value be recovered */
    RMCT_CELL_EMPTY            /* nothing to show (no data, no previous campaign) */
} rmct_cell_status;
const char *rmct_cell_status_name(rmct_cell_status s);   /* shown, few, dominated, secondary, empty */

typedef struct {
    double value;              /* NaN when hidden from the view or empty */
    int companies;             /* contributing companies; -1 when hidden */
    rmct_cell_status status;   /* what the rule says of the cell (in every view) */
} rmct_survey_cell;

typedef struct {
    char key[48];              /* small, KR-28, Dy, battery:materials, Co:CHN */
    char label[200];
    rmct_survey_cell *cells;   /* one per column */
} rmct_survey_row;

typedef struct {
    const char *key;           /* companies, share_pct, consumed_t, ... (CSV/JSON keys carry units) */
    const char *label;
    int decimals;
} rmct_survey_col;

typedef struct {
    char name[24];             /* size, stage, sector, region, metal, localisation, concentration, origins, ... */
    char title[200];
    char note[400];            /* what the table counts */
    int n_cols;
    const rmct_survey_col *cols;
    int n_rows;
    rmct_survey_row *rows;
} rmct_survey_table;

typedef struct {
    int year, prev_year;       /* prev_year 0: no earlier campaign */
    rmct_survey_view view;
    bool synthetic;
    char title[200], data_note[400];
    int n_tables;
    rmct_survey_table *tables;
    /* how the rule was applied */
    int primary, secondary;    /* cells suppressed by the rule, and to protect them */
    int audited, lp_solves;    /* company figures audited, linear programmes solved */
    int disclosed;             /* company figures the audit could still bound within +-15% (0) */
} rmct_survey_stats;

typedef struct {
    bool no_secondary;         /* tests: primary suppression only, to show what the audit then finds */
    bool audit_only;           /* tests: no complementary pass; the audit alone chooses the cells to protect */
} rmct_survey_stats_opts;

/* The industry's shape in campaign `year` (0: the latest): companies by size, stage, sector,
 * region and metal with the change from the previous campaign; per metal the tonnes used and
 * produced, supply by source type, days of stock; localisation (domestic share of supply) by
 * stage for the focus chains; concentration of demand in few companies; origins of imports. The
 * rule is applied for every view; values of cells it suppresses are hidden except from analysts. */
rmct_code rmct_survey_stats_compute(rmct_db *db, const rmct_survey_codes *codes, const rmct_survey_view *view, int year,
                                    const rmct_survey_stats_opts *opts, rmct_survey_stats **out, rmct_error *err);
void rmct_survey_stats_free(rmct_survey_stats *s);
const rmct_survey_table *rmct_survey_stats_table(const rmct_survey_stats *s, const char *name);

/* ---------------- exposure ---------------- */

typedef struct {
    char brn[11], name_ko[160], name_en[160], size[12], region[8];
    char metal[8], type_code[8], metal_name[64];
    double consumed_t, import_share, domestic_share, recycled_share, inventory_days;  /* shares as fractions */
    bool has_score;
    char why_not[200];         /* when !has_score */
    char stage[12];            /* the assessment stage giving the SR (extraction, processing) */
    double national_sr;        /* the metal's supply risk from Korea's point of view */
    double hhi_global;         /* HHI_WGI,t of global supply (national) */
    double hhi_company;        /* HHI_WGI,t of the company's own sourcing (Korea for domestic supply) */
    double si_sr;
    double score;              /* the company's SR: the exposure score of this metal */
    char driver[200];          /* what drives the company's sourcing term most */
} rmct_exposure_row;

typedef struct {
    int year;
    rmct_survey_view view;
    bool synthetic;
    char data_note[400];
    char method[64];
    double sr_threshold;
    int assessment_year;
    int n_rows;                /* company x metal; none for the public view */
    rmct_exposure_row *rows;   /* by company (highest score first), then metal */
    rmct_survey_table summary; /* companies by size with a metal at or above the SR threshold (rule applied) */
} rmct_survey_exposure;

/* Exposure scores of campaign `year` (0: the latest) by the method of `method_path`
 * (data/methods/eu2017-kr.json): each company's supply risk per metal, the EU formula with the
 * company's own sourcing in place of Korea's (docs/SURVEY.md). */
rmct_code rmct_survey_exposure_compute(rmct_db *db, const rmct_survey_view *view, int year, const char *method_path,
                                       rmct_survey_exposure **out, rmct_error *err);
void rmct_survey_exposure_free(rmct_survey_exposure *x);

/* ---------------- a scenario's effect on companies ---------------- */

typedef struct {
    char brn[11], name_en[160], name_ko[160], size[12];
    char metal[8];
    double consumed_t, inventory_days, import_share, domestic_share, recycled_share;
    double direct_cut_max;     /* largest monthly share of its imports withheld by the scenario's restrictions */
    double market_short_max;   /* largest monthly shortfall of the Korean market in the metal (the trace) */
    double supply_lost_max;    /* largest monthly share of its normal receipts lost */
    bool affected;             /* any receipt lost */
    int first_affected;        /* month index (0 = the scenario's start), -1 if never */
    int stockout;              /* first month its own stock cannot cover its use, -1 if never */
    int months_short;
    double shortfall_t;        /* use not served over the horizon, t */
} rmct_impact_row;

typedef struct {
    char scenario[64], title[200];
    int start, months;         /* months since year 0, and the horizon */
    int year;
    rmct_survey_view view;
    bool synthetic;
    char data_note[400];
    int n_rows;                /* company x metal rows the view may see */
    rmct_impact_row *rows;
    rmct_survey_table summary; /* companies by size: surveyed, affected, running out (rule applied) */
} rmct_survey_impact;

/* The effect on each company of a scenario traced at its central values (rmct_sim_trace, not
 * stochastic): imports from a country cut by the scenario's export restrictions on the metal,
 * purchases in Korea short as the Korean market is (the trace's shortfall share of the metal's
 * nodes), recycled supply untouched; the company's own stock covers the gap until it runs out. */
rmct_code rmct_survey_impact_compute(rmct_db *db, const rmct_survey_view *view, int year, const rmct_scenario *sc,
                                     const rmct_model *model, const rmct_trace *tr, rmct_survey_impact **out,
                                     rmct_error *err);
/* The same, loading the chains of data_dir/chains (imports resolved from db), the scenario (a
 * bundled name or a file) and tracing it: one call for programs (the web server). */
rmct_code rmct_survey_impact_run(rmct_db *db, const rmct_survey_view *view, int year, const char *data_dir,
                                 const char *scenario, rmct_survey_impact **out, rmct_error *err);
void rmct_survey_impact_free(rmct_survey_impact *x);

/* Apply the rule to a one-dimensional table of counts that partition a total (tests, web): marks
 * cells with 1 or 2 companies, then the smallest others until the suppressed cells together hold
 * at least 3 companies and no single suppressed cell can be recovered from the total. values[i]
 * are company counts; status receives each cell's status. */
void rmct_survey_suppress_counts(const double *values, int n, rmct_cell_status *status);

#endif
