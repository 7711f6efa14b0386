/* exchange.c - Stokman's equal-gain exchange model: actors trade ground on issues they care little about
 * for movement on issues they care about; with p > 0, the randomised variant (REX).
 *
 * Documentation: docs/models/exchange.md; the section numbers below are those of its "The method, section
 * by section". Positions are mapped to 0-100 internally (section 1) and back for output.
 *
 * The model's arithmetic is written once over a number type `num`. This file compiles it with `double`
 * (fast, the default); exchange_decimal.c compiles the same code again with 28-digit decimals
 * (`numerics=decimal`), the reference implementation's arithmetic, which reproduces its exact ties and
 * so its choices to the last trade. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/decimal.h"
#include "model.h"

enum { OPT_ROUNDS, OPT_P, OPT_REPETITIONS, OPT_TIE_EPSILON, OPT_NUMERICS, OPT_COUNT };
enum { NUMERICS_DOUBLE, NUMERICS_DECIMAL, NUMERICS_EXACT };

#define SALIENCE_WEIGHT 0.4
#define FIXED_WEIGHT 0.1
#define MIN_MOVE 1e-10

#ifdef EXCHANGE_DECIMAL
typedef pdec num;
#define RUN_GROUP pm_exchange_group_decimal

static inline num n_add(num a, num b) { return pd_add(a, b); }
static inline num n_sub(num a, num b) { return pd_sub(a, b); }
static inline num n_mul(num a, num b) { return pd_mul(a, b); }
static inline num n_div(num a, num b) { return pd_div(a, b); }
static inline num n_abs(num a) { return pd_abs(a); }
static inline num n_neg(num a) { return pd_neg(a); }
static inline int n_cmp(num a, num b) { return pd_cmp(a, b); }
static inline int n_sign(num a) { return pd_sign(a); }
static inline bool n_finite(num a) { (void)a; return true; }
static inline double n_dbl(num a) { return pd_to_double(a); }
/* A number of the scenario, read as the decimal it was written as (0.7, not the double nearest it). */
static inline num n_of(double d)
{
    pdec r;
    return pd_from_double(d, &r) ? r : pd_int(0);
}
/* The reference builds its weights from binary floats: Decimal(0.4) and Decimal(0.1) are these. */
static inline num n_salience_weight(void)
{
    pdec r;
    pd_parse("0.40000000000000002220446049250313080847263336181640625", &r);
    return r;
}
static inline num n_fixed_weight(void)
{
    pdec r;
    pd_parse("0.1000000000000000055511151231257827021181583404541015625", &r);
    return r;
}
/* Exact arithmetic needs no allowance for rounding: a difference is zero only when it is. */
static inline num snap(num d) { return d; }
#elif defined(EXCHANGE_EXACT)

/* numerics=exact: a double with a proven bound on its distance from the value the reference's 28-digit
 * decimal arithmetic computes for the same quantity (docs/models/exchange.md, "Exact at double speed").
 * Every operation adds the rounding of both arithmetics to the bounds of its operands; a comparison whose
 * operands' bounds overlap is ambiguous, and the candidate it belongs to is then computed in decimal. */
typedef struct bnum {
    double v, e; /* |v - decimal value| <= e */
    uint64_t id; /* 0, or the identity of the decimal value (odd: its negation): x - x is then exactly 0 */
} num;
#define RUN_GROUP pm_exchange_group_exact
#define XU 0x1p-53                   /* a double's rounding, relative */
#define XR (0x1p-53 + 1e-27)         /* one rounding of each arithmetic, relative */
#define XI (1 + 16 * 0x1p-53)        /* covers the roundings of the bound's own evaluation */
#define XTINY 1e-300                 /* covers underflow */

/* Set by a comparison the bounds cannot decide (per thread: Monte Carlo draws run in parallel). */
static _Thread_local bool xb_ambiguous;
static _Thread_local uint64_t xb_next_id = 2;

/* Whether v is a multiple of 2^-16 below 2^37: its exact decimal then has at most 28 digits, so a
 * decimal operation whose exact result it is does not round. */
static inline bool short_dec(double v)
{
    double t = v * 65536.0;
    return t == trunc(t) && fabs(t) < 9007199254740992.0;
}
static inline num bn_make(double v, double e) { return (num){v, e, 0}; }
static inline num n_neg(num a) { return (num){-a.v, a.e, a.id ? a.id ^ 1 : 0}; }
static inline num n_add(num a, num b)
{
    /* Adding an exact 0 returns the other operand unchanged in both arithmetics; a value and its own
     * negation cancel exactly. */
    if (b.v == 0 && b.e == 0) return a;
    if (a.v == 0 && a.e == 0) return b;
    if (a.id && (a.id ^ 1) == b.id) return bn_make(0, 0);
    double s = a.v + b.v;
    if (a.e == 0 && b.e == 0) {
        double bb = s - a.v, err = (a.v - (s - bb)) + (b.v - bb); /* TwoSum: the double's rounding error */
        if (err == 0 && short_dec(s)) return bn_make(s, 0);
    }
    return bn_make(s, ((a.e + b.e) * (1 + 1e-27) + XR * fabs(s) + XTINY) * XI);
}
static inline num n_sub(num a, num b) { return n_add(a, n_neg(b)); }
static inline num n_mul(num a, num b)
{
    double p = a.v * b.v;
    if (a.e == 0 && b.e == 0 && fma(a.v, b.v, -p) == 0 && short_dec(p)) return bn_make(p, 0);
    double prop = fabs(a.v) * b.e + fabs(b.v) * a.e + a.e * b.e;
    return bn_make(p, (prop * (1 + 1e-27) + XR * fabs(p) + XTINY) * XI);
}
static inline num n_div(num a, num b)
{
    if (b.v == 0 && b.e == 0) return bn_make(0, 0); /* as the decimal type: callers guard against it */
    double q = a.v / b.v, ab = fabs(b.v);
    if (!(b.e < ab)) return bn_make(q, INFINITY);
    if (a.e == 0 && b.e == 0 && fma(q, b.v, -a.v) == 0 && short_dec(q)) return bn_make(q, 0);
    double prop = (a.e * ab + fabs(a.v) * b.e) / (ab * ((ab - b.e) * (1 - XU)));
    return bn_make(q, (prop * (1 + 1e-27) + XR * fabs(q) + XTINY) * XI);
}
static inline num n_abs(num a)
{
    if (a.v >= 0 && (a.v > a.e || a.e == 0)) return a;
    if (a.v < 0 && (-a.v > a.e || a.e == 0)) return n_neg(a);
    return bn_make(fabs(a.v), a.e);
}
static inline int n_cmp(num a, num b)
{
    if (a.e == 0 && b.e == 0) return (a.v > b.v) - (a.v < b.v); /* both are their decimals exactly */
    double d = a.v - b.v;
    if (fabs(d) * (1 - 2 * XU) > (a.e + b.e) * XI) return (d > 0) - (d < 0);
    xb_ambiguous = true;
    return (d > 0) - (d < 0);
}
static inline int n_sign(num a) { return n_cmp(a, bn_make(0, 0)); }
static inline bool n_finite(num a) { return isfinite(a.v); }
static inline double n_dbl(num a) { return a.v; }
/* Returns a bound on |v - d| for the double v nearest to the decimal d: 0 when they are equal. */
static double conv_err(double v, pdec d)
{
    char buf[96];
    pdec x;
    snprintf(buf, sizeof buf, "%.60e", v);
    if (pd_parse(buf, &x) && pd_cmp(x, d) == 0) return 0;
    return fabs(v) * XU + XTINY;
}
static inline num n_of_dec(pdec d)
{
    double v = pd_to_double(d);
    num r = bn_make(v, conv_err(v, d));
    if (r.e > 0) r.id = xb_next_id, xb_next_id += 2; /* a value of its own: known to equal itself */
    return r;
}
/* A number of the scenario, as the decimal side reads it (the decimal it was written as). */
static inline num n_of(double d)
{
    pdec r;
    if (!pd_from_double(d, &r)) return bn_make(d, INFINITY);
    return bn_make(d, conv_err(d, r));
}
static inline num n_salience_weight(void) { return bn_make(SALIENCE_WEIGHT, 0); } /* Decimal(0.4) is this double */
static inline num n_fixed_weight(void) { return bn_make(FIXED_WEIGHT, 0); }
static inline num snap(num d) { return d; }
#else
typedef double num;
#define RUN_GROUP run_group_double

static inline num n_add(num a, num b) { return a + b; }
static inline num n_sub(num a, num b) { return a - b; }
static inline num n_mul(num a, num b) { return a * b; }
static inline num n_div(num a, num b) { return a / b; }
static inline num n_abs(num a) { return fabs(a); }
static inline num n_neg(num a) { return -a; }
static inline int n_cmp(num a, num b) { return (a > b) - (a < b); }
static inline int n_sign(num a) { return (a > 0) - (a < 0); }
static inline bool n_finite(num a) { return isfinite(a); }
static inline double n_dbl(num a) { return a; }
static inline num n_of(double d) { return d; }
static inline num n_salience_weight(void) { return SALIENCE_WEIGHT; }
static inline num n_fixed_weight(void) { return FIXED_WEIGHT; }
/* The reference computes in 28-digit decimals, where a guard that lands the outcome exactly on a position
 * makes a later comparison an exact tie; in double it is off by a rounding error. Differences this small
 * (on the 0-100 internal scale) count as zero. */
#define SCALE_EPS 1e-9
static inline num snap(num d) { return fabs(d) <= SCALE_EPS ? 0 : d; }
#endif

/* Runs the model on one set of issues that can be traded against each other, in one arithmetic. */
parley_status pm_exchange_group_decimal(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                        const size_t *iss, size_t k);
parley_status pm_exchange_group_exact(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                      const size_t *iss, size_t k);

/* ---- the decimal side of numerics=exact: exchange_decimal.c answers what the bounds leave open ----
 * A decimal run `d` holds the round's positions and outcomes in decimal and builds, on request, a
 * candidate's decimal twin (its "shadow"), which then follows the same recalculations. Indices are those
 * of the decimal run's own candidates. */
void *pmx_new(const parley_scenario *s, const pm_options *o, const size_t *iss, size_t k);
void pmx_free(void *d);
/* Starts round t (shocks, outcomes) and forgets the last round's candidates. */
void pmx_round(void *d, int t);
/* The round-start position of actor a on issue i, the issue's D and O: as decimals. */
struct pdec pmx_x(const void *d, size_t a, size_t i);
struct pdec pmx_D(const void *d, size_t i);
struct pdec pmx_O(const void *d, size_t i);
/* Whether a's position on i is left of (or at) the outcome; whether b, not a, is I of the pair (p, q). */
bool pmx_left(const void *d, size_t a, size_t i);
bool pmx_b_is_i(const void *d, size_t a, size_t b, size_t p, size_t q);
/* Builds candidate (a, b) on (p, q) as the round's start builds it; returns its index (SIZE_MAX: out of
 * memory). */
size_t pmx_make(void *d, size_t a, size_t b, size_t p, size_t q, int group);
/* Builds candidate (a, b) on (p, q) with the given supply positions of I and J and update map, and
 * calculates it as valid: an executed candidate, whose moves and votes are then the reference's. */
size_t pmx_eval(void *d, size_t a, size_t b, size_t p, size_t q, int group, struct pdec xs_i, struct pdec xs_j, size_t nu,
                const size_t *issue, const size_t *actor, const struct pdec *pos);
/* The outcome of issue i with the update entries (actor[u] at pos[u]) applied, then actor a at v: the
 * guard's o0 (section 4.6). */
struct pdec pmx_outcome(const void *d, size_t i, size_t a, struct pdec v, size_t nu, const size_t *actor,
                        const struct pdec *pos);
