/*
 * cache_lua.c — lab.cache: the Lua binding of cache.h, and the lab.cache
 * table (which also holds simulate, trace, store, writer and stampede from
 * the other cache bindings).
 *
 *   local c = lab.cache.new{capacity = 3, policy = "lru"}
 *   c:put(k, v [, ttl])  -> evicted key or nil     c:get(k) -> value or nil
 *   c:peek(k) c:delete(k) #c c:keys() c:stats() c:reset_stats() c:snapshot()
 *
 * The C cache holds the keys; the values live in the userdata's first user
 * value, a table key -> value. The second user value is the clock (or nil).
 */
#include "engine/concepts/cache/cache_lua.h"

#include <math.h>
#include <string.h>

#define CACHE_T "lab.cache"
#define MAX_CAPACITY 10000000

struct lcache {
	struct cache *c; /* NULL once collected */
	double ttl;      /* default TTL in seconds; INFINITY: none */
	int clocked;     /* has a clock (user value 2) */
	uint64_t seed;
};

/* ---- helpers shared with the other cache bindings (cache_lua.h) ---- */

struct cache_key cachelua_tokey(lua_State *L, int idx, const char *what)
{
	int t = lua_type(L, idx);
	if (t == LUA_TSTRING) {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		return cache_str(s, len);
	}
	if (t == LUA_TNUMBER) {
		int ok;
		lua_Integer n = lua_tointegerx(L, idx, &ok);
		if (ok)
			return cache_int(n);
	}
	luaL_error(L, "%s must be a string or an integer, not %s", what,
		   t == LUA_TNUMBER ? lua_pushfstring(L, "%f", lua_tonumber(L, idx))
				    : luaL_typename(L, idx));
	return cache_int(0); /* not reached */
}

void cachelua_pushkey(lua_State *L, struct cache_key key)
{
	if (key.str)
		lua_pushlstring(L, key.str, key.len);
	else
		lua_pushinteger(L, (lua_Integer)key.num);
}

void cachelua_checkopts(lua_State *L, int idx, const char *const *allowed)
{
	if (lua_type(L, idx) != LUA_TTABLE)
		return;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);                      /* remove value, keep key */
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "options are named fields, e.g. {capacity = 3}");
		const char *name = lua_tostring(L, -1);
		const char *const *a = allowed;
		while (*a && strcmp(*a, name) != 0)
			a++;
		if (!*a) {
			luaL_Buffer b;
			luaL_buffinit(L, &b);
			for (a = allowed; *a; a++) {
				luaL_addstring(&b, a == allowed ? "" : ", ");
				luaL_addstring(&b, *a);
			}
			luaL_pushresult(&b);        /* push list of options */
			luaL_error(L, "unknown option '%s' (options: %s)", name,
				   lua_tostring(L, -1));
		}
	}
}

void cachelua_setnum(lua_State *L, const char *name, lua_Number v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, name);                  /* t[name] = v */
}

void cachelua_setint(lua_State *L, const char *name, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, name);                  /* t[name] = v */
}

/* ---- the cache object ---- */

static struct lcache *tocache(lua_State *L)
{
	struct lcache *lc = luaL_checkudata(L, 1, CACHE_T);
	if (!lc->c)
		luaL_error(L, "cache is closed");
	return lc;
}

/* The cache's simulated time: its clock's time, or 0 without a clock. */
static double clock_now(lua_State *L, struct lcache *lc)
{
	if (!lc->clocked)
		return 0;
	lua_getiuservalue(L, 1, 2);                 /* push clock */
	return lab_clock_time(L, "cache");
}

/* Removes the entries expired by NOW and their values. */
static void drain(lua_State *L, struct lcache *lc, double now)
{
	struct cache_item it;
	if (!lc->clocked)
		return;
	lua_getiuservalue(L, 1, 1);                 /* push values */
	while (cache_expire(lc->c, now, &it)) {
		cachelua_pushkey(L, it.key);
		lua_pushnil(L);
		lua_rawset(L, -3);                  /* values[key] = nil */
	}
	lua_pop(L, 1);                              /* remove values */
}

/* Reads the clock and drains expired entries; returns the time. */
static double now_drained(lua_State *L, struct lcache *lc)
{
	double now = clock_now(L, lc);
	drain(L, lc, now);
	return now;
}

