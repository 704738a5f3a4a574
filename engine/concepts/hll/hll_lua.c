/*
 * hll_lua.c — lab.hll: the Lua binding of hll.h.
 *
 *   local h = lab.hll.new()          -- {precision = 14}: Redis's
 *   h:add(x) -> true when a register grew     h:count() h:merge(o)
 *   h:register(i) h:registers() h:histogram() #h
 *   lab.hll.hash(x) lab.hll.position(x [, p]) lab.hll.error(p)
 */
#include <math.h>
#include <stdio.h>

#include "engine/concepts/hll/hll.h"
#include "engine/lab/labkit.h"

static void free_hll(void *obj)
{
	hll_free(obj);
}

static const struct lab_class hll_class;

/* The element at IDX as bytes: a string as it is, a number as Redis would
 * receive it from a client (its decimal text: 42, 0.5). */
static const char *element(lua_State *L, int idx, size_t *len, char *buf, size_t size,
			   const char *who)
{
	if (lua_type(L, idx) == LUA_TSTRING)
		return lua_tolstring(L, idx, len);
	if (lua_type(L, idx) != LUA_TNUMBER)
		luaL_error(L, "%s: an element must be a string or a number, not %s", who,
			   luaL_typename(L, idx));
	int n = lua_isinteger(L, idx) ? snprintf(buf, size, "%lld", (long long)lua_tointeger(L, idx))
				      : snprintf(buf, size, "%.17g", lua_tonumber(L, idx));
	*len = (size_t)n;
	return buf;
}

static const struct lab_opt new_opts[] = {
	{"precision", LAB_INT, 14, .min = HLL_P_MIN, .max = HLL_P_MAX,
	 .help = "p: 2^p registers (Redis: 14)"},
	{NULL},
};

static int l_new(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.hll.new", new_opts);
	struct hll *h = lab_newobj(L, &hll_class, sizeof *h);
	if (hll_init(h, (int)o[0].i) != 0)
		return lab_fail(L, "lab.hll.new: not enough memory");
	return 1;
}

static int m_add(lua_State *L)
{
	struct hll *h = lab_self(L, &hll_class);
	char buf[64];
	size_t len;
	const char *s = element(L, 2, &len, buf, sizeof buf, "h:add");
	lua_pushboolean(L, hll_add(h, s, len));
	return 1;
}

static int m_count(lua_State *L)
{
	struct hll *h = lab_self(L, &hll_class);
	lua_pushinteger(L, (lua_Integer)hll_count(h));
	return 1;
}

static int m_merge(lua_State *L)
{
	struct hll *h = lab_self(L, &hll_class);
	struct hll *o = lab_checkobj(L, 2, &hll_class);
	if (hll_merge(h, o) != 0)
		return luaL_error(L, "h:merge: precisions differ (%d and %d)", h->p, o->p);
	lua_settop(L, 1);
	return 1;
}

static int m_register(lua_State *L)
{
	struct hll *h = lab_self(L, &hll_class);
	lua_Integer i = lab_checkrange(L, 2, 0, ((lua_Integer)1 << h->p) - 1);
	lua_pushinteger(L, h->reg[i]);
	return 1;
}

static int m_registers(lua_State *L)
{
	struct hll *h = lab_self(L, &hll_class);
	size_t m = (size_t)1 << h->p;
	lua_createtable(L, (int)m, 0);
	for (size_t i = 0; i < m; i++) {
		lua_pushinteger(L, h->reg[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* {[0] = registers at 0, [1] = at 1, ...}: what the estimator reads */
static int m_histogram(lua_State *L)
{
	struct hll *h = lab_self(L, &hll_class);
	int q = 64 - h->p;
	lua_Integer hist[66] = {0};
	for (size_t i = 0; i < (size_t)1 << h->p; i++)
		hist[h->reg[i]]++;
	lua_createtable(L, q + 1, 1);
	for (int j = 0; j <= q + 1; j++) {
		lua_pushinteger(L, hist[j]);
		lua_rawseti(L, -2, j);
	}
	return 1;
}

static int m_len(lua_State *L)
{
	struct hll *h = lab_self(L, &hll_class);
	lua_pushinteger(L, (lua_Integer)1 << h->p);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct hll *h = lab_self(L, &hll_class);
	lua_pushfstring(L, "lab.hll(precision %d, ~%I distinct)", h->p, (lua_Integer)hll_count(h));
	return 1;
}

static int l_hash(lua_State *L)
{
	char buf[64], hex[17];
	size_t len;
	const char *s = element(L, 1, &len, buf, sizeof buf, "lab.hll.hash");
	snprintf(hex, sizeof hex, "%016llx", (unsigned long long)hll_murmur64a(s, len, HLL_SEED));
	lua_pushstring(L, hex);
	return 1;
}

static int l_position(lua_State *L)
{
	char buf[64];
	size_t len;
	const char *s = element(L, 1, &len, buf, sizeof buf, "lab.hll.position");
	int p = (int)(lua_isnoneornil(L, 2) ? 14 : lab_checkrange(L, 2, HLL_P_MIN, HLL_P_MAX));
	size_t i;
	int run;
	hll_position(s, len, p, &i, &run);
	lua_pushinteger(L, (lua_Integer)i);
	lua_pushinteger(L, run);
	return 2;
}

static int l_error(lua_State *L)
{
	int p = (int)(lua_isnoneornil(L, 1) ? 14 : lab_checkrange(L, 1, HLL_P_MIN, HLL_P_MAX));
	lua_pushnumber(L, 1.04 / sqrt((double)((size_t)1 << p)));
	return 1;
}

static const luaL_Reg methods[] = {
	{"add", m_add},           {"count", m_count},         {"merge", m_merge},
	{"register", m_register}, {"registers", m_registers}, {"histogram", m_histogram},
	{NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__len", m_len},
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class hll_class = {
	.name = "lab.hll",
	.methods = methods,
	.metamethods = metamethods,
	.free = free_hll,
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{"hash", l_hash},
	{"position", l_position},
	{"error", l_error},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_hll = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&hll_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {NULL}},
};
