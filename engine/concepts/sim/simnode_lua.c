/*
 * simnode_lua.c — Lua nodes for lab.sim: the value codec between Lua and
 * simval bytes, the behaviour that calls a node's Lua handlers, the node
 * handle those handlers get, lab.sim.isolate and lab.sim.check.
 *
 * A Lua node is given as a table of handlers or as a function returning
 * one (called again at every restart, so nothing survives a crash but the
 * store):
 *
 *   start(node, restarted)   receive(node, from, msg)
 *   timer(node, tag, id)     request(node, op, id)
 *
 * Handlers run inside sim:run(), called with lua_pcall: an error is caught,
 * and the run ends with it named ("n3's receive handler failed at 1.2 s:
 * ..."). The sandbox's hook keeps running in them, so a time or memory
 * limit or Ctrl-C reaches a handler's loop; a stop is raised as such.
 */
#include "engine/concepts/sim/sim_lua.h"
#include "engine/concepts/sim/simtrace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Lua to bytes ---- */

struct key {
	int type;           /* LUA_TNUMBER, LUA_TSTRING, LUA_TBOOLEAN */
	int isint;
	lua_Integer i;
	double d;
	const char *s;      /* anchored by the table being encoded */
	size_t len;
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	static const int rank[] = {[LUA_TNUMBER] = 0, [LUA_TSTRING] = 1, [LUA_TBOOLEAN] = 2};
	if (a->type != b->type)
		return rank[a->type] - rank[b->type];
	if (a->type == LUA_TNUMBER) {
		if (a->isint && b->isint)
			return (a->i > b->i) - (a->i < b->i);
		double x = a->isint ? (double)a->i : a->d, y = b->isint ? (double)b->i : b->d;
		if (x != y)
			return (x > y) - (x < y);
		return b->isint - a->isint; /* equal values: the integer first */
	}
	if (a->type == LUA_TSTRING) {
		size_t n = a->len < b->len ? a->len : b->len;
		int c = memcmp(a->s, b->s, n);
		return c ? c : (a->len > b->len) - (a->len < b->len);
	}
	return (int)a->i - (int)b->i;
}

static void encode(lua_State *L, int idx, struct simw *w, const char *what, int depth);

/* Encodes the table at IDX: the array part 1..m, then the other keys
 * sorted. The keys are collected in a userdata (freed by the collector,
 * so an error half-way leaks nothing). */
static void encode_table(lua_State *L, int idx, struct simw *w, const char *what, int depth)
{
	if (depth >= SIMVAL_MAX_DEPTH)
		luaL_error(L, "%s is nested more than %d tables deep (does a table contain itself?)",
			   what, SIMVAL_MAX_DEPTH);
	luaL_checkstack(L, 8, "message too deep");
	lua_Integer m = 0;
	while (lua_rawgeti(L, idx, m + 1) != LUA_TNIL) { /* push t[m+1] */
		lua_pop(L, 1);                            /* remove it */
		m++;
	}
	lua_pop(L, 1);                                    /* remove nil */
	size_t total = 0;
	lua_pushnil(L);                                   /* first key */
	while (lua_next(L, idx)) {                        /* push key, value */
		total++;
		lua_pop(L, 1);                            /* remove value */
	}
	size_t nmap = total - (size_t)m;
	struct key *keys = nmap ? lua_newuserdatauv(L, nmap * sizeof *keys, 0) : NULL; /* push */
	size_t k = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {                        /* push key, value */
		lua_pop(L, 1);                            /* remove value */
		int t = lua_type(L, -1);
		if (t == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 &&
		    lua_tointeger(L, -1) <= m)
			continue;                         /* in the array part */
		if (t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN)
			luaL_error(L, "%s has a key of type %s: keys must be numbers, strings or "
				      "booleans", what, lua_typename(L, t));
		struct key *x = &keys[k++];
		x->type = t;
		x->isint = t == LUA_TNUMBER && lua_isinteger(L, -1);
		x->i = t == LUA_TBOOLEAN ? lua_toboolean(L, -1) : x->isint ? lua_tointeger(L, -1) : 0;
		x->d = t == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
		x->s = t == LUA_TSTRING ? lua_tolstring(L, -1, &x->len) : NULL;
	}
	if (nmap)
		qsort(keys, nmap, sizeof *keys, key_cmp);
	simw_table(w, (size_t)m, nmap);
	for (lua_Integer i = 1; i <= m; i++) {
		lua_rawgeti(L, idx, i);                   /* push t[i] */
		encode(L, lua_gettop(L), w, what, depth + 1);
		lua_pop(L, 1);                            /* remove it */
	}
	for (size_t j = 0; j < nmap; j++) {
		struct key *x = &keys[j];
		if (x->type == LUA_TSTRING)
			lua_pushlstring(L, x->s, x->len); /* push key */
		else if (x->type == LUA_TBOOLEAN)
			lua_pushboolean(L, (int)x->i);
		else if (x->isint)
			lua_pushinteger(L, x->i);
		else
			lua_pushnumber(L, x->d);
		encode(L, lua_gettop(L), w, what, depth + 1);
		lua_rawget(L, idx);                       /* replace key with t[key] */
		encode(L, lua_gettop(L), w, what, depth + 1);
		lua_pop(L, 1);                            /* remove value */
	}
	if (nmap)
		lua_pop(L, 1);                            /* remove keys */
}

