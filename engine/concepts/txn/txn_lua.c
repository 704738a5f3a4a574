/*
 * txn_lua.c — lab.txn: the Lua binding of txn.h.
 *
 *   lab.txn.twopc{participants = 3, crash = {{node = 1, step = "after_log"}}}
 *   lab.txn.threepc{participants = 3, partition = 3}
 *   lab.txn.saga{steps = 3, fail = 3, crash = {{node = 1, step = "after_undo"}}}
 *   lab.txn.outbox{orders = 20, mode = "outbox", idempotent = true}
 *   lab.txn.node(kind, opts)  lab.txn.decision(sim, node, tx)
 *   lab.txn.service(sim, node, saga)  lab.txn.steps()
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/txn/txn.h"
#include "engine/concepts/sim/sim_lua.h"
#include "engine/base/sbuf.h"

#include <stdlib.h>
#include <string.h>

#define STEP_CHOICES                                                                        \
	"before_prepare mid_prepare after_prepare before_log after_log mid_decision "       \
	"after_decision after_precommit_log mid_precommit before_vote after_vote "          \
	"before_apply after_apply after_precommit after_step after_undo after_write "       \
	"after_publish"
static const int step_values[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};

static const struct lab_opt crash_opts[] = {
	{"node", LAB_INT, 1, .min = 0, .max = TXN_MAX_PART + 1,
	 .help = "the node (0 in lab.txn.node: the node it runs as)", LAB_INTO(struct txn_crash, node)},
	{"step", LAB_ENUM, .required = 1, .choices = STEP_CHOICES, .values = step_values,
	 .help = "where it crashes (lab.txn.steps())", LAB_INTO(struct txn_crash, step)},
	{"tx", LAB_INT, 0, .min = 0, .max = TXN_MAX_TX,
	 .help = "in this transaction / saga / order (0: the first)", LAB_INTO(struct txn_crash, tx)},
	{"down", LAB_NUM, 2, .min = -1, .max = 1e5, .help = "seconds down (-1: for good)",
	 LAB_INTO(struct txn_crash, down)},
	{NULL},
};

#define RUN_OPTS                                                                            \
	{"seed", LAB_INT, 1, .help = "the same seed replays the run"},                      \
	{"latency", LAB_NUM, 0.01, .min = 0, .max = 100, .help = "seconds, constant"},       \
	{"loss", LAB_NUM, 0, .min = 0, .max = 1},                                            \
	{"time", LAB_NUM, 10, .min = 0.01, .max = 1e5, .help = "seconds simulated"},        \
	{"nemesis", LAB_ENUM, .str = "none", .choices = "none crash all",                    \
	 .help = "crash: one crash point drawn from the seed; all: and partitions, loss"},   \
	{"keep", LAB_BOOL, 0, .help = "return the run as a lab.sim (r.sim)"},               \
	{"crash", LAB_TABLE, .help = "crash points: {{node =, step =, tx =, down =}, ...}"}
enum { R_SEED, R_LATENCY, R_LOSS, R_TIME, R_NEMESIS, R_KEEP, R_CRASH, R_NEXT };

static void read_run(const struct lab_val *o, struct txn_run *r)
{
	*r = (struct txn_run){.seed = (uint64_t)o[R_SEED].i, .latency = o[R_LATENCY].num,
			      .loss = o[R_LOSS].num, .time = o[R_TIME].num,
			      .nemesis = o[R_NEMESIS].choice, .trace = (int)o[R_KEEP].i};
}

/* Reads the crash list into CR (checked against the roles of the nodes:
 * node 1 ROLE1, the others ROLE2 (0: none), 3PC steps if THREE). */
