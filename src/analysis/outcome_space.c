/* outcome_space.c - enumerates a negotiation's outcomes and finds the rational ones, the Pareto frontier
 * and the Nash, Kalai-Smorodinsky, egalitarian and max-welfare points (parley analyze). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error_internal.h"
#include "../core/util.h"
#include "parley/analyze.h"

#define TOL PARLEY_ANALYZE_TOLERANCE

struct parley_analysis {
    size_t n_issues, n, p;
    double **vals;  /* vals[k][0 .. count[k]) */
    size_t *count;
    size_t *stride; /* outcome i's value index of issue k: (i / stride[k]) % count[k] */
    size_t *actors;
    double *res, *ideal;
    double *u;      /* n x p, outcome-major */
    size_t rational;
    bool has_frontier;
    size_t *front, n_front;
    size_t *pts[PARLEY_POINT_COUNT], n_pts[PARLEY_POINT_COUNT];
    double pval[PARLEY_POINT_COUNT];
};

const char *parley_point_name(parley_point p)
{
    static const char *const names[] = {"nash", "kalai_smorodinsky", "egalitarian", "max_welfare"};
    return p < PARLEY_POINT_COUNT ? names[p] : NULL;
}

void parley_analysis_free(parley_analysis *a)
{
    if (!a) return;
    for (size_t k = 0; k < a->n_issues && a->vals; k++) free(a->vals[k]);
    free(a->vals), free(a->count), free(a->stride), free(a->actors), free(a->res), free(a->ideal), free(a->u);
    free(a->front);
    for (int i = 0; i < PARLEY_POINT_COUNT; i++) free(a->pts[i]);
    free(a);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The values issue k is enumerated at (see analyze.h); *m their count. NULL with *m 0 when out of memory,
 * with *m SIZE_MAX when an integer range is past the limit. */
static double *issue_values(const parley_scenario *s, size_t k, size_t grid, size_t *m)
{
    double lo = parley_issue_number(s, k, PARLEY_ISSUE_LOW), hi = parley_issue_number(s, k, PARLEY_ISSUE_HIGH);
    parley_issue_kind kind = parley_issue_kind_of(s, k);
    double *v = NULL;
    *m = 0;
    if (kind == PARLEY_ISSUE_OPTIONS) {
        size_t n = parley_issue_option_count(s, k);
        if (!(v = malloc((n ? n : 1) * sizeof *v))) return NULL;
        for (size_t j = 0; j < n; j++) v[j] = (double)j;
        *m = n;
        return v;
    }
    if (kind == PARLEY_ISSUE_INTEGER) {
        double a = ceil(lo), b = floor(hi);
        if (!(b - a + 1 <= PARLEY_ANALYZE_MAX_OUTCOMES)) {
            *m = SIZE_MAX;
            return NULL;
        }
        size_t n = b >= a ? (size_t)(b - a) + 1 : 0;
        if (!(v = malloc((n ? n : 1) * sizeof *v))) return NULL;
        for (size_t j = 0; j < n; j++) v[j] = a + (double)j;
        *m = n;
        return v;
    }
    size_t g = parley_issue_grid(s, k);
    if (!g) g = grid;
    if (g >= 2) {
        if (!(v = malloc(g * sizeof *v))) return NULL;
        for (size_t j = 0; j < g; j++) v[j] = j + 1 == g ? hi : lo + (hi - lo) * (double)j / (double)(g - 1);
        *m = g;
        return v;
    }
    /* Every actor's position and the reference point: where some party's value turns, so between two
     * neighbouring points every utility is linear and the frontier's corners are among them. */
    size_t ns = parley_issue_stance_count(s, k);
    if (!(v = malloc((ns + 2) * sizeof *v))) return NULL;
    size_t n = 0;
    for (size_t j = 0; j < ns; j++) {
        double pos;
        if (parley_issue_stance_at(s, k, j, NULL, &pos, NULL, NULL) && isfinite(pos)) v[n++] = pos;
    }
    double ref = parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE);
    if (isfinite(ref)) v[n++] = ref;
    if (n == 0) v[n++] = lo; /* no one takes part and nothing is known: one value, it changes nothing */
    qsort(v, n, sizeof *v, cmp_double);
    size_t w = 0;
    for (size_t j = 0; j < n; j++)
        if (w == 0 || v[j] != v[w - 1]) v[w++] = v[j];
    *m = w;
    return v;
}

/* ---- sorting by utility: an LSD radix sort of (key, index) pairs ---- */

