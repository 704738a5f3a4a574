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
#define WORKLOADS "zipf loop scan mixed"
#define POLICIES CACHELUA_POLICIES " opt"

/* The options of trace, then those simulate adds. */
#define TRACE_OPTS                                                                          \
	{"workload", LAB_ANY, .str = "zipf", .help = WORKLOADS ", or a list of keys"},      \
	{"keys", LAB_INT, .num = 1000, .min = 1, .max = CACHESIM_MAX_KEYS,                  \
	 LAB_INTO(struct cachesim_params, keys)},                                            \
	{"s", LAB_NUM, .num = 1, .min = 0, .max = INFINITY, .help = "Zipf exponent",        \
	 LAB_INTO(struct cachesim_params, s)},                                               \
	{"requests", LAB_INT, .num = 100000, .min = 1, .max = CACHESIM_MAX_REQUESTS,        \
	 LAB_INTO(struct cachesim_params, requests)},                                        \
	{"seed", LAB_INT, .num = 1, LAB_INTO(struct cachesim_params, seed)},                 \
	{"scan_every", LAB_INT, .str = "10 * keys", .min = 1, .max = CACHESIM_MAX_REQUESTS, \
	 .help = "mixed: requests between scans", LAB_INTO(struct cachesim_params, scan_every)}, \
	{"scan_length", LAB_INT, .str = "keys", .min = 1, .max = CACHESIM_MAX_REQUESTS,     \
	 .help = "mixed: keys per scan", LAB_INTO(struct cachesim_params, scan_length)}
enum { O_WORKLOAD, O_KEYS, O_S, O_REQUESTS, O_SEED, O_EVERY, O_LENGTH, O_POLICIES, O_SIZES,
       O_WINDOW };

static const struct lab_opt trace_opts[] = {TRACE_OPTS, {NULL}};
const struct lab_opt cachelua_simulate_opts[] = {
	TRACE_OPTS,
	{"policies", LAB_TABLE, .str = "all", .help = POLICIES},
	{"sizes", LAB_TABLE, .str = "1 2 5 10 20 50 % of the keys", .help = "cache sizes"},
	{"window", LAB_INT, .str = "requests / 100", .min = 1, .max = INFINITY,
	 .help = "requests per point of the timeline"},
	{NULL},
};

/*
 * Builds the trace the options at index 1 (read into O and P) describe into
 * a new userdata (pushed), and returns it; *N gets its length, *DISTINCT the
 * number of distinct keys, *SPACE the size of the key space. With a list of
 * keys, also pushes a table id -> key and sets *NAMED.
 */
