/* bloom.c — the Bloom filter of bloom.h. */
#include "engine/concepts/bloom/bloom.h"
#include "engine/base/budget.h"

#include <math.h>
#include <string.h>

struct bloom {
	uint64_t m;
	int k;
	uint64_t added;
	uint64_t ones;
	uint64_t *words; /* m bits, bit i in words[i / 64] at 1 << (i % 64) */
};

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void bloom_hash(const struct bloom_key *k, uint64_t *h1, uint64_t *h2)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a offset basis */
	const uint64_t prime = 0x100000001b3ull;
	if (k->s) {
		h = (h ^ 's') * prime;
		for (size_t i = 0; i < k->len; i++)
			h = (h ^ (unsigned char)k->s[i]) * prime;
	} else {
		h = (h ^ 'i') * prime;
		uint64_t x = (uint64_t)k->i;
		for (int i = 0; i < 8; i++)
			h = (h ^ ((x >> (8 * i)) & 0xff)) * prime;
	}
	uint64_t z = mix64(h);
	*h1 = z & 0xffffffffull;
	*h2 = (z >> 32) | 1;
}

struct bloom *bloom_new(uint64_t m, int k)
{
	if (m < 1 || m > BLOOM_MAX_BITS || k < 1 || k > BLOOM_MAX_HASHES)
		return NULL;
	struct bloom *b = budget_calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->words = budget_calloc((size_t)((m + 63) / 64), sizeof *b->words);
	if (!b->words) {
		budget_free(b);
		return NULL;
	}
	b->m = m;
	b->k = k;
	return b;
}

void bloom_free(struct bloom *b)
{
	if (b) {
		budget_free(b->words);
		budget_free(b);
	}
}

void bloom_add(struct bloom *b, const struct bloom_key *k)
{
	uint64_t h1, h2;
	bloom_hash(k, &h1, &h2);
	for (int i = 0; i < b->k; i++) {
		uint64_t pos = (h1 + (uint64_t)i * h2) % b->m;
		uint64_t bit = (uint64_t)1 << (pos % 64);
		if (!(b->words[pos / 64] & bit)) {
			b->words[pos / 64] |= bit;
			b->ones++;
		}
	}
	b->added++;
}

int bloom_has(const struct bloom *b, const struct bloom_key *k)
{
	uint64_t h1, h2;
	bloom_hash(k, &h1, &h2);
	for (int i = 0; i < b->k; i++) {
		uint64_t pos = (h1 + (uint64_t)i * h2) % b->m;
		if (!(b->words[pos / 64] & ((uint64_t)1 << (pos % 64))))
			return 0;
	}
	return 1;
}

uint64_t bloom_bits(const struct bloom *b)
{
	return b->m;
}

int bloom_hashes(const struct bloom *b)
{
	return b->k;
}

uint64_t bloom_added(const struct bloom *b)
{
	return b->added;
}

uint64_t bloom_ones(const struct bloom *b)
{
	return b->ones;
}

int bloom_bit(const struct bloom *b, uint64_t i)
{
	return i < b->m && (b->words[i / 64] >> (i % 64)) & 1;
}

double bloom_fp_rate(uint64_t m, int k, uint64_t n)
{
	return pow(1.0 - exp(-(double)k * (double)n / (double)m), k);
}
