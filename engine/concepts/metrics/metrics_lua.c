/*
 * metrics_lua.c — lab.metrics: the Lua binding of metrics.h and hdr.h.
 *
 *   local r = lab.metrics.registry()
 *   r:counter{name = , help = }   r:gauge{...}   r:histogram{name = , buckets = {...}, schema = }
 *   r:summary{name = , quantiles = {...}}
 *   r:inc(name [, labels] [, v])  r:set(name [, labels], v)  r:observe(name [, labels], v)
 *   r:get(name [, labels])  r:quantile(name [, labels], q)  r:expose()  r:series([name])
 *   lab.metrics.parse(text) -> families | nil, "line L, column C: why"
 *   lab.metrics.rate(samples, {range = , at = })  .increase  .resets
 *   lab.metrics.histogram_quantile(q, {{le, count}, ...})
 *   lab.metrics.native_bucket(v, schema) -> key, lower, upper
 *   lab.metrics.hdr{lowest = , highest = , sigfigs = } -> h
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/concepts/metrics/hdr.h"
#include "engine/concepts/metrics/metrics.h"
#include "engine/lab/labkit.h"

/* ---- the registry ---- */

static void free_registry(void *obj)
{
	metrics_registry_free(obj);
}

static const struct lab_class registry_class;

static int l_registry(lua_State *L)
{
	struct metrics_registry *r = lab_newobj(L, &registry_class, sizeof *r);
	metrics_registry_init(r);
	return 1;
}

static const struct lab_opt family_opts[] = {
	{"name", LAB_STR, .required = 1, .help = "the metric name, [a-zA-Z_:][a-zA-Z0-9_:]*"},
	{"help", LAB_STR, .str = "", .help = "the # HELP text"},
	{NULL},
};

static const struct lab_opt histogram_opts[] = {
	{"name", LAB_STR, .required = 1, .help = "the metric name"},
	{"help", LAB_STR, .str = "", .help = "the # HELP text"},
	{"buckets", LAB_TABLE, .str = "{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}",
	 .help = "the finite upper bounds (le), increasing; +Inf is added"},
	{"schema", LAB_INT, .str = "none", .min = METRICS_SCHEMA_MIN, .max = METRICS_SCHEMA_MAX,
	 .help = "keep native buckets of this schema too"},
	{"zero_threshold", LAB_NUM, METRICS_ZERO_THRESHOLD, .min = 0, .max = 1e300,
	 .help = "native: |v| up to this goes to the zero bucket"},
	{NULL},
};

static const struct lab_opt summary_opts[] = {
	{"name", LAB_STR, .required = 1, .help = "the metric name"},
	{"help", LAB_STR, .str = "", .help = "the # HELP text"},
	{"quantiles", LAB_TABLE, .str = "{0.5, 0.9, 0.99}", .help = "the quantiles it reports"},
	{NULL},
};

/* Prometheus's client_golang DefBuckets */
static const double default_buckets[] = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
static const double default_quantiles[] = {0.5, 0.9, 0.99};

static int add_family(lua_State *L, enum metrics_type type, const char *who,
		      const struct lab_opt *spec)
{
	struct metrics_registry *r = lab_self(L, &registry_class);
	const struct lab_val *o = lab_opts(L, 2, who, spec);
	const double *nums = NULL;
	size_t n = 0;
	int native = 0, schema = 0;
	double zt = METRICS_ZERO_THRESHOLD;
	if (type == METRICS_HISTOGRAM || type == METRICS_SUMMARY) {
		if (o[2].set) {
			lab_optpush(L, 2, spec[2].name);                 /* push the list */
			nums = lab_checknums(L, -1, spec[2].name, &n);  /* push its copy */
		} else if (type == METRICS_HISTOGRAM) {
			nums = default_buckets;
			n = sizeof default_buckets / sizeof *default_buckets;
		} else {
			nums = default_quantiles;
			n = 3;
		}
	}
	if (type == METRICS_HISTOGRAM) {
		native = o[3].set;
		schema = (int)o[3].i;
		zt = o[4].num;
	}
	const char *why;
	if (!metrics_add(r, o[0].s, o[1].s, type, nums, n, nums, n, native, schema, zt, &why))
		return lab_fail(L, "%s: %s", who, why);
	lua_settop(L, 1);
	return 1;
}

