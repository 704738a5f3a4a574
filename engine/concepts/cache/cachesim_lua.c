/*
 * cachesim_lua.c — lab.cache.simulate and lab.cache.trace: the Lua binding
 * of cachesim.h.
 *
 *   local r = lab.cache.simulate{workload = "zipf", keys = 10000, s = 0.9,
 *     requests = 1e6, policies = {"lru", "lfu", "arc", "opt"},
 *     sizes = {100, 500, 1000}, seed = 1}
 *   r.hit_ratio.lru[2]     -- LRU's hit ratio at sizes[2]
 *   r.timeline.lru[2][k]   -- ... over the k-th window of r.window requests
 *   lab.cache.trace{workload = "loop", keys = 4, requests = 8} -> {1, 2, 3, 4, 1, ...}
 *
 * A workload may also be a Lua array of keys (strings or integers): they are
 * numbered 1, 2, ... in order of first appearance and replayed the same way.
 */
#include "engine/concepts/cache/cache_lua.h"
#include "engine/concepts/cache/cachesim.h"

#include <math.h>
#include <string.h>

#define MAX_SIZES 64

static const char *const all_policies[] = {"fifo", "lru", "lfu", "clock", "random", "arc",
					   "2q", "opt", NULL};

/* Reads an optional count option: a positive integer, at most MAX. */
static uint32_t optcount(lua_State *L, const char *name, lua_Integer def, lua_Integer max)
{
	lua_Integer v = lab_optint(L, 1, name, def);
	if (v < 1 || v > max)
		luaL_error(L, "%s must be an integer between 1 and %I", name, max);
	return (uint32_t)v;
}

/*
 * Builds the trace described by the options at index 1 into a new userdata
 * (pushed) and returns it; *N gets its length, *DISTINCT the number of
 * distinct keys, *SPACE the size of the key space (keys, or the distinct
 * keys of a list or a scan). With a workload list, also pushes a table
 * id -> key.
 */
static uint32_t *push_trace(lua_State *L, uint32_t *n, uint32_t *distinct, uint32_t *space,
			    int *named)
{
	*named = lua_getfield(L, 1, "workload") == LUA_TTABLE; /* push workload */
	if (*named) {
		lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
		if (len < 1 || len > CACHESIM_MAX_REQUESTS)
			luaL_error(L, "a workload list needs between 1 and %d keys",
				   (int)CACHESIM_MAX_REQUESTS);
		int list = lua_gettop(L);
		uint32_t *trace = lua_newuserdatauv(L, (size_t)len * sizeof *trace, 0);
		lua_newtable(L);                    /* ids by key */
		lua_newtable(L);                    /* keys by id */
		uint32_t next = 0;
		for (lua_Integer i = 1; i <= len; i++) {
			lua_rawgeti(L, list, i);    /* push key */
			cachelua_tokey(L, -1, "every key of the workload");
			lua_pushvalue(L, -1);
			if (lua_rawget(L, -4) == LUA_TNIL) { /* push ids[key] */
				lua_pop(L, 1);      /* remove nil */
				lua_pushinteger(L, ++next);
				lua_pushvalue(L, -2);
				lua_pushvalue(L, -2);
				lua_rawset(L, -6);  /* ids[key] = id */
				lua_pushvalue(L, -2);
				lua_rawseti(L, -4, next); /* keys[id] = key */
			}
			trace[i - 1] = (uint32_t)lua_tointeger(L, -1);
			lua_pop(L, 2);              /* remove id, key */
		}
		lua_remove(L, -2);                  /* remove ids */
		lua_remove(L, list);                /* remove the list: trace, keys */
		*n = (uint32_t)len;
		*distinct = *space = next;
		return trace;
	}
	const char *name = lua_isnil(L, -1) ? "zipf" : lua_tostring(L, -1);
	int w = name ? cachesim_workload_parse(name) : -1;
	if (w < 0)
		luaL_error(L, "workload must be \"zipf\", \"loop\", \"scan\", \"mixed\" or a list "
			   "of keys");
	lua_pop(L, 1);                              /* remove workload */
	struct cachesim_params p;
	memset(&p, 0, sizeof p);
	p.workload = (enum cachesim_workload)w;
	p.keys = optcount(L, "keys", 1000, CACHESIM_MAX_KEYS);
	p.requests = optcount(L, "requests", 100000, CACHESIM_MAX_REQUESTS);
	p.s = lab_optnum(L, 1, "s", 1.0);
	if (!(p.s >= 0) || !isfinite(p.s))
		luaL_error(L, "s must be a non-negative number");
	p.seed = (uint64_t)lab_optint(L, 1, "seed", 1);
	if (p.workload == CACHESIM_MIXED) {
		p.scan_every = optcount(L, "scan_every", (lua_Integer)p.keys * 10,
					CACHESIM_MAX_REQUESTS);
		p.scan_length = optcount(L, "scan_length", p.keys, CACHESIM_MAX_REQUESTS);
		if (p.scan_length >= p.scan_every)
			luaL_error(L, "scan_length must be smaller than scan_every");
	}
	uint32_t *trace = lua_newuserdatauv(L, (size_t)p.requests * sizeof *trace, 0);
	if (cachesim_trace(&p, trace) < 0)
		luaL_error(L, "not enough memory for the workload");
	*n = p.requests;
	uint32_t maxkey = 0;
	for (uint32_t i = 0; i < *n; i++)
		maxkey = trace[i] > maxkey ? trace[i] : maxkey;
	unsigned char *seen = lua_newuserdatauv(L, (size_t)maxkey + 1, 0);
	memset(seen, 0, (size_t)maxkey + 1);
	*distinct = 0;
	for (uint32_t i = 0; i < *n; i++) {
		if (!seen[trace[i]]) {
			seen[trace[i]] = 1;
			++*distinct;
		}
	}
	lua_pop(L, 1);                              /* remove seen */
	*space = p.workload == CACHESIM_SCAN ? *distinct : p.keys;
	return trace;
}

