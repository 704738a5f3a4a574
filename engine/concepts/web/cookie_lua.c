/*
 * cookie_lua.c — lab.web.jar(): a browser's cookie jar (cookie.h).
 *
 *   local jar = lab.web.jar()
 *   jar:set("sid=1; Secure; SameSite=Lax", {url = "https://bank.example/login", now = 0})
 *     -> "stored" | "deleted", or nil and the reason
 *   jar:header{url = "https://bank.example/x", site = "https://evil.example",
 *              top_level = true, method = "POST", now = 5} -> "sid=1", explanation
 *   jar:list() -> {{name =, value =, domain =, path =, ...}, ...}
 */
#include "engine/concepts/web/cookie.h"
#include "engine/concepts/web/web_lua.h"

#include <stdint.h>
#include <string.h>

static void free_jar(void *obj)
{
	cookie_jar_free(obj);
}

static const struct lab_opt ctx_opts[] = {
	{"url", LAB_STR, .required = 1, .help = "the request's URL"},
	{"site", LAB_STR, .help = "the top-level page's URL (default: the same site)"},
	{"top_level", LAB_BOOL, .num = 1, .help = "a top-level navigation"},
	{"method", LAB_STR, .str = "GET"},
	{"script", LAB_BOOL, .num = 0, .help = "document.cookie instead of HTTP"},
	{"now", LAB_INT, .num = 0, .help = "the time (s)"},
	{NULL},
};

static void toctx(lua_State *L, int idx, struct cookie_ctx *c)
{
	const struct lab_val *o = lab_opts(L, idx, "lab.web.jar", ctx_opts); /* push anchor */
	c->url = o[0].s;
	c->site_for_cookies = o[1].set ? o[1].s : NULL;
	c->top_level = (int)o[2].i;
	c->method = o[3].s;
	c->script = (int)o[4].i;
	c->now = o[5].i;
}

static int m_set(lua_State *L)
{
	struct cookie_jar *j = lab_self(L, &web_jar_class);
	const char *line = luaL_checkstring(L, 2);
	struct cookie_ctx c;
	toctx(L, 3, &c);
	char why[160];
	switch (cookie_set(j, line, &c, why)) {
	case COOKIE_STORED: lua_pushliteral(L, "stored"); return 1;
	case COOKIE_DELETED: lua_pushliteral(L, "deleted"); return 1;
	case COOKIE_ENOMEM: return lab_fail(L, "lab.web.jar: not enough memory");
	case COOKIE_REFUSED: break;
	}
	lua_pushnil(L);
	lua_pushstring(L, why);
	return 2;
}

static int m_header(lua_State *L)
{
	struct cookie_jar *j = lab_self(L, &web_jar_class);
	struct cookie_ctx c;
	toctx(L, 2, &c);
	char out[8192], explain[1024];
	int n = cookie_header(j, &c, out, sizeof out, explain);
	if (n < 0)
		return luaL_error(L, "lab.web.jar: the Cookie header is longer than 8 KiB");
	lua_pushstring(L, out);
	lua_pushstring(L, explain);
	return 2;
}

static int m_list(lua_State *L)
{
	struct cookie_jar *j = lab_self(L, &web_jar_class);
	static const char *const ss[] = {"", "None", "Lax", "Strict"};
	lua_createtable(L, (int)j->n, 0);
	for (size_t i = 0; i < j->n; i++) {
		const struct cookie *c = &j->c[i];
		lua_createtable(L, 0, 9);
		lab_setstr(L, "name", c->name);
		lab_setstr(L, "value", c->value);
		lab_setstr(L, "domain", c->domain);
		lab_setstr(L, "path", c->path);
		lab_setbool(L, "host_only", c->host_only);
		lab_setbool(L, "secure", c->secure);
		lab_setbool(L, "http_only", c->http_only);
		lab_setstr(L, "same_site", ss[c->same_site]);
		if (c->expires != INT64_MAX)
			lab_setint(L, "expires", c->expires);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static const luaL_Reg methods[] = {
	{"set", m_set}, {"header", m_header}, {"list", m_list}, {NULL, NULL},
};
static int m_tostring(lua_State *L)
{
	struct cookie_jar *j = lab_self(L, &web_jar_class);
	lua_pushfstring(L, "lab.web.jar(%d cookies)", (int)j->n);
	return 1;
}

static const luaL_Reg meta[] = {{"__tostring", m_tostring}, {NULL, NULL}};
const struct lab_class web_jar_class = {"lab.web.jar", methods, meta, free_jar, 0};

int web_l_jar(lua_State *L)
{
	struct cookie_jar *j = lab_newobj(L, &web_jar_class, sizeof *j);
	cookie_jar_init(j);
	return 1;
}