static int m_counter(lua_State *L)
{
	return add_family(L, METRICS_COUNTER, "r:counter", family_opts);
}

static int m_gauge(lua_State *L)
{
	return add_family(L, METRICS_GAUGE, "r:gauge", family_opts);
}

static int m_histogram(lua_State *L)
{
	return add_family(L, METRICS_HISTOGRAM, "r:histogram", histogram_opts);
}

static int m_summary(lua_State *L)
{
	return add_family(L, METRICS_SUMMARY, "r:summary", summary_opts);
}

/*
 * The family named at argument 2 and the series of the labels table at
 * argument 3 (when it is a table), created if CREATE. Leaves the argument
 * after them in *NEXT. Raises for an unknown name or bad labels; *S is NULL
 * when the series does not exist and CREATE is 0.
 */
static struct metrics_family *target(lua_State *L, const char *who, int create,
				     struct metrics_series **s, int *next)
{
	struct metrics_registry *r = lab_self(L, &registry_class);
	const char *name = luaL_checkstring(L, 2);
	struct metrics_family *f = metrics_find(r, name);
	if (!f)
		luaL_error(L, "%s: no metric named '%s' (register it first)", who, name);
	*next = 3;
	lua_settop(L, 4); /* name, labels or value, value: absent ones nil */
	size_t n = 0;
	const char **pairs = NULL;
	lua_newtable(L);                                          /* push keep */
	int keep = lua_gettop(L);
	if (lua_type(L, 3) == LUA_TTABLE) {
		*next = 4;
		lua_pushnil(L);
		while (lua_next(L, 3))                            /* push key, value */
			n++, lua_pop(L, 1);                       /* remove value */
		pairs = lab_scratch(L, (2 * n + 1) * sizeof *pairs); /* push scratch */
		size_t i = 0;
		lua_pushnil(L);
		while (i < n && lua_next(L, 3)) {                 /* push key, value */
			if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
				luaL_error(L, "%s: labels are a table of strings, {code = \"200\"}", who);
			lua_pushvalue(L, -2);                     /* push key */
			pairs[i] = lab_keep(L, keep);             /* pop key */
			pairs[n + i] = lab_keep(L, keep);         /* pop value */
			i++;
		}
		if (i < n)
			luaL_error(L, "%s: the labels table changed while it was read", who);
		n = i;
	}
	struct sbuf text = SBUF_INIT;
	const char *why;
	if (metrics_labels(pairs, pairs ? pairs + n : NULL, n, f->type, &text, &why) != 0) {
		sbuf_free(&text);
		luaL_error(L, "%s: %s", who, why);
	}
	const char *lt = text.buf ? text.buf : "";
	*s = NULL;
	if (create) {
		*s = metrics_series(f, lt);
		if (!*s) {
			sbuf_free(&text);
			lab_fail(L, "%s: out of memory", who);
		}
	} else {
		for (size_t i = 0; i < f->nseries; i++)
			if (strcmp(f->series[i].labels, lt) == 0)
				*s = &f->series[i];
	}
	sbuf_free(&text);
	return f;
}

static int update(lua_State *L, const char *who,
		  int (*fn)(struct metrics_family *, struct metrics_series *, double, const char **),
		  int needs_value)
{
	struct metrics_series *s;
	int next;
	struct metrics_family *f = target(L, who, 1, &s, &next);
	double v = 1;
	if (needs_value || !lua_isnoneornil(L, next))
		v = luaL_checknumber(L, next);
	const char *why;
	if (fn(f, s, v, &why) != 0)
		return lab_fail(L, "%s: %s: %s", who, f->name, why);
	lua_settop(L, 1);
	return 1;
}

static int m_inc(lua_State *L)
{
	return update(L, "r:inc", metrics_inc, 0);
}

static int m_set(lua_State *L)
{
	return update(L, "r:set", metrics_set, 1);
}

static int m_observe(lua_State *L)
{
	return update(L, "r:observe", metrics_observe, 1);
}

