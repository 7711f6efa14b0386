/* bdm.c - Bueno de Mesquita's expected-utility ("challenge") model, every published variant as an option.
 *
 * Specification: ../shared/specs/bdm.md (section numbers below refer to it); user documentation:
 * docs/models/bdm.md. Each issue runs on its own: a round computes the median, every actor's risk
 * exponent from how threatened it is, then for every ordered dyad both sides' expected utility of
 * challenging, the offer that follows, and finally every actor takes its best offer at once. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

enum {
    OPT_PROBABILITY, OPT_COMPROMISE, OPT_OFFER, OPT_CAPITULATION, OPT_PERSPECTIVE, OPT_Q, OPT_T, OPT_T_RULE,
    OPT_RANGE, OPT_DEGENERATE, OPT_MEDIAN_TIE, OPT_EPSILON, OPT_ROUNDS, OPT_STOP, OPT_STABLE_EPSILON,
    OPT_STABLE_ROUNDS, OPT_FORECAST, OPT_COUNT
};

enum { PROB_PAPER, PROB_SCHOLZ, PROB_NET, PROB_THIRD_PARTY };
enum { COMP_WEIGHTED, COMP_RATIO };
enum { OFFER_ENFORCE, OFFER_SCHOLZ, OFFER_PRIORITY, OFFER_LEAST_MOVE };
enum { TIE_LOWER, TIE_UPPER, TIE_MIDPOINT, TIE_FIRST };

static const parley_option_spec bdm_options[OPT_COUNT] = {
    [OPT_PROBABILITY] = {"probability", PARLEY_OPTION_CHOICE, "paper", "paper|scholz|net|third_party", 0, 0,
                         "probability that i prevails over j: paper (risk-neutral votes of all actors, P(i,j) + "
                         "P(j,i) = 1), scholz (votes with each voter's risk exponent over the sum of all votes on "
                         "all pairs), net (net vote, clipped at 0), third_party (votes of actors other than i and j)"},
    [OPT_COMPROMISE] = {"compromise", PARLEY_OPTION_CHOICE, "weighted", "weighted|ratio", 0, 0,
                        "compromise position: weighted (|a| x_i + |b| x_j) / (|a| + |b|), or ratio x_i + (x_j - x_i) "
                        "|a / b|"},
    [OPT_OFFER] = {"offer", PARLEY_OPTION_CHOICE, "enforce", "enforce|scholz|priority|least_move", 0, 0,
                   "which offer an actor takes: enforce (the proposer best able to enforce it, then the least "
                   "move), scholz (lost confrontations, else the lowest compromise), priority (confrontation > "
                   "compromise > capitulation, least move), least_move"},
    [OPT_CAPITULATION] = {"capitulation", PARLEY_OPTION_BOOLEAN, "true", NULL, 0, 0,
                          "whether an actor facing a much stronger challenger gives in fully (false reproduces "
                          "Scholz's code, where capitulation never happens)"},
    [OPT_PERSPECTIVE] = {"perspective", PARLEY_OPTION_CHOICE, "perceived", "perceived|own", 0, 0,
                         "whose risk exponent prices the challenger's expected utility: perceived (the "
                         "receiver's, BDM's perceptual model) or own (the challenger's)"},
    [OPT_Q] = {"q", PARLEY_OPTION_NUMBER, "1", NULL, 0, 1,
               "probability that the status quo persists when no one challenges"},
    [OPT_T] = {"t", PARLEY_OPTION_NUMBER, "1", NULL, 0, 1,
               "with t_rule=fixed: probability that, unchallenged, things move in i's favour"},
    [OPT_T_RULE] = {"t_rule", PARLEY_OPTION_CHOICE, "fixed", "fixed|median", 0, 0,
                    "T as the number t, or 1 when i is closer to the median than to j and 0 otherwise"},
    [OPT_RANGE] = {"range", PARLEY_OPTION_CHOICE, "initial", "initial|current", 0, 0,
                   "distances are divided by the range of the initial positions, or of the current ones"},
    [OPT_DEGENERATE] = {"degenerate_risk", PARLEY_OPTION_CHOICE, "one", "one|zero", 0, 0,
                        "risk exponent when every actor is equally threatened: 1 (risk-neutral) or 0"},
    [OPT_MEDIAN_TIE] = {"median_tie", PARLEY_OPTION_CHOICE, "lower", "lower|upper|midpoint|first", 0, 0,
                        "median when the weight splits exactly in half: lower, upper, midpoint, or first (pairwise "
                        "votes over the positions in actor order, as the Python replications do)"},
    [OPT_EPSILON] = {"epsilon", PARLEY_OPTION_NUMBER, "1e-9", NULL, 0, 0.1,
                     "positions closer than epsilon x range count as the same (0: exact equality)"},
    [OPT_ROUNDS] = {"rounds", PARLEY_OPTION_INTEGER, "50", NULL, 0, 100000,
                    "number of rounds (stop=fixed), or the most rounds to run (stop=stable)"},
    [OPT_STOP] = {"stop", PARLEY_OPTION_CHOICE, "stable", "stable|fixed", 0, 0,
                  "stable: stop once the median moves less than stable_epsilon x range for stable_rounds rounds, "
                  "no one moves, or the positions repeat (a cycle); fixed: run all rounds"},
    [OPT_STABLE_EPSILON] = {"stable_epsilon", PARLEY_OPTION_NUMBER, "0.001", NULL, 0, 1,
                            "median shift, as a share of the range, below which a round counts as stable"},
    [OPT_STABLE_ROUNDS] = {"stable_rounds", PARLEY_OPTION_INTEGER, "3", NULL, 1, 1000,
                           "stable rounds in a row that end the run"},
    [OPT_FORECAST] = {"forecast", PARLEY_OPTION_CHOICE, "median", "median|mean", 0, 0,
                      "the forecast: the weighted median after the last round, or the weighted mean"},
};

static const parley_preset bdm_presets[] = {
    {"paper",
     "probability=paper,compromise=weighted,offer=enforce,capitulation=true,perspective=perceived,q=1,t=1,"
     "t_rule=fixed,range=initial,degenerate_risk=one,median_tie=lower,epsilon=1e-9,rounds=50,stop=stable,"
     "stable_epsilon=0.001,stable_rounds=3,forecast=median",
     "the paper's equations with the defects fixed, deterministic ties, a stopping rule (the default)"},
    {"scholz2011",
     "probability=scholz,compromise=ratio,offer=scholz,capitulation=false,perspective=perceived,q=1,"
     "range=initial,degenerate_risk=one,median_tie=first,epsilon=0,rounds=10,stop=fixed",
     "reproduces the trajectories of Scholz, Calbert & Smith (2011) as the public Python replication computes them"},
};

/* ---- one issue's state ---- */