/* recalculate(x, e) (section 6) on decimal candidates. */
void pmx_recalc(void *d, size_t x, size_t e);
bool pmx_valid(const void *d, size_t x);
struct pdec pmx_gain(const void *d, size_t x);
/* The numbers of candidate x's side (0: I, 1: J): x_sup, y, move, start, then moves[0..n). Returns the
 * number of moves; fills at most cap of them. */
size_t pmx_side(const void *d, size_t x, int side, struct pdec *out4, struct pdec *moves, size_t cap);
/* Candidate x's rates rp, rq, and its update map (at most cap entries); returns the map's size. */
size_t pmx_state(const void *d, size_t x, struct pdec *rp, struct pdec *rq, size_t *issue, size_t *actor,
                 struct pdec *pos, size_t cap);
/* Ends the round with the executed candidates real[0..nr): votes, the voting outcome (vote: n x k, O: k,
 * as doubles) and the next round's positions. Returns false when out of memory. */
bool pmx_end_round(void *d, const size_t *real, size_t nr, double *vote, double *O);

/* ---- the state of one run ---- */

typedef struct upd {
    size_t issue, actor;
    num pos;
    size_t src;          /* exact: the executed side pos comes from (as side.src) */
} upd;

/* One side of a candidate exchange (section 3): the actor gives ground on `sup` and wants movement on
 * `dem`. */
typedef struct side {
    size_t actor, sup, dem;
    num x_sup, x_dem, start, y, move;
    num s_sup, s_dem, c_sup;
    num *moves;
    size_t n_moves, cap_moves;
    size_t src;          /* exact: where x_sup comes from (0: the round's start; else 2 e + side + 1 of an
                          * executed candidate e), so that equal inputs are known to be equal decimals */
} side;

typedef struct cand {
    side I, J;           /* I supplies q and demands p; J supplies p and demands q */
    size_t p, q;
    num gain, key;       /* key: the gain as ranked (in double, rounded so that ties keep list order) */
    bool valid, touched;
    int64_t label;       /* the candidate's place among equal keys in the list (section 5) */
    size_t hpos;         /* its position in the list's heap, SIZE_MAX when out of the list */
    int group;           /* 0: groups A and D traded; 1: B and C */
    num rp, rq;          /* the outcome shifts on p and on q (exchange rates) */
    upd *upd;            /* the update map (section 6) */
    size_t n_upd, cap_upd;
    /* numerics=exact: */
    size_t ma, mb;       /* the pair as built (before the roles), to build its decimal twin */
    size_t shadow;       /* the decimal twin's index in the decimal run, SIZE_MAX: none (yet) */
    size_t *log, n_log, cap_log; /* the executed candidates that recalculated it, in order */
    bool guarded;        /* the last calculation's guard cut a move back (the gain then depends on the map) */
    bool full_i;         /* ... had I move all the way (its gain then depends on I's x_sup, else on J's) */
    bool recalced;       /* the last recalculate() computed it again */
    bool has_dgain;      /* dgain holds the decimal gain of its present state */
    pdec dgain;
} cand;

/* An entry of the candidate list's heap: the candidate's rank (key, label) kept beside its index, so that
 * the heap's comparisons stay in its own memory. */
typedef struct hent {
    num key;
    int64_t label;
    size_t id;
} hent;

typedef struct xrun {
    const parley_scenario *s;
    const pm_options *o;
    size_t n, k;         /* actors, issues */
    const size_t *iss;   /* the scenario index of each issue (a batch runs one decision at a time) */
    num *x;              /* x[a * k + i]: current (round-start) position, 0-100 */
    bool *in;            /* in[a * k + i]: the actor takes part in the issue */
    num *sal, *cap;      /* salience and capability per actor and issue */
    double *lower, *factor; /* per issue: output = x / factor + lower (factor 0: every position is lower) */
    num *D, *O;          /* per issue: sum of s c, the outcome */
    long double *base;   /* double only: per issue, sum of x s c at the start of the round */
    num *term, *pre;     /* decimal only, per actor and issue: x s c, and the sum over the members before it */
    double *base_e, *base_abs; /* exact only, per issue: the bound on base, and the sum of |x s c| */
    size_t *members;     /* exact only, per issue: how many actors take part */
    void *dec;           /* exact only: the decimal run (pmx_*) */
    size_t cur_e;        /* exact only: the candidate being executed */
    size_t *prov;        /* exact only, 4 per moved candidate: its sources, guard and branch before the step */
    pdec *old_dgain;     /* exact only, per moved candidate: its decimal gain before the step */
    bool *old_dhas;
    size_t cap_prov, cap_dgain, cap_dhas;
    upd *old_upd;        /* exact only: the update maps of the moved candidates before the step */
    size_t *old_upd_at, n_old_upd, cap_old_upd, cap_old_upd_at;
    size_t *sorted, *slot; /* the recomputed candidates in list order; each one's place among them */
    signed char *change; /* per recomputed candidate (list order): how its key moved */
    num zero, one, hundred, min_move, salience_weight, fixed_weight;
    cand *c;
    size_t n_c, cap_c;
    hent *heap;                   /* the candidate list (section 5): a heap over (key, label) */
    size_t n_heap;
    size_t *aff, *moved, *scratch; /* the affected candidates, those recomputed, a sort buffer */
    num *old_key;                 /* per candidate: its key and label before this step */
    int64_t *old_label;
    size_t *sup_head, *dem_head;  /* per (actor, issue): the candidates where a side supplies / demands it */
    size_t *sup_list, *dem_list;
    bool assume_valid;   /* decimal side of exact: evaluating an executed candidate, valid by proof */
    double p;            /* REX strength */
    parley_rng *rng;     /* REX draws */
    bool oom;
} xrun;

static bool present(const xrun *r, size_t a, size_t i)
{
    return r->in[a * r->k + i];
}

/* ---- outcomes (section 2) ---- */

#ifdef EXCHANGE_EXACT
/* Returns a bound on |p s c (in decimal, rounded twice) - p s c (estimated in long double)|, given the
 * bounds of the factors: (|p|+ep)(|s|+es)(|c|+ec) - |p s c| expanded so that nothing cancels. */
static double term_err(num p, num sl, num c)
{
    double ap = fabs(p.v), as = fabs(sl.v), ac = fabs(c.v);
    return (p.e * (as + sl.e) * (ac + c.e) + ap * (sl.e * (ac + c.e) + as * c.e)) * XI;
}

/* The round's positions, D and O come from the decimal run; base is the start-of-round numerator in long
 * double with its bound: every term's, and a rounding per addition in both arithmetics. */
static void outcomes(xrun *r)
{
    for (size_t i = 0; i < r->k; i++) {
        for (size_t a = 0; a < r->n; a++)
            if (present(r, a, i)) r->x[a * r->k + i] = n_of_dec(pmx_x(r->dec, a, i));
        r->D[i] = n_of_dec(pmx_D(r->dec, i));
        r->O[i] = n_of_dec(pmx_O(r->dec, i));
        long double sum = 0;
        double err = 0, abs = 0;
        size_t m = 0;
        for (size_t a = 0; a < r->n; a++) {
            size_t at = a * r->k + i;
            if (!present(r, a, i)) continue;
            long double t = (long double)r->x[at].v * r->sal[at].v * r->cap[at].v;
            sum += t;
            err += term_err(r->x[at], r->sal[at], r->cap[at]);
            abs += fabs((double)t);
            m++;
        }
        r->base[i] = sum;
        r->base_e[i] = err * XI;
        r->base_abs[i] = abs * XI;
        r->members[i] = m;
    }
}
#else
static void outcomes(xrun *r)
{
    for (size_t i = 0; i < r->k; i++) {
        num d = r->zero;
#ifdef EXCHANGE_DECIMAL
        num sum = r->zero;
#else
        long double sum = 0;
#endif
        for (size_t a = 0; a < r->n; a++) {
            size_t at = a * r->k + i;
            if (!present(r, a, i)) continue;
            d = n_add(d, n_mul(r->sal[at], r->cap[at]));
#ifdef EXCHANGE_DECIMAL
            r->pre[at] = sum;
            r->term[at] = n_mul(n_mul(r->x[at], r->sal[at]), r->cap[at]);
            sum = n_add(sum, r->term[at]);
#else
            sum += (long double)r->x[at] * r->sal[at] * r->cap[at];
#endif
        }
        r->D[i] = d;
#ifdef EXCHANGE_DECIMAL
        r->O[i] = n_sign(d) == 0 ? r->zero : n_div(sum, d);
#else
        r->base[i] = sum;
        r->O[i] = d == 0 ? 0 : (double)(sum / d);
#endif
    }
}
#endif

/* Returns the numerator sum x s c of issue i with the candidate's update map applied and actor a at v.
 * map_wins: the update map overrides a's placement (the guard's numerator) rather than the reverse. */
static num numerator(const xrun *r, const cand *c, size_t i, size_t a, num v, bool map_wins)
{
    size_t k = r->k;
#ifdef EXCHANGE_DECIMAL
    /* The reference's sum over every member, in member order: its roundings, and so its exact ties. The
     * members before the first one the candidate moves add up as at the start of the round (pre), and the
     * others not moved bring their start-of-round terms: the same roundings, in fewer operations. */
    size_t first = a;
    for (size_t u = 0; u < c->n_upd; u++)
        if (c->upd[u].issue == i && c->upd[u].actor < first) first = c->upd[u].actor;
    num sum = r->pre[first * k + i];
    for (size_t b = first; b < r->n; b++) {
        if (!present(r, b, i)) continue;
        bool moved = b == a;
        num pos = b == a && map_wins ? v : r->x[b * k + i];
        for (size_t u = 0; u < c->n_upd; u++)
            if (c->upd[u].issue == i && c->upd[u].actor == b) pos = c->upd[u].pos, moved = true;
        if (b == a && !map_wins) pos = v;
        sum = n_add(sum, moved ? n_mul(n_mul(pos, r->sal[b * k + i]), r->cap[b * k + i]) : r->term[b * k + i]);
    }
    return sum;
#elif defined(EXCHANGE_EXACT)
    /* As in double, with the bound: the base's, each changed term's old and new, and a rounding per
     * addition in both arithmetics over every term the decimal sum adds (the reference sums them all). */
    long double sum = r->base[i];
    double err = r->base_e[i], abs = r->base_abs[i];
    size_t ops = r->members[i] + 2;
    bool a_in_map = false;
    for (size_t u = 0; u < c->n_upd; u++) {
        if (c->upd[u].issue != i) continue;
        size_t b = c->upd[u].actor, at = b * k + i;
        if (b == a) {
            a_in_map = true;
            if (!map_wins) continue;
        }
        long double nt = (long double)c->upd[u].pos.v * r->sal[at].v * r->cap[at].v;
        long double ot = (long double)r->x[at].v * r->sal[at].v * r->cap[at].v;
        sum += nt - ot;
        err += term_err(c->upd[u].pos, r->sal[at], r->cap[at]) + term_err(r->x[at], r->sal[at], r->cap[at]);
        abs += fabs((double)nt) + fabs((double)ot);
        ops += 2;
    }
    if (!(a_in_map && map_wins)) {
        size_t at = a * k + i;
        long double nt = (long double)v.v * r->sal[at].v * r->cap[at].v;
        long double ot = (long double)r->x[at].v * r->sal[at].v * r->cap[at].v;
        sum += nt - ot;
        err += term_err(v, r->sal[at], r->cap[at]) + term_err(r->x[at], r->sal[at], r->cap[at]);
        abs += fabs((double)nt) + fabs((double)ot);
        ops += 2;
    }
    double out = (double)sum;
    /* Each term rounds up to twice in decimal and three times in long double; each addition once. */
    double rounding = (double)(ops * 3) * (0x1p-63 + 1e-27) * abs * 2;
    return bn_make(out, (err + rounding + fabs(out) * XU + XTINY) * XI * XI);
#else
    /* The start-of-round sum plus the changes the candidate knows of, in extended precision: O(changes)
     * rather than O(actors), and as close to the reference's exact decimals as a full sum. */
    long double sum = r->base[i];
    bool a_in_map = false;
    for (size_t u = 0; u < c->n_upd; u++) {
        if (c->upd[u].issue != i) continue;
        size_t b = c->upd[u].actor;
        if (b == a) {
            a_in_map = true;
            if (!map_wins) continue;
        }
        sum += ((long double)c->upd[u].pos - r->x[b * k + i]) * r->sal[b * k + i] * r->cap[b * k + i];
    }
    if (!(a_in_map && map_wins)) sum += ((long double)v - r->x[a * k + i]) * r->sal[a * k + i] * r->cap[a * k + i];
    return (double)sum;
#endif
}

