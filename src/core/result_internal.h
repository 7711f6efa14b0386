/* result_internal.h - the result's layout, shared by the run loop and the writers. */
#ifndef PARLEY_RESULT_INTERNAL_H
#define PARLEY_RESULT_INTERNAL_H

#include <stdbool.h>

#include "parley/result.h"
#include "predictive.h"
#include "util.h"

typedef struct rs_run {
    char *model, *preset, *label;
    char **opt_names, **opt_values;
    size_t n_opts;
} rs_run;

typedef struct rs_forecast {
    size_t run, issue;
    double value;
    char *note;
    /* A predictive distribution behind the value (the value is then its median), or none. The atoms are
     * owned here (dist.atoms points at them); p_reference is NaN without a reference point. */
    bool has_dist;
    pd_dist dist;
    pd_atom *atoms;
    double p_reference;
} rs_forecast;

typedef struct rs_round {
    size_t run, issue;
    int round;
    double median, mean;
    double *positions; /* one per scenario actor, NaN = takes no part */
    double *risk;      /* risk exponents, same layout; NULL when the model has none */
    double *voting;    /* voting positions (exchange model), same layout; NULL when none */
    double outcome;    /* the round's own outcome (exchange model's vote); NaN when none */
    double *win;       /* the chance that each actor's position wins (smp), same layout; NULL when none */
} rs_round;

typedef struct rs_exchange {
    size_t run;
    int round, index;
    size_t i, i_supply, j, j_supply; /* actor and issue indices */
    double i_x, i_y, j_x, j_y, gain;
} rs_exchange;

typedef struct rs_externality {
    size_t run;
    int round;
    size_t actor;
    double own, inner, outer;
} rs_externality;

typedef struct rs_challenge {
    size_t run, issue;
    int round;
    size_t from, to; /* scenario actor indices: `from` presses `to` */
    int region;      /* parley_region */
    double offer;    /* where `to` would move; NaN = nowhere */
    bool accepted;
} rs_challenge;

/* One action of a negotiation protocol's trace (saop, zeuthen, mediated). */
typedef struct rs_event {
    int step;
    size_t actor;
    int action;         /* parley_action */
    double *offer;      /* one value per issue (NaN = not negotiated here) */
    double *utilities;  /* the offer's utility to each actor (NaN = takes no part) */
} rs_event;

/* A whole negotiation of a protocol model: its agreement (NULL = none), steps and trace. */
typedef struct rs_negotiation {
    size_t run;
    char *preset;
    double *agreement;  /* one value per issue, or NULL for no agreement */
    double *utilities;  /* each actor's utility of the agreement (of no agreement: its reservation) */
    int steps;
    rs_event *events;
    size_t n_events;
} rs_negotiation;

struct parley_result {
    uint64_t seed;
    size_t n_actors;
    rs_run *runs;
    size_t n_runs, cap_runs;
    rs_forecast *forecasts;
    size_t n_forecasts, cap_forecasts;
    rs_round *rounds;
    size_t n_rounds, cap_rounds;
    rs_challenge *challenges;
    size_t n_challenges, cap_challenges;
    size_t challenges_left_out; /* challenges the bounded pressure map did not keep (0 at full detail) */
    rs_exchange *exchanges;
    size_t n_exchanges, cap_exchanges;
    rs_externality *externalities;
    size_t n_externalities, cap_externalities;
    rs_negotiation *negotiations;
    size_t n_negotiations, cap_negotiations;
};

#endif
