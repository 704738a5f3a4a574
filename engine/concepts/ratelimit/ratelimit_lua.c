/*
 * ratelimit_lua.c — lab.ratelimit: the Lua binding of ratelimit.h and ratesim.h.
 *
 *   local tb = lab.ratelimit.token_bucket{rate = 10, burst = 5}
 *   local ok, remaining, retry_after = tb:allow(now [, n])
 *   tb:peek(now [, n])  tb:detail()  tb:snapshot()  tb:reset()
 *   lab.ratelimit.new{algorithm = "gcra", rate = 1, burst = 5}
 *   lab.ratelimit.simulate{limiter = {...}, arrivals = {...}}
 *
 * Every parameter an algorithm takes is required, and one it does not take
 * is an error, so a learner's limiter and the reference are never silently
 * configured differently.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/ratelimit/ratelimit.h"
#include "engine/concepts/ratelimit/ratesim.h"

#include <math.h>
#include <string.h>

struct lrl {
	struct ratelimit *rl;
};

static const struct lab_class rl_class;

static struct ratelimit *torl(lua_State *L)
{
	return ((struct lrl *)lab_self(L, &rl_class))->rl;
}

#define ALGORITHMS "token_bucket leaky_bucket leaky_queue fixed_window sliding_log " \
		   "sliding_window gcra"
#define C(m) LAB_INTO(struct ratelimit_config, m)
#define ALGORITHM {"algorithm", LAB_ENUM, .required = 1, .choices = ALGORITHMS, C(algorithm)}
#define RATE {"rate", LAB_NUM, .required = 1, .help = "units a second", C(rate)}
#define BURST {"burst", LAB_INT, .required = 1, .help = "the most units at once", C(burst)}
#define CAPACITY {"capacity", LAB_INT, .required = 1, .help = "the bucket's size", C(capacity)}
#define LIMIT {"limit", LAB_INT, .required = 1, .help = "units a window", C(limit)}
#define WINDOW {"window", LAB_NUM, .required = 1, .help = "seconds", C(window)}

/* The options of each shape of algorithm; the named constructors skip the
 * first (algorithm), lab.ratelimit.new reads it. */
static const struct lab_opt rate_burst[] = {ALGORITHM, RATE, BURST, {NULL}};
static const struct lab_opt rate_capacity[] = {ALGORITHM, RATE, CAPACITY, {NULL}};
static const struct lab_opt limit_window[] = {ALGORITHM, LIMIT, WINDOW, {NULL}};

static const struct lab_opt *spec_of(enum ratelimit_algorithm a)
{
	unsigned p = ratelimit_params(a);
	return p & RATELIMIT_P_BURST ? rate_burst : p & RATELIMIT_P_CAPACITY ? rate_capacity
									: limit_window;
}

/*
 * Reads the configuration in the table at IDX into CFG: with NAMED, for the
 * constructor of algorithm A (no `algorithm` key); else with one. Pushes
 * the options' box.                                                [-0, +1]
 */
static void readconfig(lua_State *L, int idx, const char *who, int named,
		       enum ratelimit_algorithm a, struct ratelimit_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	if (!named) {                          /* the algorithm first, to know the rest */
		lab_optpush(L, idx, "algorithm");
		a = (enum ratelimit_algorithm)lab_choice(L, -1, who, "option 'algorithm'", ALGORITHMS);
		lua_pop(L, 1);
	}
	lab_opts_into(L, idx, who, spec_of(a) + named, cfg, 0);
	cfg->algorithm = a;
	const char *why = ratelimit_config_check(cfg);
	if (why)
		luaL_error(L, "%s: %s", who, why);
}

static int pushlimiter(lua_State *L, const struct ratelimit_config *cfg, const char *who)
{
	struct lrl *l = lab_newobj(L, &rl_class, sizeof *l);
	const char *why = NULL;
	if (!(l->rl = ratelimit_new(cfg, &why)))
		return lab_fail(L, "%s: %s", who, why);
	return 1;
}

