/* events.h: the dated register of export restrictions and supply disruptions (table `event`,
 * loaded from data/export_controls.csv; docs/DATA.md, "The event register").
 *
 * Dates are kept as the register gives them: YYYY-MM-DD, or YYYY-MM when the source gives only the
 * month (a month-only date covers the whole month). Terms used below:
 * - an event's *date*, by which it is ordered and filtered, is its effective date, else its
 *   announcement date, else its end date;
 * - an event's *year*, by which it is counted, is the year it began: the year of the earlier of its
 *   announcement and effective dates (the first the world knew of it), else of its end date;
 * - an event *applies to* a metal when it names the metal, or names the metal's whole type (an
 *   event naming REE applies to Dy); an event applies to a whole type (REE) when it names the type
 *   or any element of it;
 * - an event is *in force* from its effective date to its end date (inclusive; open when no end
 *   is given). Without an effective date its start is unknown: it counts as in force only up to
 *   its end date when it has one, and never when it has neither (announcements, proposals). An
 *   event that ended before it took effect (suspended in advance) is never in force.
 * When the same event_id was imported in several editions, only the newest edition counts. */
#ifndef RMCT_EVENTS_H
#define RMCT_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "registry.h"
#include "store.h"

/* A metal an event names, in the register's order. */
typedef struct {
    char symbol[8];     /* as the register writes it: element symbol, or type code for a whole type */
    char type_code[8];  /* its rare-metal type; "" for an element outside the 35 types */
    char element[4];    /* "" when the whole type is named (REE) */
} rmct_event_metal;

typedef struct {
    int64_t id;               /* row id */
    char event_id[32];        /* e.g. "EC-CHN-010" */
    char country[4];          /* ISO3 of the imposing country / where supply is disrupted */
    char country_name[96];    /* display name */
    char measure_type[24];    /* see rmct_event_measure_types() */
    char announced[11], effective[11], ended[11];  /* as given; "" when not given */
    char date[11];            /* the event's date (see above), as given; "" if none */
    char targets[64];         /* ISO3 codes separated by ';'; "" = all destinations */
    char confidence[12];      /* primary, secondary */
    char *materials;          /* as worded in the register (graphite, which has no symbol, is only here) */
    char *symbols;            /* element symbols and type codes, ';'-separated as given */
    char *hs_codes;           /* ';'-separated, as given (often partial: see description) */
    char *description;
    char *citation;           /* the row's sources, as given (several separated by ';') */
    char *urls;               /* their URLs, as given (several separated by " | ") */
    rmct_event_metal *metals; /* resolved symbols */
    int n_metals;
    int year;                 /* the event's year (see above); 0 if none */
    int64_t source_id, citation_id;
    long src_line;
} rmct_event;

/* The measure types of the register, NULL-terminated: quota, tax, ban, licensing, technology_ban,
 * suspension, conflict_disruption, other. */
const char *const *rmct_event_measure_types(void);

/* Whether a measure type restricts exports: quota, tax (export duties), ban, licensing,
 * technology_ban, suspension. conflict_disruption (supply cut by fighting) and other
 * (relaxations, abolitions, suspensions of a control, proposals, border closures) do not. */
bool rmct_event_restricts(const char *measure_type);

/* Parse YYYY-MM-DD or YYYY-MM (and YYYY alone when allow_year) into the first and last day it
 * covers, as integers yyyymmdd. False if the text is not such a date (or not a calendar day). */
bool rmct_event_date_range(const char *text, bool allow_year, long *first, long *last);

/* Filters; NULL fields do not filter. */
typedef struct {
    const char *country;       /* ISO3, ISO2, name or alias, resolved through the registry */
    const char *metal;         /* symbol, name, type code or alias (registry); a word that is not a metal
                                * (graphite) matches the materials text instead */
    const char *measure_type;  /* one of rmct_event_measure_types() */
    const char *since, *until; /* the event's date on or after / on or before (YYYY, YYYY-MM or YYYY-MM-DD) */
    const char *active;        /* in force at some time during this day, month or year */
} rmct_event_query;

/* What the filters were resolved to. */
typedef struct {
    char country[4];           /* "" if no country filter */
    rmct_metal metal;          /* the metal filter, when it named a metal */
    bool by_materials;         /* the metal filter matched the materials text (metal.name holds the word) */
} rmct_event_resolved;

/* Events matching q, ordered by date then event_id; free with rmct_events_free. A filter value that
 * cannot be used is RMCT_E_ARG with err->field naming the query field ("country", "metal",
 * "measure_type", "since", "until", "active"). resolved may be NULL. */
rmct_code rmct_events_query(rmct_db *db, const rmct_event_query *q, rmct_event **out, size_t *n,
                            rmct_event_resolved *resolved, rmct_error *err);
void rmct_events_free(rmct_event *ev, size_t n);

/* Whether event e applies to metal m (see above). */
bool rmct_event_applies(const rmct_event *e, const rmct_metal *m);

/* ---- for the simulation engine: default disruption frequencies ----
 *
 * Contract. Counts are of distinct events of the register (newest edition), by the country that
 * imposes them (event.country, not the targets) and the metal they apply to (see above):
 * `restrictions` counts events whose measure type restricts (rmct_event_restricts: quota, tax,
 * ban, licensing, technology_ban, suspension), `disruptions` counts conflict_disruption events;
 * `other` events are never counted. Every announced restriction counts once, whether or not it
 * took effect or was later suspended, and whatever it covers (one product or all of a metal).
 * `first_year` / `last_year` are the years (see above) of the earliest and latest counted event.
 * The window is the span of the whole register: the years of its earliest and latest event of any
 * type. A default yearly probability of a new restriction is then
 *     restrictions / (window.last_year - window.first_year + 1)
 * (a frequency over the years the register covers, not a model). The register is not exhaustive
 * (docs/DATA.md, data/SOURCES.md): a count of 0 means none recorded, not none possible. */
typedef struct {
    char country[4];          /* ISO3 */
    char metal[32];           /* element symbol, or type code (REE, PGM, or a single-element type); for
                               * rmct_event_count_for with a name that is not a metal, that name */
    char type_code[8];        /* the rare-metal type of metal; "" for an element outside the 35 types */
    int restrictions;
    int disruptions;
    int first_year, last_year; /* 0 when nothing is counted */
} rmct_event_count;

typedef struct {
    int first_year, last_year; /* 0 when the register is empty */
    int events;                /* events in the register */
} rmct_event_window;

/* One row per (country, metal) with at least one counted event, for every metal the register names
 * for that country (element symbols and whole types) and for the group type (REE, PGM) of every
 * element named; sorted by country then metal. Free *out with free(). window may be NULL. */
rmct_code rmct_event_counts(rmct_db *db, rmct_event_count **out, size_t *n, rmct_event_window *window,
                            rmct_error *err);

/* The same count for one country and any metal, resolved as in rmct_events_query (Pr, which the
 * register never names, gets the events naming REE). A name that is not a metal counts the events
 * whose materials mention it (graphite, magnet), none if no event does: a tag without an element is
 * not an error. Zero counts are not an error; an unknown country is (RMCT_E_ARG, field "country"). */
rmct_code rmct_event_count_for(rmct_db *db, const char *country, const char *metal, rmct_event_count *out,
                               rmct_event_window *window, rmct_error *err);

#endif
