/* saop.c - the stacked alternating offers protocol (SAOP) for two or more parties, as GENIUS and NegMAS run it.
 *
 * The parties bargain over whole agreements (one value per issue of the group) under a deadline of `steps`
 * steps (rounds). Each step every party takes one turn in a fixed order: it accepts the outstanding offer
 * or makes a counter-offer. Two semantics, as presets:
 *
 * - `genius` (GENIUS's StackedAlternatingOffersProtocol): an agreement is an offer followed by n-1
 *   accepts; time t = round / (steps + 1) with 1-based rounds. Time-dependent parties aim at
 *   Pmin + (Pmax - Pmin)(1 - t^(1/e)) (e = 0.2 boulware, 1 linear, 2 conceder), offer the outcome whose
 *   utility is nearest that target, and accept an offer worth at least their own next offer (AC_next).
 * - `negmas` (NegMAS's SAOMechanism): offering counts as accepting, so an offer is agreed when every other
 *   party accepts it in turn; t = (step + 1) / (steps + 1). A time-based party's aspiration is 1 - t^x
 *   (x = 4 boulware, 1 linear, 0.25 conceder), mapped onto [Pmin, Pmax] and widened by a tolerance
 *   (1e-4; 1e-3 for `aspiration`); it proposes the worst outcome inside that band and accepts any offer
 *   inside it. Ties are broken as NegMAS's presorted inverse utility breaks them: the first outcome at or
 *   above the band's floor in the order numpy's default (introsort) argsort gives the rational outcomes.
 *
 * Pmax is a party's best utility and Pmin the larger of its worst utility and its reservation value. Scale
 * issues are enumerated on their file's grid (GENIUS real issues), else at every actor position and the
 * reference point; option and integer issues at every value. Without an agreement the forecast is the
 * reference point (none where the issue has none), with a note saying so. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"


static const parley_option_spec saop_options[] = {
    {"semantics", PARLEY_OPTION_CHOICE, "genius", "genius|negmas", 0, 0,
     "whose protocol rules and strategy definitions to follow (set by the presets)"},
    {"steps", PARLEY_OPTION_INTEGER, "20", NULL, 1, 100000, "the deadline: steps (rounds) before the parties walk away"},
    {"strategies", PARLEY_OPTION_CHOICES, "", "boulware|linear|conceder|aspiration", 0, 0,
     "each party's strategy, in actor order (one name for all); default: the scenario's, else boulware"},
    {"utility", PARLEY_OPTION_CHOICE, "linear", "linear|quadratic",
     0, 0, "how an actor's value of a scale issue falls with distance from its position"},
};

enum { OPT_SEMANTICS, OPT_STEPS, OPT_STRATEGIES, OPT_UTILITY };

static const parley_preset saop_presets[] = {
    {"genius", "semantics=genius", "GENIUS: agreement = an offer and n-1 accepts, t = round/(R+1), e = 0.2, 1, 2"},
    {"negmas", "semantics=negmas",
     "NegMAS: offering is accepting, t = (step+1)/(steps+1), worst outcome in the aspiration band 1 - t^x, x = 4, 1, 0.25"},
};

enum { ST_BOULWARE, ST_LINEAR, ST_CONCEDER, ST_ASPIRATION, ST_COUNT };
static const char *const strategy_names[ST_COUNT] = {"boulware", "linear", "conceder", "aspiration"};

/* One party: its utilities of every outcome and what its strategy needs. */
typedef struct party {
    size_t actor;
    int strategy;
    double *u;          /* utility of each outcome */
    double umin, umax;  /* Pmin (worst or reservation, whichever is larger) and Pmax */
    double reservation;
    size_t *order;      /* rational outcomes, sorted by utility (ascending; NegMAS's order) */
    double *sorted_u;   /* their utilities (order and sorted_u are made only when ties need them) */
    size_t n_rational;
    size_t n;           /* outcomes */
    size_t nb;          /* buckets of the rational outcomes by utility: bucket b holds bi[bstart[b]..bstart[b+1]) */
    uint32_t *bstart, *bi; /* outcomes are fewer than 2^32 (PR_MAX_OUTCOMES) */
    double lowest, span, scale;
} party;

