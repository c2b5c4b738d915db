/* rng.h: the counter-based random numbers behind every Monte Carlo in RMCT.
 *
 * A stream is a key (derived from the seed and what is being drawn, e.g. one future's index) and
 * a counter; draw k of a stream is a pure function of (key, k). Results therefore do not depend on
 * how work is split over threads or MPI ranks, only on the seed. The mixer is splitmix64
 * (Steele, Lea and Flood 2014), which passes BigCrush when used this way. */
#ifndef RMCT_RNG_H
#define RMCT_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct {
    uint64_t key, counter;
} rmct_rng;

static inline uint64_t rmct_mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* The stream for item `index` of a run with `seed` and a purpose tag (so that two uses of the same
 * seed draw independent numbers). */
static inline rmct_rng rmct_rng_stream(uint64_t seed, uint64_t purpose, uint64_t index)
{
    rmct_rng r = {rmct_mix64(rmct_mix64(seed ^ rmct_mix64(purpose)) ^ index), 0};
    return r;
}

/* Uniform on (0, 1): never exactly 0 or 1. */
static inline double rmct_rng_uniform(rmct_rng *r)
{
    return ((double)(rmct_mix64(r->key ^ rmct_mix64(r->counter++)) >> 11) + 0.5) / 9007199254740992.0;
}

/* Standard normal (Box-Muller, one value per two uniforms: simple and stateless). */
static inline double rmct_rng_normal(rmct_rng *r)
{
    double u = rmct_rng_uniform(r), v = rmct_rng_uniform(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Triangular on [lo, hi] with mode m (lo <= m <= hi). */
static inline double rmct_rng_triangular(rmct_rng *r, double lo, double m, double hi)
{
    double u = rmct_rng_uniform(r);
    if (hi <= lo) return lo;
    double f = (m - lo) / (hi - lo);
    return u < f ? lo + sqrt(u * (hi - lo) * (m - lo)) : hi - sqrt((1 - u) * (hi - lo) * (hi - m));
}

#endif
