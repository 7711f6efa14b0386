/* backtest.h - scoring models against decisions with known outcomes (e.g. the DEU III data).
 *
 * Ownership: parley_capabilities_read and parley_backtest_run return objects the caller frees with the
 * matching _free function. A backtest borrows nothing from its inputs.
 *
 * Threads: capabilities and a finished backtest are read-only: share them freely. One backtest run uses
 * the library's worker threads itself (PARLEY_THREADS). */
#ifndef PARLEY_BACKTEST_H
#define PARLEY_BACKTEST_H

#include "parley/api.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/model.h"
#include "parley/result.h"
#include "parley/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Capability weights per actor, read from a CSV with the header `actor,weight` and optional `from,to`
 * columns (ISO dates, inclusive; blank = open) for weights that change over time. */
typedef struct parley_capabilities parley_capabilities;

PARLEY_API parley_status parley_capabilities_read(const char *path, parley_capabilities **out, parley_error *err);
/* Returns capabilities that keep the scenario's own: each actor's capability and each stance's override,
 * as parley forecast uses them (what `parley backtest` does without --capabilities). Freed with
 * parley_capabilities_free; NULL when out of memory. A backtest labels them "the scenario's own", or
 * "equal" when every stance's capability is the same (as in a DEU III file, which has none: all 1). */
PARLEY_API parley_capabilities *parley_capabilities_own(void);
PARLEY_API void parley_capabilities_free(parley_capabilities *c);

typedef struct parley_backtest parley_backtest;

/* Runs plan on every issue of s that has a known outcome. caps NULL gives every actor weight 1 (equal
 * capabilities); parley_capabilities_own() keeps the scenario's; otherwise each actor gets its weight for
 * the issue's date. Returns PARLEY_OK and sets
 * *out, or a status with err filled (an actor missing from caps is a warning: it keeps weight 1). */
PARLEY_API parley_status parley_backtest_run(const parley_scenario *s, const parley_plan *plan, const parley_capabilities *caps,
                                  uint64_t seed, parley_backtest **out, parley_error *err);
/* parley_backtest_run with run options (NULL: the defaults): o->threads caps the workers, and o->cancel,
 * when set, stops the run at its next round (PARLEY_E_CANCELLED, *out NULL; see docs/threads.md). */
PARLEY_API parley_status parley_backtest_run_with(const parley_scenario *s, const parley_plan *plan,
                                                  const parley_capabilities *caps, uint64_t seed,
                                                  const parley_run_options *o, parley_backtest **out, parley_error *err);
PARLEY_API void parley_backtest_free(parley_backtest *b);

/* Per model (plan entry): the issues scored, the mean and the median absolute error (NaN when none). */
PARLEY_API size_t parley_backtest_model_count(const parley_backtest *b);
PARLEY_API void parley_backtest_summary(const parley_backtest *b, size_t model, size_t *scored, double *mae, double *median_ae);
/* Returns the number of issues with a known outcome, and for one of them (i) and a model its forecast
 * (NaN when the model gave none) and outcome. */
PARLEY_API size_t parley_backtest_issue_count(const parley_backtest *b);
PARLEY_API void parley_backtest_issue(const parley_backtest *b, size_t i, size_t model, const char **issue_id, double *forecast,
                           double *outcome);

/* The label of model m as the plan gives it (options included), the capabilities used ("equal", "the
 * scenario's own" or "from FILE"), and the result the forecasts came from (its seed and resolved options are the provenance); all
 * owned by b. */
PARLEY_API const char *parley_backtest_model_label(const parley_backtest *b, size_t model);
PARLEY_API const char *parley_backtest_capabilities(const parley_backtest *b);
PARLEY_API const parley_result *parley_backtest_result(const parley_backtest *b);

/* Writes the backtest as "text", "json" or "csv" (src/report/backtest.c); returns a malloc'd text or NULL with err filled. */
PARLEY_API char *parley_backtest_report(const parley_scenario *s, const parley_backtest *b, const char *format, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
