/*
 * jwt.c — JWS compact tokens: decode (RFC 7515 section 7.1, base64url of
 * RFC 7515 section 2), sign and verify (RFC 7518 section 3), and the claims
 * checks of RFC 7519 section 4.1 in the order RFC 8725 section 3 asks.
 */
#include "engine/concepts/jwt/jwt.h"
#include "engine/concepts/crypto/base64.h"
#include "engine/concepts/crypto/ct.h"
#include "engine/concepts/crypto/ecdsa.h"
#include "engine/concepts/crypto/hmac.h"
#include "engine/concepts/crypto/rsa.h"
#include "engine/base/budget.h"

#include <math.h>
#include <string.h>

static const char *const alg_names[JWT_NALG] = {
	"none", "HS256", "HS384", "HS512", "RS256", "ES256", "ES512",
};

int jwt_alg_parse(const char *name, size_t len)
{
	for (int i = 0; i < JWT_NALG; i++)
		if (strlen(alg_names[i]) == len && memcmp(alg_names[i], name, len) == 0)
			return i;
	return -1;
}

const char *jwt_alg_name(enum jwt_alg alg)
{
	return alg < JWT_NALG ? alg_names[alg] : "?";
}

const char *jwt_err_name(enum jwt_err err)
{
	static const char *const names[] = {
		"ok", "malformed", "bad_header", "alg_none", "alg_not_allowed", "key_mismatch",
		"bad_signature", "bad_claims", "expired", "not_yet_valid", "wrong_audience",
		"wrong_issuer", "missing_claim", "out_of_memory",
	};
	return (size_t)err < sizeof names / sizeof names[0] ? names[err] : "?";
}

static const struct hashfn *hmac_hash(enum jwt_alg alg)
{
	switch (alg) {
	case JWT_HS256: return hashfn_find("sha256");
	case JWT_HS384: return hashfn_find("sha384");
	case JWT_HS512: return hashfn_find("sha512");
	default: return NULL;
	}
}

/* Decodes base64url S (N chars) into a new buffer. */
static unsigned char *b64(const char *s, size_t n, size_t *outlen)
{
	unsigned char *out = budget_malloc(n / 4 * 3 + 4);
	size_t where;
	if (out && base64_decode(s, n, BASE64_URL, out, outlen, &where) != 0) {
		budget_free(out);
		return NULL;
	}
	return out;
}

static enum jwt_err parse_part(const char *s, size_t n, struct jsonv *v, int *have)
{
	size_t len;
	unsigned char *json = b64(s, n, &len);
	if (!json)
		return JWT_EMALFORMED;
	const char *err;
	size_t at;
	int rc = jsonv_parse((const char *)json, len, v, &err, &at);
	budget_free(json);
	if (rc != 0)
		return JWT_EHEADER;
	*have = 1;
	return JWT_OK;
}

enum jwt_err jwt_decode(const char *token, size_t len, struct jwt_token *t, const char **detail)
{
	memset(t, 0, sizeof *t);
	t->alg = -1;
	const char *d1 = memchr(token, '.', len);
	const char *d2 = d1 ? memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - token)) : NULL;
	if (!d1 || !d2 || memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - token))) {
		*detail = "a JWS has three parts separated by '.'";
		return JWT_EMALFORMED;
	}
	t->signing_len = (size_t)(d2 - token);
	t->sig_text = d2 + 1;
	t->sig_text_len = len - t->signing_len - 1;
	enum jwt_err e = parse_part(token, (size_t)(d1 - token), &t->header, &t->have_header);
	if (e != JWT_OK) {
		*detail = e == JWT_EMALFORMED ? "the header is not base64url" : "the header is not JSON";
		return e == JWT_EMALFORMED ? JWT_EMALFORMED : JWT_EHEADER;
	}
	const struct jsonv *alg = jsonv_get(&t->header, "alg");
	if (t->header.type != JSONV_OBJECT || !alg || alg->type != JSONV_STRING) {
		*detail = "the header is not a JSON object with a string \"alg\"";
		return JWT_EHEADER;
	}
	t->alg = jwt_alg_parse(alg->str, alg->len);
	t->sig = b64(t->sig_text, t->sig_text_len, &t->sig_len);
	if (!t->sig) {
		*detail = "the signature is not base64url";
		return JWT_EMALFORMED;
	}
	e = parse_part(d1 + 1, (size_t)(d2 - d1 - 1), &t->claims, &t->have_claims);
	if (e == JWT_EMALFORMED) {
		*detail = "the payload is not base64url";
		return JWT_EMALFORMED;
	}
	*detail = NULL;
	return JWT_OK;    /* claims that are not JSON are reported by jwt_verify */
}

