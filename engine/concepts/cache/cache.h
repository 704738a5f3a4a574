/*
 * cache.h — a key-value cache of fixed capacity with pluggable eviction
 * policies, TTLs on simulated time, and statistics.
 *
 * The cache holds keys only (integers or byte strings) plus one 64-bit word
 * per entry for the caller; the Lua binding keeps the values themselves.
 *
 * Semantics shared by every policy (the Lua tests and checks rely on them):
 *
 *   get(k) hit   counts a hit and is a use of k for the policy.
 *   get(k) miss  counts a miss and changes nothing else (no insertion, and an
 *                ARC ghost entry is left where it is).
 *   put(k) of a cached key replaces its word and TTL, is a use of k for the
 *                policy exactly like a hit, is not a hit, and never evicts.
 *   put(k) of a new key evicts one entry if the cache is full (the policy's
 *                victim), then inserts k. It always admits k.
 *   delete(k)    removes k; not an eviction; ARC leaves no ghost for it.
 *   TTL          an entry put at time t with ttl d expires at t + d: from then
 *                on it is gone. Every operation first removes the entries
 *                expired by its `now` (counted as expirations, never as
 *                evictions), so an expired entry never takes room, is never a
 *                victim and is never seen by get.
 *
 * Policies, and how each breaks ties:
 *
 *   fifo    evicts the key inserted longest ago; uses change nothing.
 *   lru     evicts the least recently used key (a use is a hit or an update).
 *   lfu     evicts the key with the fewest uses; an insertion counts 1 use,
 *           each hit or update one more. Ties go to the least recently used
 *           among them. Counts are forgotten on eviction (no aging). O(1), in
 *           the frequency-list layout of Shah, Mitra & Matani, "An O(1)
 *           algorithm for implementing the LFU cache eviction scheme" (2010).
 *   clock   second chance (Corbató, "A paging experiment with the Multics
 *           system", 1968): keys sit on a ring in insertion order with a
 *           reference bit, 0 when inserted, set to 1 by a use. To evict, the
 *           hand looks at the key under it: bit 1 -> clear it, move on; bit 0
 *           -> evict it. A new key goes just behind the hand (it is the last
 *           the hand will reach).
 *   random  evicts a uniformly chosen key: with n keys, the one at position
 *           rng_below(n) (0-based) of the slot array, drawn from the cache's
 *           own generator (rand.h, seeded by cache_new). The slot array holds
 *           keys in insertion order, except that a removed key's slot is
 *           taken by the last key. lab.rand's r:int(0, n - 1) with the same
 *           seed draws the same positions.
 *   arc     Adaptive Replacement Cache (Megiddo & Modha, "ARC: A Self-Tuning,
 *           Low Overhead Replacement Cache", FAST 2003, Fig. 4): resident
 *           lists T1 (seen once recently) and T2 (seen at least twice), ghost
 *           lists B1 and B2 (keys only, recently evicted from T1 and T2), and
 *           a target size p for T1, all as in the paper, with p a real number.
 *           A put of a new key is the paper's miss (cases II, III, IV); a hit
 *           or an update is case I. Where this API goes beyond the paper:
 *           REPLACE runs only when the cache is full (deletes and expirations
 *           can leave room while the ghost lists are full), and it takes T1's
 *           LRU key when T2 is empty. ARC rather than 2Q (Johnson &
 *           Shasha, VLDB 1994): it has no parameters to tune (2Q needs Kin
 *           and Kout), the paper's pseudo-code is complete and its size
 *           bounds can be checked, and its adaptation (p) is visible.
 *   2q      the full 2Q of Johnson & Shasha ("2Q: A Low Overhead High
 *           Performance Buffer Management Replacement Algorithm", VLDB 1994,
 *           section 2.2), with the paper's recommended sizes Kin = 25% and
 *           Kout = 50% of the capacity (each at least 1): A1in, a FIFO of
 *           keys seen once (a hit there changes nothing); Am, an LRU of keys
 *           seen again; A1out, a FIFO of the keys (ghosts, no values)
 *           recently evicted from A1in. A put of a key in A1out goes to the
 *           front of Am; any other new key to the front of A1in. To make
 *           room (the paper's reclaimfor): if |A1in| > Kin, A1in's oldest
 *           key goes, its ghost to the front of A1out (dropping A1out's
 *           oldest beyond Kout); else Am's least recent key goes, with no
 *           ghost. Beyond the paper: when Am is empty A1in gives its oldest
 *           even at Kin or below (only possible when Kin >= capacity, i.e.
 *           capacity 1), and room is reclaimed only when the cache is full.
 *
 * Everything is deterministic: the only randomness is the random policy's
 * seeded generator, and time is the caller's `now`.
 */
#ifndef BACKLAB_CACHE_H
#define BACKLAB_CACHE_H

#include <stddef.h>
#include <stdint.h>

enum cache_policy { CACHE_FIFO, CACHE_LRU, CACHE_LFU, CACHE_CLOCK, CACHE_RANDOM, CACHE_ARC,
		   CACHE_2Q };
#define CACHE_NPOLICIES 7

/* The largest capacity cache_new accepts. */
#define CACHE_MAX_CAPACITY (1u << 26)

/*
 * A key: an integer, or a string of bytes (any bytes, NUL included). The
 * integer 1 and the string "1" are different keys.
 */
struct cache_key {
	const char *str; /* the bytes of a string key, or NULL for an integer key */
	size_t len;      /* length of str */
	int64_t num;     /* the integer, when str is NULL */
};

static inline struct cache_key cache_int(int64_t n)
{
	struct cache_key k = {NULL, 0, n};
	return k;
}

static inline struct cache_key cache_str(const char *s, size_t len)
{
	struct cache_key k = {s, len, 0};
	return k;
}

