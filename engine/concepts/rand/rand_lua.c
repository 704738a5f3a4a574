/*
 * rand_lua.c — lab.rand: the Lua binding of rand.h.
 *
 *   local r = lab.rand.new(42)        -- a seed is required: runs replay
 *   r:uniform() r:uniform(a, b) r:int(lo, hi) r:int(n)
 *   r:exponential(rate) r:normal(mean, sd) r:zipf(n, s)
 *   r:choice(t) r:shuffle(t) r:clone() r:snapshot()
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>

struct lrand {
	struct rng r;
	uint64_t seed;
	uint64_t draws;
	struct zipf *z; /* table of the last zipf(n, s) asked for, or NULL */
};

static void free_rand(void *obj)
{
	struct lrand *g = obj;
	zipf_free(g->z);
	g->z = NULL;
}

static const struct lab_class rand_class; /* below: methods come after */

static struct lrand *torand(lua_State *L)
{
	return lab_self(L, &rand_class);
}

static struct lrand *pushrand(lua_State *L, uint64_t seed)
{
	struct lrand *g = lab_newobj(L, &rand_class, sizeof *g);  /* push object */
	g->seed = seed;
	rng_seed(&g->r, seed);
	return g;
}

static int l_new(lua_State *L)
{
	if (lua_isnoneornil(L, 1))
		return luaL_error(L, "lab.rand.new needs a seed, e.g. lab.rand.new(42), so runs replay");
	pushrand(L, (uint64_t)luaL_checkinteger(L, 1));
	return 1;
}

static int m_uniform(lua_State *L)
{
	struct lrand *g = torand(L);
	double u = rng_uniform(&g->r);
	g->draws++;
	if (lua_isnoneornil(L, 2)) {
		lua_pushnumber(L, u);
	} else {
		double a = luaL_checknumber(L, 2), b = luaL_checknumber(L, 3);
		luaL_argcheck(L, a <= b, 3, "empty interval");
		lua_pushnumber(L, a + (b - a) * u);
	}
	return 1;
}

static int m_int(lua_State *L)
{
	struct lrand *g = torand(L);
	lua_Integer lo = 1, hi;
	if (lua_isnoneornil(L, 3)) {
		hi = luaL_checkinteger(L, 2);
	} else {
		lo = luaL_checkinteger(L, 2);
		hi = luaL_checkinteger(L, 3);
	}
	luaL_argcheck(L, lo <= hi, 2, "empty interval");
	g->draws++;
	lua_pushinteger(L, (lua_Integer)rng_range(&g->r, lo, hi));
	return 1;
}

static int m_exponential(lua_State *L)
{
	struct lrand *g = torand(L);
	double rate = luaL_optnumber(L, 2, 1.0);
	luaL_argcheck(L, rate > 0, 2, "rate must be positive");
	g->draws++;
	lua_pushnumber(L, rng_exponential(&g->r, rate));
	return 1;
}

static int m_normal(lua_State *L)
{
	struct lrand *g = torand(L);
	double mean = luaL_optnumber(L, 2, 0.0), sd = luaL_optnumber(L, 3, 1.0);
	luaL_argcheck(L, sd >= 0, 3, "standard deviation must not be negative");
	g->draws++;
	lua_pushnumber(L, rng_normal(&g->r, mean, sd));
	return 1;
}

static int m_zipf(lua_State *L)
{
	struct lrand *g = torand(L);
	lua_Integer n = luaL_checkinteger(L, 2);
	double s = luaL_optnumber(L, 3, 1.0);
	luaL_argcheck(L, n >= 1 && n <= 10000000, 2, "n must be between 1 and 10^7");
	luaL_argcheck(L, s >= 0 && isfinite(s), 3, "s must be a non-negative number");
	if (!g->z || zipf_n(g->z) != (uint64_t)n || zipf_s(g->z) != s) {
		zipf_free(g->z);
		g->z = zipf_new((uint64_t)n, s);
		if (!g->z)
			return lab_fail(L, "not enough memory for a Zipf table of %I ranks", n);
	}
	g->draws++;
	lua_pushinteger(L, (lua_Integer)zipf_sample(g->z, &g->r));
	return 1;
}

static int m_choice(lua_State *L)
{
	struct lrand *g = torand(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_Integer n = (lua_Integer)lua_rawlen(L, 2);
	luaL_argcheck(L, n > 0, 2, "cannot choose from an empty list");
	g->draws++;
	lua_rawgeti(L, 2, 1 + (lua_Integer)rng_below(&g->r, (uint64_t)n)); /* push element */
	return 1;
}

static int m_shuffle(lua_State *L)
{
	struct lrand *g = torand(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_Integer n = (lua_Integer)lua_rawlen(L, 2);
	for (lua_Integer i = n; i > 1; i--) { /* Fisher-Yates */
		lua_Integer j = 1 + (lua_Integer)rng_below(&g->r, (uint64_t)i);
		lua_rawgeti(L, 2, i);  /* push t[i] */
		lua_rawgeti(L, 2, j);  /* push t[j] */
		lua_rawseti(L, 2, i);  /* t[i] = old t[j] */
		lua_rawseti(L, 2, j);  /* t[j] = old t[i] */
	}
	g->draws++;
	lua_settop(L, 2);              /* return the table */
	return 1;
}

static int m_clone(lua_State *L)
{
	struct lrand *g = torand(L);
	struct lrand *c = pushrand(L, g->seed);
	c->r = g->r;
	c->draws = g->draws;
	return 1;
}

static int m_snapshot(lua_State *L)
{
	struct lrand *g = torand(L);
	lua_createtable(L, 0, 3);
	lua_pushinteger(L, (lua_Integer)g->seed);
	lua_setfield(L, -2, "seed");
	lua_pushinteger(L, (lua_Integer)g->draws);
	lua_setfield(L, -2, "draws");
	lua_createtable(L, 4, 0);      /* state words as hex strings */
	for (int i = 0; i < 4; i++) {
		char hex[17];
		for (int k = 0; k < 16; k++)
			hex[k] = "0123456789abcdef"[(g->r.s[i] >> (60 - 4 * k)) & 0xF];
		hex[16] = '\0';
		lua_pushstring(L, hex);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "state");
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct lrand *g = torand(L);
	lua_pushfstring(L, "lab.rand(seed=%I, draws=%I)", (lua_Integer)g->seed,
			(lua_Integer)g->draws);
	return 1;
}

static const luaL_Reg methods[] = {
	{"uniform", m_uniform}, {"int", m_int},         {"exponential", m_exponential},
	{"normal", m_normal},   {"zipf", m_zipf},       {"choice", m_choice},
	{"shuffle", m_shuffle}, {"clone", m_clone},     {"snapshot", m_snapshot},
	{NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class rand_class = {
	.name = "lab.rand", .methods = methods, .metamethods = metamethods, .free = free_rand};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_rand = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&rand_class, NULL},
};
