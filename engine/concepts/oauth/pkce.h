/*
 * pkce.h — Proof Key for Code Exchange (RFC 7636): the client keeps a
 * random code_verifier, sends only its challenge with the authorization
 * request, and proves at the token endpoint that it is the same client.
 */
#ifndef BACKLAB_PKCE_H
#define BACKLAB_PKCE_H

#include <stddef.h>

#define PKCE_MAX 128
#define PKCE_CHALLENGE_LEN 43     /* base64url of a SHA-256 digest, unpadded */

/* Is V a valid code_verifier: 43..128 characters of [A-Za-z0-9-._~]
 * (RFC 7636 section 4.1)? */
int pkce_valid_verifier(const char *v, size_t len);

/* The S256 challenge of the verifier V: BASE64URL(SHA256(ASCII(V)))
 * (section 4.2), 43 characters plus a NUL into OUT. */
void pkce_s256(const char *v, size_t len, char out[PKCE_CHALLENGE_LEN + 1]);

/* Does VERIFIER match CHALLENGE under METHOD ("S256" or "plain")?
 * Compared in constant time. */
int pkce_check(const char *method, const char *verifier, size_t vlen, const char *challenge,
	       size_t clen);

#endif
