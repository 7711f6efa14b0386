/* toy_model.c - "midrange", a toy model for tests/toy/test_toy.c: the middle of the participants'
 * extreme positions, reached in `rounds` equal steps. It exists to show that a model is one file and one
 * line of the registry's table (added at build time with PARLEY_EXTRA_MODELS, see tests/CMakeLists.txt):
 * nothing outside this file names it, and the writers show its rounds because its traits say it has them. */
#include <math.h>
#include <stdlib.h>

#include "models/model.h"

enum { OPT_ROUNDS, OPT_COUNT };

static const parley_option_spec midrange_options[OPT_COUNT] = {
    {"rounds", PARLEY_OPTION_INTEGER, "1", NULL, 1, 20, "rounds the actors take to walk to the midrange, in equal steps"},
};

static const parley_preset midrange_presets[] = {
    {"slow", "rounds=10", "ten rounds instead of one"},
};

/* One issue: round 0 is the input, round t has every participant t/R of the way to the midrange. */
static parley_status midrange_issue(const parley_scenario *s, size_t issue, const pm_options *o, parley_rng *rng,
                                    pm_out *out, parley_error *err)
{
    (void)rng, (void)err;
    size_t n = parley_scenario_actor_count(s);
    double *x = malloc((n ? n : 1) * sizeof *x), *w = malloc((n ? n : 1) * sizeof *w), *pos = malloc((n ? n : 1) * sizeof *pos);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    parley_status st = x && w && pos && idx ? PARLEY_OK : PARLEY_E_NOMEM;
    size_t m = st == PARLEY_OK ? pm_participants(s, issue, x, w, idx) : 0;
    if (st == PARLEY_OK && m == 0) st = pm_forecast(out, issue, NAN, "no actor takes part");
    else if (st == PARLEY_OK) {
        double lo = x[0], hi = x[0];
        for (size_t i = 1; i < m; i++) lo = fmin(lo, x[i]), hi = fmax(hi, x[i]);
        double mid = lo / 2 + hi / 2; /* halves: no overflow at the ends of the widest scale */
        int rounds = (int)o->v[OPT_ROUNDS];
        for (int t = 0; t <= rounds && st == PARLEY_OK; t++) {
            for (size_t a = 0; a < n; a++) pos[a] = NAN;
            for (size_t i = 0; i < m; i++) pos[idx[i]] = x[i] + (mid - x[i]) * t / rounds;
            st = pm_round(out, issue, t, pos, NULL);
        }
        if (st == PARLEY_OK) st = pm_forecast(out, issue, mid, "the middle of the most extreme positions");
    }
    free(x), free(w), free(pos), free(idx);
    return st;
}

static parley_status midrange_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                  parley_error *err)
{
    (void)rng;
    return pm_for_each_issue(s, o, out, midrange_issue, err);
}

const struct parley_model pm_midrange = {
    .name = "midrange",
    .summary = "the middle of the participants' most extreme positions (a toy model of the tests)",
    .options = midrange_options,
    .n_options = OPT_COUNT,
    .presets = midrange_presets,
    .n_presets = sizeof midrange_presets / sizeof *midrange_presets,
    .run = midrange_run,
    .scope = PARLEY_SCOPE_ISSUE,
    .records = PARLEY_RECORDS_ROUNDS,
};
