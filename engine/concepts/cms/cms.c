/*
 * cms.c — the count-min sketch (cms.h).
 */
#include "engine/concepts/cms/cms.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/rand/rand.h"

#define MERSENNE61 ((1ULL << 61) - 1)

void cms_size(double epsilon, double delta, uint32_t *width, uint32_t *depth)
{
	*width = (uint32_t)ceil(exp(1.0) / epsilon);
	*depth = (uint32_t)ceil(log(1.0 / delta));
	if (*depth < 1)
		*depth = 1;
}

int cms_init(struct cms *c, uint32_t width, uint32_t depth, uint64_t seed, size_t top)
{
	memset(c, 0, sizeof *c);
	c->width = width;
	c->depth = depth;
	c->seed = seed;
	struct rng r;
	rng_seed(&r, seed);
	for (uint32_t i = 0; i < depth; i++) {
		c->a[i] = 1 + rng_below(&r, MERSENNE61 - 1); /* a in [1, p-1] */
		c->b[i] = rng_below(&r, MERSENNE61);
	}
	c->counts = budget_calloc((size_t)width * depth, sizeof *c->counts);
	c->ntop_max = top;
	if (top)
		c->top = budget_calloc(top, sizeof *c->top);
	if (!c->counts || (top && !c->top)) {
		cms_free(c);
		return -1;
	}
	return 0;
}

void cms_free(struct cms *c)
{
	for (size_t i = 0; i < c->ntop; i++)
		budget_free(c->top[i].key);
	budget_free(c->top);
	budget_free(c->counts);
	c->top = NULL;
	c->counts = NULL;
	c->ntop = 0;
}

/* (a x + b) mod 2^61 - 1, then mod width: a pairwise-independent family
 * (Carter and Wegman) over the key's 64-bit hash, reduced below p first. */
static uint32_t cell(const struct cms *c, uint32_t row, uint64_t x)
{
	x %= MERSENNE61;
	unsigned __int128 v = (unsigned __int128)c->a[row] * x + c->b[row];
	uint64_t lo = (uint64_t)(v & MERSENNE61), hi = (uint64_t)(v >> 61);
	uint64_t h = lo + hi;
	while (h >= MERSENNE61)
		h -= MERSENNE61;
	return (uint32_t)(h % c->width);
}

static uint64_t estimate_hash(const struct cms *c, uint64_t x)
{
	uint64_t m = UINT64_MAX;
	for (uint32_t i = 0; i < c->depth; i++) {
		uint64_t v = c->counts[(size_t)i * c->width + cell(c, i, x)];
		if (v < m)
			m = v;
	}
	return m;
}

uint64_t cms_estimate(const struct cms *c, const void *key, size_t len)
{
	return estimate_hash(c, chash_hash64(key, len));
}

/* Keeps KEY in the top list with estimate E: updates it if there, adds it
 * if there is room, or replaces the lightest if E is heavier. -1 memory. */
static int top_offer(struct cms *c, const void *key, size_t len, int tag, uint64_t e)
{
	if (!c->ntop_max)
		return 0;
	size_t lightest = 0;
	for (size_t i = 0; i < c->ntop; i++) {
		if (c->top[i].len == len && memcmp(c->top[i].key, key, len) == 0) {
			c->top[i].estimate = e;
			return 0;
		}
		if (c->top[i].estimate < c->top[lightest].estimate)
			lightest = i;
	}
	size_t slot;
	if (c->ntop < c->ntop_max)
		slot = c->ntop;
	else if (e > c->top[lightest].estimate)
		slot = lightest;
	else
		return 0;
	char *k = budget_malloc(len + 1);
	if (!k)
		return -1;
	memcpy(k, key, len);
	k[len] = '\0';
	if (slot == c->ntop)
		c->ntop++;
	else
		budget_free(c->top[slot].key);
	c->top[slot] = (struct cms_top){k, len, tag, e};
	return 0;
}

uint64_t cms_add(struct cms *c, const void *key, size_t len, int tag, uint64_t n)
{
	uint64_t x = chash_hash64(key, len);
	for (uint32_t i = 0; i < c->depth; i++) {
		uint64_t *v = &c->counts[(size_t)i * c->width + cell(c, i, x)];
		*v = *v > UINT64_MAX - 1 - n ? UINT64_MAX - 1 : *v + n;
	}
	c->total = c->total > UINT64_MAX - 1 - n ? UINT64_MAX - 1 : c->total + n;
	uint64_t e = estimate_hash(c, x);
	if (top_offer(c, key, len, tag, e) != 0)
		return UINT64_MAX;
	return e;
}

int cms_merge(struct cms *c, const struct cms *o)
{
	if (c->width != o->width || c->depth != o->depth || c->seed != o->seed)
		return -1;
	size_t n = (size_t)c->width * c->depth;
	for (size_t i = 0; i < n; i++)
		c->counts[i] = c->counts[i] > UINT64_MAX - 1 - o->counts[i] ? UINT64_MAX - 1
									  : c->counts[i] + o->counts[i];
	c->total = c->total > UINT64_MAX - 1 - o->total ? UINT64_MAX - 1 : c->total + o->total;
	for (size_t i = 0; i < c->ntop; i++)
		c->top[i].estimate = cms_estimate(c, c->top[i].key, c->top[i].len);
	for (size_t i = 0; i < o->ntop; i++)
		if (top_offer(c, o->top[i].key, o->top[i].len, o->top[i].tag,
			      cms_estimate(c, o->top[i].key, o->top[i].len)) != 0)
			return -2;
	return 0;
}

static int cmp_top(const void *pa, const void *pb)
{
	const struct cms_top *a = pa, *b = pb;
	if (a->estimate != b->estimate)
		return a->estimate > b->estimate ? -1 : 1;
	size_t n = a->len < b->len ? a->len : b->len;
	int d = memcmp(a->key, b->key, n);
	return d ? d : (a->len > b->len) - (a->len < b->len);
}

void cms_top_sort(struct cms *c)
{
	if (c->ntop)
		qsort(c->top, c->ntop, sizeof *c->top, cmp_top);
}
