/* hashset.c — three schemes behind one interface; see hashset.h. */
#include "engine/concepts/hash/hashset.h"
#include "engine/base/budget.h"
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/hash/hashring.h"
#include "engine/concepts/hash/maglev.h"
#include "engine/concepts/hash/rendezvous.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hashset {
	enum hashset_kind kind;
	void *impl;
};

struct hashset *hashset_new(enum hashset_kind kind, uint32_t param)
{
	struct hashset *s = budget_malloc(sizeof *s);
	if (!s)
		return NULL;
	s->kind = kind;
	switch (kind) {
	case HASHSET_RING:
		s->impl = param >= 1 && param <= HASHRING_MAX_POINTS ? hashring_new(param) : NULL;
		break;
	case HASHSET_RENDEZVOUS:
		s->impl = rendezvous_new();
		break;
	case HASHSET_MAGLEV:
		s->impl = maglev_is_prime(param) && param <= MAGLEV_MAX_SIZE ? maglev_new(param)
									    : NULL;
		break;
	}
	if (!s->impl) {
		budget_free(s);
		return NULL;
	}
	return s;
}

void hashset_free(struct hashset *s)
{
	if (!s)
		return;
	switch (s->kind) {
	case HASHSET_RING: hashring_free(s->impl); break;
	case HASHSET_RENDEZVOUS: rendezvous_free(s->impl); break;
	case HASHSET_MAGLEV: maglev_free(s->impl); break;
	}
	budget_free(s);
}

enum hashset_kind hashset_kind(const struct hashset *s)
{
	return s->kind;
}

void *hashset_impl(const struct hashset *s)
{
	return s->impl;
}

int hashset_weighted(enum hashset_kind kind)
{
	return kind != HASHSET_MAGLEV;
}

int hashset_add(struct hashset *s, const char *name, size_t len, double weight)
{
	if (!(weight > 0) || !isfinite(weight) || (s->kind == HASHSET_MAGLEV && weight != 1) ||
	    hashset_find(s, name, len) >= 0)
		return -1;
	switch (s->kind) {
	case HASHSET_RING: return hashring_add(s->impl, name, len, weight);
	case HASHSET_RENDEZVOUS: return rendezvous_add(s->impl, name, len, weight);
	case HASHSET_MAGLEV: return maglev_add(s->impl, name, len);
	}
	return -1;
}

int hashset_remove(struct hashset *s, const char *name, size_t len)
{
	switch (s->kind) {
	case HASHSET_RING: return hashring_remove(s->impl, name, len);
	case HASHSET_RENDEZVOUS: return rendezvous_remove(s->impl, name, len);
	case HASHSET_MAGLEV: return maglev_remove(s->impl, name, len);
	}
	return -1;
}

int hashset_find(const struct hashset *s, const char *name, size_t len)
{
	switch (s->kind) {
	case HASHSET_RING: return hashring_find(s->impl, name, len);
	case HASHSET_RENDEZVOUS: return rendezvous_find(s->impl, name, len);
	case HASHSET_MAGLEV: return maglev_find(s->impl, name, len);
	}
	return -1;
}

size_t hashset_nodes(const struct hashset *s)
{
	switch (s->kind) {
	case HASHSET_RING: return hashring_nodes(s->impl);
	case HASHSET_RENDEZVOUS: return rendezvous_nodes(s->impl);
	case HASHSET_MAGLEV: return maglev_nodes(s->impl);
	}
	return 0;
}

const char *hashset_name(const struct hashset *s, size_t i, size_t *len)
{
	switch (s->kind) {
	case HASHSET_RING: return hashring_name(s->impl, i, len);
	case HASHSET_RENDEZVOUS: return rendezvous_name(s->impl, i, len);
	case HASHSET_MAGLEV: return maglev_name(s->impl, i, len);
	}
	return NULL;
}

int hashset_lookup(const struct hashset *s, const void *key, size_t len)
{
	switch (s->kind) {
	case HASHSET_RING: return hashring_lookup_key(s->impl, key, len);
	case HASHSET_RENDEZVOUS: return rendezvous_lookup(s->impl, chash_hash64(key, len));
	case HASHSET_MAGLEV: return maglev_lookup(s->impl, chash_hash64(key, len));
	}
	return -1;
}

int hashset_distribution(const struct hashset *s, uint64_t n, uint64_t *counts)
{
	size_t nodes = hashset_nodes(s);
	if (nodes == 0)
		return -1;
	memset(counts, 0, nodes * sizeof *counts);
	char key[32];
	for (uint64_t i = 1; i <= n; i++) {
		if ((i & 0xFFFF) == 0 && budget_stop())
			return -1;
		int len = snprintf(key, sizeof key, "key-%llu", (unsigned long long)i);
		counts[hashset_lookup(s, key, (size_t)len)]++;
	}
	return 0;
}

struct scored {
	double score;
	size_t i;
};

/* Best score first; equal scores in index order. */
static int by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->i < y->i ? -1 : x->i > y->i;
}

int hashset_rank(const struct hashset *s, const void *key, size_t len, size_t *order)
{
	if (s->kind != HASHSET_RENDEZVOUS)
		return -1;
	size_t n = rendezvous_nodes(s->impl);
	struct scored *sc = budget_malloc((n ? n : 1) * sizeof *sc);
	if (!sc)
		return -1;
	uint64_t k = chash_hash64(key, len);
	for (size_t i = 0; i < n; i++)
		sc[i] = (struct scored){rendezvous_score(s->impl, i, k), i};
	qsort(sc, n, sizeof *sc, by_score);
	for (size_t i = 0; i < n; i++)
		order[i] = sc[i].i;
	budget_free(sc);
	/* unweighted, the winner is decided by the integer score: keep rank 1
	 * equal to lookup() even if two float scores tie */
	int w = n ? rendezvous_lookup(s->impl, k) : -1;
	for (size_t j = 0; w >= 0 && j < n; j++)
		if (order[j] == (size_t)w) {
			memmove(order + 1, order, j * sizeof *order);
			order[0] = (size_t)w;
			break;
		}
	return 0;
}
