/* protocol.h (internal) - what the negotiation protocol models (saop, zeuthen) share: the outcome space of
 * a group of issues, enumerated, and each party's utility of every outcome. */
#ifndef PARLEY_MODELS_PROTOCOL_H
#define PARLEY_MODELS_PROTOCOL_H

#include "model.h"
#include "parley/utility.h"

/* The most outcomes a negotiation may enumerate: beyond it the model says so instead of running. */
#define PR_MAX_OUTCOMES 20000000u

/* The outcomes of a group of issues: the Cartesian product of each issue's values, first issue slowest. */
typedef struct space {
    size_t k;           /* issues of the group */
    const size_t *iss;  /* their scenario indices (not owned) */
    size_t *nv;         /* values per issue */
    double **vals;      /* the values: option indices, whole numbers, or points of a scale */
    size_t n;           /* outcomes */
} space;

/* Enumerates the values of the k issues iss of s: every option, every whole number, or a scale's grid
 * (the file's, else every actor position and the reference point). Returns PARLEY_OK, PARLEY_E_NOMEM, or
 * PARLEY_E_MODEL / PARLEY_E_LIMIT with err filled (model names the caller); free with pr_space_free. */
parley_status pr_space_init(space *sp, const parley_scenario *s, const size_t *iss, size_t k, const char *model,
                            parley_error *err);
void pr_space_free(space *sp);
/* Writes outcome o's value of every scenario issue into x (NaN outside the group). */
void pr_decode(const space *sp, size_t o, double *x, size_t n_issues);
/* Fills u[0..sp->n) with actor's utility of each outcome (summed over the issues in order, as NegMAS
 * adds them, so that equal utilities stay exactly equal) and sets *worst and *best. Returns false when
 * out of memory. */
bool pr_utilities(const parley_scenario *s, const space *sp, size_t actor, parley_utility_shape shape, double *u,
                  double *worst, double *best);
/* Writes the actors taking part in some issue of the group into actors (room for every actor); returns
 * how many. */
size_t pr_parties(const parley_scenario *s, const size_t *iss, size_t k, size_t *actors);

#endif
