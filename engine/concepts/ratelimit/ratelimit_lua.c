/*
 * ratelimit_lua.c — lab.ratelimit: the Lua binding of ratelimit.h and ratesim.h.
 *
 *   local tb = lab.ratelimit.token_bucket{rate = 10, burst = 5}
 *   local ok, remaining, retry_after = tb:allow(now [, n])
 *   tb:peek(now [, n])  tb:detail()  tb:snapshot()  tb:reset()
 *   lab.ratelimit.new{algorithm = "gcra", rate = 1, burst = 5}
 *   lab.ratelimit.simulate{limiter = {...}, arrivals = {...}}
 *
 * Options are checked strictly: an option the algorithm does not take (a
 * misspelling, or `burst` for a window) is an error rather than ignored, so
 * that a learner's limiter and the reference are never silently configured
 * differently.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/ratelimit/ratelimit.h"
#include "engine/concepts/ratelimit/ratesim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define RATELIMIT_T "lab.ratelimit"
#define SIMULATION_T "lab.ratelimit.simulation" /* holds a ratesim_result while it is read */

struct lratelimit {
	struct ratelimit *rl; /* NULL once collected */
};

/* The parameters, as option names and RATELIMIT_P_* bits, in display order. */
static const struct param {
	const char *name;
	unsigned bit;
	const char *meaning;
} params[] = {
	{"rate", RATELIMIT_P_RATE, "units a second"},
	{"burst", RATELIMIT_P_BURST, "the most units at once"},
	{"capacity", RATELIMIT_P_CAPACITY, "the bucket's size"},
	{"limit", RATELIMIT_P_LIMIT, "units a window"},
	{"window", RATELIMIT_P_WINDOW, "seconds"},
	{NULL, 0, NULL},
};

static struct ratelimit *torl(lua_State *L)
{
	struct lratelimit *l = luaL_checkudata(L, 1, RATELIMIT_T);
	if (!l->rl)
		luaL_error(L, "rate limiter is closed");
	return l->rl;
}

/* "rate = units a second, burst = the most units at once" for algorithm A. */
static void pushneeds(lua_State *L, enum ratelimit_algorithm a)
{
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (const struct param *p = params; p->name; p++) {
		if (!(ratelimit_params(a) & p->bit))
			continue;
		if (luaL_bufflen(&b) > 0)
			luaL_addstring(&b, ", ");
		luaL_addstring(&b, p->name);
		luaL_addstring(&b, " (");
		luaL_addstring(&b, p->meaning);
		luaL_addstring(&b, ")");
	}
	luaL_pushresult(&b);           /* push the list */
}

/*
 * Reads the configuration of algorithm A from the options table at IDX.
 * Every parameter the algorithm takes is required; any other key (except
 * `algorithm` when ALLOW_ALGORITHM) is an error.
 */
static void readconfig(lua_State *L, int idx, enum ratelimit_algorithm a,
		       struct ratelimit_config *cfg, int allow_algorithm)
{
	const char *name = ratelimit_algorithm_name(a);
	unsigned need = ratelimit_params(a);
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_pushnil(L);                /* first key */
	while (lua_next(L, idx)) {
		lua_pop(L, 1);         /* remove value, keep key */
		if (lua_type(L, -1) != LUA_TSTRING) {
			pushneeds(L, a);
			luaL_error(L, "%s takes named options: %s", name, lua_tostring(L, -1));
		}
		const char *k = lua_tostring(L, -1);
		if (allow_algorithm && strcmp(k, "algorithm") == 0)
			continue;
		const struct param *p = params;
		while (p->name && !(strcmp(p->name, k) == 0 && (need & p->bit)))
			p++;
		if (!p->name) {
			pushneeds(L, a);
			luaL_error(L, "%s does not take option '%s'; it takes %s", name, k,
				   lua_tostring(L, -1));
		}
	}
	for (const struct param *p = params; p->name; p++) {
		if (!(need & p->bit))
			continue;
		lua_getfield(L, idx, p->name); /* push value */
		int missing = lua_isnil(L, -1);
		lua_pop(L, 1);                 /* remove value */
		if (missing) {
			pushneeds(L, a);
			luaL_error(L, "%s needs option '%s'; it takes %s", name, p->name,
				   lua_tostring(L, -1));
		}
	}
	memset(cfg, 0, sizeof *cfg);
	cfg->algorithm = a;
	cfg->rate = lab_optnum(L, idx, "rate", 0);
	cfg->burst = lab_optint(L, idx, "burst", 0);
	cfg->capacity = lab_optint(L, idx, "capacity", 0);
	cfg->limit = lab_optint(L, idx, "limit", 0);
	cfg->window = lab_optnum(L, idx, "window", 0);
	const char *why = ratelimit_config_check(cfg);
	if (why)
		luaL_error(L, "%s: %s", name, why);
}

