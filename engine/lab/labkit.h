/*
 * labkit.h — the kit every binding (engine/concepts/NAME/NAME_lua.c) is
 * written with: the namespace declaration, an option reader driven by a
 * spec, classes of userdata objects, result tables from field lists, and
 * raising the right error when a concept fails.
 *
 * Rules for binding code (the reasons are in docs/HACKING.md):
 *   - Read tables the learner passes with raw access only (the option
 *     reader, lab_optpush and lab_checknums do): a metamethod can run the
 *     collector and free a string you hold.
 *   - Keep no `const char *` into a Lua string after the value may leave
 *     the stack; the option reader keeps its strings anchored for you.
 *   - Concepts allocate with budget_malloc() (engine/base/budget.h) and
 *     poll budget_stop() in long loops; when a concept fails, raise with
 *     lab_fail(), which reports a sandbox stop (memory, time, Ctrl-C) as
 *     such.
 *
 * A binding, in outline:
 *
 *   static const struct lab_opt new_opts[] = {
 *       {"capacity", LAB_INT, .min = 1, .max = 1e7, .required = 1,
 *        .help = "entries it holds", LAB_INTO(struct cache_config, capacity)},
 *       {"policy", LAB_ENUM, .str = "lru", .choices = "fifo lru lfu",
 *        LAB_INTO(struct cache_config, policy)},
 *       {NULL},
 *   };
 *
 *   static int l_new(lua_State *L)
 *   {
 *       struct cache_config c;
 *       lab_opts_into(L, 1, "lab.cache.new", new_opts, &c, 0);
 *       struct thing *t = lab_newobj(L, &thing_class, sizeof *t);
 *       if (thing_init(t, &c) != 0)
 *           return lab_fail(L, "lab.cache.new: not enough memory");
 *       return 1;
 *   }
 *
 *   const struct lab_namespace lab_ns_cache = {
 *       .functions = functions,            // luaL_Reg list: new, simulate...
 *       .classes = (const struct lab_class *const[]){&thing_class, NULL},
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
	LAB_NUM,   /* a finite number (see LAB_INF) */
	LAB_STR,   /* a string (a number is not converted) */
	LAB_BOOL,  /* true or false */
	LAB_ENUM,  /* a string that is one of .choices */
	LAB_TABLE, /* a table; the binding reads it (raw) with lab_optpush */
	LAB_FUNC,  /* a function */
	LAB_ANY,   /* anything but nil; the binding reads it with lab_optpush */
};

/* Flags of one option (struct lab_opt.flags). */
enum {
	LAB_ABOVE = 1, /* numbers: strictly greater than .min (the range is (min, max]) */
	LAB_INF = 2,   /* LAB_NUM: +-infinity (math.huge) is accepted too */
};

/*
 * One option of a function's options table. Defaults: .num for LAB_INT,
 * LAB_NUM and LAB_BOOL (0 or 1), .str for LAB_STR and LAB_ENUM (for a
 * number, .str is how `help` shows the default, e.g. "none"). A range
 * applies when min < max (max may be INFINITY).
 */
struct lab_opt {
	const char *name;
	enum lab_type type;
	double num;            /* default number */
	const char *str;       /* default string; NULL: none */
	double min, max;       /* numbers: the inclusive range, when min < max */
	const char *choices;   /* LAB_ENUM: the names, separated by spaces */
	const char *help;      /* a few words for `help`; may be NULL */
	int required;          /* absent is an error */
	unsigned flags;        /* LAB_ABOVE, LAB_INF */
	size_t into;           /* LAB_INTO(): where lab_opts_into stores it, plus 1; 0: nowhere */
	size_t size;           /* LAB_INTO(): the size of that member */
	const int *values;     /* LAB_ENUM stored: the C value of each choice; NULL: its index */
};

/*
 * Where lab_opts_into() stores an option: a member of the struct it is
 * given. The member's type follows the option's: LAB_INT an integer of 4
 * or 8 bytes (int, int64_t, uint32_t, uint64_t: a negative value in an
 * unsigned member wraps, as a cast would), LAB_NUM a double, LAB_BOOL an
 * int, LAB_ENUM an int or enum (the choice's index, or .values[index]),
 * LAB_STR a const char * (anchored while the reader's userdata is on the
 * stack, NULL for no default). Other types are not stored.
 */
