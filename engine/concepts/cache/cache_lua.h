/*
 * cache_lua.h — what the bindings of the lab.cache namespace share (binding
 * code only): cache_lua.c (the cache object and the namespace), and
 * cachesim_lua.c, cachewrite_lua.c, stampede_lua.c.
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

/* The eviction policies, in enum cache_policy order, for option specs. */
#define CACHELUA_POLICIES "fifo lru lfu clock random arc 2q"

/* The functions, classes and option specs of the other files. */
int cachelua_simulate(lua_State *L);
int cachelua_trace(lua_State *L);
int cachelua_store(lua_State *L);
int cachelua_writer(lua_State *L);
int cachelua_stampede(lua_State *L);
extern const struct lab_class cachelua_store_class, cachelua_writer_class;
extern const struct lab_opt cachelua_simulate_opts[], cachelua_store_opts[],
	cachelua_writer_opts[], cachelua_stampede_opts[];

#endif
