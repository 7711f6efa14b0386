/* model.h (internal) - the one interface every model implements, and what a model may call.
 *
 * To add a model: write src/models/NAME.c defining `const struct parley_model pm_NAME` (with its traits),
 * and add one line X(pm_NAME) to the table in registry.c. A model never prints and never reads a file:
 * it reads the scenario through the public getters and writes through the pm_* calls below. */
#ifndef PARLEY_MODELS_MODEL_H
#define PARLEY_MODELS_MODEL_H

#include <math.h>

#include "../core/error_internal.h"
#include "../core/predictive.h"
#include "../core/util.h"
#include "parley/model.h"
#include "parley/result.h"
#include "parley/rng.h"

#define PM_MAX_OPTIONS 32

/* Resolved option values, indexed like the model's option table: numbers as is, booleans 0/1, choices
 * as the 0-based index of the word. */
typedef struct pm_options {
    double v[PM_MAX_OPTIONS];
} pm_options;

/* Where a run writes; opaque to models. */
typedef struct pm_out pm_out;

struct parley_model {
    const char *name;
    const char *summary;
    const parley_option_spec *options;
    size_t n_options;
    const parley_preset *presets;
    size_t n_presets;
    /* Traits: what the model looks at in one run (PARLEY_SCOPE_ISSUE: each issue alone; GROUP: each group
     * of issues as one negotiation, through pm_for_each_group) and what it records besides forecasts
     * (PARLEY_RECORDS_* bits). Writers, charts, the report and the web UI read these, never the name. */
    parley_scope scope;
    unsigned records;
    /* Other models' forecasts this one builds on: SPECs of one model each ("nash,utility=linear"), NULL
     * terminated, or NULL for none. A model with components runs after the plan's other entries; where
     * one of those is the component (same model, same resolved options) its forecasts are reused, else
     * the run loop runs the component itself. The model reads them with pm_component. */
    const char *const *components;
    /* True when the model reads whole agreements (parley_utility) and so handles option issues; false (the
     * default) for models that need every issue on a scale: they do not suit a scenario with options. */
    bool handles_options;
    /* True for a model that runs only when named (in a SPEC or a scenario's `models` key): the default plan
     * leaves it out (the protocols, whose forecast is a deal or no deal, not a position). */
    bool named_only;
    /* Returns true when the model has something to say about s; NULL means always. */
    bool (*suits)(const parley_scenario *s);
    /* Fills out with one forecast per issue. Returns PARLEY_OK or a status with err filled. */
    parley_status (*run)(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                         parley_error *err);
};

/* Decodes a PARLEY_OPTION_CHOICES value v of option o into the 0-based word indices idx[0..n) (at most
 * max); returns n (0 for none). */
size_t pm_choices(const parley_option_spec *o, double v, int *idx, size_t max);

/* Checks a table of n models (the registry's, or a test's): names unique, non-empty and free of the
 * SPEC's separators, at most PM_MAX_OPTIONS options each with a unique name and a default that parses
 * as its type, presets with unique names whose options exist and parse, known traits. Returns PARLEY_OK
 * or PARLEY_E_INTERNAL with the first fault in err (the model and what is wrong). */
parley_status pm_registry_check(const parley_model *const *models, size_t n, parley_error *err);

/* Records the forecast for issue (value NaN = none); note may be NULL. Returns PARLEY_E_NOMEM or OK. */
parley_status pm_forecast(pm_out *out, size_t issue, double value, const char *note);
/* Records the forecast for issue as the predictive distribution d (made by pd_init; its atoms are copied):
 * the value is d's median, and p_reference the mass at the issue's reference point. note may be NULL.
 * Returns PARLEY_E_NOMEM or OK. */
