/* bn.c — fixed-size big integers and Montgomery multiplication; see bn.h. */
#include "engine/concepts/crypto/bn.h"

#include <string.h>

int bn_limbs_for(size_t len)
{
	return (int)((len + 3) / 4);
}

int bn_from_bytes(struct bn *a, int k, const unsigned char *p, size_t len)
{
	memset(a, 0, sizeof *a);
	while (len > 0 && *p == 0)
		p++, len--;                          /* leading zeros do not count */
	if (len > (size_t)k * 4)
		return -1;
	for (size_t i = 0; i < len; i++) {
		size_t bit = (len - 1 - i) * 8;      /* p[i] is the byte at this position */
		a->v[bit / 32] |= (uint32_t)p[i] << (bit % 32);
	}
	return 0;
}

int bn_to_bytes(const struct bn *a, int k, unsigned char *out, size_t len)
{
	if ((size_t)bn_bits(a, k) > len * 8)
		return -1;
	for (size_t i = 0; i < len; i++) {
		size_t bit = (len - 1 - i) * 8;
		out[i] = bit / 32 < (size_t)k ? (unsigned char)(a->v[bit / 32] >> (bit % 32)) : 0;
	}
	return 0;
}

int bn_cmp(const struct bn *a, const struct bn *b, int k)
{
	for (int i = k - 1; i >= 0; i--)
		if (a->v[i] != b->v[i])
			return a->v[i] < b->v[i] ? -1 : 1;
	return 0;
}

int bn_is_zero(const struct bn *a, int k)
{
	for (int i = 0; i < k; i++)
		if (a->v[i])
			return 0;
	return 1;
}

int bn_bits(const struct bn *a, int k)
{
	for (int i = k - 1; i >= 0; i--)
		if (a->v[i]) {
			int b = 32;
			while (!(a->v[i] >> (b - 1)))
				b--;
			return 32 * i + b;
		}
	return 0;
}

/* R = A + B over K limbs; returns the carry out. */
static uint32_t add(struct bn *r, const struct bn *a, const struct bn *b, int k)
{
	uint64_t c = 0;
	for (int i = 0; i < k; i++) {
		c += (uint64_t)a->v[i] + b->v[i];
		r->v[i] = (uint32_t)c;
		c >>= 32;
	}
	return (uint32_t)c;
}

/* R = A - B over K limbs; returns the borrow out. */
static uint32_t sub(struct bn *r, const struct bn *a, const struct bn *b, int k)
{
	int64_t c = 0;
	for (int i = 0; i < k; i++) {
		c += (int64_t)a->v[i] - b->v[i];
		r->v[i] = (uint32_t)c;
		c >>= 32;                            /* 0 or -1 */
	}
	return (uint32_t)(c & 1);
}

void bn_mod_add(const struct bn_mont *mont, struct bn *r, const struct bn *a, const struct bn *b)
{
	uint32_t carry = add(r, a, b, mont->k);
	if (carry || bn_cmp(r, &mont->m, mont->k) >= 0)
		sub(r, r, &mont->m, mont->k);
}

void bn_mod_sub(const struct bn_mont *mont, struct bn *r, const struct bn *a, const struct bn *b)
{
	if (sub(r, a, b, mont->k))
		add(r, r, &mont->m, mont->k);
}

void bn_mont_mul(const struct bn_mont *mont, struct bn *r, const struct bn *a,
		 const struct bn *b)
{
	/* CIOS (Koç, Acar & Kaliski 1996): t = (t + a_i b + q m) / 2^32, K times */
	int k = mont->k;
	uint32_t t[BN_MAX_LIMBS + 2] = {0};
	for (int i = 0; i < k; i++) {
		uint64_t c = 0;
		for (int j = 0; j < k; j++) {
			c += (uint64_t)t[j] + (uint64_t)a->v[i] * b->v[j];
			t[j] = (uint32_t)c;
			c >>= 32;
		}
		c += t[k];
		t[k] = (uint32_t)c;
		t[k + 1] = (uint32_t)(c >> 32);
		uint32_t q = t[0] * mont->minv;
		c = ((uint64_t)t[0] + (uint64_t)q * mont->m.v[0]) >> 32;
		for (int j = 1; j < k; j++) {
			c += (uint64_t)t[j] + (uint64_t)q * mont->m.v[j];
			t[j - 1] = (uint32_t)c;
			c >>= 32;
		}
		c += t[k];
		t[k - 1] = (uint32_t)c;
		t[k] = t[k + 1] + (uint32_t)(c >> 32);
	}
	struct bn out;
	memcpy(out.v, t, (size_t)k * 4);
	if (t[k] || bn_cmp(&out, &mont->m, k) >= 0)
		sub(&out, &out, &mont->m, k);
	memcpy(r->v, out.v, (size_t)k * 4);
}

int bn_mont_init(struct bn_mont *mont, const struct bn *m, int k)
{
	if (k < 1 || k > BN_MAX_LIMBS || !(m->v[0] & 1) || bn_bits(m, k) < 2)
		return -1;
	memset(mont, 0, sizeof *mont);
	mont->m = *m;
	mont->k = k;
	uint32_t inv = 1;                         /* Newton: inv = m^-1 mod 2^32 */
	for (int i = 0; i < 5; i++)
		inv *= 2 - m->v[0] * inv;
	mont->minv = (uint32_t)0 - inv;
	/* R mod m and R^2 mod m by doubling 1, reducing as we go */
	struct bn x = {{1}};
	for (int i = 0; i < 2 * 32 * k; i++) {
		bn_mod_add(mont, &x, &x, &x);
		if (i == 32 * k - 1)
			mont->one = x;
	}
	mont->rr = x;
	return 0;
}

void bn_to_mont(const struct bn_mont *mont, struct bn *r, const struct bn *a)
{
	bn_mont_mul(mont, r, a, &mont->rr);      /* a < R and rr < m: a rr < m R */
}

void bn_from_mont(const struct bn_mont *mont, struct bn *r, const struct bn *a)
{
	struct bn one = {{1}};
	bn_mont_mul(mont, r, a, &one);
}

void bn_mont_pow(const struct bn_mont *mont, struct bn *r, const struct bn *a,
		 const struct bn *e, int ek)
{
	struct bn acc = mont->one, base = *a;
	for (int i = bn_bits(e, ek) - 1; i >= 0; i--) {   /* left to right */
		bn_mont_mul(mont, &acc, &acc, &acc);
		if (e->v[i / 32] >> (i % 32) & 1)
			bn_mont_mul(mont, &acc, &acc, &base);
	}
	*r = acc;
}
