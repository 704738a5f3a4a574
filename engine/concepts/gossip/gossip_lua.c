/*
 * gossip_lua.c — lab.gossip: the Lua binding of gossip.h.
 *
 *   lab.gossip.spread{nodes = 100, fanout = 2, loss = 0.1, seed = 1}
 *   lab.gossip.swim{nodes = 20, crash = 5, crash_at = 10, loss = 0.1, lifeguard = true}
 *   lab.gossip.heartbeat{nodes = 10, interval = 1, timeout = 3, crash = 2}
 *   lab.gossip.discovery{nodes = 6, ttl = 3, crash = 4, lookups = 100}
 *   lab.gossip.node("swim", {...})  lab.gossip.view(sim, id)
 *   lab.gossip.suspicion_timeout(mult, n, interval)  retransmit_limit(mult, n)
 *   lab.gossip.remaining_suspicion(n, k, elapsed, min, max)
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/gossip/gossip.h"
#include "engine/concepts/sim/sim_lua.h"

#include <math.h>
#include <string.h>

#define RUN_OPTS                                                                            \
	{"nodes", LAB_INT, 10, .min = 1, .max = SIM_MAX_NODES},                              \
	{"seed", LAB_INT, 1, .help = "the same seed replays the run"},                      \
	{"loss", LAB_NUM, 0, .min = 0, .max = 1},                                            \
	{"latency", LAB_NUM, 0.005, .min = 0, .max = 100, .help = "mean (exponential)"},     \
	{"time", LAB_NUM, 60, .min = 1e-3, .max = 1e6, .help = "seconds simulated"},        \
	{"crash", LAB_INT, 0, .min = 0, .max = SIM_MAX_NODES, .help = "node to crash (0: none)"}, \
	{"crash_at", LAB_NUM, 10, .min = 0, .max = 1e6},                                     \
	{"keep", LAB_BOOL, 0, .help = "return the run as a lab.sim (trace kept)"}
enum { R_NODES, R_SEED, R_LOSS, R_LATENCY, R_TIME, R_CRASH, R_CRASH_AT, R_KEEP, R_NEXT };

static void read_run(lua_State *L, const struct lab_val *o, struct gossip_run *r, const char *who)
{
	*r = (struct gossip_run){.nodes = (uint32_t)o[R_NODES].i, .seed = (uint64_t)o[R_SEED].i,
				 .loss = o[R_LOSS].num, .latency = o[R_LATENCY].num,
				 .time = o[R_TIME].num, .crash = (uint32_t)o[R_CRASH].i,
				 .crash_at = o[R_CRASH_AT].num, .trace = (int)o[R_KEEP].i};
	if (r->crash > r->nodes)
		luaL_error(L, "%s: there is no node %d to crash", who, (int)r->crash);
}

static double secs_or_nil(lua_State *L, double x)
{
	if (x < 0)
		lua_pushnil(L);
	else
		lua_pushnumber(L, x);
	return x;
}

/* The common fields of a result table (on top of the stack); hands a kept
 * simulation over to a lab.sim object. */
static void result(lua_State *L, struct gossip_result *g)
{
	lab_setint(L, "messages", (lua_Integer)g->stats.sent);
	lab_setint(L, "bytes", (lua_Integer)g->stats.bytes);
	lab_setint(L, "lost", (lua_Integer)g->stats.dropped_loss);
	secs_or_nil(L, g->detect_first);
	lua_setfield(L, -2, "detect_first");
	secs_or_nil(L, g->detect_all);
	lua_setfield(L, -2, "detect_all");
	lab_setint(L, "false_suspicions", (lua_Integer)g->rec.false_suspicions);
	lab_setint(L, "false_deaths", (lua_Integer)g->rec.false_deaths);
	if (g->sim) {
		gossip_detach(g->sim);
		lab_sim_wrap(L, g->sim);
		g->sim = NULL;
		lua_setfield(L, -2, "sim");
	}
}

/* ---- gossip ---- */

