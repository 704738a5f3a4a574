/*
 * cachewrite_lua.c — lab.cache.store and lab.cache.writer: the Lua binding
 * of cachewrite.h.
 *
 *   local s = lab.cache.store{latency = 0.010}        -- seconds per access
 *   local w = lab.cache.writer{policy = "write-back", capacity = 100, store = s}
 *   w:write("x", 1)   local v, how = w:read("x")      -- how: "hit", "stale", "miss"
 *   w:read("x", function() other:write("x", 2) end)   -- runs between store read and fill
 *   w:flush() -> keys written    w:crash() -> keys lost    w:invalidate(k)
 *   w:stats() s:stats() w:snapshot() s:snapshot()
 *
 * The C side tracks versions; the values live in Lua: the store's user value
 * 1 (key -> value) and the writer's user value 1 (cached key -> value). The
 * writer's user value 2 is its store (kept alive), 3 its clock.
 */
#include "engine/concepts/cache/cache_lua.h"
#include "engine/concepts/cache/cachewrite.h"

#include <math.h>

#define STORE_T "lab.cache.store"
#define WRITER_T "lab.cache.writer"

struct lstore {
	struct cachestore *s; /* NULL once collected */
};

struct lwriter {
	struct cachewriter *w; /* NULL once collected */
	int clocked;
};

/* ---- the store ---- */

static struct cachestore *tostore(lua_State *L, int idx)
{
	struct lstore *ls = luaL_checkudata(L, idx, STORE_T);
	if (!ls->s)
		luaL_error(L, "store is closed");
	return ls->s;
}

static int l_store(lua_State *L)
{
	static const char *const opts[] = {"latency", "read_latency", "write_latency", NULL};
	cachelua_checkopts(L, 1, opts);
	double lat = lab_optnum(L, 1, "latency", 0.010);
	double rl = lab_optnum(L, 1, "read_latency", lat);
	double wl = lab_optnum(L, 1, "write_latency", lat);
	if (!(rl >= 0 && wl >= 0) || isinf(rl) || isinf(wl))
		return luaL_error(L, "latencies must be non-negative numbers of seconds");
	struct lstore *ls = lua_newuserdatauv(L, sizeof *ls, 1);
	ls->s = NULL;
	luaL_setmetatable(L, STORE_T);
	lua_newtable(L);                            /* values by key */
	lua_setiuservalue(L, -2, 1);
	ls->s = cachestore_new(rl, wl);
	if (!ls->s)
		return luaL_error(L, "not enough memory");
	return 1;
}

/* store.values[key] = value at the top of the stack (popped). STORE is the
 * store's stack index. */
static void store_set(lua_State *L, int store, struct cache_key key)
{
	lua_getiuservalue(L, store, 1);             /* push values */
	cachelua_pushkey(L, key);
	lua_rotate(L, -3, -1);                      /* values, key, value */
	lua_rawset(L, -3);                          /* values[key] = value */
	lua_pop(L, 1);                              /* remove values */
}

/* Pushes store.values[key]. */
static void store_get(lua_State *L, int store, struct cache_key key)
{
	lua_getiuservalue(L, store, 1);             /* push values */
	cachelua_pushkey(L, key);
	lua_rawget(L, -2);                          /* push values[key] */
	lua_remove(L, -2);                          /* remove values */
}

static int s_read(lua_State *L)
{
	struct cachestore *s = tostore(L, 1);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	cachestore_read(s, k);
	store_get(L, 1, k);
	return 1;
}

static int s_write(lua_State *L)
{
	struct cachestore *s = tostore(L, 1);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	luaL_argcheck(L, !lua_isnoneornil(L, 3), 3, "value must not be nil");
	uint64_t v = cachestore_write(s, k, 0);
	if (!v)
		return luaL_error(L, "not enough memory");
	lua_pushvalue(L, 3);
	store_set(L, 1, k);
	lua_pushinteger(L, (lua_Integer)v);
	return 1;
}

/* s:peek(k) -> value, version: no read is counted. */
static int s_peek(lua_State *L)
{
	struct cachestore *s = tostore(L, 1);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	store_get(L, 1, k);
	lua_pushinteger(L, (lua_Integer)cachestore_version(s, k));
	return 2;
}

static int s_stats(lua_State *L)
{
	const struct cachestore_stats *st = cachestore_stats(tostore(L, 1));
	lua_createtable(L, 0, 3);
	cachelua_setint(L, "reads", (lua_Integer)st->reads);
	cachelua_setint(L, "writes", (lua_Integer)st->writes);
	cachelua_setnum(L, "busy", st->busy);
	return 1;
}

