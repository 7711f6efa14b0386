/* smp.c - the spatial model of politics (KAPSARC's KTAB SMP): actors challenge one another in a
 * multi-dimensional policy space and settle on bargains, judged by probabilistic Condorcet elections.
 *
 * Documentation: docs/models/smp.md. The issues of a scenario
 * are the dimensions; positions are mapped to [0, 1] and back. Only what the model needs is computed:
 * an actor's view of another's risk attitude is an n x n table, and every utility is evaluated when used,
 * so memory is O(n^2). Actors are processed in parallel; every task writes only its own slots, so the
 * result is the same for any thread count. The fast paths (bounded target search, shared bargain
 * scores, elections summed across pairs) add the same numbers in the same order as the plain ones kept
 * under smp_reference_algorithms, so the results are the same bit for bit (docs/models/smp.md, Speed). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "smp.h"

enum {
    OPT_VOTING,
    OPT_VICTORY,
    OPT_PCE,
    OPT_R_RANGE,
    OPT_R_ADJUST,
    OPT_THIRD_PARTY,
    OPT_INTERP,
    OPT_BARGAIN,
    OPT_TRANSITION,
    OPT_MAX_TURNS,
    OPT_MIN_TURNS,
    OPT_STOP_RATIO,
    OPT_COUNT
};

/* The order of each choice list below; the option's value is the index. */
enum { VOTE_PROP, VOTE_BINARY, VOTE_CUBIC, VOTE_PROP_BIN, VOTE_PROP_CUBIC, VOTE_ASYM_PROSPECT };
enum { VP_LINEAR, VP_SQUARE, VP_QUARTIC, VP_OCTIC, VP_BINARY };
enum { PCE_CONDITIONAL, PCE_MARKOV_UNIFORM, PCE_MARKOV_INCENTIVE };
enum { RR_MID, RR_MIN, RR_MAX };
enum { RA_ONE_THIRD, RA_NONE, RA_HALF, RA_TWO_THIRDS, RA_FULL };
enum { TP_SEMI, TP_FULL, TP_NONE };
enum { IB_S2P2, IB_S1P1, IB_S2PMAX };
enum { BM_INIT_ONLY, BM_INIT_RCVR, BM_PW_COMP };
enum { ST_DETERMINISTIC, ST_STOCHASTIC };

static const parley_option_spec smp_options[OPT_COUNT] = {
    [OPT_VOTING] = {"voting", PARLEY_OPTION_CHOICE, "prop", "prop|binary|cubic|prop_bin|prop_cubic|asym_prospect", 0, 0,
                    "how an actor's vote between two options follows its utility difference (KTAB VotingRule)"},
    [OPT_VICTORY] = {"victory", PARLEY_OPTION_CHOICE, "linear", "linear|square|quartic|octic|binary", 0, 0,
                     "probability that a coalition wins, from the two strengths (KTAB VictoryProbModel)"},
    [OPT_PCE] = {"pce", PARLEY_OPTION_CHOICE, "conditional", "conditional|markov_uniform|markov_incentive", 0, 0,
                 "probabilistic Condorcet election over several options (KTAB PCEModel)"},
    [OPT_R_RANGE] = {"r_range", PARLEY_OPTION_CHOICE, "mid", "mid|min|max", 0, 0,
                     "risk attitudes from win probabilities: mid [-1/2, 1], min [0, 1], max [-1, 1] (KTAB BigRRange)"},
    [OPT_R_ADJUST] = {"r_adjust", PARLEY_OPTION_CHOICE, "one_third", "one_third|none|half|two_thirds|full", 0, 0,
                      "how far an actor's view of another's risk attitude moves from its own toward the other's "
                      "(KTAB BigRAdjust)"},
    [OPT_THIRD_PARTY] = {"third_party", PARLEY_OPTION_CHOICE, "semi", "semi|full|none", 0, 0,
                         "how committed a third party is to the side it backs (KTAB ThirdPartyCommit)"},
    [OPT_INTERP] = {"interp", PARLEY_OPTION_CHOICE, "s2p2", "s2p2|s1p1|s2pmax", 0, 0,
                    "bargain point per dimension: weights salience^2 x probability^2, the same to the first power, "
                    "or only the weaker side moves (KTAB InterVecBrgn)"},
    [OPT_BARGAIN] = {"bargain", PARLEY_OPTION_CHOICE, "init_only", "init_only|init_rcvr|pw_comp", 0, 0,
                     "whose view forms the bargain: the initiator's, both (two bargains), or their weighted "
                     "compromise (KTAB BargnModel)"},
    [OPT_TRANSITION] = {"transition", PARLEY_OPTION_CHOICE, "deterministic", "deterministic|stochastic", 0, 0,
                        "each actor adopts the most probable bargain in its queue, or draws one (seeded)"},
    [OPT_MAX_TURNS] = {"max_turns", PARLEY_OPTION_INTEGER, "100", NULL, 1, 10000, "stop after this many turns"},
    [OPT_MIN_TURNS] = {"min_turns", PARLEY_OPTION_INTEGER, "2", NULL, 1, 10000,
                       "never stop for quiet before this many turns"},
    [OPT_STOP_RATIO] = {"stop_ratio", PARLEY_OPTION_NUMBER, "0.02", NULL, 0, 1,
                        "stop when a turn moves the actors less than this fraction of the first turn's movement"},
};

bool smp_reference_algorithms = false;

#define WEIGHT_CLASSES 8   /* third parties' weights, by halves below the largest (the last: the rest) */
#define MIN_COALITION 1e-8   /* coalition strengths start here in elections (no 0/0) */
#define MIN_CONTEST 1e-10    /* and here in the contest of a challenge */
#define MIN_GAIN 1e-5        /* a challenge must be worth more than this */
#define SAME_POSITION 1e-3   /* positions closer than this (Euclidean, on [0, 1]) are one option */
#define MAX_PCE_ITERATIONS 1000
#define SMP_MAX_ACTORS 2000  /* O(n^2) memory per thread, O(n^3) time per turn */

/* ---- the state of one run ---- */

typedef struct rules {
    int vote, victory, pce, max_iter;
} rules;

typedef struct bargain {
    size_t init, rcvr;   /* init == rcvr: "stay where you are" for that actor */
    double *pos_init, *pos_rcvr;
} bargain;

typedef struct smp {
    const pm_options *o;
    size_t n, d;
    rules el;            /* how elections are held */
    double *x, *nx;      /* n x d positions on [0, 1], this turn and the next */
    double *s;           /* n x d saliences, shares of attention */
    double *spow;        /* the saliences to the power the bargains weigh them with (interp) */
    double *c;           /* capability */
    double *ssum, *ssq;  /* per actor: sum of saliences and of their squares */
    double *diff;        /* diff[i n + j]: salience-weighted distance from i's ideal (= position) to j's position */
    double *diff_t;      /* its transpose, for scans over the first index */
    double *weight;      /* voting weight of each actor in a contest: total salience x capability */
    unsigned char *wclass; /* each actor's weight class: c when weight > (largest) / 2^(c + 1) */
    double wtop[WEIGHT_CLASSES]; /* the largest weight in each class */
    bool unit;           /* every distance (so every utility) lies in [0, 1] this turn */
    double *R;           /* risk attitudes */
    double *rhi;         /* rhi[h n + i]: h's view of i's risk attitude */
    /* challenges of the turn, by initiator */
    long *target;
    double *p_win, *gain;
    /* bargains: at most two per initiator (init_rcvr), plus one "stay" per actor */
    bargain *b;          /* b[2 i + v]: initiator i's bargains; b[2 n + k]: k's status quo */
    double *bpos;        /* 2 n x 2 x d coordinates */
    size_t *queue, *q_len; /* queue[k (2 n + 1) + m]: bargain index */
    size_t *chosen;      /* per actor: the bargain adopted */
    /* the bargains' utilities, each worked out once however many queues hold it */
    size_t nbar;         /* columns: 0 the status quo (the same for every queue), then each bargain made */
    size_t *bids, *bcol; /* bids[c - 1]: column c's bargain; bcol[id]: bargain id's column */
    size_t *skip_at, *skip; /* skip[skip_at[t] .. skip_at[t + 1]): the columns whose bargain moves actor t */
    double *butil;       /* butil[a nbar + c]: the mean utility to actor a of the state after column c */
    /* per worker scratch */
    size_t workers;
    double **scratch;
    size_t scratch_len;
    struct candidate **cand; /* per worker: the targets an actor considers */
    size_t **list;       /* per worker: bargains to redo (utility_task) */
    unsigned char **mask; /* per worker, per bargain column: which of four actors it skips */
    bool pce_stalled;    /* a Markov election did not converge within its cap */
    bool *stalled;       /* the same, per actor's queue (written by parallel tasks) */
    parley_rng *rngs;    /* stochastic transitions: one generator per actor and turn */
    uint64_t seed;
    int turn;
} smp;

