/*
 * digest_lua.c — lab.digest: the bare hash functions and nothing built on
 * them, for exercises that build on a hash (HMAC from SHA-256, a PKCE
 * challenge): an exercise can let a submission see lab.digest without
 * handing it lab.crypto.hmac.
 *
 *   lab.digest.sha256(s)             -> hex (also md5, sha1, sha384, sha512)
 *   lab.digest.bytes("sha256", s)    -> the raw digest, 32 bytes
 *   lab.digest.info("sha256")        -> {size = 32, block = 64}
 */
#include "engine/concepts/crypto/crypto_lua.h"

static int hexdigest(lua_State *L, const char *name)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	const struct hashfn *h = hashfn_find(name);
	unsigned char d[HASHFN_MAX_SIZE];
	hashfn_digest(h, s, len, d);
	crypto_pushhex(L, d, h->size);
	return 1;
}

static int l_md5(lua_State *L) { return hexdigest(L, "md5"); }
static int l_sha1(lua_State *L) { return hexdigest(L, "sha1"); }
static int l_sha256(lua_State *L) { return hexdigest(L, "sha256"); }
static int l_sha384(lua_State *L) { return hexdigest(L, "sha384"); }
static int l_sha512(lua_State *L) { return hexdigest(L, "sha512"); }

static int l_bytes(lua_State *L)
{
	const struct hashfn *h = crypto_checkhash(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	unsigned char d[HASHFN_MAX_SIZE];
	hashfn_digest(h, s, len, d);
	lua_pushlstring(L, (const char *)d, h->size);
	return 1;
}

static int l_info(lua_State *L)
{
	const struct hashfn *h = crypto_checkhash(L, 1);
	lua_createtable(L, 0, 2);
	lab_setint(L, "size", (lua_Integer)h->size);
	lab_setint(L, "block", (lua_Integer)h->block);
	return 1;
}

static const luaL_Reg functions[] = {
	{"md5", l_md5},       {"sha1", l_sha1},     {"sha256", l_sha256},
	{"sha384", l_sha384}, {"sha512", l_sha512}, {"bytes", l_bytes},
	{"info", l_info},     {NULL, NULL},
};

const struct lab_namespace lab_ns_digest = {
	.functions = functions,
};
