/* ensemble.h - the ensemble's predictive distribution of one issue, and its fit on a batch with outcomes.
 *
 * One issue's distribution (docs/models/ensemble.md): atoms on the distinct positions of the actors that
 * carry weight and on the reference point, each weighted by its closeness to the centre m (the average of
 * the compromise and the linear worst-disagreement Nash forecasts), plus a truncated Laplace part centred
 * on m. Four parameters (h, beta, tau, s) shape it; they are fitted by a grid search on issues with known
 * outcomes, and scored by leave-one-proposal-out cross-validation. Nothing here is random. */
#ifndef PARLEY_ENSEMBLE_H
#define PARLEY_ENSEMBLE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/predictive.h"
#include "parley/error.h"
#include "parley/scenario.h"

/* The parameters; the lengths are fractions of the scale's width. */
typedef struct ens_params {
    double h;    /* atom kernel bandwidth: an atom's raw weight x exp(-|v - m| / (h width)); > 0 */
    double beta; /* raw weight added to the reference point's atom (each distinct position has 1); >= 0 */
    double tau;  /* mass of the continuous part, in [0, 1] */
    double s;    /* scale of the truncated Laplace part; > 0 */
} ens_params;

/* The parameters fitted on all of DEU III dev (equal capabilities) by ens_fit. */
extern const ens_params ens_fitted;

/* Returns PARLEY_OK when every parameter is in its range, else PARLEY_E_INVALID naming the first one out. */
parley_status ens_params_check(const ens_params *p, parley_error *err);

/* One issue's inputs, fixed whatever the parameters. */
typedef struct ens_issue {
    double low, high;  /* the scale */
    double reference;  /* NaN when there is none */
    double compromise; /* the `compromise` forecast */
    double nash;       /* `nash,disagreement=worst,utility=linear`; NaN when undefined */
    double m;          /* the centre: (compromise + nash) / 2, or the compromise alone when nash is NaN */
    size_t n;          /* atom candidates: distinct positions of weighted actors (of all actors when none
                        * carries weight), then the reference point when it is no such position */
    double *values;    /* the candidates, in that order (first occurrence), which is the order weights sum in */
    double *raw;       /* 1 for a position, 0 for a reference point that is no position */
    size_t ref;        /* index of the reference point among the candidates; SIZE_MAX when none */
    size_t *order;     /* the candidates' indices by ascending value */
} ens_issue;

/* Fills *e from the n >= 1 participants' positions x and weights w (capability x salience, >= 0), the
 * scale, the reference point (NaN: none) and the two component forecasts (nash NaN: undefined). Returns
 * PARLEY_OK, PARLEY_E_INVALID (no participant, a NaN, a negative weight, a position or reference off the
 * scale, a NaN compromise) or PARLEY_E_NOMEM; on failure *e holds nothing to free. */
parley_status ens_issue_init(ens_issue *e, const double *x, const double *w, size_t n, double low, double high,
                             double reference, double compromise, double nash, parley_error *err);
void ens_issue_free(ens_issue *e);

/* Builds the issue's distribution for parameters p (checked by ens_params_check) into *out, with its atoms
 * in atoms, which must hold e->n entries and outlive *out. A scale of zero width puts all the mass on the
 * atoms. Cannot fail. */
void ens_build(const ens_issue *e, const ens_params *p, pd_atom *atoms, pd_dist *out);

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

#endif