/* ---- utilities and votes (spec: Utility, Votes) ---- */

/* Returns the utility of a normalised distance sd for risk attitude R. */
static inline double bs_util(double sd, double R)
{
    return sd <= 1 ? (1 - sd) * (1 + sd * R) : (1 - sd) * (1 + R);
}

/* Returns the salience-weighted distance between a and b with actor i's saliences. */
static double bv_diff(const smp *m, size_t i, const double *a, const double *b)
{
    double ds2 = 0, s2 = 0;
    for (size_t k = 0; k < m->d; k++) {
        double sk = m->s[i * m->d + k], ds = (a[k] - b[k]) * sk;
        ds2 = ds2 + ds * ds;
        s2 = s2 + sk * sk;
    }
    return s2 > 0 ? sqrt(ds2 / s2) : 0; /* an actor that cares about nothing is indifferent */
}

/* h's estimate of the utility to i of j's position. */
static inline double a_util(const smp *m, size_t h, size_t i, size_t j)
{
    return bs_util(m->diff[i * m->n + j], m->rhi[h * m->n + i]);
}

/* Returns the vote of an actor of weight w for option a over b, worth ua and ub to it. */
static inline double vote(int rule, double w, double ua, double ub)
{
    double du = ua - ub;
    if (rule == VOTE_PROP) return w * du;
    double bin = du / 1e-8;
    bin = bin > 1 ? 1 : bin < -1 ? -1 : bin;
    switch (rule) {
    case VOTE_BINARY: return w * bin;
    case VOTE_PROP_BIN: return w * ((1 - 0.2) * du + 0.2 * bin);
    case VOTE_PROP_CUBIC: return w * ((1 - 0.5) * du + 0.5 * (du * du * du));
    case VOTE_CUBIC: return w * (du * du * du);
    case VOTE_ASYM_PROSPECT: return du < 0 ? w * du : du > 0 ? (2.0 * w * du) / 3.0 : 0;
    default: return w * du;
    }
}

/* Sets *p1, *p2: the probabilities that coalitions of strengths s1 and s2 win against each other. */
static void victory(int model, double s1, double s2, double *p1, double *p2)
{
    double x1 = s1, x2 = s2;
    switch (model) {
    case VP_SQUARE: x1 = s1 * s1, x2 = s2 * s2; break;
    case VP_QUARTIC: x1 = (s1 * s1) * (s1 * s1), x2 = (s2 * s2) * (s2 * s2); break;
    case VP_OCTIC: {
        double q1 = (s1 * s1) * (s1 * s1), q2 = (s2 * s2) * (s2 * s2);
        x1 = q1 * q1, x2 = q2 * q2;
        break;
    }
    case VP_BINARY: {
        /* A 10% advantage either way is a certain win; linear in between. */
        const double thresh = 1.10;
        if (s1 >= thresh * s2) x1 = 1, x2 = 1e-6;
        else if (s2 >= thresh * s1) x1 = 1e-6, x2 = 1;
        else {
            double r12 = s1 / (s1 + s2);
            x1 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0);
            x2 = 1 - x1;
        }
        break;
    }
    default: break;
    }
    *p1 = x1 / (x1 + x2);
    *p2 = x2 / (x1 + x2);
}

/* The loops below that run across many independent sums get copies for wider vector units where the
 * compiler and loader can pick one at run time; every copy adds the same numbers in the same order
 * (smp.c is compiled without contraction into fused multiply-adds), so all give the same results. */
/* gcc only: clang gives the resolver of a static clone default visibility, so the shared library would
 * export it (the `exports` test). */
#if defined(__x86_64__) && defined(__ELF__) && !defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 6 && \
    !defined(PARLEY_NO_CLONES)
#define WIDE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WIDE
#endif

typedef struct coalition_job {
    const rules *el;
    size_t na, no;
    const double *w, *u;
    double *c, *r;
} coalition_job;

#define COALITION_ROWS 8 /* rows of the coalition matrix that share one pass over the voters */

/* Row i of the coalition matrix the plain way (smp_reference_algorithms): pair by pair, each summing
 * its voters in order; c[i no + j] and r[i no + j] as coalition_rows() leaves them. */
static void coalition_row_plain(const coalition_job *cj, size_t i)
{
    size_t na = cj->na, no = cj->no;
    for (size_t j = 0; j < i; j++) {
        double cij = MIN_COALITION, cji = MIN_COALITION;
        for (size_t k = 0; k < na; k++) {
            double v = vote(cj->el->vote, cj->w[k], cj->u[k * no + i], cj->u[k * no + j]);
            if (v > 0) cij = cij + v;
            if (v < 0) cji = cji - v;
        }
        cj->c[i * no + j] = cij;
        cj->r[i * no + j] = cji;
    }
}

/* Rows [COALITION_ROWS blk, ...) of the coalition matrix: c[i no + j] gets the strength behind option i
 * against each earlier option j, r[i no + j] the reverse. Each strength sums its voters' support in voter
 * order, as a plain loop over voters would; the loops run voter by voter over all pairs at once, so the
 * utilities are read row by row (and the sums vectorise across pairs, each sum keeping its own order).
 * Adding +0 for a voter on the other side leaves a strength unchanged: strengths start at
 * MIN_COALITION > 0. */
WIDE static void coalition_rows(void *ctx, size_t blk, size_t worker)
{
    const coalition_job *cj = ctx;
    size_t blocks = (cj->no + COALITION_ROWS - 1) / COALITION_ROWS;
    blk = blocks - 1 - blk; /* the longest rows first: the pool hands tasks out in order */
    size_t na = cj->na, no = cj->no, i0 = blk * COALITION_ROWS, i1 = i0 + COALITION_ROWS < no ? i0 + COALITION_ROWS : no;
    int rule = cj->el->vote;
    (void)worker;
    for (size_t i = i0; i < i1; i++) {
        double *a = cj->c + i * no, *b = cj->r + i * no;
        for (size_t j = 0; j < i; j++) a[j] = MIN_COALITION, b[j] = MIN_COALITION;
    }
    size_t k = 0;
    if (rule == VOTE_PROP)
        /* four voters a pass: each strength is loaded and stored once for the four */
        for (; k + 4 <= na; k += 4) {
            const double *u0 = cj->u + k * no, *u1 = u0 + no, *u2 = u1 + no, *u3 = u2 + no;
            double w0 = cj->w[k], w1 = cj->w[k + 1], w2 = cj->w[k + 2], w3 = cj->w[k + 3];
            for (size_t i = i0; i < i1; i++) {
                double *restrict a = cj->c + i * no, *restrict b = cj->r + i * no;
                double ui0 = u0[i], ui1 = u1[i], ui2 = u2[i], ui3 = u3[i];
                for (size_t j = 0; j < i; j++) {
                    double v0 = w0 * (ui0 - u0[j]), v1 = w1 * (ui1 - u1[j]), v2 = w2 * (ui2 - u2[j]), v3 = w3 * (ui3 - u3[j]);
                    double x = a[j], y = b[j];
                    x += v0 > 0 ? v0 : 0.0, y += v0 < 0 ? -v0 : 0.0;
                    x += v1 > 0 ? v1 : 0.0, y += v1 < 0 ? -v1 : 0.0;
                    x += v2 > 0 ? v2 : 0.0, y += v2 < 0 ? -v2 : 0.0;
                    x += v3 > 0 ? v3 : 0.0, y += v3 < 0 ? -v3 : 0.0;
                    a[j] = x, b[j] = y;
                }
            }
        }
    for (; k < na; k++) {
        const double *uk = cj->u + k * no;
        double wk = cj->w[k];
        for (size_t i = i0; i < i1; i++) {
            double *restrict a = cj->c + i * no, *restrict b = cj->r + i * no, uki = uk[i];
            if (rule == VOTE_PROP)
                for (size_t j = 0; j < i; j++) {
                    double v = wk * (uki - uk[j]);
                    a[j] += v > 0 ? v : 0.0;
                    b[j] += v < 0 ? -v : 0.0;
                }
            else
                for (size_t j = 0; j < i; j++) {
                    double v = vote(rule, wk, uki, uk[j]);
                    a[j] += v > 0 ? v : 0.0;
                    b[j] += v < 0 ? -v : 0.0;
                }
        }
    }
}

/* A probabilistic Condorcet election: na voters of weights w, no options, u[a no + o] the utility of
 * option o to voter a. Fills p (no entries). Scratch: c and pv hold no x no each, q no. parallel: spread
 * the coalitions over threads (only from the calling thread, never inside a parallel task). Returns
 * false when a Markov iteration stopped at its cap without converging. */
