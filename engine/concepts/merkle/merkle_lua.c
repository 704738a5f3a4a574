/*
 * merkle_lua.c — lab.merkle: the Lua binding of merkle.h.
 *
 *   local t = lab.merkle.tree(map, {depth = 8, fanout = 2})   -- map: {key = value}
 *   t:root() t:hash(level, i) t:bucket(key) t:width(level) t:count()
 *   lab.merkle.diff(a, b) -> {keys = {...}, hashes =, entries =, rounds =, nodes =}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/merkle/merkle.h"

#include <string.h>

struct ltree {
	struct merkle *t;
};

static void free_tree(void *obj)
{
	struct ltree *x = obj;
	merkle_free(x->t);
	x->t = NULL;
}

static const struct lab_class tree_class;

static struct merkle *totree(lua_State *L, int idx)
{
	struct ltree *x = idx == 1 ? lab_self(L, &tree_class) : lab_checkobj(L, idx, &tree_class);
	return x->t;
}

static const struct lab_opt tree_opts[] = {
	{"depth", LAB_INT, 8, .min = 0, .max = 20, .help = "levels below the root"},
	{"fanout", LAB_INT, 2, .min = 2, .max = 16, .help = "children per node"},
	{NULL},
};

/* Reads the map at IDX (string keys and values) into entries kept in a
 * userdata it pushes; the strings stay anchored by the map, which stays on
 * the stack, and no Lua code runs meanwhile (raw reads). */
static struct merkle_kv *read_map(lua_State *L, int idx, size_t *n)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	size_t count = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		count++;
		lua_pop(L, 1);
	}
	struct merkle_kv *kv = lua_newuserdatauv(L, (count + 1) * sizeof *kv, 0); /* push */
	size_t i = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {                             /* push key, value */
		int kt = lua_type(L, -2), vt = lua_type(L, -1);
		if ((kt != LUA_TSTRING && kt != LUA_TNUMBER) || (vt != LUA_TSTRING && vt != LUA_TNUMBER))
			luaL_error(L, "lab.merkle.tree: the map's keys and values are strings or numbers");
		if (kt == LUA_TNUMBER || vt == LUA_TNUMBER)
			luaL_error(L, "lab.merkle.tree: keys and values must be strings (use tostring)");
		kv[i].k = lua_tolstring(L, -2, &kv[i].kl);
		kv[i].v = lua_tolstring(L, -1, &kv[i].vl);
		i++;
		lua_pop(L, 1);
	}
	*n = i;
	return kv;
}

static int l_tree(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 2, "lab.merkle.tree", tree_opts);
	size_t leaves = 1;
	for (lua_Integer l = 0; l < o[0].i; l++)
		if ((leaves *= (size_t)o[1].i) > MERKLE_MAX_LEAVES)
			return luaL_error(L, "lab.merkle.tree: fanout^depth must be at most 2^20 leaves");
	size_t n;
	struct merkle_kv *kv = read_map(L, 1, &n);
	struct ltree *x = lab_newobj(L, &tree_class, sizeof *x);
	if (!(x->t = merkle_build(kv, n, (int)o[0].i, (int)o[1].i)))
		return lab_fail(L, "lab.merkle.tree: not enough memory");
	return 1;
}

static void push_hex(lua_State *L, const uint8_t *h)
{
	char hex[2 * MERKLE_HASH];
	for (int i = 0; i < MERKLE_HASH; i++) {
		hex[2 * i] = "0123456789abcdef"[h[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[h[i] & 15];
	}
	lua_pushlstring(L, hex, sizeof hex);
}

static int m_root(lua_State *L)
{
	push_hex(L, merkle_hash(totree(L, 1), 0, 0));
	return 1;
}

static int m_hash(lua_State *L)
{
	struct merkle *t = totree(L, 1);
	lua_Integer level = luaL_checkinteger(L, 2), i = luaL_checkinteger(L, 3);
	const uint8_t *h = level >= 0 && level <= merkle_depth(t) && i >= 1
				   ? merkle_hash(t, (int)level, (size_t)i - 1)
				   : NULL;
	if (!h)
		return luaL_error(L, "t:hash(level, i): level 0..%d, i from 1 to the level's width",
				  merkle_depth(t));
	push_hex(L, h);
	return 1;
}

static int m_width(lua_State *L)
{
	struct merkle *t = totree(L, 1);
	lua_Integer level = luaL_checkinteger(L, 2);
	lua_pushinteger(L, (lua_Integer)merkle_width(t, (int)level));
	return 1;
}

static int m_bucket(lua_State *L)
{
	size_t kl;
	const char *k = luaL_checklstring(L, 2, &kl);
	lua_pushinteger(L, (lua_Integer)merkle_bucket(totree(L, 1), k, kl) + 1);
	return 1;
}

static int m_count(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)merkle_count(totree(L, 1)));
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct merkle *t = totree(L, 1);
	lua_pushfstring(L, "lab.merkle.tree(%d keys, depth %d, fanout %d)", (int)merkle_count(t),
			merkle_depth(t), merkle_fanout(t));
	return 1;
}

static int l_diff(lua_State *L)
{
	struct merkle *a = ((struct ltree *)lab_checkobj(L, 1, &tree_class))->t;
	struct merkle *b = ((struct ltree *)lab_checkobj(L, 2, &tree_class))->t;
	if (merkle_depth(a) != merkle_depth(b) || merkle_fanout(a) != merkle_fanout(b))
		return luaL_error(L, "lab.merkle.diff: both trees need the same depth and fanout");
	struct merkle_diff d;
	if (merkle_diff(a, b, &d) != 0)
		return lab_fail(L, "lab.merkle.diff: not enough memory");
	lua_createtable(L, 0, 5);
	lua_createtable(L, (int)d.nkeys, 0);
	for (size_t i = 0; i < d.nkeys; i++) {
		lua_pushlstring(L, d.keys[i], d.klen[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "keys");
	lab_setint(L, "hashes", (lua_Integer)d.hashes);
	lab_setint(L, "entries", (lua_Integer)d.entries);
	lab_setint(L, "rounds", (lua_Integer)d.rounds);
	lab_setint(L, "nodes", (lua_Integer)d.nodes);
	merkle_diff_free(&d);
	return 1;
}

static const luaL_Reg methods[] = {
	{"root", m_root},     {"hash", m_hash},   {"width", m_width},
	{"bucket", m_bucket}, {"count", m_count}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class tree_class = {
	.name = "lab.merkle.tree",
	.methods = methods,
	.metamethods = metamethods,
	.free = free_tree,
};

static const luaL_Reg functions[] = {
	{"tree", l_tree},
	{"diff", l_diff},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_merkle = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&tree_class, NULL},
	.options = (const struct lab_fnopts[]){{"tree", tree_opts}, {NULL}},
};
