/*
 * Unit tests of engine/concepts/cache.c.
 *
 * The hand-worked traces below are the documented semantics of each policy
 * (cache.h); the Lua tests check the same traces through the binding and
 * against straightforward Lua models.
 */
#include "unit.h"
#include "engine/concepts/cache/cache.h"
#include "engine/concepts/rand/rand.h"
#include "engine/base/sbuf.h"

#include <math.h>

#define S(x) cache_str((x), strlen(x))

/* The keys of list WHICH, space-separated (integers in decimal). */
static const char *order(const struct cache *c, enum cache_list which)
{
	static char buf[512];
	struct cache_item items[64];
	size_t n = cache_list(c, which, items, 64);
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && i < 64; i++) {
		const struct cache_key *k = &items[i].key;
		if (k->str)
			at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%.*s", i ? " " : "",
					       (int)k->len, k->str);
		else
			at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%lld", i ? " " : "",
					       (long long)k->num);
	}
	return buf;
}

/* Puts KEY (string) at time 0; returns the evicted key ("" if none). */
static const char *put(struct cache *c, const char *key)
{
	static char ev[64];
	struct cache_item it;
	int r = cache_put(c, S(key), 0, INFINITY, 0, &it);
	if (r == CACHE_EVICTED) {
		snprintf(ev, sizeof ev, "%.*s", (int)it.key.len, it.key.str);
		return ev;
	}
	return r < 0 ? "ERROR" : "";
}

static int get(struct cache *c, const char *key)
{
	return cache_get(c, S(key), 0, NULL);
}

static void t_fifo_trace(void)
{
	struct cache *c = cache_new(CACHE_FIFO, 3, 1);
	CHECK_STR(put(c, "a"), "");
	CHECK_STR(put(c, "b"), "");
	CHECK_STR(put(c, "c"), "");
	CHECK(get(c, "a"));                  /* a use changes nothing in FIFO */
	CHECK_STR(put(c, "d"), "a");         /* oldest insertion goes */
	CHECK_STR(order(c, CACHE_ORDER), "d c b");
	CHECK_STR(put(c, "b"), "");          /* an update does not move b */
	CHECK_STR(put(c, "e"), "b");
	CHECK_STR(order(c, CACHE_ORDER), "e d c");
	CHECK(cache_check(c) == 0);
	cache_free(c);
}

static void t_lru_trace(void)
{
	struct cache *c = cache_new(CACHE_LRU, 3, 1);
	put(c, "a");
	put(c, "b");
	put(c, "c");
	CHECK(get(c, "a"));
	CHECK_STR(put(c, "d"), "b");         /* the get made a recent */
	CHECK_STR(order(c, CACHE_ORDER), "d a c");
	CHECK_STR(put(c, "c"), "");          /* an update is a use: c first */
	CHECK_STR(order(c, CACHE_ORDER), "c d a");
	CHECK(!get(c, "x"));                 /* a miss changes nothing */
	CHECK_STR(order(c, CACHE_ORDER), "c d a");
	CHECK_STR(put(c, "e"), "a");
	CHECK_STR(order(c, CACHE_ORDER), "e c d");
	const struct cache_stats *st = cache_stats(c);
	CHECK_INT(st->hits, 1);
	CHECK_INT(st->misses, 1);
	CHECK_INT(st->inserts, 5);
	CHECK_INT(st->updates, 1);
	CHECK_INT(st->evictions, 2);
	CHECK(cache_check(c) == 0);
	cache_free(c);
}

static void t_lfu_trace(void)
{
	struct cache *c = cache_new(CACHE_LFU, 3, 1);
	put(c, "a");
	put(c, "b");
	put(c, "c");                         /* counts a1 b1 c1 */
	get(c, "a");
	get(c, "a");
	get(c, "b");                         /* a3 b2 c1 */
	CHECK_STR(put(c, "d"), "c");         /* fewest uses */
	CHECK_STR(order(c, CACHE_ORDER), "a b d");
	get(c, "d");                         /* a3 d2 b2: d is the more recent 2 */
	CHECK_STR(order(c, CACHE_ORDER), "a d b");
	CHECK_STR(put(c, "e"), "b");         /* tie at 2: least recently used */
	CHECK_STR(order(c, CACHE_ORDER), "a d e");
	CHECK_STR(put(c, "f"), "e");         /* a new key is the easiest victim */
	struct cache_item it[3];
	CHECK_INT(cache_list(c, CACHE_ORDER, it, 3), 3);
	CHECK_INT(it[0].count, 3);
	CHECK_INT(it[1].count, 2);
	CHECK_INT(it[2].count, 1);
	CHECK_STR(put(c, "a"), "");          /* an update is a use: a4 */
	CHECK_INT(cache_list(c, CACHE_ORDER, it, 3), 3);
	CHECK_INT(it[0].count, 4);
	CHECK(cache_check(c) == 0);
	cache_free(c);
}

