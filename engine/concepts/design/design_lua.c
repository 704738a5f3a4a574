/*
 * design_lua.c — lab.design: the Lua binding of design.h.
 *
 *   lab.design.catalog                          the kinds, a plain table
 *   lab.design.run(design, workload [, kinds])  one run: lab.resilience's result and more
 *   lab.design.evaluate(design, problem)        every seed, graded
 *   lab.design.cost(design [, workload [, kinds]])      $ a month
 *   lab.design.describe(design [, workload [, kinds]])  a text diagram
 *
 * A design compiles into the options of lab.resilience.simulate, and the run
 * is that function's (the same parser, the same simulator), called from C
 * through the registry: a learner who replaces lab.resilience.simulate in
 * the sandbox changes nothing here.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/design/design.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RS_WHO "lab.resilience.simulate"

/* ---- options ---- */

/* A component's fields; calls' values are read by lab.resilience. */
static const struct lab_opt component_opts[] = {
	{"name", LAB_STR, .required = 1, .help = "unique; calls name it"},
	{"kind", LAB_STR, .required = 1, .help = "from lab.design.catalog or the problem's kinds"},
	{"instances", LAB_INT, .num = 1, .min = 1, .max = DESIGN_MAX_INSTANCES,
	 .help = "copies of it; workers and price scale with it"},
	{"memory", LAB_NUM, .min = 0, .max = DESIGN_MAX_MEMORY, .flags = LAB_ABOVE,
	 .str = "none", .help = "GB of cache (kinds with memory: cache, cdn)"},
	{"calls", LAB_TABLE, .help = "{{to = NAME, ...}, ...}: components listed after it"},
	{"route", LAB_ENUM, .str = "all", .choices = "all one key",
	 .help = "call every eligible call in order, one by weight, or one by key"},
	{"limit", LAB_TABLE, .help = "{rate =, burst =}: a limiter's token bucket"},
	{"shed_after", LAB_NUM, .num = 0, .min = 0, .max = 1e6,
	 .help = "drop a request that waited longer, s (0: never)"},
	{NULL},
};
enum { C_NAME, C_KIND, C_INSTANCES, C_MEMORY, C_CALLS, C_ROUTE, C_LIMIT, C_SHED };

/* Fields a kind fixes: a design that sets one is refused, naming it. */
static const char *const kind_fields[] = {
	"workers", "latency", "write_latency", "queue", "price", "memory_price", "dist",
	"read_only", "cache", "errors", "limiter", NULL};

/* The names a call takes (lab.resilience checks their values). */
static const struct lab_opt call_opts[] = {
	{"to", LAB_STR, .required = 1, .help = "the component called (listed after the caller)"},
	{"ops", LAB_ANY, .str = "all", .help = "all | read | write: the requests it is made for"},
	{"async", LAB_ANY, .str = "false", .help = "the caller does not wait for the work"},
	{"timeout", LAB_ANY, .str = "0", .help = "seconds to wait for a reply (0: forever)"},
	{"retries", LAB_ANY, .str = "0", .help = "attempts after the first"},
	{"backoff", LAB_ANY, .str = "0.1", .help = "base wait before a retry, s"},
	{"cap", LAB_ANY, .str = "10", .help = "longest wait, s"},
	{"jitter", LAB_ANY, .str = "none", .help = "none | full | equal | decorrelated"},
	{"budget", LAB_ANY, .str = "0", .help = "retry budget: tokens per request"},
	{"budget_min", LAB_ANY, .str = "10", .help = "retry budget: tokens kept at most"},
	{"breaker", LAB_ANY, .str = "none", .help = "a circuit breaker: true or {threshold, ...}"},
	{"bulkhead", LAB_ANY, .str = "0", .help = "most calls in flight (0: no limit)"},
	{"fallback", LAB_ANY, .str = "false", .help = "a call that failed is a degraded success"},
	{"weight", LAB_ANY, .str = "1", .help = "route \"one\": share sent this way"},
	{NULL},
};

struct wl_fault {
	const char *component;
	double at, until;
	int instances;
	int mode;                /* 0 fail, 1 slow, 2 error */
	double factor, rate;
};
#define WF(m) LAB_INTO(struct wl_fault, m)
static const struct lab_opt fault_opts[] = {
	{"component", LAB_STR, .required = 1, .help = "the component that fails", WF(component)},
	{"at", LAB_NUM, .required = 1, .min = 0, .max = 1e6, .help = "start, s", WF(at)},
	{"until", LAB_NUM, .required = 1, .min = 0, .max = 1e6, .help = "end, s", WF(until)},
	{"instances", LAB_INT, .num = 1, .min = 1, .max = DESIGN_MAX_INSTANCES,
	 .help = "fail: how many instances fail (all of them: down)", WF(instances)},
	{"mode", LAB_ENUM, .str = "fail", .choices = "fail slow error",
	 .help = "instances fail, are slow, or fail a share of requests", WF(mode)},
	{"factor", LAB_NUM, .num = 10, .min = 0, .max = 1e6, .flags = LAB_ABOVE,
	 .help = "slow: times slower", WF(factor)},
	{"rate", LAB_NUM, .num = 1, .min = 0, .max = 1, .help = "error: share that fail", WF(rate)},
	{NULL},
};

