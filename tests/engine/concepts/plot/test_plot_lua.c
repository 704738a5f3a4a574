/*
 * Tests of lab_configure (engine/lab/lab.h) as lab.plot takes it
 * (engine/concepts/plot/plot_lua.c): the host's width and UTF-8 settings,
 * which only C can set. The rest of the binding
 * is tested from Lua, in plot_test.lua.
 */
#include "unit.h"
#include "engine/lab/lab.h"
#include "engine/base/sbuf.h"
#include "engine/base/utf8.h"

#include <lualib.h>

static lua_State *new_state(void)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	lab_push(L);
	lua_setglobal(L, "lab");
	return L;
}

/* Runs CODE, which returns a string; returns a copy (free it), or NULL. */
static char *eval(lua_State *L, const char *code)
{
	if (luaL_dostring(L, code) != LUA_OK) {
		printf("    %s\n", lua_tostring(L, -1));
		lua_pop(L, 1);
		return NULL;
	}
	char *s = lua_isstring(L, -1) ? xstrdup(lua_tostring(L, -1)) : NULL;
	lua_settop(L, 0);
	return s;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static void t_defaults_then_configured(void)
{
	lua_State *L = new_state();
	char *s = eval(L, "return lab.plot.bars{ {'a', 1} }");
	CHECK(s && utf8_width(s, strlen(s)) == 72 && !is_ascii(s));
	free(s);

	lab_configure(L, 40, 0);
	s = eval(L, "return lab.plot.bars{ {'a', 1} }");
	CHECK(s && strlen(s) == 40 && is_ascii(s));
	free(s);
	s = eval(L, "local c = lab.plot.config() return c.width .. ' ' .. tostring(c.utf8)");
	CHECK_STR(s, "40 false");
	free(s);

	/* a call's own options win */
	s = eval(L, "return lab.plot.bars({ {'a', 1} }, {width = 30, ascii = false})");
	CHECK(s && utf8_width(s, strlen(s)) == 30 && !is_ascii(s));
	free(s);

	/* widths are clamped to what charts can do */
	lab_configure(L, 3, 1);
	s = eval(L, "return tostring(lab.plot.config().width)");
	CHECK_STR(s, "16");
	free(s);
	lab_configure(L, 5000, 1);
	s = eval(L, "return tostring(lab.plot.config().width)");
	CHECK_STR(s, "1000");
	free(s);
	CHECK_INT(lua_gettop(L), 0);
	lua_close(L);
}

/* Settings belong to one Lua state. */
static void t_per_state(void)
{
	lua_State *a = new_state(), *b = new_state();
	lab_configure(a, 50, 0);
	char *s = eval(b, "return tostring(lab.plot.config().width)");
	CHECK_STR(s, "72");
	free(s);
	lua_close(a);
	lua_close(b);
}

static const struct test tests[] = {
	{"plot_lua/defaults_then_configured", t_defaults_then_configured},
	{"plot_lua/per_state", t_per_state},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