static uint32_t read_crashes(lua_State *L, const char *who, struct txn_crash *cr, uint32_t nodes,
			     char role1, char role2, int three)
{
	size_t n;
	struct txn_crash *list = lab_optlist(L, 1, who, "crash", crash_opts, sizeof *list,
					     TXN_MAX_CRASH, &n, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		int only3;
		char role = txn_step_role(list[i].step, &only3);
		if (list[i].node < 1 || list[i].node > nodes)
			luaL_error(L, "%s: crash[%d]: there is no node %d", who, (int)i + 1,
				   (int)list[i].node);
		char want = list[i].node == 1 ? role1 : role2;
		if (role != want || (only3 && !three))
			luaL_error(L, "%s: crash[%d]: n%d has no step '%s' here (lab.txn.steps())", who,
				   (int)i + 1, (int)list[i].node, txn_step_name(list[i].step));
		cr[i] = list[i];
	}
	lua_pop(L, 1);
	return (uint32_t)n;
}

static void free_result(void *p)
{
	txn_result_free(p); /* a second call finds nothing left */
}

static const char *state_text(uint8_t s)
{
	return txn_state_name((enum txn_state)s);
}

/* r.events, r.text, r.crashes, r.down, r.messages, r.sim */
static void push_common(lua_State *L, struct txn_result *res, double time)
{
	const struct txn_record *rec = &res->rec;
	char text[96];
	lua_createtable(L, (int)rec->nev, 0);
	for (size_t i = 0; i < rec->nev; i++) {
		const struct txn_event *e = &rec->ev[i];
		lua_createtable(L, 0, 4);
		lab_setnum(L, "at", (double)e->at / SIM_NS);
		lab_setint(L, "node", e->node);
		if (e->tx)
			lab_setint(L, "tx", e->tx);
		txn_event_text(e, text, sizeof text);
		lab_setstr(L, "what", text);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "events");
	struct sbuf sb = SBUF_INIT;
	if (txn_timeline(rec, &sb) != 0) {
		sbuf_free(&sb);
		lab_fail(L, "lab.txn: stopped");
	}
	lua_pushlstring(L, sb.buf ? sb.buf : "", sb.len);
	sbuf_free(&sb);
	lua_setfield(L, -2, "text");
	lua_createtable(L, (int)res->ncrash, 0);
	for (uint32_t i = 0; i < res->ncrash; i++) {
		lua_createtable(L, 0, 5);
		lab_setint(L, "node", res->crash[i].node);
		lab_setstr(L, "step", txn_step_name(res->crash[i].step));
		lab_setint(L, "tx", res->crash[i].tx);
		lab_setnum(L, "down", res->crash[i].down);
		lab_setbool(L, "fired", res->crash[i].fired);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "crashes");
	/* down intervals, from the crash and restart events */
	lua_newtable(L);
	int nd = 0;
	for (size_t i = 0; i < rec->nev; i++) {
		const struct txn_event *e = &rec->ev[i];
		if (e->kind != TXN_E_CRASH)
			continue;
		double to = -1;
		for (size_t j = i + 1; j < rec->nev && to < 0; j++)
			if (rec->ev[j].kind == TXN_E_RESTART && rec->ev[j].node == e->node)
				to = (double)rec->ev[j].at / SIM_NS;
		lua_createtable(L, 0, 3);
		lab_setint(L, "node", e->node);
		lab_setnum(L, "from", (double)e->at / SIM_NS);
		lab_setnum(L, "to", to < 0 ? time : to);
		lua_rawseti(L, -2, ++nd);
	}
	lua_setfield(L, -2, "down");
	lab_setint(L, "messages", (lua_Integer)res->stats.sent);
	if (res->sim) {
		lab_sim_wrap(L, res->sim);
		res->sim = NULL;
		lua_setfield(L, -2, "sim");
	}
}

/* ---- 2PC and 3PC ---- */

#define COMMIT_OPTS                                                                         \
	RUN_OPTS,                                                                           \
	{"participants", LAB_INT, 3, .min = 1, .max = TXN_MAX_PART},                         \
	{"txns", LAB_INT, 1, .min = 1, .max = TXN_MAX_TX, .help = "one a second from 0.1 s"},\
	{"timeout", LAB_NUM, 0.5, .min = 1e-3, .max = 1e4, .help = "votes, doubt, termination"}, \
	{"retry", LAB_NUM, 0.2, .min = 1e-3, .max = 1e4, .help = "resend period"},           \
	{"balance", LAB_INT, 10, .min = 0, .max = 1e9, .help = "each participant's, at start"}, \
	{"vote_no", LAB_INT, 0, .min = 0, .max = TXN_MAX_PART + 1, .help = "a node that votes no"}, \
	{"bug", LAB_ENUM, .str = "none", .choices = "none decide_alone forget no_log"}