static bool pce(const rules *el, size_t na, size_t no, const double *w, const double *u, double *c, double *pv,
                double *q, double *p, bool parallel)
{
    /* pv holds the reverse strengths until the victory probabilities replace them. */
    coalition_job cj = {el, na, no, w, u, c, pv};
    size_t blocks = (no + COALITION_ROWS - 1) / COALITION_ROWS;
    if (smp_reference_algorithms)
        for (size_t i = 0; i < no; i++) coalition_row_plain(&cj, i);
    else if (parallel && no > 16) pm_parallel(blocks, coalition_rows, &cj);
    else
        for (size_t b = 0; b < blocks; b++) coalition_rows(&cj, b, 0);
    for (size_t i = 0; i < no; i++) {
        for (size_t j = 0; j < i; j++) {
            /* pv[j no + i] (j < i) is not a reverse strength: those sit below the diagonal */
            double cij = c[i * no + j], cji = pv[i * no + j];
            c[j * no + i] = cji;
            victory(el->victory, cij, cji, &pv[i * no + j], &pv[j * no + i]);
        }
        c[i * no + i] = MIN_COALITION;
        pv[i * no + i] = 0.5;
    }
    if (el->pce == PCE_CONDITIONAL) {
        /* The chance that each option beats every other, conditional on one of them doing so. */
        double sum = 0;
        for (size_t i = 0; i < no; i++) {
            double pi = 1.0;
            for (size_t j = 0; j < no; j++) pi = pi * pv[i * no + j];
            p[i] = pi;
        }
        for (size_t i = 0; i < no; i++) sum = sum + p[i];
        for (size_t i = 0; i < no; i++) p[i] = p[i] / sum;
        return true;
    }
    bool incentive = el->pce == PCE_MARKOV_INCENTIVE;
    double tol = incentive ? 1e-8 : 1e-6;
    if (incentive) {
        /* c becomes the probability that option i is the one to challenge a favourite j: in proportion
         * to the incentive, strength x chance of winning (a tiny self-incentive avoids 0/0). */
        for (size_t i = 0; i < no; i++)
            for (size_t j = 0; j < no; j++) c[i * no + j] = c[i * no + j] * pv[i * no + j] + (i == j ? 1e-10 : 0);
        for (size_t j = 0; j < no; j++) {
            double sum = 0;
            for (size_t k = 0; k < no; k++) sum = sum + c[k * no + j];
            for (size_t i = 0; i < no; i++) q[i] = c[i * no + j] / sum;
            for (size_t i = 0; i < no; i++) c[i * no + j] = q[i];
        }
    }
    for (size_t i = 0; i < no; i++) p[i] = 1.0 / (double)no;
    double change = 1.0;
    int iter = 0;
    while (tol < change && iter < el->max_iter) {
        change = 0;
        for (size_t i = 0; i < no; i++) {
            double qi = 0;
            for (size_t j = 0; j < no; j++) {
                if (incentive) qi = qi + pv[i * no + j] * (p[i] * c[j * no + i] + p[j] * c[i * no + j]);
                else qi = qi + pv[i * no + j] * (p[i] + p[j]);
            }
            q[i] = incentive ? qi : qi / (double)no;
            double ch = fabs(q[i] - p[i]);
            change = ch > change ? ch : change;
        }
        for (size_t i = 0; i < no; i++) p[i] = (p[i] + q[i]) / 2.0;
        iter++;
    }
    return !(tol < change);
}

/* ---- risk attitudes (spec: Risk attitudes) ---- */

double smp_risk(int range, double p, double pmin, double pmax)
{
    if (!(pmax > pmin)) return 0; /* consensus: every position equally likely, nobody more or less at risk */
    switch (range) {
    case RR_MIN: return (p - pmin) / (pmax - pmin);
    case RR_MAX: return (2 * p - (pmax + pmin)) / (pmax - pmin);
    default: return (3 * p - (pmax + 2 * pmin)) / (2 * (pmax - pmin));
    }
}

static double est_nra(int adjust, double rh, double ri)
{
    switch (adjust) {
    case RA_FULL: return ri;
    case RA_TWO_THIRDS: return (rh + (2.0 * ri)) / 3.0;
    case RA_HALF: return (rh + ri) / 2;
    case RA_NONE: return rh;
    default: return ((2.0 * rh) + ri) / 3.0;
    }
}

static void diff_task(void *ctx, size_t i, size_t worker)
{
    smp *m = ctx;
    (void)worker;
    for (size_t j = 0; j < m->n; j++) m->diff[i * m->n + j] = bv_diff(m, i, m->x + i * m->d, m->x + j * m->d);
}

static void transpose_task(void *ctx, size_t j, size_t worker)
{
    smp *m = ctx;
    (void)worker;
    for (size_t t = 0; t < m->n; t++) m->diff_t[j * m->n + t] = m->diff[t * m->n + j];
}

/* Distances, then the risk-neutral election over every actor's position, then risk attitudes and each
 * actor's view of the others'. Uses worker 0's scratch. */
static void assess(smp *m)
{
    size_t n = m->n;
    pm_parallel(n, diff_task, m);
    pm_parallel(n, transpose_task, m);
    m->unit = true;
    for (size_t i = 0; i < n * n && m->unit; i++) m->unit = m->diff[i] >= 0 && m->diff[i] <= 1;
    double *u = m->scratch[0], *c = u + n * n, *pv = c + n * n, *q = pv + n * n, *p = q + n;
    for (size_t i = 0; i < n * n; i++) u[i] = bs_util(m->diff[i], 0);
    if (!pce(&m->el, n, n, m->c, u, c, pv, q, p, true)) m->pce_stalled = true;
    double pmin = 1.0, pmax = 0.0;
    for (size_t i = 0; i < n; i++) {
        pmin = p[i] < pmin ? p[i] : pmin;
        pmax = p[i] > pmax ? p[i] : pmax;
    }
    for (size_t i = 0; i < n; i++) {
        m->R[i] = smp_risk((int)m->o->v[OPT_R_RANGE], p[i], pmin, pmax);
    }
    int adjust = (int)m->o->v[OPT_R_ADJUST];
    for (size_t h = 0; h < n; h++)
        for (size_t i = 0; i < n; i++) m->rhi[h * n + i] = est_nra(adjust, m->R[h], m->R[i]);
}

/* ---- challenges (spec: Value of a challenge) ---- */

/* The principals' own contest of i challenging j: sets *pi_ and *pj_, the strengths behind i and j, from
 * uii, uij (i's utilities of its own position and j's) and uji, ujj (j's). */
static inline void principals(const smp *m, size_t i, size_t j, double uii, double uij, double uji, double ujj,
                              double *pi_, double *pj_)
{
    int vr = m->el.vote;
    double ci = vote(vr, m->ssum[i] * m->c[i], uii, uij), cj = vote(vr, m->ssum[j] * m->c[j], uji, ujj);
    double chij = MIN_CONTEST, chji = MIN_CONTEST;
    if (ci > 0) chij = chij + ci;
    if (ci < 0) chji = chji - ci;
    if (cj > 0) chij = chij + cj;
    if (cj < 0) chji = chji - cj;
    *pi_ = chij, *pj_ = chji;
}

/* Adds third party t's vote (weight w; uti, utj, utt its utilities of i's, j's and its own position) to
 * the running strengths *chij and *chji, given the principals' strengths pi_ and pj_. */
static inline void third_party(int vr, int tpc, double pi_, double pj_, double w, double uti, double utj, double utt,
                               double *chij, double *chji)
{
    const bool full = tpc == TP_FULL, none = tpc == TP_NONE;
    /* Each third party judges the odds of a little contest: the principals and itself. */
    /* Adding +0 instead of nothing leaves a strength unchanged (all are above 0); the selects then
     * need no branches. */
    double v0 = vote(vr, w, uti, utj);
    double cti = pi_ + (v0 > 0 ? v0 : 0.0), ctj = pj_ + (v0 < 0 ? -v0 : 0.0);
    double pin = cti / (cti + ctj), pjn = 1.0 - pin;
    /* Three position-utilities per outcome (backs i and i wins, backs i and j wins, backs j and i
     * wins, backs j and j wins); how committed t stays to its own position decides the third. */
    double a_ = uti + uti + (full ? uti : utt), b_ = utj + utj + (none ? utt : utj);
    double c_ = uti + uti + (none ? utt : uti), d_ = utj + utj + (full ? utj : utt);
    double v = vote(vr, w, (pin * a_) + (pjn * b_), (pin * c_) + (pjn * d_));
    *chij = *chij + (v > 0 ? v : 0.0);
    *chji = *chji + (v < 0 ? -v : 0.0);
}

/* k's expected gain over the status quo from i challenging j (k's utilities uki, ukj of the two
 * positions; sj j's total salience) when i wins with probability phij and j with phji. */
static inline double challenge_gain(double uki, double ukj, double sj, double phij, double phji)
{
    double eu_sq = uki + ukj, u_win = uki + uki, u_lose = ukj + ukj;
    double eu_contest = phij * u_win + phji * u_lose;
    double eu_challenge = (1 - sj) * u_win + sj * eu_contest;
    return eu_challenge - eu_sq;
}