static void encode(lua_State *L, int idx, struct simw *w, const char *what, int depth)
{
	switch (lua_type(L, idx)) {
	case LUA_TNONE:
	case LUA_TNIL: simw_nil(w); break;
	case LUA_TBOOLEAN: simw_bool(w, lua_toboolean(L, idx)); break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			simw_int(w, (int64_t)lua_tointeger(L, idx));
		else
			simw_float(w, (double)lua_tonumber(L, idx));
		break;
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		simw_str(w, s, len);
		break;
	}
	case LUA_TTABLE: encode_table(L, idx, w, what, depth); break;
	default:
		luaL_error(L, "%s contains a %s: only nil, booleans, numbers, strings and tables "
			      "cross the network", what, luaL_typename(L, idx));
	}
	if (simw_failed(w))
		lab_fail(L, "not enough memory for %s", what);
}

void lab_sim_encode(lua_State *L, int idx, struct simw *w, const char *what)
{
	simw_reset(w);
	encode(L, lua_absindex(L, idx), w, what, 0);
}

void lab_sim_decode(lua_State *L, struct simv v)
{
	int64_t x;
	double d;
	const char *s;
	size_t n, narr, nmap;
	luaL_checkstack(L, 4, "message too deep");
	switch (simv_tag(v)) {
	case SIMVAL_FALSE: lua_pushboolean(L, 0); return;
	case SIMVAL_TRUE: lua_pushboolean(L, 1); return;
	case SIMVAL_INT:
		simv_int(v, &x);
		lua_pushinteger(L, (lua_Integer)x);
		return;
	case SIMVAL_FLOAT:
		simv_num(v, &d);
		lua_pushnumber(L, d);
		return;
	case SIMVAL_STR:
		simv_str(v, &s, &n);
		lua_pushlstring(L, s, n);
		return;
	case SIMVAL_TABLE: break;
	default: lua_pushnil(L); return;
	}
	simv_table(v, &narr, &nmap);
	lua_createtable(L, narr > INT32_MAX ? 0 : (int)narr, nmap > INT32_MAX ? 0 : (int)nmap);
	struct simv_iter it;
	struct simv key, val;
	int arr;
	lua_Integer i = 0;
	simv_iter(&it, v);
	while (simv_next(&it, &arr, &key, &val) == 1) {
		if (arr) {
			lab_sim_decode(L, val);            /* push value */
			lua_rawseti(L, -2, ++i);           /* t[i] = value */
		} else {
			lab_sim_decode(L, key);            /* push key */
			lab_sim_decode(L, val);            /* push value */
			if (lua_isnil(L, -2) || lua_isnil(L, -1) ||
			    (lua_type(L, -2) == LUA_TNUMBER && lua_tonumber(L, -2) != lua_tonumber(L, -2)))
				lua_pop(L, 2);             /* not a key Lua can hold */
			else
				lua_rawset(L, -3);         /* t[key] = value */
		}
	}
}