enum { C_PARTS = R_NEXT, C_TXNS, C_TIMEOUT, C_RETRY, C_BALANCE, C_VOTE_NO, C_BUG, C_NEXT };

static const struct lab_opt twopc_opts[] = {COMMIT_OPTS, {NULL}};
static const struct lab_opt threepc_opts[] = {
	COMMIT_OPTS,
	{"partition", LAB_NUM, 0, .min = 0, .max = 1e5,
	 .help = "seconds n1 n2 are cut off from the rest, from the first precommit"},
	{NULL},
};

static int commit_run(lua_State *L, int three)
{
	const char *who = three ? "lab.txn.threepc" : "lab.txn.twopc";
	const struct lab_val *o = lab_opts(L, 1, who, three ? threepc_opts : twopc_opts);
	struct txn_run run;
	read_run(o, &run);
	run.participants = (uint32_t)o[C_PARTS].i;
	run.txns = (uint32_t)o[C_TXNS].i;
	struct txn_cfg cfg = {.three = three, .timeout = o[C_TIMEOUT].num, .retry = o[C_RETRY].num,
			      .balance = o[C_BALANCE].i, .vote_no = (uint32_t)o[C_VOTE_NO].i,
			      .bug = (enum txn_bug)o[C_BUG].choice,
			      .partition = three ? o[C_NEXT].num : 0};
	uint32_t nodes = run.participants + 1;
	cfg.ncrash = read_crashes(L, who, cfg.crash, nodes, 'c', 'p', three);
	struct txn_result *res = lab_holder(L, sizeof *res, free_result);
	if (txn_commit_run(&run, &cfg, res) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 20);
	lab_setbool(L, "atomic", res->mixed == 0);
	lab_setint(L, "mixed", res->mixed);
	lab_setint(L, "unfinished", res->unfinished);
	lab_setint(L, "txns", res->txns);
	if (res->txns)
		lab_setstr(L, "decision", state_text(res->state[0]));
	lua_createtable(L, (int)res->txns, 0);
	for (uint32_t tx = 1; tx <= res->txns; tx++) {
		int commit = 0, abort = 0;
		lua_createtable(L, 0, 4);
		lua_createtable(L, (int)nodes, 0);
		for (uint32_t p = 1; p <= nodes; p++) {
			uint8_t s = res->state[(tx - 1) * nodes + p - 1];
			commit |= s == TXN_COMMITTED;
			abort |= s == TXN_ABORTED;
			lua_pushstring(L, state_text(s));
			lua_rawseti(L, -2, p);
		}
		if (tx == 1) {
			lua_pushvalue(L, -1);
			lua_setfield(L, -5, "outcome");
		}
		lua_setfield(L, -2, "outcome");
		lab_setstr(L, "decision", state_text(res->state[(tx - 1) * nodes]));
		lab_setbool(L, "mixed", commit && abort);
		lua_newtable(L);
		for (uint32_t p = 2; p <= nodes; p++) {
			lua_pushinteger(L, res->delta[(tx - 1) * nodes + p - 1]);
			lua_rawseti(L, -2, p);
		}
		lua_setfield(L, -2, "deltas");
		lua_rawseti(L, -2, tx);
	}
	lua_setfield(L, -2, "txs");
	lua_newtable(L);
	int64_t total = 0;
	for (uint32_t p = 2; p <= nodes; p++) {
		lua_pushinteger(L, res->balance[p]);
		lua_rawseti(L, -2, p);
		total += res->balance[p];
	}
	lua_setfield(L, -2, "balances");
	lab_setint(L, "total", total);
	/* how long each participant was in doubt about tx 1 */
	lua_newtable(L);
	for (uint32_t p = 2; p <= nodes && res->txns; p++) {
		int64_t a = res->rec.prepared[p - 1], b = res->rec.decided[p - 1];
		if (a < 0)
			continue;
		double end = b >= 0 ? (double)b / SIM_NS : run.time;
		lua_pushnumber(L, end - (double)a / SIM_NS);
		lua_rawseti(L, -2, p);
	}
	lua_setfield(L, -2, "uncertain");
	push_common(L, res, run.time);
	txn_result_free(res);
	return 1;
}

