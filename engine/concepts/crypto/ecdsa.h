/*
 * ecdsa.h — ECDSA signature verification (FIPS 186-4 section 6.4; SEC 1
 * v2 section 4.1.4) on the NIST curves P-256 and P-521, for JWS ES256 and
 * ES512 (RFC 7518 section 3.4).
 *
 * Verification only: signing needs a secret random nonce per signature, and
 * a flawed nonce leaks the private key (the PlayStation 3 fell to a
 * constant one).
 */
#ifndef BACKLAB_ECDSA_H
#define BACKLAB_ECDSA_H

#include <stddef.h>

enum ecdsa_curve { ECDSA_P256, ECDSA_P521 };

/* Bytes of a coordinate / of r and s: 32 for P-256, 66 for P-521. */
size_t ecdsa_size(enum ecdsa_curve curve);

/*
 * Is (R, S) (ecdsa_size bytes each, big-endian) a valid signature of the
 * hash HASH (HLEN bytes) under the public key (QX, QY)? Returns 1 if so;
 * 0 for a wrong signature, a point not on the curve, or r, s out of range.
 */
int ecdsa_verify(enum ecdsa_curve curve, const unsigned char *qx, const unsigned char *qy,
		 const unsigned char *hash, size_t hlen, const unsigned char *r,
		 const unsigned char *s);

#endif
