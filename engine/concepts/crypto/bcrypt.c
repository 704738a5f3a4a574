/*
 * bcrypt.c — Blowfish (Schneier 1993), the expensive key schedule
 * EksBlowfishSetup and bcrypt itself, as in Provos and Mazières (1999)
 * section 5 and OpenBSD's bcrypt.c (the $2b$ rules: the key is the password
 * with its terminating NUL, at most 72 bytes used).
 *
 *   bcrypt(cost, salt, key):
 *     state = EksBlowfishSetup(cost, salt, key)
 *     ctext = "OrpheanBeholderScryDoubt"
 *     repeat 64: ctext = EncryptECB(state, ctext)
 *     return cost || salt || ctext (23 of its 24 bytes)
 */
#include "engine/concepts/crypto/bcrypt.h"
#include "engine/base/budget.h"

#include <string.h>

struct bf {
	uint32_t p[18];
	uint32_t s[4][256];
};

static uint32_t f(const struct bf *b, uint32_t x)
{
	return ((b->s[0][x >> 24] + b->s[1][(x >> 16) & 0xff]) ^ b->s[2][(x >> 8) & 0xff]) +
	       b->s[3][x & 0xff];
}

static void encipher(const struct bf *b, uint32_t *xl, uint32_t *xr)
{
	uint32_t l = *xl, r = *xr;
	for (int i = 0; i < 16; i += 2) {
		l ^= b->p[i];
		r ^= f(b, l);
		r ^= b->p[i + 1];
		l ^= f(b, r);
	}
	*xl = r ^ b->p[17];
	*xr = l ^ b->p[16];
}

/* The next 4 bytes of DATA (LEN bytes, read cyclically from *POS) as a
 * big-endian word. */
static uint32_t stream_word(const unsigned char *data, size_t len, size_t *pos)
{
	uint32_t w = 0;
	for (int i = 0; i < 4; i++) {
		w = w << 8 | data[*pos];
		*pos = (*pos + 1) % len;
	}
	return w;
}

/*
 * ExpandKey(state, salt, key): XOR the key into P, then replace P and the
 * S-boxes by successive encryptions of the running block, each first XORed
 * with the next 8 bytes of the salt (SALT NULL: the zero salt).
 */
static void expand(struct bf *b, const unsigned char *salt, size_t slen,
		   const unsigned char *key, size_t klen)
{
	size_t kp = 0, sp = 0;
	for (int i = 0; i < 18; i++)
		b->p[i] ^= stream_word(key, klen, &kp);
	uint32_t l = 0, r = 0;
	for (int i = 0; i < 18; i += 2) {
		if (salt) {
			l ^= stream_word(salt, slen, &sp);
			r ^= stream_word(salt, slen, &sp);
		}
		encipher(b, &l, &r);
		b->p[i] = l;
		b->p[i + 1] = r;
	}
	for (int k = 0; k < 4; k++) {
		for (int i = 0; i < 256; i += 2) {
			if (salt) {
				l ^= stream_word(salt, slen, &sp);
				r ^= stream_word(salt, slen, &sp);
			}
			encipher(b, &l, &r);
			b->s[k][i] = l;
			b->s[k][i + 1] = r;
		}
	}
}

/* EksBlowfishSetup: 2^cost rounds of re-keying with the key and the salt. */
static int eks_setup(struct bf *b, int cost, const unsigned char *salt,
		     const unsigned char *key, size_t klen)
{
	memcpy(b->p, bcrypt_pi_p, sizeof b->p);
	memcpy(b->s, bcrypt_pi_s, sizeof b->s);
	expand(b, salt, BCRYPT_SALT_LEN, key, klen);
	uint64_t rounds = (uint64_t)1 << cost;
	for (uint64_t i = 0; i < rounds; i++) {
		if ((i & 15) == 0 && budget_stop())
			return -1;
		expand(b, NULL, 0, key, klen);
		expand(b, NULL, 0, salt, BCRYPT_SALT_LEN);
	}
	return 0;
}

static const char b64[] = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* bcrypt's base64: its own alphabet, no padding, LEN bytes -> OUT. */
static void encode64(char *out, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		size_t chars = len - i >= 3 ? 4 : len - i + 1;
		for (size_t k = 0; k < chars; k++)
			*out++ = b64[(v >> (18 - 6 * k)) & 63];
	}
	*out = '\0';
}

static int index64(char c)
{
	const char *q = c ? strchr(b64, c) : NULL;
	return q ? (int)(q - b64) : -1;
}