/* The index of the most significant bit of n (n >= 1). */
static int msb(size_t n)
{
    int d = 0;
    while (n >>= 1) d++;
    return d;
}

/* An outcome and its utility, side by side so that the sort reads memory in order. */
typedef struct keyed {
    double key;
    size_t idx;
} keyed;

/* Sorts v[0..n) by key ascending exactly as numpy 1.24's default argsort does (introsort: median-of-three
 * quicksort, insertion sort below 16 elements, heapsort past the depth limit), so that outcomes of equal
 * utility come out in the order NegMAS sees them. Only keys are compared, so the permutation is the one
 * numpy's argsort gives. */
static void np_argsort(keyed *v, size_t n)
{
#define SWAP(a, b) do { keyed t_ = v[a]; v[a] = v[b]; v[b] = t_; } while (0)
    if (n < 2) return;
    size_t stack[256];
    int depth[128];
    size_t sp = 0, dp = 0;
    size_t pl = 0, pr = n - 1;
    int cdepth = msb(n) * 2;
    for (;;) {
        if (cdepth < 0) {
            /* Heapsort of [pl, pr]: numpy's fallback; never reached on outcome spaces in practice. */
            size_t m = pr - pl + 1;
            keyed *a = v + pl;
            for (size_t l = m / 2; l-- > 0;) {
                size_t i = l;
                for (;;) {
                    size_t c = 2 * i + 1;
                    if (c >= m) break;
                    if (c + 1 < m && a[c].key < a[c + 1].key) c++;
                    if (!(a[i].key < a[c].key)) break;
                    keyed t = a[i]; a[i] = a[c]; a[c] = t;
                    i = c;
                }
            }
            for (size_t e = m; e-- > 1;) {
                keyed t = a[0]; a[0] = a[e]; a[e] = t;
                size_t i = 0;
                for (;;) {
                    size_t c = 2 * i + 1;
                    if (c >= e) break;
                    if (c + 1 < e && a[c].key < a[c + 1].key) c++;
                    if (!(a[i].key < a[c].key)) break;
                    t = a[i]; a[i] = a[c]; a[c] = t;
                    i = c;
                }
            }
            goto pop;
        }
        while (pr - pl > 15) {
            size_t pm = pl + ((pr - pl) >> 1);
            if (v[pm].key < v[pl].key) SWAP(pm, pl);
            if (v[pr].key < v[pm].key) SWAP(pr, pm);
            if (v[pm].key < v[pl].key) SWAP(pm, pl);
            double vp = v[pm].key;
            size_t pi = pl, pj = pr - 1;
            SWAP(pm, pj);
            for (;;) {
                do pi++; while (v[pi].key < vp);
                do pj--; while (vp < v[pj].key);
                if (pi >= pj) break;
                SWAP(pi, pj);
            }
            size_t pk = pr - 1;
            SWAP(pi, pk);
            /* The larger part waits on the stack. */
            if (pi - pl < pr - pi) {
                stack[sp++] = pi + 1, stack[sp++] = pr;
                pr = pi - 1;
            } else {
                stack[sp++] = pl, stack[sp++] = pi - 1;
                pl = pi + 1;
            }
            depth[dp++] = --cdepth;
        }
        for (size_t pi = pl + 1; pi <= pr; pi++) {
            keyed x = v[pi];
            size_t pj = pi;
            while (pj > pl && x.key < v[pj - 1].key) {
                v[pj] = v[pj - 1];
                pj--;
            }
            v[pj] = x;
        }
    pop:
        if (sp == 0) break;
        pr = stack[--sp];
        pl = stack[--sp];
        cdepth = depth[--dp];
    }
#undef SWAP
}