/* ---- calling handlers ---- */

void lab_sim_entries(lua_State *L, int idx)
{
	lua_getiuservalue(L, idx, 1);                     /* push user value */
	lua_getfield(L, -1, "nodes");                     /* push .nodes */
	lua_remove(L, -2);                                /* remove user value */
}

/* Describes the error on top (replacing it) without running metamethods. */
static void error_text(lua_State *L)
{
	if (lua_type(L, -1) == LUA_TSTRING)
		return;
	const char *t = luaL_typename(L, -1);
	lua_pop(L, 1);                                    /* remove error */
	lua_pushfstring(L, "(an error value of type %s)", t);
}

/*
 * Calls handler WHICH of the handlers table at H with the NARGS arguments
 * on top of the stack (which it removes). A missing handler is no error.
 * Returns 0, or -1 after sim_abort().
 */
static int call(lua_State *L, struct lsim *ls, uint32_t id, int h, const char *which, int nargs,
		const char *context)
{
	lua_pushstring(L, which);                         /* push name */
	int t = lua_rawget(L, h);                         /* replace with handler */
	if (t == LUA_TNIL) {
		lua_pop(L, nargs + 1);                    /* remove handler, args */
		return 0;
	}
	if (t != LUA_TFUNCTION) {
		lua_pop(L, nargs + 1);
		sim_abort(ls->s, "n%u's %s handler is a %s, not a function", id, which,
			  lua_typename(L, t));
		return -1;
	}
	lua_insert(L, -nargs - 1);                        /* handler below its args */
	if (lua_pcall(L, nargs, 0, 0) == LUA_OK)
		return 0;
	const char *why = budget_stop();
	if (why) {
		lua_pop(L, 1);                            /* remove error */
		sim_abort(ls->s, "%s", why);
		return -1;
	}
	error_text(L);
	sim_abort(ls->s, "n%u's %s handler failed at %.6f s%s: %s", id, which, sim_now(ls->s),
		  context, lua_tostring(L, -1));
	lua_pop(L, 1);                                    /* remove error */
	return -1;
}

/* Pushes the entry of node ID and returns its index, after checking that
 * the node runs inside a run of its simulation. */
static int push_entry(lua_State *L, struct lsim *ls, uint32_t id)
{
	lab_sim_entries(L, ls->self);                     /* push entries */
	lua_rawgeti(L, -1, id);                           /* push entry */
	lua_remove(L, -2);                                /* remove entries */
	return lua_gettop(L);
}

static int node_method_send(lua_State *L);
static int node_method_set_timer(lua_State *L);
static int node_method_cancel_timer(lua_State *L);
static int node_method_reply(lua_State *L);
static int node_method_fail(lua_State *L);
static int node_method_now(lua_State *L);
static int node_method_random(lua_State *L);
static int node_method_log(lua_State *L);

const luaL_Reg lab_sim_node_methods[] = {
	{"send", node_method_send},     {"set_timer", node_method_set_timer},
	{"cancel_timer", node_method_cancel_timer}, {"reply", node_method_reply},
	{"fail", node_method_fail},     {"now", node_method_now},
	{"random", node_method_random}, {"log", node_method_log},
	{NULL, NULL},
};

/* Pushes a new node handle for node ID, incarnation INC, with the store of
 * the entry at E. */