/* The contest of i challenging j as h sees it, for k: u_i[t], u_j[t] and u_t[t] are h's estimates of the
 * utility to actor t of i's position, of j's and of its own. Sets *p (i's chance of winning) and returns
 * k's expected gain over the status quo. */
static double contest(const smp *m, size_t k, size_t i, size_t j, const double *u_i, const double *u_j, const double *u_t,
                      double *p)
{
    int vr = m->el.vote, tpc = (int)m->o->v[OPT_THIRD_PARTY];
    double pi_, pj_;
    principals(m, i, j, u_i[i], u_j[i], u_i[j], u_j[j], &pi_, &pj_);
    double chij = pi_, chji = pj_;
    for (size_t t = 0; t < m->n; t++) {
        if (t == i || t == j) continue;
        third_party(vr, tpc, pi_, pj_, m->weight[t], u_i[t], u_j[t], u_t[t], &chij, &chji);
    }
    double phij = chij / (chij + chji), phji = chji / (chij + chji);
    *p = phij;
    return challenge_gain(u_i[k], u_j[k], m->ssum[j], phij, phji);
}

/* Fills u[t] with h's estimate of the utility to each actor t of j's position. */
static void utils_of(const smp *m, size_t h, size_t j, double *u)
{
    const double *dj = m->diff_t + j * m->n, *r = m->rhi + h * m->n;
    for (size_t t = 0; t < m->n; t++) u[t] = bs_util(dj[t], r[t]);
}

static double round4(double v)
{
    return (double)(int)(0.5 + v * 10000.0) / 10000.0;
}

/* Sets *bi, *bj: the bargain between coordinates ti and tj pulled toward each in proportion to the weights
 * wi and wj. */
static void weighted_bargain(double ti, double tj, double wi, double wj, double *bi, double *bj)
{
    /* The 1e-6 breaks the 0/0 of two indifferent sides (each then stays); rounding to four decimals
     * removes spurious precision, as KTAB does. */
    const double min_w = 1e-6;
    *bi = round4(((wi + min_w) * ti + wj * tj) / (wi + min_w + wj));
    *bj = round4((wi * ti + (min_w + wj) * tj) / (wi + min_w + wj));
}

void smp_interpolate(int interp, double ti, double si, double tj, double sj, double p, double *bi, double *bj)
{
    double pi_ = p, pj_ = 1 - p;
    if (interp == IB_S2PMAX) {
        /* Only the weaker side moves, by how much weaker it is. */
        double di = pj_ > pi_ ? pj_ - pi_ : 0, dj = pi_ > pj_ ? pi_ - pj_ : 0;
        double si2 = si * si, sj2 = sj * sj;
        double dik = (di * sj2) / ((di * sj2) + 1e-6 + ((1 - di) * si2));
        double djk = (dj * si2) / ((dj * si2) + 1e-6 + ((1 - dj) * sj2));
        *bi = ti + dik * (tj - ti);
        *bj = tj + djk * (ti - tj);
        return;
    }
    double e = interp == IB_S1P1 ? 1 : 2;
    weighted_bargain(ti, tj, pow(si, e) * pow(pi_, e), pow(sj, e) * pow(pj_, e), bi, bj);
}

/* The bargain between initiator i and receiver j when i's chance of winning is p (spec: One turn, 2), as
 * smp_interpolate() makes it on each dimension, with the saliences' powers worked out once a run. */
static void interpolate(const smp *m, size_t i, size_t j, double p, double *bi, double *bj)
{
    int interp = (int)m->o->v[OPT_INTERP];
    size_t d = m->d;
    if (interp == IB_S2PMAX) {
        for (size_t k = 0; k < d; k++)
            smp_interpolate(interp, m->x[i * d + k], m->s[i * d + k], m->x[j * d + k], m->s[j * d + k], p, &bi[k], &bj[k]);
        return;
    }
    double e = interp == IB_S1P1 ? 1 : 2, pi_e = pow(p, e), pj_e = pow(1 - p, e);
    for (size_t k = 0; k < d; k++)
        weighted_bargain(m->x[i * d + k], m->x[j * d + k], m->spow[i * d + k] * pi_e, m->spow[j * d + k] * pj_e, &bi[k],
                         &bj[k]);
}

bool smp_election(int voting, int victory_model, int pce_model, size_t na, size_t no, const double *w, const double *u,
                  double *p, int max_iter)
{
    rules el = {voting, victory_model, pce_model, max_iter};
    double *c = malloc((no * no * 2 + no + 1) * sizeof *c);
    if (!c) return false;
    bool ok = pce(&el, na, no, w, u, c, c + no * no, c + 2 * no * no, p, false);
    free(c);
    return ok;
}

#define GAIN_SLACK 1e-9   /* far above the rounding of a gain (a few units of 1e-16), far below any real gap */
#define BOUND_EVERY 16    /* third parties between two checks of a contest's bound */

/* How a search for i's target bounds what the third parties can add to i's side (see choose_target). */
typedef struct tp_bound {
    const double *rem; /* rem[(t0 / BOUND_EVERY) WEIGHT_CLASSES + c]: from third parties t >= t0 of class c */
    bool shrink;       /* whether a third party's chance estimate can shrink its bound (see below) */
} tp_bound;

/* Sets f[c]: the most a third party of weight class c can give i as a share of its bound in rem, when the
 * principals' strengths are pi_ and pj_; returns the most all third parties can give from t0 = 0. */
static double class_shares(const smp *m, const tp_bound *tb, double pi_, double pj_, double *f)
{
    double add = 0;
    for (size_t c = 0; c < WEIGHT_CLASSES; c++) {
        f[c] = 1;
        if (!(tb->rem[c] > 0)) continue; /* an empty class (its later bounds are 0 too) */
        double w = m->wtop[c], share = tb->shrink ? (pi_ + w) / (pi_ + pj_ + w) * (1 + 1e-12) : 1;
        f[c] = share < 1 ? share : 1;
        add += f[c] * tb->rem[c];
    }
    return add;
}

/* The contest of i challenging j in i's own view, as contest() computes it, abandoned as soon as its
 * gain provably cannot exceed floor (tb, f: the bounds on what the third parties still to vote can add to
 * i's side). Returns false when abandoned; else sets *p and *g exactly as contest() would. */
static bool contest_bounded(const smp *m, size_t i, size_t j, const double *u_i, double *u_j, const double *u_t,
                            const tp_bound *tb, const double *f, double floor, double *p, double *g)
{
    int vr = m->el.vote, tpc = (int)m->o->v[OPT_THIRD_PARTY];
    size_t n = m->n;
    /* u_j as utils_of(m, i, j, u_j) fills it, a stretch at a time as the third parties vote */
    const double *dj = m->diff_t + j * n, *r = m->rhi + i * n;
    double uij = bs_util(dj[i], r[i]), ujj = bs_util(dj[j], r[j]);
    double pi_, pj_, sj = m->ssum[j], uki = u_i[i], ukj = uij;
    principals(m, i, j, u_i[i], uij, u_i[j], ujj, &pi_, &pj_);
    double chij = pi_, chji = pj_;
    for (size_t t0 = 0; t0 < n; t0 += BOUND_EVERY) {
        /* i's side gains at most add more and j's side loses nothing, and the gain grows with i's chance
         * of winning. */
        const double *rc = tb->rem + (t0 / BOUND_EVERY) * WEIGHT_CLASSES;
        double add = 0;
        for (size_t c = 0; c < WEIGHT_CLASSES; c++) add += f[c] * rc[c];
        double hi = (chij + add) / (chij + add + chji);
        if (challenge_gain(uki, ukj, sj, hi, 1 - hi) + GAIN_SLACK < floor) return false;
        size_t t1 = t0 + BOUND_EVERY < n ? t0 + BOUND_EVERY : n;
        for (size_t t = t0; t < t1; t++) u_j[t] = bs_util(dj[t], r[t]);
        for (size_t t = t0; t < t1; t++) {
            if (t == i || t == j) continue;
            third_party(vr, tpc, pi_, pj_, m->weight[t], u_i[t], u_j[t], u_t[t], &chij, &chji);
        }
    }
    double phij = chij / (chij + chji), phji = chji / (chij + chji);
    *p = phij;
    *g = challenge_gain(uki, ukj, sj, phij, phji);
    return true;
}

typedef struct candidate {
    double bound; /* the most challenging this target can be worth */
    size_t j;
} candidate;

/* Whether candidate x comes before y: the higher bound first, then the lower index. */
static inline bool before(const candidate *x, const candidate *y)
{
    return x->bound != y->bound ? x->bound > y->bound : x->j < y->j;
}

/* Restores the heap order (the first candidate before its children) below position k of h[0 .. len). */
static void sift_down(candidate *h, size_t len, size_t k)
{
    for (;;) {
        size_t l = 2 * k + 1, r = l + 1, top = k;
        if (l < len && before(&h[l], &h[top])) top = l;
        if (r < len && before(&h[r], &h[top])) top = r;
        if (top == k) return;
        candidate tmp = h[k];
        h[k] = h[top], h[top] = tmp;
        k = top;
    }
}

