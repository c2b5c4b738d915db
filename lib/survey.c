/* survey.c: the industry survey's registry (see survey.h): views, business registration numbers,
 * the codebooks of data/survey, size classes, the campaign import, reading and correcting answers,
 * and their history. The statistics are in survey_stats.c, the audit in survey_audit.c, exposure in
 * survey_exposure.c. */
#include "survey.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "csv.h"
#include "registry.h"
#include "survey_internal.h"
#include "text.h"

const char rmct_survey_rule[] =
    "Confidentiality rule: a cell is not published when fewer than 3 companies contribute to it or one company "
    "contributes more than 85% of it ('x'); further cells are withheld ('c') so that no withheld value can be "
    "recovered from totals, subtotals or other published cells (a linear-programming audit checks that no "
    "company's figure can be bounded within +-15%).";

/* ---------------- views ---------------- */

rmct_code rmct_survey_view_parse(const char *text, rmct_survey_view *out, rmct_error *err)
{
    char q[128];
    memset(out, 0, sizeof *out);
    if (!text) text = "";
    if (!strcmp(text, "public")) out->kind = RMCT_VIEW_PUBLIC;
    else if (!strcmp(text, "analyst")) out->kind = RMCT_VIEW_ANALYST;
    else if (!strncmp(text, "company:", 8)) {
        out->kind = RMCT_VIEW_COMPANY;
        if (!rmct_brn_normalize(text + 8, out->brn) || !rmct_brn_valid(out->brn)) {
            rmct_error_set(err, RMCT_E_ARG, "expected company:BRN with a valid business registration number "
                           "(10 digits, e.g. company:123-45-67891), got \"%s\"", rmct_error_quote(text, q, sizeof q));
            rmct_strlcpy(err->field, "view", sizeof err->field);
            return RMCT_E_ARG;
        }
    } else {
        rmct_error_set(err, RMCT_E_ARG, "expected public, analyst or company:BRN, got \"%s\"", rmct_error_quote(text, q, sizeof q));
        rmct_strlcpy(err->field, "view", sizeof err->field);
        return RMCT_E_ARG;
    }
    return RMCT_OK;
}

const char *rmct_survey_view_text(const rmct_survey_view *v, char *buf, size_t size)
{
    char b[13];
    if (v->kind == RMCT_VIEW_PUBLIC) snprintf(buf, size, "public");
    else if (v->kind == RMCT_VIEW_ANALYST) snprintf(buf, size, "analyst");
    else snprintf(buf, size, "company:%s", rmct_brn_format(v->brn, b));
    return buf;
}

bool survey_view_sees(const rmct_survey_view *v, const char *brn)
{
    return v->kind == RMCT_VIEW_ANALYST || (v->kind == RMCT_VIEW_COMPANY && !strcmp(v->brn, brn));
}

/* ---------------- business registration numbers ---------------- */

bool rmct_brn_normalize(const char *text, char out[11])
{
    if (!text) return false;
    while (*text == ' ' || *text == '\t') text++;
    size_t len = strlen(text);
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t')) len--;
    int n = 0;
    if (len == 10) {
        for (size_t i = 0; i < 10; i++) {
            if (!isdigit((unsigned char)text[i])) return false;
            out[n++] = text[i];
        }
    } else if (len == 12) { /* 123-45-67890 */
        for (size_t i = 0; i < 12; i++) {
            if (i == 3 || i == 6) {
                if (text[i] != '-') return false;
                continue;
            }
            if (!isdigit((unsigned char)text[i])) return false;
            out[n++] = text[i];
        }
    } else {
        return false;
    }
    out[10] = '\0';
    return true;
}

int rmct_brn_check_digit(const char *d)
{
    static const int w[9] = {1, 3, 7, 1, 3, 7, 1, 3, 5};
    int sum = 0;
    for (int i = 0; i < 9; i++) sum += (d[i] - '0') * w[i];
    sum += (d[8] - '0') * 5 / 10;
    return (10 - sum % 10) % 10;
}

bool rmct_brn_valid(const char *d)
{
    if (!d || strlen(d) != 10) return false;
    for (int i = 0; i < 10; i++)
        if (!isdigit((unsigned char)d[i])) return false;
    return rmct_brn_check_digit(d) == d[9] - '0';
}

const char *rmct_brn_format(const char *d, char out[13])
{
    if (!d || strlen(d) != 10) {
        rmct_strlcpy(out, d ? d : "", 13);
        return out;
    }
    snprintf(out, 13, "%.3s-%.2s-%.5s", d, d + 3, d + 5);
    return out;
}

/* ---------------- size classes ---------------- */

static const char *const size_names[RMCT_SIZE__N] = {"large", "mid-sized", "medium", "small"};
static const char *const size_labels[RMCT_SIZE__N] = {"Large enterprise (대기업)", "Mid-sized enterprise (중견기업)",
                                                      "Medium enterprise (중기업)", "Small enterprise (소기업)"};

const char *rmct_size_name(rmct_size_class s) { return s < RMCT_SIZE__N ? size_names[s] : "?"; }
const char *rmct_size_label(rmct_size_class s) { return s < RMCT_SIZE__N ? size_labels[s] : "?"; }

bool rmct_size_parse(const char *text, rmct_size_class *out)
{
    for (int i = 0; i < RMCT_SIZE__N; i++)
        if (text && !strcmp(text, size_names[i])) {
            *out = (rmct_size_class)i;
            return true;
        }
    return false;
}

/* The criteria row for a KSIC code in force on date: the division itself (C24), else its section (E for E38). */
static const rmct_size_criterion *criterion(const rmct_survey_codes *c, const char *ksic, const char *date)
{
    const rmct_size_criterion *best = NULL;
    for (int i = 0; i < c->n_criteria; i++) {
        const rmct_size_criterion *r = &c->criteria[i];
        if (strcmp(r->valid_from, date) > 0 || strcmp(r->valid_to, date) < 0) continue;
        if (!strcmp(r->ksic, ksic)) return r;
        if (strlen(r->ksic) == 1 && r->ksic[0] == ksic[0] && r->ksic[0] != '*') best = r;
    }
    return best;
}

static const char *bn(char *buf, size_t size, double v)
{
    snprintf(buf, size, "KRW %.10g bn", v);
    return buf;
}

void rmct_survey_size_classify(const rmct_survey_codes *c, int year, const char *ksic, double sales, double assets,
                               bool restricted_group, rmct_size_result *out)
{
    memset(out, 0, sizeof *out);
    out->certainty = RMCT_SIZE_UNKNOWN;
    if (restricted_group) {
        out->certainty = RMCT_SIZE_KNOWN;
        out->cls = RMCT_SIZE_LARGE;
        snprintf(out->basis, sizeof out->basis, "in a business group subject to limits on mutual investment "
                 "(Monopoly Regulation and Fair Trade Act)");
        return;
    }
    char date[16], a[48], b[48];
    snprintf(date, sizeof date, "%04d-12-31", year);
    const rmct_size_criterion *all = criterion(c, "*", date), *row = ksic ? criterion(c, ksic, date) : NULL;
    if (!all && !row) {
        snprintf(out->basis, sizeof out->basis, "declared (no size criteria in force on %s in data/survey/size_criteria.csv)", date);
        return;
    }
    if (all && !isnan(assets) && !isnan(all->sme_max_assets) && assets >= all->sme_max_assets) {
        out->certainty = RMCT_SIZE_KNOWN;
        out->cls = RMCT_SIZE_MIDSIZED;
        snprintf(out->basis, sizeof out->basis, "total assets of %s, not under %s (size_criteria.csv line %d): not an SME, "
                 "not in a restricted business group", bn(a, sizeof a, assets), bn(b, sizeof b, all->sme_max_assets),
                 all->line);
        return;
    }
    if (!row) {
        snprintf(out->basis, sizeof out->basis, "declared (no criteria for KSIC %s in data/survey/size_criteria.csv)", ksic ? ksic : "?");
        return;
    }
    if (isnan(sales)) {
        snprintf(out->basis, sizeof out->basis, "declared (no average sales given)");
        return;
    }
    if (!isnan(row->sme_max_sales) && sales > row->sme_max_sales) {
        out->certainty = RMCT_SIZE_KNOWN;
        out->cls = RMCT_SIZE_MIDSIZED;
        snprintf(out->basis, sizeof out->basis, "3-year average sales of %s above %s, the SME limit for %s (size_criteria.csv line %d)",
                 bn(a, sizeof a, sales), bn(b, sizeof b, row->sme_max_sales), row->ksic, row->line);
        return;
    }
    if (isnan(row->small_max_sales)) {
        out->certainty = RMCT_SIZE_SME;
        snprintf(out->basis, sizeof out->basis, "3-year average sales of %s at most %s, the SME limit for %s (size_criteria.csv line %d); "
                 "no small-enterprise limit given: medium or small as declared", bn(a, sizeof a, sales),
                 bn(b, sizeof b, row->sme_max_sales), row->ksic, row->line);
        return;
    }
    out->certainty = RMCT_SIZE_KNOWN;
    out->cls = sales <= row->small_max_sales ? RMCT_SIZE_SMALL : RMCT_SIZE_MEDIUM;
    snprintf(out->basis, sizeof out->basis, "3-year average sales of %s %s %s, the small-enterprise limit for %s (size_criteria.csv line %d)",
             bn(a, sizeof a, sales), sales <= row->small_max_sales ? "at most" : "above", bn(b, sizeof b, row->small_max_sales),
             row->ksic, row->line);
}

/* ---------------- codebooks ---------------- */

int rmct_survey_code_find(const rmct_survey_code *v, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (code && !strcmp(v[i].code, code)) return i;
    return -1;
}

void rmct_survey_codes_free(rmct_survey_codes *c)
{
    if (!c) return;
    free(c->columns);
    free(c->stages);
    free(c->sectors);
    free(c->difficulties);
    free(c->regions);
    free(c->criteria);
    free(c->chains);
    free(c);
}

static const char *cell_of(const rmct_csv *csv, const int *idx, int k)
{
    return idx[k] < 0 ? "" : rmct_csv_get(csv, idx[k]);
}

static rmct_code open_codes_file(const char *dir, const char *name, const rmct_csv_colspec *spec, size_t n, int *idx,
                                 rmct_csv **csv, char *path, size_t path_size, rmct_error *err)
{
    snprintf(path, path_size, "%s/%s", dir, name);
    rmct_code rc = rmct_csv_open(csv, path, NULL, err);
    if (rc) return rc;
    rc = rmct_csv_header(*csv, spec, n, idx, true, err);
    if (rc) {
        rmct_csv_close(*csv);
        *csv = NULL;
    }
    return rc;
}

