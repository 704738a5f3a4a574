/*
 * resilience_lua.c — lab.resilience: the Lua binding of resilience.h.
 *
 *   lab.resilience.simulate{services = {...}, client = {...}, faults = {...}}
 *   lab.resilience.backoff{jitter = "full", base = 0.1, cap = 10, retries = 5, seed = 1}
 *   local b = lab.resilience.breaker{threshold = 0.5, window = 20, ...}
 *   b:allow(now)  b:record(now, ok)  b:state([now])  b:snapshot()
 *   local g = lab.resilience.budget{ratio = 0.1, min = 10}
 *   g:request()  g:retry()  g:tokens()
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/resilience/resilience.h"
#include "engine/base/budget.h"

#include <math.h>
#include <string.h>

#define JITTERS "none full equal decorrelated"

/* ---- options shared by the client and every call ---- */

#define B(m) LAB_INTO(struct rs_breaker_config, m)
static const struct lab_opt breaker_opts[] = {
	{"threshold", LAB_NUM, .num = 0.5, .min = 0, .max = 1, .flags = LAB_ABOVE,
	 .help = "failed share of the window that opens it", B(threshold)},
	{"window", LAB_INT, .num = 20, .min = 1, .max = RS_MAX_WINDOW,
	 .help = "outcomes remembered while closed", B(window)},
	{"min_calls", LAB_INT, .num = 10, .min = 1, .max = RS_MAX_WINDOW,
	 .help = "outcomes needed before it may open", B(min_calls)},
	{"open_for", LAB_NUM, .num = 5, .min = 0, .max = 1e6, .help = "seconds open", B(open_for)},
	{"probes", LAB_INT, .num = 1, .min = 1, .max = 1000,
	 .help = "half-open: calls let through, all must succeed", B(probes)},
	{NULL},
};

#define P(m) LAB_INTO(struct rs_policy, m)
#define POLICY \
	{"timeout", LAB_NUM, .num = 0, .min = 0, .max = 1e6, \
	 .help = "seconds to wait for a reply (0: forever)", P(timeout)}, \
	{"retries", LAB_INT, .num = 0, .min = 0, .max = 100, .help = "attempts after the first", \
	 P(retries)}, \
	{"backoff", LAB_NUM, .num = 0.1, .min = 0, .max = 1e6, .help = "base wait, s", P(backoff)}, \
	{"cap", LAB_NUM, .num = 10, .min = 0, .max = 1e6, .help = "longest wait, s", P(cap)}, \
	{"jitter", LAB_ENUM, .str = "none", .choices = JITTERS, P(jitter)}, \
	{"budget", LAB_NUM, .num = 0, .min = 0, .max = 1000, \
	 .help = "retry budget: tokens per request (0: no budget)", P(budget)}, \
	{"budget_min", LAB_NUM, .num = 10, .min = 1, .max = 1e9, \
	 .help = "tokens at the start, and the most kept", P(budget_min)}, \
	{"breaker", LAB_ANY, .help = "a circuit breaker: true or {threshold, window, ...}"}, \
	{"bulkhead", LAB_INT, .num = 0, .min = 0, .max = 1000000, \
	 .help = "most calls in flight (0: no limit)", P(bulkhead)}, \
	{"fallback", LAB_BOOL, .num = 0, .help = "a call that failed is a degraded success", \
	 P(fallback)}

static const struct lab_opt call_opts[] = {
	{"to", LAB_STR, .required = 1, .help = "the service called"},
	{"weight", LAB_NUM, .num = 1, .min = 0, .max = 1e9, .flags = LAB_ABOVE,
	 .help = "route \"one\": share of the requests sent this way"},
	{"ops", LAB_ENUM, .str = "all", .choices = "all read write",
	 .help = "the requests this call is made for"},
	{"async", LAB_BOOL, .num = 0,
	 .help = "do not wait: the call succeeds once the callee admits it"},
	POLICY, {NULL}};
static const struct lab_opt client_opts[] = {
	{"rate", LAB_NUM, .num = 100, .min = 0, .max = 1e7, .help = "requests a second", },
	{"entry", LAB_STR, .help = "the service clients call (the first)"},
	{"bursts", LAB_TABLE, .help = "{{at =, count =}, ...}: requests at one instant"},
	{"switches", LAB_TABLE, .help = "{{at =, entry =}, ...}: the entry changes (blue/green)"},
	{"keys", LAB_INT, .num = 0, .min = 0, .max = RS_MAX_KEYS,
	 .help = "requests carry a key in 1..keys (0: no key)"},
	{"skew", LAB_NUM, .num = 0.99, .min = 0, .max = 5,
	 .help = "Zipf exponent of the keys' popularity (0: uniform)"},
	{"writes", LAB_NUM, .num = 0, .min = 0, .max = 1,
	 .help = "share of the requests that are writes (the rest read)"},
	POLICY, {NULL}};

