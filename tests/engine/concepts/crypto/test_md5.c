/* Unit tests of engine/concepts/crypto/md5.c against RFC 1321 appendix A.5. */
#include "unit.h"
#include "engine/concepts/crypto/md5.h"

#define VECTORS "tests/engine/concepts/crypto/data/md5_rfc1321.rsp"

static int unhex(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;
	for (; s[0] && s[1] && s[0] != '\n'; s += 2) {
		unsigned v;
		if (n == max || sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (unsigned char)v;
	}
	return (int)n;
}

static void tohex(const unsigned char *d, char *out)
{
	for (int i = 0; i < MD5_DIGEST_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* The seven RFC 1321 A.5 messages, from the .rsp file (Len in bits, Msg, MD). */
static void t_rfc1321(void)
{
	FILE *f = fopen(VECTORS, "r");
	CHECK(f);
	char line[512];
	unsigned char msg[256];
	long bits = -1;
	int mlen = -1, cases = 0;
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "Len = %ld", &bits) == 1)
			continue;
		if (strncmp(line, "Msg = ", 6) == 0) {
			mlen = unhex(line + 6, msg, sizeof msg);
			continue;
		}
		if (strncmp(line, "MD = ", 5) == 0) {
			CHECK(bits >= 0 && mlen >= 0);
			unsigned char d[MD5_DIGEST_LEN];
			char hex[33];
			md5_digest(msg, (size_t)bits / 8, d); /* Len 0 has Msg = 00 */
			tohex(d, hex);
			line[5 + 32] = '\0';
			CHECK_STR(hex, line + 5);
			cases++;
		}
	}
	fclose(f);
	CHECK_INT(cases, 7);
}

/* Feeding the message in pieces of every size gives the same digest,
 * including across the 55/56/64-byte padding boundaries. */
static void t_incremental(void)
{
	unsigned char msg[300];
	for (int i = 0; i < 300; i++)
		msg[i] = (unsigned char)(i * 7 + 3);
	for (size_t len = 0; len <= 300; len += (len < 130 ? 1 : 17)) {
		unsigned char want[MD5_DIGEST_LEN], got[MD5_DIGEST_LEN];
		md5_digest(msg, len, want);
		for (size_t piece = 1; piece <= 70; piece += 3) {
			struct md5_ctx c;
			md5_init(&c);
			for (size_t off = 0; off < len; off += piece)
				md5_update(&c, msg + off, len - off < piece ? len - off : piece);
			md5_final(&c, got);
			CHECK(memcmp(got, want, MD5_DIGEST_LEN) == 0);
		}
	}
}

/* A million 'a's: a well-known value (used by many MD5 test suites). */
static void t_million_a(void)
{
	struct md5_ctx c;
	unsigned char block[1000], d[MD5_DIGEST_LEN];
	char hex[33];
	memset(block, 'a', sizeof block);
	md5_init(&c);
	for (int i = 0; i < 1000; i++)
		md5_update(&c, block, sizeof block);
	md5_final(&c, d);
	tohex(d, hex);
	CHECK_STR(hex, "7707d6ae4e027c70eea2a935c2296f21");
}

static const struct test tests[] = {
	{"md5/rfc1321_a5", t_rfc1321},
	{"md5/incremental", t_incremental},
	{"md5/million_a", t_million_a},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
