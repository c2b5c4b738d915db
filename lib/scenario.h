/* scenario.h: disruption scenario files (docs/SIMULATION.md, "Scenario files"): events that hit
 * the value chains (export restrictions, outages, demand surges, price shocks) and Korea's
 * responses (stockpile release, alternative sourcing, substitution, more recycling), each number a
 * parameter with its source or assumption and, optionally, the distribution it takes across
 * Monte Carlo futures. Reading and validating only; lib/sim.c applies them. */
#ifndef RMCT_SCENARIO_H
#define RMCT_SCENARIO_H

#include <stdbool.h>

#include "chain.h"
#include "error.h"

#define RMCT_SCN_NAMES 24

typedef enum {
    RMCT_SCN_EVENT_EXPORT_RESTRICTION,
    RMCT_SCN_EVENT_OUTAGE,
    RMCT_SCN_EVENT_DEMAND_SURGE,
    RMCT_SCN_EVENT_PRICE_SHOCK
} rmct_scn_event_kind;

typedef enum {
    RMCT_SCN_RESP_STOCKPILE_RELEASE,
    RMCT_SCN_RESP_ALTERNATIVE_SOURCING,
    RMCT_SCN_RESP_SUBSTITUTION,
    RMCT_SCN_RESP_RECYCLING_INCREASE
} rmct_scn_response_kind;

/* What an event or response applies to: metals (element symbols or type codes), nodes (ids or
 * tags), sectors, countries. */
typedef struct {
    char metals[RMCT_SCN_NAMES][8];
    int n_metals;
    char nodes[RMCT_SCN_NAMES][32];
    int n_nodes;
    char sectors[RMCT_SCN_NAMES][32];
    int n_sectors;
} rmct_scn_target;

typedef struct {
    rmct_scn_event_kind kind;
    char label[80];           /* "events[2] (export_restriction CHN)" for messages and output */
    char country[4];          /* export restrictions */
    rmct_scn_target target;
    int month;                /* first month in force, relative to the scenario start (may be < 0) */
    int announced_month;      /* export restrictions: when announced (informative); else = month */
    rmct_param depth;         /* cut, capacity_cut, increase or factor (by kind) */
    rmct_param duration;      /* months; !given: to the end */
    rmct_param phase_in;      /* months; default 0 */
    char *basis;              /* source or assumption of the event (owned) */
    bool assumption;
} rmct_scn_event;

typedef struct {
    rmct_scn_response_kind kind;
    char label[80];
    rmct_scn_target target;
    char countries[RMCT_SCN_NAMES][4];   /* alternative sourcing */
    int n_countries;
    /* stockpile release */
    rmct_param stock_days, stock, trigger_cover_days, max_monthly_days, floor_days;
    /* all kinds that take time: lead_months (stockpile, alternative), delay_months (substitution,
     * recycling), ramp_months (alternative, recycling) */
    rmct_param lead_months, ramp_months;
    rmct_param max_share;     /* alternative sourcing */
    rmct_param fraction;      /* substitution */
    rmct_param factor;        /* recycling increase */
    char *basis;
    bool assumption;
} rmct_scn_response;

typedef struct {
    char name[64];
    char title[200];
    char description[600];
    char path[512];
    char sha256[65];
    char chains[8][48];       /* chain names; n_chains == 0: every bundled chain */
    int n_chains;
    int start_year, start_month;   /* first simulated month */
    int months;               /* 1..120 */
    char *basis;              /* the scenario's source or assumption */
    bool assumption;
    rmct_scn_event *events;
    int n_events;
    rmct_scn_response *responses;
    int n_responses;
} rmct_scenario;

/* Load and validate a scenario file. Errors name the file, the entry and the field. */
rmct_code rmct_scenario_load(const char *path, rmct_scenario **out, rmct_error *err);
void rmct_scenario_free(rmct_scenario *s);

/* The scenario files of data_dir/scenarios (NAME.json; names of at most 63 bytes, hidden files
 * skipped), their NAMEs sorted bytewise into names; returns how many (at most max; 0 if the
 * directory cannot be read). */
int rmct_scenario_names(const char *data_dir, char names[][64], int max);

/* "YYYY-MM" or "YYYY-MM-DD" -> months since year 0 (year * 12 + month - 1); false if malformed. */
bool rmct_month_parse(const char *text, int *out);
/* Months since year 0 -> "YYYY-MM" (buf of at least 8 bytes). */
const char *rmct_month_format(int month, char *buf, unsigned size);

const char *rmct_scn_event_kind_name(rmct_scn_event_kind k);
const char *rmct_scn_response_kind_name(rmct_scn_response_kind k);

#endif