/* A code list file: code, name_en, name_ko and one extra column (may be absent). */
static rmct_code load_code_list(const char *dir, const char *name, const char *extra, rmct_survey_code **out, int *n,
                                rmct_error *err)
{
    rmct_csv_colspec spec[] = {{"code", true}, {"name_en", true}, {"name_ko", true}, {extra ? extra : "note", false}};
    int idx[4];
    rmct_csv *csv;
    char path[700];
    rmct_code rc = open_codes_file(dir, name, spec, 4, idx, &csv, path, sizeof path, err);
    if (rc) return rc;
    *out = NULL;
    *n = 0;
    int cap = 0;
    for (;;) {
        bool got;
        if ((rc = rmct_csv_next(csv, &got, err)) || !got) break;
        const char *code = cell_of(csv, idx, 0);
        if (!*code || strlen(code) >= sizeof (*out)->code || rmct_survey_code_find(*out, *n, code) >= 0) {
            rc = rmct_csv_field_error(csv, idx[0], err, "expected a new code of up to 23 characters, got \"%s\"", code);
            break;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            rmct_survey_code *v = realloc(*out, (size_t)cap * sizeof *v);
            if (!v) {
                rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                break;
            }
            *out = v;
        }
        rmct_survey_code *c = &(*out)[(*n)++];
        memset(c, 0, sizeof *c);
        rmct_strlcpy(c->code, code, sizeof c->code);
        rmct_strlcpy(c->name_en, cell_of(csv, idx, 1), sizeof c->name_en);
        rmct_strlcpy(c->name_ko, cell_of(csv, idx, 2), sizeof c->name_ko);
        if (extra) rmct_strlcpy(c->extra, cell_of(csv, idx, 3), sizeof c->extra);
    }
    rmct_csv_close(csv);
    if (!rc && *n == 0) rc = rmct_error_set(err, RMCT_E_INPUT, "%s: expected at least one code, got none", path);
    return rc;
}

static rmct_code load_questionnaire(const char *dir, rmct_survey_codes *c, rmct_error *err)
{
    rmct_csv_colspec spec[] = {{"version", true}, {"column", true}};
    int idx[2];
    rmct_csv *csv;
    char path[700];
    rmct_code rc = open_codes_file(dir, "questionnaire.csv", spec, 2, idx, &csv, path, sizeof path, err);
    if (rc) return rc;
    int cap = 0;
    for (;;) {
        bool got;
        if ((rc = rmct_csv_next(csv, &got, err)) || !got) break;
        const char *v = cell_of(csv, idx, 0);
        if (!c->questionnaire[0]) rmct_strlcpy(c->questionnaire, v, sizeof c->questionnaire);
        else if (strcmp(v, c->questionnaire)) {
            rc = rmct_csv_field_error(csv, idx[0], err, "expected one questionnaire version (%s), got \"%s\"", c->questionnaire, v);
            break;
        }
        if (c->n_columns == cap) {
            cap = cap ? 2 * cap : 32;
            char (*p)[32] = realloc(c->columns, (size_t)cap * sizeof *p);
            if (!p) {
                rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                break;
            }
            c->columns = p;
        }
        rmct_strlcpy(c->columns[c->n_columns++], cell_of(csv, idx, 1), 32);
    }
    rmct_csv_close(csv);
    return rc;
}

static bool parse_bn(const char *text, double *v)
{
    if (!text || !*text) {
        *v = NAN;
        return true;
    }
    return rmct_parse_double(text, false, v) && *v >= 0;
}

static rmct_code load_criteria(const char *dir, rmct_survey_codes *c, rmct_error *err)
{
    rmct_csv_colspec spec[] = {{"set", true},
                               {"valid_from", true},
                               {"valid_to", true},
                               {"ksic", true},
                               {"industry_en", true},
                               {"sme_max_sales_krw_bn", true},
                               {"small_max_sales_krw_bn", true},
                               {"sme_max_assets_krw_bn", true},
                               {"source", true}};
    int idx[9];
    rmct_csv *csv;
    char path[700];
    rmct_code rc = open_codes_file(dir, "size_criteria.csv", spec, 9, idx, &csv, path, sizeof path, err);
    if (rc) return rc;
    int cap = 0;
    for (;;) {
        bool got;
        if ((rc = rmct_csv_next(csv, &got, err)) || !got) break;
        if (c->n_criteria == cap) {
            cap = cap ? 2 * cap : 32;
            rmct_size_criterion *p = realloc(c->criteria, (size_t)cap * sizeof *p);
            if (!p) {
                rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                break;
            }
            c->criteria = p;
        }
        rmct_size_criterion *r = &c->criteria[c->n_criteria++];
        memset(r, 0, sizeof *r);
        rmct_strlcpy(r->set, cell_of(csv, idx, 0), sizeof r->set);
        rmct_strlcpy(r->valid_from, cell_of(csv, idx, 1), sizeof r->valid_from);
        rmct_strlcpy(r->valid_to, cell_of(csv, idx, 2), sizeof r->valid_to);
        rmct_strlcpy(r->ksic, cell_of(csv, idx, 3), sizeof r->ksic);
        rmct_strlcpy(r->industry_en, cell_of(csv, idx, 4), sizeof r->industry_en);
        rmct_strlcpy(r->source, cell_of(csv, idx, 8), sizeof r->source);
        r->line = (int)rmct_csv_line(csv, 0);
        for (int k = 5; k <= 7 && !rc; k++) {
            double v;
            if (!parse_bn(cell_of(csv, idx, k), &v))
                rc = rmct_csv_field_error(csv, idx[k], err, "expected an amount in KRW billion or nothing, got \"%s\"", cell_of(csv, idx, k));
            *(k == 5 ? &r->sme_max_sales : k == 6 ? &r->small_max_sales : &r->sme_max_assets) = v;
        }
        if (rc) break;
        if (strlen(r->valid_from) != 10 || strlen(r->valid_to) != 10 || strcmp(r->valid_from, r->valid_to) > 0) {
            rc = rmct_csv_field_error(csv, idx[1], err, "expected valid_from and valid_to as YYYY-MM-DD, in order, got \"%s\" and \"%s\"",
                                      r->valid_from, r->valid_to);
            break;
        }
    }
    rmct_csv_close(csv);
    return rc;
}

/* The metals of a focus chain: element symbols or type codes of its material and resource nodes. */
static rmct_code load_focus_chain(const char *data_dir, rmct_focus_chain *fc, rmct_error *err)
{
    char path[700];
    snprintf(path, sizeof path, "%s/chains/%s.json", data_dir, fc->chain);
    rmct_chain *ch;
    rmct_code rc = rmct_chain_load(path, &ch, err);
    if (rc) return rc;
    rmct_strlcpy(fc->title, ch->title, sizeof fc->title);
    for (int i = 0; i < ch->n_nodes && fc->n_metals < RMCT_FOCUS_METALS; i++) {
        const rmct_chain_node *nd = &ch->nodes[i];
        if ((nd->stage != RMCT_STAGE_MATERIAL && nd->stage != RMCT_STAGE_RESOURCE) || !nd->element[0]) continue;
        bool dup = false;
        for (int k = 0; k < fc->n_metals; k++) dup |= !strcmp(fc->metals[k], nd->element);
        if (!dup) rmct_strlcpy(fc->metals[fc->n_metals++], nd->element, 8);
    }
    rmct_chain_free(ch);
    return RMCT_OK;
}

rmct_code rmct_survey_codes_load(const char *data_dir, rmct_survey_codes **out, rmct_error *err)
{
    *out = NULL;
    rmct_survey_codes *c = calloc(1, sizeof *c);
    if (!c) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    snprintf(c->dir, sizeof c->dir, "%s/survey", data_dir);
    rmct_code rc = load_questionnaire(c->dir, c, err);
    if (!rc) rc = load_code_list(c->dir, "stages.csv", "chain_stage", &c->stages, &c->n_stages, err);
    if (!rc) rc = load_code_list(c->dir, "sectors.csv", "focus_chain", &c->sectors, &c->n_sectors, err);
    if (!rc) rc = load_code_list(c->dir, "difficulties.csv", NULL, &c->difficulties, &c->n_difficulties, err);
    if (!rc) rc = load_code_list(c->dir, "regions.csv", "name_iso", &c->regions, &c->n_regions, err);
    if (!rc) rc = load_criteria(c->dir, c, err);
    if (!rc && c->n_stages > 8) rc = rmct_error_set(err, RMCT_E_INPUT, "%s/stages.csv: expected at most 8 stages, got %d", c->dir, c->n_stages);
    if (!rc && c->n_sectors > 32) rc = rmct_error_set(err, RMCT_E_INPUT, "%s/sectors.csv: expected at most 32 sectors, got %d", c->dir, c->n_sectors);
    for (int i = 0; !rc && i < c->n_sectors; i++) {
        if (!c->sectors[i].extra[0]) continue;
        rmct_focus_chain *p = realloc(c->chains, (size_t)(c->n_chains + 1) * sizeof *p);
        if (!p) {
            rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            break;
        }
        c->chains = p;
        rmct_focus_chain *fc = &c->chains[c->n_chains++];
        memset(fc, 0, sizeof *fc);
        rmct_strlcpy(fc->chain, c->sectors[i].extra, sizeof fc->chain);
        rmct_strlcpy(fc->sector, c->sectors[i].code, sizeof fc->sector);
        rc = load_focus_chain(data_dir, fc, err);
    }
    if (rc) {
        rmct_survey_codes_free(c);
        return rc;
    }
    *out = c;
    return RMCT_OK;
}

/* ---------------- one row: parsing and checking ---------------- */

/* The columns of a campaign file, in the questionnaire's order (a unit test checks they agree). */
const rmct_csv_colspec survey_columns[S__N] = {
    [S_YEAR] = {"year", true},         [S_BRN] = {"brn", true},
    [S_NAME_KO] = {"name_ko", true},   [S_NAME_EN] = {"name_en", true},
    [S_SIZE] = {"size", true},         [S_KSIC] = {"ksic", true},
    [S_SALES] = {"avg_sales_krw_bn", false}, [S_ASSETS] = {"total_assets_krw_bn", false},
    [S_RESTRICTED] = {"restricted_group", false}, [S_REGION] = {"region", true},
    [S_STAGES] = {"stages", true},     [S_SECTORS] = {"sectors", true},
    [S_METAL] = {"metal", true},       [S_STAGE] = {"stage", true},
    [S_CONSUMED] = {"consumed_t", true}, [S_PRODUCED] = {"produced_t", true},
    [S_IMPORT] = {"import_pct", true}, [S_DOMESTIC] = {"domestic_pct", true},
    [S_RECYCLED] = {"recycled_pct", true}, [S_ORIGINS] = {"origins", true},
    [S_DAYS] = {"inventory_days", true}, [S_SUBSTITUTES] = {"substitutes", false},
    [S_DIFFICULTIES] = {"difficulties", false}, [S_DIFFICULTY_TEXT] = {"difficulty_text", false},
    [S_SYNTHETIC] = {"synthetic", true},
};

/* Where a field came from: a CSV record (file, line, column) or an edit (the field name only). */
typedef struct {
    const rmct_csv *csv;
    const int *idx;
} fieldloc;

