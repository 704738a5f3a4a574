/*
 * sim_lua.c — lab.sim: the Lua binding of sim.h (Lua nodes, isolate and
 * check are in simnode_lua.c).
 *
 *   local s = lab.sim.new{nodes = 5, seed = 42, latency = {...}, loss = 0.1,
 *                         faults = {{at = 3.5, partition = {{1, 2}, {3, 4, 5}}}},
 *                         node = handlers}
 *   s:node(ids, behaviour)  s:fault{...}  s:nemesis{...}  s:request{...}  s:at(t, f)
 *   s:run(t)  s:step()  s:now()  s:up(id)  s:state(id)  s:store(id)  s:clock(id)
 *   s:history()  s:records{...}  s:trace{...}  s:diagram{...}  s:timeline{...}
 *   s:draw_history{...}  s:stats()  s:schedule()
 *   lab.sim.draw_history(ops)  lab.sim.size(v)  lab.sim.isolate(src, env)  lab.sim.check{...}
 */
#include "engine/concepts/sim/sim_lua.h"
#include "engine/concepts/sim/simdraw.h"
#include "engine/concepts/sim/simtrace.h"

#include <math.h>
#include <string.h>

#define SETTINGS "lab.sim.settings" /* registry: {width = 100, utf8 = true} */

static void configure(lua_State *L, int width, int utf8)
{
	lua_createtable(L, 0, 2);
	lua_pushinteger(L, width);
	lua_setfield(L, -2, "width");
	lua_pushboolean(L, utf8);
	lua_setfield(L, -2, "utf8");
	lua_setfield(L, LUA_REGISTRYINDEX, SETTINGS); /* registry[SETTINGS] = t */
}

/* The terminal's width and UTF-8-ness, or 100 and UTF-8. */
static void settings(lua_State *L, int *width, int *utf8)
{
	*width = 100;
	*utf8 = 1;
	if (lua_getfield(L, LUA_REGISTRYINDEX, SETTINGS) == LUA_TTABLE) { /* push settings */
		lua_getfield(L, -1, "width");               /* push width */
		lua_getfield(L, -2, "utf8");                /* push utf8 */
		*width = (int)lua_tointeger(L, -2);
		*utf8 = lua_toboolean(L, -1);
		lua_pop(L, 2);                              /* remove width, utf8 */
	}
	lua_pop(L, 1);                                      /* remove settings */
	if (*width < SIMDRAW_MIN_WIDTH)
		*width = SIMDRAW_MIN_WIDTH;
	if (*width > SIMDRAW_MAX_WIDTH)
		*width = SIMDRAW_MAX_WIDTH;
}

/* ---- the object ---- */

static void free_sim(void *obj)
{
	struct lsim *ls = obj;
	ls->L = NULL;
	sim_free(ls->s);
	ls->s = NULL;
	simw_free(&ls->w);
}

static struct lsim *tosim(lua_State *L)
{
	struct lsim *ls = lab_self(L, &lab_sim_class);
	if (!ls->s)
		luaL_error(L, "this simulation is gone");
	return ls;
}

struct sim *lab_sim_check(lua_State *L, int idx)
{
	struct lsim *ls = lab_checkobj(L, idx, &lab_sim_class);
	if (!ls->s)
		luaL_error(L, "this simulation is gone");
	return ls->s;
}

struct lsim *lab_sim_wrap(lua_State *L, struct sim *s)
{
	struct lsim *ls = lab_newobj(L, &lab_sim_class, sizeof *ls); /* push object */
	int self = lua_gettop(L);
	lua_createtable(L, 0, 2);                           /* push user value */
	lua_newtable(L);
	lua_setfield(L, -2, "nodes");
	lua_newtable(L);
	lua_setfield(L, -2, "hooks");
	lua_setiuservalue(L, self, 1);                      /* object's user value */
	ls->s = s;
	ls->until = -1;
	return ls;
}

/* Raises unless ID is a node of S. */
static uint32_t check_node(lua_State *L, struct sim *s, int idx, const char *who)
{
	lua_Integer id = luaL_checkinteger(L, idx);
	if (id < 1 || id > sim_nodes(s))
		luaL_error(L, "%s: there is no node %I (nodes are 1 to %d)", who, id,
			   (int)sim_nodes(s));
	return (uint32_t)id;
}

/* ---- reading options ---- */

static const struct lab_opt latency_opts[] = {
	{"dist", LAB_ENUM, .str = "constant", .choices = "constant uniform exponential normal"},
	{"mean", LAB_NUM, 0.001, .min = 0, .max = 1e6, .help = "seconds"},
	{"min", LAB_NUM, 0, .min = 0, .max = 1e6},
	{"max", LAB_NUM, 0, .min = 0, .max = 1e6},
	{"sd", LAB_NUM, 0, .min = 0, .max = 1e6},
	{NULL},
};
enum { L_DIST, L_MEAN, L_MIN, L_MAX, L_SD };

/* Reads a latency: a number of seconds (constant) or a table. */
static struct sim_latency read_latency(lua_State *L, int idx, const char *who)
{
	struct sim_latency l = {.dist = SIM_CONST, .mean = 0.001};
	if (lua_type(L, idx) == LUA_TNUMBER) {
		l.mean = lua_tonumber(L, idx);
		if (!(l.mean >= 0 && l.mean <= 1e6))
			luaL_error(L, "%s: a latency must be between 0 and 10^6 seconds", who);
		return l;
	}
	const struct lab_val *o = lab_opts(L, idx, who, latency_opts);
	l.dist = (enum sim_dist)o[L_DIST].choice;
	l.mean = o[L_MEAN].num;
	l.min = o[L_MIN].num;
	l.max = o[L_MAX].num;
	l.sd = o[L_SD].num;
	if (l.dist == SIM_UNIFORM && !o[L_MAX].set)
		luaL_error(L, "%s: a uniform latency needs min and max", who);
	if (l.dist == SIM_UNIFORM && l.min > l.max)
		luaL_error(L, "%s: a uniform latency needs min <= max", who);
	if (l.dist == SIM_EXP && l.min > l.mean)
		luaL_error(L, "%s: an exponential latency needs min <= mean", who);
	lua_pop(L, 1);                                      /* remove options box */
	return l;
}

/* Reads a list of node ids at IDX into SET[0..n) (marking with MARK);
 * raises on a bad id or, with UNIQUE, on one already marked. */
