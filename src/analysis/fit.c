/* fit.c - the ensemble's grid fit on issues with known outcomes, and its cross-validation by proposal. */
#include "fit.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/util.h"
#include "parley/model.h"
#include "parley/result.h"

/* The grid (docs/models/ensemble.md). Its order and tie rule are part of the method: a refit must pick the
 * same point. */
static const double grid_h[ENS_GRID_H] = {0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0, 2.0, 5.0};
static const double grid_beta[ENS_GRID_BETA] = {0.0, 0.1, 0.2, 0.4, 0.7};
static const double grid_tau[ENS_GRID_TAU] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
static const double grid_s[ENS_GRID_S] = {0.03, 0.05, 0.08, 0.12, 0.16, 0.2, 0.25, 0.3};

/* The coverage the fit aims at (inclusive intervals), the band around it that costs nothing, and the
 * cost of each unit of coverage outside the band, in scale points. */
#define COV80_TARGET 0.85
#define COV50_TARGET 0.55
#define COV80_SLACK 0.02
#define COV50_SLACK 0.03
#define PENALTY 100.0

/* Differences of the objective within this count as ties, which go to the first grid point. */
#define TIE 1e-12

/* The plan that gives the centre's two components. */
static const char *const components = "compromise,nash,disagreement=worst,utility=linear";

/* ---- batches ---- */

void ens_batch_free(ens_batch *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->n; i++) ens_issue_free(&b->issues[i]);
    free(b->issues), free(b->outcome), free(b->issue), free(b->group);
    free(b);
}

/* Returns the issue's proposal key, or NULL when it has none. */
static const char *proposal_of(const parley_scenario *s, size_t k)
{
    const char *p = parley_issue_attribute(s, k, "prnr");
    if (!p || !*p) p = parley_issue_attribute(s, k, "prnrnmc");
    return p && *p ? p : NULL;
}

parley_status ens_batch_from_scenario(const parley_scenario *s, ens_batch **out, parley_error *err)
{
    return ens_batch_from_scenario_with(s, 0, NULL, out, err);
}

parley_status ens_batch_from_scenario_with(const parley_scenario *s, uint64_t seed, const parley_run_options *o,
                                           ens_batch **out, parley_error *err)
{
    *out = NULL;
    size_t ni = parley_scenario_issue_count(s), na = parley_scenario_actor_count(s);
    ens_batch *b = calloc(1, sizeof *b);
    double *x = malloc((na ? na : 1) * sizeof *x), *w = malloc((na ? na : 1) * sizeof *w);
    const char **keys = calloc(ni ? ni : 1, sizeof *keys);
    parley_plan *plan = NULL;
    parley_result *r = NULL;
    parley_status st = PARLEY_OK;
    if (!b || !x || !w || !keys) goto nomem;
    b->issues = calloc(ni ? ni : 1, sizeof *b->issues);
    b->outcome = malloc((ni ? ni : 1) * sizeof *b->outcome);
    b->issue = malloc((ni ? ni : 1) * sizeof *b->issue);
    b->group = malloc((ni ? ni : 1) * sizeof *b->group);
    if (!b->issues || !b->outcome || !b->issue || !b->group) goto nomem;
    /* The components come from the library's own models, run as `parley forecast --model` would. */
    if ((st = parley_plan_parse(&plan, components, err)) != PARLEY_OK) goto fail;
    parley_run_options ro = o ? *o : (parley_run_options){0};
    ro.flags |= PARLEY_RUN_SUMMARY;
    if (parley_run_with(s, plan, seed, &ro, &r, err) != PARLEY_OK) {
        st = parley_error_status(err);
        if (st == PARLEY_OK) st = PARLEY_E_INTERNAL;
        goto fail;
    }
    for (size_t k = 0; k < ni; k++) {
        double y = parley_issue_number(s, k, PARLEY_ISSUE_OUTCOME);
        if (isnan(y)) {
            b->without_outcome++;
            continue;
        }
        size_t m = 0;
        double pos, sal, cap;
        for (size_t j = 0; parley_issue_stance_at(s, k, j, NULL, &pos, &sal, &cap); j++) {
            x[m] = pos;
            w[m++] = cap * sal;
        }
        if (m == 0) {
            st = PERR(err, PARLEY_E_INVALID, parley_scenario_source(s), 0, 0, "actors",
                      "issue \"%s\": expected a participant for an issue with an outcome, found none",
                      parley_issue_id(s, k));
            goto fail;
        }
        double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
        ens_issue *e = &b->issues[b->n];
        st = ens_issue_init(e, x, w, m, lo, hi, parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE),
                            parley_result_value(r, 0, k), parley_result_value(r, 1, k), err);
        if (st != PARLEY_OK) goto fail;
        if (e->n > b->max_atoms) b->max_atoms = e->n;
        /* Proposals number in order of first appearance; an issue without one is a fold of its own. */
        const char *key = proposal_of(s, k);
        size_t g = b->n_groups;
        for (size_t i = 0; key && i < b->n; i++)
            if (keys[i] && !strcmp(keys[i], key)) {
                g = b->group[i];
                break;
            }
        if (g == b->n_groups) b->n_groups++;
        keys[b->n] = key;
        b->group[b->n] = g;
        b->outcome[b->n] = y;
        b->issue[b->n++] = k;
    }
    if (b->n == 0) {
        st = PERR(err, PARLEY_E_INVALID, parley_scenario_source(s), 0, 0, "outcome",
                  "expected issues with a known outcome to fit on, found none");
        goto fail;
    }
    goto done;
