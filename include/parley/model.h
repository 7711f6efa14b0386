/* model.h - the model registry, model SPECs ("bdm:scholz2011,rounds=10,median") and running them.
 *
 * Ownership: models are static; every pointer the registry returns lives for the program. A plan is
 * created by parley_plan_parse or parley_plan_default and freed with parley_plan_free.
 *
 * Threads: the registry is read-only and safe to use from any thread. A plan is safe to share between
 * threads once built (runs only read it; its labels are built under a lock), but not while
 * parley_plan_parse appends to it. Any number of threads may run parley_run* at once on the same
 * finalized scenario and plan; each call owns the result it returns. Parallel work inside a call runs
 * on one process-wide set of threads (see docs/threads.md); a run started from inside another's task
 * runs on its calling thread. */
#ifndef PARLEY_MODEL_H
#define PARLEY_MODEL_H

#include "parley/api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/result.h"
#include "parley/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parley_model parley_model;

typedef enum parley_option_type {
    PARLEY_OPTION_NUMBER = 0, /* a real number in [min, max] */
    PARLEY_OPTION_INTEGER,    /* a whole number in [min, max] */
    PARLEY_OPTION_CHOICE,     /* one of the words in choices ("lower|upper|midpoint") */
    PARLEY_OPTION_BOOLEAN,    /* true or false */
    PARLEY_OPTION_FILE,       /* a JSON file whose "params" object sets the model's other options (as
                               * `parley fit` writes it); "" = none. Read once, when the plan is made. */
    PARLEY_OPTION_CHOICES     /* words of choices joined by '+' ("boulware+conceder", one per actor); "" = none */
} parley_option_type;

/* One option a model declares. Options are data, so the CLI, the docs and `parley models` list them from
 * the same table. */
typedef struct parley_option_spec {
    const char *name;
    parley_option_type type;
    const char *default_value; /* as text, in the same syntax a user writes */
    const char *choices;       /* CHOICE only: words separated by '|' */
    double min, max;           /* NUMBER and INTEGER only */
    const char *help;
} parley_option_spec;

/* A named bundle of option values ("scholz2011" = "q=1,range=initial,..."). */
typedef struct parley_preset {
    const char *name;
    const char *options;
    const char *help;
} parley_preset;

/* A model's scope: what one run of it looks at. */
typedef enum parley_scope {
    PARLEY_SCOPE_ISSUE = 0, /* each issue alone (issues are independent) */
    PARLEY_SCOPE_GROUP      /* each group of issues as one negotiation: the whole scenario, or a batch's proposal */
} parley_scope;

/* What a model records besides its forecasts: bits of parley_model_records. Writers, charts, the HTML
 * report and the web UI decide what to show from these, never from a model's name. */
#define PARLEY_RECORDS_ROUNDS 0x1u        /* positions round by round (parley_result_round): trajectories */
#define PARLEY_RECORDS_PRESSURE 0x2u      /* who presses whom (parley_result_challenge): the pressure map */
#define PARLEY_RECORDS_TRADES 0x4u        /* trades across issues and what they do to others (parley_result_exchange) */
#define PARLEY_RECORDS_NEGOTIATIONS 0x8u  /* each round's votes and negotiated outcome (parley_result_round_voting) */
#define PARLEY_RECORDS_DISTRIBUTIONS 0x10u /* a distribution of final outcomes behind each forecast (told in its note) */
#define PARLEY_RECORDS_ALL 0x1fu

/* Returns the number of registered models and the i-th one (NULL past the end). */
PARLEY_API size_t parley_model_count(void);
PARLEY_API const parley_model *parley_model_at(size_t i);
/* Returns the model with this name, or NULL. */
PARLEY_API const parley_model *parley_model_find(const char *name);
PARLEY_API const char *parley_model_name(const parley_model *m);
PARLEY_API const char *parley_model_summary(const parley_model *m);
PARLEY_API size_t parley_model_option_count(const parley_model *m);
PARLEY_API const parley_option_spec *parley_model_option(const parley_model *m, size_t i);
PARLEY_API size_t parley_model_preset_count(const parley_model *m);
PARLEY_API const parley_preset *parley_model_preset(const parley_model *m, size_t i);
/* Returns true when the model can say something about this scenario (used to pick default models). */
PARLEY_API bool parley_model_suits(const parley_model *m, const parley_scenario *s);
/* Returns why the model cannot run on s at all (e.g. it needs a scale and s has option issues), or NULL
 * when it can. A plan naming such a model fails with this reason (parley_run). */
PARLEY_API const char *parley_model_unsuited(const parley_model *m, const parley_scenario *s);
/* Returns the model's scope, and its PARLEY_RECORDS_* bits (0 for a model that records forecasts only). */
PARLEY_API parley_scope parley_model_scope(const parley_model *m);
PARLEY_API unsigned parley_model_records(const parley_model *m);
/* Returns "issue" or "group"; NULL for no scope. */
PARLEY_API const char *parley_scope_name(parley_scope scope);
/* Returns the name of one PARLEY_RECORDS_* bit: "rounds", "pressure", "trades", "negotiations" or
 * "distributions"; NULL unless record is exactly one known bit. */