static rmct_code ferr(const fieldloc *fl, int col, rmct_error *err, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static rmct_code ferr(const fieldloc *fl, int col, rmct_error *err, const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *field = survey_columns[col].name;
    if (fl && fl->csv) {
        int i = fl->idx[col];
        return rmct_error_at(err, rmct_csv_name(fl->csv), rmct_csv_line(fl->csv, i >= 0 ? i : 0), i >= 0 ? rmct_csv_col(fl->csv, i) : 0,
                             field, "%s", msg);
    }
    rmct_error_set(err, RMCT_E_INPUT, "%s", msg);
    if (err) {
        err->file[0] = '\0';
        err->line = err->col = 0;
        rmct_strlcpy(err->field, field, sizeof err->field);
    }
    return RMCT_E_INPUT;
}

static const char *qt(const char *s, char *buf, size_t size) { return rmct_error_quote(s ? s : "", buf, size); }

static bool blank(const char *s)
{
    if (!s) return true;
    while (*s == ' ' || *s == '\t') s++;
    return !*s;
}

static rmct_code parse_num(const fieldloc *fl, int col, const char *text, double lo, double hi, const char *what, double *v,
                           rmct_error *err)
{
    char q[128];
    if (!rmct_parse_double(text, false, v) || *v < lo || *v > hi)
        return ferr(fl, col, err, "expected %s, got \"%s\"", what, qt(text, q, sizeof q));
    return RMCT_OK;
}

/* Split a ';'-separated list of codes of a codebook into a canonical list (codebook order); *mask
 * gets a bit per code. */
static rmct_code parse_codes(const fieldloc *fl, int col, const char *text, const rmct_survey_code *v, int n, bool required,
                             const char *file, char *canon, size_t size, unsigned *mask, rmct_error *err)
{
    char buf[512], q[128];
    rmct_strlcpy(buf, text ? text : "", sizeof buf);
    *mask = 0;
    char *save = NULL;
    for (char *p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
        rmct_trim(p);
        int k = rmct_survey_code_find(v, n, p);
        if (k < 0) {
            char list[400] = "";
            for (int i = 0; i < n && strlen(list) < 300; i++) {
                if (i) strncat(list, ", ", sizeof list - strlen(list) - 1);
                strncat(list, v[i].code, sizeof list - strlen(list) - 1);
            }
            return ferr(fl, col, err, "expected codes of data/survey/%s separated by ';' (%s), got \"%s\"", file, list, qt(p, q, sizeof q));
        }
        if (*mask & (1u << k)) return ferr(fl, col, err, "expected each code once, got \"%s\" twice", qt(p, q, sizeof q));
        *mask |= 1u << k;
    }
    if (required && !*mask) return ferr(fl, col, err, "expected at least one code of data/survey/%s, got none", file);
    canon[0] = '\0';
    for (int k = 0; k < n; k++)
        if (*mask & (1u << k)) {
            if (canon[0]) strncat(canon, ";", size - strlen(canon) - 1);
            strncat(canon, v[k].code, size - strlen(canon) - 1);
        }
    return RMCT_OK;
}

static int find_region(const rmct_survey_codes *c, const char *text)
{
    char buf[128];
    rmct_strlcpy(buf, text ? text : "", sizeof buf);
    rmct_trim(buf);
    for (int i = 0; i < c->n_regions; i++) {
        const rmct_survey_code *r = &c->regions[i];
        if (rmct_streq_nocase(buf, r->code) || rmct_streq_nocase(buf, r->name_en) || !strcmp(buf, r->name_ko) ||
            rmct_streq_nocase(buf, r->extra))
            return i;
    }
    return -1;
}

/* ksic: a section letter (A-U), optionally with its 2-digit division (C24). */
static bool valid_ksic(const char *s, char out[8])
{
    char b[8];
    size_t n = s ? strlen(s) : 0;
    if (n != 1 && n != 3) return false;
    b[0] = (char)toupper((unsigned char)s[0]);
    if (b[0] < 'A' || b[0] > 'U') return false;
    for (size_t i = 1; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        b[i] = s[i];
    }
    b[n] = '\0';
    memcpy(out, b, n + 1);
    return true;
}

/* origins: "CHN:70;JPN:30" */
static rmct_code parse_origins(const fieldloc *fl, rmct_registry *reg, const char *text, survey_row *r, rmct_error *err)
{
    char buf[600], q[128];
    rmct_strlcpy(buf, text ? text : "", sizeof buf);
    r->n_origins = 0;
    double sum = 0;
    char *save = NULL;
    for (char *p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
        rmct_trim(p);
        char *colon = strrchr(p, ':');
        if (!colon) return ferr(fl, S_ORIGINS, err, "expected COUNTRY:PCT entries separated by ';' (CHN:70;JPN:30), got \"%s\"", qt(p, q, sizeof q));
        *colon = '\0';
        char *country = rmct_trim(p), *pct = rmct_trim(colon + 1);
        char iso3[4];
        rmct_error e;
        rmct_error_clear(&e);
        if (rmct_registry_country(reg, country, iso3, &e))
            return ferr(fl, S_ORIGINS, err, "expected a known country (ISO 3166 code or name) before ':', got \"%s\"", qt(country, q, sizeof q));
        if (!strcmp(iso3, "KOR")) return ferr(fl, S_ORIGINS, err, "expected countries other than Korea (supply bought in Korea is domestic_pct), got \"%s\"", qt(country, q, sizeof q));
        double v;
        if (!rmct_parse_double(pct, false, &v) || v <= 0 || v > 100)
            return ferr(fl, S_ORIGINS, err, "expected a percentage above 0 and at most 100 after %s:, got \"%s\"", iso3, qt(pct, q, sizeof q));
        for (int k = 0; k < r->n_origins; k++)
            if (!strcmp(r->origins[k].iso3, iso3)) return ferr(fl, S_ORIGINS, err, "expected each country once, got %s twice", iso3);
        if (r->n_origins == SURVEY_MAX_ORIGINS) return ferr(fl, S_ORIGINS, err, "expected at most %d countries, got more", SURVEY_MAX_ORIGINS);
        rmct_strlcpy(r->origins[r->n_origins].iso3, iso3, 4);
        r->origins[r->n_origins++].pct = v;
        sum += v;
    }
    if (r->import_pct > 0 && r->n_origins == 0)
        return ferr(fl, S_ORIGINS, err, "expected the countries of the imports (import_pct is %.10g), got none", r->import_pct);
    if (r->import_pct == 0 && r->n_origins > 0)
        return ferr(fl, S_ORIGINS, err, "expected no countries (import_pct is 0), got \"%s\"", qt(text, q, sizeof q));
    if (r->n_origins && fabs(sum - 100) > 0.5)
        return ferr(fl, S_ORIGINS, err, "expected percentages summing to 100 (within 0.5), got %.10g in \"%s\"", sum, qt(text, q, sizeof q));
    /* canonical text: largest first, then by code */
    for (int i = 1; i < r->n_origins; i++)
        for (int j = i; j > 0; j--) {
            survey_origin *a = &r->origins[j - 1], *b = &r->origins[j];
            if (a->pct > b->pct || (a->pct == b->pct && strcmp(a->iso3, b->iso3) < 0)) break;
            survey_origin t = *a;
            *a = *b;
            *b = t;
        }
    r->origins_text[0] = '\0';
    for (int k = 0; k < r->n_origins; k++) {
        char e[32];
        snprintf(e, sizeof e, "%s%s:%.10g", k ? ";" : "", r->origins[k].iso3, r->origins[k].pct);
        strncat(r->origins_text, e, sizeof r->origins_text - strlen(r->origins_text) - 1);
    }
    return RMCT_OK;
}

static rmct_code survey_check_profile(const rmct_survey_codes *c, const fieldloc *fl, int year, const char *const *f, survey_row *r,
                                      rmct_error *err)
{
    char q[128];
    if (blank(f[S_NAME_KO])) return ferr(fl, S_NAME_KO, err, "expected the company's name in Korean, got an empty field");
    if (blank(f[S_NAME_EN])) return ferr(fl, S_NAME_EN, err, "expected the company's name in English, got an empty field");
    if (strlen(f[S_NAME_KO]) >= sizeof r->name_ko) return ferr(fl, S_NAME_KO, err, "expected a name of at most %zu bytes, got %zu", sizeof r->name_ko - 1, strlen(f[S_NAME_KO]));
    if (strlen(f[S_NAME_EN]) >= sizeof r->name_en) return ferr(fl, S_NAME_EN, err, "expected a name of at most %zu bytes, got %zu", sizeof r->name_en - 1, strlen(f[S_NAME_EN]));
    rmct_strlcpy(r->name_ko, f[S_NAME_KO], sizeof r->name_ko);
    rmct_trim(r->name_ko);
    rmct_strlcpy(r->name_en, f[S_NAME_EN], sizeof r->name_en);
    rmct_trim(r->name_en);
    if (!valid_ksic(f[S_KSIC], r->ksic))
        return ferr(fl, S_KSIC, err, "expected a KSIC section letter or division (B, C24, E38 as E38 or E), got \"%s\"", qt(f[S_KSIC], q, sizeof q));
    r->sales = r->assets = NAN;
    if (!blank(f[S_SALES]) && parse_num(fl, S_SALES, f[S_SALES], 0, 1e9, "average sales in KRW billion (a number, 0 or more)", &r->sales, err))
        return RMCT_E_INPUT;
    if (!blank(f[S_ASSETS]) && parse_num(fl, S_ASSETS, f[S_ASSETS], 0, 1e9, "total assets in KRW billion (a number, 0 or more)", &r->assets, err))
        return RMCT_E_INPUT;
    r->restricted = false;
    if (!blank(f[S_RESTRICTED])) {
        if (strcmp(f[S_RESTRICTED], "0") && strcmp(f[S_RESTRICTED], "1"))
            return ferr(fl, S_RESTRICTED, err, "expected 0 or 1, got \"%s\"", qt(f[S_RESTRICTED], q, sizeof q));
        r->restricted = f[S_RESTRICTED][0] == '1';
    }
    char sz[32];
    rmct_strlcpy(sz, f[S_SIZE] ? f[S_SIZE] : "", sizeof sz);
    rmct_trim(sz);
    if (!rmct_size_parse(sz, &r->size))
        return ferr(fl, S_SIZE, err, "expected large, mid-sized, medium or small, got \"%s\"", qt(f[S_SIZE], q, sizeof q));
    rmct_size_result sr;
    rmct_survey_size_classify(c, year, r->ksic, r->sales, r->assets, r->restricted, &sr);
    if (sr.certainty == RMCT_SIZE_KNOWN && sr.cls != r->size)
        return ferr(fl, S_SIZE, err, "expected %s (%s), got \"%s\"", rmct_size_name(sr.cls), sr.basis, sz);
    if (sr.certainty == RMCT_SIZE_SME && r->size != RMCT_SIZE_MEDIUM && r->size != RMCT_SIZE_SMALL)
        return ferr(fl, S_SIZE, err, "expected medium or small (%s), got \"%s\"", sr.basis, sz);
    if (r->size == RMCT_SIZE_LARGE && !r->restricted && sr.certainty == RMCT_SIZE_UNKNOWN && !blank(f[S_RESTRICTED]))
        return ferr(fl, S_SIZE, err, "expected mid-sized, medium or small for a company outside restricted business groups "
                    "(restricted_group is 0), got \"large\"");
    snprintf(r->size_basis, sizeof r->size_basis, "%s", sr.basis);
    int reg = find_region(c, f[S_REGION]);
    if (reg < 0)
        return ferr(fl, S_REGION, err, "expected a region of data/survey/regions.csv (ISO 3166-2:KR code such as KR-28, or name such as "
                    "Incheon), got \"%s\"", qt(f[S_REGION], q, sizeof q));
    rmct_strlcpy(r->region, c->regions[reg].code, sizeof r->region);
    rmct_code rc = parse_codes(fl, S_STAGES, f[S_STAGES], c->stages, c->n_stages, true, "stages.csv", r->stages, sizeof r->stages,
                               &r->stage_mask, err);
    if (!rc) rc = parse_codes(fl, S_SECTORS, f[S_SECTORS], c->sectors, c->n_sectors, true, "sectors.csv", r->sectors,
                              sizeof r->sectors, &r->sector_mask, err);
    return rc;
}

static rmct_code survey_check_answer(const rmct_survey_codes *c, const fieldloc *fl, rmct_registry *reg, const char *const *f,
                                     survey_row *r, rmct_error *err)
{
    char q[128];
    rmct_error e;
    rmct_error_clear(&e);
    char metal[64];
    rmct_strlcpy(metal, f[S_METAL] ? f[S_METAL] : "", sizeof metal);
    rmct_trim(metal);
    if (!*metal) return ferr(fl, S_METAL, err, "expected a metal, got an empty field");
    if (rmct_registry_metal(reg, metal, &r->metal, &e) == RMCT_E_NOTFOUND || (!e.code && !r->metal.type_code[0]))
        return ferr(fl, S_METAL, err, "expected one of Korea's 35 rare-metal types or one of their elements (Dy, REE, tungsten), got \"%s\"",
                    qt(metal, q, sizeof q));
    if (e.code) {
        *err = e;
        return e.code;
    }
    rmct_strlcpy(r->metal_key, r->metal.element[0] ? r->metal.element : r->metal.type_code, sizeof r->metal_key);
    char st[32];
    rmct_strlcpy(st, f[S_STAGE] ? f[S_STAGE] : "", sizeof st);
    rmct_trim(st);
    int k = rmct_survey_code_find(c->stages, c->n_stages, st);
    if (k < 0) return ferr(fl, S_STAGE, err, "expected a stage of data/survey/stages.csv (resource, materials, components, products, "
                           "recycling), got \"%s\"", qt(st, q, sizeof q));
    if (!(r->stage_mask & (1u << k)))
        return ferr(fl, S_STAGE, err, "expected one of the company's stages (%s), got \"%s\"", r->stages, st);
    rmct_strlcpy(r->stage, st, sizeof r->stage);
    rmct_code rc;
    if ((rc = parse_num(fl, S_CONSUMED, f[S_CONSUMED], 0, 1e8, "tonnes used in the year (a number, 0 or more)", &r->consumed, err))) return rc;
    if ((rc = parse_num(fl, S_PRODUCED, f[S_PRODUCED], 0, 1e8, "tonnes produced in the year (a number, 0 or more)", &r->produced, err))) return rc;
    if (r->consumed == 0 && r->produced == 0)
        return ferr(fl, S_PRODUCED, err, "expected tonnes used or produced (they are not both 0), got 0 and 0");
    static const int pcts[3] = {S_IMPORT, S_DOMESTIC, S_RECYCLED};
    double *dst[3] = {&r->import_pct, &r->domestic_pct, &r->recycled_pct};
    double sum = 0;
    for (int i = 0; i < 3; i++) {
        *dst[i] = 0;
        if (r->consumed == 0) {
            double v;
            if (!blank(f[pcts[i]]) && (!rmct_parse_double(f[pcts[i]], false, &v) || v != 0))
                return ferr(fl, pcts[i], err, "expected nothing or 0 (consumed_t is 0: there is no supply to split), got \"%s\"",
                            qt(f[pcts[i]], q, sizeof q));
            continue;
        }
        if (blank(f[pcts[i]])) *dst[i] = 0;
        else if ((rc = parse_num(fl, pcts[i], f[pcts[i]], 0, 100, "a percentage from 0 to 100", dst[i], err))) return rc;
        sum += *dst[i];
    }
    if (r->consumed > 0 && fabs(sum - 100) > 0.5)
        return ferr(fl, S_RECYCLED, err, "expected import_pct + domestic_pct + recycled_pct = 100 (within 0.5), got %.10g + %.10g + %.10g = %.10g",
                    r->import_pct, r->domestic_pct, r->recycled_pct, sum);
    if ((rc = parse_origins(fl, reg, f[S_ORIGINS], r, err))) return rc;
    if ((rc = parse_num(fl, S_DAYS, f[S_DAYS], 0, 3650, "days of use in stock (a number from 0 to 3650)", &r->days, err))) return rc;
    unsigned dmask;
    if ((rc = parse_codes(fl, S_DIFFICULTIES, f[S_DIFFICULTIES], c->difficulties, c->n_difficulties, false, "difficulties.csv",
                          r->difficulties, sizeof r->difficulties, &dmask, err)))
        return rc;
    if (f[S_SUBSTITUTES] && strlen(f[S_SUBSTITUTES]) >= sizeof r->substitutes)
        return ferr(fl, S_SUBSTITUTES, err, "expected at most %zu bytes, got %zu", sizeof r->substitutes - 1, strlen(f[S_SUBSTITUTES]));
    if (f[S_DIFFICULTY_TEXT] && strlen(f[S_DIFFICULTY_TEXT]) >= sizeof r->difficulty_text)
        return ferr(fl, S_DIFFICULTY_TEXT, err, "expected at most %zu bytes, got %zu", sizeof r->difficulty_text - 1, strlen(f[S_DIFFICULTY_TEXT]));
    rmct_strlcpy(r->substitutes, f[S_SUBSTITUTES] ? f[S_SUBSTITUTES] : "", sizeof r->substitutes);
    rmct_strlcpy(r->difficulty_text, f[S_DIFFICULTY_TEXT] ? f[S_DIFFICULTY_TEXT] : "", sizeof r->difficulty_text);
    rmct_trim(r->substitutes);
    rmct_trim(r->difficulty_text);
    int other = rmct_survey_code_find(c->difficulties, c->n_difficulties, "other");
    if (other >= 0 && (dmask & (1u << other)) && !r->difficulty_text[0])
        return ferr(fl, S_DIFFICULTY_TEXT, err, "expected a description of the difficulty coded 'other', got an empty field");
    return RMCT_OK;
}

/* ---------------- writing ---------------- */

static rmct_code step_done(rmct_db *db, sqlite3_stmt *st, const char *what, rmct_error *err)
{
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    if (s != SQLITE_DONE) return rmct_db_error(db, err, what);
    return RMCT_OK;
}

static void bind_double_or_null(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v)) sqlite3_bind_null(st, i);
    else sqlite3_bind_double(st, i, v);
}