static uint32_t *push_trace(lua_State *L, const char *who, const struct lab_val *o,
			    struct cachesim_params *p, uint32_t *n, uint32_t *distinct,
			    uint32_t *space, int *named)
{
	lab_optpush(L, 1, "workload");              /* push workload */
	int list = lua_gettop(L);
	*named = lua_type(L, list) == LUA_TTABLE;
	if (*named) {
		lua_Integer len = (lua_Integer)lua_rawlen(L, list);
		if (len < 1 || len > CACHESIM_MAX_REQUESTS)
			luaL_error(L, "%s: a workload list needs between 1 and %d keys", who,
				   (int)CACHESIM_MAX_REQUESTS);
		uint32_t *trace = lab_scratch(L, (size_t)len * sizeof *trace); /* push trace */
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
	p->workload = lua_isnil(L, list) ? CACHESIM_ZIPF
		: (enum cachesim_workload)lab_choice(L, list, who, "option 'workload'",
						     WORKLOADS " (or a list of keys)");
	lua_pop(L, 1);                              /* remove workload */
	if (!o[O_EVERY].set)
		p->scan_every = p->keys * 10 < CACHESIM_MAX_REQUESTS ? p->keys * 10
								     : CACHESIM_MAX_REQUESTS;
	if (!o[O_LENGTH].set)
		p->scan_length = p->keys;
	if (p->workload == CACHESIM_MIXED && p->scan_length >= p->scan_every)
		luaL_error(L, "%s: scan_length must be smaller than scan_every", who);
	uint32_t *trace = lab_scratch(L, (size_t)p->requests * sizeof *trace); /* push trace */
	if (cachesim_trace(p, trace) < 0)
		lab_fail(L, "%s: not enough memory for the workload", who);
	*n = p->requests;
	uint32_t maxkey = 0;
	for (uint32_t i = 0; i < *n; i++)
		maxkey = trace[i] > maxkey ? trace[i] : maxkey;
	unsigned char *seen = lab_scratch(L, (size_t)maxkey + 1); /* push seen */
	*distinct = 0;
	for (uint32_t i = 0; i < *n; i++)
		if (!seen[trace[i]]++)
			++*distinct;
	lua_pop(L, 1);                              /* remove seen */
	*space = p->workload == CACHESIM_SCAN ? *distinct : p->keys;
	return trace;
}

int cachelua_trace(lua_State *L)
{
	lua_settop(L, 1);
	struct cachesim_params p;
	const struct lab_val *o = lab_opts_into(L, 1, "lab.cache.trace", trace_opts, &p, 0);
	uint32_t n, distinct, space;
	int named;
	uint32_t *trace = push_trace(L, "lab.cache.trace", o, &p, &n, &distinct, &space, &named);
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

/* Reads option `policies` (default: all) into POL and pushes the list of
 * their names; returns how many. */
static int read_policies(lua_State *L, int *pol)
{
	int npol = 0;
	if (lab_optpush(L, 1, "policies") == LUA_TNIL) { /* push policies */
		lua_pop(L, 1);
		lua_newtable(L);
		for (int i = 0; i <= CACHE_NPOLICIES; i++) {
			pol[npol++] = i < CACHE_NPOLICIES ? i : CACHESIM_OPT;
			lua_pushstring(L, i < CACHE_NPOLICIES ? cache_policy_name(i) : "opt");
			lua_rawseti(L, -2, i + 1);
		}
		return npol;
	}
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	if (n < 1 || n > CACHE_NPOLICIES + 1)
		luaL_error(L, "lab.cache.simulate: policies must name 1 to %d policies",
			   CACHE_NPOLICIES + 1);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);              /* push name */
		int p = lab_choice(L, -1, "lab.cache.simulate", "every policy", POLICIES);
		pol[npol++] = p == CACHE_NPOLICIES ? CACHESIM_OPT : p;
		lua_pop(L, 1);                      /* remove name */
	}
	return npol;
}

/* Reads option `sizes` (default: 1 2 5 10 20 50 % of SPACE) into SIZES and
 * pushes the list; returns how many. */
static int read_sizes(lua_State *L, uint32_t space, lua_Integer *sizes)
{
	int nsizes = 0;
	if (lab_optpush(L, 1, "sizes") == LUA_TNIL) {   /* push sizes */
		static const int pct[] = {1, 2, 5, 10, 20, 50};
		for (int i = 0; i < 6; i++) {
			lua_Integer sz = (lua_Integer)space * pct[i] / 100;
			if (sz >= 1 && (nsizes == 0 || sz > sizes[nsizes - 1]))
				sizes[nsizes++] = sz;
		}
		if (nsizes == 0)
			sizes[nsizes++] = 1;
		lua_pop(L, 1);
		LAB_ARRAY(L, sizes, (size_t)nsizes);
		return nsizes;
	}
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	if (n < 1 || n > MAX_SIZES)
		luaL_error(L, "lab.cache.simulate: sizes must hold 1 to %d cache sizes", MAX_SIZES);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);              /* push size */
		int ok;
		sizes[nsizes++] = lua_tointegerx(L, -1, &ok);
		if (!ok || lua_type(L, -1) != LUA_TNUMBER || sizes[nsizes - 1] < 1 ||
		    sizes[nsizes - 1] > 10000000)
			luaL_error(L, "lab.cache.simulate: sizes must be positive integers "
				      "(at most 10^7)");
		lua_pop(L, 1);                      /* remove size */
	}
	return nsizes;
}

