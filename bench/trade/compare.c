/*
 * compare: checks two trade-summary CSVs against each other (bench/README.md).
 *
 *   compare [-n MAX_SHOWN] EXPECTED ACTUAL
 *
 * Both files must have the header
 *   t,j,k,total_value,n_partners,top1_partner,top1_share,hhi
 * and rows sorted strictly by (t, j, k): t and j as integers (written plainly: 4, not 004), k as
 * text (byte order). The files
 * must hold the same (t, j, k) rows in the same order; for each row total_value must be the same
 * string, n_partners and top1_partner the same integers, and top1_share and hhi within 1e-12 of
 * each other (absolute). The first MAX_SHOWN (default 10) problems are printed; the last line says
 * how many rows and problems there were.
 *
 * Exit status: 0 the files agree, 1 they do not, 2 usage or read error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFIELD 8
#define TOLERANCE 1e-12

static const char *const header = "t,j,k,total_value,n_partners,top1_partner,top1_share,hhi";

typedef struct {
    const char *name;
    FILE *f;
    char *line;     /* current raw line (CR/LF stripped) */
    size_t cap;
    char *copy;     /* the line split into fields */
    size_t copycap;
    long lineno;
    int have;       /* a row is loaded */
    char *field[NFIELD];
    long t, j;      /* parsed key */
    long prev_t, prev_j;
    char *prev_k;
    size_t prev_kcap;
    int have_prev;
} input_t;

static long problems, shown, max_shown = 10;
static long rows_compared, text_diff_floats;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static void problem(const char *fmt, ...);

static void problem(const char *fmt, ...)
{
    problems++;
    if (shown >= max_shown)
        return;
    shown++;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* Strict integer as printf("%ld") writes it: optional '-', digits, no leading zero, nothing else. */
static int parse_long(const char *s, long *out)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] != '\0'))
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno)
        return 0;
    *out = v;
    return 1;
}