nomem:
    st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
fail:
    ens_batch_free(b);
    b = NULL;
done:
    parley_result_free(r);
    parley_plan_free(plan);
    free(x), free(w), free(keys);
    *out = b;
    return st;
}

/* ---- scoring ---- */

/* What one forecast scores against its outcome. */
typedef struct issue_score {
    double crps, err, in50, in80, w50, w80;
} issue_score;

static issue_score score_issue(const ens_issue *e, const ens_params *p, double y, pd_atom *atoms)
{
    pd_dist d;
    ens_build(e, p, atoms, &d);
    double q10 = pd_quantile(&d, 0.1), q25 = pd_quantile(&d, 0.25), q50 = pd_quantile(&d, 0.5);
    double q75 = pd_quantile(&d, 0.75), q90 = pd_quantile(&d, 0.9);
    return (issue_score){
        .crps = pd_crps(&d, y),
        .err = fabs(q50 - y),
        .in50 = q25 <= y && y <= q75 ? 1.0 : 0.0,
        .in80 = q10 <= y && y <= q90 ? 1.0 : 0.0,
        .w50 = q75 - q25,
        .w80 = q90 - q10,
    };
}

/* Pools per-issue scores into figures (sums in issue order, then one division). */
static void pool(const issue_score *sc, size_t n, ens_figures *out)
{
    issue_score t = {0};
    for (size_t i = 0; i < n; i++) {
        t.crps += sc[i].crps, t.err += sc[i].err, t.in50 += sc[i].in50, t.in80 += sc[i].in80;
        t.w50 += sc[i].w50, t.w80 += sc[i].w80;
    }
    double dn = (double)n;
    *out = (ens_figures){n, t.err / dn, t.crps / dn, t.in50 / dn, t.in80 / dn, t.w50 / dn, t.w80 / dn};
}

parley_status ens_score(const ens_batch *b, const ens_params *p, ens_figures *out, parley_error *err)
{
    issue_score *sc = malloc(b->n * sizeof *sc);
    pd_atom *atoms = malloc((b->max_atoms ? b->max_atoms : 1) * sizeof *atoms);
    if (!sc || !atoms) {
        free(sc), free(atoms);
        return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < b->n; i++) sc[i] = score_issue(&b->issues[i], p, b->outcome[i], atoms);
    pool(sc, b->n, out);
    free(sc), free(atoms);
    return PARLEY_OK;
}

/* ---- the grid fit ---- */

ens_params ens_grid_point(size_t i)
{
    size_t s = i % ENS_GRID_S, t = i / ENS_GRID_S % ENS_GRID_TAU;
    size_t be = i / (ENS_GRID_S * ENS_GRID_TAU) % ENS_GRID_BETA, h = i / (ENS_GRID_S * ENS_GRID_TAU * ENS_GRID_BETA);
    return (ens_params){grid_h[h], grid_beta[be], grid_tau[t], grid_s[s]};
}

