/* zeuthen.c - the monotonic concession protocol with Zeuthen's rule (Zeuthen 1930; Harsanyi 1956; Rosenschein
 * and Zlotkin 1994), for two or more parties.
 *
 * Each party opens with its best rational outcome (worth at least every party's reservation value d_i).
 * Every step, if some standing offer is worth to every other party at least its own standing offer, it is
 * agreed (the best of them by the Nash product when several are). Otherwise the party least willing to
 * risk conflict concedes. Zeuthen's willingness to risk conflict, Z_i = (u_i(x_i) - u_i(x_j)) /
 * (u_i(x_i) - d_i) in the bilateral case, is smallest for the party whose offer has the smaller Nash
 * product N(x) = prod_i (u_i(x) - d_i) (Harsanyi's observation), and that is the rule used with n
 * parties: the party whose offer has the smallest Nash product concedes (ties: the first in actor order).
 * It concedes as little as it can while passing the Zeuthen test: to its own best outcome whose Nash
 * product exceeds that of every standing offer, among those no worse for the others than its last offer
 * (monotonic concession) when there is one. The products rise strictly with every concession, so the
 * protocol ends, and it ends at the outcome of largest Nash product: when the conceder has nothing left
 * whose product beats the best standing offer, that offer is the Nash bargaining point, and the conceder
 * accepts it. With no rational outcome there is nothing to agree on (the forecast is then the reference
 * point, as saop's). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "protocol.h"

static const parley_option_spec zeuthen_options[] = {
    {"steps", PARLEY_OPTION_INTEGER, "1000", NULL, 1, 10000000, "the most concessions before the parties give up"},
    {"utility", PARLEY_OPTION_CHOICE, "linear", "linear|quadratic", 0, 0,
     "how an actor's value of a scale issue falls with distance from its position"},
};

enum { OPT_STEPS, OPT_UTILITY };

/* The Nash product of outcome o over the parties' gains above their reservation values; -1 when o is not
 * rational for some party. */
static double nash_product(double *const *u, const double *d, size_t np, size_t o)
{
    double p = 1;
    for (size_t i = 0; i < np; i++) {
        double g = u[i][o] - d[i];
        if (g < 0) return -1;
        p *= g;
    }
    return p;
}