typedef struct sorted_pos {
    double x, w;
} sorted_pos;

typedef struct bdm {
    const pm_options *o;
    size_t m;               /* participants */
    size_t *actor;          /* scenario actor index of each participant */
    double *x, *s, *w, *r;  /* position, salience, weight (capability x salience), risk exponent */
    double *next;           /* positions after the round */
    double D, eps, mu;      /* range, "same position" tolerance, current median */
    /* paper/net/third_party probabilities: positions sorted with prefix sums of w and w x */
    sorted_pos *sorted;
    double *cw, *cwx;
    /* scholz probabilities */
    double *g;              /* g[a * m + k] = (|x_k - x_a| / D)^r_k */
    double *P;              /* P[i * m + j] */
    double *scratch;
    /* offers */
    double *offer, *proposer_eu, *move_key;
    int *offer_type;
    size_t *chosen;
    int *region;
    /* history, for cycle detection */
    double *history;
    size_t history_len;
} bdm;

enum { TYPE_NONE = 0, TYPE_CONFLICT, TYPE_COMPROMISE, TYPE_CAPITULATION };

static void bdm_free(bdm *b)
{
    free(b->actor), free(b->x), free(b->s), free(b->w), free(b->r), free(b->next);
    free(b->sorted), free(b->cw), free(b->cwx), free(b->g), free(b->P), free(b->scratch);
    free(b->offer), free(b->proposer_eu), free(b->move_key), free(b->offer_type), free(b->chosen), free(b->region);
    free(b->history);
}

