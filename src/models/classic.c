/* classic.c - the shared issue loop of the static models. */
#include "classic.h"

#include <math.h>
#include <stdlib.h>

parley_status classic_run(const parley_scenario *s, const pm_options *o, pm_out *out, classic_fn fn,
                          size_t scratch_per_actor)
{
    size_t n = parley_scenario_actor_count(s);
    double *x = malloc((n ? n : 1) * sizeof *x), *w = malloc((n ? n : 1) * sizeof *w);
    void *scratch = malloc((n ? n : 1) * (scratch_per_actor ? scratch_per_actor : 1));
    parley_status st = x && w && scratch ? PARLEY_OK : PARLEY_E_NOMEM;
    for (size_t k = 0; k < parley_scenario_issue_count(s) && st == PARLEY_OK; k++) {
        size_t m = pm_participants(s, k, x, w, NULL);
        const char *note = NULL;
        double v = NAN;
        if (m == 0) note = "no actor takes part in this issue";
        else v = fn(s, k, o, x, w, m, scratch, &note);
        st = pm_forecast(out, k, v, note);
    }
    free(x), free(w), free(scratch);
    return st;
}