typedef struct kv {
    uint64_t key;
    uint32_t idx;
} kv;

/* A double's bits as an unsigned key in the same order. */
static uint64_t dkey(double d)
{
    uint64_t b;
    if (d == 0) d = 0; /* -0 sorts with 0 */
    memcpy(&b, &d, sizeof b);
    return (b >> 63) ? ~b : b | 0x8000000000000000ull;
}

/* The double whose key dkey is. */
static double kdouble(uint64_t k)
{
    uint64_t b = (k >> 63) ? k & 0x7fffffffffffffffull : ~k;
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

/* Sorts x[0..n) by key, ascending and stably, with tmp as scratch (n entries); returns the sorted array
 * (x or tmp). A byte every key shares costs no pass: utilities in [0, 1] share their top ones. */
static kv *radix_sort(kv *x, kv *tmp, size_t n)
{
    size_t (*hist)[256] = calloc(8, sizeof *hist);
    if (!hist) return NULL;
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++) hist[b][(x[i].key >> (8 * b)) & 255]++;
    for (int b = 0; b < 8; b++) {
        size_t *h = hist[b];
        if (n == 0 || h[(x[0].key >> (8 * b)) & 255] == n) continue;
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            size_t c = h[d];
            h[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) tmp[h[(x[i].key >> (8 * b)) & 255]++] = x[i];
        kv *t = x;
        x = tmp;
        tmp = t;
    }
    free(hist);
    return x;
}

/* ---- the frontier ---- */

typedef struct frontier_ctx {
    const parley_analysis *a;
    const uint32_t *rank; /* p x n, party-major: utilities clustered within TOL, 0 the worst */
} frontier_ctx;

/* Ranks every party's utilities (rank[j * n + i]) and, for party 0, the outcomes in ascending order
 * (order[0..n)). Returns false when out of memory. */
static bool rank_all(const parley_analysis *a, uint32_t *rank, uint32_t *order, uint32_t *m)
{
    size_t n = a->n, p = a->p;
    kv *x = malloc((n ? n : 1) * sizeof *x), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    bool ok = x && tmp;
    for (size_t j = 0; j < p && ok; j++) {
        for (size_t i = 0; i < n; i++) x[i] = (kv){dkey(a->u[i * p + j]), (uint32_t)i};
        kv *s = radix_sort(x, tmp, n);
        if (!s) {
            ok = false;
            break;
        }
        uint32_t r = 0;
        double prev = n ? kdouble(s[0].key) : 0;
        for (size_t i = 0; i < n; i++) {
            double cur = kdouble(s[i].key); /* from the key: no gather from the utilities */
            if (cur - prev > TOL) r++;
            prev = cur;
            rank[j * n + s[i].idx] = r;
            if (j == 0) order[i] = s[i].idx;
        }
        m[j] = n ? r + 1 : 0;
    }
    free(x), free(tmp);
    return ok;
}

/* Fenwick tree over reversed ranks: the largest value stored at any rank >= r. Values are rank + 1 (0:
 * none). */
static void fen_put(uint32_t *t, size_t m, uint32_t r, uint32_t v)
{
    for (size_t i = (size_t)(m - 1 - r) + 1; i <= m; i += i & (~i + 1))
        if (t[i] < v) t[i] = v;
}

static uint32_t fen_max_from(const uint32_t *t, size_t m, uint32_t r)
{
    uint32_t best = 0;
    for (size_t i = (size_t)(m - 1 - r) + 1; i > 0; i -= i & (~i + 1))
        if (t[i] > best) best = t[i];
    return best;
}

static _Thread_local const uint32_t *g_r1, *g_r2; /* the group sort's keys: set and used within one call only */

static int cmp_group(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    if (g_r1[a] != g_r1[b]) return g_r1[a] < g_r1[b] ? 1 : -1;
    if (g_r2[a] != g_r2[b]) return g_r2[a] < g_r2[b] ? 1 : -1;
    return 0;
}

/* Sorts frontier or tie indices: utilities descending (by rank when ranked), party 0 first, then index. */
static _Thread_local frontier_ctx g_ctx;
static int cmp_front(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    const parley_analysis *an = g_ctx.a;
    for (size_t j = 0; j < an->p; j++) {
        if (g_ctx.rank) {
            uint32_t ra = g_ctx.rank[j * an->n + a], rb = g_ctx.rank[j * an->n + b];
            if (ra != rb) return ra < rb ? 1 : -1;
        } else {
            double ua = an->u[a * an->p + j], ub = an->u[b * an->p + j];
            if (fabs(ua - ub) > TOL) return ua < ub ? 1 : -1;
        }
    }
    return (a > b) - (a < b);
}