double ens_objective(double crps, double mae, double cov50, double cov80)
{
    double pen = fmax(0.0, fabs(cov80 - COV80_TARGET) - COV80_SLACK) + fmax(0.0, fabs(cov50 - COV50_TARGET) - COV50_SLACK);
    return crps + mae + PENALTY * pen;
}

/* sums[(point * (n_groups + 1) + g) * 4 + c]: the sum of score c (crps, error, in50, in80) at a grid point
 * over proposal g's issues, g = n_groups holding the total over all issues. */
struct ens_grid {
    const ens_batch *b;
    size_t *group_size;
    double *sums;
};

void ens_grid_free(ens_grid *g)
{
    if (!g) return;
    free(g->group_size), free(g->sums);
    free(g);
}

parley_status ens_grid_new(const ens_batch *b, ens_grid **out, parley_error *err)
{
    *out = NULL;
    size_t G = b->n_groups + 1;
    ens_grid *g = calloc(1, sizeof *g);
    pd_atom *atoms = malloc((b->max_atoms ? b->max_atoms : 1) * sizeof *atoms);
    if (!g || !atoms || !(g->group_size = calloc(G, sizeof *g->group_size)) ||
        !(g->sums = calloc((size_t)ENS_GRID_POINTS * G * 4, sizeof *g->sums))) {
        ens_grid_free(g);
        free(atoms);
        return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    g->b = b;
    for (size_t i = 0; i < b->n; i++) g->group_size[b->group[i]]++;
    for (size_t pt = 0; pt < ENS_GRID_POINTS; pt++) {
        ens_params p = ens_grid_point(pt);
        double *row = g->sums + pt * G * 4;
        for (size_t i = 0; i < b->n; i++) {
            issue_score sc = score_issue(&b->issues[i], &p, b->outcome[i], atoms);
            double v[4] = {sc.crps, sc.err, sc.in50, sc.in80};
            /* the total and the proposal's sum, each in issue order */
            for (size_t c = 0; c < 4; c++) {
                row[(G - 1) * 4 + c] += v[c];
                row[b->group[i] * 4 + c] += v[c];
            }
        }
    }
    free(atoms);
    *out = g;
    return PARLEY_OK;
}

ens_params ens_grid_select(const ens_grid *g, size_t held_out)
{
    size_t G = g->b->n_groups + 1;
    bool all = held_out >= g->b->n_groups;
    double n = (double)(all ? g->b->n : g->b->n - g->group_size[held_out]);
    double best = INFINITY;
    size_t at = 0;
    for (size_t pt = 0; pt < ENS_GRID_POINTS; pt++) {
        const double *tot = g->sums + (pt * G + G - 1) * 4, *fold = g->sums + (pt * G + held_out) * 4;
        double a[4];
        /* a fold's training sum is the total less the fold's own: no point is evaluated twice */
        for (size_t c = 0; c < 4; c++) a[c] = (all ? tot[c] : tot[c] - fold[c]) / n;
        double v = ens_objective(a[0], a[1], a[2], a[3]);
        if (pt == 0 || v < best - TIE) best = v, at = pt;
    }
    return ens_grid_point(at);
}

parley_status ens_fit(const ens_batch *b, ens_params *out, parley_error *err)
{
    ens_grid *g;
    parley_status st = ens_grid_new(b, &g, err);
    if (st != PARLEY_OK) return st;
    *out = ens_grid_select(g, SIZE_MAX);
    ens_grid_free(g);
    return PARLEY_OK;
}

parley_status ens_cross_validate(const ens_batch *b, ens_figures *out, ens_params *fold_params, parley_error *err)
{
    if (b->n_groups < 2)
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "proposals",
                    "expected at least two proposals to cross-validate, found %zu", b->n_groups);
    ens_grid *g;
    parley_status st = ens_grid_new(b, &g, err);
    if (st != PARLEY_OK) return st;
    ens_params *fp = malloc(b->n_groups * sizeof *fp);
    issue_score *sc = malloc(b->n * sizeof *sc);
    pd_atom *atoms = malloc((b->max_atoms ? b->max_atoms : 1) * sizeof *atoms);
    if (!fp || !sc || !atoms) {
        st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    } else {
        for (size_t k = 0; k < b->n_groups; k++) fp[k] = ens_grid_select(g, k);
        for (size_t i = 0; i < b->n; i++) sc[i] = score_issue(&b->issues[i], &fp[b->group[i]], b->outcome[i], atoms);
        pool(sc, b->n, out);
        if (fold_params) memcpy(fold_params, fp, b->n_groups * sizeof *fp);
    }
    free(fp), free(sc), free(atoms);
    ens_grid_free(g);
    return st;
}

