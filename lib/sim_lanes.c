/* sim_lanes.c: the monthly kernel of sim.c run for SIM_LANES futures at once, one future per lane
 * of a vector, for the ensemble's hot path.
 *
 * A batch of SIM_BATCH futures is drawn and its effects built by sim.c as before, each into its own
 * sim_scratch; then, chain by chain, each lane takes the next future whose chain is disturbed, steps
 * it at its own month, jumps its quiet stretches in closed form, and takes another when it reaches
 * the horizon. A lane works out exactly the operations, in exactly the order, that sim.c's
 * run_chain does for that future alone (branches become masks; a lane without a future keeps out
 * of every result), so every figure of every future is bit for bit that of sim_future, whatever
 * futures share its lanes (tests/unit/test_sim.c compares the two). The processor then does one
 * instruction for eight futures where sim_future does one for one. */
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

typedef double vd __attribute__((vector_size(SIM_LANES * sizeof(double))));
typedef long long vl __attribute__((vector_size(SIM_LANES * sizeof(long long))));

/* Vector helpers are macros, not functions: a function taking or returning a vector wider than the
 * default target's registers has an ABI the compilers warn about (GCC) or refuse (clang). Masks
 * (vl) have every bit of a lane set or none, as comparisons give them. */
#define SPLAT(x) ((vd){0} + (x))
#define SPLAT_L(x) ((vl){0} + (x))
#define SEL(m, a, b) ((vd)((((vl)(a)) & (m)) | (((vl)(b)) & ~(m))))   /* m ? a : b, lane by lane */
#define SEL_L(m, a, b) ((((a)) & (m)) | (((b)) & ~(m)))
#define TO_L(x) __builtin_convertvector((x), vl)   /* truncates, as (int) does */
#define TO_D(x) __builtin_convertvector((x), vd)
/* the lanes of mask m as bits, lane l at bit l */
#define BITS(m) ({                                                  \
    vl bits_m_ = (m);                                               \
    unsigned bits_b_ = 0;                                           \
    for (int bits_l_ = 0; bits_l_ < SIM_LANES; bits_l_++)           \
        bits_b_ |= (unsigned)(bits_m_[bits_l_] & 1) << bits_l_;     \
    bits_b_;                                                        \
})
#define ANY(m) (BITS(m) != 0)
/* sim_ramp, lane by lane: months t, start (vl), ramp_months (vd) */
#define RAMP(t, start, ramp_months) ({                                                    \
    vl ramp_s_ = (start);                                                               \
    vd ramp_r_ = (ramp_months);                                                         \
    vd ramp_f_ = TO_D((t) - ramp_s_ + 1) / ramp_r_;                                     \
    ramp_f_ = SEL(ramp_f_ < 1, ramp_f_, SPLAT(1.0));                                    \
    ramp_f_ = SEL(ramp_r_ <= 0, SPLAT(1.0), ramp_f_);                                   \
    SEL((ramp_s_ < 0) | ((t) < ramp_s_), SPLAT(0.0), ramp_f_);                          \
})
/* the lanes' values of their rows row[0..SIM_LANES), each in its own month t[lane] */
#define ROWS_AT(row, t) ({                                                                      \
    vd rows_v_;                                                                               \
    for (int rows_l_ = 0; rows_l_ < SIM_LANES; rows_l_++) rows_v_[rows_l_] = (row)[rows_l_][(t)[rows_l_]]; \
    rows_v_;                                                                                  \
})

struct sim_lanes {
    sim_scratch *fut[SIM_BATCH];   /* the batch's futures */
    int used;                 /* futures in the batch this round */
    sim_scratch *cur[SIM_LANES];   /* the future in each lane, NULL if none */
    int tl[SIM_LANES];        /* each lane's next month */
    /* per node, one vector each: the state of sim_scratch, lane by lane */
    vd *I, *reqsum, *sat, *D, *fd, *Q, *M, *R, *ps;
    vl *first_loss, *first_trouble, *first_short, *trig_start, *sub_on;
    vd *req;                  /* per input link */
    vd *rv;                   /* n x R__COUNT response values */
    unsigned *flags;          /* per node: model flags | any lane's effects */
    unsigned *lane_flags;     /* per node x lane: that lane's future's effects (NF_DEM, NF_CAP, NF_LOSS) */
    const double **loss, **demf, **capf;   /* per node x lane, that lane's month row (zeros / ones if none) */
    double *zeros, *ones;     /* T each */
    double *dmin;             /* per node, a lane's working memory for the overstock check */
    void (*run_chain)(const rmct_model *m, struct sim_lanes *L, int c);   /* for this processor */
};

typedef void run_chain_fn(const rmct_model *m, sim_lanes *L, int c);
static run_chain_fn *pick_run_chain(void);