/* The algorithm named by field `algorithm` of the table at IDX. */
static enum ratelimit_algorithm readalgorithm(lua_State *L, int idx)
{
	const char *s = lab_optstr(L, idx, "algorithm", NULL);
	enum ratelimit_algorithm a;
	if (!s || ratelimit_algorithm_parse(s, &a) < 0) {
		luaL_Buffer b;
		luaL_buffinit(L, &b);
		for (int i = 0; i < RATELIMIT_NALGORITHMS; i++) {
			luaL_addstring(&b, i ? ", " : "");
			luaL_addstring(&b, ratelimit_algorithm_name((enum ratelimit_algorithm)i));
		}
		luaL_pushresult(&b);   /* push the names */
		luaL_error(L, "option 'algorithm' must be one of %s", lua_tostring(L, -1));
	}
	return a;
}

static int pushlimiter(lua_State *L, const struct ratelimit_config *cfg)
{
	struct lratelimit *l = lua_newuserdatauv(L, sizeof *l, 0);
	l->rl = NULL;
	luaL_setmetatable(L, RATELIMIT_T);
	const char *why = NULL;
	l->rl = ratelimit_new(cfg, &why);
	if (!l->rl)
		return luaL_error(L, "%s: %s", ratelimit_algorithm_name(cfg->algorithm), why);
	return 1;
}

/* lab.ratelimit.new{algorithm = NAME, ...} */
static int l_new(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	struct ratelimit_config cfg;
	readconfig(L, 1, readalgorithm(L, 1), &cfg, 1);
	return pushlimiter(L, &cfg);
}

/* lab.ratelimit.token_bucket{...} and the others: the algorithm is upvalue 1. */
static int l_named(lua_State *L)
{
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(1));
	enum ratelimit_algorithm a = (enum ratelimit_algorithm)i;
	if (!lua_istable(L, 1)) {
		pushneeds(L, a);
		return luaL_error(L, "lab.ratelimit.%s needs a table of options: %s",
				  ratelimit_algorithm_name(a), lua_tostring(L, -1));
	}
	struct ratelimit_config cfg;
	readconfig(L, 1, a, &cfg, 0);
	return pushlimiter(L, &cfg);
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

/* Reads the (now [, n]) arguments at 2 and 3. */
static void readcall(lua_State *L, double *now, int64_t *n)
{
	*now = luaL_checknumber(L, 2);
	lua_Integer k = luaL_optinteger(L, 3, 1);
	luaL_argcheck(L, k >= 0, 3, "n must be a non-negative integer");
	*n = k;
}

/* ok, remaining, retry_after = lim:allow(now [, n]) */
static int m_allow(lua_State *L)
{
	struct ratelimit *rl = torl(L);
	double now;
	int64_t n;
	readcall(L, &now, &n);
	struct ratelimit_result res;
	int ok = ratelimit_allow(rl, now, n, &res);
	if (ok < 0)
		return decide_error(L, rl, ok, now);
	lua_pushboolean(L, ok);
	lua_pushinteger(L, (lua_Integer)res.remaining);
	lua_pushnumber(L, res.retry_after);
	return 3;
}

static void setnum(lua_State *L, const char *k, double v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, k);        /* t[k] = v */
}

static void setint(lua_State *L, const char *k, int64_t v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, k);        /* t[k] = v */
}

static void pushresult(lua_State *L, const struct ratelimit *rl,
		       const struct ratelimit_result *res)
{
	lua_createtable(L, 0, 9);
	lua_pushboolean(L, res->allowed);
	lua_setfield(L, -2, "allowed");
	setnum(L, "now", res->now);
	setint(L, "n", res->n);
	setint(L, "limit", res->limit);
	setint(L, "remaining", res->remaining);
	setnum(L, "retry_after", res->retry_after);
	setnum(L, "reset_after", res->reset_after);
	if (ratelimit_config(rl)->algorithm == RATELIMIT_LEAKY_QUEUE)
		setnum(L, "delay", res->delay);
}

