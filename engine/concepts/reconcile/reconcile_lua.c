/*
 * reconcile_lua.c — lab.reconcile: the Lua binding of reconcile.h.
 *
 *   local want = {
 *     {id = "net", type = "vpc", attrs = {cidr = "10.0.0.0/16"}},
 *     {id = "db", type = "postgres", attrs = {size = "small", engine = "15"},
 *      depends_on = {"net"}, force_new = {"engine"}},
 *   }
 *   lab.reconcile.plan(want, have)   -> {{op =, id =, changes = {...}}, ...}
 *   lab.reconcile.apply(want, have)  -> new state, plan
 *   lab.reconcile.loop{desired =, actual =, interval =, time =, fail =,
 *                      seed =, drift = {{at =, id =, set = {k = v}} | {at =, id =, delete = true}}}
 *
 * States are read raw into C copies held by a userdata (lab_holder), so
 * nothing points into a Lua string once reading is done. Attribute values
 * are strings, numbers or booleans, encoded with a tag byte so that "1"
 * and 1 differ while 1 and 1.0 do not.
 */
#include "engine/lab/labkit.h"
#include "engine/base/budget.h"
#include "engine/concepts/reconcile/reconcile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct held {
	struct rec_state desired, actual;
	struct rec_plan plan;
	struct rec_drift *drift;
	size_t ndrift;
	struct rec_loop_report report;
};

static void free_held(void *p)
{
	struct held *h = p;
	rec_state_free(&h->desired);
	rec_state_free(&h->actual);
	rec_plan_free(&h->plan);
	for (size_t i = 0; i < h->ndrift; i++) {
		budget_free((char *)h->drift[i].id);
		budget_free((char *)h->drift[i].attr);
		budget_free((char *)h->drift[i].value);
	}
	budget_free(h->drift);
	rec_loop_report_free(&h->report);
}

static char *copy_str(lua_State *L, int idx)
{
	size_t n;
	const char *s = lua_tolstring(L, idx, &n);
	char *d = budget_malloc(n + 1);
	if (!d)
		lab_fail(L, "lab.reconcile: not enough memory");
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Encodes the value at IDX ("s" string, "n" number, "b" boolean) into a
 * new buffer; *LEN its length. Raises for other types. */
static char *encode(lua_State *L, int idx, size_t *len, const char *who, const char *what)
{
	char buf[64];
	const char *s = buf;
	size_t n;
	int t = lua_type(L, idx);
	if (t == LUA_TSTRING) {
		const char *v = lua_tolstring(L, idx, &n);
		char *d = budget_malloc(n + 2);
		if (!d)
			lab_fail(L, "%s: not enough memory", who);
		d[0] = 's';
		memcpy(d + 1, v, n);
		d[n + 1] = '\0';
		*len = n + 1;
		return d;
	} else if (t == LUA_TNUMBER) {
		double x = lua_tonumber(L, idx);
		if (lua_isinteger(L, idx))
			n = (size_t)snprintf(buf, sizeof buf, "n%lld", (long long)lua_tointeger(L, idx));
		else if (x == floor(x) && fabs(x) < 0x1p63)
			n = (size_t)snprintf(buf, sizeof buf, "n%lld", (long long)x);
		else
			n = (size_t)snprintf(buf, sizeof buf, "n%.17g", x);
	} else if (t == LUA_TBOOLEAN) {
		n = (size_t)snprintf(buf, sizeof buf, "b%d", lua_toboolean(L, idx));
	} else {
		return luaL_error(L, "%s: %s must be a string, a number or a boolean, not %s", who,
				  what, luaL_typename(L, idx)), NULL;
	}
	char *d = budget_malloc(n + 1);
	if (!d)
		lab_fail(L, "%s: not enough memory", who);
	memcpy(d, s, n + 1);
	*len = n;
	return d;
}

/* Pushes the Lua value encoded in V (LEN bytes). */
static void decode(lua_State *L, const char *v, size_t len)
{
	if (v[0] == 's') {
		lua_pushlstring(L, v + 1, len - 1);
	} else if (v[0] == 'b') {
		lua_pushboolean(L, v[1] == '1');
	} else if (strpbrk(v + 1, ".eEin")) {             /* a fraction, inf or nan */
		lua_pushnumber(L, strtod(v + 1, NULL));
	} else {
		lua_pushinteger(L, (lua_Integer)strtoll(v + 1, NULL, 10));
	}
}

/* Reads the list of strings at the top of the stack (absent: empty) into
 * *OUT, *N. */
static void read_names(lua_State *L, const char *who, const char *what, char ***out, size_t *n)
{
	*out = budget_calloc(1, sizeof **out);
	*n = 0;
	if (!*out)
		lab_fail(L, "%s: not enough memory", who);
	if (lua_isnil(L, -1))
		return;
	if (lua_type(L, -1) == LUA_TSTRING) {
		(*out)[0] = copy_str(L, -1);
		*n = 1;
		return;
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "%s: %s must be a list of ids, not %s", who, what, luaL_typename(L, -1));
	lua_Unsigned len = lua_rawlen(L, -1);
	if (len > REC_MAX_RESOURCES)
		luaL_error(L, "%s: %s is too long", who, what);
	char **v = budget_realloc(*out, (len + 1) * sizeof *v);
	if (!v)
		lab_fail(L, "%s: not enough memory", who);
	*out = v;
	for (lua_Unsigned i = 1; i <= len; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "%s: %s[%d] must be a string, not %s", who, what, (int)i,
				   luaL_typename(L, -1));
		v[(*n)++] = copy_str(L, -1);
		lua_pop(L, 1);
	}
}

