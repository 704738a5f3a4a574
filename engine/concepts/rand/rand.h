/*
 * rand.h — a seeded pseudo-random generator for simulations and checks.
 *
 * xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2018) seeded through splitmix64, so the same 64-bit seed
 * gives the same stream on every machine. Not for cryptography.
 *
 * A struct rng is a plain value: copy it to fork a stream. No allocation,
 * no global state, no wall clock.
 */
#ifndef BACKLAB_RAND_H
#define BACKLAB_RAND_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s[4]; /* never all zero (splitmix64 seeding guarantees it) */
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform double in [0, 1) with 53 random bits. */
double rng_uniform(struct rng *r);
/* Uniform integer in [0, n), without modulo bias; n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform integer in [lo, hi]; lo <= hi. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* Exponential with the given rate (mean 1/rate); rate > 0. */
double rng_exponential(struct rng *r, double rate);
/* Normal (Gaussian), by the Box-Muller transform; sd >= 0. */
double rng_normal(struct rng *r, double mean, double sd);

/*
 * Zipf(s) over ranks 1..n: P(k) proportional to 1/k^s. The table holds the
 * cumulative distribution (n doubles); sampling is a binary search.
 * zipf_new returns NULL when n is 0, s is negative or memory runs out;
 * free with zipf_free.
 */
struct zipf;
struct zipf *zipf_new(uint64_t n, double s);
uint64_t zipf_sample(const struct zipf *z, struct rng *r);
/* Probability of rank k (1-based), for checks and plots. */
double zipf_prob(const struct zipf *z, uint64_t k);
uint64_t zipf_n(const struct zipf *z);
double zipf_s(const struct zipf *z);
void zipf_free(struct zipf *z);

#endif
