/*
 * sandbox_cost.c — what the library functions cost, in instructions.
 *
 * sandbox_instructions() is a cost a check may grade on (is `get` constant
 * time?). Lua instructions alone would let code hide its work inside one C
 * call: an LRU that keeps its order in a string and rewrites it with
 * string.find, string.sub and `..` on every call runs a few instructions per
 * call while scanning and copying the whole string. So the work C does on
 * the code's behalf is charged too, at about one instruction per byte or
 * element handled:
 *
 *   new strings     every byte of a string the state creates (`..`, sub,
 *                   rep, format, gsub's result, table.concat's, ...): the
 *                   allocator charges it (sandbox.c);
 *   scanning        find, match, gmatch, gsub: the bytes of the subject from
 *                   the start position to the end of the match, or to its end
 *                   when nothing matched (match, gmatch, gsub: to its end in
 *                   any case); a pattern that backtracks may do more, so this
 *                   is a lower bound; utf8.len and utf8.offset likewise;
 *   elements        table.insert and table.remove at a position (the elements
 *                   moved), table.move, table.concat, table.unpack,
 *                   string.byte, utf8.codepoint (the values handled), and
 *                   table.sort (n log2 n comparisons).
 *
 * The wrappers replace the functions in the state's real library tables
 * (whose copies every environment gets, and whose string table is the
 * strings' __index). A wrapper calls the real C function directly, in its
 * own frame, so that argument errors still read "bad argument #1 to 'find'"
 * with the caller's file:line; none of these functions uses upvalues.
 */
#include "engine/sandbox.h"
#include "engine/sandbox_int.h"

#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

/* What a wrapper learns before the call, for the cost after it. */
struct span {
	lua_Integer len;   /* the subject's length, or the table's raw length */
	lua_Integer from;  /* 1-based start position in it */
	lua_Integer units; /* the cost, if known before the call */
};

typedef void (*before_fn)(lua_State *L, struct span *sp);
typedef void (*after_fn)(lua_State *L, int nres, struct span *sp);

/* A position argument as the string library reads it (negative: from the
 * end), clamped to 1..len+1. */
static lua_Integer position(lua_State *L, int arg, lua_Integer def, lua_Integer len)
{
	int isnum = 0;
	lua_Integer i = arg ? lua_tointegerx(L, arg, &isnum) : 0;
	if (!isnum)
		i = def;
	if (i < 0)
		i = i < -len ? 1 : len + i + 1;
	if (i == 0)
		i = 1;
	return i > len + 1 ? len + 1 : i;
}

/* Subject of a scanning function: argument 1 (a string; a number is short
 * and costs nothing), from position argument INIT_ARG (0: from 1). */
static void scan_before(lua_State *L, struct span *sp, int init_arg)
{
	if (lua_type(L, 1) != LUA_TSTRING)
		return;
	sp->len = (lua_Integer)lua_rawlen(L, 1);
	sp->from = position(L, init_arg, 1, sp->len);
	sp->units = sp->len - sp->from + 1;            /* to the end: no match */
}

static void find_before(lua_State *L, struct span *sp)
{
	scan_before(L, sp, 3);
}

/* find: up to the end of the match, when it returns positions. */
static void find_after(lua_State *L, int nres, struct span *sp)
{
	if (nres >= 2 && lua_isinteger(L, -nres + 1))
		sp->units = lua_tointeger(L, -nres + 1) - sp->from + 1;
}

static void match_before(lua_State *L, struct span *sp)
{
	scan_before(L, sp, 3);
}

static void gsub_before(lua_State *L, struct span *sp)
{
	scan_before(L, sp, 0);
}

static void gmatch_before(lua_State *L, struct span *sp)
{
	scan_before(L, sp, 3);
}

/* string.byte, utf8.codepoint, table.unpack: the values returned. */
static void results_after(lua_State *L, int nres, struct span *sp)
{
	(void)L;
	sp->units = nres;
}

static void utf8_len_before(lua_State *L, struct span *sp)
{
	scan_before(L, sp, 2);
}

/* utf8.offset(s, n, i) walks |n| characters. */
static void utf8_offset_before(lua_State *L, struct span *sp)
{
	lua_Integer n = lua_tointeger(L, 2);
	sp->units = n < 0 ? (n == LUA_MININTEGER ? LUA_MAXINTEGER : -n) : n;
}

/* The raw length of table argument 1, or 0. */
static lua_Integer raw_len(lua_State *L)
{
	return lua_type(L, 1) == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, 1) : 0;
}

