/*
 * pool_lua.c — lab.pool: the Lua binding of pool.h.
 *
 *   local r = lab.pool.simulate{rate = 600, size = 8, cores = 4, service = 0.005}
 *   r.throughput, r.p99, r.little.L, r.little.lambda_W
 *   local s = lab.pool.sweep{sizes = {1, 2, 4, 8, 16, 32, 64}, clients = 100}
 *   local sim = lab.pool.new{...}; sim:step() sim:run(t) sim:stats() sim:snapshot()
 *   lab.pool.capacity(a, {cores = 4, service = 0.005, contention = 0.05})
 *
 * The options are checked twice: their types by the spec, their meaning by
 * pool_config_check (which names the option in its message).
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/pool/pool.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct lpool {
	struct pool *p;
};

static const struct lab_class pool_class;

static struct pool *topool(lua_State *L)
{
	return ((struct lpool *)lab_self(L, &pool_class))->p;
}

#define C(m) LAB_INTO(struct pool_config, m)
#define POOL_OPTS(...)                                                                   \
	{"rate", LAB_NUM, .help = "open: arrivals a second", C(rate)},                    \
	{"clients", LAB_INT, .help = "closed: clients in a loop", C(clients)},            \
	{"think", LAB_NUM, .help = "closed: mean think time, s", C(think)},               \
	__VA_ARGS__,                                                                      \
	{"timeout", LAB_NUM, .num = 30, .flags = LAB_INF, .help = "longest wait, s (math.huge: none)", \
	 C(timeout)},                                                                     \
	{"max_waiting", LAB_INT, .num = -1, .help = "wait queue; -1: unbounded", C(max_waiting)}, \
	{"connect", LAB_NUM, .num = 0.005, .help = "no pool: s to open a connection", C(connect)}, \
	{"cores", LAB_INT, .num = 4, .help = "database cores", C(cores)},                 \
	{"service", LAB_NUM, .num = 0.005, .help = "mean work of a query, s", C(service)}, \
	{"service_dist", LAB_ENUM, .str = "exponential", .choices = "exponential constant", \
	 C(service_dist)},                                                                \
	{"contention", LAB_NUM, .num = 0.05, .help = "slowdown per query beyond the cores", \
	 C(contention)},                                                                  \
	{"max_connections", LAB_INT, .help = "database limit; 0: unlimited", C(max_connections)}, \
	{"duration", LAB_NUM, .num = 60, .help = "arrivals in [0, duration)", C(duration)}, \
	{"warmup", LAB_NUM, .help = "statistics from then on", C(warmup)},                \
	{"seed", LAB_INT, .num = 1, C(seed)}
#define SIZE {"size", LAB_INT, .num = 10, .help = "connections; 0: no pool", C(size)}

static const struct lab_opt pool_opts[] = {POOL_OPTS(SIZE), {NULL}};
static const struct lab_opt sweep_opts[] = {
	POOL_OPTS({"sizes", LAB_TABLE, .required = 1, .help = "pool sizes, e.g. {1, 2, 4, 8}"}),
	{NULL},
};

/* Reads the options at 1 for WHO into C (pushes their box) and checks them. */
static void readconfig(lua_State *L, const char *who, const struct lab_opt *spec,
		       struct pool_config *c)
{
	memset(c, 0, sizeof *c);
	lab_opts_into(L, 1, who, spec, c, 0);
	const char *why = pool_config_check(c);
	if (why)
		luaL_error(L, "%s: %s", who, why);
}

/* Pushes a new simulation object running C.                        [-0, +1] */
static struct pool *newpool(lua_State *L, const struct pool_config *c, const char *who)
{
	struct lpool *lp = lab_newobj(L, &pool_class, sizeof *lp);
	const char *why = NULL;
	if (!(lp->p = pool_new(c, &why)))
		lab_fail(L, "%s: %s", who, why);
	return lp->p;
}

