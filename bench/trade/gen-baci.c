/*
 * gen-baci: a seeded generator of synthetic CEPII BACI trade files for the trade-summary benchmark.
 *
 *   gen-baci ROWS SEED > baci.csv
 *
 * Writes exactly ROWS data rows after the header "t,i,j,k,v,q", in BACI's own order (t, then
 * exporter i, then importer j, then product k), with every (t,i,j,k) unique:
 *   t  2020, 2021, 2022 (a little more trade each year)
 *   i  exporter, j importer: 200 ISO 3166-1 numeric codes (taken from Debian's iso-codes
 *      iso_3166-1.json, less 49 uninhabited or very small territories), printed as plain
 *      integers as BACI does (4, not 004); no country trades with itself
 *   k  about 5,000 HS6 codes, six digits with leading zeros (010121, 261100), laid out like the
 *      Harmonized System (chapters 01-97 without 77, headings, subheadings) plus real
 *      critical-mineral codes; the same list for every seed
 *   v  value in thousand USD, at most 3 decimals; most printed with 3 (12.340), some with
 *      fewer (12.5, 7)
 *   q  tonnes with 3 decimals; about 1% empty and 1% "NA"
 *
 * Shape: importers and exporters are sized roughly like world trade (a fixed list of the largest
 * economies first, Korea 7th, then the rest in a seeded order); each product has its own ranking of
 * exporters (the big exporters tend to lead) and a Zipf-like concentration over it, so a few
 * exporters dominate each product; partner counts per (t,j,k) and values are log-normal around
 * that. About 1% of (t,j,k) cells with 2+ partners have an exact tie for the largest value, so the
 * tie rule (smallest exporter code wins) is exercised.
 *
 * Own PRNG (splitmix64 seeding xoshiro256**); no other input. Output for a given ROWS and SEED is
 * the same on any machine whose libm rounds exp/log the same way (glibc does).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------- */
/* PRNG                                                                                            */