static bool same(const bdm *b, double xa, double xb)
{
    return fabs(xa - xb) <= b->eps;
}

/* ---- the median (section 4) ---- */

static int cmp_sorted(const void *pa, const void *pb)
{
    const sorted_pos *a = pa, *c = pb;
    return (a->x > c->x) - (a->x < c->x);
}

/* Sorts positions with their weights and builds prefix sums. Cannot fail (arrays are preallocated). */
static void sort_positions(bdm *b)
{
    for (size_t k = 0; k < b->m; k++) b->sorted[k] = (sorted_pos){b->x[k], b->w[k]};
    qsort(b->sorted, b->m, sizeof *b->sorted, cmp_sorted);
    b->cw[0] = b->cwx[0] = 0;
    for (size_t k = 0; k < b->m; k++) {
        b->cw[k + 1] = b->cw[k] + b->sorted[k].w;
        b->cwx[k + 1] = b->cwx[k] + b->sorted[k].w * b->sorted[k].x;
    }
}

/* Returns the weighted median of the current positions under the median_tie rule; positions must be
 * sorted. With zero total weight every actor counts the same. */
static double median(const bdm *b)
{
    size_t m = b->m;
    double total = b->cw[m];
    bool equal = !(total > 0);
    if (b->o->v[OPT_MEDIAN_TIE] == TIE_FIRST) {
        /* The Condorcet winner by pairwise risk-neutral votes, candidates in actor order: the first
         * position that no later candidate strictly beats in turn. */
        double champ = b->x[0];
        for (size_t c = 1; c < m; c++) {
            double cand = b->x[c];
            if (cand == champ) continue;
            double votes = 0;
            for (size_t k = 0; k < m; k++)
                votes += (equal ? 1 : b->w[k]) * (fabs(b->x[k] - champ) - fabs(b->x[k] - cand));
            if (votes > 0) champ = cand;
        }
        return champ;
    }
    double half = (equal ? (double)m : total) / 2, tol = 1e-12 * (equal ? (double)m : total), cum = 0;
    for (size_t k = 0; k < m; k++) {
        cum += equal ? 1 : b->sorted[k].w;
        if (cum < half - tol) continue;
        double lower = b->sorted[k].x;
        if (cum > half + tol || b->o->v[OPT_MEDIAN_TIE] == TIE_LOWER) return lower;
        size_t j = k + 1;
        while (j < m && (!equal && b->sorted[j].w <= 0)) j++;
        if (j == m) return lower;
        return b->o->v[OPT_MEDIAN_TIE] == TIE_UPPER ? b->sorted[j].x : (lower + b->sorted[j].x) / 2;
    }
    return b->sorted[m - 1].x;
}

static double mean(const bdm *b)
{
    double sw = 0, sx = 0;
    for (size_t k = 0; k < b->m; k++) sw += b->w[k], sx += b->w[k] * b->x[k];
    if (sw > 0) return sx / sw;
    sx = 0;
    for (size_t k = 0; k < b->m; k++) sx += b->x[k];
    return sx / (double)b->m;
}

/* ---- probability of success (section 2) ---- */

/* Returns the number of sorted positions below v (strictly, or at most v when inclusive). */
static size_t count_below(const bdm *b, double v, bool inclusive)
{
    size_t lo = 0, hi = b->m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->sorted[mid].x < v || (inclusive && b->sorted[mid].x == v)) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Risk-neutral votes in the contest x_i versus x_j: sets *for_i and *for_j to the total vote of the actors
 * preferring each (each vote w_k ||x_k - x_j| - |x_k - x_i||, without the constant 2/D), using the sorted
 * positions: O(log n). */
