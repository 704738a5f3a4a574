/* Unit tests of engine/concepts/clocks: the clock conditions checked
 * against happens-before on many random histories, HLC's bound, and the
 * version-vector store's siblings. */
#include "unit.h"
#include "engine/concepts/clocks/clocks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void t_lamport_vector_basics(void)
{
	uint64_t a = 0, b = 0;
	CHECK_INT(lamport_tick(&a), 1);
	CHECK_INT(lamport_tick(&a), 2);
	CHECK_INT(lamport_recv(&b, 2), 3);
	CHECK_INT(lamport_recv(&a, 1), 3);
	uint64_t x[3] = {1, 0, 0}, y[3] = {0, 1, 0}, z[3] = {1, 1, 0};
	CHECK(vc_compare(x, y, 3) == VC_CONCURRENT);
	CHECK(vc_compare(x, z, 3) == VC_BEFORE);
	CHECK(vc_compare(z, y, 3) == VC_AFTER);
	CHECK(vc_compare(z, z, 3) == VC_EQUAL);
	vc_merge(x, y, 3);
	CHECK(vc_compare(x, z, 3) == VC_EQUAL);
}

static void t_clock_conditions(void)
{
	/* 300 histories of 3..10 processes: Lamport and HLC respect
	 * happens-before, vectors characterise it exactly */
	size_t concurrent = 0, arbitrary = 0;
	for (uint64_t seed = 1; seed <= 300; seed++) {
		struct history h;
		uint32_t n = 3 + (uint32_t)(seed % 8);
		double skew = (double)(seed % 5) * 0.05;
		CHECK(history_random(&h, n, 120, skew, seed) == 0);
		struct history_check c;
		history_check(&h, &c);
		CHECK(c.ordered > 0 && c.concurrent > 0);
		CHECK_INT(c.lamport_ok, c.ordered);
		CHECK_INT(c.hlc_ok, c.ordered);
		CHECK_INT(c.vc_ok, c.pairs);
		CHECK(c.hlc_drift <= skew + 1e-9);
		concurrent += c.concurrent;
		arbitrary += c.lamport_orders;
		history_free(&h);
	}
	/* Lamport timestamps order most concurrent pairs, arbitrarily */
	CHECK(arbitrary > concurrent / 2);
}

static void t_hlc_rules(void)
{
	struct hlc a = {0, 0}, b = {0, 0};
	hlc_now(&a, 10.0);               /* l follows physical time */
	CHECK(a.l == 10.0 && a.c == 0);
	hlc_now(&a, 9.0);                /* a clock that went back: l stays, c counts */
	CHECK(a.l == 10.0 && a.c == 1);
	hlc_recv(&b, 5.0, a.l, a.c);     /* b is behind: takes the message's l */
	CHECK(b.l == 10.0 && b.c == 2);
	CHECK(hlc_cmp(&a, &b) < 0);
	hlc_recv(&b, 11.0, 10.0, 7);     /* physical time passed both */
	CHECK(b.l == 11.0 && b.c == 0);
}

static void vv(uint64_t *v, uint64_t a, uint64_t b, uint64_t c)
{
	v[0] = a, v[1] = b, v[2] = c;
}

static size_t siblings(struct vvstore *s, const char *key, const char **first)
{
	const char *v;
	size_t vl, n = 0;
	const uint64_t *x;
	while (vvstore_sibling(s, key, strlen(key), n, &v, &vl, &x) == 0) {
		if (n == 0 && first)
			*first = v;
		n++;
	}
	return n;
}