struct workload {
	double rate, writes, skew, size, duration, drain, timeout, interval;
	int64_t keys, retries, seed;
};
#define W(m) LAB_INTO(struct workload, m)
static const struct lab_opt workload_opts[] = {
	{"rate", LAB_NUM, .min = 0, .max = 1e7, .str = "required for a run",
	 .help = "client requests a second", W(rate)},
	{"writes", LAB_NUM, .num = 0, .min = 0, .max = 1, .help = "share of requests that write",
	 W(writes)},
	{"keys", LAB_INT, .num = 0, .min = 0, .max = 1e9,
	 .help = "distinct keys (Zipf); 0: requests carry no key", W(keys)},
	{"skew", LAB_NUM, .num = 0.99, .min = 0, .max = 5, .help = "the keys' Zipf exponent",
	 W(skew)},
	{"size", LAB_NUM, .num = 1000, .min = 1, .max = 1e12, .help = "bytes an item",
	 W(size)},
	{"duration", LAB_NUM, .num = 60, .min = 0, .max = 1e6, .flags = LAB_ABOVE,
	 .help = "clients send for this long, s", W(duration)},
	{"drain", LAB_NUM, .num = 10, .min = 0, .max = 1e6,
	 .help = "then the run goes on this long, s", W(drain)},
	{"timeout", LAB_NUM, .num = 1, .min = 0, .max = 1e6,
	 .help = "the client's timeout, s (0: none)", W(timeout)},
	{"retries", LAB_INT, .num = 0, .min = 0, .max = 100, .help = "the client's retries",
	 W(retries)},
	{"bursts", LAB_TABLE, .help = "{{at =, count =}, ...}: requests at one instant"},
	{"faults", LAB_TABLE, .help = "{{component =, at =, until =, instances =}, ...}"},
	{"interval", LAB_NUM, .num = 1, .min = 0, .max = 1e6, .flags = LAB_ABOVE,
	 .help = "the series' step, s", W(interval)},
	{"seed", LAB_INT, .num = 1, .help = "the run's seed (evaluate sets it)", W(seed)},
	{NULL},
};
enum { WL_RATE, WL_WRITES, WL_KEYS, WL_SKEW, WL_SIZE, WL_DURATION, WL_DRAIN, WL_TIMEOUT,
       WL_RETRIES, WL_BURSTS, WL_FAULTS };

struct kind_cfg {
	int64_t workers, queue;
	double latency, write_latency, price, memory_price;
	int memory, read_only, limiter;
	int dist;
	const char *about;
};
#define K(m) LAB_INTO(struct kind_cfg, m)
static const struct lab_opt kind_opts[] = {
	{"workers", LAB_INT, .min = 1, .max = DESIGN_MAX_WORKERS, .str = "required (new kind)",
	 .help = "requests an instance serves at once", K(workers)},
	{"latency", LAB_NUM, .min = 0, .max = 1e6, .flags = LAB_ABOVE, .str = "required (new kind)",
	 .help = "mean seconds of a read's work", K(latency)},
	{"write_latency", LAB_NUM, .min = 0, .max = 1e6, .flags = LAB_ABOVE, .str = "latency",
	 .help = "mean seconds of a write's work", K(write_latency)},
	{"queue", LAB_INT, .num = 100, .min = 0, .max = DESIGN_MAX_QUEUE,
	 .help = "requests an instance holds waiting", K(queue)},
	{"price", LAB_NUM, .min = 0, .max = 1e9, .str = "required (new kind)",
	 .help = "$ a month an instance", K(price)},
	{"memory_price", LAB_NUM, .num = 0, .min = 0, .max = 1e9, .help = "$ a month a GB",
	 K(memory_price)},
	{"memory", LAB_BOOL, .num = 0, .help = "it holds a cache of memory GB", K(memory)},
	{"read_only", LAB_BOOL, .num = 0, .help = "a write that reaches it fails", K(read_only)},
	{"limiter", LAB_BOOL, .num = 0, .help = "it takes limit = {rate, burst}", K(limiter)},
	{"dist", LAB_ENUM, .str = "exponential", .choices = "exponential deterministic",
	 .help = "of the work's duration", K(dist)},
	{"about", LAB_STR, .str = "", .help = "what it is", K(about)},
	{NULL},
};
enum { K_WORKERS, K_LATENCY, K_WLATENCY, K_QUEUE, K_PRICE, K_MPRICE, K_MEMORY, K_RO,
       K_LIMITER, K_DIST, K_ABOUT };

static const struct lab_opt problem_opts[] = {
	{"workload", LAB_TABLE, .required = 1, .help = "as lab.design.run's"},
	{"requirements", LAB_TABLE, .help = "{p99 =, success =, cost =, ...}"},
	{"seeds", LAB_TABLE, .str = "{1, 2, 3}", .help = "a run for each"},
	{"kinds", LAB_TABLE, .help = "{NAME = {workers =, latency =, price =, ...}}"},
	{NULL},
};

static const struct lab_opt req_opts[] = {
	{"p99", LAB_NUM, .min = 0, .max = 1e6, .str = "none", .help = "client p99 latency at most, s"},
	{"read_p99", LAB_NUM, .min = 0, .max = 1e6, .str = "none", .help = "reads' p99 at most, s"},
	{"write_p99", LAB_NUM, .min = 0, .max = 1e6, .str = "none",
	 .help = "writes' p99 at most, s"},
	{"success", LAB_NUM, .min = 0, .max = 1, .str = "none",
	 .help = "share answered (ok or degraded) at least"},
	{"read_success", LAB_NUM, .min = 0, .max = 1, .str = "none", .help = "of reads, at least"},
	{"write_success", LAB_NUM, .min = 0, .max = 1, .str = "none",
	 .help = "of writes, at least"},
	{"lost", LAB_NUM, .min = 0, .max = 1e12, .str = "none",
	 .help = "write requests that failed, at most"},
	{"lag", LAB_NUM, .min = 0, .max = 1e6, .str = "none",
	 .help = "p99 lag of every async component at most, s"},
	{"cost", LAB_NUM, .min = 0, .max = 1e12, .str = "none", .help = "$ a month at most"},
	{NULL},
};

