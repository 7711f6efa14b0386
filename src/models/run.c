/* run.c - running a plan: one model after another, issues in parallel, results merged in issue order. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/result_internal.h"
#include "../core/stats.h"
#include "model.h"
#include "normalise.h"

const pm_options *plan_options(const parley_plan *p, size_t i);

struct pm_out {
    parley_result *r;
    const parley_scenario *s;
    size_t run;
    uint64_t seed;
    unsigned flags;
    st_pair *pairs; /* scratch for medians, one per actor */
    double *x, *w;  /* scratch, one per actor */
    const pm_norm *norm; /* the rescaled copy the models run on, or NULL (see normalise.h) */
};

static bool out_init(pm_out *out, parley_result *r, const parley_scenario *s, size_t run, uint64_t seed,
                     unsigned flags)
{
    size_t n = parley_scenario_actor_count(s);
    *out = (pm_out){r, s, run, seed, flags, malloc((n ? n : 1) * sizeof(st_pair)), malloc((n ? n : 1) * sizeof(double)),
                    malloc((n ? n : 1) * sizeof(double)), NULL};
    return out->pairs && out->x && out->w;
}

double pm_length(const pm_out *out, size_t issue, double x)
{
    return pm_norm_length(out->norm, issue, x);
}

static void out_free(pm_out *out)
{
    free(out->pairs), free(out->x), free(out->w);
}

bool pm_details(const pm_out *out)
{
    return !(out->flags & PARLEY_RUN_SUMMARY);
}

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

/* Returns a malloc'd copy of n doubles (NULL in, NULL out); sets *failed when out of memory. */
static double *copy_doubles(const double *v, size_t n, bool *failed)
{
    if (!v) return NULL;
    double *c = malloc((n ? n : 1) * sizeof *c);
    if (!c) {
        *failed = true;
        return NULL;
    }
    memcpy(c, v, n * sizeof *c);
    return c;
}

parley_status pm_round(pm_out *out, size_t issue, int round, const double *positions, const double *risk)
{
    return pm_round_full(out, issue, round, positions, risk, NULL, NAN);
}

parley_status pm_round_full(pm_out *out, size_t issue, int round, const double *positions, const double *risk,
                            const double *voting, double outcome)
{
    if (!pm_details(out)) return PARLEY_OK;
    parley_result *r = out->r;
    size_t n = parley_scenario_actor_count(out->s);
    if (!pu_grow((void **)&r->rounds, &r->cap_rounds, r->n_rounds + 1, sizeof *r->rounds)) return PARLEY_E_NOMEM;
    bool failed = false;
    double *copy = copy_doubles(positions, n, &failed), *rcopy = copy_doubles(risk, n, &failed);
    double *vcopy = copy_doubles(voting, n, &failed);
    if (failed) {
        free(copy), free(rcopy), free(vcopy);
        return PARLEY_E_NOMEM;
    }
    size_t m = 0;
    for (size_t a = 0; a < n; a++) {
        double pos, sal, cap;
        if (!parley_stance(out->s, a, issue, &pos, &sal, &cap) || isnan(positions[a])) continue;
        out->x[m] = positions[a];
        out->w[m++] = cap * sal;
    }
    rs_round *rd = &r->rounds[r->n_rounds++];
    *rd = (rs_round){out->run, issue, round, st_wmedian(out->x, out->w, m, ST_TIE_LOWER, out->pairs),
                     st_wmean(out->x, out->w, m), copy, rcopy, vcopy, isfinite(outcome) ? outcome : NAN};
    return PARLEY_OK;
}

parley_status pm_exchange(pm_out *out, const parley_exchange *e)
{
    if (!pm_details(out)) return PARLEY_OK;
    parley_result *r = out->r;
    if (!pu_grow((void **)&r->exchanges, &r->cap_exchanges, r->n_exchanges + 1, sizeof *r->exchanges))
        return PARLEY_E_NOMEM;
    r->exchanges[r->n_exchanges++] = (rs_exchange){out->run, e->round, e->index, e->i, e->i_supply, e->j, e->j_supply,
                                                   e->i_x, e->i_y, e->j_x, e->j_y, e->gain};
    return PARLEY_OK;
}

