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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/model.h"
#include "parley/report.h"
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
 * when set, stops the run at its next round (PARLEY_E_CANCELLED, *out NULL; see docs/threads.md). Both
 * are parley_backtest_run_ex without cross-validation: the models' repeated diagnostics said once. */
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

/* ---- The citable backtest: more figures, baselines, a bootstrap, a breakdown and cross-validation ----
 *
 * Rows: a backtest scores its plan's entries (rows 0 .. parley_backtest_model_count - 1, in plan order),
 * then the baselines it adds itself (today one: the issue's reference point, the status quo, taken as a
 * forecast). Every getter above that takes a model accepts any row below parley_backtest_row_count. */

/* How to cross-validate models whose parameters are fitted on data (the ensemble). */
typedef enum parley_backtest_cv {
    PARLEY_BACKTEST_CV_NONE = 0, /* every model runs as the plan gives it (the ensemble: its built-in fit) */
    PARLEY_BACKTEST_CV_PROPOSALS /* leave one proposal out: each proposal's issues are forecast by the
                                    ensemble refitted on every other proposal's issues (docs/models/ensemble.md) */
} parley_backtest_cv;

/* The resamples of the bootstrap when the options give none. */
#define PARLEY_BACKTEST_RESAMPLES 2000

/* How parley_backtest_run_ex runs. A zeroed struct ({0}) is parley_backtest_run_with(..., NULL, ...). */
typedef struct parley_backtest_options {
    parley_backtest_cv cv;
    unsigned resamples;           /* of the bootstrap; 0: PARLEY_BACKTEST_RESAMPLES */
    const parley_run_options *run; /* threads and cancel flag of the model runs (NULL: the defaults) */
} parley_backtest_options;

/* parley_backtest_run_with with backtest options (NULL: the defaults). Under PARLEY_BACKTEST_CV_PROPOSALS
 * every plan entry of the model "ensemble" (whatever its options) is scored by its leave-one-proposal-out
 * refits, fitted on the scenario the backtest scores (capabilities applied); other models are unaffected.
 * Errors as parley_backtest_run, and PARLEY_E_INVALID when cross-validation finds fewer than two
 * proposals to fit on (issues no actor takes part in are left out of the fit, and skipped). Repeated warnings and notes of the
 * model runs reach err once each, summarised ("smp: on 151 issues: ..."). */
PARLEY_API parley_status parley_backtest_run_ex(const parley_scenario *s, const parley_plan *plan,
                                                const parley_capabilities *caps, uint64_t seed,
                                                const parley_backtest_options *o, parley_backtest **out,
                                                parley_error *err);

/* Returns the number of rows: the plan's entries, then the baselines the backtest adds. */
PARLEY_API size_t parley_backtest_row_count(const parley_backtest *b);
/* Returns whether row is a baseline: the unweighted mean of positions (the model `mean`) or a baseline the
 * backtest adds (the reference point). */
PARLEY_API bool parley_backtest_is_baseline(const parley_backtest *b, size_t row);
/* Returns whether row is scored by cross-validated refits (PARLEY_BACKTEST_CV_PROPOSALS, a fitted model). */
PARLEY_API bool parley_backtest_is_refitted(const parley_backtest *b, size_t row);

/* The figures of one row, over the issues it scored (NaN when it scored none, or when a figure does not
 * apply): */
typedef enum parley_backtest_figure {
    PARLEY_BACKTEST_MAE,       /* mean absolute error of the point forecast */
    PARLEY_BACKTEST_MEDIAN_AE, /* median absolute error */
    PARLEY_BACKTEST_RMSE,      /* root mean squared error */
    PARLEY_BACKTEST_CRPS,      /* mean CRPS: exact for a distribution, |error| for a point forecast */
    PARLEY_BACKTEST_COVER50,   /* share of outcomes in the 50% central interval, ends included (q0.25 <= y <= q0.75); */
    PARLEY_BACKTEST_COVER80,   /* in the 80% one (q0.1 <= y <= q0.9): rows with distributions only */
    PARLEY_BACKTEST_WIDTH50,   /* mean width of the 50% and 80% intervals */
    PARLEY_BACKTEST_WIDTH80,
    PARLEY_BACKTEST_DIFF,      /* MAE of row minus MAE of the compromise row, on the issues both scored */
    PARLEY_BACKTEST_DIFF_LO,   /* its 95% bootstrap interval (percentile method, proposals resampled); */
    PARLEY_BACKTEST_DIFF_HI    /* NaN for the compromise row itself and when the plan has no compromise */
} parley_backtest_figure;
PARLEY_API double parley_backtest_figure_of(const parley_backtest *b, size_t row, parley_backtest_figure f);