static void push_native(lua_State *L, const struct metrics_family *f, const struct metrics_series *s)
{
	lua_createtable(L, 0, 4);
	lab_setint(L, "schema", f->schema);
	lab_setint(L, "zero", (lua_Integer)s->zero);
	lab_setnum(L, "zero_threshold", f->zero_threshold);
	for (int side = 0; side < 2; side++) {
		const struct metrics_nbucket *b = side ? s->neg : s->pos;
		size_t n = side ? s->nneg : s->npos;
		lua_createtable(L, (int)n, 0);
		for (size_t i = 0; i < n; i++) {
			lua_createtable(L, 0, 4);
			lab_setint(L, "key", b[i].key);
			double lo = metrics_native_upper(b[i].key - 1, f->schema);
			double hi = metrics_native_upper(b[i].key, f->schema);
			lab_setnum(L, "lower", side ? -hi : lo);
			lab_setnum(L, "upper", side ? -lo : hi);
			lab_setint(L, "count", (lua_Integer)b[i].count);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_setfield(L, -2, side ? "negative" : "positive");
	}
}

static int m_get(lua_State *L)
{
	struct metrics_series *s;
	int next;
	struct metrics_family *f = target(L, "r:get", 0, &s, &next);
	if (!s) {
		lua_pushnil(L);
		return 1;
	}
	if (f->type != METRICS_HISTOGRAM && f->type != METRICS_SUMMARY) {
		lua_pushnumber(L, s->value);
		return 1;
	}
	lua_createtable(L, 0, 4);
	lab_setint(L, "count", (lua_Integer)s->count);
	lab_setnum(L, "sum", s->sum);
	if (f->type == METRICS_HISTOGRAM) {
		lua_createtable(L, (int)f->nbounds + 1, 0);
		uint64_t cum = 0;
		for (size_t i = 0; i <= f->nbounds; i++) {
			cum += s->buckets[i];
			lua_createtable(L, 2, 0);
			lua_pushnumber(L, i < f->nbounds ? f->bounds[i] : HUGE_VAL);
			lua_rawseti(L, -2, 1);
			lua_pushinteger(L, (lua_Integer)cum);
			lua_rawseti(L, -2, 2);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_setfield(L, -2, "buckets");
		if (f->native) {
			push_native(L, f, s);
			lua_setfield(L, -2, "native");
		}
	} else {
		lua_createtable(L, 0, (int)f->nquantiles);
		for (size_t i = 0; i < f->nquantiles; i++) {
			lua_pushnumber(L, f->quantiles[i]);                  /* push q */
			lua_pushnumber(L, metrics_summary_quantile(s, f->quantiles[i]));
			lua_rawset(L, -3);                                   /* t[q] = value */
		}
		lua_setfield(L, -2, "quantiles");
	}
	return 1;
}

/* r:quantile(name [, labels], q): from the native buckets when the
 * histogram keeps them, else from its classic buckets. */
static int m_quantile(lua_State *L)
{
	struct metrics_series *s;
	int next;
	struct metrics_family *f = target(L, "r:quantile", 0, &s, &next);
	double q = luaL_checknumber(L, next);
	if (f->type != METRICS_HISTOGRAM)
		return luaL_error(L, "r:quantile: %s is not a histogram", f->name);
	if (!s) {
		lua_pushnumber(L, NAN);
		return 1;
	}
	if (f->native) {
		lua_pushnumber(L, metrics_native_quantile(f, s, q));
		return 1;
	}
	size_t n = f->nbounds + 1;
	double *up = lab_scratch(L, 2 * n * sizeof *up);
	double *cnt = up + n;
	double cum = 0;
	for (size_t i = 0; i < n; i++) {
		up[i] = i < f->nbounds ? f->bounds[i] : INFINITY;
		cum += (double)s->buckets[i];
		cnt[i] = cum;
	}
	double out;
	if (metrics_bucket_quantile(q, up, cnt, n, &out) != 0)
		return lab_fail(L, "r:quantile: out of memory");
	lua_pushnumber(L, out);
	return 1;
}

static int m_expose(lua_State *L)
{
	struct metrics_registry *r = lab_self(L, &registry_class);
	struct sbuf out = SBUF_INIT;
	metrics_expose(r, &out);
	lua_pushlstring(L, out.buf ? out.buf : "", out.len);
	sbuf_free(&out);
	return 1;
}

static int m_series(lua_State *L)
{
	struct metrics_registry *r = lab_self(L, &registry_class);
	const char *name = luaL_optstring(L, 2, NULL);
	lua_Integer n = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct metrics_family *f = &r->fam[i];
		if (name && strcmp(f->name, name) != 0)
			continue;
		/* what Prometheus stores: one series per sample line */
		size_t per = f->type == METRICS_HISTOGRAM ? f->nbounds + 3
			     : f->type == METRICS_SUMMARY ? f->nquantiles + 2 : 1;
		n += (lua_Integer)(f->nseries * per);
	}
	lua_pushinteger(L, n);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct metrics_registry *r = lab_self(L, &registry_class);
	lua_pushfstring(L, "lab.metrics.registry(%I metrics)", (lua_Integer)r->n);
	return 1;
}

static const luaL_Reg registry_methods[] = {
	{"counter", m_counter}, {"gauge", m_gauge},       {"histogram", m_histogram},
	{"summary", m_summary}, {"inc", m_inc},           {"set", m_set},
	{"observe", m_observe}, {"get", m_get},           {"quantile", m_quantile},
	{"expose", m_expose},   {"series", m_series},     {NULL, NULL},
};

static const luaL_Reg registry_meta[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class registry_class = {
	.name = "lab.metrics.registry",
	.methods = registry_methods,
	.metamethods = registry_meta,
	.free = free_registry,
};

/* ---- the parser ---- */

struct parse_ctx {
	lua_State *L;
	int out;        /* the families list */
	int byname;     /* family name -> its table */
	lua_Integer n;
};

/* The table of family NAME in the result, made when new.           [-0, +1] */
static void family_table(struct parse_ctx *c, const char *name)
{
	lua_State *L = c->L;
	if (lua_getfield(L, c->byname, name) != LUA_TNIL)         /* push fam */
		return;
	lua_pop(L, 1);
	lua_createtable(L, 0, 4);                                 /* push fam */
	lab_setstr(L, "name", name);
	lab_setstr(L, "type", "untyped");
	lua_newtable(L);
	lua_setfield(L, -2, "samples");
	lua_pushvalue(L, -1);
	lua_setfield(L, c->byname, name);
	lua_pushvalue(L, -1);
	lua_rawseti(L, c->out, ++c->n);
}

static int on_event(void *ctx, const struct metrics_event *ev)
{
	struct parse_ctx *c = ctx;
	lua_State *L = c->L;
	lab_poll(L);
	family_table(c, ev->kind == METRICS_EV_SAMPLE ? ev->family : ev->name); /* push fam */
	if (ev->kind == METRICS_EV_HELP) {
		lab_setstr(L, "help", ev->text);
	} else if (ev->kind == METRICS_EV_TYPE) {
		lab_setstr(L, "type", metrics_type_names[ev->type]);
	} else {
		lua_getfield(L, -1, "samples");                   /* push samples */
		lua_createtable(L, 0, 5);                         /* push sample */
		lab_setstr(L, "name", ev->name);
		lab_setnum(L, "value", ev->value);
		lab_setint(L, "line", (lua_Integer)ev->line);
		if (ev->has_ts)
			lab_setint(L, "timestamp", ev->ts);
		lua_createtable(L, 0, (int)ev->nlabels);
		for (size_t i = 0; i < ev->nlabels; i++)
			lab_setstr(L, ev->lnames[i], ev->lvalues[i]);
		lua_setfield(L, -2, "labels");
		lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1); /* pop sample */
		lua_pop(L, 1);                                    /* remove samples */
	}
	lua_pop(L, 1);                                            /* remove fam */
	return 0;
}

static void free_parser(void *p)
{
	metrics_parser_free(*(struct metrics_parser **)p);
}

static int l_parse(lua_State *L)
{
	size_t len;
	const char *text = luaL_checklstring(L, 1, &len);
	lua_settop(L, 1);
	lua_newtable(L);                                          /* push out */
	lua_newtable(L);                                          /* push byname */
	struct metrics_parser **ps = lab_holder(L, sizeof *ps, free_parser); /* push holder */
	*ps = metrics_parser_new();
	if (!*ps)
		return lab_fail(L, "lab.metrics.parse: out of memory");
	struct parse_ctx c = {L, 2, 3, 0};
	size_t line, col;
	const char *why;
	if (metrics_parse(*ps, text, len, on_event, &c, &line, &col, &why) != 0) {
		if (strcmp(why, "out of memory") == 0)
			return lab_fail(L, "lab.metrics.parse: out of memory");
		lua_pushnil(L);
		lua_pushfstring(L, "line %I, column %I: %s", (lua_Integer)line, (lua_Integer)col, why);
		return 2;
	}
	lua_settop(L, 2);                                         /* leave out */
	return 1;
}

/* ---- rate, increase ---- */

static const struct lab_opt rate_opts[] = {
	{"range", LAB_NUM, .required = 1, .min = 0, .max = 1e12, .flags = LAB_ABOVE,
	 .help = "the window, seconds ([5m] is 300)"},
	{"at", LAB_NUM, .str = "the last sample's time", .min = -1e15, .max = 1e15,
	 .help = "the evaluation time, seconds"},
	{"extrapolate", LAB_BOOL, 1, .help = "false: only what the samples saw"},
	{NULL},
};

/* Reads the samples {{t, v}, ...} at argument 1 into two arrays, checking
 * that times increase. */
static size_t read_samples(lua_State *L, const char *who, double **t, double **v)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	size_t n = lua_rawlen(L, 1);
	*t = lab_scratch(L, (2 * n + 1) * sizeof **t);            /* push scratch */
	*v = *t + n;
	for (size_t i = 0; i < n; i++) {
		if (lua_rawgeti(L, 1, (lua_Integer)i + 1) != LUA_TTABLE) /* push sample */
			luaL_error(L, "%s: sample %d must be {t, v}", who, (int)i + 1);
		int ok = lua_rawgeti(L, -1, 1) == LUA_TNUMBER;   /* push t */
		ok = (lua_rawgeti(L, -2, 2) == LUA_TNUMBER) && ok; /* push v */
		if (!ok)
			luaL_error(L, "%s: sample %d must be {t, v}, two numbers", who, (int)i + 1);
		(*t)[i] = lua_tonumber(L, -2);
		(*v)[i] = lua_tonumber(L, -1);
		lua_pop(L, 3);
		if (!isfinite((*t)[i]) || (i > 0 && (*t)[i] <= (*t)[i - 1]))
			luaL_error(L, "%s: sample times must be finite and increasing (sample %d)", who,
				   (int)i + 1);
	}
	return n;
}

