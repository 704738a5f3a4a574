/*
 * hash_lua.c — lab.hash: the Lua binding of chash.h, hashmove.h and
 * hashset.h (the ring, rendezvous and Maglev classes share their methods).
 *
 *   lab.hash.hash64(s) mix64(x) ketama(s [, word]) jump(key, buckets)
 *   lab.hash.movement{scheme = "ring", nodes = 10, keys = 100000, change = "add"}
 *   local r = lab.hash.ring{vnodes = 160, nodes = {"a", {"b", 2}}}
 *   lab.hash.rendezvous{"a", "b"}   lab.hash.maglev{nodes = {"a"}, size = 65537}
 *   x:add(name [, weight]) x:remove(name) x:lookup(key) x:nodes() #x
 *   x:distribution(n or {keys}) x:snapshot()   r:points() r:lookup_hash(h)
 *   h:score(node, key) h:rank(key [, k])       m:table()
 *
 * 64-bit hashes come to Lua as integers with the same 64 bits, so half of
 * them print negative. A set keeps the node names as Lua strings in its
 * user value, in index order, so a lookup pushes an existing string.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/hash/hashmove.h"
#include "engine/concepts/hash/hashring.h"
#include "engine/concepts/hash/hashset.h"
#include "engine/concepts/hash/maglev.h"
#include "engine/concepts/hash/rendezvous.h"

#include <math.h>
#include <string.h>

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
	size_t len;
	if (lua_type(L, 1) == LUA_TSTRING) {
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

#define M(m) LAB_INTO(struct hashmove_config, m)
static const struct lab_opt movement_opts[] = {
	{"scheme", LAB_ENUM, .str = "ring", .choices = "modulo ring jump rendezvous maglev", M(scheme)},
	{"nodes", LAB_INT, .num = 10, .min = 1, .max = HASHMOVE_MAX_NODES, .help = "before the change",
	 M(nodes)},
	{"keys", LAB_INT, .num = 100000, .min = 1, .max = 1e7, .help = "\"key-1\" .. \"key-K\"", M(keys)},
	{"change", LAB_ENUM, .str = "add", .choices = "add remove"},
	{"node", LAB_INT, .str = "nodes", .min = 1, .max = HASHMOVE_MAX_NODES,
	 .help = "the one removed (1-based)"},
	{"vnodes", LAB_INT, .num = 160, .min = 1, .max = 1e7, .help = "ring: points per node", M(vnodes)},
	{"size", LAB_INT, .num = 65537, .min = 3, .max = MAGLEV_MAX_SIZE,
	 .help = "maglev: a prime > nodes + 1", M(table_size)},
	{NULL},
};

static const struct lab_field movement_fields[] = {
	LAB_F(struct hashmove_result, moved), LAB_F(struct hashmove_result, fraction),
	LAB_F(struct hashmove_result, expected), LAB_F(struct hashmove_result, max_mean_before),
	LAB_F(struct hashmove_result, max_mean_after), {NULL},
};

static void free_movement(void *r)
{
	hashmove_result_free(r);
}

static int l_movement(lua_State *L)
{
	const char *who = "lab.hash.movement";
	struct hashmove_config c;
	lua_settop(L, 1);
	const struct lab_val *o = lab_opts_into(L, 1, who, movement_opts, &c, 0);
	c.add = o[3].choice == 0;
	c.remove = o[4].set ? (uint32_t)o[4].i - 1 : c.nodes - 1;
	if (!c.add && (c.nodes < 2 || c.remove >= c.nodes))
		return luaL_error(L, "%s: removing a node needs nodes >= 2 and node <= nodes", who);
	if (!c.add && c.scheme == HASHMOVE_JUMP && c.remove != c.nodes - 1)
		return luaL_error(L, "%s: jump hash can only remove the last bucket (node = nodes)",
				  who);
	if (c.scheme == HASHMOVE_RING && (uint64_t)c.vnodes * (c.nodes + 1) > 10000000)
		return luaL_error(L, "%s: vnodes * (nodes + 1) must be at most 10^7", who);
	if (c.scheme == HASHMOVE_MAGLEV &&
	    (c.table_size <= c.nodes + 1 || !maglev_is_prime(c.table_size)))
		return luaL_error(L, "%s: size must be a prime greater than nodes + 1 (e.g. 65537)",
				  who);
	struct hashmove_result *r = lab_holder(L, sizeof *r, free_movement); /* push holder */
	if (hashmove_run(&c, r) < 0)
		return lab_fail(L, "%s: not enough memory", who);
	lab_pushfields(L, r, movement_fields);      /* push result */
	lab_setstr(L, "scheme", o[0].s);
	lab_setstr(L, "change", o[3].s);
	lab_setint(L, "nodes", c.nodes);
	lab_setint(L, "keys", (lua_Integer)c.keys);
	LAB_ARRAY(L, r->before, r->nbefore);
	lua_setfield(L, -2, "before");
	LAB_ARRAY(L, r->after, r->nafter);
	lua_setfield(L, -2, "after");
	return 1;
}