static const struct lab_opt spread_opts[] = {
	RUN_OPTS,
	{"fanout", LAB_INT, 2, .min = 1, .max = 1000, .help = "peers per round"},
	{"round", LAB_NUM, 0.2, .min = 1e-6, .max = 1e4, .help = "seconds between rounds"},
	{"ttl", LAB_INT, 0, .min = 0, .max = 1e6, .help = "rounds a node gossips (0: forever)"},
	{"pull", LAB_BOOL, 0, .help = "uninformed nodes also ask a peer each round"},
	{NULL},
};

static int l_spread(lua_State *L)
{
	static const char who[] = "lab.gossip.spread";
	const struct lab_val *o = lab_opts(L, 1, who, spread_opts);
	struct gossip_run r;
	read_run(L, o, &r, who);
	r.crash = 0;
	struct gossip_cfg g = {.fanout = (uint32_t)o[R_NEXT].i, .round = o[R_NEXT + 1].num,
			       .ttl = (uint32_t)o[R_NEXT + 2].i, .origin = 1,
			       .pull = (int)o[R_NEXT + 3].i};
	struct gossip_result res;
	if (gossip_spread(&r, &g, &res) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 10);
	lab_setint(L, "informed", res.informed);
	secs_or_nil(L, res.all_informed);
	lua_setfield(L, -2, "all_informed");
	secs_or_nil(L, res.rounds);
	lua_setfield(L, -2, "rounds");
	/* how many knew the rumor after each round */
	uint32_t rounds = (uint32_t)ceil(r.time / g.round);
	if (rounds > 100000)
		rounds = 100000;
	lua_createtable(L, (int)rounds, 0);
	for (uint32_t k = 1; k <= rounds; k++) {
		uint32_t knew = 0;
		for (uint32_t i = 0; i < r.nodes; i++)
			knew += res.rec.informed[i] >= 0 &&
				(double)res.rec.informed[i] / 1e9 <= k * g.round;
		lua_pushinteger(L, knew);
		lua_rawseti(L, -2, k);
		if (knew == r.nodes)
			break;
	}
	lua_setfield(L, -2, "curve");
	result(L, &res);
	gossip_result_free(&res);
	return 1;
}

/* ---- SWIM ---- */

#define SWIM_OPTS                                                                             \
	{"interval", LAB_NUM, 1, .min = 1e-3, .max = 1e4, .help = "probe interval"},          \
	{"timeout", LAB_NUM, 0.5, .min = 1e-3, .max = 1e4, .help = "probe timeout"},          \
	{"indirect", LAB_INT, 3, .min = 0, .max = 64, .help = "ping-req helpers"},            \
	{"suspicion_mult", LAB_NUM, 4, .min = 1, .max = 100},                                 \
	{"suspicion_max_mult", LAB_NUM, 6, .min = 1, .max = 100},                             \
	{"retransmit_mult", LAB_INT, 4, .min = 1, .max = 100},                                \
	{"lifeguard", LAB_BOOL, 1, .help = "local health, dynamic suspicion timeouts"},      \
	{"awareness_max", LAB_INT, 8, .min = 1, .max = 100},                                  \
	{"piggyback", LAB_INT, 8, .min = 1, .max = 1000, .help = "updates per message"}

static const struct lab_opt swim_opts[] = {RUN_OPTS, SWIM_OPTS, {NULL}};
static const struct lab_opt swim_node_opts[] = {SWIM_OPTS, {NULL}};

static struct swim_cfg read_swim(const struct lab_val *o)
{
	return (struct swim_cfg){.interval = o[0].num, .timeout = o[1].num,
				 .indirect = (uint32_t)o[2].i, .suspicion_mult = o[3].num,
				 .suspicion_max_mult = o[4].num, .retransmit_mult = (int)o[5].i,
				 .lifeguard = (int)o[6].i, .awareness_max = (int)o[7].i,
				 .piggyback = (uint32_t)o[8].i};
}

