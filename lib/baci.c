/* baci.c: BACI trade files: parallel parsing and the per-importer product summary (see baci.h).
 *
 * Hand-written because it is the hot path of the trade benchmark: a general CSV reader (lib/csv.c)
 * spends most of its time on quoting and position bookkeeping this fixed numeric layout does not
 * need. Each thread parses a slice of the memory-mapped file into (key, value) records, keeping only
 * the rows the filter asks for; the records are radix-sorted by (year, importer, product, exporter)
 * and one pass computes each group. Values are exact integers (thousandths). */
#include "baci.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

typedef struct {
    uint64_t key;  /* year-1900 << 40 | importer << 30 | product << 10 | exporter */
    int64_t v;     /* thousandths */
} rec;

#define KEY(y, j, k, i) (((uint64_t)((y) - 1900) << 40) | ((uint64_t)(j) << 30) | ((uint64_t)(k) << 10) | (uint64_t)(i))
#define KEY_YEAR(key) ((int)((key) >> 40) + 1900)
#define KEY_IMPORTER(key) ((int)(((key) >> 30) & 0x3FF))
#define KEY_PRODUCT(key) ((int)(((key) >> 10) & 0xFFFFF))
#define KEY_EXPORTER(key) ((int)((key) & 0x3FF))
#define KEY_GROUP(key) ((key) >> 10)

typedef struct {
    rec *v;
    size_t n, cap;
} rec_vec;

static int vec_push(rec_vec *vec, uint64_t key, int64_t v)
{
    if (vec->n == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : 1 << 16;
        rec *p = realloc(vec->v, cap * sizeof *p);
        if (!p) return -1;
        vec->v = p;
        vec->cap = cap;
    }
    vec->v[vec->n].key = key;
    vec->v[vec->n].v = v;
    vec->n++;
    return 0;
}

/* A parse failure: where (offset of the field in the file) and what. */
typedef struct {
    size_t offset;     /* SIZE_MAX: none */
    int field;         /* 0-5: t,i,j,k,v,q; -1: the record */
    char msg[200];
} parse_error;

typedef struct {
    const char *base;   /* the whole mapped file */
    size_t begin, end;  /* this slice: starts at a line start, ends after a newline (or at EOF) */
    const rmct_baci_filter *filter;
    int prefix_val[32], prefix_div[32], nprefix;
    rec *region;        /* preallocated part of the shared array for this slice */
    size_t region_cap, region_n;
    rec_vec out;        /* overflow, when the estimate was short */
    parse_error err;
    int nomem;
} slice;

static const char *const field_names[6] = {"t", "i", "j", "k", "v", "q"};

static void fail(slice *s, const char *at, int field, const char *what, const char *got, size_t got_len)
{
    if (s->err.offset != SIZE_MAX) return;
    s->err.offset = (size_t)(at - s->base);
    s->err.field = field;
    char q[64];
    char tmp[48];
    size_t n = got_len < sizeof tmp - 1 ? got_len : sizeof tmp - 1;
    memcpy(tmp, got, n);
    tmp[n] = '\0';
    if (field < 0) /* got: what follows, e.g. " (the file ends in the middle of a record)" */
        snprintf(s->err.msg, sizeof s->err.msg, "expected %s, got a line that ends early%.*s", what, (int)got_len, got);
    else
        snprintf(s->err.msg, sizeof s->err.msg, "expected %s, got \"%s\"", what, rmct_error_quote(tmp, q, sizeof q));
}

/* The note and its length for a line that ends early: at the end of the file, say so. */
#define EOF_NOTE(p, end) ((p) >= (end) ? " (the file ends in the middle of a record)" : ""), \
                         ((p) >= (end) ? sizeof " (the file ends in the middle of a record)" - 1 : 0)

/* Length of the field starting at p (up to ',', '\r', '\n' or end). */
static size_t field_len(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && *q != ',' && *q != '\n' && *q != '\r') q++;
    return (size_t)(q - p);
}

