/*
 * hashset_lua.c — the node sets of lab.hash: the Lua binding of hashring.h,
 * rendezvous.h and maglev.h (lab_hash_sets adds their constructors to the
 * lab.hash table that hash_lua.c builds).
 *
 *   local r = lab.hash.ring{vnodes = 160, nodes = {"a", {"b", 2}}}
 *   local h = lab.hash.rendezvous{"a", "b", "c"}
 *   local m = lab.hash.maglev{nodes = {"a", "b"}, size = 65537}
 *   x:add(name [, weight]) x:remove(name) x:lookup(key) x:nodes()
 *   x:distribution(keys_or_n) x:snapshot()      -- ring, rendezvous, maglev
 *   r:points() r:lookup_hash(h32)  h:score(node, key) h:rank(key [, k])  m:table()
 *
 * The three share their Lua-facing methods through a small table of
 * operations (struct kind). Each userdata keeps, in its user value, the list
 * of node names as Lua strings, so a lookup pushes an existing string rather
 * than interning a new one.
 */
#include "engine/concepts/hash/chash.h"
#include "engine/concepts/hash/hashring.h"
#include "engine/lab/labkit.h"
#include "engine/concepts/hash/maglev.h"
#include "engine/concepts/hash/rendezvous.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define RING_T "lab.hash.ring"
#define HRW_T "lab.hash.rendezvous"
#define MAGLEV_T "lab.hash.maglev"

/* What the shared methods need to know about one kind of node set. */
struct kind {
	const char *tname;  /* metatable name */
	const char *what;   /* for messages: "ring", "rendezvous set", "Maglev table" */
	int weighted;       /* takes weights */
	int (*add)(void *x, const char *name, size_t len, double weight);
	int (*remove)(void *x, const char *name, size_t len);
	int (*find)(const void *x, const char *name, size_t len);
	size_t (*nodes)(const void *x);
	const char *(*name)(const void *x, size_t i, size_t *len);
	int (*lookup)(const void *x, const char *key, size_t len); /* node index or -1 */
	void (*free)(void *x);
};

struct lset {
	const struct kind *k;
	void *x; /* NULL once collected */
};

/* ---- the three kinds ---------------------------------------------------- */

static int ring_add(void *x, const char *n, size_t l, double w) { return hashring_add(x, n, l, w); }
static int ring_remove(void *x, const char *n, size_t l) { return hashring_remove(x, n, l); }
static int ring_find(const void *x, const char *n, size_t l) { return hashring_find(x, n, l); }
static size_t ring_nodes(const void *x) { return hashring_nodes(x); }
static const char *ring_name(const void *x, size_t i, size_t *l) { return hashring_name(x, i, l); }
static int ring_lookup(const void *x, const char *k, size_t l) { return hashring_lookup_key(x, k, l); }
static void ring_free(void *x) { hashring_free(x); }

static int hrw_add(void *x, const char *n, size_t l, double w) { return rendezvous_add(x, n, l, w); }
static int hrw_remove(void *x, const char *n, size_t l) { return rendezvous_remove(x, n, l); }
static int hrw_find(const void *x, const char *n, size_t l) { return rendezvous_find(x, n, l); }
static size_t hrw_nodes(const void *x) { return rendezvous_nodes(x); }
static const char *hrw_name(const void *x, size_t i, size_t *l) { return rendezvous_name(x, i, l); }
static int hrw_lookup(const void *x, const char *k, size_t l)
{
	return rendezvous_lookup(x, chash_hash64(k, l));
}
static void hrw_free(void *x) { rendezvous_free(x); }