static void t_clock_trace(void)
{
	struct cache *c = cache_new(CACHE_CLOCK, 3, 1);
	put(c, "a");
	put(c, "b");
	put(c, "c");                         /* ring from the hand: a b c, bits 0 */
	get(c, "a");                         /* a's bit = 1 */
	CHECK_STR(put(c, "d"), "b");         /* a: second chance; b: evicted */
	CHECK_STR(order(c, CACHE_ORDER), "c a d");
	struct cache_item it[3];
	cache_list(c, CACHE_ORDER, it, 3);
	CHECK(it[0].ref == 0 && it[1].ref == 0 && it[2].ref == 0);
	get(c, "c");
	get(c, "a");
	CHECK_STR(put(c, "e"), "d");         /* c and a lose their bits, d goes */
	CHECK_STR(order(c, CACHE_ORDER), "c a e");
	get(c, "c");
	get(c, "a");
	get(c, "e");                         /* all bits set: a full sweep, then c */
	CHECK_STR(put(c, "f"), "c");
	CHECK_STR(order(c, CACHE_ORDER), "a e f");
	CHECK(cache_check(c) == 0);
	cache_free(c);
}

/* The random policy evicts slot rng_below(n) of the slot array. */
static void t_random_model(void)
{
	struct cache *c = cache_new(CACHE_RANDOM, 4, 99);
	struct rng r;
	rng_seed(&r, 99);
	int64_t slots[4];
	int n = 0;
	for (int64_t k = 1; k <= 200; k++) {
		struct cache_item it;
		int res = cache_put(c, cache_int(k), 0, INFINITY, 0, &it);
		if (n < 4) {
			CHECK(res == CACHE_INSERTED);
			slots[n++] = k;
		} else {
			uint64_t i = rng_below(&r, 4);
			CHECK(res == CACHE_EVICTED);
			CHECK_INT(it.key.num, slots[i]);
			slots[i] = slots[3]; /* the last takes the hole... */
			slots[3] = k;        /* ...and the new key is appended */
		}
		CHECK(cache_check(c) == 0);
	}
	struct cache_item it[4];
	cache_list(c, CACHE_ORDER, it, 4);
	for (int i = 0; i < 4; i++)
		CHECK_INT(it[i].key.num, slots[i]);
	CHECK_INT(cache_draws(c), 196);
	cache_free(c);
}

/*
 * ARC, capacity 2, worked by hand from Fig. 4 of the paper:
 *   put a, put b        T1 = b a
 *   get a               case I: T2 = a, T1 = b
 *   put c               IV.B (|L1| = 1, total 2): REPLACE, |T1| = 1 > p = 0:
 *                       b -> B1; T1 = c                        evicts b
 *   put b               II: p = 0 + 1 = 1; REPLACE: |T1| = 1, not > p: T2's
 *                       a -> B2; b -> T2                      evicts a
 *   put a               III: p = 1 - 1 = 0; REPLACE: |T1| = 1 > 0: c -> B1;
 *                       a -> T2 = a b                         evicts c
 *   put d               IV.B (|L1| = 1, total 3): REPLACE, T1 empty: b -> B2;
 *                       T1 = d                                evicts b
 *   put e               IV.A (|L1| = 2): drop B1's c; REPLACE: d -> B1  evicts d
 */
