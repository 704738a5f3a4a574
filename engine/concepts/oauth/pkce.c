/* pkce.c — RFC 7636 sections 4.1, 4.2 and 4.6; see pkce.h. */
#include "engine/concepts/oauth/pkce.h"
#include "engine/concepts/crypto/base64.h"
#include "engine/concepts/crypto/ct.h"
#include "engine/concepts/crypto/sha256.h"

#include <string.h>

int pkce_valid_verifier(const char *v, size_t len)
{
	if (len < 43 || len > PKCE_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = v[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_' || c == '~'))
			return 0;
	}
	return 1;
}

void pkce_s256(const char *v, size_t len, char out[PKCE_CHALLENGE_LEN + 1])
{
	unsigned char d[SHA256_DIGEST_LEN];
	sha256_digest(v, len, d);
	base64_encode(d, sizeof d, BASE64_URL, 0, out);
}

int pkce_check(const char *method, const char *verifier, size_t vlen, const char *challenge,
	       size_t clen)
{
	if (!pkce_valid_verifier(verifier, vlen))
		return 0;
	if (strcmp(method, "plain") == 0)
		return ct_equal(verifier, vlen, challenge, clen);
	char want[PKCE_CHALLENGE_LEN + 1];
	pkce_s256(verifier, vlen, want);
	return ct_equal(want, PKCE_CHALLENGE_LEN, challenge, clen);
}
