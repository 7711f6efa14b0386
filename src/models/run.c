/* run.c - running a plan: one model after another, issues in parallel on the process's pool, results
 * merged in issue order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pool.h"
#include "../core/result_internal.h"
#include "../core/stats.h"
#include "model.h"
#include "normalise.h"

const pm_options *plan_options(const parley_plan *p, size_t i);

/* A challenge held back until its round ends: kept if it was accepted or is its pressed actor's strongest
 * other challenge. seq is the order of the pm_challenge calls, so what is kept keeps the models' order. */
typedef struct pm_held {
    rs_challenge c;
    size_t seq;
    double move;
    bool used;
} pm_held;

/* The bounded pressure map of one output: the round being held, its accepted challenges, and per issue
 * seen in the round a block of one slot per actor (the strongest unaccepted challenge it received). */
typedef struct pm_bound {
    size_t run, seq, n_actors, n_issues;
    int round;
    bool holding;
    pm_held *accepted;
    size_t n_accepted, cap_accepted;
    size_t *block_of;        /* per issue: 1 + its block, 0 for none this round */
    pm_held **blocks;        /* n_actors slots each */
    const double **before;   /* per block: the positions recorded before the round, or NULL */
    size_t *block_issue;
    size_t n_blocks, cap_blocks;
    pm_held *sorted;         /* scratch for the flush */
    size_t cap_sorted;
} pm_bound;

struct pm_out {
    parley_result *r;
    const parley_scenario *s;
    size_t run;
    uint64_t seed;
    unsigned flags;
    st_pair *pairs; /* scratch for medians, one per actor */
    double *x, *w;  /* scratch, one per actor */
    const pm_norm *norm; /* the rescaled copy the models run on, or NULL (see normalise.h) */
    volatile int *cancel; /* the caller's cancel flag, or NULL */
    double *const *comp;  /* the running model's components' forecasts, one array per component, by issue */
    size_t n_comp;
    pm_bound *bound;      /* the bounded pressure map's state (made on the first challenge), or NULL */
};

static bool out_init(pm_out *out, parley_result *r, const parley_scenario *s, size_t run, uint64_t seed,
                     unsigned flags)
{
    size_t n = parley_scenario_actor_count(s);
    *out = (pm_out){r, s, run, seed, flags, malloc((n ? n : 1) * sizeof(st_pair)), malloc((n ? n : 1) * sizeof(double)),
                    malloc((n ? n : 1) * sizeof(double)), NULL, NULL, NULL, 0, NULL};
    return out->pairs && out->x && out->w;
}

bool pm_cancelled(const pm_out *out)
{
    /* An atomic load: the flag is stored by another thread or a signal handler. */
    return out && out->cancel && __atomic_load_n(out->cancel, __ATOMIC_RELAXED) != 0;
}

double pm_length(const pm_out *out, size_t issue, double x)
{
    return pm_norm_length(out->norm, issue, x);
}

static void bound_free(pm_bound *b)
{
    if (!b) return;
    for (size_t k = 0; k < b->cap_blocks; k++) free(b->blocks[k]);
    free(b->accepted), free(b->block_of), free(b->blocks), free(b->before), free(b->block_issue), free(b->sorted);
    free(b);
}

static void out_free(pm_out *out)
{
    free(out->pairs), free(out->x), free(out->w);
    bound_free(out->bound);
    out->bound = NULL;
}

bool pm_details(const pm_out *out)
{
    return !(out->flags & PARLEY_RUN_SUMMARY);
}

bool pm_full_detail(const pm_out *out)
{
    return pm_details(out) && (out->flags & PARLEY_RUN_FULL_DETAIL);
}

parley_status pm_forecast(pm_out *out, size_t issue, double value, const char *note)
{
    parley_result *r = out->r;
    if (!pu_grow((void **)&r->forecasts, &r->cap_forecasts, r->n_forecasts + 1, sizeof *r->forecasts))
        return PARLEY_E_NOMEM;
    char *n = NULL;
    if (note && !(n = pu_strdup(note))) return PARLEY_E_NOMEM;
    r->forecasts[r->n_forecasts++] = (rs_forecast){.run = out->run, .issue = issue, .value = isfinite(value) ? value : NAN,
                                                   .note = n, .p_reference = NAN};
    return PARLEY_OK;
}

