/*
 * cms_lua.c — lab.cms: the Lua binding of cms.h.
 *
 *   local c = lab.cms.new{epsilon = 0.001, delta = 0.01, top = 10}
 *   c:add(x [, n]) -> estimate   c:estimate(x)   c:top()   c:merge(o)
 *   c:stats()   lab.cms.size(epsilon, delta) -> width, depth
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/concepts/cms/cms.h"
#include "engine/lab/labkit.h"

enum { TAG_STRING, TAG_INTEGER };

static void free_cms(void *obj)
{
	cms_free(obj);
}

static const struct lab_class cms_class;

/* The key at IDX: a string, or an integer (as its decimal text, tagged so
 * that top() gives back an integer). "1" and 1 are two keys. */
static const char *key_of(lua_State *L, int idx, size_t *len, int *tag, char *buf, size_t size,
			  const char *who)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		*tag = TAG_STRING;
		return lua_tolstring(L, idx, len);
	}
	if (!lua_isinteger(L, idx)) {
		lua_Number d = lua_type(L, idx) == LUA_TNUMBER ? lua_tonumber(L, idx) : 0.5;
		if (d != floor(d) || !(d >= -0x1p63 && d < 0x1p63))
			luaL_error(L, "%s: a key must be a string or an integer, not %s", who,
				   lua_type(L, idx) == LUA_TNUMBER ? "a fraction" : luaL_typename(L, idx));
	}
	*tag = TAG_INTEGER;
	long long i = lua_isinteger(L, idx) ? (long long)lua_tointeger(L, idx)
					    : (long long)lua_tonumber(L, idx);
	*len = (size_t)snprintf(buf, size, "#%lld", i); /* '#': never equal to a string key */
	return buf;
}

static const struct lab_opt new_opts[] = {
	{"width", LAB_INT, 0, .min = 1, .max = CMS_MAX_CELLS, .help = "counters per row"},
	{"depth", LAB_INT, 0, .min = 1, .max = CMS_MAX_DEPTH, .help = "rows"},
	{"epsilon", LAB_NUM, 0, .min = 1e-7, .max = 0.999,
	 .help = "or: error at most epsilon * total (width = ceil(e / epsilon))"},
	{"delta", LAB_NUM, 0, .min = 1e-9, .max = 0.999,
	 .help = "with probability 1 - delta (depth = ceil(ln(1 / delta)))"},
	{"top", LAB_INT, 0, .min = 0, .max = CMS_MAX_TOP, .help = "heavy keys to keep"},
	{"seed", LAB_INT, 1, .help = "draws the rows' hash functions"},
	{NULL},
};
enum { O_WIDTH, O_DEPTH, O_EPS, O_DELTA, O_TOP, O_SEED };

static int l_new(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.cms.new", new_opts);
	uint32_t w, d;
	if (o[O_EPS].set || o[O_DELTA].set) {
		if (!o[O_EPS].set || !o[O_DELTA].set || o[O_WIDTH].set || o[O_DEPTH].set)
			return luaL_error(L, "lab.cms.new: give width and depth, or epsilon and delta");
		cms_size(o[O_EPS].num, o[O_DELTA].num, &w, &d);
		if (d > CMS_MAX_DEPTH)
			d = CMS_MAX_DEPTH;
	} else {
		if (!o[O_WIDTH].set || !o[O_DEPTH].set)
			return luaL_error(L, "lab.cms.new: give width and depth, or epsilon and delta");
		w = (uint32_t)o[O_WIDTH].i;
		d = (uint32_t)o[O_DEPTH].i;
	}
	if ((uint64_t)w * d > CMS_MAX_CELLS)
		return luaL_error(L, "lab.cms.new: %d x %d counters is more than %d", (int)w, (int)d,
				  (int)CMS_MAX_CELLS);
	struct cms *c = lab_newobj(L, &cms_class, sizeof *c);
	if (cms_init(c, w, d, (uint64_t)o[O_SEED].i, (size_t)o[O_TOP].i) != 0)
		return lab_fail(L, "lab.cms.new: not enough memory");
	return 1;
}

