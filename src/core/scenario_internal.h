/* scenario_internal.h - the scenario's layout, shared by the core, the readers and the writers.
 * Models use only the public getters in parley/scenario.h. */
#ifndef PARLEY_SCENARIO_INTERNAL_H
#define PARLEY_SCENARIO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/scenario.h"
#include "util.h"

/* Size limits of the parts that only the native JSON holds (docs/scenario-format.md, "Size limits"). */
#define PARLEY_MAX_VARIANTS 1000u
#define PARLEY_MAX_SHOCKS 100000u
#define PARLEY_MAX_OPTIONS 10000u /* options of one option issue */

/* An analyst's uncertainty about a number (parley_uncertainty, see parley/scenario.h). */
typedef struct pdist {
    parley_dist kind;
    double low, high, sd; /* NaN when not given; a normal's bounds default to the field's legal range */
} pdist;

/* A number as read, with an optional free-text reason and uncertainty; v is NaN when the number is absent. */
typedef struct pnum {
    double v;
    char *why;
    pdist u;
} pnum;

/* Where something was read from, for error messages. */
typedef struct ploc {
    int line, column;
} ploc;

typedef struct pkv {
    char *key, *value;
} pkv;

typedef struct pactor {
    char *id, *name, *description;
    pnum capability;
    pnum reservation;        /* utility of no agreement, in [0, 1]; NaN: the default (parley_reservation) */
    double discount;         /* GENIUS discount factor in (0, 1]; NaN when not given (no discounting) */
    char *strategy;          /* negotiation strategy named in the file, or NULL */
    bool weights_as_written; /* weights are the saliences as written (GENIUS), not normalised to sum 1 */
    ploc loc;
} pactor;

typedef struct pissue {
    char *id, *label, *description, *date, *low_label, *high_label;
    pnum low, high, reference, outcome;
    pkv *attrs;
    size_t n_attrs, cap_attrs;
    /* An option issue when n_options > 0: its values (positions, reference, outcome) are option indices,
     * low is 0 and high n_options - 1 (set by finalize), and stances hold evaluations, not positions. */
    char **options;
    size_t n_options;
    bool integer; /* a scale whose values are whole numbers (GENIUS integer issue) */
    size_t grid;  /* points to enumerate a continuous scale at (GENIUS real issue); 0 = not said */
    ploc loc;
} pissue;

typedef struct pstance {
    size_t actor, issue;
    pnum position, salience, capability;
    /* How the actor values the issue's values: on an option issue, evals[j] for option j (n_options of
     * them, NaN = not given, which counts 0); on a scale, when linear, clamp(slope (x - origin) + offset,
     * 0, 1) (GENIUS evaluators); else the distance from position (parley_evaluation). */
    double *evals;
    bool linear;
    double slope, offset, origin;
    ploc loc;
    int col_position, col_salience, col_capability; /* where each number was read; 0 = loc's column */
} pstance;

/* One change of a variant: set, shift or scale a number ("actor/issue/field" or "actor/capability"),
 * remove an actor, or add one with its stances. */
typedef enum pchange_op { PC_SET = 0, PC_SHIFT, PC_SCALE, PC_REMOVE, PC_ADD } pchange_op;

typedef struct padded_stance {
    char *issue;
    double position, salience;
} padded_stance;

typedef struct pchange {
    pchange_op op;
    char *target;          /* the number's path, or the actor to remove */
    int round;             /* > 0: a shock at that round of the round-based models (positions only) */
    double value;          /* set: the value; shift: the amount; scale: the factor */
    char *add_id, *add_name; /* add: the new actor */
    double add_capability;
    padded_stance *stances;
    size_t n_stances;
    ploc loc;
} pchange;

/* A shock: at the start of round `round`, a round-based model sets, shifts or scales an actor's position
 * on an issue (kept on the issue's scale). */
typedef struct pshock {
    size_t actor, issue;
    int round;
    pchange_op op;
    double value;
    ploc loc;
} pshock;

typedef struct pvariant {
    char *id, *name, *description;
    pchange *changes;
    size_t n_changes, cap_changes;
    ploc loc;
} pvariant;

struct parley_scenario {
    char *name, *description, *date, *notes;
    char **sources;
    size_t n_sources, cap_sources;
    char *models; /* model SPEC from the file */
    ploc models_loc; /* where it was read, for messages */
    pvariant *variants; /* named what-ifs (variants.c applies them) */
    size_t n_variants, cap_variants;
    pshock *shocks;     /* applied by round-based models (pm_shock) */
    size_t n_shocks, cap_shocks;
    bool batch;

