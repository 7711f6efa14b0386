/* predictive.c - a predictive distribution (atoms plus a truncated Laplace part): CDF, quantiles, CRPS. */
#include "predictive.h"

#include <math.h>

#include "error_internal.h"

const double pd_levels[PD_LEVEL_COUNT] = {0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95};

/* A cumulative mass this close to a level reaches it: two symmetric atoms of 0.5 each sum to 0.5 only up
 * to rounding, and the median must still be the first of them. */
#define PD_TOL 1e-12

/* The untruncated Laplace distribution function around m, written so that neither branch overflows. */
static double lap(const pd_dist *d, double v)
{
    double t = (v - d->m) / d->b;
    return t < 0 ? 0.5 * exp(t) : 1.0 - 0.5 * exp(-t);
}

/* G(v): the distribution function of the truncated continuous part. */
static double cont_cdf(const pd_dist *d, double v)
{
    if (v <= d->low) return 0.0;
    if (v >= d->high) return 1.0;
    return (lap(d, v) - d->lam_lo) / d->z;
}

/* G^{-1}(u) for u in [0, 1], closed form, kept on the scale. */
static double cont_inv(const pd_dist *d, double u)
{
    double p = d->lam_lo + u * d->z, v;
    if (p <= 0.5) v = p > 0 ? d->m + d->b * log(2.0 * p) : d->low;
    else v = p < 1 ? d->m - d->b * log(2.0 * (1.0 - p)) : d->high;
    return fmin(fmax(v, d->low), d->high);
}

parley_status pd_init(pd_dist *d, const pd_atom *atoms, size_t n, double tau, double m, double b, double low,
                      double high, parley_error *err)
{
    if (!isfinite(low) || !isfinite(high) || !(low <= high))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "scale", "expected finite low <= high, found [%g, %g]", low,
                    high);
    if (!(tau >= 0 && tau <= 1))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "tau", "expected a continuous mass in [0, 1], found %g", tau);
    if (tau > 0 && !(low < high))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "tau",
                    "expected no continuous mass on a scale of zero width, found %g", tau);
    if (tau > 0 && !(isfinite(m) && isfinite(b) && b > 0))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "continuous",
                    "expected a finite centre and a scale > 0, found centre %g, scale %g", m, b);
    double total = tau;
    for (size_t j = 0; j < n; j++) {
        double v = atoms[j].value, p = atoms[j].p;
        if (!(isfinite(v) && v >= low && v <= high))
            return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "atoms",
                        "atom %zu: expected a value on the scale [%g, %g], found %g", j + 1, low, high, v);
        if (j > 0 && !(v > atoms[j - 1].value))
            return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "atoms",
                        "atom %zu: expected values ascending and distinct, found %g after %g", j + 1, v,
                        atoms[j - 1].value);
        if (!(isfinite(p) && p >= 0))
            return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "atoms", "atom %zu: expected a mass >= 0, found %g",
                        j + 1, p);
        total += p;
    }
    if (!(fabs(total - 1.0) <= 1e-9))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "atoms",
                    "expected atoms and continuous part to total 1, found %.12g", total);
    *d = (pd_dist){.atoms = atoms, .n_atoms = n, .tau = tau, .m = m, .b = b, .low = low, .high = high};
    if (tau > 0) {
        d->lam_lo = lap(d, low);
        d->z = lap(d, high) - d->lam_lo;
        /* A centre so far off the scale that the whole Laplace mass on it rounds to 0 has no shape left. */
        if (!(d->z > 0))
            return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "continuous",
                        "expected the Laplace part to put mass on [%g, %g], found centre %g and scale %g", low, high,
                        m, b);
    }
    return PARLEY_OK;
}

double pd_cdf(const pd_dist *d, double v)
{
    double a = 0;
    for (size_t j = 0; j < d->n_atoms && d->atoms[j].value <= v; j++) a += d->atoms[j].p;
    return a + (d->tau > 0 ? d->tau * cont_cdf(d, v) : 0.0);
}

/* Walks the stretches of the scale in order: the continuous stretch before each atom, then the atom (and a
 * last stretch up to high), returning in the first one where F reaches q. */