void jwt_token_free(struct jwt_token *t)
{
	if (t->have_header)
		jsonv_free(&t->header);
	if (t->have_claims)
		jsonv_free(&t->claims);
	budget_free(t->sig);
	t->sig = NULL;
	t->have_header = t->have_claims = 0;
}

enum jwt_err jwt_sign(enum jwt_alg alg, const struct jwt_key *key, const void *input,
		      size_t len, unsigned char *sig, size_t *siglen)
{
	const struct hashfn *h = hmac_hash(alg);
	if (h) {
		if (key->type != JWT_KEY_SECRET)
			return JWT_EKEY;
		hmac(h, key->secret, key->secret_len, input, len, sig);
		*siglen = h->size;
		return JWT_OK;
	}
	if (alg != JWT_RS256)
		return JWT_EALG;
	if (key->type != JWT_KEY_RSA || !key->d)
		return JWT_EKEY;
	unsigned char digest[32];
	hashfn_digest(hashfn_find("sha256"), input, len, digest);
	*siglen = 512;
	if (rsa_sign_sha256(key->n, key->n_len, key->d, key->d_len, digest, sig, siglen) != 0)
		return JWT_EKEY;
	return JWT_OK;
}

/* Is the key's type the one ALG needs? (RFC 8725 3.1: no confusion) */
static int key_fits(enum jwt_alg alg, const struct jwt_key *key)
{
	if (hmac_hash(alg))
		return key->type == JWT_KEY_SECRET;
	if (alg == JWT_RS256)
		return key->type == JWT_KEY_RSA;
	if (alg == JWT_ES256)
		return key->type == JWT_KEY_EC && !key->p521;
	if (alg == JWT_ES512)
		return key->type == JWT_KEY_EC && key->p521;
	return 0;
}

/* Leading characters A and B (ALEN, BLEN) share, plus the one that
 * differs: what an early-exit compare reads. */
static size_t early_exit(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0;
	while (i < alen && i < blen && a[i] == b[i])
		i++;
	return i < alen ? i + 1 : i;
}

static enum jwt_err check_signature(const char *token, const struct jwt_key *key,
				    enum jwt_alg alg, const struct jwt_opts *o,
				    struct jwt_token *t, struct jwt_result *r)
{
	const struct hashfn *h = hmac_hash(alg);
	if (h) {
		unsigned char mac[HASHFN_MAX_SIZE];
		const unsigned char *secret = key->secret;
		size_t slen = key->secret_len;
		hmac(h, secret, slen, token, t->signing_len, mac);
		if (o->bugs & JWT_BUG_EQ_COMPARE) {
			/* the bug: the base64url text compared like a string */
			char want[2 * HASHFN_MAX_SIZE];
			base64_encode(mac, h->size, BASE64_URL, 0, want);
			size_t wl = base64_encoded_len(h->size, 0);
			r->compared = early_exit(t->sig_text, t->sig_text_len, want, wl);
			return t->sig_text_len == wl && memcmp(t->sig_text, want, wl) == 0
				? JWT_OK : JWT_ESIGNATURE;
		}
		return ct_equal(t->sig, t->sig_len, mac, h->size) ? JWT_OK : JWT_ESIGNATURE;
	}
	unsigned char digest[64];
	if (alg == JWT_RS256) {
		hashfn_digest(hashfn_find("sha256"), token, t->signing_len, digest);
		return rsa_verify_sha256(key->n, key->n_len, key->e, key->e_len, digest, t->sig,
					 t->sig_len) ? JWT_OK : JWT_ESIGNATURE;
	}
	/* ES256/ES512: R || S, each the curve's size (RFC 7518 3.4), not DER */
	enum ecdsa_curve c = alg == JWT_ES256 ? ECDSA_P256 : ECDSA_P521;
	size_t sz = ecdsa_size(c);
	if (t->sig_len != 2 * sz || key->x_len != sz || key->y_len != sz)
		return JWT_ESIGNATURE;
	const struct hashfn *hh = hashfn_find(alg == JWT_ES256 ? "sha256" : "sha512");
	hashfn_digest(hh, token, t->signing_len, digest);
	return ecdsa_verify(c, key->x, key->y, digest, hh->size, t->sig, t->sig + sz)
		? JWT_OK : JWT_ESIGNATURE;
}

