/* cbloom.c — the counting Bloom filter of cbloom.h: one byte per counter
 * (the width c only sets the largest value, 2^c - 1). */
#include "engine/concepts/bloom/cbloom.h"
#include "engine/base/budget.h"

#include <string.h>

struct cbloom {
	uint64_t m;
	int k, bits;
	unsigned max;
	uint64_t added, removed;
	unsigned char *cnt;
};

struct cbloom *cbloom_new(uint64_t m, int k, int bits)
{
	if (m < 1 || m > CBLOOM_MAX_COUNTERS || k < 1 || k > BLOOM_MAX_HASHES || bits < 1 || bits > 8)
		return NULL;
	struct cbloom *c = budget_calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->cnt = budget_calloc((size_t)m, 1);
	if (!c->cnt) {
		budget_free(c);
		return NULL;
	}
	c->m = m;
	c->k = k;
	c->bits = bits;
	c->max = (1u << bits) - 1;
	return c;
}

void cbloom_free(struct cbloom *c)
{
	if (c) {
		budget_free(c->cnt);
		budget_free(c);
	}
}

/* KEY's k positions into POS. */
static void cbloom_positions(const struct cbloom *c, const struct bloom_key *key, uint64_t *pos)
{
	uint64_t h1, h2;
	bloom_hash(key, &h1, &h2);
	for (int i = 0; i < c->k; i++)
		pos[i] = (h1 + (uint64_t)i * h2) % c->m;
}

int cbloom_add(struct cbloom *c, const struct bloom_key *key)
{
	uint64_t pos[BLOOM_MAX_HASHES];
	int stuck = 0;
	cbloom_positions(c, key, pos);
	for (int i = 0; i < c->k; i++)
		if (c->cnt[pos[i]] < c->max && ++c->cnt[pos[i]] == c->max)
			stuck++;
	c->added++;
	return stuck;
}

int cbloom_remove(struct cbloom *c, const struct bloom_key *key)
{
	uint64_t pos[BLOOM_MAX_HASHES];
	cbloom_positions(c, key, pos);
	for (int i = 0; i < c->k; i++)
		if (c->cnt[pos[i]] == 0)
			return -1;
	for (int i = 0; i < c->k; i++)
		if (c->cnt[pos[i]] > 0 && c->cnt[pos[i]] < c->max)
			c->cnt[pos[i]]--;
	c->removed++;
	return 0;
}

int cbloom_has(const struct cbloom *c, const struct bloom_key *key)
{
	uint64_t pos[BLOOM_MAX_HASHES];
	cbloom_positions(c, key, pos);
	for (int i = 0; i < c->k; i++)
		if (c->cnt[pos[i]] == 0)
			return 0;
	return 1;
}

void cbloom_stats(const struct cbloom *c, struct cbloom_stats *st)
{
	memset(st, 0, sizeof *st);
	st->counters = c->m;
	st->added = c->added;
	st->removed = c->removed;
	st->hashes = c->k;
	st->bits = c->bits;
	st->bytes = sizeof *c + (size_t)c->m;
	for (uint64_t i = 0; i < c->m; i++) {
		st->nonzero += c->cnt[i] > 0;
		st->saturated += c->cnt[i] == c->max;
		if (c->cnt[i] > st->max)
			st->max = c->cnt[i];
	}
}

int cbloom_counter(const struct cbloom *c, uint64_t i)
{
	return i < c->m ? c->cnt[i] : -1;
}
