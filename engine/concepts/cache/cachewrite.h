/*
 * cachewrite.h — read and write policies: a cache (cache.h) in front of a
 * simulated backing store that counts its reads and writes.
 *
 * The store maps keys to versions: every write anywhere takes a fresh
 * version number from the store (larger than all before), and the store
 * remembers the version of the last write it received for each key. A cache
 * entry remembers the version it holds and whether it is dirty (newer than
 * the store). A read served from the cache is *stale* when the entry's
 * version is older than the store's: someone wrote the store since.
 *
 * Policies (every read first looks in the cache; a read that misses reads
 * the store and then fills the cache: two steps, and other operations may
 * run between them — the binding lets a learner put one there):
 *
 *   cache-aside    the application loads and invalidates: a write goes to
 *                  the store, then deletes the cached copy. A fill always
 *                  happens, even if the key was written between the store
 *                  read and the fill: the classic race that leaves a stale
 *                  value cached (Nishtala et al., "Scaling Memcache at
 *                  Facebook", NSDI 2013, section 3.2.1, which closes it with
 *                  leases).
 *   read-through   the cache loads on a miss; writes as cache-aside. Because
 *                  the cache owns both loading and invalidation, a fill is
 *                  dropped if the key was written or invalidated since its
 *                  store read (a built-in lease).
 *   write-through  reads as read-through; a write goes to the store and to
 *                  the cache (inserting the key if absent: write-allocate).
 *   write-back     reads as read-through; a write goes to the cache only and
 *                  marks the entry dirty (write-allocate). A dirty entry is
 *                  written to the store when it is evicted or expires, or by
 *                  flush; a crash loses it.
 *   write-around   reads as read-through; a write goes to the store; a
 *                  cached copy is updated, an absent key is not allocated
 *                  (no-write-allocate).
 *
 * Latency: every read or write costs one cache access (LATENCY) plus each
 * store access it makes (the store's read or write latency), including the
 * write of a dirty entry it evicts. Write-backs by expiry or flush are
 * counted, not charged to a request.
 */
#ifndef BACKLAB_CACHEWRITE_H
#define BACKLAB_CACHEWRITE_H

#include "engine/concepts/cache/cache.h"

#include <stddef.h>
#include <stdint.h>

enum cachewrite_policy {
	CW_CACHE_ASIDE,
	CW_READ_THROUGH,
	CW_WRITE_THROUGH,
	CW_WRITE_BACK,
	CW_WRITE_AROUND,
};
#define CW_NPOLICIES 5

/* The policy named NAME ("cache-aside", ...) or -1. */
int cachewrite_policy_parse(const char *name);
const char *cachewrite_policy_name(enum cachewrite_policy p);

/* ---- the store ---- */

struct cachestore_stats {
	uint64_t reads, writes;
	double busy; /* seconds spent: reads * read latency + writes * write latency */
};

/* A new empty store; latencies in seconds (>= 0). NULL if out of memory.
 * Free with cachestore_free, after every writer that uses it. */
struct cachestore *cachestore_new(double read_latency, double write_latency);
void cachestore_free(struct cachestore *s);

/* Reads KEY (counted): returns the version of its last write, 0 if never
 * written. */
uint64_t cachestore_read(struct cachestore *s, struct cache_key key);

/* Writes KEY (counted) with VERSION, or with a fresh version if VERSION is 0;
 * returns the version written, or 0 if memory runs out (nothing changes). */
uint64_t cachestore_write(struct cachestore *s, struct cache_key key, uint64_t version);

/* The version of KEY's last write, without counting a read. */
uint64_t cachestore_version(const struct cachestore *s, struct cache_key key);
/* A fresh version number, larger than every one before. */
uint64_t cachestore_next_version(struct cachestore *s);

const struct cachestore_stats *cachestore_stats(const struct cachestore *s);
double cachestore_read_latency(const struct cachestore *s);
double cachestore_write_latency(const struct cachestore *s);

/* Copies up to MAX keys (data = version; first written first) into ITEMS;
 * returns how many there are. Keys stay valid until the next write. */
size_t cachestore_list(const struct cachestore *s, struct cache_item *items, size_t max);

/* ---- the writer: a cache with a policy over a store ---- */