/* ---- reading ---- */

/* Copies the string at IDX into DST (DESIGN_NAME_MAX bytes), or raises. */
static void copyname(lua_State *L, int idx, const char *whom, const char *what, char *dst)
{
	size_t len;
	const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, &len) : NULL;
	if (!s || len == 0 || len >= DESIGN_NAME_MAX || strlen(s) != len)
		luaL_error(L, "%s: %s must be a name of 1 to %d bytes", whom, what,
			   DESIGN_NAME_MAX - 1);
	memcpy(dst, s, len + 1);
}

/* The length of the list at IDX (nil: 0), refusing other keys. */
static int listlen(lua_State *L, int idx, const char *whom, const char *what, int max)
{
	if (lua_isnil(L, idx))
		return 0;
	if (!lua_istable(L, idx))
		return luaL_error(L, "%s: %s must be a list of tables", whom, what);
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
		if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 || lua_tointeger(L, -2) > n)
			return luaL_error(L, "%s: %s must be a list (1, 2, ...)", whom, what);
	if (n > max)
		return luaL_error(L, "%s: %s holds more than %d", whom, what, max);
	return (int)n;
}

/* Reads the call at the top of the stack into CALL: its target's name,
 * and what describe shows. */
static void readcall(lua_State *L, const char *whom, struct design_call *call)
{
	int t = lua_gettop(L);
	lab_opts(L, t, whom, call_opts);                  /* push box */
	lab_optpush(L, t, "to");
	copyname(L, -1, whom, "to", call->to);
	lab_optpush(L, t, "ops");
	const char *ops = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
	call->ops = strcmp(ops, "read") == 0 ? 1 : strcmp(ops, "write") == 0 ? 2 : 0;
	lab_optpush(L, t, "async");
	call->async = lua_toboolean(L, -1);
	lab_optpush(L, t, "timeout");
	call->timeout = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
	lab_optpush(L, t, "retries");
	call->retries = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 0;
	lua_settop(L, t);
}

/* Reads the component at the top of the stack (number I, from 0) into C. */
static void readcomponent(lua_State *L, const char *who, int i, struct design_component *c)
{
	int t = lua_gettop(L);
	char whom[160];
	lab_optpush(L, t, "name");
	if (lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) < DESIGN_NAME_MAX)
		snprintf(whom, sizeof whom, "%s: component '%s' (%d)", who, lua_tostring(L, -1),
			 i + 1);
	else
		snprintf(whom, sizeof whom, "%s: component %d", who, i + 1);
	lua_pop(L, 1);
	for (const char *const *f = kind_fields; *f; f++) {
		lab_optpush(L, t, *f);
		if (!lua_isnil(L, -1))
			luaL_error(L,
				   "%s: '%s' is fixed by the component's kind, not by the design "
				   "(capacity, speed and price come with the kind): choose the kind "
				   "and instances, and memory for a cache or cdn",
				   whom, *f);
		lua_pop(L, 1);
	}
	const struct lab_val *o = lab_opts(L, t, whom, component_opts); /* push box */
	lab_optpush(L, t, "name");
	copyname(L, -1, whom, "name", c->name);
	lab_optpush(L, t, "kind");
	copyname(L, -1, whom, "kind", c->kindname);
	c->instances = (int)o[C_INSTANCES].i;
	c->has_memory = o[C_MEMORY].set;
	c->memory = o[C_MEMORY].num;
	c->has_limit = o[C_LIMIT].set;
	c->route = (enum design_route)o[C_ROUTE].choice;
	lab_optpush(L, t, "calls");
	int calls = lua_gettop(L);
	c->ncalls = listlen(L, calls, whom, "calls", DESIGN_MAX_CALLS);
	for (int k = 0; k < c->ncalls; k++) {
		char whomc[200];
		snprintf(whomc, sizeof whomc, "%s: calls[%d]", whom, k + 1);
		lua_rawgeti(L, calls, k + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "%s must be a table", whomc);
		readcall(L, whomc, &c->calls[k]);
		lua_pop(L, 1);
	}
	lua_settop(L, t);
}

/* Reads the design at IDX into D (whose kinds are set). */
static void readdesign(lua_State *L, int idx, const char *who, struct design *d)
{
	if (!lua_istable(L, idx))
		luaL_error(L, "%s: the design must be a list of components", who);
	d->n = listlen(L, idx, who, "the design", DESIGN_MAX_COMPONENTS);
	for (int i = 0; i < d->n; i++) {
		lua_rawgeti(L, idx, i + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "%s: component %d must be a table", who, i + 1);
		readcomponent(L, who, i, &d->c[i]);
		lua_pop(L, 1);
	}
	char buf[400];
	if (design_check(d, buf, sizeof buf))
		luaL_error(L, "%s: %s", who, buf);
}

