/*
 * sandbox_int.h — what the parts of the sandbox share (not for other
 * modules): sandbox.c (state, limits), sandbox_env.c (environments),
 * sandbox_coro.c (the coroutine library), sandbox_cost.c (what library
 * functions charge), sandbox_describe.c.
 */
#ifndef BACKLAB_SANDBOX_INT_H
#define BACKLAB_SANDBOX_INT_H

#include <lua.h>

/* Creates the registry table of stopped coroutines (once per state). */
void sandbox_open_stopped(lua_State *L);

/* Pushes a new coroutine library table for an environment.       [-0, +1] */
void sandbox_push_coroutine(lua_State *L);

/* Arms the hook of a new coroutine CO: its instructions are counted one by
 * one, from the first (sandbox.c). */
void sandbox_arm_coroutine(lua_State *co);

/* Adds UNITS (about one per byte or element handled) to the C work that
 * sandbox_instructions() counts. */
void sandbox_charge(lua_State *L, uint64_t units);

/* Wraps the string, table and utf8 functions of the state's real libraries
 * so that they charge their work (sandbox_cost.c). Before any environment is
 * built. */
void sandbox_open_costs(lua_State *L);

#endif
