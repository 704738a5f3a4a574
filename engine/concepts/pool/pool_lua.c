/*
 * pool_lua.c — lab.pool: the Lua binding of pool.h.
 *
 *   local r = lab.pool.simulate{rate = 600, size = 8, cores = 4, service = 0.005}
 *   r.throughput, r.p99, r.little.L, r.little.lambda_W
 *   local s = lab.pool.sweep{sizes = {1, 2, 4, 8, 16, 32, 64}, clients = 100}
 *   local sim = lab.pool.new{...}; sim:step() sim:run(t) sim:stats() sim:snapshot()
 *   lab.pool.capacity(a, {cores = 4, service = 0.005, contention = 0.05})
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/pool/pool.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define POOL_T "lab.pool"

struct lpool {
	struct pool *p; /* NULL once collected */
};

/* Every option, so that a misspelt one is an error rather than a default. */
static const char *const option_names[] = {
	"rate",	      "clients",    "think",	       "size",	   "timeout",
	"max_waiting", "connect",    "cores",	       "service",  "service_dist",
	"contention",  "duration",   "max_connections", "warmup",   "seed",
	NULL,
};

static struct pool *topool(lua_State *L)
{
	struct lpool *lp = luaL_checkudata(L, 1, POOL_T);
	if (!lp->p)
		luaL_error(L, "pool simulation is closed");
	return lp->p;
}

/* Errors on any key of the table at IDX not in option_names (nor EXTRA). */
static void onlyoptions(lua_State *L, int idx, const char *fname, const char *extra)
{
	lua_pushnil(L);                /* first key */
	while (lua_next(L, idx)) {
		lua_pop(L, 1);         /* remove value, keep key */
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		int i = 0;
		while (k && option_names[i] && strcmp(option_names[i], k) != 0)
			i++;
		if (!k || (!option_names[i] && !(extra && strcmp(extra, k) == 0)))
			luaL_error(L, "%s does not take option '%s' (see lab.help(\"pool\"))",
				   fname, k ? k : luaL_typename(L, -1));
	}
}

/* Reads the options table at IDX; defaults as documented in the usage text. */
static void readconfig(lua_State *L, int idx, const char *fname, const char *extra,
		       struct pool_config *c)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	onlyoptions(L, idx, fname, extra);
	memset(c, 0, sizeof *c);
	c->rate = lab_optnum(L, idx, "rate", 0);
	c->clients = lab_optint(L, idx, "clients", 0);
	c->think = lab_optnum(L, idx, "think", 0);
	c->size = lab_optint(L, idx, "size", 10);
	c->timeout = lab_optnum(L, idx, "timeout", 30);
	c->max_waiting = lab_optint(L, idx, "max_waiting", -1);
	c->connect = lab_optnum(L, idx, "connect", 0.005);
	c->cores = lab_optint(L, idx, "cores", 4);
	c->service = lab_optnum(L, idx, "service", 0.005);
	const char *dist = lab_optstr(L, idx, "service_dist", "exponential");
	if (strcmp(dist, "exponential") == 0)
		c->service_dist = POOL_EXPONENTIAL;
	else if (strcmp(dist, "constant") == 0)
		c->service_dist = POOL_CONSTANT;
	else
		luaL_error(L, "%s: service_dist must be \"exponential\" or \"constant\", not '%s'",
			   fname, dist);
	c->contention = lab_optnum(L, idx, "contention", 0.05);
	c->max_connections = lab_optint(L, idx, "max_connections", 0);
	c->duration = lab_optnum(L, idx, "duration", 60);
	c->warmup = lab_optnum(L, idx, "warmup", 0);
	c->seed = (uint64_t)lab_optint(L, idx, "seed", 1);
	const char *why = pool_config_check(c);
	if (why)
		luaL_error(L, "%s: %s", fname, why);
}

