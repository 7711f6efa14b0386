/* bdm.c - Bueno de Mesquita's expected-utility ("challenge") model, every published variant as an option.
 *
 * Documentation: docs/models/bdm.md; the section numbers below are those of its "The method, section by
 * section". Each issue runs on its own: a round computes the median, every actor's risk
 * exponent from how threatened it is, then for every ordered dyad both sides' expected utility of
 * challenging, the offer that follows, and finally every actor takes its best offer at once. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/vmath.h"
#include "bdm.h"
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
    size_t i; /* the participant */
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
    size_t *below, *upto;   /* per sorted place t: how many positions are < and <= sorted[t].x */
    size_t *place;          /* each participant's place in sorted */
    double *pij, *pji;      /* one row of probabilities: P(i, j) and P(j, i) for the current i */
    double *fi, *fj;        /* one row of votes for i and for j */
    double scholz_S;        /* the Scholz form's denominator */
    bool scholz_matrix;     /* the Scholz form needs its O(n^3) matrix (some r != 1) */
    double *usq;            /* each actor's utility of the status quo at its risk exponent */
    double *row_d, *row_r;  /* one row of the pair loop: distances, and the partners' risk exponents */
    double *us_i, *uf_i, *us_j, *uf_j; /* and the utilities of success and failure at both exponents */
    /* scholz probabilities */
    double *g;              /* g[a * m + k] = (|x_k - x_a| / D)^r_k */
    double *P;              /* P[i * m + j] */
    double *scratch;        /* per-voter sorting in scholz_probabilities */
    double *sec;            /* how much each actor's adversaries expect to gain by challenging it */
    /* offers */
    struct dyad *best;   /* each actor's best offer so far */
    size_t *chosen;      /* who made it */
    struct dyad *map;    /* map[i * m + j]: j presses i; only at full detail */
    struct held *top;    /* top[2 i], top[2 i + 1]: the two strongest challenges i received (bounded detail) */
    /* history, for cycle detection */
    double *history;
    size_t history_len;
} bdm;

enum { TYPE_NONE = 0, TYPE_CONFLICT, TYPE_COMPROMISE, TYPE_CAPITULATION };

static void bdm_free(bdm *b)
{
    free(b->actor), free(b->x), free(b->s), free(b->w), free(b->r), free(b->next);
    free(b->sorted), free(b->cw), free(b->cwx), free(b->below), free(b->upto), free(b->place), free(b->pij), free(b->pji), free(b->fi), free(b->fj), free(b->usq), free(b->row_d), free(b->row_r), free(b->us_i), free(b->uf_i), free(b->us_j), free(b->uf_j), free(b->g), free(b->P), free(b->scratch), free(b->sec);
    free(b->best), free(b->chosen), free(b->map), free(b->top);
    free(b->history);
}

/* max(a, b) for numbers that are never NaN: inlined, unlike fmax's call into libm. */
static inline double max2(double a, double c)
{
    return a > c ? a : c;
}

static bool same(const bdm *b, double xa, double xb)
{
    return fabs(xa - xb) <= b->eps;
}

/* ---- the median (section 4) ---- */

static int cmp_sorted(const void *pa, const void *pb)
{
    const sorted_pos *a = pa, *c = pb;
    if (a->x != c->x) return (a->x > c->x) - (a->x < c->x);
    return (a->i > c->i) - (a->i < c->i);
}

