/* Unit tests of engine/concepts/cachewrite.c. */
#include "unit.h"
#include "engine/concepts/cache/cachewrite.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>

#define K(x) cache_str((x), strlen(x))

static struct cachewriter *writer(enum cachewrite_policy p, size_t cap, struct cachestore *s)
{
	return cachewriter_new(p, cap, CACHE_LRU, INFINITY, 0.001, s);
}

/* A whole read (both steps); returns the outcome. */
static int rd(struct cachewriter *w, const char *key)
{
	struct cw_op op;
	int r = cachewriter_read(w, K(key), 0, &op);
	if (r == CW_MISS)
		cachewriter_fill(w, K(key), op.version, op.lease, 0, &op);
	return r;
}

static void wr(struct cachewriter *w, const char *key)
{
	struct cw_op op;
	cachewriter_write(w, K(key), 0, &op);
}

static void t_write_back(void)
{
	struct cachestore *s = cachestore_new(0.01, 0.02);
	struct cachewriter *w = writer(CW_WRITE_BACK, 2, s);
	wr(w, "a");
	wr(w, "a");
	wr(w, "b");
	CHECK_INT(cachestore_stats(s)->writes, 0);  /* nothing reached the store yet */
	CHECK_INT(cachewriter_dirty(w), 2);
	CHECK(rd(w, "a") == CW_HIT);
	struct cw_op op;
	CHECK(cachewriter_write(w, K("c"), 0, &op) == 0); /* evicts b, dirty: written back */
	CHECK(op.evicted && op.written_back && op.key.len == 1 && op.key.str[0] == 'b');
	CHECK(fabs(op.latency - (0.001 + 0.02)) < 1e-12);
	CHECK_INT(cachestore_stats(s)->writes, 1);
	CHECK(cachestore_version(s, K("b")) == 3);  /* the version b was written with */
	CHECK_INT(cachewriter_flush(w), 2);        /* a and c */
	CHECK_INT(cachewriter_dirty(w), 0);
	CHECK_INT(cachestore_stats(s)->writes, 3);
	CHECK(cachestore_version(s, K("a")) == 2);  /* two writes of a, one store write */
	wr(w, "d");                                 /* dirty again, then lost */
	CHECK_INT(cachewriter_crash(w), 1);
	CHECK_INT(cachewriter_stats(w)->lost_writes, 1);
	CHECK(cachestore_version(s, K("d")) == 0);  /* never reached the store */
	CHECK(rd(w, "a") == CW_MISS);               /* the cache restarted empty */
	CHECK(cachewriter_check(w) == 0);
	cachewriter_free(w);
	cachestore_free(s);
}

static void t_write_through_and_around(void)
{
	struct cachestore *s = cachestore_new(0.01, 0.02);
	struct cachewriter *t = writer(CW_WRITE_THROUGH, 2, s);
	struct cw_op op;
	cachewriter_write(t, K("x"), 0, &op);
	CHECK(op.stored && op.cached);
	CHECK(fabs(op.latency - 0.021) < 1e-12);
	CHECK(rd(t, "x") == CW_HIT);                /* write-allocate */
	CHECK_INT(cachestore_stats(s)->writes, 1);
	cachewriter_free(t);

	struct cachewriter *a = writer(CW_WRITE_AROUND, 2, s);
	cachewriter_write(a, K("y"), 0, &op);
	CHECK(op.stored && !op.cached);             /* no-write-allocate */
	CHECK(rd(a, "y") == CW_MISS);
	cachewriter_write(a, K("y"), 0, &op);
	CHECK(op.stored && op.cached);              /* a cached copy is updated */
	CHECK(rd(a, "y") == CW_HIT);
	CHECK(cachewriter_check(a) == 0);
	cachewriter_free(a);
	cachestore_free(s);
}

/*
 * The cache-aside race: a read misses and reads version 1 from the store;
 * before it fills the cache, a write stores version 2 and deletes the
 * (absent) cached copy; the fill then caches version 1, and later reads are
 * stale. Read-through drops that fill.
 */
static void t_invalidation_race(void)
{
	for (int p = CW_CACHE_ASIDE; p <= CW_READ_THROUGH; p++) {
		struct cachestore *s = cachestore_new(0, 0);
		struct cachewriter *w = writer((enum cachewrite_policy)p, 4, s);
		wr(w, "k");                                  /* version 1 in the store */
		struct cw_op op, op2;
		CHECK(cachewriter_read(w, K("k"), 0, &op) == CW_MISS);
		CHECK(op.version == 1);
		wr(w, "k");                                  /* version 2, in between */
		int filled = cachewriter_fill(w, K("k"), op.version, op.lease, 0, &op2);
		if (p == CW_CACHE_ASIDE) {
			CHECK(filled == 1);
			CHECK(rd(w, "k") == CW_STALE);
			CHECK_INT(cachewriter_stats(w)->stale_reads, 1);
		} else {
			CHECK(filled == 0);
			CHECK_INT(cachewriter_stats(w)->fills_dropped, 1);
			CHECK(rd(w, "k") == CW_MISS);        /* and this fill is fresh */
			CHECK(rd(w, "k") == CW_HIT);
		}
		cachewriter_free(w);
		cachestore_free(s);
	}
}

