/*
 * httpcache_lua.c — lab.httpcache: the Lua binding of httpcache.h.
 *
 *   local d = lab.httpcache.evaluate{
 *     response = {status = 200, headers = {["Cache-Control"] = "max-age=60",
 *                 Date = 0, ETag = '"v1"'}},
 *     request = {headers = {}}, now = 75, shared = false}
 *   d.action       -- "serve", "revalidate", "fetch" or "fail"
 *   d.reason       -- "max-age=60 and age 75 s: stale; revalidate"
 *   lab.httpcache.origin{request = {...}, etag = '"v2"', last_modified = 0}
 *   lab.httpcache.date(784111777) lab.httpcache.parse_date(s) lab.httpcache.etag_match(a, b)
 *
 * Header values are strings; date fields (Date, Expires, Last-Modified,
 * If-Modified-Since) may also be numbers of seconds since the epoch; a list
 * of strings is a field repeated. Times (now, received, requested) are
 * numbers or HTTP-dates. Every string the C side reads is anchored in a
 * table the call keeps on its stack (index 2).
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/httpcache/httpcache.h"
#include "engine/concepts/httpcache/httpdate.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#define MAX_FIELDS 64
#define KEEP 2 /* stack index of the table that anchors strings */

struct msg {
	struct httpc_message m;
	struct httpc_field f[MAX_FIELDS];
	int seq[MAX_FIELDS];
};

/* Anchors the string on top of the stack in the KEEP table, pops it, and
 * returns it.                                                      [-1, +0] */
static const char *keep(lua_State *L)
{
	return lab_keep(L, KEEP);
}

/* Pushes the HTTP-date of T seconds, or raises naming WHAT.       [-0, +1] */
static void push_date(lua_State *L, double t, const char *what)
{
	char buf[30];
	if (!(t >= HTTPDATE_MIN && t < HTTPDATE_MAX + 1.0) ||
	    httpdate_format((int64_t)floor(t), buf) < 0)
		luaL_error(L, "%s must be a time between %I and %I seconds (the years 0000 to 9999)",
			   what, (lua_Integer)HTTPDATE_MIN, (lua_Integer)HTTPDATE_MAX);
	lua_pushstring(L, buf);
}

/* The header value on top of the stack (popped), as an anchored string. */
static const char *field_value(lua_State *L, const char *name)
{
	static const char *const dates[] = {"Date", "Expires", "Last-Modified", "If-Modified-Since"};
	char what[80];
	snprintf(what, sizeof what, "header '%.40s'", name);
	if (lua_type(L, -1) == LUA_TNUMBER) {
		double t = lua_tonumber(L, -1);
		int date = 0;
		for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
			date |= strcasecmp(name, dates[i]) == 0;
		if (date) {
			push_date(L, t, what);
		} else {
			if (!(t == floor(t) && fabs(t) < 0x1p63))
				luaL_error(L, "%s must be a string or an integer", what);
			lua_pushfstring(L, "%I", (lua_Integer)t);
		}
		lua_remove(L, -2);                  /* remove the number */
	} else if (lua_type(L, -1) != LUA_TSTRING) {
		luaL_error(L, "%s must be a string (or a number for a date)", what);
	}
	return keep(L);
}

static int cmp_field(const struct msg *m, size_t i, size_t j)
{
	int c = strcasecmp(m->f[i].name, m->f[j].name);
	return c ? c : m->seq[i] - m->seq[j];
}

/* Sorts the fields by name (then by their order in a list), so that which of
 * two spellings of a name comes first does not depend on table order. */
static void sort_fields(struct msg *m)
{
	for (size_t i = 1; i < m->m.nfields; i++) { /* insertion sort: few fields */
		for (size_t j = i; j > 0 && cmp_field(m, j, j - 1) < 0; j--) {
			struct httpc_field tf = m->f[j];
			int ts = m->seq[j];
			m->f[j] = m->f[j - 1], m->seq[j] = m->seq[j - 1];
			m->f[j - 1] = tf, m->seq[j - 1] = ts;
		}
	}
}

static const struct lab_opt message_opts[] = {
	{"status", LAB_INT, .num = 200, .min = 100, .max = 999, LAB_INTO(struct httpc_message, status)},
	{"method", LAB_STR, .help = "GET when absent", LAB_INTO(struct httpc_message, method)},
	{"headers", LAB_TABLE, .help = "name = value, or name = {value, value}"},
	{NULL},
};

