/*
 * sandbox_env.c — the allow-list environment of sandboxed code (the list is
 * in sandbox.h). Every call builds new tables: two environments never share
 * a table a program can change, only immutable C functions.
 */
#include "engine/lab/lab.h"
#include "engine/sandbox.h"
#include "engine/sandbox_int.h"

#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

static const char *const base_names[] = {
	"assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
	"rawget", "rawlen", "rawset", "select", "tonumber", "tostring", "type", "_VERSION",
	NULL,
};
static const char *const string_names[] = {
	"byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match",
	"pack", "packsize", "rep", "reverse", "sub", "unpack", "upper", NULL,
};
static const char *const table_names[] = {
	"concat", "insert", "move", "pack", "remove", "sort", "unpack", NULL,
};
static const char *const utf8_names[] = {
	"char", "charpattern", "codepoint", "codes", "len", "offset", NULL,
};
static const char *const os_names[] = {"clock", "date", "time", NULL};

static const char *const gc_options[] = {"collect", "count", "step", "isrunning", NULL};

struct writer {
	sandbox_write_fn fn;
	void *ud;
};

/* Copies the NAMES of table SRC (an absolute index) into the table on top. */
static void copy_names(lua_State *L, int src, const char *const names[])
{
	for (const char *const *n = names; *n; n++) {
		lua_getfield(L, src, *n);              /* push src[name] */
		lua_setfield(L, -2, *n);               /* copy[name] = it */
	}
}

/* env[LIB] = a new table with the NAMES of the real library LIB. */
static void copy_library(lua_State *L, int env, const char *lib, const char *const names[])
{
	lua_getglobal(L, lib);                         /* push real library */
	lua_newtable(L);                               /* push copy */
	copy_names(L, lua_absindex(L, -2), names);
	lua_setfield(L, env, lib);                     /* env[lib] = copy */
	lua_pop(L, 1);                                 /* remove real library */
}

/* print(...): tostring of each argument, tab-separated, to the writer. */
static int l_print(lua_State *L)
{
	const struct writer *w = lua_touserdata(L, lua_upvalueindex(1));
	int n = lua_gettop(L);
	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, i, &len); /* push string */
		if (w->fn) {
			if (i > 1)
				w->fn(w->ud, "\t", 1);
			w->fn(w->ud, s, len);
		}
		lua_pop(L, 1);                         /* remove string */
	}
	if (w->fn)
		w->fn(w->ud, "\n", 1);
	return 0;
}

/* load(chunk [, name [, mode [, env]]]): text only, env defaults to this
 * environment (upvalue 2), names may not pose as files ('@' becomes '='). */
static int l_load(lua_State *L)
{
	int env_given = !lua_isnone(L, 4);
	lua_settop(L, 4);                              /* chunk, name, mode, env */
	lua_pushvalue(L, lua_upvalueindex(1));         /* push real load */
	lua_pushvalue(L, 1);                           /* push chunk */
	const char *name = lua_tostring(L, 2);
	if (lua_type(L, 2) == LUA_TSTRING && name[0] == '@')
		lua_pushfstring(L, "=%s", name + 1);   /* push tamed name */
	else
		lua_pushvalue(L, 2);                   /* push name */
	lua_pushliteral(L, "t");                       /* push mode */
	if (env_given)
		lua_pushvalue(L, 4);                   /* push given env */
	else
		lua_pushvalue(L, lua_upvalueindex(2)); /* push this environment */
	lua_call(L, 4, LUA_MULTRET);                   /* results above the 4 args */
	return lua_gettop(L) - 4;
}

/* collectgarbage([opt, ...]) for the harmless options only. */
static int l_collectgarbage(lua_State *L)
{
	const char *opt = luaL_optstring(L, 1, "collect");
	for (const char *const *o = gc_options; *o; o++) {
		if (strcmp(opt, *o) == 0) {
			lua_pushvalue(L, lua_upvalueindex(1)); /* push real collectgarbage */
			lua_insert(L, 1);              /* under the arguments */
			lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
			return lua_gettop(L);
		}
	}
	return luaL_error(L, "collectgarbage(\"%s\") is not available in the sandbox", opt);
}

/* setmetatable(t, mt), refusing finalizers: a __gc runs with hooks off, so
 * neither the deadline nor Ctrl-C could stop one that loops. */
static int l_setmetatable(lua_State *L)
{
	lua_settop(L, 2);                              /* t, mt */
	if (lua_type(L, 2) == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");            /* push key */
		if (lua_rawget(L, 2) != LUA_TNIL)      /* push mt.__gc */
			return luaL_error(L, "setmetatable: __gc (finalizers) is not available in the sandbox");
		lua_pop(L, 1);                         /* remove nil */
	}
	lua_pushvalue(L, lua_upvalueindex(1));         /* push real setmetatable */
	lua_insert(L, 1);                              /* under t, mt */
	lua_call(L, 2, 1);                             /* push t */
	return 1;
}

