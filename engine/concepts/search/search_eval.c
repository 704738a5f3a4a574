/*
 * search_eval.c — precision, recall and nDCG of a ranking (search.h).
 */
#include "engine/concepts/search/search.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int grade_desc(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return a > b ? -1 : a < b;
}

int search_evaluate(const double *ranked, size_t nranked, const double *all, size_t nall,
		    size_t k, struct search_eval *e)
{
	memset(e, 0, sizeof *e);
	double *ideal = budget_malloc((nall ? nall : 1) * sizeof *ideal);
	if (!ideal)
		return -1;
	memcpy(ideal, all, nall * sizeof *ideal);
	qsort(ideal, nall, sizeof *ideal, grade_desc);
	for (size_t i = 0; i < nall; i++)
		e->relevant += all[i] > 0;
	for (size_t i = 0; i < k && i < nranked; i++) {
		e->hits += ranked[i] > 0;
		if (ranked[i] > 0)
			e->dcg += ranked[i] / log2((double)i + 2);
	}
	for (size_t i = 0; i < k && i < nall && ideal[i] > 0; i++)
		e->idcg += ideal[i] / log2((double)i + 2);
	budget_free(ideal);
	e->precision = k ? (double)e->hits / (double)k : 0;
	e->recall = e->relevant ? (double)e->hits / (double)e->relevant : 0;
	e->ndcg = e->idcg > 0 ? e->dcg / e->idcg : 0;
	return 0;
}