/* Reads the message in option WHAT of the options at index 1 into M. */
static void read_message(lua_State *L, const char *who, const char *what, struct msg *m)
{
	char whom[80];
	snprintf(whom, sizeof whom, "%s: %s", who, what);
	lab_optpush(L, 1, what);                    /* push message */
	if (!lua_isnil(L, -1) && !lua_istable(L, -1))
		luaL_error(L, "%s must be a table {status =, method =, headers = {...}}", whom);
	int t = lua_gettop(L);
	lab_opts_into(L, t, whom, message_opts, &m->m, 0); /* push box */
	if (m->m.method) {
		lua_pushstring(L, m->m.method);
		m->m.method = keep(L);
	}
	m->m.fields = m->f;
	if (lab_optpush(L, t, "headers") == LUA_TTABLE) { /* push headers */
		int h = lua_gettop(L);
		lua_pushnil(L);
		while (lua_next(L, h)) {                /* push name, value */
			if (lua_type(L, -2) != LUA_TSTRING)
				luaL_error(L, "%s: header names must be strings", whom);
			lua_pushvalue(L, -2);
			const char *name = keep(L);     /* anchored */
			int n = lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 0;
			for (int i = 0; i < (n ? n : 1); i++) {
				if (m->m.nfields == MAX_FIELDS)
					luaL_error(L, "%s: at most %d header fields", whom, MAX_FIELDS);
				if (n)
					lua_rawgeti(L, -1, i + 1); /* push list[i+1] */
				else
					lua_pushvalue(L, -1);
				m->f[m->m.nfields].name = name;
				m->f[m->m.nfields].value = field_value(L, name);
				m->seq[m->m.nfields++] = i;
			}
			lua_pop(L, 1);                  /* remove value, keep name */
		}
	}
	lua_settop(L, t - 1);                       /* remove message, box, headers */
	sort_fields(m);
}

/* A time option: a number, or an HTTP-date string. DEF if absent. */
static double opttime(lua_State *L, const char *who, const char *name, double def)
{
	int t = lab_optpush(L, 1, name);            /* push value */
	double v = def;
	int64_t x;
	if (t == LUA_TNUMBER)
		v = lua_tonumber(L, -1);
	else if (t == LUA_TSTRING && httpdate_parse(lua_tostring(L, -1), 0, &x) == 0)
		v = (double)x;
	else if (t != LUA_TNIL)
		luaL_error(L, "%s: option '%s' must be seconds or an HTTP-date such as "
			      "\"Sun, 06 Nov 1994 08:49:37 GMT\"", who, name);
	lua_pop(L, 1);                              /* remove value */
	if (!isfinite(v))
		luaL_error(L, "%s: option '%s' must be finite", who, name);
	return v;
}

static const struct lab_opt evaluate_opts[] = {
	{"response", LAB_TABLE, .required = 1, .help = "the stored response {status, headers}"},
	{"request", LAB_TABLE, .help = "the request {method, headers}"},
	{"now", LAB_ANY, .num = 0, .help = "seconds or an HTTP-date"},
	{"received", LAB_ANY, .str = "the response's Date", .help = "when it was received"},
	{"requested", LAB_ANY, .str = "received", .help = "when it was requested"},
	{"shared", LAB_BOOL, .help = "a shared cache (proxy, CDN)"},
	{NULL},
};

static const char *const action_names[] = {"serve", "revalidate", "fetch", "fail"};

static const struct lab_field decision_fields[] = {
	LAB_FBOOL(struct httpc_decision, storable), LAB_FBOOL(struct httpc_decision, fresh),
	LAB_FBOOL(struct httpc_decision, heuristic), LAB_FBOOL(struct httpc_decision, stale),
	LAB_F(struct httpc_decision, lifetime),      LAB_F(struct httpc_decision, age),
	LAB_FAS("reason", struct httpc_decision, summary),
	{NULL},
};

