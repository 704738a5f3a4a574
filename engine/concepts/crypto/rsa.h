/*
 * rsa.h — RSASSA-PKCS1-v1_5 (RFC 8017 section 8.2) with SHA-256, for JWS
 * RS256 (RFC 7518 section 3.3). Keys of 512 to 4096 bits.
 */
#ifndef BACKLAB_RSA_H
#define BACKLAB_RSA_H

#include <stddef.h>

/*
 * Does SIG (SLEN bytes) verify HASH (a SHA-256 digest) under the public key
 * (N, E) (big-endian bytes)? 1 if so; 0 for a wrong signature, a length
 * other than the modulus's, or a key out of range.
 */
int rsa_verify_sha256(const unsigned char *n, size_t nlen, const unsigned char *e, size_t elen,
		      const unsigned char *hash, const unsigned char *sig, size_t slen);

/*
 * Signs HASH with the private exponent D of modulus N into SIG (as many
 * bytes as N has, given in *SLEN on return). Deterministic. Returns 0, or
 * -1 for a key out of range or SIG smaller than N.
 */
int rsa_sign_sha256(const unsigned char *n, size_t nlen, const unsigned char *d, size_t dlen,
		    const unsigned char *hash, unsigned char *sig, size_t *slen);

#endif