static void read_nodes(lua_State *L, int idx, uint32_t n, uint16_t *set, uint16_t mark,
		       int unique, const char *who)
{
	if (lua_type(L, idx) != LUA_TTABLE)
		luaL_error(L, "%s: expected a list of node ids, got a %s", who, luaL_typename(L, idx));
	lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, idx, i);                     /* push id */
		int ok;
		lua_Integer id = lua_tointegerx(L, -1, &ok);
		lua_pop(L, 1);                              /* remove it */
		if (!ok || id < 1 || id > n)
			luaL_error(L, "%s: %s is not a node (nodes are 1 to %d)", who,
				   ok ? lua_pushfstring(L, "%I", id) : "a non-integer", (int)n);
		if (unique && set[id - 1])
			luaL_error(L, "%s: node %I is in two groups", who, id);
		set[id - 1] = mark;
	}
}

static const struct lab_opt fault_opts[] = {
	{"at", LAB_NUM, .required = 1, .min = 0, .max = 1e9, .help = "seconds"},
	{"partition", LAB_TABLE, .help = "groups of node ids: {{1, 2}, {3, 4, 5}}"},
	{"heal", LAB_BOOL, .help = "true: every link open again"},
	{"block", LAB_TABLE, .help = "{from = {ids}, to = {ids}}: one-way"},
	{"unblock", LAB_TABLE, .help = "{from = {ids}, to = {ids}}"},
	{"crash", LAB_INT, .help = "node id"},
	{"restart", LAB_INT, .help = "node id"},
	{"loss", LAB_NUM, .min = 0, .max = 1},
	{"dup", LAB_NUM, .min = 0, .max = 1},
	{"latency", LAB_ANY, .help = "seconds, or {dist = ..., mean =, ...}"},
	{"clock", LAB_INT, .help = "node id, with jump or drift"},
	{"jump", LAB_NUM, .min = -1e6, .max = 1e6, .help = "seconds added to its clock"},
	{"drift", LAB_NUM, .min = -0.5, .max = 0.5, .help = "its clock's new rate - 1"},
	{NULL},
};
enum { F_AT, F_PARTITION, F_HEAL, F_BLOCK, F_UNBLOCK, F_CRASH, F_RESTART, F_LOSS, F_DUP,
       F_LATENCY, F_CLOCK, F_JUMP, F_DRIFT };

/* Reads the fault table at IDX and adds it to S. */
static void add_fault(lua_State *L, int idx, struct sim *s)
{
	static const char who[] = "lab.sim fault";
	idx = lua_absindex(L, idx);
	const struct lab_val *o = lab_opts(L, idx, who, fault_opts);
	uint32_t n = sim_nodes(s);
	int kinds = 0;
	for (int k = F_PARTITION; k <= F_CLOCK; k++)
		kinds += o[k].set;
	if (kinds != 1)
		luaL_error(L, "%s: give exactly one of partition, heal, block, unblock, crash, restart, "
			      "loss, dup, latency, clock (got %d)", who, kinds);
	struct sim_fault f = {.at = o[F_AT].num};
	uint16_t *g = lua_newuserdatauv(L, 2 * n * sizeof *g, 0); /* push scratch */
	memset(g, 0, 2 * n * sizeof *g);
	if (o[F_PARTITION].set) {
		f.kind = SIM_F_PARTITION;
		f.group = g;
		lab_optpush(L, idx, "partition");           /* push groups */
		lua_Integer k = (lua_Integer)lua_rawlen(L, -1);
		if (k > 60000)
			luaL_error(L, "%s: too many groups", who);
		for (lua_Integer i = 1; i <= k; i++) {
			lua_rawgeti(L, -1, i);              /* push group */
			read_nodes(L, lua_gettop(L), n, g, (uint16_t)i, 1, who);
			lua_pop(L, 1);                      /* remove it */
		}
		lua_pop(L, 1);                              /* remove groups */
	} else if (o[F_HEAL].set) {
		if (!o[F_HEAL].i)
			luaL_error(L, "%s: heal must be true", who);
		f.kind = SIM_F_HEAL;
	} else if (o[F_BLOCK].set || o[F_UNBLOCK].set) {
		f.kind = o[F_BLOCK].set ? SIM_F_BLOCK : SIM_F_UNBLOCK;
		f.group = g;
		f.to = g + n;
		lab_optpush(L, idx, o[F_BLOCK].set ? "block" : "unblock"); /* push spec */
		int sp = lua_gettop(L);
		lab_optpush(L, sp, "from");
		read_nodes(L, lua_gettop(L), n, f.group, 1, 0, who);
		lab_optpush(L, sp, "to");
		read_nodes(L, lua_gettop(L), n, f.to, 1, 0, who);
		lua_settop(L, sp - 1);
	} else if (o[F_CRASH].set || o[F_RESTART].set) {
		f.kind = o[F_CRASH].set ? SIM_F_CRASH : SIM_F_RESTART;
		lua_Integer id = o[F_CRASH].set ? o[F_CRASH].i : o[F_RESTART].i;
		if (id < 1 || id > n)
			luaL_error(L, "%s: there is no node %I", who, id);
		f.node = (uint32_t)id;
	} else if (o[F_LOSS].set || o[F_DUP].set) {
		f.kind = o[F_LOSS].set ? SIM_F_LOSS : SIM_F_DUP;
		f.value = o[F_LOSS].set ? o[F_LOSS].num : o[F_DUP].num;
	} else if (o[F_LATENCY].set) {
		f.kind = SIM_F_LATENCY;
		lab_optpush(L, idx, "latency");
		f.latency = read_latency(L, lua_gettop(L), who);
		lua_pop(L, 1);
	} else {
		if (o[F_CLOCK].i < 1 || o[F_CLOCK].i > n)
			luaL_error(L, "%s: there is no node %I", who, o[F_CLOCK].i);
		if (o[F_JUMP].set == o[F_DRIFT].set)
			luaL_error(L, "%s: a clock fault needs jump or drift (one of them)", who);
		f.kind = o[F_JUMP].set ? SIM_F_CLOCK : SIM_F_DRIFT;
		f.node = (uint32_t)o[F_CLOCK].i;
		f.value = o[F_JUMP].set ? o[F_JUMP].num : o[F_DRIFT].num;
	}
	if (sim_add_fault(s, &f) != 0)
		lab_fail(L, "%s: %s", who, sim_error(s));
	lua_pop(L, 2);                                      /* remove scratch, options */
}

static const struct lab_opt nemesis_opts[] = {
	{"faults", LAB_ANY, .help = "list of: partition isolate oneway crash loss clock, or \"all\""},
	{"start", LAB_NUM, 1, .min = 0, .max = 1e9, .help = "no fault before (seconds)"},
	{"stop", LAB_NUM, .required = 1, .min = 0, .max = 1e9, .help = "all healed by (seconds)"},
	{"interval", LAB_NUM, 2, .min = 1e-6, .max = 1e6, .help = "mean quiet time"},
	{"duration", LAB_NUM, 2, .min = 1e-6, .max = 1e6, .help = "mean length of a fault"},
	{"max_down", LAB_INT, 0, .min = 0, .max = 1000, .help = "0: a minority"},
	{"loss", LAB_NUM, 0.5, .min = 0, .max = 1, .help = "during a loss burst"},
	{"clock_jump", LAB_NUM, 1, .min = 0, .max = 1e6, .help = "jumps within +-this"},
	{NULL},
};
enum { N_FAULTS, N_START, N_STOP, N_INTERVAL, N_DURATION, N_MAXDOWN, N_LOSS, N_JUMP };

