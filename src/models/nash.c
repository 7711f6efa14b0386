/* nash.c - the asymmetric Nash bargaining solution over the reference point (Achen 2006).
 *
 * Each participant i has ideal point x_i and weight w_i = capability x salience. Its gain from an
 * outcome y over the reference point q is g_i(y) = u(|q - x_i|) - u(|y - x_i|), with u(d) = d^2
 * (quadratic loss, the default) or u(d) = d (linear loss). The forecast maximises
 * sum_i w_i log g_i(y) over the outcomes every weighted participant strictly prefers to q: the
 * interval (max_i (x_i - d_i), min_i (x_i + d_i)) with d_i = |q - x_i|. The objective is strictly
 * concave there, so a golden-section search finds the maximum to machine precision.
 *
 * When no outcome improves on q for everyone (participants on both sides of q, or one at q), the
 * bargain fails and the forecast is q itself: under unanimity the status quo stands. The option
 * `at_reference=exclude` leaves out participants whose ideal point is q (they can gain nothing and
 * would block every deal); the status quo still stands when the others cannot agree. */
#include <math.h>

#include "classic.h"

static const parley_option_spec nash_options[] = {
    {"utility", PARLEY_OPTION_CHOICE, "quadratic", "quadratic|linear", 0, 0,
     "shape of each actor's loss in distance from its ideal point"},
    {"at_reference", PARLEY_OPTION_CHOICE, "block", "block|exclude", 0, 0,
     "participants whose ideal point is the reference point: they block any change, or are left out"},
};

enum { OPT_UTILITY, OPT_AT_REFERENCE };

static double loss(double d, bool quadratic)
{
    return quadratic ? d * d : d;
}

static double objective(double y, double q, const double *x, const double *w, size_t m, bool quadratic)
{
    double sum = 0;
    for (size_t i = 0; i < m; i++) {
        if (!(w[i] > 0)) continue;
        double g = loss(fabs(q - x[i]), quadratic) - loss(fabs(y - x[i]), quadratic);
        if (!(g > 0)) return -INFINITY;
        sum += w[i] * log(g);
    }
    return sum;
}

static double nash_issue(const parley_scenario *s, size_t issue, const pm_options *o, const double *x,
                         const double *w, size_t m, void *scratch, const char **note)
{
    (void)scratch;
    double q = parley_issue_number(s, issue, PARLEY_ISSUE_REFERENCE);
    if (isnan(q)) {
        *note = "the issue has no reference point (status quo), which the Nash solution needs";
        return NAN;
    }
    bool quadratic = o->v[OPT_UTILITY] == 0, exclude = o->v[OPT_AT_REFERENCE] == 1;
    double tol = 1e-12 * fmax(1.0, fabs(parley_issue_number(s, issue, PARLEY_ISSUE_HIGH) -
                                        parley_issue_number(s, issue, PARLEY_ISSUE_LOW)));
    double lo = -INFINITY, hi = INFINITY;
    size_t players = 0;
    for (size_t i = 0; i < m; i++) {
        if (!(w[i] > 0)) continue;
        double d = fabs(q - x[i]);
        if (d <= tol && exclude) continue;
        players++;
        lo = fmax(lo, x[i] - d);
        hi = fmin(hi, x[i] + d);
    }
    if (players == 0) {
        *note = "no participant can gain over the reference point; the status quo stands";
        return q;
    }
    if (!(hi - lo > tol)) {
        *note = "no outcome improves on the reference point for every participant; the status quo stands";
        return q;
    }
    /* Exclusion is applied by zeroing the weights of participants at q in a local copy. */
    double *wl = (double *)scratch;
    for (size_t i = 0; i < m; i++) wl[i] = (exclude && fabs(q - x[i]) <= tol) ? 0 : w[i];
    const double phi = (sqrt(5.0) - 1) / 2;
    double a = lo, b = hi;
    double c = b - phi * (b - a), d = a + phi * (b - a);
    double fc = objective(c, q, x, wl, m, quadratic), fd = objective(d, q, x, wl, m, quadratic);
    for (int it = 0; it < 200 && b - a > tol; it++) {
        if (fc >= fd) {
            b = d, d = c, fd = fc;
            c = b - phi * (b - a);
            fc = objective(c, q, x, wl, m, quadratic);
        } else {
            a = c, c = d, fc = fd;
            d = a + phi * (b - a);
            fd = objective(d, q, x, wl, m, quadratic);
        }
    }
    return (a + b) / 2;
}

static parley_status nash_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                              parley_error *err)
{
    (void)rng, (void)err;
    return classic_run(s, o, out, nash_issue, sizeof(double));
}

static bool nash_suits(const parley_scenario *s)
{
    for (size_t k = 0; k < parley_scenario_issue_count(s); k++)
        if (!isnan(parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE))) return true;
    return false;
}

const struct parley_model pm_nash = {
    .name = "nash",
    .summary = "asymmetric Nash bargaining solution over the reference point, weights capability x salience",
    .options = nash_options,
    .n_options = sizeof nash_options / sizeof *nash_options,
    .suits = nash_suits,
    .run = nash_run,
};
