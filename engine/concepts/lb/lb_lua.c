/*
 * lb_lua.c — lab.lb: the Lua binding of lbpick.h (an interactive balancer)
 * and lbsim.h (the simulator).
 *
 *   local b = lab.lb.new{strategy = "swrr", backends = {{"a", 5}, "b", "c"}}
 *   local i, name = b:pick([client])   b:done(i, latency)   b:fail(i)
 *   b:mark(i_or_name, up)   b:sequence(n [, client])   b:snapshot()
 *
 *   local r = lab.lb.simulate{
 *     backends = {{weight = 3, capacity = 16, service = {dist = "exp", mean = 0.010}}, ...},
 *     strategy = "p2c", rate = 5000, requests = 1e6, seed = 1,
 *     events = {{at = 10, backend = 2, down = true}, {at = 30, backend = 2, down = false}},
 *     health = {interval = 1, fall = 3, rise = 2}}
 *   r.throughput r.latency.p99 r.backends[1].utilisation r.health r.series.t ...
 *
 * Backend indices are 1-based in Lua, 0-based in C. A backend is given as a
 * name, a weight, or a table {name = , weight = , backup = } / {name, weight};
 * default names are b1, b2... Defaults of simulate: strategy "rr", rate 1000,
 * requests 10^5, seed 1, clients 1000 (uniform; client_skew = s for Zipf),
 * alpha 0.1; per backend weight 1, capacity 16, queue unlimited (false; a
 * number is a limit, 0 rejects as soon as all servers are busy), service
 * exponential with mean 10 ms. A service given as a number is an
 * exponential mean; as a table: dist "exp" | "const" | "normal" (sd,
 * default mean/4) | "bimodal" (slow, default 10 * mean; p_slow, default
 * 0.01). No health checks unless `health` is given (true for the
 * defaults interval 1, fall 3, rise 2). The time series has 1 s buckets,
 * ten times coarser per decade beyond 1000 buckets, unless `series` gives
 * a bucket or is false.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/lb/lbpick.h"
#include "engine/concepts/lb/lbsim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define LB_T "lab.lb"
#define REPORT_T "lab.lb report" /* scratch, never seen by Lua code */

#define STRATEGIES "rr, swrr, random, lc, lrt, p2c, iphash, chash"

struct lb {
	struct lbpick *p; /* NULL once collected */
};

static struct lbpick *tolb(lua_State *L)
{
	struct lb *b = luaL_checkudata(L, 1, LB_T);
	if (!b->p)
		luaL_error(L, "balancer is closed");
	return b->p;
}

static enum lb_strategy checkstrategy(lua_State *L, int idx)
{
	enum lb_strategy s;
	const char *name = lab_optstr(L, idx, "strategy", "rr");
	if (lb_strategy_parse(name, &s) < 0)
		luaL_error(L, "strategy must be one of " STRATEGIES " (not '%s')", name);
	return s;
}

/* Default names b1, b2... live in a scratch userdata kept on the stack. */
static char *scratch_names(lua_State *L, size_t n)
{
	char *buf = lua_newuserdatauv(L, n * 16 + 1, 0); /* push scratch */
	for (size_t i = 0; i < n; i++)
		snprintf(buf + 16 * i, 16, "b%u", (unsigned)(i + 1) % 100000000u);
	return buf;
}

/*
 * Reads backend element I (at the top of the stack) shared fields: a number
 * is a weight, a string a name, a table {name = , weight = , backup = } or
 * {name, weight}. Leaves the stack as it was.
 */