/* Unsigned integer field with at most maxdigits digits; advances *pp past it and the comma. */
static int parse_uint(slice *s, const char **pp, const char *end, int field, int maxdigits, long *out)
{
    const char *p = *pp, *start = p;
    if (p < end && *p == '"') p++; /* some exports quote codes */
    long v = 0;
    int d = 0;
    while (p < end && (unsigned)(*p - '0') < 10) {
        v = v * 10 + (*p - '0');
        p++;
        d++;
    }
    if (p < end && *p == '"' && *start == '"') p++;
    if (d == 0 || d > maxdigits || p >= end || *p != ',') {
        if (d > 0 && d <= maxdigits && (p >= end || *p == '\n' || *p == '\r'))
            fail(s, p, -1, "6 fields t,i,j,k,v,q", EOF_NOTE(p, end));
        else
            fail(s, start, field, field == 3 ? "an HS6 product code of up to 6 digits" :
                                  field == 0 ? "a year" : "a numeric country code of up to 3 digits",
                 start, field_len(start, end));
        return -1;
    }
    *pp = p + 1;
    *out = v;
    return 0;
}

/* v: a non-negative decimal with at most 3 decimals, as thousandths. */
static int parse_value(slice *s, const char **pp, const char *end, int64_t *out)
{
    const char *p = *pp, *start = p;
    int64_t v = 0;
    int d = 0, dec = -1;
    while (p < end) {
        char c = *p;
        if ((unsigned)(c - '0') < 10) {
            if (dec >= 0 && ++dec > 3) break;
            if (v > (INT64_MAX - 9) / 10) break;
            v = v * 10 + (c - '0');
            d++;
        } else if (c == '.' && dec < 0) {
            dec = 0;
        } else {
            break;
        }
        p++;
    }
    if (d > 0 && (p >= end || *p == '\n' || *p == '\r')) {
        fail(s, p, -1, "6 fields t,i,j,k,v,q", EOF_NOTE(p, end));
        return -1;
    }
    if (d == 0 || p >= end || *p != ',') {
        fail(s, start, 4, p < end && *start == '-' ? "a non-negative value" : "a value in thousand USD with at most 3 decimals",
             start, field_len(start, end));
        return -1;
    }
    for (int k = dec < 0 ? 0 : dec; k < 3; k++) v *= 10;
    *pp = p + 1;
    *out = v;
    return 0;
}

/* q: a quantity, empty or NA (not kept); leaves *pp at the line end. */
static int skip_quantity(slice *s, const char **pp, const char *end)
{
    const char *p = *pp, *start = p;
    while (p < end && *p != '\n' && *p != '\r') {
        char c = *p;
        if (!((unsigned)(c - '0') < 10 || c == '.' || c == ' ' || c == 'N' || c == 'A' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
            fail(s, start, 5, "a quantity in tonnes, empty or NA", start, field_len(start, end));
            return -1;
        }
        p++;
    }
    *pp = p;
    return 0;
}

/* Give parsed pages of the mapping back, so resident memory does not grow with the file. */
static void release_pages(const slice *s, const char *upto, const char **released)
{
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)*released + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t to = (uintptr_t)upto & ~((uintptr_t)page - 1);
    (void)s;
    if (to > from) madvise((void *)from, to - from, MADV_DONTNEED);
    *released = (const char *)to;
}

