/*
 * Unit tests of base64.c and ct.c: RFC 4648 section 10, every length 0..300
 * against Python's base64 (data/generated_base64.tsv) both ways, and the
 * strict decoder's refusals.
 */
#include "unit.h"
#include "vecgen.h"
#include "engine/concepts/crypto/base64.h"
#include "engine/concepts/crypto/ct.h"

#define DATA "tests/engine/concepts/crypto/data/"

static int roundtrip(const unsigned char *m, size_t n, int alpha, int pad, const char *want)
{
	char *enc = malloc(base64_encoded_len(n, pad) + 1);
	base64_encode(m, n, alpha, pad, enc);
	int ok = strcmp(enc, want) == 0;
	if (!ok)
		printf("    %zu bytes: got %s\n    want %s\n", n, enc, want);
	unsigned char *dec = malloc(n + 3);
	size_t dlen = 0, where;
	ok = ok && base64_decode(want, strlen(want), alpha, dec, &dlen, &where) == 0 &&
	     dlen == n && memcmp(dec, m, n) == 0;
	free(enc);
	free(dec);
	return ok;
}

static void t_rfc4648(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "base_rfc4648.tsv") == 0);
	int cases = 0;
	while (vec_next(&v) >= 2) {
		const char *in = strcmp(v.f[1], "<empty>") == 0 ? "" : v.f[0];
		const char *want = strcmp(v.f[1], "<empty>") == 0 ? "" : v.f[1];
		CHECK(roundtrip((const unsigned char *)in, strlen(in), BASE64_STD, 1, want));
		cases++;
	}
	vec_close(&v);
	CHECK_INT(cases, 7);
}

static void t_generated(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "generated_base64.tsv") == 0);
	int cases = 0;
	while (vec_next(&v) == 4) {
		size_t n = strtoul(v.f[0], NULL, 10);
		unsigned char *m = vec_message(strtoull(v.f[1], NULL, 10), n);
		const char *std = strcmp(v.f[2], "-") ? v.f[2] : "";
		const char *url = strcmp(v.f[3], "-") ? v.f[3] : "";
		int ok = roundtrip(m, n, BASE64_STD, 1, std) && roundtrip(m, n, BASE64_URL, 0, url);
		free(m);
		CHECK(ok);
		cases++;
	}
	vec_close(&v);
	CHECK_INT(cases, 301);
}

static int rejects(const char *s, int alpha, size_t at)
{
	unsigned char out[64];
	size_t n, where = 99;
	return base64_decode(s, strlen(s), alpha, out, &n, &where) == -1 && where == at;
}

static void t_strict(void)
{
	CHECK(rejects("Zg=", BASE64_STD, 2));          /* incomplete padding */
	CHECK(rejects("Zg===", BASE64_STD, 2));        /* too much */
	CHECK(rejects("Z", BASE64_STD, 0));            /* 6 bits */
	CHECK(rejects("Zh==", BASE64_STD, 1));         /* non-zero unused bits */
	CHECK(rejects("Zm 9v", BASE64_STD, 2));        /* whitespace */
	CHECK(rejects("Zm9v+", BASE64_URL, 4));        /* '+' is not base64url */
	CHECK(rejects("Zm=v", BASE64_STD, 2));         /* padding inside */
	unsigned char out[8];
	size_t n, where;
	CHECK(base64_decode("Zm8", 3, BASE64_STD, out, &n, &where) == 0 && n == 2); /* unpadded */
	CHECK(base64_decode("Zm8=", 4, BASE64_URL, out, &n, &where) == 0 && n == 2);
}

static void t_ct_equal(void)
{
	CHECK(ct_equal("abc", 3, "abc", 3));
	CHECK(!ct_equal("abc", 3, "abd", 3));
	CHECK(!ct_equal("abc", 3, "ab", 2));
	CHECK(!ct_equal("ab", 2, "abc", 3));
	CHECK(ct_equal("", 0, "", 0));
	CHECK(!ct_equal("a", 1, "", 0));
	CHECK(!ct_equal("", 0, "a", 1));
	CHECK(!ct_equal("a\0b", 3, "a\0c", 3));
}

static const struct test tests[] = {
	{"base64/rfc4648", t_rfc4648},
	{"base64/generated_0_300", t_generated},
	{"base64/strict_decoding", t_strict},
	{"ct/equal", t_ct_equal},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