/* The message handler given to the real xpcall: runs the program's handler
 * (upvalue 1) unless the run is being stopped. When the hook raises, Lua
 * calls the handler with hooks off: a handler that loops then could not be
 * stopped by anything but the parent process. */
static int l_xpcall_handler(lua_State *L)
{
	if (sandbox_must_stop(L))
		return 1;                              /* the error as is */
	lua_pushvalue(L, lua_upvalueindex(1));         /* push handler */
	lua_insert(L, 1);                              /* under the error */
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int finish_xpcall(lua_State *L, int status, lua_KContext nargs)
{
	(void)status;
	return lua_gettop(L) - (int)nargs;
}

/* xpcall(f, handler, ...): the real one, with the handler wrapped. Calls
 * with a continuation, so that code inside may still yield. */
static int l_xpcall(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, lua_upvalueindex(1));         /* push real xpcall */
	lua_pushvalue(L, 1);                           /* push f */
	lua_pushvalue(L, 2);                           /* push handler */
	lua_pushcclosure(L, l_xpcall_handler, 1);      /* pop it, push wrapper */
	for (int i = 3; i <= n; i++)
		lua_pushvalue(L, i);                   /* push the arguments */
	lua_callk(L, n, LUA_MULTRET, n, finish_xpcall); /* status and results */
	return finish_xpcall(L, LUA_OK, n);
}

/* math.randomseed([x [, y]]): without arguments, reseeds with the
 * environment's seed (upvalue 2) instead of the time. */
static int l_randomseed(lua_State *L)
{
	int n = lua_gettop(L);
	lua_pushvalue(L, lua_upvalueindex(1));         /* push real randomseed */
	lua_insert(L, 1);                              /* under the arguments */
	if (n == 0) {
		lua_pushvalue(L, lua_upvalueindex(2)); /* push the seed */
		n = 1;
	}
	lua_call(L, n, LUA_MULTRET);                   /* results */
	return lua_gettop(L);
}

/* env[NAME] = closure FN whose upvalue 1 is real global NAME and whose
 * upvalue 2, if EXTRA is not 0, is the value at index EXTRA. */
static void wrap_global(lua_State *L, int env, const char *name, lua_CFunction fn, int extra)
{
	lua_getglobal(L, name);                        /* push real function */
	if (extra)
		lua_pushvalue(L, extra);               /* push extra upvalue */
	lua_pushcclosure(L, fn, extra ? 2 : 1);        /* pop them, push wrapper */
	lua_setfield(L, env, name);                    /* env[name] = wrapper */
}

/* env.math: a fresh library (its own random state), seeded. */
static void add_math(lua_State *L, int env, uint64_t seed)
{
	lua_pushcfunction(L, luaopen_math);            /* push opener */
	lua_call(L, 0, 1);                             /* push fresh math */
	lua_getfield(L, -1, "randomseed");             /* push real randomseed */
	lua_pushinteger(L, (lua_Integer)seed);         /* push seed */
	lua_pushvalue(L, -2);                          /* push randomseed again */
	lua_pushvalue(L, -2);                          /* push seed again */
	lua_call(L, 1, 0);                             /* randomseed(seed) */
	lua_pushcclosure(L, l_randomseed, 2);          /* pop both, push wrapper */
	lua_setfield(L, -2, "randomseed");             /* math.randomseed = wrapper */
	lua_setfield(L, env, "math");                  /* env.math = math */
}

/* __index of a restricted `lab` (upvalue 1: "lab") or namespace (upvalue 1:
 * "lab.hash"): a name held back from this environment is an error that
 * says so; any other name is nil, as in any table. */
static int l_lab_missing(lua_State *L)
{
	const char *where = lua_tostring(L, lua_upvalueindex(1));
	int ns_table = strcmp(where, "lab") != 0;
	if (lua_type(L, 2) != LUA_TSTRING || (!ns_table && !lab_find(lua_tostring(L, 2))))
		return 0;
	return luaL_error(L, "%s.%s is not available to your code in this exercise: the check "
			  "compares your code with it, so write your own",
			  where, lua_tostring(L, 2));
}

/* Sets a locked metatable on the table on top whose __index is
 * l_lab_missing for WHERE ("lab" or "lab.NAME"). */
