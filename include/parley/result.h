/* result.h - what a run produced: forecasts per model and issue, and per-round states.
 *
 * Ownership: parley_run returns a result the caller frees with parley_result_free. A result borrows
 * nothing: it can outlive its scenario and plan, though writers take the scenario to name actors and
 * issues. Getters return pointers owned by the result.
 *
 * Threads: a result is not changed after parley_run returns it: any number of threads may read it. */
#ifndef PARLEY_RESULT_H
#define PARLEY_RESULT_H

#include "parley/api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parley_result parley_result;

PARLEY_API void parley_result_free(parley_result *r);

PARLEY_API uint64_t parley_result_seed(const parley_result *r);

/* Runs: one per plan entry, in plan order. */
PARLEY_API size_t parley_result_run_count(const parley_result *r);
PARLEY_API const char *parley_result_run_model(const parley_result *r, size_t run);
PARLEY_API const char *parley_result_run_preset(const parley_result *r, size_t run); /* NULL when none */
/* A label for people: the model, its preset and the options that differ from them ("bdm,rounds=5"). */
PARLEY_API const char *parley_result_run_label(const parley_result *r, size_t run);
PARLEY_API size_t parley_result_run_option_count(const parley_result *r, size_t run);
/* Sets *name and *value of a resolved option; returns false past the end. */
PARLEY_API bool parley_result_run_option(const parley_result *r, size_t run, size_t i, const char **name, const char **value);

/* Forecasts: one per run and issue, in run then issue order. The value is NaN when the model gives the
 * issue no forecast (no actor takes part, say); note then says why, and may explain a value too. */
PARLEY_API size_t parley_result_forecast_count(const parley_result *r);
PARLEY_API bool parley_result_forecast(const parley_result *r, size_t i, size_t *run, size_t *issue, double *value,
                            const char **note);
/* Returns the forecast of run for issue (NaN when none). */
PARLEY_API double parley_result_value(const parley_result *r, size_t run, size_t issue);

/* Predictive distributions. A run may give a forecast a whole distribution of where the outcome lands
 * (the ensemble model does; point models do not): its value is then the distribution's median. */
#define PARLEY_QUANTILE_COUNT 7
/* Level i of the quantiles every output reports (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95) and its JSON key
 * ("0.05", "0.1", ... "0.95"); NaN and NULL past the end. */
PARLEY_API double parley_quantile_level(size_t i);
PARLEY_API const char *parley_quantile_key(size_t i);
/* Returns whether run gives issue a predictive distribution. */
PARLEY_API bool parley_result_has_distribution(const parley_result *r, size_t run, size_t issue);
/* Returns the q-quantile of that distribution: the smallest v with P(outcome <= v) >= q (q in [0, 1]);
 * NaN when there is no distribution or q is out of range. */
PARLEY_API double parley_result_quantile(const parley_result *r, size_t run, size_t issue, double q);
/* Returns P(outcome <= v); NaN when there is no distribution. */
PARLEY_API double parley_result_cdf(const parley_result *r, size_t run, size_t issue, double v);
/* Sets *lo and *hi to the central interval holding `level` of the mass (0.8: the 0.1 and 0.9 quantiles);
 * both NaN when there is no distribution. */
PARLEY_API void parley_result_interval(const parley_result *r, size_t run, size_t issue, double level, double *lo,
                                       double *hi);
/* Returns the probability that the outcome stays at the issue's reference point (the mass of the
 * distribution there); NaN when there is no distribution or the issue has no reference point. */
PARLEY_API double parley_result_p_reference(const parley_result *r, size_t run, size_t issue);
/* The distribution's point masses, ascending by value: their number, and atom i's value and probability
 * (false past the end). */
PARLEY_API size_t parley_result_atom_count(const parley_result *r, size_t run, size_t issue);
PARLEY_API bool parley_result_atom(const parley_result *r, size_t run, size_t issue, size_t i, double *value, double *p);
/* Returns the continuous ranked probability score of run's forecast of issue against the outcome y (on the
 * issue's scale): exact for a distribution, |value - y| for a point forecast (a point mass); NaN when the
 * run gives the issue no forecast. Lower is better; it is in the scale's units. */
PARLEY_API double parley_result_crps(const parley_result *r, size_t run, size_t issue, double y);
/* Returns the headline run: the first run that gives distributions (the ensemble, first in the default
 * plan); SIZE_MAX when no run does. */
PARLEY_API size_t parley_result_headline(const parley_result *r);

/* Rounds of round-based models: round 0 is the input state. positions has one entry per actor of the
 * scenario, NaN for actors that take no part in the issue. */
PARLEY_API size_t parley_result_round_count(const parley_result *r);
PARLEY_API bool parley_result_round(const parley_result *r, size_t i, size_t *run, size_t *issue, int *round, double *median,
                         double *mean, const double **positions);
/* Returns round i's risk exponents (one per actor, NaN = takes no part), or NULL when the model has none. */
PARLEY_API const double *parley_result_round_risk(const parley_result *r, size_t i);

/* Round i's voting positions (exchange model: what actors vote after their trades; one per actor, NaN =
 * takes no part) and the round's outcome (the exchange model's voting outcome); NULL and NaN when none. */