/* lim:peek(now [, n]) -> the detail table of a call, without making it */
static int m_peek(lua_State *L)
{
	struct ratelimit *rl = torl(L);
	double now;
	int64_t n;
	readcall(L, &now, &n);
	struct ratelimit_result res;
	int ok = ratelimit_peek(rl, now, n, &res);
	if (ok < 0)
		return decide_error(L, rl, ok, now);
	pushresult(L, rl, &res);
	return 1;
}

/* lim:detail() -> the detail table of the last call, or nil before the first */
static int m_detail(lua_State *L)
{
	struct ratelimit *rl = torl(L);
	struct ratelimit_state st;
	ratelimit_state(rl, &st);
	if (!st.started) {
		lua_pushnil(L);
	} else {
		struct ratelimit_result res;
		ratelimit_last(rl, &res);
		pushresult(L, rl, &res);
	}
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
	/* scratch owned by Lua, so an error cannot leak it */
	double *t = lua_newuserdatauv(L, n * sizeof *t + 1, 0);
	ratelimit_times(rl, t, n);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushnumber(L, t[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* list[i+1] = time */
	}
	lua_remove(L, -2);             /* remove scratch */
}

static int m_snapshot(lua_State *L)
{
	struct ratelimit *rl = torl(L);
	const struct ratelimit_config *cfg = ratelimit_config(rl);
	struct ratelimit_state st;
	ratelimit_state(rl, &st);
	lua_createtable(L, 0, 12);
	lua_pushstring(L, ratelimit_algorithm_name(cfg->algorithm));
	lua_setfield(L, -2, "algorithm");
	unsigned p = ratelimit_params(cfg->algorithm);
	if (p & RATELIMIT_P_RATE)
		setnum(L, "rate", cfg->rate);
	if (p & RATELIMIT_P_BURST)
		setint(L, "burst", cfg->burst);
	if (p & RATELIMIT_P_CAPACITY)
		setint(L, "capacity", cfg->capacity);
	if (p & RATELIMIT_P_LIMIT)
		setint(L, "limit", cfg->limit);
	if (p & RATELIMIT_P_WINDOW)
		setnum(L, "window", cfg->window);
	lua_pushboolean(L, st.started);
	lua_setfield(L, -2, "started");
	if (st.started)
		setnum(L, "last", st.last);
	setint(L, "allowed", (int64_t)st.allowed);
	setint(L, "denied", (int64_t)st.denied);
	switch (cfg->algorithm) {
	case RATELIMIT_TOKEN_BUCKET:
		setnum(L, "tokens", st.tokens);
		break;
	case RATELIMIT_LEAKY_BUCKET:
		setnum(L, "level", st.level);
		break;
	case RATELIMIT_GCRA:
		if (st.started)
			setnum(L, "tat", st.tat);
		break;
	case RATELIMIT_LEAKY_QUEUE:
		if (st.started)
			setnum(L, "tat", st.tat);
		setint(L, "queued", st.queued);
		pushtimes(L, rl);
		lua_setfield(L, -2, "releases");
		break;
	case RATELIMIT_FIXED_WINDOW:
		if (st.started)
			setnum(L, "window_start", st.window_start);
		setint(L, "count", st.count);
		break;
	case RATELIMIT_SLIDING_WINDOW:
		if (st.started) {
			setnum(L, "window_start", st.window_start);
			setnum(L, "weight", st.weight);
		}
		setint(L, "count", st.count);
		setint(L, "previous", st.previous);
		setnum(L, "estimate", st.estimate);
		break;
	case RATELIMIT_SLIDING_LOG:
		setint(L, "count", st.count);
		pushtimes(L, rl);
		lua_setfield(L, -2, "log");
		break;
	default:
		break;
	}
	return 1;
}

static double paramvalue(const struct ratelimit_config *cfg, unsigned bit)
{
	switch (bit) {
	case RATELIMIT_P_RATE:
		return cfg->rate;
	case RATELIMIT_P_BURST:
		return (double)cfg->burst;
	case RATELIMIT_P_CAPACITY:
		return (double)cfg->capacity;
	case RATELIMIT_P_LIMIT:
		return (double)cfg->limit;
	default:
		return cfg->window;
	}
}

static int m_tostring(lua_State *L)
{
	struct ratelimit *rl = torl(L);
	const struct ratelimit_config *cfg = ratelimit_config(rl);
	struct ratelimit_state st;
	ratelimit_state(rl, &st);
	char buf[256];
	int len = snprintf(buf, sizeof buf, "lab.ratelimit.%s{",
			   ratelimit_algorithm_name(cfg->algorithm));
	const char *sep = "";
	for (const struct param *p = params; p->name; p++) {
		if (!(ratelimit_params(cfg->algorithm) & p->bit))
			continue;
		len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%s=%.6g", sep, p->name,
				paramvalue(cfg, p->bit));
		sep = ", ";
	}
	len += snprintf(buf + len, sizeof buf - (size_t)len, "}");
	if (!st.started) {
		snprintf(buf + len, sizeof buf - (size_t)len, ": idle");
	} else {
		len += snprintf(buf + len, sizeof buf - (size_t)len, " at t=%.6g: ", st.last);
		switch (cfg->algorithm) {
		case RATELIMIT_TOKEN_BUCKET:
			len += snprintf(buf + len, sizeof buf - (size_t)len, "%.6g tokens",
					st.tokens);
			break;
		case RATELIMIT_LEAKY_BUCKET:
			len += snprintf(buf + len, sizeof buf - (size_t)len, "level %.6g",
					st.level);
			break;
		case RATELIMIT_GCRA:
			len += snprintf(buf + len, sizeof buf - (size_t)len, "tat %.6g", st.tat);
			break;
		case RATELIMIT_LEAKY_QUEUE:
			len += snprintf(buf + len, sizeof buf - (size_t)len, "%lld queued",
					(long long)st.queued);
			break;
		case RATELIMIT_SLIDING_WINDOW:
			len += snprintf(buf + len, sizeof buf - (size_t)len,
					"estimate %.6g (%lld now, %lld before)", st.estimate,
					(long long)st.count, (long long)st.previous);
			break;
		default:
			len += snprintf(buf + len, sizeof buf - (size_t)len, "%lld in the window",
					(long long)st.count);
			break;
		}
		snprintf(buf + len, sizeof buf - (size_t)len, ", %llu allowed, %llu denied",
			 (unsigned long long)st.allowed, (unsigned long long)st.denied);
	}
	lua_pushstring(L, buf);
	return 1;
}