parley_status pm_forecast_dist(pm_out *out, size_t issue, const pd_dist *d, const char *note)
{
    double median = pd_quantile(d, 0.5);
    parley_status st = pm_forecast(out, issue, median, note);
    if (st != PARLEY_OK || isnan(median)) return st;
    rs_forecast *f = &out->r->forecasts[out->r->n_forecasts - 1];
    f->atoms = malloc((d->n_atoms ? d->n_atoms : 1) * sizeof *f->atoms);
    if (!f->atoms) return PARLEY_E_NOMEM;
    memcpy(f->atoms, d->atoms, d->n_atoms * sizeof *f->atoms);
    f->dist = *d;
    f->dist.atoms = f->atoms;
    f->has_dist = true;
    double ref = parley_issue_number(out->s, issue, PARLEY_ISSUE_REFERENCE);
    f->p_reference = isnan(ref) ? NAN : pd_mass_at(d, ref);
    return PARLEY_OK;
}

double pm_component(const pm_out *out, size_t c, size_t issue)
{
    return c < out->n_comp && issue < parley_scenario_issue_count(out->s) ? out->comp[c][issue] : NAN;
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
                     st_wmean(out->x, out->w, m), copy, rcopy, vcopy, isfinite(outcome) ? outcome : NAN, NULL};
    return PARLEY_OK;
}