static int mag_add(void *x, const char *n, size_t l, double w) { return maglev_add(x, n, l); }
static int mag_remove(void *x, const char *n, size_t l) { return maglev_remove(x, n, l); }
static int mag_find(const void *x, const char *n, size_t l) { return maglev_find(x, n, l); }
static size_t mag_nodes(const void *x) { return maglev_nodes(x); }
static const char *mag_name(const void *x, size_t i, size_t *l) { return maglev_name(x, i, l); }
static int mag_lookup(const void *x, const char *k, size_t l)
{
	return maglev_lookup(x, chash_hash64(k, l));
}
static void mag_free(void *x) { maglev_free(x); }

static const struct kind ring_kind = {RING_T, "ring", 1, ring_add, ring_remove, ring_find,
				      ring_nodes, ring_name, ring_lookup, ring_free};
static const struct kind hrw_kind = {HRW_T, "rendezvous set", 1, hrw_add, hrw_remove, hrw_find,
				     hrw_nodes, hrw_name, hrw_lookup, hrw_free};
static const struct kind mag_kind = {MAGLEV_T, "Maglev table", 0, mag_add, mag_remove, mag_find,
				     mag_nodes, mag_name, mag_lookup, mag_free};

/* ---- shared plumbing ---------------------------------------------------- */

static struct lset *toset(lua_State *L, const struct kind *k)
{
	struct lset *s = luaL_checkudata(L, 1, k->tname);
	if (!s->x)
		luaL_error(L, "%s is closed", k->what);
	return s;
}

/* Whichever of the three kinds is at index 1. */
static struct lset *toanyset(lua_State *L)
{
	static const struct kind *const kinds[] = {&ring_kind, &hrw_kind, &mag_kind};
	for (size_t i = 0; i < 3; i++) {
		struct lset *s = luaL_testudata(L, 1, kinds[i]->tname);
		if (s) {
			if (!s->x)
				luaL_error(L, "%s is closed", kinds[i]->what);
			return s;
		}
	}
	luaL_typeerror(L, 1, "lab.hash ring, rendezvous or maglev");
	return NULL;
}

/* Rebuilds the user value: the list of node names, in index order. */
static void refresh_names(lua_State *L, int idx, struct lset *s)
{
	size_t n = s->k->nodes(s->x);
	lua_createtable(L, (int)n, 0);          /* names */
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *name = s->k->name(s->x, i, &len);
		lua_pushlstring(L, name, len);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* names[i+1] = name */
	}
	lua_setiuservalue(L, idx, 1);           /* uservalue = names */
}

/* Pushes the name of node I (0-based) from the cached list. */
static void pushname(lua_State *L, int idx, int i)
{
	lua_getiuservalue(L, idx, 1);           /* push names */
	lua_rawgeti(L, -1, i + 1);              /* push names[i+1] */
	lua_remove(L, -2);                      /* remove names */
}

static struct lset *newset(lua_State *L, const struct kind *k)
{
	struct lset *s = lua_newuserdatauv(L, sizeof *s, 1); /* push set */
	s->k = k;
	s->x = NULL;
	luaL_setmetatable(L, k->tname);
	return s;
}

static double checkweight(lua_State *L, double w)
{
	if (!(w > 0) || !isfinite(w))
		luaL_error(L, "weight must be a positive number");
	return w;
}

static void addnode(lua_State *L, int idx, struct lset *s, const char *name, size_t len, double w)
{
	if (s->k->find(s->x, name, len) >= 0)
		luaL_error(L, "node '%s' is already in the %s", name, s->k->what);
	if (s->k->add(s->x, name, len, checkweight(L, w)) < 0)
		luaL_error(L, "cannot add node '%s' to the %s (too many points or nodes?)", name,
			   s->k->what);
	refresh_names(L, idx, s);
}

/*
 * Adds the nodes listed in the table at LIST to the set at IDX. An element is
 * a name, or {name, weight} / {name = ..., weight = ...}.
 */
