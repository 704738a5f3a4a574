/*
 * hmac.h — HMAC (RFC 2104; FIPS 198-1) over any hashfn.
 *
 *   HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m))
 *
 * where K' is the key padded with zeros to the hash's block length, or the
 * hash of the key, padded, if the key is longer than a block (RFC 2104
 * section 2). A struct hmac_ctx is a plain value; copying one after
 * hmac_init gives a keyed state to start many messages from (PBKDF2 does).
 */
#ifndef BACKLAB_HMAC_H
#define BACKLAB_HMAC_H

#include "engine/concepts/crypto/hashfn.h"

struct hmac_ctx {
	const struct hashfn *h;
	union hashfn_ctx inner, outer; /* after the padded key blocks */
};

void hmac_init(struct hmac_ctx *c, const struct hashfn *h, const void *key, size_t keylen);
void hmac_update(struct hmac_ctx *c, const void *p, size_t len);
/* Writes the MAC (c->h->size bytes) to OUT. C is spent: init it again. */
void hmac_final(struct hmac_ctx *c, unsigned char *out);

/* The MAC of MSG under KEY, in one call; OUT gets H->size bytes. */
void hmac(const struct hashfn *h, const void *key, size_t keylen, const void *msg,
	  size_t msglen, unsigned char *out);

#endif
