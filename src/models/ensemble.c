/* ensemble.c - the ensemble model: one calibrated predictive distribution per issue, from the scenario and
 * two components' forecasts (docs/models/ensemble.md). Its fit lives in src/analysis/fit.c. */
#include "ensemble.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

parley_status ens_params_check(const ens_params *p, parley_error *err)
{
    if (!(isfinite(p->h) && p->h > 0))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "h", "expected a finite bandwidth > 0, found %g", p->h);
    if (!(isfinite(p->beta) && p->beta >= 0))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "beta", "expected a finite weight >= 0, found %g", p->beta);
    if (!(p->tau >= 0 && p->tau <= 1))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "tau", "expected a mass in [0, 1], found %g", p->tau);
    if (!(isfinite(p->s) && p->s > 0))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "s", "expected a finite scale > 0, found %g", p->s);
    return PARLEY_OK;
}

void ens_issue_free(ens_issue *e)
{
    if (!e) return;
    free(e->values), free(e->raw), free(e->order);
    e->values = e->raw = NULL;
    e->order = NULL;
    e->n = 0;
}

parley_status ens_issue_init(ens_issue *e, const double *x, const double *w, size_t n, double low, double high,
                             double reference, double compromise, double nash, parley_error *err)
{
    *e = (ens_issue){.ref = SIZE_MAX};
    if (!(isfinite(low) && isfinite(high) && low <= high))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "scale", "expected finite low <= high, found [%g, %g]", low,
                    high);
    if (n == 0) return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "actors", "expected a participant, found none");
    bool anyw = false;
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] >= low && x[i] <= high))
            return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "position",
                        "participant %zu: expected a position on [%g, %g], found %g", i + 1, low, high, x[i]);
        if (!(isfinite(w[i]) && w[i] >= 0))
            return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "weight",
                        "participant %zu: expected a finite weight >= 0, found %g", i + 1, w[i]);
        anyw |= w[i] > 0;
    }
    if (!isnan(reference) && !(reference >= low && reference <= high))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "reference",
                    "expected a reference point on [%g, %g] or none, found %g", low, high, reference);
    if (!(compromise >= low && compromise <= high))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "compromise",
                    "expected a compromise forecast on [%g, %g], found %g", low, high, compromise);
    if (!isnan(nash) && !(nash >= low && nash <= high))
        return PERR(err, PARLEY_E_INVALID, NULL, 0, 0, "nash",
                    "expected a Nash forecast on [%g, %g] or none, found %g", low, high, nash);
    e->values = malloc((n + 1) * sizeof *e->values);
    e->raw = malloc((n + 1) * sizeof *e->raw);
    e->order = malloc((n + 1) * sizeof *e->order);
    if (!e->values || !e->raw || !e->order) {
        ens_issue_free(e);
        return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    e->low = low, e->high = high, e->reference = reference, e->compromise = compromise, e->nash = nash;
    /* Nash needs a scale of positive width; without it (or any weight) the compromise is the centre. */
    e->m = isnan(nash) || !(high > low) ? compromise : 0.5 * (compromise + nash);
    if (!isfinite(e->m)) e->m = 0.5 * compromise + 0.5 * nash; /* the sum overflowed: a scale near 1e308 */
    /* One candidate per distinct position, however many actors hold it: summed weight shares did worse on
     * dev (docs/models/ensemble.md). Actors of no weight hold no atom, unless no actor has weight. */
    for (size_t i = 0; i < n; i++) {
        if (!(w[i] > 0) && anyw) continue;
        bool seen = false;
        for (size_t k = 0; k < e->n && !seen; k++) seen = e->values[k] == x[i];
        if (seen) continue;
        e->values[e->n] = x[i];
        e->raw[e->n++] = 1.0;
    }
    if (!isnan(reference)) {
        for (size_t k = 0; k < e->n && e->ref == SIZE_MAX; k++)
            if (e->values[k] == reference) e->ref = k;
        if (e->ref == SIZE_MAX) {
            e->ref = e->n;
            e->values[e->n] = reference;
            e->raw[e->n++] = 0.0;
        }
    }
    /* order: insertion sort by value (a few dozen candidates at most) */
    for (size_t k = 0; k < e->n; k++) {
        size_t j = k;
        while (j > 0 && e->values[e->order[j - 1]] > e->values[k]) {
            e->order[j] = e->order[j - 1];
            j--;
        }
        e->order[j] = k;
    }
    return PARLEY_OK;
}

/* Fills atoms with the candidates' masses for continuous mass tau; returns how many have mass. */
static size_t atoms_for(const ens_issue *e, const ens_params *p, double tau, pd_atom *atoms)
{
    double width = e->high - e->low, hw = p->h * width;
    /* Kernel weights, summed in candidate order, as the reference implementation sums them. */
    double ks = 0, rs = 0;
    for (size_t k = 0; k < e->n; k++) {
        double r = e->raw[k] + (k == e->ref ? p->beta : 0.0);
        double kv = r > 0 ? (width > 0 ? r * exp(-fabs(e->values[k] - e->m) / hw) : r) : 0.0;
        ks += kv;
        rs += r > 0 ? r : 0.0;
    }
    /* Only a bandwidth so small that every kernel underflows leaves nothing: fall back to the raw weights. */
    bool flat = !(ks > 0 && isfinite(ks));
    if (flat) ks = rs;
    size_t na = 0;
    for (size_t j = 0; j < e->n; j++) {
        size_t k = e->order[j];
        double r = e->raw[k] + (k == e->ref ? p->beta : 0.0);
        if (!(r > 0)) continue;
        double kv = flat || !(width > 0) ? r : r * exp(-fabs(e->values[k] - e->m) / hw);
        double pk = (1.0 - tau) * kv / ks;
        if (pk > 0) atoms[na++] = (pd_atom){e->values[k], pk};
    }
    return na;
}