static struct pool *newpool(lua_State *L, const struct pool_config *c, const char *fname)
{
	const char *why = NULL;
	struct pool *p = pool_new(c, &why);
	if (!p)
		luaL_error(L, "%s: %s", fname, why);
	return p;
}

static void setnum(lua_State *L, const char *k, double v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, k);        /* t[k] = v */
}

static void setint(lua_State *L, const char *k, uint64_t v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, k);        /* t[k] = v */
}

/* A number that may be NAN (no served requests): left out of the table. */
static void setopt(lua_State *L, const char *k, double v)
{
	if (!isnan(v))
		setnum(L, k, v);
}

static void pushstats(lua_State *L, const struct pool_stats *st)
{
	lua_createtable(L, 0, 24);
	setnum(L, "now", st->state.now);
	setint(L, "requests", st->state.requests);
	setint(L, "served", st->state.served);
	setint(L, "timed_out", st->state.timed_out);
	setint(L, "rejected", st->state.rejected);
	setnum(L, "window", st->window);
	setint(L, "arrivals", st->arrivals);
	setint(L, "completed", st->completed);
	setnum(L, "throughput", st->throughput);
	setnum(L, "arrival_rate", st->arrival_rate);
	setnum(L, "in_system", st->L);
	setnum(L, "mean_waiting", st->mean_waiting);
	setnum(L, "mean_active", st->mean_active);
	setopt(L, "wait_mean", st->wait_mean);
	setopt(L, "latency_mean", st->latency_mean);
	setopt(L, "p50", st->p50);
	setopt(L, "p95", st->p95);
	setopt(L, "p99", st->p99);
	setopt(L, "latency_max", st->latency_max);
	lua_createtable(L, 0, 5);      /* little */
	setnum(L, "L", st->L);
	setnum(L, "lambda", st->arrival_rate);
	setnum(L, "W", st->W);
	setnum(L, "lambda_W", st->lambda_W);
	setnum(L, "error", st->L > 0 ? fabs(st->L - st->lambda_W) / st->L : 0);
	lua_setfield(L, -2, "little"); /* result.little = little */
}

/* Runs C to the end, or raises "not enough memory". */
static void runall(lua_State *L, struct pool *p)
{
	if (pool_run(p, INFINITY) < 0)
		luaL_error(L, "pool simulation: not enough memory");
}

/* lab.pool.new{...} */
static int l_new(lua_State *L)
{
	struct pool_config c;
	readconfig(L, 1, "lab.pool.new", NULL, &c);
	struct lpool *lp = lua_newuserdatauv(L, sizeof *lp, 0);
	lp->p = NULL;
	luaL_setmetatable(L, POOL_T);
	lp->p = newpool(L, &c, "lab.pool.new");
	return 1;
}

/* lab.pool.simulate{...} -> stats of a whole run */
static int l_simulate(lua_State *L)
{
	struct pool_config c;
	readconfig(L, 1, "lab.pool.simulate", NULL, &c);
	/* owned by a userdata while it runs, so an error cannot leak it */
	struct lpool *lp = lua_newuserdatauv(L, sizeof *lp, 0);
	lp->p = NULL;
	luaL_setmetatable(L, POOL_T);
	lp->p = newpool(L, &c, "lab.pool.simulate");
	runall(L, lp->p);
	struct pool_stats st;
	pool_stats(lp->p, &st);
	pushstats(L, &st);
	return 1;
}

