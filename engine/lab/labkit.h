/*
 * labkit.h — the kit every binding (engine/concepts/NAME/NAME_lua.c) is
 * written with: the namespace declaration, an option reader driven by a
 * spec, classes of userdata objects, result tables, and raising the right
 * error when a concept fails.
 *
 * Rules for binding code (the reasons are in docs/HACKING.md):
 *   - Read tables the learner passes with raw access only (the option
 *     reader does): a metamethod can run the collector and free a string
 *     you hold.
 *   - Keep no `const char *` into a Lua string after the value may leave
 *     the stack; the option reader keeps its strings anchored for you.
 *   - Concepts allocate with budget_malloc() (engine/base/budget.h); when a
 *     concept fails, raise with lab_fail(), which reports a sandbox stop
 *     (memory, time, Ctrl-C) as such.
 *
 * A binding, in outline:
 *
 *   static const struct lab_opt new_opts[] = {
 *       {"capacity", LAB_INT, .min = 1, .max = 1e7, .required = 1,
 *        .help = "entries it holds"},
 *       {"policy", LAB_ENUM, .str = "lru", .choices = "fifo lru lfu"},
 *       {NULL},
 *   };
 *   enum { NEW_CAPACITY, NEW_POLICY };
 *
 *   static int l_new(lua_State *L)
 *   {
 *       const struct lab_val *o = lab_opts(L, 1, "lab.cache.new", new_opts);
 *       struct thing *t = lab_newobj(L, &thing_class, sizeof *t);
 *       if (thing_init(t, o[NEW_CAPACITY].i, o[NEW_POLICY].choice) != 0)
 *           return lab_fail(L, "lab.cache.new: not enough memory");
 *       return 1;
 *   }
 *
 *   const struct lab_namespace lab_ns_cache = {
 *       .functions = functions,            // luaL_Reg list: new, simulate...
 *       .classes = (const struct lab_class *[]){&thing_class, NULL},
 *       .options = (const struct lab_fnopts[]){{"new", new_opts}, {NULL}},
 *   };
 */
#ifndef BACKLAB_LABKIT_H
#define BACKLAB_LABKIT_H

#include <lauxlib.h>
#include <lua.h>
#include <stddef.h>

#include "engine/base/budget.h"
#include "engine/base/sbuf.h"
#include "engine/lab/lab.h"

/* ---- options ---- */

enum lab_type {
	LAB_INT,   /* an integer (a float with an integral value counts) */
	LAB_NUM,   /* a finite number */
	LAB_STR,   /* a string (a number is not converted) */
	LAB_BOOL,  /* true or false */
	LAB_ENUM,  /* a string that is one of .choices */
	LAB_TABLE, /* a table; the binding reads it (raw) with lab_optpush */
	LAB_FUNC,  /* a function */
	LAB_ANY,   /* anything but nil; the binding reads it with lab_optpush */
};

/* One option of a function's options table. Defaults: .num for LAB_INT,
 * LAB_NUM and LAB_BOOL (0 or 1), .str for LAB_STR and LAB_ENUM. */
struct lab_opt {
	const char *name;
	enum lab_type type;
	double num;            /* default number */
	const char *str;       /* default string; NULL: none */
	double min, max;       /* numbers: the inclusive range, when min < max */
	const char *choices;   /* LAB_ENUM: the names, separated by spaces */
	const char *help;      /* a few words for `help`; may be NULL */
	int required;          /* absent is an error */
};

/* What was read for one option (the array is parallel to the spec). */
struct lab_val {
	int set;               /* given (not nil) in the table */
	lua_Integer i;         /* LAB_INT, LAB_BOOL; LAB_NUM truncated */
	double num;            /* LAB_INT, LAB_NUM (and the default) */
	const char *s;         /* LAB_STR, LAB_ENUM (or the default); anchored */
	size_t len;            /* length of s */
	int choice;            /* LAB_ENUM: index into .choices, from 0 */
};

/* Flags of lab_opts_ex. */
enum {
	LAB_OPTS_ARRAY = 1,    /* integer keys 1..n are allowed (not options) */
};

/*
 * Reads the options table at IDX (nil or absent: every default) for the
 * function WHO ("lab.cache.new") against SPEC (terminated by a NULL name),
 * with raw access only: no metamethod runs. Raises
 *   lab.lb.new: unknown option 'stratgy' (did you mean 'strategy'?)
 *   lab.lb.new: option 'capacity' must be an integer, not a string
 *   lab.lb.new: option 'capacity' must be between 1 and 10000000 (got 0)
 *   lab.lb.new: option 'policy' must be one of: fifo lru lfu (got 'lur')
 *   lab.lb.new: option 'capacity' is required
 * Returns an array parallel to SPEC inside a userdata it pushes, which also
 * anchors the strings (copied): they stay valid while that userdata is on
 * the stack.                                                       [-0, +1]
 */