static int s_snapshot(lua_State *L)
{
	struct cachestore *s = tostore(L, 1);
	size_t n = cachestore_list(s, NULL, 0);
	struct cache_item *items = lua_newuserdatauv(L, n * sizeof *items + 1, 0); /* scratch */
	cachestore_list(s, items, n);
	lua_createtable(L, 0, 4);                   /* the snapshot */
	lua_createtable(L, 0, (int)n);              /* values */
	lua_createtable(L, 0, (int)n);              /* versions */
	for (size_t i = 0; i < n; i++) {
		cachelua_pushkey(L, items[i].key);
		lua_pushinteger(L, (lua_Integer)items[i].data);
		lua_rawset(L, -3);                  /* versions[key] = version */
		cachelua_pushkey(L, items[i].key);
		store_get(L, 1, items[i].key);
		lua_rawset(L, -4);                  /* values[key] = value */
	}
	lua_setfield(L, -3, "versions");
	lua_setfield(L, -2, "values");
	const struct cachestore_stats *st = cachestore_stats(s);
	cachelua_setint(L, "reads", (lua_Integer)st->reads);
	cachelua_setint(L, "writes", (lua_Integer)st->writes);
	return 1;
}

static int s_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)cachestore_list(tostore(L, 1), NULL, 0));
	return 1;
}

static int s_tostring(lua_State *L)
{
	struct lstore *ls = luaL_checkudata(L, 1, STORE_T);
	if (!ls->s) {
		lua_pushliteral(L, "lab.cache.store(closed)");
		return 1;
	}
	const struct cachestore_stats *st = cachestore_stats(ls->s);
	lua_pushfstring(L, "lab.cache.store(%d keys, %I reads, %I writes)",
			(int)cachestore_list(ls->s, NULL, 0), (lua_Integer)st->reads,
			(lua_Integer)st->writes);
	return 1;
}

static int s_gc(lua_State *L)
{
	struct lstore *ls = luaL_checkudata(L, 1, STORE_T);
	cachestore_free(ls->s);
	ls->s = NULL;
	return 0;
}

/* ---- the writer ---- */

static struct lwriter *towriter(lua_State *L)
{
	struct lwriter *lw = luaL_checkudata(L, 1, WRITER_T);
	if (!lw->w)
		luaL_error(L, "writer is closed");
	return lw;
}

static double writer_now(lua_State *L, struct lwriter *lw)
{
	if (!lw->clocked)
		return 0;
	lua_getiuservalue(L, 1, 3);                 /* push clock */
	return lab_clock_time(L, "writer");
}

/* Pushes the writer's store (user value 2). */
static int push_store(lua_State *L)
{
	lua_getiuservalue(L, 1, 2);
	return lua_gettop(L);
}

/* Mirrors on the Lua values what OP says happened to an entry that left the
 * cache: a write-back copies its value to the store; the cached value goes. */
static void mirror_removal(lua_State *L, const struct cw_op *op)
{
	if (!op->evicted)
		return;
	lua_getiuservalue(L, 1, 1);                 /* push cached values */
	int cached = lua_gettop(L);
	if (op->written_back) {
		int store = push_store(L);
		cachelua_pushkey(L, op->key);
		lua_rawget(L, cached);              /* push cached[key] */
		store_set(L, store, op->key);
		lua_pop(L, 1);                      /* remove store */
	}
	cachelua_pushkey(L, op->key);
	lua_pushnil(L);
	lua_rawset(L, cached);                      /* cached[key] = nil */
	lua_pop(L, 1);                              /* remove cached values */
}

/* Reads the clock and drains expired entries (writing dirty ones back). */
static double drained(lua_State *L, struct lwriter *lw)
{
	double now = writer_now(L, lw);
	struct cw_op op;
	while (lw->clocked && cachewriter_expire(lw->w, now, &op))
		mirror_removal(L, &op);
	return now;
}