void ens_build(const ens_issue *e, const ens_params *p, pd_atom *atoms, pd_dist *out)
{
    double width = e->high - e->low, tau = width > 0 ? p->tau : 0.0, sl = width > 0 ? p->s * width : 1.0;
    size_t na = atoms_for(e, p, tau, atoms);
    /* Checked inputs make this a valid distribution (atoms ascending on the scale, mass 1, m on the
     * scale), unless the Laplace scale itself is degenerate: s x width overflowing on a scale near the
     * largest doubles, or so wide that its mass on the scale rounds to 0. The atoms then take it all. */
    if (pd_init(out, atoms, na, tau, e->m, sl, e->low, e->high, NULL) != PARLEY_OK) {
        na = atoms_for(e, p, 0.0, atoms);
        pd_init(out, atoms, na, 0.0, e->m, 1.0, e->low, e->high, NULL);
    }
}

/* ---- the model ---- */

/* The parameters fitted on DEU III dev, generated at build time from src/models/ensemble.json (the output
 * of `parley fit tests/data/deu3/deu3-dev.tsv`): the numbers and their texts. */
#include "ensemble_fit.h"

const ens_params ens_fitted = {.h = ENS_FIT_H, .beta = ENS_FIT_BETA, .tau = ENS_FIT_TAU, .s = ENS_FIT_S};

enum { OPT_H, OPT_BETA, OPT_TAU, OPT_S, OPT_PARAMS };

static const parley_option_spec options[] = {
    [OPT_H] = {"h", PARLEY_OPTION_NUMBER, ENS_FIT_H_TEXT, NULL, 1e-6, 1e6,
               "atom bandwidth, a fraction of the scale: an atom's weight falls by e every h x width from the centre"},
    [OPT_BETA] = {"beta", PARLEY_OPTION_NUMBER, ENS_FIT_BETA_TEXT, NULL, 0, 1e6,
                  "extra weight of the reference point's atom (each distinct position has 1)"},
    [OPT_TAU] = {"tau", PARLEY_OPTION_NUMBER, ENS_FIT_TAU_TEXT, NULL, 0, 1,
                 "probability mass of the continuous part (the rest sits on actors' positions and the reference point)"},
    [OPT_S] = {"s", PARLEY_OPTION_NUMBER, ENS_FIT_S_TEXT, NULL, 1e-6, 1e6,
               "scale of the continuous part (a truncated Laplace), a fraction of the scale's width"},
    [OPT_PARAMS] = {"params", PARLEY_OPTION_FILE, "", NULL, 0, 0,
                    "a JSON file of fitted parameters, as `parley fit` writes it (default: the fit on DEU III dev built in)"},
};

/* The centre's components, in the order pm_component numbers them. */
enum { COMP_COMPROMISE, COMP_NASH };
static const char *const components[] = {"compromise", "nash,disagreement=worst,utility=linear", NULL};

static parley_status ensemble_issue(const parley_scenario *s, size_t issue, const pm_options *o, parley_rng *rng,
                                    pm_out *out, parley_error *err)
{
    (void)rng;
    size_t n = parley_scenario_actor_count(s);
    double *x = malloc((n ? n : 1) * sizeof *x), *w = malloc((n ? n : 1) * sizeof *w);
    pd_atom *atoms = malloc((n + 1) * sizeof *atoms);
    parley_status st = PARLEY_OK;
    if (!x || !w || !atoms) {
        st = PARLEY_E_NOMEM;
        goto done;
    }
    size_t m = pm_participants(s, issue, x, w, NULL);
    double comp = pm_component(out, COMP_COMPROMISE, issue), nash = pm_component(out, COMP_NASH, issue);
    if (m == 0 || isnan(comp)) {
        st = pm_forecast(out, issue, NAN, m == 0 ? "no actor takes part in this issue" : "the compromise model gives no forecast");
        goto done;
    }
    ens_params p = {o->v[OPT_H], o->v[OPT_BETA], o->v[OPT_TAU], o->v[OPT_S]};
    ens_issue e;
    double low = parley_issue_number(s, issue, PARLEY_ISSUE_LOW), high = parley_issue_number(s, issue, PARLEY_ISSUE_HIGH);
    st = ens_issue_init(&e, x, w, m, low, high, parley_issue_number(s, issue, PARLEY_ISSUE_REFERENCE), comp, nash, err);
    if (st != PARLEY_OK) goto done;
    pd_dist d;
    ens_build(&e, &p, atoms, &d);
    char note[160];
    if (isnan(nash) || e.m == comp)
        snprintf(note, sizeof note, "centred on the compromise forecast %.4g", pm_length(out, issue, comp));
    else
        snprintf(note, sizeof note, "centred on %.4g, between the compromise (%.4g) and Nash (%.4g) forecasts",
                 pm_length(out, issue, e.m), pm_length(out, issue, comp), pm_length(out, issue, nash));
    st = pm_forecast_dist(out, issue, &d, note);
    ens_issue_free(&e);
done:
    free(x), free(w), free(atoms);
    return st;
}

static parley_status ensemble_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                  parley_error *err)
{
    (void)rng;
    return pm_for_each_issue(s, o, out, ensemble_issue, err);
}

const struct parley_model pm_ensemble = {
    .name = "ensemble",
    .summary = "a calibrated predictive distribution per issue: the headline forecast (its median) with intervals",
    .options = options,
    .n_options = sizeof options / sizeof *options,
    .scope = PARLEY_SCOPE_ISSUE,
    .records = 0,
    .components = components,
    .run = ensemble_run,
};
