/* montecarlo.c - the Monte Carlo engine: draws of the uncertain inputs, the plan run on each, summaries.
 *
 * Each worker thread owns a copy of the scenario and writes sampled values into it before each run;
 * models read the scenario only through its getters, so they see the draw. Every draw seeds its own
 * generator from (seed, draw index), and its outputs go to its own row: the result does not depend on
 * which thread ran which draw. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/pool.h"
#include "../core/scenario_internal.h"
#include "../models/model.h"
#include "parley/io.h"
#include "parley/montecarlo.h"
#include "parley/rng.h"

/* One uncertain number: the actor's own capability (stance SIZE_MAX) or a stance's field. */
typedef struct mc_input {
    size_t actor, stance;
    parley_field field;
    char *name;
} mc_input;

struct parley_mc {
    const parley_scenario *s;
    const parley_plan *plan;
    size_t draws, n_in, n_out, runs, issues;
    uint64_t seed;
    parley_result *base;
    mc_input *in;
    double *inputs;   /* draws x n_in */
    double *outputs;  /* draws x n_out (NaN: no forecast) */
    unsigned char *done;
};

static const pnum *input_num(const parley_scenario *s, const mc_input *in)
{
    if (in->stance == SIZE_MAX) return &s->actors[in->actor].capability;
    const pstance *st = &s->stances[in->stance];
    return in->field == PARLEY_FIELD_POSITION ? &st->position : in->field == PARLEY_FIELD_SALIENCE ? &st->salience : &st->capability;
}

/* ---- sampling ---- */

/* The standard normal's inverse CDF (Acklam's rational approximation, then one Halley step on erfc):
 * accurate to the last few bits over (0, 1). */
static double inv_norm(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    if (p <= 0) return -INFINITY;
    if (p >= 1) return INFINITY;
    double x, q, r;
    if (p < 0.02425) {
        q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - 0.02425) {
        q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        q = sqrt(-2 * log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double e = 0.5 * erfc(-x / sqrt(2)) - p, u = e * 2.5066282746310002 * exp(x * x / 2); /* sqrt(2 pi) */
    return x - u / (1 + x * u / 2);
}

/* Returns a draw of the uncertain number n (value v) from the uniform variate u in [0, 1). */
static double sample(const pnum *n, double u)
{
    const pdist *d = &n->u;
    double lo = d->low, hi = d->high, c = n->v;
    switch (d->kind) {
    case PARLEY_DIST_UNIFORM: return lo + u * (hi - lo);
    case PARLEY_DIST_TRIANGULAR: {
        if (!(hi > lo)) return c;
        double f = (c - lo) / (hi - lo);
        double x = u < f ? lo + sqrt(u * (hi - lo) * (c - lo)) : hi - sqrt((1 - u) * (hi - lo) * (hi - c));
        return fmin(hi, fmax(lo, x));
    }
    case PARLEY_DIST_NORMAL: {
        /* Inverse CDF restricted to [lo, hi]: exact truncation, one variate per draw. */
        double pa = isfinite(lo) ? 0.5 * erfc(-(lo - c) / d->sd / sqrt(2)) : 0;
        double pb = isfinite(hi) ? 0.5 * erfc(-(hi - c) / d->sd / sqrt(2)) : 1;
        double x = c + d->sd * inv_norm(pa + u * (pb - pa));
        return fmin(hi, fmax(lo, isfinite(x) ? x : c));
    }
    default: return c;
    }
}

/* ---- setting up ---- */

static bool add_input(parley_mc *mc, size_t *cap, size_t actor, size_t stance, parley_field field)
{
    if (!pu_grow((void **)&mc->in, cap, mc->n_in + 1, sizeof *mc->in)) return false;
    const parley_scenario *s = mc->s;
    static const char *const fields[] = {"position", "salience", "capability"};
    char *name = stance == SIZE_MAX ? pu_asprintf("%s/capability", s->actors[actor].id)
                                    : pu_asprintf("%s/%s/%s", s->actors[actor].id, s->issues[s->stances[stance].issue].id, fields[field]);
    if (!name) return false;
    mc->in[mc->n_in++] = (mc_input){actor, stance, field, name};
    return true;
}

parley_status parley_mc_create(const parley_scenario *s, const parley_plan *plan, size_t draws, uint64_t seed,
                               parley_mc **out, parley_error *err)
{
    *out = parley_mc_new(s, plan, draws, seed, err);
    if (*out) return PARLEY_OK;
    parley_status st = parley_error_status(err);
    return st != PARLEY_OK ? st : PARLEY_E_NOMEM;
}

parley_mc *parley_mc_new(const parley_scenario *s, const parley_plan *plan, size_t draws, uint64_t seed, parley_error *err)
{
    if (draws == 0 || draws > PARLEY_MAX_DRAWS) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "draws", "expected 1 to %u draws, found %zu", PARLEY_MAX_DRAWS, draws);
        return NULL;
    }
    parley_mc *mc = calloc(1, sizeof *mc);
    if (!mc) return NULL;
    mc->s = s, mc->plan = plan, mc->draws = draws, mc->seed = seed;
    mc->base = parley_run_flags(s, plan, seed, PARLEY_RUN_SUMMARY, err);
    if (!mc->base) {
        parley_mc_free(mc);
        return NULL;
    }
    mc->runs = parley_result_run_count(mc->base), mc->issues = parley_scenario_issue_count(s);
    mc->n_out = mc->runs * mc->issues;
    size_t cap = 0;
    bool ok = true;
    for (size_t a = 0; a < s->n_actors && ok; a++)
        if (s->actors[a].capability.u.kind != PARLEY_DIST_NONE) ok = add_input(mc, &cap, a, SIZE_MAX, PARLEY_FIELD_CAPABILITY);
    for (size_t i = 0; i < s->n_stances && ok; i++) {
        const pstance *st = &s->stances[i];
        if (st->position.u.kind) ok = add_input(mc, &cap, st->actor, i, PARLEY_FIELD_POSITION);
        if (ok && st->salience.u.kind) ok = add_input(mc, &cap, st->actor, i, PARLEY_FIELD_SALIENCE);
        if (ok && st->capability.u.kind) ok = add_input(mc, &cap, st->actor, i, PARLEY_FIELD_CAPABILITY);
    }
    size_t w_in = mc->n_in ? mc->n_in : 1, w_out = mc->n_out ? mc->n_out : 1;
    if (ok && (draws > SIZE_MAX / sizeof(double) / w_in || draws > SIZE_MAX / sizeof(double) / w_out)) ok = false;
    if (ok) {
        mc->inputs = malloc(draws * w_in * sizeof(double));
        mc->outputs = malloc(draws * w_out * sizeof(double));
        mc->done = calloc(draws, 1);
        ok = mc->inputs && mc->outputs && mc->done;
    }
    if (!ok) {
        PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, "draws", "out of memory for %zu draws", draws);
        parley_mc_free(mc);
        return NULL;
    }
    return mc;
}