static int l_new(lua_State *L)
{
	struct ratelimit_config cfg;
	lua_settop(L, 1);
	luaL_checktype(L, 1, LUA_TTABLE);
	readconfig(L, 1, "lab.ratelimit.new", 0, 0, &cfg);
	return pushlimiter(L, &cfg, "lab.ratelimit.new");
}

/* lab.ratelimit.token_bucket{...} and the others: the algorithm is upvalue 1. */
static int l_named(lua_State *L)
{
	enum ratelimit_algorithm a = (enum ratelimit_algorithm)lua_tointeger(L, lua_upvalueindex(1));
	char who[64];
	snprintf(who, sizeof who, "lab.ratelimit.%s", ratelimit_algorithm_name(a));
	struct ratelimit_config cfg;
	lua_settop(L, 1);
	if (!lua_istable(L, 1))
		return luaL_error(L, "%s needs a table of options", who);
	readconfig(L, 1, who, 1, a, &cfg);
	return pushlimiter(L, &cfg, who);
}

/* Raises the error for a negative return of ratelimit_allow/peek. */
static int decide_error(lua_State *L, const struct ratelimit *rl, int err, double now)
{
	if (err == RATELIMIT_EBACKWARDS) {
		struct ratelimit_state st;
		ratelimit_state(rl, &st);
		return luaL_error(L, "time went backwards: now %f is earlier than the last call "
				     "at %f", (lua_Number)now, (lua_Number)st.last);
	}
	return luaL_error(L, "%s", ratelimit_strerror(err));
}

/* Makes the call (now [, n]) of arguments 2 and 3: ratelimit_allow with
 * ALLOW, else ratelimit_peek. Returns whether it was allowed. */
static int decide(lua_State *L, int allow, struct ratelimit_result *res)
{
	struct ratelimit *rl = torl(L);
	double now = luaL_checknumber(L, 2);
	lua_Integer n = luaL_optinteger(L, 3, 1);
	luaL_argcheck(L, n >= 0, 3, "n must be a non-negative integer");
	int ok = allow ? ratelimit_allow(rl, now, n, res) : ratelimit_peek(rl, now, n, res);
	if (ok < 0)
		decide_error(L, rl, ok, now);
	return ok;
}

/* ok, remaining, retry_after = lim:allow(now [, n]) */
static int m_allow(lua_State *L)
{
	struct ratelimit_result res;
	lua_pushboolean(L, decide(L, 1, &res));
	lua_pushinteger(L, (lua_Integer)res.remaining);
	lua_pushnumber(L, res.retry_after);
	return 3;
}

#define RF(m) LAB_F(struct ratelimit_result, m)
static const struct lab_field result_fields[] = {
	LAB_FBOOL(struct ratelimit_result, allowed), RF(now), RF(n), RF(limit), RF(remaining),
	RF(retry_after), RF(reset_after), {NULL},
};

static void pushresult(lua_State *L, const struct ratelimit *rl, const struct ratelimit_result *r)
{
	lab_pushfields(L, r, result_fields);
	if (ratelimit_config(rl)->algorithm == RATELIMIT_LEAKY_QUEUE)
		lab_setnum(L, "delay", r->delay);
}

/* lim:peek(now [, n]) -> the detail table of a call, without making it */
static int m_peek(lua_State *L)
{
	struct ratelimit_result res;
	decide(L, 0, &res);
	pushresult(L, torl(L), &res);
	return 1;
}

/* lim:detail() -> the detail table of the last call, or nil before the first */
static int m_detail(lua_State *L)
{
	struct ratelimit *rl = torl(L);
	struct ratelimit_state st;
	ratelimit_state(rl, &st);
	struct ratelimit_result res;
	ratelimit_last(rl, &res);
	if (!st.started)
		lua_pushnil(L);
	else
		pushresult(L, rl, &res);
	return 1;
}

static int m_reset(lua_State *L)
{
	ratelimit_reset(torl(L));
	return 0;
}

