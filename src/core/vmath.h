/* vmath.h - exp and log written to vectorise, for the expected-utility model's utilities. */
#ifndef PARLEY_VMATH_H
#define PARLEY_VMATH_H

#include <stddef.h>

/* For k < n: with v_s = max(0.5 - 0.5 d[k], 0) and v_f = 0.5 + 0.5 d[k], sets
 *   us_i[k] = 2 - 4 v_s^ri,    uf_i[k] = 2 - 4 v_f^ri,
 *   us_j[k] = 2 - 4 v_s^rj[k], uf_j[k] = 2 - 4 v_f^rj[k],
 * the utilities of success and failure (eqs. 15-16 of the expected-utility model) at two exponents.
 * An exponent of exactly 1 gives the exact linear value. Relative error of the powers below 1e-15;
 * the results are the same on every x86-64 machine (no fused multiply-adds, no libm). Cannot fail. */
void vm_utilities(size_t n, const double *restrict d, double ri, const double *restrict rj, double *restrict us_i,
                  double *restrict uf_i, double *restrict us_j,
                  double *restrict uf_j);

/* Scalar versions, for tests: natural log of v > 0 and exp of x in [-700, 700]. */
double vm_log(double v);
double vm_exp(double x);

#endif