static void t_store_siblings(void)
{
	struct vvstore *s = vvstore_new(1, 3), *t = vvstore_new(2, 3);
	uint64_t ctx[3];
	vv(ctx, 0, 0, 0);
	CHECK(vvstore_put(s, "cart", 4, "milk", 4, ctx) == 0);
	vvstore_context(s, "cart", 4, ctx);
	CHECK(ctx[0] == 1 && ctx[1] == 0);
	/* two clients read context [1,0,0] and write concurrently */
	CHECK(vvstore_put(s, "cart", 4, "milk,eggs", 9, ctx) == 0);
	CHECK(vvstore_put(s, "cart", 4, "milk,flour", 10, ctx) == 0);
	CHECK_INT(siblings(s, "cart", NULL), 2);
	/* a write that read both resolves them */
	vvstore_context(s, "cart", 4, ctx);
	CHECK(ctx[0] == 3);
	CHECK(vvstore_put(s, "cart", 4, "milk,eggs,flour", 15, ctx) == 0);
	const char *v;
	CHECK_INT(siblings(s, "cart", &v), 1);
	CHECK(strcmp(v, "milk,eggs,flour") == 0);
	/* another replica writes without having seen any of it: a sibling */
	vv(ctx, 0, 0, 0);
	CHECK(vvstore_put(t, "cart", 4, "beer", 4, ctx) == 0);
	CHECK(vvstore_merge(s, t) == 0 && vvstore_merge(t, s) == 0);
	CHECK_INT(siblings(s, "cart", NULL), 2);
	CHECK_INT(siblings(t, "cart", NULL), 2);
	/* a stale write (old context) does not erase what it did not see */
	vv(ctx, 1, 0, 0);
	CHECK(vvstore_put(s, "cart", 4, "stale", 5, ctx) == 0);
	CHECK_INT(siblings(s, "cart", NULL), 3);
	vvstore_free(s);
	vvstore_free(t);
}

/* Property: with random clients writing through random replicas (each
 * write with the context a get returned there, or with a stale one) and
 * random anti-entropy between replicas, the values left after everyone
 * merges are exactly the writes no other write had seen (a model keeping
 * each write's causal past as a set of write ids). */
#define MAXW 64

struct write_model {
	uint64_t past[MAXW]; /* bit set per write: writes it had seen */
	int count;
};

/* The writes visible at S for KEY, as a bit set (values are write ids). */
static uint64_t visible(struct vvstore *s)
{
	uint64_t seen = 0;
	const char *v;
	size_t vl;
	const uint64_t *x;
	for (size_t i = 0; vvstore_sibling(s, "k", 1, i, &v, &vl, &x) == 0; i++)
		seen |= 1ull << atoi(v);
	return seen;
}

static void t_store_property(void)
{
	for (uint64_t seed = 1; seed <= 500; seed++) {
		uint64_t st = seed * 2654435761u;
		struct vvstore *r[3];
		for (int i = 0; i < 3; i++)
			r[i] = vvstore_new((uint32_t)i + 1, 3);
		struct write_model m = {{0}, 0};
		uint64_t stale_ctx[3] = {0, 0, 0}, stale_seen = 0;
		while (m.count < 40) {
			st = st * 6364136223846793005ull + 1442695040888963407ull;
			int a = (int)(st >> 33) % 3, b = (int)(st >> 40) % 3, what = (int)(st >> 50) % 4;
			if (what == 0) {
				CHECK(vvstore_merge(r[a], r[b]) == 0);
				continue;
			}
			uint64_t ctx[3], seen = visible(r[a]);
			vvstore_context(r[a], "k", 1, ctx);
			if (what == 1) { /* a client that read long ago */
				memcpy(ctx, stale_ctx, sizeof ctx);
				seen = stale_seen;
			} else if (what == 2) {
				memcpy(stale_ctx, ctx, sizeof ctx);
				stale_seen = seen;
			}
			uint64_t past = seen;
			for (int w = 0; w < m.count; w++)
				if (seen >> w & 1)
					past |= m.past[w];
			char val[8];
			snprintf(val, sizeof val, "%d", m.count);
			m.past[m.count++] = past;
			CHECK(vvstore_put(r[a], "k", 1, val, strlen(val), ctx) == 0);
		}
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				CHECK(vvstore_merge(r[i], r[j]) == 0);
		for (int i = 0; i < 3; i++)
			CHECK(vvstore_merge(r[i], r[0]) == 0);
		uint64_t want = 0;
		for (int w = 0; w < m.count; w++) {
			int seen_by_other = 0;
			for (int o = 0; o < m.count; o++)
				seen_by_other |= o != w && (m.past[o] >> w & 1);
			if (!seen_by_other)
				want |= 1ull << w;
		}
		for (int i = 0; i < 3; i++)
			CHECK(visible(r[i]) == want);
		for (int i = 0; i < 3; i++)
			vvstore_free(r[i]);
	}
}

static const struct test tests[] = {
	{"clocks/lamport_vector_basics", t_lamport_vector_basics},
	{"clocks/clock_conditions", t_clock_conditions},
	{"clocks/hlc_rules", t_hlc_rules},
	{"clocks/store_siblings", t_store_siblings},
	{"clocks/store_property", t_store_property},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
