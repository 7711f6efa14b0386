/* advise.c - one actor's advice, measured by rerunning the plan with one number moved at a time. */
#include "parley/advise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/scenario_internal.h"
#include "../core/util.h"

struct parley_advice {
    size_t actor, run;
    bool headline;
    double position_step, salience_step;
    parley_result *base;
    parley_advice_issue *issues;
    size_t n_issues;
    parley_advice_move *moves;
    size_t n_moves, cap_moves;
    size_t *trades; /* indices of the base result's exchanges */
    size_t n_trades;
};

void parley_advice_free(parley_advice *a)
{
    if (!a) return;
    parley_result_free(a->base);
    free(a->issues), free(a->moves), free(a->trades);
    free(a);
}

/* The run the advice moves: the headline, else the first run with any forecast. */
static size_t pick_run(const parley_result *r, bool *headline)
{
    size_t h = parley_result_headline(r);
    *headline = h != SIZE_MAX;
    if (*headline) return h;
    size_t n = parley_result_forecast_count(r), run, issue;
    double v;
    for (size_t i = 0; i < n; i++)
        if (parley_result_forecast(r, i, &run, &issue, &v, NULL) && !isnan(v)) return run;
    return SIZE_MAX;
}

/* Runs plan on copy (forecasts only) and returns the run's forecast of issue; NaN with *st set on failure. */
static double forecast_of(const parley_scenario *copy, const parley_plan *plan, uint64_t seed, const parley_run_options *o,
                          size_t run, size_t issue, parley_status *st, parley_error *err)
{
    parley_run_options ro = o ? *o : (parley_run_options){0};
    ro.flags = PARLEY_RUN_SUMMARY;
    parley_result *r = NULL;
    /* the reruns' notes repeat the base run's: only a failure is passed on */
    parley_error *own = parley_error_new();
    if (!own) {
        *st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        return NAN;
    }
    *st = parley_run_with(copy, plan, seed, &ro, &r, own);
    for (size_t i = 0; *st != PARLEY_OK && i < parley_error_count(own); i++) {
        const parley_diag *d = parley_error_at(own, i);
        if (d->severity == PARLEY_SEVERITY_ERROR)
            PERR(err, d->status, d->file, d->line, d->column, d->field, "%s", d->message);
    }
    parley_error_free(own);
    double v = r ? parley_result_value(r, run, issue) : NAN;
    parley_result_free(r);
    return v;
}

/* Tries one move on copy: sets the number, reruns, puts it back, and records the move. */
static parley_status try_move(parley_advice *a, parley_scenario *copy, const parley_plan *plan, uint64_t seed,
                              const parley_run_options *o, const parley_advice_issue *ai, size_t who, parley_field field,
                              double from, double to, parley_error *err)
{
    if (to == from) return PARLEY_OK;
    if (!pu_grow((void **)&a->moves, &a->cap_moves, a->n_moves + 1, sizeof *a->moves)) return PARLEY_E_NOMEM;
    size_t cell = sc_cell(copy, who, ai->issue);
    parley_status st;
    sc_set_drawn(copy, who, cell, field, to);
    double f = forecast_of(copy, plan, seed, o, a->run, ai->issue, &st, err);
    sc_set_drawn(copy, who, cell, field, from);
    if (st != PARLEY_OK) return st;
    parley_advice_move m = {ai->issue, who, field, from, to, f, NAN};
    if (!isnan(f)) m.toward = fabs(ai->forecast - ai->position) - fabs(f - ai->position);
    a->moves[a->n_moves++] = m;
    return PARLEY_OK;
}

/* The move of [first, n_moves) that brings the forecast most the actor's way, by more than a rounding's
 * worth of the scale; SIZE_MAX when none does. own: the actor's own moves, else the others'. */
static size_t best_of(const parley_advice *a, size_t first, bool own, double width)
{
    size_t best = SIZE_MAX;
    double eps = 1e-9 * (width > 0 ? width : 1);
    for (size_t m = first; m < a->n_moves; m++) {
        if ((a->moves[m].actor == a->actor) != own || isnan(a->moves[m].toward) || a->moves[m].toward <= eps) continue;
        if (best == SIZE_MAX || a->moves[m].toward > a->moves[best].toward) best = m;
    }
    return best;
}

