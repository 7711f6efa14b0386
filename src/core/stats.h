/* stats.h - weighted median and mean, shared by the models and the round summaries. */
#ifndef PARLEY_STATS_H
#define PARLEY_STATS_H

#include <stddef.h>

typedef enum st_tie { ST_TIE_LOWER = 0, ST_TIE_UPPER, ST_TIE_MIDPOINT } st_tie;

/* Scratch space for st_wmedian: one per input element. */
typedef struct st_pair {
    double x, w;
    size_t i;
} st_pair;

/* Returns the weighted median of x[0..n) with weights w (>= 0). When the weight splits exactly in half
 * between two positions, tie picks the lower, the upper or their midpoint. Returns NaN when n == 0 or
 * all weights are 0. scratch must hold n pairs. Thread-safe; cannot fail otherwise. */
double st_wmedian(const double *x, const double *w, size_t n, st_tie tie, st_pair *scratch);
/* Returns sum(w x) / sum(w), or NaN when the weights sum to 0. */
double st_wmean(const double *x, const double *w, size_t n);

#endif
