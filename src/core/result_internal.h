/* result_internal.h - the result's layout, shared by the run loop and the writers. */
#ifndef PARLEY_RESULT_INTERNAL_H
#define PARLEY_RESULT_INTERNAL_H

#include <stdbool.h>

#include "parley/result.h"
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
} rs_forecast;

typedef struct rs_round {
    size_t run, issue;
    int round;
    double median, mean;
    double *positions; /* one per scenario actor, NaN = takes no part */
    double *risk;      /* risk exponents, same layout; NULL when the model has none */
} rs_round;

typedef struct rs_challenge {
    size_t run, issue;
    int round;
    size_t from, to; /* scenario actor indices: `from` presses `to` */
    int region;      /* parley_region */
    double offer;    /* where `to` would move; NaN = nowhere */
    bool accepted;
} rs_challenge;

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
};

#endif
