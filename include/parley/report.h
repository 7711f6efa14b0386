/* report.h - turning results into text for people, JSON and CSV for programs.
 *
 * Ownership: each function returns a malloc'd NUL-terminated text the caller frees, or NULL with err
 * filled. Writers know only what a result holds, never how a model works.
 *
 * Threads: every writer only reads its arguments; many may run at once on the same scenario and result. */
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include "parley/api.h"

#include <stdio.h>

#include "parley/error.h"
#include "parley/result.h"
#include "parley/scenario.h"
#include "parley/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the library's version, e.g. "0.1.0". */
PARLEY_API const char *parley_version(void);

/* format is "text", "json" or "csv". */
PARLEY_API char *parley_report(const parley_scenario *s, const parley_result *r, const char *format, parley_error *err);

/* How much a text report tells (the CLI's --detail): PARLEY_DETAIL_SUMMARY the "At a glance" table only;
 * PARLEY_DETAIL_NORMAL (the default) that table, then per issue one line per model and bounded records,
 * each saying what it leaves out; PARLEY_DETAIL_FULL everything: every round, trade and the whole pressure
 * map. JSON and CSV carry everything at every level. */
typedef enum parley_detail { PARLEY_DETAIL_NORMAL = 0, PARLEY_DETAIL_SUMMARY, PARLEY_DETAIL_FULL } parley_detail;

/* Options of the *_with writers. A zeroed struct, or NULL, gives the defaults (the plain writers). */
typedef struct parley_report_options {
    parley_detail detail;
} parley_report_options;

/* Sets *out from "summary", "normal" or "full"; returns PARLEY_E_USAGE with the expected and found value
 * in err (field "--detail") otherwise. */
PARLEY_API parley_status parley_detail_parse(const char *name, parley_detail *out, parley_error *err);
/* Returns "summary", "normal" or "full". */
PARLEY_API const char *parley_detail_name(parley_detail detail);

/* parley_report with options (o may be NULL). */
PARLEY_API char *parley_report_with(const parley_scenario *s, const parley_result *r, const char *format,
                                    const parley_report_options *o, parley_error *err);

/* Writes what parley_report_with returns to f, without holding all of it: JSON goes out in pieces of
 * about 64 KB as it is made, so that a large result's text never sits whole in memory (text and CSV are
 * made whole, then written). display names f in a write error. Returns PARLEY_OK, or a status with err
 * filled: PARLEY_E_USAGE (format), PARLEY_E_NOMEM, PARLEY_E_IO (a write failed; part may be written). */
PARLEY_API parley_status parley_report_write(FILE *f, const char *display, const parley_scenario *s, const parley_result *r,
                                             const char *format, const parley_report_options *o, parley_error *err);

/* One chart as SVG (deterministic bytes): "positions" (actors x issues), "forecast" (the scale, actors and
 * every model's forecast; issue SIZE_MAX: every issue), "trajectories" (the first round-based run),
 * "pressure" (the first run with challenges), "exchanges" (round-1 trades) need r; "distribution" and
 * "tornado" need a completed Monte Carlo run mc (tornado also its swings, parley_mc_swings). issue:
 * the issue's index (SIZE_MAX: the first, or all for forecast). Returns NULL with err set when the
 * chart cannot be drawn from what was given. */
struct parley_mc;
/* The chart names parley_chart draws, NULL-terminated. */
PARLEY_API const char *const *parley_chart_names(void);
/* Returns PARLEY_OK when chart is one of them, else PARLEY_E_USAGE with a did-you-mean in err: a check to
 * make before any model runs. */
PARLEY_API parley_status parley_chart_check(const char *chart, parley_error *err);
PARLEY_API char *parley_chart(const parley_scenario *s, const parley_result *r, const struct parley_mc *mc, const double *swing_lo,
                   const double *swing_hi, const char *chart, size_t issue, parley_error *err);