static int m_add(lua_State *L)
{
	struct cms *c = lab_self(L, &cms_class);
	char buf[32];
	size_t len;
	int tag;
	const char *k = key_of(L, 2, &len, &tag, buf, sizeof buf, "c:add");
	lua_Integer n = lua_isnoneornil(L, 3) ? 1 : lab_checkrange(L, 3, 1, (lua_Integer)1 << 52);
	uint64_t e = cms_add(c, k, len, tag, (uint64_t)n);
	if (e == UINT64_MAX)
		return lab_fail(L, "c:add: not enough memory");
	lua_pushinteger(L, (lua_Integer)e);
	return 1;
}

static int m_estimate(lua_State *L)
{
	struct cms *c = lab_self(L, &cms_class);
	char buf[32];
	size_t len;
	int tag;
	const char *k = key_of(L, 2, &len, &tag, buf, sizeof buf, "c:estimate");
	lua_pushinteger(L, (lua_Integer)cms_estimate(c, k, len));
	return 1;
}

static void push_key(lua_State *L, const struct cms_top *t)
{
	if (t->tag == TAG_INTEGER)
		lua_pushinteger(L, (lua_Integer)strtoll(t->key + 1, NULL, 10));
	else
		lua_pushlstring(L, t->key, t->len);
}

static int m_top(lua_State *L)
{
	struct cms *c = lab_self(L, &cms_class);
	cms_top_sort(c);
	lua_createtable(L, (int)c->ntop, 0);
	for (size_t i = 0; i < c->ntop; i++) {
		lua_createtable(L, 0, 2);
		push_key(L, &c->top[i]);
		lua_setfield(L, -2, "key");
		lab_setint(L, "estimate", (lua_Integer)c->top[i].estimate);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int m_merge(lua_State *L)
{
	struct cms *c = lab_self(L, &cms_class);
	struct cms *o = lab_checkobj(L, 2, &cms_class);
	int rc = cms_merge(c, o);
	if (rc == -1)
		return luaL_error(L, "c:merge: the sketches differ in width, depth or seed");
	if (rc != 0)
		return lab_fail(L, "c:merge: not enough memory");
	lua_settop(L, 1);
	return 1;
}

static int m_stats(lua_State *L)
{
	struct cms *c = lab_self(L, &cms_class);
	lua_createtable(L, 0, 6);
	lab_setint(L, "width", c->width);
	lab_setint(L, "depth", c->depth);
	lab_setint(L, "total", (lua_Integer)c->total);
	lab_setnum(L, "epsilon", exp(1.0) / c->width);
	lab_setnum(L, "delta", exp(-(double)c->depth));
	lab_setint(L, "bytes", (lua_Integer)((size_t)c->width * c->depth * sizeof *c->counts));
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct cms *c = lab_self(L, &cms_class);
	lua_pushfstring(L, "lab.cms(%d x %d, total %I)", (int)c->depth, (int)c->width,
			(lua_Integer)c->total);
	return 1;
}

static int l_size(lua_State *L)
{
	double eps = luaL_checknumber(L, 1), delta = luaL_checknumber(L, 2);
	if (!(eps > 0 && eps < 1) || !(delta > 0 && delta < 1))
		return luaL_error(L, "lab.cms.size: epsilon and delta must be between 0 and 1");
	uint32_t w, d;
	cms_size(eps, delta, &w, &d);
	lua_pushinteger(L, w);
	lua_pushinteger(L, d);
	return 2;
}

static const luaL_Reg methods[] = {
	{"add", m_add},     {"estimate", m_estimate}, {"top", m_top},
	{"merge", m_merge}, {"stats", m_stats},       {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class cms_class = {
	.name = "lab.cms",
	.methods = methods,
	.metamethods = metamethods,
	.free = free_cms,
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{"size", l_size},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_cms = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&cms_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {NULL}},
};
