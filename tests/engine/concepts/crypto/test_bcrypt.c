/*
 * Unit tests of bcrypt.c: the pyca/bcrypt vectors (OpenBSD's and openwall's
 * among them; $2a$, $2b$, $2y$), and 40 seeded passwords (0..89 bytes, so
 * across the 72-byte limit) against crypt(3) from libxcrypt
 * (data/generated_bcrypt.tsv).
 */
#include "unit.h"
#include "vecgen.h"
#include "engine/concepts/crypto/bcrypt.h"

#define DATA "tests/engine/concepts/crypto/data/"

static void t_pyca(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "bcrypt_pyca.tsv") == 0);
	int cases = 0;
	while (vec_next(&v) == 3) {
		char pw[256], out[BCRYPT_HASH_LEN + 1];
		long n = vec_unhex(v.f[0], (unsigned char *)pw, sizeof pw);
		CHECK(n >= 0 && strlen(v.f[1]) == 29);
		unsigned char salt[BCRYPT_SALT_LEN];
		CHECK(bcrypt_decode_salt(v.f[1] + 7, salt) == 0);
		int cost = atoi(v.f[1] + 4);
		CHECK(bcrypt_hash(pw, (size_t)n, cost, salt, v.f[1][2], out) == BCRYPT_OK);
		CHECK_STR(out, v.f[2]);
		int ok = 0;
		CHECK(bcrypt_check(pw, (size_t)n, v.f[2], 60, &ok) == BCRYPT_OK && ok);
		cases++;
	}
	vec_close(&v);
	CHECK_INT(cases, 26);
}

static void t_generated(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "generated_bcrypt.tsv") == 0);
	int cases = 0;
	while (vec_next(&v) == 5) {
		int cost = atoi(v.f[0]);
		size_t plen = strtoul(v.f[1], NULL, 10);
		char *pw = vec_printable(strtoull(v.f[2], NULL, 10), plen);
		unsigned char *salt = vec_message(strtoull(v.f[3], NULL, 10), 16);
		char out[BCRYPT_HASH_LEN + 1];
		enum bcrypt_err e = bcrypt_hash(pw, plen, cost, salt, 'b', out);
		int ok = 0;
		bcrypt_check(pw, plen, v.f[4], strlen(v.f[4]), &ok);
		free(pw);
		free(salt);
		CHECK(e == BCRYPT_OK);
		CHECK_STR(out, v.f[4]);
		CHECK(ok);
		cases++;
	}
	vec_close(&v);
	CHECK_INT(cases, 40);
}

/* Only 72 bytes count: a 73rd byte changes nothing, a 72nd does. */
static void t_72_bytes(void)
{
	char pw[100], a[61], b[61];
	unsigned char salt[16] = {1, 2, 3};
	memset(pw, 'x', sizeof pw);
	CHECK(bcrypt_hash(pw, 72, 4, salt, 'b', a) == BCRYPT_OK);
	CHECK(bcrypt_hash(pw, 90, 4, salt, 'b', b) == BCRYPT_OK);
	CHECK_STR(a, b);
	CHECK(bcrypt_hash(pw, 71, 4, salt, 'b', b) == BCRYPT_OK);
	CHECK(strcmp(a, b) != 0);
}

static void t_errors(void)
{
	unsigned char salt[16] = {0};
	char out[61];
	int ok = 1;
	CHECK(bcrypt_hash("pw", 2, 3, salt, 'b', out) == BCRYPT_ECOST);
	CHECK(bcrypt_hash("pw", 2, 32, salt, 'b', out) == BCRYPT_ECOST);
	CHECK(bcrypt_hash("p\0w", 3, 4, salt, 'b', out) == BCRYPT_ENUL);
	CHECK(bcrypt_check("pw", 2, "$2b$04$short", 12, &ok) == BCRYPT_EFORMAT && !ok);
	CHECK(bcrypt_check("pw", 2, "$2x$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm",
			   60, &ok) == BCRYPT_EFORMAT);
	CHECK(bcrypt_check("pw", 2, "$2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YE!",
			   60, &ok) == BCRYPT_EFORMAT);
	CHECK(bcrypt_hash("pw", 2, 4, salt, 'b', out) == BCRYPT_OK);
	CHECK(bcrypt_check("pw", 2, out, 60, &ok) == BCRYPT_OK && ok);
	CHECK(bcrypt_check("pW", 2, out, 60, &ok) == BCRYPT_OK && !ok);
	unsigned char bad[16];
	CHECK(bcrypt_decode_salt("cVWp4XaNU8a4v1uMRum2S!", bad) == -1);
}

static const struct test tests[] = {
	{"bcrypt/pyca_vectors", t_pyca},
	{"bcrypt/generated_vs_libxcrypt", t_generated},
	{"bcrypt/72_bytes", t_72_bytes},
	{"bcrypt/errors", t_errors},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