/* Compares two strings for qsort. */
static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Reads the kind table at the top of the stack, named NAME, into D. */
static void readkind(lua_State *L, const char *who, const char *name, struct design *d)
{
	int t = lua_gettop(L);
	char whom[160];
	snprintf(whom, sizeof whom, "%s: kinds.%s", who, name);
	if (!lua_istable(L, t))
		luaL_error(L, "%s must be a table", whom);
	int old = design_find_kind(d, name);
	struct kind_cfg k;
	const struct lab_val *o = lab_opts_into(L, t, whom, kind_opts, &k, 0); /* push box */
	struct design_kind nk;
	if (old >= 0) {
		nk = d->kinds[old];
	} else {
		memset(&nk, 0, sizeof nk);
		const int req[] = {K_WORKERS, K_LATENCY, K_PRICE};
		for (int j = 0; j < 3; j++)
			if (!o[req[j]].set)
				luaL_error(L, "%s: a new kind needs '%s'", whom, kind_opts[req[j]].name);
		nk.queue = (int)k.queue;
		nk.dist = (enum rs_dist)k.dist;
	}
	snprintf(nk.name, sizeof nk.name, "%s", name);
	if (o[K_WORKERS].set)
		nk.workers = (int)k.workers;
	if (o[K_LATENCY].set)
		nk.latency = k.latency;
	nk.write_latency = o[K_WLATENCY].set ? k.write_latency
			   : old >= 0 && !o[K_LATENCY].set ? nk.write_latency : nk.latency;
	if (o[K_QUEUE].set)
		nk.queue = (int)k.queue;
	if (o[K_PRICE].set)
		nk.price = k.price;
	if (o[K_MPRICE].set)
		nk.memory_price = k.memory_price;
	if (o[K_MEMORY].set)
		nk.memory = k.memory;
	if (o[K_RO].set)
		nk.read_only = k.read_only;
	if (o[K_LIMITER].set)
		nk.limiter = k.limiter;
	if (o[K_DIST].set)
		nk.dist = (enum rs_dist)k.dist;
	if (o[K_ABOUT].set) {
		if (o[K_ABOUT].len >= DESIGN_ABOUT_MAX)
			luaL_error(L, "%s: about must be shorter than %d bytes", whom,
				   DESIGN_ABOUT_MAX);
		memcpy(nk.about, k.about, o[K_ABOUT].len + 1);
	}
	char buf[200];
	if (design_set_kind(d, &nk, buf, sizeof buf))
		luaL_error(L, "%s: %s", who, buf);
	lua_settop(L, t);
}

/* Reads the kinds table at IDX (nil: none) into D, in the order of their
 * names (a table's own order is not fixed). */
static void readkinds(lua_State *L, int idx, const char *who, struct design *d)
{
	if (lua_isnoneornil(L, idx))
		return;
	if (!lua_istable(L, idx))
		luaL_error(L, "%s: kinds must be a table NAME = {workers =, latency =, price =}", who);
	int keep = lua_gettop(L) + 1;
	lua_newtable(L);                                 /* keep: anchors the names */
	const char *names[DESIGN_MAX_KINDS];
	int n = 0;
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1)) {
		char name[DESIGN_NAME_MAX];
		lua_pushvalue(L, -2);
		copyname(L, -1, who, "a kind's name", name);
		if (n >= DESIGN_MAX_KINDS)
			luaL_error(L, "%s: more than %d kinds", who, DESIGN_MAX_KINDS);
		names[n++] = lab_keep(L, keep);
	}
	qsort(names, (size_t)n, sizeof *names, cmpstr);
	for (int i = 0; i < n; i++) {
		lua_pushstring(L, names[i]);
		lua_rawget(L, idx);
		readkind(L, who, names[i], d);
		lua_pop(L, 1);
	}
	lua_settop(L, keep - 1);
}

/* Reads the workload at IDX into W; pushes the reader's box. Returns the
 * values read. */
static const struct lab_val *readworkload(lua_State *L, int idx, const char *whom,
					  struct workload *w)
{
	if (!lua_isnoneornil(L, idx) && !lua_istable(L, idx))
		luaL_error(L, "%s must be a table", whom);
	return lab_opts_into(L, idx, whom, workload_opts, w, 0);
}

/* ---- building lab.resilience's options ---- */

/* Pushes a copy of the table at IDX, read raw, its tables copied too down
 * to DEPTH levels (deeper ones shared). */
static void copytable(lua_State *L, int idx, int depth)
{
	idx = lua_absindex(L, idx);
	lua_newtable(L);
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1)) {
		lua_pushvalue(L, -2);                            /* key */
		if (depth > 0 && lua_istable(L, -2))
			copytable(L, -2, depth - 1);
		else
			lua_pushvalue(L, -2);
		lua_rawset(L, -5);
	}
}

static void setnum(lua_State *L, const char *k, double v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, k);
}

/* Pushes $ V: an integer when it is whole (prices are), else a float. */
static void pushmoney(lua_State *L, double v)
{
	if (v == floor(v) && fabs(v) < 9e15)
		lua_pushinteger(L, (lua_Integer)v);
	else
		lua_pushnumber(L, v);
}

/* Pushes the service table of component I (raw table at CIDX). */
static void push_service(lua_State *L, const char *who, const struct design *d, int i,
			 int cidx, const struct workload *w)
{
	const struct design_component *c = &d->c[i];
	struct design_service s;
	char buf[300];
	if (design_compile(d, i, w->size, w->keys, &s, buf, sizeof buf) != 0)
		luaL_error(L, "%s: %s", who, buf);
	lua_createtable(L, 0, 12);
	lab_setstr(L, "name", c->name);
	lab_setint(L, "workers", s.workers);
	lab_setint(L, "queue", s.queue);
	setnum(L, "latency", s.latency);
	if (s.write_latency != s.latency)
		setnum(L, "write_latency", s.write_latency);
	lab_setstr(L, "dist", s.dist == RS_DETERMINISTIC ? "deterministic" : "exponential");
	if (s.read_only)
		lab_setbool(L, "read_only", 1);
	if (s.cache > 0 && w->keys > 0)             /* requests without key never hit */
		lab_setint(L, "cache", (lua_Integer)s.cache);
	static const char *const routes[] = {"all", "one", "key"};
	if (c->route != DESIGN_ROUTE_ALL)
		lab_setstr(L, "route", routes[c->route]);
	const char *const copied[] = {"limit", "shed_after", NULL};
	for (const char *const *f = copied; *f; f++) {
		lab_optpush(L, cidx, *f);
		if (lua_istable(L, -1)) {
			copytable(L, -1, 0);
			lua_remove(L, -2);
		}
		lua_setfield(L, -2, *f);
	}
	lab_optpush(L, cidx, "calls");
	if (lua_istable(L, -1)) {
		copytable(L, -1, 2);
		lua_remove(L, -2);
	}
	lua_setfield(L, -2, "calls");
}