/* ---- node sets ---- */

struct lset {
	struct hashset *s;
};

static const struct lab_class ring_class, hrw_class, maglev_class;

static struct hashset *toset(lua_State *L)
{
	return ((struct lset *)lab_self(L, NULL))->s;
}

/* Rebuilds the user value of the set at 1: the node names, in index order. */
static void refresh_names(lua_State *L, struct hashset *s)
{
	size_t n = hashset_nodes(s), len;
	lua_createtable(L, (int)n, 0);              /* push names */
	for (size_t i = 0; i < n; i++) {
		const char *name = hashset_name(s, i, &len);
		lua_pushlstring(L, name, len);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* names[i+1] = name */
	}
	lua_setiuservalue(L, 1, 1);                 /* uservalue = names */
}

/* Pushes the name of node I (0-based) of the set at 1. */
static void pushname(lua_State *L, size_t i)
{
	lua_getiuservalue(L, 1, 1);                 /* push names */
	lua_rawgeti(L, -1, (lua_Integer)i + 1);     /* push names[i+1] */
	lua_remove(L, -2);                          /* remove names */
}

/* Adds the node NAME (the string at IDX) of weight W to the set at 1. */
static void addnode(lua_State *L, struct hashset *s, int idx, double w)
{
	size_t len;
	const char *name = lua_tolstring(L, idx, &len);
	if (hashset_find(s, name, len) >= 0)
		luaL_error(L, "node '%s' is already there", name);
	if (!(w > 0) || !isfinite(w))
		luaL_error(L, "weight must be a positive number");
	if (hashset_add(s, name, len, w) < 0)
		lab_fail(L, "cannot add node '%s' (too many points or nodes?)", name);
	refresh_names(L, s);
}

static const struct lab_opt node_opts[] = {
	{"name", LAB_STR, .help = "or element 1"},
	{"weight", LAB_NUM, .num = 1, .help = "or element 2"},
	{NULL},
};

/* Adds the nodes of the constructor's options (at 2, the set at 1): option
 * `nodes`, or else the list part of the options, so {nodes = {"a", "b"}}
 * and {"a", "b"} both work. An element is a name, {name, weight} or
 * {name = , weight = }. */
static void addinitial(lua_State *L, struct hashset *s, const char *who)
{
	if (lab_optpush(L, 2, "nodes") == LUA_TNIL) /* push nodes */
		lua_pushvalue(L, 2);                /* or the list itself */
	int list = lua_gettop(L);
	lua_Integer n = lua_istable(L, list) ? (lua_Integer)lua_rawlen(L, list) : 0;
	for (lua_Integer i = 1; i <= n; i++) {
		double w = 1;
		if (lua_rawgeti(L, list, i) == LUA_TTABLE) { /* push element */
			int el = lua_gettop(L);
			const struct lab_val *o = lab_opts_ex(L, el, who, node_opts, LAB_OPTS_ARRAY);
			w = o[1].num;
			if (!o[1].set && lua_rawgeti(L, el, 2) != LUA_TNIL) { /* push element[2] */
				if (lua_type(L, -1) != LUA_TNUMBER)
					luaL_error(L, "%s: node %I: weight must be a number", who, i);
				w = lua_tonumber(L, -1);
			}
			if (o[0].s)
				lua_pushstring(L, o[0].s);
			else
				lua_rawgeti(L, el, 1);      /* push element[1] */
		}
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "%s: node %I must be a name or {name, weight}", who, i);
		if (!hashset_weighted(hashset_kind(s)) && w != 1)
			luaL_error(L, "%s: a Maglev table has no weights", who);
		addnode(L, s, lua_gettop(L), w);
		lua_settop(L, list);
	}
	lua_pop(L, 1);                              /* remove list */
}

