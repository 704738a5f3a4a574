/*
 * clocks_lua.c — lab.clocks: the Lua binding of clocks.h.
 *
 *   local c = lab.clocks.lamport()      c:tick() c:recv(t) c:time()
 *   local v = lab.clocks.vector(n, id)  v:tick() v:recv(vc) v:get()
 *   lab.clocks.compare(a, b)  lab.clocks.merge(a, b)
 *   local h = lab.clocks.hlc()          h:now(pt) h:recv(pt, l, c)
 *   local s = lab.clocks.store(id, n)   s:get(key) s:put(key, v, ctx) s:merge(o) s:siblings(key)
 *   lab.clocks.history{n =, events =, skew =, seed =}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/clocks/clocks.h"

#include <string.h>

/* ---- Lamport ---- */

struct llamport {
	uint64_t t;
};

static const struct lab_class lamport_class;

static int lamport_m_tick(lua_State *L)
{
	struct llamport *c = lab_self(L, &lamport_class);
	lua_pushinteger(L, (lua_Integer)lamport_tick(&c->t));
	return 1;
}

static int lamport_m_recv(lua_State *L)
{
	struct llamport *c = lab_self(L, &lamport_class);
	lua_Integer t = luaL_checkinteger(L, 2);
	luaL_argcheck(L, t >= 0, 2, "a time from 0");
	lua_pushinteger(L, (lua_Integer)lamport_recv(&c->t, (uint64_t)t));
	return 1;
}

static int lamport_m_time(lua_State *L)
{
	struct llamport *c = lab_self(L, &lamport_class);
	lua_pushinteger(L, (lua_Integer)c->t);
	return 1;
}

static const luaL_Reg lamport_methods[] = {
	{"tick", lamport_m_tick}, {"send", lamport_m_tick}, {"recv", lamport_m_recv},
	{"time", lamport_m_time}, {NULL, NULL},
};

static int lamport_tostring(lua_State *L)
{
	struct llamport *c = lab_self(L, &lamport_class);
	lua_pushfstring(L, "lab.clocks.lamport(%I)", (lua_Integer)c->t);
	return 1;
}

static const luaL_Reg lamport_meta[] = {{"__tostring", lamport_tostring}, {NULL, NULL}};

static const struct lab_class lamport_class = {
	.name = "lab.clocks.lamport",
	.methods = lamport_methods,
	.metamethods = lamport_meta,
	.free = NULL,
};

static int l_lamport(lua_State *L)
{
	lab_newobj(L, &lamport_class, sizeof(struct llamport));
	return 1;
}

/* ---- vectors as Lua tables ---- */

/* Reads the vector at IDX, an array of N counts, into V. */
static void read_vector(lua_State *L, int idx, uint64_t *v, size_t n, const char *who)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	for (size_t i = 0; i < n; i++) {
		int t = lua_rawgeti(L, idx, (lua_Integer)i + 1);        /* push v[i] */
		lua_Integer x = 0;
		if (t == LUA_TNUMBER && lua_isinteger(L, -1))
			x = lua_tointeger(L, -1);
		else if (t != LUA_TNIL)
			luaL_error(L, "%s: a vector holds integer counts (entry %d is a %s)", who,
				   (int)i + 1, lua_typename(L, t));
		if (x < 0)
			luaL_error(L, "%s: counts are not negative", who);
		v[i] = (uint64_t)x;
		lua_pop(L, 1);
	}
}

