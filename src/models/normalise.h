/* normalise.h (internal) - running the models on extreme but legal numbers: a rescaled copy of the
 * scenario, and the result mapped back to the input's scales. */
#ifndef PARLEY_MODELS_NORMALISE_H
#define PARLEY_MODELS_NORMALISE_H

#include <stdbool.h>

#include "parley/result.h"
#include "parley/scenario.h"

/* A copy of a scenario whose capabilities and positions are rescaled by powers of two. */
typedef struct pm_norm {
    parley_scenario *s; /* the copy: its numbers are its own, everything else is borrowed from the input */
    int *pos_exp;       /* per issue: positions, scale, reference, outcome and shocks were multiplied by 2^-e */
    int cap_exp;        /* capabilities were multiplied by 2^-cap_exp */
} pm_norm;

/* Decides whether s holds numbers so large or small (a capability of 1e308 or 5e-324, a scale of
 * +-1e308 or 1e-300 wide) that the models' sums, products and squares could overflow or underflow, and
 * if so fills n with a copy whose largest capability and each such issue's scale width lie in [1, 2).
 * Scaling by a power of two is exact (bar numbers that fall below the smallest double), so the models
 * compute what they would with unbounded exponents. Returns false and leaves n zeroed when s needs no
 * copy (every ordinary input: results stay bit-identical) or when out of memory (*failed set). */
bool pm_norm_make(const parley_scenario *s, pm_norm *n, bool *failed);

/* Maps every position-valued number of r (forecasts, rounds, offers, trades) back to the input's scales.
 * Capabilities never appear in a result; risk exponents, gains and externalities are scale-free. */
void pm_norm_restore(const pm_norm *n, const parley_scenario *orig, parley_result *r);

/* Turns a length x on issue k of the copy into one on the input's scale (x itself without a copy). */
double pm_norm_length(const pm_norm *n, size_t k, double x);

void pm_norm_free(pm_norm *n);

#endif
