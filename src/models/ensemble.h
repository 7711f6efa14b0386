/* ensemble.h (internal) - the ensemble's predictive distribution of one issue.
 *
 * One issue's distribution (docs/models/ensemble.md): atoms on the distinct positions of the actors that
 * carry weight and on the reference point, each weighted by its closeness to the centre m (the average of
 * the compromise and the linear worst-disagreement Nash forecasts), plus a truncated Laplace part centred
 * on m. Four parameters (h, beta, tau, s) shape it; they are fitted by a grid search on issues with known
 * outcomes, and scored by leave-one-proposal-out cross-validation. Nothing here is random. */
#ifndef PARLEY_MODELS_ENSEMBLE_H
#define PARLEY_MODELS_ENSEMBLE_H

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

#endif
