/* smp.h - hooks into the spatial model of politics for its tests; models themselves go through model.h. */
#ifndef PARLEY_MODELS_SMP_H
#define PARLEY_MODELS_SMP_H

#include <stdbool.h>
#include <stddef.h>

/* For tests: when true, smp runs its plain algorithms (every contest in full, every bargain's utilities
 * summed per queue, the elections pair by pair) instead of the fast ones, which must give the same
 * results bit for bit. Set it only while no smp run is under way. */
extern bool smp_reference_algorithms;

/* The choice indices below follow the smp option lists (voting, victory, pce, r_range, interp). */

/* Holds one probabilistic Condorcet election: na voters of weights w, no options, u[a * no + o] the
 * utility of option o to voter a; fills p (no entries). Returns false when out of memory or when a Markov
 * iteration stopped at max_iter without converging (p then holds the last iterate). */
bool smp_election(int voting, int victory, int pce, size_t na, size_t no, const double *w, const double *u, double *p,
                  int max_iter);
/* Returns the risk attitude of an actor whose position wins with probability p, when the probabilities
 * range over [pmin, pmax]; 0 for everyone when they are all equal. */
double smp_risk(int range, double p, double pmin, double pmax);
/* Sets *bi and *bj: the bargained coordinates of initiator (ti, salience si) and receiver (tj, sj) when
 * the initiator wins with probability p. */
void smp_interpolate(int interp, double ti, double si, double tj, double sj, double p, double *bi, double *bj);

#endif