parley_status pm_round_win(pm_out *out, const double *win)
{
    parley_result *r = out->r;
    if (!pm_details(out) || r->n_rounds == 0 || r->rounds[r->n_rounds - 1].run != out->run) return PARLEY_OK;
    bool failed = false;
    double *copy = copy_doubles(win, parley_scenario_actor_count(out->s), &failed);
    if (failed) return PARLEY_E_NOMEM;
    rs_round *rd = &r->rounds[r->n_rounds - 1];
    free(rd->win);
    rd->win = copy;
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

parley_status pm_negotiation(pm_out *out, const char *preset, const double *agreement, const double *utilities,
                             int steps, const pm_event *events, size_t n_events)
{
    parley_result *r = out->r;
    size_t ni = parley_scenario_issue_count(out->s), na = parley_scenario_actor_count(out->s);
    if (!pu_grow((void **)&r->negotiations, &r->cap_negotiations, r->n_negotiations + 1, sizeof *r->negotiations))
        return PARLEY_E_NOMEM;
    bool failed = false;
    size_t keep = pm_details(out) ? n_events : 0;
    rs_negotiation g = {.run = out->run, .steps = steps};
    g.preset = preset ? pu_strdup(preset) : NULL;
    g.agreement = copy_doubles(agreement, ni, &failed);
    g.utilities = copy_doubles(utilities, na, &failed);
    g.events = calloc(keep ? keep : 1, sizeof *g.events);
    if (!g.events || (preset && !g.preset)) failed = true;
    for (size_t j = 0; !failed && j < keep; j++) {
        rs_event *e = &g.events[j];
        *e = (rs_event){events[j].step, events[j].actor, events[j].action, NULL, NULL};
        g.n_events = j + 1;
        e->offer = copy_doubles(events[j].offer, ni, &failed);
        e->utilities = copy_doubles(events[j].utilities, na, &failed);
    }
    if (failed) {
        for (size_t j = 0; j < g.n_events; j++) free(g.events[j].offer), free(g.events[j].utilities);
        free(g.events), free(g.preset), free(g.agreement), free(g.utilities);
        return PARLEY_E_NOMEM;
    }
    r->negotiations[r->n_negotiations++] = g;
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

/* Appends one challenge to the result. */
static parley_status add_challenge(parley_result *r, const rs_challenge *c)
{
    if (!pu_grow((void **)&r->challenges, &r->cap_challenges, r->n_challenges + 1, sizeof *r->challenges))
        return PARLEY_E_NOMEM;
    r->challenges[r->n_challenges++] = *c;
    return PARLEY_OK;
}

static int cmp_held(const void *pa, const void *pb)
{
    const pm_held *a = pa, *b = pb;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Writes the held round's kept challenges (accepted ones, and each pressed actor's strongest other one)
 * in the order they were made, and counts what it leaves out; the bound then holds nothing. */
static parley_status bound_flush(pm_out *out)
{
    pm_bound *b = out->bound;
    if (!b || !b->holding) return PARLEY_OK;
    b->holding = false;
    size_t n = b->n_accepted;
    for (size_t k = 0; k < b->n_blocks; k++)
        for (size_t a = 0; a < b->n_actors; a++) n += b->blocks[k][a].used;
    parley_status st = PARLEY_OK;
    if (!pu_grow((void **)&b->sorted, &b->cap_sorted, n ? n : 1, sizeof *b->sorted)) st = PARLEY_E_NOMEM;
    size_t m = 0;
    if (st == PARLEY_OK) {
        if (b->n_accepted) memcpy(b->sorted, b->accepted, b->n_accepted * sizeof *b->sorted);
        m = b->n_accepted;
        for (size_t k = 0; k < b->n_blocks; k++)
            for (size_t a = 0; a < b->n_actors; a++)
                if (b->blocks[k][a].used) b->sorted[m++] = b->blocks[k][a];
        qsort(b->sorted, m, sizeof *b->sorted, cmp_held);
        if (!pu_grow((void **)&out->r->challenges, &out->r->cap_challenges, out->r->n_challenges + m, sizeof *out->r->challenges))
            st = PARLEY_E_NOMEM;
    }
    for (size_t i = 0; st == PARLEY_OK && i < m; i++) out->r->challenges[out->r->n_challenges++] = b->sorted[i].c;
    if (st == PARLEY_OK) out->r->challenges_left_out += b->seq - m;
    for (size_t k = 0; k < b->n_blocks; k++) {
        memset(b->blocks[k], 0, b->n_actors * sizeof **b->blocks);
        b->block_of[b->block_issue[k]] = 0;
    }
    b->n_blocks = 0, b->n_accepted = 0, b->seq = 0;
    return st;
}

/* Returns the positions the run last recorded on issue (before this round), or NULL. Only the run's own
 * latest records are looked at: a round-based model records every issue's round before the next one. */
static const double *positions_before(const pm_out *out, size_t issue)
{
    const parley_result *r = out->r;
    for (size_t i = r->n_rounds; i-- > 0;) {
        if (r->rounds[i].run != out->run) break;
        if (r->rounds[i].issue == issue) return r->rounds[i].positions;
    }
    return NULL;
}

/* Holds one challenge of the bounded map. */
static parley_status bound_add(pm_out *out, const rs_challenge *c)
{
    pm_bound *b = out->bound;
    size_t na = parley_scenario_actor_count(out->s), ni = parley_scenario_issue_count(out->s);
    if (!b) {
        if (!(b = out->bound = calloc(1, sizeof *b))) return PARLEY_E_NOMEM;
        b->n_actors = na, b->n_issues = ni;
        if (!(b->block_of = calloc(ni ? ni : 1, sizeof *b->block_of))) return PARLEY_E_NOMEM;
    }
    if (c->to >= na || c->issue >= ni) return add_challenge(out->r, c); /* not an actor's: kept as it is */
    if (b->holding && (c->round != b->round || c->run != b->run)) {
        parley_status st = bound_flush(out);
        if (st != PARLEY_OK) return st;
    }
    b->holding = true, b->round = c->round, b->run = c->run;
    size_t seq = b->seq++;
    if (c->accepted) {
        if (!pu_grow((void **)&b->accepted, &b->cap_accepted, b->n_accepted + 1, sizeof *b->accepted)) return PARLEY_E_NOMEM;
        b->accepted[b->n_accepted++] = (pm_held){*c, seq, NAN, true};
        return PARLEY_OK;
    }
    size_t k = b->block_of[c->issue];
    if (!k) {
        if (b->n_blocks == b->cap_blocks) {
            size_t nc = b->cap_blocks ? 2 * b->cap_blocks : 2;
            pm_held **nb = realloc(b->blocks, nc * sizeof *nb);
            if (nb) b->blocks = nb;
            const double **np = nb ? realloc(b->before, nc * sizeof *np) : NULL;
            if (np) b->before = np;
            size_t *ni2 = np ? realloc(b->block_issue, nc * sizeof *ni2) : NULL;
            if (!ni2) return PARLEY_E_NOMEM;
            b->block_issue = ni2;
            for (size_t j = b->cap_blocks; j < nc; j++) b->blocks[j] = NULL;
            b->cap_blocks = nc;
        }
        if (!b->blocks[b->n_blocks] && !(b->blocks[b->n_blocks] = calloc(na ? na : 1, sizeof **b->blocks)))
            return PARLEY_E_NOMEM;
        b->before[b->n_blocks] = positions_before(out, c->issue);
        b->block_issue[b->n_blocks] = c->issue;
        k = b->block_of[c->issue] = ++b->n_blocks;
    }
    const double *before = b->before[k - 1];
    double move = isnan(c->offer) ? NAN : before && !isnan(before[c->to]) ? fabs(c->offer - before[c->to]) : 0;
    pm_held *slot = &b->blocks[k - 1][c->to];
    if (!slot->used || pm_challenge_stronger(move, (parley_region)c->region, slot->move, (parley_region)slot->c.region))
        *slot = (pm_held){*c, seq, move, true};
    return PARLEY_OK;
}

void pm_challenges_skipped(pm_out *out, size_t n)
{
    if (pm_details(out) && !pm_full_detail(out)) out->r->challenges_left_out += n;
}

parley_status pm_challenge(pm_out *out, size_t issue, int round, size_t from, size_t to, parley_region region,
                           double offer, bool accepted)
{
    if (!pm_details(out)) return PARLEY_OK;
    rs_challenge c = {out->run, issue, round, from, to, (int)region, isfinite(offer) ? offer : NAN, accepted};
    return pm_full_detail(out) ? add_challenge(out->r, &c) : bound_add(out, &c);
}

/* ---- issues in parallel ---- */

/* The most workers of this thread's current parley_run_with call (0: the default); read by the model's
 * parallel calls, which run on the calling thread. */
static _Thread_local size_t call_threads;

size_t pm_thread_count(size_t tasks)
{
    return pool_workers(tasks, call_threads);
}

/* Appends every record of one kind from src to dst (moving ownership), leaving src's list empty. Into an
 * empty dst the list itself moves: no second copy of a large map at the peak. */
#define MERGE_LIST(dst, src, list, n, cap)                                                                      \
    do {                                                                                                       \
        if (!(src)->n) break;                                                                                  \
        if (!(dst)->n) {                                                                                       \
            void *old_ = (dst)->list;                                                                          \
            size_t cap_ = (dst)->cap;                                                                          \
            (dst)->list = (src)->list, (dst)->cap = (src)->cap, (dst)->n = (src)->n;                           \
            (src)->list = old_, (src)->cap = cap_, (src)->n = 0;                                               \
            break;                                                                                             \
        }                                                                                                      \
        if (!pu_grow((void **)&(dst)->list, &(dst)->cap, (dst)->n + (src)->n, sizeof *(dst)->list)) return false; \
        memcpy((dst)->list + (dst)->n, (src)->list, (src)->n * sizeof *(src)->list);                           \
        (dst)->n += (src)->n;                                                                                  \
        (src)->n = 0;                                                                                          \
    } while (0)

/* Appends src's records of every kind (forecasts, rounds, challenges, exchanges, externalities) to dst,
 * moving ownership and leaving src empty: the one merge of per-task results. A new kind of record in
 * result_internal.h gets its line here. Returns false when out of memory (src keeps what was not moved,
 * and both stay valid to free). */
static bool merge(parley_result *dst, parley_result *src)
{
    MERGE_LIST(dst, src, forecasts, n_forecasts, cap_forecasts);
    MERGE_LIST(dst, src, rounds, n_rounds, cap_rounds);
    MERGE_LIST(dst, src, challenges, n_challenges, cap_challenges);
    MERGE_LIST(dst, src, exchanges, n_exchanges, cap_exchanges);
    MERGE_LIST(dst, src, externalities, n_externalities, cap_externalities);
    MERGE_LIST(dst, src, negotiations, n_negotiations, cap_negotiations);
    dst->challenges_left_out += src->challenges_left_out;
    src->challenges_left_out = 0;
    return true;
}

typedef struct job {
    const parley_scenario *s;
    const pm_options *o;
    pm_issue_fn fn;
    pm_out *main;
    pm_out *outs;           /* one per worker, made on the worker's first issue */
    bool *out_ok;
    parley_result **local;  /* one result per issue, merged in order afterwards */
    parley_error **errs;
    parley_status *status;
} job;

static void issue_task(void *ctx, size_t k, size_t w)
{
    job *j = ctx;
    pm_out *out = &j->outs[w];
    if (!out->s) {
        j->out_ok[w] = out_init(out, NULL, j->s, j->main->run, j->main->seed, j->main->flags);
        out->norm = j->main->norm;
        out->cancel = j->main->cancel;
        out->comp = j->main->comp, out->n_comp = j->main->n_comp;
    }
    if (pm_cancelled(j->main)) {
        j->status[k] = PARLEY_E_CANCELLED;
        return;
    }
    j->local[k] = calloc(1, sizeof(parley_result));
    j->errs[k] = parley_error_new();
    if (!j->out_ok[w] || !j->local[k] || !j->errs[k]) {
        j->status[k] = PARLEY_E_NOMEM;
        return;
    }
    j->local[k]->n_actors = parley_scenario_actor_count(j->s);
    out->r = j->local[k];
    /* Each issue draws from its own generator, seeded from (seed, run, issue): the same numbers
     * whichever thread runs it. */
    parley_rng rng;
    parley_rng_seed(&rng, j->main->seed, ((uint64_t)j->main->run << 32) | k);
    j->status[k] = j->fn(j->s, k, j->o, &rng, out, j->errs[k]);
    parley_status fs = bound_flush(out); /* the issue's last round, before out moves to the next issue */
    if (j->status[k] == PARLEY_OK) j->status[k] = fs;
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
    size_t n = parley_scenario_issue_count(s), nw = pm_thread_count(n);
    job j = {s, o, fn, out, calloc(nw, sizeof(pm_out)), calloc(nw, sizeof(bool)), calloc(n ? n : 1, sizeof(parley_result *)),
             calloc(n ? n : 1, sizeof(parley_error *)), calloc(n ? n : 1, sizeof(parley_status))};
    parley_status st = PARLEY_OK;
    if (!j.outs || !j.out_ok || !j.local || !j.errs || !j.status) {
        st = PARLEY_E_NOMEM;
        goto done;
    }
    pool_run(n, nw, issue_task, &j);
    /* Merge in issue order, so the result never depends on which thread ran what. */
    for (size_t k = 0; k < n; k++) {
        if (j.errs[k]) copy_diags(err, j.errs[k]);
        if (st == PARLEY_OK && j.status[k] != PARLEY_OK) st = j.status[k];
        if (st == PARLEY_OK && j.local[k] && !merge(out->r, j.local[k])) st = PARLEY_E_NOMEM;
    }
done:
    for (size_t w = 0; j.outs && w < nw; w++)
        if (j.outs[w].s) out_free(&j.outs[w]);
    for (size_t k = 0; j.local && k < n; k++) parley_result_free(j.local[k]);
    for (size_t k = 0; j.errs && k < n; k++) parley_error_free(j.errs[k]);
    free(j.outs), free(j.out_ok), free(j.local), free(j.errs), free(j.status);
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

/* Reorders every kind of record by run, keeping each run's records in the order they were made: models
 * with components run last, and the result lists runs in plan order. */
#define ORDER_BY_RUN(r, list, n, type)                                                                          \
    do {                                                                                                       \
        size_t n_runs_ = (r)->n_runs;                                                                          \
        if ((r)->n < 2 || n_runs_ < 2) break;                                                                  \
        type *tmp_ = malloc((r)->n * sizeof *tmp_);                                                             \
        size_t *at_ = calloc(n_runs_ + 1, sizeof *at_);                                                        \
        if (!tmp_ || !at_) {                                                                                   \
            free(tmp_), free(at_);                                                                             \
            return false;                                                                                      \
        }                                                                                                      \
        for (size_t i_ = 0; i_ < (r)->n; i_++) at_[(r)->list[i_].run + 1]++;                                     \
        for (size_t k_ = 0; k_ < n_runs_; k_++) at_[k_ + 1] += at_[k_];                                          \
        for (size_t i_ = 0; i_ < (r)->n; i_++) tmp_[at_[(r)->list[i_].run]++] = (r)->list[i_];                   \
        memcpy((r)->list, tmp_, (r)->n * sizeof *tmp_);                                                        \
        free(tmp_), free(at_);                                                                                 \
    } while (0)

static bool order_by_run(parley_result *r)
{
    ORDER_BY_RUN(r, forecasts, n_forecasts, rs_forecast);
    ORDER_BY_RUN(r, rounds, n_rounds, rs_round);
    ORDER_BY_RUN(r, challenges, n_challenges, rs_challenge);
    ORDER_BY_RUN(r, exchanges, n_exchanges, rs_exchange);
    ORDER_BY_RUN(r, externalities, n_externalities, rs_externality);
    ORDER_BY_RUN(r, negotiations, n_negotiations, rs_negotiation);
    return true;
}

/* Whether plan entries a and b run the same model with the same resolved options. */
static bool same_entry(const parley_model *ma, const pm_options *oa, const parley_model *mb, const pm_options *ob)
{
    if (ma != mb) return false;
    for (size_t j = 0; j < ma->n_options; j++)
        if (oa->v[j] != ob->v[j]) return false;
    return true;
}

/* Fills vals[c] (one value per issue) with the forecasts of model m's components: from a finished entry of
 * plan that is the component (done[j]), else from a run of the component alone on s. Returns PARLEY_OK or
 * a status with err filled. */
static parley_status components_of(const parley_scenario *s, const parley_plan *plan, const bool *done,
                                   const parley_result *r, const parley_model *m, uint64_t seed,
                                   const parley_run_options *o, double **vals, parley_error *err)
{
    size_t ni = parley_scenario_issue_count(s);
    for (size_t c = 0; m->components && m->components[c]; c++) {
        parley_plan *cp = NULL;
        parley_status st = parley_plan_parse(&cp, m->components[c], err);
        if (st != PARLEY_OK || parley_plan_count(cp) != 1) {
            parley_plan_free(cp);
            return st != PARLEY_OK ? st : PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, m->name, "component %s is not one model", m->components[c]);
        }
        const parley_model *cm = parley_plan_model(cp, 0);
        size_t found = SIZE_MAX;
        for (size_t j = 0; plan && j < parley_plan_count(plan) && found == SIZE_MAX; j++)
            if (done[j] && same_entry(cm, plan_options(cp, 0), parley_plan_model(plan, j), plan_options(plan, j))) found = j;
        if (found != SIZE_MAX) {
            for (size_t k = 0; k < ni; k++) vals[c][k] = parley_result_value(r, found, k);
        } else {
            parley_run_options co = {PARLEY_RUN_SUMMARY, o->threads, o->cancel};
            parley_result *cr = pm_run_model(s, cm, plan_options(cp, 0), seed, &co, err);
            if (!cr) {
                parley_plan_free(cp);
                parley_status es = parley_error_status(err);
                return es != PARLEY_OK ? es : PARLEY_E_MODEL;
            }
            for (size_t k = 0; k < ni; k++) vals[c][k] = parley_result_value(cr, 0, k);
            parley_result_free(cr);
        }
        parley_plan_free(cp);
    }
    return PARLEY_OK;
}

static size_t component_count(const parley_model *m)
{
    size_t n = 0;
    while (m->components && m->components[n]) n++;
    return n;
}

/* Runs one entry (plan index i, or the lone model m with options mo) into out. */
static parley_status run_entry(const parley_scenario *s, const parley_plan *plan, const bool *done, size_t i,
                               const parley_model *m, const pm_options *mo, uint64_t seed, const parley_run_options *o,
                               pm_out *out, parley_error *err)
{
    size_t nc = component_count(m), ni = parley_scenario_issue_count(s);
    double *vals[PM_MAX_COMPONENTS] = {0};
    parley_status st = PARLEY_OK;
    const char *unsuited = parley_model_unsuited(m, s);
    if (unsuited) return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, NULL, "model %s does not suit this scenario: %s", m->name, unsuited);
    if (nc > PM_MAX_COMPONENTS)
        return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, m->name, "expected at most %d components, found %zu",
                    PM_MAX_COMPONENTS, nc);
    for (size_t c = 0; c < nc; c++)
        if (!(vals[c] = malloc((ni ? ni : 1) * sizeof **vals))) st = PARLEY_E_NOMEM;
    if (st == PARLEY_OK && nc) st = components_of(s, plan, done, out->r, m, seed, o, vals, err);
    if (st == PARLEY_OK) {
        out->run = i;
        out->comp = vals, out->n_comp = nc;
        parley_rng rng;
        parley_rng_seed(&rng, seed, i);
        st = m->run(s, mo, &rng, out, err);
        parley_status fs = bound_flush(out);
        if (st == PARLEY_OK) st = fs;
        out->comp = NULL, out->n_comp = 0;
    }
    for (size_t c = 0; c < nc; c++) free(vals[c]);
    if (st == PARLEY_E_NOMEM) PERR(err, st, NULL, 0, 0, m->name, "out of memory");
    return st;
}