int cachelua_simulate(lua_State *L)
{
	const char *who = "lab.cache.simulate";
	lua_settop(L, 1);
	struct cachesim_params p;
	const struct lab_val *o = lab_opts_into(L, 1, who, cachelua_simulate_opts, &p, 0); /* 2 */
	int pol[CACHE_NPOLICIES + 1];
	int npol = read_policies(L, pol);           /* 3: policy names */
	uint32_t n, distinct, space;
	int named;
	uint32_t *trace = push_trace(L, who, o, &p, &n, &distinct, &space, &named); /* 4 */
	if (!named)
		lua_pushnil(L);                     /* 5: keys by id, or nil */
	lua_Integer sizes[MAX_SIZES];
	int nsizes = read_sizes(L, space, sizes);   /* 6: sizes */
	lua_Integer window = o[O_WINDOW].set ? o[O_WINDOW].i : (n + 99) / 100;
	size_t nwin = (n + (size_t)window - 1) / (size_t)window;
	uint32_t *whits = lab_scratch(L, nwin * sizeof *whits);             /* 7 */
	double *ratios = lab_scratch(L, (size_t)nsizes * sizeof *ratios);   /* 8 */

	lua_createtable(L, 0, 12);                  /* 9: result */
	static const char *const wnames[] = {"zipf", "loop", "scan", "mixed"};
	lab_setstr(L, "workload", named ? "list" : wnames[p.workload]);
	lab_setint(L, "requests", n);
	lab_setint(L, "distinct", distinct);
	lab_setint(L, "keys", space);
	lab_setint(L, "seed", (lua_Integer)p.seed);
	lab_setint(L, "window", window);
	lua_pushvalue(L, 3);
	lua_setfield(L, 9, "policies");
	lua_pushvalue(L, 6);
	lua_setfield(L, 9, "sizes");
	lua_newtable(L);                            /* 10: hit_ratio */
	lua_newtable(L);                            /* 11: hits */
	lua_newtable(L);                            /* 12: timeline */
	for (int i = 0; i < npol; i++) {
		lua_createtable(L, nsizes, 0);      /* 13: this policy's hits */
		lua_createtable(L, nsizes, 0);      /* 14: this policy's timeline */
		for (int j = 0; j < nsizes; j++) {
			int64_t h = cachesim_run(trace, n, pol[i], (size_t)sizes[j], p.seed,
						 (size_t)window, whits);
			if (h < 0)
				return lab_fail(L, "%s: not enough memory for a cache of %I entries",
						who, sizes[j]);
			lua_pushinteger(L, h);
			lua_rawseti(L, 13, j + 1);
			ratios[j] = (double)h / n;
			lua_createtable(L, (int)nwin, 0); /* 15: timeline of this size */
			for (size_t w = 0; w < nwin; w++) {
				size_t len = w + 1 < nwin ? (size_t)window : n - w * (size_t)window;
				lua_pushnumber(L, (double)whits[w] / (double)len);
				lua_rawseti(L, 15, (lua_Integer)w + 1);
			}
			lua_rawseti(L, 14, j + 1);  /* timeline[j+1] = series */
		}
		lua_rawgeti(L, 3, i + 1);           /* push policy name */
		lua_insert(L, 13);                  /* name, hits, timeline */
		lua_pushvalue(L, 13);
		lua_insert(L, -2);                  /* name, hits, name, timeline */
		lua_rawset(L, 12);                  /* timeline[name] = ... */
		lua_pushvalue(L, 13);
		lua_insert(L, -2);                  /* name, name, hits */
		lua_rawset(L, 11);                  /* hits[name] = hits */
		lab_pushnums(L, ratios, (size_t)nsizes);
		lua_rawset(L, 10);                  /* hit_ratio[name] = ratios */
	}
	lua_setfield(L, 9, "timeline");
	lua_setfield(L, 9, "hits");
	lua_setfield(L, 9, "hit_ratio");
	return 1;
}
