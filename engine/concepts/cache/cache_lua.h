/*
 * cache_lua.h — what the bindings of the lab.cache family share (binding code
 * only: cache_lua.c, cachesim_lua.c, cachewrite_lua.c, stampede_lua.c,
 * httpcache_lua.c).
 */
#ifndef BACKLAB_CACHE_LUA_H
#define BACKLAB_CACHE_LUA_H

#include "engine/concepts/cache/cache.h"
#include "engine/lab/labkit.h"

/*
 * Reads the key at IDX: a string, or an integer (a float with an integral
 * value counts as that integer, as in Lua tables). Raises an error naming
 * WHAT otherwise. The string stays owned by the Lua stack slot.
 */
struct cache_key cachelua_tokey(lua_State *L, int idx, const char *what);

/* Pushes KEY as a Lua integer or string.                         [-0, +1] */
void cachelua_pushkey(lua_State *L, struct cache_key key);

/*
 * Raises an error if the options table at IDX (if any) has a field that is
 * not in ALLOWED (NULL-terminated), naming it and listing the valid ones, so
 * a typo such as `size = 100` for `sizes` is not silently ignored.
 */
void cachelua_checkopts(lua_State *L, int idx, const char *const *allowed);

/* Sets t[name] = v in the table on top of the stack.                 [-0, +0] */
void cachelua_setnum(lua_State *L, const char *name, lua_Number v);
void cachelua_setint(lua_State *L, const char *name, lua_Integer v);

/* Each adds its functions to the lab.cache table on top of the stack. */
void cachelua_open_sim(lua_State *L);   /* simulate, trace (cachesim_lua.c) */
void cachelua_open_write(lua_State *L); /* store, writer (cachewrite_lua.c) */
void cachelua_open_stampede(lua_State *L); /* stampede (stampede_lua.c) */

#endif
