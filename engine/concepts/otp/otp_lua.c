/*
 * otp_lua.c — lab.otp: HOTP and TOTP (otp.h).
 *
 *   lab.otp.hotp(secret, counter [, digits = 6])                   -> "755224"
 *   lab.otp.totp(secret, time [, step = 30, digits = 6, alg = "sha1"])
 *   lab.otp.verify(secret, code, time, {window = 1, last = counter, ...})
 *     -> counter, or nil and "wrong_code" / "replayed"
 *   lab.otp.verify_hotp(secret, code, counter, {look_ahead = 10})  -> next counter or nil
 *   lab.otp.base32(s) base32_decode(s)   RFC 4648 section 6, as authenticator apps use
 */
#include "engine/concepts/crypto/crypto_lua.h"
#include "engine/concepts/otp/otp.h"

#include <stdint.h>
#include <string.h>

static int checkdigits(lua_State *L, int arg)
{
	lua_Integer d = luaL_optinteger(L, arg, 6);
	luaL_argcheck(L, d >= 1 && d <= OTP_MAX_DIGITS, arg, "digits must be between 1 and 10");
	return (int)d;
}

static const struct hashfn *checkalg(lua_State *L, int arg)
{
	const char *name = luaL_optstring(L, arg, "sha1");
	const struct hashfn *h = hashfn_find(name);
	if (!h || (strcmp(name, "sha1") && strcmp(name, "sha256") && strcmp(name, "sha512")))
		luaL_argerror(L, arg, "alg must be sha1, sha256 or sha512 (RFC 6238)");
	return h;
}

static int l_hotp(lua_State *L)
{
	size_t klen;
	const char *key = luaL_checklstring(L, 1, &klen);
	lua_Integer c = luaL_checkinteger(L, 2);
	luaL_argcheck(L, c >= 0, 2, "the counter must not be negative");
	char out[OTP_MAX_DIGITS + 1];
	otp_hotp(hashfn_find("sha1"), key, klen, (uint64_t)c, checkdigits(L, 3), out);
	lua_pushstring(L, out);
	return 1;
}

static lua_Integer checkstep(lua_State *L, int arg)
{
	lua_Integer step = luaL_optinteger(L, arg, 30);
	luaL_argcheck(L, step >= 1, arg, "the step must be at least 1 s");
	return step;
}

static int l_totp(lua_State *L)
{
	size_t klen;
	const char *key = luaL_checklstring(L, 1, &klen);
	lua_Integer t = luaL_checkinteger(L, 2);
	luaL_argcheck(L, t >= 0, 2, "the time must not be negative (seconds since 1970)");
	lua_Integer step = checkstep(L, 3);
	int digits = checkdigits(L, 4);
	const struct hashfn *h = checkalg(L, 5);
	char out[OTP_MAX_DIGITS + 1];
	otp_hotp(h, key, klen, otp_counter(t, 0, step), digits, out);
	lua_pushstring(L, out);
	return 1;
}

static const struct lab_opt verify_opts[] = {
	{"window", LAB_INT, .num = 1, .min = 0, .max = 100,
	 .help = "steps accepted before and after now (clock drift)"},
	{"step", LAB_INT, .num = 30, .min = 1, .max = 86400},
	{"digits", LAB_INT, .num = 6, .min = 1, .max = 10},
	{"alg", LAB_ENUM, .str = "sha1", .choices = "sha1 sha256 sha512"},
	{"last", LAB_INT, .num = -1, .min = -1, .max = 9e15,
	 .help = "the counter of the last code accepted: it and earlier ones are replays"},
	{NULL},
};

static int push_verdict(lua_State *L, enum otp_verdict v, uint64_t matched)
{
	if (v == OTP_OK) {
		lua_pushinteger(L, (lua_Integer)matched);
		return 1;
	}
	lua_pushnil(L);
	lua_pushstring(L, v == OTP_REPLAYED ? "replayed" : "wrong_code");
	return 2;
}