parley_status pm_externality(pm_out *out, int round, size_t actor, double own, double inner, double outer)
{
    if (!pm_details(out)) return PARLEY_OK;
    parley_result *r = out->r;
    if (!pu_grow((void **)&r->externalities, &r->cap_externalities, r->n_externalities + 1, sizeof *r->externalities))
        return PARLEY_E_NOMEM;
    r->externalities[r->n_externalities++] = (rs_externality){out->run, round, actor, own, inner, outer};
    return PARLEY_OK;
}

uint64_t pm_seed(const pm_out *out)
{
    return out->seed;
}

size_t pm_run_index(const pm_out *out)
{
    return out->run;
}

parley_status pm_challenge(pm_out *out, size_t issue, int round, size_t from, size_t to, parley_region region,
                           double offer, bool accepted)
{
    if (!pm_details(out)) return PARLEY_OK;
    parley_result *r = out->r;
    if (!pu_grow((void **)&r->challenges, &r->cap_challenges, r->n_challenges + 1, sizeof *r->challenges))
        return PARLEY_E_NOMEM;
    r->challenges[r->n_challenges++] =
        (rs_challenge){out->run, issue, round, from, to, (int)region, isfinite(offer) ? offer : NAN, accepted};
    return PARLEY_OK;
}

/* ---- issues in parallel ---- */

typedef struct job {
    const parley_scenario *s;
    const pm_options *o;
    pm_issue_fn fn;
    pm_out *main;
    parley_result **local;  /* one result per issue, merged in order afterwards */
    parley_error **errs;
    parley_status *status;
    size_t next, n_issues;
    pthread_mutex_t lock;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    pm_out out;
    bool ok = out_init(&out, NULL, j->s, j->main->run, j->main->seed, j->main->flags);
    out.norm = j->main->norm;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t k = j->next++;
        pthread_mutex_unlock(&j->lock);
        if (k >= j->n_issues) break;
        j->local[k] = calloc(1, sizeof(parley_result));
        j->errs[k] = parley_error_new();
        if (!ok || !j->local[k] || !j->errs[k]) {
            j->status[k] = PARLEY_E_NOMEM;
            continue;
        }
        j->local[k]->n_actors = parley_scenario_actor_count(j->s);
        out.r = j->local[k];
        /* Each issue draws from its own generator, seeded from (seed, run, issue): the same numbers
         * whichever thread runs it. */
        parley_rng rng;
        parley_rng_seed(&rng, j->main->seed, ((uint64_t)j->main->run << 32) | k);
        j->status[k] = j->fn(j->s, k, j->o, &rng, &out, j->errs[k]);
    }
    out_free(&out);
    return NULL;
}

/* Set in threads that already run in parallel with others (Monte Carlo draws): models then stay on
 * their one thread instead of starting more. */
static _Thread_local bool serial_here;

void pm_set_serial(bool on)
{
    serial_here = on;
}

size_t pm_thread_count(size_t tasks)
{
    if (serial_here) return 1;
    const char *env = getenv("PARLEY_THREADS");
    long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > 64) n = 64;
    if ((size_t)n > tasks) n = (long)tasks;
    return n < 1 ? 1 : (size_t)n;
}

/* Appends src's entries to dst (moving ownership), leaving src empty. Returns false when out of memory. */
static bool merge(parley_result *dst, parley_result *src)
{
    if (!pu_grow((void **)&dst->forecasts, &dst->cap_forecasts, dst->n_forecasts + src->n_forecasts,
                 sizeof *dst->forecasts) ||
        !pu_grow((void **)&dst->rounds, &dst->cap_rounds, dst->n_rounds + src->n_rounds, sizeof *dst->rounds) ||
        !pu_grow((void **)&dst->challenges, &dst->cap_challenges, dst->n_challenges + src->n_challenges,
                 sizeof *dst->challenges))
        return false;
    /* An empty list may have no buffer at all, and memcpy must not see a null pointer. */
    if (src->n_forecasts)
        memcpy(dst->forecasts + dst->n_forecasts, src->forecasts, src->n_forecasts * sizeof *src->forecasts);
    if (src->n_rounds) memcpy(dst->rounds + dst->n_rounds, src->rounds, src->n_rounds * sizeof *src->rounds);
    if (src->n_challenges)
        memcpy(dst->challenges + dst->n_challenges, src->challenges, src->n_challenges * sizeof *src->challenges);
    dst->n_forecasts += src->n_forecasts;
    dst->n_rounds += src->n_rounds;
    dst->n_challenges += src->n_challenges;
    src->n_forecasts = src->n_rounds = src->n_challenges = 0;
    return true;
}