/* Pushes the faults of the workload (at WIDX) in lab.resilience's terms. */
static void push_faults(lua_State *L, const char *who, const struct design *d, int widx)
{
	lab_optpush(L, widx, "faults");
	int t = lua_gettop(L);
	int n = listlen(L, t, who, "workload.faults", RS_MAX_FAULTS);
	lua_createtable(L, n, 0);
	for (int i = 0; i < n; i++) {
		char whom[160];
		snprintf(whom, sizeof whom, "%s: workload.faults[%d]", who, i + 1);
		lua_rawgeti(L, t, i + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "%s must be a table", whom);
		struct wl_fault f;
		lab_opts_into(L, lua_gettop(L), whom, fault_opts, &f, 0); /* push box */
		int c = -1;
		for (int j = 0; j < d->n; j++)
			if (strcmp(d->c[j].name, f.component) == 0)
				c = j;
		if (c < 0)
			luaL_error(L, "%s: '%s' is no component of the design", whom, f.component);
		if (f.until < f.at)
			luaL_error(L, "%s: until must not come before at", whom);
		lua_createtable(L, 0, 6);
		lab_setstr(L, "service", d->c[c].name);
		setnum(L, "at", f.at);
		setnum(L, "until", f.until);
		int inst = d->c[c].instances;
		if (f.mode == 1) {
			lab_setstr(L, "mode", "slow");
			setnum(L, "factor", f.factor);
		} else if (f.mode == 2) {
			lab_setstr(L, "mode", "error");
			setnum(L, "rate", f.rate);
		} else if (f.instances >= inst) {
			lab_setstr(L, "mode", "down");
		} else {
			lab_setstr(L, "mode", "brownout");
			setnum(L, "factor", (double)(inst - f.instances) / inst);
		}
		lua_rawseti(L, -4, i + 1);
		lua_pop(L, 2);                                   /* box, element */
	}
	lua_remove(L, t);
}

/* Pushes the options of lab.resilience.simulate for D under the workload
 * W (its table at WIDX, read into O) with SEED. */
static void push_opts(lua_State *L, const char *who, const struct design *d, int didx,
		      int widx, const struct workload *w, const struct lab_val *o, int64_t seed)
{
	lua_createtable(L, 0, 8);
	int opts = lua_gettop(L);
	setnum(L, "duration", w->duration);
	setnum(L, "drain", w->drain);
	setnum(L, "interval", w->interval);
	lab_setint(L, "seed", (lua_Integer)seed);
	lua_createtable(L, d->n, 0);
	for (int i = 0; i < d->n; i++) {
		lua_rawgeti(L, didx, i + 1);
		push_service(L, who, d, i, lua_gettop(L), w);
		lua_rawseti(L, -3, i + 1);
		lua_pop(L, 1);
	}
	lua_setfield(L, opts, "services");
	lua_createtable(L, 0, 8);
	setnum(L, "rate", w->rate);
	setnum(L, "timeout", w->timeout);
	lab_setint(L, "retries", (lua_Integer)w->retries);
	if (o[WL_WRITES].set)
		setnum(L, "writes", w->writes);
	if (o[WL_KEYS].set)
		lab_setint(L, "keys", (lua_Integer)w->keys);
	if (o[WL_SKEW].set)
		setnum(L, "skew", w->skew);
	lab_optpush(L, widx, "bursts");
	if (lua_istable(L, -1)) {
		copytable(L, -1, 1);
		lua_remove(L, -2);
	}
	lua_setfield(L, -2, "bursts");
	lua_setfield(L, opts, "client");
	push_faults(L, who, d, widx);
	lua_setfield(L, opts, "faults");
}