void parley_mc_free(parley_mc *mc)
{
    if (!mc) return;
    for (size_t i = 0; i < mc->n_in; i++) free(mc->in[i].name);
    free(mc->in), free(mc->inputs), free(mc->outputs), free(mc->done);
    parley_result_free(mc->base);
    free(mc);
}

/* ---- running ---- */

typedef struct mc_job {
    parley_mc *mc;
    size_t offset, stride, next; /* next: the next slot k, draw offset + k stride */
    size_t finished, mine;       /* draws done by this call, and its share of the draws */
    volatile int *cancel;
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    parley_status status;
    parley_error *err;
    pthread_mutex_t lock;
} mc_job;

/* Runs one draw in scenario copy s; a set cancel flag stops it mid-run (PARLEY_E_CANCELLED). Returns
 * the run's status. */
static parley_status one_draw(parley_mc *mc, parley_scenario *s, size_t draw, volatile int *cancel, parley_error *err)
{
    parley_rng g;
    parley_rng_seed(&g, mc->seed, draw);
    double *in = mc->inputs + draw * (mc->n_in ? mc->n_in : 1);
    for (size_t i = 0; i < mc->n_in; i++) {
        const pnum *base = input_num(mc->s, &mc->in[i]);
        in[i] = sample(base, parley_rng_uniform(&g));
        sc_set_drawn(s, mc->in[i].actor, mc->in[i].stance, mc->in[i].field, in[i]);
    }
    parley_run_options ro = {PARLEY_RUN_SUMMARY, 1, cancel};
    parley_result *r = NULL;
    parley_status rst = parley_run_with(s, mc->plan, parley_rng_next(&g), &ro, &r, err);
    if (rst != PARLEY_OK) return rst;
    double *out = mc->outputs + draw * (mc->n_out ? mc->n_out : 1);
    for (size_t run = 0; run < mc->runs; run++)
        for (size_t k = 0; k < mc->issues; k++) out[run * mc->issues + k] = parley_result_value(r, run, k);
    parley_result_free(r);
    return PARLEY_OK;
}