/* Sorts positions with their weights and builds prefix sums. Cannot fail (arrays are preallocated). */
static void sort_positions(bdm *b)
{
    size_t m = b->m;
    for (size_t k = 0; k < m; k++) b->sorted[k] = (sorted_pos){b->x[k], b->w[k], k};
    qsort(b->sorted, m, sizeof *b->sorted, cmp_sorted);
    b->cw[0] = b->cwx[0] = 0;
    for (size_t k = 0; k < m; k++) {
        b->cw[k + 1] = b->cw[k] + b->sorted[k].w;
        b->cwx[k + 1] = b->cwx[k] + b->sorted[k].w * b->sorted[k].x;
        b->place[b->sorted[k].i] = k;
    }
    for (size_t k = 0; k < m;) {
        size_t e = k;
        while (e < m && b->sorted[e].x == b->sorted[k].x) e++;
        for (size_t t = k; t < e; t++) b->below[t] = k, b->upto[t] = e;
        k = e;
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

/* Fills b->fi[u] and b->fj[u], for every sorted place u after t, with the risk-neutral votes in the
 * contest between the actors at sorted places t and u: the total vote of the actors preferring the lower
 * position and of those preferring the higher (each vote w_k ||x_k - x_u| - |x_k - x_t||, without the
 * constant 2/D). With prefix sums of w and w x each costs O(1): actors beyond the two positions vote the
 * full distance, actors between them split at the midpoint, and the midpoint only moves up as u does. */
static void votes_row(bdm *b, size_t t)
{
    size_t m = b->m, a = b->upto[t], c = a;
    double lo = b->sorted[t].x;
    for (size_t u = t + 1; u < m; u++) {
        double hi = b->sorted[u].x;
        if (hi == lo) {
            b->fi[u] = b->fj[u] = 0;
            continue;
        }
        double L = hi - lo, sum = lo + hi, mid = sum / 2;
        size_t d = b->below[u];
        while (c < d && b->sorted[c].x < mid) c++;
        double lower_mid = sum * (b->cw[c] - b->cw[a]) - 2 * (b->cwx[c] - b->cwx[a]);
        double upper_mid = 2 * (b->cwx[d] - b->cwx[c]) - sum * (b->cw[d] - b->cw[c]);
        b->fi[u] = L * b->cw[a] + max2(0, lower_mid);
        b->fj[u] = L * (b->cw[m] - b->cw[d]) + max2(0, upper_mid);
    }
}

/* Fills b->pij[u] = P(i, j), the probability that i (at sorted place t) prevails over j (at place u), and
 * b->pji[u] = P(j, i), for every u > t: the pair loops visit each pair once, in sorted order. Actors at
 * the same position do not contest: both are 0. */
static void probability_row(bdm *b, size_t t)
{
    size_t m = b->m, i = b->sorted[t].i;
    int form = (int)b->o->v[OPT_PROBABILITY];
    if (form == PROB_SCHOLZ && b->scholz_matrix) {
        for (size_t u = t + 1; u < m; u++) {
            size_t j = b->sorted[u].i;
            bool tie = same(b, b->x[i], b->x[j]);
            b->pij[u] = tie ? 0 : b->P[i * m + j];
            b->pji[u] = tie ? 0 : b->P[j * m + i];
        }
        return;
    }
    votes_row(b, t);
    double S = b->scholz_S * b->D;
    for (size_t u = t + 1; u < m; u++) {
        size_t j = b->sorted[u].i;
        double fi = b->fi[u], fj = b->fj[u];
        if (same(b, b->x[i], b->x[j])) {
            b->pij[u] = b->pji[u] = 0;
            continue;
        }
        if (form == PROB_SCHOLZ) {
            /* Every r is 1: the Scholz numerators are the risk-neutral votes over D. */
            b->pij[u] = S > 0 ? fi / S : 0;
            b->pji[u] = S > 0 ? fj / S : 0;
            continue;
        }
        if (form == PROB_THIRD_PARTY) {
            double L = b->x[j] - b->x[i];
            fi = max2(0, fi - b->w[i] * L);
            fj = max2(0, fj - b->w[j] * L);
        }
        double total = fi + fj;
        if (!(total > 0)) {
            b->pij[u] = b->pji[u] = 0.5; /* nobody takes sides */
        } else if (form == PROB_NET) {
            b->pij[u] = max2(fi - fj, 0) / total;
            b->pji[u] = max2(fj - fi, 0) / total;
        } else {
            b->pij[u] = fi / total;
            b->pji[u] = 1 - b->pij[u]; /* exactly complementary */
        }
    }
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, c = *(const double *)pb;
    return (a > c) - (a < c);
}

/* Prepares the Scholz form: P(i,j) = sum_k max(0, w_k (g_k(j) - g_k(i))) / S with
 * g_k(a) = (|x_k - x_a| / D)^r_k and S the sum of |w_k (g_k(a) - g_k(b))| over every voter k and every
 * ordered pair (a, b) of actors. S takes O(n^2 log n) by sorting each voter's g. When every r is 1 the
 * numerators are plain votes (probability_row); otherwise they fill an O(n^3) matrix. */
static void scholz_probabilities(bdm *b)
{
    size_t m = b->m;
    bool linear = true;
    for (size_t k = 0; k < m; k++) linear &= b->r[k] == 1;
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
    b->scholz_S = S;
    b->scholz_matrix = !linear;
    if (linear) return;
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
    v = max2(v, 0);
    return 2 - 4 * (rho == 1 ? v : pow(v, rho));
}

/* Returns the utility of the status quo, 2 - 4 (1/2)^rho (eq. 24), as 2 - 4 exp2(-rho): clang rewrites
 * pow(0.5, rho) that way and gcc does not, and the two can differ in the last bit. Written out, every
 * compiler computes the same number. */
static double status_quo_utility(double rho)
{
    return 2 - 4 * exp2(-rho);
}

/* Returns 2 - 4 v^rho given log v: one exp per exponent where pow would take a log and an exp each time. */
static double utility_log(double v, double log_v, double rho)
{
    if (rho == 1) return 2 - 4 * v;
    if (rho == 0) return -2;
    return 2 - 4 * exp(rho * log_v);
}

/* ---- offers (section 6) ---- */

/* One dyad from the receiver's side: j presses i. */
typedef struct dyad {
    parley_region region;
    int type;     /* TYPE_*: the offer i could take, if any */
    double offer; /* where i would move (NaN: nowhere) */
    double e;     /* E_j(j -> i) as i sees it: how well j can enforce its offer */
    double key;   /* Scholz's ranking key of a compromise: the weighted-form position */
    size_t from;  /* j: on a full tie the lower index wins, whatever order the pairs are visited in */
} dyad;

/* Returns the expected utility of challenging from its pieces (eq. 25): the responder's salience sr, the
 * probability p of prevailing, the utilities of success, failure and the status quo, and, when q < 1,
 * the utilities of things improving or worsening unchallenged, blended by t. */
static inline double eu_from(const bdm *b, double sr, double p, double us, double uf, double usq, double ub, double uw,
                      double t)
{
    double q = b->o->v[OPT_Q];
    double e = sr * (p * us + (1 - p) * uf) + (1 - sr) * us - q * usq;
    if (q < 1) e -= (1 - q) * (t * ub + (1 - t) * uw);
    return e;
}

/* Classifies the dyad in which j presses i, given a = E_i(i -> j) and e = E_j(j -> i). */
static inline dyad classify(const bdm *b, size_t i, size_t j, double a, double e)
{
    dyad y = {PARLEY_REGION_STALEMATE, TYPE_NONE, NAN, e, 0, j};
    if (a > 0 && e > 0) {
        y.region = PARLEY_REGION_CONFLICT;
        if (e > a) y.offer = b->x[j], y.type = TYPE_CONFLICT;
    } else if (a < 0 && e > 0) {
        if (e > fabs(a)) {
            y.region = PARLEY_REGION_COMPROMISE;
            y.type = TYPE_COMPROMISE;
            y.key = (fabs(a) * b->x[i] + e * b->x[j]) / (fabs(a) + e);
            y.offer = b->o->v[OPT_COMPROMISE] == COMP_RATIO ? b->x[i] + (b->x[j] - b->x[i]) * fabs(a / e) : y.key;
        } else {
            y.region = PARLEY_REGION_CAPITULATION;
            if (e < fabs(a) && b->o->v[OPT_CAPITULATION] != 0) y.offer = b->x[j], y.type = TYPE_CAPITULATION;
        }
    } else if (a > 0) {
        y.region = PARLEY_REGION_UPPER_HAND;
    }
    return y;
}

/* Returns true when candidate y beats the best offer so far. A full tie goes to the lower index, so the
 * choice never depends on the order in which pairs are visited. */
static inline bool better(const bdm *b, size_t i, const dyad *y, const dyad *best)
{
    if (best->type == TYPE_NONE) return true;
    double mv = fabs(b->x[i] - y->offer), best_mv = fabs(b->x[i] - best->offer);
    int rule = (int)b->o->v[OPT_OFFER];
    if (rule == OFFER_SCHOLZ || rule == OFFER_PRIORITY) {
        /* Conflict losses first, then compromises, then capitulations. */
        static const int rank[] = {9, 0, 1, 2};
        if (rank[y->type] != rank[best->type]) return rank[y->type] < rank[best->type];
        /* Scholz's code takes the lowest compromise position (by the weighted form), not the nearest. */
        if (rule == OFFER_SCHOLZ && y->type == TYPE_COMPROMISE && y->key != best->key) return y->key < best->key;
    } else if (rule == OFFER_ENFORCE && y->e != best->e) {
        return y->e > best->e;
    }
    if (mv != best_mv) return mv < best_mv;
    return y->from < best->from;
}

/* A challenge kept for the bounded pressure map, with the move it asks of the pressed actor. */
typedef struct held {
    dyad y;
    double move;
    bool used;
} held;

/* Whether challenge a ranks above b in the bounded map: stronger (pm_challenge_stronger), or as strong
 * from a lower index, as pm_challenge would keep the first made of the records in index order. */
static bool ranks_above(const held *a, const held *b)
{
    if (!b->used) return true;
    if (pm_challenge_stronger(a->move, a->y.region, b->move, b->y.region)) return true;
    return !pm_challenge_stronger(b->move, b->y.region, a->move, a->y.region) && a->y.from < b->y.from;
}

/* Keeps y (a challenge i received) if it is among the two strongest so far; before: i's position as
 * last recorded, from which pm_challenge measures the move. */
static inline void keep_top(bdm *b, size_t i, const dyad *y, double before)
{
    held *t = &b->top[2 * i];
    double move = isnan(y->offer) ? NAN : fabs(y->offer - before);
    /* Most challenges lose to the second kept at once: a smaller move, or no offer against one. */
    if (t[1].used && !isnan(t[1].move) && (isnan(move) || move < t[1].move)) return;
    held h = {*y, move, true};
    if (ranks_above(&h, &t[0])) t[1] = t[0], t[0] = h;
    else if (ranks_above(&h, &t[1])) t[1] = h;
}

/* The utilities a dyad needs, priced with one risk exponent. */
typedef struct prices {
    double us, uf, usq, ub, uw;
} prices;

/* The logs of the bases of the success and failure utilities of a dyad at distance d. */
typedef struct bases {
    double d, vs, vf, ls, lf;
} bases;

/* with_logs: the logs are needed only to price exponents other than 1 */
static bases bases_of(double d, bool with_logs)
{
    double vs = max2(0.5 - 0.5 * d, 0), vf = 0.5 + 0.5 * d;
    return (bases){d, vs, vf, with_logs ? log(vs) : 0, with_logs ? log(vf) : 0};
}

/* Prices a dyad's utilities with exponent rho; usq is the status quo's utility at rho. */
static inline prices price(const bdm *b, const bases *g, double dm, double rho, double usq)
{
    prices p = {utility_log(g->vs, g->ls, rho), utility_log(g->vf, g->lf, rho), usq, 0, 0};
    if (b->o->v[OPT_Q] < 1)
        p.ub = utility(0.5 - 0.25 * (dm + g->d), rho), p.uw = utility(0.5 + 0.25 * (dm + g->d), rho);
    return p;
}

/* Adds to p the utilities of things improving or worsening unchallenged (eqs. 18-19), needed when q < 1. */
static void median_terms(prices *p, double d, double dm, double rho)
{
    p->ub = utility(0.5 - 0.25 * (dm + d), rho);
    p->uw = utility(0.5 + 0.25 * (dm + d), rho);
}

static double t_of(const bdm *b, size_t i, size_t j)
{
    if (b->o->v[OPT_T_RULE] != 1) return b->o->v[OPT_T];
    return fabs(b->x[i] - b->mu) < fabs(b->x[i] - b->x[j]) ? 1 : 0;
}

/* Plays one round's offers: every actor picks its best offer, then all move at once. Records the pressure
 * map when details are wanted. Each unordered pair is visited once: one vote count gives P(i,j) and
 * P(j,i), and the utilities are priced once per exponent. Returns the number of actors that moved, or
 * SIZE_MAX when out of memory. */
static size_t offers_round(bdm *b, size_t issue, int round, pm_out *out)
{
    size_t m = b->m, moved = 0;
    bool details = pm_details(out), full = pm_full_detail(out), perceived = b->o->v[OPT_PERSPECTIVE] == 0;
    /* Bounded detail: pm_challenge keeps per pressed actor its accepted challenge and its strongest other
     * one, so only the two strongest need to be sent, not the m x m map. */
    const double *before = &b->history[(b->history_len - 1) * m];
    size_t pairs = 0; /* challenges made (pairs of distinct positions, both ways) */
    if (details && !full)
        for (size_t i = 0; i < 2 * m; i++) b->top[i].used = false;
    prepare_probabilities(b);
    dyad *best = b->best;
    bool q1 = b->o->v[OPT_Q] >= 1;
    for (size_t i = 0; i < m; i++) {
        best[i].type = TYPE_NONE, best[i].offer = b->x[i];
        b->usq[i] = status_quo_utility(b->r[i]);
    }
    for (size_t t = 0; t < m; t++) {
        size_t i = b->sorted[t].i;
        probability_row(b, t);
        double dmi = fabs(b->x[i] - b->mu) / b->D;
        /* Price the whole row at once: the exp/log kernel vectorises. */
        size_t rest = m - t - 1;
        for (size_t u = t + 1; u < m; u++) {
            b->row_d[u - t - 1] = fabs(b->x[i] - b->sorted[u].x) / b->D;
            b->row_r[u - t - 1] = b->r[b->sorted[u].i];
        }
        vm_utilities(rest, b->row_d, b->r[i], b->row_r, b->us_i, b->uf_i, b->us_j, b->uf_j);
        for (size_t u = t + 1; u < m; u++) {
            size_t j = b->sorted[u].i, k = u - t - 1;
            if (same(b, b->x[i], b->x[j])) {
                if (full) b->map[i * m + j].region = b->map[j * m + i].region = (parley_region)-1;
                continue;
            }
            double pij = b->pij[u], pji = b->pji[u];
            double a_i, e_i, a_j, e_j;
            if (q1) {
                /* q = 1: no median terms and no T, so the four expected utilities need only the row's
                 * prices; plain scalars, not the structs below (same arithmetic, no stores and reloads).
                 * With `perceived` each viewer prices the other side its own way. */
                double usi = b->us_i[k], ufi = b->uf_i[k], usqi = b->usq[i];
                double usj = b->us_j[k], ufj = b->uf_j[k], usqj = b->usq[j];
                a_i = eu_from(b, b->s[j], pij, usi, ufi, usqi, 0, 0, 0);
                e_i = perceived ? eu_from(b, b->s[i], pji, usi, ufi, usqi, 0, 0, 0) : eu_from(b, b->s[i], pji, usj, ufj, usqj, 0, 0, 0);
                a_j = eu_from(b, b->s[i], pji, usj, ufj, usqj, 0, 0, 0);
                e_j = perceived ? eu_from(b, b->s[j], pij, usj, ufj, usqj, 0, 0, 0) : eu_from(b, b->s[j], pij, usi, ufi, usqi, 0, 0, 0);
            } else {
                double d = b->row_d[k], dmj = fabs(b->x[j] - b->mu) / b->D;
                double ti = t_of(b, i, j), tj = t_of(b, j, i);
                /* Prices at each viewer's exponent. With `perceived` a viewer prices both sides its own way;
                 * the two sides differ only in the median terms, which exist only when q < 1. */
                prices pi = {b->us_i[k], b->uf_i[k], b->usq[i], 0, 0}, pj = {b->us_j[k], b->uf_j[k], b->usq[j], 0, 0};
                prices pi_j = pj, pj_i = pi; /* j's side as i sees it, i's side as j sees it */
                if (perceived) pi_j = pi, pj_i = pj;
                if (!q1) {
                    median_terms(&pi, d, dmi, b->r[i]);
                    median_terms(&pj, d, dmj, b->r[j]);
                    if (perceived) {
                        median_terms(&pi_j, d, dmj, b->r[i]);
                        median_terms(&pj_i, d, dmi, b->r[j]);
                    } else {
                        pi_j = pj, pj_i = pi;
                    }
                }
                a_i = eu_from(b, b->s[j], pij, pi.us, pi.uf, pi.usq, pi.ub, pi.uw, ti);
                e_i = eu_from(b, b->s[i], pji, pi_j.us, pi_j.uf, pi_j.usq, pi_j.ub, pi_j.uw, tj);
                a_j = eu_from(b, b->s[i], pji, pj.us, pj.uf, pj.usq, pj.ub, pj.uw, tj);
                e_j = eu_from(b, b->s[j], pij, pj_i.us, pj_i.uf, pj_i.usq, pj_i.ub, pj_i.uw, ti);
            }
            dyad yi = classify(b, i, j, a_i, e_i); /* j presses i */
            dyad yj = classify(b, j, i, a_j, e_j); /* i presses j */
            if (yi.type != TYPE_NONE && better(b, i, &yi, &best[i])) best[i] = yi, b->chosen[i] = j;
            if (yj.type != TYPE_NONE && better(b, j, &yj, &best[j])) best[j] = yj, b->chosen[j] = i;
            if (full) b->map[i * m + j] = yi, b->map[j * m + i] = yj;
            else if (details) keep_top(b, i, &yi, before[i]), keep_top(b, j, &yj, before[j]), pairs += 2;
        }
    }
    for (size_t i = 0; i < m; i++) {
        b->next[i] = best[i].type == TYPE_NONE ? b->x[i] : best[i].offer;
        if (b->next[i] != b->x[i]) moved++;
        if (!details) continue;
        if (!full) {
            /* The accepted challenge and the two strongest, once each, in index order. */
            const dyad *c[3];
            size_t n = 0;
            if (best[i].type != TYPE_NONE) c[n++] = &best[i];
            for (size_t h = 0; h < 2; h++) {
                const held *t = &b->top[2 * i + h];
                if (t->used && (!n || c[0]->from != t->y.from || best[i].type == TYPE_NONE)) c[n++] = &t->y;
            }
            for (size_t p = 1; p < n; p++)
                for (size_t q = p; q > 0 && c[q]->from < c[q - 1]->from; q--) {
                    const dyad *tmp = c[q];
                    c[q] = c[q - 1], c[q - 1] = tmp;
                }
            pairs -= n; /* sent; pm_challenge counts what it drops of them */
            for (size_t p = 0; p < n; p++) {
                bool accepted = best[i].type != TYPE_NONE && b->chosen[i] == c[p]->from;
                if (pm_challenge(out, issue, round, b->actor[c[p]->from], b->actor[i], c[p]->region, c[p]->offer, accepted) != PARLEY_OK)
                    return SIZE_MAX;
            }
            continue;
        }
        for (size_t j = 0; j < m; j++) {
            if (j == i || (int)b->map[i * m + j].region < 0) continue;
            const dyad *y = &b->map[i * m + j];
            bool accepted = best[i].type != TYPE_NONE && b->chosen[i] == j;
            if (pm_challenge(out, issue, round, b->actor[j], b->actor[i], y->region, y->offer, accepted) != PARLEY_OK)
                return SIZE_MAX;
        }
    }
    if (details && !full) pm_challenges_skipped(out, pairs);
    memcpy(b->x, b->next, m * sizeof *b->x);
    return moved;
}

/* ---- risk exponents (section 5) ---- */

/* Sets every actor's risk exponent from how much its adversaries expect to gain by challenging it, all
 * priced risk-neutrally (r = 1). Each unordered pair is visited once; each actor's sum still runs over
 * its adversaries in actor order. */
static void risk_exponents(bdm *b)
{
    size_t m = b->m;
    for (size_t i = 0; i < m; i++) b->r[i] = 1;
    prepare_probabilities(b);
    double *sec = b->sec;
    for (size_t i = 0; i < m; i++) sec[i] = 0;
    for (size_t t = 0; t < m; t++) {
        size_t i = b->sorted[t].i;
        probability_row(b, t);
        double dmi = fabs(b->x[i] - b->mu) / b->D;
        for (size_t u = t + 1; u < m; u++) {
            size_t j = b->sorted[u].i;
            bases g = bases_of(fabs(b->x[i] - b->x[j]) / b->D, false);
            prices pi = price(b, &g, dmi, 1, 0), pj = price(b, &g, fabs(b->x[j] - b->mu) / b->D, 1, 0);
            sec[i] += eu_from(b, b->s[i], b->pji[u], pj.us, pj.uf, pj.usq, pj.ub, pj.uw, t_of(b, j, i));
            sec[j] += eu_from(b, b->s[j], b->pij[u], pi.us, pi.uf, pi.usq, pi.ub, pi.uw, t_of(b, i, j));
        }
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < m; i++) lo = fmin(lo, sec[i]), hi = fmax(hi, sec[i]);
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
    b->below = malloc(m * sizeof *b->below), b->upto = malloc(m * sizeof *b->upto), b->place = malloc(m * sizeof *b->place);
    b->pij = malloc(m * sizeof *b->pij), b->pji = malloc(m * sizeof *b->pji);
    b->fi = malloc(m * sizeof *b->fi), b->fj = malloc(m * sizeof *b->fj), b->usq = malloc(m * sizeof *b->usq);
    b->row_d = malloc(m * sizeof(double)), b->row_r = malloc(m * sizeof(double));
    b->us_i = malloc(m * sizeof(double)), b->uf_i = malloc(m * sizeof(double));
    b->us_j = malloc(m * sizeof(double)), b->uf_j = malloc(m * sizeof(double));
    b->scratch = malloc(m * sizeof *b->scratch), b->sec = malloc(m * sizeof *b->sec);
    b->best = malloc(m * sizeof *b->best), b->chosen = malloc(m * sizeof *b->chosen);
    b->history = malloc(m * (rounds + 1) * sizeof *b->history);
    return b->actor && b->x && b->s && b->w && b->r && b->next && b->sorted && b->cw && b->cwx && b->below && b->upto && b->place && b->pij && b->pji && b->fi && b->fj && b->usq && b->row_d && b->row_r && b->us_i && b->uf_i && b->us_j && b->uf_j && b->scratch && b->sec &&
           b->best && b->chosen && b->history;
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
    if (pm_full_detail(out) ? !(b.map = malloc(b.m * b.m * sizeof *b.map))
                            : pm_details(out) && !(b.top = malloc(2 * b.m * sizeof *b.top))) {
        st = PARLEY_E_NOMEM;
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
    int stable = 0, ran = 0, last_shock = pm_last_shock(s, issue);
    for (size_t t = 1; t <= rounds; t++) {
        if (pm_cancelled(out)) {
            st = PARLEY_E_CANCELLED;
            goto done;
        }
        bool shocked = false;
        for (size_t k = 0; k < b.m; k++) shocked |= pm_shock(s, (int)t, b.actor[k], issue, &b.x[k]);
        if (shocked) {
            sort_positions(&b);
            b.mu = median(&b);
            lo = INFINITY, hi = -INFINITY;
            for (size_t k = 0; k < b.m; k++) lo = fmin(lo, b.x[k]), hi = fmax(hi, b.x[k]);
            if (o->v[OPT_RANGE] == 1 || !(b.D > 0)) b.D = hi - lo;
        }
        /* A shock still to come keeps the rounds going: stopping early would ignore it. */
        bool pending = (int)t < last_shock;
        if (o->v[OPT_RANGE] == 1) {
            lo = INFINITY, hi = -INFINITY;
            for (size_t k = 0; k < b.m; k++) lo = fmin(lo, b.x[k]), hi = fmax(hi, b.x[k]);
            b.D = hi - lo;
        }
        if (!(b.D > 0) && !pending) {
            snprintf(note, sizeof note, "stopped after %d round%s: every actor holds the same position", ran,
                     ran == 1 ? "" : "s");
            break;
        }
        if (!(b.D > 0)) continue;
        b.eps = o->v[OPT_EPSILON] * b.D;
        sort_positions(&b); /* the pair loops walk the positions in order */
        risk_exponents(&b);
        size_t moved = offers_round(&b, issue, (int)t, out);
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
        if (pending) continue;
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

bool bdm_probabilities(const double *x, const double *w, size_t m, int form, double *P)
{
    pm_options o = {{0}};
    o.v[OPT_PROBABILITY] = form;
    bdm b = {.o = &o, .m = m};
    if (m == 0 || !alloc_state(&b, m, 0)) {
        bdm_free(&b);
        return m == 0;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < m; k++) {
        b.x[k] = x[k], b.w[k] = w[k], b.s[k] = 1, b.r[k] = 1;
        lo = fmin(lo, x[k]), hi = fmax(hi, x[k]);
    }
    b.D = hi - lo > 0 ? hi - lo : 1;
    sort_positions(&b);
    for (size_t k = 0; k < m * m; k++) P[k] = 0;
    for (size_t t = 0; t < m; t++) {
        probability_row(&b, t);
        size_t i = b.sorted[t].i;
        for (size_t u = t + 1; u < m; u++) {
            size_t j = b.sorted[u].i;
            P[i * m + j] = b.pij[u];
            P[j * m + i] = b.pji[u];
        }
    }
    bdm_free(&b);
    return true;
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
    .scope = PARLEY_SCOPE_ISSUE,
    .records = PARLEY_RECORDS_ROUNDS | PARLEY_RECORDS_PRESSURE,
};