/* The C function NAME of the namespace NS, from the registry. */
static lua_CFunction nsfn(lua_State *L, const char *ns, const char *name)
{
	const struct lab_entry *e = lab_find(ns);
	for (const luaL_Reg *r = e && e->ns ? e->ns->functions : NULL; r && r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r->func;
	luaL_error(L, "lab.design: lab.%s.%s is missing", ns, name);
	return NULL;
}

/* Raises the error on top of the stack, with lab.resilience's words for a
 * design's put in the design's: services[2] is component 'db' (2), the
 * client is the workload. Any other error (a stop, out of memory) goes on
 * as it is. */
static int rethrow(lua_State *L, const char *who, const struct design *d)
{
	size_t plen = strlen(RS_WHO ": ");
	if (lua_type(L, -1) != LUA_TSTRING || strncmp(lua_tostring(L, -1), RS_WHO ": ", plen))
		return lua_error(L);
	const char *rest = lua_tostring(L, -1) + plen;
	int i = 0, used = 0;
	if (sscanf(rest, "services[%d]%n", &i, &used) == 1 && used > 0 && i >= 1 && i <= d->n)
		lua_pushfstring(L, "%s: component '%s' (%d)%s%s", who, d->c[i - 1].name, i,
				rest[used] == '.' ? ": " : "", rest + used + (rest[used] == '.'));
	else if (strncmp(rest, "client", 6) == 0)
		lua_pushfstring(L, "%s: workload%s", who, rest + 6);
	else
		lua_pushfstring(L, "%s: %s", who, rest);
	return lua_error(L);
}

/* ---- the result ---- */

/* t[k] of the table at IDX as a number (raw); NAN when absent. */
static double getnum(lua_State *L, int idx, const char *k)
{
	lua_pushstring(L, k);
	lua_rawget(L, idx);
	double v = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
	lua_pop(L, 1);
	return v;
}

/* Adds cost, lost, lag, components and bottleneck to the result at R of a
 * run whose clients sent for DURATION seconds. */
static void add_design_fields(lua_State *L, const struct design *d, double duration, int r)
{
	double util[DESIGN_MAX_COMPONENTS], lag = 0;
	uint64_t rejected[DESIGN_MAX_COMPONENTS], shed[DESIGN_MAX_COMPONENTS];
	pushmoney(L, design_cost(d));
	lua_setfield(L, r, "cost");
	double writes = getnum(L, r, "writes"), ws = getnum(L, r, "write_success");
	double wd = getnum(L, r, "write_degraded");
	/* a write a fallback answered was not stored either */
	double lost_writes = writes > 0 && !isnan(ws) ? floor(writes * (1 - ws) + 0.5) : 0;
	lost_writes += isnan(wd) ? 0 : wd;
	double lost_async = 0;
	lua_getfield(L, r, "services");
	int svcs = lua_gettop(L);
	lua_createtable(L, 0, d->n);                      /* components */
	for (int i = 0; i < d->n; i++) {
		const struct design_component *c = &d->c[i];
		lua_getfield(L, svcs, c->name);
		int s = lua_gettop(L);
		double bt = getnum(L, s, "busy_time"), l = getnum(L, s, "lag_p99");
		int workers = c->instances * d->kinds[c->kind].workers;
		/* busy while the clients send: the drain's quiet would dilute it */
		util[i] = isnan(bt) ? 0 : fmin(1, bt / (workers * duration));
		lab_setnum(L, "busy", util[i]);
		lag = isnan(l) ? lag : fmax(lag, l);
		double rej = getnum(L, s, "rejected"), sh = getnum(L, s, "shed");
		rejected[i] = isnan(rej) ? 0 : (uint64_t)rej;
		shed[i] = isnan(sh) ? 0 : (uint64_t)sh;
		if (design_async_only(d, i)) {           /* accepted, then dropped */
			double e = getnum(L, s, "errors");
			lost_async += (isnan(e) ? 0 : e) + (double)shed[i];
		}
		lab_setstr(L, "kind", d->kinds[c->kind].name);
		lab_setint(L, "instances", c->instances);
		lab_setint(L, "workers", (lua_Integer)c->instances * d->kinds[c->kind].workers);
		pushmoney(L, design_component_cost(d, i));
		lua_setfield(L, -2, "cost");
		lua_setfield(L, -2, c->name);
	}
	lua_setfield(L, r, "components");
	lua_pop(L, 1);                                    /* services */
	lua_pushnumber(L, lag);
	lua_setfield(L, r, "lag");
	lua_pushinteger(L, (lua_Integer)lost_writes);
	lua_setfield(L, r, "lost_writes");
	lua_pushinteger(L, (lua_Integer)lost_async);
	lua_setfield(L, r, "lost_async");
	lua_pushinteger(L, (lua_Integer)(lost_writes + lost_async));
	lua_setfield(L, r, "lost");
	int b = design_bottleneck(d, util, rejected, shed);
	struct sbuf text = SBUF_INIT;
	design_bottleneck_text(&text, d->c[b].name, util[b], rejected[b], shed[b]);
	lua_createtable(L, 0, 5);
	lab_setstr(L, "name", d->c[b].name);
	lab_setnum(L, "utilization", util[b]);
	lab_setint(L, "rejected", (lua_Integer)rejected[b]);
	lab_setint(L, "shed", (lua_Integer)shed[b]);
	lua_pushstring(L, sbuf_str(&text));               /* may raise: free first */
	sbuf_free(&text);
	lua_setfield(L, -2, "text");
	lua_setfield(L, r, "bottleneck");
}

/* What run and evaluate share: the design D read from DIDX, the workload
 * read from WIDX. */
struct ctx {
	const char *who;
	struct design *d;
	int didx, widx;
	struct workload w;
	const struct lab_val *o;
};

/* Runs C's design with SEED; pushes the result. */
static void run_once(lua_State *L, struct ctx *c, int64_t seed)
{
	lua_pushcfunction(L, nsfn(L, "resilience", "simulate"));
	push_opts(L, c->who, c->d, c->didx, c->widx, &c->w, c->o, seed);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK)
		rethrow(L, c->who, c->d);
	add_design_fields(L, c->d, c->w.duration, lua_gettop(L));
}

/* Reads the kinds at KIDX, the design at DIDX and the workload at WIDX
 * into C (the design in scratch memory it pushes, and the workload's box). */
static void setup(lua_State *L, struct ctx *c, const char *who, int didx, int widx, int kidx,
		  int need_rate)
{
	c->who = who;
	c->didx = didx;
	c->widx = widx;
	c->d = lab_scratch(L, sizeof *c->d);
	design_init(c->d);
	readkinds(L, kidx, who, c->d);
	readdesign(L, didx, who, c->d);
	char whom[64];
	snprintf(whom, sizeof whom, "%s: workload", who);
	c->o = readworkload(L, widx, whom, &c->w);
	if (need_rate && !c->o[WL_RATE].set)
		luaL_error(L, "%s: option 'rate' is required", whom);
}

static int l_run(lua_State *L)
{
	lua_settop(L, 3);
	struct ctx c;
	setup(L, &c, "lab.design.run", 1, 2, 3, 1);
	run_once(L, &c, c.w.seed);
	return 1;
}

static int l_cost(lua_State *L)
{
	lua_settop(L, 3);
	struct ctx c;
	setup(L, &c, "lab.design.cost", 1, 2, 3, 0);
	pushmoney(L, design_cost(c.d));
	return 1;
}