/* Copies the string at IDX (a name) into DST, or raises. */
static void copyname(lua_State *L, int idx, const char *who, const char *what, char *dst)
{
	size_t len;
	const char *s = lua_tolstring(L, idx, &len);
	if (!s || len == 0 || len >= RS_NAME_MAX || strlen(s) != len)
		luaL_error(L, "%s: %s must be a name of 1 to %d bytes", who, what, RS_NAME_MAX - 1);
	memcpy(dst, s, len + 1);
}

/* The length of the list at IDX (nil: 0), refusing other keys. */
static int listlen(lua_State *L, int idx, const char *who, const char *what, int max)
{
	if (lua_isnil(L, idx))
		return 0;
	if (!lua_istable(L, idx))
		return luaL_error(L, "%s: %s must be a list of tables", who, what);
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
		if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 || lua_tointeger(L, -2) > n)
			return luaL_error(L, "%s: %s must be a list (1, 2, ...)", who, what);
	if (n > max)
		return luaL_error(L, "%s: %s holds more than %d", who, what, max);
	return (int)n;
}

/* Reads the policy options of the table at IDX (with SPEC) into P. */
static const struct lab_val *readpolicy(lua_State *L, int idx, const char *who,
					const struct lab_opt *spec, struct rs_policy *p)
{
	memset(p, 0, sizeof *p);
	const struct lab_val *o = lab_opts_into(L, idx, who, spec, p, 0); /* push box */
	p->breaker = lab_optsub(L, idx, who, "breaker", breaker_opts, &p->br); /* push box/nil */
	lua_pop(L, 1);
	if (p->cap < p->backoff)
		luaL_error(L, "%s: cap must be at least backoff", who);
	if (p->breaker && p->br.min_calls > p->br.window)
		luaL_error(L, "%s: breaker: min_calls must not exceed window", who);
	return o;
}

/* ---- services ---- */

#define V(m) LAB_INTO(struct rs_service_cfg, m)
static const struct lab_opt service_opts[] = {
	{"name", LAB_STR, .required = 1},
	{"workers", LAB_INT, .num = 10, .min = 0, .max = 1000000,
	 .help = "requests served at once (threads)", V(workers)},
	{"queue", LAB_INT, .num = 100, .min = 0, .max = 10000000,
	 .help = "most requests waiting; more are rejected", V(queue)},
	{"latency", LAB_NUM, .num = 0.01, .min = 0, .max = 1e6, .flags = LAB_ABOVE,
	 .help = "mean seconds of its own work", V(latency)},
	{"dist", LAB_ENUM, .str = "exponential", .choices = "exponential deterministic",
	 .help = "of the work's duration", V(dist)},
	{"errors", LAB_NUM, .num = 0, .min = 0, .max = 1, .help = "share that fail", V(errors)},
	{"shed_after", LAB_NUM, .num = 0, .min = 0, .max = 1e6,
	 .help = "drop a request that waited longer, s (0: never)", V(shed_after)},
	{"route", LAB_ENUM, .str = "all", .choices = "all one key",
	 .help = "call every eligible dependency in order, one by weight, or one by key",
	 V(route)},
	{"cache", LAB_INT, .num = 0, .min = 0, .max = 1e8,
	 .help = "items of an LRU of keys: a read that hits calls nothing", V(cache)},
	{"write_latency", LAB_NUM, .num = -1, .str = "latency", .min = 0, .max = 1e6,
	 .flags = LAB_ABOVE, .help = "mean seconds of a write's own work", V(write_latency)},
	{"read_only", LAB_BOOL, .num = 0, .help = "a write that arrives fails (a replica)",
	 V(read_only)},
	{"limit", LAB_TABLE, .help = "{rate =, burst =}: a token bucket at the door"},
	{"calls", LAB_TABLE, .help = "{{to = NAME, timeout =, retries =, ...}, ...} in order"},
	{NULL},
};

struct limit_cfg {
	double rate;
	int64_t burst;
};
static const struct lab_opt limit_opts[] = {
	{"rate", LAB_NUM, .required = 1, .min = 1e-6, .max = 1e9, .help = "tokens a second",
	 LAB_INTO(struct limit_cfg, rate)},
	{"burst", LAB_INT, .required = 1, .min = 1, .max = 1e9, .help = "bucket size",
	 LAB_INTO(struct limit_cfg, burst)},
	{NULL},
};

