/*
 * web_lua.c — lab.web: evaluators of the browser's and the server's
 * security rules (CORS, CSP, cookies, CSRF, SSRF, output encoding, SQL
 * injection); see web.md.
 */
#include "engine/concepts/web/cors.h"
#include "engine/concepts/web/csp.h"
#include "engine/concepts/web/csrf.h"
#include "engine/concepts/web/escape.h"
#include "engine/concepts/web/ssrf.h"
#include "engine/concepts/web/web_lua.h"

#include <string.h>

/* ---- CORS ---- */

static const struct lab_opt cors_opts[] = {
	{"request", LAB_TABLE, .required = 1,
	 .help = "{url =, origin =, method = \"GET\", headers = {Name = value}, credentials = false}"},
	{"policy", LAB_TABLE, .required = 1,
	 .help = "{origins = {...} | \"*\" | \"reflect\", methods =, headers =, expose =, credentials =}"},
	{NULL},
};

static const struct lab_opt cors_request_opts[] = {
	{"url", LAB_STR, .required = 1, .help = "the resource"},
	{"origin", LAB_STR, .required = 1, .help = "the page's origin"},
	{"method", LAB_STR, .str = "GET", .help = "the request's method"},
	{"headers", LAB_TABLE, .help = "author request headers {Name = value}"},
	{"credentials", LAB_BOOL, .num = 0, .help = "credentials: \"include\""},
	{NULL},
};

static const struct lab_opt cors_policy_opts[] = {
	{"origins", LAB_ANY, .help = "a list, \"*\", or \"reflect\" (the bug: echo any Origin)"},
	{"methods", LAB_TABLE, .help = "Access-Control-Allow-Methods"},
	{"headers", LAB_TABLE, .help = "Access-Control-Allow-Headers (may hold \"*\")"},
	{"expose", LAB_TABLE, .help = "Access-Control-Expose-Headers"},
	{"credentials", LAB_BOOL, .num = 0, .help = "Access-Control-Allow-Credentials: true"},
	{"max_age", LAB_INT, .num = -1, .help = "Access-Control-Max-Age (-1: not sent)"},
	{NULL},
};

/* Reads a list of strings at the top of the stack into V (at most
 * CORS_MAX, each at most CORS_NAME_MAX bytes); strings anchored by it. */
static size_t strlist(lua_State *L, const char **v, const char *what)
{
	if (lua_isnil(L, -1))
		return 0;
	if (!lua_istable(L, -1))
		luaL_error(L, "lab.web.cors: %s must be a list of strings", what);
	size_t n = lua_rawlen(L, -1);
	if (n > CORS_MAX)
		luaL_error(L, "lab.web.cors: at most %d %s", CORS_MAX, what);
	for (size_t i = 0; i < n; i++) {
		if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TSTRING)
			luaL_error(L, "lab.web.cors: %s must be a list of strings", what);
		size_t len;
		v[i] = lua_tolstring(L, -1, &len);
		if (len > CORS_NAME_MAX)
			luaL_error(L, "lab.web.cors: a name in %s is longer than %d bytes", what, CORS_NAME_MAX);
		lua_pop(L, 1);
	}
	return n;
}

