/* bdm.h - hooks into the expected-utility model for its tests; models themselves go through model.h. */
#ifndef PARLEY_MODELS_BDM_H
#define PARLEY_MODELS_BDM_H

#include <stdbool.h>
#include <stddef.h>

/* Fills P[i * m + j] with the probability that i prevails over j (exact position equality counts as the
 * same position), computed by the model's own O(n^2) sorted sweep. form: 0 paper, 2 net, 3 third_party.
 * Returns false when out of memory. */
bool bdm_probabilities(const double *x, const double *w, size_t m, int form, double *P);

#endif
