/* result.h - what a run produced: forecasts per model and issue, and per-round states.
 *
 * Ownership: parley_run returns a result the caller frees with parley_result_free. A result borrows
 * nothing: it can outlive its scenario and plan, though writers take the scenario to name actors and
 * issues. Getters return pointers owned by the result. */
#ifndef PARLEY_RESULT_H
#define PARLEY_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parley_result parley_result;

void parley_result_free(parley_result *r);

uint64_t parley_result_seed(const parley_result *r);

/* Runs: one per plan entry, in plan order. */
size_t parley_result_run_count(const parley_result *r);
const char *parley_result_run_model(const parley_result *r, size_t run);
const char *parley_result_run_preset(const parley_result *r, size_t run); /* NULL when none */
size_t parley_result_run_option_count(const parley_result *r, size_t run);
/* Sets *name and *value of a resolved option; returns false past the end. */
bool parley_result_run_option(const parley_result *r, size_t run, size_t i, const char **name, const char **value);

/* Forecasts: one per run and issue, in run then issue order. The value is NaN when the model gives the
 * issue no forecast (no actor takes part, say); note then says why, and may explain a value too. */
size_t parley_result_forecast_count(const parley_result *r);
bool parley_result_forecast(const parley_result *r, size_t i, size_t *run, size_t *issue, double *value,
                            const char **note);
/* Returns the forecast of run for issue (NaN when none). */
double parley_result_value(const parley_result *r, size_t run, size_t issue);

/* Rounds of round-based models: round 0 is the input state. positions has one entry per actor of the
 * scenario, NaN for actors that take no part in the issue. */
size_t parley_result_round_count(const parley_result *r);
bool parley_result_round(const parley_result *r, size_t i, size_t *run, size_t *issue, int *round, double *median,
                         double *mean, const double **positions);

#ifdef __cplusplus
}
#endif
#endif
