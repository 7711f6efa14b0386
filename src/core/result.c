/* result.c - the result of a run: getters and freeing. Filled by src/models/run.c. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "result_internal.h"

void parley_result_free(parley_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_runs; i++) {
        rs_run *run = &r->runs[i];
        free(run->model), free(run->preset), free(run->label);
        for (size_t j = 0; j < run->n_opts; j++) free(run->opt_names[j]), free(run->opt_values[j]);
        free(run->opt_names), free(run->opt_values);
    }
    free(r->runs);
    for (size_t i = 0; i < r->n_forecasts; i++) free(r->forecasts[i].note), free(r->forecasts[i].atoms);
    free(r->forecasts);
    for (size_t i = 0; i < r->n_rounds; i++)
        free(r->rounds[i].positions), free(r->rounds[i].risk), free(r->rounds[i].voting),
            free(r->rounds[i].win);
    free(r->rounds);
    free(r->challenges);
    free(r->exchanges);
    free(r->externalities);
    for (size_t i = 0; i < r->n_negotiations; i++) {
        rs_negotiation *g = &r->negotiations[i];
        for (size_t j = 0; j < g->n_events; j++) free(g->events[j].offer), free(g->events[j].utilities);
        free(g->events), free(g->preset), free(g->agreement), free(g->utilities);
    }
    free(r->negotiations);
    free(r);
}

uint64_t parley_result_seed(const parley_result *r) { return r->seed; }
size_t parley_result_run_count(const parley_result *r) { return r->n_runs; }
const char *parley_result_run_model(const parley_result *r, size_t i) { return i < r->n_runs ? r->runs[i].model : NULL; }
const char *parley_result_run_preset(const parley_result *r, size_t i) { return i < r->n_runs ? r->runs[i].preset : NULL; }
const char *parley_result_run_label(const parley_result *r, size_t i) { return i < r->n_runs ? r->runs[i].label : NULL; }
size_t parley_result_run_option_count(const parley_result *r, size_t i) { return i < r->n_runs ? r->runs[i].n_opts : 0; }

bool parley_result_run_option(const parley_result *r, size_t run, size_t i, const char **name, const char **value)
{
    if (run >= r->n_runs || i >= r->runs[run].n_opts) return false;
    *name = r->runs[run].opt_names[i];
    *value = r->runs[run].opt_values[i];
    return true;
}

size_t parley_result_forecast_count(const parley_result *r) { return r->n_forecasts; }

bool parley_result_forecast(const parley_result *r, size_t i, size_t *run, size_t *issue, double *value,
                            const char **note)
{
    if (i >= r->n_forecasts) return false;
    const rs_forecast *f = &r->forecasts[i];
    if (run) *run = f->run;
    if (issue) *issue = f->issue;
    if (value) *value = f->value;
    if (note) *note = f->note;
    return true;
}

/* Returns the forecast record of run for issue, or NULL. */
static const rs_forecast *find(const parley_result *r, size_t run, size_t issue)
{
    for (size_t i = 0; i < r->n_forecasts; i++)
        if (r->forecasts[i].run == run && r->forecasts[i].issue == issue) return &r->forecasts[i];
    return NULL;
}

double parley_result_value(const parley_result *r, size_t run, size_t issue)
{
    const rs_forecast *f = find(r, run, issue);
    return f ? f->value : NAN;
}

/* ---- predictive distributions ---- */

static const char *const quantile_keys[PD_LEVEL_COUNT] = {"0.05", "0.1", "0.25", "0.5", "0.75", "0.9", "0.95"};

double parley_quantile_level(size_t i) { return i < PD_LEVEL_COUNT ? pd_levels[i] : NAN; }
const char *parley_quantile_key(size_t i) { return i < PD_LEVEL_COUNT ? quantile_keys[i] : NULL; }

/* Returns run's distribution for issue, or NULL. */
static const pd_dist *dist_of(const parley_result *r, size_t run, size_t issue)
{
    const rs_forecast *f = find(r, run, issue);
    return f && f->has_dist ? &f->dist : NULL;
}

bool parley_result_has_distribution(const parley_result *r, size_t run, size_t issue)
{
    return dist_of(r, run, issue) != NULL;
}

double parley_result_quantile(const parley_result *r, size_t run, size_t issue, double q)
{
    const pd_dist *d = dist_of(r, run, issue);
    return d ? pd_quantile(d, q) : NAN;
}

double parley_result_cdf(const parley_result *r, size_t run, size_t issue, double v)
{
    const pd_dist *d = dist_of(r, run, issue);
    return d && !isnan(v) ? pd_cdf(d, v) : NAN;
}

void parley_result_interval(const parley_result *r, size_t run, size_t issue, double level, double *lo, double *hi)
{
    const pd_dist *d = dist_of(r, run, issue);
    if (d) pd_central(d, level, lo, hi);
    else *lo = *hi = NAN;
}

double parley_result_p_reference(const parley_result *r, size_t run, size_t issue)
{
    const rs_forecast *f = find(r, run, issue);
    return f && f->has_dist ? f->p_reference : NAN;
}

size_t parley_result_atom_count(const parley_result *r, size_t run, size_t issue)
{
    const pd_dist *d = dist_of(r, run, issue);
    return d ? d->n_atoms : 0;
}