static void push_handle(lua_State *L, struct lsim *ls, uint32_t id, int e)
{
	uint32_t n = sim_nodes(ls->s);
	lua_createtable(L, 0, 12);                        /* push handle */
	int h = lua_gettop(L);
	lua_pushinteger(L, id);
	lua_setfield(L, h, "id");
	lua_pushinteger(L, n);
	lua_setfield(L, h, "nodes");
	lua_createtable(L, n > 1 ? (int)n - 1 : 0, 0);    /* push peers */
	for (uint32_t i = 1, k = 0; i <= n; i++)
		if (i != id) {
			lua_pushinteger(L, i);
			lua_rawseti(L, -2, ++k);
		}
	lua_setfield(L, h, "peers");
	if (lua_getfield(L, e, "store") != LUA_TTABLE) {  /* push store */
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, e, "store");              /* entry.store = new table */
	}
	lua_setfield(L, h, "store");
	for (const luaL_Reg *m = lab_sim_node_methods; m->name; m++) {
		lua_pushvalue(L, ls->self);               /* upvalue 1: the simulation */
		lua_pushinteger(L, id);                   /* 2: the node */
		lua_pushinteger(L, sim_incarnation(ls->s, id)); /* 3: its incarnation */
		lua_pushvalue(L, h);                      /* 4: the handle */
		lua_pushcclosure(L, m->func, 4);
		lua_setfield(L, h, m->name);
	}
}

static int lua_start(struct sim_ctx *c, int restart)
{
	struct lnode *ln = c->ud;
	struct lsim *ls = ln->ls;
	lua_State *L = ls->L;
	int top = lua_gettop(L);
	int e = push_entry(L, ls, c->node);
	lua_getfield(L, e, "node");                       /* push the behaviour given */
	if (lua_type(L, -1) == LUA_TFUNCTION) {           /* a factory: call it */
		lua_pushinteger(L, c->node);
		if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
			const char *why = budget_stop();
			if (why) {
				sim_abort(ls->s, "%s", why);
			} else {
				error_text(L);
				sim_abort(ls->s, "making node n%u at %.6f s failed: %s", c->node,
					  sim_now(ls->s), lua_tostring(L, -1));
			}
			lua_settop(L, top);
			return -1;
		}
	}
	if (lua_type(L, -1) != LUA_TTABLE) {
		sim_abort(ls->s, "node n%u: a node is a table of handlers (start, receive, timer, "
				 "request), not a %s", c->node, luaL_typename(L, -1));
		lua_settop(L, top);
		return -1;
	}
	lua_setfield(L, e, "handlers");                   /* entry.handlers = it */
	push_handle(L, ls, c->node, e);                   /* push handle */
	lua_setfield(L, e, "handle");                     /* entry.handle = it */
	lua_getfield(L, e, "handlers");                   /* push handlers */
	int h = lua_gettop(L);
	lua_getfield(L, e, "handle");                     /* push handle */
	lua_pushboolean(L, restart);
	int rc = call(L, ls, c->node, h, "start", 2, "");
	lua_settop(L, top);
	return rc;
}

static int lua_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct lnode *ln = c->ud;
	struct lsim *ls = ln->ls;
	lua_State *L = ls->L;
	int top = lua_gettop(L);
	int e = push_entry(L, ls, c->node);
	lua_getfield(L, e, "handlers");                   /* push handlers */
	int h = lua_gettop(L);
	lua_getfield(L, e, "handle");                     /* push handle */
	lua_pushinteger(L, from);
	lab_sim_decode(L, simv_of(msg, len));             /* push message */
	char ctx[48];
	snprintf(ctx, sizeof ctx, " (a message from n%u)", from);
	int rc = call(L, ls, c->node, h, "receive", 3, ctx);
	lua_settop(L, top);
	return rc;
}

static int lua_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	struct lnode *ln = c->ud;
	struct lsim *ls = ln->ls;
	lua_State *L = ls->L;
	int top = lua_gettop(L);
	int e = push_entry(L, ls, c->node);
	lua_getfield(L, e, "handlers");
	int h = lua_gettop(L);
	lua_getfield(L, e, "handle");
	if (tag)
		lab_sim_decode(L, simv_of(tag, len));
	else
		lua_pushnil(L);
	lua_pushinteger(L, (lua_Integer)id);
	int rc = call(L, ls, c->node, h, "timer", 3, "");
	lua_settop(L, top);
	return rc;
}

