/*
 * sha1.c — SHA-1 as FIPS 180-4 defines it: padding (5.1.1), the initial
 * hash value (5.3.1), the 80-word message schedule and the four rounds of
 * 20 steps with the functions Ch, Parity, Maj, Parity (4.1.1, 6.1.2).
 */
#include "engine/concepts/crypto/sha1.h"
#include "engine/concepts/crypto/mdbuf.h"

static uint32_t rotl(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void block(void *state, const unsigned char *p)
{
	uint32_t *h = state, w[80];
	for (int t = 0; t < 16; t++)
		w[t] = mdbuf_be32(p + 4 * t);
	for (int t = 16; t < 80; t++)
		w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
#define STEP(f, k)                                                         \
	do {                                                               \
		uint32_t tmp = rotl(a, 5) + (f) + e + (k) + w[t];          \
		e = d, d = c, c = rotl(b, 30), b = a, a = tmp;             \
	} while (0)
	int t = 0;
	for (; t < 20; t++)
		STEP((b & c) ^ (~b & d), 0x5a827999);          /* Ch */
	for (; t < 40; t++)
		STEP(b ^ c ^ d, 0x6ed9eba1);                   /* Parity */
	for (; t < 60; t++)
		STEP((b & c) ^ (b & d) ^ (c & d), 0x8f1bbcdc); /* Maj */
	for (; t < 80; t++)
		STEP(b ^ c ^ d, 0xca62c1d6);                   /* Parity */
#undef STEP
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void sha1_init(struct sha1_ctx *c)
{
	static const uint32_t h0[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
				       0xc3d2e1f0};
	memcpy(c->h, h0, sizeof h0);
	c->bytes = 0;
}

void sha1_update(struct sha1_ctx *c, const void *p, size_t len)
{
	mdbuf_update(c->h, c->buf, SHA1_BLOCK_LEN, &c->bytes, block, p, len);
}

void sha1_final(struct sha1_ctx *c, unsigned char out[SHA1_DIGEST_LEN])
{
	static const unsigned char pad[64] = {0x80};
	uint64_t bits = c->bytes * 8;
	size_t used = (size_t)(c->bytes % 64);
	sha1_update(c, pad, used < 56 ? 56 - used : 120 - used); /* 1 bit, zeros to 56 mod 64 */
	unsigned char len[8];
	mdbuf_put_be64(len, bits);
	sha1_update(c, len, 8);
	for (int i = 0; i < 5; i++)
		mdbuf_put_be32(out + 4 * i, c->h[i]);
	sha1_init(c);
}

void sha1_digest(const void *p, size_t len, unsigned char out[SHA1_DIGEST_LEN])
{
	struct sha1_ctx c;
	sha1_init(&c);
	sha1_update(&c, p, len);
	sha1_final(&c, out);
}