#define S(m) LAB_F(struct pool_stats, m)
#define SS(m) LAB_FAS(#m, struct pool_stats, state.m)
static const struct lab_field stats_fields[] = {
	LAB_FAS("now", struct pool_stats, state.now), SS(requests), SS(served), SS(timed_out),
	SS(rejected), S(window), S(arrivals), S(completed), S(throughput), S(arrival_rate),
	LAB_FAS("in_system", struct pool_stats, L), S(mean_waiting), S(mean_active),
	LAB_FOPT(struct pool_stats, wait_mean), LAB_FOPT(struct pool_stats, latency_mean),
	LAB_FOPT(struct pool_stats, p50), LAB_FOPT(struct pool_stats, p95),
	LAB_FOPT(struct pool_stats, p99), LAB_FOPT(struct pool_stats, latency_max), {NULL},
};
static const struct lab_field little_fields[] = {
	S(L), LAB_FAS("lambda", struct pool_stats, arrival_rate), S(W), S(lambda_W), {NULL},
};

/* Pushes the statistics of P so far. */
static void pushstats(lua_State *L, struct pool *p)
{
	struct pool_stats st;
	pool_stats(p, &st);
	lab_pushfields(L, &st, stats_fields);
	lab_pushfields(L, &st, little_fields);
	lab_setnum(L, "error", st.L > 0 ? fabs(st.L - st.lambda_W) / st.L : 0);
	lua_setfield(L, -2, "little");
}

/* Runs P to the end (stopped by the sandbox's limits, if it must). */
static void runall(lua_State *L, struct pool *p, const char *who)
{
	if (pool_run(p, INFINITY) < 0)
		lab_fail(L, "%s: not enough memory", who);
}

static int l_new(lua_State *L)
{
	struct pool_config c;
	lua_settop(L, 1);
	readconfig(L, "lab.pool.new", pool_opts, &c);
	newpool(L, &c, "lab.pool.new");
	return 1;
}

static int l_simulate(lua_State *L)
{
	struct pool_config c;
	lua_settop(L, 1);
	readconfig(L, "lab.pool.simulate", pool_opts, &c);
	struct pool *p = newpool(L, &c, "lab.pool.simulate");
	runall(L, p, "lab.pool.simulate");
	pushstats(L, p);
	return 1;
}

/* lab.pool.sweep{sizes = {...}, ...} -> plot-ready series, one entry per size */
static int l_sweep(lua_State *L)
{
	static const char *const series[] = {"throughput", "p50", "p95", "p99", "latency_mean",
					     "in_system", "served", "timed_out", "rejected"};
	enum { NSERIES = sizeof series / sizeof series[0] };
	const char *who = "lab.pool.sweep";
	struct pool_config c;
	lua_settop(L, 1);
	memset(&c, 0, sizeof c);
	lab_opts_into(L, 1, who, sweep_opts, &c, 0); /* 2: box */
	size_t n;
	double *sizes = lab_checknums(L, (lab_optpush(L, 1, "sizes"), -1), "lab.pool.sweep: sizes",
				      &n);           /* 3: sizes, 4: scratch */
	if (n == 0)
		return luaL_error(L, "%s: sizes must list pool sizes (0 = no pool), e.g. "
				     "{1, 2, 4, 8, 16, 32, 64}", who);
	lua_createtable(L, 0, NSERIES + 2);         /* 5: result */
	lua_createtable(L, (int)n, 0);
	lua_setfield(L, 5, "sizes");
	for (int k = 0; k < NSERIES; k++) {
		lua_createtable(L, (int)n, 0);
		lua_setfield(L, 5, series[k]);
	}
	lua_createtable(L, (int)n, 0);              /* 6: results */
	for (size_t i = 0; i < n; i++) {
		if (sizes[i] != floor(sizes[i]) || !(fabs(sizes[i]) < 1e9))
			return luaL_error(L, "%s: sizes[%d] must be an integer", who, (int)i + 1);
		c.size = (int64_t)sizes[i];
		lua_getfield(L, 5, "sizes");
		lua_pushinteger(L, c.size);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* sizes[i+1] = the size */
		lua_pop(L, 1);
		const char *why = pool_config_check(&c);
		if (why)
			return luaL_error(L, "%s (size %d): %s", who, (int)c.size, why);
		struct pool *p = newpool(L, &c, who); /* 7: the run */
		runall(L, p, who);
		pushstats(L, p);                    /* 8: its stats */
		lab_setint(L, "size", c.size);
		for (int k = 0; k < NSERIES; k++) {
			lua_getfield(L, 5, series[k]); /* push the series */
			if (lua_getfield(L, 8, series[k]) == LUA_TNIL) { /* push value */
				lua_pop(L, 1);
				lua_pushnumber(L, NAN); /* nothing served: NaN */
			}
			lua_rawseti(L, -2, (lua_Integer)i + 1);
			lua_pop(L, 1);              /* remove the series */
		}
		lua_rawseti(L, 6, (lua_Integer)i + 1); /* results[i+1] = stats */
		lua_pop(L, 1);                      /* remove the run */
	}
	lua_setfield(L, 5, "results");
	return 1;
}