static void neutral_votes(const bdm *b, double xi, double xj, double *for_i, double *for_j)
{
    double lo = fmin(xi, xj), hi = fmax(xi, xj), L = hi - lo, mid = (lo + hi) / 2;
    size_t a = count_below(b, lo, true);   /* actors at or below lo */
    size_t c = count_below(b, mid, false); /* actors below the midpoint */
    size_t d = count_below(b, hi, false);  /* actors below hi */
    if (c < a) c = a;
    if (c > d) c = d;
    double w_left = b->cw[a], w_right = b->cw[b->m] - b->cw[d];
    /* Between lo and the midpoint an actor prefers lo by (lo + hi - 2 x_k); beyond it, hi by the opposite. */
    double lower_mid = (lo + hi) * (b->cw[c] - b->cw[a]) - 2 * (b->cwx[c] - b->cwx[a]);
    double upper_mid = 2 * (b->cwx[d] - b->cwx[c]) - (lo + hi) * (b->cw[d] - b->cw[c]);
    double for_lo = L * w_left + fmax(0, lower_mid), for_hi = L * w_right + fmax(0, upper_mid);
    *for_i = xi <= xj ? for_lo : for_hi;
    *for_j = xi <= xj ? for_hi : for_lo;
}

/* Returns P(i, j): the probability that i prevails over j. */
static double probability(const bdm *b, size_t i, size_t j)
{
    if (same(b, b->x[i], b->x[j])) return 0;
    int form = (int)b->o->v[OPT_PROBABILITY];
    if (form == PROB_SCHOLZ) return b->P[i * b->m + j];
    double fi, fj;
    neutral_votes(b, b->x[i], b->x[j], &fi, &fj);
    if (form == PROB_THIRD_PARTY) {
        double L = fabs(b->x[i] - b->x[j]);
        fi = fmax(0, fi - b->w[i] * L);
        fj = fmax(0, fj - b->w[j] * L);
    }
    double total = fi + fj;
    if (!(total > 0)) return 0.5; /* nobody takes sides */
    return form == PROB_NET ? fmax(fi - fj, 0) / total : fi / total;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, c = *(const double *)pb;
    return (a > c) - (a < c);
}

/* Fills the Scholz-form probability matrix: P(i,j) = sum_k max(0, w_k (g_k(j) - g_k(i))) / S with
 * g_k(a) = (|x_k - x_a| / D)^r_k and S the sum of |w_k (g_k(a) - g_k(b))| over every voter k and every
 * ordered pair (a, b) of actors. S takes O(n^2 log n) by sorting each voter's g; the numerators O(n^3). */
static void scholz_probabilities(bdm *b)
{
    size_t m = b->m;
    for (size_t a = 0; a < m; a++)
        for (size_t k = 0; k < m; k++) {
            double d = fabs(b->x[k] - b->x[a]) / b->D;
            b->g[a * m + k] = b->r[k] == 1 ? d : pow(d, b->r[k]);
        }
    double S = 0;
    for (size_t k = 0; k < m; k++) {
        double *v = b->scratch;
        for (size_t a = 0; a < m; a++) v[a] = b->g[a * m + k];
        /* The sum over ordered pairs of |v_a - v_b| is 2 sum_p v_(p) (2p - m + 1) over v sorted ascending. */
        qsort(v, m, sizeof *v, cmp_double);
        double sum = 0;
        for (size_t p = 0; p < m; p++) sum += v[p] * (2 * (double)p - (double)m + 1);
        S += b->w[k] * 2 * sum;
    }
    for (size_t i = 0; i < m; i++) {
        const double *gi = &b->g[i * m];
        for (size_t j = 0; j < m; j++) {
            const double *gj = &b->g[j * m];
            double num = 0;
            for (size_t k = 0; k < m; k++) {
                double v = b->w[k] * (gj[k] - gi[k]);
                if (v > 0) num += v;
            }
            b->P[i * m + j] = S > 0 ? num / S : 0;
        }
    }
}