static void t_arc_trace(void)
{
	struct cache *c = cache_new(CACHE_ARC, 2, 1);
	CHECK_STR(put(c, "a"), "");
	CHECK_STR(put(c, "b"), "");
	CHECK_STR(order(c, CACHE_T1), "b a");
	CHECK(get(c, "a"));
	CHECK_STR(order(c, CACHE_T1), "b");
	CHECK_STR(order(c, CACHE_T2), "a");
	CHECK_STR(put(c, "c"), "b");
	CHECK_STR(order(c, CACHE_B1), "b");
	CHECK(!get(c, "b"));                 /* a ghost is a miss, and stays a ghost */
	CHECK_STR(order(c, CACHE_B1), "b");
	CHECK_STR(put(c, "b"), "a");
	CHECK(cache_arc_p(c) == 1);
	CHECK_STR(order(c, CACHE_T1), "c");
	CHECK_STR(order(c, CACHE_T2), "b");
	CHECK_STR(order(c, CACHE_B1), "");
	CHECK_STR(order(c, CACHE_B2), "a");
	CHECK_STR(put(c, "a"), "c");
	CHECK(cache_arc_p(c) == 0);
	CHECK_STR(order(c, CACHE_T1), "");
	CHECK_STR(order(c, CACHE_T2), "a b");
	CHECK_STR(order(c, CACHE_B1), "c");
	CHECK_STR(put(c, "d"), "b");
	CHECK_STR(order(c, CACHE_B2), "b");
	CHECK_STR(put(c, "e"), "d");
	CHECK_STR(order(c, CACHE_T1), "e");
	CHECK_STR(order(c, CACHE_T2), "a");
	CHECK_STR(order(c, CACHE_B1), "d");
	CHECK_STR(order(c, CACHE_B2), "b");
	CHECK_STR(order(c, CACHE_ORDER), "e a");
	CHECK(cache_check(c) == 0);
	cache_free(c);
}

/* Case IV.A with B1 empty: T1's LRU goes without leaving a ghost. */
static void t_arc_edges(void)
{
	struct cache *c = cache_new(CACHE_ARC, 2, 1);
	put(c, "a");
	put(c, "b");
	CHECK_STR(put(c, "c"), "a");         /* |T1| = c: delete T1's LRU */
	CHECK_STR(order(c, CACHE_B1), "");
	CHECK_STR(order(c, CACHE_T1), "c b");
	cache_delete(c, S("b"), 0, NULL);    /* room, while the directory is full */
	CHECK_STR(put(c, "d"), "");          /* no REPLACE when there is room */
	CHECK(cache_check(c) == 0);
	cache_free(c);
}

/* ARC keeps keys seen twice through a scan that flushes LRU. */
static void t_arc_scan_resistance(void)
{
	struct cache *arc = cache_new(CACHE_ARC, 4, 1), *lru = cache_new(CACHE_LRU, 4, 1);
	struct cache *cs[2] = {arc, lru};
	for (int w = 0; w < 2; w++) {
		for (int rep = 0; rep < 2; rep++)
			for (int64_t k = 1; k <= 3; k++)
				if (!cache_get(cs[w], cache_int(k), 0, NULL))
					cache_put(cs[w], cache_int(k), 0, INFINITY, 0, NULL);
		for (int64_t k = 100; k < 120; k++) /* a scan of 20 new keys */
			if (!cache_get(cs[w], cache_int(k), 0, NULL))
				cache_put(cs[w], cache_int(k), 0, INFINITY, 0, NULL);
	}
	int arc_hits = 0, lru_hits = 0;
	for (int64_t k = 1; k <= 3; k++) {
		arc_hits += cache_peek(arc, cache_int(k), 0, NULL);
		lru_hits += cache_peek(lru, cache_int(k), 0, NULL);
	}
	CHECK_INT(arc_hits, 3);
	CHECK_INT(lru_hits, 0);
	cache_free(arc);
	cache_free(lru);
}

/*
 * 2Q, capacity 4 (Kin = 1, Kout = 2), worked by hand from the paper's
 * "full version" (section 2.2): A1in a FIFO, Am an LRU, A1out a FIFO of
 * ghosts; reclaimfor takes A1in's oldest (to A1out) while |A1in| > Kin,
 * else Am's least recent (forgotten).
 */
