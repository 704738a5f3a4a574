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
 * numbers or HTTP-dates.
 */
#include "engine/concepts/cache/cache_lua.h"
#include "engine/concepts/httpcache/httpcache.h"
#include "engine/concepts/httpcache/httpdate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FIELDS 64

struct msg {
	struct httpc_message m;
	struct httpc_field f[MAX_FIELDS];
	int seq[MAX_FIELDS];
};

static int is_date_field(const char *name)
{
	static const char *const names[] = {"Date", "Expires", "Last-Modified",
					    "If-Modified-Since", NULL};
	for (int i = 0; names[i]; i++)
		if (strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* Keeps the string on top of the stack alive in the table at KEEP, pops it,
 * and returns it. */
static const char *keep(lua_State *L, int keep_idx)
{
	const char *s = lua_tostring(L, -1);
	lua_rawseti(L, keep_idx, (lua_Integer)lua_rawlen(L, keep_idx) + 1); /* keep[n+1] = s */
	return s;
}

/* The header value on top of the stack (popped), as a string. */
static const char *field_value(lua_State *L, const char *name, int keep_idx)
{
	if (lua_type(L, -1) == LUA_TNUMBER) {
		double t = lua_tonumber(L, -1);
		lua_pop(L, 1);                      /* remove the number */
		if (!isfinite(t))
			luaL_error(L, "header '%s' must be a finite number", name);
		if (is_date_field(name)) {
			char buf[30];
			httpdate_format((int64_t)floor(t), buf);
			lua_pushstring(L, buf);
		} else {
			lua_pushfstring(L, "%I", (lua_Integer)floor(t));
		}
		return keep(L, keep_idx);
	}
	if (lua_type(L, -1) != LUA_TSTRING)
		luaL_error(L, "header '%s' must be a string (or a number for a date)", name);
	return keep(L, keep_idx);
}

static int cmp_field(const void *a, const void *b, const struct msg *m)
{
	size_t i = (size_t)((const struct httpc_field *)a - m->f);
	size_t j = (size_t)((const struct httpc_field *)b - m->f);
	int c = strcasecmp(m->f[i].name, m->f[j].name);
	return c ? c : m->seq[i] - m->seq[j];
}

/* Sorts the fields by name (then by their order in a list), so that which of
 * two spellings of a name comes first does not depend on table order. */
static void sort_fields(struct msg *m)
{
	for (size_t i = 1; i < m->m.nfields; i++) { /* insertion sort: few fields */
		for (size_t j = i; j > 0 && cmp_field(&m->f[j], &m->f[j - 1], m) < 0; j--) {
			struct httpc_field tf = m->f[j];
			int ts = m->seq[j];
			m->f[j] = m->f[j - 1], m->seq[j] = m->seq[j - 1];
			m->f[j - 1] = tf, m->seq[j - 1] = ts;
		}
	}
}

/* Reads the message table in field WHAT of the options at index 1. */
static void tomessage(lua_State *L, const char *what, struct msg *m, int keep_idx)
{
	memset(m, 0, sizeof *m);
	m->m.fields = m->f;
	if (lua_getfield(L, 1, what) == LUA_TNIL) { /* push message */
		lua_pop(L, 1);
		return;
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "%s must be a table {status =, method =, headers = {...}}", what);
	int t = lua_gettop(L);
	m->m.status = (int)lab_optint(L, t, "status", 200);
	if (lua_getfield(L, t, "method") == LUA_TSTRING) /* push method */
		m->m.method = keep(L, keep_idx);
	else
		lua_pop(L, 1);
	if (lua_getfield(L, t, "headers") == LUA_TTABLE) { /* push headers */
		int h = lua_gettop(L);
		lua_pushnil(L);
		while (lua_next(L, h)) {            /* push name, value */
			if (lua_type(L, -2) != LUA_TSTRING)
				luaL_error(L, "header names must be strings");
			const char *name = lua_tostring(L, -2);
			int n = lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 0;
			for (int i = 0; i < (n ? n : 1); i++) {
				if (m->m.nfields == MAX_FIELDS)
					luaL_error(L, "at most %d header fields", MAX_FIELDS);
				if (n)
					lua_rawgeti(L, -1, i + 1); /* push list[i+1] */
				else
					lua_pushvalue(L, -1);
				m->f[m->m.nfields].name = name;
				m->f[m->m.nfields].value = field_value(L, name, keep_idx);
				m->seq[m->m.nfields++] = i;
			}
			lua_pop(L, 1);              /* remove value, keep name */
		}
	} else if (!lua_isnil(L, -1)) {
		luaL_error(L, "%s.headers must be a table of name = value", what);
	}
	lua_settop(L, t - 1);                       /* remove message and headers */
	sort_fields(m);
}

/* A time option: a number, or an HTTP-date string. DEF if absent. */
static double opttime(lua_State *L, const char *name, double def)
{
	int t = lua_getfield(L, 1, name);           /* push value */
	double v = def;
	if (t == LUA_TNUMBER) {
		v = lua_tonumber(L, -1);
	} else if (t == LUA_TSTRING) {
		int64_t x;
		if (httpdate_parse(lua_tostring(L, -1), 0, &x) < 0)
			luaL_error(L, "%s must be seconds or an HTTP-date such as "
				   "\"Sun, 06 Nov 1994 08:49:37 GMT\"", name);
		v = (double)x;
	} else if (t != LUA_TNIL) {
		luaL_error(L, "%s must be seconds or an HTTP-date", name);
	}
	lua_pop(L, 1);                              /* remove value */
	if (!isfinite(v))
		luaL_error(L, "%s must be finite", name);
	return v;
}

static const char *const action_names[] = {"serve", "revalidate", "fetch", "fail"};

static int l_evaluate(lua_State *L)
{
	static const char *const opts[] = {"request", "response", "now", "received", "requested",
					   "shared", NULL};
	luaL_checktype(L, 1, LUA_TTABLE);
	cachelua_checkopts(L, 1, opts);
	lua_settop(L, 1);
	lua_newtable(L);                            /* 2: strings kept alive */
	struct msg *req = lua_newuserdatauv(L, sizeof *req, 0);  /* 3 */
	struct msg *res = lua_newuserdatauv(L, sizeof *res, 0);  /* 4 */
	tomessage(L, "request", req, 2);
	if (lua_getfield(L, 1, "response") == LUA_TNIL) /* push response */
		return luaL_error(L, "evaluate needs the stored response: response = {status = "
				  "200, headers = {...}}");
	lua_pop(L, 1);
	tomessage(L, "response", res, 2);
	struct httpc_input in;
	in.request = &req->m;
	in.response = &res->m;
	in.shared = lab_optbool(L, 1, "shared", 0);
	in.now = opttime(L, "now", 0);
	/* received defaults to the response's Date (0 without one) */
	double date = 0;
	for (size_t i = 0; i < res->m.nfields; i++) {
		int64_t t;
		if (strcasecmp(res->f[i].name, "Date") == 0 &&
		    httpdate_parse(res->f[i].value, in.now, &t) == 0) {
			date = (double)t;
			break;
		}
	}
	in.response_time = opttime(L, "received", date);
	in.request_time = opttime(L, "requested", in.response_time);
	struct httpc_decision *d = lua_newuserdatauv(L, sizeof *d, 0); /* 5 */
	if (httpc_evaluate(&in, d) < 0)
		return luaL_error(L, "times must be finite");
	lua_createtable(L, 0, 12);                  /* the decision */
	lua_pushboolean(L, d->storable);
	lua_setfield(L, -2, "storable");
	lua_pushboolean(L, d->fresh);
	lua_setfield(L, -2, "fresh");
	lua_pushboolean(L, d->heuristic);
	lua_setfield(L, -2, "heuristic");
	lua_pushboolean(L, d->stale);
	lua_setfield(L, -2, "stale");
	cachelua_setnum(L, "lifetime", d->lifetime);
	cachelua_setnum(L, "age", d->age);
	lua_pushstring(L, action_names[d->action]);
	lua_setfield(L, -2, "action");
	if (d->status)
		cachelua_setint(L, "status", d->status);
	lua_newtable(L);                            /* validators */
	if (d->if_none_match[0]) {
		lua_pushstring(L, d->if_none_match);
		lua_setfield(L, -2, "If-None-Match");
	}
	if (d->if_modified_since[0]) {
		lua_pushstring(L, d->if_modified_since);
		lua_setfield(L, -2, "If-Modified-Since");
	}
	lua_setfield(L, -2, "validators");
	lua_pushstring(L, d->summary);
	lua_setfield(L, -2, "reason");
	lua_createtable(L, d->nsteps, 0);           /* steps */
	for (int i = 0; i < d->nsteps; i++) {
		lua_pushstring(L, d->steps[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "steps");
	return 1;
}

static int l_origin(lua_State *L)
{
	static const char *const opts[] = {"request", "etag", "last_modified", "now", NULL};
	luaL_checktype(L, 1, LUA_TTABLE);
	cachelua_checkopts(L, 1, opts);
	lua_settop(L, 1);
	lua_newtable(L);                            /* 2: strings kept alive */
	struct msg *req = lua_newuserdatauv(L, sizeof *req, 0); /* 3 */
	tomessage(L, "request", req, 2);
	const char *tag = lab_optstr(L, 1, "etag", NULL);
	const char *lm = NULL;
	if (lua_getfield(L, 1, "last_modified") != LUA_TNIL) /* push last_modified */
		lm = field_value(L, "Last-Modified", 2);
	else
		lua_pop(L, 1);
	double now = opttime(L, "now", 0);
	struct httpc_origin o;
	httpc_origin_answer(&req->m, tag, lm, now, &o);
	lua_createtable(L, 0, 2);
	cachelua_setint(L, "status", o.status);
	lua_pushstring(L, o.reason);
	lua_setfield(L, -2, "reason");
	return 1;
}

static int l_date(lua_State *L)
{
	double t = luaL_checknumber(L, 1);
	luaL_argcheck(L, isfinite(t), 1, "seconds since the epoch");
	char buf[30];
	httpdate_format((int64_t)floor(t), buf);
	lua_pushstring(L, buf);
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
		return luaL_error(L, "entity tags look like \"xyz\" or W/\"xyz\" "
				  "(quotes included)");
	lua_pushboolean(L, m);
	return 1;
}

static const luaL_Reg functions[] = {
	{"evaluate", l_evaluate},     {"origin", l_origin},         {"date", l_date},
	{"parse_date", l_parse_date}, {"etag_match", l_etag_match}, {NULL, NULL},
};

int lab_open_httpcache(lua_State *L)
{
	luaL_newlib(L, functions);
	return 1;
}

const struct lab_namespace lab_ns_httpcache = {.open = lab_open_httpcache};
