/*
 * bn.h — unsigned big integers of fixed size and Montgomery arithmetic
 * modulo an odd number, for verifying RSA and ECDSA signatures (JWT's
 * RS256, ES256, ES512) without a crypto library.
 *
 * A number is K little-endian 32-bit limbs (K <= BN_MAX_LIMBS, 4096 bits);
 * every number used with a modulus has the modulus's K. Montgomery form:
 * x is kept as x * R mod m with R = 2^(32 K) (Montgomery 1985), so that a
 * modular product costs two K x K multiplications and no division.
 *
 * NOT constant-time, and fine for that: it only verifies public signatures
 * (and signs the RFC's test vector with its published private key).
 */
#ifndef BACKLAB_BN_H
#define BACKLAB_BN_H

#include <stddef.h>
#include <stdint.h>

#define BN_MAX_LIMBS 128

struct bn {
	uint32_t v[BN_MAX_LIMBS];
};

/* A modulus and its Montgomery constants. */
struct bn_mont {
	struct bn m;     /* the odd modulus */
	int k;           /* limbs */
	uint32_t minv;   /* -m^-1 mod 2^32 */
	struct bn rr;    /* R^2 mod m */
	struct bn one;   /* R mod m: 1 in Montgomery form */
};

/* The big-endian bytes P (LEN of them) as a number of K limbs into A.
 * Returns 0, or -1 if the value needs more than K limbs. */
int bn_from_bytes(struct bn *a, int k, const unsigned char *p, size_t len);
/* A (K limbs) as LEN big-endian bytes. Returns 0, or -1 if it needs more. */
int bn_to_bytes(const struct bn *a, int k, unsigned char *out, size_t len);
/* The limbs needed for LEN bytes. */
int bn_limbs_for(size_t len);
/* -1, 0, 1 as A <, ==, > B. */
int bn_cmp(const struct bn *a, const struct bn *b, int k);
int bn_is_zero(const struct bn *a, int k);
/* Significant bits of A. */
int bn_bits(const struct bn *a, int k);

/* Sets up MONT for the odd modulus M (K limbs, M > 1). Returns 0, or -1 if
 * M is even or too small. */
int bn_mont_init(struct bn_mont *mont, const struct bn *m, int k);

/* R = A * B * R^-1 mod m, for A, B < m. R may alias A or B. */
void bn_mont_mul(const struct bn_mont *mont, struct bn *r, const struct bn *a,
		 const struct bn *b);
/* Into / out of Montgomery form. to_mont reduces any A < 2^(32 K). */
void bn_to_mont(const struct bn_mont *mont, struct bn *r, const struct bn *a);
void bn_from_mont(const struct bn_mont *mont, struct bn *r, const struct bn *a);
/* R = A + B, A - B mod m (any form; A, B < m). */
void bn_mod_add(const struct bn_mont *mont, struct bn *r, const struct bn *a, const struct bn *b);
void bn_mod_sub(const struct bn_mont *mont, struct bn *r, const struct bn *a, const struct bn *b);
/* R = A^E (A and R in Montgomery form; E a plain number of EK limbs). */
void bn_mont_pow(const struct bn_mont *mont, struct bn *r, const struct bn *a,
		 const struct bn *e, int ek);

#endif