double pd_quantile(const pd_dist *d, double q)
{
    if (!(q >= 0 && q <= 1)) return NAN;
    double below = 0, start = d->low; /* atom mass left of the stretch; where the stretch starts */
    for (size_t j = 0; j <= d->n_atoms; j++) {
        double x = j < d->n_atoms ? d->atoms[j].value : d->high, p = j < d->n_atoms ? d->atoms[j].p : 0.0;
        double g = d->tau > 0 ? d->tau * cont_cdf(d, x) : 0.0;
        /* on [start, x) F rises continuously from below + tau G(start) to below + tau G(x) */
        if (d->tau > 0 && x > start && below + g >= q - PD_TOL) {
            double u = (q - below) / d->tau;
            double v = cont_inv(d, fmin(fmax(u, 0.0), 1.0));
            return fmin(fmax(v, start), x);
        }
        if (p > 0 && below + p + g >= q - PD_TOL) return x;
        below += p;
        start = x;
    }
    return d->high;
}

double pd_mass_at(const pd_dist *d, double v)
{
    for (size_t j = 0; j < d->n_atoms; j++)
        if (d->atoms[j].value == v) return d->atoms[j].p;
    return 0.0;
}

/* Inserts v into the sorted set c[0..*n) unless it is there. */
static void cut_add(double *c, size_t *n, double v)
{
    size_t i = *n;
    for (size_t k = 0; k < *n; k++)
        if (c[k] == v) return;
    while (i > 0 && c[i - 1] > v) {
        c[i] = c[i - 1];
        i--;
    }
    c[i] = v;
    (*n)++;
}

/* Cuts the scale at y, at m and at every atom: on each piece the atom sum and the step 1{v >= y} are
 * constant and the Laplace part is one exponential, so (F - step)^2 integrates in closed form. The cuts
 * are the atoms merged with the few other points, so nothing is allocated. */
double pd_crps(const pd_dist *d, double y)
{
    if (!(y >= d->low && y <= d->high)) return NAN;
    double extra[4];
    size_t ne = 0;
    cut_add(extra, &ne, d->low);
    cut_add(extra, &ne, d->high);
    cut_add(extra, &ne, y);
    if (d->tau > 0 && d->low < d->m && d->m < d->high) cut_add(extra, &ne, d->m);
    double total = 0, acc = 0; /* acc: atom mass at or below the piece's left end */
    size_t ai = 0, ej = 0, aj = 0;
    bool have = false;
    double u0 = 0;
    for (;;) {
        /* the next cut: the smaller of the next extra point and the next atom */
        double u1;
        if (ej < ne && (aj >= d->n_atoms || extra[ej] <= d->atoms[aj].value)) u1 = extra[ej++];
        else if (aj < d->n_atoms) u1 = d->atoms[aj++].value;
        else break;
        if (have && u1 == u0) continue;
        if (!have) {
            have = true;
            u0 = u1;
            continue;
        }
        while (ai < d->n_atoms && d->atoms[ai].value <= u0) acc += d->atoms[ai++].p;
        double c = acc - (u0 >= y ? 1.0 : 0.0);
        if (d->tau <= 0) {
            total += c * c * (u1 - u0);
        } else {
            /* on (u0, u1), t = v - m: F - step = A + C exp(kappa t), on one side of m */
            double kap, A, C;
            if (0.5 * (u0 + u1) >= d->m) {
                kap = -1.0 / d->b;
                A = c + d->tau * (1.0 - d->lam_lo) / d->z;
                C = -d->tau / (2.0 * d->z);
            } else {
                kap = 1.0 / d->b;
                A = c - d->tau * d->lam_lo / d->z;
                C = d->tau / (2.0 * d->z);
            }
            double e0 = exp(kap * (u0 - d->m)), e1 = exp(kap * (u1 - d->m));
            double i1 = (e1 - e0) / kap, i2 = (e1 * e1 - e0 * e0) / (2.0 * kap);
            total += A * A * (u1 - u0) + 2.0 * A * C * i1 + C * C * i2;
        }
        u0 = u1;
    }
    return total;
}

/* Returns x rounded to 6 decimals when it is within rounding error of that, else x. */
static double snap(double x)
{
    double r = round(x * 1e6) / 1e6;
    return fabs(r - x) <= 1e-15 ? r : x;
}

void pd_central(const pd_dist *d, double level, double *lo, double *hi)
{
    if (!(level >= 0 && level <= 1)) {
        *lo = *hi = NAN;
        return;
    }
    *lo = pd_quantile(d, snap((1.0 - level) / 2.0));
    *hi = pd_quantile(d, snap((1.0 + level) / 2.0));
}

bool pd_covers(const pd_dist *d, double level, double y)
{
    double lo, hi;
    pd_central(d, level, &lo, &hi);
    return lo <= y && y <= hi;
}

double pd_width(const pd_dist *d, double level)
{
    double lo, hi;
    pd_central(d, level, &lo, &hi);
    return hi - lo;
}
