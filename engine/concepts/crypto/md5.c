/*
 * md5.c — MD5 as specified in RFC 1321 section 3; see md5.h.
 *
 * The 64 steps are written as one loop over the RFC's four rounds: round r
 * uses the auxiliary function F, G, H or I, takes message word g(i) and
 * rotates by S[r][i % 4]; T[i] = floor(2^32 * |sin(i + 1)|) (RFC 1321 3.4).
 * Words are little-endian, as is the appended bit length (RFC 1321 3.2).
 */
#include "engine/concepts/crypto/md5.h"

#include <string.h>

static const uint32_t T[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
	0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
	0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
	0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
	0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
	0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
	0xeb86d391,
};

static const unsigned char S[4][4] = {
	{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21},
};

static uint32_t rotl(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t load_le(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le(unsigned char *p, uint32_t x)
{
	p[0] = (unsigned char)x;
	p[1] = (unsigned char)(x >> 8);
	p[2] = (unsigned char)(x >> 16);
	p[3] = (unsigned char)(x >> 24);
}

static void block(uint32_t st[4], const unsigned char *p)
{
	uint32_t x[16];
	for (int i = 0; i < 16; i++)
		x[i] = load_le(p + 4 * i);
	uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int g, r = i / 16;
		switch (r) {
		case 0: f = (b & c) | (~b & d); g = i; break;            /* F */
		case 1: f = (b & d) | (c & ~d); g = (5 * i + 1) % 16; break; /* G */
		case 2: f = b ^ c ^ d; g = (3 * i + 5) % 16; break;       /* H */
		default: f = c ^ (b | ~d); g = (7 * i) % 16; break;       /* I */
		}
		uint32_t t = d;
		d = c;
		c = b;
		b = b + rotl(a + f + T[i] + x[g], S[r][i % 4]);
		a = t;
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

void md5_init(struct md5_ctx *c)
{
	c->state[0] = 0x67452301; /* RFC 1321 3.3 */
	c->state[1] = 0xefcdab89;
	c->state[2] = 0x98badcfe;
	c->state[3] = 0x10325476;
	c->bytes = 0;
}

void md5_update(struct md5_ctx *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t used = (size_t)(c->bytes % 64);
	c->bytes += len;
	if (used) {
		size_t take = 64 - used < len ? 64 - used : len;
		memcpy(c->buf + used, p, take);
		p += take;
		len -= take;
		if (used + take < 64)
			return;
		block(c->state, c->buf);
	}
	for (; len >= 64; p += 64, len -= 64)
		block(c->state, p);
	if (len)
		memcpy(c->buf, p, len);
}

void md5_final(struct md5_ctx *c, unsigned char out[MD5_DIGEST_LEN])
{
	uint64_t bits = c->bytes * 8;
	static const unsigned char pad[64] = {0x80};
	size_t used = (size_t)(c->bytes % 64);
	md5_update(c, pad, used < 56 ? 56 - used : 120 - used); /* 1 bit, zeros to 56 mod 64 */
	unsigned char len[8];
	store_le(len, (uint32_t)bits);
	store_le(len + 4, (uint32_t)(bits >> 32));
	md5_update(c, len, 8);
	for (int i = 0; i < 4; i++)
		store_le(out + 4 * i, c->state[i]);
	md5_init(c);
}

void md5_digest(const void *p, size_t len, unsigned char out[MD5_DIGEST_LEN])
{
	struct md5_ctx c;
	md5_init(&c);
	md5_update(&c, p, len);
	md5_final(&c, out);
}