static int lua_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	struct lnode *ln = c->ud;
	struct lsim *ls = ln->ls;
	lua_State *L = ls->L;
	int top = lua_gettop(L);
	int e = push_entry(L, ls, c->node);
	lua_getfield(L, e, "handlers");
	int h = lua_gettop(L);
	lua_getfield(L, e, "handle");
	lab_sim_decode(L, simv_of(op, len));
	lua_pushinteger(L, (lua_Integer)req);
	char ctx[48];
	snprintf(ctx, sizeof ctx, " (request op%llu)", (unsigned long long)req);
	int rc = call(L, ls, c->node, h, "request", 3, ctx);
	lua_settop(L, top);
	return rc;
}

/* A crash loses the handle and, for a factory, the handlers and whatever
 * their module kept: only the store survives. */
static void lua_crash(struct sim_ctx *c)
{
	struct lnode *ln = c->ud;
	struct lsim *ls = ln->ls;
	lua_State *L = ls->L;
	if (!L)
		return;
	int top = lua_gettop(L);
	int e = push_entry(L, ls, c->node);
	lua_pushnil(L);
	lua_setfield(L, e, "handle");
	lua_pushnil(L);
	lua_setfield(L, e, "handlers");
	lua_settop(L, top);
}

const struct sim_behaviour lab_sim_lua_behaviour = {
	.name = "lua",
	.start = lua_start,
	.receive = lua_receive,
	.timer = lua_timer,
	.request = lua_request,
	.crash = lua_crash,
};

/* ---- the node handle's methods ---- */

/* The simulation of a handle method, after checking the handle is alive;
 * *BASE is the index of the first argument (2 when called with a colon). */
static struct lsim *handle_sim(lua_State *L, uint32_t *id, int *base)
{
	struct lsim *ls = lab_testobj(L, lua_upvalueindex(1), &lab_sim_class);
	if (!ls || !ls->s)
		luaL_error(L, "this node's simulation is gone");
	*id = (uint32_t)lua_tointeger(L, lua_upvalueindex(2));
	uint32_t inc = (uint32_t)lua_tointeger(L, lua_upvalueindex(3));
	if (!sim_up(ls->s, *id) || sim_incarnation(ls->s, *id) != inc)
		luaL_error(L, "n%d crashed since this handle was made: a crashed node does "
			      "nothing, and after a restart only the new handle works", (int)*id);
	*base = lua_rawequal(L, 1, lua_upvalueindex(4)) ? 2 : 1;
	return ls;
}

static int node_method_send(lua_State *L)
{
	uint32_t id;
	int b;
	struct lsim *ls = handle_sim(L, &id, &b);
	lua_Integer to = luaL_checkinteger(L, b);
	if (to < 1 || to > sim_nodes(ls->s))
		return luaL_error(L, "node:send: there is no node %I (nodes are 1 to %d)", to,
				  (int)sim_nodes(ls->s));
	lab_sim_encode(L, b + 1, &ls->w, "the message");
	uint64_t m = sim_send(ls->s, id, (uint32_t)to, ls->w.p, ls->w.len);
	if (!m)
		return lab_fail(L, "node:send: %s", sim_error(ls->s));
	lua_pushinteger(L, (lua_Integer)m);
	return 1;
}

static int node_method_set_timer(lua_State *L)
{
	uint32_t id;
	int b;
	struct lsim *ls = handle_sim(L, &id, &b);
	double delay = luaL_checknumber(L, b);
	if (!(delay >= 0 && delay <= SIM_MAX_TIME))
		return luaL_error(L, "node:set_timer: the delay must be between 0 and 10^9 seconds");
	lab_sim_encode(L, b + 1, &ls->w, "the timer's tag");
	uint64_t t = sim_set_timer(ls->s, id, delay, ls->w.p, ls->w.len);
	if (!t)
		return lab_fail(L, "node:set_timer: %s", sim_error(ls->s));
	lua_pushinteger(L, (lua_Integer)t);
	return 1;
}

