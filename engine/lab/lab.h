/*
 * lab.h — the `lab` Lua library, built from one table of concepts.
 *
 * Each concept is a plain C module (NAME.c/NAME.h, no Lua) plus a binding
 * (NAME_lua.c) whose opener pushes the concept's Lua table. lab.c holds the
 * registry: adding a concept means adding one line there.
 */
#ifndef BACKLAB_LAB_H
#define BACKLAB_LAB_H

#include <lauxlib.h>
#include <lua.h>

struct lab_concept {
	const char *name;          /* lab.NAME */
	lua_CFunction open;        /* pushes the concept's table; returns 1 */
	const char *summary;       /* one line for `help lab` */
	const char *usage;         /* a few lines: the main functions, for lab.help(NAME) */
};

/* The registry, terminated by an entry with name NULL. */
extern const struct lab_concept lab_concepts[];

/*
 * Pushes a new `lab` table with every concept opened afresh, plus
 * lab.help([name]) returning the help text as a string. Every call builds
 * new tables, so two sandbox environments never share one.       [-0, +1]
 */
void lab_push(lua_State *L);

/*
 * Tells the concepts that draw (lab.plot) how wide the learner's terminal is
 * and whether it shows UTF-8; kept in the state's registry. Graded runs do
 * not call it and get fixed defaults, so checks see the same output
 * everywhere.
 */
void lab_configure(lua_State *L, int width, int utf8);

/* The help text of `lab` (name NULL) or of one concept, into a new string
 * the caller frees; NULL if there is no such concept. */
char *lab_help_text(const char *name);

/*
 * For bindings: creates (once per state) the metatable TNAME with METHODS as
 * its __index and METAMETHODS in it, and locks it (__metatable = false), so
 * that sandboxed code can neither read nor change a class shared with the
 * check. Leaves nothing on the stack.                              [-0, +0]
 */
void lab_newclass(lua_State *L, const char *tname, const luaL_Reg *methods,
		  const luaL_Reg *metamethods);

/*
 * For bindings: reads an optional integer/number/string/boolean field of the
 * options table at index IDX, with a default; raises a Lua error naming the
 * field when it has the wrong type.
 */
lua_Integer lab_optint(lua_State *L, int idx, const char *field, lua_Integer def);
lua_Number lab_optnum(lua_State *L, int idx, const char *field, lua_Number def);
const char *lab_optstr(lua_State *L, int idx, const char *field, const char *def);
int lab_optbool(lua_State *L, int idx, const char *field, int def);

/*
 * For bindings that take a clock option: the time of the clock on top of the
 * stack (a function returning seconds, or an object with a now() method such
 * as a lab.clock), which it pops. Raises an error naming WHO if the clock
 * gives anything but a finite number.                              [-1, +0]
 */
double lab_clock_time(lua_State *L, const char *who);

#endif
