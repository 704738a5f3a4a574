/*
 * scrypt.h — the scrypt password-based key derivation function (RFC 7914;
 * Percival, "Stronger key derivation via sequential memory-hard functions",
 * 2009).
 *
 * scrypt needs 128 * r * N bytes of working memory (N = 2^14, r = 8: 16 MiB)
 * and about 2 * N * r Salsa20/8 cores per unit of p: an attacker must pay
 * for the memory as well as the time of every guess.
 */
#ifndef BACKLAB_SCRYPT_H
#define BACKLAB_SCRYPT_H

#include <stddef.h>
#include <stdint.h>

/* Why scrypt() refused or stopped. */
enum scrypt_err {
	SCRYPT_OK = 0,
	SCRYPT_EPARAM,  /* N not a power of two > 1, r or p 0, r * p >= 2^30, N >= 2^(128 r / 8) */
	SCRYPT_ENOMEM,  /* the working memory was refused (budget or system) */
	SCRYPT_ESTOP,   /* the run must stop (budget_stop()) */
};

/*
 * DKLEN bytes of scrypt(P, S, N, r, p) into OUT. Allocates its working
 * memory with budget_malloc and frees it before returning. Returns
 * SCRYPT_OK or why not (OUT is then incomplete).
 */
enum scrypt_err scrypt(const void *password, size_t plen, const void *salt, size_t slen,
		       uint64_t N, uint32_t r, uint32_t p, unsigned char *out, size_t dklen);

/* The Salsa20/8 core on 16 little-endian words (RFC 7914 section 3), in
 * place. Exposed for its test vector. */
void scrypt_salsa208(uint32_t b[16]);

#endif
