/* fit.h - fitting the ensemble's parameters on a batch with known outcomes, and cross-validating the fit. */
#ifndef PARLEY_ANALYSIS_FIT_H
#define PARLEY_ANALYSIS_FIT_H

#include <stdint.h>

#include "../models/ensemble.h"
#include "parley/model.h"

/* A batch of issues with known outcomes, grouped by proposal for cross-validation. */
typedef struct ens_batch {
    size_t n;          /* issues with an outcome */
    ens_issue *issues; /* n */
    double *outcome;   /* n */
    size_t *issue;     /* n: the scenario's index of each */
    size_t *group;     /* n: the proposal of each, 0 .. n_groups - 1 in order of first appearance */
    size_t n_groups;
    size_t without_outcome; /* issues of the scenario left out for want of an outcome */
    size_t max_atoms;       /* the largest issue's candidate count */
} ens_batch;

/* Reads the batch from a finalized scenario: every issue with an outcome, its participants' positions and
 * weights (capability x salience), and the components, got by running the library's models
 * ("compromise,nash,disagreement=worst,utility=linear") as a user would. Issues group by their "prnr"
 * attribute (a DEU proposal), else "prnrnmc", else each issue alone. Returns PARLEY_OK and *out (free
 * with ens_batch_free), or an error in err: PARLEY_E_INVALID when no issue has an outcome or one with an
 * outcome has no participant, a model's error, or PARLEY_E_NOMEM. */
parley_status ens_batch_from_scenario(const parley_scenario *s, ens_batch **out, parley_error *err);
/* ens_batch_from_scenario with the components run from seed with run options o (NULL: defaults). */
parley_status ens_batch_from_scenario_with(const parley_scenario *s, uint64_t seed, const parley_run_options *o,
                                           ens_batch **out, parley_error *err);
void ens_batch_free(ens_batch *b);

/* Figures over scored issues: the median's MAE, mean CRPS, the inclusive coverage of the 50% and 80%
 * central intervals and their mean widths. */
typedef struct ens_figures {
    size_t n;
    double mae, crps, cov50, cov80, width50, width80;
} ens_figures;

/* Scores parameters p (checked by ens_params_check) on every issue of b: the in-sample figures of fixed
 * parameters. Returns PARLEY_OK, or PARLEY_E_NOMEM (and *out is untouched). */
parley_status ens_score(const ens_batch *b, const ens_params *p, ens_figures *out, parley_error *err);

/* The grid searched: every combination of these, h slowest and s fastest (ENS_GRID_POINTS in all). */
#define ENS_GRID_H 10
#define ENS_GRID_BETA 5
#define ENS_GRID_TAU 8
#define ENS_GRID_S 8
#define ENS_GRID_POINTS (ENS_GRID_H * ENS_GRID_BETA * ENS_GRID_TAU * ENS_GRID_S)
/* Returns grid point i (0 <= i < ENS_GRID_POINTS) in grid order. */
ens_params ens_grid_point(size_t i);

/* The objective the fit minimises over training issues, in scale points: mean CRPS + MAE of the median +
 * 100 x (max(0, |cov80 - 0.85| - 0.02) + max(0, |cov50 - 0.55| - 0.03)). */
double ens_objective(double crps, double mae, double cov50, double cov80);

/* Every grid point scored on every issue of a batch once, summed per proposal, so that a fit on all issues
 * but one proposal's costs no new evaluation. */
typedef struct ens_grid ens_grid;

/* Scores every grid point on b (which must outlive the grid). Returns PARLEY_OK or PARLEY_E_NOMEM. */
parley_status ens_grid_new(const ens_batch *b, ens_grid **out, parley_error *err);
void ens_grid_free(ens_grid *g);

/* Returns the grid point minimising ens_objective over every issue outside proposal held_out (SIZE_MAX:
 * over all issues); ties go to the first in grid order (differences within 1e-12 count as ties). */
ens_params ens_grid_select(const ens_grid *g, size_t held_out);

/* Fits the parameters on all of b: ens_grid_select over a fresh grid. PARLEY_OK or PARLEY_E_NOMEM. */
parley_status ens_fit(const ens_batch *b, ens_params *out, parley_error *err);

/* Leave-one-proposal-out cross-validation of the fit: for each proposal, fits on every other proposal's
 * issues and forecasts the proposal's own with those parameters; *out pools the held-out forecasts.
 * fold_params, when not NULL, receives each proposal's parameters (b->n_groups entries). PARLEY_OK, or
 * PARLEY_E_INVALID when b has a single proposal (nothing to fit on), or PARLEY_E_NOMEM. */
parley_status ens_cross_validate(const ens_batch *b, ens_figures *out, ens_params *fold_params, parley_error *err);

/* The grid's values of parameter `param` (0 h, 1 beta, 2 tau, 3 s), *n of them; NULL past the end. */
const double *ens_grid_axis(size_t param, size_t *n);

/* For the fit's writer (src/report/fit.c): what the public getters do not give. */
struct parley_fit;
const char *fit_model(const struct parley_fit *f);
const char *fit_capabilities(const struct parley_fit *f);
uint64_t fit_seed(const struct parley_fit *f);
size_t fit_without_outcome(const struct parley_fit *f);

#endif