static int l_describe(lua_State *L)
{
	lua_settop(L, 3);
	struct ctx c;
	setup(L, &c, "lab.design.describe", 1, 2, 3, 0);
	struct sbuf out = SBUF_INIT;
	/* the items a cache holds: shown given a workload */
	design_describe(c.d, lua_istable(L, 2) ? c.w.size : 0, c.w.keys, &out);
	lua_pushstring(L, sbuf_str(&out));                /* may raise: free first */
	sbuf_free(&out);
	return 1;
}

/* ---- evaluate ---- */

/* The figures of the run result at R. */
static void figures(lua_State *L, int r, struct design_figs *f)
{
	static const char *const keys[DESIGN_NREQS] = {
		"p99", "read_p99", "write_p99", "success", "read_success", "write_success",
		"lost", "lag", "cost"};
	for (int k = 0; k < DESIGN_NREQS; k++) {
		lua_pushstring(L, keys[k]);
		lua_rawget(L, r);
		f->has[k] = lua_type(L, -1) == LUA_TNUMBER;
		f->v[k] = f->has[k] ? lua_tonumber(L, -1) : NAN;
		f->has[k] = 1;                                   /* absent: NaN, nothing measured */
		lua_pop(L, 1);
	}
}

/* Pushes the series of the run at R as two text plots, client p99 and
 * success per interval, over the DURATION the clients send. */
static void push_plot(lua_State *L, int r, int64_t seed, double duration)
{
	lua_CFunction lines = nsfn(L, "plot", "lines");
	lua_getfield(L, r, "series");
	int s = lua_gettop(L);
	lua_getfield(L, s, "t");
	int t = lua_gettop(L);
	size_t n = lua_rawlen(L, t);
	while (n > 1) {                                   /* the drain: no requests */
		lua_rawgeti(L, t, (lua_Integer)n);
		double last = lua_tonumber(L, -1);
		lua_pop(L, 1);
		if (last < duration)
			break;
		n--;
	}
	lua_createtable(L, (int)n, 0);                    /* x: t cut to N */
	for (size_t i = 1; i <= n; i++) {
		lua_rawgeti(L, t, (lua_Integer)i);
		lua_rawseti(L, -2, (lua_Integer)i);
	}
	lua_replace(L, t);
	lua_createtable(L, (int)n, 0);                    /* p99 in ms */
	lua_createtable(L, (int)n, 0);                    /* success of those answered */
	int p = t + 1, ok = t + 2;
	lua_getfield(L, s, "p99");
	lua_getfield(L, s, "failed");
	lua_getfield(L, s, "ok");
	lua_getfield(L, s, "degraded");
	for (size_t i = 1; i <= n; i++) {
		lua_rawgeti(L, t + 3, (lua_Integer)i);
		lua_rawgeti(L, t + 4, (lua_Integer)i);
		lua_rawgeti(L, t + 5, (lua_Integer)i);
		lua_rawgeti(L, t + 6, (lua_Integer)i);
		double p99 = lua_tonumber(L, -4), failed = lua_tonumber(L, -3);
		double good = lua_tonumber(L, -2) + lua_tonumber(L, -1);
		double done = good + failed;          /* answered in the interval */
		lua_pop(L, 4);
		lua_pushnumber(L, lua_type(L, t + 3) == LUA_TTABLE ? p99 * 1000 : NAN);
		lua_rawseti(L, p, (lua_Integer)i);
		lua_pushnumber(L, done > 0 ? good / done * 100 : NAN);
		lua_rawseti(L, ok, (lua_Integer)i);
	}
	char title[96];
	for (int k = 0; k < 2; k++) {
		lua_pushcfunction(L, lines);
		lua_createtable(L, 0, 6);
		lua_pushvalue(L, t);
		lua_setfield(L, -2, "x");
		lua_pushvalue(L, k == 0 ? p : ok);
		lua_setfield(L, -2, "y");
		snprintf(title, sizeof title, "%s per interval (seed %lld)",
			 k == 0 ? "client p99 latency (ms)" : "client success (%)",
			 (long long)seed);
		lab_setstr(L, "title", title);
		lab_setstr(L, "xlabel", "seconds");
		lab_setint(L, "height", 8);
		if (k == 1) {                                 /* success: 0 to 100 % */
			lua_createtable(L, 2, 0);
			lua_pushinteger(L, 0);
			lua_rawseti(L, -2, 1);
			lua_pushinteger(L, 100);
			lua_rawseti(L, -2, 2);
			lua_setfield(L, -2, "ylim");
		}
		lua_call(L, 1, 1);
	}
	lua_pushliteral(L, "\n");
	lua_insert(L, -2);
	lua_concat(L, 3);
	lua_replace(L, s);
	lua_settop(L, s);
}

/* Sets the fields of the figures F into the table on top (NaN left out). */
static void set_figures(lua_State *L, const struct design_figs *f)
{
	lua_createtable(L, 0, DESIGN_NREQS);
	for (int k = 0; k < DESIGN_NREQS; k++)
		if (f->has[k] && !isnan(f->v[k])) {
			if (k == DESIGN_COST || k == DESIGN_LOST)
				pushmoney(L, f->v[k]);           /* whole: an integer */
			else
				lua_pushnumber(L, f->v[k]);
			lua_setfield(L, -2, design_req_key((enum design_req)k));
		}
	lua_setfield(L, -2, "figures");
}