#define LAB_INTO(type, member) .into = offsetof(type, member) + 1, .size = sizeof(((type *)0)->member)

/* What was read for one option (the array is parallel to the spec). */
struct lab_val {
	int set;               /* given (not nil) in the table */
	lua_Integer i;         /* LAB_INT, LAB_BOOL; LAB_NUM truncated */
	double num;            /* LAB_INT, LAB_NUM (and the default) */
	const char *s;         /* LAB_STR, LAB_ENUM (or the default); anchored */
	size_t len;            /* length of s */
	int choice;            /* LAB_ENUM: index into .choices, from 0 */
};

/* Flags of lab_opts_ex and lab_opts_into. */
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
 * lab_opts_ex, then stores every option that has LAB_INTO (given or its
 * default) into the struct at INTO. The usual way to fill a concept's
 * config struct: the spec is the whole reader.                    [-0, +1]
 */
const struct lab_val *lab_opts_into(lua_State *L, int idx, const char *who,
				    const struct lab_opt *spec, void *into, int flags);

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

/*
 * Reads options[NAME] of the options table at IDX when it may be nil or
 * false (off: pushes nil, returns 0), true (on, every default) or a table
 * read against SPEC (on): then stores it as lab_opts_into does into INTO
 * (which may be NULL), pushes the reader's userdata (which anchors the
 * strings read) and returns 1. WHO names the function ("lab.lb.simulate");
 * the inner table's errors name "WHO: NAME". Anything else raises
 *   WHO: option 'NAME' must be {a = , b = } or true               [-0, +1]
 */
int lab_optsub(lua_State *L, int idx, const char *who, const char *name,
	       const struct lab_opt *spec, void *into);

/*
 * Reads options[NAME] of the options table at IDX, a list of option tables
 * (nil: an empty list), each read against SPEC and stored (LAB_INTO) into
 * one element of a new array of *N elements of SIZE bytes, inside a
 * userdata it pushes and whose address it returns (zeroed first; it also
 * anchors the strings read, while it is on the stack). The errors of element i
 * name "WHO: NAME[i]"; a list longer than MAX, or not a table, raises. When
 * EACH is not NULL, it is called for every element with the element's table
 * on top of the stack (it must leave the stack as it found it), to read what
 * the spec leaves to the binding (LAB_ANY), with the same WHOM the errors
 * use.                                                             [-0, +1]
 */
typedef void (*lab_eachfn)(lua_State *L, void *elem, size_t i, const char *whom, void *ud);
void *lab_optlist(lua_State *L, int idx, const char *who, const char *name,
		  const struct lab_opt *spec, size_t size, size_t max, size_t *n,
		  lab_eachfn each, void *ud);

/*
 * Reads the list of numbers at IDX (raw: t[1] .. t[#t], #t without __len)
 * into a new array inside a userdata it pushes, and stores the count in *N.
 * Raises "WHAT must be a list of numbers, not a string" or "WHAT[3] is a
 * string, expected a number".                                     [-0, +1]
 */
double *lab_checknums(lua_State *L, int idx, const char *what, size_t *n);

/*
 * The index (from 0) of the string at IDX among CHOICES (names separated by
 * spaces), for a string that is not an option: a list element, an argument.
 * Raises "WHO: WHAT must be one of: CHOICES (got 'x'; did you mean 'y'?)".
 */
int lab_choice(lua_State *L, int idx, const char *who, const char *what, const char *choices);

/*
 * For options that take a clock: raises unless the value at IDX is a
 * function or an object (table or userdata) with a now() method. WHO names
 * the option's owner, "lab.cache.new".
 */
void lab_checkclock(lua_State *L, int idx, const char *who);

/*
 * The time of the clock on top of the stack (a function returning seconds,
 * or an object with a now() method such as a lab.clock), which it pops.
 * Raises an error naming WHO if the clock gives anything but a finite
 * number. Calls Lua code (the clock's own).                      [-1, +0]
 */
double lab_clock_time(lua_State *L, const char *who);

/* ---- classes of objects ---- */