bool parley_result_atom(const parley_result *r, size_t run, size_t issue, size_t i, double *value, double *p)
{
    const pd_dist *d = dist_of(r, run, issue);
    if (!d || i >= d->n_atoms) return false;
    if (value) *value = d->atoms[i].value;
    if (p) *p = d->atoms[i].p;
    return true;
}

double parley_result_crps(const parley_result *r, size_t run, size_t issue, double y)
{
    const rs_forecast *f = find(r, run, issue);
    if (!f || isnan(f->value) || isnan(y)) return NAN;
    if (!f->has_dist) return fabs(f->value - y);
    return y >= f->dist.low && y <= f->dist.high ? pd_crps(&f->dist, y) : NAN;
}

size_t parley_result_headline(const parley_result *r)
{
    for (size_t i = 0; i < r->n_forecasts; i++)
        if (r->forecasts[i].has_dist) return r->forecasts[i].run;
    return SIZE_MAX;
}

size_t parley_result_round_count(const parley_result *r) { return r->n_rounds; }

bool parley_result_round(const parley_result *r, size_t i, size_t *run, size_t *issue, int *round, double *median,
                         double *mean, const double **positions)
{
    if (i >= r->n_rounds) return false;
    const rs_round *x = &r->rounds[i];
    if (run) *run = x->run;
    if (issue) *issue = x->issue;
    if (round) *round = x->round;
    if (median) *median = x->median;
    if (mean) *mean = x->mean;
    if (positions) *positions = x->positions;
    return true;
}

const double *parley_result_round_risk(const parley_result *r, size_t i)
{
    return i < r->n_rounds ? r->rounds[i].risk : NULL;
}

const double *parley_result_round_voting(const parley_result *r, size_t i)
{
    return i < r->n_rounds ? r->rounds[i].voting : NULL;
}

const double *parley_result_round_win(const parley_result *r, size_t i)
{
    return i < r->n_rounds ? r->rounds[i].win : NULL;
}

double parley_result_round_outcome(const parley_result *r, size_t i)
{
    return i < r->n_rounds ? r->rounds[i].outcome : NAN;
}

size_t parley_result_exchange_count(const parley_result *r) { return r->n_exchanges; }

bool parley_result_exchange(const parley_result *r, size_t i, parley_exchange *out)
{
    if (i >= r->n_exchanges) return false;
    const rs_exchange *e = &r->exchanges[i];
    *out = (parley_exchange){e->run, e->round, e->index, e->i, e->i_supply, e->i_x, e->i_y,
                             e->j, e->j_supply, e->j_x, e->j_y, e->gain};
    return true;
}

size_t parley_result_externality_count(const parley_result *r) { return r->n_externalities; }

bool parley_result_externality(const parley_result *r, size_t i, parley_externality *out)
{
    if (i >= r->n_externalities) return false;
    const rs_externality *e = &r->externalities[i];
    *out = (parley_externality){e->run, e->round, e->actor, e->own, e->inner, e->outer};
    return true;
}

size_t parley_result_challenge_count(const parley_result *r) { return r->n_challenges; }
size_t parley_result_challenges_left_out(const parley_result *r) { return r->challenges_left_out; }

bool parley_result_challenge(const parley_result *r, size_t i, parley_challenge *out)
{
    if (i >= r->n_challenges) return false;
    const rs_challenge *c = &r->challenges[i];
    *out = (parley_challenge){c->run, c->issue, c->round, c->from, c->to, (parley_region)c->region, c->offer,
                              c->accepted};
    return true;
}

const char *parley_region_name(parley_region region)
{
    switch (region) {
    case PARLEY_REGION_CONFLICT: return "conflict";
    case PARLEY_REGION_COMPROMISE: return "compromise";
    case PARLEY_REGION_CAPITULATION: return "capitulation";
    case PARLEY_REGION_STALEMATE: return "stalemate";
    case PARLEY_REGION_UPPER_HAND: return "upper_hand";
    }
    return "unknown";
}

size_t parley_result_negotiation_count(const parley_result *r) { return r->n_negotiations; }

bool parley_result_negotiation(const parley_result *r, size_t i, parley_negotiation *out)
{
    if (i >= r->n_negotiations) return false;
    const rs_negotiation *g = &r->negotiations[i];
    *out = (parley_negotiation){g->run, g->preset, g->agreement, g->utilities, g->steps, g->n_events};
    return true;
}

bool parley_result_negotiation_event(const parley_result *r, size_t i, size_t j, parley_negotiation_event *out)
{
    if (i >= r->n_negotiations || j >= r->negotiations[i].n_events) return false;
    const rs_event *e = &r->negotiations[i].events[j];
    *out = (parley_negotiation_event){e->step, e->actor, (parley_action)e->action, e->offer, e->utilities};
    return true;
}

const char *parley_action_name(parley_action a)
{
    switch (a) {
    case PARLEY_ACTION_OFFER: return "offer";
    case PARLEY_ACTION_ACCEPT: return "accept";
    case PARLEY_ACTION_REJECT: return "reject";
    case PARLEY_ACTION_END: return "end";
    }
    return NULL;
}