static void set_missing(lua_State *L, const char *where, const char *name)
{
	lua_createtable(L, 0, 2);                      /* push metatable */
	lua_pushfstring(L, "%s%s%s", where, name ? "." : "", name ? name : ""); /* push where */
	lua_pushcclosure(L, l_lab_missing, 1);         /* pop it, push __index */
	lua_setfield(L, -2, "__index");                /* mt.__index = it */
	lua_pushboolean(L, 0);                         /* push false */
	lua_setfield(L, -2, "__metatable");            /* lock it */
	lua_setmetatable(L, -2);                       /* pop it: the table's metatable */
}

/* Whether ONLY lists NAME whole ("hash": 1) or some of its functions
 * ("hash.ketama": 2); 0 if neither. */
static int allowed(const char *const *only, const char *name)
{
	size_t n = strlen(name);
	int how = 0;
	for (; *only; only++) {
		if (strcmp(*only, name) == 0)
			return 1;
		if (strncmp(*only, name, n) == 0 && (*only)[n] == '.')
			how = 2;
	}
	return how;
}

/* Replaces namespace NAME of the `lab` table on top by a table holding only
 * the functions ONLY lists as "NAME.FN". Raises if one does not exist. */
static void keep_functions(lua_State *L, const char *const *only, const char *name)
{
	size_t n = strlen(name);
	lua_getfield(L, -1, name);                     /* push full namespace */
	lua_newtable(L);                               /* push the part kept */
	for (; *only; only++) {
		if (strncmp(*only, name, n) != 0 || (*only)[n] != '.')
			continue;
		const char *fn = *only + n + 1;
		if (lua_getfield(L, -2, fn) == LUA_TNIL) /* push full[fn] */
			luaL_error(L, "allow= names lab.%s.%s, which lab.%s does not have", name,
				   fn, name);
		lua_setfield(L, -2, fn);               /* kept[fn] = it */
	}
	set_missing(L, "lab", name);
	lua_setfield(L, -3, name);                     /* lab[name] = kept */
	lua_pop(L, 1);                                 /* remove full namespace */
}

/* Keeps in the `lab` table on top only what ONLY lists: namespaces
 * ("clock") or functions of one ("hash.ketama"). */
static void restrict_lab(lua_State *L, const char *const *only)
{
	for (const struct lab_entry *e = lab_registry; e->name; e++) {
		switch (allowed(only, e->name)) {
		case 1:
			break;
		case 2:
			keep_functions(L, only, e->name);
			break;
		default:
			lua_pushnil(L);                /* push nil */
			lua_setfield(L, -2, e->name);  /* lab[name] = nil */
		}
	}
	set_missing(L, "lab", NULL);
}

/* Builds the environment; runs under lua_pcall with the options as light
 * userdata argument 1. Returns the table. */
static int build_env(lua_State *L)
{
	const struct sandbox_env_opts *o = lua_touserdata(L, 1);
	lua_newtable(L);                               /* push env */
	int env = lua_gettop(L);
	lua_pushglobaltable(L);                        /* push real globals */
	lua_pushvalue(L, env);                         /* push env */
	copy_names(L, env + 1, base_names);            /* env.assert = ... */
	lua_pop(L, 2);                                 /* remove env copy, globals */
	lua_pushvalue(L, env);                         /* push env */
	lua_setfield(L, env, "_G");                    /* env._G = env */

	wrap_global(L, env, "load", l_load, env);
	wrap_global(L, env, "collectgarbage", l_collectgarbage, 0);
	wrap_global(L, env, "setmetatable", l_setmetatable, 0);
	wrap_global(L, env, "xpcall", l_xpcall, 0);
	struct writer *w = lua_newuserdatauv(L, sizeof *w, 0); /* push writer */
	w->fn = o->write;
	w->ud = o->write_ud;
	lua_pushcclosure(L, l_print, 1);               /* pop writer, push print */
	lua_setfield(L, env, "print");                 /* env.print = it */

	copy_library(L, env, LUA_STRLIBNAME, string_names);
	copy_library(L, env, LUA_TABLIBNAME, table_names);
	copy_library(L, env, LUA_UTF8LIBNAME, utf8_names);
	sandbox_push_coroutine(L);                     /* push coroutine */
	lua_setfield(L, env, LUA_COLIBNAME);           /* env.coroutine = it */
	copy_library(L, env, LUA_OSLIBNAME, os_names);
	add_math(L, env, o->seed);
	lab_push(L);                                   /* push fresh lab */
	if (o->lab_only)
		restrict_lab(L, o->lab_only);
	lua_setfield(L, env, "lab");                   /* env.lab = it */
	return 1;
}

int sandbox_push_env(lua_State *L, const struct sandbox_env_opts *opts)
{
	lua_pushcfunction(L, build_env);               /* push builder */
	lua_pushlightuserdata(L, (void *)opts);        /* push options */
	return lua_pcall(L, 1, 1, 0);                  /* env or message */
}