sim_lanes *sim_lanes_new(const rmct_model *m)
{
    sim_lanes *L = calloc(1, sizeof *L);
    if (!L) return NULL;
    int n = m->n;
    size_t nv = (size_t)n + 1;
    bool fail = false;
    for (int j = 0; j < SIM_BATCH; j++)
        if (!(L->fut[j] = sim_scratch_new(m))) fail = true;
        else if (j > 0) sim_scratch_lend_surv(L->fut[j], L->fut[0]);   /* the futures are prepared one by one */
    vd **d[] = {&L->I, &L->reqsum, &L->sat, &L->D, &L->fd, &L->Q, &L->M, &L->R, &L->ps};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++)
        if (!(*d[i] = aligned_alloc(sizeof(vd), nv * sizeof(vd)))) fail = true;
    vl **il[] = {&L->first_loss, &L->first_trouble, &L->first_short, &L->trig_start, &L->sub_on};
    for (size_t i = 0; i < sizeof il / sizeof *il; i++)
        if (!(*il[i] = aligned_alloc(sizeof(vl), nv * sizeof(vl)))) fail = true;
    if (!(L->req = aligned_alloc(sizeof(vd), ((size_t)m->in_off[n] + 1) * sizeof(vd)))) fail = true;
    if (!(L->rv = aligned_alloc(sizeof(vd), (nv * R__COUNT) * sizeof(vd)))) fail = true;
    L->flags = calloc(nv, sizeof *L->flags);
    L->lane_flags = calloc(nv * SIM_LANES, sizeof *L->lane_flags);
    L->loss = calloc(nv * SIM_LANES, sizeof *L->loss);
    L->demf = calloc(nv * SIM_LANES, sizeof *L->demf);
    L->capf = calloc(nv * SIM_LANES, sizeof *L->capf);
    L->zeros = calloc((size_t)m->T + 1, sizeof(double));
    L->ones = calloc((size_t)m->T + 1, sizeof(double));
    L->dmin = calloc(nv, sizeof(double));
    if (fail || !L->flags || !L->lane_flags || !L->loss || !L->demf || !L->capf || !L->zeros || !L->ones || !L->dmin) {
        sim_lanes_free(L);
        return NULL;
    }
    for (int t = 0; t < m->T; t++) L->ones[t] = 1;
    /* lanes without a future compute on finite values: the central responses */
    for (int i = 0; i < n * R__COUNT; i++) L->rv[i] = SPLAT(m->resp[i]);
    L->run_chain = pick_run_chain();
    return L;
}

void sim_lanes_free(sim_lanes *L)
{
    if (!L) return;
    for (int j = 0; j < SIM_BATCH; j++) sim_scratch_free(L->fut[j]);
    void *ps[] = {L->I, L->reqsum, L->sat, L->D, L->fd, L->Q, L->M, L->R, L->ps, L->first_loss, L->first_trouble,
                  L->first_short, L->trig_start, L->sub_on, L->req, L->rv, L->flags, L->lane_flags, L->loss, L->demf, L->capf,
                  L->zeros, L->ones, L->dmin};
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) free(ps[i]);
    free(L);
}

sim_scratch *sim_lanes_scratch(sim_lanes *L, int j) { return L->fut[j]; }

/* Lane l takes future s's chain c, at its normal state from the chain's first disturbed month. */
static void lane_start(const rmct_model *m, sim_lanes *L, int l, sim_scratch *s, int c)
{
    const int b = m->chain_begin[c], e = m->chain_begin[c + 1], T = m->T;
    L->cur[l] = s;
    L->tl[l] = s->chain_first[c];
    for (int i = b; i < e; i++) {
        const double *rp = s->rv + i * R__COUNT;
        for (int f = 0; f < R__COUNT; f++) L->rv[i * R__COUNT + f][l] = rp[f];
        L->I[i][l] = m->nodes[i].istar;
        L->sat[i][l] = 1;
        L->ps[i][l] = rp[R_PS0];
        L->first_loss[i][l] = L->first_trouble[i][l] = L->first_short[i][l] = L->trig_start[i][l] = -1;
        L->sub_on[i][l] = 0;
        const size_t row = (size_t)i * T, x = (size_t)i * SIM_LANES + l;
        L->loss[x] = s->has_loss[i] ? s->loss + row : L->zeros;
        L->demf[x] = s->has_dem[i] ? s->demf + row : L->ones;
        L->capf[x] = s->has_cap[i] ? s->capf + row : L->ones;
        L->lane_flags[x] = (s->has_dem[i] ? NF_DEM : 0) | (s->has_cap[i] ? NF_CAP : 0) | (s->has_loss[i] ? NF_LOSS : 0);
    }
}