/* NegMAS: the band [lo, hi] of utilities party p proposes in and accepts at time t. */
static void negmas_band(const party *p, double t, double *lo, double *hi)
{
    static const double x[ST_COUNT] = {4.0, 1.0, 0.25, 4.0};
    double eps = p->strategy == ST_ASPIRATION ? 0.001 : 0.0001;
    double a = 1.0 - pow(t, x[p->strategy]);
    double l = (p->umax - p->umin) * a + p->umin - eps, h = (p->umax - p->umin) * 1.0 + p->umin + eps;
    *lo = fmax(p->umin, fmin(p->umax, l));
    *hi = fmax(p->umin, fmin(p->umax, h));
}

/* Sorts p's rational outcomes by utility in NegMAS's order (once; only needed to break ties). Returns false
 * when out of memory. */
static bool presort(party *p)
{
    if (p->order) return true;
    keyed *keys = malloc((p->n ? p->n : 1) * sizeof *keys);
    p->order = malloc((p->n ? p->n : 1) * sizeof *p->order);
    p->sorted_u = malloc((p->n ? p->n : 1) * sizeof *p->sorted_u);
    if (!keys || !p->order || !p->sorted_u) {
        free(keys), free(p->order), free(p->sorted_u);
        p->order = NULL, p->sorted_u = NULL;
        return false;
    }
    size_t m = 0;
    for (size_t oc = 0; oc < p->n; oc++)
        if (p->u[oc] >= p->reservation) keys[m++] = (keyed){p->u[oc], oc};
    np_argsort(keys, m);
    for (size_t j = 0; j < m; j++) p->order[j] = keys[j].idx, p->sorted_u[j] = keys[j].key;
    p->n_rational = m;
    free(keys);
    return true;
}

/* The bucket of utility u: buckets split [worst, best] evenly, and a larger utility never falls in an
 * earlier bucket (the arithmetic is monotonic), so a search may stop at the first bucket that answers. */
static size_t bucket_of(const party *p, double u)
{
    double f = (u - p->lowest) * p->scale;
    return f <= 0 ? 0 : f >= (double)p->nb ? p->nb - 1 : (size_t)f;
}

/* Groups p's rational outcomes by bucket, each bucket in enumeration order (a counting sort: O(n)).
 * Returns false when out of memory. */
static bool index_party(party *p, double worst)
{
    p->nb = p->n / 8 + 1;
    p->lowest = worst, p->span = p->umax - worst;
    p->scale = p->span > 0 ? (double)p->nb / p->span : 0;
    p->bstart = calloc(p->nb + 1, sizeof *p->bstart);
    p->bi = malloc((p->n ? p->n : 1) * sizeof *p->bi);
    if (!p->bstart || !p->bi) return false;
    for (size_t oc = 0; oc < p->n; oc++)
        if (p->u[oc] >= p->reservation) p->bstart[bucket_of(p, p->u[oc]) + 1]++;
    for (size_t b = 0; b < p->nb; b++) p->bstart[b + 1] += p->bstart[b];
    uint32_t *at = malloc((p->nb ? p->nb : 1) * sizeof *at);
    if (!at) return false;
    memcpy(at, p->bstart, p->nb * sizeof *at);
    for (size_t oc = 0; oc < p->n; oc++) {
        double u = p->u[oc];
        if (u < p->reservation) continue;
        p->bi[at[bucket_of(p, u)]++] = (uint32_t)oc;
    }
    free(at);
    return true;
}

/* The first enumerated rational outcome of the smallest utility >= lo, or SIZE_MAX; *ties counts the
 * outcomes of that utility. */
static size_t least_at_or_above(const party *p, double lo, size_t *ties)
{
    *ties = 0;
    for (size_t b = bucket_of(p, lo); b < p->nb; b++) {
        double best = INFINITY;
        size_t at = SIZE_MAX, n = 0;
        for (size_t j = p->bstart[b]; j < p->bstart[b + 1]; j++) {
            double u = p->u[p->bi[j]];
            if (u < lo || u > best) continue;
            if (u < best) best = u, at = p->bi[j], n = 1;
            else n++;
        }
        if (at != SIZE_MAX) {
            *ties = n;
            return at;
        }
    }
    return SIZE_MAX;
}