/* i's choice of target, as the plain scan over every j in order chooses it (the first j of the largest
 * gain above MIN_GAIN), without working out every contest in full.
 *
 * The gain of challenging j, (1 - u)(1 - 2 s_j (1 - p)) with u = i's utility of j's position, grows with
 * i's chance p of winning, and p grows with the strength behind i. A third party t's preference for
 * backing i is q D + (1 - q) E, q its estimate of i's chance in its little contest, D = 1 - u_ti (its
 * utility of its own position less that of i's) and E = u_tj - 1 <= 0; every vote rule grows with the
 * preference, so its vote at D bounds t's support for i (rem, summed by weight class from each point on). For the vote rules proportional at most to their argument (all but
 * binary and prop_bin), and when every utility lies in [0, 1], the share q bounds it further: q is at most
 * (P_i + w) / (P_i + P_j + w) for the principals' strengths P_i, P_j and t's weight w. So every target's
 * gain has a bound from the two principals alone; targets are tried from the highest bound down, the
 * search stops when the bound falls below the best gain found, and a contest under way stops as soon as
 * the third parties still to vote cannot lift it above that gain. GAIN_SLACK covers the rounding. */
static long choose_target(const smp *m, size_t i, size_t worker, double *u_i, double *u_j, const double *u_t,
                          double *best_p, double *best_gain)
{
    size_t n = m->n;
    long best = -1;
    *best_gain = -1.0, *best_p = 0;
    if (smp_reference_algorithms) {
        for (size_t j = 0; j < n; j++) {
            if (j == i) continue;
            utils_of(m, i, j, u_j);
            double p, g = contest(m, i, i, j, u_i, u_j, u_t, &p);
            if (MIN_GAIN < g && *best_gain < g) best = (long)j, *best_p = p, *best_gain = g;
        }
        return best;
    }
    candidate *cand = m->cand[worker];
    double *rem = u_j + n, *f = rem + ((n + BOUND_EVERY - 1) / BOUND_EVERY + 1) * WEIGHT_CLASSES, *fj = f + WEIGHT_CLASSES;
    int vr = m->el.vote;
    /* Under third_party=full or none the two sides' payoffs are the same sums: third parties add nothing.
     * Under semi a third party's preference for backing i is q (u_t[t] - u_i[t]) + (1 - q) (u_j[t] -
     * u_t[t]), u_t[t] = 1 (its own position) and no utility above 1 (bs_util). */
    bool semi = (int)m->o->v[OPT_THIRD_PARTY] == TP_SEMI, own = true;
    for (size_t t = 0; t < n && own; t++) own = u_t[t] == 1.0;
    tp_bound tb = {rem, semi && own && m->unit && vr != VOTE_BINARY && vr != VOTE_PROP_BIN};
    size_t chunks = (n + BOUND_EVERY - 1) / BOUND_EVERY;
    double run[WEIGHT_CLASSES] = {0};
    for (size_t c = 0; c < WEIGHT_CLASSES; c++) rem[chunks * WEIGHT_CLASSES + c] = 0;
    for (size_t t = n; t-- > 0;) {
        double D = u_t[t] - u_i[t] > 1 - u_t[t] ? u_t[t] - u_i[t] : 1 - u_t[t];
        D = (D > 0 ? D : 0) + 1e-15; /* utilities a rounding above 1 */
        if (t != i && semi) run[m->wclass[t]] += vote(vr, m->weight[t], D, 0);
        if (t % BOUND_EVERY == 0)
            for (size_t c = 0; c < WEIGHT_CLASSES; c++) rem[(t / BOUND_EVERY) * WEIGHT_CLASSES + c] = run[c] * (1 + 1e-12);
    }
    size_t nc = 0, probe = SIZE_MAX;
    double probe_est = -2;
    const double *dr = m->diff + i * n, ri = m->rhi[i * n + i], *rh = m->rhi + i * n;
    for (size_t j = 0; j < n; j++) {
        if (j == i) continue;
        /* u_j[i] and u_j[j] as utils_of() computes them: i's utility of j's position, and j's */
        double uij = bs_util(dr[j], ri), ujj = bs_util(m->diff[j * n + j], rh[j]), pi_, pj_;
        principals(m, i, j, u_i[i], uij, u_i[j], ujj, &pi_, &pj_);
        double add = class_shares(m, &tb, pi_, pj_, f), hi = (pi_ + add) / (pi_ + add + pj_);
        cand[nc++] = (candidate){challenge_gain(u_i[i], uij, m->ssum[j], hi, 1 - hi), j};
        /* the likeliest best target, by the principals' contest alone */
        double lo = pi_ / (pi_ + pj_), est = challenge_gain(u_i[i], uij, m->ssum[j], lo, 1 - lo);
        if (est > probe_est) probe_est = est, probe = j;
    }
    /* a heap: only the few targets tried are ever sorted */
    for (size_t k = nc / 2; k-- > 0;) sift_down(cand, nc, k);
    /* The likeliest best target first, so that the others meet a high floor from the start (the order
     * changes what is tried, never the choice). */
    for (bool first = probe != SIZE_MAX; nc > 0; first = false) {
        double floor = *best_gain > MIN_GAIN ? *best_gain : MIN_GAIN;
        size_t j = probe;
        if (!first) {
            if (cand[0].bound + GAIN_SLACK < floor) break;
            j = cand[0].j;
            cand[0] = cand[--nc];
            sift_down(cand, nc, 0);
            if (j == probe) continue;
        }
        double p, g, pi_, pj_;
        const double *dj = m->diff_t + j * n;
        principals(m, i, j, u_i[i], bs_util(dj[i], rh[i]), u_i[j], bs_util(dj[j], rh[j]), &pi_, &pj_);
        class_shares(m, &tb, pi_, pj_, fj);
        if (!contest_bounded(m, i, j, u_i, u_j, u_t, &tb, fj, floor, &p, &g)) continue;
        if (MIN_GAIN < g && (*best_gain < g || (*best_gain == g && (size_t)best > j)))
            best = (long)j, *best_p = p, *best_gain = g;
    }
    return best;
}

static void challenge_task(void *ctx, size_t i, size_t worker)
{
    smp *m = ctx;
    size_t n = m->n;
    double *u_i = m->scratch[worker], *u_t = u_i + n, *u_j = u_t + n;
    double best_gain, best_p;
    /* i's own view (h = k = i) of challenging each j in turn. */
    utils_of(m, i, i, u_i);
    for (size_t t = 0; t < n; t++) u_t[t] = a_util(m, i, t, t);
    long best = choose_target(m, i, worker, u_i, u_j, u_t, &best_p, &best_gain);
    m->target[i] = best;
    m->p_win[i] = best_p;
    m->gain[i] = best_gain;
    if (best < 0) return;
    size_t j = (size_t)best, d = m->d;
    double *b0i = m->bpos + (2 * i) * 2 * d, *b0j = b0i + d, *b1i = b0j + d, *b1j = b1i + d;
    interpolate(m, i, j, best_p, b0i, b0j);
    int bm = (int)m->o->v[OPT_BARGAIN];
    if (bm == BM_INIT_ONLY) return;
    /* The receiver's view of the same contest. (KTAB passes the receiver's expected gain here where a
     * probability belongs; parley uses the probability.) */
    double pj;
    utils_of(m, j, i, u_i);
    utils_of(m, j, j, u_j);
    for (size_t t = 0; t < n; t++) u_t[t] = a_util(m, j, t, t);
    contest(m, i, i, j, u_i, u_j, u_t, &pj);
    interpolate(m, i, j, pj, b1i, b1j);
    if (bm == BM_PW_COMP) {
        /* One bargain: the two views weighted by capability x total salience of each side. (KTAB weighs
         * the receiver's view with the initiator's capability.) */
        double wi = m->c[i] * m->ssum[i], wj = m->c[j] * m->ssum[j];
        for (size_t k = 0; k < d; k++) {
            b0i[k] = (wi * b0i[k] + wj * b1i[k]) / (wi + wj);
            b0j[k] = (wi * b0j[k] + wj * b1j[k]) / (wi + wj);
        }
    }
}

/* ---- resolving the bargains (spec: One turn, 4) ---- */

/* Returns the utility to actor a of its own position's distance to pos (a's true risk attitude). */
static double pos_util(const smp *m, size_t a, const double *pos)
{
    return bs_util(bv_diff(m, a, m->x + a * m->d, pos), m->R[a]);
}

/* The mean utility to actor a of the state after bargain b. */
static double bargain_util(const smp *m, const bargain *b, size_t a)
{
    double u = 0.0;
    if (b->init == b->rcvr) {
        for (size_t t = 0; t < m->n; t++) u = u + a_util(m, a, a, t);
    } else {
        u = u + pos_util(m, a, b->pos_init);
        u = u + pos_util(m, a, b->pos_rcvr);
        for (size_t t = 0; t < m->n; t++)
            if (t != b->init && t != b->rcvr) u = u + a_util(m, a, a, t);
    }
    return u / (double)m->n;
}

