/* report.h - turning results into text for people, JSON and CSV for programs.
 *
 * Ownership: each function returns a malloc'd NUL-terminated text the caller frees, or NULL with err
 * filled. Writers know only what a result holds, never how a model works. */
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include "parley/error.h"
#include "parley/result.h"
#include "parley/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PARLEY_VERSION "0.1.0"
#define PARLEY_SCHEMA_VERSION 1

/* Returns the library's version, e.g. "0.1.0". */
const char *parley_version(void);

/* format is "text", "json" or "csv". */
char *parley_report(const parley_scenario *s, const parley_result *r, const char *format, parley_error *err);

/* The base forecast and each variant's side by side ("text" or "json"): variants[v] and results[v] are
 * variant v of s (parley_scenario_variant) and the same plan's result on it. */
char *parley_compare_report(const parley_scenario *s, const parley_result *base, const parley_scenario *const *variants,
                            const parley_result *const *results, size_t n, const char *format, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