static int l_evaluate(lua_State *L)
{
	const char *who = "lab.httpcache.evaluate";
	lua_settop(L, 1);
	lua_newtable(L);                            /* 2: strings kept alive */
	const struct lab_val *o = lab_opts(L, 1, who, evaluate_opts); /* 3 */
	struct msg *req = lab_scratch(L, sizeof *req);  /* 4 */
	struct msg *res = lab_scratch(L, sizeof *res);  /* 5 */
	read_message(L, who, "request", req);
	read_message(L, who, "response", res);
	struct httpc_input in = {.request = &req->m, .response = &res->m, .shared = (int)o[5].i};
	in.now = opttime(L, who, "now", 0);
	double date = 0;                            /* received: the Date, 0 without one */
	for (size_t i = 0; i < res->m.nfields; i++) {
		int64_t t;
		if (strcasecmp(res->f[i].name, "Date") == 0 &&
		    httpdate_parse(res->f[i].value, in.now, &t) == 0) {
			date = (double)t;
			break;
		}
	}
	in.response_time = opttime(L, who, "received", date);
	in.request_time = opttime(L, who, "requested", in.response_time);
	struct httpc_decision *d = lab_scratch(L, sizeof *d); /* 6 */
	if (httpc_evaluate(&in, d) < 0)
		return lab_fail(L, "%s: not enough memory", who);
	lab_pushfields(L, d, decision_fields);      /* push the decision */
	lab_setstr(L, "action", action_names[d->action]);
	if (d->status)
		lab_setint(L, "status", d->status);
	lua_newtable(L);                            /* validators */
	if (d->if_none_match)
		lab_setstr(L, "If-None-Match", d->if_none_match);
	if (d->if_modified_since)
		lab_setstr(L, "If-Modified-Since", d->if_modified_since);
	lua_setfield(L, -2, "validators");
	lua_createtable(L, d->nsteps, 0);           /* steps */
	for (int i = 0; i < d->nsteps; i++) {
		lua_pushstring(L, d->steps[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "steps");
	return 1;
}

static const struct lab_opt origin_opts[] = {
	{"request", LAB_TABLE, .help = "the request {method, headers}"},
	{"etag", LAB_STR, .help = "the current representation's ETag"},
	{"last_modified", LAB_ANY, .help = "its Last-Modified: seconds or an HTTP-date"},
	{"now", LAB_ANY, .num = 0, .help = "seconds or an HTTP-date"},
	{NULL},
};

static int l_origin(lua_State *L)
{
	const char *who = "lab.httpcache.origin";
	lua_settop(L, 1);
	lua_newtable(L);                            /* 2: strings kept alive */
	const struct lab_val *o = lab_opts(L, 1, who, origin_opts); /* 3: anchors etag */
	struct msg *req = lab_scratch(L, sizeof *req); /* 4 */
	read_message(L, who, "request", req);
	const char *lm = NULL;
	if (lab_optpush(L, 1, "last_modified") != LUA_TNIL) /* push last_modified */
		lm = field_value(L, "Last-Modified");
	else
		lua_pop(L, 1);
	struct httpc_origin ans;
	if (httpc_origin_answer(&req->m, o[1].s, lm, opttime(L, who, "now", 0), &ans) < 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 2);
	lab_setint(L, "status", ans.status);
	lab_setstr(L, "reason", ans.reason);
	return 1;
}

static int l_date(lua_State *L)
{
	push_date(L, luaL_checknumber(L, 1), "lab.httpcache.date: the time");
	return 1;
}

static int l_parse_date(lua_State *L)
{
	int64_t t;
	if (httpdate_parse(luaL_checkstring(L, 1), luaL_optnumber(L, 2, 0), &t) < 0)
		return 0;
	lua_pushinteger(L, (lua_Integer)t);
	return 1;
}

static int l_etag_match(lua_State *L)
{
	static const char *const modes[] = {"weak", "strong", NULL};
	const char *a = luaL_checkstring(L, 1), *b = luaL_checkstring(L, 2);
	int weak = luaL_checkoption(L, 3, "weak", modes) == 0;
	int m = httpc_etag_match(a, b, weak);
	if (m < 0)
		return luaL_error(L, "entity tags look like \"xyz\" or W/\"xyz\" (quotes included)");
	lua_pushboolean(L, m);
	return 1;
}

static const luaL_Reg functions[] = {
	{"evaluate", l_evaluate},     {"origin", l_origin},         {"date", l_date},
	{"parse_date", l_parse_date}, {"etag_match", l_etag_match}, {NULL, NULL},
};

const struct lab_namespace lab_ns_httpcache = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"evaluate", evaluate_opts},
					       {"evaluate response", message_opts},
					       {"origin", origin_opts},
					       {NULL, NULL}},
};