static int cmp_lex(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    const parley_analysis *an = g_ctx.a;
    for (size_t j = 0; j < an->p; j++) {
        uint32_t ra = g_ctx.rank[j * an->n + a], rb = g_ctx.rank[j * an->n + b];
        if (ra != rb) return ra < rb ? 1 : -1;
    }
    return (a > b) - (a < b);
}

/* Appends i to the frontier. */
static bool front_add(parley_analysis *a, size_t *cap, size_t i)
{
    if (!pu_grow((void **)&a->front, cap, a->n_front + 1, sizeof *a->front)) return false;
    a->front[a->n_front++] = i;
    return true;
}

static bool frontier(parley_analysis *a, uint32_t **rank_out)
{
    size_t n = a->n, p = a->p, cap = 0;
    uint32_t *rank = malloc((n * p > 0 ? n * p : 1) * sizeof *rank), *order = malloc((n ? n : 1) * sizeof *order);
    uint32_t *m = calloc(p, sizeof *m);
    uint32_t *fen = NULL, *grp = NULL;
    bool ok = rank && order && m && rank_all(a, rank, order, m);
    const uint32_t *r0 = rank;
    if (ok && p == 1) {
        for (size_t i = 0; i < n && ok; i++)
            if (r0[i] == m[0] - 1) ok = front_add(a, &cap, i);
    } else if (ok && p == 2) {
        /* Groups of equal u_0, best first: a member survives when its u_1 is its group's best and beats
         * every better group's best. */
        const uint32_t *r1 = rank + n;
        int64_t best = -1;
        for (size_t e = n; e > 0 && ok;) {
            size_t b = e;
            uint32_t g = r0[order[e - 1]], mx = 0;
            while (b > 0 && r0[order[b - 1]] == g) {
                if (r1[order[b - 1]] > mx) mx = r1[order[b - 1]];
                b--;
            }
            if ((int64_t)mx > best)
                for (size_t i = b; i < e && ok; i++)
                    if (r1[order[i]] == mx) ok = front_add(a, &cap, order[i]);
            if ((int64_t)mx > best) best = mx;
            e = b;
        }
    } else if (ok && p == 3) {
        /* Groups of equal u_0, best first. A member is dominated by a better group when some earlier
         * outcome has u_1 and u_2 at least its own (the Fenwick tree answers that in O(log n)), and within
         * its group by the 2-party rule on (u_1, u_2). Only a group's own 2-party frontier is stored. */
        const uint32_t *r1 = rank + n, *r2 = rank + 2 * n;
        fen = calloc((size_t)m[1] + 1, sizeof *fen);
        grp = malloc((n ? n : 1) * sizeof *grp);
        ok = fen && grp;
        for (size_t e = n; e > 0 && ok;) {
            size_t b = e;
            uint32_t g = r0[order[e - 1]];
            while (b > 0 && r0[order[b - 1]] == g) b--;
            size_t gn = e - b;
            memcpy(grp, order + b, gn * sizeof *grp);
            if (gn > 1) {
                g_r1 = r1, g_r2 = r2;
                qsort(grp, gn, sizeof *grp, cmp_group);
            }
            /* grp is now by u_1 descending, then u_2 descending: mark its 2-party frontier in place */
            size_t keep = 0;
            int64_t best = -1;
            for (size_t s = 0; s < gn;) {
                size_t t = s;
                while (t < gn && r1[grp[t]] == r1[grp[s]]) t++;
                uint32_t mx = r2[grp[s]];
                if ((int64_t)mx > best) {
                    for (size_t i = s; i < t && r2[grp[i]] == mx; i++) grp[keep++] = grp[i];
                    best = mx;
                }
                s = t;
            }
            for (size_t i = 0; i < keep && ok; i++)
                if (fen_max_from(fen, m[1], r1[grp[i]]) < r2[grp[i]] + 1) ok = front_add(a, &cap, grp[i]);
            for (size_t i = 0; i < keep; i++) fen_put(fen, m[1], r1[grp[i]], r2[grp[i]] + 1);
            e = b;
        }
    } else if (ok) {
        /* p >= 4: in descending lexicographic order an outcome can only be dominated by an earlier one,
         * and then by an earlier frontier outcome; so each is checked against the frontier so far. */
        g_ctx = (frontier_ctx){a, rank};
        qsort(order, n, sizeof *order, cmp_lex);
        for (size_t i = 0; i < n && ok; i++) {
            uint32_t x = order[i];
            bool dom = false;
            for (size_t f = 0; f < a->n_front && !dom; f++) {
                size_t q = a->front[f];
                bool ge = true, gt = false;
                for (size_t j = 0; j < p && ge; j++) {
                    uint32_t rq = rank[j * n + q], rx = rank[j * n + x];
                    ge = rq >= rx;
                    gt |= rq > rx;
                }
                dom = ge && gt;
            }
            if (!dom) ok = front_add(a, &cap, x);
        }
    }
    if (ok) {
        g_ctx = (frontier_ctx){a, rank};
        qsort(a->front, a->n_front, sizeof *a->front, cmp_front);
        a->has_frontier = true;
    }
    free(order), free(m), free(fen), free(grp);
    if (ok) *rank_out = rank;
    else free(rank);
    return ok;
}