static const struct lab_opt ring_opts[] = {
	{"vnodes", LAB_INT, .num = 160, .min = 1, .max = HASHRING_MAX_POINTS, .help = "points per node"},
	{"nodes", LAB_TABLE, .help = "names or {name, weight}; or list them in the options"},
	{NULL},
};
static const struct lab_opt hrw_opts[] = {
	{"nodes", LAB_TABLE, .help = "names or {name, weight}; or list them in the options"},
	{NULL},
};
static const struct lab_opt maglev_opts[] = {
	{"size", LAB_INT, .num = 65537, .min = 3, .max = MAGLEV_MAX_SIZE, .help = "a prime"},
	{"nodes", LAB_TABLE, .help = "names; or list them in the options"},
	{NULL},
};

/* lab.hash.ring, rendezvous, maglev: the kind is upvalue 1. */
static int l_newset(lua_State *L)
{
	static const char *const who[] = {"lab.hash.ring", "lab.hash.rendezvous", "lab.hash.maglev"};
	static const struct lab_opt *const specs[] = {ring_opts, hrw_opts, maglev_opts};
	static const struct lab_class *const classes[] = {&ring_class, &hrw_class, &maglev_class};
	enum hashset_kind k = (enum hashset_kind)lua_tointeger(L, lua_upvalueindex(1));
	lua_settop(L, 1);
	const struct lab_val *o = lab_opts_ex(L, 1, who[k], specs[k], LAB_OPTS_ARRAY); /* 2: box */
	uint32_t param = k == HASHSET_RENDEZVOUS ? 0 : (uint32_t)o[0].i;
	if (k == HASHSET_MAGLEV && !maglev_is_prime(param))
		return luaL_error(L, "%s: size must be a prime (e.g. 251, 65537)", who[k]);
	struct lset *ls = lab_newobj(L, classes[k], sizeof *ls); /* 3: the set */
	lua_replace(L, 2);                          /* 2: the set, 1: the options */
	lua_insert(L, 1);                           /* 1: the set, 2: the options */
	if (!(ls->s = hashset_new(k, param)))
		return lab_fail(L, "%s: not enough memory", who[k]);
	refresh_names(L, ls->s);
	addinitial(L, ls->s, who[k]);
	lua_settop(L, 1);
	return 1;
}

static int m_add(lua_State *L)
{
	struct hashset *s = toset(L);
	luaL_checkstring(L, 2);
	if (!hashset_weighted(hashset_kind(s)) && !lua_isnoneornil(L, 3))
		return luaL_error(L, "a Maglev table has no weights");
	addnode(L, s, 2, luaL_optnumber(L, 3, 1.0));
	lua_settop(L, 1);                           /* return the set, for chaining */
	return 1;
}

static int m_remove(lua_State *L)
{
	struct hashset *s = toset(L);
	size_t len;
	const char *name = luaL_checklstring(L, 2, &len);
	int ok = hashset_remove(s, name, len) == 0;
	if (ok)
		refresh_names(L, s);
	lua_pushboolean(L, ok);
	return 1;
}

static int m_lookup(lua_State *L)
{
	struct hashset *s = toset(L);
	size_t len;
	const char *key = luaL_checklstring(L, 2, &len);
	int i = hashset_lookup(s, key, len);
	if (i < 0)
		lua_pushnil(L);
	else
		pushname(L, (size_t)i);
	return 1;
}

static int m_nodes(lua_State *L)
{
	size_t n = hashset_nodes(toset(L));
	lua_createtable(L, (int)n, 0);              /* push copy of the names */
	for (size_t i = 0; i < n; i++) {
		pushname(L, i);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* x:distribution(n) counts "key-1" .. "key-n" per node; x:distribution{k1,
 * ...} the keys given. Returns {name = count} and {max, mean, max_mean}. */
static int m_distribution(lua_State *L)
{
	struct hashset *s = toset(L);
	size_t n = hashset_nodes(s), len;
	if (n == 0)
		return luaL_error(L, "the set has no nodes");
	uint64_t *count = lab_scratch(L, n * sizeof *count); /* push scratch */
	lua_Integer keys;
	if (lua_type(L, 2) == LUA_TTABLE) {
		keys = (lua_Integer)lua_rawlen(L, 2);
		for (lua_Integer i = 1; i <= keys; i++) {
			lua_rawgeti(L, 2, i);           /* push key */
			const char *key = lua_tolstring(L, -1, &len);
			if (!key)
				return luaL_error(L, "key %I must be a string or a number", i);
			count[hashset_lookup(s, key, len)]++;
			lua_pop(L, 1);                  /* remove key */
			if ((i & 0xFFF) == 0)
				lab_poll(L);
		}
	} else {
		keys = lab_checkrange(L, 2, 1, 100000000);
		if (hashset_distribution(s, (uint64_t)keys, count) < 0)
			return lab_fail(L, "the distribution was stopped");
	}
	lua_createtable(L, 0, (int)n);              /* push counts by name */
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++) {
		pushname(L, i);
		lua_pushinteger(L, (lua_Integer)count[i]);
		lua_rawset(L, -3);                  /* counts[name] = count */
		max = count[i] > max ? count[i] : max;
	}
	double mean = (double)keys / (double)n;
	lua_createtable(L, 0, 3);                   /* push summary */
	lab_setint(L, "max", (lua_Integer)max);
	lab_setnum(L, "mean", mean);
	lab_setnum(L, "max_mean", mean > 0 ? (double)max / mean : 0);
	return 2;
}

static int m_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)hashset_nodes(toset(L)));
	return 1;
}