static num outcome_with(const xrun *r, const cand *c, size_t i, size_t a, num v)
{
    return n_sign(r->D[i]) == 0 ? r->zero : n_div(numerator(r, c, i, a, v, false), r->D[i]);
}

/* ---- one candidate (section 4) ---- */

static bool push_move(xrun *r, side *sd, num m)
{
    if (!pu_grow((void **)&sd->moves, &sd->cap_moves, sd->n_moves + 1, sizeof *sd->moves)) {
        r->oom = true;
        return false;
    }
    sd->moves[sd->n_moves++] = m;
    return true;
}

static void pop_move(side *sd)
{
    if (sd->n_moves) sd->n_moves--;
}

/* The validity of a side's move (section 4.5). */
static bool ok(const xrun *r, const side *sd, num m)
{
    num am = n_abs(m);
    if (n_cmp(am, r->hundred) > 0 || n_cmp(am, r->min_move) <= 0) return false;
    num to = n_add(sd->x_sup, m);
    if (n_sign(snap(to)) < 0 || n_sign(snap(n_sub(to, r->hundred))) > 0) return false;
    if (sd->n_moves == 0) return false;
    num sum = r->zero;
    int sign = n_sign(sd->moves[0]);
    bool same = sign != 0;
    for (size_t i = 0; i < sd->n_moves; i++) {
        sum = n_add(sum, sd->moves[i]);
        same = same && n_sign(sd->moves[i]) == sign;
    }
    if (n_sign(snap(n_sub(sum, r->hundred))) > 0) return false;
    return same;
}

static num gain_of(num r_dem, num s_sup, num r_sup, num s_dem)
{
    /* A side gains salience x shift on the issue it demands and loses salience x shift on the one it
     * supplies; written in the reference's order of operations. */
    return n_abs(n_sub(n_mul(r_dem, s_sup), n_mul(r_sup, s_dem)));
}

/* Returns m signed toward the partner: negative when the mover sits above the partner's position. */
static num toward(num m, num from, num to)
{
    return n_cmp(from, to) > 0 ? n_neg(m) : m;
}

#ifdef EXCHANGE_EXACT
static pdec source_value(const xrun *r, size_t src, size_t actor, size_t issue);

/* Returns the sign of t - o0 in the guard for side X with partner Y (section 4.6) in decimal: t is Y's
 * round-start position on X's supply issue, o0 that issue's outcome with the candidate's map and X at its
 * x_sup, all from the decimal values their sources stand for. */
static int exact_side(xrun *r, cand *c, const side *X, const side *Y)
{
    size_t k = X->sup, nu = 0;
    size_t *act = malloc((c->n_upd + 1) * sizeof *act);
    pdec *pos = malloc((c->n_upd + 1) * sizeof *pos);
    if (!act || !pos) {
        free(act), free(pos);
        r->oom = true;
        return 0;
    }
    for (size_t u = 0; u < c->n_upd; u++)
        if (c->upd[u].issue == k) act[nu] = c->upd[u].actor, pos[nu++] = source_value(r, c->upd[u].src, c->upd[u].actor, k);
    pdec o0 = pmx_outcome(r->dec, k, X->actor, source_value(r, X->src, X->actor, k), nu, act, pos);
    free(act), free(pos);
    return pd_sign(pd_sub(pmx_x(r->dec, Y->actor, k), o0));
}
#endif

/* The outcome-overshoot guard for side X with partner Y (section 4.6). */
static void guard(xrun *r, cand *c, side *X, side *Y)
{
    size_t k = X->sup;
    num t = Y->x_dem;
    num o0 = outcome_with(r, c, k, X->actor, X->x_sup), o1 = outcome_with(r, c, k, X->actor, X->y);
#ifdef EXCHANGE_EXACT
    /* The outcome before X moves often sits exactly on t (an executed guard put it there), and only the
     * decimals' last digit tells the side: computed directly from the decimal values of its inputs. */
    bool was = xb_ambiguous;
    xb_ambiguous = false;
    int d0 = n_sign(n_sub(t, o0));
    if (xb_ambiguous) d0 = exact_side(r, c, X, Y);
    xb_ambiguous = was;
    int d1 = n_sign(n_sub(t, o1));
#else
    int d0 = n_sign(snap(n_sub(t, o0))), d1 = n_sign(snap(n_sub(t, o1)));
#endif
    if ((d0 >= 0 && d1 >= 0) || (d0 <= 0 && d1 <= 0)) return;
    c->guarded = true;
    num sc = n_mul(X->s_sup, X->c_sup);
    num d = n_abs(n_div(n_sub(n_mul(t, r->D[k]), numerator(r, c, k, X->actor, X->x_sup, true)), sc));
    num rx = n_div(n_mul(n_mul(d, X->s_sup), X->c_sup), r->D[k]);
    num ry = n_mul(n_div(n_add(X->s_sup, Y->s_dem), n_add(X->s_dem, Y->s_sup)), rx);
    num my = toward(n_abs(n_div(n_mul(ry, r->D[Y->sup]), n_mul(Y->c_sup, Y->s_sup))), Y->x_sup, X->x_dem);
    num mx = toward(d, X->x_sup, Y->x_dem);
    pop_move(Y), pop_move(X);
    push_move(r, Y, my), push_move(r, X, mx);
    Y->move = my, X->move = mx;
    Y->y = n_add(Y->x_sup, my);
    X->y = n_add(X->x_sup, mx);
    /* X's frame: rx is the shift on X's supply issue, ry on Y's. */
    if (X == &c->J) c->rp = rx, c->rq = ry;
    else c->rq = rx, c->rp = ry;
    c->gain = gain_of(ry, Y->s_sup, rx, Y->s_dem);
}

static void randomise(xrun *r, cand *c);

static bool positive(num v)
{
    return n_sign(v) > 0;
}

/* (Re)computes the equal-gain exchange of a candidate from its sides' current supply positions. */
static void calculate(xrun *r, cand *c)
{
    side *I = &c->I, *J = &c->J;
    size_t p = J->sup, q = I->sup;
    num Dp = r->D[p], Dq = r->D[q];
    c->valid = false;
    c->guarded = false;
    c->full_i = false;
    if (!positive(Dp) || !positive(Dq) || !positive(n_mul(I->c_sup, I->s_sup)) || !positive(n_mul(J->c_sup, J->s_sup)) ||
        !positive(n_add(J->s_dem, I->s_sup)) || !positive(n_add(I->s_dem, J->s_sup))) {
        /* Keep the moves lists in step with the reference even for an exchange that cannot happen. */
        push_move(r, I, r->zero), push_move(r, J, r->zero);
        I->y = I->x_sup, J->y = J->x_sup;
        c->gain = r->zero;
        return;
    }
    /* 1. J moves all the way to I's position on p. */
    num full_j = n_abs(n_sub(I->x_dem, J->x_sup)), full_i = n_abs(n_sub(J->x_dem, I->x_sup));
    num rp = n_div(n_mul(n_mul(full_j, J->s_sup), J->c_sup), Dp);
    num rq = n_mul(n_div(n_add(J->s_sup, I->s_dem), n_add(J->s_dem, I->s_sup)), rp);
    num mi = n_div(n_mul(rq, Dq), n_mul(I->c_sup, I->s_sup)), mj = full_j;
    /* 2. Unless I would then pass J on q: then I moves all the way. */
    if (n_cmp(n_abs(mi), full_i) > 0) {
        c->full_i = true;
        rq = n_div(n_mul(n_mul(full_i, I->s_sup), I->c_sup), Dq);
        rp = n_mul(n_div(n_add(I->s_sup, J->s_dem), n_add(I->s_dem, J->s_sup)), rq);
        mi = full_i;
        mj = n_div(n_mul(rp, Dp), n_mul(J->c_sup, J->s_sup));
    }
    /* 3. Each moves toward its partner. */
    mi = toward(mi, I->x_sup, J->x_dem);
    mj = toward(mj, J->x_sup, I->x_dem);
    push_move(r, I, mi), push_move(r, J, mj);
    I->move = mi, J->move = mj;
    I->y = n_add(I->x_sup, mi);
    J->y = n_add(J->x_sup, mj);
    c->rp = rp, c->rq = rq;
    /* 4. The gain, the same for both by construction. */
    c->gain = gain_of(rq, I->s_sup, rp, I->s_dem);
    /* 5. Validity. */
    c->valid = r->assume_valid || (ok(r, I, mi) && ok(r, J, mj) && n_cmp(c->gain, r->min_move) >= 0);
    if (!c->valid) return;
    /* 6. The outcome must not pass the partner's position. */
    guard(r, c, I, J);
    guard(r, c, J, I);
    c->valid = r->assume_valid || (ok(r, I, I->move) && ok(r, J, J->move));
    if (c->valid && r->p > 0) randomise(r, c);
}

/* ---- REX: randomised terms of trade (section 8) ---- */

/* Sets side F's supply move to m (signed toward its partner) and recomputes its vote. */
static void set_move(xrun *r, side *F, num m)
{
    pop_move(F);
    push_move(r, F, m);
    F->move = m;
    F->y = n_add(F->x_sup, m);
}