static void push_vector(lua_State *L, const uint64_t *v, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushinteger(L, (lua_Integer)v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/*
 * The keys of two vector tables A and B (arrays or maps: node ids or names
 * as keys, counts as values), as a sorted union in a new table pushed on
 * the stack; returns how many.                                     [-0, +1]
 */
static size_t key_union(lua_State *L, int a, int b, const char *who)
{
	lua_newtable(L);                                            /* push set */
	int set = lua_gettop(L);
	size_t n = 0;
	for (int k = 0; k < 2; k++) {
		int t = k ? b : a;
		luaL_checktype(L, t, LUA_TTABLE);
		lua_pushnil(L);
		while (lua_next(L, t)) {                            /* push key, value */
			if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
				luaL_error(L, "%s: a vector holds counts (integers from 0)", who);
			lua_pop(L, 1);                              /* remove value */
			lua_pushvalue(L, -1);                       /* push key */
			if (lua_rawget(L, set) == LUA_TNIL) {       /* push set[key] */
				lua_pushvalue(L, -2);
				lua_pushboolean(L, 1);
				lua_rawset(L, set);                 /* set[key] = true */
				n++;
			}
			lua_pop(L, 1);                              /* remove set[key] */
		}
	}
	return n;
}

/* Fills X and Y with the counts of A and B over the keys of SET. */
static void align(lua_State *L, int a, int b, int set, uint64_t *x, uint64_t *y)
{
	size_t i = 0;
	lua_pushnil(L);
	while (lua_next(L, set)) {                                  /* push key, true */
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawget(L, a);                                   /* push a[key] */
		x[i] = (uint64_t)lua_tointeger(L, -1);
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawget(L, b);                                   /* push b[key] */
		y[i] = (uint64_t)lua_tointeger(L, -1);
		lua_pop(L, 1);
		i++;
	}
}

static int l_compare(lua_State *L)
{
	size_t n = key_union(L, 1, 2, "lab.clocks.compare");       /* push set */
	uint64_t *x = lua_newuserdatauv(L, (n + 1) * 2 * sizeof *x, 0);
	align(L, 1, 2, 3, x, x + n);
	lua_pushstring(L, vc_order_name(vc_compare(x, x + n, n)));
	return 1;
}

static int l_merge(lua_State *L)
{
	key_union(L, 1, 2, "lab.clocks.merge");                     /* push set */
	lua_newtable(L);                                            /* push result */
	lua_pushnil(L);
	while (lua_next(L, 3)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawget(L, 1);
		lua_Integer x = lua_tointeger(L, -1);
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawget(L, 2);
		lua_Integer y = lua_tointeger(L, -1);
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_pushinteger(L, x > y ? x : y);
		lua_rawset(L, 4);                                   /* result[key] = max */
	}
	return 1;
}

/* ---- vector clocks ---- */

struct lvector {
	uint32_t n, id;
	uint64_t v[];
};

static const struct lab_class vector_class;

static int vector_m_tick(lua_State *L)
{
	struct lvector *c = lab_self(L, &vector_class);
	c->v[c->id - 1]++;
	push_vector(L, c->v, c->n);
	return 1;
}

static int vector_m_recv(lua_State *L)
{
	struct lvector *c = lab_self(L, &vector_class);
	uint64_t *m = lua_newuserdatauv(L, c->n * sizeof *m, 0);
	read_vector(L, 2, m, c->n, "v:recv");
	vc_merge(c->v, m, c->n);
	c->v[c->id - 1]++;
	push_vector(L, c->v, c->n);
	return 1;
}

static int vector_m_get(lua_State *L)
{
	struct lvector *c = lab_self(L, &vector_class);
	push_vector(L, c->v, c->n);
	return 1;
}

static const luaL_Reg vector_methods[] = {
	{"tick", vector_m_tick}, {"send", vector_m_tick}, {"recv", vector_m_recv},
	{"get", vector_m_get},   {NULL, NULL},
};

static int vector_tostring(lua_State *L)
{
	struct lvector *c = lab_self(L, &vector_class);
	lua_pushfstring(L, "lab.clocks.vector(%d entries, owner %d)", (int)c->n, (int)c->id);
	return 1;
}

static const luaL_Reg vector_meta[] = {{"__tostring", vector_tostring}, {NULL, NULL}};

static const struct lab_class vector_class = {
	.name = "lab.clocks.vector",
	.methods = vector_methods,
	.metamethods = vector_meta,
	.free = NULL,
};

static int l_vector(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1), id = luaL_checkinteger(L, 2);
	luaL_argcheck(L, n >= 1 && n <= 10000, 1, "between 1 and 10000 entries");
	luaL_argcheck(L, id >= 1 && id <= n, 2, "the owner's id, 1 to n");
	struct lvector *c = lab_newobj(L, &vector_class, sizeof *c + (size_t)n * sizeof(uint64_t));
	c->n = (uint32_t)n;
	c->id = (uint32_t)id;
	return 1;
}

/* ---- HLC ---- */

static const struct lab_class hlc_class;

static int push_hlc(lua_State *L, const struct hlc *h)
{
	lua_pushnumber(L, h->l);
	lua_pushinteger(L, (lua_Integer)h->c);
	return 2;
}

static int hlc_m_now(lua_State *L)
{
	struct hlc *h = lab_self(L, &hlc_class);
	hlc_now(h, luaL_checknumber(L, 2));
	return push_hlc(L, h);
}

static int hlc_m_recv(lua_State *L)
{
	struct hlc *h = lab_self(L, &hlc_class);
	double pt = luaL_checknumber(L, 2), l = luaL_checknumber(L, 3);
	lua_Integer c = luaL_checkinteger(L, 4);
	luaL_argcheck(L, c >= 0, 4, "a count from 0");
	hlc_recv(h, pt, l, (uint64_t)c);
	return push_hlc(L, h);
}

static int hlc_m_get(lua_State *L)
{
	return push_hlc(L, lab_self(L, &hlc_class));
}

static const luaL_Reg hlc_methods[] = {
	{"now", hlc_m_now}, {"send", hlc_m_now}, {"recv", hlc_m_recv}, {"get", hlc_m_get},
	{NULL, NULL},
};

static int hlc_tostring(lua_State *L)
{
	struct hlc *h = lab_self(L, &hlc_class);
	lua_pushfstring(L, "lab.clocks.hlc(%f, %I)", h->l, (lua_Integer)h->c);
	return 1;
}

static const luaL_Reg hlc_meta[] = {{"__tostring", hlc_tostring}, {NULL, NULL}};

static const struct lab_class hlc_class = {
	.name = "lab.clocks.hlc",
	.methods = hlc_methods,
	.metamethods = hlc_meta,
	.free = NULL,
};

static int l_hlc(lua_State *L)
{
	lab_newobj(L, &hlc_class, sizeof(struct hlc));
	return 1;
}

/* ---- the version-vector store ---- */

struct lstore {
	struct vvstore *s;
};

static void free_store(void *obj)
{
	struct lstore *x = obj;
	vvstore_free(x->s);
	x->s = NULL;
}

static const struct lab_class store_class;

static struct vvstore *tostore(lua_State *L, int idx)
{
	struct lstore *x = idx == 1 ? lab_self(L, &store_class) : lab_checkobj(L, idx, &store_class);
	return x->s;
}

static int store_m_get(lua_State *L)
{
	struct vvstore *s = tostore(L, 1);
	size_t kl;
	const char *k = luaL_checklstring(L, 2, &kl);
	lua_newtable(L);                                            /* push values */
	const char *v;
	size_t vl;
	const uint64_t *vv;
	for (size_t i = 0; vvstore_sibling(s, k, kl, i, &v, &vl, &vv) == 0; i++) {
		lua_pushlstring(L, v, vl);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	uint64_t *ctx = lua_newuserdatauv(L, vvstore_n(s) * sizeof *ctx, 0);
	vvstore_context(s, k, kl, ctx);
	push_vector(L, ctx, vvstore_n(s));                          /* push context */
	lua_remove(L, -2);
	return 2;
}

static int store_m_siblings(lua_State *L)
{
	struct vvstore *s = tostore(L, 1);
	size_t kl;
	const char *k = luaL_checklstring(L, 2, &kl);
	lua_newtable(L);
	const char *v;
	size_t vl;
	const uint64_t *vv;
	for (size_t i = 0; vvstore_sibling(s, k, kl, i, &v, &vl, &vv) == 0; i++) {
		lua_createtable(L, 0, 2);
		lua_pushlstring(L, v, vl);
		lua_setfield(L, -2, "value");
		push_vector(L, vv, vvstore_n(s));
		lua_setfield(L, -2, "vv");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int store_m_put(lua_State *L)
{
	struct vvstore *s = tostore(L, 1);
	size_t kl, vl;
	const char *k = luaL_checklstring(L, 2, &kl);
	const char *v = luaL_checklstring(L, 3, &vl);
	uint32_t n = vvstore_n(s);
	uint64_t *ctx = lua_newuserdatauv(L, n * sizeof *ctx, 0);
	if (lua_isnoneornil(L, 4))
		memset(ctx, 0, n * sizeof *ctx);
	else
		read_vector(L, 4, ctx, n, "s:put");
	if (vvstore_put(s, k, kl, v, vl, ctx) != 0)
		return lab_fail(L, "s:put: not enough memory");
	lua_settop(L, 1);
	return 1;
}

static int store_m_merge(lua_State *L)
{
	struct vvstore *s = tostore(L, 1), *o = tostore(L, 2);
	if (vvstore_n(o) != vvstore_n(s))
		return luaL_error(L, "s:merge: both stores need vectors of the same size");
	if (vvstore_merge(s, o) != 0)
		return lab_fail(L, "s:merge: not enough memory");
	lua_settop(L, 1);
	return 1;
}

static int store_m_keys(lua_State *L)
{
	struct vvstore *s = tostore(L, 1);
	lua_newtable(L);
	for (size_t i = 0; i < vvstore_keys(s); i++) {
		size_t len;
		const char *k = vvstore_key(s, i, &len);
		lua_pushlstring(L, k, len);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static const luaL_Reg store_methods[] = {
	{"get", store_m_get},     {"put", store_m_put},   {"merge", store_m_merge},
	{"siblings", store_m_siblings}, {"keys", store_m_keys}, {NULL, NULL},
};

static int store_tostring(lua_State *L)
{
	struct vvstore *s = tostore(L, 1);
	lua_pushfstring(L, "lab.clocks.store(%d keys)", (int)vvstore_keys(s));
	return 1;
}

static const luaL_Reg store_meta[] = {{"__tostring", store_tostring}, {NULL, NULL}};

static const struct lab_class store_class = {
	.name = "lab.clocks.store",
	.methods = store_methods,
	.metamethods = store_meta,
	.free = free_store,
};

static int l_store(lua_State *L)
{
	lua_Integer id = luaL_checkinteger(L, 1), n = luaL_checkinteger(L, 2);
	luaL_argcheck(L, n >= 1 && n <= 10000, 2, "between 1 and 10000 replicas");
	luaL_argcheck(L, id >= 1 && id <= n, 1, "the replica's id, 1 to n");
	struct lstore *x = lab_newobj(L, &store_class, sizeof *x);
	if (!(x->s = vvstore_new((uint32_t)id, (uint32_t)n)))
		return lab_fail(L, "lab.clocks.store: not enough memory");
	return 1;
}

/* ---- histories ---- */

static const struct lab_opt history_opts[] = {
	{"n", LAB_INT, 3, .min = 1, .max = 64, .help = "processes"},
	{"events", LAB_INT, 30, .min = 1, .max = 2000},
	{"skew", LAB_NUM, 0, .min = 0, .max = 1e6, .help = "physical clocks start this far apart"},
	{"seed", LAB_INT, 1, .help = "the same seed, the same history"},
	{NULL},
};

#define HF(m) LAB_F(struct history_check, m)
static const struct lab_field check_fields[] = {
	HF(pairs), HF(ordered), HF(concurrent), HF(lamport_ok), HF(lamport_orders), HF(vc_ok),
	HF(hlc_ok), HF(hlc_drift), {NULL},
};

static int l_history(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.clocks.history", history_opts);
	struct history h;
	if (history_random(&h, (uint32_t)o[0].i, (size_t)o[1].i, o[2].num, (uint64_t)o[3].i) != 0)
		return lab_fail(L, "lab.clocks.history: not enough memory");
	struct history_check c;
	history_check(&h, &c);
	lab_pushfields(L, &c, check_fields);
	static const char *const kinds[] = {"local", "send", "recv"};
	lua_createtable(L, (int)h.count, 0);
	for (size_t i = 0; i < h.count; i++) {
		const struct hist_event *e = &h.ev[i];
		lua_createtable(L, 0, 7);
		lab_setint(L, "proc", e->proc);
		lab_setstr(L, "kind", kinds[e->kind]);
		if (e->kind == HIST_RECV)
			lab_setint(L, "of", (lua_Integer)e->msg + 1);
		lab_setnum(L, "pt", e->pt);
		lab_setint(L, "lamport", (lua_Integer)e->lamport);
		push_vector(L, e->vc, h.n);
		lua_setfield(L, -2, "vc");
		lua_createtable(L, 2, 0);
		lua_pushnumber(L, e->hlc.l);
		lua_rawseti(L, -2, 1);
		lua_pushinteger(L, (lua_Integer)e->hlc.c);
		lua_rawseti(L, -2, 2);
		lua_setfield(L, -2, "hlc");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "events");
	history_free(&h);
	return 1;
}

static const luaL_Reg functions[] = {
	{"lamport", l_lamport}, {"vector", l_vector}, {"compare", l_compare},
	{"merge", l_merge},     {"hlc", l_hlc},       {"store", l_store},
	{"history", l_history}, {NULL, NULL},
};

const struct lab_namespace lab_ns_clocks = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&lamport_class, &vector_class, &hlc_class,
						     &store_class, NULL},
	.options = (const struct lab_fnopts[]){{"history", history_opts}, {NULL}},
};