/* ---- the points ---- */

/* The value point pt gives outcome i's utilities u (NaN: not rational). */
static double point_value(const parley_analysis *a, parley_point pt, const double *u)
{
    double v = pt == PARLEY_POINT_NASH ? 1 : pt == PARLEY_POINT_MAX_WELFARE ? 0 : INFINITY;
    bool any = false;
    for (size_t j = 0; j < a->p; j++) {
        double d = fmax(0.0, u[j] - a->res[j]);
        switch (pt) {
        case PARLEY_POINT_NASH: v *= d; break;
        case PARLEY_POINT_EGALITARIAN: v = fmin(v, d); break;
        case PARLEY_POINT_MAX_WELFARE: v += u[j]; break;
        default: {
            double span = a->ideal[j] - a->res[j];
            if (span > TOL) v = fmin(v, d / span), any = true;
        }
        }
    }
    if (pt == PARLEY_POINT_KALAI_SMORODINSKY && !any) v = 1; /* no one can gain: every rational outcome is ideal */
    return v;
}

/* Whether some outcome dominates i (by the tolerance), checked against every outcome: O(n p). */
static bool dominated_scan(const parley_analysis *a, size_t i)
{
    const double *ui = a->u + i * a->p;
    for (size_t q = 0; q < a->n; q++) {
        const double *uq = a->u + q * a->p;
        bool ge = true, gt = false;
        for (size_t j = 0; j < a->p && ge; j++) {
            ge = uq[j] >= ui[j] - TOL;
            gt |= uq[j] > ui[j] + TOL;
        }
        if (ge && gt) return true;
    }
    return false;
}

static bool points(parley_analysis *a, const uint32_t *rank)
{
    size_t n = a->n, p = a->p;
    bool ok = true;
    /* Each point's function grows with every utility, so its best over the rational outcomes is reached
     * on the rational frontier: with the frontier known only its outcomes are looked at. */
    size_t nc = a->has_frontier ? a->n_front : n;
    for (int pt = 0; pt < PARLEY_POINT_COUNT && ok; pt++) {
        double best = -INFINITY;
        for (size_t c = 0; c < nc; c++) {
            size_t i = a->has_frontier ? a->front[c] : c;
            if (parley_analysis_rational(a, i)) {
                double v = point_value(a, (parley_point)pt, a->u + i * p);
                if (v > best) best = v;
            }
        }
        a->pval[pt] = a->rational ? best : NAN;
        /* A product of many gains is tiny (2e-15 for 10 parties) where the others are not: its ties are
         * relative to its size. */
        double tol = pt == PARLEY_POINT_NASH && best > 0 ? TOL * best : TOL;
        size_t cap = 0;
        for (size_t c = 0; c < nc && a->rational && ok; c++) {
            size_t i = a->has_frontier ? a->front[c] : c;
            if (!parley_analysis_rational(a, i) || point_value(a, (parley_point)pt, a->u + i * p) < best - tol) continue;
            if (!a->has_frontier && dominated_scan(a, i)) continue;
            if (!(ok = pu_grow((void **)&a->pts[pt], &cap, a->n_pts[pt] + 1, sizeof *a->pts[pt]))) break;
            a->pts[pt][a->n_pts[pt]++] = i;
        }
        g_ctx = (frontier_ctx){a, rank};
        if (ok) qsort(a->pts[pt], a->n_pts[pt], sizeof *a->pts[pt], cmp_front);
    }
    return ok;
}

/* ---- enumeration ---- */

