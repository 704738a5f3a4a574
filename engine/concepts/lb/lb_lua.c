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
 * Backend indices are 1-based in Lua, 0-based in C. A backend is a name, a
 * weight, or a table {name = , weight = , backup = } / {name, weight};
 * default names are b1, b2... Every name is anchored in a table the call
 * keeps on its stack (index 2) while C holds it.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/lb/lbpick.h"
#include "engine/concepts/lb/lbsim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define KEEP 2 /* stack index of the table that anchors names */

struct lb {
	struct lbpick *p;
};

static const struct lab_class lb_class;

static struct lbpick *tolb(lua_State *L)
{
	return ((struct lb *)lab_self(L, &lb_class))->p;
}

static const int strategy_values[] = {LB_RR,  LB_SWRR, LB_RANDOM, LB_LC,     LB_LRT,
				      LB_P2C, LB_IPHASH, LB_CHASH, LB_RR,    LB_SWRR,
				      LB_LC,  LB_LRT,  LB_P2C,    LB_IPHASH, LB_CHASH};
#define STRATEGY                                                                           \
	{"strategy", LAB_ENUM, .str = "rr",                                                \
	 .choices = "rr swrr random lc lrt p2c iphash chash round_robin weighted least_conn " \
		    "least_time two_choices ip_hash consistent",                           \
	 .values = strategy_values}
#define ALPHA {"alpha", LAB_NUM, .num = 0.1, .min = 0, .max = 1, .flags = LAB_ABOVE, \
	       .help = "lrt: EWMA factor"}

/* Options of a backend given as a table, in new (3) and simulate (all). */
static const struct lab_opt backend_opts[] = {
	{"name", LAB_STR, .help = "or element 1; default b1, b2..."},
	{"weight", LAB_INT, .num = 1, .min = 1, .max = LB_MAX_WEIGHT, .help = "or element 2"},
	{"backup", LAB_BOOL, .help = "used only while no primary is up"},
	{"capacity", LAB_INT, .num = 16, .min = 1, .max = 1e6, .help = "requests served at once"},
	{"queue", LAB_ANY, .str = "false", .help = "waiting room: a limit >= 0, or false for none"},
	{"service", LAB_ANY, .str = "0.010", .help = "a mean (exponential), or a table"},
	{NULL},
};
static const struct lab_opt backend_new_opts[] = {
	{"name", LAB_STR, .help = "or element 1; default b1, b2..."},
	{"weight", LAB_INT, .num = 1, .min = 1, .max = LB_MAX_WEIGHT, .help = "or element 2"},
	{"backup", LAB_BOOL, .help = "used only while no primary is up"},
	{NULL},
};

/*
 * Reads backend I (1-based) of the list at LIST into *B: a name, a weight,
 * or a table read against SPEC. Its name is anchored in KEEP; NAMES holds
 * the default "bI". Returns the options read from a table (NULL for a name
 * or a weight), in a box it leaves on the stack (nil otherwise).  [-0, +1]
 */