static int l_cors(lua_State *L)
{
	lab_opts(L, 1, "lab.web.cors", cors_opts);
	struct cors_request rq = {0};
	struct cors_policy p = {0};
	lab_optpush(L, 1, "request");                     /* push request */
	int ri = lua_gettop(L);
	const struct lab_val *o = lab_opts(L, ri, "lab.web.cors request", cors_request_opts);
	rq.url = o[0].s, rq.origin = o[1].s, rq.method = o[2].s, rq.credentials = (int)o[4].i;
	if (o[1].len > CORS_NAME_MAX || o[2].len > CORS_NAME_MAX)
		return luaL_error(L, "lab.web.cors: origin and method are at most %d bytes", CORS_NAME_MAX);
	if (lab_optpush(L, ri, "headers") == LUA_TTABLE) {   /* push headers */
		lua_pushnil(L);
		while (lua_next(L, -2)) {                     /* push name, value */
			size_t nl;
			if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
				return luaL_error(L, "lab.web.cors: headers = {Name = \"value\"}");
			if (rq.nheaders == CORS_MAX)
				return luaL_error(L, "lab.web.cors: at most %d headers", CORS_MAX);
			rq.names[rq.nheaders] = lua_tolstring(L, -2, &nl);
			rq.values[rq.nheaders] = lua_tostring(L, -1);
			if (nl > CORS_NAME_MAX)
				return luaL_error(L, "lab.web.cors: a header name is longer than %d bytes",
						  CORS_NAME_MAX);
			rq.nheaders++;
			lua_pop(L, 1);                        /* anchored by headers */
		}
	}
	/* header order must not depend on the table's: sort by name */
	for (size_t i = 1; i < rq.nheaders; i++)
		for (size_t j = i; j > 0 && strcmp(rq.names[j], rq.names[j - 1]) < 0; j--) {
			const char *tn = rq.names[j], *tv = rq.values[j];
			rq.names[j] = rq.names[j - 1], rq.values[j] = rq.values[j - 1];
			rq.names[j - 1] = tn, rq.values[j - 1] = tv;
		}
	lab_optpush(L, 1, "policy");                      /* push policy */
	int pi = lua_gettop(L);
	const struct lab_val *po = lab_opts(L, pi, "lab.web.cors policy", cors_policy_opts);
	p.credentials = (int)po[4].i;
	p.max_age = (int)po[5].i;
	lab_optpush(L, pi, "origins");                    /* push origins */
	if (lua_type(L, -1) == LUA_TSTRING) {
		const char *s = lua_tostring(L, -1);
		if (strcmp(s, "*") == 0)
			p.any_origin = 1;
		else if (strcmp(s, "reflect") == 0)
			p.reflect = 1;
		else
			return luaL_error(L, "lab.web.cors: origins is a list, \"*\" or \"reflect\"");
	} else {
		p.norigins = strlist(L, p.origins, "origins");
	}
	lab_optpush(L, pi, "methods");
	p.nmethods = strlist(L, p.methods, "methods");
	lab_optpush(L, pi, "headers");
	p.nheaders = strlist(L, p.headers, "headers");
	lab_optpush(L, pi, "expose");
	p.nexpose = strlist(L, p.expose, "expose");
	struct cors_result *r = lab_scratch(L, sizeof *r);   /* push scratch */
	if (cors_evaluate(&rq, &p, r) != 0)
		return luaL_error(L, "lab.web.cors: url and origin must be absolute URLs");
	lua_createtable(L, 0, 12);
	lab_setbool(L, "same_origin", r->same_origin);
	lab_setbool(L, "preflight", r->preflight);
	if (r->preflight) {
		lab_setstr(L, "why_preflight", r->why_preflight);
		lua_createtable(L, 0, 3);
		lab_setstr(L, "Origin", rq.origin);
		lab_setstr(L, "Access-Control-Request-Method", r->acr_method);
		if (r->acr_headers[0])
			lab_setstr(L, "Access-Control-Request-Headers", r->acr_headers);
		lua_setfield(L, -2, "preflight_request");
	}
	lua_createtable(L, 0, 5);                          /* the server's CORS headers */
	if (r->acao[0])
		lab_setstr(L, "Access-Control-Allow-Origin", r->acao);
	if (r->acac)
		lab_setstr(L, "Access-Control-Allow-Credentials", "true");
	if (r->preflight && r->acam[0])
		lab_setstr(L, "Access-Control-Allow-Methods", r->acam);
	if (r->preflight && r->acah[0])
		lab_setstr(L, "Access-Control-Allow-Headers", r->acah);
	if (r->aceh[0])
		lab_setstr(L, "Access-Control-Expose-Headers", r->aceh);
	lua_setfield(L, -2, "response_headers");
	lab_setbool(L, "sent", r->sent);
	lab_setbool(L, "allowed", r->allowed);
	lab_setstr(L, "reason", r->reason);
	if (r->allowed)
		lab_setstr(L, "readable", r->readable);
	return 1;
}

