/*
 * kdf.h — key derivation from HMAC: PBKDF2 (RFC 8018 section 5.2) for
 * passwords, HKDF (RFC 5869) for keys that are already random (TLS 1.3).
 */
#ifndef BACKLAB_KDF_H
#define BACKLAB_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/crypto/hashfn.h"

/*
 * PBKDF2 with HMAC-H: DKLEN bytes derived from PASSWORD and SALT with
 * ITERATIONS (>= 1) into OUT. Polls budget_stop() as it goes. Returns 0,
 * or -1 if the run must stop (OUT is then incomplete) or the arguments are
 * out of range (iterations 0, dklen 0 or above (2^32 - 1) * hLen).
 */
int pbkdf2(const struct hashfn *h, const void *password, size_t plen, const void *salt,
	   size_t slen, uint64_t iterations, unsigned char *out, size_t dklen);

/* HKDF-Extract(salt, ikm) = HMAC-H(salt, ikm): H->size bytes into PRK. */
void hkdf_extract(const struct hashfn *h, const void *salt, size_t slen, const void *ikm,
		  size_t ilen, unsigned char *prk);

/*
 * HKDF-Expand(prk, info, L): L bytes into OUT. Returns 0, or -1 if L is
 * above 255 * H->size (RFC 5869 section 2.3).
 */
int hkdf_expand(const struct hashfn *h, const void *prk, size_t prklen, const void *info,
		size_t infolen, unsigned char *out, size_t len);

#endif
