/*
 * sha256.c — SHA-256 as FIPS 180-4 defines it: the functions Ch, Maj, Σ0,
 * Σ1, σ0, σ1 (4.1.2), the constants K (4.2.2: the first 32 bits of the
 * fractional parts of the cube roots of the first 64 primes), the initial
 * hash value H(0) (5.3.3: square roots of the first 8 primes), padding
 * (5.1.1) and the computation of 6.2.2.
 */
#include "engine/concepts/crypto/sha256.h"
#include "engine/concepts/crypto/mdbuf.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void block(void *state, const unsigned char *p)
{
	uint32_t *h = state, w[64];
	for (int t = 0; t < 16; t++)
		w[t] = mdbuf_be32(p + 4 * t);
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
		w[t] = s1 + w[t - 7] + s0 + w[t - 16];
	}
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int t = 0; t < 64; t++) {
		uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = hh + S1 + ch + K[t] + w[t];
		uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
		uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = S0 + maj;
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

void sha256_init(struct sha256_ctx *c)
{
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(c->h, h0, sizeof h0);
	c->bytes = 0;
}

void sha256_update(struct sha256_ctx *c, const void *p, size_t len)
{
	mdbuf_update(c->h, c->buf, SHA256_BLOCK_LEN, &c->bytes, block, p, len);
}

void sha256_final(struct sha256_ctx *c, unsigned char out[SHA256_DIGEST_LEN])
{
	static const unsigned char pad[64] = {0x80};
	uint64_t bits = c->bytes * 8;
	size_t used = (size_t)(c->bytes % 64);
	sha256_update(c, pad, used < 56 ? 56 - used : 120 - used);
	unsigned char len[8];
	mdbuf_put_be64(len, bits);
	sha256_update(c, len, 8);
	for (int i = 0; i < 8; i++)
		mdbuf_put_be32(out + 4 * i, c->h[i]);
	sha256_init(c);
}

void sha256_digest(const void *p, size_t len, unsigned char out[SHA256_DIGEST_LEN])
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, p, len);
	sha256_final(&c, out);
}
