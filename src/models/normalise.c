/* normalise.c - running the models on extreme but legal numbers: a copy rescaled by powers of two. */
#include "normalise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/result_internal.h"
#include "../core/scenario_internal.h"

/* Beyond these magnitudes a product of three of the models' numbers, or a sum of 100,000 of them, could
 * leave the range of a double. No real negotiation comes near them, so ordinary inputs never take the
 * rescaled path and their results stay bit-identical. */
#define NORM_BIG 1e100
#define NORM_SMALL 1e-100

/* Returns the exponent e that brings issue k's scale width into [1, 2), or, for a scale of no width, its
 * magnitude; sets *extreme when the issue's numbers are beyond the bounds above. The width is taken as
 * twice the half-difference, which cannot overflow. */
static int issue_exponent(const pissue *is, bool *extreme)
{
    double lo = is->low.v, hi = is->high.v;
    double mag = fmax(fabs(lo), fabs(hi)), half = hi / 2 - lo / 2;
    *extreme = false;
    if (!isfinite(mag)) return 0;
    if (half > 0) {
        *extreme = mag > NORM_BIG || half < NORM_SMALL / 2 || half > NORM_BIG / 2;
        return ilogb(half) + 1;
    }
    *extreme = mag > NORM_BIG || (mag > 0 && mag < NORM_SMALL);
    return mag > 0 ? ilogb(mag) : 0;
}

static void *dup_array(const void *p, size_t n, size_t size, bool *failed)
{
    if (!n) return NULL;
    void *c = malloc(n * size);
    if (!c) *failed = true;
    else memcpy(c, p, n * size);
    return c;
}

bool pm_norm_make(const parley_scenario *s, pm_norm *n, bool *failed)
{
    memset(n, 0, sizeof *n);
    *failed = false;
    /* Capabilities: the largest, and whether any is beyond the bounds. */
    double cmax = 0;
    bool caps = false, any = false;
    for (size_t a = 0; a < s->n_actors; a++) {
        double c = s->actors[a].capability.v;
        if (!(c > 0) || !isfinite(c)) continue;
        cmax = fmax(cmax, c);
        caps = caps || c > NORM_BIG || c < NORM_SMALL;
    }
    for (size_t i = 0; i < s->n_stances; i++) {
        double c = s->stances[i].capability.v;
        if (!(c > 0) || !isfinite(c)) continue;
        cmax = fmax(cmax, c);
        caps = caps || c > NORM_BIG || c < NORM_SMALL;
    }
    any = caps;
    for (size_t k = 0; k < s->n_issues && !any; k++) issue_exponent(&s->issues[k], &any);
    if (!any) return false;

    parley_scenario *c = malloc(sizeof *c);
    int *exp = calloc(s->n_issues ? s->n_issues : 1, sizeof *exp);
    if (!c || !exp) {
        free(c), free(exp);
        *failed = true;
        return false;
    }
    *c = *s;
    c->actors = dup_array(s->actors, s->n_actors, sizeof *s->actors, failed);
    c->issues = dup_array(s->issues, s->n_issues, sizeof *s->issues, failed);
    c->stances = dup_array(s->stances, s->n_stances, sizeof *s->stances, failed);
    c->shocks = dup_array(s->shocks, s->n_shocks, sizeof *s->shocks, failed);
    n->s = c, n->pos_exp = exp;
    if (*failed) {
        pm_norm_free(n);
        return false;
    }
    if (caps) {
        n->cap_exp = ilogb(cmax);
        for (size_t a = 0; a < c->n_actors; a++) c->actors[a].capability.v = ldexp(c->actors[a].capability.v, -n->cap_exp);
        for (size_t i = 0; i < c->n_stances; i++) c->stances[i].capability.v = ldexp(c->stances[i].capability.v, -n->cap_exp);
    }
    for (size_t k = 0; k < c->n_issues; k++) {
        bool extreme;
        int e = issue_exponent(&c->issues[k], &extreme);
        if (!extreme) continue;
        exp[k] = e;
        pissue *is = &c->issues[k];
        is->low.v = ldexp(is->low.v, -e), is->high.v = ldexp(is->high.v, -e);
        is->reference.v = ldexp(is->reference.v, -e), is->outcome.v = ldexp(is->outcome.v, -e);
    }
    for (size_t i = 0; i < c->n_stances; i++) {
        pstance *st = &c->stances[i];
        st->position.v = ldexp(st->position.v, -exp[st->issue]);
    }
    /* A scale factor is the same in any unit; a set value or a shift scales like a position. */
    for (size_t i = 0; i < c->n_shocks; i++)
        if (c->shocks[i].op != PC_SCALE) c->shocks[i].value = ldexp(c->shocks[i].value, -exp[c->shocks[i].issue]);
    return true;
}