static void randomise(xrun *r, cand *c)
{
    side *I = &c->I, *J = &c->J;
    double u = parley_rng_uniform(r->rng), v = parley_rng_uniform(r->rng), z = parley_rng_uniform(r->rng);
    num G = c->gain;
    /* The outcome shifts if each moved fully, measured with the candidate's update map. */
    num dp = n_abs(n_sub(outcome_with(r, c, J->sup, J->actor, I->x_dem), outcome_with(r, c, J->sup, J->actor, J->x_sup)));
    num dq = n_abs(n_sub(outcome_with(r, c, I->sup, I->actor, J->x_dem), outcome_with(r, c, I->sup, I->actor, I->x_sup)));
    num sIp = I->s_dem, sIq = I->s_sup, sJp = J->s_sup, sJq = J->s_dem;
    num gmax_i, gmax_j;
    if (n_cmp(n_mul(dp, sIp), n_mul(dq, sJq)) > 0) { /* q binds */
        gmax_i = n_mul(dq, n_sub(n_div(n_mul(sJq, sIp), sJp), sIq));
        gmax_j = n_mul(dq, n_sub(sJq, n_div(n_mul(sIq, sJp), sIp)));
    } else { /* p binds */
        gmax_j = n_mul(dp, n_sub(n_div(n_mul(sIp, sJq), sIq), sJp));
        gmax_i = n_mul(dp, n_sub(sIp, n_div(n_mul(sJp, sIq), sJq)));
    }
    bool focal_i = u < 0.5;
    side *F = focal_i ? I : J, *O = focal_i ? J : I;
    num gmax = focal_i ? gmax_i : gmax_j, pz = n_of(r->p * z);
    num gf = v < 0.5 ? n_add(G, n_mul(pz, n_sub(gmax, G))) : n_sub(G, n_mul(pz, G));
    if (!n_finite(gf) || n_sign(gf) < 0) return; /* keep the equal-gain terms */
    /* F moves fully on its supply issue; the partner's shift gives F exactly gf. */
    num full_f = n_abs(n_sub(O->x_dem, F->x_sup));
    num rf = n_div(n_mul(n_mul(full_f, F->s_sup), F->c_sup), r->D[F->sup]);
    num ro = n_div(n_add(gf, n_mul(rf, F->s_sup)), F->s_dem);
    num mo = n_div(n_mul(ro, r->D[O->sup]), n_mul(O->c_sup, O->s_sup)), mf = full_f;
    num full_o = n_abs(n_sub(F->x_dem, O->x_sup));
    if (n_cmp(mo, full_o) > 0) { /* the partner would pass F: cap it, and solve F's shift */
        mo = full_o;
        ro = n_div(n_mul(n_mul(mo, O->s_sup), O->c_sup), r->D[O->sup]);
        rf = n_abs(n_div(n_sub(gf, n_mul(ro, F->s_dem)), F->s_sup));
        mf = n_div(n_mul(rf, r->D[F->sup]), n_mul(F->c_sup, F->s_sup));
    }
    set_move(r, F, toward(mf, F->x_sup, O->x_dem));
    set_move(r, O, toward(mo, O->x_sup, F->x_dem));
    /* The outcome must still not pass either partner. */
    guard(r, c, F, O);
    guard(r, c, O, F);
    if (!n_finite(I->y) || !n_finite(J->y)) {
        c->valid = false;
        return;
    }
    c->valid = ok(r, I, I->move) && ok(r, J, J->move);
    /* The list order stays that of the equal-gain value G: only the terms of trade change. */
    c->gain = G;
}

#ifdef EXCHANGE_EXACT
/* ---- numerics=exact: the decimal twins ---- */

/* Takes validity and gain from x's decimal twin, which decides for it from now on. */
static void take_shadow(xrun *r, cand *x)
{
    x->valid = pmx_valid(r->dec, x->shadow);
    x->gain = x->key = n_of_dec(pmx_gain(r->dec, x->shadow));
}

/* Builds x's decimal twin as the round's start built x, then replays the recalculations in x's log (each
 * by an executed candidate, whose twin exists). */
static void materialize(xrun *r, cand *x)
{
    if (x->shadow != SIZE_MAX || r->oom) return;
    size_t tw = pmx_make(r->dec, x->ma, x->mb, x->p, x->q, x->group);
    if (tw == SIZE_MAX) {
        r->oom = true;
        return;
    }
    for (size_t u = 0; u < x->n_log; u++) pmx_recalc(r->dec, tw, r->c[x->log[u]].shadow);
    x->shadow = tw;
    take_shadow(r, x);
}

/* The decimal value a source stands for (side.src, upd.src): a round-start position or the vote of an
 * executed candidate's side. */
static pdec source_value(const xrun *r, size_t src, size_t actor, size_t issue)
{
    if (src == 0) return pmx_x(r->dec, actor, issue);
    pdec four[4];
    pmx_side(r->dec, r->c[(src - 1) / 2].shadow, (int)((src - 1) % 2), four, NULL, 0);
    return four[1];
}

/* Returns the index of a decimal twin of x evaluated once as valid from the decimal values its inputs
 * stand for: x_sup from the sources src_i and src_j, the update map m[0..nu). SIZE_MAX: out of memory. */
static size_t eval_with(xrun *r, const cand *x, size_t src_i, size_t src_j, const upd *m, size_t nu)
{
    size_t *iss = malloc((nu + 1) * sizeof *iss), *act = malloc((nu + 1) * sizeof *act);
    pdec *pos = malloc((nu + 1) * sizeof *pos);
    size_t tw = SIZE_MAX;
    if (iss && act && pos) {
        for (size_t u = 0; u < nu; u++)
            iss[u] = m[u].issue, act[u] = m[u].actor, pos[u] = source_value(r, m[u].src, act[u], iss[u]);
        tw = pmx_eval(r->dec, x->ma, x->mb, x->p, x->q, x->group, source_value(r, src_i, x->I.actor, x->I.sup),
                      source_value(r, src_j, x->J.actor, x->J.sup), nu, iss, act, pos);
    }
    free(iss), free(act), free(pos);
    if (tw == SIZE_MAX) r->oom = true;
    return tw;
}

/* Returns the decimal gain of x, a candidate in the list (so valid, and its path through section 4 passes
 * every check): its twin's, or one evaluated once from its inputs (and kept until it changes). */
static pdec decimal_gain(xrun *r, cand *x)
{
    if (x->shadow != SIZE_MAX) return pmx_gain(r->dec, x->shadow);
    if (!x->has_dgain) {
        size_t tw = eval_with(r, x, x->I.src, x->J.src, x->upd, x->n_upd);
        if (tw == SIZE_MAX) return pd_int(0);
        x->dgain = pmx_gain(r->dec, tw), x->has_dgain = true;
    }
    return x->dgain;
}

/* Gives an executed candidate without a twin one, evaluated once from the decimal values its inputs stand
 * for (no replay: it is valid, so its path through section 4 is known to pass every check), and takes its
 * votes, moves and gain. */
static void evaluate_executed(xrun *r, cand *x)
{
    size_t tw = eval_with(r, x, x->I.src, x->J.src, x->upd, x->n_upd);
    if (tw == SIZE_MAX) return;
    x->shadow = tw;
    side *sd[2] = {&x->I, &x->J};
    pdec four[4];
    for (int t = 0; t < 2; t++) {
        pmx_side(r->dec, tw, t, four, NULL, 0);
        sd[t]->y = n_of_dec(four[1]), sd[t]->move = n_of_dec(four[2]);
        if (sd[t]->n_moves) sd[t]->moves[sd[t]->n_moves - 1] = sd[t]->move;
    }
    x->gain = x->key = n_of_dec(pmx_gain(r->dec, tw));
}

/* Copies x's twin's every number into x: an executed candidate, whose votes and moves others take up. */
static void adopt_shadow(xrun *r, cand *x)
{
    if (x->shadow == SIZE_MAX) return;
    side *sd[2] = {&x->I, &x->J};
    pdec four[4], *buf = NULL;
    size_t cap = 0;
    for (int t = 0; t < 2 && !r->oom; t++) {
        size_t nm = pmx_side(r->dec, x->shadow, t, four, NULL, 0);
        if (!pu_grow((void **)&buf, &cap, nm + 1, sizeof *buf)) {
            r->oom = true;
            break;
        }
        pmx_side(r->dec, x->shadow, t, four, buf, nm);
        sd[t]->x_sup = n_of_dec(four[0]), sd[t]->y = n_of_dec(four[1]);
        sd[t]->move = n_of_dec(four[2]), sd[t]->start = n_of_dec(four[3]);
        sd[t]->n_moves = 0;
        for (size_t u = 0; u < nm; u++) push_move(r, sd[t], n_of_dec(buf[u]));
    }
    pdec rp, rq;
    size_t nu = pmx_state(r->dec, x->shadow, &rp, &rq, NULL, NULL, NULL, 0);
    size_t *iss = malloc((nu + 1) * sizeof *iss), *act = malloc((nu + 1) * sizeof *act);
    if (!r->oom && pu_grow((void **)&buf, &cap, nu + 1, sizeof *buf) && iss && act &&
        pu_grow((void **)&x->upd, &x->cap_upd, nu + 1, sizeof *x->upd)) {
        pmx_state(r->dec, x->shadow, &rp, &rq, iss, act, buf, nu);
        for (size_t u = 0; u < nu; u++) x->upd[u] = (upd){iss[u], act[u], n_of_dec(buf[u]), SIZE_MAX};
        x->n_upd = nu;
        x->rp = n_of_dec(rp), x->rq = n_of_dec(rq);
    } else {
        r->oom = true;
    }
    free(iss), free(act), free(buf);
    take_shadow(r, x);
}
#endif

/* ---- the candidate list (section 3) ---- */

static num sort_key(num g, double eps)
{
#if defined(EXCHANGE_DECIMAL) || defined(EXCHANGE_EXACT)
    /* Exact: the reference ranks by its decimal gains, and equal ones keep list order. */
    (void)eps;
    return g;
#else
    /* Gains that agree to eps (relative) sort as equal: rounding to a grid of relative size eps keeps the
     * order a strict weak order, so ties keep list order as in the reference's exact arithmetic. */
    if (!(g > 0) || eps <= 0) return g;
    int e;
    frexp(g, &e);
    double quantum = ldexp(1, e) * eps;
    return round(g / quantum) * quantum;
#endif
}

static void side_init(const xrun *r, side *sd, size_t a, size_t sup, size_t dem)
{
    size_t k = r->k;
    *sd = (side){a, sup, dem, r->x[a * k + sup], r->x[a * k + dem], r->x[a * k + sup], r->x[a * k + sup], r->zero,
                 r->sal[a * k + sup], r->sal[a * k + dem], r->cap[a * k + sup], NULL, 0, 0, 0};
}

static void add_candidate(xrun *r, size_t a, size_t b, size_t p, size_t q, int group)
{
    if (!pu_grow((void **)&r->c, &r->cap_c, r->n_c + 1, sizeof *r->c)) {
        r->oom = true;
        return;
    }
    size_t k = r->k;
    cand *c = &r->c[r->n_c++];
    memset(c, 0, sizeof *c);
    c->p = p, c->q = q, c->group = group;
    /* I is the actor that values p more relative to q (cross-multiplied: no division by a zero salience);
     * on equal ratios, the actor from group A or B. */
    num ap = r->sal[a * k + p], aq = r->sal[a * k + q], bp = r->sal[b * k + p], bq = r->sal[b * k + q];
#ifdef EXCHANGE_EXACT
    xb_ambiguous = false;
#endif
    bool b_is_i = n_cmp(n_mul(ap, bq), n_mul(bp, aq)) < 0;
#ifdef EXCHANGE_EXACT
    if (xb_ambiguous) b_is_i = pmx_b_is_i(r->dec, a, b, p, q);
    c->ma = a, c->mb = b, c->shadow = SIZE_MAX;
    xb_ambiguous = false;
#endif
    size_t i = b_is_i ? b : a, j = b_is_i ? a : b;
    side_init(r, &c->I, i, q, p);
    side_init(r, &c->J, j, p, q);
    calculate(r, c);
    c->key = sort_key(c->gain, r->o->v[OPT_TIE_EPSILON]);
#ifdef EXCHANGE_EXACT
    if (xb_ambiguous) materialize(r, c);
#endif
}

static void free_candidates(xrun *r)
{
    for (size_t i = 0; i < r->n_c; i++) free(r->c[i].I.moves), free(r->c[i].J.moves), free(r->c[i].upd), free(r->c[i].log);
    r->n_c = 0;
}

/* Returns the group of actor a on issues p and q (section 3): A 0, B 1, C 2, D 3; ties count as left. */
#ifdef EXCHANGE_EXACT
static bool is_left(const xrun *r, size_t a, size_t i)
{
    xb_ambiguous = false;
    bool left = n_cmp(r->x[a * r->k + i], r->O[i]) <= 0;
    return xb_ambiguous ? pmx_left(r->dec, a, i) : left;
}
#else
static bool is_left(const xrun *r, size_t a, size_t i)
{
    return n_cmp(r->x[a * r->k + i], r->O[i]) <= 0;
}
#endif

static int group_of(const xrun *r, size_t a, size_t p, size_t q)
{
    return is_left(r, a, p) + 2 * is_left(r, a, q);
}