static int node_method_cancel_timer(lua_State *L)
{
	uint32_t id;
	int b;
	struct lsim *ls = handle_sim(L, &id, &b);
	lua_Integer t = luaL_checkinteger(L, b);
	lua_pushboolean(L, t > 0 && sim_cancel_timer(ls->s, id, (uint64_t)t));
	return 1;
}

static int reply(lua_State *L, int ok)
{
	uint32_t id;
	int b;
	struct lsim *ls = handle_sim(L, &id, &b);
	lua_Integer req = luaL_checkinteger(L, b);
	lab_sim_encode(L, b + 1, &ls->w, "the result");
	int rc = sim_reply(ls->s, id, req > 0 ? (uint64_t)req : 0, ok, ls->w.p, ls->w.len);
	if (rc < 0)
		return lab_fail(L, "node:reply: %s", sim_error(ls->s));
	lua_pushboolean(L, rc);
	return 1;
}

static int node_method_reply(lua_State *L)
{
	return reply(L, 1);
}

static int node_method_fail(lua_State *L)
{
	return reply(L, 0);
}

static int node_method_now(lua_State *L)
{
	uint32_t id;
	int b;
	struct lsim *ls = handle_sim(L, &id, &b);
	lua_pushnumber(L, sim_local_time(ls->s, id));
	return 1;
}

static int node_method_random(lua_State *L)
{
	uint32_t id;
	int b;
	struct lsim *ls = handle_sim(L, &id, &b);
	struct rng *r = sim_rng(ls->s, id);
	if (lua_isnoneornil(L, b)) {
		lua_pushnumber(L, rng_uniform(r));
		return 1;
	}
	lua_Integer lo = 1, hi = luaL_checkinteger(L, b);
	if (!lua_isnoneornil(L, b + 1)) {
		lo = hi;
		hi = luaL_checkinteger(L, b + 1);
	}
	luaL_argcheck(L, lo <= hi, b, "empty interval");
	lua_pushinteger(L, (lua_Integer)rng_range(r, lo, hi));
	return 1;
}

static int node_method_log(lua_State *L)
{
	uint32_t id;
	int b;
	struct lsim *ls = handle_sim(L, &id, &b);
	luaL_Buffer buf;
	int top = lua_gettop(L);
	luaL_buffinit(L, &buf);
	for (int i = b; i <= top; i++) {
		if (i > b)
			luaL_addchar(&buf, ' ');
		luaL_tolstring(L, i, NULL);                /* push text */
		luaL_addvalue(&buf);                       /* add it */
	}
	luaL_pushresult(&buf);                             /* push line */
	size_t len;
	const char *s = lua_tolstring(L, -1, &len);
	if (sim_log(ls->s, id, s, len) != 0)
		return lab_fail(L, "node:log: %s", sim_error(ls->s));
	return 0;
}

/* ---- lab.sim.isolate ---- */

static const char *const base_names[] = {
	"assert", "error",  "ipairs", "next",     "pairs",    "pcall",        "print",
	"rawequal", "rawget", "rawlen", "rawset", "select", "tonumber", "tostring",
	"type", "xpcall", "getmetatable", "setmetatable", "_VERSION", NULL};
static const char *const lib_names[] = {"string", "table", "math", "utf8", "coroutine", NULL};

/* Pushes a fresh environment holding copies of what ENV (at index E) has of
 * the allowed names: library tables copied one level deep, so nothing one
 * node writes into them reaches another. */
static void push_env(lua_State *L, int e)
{
	lua_createtable(L, 0, 32);                        /* push env */
	int t = lua_gettop(L);
	for (int i = 0; base_names[i]; i++) {
		lua_pushstring(L, base_names[i]);
		lua_rawget(L, e);                         /* push env[name] */
		lua_setfield(L, t, base_names[i]);
	}
	for (int i = 0; lib_names[i]; i++) {
		lua_pushstring(L, lib_names[i]);
		if (lua_rawget(L, e) != LUA_TTABLE) {     /* push the library */
			lua_pop(L, 1);
			continue;
		}
		lua_newtable(L);                          /* push copy */
		lua_pushnil(L);
		while (lua_next(L, -3)) {                 /* push key, value */
			lua_pushvalue(L, -2);             /* push key */
			lua_insert(L, -2);                /* key, key, value */
			lua_rawset(L, -4);                /* copy[key] = value */
		}
		lua_setfield(L, t, lib_names[i]);         /* env[lib] = copy */
		lua_pop(L, 1);                            /* remove the library */
	}
	lua_pushvalue(L, t);
	lua_setfield(L, t, "_G");
}

