/* median.c - the median model: the capability x salience weighted median of positions. */
#include <math.h>

#include "../core/stats.h"
#include "classic.h"

static const parley_option_spec median_options[] = {
    {"tie", PARLEY_OPTION_CHOICE, "lower", "lower|upper|midpoint", 0, 0,
     "when the weight splits exactly in half between two positions: take the lower, the upper, or their midpoint"},
};

static double median_issue(const parley_scenario *s, size_t issue, const pm_options *o, const double *x,
                           const double *w, size_t m, void *scratch, const char **note)
{
    (void)s, (void)issue;
    st_pair *pairs = scratch;
    double v = st_wmedian(x, w, m, (st_tie)o->v[0], pairs);
    if (isnan(v)) {
        /* Nobody carries weight: every participant counts the same rather than no forecast at all. */
        double *ones = (double *)(pairs + m);
        for (size_t i = 0; i < m; i++) ones[i] = 1;
        *note = "every participant has zero capability or salience; the unweighted median is given";
        v = st_wmedian(x, ones, m, (st_tie)o->v[0], pairs);
    }
    return v;
}

static parley_status median_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                parley_error *err)
{
    (void)rng, (void)err;
    return classic_run(s, o, out, median_issue, sizeof(st_pair) + sizeof(double));
}

const struct parley_model pm_median = {
    .name = "median",
    .summary = "capability x salience weighted median of positions (the median voter)",
    .options = median_options,
    .n_options = sizeof median_options / sizeof *median_options,
    .run = median_run,
    .scope = PARLEY_SCOPE_ISSUE,
    .records = 0,
};