static void build_candidates(xrun *r)
{
    size_t n = r->n, k = r->k;
    size_t *g[4];
    size_t ng[4];
    for (int t = 0; t < 4; t++) g[t] = malloc((n ? n : 1) * sizeof(size_t));
    if (!g[0] || !g[1] || !g[2] || !g[3]) r->oom = true;
    for (size_t p = 0; p < k && !r->oom; p++)
        for (size_t q = p + 1; q < k && !r->oom; q++) {
            ng[0] = ng[1] = ng[2] = ng[3] = 0;
            for (size_t a = 0; a < n; a++) {
                if (!present(r, a, p) || !present(r, a, q)) continue;
                int t = group_of(r, a, p, q);
                g[t][ng[t]++] = a;
            }
            for (size_t x = 0; x < ng[0]; x++)
                for (size_t y = 0; y < ng[3]; y++) add_candidate(r, g[0][x], g[3][y], p, q, 0);
            for (size_t x = 0; x < ng[1]; x++)
                for (size_t y = 0; y < ng[2]; y++) add_candidate(r, g[1][x], g[2][y], p, q, 1);
        }
    for (int t = 0; t < 4; t++) free(g[t]);
}
/* Indexes the candidates by the (actor, issue) roles of their sides, so that an executed exchange
 * revisits only the candidates it can change. */
static bool build_index(xrun *r)
{
    size_t roles = r->n * r->k;
    free(r->sup_head), free(r->dem_head), free(r->sup_list), free(r->dem_list);
    r->sup_head = calloc(roles + 1, sizeof(size_t));
    r->dem_head = calloc(roles + 1, sizeof(size_t));
    r->sup_list = malloc((2 * r->n_c + 1) * sizeof(size_t));
    r->dem_list = malloc((2 * r->n_c + 1) * sizeof(size_t));
    if (!r->sup_head || !r->dem_head || !r->sup_list || !r->dem_list) return false;
    for (size_t i = 0; i < r->n_c; i++) {
        const cand *c = &r->c[i];
        r->sup_head[c->I.actor * r->k + c->I.sup + 1]++, r->sup_head[c->J.actor * r->k + c->J.sup + 1]++;
        r->dem_head[c->I.actor * r->k + c->I.dem + 1]++, r->dem_head[c->J.actor * r->k + c->J.dem + 1]++;
    }
    for (size_t i = 0; i < roles; i++) r->sup_head[i + 1] += r->sup_head[i], r->dem_head[i + 1] += r->dem_head[i];
    size_t *sfill = malloc((roles + 1) * sizeof(size_t)), *dfill = malloc((roles + 1) * sizeof(size_t));
    if (!sfill || !dfill) {
        free(sfill), free(dfill);
        return false;
    }
    memcpy(sfill, r->sup_head, (roles + 1) * sizeof(size_t));
    memcpy(dfill, r->dem_head, (roles + 1) * sizeof(size_t));
    for (size_t i = 0; i < r->n_c; i++) {
        const cand *c = &r->c[i];
        r->sup_list[sfill[c->I.actor * r->k + c->I.sup]++] = i;
        r->sup_list[sfill[c->J.actor * r->k + c->J.sup]++] = i;
        r->dem_list[dfill[c->I.actor * r->k + c->I.dem]++] = i;
        r->dem_list[dfill[c->J.actor * r->k + c->J.dem]++] = i;
    }
    free(sfill), free(dfill);
    return true;
}

/* ---- after an exchange is executed (section 6) ---- */

static bool same_role(const side *a, const side *b, bool supply)
{
    return a->actor == b->actor && (supply ? a->sup == b->sup : a->dem == b->dem);
}

static void record_update(xrun *r, cand *c, size_t issue, const side *mover, size_t src)
{
    for (size_t u = 0; u < c->n_upd; u++) {
        if (c->upd[u].issue != issue || c->upd[u].actor != mover->actor) continue;
        num old = c->upd[u].pos;
        bool down = n_cmp(mover->start, old) <= 0;
        if (down ? n_cmp(mover->y, old) < 0 : n_cmp(mover->y, old) > 0) c->upd[u].pos = mover->y, c->upd[u].src = src;
        return;
    }
    if (!pu_grow((void **)&c->upd, &c->cap_upd, c->n_upd + 1, sizeof *c->upd)) {
        r->oom = true;
        return;
    }
    c->upd[c->n_upd++] = (upd){issue, mover->actor, mover->y, src};
}
static void recalculate(xrun *r, cand *x, const cand *e)
{
    bool re = false;
#ifdef EXCHANGE_EXACT
    /* The log lets the decimal twin be built later by replaying; a twin that exists follows at once, and
     * then decides. */
    if (!pu_grow((void **)&x->log, &x->cap_log, x->n_log + 1, sizeof *x->log)) {
        r->oom = true;
        return;
    }
    x->log[x->n_log++] = r->cur_e;
    x->recalced = true;
    if (x->shadow != SIZE_MAX) {
        pmx_recalc(r->dec, x->shadow, e->shadow);
        take_shadow(r, x);
        return;
    }
    xb_ambiguous = false;
#endif
    side *sides[2] = {&x->I, &x->J};
    for (int t = 0; t < 2; t++) {
        side *S = sides[t];
        const side *T = same_role(S, &e->I, true) ? &e->I : same_role(S, &e->J, true) ? &e->J : NULL;
        if (!T) continue;
        S->x_sup = T->y;
        S->src = 2 * (size_t)(e - r->c) + (T == &e->J) + 1;
        push_move(r, S, T->n_moves ? T->moves[T->n_moves - 1] : r->zero);
        re = true;
    }
    if (re) pop_move(&x->I), pop_move(&x->J);
    /* The demander's partner moved: remember where, for this candidate's view of the outcome. */
    const side *demanders[2] = {&e->J, &e->I}, *movers[2] = {&e->I, &e->J};
    for (int t = 0; t < 2; t++) {
        const side *dm = demanders[t];
        if (!same_role(dm, &x->J, false) && !same_role(dm, &x->I, false)) continue;
        record_update(r, x, dm->dem, movers[t], 2 * (size_t)(e - r->c) + (size_t)t + 1);
        if (!re) {
            pop_move(&x->I), pop_move(&x->J);
            re = true;
        }
    }
    if (re) {
        calculate(r, x);
        x->key = sort_key(x->gain, r->o->v[OPT_TIE_EPSILON]);
    }
    x->recalced = re;
#ifdef EXCHANGE_EXACT
    if (xb_ambiguous) materialize(r, x);
#endif
}

/* Collects the candidates that share a role with e into r->aff (marking them touched); returns how many. */
static size_t affected(xrun *r, const cand *e)
{
    size_t n = 0;
    const side *sd[2] = {&e->I, &e->J};
    for (int t = 0; t < 2; t++) {
        size_t role = sd[t]->actor * r->k + sd[t]->sup;
        for (size_t u = r->sup_head[role]; u < r->sup_head[role + 1]; u++) {
            cand *c = &r->c[r->sup_list[u]];
            if (!c->touched) c->touched = true, r->aff[n++] = r->sup_list[u];
        }
        role = sd[t]->actor * r->k + sd[t]->dem;
        for (size_t u = r->dem_head[role]; u < r->dem_head[role + 1]; u++) {
            cand *c = &r->c[r->dem_list[u]];
            if (!c->touched) c->touched = true, r->aff[n++] = r->dem_list[u];
        }
    }
    return n;
}

/* ---- one round (sections 5 and 7) ---- */

/* The reference keeps one list, stable-sorted by gain after every executed trade, so equal gains keep
 * their order from the list before. parley keeps the same order without re-sorting: every candidate in the
 * list has a label, and the list order is (key descending, label ascending); labels change only for the
 * candidates a trade recomputed. A recomputed candidate whose key fell lands in its new class of equal keys
 * ahead of every candidate already there (it stood ahead of them before), one whose key rose lands behind
 * them, and one whose key is unchanged keeps its label; among themselves, the recomputed candidates keep
 * their previous order. Fresh labels below (or above) every label yet given do exactly that. The list is
 * an indexed binary heap over this order, so a trade costs O(recomputed x log candidates), not O(list). */

/* Returns whether the candidate b, ranked (kb, lb), comes before a, ranked (ka, la). In numerics=exact,
 * keys the bounds cannot tell apart are compared as the decimal twins' gains. */
static bool before(xrun *r, num kb, int64_t lb, size_t b, num ka, int64_t la, size_t a)
{
#ifdef EXCHANGE_EXACT
    xb_ambiguous = false;
    int c = n_cmp(kb, ka);
    if (xb_ambiguous) {
        c = pd_cmp(decimal_gain(r, &r->c[b]), decimal_gain(r, &r->c[a]));
    }
#else
    (void)r, (void)a, (void)b;
    int c = n_cmp(kb, ka);
#endif
    return c > 0 || (c == 0 && lb < la);
}

/* Returns whether entry b comes before a in the list. */
static bool ranks_before(xrun *r, const hent *b, const hent *a)
{
    return before(r, b->key, b->label, b->id, a->key, a->label, a->id);
}

static void heap_set(xrun *r, size_t at, hent h)
{
    r->heap[at] = h;
    r->c[h.id].hpos = at;
}

static void heap_up(xrun *r, size_t at)
{
    hent h = r->heap[at];
    while (at > 0) {
        size_t parent = (at - 1) / 2;
        if (!ranks_before(r, &h, &r->heap[parent])) break;
        heap_set(r, at, r->heap[parent]);
        at = parent;
    }
    heap_set(r, at, h);
}

static void heap_down(xrun *r, size_t at)
{
    hent h = r->heap[at];
    size_t n = r->n_heap;
    for (;;) {
        size_t best = 2 * at + 1;
        if (best >= n) break;
        if (best + 1 < n && ranks_before(r, &r->heap[best + 1], &r->heap[best])) best++;
        if (!ranks_before(r, &r->heap[best], &h)) break;
        heap_set(r, at, r->heap[best]);
        at = best;
    }
    heap_set(r, at, h);
}

/* Removes the candidate at heap position at. */
static void heap_remove(xrun *r, size_t at)
{
    r->c[r->heap[at].id].hpos = SIZE_MAX;
    if (--r->n_heap == at) return;
    heap_set(r, at, r->heap[r->n_heap]);
    heap_up(r, at);
    heap_down(r, r->c[r->heap[at].id].hpos);
}

/* Puts candidate id (valid, with its key and label set) into the list. */
static void heap_push(xrun *r, size_t id)
{
    heap_set(r, r->n_heap++, (hent){r->c[id].key, r->c[id].label, id});
    heap_up(r, r->n_heap - 1);
}

/* Sorts ids by their order in the list (merge sort into tmp). */
static void sort_listed(xrun *r, size_t *ids, size_t n, size_t *tmp)
{
    if (n < 2) return;
    size_t h = n / 2;
    sort_listed(r, ids, h, tmp);
    sort_listed(r, ids + h, n - h, tmp);
    size_t a = 0, b = h, t = 0;
    while (a < h && b < n) {
        const cand *cb = &r->c[ids[b]], *ca = &r->c[ids[a]];
        tmp[t++] = before(r, cb->key, cb->label, ids[b], ca->key, ca->label, ids[a]) ? ids[b++] : ids[a++];
    }
    while (a < h) tmp[t++] = ids[a++];
    while (b < n) tmp[t++] = ids[b++];
    memcpy(ids, tmp, n * sizeof *ids);
}