static void addlist(lua_State *L, int idx, struct lset *s, int list)
{
	lua_Integer n = (lua_Integer)lua_rawlen(L, list);
	for (lua_Integer i = 1; i <= n; i++) {
		int t = lua_rawgeti(L, list, i);        /* push element */
		double w = 1.0;
		if (t == LUA_TTABLE) {
			if (lua_getfield(L, -1, "weight") == LUA_TNIL) { /* push weight */
				lua_pop(L, 1);                  /* remove nil */
				lua_rawgeti(L, -1, 2);          /* push element[2] */
			}
			if (!lua_isnil(L, -1)) {
				if (!lua_isnumber(L, -1))
					luaL_error(L, "node %I: weight must be a number", i);
				w = lua_tonumber(L, -1);
			}
			lua_pop(L, 1);                          /* remove weight */
			if (lua_getfield(L, -1, "name") == LUA_TNIL) { /* push name */
				lua_pop(L, 1);                  /* remove nil */
				lua_rawgeti(L, -1, 1);          /* push element[1] */
			}
			lua_remove(L, -2);                      /* remove element */
		}
		if (!lua_isstring(L, -1))
			luaL_error(L, "node %I must be a name or {name, weight}", i);
		size_t len;
		const char *name = lua_tolstring(L, -1, &len);
		addnode(L, idx, s, name, len, w);
		lua_pop(L, 1);                                  /* remove name */
	}
}

/* Adds the constructor's nodes: option `nodes`, or else the list part of the
 * options table itself, so {nodes = {"a", "b"}} and {"a", "b"} both work. */
static void addinitial(lua_State *L, int idx, struct lset *s)
{
	if (!lua_istable(L, 1))
		return;
	if (lua_getfield(L, 1, "nodes") == LUA_TNIL)    /* push nodes */
		lua_pushvalue(L, 1);                     /* or the list itself */
	luaL_argexpected(L, lua_istable(L, -1), 1, "option 'nodes' to be a list");
	addlist(L, idx, s, lua_gettop(L));
	lua_pop(L, 1);                                   /* remove list */
}

/* ---- shared methods ------------------------------------------------------ */

static int m_add(lua_State *L)
{
	struct lset *s = toanyset(L);
	size_t len;
	const char *name = luaL_checklstring(L, 2, &len);
	double w = luaL_optnumber(L, 3, 1.0);
	if (!s->k->weighted && !lua_isnoneornil(L, 3))
		return luaL_error(L, "a %s has no weights", s->k->what);
	addnode(L, 1, s, name, len, w);
	lua_settop(L, 1);                       /* return the set, for chaining */
	return 1;
}

static int m_remove(lua_State *L)
{
	struct lset *s = toanyset(L);
	size_t len;
	const char *name = luaL_checklstring(L, 2, &len);
	int ok = s->k->remove(s->x, name, len) == 0;
	if (ok)
		refresh_names(L, 1, s);
	lua_pushboolean(L, ok);
	return 1;
}

static int m_lookup(lua_State *L)
{
	struct lset *s = toanyset(L);
	size_t len;
	const char *key = luaL_checklstring(L, 2, &len);
	int i = s->k->lookup(s->x, key, len);
	if (i < 0)
		lua_pushnil(L);
	else
		pushname(L, 1, i);
	return 1;
}

static int m_nodes(lua_State *L)
{
	struct lset *s = toanyset(L);
	size_t n = s->k->nodes(s->x);
	lua_createtable(L, (int)n, 0);          /* copy of the names */
	lua_getiuservalue(L, 1, 1);             /* push names */
	for (size_t i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i); /* push names[i] */
		lua_rawseti(L, -3, (lua_Integer)i); /* copy[i] = name */
	}
	lua_pop(L, 1);                          /* remove names */
	return 1;
}

/*
 * x:distribution(n) counts the keys "key-1" .. "key-n" per node;
 * x:distribution{k1, k2, ...} counts the given keys. Returns {name = count}
 * with every node present, plus a second table {max = , mean = , max_mean = }.
 */
