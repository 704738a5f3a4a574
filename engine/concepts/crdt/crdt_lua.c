/*
 * crdt_lua.c — lab.crdt: the Lua binding of crdt.h.
 *
 *   local a = lab.crdt.new("orset", 1)      -- type, replica id
 *   a:add("x") a:remove("x") a:has("x") a:inc(n) a:dec(n) a:set(v [, ts])
 *   a:value() a:merge(b) a:clone() a:equals(b) a:state() a:size()
 *   lab.crdt.laws{type = "orset", seed = 1, cases = 200}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/crdt/crdt.h"

#include <string.h>

struct lcrdt {
	struct crdt *c;
};

static void free_crdt(void *obj)
{
	struct lcrdt *x = obj;
	crdt_free(x->c);
	x->c = NULL;
}

static const struct lab_class crdt_class;

static struct crdt *self(lua_State *L)
{
	struct lcrdt *x = lab_self(L, &crdt_class);
	return x->c;
}

static struct crdt *other(lua_State *L, int idx)
{
	struct lcrdt *x = lab_checkobj(L, idx, &crdt_class);
	return x->c;
}

static void push(lua_State *L, struct crdt *c)
{
	struct lcrdt *x = lab_newobj(L, &crdt_class, sizeof *x);  /* push object */
	x->c = c;
}

static const char type_list[] = "gcounter pncounter gset 2pset orset lww mvreg";

static int l_new(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	lua_Integer replica = luaL_checkinteger(L, 2);
	int t = crdt_type_of(name);
	if (t < 0)
		return luaL_error(L, "lab.crdt.new: the types are %s (got '%s')", type_list, name);
	luaL_argcheck(L, replica >= 1 && replica <= 0x7fffffff, 2, "a replica id from 1");
	struct crdt *c = crdt_new((enum crdt_type)t, (uint32_t)replica);
	if (!c)
		return lab_fail(L, "lab.crdt.new: not enough memory");
	push(L, c);
	return 1;
}

/* The element at IDX: a string, or a number in its decimal form. */
static const char *element(lua_State *L, int idx, size_t *n)
{
	int t = lua_type(L, idx);
	if (t != LUA_TSTRING && t != LUA_TNUMBER)
		luaL_argerror(L, idx, "an element is a string or a number");
	return lua_tolstring(L, idx, n);
}

static int wrong_type(lua_State *L, struct crdt *c, const char *op)
{
	return luaL_error(L, "a %s has no %s", crdt_type_name(crdt_type(c)), op);
}

static int m_add(lua_State *L)
{
	struct crdt *c = self(L);
	size_t n;
	const char *e = element(L, 2, &n);
	enum crdt_type t = crdt_type(c);
	if (t != CRDT_GSET && t != CRDT_2PSET && t != CRDT_ORSET)
		return wrong_type(L, c, "add");
	if (crdt_add(c, e, n) != 0)
		return lab_fail(L, "add: not enough memory");
	lua_settop(L, 1);
	return 1;
}

static int m_remove(lua_State *L)
{
	struct crdt *c = self(L);
	size_t n;
	const char *e = element(L, 2, &n);
	enum crdt_type t = crdt_type(c);
	if (t != CRDT_2PSET && t != CRDT_ORSET)
		return wrong_type(L, c, "remove (a G-set only grows)");
	if (t == CRDT_2PSET && !crdt_has(c, e, n))
		return luaL_error(L, "a 2P-set removes only what it holds (and '%s' is not here)", e);
	if (crdt_remove(c, e, n) != 0)
		return lab_fail(L, "remove: not enough memory");
	lua_settop(L, 1);
	return 1;
}

static int m_has(lua_State *L)
{
	struct crdt *c = self(L);
	size_t n;
	const char *e = element(L, 2, &n);
	lua_pushboolean(L, crdt_has(c, e, n));
	return 1;
}