const double *ens_grid_axis(size_t param, size_t *n)
{
    static const double *const axes[] = {grid_h, grid_beta, grid_tau, grid_s};
    static const size_t sizes[] = {ENS_GRID_H, ENS_GRID_BETA, ENS_GRID_TAU, ENS_GRID_S};
    if (param >= 4) return NULL;
    *n = sizes[param];
    return axes[param];
}

/* ---- the public fit (include/parley/fit.h) ---- */

#include "backtest_internal.h"
#include "parley/fit.h"

static const char *const param_names[] = {"h", "beta", "tau", "s"};

struct parley_fit {
    char *model, *caps_label;
    uint64_t seed;
    ens_params params;
    parley_fit_figures in_sample, cv;
    size_t without_outcome;
};

void parley_fit_free(parley_fit *f)
{
    if (!f) return;
    free(f->model), free(f->caps_label);
    free(f);
}

static parley_fit_figures figures_of(const ens_figures *e, size_t folds)
{
    return (parley_fit_figures){e->n, folds, e->mae, e->crps, e->cov50, e->cov80, e->width50, e->width80};
}

parley_status parley_fit_run(const parley_scenario *s, const char *model, const parley_capabilities *caps,
                             uint64_t seed, const parley_run_options *o, parley_fit **out, parley_error *err)
{
    *out = NULL;
    if (!model || strcmp(model, "ensemble"))
        return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model", "expected a model with fitted parameters (ensemble), found \"%s\"",
                    model ? model : "(none)");
    parley_scenario *w = bt_with_capabilities(s, caps, err);
    if (!w) {
        parley_status st = parley_error_status(err);
        return st != PARLEY_OK ? st : PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    ens_batch *b = NULL;
    parley_fit *f = calloc(1, sizeof *f);
    parley_status st = f ? ens_batch_from_scenario_with(w, seed, o, &b, err) : PARLEY_E_NOMEM;
    if (st == PARLEY_OK) st = ens_fit(b, &f->params, err);
    ens_figures fig;
    if (st == PARLEY_OK) st = ens_score(b, &f->params, &fig, err);
    if (st == PARLEY_OK) {
        f->in_sample = figures_of(&fig, 0);
        if (b->n_groups > 1) {
            st = ens_cross_validate(b, &fig, NULL, err);
            f->cv = figures_of(&fig, b->n_groups);
        } else {
            f->cv = (parley_fit_figures){0, 0, NAN, NAN, NAN, NAN, NAN, NAN};
        }
        f->without_outcome = b->without_outcome;
    }
    if (st == PARLEY_OK) {
        f->model = pu_strdup(model);
        f->caps_label = caps ? pu_asprintf("from %s", bt_capabilities_path(caps)) : pu_strdup("equal");
        f->seed = seed;
        if (!f->model || !f->caps_label) st = PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    if (st == PARLEY_E_NOMEM && parley_error_count(err) == 0) PERR(err, st, NULL, 0, 0, NULL, "out of memory");
    ens_batch_free(b);
    parley_scenario_free(w);
    if (st != PARLEY_OK) {
        parley_fit_free(f);
        return st;
    }
    *out = f;
    return PARLEY_OK;
}

size_t parley_fit_param_count(const parley_fit *f) { return f ? 4 : 0; }

bool parley_fit_param(const parley_fit *f, size_t i, const char **name, double *value)
{
    if (!f || i >= 4) return false;
    const double v[4] = {f->params.h, f->params.beta, f->params.tau, f->params.s};
    if (name) *name = param_names[i];
    if (value) *value = v[i];
    return true;
}

void parley_fit_in_sample(const parley_fit *f, parley_fit_figures *out) { *out = f->in_sample; }
void parley_fit_cross_validated(const parley_fit *f, parley_fit_figures *out) { *out = f->cv; }
const char *fit_model(const parley_fit *f) { return f->model; }
const char *fit_capabilities(const parley_fit *f) { return f->caps_label; }
uint64_t fit_seed(const parley_fit *f) { return f->seed; }
size_t fit_without_outcome(const parley_fit *f) { return f->without_outcome; }