/* Runs the plan's models, or with plan NULL the one model m with options mo (no run entry recorded). */
static parley_result *run_models(const parley_scenario *s, const parley_plan *plan, const parley_model *m1,
                                 const pm_options *mo, uint64_t seed, const parley_run_options *o, parley_error *err)
{
    parley_run_options opt = o ? *o : (parley_run_options){0};
    parley_result *r = calloc(1, sizeof *r);
    pm_out out = {0};
    parley_status st = PARLEY_OK;
    size_t outer_threads = call_threads;
    call_threads = opt.threads;
    size_t n_models = plan ? parley_plan_count(plan) : 1;
    bool *done = calloc(n_models ? n_models : 1, sizeof *done);
    /* Extreme numbers: the models run on a copy rescaled by powers of two, and the result is mapped back. */
    pm_norm norm;
    bool failed;
    const parley_scenario *input = s;
    if (pm_norm_make(input, &norm, &failed)) s = norm.s;
    if (failed || !r || !done || !out_init(&out, r, s, 0, seed, opt.flags)) {
        st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        goto done;
    }
    if (s != input) out.norm = &norm;
    out.cancel = opt.cancel;
    r->seed = seed;
    r->n_actors = parley_scenario_actor_count(s);
    for (size_t i = 0; plan && i < n_models && st == PARLEY_OK; i++) st = record_run(r, plan, i);
    /* Models without components first, then those that build on them (which may reuse their results). */
    for (int pass = 0; pass < 2 && st == PARLEY_OK; pass++)
        for (size_t i = 0; i < n_models && st == PARLEY_OK; i++) {
            const parley_model *m = plan ? parley_plan_model(plan, i) : m1;
            if ((component_count(m) > 0) != (pass == 1)) continue;
            if (pm_cancelled(&out)) {
                st = PARLEY_E_CANCELLED;
                break;
            }
            st = run_entry(s, plan, done, i, m, plan ? plan_options(plan, i) : mo, seed, &opt, &out, err);
            done[i] = true;
        }
    if (st == PARLEY_OK && !order_by_run(r)) st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    /* A model may notice the flag and stop without a word: the one diagnostic is said here. */
    if (st == PARLEY_E_CANCELLED) PERR(err, st, NULL, 0, 0, NULL, "cancelled");
done:
    call_threads = outer_threads;
    out_free(&out);
    free(done);
    if (st == PARLEY_OK && s != input) pm_norm_restore(&norm, input, r);
    pm_norm_free(&norm);
    if (st != PARLEY_OK) {
        parley_result_free(r);
        return NULL;
    }
    return r;
}

