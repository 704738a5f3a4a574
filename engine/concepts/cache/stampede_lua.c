/*
 * stampede_lua.c — lab.cache.stampede: the Lua binding of stampede.h.
 *
 *   local r = lab.cache.stampede{strategy = "none", rate = 100, duration = 300,
 *     ttl = 60, recompute = 2, workers = 0, beta = 1, bin = 1, seed = 1}
 *   r.calls  r.latency.p99  r.series.calls[k]  (k-th bin, from r.series.t[k])
 */
#include "engine/concepts/cache/cache_lua.h"
#include "engine/concepts/cache/stampede.h"

/* Pushes an array of the N values of EXPR, for i = 0 .. N - 1. */
#define PUSH_SERIES(L, n, expr)                                  \
	do {                                                     \
		lua_createtable((L), (int)(n), 0);               \
		for (size_t i = 0; i < (n); i++) {               \
			lua_pushnumber((L), (lua_Number)(expr)); \
			lua_rawseti((L), -2, (lua_Integer)i + 1); \
		}                                                \
	} while (0)

static int l_stampede(lua_State *L)
{
	static const char *const opts[] = {"strategy", "rate", "duration", "ttl", "recompute",
					   "beta", "workers", "bin", "seed", NULL};
	cachelua_checkopts(L, 1, opts);
	struct stampede_params p;
	const char *name = lab_optstr(L, 1, "strategy", "none");
	int strategy = stampede_strategy_parse(name);
	if (strategy < 0)
		return luaL_error(L, "unknown strategy '%s' (strategies: none, coalesce, xfetch)",
				  name);
	p.strategy = (enum stampede_strategy)strategy;
	p.rate = lab_optnum(L, 1, "rate", 100);
	p.duration = lab_optnum(L, 1, "duration", 300);
	p.ttl = lab_optnum(L, 1, "ttl", 60);
	p.recompute = lab_optnum(L, 1, "recompute", 2);
	p.beta = lab_optnum(L, 1, "beta", 1);
	lua_Integer workers = lab_optint(L, 1, "workers", 0);
	p.bin = lab_optnum(L, 1, "bin", 1);
	p.seed = (uint64_t)lab_optint(L, 1, "seed", 1);
	if (workers < 0 || workers > 1000000)
		return luaL_error(L, "workers must be 0 (unlimited) or a positive integer");
	p.workers = (uint32_t)workers;
	struct stampede_result r;
	if (stampede_run(&p, &r) < 0)
		return luaL_error(L, "rate, duration, ttl, recompute, beta and bin must be "
				  "positive (at most %d requests and %d bins)",
				  (int)STAMPEDE_MAX_REQUESTS / 2, (int)STAMPEDE_MAX_BINS);
	/* the arrays move into Lua-owned memory first, so that a memory error
	 * while the tables are built cannot leak them */
	size_t nb = r.nbins;
	double *copy = lua_newuserdatauv(L, 4 * nb * sizeof *copy + 1, 0);
	for (size_t i = 0; i < nb; i++) {
		copy[i] = r.bin_calls[i];
		copy[nb + i] = r.bin_requests[i];
		copy[2 * nb + i] = r.bin_latency[i];
		copy[3 * nb + i] = r.bin_max[i];
	}
	struct stampede_result sum = r;
	stampede_result_free(&r);
	lua_createtable(L, 0, 12);                  /* the result */
	lua_pushstring(L, name);
	lua_setfield(L, -2, "strategy");
	cachelua_setint(L, "requests", (lua_Integer)sum.requests);
	cachelua_setint(L, "hits", (lua_Integer)sum.hits);
	cachelua_setint(L, "calls", (lua_Integer)sum.calls);
	cachelua_setint(L, "early", (lua_Integer)sum.early);
	cachelua_setint(L, "waited", (lua_Integer)sum.waited);
	cachelua_setint(L, "max_inflight", (lua_Integer)sum.max_inflight);
	lua_createtable(L, 0, 4);                   /* latency summary */
	cachelua_setnum(L, "mean", sum.latency_mean);
	cachelua_setnum(L, "p50", sum.latency_p50);
	cachelua_setnum(L, "p99", sum.latency_p99);
	cachelua_setnum(L, "max", sum.latency_max);
	lua_setfield(L, -2, "latency");
	lua_createtable(L, 0, 5);                   /* series per bin */
	PUSH_SERIES(L, nb, (double)i * p.bin);
	lua_setfield(L, -2, "t");
	PUSH_SERIES(L, nb, copy[i]);
	lua_setfield(L, -2, "calls");
	PUSH_SERIES(L, nb, copy[nb + i]);
	lua_setfield(L, -2, "requests");
	PUSH_SERIES(L, nb, copy[2 * nb + i]);
	lua_setfield(L, -2, "latency");
	PUSH_SERIES(L, nb, copy[3 * nb + i]);
	lua_setfield(L, -2, "max_latency");
	lua_setfield(L, -2, "series");
	return 1;
}

static const luaL_Reg functions[] = {
	{"stampede", l_stampede},
	{NULL, NULL},
};

void cachelua_open_stampede(lua_State *L)
{
	luaL_setfuncs(L, functions, 0);
}