static enum jwt_err fail(struct jwt_result *r, enum jwt_err e, const char *detail)
{
	r->err = e;
	r->detail = detail;
	return e;
}

/* A NumericDate claim (RFC 7519 section 2): a number, or absent. */
static int numeric(const struct jsonv *v, double *out)
{
	if (!v)
		return 0;
	if (v->type != JSONV_NUMBER)
		return -1;
	*out = v->num;
	return 1;
}

static int has_audience(const struct jsonv *aud, const char *want)
{
	size_t wl = strlen(want);
	if (aud->type == JSONV_STRING)
		return aud->len == wl && memcmp(aud->str, want, wl) == 0;
	if (aud->type == JSONV_ARRAY)
		for (size_t i = 0; i < aud->n; i++)
			if (has_audience(&aud->items[i], want))
				return 1;
	return 0;
}

static enum jwt_err check_claims(const struct jwt_opts *o, const struct jsonv *c,
				 struct jwt_result *r)
{
	static const char *const names[] = {"exp", "nbf", "iat", "aud", "iss", "sub"};
	for (int i = 0; i < 6; i++)
		if ((o->required & (1u << i)) && !jsonv_get(c, names[i]))
			return fail(r, JWT_EMISSING, names[i]);
	double exp, nbf;
	int he = numeric(jsonv_get(c, "exp"), &exp), hn = numeric(jsonv_get(c, "nbf"), &nbf);
	if (he < 0 || hn < 0)
		return fail(r, JWT_ECLAIMS, "exp and nbf must be numbers (NumericDate)");
	if (he && !(o->bugs & JWT_BUG_NO_EXP) && o->now >= exp + o->leeway)
		return fail(r, JWT_EEXPIRED, "now >= exp + leeway");
	if (hn && !(o->bugs & JWT_BUG_NO_NBF) && o->now < nbf - o->leeway)
		return fail(r, JWT_ENOT_YET, "now < nbf - leeway");
	if (o->audience && !(o->bugs & JWT_BUG_NO_AUD)) {
		const struct jsonv *aud = jsonv_get(c, "aud");
		if (!aud || !has_audience(aud, o->audience))
			return fail(r, JWT_EAUDIENCE, "aud does not name this service");
	}
	if (o->issuer) {
		const struct jsonv *iss = jsonv_get(c, "iss");
		size_t il = strlen(o->issuer);
		if (!iss || iss->type != JSONV_STRING || iss->len != il ||
		    memcmp(iss->str, o->issuer, il) != 0)
			return fail(r, JWT_EISSUER, "iss is not the expected issuer");
	}
	return JWT_OK;
}

enum jwt_err jwt_verify(const char *token, size_t len, const struct jwt_key *key,
			const struct jwt_opts *o, struct jwt_token *t, struct jwt_result *r)
{
	memset(r, 0, sizeof *r);
	const char *detail;
	enum jwt_err e = jwt_decode(token, len, t, &detail);
	if (e != JWT_OK)
		return fail(r, e, detail);
	if (t->alg == JWT_NONE) {
		if (!(o->bugs & JWT_BUG_ALG_NONE))
			return fail(r, JWT_EALG_NONE, "unsecured tokens are never accepted");
		/* the bug: "none" means "nothing to check" */
	} else {
		int confused = (o->bugs & JWT_BUG_CONFUSION) && t->alg >= 0;
		if (t->alg < 0 || (!confused && !(o->algs & (1u << t->alg))))
			return fail(r, JWT_EALG, "the header's alg is not an allowed algorithm");
		struct jwt_key k = *key;
		if (confused && hmac_hash((enum jwt_alg)t->alg) && key->type != JWT_KEY_SECRET) {
			/* the bug: the public key's text becomes an HMAC secret */
			k.type = JWT_KEY_SECRET;
		} else if (!key_fits((enum jwt_alg)t->alg, key)) {
			return fail(r, JWT_EKEY, "the key does not fit the algorithm");
		}
		e = check_signature(token, &k, (enum jwt_alg)t->alg, o, t, r);
		if (e != JWT_OK)
			return fail(r, e, "the signature does not verify");
	}
	if (o->jws_only)
		return JWT_OK;
	if (!t->have_claims || t->claims.type != JSONV_OBJECT)
		return fail(r, JWT_ECLAIMS, "the payload is not a JSON object");
	return check_claims(o, &t->claims, r);
}