/* Maps x on issue k of the copy back to the input's scale. A value the model rounded past the end of a
 * scale near the largest double would overflow: it is the end of the scale. */
static double back(const pm_norm *n, const parley_scenario *orig, size_t k, double x)
{
    if (k >= orig->n_issues || !n->pos_exp[k] || !isfinite(x)) return x;
    double y = ldexp(x, n->pos_exp[k]);
    if (isinf(y)) y = y > 0 ? orig->issues[k].high.v : orig->issues[k].low.v;
    return y;
}

void pm_norm_restore(const pm_norm *n, const parley_scenario *orig, parley_result *r)
{
    size_t na = r->n_actors;
    for (size_t i = 0; i < r->n_forecasts; i++) {
        rs_forecast *f = &r->forecasts[i];
        f->value = back(n, orig, f->issue, f->value);
        if (f->has_dist) {
            /* Every length of the distribution scales by the same power of two, exactly. */
            pd_dist *d = &f->dist;
            int e = n->pos_exp[f->issue];
            for (size_t j = 0; j < d->n_atoms; j++) f->atoms[j].value = back(n, orig, f->issue, f->atoms[j].value);
            pd_init(d, f->atoms, d->n_atoms, d->tau, ldexp(d->m, e), ldexp(d->b, e),
                    parley_issue_number(orig, f->issue, PARLEY_ISSUE_LOW), parley_issue_number(orig, f->issue, PARLEY_ISSUE_HIGH),
                    NULL);
        }
    }
    for (size_t i = 0; i < r->n_rounds; i++) {
        rs_round *rd = &r->rounds[i];
        size_t k = rd->issue;
        rd->median = back(n, orig, k, rd->median), rd->mean = back(n, orig, k, rd->mean);
        rd->outcome = back(n, orig, k, rd->outcome);
        for (size_t a = 0; a < na; a++) {
            if (rd->positions) rd->positions[a] = back(n, orig, k, rd->positions[a]);
            if (rd->voting) rd->voting[a] = back(n, orig, k, rd->voting[a]);
        }
    }
    for (size_t i = 0; i < r->n_challenges; i++) {
        rs_challenge *c = &r->challenges[i];
        c->offer = back(n, orig, c->issue, c->offer);
    }
    for (size_t i = 0; i < r->n_exchanges; i++) {
        rs_exchange *e = &r->exchanges[i];
        e->i_x = back(n, orig, e->i_supply, e->i_x), e->i_y = back(n, orig, e->i_supply, e->i_y);
        e->j_x = back(n, orig, e->j_supply, e->j_x), e->j_y = back(n, orig, e->j_supply, e->j_y);
    }
}

double pm_norm_length(const pm_norm *n, size_t k, double x)
{
    return n && n->pos_exp && n->s && k < n->s->n_issues ? ldexp(x, n->pos_exp[k]) : x;
}

void pm_norm_free(pm_norm *n)
{
    if (n->s) free(n->s->actors), free(n->s->issues), free(n->s->stances), free(n->s->shocks);
    free(n->s), free(n->pos_exp);
    memset(n, 0, sizeof *n);
}
