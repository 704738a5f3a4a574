/*
 * crypto_lua.c — lab.crypto: the Lua binding of the hashes, HMAC, the
 * password KDFs, base64 and constant-time comparison.
 *
 *   lab.crypto.sha256("abc")                    -> "ba7816bf..." (hex)
 *   lab.crypto.hmac("sha256", key, msg)         -> hex
 *   lab.crypto.pbkdf2("sha256", pw, salt, iterations, length)    -> hex
 *   lab.crypto.scrypt(pw, salt, N, r, p, length)                 -> hex
 *   lab.crypto.bcrypt(pw, cost, salt)           -> "$2b$..."; salt: 16 bytes or 22 chars
 *   lab.crypto.bcrypt_verify(pw, hash)          -> true / false
 *   lab.crypto.base64(s) base64url(s) base64_decode(s) base64url_decode(s)
 *   lab.crypto.hex(s) unhex(s) equal(a, b) hkdf_extract/hkdf_expand/hkdf
 *
 * Inputs (messages, keys, passwords, salts) are byte strings; digests and
 * derived keys come back as hex, as the standards print them.
 */
#include "engine/concepts/crypto/crypto_lua.h"
#include "engine/concepts/crypto/base64.h"
#include "engine/concepts/crypto/bcrypt.h"
#include "engine/concepts/crypto/ct.h"
#include "engine/concepts/crypto/hmac.h"
#include "engine/concepts/crypto/kdf.h"
#include "engine/concepts/crypto/scrypt.h"

#include <string.h>

#define MAX_DERIVED (1 << 20) /* bytes a KDF may be asked for */

const struct hashfn *crypto_checkhash(lua_State *L, int arg)
{
	const char *name = luaL_checkstring(L, arg);
	const struct hashfn *h = hashfn_find(name);
	if (!h)
		luaL_argerror(L, arg, lua_pushfstring(L, "unknown hash '%s' (one of: %s)", name,
						       hashfn_names()));
	return h;
}

void crypto_pushhex(lua_State *L, const unsigned char *p, size_t len)
{
	luaL_Buffer b;
	char *out = luaL_buffinitsize(L, &b, 2 * len);
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = "0123456789abcdef"[p[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[p[i] & 15];
	}
	luaL_pushresultsize(&b, 2 * len);
}

static int push_digest(lua_State *L, const char *name)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	const struct hashfn *h = hashfn_find(name);
	unsigned char d[HASHFN_MAX_SIZE];
	hashfn_digest(h, s, len, d);
	crypto_pushhex(L, d, h->size);
	return 1;
}

static int l_md5(lua_State *L) { return push_digest(L, "md5"); }
static int l_sha1(lua_State *L) { return push_digest(L, "sha1"); }
static int l_sha256(lua_State *L) { return push_digest(L, "sha256"); }
static int l_sha384(lua_State *L) { return push_digest(L, "sha384"); }
static int l_sha512(lua_State *L) { return push_digest(L, "sha512"); }