static void *parse_slice(void *arg)
{
    slice *s = arg;
    const char *p = s->base + s->begin, *end = s->base + s->end, *released = p, *next_release = p + (32 << 20);
    const rmct_baci_filter *f = s->filter;
    while (p < end) {
        if (p >= next_release) {
            release_pages(s, p, &released);
            next_release = p + (32 << 20);
        }
        if (*p == '\n' || *p == '\r') { /* blank line */
            p++;
            continue;
        }
        long t, i, j, k;
        int64_t v;
        if (parse_uint(s, &p, end, 0, 4, &t) || parse_uint(s, &p, end, 1, 3, &i) || parse_uint(s, &p, end, 2, 3, &j) ||
            parse_uint(s, &p, end, 3, 6, &k) || parse_value(s, &p, end, &v) || skip_quantity(s, &p, end))
            return NULL;
        if (t < 1900 || t > 2155) {
            fail(s, p, 0, "a year between 1900 and 2155", "", 0);
            return NULL;
        }
        if (p < end && *p == '\r') p++;
        if (p < end) p++; /* the newline */
        if (f->importer >= 0 && j != f->importer) continue;
        if (s->nprefix) {
            int keep = 0;
            for (int x = 0; x < s->nprefix && !keep; x++) keep = k / s->prefix_div[x] == s->prefix_val[x];
            if (!keep) continue;
        }
        if (s->region_n < s->region_cap) {
            s->region[s->region_n].key = KEY(t, j, k, i);
            s->region[s->region_n++].v = v;
        } else if (vec_push(&s->out, KEY(t, j, k, i), v)) {
            s->nomem = 1;
            return NULL;
        }
    }
    return NULL;
}

/* LSD radix sort of records by key, 16 bits at a time over the 48 used bits. */
static int radix_sort(rec *a, size_t n)
{
    if (n < 2) return 0;
    rec *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return -1;
    size_t *count = malloc(65536 * sizeof *count);
    if (!count) {
        free(tmp);
        return -1;
    }
    rec *src = a, *dst = tmp;
    for (int shift = 0; shift < 48; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t x = 0; x < n; x++) count[(src[x].key >> shift) & 0xFFFF]++;
        size_t sum = 0;
        for (size_t b = 0; b < 65536; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t x = 0; x < n; x++) dst[count[(src[x].key >> shift) & 0xFFFF]++] = src[x];
        rec *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a); /* three passes: the result is in tmp */
    free(count);
    free(tmp);
    return 0;
}

/* Line and column of a byte offset (computed only when reporting an error). */
static void position(const char *base, size_t offset, long *line, long *col)
{
    long l = 1;
    const char *p = base, *at = base + offset, *line_start = base;
    while ((p = memchr(p, '\n', (size_t)(at - p)))) {
        l++;
        p++;
        line_start = p;
    }
    *line = l;
    *col = rmct_utf8_chars(line_start, (size_t)(at - line_start)) + 1;
}

/* Map a file and check its header; *body is the offset of the first data line. */
static rmct_code map_file(const char *path, const char **base, size_t *size, size_t *body, rmct_error *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return rmct_error_set(err, RMCT_E_IO, "cannot open %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return rmct_error_set(err, RMCT_E_IO, "cannot read %s: not a regular file", path);
    }
    *size = (size_t)sb.st_size;
    if (*size == 0) {
        close(fd);
        return rmct_error_at(err, path, 1, 1, NULL, "expected a header line t,i,j,k,v,q, got an empty file");
    }
    void *m = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) return rmct_error_set(err, RMCT_E_IO, "cannot map %s: %s", path, strerror(errno));
    madvise(m, *size, MADV_SEQUENTIAL);
    *base = m;
    const char *p = m, *end = p + *size;
    if (*size >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF) p += 3;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = (size_t)((nl ? nl : end) - p);
    char header[64] = "";
    size_t h = 0;
    for (size_t x = 0; x < len && h + 1 < sizeof header; x++)
        if (p[x] != '"' && p[x] != '\r' && p[x] != ' ') header[h++] = (char)(p[x] | 0x20);
    header[h] = '\0';
    if (strcmp(header, "t,i,j,k,v,q") != 0) {
        char got[64], q[96];
        snprintf(got, sizeof got, "%.*s", (int)(len < 60 ? len : 60), p);
        rmct_error_at(err, path, 1, 1, NULL, "expected the BACI header t,i,j,k,v,q, got \"%s\"", rmct_error_quote(got, q, sizeof q));
        munmap(m, *size);
        return RMCT_E_INPUT;
    }
    *body = nl ? (size_t)(nl + 1 - (const char *)m) : *size;
    return RMCT_OK;
}

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}

/* Parse one mapped file with `threads` slices, appending to *all. */
/* Rows a span of the file holds, from the mean line length of its first 256 KiB (plus a margin):
 * the record array is allocated once, instead of growing and copying (fresh pages were a third of
 * the run time, measured with perf). */
