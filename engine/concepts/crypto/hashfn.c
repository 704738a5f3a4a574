/* hashfn.c — the table of hash functions; see hashfn.h. */
#include "engine/concepts/crypto/hashfn.h"

#include <string.h>

static void md5_i(union hashfn_ctx *c) { md5_init(&c->md5); }
static void md5_u(union hashfn_ctx *c, const void *p, size_t n) { md5_update(&c->md5, p, n); }
static void md5_f(union hashfn_ctx *c, unsigned char *o) { md5_final(&c->md5, o); }
static void sha1_i(union hashfn_ctx *c) { sha1_init(&c->sha1); }
static void sha1_u(union hashfn_ctx *c, const void *p, size_t n) { sha1_update(&c->sha1, p, n); }
static void sha1_f(union hashfn_ctx *c, unsigned char *o) { sha1_final(&c->sha1, o); }
static void sha256_i(union hashfn_ctx *c) { sha256_init(&c->sha256); }
static void sha256_u(union hashfn_ctx *c, const void *p, size_t n)
{
	sha256_update(&c->sha256, p, n);
}
static void sha256_f(union hashfn_ctx *c, unsigned char *o) { sha256_final(&c->sha256, o); }
static void sha384_i(union hashfn_ctx *c) { sha384_init(&c->sha512); }
static void sha512_i(union hashfn_ctx *c) { sha512_init(&c->sha512); }
static void sha512_u(union hashfn_ctx *c, const void *p, size_t n)
{
	sha512_update(&c->sha512, p, n);
}
static void sha512_f(union hashfn_ctx *c, unsigned char *o) { sha512_final(&c->sha512, o); }

static const struct hashfn table[] = {
	{"md5", MD5_DIGEST_LEN, 64, md5_i, md5_u, md5_f},
	{"sha1", SHA1_DIGEST_LEN, SHA1_BLOCK_LEN, sha1_i, sha1_u, sha1_f},
	{"sha256", SHA256_DIGEST_LEN, SHA256_BLOCK_LEN, sha256_i, sha256_u, sha256_f},
	{"sha384", SHA384_DIGEST_LEN, SHA512_BLOCK_LEN, sha384_i, sha512_u, sha512_f},
	{"sha512", SHA512_DIGEST_LEN, SHA512_BLOCK_LEN, sha512_i, sha512_u, sha512_f},
};

const struct hashfn *hashfn_find(const char *name)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const char *hashfn_names(void)
{
	return "md5 sha1 sha256 sha384 sha512";
}

void hashfn_digest(const struct hashfn *h, const void *p, size_t len, unsigned char *out)
{
	union hashfn_ctx c;
	h->init(&c);
	h->update(&c, p, len);
	h->final(&c, out);
}