parley_status parley_run_with(const parley_scenario *s, const parley_plan *plan, uint64_t seed, const parley_run_options *o,
                              parley_result **out, parley_error *err)
{
    *out = run_models(s, plan, NULL, NULL, seed, o, err);
    if (*out) return PARLEY_OK;
    parley_status st = parley_error_status(err);
    return st != PARLEY_OK ? st : PARLEY_E_MODEL;
}

parley_result *pm_run_model(const parley_scenario *s, const parley_model *m, const pm_options *mo, uint64_t seed,
                            const parley_run_options *o, parley_error *err)
{
    return run_models(s, NULL, m, mo, seed, o, err);
}

parley_result *parley_run_flags(const parley_scenario *s, const parley_plan *plan, uint64_t seed, unsigned flags,
                                parley_error *err)
{
    parley_run_options o = {flags, 0, NULL};
    return run_models(s, plan, NULL, NULL, seed, &o, err);
}

parley_result *parley_run(const parley_scenario *s, const parley_plan *plan, uint64_t seed, parley_error *err)
{
    return run_models(s, plan, NULL, NULL, seed, NULL, err);
}

size_t pm_parallel_workers(size_t tasks)
{
    return pm_thread_count(tasks);
}

void pm_parallel(size_t tasks, void (*fn)(void *ctx, size_t task, size_t worker), void *ctx)
{
    pool_run(tasks, call_threads, fn, ctx);
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
    while (st == PARLEY_OK && (m = next_group(s, done, iss)) > 0)
        st = pm_cancelled(out) ? PARLEY_E_CANCELLED : fn(s, o, rng, out, err, iss, m);
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