static int l_new(lua_State *L)
{
	static const char *const opts[] = {"capacity", "policy", "clock", "ttl", "seed", NULL};
	luaL_checktype(L, 1, LUA_TTABLE);
	cachelua_checkopts(L, 1, opts);
	lua_Integer cap = lab_optint(L, 1, "capacity", 0);
	if (cap < 1 || cap > MAX_CAPACITY)
		return luaL_error(L, "capacity must be a positive integer (at most %d)",
				  MAX_CAPACITY);
	const char *pname = lab_optstr(L, 1, "policy", "lru");
	int policy = cache_policy_parse(pname);
	if (policy < 0)
		return luaL_error(L, "unknown policy '%s' (policies: fifo, lru, lfu, clock, "
				  "random, arc, 2q)", pname);
	double ttl = lab_optnum(L, 1, "ttl", INFINITY);
	if (!(ttl > 0))
		return luaL_error(L, "ttl must be a positive number of seconds");
	uint64_t seed = (uint64_t)lab_optint(L, 1, "seed", 1);
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
	struct lcache *lc = lua_newuserdatauv(L, sizeof *lc, 2);
	lc->c = NULL;
	lc->ttl = ttl;
	lc->clocked = clocked;
	lc->seed = seed;
	luaL_setmetatable(L, CACHE_T);
	lua_newtable(L);                            /* values by key */
	lua_setiuservalue(L, -2, 1);
	lua_rotate(L, -2, 1);                       /* cache, clock */
	lua_setiuservalue(L, -2, 2);                /* user value 2 = clock (or nil) */
	lc->c = cache_new((enum cache_policy)policy, (size_t)cap, seed);
	if (!lc->c)
		return luaL_error(L, "not enough memory for a cache of %I entries", cap);
	return 1;
}

static int m_get(lua_State *L)
{
	struct lcache *lc = tocache(L);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	double now = now_drained(L, lc);
	if (!cache_get(lc->c, k, now, NULL)) {
		lua_pushnil(L);                     /* a miss: nil, as documented */
		return 1;
	}
	lua_getiuservalue(L, 1, 1);                 /* push values */
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);                          /* push values[key] */
	return 1;
}

static int m_peek(lua_State *L)
{
	struct lcache *lc = tocache(L);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	double now = now_drained(L, lc);
	if (!cache_peek(lc->c, k, now, NULL)) {
		lua_pushnil(L);                     /* not cached: nil */
		return 1;
	}
	lua_getiuservalue(L, 1, 1);                 /* push values */
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);                          /* push values[key] */
	return 1;
}

static int m_put(lua_State *L)
{
	struct lcache *lc = tocache(L);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	luaL_argcheck(L, !lua_isnoneornil(L, 3), 3, "value must not be nil (c:delete(k) removes)");
	double ttl = lc->ttl;
	if (!lua_isnoneornil(L, 4)) {
		ttl = luaL_checknumber(L, 4);
		luaL_argcheck(L, ttl > 0, 4, "ttl must be a positive number of seconds");
		if (!isinf(ttl) && !lc->clocked)
			return luaL_error(L, "a ttl needs simulated time: create the cache with "
					  "clock = lab.clock.new()");
	}
	double now = now_drained(L, lc);
	struct cache_item ev;
	int r = cache_put(lc->c, k, 0, ttl, now, &ev);
	if (r < 0)
		return luaL_error(L, "not enough memory");
	lua_getiuservalue(L, 1, 1);                 /* push values */
	if (r == CACHE_EVICTED) {
		cachelua_pushkey(L, ev.key);        /* push evicted key (the result) */
		lua_pushvalue(L, -1);
		lua_pushnil(L);
		lua_rawset(L, -4);                  /* values[evicted] = nil */
	}
	lua_pushvalue(L, 2);
	lua_pushvalue(L, 3);
	lua_rawset(L, r == CACHE_EVICTED ? -4 : -3); /* values[key] = value */
	if (r != CACHE_EVICTED)
		lua_pushnil(L);                     /* no eviction: nil, as documented */
	return 1;
}