static parley_status zeuthen_group(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                   parley_error *err, const size_t *iss, size_t k)
{
    (void)rng;
    size_t ni = parley_scenario_issue_count(s), na = parley_scenario_actor_count(s);
    parley_utility_shape shape = o->v[OPT_UTILITY] == 1 ? PARLEY_UTILITY_QUADRATIC : PARLEY_UTILITY_LINEAR;
    int max_steps = (int)o->v[OPT_STEPS];
    space sp = {0};
    size_t *actors = malloc((na ? na : 1) * sizeof *actors), np = 0, *standing = NULL;
    double **u = calloc(na ? na : 1, sizeof *u), *d = malloc((na ? na : 1) * sizeof *d), *np_of = NULL;
    double *x = malloc((ni ? ni : 1) * sizeof *x), *store = NULL, *util = malloc((na ? na : 1) * sizeof *util);
    pm_event *ev = NULL;
    size_t n_ev = 0, cap_ev = 0;
    parley_status st = PARLEY_E_NOMEM;
    if (!actors || !u || !d || !x || !util) goto done;
    if ((st = pr_space_init(&sp, s, iss, k, "zeuthen", err))) goto done;
    st = PARLEY_E_NOMEM;
    np = pr_parties(s, iss, k, actors);
    if (np < 2) {
        for (size_t q = 0; q < k; q++)
            if ((st = pm_forecast(out, iss[q], NAN, "fewer than two parties take part: there is nobody to negotiate with")))
                goto done;
        st = PARLEY_OK;
        goto done;
    }
    for (size_t i = 0; i < np; i++) {
        double worst, best;
        if (!(u[i] = malloc(sp.n * sizeof **u)) || !pr_utilities(s, &sp, actors[i], shape, u[i], &worst, &best)) goto done;
        d[i] = parley_reservation(s, actors[i], shape);
    }
    if (!(np_of = malloc(sp.n * sizeof *np_of)) || !(standing = malloc(np * sizeof *standing))) goto done;
    for (size_t oc = 0; oc < sp.n; oc++) np_of[oc] = nash_product(u, d, np, oc);

/* Appends an event (offer o by party i at step); the offer's values and utilities go to the store. */
#define EVENT(step_, i_, act_, o_)                                                                                 \
    do {                                                                                                       \
        if (n_ev == cap_ev) {                                                                                  \
            size_t c_ = cap_ev ? 2 * cap_ev : 64;                                                              \
            pm_event *e_ = realloc(ev, c_ * sizeof *e_);                                                       \
            if (!e_) goto done;                                                                                \
            ev = e_;                                                                                           \
            double *s_ = realloc(store, c_ * (ni + na) * sizeof *s_);                                          \
            if (!s_) goto done;                                                                                \
            store = s_, cap_ev = c_;                                                                           \
        }                                                                                                      \
        double *x_ = store + n_ev * (ni + na), *u_ = x_ + ni;                                                  \
        pr_decode(&sp, (o_), x_, ni);                                                                          \
        for (size_t a_ = 0; a_ < na; a_++) u_[a_] = NAN;                                                       \
        for (size_t j_ = 0; j_ < np; j_++) u_[actors[j_]] = u[j_][(o_)];                                       \
        ev[n_ev++] = (pm_event){(step_), actors[(i_)], (act_), NULL, NULL};                                    \
    } while (0)

    /* Openings: each party's best rational outcome (the first enumerated among equals). */
    bool any_rational = false;
    for (size_t i = 0; i < np; i++) {
        size_t best = SIZE_MAX;
        for (size_t oc = 0; oc < sp.n; oc++)
            if (np_of[oc] >= 0 && (best == SIZE_MAX || u[i][oc] > u[i][best])) best = oc;
        standing[i] = best;
        any_rational = best != SIZE_MAX;
    }
    size_t agreement = SIZE_MAX;
    int steps = 0;
    if (any_rational) {
        for (size_t i = 0; i < np; i++) EVENT(0, i, PARLEY_ACTION_OFFER, standing[i]);
        for (int step = 0; step < max_steps && agreement == SIZE_MAX; step++) {
            steps = step + 1;
            /* An offer every other party likes at least as well as its own is agreed. */
            size_t agreed_by = SIZE_MAX;
            for (size_t j = 0; j < np; j++) {
                bool all = true;
                for (size_t i = 0; i < np && all; i++) all = i == j || u[i][standing[j]] >= u[i][standing[i]];
                if (all && (agreed_by == SIZE_MAX || np_of[standing[j]] > np_of[standing[agreed_by]])) agreed_by = j;
            }
            if (agreed_by != SIZE_MAX) {
                agreement = standing[agreed_by];
                for (size_t i = 0; i < np; i++)
                    if (i != agreed_by) EVENT(step, i, PARLEY_ACTION_ACCEPT, agreement);
                break;
            }
            /* The party whose offer has the smallest Nash product is the least willing to risk conflict. */
            size_t c = 0, top = 0;
            for (size_t i = 1; i < np; i++) {
                if (np_of[standing[i]] < np_of[standing[c]]) c = i;
                if (np_of[standing[i]] > np_of[standing[top]]) top = i;
            }
            double beat = np_of[standing[top]];
            size_t pick = SIZE_MAX, pick_mono = SIZE_MAX;
            for (size_t oc = 0; oc < sp.n; oc++) {
                if (!(np_of[oc] > beat)) continue;
                if (pick == SIZE_MAX || u[c][oc] > u[c][pick]) pick = oc;
                bool mono = true;
                for (size_t i = 0; i < np && mono; i++) mono = i == c || u[i][oc] >= u[i][standing[c]];
                if (mono && (pick_mono == SIZE_MAX || u[c][oc] > u[c][pick_mono])) pick_mono = oc;
            }
            if (pick_mono != SIZE_MAX) pick = pick_mono;
            if (pick == SIZE_MAX) {
                /* Nothing beats the best standing offer: it is the Nash bargaining point; all accept it. */
                agreement = standing[top];
                for (size_t i = 0; i < np; i++)
                    if (i != top) EVENT(step, i, PARLEY_ACTION_ACCEPT, agreement);
                break;
            }
            standing[c] = pick;
            EVENT(step, c, PARLEY_ACTION_OFFER, pick);
        }
    }
#undef EVENT
    for (size_t j = 0; j < n_ev; j++) ev[j].offer = store + j * (ni + na), ev[j].utilities = ev[j].offer + ni;
    for (size_t a = 0; a < na; a++) util[a] = NAN;
    for (size_t i = 0; i < np; i++) util[actors[i]] = agreement != SIZE_MAX ? u[i][agreement] : d[i];
    double *agreed = NULL;
    if (agreement != SIZE_MAX) {
        pr_decode(&sp, agreement, x, ni);
        agreed = x;
    }
    if ((st = pm_negotiation(out, NULL, agreed, util, steps, ev, n_ev))) goto done;
    for (size_t q = 0; q < k; q++) {
        char note[160];
        double v;
        if (agreed) {
            v = agreed[iss[q]];
            snprintf(note, sizeof note, "agreement after %d steps of concession (the Nash bargaining point)", steps);
        } else {
            v = parley_issue_number(s, iss[q], PARLEY_ISSUE_REFERENCE);
            snprintf(note, sizeof note, "no agreement: %s; %s",
                     any_rational ? "the step limit passed" : "no outcome is worth every reservation value",
                     isnan(v) ? "the issue has no reference point to fall back on" : "the reference point stands");
        }
        if ((st = pm_forecast(out, iss[q], v, note))) goto done;
    }
    st = PARLEY_OK;
done:
    pr_space_free(&sp);
    for (size_t i = 0; u && i < np; i++) free(u[i]);
    free(actors), free(u), free(d), free(np_of), free(standing), free(x), free(store), free(util), free(ev);
    return st;
}

static parley_status zeuthen_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                 parley_error *err)
{
    return pm_for_each_group(s, o, rng, out, err, zeuthen_group);
}

static bool zeuthen_suits(const parley_scenario *s) { return parley_scenario_actor_count(s) >= 2; }

const struct parley_model pm_zeuthen = {
    .name = "zeuthen",
    .summary = "monotonic concession with Zeuthen's rule: the party least willing to risk conflict concedes; ends at the Nash point",
    .options = zeuthen_options,
    .n_options = sizeof zeuthen_options / sizeof *zeuthen_options,
    .suits = zeuthen_suits,
    .run = zeuthen_run,
    .scope = PARLEY_SCOPE_GROUP,
    .handles_options = true,
    .named_only = true,
};