/* Reads the requirements at IDX (nil: none) into NEED. */
static void readreqs(lua_State *L, int idx, const char *who, struct design_figs *need)
{
	char whom[64];
	snprintf(whom, sizeof whom, "%s: requirements", who);
	if (!lua_isnil(L, idx) && !lua_istable(L, idx))
		luaL_error(L, "%s must be a table", whom);
	const struct lab_val *o = lab_opts(L, idx, whom, req_opts); /* push box */
	for (int k = 0; k < DESIGN_NREQS; k++) {
		need->has[k] = o[k].set;
		need->v[k] = o[k].num;
	}
	lua_pop(L, 1);
}

static int l_evaluate(lua_State *L)
{
	const char *who = "lab.design.evaluate";
	lua_settop(L, 2);
	if (!lua_istable(L, 2))
		return luaL_error(L, "%s: the problem must be a table {workload =, requirements =}",
				  who);
	lab_opts(L, 2, who, problem_opts);                          /* 3 */
	lab_optpush(L, 2, "workload");                              /* 4 */
	lab_optpush(L, 2, "requirements");                          /* 5 */
	lab_optpush(L, 2, "seeds");                                 /* 6 */
	lab_optpush(L, 2, "kinds");                                 /* 7 */
	struct design_figs need;
	readreqs(L, 5, who, &need);
	size_t nseeds = 3;
	double dflt[3] = {1, 2, 3}, *seeds = dflt;
	if (!lua_isnil(L, 6)) {
		seeds = lab_checknums(L, 6, "lab.design.evaluate: seeds", &nseeds); /* 8 */
		if (nseeds < 1 || nseeds > 100)
			return luaL_error(L, "%s: seeds must hold 1 to 100 seeds", who);
		for (size_t i = 0; i < nseeds; i++)
			if (seeds[i] != floor(seeds[i]) || fabs(seeds[i]) > 9e15)
				return luaL_error(L, "%s: seeds[%d] must be an integer", who, (int)i + 1);
	} else {
		lua_pushnil(L);                                     /* 8 */
	}
	struct ctx c;
	setup(L, &c, who, 1, 4, 7, 1);                              /* 9, 10 */
	lua_createtable(L, (int)nseeds, 0);                         /* 11: runs */
	int runs = lua_gettop(L);
	struct design_figs worst;
	memset(&worst, 0, sizeof worst);
	int missed = -1, failing = -1;
	double got = NAN;
	for (size_t i = 0; i < nseeds; i++) {
		run_once(L, &c, (int64_t)seeds[i]);
		struct design_figs f;
		figures(L, lua_gettop(L), &f);
		design_worst(&worst, &f);
		int m = design_missed(&need, &f);
		if (m >= 0 && failing < 0) {
			failing = (int)i;
			missed = m;
			got = f.v[m];
		}
		lua_rawseti(L, runs, (lua_Integer)i + 1);
	}
	int shown = failing >= 0 ? failing : 0;
	lua_createtable(L, 0, 8);                                   /* 12: verdict */
	int v = lua_gettop(L);
	lab_setbool(L, "pass", failing < 0);
	if (failing >= 0) {
		lua_pushinteger(L, (lua_Integer)seeds[failing]);
		lua_setfield(L, v, "seed");
		struct sbuf text = SBUF_INIT;
		design_missed_text(&text, (enum design_req)missed, got, need.v[missed],
				   (int64_t)seeds[failing]);
		lua_pushstring(L, sbuf_str(&text));
		sbuf_free(&text);
		lua_setfield(L, v, "missed");
		lab_setstr(L, "requirement", design_req_key((enum design_req)missed));
	}
	set_figures(L, &worst);
	lua_rawgeti(L, runs, shown + 1);
	int r = lua_gettop(L);
	lua_getfield(L, r, "bottleneck");
	lua_getfield(L, -1, "text");
	lua_setfield(L, v, "bottleneck");
	lua_pop(L, 1);
	push_plot(L, r, (int64_t)seeds[shown], c.w.duration);
	lua_setfield(L, v, "plot");
	lua_pop(L, 1);
	lua_pushvalue(L, runs);
	lua_setfield(L, v, "runs");
	return 1;
}

/* ---- the catalog ---- */

static void fields(lua_State *L)
{
	lua_createtable(L, 0, design_ncatalog);
	for (int i = 0; i < design_ncatalog; i++) {
		const struct design_kind *k = &design_catalog[i];
		lua_createtable(L, 0, 12);
		lab_setint(L, "workers", k->workers);
		lab_setnum(L, "latency", k->latency);
		lab_setnum(L, "write_latency", k->write_latency);
		lab_setint(L, "queue", k->queue);
		pushmoney(L, k->price);
		lua_setfield(L, -2, "price");
		pushmoney(L, k->memory_price);
		lua_setfield(L, -2, "memory_price");
		lab_setbool(L, "memory", k->memory);
		lab_setbool(L, "read_only", k->read_only);
		lab_setbool(L, "limiter", k->limiter);
		lab_setstr(L, "dist", k->dist == RS_DETERMINISTIC ? "deterministic" : "exponential");
		lab_setstr(L, "about", k->about);
		lab_setint(L, "order", i + 1);
		lua_setfield(L, -2, k->name);
	}
	lua_setfield(L, -2, "catalog");
}

const struct lab_namespace lab_ns_design = {
	.functions = (const luaL_Reg[]){{"run", l_run},
					{"evaluate", l_evaluate},
					{"cost", l_cost},
					{"describe", l_describe},
					{NULL, NULL}},
	.fields = fields,
	.options = (const struct lab_fnopts[]){{"run design", component_opts},
					       {"run calls", call_opts},
					       {"run workload", workload_opts},
					       {"run faults", fault_opts},
					       {"evaluate", problem_opts},
					       {"evaluate requirements", req_opts},
					       {"evaluate kinds", kind_opts},
					       {NULL, NULL}},
};
