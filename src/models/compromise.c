/* compromise.c - the compromise model: the capability x salience weighted mean of positions. */
#include <math.h>

#include "../core/stats.h"
#include "classic.h"

static double compromise_issue(const parley_scenario *s, size_t issue, const pm_options *o, const double *x,
                               const double *w, size_t m, void *scratch, const char **note)
{
    (void)s, (void)issue, (void)o, (void)scratch;
    double v = st_wmean(x, w, m);
    if (isnan(v)) {
        /* Nobody carries weight: every participant counts the same rather than no forecast at all. */
        *note = "every participant has zero capability or salience; the unweighted mean is given";
        double sum = 0;
        for (size_t i = 0; i < m; i++) sum += x[i];
        v = sum / (double)m;
    }
    return v;
}

static parley_status compromise_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                    parley_error *err)
{
    (void)rng, (void)err;
    return classic_run(s, o, out, compromise_issue, 0);
}

const struct parley_model pm_compromise = {
    .name = "compromise",
    .summary = "capability x salience weighted mean of positions (the compromise model)",
    .run = compromise_run,
    .scope = PARLEY_SCOPE_ISSUE,
    .records = 0,
};