static int r_lookup_hash(lua_State *L)
{
	struct hashset *s = toset(L);
	int i = hashring_lookup(hashset_impl(s), (uint32_t)lab_checkrange(L, 2, 0, 0xFFFFFFFF));
	if (i < 0)
		lua_pushnil(L);
	else
		pushname(L, (size_t)i);
	return 1;
}

/* Pushes the continuum of the ring S as a list of {hash = , node = }. */
static int r_points(lua_State *L)
{
	size_t n;
	const struct hashring_point *p = hashring_points(hashset_impl(toset(L)), &n);
	lua_createtable(L, (int)n, 0);              /* push points */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 2);           /* push point */
		lab_setint(L, "hash", p[i].hash);
		pushname(L, p[i].node);
		lua_setfield(L, -2, "node");
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* points[i+1] = point */
	}
	return 1;
}

static int h_score(lua_State *L)
{
	struct rendezvous *h = hashset_impl(toset(L));
	size_t nl, kl;
	const char *node = luaL_checklstring(L, 2, &nl);
	const char *key = luaL_checklstring(L, 3, &kl);
	int i = rendezvous_find(h, node, nl);
	if (i < 0)
		return luaL_error(L, "no node '%s'", node);
	uint64_t k = chash_hash64(key, kl);
	lua_pushnumber(L, rendezvous_score(h, (size_t)i, k));
	lua_pushinteger(L, (lua_Integer)rendezvous_raw(h, (size_t)i, k));
	return 2;
}

/* h:rank(key [, k]): the K (default all) nodes with the highest scores. */
static int h_rank(lua_State *L)
{
	struct hashset *s = toset(L);
	size_t kl, n = hashset_nodes(s);
	const char *key = luaL_checklstring(L, 2, &kl);
	lua_Integer want = luaL_optinteger(L, 3, (lua_Integer)n);
	luaL_argcheck(L, want >= 0, 3, "count must not be negative");
	size_t *order = lab_scratch(L, n * sizeof *order); /* push scratch */
	if (hashset_rank(s, key, kl, order) < 0)
		return lab_fail(L, "not enough memory");
	lua_createtable(L, 0, 0);                   /* push ranking */
	for (size_t j = 0; j < n && (lua_Integer)j < want; j++) {
		pushname(L, order[j]);
		lua_rawseti(L, -2, (lua_Integer)j + 1);
	}
	return 1;
}

