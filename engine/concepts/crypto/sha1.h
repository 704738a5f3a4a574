/*
 * sha1.h — SHA-1 (FIPS 180-4 section 6.1).
 *
 * Collisions have been found (SHAttered, 2017): SHA-1 must not sign or
 * fingerprint anything an attacker chooses. It is here for HMAC-SHA-1 (HOTP,
 * TOTP, RFC 6070's PBKDF2 vectors) and WebSocket, where collisions do not
 * matter, and for the lesson on why it was retired.
 *
 * A struct sha1_ctx is a plain value (no allocation): init, update as often
 * as needed, final.
 */
#ifndef BACKLAB_SHA1_H
#define BACKLAB_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN 20
#define SHA1_BLOCK_LEN 64

struct sha1_ctx {
	uint32_t h[5];
	uint64_t bytes;
	unsigned char buf[SHA1_BLOCK_LEN];
};

void sha1_init(struct sha1_ctx *c);
/* Adds LEN bytes at P to the message. */
void sha1_update(struct sha1_ctx *c, const void *p, size_t len);
/* Pads, writes the digest to OUT, and leaves C ready for sha1_init. */
void sha1_final(struct sha1_ctx *c, unsigned char out[SHA1_DIGEST_LEN]);
/* The digest of LEN bytes at P, in one call. */
void sha1_digest(const void *p, size_t len, unsigned char out[SHA1_DIGEST_LEN]);

#endif