static int m_gc(lua_State *L)
{
	struct lratelimit *l = luaL_checkudata(L, 1, RATELIMIT_T);
	ratelimit_free(l->rl);
	l->rl = NULL;
	return 0;
}

/* --- lab.ratelimit.simulate ------------------------------------------------ */

/* The arrival patterns, in enum ratesim_pattern order, with the options each takes. */
static const struct pattern {
	const char *name;
	const char *keys[6];
} patterns[] = {
	{"constant", {"pattern", "rate", "duration", "start", NULL}},
	{"poisson", {"pattern", "rate", "duration", "start", "seed", NULL}},
	{"burst", {"pattern", "size", "every", "duration", "start", NULL}},
	{"trace", {"pattern", "times", "duration", NULL}},
	{NULL, {NULL}},
};

/* Errors on any key of the table at IDX that is not in ALLOWED. */
static void onlykeys(lua_State *L, int idx, const char *what, const char *const *allowed)
{
	lua_pushnil(L);                /* first key */
	while (lua_next(L, idx)) {
		lua_pop(L, 1);         /* remove value, keep key */
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		int i = 0;
		while (k && allowed[i] && strcmp(allowed[i], k) != 0)
			i++;
		if (!k || !allowed[i]) {
			luaL_Buffer b;
			luaL_buffinit(L, &b);
			for (i = 0; allowed[i]; i++) {
				luaL_addstring(&b, i ? ", " : "");
				luaL_addstring(&b, allowed[i]);
			}
			luaL_pushresult(&b); /* push the names */
			luaL_error(L, "%s does not take option '%s'; it takes %s", what,
				   k ? k : luaL_typename(L, -2), lua_tostring(L, -1));
		}
	}
}

