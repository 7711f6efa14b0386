/* scenario.h - the scenario: actors, issues and each actor's stance on each issue.
 *
 * Ownership: parley_scenario_new and the readers (io.h) return a scenario the caller frees with
 * parley_scenario_free. Every string or pointer a getter returns is owned by the scenario and lives until
 * it is freed. A scenario is built, then validated once by parley_scenario_finalize; getters and models
 * need a finalized scenario, and a finalized scenario is never changed again. parley_scenario_clone makes
 * an independent copy the caller frees with parley_scenario_free.
 *
 * Memory: O(actors + issues + stances), whatever the shape (stances are stored once, indexed by issue and
 * by actor); a scenario of 30,000 actors and 10,000 issues with one stance is small. */
#ifndef PARLEY_SCENARIO_H
#define PARLEY_SCENARIO_H

#include "parley/api.h"

#include <stdbool.h>
#include <stddef.h>

#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parley_scenario parley_scenario;

/* Documented size limits (docs/scenario-format.md). Readers reject larger inputs with PARLEY_E_LIMIT. */
#define PARLEY_MAX_FILE_BYTES (64u * 1024u * 1024u)
#define PARLEY_MAX_ACTORS 100000u
#define PARLEY_MAX_ISSUES 10000u
#define PARLEY_MAX_STANCES 2000000u
#define PARLEY_MAX_TEXT 65536u

/* Text fields of a scenario, an actor or an issue. */
typedef enum parley_text {
    PARLEY_TEXT_NAME = 0,    /* scenario name, actor name, issue label */
    PARLEY_TEXT_DESCRIPTION,
    PARLEY_TEXT_DATE,        /* scenario date, issue date (ISO 8601 when known) */
    PARLEY_TEXT_NOTES,       /* scenario notes */
    PARLEY_TEXT_LOW_LABEL,   /* issue: what the low end of the scale means */
    PARLEY_TEXT_HIGH_LABEL   /* issue: what the high end means */
} parley_text;

/* Numeric fields of an issue. */
typedef enum parley_issue_field {
    PARLEY_ISSUE_LOW = 0,
    PARLEY_ISSUE_HIGH,
    PARLEY_ISSUE_REFERENCE, /* status quo; NaN when unknown */
    PARLEY_ISSUE_OUTCOME    /* known outcome; NaN when unknown */
} parley_issue_field;

/* ---- building ---- */

/* Returns a new empty scenario, or NULL when out of memory. */
PARLEY_API parley_scenario *parley_scenario_new(void);
PARLEY_API void parley_scenario_free(parley_scenario *s);

/* Each adder returns PARLEY_OK, PARLEY_E_NOMEM, PARLEY_E_LIMIT, or PARLEY_E_USAGE when the scenario is
 * already finalized. Duplicate ids are reported by parley_scenario_finalize, not here. */
PARLEY_API parley_status parley_scenario_add_actor(parley_scenario *s, const char *id, const char *name, double capability,
                                        size_t *index);
PARLEY_API parley_status parley_scenario_add_issue(parley_scenario *s, const char *id, const char *label, double low,
                                        double high, size_t *index);
/* Sets actor's stance on issue (indices from the adders). capability may be NaN: use the actor's. */
PARLEY_API parley_status parley_scenario_set_stance(parley_scenario *s, size_t actor, size_t issue, double position,
                                         double salience, double capability);
PARLEY_API parley_status parley_scenario_set_text(parley_scenario *s, parley_text field, const char *value);
PARLEY_API parley_status parley_scenario_set_actor_text(parley_scenario *s, size_t actor, parley_text field, const char *value);
PARLEY_API parley_status parley_scenario_set_issue_text(parley_scenario *s, size_t issue, parley_text field, const char *value);
PARLEY_API parley_status parley_scenario_set_issue_number(parley_scenario *s, size_t issue, parley_issue_field field, double v);

/* Checks every rule (unique ids, finite numbers, capability >= 0, salience in [0, 1], positions,
 * reference and outcome on the scale, at least one actor and one issue) and reports every fault into err.
 * Returns PARLEY_OK, after which the scenario is read-only, or the status of the first fault. */
PARLEY_API parley_status parley_scenario_finalize(parley_scenario *s, parley_error *err);

/* ---- reading (finalized scenarios) ---- */

PARLEY_API const char *parley_scenario_text(const parley_scenario *s, parley_text field); /* NULL when unset */
PARLEY_API size_t parley_scenario_actor_count(const parley_scenario *s);
PARLEY_API size_t parley_scenario_issue_count(const parley_scenario *s);
/* Returns true when the issues are unrelated decisions (a DEU batch), false for one negotiation. */
PARLEY_API bool parley_scenario_is_batch(const parley_scenario *s);

/* Variants: named what-ifs a scenario declares (see docs/scenario-format.md). parley_scenario_variant
 * (io.h) builds the scenario a variant describes. */
PARLEY_API size_t parley_variant_count(const parley_scenario *s);
PARLEY_API const char *parley_variant_id(const parley_scenario *s, size_t v);
/* PARLEY_TEXT_NAME or PARLEY_TEXT_DESCRIPTION; NULL when not given. */
PARLEY_API const char *parley_variant_text(const parley_scenario *s, size_t v, parley_text field);

/* Shocks: at the start of a round, round-based models (bdm, exchange, smp) set, shift or scale an actor's
 * position on an issue, kept on the issue's scale. Static models ignore them. Fills what is asked; op is
 * "set", "shift" or "scale". Returns false past the end. */
PARLEY_API size_t parley_shock_count(const parley_scenario *s);
PARLEY_API bool parley_shock(const parley_scenario *s, size_t i, size_t *actor, size_t *issue, int *round, double *value, const char **op);