static int m_distribution(lua_State *L)
{
	struct lset *s = toanyset(L);
	size_t n = s->k->nodes(s->x);
	if (n == 0)
		return luaL_error(L, "the %s has no nodes", s->k->what);
	lua_Integer *count = lua_newuserdatauv(L, n * sizeof *count, 0); /* scratch */
	memset(count, 0, n * sizeof *count);
	lua_Integer keys = 0;
	if (lua_type(L, 2) == LUA_TTABLE) {
		lua_Integer m = (lua_Integer)lua_rawlen(L, 2);
		for (lua_Integer i = 1; i <= m; i++) {
			lua_rawgeti(L, 2, i);           /* push key */
			size_t len;
			const char *key = lua_tolstring(L, -1, &len);
			if (!key)
				return luaL_error(L, "key %I must be a string or a number", i);
			count[s->k->lookup(s->x, key, len)]++;
			lua_pop(L, 1);                  /* remove key */
		}
		keys = m;
	} else {
		lua_Integer m = luaL_checkinteger(L, 2);
		luaL_argcheck(L, m >= 1 && m <= 100000000, 2, "expected a list of keys or a count (1..10^8)");
		char key[32];
		for (lua_Integer i = 1; i <= m; i++) {
			int len = snprintf(key, sizeof key, "key-%lld", (long long)i);
			count[s->k->lookup(s->x, key, (size_t)len)]++;
		}
		keys = m;
	}
	lua_createtable(L, 0, (int)n);          /* counts by name */
	lua_Integer max = 0;
	for (size_t i = 0; i < n; i++) {
		pushname(L, 1, (int)i);
		lua_pushinteger(L, count[i]);
		lua_rawset(L, -3);                  /* counts[name] = count */
		if (count[i] > max)
			max = count[i];
	}
	double mean = (double)keys / (double)n;
	lua_createtable(L, 0, 3);               /* summary */
	lua_pushinteger(L, max);
	lua_setfield(L, -2, "max");
	lua_pushnumber(L, mean);
	lua_setfield(L, -2, "mean");
	lua_pushnumber(L, mean > 0 ? (double)max / mean : 0);
	lua_setfield(L, -2, "max_mean");
	return 2;
}

static int m_len(lua_State *L)
{
	struct lset *s = toanyset(L);
	lua_pushinteger(L, (lua_Integer)s->k->nodes(s->x));
	return 1;
}

static int m_gc(lua_State *L)
{
	struct lset *s = lua_touserdata(L, 1);
	if (s && s->x) {
		s->k->free(s->x);
		s->x = NULL;
	}
	return 0;
}

/* ---- ring ---------------------------------------------------------------- */

static int l_ring(lua_State *L)
{
	lua_settop(L, 1);                       /* the options, or nil */
	lua_Integer vnodes = lab_optint(L, 1, "vnodes", 160);
	if (vnodes < 1 || vnodes > HASHRING_MAX_POINTS)
		return luaL_error(L, "vnodes must be an integer between 1 and %d", HASHRING_MAX_POINTS);
	struct lset *s = newset(L, &ring_kind);
	int idx = lua_gettop(L);
	if (!(s->x = hashring_new((unsigned)vnodes)))
		return luaL_error(L, "not enough memory");
	refresh_names(L, idx, s);
	addinitial(L, idx, s);
	lua_settop(L, idx);                     /* the ring */
	return 1;
}

static int r_lookup_hash(lua_State *L)
{
	struct lset *s = toset(L, &ring_kind);
	lua_Integer h = luaL_checkinteger(L, 2);
	luaL_argcheck(L, h >= 0 && h <= 0xFFFFFFFF, 2, "a 32-bit hash (0 .. 2^32-1)");
	int i = hashring_lookup(s->x, (uint32_t)h);
	if (i < 0)
		lua_pushnil(L);
	else
		pushname(L, 1, i);
	return 1;
}

