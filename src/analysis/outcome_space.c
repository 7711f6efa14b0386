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
    double **tab;   /* tab[k * p + j][v]: party j's w v of issue k's value v */
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
    free(a->vals), free(a->count), free(a->stride), free(a->actors), free(a->res), free(a->ideal);
    for (size_t i = 0; a->tab && i < a->n_issues * a->p; i++) free(a->tab[i]);
    free(a->tab);
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

/* ---- the frontier of a list of utility vectors ---- */

/* Candidates: n utility vectors of p parties (u, outcome-major) and the outcome each belongs to. */
typedef struct flist {
    size_t n, p;
    double *u;
    size_t *id;
} flist;

/* Ranks every party's utilities in L (rank[j * n + i], utilities within TOL in a chain sharing a rank, 0
 * the worst; m[j] ranks) and, for party 0, the entries in ascending order (order[0..n)). */
static bool rank_all(const flist *L, uint32_t *rank, uint32_t *order, uint32_t *m)
{
    size_t n = L->n, p = L->p;
    kv *x = malloc((n ? n : 1) * sizeof *x), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    bool ok = x && tmp;
    for (size_t j = 0; j < p && ok; j++) {
        for (size_t i = 0; i < n; i++) x[i] = (kv){dkey(L->u[i * p + j]), (uint32_t)i};
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

/* qsort has no context argument in C17: the keys of the sorts below, set and used within one call. */
static _Thread_local const uint32_t *g_r1, *g_r2, *g_rank;
static _Thread_local const flist *g_list;

static int cmp_group(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    if (g_r1[a] != g_r1[b]) return g_r1[a] < g_r1[b] ? 1 : -1;
    if (g_r2[a] != g_r2[b]) return g_r2[a] < g_r2[b] ? 1 : -1;
    return 0;
}

/* Ranks descending, party 0 first, then the outcome's index. */
static int cmp_lex(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    size_t n = g_list->n;
    for (size_t j = 0; j < g_list->p; j++) {
        uint32_t ra = g_rank[j * n + a], rb = g_rank[j * n + b];
        if (ra != rb) return ra < rb ? 1 : -1;
    }
    return (g_list->id[a] > g_list->id[b]) - (g_list->id[a] < g_list->id[b]);
}

/* Keeps in L only its undominated entries (ties kept), best first (cmp_lex). Cost: O(n log n) for p <= 3
 * (radix sorts, then a sweep), O(n log n + n F p) for more parties with F kept. */
static bool frontier_list(flist *L)
{
    size_t n = L->n, p = L->p, nk = 0;
    uint32_t *rank = malloc((n * p > 0 ? n * p : 1) * sizeof *rank), *order = malloc((n ? n : 1) * sizeof *order);
    uint32_t *m = calloc(p, sizeof *m), *keep = malloc((n ? n : 1) * sizeof *keep);
    uint32_t *fen = NULL, *grp = NULL;
    bool ok = rank && order && m && keep && rank_all(L, rank, order, m);
    const uint32_t *r0 = rank;
    if (ok && p == 1) {
        for (size_t i = 0; i < n; i++)
            if (r0[i] == m[0] - 1) keep[nk++] = (uint32_t)i;
    } else if (ok && p == 2) {
        /* Groups of equal u_0, best first: a member survives when its u_1 is its group's best and beats
         * every better group's best. */
        const uint32_t *r1 = rank + n;
        int64_t best = -1;
        for (size_t e = n; e > 0;) {
            size_t b = e;
            uint32_t g = r0[order[e - 1]], mx = 0;
            while (b > 0 && r0[order[b - 1]] == g) {
                if (r1[order[b - 1]] > mx) mx = r1[order[b - 1]];
                b--;
            }
            if ((int64_t)mx > best) {
                for (size_t i = b; i < e; i++)
                    if (r1[order[i]] == mx) keep[nk++] = order[i];
                best = mx;
            }
            e = b;
        }
    } else if (ok && p == 3) {
        /* Groups of equal u_0, best first. A member is dominated by a better group when some earlier
         * entry has u_1 and u_2 at least its own (the Fenwick tree answers that in O(log n)), and within
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
            size_t gk = 0;
            int64_t best = -1;
            for (size_t s = 0; s < gn;) {
                size_t t = s;
                while (t < gn && r1[grp[t]] == r1[grp[s]]) t++;
                uint32_t mx = r2[grp[s]];
                if ((int64_t)mx > best) {
                    for (size_t i = s; i < t && r2[grp[i]] == mx; i++) grp[gk++] = grp[i];
                    best = mx;
                }
                s = t;
            }
            for (size_t i = 0; i < gk; i++)
                if (fen_max_from(fen, m[1], r1[grp[i]]) < r2[grp[i]] + 1) keep[nk++] = grp[i];
            for (size_t i = 0; i < gk; i++) fen_put(fen, m[1], r1[grp[i]], r2[grp[i]] + 1);
            e = b;
        }
    } else if (ok) {
        /* p >= 4: in descending lexicographic order an entry can only be dominated by an earlier one, and
         * then by an earlier kept one; so each is checked against those kept so far. */
        g_rank = rank, g_list = L;
        qsort(order, n, sizeof *order, cmp_lex);
        for (size_t i = 0; i < n; i++) {
            uint32_t x = order[i];
            bool dom = false;
            for (size_t f = 0; f < nk && !dom; f++) {
                uint32_t q = keep[f];
                bool ge = true, gt = false;
                for (size_t j = 0; j < p && ge; j++) {
                    uint32_t rq = rank[j * n + q], rx = rank[j * n + x];
                    ge = rq >= rx;
                    gt |= rq > rx;
                }
                dom = ge && gt;
            }
            if (!dom) keep[nk++] = x;
        }
    }
    if (ok) {
        g_rank = rank, g_list = L;
        qsort(keep, nk, sizeof *keep, cmp_lex);
        /* compact L to the kept entries, in that order */
        double *u = malloc((nk * p > 0 ? nk * p : 1) * sizeof *u);
        size_t *id = malloc((nk ? nk : 1) * sizeof *id);
        ok = u && id;
        if (ok) {
            for (size_t i = 0; i < nk; i++) {
                memcpy(u + i * p, L->u + (size_t)keep[i] * p, p * sizeof *u);
                id[i] = L->id[keep[i]];
            }
            free(L->u), free(L->id);
            L->u = u, L->id = id, L->n = nk;
        } else {
            free(u), free(id);
        }
    }
    free(rank), free(order), free(m), free(keep), free(fen), free(grp);
    return ok;
}

/* The frontier of the whole space, issue by issue. Utilities are additive, so an outcome whose values on
 * the first k issues are dominated there (by another choice of those values) is dominated in the whole
 * space (with the same values on the rest): the frontier lies within the frontier of the first k issues
 * times the values of issue k + 1. Each step keeps the frontier of that product, and the last is the
 * frontier of every outcome; its cost is that of the products, far below the whole space. */
static bool frontier(parley_analysis *a)
{
    size_t p = a->p;
    flist L = {0, p, NULL, NULL};
    for (size_t k = 0; k < a->n_issues; k++) {
        size_t m = a->count[k], n = k == 0 ? m : L.n * m;
        flist C = {n, p, malloc((n * p > 0 ? n * p : 1) * sizeof(double)), malloc((n ? n : 1) * sizeof(size_t))};
        if (!C.u || !C.id) {
            free(C.u), free(C.id), free(L.u), free(L.id);
            return false;
        }
        for (size_t s = 0, c = 0; s < (k == 0 ? 1 : L.n); s++)
            for (size_t v = 0; v < m; v++, c++) {
                for (size_t j = 0; j < p; j++) C.u[c * p + j] = (k == 0 ? 0 : L.u[s * p + j]) + a->tab[k * p + j][v];
                C.id[c] = (k == 0 ? 0 : L.id[s] * m) + v;
            }
        free(L.u), free(L.id);
        L = C;
        if (!frontier_list(&L)) {
            free(L.u), free(L.id);
            return false;
        }
    }
    free(L.u);
    a->front = L.id, a->n_front = L.n;
    a->has_frontier = true;
    return true;
}

/* ---- every outcome, one at a time ---- */

/* Calls fn(ctx, i, u) for every outcome i in order, u its p utilities (summed issue by issue from 0, as
 * the frontier sums them). The last issue varies fastest, so the sum of the issues before it is carried
 * in prefix[]. Returns false when out of memory. */
static bool each_outcome(const parley_analysis *a, void (*fn)(void *, size_t, const double *), void *ctx)
{
    size_t ni = a->n_issues, p = a->p;
    if (a->n == 0) return true;
    double *prefix = malloc((ni + 1) * p * sizeof *prefix), *u = malloc(p * sizeof *u);
    size_t *idx = calloc(ni, sizeof *idx);
    bool ok = prefix && u && idx;
    if (ok) {
        for (size_t j = 0; j < p; j++) prefix[j] = 0;
        for (size_t k = 0; k + 1 < ni; k++)
            for (size_t j = 0; j < p; j++) prefix[(k + 1) * p + j] = prefix[k * p + j] + a->tab[k * p + j][0];
        size_t last = ni - 1, mlast = a->count[last];
        for (size_t base = 0; base < a->n; base += mlast) {
            const double *pre = prefix + last * p;
            for (size_t v = 0; v < mlast; v++) {
                for (size_t j = 0; j < p; j++) u[j] = pre[j] + a->tab[last * p + j][v];
                fn(ctx, base + v, u);
            }
            /* the odometer: the rightmost issue before the last that can step does, the ones after restart */
            size_t k = last;
            while (k-- > 0) {
                if (++idx[k] < a->count[k]) break;
                idx[k] = 0;
            }
            if (k == SIZE_MAX) break;
            for (size_t q = k; q < last; q++)
                for (size_t j = 0; j < p; j++) prefix[(q + 1) * p + j] = prefix[q * p + j] + a->tab[q * p + j][idx[q]];
        }
    }
    free(prefix), free(u), free(idx);
    return ok;
}

static bool is_rational(const parley_analysis *a, const double *u)
{
    for (size_t j = 0; j < a->p; j++)
        if (u[j] < a->res[j] - TOL) return false;
    return true;
}

static void count_rational(void *ctx, size_t i, const double *u)
{
    parley_analysis *a = ctx;
    (void)i;
    if (!is_rational(a, u)) return;
    a->rational++;
    for (size_t j = 0; j < a->p; j++)
        if (isnan(a->ideal[j]) || u[j] > a->ideal[j]) a->ideal[j] = u[j];
}

/* ---- the points ---- */

/* The value point pt gives utilities u. */
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

/* A point's ties are within TOL of its best; a product of many gains is tiny (2e-15 for 10 parties)
 * where the other values are not, so its ties are relative to its size. */
static double tie_tolerance(parley_point pt, double best)
{
    return pt == PARLEY_POINT_NASH && best > 0 ? TOL * best : TOL;
}

/* The pass that finds the points without the frontier: the best of each, then its candidates (each with
 * its utilities), then which candidates some outcome dominates. */
typedef struct scan {
    parley_analysis *a;
    int phase;
    double best[PARLEY_POINT_COUNT];
    size_t *cand, n_cand, cap, cap_u;
    double *cu;
    char *dominated;
    bool failed;
} scan;

static void scan_outcome(void *ctx, size_t i, const double *u)
{
    scan *sc = ctx;
    parley_analysis *a = sc->a;
    size_t p = a->p;
    if (sc->phase == 0) {
        if (!is_rational(a, u)) return;
        for (int pt = 0; pt < PARLEY_POINT_COUNT; pt++) sc->best[pt] = fmax(sc->best[pt], point_value(a, (parley_point)pt, u));
    } else if (sc->phase == 1) {
        if (!is_rational(a, u)) return;
        bool cand = false;
        for (int pt = 0; pt < PARLEY_POINT_COUNT && !cand; pt++)
            cand = point_value(a, (parley_point)pt, u) >= sc->best[pt] - tie_tolerance((parley_point)pt, sc->best[pt]);
        if (!cand || sc->failed) return;
        if (!pu_grow((void **)&sc->cand, &sc->cap, sc->n_cand + 1, sizeof *sc->cand) ||
            !pu_grow((void **)&sc->cu, &sc->cap_u, (sc->n_cand + 1) * p, sizeof *sc->cu)) {
            sc->failed = true;
            return;
        }
        sc->cand[sc->n_cand] = i;
        memcpy(sc->cu + sc->n_cand * p, u, p * sizeof *u);
        sc->n_cand++;
    } else {
        for (size_t c = 0; c < sc->n_cand; c++) {
            if (sc->dominated[c]) continue;
            const double *uc = sc->cu + c * p;
            bool ge = true, gt = false;
            for (size_t j = 0; j < p && ge; j++) {
                ge = u[j] >= uc[j] - TOL;
                gt |= u[j] > uc[j] + TOL;
            }
            if (ge && gt) sc->dominated[c] = 1;
        }
    }
}

/* Utility of outcome i to party j, summed as the frontier sums it. O(issues). */
static double outcome_utility(const parley_analysis *a, size_t i, size_t j)
{
    double u = 0;
    for (size_t k = 0; k < a->n_issues; k++) u += a->tab[k * a->p + j][(i / a->stride[k]) % a->count[k]];
    return u;
}

static _Thread_local const parley_analysis *g_an;

/* Utilities descending (within TOL as equal), party 0 first, then index. */
static int cmp_outcome(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    for (size_t j = 0; j < g_an->p; j++) {
        double ua = outcome_utility(g_an, a, j), ub = outcome_utility(g_an, b, j);
        if (fabs(ua - ub) > TOL) return ua < ub ? 1 : -1;
    }
    return (a > b) - (a < b);
}

static bool add_point(parley_analysis *a, int pt, size_t *cap, size_t i)
{
    if (!pu_grow((void **)&a->pts[pt], cap, a->n_pts[pt] + 1, sizeof *a->pts[pt])) return false;
    a->pts[pt][a->n_pts[pt]++] = i;
    return true;
}

static bool points(parley_analysis *a)
{
    size_t p = a->p;
    bool ok = true;
    size_t caps[PARLEY_POINT_COUNT] = {0};
    for (int pt = 0; pt < PARLEY_POINT_COUNT; pt++) a->pval[pt] = NAN;
    if (a->rational == 0) return true;
    if (a->has_frontier) {
        /* Each point's function grows with every utility, so its best over the rational outcomes is
         * reached on the rational frontier, and only the frontier's outcomes are looked at. */
        double *u = malloc(p * sizeof *u);
        if (!u) return false;
        for (int pt = 0; pt < PARLEY_POINT_COUNT && ok; pt++) {
            double best = -INFINITY;
            for (int pass = 0; pass < 2 && ok; pass++)
                for (size_t f = 0; f < a->n_front && ok; f++) {
                    for (size_t j = 0; j < p; j++) u[j] = outcome_utility(a, a->front[f], j);
                    if (!is_rational(a, u)) continue;
                    double v = point_value(a, (parley_point)pt, u);
                    if (pass == 0) best = fmax(best, v);
                    else if (v >= best - tie_tolerance((parley_point)pt, best)) ok = add_point(a, pt, &caps[pt], a->front[f]);
                }
            a->pval[pt] = best;
        }
        free(u);
        return ok; /* in frontier order already */
    }
    scan sc = {a, 0, {-INFINITY, -INFINITY, -INFINITY, -INFINITY}, NULL, 0, 0, 0, NULL, NULL, false};
    ok = each_outcome(a, scan_outcome, &sc);
    sc.phase = 1;
    ok = ok && each_outcome(a, scan_outcome, &sc) && !sc.failed;
    sc.phase = 2;
    ok = ok && (sc.dominated = calloc(sc.n_cand ? sc.n_cand : 1, 1)) && each_outcome(a, scan_outcome, &sc);
    for (int pt = 0; pt < PARLEY_POINT_COUNT && ok; pt++) {
        a->pval[pt] = sc.best[pt];
        for (size_t c = 0; c < sc.n_cand && ok; c++)
            if (!sc.dominated[c] &&
                point_value(a, (parley_point)pt, sc.cu + c * p) >= sc.best[pt] - tie_tolerance((parley_point)pt, sc.best[pt]))
                ok = add_point(a, pt, &caps[pt], sc.cand[c]);
        g_an = a;
        if (ok) qsort(a->pts[pt], a->n_pts[pt], sizeof *a->pts[pt], cmp_outcome);
    }
    free(sc.cand), free(sc.cu), free(sc.dominated);
    return ok;
}

/* ---- the analysis ---- */

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
    a->tab = calloc(ni * p, sizeof *a->tab);
    parley_status st = PARLEY_E_NOMEM;
    if (!a->vals || !a->count || !a->stride || !a->actors || !a->res || !a->ideal || !a->tab) goto fail;
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
    /* The count, checked against the limit before anything that large is made. */
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
    a->n = (size_t)total;
    for (size_t k = ni, sk = 1; k-- > 0;) a->stride[k] = sk, sk *= a->count[k] ? a->count[k] : 1;
    /* w_jk v_jk of every value of every issue, once */
    for (size_t k = 0; k < ni; k++)
        for (size_t j = 0; j < p; j++) {
            if (!(a->tab[k * p + j] = malloc((a->count[k] ? a->count[k] : 1) * sizeof **a->tab))) goto fail;
            parley_weighted_evaluations(s, a->actors[j], k, a->vals[k], a->count[k], o->shape, a->tab[k * p + j]);
        }
    for (size_t j = 0; j < p; j++) a->ideal[j] = NAN;
    if (!each_outcome(a, count_rational, a)) goto fail;
    bool want = o->frontier == PARLEY_FRONTIER_ALWAYS || (o->frontier == PARLEY_FRONTIER_AUTO && p <= 3);
    if (a->n && want && !frontier(a)) goto fail;
    if (!points(a)) goto fail;
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
    return i < a->n && j < a->p ? outcome_utility(a, i, j) : NAN;
}

bool parley_analysis_rational(const parley_analysis *a, size_t i)
{
    if (i >= a->n) return false;
    for (size_t j = 0; j < a->p; j++)
        if (outcome_utility(a, i, j) < a->res[j] - TOL) return false;
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
