/* rendezvous.c — highest-random-weight hashing; see rendezvous.h. */
#include "engine/concepts/hash/rendezvous.h"
#include "engine/base/budget.h"
#include "engine/concepts/hash/chash.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct node {
	char *name;
	size_t len;
	uint64_t hash; /* chash_hash64(name) */
	double weight;
};

struct rendezvous {
	struct node *nodes;
	size_t n, cap;
	int weighted; /* some weights differ: compare -w/ln(u), not integers */
};

struct rendezvous *rendezvous_new(void)
{
	return budget_calloc(1, sizeof(struct rendezvous));
}

void rendezvous_free(struct rendezvous *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		budget_free(h->nodes[i].name);
	budget_free(h->nodes);
	budget_free(h);
}

static void update_weighted(struct rendezvous *h)
{
	h->weighted = 0;
	for (size_t i = 1; i < h->n; i++)
		if (h->nodes[i].weight != h->nodes[0].weight)
			h->weighted = 1;
}

int rendezvous_find(const struct rendezvous *h, const char *name, size_t len)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->nodes[i].len == len && memcmp(h->nodes[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

int rendezvous_add(struct rendezvous *h, const char *name, size_t len, double weight)
{
	if (!(weight > 0) || !isfinite(weight) || rendezvous_find(h, name, len) >= 0 ||
	    h->n >= INT32_MAX)
		return -1;
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 8;
		struct node *nodes = budget_realloc(h->nodes, cap * sizeof *nodes);
		if (!nodes)
			return -1;
		h->nodes = nodes;
		h->cap = cap;
	}
	char *copy = budget_malloc(len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, name, len);
	h->nodes[h->n] = (struct node){copy, len, chash_hash64(name, len), weight};
	h->n++;
	update_weighted(h);
	return (int)h->n - 1;
}

int rendezvous_remove(struct rendezvous *h, const char *name, size_t len)
{
	int i = rendezvous_find(h, name, len);
	if (i < 0)
		return -1;
	budget_free(h->nodes[i].name);
	memmove(&h->nodes[i], &h->nodes[i + 1], (h->n - (size_t)i - 1) * sizeof *h->nodes);
	h->n--;
	update_weighted(h);
	return 0;
}

size_t rendezvous_nodes(const struct rendezvous *h)
{
	return h->n;
}

const char *rendezvous_name(const struct rendezvous *h, size_t i, size_t *len)
{
	*len = h->nodes[i].len;
	return h->nodes[i].name;
}

double rendezvous_weight(const struct rendezvous *h, size_t i)
{
	return h->nodes[i].weight;
}

uint64_t rendezvous_raw(const struct rendezvous *h, size_t i, uint64_t key)
{
	return chash_mix64(h->nodes[i].hash ^ key);
}

static double weighted(double w, uint64_t s)
{
	double u = ((double)(s >> 11) + 0.5) * 0x1.0p-53; /* (0, 1) */
	return -w / log(u);
}

double rendezvous_score(const struct rendezvous *h, size_t i, uint64_t key)
{
	return weighted(h->nodes[i].weight, rendezvous_raw(h, i, key));
}

int rendezvous_lookup(const struct rendezvous *h, uint64_t key)
{
	if (h->n == 0)
		return -1;
	size_t best = 0;
	if (!h->weighted) {
		uint64_t top = rendezvous_raw(h, 0, key);
		for (size_t i = 1; i < h->n; i++) {
			uint64_t s = rendezvous_raw(h, i, key);
			if (s > top)
				top = s, best = i;
		}
	} else {
		double top = rendezvous_score(h, 0, key);
		for (size_t i = 1; i < h->n; i++) {
			double s = rendezvous_score(h, i, key);
			if (s > top)
				top = s, best = i;
		}
	}
	return (int)best;
}

int rendezvous_check(const struct rendezvous *h)
{
	for (size_t i = 0; i < h->n; i++) {
		const struct node *a = &h->nodes[i];
		if (!(a->weight > 0) || !isfinite(a->weight) || a->hash != chash_hash64(a->name, a->len))
			return -1;
		for (size_t j = 0; j < i; j++)
			if (h->nodes[j].len == a->len && memcmp(h->nodes[j].name, a->name, a->len) == 0)
				return -1;
	}
	return 0;
}