/* What one operation did. */
struct cw_op {
	int outcome;          /* reads: CW_HIT, CW_STALE or CW_MISS */
	uint64_t version;     /* the version read or written */
	uint64_t lease;       /* a miss: pass to cachewriter_fill */
	double latency;       /* simulated seconds the operation took */
	int evicted;          /* the operation removed an entry from the cache... */
	struct cache_key key; /* ...this one (valid until the next call) */
	int written_back;     /* ...and it was dirty, so it was written to the store */
	int stored;           /* writes: the store received the new version */
	int cached;           /* writes: the cache holds the new version (else it holds
			       * no copy of the key) */
};

enum { CW_MISS, CW_HIT, CW_STALE };

struct cachewriter_stats {
	uint64_t reads, writes, hits, misses, stale_reads;
	uint64_t store_reads, store_writes; /* made by this writer */
	uint64_t writebacks;                /* dirty entries written (evicted, expired, flushed) */
	uint64_t lost_writes;               /* dirty entries lost by crashes */
	uint64_t fills_dropped;             /* fills dropped because the key changed */
	double read_time, write_time;       /* total latency of reads and writes */
};

/*
 * A writer with POLICY, a cache of CAPACITY entries evicting by EVICTION,
 * entries living TTL seconds (INFINITY: no expiry), one cache access costing
 * LATENCY seconds, over STORE (not owned; it must outlive the writer).
 * Returns NULL on a bad capacity or TTL, or out of memory. Free with
 * cachewriter_free.
 */
struct cachewriter *cachewriter_new(enum cachewrite_policy policy, size_t capacity,
				    enum cache_policy eviction, double ttl, double latency,
				    struct cachestore *store);
void cachewriter_free(struct cachewriter *w);

/*
 * First step of a read of KEY at NOW. A hit returns CW_HIT or CW_STALE and
 * the read is complete. A miss reads the store (op->version) and returns
 * CW_MISS; call cachewriter_fill to complete it. Returns -1 if memory runs
 * out. The caller drains expirations first (cachewriter_expire).
 */
int cachewriter_read(struct cachewriter *w, struct cache_key key, double now, struct cw_op *op);

/*
 * Second step of a read that missed: caches KEY at VERSION unless the policy
 * drops the fill (see the policies). Returns 1 if it filled, 0 if it dropped
 * the fill, -1 if memory runs out. OP reports an eviction; its latency is
 * that of a dirty write-back, if any.
 */
int cachewriter_fill(struct cachewriter *w, struct cache_key key, uint64_t version,
		     uint64_t lease, double now, struct cw_op *op);

/* Writes KEY at NOW (a fresh version, in op->version). Returns 0, or -1 if
 * memory runs out (nothing changes). */
int cachewriter_write(struct cachewriter *w, struct cache_key key, double now, struct cw_op *op);

/* Drops KEY's cached copy at NOW (writing it to the store first if dirty)
 * and cancels any read of it in flight; returns 1 if it was cached (OP tells
 * whether it was written back), else 0. */
int cachewriter_invalidate(struct cachewriter *w, struct cache_key key, double now,
			   struct cw_op *op);

/* Removes one entry expired by NOW, writing it back if dirty: returns 1 and
 * fills OP (evicted, key, written_back), or 0 if none has expired. */
int cachewriter_expire(struct cachewriter *w, double now, struct cw_op *op);

/* Writes every dirty entry to the store and marks it clean; returns how
 * many (an entry the store has no memory for stays dirty). List them first
 * with cachewriter_list to move their values. */
size_t cachewriter_flush(struct cachewriter *w);

/* Loses the cache: every entry is dropped, dirty ones counted as lost writes;
 * returns how many were dirty. List them first with cachewriter_list. */
size_t cachewriter_crash(struct cachewriter *w);

/*
 * Copies up to MAX cached entries into ITEMS, in the cache's order (DIRTY_ONLY:
 * only dirty ones); item.data is the entry's word: version << 1 | dirty.
 * Returns how many there are.
 */
size_t cachewriter_list(const struct cachewriter *w, int dirty_only, struct cache_item *items,
			size_t max);

const struct cachewriter_stats *cachewriter_stats(const struct cachewriter *w);
size_t cachewriter_dirty(const struct cachewriter *w);
enum cachewrite_policy cachewriter_policy(const struct cachewriter *w);
const struct cache *cachewriter_cache(const struct cachewriter *w);

/* 0 if the invariants hold (the cache's own, the dirty count, no entry
 * newer than the store's version counter), else -1. */
int cachewriter_check(const struct cachewriter *w);

#endif