/* Pushes the list of ratelimit_times (the log, or the queue's release times). */
static void pushtimes(lua_State *L, const struct ratelimit *rl)
{
	size_t n = ratelimit_times(rl, NULL, 0);
	double *t = lab_scratch(L, n * sizeof *t); /* push scratch */
	ratelimit_times(rl, t, n);
	lab_pushnums(L, t, n);
	lua_remove(L, -2);                     /* remove scratch */
}

#define SF(m) LAB_F(struct ratelimit_state, m)
static const struct lab_field state_fields[] = {
	LAB_FBOOL(struct ratelimit_state, started), SF(allowed), SF(denied), {NULL},
};
/* What each algorithm adds to its snapshot (started: only once it has). */
static const struct lab_field bucket_fields[] = {SF(tokens), {NULL}};
static const struct lab_field level_fields[] = {SF(level), {NULL}};
static const struct lab_field count_fields[] = {SF(count), {NULL}};
static const struct lab_field queue_fields[] = {SF(queued), {NULL}};
static const struct lab_field sliding_fields[] = {SF(count), SF(previous), SF(estimate), {NULL}};
static const struct lab_field tat_fields[] = {SF(tat), {NULL}};
static const struct lab_field window_fields[] = {SF(window_start), {NULL}};
static const struct lab_field sliding_started[] = {SF(window_start), SF(weight), {NULL}};

static int m_snapshot(lua_State *L)
{
	static const struct lab_field *const always[] = {bucket_fields, level_fields, queue_fields,
							 count_fields, count_fields, sliding_fields,
							 NULL};
	static const struct lab_field *const started[] = {NULL, NULL, tat_fields, window_fields,
							  NULL, sliding_started, tat_fields};
	struct ratelimit *rl = torl(L);
	const struct ratelimit_config *cfg = ratelimit_config(rl);
	struct ratelimit_state st;
	ratelimit_state(rl, &st);
	lab_pushfields(L, &st, state_fields);
	lab_setstr(L, "algorithm", ratelimit_algorithm_name(cfg->algorithm));
	const struct lab_opt *spec = spec_of(cfg->algorithm);
	for (int i = 1; i <= 2; i++) {         /* its parameters */
		double v;
		memcpy(&v, (const char *)cfg + spec[i].into - 1, sizeof v); /* a double... */
		if (spec[i].type == LAB_INT) {  /* ...or an int64_t */
			int64_t k;
			memcpy(&k, (const char *)cfg + spec[i].into - 1, sizeof k);
			lab_setint(L, spec[i].name, k);
		} else {
			lab_setnum(L, spec[i].name, v);
		}
	}
	if (st.started)
		lab_setnum(L, "last", st.last);
	if (always[cfg->algorithm])
		lab_setfields(L, &st, always[cfg->algorithm]);
	if (st.started && started[cfg->algorithm])
		lab_setfields(L, &st, started[cfg->algorithm]);
	if (cfg->algorithm == RATELIMIT_LEAKY_QUEUE || cfg->algorithm == RATELIMIT_SLIDING_LOG) {
		pushtimes(L, rl);
		lua_setfield(L, -2, cfg->algorithm == RATELIMIT_SLIDING_LOG ? "log" : "releases");
	}
	return 1;
}

static int m_tostring(lua_State *L)
{
	char buf[256];
	ratelimit_describe(torl(L), buf, sizeof buf);
	lua_pushstring(L, buf);
	return 1;
}

static void free_rl(void *obj)
{
	ratelimit_free(((struct lrl *)obj)->rl);
}

/* ---- lab.ratelimit.simulate ---- */

#define A(m) LAB_INTO(struct ratesim_config, m)
#define PATTERN {"pattern", LAB_ENUM, .required = 1, .choices = "constant poisson burst trace", \
		 A(pattern)}
#define START {"start", LAB_NUM, .help = "first arrival, s", A(start)}
#define DURATION {"duration", LAB_NUM, .help = "nothing arrives from then on, s", A(duration)}
/* The options of each pattern, in enum ratesim_pattern order. */
static const struct lab_opt constant_opts[] = {
	PATTERN, {"rate", LAB_NUM, .help = "requests a second", A(rate)}, DURATION, START, {NULL}};