/* ---- CSP ---- */

static const struct lab_opt csp_request_opts[] = {
	{"kind", LAB_ENUM, .str = "script",
	 .choices = "script script-attr style style-attr connect img font frame object eval"},
	{"page", LAB_STR, .required = 1, .help = "the page's URL"},
	{"url", LAB_STR, .help = "the resource (absent: inline code)"},
	{"nonce", LAB_STR, .help = "the element's nonce attribute"},
	{"content", LAB_STR, .help = "inline code (for hash sources)"},
	{"dynamic", LAB_BOOL, .num = 0, .help = "inserted by a trusted script ('strict-dynamic')"},
	{NULL},
};

static int l_csp(lua_State *L)
{
	const char *policy = luaL_checkstring(L, 1);
	const struct lab_val *o = lab_opts(L, 2, "lab.web.csp", csp_request_opts);
	struct csp_request rq = {
		.kind = (enum csp_kind)o[0].choice, .page = o[1].s, .url = o[2].set ? o[2].s : NULL,
		.nonce = o[3].set ? o[3].s : NULL, .content = o[4].set ? o[4].s : NULL,
		.content_len = o[4].len, .dynamic = (int)o[5].i,
	};
	if (rq.url == NULL && rq.content == NULL && rq.kind != CSP_EVAL)
		rq.content = "", rq.content_len = 0;
	struct csp_result *r = lab_scratch(L, sizeof *r);    /* push scratch */
	if (csp_evaluate(policy, &rq, r) != 0)
		return luaL_error(L, "lab.web.csp: the policy is longer than %d bytes or the page is not a URL",
				  CSP_MAX_TEXT);
	lua_pushboolean(L, r->allowed);
	lua_pushstring(L, r->reason);
	lua_pushstring(L, r->directive);
	return 3;
}

/* ---- output encoding ---- */

static enum esc_context checkcontext(lua_State *L, int arg)
{
	int c = esc_context_parse(luaL_checkstring(L, arg));
	if (c < 0)
		luaL_argerror(L, arg, "context must be html, attr, js, url or css");
	return (enum esc_context)c;
}

