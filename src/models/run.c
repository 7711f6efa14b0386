/* run.c - running a plan: one model after another, each filling the shared result. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/result_internal.h"
#include "../core/stats.h"
#include "model.h"

const pm_options *plan_options(const parley_plan *p, size_t i);

struct pm_out {
    parley_result *r;
    const parley_scenario *s;
    size_t run;
    st_pair *pairs;  /* scratch for medians, one per actor */
    double *x, *w;   /* scratch, one per actor */
};

parley_status pm_forecast(pm_out *out, size_t issue, double value, const char *note)
{
    parley_result *r = out->r;
    if (!pu_grow((void **)&r->forecasts, &r->cap_forecasts, r->n_forecasts + 1, sizeof *r->forecasts))
        return PARLEY_E_NOMEM;
    char *n = NULL;
    if (note && !(n = pu_strdup(note))) return PARLEY_E_NOMEM;
    r->forecasts[r->n_forecasts++] = (rs_forecast){out->run, issue, isfinite(value) ? value : NAN, n};
    return PARLEY_OK;
}

size_t pm_participants(const parley_scenario *s, size_t issue, double *x, double *w, size_t *idx)
{
    size_t m = 0, n = parley_scenario_actor_count(s);
    for (size_t a = 0; a < n; a++) {
        double pos, sal, cap;
        if (!parley_stance(s, a, issue, &pos, &sal, &cap)) continue;
        x[m] = pos;
        w[m] = cap * sal;
        if (idx) idx[m] = a;
        m++;
    }
    return m;
}

parley_status pm_round(pm_out *out, size_t issue, int round, const double *positions)
{
    parley_result *r = out->r;
    size_t n = parley_scenario_actor_count(out->s);
    if (!pu_grow((void **)&r->rounds, &r->cap_rounds, r->n_rounds + 1, sizeof *r->rounds)) return PARLEY_E_NOMEM;
    double *copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy) return PARLEY_E_NOMEM;
    memcpy(copy, positions, n * sizeof *copy);
    size_t m = 0;
    for (size_t a = 0; a < n; a++) {
        double pos, sal, cap;
        if (!parley_stance(out->s, a, issue, &pos, &sal, &cap) || isnan(positions[a])) continue;
        out->x[m] = positions[a];
        out->w[m++] = cap * sal;
    }
    rs_round *rd = &r->rounds[r->n_rounds++];
    *rd = (rs_round){out->run, issue, round, st_wmedian(out->x, out->w, m, ST_TIE_LOWER, out->pairs),
                     st_wmean(out->x, out->w, m), copy};
    return PARLEY_OK;
}

static parley_status record_run(parley_result *r, const parley_plan *plan, size_t i)
{
    if (!pu_grow((void **)&r->runs, &r->cap_runs, r->n_runs + 1, sizeof *r->runs)) return PARLEY_E_NOMEM;
    rs_run *run = &r->runs[r->n_runs++];
    memset(run, 0, sizeof *run);
    const parley_model *m = parley_plan_model(plan, i);
    run->model = pu_strdup(parley_model_name(m));
    run->preset = pu_strdup(parley_plan_preset(plan, i));
    size_t no = parley_model_option_count(m);
    run->opt_names = calloc(no ? no : 1, sizeof(char *));
    run->opt_values = calloc(no ? no : 1, sizeof(char *));
    if (!run->model || !run->opt_names || !run->opt_values) return PARLEY_E_NOMEM;
    for (size_t j = 0; j < no; j++) {
        run->opt_names[j] = pu_strdup(parley_model_option(m, j)->name);
        run->opt_values[j] = pu_strdup(parley_plan_option_text(plan, i, j));
        run->n_opts++;
        if (!run->opt_names[j] || !run->opt_values[j]) return PARLEY_E_NOMEM;
    }
    return PARLEY_OK;
}

parley_result *parley_run(const parley_scenario *s, const parley_plan *plan, uint64_t seed, parley_error *err)
{
    parley_result *r = calloc(1, sizeof *r);
    size_t n = parley_scenario_actor_count(s);
    pm_out out = {r, s, 0, malloc((n ? n : 1) * sizeof(st_pair)), malloc((n ? n : 1) * sizeof(double)),
                  malloc((n ? n : 1) * sizeof(double))};
    parley_status st = PARLEY_OK;
    if (!r || !out.pairs || !out.x || !out.w) {
        st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        goto done;
    }
    r->seed = seed;
    r->n_actors = n;
    for (size_t i = 0; i < parley_plan_count(plan) && st == PARLEY_OK; i++) {
        out.run = i;
        if ((st = record_run(r, plan, i)) != PARLEY_OK) break;
        const parley_model *m = parley_plan_model(plan, i);
        parley_rng rng;
        parley_rng_seed(&rng, seed, i);
        st = m->run(s, plan_options(plan, i), &rng, &out, err);
        if (st == PARLEY_E_NOMEM) PERR(err, st, NULL, 0, 0, m->name, "out of memory");
    }
done:
    free(out.pairs), free(out.x), free(out.w);
    if (st != PARLEY_OK) {
        parley_result_free(r);
        return NULL;
    }
    return r;
}