static void t_2q_trace(void)
{
	struct cache *c = cache_new(CACHE_2Q, 4, 1);
	CHECK_INT(cache_2q_kin(c), 1);
	CHECK_INT(cache_2q_kout(c), 2);
	put(c, "a");
	put(c, "b");
	put(c, "c");
	CHECK_STR(put(c, "d"), "");
	CHECK(get(c, "a"));                  /* a hit in A1in changes nothing */
	CHECK_STR(order(c, CACHE_T1), "d c b a");
	CHECK_STR(put(c, "e"), "a");         /* |A1in| = 4 > 1: its oldest, to A1out */
	CHECK_STR(order(c, CACHE_B1), "a");
	CHECK(!get(c, "a"));                 /* a ghost is a miss and stays a ghost */
	CHECK_STR(put(c, "a"), "b");         /* seen again: to Am; A1in gives b */
	CHECK_STR(order(c, CACHE_T2), "a");
	CHECK_STR(order(c, CACHE_B1), "b");
	CHECK_STR(put(c, "b"), "c");
	CHECK_STR(order(c, CACHE_T2), "b a");
	CHECK(get(c, "a"));                  /* an Am hit moves it to the front */
	CHECK_STR(order(c, CACHE_T2), "a b");
	CHECK_STR(put(c, "f"), "d");
	CHECK_STR(put(c, "g"), "e");         /* A1out holds Kout = 2: c is forgotten */
	CHECK_STR(order(c, CACHE_B1), "e d");
	CHECK_STR(put(c, "h"), "f");
	CHECK_STR(order(c, CACHE_T1), "h g");
	CHECK_STR(put(c, "c"), "g");         /* c was forgotten: a new key again */
	CHECK_STR(order(c, CACHE_B1), "g f");
	CHECK_STR(put(c, "g"), "h");         /* g's ghost: to Am */
	CHECK_STR(order(c, CACHE_T1), "c");
	CHECK_STR(order(c, CACHE_T2), "g a b");
	CHECK_STR(put(c, "z"), "b");         /* |A1in| = 1 = Kin: Am's LRU, no ghost */
	CHECK_STR(order(c, CACHE_B1), "h f");
	CHECK_STR(order(c, CACHE_ORDER), "z c g a");
	CHECK(cache_check(c) == 0);
	cache_free(c);

	c = cache_new(CACHE_2Q, 1, 1);       /* Kin = Kout = 1 */
	put(c, "a");
	CHECK_STR(put(c, "b"), "a");         /* Am is empty: A1in gives its oldest */
	CHECK_STR(put(c, "a"), "b");
	CHECK_STR(order(c, CACHE_T2), "a");
	CHECK_STR(order(c, CACHE_B1), "b");
	CHECK_STR(put(c, "c"), "a");         /* |A1in| = 0: Am's a, without a ghost */
	CHECK_STR(order(c, CACHE_B1), "b");
	CHECK(cache_check(c) == 0);
	cache_free(c);
}

/* 2Q against a plain model of the paper's pseudo-code (arrays, no TTLs),
 * on long random sequences of get, put and delete at several capacities. */
struct q2model {
	int64_t in[64], am[64], out[64]; /* front = index 0 */
	int nin, nam, nout, cap, kin, kout;
};

static int q2_find(const int64_t *v, int n, int64_t k)
{
	for (int i = 0; i < n; i++)
		if (v[i] == k)
			return i;
	return -1;
}

static void q2_remove(int64_t *v, int *n, int i)
{
	memmove(v + i, v + i + 1, (size_t)(*n - i - 1) * sizeof *v);
	(*n)--;
}

static void q2_push(int64_t *v, int *n, int64_t k)
{
	memmove(v + 1, v, (size_t)*n * sizeof *v);
	v[0] = k;
	(*n)++;
}

/* Returns the evicted key or -1. */
static int64_t q2_reclaim(struct q2model *m)
{
	if (m->nin + m->nam < m->cap)
		return -1;
	int64_t y;
	if (m->nin > m->kin || m->nam == 0) {
		y = m->in[--m->nin];
		q2_push(m->out, &m->nout, y);
		if (m->nout > m->kout)
			m->nout--;
	} else {
		y = m->am[--m->nam];
	}
	return y;
}

