/*
 * hash_lua.c — lab.hash: the Lua binding of chash.h and hashmove.h, and the
 * opener of the whole table (the node-set classes are in hashset_lua.c).
 *
 *   lab.hash.hash64(s)        FNV-1a 64 of a string, as a Lua integer
 *   lab.hash.mix64(x)         the splitmix64 finaliser
 *   lab.hash.ketama(s [, i])  word i (0..3) of MD5(s), little-endian: ketama's hash
 *   lab.hash.jump(key, buckets)   key: an integer, or a string (hash64 first);
 *                                 the bucket is 0-based, as in the paper
 *   lab.hash.movement{scheme = "ring", nodes = 10, keys = 100000, change = "add"}
 *
 * 64-bit hashes come to Lua as integers with the same 64 bits, so half of
 * them print negative. Where a scheme takes "hash mod n" it means the
 * unsigned value; in Lua that is ((x >> 1) % n * 2 + (x & 1)) % n.
 */
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/hash/hashmove.h"
#include "engine/lab/labkit.h"
#include "engine/concepts/hash/maglev.h"

#include <string.h>

#define MOVE_T "lab.hash.movement result" /* scratch, never seen by Lua code */

/* hashset_lua.c: adds ring, rendezvous and maglev to the table on top. */
void lab_hash_sets(lua_State *L);

/* ---- functions ------------------------------------------------------------ */

static int l_hash64(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	lua_pushinteger(L, (lua_Integer)chash_hash64(s, len));
	return 1;
}

static int l_mix64(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)chash_mix64((uint64_t)luaL_checkinteger(L, 1)));
	return 1;
}

static int l_ketama(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	lua_Integer which = luaL_optinteger(L, 2, 0);
	luaL_argcheck(L, which >= 0 && which <= 3, 2, "which word of the digest: 0..3");
	lua_pushinteger(L, chash_ketama(s, len, (int)which));
	return 1;
}

/* jump(key, buckets): KEY is a 64-bit integer, or a string hashed by hash64. */
static int l_jump(lua_State *L)
{
	uint64_t key;
	if (lua_type(L, 1) == LUA_TSTRING) {
		size_t len;
		const char *s = lua_tolstring(L, 1, &len);
		key = chash_hash64(s, len);
	} else {
		int ok;
		key = (uint64_t)lua_tointegerx(L, 1, &ok);
		luaL_argexpected(L, ok, 1, "an integer key or a string");
	}
	lua_Integer n = luaL_checkinteger(L, 2);
	luaL_argcheck(L, n >= 1 && n <= INT32_MAX, 2, "buckets must be between 1 and 2^31-1");
	lua_pushinteger(L, chash_jump(key, (int32_t)n));
	return 1;
}

