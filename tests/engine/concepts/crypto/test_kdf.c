/*
 * Unit tests of hmac.c, kdf.c and scrypt.c: RFC 4231 (HMAC-SHA-256),
 * RFC 6070 and RFC 7914 section 11 (PBKDF2), RFC 7914 section 12 (scrypt),
 * RFC 5869 A.1 (HKDF), and seeded inputs against Python's hmac, hashlib and
 * pyca/cryptography (data/generated_hmac.tsv, data/generated_kdf.tsv).
 * The two slow RFC cases (16,777,216 iterations; 1 GiB of scrypt) are in
 * test_kdf_slow.c.
 */
#include "unit.h"
#include "kdfvec.h"
#include "vecgen.h"
#include "engine/concepts/crypto/hmac.h"
#include "engine/concepts/crypto/kdf.h"
#include "engine/concepts/crypto/scrypt.h"

#define DATA "tests/engine/concepts/crypto/data/"

static const char *const algs[] = {"md5", "sha1", "sha256", "sha384", "sha512"};

/* RFC 4231 section 4, cases 1-7 (case 5: the first 128 bits). */
static void t_rfc4231(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "hmac_sha256_rfc4231.tsv") == 0);
	int cases = 0;
	while (vec_next(&v) == 4) {
		unsigned char key[256], msg[256], mac[32];
		long kl = vec_unhex(v.f[1], key, sizeof key), ml = vec_unhex(v.f[2], msg, sizeof msg);
		CHECK(kl >= 0 && ml >= 0);
		hmac(hashfn_find("sha256"), key, (size_t)kl, msg, (size_t)ml, mac);
		char hex[65];
		vec_tohex(mac, strlen(v.f[3]) / 2, hex);
		CHECK_STR(hex, v.f[3]);
		cases++;
	}
	vec_close(&v);
	CHECK_INT(cases, 7);
}

/* HMAC with every hash, messages of 0..300 bytes and one of 1 MiB, keys of
 * 0..259 bytes (shorter than, equal to and longer than a block). */
static void t_hmac_generated(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "generated_hmac.tsv") == 0);
	int cases = 0;
	while (vec_next(&v) == 9) {
		size_t n = strtoul(v.f[0], NULL, 10), kl = strtoul(v.f[2], NULL, 10);
		unsigned char *m = vec_message(strtoull(v.f[1], NULL, 10), n);
		unsigned char *k = vec_message(strtoull(v.f[3], NULL, 10), kl);
		for (int a = 0; a < 5; a++) {
			const struct hashfn *h = hashfn_find(algs[a]);
			unsigned char mac[HASHFN_MAX_SIZE];
			char hex[2 * HASHFN_MAX_SIZE + 1];
			hmac(h, k, kl, m, n, mac);
			vec_tohex(mac, h->size, hex);
			if (strcmp(hex, v.f[4 + a]) != 0)
				printf("    hmac-%s, message %zu bytes, key %zu bytes\n", algs[a], n, kl);
			CHECK_STR(hex, v.f[4 + a]);
			cases++;
		}
		free(m);
		free(k);
	}
	vec_close(&v);
	CHECK_INT(cases, 302 * 5);
}

/* Runs the PBKDF2 cases of PATH with hash ALG, except those of more than
 * MAX_IT iterations; returns how many matched (-1 on a mismatch). */
static int pbkdf2_file(const char *path, const char *alg, unsigned long long max_it)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	struct kdfcase c;
	int ok = 0;
	while (kdf_next(f, &c)) {
		if (c.iterations > max_it)
			continue;
		unsigned char dk[128];
		char hex[257];
		if (pbkdf2(hashfn_find(alg), c.password, c.plen, c.salt, c.slen, c.iterations, dk,
			   c.length) != 0)
			return -1;
		vec_tohex(dk, c.length, hex);
		if (strcmp(hex, c.dk) != 0) {
			printf("    %s case %d: got %s\n    want %s\n", path, c.count, hex, c.dk);
			fclose(f);
			return -1;
		}
		ok++;
	}
	fclose(f);
	return ok;
}