/* Two application servers with local caches over one store: a write through
 * one leaves the other's copy stale. */
static void t_local_caches(void)
{
	struct cachestore *s = cachestore_new(0, 0);
	struct cachewriter *a = writer(CW_CACHE_ASIDE, 4, s), *b = writer(CW_CACHE_ASIDE, 4, s);
	wr(a, "k");
	CHECK(rd(a, "k") == CW_MISS);
	CHECK(rd(a, "k") == CW_HIT);
	wr(b, "k");                                     /* invalidates b's copy only */
	CHECK(rd(a, "k") == CW_STALE);
	struct cw_op op;
	CHECK(cachewriter_invalidate(a, K("k"), 0, &op) == 1);
	CHECK(rd(a, "k") == CW_MISS);
	CHECK(rd(a, "k") == CW_HIT);
	cachewriter_free(a);
	cachewriter_free(b);
	cachestore_free(s);
}

static void t_dirty_expiry(void)
{
	struct cachestore *s = cachestore_new(0, 0);
	struct cachewriter *w = cachewriter_new(CW_WRITE_BACK, 4, CACHE_LRU, 10, 0, s);
	struct cw_op op;
	cachewriter_write(w, K("k"), 0, &op);
	CHECK(cachewriter_expire(w, 9.9, &op) == 0);
	CHECK(cachewriter_expire(w, 10, &op) == 1);
	CHECK(op.written_back && op.key.str[0] == 'k');
	CHECK(cachestore_version(s, K("k")) == 1);
	CHECK_INT(cachewriter_dirty(w), 0);
	/* without draining, an operation still writes expired dirty entries back */
	cachewriter_write(w, K("j"), 20, &op);
	CHECK(cachewriter_read(w, K("x"), 40, &op) == CW_MISS);
	CHECK(cachestore_version(s, K("j")) == 2);
	CHECK(cachewriter_check(w) == 0);
	cachewriter_free(w);
	cachestore_free(s);
}

/* One random operation on a key of 12 at time NOW; -1 if it failed. */
static int random_op(struct cachewriter *w, struct rng *r, double now, uint64_t *writes)
{
	struct cw_op op;
	struct cache_key k = cache_int((int64_t)rng_below(r, 12));
	switch (rng_below(r, 8)) {
	case 0: case 1: case 2: case 3:
		if (cachewriter_read(w, k, now, &op) != CW_MISS)
			return 0;
		return cachewriter_fill(w, k, op.version, op.lease, now, &op) < 0 ? -1 : 0;
	case 4: case 5:
		++*writes;
		return cachewriter_write(w, k, now, &op);
	case 6:
		cachewriter_invalidate(w, k, now, &op);
		return 0;
	default:
		if (rng_below(r, 10) == 0)
			cachewriter_flush(w);
		return 0;
	}
}

static void t_random_invariants(void)
{
	for (int p = 0; p < CW_NPOLICIES; p++) {
		struct cachestore *s = cachestore_new(0.01, 0.01);
		struct cachewriter *w = cachewriter_new((enum cachewrite_policy)p, 5, CACHE_ARC, 30,
							0.001, s);
		struct rng r;
		rng_seed(&r, (uint64_t)p);
		double now = 0;
		uint64_t writes = 0;
		for (int i = 0; i < 5000; i++) {
			now += rng_uniform(&r);
			CHECK(random_op(w, &r, now, &writes) == 0);
			CHECK(cachewriter_check(w) == 0);
		}
		const struct cachewriter_stats *st = cachewriter_stats(w);
		CHECK_INT(st->writes, writes);
		CHECK_INT(st->hits + st->misses, st->reads);
		if (p != CW_WRITE_BACK)
			CHECK_INT(st->store_writes, writes);
		else
			CHECK(st->store_writes < writes); /* writes coalesce in the cache */
		CHECK_INT(st->store_reads, st->misses);
		cachewriter_free(w);
		cachestore_free(s);
	}
}

static void t_names_and_bad_args(void)
{
	CHECK(cachewrite_policy_parse("write-back") == CW_WRITE_BACK);
	CHECK(cachewrite_policy_parse("writeback") == -1);
	CHECK_STR(cachewrite_policy_name(CW_READ_THROUGH), "read-through");
	CHECK(cachestore_new(-1, 0) == NULL);
	struct cachestore *s = cachestore_new(0, 0);
	CHECK(cachewriter_new(CW_WRITE_BACK, 0, CACHE_LRU, INFINITY, 0, s) == NULL);
	CHECK(cachewriter_new(CW_WRITE_BACK, 2, CACHE_LRU, 0, 0, s) == NULL);
	CHECK(cachewriter_new(CW_WRITE_BACK, 2, CACHE_LRU, INFINITY, 0, NULL) == NULL);
	cachestore_free(s);
}

static const struct test tests[] = {
	{"cachewrite/write_back", t_write_back},
	{"cachewrite/write_through_and_around", t_write_through_and_around},
	{"cachewrite/invalidation_race", t_invalidation_race},
	{"cachewrite/local_caches", t_local_caches},
	{"cachewrite/dirty_expiry", t_dirty_expiry},
	{"cachewrite/random_invariants", t_random_invariants},
	{"cachewrite/names_and_bad_args", t_names_and_bad_args},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