/*
 * A class of userdata objects. Methods are called as obj:m(...) and get the
 * class's metatable as upvalue 1, which makes lab_self() fast. The
 * metatable is locked (getmetatable gives false) and has __name = NAME,
 * __gc (calls FREE once), and METAMETHODS (__tostring, __len, ...). Each
 * object has USERVALUES user values (0 means 1), nil at first: Lua values
 * the object keeps alive (its values, its clock, its names).
 */
struct lab_class {
	const char *name;                /* "lab.cache" */
	const luaL_Reg *methods;
	const luaL_Reg *metamethods;     /* may be NULL */
	void (*free)(void *obj);         /* releases what OBJ holds; may be NULL */
	int uservalues;
};

/*
 * Pushes a new object of CLS with SIZE bytes of zeroed body and returns the
 * body. The class is created in L the first time.                 [-0, +1]
 */
void *lab_newobj(lua_State *L, const struct lab_class *cls, size_t size);

/*
 * The body of the object at argument 1 of a method of CLS. Raises for a
 * value of another type, and for an object already finalized (one reached
 * again through a weak table or from another finalizer). With CLS NULL, the
 * method's own class, for a method that several classes share.
 */
void *lab_self(lua_State *L, const struct lab_class *cls);

/* The same for any index, from any function; lab_testobj gives NULL
 * instead of raising for a value of another type. */
void *lab_checkobj(lua_State *L, int idx, const struct lab_class *cls);
void *lab_testobj(lua_State *L, int idx, const struct lab_class *cls);

/* Creates CLS in L now (namespaces whose functions take objects of a class
 * before any was made need not). Leaves nothing on the stack.     [-0, +0] */
void lab_newclass_of(lua_State *L, const struct lab_class *cls);

/*
 * Pushes a userdata holding SIZE zeroed bytes whose finalizer calls FREE on
 * them (once): the owner of what a concept returns (a report with arrays)
 * while the binding turns it into Lua tables, so that an error in between
 * leaks nothing. Lua code never sees it.                          [-0, +1]
 */
void *lab_holder(lua_State *L, size_t size, void (*free)(void *));

/*
 * Moves the value on top of the stack into the table at KEEP (appended),
 * which keeps it alive as long as that table lives, and returns it as a
 * string if it is one (numbers are not converted), else NULL. The way to
 * hold a string read from a learner's table: that table may change under
 * you (a finalizer runs Lua code at any allocation).               [-1, +0]
 */
const char *lab_keep(lua_State *L, int keep);

/* Pushes SIZE bytes of zeroed scratch memory owned by Lua.        [-0, +1] */
void *lab_scratch(lua_State *L, size_t size);

/* ---- results ---- */

/* t[name] = v in the table on top of the stack.                    [-0, +0] */
void lab_setnum(lua_State *L, const char *name, lua_Number v);
void lab_setint(lua_State *L, const char *name, lua_Integer v);
void lab_setstr(lua_State *L, const char *name, const char *s);
void lab_setbool(lua_State *L, const char *name, int v);

/* Kinds of C values for result fields and arrays. */
enum lab_ctype {
	LAB_C_DOUBLE, LAB_C_INT, LAB_C_UINT, LAB_C_LONG, LAB_C_ULONG, LAB_C_LLONG,
	LAB_C_ULLONG, LAB_C_BOOL,   /* an int, shown as a boolean */
	LAB_C_OPT,    /* a double left out when it is NaN */
	LAB_C_STR,    /* a const char * (left out when NULL) */
	LAB_C_CHARS,  /* a char array holding a string */
	LAB_C_UCHAR, LAB_C_USHORT, LAB_C_SHORT, LAB_C_CBOOL, /* _Bool, shown as a boolean */
	LAB_C_FLOAT,
	/* kinds of fields only (struct lab_field), not of arrays: */
	LAB_C_SUB,     /* a struct member, shown as a table of .sub's fields */
	LAB_C_STRUCTS, /* a pointer to .count structs, shown as an array of tables */
	LAB_C_ARRAY,   /* a pointer to .count values of kind .elem, shown as an array */
	LAB_C_NAME,    /* an integer member of kind .elem, shown as .names[value] */
	LAB_C_INDEX,   /* an integer member of kind .elem, shown plus 1 (a 0-based index) */
	LAB_C_FN,      /* computed: .fn pushes the value */
};

