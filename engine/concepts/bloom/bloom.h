/*
 * bloom.h — a Bloom filter (Bloom, "Space/time trade-offs in hash coding
 * with allowable errors", CACM 13(7), 1970): m bits and k hash functions;
 * an added key is always found, a key never added is found with
 * probability about (1 - e^(-kn/m))^k after n adds.
 *
 * The k positions of a key come from two 32-bit hashes by double hashing
 * (Kirsch & Mitzenmacher, "Less hashing, same performance", 2006):
 *
 *   h1, h2 = bloom_hash(key)          h2 is odd
 *   position i (0 <= i < k) = (h1 + i * h2) % m      bits numbered 0..m-1
 *
 * computed in 64-bit integers (no overflow: h1, h2 < 2^32, k <= 64), so a
 * learner's filter in Lua can reproduce every position exactly. The hash is
 * FNV-1a (64-bit) of the key's bytes, finished with splitmix64's mixer;
 * an integer key is hashed as its 8 bytes, little-endian, after a tag byte
 * that keeps 1 and "\1..." apart.
 */
#ifndef BACKLAB_BLOOM_H
#define BACKLAB_BLOOM_H

#include <stddef.h>
#include <stdint.h>

#define BLOOM_MAX_BITS ((uint64_t)1 << 32)
#define BLOOM_MAX_HASHES 64

/* A key: a string (S, LEN bytes) or, when S is NULL, the integer I. */
struct bloom_key {
	const char *s;
	size_t len;
	int64_t i;
};

/* The two hashes of K: *H1 in [0, 2^32), *H2 odd in [1, 2^32). */
void bloom_hash(const struct bloom_key *k, uint64_t *h1, uint64_t *h2);

struct bloom;

/* A filter of M bits (1..BLOOM_MAX_BITS) and K hashes (1..BLOOM_MAX_HASHES),
 * or NULL (bad arguments or out of memory). Free with bloom_free(). */
struct bloom *bloom_new(uint64_t m, int k);
void bloom_free(struct bloom *b);

void bloom_add(struct bloom *b, const struct bloom_key *k);
/* 1 if every one of K's bits is set (maybe added), 0 if one is not (never
 * added). */
int bloom_has(const struct bloom *b, const struct bloom_key *k);

uint64_t bloom_bits(const struct bloom *b);
int bloom_hashes(const struct bloom *b);
uint64_t bloom_added(const struct bloom *b);    /* adds so far (repeats count) */
uint64_t bloom_ones(const struct bloom *b);     /* bits set */
int bloom_bit(const struct bloom *b, uint64_t i); /* bit i (0-based) */

/* (1 - e^(-k n / m))^k: the false-positive rate expected after N adds. */
double bloom_fp_rate(uint64_t m, int k, uint64_t n);

#endif