static int l_digest(lua_State *L)
{
	const struct hashfn *h = crypto_checkhash(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	unsigned char d[HASHFN_MAX_SIZE];
	hashfn_digest(h, s, len, d);
	crypto_pushhex(L, d, h->size);
	return 1;
}

static int l_hmac(lua_State *L)
{
	const struct hashfn *h = crypto_checkhash(L, 1);
	size_t klen, mlen;
	const char *key = luaL_checklstring(L, 2, &klen);
	const char *msg = luaL_checklstring(L, 3, &mlen);
	unsigned char mac[HASHFN_MAX_SIZE];
	hmac(h, key, klen, msg, mlen, mac);
	crypto_pushhex(L, mac, h->size);
	return 1;
}

static size_t checklength(lua_State *L, int arg)
{
	lua_Integer n = luaL_checkinteger(L, arg);
	luaL_argcheck(L, n >= 1 && n <= MAX_DERIVED, arg, "length must be between 1 and 2^20 bytes");
	return (size_t)n;
}

static int l_pbkdf2(lua_State *L)
{
	const struct hashfn *h = crypto_checkhash(L, 1);
	size_t plen, slen;
	const char *pw = luaL_checklstring(L, 2, &plen);
	const char *salt = luaL_checklstring(L, 3, &slen);
	lua_Integer it = luaL_checkinteger(L, 4);
	luaL_argcheck(L, it >= 1, 4, "iterations must be at least 1");
	size_t len = checklength(L, 5);
	unsigned char *out = budget_malloc(len);
	if (!out)
		return lab_fail(L, "lab.crypto.pbkdf2: not enough memory");
	if (pbkdf2(h, pw, plen, salt, slen, (uint64_t)it, out, len) != 0) {
		budget_free(out);
		return lab_fail(L, "lab.crypto.pbkdf2: stopped");
	}
	crypto_pushhex(L, out, len);
	budget_free(out);
	return 1;
}

static int l_scrypt(lua_State *L)
{
	size_t plen, slen;
	const char *pw = luaL_checklstring(L, 1, &plen);
	const char *salt = luaL_checklstring(L, 2, &slen);
	lua_Integer n = luaL_checkinteger(L, 3), r = luaL_checkinteger(L, 4);
	lua_Integer p = luaL_checkinteger(L, 5);
	size_t len = checklength(L, 6);
	luaL_argcheck(L, n >= 2 && (n & (n - 1)) == 0, 3, "N must be a power of 2, at least 2");
	luaL_argcheck(L, r >= 1 && r <= 1 << 20, 4, "r must be between 1 and 2^20");
	luaL_argcheck(L, p >= 1 && p <= 1 << 20, 5, "p must be between 1 and 2^20");
	unsigned char *out = budget_malloc(len);
	if (!out)
		return lab_fail(L, "lab.crypto.scrypt: not enough memory");
	enum scrypt_err e = scrypt(pw, plen, salt, slen, (uint64_t)n, (uint32_t)r, (uint32_t)p,
				   out, len);
	if (e != SCRYPT_OK) {
		budget_free(out);
		if (e == SCRYPT_EPARAM)
			return luaL_error(L, "lab.crypto.scrypt: N, r, p out of range (RFC 7914 section 2)");
		return lab_fail(L, "lab.crypto.scrypt: %s", e == SCRYPT_ENOMEM
				? "not enough memory for 128 * r * N bytes" : "stopped");
	}
	crypto_pushhex(L, out, len);
	budget_free(out);
	return 1;
}

static int l_bcrypt(lua_State *L)
{
	size_t plen, slen;
	const char *pw = luaL_checklstring(L, 1, &plen);
	lua_Integer cost = luaL_checkinteger(L, 2);
	const char *s = luaL_checklstring(L, 3, &slen);
	luaL_argcheck(L, cost >= 4 && cost <= 31, 2, bcrypt_strerror(BCRYPT_ECOST));
	unsigned char salt[BCRYPT_SALT_LEN];
	if (slen == BCRYPT_SALT_LEN)
		memcpy(salt, s, BCRYPT_SALT_LEN);
	else if (slen != 22 || bcrypt_decode_salt(s, salt) != 0)
		return luaL_argerror(L, 3, bcrypt_strerror(BCRYPT_ESALT));
	char out[BCRYPT_HASH_LEN + 1];
	enum bcrypt_err e = bcrypt_hash(pw, plen, (int)cost, salt, 'b', out);
	if (e == BCRYPT_ESTOP)
		return lab_fail(L, "lab.crypto.bcrypt: stopped");
	if (e != BCRYPT_OK)
		return luaL_error(L, "lab.crypto.bcrypt: %s", bcrypt_strerror(e));
	lua_pushstring(L, out);
	return 1;
}

static int l_bcrypt_verify(lua_State *L)
{
	size_t plen, hlen;
	const char *pw = luaL_checklstring(L, 1, &plen);
	const char *hash = luaL_checklstring(L, 2, &hlen);
	int ok;
	enum bcrypt_err e = bcrypt_check(pw, plen, hash, hlen, &ok);
	if (e == BCRYPT_ESTOP)
		return lab_fail(L, "lab.crypto.bcrypt_verify: stopped");
	if (e != BCRYPT_OK)
		return luaL_error(L, "lab.crypto.bcrypt_verify: %s", bcrypt_strerror(e));
	lua_pushboolean(L, ok);
	return 1;
}

static int encode(lua_State *L, int alpha, int defpad)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	int pad = lua_isnoneornil(L, 2) ? defpad : lua_toboolean(L, 2);
	luaL_Buffer b;
	size_t n = base64_encoded_len(len, pad);
	char *out = luaL_buffinitsize(L, &b, n + 1);
	base64_encode(s, len, alpha, pad, out);
	luaL_pushresultsize(&b, n);
	return 1;
}

static int decode(lua_State *L, int alpha)
{
	size_t len, outlen, where;
	const char *s = luaL_checklstring(L, 1, &len);
	luaL_Buffer b;
	unsigned char *out = (unsigned char *)luaL_buffinitsize(L, &b, len / 4 * 3 + 3);
	if (base64_decode(s, len, alpha, out, &outlen, &where) != 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "not %s: bad character or padding at offset %d",
				alpha ? "base64url" : "base64", (int)where + 1);
		return 2;
	}
	luaL_pushresultsize(&b, outlen);
	return 1;
}

