/*
 * router_lua.c — lab.router: the Lua binding of router.h.
 *
 *   local r = lab.router.new()
 *   r:add("GET", "/users/{id}", "show_user")
 *   r:match("GET", "/users/7") --> {status = 200, route = "show_user",
 *       template = "/users/{id}", params = {id = "7"}, allow = "GET, HEAD"}
 *   r:routes() --> {{method =, template =, name =}, ...}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/router/router.h"

#include <string.h>

static void free_router(void *obj)
{
	router_free(obj);
}

static const struct lab_class router_class;

static void free_match(void *m)
{
	router_match_free(m);
}

static int l_new(lua_State *L)
{
	struct router *r = lab_newobj(L, &router_class, sizeof *r); /* push router */
	router_init(r);
	return 1;
}

static int m_add(lua_State *L)
{
	struct router *r = lab_self(L, &router_class);
	const char *method = luaL_checkstring(L, 2);
	const char *tmpl = luaL_checkstring(L, 3);
	if (!lua_isnoneornil(L, 4))
		luaL_checkstring(L, 4);
	if (method[0] == '\0' || strpbrk(method, " \t\r\n/"))
		return luaL_error(L, "lab.router: add: '%s' is not a method name", method);
	const char *name = lua_isnoneornil(L, 4) ? lua_pushfstring(L, "%s %s", method, tmpl)
						 : lua_tostring(L, 4);
	const char *why = NULL;
	int rc = router_add(r, method, tmpl, name, &why);
	if (rc == -1)
		return luaL_error(L, "lab.router: add %s %s: %s", method, tmpl, why);
	if (rc != 0)
		return lab_fail(L, "lab.router: add: not enough memory");
	lua_settop(L, 1);
	return 1;
}

static int m_match(lua_State *L)
{
	struct router *r = lab_self(L, &router_class);
	const char *method = luaL_checkstring(L, 2);
	size_t len;
	const char *path = luaL_checklstring(L, 3, &len);
	struct router_match *m = lab_holder(L, sizeof *m, free_match);
	if (router_match(r, method, path, len, m) != 0)
		return lab_fail(L, "lab.router: match: not enough memory");
	lua_createtable(L, 0, 5); /* push result */
	lab_setint(L, "status", m->status);
	if (m->allow)
		lab_setstr(L, "allow", m->allow);
	if (m->status == 200) {
		const struct router_route *rt = &r->routes[m->route];
		lab_setstr(L, "route", rt->name);
		lab_setstr(L, "template", rt->tmpl);
		lua_createtable(L, 0, (int)m->nparams); /* push params */
		for (size_t i = 0; i < m->nparams; i++) {
			lua_pushstring(L, m->values[i]);
			lua_setfield(L, -2, m->names[i]);
		}
		lua_setfield(L, -2, "params"); /* pop params */
	}
	return 1;
}

static int m_routes(lua_State *L)
{
	struct router *r = lab_self(L, &router_class);
	lua_createtable(L, (int)r->n, 0); /* push list */
	for (size_t i = 0; i < r->n; i++) {
		lua_createtable(L, 0, 3);
		lab_setstr(L, "method", r->routes[i].method);
		lab_setstr(L, "template", r->routes[i].tmpl);
		lab_setstr(L, "name", r->routes[i].name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct router *r = lab_self(L, &router_class);
	lua_pushfstring(L, "lab.router (%I routes)", (lua_Integer)r->n);
	return 1;
}

static const luaL_Reg methods[] = {
	{"add", m_add}, {"match", m_match}, {"routes", m_routes}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {{"__tostring", m_tostring}, {NULL, NULL}};

static const struct lab_class router_class = {
	.name = "lab.router", .methods = methods, .metamethods = metamethods,
	.free = free_router};

static const luaL_Reg functions[] = {{"new", l_new}, {NULL, NULL}};

const struct lab_namespace lab_ns_router = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&router_class, NULL},
};