/* lab.pool.sweep{sizes = {...}, ...} -> plot-ready series, one entry per size */
static int l_sweep(lua_State *L)
{
	static const char *const series[] = {"throughput", "p50",	   "p95",
					     "p99",	   "latency_mean", "in_system",
					     "served",	   "timed_out",	   "rejected"};
	enum { NSERIES = sizeof series / sizeof series[0] };
	struct pool_config c;
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lua_getfield(L, 1, "sizes");   /* push sizes (index 2) */
	if (!lua_istable(L, 2) || lua_rawlen(L, 2) == 0)
		return luaL_error(L, "lab.pool.sweep needs sizes, a list of pool sizes "
				     "(0 = no pool), e.g. {1, 2, 4, 8, 16, 32, 64}");
	lua_getfield(L, 1, "size");    /* push size */
	if (!lua_isnil(L, -1))
		return luaL_error(L, "lab.pool.sweep takes sizes (a list), not size");
	lua_pop(L, 1);                 /* remove size */
	readconfig(L, 1, "lab.pool.sweep", "sizes", &c);
	int n = (int)lua_rawlen(L, 2);
	lua_createtable(L, 0, NSERIES + 2); /* result (index 3) */
	lua_createtable(L, n, 0);
	lua_setfield(L, 3, "sizes");
	for (int k = 0; k < NSERIES; k++) {
		lua_createtable(L, n, 0);
		lua_setfield(L, 3, series[k]);
	}
	lua_createtable(L, n, 0);
	lua_setfield(L, 3, "results");
	struct lpool *lp = lua_newuserdatauv(L, sizeof *lp, 0); /* runner (index 4) */
	lp->p = NULL;
	luaL_setmetatable(L, POOL_T);
	for (int i = 1; i <= n; i++) {
		lua_rawgeti(L, 2, i);  /* push sizes[i] */
		int ok;
		lua_Integer size = lua_tointegerx(L, -1, &ok);
		lua_pop(L, 1);         /* remove sizes[i] */
		if (!ok)
			return luaL_error(L, "lab.pool.sweep: sizes[%d] must be an integer", i);
		c.size = size;
		const char *why = pool_config_check(&c);
		if (why)
			return luaL_error(L, "lab.pool.sweep (size %d): %s", (int)size, why);
		pool_free(lp->p);
		lp->p = NULL;
		lp->p = newpool(L, &c, "lab.pool.sweep");
		runall(L, lp->p);
		struct pool_stats st;
		pool_stats(lp->p, &st);
		pushstats(L, &st);     /* push this size's stats */
		lua_pushinteger(L, size);
		lua_setfield(L, -2, "size");
		lua_getfield(L, 3, "results");
		lua_pushvalue(L, -2);
		lua_rawseti(L, -2, i); /* results[i] = stats */
		lua_pop(L, 1);         /* remove results */
		lua_getfield(L, 3, "sizes");
		lua_pushinteger(L, size);
		lua_rawseti(L, -2, i); /* sizes[i] = size */
		lua_pop(L, 1);         /* remove sizes */
		for (int k = 0; k < NSERIES; k++) {
			lua_getfield(L, 3, series[k]); /* push the series */
			if (lua_getfield(L, -2, series[k]) == LUA_TNIL) { /* push value */
				lua_pop(L, 1);             /* remove nil */
				lua_pushnumber(L, NAN);    /* nothing served: NaN */
			}
			lua_rawseti(L, -2, i); /* series[i] = value */
			lua_pop(L, 1);         /* remove the series */
		}
		lua_pop(L, 1);         /* remove stats */
	}
	lua_pushvalue(L, 3);           /* return the result */
	return 1;
}

/* lab.pool.capacity(a, {cores, service, contention}) -> a * s(a) / service */
static int l_capacity(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1);
	luaL_argcheck(L, a >= 0, 1, "the number of queries running must not be negative");
	struct pool_config c = {0};
	c.cores = lab_optint(L, 2, "cores", 4);
	c.service = lab_optnum(L, 2, "service", 0.005);
	c.contention = lab_optnum(L, 2, "contention", 0.05);
	luaL_argcheck(L, c.cores >= 1, 2, "cores must be a positive integer");
	luaL_argcheck(L, c.service > 0, 2, "service must be a positive number of seconds");
	luaL_argcheck(L, c.contention >= 0, 2, "contention must not be negative");
	lua_pushnumber(L, (double)a * pool_speed(&c, a) / c.service);
	return 1;
}