/* Uncertainty an analyst attaches to a position, salience or capability: the number itself is the best
 * guess (the mode of a triangular, the mean of a normal); draws stay within [low, high]. */
typedef enum parley_dist {
    PARLEY_DIST_NONE = 0,
    PARLEY_DIST_UNIFORM,
    PARLEY_DIST_TRIANGULAR,
    PARLEY_DIST_NORMAL /* truncated to [low, high] */
} parley_dist;

typedef struct parley_uncertainty {
    parley_dist kind;
    double low, high, sd; /* sd for NORMAL only */
} parley_uncertainty;

typedef enum parley_field { PARLEY_FIELD_POSITION = 0, PARLEY_FIELD_SALIENCE, PARLEY_FIELD_CAPABILITY } parley_field;

/* Returns the uncertainty of a stance's field, or of the actor's own capability when issue is SIZE_MAX
 * (kind NONE when the number is certain or absent). */
PARLEY_API parley_uncertainty parley_uncertainty_of(const parley_scenario *s, size_t actor, size_t issue, parley_field field);
/* Returns the reason written for a stance's field, or for the actor's own capability when issue is
 * SIZE_MAX; NULL when none. */
PARLEY_API const char *parley_why(const parley_scenario *s, size_t actor, size_t issue, parley_field field);
/* Returns the name of a distribution ("uniform", ...; "none"). */
PARLEY_API const char *parley_dist_name(parley_dist kind);

PARLEY_API const char *parley_actor_id(const parley_scenario *s, size_t actor);
PARLEY_API const char *parley_actor_text(const parley_scenario *s, size_t actor, parley_text field);
PARLEY_API double parley_actor_capability(const parley_scenario *s, size_t actor);
/* Returns true and sets *index when an actor (or issue) has this id. */
PARLEY_API bool parley_scenario_find_actor(const parley_scenario *s, const char *id, size_t *index);
PARLEY_API bool parley_scenario_find_issue(const parley_scenario *s, const char *id, size_t *index);

PARLEY_API const char *parley_issue_id(const parley_scenario *s, size_t issue);
PARLEY_API const char *parley_issue_text(const parley_scenario *s, size_t issue, parley_text field);
PARLEY_API double parley_issue_number(const parley_scenario *s, size_t issue, parley_issue_field field);
/* Returns the reason written for an issue's number (e.g. why the outcome is what it is), or NULL. */
PARLEY_API const char *parley_issue_why(const parley_scenario *s, size_t issue, parley_issue_field field);
/* Returns the issue's text attribute with this key (e.g. a DEU file's "prnrnmc"), or NULL. */
PARLEY_API const char *parley_issue_attribute(const parley_scenario *s, size_t issue, const char *key);

/* Returns true when actor takes part in issue, and then sets the position, salience (in [0, 1]) and the
 * effective capability (the per-issue override, or the actor's capability). Any out pointer may be NULL.
 * O(1) when at least one actor in 4 takes part in the issue; else a search of the shorter of the
 * issue's and the actor's runs, O(log) at worst. */
PARLEY_API bool parley_stance(const parley_scenario *s, size_t actor, size_t issue, double *position, double *salience,
                   double *capability);

/* Returns a deep copy of the finalized scenario s (every text, number, uncertainty, variant, shock, its
 * provenance and its index), owned by the caller and freed with parley_scenario_free; the two share
 * nothing, so either may be freed first. Returns NULL when out of memory or when s is NULL or not
 * finalized. The copy serializes to the same bytes as s. */
PARLEY_API parley_scenario *parley_scenario_clone(const parley_scenario *s);

/* ---- stances, one issue's or one actor's at a time ----
 * Walking a run costs O(its stances), where a loop over every actor of an issue costs O(actors): use these
 * where only the stances matter. Runs are in index order (an issue's stances by actor index, an actor's by
 * issue index); j counts from 0. */

/* Returns the number of stances of the scenario (each actor's stance on an issue counted once). */
PARLEY_API size_t parley_scenario_stance_count(const parley_scenario *s);
/* Returns the number of actors that take part in issue (0 when issue is out of range). */
PARLEY_API size_t parley_issue_stance_count(const parley_scenario *s, size_t issue);
/* Returns false when j >= parley_issue_stance_count(s, issue); otherwise sets the j-th stance's actor and,
 * as parley_stance does, its position, salience and effective capability. Any out pointer may be NULL. */
PARLEY_API bool parley_issue_stance_at(const parley_scenario *s, size_t issue, size_t j, size_t *actor, double *position,
                                       double *salience, double *capability);
/* Returns the number of issues actor takes part in (0 when actor is out of range). */
PARLEY_API size_t parley_actor_stance_count(const parley_scenario *s, size_t actor);
/* Returns false when j >= parley_actor_stance_count(s, actor); otherwise sets the j-th stance's issue and
 * its position, salience and effective capability. Any out pointer may be NULL. */
PARLEY_API bool parley_actor_stance_at(const parley_scenario *s, size_t actor, size_t j, size_t *issue, double *position,
                                       double *salience, double *capability);

/* Provenance, set by the readers: the input's path, format name and SHA-256 (hex). NULL when unknown. */
PARLEY_API const char *parley_scenario_source(const parley_scenario *s);
PARLEY_API const char *parley_scenario_format(const parley_scenario *s);
PARLEY_API const char *parley_scenario_sha256(const parley_scenario *s);
/* The model SPEC stored in the scenario file ("models" key), or NULL. */
PARLEY_API const char *parley_scenario_models(const parley_scenario *s);

#ifdef __cplusplus
}
#endif
#endif