static const char nemesis_kinds[] = "partition isolate oneway crash loss clock";

/* Reads the nemesis table at IDX and adds its schedule to S. */
static int add_nemesis(lua_State *L, int idx, struct sim *s)
{
	static const char who[] = "lab.sim nemesis";
	idx = lua_absindex(L, idx);
	const struct lab_val *o = lab_opts(L, idx, who, nemesis_opts);
	struct sim_nemesis nm = {.start = o[N_START].num, .until = o[N_STOP].num,
				 .interval = o[N_INTERVAL].num, .duration = o[N_DURATION].num,
				 .max_down = (uint32_t)o[N_MAXDOWN].i, .loss = o[N_LOSS].num,
				 .clock_jump = o[N_JUMP].num};
	lab_optpush(L, idx, "faults");                      /* push faults */
	if (lua_isnil(L, -1) ||
	    (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "all") == 0)) {
		nm.kinds = SIM_N_PARTITION | SIM_N_ISOLATE | SIM_N_ONEWAY | SIM_N_CRASH | SIM_N_LOSS |
			   SIM_N_CLOCK;
	} else if (lua_type(L, -1) == LUA_TTABLE) {
		static const char *const names[] = {"partition", "isolate", "oneway", "crash",
						    "loss", "clock", NULL};
		for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
			const char *k = lua_tostring(L, -1);
			int found = -1;
			for (int j = 0; k && names[j]; j++)
				if (strcmp(k, names[j]) == 0)
					found = j;
			if (found < 0)
				luaL_error(L, "%s: faults are some of: %s (got %s)", who, nemesis_kinds,
					   k ? k : luaL_typename(L, -1));
			nm.kinds |= 1u << found;
			lua_pop(L, 1);
		}
		lua_pop(L, 1);                              /* remove the nil */
	} else {
		luaL_error(L, "%s: faults is a list of kinds (%s) or \"all\"", who, nemesis_kinds);
	}
	lua_pop(L, 2);                                      /* remove faults, options */
	int k = sim_nemesis(s, &nm);
	if (k < 0)
		lab_fail(L, "%s: %s", who, sim_error(s));
	return k;
}

/* ---- node behaviours ---- */

const struct lab_class lab_simbeh_class;

struct simbeh {
	const struct sim_behaviour *b;
	size_t size;
	unsigned char cfg[];
};

void lab_sim_push_behaviour(lua_State *L, const struct sim_behaviour *b, const void *cfg,
			    size_t size)
{
	struct simbeh *x = lab_newobj(L, &lab_simbeh_class, sizeof *x + size); /* push object */
	x->b = b;
	x->size = size;
	if (size)
		memcpy(x->cfg, cfg, size);
}

static void free_cfg(void *p)
{
	budget_free(p);
}

/* Gives node ID of the object at SELF the behaviour at B. */
static void give(lua_State *L, struct lsim *ls, int self, uint32_t id, int b)
{
	struct sim *s = ls->s;
	struct simbeh *x = lab_testobj(L, b, &lab_simbeh_class);
	if (x) {
		void *ud = NULL;
		if (x->size && !(ud = budget_malloc(x->size)))
			lab_fail(L, "s:node: not enough memory");
		if (x->size)
			memcpy(ud, x->cfg, x->size);
		if (sim_add_node(s, id, x->b, ud, free_cfg) != 0)
			lab_fail(L, "s:node: n%d: %s", (int)id, sim_error(s));
		return;
	}
	int t = lua_type(L, b);
	if (t != LUA_TTABLE && t != LUA_TFUNCTION)
		luaL_error(L, "s:node: a node is a table of handlers, a function returning one, or "
			      "a lab behaviour, not a %s", luaL_typename(L, b));
	struct lnode *ln = budget_malloc(sizeof *ln);
	if (!ln)
		lab_fail(L, "s:node: not enough memory");
	ln->ls = ls;
	ln->id = id;
	if (sim_add_node(s, id, &lab_sim_lua_behaviour, ln, free_cfg) != 0)
		lab_fail(L, "s:node: n%d: %s", (int)id, sim_error(s));
	lab_sim_entries(L, self);                           /* push entries */
	lua_createtable(L, 0, 4);                           /* push entry */
	lua_pushvalue(L, b);
	lua_setfield(L, -2, "node");                        /* entry.node = behaviour */
	lua_rawseti(L, -2, id);                             /* entries[id] = entry */
	lua_pop(L, 1);                                      /* remove entries */
}

/* s:node(id, b) / s:node({ids}, b) / s:node(b): every node without one. */
static int m_node(lua_State *L)
{
	struct lsim *ls = tosim(L);
	uint32_t n = sim_nodes(ls->s);
	if (lua_gettop(L) == 2) {
		for (uint32_t id = 1; id <= n; id++)
			if (!sim_behaviour_of(ls->s, id))
				give(L, ls, 1, id, 2);
	} else if (lua_type(L, 2) == LUA_TNUMBER) {
		give(L, ls, 1, check_node(L, ls->s, 2, "s:node"), 3);
	} else {
		luaL_checktype(L, 2, LUA_TTABLE);
		uint16_t *set = lua_newuserdatauv(L, n * sizeof *set, 0); /* push set */
		memset(set, 0, n * sizeof *set);
		read_nodes(L, 2, n, set, 1, 0, "s:node");
		for (uint32_t id = 1; id <= n; id++)
			if (set[id - 1])
				give(L, ls, 1, id, 3);
	}
	lua_settop(L, 1);
	return 1;
}

/* ---- lab.sim.new ---- */