/* time, event = sim:step(); nil when the run is over */
static int m_step(lua_State *L)
{
	struct pool *p = topool(L);
	struct pool_event ev;
	int rc = pool_step(p, &ev);
	if (rc < 0)
		return luaL_error(L, "pool simulation: not enough memory");
	if (rc == 0) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushnumber(L, ev.time);
	lua_pushstring(L, pool_event_name(ev.kind));
	return 2;
}

/* sim:run([until]) -> events handled; to the end without an argument */
static int m_run(lua_State *L)
{
	struct pool *p = topool(L);
	double until = luaL_optnumber(L, 2, INFINITY);
	struct pool_state st;
	pool_state(p, &st);
	if (until < st.now)
		return luaL_error(L, "simulated time cannot go backwards (now %f, asked %f)",
				  (lua_Number)st.now, (lua_Number)until);
	int64_t n = pool_run(p, until);
	if (n < 0)
		return luaL_error(L, "pool simulation: not enough memory");
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

static int m_stats(lua_State *L)
{
	struct pool_stats st;
	pool_stats(topool(L), &st);
	pushstats(L, &st);
	return 1;
}

static int m_done(lua_State *L)
{
	struct pool_state st;
	pool_state(topool(L), &st);
	lua_pushboolean(L, st.done);
	return 1;
}

static int m_snapshot(lua_State *L)
{
	struct pool *p = topool(L);
	const struct pool_config *c = pool_config(p);
	struct pool_state st;
	pool_state(p, &st);
	lua_createtable(L, 0, 14);
	setnum(L, "now", st.now);
	setint(L, "size", (uint64_t)c->size);
	setint(L, "idle", st.idle);
	setint(L, "waiting", st.waiting);
	setint(L, "connecting", st.connecting);
	setint(L, "active", st.active);
	setint(L, "in_system", st.in_system);
	setnum(L, "speed", pool_speed(c, (int64_t)st.active));
	setint(L, "requests", st.requests);
	setint(L, "served", st.served);
	setint(L, "timed_out", st.timed_out);
	setint(L, "rejected", st.rejected);
	if (c->clients > 0)
		setint(L, "thinking", st.thinking);
	lua_pushboolean(L, st.done);
	lua_setfield(L, -2, "done");
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct pool *p = topool(L);
	const struct pool_config *c = pool_config(p);
	struct pool_state st;
	pool_state(p, &st);
	char who[64], buf[256];
	if (c->clients > 0)
		snprintf(who, sizeof who, "%lld clients", (long long)c->clients);
	else
		snprintf(who, sizeof who, "%.6g/s", c->rate);
	snprintf(buf, sizeof buf,
		 "lab.pool(%s, size=%lld, cores=%lld) at t=%.6g: %llu active, %llu waiting, "
		 "%llu served, %llu timed out, %llu rejected",
		 who, (long long)c->size, (long long)c->cores, st.now,
		 (unsigned long long)st.active, (unsigned long long)st.waiting,
		 (unsigned long long)st.served, (unsigned long long)st.timed_out,
		 (unsigned long long)st.rejected);
	lua_pushstring(L, buf);
	return 1;
}

static int m_gc(lua_State *L)
{
	struct lpool *lp = luaL_checkudata(L, 1, POOL_T);
	pool_free(lp->p);
	lp->p = NULL;
	return 0;
}

static const luaL_Reg methods[] = {
	{"step", m_step},   {"run", m_run},	      {"stats", m_stats},
	{"done", m_done},   {"snapshot", m_snapshot}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{"__gc", m_gc},
	{NULL, NULL},
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{"simulate", l_simulate},
	{"sweep", l_sweep},
	{"capacity", l_capacity},
	{NULL, NULL},
};

int lab_open_pool(lua_State *L)
{
	lab_newclass(L, POOL_T, methods, metamethods);
	luaL_newlib(L, functions);
	return 1;
}

const struct lab_namespace lab_ns_pool = {.open = lab_open_pool};