parley_status parley_analyze(const parley_scenario *s, const parley_analyze_options *o, parley_analysis **out,
                             parley_error *err)
{
    *out = NULL;
    parley_analyze_options def = {0};
    if (!o) o = &def;
    size_t na = parley_scenario_actor_count(s), ni = parley_scenario_issue_count(s);
    size_t p = o->actors ? o->n_actors : na;
    if (p == 0 || ni == 0) return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "actors", "expected at least one party and one issue");
    if (o->grid == 1) return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "grid", "expected a grid of at least 2 points, found 1");
    parley_analysis *a = calloc(1, sizeof *a);
    if (!a) return PARLEY_E_NOMEM;
    a->n_issues = ni, a->p = p;
    a->vals = calloc(ni, sizeof *a->vals), a->count = calloc(ni, sizeof *a->count);
    a->stride = calloc(ni, sizeof *a->stride), a->actors = calloc(p, sizeof *a->actors);
    a->res = calloc(p, sizeof *a->res), a->ideal = calloc(p, sizeof *a->ideal);
    parley_status st = PARLEY_E_NOMEM;
    if (!a->vals || !a->count || !a->stride || !a->actors || !a->res || !a->ideal) goto fail;
    for (size_t j = 0; j < p; j++) {
        size_t act = o->actors ? o->actors[j] : j;
        bool repeat = false;
        for (size_t q = 0; q < j; q++) repeat |= a->actors[q] == act;
        if (act >= na || repeat) {
            if (repeat) st = PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "actors", "actor %s is named twice", parley_actor_id(s, act));
            else st = PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "actors", "no actor %zu (the scenario has %zu)", act, na);
            goto fail;
        }
        a->actors[j] = act;
        a->res[j] = parley_reservation(s, act, o->shape);
    }
    /* The count, checked against the limit before anything that large is allocated. */
    double total = 1;
    for (size_t k = 0; k < ni; k++) {
        a->vals[k] = issue_values(s, k, o->grid, &a->count[k]);
        if (!a->vals[k] && a->count[k] != SIZE_MAX) goto fail;
        total *= a->count[k] == SIZE_MAX ? INFINITY : (double)a->count[k];
    }
    if (!(total <= PARLEY_ANALYZE_MAX_OUTCOMES) || !(total * (double)p <= PARLEY_ANALYZE_MAX_CELLS)) {
        pu_buf b = {0};
        for (size_t k = 0; k < ni; k++) {
            if (a->count[k] == SIZE_MAX) pu_buf_printf(&b, "%s%s: too many", k ? " x " : "", parley_issue_id(s, k));
            else pu_buf_printf(&b, "%s%s: %zu", k ? " x " : "", parley_issue_id(s, k), a->count[k]);
        }
        st = PERR(err, PARLEY_E_LIMIT, NULL, 0, 0, "outcomes",
                  "the outcome space has %.0f outcomes (%s) for %zu parties; the limit is %u outcomes and %u "
                  "outcomes x parties (fewer grid points, issues or parties)",
                  total, b.data ? b.data : "", p, PARLEY_ANALYZE_MAX_OUTCOMES, PARLEY_ANALYZE_MAX_CELLS);
        pu_buf_free(&b);
        goto fail;
    }
    size_t n = (size_t)total;
    a->n = n;
    for (size_t k = ni, st_ = 1; k-- > 0;) a->stride[k] = st_, st_ *= a->count[k] ? a->count[k] : 1;
    if (n == 0) goto analysed;
    if (!(a->u = malloc(n * p * sizeof *a->u))) goto fail;
    /* Utilities issue by issue: w_jk v_jk of every value once, then each outcome's sum. The last issue
     * varies fastest, so the sum of the issues before it is carried in prefix[]. */
    double **tab = calloc(ni * p, sizeof *tab);
    double *prefix = malloc((ni + 1) * p * sizeof *prefix);
    size_t *idx = calloc(ni, sizeof *idx);
    bool okt = tab && prefix && idx;
    for (size_t k = 0; k < ni && okt; k++)
        for (size_t j = 0; j < p && okt; j++) {
            if (!(tab[k * p + j] = malloc(a->count[k] * sizeof **tab))) okt = false;
            else parley_weighted_evaluations(s, a->actors[j], k, a->vals[k], a->count[k], o->shape, tab[k * p + j]);
        }
    if (okt) {
        for (size_t j = 0; j < p; j++) prefix[j] = 0;
        for (size_t k = 0; k + 1 < ni; k++)
            for (size_t j = 0; j < p; j++) prefix[(k + 1) * p + j] = prefix[k * p + j] + tab[k * p + j][0];
        size_t last = ni - 1, mlast = a->count[last];
        for (size_t base = 0; base < n; base += mlast) {
            const double *pre = prefix + last * p;
            double *u = a->u + base * p;
            for (size_t v = 0; v < mlast; v++)
                for (size_t j = 0; j < p; j++) u[v * p + j] = pre[j] + tab[last * p + j][v];
            /* the odometer: the rightmost issue before the last that can step does, the ones after restart */
            size_t k = last;
            while (k-- > 0) {
                if (++idx[k] < a->count[k]) break;
                idx[k] = 0;
            }
            if (k == SIZE_MAX) break;
            for (size_t q = k; q < last; q++)
                for (size_t j = 0; j < p; j++) prefix[(q + 1) * p + j] = prefix[q * p + j] + tab[q * p + j][idx[q]];
        }
    }
    for (size_t i = 0; tab && i < ni * p; i++) free(tab[i]);
    free(tab), free(prefix), free(idx);
    if (!okt) goto fail;
