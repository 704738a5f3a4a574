/*
 * sha256.h — SHA-256 (FIPS 180-4 section 6.2).
 *
 * A struct sha256_ctx is a plain value (no allocation): init, update as
 * often as needed, final.
 */
#ifndef BACKLAB_SHA256_H
#define BACKLAB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_BLOCK_LEN 64

struct sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char buf[SHA256_BLOCK_LEN];
};

void sha256_init(struct sha256_ctx *c);
/* Adds LEN bytes at P to the message. */
void sha256_update(struct sha256_ctx *c, const void *p, size_t len);
/* Pads, writes the digest to OUT, and leaves C ready for sha256_init. */
void sha256_final(struct sha256_ctx *c, unsigned char out[SHA256_DIGEST_LEN]);
/* The digest of LEN bytes at P, in one call. */
void sha256_digest(const void *p, size_t len, unsigned char out[SHA256_DIGEST_LEN]);

#endif