static int l_base64(lua_State *L) { return encode(L, BASE64_STD, 1); }
static int l_base64url(lua_State *L) { return encode(L, BASE64_URL, 0); }
static int l_base64_decode(lua_State *L) { return decode(L, BASE64_STD); }
static int l_base64url_decode(lua_State *L) { return decode(L, BASE64_URL); }

static int l_hex(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	crypto_pushhex(L, (const unsigned char *)s, len);
	return 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int l_unhex(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	if (len % 2) {
		lua_pushnil(L);
		lua_pushliteral(L, "not hex: an odd number of digits");
		return 2;
	}
	luaL_Buffer b;
	char *out = luaL_buffinitsize(L, &b, len / 2 + 1);
	for (size_t i = 0; i < len; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0) {
			lua_pushnil(L);
			lua_pushfstring(L, "not hex: offset %d", (int)(hi < 0 ? i : i + 1) + 1);
			return 2;
		}
		out[i / 2] = (char)(hi << 4 | lo);
	}
	luaL_pushresultsize(&b, len / 2);
	return 1;
}

static int l_equal(lua_State *L)
{
	size_t la, lb;
	const char *a = luaL_checklstring(L, 1, &la);
	const char *b = luaL_checklstring(L, 2, &lb);
	lua_pushboolean(L, ct_equal(a, la, b, lb));
	return 1;
}

static int l_hkdf_extract(lua_State *L)
{
	const struct hashfn *h = crypto_checkhash(L, 1);
	size_t slen, ilen;
	const char *salt = luaL_checklstring(L, 2, &slen);
	const char *ikm = luaL_checklstring(L, 3, &ilen);
	unsigned char prk[HASHFN_MAX_SIZE];
	hkdf_extract(h, salt, slen, ikm, ilen, prk);
	crypto_pushhex(L, prk, h->size);
	return 1;
}

/* hkdf_expand(alg, prk, info, length), PRK as bytes. */
static int l_hkdf_expand(lua_State *L)
{
	const struct hashfn *h = crypto_checkhash(L, 1);
	size_t plen, ilen;
	const char *prk = luaL_checklstring(L, 2, &plen);
	const char *info = luaL_checklstring(L, 3, &ilen);
	lua_Integer len = luaL_checkinteger(L, 4);
	luaL_argcheck(L, len >= 1 && (size_t)len <= 255 * h->size, 4,
		      "length must be between 1 and 255 * the hash's size");
	unsigned char out[255 * HASHFN_MAX_SIZE];
	hkdf_expand(h, prk, plen, info, ilen, out, (size_t)len);
	crypto_pushhex(L, out, (size_t)len);
	return 1;
}

/* hkdf(alg, ikm, salt, info, length): extract then expand (RFC 5869). */
static int l_hkdf(lua_State *L)
{
	const struct hashfn *h = crypto_checkhash(L, 1);
	size_t ilen, slen, nlen;
	const char *ikm = luaL_checklstring(L, 2, &ilen);
	const char *salt = luaL_checklstring(L, 3, &slen);
	const char *info = luaL_checklstring(L, 4, &nlen);
	lua_Integer len = luaL_checkinteger(L, 5);
	luaL_argcheck(L, len >= 1 && (size_t)len <= 255 * h->size, 5,
		      "length must be between 1 and 255 * the hash's size");
	unsigned char prk[HASHFN_MAX_SIZE], out[255 * HASHFN_MAX_SIZE];
	hkdf_extract(h, salt, slen, ikm, ilen, prk);
	hkdf_expand(h, prk, h->size, info, nlen, out, (size_t)len);
	crypto_pushhex(L, out, (size_t)len);
	return 1;
}

static const luaL_Reg functions[] = {
	{"md5", l_md5},
	{"sha1", l_sha1},
	{"sha256", l_sha256},
	{"sha384", l_sha384},
	{"sha512", l_sha512},
	{"digest", l_digest},
	{"hmac", l_hmac},
	{"pbkdf2", l_pbkdf2},
	{"scrypt", l_scrypt},
	{"bcrypt", l_bcrypt},
	{"bcrypt_verify", l_bcrypt_verify},
	{"base64", l_base64},
	{"base64url", l_base64url},
	{"base64_decode", l_base64_decode},
	{"base64url_decode", l_base64url_decode},
	{"hex", l_hex},
	{"unhex", l_unhex},
	{"equal", l_equal},
	{"hkdf_extract", l_hkdf_extract},
	{"hkdf_expand", l_hkdf_expand},
	{"hkdf", l_hkdf},
	{"timing", crypto_timing_new},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_crypto = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&crypto_timing_class, NULL},
	.options = (const struct lab_fnopts[]){{"timing", crypto_timing_opts}, {NULL, NULL}},
};
