/* analyze.h - the outcome space of a negotiation: its size, the rational outcomes, the Pareto frontier and
 * the Nash, Kalai-Smorodinsky, egalitarian and max-welfare points (parley analyze; docs/analyze.md).
 *
 * An outcome is one value per issue. Option issues take each of their options; integer issues (GENIUS)
 * every whole number of their range; a scale issue the points its file names (GENIUS real issues: the
 * reader's real_grid), else the analysis grid: every actor's position on it and its reference point by
 * default, or `grid` evenly spaced points, ends included. Outcomes are numbered as the Cartesian product
 * of the issues' values, the first issue varying slowest.
 *
 * Comparisons use a tolerance of PARLEY_ANALYZE_TOLERANCE: an outcome is rational when u_i >= r_i - tol
 * for every analysed party i; utilities within tol of each other (in a chain) count as equal when
 * deciding dominance; a point's ties are the outcomes whose value is within tol of the best.
 *
 * Ownership: parley_analyze hands the caller a parley_analysis to free with parley_analysis_free; it
 * borrows nothing from the scenario (which may be freed first). Every getter is O(1) unless it says
 * otherwise and is safe from any number of threads. */
#ifndef PARLEY_ANALYZE_H
#define PARLEY_ANALYZE_H

#include "parley/api.h"

#include <stdbool.h>
#include <stddef.h>

#include "parley/error.h"
#include "parley/scenario.h"
#include "parley/utility.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The tolerance of dominance, rationality and ties (the reference data is exact rational arithmetic). */
#define PARLEY_ANALYZE_TOLERANCE 1e-12
/* Enumeration limits: at most this many outcomes, and at most PARLEY_ANALYZE_MAX_CELLS outcomes x parties
 * (the utilities held: 8 bytes each). Past either, parley_analyze fails with PARLEY_E_LIMIT. */
#define PARLEY_ANALYZE_MAX_OUTCOMES 20000000u
#define PARLEY_ANALYZE_MAX_CELLS 60000000u

typedef struct parley_analysis parley_analysis;

/* Whether the Pareto frontier is listed. AUTO: with up to 3 parties. Without it, the points are still
 * found (each tie checked against every outcome). */
typedef enum parley_frontier_mode { PARLEY_FRONTIER_AUTO = 0, PARLEY_FRONTIER_ALWAYS, PARLEY_FRONTIER_NEVER } parley_frontier_mode;

typedef struct parley_analyze_options {
    const size_t *actors;        /* the parties, as actor indices (no repeats); NULL: every actor */
    size_t n_actors;
    size_t grid;                 /* points of a scale issue without its own grid; 0: positions + reference */
    parley_utility_shape shape;  /* value of a scale issue (parley_evaluation) */
    parley_frontier_mode frontier;
} parley_analyze_options;

/* The four points. */
typedef enum parley_point {
    PARLEY_POINT_NASH = 0,         /* max prod_i (u_i - r_i) over the rational Pareto frontier */
    PARLEY_POINT_KALAI_SMORODINSKY, /* max min_i (u_i - r_i) / (ideal_i - r_i), ideals over rational outcomes */
    PARLEY_POINT_EGALITARIAN,      /* max min_i (u_i - r_i) */
    PARLEY_POINT_MAX_WELFARE,      /* max sum_i u_i */
    PARLEY_POINT_COUNT
} parley_point;

/* Returns the point's name in JSON ("nash", "kalai_smorodinsky", "egalitarian", "max_welfare"). */
PARLEY_API const char *parley_point_name(parley_point p);

/* Analyses the outcome space of the finalized scenario s for the parties o names (o NULL: every actor,
 * the default grid, linear values, the frontier up to 3 parties). Returns PARLEY_OK and sets *out, or
 * PARLEY_E_USAGE (a bad actor index or grid), PARLEY_E_LIMIT (past the limits above: err says how many
 * outcomes each issue makes) or PARLEY_E_NOMEM, *out NULL. Cost: enumeration O(outcomes x parties); the
 * frontier O(n log n) for 2 and 3 parties (a sort by each party's utility, then a sweep: for 3 parties
 * with a Fenwick tree of the best third utility by second), O(n log n + n F p) for p >= 4 parties with a
 * frontier of F outcomes (sorted, then each outcome checked against the frontier so far). */
PARLEY_API parley_status parley_analyze(const parley_scenario *s, const parley_analyze_options *o, parley_analysis **out,
                                        parley_error *err);
PARLEY_API void parley_analysis_free(parley_analysis *a);

/* The number of outcomes, and of rational ones. */
PARLEY_API size_t parley_analysis_outcome_count(const parley_analysis *a);
PARLEY_API size_t parley_analysis_rational_count(const parley_analysis *a);
/* The parties analysed: their count, party j's actor index, reservation value r_j and ideal (its best
 * utility over rational outcomes; NaN when there is none). */
PARLEY_API size_t parley_analysis_party_count(const parley_analysis *a);
PARLEY_API size_t parley_analysis_party_actor(const parley_analysis *a, size_t j);
PARLEY_API double parley_analysis_reservation(const parley_analysis *a, size_t j);
PARLEY_API double parley_analysis_ideal(const parley_analysis *a, size_t j);
/* The number of values issue k takes in the enumeration. */
PARLEY_API size_t parley_analysis_value_count(const parley_analysis *a, size_t k);

/* Outcome i's value of issue k: a number on a scale or integer issue, the option's index on an option
 * issue (NaN past the end). */
PARLEY_API double parley_analysis_value(const parley_analysis *a, size_t i, size_t k);
/* Party j's utility of outcome i (NaN past the end). */
PARLEY_API double parley_analysis_utility(const parley_analysis *a, size_t i, size_t j);
/* Whether outcome i is rational. */
PARLEY_API bool parley_analysis_rational(const parley_analysis *a, size_t i);

/* Whether the frontier was listed; its size (every undominated outcome, ties kept; 0 when not listed)
 * and its i-th outcome, in descending order of the parties' utilities (party 0 first), then by index. */
PARLEY_API bool parley_analysis_has_frontier(const parley_analysis *a);
PARLEY_API size_t parley_analysis_frontier_count(const parley_analysis *a);
PARLEY_API size_t parley_analysis_frontier_at(const parley_analysis *a, size_t i);
/* How many outcomes tie at point p (0 when no outcome is rational), the i-th of them (ordered as the
 * frontier), and the optimised value (NaN when none). */
PARLEY_API size_t parley_analysis_point_count(const parley_analysis *a, parley_point p);
PARLEY_API size_t parley_analysis_point_at(const parley_analysis *a, parley_point p, size_t i);
PARLEY_API double parley_analysis_point_value(const parley_analysis *a, parley_point p);

/* Writes the analysis a of s as "text" (for people: the zone of agreement and who gains what at each
 * point) or "json" (docs/analyze.md). note (may be NULL) is a line the text prints under the parties, e.g.
 * why these parties. Returns a malloc'd text the caller frees, or NULL (err says why: PARLEY_E_USAGE for
 * an unknown format). */
PARLEY_API char *parley_analysis_report(const parley_scenario *s, const parley_analysis *a, const char *format,
                                        const char *note, parley_error *err);
/* Draws the outcomes, the frontier and the four points of a in the plane of parties jx (across) and jy (up)
 * as deterministic SVG. Needs the frontier when there are more than two parties. Returns a malloc'd text
 * the caller frees, or NULL (err says why). */
PARLEY_API char *parley_analysis_svg(const parley_scenario *s, const parley_analysis *a, size_t jx, size_t jy,
                                     parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