static void prepare_probabilities(bdm *b)
{
    if (b->o->v[OPT_PROBABILITY] == PROB_SCHOLZ) scholz_probabilities(b);
}

/* ---- expected utility (sections 1 and 3) ---- */

static double utility(double v, double rho)
{
    v = fmax(v, 0);
    return 2 - 4 * (rho == 1 ? v : pow(v, rho));
}

/* Returns E_i(i -> j), i's expected utility of challenging j, priced with risk exponent rho. */
static double expected_utility(const bdm *b, size_t i, size_t j, double rho)
{
    double d = fabs(b->x[i] - b->x[j]) / b->D;
    double p = probability(b, i, j);
    double us = utility(0.5 - 0.5 * d, rho), uf = utility(0.5 + 0.5 * d, rho);
    double q = b->o->v[OPT_Q];
    double e = b->s[j] * (p * us + (1 - p) * uf) + (1 - b->s[j]) * us - q * utility(0.5, rho);
    if (q < 1) {
        double dm = fabs(b->x[i] - b->mu) / b->D;
        double t = b->o->v[OPT_T_RULE] == 1 ? (fabs(b->x[i] - b->mu) < fabs(b->x[i] - b->x[j]) ? 1 : 0)
                                            : b->o->v[OPT_T];
        double ub = utility(0.5 - 0.25 * (dm + d), rho), uw = utility(0.5 + 0.25 * (dm + d), rho);
        e -= (1 - q) * (t * ub + (1 - t) * uw);
    }
    return e;
}

/* ---- risk exponents (section 5) ---- */

static void risk_exponents(bdm *b)
{
    size_t m = b->m;
    for (size_t i = 0; i < m; i++) b->r[i] = 1;
    prepare_probabilities(b);
    double *sec = b->scratch, lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < m; i++) {
        double sum = 0;
        for (size_t j = 0; j < m; j++)
            if (j != i) sum += expected_utility(b, j, i, 1);
        sec[i] = sum;
        lo = fmin(lo, sum);
        hi = fmax(hi, sum);
    }
    double spread = hi - lo;
    for (size_t i = 0; i < m; i++) {
        if (!(spread > 1e-12 * fmax(1, fmax(fabs(hi), fabs(lo))))) {
            /* Everyone equally threatened: no actor is more or less risk-taking than another. */
            b->r[i] = b->o->v[OPT_DEGENERATE] == 0 ? 1 : 0;
            continue;
        }
        double R = (2 * sec[i] - hi - lo) / spread;
        b->r[i] = (1 - R / 3) / (1 + R / 3);
    }
}

/* ---- offers (section 6) ---- */

/* Classifies the dyad in which j presses i, from i's point of view: sets *offer (NaN when i would not
 * move), *type, and the two expected utilities a = E_i(i -> j) and e = E_j(j -> i). Returns the region. */
static parley_region classify(const bdm *b, size_t i, size_t j, double *offer, int *type, double *a_eu, double *b_eu)
{
    double rho_i = b->r[i];
    double rho_j = b->o->v[OPT_PERSPECTIVE] == 0 ? rho_i : b->r[j];
    double a = expected_utility(b, i, j, rho_i), e = expected_utility(b, j, i, rho_j);
    *offer = NAN;
    *type = TYPE_NONE;
    *a_eu = a;
    *b_eu = e;
    if (a > 0 && e > 0) {
        if (e > a) *offer = b->x[j], *type = TYPE_CONFLICT;
        return PARLEY_REGION_CONFLICT;
    }
    if (a < 0 && e > 0) {
        if (e > fabs(a)) {
            *type = TYPE_COMPROMISE;
            *offer = b->o->v[OPT_COMPROMISE] == COMP_RATIO ? b->x[i] + (b->x[j] - b->x[i]) * fabs(a / e)
                                                          : (fabs(a) * b->x[i] + e * b->x[j]) / (fabs(a) + e);
            return PARLEY_REGION_COMPROMISE;
        }
        if (e < fabs(a) && b->o->v[OPT_CAPITULATION] != 0) *offer = b->x[j], *type = TYPE_CAPITULATION;
        return PARLEY_REGION_CAPITULATION;
    }
    if (a > 0) return PARLEY_REGION_UPPER_HAND;
    return PARLEY_REGION_STALEMATE;
}

