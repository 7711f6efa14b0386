/* classic.h - what the static models share: one loop over issues with scratch arrays. */
#ifndef PARLEY_MODELS_CLASSIC_H
#define PARLEY_MODELS_CLASSIC_H

#include "model.h"

/* Computes one issue's forecast from its participants' positions x and weights w (capability x salience).
 * Returns the value (NaN for none) and may set *note to a static explanation. */
typedef double (*classic_fn)(const parley_scenario *s, size_t issue, const pm_options *o, const double *x,
                             const double *w, size_t m, void *scratch, const char **note);

/* Runs fn over every issue and records its forecasts; issues nobody takes part in get no forecast.
 * scratch_per_actor bytes of scratch per actor are handed to fn. Returns PARLEY_OK or PARLEY_E_NOMEM. */
parley_status classic_run(const parley_scenario *s, const pm_options *o, pm_out *out, classic_fn fn,
                          size_t scratch_per_actor);

#endif
