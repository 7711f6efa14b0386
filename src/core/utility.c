/* utility.c - additive utilities of whole agreements, reservation values and the option-issue getters. */
#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "parley/utility.h"
#include "scenario_internal.h"

parley_issue_kind parley_issue_kind_of(const parley_scenario *s, size_t issue)
{
    if (issue >= s->n_issues) return PARLEY_ISSUE_SCALE;
    const pissue *is = &s->issues[issue];
    return is->n_options ? PARLEY_ISSUE_OPTIONS : is->integer ? PARLEY_ISSUE_INTEGER : PARLEY_ISSUE_SCALE;
}

size_t parley_issue_option_count(const parley_scenario *s, size_t issue)
{
    return issue < s->n_issues ? s->issues[issue].n_options : 0;
}

const char *parley_issue_option(const parley_scenario *s, size_t issue, size_t j)
{
    return issue < s->n_issues && j < s->issues[issue].n_options ? s->issues[issue].options[j] : NULL;
}

bool parley_issue_find_option(const parley_scenario *s, size_t issue, const char *text, size_t *j)
{
    if (issue >= s->n_issues || !text) return false;
    size_t at = sc_option_index(&s->issues[issue], text);
    if (at == SIZE_MAX) return false;
    if (j) *j = at;
    return true;
}

size_t parley_issue_grid(const parley_scenario *s, size_t issue)
{
    return issue < s->n_issues && !s->issues[issue].n_options ? s->issues[issue].grid : 0;
}

bool parley_scenario_has_options(const parley_scenario *s)
{
    for (size_t k = 0; k < s->n_issues; k++)
        if (s->issues[k].n_options) return true;
    return false;
}

/* The value of x to the stance st on issue is (see parley_evaluation). */
static double stance_value(const pissue *is, const pstance *st, double x, parley_utility_shape shape)
{
    if (isnan(x)) return 0;
    if (is->n_options) {
        /* Option indices arrive as doubles: anything but a whole index in range is no option. */
        if (!(x >= 0 && x < (double)is->n_options) || x != floor(x) || !st->evals) return 0;
        double e = st->evals[(size_t)x];
        return isnan(e) ? 0 : e;
    }
    if (st->linear) return fmin(1.0, fmax(0.0, st->slope * (x - st->origin) + st->offset));
    double width = is->high.v - is->low.v;
    if (!(width > 0)) return 1;
    double d = fabs(x - st->position.v) / width;
    return shape == PARLEY_UTILITY_QUADRATIC ? 1 - d * d : 1 - d;
}

double parley_evaluation(const parley_scenario *s, size_t actor, size_t issue, double x, parley_utility_shape shape)
{
    size_t i = sc_cell(s, actor, issue);
    return i == SIZE_MAX ? 0 : stance_value(&s->issues[issue], &s->stances[i], x, shape);
}

/* The divisor of actor's saliences: their sum, or 1 when its weights are used as written. */
static double weight_divisor(const parley_scenario *s, size_t actor)
{
    if (s->actors[actor].weights_as_written) return 1;
    double sum = 0;
    size_t n = parley_actor_stance_count(s, actor);
    for (size_t j = 0; j < n; j++) sum += s->stances[s->by_actor[s->actor_start[actor] + j]].salience.v;
    return sum;
}

double parley_weight(const parley_scenario *s, size_t actor, size_t issue)
{
    if (actor >= s->n_actors) return 0;
    size_t i = sc_cell(s, actor, issue);
    if (i == SIZE_MAX) return 0;
    double div = weight_divisor(s, actor);
    return div > 0 ? s->stances[i].salience.v / div : 0;
}

double parley_utility(const parley_scenario *s, size_t actor, const double *x, parley_utility_shape shape)
{
    if (actor >= s->n_actors || !s->by_actor) return 0;
    double div = weight_divisor(s, actor);
    if (!(div > 0)) return 0;
    double u = 0;
    size_t n = parley_actor_stance_count(s, actor);
    for (size_t j = 0; j < n; j++) {
        const pstance *st = &s->stances[s->by_actor[s->actor_start[actor] + j]];
        u += st->salience.v / div * stance_value(&s->issues[st->issue], st, x[st->issue], shape);
    }
    return u;
}

void parley_weighted_evaluations(const parley_scenario *s, size_t actor, size_t issue, const double *values, size_t n,
                                 parley_utility_shape shape, double *out)
{
    size_t i = actor < s->n_actors ? sc_cell(s, actor, issue) : SIZE_MAX;
    double div = i == SIZE_MAX ? 0 : weight_divisor(s, actor);
    double w = div > 0 ? s->stances[i].salience.v / div : 0;
    for (size_t j = 0; j < n; j++) out[j] = w > 0 ? w * stance_value(&s->issues[issue], &s->stances[i], values[j], shape) : 0;
}

double parley_reservation(const parley_scenario *s, size_t actor, parley_utility_shape shape)
{
    if (actor >= s->n_actors) return 0;
    if (pnum_has(s->actors[actor].reservation)) return s->actors[actor].reservation.v;
    /* The default: what the actor has now (the reference point), when the scenario says what that is on
     * every issue; with any issue unknown, nothing is assumed (0). The point is at most PARLEY_MAX_ISSUES
     * doubles, so it goes on the heap. */
    size_t ni = s->n_issues;
    for (size_t k = 0; k < ni; k++)
        if (isnan(s->issues[k].reference.v)) return 0;
    double *x = malloc(ni * sizeof *x);
    if (!x) return 0;
    for (size_t k = 0; k < ni; k++) x[k] = s->issues[k].reference.v;
    double u = parley_utility(s, actor, x, shape);
    free(x);
    return u;
}

bool parley_reservation_given(const parley_scenario *s, size_t actor)
{
    return actor < s->n_actors && pnum_has(s->actors[actor].reservation);
}

const char *parley_reservation_why(const parley_scenario *s, size_t actor)
{
    return actor < s->n_actors ? s->actors[actor].reservation.why : NULL;
}

double parley_actor_discount(const parley_scenario *s, size_t actor)
{
    return actor < s->n_actors && !isnan(s->actors[actor].discount) ? s->actors[actor].discount : 1.0;
}

const char *parley_actor_strategy(const parley_scenario *s, size_t actor)
{
    return actor < s->n_actors ? s->actors[actor].strategy : NULL;
}
