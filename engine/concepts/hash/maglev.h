/*
 * maglev.h — Maglev consistent hashing (Eisenbud et al., "Maglev: A Fast and
 * Reliable Software Network Load Balancer", NSDI 2016, section 3.4).
 *
 * A lookup table of M entries (M prime) maps a key hash to a backend in one
 * array access: entry[K mod M]. Each backend i has a preference list, the
 * permutation of 0..M-1 given by
 *
 *     offset_i = h1(name) mod M,   skip_i = h2(name) mod (M - 1) + 1,
 *     permutation_i[j] = (offset_i + j * skip_i) mod M
 *
 * (skip is in 1..M-1 and M is prime, so every entry appears once), with
 * h1 = chash_hash64 and h2 = chash_mix64(chash_hash64(name)). The table is
 * filled by the paper's population loop: backends take turns, in insertion
 * order, each claiming its next preferred entry that is still empty, until
 * all M are taken. Every backend therefore gets floor(M/N) or ceil(M/N)
 * entries, and a change of backends moves few entries (not the minimum: the
 * paper trades a little disruption for perfect balance).
 *
 * Keys are looked up by chash_hash64(key) mod M.
 *
 * Invariants (maglev_check): with N >= 1 backends every entry holds a backend
 * index in [0, N) and each backend holds floor(M/N) or ceil(M/N) entries; with
 * none every entry is -1; names are unique.
 */
#ifndef BACKLAB_MAGLEV_H
#define BACKLAB_MAGLEV_H

#include <stddef.h>
#include <stdint.h>

#define MAGLEV_MAX_SIZE 16777213u /* the largest prime below 2^24 */

struct maglev;

/* An empty table of SIZE entries; NULL if SIZE is not a prime in
 * 3..MAGLEV_MAX_SIZE or memory runs out. Free with maglev_free. */
struct maglev *maglev_new(uint32_t size);
void maglev_free(struct maglev *m);

/* 1 if N is prime (trial division; for checking a table size). */
int maglev_is_prime(uint32_t n);

/*
 * Adds backend NAME (copied) last in the turn order and repopulates the
 * table; returns its index, or -1 if the name is there already, there would
 * be more backends than entries, or memory runs out (nothing changes).
 * O(M log M) expected.
 */
int maglev_add(struct maglev *m, const char *name, size_t len);

/* Removes backend NAME and repopulates; 0, or -1 if absent or out of memory
 * (nothing changes). Later indices shift down. */
int maglev_remove(struct maglev *m, const char *name, size_t len);

int maglev_find(const struct maglev *m, const char *name, size_t len);
size_t maglev_nodes(const struct maglev *m);
uint32_t maglev_size(const struct maglev *m);
const char *maglev_name(const struct maglev *m, size_t i, size_t *len);
uint32_t maglev_offset(const struct maglev *m, size_t i);
uint32_t maglev_skip(const struct maglev *m, size_t i);

/* The table: maglev_size() backend indices (-1 when there are no backends). */
const int32_t *maglev_table(const struct maglev *m);

/* The backend for key hash KEY (chash_hash64 of the key), or -1. O(1). */
int maglev_lookup(const struct maglev *m, uint64_t key);

int maglev_check(const struct maglev *m);

#endif
