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

struct lstore {
	struct cachestore *s;
};

struct lwriter {
	struct cachewriter *w;
	int clocked;
};

#define WHO_STORE "lab.cache.store"
#define WHO_WRITER "lab.cache.writer"

/* ---- the store ---- */

static struct cachestore *tostore(lua_State *L, int idx)
{
	return ((struct lstore *)lab_checkobj(L, idx, &cachelua_store_class))->s;
}

const struct lab_opt cachelua_store_opts[] = {
	{"latency", LAB_NUM, .num = 0.010, .min = 0, .max = INFINITY, .help = "seconds per access"},
	{"read_latency", LAB_NUM, .str = "latency", .min = 0, .max = INFINITY},
	{"write_latency", LAB_NUM, .str = "latency", .min = 0, .max = INFINITY},
	{NULL},
};

int cachelua_store(lua_State *L)
{
	lua_settop(L, 1);
	const struct lab_val *o = lab_opts(L, 1, WHO_STORE, cachelua_store_opts); /* push box */
	double rl = o[1].set ? o[1].num : o[0].num, wl = o[2].set ? o[2].num : o[0].num;
	struct lstore *ls = lab_newobj(L, &cachelua_store_class, sizeof *ls); /* push store */
	lua_newtable(L);                            /* values by key */
	lua_setiuservalue(L, -2, 1);
	if (!(ls->s = cachestore_new(rl, wl)))
		return lab_fail(L, WHO_STORE ": not enough memory");
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
		return lab_fail(L, WHO_STORE ": not enough memory");
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

static const struct lab_field store_fields[] = {
	LAB_F(struct cachestore_stats, reads), LAB_F(struct cachestore_stats, writes),
	LAB_F(struct cachestore_stats, busy), {NULL},
};

static int s_stats(lua_State *L)
{
	lab_pushfields(L, cachestore_stats(tostore(L, 1)), store_fields);
	return 1;
}

static int s_snapshot(lua_State *L)
{
	struct cachestore *s = tostore(L, 1);
	size_t n = cachestore_list(s, NULL, 0);
	struct cache_item *items = lab_scratch(L, n * sizeof *items); /* push scratch */
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
	lab_setint(L, "reads", (lua_Integer)st->reads);
	lab_setint(L, "writes", (lua_Integer)st->writes);
	return 1;
}

static int s_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)cachestore_list(tostore(L, 1), NULL, 0));
	return 1;
}

static int s_tostring(lua_State *L)
{
	struct cachestore *s = tostore(L, 1);
	const struct cachestore_stats *st = cachestore_stats(s);
	lua_pushfstring(L, "lab.cache.store(%d keys, %I reads, %I writes)",
			(int)cachestore_list(s, NULL, 0), (lua_Integer)st->reads,
			(lua_Integer)st->writes);
	return 1;
}

static void free_store(void *obj)
{
	cachestore_free(((struct lstore *)obj)->s);
}

/* ---- the writer ---- */