/* The factory: loads the source afresh into a fresh environment and
 * returns what the chunk returns. Upvalues: source, env, chunk name. */
static int isolated(lua_State *L)
{
	size_t len;
	const char *src = lua_tolstring(L, lua_upvalueindex(1), &len);
	const char *name = lua_tostring(L, lua_upvalueindex(3));
	if (luaL_loadbufferx(L, src, len, name, "t") != LUA_OK) /* push chunk */
		return lua_error(L);
	push_env(L, lua_upvalueindex(2));                 /* push env */
	lua_setupvalue(L, -2, 1);                         /* chunk's _ENV = env */
	lua_call(L, 0, 1);                                /* the module */
	return 1;
}

int lab_sim_l_isolate(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TSTRING);
	luaL_checktype(L, 2, LUA_TTABLE);
	const char *name = luaL_optstring(L, 3, "node.lua");
	/* '@' names files of the engine itself: a learner's code gets '=' */
	lua_pushfstring(L, "=%s", name[0] == '=' || name[0] == '@' ? name + 1 : name);
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -3);                             /* source, env, name */
	lua_pushcclosure(L, isolated, 3);
	return 1;
}

/* ---- lab.sim.check ---- */

void lab_sim_push_excerpt(lua_State *L, struct sim *s, double at, const uint8_t *nodes,
			  size_t lines)
{
	struct sbuf sb = SBUF_INIT;
	struct simtrace *t = sim_trace(s);
	if (!t) {
		lua_pushliteral(L, "(no trace: the simulation was made with trace = false)");
		return;
	}
	struct simtrace_filter f = {.from = 0, .to = at < 0 ? -1 : (int64_t)llround(at * 1e9),
				    .nodes = nodes, .limit = lines, .last = 1, .width = 100};
	simtrace_text(&sb, t, &f);
	lua_pushlstring(L, sb.buf ? sb.buf : "", sb.len);
	sbuf_free(&sb);
}

const struct lab_opt lab_sim_check_opts[] = {
	{"runs", LAB_INT, 5, .min = 1, .max = 10000, .help = "simulations to run"},
	{"seed", LAB_INT, 1, .help = "run i uses seed + i - 1"},
	{"build", LAB_FUNC, .required = 1, .help = "function(seed, i) returning a lab.sim"},
	{"time", LAB_NUM, .required = 1, .min = 0, .max = 1e9, .help = "seconds to simulate"},
	{"property", LAB_FUNC,
	 .help = "function(sim, i) returning nil, or what is wrong [and {at =, nodes =}]"},
	{"lines", LAB_INT, 12, .min = 1, .max = 1000, .help = "trace lines shown"},
	{NULL},
};
enum { C_RUNS, C_SEED, C_BUILD, C_TIME, C_PROPERTY, C_LINES };

/* Reads the focus table {at = t, nodes = {...}} at IDX into AT and NODES
 * (a userdata it pushes, or nil).                                 [-0, +1] */
static const uint8_t *focus(lua_State *L, int idx, struct sim *s, double *at)
{
	*at = -1;
	if (lua_type(L, idx) != LUA_TTABLE) {
		lua_pushnil(L);
		return NULL;
	}
	if (lab_optpush(L, idx, "at") == LUA_TNUMBER)
		*at = lua_tonumber(L, -1);
	lua_pop(L, 1);
	if (lab_optpush(L, idx, "nodes") != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_pushnil(L);
		return NULL;
	}
	uint32_t n = sim_nodes(s);
	uint8_t *set = lua_newuserdatauv(L, n + 1, 0);    /* push set */
	memset(set, 0, n + 1);
	for (lua_Integer i = 1; lua_rawgeti(L, -2, i) == LUA_TNUMBER; i++) {
		lua_Integer id = lua_tointeger(L, -1);
		if (id >= 1 && id <= n)
			set[id] = 1;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);                                    /* remove the nil */
	lua_remove(L, -2);                                /* remove nodes list */
	return set;
}