/* Returns true when candidate (type t, key k, proposer EU e, move mv) beats the best so far. Earlier
 * candidates win ties, so the choice is deterministic. */
static bool better(int rule, int t, double k, double e, double mv, int bt, double bk, double be, double bmv)
{
    if (bt == TYPE_NONE) return true;
    switch (rule) {
    case OFFER_SCHOLZ:
    case OFFER_PRIORITY: {
        /* Conflict losses first, then compromises, then capitulations. */
        static const int rank[] = {9, 0, 1, 2};
        if (rank[t] != rank[bt]) return rank[t] < rank[bt];
        if (rule == OFFER_SCHOLZ && t == TYPE_COMPROMISE) return k < bk;
        return mv < bmv;
    }
    case OFFER_LEAST_MOVE: return mv < bmv;
    default:
        if (e != be) return e > be;
        return mv < bmv;
    }
}

/* Plays one round's offers: every actor picks its best offer, then all move at once. Records the pressure
 * map when asked. Returns the number of actors that moved, or SIZE_MAX when out of memory. */
static size_t offers_round(bdm *b, const parley_scenario *s, size_t issue, int round, pm_out *out)
{
    size_t m = b->m, moved = 0;
    int rule = (int)b->o->v[OPT_OFFER];
    prepare_probabilities(b);
    bool details = pm_details(out);
    for (size_t i = 0; i < m; i++) {
        int best_t = TYPE_NONE;
        double best_k = 0, best_e = 0, best_mv = 0, best_offer = b->x[i];
        size_t best_j = SIZE_MAX;
        for (size_t j = 0; j < m; j++) {
            b->region[j] = -1;
            if (j == i || same(b, b->x[i], b->x[j])) continue;
            double offer, a, e;
            int t;
            b->region[j] = (int)classify(b, i, j, &offer, &t, &a, &e);
            b->offer[j] = offer;
            if (t == TYPE_NONE) continue;
            double mv = fabs(b->x[i] - offer);
            /* Scholz's code ranks compromises by the weighted-form position, whichever formula moved. */
            double key = 0;
            if (t == TYPE_COMPROMISE) key = (fabs(a) * b->x[i] + fabs(e) * b->x[j]) / (fabs(a) + fabs(e));
            if (better(rule, t, key, e, mv, best_t, best_k, best_e, best_mv)) {
                best_t = t, best_k = key, best_e = e, best_mv = mv, best_offer = offer, best_j = j;
            }
        }
        b->next[i] = best_offer;
        if (best_j != SIZE_MAX && best_offer != b->x[i]) moved++;
        if (details) {
            for (size_t j = 0; j < m; j++) {
                if (b->region[j] < 0) continue;
                if (pm_challenge(out, issue, round, b->actor[j], b->actor[i], (parley_region)b->region[j], b->offer[j],
                                 j == best_j) != PARLEY_OK)
                    return SIZE_MAX;
            }
        }
    }
    (void)s;
    memcpy(b->x, b->next, m * sizeof *b->x);
    return moved;
}

/* ---- the round loop (section 7) ---- */

