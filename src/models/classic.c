/* classic.c - the shared issue loop of the static models. */
#include "classic.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

/* Recomputes the weights of issue's participants as capability x salience divided by the largest such
 * product, from the two factors' binary exponents, so that a product below the smallest double (a
 * salience of 5e-324 times a capability of 0.5) keeps its ratio to the others instead of becoming 0.
 * Only the ratios of the weights matter to these models. */
static void relative_weights(const parley_scenario *s, size_t issue, double *w)
{
    size_t n = parley_scenario_actor_count(s), m = 0;
    int top = INT_MIN;
    for (int pass = 0; pass < 2; pass++) {
        m = 0;
        for (size_t a = 0; a < n; a++) {
            double sal, cap;
            if (!parley_stance(s, a, issue, NULL, &sal, &cap)) continue;
            int es, ec;
            double f = frexp(sal, &es) * frexp(cap, &ec); /* in [0.25, 1), or 0 */
            if (pass == 0 && f > 0 && es + ec > top) top = es + ec;
            if (pass == 1) w[m] = f > 0 ? ldexp(f, es + ec - top) : 0;
            m++;
        }
        if (top == INT_MIN) return; /* every weight is 0 indeed */
    }
}

parley_status classic_run(const parley_scenario *s, const pm_options *o, pm_out *out, classic_fn fn,
                          size_t scratch_per_actor)
{
    size_t n = parley_scenario_actor_count(s);
    double *x = malloc((n ? n : 1) * sizeof *x), *w = malloc((n ? n : 1) * sizeof *w);
    void *scratch = malloc((n ? n : 1) * (scratch_per_actor ? scratch_per_actor : 1));
    parley_status st = x && w && scratch ? PARLEY_OK : PARLEY_E_NOMEM;
    for (size_t k = 0; k < parley_scenario_issue_count(s) && st == PARLEY_OK; k++) {
        size_t m = pm_participants(s, k, x, w, NULL);
        double wmax = 0;
        for (size_t i = 0; i < m; i++) wmax = fmax(wmax, w[i]);
        if (wmax < 0x1p-600) relative_weights(s, k, w); /* never for ordinary numbers: their results stay as they were */
        const char *note = NULL;
        double v = NAN;
        if (m == 0) note = "no actor takes part in this issue";
        else v = fn(s, k, o, x, w, m, scratch, &note);
        st = pm_forecast(out, k, v, note);
    }
    free(x), free(w), free(scratch);
    return st;
}
