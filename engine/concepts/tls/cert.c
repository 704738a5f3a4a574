/* cert.c — certificates as data, path validation, name matching; see cert.h. */
#include "engine/concepts/tls/cert.h"
#include "engine/concepts/crypto/hmac.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The "to be signed" bytes: every field but the signature, one a line. */
static void tbs(const struct cert *c, struct hmac_ctx *m)
{
	char num[96];
	hmac_update(m, c->subject, strlen(c->subject) + 1);
	hmac_update(m, c->issuer, strlen(c->issuer) + 1);
	for (size_t i = 0; i < c->nsan; i++)
		hmac_update(m, c->san[i], strlen(c->san[i]) + 1);
	int n = snprintf(num, sizeof num, "|%zu|%lld|%lld|%d|%d|%d|", c->nsan,
			 (long long)c->not_before, (long long)c->not_after, c->ca, c->path_len,
			 c->usage);
	hmac_update(m, num, (size_t)n);
	hmac_update(m, c->key, strlen(c->key) + 1);
}

static void signature(const struct cert *c, const char *key, char out[65])
{
	struct hmac_ctx m;
	unsigned char mac[32];
	hmac_init(&m, hashfn_find("sha256"), key, strlen(key));
	tbs(c, &m);
	hmac_final(&m, mac);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

void cert_sign(struct cert *c, const char *signer_key)
{
	signature(c, signer_key, c->signature);
}

int cert_signed_by(const struct cert *c, const char *key)
{
	char want[65];
	signature(c, key, want);
	return strcmp(want, c->signature) == 0;
}

/* Is S an IPv4 address (dotted quad) or looks like IPv6 (has a colon)? */
static int is_ip(const char *s)
{
	if (strchr(s, ':'))
		return 1;
	int parts = 0, digits = 0;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			if (++digits > 3)
				return 0;
		} else if (*s == '.' && digits) {
			parts++;
			digits = 0;
		} else {
			return 0;
		}
	}
	return parts == 3 && digits;
}

/* Length of S without one trailing dot. */
static size_t name_len(const char *s)
{
	size_t n = strlen(s);
	return n && s[n - 1] == '.' ? n - 1 : n;
}

int cert_match_name(const char *pattern, const char *host)
{
	size_t pl = name_len(pattern), hl = name_len(host);
	if (pl == 0 || hl == 0)
		return 0;
	if (is_ip(host) || is_ip(pattern))    /* IP addresses match exactly, never by wildcard */
		return pl == hl && strncasecmp(pattern, host, pl) == 0;
	if (pattern[0] != '*')
		return pl == hl && strncasecmp(pattern, host, pl) == 0;
	/* "*.rest": the whole leftmost label, at least two labels after it */
	if (pl < 3 || pattern[1] != '.' || memchr(pattern + 1, '*', pl - 1))
		return 0;
	const char *rest = pattern + 2;
	size_t rl = pl - 2;
	if (!memchr(rest, '.', rl))
		return 0;                          /* "*.com" */
	const char *dot = memchr(host, '.', hl);
	if (!dot || dot == host)
		return 0;                          /* the wildcard needs one non-empty label */
	size_t tail = hl - (size_t)(dot + 1 - host);
	return tail == rl && strncasecmp(dot + 1, rest, rl) == 0;
}

const char *cert_err_name(enum cert_err err)
{
	static const char *const names[] = {
		"ok", "expired", "not_yet_valid", "unknown_issuer", "bad_signature",
		"self_signed", "not_ca", "path_len", "name_mismatch", "wrong_purpose", "too_long",
	};
	return (size_t)err < sizeof names / sizeof names[0] ? names[err] : "?";
}

static int self_issued(const struct cert *c)
{
	return strcmp(c->subject, c->issuer) == 0;
}

/* The issuer of C among LIST (N entries): the one with C's issuer as its
 * subject whose key signed C; *NAMED is set if one had the name at all. */
static const struct cert *find_issuer(const struct cert *c, const struct cert *const *list,
				      size_t n, int *named)
{
	for (size_t i = 0; i < n; i++) {
		if (list[i] == c || strcmp(list[i]->subject, c->issuer) != 0)
			continue;
		*named = 1;
		if (cert_signed_by(c, list[i]->key))
			return list[i];
	}
	return NULL;
}

static int in_list(const struct cert *c, const struct cert *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == c || (strcmp(list[i]->subject, c->subject) == 0 &&
				     strcmp(list[i]->key, c->key) == 0 &&
				     strcmp(list[i]->signature, c->signature) == 0))
			return 1;
	return 0;
}

static enum cert_err fail(struct cert_result *r, enum cert_err e, const struct cert *at)
{
	r->err = e;
	r->at = at;
	return e;
}

/* Builds leaf .. trusted root into R->path. */
static enum cert_err build_path(const struct cert *const *chain, size_t nchain,
				const struct cert *const *roots, size_t nroots,
				struct cert_result *r)
{
	const struct cert *c = chain[0];
	r->path[r->npath++] = c;
	for (;;) {
		if (in_list(c, roots, nroots))
			return CERT_OK;            /* a trust anchor is reached */
		int named = 0;
		const struct cert *up = find_issuer(c, roots, nroots, &named);
		if (up) {
			r->path[r->npath++] = up;
			return CERT_OK;
		}
		up = find_issuer(c, chain + 1, nchain - 1, &named);
		if (!up) {
			if (self_issued(c) && cert_signed_by(c, c->key))
				return fail(r, CERT_SELF_SIGNED, c);
			return fail(r, named ? CERT_BAD_SIGNATURE : CERT_UNKNOWN_ISSUER, c);
		}
		if (r->npath == CERT_MAX_CHAIN)
			return fail(r, CERT_TOO_LONG, c);
		r->path[r->npath++] = up;
		c = up;
	}
}

enum cert_err cert_verify(const struct cert *const *chain, size_t nchain,
			  const struct cert *const *roots, size_t nroots, int64_t now,
			  int purpose, const char *host, struct cert_result *r)
{
	memset(r, 0, sizeof *r);
	if (nchain == 0)
		return fail(r, CERT_UNKNOWN_ISSUER, NULL);
	if (build_path(chain, nchain, roots, nroots, r) != CERT_OK)
		return r->err;
	for (size_t i = 0; i < r->npath; i++) {
		const struct cert *c = r->path[i];
		if (now < c->not_before)
			return fail(r, CERT_NOT_YET_VALID, c);
		if (now > c->not_after)
			return fail(r, CERT_EXPIRED, c);
		if (i == 0)
			continue;
		if (!c->ca)
			return fail(r, CERT_NOT_CA, c);
		/* CA certificates below this one (the leaf does not count) */
		if (c->path_len >= 0 && (int)(i - 1) > c->path_len)
			return fail(r, CERT_PATH_LEN, c);
	}
	const struct cert *leaf = r->path[0];
	if (leaf->usage && !(leaf->usage & purpose))
		return fail(r, CERT_WRONG_PURPOSE, leaf);
	if (host) {
		for (size_t i = 0; i < leaf->nsan; i++)
			if (cert_match_name(leaf->san[i], host))
				return CERT_OK;
		return fail(r, CERT_NAME_MISMATCH, leaf);
	}
	return CERT_OK;
}
