/*
 * url_lua.c — lab.url: the WHATWG URL parser and RFC 3986 resolution
 * (url.h).
 *
 *   lab.url.parse(input [, base]) -> {href, origin, protocol, username,
 *       password, host, hostname, port, pathname, search, hash}
 *       | nil, err, offset
 *   lab.url.resolve(base, ref) -> target (RFC 3986 5.2) | nil, err
 *   lab.url.remove_dot_segments(path)
 *   lab.url.percent_encode(s [, set]) lab.url.percent_decode(s)
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/url/url.h"

#include <string.h>

static const char *const part_names[] = {"href",     "origin", "protocol", "username",
                                         "password", "host",   "hostname", "port",
                                         "pathname", "search", "hash"};

static int push_fail(lua_State *L, const char *what, const struct url_error *e)
{
	lua_pushnil(L);
	lua_pushfstring(L, "%s at byte offset %I: %s", what, (lua_Integer)e->off, e->why);
	lua_pushinteger(L, (lua_Integer)e->off);
	return 3;
}

static int l_parse(lua_State *L)
{
	size_t len, blen = 0;
	const char *in = luaL_checklstring(L, 1, &len);
	const char *bs = luaL_optlstring(L, 2, NULL, &blen);
	struct url base, u;
	struct url_error e;
	int rc = 0, has_base = bs != NULL;
	memset(&base, 0, sizeof base);
	if (has_base) {
		rc = url_parse(bs, blen, NULL, &base, &e);
		if (rc == -1) {
			url_free(&base);
			lua_pushnil(L);
			lua_pushfstring(L, "invalid base URL (byte offset %I of the base: %s)",
			                (lua_Integer)e.off, e.why);
			lua_pushinteger(L, 0);
			return 3;
		}
	}
	if (rc == 0)
		rc = url_parse(in, len, has_base ? &base : NULL, &u, &e);
	else
		memset(&u, 0, sizeof u);
	if (has_base)
		url_free(&base);
	if (rc == -1) {
		url_free(&u);
		return push_fail(L, "invalid URL", &e);
	}
	if (rc != 0) {
		url_free(&u);
		return lab_fail(L, "lab.url.parse: not enough memory");
	}
	lua_createtable(L, 0, 11); /* push result */
	for (int k = URL_HREF; k <= URL_HASH; k++) {
		struct ustr t = {0};
		if (url_get(&u, (enum url_part)k, &t) != 0) {
			ustr_free(&t);
			url_free(&u);
			return lab_fail(L, "lab.url.parse: not enough memory");
		}
		lua_pushlstring(L, t.p ? t.p : "", t.len);
		lua_setfield(L, -2, part_names[k]);
		ustr_free(&t);
	}
	url_free(&u);
	return 1;
}

static int l_resolve(lua_State *L)
{
	size_t bl, rl;
	const char *b = luaL_checklstring(L, 1, &bl);
	const char *r = luaL_checklstring(L, 2, &rl);
	struct ustr out = {0};
	const char *why = NULL;
	int rc = uri_resolve(b, bl, r, rl, &out, &why);
	if (rc == -2) {
		ustr_free(&out);
		return lab_fail(L, "lab.url.resolve: not enough memory");
	}
	if (rc != 0) {
		ustr_free(&out);
		lua_pushnil(L);
		lua_pushstring(L, why);
		return 2;
	}
	lua_pushlstring(L, out.p ? out.p : "", out.len);
	ustr_free(&out);
	return 1;
}

static int l_remove_dots(lua_State *L)
{
	size_t n;
	const char *p = luaL_checklstring(L, 1, &n);
	struct ustr out = {0};
	if (uri_remove_dots(p, n, &out) != 0) {
		ustr_free(&out);
		return lab_fail(L, "lab.url.remove_dot_segments: not enough memory");
	}
	lua_pushlstring(L, out.p ? out.p : "", out.len);
	ustr_free(&out);
	return 1;
}

static const char *const set_names[] = {"c0",   "fragment", "query",     "special-query",
                                        "path", "userinfo", "component", NULL};

static int l_percent_encode(lua_State *L)
{
	size_t n;
	const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
	int set = luaL_checkoption(L, 2, "component", set_names);
	struct ustr out = {0};
	int rc = ustr_add(&out, "", 0);
	/* byte by byte: a byte >= 0x80 is encoded whatever the set */
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (s[i] >= 0x80) {
			char t[4] = {'%', "0123456789ABCDEF"[s[i] >> 4],
			             "0123456789ABCDEF"[s[i] & 15]};
			rc = ustr_add(&out, t, 3);
		} else {
			rc = url_pct_encode(s[i], (enum url_set)set, &out);
		}
	}
	if (rc) {
		ustr_free(&out);
		return lab_fail(L, "lab.url.percent_encode: not enough memory");
	}
	lua_pushlstring(L, out.p, out.len);
	ustr_free(&out);
	return 1;
}

static int hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int l_percent_decode(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n + 0 && hexv(s[i + 1]) >= 0 && hexv(s[i + 2]) >= 0) {
			luaL_addchar(&b, (char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2])));
			i += 2;
		} else {
			luaL_addchar(&b, s[i]);
		}
	}
	luaL_pushresult(&b);
	return 1;
}

static const luaL_Reg functions[] = {
    {"parse", l_parse},
    {"resolve", l_resolve},
    {"remove_dot_segments", l_remove_dots},
    {"percent_encode", l_percent_encode},
    {"percent_decode", l_percent_decode},
    {NULL, NULL},
};

const struct lab_namespace lab_ns_url = {
    .functions = functions,
};