/* Pushes the failure table of run I and returns 1. The message is on top. */
static int failure(lua_State *L, struct sim *s, lua_Integer run, lua_Integer runs,
		   lua_Integer seed, lua_Integer base, double at, const uint8_t *nodes,
		   size_t lines)
{
	int msg = lua_gettop(L);
	lab_sim_push_excerpt(L, s, at, nodes, lines);     /* push excerpt */
	int ex = lua_gettop(L);
	lua_createtable(L, 0, 5);                         /* push result */
	lua_pushinteger(L, run);
	lua_setfield(L, -2, "run");
	lua_pushinteger(L, seed);
	lua_setfield(L, -2, "seed");
	lua_pushvalue(L, msg);
	lua_setfield(L, -2, "message");
	lua_pushvalue(L, ex);
	lua_setfield(L, -2, "trace");
	lua_pushfstring(L, "%s\n\nRun %I of %I, simulation seed %I (`check --seed %I` replays "
			   "it). The trace up to %s:\n\n```text\n%s```",
			lua_tostring(L, msg), run, runs, seed, base,
			at >= 0 ? "there" : "the end", lua_tostring(L, ex));
	lua_setfield(L, -2, "text");
	return 1;
}

int lab_sim_l_check(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.sim.check", lab_sim_check_opts);
	int top = lua_gettop(L);
	uint64_t events = 0, sent = 0;
	for (lua_Integer i = 1; i <= o[C_RUNS].i; i++) {
		lua_settop(L, top);
		lua_Integer seed = o[C_SEED].i + i - 1;
		lab_optpush(L, 1, "build");               /* push build */
		lua_pushinteger(L, seed);
		lua_pushinteger(L, i);
		lua_call(L, 2, 1);                        /* push the simulation */
		int si = lua_gettop(L);
		struct sim *s = lab_sim_check(L, si);
		enum sim_status st = lab_sim_run(L, si, o[C_TIME].num, 0);
		if (st == SIM_ERROR) {
			lua_pushstring(L, sim_error(s));  /* push message */
			return failure(L, s, i, o[C_RUNS].i, seed, o[C_SEED].i, -1, NULL,
				       (size_t)o[C_LINES].i);
		}
		struct sim_stats stats;
		sim_stats(s, &stats);
		events += stats.events;
		sent += stats.sent;
		if (lab_optpush(L, 1, "property") != LUA_TFUNCTION) { /* push property */
			lua_pop(L, 1);
			continue;
		}
		lua_pushvalue(L, si);
		lua_pushinteger(L, i);
		lua_call(L, 2, 2);                        /* push message, focus */
		if (lua_isnil(L, -2))
			continue;
		if (lua_type(L, -2) != LUA_TSTRING)
			return luaL_error(L, "lab.sim.check: property must return nil or a string "
					     "saying what is wrong, not a %s", luaL_typename(L, -2));
		double at;
		const uint8_t *nodes = focus(L, lua_gettop(L), s, &at); /* push set */
		lua_pushvalue(L, -3);                     /* push message */
		return failure(L, s, i, o[C_RUNS].i, seed, o[C_SEED].i, at, nodes,
			       (size_t)o[C_LINES].i);
	}
	lua_pushnil(L);
	lua_createtable(L, 0, 3);
	lua_pushinteger(L, o[C_RUNS].i);
	lua_setfield(L, -2, "runs");
	lua_pushinteger(L, (lua_Integer)events);
	lua_setfield(L, -2, "events");
	lua_pushinteger(L, (lua_Integer)sent);
	lua_setfield(L, -2, "messages");
	return 2;
}