static rmct_code survey_insert_profile(rmct_db *db, int year, const survey_row *r, int version, const char *reason, const char *actor,
                                int64_t source_id, long line, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(db, &st,
        "INSERT INTO survey_profile(year, brn, version, name_ko, name_en, size, size_basis, ksic, sales_krw_bn, assets_krw_bn,"
        " restricted_group, region, stages, sectors, reason, actor, source_id, src_line)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)", err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_text(st, 2, r->brn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, version);
    sqlite3_bind_text(st, 4, r->name_ko, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, r->name_en, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, rmct_size_name(r->size), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->size_basis, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, r->ksic, -1, SQLITE_TRANSIENT);
    bind_double_or_null(st, 9, r->sales);
    bind_double_or_null(st, 10, r->assets);
    sqlite3_bind_int(st, 11, r->restricted);
    sqlite3_bind_text(st, 12, r->region, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 13, r->stages, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 14, r->sectors, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 15, reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 16, actor, -1, SQLITE_TRANSIENT);
    if (source_id) sqlite3_bind_int64(st, 17, source_id);
    else sqlite3_bind_null(st, 17);
    if (line) sqlite3_bind_int64(st, 18, line);
    else sqlite3_bind_null(st, 18);
    return step_done(db, st, "recording a company profile", err);
}

static rmct_code survey_insert_answer(rmct_db *db, int year, const survey_row *r, int version, bool withdrawn, const char *reason,
                               const char *actor, int64_t source_id, long line, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_cached(db, &st,
        "INSERT INTO survey_answer(year, brn, metal, type_code, element, version, withdrawn, stage, consumed_t, produced_t,"
        " import_pct, domestic_pct, recycled_pct, origins, inventory_days, substitutes, difficulties, difficulty_text,"
        " reason, actor, source_id, src_line)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)", err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_text(st, 2, r->brn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, r->metal_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, r->metal.type_code, -1, SQLITE_TRANSIENT);
    if (r->metal.element[0]) sqlite3_bind_text(st, 5, r->metal.element, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, 5);
    sqlite3_bind_int(st, 6, version);
    sqlite3_bind_int(st, 7, withdrawn);
    sqlite3_bind_text(st, 8, r->stage, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 9, r->consumed);
    sqlite3_bind_double(st, 10, r->produced);
    sqlite3_bind_double(st, 11, r->import_pct);
    sqlite3_bind_double(st, 12, r->domestic_pct);
    sqlite3_bind_double(st, 13, r->recycled_pct);
    sqlite3_bind_text(st, 14, r->origins_text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 15, r->days);
    sqlite3_bind_text(st, 16, r->substitutes, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 17, r->difficulties, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 18, r->difficulty_text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 19, reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 20, actor, -1, SQLITE_TRANSIENT);
    if (source_id) sqlite3_bind_int64(st, 21, source_id);
    else sqlite3_bind_null(st, 21);
    if (line) sqlite3_bind_int64(st, 22, line);
    else sqlite3_bind_null(st, 22);
    if ((rc = step_done(db, st, "recording an answer", err))) return rc;
    int64_t id = sqlite3_last_insert_rowid(rmct_db_sqlite(db));
    if ((rc = rmct_db_cached(db, &st, "INSERT INTO survey_origin(answer_id, country, pct) VALUES (?1, ?2, ?3)", err))) return rc;
    for (int k = 0; k < r->n_origins && !rc; k++) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, r->origins[k].iso3, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(st, 3, r->origins[k].pct);
        rc = step_done(db, st, "recording where an answer's imports come from", err);
    }
    return rc;
}

/* ---------------- import ---------------- */

typedef struct {
    char brn[11];
    long line;             /* first row */
    char fields[S_SYNTHETIC][240];   /* its company columns as given (trimmed), for the consistency check */
} file_company;

typedef struct {
    char brn[11], metal[8];
    long line;
} file_answer;

static const int company_cols[] = {S_NAME_KO, S_NAME_EN, S_SIZE, S_KSIC, S_SALES, S_ASSETS, S_RESTRICTED, S_REGION, S_STAGES, S_SECTORS};

static rmct_code import_rows(rmct_db *db, const rmct_survey_codes *codes, rmct_registry *reg, rmct_csv *csv, const int *idx,
                             const rmct_survey_import_opts *o, const char *base, int64_t source_id,
                             rmct_survey_import_result *res, rmct_error *err)
{
    fieldloc fl = {csv, idx};
    file_company *comp = NULL;
    file_answer *ans = NULL;
    size_t n_comp = 0, cap_comp = 0, n_ans = 0, cap_ans = 0;
    int year = 0, synthetic = -1;
    long first_line = 0;
    rmct_code rc = RMCT_OK;
    char q[128];
    for (;;) {
        bool got;
        if ((rc = rmct_csv_next(csv, &got, err)) || !got) break;
        const char *f[S__N];
        for (int k = 0; k < S__N; k++) f[k] = idx[k] >= 0 ? rmct_csv_get(csv, idx[k]) : NULL;
        long line = rmct_csv_line(csv, 0);
        /* the file as a whole: one year, synthetic or not */
        long y;
        if (!rmct_parse_long(f[S_YEAR], 2000, 2200, &y)) {
            rc = ferr(&fl, S_YEAR, err, "expected a year from 2000 to 2200, got \"%s\"", qt(f[S_YEAR], q, sizeof q));
            break;
        }
        if (strcmp(f[S_SYNTHETIC], "0") && strcmp(f[S_SYNTHETIC], "1")) {
            rc = ferr(&fl, S_SYNTHETIC, err, "expected 0 or 1 (1: fictitious test data), got \"%s\"", qt(f[S_SYNTHETIC], q, sizeof q));
            break;
        }
        if (!year) {
            year = (int)y;
            synthetic = f[S_SYNTHETIC][0] == '1';
            first_line = line;
            /* the campaign */
            sqlite3_stmt *st;
            if ((rc = rmct_db_prepare(db, &st, "SELECT c.year, s.file_name, s.imported_at FROM survey_campaign c "
                                               "JOIN source s ON s.id = c.source_id WHERE c.year = ?", err)))
                break;
            sqlite3_bind_int(st, 1, year);
            if (sqlite3_step(st) == SQLITE_ROW) {
                char fn[256], at[32];
                rmct_db_column_text(st, 1, fn, sizeof fn);
                rmct_db_column_text(st, 2, at, sizeof at);
                sqlite3_finalize(st);
                rc = ferr(&fl, S_YEAR, err, "expected a year without a campaign (%d was imported from %s on %s; correct its answers with "
                          "'rmct survey correct'), got %d", year, fn, at, year);
                break;
            }
            sqlite3_finalize(st);
            char title[200], note[400];
            if (o->title && *o->title) snprintf(title, sizeof title, "%s", o->title);
            else snprintf(title, sizeof title, "Rare-metal industry survey %d", year);
            if (o->data_note && *o->data_note) snprintf(note, sizeof note, "%s", o->data_note);
            else if (synthetic) snprintf(note, sizeof note, "SYNTHETIC TEST DATA: fictitious companies and answers, not a real survey (%s)", base);
            else snprintf(note, sizeof note, "survey answers imported from %s", base);
            if ((rc = rmct_db_prepare(db, &st, "INSERT INTO survey_campaign(year, title, questionnaire, synthetic, data_note, source_id,"
                                               " recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)", err)))
                break;
            sqlite3_bind_int(st, 1, year);
            sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, codes->questionnaire, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 4, synthetic);
            sqlite3_bind_text(st, 5, note, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 6, source_id);
            sqlite3_bind_text(st, 7, o->actor, -1, SQLITE_STATIC);
            int s = sqlite3_step(st);
            sqlite3_finalize(st);
            if (s != SQLITE_DONE) {
                rc = rmct_db_error(db, err, "recording the campaign");
                break;
            }
            res->year = year;
            res->synthetic = synthetic;
        } else {
            if (y != year) {
                rc = ferr(&fl, S_YEAR, err, "expected %d as on line %ld (one campaign per file), got \"%s\"", year, first_line,
                          qt(f[S_YEAR], q, sizeof q));
                break;
            }
            if ((f[S_SYNTHETIC][0] == '1') != synthetic) {
                rc = ferr(&fl, S_SYNTHETIC, err, "expected %d as on line %ld (a campaign is synthetic test data or real data as a whole), "
                          "got %s", synthetic, first_line, f[S_SYNTHETIC]);
                break;
            }
        }
        survey_row r;
        memset(&r, 0, sizeof r);
        if (!rmct_brn_normalize(f[S_BRN], r.brn)) {
            rc = ferr(&fl, S_BRN, err, "expected a business registration number of 10 digits (123-45-67890), got \"%s\"",
                      qt(f[S_BRN], q, sizeof q));
            break;
        }
        if (!rmct_brn_valid(r.brn)) {
            char b[13];
            (void)b;
            rc = ferr(&fl, S_BRN, err, "expected a business registration number whose last digit is its check digit (%d after %.9s), "
                      "got \"%s\"", rmct_brn_check_digit(r.brn), r.brn, qt(f[S_BRN], q, sizeof q));
            break;
        }
        if ((rc = survey_check_profile(codes, &fl, year, f, &r, err))) break;
        /* the same company on every row */
        file_company *fc = NULL;
        for (size_t i = 0; i < n_comp; i++)
            if (!strcmp(comp[i].brn, r.brn)) fc = &comp[i];
        if (fc) {
            for (size_t k = 0; k < sizeof company_cols / sizeof *company_cols; k++) {
                int col = company_cols[k];
                char v[240];
                rmct_strlcpy(v, f[col] ? f[col] : "", sizeof v);
                rmct_trim(v);
                if (strcmp(v, fc->fields[col])) {
                    char b[13];
                    rc = ferr(&fl, col, err, "expected \"%s\" as on line %ld for company %s (company columns repeat on each of its rows), "
                              "got \"%s\"", fc->fields[col], fc->line, rmct_brn_format(r.brn, b), qt(v, q, sizeof q));
                    break;
                }
            }
            if (rc) break;
        } else {
            if (n_comp == cap_comp) {
                cap_comp = cap_comp ? 2 * cap_comp : 64;
                file_company *v = realloc(comp, cap_comp * sizeof *v);
                if (!v) {
                    rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                    break;
                }
                comp = v;
            }
            fc = &comp[n_comp++];
            memset(fc, 0, sizeof *fc);
            rmct_strlcpy(fc->brn, r.brn, sizeof fc->brn);
            fc->line = line;
            for (size_t k = 0; k < sizeof company_cols / sizeof *company_cols; k++) {
                rmct_strlcpy(fc->fields[company_cols[k]], f[company_cols[k]] ? f[company_cols[k]] : "", 240);
                rmct_trim(fc->fields[company_cols[k]]);
            }
            /* the registry */
            sqlite3_stmt *st;
            if ((rc = rmct_db_cached(db, &st, "SELECT synthetic FROM survey_company WHERE brn = ?", err))) break;
            sqlite3_bind_text(st, 1, r.brn, -1, SQLITE_TRANSIENT);
            int known = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
            sqlite3_reset(st);
            if (known >= 0 && known != synthetic) {
                char b[13];
                rc = ferr(&fl, S_SYNTHETIC, err, "expected %d: company %s is %s in the registry, got %d", known, rmct_brn_format(r.brn, b),
                          known ? "a fictitious test company" : "a real company", synthetic);
                break;
            }
            if (known < 0) {
                if ((rc = rmct_db_cached(db, &st, "INSERT INTO survey_company(brn, synthetic, recorded_by) VALUES (?, ?, ?)", err))) break;
                sqlite3_bind_text(st, 1, r.brn, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int(st, 2, synthetic);
                sqlite3_bind_text(st, 3, o->actor, -1, SQLITE_STATIC);
                if ((rc = step_done(db, st, "registering a company", err))) break;
                res->new_companies++;
            }
            if ((rc = survey_insert_profile(db, year, &r, 1, "import", o->actor, source_id, line, err))) break;
            res->companies++;
        }
        if ((rc = survey_check_answer(codes, &fl, reg, f, &r, err))) break;
        for (size_t i = 0; i < n_ans && !rc; i++)
            if (!strcmp(ans[i].brn, r.brn) && !strcmp(ans[i].metal, r.metal_key)) {
                char b[13];
                rc = ferr(&fl, S_METAL, err, "expected one row per company and metal, got %s again for company %s (first on line %ld)",
                          r.metal_key, rmct_brn_format(r.brn, b), ans[i].line);
            }
        if (rc) break;
        if (n_ans == cap_ans) {
            cap_ans = cap_ans ? 2 * cap_ans : 128;
            file_answer *v = realloc(ans, cap_ans * sizeof *v);
            if (!v) {
                rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                break;
            }
            ans = v;
        }
        file_answer *fa = &ans[n_ans++];
        rmct_strlcpy(fa->brn, r.brn, sizeof fa->brn);
        rmct_strlcpy(fa->metal, r.metal_key, sizeof fa->metal);
        fa->line = line;
        if ((rc = survey_insert_answer(db, year, &r, 1, false, "import", o->actor, source_id, line, err))) {
            if (err->code == RMCT_E_DB && !err->file[0]) { /* a constraint the checks above missed: name the row */
                char msg[sizeof err->msg];
                rmct_strlcpy(msg, err->msg, sizeof msg);
                rc = rmct_error_at(err, rmct_csv_name(csv), line, 0, NULL, "expected a row the database accepts, got one it refuses: %s", msg);
            }
            break;
        }
        res->rows++;
    }
    if (!rc && res->rows == 0) rc = rmct_error_at(err, rmct_csv_name(csv), 1, 0, NULL, "expected at least one answer row, got none");
    free(comp);
    free(ans);
    return rc;
}

rmct_code rmct_survey_import(rmct_db *db, const rmct_survey_codes *codes, const char *path, const char *display_name,
                             const rmct_survey_import_opts *o, rmct_survey_import_result *res, rmct_error *err)
{
    memset(res, 0, sizeof *res);
    if (!o || !o->actor || !*o->actor) return rmct_error_set(err, RMCT_E_ARG, "the survey import needs an actor (who imports)");
    const char *shown = display_name ? display_name : path;
    char sha[65];
    rmct_code rc = rmct_sha256_file(path, sha, err);
    if (rc) return rc;
    rmct_registry *reg = NULL;
    if ((rc = rmct_registry_open(db, &reg, err))) return rc;
    rmct_csv *csv = NULL;
    if ((rc = rmct_db_begin(db, err))) goto out;
    bool found;
    rmct_source old;
    if ((rc = rmct_source_lookup(db, "survey", sha, &found, &old, err))) goto out;
    if (found) {
        res->unchanged = true;
        res->source_id = old.id;
        res->rows = old.rows;
        sqlite3_stmt *st;
        if (!rmct_db_prepare(db, &st, "SELECT year, synthetic FROM survey_campaign WHERE source_id = ?", err)) {
            sqlite3_bind_int64(st, 1, old.id);
            if (sqlite3_step(st) == SQLITE_ROW) {
                res->year = sqlite3_column_int(st, 0);
                res->synthetic = sqlite3_column_int(st, 1);
            }
            sqlite3_finalize(st);
        }
        rmct_db_rollback(db);
        goto out;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    rmct_source_info info = {"survey", "", o->actor, "industry survey campaign CSV", NULL, NULL};
    char edition[16];
    /* the edition is the campaign year, known after the first row: record the source now, fix it below */
    info.edition = "0";
    if ((rc = rmct_source_add(db, &info, base, sha, &res->source_id, err))) goto out;
    if ((rc = rmct_csv_open(&csv, path, shown, err))) goto out;
    int idx[S__N];
    if ((rc = rmct_csv_header(csv, survey_columns, S__N, idx, false, err))) goto out;
    if ((rc = import_rows(db, codes, reg, csv, idx, o, base, res->source_id, res, err))) goto out;
    snprintf(edition, sizeof edition, "%d", res->year);
    sqlite3_stmt *st;
    if ((rc = rmct_db_prepare(db, &st, "UPDATE source SET edition = ?, rows = ? WHERE id = ?", err))) goto out;
    sqlite3_bind_text(st, 1, edition, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, res->rows);
    sqlite3_bind_int64(st, 3, res->source_id);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE) {
        rc = rmct_db_error(db, err, "recording the campaign's source");
        goto out;
    }
    rc = rmct_db_commit(db, err);
out:
    if (rc) rmct_db_rollback(db);
    rmct_csv_close(csv);
    rmct_registry_close(reg);
    return rc;
}

/* ---------------- reading ---------------- */

static void read_campaign(sqlite3_stmt *st, rmct_survey_campaign *c)
{
    memset(c, 0, sizeof *c);
    c->year = sqlite3_column_int(st, 0);
    rmct_db_column_text(st, 1, c->title, sizeof c->title);
    rmct_db_column_text(st, 2, c->questionnaire, sizeof c->questionnaire);
    c->synthetic = sqlite3_column_int(st, 3);
    rmct_db_column_text(st, 4, c->data_note, sizeof c->data_note);
    rmct_db_column_text(st, 5, c->recorded_by, sizeof c->recorded_by);
    rmct_db_column_text(st, 6, c->recorded_at, sizeof c->recorded_at);
    rmct_db_column_text(st, 7, c->file_name, sizeof c->file_name);
    rmct_db_column_text(st, 8, c->sha256, sizeof c->sha256);
    c->companies = sqlite3_column_int(st, 9);
    c->answers = sqlite3_column_int(st, 10);
}

#define CAMPAIGN_SQL                                                                                                      \
    "SELECT c.year, c.title, c.questionnaire, c.synthetic, c.data_note, c.recorded_by, c.recorded_at, s.file_name, s.sha256," \
    " (SELECT count(*) FROM survey_profile_current p WHERE p.year = c.year),"                                              \
    " (SELECT count(*) FROM survey_answer_current a WHERE a.year = c.year)"                                                \
    " FROM survey_campaign c JOIN source s ON s.id = c.source_id"

rmct_code rmct_survey_campaigns(rmct_db *db, rmct_survey_campaign **out, int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, CAMPAIGN_SQL " ORDER BY c.year", err);
    if (rc) return rc;
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            rmct_survey_campaign *v = realloc(*out, (size_t)cap * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            *out = v;
        }
        read_campaign(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    return RMCT_OK;
}

rmct_code rmct_survey_campaign_get(rmct_db *db, int year, rmct_survey_campaign *out, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, CAMPAIGN_SQL " WHERE ?1 = 0 OR c.year = ?1 ORDER BY c.year DESC LIMIT 1", err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, year);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) read_campaign(st, out);
    sqlite3_finalize(st);
    if (!found) {
        if (year) return rmct_error_set(err, RMCT_E_NOTFOUND, "no survey campaign for %d (see 'rmct survey list')", year);
        return rmct_error_set(err, RMCT_E_NOTFOUND, "no survey campaign imported yet (rmct survey import FILE)");
    }
    return RMCT_OK;
}