/* Reads a list of numbers at IDX into a scratch array owned by Lua (pushed). */
static double *readtimes(lua_State *L, int idx, size_t *n)
{
	*n = (size_t)lua_rawlen(L, idx);
	double *t = lua_newuserdatauv(L, *n * sizeof *t + 1, 0); /* push scratch */
	for (size_t i = 0; i < *n; i++) {
		lua_rawgeti(L, idx, (lua_Integer)i + 1); /* push times[i+1] */
		int ok;
		t[i] = lua_tonumberx(L, -1, &ok);
		if (!ok)
			luaL_error(L, "arrival %d is a %s, not a time in seconds", (int)i + 1,
				   luaL_typename(L, -1));
		lua_pop(L, 1);         /* remove value */
	}
	return t;
}

/* Reads the arrivals option (at IDX) into C; may push a scratch array. */
static void readarrivals(lua_State *L, int idx, struct ratesim_config *c)
{
	static const char notalist[] = "simulate: arrivals must be a list of times, or a table "
				       "with pattern = \"constant\", \"poisson\", \"burst\" "
				       "or \"trace\"";
	if (!lua_istable(L, idx))
		luaL_error(L, "simulate: option 'arrivals' must be a table, not a %s",
			   luaL_typename(L, idx));
	lua_getfield(L, idx, "pattern"); /* push pattern */
	int has_pattern = !lua_isnil(L, -1);
	lua_pop(L, 1);                 /* remove pattern */
	if (!has_pattern) {            /* a plain list of times */
		lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
		lua_pushnil(L);        /* first key */
		while (lua_next(L, idx)) {
			lua_pop(L, 1); /* remove value, keep key */
			if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
			    lua_tointeger(L, -1) > n)
				luaL_error(L, "%s", notalist);
		}
		c->pattern = RATESIM_TRACE;
		c->times = readtimes(L, idx, &c->ntimes);
		return;
	}
	const char *p = lab_optstr(L, idx, "pattern", NULL);
	int i = 0;
	while (patterns[i].name && strcmp(patterns[i].name, p) != 0)
		i++;
	if (!patterns[i].name)
		luaL_error(L, "arrivals: pattern must be constant, poisson, burst or trace, "
			      "not '%s'", p);
	lua_pushfstring(L, "%s arrivals", p); /* push the name for errors */
	onlykeys(L, idx, lua_tostring(L, -1), patterns[i].keys);
	lua_pop(L, 1);                 /* remove the name */
	c->pattern = (enum ratesim_pattern)i;
	c->rate = lab_optnum(L, idx, "rate", 0);
	c->duration = lab_optnum(L, idx, "duration", 0);
	c->start = lab_optnum(L, idx, "start", 0);
	c->every = lab_optnum(L, idx, "every", 0);
	c->size = lab_optint(L, idx, "size", 0);
	c->seed = (uint64_t)lab_optint(L, idx, "seed", 1);
	if (c->pattern == RATESIM_TRACE) {
		lua_getfield(L, idx, "times"); /* push times */
		if (!lua_istable(L, -1))
			luaL_error(L, "trace arrivals need times, a list of times in seconds");
		int t = lua_gettop(L);
		readtimes(L, t, &c->ntimes);   /* push scratch */
		c->times = lua_touserdata(L, -1);
		lua_remove(L, t);              /* remove times; the scratch stays */
	}
}

static void pushseries(lua_State *L, const uint64_t *v, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushinteger(L, (lua_Integer)v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* list[i+1] = v[i] */
	}
}