/* Copies every diagnostic of src into dst. */
static void copy_diags(parley_error *dst, const parley_error *src)
{
    for (size_t i = 0; i < parley_error_count(src); i++) {
        const parley_diag *d = parley_error_at(src, i);
        perr_add(dst, d->severity, d->status, d->file, d->line, d->column, d->field, "%s", d->message);
    }
}

parley_status pm_for_each_issue(const parley_scenario *s, const pm_options *o, pm_out *out, pm_issue_fn fn,
                                parley_error *err)
{
    size_t n = parley_scenario_issue_count(s);
    job j = {s, o, fn, out, calloc(n, sizeof(parley_result *)), calloc(n, sizeof(parley_error *)),
             calloc(n, sizeof(parley_status)), 0, n, PTHREAD_MUTEX_INITIALIZER};
    parley_status st = PARLEY_OK;
    if (!j.local || !j.errs || !j.status) {
        st = PARLEY_E_NOMEM;
        goto done;
    }
    size_t nt = pm_thread_count(n);
    pthread_t tid[64];
    size_t started = 0;
    for (; started + 1 < nt; started++)
        if (pthread_create(&tid[started], NULL, worker, &j) != 0) break;
    worker(&j); /* the calling thread works too */
    for (size_t t = 0; t < started; t++) pthread_join(tid[t], NULL);
    /* Merge in issue order, so the result never depends on which thread ran what. */
    for (size_t k = 0; k < n; k++) {
        if (j.errs[k]) copy_diags(err, j.errs[k]);
        if (st == PARLEY_OK && j.status[k] != PARLEY_OK) st = j.status[k];
        if (st == PARLEY_OK && j.local[k] && !merge(out->r, j.local[k])) st = PARLEY_E_NOMEM;
    }
done:
    for (size_t k = 0; j.local && k < n; k++) parley_result_free(j.local[k]);
    for (size_t k = 0; j.errs && k < n; k++) parley_error_free(j.errs[k]);
    free(j.local), free(j.errs), free(j.status);
    pthread_mutex_destroy(&j.lock);
    return st;
}

/* ---- the plan ---- */

static parley_status record_run(parley_result *r, const parley_plan *plan, size_t i)
{
    if (!pu_grow((void **)&r->runs, &r->cap_runs, r->n_runs + 1, sizeof *r->runs)) return PARLEY_E_NOMEM;
    rs_run *run = &r->runs[r->n_runs++];
    memset(run, 0, sizeof *run);
    const parley_model *m = parley_plan_model(plan, i);
    run->model = pu_strdup(parley_model_name(m));
    run->preset = pu_strdup(parley_plan_preset(plan, i));
    run->label = pu_strdup(parley_plan_label(plan, i));
    size_t no = parley_model_option_count(m);
    run->opt_names = calloc(no ? no : 1, sizeof(char *));
    run->opt_values = calloc(no ? no : 1, sizeof(char *));
    if (!run->model || !run->label || !run->opt_names || !run->opt_values) return PARLEY_E_NOMEM;
    for (size_t j = 0; j < no; j++) {
        run->opt_names[j] = pu_strdup(parley_model_option(m, j)->name);
        run->opt_values[j] = pu_strdup(parley_plan_option_text(plan, i, j));
        run->n_opts++;
        if (!run->opt_names[j] || !run->opt_values[j]) return PARLEY_E_NOMEM;
    }
    return PARLEY_OK;
}

parley_result *parley_run_flags(const parley_scenario *s, const parley_plan *plan, uint64_t seed, unsigned flags,
                                parley_error *err)
{
    parley_result *r = calloc(1, sizeof *r);
    pm_out out = {0};
    parley_status st = PARLEY_OK;
    /* Extreme numbers: the models run on a copy rescaled by powers of two, and the result is mapped back. */
    pm_norm norm;
    bool failed;
    const parley_scenario *input = s;
    if (pm_norm_make(input, &norm, &failed)) s = norm.s;
    if (failed || !r || !out_init(&out, r, s, 0, seed, flags)) {
        st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        goto done;
    }
    if (s != input) out.norm = &norm;
    r->seed = seed;
    r->n_actors = parley_scenario_actor_count(s);
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
    out_free(&out);
    if (st == PARLEY_OK && s != input) pm_norm_restore(&norm, input, r);
    pm_norm_free(&norm);
    if (st != PARLEY_OK) {
        parley_result_free(r);
        return NULL;
    }
    return r;
}

