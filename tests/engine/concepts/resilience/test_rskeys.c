/* Unit tests of engine/concepts/resilience/rskeys.c: the LRU (map with
 * backward-shift deletion, list, growth) against a naive array LRU under
 * random inserts, lookups and deletes; the Zipf sampler's range. */
#include "unit.h"
#include "engine/concepts/resilience/rsim.h"
#include "engine/base/budget.h"

#include <string.h>

/* A naive LRU: keys[0] the most recent. */
struct naive {
	uint64_t keys[512];
	int n, cap;
};

static int naive_find(const struct naive *v, uint64_t k)
{
	for (int i = 0; i < v->n; i++)
		if (v->keys[i] == k)
			return i;
	return -1;
}

static void naive_front(struct naive *v, int i)
{
	uint64_t k = v->keys[i];
	memmove(v->keys + 1, v->keys, (size_t)i * sizeof k);
	v->keys[0] = k;
}

static int naive_hit(struct naive *v, uint64_t k)
{
	int i = naive_find(v, k);
	if (i < 0)
		return 0;
	naive_front(v, i);
	return 1;
}

static void naive_delete(struct naive *v, uint64_t k)
{
	int i = naive_find(v, k);
	if (i < 0)
		return;
	memmove(v->keys + i, v->keys + i + 1, (size_t)(v->n - i - 1) * sizeof k);
	v->n--;
}

static void naive_insert(struct naive *v, uint64_t k)
{
	if (naive_hit(v, k))
		return;
	if (v->n == v->cap)
		v->n--;
	memmove(v->keys + 1, v->keys, (size_t)v->n * sizeof k);
	v->keys[0] = k;
	v->n++;
}

/* The LRU's list, most recent first, equals the naive one. */
static int same_order(const struct rs_lru *c, const struct naive *v)
{
	int i = 0;
	for (int x = c->head; x >= 0; x = c->nodes[x].next, i++)
		if (i >= v->n || c->nodes[x].key != v->keys[i])
			return 0;
	return i == v->n && c->count == v->n;
}

static void t_lru_against_naive(void)
{
	int caps[] = {1, 2, 7, 64, 300};
	for (size_t t = 0; t < sizeof caps / sizeof *caps; t++) {
		struct rs_lru c;
		struct naive v = {.cap = caps[t]};
		struct rng r;
		rng_seed(&r, 42 + t);
		rs_lru_init(&c, caps[t]);
		int ok = 1;
		for (int i = 0; i < 200000 && ok; i++) {
			/* few keys: many collisions, hits and deletes in the map */
			uint64_t k = rng_below(&r, 3 * (uint64_t)caps[t] + 5);
			uint64_t op = rng_below(&r, 10);
			if (op < 2) {
				rs_lru_delete(&c, k);
				naive_delete(&v, k);
			} else if (op < 6) {
				ok = rs_lru_hit(&c, k) == naive_hit(&v, k);
			} else {
				ok = rs_lru_insert(&c, k) == 0;
				naive_insert(&v, k);
			}
			if (ok && (i % 97 == 0 || caps[t] < 10))
				ok = same_order(&c, &v);
			if (i == 100000) {
				rs_lru_clear(&c);
				v.n = 0;
			}
		}
		CHECK(ok);
		CHECK(same_order(&c, &v));
		rs_lru_free(&c);
	}
}

static void t_lru_grows(void)
{
	struct rs_lru c;
	rs_lru_init(&c, 100000);
	for (uint64_t k = 1; k <= 100000; k++)
		CHECK(rs_lru_insert(&c, k * 0x10000) == 0);   /* keys alike in their low bits */
	CHECK(c.count == 100000);
	CHECK(c.nslots >= 200000);
	int all = 1;
	for (uint64_t k = 1; k <= 100000; k++)
		all &= rs_lru_hit(&c, k * 0x10000);
	CHECK(all);
	CHECK(rs_lru_insert(&c, 7) == 0);              /* evicts the oldest: the first hit */
	CHECK(!rs_lru_hit(&c, 0x10000));
	CHECK(c.count == 100000);
	rs_lru_free(&c);
	rs_lru_init(&c, 0);                            /* no cache: nothing enters */
	CHECK(rs_lru_insert(&c, 1) == 0);
	CHECK(!rs_lru_hit(&c, 1));
	rs_lru_free(&c);
}

static void t_zipf_range(void)
{
	double ss[] = {0, 0.5, 0.99, 1, 1.01, 2, 5};
	struct rng r;
	rng_seed(&r, 1);
	for (size_t i = 0; i < sizeof ss / sizeof *ss; i++) {
		struct rs_zipf z;
		rs_zipf_init(&z, 37, ss[i]);
		int64_t lo = 99, hi = 0;
		for (int k = 0; k < 100000; k++) {
			int64_t x = rs_zipf_draw(&z, &r);
			lo = x < lo ? x : lo;
			hi = x > hi ? x : hi;
		}
		CHECK(lo == 1);
		CHECK(hi <= 37);
		CHECK(ss[i] > 2 || hi == 37);
	}
	struct rs_zipf one;
	rs_zipf_init(&one, 1, 0.99);
	CHECK(rs_zipf_draw(&one, &r) == 1);
}

static const struct test tests[] = {
	{"rskeys/lru_against_naive", t_lru_against_naive},
	{"rskeys/lru_grows", t_lru_grows},
	{"rskeys/zipf_range", t_zipf_range},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