static int parse_double(const char *s, double *out)
{
    if (!*s)
        return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

/* Splits a CSV line into fields, undoing RFC 4180 quoting; returns the number of fields. */
static int split(char *line, char **field)
{
    int n = 0;
    char *r = line, *w = line;
    for (;;) {
        char *start = w;
        if (*r == '"') {
            r++;
            for (;;) {
                if (*r == '\0')
                    break;
                if (*r == '"') {
                    if (r[1] == '"') {
                        *w++ = '"';
                        r += 2;
                        continue;
                    }
                    r++;
                    break;
                }
                *w++ = *r++;
            }
            while (*r && *r != ',')
                *w++ = *r++; /* junk after a closing quote: keep it so the field fails checks */
        } else {
            while (*r && *r != ',')
                *w++ = *r++;
        }
        int more = *r == ',';
        if (more)
            r++;
        *w++ = '\0';
        if (n < NFIELD)
            field[n] = start;
        n++;
        if (!more)
            break;
    }
    return n;
}

static int read_line(input_t *in)
{
    ssize_t len = getline(&in->line, &in->cap, in->f);
    if (len < 0) {
        if (ferror(in->f)) {
            fprintf(stderr, "compare: %s: %s\n", in->name, strerror(errno));
            exit(2);
        }
        return 0;
    }
    in->lineno++;
    while (len > 0 && (in->line[len - 1] == '\n' || in->line[len - 1] == '\r'))
        in->line[--len] = '\0';
    return 1;
}

static int keycmp(long t1, long j1, const char *k1, long t2, long j2, const char *k2)
{
    if (t1 != t2)
        return t1 < t2 ? -1 : 1;
    if (j1 != j2)
        return j1 < j2 ? -1 : 1;
    int c = strcmp(k1, k2);
    return (c > 0) - (c < 0);
}

/* Loads the next well-formed row into in->field; reports malformed and out-of-order rows. */
static void next_row(input_t *in)
{
    in->have = 0;
    while (read_line(in)) {
        size_t len = strlen(in->line) + 1;
        if (len > in->copycap) {
            in->copy = realloc(in->copy, len);
            in->copycap = len;
            if (!in->copy) {
                fprintf(stderr, "compare: out of memory\n");
                exit(2);
            }
        }
        memcpy(in->copy, in->line, len);
        int n = split(in->copy, in->field);
        if (n != NFIELD) {
            problem("%s:%ld: %d fields, want %d: %s", in->name, in->lineno, n, NFIELD, in->line);
            continue;
        }
        if (!parse_long(in->field[0], &in->t) || !parse_long(in->field[1], &in->j)) {
            problem("%s:%ld: t and j must be plain integers: %s", in->name, in->lineno, in->line);
            continue;
        }
        if (in->have_prev &&
            keycmp(in->prev_t, in->prev_j, in->prev_k, in->t, in->j, in->field[2]) >= 0)
            problem("%s:%ld: not sorted by (t, j, k) after (%ld, %ld, %s): %s", in->name, in->lineno,
                    in->prev_t, in->prev_j, in->prev_k, in->line);
        size_t klen = strlen(in->field[2]) + 1;
        if (klen > in->prev_kcap) {
            in->prev_k = realloc(in->prev_k, klen);
            in->prev_kcap = klen;
            if (!in->prev_k) {
                fprintf(stderr, "compare: out of memory\n");
                exit(2);
            }
        }
        memcpy(in->prev_k, in->field[2], klen);
        in->prev_t = in->t;
        in->prev_j = in->j;
        in->have_prev = 1;
        in->have = 1;
        return;
    }
}

static void open_input(input_t *in, const char *name)
{
    memset(in, 0, sizeof *in);
    in->name = name;
    in->f = fopen(name, "r");
    if (!in->f) {
        fprintf(stderr, "compare: %s: %s\n", name, strerror(errno));
        exit(2);
    }
    if (!read_line(in)) {
        fprintf(stderr, "compare: %s: empty file (no header)\n", name);
        exit(2);
    }
    if (strcmp(in->line, header) != 0)
        problem("%s:1: header is \"%s\", want \"%s\"", name, in->line, header);
}

static void compare_rows(input_t *e, input_t *a)
{
    char **fe = e->field, **fa = a->field;
    const char *where_e = e->name, *where_a = a->name;
    long le = e->lineno, la = a->lineno;
    rows_compared++;
    if (strcmp(fe[3], fa[3]) != 0)
        problem("(%s, %s, %s) total_value: %s:%ld has %s, %s:%ld has %s", fe[0], fe[1], fe[2],
                where_e, le, fe[3], where_a, la, fa[3]);
    static const char *const int_name[2] = {"n_partners", "top1_partner"};
    for (int f = 4; f <= 5; f++) {
        long ve, va;
        int oke = parse_long(fe[f], &ve), oka = parse_long(fa[f], &va);
        if (!oke || !oka || ve != va)
            problem("(%s, %s, %s) %s: %s:%ld has %s, %s:%ld has %s", fe[0], fe[1], fe[2],
                    int_name[f - 4], where_e, le, fe[f], where_a, la, fa[f]);
    }
    static const char *const real_name[2] = {"top1_share", "hhi"};
    for (int f = 6; f <= 7; f++) {
        double ve, va;
        int oke = parse_double(fe[f], &ve), oka = parse_double(fa[f], &va);
        if (!oke || !oka || !(fabs(ve - va) <= TOLERANCE))
            problem("(%s, %s, %s) %s: %s:%ld has %s, %s:%ld has %s (difference %.3g)", fe[0], fe[1],
                    fe[2], real_name[f - 6], where_e, le, fe[f], where_a, la, fa[f],
                    oke && oka ? fabs(ve - va) : NAN);
        else if (strcmp(fe[f], fa[f]) != 0)
            text_diff_floats++;
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: compare [-n MAX_SHOWN] EXPECTED ACTUAL\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int argi = 1;
    if (argi < argc && strcmp(argv[argi], "-n") == 0) {
        if (argi + 1 >= argc || !parse_long(argv[argi + 1], &max_shown) || max_shown < 0)
            usage();
        argi += 2;
    }
    if (argc - argi != 2)
        usage();
    input_t e, a;
    open_input(&e, argv[argi]);
    open_input(&a, argv[argi + 1]);
    next_row(&e);
    next_row(&a);
    while (e.have || a.have) {
        int c = !e.have ? 1 : !a.have ? -1
                                       : keycmp(e.t, e.j, e.field[2], a.t, a.j, a.field[2]);
        if (c == 0) {
            compare_rows(&e, &a);
            next_row(&e);
            next_row(&a);
        } else if (c < 0) {
            problem("(%s, %s, %s) missing: in %s:%ld, not in %s", e.field[0], e.field[1], e.field[2],
                    e.name, e.lineno, a.name);
            next_row(&e);
        } else {
            problem("(%s, %s, %s) extra: in %s:%ld, not in %s", a.field[0], a.field[1], a.field[2],
                    a.name, a.lineno, e.name);
            next_row(&a);
        }
    }
    if (problems > shown)
        printf("... %ld more\n", problems - shown);
    printf("compare: %ld rows matched by key, %ld problems", rows_compared, problems);
    if (text_diff_floats)
        printf(" (%ld share/hhi values differ in text but within %g)", text_diff_floats, TOLERANCE);
    printf("\n");
    free(e.line);
    free(e.copy);
    free(e.prev_k);
    free(a.line);
    free(a.copy);
    free(a.prev_k);
    fclose(e.f);
    fclose(a.f);
    return problems ? 1 : 0;
}
