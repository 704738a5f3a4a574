/*
 * scrypt.c — RFC 7914: Salsa20/8 (section 3), scryptBlockMix (4),
 * scryptROMix (5) and scrypt (6) over PBKDF2-HMAC-SHA256.
 *
 * Blocks are kept as arrays of little-endian 32-bit words; a block of the
 * RFC's B is 2 * r 64-byte pieces, 32 * r words.
 */
#include "engine/concepts/crypto/scrypt.h"
#include "engine/concepts/crypto/kdf.h"
#include "engine/base/budget.h"

#include <string.h>

#define R(a, b) (((a) << (b)) | ((a) >> (32 - (b))))

void scrypt_salsa208(uint32_t b[16])
{
	uint32_t x[16];
	memcpy(x, b, sizeof x);
	for (int i = 0; i < 8; i += 2) {
		/* columns */
		x[4] ^= R(x[0] + x[12], 7);   x[8] ^= R(x[4] + x[0], 9);
		x[12] ^= R(x[8] + x[4], 13);  x[0] ^= R(x[12] + x[8], 18);
		x[9] ^= R(x[5] + x[1], 7);    x[13] ^= R(x[9] + x[5], 9);
		x[1] ^= R(x[13] + x[9], 13);  x[5] ^= R(x[1] + x[13], 18);
		x[14] ^= R(x[10] + x[6], 7);  x[2] ^= R(x[14] + x[10], 9);
		x[6] ^= R(x[2] + x[14], 13);  x[10] ^= R(x[6] + x[2], 18);
		x[3] ^= R(x[15] + x[11], 7);  x[7] ^= R(x[3] + x[15], 9);
		x[11] ^= R(x[7] + x[3], 13);  x[15] ^= R(x[11] + x[7], 18);
		/* rows */
		x[1] ^= R(x[0] + x[3], 7);    x[2] ^= R(x[1] + x[0], 9);
		x[3] ^= R(x[2] + x[1], 13);   x[0] ^= R(x[3] + x[2], 18);
		x[6] ^= R(x[5] + x[4], 7);    x[7] ^= R(x[6] + x[5], 9);
		x[4] ^= R(x[7] + x[6], 13);   x[5] ^= R(x[4] + x[7], 18);
		x[11] ^= R(x[10] + x[9], 7);  x[8] ^= R(x[11] + x[10], 9);
		x[9] ^= R(x[8] + x[11], 13);  x[10] ^= R(x[9] + x[8], 18);
		x[12] ^= R(x[15] + x[14], 7); x[13] ^= R(x[12] + x[15], 9);
		x[14] ^= R(x[13] + x[12], 13); x[15] ^= R(x[14] + x[13], 18);
	}
	for (int i = 0; i < 16; i++)
		b[i] += x[i];
}

/* scryptBlockMix: B (32 r words) -> Y, then B = Y0 Y2 ... Y1 Y3 ... */
static void blockmix(uint32_t *b, uint32_t *y, uint32_t r)
{
	uint32_t x[16];
	memcpy(x, b + (2 * r - 1) * 16, 64);
	for (uint32_t i = 0; i < 2 * r; i++) {
		for (int k = 0; k < 16; k++)
			x[k] ^= b[i * 16 + k];
		scrypt_salsa208(x);
		/* even pieces to the first half, odd ones to the second */
		memcpy(y + ((i & 1) * r + i / 2) * 16, x, 64);
	}
	memcpy(b, y, 128 * (size_t)r);
}

/* scryptROMix on the block X (32 r words) with the table V (N blocks) and
 * scratch Y (32 r words). Returns -1 if the run must stop. */
static int romix(uint32_t *x, uint32_t *v, uint32_t *y, uint32_t r, uint64_t n)
{
	size_t words = 32 * (size_t)r;
	for (uint64_t i = 0; i < n; i++) {
		if ((i & 255) == 0 && budget_stop())
			return -1;
		memcpy(v + i * words, x, words * 4);
		blockmix(x, y, r);
	}
	for (uint64_t i = 0; i < n; i++) {
		if ((i & 255) == 0 && budget_stop())
			return -1;
		uint64_t j = (x[(2 * r - 1) * 16] | (uint64_t)x[(2 * r - 1) * 16 + 1] << 32) & (n - 1);
		for (size_t k = 0; k < words; k++)
			x[k] ^= v[j * words + k];  /* Integerify(X) mod N picks V[j] */
		blockmix(x, y, r);
	}
	return 0;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static int bad_params(uint64_t n, uint32_t r, uint32_t p)
{
	if (n < 2 || (n & (n - 1)) || r == 0 || p == 0)
		return 1;
	if ((uint64_t)r * p >= (1u << 30))
		return 1;
	/* N < 2^(128 r / 8), and the table must be addressable */
	if (16 * (uint64_t)r < 64 && n >= ((uint64_t)1 << (16 * r)))
		return 1;
	return n > SIZE_MAX / 128 / r;
}

enum scrypt_err scrypt(const void *password, size_t plen, const void *salt, size_t slen,
		       uint64_t n, uint32_t r, uint32_t p, unsigned char *out, size_t dklen)
{
	if (bad_params(n, r, p) || dklen == 0)
		return SCRYPT_EPARAM;
	const struct hashfn *h = hashfn_find("sha256");
	size_t blen = 128 * (size_t)r * p, words = 32 * (size_t)r;
	unsigned char *b = budget_malloc(blen);
	uint32_t *x = budget_malloc(words * 4 * 2);
	uint32_t *v = budget_malloc((size_t)n * words * 4);
	enum scrypt_err err = SCRYPT_OK;
	if (!b || !x || !v) {
		err = SCRYPT_ENOMEM;
		goto done;
	}
	if (pbkdf2(h, password, plen, salt, slen, 1, b, blen) != 0) {
		err = SCRYPT_ESTOP;
		goto done;
	}
	for (uint32_t i = 0; i < p && !err; i++) {
		unsigned char *bi = b + i * 128 * (size_t)r;
		for (size_t k = 0; k < words; k++)
			x[k] = le32(bi + 4 * k);
		if (romix(x, v, x + words, r, n) != 0)
			err = SCRYPT_ESTOP;
		for (size_t k = 0; k < words; k++)
			put_le32(bi + 4 * k, x[k]);
	}
	if (!err && pbkdf2(h, password, plen, b, blen, 1, out, dklen) != 0)
		err = SCRYPT_ESTOP;
done:
	budget_free(v);
	budget_free(x);
	budget_free(b);
	return err;
}
