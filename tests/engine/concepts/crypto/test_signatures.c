/*
 * Unit tests of bn.c, rsa.c and ecdsa.c against signatures made by
 * pyca/cryptography (data/generated_signatures.tsv): RSA PKCS #1 v1.5 with
 * SHA-256 at 1024..4096 bits (verify, and re-sign byte for byte: the scheme
 * is deterministic), ECDSA on P-256 and P-521 (verify); every one tampered
 * (message, signature, key) must fail. The JWS vectors of RFC 7515/7520 are
 * in tests/engine/concepts/jwt/.
 */
#include "unit.h"
#include "vecgen.h"
#include "engine/concepts/crypto/ecdsa.h"
#include "engine/concepts/crypto/hashfn.h"
#include "engine/concepts/crypto/rsa.h"

#define DATA "tests/engine/concepts/crypto/data/"

static void t_rsa(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "generated_signatures.tsv") == 0);
	int cases = 0;
	while (vec_next(&v) > 0) {
		if (strcmp(v.f[0], "rsa") != 0)
			continue;
		unsigned char n[512], e[8], d[512], sig[512], again[512], h[32];
		long nl = vec_unhex(v.f[1], n, sizeof n), sl = vec_unhex(v.f[6], sig, sizeof sig);
		long dl = vec_unhex(v.f[3], d, sizeof d);
		char ehex[20];
		snprintf(ehex, sizeof ehex, "%s%s", strlen(v.f[2]) % 2 ? "0" : "", v.f[2]);
		long el = vec_unhex(ehex, e, sizeof e);
		size_t mlen = strtoul(v.f[4], NULL, 10);
		unsigned char *m = vec_message(strtoull(v.f[5], NULL, 10), mlen);
		hashfn_digest(hashfn_find("sha256"), m, mlen, h);
		free(m);
		CHECK(nl > 0 && sl > 0 && dl > 0 && el > 0);
		CHECK(rsa_verify_sha256(n, (size_t)nl, e, (size_t)el, h, sig, (size_t)sl) == 1);
		size_t alen = sizeof again;
		CHECK(rsa_sign_sha256(n, (size_t)nl, d, (size_t)dl, h, again, &alen) == 0);
		CHECK(alen == (size_t)sl && memcmp(again, sig, alen) == 0);
		/* tampered: hash, signature, modulus */
		h[3] ^= 1;
		CHECK(rsa_verify_sha256(n, (size_t)nl, e, (size_t)el, h, sig, (size_t)sl) == 0);
		h[3] ^= 1;
		sig[sl - 1] ^= 0x80;
		CHECK(rsa_verify_sha256(n, (size_t)nl, e, (size_t)el, h, sig, (size_t)sl) == 0);
		sig[sl - 1] ^= 0x80;
		CHECK(rsa_verify_sha256(n, (size_t)nl, e, (size_t)el, h, sig, (size_t)sl - 1) == 0);
		n[nl / 2] ^= 4;
		CHECK(rsa_verify_sha256(n, (size_t)nl, e, (size_t)el, h, sig, (size_t)sl) == 0);
		cases++;
	}
	vec_close(&v);
	CHECK_INT(cases, 6);
}

static void t_ecdsa(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "generated_signatures.tsv") == 0);
	int cases = 0;
	while (vec_next(&v) > 0) {
		if (strcmp(v.f[0], "ecdsa") != 0)
			continue;
		enum ecdsa_curve c = strcmp(v.f[1], "p256") == 0 ? ECDSA_P256 : ECDSA_P521;
		size_t sz = ecdsa_size(c);
		unsigned char x[66], y[66], r[66], s[66], h[64];
		CHECK(vec_unhex(v.f[2], x, sz) == (long)sz && vec_unhex(v.f[3], y, sz) == (long)sz);
		CHECK(vec_unhex(v.f[6], r, sz) == (long)sz && vec_unhex(v.f[7], s, sz) == (long)sz);
		size_t mlen = strtoul(v.f[4], NULL, 10);
		unsigned char *m = vec_message(strtoull(v.f[5], NULL, 10), mlen);
		const struct hashfn *hf = hashfn_find(c == ECDSA_P256 ? "sha256" : "sha512");
		hashfn_digest(hf, m, mlen, h);
		free(m);
		CHECK(ecdsa_verify(c, x, y, h, hf->size, r, s) == 1);
		h[0] ^= 1;
		CHECK(ecdsa_verify(c, x, y, h, hf->size, r, s) == 0);
		h[0] ^= 1;
		s[sz - 1] ^= 1;
		CHECK(ecdsa_verify(c, x, y, h, hf->size, r, s) == 0);
		s[sz - 1] ^= 1;
		y[sz - 1] ^= 1;                               /* not on the curve */
		CHECK(ecdsa_verify(c, x, y, h, hf->size, r, s) == 0);
		y[sz - 1] ^= 1;
		unsigned char zero[66] = {0};
		CHECK(ecdsa_verify(c, x, y, h, hf->size, zero, s) == 0);   /* r = 0 */
		cases++;
	}
	vec_close(&v);
	CHECK_INT(cases, 12);
}

static const struct test tests[] = {
	{"rsa/pkcs1v15_sha256_vs_pyca", t_rsa},
	{"ecdsa/p256_p521_vs_pyca", t_ecdsa},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