static int rate_like(lua_State *L, const char *who, int kind)
{
	double *t, *v;
	size_t n = read_samples(L, who, &t, &v);
	const struct lab_val *o = lab_opts(L, 2, who, rate_opts);
	double at = o[1].set ? o[1].num : n ? t[n - 1] : 0;
	double range = o[0].num;
	if (kind == 2) {
		lua_pushinteger(L, (lua_Integer)metrics_resets(t, v, n, at, range));
		return 1;
	}
	double inc = o[2].i ? metrics_increase(t, v, n, at, range, NULL)
			    : metrics_increase_raw(t, v, n, at, range);
	lua_pushnumber(L, kind == 0 ? inc / range : inc);
	return 1;
}

static int l_rate(lua_State *L)
{
	return rate_like(L, "lab.metrics.rate", 0);
}

static int l_increase(lua_State *L)
{
	return rate_like(L, "lab.metrics.increase", 1);
}

static int l_resets(lua_State *L)
{
	return rate_like(L, "lab.metrics.resets", 2);
}

/* ---- histogram_quantile ---- */

/* A bucket bound: a number, or a string as an `le` label holds it. */
static double read_le(lua_State *L, int idx, size_t i)
{
	if (lua_type(L, idx) == LUA_TNUMBER)
		return lua_tonumber(L, idx);
	if (lua_type(L, idx) == LUA_TSTRING) {
		const char *s = lua_tostring(L, idx);
		if (strcmp(s, "+Inf") == 0 || strcmp(s, "Inf") == 0)
			return INFINITY;
		if (strcmp(s, "-Inf") == 0)
			return -INFINITY;
		char *end;
		double d = strtod(s, &end);
		if (*s && !*end)
			return d;
	}
	return luaL_error(L, "lab.metrics.histogram_quantile: bucket %d: le must be a number or "
			     "its text (\"+Inf\")", (int)i + 1);
}