int bcrypt_decode_salt(const char *s, unsigned char salt[BCRYPT_SALT_LEN])
{
	size_t o = 0;
	for (size_t i = 0; i < 22; i += 4) {
		uint32_t v = 0;
		size_t chars = 22 - i >= 4 ? 4 : 22 - i;
		for (size_t k = 0; k < 4; k++) {
			int d = k < chars ? index64(s[i + k]) : 0;
			if (d < 0)
				return -1;
			v = v << 6 | (uint32_t)d;
		}
		for (int k = 0; k < 3 && o < BCRYPT_SALT_LEN; k++)
			salt[o++] = (unsigned char)(v >> (16 - 8 * k));
	}
	return 0;
}

const char *bcrypt_strerror(enum bcrypt_err err)
{
	switch (err) {
	case BCRYPT_OK: return "ok";
	case BCRYPT_ECOST: return "cost must be between 4 and 31";
	case BCRYPT_ESALT: return "salt must be 16 bytes, or 22 characters of bcrypt's base64 (./A-Za-z0-9)";
	case BCRYPT_EFORMAT: return "not a bcrypt hash ($2a$, $2b$ or $2y$, a two-digit cost, $, 53 characters)";
	case BCRYPT_ENUL: return "bcrypt takes the password as a C string: it may not contain a NUL byte";
	case BCRYPT_ESTOP: return "stopped";
	}
	return "?";
}

enum bcrypt_err bcrypt_hash(const char *password, size_t plen, int cost,
			    const unsigned char salt[BCRYPT_SALT_LEN], char minor,
			    char out[BCRYPT_HASH_LEN + 1])
{
	if (cost < 4 || cost > 31)
		return BCRYPT_ECOST;
	if (memchr(password, '\0', plen))
		return BCRYPT_ENUL;
	unsigned char key[BCRYPT_MAX_PASSWORD + 1];
	size_t klen = plen > BCRYPT_MAX_PASSWORD ? BCRYPT_MAX_PASSWORD : plen;
	memcpy(key, password, klen);
	key[klen++] = '\0';                       /* the terminator is part of the key */
	struct bf *b = budget_malloc(sizeof *b);  /* 4 KiB: not on a small stack */
	if (!b)
		return BCRYPT_ESTOP;
	int stopped = eks_setup(b, cost, salt, key, klen);
	memset(key, 0, sizeof key);
	if (stopped) {
		budget_free(b);
		return BCRYPT_ESTOP;
	}
	static const char magic[] = "OrpheanBeholderScryDoubt";
	uint32_t c[6];
	size_t pos = 0;
	for (int i = 0; i < 6; i++)
		c[i] = stream_word((const unsigned char *)magic, 24, &pos);
	for (int k = 0; k < 64; k++)
		for (int i = 0; i < 6; i += 2)
			encipher(b, &c[i], &c[i + 1]);
	budget_free(b);
	unsigned char ct[24];
	for (int i = 0; i < 6; i++) {
		ct[4 * i] = (unsigned char)(c[i] >> 24);
		ct[4 * i + 1] = (unsigned char)(c[i] >> 16);
		ct[4 * i + 2] = (unsigned char)(c[i] >> 8);
		ct[4 * i + 3] = (unsigned char)c[i];
	}
	out[0] = '$', out[1] = '2', out[2] = minor, out[3] = '$';
	out[4] = (char)('0' + cost / 10), out[5] = (char)('0' + cost % 10), out[6] = '$';
	encode64(out + 7, salt, BCRYPT_SALT_LEN);   /* 22 chars */
	encode64(out + 29, ct, 23);                 /* 31 chars: the last byte is dropped */
	return BCRYPT_OK;
}

enum bcrypt_err bcrypt_check(const char *password, size_t plen, const char *hash,
			     size_t hashlen, int *ok)
{
	*ok = 0;
	if (hashlen != BCRYPT_HASH_LEN || hash[0] != '$' || hash[1] != '2' ||
	    !strchr("aby", hash[2]) || !hash[2] || hash[3] != '$' || hash[6] != '$' ||
	    hash[4] < '0' || hash[4] > '9' || hash[5] < '0' || hash[5] > '9')
		return BCRYPT_EFORMAT;
	for (int i = 7; i < BCRYPT_HASH_LEN; i++)
		if (index64(hash[i]) < 0)
			return BCRYPT_EFORMAT;
	unsigned char salt[BCRYPT_SALT_LEN];
	if (bcrypt_decode_salt(hash + 7, salt) != 0)
		return BCRYPT_EFORMAT;
	char again[BCRYPT_HASH_LEN + 1];
	enum bcrypt_err err = bcrypt_hash(password, plen, (hash[4] - '0') * 10 + hash[5] - '0',
					  salt, hash[2], again);
	if (err != BCRYPT_OK)
		return err;
	unsigned char diff = 0;                    /* constant time over the 60 chars */
	for (int i = 0; i < BCRYPT_HASH_LEN; i++)
		diff |= (unsigned char)(again[i] ^ hash[i]);
	*ok = diff == 0;
	return BCRYPT_OK;
}