static int l_twopc(lua_State *L)
{
	return commit_run(L, 0);
}

static int l_threepc(lua_State *L)
{
	return commit_run(L, 1);
}

/* ---- sagas ---- */

static const struct lab_opt saga_opts[] = {
	RUN_OPTS,
	{"steps", LAB_INT, 3, .min = 1, .max = TXN_MAX_PART, .help = "one service each"},
	{"sagas", LAB_INT, 1, .min = 1, .max = TXN_MAX_TX, .help = "one a second from 0.1 s"},
	{"fail", LAB_INT, 0, .min = 0, .max = TXN_MAX_PART, .help = "the step that refuses (0: none)"},
	{"fail_every", LAB_INT, 1, .min = 1, .max = TXN_MAX_TX, .help = "in sagas k with k % this == 0"},
	{"retry", LAB_NUM, 0.2, .min = 1e-3, .max = 1e4},
	{"bug", LAB_ENUM, .str = "none", .choices = "none no_compensate no_log"},
	{NULL},
};

static int l_saga(lua_State *L)
{
	static const char who[] = "lab.txn.saga";
	const struct lab_val *o = lab_opts(L, 1, who, saga_opts);
	struct txn_run run;
	read_run(o, &run);
	run.participants = (uint32_t)o[R_NEXT].i;
	run.txns = (uint32_t)o[R_NEXT + 1].i;
	static const enum txn_bug bugs[] = {TXN_BUG_NONE, TXN_BUG_NO_COMPENSATE, TXN_BUG_NO_SAGA_LOG};
	struct saga_cfg cfg = {.fail_step = (uint32_t)o[R_NEXT + 2].i,
			       .fail_every = (uint32_t)o[R_NEXT + 3].i, .retry = o[R_NEXT + 4].num,
			       .bug = bugs[o[R_NEXT + 5].choice]};
	uint32_t nodes = run.participants + 1;
	cfg.ncrash = read_crashes(L, who, cfg.crash, nodes, 'o', 0, 0);
	if (cfg.fail_step > run.participants)
		return luaL_error(L, "%s: there is no step %d", who, (int)cfg.fail_step);
	struct txn_result *res = lab_holder(L, sizeof *res, free_result);
	if (txn_saga_run(&run, &cfg, res) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 12);
	lab_setint(L, "started", res->started);
	lab_setint(L, "completed", res->completed);
	lab_setint(L, "compensated", res->compensated);
	lab_setint(L, "broken", res->broken);
	lab_setbool(L, "consistent", res->broken == 0);
	lua_createtable(L, (int)run.txns, 0);
	for (uint32_t k = 1; k <= run.txns; k++) {
		lua_createtable(L, 0, 2);
		lua_createtable(L, (int)run.participants, 0);
		for (uint32_t i = 1; i <= run.participants; i++) {
			lua_pushboolean(L, res->done[(k - 1) * TXN_MAX_PART + i - 1] == 1);
			lua_rawseti(L, -2, i);
		}
		lua_setfield(L, -2, "applied");
		lua_rawseti(L, -2, k);
	}
	lua_setfield(L, -2, "sagas");
	push_common(L, res, run.time);
	txn_result_free(res);
	return 1;
}

/* ---- the outbox ---- */

static const struct lab_opt outbox_opts[] = {
	RUN_OPTS,
	{"orders", LAB_INT, 10, .min = 1, .max = TXN_MAX_TX, .help = "spread over the first half"},
	{"mode", LAB_ENUM, .str = "outbox", .choices = "outbox dual",
	 .help = "dual: write the row, then send once"},
	{"idempotent", LAB_BOOL, 1, .help = "the consumer skips ids it has applied"},
	{"retry", LAB_NUM, 0.2, .min = 1e-3, .max = 1e4, .help = "relay period"},
	{NULL},
};