/* Pushes the continuum as a list of {hash = , node = }. */
static void pushpoints(lua_State *L, struct lset *s)
{
	size_t n;
	const struct hashring_point *p = hashring_points(s->x, &n);
	lua_createtable(L, (int)n, 0);          /* points */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 2);           /* point */
		lua_pushinteger(L, p[i].hash);
		lua_setfield(L, -2, "hash");
		pushname(L, 1, (int)p[i].node);
		lua_setfield(L, -2, "node");
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* points[i+1] = point */
	}
}

static int r_points(lua_State *L)
{
	pushpoints(L, toset(L, &ring_kind));
	return 1;
}

static int r_snapshot(lua_State *L)
{
	struct lset *s = toset(L, &ring_kind);
	size_t n = hashring_nodes(s->x);
	double *share = lua_newuserdatauv(L, (n + 1) * sizeof *share, 0); /* scratch */
	hashring_shares(s->x, share);
	lua_createtable(L, 0, 3);               /* snapshot */
	lua_pushinteger(L, hashring_vnodes(s->x));
	lua_setfield(L, -2, "vnodes");
	lua_createtable(L, (int)n, 0);          /* nodes */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 4);           /* node */
		pushname(L, 1, (int)i);
		lua_setfield(L, -2, "name");
		lua_pushnumber(L, hashring_weight(s->x, i));
		lua_setfield(L, -2, "weight");
		lua_pushinteger(L, (lua_Integer)hashring_npoints(s->x, i));
		lua_setfield(L, -2, "points");
		lua_pushnumber(L, share[i]);
		lua_setfield(L, -2, "share");
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* nodes[i+1] = node */
	}
	lua_setfield(L, -2, "nodes");
	pushpoints(L, s);
	lua_setfield(L, -2, "points");
	return 1;
}

static int r_tostring(lua_State *L)
{
	struct lset *s = toset(L, &ring_kind);
	size_t np;
	hashring_points(s->x, &np);
	lua_pushfstring(L, "lab.hash.ring(%d nodes, %d points, vnodes=%d)",
			(int)hashring_nodes(s->x), (int)np, (int)hashring_vnodes(s->x));
	return 1;
}

/* ---- rendezvous ----------------------------------------------------------- */

static int l_rendezvous(lua_State *L)
{
	lua_settop(L, 1);                       /* the options, or nil */
	struct lset *s = newset(L, &hrw_kind);
	int idx = lua_gettop(L);
	if (!(s->x = rendezvous_new()))
		return luaL_error(L, "not enough memory");
	refresh_names(L, idx, s);
	if (!lua_isnoneornil(L, 1))
		luaL_checktype(L, 1, LUA_TTABLE);
	addinitial(L, idx, s);
	lua_settop(L, idx);                     /* the rendezvous set */
	return 1;
}

static int h_score(lua_State *L)
{
	struct lset *s = toset(L, &hrw_kind);
	size_t nl, kl;
	const char *node = luaL_checklstring(L, 2, &nl);
	const char *key = luaL_checklstring(L, 3, &kl);
	int i = rendezvous_find(s->x, node, nl);
	if (i < 0)
		return luaL_error(L, "no node '%s'", node);
	uint64_t k = chash_hash64(key, kl);
	lua_pushnumber(L, rendezvous_score(s->x, (size_t)i, k));
	lua_pushinteger(L, (lua_Integer)rendezvous_raw(s->x, (size_t)i, k));
	return 2;
}

/* h:rank(key [, k]): the K (default all) nodes with the highest scores, best
 * first: the replicas of a key. */