static struct lwriter *towriter(lua_State *L)
{
	return lab_self(L, &cachelua_writer_class);
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

const struct lab_opt cachelua_writer_opts[] = {
	{"policy", LAB_ENUM, .str = "cache-aside",
	 .choices = "cache-aside read-through write-through write-back write-around"},
	{"capacity", LAB_INT, .num = 100, .min = 1, .max = 1e7, .help = "entries cached"},
	{"store", LAB_ANY, .required = 1, .help = "a lab.cache.store"},
	{"eviction", LAB_ENUM, .str = "lru", .choices = CACHELUA_POLICIES},
	{"ttl", LAB_NUM, .num = INFINITY, .str = "none", .min = 0, .max = INFINITY,
	 .flags = LAB_ABOVE | LAB_INF, .help = "seconds an entry lives (needs a clock)"},
	{"clock", LAB_ANY, .help = "a lab.clock, for TTLs"},
	{"latency", LAB_NUM, .num = 0.0005, .min = 0, .max = INFINITY,
	 .help = "seconds per cache access"},
	{NULL},
};
enum { W_POLICY, W_CAPACITY, W_STORE, W_EVICTION, W_TTL, W_CLOCK, W_LATENCY };

int cachelua_writer(lua_State *L)
{
	lua_settop(L, 1);
	const struct lab_val *o = lab_opts(L, 1, WHO_WRITER, cachelua_writer_opts); /* 2: box */
	lab_optpush(L, 1, "store");                 /* 3: store */
	struct cachestore *s = tostore(L, 3);
	lab_optpush(L, 1, "clock");                 /* 4: clock */
	if (o[W_CLOCK].set)
		lab_checkclock(L, 4, WHO_WRITER);
	else if (!isinf(o[W_TTL].num))
		return luaL_error(L, WHO_WRITER ": a ttl needs simulated time: add "
					       "clock = lab.clock.new()");
	struct lwriter *lw = lab_newobj(L, &cachelua_writer_class, sizeof *lw); /* 5 */
	lw->clocked = o[W_CLOCK].set;
	lua_newtable(L);
	lua_setiuservalue(L, 5, 1);                 /* user value 1 = cached values */
	lua_pushvalue(L, 3);
	lua_setiuservalue(L, 5, 2);                 /* user value 2 = store */
	lua_pushvalue(L, 4);
	lua_setiuservalue(L, 5, 3);                 /* user value 3 = clock */
	lw->w = cachewriter_new((enum cachewrite_policy)o[W_POLICY].choice,
				(size_t)o[W_CAPACITY].i, (enum cache_policy)o[W_EVICTION].choice,
				o[W_TTL].num, o[W_LATENCY].num, s);
	if (!lw->w)
		return lab_fail(L, WHO_WRITER ": not enough memory");
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
		return lab_fail(L, WHO_WRITER ": not enough memory");
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
		return lab_fail(L, WHO_WRITER ": not enough memory");
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
		return lab_fail(L, WHO_WRITER ": not enough memory");
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
	struct cache_item *items = lab_scratch(L, n * sizeof *items); /* push scratch */
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

#define WF(m) LAB_F(struct cachewriter_stats, m)
static const struct lab_field writer_fields[] = {
	WF(reads),        WF(writes),       WF(hits),          WF(misses),
	WF(stale_reads),  WF(store_reads),  WF(store_writes),  WF(writebacks),
	WF(lost_writes),  WF(fills_dropped), WF(read_time),    WF(write_time),
	{NULL},
};

static int w_stats(lua_State *L)
{
	struct lwriter *lw = towriter(L);
	drained(L, lw);
	const struct cachewriter_stats *st = cachewriter_stats(lw->w);
	lab_pushfields(L, st, writer_fields);
	lab_setnum(L, "hit_ratio", st->reads ? (double)st->hits / (double)st->reads : 0.0);
	lab_setint(L, "dirty", (lua_Integer)cachewriter_dirty(lw->w));
	lab_setnum(L, "mean_read", st->reads ? st->read_time / (double)st->reads : 0.0);
	lab_setnum(L, "mean_write", st->writes ? st->write_time / (double)st->writes : 0.0);
	return 1;
}

static int w_snapshot(lua_State *L)
{
	struct lwriter *lw = towriter(L);
	drained(L, lw);
	size_t n = cachewriter_list(lw->w, 0, NULL, 0);
	struct cache_item *items = lab_scratch(L, n * sizeof *items); /* push scratch */
	cachewriter_list(lw->w, 0, items, n);
	lua_getiuservalue(L, 1, 1);                 /* push cached values */
	int cached = lua_gettop(L);
	lua_createtable(L, 0, 6);                   /* the snapshot */
	lua_pushstring(L, cachewrite_policy_name(cachewriter_policy(lw->w)));
	lua_setfield(L, -2, "policy");
	const struct cache *c = cachewriter_cache(lw->w);
	lua_pushstring(L, cache_policy_name(cache_policy(c)));
	lua_setfield(L, -2, "eviction");
	lab_setint(L, "capacity", (lua_Integer)cache_capacity(c));
	lab_setint(L, "size", (lua_Integer)n);
	lua_createtable(L, (int)n, 0);              /* entries, in the cache's order */
	lua_newtable(L);                            /* dirty keys */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 4);
		cachelua_pushkey(L, items[i].key);
		lua_setfield(L, -2, "key");
		cachelua_pushkey(L, items[i].key);
		lua_rawget(L, cached);
		lua_setfield(L, -2, "value");
		lab_setint(L, "version", (lua_Integer)(items[i].data >> 1));
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
	struct lwriter *lw = towriter(L);
	const struct cache *c = cachewriter_cache(lw->w);
	lua_pushfstring(L, "lab.cache.writer(%s, %d/%d cached, %d dirty)",
			cachewrite_policy_name(cachewriter_policy(lw->w)), (int)cache_size(c),
			(int)cache_capacity(c), (int)cachewriter_dirty(lw->w));
	return 1;
}

static void free_writer(void *obj)
{
	cachewriter_free(((struct lwriter *)obj)->w);
}

static const luaL_Reg store_methods[] = {
	{"read", s_read},   {"write", s_write},       {"peek", s_peek},
	{"stats", s_stats}, {"snapshot", s_snapshot}, {NULL, NULL},
};

static const luaL_Reg store_meta[] = {{"__tostring", s_tostring}, {"__len", s_len}, {NULL, NULL}};

static const luaL_Reg writer_methods[] = {
	{"read", w_read},   {"write", w_write}, {"invalidate", w_invalidate},
	{"flush", w_flush}, {"crash", w_crash}, {"stats", w_stats},
	{"snapshot", w_snapshot}, {NULL, NULL},
};

static const luaL_Reg writer_meta[] = {{"__tostring", w_tostring}, {"__len", w_len}, {NULL, NULL}};

const struct lab_class cachelua_store_class = {.name = "lab.cache.store",
					       .methods = store_methods,
					       .metamethods = store_meta, .free = free_store};
const struct lab_class cachelua_writer_class = {.name = "lab.cache.writer",
						.methods = writer_methods,
						.metamethods = writer_meta, .free = free_writer,
						.uservalues = 3};