PARLEY_API const double *parley_result_round_voting(const parley_result *r, size_t i);
PARLEY_API double parley_result_round_outcome(const parley_result *r, size_t i);
/* Round i's win probabilities (smp: the chance that each actor's position wins an election among the
 * distinct positions of that round; one per actor, NaN = takes no part), or NULL when none. */
PARLEY_API const double *parley_result_round_win(const parley_result *r, size_t i);

/* An executed trade of the exchange model: in a round (index = execution order), actor i gives ground on
 * issue i_supply (moving its vote from i_x to i_y) and actor j on j_supply (j_x to j_y); each gains `gain`.
 * Positions are on the issues' own scales; actor and issue are indices of the scenario. */
typedef struct parley_exchange {
    size_t run;
    int round, index;
    size_t i, i_supply;
    double i_x, i_y;
    size_t j, j_supply;
    double j_x, j_y, gain;
} parley_exchange;

PARLEY_API size_t parley_result_exchange_count(const parley_result *r);
PARLEY_API bool parley_result_exchange(const parley_result *r, size_t i, parley_exchange *out);

/* What a round's trades did to an actor's utility: `own` from the trades it made, `inner` from trades of
 * others on its side of the issues (the two groups that traded), `outer` from the rest. */
typedef struct parley_externality {
    size_t run;
    int round;
    size_t actor;
    double own, inner, outer;
} parley_externality;

PARLEY_API size_t parley_result_externality_count(const parley_result *r);
PARLEY_API bool parley_result_externality(const parley_result *r, size_t i, parley_externality *out);

/* The pressure map of challenge models: in a round, actor `from` presses actor `to`. The region says how
 * the dyad stands from `to`'s point of view (see docs/models/bdm.md); offer is the position `to` would
 * move to (NaN when none) and accepted whether `to` took it. */
typedef enum parley_region {
    PARLEY_REGION_CONFLICT = 0,   /* both expect to gain from a challenge */
    PARLEY_REGION_COMPROMISE,     /* `from` has the upper hand; `to` gives part of the way */
    PARLEY_REGION_CAPITULATION,   /* `from` has the upper hand; `to` gives in fully */
    PARLEY_REGION_STALEMATE,      /* neither expects to gain */
    PARLEY_REGION_UPPER_HAND      /* `to` has the upper hand: `from` cannot press it */
} parley_region;

typedef struct parley_challenge {
    size_t run, issue;
    int round;
    size_t from, to; /* actor indices of the scenario */
    parley_region region;
    double offer;
    bool accepted;
} parley_challenge;

PARLEY_API size_t parley_result_challenge_count(const parley_result *r);
/* Returns how many challenges the models made that the result does not list: the bounded pressure map
 * (a run without PARLEY_RUN_FULL_DETAIL) keeps, per round, issue and pressed actor, the challenges it
 * accepted and its strongest other one. 0 for a run with full detail. */
PARLEY_API size_t parley_result_challenges_left_out(const parley_result *r);
/* Fills *out with challenge i; returns false past the end. */
PARLEY_API bool parley_result_challenge(const parley_result *r, size_t i, parley_challenge *out);
/* Returns "conflict", "compromise", "capitulation", "stalemate" or "upper_hand". */
PARLEY_API const char *parley_region_name(parley_region region);

/* A negotiation protocol's run (saop, zeuthen, mediated): the agreement (one value per issue, NaN on an
 * issue outside the negotiation; NULL for no agreement), each actor's utility of it (of no agreement: its
 * reservation value; NaN = takes no part), the steps executed (an agreement in the first step gives 1)
 * and the number of events in its trace. */
typedef struct parley_negotiation {
    size_t run;
    const char *preset; /* the protocol's semantics ("genius", "negmas"), or NULL */
    const double *agreement;
    const double *utilities;
    int steps;
    size_t n_events;
} parley_negotiation;

/* What a party does in a protocol's step. */
typedef enum parley_action {
    PARLEY_ACTION_OFFER = 0, /* proposes an outcome (in saop, it also accepts it) */
    PARLEY_ACTION_ACCEPT,    /* accepts the outstanding offer, or votes for the mediator's text */
    PARLEY_ACTION_REJECT,    /* votes against the mediator's text */
    PARLEY_ACTION_END        /* walks away: no agreement */
} parley_action;

/* One event of a trace: at `step` (0-based), `actor` took `action` on `offer` (one value per issue),
 * whose utility to each actor is `utilities` (NaN = takes no part). */
typedef struct parley_negotiation_event {
    int step;
    size_t actor;
    parley_action action;
    const double *offer;
    const double *utilities;
} parley_negotiation_event;

PARLEY_API size_t parley_result_negotiation_count(const parley_result *r);
/* Fills *out with negotiation i; returns false past the end. The pointers live as long as r. */
PARLEY_API bool parley_result_negotiation(const parley_result *r, size_t i, parley_negotiation *out);
/* Fills *out with event j of negotiation i's trace; returns false past the end. */
PARLEY_API bool parley_result_negotiation_event(const parley_result *r, size_t i, size_t j, parley_negotiation_event *out);
/* Returns "offer", "accept", "reject" or "end"; NULL for anything else. */
PARLEY_API const char *parley_action_name(parley_action a);

#ifdef __cplusplus
}
#endif
#endif