static int m_delete(lua_State *L)
{
	struct lcache *lc = tocache(L);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	double now = now_drained(L, lc);
	int was = cache_delete(lc->c, k, now, NULL);
	if (was) {
		lua_getiuservalue(L, 1, 1);         /* push values */
		lua_pushvalue(L, 2);
		lua_pushnil(L);
		lua_rawset(L, -3);                  /* values[key] = nil */
		lua_pop(L, 1);                      /* remove values */
	}
	lua_pushboolean(L, was);
	return 1;
}

static int m_len(lua_State *L)
{
	struct lcache *lc = tocache(L);
	now_drained(L, lc);
	lua_pushinteger(L, (lua_Integer)cache_size(lc->c));
	return 1;
}

/* Pushes list WHICH as an array of keys; with COUNTS/REFS, also fills the
 * tables at those stack indices (0: none) with key -> count / bit. */
static void push_list(lua_State *L, struct lcache *lc, enum cache_list which, int counts,
		      int refs, int expires)
{
	size_t n = cache_list(lc->c, which, NULL, 0);
	/* scratch owned by Lua, so that an error cannot leak it */
	struct cache_item *items = lua_newuserdatauv(L, n * sizeof *items + 1, 0);
	cache_list(lc->c, which, items, n);
	lua_createtable(L, (int)n, 0);              /* push the array */
	for (size_t i = 0; i < n; i++) {
		cachelua_pushkey(L, items[i].key);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* array[i+1] = key */
		if (counts) {
			cachelua_pushkey(L, items[i].key);
			lua_pushinteger(L, (lua_Integer)items[i].count);
			lua_rawset(L, counts);          /* counts[key] = count */
		}
		if (refs) {
			cachelua_pushkey(L, items[i].key);
			lua_pushinteger(L, items[i].ref);
			lua_rawset(L, refs);            /* ref[key] = bit */
		}
		if (expires && !isinf(items[i].expires)) {
			cachelua_pushkey(L, items[i].key);
			lua_pushnumber(L, items[i].expires);
			lua_rawset(L, expires);         /* expires[key] = t */
		}
	}
	lua_remove(L, -2);                          /* remove scratch */
}

static int m_keys(lua_State *L)
{
	struct lcache *lc = tocache(L);
	now_drained(L, lc);
	push_list(L, lc, CACHE_ORDER, 0, 0, 0);
	return 1;
}

static int m_stats(lua_State *L)
{
	struct lcache *lc = tocache(L);
	now_drained(L, lc);
	const struct cache_stats *st = cache_stats(lc->c);
	lua_createtable(L, 0, 10);
	cachelua_setint(L, "hits", (lua_Integer)st->hits);
	cachelua_setint(L, "misses", (lua_Integer)st->misses);
	uint64_t gets = st->hits + st->misses;
	cachelua_setnum(L, "hit_ratio", gets ? (double)st->hits / (double)gets : 0.0);
	cachelua_setint(L, "inserts", (lua_Integer)st->inserts);
	cachelua_setint(L, "updates", (lua_Integer)st->updates);
	cachelua_setint(L, "evictions", (lua_Integer)st->evictions);
	cachelua_setint(L, "expirations", (lua_Integer)st->expirations);
	cachelua_setint(L, "deletes", (lua_Integer)st->deletes);
	cachelua_setint(L, "size", (lua_Integer)cache_size(lc->c));
	cachelua_setint(L, "capacity", (lua_Integer)cache_capacity(lc->c));
	return 1;
}

static int m_reset_stats(lua_State *L)
{
	cache_reset_stats(tocache(L)->c);
	return 0;
}