static int inc(lua_State *L, int sign)
{
	struct crdt *c = self(L);
	lua_Integer by = luaL_optinteger(L, 2, 1);
	enum crdt_type t = crdt_type(c);
	if (t != CRDT_GCOUNTER && t != CRDT_PNCOUNTER)
		return wrong_type(L, c, sign > 0 ? "inc" : "dec");
	luaL_argcheck(L, by >= 0 && by <= (lua_Integer)1 << 53, 2, "a count from 0");
	if (t == CRDT_GCOUNTER && sign < 0)
		return luaL_error(L, "a gcounter only grows: use a pncounter to decrement");
	if (crdt_inc(c, sign * by) != 0)
		return lab_fail(L, "inc: not enough memory");
	lua_settop(L, 1);
	return 1;
}

static int m_inc(lua_State *L)
{
	return inc(L, 1);
}

static int m_dec(lua_State *L)
{
	return inc(L, -1);
}

static int m_set(lua_State *L)
{
	struct crdt *c = self(L);
	size_t n;
	const char *v = element(L, 2, &n);
	enum crdt_type t = crdt_type(c);
	if (t != CRDT_LWW && t != CRDT_MVREG)
		return wrong_type(L, c, "set");
	double ts = 0;
	if (t == CRDT_LWW)
		ts = luaL_checknumber(L, 3);
	if (crdt_set(c, v, n, ts) != 0)
		return lab_fail(L, "set: not enough memory");
	lua_settop(L, 1);
	return 1;
}