static const struct lab_opt new_opts[] = {
	{"nodes", LAB_INT, 3, .min = 1, .max = SIM_MAX_NODES},
	{"seed", LAB_INT, .required = 1, .help = "the same seed replays the same run"},
	{"latency", LAB_ANY, .help = "seconds, or {dist = ..., mean =, min =, max =, sd =}"},
	{"loss", LAB_NUM, 0, .min = 0, .max = 1, .help = "probability a message is lost"},
	{"dup", LAB_NUM, 0, .min = 0, .max = 1, .help = "probability it arrives twice"},
	{"reorder", LAB_NUM, 0, .min = 0, .max = 1, .help = "probability it is held back"},
	{"reorder_delay", LAB_NUM, 0.01, .min = 0, .max = 1e6, .help = "seconds held back"},
	{"fifo", LAB_BOOL, 0, .help = "each link delivers in send order (like TCP)"},
	{"clock_skew", LAB_NUM, 0, .min = 0, .max = 1e6, .help = "clocks start within +-this"},
	{"clock_drift", LAB_NUM, 0, .min = 0, .max = 0.5, .help = "rates within 1 +-this"},
	{"trace", LAB_BOOL, 1, .help = "record every event"},
	{"faults", LAB_TABLE, .help = "a schedule: {{at = 3, crash = 2}, ...}"},
	{"nemesis", LAB_TABLE, .help = "random faults drawn from the seed"},
	{"node", LAB_ANY, .help = "behaviour of every node"},
	{NULL},
};
enum { O_NODES, O_SEED, O_LATENCY, O_LOSS, O_DUP, O_REORDER, O_RDELAY, O_FIFO, O_SKEW,
       O_DRIFT, O_TRACE, O_FAULTS, O_NEMESIS, O_NODE };

static int l_new(lua_State *L)
{
	static const char who[] = "lab.sim.new";
	const struct lab_val *o = lab_opts(L, 1, who, new_opts);
	struct sim_config c = sim_config_default();
	c.nodes = (uint32_t)o[O_NODES].i;
	c.seed = (uint64_t)o[O_SEED].i;
	if (o[O_LATENCY].set) {
		lab_optpush(L, 1, "latency");
		c.net.latency = read_latency(L, lua_gettop(L), "lab.sim.new latency");
		lua_pop(L, 1);
	}
	c.net.loss = o[O_LOSS].num;
	c.net.dup = o[O_DUP].num;
	c.net.reorder = o[O_REORDER].num;
	c.net.reorder_delay = o[O_RDELAY].num;
	c.net.fifo = (int)o[O_FIFO].i;
	c.clock_skew = o[O_SKEW].num;
	c.clock_drift = o[O_DRIFT].num;
	c.trace = (int)o[O_TRACE].i;
	const char *why = sim_config_check(&c);
	if (why)
		return luaL_error(L, "%s: %s", who, why);
	struct lsim *ls = lab_sim_wrap(L, sim_new(&c));    /* push object */
	int self = lua_gettop(L);
	if (!ls->s)
		return lab_fail(L, "%s: not enough memory", who);
	if (o[O_FAULTS].set) {
		lab_optpush(L, 1, "faults");                /* push list */
		for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
			add_fault(L, lua_gettop(L), ls->s);
			lua_pop(L, 1);
		}
		lua_pop(L, 2);                              /* remove nil, list */
	}
	if (o[O_NEMESIS].set) {
		lab_optpush(L, 1, "nemesis");
		add_nemesis(L, lua_gettop(L), ls->s);
		lua_pop(L, 1);
	}
	if (o[O_NODE].set) {
		lab_optpush(L, 1, "node");                  /* push behaviour */
		for (uint32_t id = 1; id <= c.nodes; id++)
			give(L, ls, self, id, lua_gettop(L));
		lua_pop(L, 1);
	}
	lua_settop(L, self);
	return 1;
}

/* ---- faults, clients, callbacks ---- */

