/*
 * replication_lua.c — lab.replication: the Lua binding of replication.h.
 *
 *   lab.replication.leader{mode = "async", reads = "any", slow = 3, apply_delay = 0.5}
 *   lab.replication.quorum{nodes = 5, n = 3, r = 2, w = 2, sloppy = true}
 *   lab.replication.multi{nodes = 3, clock_skew = 0.5}
 *   lab.replication.check(sim)     lab.replication.node("quorum", {...})
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/replication/replication.h"
#include "engine/concepts/sim/sim_lua.h"

#include <string.h>

#define RUN_OPTS                                                                              \
	{"nodes", LAB_INT, 3, .min = 1, .max = 64},                                            \
	{"clients", LAB_INT, 3, .min = 1, .max = 1000},                                        \
	{"keys", LAB_INT, 3, .min = 1, .max = 1000, .help = "k1..kK"},                         \
	{"seed", LAB_INT, 1, .help = "the same seed replays the run"},                         \
	{"time", LAB_NUM, 20, .min = 2, .max = 1e5, .help = "seconds simulated"},             \
	{"period", LAB_NUM, 0.2, .min = 1e-3, .max = 1e4, .help = "mean time between a client's ops"}, \
	{"writes", LAB_NUM, 0.5, .min = 0, .max = 1, .help = "share of writes"},               \
	{"latency", LAB_NUM, 0.01, .min = 0, .max = 100, .help = "mean (exponential)"},        \
	{"loss", LAB_NUM, 0, .min = 0, .max = 1},                                              \
	{"reorder", LAB_NUM, 0, .min = 0, .max = 1},                                           \
	{"clock_skew", LAB_NUM, 0, .min = 0, .max = 1e4},                                      \
	{"multi_key", LAB_BOOL, 0, .help = "reads ask for two keys at once"},                  \
	{"timeout", LAB_NUM, 1, .min = 1e-3, .max = 1e4, .help = "clients give up (info)"},    \
	{"crash_at", LAB_NUM, 0, .min = 0, .max = 1e5, .help = "node 1 crashes (0: never)"},  \
	{"partition", LAB_TABLE, .help = "{nodes = {...}, from = t, to = t}: those vs the rest"}, \
	{"keep", LAB_BOOL, 0, .help = "return the run as a lab.sim"}
enum { R_NODES, R_CLIENTS, R_KEYS, R_SEED, R_TIME, R_PERIOD, R_WRITES, R_LATENCY, R_LOSS,
       R_REORDER, R_SKEW, R_MULTI, R_TIMEOUT, R_CRASH, R_PART, R_KEEP, R_NEXT };

static void read_run(lua_State *L, const struct lab_val *o, struct repl_run *r, const char *who)
{
	r->nodes = (uint32_t)o[R_NODES].i;
	r->clients = (uint32_t)o[R_CLIENTS].i;
	r->keys = (uint32_t)o[R_KEYS].i;
	r->seed = (uint64_t)o[R_SEED].i;
	r->time = o[R_TIME].num;
	r->period = o[R_PERIOD].num;
	r->writes = o[R_WRITES].num;
	r->latency = o[R_LATENCY].num;
	r->loss = o[R_LOSS].num;
	r->reorder = o[R_REORDER].num;
	r->clock_skew = o[R_SKEW].num;
	r->multi_key = (int)o[R_MULTI].i;
	r->timeout = o[R_TIMEOUT].num;
	r->crash_at = o[R_CRASH].num;
	r->keep = (int)o[R_KEEP].i;
	if (o[R_PART].set) {
		lab_optpush(L, 1, "partition");                  /* push spec */
		int sp = lua_gettop(L);
		lab_optpush(L, sp, "nodes");
		for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TNUMBER; i++) {
			lua_Integer id = lua_tointeger(L, -1);
			if (id < 1 || id > (lua_Integer)r->nodes)
				luaL_error(L, "%s: partition: there is no node %d", who, (int)id);
			r->part |= 1ull << (id - 1);
			lua_pop(L, 1);
		}
		lua_pop(L, 2);
		lab_optpush(L, sp, "from");
		r->part_at = luaL_optnumber(L, -1, 0);
		lab_optpush(L, sp, "to");
		r->part_until = luaL_optnumber(L, -1, r->time);
		lua_settop(L, sp - 1);
		if (!r->part || !(r->part_at >= 0 && r->part_until > r->part_at))
			luaL_error(L, "%s: partition = {nodes = {ids}, from = t1, to = t2} with t1 < t2",
				   who);
	}
	const char *why = rep_check(r);
	if (why)
		luaL_error(L, "%s: %s", who, why);
}