/* Row a of the bargains' utility table: what bargain_util() returns for a and each bargain made this
 * turn, and for the status quo. Each bargain's sum runs over the actors in the same order as there, but
 * all bargains advance together, actor by actor: the sum of a bargain that moves actor t keeps its value
 * past t (saved and put back) instead of adding t's unchanged position. */
WIDE static void utility_task(void *ctx, size_t a, size_t worker)
{
    smp *m = ctx;
    size_t n = m->n, nbar = m->nbar;
    double *ut = m->scratch[worker], *acc = ut + n, *saved = acc + nbar, *row = m->butil + a * nbar;
    const double *da = m->diff + a * n, ra = m->rhi[a * n + a];
    for (size_t t = 0; t < n; t++) ut[t] = bs_util(da[t], ra);
    double stay = 0.0;
    for (size_t t = 0; t < n; t++) stay = stay + ut[t];
    row[0] = stay / (double)n;
    for (size_t c = 1; c < nbar; c++) {
        const bargain *b = &m->b[m->bids[c - 1]];
        double u = 0.0;
        u = u + pos_util(m, a, b->pos_init);
        u = u + pos_util(m, a, b->pos_rcvr);
        acc[c] = u;
    }
    size_t t = 0, *list = m->list[worker];
    unsigned char *skips = m->mask[worker];
    /* Four actors a pass, each sum loaded and stored once for the four; a sum that skips some of them is
     * then redone from its value before the pass. */
    for (; t + 4 <= n; t += 4) {
        size_t nl = 0;
        for (size_t s = 0; s < 4; s++)
            for (size_t q = m->skip_at[t + s]; q < m->skip_at[t + s + 1]; q++) {
                size_t c = m->skip[q];
                if (!skips[c]) list[nl] = c, saved[nl++] = acc[c];
                skips[c] |= (unsigned char)(1u << s);
            }
        double v0 = ut[t], v1 = ut[t + 1], v2 = ut[t + 2], v3 = ut[t + 3];
        for (size_t c = 1; c < nbar; c++) acc[c] = (((acc[c] + v0) + v1) + v2) + v3;
        for (size_t l = 0; l < nl; l++) {
            size_t c = list[l];
            double x = saved[l];
            for (size_t s = 0; s < 4; s++)
                if (!(skips[c] >> s & 1u)) x = x + ut[t + s];
            acc[c] = x, skips[c] = 0;
        }
    }
    for (; t < n; t++) {
        size_t lo = m->skip_at[t], hi = m->skip_at[t + 1];
        for (size_t q = lo; q < hi; q++) saved[q - lo] = acc[m->skip[q]];
        double v = ut[t];
        for (size_t c = 1; c < nbar; c++) acc[c] = acc[c] + v;
        for (size_t q = lo; q < hi; q++) acc[m->skip[q]] = saved[q - lo];
    }
    for (size_t c = 1; c < nbar; c++) row[c] = acc[c] / (double)n;
}

static void resolve_task(void *ctx, size_t k, size_t worker)
{
    smp *m = ctx;
    size_t n = m->n, nb = m->q_len[k], slots = 2 * n + 1;
    const size_t *q = m->queue + k * slots;
    double *u = m->scratch[worker], *c = u + n * slots, *pv = c + slots * slots, *qq = pv + slots * slots, *p = qq + slots;
    if (smp_reference_algorithms)
        for (size_t a = 0; a < n; a++)
            for (size_t b = 0; b < nb; b++) u[a * nb + b] = bargain_util(m, &m->b[q[b]], a);
    else
        for (size_t a = 0; a < n; a++) {
            const double *row = m->butil + a * m->nbar;
            for (size_t b = 0; b < nb; b++) u[a * nb + b] = row[q[b] >= 2 * n ? 0 : m->bcol[q[b]]];
        }
    m->stalled[k] = !pce(&m->el, n, nb, m->c, u, c, pv, qq, p, false);
    size_t pick = 0;
    if ((int)m->o->v[OPT_TRANSITION] == ST_STOCHASTIC) {
        parley_rng g;
        parley_rng_seed(&g, m->seed, (uint64_t)m->turn * (uint64_t)n + k);
        double r = parley_rng_uniform(&g), acc = 0;
        pick = nb - 1;
        for (size_t b = 0; b < nb; b++) {
            acc += p[b];
            if (r < acc) {
                pick = b;
                break;
            }
        }
    } else {
        for (size_t b = 1; b < nb; b++)
            if (fabs(p[b]) > fabs(p[pick])) pick = b;
    }
    const bargain *b = &m->b[q[pick]];
    const double *to = b->init == b->rcvr ? m->x + k * m->d : b->init == k ? b->pos_init : b->pos_rcvr;
    memcpy(m->nx + k * m->d, to, m->d * sizeof *to);
    m->chosen[k] = q[pick];
}

/* Plays one turn: assessment, challenges, bargains, resolution. The new positions land in m->nx. */
static void play_turn(smp *m)
{
    size_t n = m->n, slots = 2 * n + 1;
    pm_parallel(n, challenge_task, m);
    /* Queues in KTAB's order: actor by actor, its "stay" bargain, then the bargains it starts, each
     * also appended to its receiver's queue. */
    for (size_t k = 0; k < n; k++) m->q_len[k] = 0;
    int bm = (int)m->o->v[OPT_BARGAIN];
    for (size_t i = 0; i < n; i++) {
        m->queue[i * slots + m->q_len[i]++] = 2 * n + i;
        if (m->target[i] < 0) continue;
        size_t j = (size_t)m->target[i];
        for (size_t v = 0; v < (bm == BM_INIT_RCVR ? 2u : 1u); v++) {
            size_t id = 2 * i + v;
            m->b[id] = (bargain){i, j, m->bpos + id * 2 * m->d, m->bpos + id * 2 * m->d + m->d};
            m->queue[i * slots + m->q_len[i]++] = id;
            m->queue[j * slots + m->q_len[j]++] = id;
        }
    }
    if (!smp_reference_algorithms) {
        /* One column per bargain made, and which columns move each actor. */
        m->nbar = 1;
        for (size_t id = 0; id < 2 * n; id++)
            if (m->target[id / 2] >= 0 && (id % 2 == 0 || bm == BM_INIT_RCVR)) m->bids[m->nbar - 1] = id, m->bcol[id] = m->nbar++;
        for (size_t t = 0; t <= n; t++) m->skip_at[t] = 0;
        for (size_t c = 1; c < m->nbar; c++) m->skip_at[m->b[m->bids[c - 1]].init + 1]++, m->skip_at[m->b[m->bids[c - 1]].rcvr + 1]++;
        for (size_t t = 0; t < n; t++) m->skip_at[t + 1] += m->skip_at[t];
        for (size_t c = 1; c < m->nbar; c++) {
            const bargain *b = &m->b[m->bids[c - 1]];
            m->skip[m->skip_at[b->init]++] = c, m->skip[m->skip_at[b->rcvr]++] = c;
        }
        for (size_t t = n; t > 0; t--) m->skip_at[t] = m->skip_at[t - 1];
        m->skip_at[0] = 0;
        pm_parallel(n, utility_task, m);
    }
    pm_parallel(n, resolve_task, m);
    for (size_t k = 0; k < n; k++) m->pce_stalled |= m->stalled[k];
}

/* Returns the summed Euclidean movement of the actors between two position sets. */
static double movement(const smp *m, const double *a, const double *b)
{
    double sum = 0;
    for (size_t i = 0; i < m->n; i++) {
        double s2 = 0;
        for (size_t k = 0; k < m->d; k++) s2 += (a[i * m->d + k] - b[i * m->d + k]) * (a[i * m->d + k] - b[i * m->d + k]);
        sum = sum + sqrt(s2);
    }
    return sum;
}

/* The win probability of each distinct position in the current state, every actor judging with its own
 * risk attitude (KTAB's final distribution, and its history of winning probabilities turn by turn).
 * Fills prob[i] for every actor (its position's probability) and returns the number of distinct
 * positions (0: out of memory); best gets the actor holding the most probable one, *stalled whether
 * the election's Markov iteration stopped at its cap. */
