/*
 * sandbox_int.h — what the parts of the sandbox share (not for other
 * modules): sandbox.c (state, limits), sandbox_env.c (environments),
 * sandbox_coro.c (the coroutine library), sandbox_describe.c.
 */
#ifndef BACKLAB_SANDBOX_INT_H
#define BACKLAB_SANDBOX_INT_H

#include <lua.h>

/* Creates the registry table of stopped coroutines (once per state). */
void sandbox_open_stopped(lua_State *L);

/* Pushes a new coroutine library table for an environment.       [-0, +1] */
void sandbox_push_coroutine(lua_State *L);

#endif