/* One of the call's workers, a task of the pool: takes draws until none is left, a run fails or the
 * caller cancels. Its model runs are inline (a pool task's parallel calls are). */
static void mc_worker(void *arg, size_t task, size_t worker)
{
    mc_job *j = arg;
    parley_mc *mc = j->mc;
    (void)task, (void)worker;
    parley_error *err = parley_error_new();
    /* The worker's own copy, into which its draws are written (never the caller's scenario). */
    parley_scenario *s = parley_scenario_clone(mc->s);
    parley_status st = s && err ? PARLEY_OK : PARLEY_E_NOMEM;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t k = j->next++;
        bool stop = st != PARLEY_OK || j->status != PARLEY_OK || (j->cancel && __atomic_load_n(j->cancel, __ATOMIC_RELAXED));
        pthread_mutex_unlock(&j->lock);
        size_t draw = j->offset + k * j->stride;
        if (stop || draw >= mc->draws) break;
        if (mc->done[draw]) continue;
        st = one_draw(mc, s, draw, j->cancel, err);
        /* A draw cut short by a cancel is not done and not a failure: the run reports what completed. */
        if (st == PARLEY_E_CANCELLED) st = PARLEY_OK;
        if (st == PARLEY_OK) parley_error_clear(err); /* the draws' warnings repeat the base run's */
        pthread_mutex_lock(&j->lock);
        if (st == PARLEY_OK) mc->done[draw] = 1, j->finished++;
        pthread_mutex_unlock(&j->lock);
    }
    pthread_mutex_lock(&j->lock);
    if (st != PARLEY_OK && j->status == PARLEY_OK) {
        j->status = st;
        if (err && j->err) {
            for (size_t i = 0; i < parley_error_count(err); i++) {
                const parley_diag *d = parley_error_at(err, i);
                if (d->severity == PARLEY_SEVERITY_ERROR)
                    perr_add(j->err, d->severity, d->status, d->file, d->line, d->column, d->field, "%s", d->message);
            }
        }
    }
    pthread_mutex_unlock(&j->lock);
    parley_error_free(err);
    parley_scenario_free(s);
}

/* The pool's tick: the calling thread reports progress while the workers run. */
static void mc_tick(void *arg)
{
    mc_job *j = arg;
    pthread_mutex_lock(&j->lock);
    size_t done = j->finished;
    pthread_mutex_unlock(&j->lock);
    j->progress(j->progress_ctx, done, j->mine);
}

parley_status parley_mc_run(parley_mc *mc, size_t offset, size_t stride, const parley_mc_options *o, parley_error *err)
{
    if (stride == 0) stride = 1;
    size_t mine = mc->draws > offset ? (mc->draws - offset + stride - 1) / stride : 0;
    mc_job j = {mc, offset, stride, 0, 0, mine, o ? o->cancel : NULL, o ? o->progress : NULL, o ? o->progress_ctx : NULL,
                PARLEY_OK, err, PTHREAD_MUTEX_INITIALIZER};
    /* nt workers, each taking draws in turn; on the process's pool, which may give fewer. */
    size_t nt = pool_workers(mine ? mine : 1, o ? o->threads : 0);
    if (j.progress)
        pool_run_ticking(nt, nt, mc_worker, &j, mc_tick, &j);
    else
        pool_run(nt, nt, mc_worker, &j);
    if (j.progress) j.progress(j.progress_ctx, j.finished, mine);
    pthread_mutex_destroy(&j.lock);
    return j.status;
}

/* ---- access ---- */

