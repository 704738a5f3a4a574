/* rand.c — xoshiro256** seeded by splitmix64, and distributions; see rand.h. */
#include "engine/concepts/rand/rand.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdlib.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
	/* splitmix64 is a bijection on its counter, so four outputs cannot all be 0 */
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	/* reject the top sliver that would make x % n uneven */
	uint64_t limit = -n % n; /* = 2^64 mod n */
	uint64_t x;
	do
		x = rng_next(r);
	while (x < limit);
	return x % n;
}

int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
	if (span == 0) /* the whole 64-bit range */
		return (int64_t)rng_next(r);
	return (int64_t)((uint64_t)lo + rng_below(r, span));
}

double rng_exponential(struct rng *r, double rate)
{
	/* 1 - u is in (0, 1], so the log is finite */
	return -log(1.0 - rng_uniform(r)) / rate;
}

double rng_normal(struct rng *r, double mean, double sd)
{
	double u1 = 1.0 - rng_uniform(r); /* (0, 1] */
	double u2 = rng_uniform(r);
	return mean + sd * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/*
 * A guide table (Chen & Asau, 1974) makes sampling O(1) expected while giving
 * exactly what a binary search over the CDF gives: guide[i] is the first
 * index whose cdf exceeds i/n, so the answer for u in [i/n, (i+1)/n) is at or
 * after guide[i], usually there.
 */
struct zipf {
	uint64_t n;
	double s;
	double *cdf;     /* cdf[k-1] = P(rank <= k); cdf[n-1] == 1 */
	uint32_t *guide; /* n entries */
};

struct zipf *zipf_new(uint64_t n, double s)
{
	if (n == 0 || s < 0 || n > ((uint64_t)1 << 32))
		return NULL;
	struct zipf *z = budget_malloc(sizeof *z);
	double *cdf = budget_malloc(n * sizeof *cdf);
	uint32_t *guide = budget_malloc(n * sizeof *guide);
	if (!z || !cdf || !guide) {
		budget_free(z);
		budget_free(cdf);
		budget_free(guide);
		return NULL;
	}
	double sum = 0;
	for (uint64_t k = 1; k <= n; k++) {
		sum += pow((double)k, -s);
		cdf[k - 1] = sum;
	}
	for (uint64_t k = 0; k < n; k++)
		cdf[k] /= sum;
	cdf[n - 1] = 1.0;
	uint64_t k = 0;
	for (uint64_t i = 0; i < n; i++) {
		double u = (double)i / (double)n;
		while (cdf[k] <= u)
			k++;
		guide[i] = (uint32_t)k;
	}
	z->n = n;
	z->s = s;
	z->cdf = cdf;
	z->guide = guide;
	return z;
}

uint64_t zipf_sample(const struct zipf *z, struct rng *r)
{
	double u = rng_uniform(r);
	uint64_t i = (uint64_t)(u * (double)z->n); /* u < 1, so i < n */
	uint64_t k = z->guide[i];                  /* first index with cdf > i/n <= u */
	while (z->cdf[k] <= u)
		k++;
	return k + 1;
}

double zipf_prob(const struct zipf *z, uint64_t k)
{
	if (k < 1 || k > z->n)
		return 0;
	return k == 1 ? z->cdf[0] : z->cdf[k - 1] - z->cdf[k - 2];
}

uint64_t zipf_n(const struct zipf *z)
{
	return z->n;
}

double zipf_s(const struct zipf *z)
{
	return z->s;
}

void zipf_free(struct zipf *z)
{
	if (z) {
		budget_free(z->cdf);
		budget_free(z->guide);
		budget_free(z);
	}
}