static size_t distribution(smp *m, double *prob, size_t *best, bool *stalled)
{
    size_t n = m->n, nu = 0;
    size_t *uniq = malloc(n * sizeof *uniq), *cls = malloc(n * sizeof *cls);
    double *u = m->scratch[0], *c = u + n * (2 * n + 1), *pv = c + (2 * n + 1) * (2 * n + 1), *q = pv + (2 * n + 1) * (2 * n + 1),
           *p = q + 2 * n + 1;
    if (!uniq || !cls) {
        free(uniq), free(cls);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        size_t f = nu;
        for (size_t t = 0; t < nu && f == nu; t++) {
            double s2 = 0;
            for (size_t k = 0; k < m->d; k++) {
                double dd = m->x[i * m->d + k] - m->x[uniq[t] * m->d + k];
                s2 += dd * dd;
            }
            if (sqrt(s2) < SAME_POSITION) f = t;
        }
        if (f == nu) uniq[nu++] = i;
        cls[i] = f;
    }
    /* KTAB's final distribution uses the proportional voting rule whatever the option says. */
    rules el = m->el;
    el.vote = VOTE_PROP;
    for (size_t a = 0; a < n; a++)
        for (size_t t = 0; t < nu; t++) u[a * nu + t] = a_util(m, a, a, uniq[t]);
    *stalled = !pce(&el, n, nu, m->c, u, c, pv, q, p, true);
    size_t top = 0;
    for (size_t t = 1; t < nu; t++)
        if (p[t] > p[top]) top = t;
    for (size_t i = 0; i < n; i++) prob[i] = p[cls[i]];
    *best = uniq[top];
    free(uniq), free(cls);
    return nu;
}

/* ---- the model ---- */

static void smp_free(smp *m)
{
    free(m->x), free(m->nx), free(m->s), free(m->spow), free(m->c), free(m->ssum), free(m->ssq), free(m->diff), free(m->diff_t), free(m->weight), free(m->wclass), free(m->R), free(m->rhi);
    free(m->target), free(m->p_win), free(m->gain), free(m->b), free(m->bpos), free(m->queue), free(m->q_len), free(m->chosen);
    free(m->stalled), free(m->bids), free(m->bcol), free(m->skip_at), free(m->skip), free(m->butil);
    if (m->scratch)
        for (size_t w = 0; w < m->workers; w++) free(m->scratch[w]);
    free(m->scratch);
    for (size_t w = 0; w < m->workers; w++) {
        if (m->cand) free(m->cand[w]);
        if (m->list) free(m->list[w]);
        if (m->mask) free(m->mask[w]);
    }
    free(m->cand), free(m->list), free(m->mask);
}

/* Loads one group of issues; absent actors sit at the issue's weighted mean with salience 0. Returns
 * false when out of memory. */
static bool smp_init(smp *m, const parley_scenario *s, const pm_options *o, const size_t *iss, size_t d,
                     parley_error *err)
{
    memset(m, 0, sizeof *m);
    size_t n = parley_scenario_actor_count(s), slots = 2 * n + 1;
    m->o = o, m->n = n, m->d = d;
    m->el = (rules){(int)o->v[OPT_VOTING], (int)o->v[OPT_VICTORY], (int)o->v[OPT_PCE], MAX_PCE_ITERATIONS};
    m->x = calloc(n * d, sizeof *m->x), m->nx = calloc(n * d, sizeof *m->nx), m->s = calloc(n * d, sizeof *m->s);
    m->spow = calloc(n * d, sizeof *m->spow);
    m->c = calloc(n, sizeof *m->c), m->ssum = calloc(n, sizeof *m->ssum), m->ssq = calloc(n, sizeof *m->ssq);
    m->diff = calloc(n * n, sizeof *m->diff), m->diff_t = calloc(n * n, sizeof *m->diff_t);
    m->weight = calloc(n, sizeof *m->weight), m->wclass = calloc(n, 1), m->R = calloc(n, sizeof *m->R), m->rhi = calloc(n * n, sizeof *m->rhi);
    m->target = calloc(n, sizeof *m->target), m->p_win = calloc(n, sizeof *m->p_win), m->gain = calloc(n, sizeof *m->gain);
    m->b = calloc(3 * n, sizeof *m->b), m->bpos = calloc(2 * n * 2 * d, sizeof *m->bpos);
    m->queue = calloc(n * slots, sizeof *m->queue), m->q_len = calloc(n, sizeof *m->q_len), m->chosen = calloc(n, sizeof *m->chosen);
    m->stalled = calloc(n, sizeof *m->stalled);
    m->bids = calloc(2 * n, sizeof *m->bids), m->bcol = calloc(2 * n, sizeof *m->bcol);
    m->skip_at = calloc(n + 1, sizeof *m->skip_at), m->skip = calloc(4 * n, sizeof *m->skip);
    m->butil = calloc(n * slots, sizeof *m->butil);
    m->workers = pm_parallel_workers(n);
    m->scratch = calloc(m->workers, sizeof *m->scratch);
    m->cand = calloc(m->workers, sizeof *m->cand);
    m->list = calloc(m->workers, sizeof *m->list), m->mask = calloc(m->workers, sizeof *m->mask);
    /* per worker: utilities n x slots, two slots x slots matrices, two vectors */
    m->scratch_len = n * slots + 2 * slots * slots + 2 * slots;
    if (!m->x || !m->nx || !m->s || !m->spow || !m->c || !m->ssum || !m->ssq || !m->diff || !m->diff_t || !m->weight || !m->wclass || !m->R || !m->rhi || !m->target ||
        !m->p_win || !m->gain || !m->b || !m->bpos || !m->queue || !m->q_len || !m->chosen || !m->stalled || !m->scratch || !m->cand || !m->list || !m->mask ||
        !m->bids || !m->bcol || !m->skip_at || !m->skip || !m->butil)
        return false;
    for (size_t w = 0; w < m->workers; w++)
        if (!(m->scratch[w] = malloc(m->scratch_len * sizeof(double))) || !(m->cand[w] = malloc(n * sizeof **m->cand)) ||
            !(m->list[w] = malloc(slots * sizeof **m->list)) || !(m->mask[w] = calloc(slots, 1)))
            return false;
    for (size_t i = 0; i < n; i++) {
        /* One capability per actor: its effective capability on these issues (a capability file can set
         * it by date), averaged over its stances; else the actor's own. */
        double sum = 0, cap;
        size_t cnt = 0;
        for (size_t k = 0; k < d; k++)
            if (parley_stance(s, i, iss[k], NULL, NULL, &cap)) sum += cap, cnt++;
        m->c[i] = cnt ? sum / (double)cnt : parley_actor_capability(s, i);
        m->b[2 * n + i] = (bargain){i, i, NULL, NULL};
    }
    for (size_t k = 0; k < d; k++) {
        size_t is = iss[k];
        double lo = parley_issue_number(s, is, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, is, PARLEY_ISSUE_HIGH);
        double num = 0, den = 0;
        size_t absent = 0;
        for (size_t i = 0; i < n; i++) {
            double pos, sal, cap;
            if (!parley_stance(s, i, is, &pos, &sal, &cap)) {
                absent++;
                continue;
            }
            m->x[i * d + k] = hi > lo ? (pos - lo) / (hi - lo) : 0;
            m->s[i * d + k] = sal;
            num += m->x[i * d + k] * sal * m->c[i], den += sal * m->c[i];
        }
        if (!absent) continue;
        double mean = den > 0 ? num / den : 0.5;
        for (size_t i = 0; i < n; i++)
            if (!parley_stance(s, i, is, NULL, NULL, NULL)) m->x[i * d + k] = mean;
        PWARN(err, NULL, 0, 0, parley_issue_id(s, is),
              "smp: %zu actor%s without a stance on this issue sit%s at its weighted mean with salience 0", absent,
              absent == 1 ? "" : "s", absent == 1 ? "s" : "");
    }
    size_t scaled = 0;
    for (size_t i = 0; i < n; i++) {
        double sum = 0;
        for (size_t k = 0; k < d; k++) sum += m->s[i * d + k];
        if (sum > 1) {
            /* Saliences are shares of one actor's attention across the dimensions. */
            for (size_t k = 0; k < d; k++) m->s[i * d + k] /= sum;
            scaled++;
        }
        double ssum = 0, ssq = 0;
        for (size_t k = 0; k < d; k++) ssum = ssum + m->s[i * d + k], ssq = ssq + m->s[i * d + k] * m->s[i * d + k];
        m->ssum[i] = ssum, m->ssq[i] = ssq;
        double e = (int)o->v[OPT_INTERP] == IB_S1P1 ? 1 : 2;
        for (size_t k = 0; k < d; k++) m->spow[i * d + k] = pow(m->s[i * d + k], e);
        m->weight[i] = ssum * m->c[i];
    }
    double wmax = 0;
    for (size_t i = 0; i < n; i++) wmax = m->weight[i] > wmax ? m->weight[i] : wmax;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = 0;
        for (double cut = wmax / 2; c + 1 < WEIGHT_CLASSES && !(m->weight[i] > cut); cut /= 2) c++;
        m->wclass[i] = c;
        m->wtop[c] = m->weight[i] > m->wtop[c] ? m->weight[i] : m->wtop[c];
    }
    if (scaled)
        PNOTE(err, NULL, 0, 0, "salience",
              "smp: the saliences of %zu actor%s sum to more than 1 over the issues and were divided by their sum", scaled,
              scaled == 1 ? "" : "s");
    return true;
}