parley_status pm_forecast_dist(pm_out *out, size_t issue, const pd_dist *d, const char *note);
/* The most components a model may declare. */
#define PM_MAX_COMPONENTS 4
/* Returns component c's forecast for issue (the model's components[c]); NaN when it gives none. */
double pm_component(const pm_out *out, size_t c, size_t issue);
/* Records the state of issue after round (0 = input): positions (and risk, which may be NULL) have one
 * entry per scenario actor (NaN = absent). The weighted median and mean are computed here, the same way
 * for every model. Does nothing when the caller asked for forecasts only. */
parley_status pm_round(pm_out *out, size_t issue, int round, const double *positions, const double *risk);
/* Like pm_round, also with voting positions (may be NULL) and the round's own outcome (NaN for none). */
parley_status pm_round_full(pm_out *out, size_t issue, int round, const double *positions, const double *risk,
                            const double *voting, double outcome);
/* Attaches win probabilities (one per scenario actor, NaN = none) to the round this run recorded last.
 * Does nothing when the caller asked for forecasts only. Returns PARLEY_E_NOMEM or OK. */
parley_status pm_round_win(pm_out *out, const double *win);
/* Records an executed trade and a round's externalities for an actor (see parley_exchange). */
parley_status pm_exchange(pm_out *out, const parley_exchange *e);
parley_status pm_externality(pm_out *out, int round, size_t actor, double own, double inner, double outer);
/* One event of a protocol's trace: offer has one value per scenario issue, utilities one per actor (both
 * copied; either may be NULL). */
typedef struct pm_event {
    int step;
    size_t actor;
    parley_action action;
    const double *offer;
    const double *utilities;
} pm_event;
/* Records a protocol's negotiation (see parley_negotiation): agreement NULL for none; the trace is kept
 * only when the caller asked for details. Returns PARLEY_E_NOMEM or OK. */
parley_status pm_negotiation(pm_out *out, const char *preset, const double *agreement, const double *utilities,
                             int steps, const pm_event *events, size_t n_events);
/* Turns a length x on issue's scale as the model sees it into one on the input's scale: the same x,
 * unless the run rescaled extreme numbers (normalise.h). For numbers a model writes into a note. */
double pm_length(const pm_out *out, size_t issue, double x);
/* The run's seed, for models that run repetitions with their own generators. */
uint64_t pm_seed(const pm_out *out);
/* The index of this run in the plan. */
size_t pm_run_index(const pm_out *out);

/* Records one entry of the pressure map (actor indices of the scenario). Unless the caller asked for full
 * detail (pm_full_detail), the map is bounded here, for every model alike: of a round's challenges on an
 * issue it keeps those accepted and, per pressed actor `to`, its strongest other one (pm_challenge_stronger,
 * the move measured from `to`'s position in the run's last pm_round of that issue, 0 without one), in the
 * order they were made, and counts the rest (parley_result_challenges_left_out). A round is held until a
 * challenge of another round arrives or the model's run (or issue, under pm_for_each_issue) ends. */
parley_status pm_challenge(pm_out *out, size_t issue, int round, size_t from, size_t to, parley_region region,
                           double offer, bool accepted);
/* Returns whether a challenge that would move the pressed actor by move_a (NaN: it makes no offer) in region
 * ra is stronger than one moving it by move_b in rb: an offer beats none, a larger move a smaller one, then
 * the region in parley_region's order (conflict first). False on equal strength (the first made stays). */
static inline bool pm_challenge_stronger(double move_a, parley_region ra, double move_b, parley_region rb)
{
    if (isnan(move_a) != isnan(move_b)) return isnan(move_b); /* an offer beats none */
    if (!isnan(move_a) && move_a != move_b) return move_a > move_b;
    return (int)ra < (int)rb;
}
/* Returns false when the caller asked for forecasts only: a model may then skip building details. */
bool pm_details(const pm_out *out);
/* Returns true when the caller asked for every per-pair record (PARLEY_RUN_FULL_DETAIL, --detail full).
 * Otherwise pm_challenge keeps only a bounded part of the pressure map, and a model may skip building
 * (and sending) what cannot be kept: per round and pressed actor, the challenge it accepted and its two
 * strongest by pm_challenge_stronger (ties to the lower `from`) suffice to give the same records. */