static parley_status record(bdm *b, const parley_scenario *s, size_t issue, int round, pm_out *out, bool with_risk)
{
    if (!pm_details(out)) return PARLEY_OK;
    size_t n = parley_scenario_actor_count(s);
    double *pos = malloc(n * sizeof *pos), *risk = with_risk ? malloc(n * sizeof *risk) : NULL;
    if (!pos || (with_risk && !risk)) {
        free(pos), free(risk);
        return PARLEY_E_NOMEM;
    }
    for (size_t a = 0; a < n; a++) pos[a] = NAN;
    if (risk)
        for (size_t a = 0; a < n; a++) risk[a] = NAN;
    for (size_t k = 0; k < b->m; k++) {
        pos[b->actor[k]] = b->x[k];
        if (risk) risk[b->actor[k]] = b->r[k];
    }
    parley_status st = pm_round(out, issue, round, pos, risk);
    free(pos), free(risk);
    return st;
}

/* Returns the earlier round whose positions equal the current ones, or -1. */
static int repeated_round(const bdm *b)
{
    for (size_t t = 0; t + 1 < b->history_len; t++) {
        const double *h = &b->history[t * b->m];
        size_t k = 0;
        while (k < b->m && same(b, h[k], b->x[k])) k++;
        if (k == b->m) return (int)t;
    }
    return -1;
}

static bool alloc_state(bdm *b, size_t n_actors, size_t rounds)
{
    size_t m = n_actors;
    b->actor = malloc(m * sizeof *b->actor);
    b->x = malloc(m * sizeof *b->x), b->s = malloc(m * sizeof *b->s), b->w = malloc(m * sizeof *b->w);
    b->r = malloc(m * sizeof *b->r), b->next = malloc(m * sizeof *b->next);
    b->sorted = malloc(m * sizeof *b->sorted);
    b->cw = malloc((m + 1) * sizeof *b->cw), b->cwx = malloc((m + 1) * sizeof *b->cwx);
    b->scratch = malloc(m * sizeof *b->scratch);
    b->offer = malloc(m * sizeof *b->offer), b->proposer_eu = malloc(m * sizeof *b->proposer_eu);
    b->move_key = malloc(m * sizeof *b->move_key), b->offer_type = malloc(m * sizeof *b->offer_type);
    b->chosen = malloc(m * sizeof *b->chosen), b->region = malloc(m * sizeof *b->region);
    b->history = malloc(m * (rounds + 1) * sizeof *b->history);
    return b->actor && b->x && b->s && b->w && b->r && b->next && b->sorted && b->cw && b->cwx && b->scratch &&
           b->offer && b->proposer_eu && b->move_key && b->offer_type && b->chosen && b->region && b->history;
}