/* The first enumerated rational outcome of the largest utility < hi, or SIZE_MAX. */
static size_t greatest_below(const party *p, double hi)
{
    for (size_t b = bucket_of(p, hi) + 1; b-- > 0;) {
        double best = -INFINITY;
        size_t at = SIZE_MAX;
        for (size_t j = p->bstart[b]; j < p->bstart[b + 1]; j++) {
            double u = p->u[p->bi[j]];
            if (u >= hi || u <= best) continue;
            best = u, at = p->bi[j];
        }
        if (at != SIZE_MAX) return at;
    }
    return SIZE_MAX;
}

/* NegMAS: the worst rational outcome inside p's band at t, or SIZE_MAX when there is none (*nomem set when
 * the tie-break's sort could not be made). An index of buckets finds it; only when several outcomes share
 * that utility does NegMAS's sorted order decide, and the sort is made then (once). */
static size_t negmas_propose(party *p, double t, bool *nomem)
{
    double lo, hi;
    negmas_band(p, t, &lo, &hi);
    size_t ties, at = least_at_or_above(p, lo, &ties);
    if (at == SIZE_MAX || p->u[at] > hi) return SIZE_MAX;
    if (ties == 1) return at;
    if (!presort(p)) {
        *nomem = true;
        return SIZE_MAX;
    }
    size_t a = 0, b = p->n_rational;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (p->sorted_u[m] < lo) a = m + 1;
        else b = m;
    }
    return a < p->n_rational && p->sorted_u[a] <= hi ? p->order[a] : SIZE_MAX;
}

/* GENIUS: p's target utility at t. */
static double genius_target(const party *p, double t)
{
    static const double e[ST_COUNT] = {0.2, 1.0, 2.0, 0.25};
    return p->umin + (p->umax - p->umin) * (1.0 - pow(t, 1.0 / e[p->strategy]));
}

/* GENIUS: the rational outcome whose utility is nearest p's target at t (ties: the better for p, then the
 * first enumerated), or SIZE_MAX when p has no rational outcome. */
static size_t genius_propose(const party *p, double t)
{
    double target = genius_target(p, t);
    size_t ties, up = least_at_or_above(p, target, &ties), down = greatest_below(p, target);
    if (up == SIZE_MAX) return down;
    if (down == SIZE_MAX) return up;
    return target - p->u[down] < p->u[up] - target ? down : up;
}

typedef struct trace {
    pm_event *ev;
    size_t n, cap;
    double *store; /* offers and utilities, (issues + actors) per event */
    size_t n_issues, n_actors;
} trace;

/* Appends an event on outcome o (SIZE_MAX = none). Returns false when out of memory. */
static bool add_event(trace *tr, const space *sp, const party *ps, size_t np, int step, size_t actor, parley_action act,
                      size_t o)
{
    if (tr->n == tr->cap) {
        size_t cap = tr->cap ? 2 * tr->cap : 64;
        pm_event *ev = realloc(tr->ev, cap * sizeof *ev);
        if (!ev) return false;
        tr->ev = ev;
        double *st = realloc(tr->store, cap * (tr->n_issues + tr->n_actors) * sizeof *st);
        if (!st) return false;
        tr->store = st;
        tr->cap = cap;
    }
    tr->ev[tr->n] = (pm_event){step, actor, act, NULL, NULL};
    if (o != SIZE_MAX) {
        double *x = tr->store + tr->n * (tr->n_issues + tr->n_actors), *u = x + tr->n_issues;
        pr_decode(sp, o, x, tr->n_issues);
        for (size_t a = 0; a < tr->n_actors; a++) u[a] = NAN;
        for (size_t i = 0; i < np; i++) u[ps[i].actor] = ps[i].u[o];
    }
    tr->n++;
    return true;
}