/* Lane l holds no future (its state is left as it was: nothing reads it while the lane is off). */
static void lane_stop(sim_lanes *L, int l, int b, int e)
{
    L->cur[l] = NULL;
    for (int i = b; i < e; i++) {
        size_t x = (size_t)i * SIM_LANES + l;
        L->loss[x] = L->zeros;
        L->demf[x] = L->capf[x] = L->ones;
        L->lane_flags[x] = 0;
    }
}

/* sim.c's overstock_may_clamp for lane l. */
static bool lane_overstock_may_clamp(const rmct_model *m, sim_lanes *L, int l, int b, int e)
{
    const sim_node *nodes = m->nodes;
    double *dmin = L->dmin;
    for (int i = b; i < e; i++) dmin[i] = nodes[i].fd0;
    for (int c = e - 1; c >= b; c--) {
        const sim_node *nd = &nodes[c];
        double excess = L->I[c][l] - nd->istar;
        if (excess > nd->istar * 1e-12 && excess > 6 * dmin[c] * (1 - 1e-9)) return true;
        double F = dmin[c] - (excess > 0 ? excess : 0) * (1.0 / REBUILD_MONTHS);
        double rmax = nd->rec0;
        if (nd->flags & NF_REC) rmax *= fmax(1, L->rv[c * R__COUNT + R_RECF][l]);
        double net = F - rmax, q = nd->ds * (net > 0 ? net : 0);
        if (q > nd->cap) q = nd->cap;
        for (int k = nd->in_b; k < nd->in_e; k++) {
            int u = m->in_from[k];
            double r = q * m->in_req[k];
            if (L->sub_on[u][l]) r *= 1 - L->rv[u * R__COUNT + R_SUBFRAC][l];
            dmin[u] += r;
        }
    }
    return false;
}

/* sim.c's quiet_jump for lane l. */
static bool lane_quiet_jump(const rmct_model *m, sim_lanes *L, int l, int b, int e, int t, int next)
{
    bool over = false;
    for (int i = b; i < e; i++) {
        double I = L->I[i][l];
        const vd *rp = L->rv + i * R__COUNT;
        over |= I > m->istar[i] * (1 + 1e-12);
        if ((m->resp_kind[i] & RK_STOCK) && rp[R_TRIG][l] > 0 && L->ps[i][l] > rp[R_FLOOR][l] &&
            I + (m->istar[i] - I) * (1.0 / REBUILD_MONTHS) < rp[R_TRIG][l])
            return false;
    }
    if (over && lane_overstock_may_clamp(m, L, l, b, e)) return false;
    double f = sim_decay_pow(next - t);
    const int T = m->T;
    sim_scratch *s = L->cur[l];
    for (int i = b; i < e; i++) {
        double I = m->istar[i] - (m->istar[i] - L->I[i][l]) * f;
        L->I[i][l] = I;
        L->sat[i][l] = 1;
        if (L->sub_on[i][l] && I >= m->istar[i] * (1 - 1e-9)) L->sub_on[i][l] = 0;
        int ss = m->stock_series[i];
        double ps0 = L->rv[i * R__COUNT + R_PS0][l];
        double used = ps0 - L->ps[i][l];
        if (ss >= 0 && used > 0) {
            double v = sim_stock_used_scaled(m, ss, used, ps0);
            for (int k = t; k < next; k++) s->series[(size_t)ss * T + k] = v;
            sim_mark(s, ss, t, next);
        }
    }
    return true;
}

/* The month loop, once per instruction set; the best the processor has is picked at the first run.
 * AVX-512 needs its DQ part for the conversions between doubles and 64-bit integers and for
 * turning a mask into bits. */
#define LANES_FN run_chain_avx512
#define LANES_TARGET __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw")))
#define LANES_BITS(m) ((unsigned)_mm512_movepi64_mask((__m512i)(m)))
#include "sim_lanes_kernel.h"

#define LANES_FN run_chain_avx2
#define LANES_TARGET __attribute__((target("avx2")))
#define LANES_BITS(m) BITS(m)
#include "sim_lanes_kernel.h"

#define LANES_FN run_chain_generic
#define LANES_TARGET
#define LANES_BITS(m) BITS(m)
#include "sim_lanes_kernel.h"

static run_chain_fn *pick_run_chain(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bw"))
        return run_chain_avx512;
    if (__builtin_cpu_supports("avx2")) return run_chain_avx2;
    return run_chain_generic;
}

void sim_lanes_run(const rmct_model *m, sim_lanes *L, int used, bool hazards, uint64_t seed, long k0)
{
    L->used = used;
    for (int j = 0; j < used; j++) sim_prepare(m, L->fut[j], true, hazards, seed, k0 + j);
    run_chain_fn *run_chain = L->run_chain;
    for (int c = 0; c < m->n_chains; c++) run_chain(m, L, c);
    for (int j = 0; j < used; j++) sim_clear_effects(L->fut[j]);
}