static parley_status bdm_issue(const parley_scenario *s, size_t issue, const pm_options *o, parley_rng *rng,
                               pm_out *out, parley_error *err)
{
    (void)rng, (void)err;
    size_t n = parley_scenario_actor_count(s);
    size_t rounds = (size_t)o->v[OPT_ROUNDS];
    bdm b = {.o = o};
    parley_status st = PARLEY_OK;
    char note[256] = "";
    if (!alloc_state(&b, n ? n : 1, rounds)) {
        st = PARLEY_E_NOMEM;
        goto done;
    }
    for (size_t a = 0; a < n; a++) {
        double pos, sal, cap;
        if (!parley_stance(s, a, issue, &pos, &sal, &cap)) continue;
        b.actor[b.m] = a, b.x[b.m] = pos, b.s[b.m] = sal, b.w[b.m] = cap * sal, b.r[b.m] = 1;
        b.m++;
    }
    if (b.m == 0) {
        st = pm_forecast(out, issue, NAN, "no actor takes part in this issue");
        goto done;
    }
    if (o->v[OPT_PROBABILITY] == PROB_SCHOLZ) {
        b.g = malloc(b.m * b.m * sizeof *b.g);
        b.P = malloc(b.m * b.m * sizeof *b.P);
        if (!b.g || !b.P) {
            st = PARLEY_E_NOMEM;
            goto done;
        }
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < b.m; k++) lo = fmin(lo, b.x[k]), hi = fmax(hi, b.x[k]);
    b.D = hi - lo;
    sort_positions(&b);
    b.mu = median(&b);
    if ((st = record(&b, s, issue, 0, out, false)) != PARLEY_OK) goto done;
    memcpy(b.history, b.x, b.m * sizeof *b.x);
    b.history_len = 1;

    bool fixed = o->v[OPT_STOP] == 1;
    int stable = 0, ran = 0;
    for (size_t t = 1; t <= rounds; t++) {
        if (o->v[OPT_RANGE] == 1) {
            lo = INFINITY, hi = -INFINITY;
            for (size_t k = 0; k < b.m; k++) lo = fmin(lo, b.x[k]), hi = fmax(hi, b.x[k]);
            b.D = hi - lo;
        }
        if (!(b.D > 0)) {
            snprintf(note, sizeof note, "stopped after %d round%s: every actor holds the same position", ran,
                     ran == 1 ? "" : "s");
            break;
        }
        b.eps = o->v[OPT_EPSILON] * b.D;
        risk_exponents(&b);
        size_t moved = offers_round(&b, s, issue, (int)t, out);
        if (moved == SIZE_MAX) {
            st = PARLEY_E_NOMEM;
            goto done;
        }
        ran = (int)t;
        double before = b.mu;
        sort_positions(&b);
        b.mu = median(&b);
        if ((st = record(&b, s, issue, (int)t, out, true)) != PARLEY_OK) goto done;
        int rep = repeated_round(&b);
        memcpy(&b.history[b.history_len * b.m], b.x, b.m * sizeof *b.x);
        b.history_len++;
        if (fixed) {
            if (rep >= 0 && !note[0])
                snprintf(note, sizeof note, "ran %zu rounds (fixed); the positions of round %zu repeat those of round %d (a cycle of period %zu)",
                         rounds, t, rep, t - (size_t)rep);
            continue;
        }
        if (moved == 0) {
            snprintf(note, sizeof note, "stopped after %zu round%s: no actor moved", t, t == 1 ? "" : "s");
            break;
        }
        if (rep >= 0) {
            snprintf(note, sizeof note, "stopped after %zu rounds: the positions repeat those of round %d (a cycle of period %zu)",
                     t, rep, t - (size_t)rep);
            break;
        }
        stable = fabs(b.mu - before) < o->v[OPT_STABLE_EPSILON] * b.D ? stable + 1 : 0;
        if (stable >= (int)o->v[OPT_STABLE_ROUNDS]) {
            snprintf(note, sizeof note, "stopped after %zu rounds: the median moved less than %g%% of the range for %d rounds",
                     t, 100 * o->v[OPT_STABLE_EPSILON], stable);
            break;
        }
        if (t == rounds)
            snprintf(note, sizeof note, "stopped at the limit of %zu rounds without settling", rounds);
    }
    if (!note[0]) {
        if (b.m == 1) snprintf(note, sizeof note, "one actor: nothing to negotiate");
        else if (fixed) snprintf(note, sizeof note, "ran %zu round%s (fixed)", rounds, rounds == 1 ? "" : "s");
        else if (rounds == 0) snprintf(note, sizeof note, "ran 0 rounds");
    }
    st = pm_forecast(out, issue, o->v[OPT_FORECAST] == 1 ? mean(&b) : b.mu, note);
done:
    bdm_free(&b);
    return st;
}

static parley_status bdm_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                             parley_error *err)
{
    (void)rng;
    return pm_for_each_issue(s, o, out, bdm_issue, err);
}

const struct parley_model pm_bdm = {
    .name = "bdm",
    .summary = "Bueno de Mesquita's expected-utility model: actors challenge, compromise and give in, round by round",
    .options = bdm_options,
    .n_options = OPT_COUNT,
    .presets = bdm_presets,
    .n_presets = sizeof bdm_presets / sizeof *bdm_presets,
    .run = bdm_run,
};