static const struct lab_val *read_backend(lua_State *L, const char *who, int list, lua_Integer i,
					  const struct lab_opt *spec, struct lbpick_backend *b,
					  char *names)
{
	char whom[64];
	snprintf(whom, sizeof whom, "%s: backends[%d]", who, (int)i);
	snprintf(names + 16 * (i - 1), 16, "b%u", (unsigned)i % 100000000u);
	*b = (struct lbpick_backend){names + 16 * (i - 1), 1, 0};
	int t = lua_rawgeti(L, list, i);            /* push element */
	const struct lab_val *o = NULL;
	if (t == LUA_TSTRING) {
		b->name = lab_keep(L, KEEP);
		lua_pushnil(L);
	} else if (t == LUA_TNUMBER) {
		lua_Integer w = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
		if (w < 1 || w > LB_MAX_WEIGHT)
			luaL_error(L, "%s: a weight must be an integer between 1 and %d", whom,
				   LB_MAX_WEIGHT);
		b->weight = (int)w;
		lua_pop(L, 1);
		lua_pushnil(L);
	} else if (t == LUA_TTABLE) {
		int el = lua_gettop(L);
		o = lab_opts_ex(L, el, whom, spec, LAB_OPTS_ARRAY); /* push box */
		if (o[0].set || lua_rawgeti(L, el, 1) != LUA_TNIL) { /* push element[1] */
			if (o[0].set)
				lua_pushstring(L, o[0].s);
			if (lua_type(L, -1) != LUA_TSTRING)
				luaL_error(L, "%s: the name must be a string", whom);
			b->name = lab_keep(L, KEEP);
		} else {
			lua_pop(L, 1);
		}
		b->weight = (int)o[1].i;
		if (!o[1].set && lua_rawgeti(L, el, 2) != LUA_TNIL) { /* push element[2] */
			lua_Integer w = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
			if (w < 1 || w > LB_MAX_WEIGHT)
				luaL_error(L, "%s: weight must be an integer between 1 and %d", whom,
					   LB_MAX_WEIGHT);
			b->weight = (int)w;
		}
		b->backup = (int)o[2].i;
		lua_settop(L, el + 1);              /* element, box */
		lua_remove(L, el);                  /* box */
	} else {
		luaL_error(L, "%s must be a table, a name or a weight", whom);
	}
	return o;
}

/* Pushes option 'backends' of the options at 1 and returns its length. */
static size_t push_backends(lua_State *L, const char *who)
{
	lab_optpush(L, 1, "backends");              /* push backends */
	size_t n = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
	if (n < 1 || n > LB_MAX_BACKENDS)
		luaL_error(L, "%s: option 'backends' must be a list of 1 to %d backends", who,
			   LB_MAX_BACKENDS);
	return n;
}

static void check_unique(lua_State *L, const char *who, const char *name, const char *const *seen,
			 size_t n)
{
	for (size_t j = 0; j < n; j++)
		if (strcmp(name, seen[j]) == 0)
			luaL_error(L, "%s: backend names must be unique ('%s' twice)", who, name);
}

/* ---- the interactive balancer ---- */

static const struct lab_opt new_opts[] = {
	STRATEGY,
	{"backends", LAB_TABLE, .required = 1, .help = "names, weights, or {name, weight, backup = }"},
	{"seed", LAB_INT, .num = 1, .help = "random and p2c draws"},
	ALPHA,
	{NULL},
};

static int l_new(lua_State *L)
{
	const char *who = "lab.lb.new";
	lua_settop(L, 1);
	lua_newtable(L);                            /* 2: names kept alive */
	const struct lab_val *o = lab_opts(L, 1, who, new_opts); /* 3: box */
	size_t n = push_backends(L, who);           /* 4: backends */
	char *names = lab_scratch(L, n * 16);       /* 5: default names */
	struct lbpick_backend *pb = lab_scratch(L, n * sizeof *pb); /* 6 */
	const char **seen = lab_scratch(L, n * sizeof *seen);       /* 7 */
	for (size_t i = 0; i < n; i++) {
		read_backend(L, who, 4, (lua_Integer)i + 1, backend_new_opts, &pb[i], names);
		lua_pop(L, 1);                      /* remove box or nil */
		check_unique(L, who, pb[i].name, seen, i);
		seen[i] = pb[i].name;
	}
	struct lb *b = lab_newobj(L, &lb_class, sizeof *b); /* push balancer */
	b->p = lbpick_new((enum lb_strategy)strategy_values[o[0].choice], pb, n,
			  (uint64_t)o[2].i, o[3].num);
	if (!b->p)
		return lab_fail(L, "%s: not enough memory", who);
	return 1;
}

/* The client key at IDX (nil: none; keyed strategies need one). */
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