static int l_writer(lua_State *L)
{
	static const char *const opts[] = {"policy", "capacity", "store", "eviction",
					   "ttl", "clock", "latency", NULL};
	luaL_checktype(L, 1, LUA_TTABLE);
	cachelua_checkopts(L, 1, opts);
	const char *pname = lab_optstr(L, 1, "policy", "cache-aside");
	int policy = cachewrite_policy_parse(pname);
	if (policy < 0)
		return luaL_error(L, "unknown policy '%s' (policies: cache-aside, read-through, "
				  "write-through, write-back, write-around)", pname);
	lua_Integer cap = lab_optint(L, 1, "capacity", 100);
	if (cap < 1 || cap > 10000000)
		return luaL_error(L, "capacity must be a positive integer (at most 10^7)");
	const char *ename = lab_optstr(L, 1, "eviction", "lru");
	int eviction = cache_policy_parse(ename);
	if (eviction < 0)
		return luaL_error(L, "unknown eviction policy '%s'", ename);
	double ttl = lab_optnum(L, 1, "ttl", INFINITY);
	double lat = lab_optnum(L, 1, "latency", 0.0005);
	if (!(ttl > 0) || !(lat >= 0) || isinf(lat))
		return luaL_error(L, "ttl must be positive and latency non-negative (seconds)");
	lua_getfield(L, 1, "store");                /* push store */
	if (lua_isnil(L, -1))
		return luaL_error(L, "a writer needs a store: store = lab.cache.store{}");
	struct cachestore *s = tostore(L, -1);
	int clocked = lua_getfield(L, 1, "clock") != LUA_TNIL; /* push clock */
	if (clocked && lua_type(L, -1) != LUA_TFUNCTION) {
		int t = lua_type(L, -1);
		if ((t != LUA_TTABLE && t != LUA_TUSERDATA) ||
		    lua_getfield(L, -1, "now") != LUA_TFUNCTION)
			return luaL_error(L, "option 'clock' must be a lab.clock, an object with "
					  "a now() method, or a function returning the time");
		lua_pop(L, 1);                      /* remove now */
	}
	if (!isinf(ttl) && !clocked)
		return luaL_error(L, "a ttl needs simulated time: add clock = lab.clock.new()");
	struct lwriter *lw = lua_newuserdatauv(L, sizeof *lw, 3);
	lw->w = NULL;
	lw->clocked = clocked;
	luaL_setmetatable(L, WRITER_T);
	lua_newtable(L);                            /* cached values by key */
	lua_setiuservalue(L, -2, 1);
	lua_rotate(L, -2, 1);                       /* store, writer, clock */
	lua_setiuservalue(L, -2, 3);                /* user value 3 = clock */
	lua_rotate(L, -2, 1);                       /* writer, store */
	lua_setiuservalue(L, -2, 2);                /* user value 2 = store */
	lw->w = cachewriter_new((enum cachewrite_policy)policy, (size_t)cap,
				(enum cache_policy)eviction, ttl, lat, s);
	if (!lw->w)
		return luaL_error(L, "not enough memory");
	return 1;
}

static const char *const outcome_names[] = {"miss", "hit", "stale"};

/* w:read(k [, between]) -> value, "hit" | "stale" | "miss" */
static int w_read(lua_State *L)
{
	struct lwriter *lw = towriter(L);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	if (!lua_isnoneornil(L, 3))
		luaL_checktype(L, 3, LUA_TFUNCTION);
	lua_settop(L, 3);
	double now = drained(L, lw);
	struct cw_op op;
	int r = cachewriter_read(lw->w, k, now, &op);
	if (r < 0)
		return luaL_error(L, "not enough memory");
	if (r != CW_MISS) {
		lua_getiuservalue(L, 1, 1);         /* push cached values */
		lua_pushvalue(L, 2);
		lua_rawget(L, -2);                  /* push cached[key] */
		lua_pushstring(L, outcome_names[r]);
		return 2;
	}
	int store = push_store(L);                  /* 4 */
	store_get(L, store, k);                     /* 5: the value read from the store */
	uint64_t version = op.version, lease = op.lease;
	if (!lua_isnil(L, 3)) {
		lua_pushvalue(L, 3);
		lua_call(L, 0, 0);                  /* between() */
		now = drained(L, lw);
		k = cachelua_tokey(L, 2, "key");    /* (the same string, still on the stack) */
	}
	int filled = cachewriter_fill(lw->w, k, version, lease, now, &op);
	if (filled < 0)
		return luaL_error(L, "not enough memory");
	mirror_removal(L, &op);
	if (filled) {
		lua_getiuservalue(L, 1, 1);         /* push cached values */
		lua_pushvalue(L, 2);
		lua_pushvalue(L, 5);
		lua_rawset(L, -3);                  /* cached[key] = value */
		lua_pop(L, 1);                      /* remove cached values */
	}
	lua_pushvalue(L, 5);
	lua_pushstring(L, outcome_names[CW_MISS]);
	return 2;
}