static int m_snapshot(lua_State *L)
{
	struct lcache *lc = tocache(L);
	double now = now_drained(L, lc);
	enum cache_policy p = cache_policy(lc->c);
	lua_settop(L, 1);
	lua_newtable(L);                            /* 2: counts (lfu) */
	lua_newtable(L);                            /* 3: ref bits (clock) */
	lua_newtable(L);                            /* 4: expiry times */
	lua_createtable(L, 0, 12);                  /* 5: the snapshot */
	lua_pushstring(L, cache_policy_name(p));
	lua_setfield(L, 5, "policy");
	cachelua_setint(L, "capacity", (lua_Integer)cache_capacity(lc->c));
	cachelua_setint(L, "size", (lua_Integer)cache_size(lc->c));
	if (lc->clocked)
		cachelua_setnum(L, "now", now);
	push_list(L, lc, CACHE_ORDER, p == CACHE_LFU ? 2 : 0, p == CACHE_CLOCK ? 3 : 0, 4);
	if (p == CACHE_CLOCK) {
		lua_rawgeti(L, -1, 1);              /* push order[1] */
		lua_setfield(L, 5, "hand");         /* the key under the hand */
		lua_pushvalue(L, -1);
		lua_setfield(L, 5, "ring");
	}
	if (p == CACHE_RANDOM) {
		lua_pushvalue(L, -1);
		lua_setfield(L, 5, "slots");
	}
	lua_setfield(L, 5, "order");
	if (p == CACHE_RANDOM) {
		cachelua_setint(L, "seed", (lua_Integer)lc->seed);
		cachelua_setint(L, "draws", (lua_Integer)cache_draws(lc->c));
	}
	if (p == CACHE_LFU) {
		lua_pushvalue(L, 2);
		lua_setfield(L, 5, "counts");
	}
	if (p == CACHE_CLOCK) {
		lua_pushvalue(L, 3);
		lua_setfield(L, 5, "ref");
	}
	if (p == CACHE_ARC) {
		static const char *const names[] = {"t1", "t2", "b1", "b2"};
		for (int i = 0; i < 4; i++) {
			push_list(L, lc, (enum cache_list)(CACHE_T1 + i), 0, 0, 0);
			lua_setfield(L, 5, names[i]);
		}
		cachelua_setnum(L, "p", cache_arc_p(lc->c));
	}
	if (p == CACHE_2Q) {
		static const char *const names[] = {"a1in", "am", "a1out"};
		for (int i = 0; i < 3; i++) {
			push_list(L, lc, (enum cache_list)(CACHE_T1 + i), 0, 0, 0);
			lua_setfield(L, 5, names[i]);
		}
		cachelua_setint(L, "kin", (lua_Integer)cache_2q_kin(lc->c));
		cachelua_setint(L, "kout", (lua_Integer)cache_2q_kout(lc->c));
	}
	lua_pushvalue(L, 4);
	lua_setfield(L, 5, "expires");
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct lcache *lc = luaL_checkudata(L, 1, CACHE_T);
	if (!lc->c) {
		lua_pushliteral(L, "lab.cache(closed)");
		return 1;
	}
	now_drained(L, lc);
	enum { SHOWN = 8 };
	struct cache_item items[SHOWN];
	size_t n = cache_list(lc->c, CACHE_ORDER, items, SHOWN);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	lua_pushfstring(L, "lab.cache(%s %d/%d%s", cache_policy_name(cache_policy(lc->c)),
			(int)cache_size(lc->c), (int)cache_capacity(lc->c), n ? ":" : "");
	luaL_addvalue(&b);                          /* add header */
	for (size_t i = 0; i < n && i < SHOWN; i++) {
		luaL_addchar(&b, ' ');
		cachelua_pushkey(L, items[i].key);
		if (lua_type(L, -1) == LUA_TSTRING) {
			luaL_addvalue(&b);          /* add the string key */
		} else {
			luaL_tolstring(L, -1, NULL); /* push the number as text */
			lua_remove(L, -2);          /* remove the number */
			luaL_addvalue(&b);
		}
	}
	luaL_addstring(&b, n > SHOWN ? " ...)" : ")");
	luaL_pushresult(&b);
	return 1;
}

static int m_gc(lua_State *L)
{
	struct lcache *lc = luaL_checkudata(L, 1, CACHE_T);
	cache_free(lc->c);
	lc->c = NULL;
	return 0;
}

static const luaL_Reg methods[] = {
	{"get", m_get},           {"put", m_put},     {"peek", m_peek},
	{"delete", m_delete},     {"keys", m_keys},   {"stats", m_stats},
	{"reset_stats", m_reset_stats}, {"snapshot", m_snapshot},
	{NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{"__len", m_len},
	{"__gc", m_gc},
	{NULL, NULL},
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{NULL, NULL},
};

int lab_open_cache(lua_State *L)
{
	lab_newclass(L, CACHE_T, methods, metamethods);
	luaL_newlib(L, functions);
	cachelua_open_sim(L);
	cachelua_open_write(L);
	cachelua_open_stampede(L);
	return 1;
}

const struct lab_namespace lab_ns_cache = {.open = lab_open_cache};
