/*
 * labrun.c — run Lua files in one plain Lua state with `lab` loaded.
 *
 *   labrun FILE...
 *
 * For the Lua tests of the lab library (the Lua tests under tests/); the sandboxed
 * `backlab run` is the learner-facing equivalent.
 */
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>

#include "engine/lab/lab.h"

int main(int argc, char **argv)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	lab_push(L);
	lua_setglobal(L, "lab");
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
