/* toy.c — 63-bit number theory for the toy public-key lessons; see toy.h. */
#include "engine/concepts/pubkey/toy.h"
#include "engine/base/budget.h"

#include <stdlib.h>

uint64_t toy_mulmod(uint64_t a, uint64_t b, uint64_t m)
{
	return (uint64_t)((unsigned __int128)a * b % m);
}

uint64_t toy_powmod(uint64_t b, uint64_t e, uint64_t m)
{
	uint64_t r = 1 % m;
	b %= m;
	for (; e; e >>= 1) {
		if (e & 1)
			r = toy_mulmod(r, b, m);
		b = toy_mulmod(b, b, m);
	}
	return r;
}

uint64_t toy_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

uint64_t toy_invmod(uint64_t a, uint64_t m)
{
	/* extended Euclid on signed 128-bit values */
	__int128 t = 0, nt = 1, r = m, nr = a % m;
	while (nr) {
		__int128 q = r / nr, tmp;
		tmp = t - q * nt, t = nt, nt = tmp;
		tmp = r - q * nr, r = nr, nr = tmp;
	}
	if (r != 1)
		return 0;
	if (t < 0)
		t += m;
	return (uint64_t)t;
}

/* One Miller–Rabin round: is N a strong probable prime to base A? */
static int strong_probable(uint64_t n, uint64_t a, uint64_t d, int s)
{
	uint64_t x = toy_powmod(a % n, d, n);
	if (x == 1 || x == n - 1 || a % n == 0)
		return 1;
	for (int i = 1; i < s; i++) {
		x = toy_mulmod(x, x, n);
		if (x == n - 1)
			return 1;
	}
	return 0;
}

int toy_is_prime(uint64_t n)
{
	static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
	if (n < 2)
		return 0;
	for (int i = 0; i < 12; i++)
		if (n % bases[i] == 0)
			return n == bases[i];
	uint64_t d = n - 1;
	int s = 0;
	for (; !(d & 1); d >>= 1)
		s++;
	for (int i = 0; i < 12; i++) /* these 12 bases decide every n < 2^64 */
		if (!strong_probable(n, bases[i], d, s))
			return 0;
	return 1;
}

uint64_t toy_next_prime(uint64_t n)
{
	for (; n < TOY_MAX; n++)
		if (toy_is_prime(n))
			return n;
	return 0;
}

static uint64_t absdiff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* Brent's cycle finding on x -> x^2 + c mod n, products of differences
 * batched 128 at a time. */
static uint64_t rho(uint64_t n, uint64_t c)
{
	uint64_t y = 2, x = 2, q = 1, g = 1, ys = 2;
	for (uint64_t r = 1; g == 1; r <<= 1) {
		x = y;
		for (uint64_t i = 0; i < r; i++)
			y = (toy_mulmod(y, y, n) + c) % n;
		for (uint64_t k = 0; k < r && g == 1; k += 128) {
			if (budget_stop())
				return 0;
			ys = y;
			for (uint64_t i = 0; i < 128 && i < r - k; i++) {
				y = (toy_mulmod(y, y, n) + c) % n;
				q = toy_mulmod(q, absdiff(x, y), n);
			}
			g = toy_gcd(q, n);
		}
		if (r > ((uint64_t)1 << 40))
			return 0;
	}
	if (g == n) { /* the batch overshot: step one at a time */
		do {
			ys = (toy_mulmod(ys, ys, n) + c) % n;
			g = toy_gcd(absdiff(x, ys), n);
		} while (g == 1);
	}
	return g;
}

uint64_t toy_factor(uint64_t n)
{
	if (n < 4 || toy_is_prime(n))
		return 0;
	if (n % 2 == 0)
		return 2;
	for (uint64_t c = 1; c < 50; c++) {
		uint64_t g = rho(n, c);
		if (g == 0)
			return 0;
		if (g != n)
			return g;
	}
	return 0;
}

struct baby {
	uint64_t value;
	uint64_t j;
};

static int by_value(const void *a, const void *b)
{
	uint64_t x = ((const struct baby *)a)->value, y = ((const struct baby *)b)->value;
	return x < y ? -1 : x > y;
}

int64_t toy_dlog(uint64_t g, uint64_t y, uint64_t p)
{
	if (p < 2 || p >= ((uint64_t)1 << 40))
		return -2;
	uint64_t m = 1;
	while (m * m < p - 1)
		m++;
	struct baby *t = budget_malloc(m * sizeof *t);
	if (!t)
		return -2;
	uint64_t v = 1;
	for (uint64_t j = 0; j < m; j++) {     /* baby steps: g^j */
		t[j].value = v;
		t[j].j = j;
		v = toy_mulmod(v, g, p);
	}
	qsort(t, m, sizeof *t, by_value);
	uint64_t ginv = toy_invmod(toy_powmod(g, m, p), p), gamma = y % p;
	int64_t found = -1;
	for (uint64_t i = 0; i < m && found < 0 && ginv; i++) { /* giant steps: y g^-im */
		if ((i & 4095) == 0 && budget_stop())
			break;
		struct baby key = {gamma, 0}, *hit = bsearch(&key, t, m, sizeof *t, by_value);
		if (hit) {
			while (hit > t && hit[-1].value == gamma)
				hit--;                 /* the smallest j with that value */
			found = (int64_t)(i * m + hit->j);
		}
		gamma = toy_mulmod(gamma, ginv, p);
	}
	budget_free(t);
	return found;
}

enum toy_err toy_rsa_key(struct toy_rsa *k, uint64_t p, uint64_t q, uint64_t e)
{
	if (!toy_is_prime(p) || !toy_is_prime(q))
		return TOY_ENOTPRIME;
	if (p == q)
		return TOY_ESAME;
	if ((unsigned __int128)p * q >= TOY_MAX)
		return TOY_EBIG;
	k->p = p, k->q = q, k->n = p * q, k->phi = (p - 1) * (q - 1), k->e = e;
	if (e <= 1 || e >= k->phi || toy_gcd(e, k->phi) != 1)
		return TOY_EE;
	k->d = toy_invmod(e, k->phi);
	return TOY_OK;
}

uint64_t toy_pad(uint64_t m, uint32_t r)
{
	return (uint64_t)1 << 56 | (uint64_t)r << 24 | (m & 0xffffff);
}

int64_t toy_unpad(uint64_t x)
{
	if (x >> 56 != 1)
		return -1;
	return (int64_t)(x & 0xffffff);
}
