/*
 * cache_int.h — the inside of a struct cache, shared by cache.c (entries,
 * index, expiry heap, the API) and cache_policy.c (the eviction policies).
 * Not for use outside those two files.
 */
#ifndef BACKLAB_CACHE_INT_H
#define BACKLAB_CACHE_INT_H

#include "engine/concepts/cache/cache.h"
#include "engine/concepts/rand/rand.h"

#define NIL UINT32_MAX
#define INLINE_KEY 24 /* string keys up to this many bytes live in the entry */

/* Where an entry is. Resident entries are in MAIN (one list, LFU buckets or
 * the random slot array) or, for ARC and 2Q, in T1/T2 (2Q: A1in/Am); ghosts
 * are in B1/B2 (2Q: A1out is B1). */
enum { W_FREE, W_MAIN, W_T1, W_T2, W_B1, W_B2, W_GRAVE };

struct entry {
	uint64_t hash;
	uint64_t data;
	double expires;        /* INFINITY: no TTL */
	int64_t num;           /* integer key */
	char *str;             /* string key: inl or malloc'd; NULL for an integer key */
	uint32_t len;          /* string key length */
	uint32_t prev, next;   /* list links; next also chains the free list */
	uint32_t heap;         /* index in the expiry heap, or NIL */
	uint32_t aux;          /* lfu: bucket; random: slot */
	uint8_t where;         /* W_* */
	uint8_t ref;           /* clock reference bit */
	char inl[INLINE_KEY];
};

/* An LFU frequency bucket: the buckets form a list in increasing frequency
 * (bk[0] is its sentinel); bucket b's entries hang off list sentinel b. */
struct bucket {
	uint64_t freq;
	uint32_t prev, next;
};

/* A slot of the index: an entry and the low bits of its key's hash, so that
 * probing rarely touches entries that do not match. */
struct slot {
	uint32_t e; /* entry index, or NIL: empty */
	uint32_t h; /* (uint32_t)hash of the entry's key */
};

/*
 * Invariants (checked by cache_check):
 * - e[0 .. nslots) are entries, e[nslots ..) list sentinels (circular doubly
 *   linked lists through prev/next, indices into e).
 * - Every resident or ghost entry is in the index `tab` exactly once, beside
 *   the low 32 bits of its hash (open addressing, linear probing, no
 *   tombstones: removal shifts back), and nothing else is; `used` counts
 *   them. size = resident entries <= cap.
 * - fifo/lru/clock: the resident entries are list 0. lfu: bucket list in
 *   strictly increasing freq, no empty bucket, each entry in its aux bucket.
 *   random: dense[0 .. size) are the resident entries, dense[e.aux] == e.
 *   arc: lists 0..3 are T1, T2, B1, B2 with lengths len[]; |T1|+|T2| <= c,
 *   |T1|+|B1| <= c, |T1|+|T2|+|B1|+|B2| <= 2c, 0 <= p <= c.
 *   2q: lists 0..2 are A1in, Am, A1out with lengths len[]; |A1in|+|Am| = size
 *   <= c, |A1out| <= kout, list 3 empty.
 * - The expiry heap holds exactly the resident entries with a finite expiry,
 *   as a binary min-heap on (expires, index), and e.heap is each one's place.
 * - At most one entry is W_GRAVE: the last one removed, kept so that the key
 *   reported to the caller stays readable until the next call.
 */
struct cache {
	enum cache_policy policy;
	uint32_t cap, size, nslots;
	struct entry *e;
	uint32_t free_head, grave;
	struct slot *tab;     /* the index */
	uint32_t mask, used;
	uint32_t *heap, nheap;
	uint32_t len[4];      /* arc list lengths */
	double p;             /* arc target size of T1 */
	uint32_t kin, kout;   /* 2q: A1in's threshold, A1out's size */
	struct bucket *bk;    /* lfu */
	uint32_t bk_free;
	uint32_t *dense;      /* random */
	struct rng rng;
	uint64_t draws;
	struct cache_stats st;
};

/* ---- lists (sentinel s = nslots + list number) ---- */

#define LIST(c, n) ((c)->nslots + (uint32_t)(n))

/* ARC's lists are lists 0..3. */
enum { T1, T2, B1, B2 };

static inline void list_init(struct cache *c, uint32_t s)
{
	c->e[s].prev = c->e[s].next = s;
}

static inline void unlink_entry(struct cache *c, uint32_t x)
{
	struct entry *e = &c->e[x];
	c->e[e->prev].next = e->next;
	c->e[e->next].prev = e->prev;
}

static inline void link_after(struct cache *c, uint32_t at, uint32_t x)
{
	uint32_t n = c->e[at].next;
	c->e[x].prev = at;
	c->e[x].next = n;
	c->e[n].prev = x;
	c->e[at].next = x;
}

static inline void push_front(struct cache *c, uint32_t s, uint32_t x)
{
	link_after(c, s, x);
}

static inline void push_back(struct cache *c, uint32_t s, uint32_t x)
{
	link_after(c, c->e[s].prev, x);
}

static inline int list_empty(const struct cache *c, uint32_t s)
{
	return c->e[s].next == s;
}

static inline int resident(const struct entry *e)
{
	return e->where == W_MAIN || e->where == W_T1 || e->where == W_T2;
}

/* ---- cache.c, for the policies ---- */

/* A free slot holding KEY (hash H) and indexed; COPY is a malloc'd copy of a
 * long string key, or NULL. There is always a free slot when a policy asks. */
uint32_t cache_alloc(struct cache *c, struct cache_key k, uint64_t h, char *copy);
/* Takes resident entry X out of the cache (policy, heap, index) and keeps it
 * as the grave, so that its key can be reported until the next call. */
void cache_retire(struct cache *c, uint32_t x);
/* Forgets entry X, which is in no list any more: index and slot. */
void cache_forget(struct cache *c, uint32_t x);
/* Takes entry X out of the expiry heap, if it is there. */
void cache_heap_del(struct cache *c, uint32_t x);

/* ---- cache_policy.c ---- */

/* Empties the policy's structures (lists, LFU buckets, ARC's p). */
void cachepol_clear(struct cache *c);
/* Places new resident entry X (every policy but ARC, which admits below). */
void cachepol_link(struct cache *c, uint32_t x);
/* Notes a use (a hit or an update) of resident entry X. */
void cachepol_touch(struct cache *c, uint32_t x);
/* The entry to evict from a full cache (not ARC). */
uint32_t cachepol_victim(struct cache *c);
/* Takes resident entry X out of the policy's structures. */
void cachepol_unlink(struct cache *c, uint32_t x);
/* ARC's answer to a put of a key that is not resident: G is its ghost entry
 * or NIL. Returns the key's new resident entry; *VICTIM is the entry evicted
 * (a ghost now, or the grave) or NIL. */
uint32_t cachepol_arc_admit(struct cache *c, uint32_t g, struct cache_key k, uint64_t h,
			    char *copy, uint32_t *victim);
/* 2Q's answer to a put of a key that is not resident, as cachepol_arc_admit:
 * G is its ghost in A1out, or NIL. */
uint32_t cachepol_2q_admit(struct cache *c, uint32_t g, struct cache_key k, uint64_t h,
			   char *copy, uint32_t *victim);
/* 0 if the policy's structures are consistent, else -1. */
int cachepol_check(const struct cache *c);

#endif
