/*
 * stats.c — see stats.h.
 */
#include "engine/base/stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void stats_sort(double *v, size_t n)
{
	if (n > 1)                  /* qsort's pointer must not be NULL, even for 0 */
		qsort(v, n, sizeof *v, cmp_double);
}

double stats_rank(const double *v, size_t n, double p)
{
	if (n == 0)
		return NAN;
	size_t k = (size_t)ceil(p * (double)n);
	if (k > n)
		k = n;
	return v[k ? k - 1 : 0];
}