static int w_write(lua_State *L)
{
	struct lwriter *lw = towriter(L);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	luaL_argcheck(L, !lua_isnoneornil(L, 3), 3, "value must not be nil");
	lua_settop(L, 3);
	double now = drained(L, lw);
	struct cw_op op;
	if (cachewriter_write(lw->w, k, now, &op) < 0)
		return luaL_error(L, "not enough memory");
	mirror_removal(L, &op);
	if (op.stored) {
		int store = push_store(L);
		lua_pushvalue(L, 3);
		store_set(L, store, k);
		lua_pop(L, 1);                      /* remove store */
	}
	lua_getiuservalue(L, 1, 1);                 /* push cached values */
	lua_pushvalue(L, 2);
	if (op.cached)
		lua_pushvalue(L, 3);
	else
		lua_pushnil(L);
	lua_rawset(L, -3);                          /* cached[key] = value or nil */
	return 0;
}

static int w_invalidate(lua_State *L)
{
	struct lwriter *lw = towriter(L);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	double now = drained(L, lw);
	struct cw_op op;
	int was = cachewriter_invalidate(lw->w, k, now, &op);
	mirror_removal(L, &op);
	lua_pushboolean(L, was);
	return 1;
}

/* Pushes the dirty keys as an array; with TO_STORE, copies their values to
 * the store. */
static void push_dirty(lua_State *L, struct lwriter *lw, int to_store)
{
	size_t n = cachewriter_list(lw->w, 1, NULL, 0);
	struct cache_item *items = lua_newuserdatauv(L, n * sizeof *items + 1, 0); /* scratch */
	cachewriter_list(lw->w, 1, items, n);
	int store = push_store(L);
	lua_getiuservalue(L, 1, 1);                 /* push cached values */
	int cached = lua_gettop(L);
	lua_createtable(L, (int)n, 0);              /* push the keys */
	for (size_t i = 0; i < n; i++) {
		cachelua_pushkey(L, items[i].key);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
		if (to_store) {
			cachelua_pushkey(L, items[i].key);
			lua_rawget(L, cached);      /* push cached[key] */
			store_set(L, store, items[i].key);
		}
	}
	lua_replace(L, store - 1);                  /* keys where the scratch was */
	lua_settop(L, store - 1);
}

static int w_flush(lua_State *L)
{
	struct lwriter *lw = towriter(L);
	drained(L, lw);
	lua_settop(L, 1);
	push_dirty(L, lw, 1);
	cachewriter_flush(lw->w);
	return 1;
}

static int w_crash(lua_State *L)
{
	struct lwriter *lw = towriter(L);
	lua_settop(L, 1);
	push_dirty(L, lw, 0);
	cachewriter_crash(lw->w);
	lua_newtable(L);
	lua_setiuservalue(L, 1, 1);                 /* the cached values are gone */
	return 1;
}

static int w_stats(lua_State *L)
{
	struct lwriter *lw = towriter(L);
	drained(L, lw);
	const struct cachewriter_stats *st = cachewriter_stats(lw->w);
	lua_createtable(L, 0, 16);
	cachelua_setint(L, "reads", (lua_Integer)st->reads);
	cachelua_setint(L, "writes", (lua_Integer)st->writes);
	cachelua_setint(L, "hits", (lua_Integer)st->hits);
	cachelua_setint(L, "misses", (lua_Integer)st->misses);
	cachelua_setint(L, "stale_reads", (lua_Integer)st->stale_reads);
	cachelua_setnum(L, "hit_ratio", st->reads ? (double)st->hits / (double)st->reads : 0.0);
	cachelua_setint(L, "store_reads", (lua_Integer)st->store_reads);
	cachelua_setint(L, "store_writes", (lua_Integer)st->store_writes);
	cachelua_setint(L, "writebacks", (lua_Integer)st->writebacks);
	cachelua_setint(L, "lost_writes", (lua_Integer)st->lost_writes);
	cachelua_setint(L, "fills_dropped", (lua_Integer)st->fills_dropped);
	cachelua_setint(L, "dirty", (lua_Integer)cachewriter_dirty(lw->w));
	cachelua_setnum(L, "read_time", st->read_time);
	cachelua_setnum(L, "write_time", st->write_time);
	cachelua_setnum(L, "mean_read", st->reads ? st->read_time / (double)st->reads : 0.0);
	cachelua_setnum(L, "mean_write", st->writes ? st->write_time / (double)st->writes : 0.0);
	return 1;
}

