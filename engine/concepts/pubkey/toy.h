/*
 * toy.h — TOY-SIZED public-key arithmetic, for understanding only.
 *
 * Every number here fits in 63 bits, so every key can be broken in a
 * fraction of a second (toy_factor, toy_dlog do it). Real RSA moduli have
 * 2048 bits or more, real finite-field Diffie–Hellman groups 2048 bits
 * (RFC 7919), real elliptic curves 256. The arithmetic is the same; only
 * the sizes make it safe. Nothing here is constant-time either.
 */
#ifndef BACKLAB_TOY_H
#define BACKLAB_TOY_H

#include <stdint.h>

#define TOY_MAX ((uint64_t)1 << 62)    /* moduli stay below this */

uint64_t toy_mulmod(uint64_t a, uint64_t b, uint64_t m);
/* b^e mod m (m >= 1), by square-and-multiply. */
uint64_t toy_powmod(uint64_t b, uint64_t e, uint64_t m);
uint64_t toy_gcd(uint64_t a, uint64_t b);
/* The inverse of A mod M, or 0 if there is none (gcd(a, m) != 1). */
uint64_t toy_invmod(uint64_t a, uint64_t m);
/* Deterministic Miller–Rabin for every 64-bit n. */
int toy_is_prime(uint64_t n);
/* The smallest prime >= n, or 0 above TOY_MAX. */
uint64_t toy_next_prime(uint64_t n);

/*
 * A non-trivial factor of the composite N (Pollard's rho, Brent's
 * variant), or 0 if N is prime, 1, or the search gave up. Polls
 * budget_stop(); returns 0 if stopped.
 */
uint64_t toy_factor(uint64_t n);

/*
 * The x in [0, p - 1) with g^x = y mod p (baby-step giant-step), or -1 if
 * there is none, -2 if p is too large (>= 2^40) or memory is refused.
 */
int64_t toy_dlog(uint64_t g, uint64_t y, uint64_t p);

/* A toy RSA key. */
struct toy_rsa {
	uint64_t p, q, n, phi, e, d;
};

enum toy_err {
	TOY_OK = 0,
	TOY_ENOTPRIME,   /* p or q is not prime */
	TOY_ESAME,       /* p == q */
	TOY_EBIG,        /* n >= 2^62 */
	TOY_EE,          /* e not in 1 < e < phi with gcd(e, phi) = 1 */
};

/* Makes the key of primes P, Q and public exponent E (d = e^-1 mod phi,
 * with phi = (p - 1)(q - 1)). Returns TOY_OK or why not. */
enum toy_err toy_rsa_key(struct toy_rsa *k, uint64_t p, uint64_t q, uint64_t e);

/*
 * The toy padding of the lessons, for n > 2^57: x = 01 || r (32 bits) ||
 * m (24 bits), with r random. toy_unpad returns m, or -1 if X does not
 * have that form (a tampered ciphertext decrypts to garbage, almost always
 * without the 01 marker).
 */
uint64_t toy_pad(uint64_t m, uint32_t r);
int64_t toy_unpad(uint64_t x);

#endif
