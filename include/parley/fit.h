/* fit.h - fitting a model's parameters on decisions with known outcomes, and cross-validating the fit.
 *
 * Today one model has parameters fitted on data: the ensemble (docs/models/ensemble.md). Its parameters
 * fitted on DEU III dev are built into the library; parley_fit_run refits them on any batch with known
 * outcomes, and parley_fit_report writes them as the JSON file `ensemble,params=FILE` reads.
 *
 * Ownership: parley_fit_run returns a fit the caller frees with parley_fit_free; it borrows nothing.
 * Threads: a finished fit is read-only. */
#ifndef PARLEY_FIT_H
#define PARLEY_FIT_H

#include "parley/api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/backtest.h"
#include "parley/error.h"
#include "parley/model.h"
#include "parley/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parley_fit parley_fit;

/* Fits model's parameters (only "ensemble" has any; another name is PARLEY_E_USAGE) on every issue of s
 * with a known outcome, after giving every actor its capability from caps as parley_backtest_run does
 * (NULL: equal capabilities), and cross-validates the fit leaving one proposal out at a time (a DEU
 * proposal's issues are never split; an issue outside any proposal is a fold of its own). The fit is a
 * grid search and draws nothing: the same input gives the same parameters; seed feeds the component
 * models' runs and is recorded. o: threads and cancel, as for parley_run_with (NULL: defaults). Returns
 * PARLEY_OK and *out, or a status with err filled (PARLEY_E_INVALID when no issue has an outcome). */
PARLEY_API parley_status parley_fit_run(const parley_scenario *s, const char *model, const parley_capabilities *caps,
                                        uint64_t seed, const parley_run_options *o, parley_fit **out, parley_error *err);
PARLEY_API void parley_fit_free(parley_fit *f);

/* The fitted parameters: their number, and parameter i's name (an option of the model) and value. */
PARLEY_API size_t parley_fit_param_count(const parley_fit *f);
PARLEY_API bool parley_fit_param(const parley_fit *f, size_t i, const char **name, double *value);

/* Figures of the fit's predictive distributions: issues scored, folds (proposals; 0 in sample), the
 * median's mean absolute error, the mean CRPS, the inclusive coverage of the central 50% and 80% intervals
 * and their mean widths. */
typedef struct parley_fit_figures {
    size_t issues, folds;
    double mae, crps, cov50, cov80, width50, width80;
} parley_fit_figures;
/* Sets *out to the figures of the fitted parameters on all issues (in sample), or to the pooled held-out
 * figures of the cross-validation (every fold refitted on the others; all NaN when there is a single
 * proposal, with nothing to fit on). */
PARLEY_API void parley_fit_in_sample(const parley_fit *f, parley_fit_figures *out);
PARLEY_API void parley_fit_cross_validated(const parley_fit *f, parley_fit_figures *out);

/* Writes the fit as JSON: version, schema version, input (path, format, SHA-256), the model, "params"
 * (what `MODEL,params=FILE` reads), and provenance (capabilities, issues, folds, seed, grid, objective)
 * with the in-sample and cross-validated figures. Returns a malloc'd text, or NULL with err filled. */
PARLEY_API char *parley_fit_report(const parley_scenario *s, const parley_fit *f, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