#define PROFILE_COLS                                                                                                     \
    "p.id, p.year, p.version, p.brn, c.synthetic, p.name_ko, p.name_en, p.size, p.size_basis, p.ksic, p.sales_krw_bn,"   \
    " p.assets_krw_bn, p.restricted_group, p.region, p.stages, p.sectors, p.reason, p.actor, p.recorded_at, p.source_id," \
    " p.src_line, (SELECT count(*) FROM survey_answer_current a WHERE a.year = p.year AND a.brn = p.brn)"

static void read_profile(sqlite3_stmt *st, rmct_survey_profile *p)
{
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    p->year = sqlite3_column_int(st, 1);
    p->version = sqlite3_column_int(st, 2);
    rmct_db_column_text(st, 3, p->brn, sizeof p->brn);
    p->synthetic = sqlite3_column_int(st, 4);
    rmct_db_column_text(st, 5, p->name_ko, sizeof p->name_ko);
    rmct_db_column_text(st, 6, p->name_en, sizeof p->name_en);
    rmct_db_column_text(st, 7, p->size, sizeof p->size);
    rmct_db_column_text(st, 8, p->size_basis, sizeof p->size_basis);
    rmct_db_column_text(st, 9, p->ksic, sizeof p->ksic);
    p->sales_krw_bn = sqlite3_column_type(st, 10) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 10);
    p->assets_krw_bn = sqlite3_column_type(st, 11) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 11);
    p->restricted_group = sqlite3_column_int(st, 12);
    rmct_db_column_text(st, 13, p->region, sizeof p->region);
    rmct_db_column_text(st, 14, p->stages, sizeof p->stages);
    rmct_db_column_text(st, 15, p->sectors, sizeof p->sectors);
    rmct_db_column_text(st, 16, p->reason, sizeof p->reason);
    rmct_db_column_text(st, 17, p->actor, sizeof p->actor);
    rmct_db_column_text(st, 18, p->recorded_at, sizeof p->recorded_at);
    p->source_id = sqlite3_column_int64(st, 19);
    p->src_line = sqlite3_column_int(st, 20);
    p->metals = sqlite3_column_int(st, 21);
}

