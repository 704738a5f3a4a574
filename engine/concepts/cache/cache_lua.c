/*
 * cache_lua.c — lab.cache: the Lua binding of cache.h, and the namespace
 * (whose simulate, trace, store, writer and stampede come from the other
 * cache bindings).
 *
 *   local c = lab.cache.new{capacity = 3, policy = "lru"}
 *   c:put(k, v [, ttl])  -> evicted key or nil     c:get(k) -> value or nil
 *   c:peek(k) c:delete(k) #c c:keys() c:stats() c:reset_stats() c:snapshot()
 *
 * The C cache holds the keys; the values live in the object's first user
 * value, a table key -> value. The second user value is the clock (or nil).
 */
#include "engine/concepts/cache/cache_lua.h"

#include <math.h>
#include <string.h>

struct lcache {
	struct cache *c;
	double ttl; /* default TTL in seconds; INFINITY: none */
	int clocked;
	uint64_t seed;
};

static const struct lab_class cache_class;

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

/* The cache's simulated time (0 without a clock), after dropping the values
 * of the entries expired by then. */
static double now_drained(lua_State *L, struct lcache *lc)
{
	if (!lc->clocked)
		return 0;
	lua_getiuservalue(L, 1, 2);                 /* push clock */
	double now = lab_clock_time(L, "cache");    /* pop it */
	struct cache_item it;
	lua_getiuservalue(L, 1, 1);                 /* push values */
	while (cache_expire(lc->c, now, &it)) {
		cachelua_pushkey(L, it.key);
		lua_pushnil(L);
		lua_rawset(L, -3);                  /* values[key] = nil */
	}
	lua_pop(L, 1);                              /* remove values */
	return now;
}

static const struct lab_opt new_opts[] = {
	{"capacity", LAB_INT, .min = 1, .max = 1e7, .required = 1, .help = "entries it holds"},
	{"policy", LAB_ENUM, .str = "lru", .choices = CACHELUA_POLICIES},
	{"clock", LAB_ANY, .help = "a lab.clock (or a function giving the time), for TTLs"},
	{"ttl", LAB_NUM, .num = INFINITY, .str = "none", .min = 0, .max = INFINITY,
	 .flags = LAB_ABOVE | LAB_INF, .help = "seconds an entry lives (needs a clock)"},
	{"seed", LAB_INT, .num = 1, .help = "of the random policy's draws"},
	{NULL},
};
enum { NEW_CAPACITY, NEW_POLICY, NEW_CLOCK, NEW_TTL, NEW_SEED };

static int l_new(lua_State *L)
{
	lua_settop(L, 1);
	const struct lab_val *o = lab_opts(L, 1, "lab.cache.new", new_opts); /* push box */
	if (o[NEW_CLOCK].set) {
		lab_optpush(L, 1, "clock");         /* push clock */
		lab_checkclock(L, -1, "lab.cache.new");
	} else {
		lua_pushnil(L);
		if (!isinf(o[NEW_TTL].num))
			return luaL_error(L, "lab.cache.new: a ttl needs simulated time: add "
					     "clock = lab.clock.new()");
	}
	struct lcache *lc = lab_newobj(L, &cache_class, sizeof *lc); /* push cache */
	lc->ttl = o[NEW_TTL].num;
	lc->clocked = o[NEW_CLOCK].set;
	lc->seed = (uint64_t)o[NEW_SEED].i;
	lua_rotate(L, -2, 1);                       /* cache, clock */
	lua_setiuservalue(L, -2, 2);                /* user value 2 = clock (or nil) */
	lua_newtable(L);
	lua_setiuservalue(L, -2, 1);                /* user value 1 = values by key */
	lc->c = cache_new((enum cache_policy)o[NEW_POLICY].choice, (size_t)o[NEW_CAPACITY].i,
			  lc->seed);
	if (!lc->c)
		return lab_fail(L, "lab.cache.new: not enough memory for %I entries",
				(lua_Integer)o[NEW_CAPACITY].i);
	return 1;
}

/* get and peek: the value of a cached key, else nil. */
static int lookup(lua_State *L, int use)
{
	struct lcache *lc = lab_self(L, &cache_class);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	double now = now_drained(L, lc);
	if (!(use ? cache_get : cache_peek)(lc->c, k, now, NULL)) {
		lua_pushnil(L);
		return 1;
	}
	lua_getiuservalue(L, 1, 1);                 /* push values */
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);                          /* push values[key] */
	return 1;
}

