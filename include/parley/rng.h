/* rng.h - parley's random generator: xoshiro256**, seeded per task from (seed, task) via SplitMix64.
 *
 * Threads: a parley_rng is a plain value with no shared state: one per thread (or per task). */
#ifndef PARLEY_RNG_H
#define PARLEY_RNG_H

#include "parley/api.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A plain value type: copy it freely; it owns nothing. */
typedef struct parley_rng {
    uint64_t s[4];
} parley_rng;

/* Seeds a generator for one task (one Monte Carlo draw, one repetition) so that results never depend on
 * which thread ran which task. Cannot fail. */
PARLEY_API void parley_rng_seed(parley_rng *rng, uint64_t seed, uint64_t task);
/* Returns the next 64 random bits. */
PARLEY_API uint64_t parley_rng_next(parley_rng *rng);
/* Returns a double uniform in [0, 1) with 53 random bits. */
PARLEY_API double parley_rng_uniform(parley_rng *rng);
/* Returns an integer uniform in [0, n), without modulo bias; n must be > 0. */
PARLEY_API uint64_t parley_rng_below(parley_rng *rng, uint64_t n);

#ifdef __cplusplus
}
#endif
#endif