static void readbackend(lua_State *L, lua_Integer i, const char **name, int *weight, int *backup)
{
	int t = lua_type(L, -1);
	if (t == LUA_TNUMBER) {
		*weight = (int)luaL_checkinteger(L, -1);
	} else if (t == LUA_TSTRING) {
		*name = lua_tostring(L, -1);
	} else if (t == LUA_TTABLE) {
		int top = lua_gettop(L);
		if (lua_getfield(L, top, "name") == LUA_TNIL) { /* push name */
			lua_pop(L, 1);                         /* remove nil */
			lua_rawgeti(L, top, 1);                /* push t[1] */
		}
		if (!lua_isnil(L, -1)) {
			if (lua_type(L, -1) != LUA_TSTRING)
				luaL_error(L, "backend %I: name must be a string", i);
			*name = lua_tostring(L, -1); /* kept alive by the element */
		}
		if (lua_getfield(L, top, "weight") == LUA_TNIL) { /* push weight */
			lua_pop(L, 1);                           /* remove nil */
			lua_rawgeti(L, top, 2);                  /* push t[2] */
		}
		if (!lua_isnil(L, -1)) {
			int ok;
			lua_Integer w = lua_tointegerx(L, -1, &ok);
			if (!ok)
				luaL_error(L, "backend %I: weight must be an integer", i);
			*weight = w < 0 || w > 1000000 ? -1 : (int)w;
		}
		*backup = lab_optbool(L, top, "backup", 0);
		lua_settop(L, top);                              /* remove name, weight */
	} else {
		luaL_error(L, "backend %I must be a table, a name or a weight", i);
	}
	if (*weight < 1 || *weight > LB_MAX_WEIGHT)
		luaL_error(L, "backend %I: weight must be an integer between 1 and %d", i,
			   LB_MAX_WEIGHT);
}

/* Pushes the list in option 'backends' of the options at IDX; returns its length. */
static size_t getbackends(lua_State *L, int idx)
{
	if (lua_getfield(L, idx, "backends") != LUA_TTABLE) /* push backends */
		luaL_error(L, "option 'backends' must be a list of backends");
	size_t n = lua_rawlen(L, -1);
	if (n < 1 || n > LB_MAX_BACKENDS)
		luaL_error(L, "there must be between 1 and %d backends", LB_MAX_BACKENDS);
	return n;
}

/* Index (0-based) of the backend named or numbered at IDX. */
static size_t checkbackend(lua_State *L, struct lbpick *p, int idx)
{
	size_t n = lbpick_count(p);
	if (lua_type(L, idx) == LUA_TSTRING) {
		const char *name = lua_tostring(L, idx);
		for (size_t i = 0; i < n; i++)
			if (strcmp(lbpick_name(p, i), name) == 0)
				return i;
		luaL_error(L, "no backend named '%s'", name);
	}
	lua_Integer i = luaL_checkinteger(L, idx);
	luaL_argcheck(L, i >= 1 && (size_t)i <= n, idx, "backend index out of range");
	return (size_t)i - 1;
}

/* ---- the interactive balancer --------------------------------------------- */

static int l_new(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);                       /* the options */
	enum lb_strategy s = checkstrategy(L, 1);
	lua_Integer seed = lab_optint(L, 1, "seed", 1);
	double alpha = lab_optnum(L, 1, "alpha", 0.1);
	if (!(alpha > 0 && alpha <= 1))
		return luaL_error(L, "alpha must be in (0, 1]");
	size_t n = getbackends(L, 1);                   /* stack: opts, backends */
	char *names = scratch_names(L, n);              /* stack: opts, backends, scratch */
	struct lbpick_backend *pb = lua_newuserdatauv(L, n * sizeof *pb, 0); /* push scratch */
	for (size_t i = 0; i < n; i++) {
		pb[i] = (struct lbpick_backend){names + 16 * i, 1, 0};
		lua_rawgeti(L, 2, (lua_Integer)i + 1);  /* push element */
		readbackend(L, (lua_Integer)i + 1, &pb[i].name, &pb[i].weight, &pb[i].backup);
		lua_pop(L, 1);                          /* remove element (names stay in backends) */
		for (size_t j = 0; j < i; j++)
			if (strcmp(pb[i].name, pb[j].name) == 0)
				return luaL_error(L, "backend names must be unique ('%s' twice)",
						  pb[i].name);
	}
	struct lb *b = lua_newuserdatauv(L, sizeof *b, 0); /* push balancer */
	b->p = NULL;
	luaL_setmetatable(L, LB_T);
	if (!(b->p = lbpick_new(s, pb, n, (uint64_t)seed, alpha)))
		return luaL_error(L, "not enough memory");
	return 1;
}