static int m_get(lua_State *L)
{
	return lookup(L, 1);
}

static int m_peek(lua_State *L)
{
	return lookup(L, 0);
}

static int m_put(lua_State *L)
{
	struct lcache *lc = lab_self(L, &cache_class);
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
	lua_settop(L, 3);
	double now = now_drained(L, lc);
	struct cache_item ev;
	int r = cache_put(lc->c, k, 0, ttl, now, &ev);
	if (r < 0)
		return lab_fail(L, "lab.cache: not enough memory");
	lua_getiuservalue(L, 1, 1);                 /* 4: values */
	lua_pushnil(L);                             /* 5: the result: no eviction */
	if (r == CACHE_EVICTED) {
		cachelua_pushkey(L, ev.key);
		lua_replace(L, 5);                  /* the result: the evicted key */
		lua_pushvalue(L, 5);
		lua_pushnil(L);
		lua_rawset(L, 4);                   /* values[evicted] = nil */
	}
	lua_pushvalue(L, 2);
	lua_pushvalue(L, 3);
	lua_rawset(L, 4);                           /* values[key] = value */
	return 1;
}

static int m_delete(lua_State *L)
{
	struct lcache *lc = lab_self(L, &cache_class);
	struct cache_key k = cachelua_tokey(L, 2, "key");
	int was = cache_delete(lc->c, k, now_drained(L, lc), NULL);
	if (was) {
		lua_getiuservalue(L, 1, 1);         /* push values */
		lua_pushvalue(L, 2);
		lua_pushnil(L);
		lua_rawset(L, -3);                  /* values[key] = nil */
	}
	lua_pushboolean(L, was);
	return 1;
}

static int m_len(lua_State *L)
{
	struct lcache *lc = lab_self(L, &cache_class);
	now_drained(L, lc);
	lua_pushinteger(L, (lua_Integer)cache_size(lc->c));
	return 1;
}

/* Pushes list WHICH as an array of keys; fills the tables at COUNTS, REFS
 * and EXPIRES (stack indices; 0: none) with key -> count / bit / time. */
static void push_list(lua_State *L, struct lcache *lc, enum cache_list which, int counts,
		      int refs, int expires)
{
	size_t n = cache_list(lc->c, which, NULL, 0);
	struct cache_item *items = lab_scratch(L, n * sizeof *items); /* push scratch */
	cache_list(lc->c, which, items, n);
	lua_createtable(L, (int)n, 0);              /* push the array */
	for (size_t i = 0; i < n; i++) {
		cachelua_pushkey(L, items[i].key);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* array[i+1] = key */
		int into[3] = {counts, refs, expires && !isinf(items[i].expires) ? expires : 0};
		for (int j = 0; j < 3; j++) {
			if (!into[j])
				continue;
			cachelua_pushkey(L, items[i].key);
			if (j == 2)
				lua_pushnumber(L, items[i].expires);
			else
				lua_pushinteger(L, j ? items[i].ref : (lua_Integer)items[i].count);
			lua_rawset(L, into[j]);         /* table[key] = count, bit or time */
		}
	}
	lua_remove(L, -2);                          /* remove scratch */
}

static int m_keys(lua_State *L)
{
	struct lcache *lc = lab_self(L, &cache_class);
	now_drained(L, lc);
	push_list(L, lc, CACHE_ORDER, 0, 0, 0);
	return 1;
}

static const struct lab_field stats_fields[] = {
	LAB_F(struct cache_stats, hits),      LAB_F(struct cache_stats, misses),
	LAB_F(struct cache_stats, inserts),   LAB_F(struct cache_stats, updates),
	LAB_F(struct cache_stats, evictions), LAB_F(struct cache_stats, expirations),
	LAB_F(struct cache_stats, deletes),   {NULL},
};

static int m_stats(lua_State *L)
{
	struct lcache *lc = lab_self(L, &cache_class);
	now_drained(L, lc);
	const struct cache_stats *st = cache_stats(lc->c);
	lab_pushfields(L, st, stats_fields);
	uint64_t gets = st->hits + st->misses;
	lab_setnum(L, "hit_ratio", gets ? (double)st->hits / (double)gets : 0.0);
	lab_setint(L, "size", (lua_Integer)cache_size(lc->c));
	lab_setint(L, "capacity", (lua_Integer)cache_capacity(lc->c));
	return 1;
}

static int m_reset_stats(lua_State *L)
{
	cache_reset_stats(((struct lcache *)lab_self(L, &cache_class))->c);
	return 0;
}

