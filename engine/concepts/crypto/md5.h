/*
 * md5.h — the MD5 message digest (RFC 1321).
 *
 * MD5 is broken for security (collisions are cheap to make) and is here for
 * what still uses it as a plain mixing function: ketama consistent hashing,
 * checksums, and the crypto lessons that show why it must not guard
 * passwords or signatures.
 *
 * A struct md5_ctx is a plain value (no allocation); its fields are private.
 * Feed bytes with md5_update as often as needed, then md5_final.
 */
#ifndef BACKLAB_MD5_H
#define BACKLAB_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN 16

struct md5_ctx {
	uint32_t state[4];      /* A, B, C, D */
	uint64_t bytes;         /* message length so far */
	unsigned char buf[64];  /* a partial block; bytes % 64 of it are used */
};

void md5_init(struct md5_ctx *c);
/* Adds LEN bytes at P to the message. */
void md5_update(struct md5_ctx *c, const void *p, size_t len);
/* Pads, writes the 16-byte digest to OUT, and leaves C ready for md5_init. */
void md5_final(struct md5_ctx *c, unsigned char out[MD5_DIGEST_LEN]);

/* The digest of LEN bytes at P, in one call. */
void md5_digest(const void *p, size_t len, unsigned char out[MD5_DIGEST_LEN]);

#endif