static int h_rank(lua_State *L)
{
	struct lset *s = toset(L, &hrw_kind);
	size_t kl, n = rendezvous_nodes(s->x);
	const char *key = luaL_checklstring(L, 2, &kl);
	lua_Integer want = luaL_optinteger(L, 3, (lua_Integer)n);
	luaL_argcheck(L, want >= 0, 3, "count must not be negative");
	if ((size_t)want > n)
		want = (lua_Integer)n;
	uint64_t k = chash_hash64(key, kl);
	size_t *order = lua_newuserdatauv(L, (n + 1) * sizeof *order, 0); /* scratch */
	double *score = lua_newuserdatauv(L, (n + 1) * sizeof *score, 0); /* scratch */
	for (size_t i = 0; i < n; i++) {        /* insertion sort, best first */
		double sc = rendezvous_score(s->x, i, k);
		size_t j = i;
		for (; j > 0 && score[j - 1] < sc; j--) {
			score[j] = score[j - 1];
			order[j] = order[j - 1];
		}
		score[j] = sc;
		order[j] = i;
	}
	/* when unweighted the winner is decided by the integer score; keep rank 1
	 * equal to lookup() even if two float scores tie */
	if (n > 0) {
		int w = rendezvous_lookup(s->x, k);
		for (size_t j = 0; j < n; j++)
			if (order[j] == (size_t)w) {
				memmove(order + 1, order, j * sizeof *order);
				order[0] = (size_t)w;
				break;
			}
	}
	lua_createtable(L, (int)want, 0);       /* ranking */
	for (lua_Integer j = 0; j < want; j++) {
		pushname(L, 1, (int)order[j]);
		lua_rawseti(L, -2, j + 1);          /* ranking[j+1] = name */
	}
	return 1;
}

static int h_snapshot(lua_State *L)
{
	struct lset *s = toset(L, &hrw_kind);
	size_t n = rendezvous_nodes(s->x);
	lua_createtable(L, 0, 1);               /* snapshot */
	lua_createtable(L, (int)n, 0);          /* nodes */
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *name = rendezvous_name(s->x, i, &len);
		lua_createtable(L, 0, 3);           /* node */
		pushname(L, 1, (int)i);
		lua_setfield(L, -2, "name");
		lua_pushnumber(L, rendezvous_weight(s->x, i));
		lua_setfield(L, -2, "weight");
		lua_pushinteger(L, (lua_Integer)chash_hash64(name, len));
		lua_setfield(L, -2, "hash");
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* nodes[i+1] = node */
	}
	lua_setfield(L, -2, "nodes");
	return 1;
}

static int h_tostring(lua_State *L)
{
	struct lset *s = toset(L, &hrw_kind);
	lua_pushfstring(L, "lab.hash.rendezvous(%d nodes)", (int)rendezvous_nodes(s->x));
	return 1;
}

/* ---- maglev --------------------------------------------------------------- */

static int l_maglev(lua_State *L)
{
	lua_settop(L, 1);                       /* the options, or nil */
	lua_Integer size = lab_optint(L, 1, "size", 65537);
	if (size < 3 || size > MAGLEV_MAX_SIZE || !maglev_is_prime((uint32_t)size))
		return luaL_error(L, "size must be a prime between 3 and %d (e.g. 251, 65537)",
				  (int)MAGLEV_MAX_SIZE);
	struct lset *s = newset(L, &mag_kind);
	int idx = lua_gettop(L);
	if (!(s->x = maglev_new((uint32_t)size)))
		return luaL_error(L, "not enough memory");
	refresh_names(L, idx, s);
	addinitial(L, idx, s);
	lua_settop(L, idx);                     /* the Maglev table */
	return 1;
}

/* m:table(): the M entries as node names (nil where empty). */
static int g_table(lua_State *L)
{
	struct lset *s = toset(L, &mag_kind);
	uint32_t m = maglev_size(s->x);
	const int32_t *e = maglev_table(s->x);
	lua_createtable(L, (int)m, 0);          /* entries */
	lua_getiuservalue(L, 1, 1);             /* push names */
	for (uint32_t i = 0; i < m; i++) {
		if (e[i] < 0)
			continue;
		lua_rawgeti(L, -1, e[i] + 1);       /* push names[e+1] */
		lua_rawseti(L, -3, (lua_Integer)i + 1); /* entries[i+1] = name */
	}
	lua_pop(L, 1);                          /* remove names */
	return 1;
}

