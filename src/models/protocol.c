/* protocol.c - the outcome space and the parties' utilities the protocol models share (protocol.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Fills the values of issue k: every option, every whole number, or the scale's grid. Returns the count, 0
 * when out of memory. */
static size_t issue_values(const parley_scenario *s, size_t k, double **out)
{
    parley_issue_kind kind = parley_issue_kind_of(s, k);
    double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
    size_t n = 0, na = parley_scenario_actor_count(s);
    double *v = NULL;
    if (kind == PARLEY_ISSUE_OPTIONS) {
        n = parley_issue_option_count(s, k);
        if ((v = malloc((n ? n : 1) * sizeof *v)))
            for (size_t j = 0; j < n; j++) v[j] = (double)j;
    } else if (kind == PARLEY_ISSUE_INTEGER && hi - lo < 1e7) {
        n = (size_t)(hi - lo) + 1;
        if ((v = malloc(n * sizeof *v)))
            for (size_t j = 0; j < n; j++) v[j] = lo + (double)j;
    } else if (parley_issue_grid(s, k) > 1) {
        n = parley_issue_grid(s, k);
        if ((v = malloc(n * sizeof *v)))
            for (size_t j = 0; j < n; j++) v[j] = j + 1 == n ? hi : lo + (hi - lo) * (double)j / (double)(n - 1);
    } else {
        /* Every actor's position and the reference point: where somebody stands is where a deal can land. */
        if ((v = malloc((na + 1) * sizeof *v))) {
            for (size_t a = 0; a < na; a++) {
                double pos, sal, cap;
                if (parley_stance(s, a, k, &pos, &sal, &cap) && !isnan(pos)) v[n++] = pos;
            }
            double q = parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE);
            if (!isnan(q)) v[n++] = q;
            qsort(v, n, sizeof *v, cmp_double);
            size_t m = 0;
            for (size_t j = 0; j < n; j++)
                if (!m || v[j] != v[m - 1]) v[m++] = v[j];
            n = m;
        }
    }
    *out = v;
    return v ? n : 0;
}

/* The first issue varies slowest, as GENIUS, NegMAS and parley analyze enumerate. */
void pr_decode(const space *sp, size_t o, double *x, size_t n_issues)
{
    for (size_t k = 0; k < n_issues; k++) x[k] = NAN;
    for (size_t q = sp->k; q-- > 0;) {
        x[sp->iss[q]] = sp->vals[q][o % sp->nv[q]];
        o /= sp->nv[q];
    }
}


parley_status pr_space_init(space *sp, const parley_scenario *s, const size_t *iss, size_t k, const char *model,
                            parley_error *err)
{
    *sp = (space){.k = k, .iss = iss, .nv = calloc(k ? k : 1, sizeof(size_t)), .vals = calloc(k ? k : 1, sizeof(double *)), .n = 1};
    if (!sp->nv || !sp->vals) return PARLEY_E_NOMEM;
    for (size_t q = 0; q < k; q++) {
        sp->nv[q] = issue_values(s, iss[q], &sp->vals[q]);
        if (!sp->vals[q]) return PARLEY_E_NOMEM;
        if (!sp->nv[q])
            return PERR(err, PARLEY_E_MODEL, NULL, 0, 0, model, "%s: issue %s has no value to negotiate over", model,
                        parley_issue_id(s, iss[q]));
        if (sp->n > PR_MAX_OUTCOMES / sp->nv[q])
            return PERR(err, PARLEY_E_LIMIT, NULL, 0, 0, model,
                        "%s: the negotiation has more than %u outcomes, the most it enumerates; grid scale issues more coarsely",
                        model, PR_MAX_OUTCOMES);
        sp->n *= sp->nv[q];
    }
    return PARLEY_OK;
}

void pr_space_free(space *sp)
{
    for (size_t q = 0; sp->vals && q < sp->k; q++) free(sp->vals[q]);
    free(sp->vals), free(sp->nv);
    sp->vals = NULL, sp->nv = NULL;
}

bool pr_utilities(const parley_scenario *s, const space *sp, size_t actor, parley_utility_shape shape, double *u,
                  double *worst, double *best)
{
    size_t k = sp->k;
    double **tab = calloc(k ? k : 1, sizeof *tab);
    size_t *digit = calloc(k ? k : 1, sizeof *digit);
    bool ok = tab && digit;
    for (size_t q = 0; ok && q < k; q++) {
        if (!(tab[q] = malloc(sp->nv[q] * sizeof **tab))) ok = false;
        else parley_weighted_evaluations(s, actor, sp->iss[q], sp->vals[q], sp->nv[q], shape, tab[q]);
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t oc = 0; ok && oc < sp->n; oc++) {
        double v = 0;
        for (size_t q = 0; q < k; q++) v += tab[q][digit[q]];
        u[oc] = v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        for (size_t q = k; q-- > 0;) {
            if (++digit[q] < sp->nv[q]) break;
            digit[q] = 0;
        }
    }
    *worst = lo, *best = hi;
    for (size_t q = 0; tab && q < k; q++) free(tab[q]);
    free(tab), free(digit);
    return ok;
}

size_t pr_parties(const parley_scenario *s, const size_t *iss, size_t k, size_t *actors)
{
    size_t n = 0;
    for (size_t a = 0; a < parley_scenario_actor_count(s); a++) {
        bool in = false;
        for (size_t q = 0; q < k && !in; q++) {
            double pos, sal, cap;
            in = parley_stance(s, a, iss[q], &pos, &sal, &cap);
        }
        if (in) actors[n++] = a;
    }
    return n;
}