    pactor *actors;
    size_t n_actors, cap_actors;
    pissue *issues;
    size_t n_issues, cap_issues;
    pstance *stances; /* in the order read; written back in that order */
    size_t n_stances, cap_stances;

    /* Built by finalize: the sparse index, O(actors + issues + stances) whatever the file's shape (a dense
     * issues x actors grid of the limits, 100,000 x 10,000, would take 8 GB). by_issue holds the stances'
     * indices sorted by (issue, actor), issue k's run being by_issue[issue_start[k] .. issue_start[k + 1]);
     * by_actor the same sorted by (actor, issue), with actor_start. A second stance on one cell is left out
     * (finalize reports it). NULL before finalize.
     * An issue that at least one actor in 4 takes part in also gets a direct map, actor -> stance index
     * (UINT32_MAX: none), at cells[dense_at[k] ..] (dense_at[k] SIZE_MAX when none): an O(1) lookup in at
     * most 16 bytes per stance of the issue, as fast as the old dense grid for the files most have. */
    size_t *by_issue, *issue_start;
    size_t *by_actor, *actor_start;
    size_t *dense_at;
    uint32_t *cells;
    size_t n_cells;
    pu_map actor_ids, issue_ids;
    bool finalized;

    char *source, *format;
    char sha256[65];
};

/* Returns the index in stances of actor's stance on issue, or SIZE_MAX when it has none (or the scenario
 * is not finalized). O(1) on an issue with a direct map (dense_at); else a search of the shorter of the
 * issue's and the actor's runs, interpolating (a few steps on a random run, O(log) at worst). */
size_t sc_cell(const parley_scenario *s, size_t actor, size_t issue);

/* Sets one drawn number in copy, a private clone (parley_scenario_clone) that no other thread reads: the
 * actor's own capability when stance is SIZE_MAX, else field of stances[stance]. Only the value changes
 * (its uncertainty and reason stay), so the copy stays valid for the models; the caller draws within the
 * number's declared range. Returns false when the stance or actor is out of range. This is the one way a
 * finalized scenario changes: Monte Carlo and the swings of sensitivity use it on their own copies. */
bool sc_set_drawn(parley_scenario *copy, size_t actor, size_t stance, parley_field field, double v);

/* Each returns a pointer to the new zeroed element (numbers NaN), or NULL when out of memory or past a
 * size limit (then *status says which). */
pactor *sc_new_actor(parley_scenario *s, parley_status *status);
pissue *sc_new_issue(parley_scenario *s, parley_status *status);
pstance *sc_new_stance(parley_scenario *s, parley_status *status);
/* Returns false when out of memory. */
bool sc_add_source(parley_scenario *s, const char *text);
bool sc_issue_add_attr(pissue *is, const char *key, const char *value);
/* Adds an option to an option issue. Returns false when out of memory. */
bool sc_issue_add_option(pissue *is, const char *option);
/* Returns the index of option text in issue is, or SIZE_MAX. */
size_t sc_option_index(const pissue *is, const char *text);
/* Gives the stance its table of evaluations (one per option of its issue, NaN). Returns false when out of
 * memory. */
bool sc_stance_evals(pstance *st, size_t n_options);
/* Sets a text field; value is copied. Returns false when out of memory. */
bool sc_set_str(char **field, const char *value);
pnum pnum_none(void);
bool pnum_has(pnum n);

/* Decides whether a file's saliences are fractions or percentages and divides them by 100 when needed.
 * scale is "auto", "fraction" or "percent". "auto" applies the rule: every salience in [0, 1] means
 * fractions; some above 1 and none strictly between 0 and 1 means percentages; a mix is an error (into
 * err, naming file and the rows above 1) and NULL is returned with nothing changed. Otherwise returns the
 * scale applied ("fraction" or "percent"). */
const char *sc_apply_salience_scale(parley_scenario *s, const char *scale, parley_error *err, const char *file);

/* Makes per-stance capabilities that all equal the actor's one value into the actor's capability, so
 * formats that repeat capability on every row (CSV, Decide) round-trip cleanly. Stances must carry their
 * capability; actors without one get the first value seen. */
void sc_fold_capabilities(parley_scenario *s);

/* Sets low/high of every issue without a declared scale to the observed range of its positions, in one
 * pass over the stances. Returns false when out of memory (nothing is set then). */
bool sc_observed_scales(parley_scenario *s);

#endif