typedef struct {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* uniform in [0, 1) */
static inline double rng_unif(rng_t *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

/* uniform in (0, 1], safe for log() */
static inline double rng_unif_pos(rng_t *r) { return ((double)(rng_next(r) >> 11) + 1.0) * 0x1.0p-53; }

/* uniform integer in [0, n) (Lemire's multiply-shift; the tiny bias is irrelevant here) */
static inline uint32_t rng_below(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static double rng_normal(rng_t *r)
{
    /* Box-Muller, one value per call: simple and deterministic */
    double u1 = rng_unif_pos(r), u2 = rng_unif(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ---------------------------------------------------------------------------------------------- */
/* Countries                                                                                       */

#define NC 200
/* ISO 3166-1 numeric codes from /usr/share/iso-codes/json/iso_3166-1.json (249 entries) less
 * ATA BVT HMD SGS UMI IOT ATF CXR CCK NFK PCN TKL NIU WLF SJM ALA GGY JEY IMN VAT MCO LIE SMR BLM
 * MAF SXM BES GUF GLP MTQ REU MYT PRI VIR GUM ASM SPM ESH FLK SHN MSR AIA TCA VGB CYM BMU GIB FRO
 * GRL; ascending. */
static const int country_codes[NC] = {
    4,   8,   12,  20,  24,  28,  31,  32,  36,  40,  44,  48,  50,  51,  52,  56,  64,  68,  70,
    72,  76,  84,  90,  96,  100, 104, 108, 112, 116, 120, 124, 132, 140, 144, 148, 152, 156, 158,
    170, 174, 178, 180, 184, 188, 191, 192, 196, 203, 204, 208, 212, 214, 218, 222, 226, 231, 232,
    233, 242, 246, 250, 258, 262, 266, 268, 270, 275, 276, 288, 296, 300, 308, 320, 324, 328, 332,
    340, 344, 348, 352, 356, 360, 364, 368, 372, 376, 380, 384, 388, 392, 398, 400, 404, 408, 410,
    414, 417, 418, 422, 426, 428, 430, 434, 440, 442, 446, 450, 454, 458, 462, 466, 470, 478, 480,
    484, 496, 498, 499, 504, 508, 512, 516, 520, 524, 528, 531, 533, 540, 548, 554, 558, 562, 566,
    578, 580, 583, 584, 585, 586, 591, 598, 600, 604, 608, 616, 620, 624, 626, 634, 642, 643, 646,
    659, 662, 670, 678, 682, 686, 688, 690, 694, 702, 703, 704, 705, 706, 710, 716, 724, 728, 729,
    740, 748, 752, 756, 760, 762, 764, 768, 776, 780, 784, 788, 792, 795, 798, 800, 804, 807, 818,
    826, 834, 840, 854, 858, 860, 862, 882, 887, 894,
};

/* The largest traders, roughly in order of total merchandise trade; the rest follow in a seeded
 * order. Korea (410) is 7th, as it is among importers. */
static const int big_traders[] = {
    156, 840, 276, 392, 528, 250, 410, 380, 826, 344, 124, 484, 56,  356, 724, 702, 158, 643, 756,
    36,  76,  764, 458, 616, 784, 704, 360, 792, 682, 40,  752, 203, 208, 372, 578, 348, 710, 608,
    246, 620, 376, 152, 32,  554, 642, 604, 818, 398, 12,  566,
};

/* ---------------------------------------------------------------------------------------------- */
/* Products                                                                                        */

#define NP_MAX 8192
#define NCLASS 4

typedef struct {
    char code[8];   /* six digits and NUL */
    double pop;     /* relative number of trading pairs */
    double mu;      /* log of a typical value (thousand USD) */
    double logprice; /* log of thousand USD per tonne */
    int cls;        /* concentration class */
} product_t;

static product_t prod[NP_MAX];
static int np;

/* Real HS 2017 codes: the first and last of the HS (live pure-bred horses, antiques) and ores,
 * concentrates, compounds and metals of the kind RMCT follows. */
static const char *const real_codes[] = {
    "010121", "970600", "253090", "260200", "260300", "260500", "260800", "260900", "261000", "261100",
    "261310", "261390", "261490", "261510", "261590", "261610", "261710", "261790", "280461",
    "280469", "280530", "282520", "282530", "282570", "282590", "283691", "284169", "284610",
    "284690", "710510", "711011", "711019", "711021", "711031", "711041", "750110", "750210",
    "800110", "810110", "810194", "810320", "810411", "810520", "810590", "810620", "810820",
    "810890", "810910", "811010", "811100", "811212", "811221", "811292", "811299", "850511",
};

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const product_t *)a)->code, ((const product_t *)b)->code);
}

static void add_product(const char *code)
{
    if (np >= NP_MAX) {
        fprintf(stderr, "gen-baci: too many products\n");
        exit(1);
    }
    memcpy(prod[np].code, code, 7);
    np++;
}

/* chapter, heading and subheading (each 0-99) as a six-digit code */
static void add_hs(int ch, int h, int sub)
{
    char code[7];
    int part[3] = {ch, h, sub};
    for (int x = 0; x < 3; x++) {
        code[2 * x] = (char)('0' + part[x] / 10 % 10);
        code[2 * x + 1] = (char)('0' + part[x] % 10);
    }
    code[6] = '\0';
    add_product(code);
}

/* A Harmonized-System-like list: the same for every seed. */
static void make_products(void)
{
    rng_t r;
    rng_seed(&r, 0x4853363230323200ULL); /* fixed: the product universe does not depend on SEED */
    for (int ch = 1; ch <= 97; ch++) {
        if (ch == 77)
            continue;
        int headings = 3 + (int)rng_below(&r, 15); /* 3..17 */
        if (ch == 97)
            headings = 6; /* 9701-9706, as in the HS */
        for (int h = 1; h <= headings; h++) {
            int want = 1 + (int)rng_below(&r, 9); /* subheadings: 1..9 */
            if (rng_unif(&r) < 0.06)
                want += 6 + (int)rng_below(&r, 10); /* a few large headings */
            if (ch == 97 && h == 6)
                want = 1; /* 970600 ends the list */
            if (want == 1) {
                add_hs(ch, h, 0);
                continue;
            }
            /* one-dash groups d = 1..9; each either "d0" or split into "d1".."d(m-1)", "d9" */
            int got = 0;
            for (int d = 1; d <= 9 && got < want; d++) {
                int left = want - got;
                if (d == 9 || left == 1 || rng_unif(&r) < 0.6) {
                    add_hs(ch, h, (d == 9 || left == 1 ? 9 : d) * 10);
                    got++;
                    if (d == 9 || left == 1)
                        break;
                } else {
                    int m = 2 + (int)rng_below(&r, 4); /* 2..5 */
                    if (m > left)
                        m = left;
                    for (int s = 1; s < m; s++) {
                        add_hs(ch, h, d * 10 + s);
                    }
                    add_hs(ch, h, d * 10 + 9);
                    got += m;
                }
            }
        }
    }
    for (size_t m = 0; m < sizeof real_codes / sizeof real_codes[0]; m++)
        add_product(real_codes[m]);
    qsort(prod, (size_t)np, sizeof prod[0], cmp_code);
    int w = 0;
    for (int p = 0; p < np; p++)
        if (w == 0 || strcmp(prod[w - 1].code, prod[p].code) != 0)
            prod[w++] = prod[p];
    np = w;
}

/* The ores, compounds and metals of real_codes: supply of these is very concentrated. */
static int is_mineral(const char *code)
{
    for (size_t m = 2; m < sizeof real_codes / sizeof real_codes[0]; m++)
        if (strcmp(real_codes[m], code) == 0)
            return 1;
    return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Zipf-like weights over an exporter ranking, sampled with Walker's alias method                  */

static const double class_s[NCLASS] = {0.9, 1.2, 1.6, 2.2};
static double class_logw[NCLASS][NC]; /* log weight of rank r */
static double class_aprob[NCLASS][NC];
static int class_alias[NCLASS][NC];

static void make_alias(int c)
{
    double w[NC], sum = 0;
    for (int rk = 0; rk < NC; rk++) {
        class_logw[c][rk] = -class_s[c] * log(rk + 1.0);
        w[rk] = exp(class_logw[c][rk]);
        sum += w[rk];
    }
    double sc[NC];
    int small[NC], large[NC], ns = 0, nl = 0;
    for (int rk = 0; rk < NC; rk++) {
        sc[rk] = w[rk] * NC / sum;
        if (sc[rk] < 1.0)
            small[ns++] = rk;
        else
            large[nl++] = rk;
    }
    while (ns > 0 && nl > 0) {
        int s = small[--ns], l = large[nl - 1];
        class_aprob[c][s] = sc[s];
        class_alias[c][s] = l;
        sc[l] -= 1.0 - sc[s];
        if (sc[l] < 1.0) {
            nl--;
            small[ns++] = l;
        }
    }
    while (nl > 0) {
        int l = large[--nl];
        class_aprob[c][l] = 1.0;
        class_alias[c][l] = l;
    }
    while (ns > 0) {
        int s = small[--ns];
        class_aprob[c][s] = 1.0;
        class_alias[c][s] = s;
    }
}

static inline int alias_draw(rng_t *r, int c)
{
    uint32_t rk = rng_below(r, NC);
    return rng_unif(r) < class_aprob[c][rk] ? (int)rk : class_alias[c][rk];
}

/* ---------------------------------------------------------------------------------------------- */
/* Output                                                                                          */

static char *obuf;
static size_t olen;
#define OBUF_SIZE (1u << 22)

static void oflush(void)
{
    if (olen && fwrite(obuf, 1, olen, stdout) != olen) {
        perror("gen-baci: write");
        exit(1);
    }
    olen = 0;
}

static inline void oput_u64(uint64_t x)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    while (n)
        obuf[olen++] = tmp[--n];
}

/* milli-units as a decimal with 3, 2, 1 or 0 decimals (the value must allow it) */
static inline void oput_milli(uint64_t m, int decimals)
{
    oput_u64(m / 1000);
    if (decimals == 0)
        return;
    unsigned frac = (unsigned)(m % 1000);
    obuf[olen++] = '.';
    obuf[olen++] = (char)('0' + frac / 100);
    if (decimals >= 2)
        obuf[olen++] = (char)('0' + frac / 10 % 10);
    if (decimals >= 3)
        obuf[olen++] = (char)('0' + frac % 10);
}

/* ---------------------------------------------------------------------------------------------- */

typedef struct {
    uint64_t vm;  /* value in milli-thousand-USD (i.e. USD), >= 1 */
    uint16_t ei;  /* exporter index into country_codes */
    uint16_t ji;  /* importer index */
    uint16_t k;   /* product index */
    uint8_t vdec; /* decimals to print v with */
    uint8_t pad;
} row_t;

#define MAXV_MILLI 500000000000ULL /* 500 million thousand USD */

static void usage(void)
{
    fprintf(stderr, "usage: gen-baci ROWS SEED > baci.csv\n");
    exit(2);
}

static uint64_t parse_u64(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        usage();
    return (uint64_t)x;
}

/* Quickselect: move the n largest keys of a[0..len) to the front. */
typedef struct {
    double key;
    int rank;
} keyed_t;

static void select_top(keyed_t *a, int len, int n)
{
    int lo = 0, hi = len - 1;
    while (lo < hi) {
        double pivot = a[(lo + hi) / 2].key;
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i].key > pivot)
                i++;
            while (a[j].key < pivot)
                j--;
            if (i <= j) {
                keyed_t t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        if (n - 1 <= j)
            hi = j;
        else if (n - 1 >= i)
            lo = i;
        else
            break;
    }
}

