/*
 * The two expensive RFC vectors, in a program of their own: PBKDF2-HMAC-
 * SHA1 with 16,777,216 iterations (RFC 6070, case 3; about 10 s) and scrypt
 * with N = 2^20, r = 8 (RFC 7914 section 12, case 3; 1 GiB of memory, a few
 * seconds).
 */
#include "unit.h"
#include "kdfvec.h"
#include "vecgen.h"
#include "engine/concepts/crypto/kdf.h"
#include "engine/concepts/crypto/scrypt.h"

#define DATA "tests/engine/concepts/crypto/data/"

static void t_rfc6070_case3(void)
{
	FILE *f = fopen(DATA "pbkdf2_rfc6070_sha1.txt", "r");
	CHECK(f);
	struct kdfcase c;
	int found = 0;
	while (kdf_next(f, &c)) {
		if (c.iterations != 16777216)
			continue;
		unsigned char dk[20];
		char hex[41];
		CHECK(pbkdf2(hashfn_find("sha1"), c.password, c.plen, c.salt, c.slen, c.iterations,
			     dk, c.length) == 0);
		vec_tohex(dk, c.length, hex);
		CHECK_STR(hex, c.dk);
		found++;
	}
	fclose(f);
	CHECK_INT(found, 1);
}

static void t_scrypt_case3(void)
{
	FILE *f = fopen(DATA "scrypt_rfc7914.txt", "r");
	CHECK(f);
	struct kdfcase c;
	int found = 0;
	while (kdf_next(f, &c)) {
		if (c.n != 1048576)
			continue;
		unsigned char dk[64];
		char hex[129];
		CHECK(scrypt(c.password, c.plen, c.salt, c.slen, c.n, (uint32_t)c.r, (uint32_t)c.p,
			     dk, c.length) == SCRYPT_OK);
		vec_tohex(dk, c.length, hex);
		CHECK_STR(hex, c.dk);
		found++;
	}
	fclose(f);
	CHECK_INT(found, 1);
}

static const struct test tests[] = {
	{"pbkdf2/rfc6070_case3_16777216_iterations", t_rfc6070_case3},
	{"scrypt/rfc7914_case3_1gib", t_scrypt_case3},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
