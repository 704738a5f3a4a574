/*
 * stampede_lua.c — lab.cache.stampede: the Lua binding of stampede.h.
 *
 *   local r = lab.cache.stampede{strategy = "none", rate = 100, duration = 300,
 *     ttl = 60, recompute = 2, workers = 0, beta = 1, bin = 1, seed = 1}
 *   r.calls  r.latency.p99  r.series.calls[k]  (k-th bin, from r.series.t[k])
 */
#include "engine/concepts/cache/cache_lua.h"
#include "engine/concepts/cache/stampede.h"

#include <math.h>

#define P(m) LAB_INTO(struct stampede_params, m)
#define POSITIVE .min = 0, .max = INFINITY, .flags = LAB_ABOVE

const struct lab_opt cachelua_stampede_opts[] = {
	{"strategy", LAB_ENUM, .str = "none", .choices = "none coalesce xfetch", P(strategy)},
	{"rate", LAB_NUM, .num = 100, POSITIVE, .help = "requests a second", P(rate)},
	{"duration", LAB_NUM, .num = 300, POSITIVE, .help = "seconds simulated", P(duration)},
	{"ttl", LAB_NUM, .num = 60, POSITIVE, .help = "seconds a value stays fresh", P(ttl)},
	{"recompute", LAB_NUM, .num = 2, POSITIVE, .help = "seconds per backend call",
	 P(recompute)},
	{"beta", LAB_NUM, .num = 1, POSITIVE, .help = "xfetch's eagerness", P(beta)},
	{"workers", LAB_INT, .num = 0, .min = 0, .max = 1e6, .help = "backend workers; 0: unlimited",
	 P(workers)},
	{"bin", LAB_NUM, .num = 1, POSITIVE, .help = "seconds per point of the series", P(bin)},
	{"seed", LAB_INT, .num = 1, P(seed)},
	{NULL},
};

#define R(m) LAB_F(struct stampede_result, m)
static const struct lab_field result_fields[] = {
	R(requests), R(hits), R(calls), R(early), R(waited), R(max_inflight), {NULL},
};
static const struct lab_field latency_fields[] = {
	LAB_FAS("mean", struct stampede_result, latency_mean),
	LAB_FAS("p50", struct stampede_result, latency_p50),
	LAB_FAS("p99", struct stampede_result, latency_p99),
	LAB_FAS("max", struct stampede_result, latency_max),
	{NULL},
};

static void free_result(void *r)
{
	stampede_result_free(r);
}

int cachelua_stampede(lua_State *L)
{
	const char *who = "lab.cache.stampede";
	lua_settop(L, 1);
	struct stampede_params p;
	const struct lab_val *o = lab_opts_into(L, 1, who, cachelua_stampede_opts, &p, 0);
	struct stampede_result *r = lab_holder(L, sizeof *r, free_result); /* push holder */
	if (stampede_run(&p, r) < 0)
		return lab_fail(L, "%s: at most %d requests (rate * duration) and %d bins "
				   "(duration / bin), or not enough memory",
				who, (int)STAMPEDE_MAX_REQUESTS / 2, (int)STAMPEDE_MAX_BINS);
	lab_pushfields(L, r, result_fields);        /* push result */
	lab_setstr(L, "strategy", o[0].s);
	lab_pushfields(L, r, latency_fields);
	lua_setfield(L, -2, "latency");
	lua_createtable(L, 0, 5);                   /* series per bin */
	lua_createtable(L, (int)r->nbins, 0);
	for (size_t i = 0; i < r->nbins; i++) {
		lua_pushnumber(L, (double)i * p.bin);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* t[i+1] = start of bin i */
	}
	lua_setfield(L, -2, "t");
	LAB_ARRAY(L, r->bin_calls, r->nbins);
	lua_setfield(L, -2, "calls");
	LAB_ARRAY(L, r->bin_requests, r->nbins);
	lua_setfield(L, -2, "requests");
	LAB_ARRAY(L, r->bin_latency, r->nbins);
	lua_setfield(L, -2, "latency");
	LAB_ARRAY(L, r->bin_max, r->nbins);
	lua_setfield(L, -2, "max_latency");
	lua_setfield(L, -2, "series");
	return 1;
}
