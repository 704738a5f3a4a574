/*
 * jwt.h — JSON Web Tokens (RFC 7519) in the JWS compact serialization
 * (RFC 7515 section 7.1): HS256/384/512 (HMAC), RS256 (RSASSA-PKCS1-v1_5),
 * ES256/ES512 (ECDSA), and verification as RFC 8725 (JWT Best Current
 * Practices) asks: an allow-list of algorithms, the key's type tied to the
 * algorithm, the signature compared in constant time, then the claims (exp,
 * nbf with a leeway, aud, iss, required claims).
 *
 * The classic verification bugs are flags (jwt_bug) so that lab targets can
 * have exactly one of them each, and lessons can show what it lets through.
 */
#ifndef BACKLAB_JWT_H
#define BACKLAB_JWT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/jwt/jsonv.h"

enum jwt_alg { JWT_NONE, JWT_HS256, JWT_HS384, JWT_HS512, JWT_RS256, JWT_ES256, JWT_ES512,
	       JWT_NALG };

/* "HS256" -> JWT_HS256; -1 if unknown. jwt_alg_name is the reverse. */
int jwt_alg_parse(const char *name, size_t len);
const char *jwt_alg_name(enum jwt_alg alg);

enum jwt_keytype { JWT_KEY_SECRET, JWT_KEY_RSA, JWT_KEY_EC };

/* A key; byte strings are big-endian integers for RSA and EC. Not owned. */
struct jwt_key {
	enum jwt_keytype type;
	const unsigned char *secret;   /* SECRET: the HMAC key */
	size_t secret_len;
	const unsigned char *n, *e, *d; /* RSA: modulus, public and (to sign) private exponent */
	size_t n_len, e_len, d_len;
	int p521;                      /* EC: 0 for P-256, 1 for P-521 */
	const unsigned char *x, *y;    /* EC: the public point */
	size_t x_len, y_len;
};

enum jwt_bug {                     /* what a vulnerable verifier forgets */
	JWT_BUG_ALG_NONE = 1,      /* accepts "alg": "none" and no signature */
	JWT_BUG_CONFUSION = 2,     /* trusts the header's alg: HS* with the key's bytes as secret */
	JWT_BUG_NO_EXP = 4,        /* never checks exp */
	JWT_BUG_NO_NBF = 8,        /* never checks nbf */
	JWT_BUG_NO_AUD = 16,       /* never checks aud */
	JWT_BUG_EQ_COMPARE = 32,   /* compares the signature text with an early exit */
};

enum jwt_claim { JWT_C_EXP = 1, JWT_C_NBF = 2, JWT_C_IAT = 4, JWT_C_AUD = 8, JWT_C_ISS = 16,
		 JWT_C_SUB = 32 };

struct jwt_opts {
	unsigned algs;             /* allowed: bit (1 << alg) */
	double now, leeway;        /* seconds */
	const char *audience;      /* NULL: aud not checked */
	const char *issuer;        /* NULL: iss not checked */
	unsigned required;         /* enum jwt_claim bits that must be present */
	unsigned bugs;             /* enum jwt_bug bits (lab targets only) */
	int jws_only;              /* check the signature only: the payload may be anything */
};

enum jwt_err {
	JWT_OK = 0,
	JWT_EMALFORMED,       /* not three base64url parts */
	JWT_EHEADER,          /* the header is not a JSON object with a string alg */
	JWT_EALG_NONE,        /* alg none */
	JWT_EALG,             /* alg not in the allow-list (or unknown) */
	JWT_EKEY,             /* the key's type does not fit the algorithm */
	JWT_ESIGNATURE,       /* the signature does not verify */
	JWT_ECLAIMS,          /* the payload is not a JSON object, or a claim has the wrong type */
	JWT_EEXPIRED,         /* now >= exp + leeway */
	JWT_ENOT_YET,         /* now < nbf - leeway */
	JWT_EAUDIENCE,        /* aud lacks the expected audience */
	JWT_EISSUER,          /* iss differs */
	JWT_EMISSING,         /* a required claim is absent */
	JWT_ENOMEM,
};

/* A stable name ("expired") for ERR. */
const char *jwt_err_name(enum jwt_err err);

/* A decoded token: header and claims parsed, signature decoded. */
struct jwt_token {
	struct jsonv header, claims;
	int have_header, have_claims;
	unsigned char *sig;        /* decoded signature (budget_malloc) */
	size_t sig_len;
	size_t signing_len;        /* bytes of "header.payload" */
	const char *sig_text;      /* the third part, inside the caller's token */
	size_t sig_text_len;
	int alg;                   /* the header's alg, or -1 */
};

/*
 * Splits and decodes TOKEN (not copied; must outlive T's sig_text).
 * Returns JWT_OK, JWT_EMALFORMED, JWT_EHEADER or JWT_ENOMEM, with *DETAIL a
 * short static explanation. Free T with jwt_token_free in every case.
 */
enum jwt_err jwt_decode(const char *token, size_t len, struct jwt_token *t, const char **detail);
void jwt_token_free(struct jwt_token *t);

/* What jwt_verify found out besides the verdict. */
struct jwt_result {
	enum jwt_err err;
	const char *detail;        /* a short static explanation, or NULL */
	size_t compared;           /* JWT_BUG_EQ_COMPARE: characters the compare read */
};

/*
 * Verifies TOKEN with KEY under O, as RFC 8725 says, less O->bugs. T gets
 * the decoded token (its claims are the verified claims on JWT_OK); free it
 * with jwt_token_free in every case. Returns R->err.
 */
enum jwt_err jwt_verify(const char *token, size_t len, const struct jwt_key *key,
			const struct jwt_opts *o, struct jwt_token *t, struct jwt_result *r);

/*
 * The signature of the LEN bytes at INPUT with ALG and KEY into SIG (room
 * for 512 bytes), its length in *SIGLEN. HS*: an HMAC; RS256: PKCS #1 v1.5
 * with the private exponent. Returns JWT_OK, JWT_EALG (none, ES*: signing
 * needs a random nonce) or JWT_EKEY.
 */
enum jwt_err jwt_sign(enum jwt_alg alg, const struct jwt_key *key, const void *input,
		      size_t len, unsigned char *sig, size_t *siglen);

#endif