/* Points every event at its stored offer (the store moves while it grows). */
static void fix_events(trace *tr, const size_t *outcome_of)
{
    for (size_t j = 0; j < tr->n; j++) {
        if (outcome_of[j] == SIZE_MAX) continue;
        double *x = tr->store + j * (tr->n_issues + tr->n_actors);
        tr->ev[j].offer = x;
        tr->ev[j].utilities = x + tr->n_issues;
    }
}

/* Resolves each party's strategy: the option's list (one name for all, or one per party), else the
 * scenario's, else boulware. Returns false with err filled on a bad list or name. */
static bool resolve_strategies(const parley_scenario *s, const pm_options *o, party *ps, size_t np, parley_error *err)
{
    int idx[64];
    size_t n = pm_choices(&saop_options[OPT_STRATEGIES], o->v[OPT_STRATEGIES], idx, 64);
    if (n > 1 && n != np) {
        PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "--model",
             "saop option strategies: %zu names for %zu parties; give one name for all or one per party, in actor order",
             n, np);
        return false;
    }
    for (size_t i = 0; i < np; i++) {
        ps[i].strategy = ST_BOULWARE;
        if (n) {
            ps[i].strategy = idx[n == 1 ? 0 : i];
            continue;
        }
        const char *name = parley_actor_strategy(s, ps[i].actor);
        if (!name) continue;
        int k = 0;
        while (k < ST_COUNT && strcmp(strategy_names[k], name)) k++;
        if (k == ST_COUNT) {
            PERR(err, PARLEY_E_MODEL, NULL, 0, 0, "strategy",
                 "saop: actor %s has strategy \"%s\", which saop does not play; expected boulware, linear, conceder or aspiration",
                 parley_actor_id(s, ps[i].actor), name);
            return false;
        }
        ps[i].strategy = k;
    }
    return true;
}

typedef struct negotiation {
    size_t agreement; /* outcome, or SIZE_MAX */
    int steps;
    bool broken;
} negotiation;

/* Runs NegMAS's SAOMechanism step loop. */
static bool run_negmas(const space *sp, party *ps, size_t np, int n_steps, trace *tr, size_t **of, negotiation *res)
{
    size_t cur = SIZE_MAX, by = SIZE_MAX, acc = 0, last = np - 1, cap = 0;
    *res = (negotiation){SIZE_MAX, n_steps, false};
#define EVENT(step, i, act, o)                                                                                     \
    do {                                                                                                       \
        if (tr->n == cap) {                                                                                    \
            size_t c_ = cap ? 2 * cap : 64;                                                                    \
            size_t *n_ = realloc(*of, c_ * sizeof *n_);                                                        \
            if (!n_) return false;                                                                             \
            *of = n_, cap = c_;                                                                                \
        }                                                                                                      \
        (*of)[tr->n] = (o);                                                                                    \
        if (!add_event(tr, sp, ps, np, step, ps[i].actor, act, o)) return false;                                \
    } while (0)
    for (int step = 0; step < n_steps; step++) {
        double t = (double)(step + 1) / (double)(n_steps + 1);
        for (size_t j = 0; j < np; j++) {
            size_t i = (last + 1) % np;
            last = i;
            /* Offering counts as accepting: the offerer's standing accept lapses when its turn comes again. */
            if (i == by) acc = 0;
            if (cur != SIZE_MAX) {
                double lo, hi, u = ps[i].u[cur];
                negmas_band(&ps[i], t, &lo, &hi);
                if (lo <= u && u <= hi) {
                    EVENT(step, i, PARLEY_ACTION_ACCEPT, cur);
                    if (++acc == np) {
                        res->agreement = cur, res->steps = step + 1;
                        return true;
                    }
                    continue;
                }
            }
            bool nomem = false;
            size_t o = negmas_propose(&ps[i], t, &nomem);
            if (nomem) return false;
            if (o == SIZE_MAX) {
                /* No counter-offer with a rejection ends the negotiation (end_on_no_response). */
                EVENT(step, i, PARLEY_ACTION_END, SIZE_MAX);
                res->broken = true, res->steps = step + 1;
                return true;
            }
            EVENT(step, i, PARLEY_ACTION_OFFER, o);
            cur = o, by = i, acc = 1;
        }
    }
    return true;
}