/* Reads resource table at the top of the stack into R (zeroed; S's count
 * already includes it, so that an error frees what was read). */
static void read_res(lua_State *L, const char *who, struct rec_res *r, size_t i)
{
	char what[64];
	if (!lua_istable(L, -1))
		luaL_error(L, "%s: resource %d must be a table, not %s", who, (int)i,
			   luaL_typename(L, -1));
	lua_pushliteral(L, "id");
	lua_rawget(L, -2);
	if (lua_type(L, -1) != LUA_TSTRING || lua_rawlen(L, -1) == 0)
		luaL_error(L, "%s: resource %d needs an id (a string)", who, (int)i);
	r->id = copy_str(L, -1);
	lua_pop(L, 1);
	lua_pushliteral(L, "type");
	lua_rawget(L, -2);
	if (lua_type(L, -1) != LUA_TSTRING && !lua_isnil(L, -1))
		luaL_error(L, "%s: '%s': type must be a string", who, r->id);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushliteral(L, "");
	}
	r->type = copy_str(L, -1);
	lua_pop(L, 1);
	snprintf(what, sizeof what, "'%.40s'.depends_on", r->id);
	lua_pushliteral(L, "depends_on");
	lua_rawget(L, -2);
	read_names(L, who, what, &r->deps, &r->ndeps);
	lua_pop(L, 1);
	snprintf(what, sizeof what, "'%.40s'.force_new", r->id);
	lua_pushliteral(L, "force_new");
	lua_rawget(L, -2);
	read_names(L, who, what, &r->force_new, &r->nforce);
	lua_pop(L, 1);
	lua_pushliteral(L, "attrs");
	lua_rawget(L, -2);
	r->attrs = budget_calloc(REC_MAX_ATTRS, sizeof *r->attrs);
	if (!r->attrs)
		lab_fail(L, "%s: not enough memory", who);
	if (!lua_isnil(L, -1)) {
		if (!lua_istable(L, -1))
			luaL_error(L, "%s: '%s': attrs must be a table", who, r->id);
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			if (lua_type(L, -2) != LUA_TSTRING)
				luaL_error(L, "%s: '%s': attribute names must be strings", who, r->id);
			if (r->nattrs == REC_MAX_ATTRS)
				luaL_error(L, "%s: '%s' has more than %d attributes", who, r->id,
					   REC_MAX_ATTRS);
			struct rec_attr *a = &r->attrs[r->nattrs];
			a->name = copy_str(L, -2);
			r->nattrs++;
			snprintf(what, sizeof what, "attribute '%.40s'", a->name);
			a->value = encode(L, -1, &a->vlen, who, what);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* Reads the state (a list of resources) at IDX into S. */
static void read_state(lua_State *L, int idx, const char *who, const char *what,
		       struct rec_state *s)
{
	idx = lua_absindex(L, idx);
	if (lua_isnil(L, idx))
		return;
	if (!lua_istable(L, idx))
		luaL_error(L, "%s: %s must be a list of resources, not %s", who, what,
			   luaL_typename(L, idx));
	lua_Unsigned n = lua_rawlen(L, idx);
	if (n > REC_MAX_RESOURCES)
		luaL_error(L, "%s: %s has more than %d resources", who, what, REC_MAX_RESOURCES);
	s->res = budget_calloc(n + 1, sizeof *s->res);
	if (!s->res)
		lab_fail(L, "%s: not enough memory", who);
	for (lua_Unsigned i = 1; i <= n; i++) {
		lua_rawgeti(L, idx, (lua_Integer)i);
		s->n = i;
		read_res(L, who, &s->res[i - 1], i);
		lua_pop(L, 1);
	}
	char buf[300];
	const char *err = rec_validate(s, buf, sizeof buf);
	if (err)
		luaL_error(L, "%s: %s: %s", who, what, err);
}

/* t[name] = seconds S, an integer when whole (print shows 30, not 30.0) */
static void set_sec(lua_State *L, const char *name, double s)
{
	if (s == floor(s) && fabs(s) < 0x1p53)
		lua_pushinteger(L, (lua_Integer)s);
	else
		lua_pushnumber(L, s);
	lua_setfield(L, -2, name);
}

static const char *op_name(enum rec_op op)
{
	return op == REC_CREATE ? "create" : op == REC_UPDATE ? "update"
		: op == REC_REPLACE ? "replace" : "delete";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push_plan(lua_State *L, const struct rec_plan *p, const struct rec_state *d,
		      const struct rec_state *a)
{
	lua_createtable(L, (int)p->n, 0);
	for (size_t i = 0; i < p->n; i++) {
		const struct rec_action *x = &p->a[i];
		lua_createtable(L, 0, 3);
		lab_setstr(L, "op", op_name(x->op));
		lab_setstr(L, "id", x->op == REC_DELETE ? a->res[x->actual].id : d->res[x->desired].id);
		if (x->nchanged > 1)    /* qsort's pointer must not be NULL, even for 0 */
			qsort(x->changed, x->nchanged, sizeof *x->changed, cmp_str);
		lua_createtable(L, (int)x->nchanged, 0);
		for (size_t k = 0; k < x->nchanged; k++) {
			lua_pushstring(L, x->changed[k]);
			lua_rawseti(L, -2, (lua_Integer)k + 1);
		}
		lua_setfield(L, -2, "changes");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static void push_names(lua_State *L, char **v, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t k = 0; k < n; k++) {
		lua_pushstring(L, v[k]);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
}

static void push_state(lua_State *L, const struct rec_state *s)
{
	lua_createtable(L, (int)s->n, 0);
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct rec_res *r = &s->res[i];
		if (r->deleted)
			continue;
		lua_createtable(L, 0, 5);
		lab_setstr(L, "id", r->id);
		if (*r->type)
			lab_setstr(L, "type", r->type);
		lua_createtable(L, 0, (int)r->nattrs);
		for (size_t j = 0; j < r->nattrs; j++) {
			decode(L, r->attrs[j].value, r->attrs[j].vlen);
			lua_setfield(L, -2, r->attrs[j].name);
		}
		lua_setfield(L, -2, "attrs");
		if (r->ndeps) {
			push_names(L, r->deps, r->ndeps);
			lua_setfield(L, -2, "depends_on");
		}
		if (r->nforce) {
			push_names(L, r->force_new, r->nforce);
			lua_setfield(L, -2, "force_new");
		}
		lua_rawseti(L, -2, (lua_Integer)++k);
	}
}

/* lab.reconcile.plan(desired, actual) */
static int l_plan(lua_State *L)
{
	const char *who = "lab.reconcile.plan";
	lua_settop(L, 2);
	struct held *h = lab_holder(L, sizeof *h, free_held);   /* 3 */
	read_state(L, 1, who, "desired", &h->desired);
	read_state(L, 2, who, "actual", &h->actual);
	if (rec_plan(&h->desired, &h->actual, &h->plan) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	push_plan(L, &h->plan, &h->desired, &h->actual);
	return 1;
}

/* lab.reconcile.apply(desired, actual) -> new actual, the plan applied */
static int l_apply(lua_State *L)
{
	const char *who = "lab.reconcile.apply";
	lua_settop(L, 2);
	struct held *h = lab_holder(L, sizeof *h, free_held);   /* 3 */
	read_state(L, 1, who, "desired", &h->desired);
	read_state(L, 2, who, "actual", &h->actual);
	if (rec_plan(&h->desired, &h->actual, &h->plan) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	push_plan(L, &h->plan, &h->desired, &h->actual);        /* 4: before the indexes change */
	for (size_t i = 0; i < h->plan.n; i++)
		if (rec_apply_one(&h->actual, &h->desired, &h->plan.a[i]) != 0)
			return lab_fail(L, "%s: not enough memory", who);
	rec_compact(&h->actual);
	push_state(L, &h->actual);                              /* 5 */
	lua_insert(L, -2);
	return 2;
}

static const struct lab_opt loop_opts[] = {
	{"desired", LAB_TABLE, .required = 1, .help = "the declared resources"},
	{"actual", LAB_TABLE, .str = "{}", .help = "what exists at the start"},
	{"interval", LAB_NUM, .num = 30, .min = 0, .max = 1e9, .flags = LAB_ABOVE,
	 .help = "seconds between reconciliations"},
	{"time", LAB_NUM, .num = 600, .min = 0, .max = 1e9, .help = "seconds simulated"},
	{"fail", LAB_NUM, .num = 0, .min = 0, .max = 0.999999,
	 .help = "probability that one action fails"},
	{"seed", LAB_INT, .num = 1, .help = "draws the failures"},
	{"drift", LAB_TABLE, .str = "{}",
	 .help = "changes behind the controller's back: {at =, id =, set = {k = v}} or "
		 "{at =, id =, delete = true}, in time order"},
	{NULL},
};
enum { O_DESIRED, O_ACTUAL, O_INTERVAL, O_TIME, O_FAIL, O_SEED, O_DRIFT };

/* Reads options.drift (index 1) into H. */
static void read_drift(lua_State *L, const char *who, struct held *h)
{
	lab_optpush(L, 1, "drift");
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return;
	}
	lua_Unsigned n = lua_rawlen(L, -1);
	if (n > 100000)
		luaL_error(L, "%s: too many drift events", who);
	h->drift = budget_calloc(4 * n + 1, sizeof *h->drift); /* a set may hold several */
	if (!h->drift)
		lab_fail(L, "%s: not enough memory", who);
	size_t cap = 4 * n + 1;
	double last = -INFINITY;
	for (lua_Unsigned i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i);
		if (!lua_istable(L, -1))
			luaL_error(L, "%s: drift[%d] must be a table", who, (int)i);
		lua_pushliteral(L, "at");
		lua_rawget(L, -2);
		if (!lua_isnumber(L, -1) || !(lua_tonumber(L, -1) >= 0))
			luaL_error(L, "%s: drift[%d].at must be a time >= 0", who, (int)i);
		double at = lua_tonumber(L, -1);
		if (at < last)
			luaL_error(L, "%s: drift[%d] comes before drift[%d]: give them in time order",
				   who, (int)i, (int)i - 1);
		last = at;
		lua_pop(L, 1);
		lua_pushliteral(L, "id");
		lua_rawget(L, -2);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "%s: drift[%d].id must be a string", who, (int)i);
		lua_pushliteral(L, "delete");
		lua_rawget(L, -3);
		int del = lua_toboolean(L, -1);
		lua_pop(L, 1);
		lua_pushliteral(L, "set");
		lua_rawget(L, -3);
		if (del == !lua_isnil(L, -1))
			luaL_error(L, "%s: drift[%d] needs set = {attr = value} or delete = true", who,
				   (int)i);
		if (del) {
			struct rec_drift *e = &h->drift[h->ndrift++];
			e->at = at;
			e->id = copy_str(L, -2);
		} else {
			if (!lua_istable(L, -1))
				luaL_error(L, "%s: drift[%d].set must be a table", who, (int)i);
			lua_pushnil(L);
			while (lua_next(L, -2)) {
				if (lua_type(L, -2) != LUA_TSTRING)
					luaL_error(L, "%s: drift[%d].set: names must be strings", who,
						   (int)i);
				if (h->ndrift == cap) {
					struct rec_drift *v =
						budget_realloc(h->drift, 2 * cap * sizeof *v);
					if (!v)
						lab_fail(L, "%s: not enough memory", who);
					memset(v + cap, 0, cap * sizeof *v);
					h->drift = v;
					cap *= 2;
				}
				struct rec_drift *e = &h->drift[h->ndrift++];
				e->at = at;
				e->id = copy_str(L, -4);
				e->attr = copy_str(L, -2);
				e->value = encode(L, -1, &e->vlen, who, "a drift value");
				lua_pop(L, 1);
			}
		}
		lua_pop(L, 3);                                  /* set, id, event */
	}
	lua_pop(L, 1);
}

static int l_loop(lua_State *L)
{
	const char *who = "lab.reconcile.loop";
	const struct lab_val *o = lab_opts(L, 1, who, loop_opts);   /* 2 */
	struct held *h = lab_holder(L, sizeof *h, free_held);       /* 3 */
	lab_optpush(L, 1, "desired");
	read_state(L, -1, who, "desired", &h->desired);
	lua_pop(L, 1);
	lab_optpush(L, 1, "actual");
	read_state(L, -1, who, "actual", &h->actual);
	lua_pop(L, 1);
	read_drift(L, who, h);
	if (o[O_TIME].num / o[O_INTERVAL].num > 1e6)
		return luaL_error(L, "%s: more than a million reconciliations", who);
	struct rec_loop_config c = {o[O_INTERVAL].num, o[O_TIME].num, o[O_FAIL].num,
				    (uint64_t)o[O_SEED].i, h->drift, h->ndrift};
	if (rec_loop(&h->actual, &h->desired, &c, &h->report) != 0)
		return lab_fail(L, "%s: stopped (out of memory or time)", who);
	const struct rec_loop_report *r = &h->report;
	lua_createtable(L, 0, 6);
	if (r->first_converged >= 0)
		set_sec(L, "converged_at", r->first_converged);
	lab_setint(L, "applied", (lua_Integer)r->applied);
	lab_setint(L, "failed", (lua_Integer)r->failed);
	set_sec(L, "out_of_sync", r->out_of_sync);
	lab_setint(L, "blocked", (lua_Integer)r->blocked);
	lab_setbool(L, "converged", r->nticks && r->ticks[r->nticks - 1].converged);
	lua_createtable(L, (int)r->nticks, 0);
	for (size_t i = 0; i < r->nticks; i++) {
		const struct rec_tick *k = &r->ticks[i];
		lua_createtable(L, 0, 5);
		set_sec(L, "t", k->t);
		lab_setint(L, "planned", (lua_Integer)k->planned);
		lab_setint(L, "applied", (lua_Integer)k->applied);
		lab_setint(L, "failed", (lua_Integer)k->failed);
		lab_setint(L, "blocked", (lua_Integer)k->blocked);
		lab_setbool(L, "converged", k->converged);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "ticks");
	push_state(L, &h->actual);
	lua_setfield(L, -2, "actual");
	return 1;
}

static const luaL_Reg functions[] = {
	{"plan", l_plan},
	{"apply", l_apply},
	{"loop", l_loop},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_reconcile = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"loop", loop_opts}, {NULL}},
};