static const struct lb_key *optkey(lua_State *L, struct lbpick *p, int idx, struct lb_key *k)
{
	if (lua_isnoneornil(L, idx)) {
		if (lb_strategy_keyed(lbpick_strategy(p)))
			luaL_error(L, "strategy %s needs a client id: b:pick(client)",
				   lb_strategy_name(lbpick_strategy(p)));
		return NULL;
	}
	size_t len;
	const char *s = luaL_checklstring(L, idx, &len);
	lb_key_make(k, s, len);
	return k;
}

static int m_pick(lua_State *L)
{
	struct lbpick *p = tolb(L);
	struct lb_key k;
	int i = lbpick_pick(p, optkey(L, p, 2, &k));
	if (i < 0) {
		lua_pushnil(L);
		lua_pushliteral(L, "no backend is up");
		return 2;
	}
	lua_pushinteger(L, i + 1);
	lua_pushstring(L, lbpick_name(p, (size_t)i));
	return 2;
}

static int m_done(lua_State *L)
{
	struct lbpick *p = tolb(L);
	size_t i = checkbackend(L, p, 2);
	double lat = luaL_optnumber(L, 3, 0);
	luaL_argcheck(L, lat >= 0 && isfinite(lat), 3, "latency must be a non-negative number");
	if (lbpick_done(p, i, lat) < 0)
		return luaL_error(L, "backend %d has no request outstanding", (int)i + 1);
	return 0;
}

static int m_fail(lua_State *L)
{
	struct lbpick *p = tolb(L);
	size_t i = checkbackend(L, p, 2);
	if (lbpick_fail(p, i) < 0)
		return luaL_error(L, "backend %d has no request outstanding", (int)i + 1);
	return 0;
}

static int m_mark(lua_State *L)
{
	struct lbpick *p = tolb(L);
	size_t i = checkbackend(L, p, 2);
	luaL_checktype(L, 3, LUA_TBOOLEAN);
	lbpick_mark(p, i, lua_toboolean(L, 3));
	return 0;
}

/* b:sequence(n [, client]): N picks, each answered at once (latency 0);
 * returns the names picked, in order. */
static int m_sequence(lua_State *L)
{
	struct lbpick *p = tolb(L);
	lua_Integer n = luaL_checkinteger(L, 2);
	luaL_argcheck(L, n >= 0 && n <= 1000000, 2, "count must be between 0 and 10^6");
	struct lb_key k;
	const struct lb_key *key = optkey(L, p, 3, &k);
	lua_createtable(L, (int)n, 0);          /* names */
	for (lua_Integer j = 1; j <= n; j++) {
		int i = lbpick_pick(p, key);
		if (i < 0)
			break;
		lbpick_done(p, (size_t)i, 0);
		lua_pushstring(L, lbpick_name(p, (size_t)i));
		lua_rawseti(L, -2, j);              /* names[j] = name */
	}
	return 1;
}

static int m_snapshot(lua_State *L)
{
	struct lbpick *p = tolb(L);
	size_t n = lbpick_count(p);
	lua_createtable(L, 0, 3);               /* snapshot */
	lua_pushstring(L, lb_strategy_name(lbpick_strategy(p)));
	lua_setfield(L, -2, "strategy");
	lua_pushinteger(L, (lua_Integer)lbpick_eligible(p));
	lua_setfield(L, -2, "eligible");
	lua_createtable(L, (int)n, 0);          /* backends */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 8);           /* backend */
		lua_pushstring(L, lbpick_name(p, i));
		lua_setfield(L, -2, "name");
		lua_pushinteger(L, lbpick_weight(p, i));
		lua_setfield(L, -2, "weight");
		lua_pushboolean(L, lbpick_backup(p, i));
		lua_setfield(L, -2, "backup");
		lua_pushboolean(L, lbpick_up(p, i));
		lua_setfield(L, -2, "up");
		lua_pushinteger(L, (lua_Integer)lbpick_outstanding(p, i));
		lua_setfield(L, -2, "outstanding");
		lua_pushinteger(L, (lua_Integer)lbpick_current_weight(p, i));
		lua_setfield(L, -2, "current_weight");
		if (lbpick_ewma(p, i) >= 0) {
			lua_pushnumber(L, lbpick_ewma(p, i));
			lua_setfield(L, -2, "ewma");
		}
		lua_pushinteger(L, (lua_Integer)lbpick_picks(p, i));
		lua_setfield(L, -2, "picks");
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* backends[i+1] = backend */
	}
	lua_setfield(L, -2, "backends");
	return 1;
}