static void t_2q_model(void)
{
	for (int cap = 1; cap <= 12; cap++) {
		struct q2model m = {.cap = cap, .kin = cap / 4 ? cap / 4 : 1,
				    .kout = cap / 2 ? cap / 2 : 1};
		struct cache *c = cache_new(CACHE_2Q, (size_t)cap, 1);
		struct rng r;
		rng_seed(&r, 77 + (uint64_t)cap);
		for (int step = 0; step < 5000; step++) {
			int64_t k = (int64_t)rng_below(&r, (uint64_t)(3 * cap + 2));
			int op = (int)rng_below(&r, 10), i;
			if (op < 4) { /* get */
				int hit = q2_find(m.in, m.nin, k) >= 0;
				if ((i = q2_find(m.am, m.nam, k)) >= 0) {
					hit = 1;
					q2_remove(m.am, &m.nam, i);
					q2_push(m.am, &m.nam, k);
				}
				CHECK_INT(cache_get(c, cache_int(k), 0, NULL), hit);
			} else if (op < 9) { /* put */
				int64_t want = -1;
				if ((i = q2_find(m.am, m.nam, k)) >= 0) {
					q2_remove(m.am, &m.nam, i);
					q2_push(m.am, &m.nam, k);
				} else if (q2_find(m.in, m.nin, k) >= 0) {
				} else if ((i = q2_find(m.out, m.nout, k)) >= 0) {
					q2_remove(m.out, &m.nout, i);
					want = q2_reclaim(&m);
					q2_push(m.am, &m.nam, k);
				} else {
					want = q2_reclaim(&m);
					q2_push(m.in, &m.nin, k);
				}
				struct cache_item it;
				int res = cache_put(c, cache_int(k), 0, INFINITY, 0, &it);
				CHECK_INT(res == CACHE_EVICTED ? it.key.num : -1, want);
			} else { /* delete: no ghost */
				int had = 0;
				if ((i = q2_find(m.in, m.nin, k)) >= 0)
					q2_remove(m.in, &m.nin, i), had = 1;
				if ((i = q2_find(m.am, m.nam, k)) >= 0)
					q2_remove(m.am, &m.nam, i), had = 1;
				CHECK_INT(cache_delete(c, cache_int(k), 0, NULL), had);
			}
			CHECK_INT(cache_list(c, CACHE_T1, NULL, 0), m.nin);
			CHECK_INT(cache_list(c, CACHE_T2, NULL, 0), m.nam);
			CHECK_INT(cache_list(c, CACHE_B1, NULL, 0), m.nout);
			CHECK(cache_check(c) == 0);
		}
		cache_free(c);
	}
}

static void t_update_never_evicts(void)
{
	for (int p = 0; p < CACHE_NPOLICIES; p++) {
		struct cache *c = cache_new((enum cache_policy)p, 2, 1);
		put(c, "a");
		put(c, "b");
		for (uint64_t i = 0; i < 5; i++) {
			CHECK(cache_put(c, S("a"), i, INFINITY, 0, NULL) == CACHE_UPDATED);
			CHECK(cache_put(c, S("b"), i, INFINITY, 0, NULL) == CACHE_UPDATED);
		}
		uint64_t d = 0;
		CHECK(cache_get(c, S("a"), 0, &d) && d == 4);
		CHECK_INT(cache_stats(c)->evictions, 0);
		CHECK_INT(cache_size(c), 2);
		cache_free(c);
	}
}

static void t_ttl(void)
{
	struct cache *c = cache_new(CACHE_LRU, 2, 1);
	CHECK(cache_put(c, S("a"), 0, 10, 0, NULL) == CACHE_INSERTED);   /* expires at 10 */
	CHECK(cache_put(c, S("b"), 0, INFINITY, 0, NULL) == CACHE_INSERTED);
	CHECK(cache_get(c, S("a"), 9.5, NULL));
	CHECK(!cache_get(c, S("a"), 10, NULL)); /* expired exactly at 10 */
	CHECK_INT(cache_stats(c)->expirations, 1);
	CHECK_INT(cache_stats(c)->misses, 1);
	CHECK_INT(cache_size(c), 1);
	/* an expired entry makes room: no eviction */
	CHECK(cache_put(c, S("c"), 0, 5, 20, NULL) == CACHE_INSERTED);
	CHECK(cache_put(c, S("d"), 0, INFINITY, 30, NULL) == CACHE_INSERTED);
	CHECK_INT(cache_stats(c)->evictions, 0);
	CHECK_INT(cache_stats(c)->expirations, 2);
	/* an update renews the TTL */
	CHECK(cache_put(c, S("d"), 0, 5, 31, NULL) == CACHE_UPDATED);
	CHECK(cache_peek(c, S("d"), 35.9, NULL));
	struct cache_item it;
	CHECK(cache_expire(c, 36, &it) == 1);
	CHECK(it.key.len == 1 && it.key.str[0] == 'd' && it.expires == 36);
	CHECK(cache_expire(c, 36, &it) == 0);
	CHECK(cache_put(c, S("x"), 0, 0, 0, NULL) == -1); /* ttl must be positive */
	CHECK(cache_put(c, S("x"), 0, NAN, 0, NULL) == -1);
	CHECK(cache_check(c) == 0);
	cache_free(c);
}