static int l_histogram_quantile(lua_State *L)
{
	double q = luaL_checknumber(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	size_t n = lua_rawlen(L, 2);
	double *up = lab_scratch(L, (2 * n + 1) * sizeof *up);   /* push scratch */
	double *cnt = up + n;
	for (size_t i = 0; i < n; i++) {
		if (lua_rawgeti(L, 2, (lua_Integer)i + 1) != LUA_TTABLE) /* push bucket */
			return luaL_error(L, "lab.metrics.histogram_quantile: bucket %d must be {le, count}",
					  (int)i + 1);
		lua_rawgeti(L, -1, 1);                            /* push le */
		up[i] = read_le(L, -1, i);
		if (lua_rawgeti(L, -2, 2) != LUA_TNUMBER)         /* push count */
			return luaL_error(L, "lab.metrics.histogram_quantile: bucket %d: the count must "
					     "be a number", (int)i + 1);
		cnt[i] = lua_tonumber(L, -1);
		lua_pop(L, 3);
	}
	double out;
	if (metrics_bucket_quantile(q, up, cnt, n, &out) != 0)
		return lab_fail(L, "lab.metrics.histogram_quantile: out of memory");
	lua_pushnumber(L, out);
	return 1;
}

static int l_native_bucket(lua_State *L)
{
	double v = luaL_checknumber(L, 1);
	int schema = (int)lab_checkrange(L, 2, METRICS_SCHEMA_MIN, METRICS_SCHEMA_MAX);
	if (v == 0 || !isfinite(v))
		return luaL_error(L, "lab.metrics.native_bucket: the value must be finite and not 0 "
				     "(0 goes to the zero bucket)");
	int32_t key = metrics_native_key(v, schema);
	double lo = metrics_native_upper(key - 1, schema), hi = metrics_native_upper(key, schema);
	lua_pushinteger(L, key);
	lua_pushnumber(L, v > 0 ? lo : -hi);
	lua_pushnumber(L, v > 0 ? hi : -lo);
	return 3;
}

/* ---- the HDR histogram ---- */

static void free_hdr(void *obj)
{
	hdr_free(obj);
}

static const struct lab_class hdr_class;

static const struct lab_opt hdr_opts[] = {
	{"lowest", LAB_INT, 1, .min = 1, .max = 1e15, .help = "the lowest discernible value"},
	{"highest", LAB_INT, 3600e6, .min = 2, .max = 4e18, .help = "the highest trackable value"},
	{"sigfigs", LAB_INT, 3, .min = 1, .max = 5, .help = "significant decimal digits kept"},
	{NULL},
};

static int l_hdr(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.metrics.hdr", hdr_opts);
	struct hdr *h = lab_newobj(L, &hdr_class, sizeof *h);
	const char *why;
	if (hdr_init(h, o[0].i, o[1].i, (int)o[2].i, &why) != 0)
		return lab_fail(L, "lab.metrics.hdr: %s", why);
	return 1;
}

static int64_t check_value(lua_State *L, int idx, const struct hdr *h)
{
	return (int64_t)lab_checkrange(L, idx, 0, h->highest);
}

static int h_record(lua_State *L)
{
	struct hdr *h = lab_self(L, &hdr_class);
	int64_t v = check_value(L, 2, h);
	int64_t n = (int64_t)(lua_isnoneornil(L, 3) ? 1 : lab_checkrange(L, 3, 0, (lua_Integer)1 << 50));
	if (hdr_record(h, v, n) != 0)
		return luaL_error(L, "h:record: %I is beyond the highest trackable value",
				  (lua_Integer)v);
	lua_settop(L, 1);
	return 1;
}

static int h_record_corrected(lua_State *L)
{
	struct hdr *h = lab_self(L, &hdr_class);
	int64_t v = check_value(L, 2, h);
	int64_t interval = (int64_t)lab_checkrange(L, 3, 0, h->highest);
	if (interval > 0 && v / interval > 100000000)
		return luaL_error(L, "h:record_corrected: more than 10^8 corrections for one value");
	int rc = hdr_record_corrected(h, v, interval);
	if (rc == -2)
		return lab_fail(L, "h:record_corrected: stopped");
	if (rc != 0)
		return luaL_error(L, "h:record_corrected: a value is beyond the highest trackable one");
	lua_settop(L, 1);
	return 1;
}

static int h_value_at(lua_State *L)
{
	struct hdr *h = lab_self(L, &hdr_class);
	double p = luaL_checknumber(L, 2);
	if (!(p >= 0 && p <= 100))
		return luaL_error(L, "h:value_at: the percentile must be between 0 and 100");
	lua_pushinteger(L, hdr_value_at_percentile(h, p));
	return 1;
}

static int h_min(lua_State *L)
{
	struct hdr *h = lab_self(L, &hdr_class);
	if (h->total == 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, hdr_min(h));
	return 1;
}

static int h_max(lua_State *L)
{
	struct hdr *h = lab_self(L, &hdr_class);
	lua_pushinteger(L, hdr_max(h));
	return 1;
}

static int h_mean(lua_State *L)
{
	lua_pushnumber(L, hdr_mean(lab_self(L, &hdr_class)));
	return 1;
}

static int h_count(lua_State *L)
{
	const struct hdr *h = lab_self(L, &hdr_class);
	lua_pushinteger(L, h->total);
	return 1;
}

static int h_layout(lua_State *L)
{
	struct hdr *h = lab_self(L, &hdr_class);
	lua_createtable(L, 0, 5);
	lab_setint(L, "counts_len", h->counts_len);
	lab_setint(L, "bucket_count", h->bucket_count);
	lab_setint(L, "sub_bucket_count", h->sub_bucket_count);
	lab_setint(L, "unit_magnitude", h->unit_magnitude);
	lab_setint(L, "bytes", (lua_Integer)h->counts_len * 8);
	return 1;
}

static int h_equivalent(lua_State *L)
{
	struct hdr *h = lab_self(L, &hdr_class);
	int64_t v = check_value(L, 2, h);
	lua_pushinteger(L, hdr_lowest_equivalent(h, v));
	lua_pushinteger(L, hdr_highest_equivalent(h, v));
	return 2;
}

static int h_tostring(lua_State *L)
{
	struct hdr *h = lab_self(L, &hdr_class);
	lua_pushfstring(L, "lab.metrics.hdr(%I values, %d digits)", (lua_Integer)h->total, h->sigfigs);
	return 1;
}

static const luaL_Reg hdr_methods[] = {
	{"record", h_record}, {"record_corrected", h_record_corrected}, {"value_at", h_value_at},
	{"min", h_min},       {"max", h_max},                           {"mean", h_mean},
	{"count", h_count},   {"layout", h_layout},                     {"equivalent", h_equivalent},
	{NULL, NULL},
};

static const luaL_Reg hdr_meta[] = {
	{"__tostring", h_tostring},
	{NULL, NULL},
};

static const struct lab_class hdr_class = {
	.name = "lab.metrics.hdr",
	.methods = hdr_methods,
	.metamethods = hdr_meta,
	.free = free_hdr,
};

static const luaL_Reg functions[] = {
	{"registry", l_registry},
	{"parse", l_parse},
	{"rate", l_rate},
	{"increase", l_increase},
	{"resets", l_resets},
	{"histogram_quantile", l_histogram_quantile},
	{"native_bucket", l_native_bucket},
	{"hdr", l_hdr},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_metrics = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&registry_class, &hdr_class, NULL},
	.options = (const struct lab_fnopts[]){{"r:counter", family_opts},
					       {"r:gauge", family_opts},
					       {"r:histogram", histogram_opts},
					       {"r:summary", summary_opts},
					       {"rate", rate_opts},
					       {"increase", rate_opts},
					       {"resets", rate_opts},
					       {"hdr", hdr_opts},
					       {NULL}},
};