parley_result *parley_run(const parley_scenario *s, const parley_plan *plan, uint64_t seed, parley_error *err)
{
    return parley_run_flags(s, plan, seed, 0, err);
}

typedef struct par_job {
    void (*fn)(void *ctx, size_t task, size_t worker);
    void *ctx;
    size_t tasks, next, workers;
    pthread_mutex_t lock;
} par_job;

typedef struct par_arg {
    par_job *job;
    size_t worker;
} par_arg;

static void *par_worker(void *arg)
{
    par_arg *a = arg;
    par_job *j = a->job;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t t = j->next++;
        pthread_mutex_unlock(&j->lock);
        if (t >= j->tasks) return NULL;
        j->fn(j->ctx, t, a->worker);
    }
}

size_t pm_parallel_workers(size_t tasks)
{
    return pm_thread_count(tasks);
}

void pm_parallel(size_t tasks, void (*fn)(void *ctx, size_t task, size_t worker), void *ctx)
{
    par_job j = {fn, ctx, tasks, 0, pm_thread_count(tasks), PTHREAD_MUTEX_INITIALIZER};
    pthread_t tid[64];
    par_arg args[64];
    size_t started = 0;
    for (; started + 1 < j.workers; started++) {
        args[started] = (par_arg){&j, started + 1};
        if (pthread_create(&tid[started], NULL, par_worker, &args[started]) != 0) break;
    }
    par_arg self = {&j, 0};
    par_worker(&self); /* the calling thread works too; if a thread failed to start, fewer share the work */
    for (size_t t = 0; t < started; t++) pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&j.lock);
}

/* The DEU proposal an issue belongs to (its procedure-specific number when there is one). */
static const char *proposal_of(const parley_scenario *s, size_t k)
{
    const char *p = parley_issue_attribute(s, k, "prnrnmc");
    return p ? p : parley_issue_attribute(s, k, "prnr");
}

/* Fills iss with the next group of issues not yet done, marking them; returns how many (0: none left). */
static size_t next_group(const parley_scenario *s, bool *done, size_t *iss)
{
    size_t n = parley_scenario_issue_count(s), m = 0;
    for (size_t k = 0; k < n; k++) {
        if (done[k]) continue;
        const char *prop = parley_scenario_is_batch(s) ? proposal_of(s, k) : NULL;
        for (size_t j = k; j < n; j++) {
            bool same = !parley_scenario_is_batch(s) || j == k || (prop && proposal_of(s, j) && !strcmp(prop, proposal_of(s, j)));
            if (!same || done[j]) continue;
            iss[m++] = j;
            done[j] = true;
        }
        break;
    }
    return m;
}

parley_status pm_for_each_group(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                parley_error *err, pm_group_fn fn)
{
    size_t n = parley_scenario_issue_count(s), m;
    size_t *iss = malloc((n ? n : 1) * sizeof *iss);
    bool *done = calloc(n ? n : 1, sizeof *done);
    parley_status st = iss && done ? PARLEY_OK : PARLEY_E_NOMEM;
    /* Forecasts are recorded per group; the writers look them up by issue. */
    while (st == PARLEY_OK && (m = next_group(s, done, iss)) > 0) st = fn(s, o, rng, out, err, iss, m);
    free(iss), free(done);
    return st;
}

bool pm_shock(const parley_scenario *s, int round, size_t actor, size_t issue, double *pos)
{
    bool hit = false;
    size_t a, k;
    int r;
    double v;
    const char *op;
    for (size_t i = 0; parley_shock(s, i, &a, &k, &r, &v, &op); i++) {
        if (r != round || a != actor || k != issue) continue;
        double x = !strcmp(op, "set") ? v : !strcmp(op, "shift") ? *pos + v : *pos * v;
        double lo = parley_issue_number(s, issue, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, issue, PARLEY_ISSUE_HIGH);
        *pos = x < lo ? lo : x > hi ? hi : x; /* a shock moves an actor along the scale, not off it */
        hit = true;
    }
    return hit;
}

int pm_last_shock(const parley_scenario *s, size_t issue)
{
    int last = 0, r;
    size_t k;
    for (size_t i = 0; parley_shock(s, i, NULL, &k, &r, NULL, NULL); i++)
        if (k == issue && r > last) last = r;
    return last;
}