/* The issues row could not score (no forecast), and why: the forecasts' notes, most frequent first, as
 * "64: no reference point; 2: ..." when they differ, else the one note (owned by b; NULL when none was
 * skipped). Returns the count. */
PARLEY_API size_t parley_backtest_skipped(const parley_backtest *b, size_t row, const char **why);
/* Issue i's CRPS under row (NaN without a forecast), and whether its 50% and 80% central intervals cover
 * the outcome: 1 or 0, and -1 when the row gives no distribution for it. */
PARLEY_API double parley_backtest_issue_crps(const parley_backtest *b, size_t i, size_t row, int *covered50,
                                             int *covered80);
/* Where row's forecast of issue i comes from: the result, its run and the scenario's index of the issue
 * (for its quantiles and atoms); false for the baselines the backtest adds (no result holds them). The
 * result of a refitted row is the cross-validation's own, owned by b. */
PARLEY_API bool parley_backtest_issue_source(const parley_backtest *b, size_t i, size_t row, const parley_result **r,
                                             size_t *run, size_t *issue);

/* The bootstrap: the compromise row the differences are against (SIZE_MAX when the plan has none), the
 * number of resamples, the groups resampled (proposals: DEU issues group by their "prnr" attribute, else
 * "prnrnmc"; any other issue is a group of its own), and issue i's group (0-based, in order of first
 * appearance). The seed is the backtest's. */
PARLEY_API size_t parley_backtest_compromise_row(const parley_backtest *b);
/* Returns the issues row and the compromise row both scored: those its difference is over (0 for the
 * compromise row itself). */
PARLEY_API size_t parley_backtest_paired(const parley_backtest *b, size_t row);
PARLEY_API unsigned parley_backtest_resamples(const parley_backtest *b);
PARLEY_API size_t parley_backtest_group_count(const parley_backtest *b);
PARLEY_API size_t parley_backtest_issue_group(const parley_backtest *b, size_t i);

/* The breakdown: cells (attribute, value) over the scored issues, for the DEU attributes "proc" (the
 * legislative procedure, e.g. COD or CNS) and "counvte" (the Council's voting rule, QMV or Unan), in that
 * order and each value in order of first appearance ("" for issues without the attribute); none when no
 * issue has either. parley_backtest_cell sets the attribute, value and issues with an outcome in the cell
 * (false past the end); parley_backtest_cell_mae returns row's MAE over the cell and *scored its count. */
PARLEY_API size_t parley_backtest_cell_count(const parley_backtest *b);
PARLEY_API bool parley_backtest_cell(const parley_backtest *b, size_t c, const char **attribute, const char **value,
                                     size_t *issues);
PARLEY_API double parley_backtest_cell_mae(const parley_backtest *b, size_t c, size_t row, size_t *scored);

/* Cross-validation: the mode, and per fold (one per proposal, grouped as the fit groups them: "prnr", else
 * "prnrnmc", else an issue alone; none without CV) its proposal key (NULL for an issue alone), its held-out
 * issues and the plan label of the parameters refitted without it ("ensemble,h=0.3,..."). */
PARLEY_API parley_backtest_cv parley_backtest_cv_mode(const parley_backtest *b);
PARLEY_API size_t parley_backtest_fold_count(const parley_backtest *b);
PARLEY_API bool parley_backtest_fold(const parley_backtest *b, size_t k, const char **proposal, size_t *issues,
                                     const char **params);

/* Writes the backtest as "text", "json" or "csv" (src/report/backtest.c); returns a malloc'd text or NULL with err filled. */
PARLEY_API char *parley_backtest_report(const parley_scenario *s, const parley_backtest *b, const char *format, parley_error *err);
/* parley_backtest_report with report options (NULL: the defaults). The detail level shapes the text:
 * summary, the table of figures alone; normal, every section; full, also every issue's outcome and each
 * model's forecast. JSON and CSV always hold everything. */
PARLEY_API char *parley_backtest_report_with(const parley_scenario *s, const parley_backtest *b, const char *format,
                                             const parley_report_options *o, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