static int m_snapshot(lua_State *L)
{
	struct lcache *lc = lab_self(L, &cache_class);
	double now = now_drained(L, lc);
	enum cache_policy p = cache_policy(lc->c);
	lua_settop(L, 1);
	lua_newtable(L);                            /* 2: counts (lfu) */
	lua_newtable(L);                            /* 3: ref bits (clock) */
	lua_newtable(L);                            /* 4: expiry times */
	lua_createtable(L, 0, 12);                  /* 5: the snapshot */
	lab_setstr(L, "policy", cache_policy_name(p));
	lab_setint(L, "capacity", (lua_Integer)cache_capacity(lc->c));
	lab_setint(L, "size", (lua_Integer)cache_size(lc->c));
	if (lc->clocked)
		lab_setnum(L, "now", now);
	push_list(L, lc, CACHE_ORDER, p == CACHE_LFU ? 2 : 0, p == CACHE_CLOCK ? 3 : 0, 4);
	if (p == CACHE_CLOCK) {
		lua_rawgeti(L, -1, 1);              /* push order[1] */
		lua_setfield(L, 5, "hand");         /* the key under the hand */
		lua_pushvalue(L, -1);
		lua_setfield(L, 5, "ring");
		lua_pushvalue(L, 3);
		lua_setfield(L, 5, "ref");
	} else if (p == CACHE_RANDOM) {
		lua_pushvalue(L, -1);
		lua_setfield(L, 5, "slots");
	} else if (p == CACHE_LFU) {
		lua_pushvalue(L, 2);
		lua_setfield(L, 5, "counts");
	}
	lua_setfield(L, 5, "order");
	if (p == CACHE_RANDOM) {
		lab_setint(L, "seed", (lua_Integer)lc->seed);
		lab_setint(L, "draws", (lua_Integer)cache_draws(lc->c));
	}
	if (p == CACHE_ARC) {
		static const char *const names[] = {"t1", "t2", "b1", "b2"};
		for (int i = 0; i < 4; i++) {
			push_list(L, lc, (enum cache_list)(CACHE_T1 + i), 0, 0, 0);
			lua_setfield(L, 5, names[i]);
		}
		lab_setnum(L, "p", cache_arc_p(lc->c));
	}
	if (p == CACHE_2Q) {
		static const char *const names[] = {"a1in", "am", "a1out"};
		for (int i = 0; i < 3; i++) {
			push_list(L, lc, (enum cache_list)(CACHE_T1 + i), 0, 0, 0);
			lua_setfield(L, 5, names[i]);
		}
		lab_setint(L, "kin", (lua_Integer)cache_2q_kin(lc->c));
		lab_setint(L, "kout", (lua_Integer)cache_2q_kout(lc->c));
	}
	lua_pushvalue(L, 4);
	lua_setfield(L, 5, "expires");
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct lcache *lc = lab_self(L, &cache_class);
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
		luaL_tolstring(L, -1, NULL);        /* push the key as text */
		lua_remove(L, -2);                  /* remove the key */
		luaL_addvalue(&b);
	}
	luaL_addstring(&b, n > SHOWN ? " ...)" : ")");
	luaL_pushresult(&b);
	return 1;
}

static void free_cache(void *obj)
{
	cache_free(((struct lcache *)obj)->c);
}

static const luaL_Reg methods[] = {
	{"get", m_get},       {"put", m_put},     {"peek", m_peek},   {"delete", m_delete},
	{"keys", m_keys},     {"stats", m_stats}, {"reset_stats", m_reset_stats},
	{"snapshot", m_snapshot}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {{"__tostring", m_tostring}, {"__len", m_len}, {NULL, NULL}};

static const struct lab_class cache_class = {.name = "lab.cache", .methods = methods,
					     .metamethods = metamethods, .free = free_cache,
					     .uservalues = 2};

static const luaL_Reg functions[] = {
	{"new", l_new},           {"simulate", cachelua_simulate}, {"trace", cachelua_trace},
	{"store", cachelua_store}, {"writer", cachelua_writer},    {"stampede", cachelua_stampede},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_cache = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&cache_class, &cachelua_store_class,
						     &cachelua_writer_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts},
					       {"simulate", cachelua_simulate_opts},
					       {"store", cachelua_store_opts},
					       {"writer", cachelua_writer_opts},
					       {"stampede", cachelua_stampede_opts},
					       {NULL, NULL}},
};