static int l_escape(lua_State *L)
{
	enum esc_context c = checkcontext(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	if (len > (1 << 20))
		return luaL_error(L, "lab.web.escape: at most 1 MiB");
	char *out = lab_scratch(L, esc_encoded_max(len) + 1);
	size_t n = esc_encode(c, s, len, out);
	lua_pushlstring(L, out, n);
	return 1;
}

static int l_decode(lua_State *L)
{
	enum esc_context c = checkcontext(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	char *out = lab_scratch(L, 4 * len + 8);
	size_t n = esc_decode(c, s, len, out);
	lua_pushlstring(L, out, n);
	return 1;
}

static int l_breakout(lua_State *L)
{
	enum esc_context c = checkcontext(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	char why[96];
	int b = esc_breakout(c, s, len, why);
	lua_pushboolean(L, b);
	if (!b)
		return 1;
	lua_pushstring(L, why);
	return 2;
}

/* ---- SSRF ---- */

static const struct lab_opt fetch_opts[] = {
	{"guard", LAB_ENUM, .str = "none", .choices = "none blocklist allowlist resolve safe",
	 .help = "how the server checks the URL"},
	{"allow", LAB_TABLE, .help = "allowlist: host names"},
	{"follow", LAB_BOOL, .num = 1, .help = "follow redirects"},
	{NULL},
};

static int l_fetch(lua_State *L)
{
	const char *url = luaL_checkstring(L, 1);
	const struct lab_val *o = lab_opts(L, 2, "lab.web.fetch", fetch_opts);
	struct ssrf_request rq = {.url = url, .guard = (enum ssrf_guard)o[0].choice,
				  .follow = (int)o[2].i};
	if (lab_optpush(L, 2, "allow") == LUA_TTABLE) {      /* push allow */
		size_t n = lua_rawlen(L, -1);
		if (n > SSRF_MAX_ALLOW)
			return luaL_error(L, "lab.web.fetch: at most %d allowed hosts", SSRF_MAX_ALLOW);
		for (size_t i = 0; i < n; i++) {
			if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TSTRING)
				return luaL_error(L, "lab.web.fetch: allow is a list of host names");
			rq.allow[rq.nallow++] = lua_tostring(L, -1);
			lua_pop(L, 1);
		}
	}
	struct ssrf_result *r = lab_scratch(L, sizeof *r);   /* push scratch */
	ssrf_fetch(&rq, r);
	lua_createtable(L, 0, 8);
	lab_setint(L, "status", r->status);
	lab_setstr(L, "body", r->body);
	if (r->blocked[0])
		lab_setstr(L, "blocked", r->blocked);
	if (r->error[0])
		lab_setstr(L, "error", r->error);
	lab_setbool(L, "internal", r->internal);
	lua_createtable(L, r->nhops, 0);
	for (int i = 0; i < r->nhops; i++) {
		lua_pushfstring(L, "%s -> %s", r->hops[i], r->ips[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "hops");
	return 1;
}

static int l_address(lua_State *L)
{
	struct ipaddr a;
	if (!ssrf_host_address(luaL_checkstring(L, 1), &a)) {
		lua_pushnil(L);
		return 1;
	}
	char ip[IP_TEXT_MAX];
	ip_format(&a, ip);
	lua_pushstring(L, ip);
	lua_pushboolean(L, ssrf_internal(&a));
	return 2;
}

/* ---- CSRF ---- */

static const struct lab_opt csrf_opts[] = {
	{"samesite", LAB_ENUM, .str = "unset", .choices = "unset Strict Lax None",
	 .help = "the session cookie's SameSite"},
	{"attack", LAB_ENUM, .str = "form_post",
	 .choices = "form_post link_get img_get fetch_form fetch_json"},
	{"defense", LAB_ENUM, .str = "none", .choices = "none token origin"},
	{"get_changes_state", LAB_BOOL, .num = 0, .help = "the bank also transfers on GET"},
	{NULL},
};

static int l_csrf(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.web.csrf", csrf_opts);
	static const char *const ss[] = {NULL, "Strict", "Lax", "None"};
	struct csrf_scenario s = {ss[o[0].choice], (enum csrf_attack)o[1].choice,
				  (enum csrf_defense)o[2].choice, (int)o[3].i};
	struct csrf_result r;
	csrf_play(&s, &r);
	lua_createtable(L, 0, 5);
	lab_setbool(L, "cookie_sent", r.cookie_sent);
	lab_setbool(L, "request_sent", r.request_sent);
	lab_setbool(L, "transferred", r.transferred);
	if (r.origin[0])
		lab_setstr(L, "origin", r.origin);
	lab_setstr(L, "reason", r.reason);
	return 1;
}

static const luaL_Reg functions[] = {
	{"cors", l_cors},         {"csp", l_csp},         {"jar", web_l_jar},
	{"escape", l_escape},     {"decode", l_decode},   {"breakout", l_breakout},
	{"fetch", l_fetch},       {"address", l_address}, {"csrf", l_csrf},
	{"db", web_l_db},         {"sql_quote", web_l_sql_quote},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_web = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&web_jar_class, &web_db_class, NULL},
	.options = (const struct lab_fnopts[]){
		{"cors", cors_opts}, {"csp", csp_request_opts}, {"fetch", fetch_opts},
		{"csrf", csrf_opts}, {NULL, NULL}},
};