const struct lab_val *lab_opts(lua_State *L, int idx, const char *who,
			       const struct lab_opt *spec);
const struct lab_val *lab_opts_ex(lua_State *L, int idx, const char *who,
				  const struct lab_opt *spec, int flags);

/*
 * Pushes options[NAME] read raw (nil if IDX is not a table).      [-0, +1]
 */
int lab_optpush(lua_State *L, int idx, const char *name);

/*
 * Appends the "options (defaults)" text of SPEC to SB, one option a line,
 * each line starting with INDENT.
 */
void lab_opts_help(struct sbuf *sb, const struct lab_opt *spec, const char *indent);

/* The closest name among the spec's, or among CHOICES (space-separated),
 * to WORD, if it is close enough to be a likely typo; else NULL. */
const char *lab_didyoumean(const char *word, const struct lab_opt *spec, const char *choices,
			   char *buf, size_t size);

/* ---- classes of objects ---- */

/*
 * A class of userdata objects. Methods are called as obj:m(...) and get the
 * class's metatable as upvalue 1, which makes lab_self() fast. The
 * metatable is locked (getmetatable gives false) and has __name = NAME,
 * __gc (calls FREE once), and METAMETHODS (__tostring, __len, ...).
 */
struct lab_class {
	const char *name;                /* "lab.cache" */
	const luaL_Reg *methods;
	const luaL_Reg *metamethods;     /* may be NULL */
	void (*free)(void *obj);         /* releases what OBJ holds; may be NULL */
};

/*
 * Pushes a new object of CLS with SIZE bytes of zeroed body and returns the
 * body. The class is created in L the first time.                 [-0, +1]
 */
void *lab_newobj(lua_State *L, const struct lab_class *cls, size_t size);

/*
 * The body of the object at argument 1 of a method of CLS. Raises for a
 * value of another type, and for an object already finalized (one reached
 * again through a weak table or from another finalizer).
 */
void *lab_self(lua_State *L, const struct lab_class *cls);

/* The same for any index, from any function; lab_testobj gives NULL
 * instead of raising for a value of another type. */
void *lab_checkobj(lua_State *L, int idx, const struct lab_class *cls);
void *lab_testobj(lua_State *L, int idx, const struct lab_class *cls);

/* Creates CLS in L now (namespaces whose functions take objects of a class
 * before any was made need not). Leaves nothing on the stack.     [-0, +0] */
void lab_newclass_of(lua_State *L, const struct lab_class *cls);

/* ---- results ---- */

/* t[name] = v in the table on top of the stack.                    [-0, +0] */
void lab_setnum(lua_State *L, const char *name, lua_Number v);
void lab_setint(lua_State *L, const char *name, lua_Integer v);
void lab_setstr(lua_State *L, const char *name, const char *s);
void lab_setbool(lua_State *L, const char *name, int v);

/* Pushes an array of N numbers / integers.                         [-0, +1] */
void lab_pushnums(lua_State *L, const double *v, size_t n);
void lab_pushints(lua_State *L, const long long *v, size_t n);

/* ---- errors ---- */

/*
 * Raises after a concept failed: if the sandbox says the code must stop
 * (out of memory, out of time, Ctrl-C), with that reason; otherwise with
 * the formatted message. Never returns.
 */
int lab_fail(lua_State *L, const char *fmt, ...);

/* Raises the stop reason if the running code must stop; else returns. For
 * bindings that loop themselves. */
void lab_poll(lua_State *L);

/* ---- the namespace ---- */

/* Which options a function takes, for `help` (@options FN in the page). */
struct lab_fnopts {
	const char *fn;                  /* "new", "simulate", "ring" */
	const struct lab_opt *spec;
};

/*
 * What a binding declares, as `const struct lab_namespace lab_ns_NAME`.
 * lab_push() makes the namespace's table from FUNCTIONS (and FIELDS, if
 * given: a function that adds more to the table on top of the stack, such
 * as constants), and creates its CLASSES.
 */
struct lab_namespace {
	const luaL_Reg *functions;
	void (*fields)(lua_State *L);                    /* may be NULL */
	const struct lab_class *const *classes;          /* NULL-terminated; may be NULL */
	const struct lab_fnopts *options;                /* NULL-terminated; may be NULL */
	void (*configure)(lua_State *L, int width, int utf8); /* may be NULL */
	lua_CFunction open; /* old style, instead of all of the above: pushes the
	                       namespace's table (bindings not yet on the kit) */
};

/* ---- old helpers, until every binding uses the kit (issue 9) ---- */

void lab_newclass(lua_State *L, const char *tname, const luaL_Reg *methods,
		  const luaL_Reg *metamethods);
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