const parley_result *parley_mc_base(const parley_mc *mc) { return mc->base; }
const parley_scenario *parley_mc_scenario(const parley_mc *mc) { return mc->s; }
size_t parley_mc_draws(const parley_mc *mc) { return mc->draws; }
uint64_t parley_mc_seed(const parley_mc *mc) { return mc->seed; }
size_t parley_mc_input_count(const parley_mc *mc) { return mc->n_in; }
const char *parley_mc_input_name(const parley_mc *mc, size_t i) { return i < mc->n_in ? mc->in[i].name : NULL; }
size_t parley_mc_output_count(const parley_mc *mc) { return mc->n_out; }
double *parley_mc_inputs_of(parley_mc *mc, size_t draw) { return mc->inputs + draw * (mc->n_in ? mc->n_in : 1); }
double *parley_mc_outputs_of(parley_mc *mc, size_t draw) { return mc->outputs + draw * (mc->n_out ? mc->n_out : 1); }
bool parley_mc_done(const parley_mc *mc, size_t draw) { return draw < mc->draws && mc->done[draw]; }
void parley_mc_mark_done(parley_mc *mc, size_t draw)
{
    if (draw < mc->draws) mc->done[draw] = 1;
}

double parley_mc_input(const parley_mc *mc, size_t i, parley_uncertainty *u)
{
    if (i >= mc->n_in) return NAN;
    const pnum *n = input_num(mc->s, &mc->in[i]);
    if (u) *u = (parley_uncertainty){n->u.kind, n->u.low, n->u.high, n->u.sd};
    return n->v;
}

size_t parley_mc_completed(const parley_mc *mc)
{
    size_t n = 0;
    while (n < mc->draws && mc->done[n]) n++;
    return n;
}

/* ---- summaries ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-quantile of sorted v (n > 0): the generalised inverse of the empirical distribution function, the
 * smallest v[i] with (i + 1) / n >= p, so a quantile is always a value some draw gave (as the library's
 * predictive distributions define theirs). p x n is taken in millionths, exactly for the levels reported
 * (hundredths), so that 0.1 x 30 counts as 3, not as 3.0000000000000004. */
static double quantile(const double *v, size_t n, double p)
{
    if (!(p > 0)) return v[0];
    double micro = round(p * 1e6);
    if (fabs(micro - p * 1e6) > 1e-6 || n > SIZE_MAX / 1000000u) { /* not a whole number of millionths */
        double k = ceil(p * (double)n);
        return v[k < 1 ? 0 : k >= (double)n ? n - 1 : (size_t)k - 1];
    }
    size_t need = ((size_t)micro * n + 999999u) / 1000000u; /* ceil(p n), exactly */
    return v[need < 1 ? 0 : need > n ? n - 1 : need - 1];
}

bool parley_mc_summary(const parley_mc *mc, size_t run, size_t issue, parley_mc_stats *out)
{
    memset(out, 0, sizeof *out);
    size_t n = parley_mc_completed(mc), m = 0, col = run * mc->issues + issue;
    out->mean = out->sd = out->min = out->max = NAN;
    for (size_t i = 0; i < PARLEY_QUANTILE_COUNT; i++) out->q[i] = NAN;
    if (run >= mc->runs || issue >= mc->issues) return true;
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return false;
    for (size_t d = 0; d < n; d++) {
        double x = mc->outputs[d * mc->n_out + col];
        if (!isnan(x)) v[m++] = x;
    }
    out->n = m;
    if (m) {
        /* Forecasts near the largest double (a scale of +-1e308) would overflow the sums: they are taken
         * in units of a power of two, exactly; ordinary forecasts keep the unit 1 and their bits. */
        double top = 0;
        for (size_t i = 0; i < m; i++) top = fmax(top, fabs(v[i]));
        int e = top > 1e150 ? ilogb(top) : 0;
        double sum = 0, sq = 0;
        for (size_t i = 0; i < m; i++) sum += ldexp(v[i], -e);
        double mean = sum / (double)m;
        for (size_t i = 0; i < m; i++) {
            double d = ldexp(v[i], -e) - mean;
            sq += d * d;
        }
        out->mean = ldexp(mean, e);
        out->sd = m > 1 ? ldexp(sqrt(sq / (double)(m - 1)), e) : 0;
        double lo = parley_issue_number(mc->s, issue, PARLEY_ISSUE_LOW), hi = parley_issue_number(mc->s, issue, PARLEY_ISSUE_HIGH);
        for (size_t i = 0; i < m; i++) { /* halves: no overflow, the same bits */
            int b = hi > lo ? (int)floor((v[i] / 2 - lo / 2) / (hi / 2 - lo / 2) * 20) : 0;
            out->hist[b < 0 ? 0 : b > 19 ? 19 : b]++;
        }
        qsort(v, m, sizeof *v, cmp_double);
        if (v[0] == v[m - 1]) out->mean = v[0], out->sd = 0; /* no spread: exactly, not up to rounding */
        for (size_t i = 0; i < PARLEY_QUANTILE_COUNT; i++) out->q[i] = quantile(v, m, parley_quantile_level(i));
        out->min = v[0], out->max = v[m - 1];
    }
    free(v);
    return true;
}