static void t_rfc6070(void)
{
	/* 5 of 6: case 3 (16,777,216 iterations) is in test_kdf_slow.c */
	CHECK_INT(pbkdf2_file(DATA "pbkdf2_rfc6070_sha1.txt", "sha1", 100000), 5);
}

static void t_rfc7914_pbkdf2(void)
{
	CHECK_INT(pbkdf2_file(DATA "pbkdf2_sha256_rfc7914.txt", "sha256", 100000), 2);
}

static void t_rfc7914_scrypt(void)
{
	FILE *f = fopen(DATA "scrypt_rfc7914.txt", "r");
	CHECK(f);
	struct kdfcase c;
	int ok = 0;
	while (kdf_next(f, &c)) {
		if (c.n > 16384)
			continue;                 /* case 3 (1 GiB): test_kdf_slow.c */
		unsigned char dk[64];
		char hex[129];
		CHECK(scrypt(c.password, c.plen, c.salt, c.slen, c.n, (uint32_t)c.r, (uint32_t)c.p,
			     dk, c.length) == SCRYPT_OK);
		vec_tohex(dk, c.length, hex);
		CHECK_STR(hex, c.dk);
		ok++;
	}
	fclose(f);
	CHECK_INT(ok, 3);
}

/* RFC 7914 section 8: the Salsa20/8 core's example. */
static void t_salsa208(void)
{
	unsigned char in[64], want[64], got[64];
	vec_unhex("7e879a214f3ec9867ca940e641718f26baee555b8c61c1b50df846116dcd3b1d"
		  "ee24f319df9b3d8514121e4b5ac5aa3276021d2909c74829edebc68db8b8c25e",
		  in, 64);
	vec_unhex("a41f859c6608cc993b81cacb020cef05044b2181a2fd337dfd7b1c6396682f29"
		  "b4393168e3c9e6bcfe6bc5b7a06d96bae424cc102c91745c24ad673dc7618f81",
		  want, 64);
	uint32_t b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (uint32_t)in[4 * i] | (uint32_t)in[4 * i + 1] << 8 |
		       (uint32_t)in[4 * i + 2] << 16 | (uint32_t)in[4 * i + 3] << 24;
	scrypt_salsa208(b);
	for (int i = 0; i < 16; i++)
		for (int k = 0; k < 4; k++)
			got[4 * i + k] = (unsigned char)(b[i] >> (8 * k));
	CHECK(memcmp(got, want, 64) == 0);
}

static void t_scrypt_params(void)
{
	unsigned char dk[16];
	CHECK(scrypt("p", 1, "s", 1, 3, 1, 1, dk, 16) == SCRYPT_EPARAM);   /* not a power of 2 */
	CHECK(scrypt("p", 1, "s", 1, 1, 1, 1, dk, 16) == SCRYPT_EPARAM);   /* N = 1 */
	CHECK(scrypt("p", 1, "s", 1, 16, 0, 1, dk, 16) == SCRYPT_EPARAM);  /* r = 0 */
	CHECK(scrypt("p", 1, "s", 1, 16, 1, 0, dk, 16) == SCRYPT_EPARAM);  /* p = 0 */
	CHECK(scrypt("p", 1, "s", 1, 1 << 16, 1, 1, dk, 16) == SCRYPT_EPARAM); /* N >= 2^(16r) */
	CHECK(scrypt("p", 1, "s", 1, 1 << 15, 1, 1, dk, 16) == SCRYPT_OK);
}

