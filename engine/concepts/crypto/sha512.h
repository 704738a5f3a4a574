/*
 * sha512.h — SHA-512 and SHA-384 (FIPS 180-4 sections 6.4 and 6.5).
 *
 * SHA-384 is SHA-512 with another initial hash value, its digest cut to 48
 * bytes. A struct sha512_ctx is a plain value (no allocation).
 */
#ifndef BACKLAB_SHA512_H
#define BACKLAB_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_DIGEST_LEN 64
#define SHA384_DIGEST_LEN 48
#define SHA512_BLOCK_LEN 128

struct sha512_ctx {
	uint64_t h[8];
	uint64_t bytes;         /* messages under 2^64 bytes: the high length word is 0 */
	unsigned char buf[SHA512_BLOCK_LEN];
	int outlen;             /* 64 or 48 */
};

void sha512_init(struct sha512_ctx *c);
void sha384_init(struct sha512_ctx *c);
/* Adds LEN bytes at P to the message. */
void sha512_update(struct sha512_ctx *c, const void *p, size_t len);
/* Pads, writes the 64-byte (SHA-384: 48-byte) digest to OUT; C must be
 * initialised again before reuse. */
void sha512_final(struct sha512_ctx *c, unsigned char *out);
/* The digests of LEN bytes at P, in one call. */
void sha512_digest(const void *p, size_t len, unsigned char out[SHA512_DIGEST_LEN]);
void sha384_digest(const void *p, size_t len, unsigned char out[SHA384_DIGEST_LEN]);

#endif