rmct_code rmct_survey_profiles(rmct_db *db, const rmct_survey_view *view, int year, rmct_survey_profile **out, int *n,
                               rmct_error *err)
{
    *out = NULL;
    *n = 0;
    if (view->kind == RMCT_VIEW_PUBLIC) return RMCT_OK;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT " PROFILE_COLS " FROM survey_profile_current p JOIN survey_company c ON c.brn = p.brn"
                                            " WHERE p.year = ?1 AND (?2 IS NULL OR p.brn = ?2) ORDER BY p.name_en, p.brn", err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, year);
    if (view->kind == RMCT_VIEW_COMPANY) sqlite3_bind_text(st, 2, view->brn, -1, SQLITE_TRANSIENT);
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 32;
            rmct_survey_profile *v = realloc(*out, (size_t)cap * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            *out = v;
        }
        read_profile(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    return RMCT_OK;
}

static rmct_code not_visible(const char *text, rmct_error *err)
{
    char q[128];
    rmct_error_set(err, RMCT_E_NOTFOUND, "expected a company in the survey that this view may see (business registration number or "
                   "name; see 'rmct survey list'), got \"%s\"", rmct_error_quote(text, q, sizeof q));
    rmct_strlcpy(err->field, "company", sizeof err->field);
    return RMCT_E_NOTFOUND;
}

rmct_code rmct_survey_find_company(rmct_db *db, const rmct_survey_view *view, const char *text, char brn[11], rmct_error *err)
{
    char d[11];
    sqlite3_stmt *st;
    rmct_code rc;
    if (rmct_brn_normalize(text, d)) {
        if ((rc = rmct_db_prepare(db, &st, "SELECT brn FROM survey_company WHERE brn = ?", err))) return rc;
        sqlite3_bind_text(st, 1, d, -1, SQLITE_TRANSIENT);
    } else {
        char name[200];
        rmct_strlcpy(name, text ? text : "", sizeof name);
        rmct_trim(name);
        if ((rc = rmct_db_prepare(db, &st, "SELECT DISTINCT brn FROM survey_profile WHERE name_en = ?1 COLLATE NOCASE OR name_ko = ?1"
                                           " ORDER BY brn", err)))
            return rc;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    }
    bool found = false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char b[11];
        rmct_db_column_text(st, 0, b, sizeof b);
        if (survey_view_sees(view, b) && !found) {
            rmct_strlcpy(brn, b, 11);
            found = true;
        }
    }
    sqlite3_finalize(st);
    return found ? RMCT_OK : not_visible(text, err);
}

#define ANSWER_COLS                                                                                                            \
    "a.id, a.year, a.version, a.brn, a.metal, a.type_code, ifnull(a.element, ''), coalesce(e.name, t.name), a.withdrawn,"     \
    " a.stage, a.consumed_t, a.produced_t, a.import_pct, a.domestic_pct, a.recycled_pct, a.inventory_days, a.origins,"         \
    " a.substitutes, a.difficulties, a.difficulty_text, a.reason, a.actor, a.recorded_at, a.source_id, a.src_line"

void survey_read_answer(sqlite3_stmt *st, rmct_survey_answer *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->year = sqlite3_column_int(st, 1);
    a->version = sqlite3_column_int(st, 2);
    rmct_db_column_text(st, 3, a->brn, sizeof a->brn);
    rmct_db_column_text(st, 4, a->metal, sizeof a->metal);
    rmct_db_column_text(st, 5, a->type_code, sizeof a->type_code);
    rmct_db_column_text(st, 6, a->element, sizeof a->element);
    rmct_db_column_text(st, 7, a->metal_name, sizeof a->metal_name);
    a->withdrawn = sqlite3_column_int(st, 8);
    rmct_db_column_text(st, 9, a->stage, sizeof a->stage);
    a->consumed_t = sqlite3_column_double(st, 10);
    a->produced_t = sqlite3_column_double(st, 11);
    a->import_pct = sqlite3_column_double(st, 12);
    a->domestic_pct = sqlite3_column_double(st, 13);
    a->recycled_pct = sqlite3_column_double(st, 14);
    a->inventory_days = sqlite3_column_double(st, 15);
    rmct_db_column_text(st, 16, a->origins, sizeof a->origins);
    rmct_db_column_text(st, 17, a->substitutes, sizeof a->substitutes);
    rmct_db_column_text(st, 18, a->difficulties, sizeof a->difficulties);
    rmct_db_column_text(st, 19, a->difficulty_text, sizeof a->difficulty_text);
    rmct_db_column_text(st, 20, a->reason, sizeof a->reason);
    rmct_db_column_text(st, 21, a->actor, sizeof a->actor);
    rmct_db_column_text(st, 22, a->recorded_at, sizeof a->recorded_at);
    a->source_id = sqlite3_column_int64(st, 23);
    a->src_line = sqlite3_column_int(st, 24);
}

/* Current answers of a campaign (all companies, or one): for the statistics and exposure. */
rmct_code survey_answers_load(rmct_db *db, int year, const char *brn, rmct_survey_answer **out, int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT " ANSWER_COLS " FROM survey_answer_current a JOIN metal_type t ON t.code = a.type_code"
                                            " LEFT JOIN element e ON e.symbol = a.element"
                                            " WHERE a.year = ?1 AND (?2 IS NULL OR a.brn = ?2) ORDER BY a.brn, t.no, a.metal", err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, year);
    if (brn) sqlite3_bind_text(st, 2, brn, -1, SQLITE_TRANSIENT);
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            rmct_survey_answer *v = realloc(*out, (size_t)cap * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
            }
            *out = v;
        }
        survey_read_answer(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    return RMCT_OK;
}