static int l_movement(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	struct hashmove_config c = {0};
	const char *scheme = lab_optstr(L, 1, "scheme", "ring");
	if (hashmove_scheme_parse(scheme, &c.scheme) < 0)
		return luaL_error(L, "scheme must be one of modulo, ring, jump, rendezvous, maglev");
	lua_Integer nodes = lab_optint(L, 1, "nodes", 10);
	lua_Integer keys = lab_optint(L, 1, "keys", 100000);
	const char *change = lab_optstr(L, 1, "change", "add");
	lua_Integer vnodes = lab_optint(L, 1, "vnodes", 160);
	lua_Integer size = lab_optint(L, 1, "size", 65537);
	if (nodes < 1 || nodes > HASHMOVE_MAX_NODES)
		return luaL_error(L, "nodes must be between 1 and %d", (int)HASHMOVE_MAX_NODES);
	if (keys < 1 || keys > 10000000)
		return luaL_error(L, "keys must be between 1 and 10^7");
	if (strcmp(change, "add") != 0 && strcmp(change, "remove") != 0)
		return luaL_error(L, "change must be \"add\" or \"remove\"");
	c.add = strcmp(change, "add") == 0;
	lua_Integer node = lab_optint(L, 1, "node", nodes);
	if (!c.add && nodes < 2)
		return luaL_error(L, "removing a node needs nodes >= 2");
	if (!c.add && (node < 1 || node > nodes))
		return luaL_error(L, "node (the one removed) must be between 1 and nodes");
	if (!c.add && c.scheme == HASHMOVE_JUMP && node != nodes)
		return luaL_error(L, "jump hash can only remove the last bucket (node = nodes)");
	if (c.scheme == HASHMOVE_RING && (vnodes < 1 || vnodes * (nodes + 1) > 10000000))
		return luaL_error(L, "vnodes must be >= 1, with vnodes * (nodes + 1) <= 10^7");
	if (c.scheme == HASHMOVE_MAGLEV &&
	    (size <= nodes + 1 || size > MAGLEV_MAX_SIZE || !maglev_is_prime((uint32_t)size)))
		return luaL_error(L, "size must be a prime greater than nodes + 1 (e.g. 65537)");
	c.nodes = (uint32_t)nodes;
	c.keys = (uint64_t)keys;
	c.remove = (uint32_t)(node - 1);
	c.vnodes = (unsigned)vnodes;
	c.table_size = (uint32_t)size;
	/* the result lives in a userdata whose __gc frees its arrays, so an
	 * error while building the Lua table cannot leak them */
	struct hashmove_result *r = lua_newuserdatauv(L, sizeof *r, 0); /* push scratch */
	memset(r, 0, sizeof *r);
	luaL_setmetatable(L, MOVE_T);
	if (hashmove_run(&c, r) < 0)
		return luaL_error(L, "not enough memory");
	lua_createtable(L, 0, 12);              /* result */
	lua_pushstring(L, hashmove_scheme_name(c.scheme));
	lua_setfield(L, -2, "scheme");
	lua_pushstring(L, c.add ? "add" : "remove");
	lua_setfield(L, -2, "change");
	lua_pushinteger(L, nodes);
	lua_setfield(L, -2, "nodes");
	lua_pushinteger(L, keys);
	lua_setfield(L, -2, "keys");
	lua_pushinteger(L, (lua_Integer)r->moved);
	lua_setfield(L, -2, "moved");
	lua_pushnumber(L, r->fraction);
	lua_setfield(L, -2, "fraction");
	lua_pushnumber(L, r->expected);
	lua_setfield(L, -2, "expected");
	lua_pushnumber(L, r->max_mean_before);
	lua_setfield(L, -2, "max_mean_before");
	lua_pushnumber(L, r->max_mean_after);
	lua_setfield(L, -2, "max_mean_after");
	lua_createtable(L, (int)r->nbefore, 0);  /* before */
	for (size_t i = 0; i < r->nbefore; i++) {
		lua_pushinteger(L, (lua_Integer)r->before[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* before[i+1] = count */
	}
	lua_setfield(L, -2, "before");
	lua_createtable(L, (int)r->nafter, 0);   /* after */
	for (size_t i = 0; i < r->nafter; i++) {
		lua_pushinteger(L, (lua_Integer)r->after[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* after[i+1] = count */
	}
	lua_setfield(L, -2, "after");
	hashmove_result_free(r);
	return 1;
}

static int move_gc(lua_State *L)
{
	hashmove_result_free(luaL_checkudata(L, 1, MOVE_T));
	return 0;
}

/* ---- registration -------------------------------------------------------- */

static const luaL_Reg move_meta[] = {
	{"__gc", move_gc},
	{NULL, NULL},
};

static const luaL_Reg functions[] = {
	{"hash64", l_hash64},   {"mix64", l_mix64},     {"ketama", l_ketama},
	{"jump", l_jump},       {"movement", l_movement},
	{NULL, NULL},
};

int lab_open_hash(lua_State *L)
{
	lab_newclass(L, MOVE_T, NULL, move_meta);
	luaL_newlib(L, functions);
	lab_hash_sets(L);                       /* ring, rendezvous, maglev */
	return 1;
}

const struct lab_namespace lab_ns_hash = {.open = lab_open_hash};
