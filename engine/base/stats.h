/*
 * stats.h — sorting samples and reading nearest-rank quantiles, the two
 * steps every simulator's latency report takes.
 */
#ifndef BACKLAB_STATS_H
#define BACKLAB_STATS_H

#include <stddef.h>

/* Sorts V[0..N) ascending; N may be 0 (V then may be NULL). */
void stats_sort(double *v, size_t n);

/*
 * The nearest-rank P-quantile (0 <= P <= 1) of the sorted V[0..N): its
 * ceil(P N)-th smallest value, the smallest when P N <= 1; NaN when N is 0.
 */
double stats_rank(const double *v, size_t n, double p);

#endif