static int w_snapshot(lua_State *L)
{
	struct lwriter *lw = towriter(L);
	drained(L, lw);
	size_t n = cachewriter_list(lw->w, 0, NULL, 0);
	struct cache_item *items = lua_newuserdatauv(L, n * sizeof *items + 1, 0); /* scratch */
	cachewriter_list(lw->w, 0, items, n);
	lua_getiuservalue(L, 1, 1);                 /* push cached values */
	int cached = lua_gettop(L);
	lua_createtable(L, 0, 6);                   /* the snapshot */
	lua_pushstring(L, cachewrite_policy_name(cachewriter_policy(lw->w)));
	lua_setfield(L, -2, "policy");
	const struct cache *c = cachewriter_cache(lw->w);
	lua_pushstring(L, cache_policy_name(cache_policy(c)));
	lua_setfield(L, -2, "eviction");
	cachelua_setint(L, "capacity", (lua_Integer)cache_capacity(c));
	cachelua_setint(L, "size", (lua_Integer)n);
	lua_createtable(L, (int)n, 0);              /* entries, in the cache's order */
	lua_newtable(L);                            /* dirty keys */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 4);
		cachelua_pushkey(L, items[i].key);
		lua_setfield(L, -2, "key");
		cachelua_pushkey(L, items[i].key);
		lua_rawget(L, cached);
		lua_setfield(L, -2, "value");
		cachelua_setint(L, "version", (lua_Integer)(items[i].data >> 1));
		lua_pushboolean(L, (int)(items[i].data & 1));
		lua_setfield(L, -2, "dirty");
		lua_rawseti(L, -3, (lua_Integer)i + 1); /* entries[i+1] = entry */
		if (items[i].data & 1) {
			cachelua_pushkey(L, items[i].key);
			lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
		}
	}
	lua_setfield(L, -3, "dirty");
	lua_setfield(L, -2, "entries");
	return 1;
}

static int w_len(lua_State *L)
{
	struct lwriter *lw = towriter(L);
	drained(L, lw);
	lua_pushinteger(L, (lua_Integer)cache_size(cachewriter_cache(lw->w)));
	return 1;
}

static int w_tostring(lua_State *L)
{
	struct lwriter *lw = luaL_checkudata(L, 1, WRITER_T);
	if (!lw->w) {
		lua_pushliteral(L, "lab.cache.writer(closed)");
		return 1;
	}
	const struct cache *c = cachewriter_cache(lw->w);
	lua_pushfstring(L, "lab.cache.writer(%s, %d/%d cached, %d dirty)",
			cachewrite_policy_name(cachewriter_policy(lw->w)), (int)cache_size(c),
			(int)cache_capacity(c), (int)cachewriter_dirty(lw->w));
	return 1;
}

static int w_gc(lua_State *L)
{
	struct lwriter *lw = luaL_checkudata(L, 1, WRITER_T);
	cachewriter_free(lw->w);
	lw->w = NULL;
	return 0;
}

static const luaL_Reg store_methods[] = {
	{"read", s_read},   {"write", s_write},       {"peek", s_peek},
	{"stats", s_stats}, {"snapshot", s_snapshot}, {NULL, NULL},
};

static const luaL_Reg store_meta[] = {
	{"__tostring", s_tostring},
	{"__len", s_len},
	{"__gc", s_gc},
	{NULL, NULL},
};

static const luaL_Reg writer_methods[] = {
	{"read", w_read},   {"write", w_write}, {"invalidate", w_invalidate},
	{"flush", w_flush}, {"crash", w_crash}, {"stats", w_stats},
	{"snapshot", w_snapshot}, {NULL, NULL},
};

static const luaL_Reg writer_meta[] = {
	{"__tostring", w_tostring},
	{"__len", w_len},
	{"__gc", w_gc},
	{NULL, NULL},
};

static const luaL_Reg functions[] = {
	{"store", l_store},
	{"writer", l_writer},
	{NULL, NULL},
};

void cachelua_open_write(lua_State *L)
{
	lab_newclass(L, STORE_T, store_methods, store_meta);
	lab_newclass(L, WRITER_T, writer_methods, writer_meta);
	luaL_setfuncs(L, functions, 0);
}