static int m_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)lbpick_count(tolb(L)));
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct lbpick *p = tolb(L);
	lua_pushfstring(L, "lab.lb(%s, %d backends, %d eligible)",
			lb_strategy_name(lbpick_strategy(p)), (int)lbpick_count(p),
			(int)lbpick_eligible(p));
	return 1;
}

static int m_gc(lua_State *L)
{
	struct lb *b = luaL_checkudata(L, 1, LB_T);
	lbpick_free(b->p);
	b->p = NULL;
	return 0;
}

/* ---- the simulator --------------------------------------------------------- */

/* Reads a service spec at the top of the stack: a number (exponential mean)
 * or {dist = , mean = , sd = , slow = , p_slow = }. */
static struct lb_service readservice(lua_State *L, lua_Integer i)
{
	struct lb_service s = {LB_DIST_EXP, 0.010, 0, 0, 0.01};
	int top = lua_gettop(L);
	if (lua_isnil(L, top))
		return s;
	if (lua_type(L, top) == LUA_TNUMBER) {
		s.mean = lua_tonumber(L, top);
		return s;
	}
	if (!lua_istable(L, top))
		luaL_error(L, "backend %I: service must be a mean (seconds) or a table", i);
	static const struct {
		const char *name;
		enum lb_dist d;
	} dists[] = {{"exp", LB_DIST_EXP},         {"exponential", LB_DIST_EXP},
		     {"const", LB_DIST_CONST},     {"constant", LB_DIST_CONST},
		     {"normal", LB_DIST_NORMAL},   {"bimodal", LB_DIST_BIMODAL}};
	const char *d = lab_optstr(L, top, "dist", "exp");
	size_t k = 0;
	while (k < sizeof dists / sizeof *dists && strcmp(dists[k].name, d) != 0)
		k++;
	if (k == sizeof dists / sizeof *dists)
		luaL_error(L, "backend %I: service dist must be const, exp, normal or bimodal", i);
	s.dist = dists[k].d;
	s.mean = lab_optnum(L, top, "mean", 0.010);
	s.sd = lab_optnum(L, top, "sd", s.mean / 4);
	s.slow = lab_optnum(L, top, "slow", 10 * s.mean);
	s.p_slow = lab_optnum(L, top, "p_slow", 0.01);
	return s;
}

static void setnum(lua_State *L, const char *k, double v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, k);
}

static void setint(lua_State *L, const char *k, uint64_t v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, k);
}

