/* hmac.c — HMAC as RFC 2104 section 2 computes it; see hmac.h. */
#include "engine/concepts/crypto/hmac.h"

#include <string.h>

void hmac_init(struct hmac_ctx *c, const struct hashfn *h, const void *key, size_t keylen)
{
	unsigned char k[HASHFN_MAX_BLOCK] = {0}, pad[HASHFN_MAX_BLOCK];
	c->h = h;
	if (keylen > h->block)
		hashfn_digest(h, key, keylen, k);  /* a long key is hashed first */
	else if (keylen)
		memcpy(k, key, keylen);
	for (size_t i = 0; i < h->block; i++)
		pad[i] = k[i] ^ 0x36;              /* ipad */
	h->init(&c->inner);
	h->update(&c->inner, pad, h->block);
	for (size_t i = 0; i < h->block; i++)
		pad[i] = k[i] ^ 0x5c;              /* opad */
	h->init(&c->outer);
	h->update(&c->outer, pad, h->block);
}

void hmac_update(struct hmac_ctx *c, const void *p, size_t len)
{
	c->h->update(&c->inner, p, len);
}

void hmac_final(struct hmac_ctx *c, unsigned char *out)
{
	unsigned char ih[HASHFN_MAX_SIZE];
	c->h->final(&c->inner, ih);
	c->h->update(&c->outer, ih, c->h->size);
	c->h->final(&c->outer, out);
}

void hmac(const struct hashfn *h, const void *key, size_t keylen, const void *msg,
	  size_t msglen, unsigned char *out)
{
	struct hmac_ctx c;
	hmac_init(&c, h, key, keylen);
	hmac_update(&c, msg, msglen);
	hmac_final(&c, out);
}