static const struct lab_opt poisson_opts[] = {
	PATTERN, {"rate", LAB_NUM, .help = "requests a second", A(rate)}, DURATION, START,
	{"seed", LAB_INT, .num = 1, A(seed)}, {NULL}};
static const struct lab_opt burst_opts[] = {
	PATTERN, {"size", LAB_INT, .help = "requests at one instant", A(size)},
	{"every", LAB_NUM, .help = "seconds between bursts", A(every)}, DURATION, START, {NULL}};
static const struct lab_opt trace_opts[] = {
	PATTERN, {"times", LAB_TABLE, .required = 1, .help = "arrival times, s"}, DURATION, {NULL}};
static const struct lab_opt *const patterns[] = {constant_opts, poisson_opts, burst_opts,
						 trace_opts};

/* Reads the arrivals (at IDX) into C; a trace's times go to a scratch array
 * it leaves on the stack. */
static void readarrivals(lua_State *L, int idx, struct ratesim_config *c)
{
	const char *who = "lab.ratelimit.simulate: arrivals";
	idx = lua_absindex(L, idx);
	if (!lua_istable(L, idx))
		luaL_error(L, "%s must be a table, not %s", who, luaL_typename(L, idx));
	int times = idx;
	if (lab_optpush(L, idx, "pattern") == LUA_TNIL) { /* a plain list of times */
		lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
		for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
			if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 ||
			    lua_tointeger(L, -2) > n)
				luaL_error(L, "%s must be a list of times, or a table with pattern = "
					      "\"constant\", \"poisson\", \"burst\" or \"trace\"", who);
		c->pattern = RATESIM_TRACE;
	} else {
		int p = lab_choice(L, -1, who, "pattern", "constant poisson burst trace");
		char whom[80];
		snprintf(whom, sizeof whom, "%s (%s)", who, lua_tostring(L, -1));
		lab_opts_into(L, idx, whom, patterns[p], c, 0); /* push box */
		lab_optpush(L, idx, "times");  /* push times */
		times = lua_gettop(L);
	}
	if (c->pattern == RATESIM_TRACE)
		c->times = lab_checknums(L, times, "lab.ratelimit.simulate: arrivals", &c->ntimes); /* push scratch */
}

static const struct lab_opt simulate_opts[] = {
	{"limiter", LAB_ANY, .required = 1, .help = "a limiter, or its options with algorithm ="},
	{"arrivals", LAB_ANY, .required = 1,
	 .help = "a list of times, or {pattern = \"poisson\"|\"constant\"|\"burst\"|\"trace\", ...}"},
	{"cost", LAB_INT, .num = 1, .help = "units each request asks for", A(cost)},
	{"interval", LAB_NUM, .num = 1, .help = "seconds per point of the series", A(interval)},
	{"peak_window", LAB_NUM, .str = "the window, or 1", .help = "span of the peak count, s",
	 A(peak_window)},
	{NULL},
};

#define R(m) LAB_F(struct ratesim_result, m)
static const struct lab_field sim_fields[] = {
	R(requests), R(allowed), R(denied), R(interval), R(peak), {NULL},
};

static void free_sim(void *r)
{
	ratesim_result_free(r);
}

