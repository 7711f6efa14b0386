/* nash.c - the asymmetric Nash bargaining solution over the reference point (Achen 2006).
 *
 * Each participant i has ideal point x_i and weight w_i = capability x salience. Its gain from an
 * outcome y over the reference point q is g_i(y) = u(|q - x_i|) - u(|y - x_i|), with u(d) = d^2
 * (quadratic loss, the default) or u(d) = d (linear loss). The forecast maximises
 * sum_i w_i log g_i(y) over the outcomes every weighted participant strictly prefers to q: the
 * interval (max_i (x_i - d_i), min_i (x_i + d_i)) with d_i = |q - x_i|. The objective is strictly
 * concave there, so bisection on its slope finds the maximum to machine precision.
 *
 * When no outcome improves on q for everyone (participants on both sides of q, or one at q), the
 * bargain fails and the forecast is q itself: under unanimity the status quo stands. The option
 * `at_reference=exclude` leaves out participants whose ideal point is q (they can gain nothing and
 * would block every deal); the status quo still stands when the others cannot agree. The option
 * `disagreement=worst` measures gains from each actor's worst outcome on the scale instead of from q:
 * every interior point is then a gain for everyone, and with quadratic loss the solution lies close to
 * the compromise model's weighted mean (Achen's observation). */
#include <math.h>

#include "classic.h"

static const parley_option_spec nash_options[] = {
    {"utility", PARLEY_OPTION_CHOICE, "quadratic", "quadratic|linear", 0, 0,
     "shape of each actor's loss in distance from its ideal point"},
    {"disagreement", PARLEY_OPTION_CHOICE, "reference", "reference|worst", 0, 0,
     "what each actor gets if bargaining fails: the reference point (status quo), or its worst outcome on the scale"},
    {"at_reference", PARLEY_OPTION_CHOICE, "block", "block|exclude", 0, 0,
     "participants whose ideal point is the reference point: they block any change, or are left out"},
};

enum { OPT_UTILITY, OPT_DISAGREEMENT, OPT_AT_REFERENCE };

/* Returns the slope of sum_i w_i log(u(d_i) - u(|y - x_i|)) at y (for linear loss, the mean of the
 * one-sided slopes at a kink). The sum is strictly concave inside the interval where every weighted
 * participant gains, so its slope falls from positive to negative across the maximum. */
static double slope(double y, const double *d, const double *x, const double *w, size_t m, bool quadratic)
{
    double sum = 0;
    for (size_t i = 0; i < m; i++) {
        if (!(w[i] > 0)) continue;
        double dist = y - x[i];
        double ad = fabs(dist);
        double g = quadratic ? d[i] * d[i] - dist * dist : d[i] - ad;
        double du = quadratic ? 2 * dist : (dist > 0) - (dist < 0);
        sum -= w[i] * du / g;
    }
    return sum;
}

static double nash_issue(const parley_scenario *s, size_t issue, const pm_options *o, const double *x,
                         const double *w, size_t m, void *scratch, const char **note)
{
    double q = parley_issue_number(s, issue, PARLEY_ISSUE_REFERENCE);
    double low = parley_issue_number(s, issue, PARLEY_ISSUE_LOW), high = parley_issue_number(s, issue, PARLEY_ISSUE_HIGH);
    bool quadratic = o->v[OPT_UTILITY] == 0, worst = o->v[OPT_DISAGREEMENT] == 1;
    bool exclude = o->v[OPT_AT_REFERENCE] == 1;
    if (isnan(q) && !worst) {
        *note = "the issue has no reference point (status quo), which the Nash solution needs";
        return NAN;
    }
    double tol = 1e-12 * fmax(1.0, fabs(high - low));
    /* d[i]: how far from its ideal point actor i may be pushed before it is worse off than disagreement. */
    double *d = scratch, *wl = d + m;
    double lo = -INFINITY, hi = INFINITY;
    size_t players = 0;
    for (size_t i = 0; i < m; i++) {
        d[i] = worst ? fmax(x[i] - low, high - x[i]) : fabs(q - x[i]);
        wl[i] = w[i];
        if (!(w[i] > 0)) continue;
        if (d[i] <= tol && (exclude || worst)) {
            wl[i] = 0;
            continue;
        }
        players++;
        lo = fmax(lo, x[i] - d[i]);
        hi = fmin(hi, x[i] + d[i]);
    }
    if (worst) lo = fmax(lo, low), hi = fmin(hi, high);
    if (players == 0) {
        *note = worst ? "no participant carries weight" : "no participant can gain over the reference point; the status quo stands";
        return worst ? NAN : q;
    }
    if (!(hi - lo > tol)) {
        *note = "no outcome improves on the reference point for every participant; the status quo stands";
        return q;
    }
    /* Bisection on the slope: exact to the last bits, where a search on the objective's values would
     * stall at the square root of machine precision. */
    double a = lo, b = hi;
    for (int it = 0; it < 2000; it++) {
        double mid = a + (b - a) / 2;
        if (mid <= a || mid >= b) break;
        double sl = slope(mid, d, x, wl, m, quadratic);
        if (sl > 0) a = mid;
        else if (sl < 0) b = mid;
        else return mid;
    }
    return (a + b) / 2;
}

static parley_status nash_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                              parley_error *err)
{
    (void)rng, (void)err;
    return classic_run(s, o, out, nash_issue, 2 * sizeof(double));
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
    .scope = PARLEY_SCOPE_ISSUE,
    .records = 0,
};
