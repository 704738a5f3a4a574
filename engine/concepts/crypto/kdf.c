/* kdf.c — PBKDF2 (RFC 8018 5.2) and HKDF (RFC 5869 2.2, 2.3); see kdf.h. */
#include "engine/concepts/crypto/kdf.h"
#include "engine/concepts/crypto/hmac.h"
#include "engine/base/budget.h"

#include <string.h>

/* T_i = U_1 ^ U_2 ^ ... ^ U_c, with U_1 = PRF(P, S || INT(i)) and
 * U_j = PRF(P, U_{j-1}). KEYED is HMAC's state after the key, copied for
 * each PRF call so that the key's blocks are hashed once. */
static int block_f(const struct hmac_ctx *keyed, const void *salt, size_t slen, uint32_t i,
		   uint64_t iterations, unsigned char *t)
{
	size_t n = keyed->h->size;
	unsigned char u[HASHFN_MAX_SIZE], be[4] = {(unsigned char)(i >> 24),
						   (unsigned char)(i >> 16),
						   (unsigned char)(i >> 8), (unsigned char)i};
	struct hmac_ctx c = *keyed;
	hmac_update(&c, salt, slen);
	hmac_update(&c, be, 4);
	hmac_final(&c, u);
	memcpy(t, u, n);
	for (uint64_t j = 2; j <= iterations; j++) {
		if ((j & 1023) == 0 && budget_stop())
			return -1;
		c = *keyed;
		hmac_update(&c, u, n);
		hmac_final(&c, u);
		for (size_t k = 0; k < n; k++)
			t[k] ^= u[k];
	}
	return 0;
}

int pbkdf2(const struct hashfn *h, const void *password, size_t plen, const void *salt,
	   size_t slen, uint64_t iterations, unsigned char *out, size_t dklen)
{
	if (iterations == 0 || dklen == 0 || (dklen - 1) / h->size >= 0xffffffffu)
		return -1;
	struct hmac_ctx keyed;
	hmac_init(&keyed, h, password, plen);
	unsigned char t[HASHFN_MAX_SIZE];
	for (uint32_t i = 1; dklen > 0; i++) {
		if (block_f(&keyed, salt, slen, i, iterations, t) != 0)
			return -1;
		size_t take = dklen < h->size ? dklen : h->size;
		memcpy(out, t, take);
		out += take;
		dklen -= take;
	}
	return 0;
}

void hkdf_extract(const struct hashfn *h, const void *salt, size_t slen, const void *ikm,
		  size_t ilen, unsigned char *prk)
{
	/* an absent salt is HashLen zeros, which HMAC pads to the same key as "" */
	hmac(h, salt, slen, ikm, ilen, prk);
}

int hkdf_expand(const struct hashfn *h, const void *prk, size_t prklen, const void *info,
		size_t infolen, unsigned char *out, size_t len)
{
	if (len > 255 * h->size)
		return -1;
	unsigned char t[HASHFN_MAX_SIZE];
	size_t tlen = 0;
	for (unsigned char i = 1; len > 0; i++) {
		struct hmac_ctx c;
		hmac_init(&c, h, prk, prklen);
		hmac_update(&c, t, tlen);          /* T(i-1), empty for T(1) */
		hmac_update(&c, info, infolen);
		hmac_update(&c, &i, 1);
		hmac_final(&c, t);
		tlen = h->size;
		size_t take = len < tlen ? len : tlen;
		memcpy(out, t, take);
		out += take;
		len -= take;
	}
	return 0;
}