/* b:sequence(n [, client]): N picks, each answered at once (latency 0). */
static int m_sequence(lua_State *L)
{
	struct lbpick *p = tolb(L);
	lua_Integer n = lab_checkrange(L, 2, 0, 1000000);
	struct lb_key k;
	const struct lb_key *key = optkey(L, p, 3, &k);
	lua_createtable(L, (int)n, 0);              /* push names */
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
	lua_createtable(L, 0, 3);                   /* push snapshot */
	lab_setstr(L, "strategy", lb_strategy_name(lbpick_strategy(p)));
	lab_setint(L, "eligible", (lua_Integer)lbpick_eligible(p));
	lua_createtable(L, (int)n, 0);              /* push backends */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 8);
		lab_setstr(L, "name", lbpick_name(p, i));
		lab_setint(L, "weight", lbpick_weight(p, i));
		lab_setbool(L, "backup", lbpick_backup(p, i));
		lab_setbool(L, "up", lbpick_up(p, i));
		lab_setint(L, "outstanding", (lua_Integer)lbpick_outstanding(p, i));
		lab_setint(L, "current_weight", (lua_Integer)lbpick_current_weight(p, i));
		if (lbpick_ewma(p, i) >= 0)
			lab_setnum(L, "ewma", lbpick_ewma(p, i));
		lab_setint(L, "picks", (lua_Integer)lbpick_picks(p, i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
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

static void free_lb(void *obj)
{
	lbpick_free(((struct lb *)obj)->p);
}

/* ---- the simulator ---- */

static const int dist_values[] = {LB_DIST_EXP,    LB_DIST_EXP,    LB_DIST_CONST,
				  LB_DIST_CONST,  LB_DIST_NORMAL, LB_DIST_BIMODAL};
static const struct lab_opt service_opts[] = {
	{"dist", LAB_ENUM, .str = "exp", .choices = "exp exponential const constant normal bimodal",
	 .values = dist_values, LAB_INTO(struct lb_service, dist)},
	{"mean", LAB_NUM, .num = 0.010, .min = 0, .max = INFINITY, .help = "seconds",
	 LAB_INTO(struct lb_service, mean)},
	{"sd", LAB_NUM, .str = "mean / 4", .min = 0, .max = INFINITY, .help = "normal",
	 LAB_INTO(struct lb_service, sd)},
	{"slow", LAB_NUM, .str = "10 * mean", .min = 0, .max = INFINITY,
	 .help = "bimodal: mean of the slow mode", LAB_INTO(struct lb_service, slow)},
	{"p_slow", LAB_NUM, .num = 0.01, .min = 0, .max = 1, .help = "bimodal: its probability",
	 LAB_INTO(struct lb_service, p_slow)},
	{NULL},
};

/* Reads the rest of simulated backend I: from its options O and its table
 * at EL when it is a table (O not NULL). */
static void read_simbackend(lua_State *L, const char *who, lua_Integer i,
			    const struct lab_val *o, int el, struct lbsim_backend *b)
{
	char whom[64];
	snprintf(whom, sizeof whom, "%s: backends[%d]", who, (int)i);
	b->capacity = o ? (int)o[3].i : 16;
	b->queue = -1;
	b->service = (struct lb_service){LB_DIST_EXP, 0.010, 0.0025, 0.1, 0.01};
	if (!o)
		return;
	int qt = lab_optpush(L, el, "queue");       /* push queue */
	if (qt == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0 &&
	    lua_tointeger(L, -1) <= 1000000000)
		b->queue = (int)lua_tointeger(L, -1);
	else if (qt != LUA_TNIL && !(qt == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
		luaL_error(L, "%s: queue must be a limit >= 0, or false for none", whom);
	int st = lab_optpush(L, el, "service");     /* push service */
	if (st == LUA_TNUMBER) {
		b->service.mean = lua_tonumber(L, -1);
		b->service.sd = b->service.mean / 4, b->service.slow = 10 * b->service.mean;
	} else if (st == LUA_TTABLE) {
		char whos[80];
		snprintf(whos, sizeof whos, "%s.service", whom);
		const struct lab_val *s = lab_opts_into(L, -1, whos, service_opts, &b->service, 0);
		b->service.sd = s[2].set ? s[2].num : b->service.mean / 4;
		b->service.slow = s[3].set ? s[3].num : 10 * b->service.mean;
	} else if (st != LUA_TNIL) {
		luaL_error(L, "%s: service must be a mean (seconds) or a table", whom);
	}
}

static const struct lab_opt event_opts[] = {
	{"at", LAB_NUM, .required = 1, .min = 0, .max = INFINITY, .help = "seconds",
	 LAB_INTO(struct lbsim_event, at)},
	{"backend", LAB_ANY, .required = 1, .help = "an index or a name"},
	{"down", LAB_BOOL, .num = 1, .help = "false: it comes back", LAB_INTO(struct lbsim_event, down)},
	{NULL},
};

/* The backend of an event (on top of the stack): an index or a name. */
static void read_event_backend(lua_State *L, void *elem, size_t k, const char *whom, void *ud)
{
	struct lbsim_event *ev = elem;
	const struct lbsim_config *c = ud;
	lab_optpush(L, -1, "backend");              /* push backend */
	ev->backend = c->nbackends;
	for (size_t j = 0; j < c->nbackends && lua_type(L, -1) == LUA_TSTRING; j++)
		if (strcmp(c->backends[j].name, lua_tostring(L, -1)) == 0)
			ev->backend = j;
	lua_Integer j = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
	if (j >= 1 && (size_t)j <= c->nbackends)
		ev->backend = (size_t)j - 1;
	if (ev->backend == c->nbackends)
		luaL_error(L, "%s: backend must be an index 1..%d or a name", whom, (int)c->nbackends);
	lua_pop(L, 1);                              /* remove backend */
}

static const struct lab_opt health_opts[] = {
	{"interval", LAB_NUM, .num = 1, .min = 0, .max = INFINITY, .flags = LAB_ABOVE,
	 LAB_INTO(struct lbsim_config, health_interval)},
	{"fall", LAB_INT, .num = 3, .min = 1, .max = 1e6, LAB_INTO(struct lbsim_config, fall)},
	{"rise", LAB_INT, .num = 2, .min = 1, .max = 1e6, LAB_INTO(struct lbsim_config, rise)},
	{NULL},
};

static const struct lab_opt outlier_opts[] = {
	{"consecutive", LAB_INT, .num = 5, .min = 1, .max = 1e6,
	 .help = "failures in a row that eject", LAB_INTO(struct lbsim_config, outlier_consecutive)},
	{"ejection", LAB_NUM, .num = 30, .min = 0, .max = 1e9, .flags = LAB_ABOVE,
	 .help = "seconds, times the ejections so far", LAB_INTO(struct lbsim_config, outlier_ejection)},
	{"max_percent", LAB_NUM, .num = 10, .min = 0, .max = 100,
	 .help = "most backends ejected at once", LAB_INTO(struct lbsim_config, outlier_max_percent)},
	{NULL},
};

/* Reads option 'series' (at 1) into C. */
static void read_series(lua_State *L, const char *who, struct lbsim_config *c)
{
	int st = lab_optpush(L, 1, "series");       /* push series */
	if (st == LUA_TNIL || (st == LUA_TBOOLEAN && lua_toboolean(L, -1))) {
		double span = (double)c->requests / c->rate, bucket = 1;
		while (span / bucket > 1000)
			bucket *= 10;
		c->bucket = bucket;
	} else if (st == LUA_TNUMBER) {
		c->bucket = lua_tonumber(L, -1);
		if (!(c->bucket > 0) || (double)c->requests / c->rate / c->bucket > 100000)
			luaL_error(L, "%s: series bucket must be positive, with at most ~10^5 buckets",
				   who);
	} else if (st != LUA_TBOOLEAN) {
		luaL_error(L, "%s: option 'series' must be a bucket in seconds, or false", who);
	}
	lua_pop(L, 1);                              /* remove series */
}

#define C(m) LAB_INTO(struct lbsim_config, m)
static const struct lab_opt simulate_opts[] = {
	STRATEGY,
	{"backends", LAB_TABLE, .required = 1, .help = "see lab.lb.simulate backends"},
	{"rate", LAB_NUM, .num = 1000, .min = 0, .max = INFINITY, .flags = LAB_ABOVE,
	 .help = "arrivals a second", C(rate)},
	{"requests", LAB_INT, .num = 100000, .min = 1, .max = LBSIM_MAX_REQUESTS, C(requests)},
	{"seed", LAB_INT, .num = 1, C(seed)},
	{"clients", LAB_INT, .num = 1000, .min = 1, .max = LBSIM_MAX_CLIENTS, C(clients)},
	{"client_skew", LAB_NUM, .num = 0, .min = 0, .max = INFINITY, .help = "0: uniform; s: Zipf",
	 C(client_skew)},
	{"alpha", LAB_NUM, .num = 0.1, .min = 0, .max = 1, .flags = LAB_ABOVE,
	 .help = "lrt: EWMA factor", C(alpha)},
	{"events", LAB_TABLE, .help = "{{at = t, backend = i or name, down = true}, ...}"},
	{"health", LAB_ANY, .str = "none", .help = "true, or {interval = 1, fall = 3, rise = 2}"},
	{"outlier", LAB_ANY, .str = "none",
	 .help = "true, or {consecutive = 5, ejection = 30, max_percent = 10}"},
	{"series", LAB_ANY, .str = "1 s", .help = "a bucket in seconds, or false"},
	{NULL},
};

/* What the computed fields of the report read: the run's config. */
static int f_name(lua_State *L, const struct lbsim_config *c, size_t i)
{
	lua_pushstring(L, c->backends[i].name);
	return 1;
}
static int f_mark_name(lua_State *L, const void *m, const void *c)
{
	return f_name(L, c, ((const struct lbsim_mark *)m)->backend);
}
static int f_ejection_name(lua_State *L, const void *e, const void *c)
{
	return f_name(L, c, ((const struct lbsim_ejection *)e)->backend);
}

#define RF(m) LAB_F(struct lbsim_report, m)
#define BF(m) LAB_F(struct lbsim_backend_stats, m)
static const struct lab_field latency_fields[] = {
	RF(mean), RF(p50), RF(p95), RF(p99), RF(max), {NULL},
};
static const struct lab_field backend_fields[] = {
	BF(routed), BF(completed), BF(failed), BF(rejected), BF(utilisation), BF(max_queue),
	BF(ejections), {NULL},
};
static const struct lab_field mark_fields[] = {
	LAB_F(struct lbsim_mark, at), LAB_FINDEX("backend", struct lbsim_mark, backend),
	LAB_FFN("name", f_mark_name), LAB_FBOOL(struct lbsim_mark, up), {NULL},
};
static const struct lab_field ejection_fields[] = {
	LAB_F(struct lbsim_ejection, at), LAB_FAS("ends", struct lbsim_ejection, until),
	LAB_FINDEX("backend", struct lbsim_ejection, backend),
	LAB_FFN("name", f_ejection_name), {NULL},
};
static const struct lab_field report_fields[] = {
	RF(requests), RF(completed), RF(failed), RF(rejected), RF(unavailable), RF(duration),
	RF(throughput), LAB_FGROUP("latency", latency_fields),
	LAB_FSTRUCTS("health", struct lbsim_report, marks, nmarks, mark_fields),
	LAB_FSTRUCTS("ejections", struct lbsim_report, ejections, nejections, ejection_fields),
	{NULL},
};
static const struct lab_field series_fields[] = {
	RF(bucket), LAB_FARRAY("completed", struct lbsim_report, bucket_completed, nbuckets),
	LAB_FARRAY("errors", struct lbsim_report, bucket_errors, nbuckets),
	LAB_FARRAY("latency", struct lbsim_report, bucket_mean, nbuckets),
	LAB_FARRAY("max", struct lbsim_report, bucket_max, nbuckets), {NULL},
};

/* Pushes the report R of the run of C. */
static void push_report(lua_State *L, const struct lbsim_config *c, const struct lbsim_report *r)
{
	lab_pushfields_ud(L, r, report_fields, c);  /* push result */
	lab_setstr(L, "strategy", lb_strategy_name(c->strategy));
	lab_setint(L, "errors", (lua_Integer)(r->failed + r->rejected + r->unavailable));
	lua_createtable(L, (int)r->nbackends, 0);   /* push backends */
	for (size_t i = 0; i < r->nbackends; i++) {
		const struct lbsim_backend_stats *b = &r->backend[i];
		lab_pushfields(L, b, backend_fields);
		lab_setstr(L, "name", c->backends[i].name);
		lab_setint(L, "weight", c->backends[i].weight);
		lab_setnum(L, "share", (double)b->routed / (double)r->requests);
		lab_setnum(L, "mean_latency", b->completed ? b->latency_sum / (double)b->completed : 0);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "backends");
	if (r->bucket <= 0)
		return;
	lab_pushfields(L, r, series_fields);        /* push series */
	lua_createtable(L, (int)r->nbuckets, 0);
	for (size_t k = 0; k < r->nbuckets; k++) {
		lua_pushnumber(L, (double)k * r->bucket);
		lua_rawseti(L, -2, (lua_Integer)k + 1); /* t[k+1] = start of bucket k */
	}
	lua_setfield(L, -2, "t");
	lua_setfield(L, -2, "series");
}

static void free_report(void *r)
{
	lbsim_report_free(r);
}

static int l_simulate(lua_State *L)
{
	const char *who = "lab.lb.simulate";
	lua_settop(L, 1);
	lua_newtable(L);                            /* 2: names kept alive */
	struct lbsim_config c = {0};
	const struct lab_val *o = lab_opts_into(L, 1, who, simulate_opts, &c, 0); /* 3 */
	c.strategy = (enum lb_strategy)strategy_values[o[0].choice];
	size_t n = push_backends(L, who);           /* 4: backends */
	char *names = lab_scratch(L, n * 16);       /* 5: default names */
	struct lbsim_backend *be = lab_scratch(L, n * sizeof *be);  /* 6 */
	const char **seen = lab_scratch(L, n * sizeof *seen);       /* 7 */
	for (size_t i = 0; i < n; i++) {
		struct lbpick_backend pb;
		const struct lab_val *bo = read_backend(L, who, 4, (lua_Integer)i + 1, backend_opts,
							&pb, names); /* push box or nil */
		be[i].name = pb.name, be[i].weight = pb.weight, be[i].backup = pb.backup;
		lua_rawgeti(L, 4, (lua_Integer)i + 1); /* push the element again */
		read_simbackend(L, who, (lua_Integer)i + 1, bo, lua_gettop(L), &be[i]);
		lua_settop(L, 7);
		check_unique(L, who, be[i].name, seen, i);
		seen[i] = be[i].name;
	}
	c.backends = be;
	c.nbackends = n;
	c.events = lab_optlist(L, 1, who, "events", event_opts, sizeof *c.events, (size_t)-1,
			       &c.nevents, read_event_backend, &c); /* 8: events */
	lab_optsub(L, 1, who, "health", health_opts, &c); /* 9 */
	lab_optsub(L, 1, who, "outlier", outlier_opts, &c); /* 10 */
	read_series(L, who, &c);
	const char *err = lbsim_validate(&c);
	if (err)
		return luaL_error(L, "%s: %s", who, err);
	struct lbsim_report *r = lab_holder(L, sizeof *r, free_report); /* 11: holder */
	if (lbsim_run(&c, r) < 0)
		return lab_fail(L, "%s: not enough memory for the simulation", who);
	push_report(L, &c, r);
	return 1;
}

static const luaL_Reg methods[] = {
	{"pick", m_pick}, {"done", m_done},         {"fail", m_fail},
	{"mark", m_mark}, {"sequence", m_sequence}, {"snapshot", m_snapshot}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {{"__tostring", m_tostring}, {"__len", m_len}, {NULL, NULL}};

static const struct lab_class lb_class = {.name = "lab.lb", .methods = methods,
					  .metamethods = metamethods, .free = free_lb};

const struct lab_namespace lab_ns_lb = {
	.functions = (const luaL_Reg[]){{"new", l_new}, {"simulate", l_simulate}, {NULL, NULL}},
	.classes = (const struct lab_class *const[]){&lb_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts},
					       {"simulate", simulate_opts},
					       {"simulate backends", backend_opts},
					       {"simulate service", service_opts},
					       {"simulate events", event_opts},
					       {"simulate health", health_opts},
					       {"simulate outlier", outlier_opts},
					       {NULL, NULL}},
};