/* The kind of a C expression's type: integers, doubles, a const char *
 * (a string pointer), a char array (a string inside the struct). A plain
 * `char *` member counts as a char array: declare string pointers const.
 * An enum counts as the integer type it is compatible with. */
#define LAB_CTYPE(x)                                                                       \
	_Generic((x), double: LAB_C_DOUBLE, int: LAB_C_INT, unsigned: LAB_C_UINT,          \
		 long: LAB_C_LONG, unsigned long: LAB_C_ULONG, long long: LAB_C_LLONG,     \
		 unsigned long long: LAB_C_ULLONG, const char *: LAB_C_STR,                \
		 char *: LAB_C_CHARS, unsigned char: LAB_C_UCHAR,                          \
		 unsigned short: LAB_C_USHORT, short: LAB_C_SHORT, _Bool: LAB_C_CBOOL,     \
		 float: LAB_C_FLOAT)

/*
 * A computed field: pushes the value for the struct OBJ (UD is what the
 * caller of lab_setfields_ud passed along: the context a struct alone
 * lacks, such as the names of the backends an index refers to), and returns
 * 1; or pushes nothing and returns 0 to leave the field out.
 */
typedef int (*lab_fieldfn)(lua_State *L, const void *obj, const void *ud);

/* One field of a C struct shown in a Lua table. The members after OFFSET
 * matter only for the kinds that say so (the macros below fill them). */
struct lab_field {
	const char *name;
	enum lab_ctype type;
	size_t offset;
	const struct lab_field *sub;     /* LAB_C_SUB, LAB_C_STRUCTS: the inner fields */
	size_t count;                    /* LAB_C_STRUCTS, LAB_C_ARRAY: offset of the count + 1 */
	enum lab_ctype count_type;       /* the count member's kind (an integer) */
	size_t stride;                   /* LAB_C_STRUCTS: the size of one struct */
	enum lab_ctype elem;             /* LAB_C_ARRAY: the elements' kind; NAME, INDEX: the member's */
	const char *const *names;        /* LAB_C_NAME: names by value, NULL-terminated */
	lab_fieldfn fn;                  /* LAB_C_FN */
};

/* A field named after its member; one named otherwise; an int shown as a
 * boolean; a double left out when NaN. */
#define LAB_FAS(name_, st, m) {.name = (name_), .type = LAB_CTYPE(((st *)0)->m), .offset = offsetof(st, m)}
#define LAB_F(st, m) LAB_FAS(#m, st, m)
#define LAB_FBOOL(st, m) {.name = #m, .type = LAB_C_BOOL, .offset = offsetof(st, m)}
#define LAB_FOPT(st, m) {.name = #m, .type = LAB_C_OPT, .offset = offsetof(st, m)}
#define LAB_FOPTAS(name_, st, m) {.name = (name_), .type = LAB_C_OPT, .offset = offsetof(st, m)}
/* A table NAME holding the fields SUB of the same struct (members grouped
 * in Lua: r.latency.p99 from r's member p99). */
#define LAB_FGROUP(name_, sub_) {.name = (name_), .type = LAB_C_SUB, .sub = (sub_)}
/* A struct member shown as a table NAME with the fields SUB (of the
 * member's own struct type). */
#define LAB_FSUB(name_, st, m, sub_)                                                       \
	{.name = (name_), .type = LAB_C_SUB, .offset = offsetof(st, m), .sub = (sub_)}
/* A pointer member P to N structs (N a member too), shown as an array of
 * tables with the fields SUB. */
#define LAB_FSTRUCTS(name_, st, p, n, sub_)                                                \
	{.name = (name_), .type = LAB_C_STRUCTS, .offset = offsetof(st, p), .sub = (sub_), .count = offsetof(st, n) + 1,  \
	 .count_type = LAB_CTYPE(((st *)0)->n), .stride = sizeof *((st *)0)->p}
/* A pointer member P to N numbers or strings, shown as an array. */
#define LAB_FARRAY(name_, st, p, n)                                                        \
	{.name = (name_), .type = LAB_C_ARRAY, .offset = offsetof(st, p), .count = offsetof(st, n) + 1,                   \
	 .count_type = LAB_CTYPE(((st *)0)->n), .elem = LAB_CTYPE(*((st *)0)->p)}