/* Current profiles of a campaign, every company (internal: the statistics see all and publish by the rule). */
rmct_code survey_profiles_all(rmct_db *db, int year, rmct_survey_profile **out, int *n, rmct_error *err)
{
    rmct_survey_view analyst = {RMCT_VIEW_ANALYST, ""};
    return rmct_survey_profiles(db, &analyst, year, out, n, err);
}

rmct_code rmct_survey_company(rmct_db *db, const rmct_survey_view *view, const char *brn, int year, rmct_survey_profile *profile,
                              rmct_survey_answer **answers, int *n, rmct_error *err)
{
    *answers = NULL;
    *n = 0;
    if (!survey_view_sees(view, brn)) return not_visible(brn, err);
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT " PROFILE_COLS " FROM survey_profile_current p JOIN survey_company c ON c.brn = p.brn"
                                            " WHERE p.brn = ?1 AND (?2 = 0 OR p.year = ?2) ORDER BY p.year DESC LIMIT 1", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, brn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, year);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) read_profile(st, profile);
    sqlite3_finalize(st);
    if (!found) {
        char b[13];
        if (year) return rmct_error_set(err, RMCT_E_NOTFOUND, "company %s did not answer the %d campaign", rmct_brn_format(brn, b), year);
        return not_visible(brn, err);
    }
    return survey_answers_load(db, profile->year, brn, answers, n, err);
}

/* ---------------- history ---------------- */

static void add_change(char *buf, size_t size, const char *field, const char *a, const char *b)
{
    if (!strcmp(a, b)) return;
    char item[700];
    int w = snprintf(item, sizeof item, "%s%s %s -> %s", buf[0] ? "; " : "", field, a[0] ? a : "(empty)", b[0] ? b : "(empty)");
    if (w < 0) return;
    strncat(buf, item, size - strlen(buf) - 1);   /* a very long change is cut short: the text is for people */
}

static void num_text(char *buf, size_t size, double v)
{
    if (isnan(v)) buf[0] = '\0';
    else snprintf(buf, size, "%.10g", v);
}

static rmct_code grow_versions(rmct_survey_version **out, int n, int *cap, rmct_error *err)
{
    if (n < *cap) return RMCT_OK;
    *cap = *cap ? 2 * *cap : 16;
    rmct_survey_version *v = realloc(*out, (size_t)*cap * sizeof *v);
    if (!v) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
    *out = v;
    return RMCT_OK;
}

static void source_text(rmct_db *db, int64_t source_id, long line, char *buf, size_t size)
{
    if (!source_id) {
        snprintf(buf, size, "correction");
        return;
    }
    rmct_source s;
    rmct_error e;
    if (rmct_source_get(db, source_id, &s, &e)) snprintf(buf, size, "source %lld line %ld", (long long)source_id, line);
    else snprintf(buf, size, "%s line %ld", s.file_name, line);
}

static bool version_after(const rmct_survey_version *a, const rmct_survey_version *b)
{
    if (a->year != b->year) return a->year > b->year;
    bool ia = a->source_id != 0, ib = b->source_id != 0;
    if (ia != ib) return !ia;   /* corrections after imports */
    if (ia) {
        if (a->source_id != b->source_id) return a->source_id > b->source_id;
        if (a->src_line != b->src_line) return a->src_line > b->src_line;
        return strcmp(a->kind, "profile") && !strcmp(b->kind, "profile");
    }
    return strcmp(a->recorded_at, b->recorded_at) > 0;
}

rmct_code rmct_survey_history(rmct_db *db, const rmct_survey_view *view, const char *brn, int year, rmct_survey_version **out,
                              int *n, rmct_error *err)
{
    *out = NULL;
    *n = 0;
    if (!survey_view_sees(view, brn)) return not_visible(brn, err);
    int cap = 0;
    /* profiles */
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT " PROFILE_COLS " FROM survey_profile p JOIN survey_company c ON c.brn = p.brn"
                                            " WHERE p.brn = ?1 AND (?2 = 0 OR p.year = ?2) ORDER BY p.year, p.version", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, brn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, year);
    rmct_survey_profile prev, cur;
    bool have_prev = false;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        read_profile(st, &cur);
        if ((rc = grow_versions(out, *n, &cap, err))) break;
        rmct_survey_version *v = &(*out)[(*n)++];
        memset(v, 0, sizeof *v);
        v->year = cur.year;
        v->version = cur.version;
        rmct_strlcpy(v->kind, "profile", sizeof v->kind);
        rmct_strlcpy(v->reason, cur.reason, sizeof v->reason);
        rmct_strlcpy(v->actor, cur.actor, sizeof v->actor);
        rmct_strlcpy(v->recorded_at, cur.recorded_at, sizeof v->recorded_at);
        source_text(db, cur.source_id, cur.src_line, v->source, sizeof v->source);
        v->source_id = cur.source_id;
        v->src_line = cur.src_line;
        if (!have_prev || prev.year != cur.year) {
            snprintf(v->changes, sizeof v->changes, "first version");
        } else {
            char a[64], b[64];
            add_change(v->changes, sizeof v->changes, "name_ko", prev.name_ko, cur.name_ko);
            add_change(v->changes, sizeof v->changes, "name_en", prev.name_en, cur.name_en);
            add_change(v->changes, sizeof v->changes, "size", prev.size, cur.size);
            add_change(v->changes, sizeof v->changes, "ksic", prev.ksic, cur.ksic);
            num_text(a, sizeof a, prev.sales_krw_bn), num_text(b, sizeof b, cur.sales_krw_bn);
            add_change(v->changes, sizeof v->changes, "avg_sales_krw_bn", a, b);
            num_text(a, sizeof a, prev.assets_krw_bn), num_text(b, sizeof b, cur.assets_krw_bn);
            add_change(v->changes, sizeof v->changes, "total_assets_krw_bn", a, b);
            add_change(v->changes, sizeof v->changes, "restricted_group", prev.restricted_group ? "1" : "0", cur.restricted_group ? "1" : "0");
            add_change(v->changes, sizeof v->changes, "region", prev.region, cur.region);
            add_change(v->changes, sizeof v->changes, "stages", prev.stages, cur.stages);
            add_change(v->changes, sizeof v->changes, "sectors", prev.sectors, cur.sectors);
            if (!v->changes[0]) snprintf(v->changes, sizeof v->changes, "no change");
        }
        prev = cur;
        have_prev = true;
    }
    sqlite3_finalize(st);
    if (rc) return rc;
    /* answers */
    if ((rc = rmct_db_prepare(db, &st, "SELECT " ANSWER_COLS " FROM survey_answer a JOIN metal_type t ON t.code = a.type_code"
                                       " LEFT JOIN element e ON e.symbol = a.element"
                                       " WHERE a.brn = ?1 AND (?2 = 0 OR a.year = ?2) ORDER BY a.year, t.no, a.metal, a.version", err)))
        return rc;
    sqlite3_bind_text(st, 1, brn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, year);
    rmct_survey_answer pa, ca;
    bool have = false;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        survey_read_answer(st, &ca);
        if ((rc = grow_versions(out, *n, &cap, err))) break;
        rmct_survey_version *v = &(*out)[(*n)++];
        memset(v, 0, sizeof *v);
        v->year = ca.year;
        v->version = ca.version;
        v->withdrawn = ca.withdrawn;
        rmct_strlcpy(v->kind, "answer", sizeof v->kind);
        rmct_strlcpy(v->metal, ca.metal, sizeof v->metal);
        rmct_strlcpy(v->reason, ca.reason, sizeof v->reason);
        rmct_strlcpy(v->actor, ca.actor, sizeof v->actor);
        rmct_strlcpy(v->recorded_at, ca.recorded_at, sizeof v->recorded_at);
        source_text(db, ca.source_id, ca.src_line, v->source, sizeof v->source);
        v->source_id = ca.source_id;
        v->src_line = ca.src_line;
        if (!have || pa.year != ca.year || strcmp(pa.metal, ca.metal)) {
            snprintf(v->changes, sizeof v->changes, "first version");
        } else if (ca.withdrawn && !pa.withdrawn) {
            snprintf(v->changes, sizeof v->changes, "withdrawn");
        } else {
            char a[64], b[64];
            if (pa.withdrawn && !ca.withdrawn) snprintf(v->changes, sizeof v->changes, "answered again");
            add_change(v->changes, sizeof v->changes, "stage", pa.stage, ca.stage);
            const char *names[] = {"consumed_t", "produced_t", "import_pct", "domestic_pct", "recycled_pct", "inventory_days"};
            double pv[] = {pa.consumed_t, pa.produced_t, pa.import_pct, pa.domestic_pct, pa.recycled_pct, pa.inventory_days};
            double cv[] = {ca.consumed_t, ca.produced_t, ca.import_pct, ca.domestic_pct, ca.recycled_pct, ca.inventory_days};
            for (int k = 0; k < 6; k++) {
                num_text(a, sizeof a, pv[k]), num_text(b, sizeof b, cv[k]);
                add_change(v->changes, sizeof v->changes, names[k], a, b);
            }
            add_change(v->changes, sizeof v->changes, "origins", pa.origins, ca.origins);
            add_change(v->changes, sizeof v->changes, "substitutes", pa.substitutes, ca.substitutes);
            add_change(v->changes, sizeof v->changes, "difficulties", pa.difficulties, ca.difficulties);
            add_change(v->changes, sizeof v->changes, "difficulty_text", pa.difficulty_text, ca.difficulty_text);
            if (!v->changes[0]) snprintf(v->changes, sizeof v->changes, "no change");
        }
        pa = ca;
        have = true;
    }
    sqlite3_finalize(st);
    if (rc) return rc;
    /* by campaign; imported rows in the file's order (the profile before the answers of its line);
       corrections after, in the order recorded */
    for (int i = 1; i < *n; i++)
        for (int j = i; j > 0 && version_after(&(*out)[j - 1], &(*out)[j]); j--) {
            rmct_survey_version t = (*out)[j - 1];
            (*out)[j - 1] = (*out)[j];
            (*out)[j] = t;
        }
    return RMCT_OK;
}

/* ---------------- corrections ---------------- */

static rmct_code may_change(const rmct_survey_view *view, const char *brn, const rmct_survey_change *ch, rmct_error *err)
{
    if (!ch || !ch->actor || !*ch->actor) return rmct_error_set(err, RMCT_E_ARG, "a correction needs an actor (who makes it)");
    if (!ch->reason || blank(ch->reason)) {
        rmct_error_set(err, RMCT_E_ARG, "expected the reason for the correction, got none");
        rmct_strlcpy(err->field, "reason", sizeof err->field);
        return RMCT_E_ARG;
    }
    if (view->kind == RMCT_VIEW_PUBLIC) {
        rmct_error_set(err, RMCT_E_ARG, "expected the analyst view or the company's own view to change answers, got public");
        rmct_strlcpy(err->field, "view", sizeof err->field);
        return RMCT_E_ARG;
    }
    if (!survey_view_sees(view, brn)) return not_visible(brn, err);
    return RMCT_OK;
}