static void t_keys(void)
{
	struct cache *c = cache_new(CACHE_LRU, 8, 1);
	CHECK(cache_put(c, cache_int(1), 1, INFINITY, 0, NULL) == CACHE_INSERTED);
	CHECK(cache_put(c, S("1"), 2, INFINITY, 0, NULL) == CACHE_INSERTED); /* not the same */
	CHECK(cache_put(c, cache_str("a\0b", 3), 3, INFINITY, 0, NULL) == CACHE_INSERTED);
	CHECK(cache_put(c, cache_str("a", 1), 4, INFINITY, 0, NULL) == CACHE_INSERTED);
	CHECK(cache_put(c, cache_str("", 0), 5, INFINITY, 0, NULL) == CACHE_INSERTED);
	char long_key[300];
	memset(long_key, 'k', sizeof long_key);
	CHECK(cache_put(c, cache_str(long_key, 300), 6, INFINITY, 0, NULL) == CACHE_INSERTED);
	long_key[299] = 'z';
	CHECK(cache_put(c, cache_str(long_key, 300), 7, INFINITY, 0, NULL) == CACHE_INSERTED);
	CHECK(cache_put(c, cache_int(INT64_MIN), 8, INFINITY, 0, NULL) == CACHE_INSERTED);
	uint64_t d;
	CHECK(cache_get(c, cache_str("a\0b", 3), 0, &d) && d == 3);
	CHECK(cache_get(c, cache_str(long_key, 300), 0, &d) && d == 7);
	CHECK(cache_get(c, cache_str("", 0), 0, &d) && d == 5);
	CHECK(cache_get(c, cache_int(INT64_MIN), 0, &d) && d == 8);
	CHECK(cache_get(c, cache_int(1), 0, &d) && d == 1);
	CHECK(cache_delete(c, S("1"), 0, NULL) == 1);
	CHECK(cache_delete(c, S("1"), 0, NULL) == 0);
	CHECK(cache_get(c, cache_int(1), 0, &d) && d == 1);
	CHECK(cache_check(c) == 0);
	cache_free(c);
}

/* The evicted key's bytes stay readable until the next call, even when the
 * new key is long. */
static void t_evicted_key_lifetime(void)
{
	struct cache *c = cache_new(CACHE_FIFO, 1, 1);
	char a[100], b[100];
	memset(a, 'a', sizeof a);
	memset(b, 'b', sizeof b);
	cache_put(c, cache_str(a, 100), 0, INFINITY, 0, NULL);
	struct cache_item it;
	CHECK(cache_put(c, cache_str(b, 100), 0, INFINITY, 0, &it) == CACHE_EVICTED);
	CHECK(it.key.len == 100 && memcmp(it.key.str, a, 100) == 0);
	cache_free(c);
}

static void t_clear_and_limits(void)
{
	CHECK(cache_new(CACHE_LRU, 0, 1) == NULL);
	CHECK(cache_new(CACHE_LRU, (size_t)CACHE_MAX_CAPACITY + 1, 1) == NULL);
	CHECK(cache_policy_parse("arc") == CACHE_ARC);
	CHECK(cache_policy_parse("LRU") == -1);
	CHECK_STR(cache_policy_name(CACHE_CLOCK), "clock");
	struct cache *c = cache_new(CACHE_ARC, 2, 1);
	put(c, "a");
	put(c, "b");
	get(c, "a");
	put(c, "c");
	cache_clear(c);
	CHECK_INT(cache_size(c), 0);
	CHECK_STR(order(c, CACHE_B1), "");
	CHECK(cache_arc_p(c) == 0);
	CHECK_INT(cache_stats(c)->evictions, 1); /* statistics are kept */
	CHECK(cache_check(c) == 0);
	put(c, "z");
	CHECK_STR(order(c, CACHE_ORDER), "z");
	cache_free(c);
}

static int same_key(struct cache_key a, struct cache_key b)
{
	if (!a.str || !b.str)
		return !a.str && !b.str && a.num == b.num;
	return a.len == b.len && memcmp(a.str, b.str, a.len) == 0;
}

static int in_list(const struct cache *c, enum cache_list l, struct cache_key k)
{
	struct cache_item it[64];
	size_t n = cache_list(c, l, it, 64);
	for (size_t i = 0; i < n && i < 64; i++)
		if (same_key(k, it[i].key))
			return 1;
	return 0;
}