static void pushreport(lua_State *L, const struct lbsim_config *c, const struct lbsim_report *r)
{
	lua_createtable(L, 0, 16);              /* result */
	lua_pushstring(L, lb_strategy_name(c->strategy));
	lua_setfield(L, -2, "strategy");
	setint(L, "requests", r->requests);
	setint(L, "completed", r->completed);
	setint(L, "failed", r->failed);
	setint(L, "rejected", r->rejected);
	setint(L, "unavailable", r->unavailable);
	setint(L, "errors", r->failed + r->rejected + r->unavailable);
	setnum(L, "duration", r->duration);
	setnum(L, "throughput", r->throughput);
	lua_createtable(L, 0, 5);               /* latency */
	setnum(L, "mean", r->mean);
	setnum(L, "p50", r->p50);
	setnum(L, "p95", r->p95);
	setnum(L, "p99", r->p99);
	setnum(L, "max", r->max);
	lua_setfield(L, -2, "latency");
	lua_createtable(L, (int)r->nbackends, 0); /* backends */
	for (size_t i = 0; i < r->nbackends; i++) {
		const struct lbsim_backend_stats *b = &r->backend[i];
		lua_createtable(L, 0, 10);          /* backend */
		lua_pushstring(L, c->backends[i].name);
		lua_setfield(L, -2, "name");
		setint(L, "weight", (uint64_t)c->backends[i].weight);
		setint(L, "routed", b->routed);
		setnum(L, "share", (double)b->routed / (double)r->requests);
		setint(L, "completed", b->completed);
		setint(L, "failed", b->failed);
		setint(L, "rejected", b->rejected);
		setnum(L, "mean_latency", b->completed ? b->latency_sum / (double)b->completed : 0);
		setnum(L, "utilisation", b->utilisation);
		setint(L, "max_queue", b->max_queue);
		setint(L, "ejections", b->ejections);
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* backends[i+1] = backend */
	}
	lua_setfield(L, -2, "backends");
	lua_createtable(L, (int)r->nmarks, 0);  /* health: the marks, in time order */
	for (size_t i = 0; i < r->nmarks; i++) {
		lua_createtable(L, 0, 4);           /* mark */
		setnum(L, "at", r->marks[i].at);
		setint(L, "backend", r->marks[i].backend + 1);
		lua_pushstring(L, c->backends[r->marks[i].backend].name);
		lua_setfield(L, -2, "name");
		lua_pushboolean(L, r->marks[i].up);
		lua_setfield(L, -2, "up");
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* health[i+1] = mark */
	}
	lua_setfield(L, -2, "health");
	lua_createtable(L, (int)r->nejections, 0); /* ejections, in time order */
	for (size_t i = 0; i < r->nejections; i++) {
		lua_createtable(L, 0, 4);           /* ejection */
		setnum(L, "at", r->ejections[i].at);
		setnum(L, "ends", r->ejections[i].until);
		setint(L, "backend", r->ejections[i].backend + 1);
		lua_pushstring(L, c->backends[r->ejections[i].backend].name);
		lua_setfield(L, -2, "name");
		lua_rawseti(L, -2, (lua_Integer)i + 1); /* ejections[i+1] = ejection */
	}
	lua_setfield(L, -2, "ejections");
	if (r->bucket > 0) {
		static const char *const cols[] = {"t", "completed", "errors", "latency", "max"};
		lua_createtable(L, 0, 6);           /* series */
		setnum(L, "bucket", r->bucket);
		for (int col = 0; col < 5; col++) {
			lua_createtable(L, (int)r->nbuckets, 0); /* column */
			for (size_t k = 0; k < r->nbuckets; k++) {
				switch (col) {
				case 0: lua_pushnumber(L, (double)k * r->bucket); break;
				case 1: lua_pushinteger(L, (lua_Integer)r->bucket_completed[k]); break;
				case 2: lua_pushinteger(L, (lua_Integer)r->bucket_errors[k]); break;
				case 3: lua_pushnumber(L, r->bucket_mean[k]); break;
				default: lua_pushnumber(L, r->bucket_max[k]); break;
				}
				lua_rawseti(L, -2, (lua_Integer)k + 1); /* column[k+1] = value */
			}
			lua_setfield(L, -2, cols[col]);
		}
		lua_setfield(L, -2, "series");
	}
}