/* The profile's columns as CSV text, to rerun the row checks on an edited profile. */
static void profile_fields(const rmct_survey_profile *p, char buf[][240], const char **f)
{
    for (int k = 0; k < S__N; k++) f[k] = "";
    snprintf(buf[S_NAME_KO], 240, "%s", p->name_ko);
    snprintf(buf[S_NAME_EN], 240, "%s", p->name_en);
    snprintf(buf[S_SIZE], 240, "%s", p->size);
    snprintf(buf[S_KSIC], 240, "%s", p->ksic);
    num_text(buf[S_SALES], 240, p->sales_krw_bn);
    num_text(buf[S_ASSETS], 240, p->assets_krw_bn);
    snprintf(buf[S_RESTRICTED], 240, "%d", p->restricted_group);
    snprintf(buf[S_REGION], 240, "%s", p->region);
    snprintf(buf[S_STAGES], 240, "%s", p->stages);
    snprintf(buf[S_SECTORS], 240, "%s", p->sectors);
    for (size_t k = 0; k < sizeof company_cols / sizeof *company_cols; k++) f[company_cols[k]] = buf[company_cols[k]];
}

static rmct_code current_profile(rmct_db *db, int year, const char *brn, rmct_survey_profile *p, rmct_error *err)
{
    sqlite3_stmt *st;
    rmct_code rc = rmct_db_prepare(db, &st, "SELECT " PROFILE_COLS " FROM survey_profile_current p JOIN survey_company c ON c.brn = p.brn"
                                            " WHERE p.brn = ?1 AND p.year = ?2", err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, brn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, year);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) read_profile(st, p);
    sqlite3_finalize(st);
    if (!found) {
        char b[13];
        return rmct_error_set(err, RMCT_E_NOTFOUND, "company %s has no profile in the %d campaign", rmct_brn_format(brn, b), year);
    }
    return RMCT_OK;
}

rmct_code rmct_survey_correct_profile(rmct_db *db, const rmct_survey_codes *codes, const rmct_survey_view *view,
                                      const rmct_survey_change *ch, int year, const char *brn,
                                      const rmct_survey_profile_edit *e, int *version, rmct_error *err)
{
    rmct_code rc = may_change(view, brn, ch, err);
    if (rc) return rc;
    if ((rc = rmct_db_begin(db, err))) return rc;
    rmct_survey_profile p;
    if ((rc = current_profile(db, year, brn, &p, err))) goto out;
    char buf[S__N][240];
    const char *f[S__N];
    profile_fields(&p, buf, f);
    const char *given[][2] = {{e->name_ko, NULL}, {e->name_en, NULL}, {e->size, NULL}, {e->ksic, NULL},
                              {e->avg_sales_krw_bn, NULL}, {e->total_assets_krw_bn, NULL}, {e->restricted_group, NULL},
                              {e->region, NULL}, {e->stages, NULL}, {e->sectors, NULL}};
    bool any = false;
    for (size_t k = 0; k < sizeof company_cols / sizeof *company_cols; k++)
        if (given[k][0]) {
            f[company_cols[k]] = given[k][0];
            any = true;
        }
    if (!any) {
        rc = rmct_error_set(err, RMCT_E_ARG, "expected at least one field of the profile to change, got none");
        goto out;
    }
    survey_row r;
    memset(&r, 0, sizeof r);
    rmct_strlcpy(r.brn, brn, sizeof r.brn);
    if ((rc = survey_check_profile(codes, NULL, year, f, &r, err))) goto out;
    /* every answer's stage stays one of the company's stages */
    rmct_survey_answer *a;
    int na;
    if ((rc = survey_answers_load(db, year, brn, &a, &na, err))) goto out;
    for (int i = 0; i < na && !rc; i++) {
        int k = rmct_survey_code_find(codes->stages, codes->n_stages, a[i].stage);
        if (k >= 0 && !(r.stage_mask & (1u << k)))
            rc = ferr(NULL, S_STAGES, err, "expected the stages of the company's answers to stay (%s for %s), got \"%s\"", a[i].stage,
                      a[i].metal, r.stages);
    }
    free(a);
    if (rc) goto out;
    *version = p.version + 1;
    if ((rc = survey_insert_profile(db, year, &r, *version, ch->reason, ch->actor, 0, 0, err))) goto out;
    rc = rmct_db_commit(db, err);
out:
    if (rc) rmct_db_rollback(db);
    return rc;
}

rmct_code rmct_survey_correct_answer(rmct_db *db, const rmct_survey_codes *codes, const rmct_survey_view *view,
                                     const rmct_survey_change *ch, int year, const char *brn,
                                     const rmct_survey_answer_edit *e, int *version, rmct_error *err)
{
    rmct_code rc = may_change(view, brn, ch, err);
    if (rc) return rc;
    if (!e->metal || blank(e->metal)) {
        rmct_error_set(err, RMCT_E_ARG, "expected the metal of the answer to correct, got none");
        rmct_strlcpy(err->field, "metal", sizeof err->field);
        return RMCT_E_ARG;
    }
    rmct_registry *reg = NULL;
    if ((rc = rmct_registry_open(db, &reg, err))) return rc;
    if ((rc = rmct_db_begin(db, err))) {
        rmct_registry_close(reg);
        return rc;
    }
    rmct_survey_profile p;
    if ((rc = current_profile(db, year, brn, &p, err))) goto out;
    char pbuf[S__N][240];
    const char *f[S__N];
    profile_fields(&p, pbuf, f);
    survey_row r;
    memset(&r, 0, sizeof r);
    rmct_strlcpy(r.brn, brn, sizeof r.brn);
    if ((rc = survey_check_profile(codes, NULL, year, f, &r, err))) goto out;
    /* the latest version of this answer, if any */
    rmct_metal m;
    rmct_error me;
    rmct_error_clear(&me);
    if (rmct_registry_metal(reg, e->metal, &m, &me) || !m.type_code[0]) {
        char q[128];
        rc = ferr(NULL, S_METAL, err, "expected one of Korea's 35 rare-metal types or one of their elements, got \"%s\"", qt(e->metal, q, sizeof q));
        goto out;
    }
    const char *key = m.element[0] ? m.element : m.type_code;
    sqlite3_stmt *st;
    if ((rc = rmct_db_prepare(db, &st, "SELECT " ANSWER_COLS " FROM survey_answer a JOIN metal_type t ON t.code = a.type_code"
                                       " LEFT JOIN element e ON e.symbol = a.element"
                                       " WHERE a.year = ?1 AND a.brn = ?2 AND a.metal = ?3 ORDER BY a.version DESC LIMIT 1", err)))
        goto out;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_text(st, 2, brn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_TRANSIENT);
    rmct_survey_answer cur;
    bool have = sqlite3_step(st) == SQLITE_ROW;
    if (have) survey_read_answer(st, &cur);
    sqlite3_finalize(st);
    char abuf[S__N][640];
    if (have) {
        snprintf(abuf[S_STAGE], 640, "%s", cur.stage);
        num_text(abuf[S_CONSUMED], 640, cur.consumed_t);
        num_text(abuf[S_PRODUCED], 640, cur.produced_t);
        num_text(abuf[S_IMPORT], 640, cur.import_pct);
        num_text(abuf[S_DOMESTIC], 640, cur.domestic_pct);
        num_text(abuf[S_RECYCLED], 640, cur.recycled_pct);
        snprintf(abuf[S_ORIGINS], 640, "%s", cur.origins);
        num_text(abuf[S_DAYS], 640, cur.inventory_days);
        snprintf(abuf[S_SUBSTITUTES], 640, "%s", cur.substitutes);
        snprintf(abuf[S_DIFFICULTIES], 640, "%s", cur.difficulties);
        snprintf(abuf[S_DIFFICULTY_TEXT], 640, "%s", cur.difficulty_text);
        static const int cols[] = {S_STAGE, S_CONSUMED, S_PRODUCED, S_IMPORT, S_DOMESTIC, S_RECYCLED, S_ORIGINS, S_DAYS,
                                   S_SUBSTITUTES, S_DIFFICULTIES, S_DIFFICULTY_TEXT};
        for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) f[cols[k]] = abuf[cols[k]];
    } else if (e->withdraw) {
        char b[13];
        rc = rmct_error_set(err, RMCT_E_NOTFOUND, "company %s has no answer for %s in the %d campaign to withdraw", rmct_brn_format(brn, b), key, year);
        goto out;
    } else {
        const char *need[][2] = {{e->stage, "stage"}, {e->consumed_t, "consumed_t"}, {e->produced_t, "produced_t"},
                                 {e->inventory_days, "inventory_days"}};
        for (size_t k = 0; k < 4; k++)
            if (!need[k][0]) {
                char b[13];
                rc = rmct_error_set(err, RMCT_E_ARG, "expected %s for a new answer (company %s has none for %s in %d), got nothing", need[k][1],
                                    rmct_brn_format(brn, b), key, year);
                rmct_strlcpy(err->field, need[k][1], sizeof err->field);
                goto out;
            }
    }
    f[S_METAL] = key;
    const char *edits[][2] = {{e->stage, NULL}, {e->consumed_t, NULL}, {e->produced_t, NULL}, {e->import_pct, NULL},
                              {e->domestic_pct, NULL}, {e->recycled_pct, NULL}, {e->origins, NULL}, {e->inventory_days, NULL},
                              {e->substitutes, NULL}, {e->difficulties, NULL}, {e->difficulty_text, NULL}};
    static const int ecols[] = {S_STAGE, S_CONSUMED, S_PRODUCED, S_IMPORT, S_DOMESTIC, S_RECYCLED, S_ORIGINS, S_DAYS,
                                S_SUBSTITUTES, S_DIFFICULTIES, S_DIFFICULTY_TEXT};
    bool any = e->withdraw;
    for (size_t k = 0; k < sizeof ecols / sizeof *ecols; k++)
        if (edits[k][0]) {
            f[ecols[k]] = edits[k][0];
            any = true;
        }
    if (!any) {
        rc = rmct_error_set(err, RMCT_E_ARG, "expected at least one field of the answer to change (or --withdraw), got none");
        goto out;
    }
    if (e->withdraw && (e->stage || e->consumed_t || e->produced_t || e->import_pct || e->domestic_pct ||
                                              e->recycled_pct || e->origins || e->inventory_days)) {
        rc = rmct_error_set(err, RMCT_E_ARG, "a withdrawal takes no new values");
        goto out;
    }
    if (e->withdraw && have && cur.withdrawn) {
        char b[13];
        rc = rmct_error_set(err, RMCT_E_CONFLICT, "the answer of company %s for %s in %d is already withdrawn", rmct_brn_format(brn, b), key, year);
        goto out;
    }
    if ((rc = survey_check_answer(codes, NULL, reg, f, &r, err))) goto out;
    *version = have ? cur.version + 1 : 1;
    if ((rc = survey_insert_answer(db, year, &r, *version, e->withdraw, ch->reason, ch->actor, 0, 0, err))) goto out;
    rc = rmct_db_commit(db, err);
out:
    if (rc) rmct_db_rollback(db);
    rmct_registry_close(reg);
    return rc;
}
