/*
 * rsa.c — RSASSA-PKCS1-v1_5 with SHA-256: EMSA-PKCS1-v1_5 encoding
 * (RFC 8017 section 9.2) and RSAVP1 / RSASP1 (5.2). Verification encodes the
 * expected message and compares it whole, as RFC 8017 8.2.2 step 4 says:
 * never parse the decrypted block (Bleichenbacher's 2006 forgery against
 * lenient parsers).
 */
#include "engine/concepts/crypto/rsa.h"
#include "engine/concepts/crypto/bn.h"
#include "engine/concepts/crypto/ct.h"

#include <string.h>

/* DER of DigestInfo for SHA-256, up to the digest (RFC 8017 9.2 note 1). */
static const unsigned char sha256_prefix[19] = {
	0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
	0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
};

/* EM = 00 01 FF..FF 00 || DigestInfo || H, K bytes. Returns -1 if K < 62. */
static int encode(const unsigned char *hash, unsigned char *em, size_t k)
{
	size_t t = sizeof sha256_prefix + 32;
	if (k < t + 11)
		return -1;
	em[0] = 0x00;
	em[1] = 0x01;
	memset(em + 2, 0xff, k - t - 3);
	em[k - t - 1] = 0x00;
	memcpy(em + k - t, sha256_prefix, sizeof sha256_prefix);
	memcpy(em + k - 32, hash, 32);
	return 0;
}

/* Strips leading zero bytes of a big-endian number. */
static void strip(const unsigned char **p, size_t *len)
{
	while (*len > 0 && **p == 0)
		(*p)++, (*len)--;
}

/* OUT (K bytes) = X^E mod N, all big-endian. */
static int modexp(const unsigned char *n, size_t nlen, const unsigned char *x, size_t xlen,
		  const unsigned char *e, size_t elen, unsigned char *out)
{
	int k = bn_limbs_for(nlen);
	struct bn bn_n, bx, be, t;
	struct bn_mont m;
	if (k > BN_MAX_LIMBS || bn_from_bytes(&bn_n, k, n, nlen) ||
	    bn_mont_init(&m, &bn_n, k) || bn_from_bytes(&bx, k, x, xlen) ||
	    bn_cmp(&bx, &bn_n, k) >= 0 || bn_from_bytes(&be, k, e, elen))
		return -1;
	bn_to_mont(&m, &t, &bx);
	bn_mont_pow(&m, &t, &t, &be, k);
	bn_from_mont(&m, &t, &t);
	return bn_to_bytes(&t, k, out, nlen);
}

int rsa_verify_sha256(const unsigned char *n, size_t nlen, const unsigned char *e, size_t elen,
		      const unsigned char *hash, const unsigned char *sig, size_t slen)
{
	strip(&n, &nlen);
	if (nlen < 64 || nlen > 512 || slen != nlen)
		return 0;
	unsigned char em[512], want[512];
	if (modexp(n, nlen, sig, slen, e, elen, em) != 0 || encode(hash, want, nlen) != 0)
		return 0;
	return ct_equal(em, nlen, want, nlen);
}

int rsa_sign_sha256(const unsigned char *n, size_t nlen, const unsigned char *d, size_t dlen,
		    const unsigned char *hash, unsigned char *sig, size_t *slen)
{
	strip(&n, &nlen);
	if (nlen < 64 || nlen > 512 || *slen < nlen)
		return -1;
	unsigned char em[512];
	if (encode(hash, em, nlen) != 0 || modexp(n, nlen, em, nlen, d, dlen, sig) != 0)
		return -1;
	*slen = nlen;
	return 0;
}