/* RFC 5869 appendix A.1 (HKDF-SHA-256, basic case). */
static void t_rfc5869(void)
{
	unsigned char ikm[22], salt[13], info[10], prk[32], okm[42];
	char hex[85];
	memset(ikm, 0x0b, sizeof ikm);
	for (int i = 0; i < 13; i++)
		salt[i] = (unsigned char)i;
	for (int i = 0; i < 10; i++)
		info[i] = (unsigned char)(0xf0 + i);
	const struct hashfn *h = hashfn_find("sha256");
	hkdf_extract(h, salt, 13, ikm, 22, prk);
	vec_tohex(prk, 32, hex);
	CHECK_STR(hex, "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
	CHECK(hkdf_expand(h, prk, 32, info, 10, okm, 42) == 0);
	vec_tohex(okm, 42, hex);
	CHECK_STR(hex, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
		       "34007208d5b887185865");
	CHECK(hkdf_expand(h, prk, 32, info, 10, okm, 255 * 32 + 1) == -1);
}

/* PBKDF2 (60), scrypt (20) and HKDF (30) on seeded inputs. */
static void t_kdf_generated(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "generated_kdf.tsv") == 0);
	int pb = 0, sc = 0, hk = 0;
	int n;
	while ((n = vec_next(&v)) > 0) {
		unsigned long long x[9];
		for (int i = 1; i < n - 1; i++)
			x[i] = strtoull(v.f[i], NULL, 10);
		const char *want = v.f[n - 1];
		size_t dklen = strlen(want) / 2;
		unsigned char *dk = malloc(dklen);
		char *hex = malloc(2 * dklen + 1);
		if (strcmp(v.f[0], "pbkdf2") == 0) {
			unsigned char *p = vec_message(x[3], x[2]), *s = vec_message(x[5], x[4]);
			CHECK(pbkdf2(hashfn_find(v.f[1]), p, x[2], s, x[4], x[6], dk, dklen) == 0);
			free(p), free(s), pb++;
		} else if (strcmp(v.f[0], "scrypt") == 0) {
			unsigned char *p = vec_message(x[5], x[4]), *s = vec_message(x[7], x[6]);
			CHECK(scrypt(p, x[4], s, x[6], x[1], (uint32_t)x[2], (uint32_t)x[3], dk,
				     dklen) == SCRYPT_OK);
			free(p), free(s), sc++;
		} else {
			const struct hashfn *h = hashfn_find(v.f[1]);
			unsigned char *i = vec_message(x[3], x[2]), *s = vec_message(x[5], x[4]);
			unsigned char *f = vec_message(x[7], x[6]), prk[HASHFN_MAX_SIZE];
			hkdf_extract(h, s, x[4], i, x[2], prk);
			CHECK(hkdf_expand(h, prk, h->size, f, x[6], dk, dklen) == 0);
			free(i), free(s), free(f), hk++;
		}
		vec_tohex(dk, dklen, hex);
		if (strcmp(hex, want) != 0)
			printf("    %s %s\n", v.f[0], v.f[1]);
		CHECK_STR(hex, want);
		free(dk);
		free(hex);
	}
	vec_close(&v);
	CHECK(pb == 60 && sc == 20 && hk == 30);
}

static void t_pbkdf2_args(void)
{
	unsigned char dk[4];
	CHECK(pbkdf2(hashfn_find("sha1"), "p", 1, "s", 1, 0, dk, 4) == -1);
	CHECK(pbkdf2(hashfn_find("sha1"), "p", 1, "s", 1, 1, dk, 0) == -1);
}

static const struct test tests[] = {
	{"hmac/rfc4231", t_rfc4231},
	{"hmac/generated_all_hashes", t_hmac_generated},
	{"pbkdf2/rfc6070", t_rfc6070},
	{"pbkdf2/rfc7914", t_rfc7914_pbkdf2},
	{"pbkdf2/arguments", t_pbkdf2_args},
	{"scrypt/salsa20_8", t_salsa208},
	{"scrypt/rfc7914", t_rfc7914_scrypt},
	{"scrypt/parameters", t_scrypt_params},
	{"hkdf/rfc5869_a1", t_rfc5869},
	{"kdf/generated", t_kdf_generated},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