static int l_simulate(lua_State *L)
{
	const char *who = "lab.ratelimit.simulate";
	lua_settop(L, 1);
	struct ratesim_config c;
	memset(&c, 0, sizeof c);
	const struct lab_val *o = lab_opts_into(L, 1, who, simulate_opts, &c, 0); /* 2 */
	lab_optpush(L, 1, "limiter");          /* 3: limiter */
	struct lrl *l = lab_testobj(L, 3, &rl_class);
	if (l) {
		c.limiter = *ratelimit_config(l->rl); /* a fresh copy; the object is untouched */
	} else if (lua_istable(L, 3)) {
		readconfig(L, 3, "lab.ratelimit.simulate: limiter", 0, 0, &c.limiter);
	} else {
		return luaL_error(L, "%s: option 'limiter' must be a table of options (with "
				     "algorithm = ...) or a limiter", who);
	}
	lab_optpush(L, 1, "arrivals");
	readarrivals(L, -1, &c);
	if (!o[4].set)
		c.peak_window = ratelimit_params(c.limiter.algorithm) & RATELIMIT_P_WINDOW
			? c.limiter.window : 1.0;
	struct ratesim_result *r = lab_holder(L, sizeof *r, free_sim); /* push holder */
	const char *why = NULL;
	if (ratesim_run(&c, r, &why) < 0)
		return lab_fail(L, "%s: %s", who, why);
	lab_pushfields(L, r, sim_fields);      /* push result */
	lab_setstr(L, "algorithm", ratelimit_algorithm_name(c.limiter.algorithm));
	lab_setnum(L, "peak_window", c.peak_window);
	if (r->peak > 0) {
		lab_setnum(L, "peak_first", r->peak_first);
		lab_setnum(L, "peak_last", r->peak_last);
	}
	if (c.limiter.algorithm == RATELIMIT_LEAKY_QUEUE) {
		lab_setnum(L, "delay_mean", r->delay_mean);
		lab_setnum(L, "delay_max", r->delay_max);
	}
	lua_createtable(L, 0, 3);              /* push series */
	lua_createtable(L, (int)r->intervals, 0);
	for (size_t i = 0; i < r->intervals; i++) {
		lua_pushnumber(L, (double)i * r->interval);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* time[i+1] = start of interval i */
	}
	lua_setfield(L, -2, "time");
	LAB_ARRAY(L, r->allowed_series, r->intervals);
	lua_setfield(L, -2, "allowed");
	LAB_ARRAY(L, r->denied_series, r->intervals);
	lua_setfield(L, -2, "denied");
	lua_setfield(L, -2, "series");
	return 1;
}

static const luaL_Reg methods[] = {
	{"allow", m_allow},       {"peek", m_peek},   {"detail", m_detail},
	{"snapshot", m_snapshot}, {"reset", m_reset}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {{"__tostring", m_tostring}, {NULL, NULL}};

static const struct lab_class rl_class = {.name = "lab.ratelimit", .methods = methods,
					  .metamethods = metamethods, .free = free_rl};

/* The named constructors, and lab.ratelimit.algorithms. */
static void fields(lua_State *L)
{
	lua_createtable(L, RATELIMIT_NALGORITHMS, 0); /* push algorithms, in order */
	for (int i = 0; i < RATELIMIT_NALGORITHMS; i++) {
		const char *name = ratelimit_algorithm_name((enum ratelimit_algorithm)i);
		lua_pushinteger(L, i);
		lua_pushcclosure(L, l_named, 1);      /* constructor with its algorithm */
		lua_setfield(L, -3, name);            /* lab.ratelimit[name] = constructor */
		lua_pushstring(L, name);
		lua_rawseti(L, -2, i + 1);            /* algorithms[i+1] = name */
	}
	lua_setfield(L, -2, "algorithms");
}

const struct lab_namespace lab_ns_ratelimit = {
	.functions = (const luaL_Reg[]){{"new", l_new}, {"simulate", l_simulate}, {NULL, NULL}},
	.fields = fields,
	.classes = (const struct lab_class *const[]){&rl_class, NULL},
	.options = (const struct lab_fnopts[]){{"token_bucket", rate_burst + 1},
					       {"gcra", rate_burst + 1},
					       {"leaky_bucket", rate_capacity + 1},
					       {"leaky_queue", rate_capacity + 1},
					       {"fixed_window", limit_window + 1},
					       {"sliding_log", limit_window + 1},
					       {"sliding_window", limit_window + 1},
					       {"simulate", simulate_opts},
					       {"simulate constant", constant_opts + 1},
					       {"simulate poisson", poisson_opts + 1},
					       {"simulate burst", burst_opts + 1},
					       {"simulate trace", trace_opts + 1},
					       {NULL, NULL}},
};
