/* vmath.c - exp and log written to vectorise: branch-free, no libm calls, bit tricks instead of
 * int-to-double conversions. Compiled with -O3 (CMakeLists.txt) so the loops become SIMD code. */
#include "vmath.h"

#include <stdint.h>
#include <string.h>

static inline uint64_t bits_of(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static inline double double_of(uint64_t u)
{
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static const double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
static const double LOG2E = 1.44269504088896338700e+00;
static const double SHIFT = 0x1.8p52; /* adding it rounds to an integer held in the low mantissa bits */

/* log(v) for v > 0 (v below 2^-1000 is taken as 2^-1000): v = 2^e m with m in [sqrt(1/2), sqrt(2)),
 * log m = 2 atanh(s) with s = (m - 1) / (m + 1), |s| < 0.172, by its series to s^21. */
static inline double log_inline(double v)
{
    v = v < 0x1p-1000 ? 0x1p-1000 : v;
    uint64_t u = bits_of(v);
    double e = double_of(0x4330000000000000ull | (u >> 52)) - (0x1p52 + 1023); /* the exponent, exactly */
    double m = double_of((u & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
    double big = m > 1.41421356237309504880 ? 1.0 : 0.0;
    m = big > 0 ? m * 0.5 : m;
    e = e + big;
    double s = (m - 1) / (m + 1), z = s * s;
    double p = 2.0 / 21;
    p = p * z + 2.0 / 19;
    p = p * z + 2.0 / 17;
    p = p * z + 2.0 / 15;
    p = p * z + 2.0 / 13;
    p = p * z + 2.0 / 11;
    p = p * z + 2.0 / 9;
    p = p * z + 2.0 / 7;
    p = p * z + 2.0 / 5;
    p = p * z + 2.0 / 3;
    p = p * z + 2.0;
    return e * LN2_HI + (s * p + e * LN2_LO);
}

/* exp(x) for x in [-700, 700] (clamped): x = k ln2 + r with |r| <= ln2 / 2, exp(r) by its Taylor series
 * to r^13, then 2^k put straight into the exponent bits. */
static inline double exp_inline(double x)
{
    x = x < -700 ? -700 : x > 700 ? 700 : x;
    double t = x * LOG2E + SHIFT;
    double k = t - SHIFT;
    double r = (x - k * LN2_HI) - k * LN2_LO;
    double p = 1.0 / 6227020800;
    p = p * r + 1.0 / 479001600;
    p = p * r + 1.0 / 39916800;
    p = p * r + 1.0 / 3628800;
    p = p * r + 1.0 / 362880;
    p = p * r + 1.0 / 40320;
    p = p * r + 1.0 / 5040;
    p = p * r + 1.0 / 720;
    p = p * r + 1.0 / 120;
    p = p * r + 1.0 / 24;
    p = p * r + 1.0 / 6;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    double scale = double_of((bits_of(t) + 1023) << 52);
    return p * scale;
}

double vm_log(double v)
{
    return log_inline(v);
}

double vm_exp(double x)
{
    return exp_inline(x);
}

/* The loop, inlined into two copies: one compiled for AVX2, picked at run time where the processor has
 * it, and one for any x86-64. Without fused multiply-adds (the build forbids contraction) both do the
 * same operations in the same order: the same bits everywhere. The dispatch is written out rather than
 * left to target_clones, whose run-time resolver clang 14 exports from the shared library. */
static inline __attribute__((always_inline)) void utilities_loop(size_t n, const double *restrict d, double ri,
                                                                const double *restrict rj, double *restrict us_i,
                                                                double *restrict uf_i, double *restrict us_j,
                                                                double *restrict uf_j)
{
    for (size_t k = 0; k < n; k++) {
        double vs = 0.5 - 0.5 * d[k], vf = 0.5 + 0.5 * d[k];
        vs = vs < 0 ? 0 : vs;
        double ls = log_inline(vs), lf = log_inline(vf);
        double rk = rj[k];
        /* Every power is computed, then the exact linear value selected where the exponent is 1: no
         * branches, so the loop vectorises. */
        double psi = exp_inline(ri * ls), pfi = exp_inline(ri * lf);
        double psj = exp_inline(rk * ls), pfj = exp_inline(rk * lf);
        us_i[k] = 2 - 4 * (ri == 1 ? vs : psi);
        uf_i[k] = 2 - 4 * (ri == 1 ? vf : pfi);
        us_j[k] = 2 - 4 * (rk == 1 ? vs : psj);
        uf_j[k] = 2 - 4 * (rk == 1 ? vf : pfj);
    }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__) && !defined(PARLEY_NO_CLONES)
#define PARLEY_AVX2_KERNEL 1
__attribute__((target("avx2"))) static void utilities_avx2(size_t n, const double *restrict d, double ri,
                                                           const double *restrict rj, double *restrict us_i,
                                                           double *restrict uf_i, double *restrict us_j,
                                                           double *restrict uf_j)
{
    utilities_loop(n, d, ri, rj, us_i, uf_i, us_j, uf_j);
}
#endif

void vm_utilities(size_t n, const double *restrict d, double ri, const double *restrict rj, double *restrict us_i,
                  double *restrict uf_i, double *restrict us_j, double *restrict uf_j)
{
#ifdef PARLEY_AVX2_KERNEL
    if (__builtin_cpu_supports("avx2")) {
        utilities_avx2(n, d, ri, rj, us_i, uf_i, us_j, uf_j);
        return;
    }
#endif
    utilities_loop(n, d, ri, rj, us_i, uf_i, us_j, uf_j);
}