/* m:table(): the M entries as node names (nil where empty). */
static int g_table(lua_State *L)
{
	struct maglev *m = hashset_impl(toset(L));
	const int32_t *e = maglev_table(m);
	lua_createtable(L, (int)maglev_size(m), 0); /* push entries */
	for (uint32_t i = 0; i < maglev_size(m); i++) {
		if (e[i] < 0)
			continue;
		pushname(L, (size_t)e[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* Adds what node I of S shows in a snapshot to the table on top. */
static void node_fields(lua_State *L, struct hashset *s, size_t i, const uint64_t *entries)
{
	void *x = hashset_impl(s);
	size_t len;
	const char *name = hashset_name(s, i, &len);
	switch (hashset_kind(s)) {
	case HASHSET_RING:
		lab_setnum(L, "weight", hashring_weight(x, i));
		lab_setint(L, "points", (lua_Integer)hashring_npoints(x, i));
		break;
	case HASHSET_RENDEZVOUS:
		lab_setnum(L, "weight", rendezvous_weight(x, i));
		lab_setint(L, "hash", (lua_Integer)chash_hash64(name, len));
		break;
	case HASHSET_MAGLEV:
		lab_setint(L, "offset", maglev_offset(x, i));
		lab_setint(L, "skip", maglev_skip(x, i));
		lab_setint(L, "entries", (lua_Integer)entries[i]);
		break;
	}
}

static int m_snapshot(lua_State *L)
{
	struct hashset *s = toset(L);
	void *x = hashset_impl(s);
	size_t n = hashset_nodes(s);
	double *share = lab_scratch(L, (n + 1) * sizeof *share);      /* push scratch */
	uint64_t *entries = lab_scratch(L, (n + 1) * sizeof *entries); /* push scratch */
	lua_createtable(L, 0, 3);                   /* push snapshot */
	if (hashset_kind(s) == HASHSET_RING) {
		hashring_shares(x, share);
		lab_setint(L, "vnodes", hashring_vnodes(x));
		r_points(L);
		lua_setfield(L, -2, "points");
	} else if (hashset_kind(s) == HASHSET_MAGLEV) {
		const int32_t *e = maglev_table(x);
		for (uint32_t i = 0; i < maglev_size(x); i++)
			entries[e[i] >= 0 ? e[i] : (int32_t)n]++;
		lab_setint(L, "size", maglev_size(x));
	}
	lua_createtable(L, (int)n, 0);              /* push nodes */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 4);           /* push node */
		pushname(L, i);
		lua_setfield(L, -2, "name");
		node_fields(L, s, i, entries);
		if (hashset_kind(s) == HASHSET_RING)
			lab_setnum(L, "share", share[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "nodes");
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct hashset *s = toset(L);
	void *x = hashset_impl(s);
	size_t np;
	int n = (int)hashset_nodes(s);
	if (hashset_kind(s) == HASHSET_RING)
		lua_pushfstring(L, "lab.hash.ring(%d nodes, %d points, vnodes=%d)", n,
				(int)(hashring_points(x, &np), np), (int)hashring_vnodes(x));
	else if (hashset_kind(s) == HASHSET_RENDEZVOUS)
		lua_pushfstring(L, "lab.hash.rendezvous(%d nodes)", n);
	else
		lua_pushfstring(L, "lab.hash.maglev(%d nodes, size=%d)", n, (int)maglev_size(x));
	return 1;
}

static void free_set(void *obj)
{
	hashset_free(((struct lset *)obj)->s);
}

#define SHARED {"add", m_add}, {"remove", m_remove}, {"lookup", m_lookup}, {"nodes", m_nodes}, \
	       {"distribution", m_distribution}, {"snapshot", m_snapshot}
static const luaL_Reg meta[] = {{"__tostring", m_tostring}, {"__len", m_len}, {NULL, NULL}};
static const luaL_Reg ring_methods[] = {
	SHARED, {"lookup_hash", r_lookup_hash}, {"points", r_points}, {NULL, NULL}};
static const luaL_Reg hrw_methods[] = {SHARED, {"score", h_score}, {"rank", h_rank}, {NULL, NULL}};
static const luaL_Reg maglev_methods[] = {SHARED, {"table", g_table}, {NULL, NULL}};

static const struct lab_class ring_class = {.name = "lab.hash.ring", .methods = ring_methods,
					    .metamethods = meta, .free = free_set};
static const struct lab_class hrw_class = {.name = "lab.hash.rendezvous", .methods = hrw_methods,
					   .metamethods = meta, .free = free_set};
static const struct lab_class maglev_class = {.name = "lab.hash.maglev", .methods = maglev_methods,
					      .metamethods = meta, .free = free_set};

static void fields(lua_State *L)
{
	static const char *const names[] = {"ring", "rendezvous", "maglev"};
	for (int k = 0; k < 3; k++) {
		lua_pushinteger(L, k);
		lua_pushcclosure(L, l_newset, 1);   /* constructor with its kind */
		lua_setfield(L, -2, names[k]);
	}
}

static const luaL_Reg functions[] = {
	{"hash64", l_hash64}, {"mix64", l_mix64},         {"ketama", l_ketama},
	{"jump", l_jump},     {"movement", l_movement},   {NULL, NULL},
};

const struct lab_namespace lab_ns_hash = {
	.functions = functions,
	.fields = fields,
	.classes = (const struct lab_class *const[]){&ring_class, &hrw_class, &maglev_class, NULL},
	.options = (const struct lab_fnopts[]){{"movement", movement_opts}, {"ring", ring_opts},
					       {"rendezvous", hrw_opts}, {"maglev", maglev_opts},
					       {NULL, NULL}},
};