static int g_snapshot(lua_State *L)
{
	struct lset *s = toset(L, &mag_kind);
	size_t n = maglev_nodes(s->x);
	uint32_t m = maglev_size(s->x);
	const int32_t *e = maglev_table(s->x);
	lua_Integer *count = lua_newuserdatauv(L, (n + 1) * sizeof *count, 0); /* scratch */
	memset(count, 0, (n + 1) * sizeof *count);
	for (uint32_t i = 0; i < m; i++)
		if (e[i] >= 0)
			count[e[i]]++;
	lua_createtable(L, 0, 2);               /* snapshot */
	lua_pushinteger(L, m);
	lua_setfield(L, -2, "size");
	lua_createtable(L, (int)n, 0);          /* nodes */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 4);           /* node */
		pushname(L, 1, (int)i);
		lua_setfield(L, -2, "name");
		lua_pushinteger(L, maglev_offset(s->x, i));
		lua_setfield(L, -2, "offset");
		lua_pushinteger(L, maglev_skip(s->x, i));
		lua_setfield(L, -2, "skip");
		lua_pushinteger(L, count[i]);
		lua_setfield(L, -2, "entries");
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* nodes[i+1] = node */
	}
	lua_setfield(L, -2, "nodes");
	return 1;
}

static int g_tostring(lua_State *L)
{
	struct lset *s = toset(L, &mag_kind);
	lua_pushfstring(L, "lab.hash.maglev(%d nodes, size=%d)", (int)maglev_nodes(s->x),
			(int)maglev_size(s->x));
	return 1;
}

/* ---- registration -------------------------------------------------------- */

static const luaL_Reg ring_methods[] = {
	{"add", m_add},       {"remove", m_remove},       {"lookup", m_lookup},
	{"lookup_hash", r_lookup_hash}, {"nodes", m_nodes}, {"points", r_points},
	{"distribution", m_distribution}, {"snapshot", r_snapshot},
	{NULL, NULL},
};

static const luaL_Reg ring_meta[] = {
	{"__tostring", r_tostring}, {"__len", m_len}, {"__gc", m_gc},
	{NULL, NULL},
};

static const luaL_Reg hrw_methods[] = {
	{"add", m_add},       {"remove", m_remove},   {"lookup", m_lookup},
	{"nodes", m_nodes},   {"score", h_score},     {"rank", h_rank},
	{"distribution", m_distribution}, {"snapshot", h_snapshot},
	{NULL, NULL},
};

static const luaL_Reg hrw_meta[] = {
	{"__tostring", h_tostring}, {"__len", m_len}, {"__gc", m_gc},
	{NULL, NULL},
};

static const luaL_Reg mag_methods[] = {
	{"add", m_add},       {"remove", m_remove},   {"lookup", m_lookup},
	{"nodes", m_nodes},   {"table", g_table},
	{"distribution", m_distribution}, {"snapshot", g_snapshot},
	{NULL, NULL},
};

static const luaL_Reg mag_meta[] = {
	{"__tostring", g_tostring}, {"__len", m_len}, {"__gc", m_gc},
	{NULL, NULL},
};

static const luaL_Reg constructors[] = {
	{"ring", l_ring},
	{"rendezvous", l_rendezvous},
	{"maglev", l_maglev},
	{NULL, NULL},
};

/* Called by lab_open_hash (hash_lua.c) with the lab.hash table on top. */
void lab_hash_sets(lua_State *L)
{
	lab_newclass(L, RING_T, ring_methods, ring_meta);
	lab_newclass(L, HRW_T, hrw_methods, hrw_meta);
	lab_newclass(L, MAGLEV_T, mag_methods, mag_meta);
	luaL_setfuncs(L, constructors, 0);      /* lab.hash.ring = l_ring, ... */
}