/* Before a put of K at NOW: the p that ARC must have after it (Fig. 4:
 * a ghost hit in B1 or B2 moves p by the paper's delta; nothing else does). */
static double arc_p_after_put(struct cache *c, struct cache_key k, double now)
{
	struct cache_item ex;
	while (cache_expire(c, now, &ex)) /* the put would expire these first */
		;
	double p = cache_arc_p(c), cap = (double)cache_capacity(c);
	double b1 = (double)cache_list(c, CACHE_B1, NULL, 0);
	double b2 = (double)cache_list(c, CACHE_B2, NULL, 0);
	if (in_list(c, CACHE_B1, k))
		return fmin(p + (b1 >= b2 ? 1 : b2 / b1), cap);
	if (in_list(c, CACHE_B2, k))
		return fmax(p - (b2 >= b1 ? 1 : b1 / b2), 0);
	return p;
}

/* One random operation at time NOW on a key drawn from 3 * cap + 3, a third
 * of them strings (some too long to live inline). Returns 0 if it went as
 * the API says. */
static int random_op(struct cache *c, struct rng *r, double now)
{
	char buf[48];
	int64_t id = (int64_t)rng_below(r, 3 * cache_capacity(c) + 3);
	struct cache_key k = cache_int(id);
	if (id % 3 == 0) {
		const char *fmt = id % 2 ? "key-%lld" : "a-rather-long-key-not-inline-%lld";
		k = cache_str(buf, (size_t)snprintf(buf, sizeof buf, fmt, (long long)id));
	}
	switch (rng_below(r, 6)) {
	case 0:
	case 1:
		cache_get(c, k, now, NULL);
		return 0;
	case 2:
	case 3: {
		double want = cache_policy(c) == CACHE_ARC ? arc_p_after_put(c, k, now) : 0;
		if (cache_put(c, k, 1, INFINITY, now, NULL) < 0)
			return -1;
		return fabs(cache_arc_p(c) - want) < 1e-9 ? 0 : -1;
	}
	case 4:
		return cache_put(c, k, 0, 1 + 10 * rng_uniform(r), now, NULL) < 0 ? -1 : 0;
	default:
		cache_delete(c, k, now, NULL);
		return 0;
	}
}

/*
 * Long random sequences of every operation, on every policy, with string and
 * integer keys, TTLs and deletes: the invariants hold after each step, size
 * never exceeds capacity, ARC's p moves as the paper says, and every entry
 * that was inserted is still there or was counted leaving.
 */
static void t_random_invariants(void)
{
	for (int p = 0; p < CACHE_NPOLICIES; p++) {
		for (size_t cap = 1; cap <= 17; cap += 8) {
			struct cache *c = cache_new((enum cache_policy)p, cap, 7);
			struct rng r;
			rng_seed(&r, 1000 + (uint64_t)p * 10 + cap);
			double now = 0;
			for (int step = 0; step < 4000; step++) {
				now += rng_uniform(&r);
				CHECK(random_op(c, &r, now) == 0);
				CHECK(cache_check(c) == 0);
				CHECK(cache_size(c) <= cap);
				CHECK(cache_list(c, CACHE_ORDER, NULL, 0) == cache_size(c));
			}
			const struct cache_stats *st = cache_stats(c);
			CHECK(st->inserts ==
			      st->evictions + st->expirations + st->deletes + cache_size(c));
			cache_free(c);
		}
	}
}

static const struct test tests[] = {
	{"cache/fifo_trace", t_fifo_trace},
	{"cache/lru_trace", t_lru_trace},
	{"cache/lfu_trace", t_lfu_trace},
	{"cache/clock_trace", t_clock_trace},
	{"cache/random_model", t_random_model},
	{"cache/arc_trace", t_arc_trace},
	{"cache/arc_edges", t_arc_edges},
	{"cache/arc_scan_resistance", t_arc_scan_resistance},
	{"cache/2q_trace", t_2q_trace},
	{"cache/2q_model", t_2q_model},
	{"cache/update_never_evicts", t_update_never_evicts},
	{"cache/ttl", t_ttl},
	{"cache/keys", t_keys},
	{"cache/evicted_key_lifetime", t_evicted_key_lifetime},
	{"cache/clear_and_limits", t_clear_and_limits},
	{"cache/random_invariants", t_random_invariants},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
