/* advise.h - "what should we do?": for one actor, what it gains at the headline forecast, which of its own
 * numbers and which other actor's position move that forecast its way, and the trades open to it.
 *
 * Every figure is measured, never asserted: parley_advise runs the plan on the scenario as written, then
 * once more for every move it tries, on a private copy of the scenario with that one number changed, and
 * reads the headline run's forecast (parley_result_headline; without one, the first run) of the issue moved.
 *
 * Ownership: parley_advise returns an advice the caller frees with parley_advice_free. It holds its own
 * copy of the base result; the scenario and plan may be freed once it returns, though the writers take the
 * scenario to name actors and issues. Getters return values, or pointers the advice owns.
 *
 * Threads: an advice is not changed after parley_advise returns it: any number of threads may read it. */
#ifndef PARLEY_ADVISE_H
#define PARLEY_ADVISE_H

#include "parley/api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/model.h"
#include "parley/result.h"
#include "parley/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parley_advice parley_advice;

/* How far each move goes. A zeroed struct, or NULL, gives the defaults. */
typedef struct parley_advise_options {
    /* A position moves this share of its issue's width (0: 0.1, a tenth of the scale): the actor's own
     * position up and down (kept on the scale), another actor's toward the advised actor's position (and
     * no further than it). */
    double position_step;
    /* The actor's salience moves up and down by this much, kept in [0, 1] (0: 0.1). */
    double salience_step;
    /* Threads and cancel flag of every run (NULL: the defaults); flags are ignored. */
    const parley_run_options *run;
} parley_advise_options;

/* Advises actor (an index of s) under plan with this seed. Returns PARLEY_OK and sets *out, or a status
 * with err filled and *out NULL: PARLEY_E_USAGE for an actor out of range, a failing run's status
 * (PARLEY_E_CANCELLED when cancelled). Cost: 1 + (4 + the other actors on each of its issues) runs of the
 * plan, forecasts only after the first. */
PARLEY_API parley_status parley_advise(const parley_scenario *s, const parley_plan *plan, size_t actor, uint64_t seed,
                                       const parley_advise_options *o, parley_advice **out, parley_error *err);
PARLEY_API void parley_advice_free(parley_advice *a);

/* The advised actor (an index of the scenario), the steps used (defaults filled in), and the base result
 * (the plan on the scenario as written, with every record: the trades come from it). */
PARLEY_API size_t parley_advice_actor(const parley_advice *a);
PARLEY_API double parley_advice_position_step(const parley_advice *a);
PARLEY_API double parley_advice_salience_step(const parley_advice *a);
PARLEY_API const parley_result *parley_advice_base(const parley_advice *a);
/* The run whose forecast the advice moves, and whether it is the headline run (false: no run of the plan
 * gives a distribution, and the first run with forecasts stands in; the writers say so). SIZE_MAX when no
 * run gives any forecast. */
PARLEY_API size_t parley_advice_run(const parley_advice *a);
PARLEY_API bool parley_advice_is_headline(const parley_advice *a);

/* One move tried: actor's field on issue went from `from` to `to`, every other number as written, and the
 * run's forecast of issue moved from the base forecast to `forecast`. toward is how much closer the
 * forecast came to the advised actor's own position, in the scale's units (|base - p| - |forecast - p|):
 * positive moves it the advised actor's way, negative away. */
typedef struct parley_advice_move {
    size_t issue;
    size_t actor; /* whose number moved: the advised actor (its own numbers) or another (persuasion) */
    parley_field field; /* PARLEY_FIELD_POSITION or PARLEY_FIELD_SALIENCE */
    double from, to;
    double forecast; /* NaN when the run gives the issue no forecast after the move */
    double toward;
} parley_advice_move;

/* The advised actor on one issue it takes part in. utility is salience * (1 - |forecast - position| /
 * width): 0 at the far end of the scale from it, its salience at its own position. gain is utility minus
 * the utility of the issue's reference point (the status quo): what the forecast outcome gains (positive)
 * or loses (negative) it against no agreement; NaN without a reference point. best_own and best_persuade
 * index the moves (parley_advice_move_at): the actor's own move, and the move of another actor, that bring
 * the forecast most its way; SIZE_MAX when none brings it any closer. */
typedef struct parley_advice_issue {
    size_t issue;
    double position, salience;
    double forecast;  /* the base forecast; NaN when the run gives none (no moves are tried then) */
    double reference; /* NaN when the issue has none */
    double utility, gain;
    size_t best_own, best_persuade;
} parley_advice_issue;

/* The issues the actor takes part in, in scenario order. Fills *out; returns false past the end. */
PARLEY_API size_t parley_advice_issue_count(const parley_advice *a);
PARLEY_API bool parley_advice_issue_at(const parley_advice *a, size_t i, parley_advice_issue *out);

/* Every move tried, grouped by issue in the order of parley_advice_issue_at: the actor's own four (position
 * down, up; salience down, up; a move that the scale or [0, 1] leaves at its value is skipped), then one per
 * other actor on the issue whose position differs from the advised actor's. Fills *out; false past the end. */
PARLEY_API size_t parley_advice_move_count(const parley_advice *a);
PARLEY_API bool parley_advice_move_at(const parley_advice *a, size_t i, parley_advice_move *out);

/* The trades the exchange model made in the base run with the actor as one of the two sides (i or j of
 * parley_exchange): from the first run that records trades, in its order. Fills *out; false past the end. */
PARLEY_API size_t parley_advice_trade_count(const parley_advice *a);
PARLEY_API bool parley_advice_trade_at(const parley_advice *a, size_t i, parley_exchange *out);

/* The advice as "text", "json" or "html" (a self-contained page): a malloc'd text the caller frees, or NULL
 * with err filled (PARLEY_E_USAGE for another format). s is the scenario the advice was made from. */
PARLEY_API char *parley_advice_report(const parley_scenario *s, const parley_advice *a, const char *format, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
