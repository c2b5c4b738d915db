/* survey_stats.c: the industry's shape from a campaign, with the confidentiality rule applied
 * (docs/SURVEY.md, "Statistics" and "Confidentiality").
 *
 * Every published number is a cell built from companies. The rule runs in three passes:
 *   1. primary: a count of 1 or 2 companies, a magnitude with fewer than 3 contributing companies,
 *      or one in which one company contributes more than 85%, is suppressed;
 *   2. complementary: where cells partition a published total (companies by size or region, a
 *      metal's use by source type, its imports by country), the smallest other cells are suppressed
 *      until the suppressed cells together hold at least 3 companies with none above 85%: then
 *      total minus the published cells gives only an aggregate of them;
 *   3. audit: every published magnitude becomes a linear equation over the companies' figures
 *      (survey_audit.c); while some company's figure can still be bounded within +-15%, one more
 *      cell containing it (the smallest) is suppressed.
 * Ratios (percentages, days of stock, the top-3 share) are published only when both their parts
 * may be. Year-over-year changes are published only when both years' cells are. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey_internal.h"
#include "text.h"

/* ---------------- columns ---------------- */

static const rmct_survey_col count_cols[] = {
    {"companies", "companies", 0}, {"share_pct", "% of companies", 1}, {"companies_prev", "previous campaign", 0}, {"change", "change", 0}};
static const rmct_survey_col size_cols[] = {
    {"companies", "companies", 0}, {"share_pct", "% of companies", 1}, {"companies_prev", "previous campaign", 0}, {"change", "change", 0}};
static const rmct_survey_col metal_cols[] = {
    {"companies", "companies", 0},      {"companies_prev", "previous campaign", 0}, {"change", "change", 0},
    {"consumed_t", "used t/yr", 1},     {"produced_t", "produced t/yr", 1},         {"import_pct", "imported %", 1},
    {"domestic_pct", "domestic %", 1},  {"recycled_pct", "recycled %", 1},          {"inventory_days", "stock days", 0}};
static const rmct_survey_col local_cols[] = {
    {"companies", "companies", 0}, {"supply_t", "supply t/yr", 1}, {"import_pct", "imported %", 1},
    {"domestic_pct", "domestic % (localisation)", 1}, {"recycled_pct", "recycled %", 1}};
static const rmct_survey_col conc_cols[] = {
    {"companies", "companies", 0}, {"consumed_t", "used t/yr", 1}, {"top3_pct", "top 3 companies %", 1}};
static const rmct_survey_col origin_cols[] = {
    {"companies", "companies", 0}, {"imported_t", "imported t/yr", 1}, {"share_pct", "% of the metal's imports", 1}};

enum { Q_C, Q_P, Q_I, Q_D, Q_R, Q_K, Q__N };   /* per answer: used, produced, imported, domestic, recycled, stock */

/* ---------------- internal cells ---------------- */

typedef struct {
    int n_terms;
    int *term;             /* counts: company indices; magnitudes: LP variables */
    bool count;
    double value;
    int companies;
    double top;            /* largest single company's contribution */
    rmct_cell_status status;
    int lp;                /* LP cell, -1 for counts */
    int den;               /* the cell that must also be shown for this one to be published (ratios), -1 if none */
    bool published_directly;  /* its value appears as such (not only through a ratio) */
} icell;

typedef enum { REF_NONE, REF_CELL, REF_RATIO, REF_CHANGE } ref_kind;
typedef struct {
    ref_kind kind;
    int a, b;              /* cells: value a; ratio a / b x scale; change a - b */
    double scale;
} cellref;

typedef struct {
    char name[24], title[200], note[400];
    const rmct_survey_col *cols;
    int n_cols;
    int n_rows, cap_rows;
    char (*keys)[48];
    char (*labels)[200];
    cellref *refs;         /* n_rows x n_cols */
} itable;

typedef struct {
    int total;
    int *members;
    int n;
} partition;

typedef struct {
    char brn[11];
    int size, region;      /* indices */
    unsigned stages, sectors;
} company;

typedef struct {
    int company;
    const rmct_survey_answer *a;
    int var;               /* first of its Q__N variables, then one per origin */
    int n_origins;
    char origin[SURVEY_MAX_ORIGINS][4];
    double origin_t[SURVEY_MAX_ORIGINS];
} answer;

typedef struct {
    rmct_db *db;
    const rmct_survey_codes *codes;
    /* data */
    company *comp;
    int n_comp;
    answer *ans;
    int n_ans;
    double *var_val;
    int *var_company, *var_answer;
    int n_vars;
    /* cells */
    icell *cells;
    int n_cells, cap_cells;
    partition *parts;
    int n_parts, cap_parts;
    itable *tables;
    int n_tables;
    bool oom;
} builder;

static void *grow(void *p, int *cap, int need, size_t size, bool *oom)
{
    if (need <= *cap) return p;
    int c = *cap ? *cap : 16;
    while (c < need) c *= 2;
    void *q = realloc(p, (size_t)c * size);
    if (!q) {
        *oom = true;
        return p;
    }
    *cap = c;
    return q;
}

/* Evaluate the primary rule on a cell from its terms. */
static void evaluate(builder *b, icell *c)
{
    c->value = 0;
    c->companies = 0;
    c->top = 0;
    if (c->count) {
        c->value = c->n_terms;
        c->companies = c->n_terms;
        c->top = c->n_terms ? 1 : 0;
        c->status = c->n_terms > 0 && c->n_terms < RMCT_SURVEY_MIN_COMPANIES ? RMCT_CELL_FEW : RMCT_CELL_SHOWN;
        return;
    }
    /* contributions per company */
    double *per = calloc((size_t)(b->n_comp ? b->n_comp : 1), sizeof *per);
    if (!per) {
        b->oom = true;
        return;
    }
    for (int k = 0; k < c->n_terms; k++) {
        int v = c->term[k];
        per[b->var_company[v]] += b->var_val[v];
        c->value += b->var_val[v];
    }
    for (int i = 0; i < b->n_comp; i++)
        if (per[i] > 0) {
            c->companies++;
            if (per[i] > c->top) c->top = per[i];
        }
    free(per);
    if (c->companies == 0) c->status = RMCT_CELL_SHOWN;     /* a zero: no company has any */
    else if (c->companies < RMCT_SURVEY_MIN_COMPANIES) c->status = RMCT_CELL_FEW;
    else if (c->top > RMCT_SURVEY_DOMINANCE * c->value) c->status = RMCT_CELL_DOMINATED;
    else c->status = RMCT_CELL_SHOWN;
}