static int l_outbox(lua_State *L)
{
	static const char who[] = "lab.txn.outbox";
	const struct lab_val *o = lab_opts(L, 1, who, outbox_opts);
	struct txn_run run;
	read_run(o, &run);
	run.participants = 1;
	run.txns = (uint32_t)o[R_NEXT].i;
	struct outbox_cfg cfg = {.dual = o[R_NEXT + 1].choice == 1,
				 .idempotent = (int)o[R_NEXT + 2].i, .retry = o[R_NEXT + 3].num};
	cfg.ncrash = read_crashes(L, who, cfg.crash, 2, 's', 0, 0);
	struct txn_result *res = lab_holder(L, sizeof *res, free_result);
	if (txn_outbox_run(&run, &cfg, res) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 12);
	lab_setint(L, "orders", res->orders);
	lab_setint(L, "published", res->published);
	lab_setint(L, "applied", res->applied);
	lab_setint(L, "duplicates", res->duplicates);
	lab_setint(L, "missing", res->missing);
	push_common(L, res, run.time);
	txn_result_free(res);
	return 1;
}

/* ---- nodes for your own simulations ---- */

static const struct lab_opt coord_node_opts[] = {
	{"timeout", LAB_NUM, 0.5, .min = 1e-3, .max = 1e4},
	{"retry", LAB_NUM, 0.2, .min = 1e-3, .max = 1e4},
	{"three", LAB_BOOL, 0, .help = "three-phase commit"},
	{"balance", LAB_INT, 10, .min = 0, .max = 1e9, .help = "participants: at start"},
	{"crash", LAB_TABLE, .help = "crash points ({node = 0}: this node)"},
	{NULL},
};

static const struct lab_opt saga_node_opts[] = {
	{"fail", LAB_INT, 0, .min = 0, .max = TXN_MAX_PART, .help = "services: the step refused"},
	{"fail_every", LAB_INT, 1, .min = 1, .max = TXN_MAX_TX},
	{"retry", LAB_NUM, 0.2, .min = 1e-3, .max = 1e4},
	{"idempotent", LAB_BOOL, 1, .help = "consumer: skips ids it has applied"},
	{"crash", LAB_TABLE, .help = "crash points ({node = 0}: this node)"},
	{NULL},
};

static uint32_t node_crashes(lua_State *L, const char *who, struct txn_crash *cr, char role,
			     int three)
{
	size_t n;
	struct txn_crash *list = lab_optlist(L, 2, who, "crash", crash_opts, sizeof *list,
					     TXN_MAX_CRASH, &n, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		int only3;
		if (txn_step_role(list[i].step, &only3) != role || (only3 && !three))
			luaL_error(L, "%s: crash[%d]: no step '%s' here", who, (int)i + 1,
				   txn_step_name(list[i].step));
		cr[i] = list[i];
	}
	lua_pop(L, 1);
	return (uint32_t)n;
}

static int l_node(lua_State *L)
{
	static const char *const kinds[] = {"coordinator", "participant", "orchestrator",
					    "service", "outbox", "consumer", NULL};
	int k = luaL_checkoption(L, 1, NULL, kinds);
	char who[48];
	snprintf(who, sizeof who, "lab.txn.node %s", kinds[k]);
	if (k <= 1) {
		const struct lab_val *o = lab_opts(L, 2, who, coord_node_opts);
		struct txn_cfg cfg = {.timeout = o[0].num, .retry = o[1].num, .three = (int)o[2].i,
				      .balance = o[3].i};
		cfg.ncrash = node_crashes(L, who, cfg.crash, k == 0 ? 'c' : 'p', cfg.three);
		lab_sim_push_behaviour(L, k == 0 ? &txn_coordinator_behaviour
						 : &txn_participant_behaviour, &cfg, sizeof cfg);
		return 1;
	}
	const struct lab_val *o = lab_opts(L, 2, who, saga_node_opts);
	if (k <= 3) {
		struct saga_cfg cfg = {.fail_step = (uint32_t)o[0].i, .fail_every = (uint32_t)o[1].i,
				       .retry = o[2].num};
		if (k == 2)
			cfg.ncrash = node_crashes(L, who, cfg.crash, 'o', 0);
		lab_sim_push_behaviour(L, k == 2 ? &txn_orchestrator_behaviour
						 : &txn_service_behaviour, &cfg, sizeof cfg);
		return 1;
	}
	struct outbox_cfg cfg = {.idempotent = (int)o[3].i, .retry = o[2].num};
	if (k == 4)
		cfg.ncrash = node_crashes(L, who, cfg.crash, 's', 0);
	lab_sim_push_behaviour(L, k == 4 ? &txn_outbox_behaviour : &txn_consumer_behaviour, &cfg,
			       sizeof cfg);
	return 1;
}