bool pm_full_detail(const pm_out *out);
/* Counts n challenges a model made but did not send to pm_challenge because the bounded map could not keep
 * them (see pm_full_detail), so that parley_result_challenges_left_out stays the whole count. */
void pm_challenges_skipped(pm_out *out, size_t n);

/* Returns whether the caller cancelled the run (parley_run_options.cancel). A model checks it at the
 * start of every round (and a multi-issue model between groups) and then returns PARLEY_E_CANCELLED at
 * once, having freed what it made; the run loop says so in err. pm_for_each_issue checks it between
 * issues. */
bool pm_cancelled(const pm_out *out);

/* Runs model m alone with resolved options mo, as parley_run_with runs one entry of a plan (the result
 * lists no run: its records carry run 0). For tests and tools that hold a model outside the registry. */
parley_result *pm_run_model(const parley_scenario *s, const parley_model *m, const pm_options *mo, uint64_t seed,
                            const parley_run_options *o, parley_error *err);

/* Returns how many workers to use for `tasks` independent tasks: the call's parley_run_options.threads,
 * else PARLEY_THREADS, else one per core; at most the pool's size (src/core/pool.h), at most `tasks`,
 * 1 inside a parallel task (nested parallel calls run inline); at least 1. */
size_t pm_thread_count(size_t tasks);

/* A model's work on one issue, given its own generator and output. */
typedef parley_status (*pm_issue_fn)(const parley_scenario *s, size_t issue, const pm_options *o, parley_rng *rng,
                                     pm_out *out, parley_error *err);
/* Runs fn on every issue, spread over pm_thread_count(issues) workers of the pool, and merges every kind
 * of record the outputs hold in issue order: the result is bit-identical for any thread count. Returns
 * the first failure in issue order (PARLEY_E_CANCELLED for issues skipped after a cancel). */
parley_status pm_for_each_issue(const parley_scenario *s, const pm_options *o, pm_out *out, pm_issue_fn fn,
                                parley_error *err);

/* Calls fn(ctx, task, worker) for every task in [0, tasks) exactly once, spread over
 * pm_thread_count(tasks) workers of the pool (inline inside another parallel task);
 * worker (below the thread count) lets a task use per-thread scratch space. Tasks must write only their
 * own outputs, so that the result never depends on the thread count. */
void pm_parallel(size_t tasks, void (*fn)(void *ctx, size_t task, size_t worker), void *ctx);
/* The number of workers pm_parallel(tasks, ...) will use. */
size_t pm_parallel_workers(size_t tasks);

/* A model's work on one group of issues that form one negotiation (scenario indices iss[0..k)). */
typedef parley_status (*pm_group_fn)(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                     parley_error *err, const size_t *iss, size_t k);
/* Runs fn on each group of issues in turn: the whole scenario is one group; a batch (DEU) has one group
 * per proposal, in the order of its first issue. Multi-issue models run this way. Returns the first
 * failure. */
parley_status pm_for_each_group(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                parley_error *err, pm_group_fn fn);

/* Applies the scenario's shocks for this round, actor and issue to *pos (on the issue's scale), in file
 * order, keeping the result on the scale. Returns whether any applied. Round-based models call it at the
 * start of each round for every actor they move. */
bool pm_shock(const parley_scenario *s, int round, size_t actor, size_t issue, double *pos);
/* Returns the last round at which a shock touches issue (0: none): a model must not stop before it. */
int pm_last_shock(const parley_scenario *s, size_t issue);

/* Gathers the participants of issue: positions x and weights w = capability x salience (with per-issue
 * capability), and actor indices idx; returns how many. The arrays need room for every actor. */
size_t pm_participants(const parley_scenario *s, size_t issue, double *x, double *w, size_t *idx);

#endif