/* lab.ratelimit.simulate{limiter = ..., arrivals = ..., cost, interval, peak_window} */
static int l_simulate(lua_State *L)
{
	static const char *const keys[] = {"limiter", "arrivals", "cost", "interval",
					   "peak_window", NULL};
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	onlykeys(L, 1, "simulate", keys);
	struct ratesim_config c;
	memset(&c, 0, sizeof c);
	lua_getfield(L, 1, "limiter"); /* push limiter (index 2) */
	if (lua_istable(L, 2)) {
		readconfig(L, 2, readalgorithm(L, 2), &c.limiter, 1);
	} else {
		struct lratelimit *l = luaL_testudata(L, 2, RATELIMIT_T);
		if (!l || !l->rl)
			return luaL_error(L, "simulate: option 'limiter' must be a table of "
					     "options (with algorithm = ...) or a limiter");
		c.limiter = *ratelimit_config(l->rl); /* a fresh copy; the object is untouched */
	}
	lua_getfield(L, 1, "arrivals"); /* push arrivals (index 3) */
	if (lua_isnil(L, 3))
		return luaL_error(L, "simulate needs option 'arrivals': {pattern = \"poisson\", "
				     "rate = ..., duration = ...} or a list of times");
	readarrivals(L, 3, &c);        /* may push a scratch array */
	c.cost = lab_optint(L, 1, "cost", 1);
	c.interval = lab_optnum(L, 1, "interval", 1.0);
	int windowed = ratelimit_params(c.limiter.algorithm) & RATELIMIT_P_WINDOW;
	c.peak_window = lab_optnum(L, 1, "peak_window", windowed ? c.limiter.window : 1.0);
	/* the result's series are freed by the holder's __gc if an error intervenes */
	struct ratesim_result *held = lua_newuserdatauv(L, sizeof *held, 0);
	memset(held, 0, sizeof *held);
	luaL_setmetatable(L, SIMULATION_T);
	const char *why = NULL;
	if (ratesim_run(&c, held, &why) < 0)
		return luaL_error(L, "simulate: %s", why);
	const struct ratesim_result r = *held;
	lua_createtable(L, 0, 12);
	lua_pushstring(L, ratelimit_algorithm_name(c.limiter.algorithm));
	lua_setfield(L, -2, "algorithm");
	setint(L, "requests", (int64_t)r.requests);
	setint(L, "allowed", (int64_t)r.allowed);
	setint(L, "denied", (int64_t)r.denied);
	setnum(L, "interval", r.interval);
	setint(L, "peak", (int64_t)r.peak);
	setnum(L, "peak_window", c.peak_window);
	if (r.peak > 0) {
		setnum(L, "peak_first", r.peak_first);
		setnum(L, "peak_last", r.peak_last);
	}
	if (c.limiter.algorithm == RATELIMIT_LEAKY_QUEUE) {
		setnum(L, "delay_mean", r.delay_mean);
		setnum(L, "delay_max", r.delay_max);
	}
	lua_createtable(L, 0, 3);      /* series */
	lua_createtable(L, (int)r.intervals, 0);
	for (size_t i = 0; i < r.intervals; i++) {
		lua_pushnumber(L, (double)i * r.interval);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* time[i+1] = start of interval */
	}
	lua_setfield(L, -2, "time");
	pushseries(L, r.allowed_series, r.intervals);
	lua_setfield(L, -2, "allowed");
	pushseries(L, r.denied_series, r.intervals);
	lua_setfield(L, -2, "denied");
	lua_setfield(L, -2, "series"); /* result.series = series */
	ratesim_result_free(held);
	return 1;
}

static int s_gc(lua_State *L)
{
	ratesim_result_free(luaL_checkudata(L, 1, SIMULATION_T));
	return 0;
}

static const luaL_Reg simulation_metamethods[] = {
	{"__gc", s_gc},
	{NULL, NULL},
};

static const luaL_Reg methods[] = {
	{"allow", m_allow},       {"peek", m_peek},   {"detail", m_detail},
	{"snapshot", m_snapshot}, {"reset", m_reset}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{"__gc", m_gc},
	{NULL, NULL},
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{"simulate", l_simulate},
	{NULL, NULL},
};

int lab_open_ratelimit(lua_State *L)
{
	lab_newclass(L, RATELIMIT_T, methods, metamethods);
	lab_newclass(L, SIMULATION_T, NULL, simulation_metamethods);
	luaL_newlib(L, functions);
	lua_createtable(L, RATELIMIT_NALGORITHMS, 0); /* algorithms, in order */
	for (int i = 0; i < RATELIMIT_NALGORITHMS; i++) {
		const char *name = ratelimit_algorithm_name((enum ratelimit_algorithm)i);
		lua_pushinteger(L, i);
		lua_pushcclosure(L, l_named, 1);      /* constructor with its algorithm */
		lua_setfield(L, -3, name);            /* lab.ratelimit[name] = constructor */
		lua_pushstring(L, name);
		lua_rawseti(L, -2, i + 1);            /* algorithms[i+1] = name */
	}
	lua_setfield(L, -2, "algorithms");
	return 1;
}

const struct lab_namespace lab_ns_ratelimit = {.open = lab_open_ratelimit};