/* Returns the sign of (new key - old key) of candidate id, the t-th recomputed in this step. */
static int key_change(xrun *r, size_t id, size_t t)
{
    cand *x = &r->c[id];
#ifdef EXCHANGE_EXACT
    if (!x->recalced) return 0;
    xb_ambiguous = false;
    int c = n_cmp(x->key, r->old_key[id]);
    if (!xb_ambiguous) return c;
    /* Computed twice in double from the same decimal inputs, the same decimal gain: without a guard
     * (which brings in the update map) the gain depends on one side's x_sup only, J's when J moves all
     * the way (section 4.1) and I's when I does (4.2). */
    const size_t *pv = r->prov + 4 * t;
    if (!r->old_dhas[t] && x->shadow == SIZE_MAX && !pv[2] && !x->guarded && (bool)pv[3] == x->full_i &&
        (x->full_i ? pv[0] == x->I.src : pv[1] == x->J.src))
        return 0;
    pdec now = decimal_gain(r, x), then;
    if (r->old_dhas[t]) {
        then = r->old_dgain[t];
    } else { /* evaluated from its inputs as they stood before this step */
        size_t tw = eval_with(r, x, pv[0], pv[1], r->old_upd + r->old_upd_at[t], r->old_upd_at[t + 1] - r->old_upd_at[t]);
        if (tw == SIZE_MAX) return 0;
        then = pmx_gain(r->dec, tw);
    }
    return pd_cmp(now, then);
#else
    (void)t;
    return n_cmp(x->key, r->old_key[id]);
#endif
}

/* Plays one round's exchanges; fills *realized (candidate indices in execution order). */
static bool play_round(xrun *r, size_t **realized, size_t *n_real)
{
    size_t n = r->n_c;
    size_t *real = NULL, nr = 0, cap_r = 0;
    bool good = true;
    /* The list: valid candidates, labelled in creation order, so that equal gains keep creation order. */
    r->n_heap = 0;
    for (size_t i = 0; i < n; i++) {
        r->c[i].label = (int64_t)i;
        r->c[i].hpos = SIZE_MAX;
        if (r->c[i].valid) heap_set(r, r->n_heap++, (hent){r->c[i].key, r->c[i].label, i});
    }
    for (size_t i = r->n_heap / 2; i-- > 0;) heap_down(r, i);
    int64_t low = -1, high = (int64_t)n;
    while (r->n_heap > 0 && !r->oom) {
        size_t ei = r->heap[0].id;
        cand *e = &r->c[ei];
        heap_remove(r, 0);
        e->touched = true; /* executed: never again */
#ifdef EXCHANGE_EXACT
        /* The others take up its numbers: the decimal twin's, exactly. */
        r->cur_e = ei;
        if (e->shadow == SIZE_MAX) evaluate_executed(r, e);
        else adopt_shadow(r, e);
#endif
        size_t na = affected(r, e), nt = 0;
        for (size_t a = 0; a < na; a++) {
            size_t id = r->aff[a];
            cand *x = &r->c[id];
            if (x != e && x->valid) r->moved[nt++] = id;
        }
        /* Their order in the list before this step, which decides between equal keys after it. */
        memcpy(r->sorted, r->moved, nt * sizeof *r->moved);
        sort_listed(r, r->sorted, nt, r->scratch);
#ifdef EXCHANGE_EXACT
        if (!pu_grow((void **)&r->prov, &r->cap_prov, 4 * nt + 4, sizeof *r->prov) ||
            !pu_grow((void **)&r->old_dgain, &r->cap_dgain, nt + 1, sizeof *r->old_dgain) ||
            !pu_grow((void **)&r->old_dhas, &r->cap_dhas, nt + 1, sizeof *r->old_dhas) ||
            !pu_grow((void **)&r->old_upd_at, &r->cap_old_upd_at, nt + 2, sizeof *r->old_upd_at)) {
            good = false;
            break;
        }
        r->n_old_upd = 0;
#endif
        for (size_t t = 0; t < nt; t++) {
            size_t id = r->moved[t];
            cand *x = &r->c[id];
            r->old_key[id] = x->key, r->old_label[id] = x->label, r->slot[id] = t;
#ifdef EXCHANGE_EXACT
            r->prov[4 * t] = x->I.src, r->prov[4 * t + 1] = x->J.src, r->prov[4 * t + 2] = x->guarded;
            r->prov[4 * t + 3] = x->full_i;
            r->old_dhas[t] = x->shadow != SIZE_MAX || x->has_dgain;
            if (r->old_dhas[t]) r->old_dgain[t] = x->shadow != SIZE_MAX ? pmx_gain(r->dec, x->shadow) : x->dgain;
            r->old_upd_at[t] = r->n_old_upd;
            if (!r->old_dhas[t]) { /* its old decimal gain may be needed: keep the map it came from */
                if (!pu_grow((void **)&r->old_upd, &r->cap_old_upd, r->n_old_upd + x->n_upd + 1, sizeof *r->old_upd)) {
                    r->oom = true;
                    break;
                }
                if (x->n_upd) memcpy(r->old_upd + r->n_old_upd, x->upd, x->n_upd * sizeof *x->upd);
                r->n_old_upd += x->n_upd;
            }
            r->old_upd_at[t + 1] = r->n_old_upd;
            x->has_dgain = false;
#endif
            heap_remove(r, x->hpos); /* back in below when still valid, at its new place */
            recalculate(r, x, e);
        }
        if (!pu_grow((void **)&real, &cap_r, nr + 1, sizeof *real)) {
            good = false;
            break;
        }
        real[nr++] = ei;
        /* In their previous list order: fallen keys take fresh low labels in reverse of it, risen keys
         * fresh high labels in it, so each class of equal keys keeps the reference's stable order. */
        for (size_t t = nt; t-- > 0;) {
            size_t id = r->sorted[t];
            cand *x = &r->c[id];
            int change = x->valid ? key_change(r, id, r->slot[id]) : 0;
            r->change[t] = (signed char)change;
            if (change < 0) x->label = low--;
        }
        for (size_t t = 0; t < nt; t++) {
            size_t id = r->sorted[t];
            cand *x = &r->c[id];
            if (!x->valid) continue; /* dropped for good */
            if (r->change[t] > 0) x->label = high++;
            heap_push(r, id);
        }
        for (size_t i = 0; i < na; i++) r->c[r->aff[i]].touched = false;
        e->touched = true;
    }
    *realized = real;
    *n_real = nr;
    return good && !r->oom;
}

/* ---- the model ---- */

typedef struct xout {
    num *voting;       /* per round: the voting outcome per issue (rounds x k), internal scale */
    size_t rounds;
} xout;

static double to_scale(const xrun *r, size_t i, num v)
{
    return r->factor[i] == 0 ? r->lower[i] : n_dbl(v) / r->factor[i] + r->lower[i];
}

/* Emits a round's rounds entries (positions: preferences after the round; voting: votes in it). */
static parley_status emit_round(xrun *r, pm_out *out, int round, const num *pref, const num *vote, const num *outcome)
{
    if (!pm_details(out)) return PARLEY_OK;
    size_t n = r->n, k = r->k;
    double *pv = malloc(n * sizeof *pv), *vv = malloc(n * sizeof *vv);
    parley_status st = pv && vv ? PARLEY_OK : PARLEY_E_NOMEM;
    for (size_t i = 0; i < k && st == PARLEY_OK; i++) {
        for (size_t a = 0; a < n; a++) {
            bool in = present(r, a, i);
            pv[a] = in ? to_scale(r, i, pref[a * k + i]) : NAN;
            vv[a] = in && vote ? to_scale(r, i, vote[a * k + i]) : NAN;
        }
        st = pm_round_full(out, r->iss[i], round, pv, NULL, vote ? vv : NULL, to_scale(r, i, outcome[i]));
    }
    free(pv), free(vv);
    return st;
}

/* Externalities of a round's trades (the reference's definition): for each trade, every actor's
 * utility change (|O0 - x| - |O1 - x|) s on both issues, O0 and O1 being the trade's own view of the
 * outcome before and after. Reported figures, so computed in double. */
static parley_status externalities(xrun *r, pm_out *out, int round, const size_t *real, size_t nr)
{
    if (!pm_details(out) || nr == 0) return PARLEY_OK;
    size_t n = r->n, k = r->k;
    double *own = calloc(n, sizeof *own), *inner = calloc(n, sizeof *inner), *outer = calloc(n, sizeof *outer);
    if (!own || !inner || !outer) {
        free(own), free(inner), free(outer);
        return PARLEY_E_NOMEM;
    }
    for (size_t t = 0; t < nr; t++) {
        const cand *c = &r->c[real[t]];
        size_t p = c->J.sup, q = c->I.sup;
        double p0 = n_dbl(outcome_with(r, c, p, c->J.actor, c->J.x_sup)), p1 = n_dbl(outcome_with(r, c, p, c->J.actor, c->J.y));
        double q0 = n_dbl(outcome_with(r, c, q, c->I.actor, c->I.x_sup)), q1 = n_dbl(outcome_with(r, c, q, c->I.actor, c->I.y));
        for (size_t a = 0; a < n; a++) {
            if (!present(r, a, p) || !present(r, a, q)) continue;
            double xp = n_dbl(r->x[a * k + p]), xq = n_dbl(r->x[a * k + q]);
            double sp = n_dbl(r->sal[a * k + p]), sq = n_dbl(r->sal[a * k + q]);
            double e = (fabs(p0 - xp) - fabs(p1 - xp)) * sp + (fabs(q0 - xq) - fabs(q1 - xq)) * sq;
            if (a == c->I.actor || a == c->J.actor) {
                own[a] += e;
                continue;
            }
            /* Inner: the actor sits in one of the two groups that traded on this pair of issues. */
            int g = group_of(r, a, p, q);
            bool in = c->group == 0 ? (g == 0 || g == 3) : (g == 1 || g == 2);
            if (in) inner[a] += e;
            else outer[a] += e;
        }
    }
    parley_status st = PARLEY_OK;
    for (size_t a = 0; a < n && st == PARLEY_OK; a++)
        if (own[a] != 0 || inner[a] != 0 || outer[a] != 0) st = pm_externality(out, round, a, own[a], inner[a], outer[a]);
    free(own), free(inner), free(outer);
    return st;
}

static parley_status record_trades(xrun *r, pm_out *out, int round, const size_t *real, size_t nr)
{
    for (size_t t = 0; t < nr && pm_details(out); t++) {
        const cand *c = &r->c[real[t]];
        parley_exchange e = {0, round, (int)t, c->I.actor, r->iss[c->I.sup], to_scale(r, c->I.sup, c->I.start),
                             to_scale(r, c->I.sup, c->I.y), c->J.actor, r->iss[c->J.sup], to_scale(r, c->J.sup, c->J.start),
                             to_scale(r, c->J.sup, c->J.y), n_dbl(c->gain)};
        parley_status st = pm_exchange(out, &e);
        if (st != PARLEY_OK) return st;
    }
    return PARLEY_OK;
}

#ifndef EXCHANGE_EXACT /* exact takes these from its decimal run */
/* The votes of a round with the executed candidates real[0..nr) (each trade's sides vote where they
 * moved, later trades overwriting earlier ones), and the voting outcome O. */
static void votes_and_outcome(xrun *r, const size_t *real, size_t nr, num *vote, num *O)
{
    size_t n = r->n, k = r->k;
    memcpy(vote, r->x, n * k * sizeof *vote);
    for (size_t e = 0; e < nr; e++) {
        const cand *c = &r->c[real[e]];
        vote[c->I.actor * k + c->I.sup] = c->I.y;
        vote[c->J.actor * k + c->J.sup] = c->J.y;
    }
    for (size_t i = 0; i < k; i++) {
        num sum = r->zero;
        for (size_t a = 0; a < n; a++)
            if (present(r, a, i)) sum = n_add(sum, n_mul(n_mul(vote[a * k + i], r->sal[a * k + i]), r->cap[a * k + i]));
        O[i] = n_sign(r->D[i]) == 0 ? r->zero : n_div(sum, r->D[i]);
    }
}

/* New preferences: part of the way from the start of the round to the vote, in the reference's order of
 * operations. */