#define RF(m) LAB_F(struct repl_report, m)
static const struct lab_field report_fields[] = {
	RF(writes), RF(reads), RF(ok), RF(failed), RF(info), RF(ryw), RF(monotonic), RF(prefix),
	RF(stale), RF(lost), RF(max_lag), RF(max_lag_s), RF(repairs), RF(hints), RF(handoffs),
	RF(leader), {NULL},
};
static const struct lab_field check_fields[] = {
	RF(stale), RF(ryw), RF(monotonic), RF(prefix), {NULL},
};

static void report(lua_State *L, struct repl_report *o)
{
	lab_pushfields(L, o, report_fields);
	if (o->sim) {
		lab_sim_wrap(L, o->sim);
		o->sim = NULL;
		lua_setfield(L, -2, "sim");
	}
}

static int run(lua_State *L, struct repl_run *r, const char *who)
{
	struct repl_report o;
	if (rep_run(r, &o) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	report(L, &o);
	return 1;
}

static const struct lab_opt leader_opts[] = {
	RUN_OPTS,
	{"mode", LAB_ENUM, .str = "async", .choices = "async semisync sync"},
	{"reads", LAB_ENUM, .str = "any", .choices = "leader any follower sticky ryw",
	 .help = "where clients read"},
	{"ryw_window", LAB_NUM, 1, .min = 0, .max = 1e4, .help = "ryw: read the leader this long"},
	{"ordered", LAB_BOOL, 1, .help = "followers apply in log order"},
	{"apply_delay", LAB_NUM, 0, .min = 0, .max = 1e4, .help = "followers apply this late"},
	{"slow", LAB_INT, 0, .min = 0, .max = 64, .help = "... only this one (0: all)"},
	{"resend", LAB_NUM, 0.1, .min = 1e-3, .max = 1e4},
	{"failover", LAB_NUM, 2, .min = 0, .max = 1e4, .help = "seconds after a crash"},
	{NULL},
};

static int l_leader(lua_State *L)
{
	static const char who[] = "lab.replication.leader";
	const struct lab_val *o = lab_opts(L, 1, who, leader_opts);
	struct repl_run r = rep_defaults(REPL_LEADER);
	r.leader.mode = (enum repl_mode)o[R_NEXT].choice;
	r.reads = (enum read_policy)o[R_NEXT + 1].choice;
	r.ryw_window = o[R_NEXT + 2].num;
	r.leader.ordered = (int)o[R_NEXT + 3].i;
	r.leader.apply_delay = o[R_NEXT + 4].num;
	r.leader.slow = (uint32_t)o[R_NEXT + 5].i;
	r.leader.resend = o[R_NEXT + 6].num;
	r.failover = o[R_NEXT + 7].num;
	read_run(L, o, &r, who);
	return run(L, &r, who);
}

static const struct lab_opt quorum_opts[] = {
	RUN_OPTS,
	{"n", LAB_INT, 3, .min = 1, .max = 64, .help = "replicas per key"},
	{"r", LAB_INT, 2, .min = 1, .max = 64},
	{"w", LAB_INT, 2, .min = 1, .max = 64},
	{"sloppy", LAB_BOOL, 0, .help = "fall back to other nodes, with hints"},
	{"read_repair", LAB_BOOL, 1, .help = "repair replicas a read found behind"},
	{"handoff", LAB_NUM, 0.5, .min = 0, .max = 1e4, .help = "hint delivery period (0: none)"},
	{"wait", LAB_NUM, 0.2, .min = 1e-3, .max = 1e4, .help = "a coordinator waits this long"},
	{NULL},
};

static int l_quorum(lua_State *L)
{
	static const char who[] = "lab.replication.quorum";
	const struct lab_val *o = lab_opts(L, 1, who, quorum_opts);
	struct repl_run r = rep_defaults(REPL_QUORUM);
	r.nodes = 5;
	r.quorum = (struct quorum_cfg){.n = (uint32_t)o[R_NEXT].i, .r = (uint32_t)o[R_NEXT + 1].i,
				       .w = (uint32_t)o[R_NEXT + 2].i, .sloppy = (int)o[R_NEXT + 3].i,
				       .read_repair = (int)o[R_NEXT + 4].i,
				       .handoff = o[R_NEXT + 5].num, .timeout = o[R_NEXT + 6].num};
	read_run(L, o, &r, who);
	return run(L, &r, who);
}

static const struct lab_opt multi_opts[] = {
	RUN_OPTS,
	{"resend", LAB_NUM, 0.2, .min = 1e-3, .max = 1e4},
	{NULL},
};

static int l_multi(lua_State *L)
{
	static const char who[] = "lab.replication.multi";
	const struct lab_val *o = lab_opts(L, 1, who, multi_opts);
	struct repl_run r = rep_defaults(REPL_MULTI);
	r.multi.resend = o[R_NEXT].num;
	read_run(L, o, &r, who);
	return run(L, &r, who);
}

static int l_check(lua_State *L)
{
	struct sim *s = lab_sim_check(L, 1);
	struct repl_report o = {0};
	rep_check_history(s, &o);
	lab_pushfields(L, &o, check_fields);
	return 1;
}

static int l_node(lua_State *L)
{
	const char *kind = luaL_checkstring(L, 1);
	if (strcmp(kind, "quorum") == 0) {
		const struct lab_val *o = lab_opts(L, 2, "lab.replication.node quorum", quorum_opts + R_NEXT);
		struct quorum_cfg q = {.n = (uint32_t)o[0].i, .r = (uint32_t)o[1].i,
				       .w = (uint32_t)o[2].i, .sloppy = (int)o[3].i,
				       .read_repair = (int)o[4].i, .handoff = o[5].num,
				       .timeout = o[6].num};
		if (q.r > q.n || q.w > q.n)
			return luaL_error(L, "lab.replication.node: r and w must not exceed n");
		lab_sim_push_behaviour(L, &quorum_behaviour, &q, sizeof q);
	} else if (strcmp(kind, "leader") == 0) {
		const struct lab_val *o = lab_opts(L, 2, "lab.replication.node leader", leader_opts + R_NEXT);
		struct leader_cfg c = {.mode = (enum repl_mode)o[0].choice, .ordered = (int)o[3].i,
				       .apply_delay = o[4].num, .slow = (uint32_t)o[5].i,
				       .resend = o[6].num};
		lab_sim_push_behaviour(L, &leader_behaviour, &c, sizeof c);
	} else if (strcmp(kind, "multi") == 0) {
		const struct lab_val *o = lab_opts(L, 2, "lab.replication.node multi", multi_opts + R_NEXT);
		struct multi_cfg m = {.resend = o[0].num};
		lab_sim_push_behaviour(L, &multi_behaviour, &m, sizeof m);
	} else {
		return luaL_error(L, "lab.replication.node: kinds are leader quorum multi (got '%s')",
				  kind);
	}
	return 1;
}

static const luaL_Reg functions[] = {
	{"leader", l_leader}, {"quorum", l_quorum}, {"multi", l_multi},
	{"check", l_check},   {"node", l_node},     {NULL, NULL},
};

const struct lab_namespace lab_ns_replication = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"leader", leader_opts},
					       {"quorum", quorum_opts},
					       {"multi", multi_opts},
					       {NULL}},
};
