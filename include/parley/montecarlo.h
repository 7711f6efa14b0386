/* montecarlo.h - forecasts under uncertainty: many draws of a scenario's uncertain numbers, every model
 * of a plan run on each draw, and the distribution of each forecast.
 *
 * Draw i seeds its own generator from (seed, i), samples every uncertain number in scenario order, and
 * runs the plan with a seed taken from that generator. Results are stored by draw index and summarised in
 * draw order, so they are the same for any number of threads, and for any split of the draws across
 * processes (MPI) that puts each draw's outputs back in its slot.
 *
 * Threads: the draws run on the process's shared pool (docs/threads.md). A parley_mc is not safe to share
 * between threads while parley_mc_run or parley_mc_mark_done changes it; its getters and summaries may
 * be called from many threads at once when nothing changes it. */
#ifndef PARLEY_MONTECARLO_H
#define PARLEY_MONTECARLO_H

#include "parley/api.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/model.h"
#include "parley/report.h" /* its reports: kept reachable from here for code that found them here */
#include "parley/result.h"
#include "parley/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PARLEY_MAX_DRAWS 10000000u

typedef struct parley_mc parley_mc;

typedef struct parley_mc_options {
    size_t threads;     /* 0: PARLEY_THREADS, else one per core */
    /* Called from the calling thread about ten times a second with the draws done so far; may be NULL. */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    /* When non-NULL and set non-zero (from another thread, or a signal handler: storing to the flag is
     * async-signal-safe), no new draw starts and the draws under way stop at their next round; those are
     * not counted as done. */
    volatile int *cancel;
} parley_mc_options;

/* Prepares draws of s under plan: runs the plan once on s as written (the base forecast) and lists the
 * uncertain numbers. Returns NULL on failure (err says why: a plan that cannot run, too many draws, out
 * of memory). The scenario and plan must outlive the result. */
PARLEY_API parley_mc *parley_mc_new(const parley_scenario *s, const parley_plan *plan, size_t draws, uint64_t seed, parley_error *err);
/* parley_mc_new in the library's one constructor convention (parley.h): PARLEY_OK and *out set, or a status
 * with err filled and *out NULL. */
PARLEY_API parley_status parley_mc_create(const parley_scenario *s, const parley_plan *plan, size_t draws, uint64_t seed,
                                          parley_mc **out, parley_error *err);
PARLEY_API void parley_mc_free(parley_mc *mc);

/* Runs the draws i with i % stride == offset (stride 1, offset 0: every draw) that are not yet done.
 * Returns PARLEY_OK, also when cancelled (parley_mc_completed then says how far it got), or the first
 * failure of a model run. */
PARLEY_API parley_status parley_mc_run(parley_mc *mc, size_t offset, size_t stride, const parley_mc_options *o, parley_error *err);

/* The base result (the plan on the scenario as written), and the scenario. */
PARLEY_API const parley_result *parley_mc_base(const parley_mc *mc);
PARLEY_API const parley_scenario *parley_mc_scenario(const parley_mc *mc);
PARLEY_API size_t parley_mc_draws(const parley_mc *mc);
PARLEY_API uint64_t parley_mc_seed(const parley_mc *mc);
/* Returns the number of draws done from draw 0 without a gap: the sample every summary uses. */
PARLEY_API size_t parley_mc_completed(const parley_mc *mc);

/* The uncertain inputs, in scenario order: actors' capabilities, then each stance's position, salience
 * and capability. name is "actor/issue/field" or "actor/capability". */
PARLEY_API size_t parley_mc_input_count(const parley_mc *mc);
PARLEY_API const char *parley_mc_input_name(const parley_mc *mc, size_t i);
/* Fills *u with input i's uncertainty and returns its value as written. */
PARLEY_API double parley_mc_input(const parley_mc *mc, size_t i, parley_uncertainty *u);

/* Outputs: one per run and issue (index run * issues + issue). Each draw's row of inputs and outputs can
 * be read and, for a draw another process ran, written back (then mark it done). */
PARLEY_API size_t parley_mc_output_count(const parley_mc *mc);
PARLEY_API double *parley_mc_inputs_of(parley_mc *mc, size_t draw);
PARLEY_API double *parley_mc_outputs_of(parley_mc *mc, size_t draw);
PARLEY_API bool parley_mc_done(const parley_mc *mc, size_t draw);
PARLEY_API void parley_mc_mark_done(parley_mc *mc, size_t draw);

/* The summary of output (run, issue) over the completed draws. */
typedef struct parley_mc_stats {
    size_t n;           /* draws with a value (a model may give none) */
    double mean, sd, min, max;
    /* The quantiles at parley_quantile_level(0..6) (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95): each the
     * generalised inverse of the draws' distribution, the smallest draw v with P(X <= v) >= q. */
    double q[PARLEY_QUANTILE_COUNT];
    size_t hist[20];    /* counts in 20 equal bins over the issue's scale */
} parley_mc_stats;
/* Returns false when out of memory. */
PARLEY_API bool parley_mc_summary(const parley_mc *mc, size_t run, size_t issue, parley_mc_stats *out);
/* Returns the share of completed draws whose forecast of (run, issue) satisfies "value op threshold",
 * op one of "<", "<=", ">", ">=" (NaN for an unknown op or no draws). */
PARLEY_API double parley_mc_probability(const parley_mc *mc, size_t run, size_t issue, const char *op, double threshold);

/* One-at-a-time swings: every output with input i alone at the low end of its range and at the high end
 * (a normal: its 5% and 95% points), every other input as written. at_low and at_high hold
 * parley_mc_output_count values each. Runs in parallel over inputs. Returns the first failure. */
PARLEY_API parley_status parley_mc_swings(const parley_mc *mc, double *at_low, double *at_high, parley_error *err);
/* Like parley_mc_swings, with o's threads and cancel (o may be NULL; progress is not called). Returns
 * PARLEY_E_CANCELLED, with err saying so, when cancelled: at_low and at_high are then incomplete. */
PARLEY_API parley_status parley_mc_swings_with(const parley_mc *mc, double *at_low, double *at_high, const parley_mc_options *o,
                                               parley_error *err);
/* Returns the ends of input i's one-at-a-time range. */
PARLEY_API void parley_mc_input_range(const parley_mc *mc, size_t i, double *low, double *high);

/* The Monte Carlo and sensitivity reports (parley_mc_report, parley_sensitivity_report) and the threshold
 * check are writers: report.h declares them. */


#ifdef __cplusplus
}
#endif
#endif