static int l_swim(lua_State *L)
{
	static const char who[] = "lab.gossip.swim";
	const struct lab_val *o = lab_opts(L, 1, who, swim_opts);
	struct gossip_run r;
	read_run(L, o, &r, who);
	struct swim_cfg c = read_swim(o + R_NEXT);
	if (c.timeout > c.interval)
		return luaL_error(L, "%s: the probe timeout must not exceed the interval", who);
	struct gossip_result res;
	if (gossip_swim(&r, &c, &res) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 12);
	lab_setint(L, "refutations", (lua_Integer)res.rec.refutations);
	lab_setint(L, "lhm_max", (lua_Integer)res.rec.lhm_max);
	lab_setnum(L, "suspicion_min", swim_suspicion_timeout(c.suspicion_mult, r.nodes, c.interval));
	result(L, &res);
	gossip_result_free(&res);
	return 1;
}

/* ---- heartbeats ---- */

static const struct lab_opt hb_opts[] = {
	RUN_OPTS,
	{"interval", LAB_NUM, 1, .min = 1e-3, .max = 1e4, .help = "between heartbeats"},
	{"timeout", LAB_NUM, 3, .min = 1e-3, .max = 1e6, .help = "silence before suspecting"},
	{NULL},
};

static int l_heartbeat(lua_State *L)
{
	static const char who[] = "lab.gossip.heartbeat";
	const struct lab_val *o = lab_opts(L, 1, who, hb_opts);
	struct gossip_run r;
	read_run(L, o, &r, who);
	struct heartbeat_cfg c = {.interval = o[R_NEXT].num, .timeout = o[R_NEXT + 1].num};
	struct gossip_result res;
	if (gossip_heartbeat(&r, &c, &res) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 10);
	result(L, &res);
	gossip_result_free(&res);
	return 1;
}

/* ---- discovery ---- */

static const struct lab_opt disc_opts[] = {
	RUN_OPTS,
	{"ttl", LAB_NUM, 3, .min = 1e-3, .max = 1e6, .help = "registration lifetime"},
	{"lookups", LAB_INT, 100, .min = 0, .max = 1000000, .help = "client lookups, evenly spread"},
	{NULL},
};

static int l_discovery(lua_State *L)
{
	static const char who[] = "lab.gossip.discovery";
	const struct lab_val *o = lab_opts(L, 1, who, disc_opts);
	struct gossip_run r;
	read_run(L, o, &r, who);
	if (r.nodes < 2 || r.crash == 1)
		return luaL_error(L, "%s: node 1 is the registry: give at least 2 nodes, and crash "
				     "an instance (2..)", who);
	struct discovery_cfg c = {.ttl = o[R_NEXT].num};
	struct gossip_result res;
	uint64_t stale, missing;
	if (gossip_discovery(&r, &c, (uint32_t)o[R_NEXT + 1].i, &res, &stale, &missing) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 10);
	lab_setint(L, "stale", (lua_Integer)stale);
	lab_setint(L, "missing", (lua_Integer)missing);
	if (r.crash && res.rec.dead[r.crash - 1] >= 0)
		lab_setnum(L, "removed_after", (double)res.rec.dead[r.crash - 1] / 1e9 - r.crash_at);
	result(L, &res);
	gossip_result_free(&res);
	return 1;
}

/* ---- behaviours for lab.sim ---- */

static const struct lab_opt gossip_node_opts[] = {
	{"fanout", LAB_INT, 2, .min = 1, .max = 1000},
	{"round", LAB_NUM, 0.2, .min = 1e-6, .max = 1e4},
	{"ttl", LAB_INT, 0, .min = 0, .max = 1e6},
	{"origin", LAB_INT, 1, .min = 1, .max = SIM_MAX_NODES, .help = "who knows the rumor at 0"},
	{"pull", LAB_BOOL, 0, .help = "uninformed nodes also ask a peer"},
	{NULL},
};