static void new_preferences(xrun *r, const size_t *real, size_t nr)
{
    for (size_t e = 0; e < nr; e++) {
        const cand *c = &r->c[real[e]];
        const side *sd[2] = {&c->I, &c->J};
        for (int u = 0; u < 2; u++) {
            num w_sal = n_mul(n_sub(r->one, sd[u]->s_sup), r->salience_weight);
            num keep = n_sub(n_sub(r->one, w_sal), r->fixed_weight);
            r->x[sd[u]->actor * r->k + sd[u]->sup] =
                n_add(n_add(n_mul(w_sal, sd[u]->y), n_mul(r->fixed_weight, sd[u]->y)), n_mul(keep, sd[u]->start));
        }
    }
}

/* Shocks of round t move actors' preferences before the round's trades are found. */
static void apply_shocks(xrun *r, int t)
{
    size_t n = r->n, k = r->k;
    for (size_t i = 0; i < k && parley_shock_count(r->s); i++)
        for (size_t a = 0; a < n; a++) {
            if (!present(r, a, i)) continue;
            double pos = to_scale(r, i, r->x[a * k + i]);
            if (pm_shock(r->s, t, a, r->iss[i], &pos))
                r->x[a * k + i] = n_mul(n_sub(n_of(pos), n_of(r->lower[i])), n_of(r->factor[i]));
        }
}
#endif

/* Runs every round; fills res->voting. With out NULL nothing is recorded (a REX repetition). */
static parley_status run_rounds(xrun *r, pm_out *out, xout *res, size_t *total_trades)
{
    size_t n = r->n, k = r->k, rounds = (size_t)r->o->v[OPT_ROUNDS];
    num *vote = malloc(n * k * sizeof *vote);
    parley_status st = vote ? PARLEY_OK : PARLEY_E_NOMEM;
    *total_trades = 0;
    outcomes(r);
    if (out && st == PARLEY_OK) st = emit_round(r, out, 0, r->x, NULL, r->O);
    for (size_t t = 1; t <= rounds && st == PARLEY_OK; t++) {
        if (pm_cancelled(out)) {
            st = PARLEY_E_CANCELLED;
            break;
        }
#ifdef EXCHANGE_EXACT
        pmx_round(r->dec, (int)t); /* shocks, outcomes: in decimal, then loaded by outcomes() */
#else
        apply_shocks(r, (int)t);
#endif
        outcomes(r);
        free_candidates(r);
        build_candidates(r);
        if (r->oom) {
            st = PARLEY_E_NOMEM;
            break;
        }
        free(r->heap), free(r->aff), free(r->moved), free(r->scratch), free(r->old_key), free(r->old_label);
        r->heap = malloc((r->n_c + 1) * sizeof *r->heap);
        r->aff = malloc((r->n_c + 1) * sizeof(size_t));
        r->moved = malloc((r->n_c + 1) * sizeof(size_t));
        r->scratch = malloc((r->n_c + 1) * sizeof(size_t));
        r->old_key = malloc((r->n_c + 1) * sizeof *r->old_key);
        r->old_label = malloc((r->n_c + 1) * sizeof *r->old_label);
        free(r->sorted), free(r->slot), free(r->change);
        r->sorted = malloc((r->n_c + 1) * sizeof *r->sorted);
        r->slot = malloc((r->n_c + 1) * sizeof *r->slot);
        r->change = malloc(r->n_c + 1);
        size_t *real = NULL, nr = 0;
        if (!r->heap || !r->sorted || !r->slot || !r->change || !r->aff || !r->moved || !r->scratch || !r->old_key || !r->old_label || !build_index(r) ||
            !play_round(r, &real, &nr)) {
            free(real);
            st = PARLEY_E_NOMEM;
            break;
        }
        *total_trades += nr;
        num *O = res->voting + (t - 1) * k;
#ifdef EXCHANGE_EXACT
        /* Votes, outcome and the next positions in decimal, from the executed trades' twins. */
        double *dv = malloc((n * k + k) * sizeof *dv);
        size_t *twins = malloc((nr + 1) * sizeof *twins);
        for (size_t e = 0; twins && e < nr; e++) twins[e] = r->c[real[e]].shadow;
        bool ended = dv && twins && pmx_end_round(r->dec, twins, nr, dv, dv + n * k);
        free(twins);
        if (!ended) {
            free(dv), free(real);
            st = PARLEY_E_NOMEM;
            break;
        }
        for (size_t at = 0; at < n * k; at++) vote[at] = bn_make(dv[at], 0);
        for (size_t i = 0; i < k; i++) O[i] = bn_make(dv[n * k + i], 0);
        free(dv);
#else
        votes_and_outcome(r, real, nr, vote, O);
#endif
        if (out && (st = record_trades(r, out, (int)t, real, nr)) == PARLEY_OK)
            st = externalities(r, out, (int)t, real, nr);
#ifdef EXCHANGE_EXACT
        for (size_t a = 0; a < n; a++)
            for (size_t i = 0; i < k; i++)
                if (present(r, a, i)) r->x[a * k + i] = n_of_dec(pmx_x(r->dec, a, i));
#else
        new_preferences(r, real, nr);
#endif
        free(real);
        if (out && st == PARLEY_OK) st = emit_round(r, out, (int)t, r->x, vote, O);
    }
    free_candidates(r);
    free(vote);
    return st;
}

static void xrun_free(xrun *r)
{
    free_candidates(r);
    free(r->c), free(r->x), free(r->in), free(r->sal), free(r->cap), free(r->lower), free(r->factor);
    free(r->D), free(r->O), free(r->base), free(r->heap), free(r->aff), free(r->moved), free(r->scratch);
    free(r->old_key), free(r->old_label), free(r->term), free(r->pre);
    free(r->sorted), free(r->slot), free(r->change), free(r->prov), free(r->old_dgain), free(r->old_dhas);
    free(r->old_upd), free(r->old_upd_at);
    free(r->base_e), free(r->base_abs), free(r->members);
#ifdef EXCHANGE_EXACT
    pmx_free(r->dec);
#endif
    free(r->sup_head), free(r->dem_head), free(r->sup_list), free(r->dem_list);
}

/* Loads the scenario onto the 0-100 internal scale. Returns false when out of memory. */
static bool xrun_init(xrun *r, const parley_scenario *s, const pm_options *o, const size_t *iss, size_t k)
{
    memset(r, 0, sizeof *r);
    r->s = s, r->o = o, r->n = parley_scenario_actor_count(s), r->k = k, r->iss = iss;
    r->p = o->v[OPT_P];
    r->zero = n_of(0), r->one = n_of(1), r->hundred = n_of(100), r->min_move = n_of(MIN_MOVE);
    r->salience_weight = n_salience_weight(), r->fixed_weight = n_fixed_weight();
    size_t nk = r->n * r->k;
    r->x = malloc(nk * sizeof *r->x), r->sal = malloc(nk * sizeof *r->sal), r->cap = malloc(nk * sizeof *r->cap);
    r->in = malloc(nk * sizeof *r->in);
    r->lower = malloc(r->k * sizeof *r->lower), r->factor = malloc(r->k * sizeof *r->factor);
    r->term = malloc(nk * sizeof *r->term), r->pre = malloc(nk * sizeof *r->pre);
    r->D = malloc(r->k * sizeof *r->D), r->O = malloc(r->k * sizeof *r->O), r->base = malloc(r->k * sizeof *r->base);
#ifdef EXCHANGE_EXACT
    r->base_e = malloc(r->k * sizeof *r->base_e), r->base_abs = malloc(r->k * sizeof *r->base_abs);
    r->members = malloc(r->k * sizeof *r->members);
    if (!r->base_e || !r->base_abs || !r->members || !(r->dec = pmx_new(s, o, iss, k))) return false;
#endif
    if (!r->x || !r->in || !r->term || !r->pre || !r->sal || !r->cap || !r->lower || !r->factor || !r->D || !r->O || !r->base) return false;
    for (size_t i = 0; i < r->k; i++) {
        size_t si = iss[i];
        double lo = parley_issue_number(s, si, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, si, PARLEY_ISSUE_HIGH);
        num lo_n = n_of(lo), factor = hi > lo ? n_div(r->hundred, n_sub(n_of(hi), lo_n)) : r->zero;
        r->lower[i] = lo;
        r->factor[i] = n_dbl(factor);
        for (size_t a = 0; a < r->n; a++) {
            double pos, sal, cap;
            size_t at = a * r->k + i;
            /* As in the reference, an actor with no salience on an issue takes no part in its trades. */
            r->in[at] = parley_stance(s, a, si, &pos, &sal, &cap) && sal > 0;
            r->x[at] = r->in[at] ? n_mul(n_sub(n_of(pos), lo_n), factor) : r->zero;
            r->sal[at] = r->in[at] ? n_of(sal) : r->zero;
            r->cap[at] = r->in[at] ? n_of(cap) : r->zero;
        }
    }
    return true;
}
/* ---- REX repetitions in parallel ---- */

typedef struct rep_job {
    const parley_scenario *s;
    const pm_options *o;
    const size_t *iss;
    size_t k;
    uint64_t seed;
    size_t run, reps;
    const pm_out *out; /* for the cancel flag only: repetitions write their own slots */
    double *final;   /* reps x k: each repetition's last voting outcome (internal scale) */
    parley_status *status;
} rep_job;

/* One repetition, a task of the pool: writes only its row of final and its status. */
static void rep_task(void *ctx, size_t rep, size_t worker)
{
    rep_job *j = ctx;
    (void)worker;
    if (pm_cancelled(j->out)) {
        j->status[rep] = PARLEY_E_CANCELLED;
        return;
    }
    xrun r;
    parley_rng rng;
    /* Each repetition draws from its own generator, seeded from (seed, run, repetition). */
    parley_rng_seed(&rng, j->seed, ((uint64_t)(j->run + 1) << 40) | rep);
    size_t rounds = (size_t)j->o->v[OPT_ROUNDS], trades;
    xout res = {NULL, rounds};
    if (!xrun_init(&r, j->s, j->o, j->iss, j->k) || !(res.voting = malloc(rounds * r.k * sizeof *res.voting))) {
        j->status[rep] = PARLEY_E_NOMEM;
    } else {
        r.rng = &rng;
        j->status[rep] = run_rounds(&r, NULL, &res, &trades);
        for (size_t i = 0; i < r.k; i++) j->final[rep * r.k + i] = n_dbl(res.voting[(rounds - 1) * r.k + i]);
    }
    free(res.voting);
    xrun_free(&r);
}

static parley_status run_repetitions(const parley_scenario *s, const pm_options *o, const size_t *iss, size_t k,
                                     pm_out *out, double *mean, double *sd)
{
    size_t reps = (size_t)o->v[OPT_REPETITIONS];
    rep_job j = {s, o, iss, k, pm_seed(out), pm_run_index(out) * 100003 + iss[0], reps, out, malloc(reps * k * sizeof(double)),
                 calloc(reps, sizeof(parley_status))};
    parley_status st = j.final && j.status ? PARLEY_OK : PARLEY_E_NOMEM;
    if (st == PARLEY_OK) {
        pm_parallel(reps, rep_task, &j);
        for (size_t rep = 0; rep < reps && st == PARLEY_OK; rep++) st = j.status[rep];
    }
    /* Means and spreads in repetition order: the same numbers whatever the thread count. */
    for (size_t i = 0; st == PARLEY_OK && i < k; i++) {
        double sum = 0, sq = 0;
        for (size_t rep = 0; rep < reps; rep++) sum += j.final[rep * k + i];
        mean[i] = sum / (double)reps;
        for (size_t rep = 0; rep < reps; rep++) sq += (j.final[rep * k + i] - mean[i]) * (j.final[rep * k + i] - mean[i]);
        sd[i] = reps > 1 ? sqrt(sq / (double)(reps - 1)) : 0;
    }
    free(j.final), free(j.status);
    return st;
}

