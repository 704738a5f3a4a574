/*
 * lsm.h — a log-structured merge tree (O'Neil, Cheng, Gawlick & O'Neil,
 * "The Log-Structured Merge-Tree", Acta Informatica 33(4), 1996), as
 * LevelDB and RocksDB build it, counting what it writes and reads.
 *
 *   memtable   writes go to a sorted in-memory table; at `memtable` entries
 *              it is flushed as an immutable sorted run (an SSTable) to
 *              level 0. A delete writes a tombstone.
 *   runs       sorted arrays of entries cut into blocks of `block` entries;
 *              the first key of each block (its fence pointer) and a Bloom
 *              filter of `bloom_bits` bits a key stay in memory, so a
 *              lookup reads at most one block of a run, and none of a run
 *              whose filter or key range rules the key out.
 *   leveled    level 0 holds up to `level0` runs; then they are merged with
 *              level 1. Every level i >= 1 is one sorted run of at most
 *              memtable * ratio^i entries; past that it is merged into
 *              level i + 1 (the whole level: LevelDB merges one file at a
 *              time, which spreads the same work).
 *   tiered     every level holds up to `ratio` runs; when it has that many
 *              they are merged into one run at the next level.
 *   merges     keep the newest version of each key; a tombstone is dropped
 *              only when the merge writes the bottom-most data (nothing
 *              older can be below it).
 *
 * Counted in entries (every entry the same size): write amplification is
 * entries written by flushes and merges over entries the user wrote; read
 * amplification blocks read per lookup; space amplification entries stored
 * (memtable and runs) over live keys. Memory from budget.h; long merges poll
 * budget_stop() and fail, leaving everything as it was.
 */
#ifndef BACKLAB_LSM_H
#define BACKLAB_LSM_H

#include <stddef.h>
#include <stdint.h>

enum { LSM_LEVELED, LSM_TIERED };

/* A key: a string (S, LEN bytes) or, when S is NULL, the integer I. */
struct lsm_key {
	const char *s;
	size_t len;
	int64_t i;
};

enum lsm_kind { LSM_TOMBSTONE, LSM_INT, LSM_NUM, LSM_STR, LSM_BOOL };

struct lsm_val {
	enum lsm_kind kind;
	int64_t i;       /* LSM_INT, LSM_BOOL */
	double f;        /* LSM_NUM */
	const char *s;   /* LSM_STR */
	size_t len;
};

struct lsm_entry {
	struct lsm_key k;
	struct lsm_val v;
};

struct lsm_config {
	int memtable;    /* entries the memtable holds before a flush, >= 1 */
	int policy;      /* LSM_LEVELED or LSM_TIERED */
	int ratio;       /* size ratio between levels (leveled), runs a level (tiered); >= 2 */
	int level0;      /* leveled: runs at level 0 before a merge; >= 1 */
	int bloom_bits;  /* Bloom filter bits a key; 0: no filters */
	int block;       /* entries a block, >= 1 */
};

struct lsm_stats {
	long long puts, deletes, gets, ranges;
	long long flushes, flushed;       /* flushes, entries they wrote */
	long long compactions, compacted; /* merges, entries they wrote */
	long long block_reads;            /* by gets and ranges */
	long long runs_probed;            /* runs a get searched (read a block of) */
	long long bloom_skips;            /* runs a Bloom filter ruled out */
	long long bloom_false;            /* runs a filter let through without the key */
	long long range_skips;            /* runs whose key range ruled the key out */
	long long versions_dropped;       /* older versions merges discarded */
	long long tombstones_dropped;     /* tombstones merges discarded at the bottom */
};

struct lsm;

/* A new empty tree, or NULL (a bad config, or out of memory). */
struct lsm *lsm_new(const struct lsm_config *c);
void lsm_free(struct lsm *t);

/* Writes K = V (V.kind LSM_TOMBSTONE: deletes K). Strings are copied.
 * 0, or -1 out of memory or stopped (nothing changed). */
int lsm_put(struct lsm *t, struct lsm_key k, struct lsm_val v);

/* 1 with *OUT (strings valid until the next write) if K has a live value,
 * else 0. */
int lsm_get(struct lsm *t, struct lsm_key k, struct lsm_val *out);

/* Calls FN for every live key in [LO, HI] in order (NULL: unbounded);
 * stops when FN returns nonzero. Returns 0, or -1 if stopped. */
int lsm_range(struct lsm *t, const struct lsm_key *lo, const struct lsm_key *hi,
	      int (*fn)(const struct lsm_entry *e, void *ud), void *ud);

/* Flushes the memtable (then merges as the policy says); merges every run
 * into one at the bottom (dropping tombstones). 0, or -1 (unchanged). */
int lsm_flush(struct lsm *t);
int lsm_compact(struct lsm *t);

const struct lsm_stats *lsm_stats(const struct lsm *t);
void lsm_reset_stats(struct lsm *t);
const struct lsm_config *lsm_config(const struct lsm *t);

int lsm_levels(const struct lsm *t);
int lsm_runs(const struct lsm *t, int level);
/* Run R (0: newest) of LEVEL: its entries, tombstones, first and last key. */
size_t lsm_run_entries(const struct lsm *t, int level, int r);
size_t lsm_run_tombstones(const struct lsm *t, int level, int r);
const struct lsm_key *lsm_run_first(const struct lsm *t, int level, int r);
const struct lsm_key *lsm_run_last(const struct lsm *t, int level, int r);
size_t lsm_memtable_entries(const struct lsm *t);
size_t lsm_stored_entries(const struct lsm *t); /* memtable and runs */
/* Keys whose newest version is a value: walks everything (no reads
 * counted); -1 if stopped. */
long long lsm_live_keys(struct lsm *t);

int lsm_key_cmp(const struct lsm_key *a, const struct lsm_key *b);

/*
 * The merge every compaction does, on its own: RUNS[0..NRUNS) are sorted
 * runs, newest first, each of strictly increasing keys. Writes to OUT (room
 * for the sum of their lengths) the newest version of each key, in order,
 * leaving out tombstones when DROP_TOMBSTONES; entries are copied shallow
 * (OUT points to the inputs' strings). Returns the number written.
 */
size_t lsm_merge(const struct lsm_entry *const *runs, const size_t *lens, int nruns,
		 int drop_tombstones, struct lsm_entry *out);

#endif
