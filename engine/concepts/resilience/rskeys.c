/*
 * rskeys.c — keys of resilience.h's requests: their Zipf law, the shard a
 * key goes to, and the per-service LRU cache of keys (rsim.h).
 */
#include "engine/concepts/resilience/rsim.h"
#include "engine/base/budget.h"

#include <math.h>
#include <string.h>

/* ---- the Zipf law, by rejection-inversion ---- */

/* log1p(x) / x, and expm1(x) / x, exact near 0 as well. */
static double log1p_over(double x)
{
	return fabs(x) > 1e-8 ? log1p(x) / x : 1 - x / 2 + x * x / 3;
}

static double expm1_over(double x)
{
	return fabs(x) > 1e-8 ? expm1(x) / x : 1 + x / 2 + x * x / 6;
}

/* The hat's density h(x) = x^-s, its integral H(x) = (x^(1-s) - 1) / (1 - s)
 * (log x when s = 1), and H's inverse. */
static double zh(const struct rs_zipf *z, double x)
{
	return exp(-z->s * log(x));
}

static double zH(const struct rs_zipf *z, double x)
{
	double lx = log(x);
	return expm1_over((1 - z->s) * lx) * lx;
}

static double zHinv(const struct rs_zipf *z, double y)
{
	double t = y * (1 - z->s);
	if (t < -1)
		t = -1;               /* rounding: keep log1p defined */
	return exp(log1p_over(t) * y);
}

void rs_zipf_init(struct rs_zipf *z, int64_t n, double s)
{
	z->n = n < 1 ? 1 : n;
	z->s = s;
	z->hx1 = zH(z, 1.5) - 1;
	z->hn = zH(z, (double)z->n + 0.5);
	z->cut = 2 - zHinv(z, zH(z, 2.5) - zh(z, 2));
}

/*
 * Draws a point U uniformly under the hat's integral between H(n + 1/2)
 * and H(3/2) - 1, inverts it to X and rounds to the key K; K is kept when
 * U falls under the step of height K^-s (always when K - X <= cut), else
 * it draws again. The expected number of rounds is below 1.1 for any s.
 * S = 0 is the uniform law, drawn directly.
 */
int64_t rs_zipf_draw(const struct rs_zipf *z, struct rng *r)
{
	if (z->s == 0)
		return 1 + (int64_t)rng_below(r, (uint64_t)z->n);
	for (;;) {
		double u = z->hn + rng_uniform(r) * (z->hx1 - z->hn);
		double x = zHinv(z, u);
		int64_t k = (int64_t)(x + 0.5);
		if (k < 1)
			k = 1;
		else if (k > z->n)
			k = z->n;
		if ((double)k - x <= z->cut || u >= zH(z, (double)k + 0.5) - zh(z, (double)k))
			return k;
	}
}

void rs_key_rngs(uint64_t seed, struct rng *keys, struct rng *ops)
{
	rng_seed(keys, seed ^ 0x2545f4914f6cdd1dULL);
	rng_seed(ops, seed ^ 0x5851f42d4c957f2dULL);
}

int rs_shard(uint64_t key, int n)
{
	uint64_t z = key + 0x9e3779b97f4a7c15ULL;        /* splitmix64's finalizer */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return n > 1 ? (int)(z % (uint64_t)n) : 0;
}

/* ---- the LRU cache: a hash map of keys to nodes, the nodes in a list ---- */

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

/* The slot of KEY in the map, or of the empty slot where it would go. */
static size_t lru_slot(const struct rs_lru *c, uint64_t key)
{
	size_t m = c->nslots - 1, i = (size_t)mix(key) & m;
	while (c->slots[i] >= 0 && c->nodes[c->slots[i]].key != key)
		i = (i + 1) & m;
	return i;
}