/* Reads services[I] (the table on top) into V. */
static void readservice(lua_State *L, const char *who, int i, struct rs_service_cfg *v)
{
	int t = lua_gettop(L);
	char whom[96];
	snprintf(whom, sizeof whom, "%s: services[%d]", who, i);
	const struct lab_val *o = lab_opts_into(L, t, whom, service_opts, v, 0); /* push box */
	lab_optpush(L, t, "name");
	copyname(L, -1, whom, "name", v->name);
	lua_pop(L, 1);
	if (o[11].set) {                               /* limit */
		struct limit_cfg lc;
		lab_optpush(L, t, "limit");
		lab_opts_into(L, lua_gettop(L), whom, limit_opts, &lc, 0); /* push box */
		v->limited = 1, v->limit_rate = lc.rate, v->limit_burst = lc.burst;
		lua_pop(L, 2);
	}
	lab_optpush(L, t, "calls");
	int calls = lua_gettop(L);
	v->ncalls = listlen(L, calls, whom, "calls", RS_MAX_CALLS);
	for (int k = 0; k < v->ncalls; k++) {
		char whomc[192];
		snprintf(whomc, sizeof whomc, "%s.calls[%d]", whom, k + 1);
		lua_rawgeti(L, calls, k + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "%s must be a table", whomc);
		const struct lab_val *co = readpolicy(L, lua_gettop(L), whomc, call_opts,
						      &v->calls[k].p);
		v->calls[k].weight = co[1].num;
		v->calls[k].ops = (enum rs_ops)co[2].choice;
		v->calls[k].async = (int)co[3].i;
		lab_optpush(L, -2, "to");
		copyname(L, -1, whomc, "to", v->calls[k].to);
		lua_pop(L, 3);                 /* to, box, element */
	}
	lua_settop(L, t);
}

/* ---- faults and bursts ---- */

#define F(m) LAB_INTO(struct rs_fault, m)
static const struct lab_opt fault_opts[] = {
	{"service", LAB_STR, .required = 1},
	{"at", LAB_NUM, .required = 1, .min = 0, .max = 1e6, .help = "start, s", F(at)},
	{"until", LAB_NUM, .required = 1, .min = 0, .max = 1e6, .help = "end, s", F(until)},
	{"mode", LAB_ENUM, .required = 1, .choices = "down slow error brownout", F(mode)},
	{"factor", LAB_NUM, .num = -1, .str = "10 (slow), 0.5 (brownout)", .min = 0, .max = 1e6,
	 .help = "slow: times slower; brownout: share of workers kept", F(factor)},
	{"rate", LAB_NUM, .num = 1, .min = 0, .max = 1, .help = "error: share that fail", F(rate)},
	{NULL},
};

static const struct lab_opt switch_opts[] = {
	{"at", LAB_NUM, .required = 1, .min = 0, .max = 1e6, .help = "when, s",
	 LAB_INTO(struct rs_switch, at)},
	{"entry", LAB_STR, .required = 1, .help = "the service clients call from then on"},
	{NULL},
};

static const struct lab_opt burst_opts[] = {
	{"at", LAB_NUM, .required = 1, .min = 0, .max = 1e6, LAB_INTO(struct rs_burst, at)},
	{"count", LAB_INT, .required = 1, .min = 0, .max = 1000000,
	 LAB_INTO(struct rs_burst, count)},
	{NULL},
};

static void readfaults(lua_State *L, const char *who, struct rs_config *c)
{
	lab_optpush(L, 1, "faults");
	int t = lua_gettop(L);
	c->nfaults = listlen(L, t, who, "faults", RS_MAX_FAULTS);
	for (int i = 0; i < c->nfaults; i++) {
		char whom[80];
		snprintf(whom, sizeof whom, "%s: faults[%d]", who, i + 1);
		struct rs_fault *f = &c->faults[i];
		lua_rawgeti(L, t, i + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "%s must be a table", whom);
		lab_opts_into(L, t + 1, whom, fault_opts, f, 0); /* push box */
		lab_optpush(L, t + 1, "service");
		copyname(L, -1, whom, "service", f->service);
		if (f->factor < 0)
			f->factor = f->mode == RS_BROWNOUT ? 0.5 : 10;
		if (f->mode == RS_BROWNOUT && f->factor > 1)
			luaL_error(L, "%s: a brownout's factor is the share of workers kept, in [0, 1]",
				   whom);
		lua_settop(L, t);
	}
	lua_pop(L, 1);
}