static size_t estimate_rows(const char *base, size_t body, size_t size)
{
    size_t sample = size - body < (256u << 10) ? size - body : (256u << 10);
    size_t lines = 0;
    for (const char *p = base + body, *e = p + sample; (p = memchr(p, '\n', (size_t)(e - p))); p++) lines++;
    if (lines == 0) return 1024;
    double per_line = (double)sample / (double)lines;
    return (size_t)((double)(size - body) / per_line * 1.1) + 1024;
}

/* Parse one mapped file with `threads` slices, appending to *all. */
static rmct_code parse_file(const char *path, const char *base, size_t size, size_t body, const rmct_baci_filter *f,
                            int threads, rec_vec *all, rmct_error *err)
{
    slice sl[16];
    pthread_t tid[16];
    size_t span = (size - body) / (size_t)threads + 1;
    /* with an importer filter most rows are dropped: reserve little and let slices overflow */
    size_t est = estimate_rows(base, body, size) / (f->importer >= 0 ? 50 : 1) + 1024;
    if (all->cap - all->n < est) {
        rec *p = realloc(all->v, (all->n + est) * sizeof *p);
        if (!p) return rmct_error_set(err, RMCT_E_NOMEM, "out of memory reading %s", path);
        all->v = p;
        all->cap = all->n + est;
    }
    size_t at = body, reserved = 0;
    int nsl = 0;
    for (int t = 0; t < threads && at < size; t++) {
        size_t stop = at + span >= size ? size : at + span;
        if (stop < size) { /* end the slice after a newline */
            const char *nl = memchr(base + stop, '\n', size - stop);
            stop = nl ? (size_t)(nl + 1 - base) : size;
        }
        slice *s = &sl[nsl++];
        memset(s, 0, sizeof *s);
        s->base = base;
        s->begin = at;
        s->end = stop;
        s->filter = f;
        s->err.offset = SIZE_MAX;
        s->region = all->v + all->n + reserved;
        s->region_cap = (size_t)((double)est * (double)(stop - at) / (double)(size - body));
        if (reserved + s->region_cap > est) s->region_cap = est - reserved;
        reserved += s->region_cap;
        for (size_t x = 0; f->hs_prefixes && x < f->n_prefixes && x < 32; x++) {
            const char *pre = f->hs_prefixes[x];
            size_t len = strlen(pre);
            int val = 0, div = 1;
            for (size_t d = 0; d < len; d++) val = val * 10 + (pre[d] - '0');
            for (size_t d = len; d < 6; d++) div *= 10;
            s->prefix_val[s->nprefix] = val;
            s->prefix_div[s->nprefix] = div;
            s->nprefix++;
        }
        at = stop;
    }
    for (int t = 1; t < nsl; t++)
        if (pthread_create(&tid[t], NULL, parse_slice, &sl[t])) {
            for (int u = 1; u < t; u++) pthread_join(tid[u], NULL);
            return rmct_error_set(err, RMCT_E_NOMEM, "cannot start a thread");
        }
    if (nsl > 0) parse_slice(&sl[0]);
    for (int t = 1; t < nsl; t++) pthread_join(tid[t], NULL);
    rmct_code rc = RMCT_OK;
    for (int t = 0; t < nsl && !rc; t++) { /* the first error in file order */
        if (sl[t].nomem) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory reading %s", path);
        else if (sl[t].err.offset != SIZE_MAX) {
            long line, col;
            position(base, sl[t].err.offset, &line, &col);
            rc = rmct_error_at(err, path, line, col, sl[t].err.field >= 0 ? field_names[sl[t].err.field] : NULL, "%s",
                               sl[t].err.msg);
        }
    }
    /* close the gaps between the regions (memmove within the array: no new pages), then overflow */
    for (int t = 0; t < nsl; t++) {
        if (!rc) {
            if (sl[t].region != all->v + all->n) memmove(all->v + all->n, sl[t].region, sl[t].region_n * sizeof(rec));
            all->n += sl[t].region_n;
        }
    }
    for (int t = 0; t < nsl; t++) {
        if (!rc && sl[t].out.n) {
            if (all->n + sl[t].out.n > all->cap) {
                size_t cap = all->n + sl[t].out.n;
                rec *p = realloc(all->v, cap * sizeof *p);
                if (!p) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory reading %s", path);
                else {
                    all->v = p;
                    all->cap = cap;
                }
            }
            if (!rc) {
                memcpy(all->v + all->n, sl[t].out.v, sl[t].out.n * sizeof(rec));
                all->n += sl[t].out.n;
            }
        }
        free(sl[t].out.v);
    }
    return rc;
}