static void lru_unlink(struct rs_lru *c, int x)
{
	struct rs_lru_node *n = &c->nodes[x];
	if (n->prev >= 0)
		c->nodes[n->prev].next = n->next;
	else
		c->head = n->next;
	if (n->next >= 0)
		c->nodes[n->next].prev = n->prev;
	else
		c->tail = n->prev;
}

static void lru_front(struct rs_lru *c, int x)
{
	c->nodes[x].prev = -1;
	c->nodes[x].next = c->head;
	if (c->head >= 0)
		c->nodes[c->head].prev = x;
	c->head = x;
	if (c->tail < 0)
		c->tail = x;
}

/* Removes the map's slot I, shifting back the entries after it (linear
 * probing without tombstones). */
static void lru_unslot(struct rs_lru *c, size_t i)
{
	size_t m = c->nslots - 1, j = i;
	c->slots[i] = -1;
	for (;;) {
		j = (j + 1) & m;
		if (c->slots[j] < 0)
			return;
		size_t home = (size_t)mix(c->nodes[c->slots[j]].key) & m;
		/* the entry at j may move to i if i lies cyclically in [home, j) */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			c->slots[i] = c->slots[j];
			c->slots[j] = -1;
			i = j;
		}
	}
}

/* Doubles the map (at most half full after) and rehashes. */
static int lru_grow_map(struct rs_lru *c)
{
	size_t n = c->nslots ? 2 * c->nslots : 64;
	int32_t *s = budget_malloc(n * sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		s[i] = -1;
	budget_free(c->slots);
	c->slots = s;
	c->nslots = n;
	for (int x = c->head; x >= 0; x = c->nodes[x].next)
		c->slots[lru_slot(c, c->nodes[x].key)] = x;
	return 0;
}

int rs_lru_hit(struct rs_lru *c, uint64_t key)
{
	if (!c->count)
		return 0;
	int x = c->slots[lru_slot(c, key)];
	if (x < 0)
		return 0;
	if (c->head != x) {
		lru_unlink(c, x);
		lru_front(c, x);
	}
	return 1;
}

void rs_lru_delete(struct rs_lru *c, uint64_t key)
{
	if (!c->count)
		return;
	size_t i = lru_slot(c, key);
	int x = c->slots[i];
	if (x < 0)
		return;
	lru_unlink(c, x);
	lru_unslot(c, i);
	c->nodes[x].next = c->free;
	c->free = x;
	c->count--;
}

int rs_lru_insert(struct rs_lru *c, uint64_t key)
{
	if (c->cap < 1 || rs_lru_hit(c, key))
		return 0;
	if (c->count == c->cap)             /* evict the least recently used */
		rs_lru_delete(c, c->nodes[c->tail].key);
	if (2 * (c->count + 1) > (int64_t)c->nslots && lru_grow_map(c))
		return -1;
	int x = c->free;
	if (x >= 0) {
		c->free = c->nodes[x].next;
	} else {
		if (c->nnodes == c->capnodes) {
			size_t n = c->capnodes ? 2 * c->capnodes : 64;
			struct rs_lru_node *p = budget_realloc(c->nodes, n * sizeof *p);
			if (!p)
				return -1;
			c->nodes = p;
			c->capnodes = n;
		}
		x = (int)c->nnodes++;
	}
	c->nodes[x].key = key;
	c->slots[lru_slot(c, key)] = x;
	lru_front(c, x);
	c->count++;
	return 0;
}

void rs_lru_clear(struct rs_lru *c)
{
	for (size_t i = 0; i < c->nslots; i++)
		c->slots[i] = -1;
	c->head = c->tail = c->free = -1;
	c->nnodes = 0;
	c->count = 0;
}

void rs_lru_init(struct rs_lru *c, int64_t cap)
{
	memset(c, 0, sizeof *c);
	c->cap = cap;
	c->head = c->tail = c->free = -1;
}

void rs_lru_free(struct rs_lru *c)
{
	budget_free(c->slots);
	budget_free(c->nodes);
	c->slots = NULL;
	c->nodes = NULL;
}
