/* stats.c - weighted median and mean. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int by_position(const void *a, const void *b)
{
    const st_pair *pa = a, *pb = b;
    if (pa->x < pb->x) return -1;
    if (pa->x > pb->x) return 1;
    /* Equal positions keep input order, so the result never depends on the sort algorithm. */
    return pa->i < pb->i ? -1 : pa->i > pb->i;
}

double st_wmedian(const double *x, const double *w, size_t n, st_tie tie, st_pair *p)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) total += w[i];
    if (n == 0 || !(total > 0)) return NAN;
    for (size_t i = 0; i < n; i++) p[i] = (st_pair){x[i], w[i], i};
    qsort(p, n, sizeof *p, by_position);
    /* A relative tolerance decides "exactly half", so that 0.1 + 0.2 style sums still count as a tie. */
    double half = total / 2, eps = total * 1e-12, cum = 0;
    for (size_t i = 0; i < n; i++) {
        cum += p[i].w;
        if (cum < half - eps) continue;
        double lower = p[i].x;
        if (cum > half + eps || tie == ST_TIE_LOWER) return lower;
        size_t j = i + 1;
        while (j < n && (p[j].w <= 0 || p[j].x == lower)) j++;
        if (j == n) return lower;
        return tie == ST_TIE_UPPER ? p[j].x : (lower + p[j].x) / 2;
    }
    return p[n - 1].x;
}

double st_wmean(const double *x, const double *w, size_t n)
{
    double sw = 0, sx = 0;
    for (size_t i = 0; i < n; i++) {
        sw += w[i];
        sx += w[i] * x[i];
    }
    return sw > 0 ? sx / sw : NAN;
}