rmct_code rmct_baci_summary(const char *const *paths, size_t n, const rmct_baci_filter *filter,
                            rmct_group_fn fn, void *ctx, rmct_error *err)
{
    for (size_t x = 0; filter->hs_prefixes && x < filter->n_prefixes; x++) {
        const char *pre = filter->hs_prefixes[x];
        size_t len = strlen(pre);
        bool ok = len >= 1 && len <= 6;
        for (size_t d = 0; d < len; d++) ok &= (unsigned)(pre[d] - '0') < 10;
        if (!ok) return rmct_error_set(err, RMCT_E_ARG, "--hs: expected 1 to 6 digits of an HS code, got \"%s\"", pre);
    }
    if (filter->n_prefixes > 32) return rmct_error_set(err, RMCT_E_ARG, "--hs: at most 32 prefixes");
    int threads = filter->threads > 0 ? filter->threads : online_cpus();
    if (threads > 16) threads = 16;
    rec_vec all = {0};
    rmct_code rc = RMCT_OK;
    for (size_t f = 0; f < n && !rc; f++) {
        const char *base = NULL;
        size_t size = 0, body = 0;
        if ((rc = map_file(paths[f], &base, &size, &body, err))) break;
        rc = parse_file(paths[f], base, size, body, filter, threads, &all, err);
        munmap((void *)base, size);
    }
    if (!rc && radix_sort(all.v, all.n)) rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory sorting trade rows");
    /* one pass: exporters of a group are adjacent and in code order */
    int64_t *vals = NULL;
    int *codes = NULL;
    size_t cap = 0;
    for (size_t a = 0; !rc && a < all.n;) {
        uint64_t group = KEY_GROUP(all.v[a].key);
        size_t np = 0;
        int64_t total = 0;
        while (a < all.n && KEY_GROUP(all.v[a].key) == group) {
            int exporter = KEY_EXPORTER(all.v[a].key);
            int64_t v = 0;
            while (a < all.n && KEY_GROUP(all.v[a].key) == group && KEY_EXPORTER(all.v[a].key) == exporter) v += all.v[a++].v;
            if (np == cap) {
                cap = cap ? cap * 2 : 256;
                int64_t *nv = realloc(vals, cap * sizeof *nv);
                int *nc = realloc(codes, cap * sizeof *nc);
                if (nv) vals = nv;
                if (nc) codes = nc;
                if (!nv || !nc) {
                    rc = rmct_error_set(err, RMCT_E_NOMEM, "out of memory");
                    break;
                }
            }
            vals[np] = v;
            codes[np] = exporter;
            np++;
            total += v;
        }
        if (rc) break;
        rmct_trade_group g = {KEY_YEAR(group << 10), KEY_IMPORTER(group << 10), KEY_PRODUCT(group << 10), total, (int)np, 0, 0, 0};
        size_t top = 0;
        double hhi = 0;
        for (size_t x = 0; x < np; x++) {
            if (vals[x] > vals[top]) top = x;
            double s = total > 0 ? (double)vals[x] / (double)total : 0;
            hhi += s * s;
        }
        g.top_partner = codes[top];
        g.top_share = total > 0 ? (double)vals[top] / (double)total : 0;
        g.hhi = hhi;
        int r = fn(ctx, &g);
        if (r) rc = (rmct_code)r;
    }
    free(vals);
    free(codes);
    free(all.v);
    return rc;
}
