/* report.h - turning results into text for people, JSON and CSV for programs.
 *
 * Ownership: each function returns a malloc'd NUL-terminated text the caller frees, or NULL with err
 * filled. Writers know only what a result holds, never how a model works.
 *
 * Threads: every writer only reads its arguments; many may run at once on the same scenario and result. */
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include "parley/api.h"

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

/* The self-contained HTML report: r is the plan's result on s; mc (may be NULL) a completed Monte Carlo
 * run with its swings lo and hi (may be NULL); vs and vr the variants and their results (nv may be 0).
 * Returns NULL when out of memory. */
PARLEY_API char *parley_html_report(const parley_scenario *s, const parley_result *r, const struct parley_mc *mc, const double *lo,
                         const double *hi, const parley_scenario *const *vs, const parley_result *const *vr, size_t nv,
                         parley_error *err);

/* The base forecast and each variant's side by side ("text" or "json"): variants[v] and results[v] are
 * variant v of s (parley_scenario_variant) and the same plan's result on it. */
PARLEY_API char *parley_compare_report(const parley_scenario *s, const parley_result *base, const parley_scenario *const *variants,
                            const parley_result *const *results, size_t n, const char *format, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