static int l_verify(lua_State *L)
{
	size_t klen, clen;
	const char *key = luaL_checklstring(L, 1, &klen);
	const char *code = luaL_checklstring(L, 2, &clen);
	lua_Integer t = luaL_checkinteger(L, 3);
	luaL_argcheck(L, t >= 0, 3, "the time must not be negative");
	const struct lab_val *o = lab_opts(L, 4, "lab.otp.verify", verify_opts);
	const struct hashfn *h = hashfn_find(o[3].s);
	int64_t now = (int64_t)otp_counter(t, 0, o[1].i), w = o[0].i;
	uint64_t last = o[4].i < 0 ? UINT64_MAX : (uint64_t)o[4].i, matched = 0;
	enum otp_verdict v = otp_find(h, key, klen, (int)o[2].i, code, clen, now - w,
				      (uint64_t)(2 * w + 1), last, &matched);
	return push_verdict(L, v, matched);
}

static const struct lab_opt hotp_opts[] = {
	{"look_ahead", LAB_INT, .num = 10, .min = 0, .max = 1000,
	 .help = "counters tried after the expected one (RFC 4226 7.4)"},
	{"digits", LAB_INT, .num = 6, .min = 1, .max = 10},
	{NULL},
};

/* verify_hotp(secret, code, counter, opts): the next counter to expect
 * (the matched one + 1), or nil and why. */
static int l_verify_hotp(lua_State *L)
{
	size_t klen, clen;
	const char *key = luaL_checklstring(L, 1, &klen);
	const char *code = luaL_checklstring(L, 2, &clen);
	lua_Integer c = luaL_checkinteger(L, 3);
	luaL_argcheck(L, c >= 0, 3, "the counter must not be negative");
	const struct lab_val *o = lab_opts(L, 4, "lab.otp.verify_hotp", hotp_opts);
	uint64_t matched = 0;
	enum otp_verdict v = otp_find(hashfn_find("sha1"), key, klen, (int)o[1].i, code, clen, c,
				      (uint64_t)o[0].i + 1, UINT64_MAX, &matched);
	return push_verdict(L, v, matched + 1);
}

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static int l_base32(lua_State *L)
{
	size_t n;
	const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (size_t i = 0; i < n; i += 5) {
		uint64_t v = 0;
		size_t k = n - i < 5 ? n - i : 5;
		for (size_t j = 0; j < 5; j++)
			v = v << 8 | (j < k ? s[i + j] : 0);
		size_t chars = (k * 8 + 4) / 5;         /* 1->2, 2->4, 3->5, 4->7, 5->8 */
		for (size_t j = 0; j < 8; j++)
			luaL_addchar(&b, j < chars ? b32[(v >> (35 - 5 * j)) & 31] : '=');
	}
	luaL_pushresult(&b);
	return 1;
}

static int l_base32_decode(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	uint64_t acc = 0;
	int bits = 0;
	size_t end = n;
	while (end > 0 && s[end - 1] == '=')
		end--;
	for (size_t i = 0; i < end; i++) {
		char c = s[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);                 /* apps print lowercase too */
		const char *q = c ? strchr(b32, c) : NULL;
		if (!q) {
			lua_pushnil(L);
			lua_pushfstring(L, "not base32: offset %d", (int)i + 1);
			return 2;
		}
		acc = acc << 5 | (uint64_t)(q - b32);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			luaL_addchar(&b, (char)(acc >> bits));
			acc &= ((uint64_t)1 << bits) - 1;
		}
	}
	luaL_pushresult(&b);
	return 1;
}

static const luaL_Reg functions[] = {
	{"hotp", l_hotp},       {"totp", l_totp},     {"verify", l_verify},
	{"verify_hotp", l_verify_hotp}, {"base32", l_base32}, {"base32_decode", l_base32_decode},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_otp = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){
		{"verify", verify_opts}, {"verify_hotp", hotp_opts}, {NULL, NULL}},
};
