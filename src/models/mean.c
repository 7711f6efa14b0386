/* mean.c - the unweighted mean of the participants' positions: the naive baseline. */
#include "classic.h"

static double mean_issue(const parley_scenario *s, size_t issue, const pm_options *o, const double *x,
                         const double *w, size_t m, void *scratch, const char **note)
{
    (void)s, (void)issue, (void)o, (void)w, (void)scratch, (void)note;
    double sum = 0;
    for (size_t i = 0; i < m; i++) sum += x[i];
    return sum / (double)m;
}

static parley_status mean_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                              parley_error *err)
{
    (void)rng, (void)err;
    return classic_run(s, o, out, mean_issue, 0);
}

const struct parley_model pm_mean = {
    .name = "mean",
    .summary = "unweighted mean of the participants' positions (a naive baseline)",
    .run = mean_run,
    .scope = PARLEY_SCOPE_ISSUE,
    .records = 0,
};
