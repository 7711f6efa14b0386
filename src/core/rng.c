/* rng.c - xoshiro256** (Blackman & Vigna) seeded through SplitMix64 from (seed, task). */
#include "parley/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void parley_rng_seed(parley_rng *rng, uint64_t seed, uint64_t task)
{
    /* Mix the task index through one SplitMix64 step first, so that neighbouring (seed, task) pairs
     * give unrelated streams rather than shifted copies of one stream. */
    uint64_t t = task;
    uint64_t x = seed ^ splitmix64(&t);
    for (int i = 0; i < 4; i++) rng->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t parley_rng_next(parley_rng *rng)
{
    uint64_t *s = rng->s;
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

double parley_rng_uniform(parley_rng *rng)
{
    return (double)(parley_rng_next(rng) >> 11) * 0x1.0p-53;
}

uint64_t parley_rng_below(parley_rng *rng, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = parley_rng_next(rng);
    while (x >= limit);
    return x % n;
}