static double to_scale(const parley_scenario *s, size_t issue, double v)
{
    double lo = parley_issue_number(s, issue, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, issue, PARLEY_ISSUE_HIGH);
    return lo + v * (hi - lo);
}

/* Records turn t: positions (and risk attitudes, and win probabilities when win is not NULL) on each
 * dimension. */
static parley_status emit_turn(const smp *m, const parley_scenario *s, pm_out *out, const size_t *iss, int t, double *buf,
                               const double *risk, const double *win)
{
    for (size_t k = 0; k < m->d; k++) {
        for (size_t i = 0; i < m->n; i++) {
            double pos;
            /* The input state as written (mapping to [0, 1] and back can change the last digit). */
            if (t == 0 && parley_stance(s, i, iss[k], &pos, NULL, NULL)) buf[i] = pos;
            else buf[i] = to_scale(s, iss[k], m->x[i * m->d + k]);
        }
        parley_status st = pm_round(out, iss[k], t, buf, risk);
        if (st == PARLEY_OK && win) st = pm_round_win(out, win);
        if (st != PARLEY_OK) return st;
    }
    return PARLEY_OK;
}

/* Records the turn's challenges: one entry per dimension, the offer being the receiver's bargained
 * coordinate, accepted when the receiver adopted it. A dimension on which either side has no stance
 * gets no entry: such an actor only sits at the issue's mean with salience 0, and a map saying it was
 * pressed there (or pressed someone) would report a stance the scenario never gave it. */
static parley_status emit_challenges(const smp *m, const parley_scenario *s, pm_out *out, const size_t *iss, int t)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->target[i] < 0) continue;
        size_t j = (size_t)m->target[i], id = 2 * i;
        bool accepted = m->chosen[j] == id || m->chosen[j] == id + 1;
        if (accepted && m->chosen[j] == id + 1) id++;
        for (size_t k = 0; k < m->d; k++) {
            if (!parley_stance(s, i, iss[k], NULL, NULL, NULL) || !parley_stance(s, j, iss[k], NULL, NULL, NULL)) continue;
            parley_status st = pm_challenge(out, iss[k], t, i, j, PARLEY_REGION_COMPROMISE,
                                            to_scale(s, iss[k], m->bpos[id * 2 * m->d + m->d + k]), accepted);
            if (st != PARLEY_OK) return st;
        }
    }
    return PARLEY_OK;
}

static parley_status run_group(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                               parley_error *err, const size_t *iss, size_t d)
{
    (void)rng; /* stochastic transitions seed one generator per actor and turn from the run's seed */
    smp m;
    parley_status st = PARLEY_OK;
    double *buf = NULL, *prob = NULL;
    if (!smp_init(&m, s, o, iss, d, err) || !(buf = malloc((m.n ? m.n : 1) * sizeof *buf)) ||
        !(prob = malloc((m.n ? m.n : 1) * sizeof *prob))) {
        st = PARLEY_E_NOMEM;
        goto done;
    }
    m.seed = pm_seed(out);
    int max_turns = (int)o->v[OPT_MAX_TURNS], min_turns = (int)o->v[OPT_MIN_TURNS];
    double ratio = o->v[OPT_STOP_RATIO], d1 = 0, dt = 0;
    int t = 0;
    const char *why = "the turn limit was reached";
    /* With details, every recorded turn carries its win probabilities, and the last turn's are the final
     * distribution. */
    bool history = pm_details(out), stalled = false;
    size_t best = 0, distinct = 0;
    assess(&m);
    if (history && !(distinct = distribution(&m, prob, &best, &stalled))) {
        st = PARLEY_E_NOMEM;
        goto done;
    }
    if ((st = emit_turn(&m, s, out, iss, 0, buf, m.R, history ? prob : NULL)) != PARLEY_OK) goto done;
    int last_shock = 0;
    for (size_t k = 0; k < d; k++) last_shock = last_shock > pm_last_shock(s, iss[k]) ? last_shock : pm_last_shock(s, iss[k]);
    for (t = 1; t <= max_turns; t++) {
        if (pm_cancelled(out)) {
            st = PARLEY_E_CANCELLED;
            goto done;
        }
        m.turn = t;
        /* Shocks of this turn move positions (and so ideals) before anyone challenges. */
        bool shocked = false;
        for (size_t k = 0; k < d && last_shock >= t; k++)
            for (size_t i = 0; i < m.n; i++) {
                double pos = to_scale(s, iss[k], m.x[i * d + k]);
                if (!pm_shock(s, t, i, iss[k], &pos)) continue;
                double lo = parley_issue_number(s, iss[k], PARLEY_ISSUE_LOW), hi = parley_issue_number(s, iss[k], PARLEY_ISSUE_HIGH);
                m.x[i * d + k] = hi > lo ? (pos - lo) / (hi - lo) : 0;
                shocked = true;
            }
        if (shocked) assess(&m);
        play_turn(&m);
        if (pm_details(out) && (st = emit_challenges(&m, s, out, iss, t)) != PARLEY_OK) goto done;
        dt = movement(&m, m.x, m.nx);
        if (t == 1) d1 = dt + 1e-4;
        double *tmp = m.x;
        m.x = m.nx, m.nx = tmp;
        assess(&m);
        if (history && !(distinct = distribution(&m, prob, &best, &stalled))) {
            st = PARLEY_E_NOMEM;
            goto done;
        }
        if ((st = emit_turn(&m, s, out, iss, t, buf, m.R, history ? prob : NULL)) != PARLEY_OK) goto done;
        if (t >= min_turns && t >= last_shock && dt / d1 < ratio) {
            why = "the actors settled";
            break;
        }
        if (t == max_turns) break;
    }
    if (t > max_turns) t = max_turns;
    if (!history && !(distinct = distribution(&m, prob, &best, &stalled))) {
        st = PARLEY_E_NOMEM;
        goto done;
    }
    m.pce_stalled |= stalled; /* the final election's; the earlier turns' only describe those turns */
    if (m.pce_stalled)
        PWARN(err, NULL, 0, 0, "pce", "smp: a Markov election stopped after %d iterations without converging",
              MAX_PCE_ITERATIONS);
    const char *holder = parley_actor_text(s, best, PARLEY_TEXT_NAME);
    if (!holder) holder = parley_actor_id(s, best);
    /* The group ends in one joint position, so its story is told once, on the group's first issue; the
     * others point there instead of repeating it. */
    char note[320];
    snprintf(note, sizeof note,
             "the most probable of %zu final position%s (win probability %.3g, held by %s); %d turn%s, stopped "
             "because %s (last turn moved %.3g%% of the first's)",
             distinct, distinct == 1 ? "" : "s", prob[best], holder, t, t == 1 ? "" : "s", why, d1 > 0 ? 100 * dt / d1 : 0.0);
    char *same = d > 1 ? pu_asprintf("part of the same joint final position as %s", parley_issue_id(s, iss[0])) : NULL;
    if (d > 1 && !same) st = PARLEY_E_NOMEM;
    for (size_t k = 0; k < d && st == PARLEY_OK; k++)
        st = pm_forecast(out, iss[k], to_scale(s, iss[k], m.x[best * d + k]), k == 0 ? note : same);
    free(same);
done:
    free(buf), free(prob);
    smp_free(&m);
    return st;
}

static parley_status smp_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out, parley_error *err)
{
    size_t actors = parley_scenario_actor_count(s);
    /* A scenario the model cannot run on is bad input (exit 2), not a failure of the program. */
    if (actors < 2)
        return PERR(err, PARLEY_E_INVALID, parley_scenario_source(s), 0, 0, "smp",
                    "expected 2 to %d actors (the spatial model needs someone to bargain with), found %zu", SMP_MAX_ACTORS,
                    actors);
    if (actors > SMP_MAX_ACTORS)
        return PERR(err, PARLEY_E_LIMIT, parley_scenario_source(s), 0, 0, "smp",
                    "expected 2 to %d actors, found %zu: exceeds the model's size limit", SMP_MAX_ACTORS, actors);
    return pm_for_each_group(s, o, rng, out, err, run_group);
}

/* KTAB's own range; larger runs (up to SMP_MAX_ACTORS) must be asked for by name: the model costs O(n^3)
 * a turn. */
static bool smp_suits(const parley_scenario *s)
{
    size_t n = parley_scenario_actor_count(s);
    return n >= 2 && n <= 250;
}

const struct parley_model pm_smp = {
    .name = "smp",
    .summary = "KTAB's spatial model of politics: challenges and bargains across all issues at once",
    .options = smp_options,
    .n_options = OPT_COUNT,
    .suits = smp_suits,
    .run = smp_run,
    .scope = PARLEY_SCOPE_GROUP,
    .records = PARLEY_RECORDS_ROUNDS | PARLEY_RECORDS_PRESSURE | PARLEY_RECORDS_DISTRIBUTIONS,
};