#if !defined(EXCHANGE_DECIMAL) && !defined(EXCHANGE_EXACT)
static
#endif
parley_status RUN_GROUP(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out, const size_t *iss,
                        size_t k)
{
    xrun r;
    size_t rounds = (size_t)o->v[OPT_ROUNDS], trades = 0;
    xout res = {NULL, rounds};
    parley_status st = PARLEY_OK;
    double *mean = NULL, *sd = NULL;
    if (!xrun_init(&r, s, o, iss, k) || !(res.voting = malloc(rounds * r.k * sizeof *res.voting))) {
        st = PARLEY_E_NOMEM;
        goto done;
    }
    r.rng = rng;
    /* The detailed run (rounds, trades, externalities); with p > 0 it is one repetition among many. */
    if ((st = run_rounds(&r, out, &res, &trades)) != PARLEY_OK) goto done;
    if (r.p > 0 && k > 1) {
        mean = malloc(r.k * sizeof *mean), sd = malloc(r.k * sizeof *sd);
        if (!mean || !sd || (st = run_repetitions(s, o, iss, k, out, mean, sd)) != PARLEY_OK) {
            if (st == PARLEY_OK) st = PARLEY_E_NOMEM;
            goto done;
        }
    }
    for (size_t i = 0; i < r.k && st == PARLEY_OK; i++) {
        char note[200];
        bool anyone = false;
        for (size_t a = 0; a < r.n; a++) anyone |= present(&r, a, i);
        if (!anyone) {
            st = pm_forecast(out, iss[i], NAN, "no actor takes part in this issue (with a salience above 0)");
        } else if (k == 1) {
            st = pm_forecast(out, iss[i], to_scale(&r, i, res.voting[(rounds - 1) * r.k + i]),
                             "a single issue: nothing to trade it against, so the outcome is the weighted mean");
        } else if (mean) {
            snprintf(note, sizeof note, "mean of %zu repetitions with p = %g (standard deviation %.3g on the issue's scale)",
                     (size_t)o->v[OPT_REPETITIONS], r.p, r.factor[i] > 0 ? pm_length(out, iss[i], sd[i] / r.factor[i]) : 0);
            st = pm_forecast(out, iss[i], r.factor[i] == 0 ? r.lower[i] : mean[i] / r.factor[i] + r.lower[i], note);
        } else {
            snprintf(note, sizeof note, "voting outcome after %zu rounds; %zu trades in all", rounds, trades);
            st = pm_forecast(out, iss[i], to_scale(&r, i, res.voting[(rounds - 1) * r.k + i]), note);
        }
    }
done:
    free(mean), free(sd), free(res.voting);
    xrun_free(&r);
    return st;
}


#ifdef EXCHANGE_DECIMAL
/* ---- the decimal side of numerics=exact (declared at the top) ---- */

void *pmx_new(const parley_scenario *s, const pm_options *o, const size_t *iss, size_t k)
{
    xrun *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    if (!xrun_init(r, s, o, iss, k)) {
        xrun_free(r);
        free(r);
        return NULL;
    }
    outcomes(r);
    return r;
}

void pmx_free(void *d)
{
    if (!d) return;
    xrun_free(d);
    free(d);
}

void pmx_round(void *d, int t)
{
    xrun *r = d;
    apply_shocks(r, t);
    outcomes(r);
    free_candidates(r);
}

pdec pmx_x(const void *d, size_t a, size_t i)
{
    const xrun *r = d;
    return r->x[a * r->k + i];
}

pdec pmx_D(const void *d, size_t i)
{
    return ((const xrun *)d)->D[i];
}

pdec pmx_O(const void *d, size_t i)
{
    return ((const xrun *)d)->O[i];
}

bool pmx_left(const void *d, size_t a, size_t i)
{
    return is_left(d, a, i);
}

bool pmx_b_is_i(const void *d, size_t a, size_t b, size_t p, size_t q)
{
    const xrun *r = d;
    size_t k = r->k;
    num ap = r->sal[a * k + p], aq = r->sal[a * k + q], bp = r->sal[b * k + p], bq = r->sal[b * k + q];
    return n_cmp(n_mul(ap, bq), n_mul(bp, aq)) < 0;
}

size_t pmx_make(void *d, size_t a, size_t b, size_t p, size_t q, int group)
{
    xrun *r = d;
    add_candidate(r, a, b, p, q, group);
    return r->oom ? SIZE_MAX : r->n_c - 1;
}

size_t pmx_eval(void *d, size_t a, size_t b, size_t p, size_t q, int group, pdec xs_i, pdec xs_j, size_t nu,
                const size_t *issue, const size_t *actor, const pdec *pos)
{
    xrun *r = d;
    if (!pu_grow((void **)&r->c, &r->cap_c, r->n_c + 1, sizeof *r->c)) return SIZE_MAX;
    size_t k = r->k;
    cand *c = &r->c[r->n_c++];
    memset(c, 0, sizeof *c);
    c->p = p, c->q = q, c->group = group;
    bool b_is_i = pmx_b_is_i(d, a, b, p, q);
    size_t i = b_is_i ? b : a, j = b_is_i ? a : b;
    side_init(r, &c->I, i, q, p);
    side_init(r, &c->J, j, p, q);
    c->I.x_sup = xs_i, c->J.x_sup = xs_j;
    if (nu && !pu_grow((void **)&c->upd, &c->cap_upd, nu, sizeof *c->upd)) return SIZE_MAX;
    for (size_t u = 0; u < nu; u++) c->upd[u] = (upd){issue[u], actor[u], pos[u], 0};
    c->n_upd = nu;
    (void)k;
    r->assume_valid = true;
    calculate(r, c);
    r->assume_valid = false;
    return r->oom ? SIZE_MAX : r->n_c - 1;
}

pdec pmx_outcome(const void *d, size_t i, size_t a, pdec v, size_t nu, const size_t *actor, const pdec *pos)
{
    const xrun *r = d;
    cand c;
    memset(&c, 0, sizeof c);
    upd *m = malloc((nu + 1) * sizeof *m);
    if (!m) return pd_int(0);
    for (size_t u = 0; u < nu; u++) m[u] = (upd){i, actor[u], pos[u], 0};
    c.upd = m, c.n_upd = nu;
    pdec o = outcome_with(r, &c, i, a, v);
    free(m);
    return o;
}

void pmx_recalc(void *d, size_t x, size_t e)
{
    xrun *r = d;
    recalculate(r, &r->c[x], &r->c[e]);
}

bool pmx_valid(const void *d, size_t x)
{
    return ((const xrun *)d)->c[x].valid;
}

pdec pmx_gain(const void *d, size_t x)
{
    return ((const xrun *)d)->c[x].gain;
}

size_t pmx_side(const void *d, size_t x, int t, pdec *out4, pdec *moves, size_t cap)
{
    const cand *c = &((const xrun *)d)->c[x];
    const side *sd = t ? &c->J : &c->I;
    out4[0] = sd->x_sup, out4[1] = sd->y, out4[2] = sd->move, out4[3] = sd->start;
    for (size_t u = 0; u < sd->n_moves && u < cap; u++) moves[u] = sd->moves[u];
    return sd->n_moves;
}

size_t pmx_state(const void *d, size_t x, pdec *rp, pdec *rq, size_t *issue, size_t *actor, pdec *pos, size_t cap)
{
    const cand *c = &((const xrun *)d)->c[x];
    *rp = c->rp, *rq = c->rq;
    for (size_t u = 0; u < c->n_upd && u < cap; u++) issue[u] = c->upd[u].issue, actor[u] = c->upd[u].actor, pos[u] = c->upd[u].pos;
    return c->n_upd;
}

bool pmx_end_round(void *d, const size_t *real, size_t nr, double *vote, double *O)
{
    xrun *r = d;
    size_t nk = r->n * r->k;
    num *v = malloc((nk + 1) * sizeof *v), *o = malloc((r->k + 1) * sizeof *o);
    if (!v || !o) {
        free(v), free(o);
        return false;
    }
    votes_and_outcome(r, real, nr, v, o);
    for (size_t at = 0; at < nk; at++) vote[at] = n_dbl(v[at]);
    for (size_t i = 0; i < r->k; i++) O[i] = n_dbl(o[i]);
    new_preferences(r, real, nr);
    free(v), free(o);
    return true;
}
#endif

#if !defined(EXCHANGE_DECIMAL) && !defined(EXCHANGE_EXACT)

/* ---- the model interface (compiled once, with the double arithmetic) ---- */

static const parley_option_spec exchange_options[OPT_COUNT] = {
    [OPT_ROUNDS] = {"rounds", PARLEY_OPTION_INTEGER, "10", NULL, 1, 1000,
                    "number of rounds; the forecast is the last round's voting outcome"},
    [OPT_P] = {"p", PARLEY_OPTION_NUMBER, "0", NULL, 0, 1,
               "randomisation of the terms of trade (REX, Dijkstra et al. 2018); 0 gives the equal-gain model"},
    [OPT_REPETITIONS] = {"repetitions", PARLEY_OPTION_INTEGER, "100", NULL, 1, 100000,
                         "independent repetitions when p > 0, run in parallel; the forecast is their mean"},
    [OPT_TIE_EPSILON] = {"tie_epsilon", PARLEY_OPTION_NUMBER, "1e-11", NULL, 0, 1e-3,
                         "numerics=double: gains within this relative distance count as equal, and equal gains keep list order"},
    /* double stays the default until exact is as fast as the issue asks (docs/models/exchange.md, "Exact
     * at double speed"): exact is 5-20 times slower than double today, and Monte Carlo draws pay for it. */
    [OPT_NUMERICS] = {"numerics", PARLEY_OPTION_CHOICE, "double", "double|decimal|exact", 0, 0,
                      "double: plain double, ties within tie_epsilon (fast; may order mathematically tied gains "
                      "differently from the reference); exact: double with proven error bounds, deciding in the "
                      "reference's 28-digit decimals what they leave open (the reference's every choice; with p > 0, "
                      "as double); decimal: all in 28-digit decimals"},
};

static parley_status exchange_group(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                    parley_error *err, const size_t *iss, size_t k)
{
    (void)err;
    int mode = (int)o->v[OPT_NUMERICS];
    if (mode == NUMERICS_DECIMAL) return pm_exchange_group_decimal(s, o, rng, out, iss, k);
    /* REX draws at every recalculation, so a decimal twin could not replay one: REX runs in double. */
    if (mode == NUMERICS_EXACT && !(o->v[OPT_P] > 0)) return pm_exchange_group_exact(s, o, rng, out, iss, k);
    return run_group_double(s, o, rng, out, iss, k);
}

/* A batch (DEU) holds unrelated decisions: trades happen only between the issues of one proposal. */
static parley_status exchange_run(const parley_scenario *s, const pm_options *o, parley_rng *rng, pm_out *out,
                                  parley_error *err)
{
    return pm_for_each_group(s, o, rng, out, err, exchange_group);
}

static bool exchange_suits(const parley_scenario *s)
{
    return parley_scenario_issue_count(s) >= 2;
}

const struct parley_model pm_exchange_model = {
    .name = "exchange",
    .summary = "Stokman's equal-gain exchange model: actors trade ground across issues (with p > 0, REX)",
    .options = exchange_options,
    .n_options = OPT_COUNT,
    .suits = exchange_suits,
    .run = exchange_run,
    .scope = PARLEY_SCOPE_GROUP,
    .records = PARLEY_RECORDS_ROUNDS | PARLEY_RECORDS_TRADES | PARLEY_RECORDS_NEGOTIATIONS,
};
#endif
