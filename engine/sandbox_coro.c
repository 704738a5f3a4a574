/*
 * sandbox_coro.c — the sandbox's coroutine library.
 *
 * Lua calls a hook with hooks turned off for its thread, and when the hook
 * raises (as ours does to stop a run) nothing turns them back on unless a
 * pcall in that thread catches the error. A coroutine that dies of the
 * hook's error therefore keeps hooks off, and closing it later (what
 * coroutine.close and coroutine.wrap do on errors) would run its pending
 * __close handlers where neither the deadline nor Ctrl-C can stop them.
 *
 * So resume, wrap and close are wrapped: a coroutine that dies while the run
 * is being stopped is marked "stopped" in a registry table with weak keys,
 * and is never closed. create and wrap arm the new thread's hook to count
 * its instructions one by one (sandbox.c). The other functions are Lua's
 * own.
 */
#include "engine/sandbox.h"
#include "engine/sandbox_int.h"

#include <lauxlib.h>
#include <lualib.h>

#define STOPPED_KEY "backlab.sandbox.stopped" /* registry: {[thread] = true}, weak keys */

static const char *const plain_names[] = {
	"isyieldable", "running", "status", "yield", NULL,
};

/* Whether the thread at IDX was marked stopped. */
static int is_stopped(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	lua_getfield(L, LUA_REGISTRYINDEX, STOPPED_KEY); /* push marks */
	lua_pushvalue(L, idx);                         /* push co */
	int stopped = lua_rawget(L, -2) != LUA_TNIL;   /* push marks[co] */
	lua_pop(L, 2);                                 /* remove it, marks */
	return stopped;
}

static void mark_stopped(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	lua_getfield(L, LUA_REGISTRYINDEX, STOPPED_KEY); /* push marks */
	lua_pushvalue(L, idx);                         /* push co */
	lua_pushboolean(L, 1);                         /* push true */
	lua_rawset(L, -3);                             /* marks[co] = true */
	lua_pop(L, 1);                                 /* remove marks */
}

/* coroutine.resume(co, ...): the real one (upvalue 1), marking a coroutine
 * that died while the run is being stopped. */
static int l_resume(lua_State *L)
{
	int n = lua_gettop(L);
	lua_pushvalue(L, 1);                           /* push co */
	lua_insert(L, 1);                              /* keep it below */
	lua_pushvalue(L, lua_upvalueindex(1));         /* push real resume */
	lua_insert(L, 2);                              /* under the arguments */
	lua_call(L, n, LUA_MULTRET);                   /* co, results */
	if (!lua_toboolean(L, 2) && lua_type(L, 1) == LUA_TTHREAD && sandbox_must_stop(L))
		mark_stopped(L, 1);
	return lua_gettop(L) - 1;
}

/* coroutine.close(co): the real one (upvalue 1), refused for a stopped
 * coroutine and while the run is being stopped. */
static int l_close(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TTHREAD && (sandbox_must_stop(L) || is_stopped(L, 1)))
		return luaL_error(L, "cannot close a coroutine that a limit stopped");
	lua_pushvalue(L, lua_upvalueindex(1));         /* push real close */
	lua_insert(L, 1);                              /* move it to the bottom */
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* Closes the dead coroutine CO's pending variables, unless the run is being
 * stopped; leaves the error to raise on top of L. */
static void finish_dead(lua_State *L, lua_State *co)
{
	if (sandbox_must_stop(L)) {
		mark_stopped(L, lua_upvalueindex(1));
		lua_xmove(co, L, 1);                   /* move error */
		return;
	}
#if LUA_VERSION_RELEASE_NUM >= 50406
	lua_closethread(co, L);                        /* error on co's top */
#else
	lua_resetthread(co);                           /* error on co's top */
#endif
	lua_xmove(co, L, 1);                           /* move error */
}

/* The function coroutine.wrap returns; upvalue 1 is the coroutine. */
static int l_wrapped(lua_State *L)
{
	lua_State *co = lua_tothread(L, lua_upvalueindex(1));
	int n = lua_gettop(L), nres;
	if (lua_status(co) == LUA_OK && lua_gettop(co) == 0)
		return luaL_error(L, "cannot resume dead coroutine");
	if (!lua_checkstack(co, n))
		return luaL_error(L, "too many arguments to resume");
	lua_xmove(L, co, n);                           /* move arguments */
	int status = lua_resume(co, L, n, &nres);
	if (status == LUA_OK || status == LUA_YIELD) {
		if (!lua_checkstack(L, nres + 1)) {
			lua_pop(co, nres);             /* remove results */
			return luaL_error(L, "too many results to resume");
		}
		lua_xmove(co, L, nres);                /* move results */
		return nres;
	}
	if (lua_status(co) != LUA_OK && lua_status(co) != LUA_YIELD)
		finish_dead(L, co);                    /* it died: push error */
	else
		lua_xmove(co, L, 1);                   /* could not resume: push message */
	if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
		luaL_where(L, 1);                      /* push position */
		lua_insert(L, -2);                     /* under the message */
		lua_concat(L, 2);                      /* position .. message */
	}
	return lua_error(L);                           /* raise the message on top */
}

/* coroutine.create(f): the real one (upvalue 1), with the new thread's
 * instructions counted from its first (sandbox_arm_coroutine). */
static int l_create(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_settop(L, 1);                              /* f */
	lua_pushvalue(L, lua_upvalueindex(1));         /* push real create */
	lua_insert(L, 1);                              /* under f */
	lua_call(L, 1, 1);                             /* push co */
	sandbox_arm_coroutine(lua_tothread(L, -1));
	return 1;
}

/* coroutine.wrap(f), built on the real create (upvalue 1). */
static int l_wrap(lua_State *L)
{
	l_create(L);                                   /* push co */
	lua_pushcclosure(L, l_wrapped, 1);             /* pop co, push wrapper */
	return 1;
}

/* copy[NAME] = closure F with upvalue real[NAME]; REAL and COPY absolute. */
static void wrap_field(lua_State *L, int real, int copy, const char *name, const char *up,
		       lua_CFunction f)
{
	lua_getfield(L, real, up);                     /* push real function */
	lua_pushcclosure(L, f, 1);                     /* pop it, push wrapper */
	lua_setfield(L, copy, name);                   /* copy[name] = wrapper */
}

void sandbox_open_stopped(lua_State *L)
{
	lua_newtable(L);                               /* push marks */
	lua_createtable(L, 0, 1);                      /* push its metatable */
	lua_pushliteral(L, "k");                       /* push "k" */
	lua_setfield(L, -2, "__mode");                 /* weak keys */
	lua_setmetatable(L, -2);                       /* pop metatable */
	lua_setfield(L, LUA_REGISTRYINDEX, STOPPED_KEY); /* pop marks */
}

void sandbox_push_coroutine(lua_State *L)
{
	lua_getglobal(L, LUA_COLIBNAME);               /* push real library */
	int real = lua_gettop(L);
	lua_newtable(L);                               /* push copy */
	int copy = real + 1;
	for (const char *const *n = plain_names; *n; n++) {
		lua_getfield(L, real, *n);             /* push real[name] */
		lua_setfield(L, copy, *n);             /* copy[name] = it */
	}
	wrap_field(L, real, copy, "resume", "resume", l_resume);
	wrap_field(L, real, copy, "close", "close", l_close);
	wrap_field(L, real, copy, "create", "create", l_create);
	wrap_field(L, real, copy, "wrap", "create", l_wrap);
	lua_remove(L, real);                           /* remove real library */
}
