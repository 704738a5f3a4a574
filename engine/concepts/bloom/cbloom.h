/*
 * cbloom.h — a counting Bloom filter (Fan, Cao, Almeida and Broder,
 * "Summary Cache: A Scalable Wide-Area Web Cache Sharing Protocol",
 * SIGCOMM 1998 / IEEE/ACM ToN 8(3), 2000, s5): m counters of c bits in
 * place of m bits, so a key can be removed: add increments the k counters
 * of a key, remove decrements them, has asks that all k be above 0.
 * Positions are lab.bloom's (bloom.h: (h1 + i h2) % m).
 *
 * The caveat: a counter has 2^c - 1 as its largest value. Fan et al. show
 * that with 4 bits and the optimal k the chance any counter reaches 16 is
 * below 1.37e-15 * m; here a counter that reaches its largest value
 * sticks there (is never decremented), which keeps "no false negatives"
 * at the price of bits that stay set (counted in `saturated`). Removing a
 * key that was never added would break the filter (it could clear another
 * key's counters): cbloom_remove refuses when one of the key's counters is
 * already 0, but a false positive's counters are above 0, and that removal
 * goes through: only remove what was added.
 */
#ifndef BACKLAB_CBLOOM_H
#define BACKLAB_CBLOOM_H

#include "engine/concepts/bloom/bloom.h"

#define CBLOOM_MAX_COUNTERS ((uint64_t)1 << 30)

struct cbloom;

/* M counters (1..CBLOOM_MAX_COUNTERS) of BITS bits (1..8), K hashes
 * (1..BLOOM_MAX_HASHES); NULL on bad arguments or no memory. */
struct cbloom *cbloom_new(uint64_t m, int k, int bits);
void cbloom_free(struct cbloom *c);

/* Adds KEY; returns how many of its counters reached the largest value
 * now (and so stick). */
int cbloom_add(struct cbloom *c, const struct bloom_key *key);

/* Removes KEY: 0 done; -1 refused (one of its counters is 0: it was never
 * added; nothing changed). */
int cbloom_remove(struct cbloom *c, const struct bloom_key *key);

/* 1 if every counter of KEY is above 0. */
int cbloom_has(const struct cbloom *c, const struct bloom_key *key);

struct cbloom_stats {
	uint64_t counters, added, removed, nonzero, saturated;
	int hashes, bits, max;       /* max: the largest counter value */
	size_t bytes;
};
void cbloom_stats(const struct cbloom *c, struct cbloom_stats *st);
/* Counter I (0-based). */
int cbloom_counter(const struct cbloom *c, uint64_t i);

#endif
