/*
 * schedpack.c — offline bin packing of pods onto nodes, the classic
 * heuristics to hold the online scheduler against: first fit and best
 * fit, in the order given or decreasing (Johnson, "Near-optimal bin
 * packing algorithms", MIT 1973; first fit decreasing uses at most
 * 11/9 OPT + 6/9 bins in one dimension, Dósa 2007).
 */
#include <stdlib.h>

#include "engine/base/budget.h"
#include "engine/concepts/sched/sched.h"

struct item {
	int64_t cpu, mem;
	size_t i;
};

/* Decreasing by CPU, then memory, then the order given. */
static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? 1 : -1;
	if (x->mem != y->mem)
		return x->mem < y->mem ? 1 : -1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The node for IT among M with FC, FM free and FP pod slots: the first
 * that fits, or (BEST) the one left with the least CPU, then memory. */
static long choose(const struct item *it, size_t m, const int64_t *fc, const int64_t *fm,
		   const int64_t *fp, int best)
{
	long pick = -1;
	for (size_t k = 0; k < m; k++) {
		if (it->cpu > fc[k] || it->mem > fm[k] || fp[k] < 1)
			continue;
		if (!best)
			return (long)k;
		if (pick < 0 || fc[k] < fc[pick] || (fc[k] == fc[pick] && fm[k] < fm[pick]))
			pick = (long)k;
	}
	return pick;
}

int sched_pack(const struct sched_nodespec *nodes, size_t m, const int64_t *cpu,
	       const int64_t *mem, size_t n, int decreasing, int best, long *out)
{
	struct item *items = budget_calloc(n ? n : 1, sizeof *items);
	int64_t *free = budget_calloc(3 * (m ? m : 1), sizeof *free);
	if (!items || !free) {
		budget_free(items);
		budget_free(free);
		return -1;
	}
	int64_t *fc = free, *fm = free + m, *fp = free + 2 * m;
	for (size_t k = 0; k < m; k++) {
		fc[k] = nodes[k].cpu;
		fm[k] = nodes[k].mem;
		fp[k] = nodes[k].max_pods;
	}
	for (size_t i = 0; i < n; i++)
		items[i] = (struct item){cpu[i] < 0 ? 0 : cpu[i], mem[i] < 0 ? 0 : mem[i], i};
	if (decreasing)
		qsort(items, n, sizeof *items, cmp_item);
	for (size_t j = 0; j < n; j++) {
		long k = choose(&items[j], m, fc, fm, fp, best);
		out[items[j].i] = k;
		if (k < 0)
			continue;
		fc[k] -= items[j].cpu;
		fm[k] -= items[j].mem;
		fp[k]--;
	}
	budget_free(items);
	budget_free(free);
	return 0;
}