static parley_status advise_issue(parley_advice *a, const parley_scenario *s, parley_scenario *copy, const parley_plan *plan,
                                  uint64_t seed, const parley_run_options *o, parley_advice_issue *ai, parley_error *err)
{
    size_t k = ai->issue;
    double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
    double width = hi - lo, p = ai->position, sal = ai->salience;
    ai->forecast = a->run == SIZE_MAX ? NAN : parley_result_value(a->base, a->run, k);
    ai->reference = parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE);
    ai->utility = ai->gain = NAN;
    ai->best_own = ai->best_persuade = SIZE_MAX;
    if (isnan(ai->forecast)) return PARLEY_OK;
    if (width > 0) {
        ai->utility = sal * (1 - fabs(ai->forecast - p) / width);
        if (!isnan(ai->reference)) ai->gain = ai->utility - sal * (1 - fabs(ai->reference - p) / width);
    }
    size_t first = a->n_moves;
    double step = a->position_step * width;
    parley_status st = PARLEY_OK;
    if (step > 0) {
        st = try_move(a, copy, plan, seed, o, ai, a->actor, PARLEY_FIELD_POSITION, p, fmax(lo, p - step), err);
        if (st == PARLEY_OK) st = try_move(a, copy, plan, seed, o, ai, a->actor, PARLEY_FIELD_POSITION, p, fmin(hi, p + step), err);
    }
    if (st == PARLEY_OK) st = try_move(a, copy, plan, seed, o, ai, a->actor, PARLEY_FIELD_SALIENCE, sal, fmax(0, sal - a->salience_step), err);
    if (st == PARLEY_OK) st = try_move(a, copy, plan, seed, o, ai, a->actor, PARLEY_FIELD_SALIENCE, sal, fmin(1, sal + a->salience_step), err);
    size_t who;
    double q;
    for (size_t j = 0; st == PARLEY_OK && parley_issue_stance_at(s, k, j, &who, &q, NULL, NULL); j++) {
        if (who == a->actor || q == p) continue;
        /* toward the advised actor by the step, and never past its position */
        double to = q < p ? fmin(p, q + step) : fmax(p, q - step);
        st = try_move(a, copy, plan, seed, o, ai, who, PARLEY_FIELD_POSITION, q, to, err);
    }
    if (st != PARLEY_OK) return st;
    ai->best_own = best_of(a, first, true, width);
    ai->best_persuade = best_of(a, first, false, width);
    return PARLEY_OK;
}

parley_status parley_advise(const parley_scenario *s, const parley_plan *plan, size_t actor, uint64_t seed,
                            const parley_advise_options *o, parley_advice **out, parley_error *err)
{
    *out = NULL;
    if (!s || !plan || actor >= parley_scenario_actor_count(s))
        return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "actor", "expected an actor of the scenario, found index %zu", actor);
    parley_advice *a = calloc(1, sizeof *a);
    if (!a) return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    a->actor = actor;
    a->position_step = o && o->position_step > 0 ? o->position_step : 0.1;
    a->salience_step = o && o->salience_step > 0 ? o->salience_step : 0.1;
    const parley_run_options *ro = o ? o->run : NULL;
    parley_run_options full = ro ? *ro : (parley_run_options){0};
    full.flags = 0;
    parley_status st = parley_run_with(s, plan, seed, &full, &a->base, err);
    parley_scenario *copy = NULL;
    if (st != PARLEY_OK) goto fail;
    a->run = pick_run(a->base, &a->headline);
    a->n_issues = parley_actor_stance_count(s, actor);
    a->issues = calloc(a->n_issues ? a->n_issues : 1, sizeof *a->issues);
    if (!a->issues || !(copy = parley_scenario_clone(s))) {
        st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        goto fail;
    }
    for (size_t j = 0; j < a->n_issues && st == PARLEY_OK; j++) {
        parley_advice_issue *ai = &a->issues[j];
        parley_actor_stance_at(s, actor, j, &ai->issue, &ai->position, &ai->salience, NULL);
        st = advise_issue(a, s, copy, plan, seed, ro, ai, err);
    }
    if (st != PARLEY_OK) goto fail;
    /* the trades of the first run that records any, with the actor on one side */
    parley_exchange e;
    size_t n = parley_result_exchange_count(a->base), trade_run = SIZE_MAX;
    a->trades = malloc((n ? n : 1) * sizeof *a->trades);
    if (!a->trades) {
        st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; parley_result_exchange(a->base, i, &e); i++) {
        if (trade_run == SIZE_MAX) trade_run = e.run;
        if (e.run == trade_run && (e.i == actor || e.j == actor)) a->trades[a->n_trades++] = i;
    }
    parley_scenario_free(copy);
    *out = a;
    return PARLEY_OK;
fail:
    if (parley_error_status(err) == PARLEY_OK) PERR(err, st, NULL, 0, 0, NULL, "%s", parley_status_message(st));
    parley_scenario_free(copy);
    parley_advice_free(a);
    return st;
}

size_t parley_advice_actor(const parley_advice *a) { return a->actor; }
double parley_advice_position_step(const parley_advice *a) { return a->position_step; }
double parley_advice_salience_step(const parley_advice *a) { return a->salience_step; }
const parley_result *parley_advice_base(const parley_advice *a) { return a->base; }
size_t parley_advice_run(const parley_advice *a) { return a->run; }
bool parley_advice_is_headline(const parley_advice *a) { return a->headline; }
size_t parley_advice_issue_count(const parley_advice *a) { return a->n_issues; }
size_t parley_advice_move_count(const parley_advice *a) { return a->n_moves; }
size_t parley_advice_trade_count(const parley_advice *a) { return a->n_trades; }

bool parley_advice_issue_at(const parley_advice *a, size_t i, parley_advice_issue *out)
{
    if (i >= a->n_issues) return false;
    *out = a->issues[i];
    return true;
}

bool parley_advice_move_at(const parley_advice *a, size_t i, parley_advice_move *out)
{
    if (i >= a->n_moves) return false;
    *out = a->moves[i];
    return true;
}

bool parley_advice_trade_at(const parley_advice *a, size_t i, parley_exchange *out)
{
    return i < a->n_trades && parley_result_exchange(a->base, a->trades[i], out);
}
