/* utility.h - each actor's preferences over whole agreements: additive utilities, reservation values,
 * option issues and what GENIUS profiles add (discount factors, strategies).
 *
 * An outcome is one value per issue, in issue order: a number on a scale issue (a whole number on an
 * integer one) and the option's index on an option issue. Every function here needs a finalized scenario
 * and is safe to call from any number of threads. */
#ifndef PARLEY_UTILITY_H
#define PARLEY_UTILITY_H

#include "parley/api.h"

#include <stdbool.h>
#include <stddef.h>

#include "parley/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How an actor's value of a scale issue falls with the distance d = |x - p| / (high - low) from its
 * position p: 1 - d (LINEAR, the default) or 1 - d^2 (QUADRATIC); the names nash's `utility` option uses.
 * Evaluators read from a file (GENIUS's) and option issues ignore the shape. */
typedef enum parley_utility_shape { PARLEY_UTILITY_LINEAR = 0, PARLEY_UTILITY_QUADRATIC } parley_utility_shape;

/* The kind of an issue's values. */
typedef enum parley_issue_kind {
    PARLEY_ISSUE_SCALE = 0, /* any number in [low, high] */
    PARLEY_ISSUE_INTEGER,   /* the whole numbers in [low, high] (GENIUS integer issues) */
    PARLEY_ISSUE_OPTIONS    /* one of a list of named options */
} parley_issue_kind;

/* Returns the kind of issue (SCALE when out of range). */
PARLEY_API parley_issue_kind parley_issue_kind_of(const parley_scenario *s, size_t issue);
/* Returns the number of options of an option issue; 0 for any other issue. */
PARLEY_API size_t parley_issue_option_count(const parley_scenario *s, size_t issue);
/* Returns the text of option j of issue, or NULL past the end. */
PARLEY_API const char *parley_issue_option(const parley_scenario *s, size_t issue, size_t j);
/* Returns true and sets *j when issue has an option with this text. */
PARLEY_API bool parley_issue_find_option(const parley_scenario *s, size_t issue, const char *text, size_t *j);
/* Returns the number of evenly spaced points (ends included) a scale issue is to be enumerated at, as its
 * file said (GENIUS real issues: the reader's real_grid, 31 by default); 0 when the file said nothing. */
PARLEY_API size_t parley_issue_grid(const parley_scenario *s, size_t issue);
/* Returns true when some issue of s is an option issue: models that need a scale do not suit s. */
PARLEY_API bool parley_scenario_has_options(const parley_scenario *s);

/* Returns v_ik(x), actor's value in [0, 1] of value x of issue: on an option issue the evaluation of
 * option x (0 when not given); on a scale with a GENIUS evaluator clamp(slope (x - origin) + offset, 0, 1);
 * else 1 - d or 1 - d^2 (see parley_utility_shape; 1 on a scale of zero width). 0 when the actor takes
 * no part in the issue, or x is NaN or no option. */
PARLEY_API double parley_evaluation(const parley_scenario *s, size_t actor, size_t issue, double x,
                                    parley_utility_shape shape);
/* Returns w_ik, actor's weight of issue: its salience divided by the sum of its saliences over the issues
 * it takes part in (0 when that sum is 0), or the salience as written for a GENIUS profile (weights that
 * may sum to 1.00005). 0 when it takes no part. O(issues the actor takes part in). */
PARLEY_API double parley_weight(const parley_scenario *s, size_t actor, size_t issue);
/* Returns u_i(x) = sum over issues k of w_ik v_ik(x_k), x holding one value per issue (see above).
 * O(issues the actor takes part in). */
PARLEY_API double parley_utility(const parley_scenario *s, size_t actor, const double *x, parley_utility_shape shape);
/* Fills out[j] = w_ik v_ik(values[j]) for the n values of issue k (option indices on an option issue): an
 * actor's utility of an outcome is then the sum over issues of one entry each, the fast way to weigh many
 * outcomes (parley_utility recomputes the weights on every call). O(n + issues the actor takes part in). */
PARLEY_API void parley_weighted_evaluations(const parley_scenario *s, size_t actor, size_t issue, const double *values,
                                            size_t n, parley_utility_shape shape, double *out);
/* Returns the actor's reservation value, its utility of no agreement: the file's `reservation`; else its
 * utility of the reference point when every issue has one; else 0. */
PARLEY_API double parley_reservation(const parley_scenario *s, size_t actor, parley_utility_shape shape);
/* Returns true when the file gave the actor's reservation value (else parley_reservation is a default). */
PARLEY_API bool parley_reservation_given(const parley_scenario *s, size_t actor);
/* Returns the reason written for the actor's reservation value, or NULL. */
PARLEY_API const char *parley_reservation_why(const parley_scenario *s, size_t actor);
/* Returns the actor's discount factor d in (0, 1] (a utility u reached at time t in [0, 1] is worth
 * u d^t); 1 when none was given. */
PARLEY_API double parley_actor_discount(const parley_scenario *s, size_t actor);
/* Returns the negotiation strategy the file names for the actor ("boulware", ...), or NULL. */
PARLEY_API const char *parley_actor_strategy(const parley_scenario *s, size_t actor);

#ifdef __cplusplus
}
#endif
#endif