static int new_cell(builder *b, bool count, const int *terms, int n)
{
    b->cells = grow(b->cells, &b->cap_cells, b->n_cells + 1, sizeof *b->cells, &b->oom);
    if (b->oom) return -1;
    icell *c = &b->cells[b->n_cells];
    memset(c, 0, sizeof *c);
    c->count = count;
    c->lp = -1;
    c->den = -1;
    c->published_directly = true;
    c->term = malloc((size_t)(n ? n : 1) * sizeof *c->term);
    if (!c->term) {
        b->oom = true;
        return -1;
    }
    if (n) memcpy(c->term, terms, (size_t)n * sizeof *terms);
    c->n_terms = n;
    evaluate(b, c);
    return b->n_cells++;
}

/* A count of the companies flagged in `in`. */
static int count_cell(builder *b, const bool *in)
{
    int *t = malloc((b->n_comp > 0 ? (size_t)b->n_comp : 1) * sizeof *t), n = 0;
    if (!t) {
        b->oom = true;
        return -1;
    }
    for (int i = 0; i < b->n_comp; i++)
        if (in[i]) t[n++] = i;
    int c = new_cell(b, true, t, n);
    free(t);
    return c;
}

static void add_partition(builder *b, int total, const int *members, int n)
{
    b->parts = grow(b->parts, &b->cap_parts, b->n_parts + 1, sizeof *b->parts, &b->oom);
    if (b->oom) return;
    partition *p = &b->parts[b->n_parts];
    p->members = malloc((size_t)(n ? n : 1) * sizeof *p->members);
    if (!p->members) {
        b->oom = true;
        return;
    }
    memcpy(p->members, members, (size_t)n * sizeof *members);
    p->n = n;
    p->total = total;
    b->n_parts++;
}

