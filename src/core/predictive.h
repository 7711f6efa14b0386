/* predictive.h - a predictive distribution on an issue's scale: point masses plus a truncated Laplace part.
 *
 * The distribution of an outcome X on [low, high] is a mixture of
 *   - atoms: point masses p_j at distinct values a_1 < ... < a_K in [low, high], and
 *   - a continuous part of mass tau: a Laplace density centred at m with scale b, truncated to [low, high],
 * with sum p_j + tau = 1. Its distribution function, quantiles (the generalised inverse), the mass at a
 * point, the exact CRPS against an outcome and central intervals are all closed form: no grid, no draws.
 * docs/models/ensemble.md gives the formulas. */
#ifndef PARLEY_PREDICTIVE_H
#define PARLEY_PREDICTIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "parley/error.h"

/* One point mass. */
typedef struct pd_atom {
    double value, p;
} pd_atom;

/* A distribution. Fill it with pd_init; the atoms are the caller's storage and must outlive it. */
typedef struct pd_dist {
    const pd_atom *atoms; /* ascending, distinct values in [low, high], p >= 0 */
    size_t n_atoms;
    double tau;       /* mass of the continuous part, in [0, 1] */
    double m, b;      /* the Laplace part's centre and scale (b > 0 when tau > 0) */
    double low, high; /* the scale */
    double lam_lo, z; /* derived by pd_init: the raw Laplace CDF at low, and its mass on [low, high] */
} pd_dist;

/* The quantile levels every output reports ("0.05" ... "0.95"). */
#define PD_LEVEL_COUNT 7
extern const double pd_levels[PD_LEVEL_COUNT];

/* Sets *d to the mixture of atoms[0..n) and a continuous part of mass tau (Laplace(m, b) truncated to
 * [low, high]), after checking it: finite numbers, low <= high, atoms ascending, distinct and on the
 * scale with p >= 0, tau in [0, 1], b > 0 and low < high when tau > 0, and a total mass of 1 (to 1e-9).
 * Returns PARLEY_OK, or PARLEY_E_INVALID with a diagnostic naming the field, what was expected and what
 * was found (d is then unusable). m may lie off the scale. */
parley_status pd_init(pd_dist *d, const pd_atom *atoms, size_t n, double tau, double m, double b, double low,
                      double high, parley_error *err);

/* Returns P(X <= v): 0 below low, 1 at and above high. */
double pd_cdf(const pd_dist *d, double v);

/* Returns the q-quantile, the smallest v in [low, high] with P(X <= v) >= q, where a cumulative mass that
 * equals q to 1e-12 counts as reaching it (so two atoms of 0.5 have the first as median). Atoms of zero
 * mass are never returned. q must be in [0, 1]; returns NaN otherwise. */
double pd_quantile(const pd_dist *d, double q);

/* Returns the mass of the atom at exactly v (0 when there is none): P(X = v). */
double pd_mass_at(const pd_dist *d, double v);

/* Returns the continuous ranked probability score of d against the outcome y, the integral over
 * [low, high] of (F(v) - 1{v >= y})^2 dv, exactly. y must lie on the scale; returns NaN otherwise.
 * A single atom of mass 1 scores |atom - y|. */
double pd_crps(const pd_dist *d, double y);

/* Sets *lo and *hi to the central interval holding `level` of the mass: the quantiles at (1 - level) / 2
 * and (1 + level) / 2, levels written with up to 6 decimals taken as exact (0.8 gives q(0.1) and q(0.9),
 * not q(0.09999999999999998)). level must be in [0, 1]; both are NaN otherwise. */
void pd_central(const pd_dist *d, double level, double *lo, double *hi);

/* Returns true when the central `level` interval covers y, ends included (as the backtest scores it). */
bool pd_covers(const pd_dist *d, double level, double y);

/* Returns the width of the central `level` interval (0 for a single atom). */
double pd_width(const pd_dist *d, double level);

#endif