/* table.insert(t, pos, v) moves the elements from pos on. */
static void insert_before(lua_State *L, struct span *sp)
{
	lua_Integer n = raw_len(L);
	sp->units = 1;
	if (lua_gettop(L) == 3 && lua_isinteger(L, 2)) {
		lua_Integer pos = lua_tointeger(L, 2);
		if (pos >= 1 && pos <= n)
			sp->units += n - pos + 1;
	}
}

/* table.remove(t, pos) moves the elements after pos. */
static void remove_before(lua_State *L, struct span *sp)
{
	lua_Integer n = raw_len(L);
	sp->units = 1;
	if (lua_gettop(L) >= 2 && lua_isinteger(L, 2)) {
		lua_Integer pos = lua_tointeger(L, 2);
		if (pos >= 1 && pos < n)
			sp->units += n - pos;
	}
}

/* table.move(a1, f, e, t): e - f + 1 elements. */
static void move_before(lua_State *L, struct span *sp)
{
	lua_Integer f = lua_tointeger(L, 2), e = lua_tointeger(L, 3);
	sp->units = e >= f && e - f < LUA_MAXINTEGER ? e - f + 1 : 1;
}

/* table.concat(t, sep, i, j): the elements joined (the result's bytes are
 * charged as a new string). */
static void concat_before(lua_State *L, struct span *sp)
{
	int isnum;
	lua_Integer i = lua_tointegerx(L, 3, &isnum);
	if (!isnum)
		i = 1;
	lua_Integer j = lua_tointegerx(L, 4, &isnum);
	if (!isnum)
		j = raw_len(L);
	sp->units = j >= i && j - i < LUA_MAXINTEGER ? j - i + 1 : 1;
}

/* table.sort(t): about n log2 n comparisons. */
static void sort_before(lua_State *L, struct span *sp)
{
	lua_Integer n = raw_len(L), lg = 1;
	while (lg < 63 && ((lua_Integer)1 << lg) < n)
		lg++;
	sp->units = n * lg;
}

static const struct costed {
	const char *lib, *name;
	before_fn before;
	after_fn after;
} costed[] = {
	{LUA_STRLIBNAME, "find", find_before, find_after},
	{LUA_STRLIBNAME, "match", match_before, NULL},
	{LUA_STRLIBNAME, "gmatch", gmatch_before, NULL},
	{LUA_STRLIBNAME, "gsub", gsub_before, NULL},
	{LUA_STRLIBNAME, "byte", NULL, results_after},
	{LUA_STRLIBNAME, "unpack", NULL, results_after},
	{LUA_TABLIBNAME, "insert", insert_before, NULL},
	{LUA_TABLIBNAME, "remove", remove_before, NULL},
	{LUA_TABLIBNAME, "move", move_before, NULL},
	{LUA_TABLIBNAME, "concat", concat_before, NULL},
	{LUA_TABLIBNAME, "unpack", NULL, results_after},
	{LUA_TABLIBNAME, "sort", sort_before, NULL},
	{LUA_UTF8LIBNAME, "len", utf8_len_before, NULL},
	{LUA_UTF8LIBNAME, "offset", utf8_offset_before, NULL},
	{LUA_UTF8LIBNAME, "codepoint", NULL, results_after},
};

/* The wrapper: upvalue 1 the real function, upvalue 2 its row of costed[]. */
static int l_costed(lua_State *L)
{
	const struct costed *c = &costed[lua_tointeger(L, lua_upvalueindex(2))];
	lua_CFunction real = lua_tocfunction(L, lua_upvalueindex(1));
	struct span sp = {0, 1, 0};
	if (c->before)
		c->before(L, &sp);
	int nres = real(L);                            /* in this frame: see the top */
	if (c->after)
		c->after(L, nres, &sp);
	if (sp.units > 0)
		sandbox_charge(L, (uint64_t)sp.units);
	return nres;
}

void sandbox_open_costs(lua_State *L)
{
	for (size_t i = 0; i < sizeof costed / sizeof costed[0]; i++) {
		lua_getglobal(L, costed[i].lib);       /* push library */
		lua_getfield(L, -1, costed[i].name);   /* push real function */
		lua_pushinteger(L, (lua_Integer)i);    /* push its row */
		lua_pushcclosure(L, l_costed, 2);      /* pop both, push wrapper */
		lua_setfield(L, -2, costed[i].name);   /* library[name] = wrapper */
		lua_pop(L, 1);                         /* remove library */
	}
}