static itable *new_table(builder *b, const char *name, const char *title, const char *note, const rmct_survey_col *cols, int n_cols)
{
    itable *t = &b->tables[b->n_tables++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    snprintf(t->title, sizeof t->title, "%s", title);
    snprintf(t->note, sizeof t->note, "%s", note);
    t->cols = cols;
    t->n_cols = n_cols;
    return t;
}

static cellref *new_row(builder *b, itable *t, const char *key, const char *label)
{
    if (t->n_rows == t->cap_rows) {
        int cap = t->cap_rows ? 2 * t->cap_rows : 16;
        char(*k)[48] = realloc(t->keys, (size_t)cap * sizeof *k);
        if (k) t->keys = k;
        char(*l)[200] = realloc(t->labels, (size_t)cap * sizeof *l);
        if (l) t->labels = l;
        cellref *r = realloc(t->refs, (size_t)cap * (size_t)t->n_cols * sizeof *r);
        if (r) t->refs = r;
        if (!k || !l || !r) {
            b->oom = true;
            return NULL;
        }
        t->cap_rows = cap;
    }
    snprintf(t->keys[t->n_rows], 48, "%s", key);
    snprintf(t->labels[t->n_rows], 200, "%s", label);
    cellref *r = &t->refs[t->n_rows * t->n_cols];
    memset(r, 0, (size_t)t->n_cols * sizeof *r);
    t->n_rows++;
    return r;
}

static cellref ref_cell(int c) { return (cellref){c >= 0 ? REF_CELL : REF_NONE, c, -1, 1}; }
static cellref ref_ratio(int a, int d, double scale) { return (cellref){REF_RATIO, a, d, scale}; }

/* ---------------- loading ---------------- */

typedef struct {
    rmct_survey_profile *p;
    int n;
    rmct_survey_answer *a;
    int na;
} year_data;

static void year_data_free(year_data *y)
{
    free(y->p);
    free(y->a);
    memset(y, 0, sizeof *y);
}

static rmct_code year_data_load(rmct_db *db, int year, year_data *y, rmct_error *err)
{
    memset(y, 0, sizeof *y);
    rmct_code rc = survey_profiles_all(db, year, &y->p, &y->n, err);
    if (!rc) rc = survey_answers_load(db, year, NULL, &y->a, &y->na, err);
    if (rc) year_data_free(y);
    return rc;
}

static int profile_of(const year_data *y, const char *brn)
{
    for (int i = 0; i < y->n; i++)
        if (!strcmp(y->p[i].brn, brn)) return i;
    return -1;
}

static unsigned code_mask(const rmct_survey_code *v, int n, const char *list)
{
    unsigned m = 0;
    char buf[300];
    rmct_strlcpy(buf, list, sizeof buf);
    char *save = NULL;
    for (char *p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
        int k = rmct_survey_code_find(v, n, p);
        if (k >= 0) m |= 1u << k;
    }
    return m;
}

static int size_index(const char *s)
{
    rmct_size_class c;
    return rmct_size_parse(s, &c) ? (int)c : RMCT_SIZE_SMALL;
}

static int region_index(const rmct_survey_codes *c, const char *code)
{
    int k = rmct_survey_code_find(c->regions, c->n_regions, code);
    return k < 0 ? 0 : k;
}

/* Company attributes for a year: sizes, regions, stage and sector masks. */
static rmct_code companies_of(const rmct_survey_codes *codes, const year_data *y, company **out, rmct_error *err)
{
    *out = calloc((size_t)(y->n ? y->n : 1), sizeof **out);
    if (!*out) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    for (int i = 0; i < y->n; i++) {
        company *c = &(*out)[i];
        rmct_strlcpy(c->brn, y->p[i].brn, sizeof c->brn);
        c->size = size_index(y->p[i].size);
        c->region = region_index(codes, y->p[i].region);
        c->stages = code_mask(codes->stages, codes->n_stages, y->p[i].stages);
        c->sectors = code_mask(codes->sectors, codes->n_sectors, y->p[i].sectors);
    }
    return RMCT_OK;
}

/* ---------------- the count tables ---------------- */

typedef enum { BY_SIZE, BY_STAGE, BY_SECTOR, BY_REGION } by_kind;

static bool company_in(const company *c, by_kind by, int k)
{
    switch (by) {
    case BY_SIZE: return c->size == k;
    case BY_REGION: return c->region == k;
    case BY_STAGE: return c->stages & (1u << k);
    case BY_SECTOR: return c->sectors & (1u << k);
    }
    return false;
}

/* Count cells of one year for a breakdown (a builder over that year's companies): cells[k], and the total. */
static void count_cells(builder *b, by_kind by, int n_groups, int *cells, int *total, bool partition_it)
{
    bool *in = calloc((size_t)(b->n_comp ? b->n_comp : 1), sizeof *in);
    if (!in) {
        b->oom = true;
        return;
    }
    for (int k = 0; k < n_groups; k++) {
        for (int i = 0; i < b->n_comp; i++) in[i] = company_in(&b->comp[i], by, k);
        cells[k] = count_cell(b, in);
    }
    for (int i = 0; i < b->n_comp; i++) in[i] = true;
    *total = count_cell(b, in);
    free(in);
    if (partition_it) add_partition(b, *total, cells, n_groups);
}

/* ---------------- the rule ---------------- */

static bool shown(const builder *b, int c) { return c >= 0 && b->cells[c].status == RMCT_CELL_SHOWN; }

/* Do the cells of set s, taken together, pass the primary rule? */
static bool union_passes(builder *b, const int *s, int n)
{
    double *per = calloc((size_t)(b->n_comp ? b->n_comp : 1), sizeof *per);
    if (!per) {
        b->oom = true;
        return true;
    }
    double total = 0;
    for (int j = 0; j < n; j++) {
        const icell *c = &b->cells[s[j]];
        for (int k = 0; k < c->n_terms; k++) {
            int comp = c->count ? c->term[k] : b->var_company[c->term[k]];
            double v = c->count ? 1 : b->var_val[c->term[k]];
            per[comp] += v;
            total += v;
        }
    }
    int n_comp = 0;
    double top = 0;
    for (int i = 0; i < b->n_comp; i++)
        if (per[i] > 0) {
            n_comp++;
            if (per[i] > top) top = per[i];
        }
    free(per);
    return n_comp >= RMCT_SURVEY_MIN_COMPANIES && top <= RMCT_SURVEY_DOMINANCE * total;
}

/* Pass 2 on one partition. Returns the number of cells suppressed. */
static int complement(builder *b, const partition *p)
{
    if (!shown(b, p->total)) return 0;
    int *s = malloc((size_t)(p->n ? p->n : 1) * sizeof *s), ns = 0, added = 0;
    if (!s) {
        b->oom = true;
        return 0;
    }
    for (int k = 0; k < p->n; k++)
        if (p->members[k] >= 0 && !shown(b, p->members[k])) s[ns++] = p->members[k];
    while (ns > 0 && (ns == 1 || !union_passes(b, s, ns))) {
        int best = -1;
        for (int k = 0; k < p->n; k++) {
            int c = p->members[k];
            if (c < 0 || !shown(b, c) || b->cells[c].companies == 0) continue;
            if (best < 0 || b->cells[c].value < b->cells[best].value ||
                (b->cells[c].value == b->cells[best].value && b->cells[c].companies < b->cells[best].companies))
                best = c;
        }
        if (best < 0) break;
        b->cells[best].status = RMCT_CELL_SECONDARY;
        s[ns++] = best;
        added++;
    }
    free(s);
    return added;
}

void rmct_survey_suppress_counts(const double *values, int n, rmct_cell_status *status)
{
    /* a builder of n cells, each value[i] companies of its own */
    if (n <= 0) return;
    int total = 0;
    for (int i = 0; i < n; i++) total += values[i] > 0 ? (int)values[i] : 0;
    builder b;
    memset(&b, 0, sizeof b);
    b.n_comp = total;
    int *members = malloc((size_t)n * sizeof *members), *terms = malloc(((size_t)total + 1) * sizeof *terms);
    if (!members || !terms) {
        for (int i = 0; i < n; i++) status[i] = RMCT_CELL_FEW;
        free(members);
        free(terms);
        return;
    }
    int next = 0;
    for (int i = 0; i < n; i++) {
        int m = values[i] > 0 ? (int)values[i] : 0;
        for (int k = 0; k < m; k++) terms[k] = next + k;
        next += m;
        members[i] = new_cell(&b, true, terms, m);
    }
    for (int k = 0; k < total; k++) terms[k] = k;
    int t = new_cell(&b, true, terms, total);
    partition p = {t, members, n};
    if (!b.oom) complement(&b, &p);
    for (int i = 0; i < n; i++) status[i] = b.oom || members[i] < 0 ? RMCT_CELL_FEW : b.cells[members[i]].status;
    for (int i = 0; i < b.n_cells; i++) free(b.cells[i].term);
    free(b.cells);
    free(members);
    free(terms);
}

/* Is the cell's value actually published (directly, or through a ratio whose other part is shown)? */
static bool published(const builder *b, int c)
{
    const icell *x = &b->cells[c];
    if (x->status != RMCT_CELL_SHOWN) return false;
    return x->published_directly || (x->den >= 0 && shown(b, x->den));
}

/* Pass 3: audit, and suppress until no figure is disclosed. */
static rmct_code audit(builder *b, rmct_survey_stats *st, bool no_secondary, rmct_error *err)
{
    survey_lp *lp = survey_lp_new(b->n_vars, b->var_val);
    if (!lp) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    /* identities of each answer */
    for (int a = 0; a < b->n_ans; a++) {
        const answer *x = &b->ans[a];
        int v = x->var;
        int ids[4] = {v + Q_I, v + Q_D, v + Q_R, v + Q_C};
        double co[4] = {1, 1, 1, -1};
        survey_lp_identity(lp, 4, ids, co);
        if (x->n_origins) {
            int t[SURVEY_MAX_ORIGINS + 1];
            double c[SURVEY_MAX_ORIGINS + 1];
            for (int k = 0; k < x->n_origins; k++) t[k] = v + Q__N + k, c[k] = 1;
            t[x->n_origins] = v + Q_I;
            c[x->n_origins] = -1;
            survey_lp_identity(lp, x->n_origins + 1, t, c);
        }
    }
    for (int c = 0; c < b->n_cells; c++)
        if (!b->cells[c].count) b->cells[c].lp = survey_lp_cell(lp, b->cells[c].n_terms, b->cells[c].term);
    rmct_code rc = RMCT_OK;
    for (int iter = 0; iter <= b->n_cells; iter++) {
        for (int c = 0; c < b->n_cells; c++)
            if (b->cells[c].lp >= 0) survey_lp_set_published(lp, b->cells[c].lp, published(b, c));
        int v, nd, count, solves = 0;
        if ((rc = survey_lp_audit(lp, RMCT_SURVEY_PROTECTION, &v, &nd, &count, &solves, err))) break;
        st->lp_solves += solves;
        st->audited = count;
        st->disclosed = nd;
        if (v < 0 || no_secondary) break;
        /* suppress the smallest published cell containing the figure, else one containing another
           figure of the same company and metal */
        int best = -1;
        for (int pass = 0; pass < 2 && best < 0; pass++)
            for (int c = 0; c < b->n_cells; c++) {
                const icell *x = &b->cells[c];
                if (x->count || !published(b, c)) continue;
                bool has = false;
                for (int k = 0; k < x->n_terms && !has; k++)
                    has = pass == 0 ? x->term[k] == v : b->var_answer[x->term[k]] == b->var_answer[v];
                if (!has) continue;
                if (best < 0 || x->value < b->cells[best].value ||
                    (x->value == b->cells[best].value && x->companies < b->cells[best].companies))
                    best = c;
            }
        if (best < 0) break;
        b->cells[best].status = RMCT_CELL_SECONDARY;
    }
    survey_lp_free(lp);
    return rc;
}

/* A zero (no company has any) is publishable where the companies it is about are: it takes the status
 * of the row's count of companies when that is withheld. */
static void zero_follows(builder *b, int cell, int count)
{
    if (cell < 0 || count < 0 || b->cells[cell].companies > 0) return;
    if (b->cells[count].status != RMCT_CELL_SHOWN) b->cells[cell].status = b->cells[count].status;
}

/* ---------------- building the tables ---------------- */

static const char *country_name(rmct_db *db, const char *iso3, char *buf, size_t size)
{
    sqlite3_stmt *st;
    rmct_error e;
    rmct_strlcpy(buf, iso3, size);
    if (rmct_db_cached(db, &st, "SELECT coalesce(display_name, common_name, name) FROM country WHERE iso3 = ?", &e)) return buf;
    sqlite3_bind_text(st, 1, iso3, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) rmct_db_column_text(st, 0, buf, size);
    sqlite3_reset(st);
    return buf;
}

/* a + sep + b into dst */
static void join(char *dst, size_t size, const char *a, const char *sep, const char *b)
{
    rmct_strlcpy(dst, a, size);
    strncat(dst, sep, size - strlen(dst) - 1);
    strncat(dst, b, size - strlen(dst) - 1);
}

/* The metals reported, in registry order, with their label. */
typedef struct {
    char key[8], label[96];
} metal_key;

static int metal_keys(const year_data *y, metal_key **out)
{
    int n = 0;
    *out = calloc((size_t)(y->na ? y->na : 1), sizeof **out);
    if (!*out) return -1;
    for (int i = 0; i < y->na; i++) {
        bool seen = false;
        for (int k = 0; k < n && !seen; k++) seen = !strcmp((*out)[k].key, y->a[i].metal);
        if (seen) continue;
        snprintf((*out)[n].key, 8, "%s", y->a[i].metal);
        snprintf((*out)[n].label, 96, "%s (%s)", y->a[i].metal, y->a[i].metal_name);
        n++;
    }
    return n;
}

static bool chain_has(const rmct_focus_chain *fc, const rmct_survey_answer *a)
{
    for (int k = 0; k < fc->n_metals; k++)
        if (!strcmp(fc->metals[k], a->metal) || !strcmp(fc->metals[k], a->type_code)) return true;
    return false;
}

/* Build every table of a year into b (the current year), with the previous year's counts in pb. */
static void build(builder *b, builder *pb, const year_data *y, const year_data *py)
{
    const rmct_survey_codes *codes = b->codes;
    /* counts by size, stage, sector, region: this year and the previous */
    struct {
        by_kind by;
        const char *name, *title, *note;
        int n;
        bool part;
    } counts[] = {
        {BY_SIZE, "size", "Companies by size class", "Size classes of the Framework Act on SMEs and the Special Act on Middle-Standing "
         "Enterprises (data/survey/size_criteria.csv); share of the companies that answered", RMCT_SIZE__N, true},
        {BY_STAGE, "stage", "Companies by value-chain stage", "A company working at several stages counts in each (rows do not add up)",
         codes->n_stages, false},
        {BY_SECTOR, "sector", "Companies by sector served", "A company serving several sectors counts in each (rows do not add up)",
         codes->n_sectors, false},
        {BY_REGION, "region", "Companies by region (main plant)", "ISO 3166-2:KR regions; each company counts once", codes->n_regions, true},
    };
    for (size_t t = 0; t < sizeof counts / sizeof *counts && !b->oom; t++) {
        int n = counts[t].n, total = -1, ptotal = -1;
        int *cur = calloc((size_t)n, sizeof *cur), *prev = calloc((size_t)n, sizeof *prev);
        if (!cur || !prev) {
            free(cur);
            free(prev);
            b->oom = true;
            return;
        }
        count_cells(b, counts[t].by, n, cur, &total, counts[t].part);
        for (int k = 0; k < n; k++) prev[k] = -1;
        if (pb) count_cells(pb, counts[t].by, n, prev, &ptotal, counts[t].part);
        itable *tb = new_table(b, counts[t].name, counts[t].title, counts[t].note, counts[t].by == BY_SIZE ? size_cols : count_cols, 4);
        for (int k = 0; k < n && !b->oom; k++) {
            const char *key, *label;
            char lab[200];
            if (counts[t].by == BY_SIZE) key = rmct_size_name((rmct_size_class)k), label = rmct_size_label((rmct_size_class)k);
            else {
                const rmct_survey_code *c = counts[t].by == BY_STAGE ? &codes->stages[k] : counts[t].by == BY_SECTOR ? &codes->sectors[k]
                                                                                                               : &codes->regions[k];
                snprintf(lab, sizeof lab, "%s (%s)", c->name_en, c->name_ko);
                key = c->code, label = lab;
                if (counts[t].by == BY_REGION && b->cells[cur[k]].value == 0 && (prev[k] < 0 || pb->cells[prev[k]].value == 0)) continue;
            }
            cellref *r = new_row(b, tb, key, label);
            if (!r) break;
            r[0] = ref_cell(cur[k]);
            r[1] = ref_ratio(cur[k], total, 100);
            r[2] = (cellref){prev[k] >= 0 ? REF_CELL : REF_NONE, prev[k], -2, 1};   /* b = -2: a cell of the previous year */
            r[3] = (cellref){prev[k] >= 0 ? REF_CHANGE : REF_NONE, cur[k], prev[k], 1};
        }
        if (counts[t].by == BY_SIZE || counts[t].by == BY_REGION) {
            cellref *r = new_row(b, tb, "total", "All companies");
            if (r) {
                r[0] = ref_cell(total);
                r[1] = ref_ratio(total, total, 100);
                r[2] = (cellref){ptotal >= 0 ? REF_CELL : REF_NONE, ptotal, -2, 1};
                r[3] = (cellref){ptotal >= 0 ? REF_CHANGE : REF_NONE, total, ptotal, 1};
            }
        }
        free(cur);
        free(prev);
    }
    if (b->oom) return;
    /* metals */
    metal_key *mk;
    int nm = metal_keys(y, &mk);
    if (nm < 0) {
        b->oom = true;
        return;
    }
    int *consumed_cell = calloc((size_t)(nm ? nm : 1), sizeof *consumed_cell), *import_cell = calloc((size_t)(nm ? nm : 1), sizeof *import_cell);
    if (!consumed_cell || !import_cell) b->oom = true;
    itable *tm = new_table(b, "metal", "Companies and volumes by metal",
                           "Tonnes of contained element a year; supply shares of the tonnes used; stock in days of use (weighted by use)",
                           metal_cols, 9);
    bool *in = calloc((size_t)(b->n_comp ? b->n_comp : 1), sizeof *in), *pin = calloc((size_t)(pb && pb->n_comp ? pb->n_comp : 1), sizeof *pin);
    int *terms = malloc((size_t)(b->n_vars ? b->n_vars : 1) * sizeof *terms);
    int stride = b->n_ans ? b->n_ans : 1;
    int *qterms = malloc((size_t)Q__N * (size_t)stride * sizeof *qterms);
    if (!in || !pin || !terms || !qterms) b->oom = true;
    for (int m = 0; m < nm && !b->oom; m++) {
        for (int i = 0; i < b->n_comp; i++) in[i] = false;
        int q_n[Q__N] = {0};
        for (int a = 0; a < b->n_ans; a++) {
            const answer *x = &b->ans[a];
            if (strcmp(x->a->metal, mk[m].key)) continue;
            in[x->company] = true;
            for (int q = 0; q < Q__N; q++) qterms[q * stride + q_n[q]++] = x->var + q;
        }
        int cnt = count_cell(b, in), pcnt = -1;
        if (pb) {
            for (int i = 0; i < pb->n_comp; i++) pin[i] = false;
            for (int i = 0; i < py->na; i++)
                if (!strcmp(py->a[i].metal, mk[m].key)) {
                    int ci = profile_of(py, py->a[i].brn);
                    if (ci >= 0) pin[ci] = true;
                }
            pcnt = count_cell(pb, pin);
        }
        int qc[Q__N];
        for (int q = 0; q < Q__N; q++) qc[q] = new_cell(b, false, qterms + q * stride, q_n[q]);
        for (int q = 0; q < Q__N; q++) zero_follows(b, qc[q], cnt);
        for (int q = Q_I; q <= Q_K; q++)
            if (qc[q] >= 0) b->cells[qc[q]].published_directly = false, b->cells[qc[q]].den = qc[Q_C];
        int part[3] = {qc[Q_I], qc[Q_D], qc[Q_R]};
        add_partition(b, qc[Q_C], part, 3);
        consumed_cell[m] = qc[Q_C];
        import_cell[m] = qc[Q_I];
        cellref *r = new_row(b, tm, mk[m].key, mk[m].label);
        if (!r) break;
        r[0] = ref_cell(cnt);
        r[1] = (cellref){pcnt >= 0 ? REF_CELL : REF_NONE, pcnt, -2, 1};
        r[2] = (cellref){pcnt >= 0 ? REF_CHANGE : REF_NONE, cnt, pcnt, 1};
        r[3] = ref_cell(qc[Q_C]);
        r[4] = ref_cell(qc[Q_P]);
        r[5] = ref_ratio(qc[Q_I], qc[Q_C], 100);
        r[6] = ref_ratio(qc[Q_D], qc[Q_C], 100);
        r[7] = ref_ratio(qc[Q_R], qc[Q_C], 100);
        r[8] = ref_ratio(qc[Q_K], qc[Q_C], 365);
    }
    /* localisation by stage for the focus chains */
    itable *tl = new_table(b, "localisation", "Localisation by value-chain stage in the focus chains",
                           "Answers of companies serving the chain's sector, for the chain's metals, at each stage: domestic share "
                           "of the tonnes used (supply bought in Korea)", local_cols, 5);
    for (int f = 0; f < codes->n_chains && !b->oom; f++) {
        const rmct_focus_chain *fc = &codes->chains[f];
        int sector = rmct_survey_code_find(codes->sectors, codes->n_sectors, fc->sector);
        for (int s = 0; s < codes->n_stages && !b->oom; s++) {
            for (int i = 0; i < b->n_comp; i++) in[i] = false;
            int q_n[Q__N] = {0};
            for (int a = 0; a < b->n_ans; a++) {
                const answer *x = &b->ans[a];
                if (strcmp(x->a->stage, codes->stages[s].code) || !chain_has(fc, x->a) || sector < 0 ||
                    !(b->comp[x->company].sectors & (1u << sector)))
                    continue;
                in[x->company] = true;
                for (int q = 0; q < Q__N; q++) qterms[q * stride + q_n[q]++] = x->var + q;
            }
            if (q_n[Q_C] == 0) continue;
            int cnt = count_cell(b, in);
            int qc[Q__N];
            for (int q = 0; q < Q__N; q++)
                qc[q] = q == Q_C || q == Q_I || q == Q_D || q == Q_R ? new_cell(b, false, qterms + q * stride, q_n[q]) : -1;
            for (int q = 0; q < Q__N; q++) zero_follows(b, qc[q], cnt);
            for (int q = Q_I; q <= Q_R; q++)
                if (qc[q] >= 0) b->cells[qc[q]].published_directly = false, b->cells[qc[q]].den = qc[Q_C];
            int part[3] = {qc[Q_I], qc[Q_D], qc[Q_R]};
            add_partition(b, qc[Q_C], part, 3);
            char key[48], label[200];
            join(key, sizeof key, fc->chain, ":", codes->stages[s].code);
            snprintf(label, sizeof label, "%s: %s (%s)", fc->chain, codes->stages[s].name_en, fc->sector);
            cellref *r = new_row(b, tl, key, label);
            if (!r) break;
            r[0] = ref_cell(cnt);
            r[1] = ref_cell(qc[Q_C]);
            r[2] = ref_ratio(qc[Q_I], qc[Q_C], 100);
            r[3] = ref_ratio(qc[Q_D], qc[Q_C], 100);
            r[4] = ref_ratio(qc[Q_R], qc[Q_C], 100);
        }
    }
    /* concentration of demand: the top 3 users' share */
    itable *tc = new_table(b, "concentration", "Concentration of Korean demand in few companies",
                           "Share of each metal's use by the 3 largest users; published only when at least 6 companies use it, so that "
                           "the top 3 and the rest are each an aggregate of 3 or more", conc_cols, 3);
    for (int m = 0; m < nm && !b->oom; m++) {
        int *users = terms, nu = 0;
        for (int a = 0; a < b->n_ans; a++)
            if (!strcmp(b->ans[a].a->metal, mk[m].key) && b->var_val[b->ans[a].var + Q_C] > 0) users[nu++] = b->ans[a].var + Q_C;
        if (nu == 0) continue;
        for (int i = 1; i < nu; i++) /* largest first */
            for (int j = i; j > 0 && b->var_val[users[j]] > b->var_val[users[j - 1]]; j--) {
                int t = users[j];
                users[j] = users[j - 1];
                users[j - 1] = t;
            }
        int users_in = 0;
        for (int i = 0; i < b->n_comp; i++) in[i] = false;
        for (int k = 0; k < nu; k++) in[b->var_company[users[k]]] = true, users_in++;
        int cnt = count_cell(b, in);
        int top = new_cell(b, false, users, nu < 3 ? nu : 3), rest = new_cell(b, false, users + 3, nu > 3 ? nu - 3 : 0);
        if (top >= 0 && rest >= 0) {
            icell *t = &b->cells[top];
            t->published_directly = false;
            t->den = consumed_cell[m];
            if (nu < 2 * RMCT_SURVEY_MIN_COMPANIES) t->status = RMCT_CELL_FEW;
            else if (b->cells[rest].status != RMCT_CELL_SHOWN) t->status = b->cells[rest].status;
            b->cells[rest].published_directly = false;   /* implied by the total and the top 3, audited through them */
            b->cells[rest].status = RMCT_CELL_EMPTY;
        }
        cellref *r = new_row(b, tc, mk[m].key, mk[m].label);
        if (!r) break;
        r[0] = ref_cell(cnt);
        r[1] = ref_cell(consumed_cell[m]);
        r[2] = ref_ratio(top, consumed_cell[m], 100);
    }
    /* origins of imports */
    itable *to = new_table(b, "origins", "Where the imports come from",
                           "Tonnes imported a year by country of origin, as the companies report them; share of the metal's imports",
                           origin_cols, 3);
    for (int m = 0; m < nm && !b->oom; m++) {
        char countries[256][4];
        double tonnes[256];
        int nc = 0;
        for (int a = 0; a < b->n_ans; a++) {
            const answer *x = &b->ans[a];
            if (strcmp(x->a->metal, mk[m].key)) continue;
            for (int k = 0; k < x->n_origins; k++) {
                int j = 0;
                while (j < nc && strcmp(countries[j], x->origin[k])) j++;
                if (j == nc && nc < 256) {
                    snprintf(countries[nc], 4, "%s", x->origin[k]);
                    tonnes[nc++] = 0;
                }
                if (j < nc) tonnes[j] += x->origin_t[k];
            }
        }
        for (int i = 1; i < nc; i++) /* largest first, then by code */
            for (int j = i; j > 0 && (tonnes[j] > tonnes[j - 1] || (tonnes[j] == tonnes[j - 1] && strcmp(countries[j], countries[j - 1]) < 0)); j--) {
                double t = tonnes[j];
                tonnes[j] = tonnes[j - 1];
                tonnes[j - 1] = t;
                char c[4];
                memcpy(c, countries[j], 4);
                memcpy(countries[j], countries[j - 1], 4);
                memcpy(countries[j - 1], c, 4);
            }
        int *members = calloc((size_t)(nc ? nc : 1), sizeof *members);
        if (!members) {
            b->oom = true;
            break;
        }
        for (int j = 0; j < nc && !b->oom; j++) {
            int n = 0;
            for (int i = 0; i < b->n_comp; i++) in[i] = false;
            for (int a = 0; a < b->n_ans; a++) {
                const answer *x = &b->ans[a];
                if (strcmp(x->a->metal, mk[m].key)) continue;
                for (int k = 0; k < x->n_origins; k++)
                    if (!strcmp(x->origin[k], countries[j])) terms[n++] = x->var + Q__N + k, in[x->company] = true;
            }
            int cnt = count_cell(b, in), cell = new_cell(b, false, terms, n);
            members[j] = cell;
            char key[48], label[200], name[96];
            join(key, sizeof key, mk[m].key, ":", countries[j]);
            snprintf(label, sizeof label, "%.7s from %.3s (%.150s)", mk[m].key, countries[j], country_name(b->db, countries[j], name, sizeof name));
            cellref *r = new_row(b, to, key, label);
            if (!r) break;
            r[0] = ref_cell(cnt);
            r[1] = ref_cell(cell);
            r[2] = ref_ratio(cell, import_cell[m], 100);
        }
        /* the countries partition the metal's imports */
        if (!b->oom && nc) add_partition(b, import_cell[m], members, nc);
        free(members);
    }
    free(in);
    free(pin);
    free(terms);
    free(qterms);
    free(consumed_cell);
    free(import_cell);
    free(mk);
}

/* ---------------- putting it together ---------------- */

static rmct_code builder_init(builder *b, rmct_db *db, const rmct_survey_codes *codes, const year_data *y, rmct_error *err)
{
    memset(b, 0, sizeof *b);
    b->db = db;
    b->codes = codes;
    rmct_code rc = companies_of(codes, y, &b->comp, err);
    if (rc) return rc;
    b->n_comp = y->n;
    b->ans = calloc((size_t)(y->na ? y->na : 1), sizeof *b->ans);
    if (!b->ans) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    int nv = 0;
    for (int i = 0; i < y->na; i++) {
        answer *x = &b->ans[b->n_ans];
        x->company = profile_of(y, y->a[i].brn);
        if (x->company < 0) continue;
        x->a = &y->a[i];
        x->var = nv;
        /* origins: "CHN:70;JPN:30" of the imported tonnes */
        char buf[240];
        rmct_strlcpy(buf, y->a[i].origins, sizeof buf);
        char *save = NULL;
        double imported = y->a[i].consumed_t * y->a[i].import_pct / 100;
        for (char *p = strtok_r(buf, ";", &save); p && x->n_origins < SURVEY_MAX_ORIGINS; p = strtok_r(NULL, ";", &save)) {
            char *colon = strchr(p, ':');
            if (!colon) continue;
            *colon = '\0';
            snprintf(x->origin[x->n_origins], 4, "%s", p);
            x->origin_t[x->n_origins++] = imported * atof(colon + 1) / 100;
        }
        nv += Q__N + x->n_origins;
        b->n_ans++;
    }
    b->n_vars = nv;
    b->var_val = calloc((size_t)(nv ? nv : 1), sizeof *b->var_val);
    b->var_company = calloc((size_t)(nv ? nv : 1), sizeof *b->var_company);
    b->var_answer = calloc((size_t)(nv ? nv : 1), sizeof *b->var_answer);
    b->tables = calloc(16, sizeof *b->tables);
    if (!b->var_val || !b->var_company || !b->var_answer || !b->tables) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    for (int a = 0; a < b->n_ans; a++) {
        const answer *x = &b->ans[a];
        const rmct_survey_answer *s = x->a;
        double c = s->consumed_t;
        double v[Q__N] = {c, s->produced_t, c * s->import_pct / 100, c * s->domestic_pct / 100, c * s->recycled_pct / 100,
                          c * s->inventory_days / 365};
        for (int q = 0; q < Q__N; q++) b->var_val[x->var + q] = v[q];
        for (int k = 0; k < x->n_origins; k++) b->var_val[x->var + Q__N + k] = x->origin_t[k];
        for (int k = 0; k < Q__N + x->n_origins; k++) {
            b->var_company[x->var + k] = x->company;
            b->var_answer[x->var + k] = a;
        }
    }
    return RMCT_OK;
}

static void builder_free(builder *b)
{
    free(b->comp);
    free(b->ans);
    free(b->var_val);
    free(b->var_company);
    free(b->var_answer);
    for (int i = 0; i < b->n_cells; i++) free(b->cells[i].term);
    free(b->cells);
    for (int i = 0; i < b->n_parts; i++) free(b->parts[i].members);
    free(b->parts);
    for (int i = 0; i < b->n_tables; i++) {
        free(b->tables[i].keys);
        free(b->tables[i].labels);
        free(b->tables[i].refs);
    }
    free(b->tables);
}

static rmct_cell_status worst(rmct_cell_status a, rmct_cell_status b) { return a != RMCT_CELL_SHOWN ? a : b; }

/* A published cell from its reference, for the view. */
static rmct_survey_cell resolve(const builder *b, const builder *pb, const cellref *r, bool reveal)
{
    rmct_survey_cell out = {NAN, -1, RMCT_CELL_EMPTY};
    const icell *x = NULL, *y = NULL;
    switch (r->kind) {
    case REF_NONE: return out;
    case REF_CELL:
        x = r->b == -2 ? &pb->cells[r->a] : &b->cells[r->a];
        out.status = x->status;
        out.value = x->value;
        out.companies = x->companies;
        break;
    case REF_RATIO:
        if (r->a < 0 || r->b < 0) return out;
        x = &b->cells[r->a];
        y = &b->cells[r->b];
        out.status = worst(x->status == RMCT_CELL_EMPTY ? RMCT_CELL_SHOWN : x->status, y->status);
        if (y->value > 0) out.value = x->value / y->value * r->scale;
        else out.status = RMCT_CELL_EMPTY;
        out.companies = x->companies;
        break;
    case REF_CHANGE:
        x = &b->cells[r->a];
        y = &pb->cells[r->b];
        out.status = worst(x->status, y->status);
        out.value = x->value - y->value;
        out.companies = -1;
        break;
    }
    if (out.status != RMCT_CELL_SHOWN && !reveal) {
        out.value = NAN;
        out.companies = -1;
    }
    return out;
}

static rmct_code export_tables(const builder *b, const builder *pb, bool reveal, rmct_survey_stats *s, rmct_error *err)
{
    s->tables = calloc((size_t)(b->n_tables ? b->n_tables : 1), sizeof *s->tables);
    if (!s->tables) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    s->n_tables = b->n_tables;
    for (int t = 0; t < b->n_tables; t++) {
        const itable *it = &b->tables[t];
        rmct_survey_table *ot = &s->tables[t];
        snprintf(ot->name, sizeof ot->name, "%s", it->name);
        snprintf(ot->title, sizeof ot->title, "%s", it->title);
        snprintf(ot->note, sizeof ot->note, "%s", it->note);
        ot->cols = it->cols;
        ot->n_cols = it->n_cols;
        ot->rows = calloc((size_t)(it->n_rows ? it->n_rows : 1), sizeof *ot->rows);
        if (!ot->rows) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        for (int r = 0; r < it->n_rows; r++) {
            rmct_survey_row *row = &ot->rows[ot->n_rows++];
            snprintf(row->key, sizeof row->key, "%s", it->keys[r]);
            snprintf(row->label, sizeof row->label, "%s", it->labels[r]);
            row->cells = calloc((size_t)it->n_cols, sizeof *row->cells);
            if (!row->cells) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            for (int c = 0; c < it->n_cols; c++) row->cells[c] = resolve(b, pb, &it->refs[r * it->n_cols + c], reveal);
        }
    }
    return RMCT_OK;
}

void rmct_survey_stats_free(rmct_survey_stats *s)
{
    if (!s) return;
    for (int t = 0; t < s->n_tables; t++) {
        for (int r = 0; r < s->tables[t].n_rows; r++) free(s->tables[t].rows[r].cells);
        free(s->tables[t].rows);
    }
    free(s->tables);
    free(s);
}

const rmct_survey_table *rmct_survey_stats_table(const rmct_survey_stats *s, const char *name)
{
    for (int t = 0; s && t < s->n_tables; t++)
        if (!strcmp(s->tables[t].name, name)) return &s->tables[t];
    return NULL;
}

const char *rmct_cell_status_name(rmct_cell_status s)
{
    static const char *const names[] = {"shown", "few", "dominated", "secondary", "empty"};
    return s <= RMCT_CELL_EMPTY ? names[s] : "?";
}

rmct_code rmct_survey_stats_compute(rmct_db *db, const rmct_survey_codes *codes, const rmct_survey_view *view, int year,
                                    const rmct_survey_stats_opts *opts, rmct_survey_stats **out, rmct_error *err)
{
    *out = NULL;
    rmct_survey_campaign camp, prevc;
    rmct_code rc = rmct_survey_campaign_get(db, year, &camp, err);
    if (rc) return rc;
    bool has_prev = false;
    {
        sqlite3_stmt *st;
        if ((rc = rmct_db_prepare(db, &st, "SELECT max(year) FROM survey_campaign WHERE year < ?", err))) return rc;
        sqlite3_bind_int(st, 1, camp.year);
        int py = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
        sqlite3_finalize(st);
        if (py && !(rc = rmct_survey_campaign_get(db, py, &prevc, err))) has_prev = true;
        if (rc) return rc;
    }
    rmct_survey_stats *s = calloc(1, sizeof *s);
    if (!s) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    s->year = camp.year;
    s->prev_year = has_prev ? prevc.year : 0;
    s->view = *view;
    s->synthetic = camp.synthetic || (has_prev && prevc.synthetic);
    snprintf(s->title, sizeof s->title, "%s", camp.title);
    snprintf(s->data_note, sizeof s->data_note, "%s", camp.data_note);
    year_data y, py = {0};
    builder b, pb;
    memset(&b, 0, sizeof b);
    memset(&pb, 0, sizeof pb);
    if ((rc = year_data_load(db, camp.year, &y, err))) goto out;
    if (has_prev && (rc = year_data_load(db, prevc.year, &py, err))) goto out;
    if ((rc = builder_init(&b, db, codes, &y, err))) goto out;
    if (has_prev && (rc = builder_init(&pb, db, codes, &py, err))) goto out;
    build(&b, has_prev ? &pb : NULL, &y, has_prev ? &py : NULL);
    if (b.oom || pb.oom) {
        rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
        goto out;
    }
    for (int c = 0; c < b.n_cells; c++) s->primary += b.cells[c].status == RMCT_CELL_FEW || b.cells[c].status == RMCT_CELL_DOMINATED;
    if (!(opts && (opts->no_secondary || opts->audit_only))) {
        for (int p = 0; p < b.n_parts; p++) complement(&b, &b.parts[p]);
        for (int p = 0; p < pb.n_parts; p++) complement(&pb, &pb.parts[p]);
    }
    if ((rc = audit(&b, s, opts && opts->no_secondary, err))) goto out;
    for (int c = 0; c < b.n_cells; c++) s->secondary += b.cells[c].status == RMCT_CELL_SECONDARY;
    rc = export_tables(&b, &pb, view->kind == RMCT_VIEW_ANALYST, s, err);
out:
    builder_free(&b);
    builder_free(&pb);
    year_data_free(&y);
    year_data_free(&py);
    if (rc) {
        rmct_survey_stats_free(s);
        return rc;
    }
    *out = s;
    return RMCT_OK;
}