static const struct lab_opt capacity_opts[] = {
	{"cores", LAB_INT, .num = 4, .min = 1, .max = 100000, C(cores)},
	{"service", LAB_NUM, .num = 0.005, .min = 0, .max = INFINITY, .flags = LAB_ABOVE,
	 C(service)},
	{"contention", LAB_NUM, .num = 0.05, .min = 0, .max = INFINITY, C(contention)},
	{NULL},
};

/* lab.pool.capacity(a, {cores, service, contention}) -> a * s(a) / service */
static int l_capacity(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1);
	luaL_argcheck(L, a >= 0, 1, "the number of queries running must not be negative");
	struct pool_config c = {0};
	lab_opts_into(L, 2, "lab.pool.capacity", capacity_opts, &c, 0);
	lua_pushnumber(L, (double)a * pool_speed(&c, a) / c.service);
	return 1;
}

/* time, event = sim:step(); nil when the run is over */
static int m_step(lua_State *L)
{
	struct pool_event ev;
	int rc = pool_step(topool(L), &ev);
	if (rc < 0)
		return lab_fail(L, "lab.pool: not enough memory");
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
	if (!(until >= st.now))
		return luaL_error(L, "simulated time cannot go backwards (now %f, asked %f)",
				  (lua_Number)st.now, (lua_Number)until);
	int64_t n = pool_run(p, until);
	if (n < 0)
		return lab_fail(L, "lab.pool: not enough memory");
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

static int m_stats(lua_State *L)
{
	pushstats(L, topool(L));
	return 1;
}

static int m_done(lua_State *L)
{
	struct pool_state st;
	pool_state(topool(L), &st);
	lua_pushboolean(L, st.done);
	return 1;
}

#define T(m) LAB_F(struct pool_state, m)
static const struct lab_field state_fields[] = {
	T(now), T(idle), T(waiting), T(connecting), T(active), T(in_system), T(requests), T(served),
	T(timed_out), T(rejected), LAB_FBOOL(struct pool_state, done), {NULL},
};

static int m_snapshot(lua_State *L)
{
	struct pool *p = topool(L);
	const struct pool_config *c = pool_config(p);
	struct pool_state st;
	pool_state(p, &st);
	lab_pushfields(L, &st, state_fields);
	lab_setint(L, "size", c->size);
	lab_setnum(L, "speed", pool_speed(c, (int64_t)st.active));
	if (c->clients > 0)
		lab_setint(L, "thinking", (lua_Integer)st.thinking);
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

static void free_pool(void *obj)
{
	pool_free(((struct lpool *)obj)->p);
}

static const luaL_Reg methods[] = {
	{"step", m_step}, {"run", m_run},           {"stats", m_stats},
	{"done", m_done}, {"snapshot", m_snapshot}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {{"__tostring", m_tostring}, {NULL, NULL}};

static const struct lab_class pool_class = {.name = "lab.pool", .methods = methods,
					    .metamethods = metamethods, .free = free_pool};

static const luaL_Reg functions[] = {
	{"new", l_new},     {"simulate", l_simulate}, {"sweep", l_sweep},
	{"capacity", l_capacity}, {NULL, NULL},
};

const struct lab_namespace lab_ns_pool = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&pool_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", pool_opts}, {"simulate", pool_opts},
					       {"sweep", sweep_opts}, {"capacity", capacity_opts},
					       {NULL, NULL}},
};