/* Runs GENIUS's stacked alternating offers protocol with time-dependent parties. */
static bool run_genius(const space *sp, party *ps, size_t np, int rounds, trace *tr, size_t **of, negotiation *res)
{
    size_t cur = SIZE_MAX, acc = 0, cap = 0;
    *res = (negotiation){SIZE_MAX, rounds, false};
    for (int round = 1; round <= rounds; round++) {
        double t = (double)round / (double)(rounds + 1);
        for (size_t i = 0; i < np; i++) {
            size_t mine = genius_propose(&ps[i], t);
            if (mine == SIZE_MAX) {
                EVENT(round - 1, i, PARLEY_ACTION_END, SIZE_MAX);
                res->broken = true, res->steps = round;
                return true;
            }
            if (cur != SIZE_MAX && ps[i].u[cur] >= ps[i].u[mine]) {
                EVENT(round - 1, i, PARLEY_ACTION_ACCEPT, cur);
                if (++acc == np - 1) {
                    res->agreement = cur, res->steps = round;
                    return true;
                }
                continue;
            }
            EVENT(round - 1, i, PARLEY_ACTION_OFFER, mine);
            cur = mine, acc = 0;
        }
    }
    return true;
#undef EVENT
}

static parley_status saop_group(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                parley_error *err, const size_t *iss, size_t k)
{
    (void)rng;
    size_t ni = parley_scenario_issue_count(s), na = parley_scenario_actor_count(s);
    parley_utility_shape shape = o->v[OPT_UTILITY] == 1 ? PARLEY_UTILITY_QUADRATIC : PARLEY_UTILITY_LINEAR;
    bool negmas = o->v[OPT_SEMANTICS] == 1;
    int n_steps = (int)o->v[OPT_STEPS];
    parley_status st = PARLEY_E_NOMEM;
    space sp = {0};
    party *ps = calloc(na ? na : 1, sizeof *ps);
    size_t *actors = malloc((na ? na : 1) * sizeof *actors);
    double *x = malloc((ni ? ni : 1) * sizeof *x), *util = malloc((na ? na : 1) * sizeof *util);
    size_t *of = NULL, np = 0;
    trace tr = {.n_issues = ni, .n_actors = na};
    if (!ps || !actors || !x || !util) goto done;
    if ((st = pr_space_init(&sp, s, iss, k, "saop", err))) goto done;
    st = PARLEY_E_NOMEM;
    np = pr_parties(s, iss, k, actors);
    for (size_t i = 0; i < np; i++) ps[i].actor = actors[i];
    if (np < 2) {
        for (size_t q = 0; q < k; q++)
            if ((st = pm_forecast(out, iss[q], NAN, "fewer than two parties take part: there is nobody to negotiate with")))
                goto done;
        st = PARLEY_OK;
        goto done;
    }
    if (!resolve_strategies(s, o, ps, np, err)) {
        st = err ? parley_error_status(err) : PARLEY_E_USAGE;
        goto done;
    }
    for (size_t i = 0; i < np; i++) {
        party *p = &ps[i];
        p->n = sp.n;
        double worst, best;
        if (!(p->u = malloc(sp.n * sizeof *p->u)) || !pr_utilities(s, &sp, p->actor, shape, p->u, &worst, &best)) goto done;
        p->reservation = parley_reservation(s, p->actor, shape);
        p->umax = best;
        p->umin = fmax(worst, p->reservation);
        if (!index_party(p, worst)) goto done;
    }

    negotiation res;
    bool ok = negmas ? run_negmas(&sp, ps, np, n_steps, &tr, &of, &res) : run_genius(&sp, ps, np, n_steps, &tr, &of, &res);
    if (!ok) goto done;
    fix_events(&tr, of);

    /* The record, the rounds (each party's standing offer after each step) and the forecasts. */
    for (size_t a = 0; a < na; a++) util[a] = NAN;
    for (size_t i = 0; i < np; i++) util[ps[i].actor] = res.agreement != SIZE_MAX ? ps[i].u[res.agreement] : ps[i].reservation;
    double *agreed = NULL;
    if (res.agreement != SIZE_MAX) {
        pr_decode(&sp, res.agreement, x, ni);
        agreed = x;
    }
    if ((st = pm_negotiation(out, negmas ? "negmas" : "genius", agreed, util, res.steps, tr.ev, tr.n))) goto done;
    if (pm_details(out)) {
        double *pos = malloc((na ? na : 1) * sizeof *pos), *y = malloc((ni ? ni : 1) * sizeof *y);
        size_t *standing = malloc((na ? na : 1) * sizeof *standing);
        if (!pos || !y || !standing) {
            free(pos), free(y), free(standing);
            st = PARLEY_E_NOMEM;
            goto done;
        }
        for (size_t a = 0; a < na; a++) standing[a] = SIZE_MAX;
        size_t e = 0;
        for (int step = 0; step < res.steps && st == PARLEY_OK; step++) {
            for (; e < tr.n && tr.ev[e].step == step; e++)
                if (tr.ev[e].action == PARLEY_ACTION_OFFER) standing[tr.ev[e].actor] = of[e];
            for (size_t q = 0; q < k && st == PARLEY_OK; q++) {
                for (size_t a = 0; a < na; a++) {
                    pos[a] = NAN;
                    if (standing[a] == SIZE_MAX) continue;
                    pr_decode(&sp, standing[a], y, ni);
                    pos[a] = y[iss[q]];
                }
                double outcome = step + 1 == res.steps && agreed ? agreed[iss[q]] : NAN;
                st = pm_round_full(out, iss[q], step + 1, pos, NULL, NULL, outcome);
            }
        }
        free(pos), free(y), free(standing);
        if (st) goto done;
    }
    for (size_t q = 0; q < k; q++) {
        char note[160];
        double v;
        if (agreed) {
            v = agreed[iss[q]];
            snprintf(note, sizeof note, "agreement at step %d of %d", res.steps, n_steps);
        } else {
            v = parley_issue_number(s, iss[q], PARLEY_ISSUE_REFERENCE);
            if (isnan(v))
                snprintf(note, sizeof note, "no agreement: %s; the issue has no reference point to fall back on",
                         res.broken ? "a party walked away" : "the deadline passed");
            else
                snprintf(note, sizeof note, "no agreement: %s after %d steps; the reference point stands",
                         res.broken ? "a party walked away" : "the deadline passed", res.steps);
        }
        if ((st = pm_forecast(out, iss[q], v, note))) goto done;
    }
    st = PARLEY_OK;
done:
    pr_space_free(&sp);
    for (size_t i = 0; ps && i < np; i++)
        free(ps[i].u), free(ps[i].order), free(ps[i].sorted_u), free(ps[i].bstart), free(ps[i].bi);
    free(ps), free(actors), free(x), free(util), free(of), free(tr.ev), free(tr.store);
    return st;
}

static parley_status saop_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                              parley_error *err)
{
    return pm_for_each_group(s, o, rng, out, err, saop_group);
}

static bool saop_suits(const parley_scenario *s) { return parley_scenario_actor_count(s) >= 2; }

const struct parley_model pm_saop = {
    .name = "saop",
    .summary = "stacked alternating offers under a deadline (GENIUS or NegMAS semantics): a deal, or no deal",
    .options = saop_options,
    .n_options = sizeof saop_options / sizeof *saop_options,
    .presets = saop_presets,
    .n_presets = sizeof saop_presets / sizeof *saop_presets,
    .suits = saop_suits,
    .run = saop_run,
    .scope = PARLEY_SCOPE_GROUP,
    .records = PARLEY_RECORDS_ROUNDS,
    .handles_options = true,
    .named_only = true,
};