int main(int argc, char **argv)
{
    if (argc != 3)
        usage();
    uint64_t rows = parse_u64(argv[1]);
    uint64_t seed = parse_u64(argv[2]);

    make_products();
    for (int c = 0; c < NCLASS; c++)
        make_alias(c);

    const int years[3] = {2020, 2021, 2022};
    const double year_weight[3] = {0.96, 1.00, 1.04};
    const double year_mu[3] = {0.0, 0.15, 0.22};
    const int ncell_year = NC * np;
    const uint64_t cap_per_cell = NC - 1;
    if (rows > 3 * (uint64_t)ncell_year * cap_per_cell) {
        fprintf(stderr, "gen-baci: at most %" PRIu64 " rows\n", 3 * (uint64_t)ncell_year * cap_per_cell);
        return 2;
    }

    rng_t r;
    rng_seed(&r, seed ^ 0x5eedba5eba5eba11ULL);

    /* Trader sizes: big traders first in their fixed order, then the rest in a seeded order. */
    int order[NC], no = 0;
    int used[NC] = {0};
    for (size_t b = 0; b < sizeof big_traders / sizeof big_traders[0]; b++)
        for (int c = 0; c < NC; c++)
            if (country_codes[c] == big_traders[b] && !used[c]) {
                order[no++] = c;
                used[c] = 1;
            }
    int rest[NC], nrest = 0;
    for (int c = 0; c < NC; c++)
        if (!used[c])
            rest[nrest++] = c;
    for (int x = nrest - 1; x > 0; x--) {
        int y = (int)rng_below(&r, (uint32_t)x + 1);
        int t = rest[x];
        rest[x] = rest[y];
        rest[y] = t;
    }
    for (int x = 0; x < nrest; x++)
        order[no++] = rest[x];
    double size[NC], logsize[NC]; /* importer size (share of rows) and exporter log-size */
    for (int rk = 0; rk < NC; rk++) {
        int c = order[rk];
        size[c] = exp(-rk / 45.0) * exp(0.05 * rng_normal(&r));
        logsize[c] = -1.2 * log(rk + 1.0);
    }

    /* Products: popularity, typical value, price, concentration class, exporter ranking. */
    static uint8_t perm[NP_MAX][NC];       /* perm[k][rank] = exporter index */
    static uint8_t rank_of[NP_MAX][NC];    /* inverse */
    for (int k = 0; k < np; k++) {
        product_t *p = &prod[k];
        p->pop = exp(0.9 * rng_normal(&r));
        p->mu = 5.0 + 1.6 * rng_normal(&r);
        p->logprice = 0.8 + 1.6 * rng_normal(&r);
        double u = rng_unif(&r);
        p->cls = u < 0.30 ? 0 : u < 0.65 ? 1 : u < 0.90 ? 2 : 3;
        if (is_mineral(p->code)) {
            p->cls = 3;
            p->pop *= 0.4;
        }
        keyed_t key[NC];
        for (int c = 0; c < NC; c++) {
            key[c].key = logsize[c] - log(-log(rng_unif_pos(&r))); /* Gumbel noise */
            key[c].rank = c;
        }
        /* insertion sort, descending */
        for (int a = 1; a < NC; a++) {
            keyed_t t = key[a];
            int b = a - 1;
            while (b >= 0 && key[b].key < t.key) {
                key[b + 1] = key[b];
                b--;
            }
            key[b + 1] = t;
        }
        for (int rk = 0; rk < NC; rk++) {
            perm[k][rk] = (uint8_t)key[rk].rank;
            rank_of[k][key[rk].rank] = (uint8_t)rk;
        }
    }

    float *mean = malloc((size_t)ncell_year * sizeof *mean);
    uint8_t *npart = malloc((size_t)ncell_year);
    size_t cap_rows = (size_t)(rows / 3 * 1.2) + 4096;
    row_t *buf = malloc(cap_rows * sizeof *buf);
    row_t *sorted = malloc(cap_rows * sizeof *sorted);
    obuf = malloc(OBUF_SIZE + 256);
    if (!mean || !npart || !buf || !sorted || !obuf) {
        fprintf(stderr, "gen-baci: out of memory\n");
        return 1;
    }

    fputs("t,i,j,k,v,q\n", stdout);
    uint64_t done = 0;
    double wsum = year_weight[0] + year_weight[1] + year_weight[2];
    for (int y = 0; y < 3; y++) {
        uint64_t target = y < 2 ? (uint64_t)((double)rows * year_weight[y] / wsum) : rows - done;
        done += target;

        /* Partner counts per (j,k) cell: log-normal means, scaled so that the capped sum is the
         * target, then rounded at random, then nudged to hit the target exactly. */
        for (int j = 0; j < NC; j++)
            for (int k = 0; k < np; k++)
                mean[j * np + k] = (float)(size[j] * prod[k].pop * exp(0.6 * rng_normal(&r)));
        double lo = 0, hi = 1;
        for (;;) {
            double s = 0;
            for (int c = 0; c < ncell_year; c++)
                s += fmin(hi * mean[c], (double)cap_per_cell);
            if (s >= (double)target)
                break;
            hi *= 2;
        }
        for (int it = 0; it < 50; it++) {
            double mid = 0.5 * (lo + hi), s = 0;
            for (int c = 0; c < ncell_year; c++)
                s += fmin(mid * mean[c], (double)cap_per_cell);
            if (s < (double)target)
                lo = mid;
            else
                hi = mid;
        }
        int64_t total = 0;
        for (int c = 0; c < ncell_year; c++) {
            double m = fmin(hi * mean[c], (double)cap_per_cell);
            double f = floor(m);
            int n = (int)f + (rng_unif(&r) < m - f);
            if (n > (int)cap_per_cell)
                n = (int)cap_per_cell;
            npart[c] = (uint8_t)n;
            total += n;
        }
        while (total != (int64_t)target) {
            uint32_t c = rng_below(&r, (uint32_t)ncell_year);
            if (total < (int64_t)target && npart[c] < cap_per_cell && npart[c] > 0) {
                npart[c]++;
                total++;
            } else if (total > (int64_t)target && npart[c] > 0) {
                npart[c]--;
                total--;
            } else if (total < (int64_t)target && npart[c] == 0 && rng_unif(&r) < 0.05) {
                npart[c]++; /* mostly grow cells that already trade */
                total++;
            }
        }
        if (target > cap_rows) {
            fprintf(stderr, "gen-baci: internal error: row buffer too small\n");
            return 1;
        }

        /* Rows, cell by cell in (j,k) order. */
        size_t nrow = 0;
        uint32_t count_by_exp[NC] = {0};
        for (int j = 0; j < NC; j++) {
            double jmu = 0.8 * log(size[j]);
            for (int k = 0; k < np; k++) {
                int n = npart[j * np + k];
                if (n == 0)
                    continue;
                const product_t *p = &prod[k];
                int cls = p->cls;
                int rj = rank_of[k][j]; /* the importer's own rank: never drawn */
                int chosen[NC];
                int nch = 0;
                if (n <= 24) {
                    uint64_t bits[4] = {0, 0, 0, 0};
                    bits[rj >> 6] |= 1ULL << (rj & 63);
                    int tries = 0;
                    while (nch < n && tries < 4000) {
                        int rk = alias_draw(&r, cls);
                        tries++;
                        if (bits[rk >> 6] >> (rk & 63) & 1)
                            continue;
                        bits[rk >> 6] |= 1ULL << (rk & 63);
                        chosen[nch++] = rk;
                    }
                }
                if (nch < n) {
                    /* weighted sampling without replacement: Gumbel top-n over all ranks */
                    keyed_t key[NC];
                    int len = 0;
                    for (int rk = 0; rk < NC; rk++) {
                        if (rk == rj)
                            continue;
                        key[len].key = class_logw[cls][rk] - log(-log(rng_unif_pos(&r)));
                        key[len].rank = rk;
                        len++;
                    }
                    select_top(key, len, n);
                    for (nch = 0; nch < n; nch++)
                        chosen[nch] = key[nch].rank;
                }
                double cmu = p->mu + jmu + year_mu[y] + 1.2 * rng_normal(&r);
                size_t first = nrow;
                for (int x = 0; x < n; x++) {
                    int rk = chosen[x];
                    double lv = cmu + 0.9 * class_logw[cls][rk] + 1.3 * rng_normal(&r);
                    double vm = floor(exp(lv) * 1000.0 + 0.5);
                    if (vm < 1)
                        vm = 1;
                    if (vm > (double)MAXV_MILLI)
                        vm = (double)MAXV_MILLI;
                    row_t *w = &buf[nrow++];
                    w->vm = (uint64_t)vm;
                    w->ei = perm[k][rk];
                    w->ji = (uint16_t)j;
                    w->k = (uint16_t)k;
                    w->vdec = 3;
                    w->pad = 0;
                }
                /* Fewer printed decimals for some values: 7, 12.5, 3.25. */
                for (size_t x = first; x < nrow; x++) {
                    double u = rng_unif(&r);
                    uint64_t vm = buf[x].vm;
                    if (u < 0.06 && vm >= 1000) {
                        buf[x].vm = (vm + 500) / 1000 * 1000;
                        buf[x].vdec = 0;
                    } else if (u < 0.12 && vm >= 100) {
                        buf[x].vm = (vm + 50) / 100 * 100;
                        buf[x].vdec = 1;
                    } else if (u < 0.16 && vm >= 10) {
                        buf[x].vm = (vm + 5) / 10 * 10;
                        buf[x].vdec = 2;
                    }
                }
                /* An exact tie for the largest value in about 1% of multi-partner cells. */
                if (n >= 2 && rng_unif(&r) < 0.01) {
                    size_t a = first, b = first + 1;
                    if (buf[b].vm > buf[a].vm) {
                        size_t t = a;
                        a = b;
                        b = t;
                    }
                    for (size_t x = first + 2; x < nrow; x++) {
                        if (buf[x].vm > buf[a].vm) {
                            b = a;
                            a = x;
                        } else if (buf[x].vm > buf[b].vm) {
                            b = x;
                        }
                    }
                    buf[b].vm = buf[a].vm;
                    buf[b].vdec = buf[a].vdec;
                }
                for (size_t x = first; x < nrow; x++)
                    count_by_exp[buf[x].ei]++;
            }
        }

        /* BACI order: stable bucket sort by exporter keeps (j,k) order inside each exporter. */
        size_t off[NC + 1];
        off[0] = 0;
        for (int c = 0; c < NC; c++)
            off[c + 1] = off[c] + count_by_exp[c];
        for (size_t x = 0; x < nrow; x++)
            sorted[off[buf[x].ei]++] = buf[x];

        for (size_t x = 0; x < nrow; x++) {
            const row_t *w = &sorted[x];
            if (olen > OBUF_SIZE)
                oflush();
            oput_u64((uint64_t)years[y]);
            obuf[olen++] = ',';
            oput_u64((uint64_t)country_codes[w->ei]);
            obuf[olen++] = ',';
            oput_u64((uint64_t)country_codes[w->ji]);
            obuf[olen++] = ',';
            memcpy(obuf + olen, prod[w->k].code, 6);
            olen += 6;
            obuf[olen++] = ',';
            oput_milli(w->vm, w->vdec);
            obuf[olen++] = ',';
            double u = rng_unif(&r);
            if (u < 0.01) {
                /* empty */
            } else if (u < 0.02) {
                obuf[olen++] = 'N';
                obuf[olen++] = 'A';
            } else {
                double q = (double)w->vm / 1000.0 * exp(-prod[w->k].logprice + 0.4 * rng_normal(&r));
                if (q > 1e12)
                    q = 1e12;
                oput_milli((uint64_t)floor(q * 1000.0 + 0.5), 3);
            }
            obuf[olen++] = '\n';
        }
    }
    oflush();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("gen-baci: write");
        return 1;
    }
    free(mean);
    free(npart);
    free(buf);
    free(sorted);
    free(obuf);
    return 0;
}