static int l_node(lua_State *L)
{
	const char *kind = luaL_checkstring(L, 1);
	if (strcmp(kind, "swim") == 0) {
		const struct lab_val *o = lab_opts(L, 2, "lab.gossip.node swim", swim_node_opts);
		struct swim_cfg c = read_swim(o);
		if (c.timeout > c.interval)
			return luaL_error(L, "lab.gossip.node: the probe timeout must not exceed the "
					     "interval");
		lab_sim_push_behaviour(L, &swim_behaviour, &c, sizeof c);
	} else if (strcmp(kind, "gossip") == 0) {
		const struct lab_val *o = lab_opts(L, 2, "lab.gossip.node gossip", gossip_node_opts);
		struct gossip_cfg g = {.fanout = (uint32_t)o[0].i, .round = o[1].num,
				       .ttl = (uint32_t)o[2].i, .origin = (uint32_t)o[3].i,
				       .pull = (int)o[4].i};
		lab_sim_push_behaviour(L, &gossip_behaviour, &g, sizeof g);
	} else if (strcmp(kind, "heartbeat") == 0) {
		const struct lab_val *o = lab_opts(L, 2, "lab.gossip.node heartbeat", hb_opts + R_NEXT);
		struct heartbeat_cfg h = {.interval = o[0].num, .timeout = o[1].num};
		lab_sim_push_behaviour(L, &heartbeat_behaviour, &h, sizeof h);
	} else {
		return luaL_error(L, "lab.gossip.node: kinds are swim gossip heartbeat (got '%s')",
				  kind);
	}
	return 1;
}

static int l_view(lua_State *L)
{
	struct sim *s = lab_sim_check(L, 1);
	lua_Integer id = luaL_checkinteger(L, 2);
	static const char *const states[] = {"alive", "suspect", "dead"};
	uint64_t inc;
	if (id < 1 || id > sim_nodes(s) || swim_view(s, (uint32_t)id, 1, &inc) < 0)
		return luaL_error(L, "lab.gossip.view: n%d is not a running SWIM node", (int)id);
	lua_createtable(L, (int)sim_nodes(s), 2);
	for (uint32_t m = 1; m <= sim_nodes(s); m++) {
		int st = swim_view(s, (uint32_t)id, m, &inc);
		lua_pushstring(L, states[st]);
		lua_rawseti(L, -2, m);
	}
	lua_pushinteger(L, swim_lhm(s, (uint32_t)id));
	return 2;
}

/* ---- formulas ---- */

static int l_suspicion_timeout(lua_State *L)
{
	double mult = luaL_checknumber(L, 1), interval = luaL_checknumber(L, 3);
	lua_Integer n = luaL_checkinteger(L, 2);
	luaL_argcheck(L, n >= 0 && n <= 0x7fffffff, 2, "a cluster size");
	lua_pushnumber(L, swim_suspicion_timeout(mult, (uint32_t)n, interval));
	return 1;
}

static int l_retransmit_limit(lua_State *L)
{
	lua_Integer mult = luaL_checkinteger(L, 1), n = luaL_checkinteger(L, 2);
	luaL_argcheck(L, mult >= 0 && mult <= 1000, 1, "a multiplier");
	luaL_argcheck(L, n >= 0 && n <= 0x7fffffff, 2, "a cluster size");
	lua_pushinteger(L, swim_retransmit_limit((int)mult, (uint32_t)n));
	return 1;
}

static int l_remaining_suspicion(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1), k = luaL_checkinteger(L, 2);
	luaL_argcheck(L, n >= 0 && n <= 1000000, 1, "confirmations from 0");
	luaL_argcheck(L, k >= 1 && k <= 1000000, 2, "expected confirmations from 1");
	lua_pushnumber(L, swim_remaining_suspicion((int)n, (int)k, luaL_checknumber(L, 3),
						   luaL_checknumber(L, 4), luaL_checknumber(L, 5)));
	return 1;
}

static const luaL_Reg functions[] = {
	{"spread", l_spread},
	{"swim", l_swim},
	{"heartbeat", l_heartbeat},
	{"discovery", l_discovery},
	{"node", l_node},
	{"view", l_view},
	{"suspicion_timeout", l_suspicion_timeout},
	{"retransmit_limit", l_retransmit_limit},
	{"remaining_suspicion", l_remaining_suspicion},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_gossip = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"spread", spread_opts},
					       {"swim", swim_opts},
					       {"heartbeat", hb_opts},
					       {"discovery", disc_opts},
					       {NULL}},
};