struct cache_stats {
	uint64_t hits, misses;     /* outcomes of cache_get */
	uint64_t inserts, updates; /* outcomes of cache_put */
	uint64_t evictions;        /* entries the policy removed to make room */
	uint64_t expirations;      /* entries removed because their TTL ran out */
	uint64_t deletes;          /* entries removed by cache_delete */
};

/* One entry, as the inspection functions and cache_put's eviction report it.
 * The key's bytes belong to the cache: valid until the next call that
 * changes it. */
struct cache_item {
	struct cache_key key;
	uint64_t data;   /* the caller's word */
	double expires;  /* time at which the entry expires; INFINITY without TTL */
	uint64_t count;  /* lfu: number of uses; other policies: 0 */
	int ref;         /* clock: reference bit; other policies: 0 */
};

/* Outcomes of cache_put. */
enum { CACHE_UPDATED = 0, CACHE_INSERTED = 1, CACHE_EVICTED = 2 };

/* Which entries cache_list reports. */
enum cache_list {
	CACHE_ORDER, /* resident keys in the policy's order (see cache_list) */
	CACHE_T1,    /* arc: T1, most recent first; 2q: A1in, newest first */
	CACHE_T2,    /* arc: T2; 2q: Am, most recent first */
	CACHE_B1, /* ghosts, keys only: arc's B1 and B2; 2q's A1out (newest first) */
	CACHE_B2,
};

/* The policy named NAME ("fifo", "lru", "lfu", "clock", "random", "arc",
 * "2q"), or -1 if there is none. */
int cache_policy_parse(const char *name);
const char *cache_policy_name(enum cache_policy p);

/*
 * A new, empty cache of CAPACITY entries (1..CACHE_MAX_CAPACITY). SEED seeds
 * the random policy's generator (ignored by the others). Returns NULL if the
 * capacity is out of range or memory runs out. All memory is allocated here
 * except copies of string keys longer than a few bytes. Free with cache_free.
 */
struct cache *cache_new(enum cache_policy policy, size_t capacity, uint64_t seed);
void cache_free(struct cache *c);

/*
 * Looks KEY up at time NOW (after removing the entries expired by NOW).
 * On a hit returns 1, stores the entry's word in *DATA (if DATA is not NULL)
 * and tells the policy; on a miss returns 0. Either way the statistics count
 * it.
 */
int cache_get(struct cache *c, struct cache_key key, double now, uint64_t *data);

/* Like cache_get, but neither the statistics nor the policy see it. */
int cache_peek(struct cache *c, struct cache_key key, double now, uint64_t *data);

/*
 * Stores KEY with word DATA at time NOW, living TTL seconds (INFINITY: no
 * expiry). The key is copied. Returns CACHE_UPDATED if KEY was cached,
 * CACHE_INSERTED if it was not and there was room, CACHE_EVICTED if another
 * entry was evicted to make room: then *EVICTED (if not NULL) describes it.
 * Returns -1 and changes nothing if TTL is not positive or memory runs out.
 */
int cache_put(struct cache *c, struct cache_key key, uint64_t data, double ttl, double now,
	      struct cache_item *evicted);

/* Replaces the word of a cached KEY without it counting as a use; returns 1
 * if KEY is cached, else 0. Expired entries are not removed by this call. */
int cache_set_data(struct cache *c, struct cache_key key, uint64_t data);

/* Removes KEY at time NOW; returns 1 if it was cached (and then fills
 * *REMOVED if not NULL), else 0. */
int cache_delete(struct cache *c, struct cache_key key, double now, struct cache_item *removed);

/*
 * Removes the entry that expires first, if it has expired by NOW: returns 1
 * and describes it in *EXPIRED (if not NULL). Returns 0 if no entry has
 * expired. Other calls expire entries silently; a caller that needs to know
 * which (to drop their values) calls this until it returns 0 first.
 */
int cache_expire(struct cache *c, double now, struct cache_item *expired);

/* Removes every entry and ghost, without counting anything; resets ARC's p.
 * The statistics are kept. */
void cache_clear(struct cache *c);

size_t cache_size(const struct cache *c);
size_t cache_capacity(const struct cache *c);
enum cache_policy cache_policy(const struct cache *c);
const struct cache_stats *cache_stats(const struct cache *c);
void cache_reset_stats(struct cache *c);
/* ARC's target size for T1 (0 <= p <= capacity); 0 for other policies. */
double cache_arc_p(const struct cache *c);
/* 2Q's sizes Kin and Kout; 0 for other policies. */
size_t cache_2q_kin(const struct cache *c);
size_t cache_2q_kout(const struct cache *c);
/* Number of draws the random policy has taken from its generator. */
uint64_t cache_draws(const struct cache *c);

/*
 * Copies up to MAX entries of list WHICH into ITEMS and returns how many the
 * list holds (call with MAX 0 to size ITEMS). CACHE_ORDER lists the resident
 * keys in the policy's order:
 *   fifo    newest first, oldest (the next victim) last;
 *   lru     most recently used first, the next victim last;
 *   lfu     most uses first; equal counts most recent first; the next victim
 *           last;
 *   clock   the ring from the hand on, in the order the hand visits it;
 *   random  the slot array;
 *   arc     T1 then T2, each most recent first;
 *   2q      A1in (newest first) then Am (most recent first).
 * CACHE_T1..CACHE_B2 hold entries for arc and 2q only (2q's B2 is empty).
 */
size_t cache_list(const struct cache *c, enum cache_list which, struct cache_item *items,
		  size_t max);

/*
 * Checks the invariants stated in cache.c (index, lists, policy structures,
 * expiry heap, ARC's size bounds); returns 0 if they hold, else -1.
 */
int cache_check(const struct cache *c);

#endif