static void readclient(lua_State *L, const char *who, struct rs_config *c)
{
	char whom[64 + RS_NAME_MAX];
	snprintf(whom, sizeof whom, "%s: client", who);
	lab_optpush(L, 1, "client");
	int t = lua_gettop(L);
	if (!lua_isnil(L, t) && !lua_istable(L, t))
		luaL_error(L, "%s must be a table", whom);
	const struct lab_val *o = readpolicy(L, t, whom, client_opts, &c->client); /* push box */
	c->rate = o[0].num;
	c->keys = (int64_t)o[4].i;
	c->skew = o[5].num;
	c->writes = o[6].num;
	if (o[1].set) {
		lab_optpush(L, t, "entry");
		copyname(L, -1, whom, "entry", c->entry);
		lua_pop(L, 1);
	}
	lab_optpush(L, t, "bursts");
	int b = lua_gettop(L);
	c->nbursts = listlen(L, b, whom, "bursts", RS_MAX_BURSTS);
	for (int i = 0; i < c->nbursts; i++) {
		char whomb[160];
		snprintf(whomb, sizeof whomb, "%s.bursts[%d]", whom, i + 1);
		lua_rawgeti(L, b, i + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "%s must be a table", whomb);
		lab_opts_into(L, b + 1, whomb, burst_opts, &c->bursts[i], 0); /* push box */
		lua_settop(L, b);
	}
	lab_optpush(L, t, "switches");
	int w = lua_gettop(L);
	c->nswitches = listlen(L, w, whom, "switches", RS_MAX_SWITCHES);
	for (int i = 0; i < c->nswitches; i++) {
		char whomw[160];
		snprintf(whomw, sizeof whomw, "%s.switches[%d]", whom, i + 1);
		lua_rawgeti(L, w, i + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "%s must be a table", whomw);
		lab_opts_into(L, w + 1, whomw, switch_opts, &c->switches[i], 0); /* push box */
		lab_optpush(L, w + 1, "entry");
		copyname(L, -1, whomw, "entry", c->switches[i].entry);
		lua_settop(L, w);
	}
	lua_settop(L, t - 1);
}

static const struct lab_opt simulate_opts[] = {
	{"services", LAB_TABLE, .required = 1, .help = "the graph: {{name =, ...}, ...}"},
	{"client", LAB_TABLE, .help = "{rate =, entry =, timeout =, retries =, ...}"},
	{"faults", LAB_TABLE, .help = "{{service =, at =, until =, mode =}, ...}"},
	{"duration", LAB_NUM, .num = 60, .min = 0, .max = 1e6, .flags = LAB_ABOVE,
	 .help = "clients send for this long, s", LAB_INTO(struct rs_config, duration)},
	{"drain", LAB_NUM, .num = 10, .min = 0, .max = 1e6,
	 .help = "then the run goes on this long, s", LAB_INTO(struct rs_config, drain)},
	{"interval", LAB_NUM, .num = 1, .min = 0, .max = 1e6, .flags = LAB_ABOVE,
	 .help = "the series' step, s", LAB_INTO(struct rs_config, interval)},
	{"seed", LAB_INT, .num = 1, LAB_INTO(struct rs_config, seed)},
	{"trace", LAB_ANY, .help = "record spans of sampled requests: true or {sample, max, seed}"},
	{NULL},
};

struct trace_cfg {
	double sample;
	int max;
	int64_t seed;
};
static const struct lab_opt trace_opts[] = {
	{"sample", LAB_NUM, .num = 0.01, .min = 0, .max = 1,
	 .help = "share of client requests traced (head sampling)", LAB_INTO(struct trace_cfg, sample)},
	{"max", LAB_INT, .num = 100, .min = 1, .max = RS_MAX_TRACES,
	 .help = "traces kept: the first this many sampled", LAB_INTO(struct trace_cfg, max)},
	{"seed", LAB_INT, .num = 0, .str = "the run's seed",
	 .help = "draws the sampling and the ids", LAB_INTO(struct trace_cfg, seed)},
	{NULL},
};

/* Reads the option trace of the table at index 1 into C. */
static void readtrace(lua_State *L, const char *who, struct rs_config *c)
{
	struct trace_cfg t;
	if (!lab_optsub(L, 1, who, "trace", trace_opts, &t)) { /* push box or nil */
		lua_pop(L, 1);
		return;
	}
	const struct lab_val *o = lua_touserdata(L, -1);
	c->trace_sample = t.sample;
	c->trace_max = t.max;
	c->trace_seed = o && o[2].set ? (uint64_t)t.seed : c->seed;
	lua_pop(L, 1);
}

/* ---- the result ---- */

#define RC(m) LAB_F(struct rs_count, m)
static const struct lab_field count_fields[] = {
	RC(arrivals), RC(ok), RC(errors), RC(rejected), RC(shed), RC(reads), RC(writes), RC(hits),
	RC(misses), {NULL}};

static const struct lab_field gauge_fields[] = {
	RC(arrivals), RC(ok), RC(errors), RC(rejected), RC(shed), RC(reads), RC(writes), RC(hits),
	RC(misses), RC(busy), RC(queued), {NULL}};
#define RE(m) LAB_F(struct rs_edge_count, m)
static const struct lab_field edge_fields[] = {
	RE(calls), RE(attempts), RE(retries), RE(timeouts), RE(breaker_refused),
	RE(bulkhead_refused), RE(budget_refused), RE(failed), RE(fallbacks), {NULL}};
#define RK(m) LAB_F(struct rs_client_count, m)
static const struct lab_field client_fields[] = {
	RK(requests), RK(ok), RK(degraded), RK(failed), {NULL}};
