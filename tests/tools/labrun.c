/*
 * labrun.c — run Lua files in one plain Lua state with `lab` loaded.
 *
 *   labrun FILE...
 *
 * For the Lua tests of the lab library (the Lua tests under tests/); the sandboxed
 * `backlab run` is the learner-facing equivalent. The global set_datadir(dir)
 * says where lab.sql finds datasets (the engine sets it from the lesson).
 */
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>

#include "engine/lab/lab.h"

/* set_datadir(dir): where lab.sql.open finds datasets (lab_set_datadir). */
static int l_set_datadir(lua_State *L)
{
	lab_set_datadir(L, luaL_optstring(L, 1, NULL));
	return 0;
}

int main(int argc, char **argv)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	lab_push(L);
	lua_setglobal(L, "lab");
	lua_register(L, "set_datadir", l_set_datadir);
	for (int i = 1; i < argc; i++) {
		if (luaL_dofile(L, argv[i]) != LUA_OK) {
			printf("not ok %s\n    %s\n", argv[i], lua_tostring(L, -1));
			lua_close(L);
			return 1;
		}
	}
	lua_close(L);
	return 0;
}