static void push_values(lua_State *L, struct crdt *c)
{
	const struct crdt_str *v;
	size_t n = crdt_values(c, &v);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushlstring(L, v[i].s, v[i].n);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static int m_value(lua_State *L)
{
	struct crdt *c = self(L);
	switch (crdt_type(c)) {
	case CRDT_GCOUNTER:
	case CRDT_PNCOUNTER: lua_pushinteger(L, (lua_Integer)crdt_count(c)); return 1;
	case CRDT_LWW: {
		const struct crdt_str *v;
		if (crdt_values(c, &v) == 1)
			lua_pushlstring(L, v[0].s, v[0].n);
		else
			lua_pushnil(L);
		return 1;
	}
	default: push_values(L, c); return 1;
	}
}

static int m_merge(lua_State *L)
{
	struct crdt *c = self(L), *o = other(L, 2);
	if (crdt_type(c) != crdt_type(o))
		return luaL_error(L, "cannot merge a %s into a %s", crdt_type_name(crdt_type(o)),
				  crdt_type_name(crdt_type(c)));
	if (crdt_merge(c, o) != 0)
		return lab_fail(L, "merge: not enough memory");
	lua_settop(L, 1);
	return 1;
}

static int m_clone(lua_State *L)
{
	struct crdt *d = crdt_clone(self(L));
	if (!d)
		return lab_fail(L, "clone: not enough memory");
	push(L, d);
	return 1;
}

static int m_equals(lua_State *L)
{
	lua_pushboolean(L, crdt_equal(self(L), other(L, 2)));
	return 1;
}

/* Pushes part K of a set as a list of elements, or of {element, replica,
 * seq} tags for an OR-set. */
static void push_part(lua_State *L, struct crdt *c, int k)
{
	lua_newtable(L);
	struct crdt_entry e;
	for (size_t i = 0; crdt_entry(c, k, i, &e) == 0; i++) {
		if (crdt_type(c) == CRDT_ORSET) {
			lua_createtable(L, 3, 0);
			lua_pushlstring(L, e.s, e.n);
			lua_rawseti(L, -2, 1);
			lua_pushinteger(L, e.replica);
			lua_rawseti(L, -2, 2);
			lua_pushinteger(L, (lua_Integer)e.count);
			lua_rawseti(L, -2, 3);
		} else {
			lua_pushlstring(L, e.s, e.n);
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static void push_counts(lua_State *L, struct crdt *c, int k)
{
	lua_newtable(L);
	struct crdt_entry e;
	for (size_t i = 0; crdt_entry(c, k, i, &e) == 0; i++) {
		lua_pushinteger(L, (lua_Integer)e.count);
		lua_rawseti(L, -2, e.replica);
	}
}

static int m_state(lua_State *L)
{
	struct crdt *c = self(L);
	struct crdt_entry e;
	switch (crdt_type(c)) {
	case CRDT_GCOUNTER: push_counts(L, c, 0); return 1;
	case CRDT_PNCOUNTER:
		lua_createtable(L, 0, 2);
		push_counts(L, c, 0);
		lua_setfield(L, -2, "p");
		push_counts(L, c, 1);
		lua_setfield(L, -2, "n");
		return 1;
	case CRDT_GSET: push_part(L, c, 0); return 1;
	case CRDT_2PSET:
	case CRDT_ORSET:
		lua_createtable(L, 0, 2);
		push_part(L, c, 0);
		lua_setfield(L, -2, "adds");
		push_part(L, c, 1);
		lua_setfield(L, -2, crdt_type(c) == CRDT_2PSET ? "removes" : "tombstones");
		return 1;
	case CRDT_LWW:
		lua_createtable(L, 0, 3);
		if (crdt_entry(c, 0, 0, &e) == 0) {
			lua_pushlstring(L, e.s, e.n);
			lua_setfield(L, -2, "value");
			lab_setnum(L, "ts", e.ts);
			lab_setint(L, "replica", e.replica);
		}
		return 1;
	default:
		lua_newtable(L);
		for (size_t i = 0; crdt_entry(c, 0, i, &e) == 0; i++) {
			lua_createtable(L, 0, 2);
			lua_pushlstring(L, e.s, e.n);
			lua_setfield(L, -2, "value");
			lua_newtable(L);
			uint32_t r;
			uint64_t n;
			for (size_t j = 0; crdt_vv(c, i, j, &r, &n) == 0; j++) {
				lua_pushinteger(L, (lua_Integer)n);
				lua_rawseti(L, -2, r);
			}
			lua_setfield(L, -2, "vv");
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		return 1;
	}
}

static int m_size(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)crdt_size(self(L)));
	return 1;
}

static int m_type(lua_State *L)
{
	lua_pushstring(L, crdt_type_name(crdt_type(self(L))));
	return 1;
}

static int m_replica(lua_State *L)
{
	lua_pushinteger(L, crdt_replica(self(L)));
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct crdt *c = self(L);
	lua_pushfstring(L, "lab.crdt.%s(replica %d)", crdt_type_name(crdt_type(c)),
			(int)crdt_replica(c));
	return 1;
}

static const struct lab_opt laws_opts[] = {
	{"type", LAB_ENUM, .str = "gcounter", .choices = type_list},
	{"seed", LAB_INT, 1, .help = "the same seed, the same histories"},
	{"cases", LAB_INT, 100, .min = 1, .max = 100000},
	{"replicas", LAB_INT, 3, .min = 1, .max = 16},
	{"ops", LAB_INT, 20, .min = 1, .max = 200, .help = "operations per replica"},
	{NULL},
};

#define LF(m) LAB_F(struct crdt_laws, m)
static const struct lab_field laws_fields[] = {
	LF(cases), LF(commutative), LF(associative), LF(idempotent), LF(converged), LF(correct),
	{NULL},
};

static int l_laws(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.crdt.laws", laws_opts);
	struct crdt_laws r;
	if (crdt_check_laws((enum crdt_type)o[0].choice, (uint64_t)o[1].i, (int)o[2].i,
			    (int)o[3].i, (int)o[4].i, &r) != 0)
		return lab_fail(L, "lab.crdt.laws: not enough memory");
	lab_pushfields(L, &r, laws_fields);
	return 1;
}

static const luaL_Reg methods[] = {
	{"add", m_add},       {"remove", m_remove}, {"has", m_has},       {"inc", m_inc},
	{"dec", m_dec},       {"set", m_set},       {"value", m_value},   {"merge", m_merge},
	{"clone", m_clone},   {"equals", m_equals}, {"state", m_state},   {"size", m_size},
	{"type", m_type},     {"replica", m_replica},
	{NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class crdt_class = {
	.name = "lab.crdt",
	.methods = methods,
	.metamethods = metamethods,
	.free = free_crdt,
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{"laws", l_laws},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_crdt = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&crdt_class, NULL},
	.options = (const struct lab_fnopts[]){{"laws", laws_opts}, {NULL}},
};
