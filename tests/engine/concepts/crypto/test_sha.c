/*
 * Unit tests of the hash functions (sha1.c, sha256.c, sha512.c, md5.c via
 * hashfn.c): FIPS 180 examples, NIST CAVS SHA-256 ShortMsg, and every length
 * 0..300 plus three messages of about 1 MB against Python's hashlib
 * (data/generated_hashes.tsv, made by gen_vectors.py).
 */
#include "unit.h"
#include "vecgen.h"
#include "engine/concepts/crypto/hashfn.h"

#define DATA "tests/engine/concepts/crypto/data/"

static const char *const algs[] = {"md5", "sha1", "sha256", "sha384", "sha512"};

static void hexdigest(const char *alg, const void *p, size_t n, char *hex)
{
	const struct hashfn *h = hashfn_find(alg);
	unsigned char d[HASHFN_MAX_SIZE];
	hashfn_digest(h, p, n, d);
	vec_tohex(d, h->size, hex);
}

/* FIPS 180-2/180-4 worked examples: "abc", the 448-bit message, a million a's. */
static void t_fips_examples(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "sha_fips180_examples.tsv") == 0);
	int cases = 0;
	while (vec_next(&v) == 3) {
		const char *alg = strcmp(v.f[0], "SHA1") == 0 ? "sha1" : "sha256";
		char hex[2 * HASHFN_MAX_SIZE + 1];
		if (strcmp(v.f[1], "a*1000000") == 0) {
			char *m = malloc(1000000);
			memset(m, 'a', 1000000);
			hexdigest(alg, m, 1000000, hex);
			free(m);
		} else {
			hexdigest(alg, v.f[1], strlen(v.f[1]), hex);
		}
		CHECK_STR(hex, v.f[2]);
		cases++;
	}
	vec_close(&v);
	CHECK_INT(cases, 6);
}

/* NIST CAVS 21.3 SHA-256 ShortMsg: 0..64 bytes, across the padding boundary. */
static void t_cavs_sha256(void)
{
	FILE *f = fopen(DATA "sha256_cavs_shortmsg.rsp", "r");
	CHECK(f);
	char line[1024], hex[65];
	unsigned char msg[256];
	long bits = -1, mlen = -1;
	int cases = 0;
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "Len = %ld", &bits) == 1)
			continue;
		if (strncmp(line, "Msg = ", 6) == 0)
			mlen = vec_unhex(line + 6, msg, sizeof msg);
		if (strncmp(line, "MD = ", 5) == 0) {
			CHECK(bits >= 0 && mlen >= 0);
			hexdigest("sha256", msg, (size_t)bits / 8, hex);
			line[5 + 64] = '\0';
			CHECK_STR(hex, line + 5);
			cases++;
		}
	}
	fclose(f);
	CHECK_INT(cases, 65);
}

/* Every length 0..300 (block boundaries 55, 56, 64, 111, 112, 128...) and
 * three of about 1 MB, for all five functions, against hashlib. */
static void t_generated(void)
{
	struct vecfile v;
	CHECK(vec_open(&v, DATA "generated_hashes.tsv") == 0);
	int cases = 0;
	while (vec_next(&v) == 7) {
		size_t n = strtoul(v.f[0], NULL, 10);
		unsigned char *m = vec_message(strtoull(v.f[1], NULL, 10), n);
		for (int a = 0; a < 5; a++) {
			char hex[2 * HASHFN_MAX_SIZE + 1];
			hexdigest(algs[a], m, n, hex);
			if (strcmp(hex, v.f[2 + a]) != 0) {
				printf("    %s of %zu bytes\n", algs[a], n);
				free(m);
				CHECK_STR(hex, v.f[2 + a]);
			}
			cases++;
		}
		free(m);
	}
	vec_close(&v);
	CHECK_INT(cases, 304 * 5);
}

/* Fed in pieces of every size from 1 to 150 bytes, each function gives
 * the digest of the whole message. */
static void t_incremental(void)
{
	unsigned char *m = vec_message(42, 700);
	for (int a = 0; a < 5; a++) {
		const struct hashfn *h = hashfn_find(algs[a]);
		for (size_t len = 0; len <= 700; len += len < 260 ? 1 : 37) {
			unsigned char want[HASHFN_MAX_SIZE], got[HASHFN_MAX_SIZE];
			hashfn_digest(h, m, len, want);
			for (size_t piece = 1; piece <= 150; piece += 7) {
				union hashfn_ctx c;
				h->init(&c);
				for (size_t off = 0; off < len; off += piece)
					h->update(&c, m + off, len - off < piece ? len - off : piece);
				h->final(&c, got);
				CHECK(memcmp(got, want, h->size) == 0);
			}
		}
	}
	free(m);
}

static void t_lookup(void)
{
	CHECK(hashfn_find("sha256")->size == 32 && hashfn_find("sha256")->block == 64);
	CHECK(hashfn_find("sha384")->size == 48 && hashfn_find("sha384")->block == 128);
	CHECK(hashfn_find("SHA256") == NULL);
	CHECK(hashfn_find("sha3") == NULL);
}

static const struct test tests[] = {
	{"sha/fips180_examples", t_fips_examples},
	{"sha/cavs_sha256_shortmsg", t_cavs_sha256},
	{"sha/generated_0_300_and_1mb", t_generated},
	{"sha/incremental", t_incremental},
	{"sha/lookup", t_lookup},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