/* An integer (or enum) member shown as NAMES[value] (NULL-terminated; a
 * value past the end is shown as the number). */
#define LAB_FNAME(name_, st, m, names_)                                                    \
	{.name = (name_), .type = LAB_C_NAME, .offset = offsetof(st, m), .elem = LAB_CTYPE(((st *)0)->m), .names = (names_)}
/* A 0-based index member shown 1-based, as Lua counts. */
#define LAB_FINDEX(name_, st, m)                                                           \
	{.name = (name_), .type = LAB_C_INDEX, .offset = offsetof(st, m),                   \
	 .elem = LAB_CTYPE(((st *)0)->m)}
/* A computed field (lab_fieldfn). */
#define LAB_FFN(name_, fn_) {.name = (name_), .type = LAB_C_FN, .fn = (fn_)}

/*
 * Sets t[f.name] = the member of OBJ for every field of F (terminated by a
 * NULL name), in the table on top of the stack; lab_pushfields makes the
 * table first. The _ud forms pass UD to computed fields (LAB_FFN), also
 * those of nested structs.                               [-0, +0] / [-0, +1]
 */
void lab_setfields(lua_State *L, const void *obj, const struct lab_field *f);
void lab_pushfields(lua_State *L, const void *obj, const struct lab_field *f);
void lab_setfields_ud(lua_State *L, const void *obj, const struct lab_field *f, const void *ud);
void lab_pushfields_ud(lua_State *L, const void *obj, const struct lab_field *f, const void *ud);

/*
 * Pushes an array of N tables, table i+1 made by lab_pushfields_ud from the
 * struct at BASE + i * STRIDE.                                     [-0, +1]
 */
void lab_pushstructs(lua_State *L, const void *base, size_t n, size_t stride,
		     const struct lab_field *f, const void *ud);
#define LAB_STRUCTS(L, p, n, f, ud) lab_pushstructs((L), (p), (n), sizeof *(p), (f), (ud))

/*
 * The same structs by columns: pushes a table holding, for each field of F
 * (plain values only: numbers, integers, booleans, strings), the array of
 * that member over the N structs (a NaN of LAB_FOPT, or a NULL string,
 * stays NaN in the array: it stays a sequence), as a time series for
 * lab.plot: {t = {...}, cwnd = {...}}.                             [-0, +1]
 */
void lab_pushcolumns(lua_State *L, const void *base, size_t n, size_t stride,
		     const struct lab_field *f);
#define LAB_COLUMNS(L, p, n, f) lab_pushcolumns((L), (p), (n), sizeof *(p), (f))

/* Pushes an array of the N values at V, of kind TYPE (lab_ctype).  [-0, +1] */
void lab_pusharray(lua_State *L, const void *v, size_t n, enum lab_ctype type);
#define LAB_ARRAY(L, v, n) lab_pusharray((L), (v), (n), LAB_CTYPE(*(v)))

/* Pushes an array of N numbers / integers.                         [-0, +1] */
void lab_pushnums(lua_State *L, const double *v, size_t n);
void lab_pushints(lua_State *L, const long long *v, size_t n);

/* ---- errors ---- */

/*
 * Raises after a concept failed: if the sandbox says the code must stop
 * (out of memory, out of time, Ctrl-C), with that reason; otherwise with
 * the formatted message (lua_pushfstring's formats). Never returns.
 */
int lab_fail(lua_State *L, const char *fmt, ...);

/* Raises the stop reason if the running code must stop; else returns. For
 * bindings that loop themselves (call it every few thousand rounds). */
void lab_poll(lua_State *L);

/*
 * A double argument converted to an integer in [MIN, MAX]: raises a
 * clear error for a value that is not finite, not integral, or out of
 * range (a cast of such a value is undefined behaviour in C).
 */
lua_Integer lab_checkrange(lua_State *L, int arg, lua_Integer min, lua_Integer max);

/* ---- the namespace ---- */

/* Which options a function takes, for `help` (@options FN in the page). */
struct lab_fnopts {
	const char *fn;                  /* "new", "simulate", "ring", "simulate backends" */
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
	/* Methods of plain tables the namespace hands out (lab.sim's node
	 * handle): its page names them as it names a class's. May be NULL. */
	const luaL_Reg *const *handles;
};

#endif
