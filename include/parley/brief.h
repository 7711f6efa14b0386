/* brief.h - the two-page brief: the answer, one chart per issue, what moves each forecast, the variants.
 *
 * Ownership: returns a malloc'd NUL-terminated text the caller frees, or NULL with err filled.
 * Threads: only reads its arguments; many may run at once on the same scenario and results. */
#ifndef PARLEY_BRIEF_H
#define PARLEY_BRIEF_H

#include "parley/api.h"

#include <stddef.h>

#include "parley/error.h"
#include "parley/result.h"
#include "parley/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

struct parley_mc;

/* The brief as one self-contained HTML page (no network access; print CSS for two A4 pages): page 1 the At
 * a glance table (the report's own), the headline forecast in each variant and, where the scenario has
 * negotiation protocols, deal or no deal (none yet: the section is left out); page 2 each issue's forecast
 * strip (chart "forecast") with the three uncertain inputs whose one-at-a-time swing moves the headline
 * forecast most. r is the plan's result on s; mc (may be NULL) a completed Monte Carlo run with its swings
 * lo and hi (may be NULL: no ranking then); vs and vr the variants and their results (nv may be 0). */
PARLEY_API char *parley_brief_html(const parley_scenario *s, const parley_result *r, const struct parley_mc *mc,
                                   const double *lo, const double *hi, const parley_scenario *const *vs,
                                   const parley_result *const *vr, size_t nv, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