static uint32_t check_node(lua_State *L, struct sim *s, int arg)
{
	lua_Integer id = luaL_checkinteger(L, arg);
	luaL_argcheck(L, id >= 1 && id <= sim_nodes(s), arg, "no such node");
	return (uint32_t)id;
}

/* lab.txn.decision(sim, node, tx): "commit", "abort" or "none". */
static int l_decision(lua_State *L)
{
	struct sim *s = lab_sim_check(L, 1);
	uint32_t id = check_node(L, s, 2);
	lua_Integer tx = lab_checkrange(L, 3, 1, TXN_MAX_TX);
	int d = txn_decision(s, id, (uint32_t)tx);
	if (d < 0)
		return luaL_error(L, "lab.txn.decision: n%d is not a lab.txn coordinator", (int)id);
	lua_pushstring(L, txn_state_name((enum txn_state)d));
	return 1;
}

/* lab.txn.service(sim, node, saga): {applied =, dos =, undos =, undo_at =}. */
static int l_service(lua_State *L)
{
	struct sim *s = lab_sim_check(L, 1);
	uint32_t id = check_node(L, s, 2);
	lua_Integer k = lab_checkrange(L, 3, 1, TXN_MAX_TX);
	uint32_t dos, undos;
	int64_t at;
	int a = txn_service(s, id, (uint32_t)k, &dos, &undos, &at);
	if (a < 0)
		return luaL_error(L, "lab.txn.service: n%d is not a lab.txn service", (int)id);
	lua_createtable(L, 0, 4);
	lab_setbool(L, "applied", a == 1);
	lab_setint(L, "dos", dos);
	lab_setint(L, "undos", undos);
	if (at >= 0)
		lab_setnum(L, "undo_at", (double)at / SIM_NS);
	return 1;
}

/* lab.txn.steps(): {coordinator = {...}, participant = {...}, ...}. */
static int l_steps(lua_State *L)
{
	static const struct {
		char role;
		const char *name;
	} roles[] = {{'c', "coordinator"}, {'p', "participant"}, {'o', "orchestrator"},
		     {'s', "outbox"}};
	lua_createtable(L, 0, 4);
	for (size_t r = 0; r < sizeof roles / sizeof *roles; r++) {
		lua_newtable(L);
		int n = 0;
		for (int s = 1; s < TXN_S_COUNT; s++) {
			int only3;
			if (txn_step_role((enum txn_step)s, &only3) != roles[r].role)
				continue;
			lua_pushstring(L, txn_step_name((enum txn_step)s));
			lua_rawseti(L, -2, ++n);
		}
		lua_setfield(L, -2, roles[r].name);
	}
	return 1;
}

static const luaL_Reg functions[] = {
	{"twopc", l_twopc},       {"threepc", l_threepc}, {"saga", l_saga},
	{"outbox", l_outbox},     {"node", l_node},       {"decision", l_decision},
	{"service", l_service},   {"steps", l_steps},     {NULL, NULL},
};

const struct lab_namespace lab_ns_txn = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"twopc", twopc_opts},
					       {"threepc", threepc_opts},
					       {"saga", saga_opts},
					       {"outbox", outbox_opts},
					       {"twopc crash", crash_opts},
					       {NULL}},
};