PARLEY_API const char *parley_record_name(unsigned record);

/* A plan: the ordered list of models to run, each with a preset and resolved option values. */
typedef struct parley_plan parley_plan;

/* Parses a model SPEC: a comma-separated list whose items are `name[:preset]` (starting a model) or
 * `key=value` (an option of the model named just before). Appends to *plan (creating it when NULL).
 * Returns PARLEY_OK, or PARLEY_E_USAGE with a did-you-mean hint in err. */
PARLEY_API parley_status parley_plan_parse(parley_plan **plan, const char *spec, parley_error *err);
/* Flags for parley_plan_parse_with. */
#define PARLEY_PLAN_NO_FILES 1u /* refuse options that name a file (FILE options): for a SPEC from an untrusted
                                 * source, such as a web page talking to `parley serve` */
/* parley_plan_parse with flags. */
PARLEY_API parley_status parley_plan_parse_with(parley_plan **plan, const char *spec, unsigned flags, parley_error *err);
/* Returns a plan of every model that suits s, with default options; NULL when out of memory. */
PARLEY_API parley_plan *parley_plan_default(const parley_scenario *s);
PARLEY_API void parley_plan_free(parley_plan *plan);
PARLEY_API size_t parley_plan_count(const parley_plan *plan);
PARLEY_API const parley_model *parley_plan_model(const parley_plan *plan, size_t i);
/* Returns the preset name of entry i, or NULL when none was named. */
PARLEY_API const char *parley_plan_preset(const parley_plan *plan, size_t i);
/* Returns a label for entry i: its SPEC with only the options that differ from the model's defaults, e.g.
 * "bdm:scholz2011" or "bdm,forecast=mean". The text lives as long as the plan; "" when out of memory. */
PARLEY_API const char *parley_plan_label(const parley_plan *plan, size_t i);
/* Returns the default plan for a backtest: parley_plan_default, plus, for each model whose `forecast`
 * option can be `mean`, a second entry scoring that mean. NULL when out of memory. */
PARLEY_API parley_plan *parley_plan_default_backtest(const parley_scenario *s);
/* Returns the resolved value of option j of entry i as text (e.g. "lower", "10", "0.5"). Cannot fail;
 * the text lives as long as the plan. */
PARLEY_API const char *parley_plan_option_text(const parley_plan *plan, size_t i, size_t j);

/* Runs every model of plan on the finalized scenario s. seed feeds every random draw (per task, so
 * results do not depend on thread count). Returns a result the caller frees with parley_result_free,
 * or NULL with err filled. */
PARLEY_API parley_result *parley_run(const parley_scenario *s, const parley_plan *plan, uint64_t seed, parley_error *err);

/* Flags for parley_run_flags. */
#define PARLEY_RUN_SUMMARY 1u /* forecasts only: no rounds, no pressure map (backtests, benchmarks) */
#define PARLEY_RUN_FULL_DETAIL 2u /* every per-pair record: the whole pressure map, every challenge of every
                                   * pair in every round (--detail full). Without it the map is bounded: per
                                   * round, issue and pressed actor, the challenges it accepted and its
                                   * strongest other one (parley_result_challenges_left_out counts the rest),
                                   * so that a result grows linearly in actors x issues x rounds */

/* Like parley_run, with flags. Issues run in parallel threads: set PARLEY_THREADS to choose how many
 * (default: one per core); results are bit-identical whatever the number. */
PARLEY_API parley_result *parley_run_flags(const parley_scenario *s, const parley_plan *plan, uint64_t seed, unsigned flags,
                                parley_error *err);

/* How one parley_run_with call runs. A zeroed struct ({0}) is parley_run's behaviour. */
typedef struct parley_run_options {
    unsigned flags; /* PARLEY_RUN_* */
    /* The most worker threads this call uses (its --threads); 0: PARLEY_THREADS, else one per core. The
     * process's threads start on the first parallel call, sized the larger of that default and this
     * count, and are shared by every later call; a call asking more than there are gets what there is. */
    size_t threads;
    /* When non-NULL: the run checks *cancel between issues and at every round of every model, and once
     * it reads non-zero stops, frees what it made and returns NULL with PARLEY_E_CANCELLED in err. Set it
     * from any thread, or from a signal handler (storing to the flag is all a handler needs to do, and is
     * async-signal-safe). The caller owns the flag and clears it before reusing it. */
    volatile int *cancel;
} parley_run_options;

/* Runs plan on s with options (NULL: the defaults), in the library's one constructor convention: returns
 * PARLEY_OK and sets *out to a result the caller frees with parley_result_free, or a status with err filled
 * and *out NULL (PARLEY_E_CANCELLED when cancelled). parley_run and parley_run_flags are its shorthands. */
PARLEY_API parley_status parley_run_with(const parley_scenario *s, const parley_plan *plan, uint64_t seed,
                                         const parley_run_options *o, parley_result **out, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