/* ---- Monte Carlo and sensitivity reports (src/report/montecarlo.c, sensitivity.c) ---- */

/* A sensitivity report ("text" or "json") from a run sample and swings: per model and issue, the inputs
 * ranked by their one-at-a-time swing, with the standardised regression coefficient of each input in
 * the sample (its global effect) and the regression's R^2; top: inputs shown per output in text. */
PARLEY_API char *parley_sensitivity_report(const struct parley_mc *mc, const double *at_low, const double *at_high, const char *format,
                                size_t top, parley_error *err);
/* parley_sensitivity_report with options (o may be NULL): in text, summary shows the headline run only
 * (parley_result_headline, else the first) with its top three inputs, normal every run with `top`, full
 * every input that moves a forecast. */
PARLEY_API char *parley_sensitivity_report_with(const struct parley_mc *mc, const double *at_low, const double *at_high,
                                                const char *format, size_t top, const parley_report_options *o,
                                                parley_error *err);

/* Checks "issue>=60"-style statements against s before anything runs: the operator (<, <=, >, >=), the
 * issue (a misspelt one gets a did-you-mean) and the value (on the issue's scale). Reports every bad one;
 * returns PARLEY_OK or PARLEY_E_USAGE. */
PARLEY_API parley_status parley_mc_check_thresholds(const parley_scenario *s, const char *const *thresholds, size_t n,
                                         parley_error *err);

/* A Monte Carlo report: "text" or "json". thresholds are "issue>=60"-style statements (may be NULL);
 * a statement naming an unknown issue is an error. Returns NULL on failure; the caller frees the text. */
PARLEY_API char *parley_mc_report(const struct parley_mc *mc, const char *format, const char *const *thresholds, size_t n_thresholds,
                       parley_error *err);
/* parley_mc_report with report options (NULL: the defaults): --detail summary keeps only the headline
 * run's rows (parley_result_headline, else the first run) in the text; JSON always holds every run. */
PARLEY_API char *parley_mc_report_with(const struct parley_mc *mc, const char *format, const char *const *thresholds,
                                       size_t n_thresholds, const parley_report_options *o, parley_error *err);

/* The self-contained HTML report: r is the plan's result on s; mc (may be NULL) a completed Monte Carlo
 * run with its swings lo and hi (may be NULL); vs and vr the variants and their results (nv may be 0).
 * Returns NULL when out of memory. */
PARLEY_API char *parley_html_report(const parley_scenario *s, const parley_result *r, const struct parley_mc *mc, const double *lo,
                         const double *hi, const parley_scenario *const *vs, const parley_result *const *vr, size_t nv,
                         parley_error *err);
/* parley_html_report with report options (NULL: the defaults): --detail summary keeps the At a glance table
 * and every model's forecast, and leaves out the scenario, rounds, pressure, trades, uncertainty and
 * variants; normal and full give everything. */
PARLEY_API char *parley_html_report_with(const parley_scenario *s, const parley_result *r, const struct parley_mc *mc,
                                         const double *lo, const double *hi, const parley_scenario *const *vs,
                                         const parley_result *const *vr, size_t nv, const parley_report_options *o,
                                         parley_error *err);

/* The base forecast and each variant's side by side ("text" or "json"): variants[v] and results[v] are
 * variant v of s (parley_scenario_variant) and the same plan's result on it. */
PARLEY_API char *parley_compare_report(const parley_scenario *s, const parley_result *base, const parley_scenario *const *variants,
                            const parley_result *const *results, size_t n, const char *format, parley_error *err);
/* parley_compare_report with options (o may be NULL). Text leads with the base case's "At a glance"
 * table and the headline forecast of each variant; summary stops there, normal and full add every
 * model's forecast per issue. */
PARLEY_API char *parley_compare_report_with(const parley_scenario *s, const parley_result *base,
                                            const parley_scenario *const *variants, const parley_result *const *results,
                                            size_t n, const char *format, const parley_report_options *o,
                                            parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