static int m_fault(lua_State *L)
{
	struct lsim *ls = tosim(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	if (lab_optpush(L, 2, "at") != LUA_TNIL) {          /* one fault */
		lua_pop(L, 1);
		add_fault(L, 2, ls->s);
	} else {                                            /* a list of faults */
		lua_pop(L, 1);
		for (lua_Integer i = 1; lua_rawgeti(L, 2, i) != LUA_TNIL; i++) {
			add_fault(L, lua_gettop(L), ls->s);
			lua_pop(L, 1);
		}
	}
	lua_settop(L, 1);
	return 1;
}

static int m_nemesis(lua_State *L)
{
	struct lsim *ls = tosim(L);
	lua_pushinteger(L, add_nemesis(L, 2, ls->s));
	return 1;
}

static const struct lab_opt request_opts[] = {
	{"at", LAB_NUM, .required = 1, .min = 0, .max = 1e9, .help = "seconds"},
	{"node", LAB_INT, .required = 1, .help = "the node it is sent to"},
	{"op", LAB_ANY, .required = 1, .help = "the operation, e.g. {f = \"read\", key = \"x\"}"},
	{"client", LAB_INT, 1, .min = 0, .max = 1e9, .help = "who asks (c1, c2...)"},
	{"timeout", LAB_NUM, 0, .min = 0, .max = 1e9, .help = "0: wait forever"},
	{NULL},
};
enum { R_AT, R_NODE, R_OP, R_CLIENT, R_TIMEOUT };

static int m_request(lua_State *L)
{
	struct lsim *ls = tosim(L);
	const struct lab_val *o = lab_opts(L, 2, "s:request", request_opts);
	if (o[R_NODE].i < 1 || o[R_NODE].i > sim_nodes(ls->s))
		return luaL_error(L, "s:request: there is no node %I", o[R_NODE].i);
	lab_optpush(L, 2, "op");                            /* push op */
	lab_sim_encode(L, -1, &ls->w, "the operation");
	uint64_t id = sim_request(ls->s, o[R_AT].num, (uint32_t)o[R_CLIENT].i,
				  (uint32_t)o[R_NODE].i, ls->w.p, ls->w.len, o[R_TIMEOUT].num);
	if (!id)
		return lab_fail(L, "s:request: %s", sim_error(ls->s));
	lua_pushinteger(L, (lua_Integer)id);
	return 1;
}

/* The hook: calls the function registered under TOKEN with the object. */
static int hook(struct sim *s, void *ud, uint64_t token)
{
	struct lsim *ls = ud;
	lua_State *L = ls->L;
	int top = lua_gettop(L);
	lua_getiuservalue(L, ls->self, 1);                  /* push user value */
	lua_getfield(L, -1, "hooks");                       /* push hooks */
	if (lua_rawgeti(L, -1, (lua_Integer)token) != LUA_TFUNCTION) { /* push function */
		lua_settop(L, top);                         /* not ours (a runner's): skip */
		return 0;
	}
	lua_pushnil(L);
	lua_rawseti(L, -3, (lua_Integer)token);             /* hooks[token] = nil: once */
	lua_pushvalue(L, ls->self);                         /* push object */
	int rc = lua_pcall(L, 1, 0, 0);
	if (rc != LUA_OK) {
		const char *why = budget_stop();
		if (why)
			sim_abort(s, "%s", why);
		else
			sim_abort(s, "the function given to s:at failed at %.6f s: %s", sim_now(s),
				  lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
								 : "(an error value that is not a string)");
	}
	lua_settop(L, top);
	return rc == LUA_OK ? 0 : -1;
}

static int m_at(lua_State *L)
{
	struct lsim *ls = tosim(L);
	double at = luaL_checknumber(L, 2);
	luaL_checktype(L, 3, LUA_TFUNCTION);
	uint64_t token = ++ls->hooks;
	if (sim_at(ls->s, at, token) != 0)
		return lab_fail(L, "s:at: %s", sim_error(ls->s));
	lua_getiuservalue(L, 1, 1);                         /* push user value */
	lua_getfield(L, -1, "hooks");                       /* push hooks */
	lua_pushvalue(L, 3);
	lua_rawseti(L, -2, (lua_Integer)token);             /* hooks[token] = f */
	sim_set_hook(ls->s, hook, ls);
	lua_settop(L, 1);
	return 1;
}

/* ---- running ---- */

enum sim_status lab_sim_run(lua_State *L, int idx, double until, uint64_t max)
{
	idx = lua_absindex(L, idx);
	struct lsim *ls = lab_checkobj(L, idx, &lab_sim_class);
	if (!ls->s)
		luaL_error(L, "this simulation is gone");
	if (sim_running(ls->s) || ls->L)
		luaL_error(L, "the simulation is running already: a node cannot run it");
	ls->L = L;
	ls->self = idx;
	luaL_checkstack(L, 40, "lab.sim");
	enum sim_status st = sim_run(ls->s, until, max);
	ls->L = NULL;
	if (until < SIM_MAX_TIME && until > ls->until)
		ls->until = until;
	if (st == SIM_STOPPED || (st == SIM_ERROR && budget_stop()))
		lab_fail(L, "%s", sim_error(ls->s));
	return st;
}

static const char *const status_names[] = {"idle", "until", "stepped", "error", "stopped"};

static int m_run(lua_State *L)
{
	struct lsim *ls = tosim(L);
	double until = luaL_checknumber(L, 2);
	luaL_argcheck(L, until >= 0 && until <= SIM_MAX_TIME, 2,
		      "a time between 0 and 10^9 seconds");
	if (until < sim_now(ls->s))
		return luaL_error(L, "s:run: time %f is in the past (now %f)", until, sim_now(ls->s));
	enum sim_status st = lab_sim_run(L, 1, until, 0);
	if (st == SIM_ERROR) { /* the message names its node and place already */
		lua_pushstring(L, sim_error(ls->s));
		return lua_error(L);
	}
	lua_pushstring(L, status_names[st]);
	return 1;
}

static int m_step(lua_State *L)
{
	struct lsim *ls = tosim(L);
	lua_Integer k = luaL_optinteger(L, 2, 1);
	luaL_argcheck(L, k >= 1, 2, "at least one event");
	struct simtrace *t = sim_trace(ls->s);
	size_t before = simtrace_count(t);
	enum sim_status st = lab_sim_run(L, 1, SIM_MAX_TIME, (uint64_t)k);
	if (st == SIM_ERROR) {
		lua_pushstring(L, sim_error(ls->s));
		return lua_error(L);
	}
	struct sim_stats stats;
	sim_stats(ls->s, &stats);
	if (st == SIM_IDLE && simtrace_count(t) == before) {
		lua_pushnil(L);
		return 1;
	}
	struct sbuf sb = SBUF_INIT;
	for (size_t i = before; i < simtrace_count(t); i++) {
		struct simtrace_filter f = {.to = -1, .kinds = ~0u};
		if (!simtrace_match(t, simtrace_get(t, i), &f))
			continue;
		simtrace_line(&sb, t, simtrace_get(t, i));
		sbuf_addc(&sb, '\n');
	}
	if (sb.len)
		sb.len--;
	lua_pushlstring(L, sb.buf ? sb.buf : "", sb.len);
	sbuf_free(&sb);
	return 1;
}

/* ---- looking at it ---- */

static int m_now(lua_State *L)
{
	lua_pushnumber(L, sim_now(tosim(L)->s));
	return 1;
}

static int m_up(lua_State *L)
{
	struct lsim *ls = tosim(L);
	lua_pushboolean(L, sim_up(ls->s, check_node(L, ls->s, 2, "s:up")));
	return 1;
}

static int m_incarnation(lua_State *L)
{
	struct lsim *ls = tosim(L);
	lua_pushinteger(L, sim_incarnation(ls->s, check_node(L, ls->s, 2, "s:incarnation")));
	return 1;
}

static int m_clock(lua_State *L)
{
	struct lsim *ls = tosim(L);
	uint32_t id = check_node(L, ls->s, 2, "s:clock");
	double skew, drift;
	sim_clock_of(ls->s, id, &skew, &drift);
	lua_pushnumber(L, sim_local_time(ls->s, id));
	lua_pushnumber(L, skew);
	lua_pushnumber(L, drift);
	return 3;
}

/* s:state(id) / s:store(id): a Lua node's handle (its memory) and store. */
static int entry_field(lua_State *L, const char *who, const char *field)
{
	struct lsim *ls = tosim(L);
	uint32_t id = check_node(L, ls->s, 2, who);
	lab_sim_entries(L, 1);                              /* push entries */
	if (lua_rawgeti(L, -1, id) != LUA_TTABLE)           /* push entry */
		return luaL_error(L, "%s: n%d is not a Lua node", who, (int)id);
	lua_getfield(L, -1, field);                         /* push field */
	return 1;
}

static int m_state(lua_State *L)
{
	return entry_field(L, "s:state", "handle");
}

static int m_store(lua_State *L)
{
	return entry_field(L, "s:store", "store");
}

static int m_blocked(lua_State *L)
{
	struct lsim *ls = tosim(L);
	uint32_t a = check_node(L, ls->s, 2, "s:blocked"), b = check_node(L, ls->s, 3, "s:blocked");
	lua_pushboolean(L, sim_blocked(ls->s, a, b));
	return 1;
}

static const char *const op_status[] = {"pending", "ok", "fail", "info"};

static void push_time(lua_State *L, int64_t ns)
{
	if (ns < 0)
		lua_pushnil(L);
	else
		lua_pushnumber(L, (double)ns / 1e9);
}

static int m_history(lua_State *L)
{
	struct lsim *ls = tosim(L);
	size_t n;
	const struct sim_op *h = sim_history(ls->s, &n);
	lua_createtable(L, n > INT32_MAX ? 0 : (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		const struct sim_op *o = &h[i];
		lua_createtable(L, 0, 8);
		lab_setint(L, "id", (lua_Integer)o->id);
		lab_setint(L, "client", o->client);
		lab_setint(L, "node", o->node);
		lab_sim_decode(L, simv_of(o->op, o->op_len));
		lua_setfield(L, -2, "op");
		push_time(L, o->invoke);
		lua_setfield(L, -2, "invoke");
		push_time(L, o->complete);
		lua_setfield(L, -2, "complete");
		lab_setstr(L, "status", op_status[o->status]);
		if (o->result) {
			lab_sim_decode(L, simv_of(o->result, o->result_len));
			lua_setfield(L, -2, "result");
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static const char *const kind_names[] = {"send",  "recv",  "drop",    "dup",   "set",
					 "timer", "cancel", "start",  "crash", "restart",
					 "fault", "log",   "invoke", "complete", NULL};

/* Reads the filter options at IDX into F (with a node set and the options
 * box pushed: two values).                                          [-0, +2] */
static const struct lab_opt filter_opts[] = {
	{"nodes", LAB_TABLE, .help = "only these nodes"},
	{"from", LAB_NUM, 0, .min = 0, .max = 1e9, .help = "seconds"},
	{"to", LAB_NUM, -1, .help = "seconds"},
	{"kinds", LAB_ANY, .help = "list of kinds, or \"all\""},
	{"limit", LAB_INT, 200, .min = 1, .max = 1e7, .help = "lines at most"},
	{"last", LAB_BOOL, 0, .help = "the last lines rather than the first"},
	{"width", LAB_INT, 0, .min = 0, .max = SIMDRAW_MAX_WIDTH, .help = "0: the terminal's"},
	{"ascii", LAB_BOOL, 0, .help = "ASCII only"},
	{NULL},
};
enum { T_NODES, T_FROM, T_TO, T_KINDS, T_LIMIT, T_LAST, T_WIDTH, T_ASCII };

static void read_filter(lua_State *L, int idx, const char *who, struct sim *s,
			struct simtrace_filter *f, int *width)
{
	const struct lab_val *o = lab_opts(L, idx, who, filter_opts); /* push box */
	int w, utf8;
	settings(L, &w, &utf8);
	uint32_t n = sim_nodes(s);
	uint8_t *set = lua_newuserdatauv(L, n + 1, 0);      /* push set */
	memset(set, 0, n + 1);
	*f = (struct simtrace_filter){.from = (int64_t)llround(o[T_FROM].num * 1e9),
				      .to = o[T_TO].num < 0 ? -1 : (int64_t)llround(o[T_TO].num * 1e9),
				      .limit = (size_t)o[T_LIMIT].i, .last = (int)o[T_LAST].i,
				      .utf8 = utf8 && !o[T_ASCII].i};
	*width = o[T_WIDTH].i ? (int)o[T_WIDTH].i : w;
	if (*width < SIMDRAW_MIN_WIDTH)
		luaL_error(L, "%s: width must be at least %d", who, SIMDRAW_MIN_WIDTH);
	f->width = (size_t)*width;
	if (o[T_NODES].set) {
		lab_optpush(L, idx, "nodes");               /* push list */
		for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
			int ok;
			lua_Integer id = lua_tointegerx(L, -1, &ok);
			if (!ok || id < 1 || id > n)
				luaL_error(L, "%s: nodes must be node ids 1 to %d", who, (int)n);
			set[id] = 1;
			lua_pop(L, 1);
		}
		lua_pop(L, 2);                              /* remove nil, list */
		f->nodes = set;
	}
	if (o[T_KINDS].set) {
		lab_optpush(L, idx, "kinds");               /* push kinds */
		if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "all") == 0) {
			f->kinds = ~0u;
		} else if (lua_type(L, -1) == LUA_TTABLE) {
			for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
				const char *k = lua_tostring(L, -1);
				int found = -1;
				for (int j = 0; k && kind_names[j]; j++)
					if (strcmp(k, kind_names[j]) == 0)
						found = j;
				if (found < 0)
					luaL_error(L, "%s: kinds are some of: send recv drop dup set timer "
						      "cancel start crash restart fault log invoke "
						      "complete", who);
				f->kinds |= 1u << found;
				lua_pop(L, 1);
			}
			lua_pop(L, 1);
		} else {
			luaL_error(L, "%s: kinds is a list of kinds or \"all\"", who);
		}
		lua_pop(L, 1);                              /* remove kinds */
	}
}

static struct simtrace *need_trace(lua_State *L, struct sim *s, const char *who)
{
	struct simtrace *t = sim_trace(s);
	if (!t)
		luaL_error(L, "%s: this simulation keeps no trace (trace = false)", who);
	return t;
}

/* Pushes SB without its final newline, and frees it. */
static void push_text(lua_State *L, struct sbuf *sb)
{
	size_t len = sb->len;
	if (len && sb->buf[len - 1] == '\n')
		len--;
	lua_pushlstring(L, sb->buf ? sb->buf : "", len);
	sbuf_free(sb);
}

static int m_trace(lua_State *L)
{
	struct lsim *ls = tosim(L);
	struct simtrace *t = need_trace(L, ls->s, "s:trace");
	struct simtrace_filter f;
	int width;
	read_filter(L, 2, "s:trace", ls->s, &f, &width);
	if (!lab_optpush(L, 2, "width"))
		f.width = 0; /* lines are not cut unless asked */
	lua_pop(L, 1);
	struct sbuf sb = SBUF_INIT;
	simtrace_text(&sb, t, &f);
	push_text(L, &sb);
	return 1;
}

static int m_diagram(lua_State *L)
{
	struct lsim *ls = tosim(L);
	struct simtrace *t = need_trace(L, ls->s, "s:diagram");
	struct simtrace_filter f;
	int width;
	read_filter(L, 2, "s:diagram", ls->s, &f, &width);
	struct sbuf sb = SBUF_INIT;
	simtrace_diagram(&sb, t, &f);
	push_text(L, &sb);
	return 1;
}

static int m_timeline(lua_State *L)
{
	struct lsim *ls = tosim(L);
	struct simtrace *t = need_trace(L, ls->s, "s:timeline");
	struct simtrace_filter f;
	int width;
	read_filter(L, 2, "s:timeline", ls->s, &f, &width);
	int64_t to = f.to >= 0 ? f.to : (int64_t)llround(sim_now(ls->s) * 1e9);
	struct sbuf sb = SBUF_INIT;
	if (simdraw_timeline(&sb, t, f.nodes, f.from, to, width, f.utf8) != 0) {
		sbuf_free(&sb);
		return lab_fail(L, "s:timeline: not enough memory");
	}
	push_text(L, &sb);
	return 1;
}

static void add_key(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

/* Pushes record R as a table. */
static void push_record(lua_State *L, const struct simtrace *t, const struct simrec *r)
{
	lua_createtable(L, 0, 6);
	lua_pushnumber(L, (double)r->at / 1e9);
	lua_setfield(L, -2, "at");
	lua_pushstring(L, kind_names[r->kind]);
	lua_setfield(L, -2, "kind");
	const uint8_t *p = simtrace_payload(t, r);
	switch (r->kind) {
	case SIMR_SEND:
	case SIMR_DELIVER:
	case SIMR_DROP:
	case SIMR_DUP:
		add_key(L, "from", r->a);
		add_key(L, "to", r->b);
		add_key(L, "id", (lua_Integer)r->id);
		if (p) {
			lab_sim_decode(L, simv_of(p, r->len));
			lua_setfield(L, -2, "msg");
		}
		if (r->kind == SIMR_DELIVER || r->kind == SIMR_DROP) {
			lua_pushnumber(L, (double)r->aux / 1e9);
			lua_setfield(L, -2, "sent");
		}
		if (r->kind == SIMR_DROP)
			lab_setstr(L, "why", r->why == SIMR_WHY_LOSS        ? "loss"
					     : r->why == SIMR_WHY_PARTITION ? "partition"
									    : "down");
		break;
	case SIMR_TIMER_SET:
	case SIMR_TIMER_FIRE:
	case SIMR_TIMER_CANCEL:
		add_key(L, "node", r->a);
		add_key(L, "id", (lua_Integer)r->id);
		if (p) {
			lab_sim_decode(L, simv_of(p, r->len));
			lua_setfield(L, -2, "tag");
		}
		break;
	case SIMR_FAULT:
		if (p) {
			lab_sim_decode(L, simv_of(p, r->len));
			lua_setfield(L, -2, "fault");
		}
		break;
	case SIMR_LOG:
		add_key(L, "node", r->a);
		lua_pushlstring(L, (const char *)(p ? p : (const uint8_t *)""), r->len);
		lua_setfield(L, -2, "text");
		break;
	case SIMR_INVOKE:
	case SIMR_COMPLETE:
		add_key(L, "client", r->a);
		add_key(L, "node", r->b);
		add_key(L, "id", (lua_Integer)r->id);
		if (p) {
			lab_sim_decode(L, simv_of(p, r->len));
			lua_setfield(L, -2, r->kind == SIMR_INVOKE ? "op" : "result");
		}
		if (r->kind == SIMR_COMPLETE)
			lab_setstr(L, "status", op_status[r->why <= 3 ? r->why : 0]);
		break;
	default:
		add_key(L, "node", r->a);
		add_key(L, "incarnation", r->aux);
	}
}

static int m_records(lua_State *L)
{
	struct lsim *ls = tosim(L);
	struct simtrace *t = need_trace(L, ls->s, "s:records");
	struct simtrace_filter f;
	int width;
	read_filter(L, 2, "s:records", ls->s, &f, &width);
	if (!lab_optpush(L, 2, "limit"))
		f.limit = SIZE_MAX;
	lua_pop(L, 1);
	if (!lab_optpush(L, 2, "kinds"))
		f.kinds = ~0u;
	lua_pop(L, 1);
	lua_newtable(L);
	lua_Integer k = 0;
	size_t n = simtrace_count(t);
	for (size_t i = 0; i < n && (size_t)k < f.limit; i++) {
		const struct simrec *r = simtrace_get(t, i);
		if (!simtrace_match(t, r, &f))
			continue;
		push_record(L, t, r);
		lua_rawseti(L, -2, ++k);
		if ((k & 4095) == 0)
			lab_poll(L);
	}
	return 1;
}

static int m_stats(lua_State *L)
{
	struct lsim *ls = tosim(L);
	struct sim_stats st;
	sim_stats(ls->s, &st);
	lua_createtable(L, 0, 14);
	lab_setint(L, "events", (lua_Integer)st.events);
	lab_setint(L, "sent", (lua_Integer)st.sent);
	lab_setint(L, "delivered", (lua_Integer)st.delivered);
	lab_setint(L, "lost", (lua_Integer)st.dropped_loss);
	lab_setint(L, "cut", (lua_Integer)st.dropped_partition);
	lab_setint(L, "to_down", (lua_Integer)st.dropped_down);
	lab_setint(L, "duplicated", (lua_Integer)st.duplicated);
	lab_setint(L, "timers", (lua_Integer)st.timers);
	lab_setint(L, "bytes", (lua_Integer)st.bytes);
	lab_setint(L, "requests", (lua_Integer)st.requests);
	lab_setint(L, "replies", (lua_Integer)st.replies);
	lab_setint(L, "pending", (lua_Integer)st.pending);
	lab_setnum(L, "now", sim_now(ls->s));
	return 1;
}

static int m_schedule(lua_State *L)
{
	struct lsim *ls = tosim(L);
	size_t n;
	const struct sim_fault *f = sim_schedule(ls->s, &n);
	size_t *order = lua_newuserdatauv(L, (n ? n : 1) * sizeof *order, 0); /* push scratch */
	for (size_t i = 0; i < n; i++) { /* stable insertion sort by time */
		size_t j = i;
		while (j > 0 && f[order[j - 1]].at > f[i].at) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	lua_createtable(L, (int)(n < INT32_MAX ? n : 0), 0);
	for (size_t i = 0; i < n; i++) {
		simw_reset(&ls->w);
		sim_fault_encode(ls->s, &f[order[i]], &ls->w);
		if (simw_failed(&ls->w))
			return lab_fail(L, "s:schedule: not enough memory");
		lab_sim_decode(L, simv_of(ls->w.p, ls->w.len));
		lua_pushnumber(L, f[order[i]].at);
		lua_setfield(L, -2, "at");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* ---- history charts ---- */

/* A short label of an operation: its f, then its other values. */
static void op_label(struct sbuf *sb, const uint8_t *op, size_t len, int status,
		     const uint8_t *res, size_t rlen)
{
	struct simv v = simv_of(op, len), f, key, val;
	const char *s;
	size_t n;
	if (simv_get(v, "f", &f) == 0 && simv_str(f, &s, &n) == 0) {
		sbuf_add(sb, s, n);
		struct simv_iter it;
		int arr;
		simv_iter(&it, v);
		while (simv_next(&it, &arr, &key, &val) == 1) {
			if (!arr && simv_is(key, "f"))
				continue;
			sbuf_addc(sb, ' ');
			if (simv_str(val, &s, &n) == 0)
				sbuf_add(sb, s, n);
			else
				simval_render(sb, val, 24);
		}
	} else {
		simval_render(sb, v, 40);
	}
	if (status == 1 && res && rlen && simv_tag(simv_of(res, rlen)) != SIMVAL_NIL) {
		sbuf_adds(sb, ": ");
		simval_render(sb, simv_of(res, rlen), 30);
	} else if (status == 2) {
		sbuf_adds(sb, " fail");
	}
}

static const struct lab_opt chart_opts[] = {
	{"width", LAB_INT, 0, .min = 0, .max = SIMDRAW_MAX_WIDTH, .help = "0: the terminal's"},
	{"ascii", LAB_BOOL, 0, .help = "ASCII only"},
	{NULL},
};

/* Draws the ops read from the list at LIST: history entries or
 * {client =, invoke =, complete =, label =} tables. */
static int draw_list(lua_State *L, int list, int opts, const char *who)
{
	const struct lab_val *o = lab_opts(L, opts, who, chart_opts); /* push box */
	int width, utf8;
	settings(L, &width, &utf8);
	if (o[0].i)
		width = (int)o[0].i;
	if (width < SIMDRAW_MIN_WIDTH)
		return luaL_error(L, "%s: width must be at least %d", who, SIMDRAW_MIN_WIDTH);
	utf8 = utf8 && !o[1].i;
	size_t n = lua_rawlen(L, list);
	struct simdraw_op *ops = lua_newuserdatauv(L, (n ? n : 1) * sizeof *ops, 0); /* push */
	lua_createtable(L, (int)(n < INT32_MAX ? n : 0), 0); /* push labels (anchors) */
	int labels = lua_gettop(L);
	struct simw w = SIMW_INIT, r = SIMW_INIT;
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, list, (lua_Integer)i + 1);     /* push op */
		int e = lua_gettop(L);
		if (lua_type(L, e) != LUA_TTABLE)
			luaL_error(L, "%s: operation %d is not a table", who, (int)i + 1);
		struct simdraw_op *x = &ops[i];
		lab_optpush(L, e, "client");
		x->client = (uint32_t)luaL_optinteger(L, -1, 1);
		lab_optpush(L, e, "invoke");
		x->invoke = luaL_optnumber(L, -1, 0);
		lab_optpush(L, e, "complete");
		x->complete = luaL_optnumber(L, -1, -1);
		lab_optpush(L, e, "status");
		const char *st = lua_tostring(L, -1);
		x->unknown = x->complete < 0 || (st && strcmp(st, "info") == 0);
		lua_pop(L, 4);
		if (x->complete >= 0 && x->complete < x->invoke)
			luaL_error(L, "%s: operation %d completes before it is invoked", who, (int)i + 1);
		if (lab_optpush(L, e, "label") == LUA_TSTRING) {
			lua_rawseti(L, labels, (lua_Integer)i + 1); /* anchor it */
		} else {
			lua_pop(L, 1);
			struct sbuf sb = SBUF_INIT;
			lab_optpush(L, e, "op");
			lab_sim_encode(L, -1, &w, "the operation");
			lab_optpush(L, e, "result");
			lab_sim_encode(L, -1, &r, "the result");
			lua_pop(L, 2);
			int status = st && strcmp(st, "ok") == 0 ? 1 : st && strcmp(st, "fail") == 0 ? 2 : 0;
			op_label(&sb, w.p, w.len, status, r.p, r.len);
			lua_pushlstring(L, sb.buf ? sb.buf : "", sb.len);
			sbuf_free(&sb);
			lua_rawseti(L, labels, (lua_Integer)i + 1);
		}
		lua_rawgeti(L, labels, (lua_Integer)i + 1);
		x->label = lua_tostring(L, -1);               /* anchored in labels */
		lua_pop(L, 2);                                /* remove label, op */
	}
	simw_free(&w);
	simw_free(&r);
	struct sbuf sb = SBUF_INIT;
	if (simdraw_history(&sb, ops, n, width, utf8) != 0) {
		sbuf_free(&sb);
		return lab_fail(L, "%s: not enough memory", who);
	}
	push_text(L, &sb);
	return 1;
}

static int m_draw_history(lua_State *L)
{
	tosim(L);
	lua_settop(L, 2);
	lua_pushcfunction(L, m_history);
	lua_pushvalue(L, 1);
	lua_call(L, 1, 1);                                  /* push history */
	return draw_list(L, 3, 2, "s:draw_history");
}

static int l_draw_history(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 2);
	return draw_list(L, 1, 2, "lab.sim.draw_history");
}

static int l_size(lua_State *L)
{
	struct simw w = SIMW_INIT;
	lua_settop(L, 1);
	lab_sim_encode(L, 1, &w, "the value");
	lua_pushinteger(L, (lua_Integer)w.len);
	simw_free(&w);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct lsim *ls = lab_self(L, &lab_sim_class);
	if (!ls->s) {
		lua_pushliteral(L, "lab.sim (gone)");
		return 1;
	}
	struct sim_stats st;
	sim_stats(ls->s, &st);
	lua_pushfstring(L, "lab.sim(%d nodes, seed %I, t = %f s, %I events)", (int)sim_nodes(ls->s),
			(lua_Integer)sim_seed(ls->s), sim_now(ls->s), (lua_Integer)st.events);
	return 1;
}

static int beh_tostring(lua_State *L)
{
	struct simbeh *x = lab_self(L, &lab_simbeh_class);
	lua_pushfstring(L, "lab.sim behaviour (%s)", x->b->name ? x->b->name : "?");
	return 1;
}

static const luaL_Reg methods[] = {
	{"node", m_node},         {"fault", m_fault},     {"nemesis", m_nemesis},
	{"request", m_request},   {"at", m_at},           {"run", m_run},
	{"step", m_step},         {"now", m_now},         {"up", m_up},
	{"incarnation", m_incarnation}, {"clock", m_clock}, {"state", m_state},
	{"store", m_store},       {"blocked", m_blocked}, {"history", m_history},
	{"records", m_records},   {"trace", m_trace},     {"diagram", m_diagram},
	{"timeline", m_timeline}, {"draw_history", m_draw_history},
	{"stats", m_stats},       {"schedule", m_schedule},
	{NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

const struct lab_class lab_sim_class = {
	.name = "lab.sim",
	.methods = methods,
	.metamethods = metamethods,
	.free = free_sim,
};

static const luaL_Reg beh_meta[] = {
	{"__tostring", beh_tostring},
	{NULL, NULL},
};

const struct lab_class lab_simbeh_class = {
	.name = "lab.sim.behaviour",
	.methods = NULL,
	.metamethods = beh_meta,
	.free = NULL,
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{"draw_history", l_draw_history},
	{"size", l_size},
	{"isolate", lab_sim_l_isolate},
	{"check", lab_sim_l_check},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_sim = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&lab_sim_class, &lab_simbeh_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts},
					       {"s:fault", fault_opts},
					       {"s:nemesis", nemesis_opts},
					       {"s:request", request_opts},
					       {"s:trace", filter_opts},
					       {"check", lab_sim_check_opts},
					       {"new latency", latency_opts},
					       {NULL}},
	.configure = configure,
	.handles = (const luaL_Reg *const[]){lab_sim_node_methods, NULL},
};