static const struct lab_field client_series_fields[] = {
	RK(requests), RK(ok), RK(degraded), RK(failed), LAB_FOPT(struct rs_client_count, p99),
	{NULL}};

static const char *svcname(const struct rs_config *c, int i)
{
	return i < 0 ? "client" : c->services[i].name;
}

/* t = {0, interval, 2 interval, ...} into the table on top. */
static void sett(lua_State *L, const struct rs_result *r, double interval)
{
	lua_createtable(L, (int)r->nintervals, 0);
	for (size_t k = 0; k < r->nintervals; k++) {
		lua_pushnumber(L, (double)k * interval);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	lua_setfield(L, -2, "t");
}

static void push_services(lua_State *L, const struct rs_config *c, const struct rs_result *r)
{
	double req = (double)r->client.requests;
	lua_createtable(L, 0, c->nservices);            /* push services */
	for (int i = 0; i < c->nservices; i++) {
		const struct rs_count *n = &r->services[i];
		lab_pushfields(L, n, count_fields);
		lab_setnum(L, "amplification", req > 0 ? (double)n->arrivals / req : 0);
		lab_setnum(L, "hit_ratio", n->hits + n->misses ? (double)n->hits /
				(double)(n->hits + n->misses) : 0);
		const struct rs_service_stats *x = &r->stats[i];
		lab_setnum(L, "utilization", x->utilization);
		lab_setnum(L, "busy_time", x->busy_time);
		lab_setint(L, "async_jobs", (lua_Integer)x->async_jobs);
		lab_setint(L, "async_failed", (lua_Integer)x->async_failed);
		lab_setint(L, "async_unfinished", (lua_Integer)x->async_unfinished);
		lab_setnum(L, "lag_p50", x->lag_p50);
		lab_setnum(L, "lag_p99", x->lag_p99);
		lab_setnum(L, "lag_max", x->lag_max);
		lua_setfield(L, -2, c->services[i].name);
	}
	lua_setfield(L, -2, "services");
	lua_createtable(L, 0, c->nservices);            /* push service_series */
	size_t n = r->nintervals, ns = (size_t)c->nservices;
	for (int i = 0; i < c->nservices; i++) {
		lab_pushcolumns(L, r->service_series + i, n, ns * sizeof *r->service_series,
				gauge_fields);
		sett(L, r, c->interval);
		lua_setfield(L, -2, c->services[i].name);
	}
	lua_setfield(L, -2, "service_series");
}

static void push_edges(lua_State *L, const struct rs_config *c, const struct rs_result *r)
{
	lua_createtable(L, r->nedges, 0);
	for (int e = 0; e < r->nedges; e++) {
		lab_pushfields(L, &r->edges[e], edge_fields);
		lab_setstr(L, "from", svcname(c, r->edge_from[e]));
		lab_setstr(L, "to", svcname(c, r->edge_to[e]));
		double calls = (double)r->edges[e].calls;
		lab_setnum(L, "amplification", calls > 0 ? (double)r->edges[e].attempts / calls : 0);
		lua_rawseti(L, -2, e + 1);
	}
	lua_setfield(L, -2, "calls");
	lua_createtable(L, (int)r->ntransitions, 0);
	for (size_t i = 0; i < r->ntransitions; i++) {
		const struct rs_transition *x = &r->transitions[i];
		lua_createtable(L, 0, 5);
		lab_setnum(L, "t", x->t);
		lab_setstr(L, "from", svcname(c, r->edge_from[x->edge]));
		lab_setstr(L, "to", svcname(c, r->edge_to[x->edge]));
		lab_setstr(L, "was", rs_breaker_state_name(x->from));
		lab_setstr(L, "state", rs_breaker_state_name(x->to));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "transitions");
}

/* The name of span X: "request", "api->db", "api->db (retry 2)" or "db". */
static void span_name(lua_State *L, const struct rs_config *c, const struct rs_span *x)
{
	if (x->kind == RS_SPAN_REQUEST)
		lua_pushliteral(L, "request");
	else if (x->kind == RS_SPAN_SERVER)
		lua_pushstring(L, svcname(c, x->service));
	else if (x->attempt == 0)
		lua_pushfstring(L, "%s->%s", svcname(c, x->service), svcname(c, x->peer));
	else
		lua_pushfstring(L, "%s->%s (retry %d)", svcname(c, x->service), svcname(c, x->peer),
				x->attempt);
}

/* traces = {{trace_id, start, finish, duration, status, spans = {...}}, ...}:
 * the spans of each in the form lab.trace.assemble reads. */
static void push_traces(lua_State *L, const struct rs_config *c, const struct rs_result *r)
{
	lua_createtable(L, (int)r->ntraces, 0);
	for (size_t t = 0; t < r->ntraces; t++) {
		const struct rs_span *root = &r->spans[r->traces[t].root];
		lua_createtable(L, 0, 6);
		lab_setstr(L, "trace_id", r->traces[t].id);
		lab_setnum(L, "start", root->start);
		lab_setnum(L, "finish", root->finish);
		lab_setnum(L, "duration", root->finish - root->start);
		lab_setstr(L, "status", rs_span_status_name(root->status));
		lua_newtable(L);
		lua_setfield(L, -2, "spans");
		lua_rawseti(L, -2, (lua_Integer)t + 1);   /* the trace into traces */
	}
	for (size_t i = 0; i < r->nspans; i++) {     /* spans in start order */
		const struct rs_span *x = &r->spans[i];
		lua_rawgeti(L, -1, (lua_Integer)x->trace + 1);  /* push the trace */
		lua_getfield(L, -1, "spans");                   /* push its spans */
		lua_createtable(L, 0, 10);
		lab_setstr(L, "trace_id", r->traces[x->trace].id);
		lab_setstr(L, "id", x->id);
		if (x->parent >= 0)
			lab_setstr(L, "parent", r->spans[x->parent].id);
		span_name(L, c, x);
		lua_setfield(L, -2, "name");
		lab_setstr(L, "service", svcname(c, x->service));
		lab_setstr(L, "kind", rs_span_kind_name(x->kind));
		lab_setnum(L, "start", x->start);
		lab_setnum(L, "finish", x->finish);
		lab_setstr(L, "status", rs_span_status_name(x->status));
		if (x->kind == RS_SPAN_CLIENT)
			lab_setint(L, "attempt", x->attempt);
		if (x->kind == RS_SPAN_SERVER)
			lab_setnum(L, "queued", x->queued);
		lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
		lua_pop(L, 2);
	}
	lua_setfield(L, -2, "traces");
}

static void push_result(lua_State *L, const struct rs_config *c, const struct rs_result *r)
{
	lab_pushfields(L, &r->client, client_fields);
	uint64_t done = r->client.ok + r->client.degraded + r->client.failed;
	lab_setint(L, "unfinished", (lua_Integer)(r->client.requests - done));
	double req = (double)r->client.requests;
	lab_setnum(L, "success", req > 0 ? (double)(r->client.ok + r->client.degraded) / req : 0);
	if (done) {
		lab_setnum(L, "p50", r->p50);
		lab_setnum(L, "p90", r->p90);
		lab_setnum(L, "p99", r->p99);
		lab_setnum(L, "mean", r->mean);
	}
	lab_setint(L, "events", (lua_Integer)r->events);
	lab_setint(L, "reads", (lua_Integer)r->reads);
	lab_setint(L, "writes", (lua_Integer)r->writes);
	lab_setnum(L, "read_success", r->reads ? (double)r->reads_ok / (double)r->reads : 0);
	lab_setnum(L, "write_success", r->writes ? (double)r->writes_ok / (double)r->writes : 0);
	lab_setint(L, "write_degraded", (lua_Integer)r->writes_degraded);
	if (!isnan(r->read_p99))
		lab_setnum(L, "read_p99", r->read_p99);
	if (!isnan(r->write_p99))
		lab_setnum(L, "write_p99", r->write_p99);
	LAB_COLUMNS(L, r->client_series, r->nintervals, client_series_fields);
	sett(L, r, c->interval);
	lua_setfield(L, -2, "series");
	push_services(L, c, r);
	push_edges(L, c, r);
	if (c->trace_sample > 0)
		push_traces(L, c, r);
}

static void free_result(void *r)
{
	rs_result_free(r);
}

static int l_simulate(lua_State *L)
{
	const char *who = "lab.resilience.simulate";
	lua_settop(L, 1);
	luaL_checktype(L, 1, LUA_TTABLE);
	struct rs_config *c = lab_scratch(L, sizeof *c);   /* 2: the config */
	lab_opts_into(L, 1, who, simulate_opts, c, 0);     /* 3 */
	lab_optpush(L, 1, "services");                     /* 4 */
	c->nservices = listlen(L, 4, who, "services", RS_MAX_SERVICES);
	for (int i = 0; i < c->nservices; i++) {
		lua_rawgeti(L, 4, i + 1);
		if (!lua_istable(L, -1))
			return luaL_error(L, "%s: services[%d] must be a table", who, i + 1);
		readservice(L, who, i + 1, &c->services[i]);
		lua_pop(L, 1);
	}
	if (c->nservices > 0)
		memcpy(c->entry, c->services[0].name, RS_NAME_MAX);
	readclient(L, who, c);
	readfaults(L, who, c);
	readtrace(L, who, c);
	struct rs_result *r = lab_holder(L, sizeof *r, free_result); /* 5 */
	char buf[160];
	const char *err;
	if (rs_run(c, r, &err, buf, sizeof buf))
		return lab_fail(L, "%s: %s", who, err);
	push_result(L, c, r);
	return 1;
}

/* ---- backoff ---- */

struct backoff_cfg {
	enum rs_jitter jitter;
	double base, cap;
	int retries;
	uint64_t seed;
};
#define W(m) LAB_INTO(struct backoff_cfg, m)
static const struct lab_opt backoff_opts[] = {
	{"jitter", LAB_ENUM, .str = "full", .choices = JITTERS, W(jitter)},
	{"base", LAB_NUM, .num = 0.1, .min = 0, .max = 1e6, .help = "seconds", W(base)},
	{"cap", LAB_NUM, .num = 10, .min = 0, .max = 1e6, .help = "seconds", W(cap)},
	{"retries", LAB_INT, .num = 5, .min = 1, .max = 100000, .help = "waits to draw", W(retries)},
	{"seed", LAB_INT, .num = 1, W(seed)},
	{NULL},
};

static int l_backoff(lua_State *L)
{
	struct backoff_cfg b;
	lua_settop(L, 1);
	lab_opts_into(L, 1, "lab.resilience.backoff", backoff_opts, &b, 0);
	if (b.cap < b.base)
		return luaL_error(L, "lab.resilience.backoff: cap must be at least base");
	struct rng r;
	rng_seed(&r, b.seed);
	double prev = 0;
	lua_createtable(L, b.retries, 0);
	for (int i = 0; i < b.retries; i++) {
		prev = rs_backoff(b.jitter, b.base, b.cap, i, prev, &r);
		lua_pushnumber(L, prev);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

/* ---- keys ---- */

struct keys_cfg {
	int64_t keys, n;
	double skew, writes;
	uint64_t seed;
};
#define KY(m) LAB_INTO(struct keys_cfg, m)
static const struct lab_opt keys_opts[] = {
	{"keys", LAB_INT, .required = 1, .min = 1, .max = RS_MAX_KEYS,
	 .help = "keys 1..keys, as the client's option", KY(keys)},
	{"skew", LAB_NUM, .num = 0.99, .min = 0, .max = 5, .help = "the Zipf exponent", KY(skew)},
	{"n", LAB_INT, .num = 1000, .min = 0, .max = 10000000, .help = "requests drawn", KY(n)},
	{"seed", LAB_INT, .num = 1, .help = "the run's seed", KY(seed)},
	{"writes", LAB_NUM, .num = 0, .min = 0, .max = 1,
	 .help = "share of writes: also returns the ops", KY(writes)},
	{NULL},
};

/* keys{keys, skew, n, seed, writes} -> the keys (and, with writes > 0, the
 * ops "read"/"write") of the first N client requests of a run. */
static int l_keys(lua_State *L)
{
	struct keys_cfg k;
	lua_settop(L, 1);
	lab_opts_into(L, 1, "lab.resilience.keys", keys_opts, &k, 0);
	struct rng rk, ro;
	struct rs_zipf z;
	rs_key_rngs(k.seed, &rk, &ro);
	rs_zipf_init(&z, k.keys, k.skew);
	lua_createtable(L, (int)k.n, 0);
	for (int64_t i = 0; i < k.n; i++) {
		if (budget_poll((unsigned long long)i))
			return lab_fail(L, "lab.resilience.keys: stopped");
		lua_pushinteger(L, rs_zipf_draw(&z, &rk));
		lua_rawseti(L, -2, i + 1);
	}
	if (!(k.writes > 0))
		return 1;
	lua_createtable(L, (int)k.n, 0);
	for (int64_t i = 0; i < k.n; i++) {
		lua_pushstring(L, rng_uniform(&ro) < k.writes ? "write" : "read");
		lua_rawseti(L, -2, i + 1);
	}
	return 2;
}

/* shard(key, n) -> 1 + rs_shard(key, n): the position, among N eligible
 * calls, of the one route "key" sends KEY to. */
static int l_shard(lua_State *L)
{
	lua_Integer key = luaL_checkinteger(L, 1), n = luaL_checkinteger(L, 2);
	luaL_argcheck(L, key >= 0, 1, "a key is an integer >= 0");
	luaL_argcheck(L, n >= 1 && n <= 1000000, 2, "n must be between 1 and 1000000");
	lua_pushinteger(L, 1 + rs_shard((uint64_t)key, (int)n));
	return 1;
}

/* ---- breaker objects ---- */

static void free_breaker(void *obj)
{
	rs_breaker_free(obj);
}

static const struct lab_class breaker_class;

static int l_breaker(lua_State *L)
{
	struct rs_breaker_config c;
	lua_settop(L, 1);
	lab_opts_into(L, 1, "lab.resilience.breaker", breaker_opts, &c, 0); /* 2 */
	struct rs_breaker *b = lab_newobj(L, &breaker_class, sizeof *b);
	const char *why;
	if (rs_breaker_init(b, &c, &why))
		return lab_fail(L, "lab.resilience.breaker: %s", why);
	return 1;
}

static double checktime(lua_State *L, int idx)
{
	double t = luaL_checknumber(L, idx);
	luaL_argcheck(L, isfinite(t), idx, "time must be a finite number");
	return t;
}

static int m_allow(lua_State *L)
{
	struct rs_breaker *b = lab_self(L, &breaker_class);
	lua_pushboolean(L, rs_breaker_allow(b, checktime(L, 2)));
	return 1;
}

static int m_record(lua_State *L)
{
	struct rs_breaker *b = lab_self(L, &breaker_class);
	double now = checktime(L, 2);
	luaL_checktype(L, 3, LUA_TBOOLEAN);
	rs_breaker_record(b, now, lua_toboolean(L, 3));
	lua_pushstring(L, rs_breaker_state_name(b->state));
	return 1;
}

static int m_state(lua_State *L)
{
	struct rs_breaker *b = lab_self(L, &breaker_class);
	enum rs_breaker_state s = lua_isnoneornil(L, 2) ? b->state
							 : rs_breaker_state_at(b, checktime(L, 2));
	lua_pushstring(L, rs_breaker_state_name(s));
	return 1;
}

static int m_snapshot(lua_State *L)
{
	struct rs_breaker *b = lab_self(L, &breaker_class);
	lua_createtable(L, 0, 8);
	lab_setstr(L, "state", rs_breaker_state_name(b->state));
	lab_setint(L, "calls", b->count);
	lab_setint(L, "failures", b->failures);
	if (b->state != RS_CLOSED)
		lab_setnum(L, "opened", b->opened);
	lab_setint(L, "let_through", b->let_through);
	lab_setint(L, "successes", b->successes);
	lab_setint(L, "transitions", (lua_Integer)b->transitions);
	lab_setint(L, "refused", (lua_Integer)b->refused);
	return 1;
}

static const luaL_Reg breaker_methods[] = {
	{"allow", m_allow}, {"record", m_record}, {"state", m_state}, {"snapshot", m_snapshot},
	{NULL, NULL}};
static const struct lab_class breaker_class = {.name = "lab.resilience.breaker",
					       .methods = breaker_methods, .free = free_breaker};

/* ---- budget objects ---- */

static const struct lab_class budget_class;

struct budget_cfg {
	double ratio, min;
};
static const struct lab_opt budget_opts[] = {
	{"ratio", LAB_NUM, .num = 0.1, .min = 0, .max = 1000,
	 .help = "tokens each request deposits", LAB_INTO(struct budget_cfg, ratio)},
	{"min", LAB_NUM, .num = 10, .min = 1, .max = 1e9,
	 .help = "tokens at the start, and the most kept", LAB_INTO(struct budget_cfg, min)},
	{NULL},
};

static int l_budget(lua_State *L)
{
	struct budget_cfg c;
	lua_settop(L, 1);
	lab_opts_into(L, 1, "lab.resilience.budget", budget_opts, &c, 0);
	struct rs_budget *b = lab_newobj(L, &budget_class, sizeof *b);
	rs_budget_init(b, c.ratio, c.min);
	return 1;
}

static int m_request(lua_State *L)
{
	rs_budget_request(lab_self(L, &budget_class));
	return 0;
}

static int m_retry(lua_State *L)
{
	lua_pushboolean(L, rs_budget_retry(lab_self(L, &budget_class)));
	return 1;
}

static int m_tokens(lua_State *L)
{
	lua_pushnumber(L, ((struct rs_budget *)lab_self(L, &budget_class))->tokens);
	return 1;
}

static const luaL_Reg budget_methods[] = {
	{"request", m_request}, {"retry", m_retry}, {"tokens", m_tokens}, {NULL, NULL}};
static const struct lab_class budget_class = {.name = "lab.resilience.budget",
					      .methods = budget_methods};

const struct lab_namespace lab_ns_resilience = {
	.functions = (const luaL_Reg[]){{"simulate", l_simulate},
					{"backoff", l_backoff},
					{"breaker", l_breaker},
					{"budget", l_budget},
					{"keys", l_keys},
					{"shard", l_shard},
					{NULL, NULL}},
	.classes = (const struct lab_class *const[]){&breaker_class, &budget_class, NULL},
	.options = (const struct lab_fnopts[]){{"simulate", simulate_opts},
					       {"simulate services", service_opts},
					       {"simulate calls", call_opts},
					       {"simulate client", client_opts},
					       {"simulate breaker", breaker_opts},
					       {"simulate faults", fault_opts},
					       {"simulate trace", trace_opts},
					       {"simulate switches", switch_opts},
					       {"backoff", backoff_opts},
					       {"breaker", breaker_opts},
					       {"budget", budget_opts},
					       {"keys", keys_opts},
					       {NULL, NULL}},
};