analysed:
    for (size_t j = 0; j < p; j++) a->ideal[j] = NAN;
    for (size_t i = 0; i < n; i++) {
        if (!parley_analysis_rational(a, i)) continue;
        a->rational++;
        for (size_t j = 0; j < p; j++)
            if (isnan(a->ideal[j]) || a->u[i * p + j] > a->ideal[j]) a->ideal[j] = a->u[i * p + j];
    }
    bool want = o->frontier == PARLEY_FRONTIER_ALWAYS || (o->frontier == PARLEY_FRONTIER_AUTO && p <= 3);
    uint32_t *rank = NULL;
    if (want && !frontier(a, &rank)) goto fail;
    bool okp = points(a, rank);
    free(rank);
    if (!okp) goto fail;
    *out = a;
    return PARLEY_OK;
fail:
    parley_analysis_free(a);
    if (st == PARLEY_E_NOMEM) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory analysing the outcome space");
    return st;
}

/* ---- getters ---- */

size_t parley_analysis_outcome_count(const parley_analysis *a) { return a->n; }
size_t parley_analysis_rational_count(const parley_analysis *a) { return a->rational; }
size_t parley_analysis_party_count(const parley_analysis *a) { return a->p; }
size_t parley_analysis_party_actor(const parley_analysis *a, size_t j) { return j < a->p ? a->actors[j] : SIZE_MAX; }
double parley_analysis_reservation(const parley_analysis *a, size_t j) { return j < a->p ? a->res[j] : NAN; }
double parley_analysis_ideal(const parley_analysis *a, size_t j) { return j < a->p ? a->ideal[j] : NAN; }
size_t parley_analysis_value_count(const parley_analysis *a, size_t k) { return k < a->n_issues ? a->count[k] : 0; }

double parley_analysis_value(const parley_analysis *a, size_t i, size_t k)
{
    if (i >= a->n || k >= a->n_issues) return NAN;
    return a->vals[k][(i / a->stride[k]) % a->count[k]];
}

double parley_analysis_utility(const parley_analysis *a, size_t i, size_t j)
{
    return i < a->n && j < a->p ? a->u[i * a->p + j] : NAN;
}

bool parley_analysis_rational(const parley_analysis *a, size_t i)
{
    if (i >= a->n) return false;
    for (size_t j = 0; j < a->p; j++)
        if (a->u[i * a->p + j] < a->res[j] - TOL) return false;
    return true;
}

bool parley_analysis_has_frontier(const parley_analysis *a) { return a->has_frontier; }
size_t parley_analysis_frontier_count(const parley_analysis *a) { return a->n_front; }
size_t parley_analysis_frontier_at(const parley_analysis *a, size_t i) { return i < a->n_front ? a->front[i] : SIZE_MAX; }

size_t parley_analysis_point_count(const parley_analysis *a, parley_point p)
{
    return p < PARLEY_POINT_COUNT ? a->n_pts[p] : 0;
}

size_t parley_analysis_point_at(const parley_analysis *a, parley_point p, size_t i)
{
    return p < PARLEY_POINT_COUNT && i < a->n_pts[p] ? a->pts[p][i] : SIZE_MAX;
}

double parley_analysis_point_value(const parley_analysis *a, parley_point p)
{
    return p < PARLEY_POINT_COUNT ? a->pval[p] : NAN;
}