static const char *const trace_opts[] = {"workload", "keys", "s", "requests", "seed",
					 "scan_every", "scan_length", NULL};

static int l_trace(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	cachelua_checkopts(L, 1, trace_opts);
	uint32_t n, distinct, space;
	int named;
	uint32_t *trace = push_trace(L, &n, &distinct, &space, &named);
	lua_createtable(L, (int)n, 0);              /* push result */
	for (uint32_t i = 0; i < n; i++) {
		if (named)
			lua_rawgeti(L, -2, trace[i]); /* push keys[id] */
		else
			lua_pushinteger(L, trace[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* Pushes an array of numbers. */
static void push_numbers(lua_State *L, const double *v, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushnumber(L, v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* Reads option `policies` (default: all) into POL; pushes the list of names
 * (index 2). Returns how many. */
static int read_policies(lua_State *L, int *pol)
{
	int npol = 0;
	if (lua_getfield(L, 1, "policies") == LUA_TNIL) { /* push policies */
		lua_pop(L, 1);
		lua_newtable(L);
		for (int i = 0; all_policies[i]; i++) {
			lua_pushstring(L, all_policies[i]);
			lua_rawseti(L, -2, i + 1);
		}
	}
	luaL_argexpected(L, lua_istable(L, 2), 1, "policies as a list of names");
	for (lua_Integer i = 1; lua_rawgeti(L, 2, i) != LUA_TNIL; i++) { /* push name */
		const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		int p = -1;
		if (name)
			p = strcmp(name, "opt") == 0 ? CACHESIM_OPT : cache_policy_parse(name);
		if (p < 0)
			luaL_error(L, "unknown policy '%s' (policies: fifo, lru, lfu, clock, random, "
				   "arc, 2q, opt)", name ? name : luaL_typename(L, -1));
		if (npol == CACHE_NPOLICIES + 1)
			luaL_error(L, "too many policies");
		pol[npol++] = p;
		lua_pop(L, 1);                      /* remove name */
	}
	lua_pop(L, 1);                              /* remove nil */
	if (npol == 0)
		luaL_error(L, "policies must name at least one policy");
	return npol;
}

/* Reads option `sizes` (default: 1 2 5 10 20 50 % of SPACE) into SIZES;
 * pushes the list (index 5). Returns how many. */
static int read_sizes(lua_State *L, uint32_t space, lua_Integer *sizes)
{
	int nsizes = 0;
	if (lua_getfield(L, 1, "sizes") == LUA_TNIL) { /* push sizes */
		static const int pct[] = {1, 2, 5, 10, 20, 50};
		lua_pop(L, 1);
		lua_newtable(L);
		for (int i = 0; i < 6; i++) {
			lua_Integer sz = (lua_Integer)space * pct[i] / 100;
			if (sz >= 1 && (nsizes == 0 || sz > sizes[nsizes - 1])) {
				sizes[nsizes++] = sz;
				lua_pushinteger(L, sz);
				lua_rawseti(L, -2, nsizes);
			}
		}
		if (nsizes == 0) {
			sizes[nsizes++] = 1;
			lua_pushinteger(L, 1);
			lua_rawseti(L, -2, 1);
		}
		return nsizes;
	}
	luaL_argexpected(L, lua_istable(L, 5), 1, "sizes as a list of cache sizes");
	for (lua_Integer i = 1; lua_rawgeti(L, 5, i) != LUA_TNIL; i++) { /* push size */
		int ok;
		lua_Integer sz = lua_tointegerx(L, -1, &ok);
		if (!ok || sz < 1 || sz > 10000000)
			luaL_error(L, "sizes must be positive integers (at most 10^7)");
		if (nsizes == MAX_SIZES)
			luaL_error(L, "at most %d sizes", MAX_SIZES);
		sizes[nsizes++] = sz;
		lua_pop(L, 1);                      /* remove size */
	}
	lua_pop(L, 1);                              /* remove nil */
	if (nsizes == 0)
		luaL_error(L, "sizes must hold at least one cache size");
	return nsizes;
}

static int l_simulate(lua_State *L)
{
	static const char *const opts[] = {"workload", "keys", "s", "requests", "seed",
					   "scan_every", "scan_length", "policies", "sizes",
					   "window", NULL};
	luaL_checktype(L, 1, LUA_TTABLE);
	cachelua_checkopts(L, 1, opts);
	lua_settop(L, 1);
	uint64_t seed = (uint64_t)lab_optint(L, 1, "seed", 1);
	int pol[CACHE_NPOLICIES + 1];
	int npol = read_policies(L, pol);           /* 2: policy names */

	/* the trace (index 3, and 4: its keys by id when given as a list) */
	uint32_t n, distinct, space;
	int named;
	uint32_t *trace = push_trace(L, &n, &distinct, &space, &named);
	if (!named)
		lua_pushnil(L);

	lua_Integer sizes[MAX_SIZES];
	int nsizes = read_sizes(L, space, sizes);   /* 5: sizes */

	lua_Integer window = lab_optint(L, 1, "window", (n + 99) / 100);
	if (window < 1)
		return luaL_error(L, "window must be a positive number of requests");
	size_t nwin = (n + (size_t)window - 1) / (size_t)window;
	uint32_t *whits = lua_newuserdatauv(L, nwin * sizeof *whits, 0); /* 6: scratch */
	double *ratios = lua_newuserdatauv(L, (size_t)nsizes * sizeof *ratios, 0); /* 7 */

	lua_createtable(L, 0, 12);                  /* 8: result */
	lua_getfield(L, 1, "workload");
	if (lua_istable(L, -1)) {
		lua_pop(L, 1);
		lua_pushliteral(L, "list");
	} else if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushliteral(L, "zipf");
	}
	lua_setfield(L, 8, "workload");
	cachelua_setint(L, "requests", n);
	cachelua_setint(L, "distinct", distinct);
	cachelua_setint(L, "keys", space);
	cachelua_setint(L, "seed", (lua_Integer)seed);
	cachelua_setint(L, "window", window);
	lua_pushvalue(L, 2);
	lua_setfield(L, 8, "policies");
	lua_pushvalue(L, 5);
	lua_setfield(L, 8, "sizes");
	lua_newtable(L);                            /* 9: hit_ratio */
	lua_newtable(L);                            /* 10: hits */
	lua_newtable(L);                            /* 11: timeline */
	for (int i = 0; i < npol; i++) {
		lua_createtable(L, nsizes, 0);      /* 12: this policy's hits */
		lua_createtable(L, nsizes, 0);      /* 13: this policy's timeline */
		for (int j = 0; j < nsizes; j++) {
			int64_t h = cachesim_run(trace, n, pol[i], (size_t)sizes[j], seed,
						 (size_t)window, whits);
			if (h < 0)
				return luaL_error(L, "not enough memory for a cache of %I entries",
						  sizes[j]);
			lua_pushinteger(L, h);
			lua_rawseti(L, 12, j + 1);
			ratios[j] = (double)h / n;
			lua_createtable(L, (int)nwin, 0); /* 14: timeline of this size */
			for (size_t w = 0; w < nwin; w++) {
				size_t len = w + 1 < nwin ? (size_t)window : n - w * (size_t)window;
				lua_pushnumber(L, (double)whits[w] / (double)len);
				lua_rawseti(L, 14, (lua_Integer)w + 1);
			}
			lua_rawseti(L, 13, j + 1);  /* timeline[j+1] = series */
		}
		lua_rawgeti(L, 2, i + 1);           /* push policy name */
		lua_insert(L, 12);                  /* name, hits, timeline */
		lua_pushvalue(L, 12);
		lua_insert(L, -2);                  /* name, hits, name, timeline */
		lua_rawset(L, 11);                  /* timeline[name] = ... */
		lua_pushvalue(L, 12);
		lua_insert(L, -2);                  /* name, name, hits */
		lua_rawset(L, 10);                  /* hits[name] = hits */
		push_numbers(L, ratios, (size_t)nsizes);
		lua_rawset(L, 9);                   /* hit_ratio[name] = ratios */
	}
	lua_setfield(L, 8, "timeline");
	lua_setfield(L, 8, "hits");
	lua_setfield(L, 8, "hit_ratio");
	return 1;
}

static const luaL_Reg functions[] = {
	{"simulate", l_simulate},
	{"trace", l_trace},
	{NULL, NULL},
};

void cachelua_open_sim(lua_State *L)
{
	luaL_setfuncs(L, functions, 0);
}
