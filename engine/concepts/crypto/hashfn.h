/*
 * hashfn.h — the hash functions by name, behind one interface, for what is
 * built on "a hash": HMAC, PBKDF2, HKDF, the lab bindings.
 *
 *   const struct hashfn *h = hashfn_find("sha256");
 *   union hashfn_ctx c;
 *   h->init(&c); h->update(&c, p, n); h->final(&c, out);   // h->size bytes
 *
 * Names: md5, sha1, sha256, sha384, sha512. A context is a plain value.
 */
#ifndef BACKLAB_HASHFN_H
#define BACKLAB_HASHFN_H

#include <stddef.h>

#include "engine/concepts/crypto/md5.h"
#include "engine/concepts/crypto/sha1.h"
#include "engine/concepts/crypto/sha256.h"
#include "engine/concepts/crypto/sha512.h"

#define HASHFN_MAX_SIZE 64   /* bytes of the longest digest */
#define HASHFN_MAX_BLOCK 128 /* bytes of the largest block */

union hashfn_ctx {
	struct md5_ctx md5;
	struct sha1_ctx sha1;
	struct sha256_ctx sha256;
	struct sha512_ctx sha512;
};

struct hashfn {
	const char *name;       /* "sha256" */
	size_t size;            /* digest length in bytes */
	size_t block;           /* block length in bytes (HMAC pads the key to it) */
	void (*init)(union hashfn_ctx *c);
	void (*update)(union hashfn_ctx *c, const void *p, size_t len);
	void (*final)(union hashfn_ctx *c, unsigned char *out);
};

/* The function called NAME, or NULL. */
const struct hashfn *hashfn_find(const char *name);

/* The names, separated by spaces: "md5 sha1 sha256 sha384 sha512". */
const char *hashfn_names(void);

/* The digest of LEN bytes at P into OUT (H->size bytes). */
void hashfn_digest(const struct hashfn *h, const void *p, size_t len, unsigned char *out);

#endif