double parley_mc_probability(const parley_mc *mc, size_t run, size_t issue, const char *op, double t)
{
    size_t n = parley_mc_completed(mc), yes = 0, m = 0, col = run * mc->issues + issue;
    int kind = !strcmp(op, "<") ? 0 : !strcmp(op, "<=") ? 1 : !strcmp(op, ">") ? 2 : !strcmp(op, ">=") ? 3 : -1;
    if (kind < 0 || run >= mc->runs || issue >= mc->issues) return NAN;
    for (size_t d = 0; d < n; d++) {
        double x = mc->outputs[d * mc->n_out + col];
        if (isnan(x)) continue;
        m++;
        yes += kind == 0 ? x < t : kind == 1 ? x <= t : kind == 2 ? x > t : x >= t;
    }
    return m ? (double)yes / (double)m : NAN;
}

/* ---- one-at-a-time swings ---- */

void parley_mc_input_range(const parley_mc *mc, size_t i, double *low, double *high)
{
    const pnum *n = input_num(mc->s, &mc->in[i]);
    *low = n->u.low, *high = n->u.high;
    if (n->u.kind == PARLEY_DIST_NORMAL) {
        *low = sample(n, 0.05), *high = sample(n, 0.95);
    }
}

typedef struct swing_job {
    const parley_mc *mc;
    double *lo, *hi;
    volatile int *cancel;
    parley_status *status;
} swing_job;

static void swing_task(void *ctx, size_t i, size_t worker)
{
    swing_job *j = ctx;
    const parley_mc *mc = j->mc;
    (void)worker; /* a pool task: its runs stay on this thread */
    parley_error *err = parley_error_new();
    parley_scenario *s = parley_scenario_clone(mc->s); /* this input's own copy, set to each end in turn */
    parley_status st = s && err ? PARLEY_OK : PARLEY_E_NOMEM;
    double ends[2];
    parley_mc_input_range(mc, i, &ends[0], &ends[1]);
    for (int e = 0; e < 2 && st == PARLEY_OK; e++) {
        sc_set_drawn(s, mc->in[i].actor, mc->in[i].stance, mc->in[i].field, ends[e]);
        parley_run_options ro = {PARLEY_RUN_SUMMARY, 1, j->cancel};
        parley_result *r = NULL;
        if (parley_run_with(s, mc->plan, mc->seed, &ro, &r, err) != PARLEY_OK) {
            st = parley_error_status(err) ? parley_error_status(err) : PARLEY_E_MODEL;
            break;
        }
        double *out = (e ? j->hi : j->lo) + i * mc->n_out;
        for (size_t run = 0; run < mc->runs; run++)
            for (size_t k = 0; k < mc->issues; k++) out[run * mc->issues + k] = parley_result_value(r, run, k);
        parley_result_free(r);
    }
    j->status[i] = st;
    parley_error_free(err);
    parley_scenario_free(s);
}

parley_status parley_mc_swings_with(const parley_mc *mc, double *at_low, double *at_high, const parley_mc_options *o,
                                    parley_error *err)
{
    if (mc->n_in == 0) return PARLEY_OK;
    volatile int *cancel = o ? o->cancel : NULL;
    swing_job j = {mc, at_low, at_high, cancel, calloc(mc->n_in, sizeof(parley_status))};
    parley_status st = j.status ? PARLEY_OK : PARLEY_E_NOMEM;
    if (st == PARLEY_OK) pool_run(mc->n_in, o ? o->threads : 0, swing_task, &j);
    if (st == PARLEY_OK && cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED))
        st = PERR(err, PARLEY_E_CANCELLED, NULL, 0, 0, NULL, "cancelled");
    for (size_t i = 0; st == PARLEY_OK && i < mc->n_in; i++)
        if (j.status[i] != PARLEY_OK) st = PERR(err, j.status[i], NULL, 0, 0, mc->in[i].name, "a model failed with this input at an end of its range");
    free(j.status);
    return st;
}

parley_status parley_mc_swings(const parley_mc *mc, double *at_low, double *at_high, parley_error *err)
{
    return parley_mc_swings_with(mc, at_low, at_high, NULL, err);
}