static int l_simulate(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);                       /* the options */
	struct lbsim_config c = {0};
	c.strategy = checkstrategy(L, 1);
	c.rate = lab_optnum(L, 1, "rate", 1000);
	lua_Number requests = lab_optnum(L, 1, "requests", 100000);
	if (!(requests >= 1 && requests <= LBSIM_MAX_REQUESTS) || requests != floor(requests))
		return luaL_error(L, "requests must be an integer between 1 and 2e7");
	c.requests = (uint64_t)requests;
	c.seed = (uint64_t)lab_optint(L, 1, "seed", 1);
	lua_Integer clients = lab_optint(L, 1, "clients", 1000);
	if (clients < 1 || clients > LBSIM_MAX_CLIENTS)
		return luaL_error(L, "clients must be between 1 and 10^6");
	c.clients = (uint32_t)clients;
	c.client_skew = lab_optnum(L, 1, "client_skew", 0);
	c.alpha = lab_optnum(L, 1, "alpha", 0.1);

	size_t n = getbackends(L, 1);                   /* stack: opts, backends */
	char *names = scratch_names(L, n);              /* stack: ..., scratch names */
	struct lbsim_backend *be = lua_newuserdatauv(L, n * sizeof *be, 0); /* push scratch */
	for (size_t i = 0; i < n; i++) {
		lua_Integer li = (lua_Integer)i + 1;
		struct lbsim_backend *b = &be[i];
		*b = (struct lbsim_backend){names + 16 * i, 1, 0, 16, -1, {LB_DIST_EXP, 0.010, 0, 0, 0}};
		lua_rawgeti(L, 2, li);                  /* push element */
		readbackend(L, li, &b->name, &b->weight, &b->backup);
		int el = lua_gettop(L);
		if (lua_istable(L, el)) {
			lua_Integer cap = lab_optint(L, el, "capacity", 16);
			if (cap < 1 || cap > 1000000)
				return luaL_error(L, "backend %I: capacity must be between 1 and 10^6", li);
			b->capacity = (int)cap;
			int qt = lua_getfield(L, el, "queue");   /* push queue */
			if (qt == LUA_TNUMBER) {
				int ok;
				lua_Integer q = lua_tointegerx(L, -1, &ok);
				if (!ok || q < 0 || q > 1000000000)
					return luaL_error(L, "backend %I: queue must be a limit >= 0, or false for none", li);
				b->queue = (int)q;
			} else if (qt != LUA_TNIL && !(qt == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
				return luaL_error(L, "backend %I: queue must be a limit >= 0, or false for none", li);
			}
			lua_pop(L, 1);                  /* remove queue */
			lua_getfield(L, el, "service");  /* push service */
			b->service = readservice(L, li);
			lua_pop(L, 1);                  /* remove service */
		}
		lua_pop(L, 1);                          /* remove element */
		const char *e = NULL;
		for (size_t j = 0; j < i && !e; j++)
			if (strcmp(b->name, be[j].name) == 0)
				e = "backend names must be unique";
		if (e)
			return luaL_error(L, "backend %I: %s", li, e);
	}

	/* events: {at = t, backend = index or name, down = true|false} */
	struct lbsim_event *ev = NULL;
	if (lua_getfield(L, 1, "events") != LUA_TNIL) { /* push events */
		luaL_argexpected(L, lua_istable(L, -1), 1, "option 'events' to be a list");
		int evs = lua_gettop(L);
		c.nevents = lua_rawlen(L, evs);
		ev = lua_newuserdatauv(L, c.nevents * sizeof *ev + 1, 0); /* push scratch */
		for (size_t k = 0; k < c.nevents; k++) {
			lua_rawgeti(L, evs, (lua_Integer)k + 1); /* push event */
			int e = lua_gettop(L);
			if (!lua_istable(L, e))
				return luaL_error(L, "event %d must be {at = t, backend = i, down = true}", (int)k + 1);
			ev[k].at = lab_optnum(L, e, "at", -1);
			ev[k].down = lab_optbool(L, e, "down", 1);
			lua_getfield(L, e, "backend");      /* push backend */
			ev[k].backend = n;
			if (lua_type(L, -1) == LUA_TSTRING) {
				for (size_t j = 0; j < n; j++)
					if (strcmp(be[j].name, lua_tostring(L, -1)) == 0)
						ev[k].backend = j;
			} else if (lua_isinteger(L, -1)) {
				lua_Integer j = lua_tointeger(L, -1);
				if (j >= 1 && (size_t)j <= n)
					ev[k].backend = (size_t)j - 1;
			}
			if (ev[k].backend == n)
				return luaL_error(L, "event %d: backend must be an index 1..%d or a name", (int)k + 1, (int)n);
			if (!(ev[k].at >= 0) || !isfinite(ev[k].at))
				return luaL_error(L, "event %d: 'at' must be a time >= 0", (int)k + 1);
			lua_pop(L, 2);                  /* remove backend, event */
		}
	}
	c.events = ev;

	/* health = {interval = 1, fall = 3, rise = 2} (or true for those) */
	int ht = lua_getfield(L, 1, "health");          /* push health */
	if (ht == LUA_TTABLE || (ht == LUA_TBOOLEAN && lua_toboolean(L, -1))) {
		int h = lua_gettop(L);
		int tbl = ht == LUA_TTABLE;
		c.health_interval = tbl ? lab_optnum(L, h, "interval", 1.0) : 1.0;
		c.fall = tbl ? (int)lab_optint(L, h, "fall", 3) : 3;
		c.rise = tbl ? (int)lab_optint(L, h, "rise", 2) : 2;
		if (!(c.health_interval > 0))
			return luaL_error(L, "health interval must be positive");
	} else if (ht != LUA_TNIL && ht != LUA_TBOOLEAN) {
		return luaL_error(L, "option 'health' must be {interval = , fall = , rise = } or true");
	}

	/* outlier = {consecutive = 5, ejection = 30, max_percent = 10} (or true
	 * for Envoy's defaults, those) */
	int ot = lua_getfield(L, 1, "outlier");         /* push outlier */
	if (ot == LUA_TTABLE || (ot == LUA_TBOOLEAN && lua_toboolean(L, -1))) {
		int o = lua_gettop(L), tbl = ot == LUA_TTABLE;
		lua_Integer k = tbl ? lab_optint(L, o, "consecutive", 5) : 5;
		if (k < 1 || k > 1000000)
			return luaL_error(L, "outlier consecutive must be an integer between 1 and 10^6");
		c.outlier_consecutive = (int)k;
		c.outlier_ejection = tbl ? lab_optnum(L, o, "ejection", 30) : 30;
		c.outlier_max_percent = tbl ? lab_optnum(L, o, "max_percent", 10) : 10;
	} else if (ot != LUA_TNIL && ot != LUA_TBOOLEAN) {
		return luaL_error(L, "option 'outlier' must be {consecutive = , ejection = , "
				  "max_percent = } or true");
	}

	/* series: a bucket in seconds, or false; by default 1 s, coarser for long runs */
	int st = lua_getfield(L, 1, "series");          /* push series */
	if (st == LUA_TNIL || (st == LUA_TBOOLEAN && lua_toboolean(L, -1))) {
		double span = (double)c.requests / c.rate, bucket = 1;
		while (span / bucket > 1000)
			bucket *= 10;
		c.bucket = bucket;
	} else if (st == LUA_TNUMBER) {
		c.bucket = lua_tonumber(L, -1);
		if (!(c.bucket > 0) || (double)c.requests / c.rate / c.bucket > 100000)
			return luaL_error(L, "series bucket must be positive, with at most ~10^5 buckets");
	} else if (st != LUA_TBOOLEAN) {
		return luaL_error(L, "option 'series' must be a bucket in seconds, or false");
	}

	c.backends = be;
	c.nbackends = n;
	const char *err = lbsim_validate(&c);
	if (err)
		return luaL_error(L, "%s", err);
	/* the report lives in a userdata whose __gc frees its arrays, so an
	 * error while building the Lua table cannot leak them */
	struct lbsim_report *r = lua_newuserdatauv(L, sizeof *r, 0); /* push scratch */
	memset(r, 0, sizeof *r);
	luaL_setmetatable(L, REPORT_T);
	if (lbsim_run(&c, r) < 0)
		return luaL_error(L, "not enough memory for the simulation");
	pushreport(L, &c, r);                   /* push result */
	lbsim_report_free(r);
	return 1;
}

static int report_gc(lua_State *L)
{
	lbsim_report_free(luaL_checkudata(L, 1, REPORT_T));
	return 0;
}

static const luaL_Reg report_meta[] = {
	{"__gc", report_gc},
	{NULL, NULL},
};

static const luaL_Reg methods[] = {
	{"pick", m_pick},         {"done", m_done},         {"fail", m_fail},
	{"mark", m_mark},         {"sequence", m_sequence}, {"snapshot", m_snapshot},
	{NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{"__len", m_len},
	{"__gc", m_gc},
	{NULL, NULL},
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{"simulate", l_simulate},
	{NULL, NULL},
};

int lab_open_lb(lua_State *L)
{
	lab_newclass(L, LB_T, methods, metamethods);
	lab_newclass(L, REPORT_T, NULL, report_meta);
	luaL_newlib(L, functions);
	return 1;
}

const struct lab_namespace lab_ns_lb = {.open = lab_open_lb};
