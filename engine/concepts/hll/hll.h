/*
 * hll.h — HyperLogLog with Redis's parameters (Flajolet, Fusy, Gandouet and
 * Meunier, "HyperLogLog: the analysis of a near-optimal cardinality
 * estimation algorithm", AofA 2007; the estimator of O. Ertl, "New
 * cardinality estimation algorithms for HyperLogLog sketches", 2017, as
 * Redis computes it since 5.0).
 *
 * An element is hashed with MurmurHash64A (seed 0xadc83b19, as Redis); the
 * low P bits choose a register, and the register keeps the largest "run"
 * seen there: 1 + the number of trailing zero bits of the remaining 64 - P
 * bits (at most 64 - P + 1). With P = 14 (Redis): 16,384 registers, a
 * standard error of 1.04 / sqrt(16384) = 0.81 %.
 */
#ifndef BACKLAB_HLL_H
#define BACKLAB_HLL_H

#include <stddef.h>
#include <stdint.h>

#define HLL_P_MIN 4
#define HLL_P_MAX 18
#define HLL_SEED 0xadc83b19u

struct hll {
	int p;            /* precision: 2^p registers */
	uint8_t *reg;     /* 2^p registers, 0 .. 64 - p + 1 */
};

/* MurmurHash64A of LEN bytes at KEY with SEED (Austin Appleby's, as Redis
 * uses it: little-endian 8-byte blocks). */
uint64_t hll_murmur64a(const void *key, size_t len, uint32_t seed);

/* Where an element lands: its register index and run for precision P. */
void hll_position(const void *key, size_t len, int p, size_t *index, int *run);

/* Gives H 2^P zeroed registers (P in HLL_P_MIN..HLL_P_MAX). 0, or -1 when
 * memory is refused. */
int hll_init(struct hll *h, int p);
void hll_free(struct hll *h);

/* Adds an element: 1 if a register grew (Redis's PFADD answer), else 0. */
int hll_add(struct hll *h, const void *key, size_t len);

/* The estimate of the number of distinct elements added, rounded to the
 * nearest integer (Redis's PFCOUNT). */
uint64_t hll_count(const struct hll *h);

/* H := the register-wise maximum of H and O (PFMERGE); -1 when their
 * precisions differ. */
int hll_merge(struct hll *h, const struct hll *o);

#endif
