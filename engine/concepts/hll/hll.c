/*
 * hll.c — HyperLogLog with Redis's hash and estimator (hll.h).
 */
#include "engine/concepts/hll/hll.h"

#include <math.h>
#include <string.h>

#include "engine/base/budget.h"

uint64_t hll_murmur64a(const void *key, size_t len, uint32_t seed)
{
	const uint64_t m = 0xc6a4a7935bd1e995ULL;
	const int r = 47;
	uint64_t h = seed ^ ((uint64_t)len * m);
	const unsigned char *data = key;
	const unsigned char *end = data + (len - (len & 7));
	for (; data != end; data += 8) {
		uint64_t k = 0;
		for (int i = 7; i >= 0; i--)
			k = (k << 8) | data[i];
		k *= m;
		k ^= k >> r;
		k *= m;
		h ^= k;
		h *= m;
	}
	switch (len & 7) {
	case 7: h ^= (uint64_t)data[6] << 48; /* fall through */
	case 6: h ^= (uint64_t)data[5] << 40; /* fall through */
	case 5: h ^= (uint64_t)data[4] << 32; /* fall through */
	case 4: h ^= (uint64_t)data[3] << 24; /* fall through */
	case 3: h ^= (uint64_t)data[2] << 16; /* fall through */
	case 2: h ^= (uint64_t)data[1] << 8;  /* fall through */
	case 1:
		h ^= (uint64_t)data[0];
		h *= m;
	}
	h ^= h >> r;
	h *= m;
	h ^= h >> r;
	return h;
}

void hll_position(const void *key, size_t len, int p, size_t *index, int *run)
{
	uint64_t x = hll_murmur64a(key, len, HLL_SEED);
	*index = (size_t)(x & ((1ULL << p) - 1));
	x >>= p;
	x |= 1ULL << (64 - p); /* a run is at most 64 - p + 1 */
	int n = 1;
	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	*run = n;
}

int hll_init(struct hll *h, int p)
{
	h->p = p;
	h->reg = budget_calloc((size_t)1 << p, 1);
	return h->reg ? 0 : -1;
}

void hll_free(struct hll *h)
{
	budget_free(h->reg);
	h->reg = NULL;
}

int hll_add(struct hll *h, const void *key, size_t len)
{
	size_t i;
	int run;
	hll_position(key, len, h->p, &i, &run);
	if (h->reg[i] >= run)
		return 0;
	h->reg[i] = (uint8_t)run;
	return 1;
}

/* Ertl's tau and sigma, iterated to a fixed point. */
static double tau(double x)
{
	if (x == 0.0 || x == 1.0)
		return 0.0;
	double y = 1.0, z = 1.0 - x, zp;
	do {
		x = sqrt(x);
		zp = z;
		y *= 0.5;
		z -= (1.0 - x) * (1.0 - x) * y;
	} while (zp != z);
	return z / 3.0;
}

static double sigma(double x)
{
	if (x == 1.0)
		return INFINITY;
	double y = 1.0, z = x, zp;
	do {
		x *= x;
		zp = z;
		z += x * y;
		y += y;
	} while (zp != z);
	return z;
}

uint64_t hll_count(const struct hll *h)
{
	size_t m = (size_t)1 << h->p;
	int q = 64 - h->p;
	unsigned long hist[66] = {0};
	for (size_t i = 0; i < m; i++)
		hist[h->reg[i]]++;
	double dm = (double)m;
	double z = dm * tau((dm - (double)hist[q + 1]) / dm);
	for (int j = q; j >= 1; j--) {
		z += (double)hist[j];
		z *= 0.5;
	}
	z += dm * sigma((double)hist[0] / dm);
	const double alpha_inf = 0.721347520444481703680; /* 1 / (2 ln 2) */
	return (uint64_t)llround(alpha_inf * dm * dm / z);
}

int hll_merge(struct hll *h, const struct hll *o)
{
	if (h->p != o->p)
		return -1;
	for (size_t i = 0; i < (size_t)1 << h->p; i++)
		if (o->reg[i] > h->reg[i])
			h->reg[i] = o->reg[i];
	return 0;
}
