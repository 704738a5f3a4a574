/*
 * labkit.c — the binding kit: options, classes, results, errors. See
 * labkit.h. This is binding code: it may use Lua; the concepts may not.
 */
#include "engine/lab/labkit.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- options ---- */

static const char *type_word(enum lab_type t)
{
	switch (t) {
	case LAB_INT: return "an integer";
	case LAB_NUM: return "a number";
	case LAB_STR: return "a string";
	case LAB_BOOL: return "a boolean";
	case LAB_ENUM: return "a string";
	case LAB_TABLE: return "a table";
	case LAB_FUNC: return "a function";
	case LAB_ANY: return "a value";
	}
	return "a value";
}

/* Levenshtein distance of A and B, capped at 9 (longer names are not typos
 * of each other anyway). */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 9;
	int row[41];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int cost = a[i - 1] == b[j - 1] ? 0 : 1;
			int best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb] > 9 ? 9 : row[lb];
}

/* Whether WORD is close enough to NAME to be a typo of it. */
static int close_to(const char *word, const char *name, int *best)
{
	int d = distance(word, name);
	size_t n = strlen(name);
	int allowed = n <= 3 ? 1 : n <= 6 ? 2 : 3;
	/* a prefix (plural or singular: "vnode" for "vnodes") is a typo too */
	if (d > allowed && strncmp(word, name, strlen(word) < n ? strlen(word) : n) == 0 &&
	    strlen(word) >= 3)
		d = allowed;
	if (d <= allowed && d < *best) {
		*best = d;
		return 1;
	}
	return 0;
}

const char *lab_didyoumean(const char *word, const struct lab_opt *spec, const char *choices,
			   char *buf, size_t size)
{
	int best = 10;
	const char *found = NULL;
	if (spec) {
		for (const struct lab_opt *o = spec; o->name; o++)
			if (close_to(word, o->name, &best))
				found = o->name;
		if (found) {
			snprintf(buf, size, "%s", found);
			return buf;
		}
	}
	if (choices) {
		const char *p = choices;
		while (*p) {
			while (*p == ' ')
				p++;
			const char *e = p;
			while (*e && *e != ' ')
				e++;
			if (e > p) {
				char name[64];
				size_t n = (size_t)(e - p) < sizeof name - 1 ? (size_t)(e - p)
									     : sizeof name - 1;
				memcpy(name, p, n);
				name[n] = '\0';
				if (close_to(word, name, &best)) {
					snprintf(buf, size, "%s", name);
					found = buf;
				}
			}
			p = e;
		}
	}
	return found;
}

/* The index of the choice S (LEN bytes) in CHOICES, or -1. */
static int choice_index(const char *choices, const char *s, size_t len)
{
	int i = 0;
	const char *p = choices;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if (e > p) {
			if ((size_t)(e - p) == len && memcmp(p, s, len) == 0)
				return i;
			i++;
		}
		p = e;
	}
	return -1;
}

/* A key of the options table, described for an error message. */
static void key_text(lua_State *L, int idx, char *buf, size_t size)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		snprintf(buf, size, "'%.*s'", len > 40 ? 40 : (int)len, s);
		for (char *c = buf; *c; c++)
			if ((unsigned char)*c < 32 || *c == 127)
				*c = '?';
	} else if (lua_type(L, idx) == LUA_TNUMBER) {
		if (lua_isinteger(L, idx))
			snprintf(buf, size, "[%lld]", (long long)lua_tointeger(L, idx));
		else
			snprintf(buf, size, "[%g]", lua_tonumber(L, idx));
	} else {
		snprintf(buf, size, "of type %s", luaL_typename(L, idx));
	}
}

static size_t spec_len(const struct lab_opt *spec)
{
	size_t n = 0;
	while (spec[n].name)
		n++;
	return n;
}

/* Reads the value on top of the stack into V for option O; raises on a
 * wrong value. Leaves the stack as it was. */
static void read_value(lua_State *L, const char *who, const struct lab_opt *o, struct lab_val *v,
		       char **strbuf)
{
	int t = lua_type(L, -1);
	int ok = 1;
	switch (o->type) {
	case LAB_INT: {
		if (t != LUA_TNUMBER) {
			ok = 0;
			break;
		}
		if (lua_isinteger(L, -1)) {
			v->i = lua_tointeger(L, -1);
			v->num = (double)v->i;
		} else {
			double d = lua_tonumber(L, -1);
			if (!(d == floor(d)) || !(d >= -9.2e18 && d <= 9.2e18)) {
				char got[32]; /* lua_pushfstring knows no %g */
				snprintf(got, sizeof got, "%g", d);
				luaL_error(L, "%s: option '%s' must be an integer (got %s)", who,
					   o->name, got);
			}
			v->i = (lua_Integer)d;
			v->num = d;
		}
		break;
	}
	case LAB_NUM:
		if (t != LUA_TNUMBER) {
			ok = 0;
			break;
		}
		v->num = lua_tonumber(L, -1);
		if (!isfinite(v->num))
			luaL_error(L, "%s: option '%s' must be a finite number", who, o->name);
		v->i = (v->num >= -9.2e18 && v->num <= 9.2e18) ? (lua_Integer)v->num : 0;
		break;
	case LAB_BOOL:
		if (t != LUA_TBOOLEAN) {
			ok = 0;
			break;
		}
		v->i = lua_toboolean(L, -1);
		v->num = (double)v->i;
		break;
	case LAB_STR:
	case LAB_ENUM: {
		if (t != LUA_TSTRING) {
			ok = 0;
			break;
		}
		size_t len;
		const char *s = lua_tolstring(L, -1, &len);
		if (o->type == LAB_ENUM) {
			v->choice = choice_index(o->choices, s, len);
			if (v->choice < 0) {
				char buf[64], shown[48];
				snprintf(shown, sizeof shown, "%.*s", len > 40 ? 40 : (int)len, s);
				for (char *c = shown; *c; c++)
					if ((unsigned char)*c < 32 || *c == 127)
						*c = '?';
				const char *near = lab_didyoumean(shown, NULL, o->choices, buf,
								  sizeof buf);
				if (near)
					luaL_error(L, "%s: option '%s' must be one of: %s (got '%s'; "
						      "did you mean '%s'?)",
						   who, o->name, o->choices, shown, near);
				luaL_error(L, "%s: option '%s' must be one of: %s (got '%s')", who,
					   o->name, o->choices, shown);
			}
		}
		memcpy(*strbuf, s, len + 1);
		v->s = *strbuf;
		v->len = len;
		*strbuf += len + 1;
		break;
	}
	case LAB_TABLE:
		ok = t == LUA_TTABLE;
		break;
	case LAB_FUNC:
		ok = t == LUA_TFUNCTION;
		break;
	case LAB_ANY:
		break;
	}
	if (!ok)
		luaL_error(L, "%s: option '%s' must be %s, not %s", who, o->name, type_word(o->type),
			   luaL_typename(L, -1));
	if ((o->type == LAB_INT || o->type == LAB_NUM) && o->min < o->max &&
	    !(v->num >= o->min && v->num <= o->max)) {
		char range[96]; /* lua_pushfstring knows no %g */
		snprintf(range, sizeof range, "between %.15g and %.15g (got %.15g)", o->min, o->max,
			 v->num);
		luaL_error(L, "%s: option '%s' must be %s", who, o->name, range);
	}
	v->set = 1;
}

const struct lab_val *lab_opts_ex(lua_State *L, int idx, const char *who,
				  const struct lab_opt *spec, int flags)
{
	idx = lua_absindex(L, idx);
	size_t n = spec_len(spec);
	int has = lua_type(L, idx) == LUA_TTABLE;
	if (!has && !lua_isnoneornil(L, idx))
		luaL_error(L, "%s: the options must be a table, not %s", who, luaL_typename(L, idx));

	/* First pass: unknown keys, and how many bytes of strings to copy. */
	size_t strbytes = 0;
	if (has) {
		lua_pushnil(L);                                /* first key */
		while (lua_next(L, idx)) {                     /* push key, value */
			int known = 0;
			if (lua_type(L, -2) == LUA_TSTRING) {
				const char *k = lua_tostring(L, -2);
				for (size_t i = 0; i < n; i++)
					if (strcmp(k, spec[i].name) == 0) {
						known = 1;
						if (lua_type(L, -1) == LUA_TSTRING)
							strbytes += lua_rawlen(L, -1) + 1;
						break;
					}
			} else if ((flags & LAB_OPTS_ARRAY) && lua_isinteger(L, -2) &&
				   lua_tointeger(L, -2) >= 1) {
				known = 1;
			}
			if (!known) {
				char kt[64], buf[64];
				key_text(L, -2, kt, sizeof kt);
				const char *near = NULL;
				if (lua_type(L, -2) == LUA_TSTRING)
					near = lab_didyoumean(lua_tostring(L, -2), spec, NULL, buf,
							      sizeof buf);
				if (near)
					luaL_error(L, "%s: unknown option %s (did you mean '%s'?)", who, kt,
						   near);
				luaL_error(L, "%s: unknown option %s", who, kt);
			}
			lua_pop(L, 1);                         /* remove value */
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!spec[i].required && spec[i].str &&
		    (spec[i].type == LAB_STR || spec[i].type == LAB_ENUM))
			strbytes += strlen(spec[i].str) + 1;

	struct lab_val *v = lua_newuserdatauv(L, n * sizeof *v + strbytes + 1, 0); /* push box */
	memset(v, 0, n * sizeof *v);
	char *strbuf = (char *)(v + n);
	for (size_t i = 0; i < n; i++) {
		const struct lab_opt *o = &spec[i];
		int t = has ? lab_optpush(L, idx, o->name) : LUA_TNIL; /* push value */
		if (t != LUA_TNIL) {
			read_value(L, who, o, &v[i], &strbuf);
			lua_pop(L, 1);                         /* remove value */
			continue;
		}
		if (has)
			lua_pop(L, 1);                         /* remove nil */
		if (o->required)
			luaL_error(L, "%s: option '%s' is required", who, o->name);
		v[i].num = o->num;
		v[i].i = (o->num >= -9.2e18 && o->num <= 9.2e18) ? (lua_Integer)o->num : 0;
		if ((o->type == LAB_STR || o->type == LAB_ENUM) && o->str) {
			size_t len = strlen(o->str);
			memcpy(strbuf, o->str, len + 1);
			v[i].s = strbuf;
			v[i].len = len;
			strbuf += len + 1;
			if (o->type == LAB_ENUM)
				v[i].choice = choice_index(o->choices, o->str, len);
		}
	}
	return v;
}

const struct lab_val *lab_opts(lua_State *L, int idx, const char *who,
			       const struct lab_opt *spec)
{
	return lab_opts_ex(L, idx, who, spec, 0);
}

int lab_optpush(lua_State *L, int idx, const char *name)
{
	if (lua_type(L, idx) != LUA_TTABLE) {
		lua_pushnil(L);
		return LUA_TNIL;
	}
	idx = lua_absindex(L, idx);
	lua_pushstring(L, name);                               /* push key */
	return lua_rawget(L, idx);                             /* replace with value */
}

static void num_text(struct sbuf *sb, double x, enum lab_type t)
{
	if (t == LAB_BOOL)
		sbuf_adds(sb, x != 0 ? "true" : "false");
	else if (x == floor(x) && fabs(x) >= 1e6 && fabs(x) < 1e16 &&
		 x / pow(10, floor(log10(fabs(x)))) == floor(x / pow(10, floor(log10(fabs(x))))))
		sbuf_addf(sb, "%.0fe%d", x / pow(10, floor(log10(fabs(x)))),
			  (int)floor(log10(fabs(x))));
	else
		sbuf_addf(sb, "%.15g", x);
}

void lab_opts_help(struct sbuf *sb, const struct lab_opt *spec, const char *indent)
{
	for (const struct lab_opt *o = spec; o->name; o++) {
		sbuf_addf(sb, "%s%s", indent, o->name);
		if (o->required) {
			sbuf_addf(sb, " (required: %s)", type_word(o->type));
		} else if (o->type == LAB_STR || o->type == LAB_ENUM) {
			if (o->str)
				sbuf_addf(sb, " = \"%s\"", o->str);
		} else if (o->type == LAB_INT || o->type == LAB_NUM || o->type == LAB_BOOL) {
			sbuf_adds(sb, " = ");
			num_text(sb, o->num, o->type);
		}
		if (o->type == LAB_ENUM)
			sbuf_addf(sb, ": %s", o->choices);
		else if ((o->type == LAB_INT || o->type == LAB_NUM) && o->min < o->max) {
			sbuf_adds(sb, ", ");
			num_text(sb, o->min, o->type);
			sbuf_adds(sb, "..");
			num_text(sb, o->max, o->type);
		}
		if (o->help)
			sbuf_addf(sb, " — %s", o->help);
		sbuf_addc(sb, '\n');
	}
}

/* ---- classes ---- */

/* Every object's body follows this header; dead once finalized. */
struct objhead {
	const struct lab_class *cls;
	int dead;
};

#define OBJHEAD ((sizeof(struct objhead) + 15) & ~(size_t)15)

static int obj_gc(lua_State *L)
{
	struct objhead *h = lua_touserdata(L, 1);
	if (h && !h->dead) {
		h->dead = 1;
		if (h->cls->free)
			h->cls->free((char *)h + OBJHEAD);
	}
	return 0;
}

void lab_newclass_of(lua_State *L, const struct lab_class *cls)
{
	if (!luaL_newmetatable(L, cls->name)) {                /* push metatable */
		lua_pop(L, 1);                                 /* already made: remove it */
		return;
	}
	if (cls->metamethods) {
		lua_pushvalue(L, -1);                          /* push mt as upvalue */
		luaL_setfuncs(L, cls->metamethods, 1);         /* metamethods, upvalue mt */
	}
	lua_pushcfunction(L, obj_gc);
	lua_setfield(L, -2, "__gc");                           /* mt.__gc */
	lua_newtable(L);                                       /* push methods table */
	if (cls->methods) {
		lua_pushvalue(L, -2);                          /* push mt as upvalue */
		luaL_setfuncs(L, cls->methods, 1);             /* methods, upvalue mt */
	}
	lua_setfield(L, -2, "__index");                        /* mt.__index = methods */
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");                    /* locked */
	lua_pop(L, 1);                                         /* remove metatable */
}

void *lab_newobj(lua_State *L, const struct lab_class *cls, size_t size)
{
	lab_newclass_of(L, cls);
	struct objhead *h = lua_newuserdatauv(L, OBJHEAD + size, 1); /* push object */
	memset(h, 0, OBJHEAD + size);
	h->cls = cls;
	luaL_setmetatable(L, cls->name);
	return (char *)h + OBJHEAD;
}

static void *live_body(lua_State *L, struct objhead *h, const struct lab_class *cls)
{
	if (h->dead)
		luaL_error(L, "this %s was already finalized (reached again through a weak table or "
			      "a finalizer) and cannot be used",
			   cls->name);
	return (char *)h + OBJHEAD;
}

void *lab_self(lua_State *L, const struct lab_class *cls)
{
	if (lua_getmetatable(L, 1)) {                          /* push mt of self */
		int same = lua_rawequal(L, -1, lua_upvalueindex(1));
		lua_pop(L, 1);                                 /* remove it */
		if (same)
			return live_body(L, lua_touserdata(L, 1), cls);
	}
	return lab_checkobj(L, 1, cls);
}

void *lab_testobj(lua_State *L, int idx, const struct lab_class *cls)
{
	struct objhead *h = luaL_testudata(L, idx, cls->name);
	return h ? live_body(L, h, cls) : NULL;
}

void *lab_checkobj(lua_State *L, int idx, const struct lab_class *cls)
{
	struct objhead *h = luaL_checkudata(L, idx, cls->name);
	return live_body(L, h, cls);
}

/* ---- results ---- */

void lab_setnum(lua_State *L, const char *name, lua_Number v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, name);
}

void lab_setint(lua_State *L, const char *name, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, name);
}

void lab_setstr(lua_State *L, const char *name, const char *s)
{
	lua_pushstring(L, s);
	lua_setfield(L, -2, name);
}

void lab_setbool(lua_State *L, const char *name, int v)
{
	lua_pushboolean(L, v);
	lua_setfield(L, -2, name);
}

void lab_pushnums(lua_State *L, const double *v, size_t n)
{
	lua_createtable(L, n < INT32_MAX ? (int)n : 0, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushnumber(L, v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

void lab_pushints(lua_State *L, const long long *v, size_t n)
{
	lua_createtable(L, n < INT32_MAX ? (int)n : 0, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushinteger(L, (lua_Integer)v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* ---- errors ---- */

int lab_fail(lua_State *L, const char *fmt, ...)
{
	const char *why = budget_stop();
	if (why)
		return luaL_error(L, "%s", why);
	va_list ap;
	va_start(ap, fmt);
	luaL_where(L, 1);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	lua_concat(L, 2);
	return lua_error(L);
}

void lab_poll(lua_State *L)
{
	const char *why = budget_stop();
	if (why)
		luaL_error(L, "%s", why);
}

/* ---- old helpers ---- */

void lab_newclass(lua_State *L, const char *tname, const luaL_Reg *methods,
		  const luaL_Reg *metamethods)
{
	if (!luaL_newmetatable(L, tname)) { /* already made in this state */
		lua_pop(L, 1);                  /* remove metatable */
		return;
	}
	if (metamethods)
		luaL_setfuncs(L, metamethods, 0);
	lua_newtable(L);                        /* methods table */
	if (methods)
		luaL_setfuncs(L, methods, 0);
	lua_setfield(L, -2, "__index");         /* mt.__index = methods */
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");     /* lock: getmetatable -> false */
	lua_pop(L, 1);                          /* remove metatable */
}

/* Pushes the raw field FIELD of the options at IDX if it is not nil and
 * has type TYPE (raising otherwise); returns 0 with nothing pushed for nil. */
static int optfield(lua_State *L, int idx, const char *field, int type)
{
	if (lua_isnoneornil(L, idx))
		return 0;
	luaL_checktype(L, idx, LUA_TTABLE);
	int t = lab_optpush(L, idx, field);     /* push value (raw) */
	if (t == LUA_TNIL) {
		lua_pop(L, 1);                  /* remove nil */
		return 0;
	}
	if (t != type && !(type == LUA_TNUMBER && t == LUA_TSTRING && lua_isnumber(L, -1)))
		luaL_error(L, "option '%s' must be a %s, not a %s", field, lua_typename(L, type),
			   luaL_typename(L, -1));
	return 1;                               /* value left on the stack */
}

lua_Integer lab_optint(lua_State *L, int idx, const char *field, lua_Integer def)
{
	if (!optfield(L, idx, field, LUA_TNUMBER))
		return def;
	int ok;
	lua_Integer v = lua_tointegerx(L, -1, &ok);
	if (!ok)
		luaL_error(L, "option '%s' must be an integer", field);
	lua_pop(L, 1);                          /* remove value */
	return v;
}

lua_Number lab_optnum(lua_State *L, int idx, const char *field, lua_Number def)
{
	if (!optfield(L, idx, field, LUA_TNUMBER))
		return def;
	lua_Number v = lua_tonumber(L, -1);
	lua_pop(L, 1);                          /* remove value */
	return v;
}

/* The string is read raw from the options table, which the caller holds on
 * its stack, and no Lua code runs in between: it stays anchored there as
 * long as the caller runs no Lua code that could change the table. */
const char *lab_optstr(lua_State *L, int idx, const char *field, const char *def)
{
	if (!optfield(L, idx, field, LUA_TSTRING))
		return def;
	const char *s = lua_tostring(L, -1);
	lua_pop(L, 1);                          /* remove value */
	return s;
}

int lab_optbool(lua_State *L, int idx, const char *field, int def)
{
	if (!optfield(L, idx, field, LUA_TBOOLEAN))
		return def;
	int v = lua_toboolean(L, -1);
	lua_pop(L, 1);                          /* remove value */
	return v;
}

double lab_clock_time(lua_State *L, const char *who)
{
	if (lua_type(L, -1) == LUA_TFUNCTION) {
		lua_call(L, 0, 1);                  /* t = clock() */
	} else {
		lua_getfield(L, -1, "now");         /* push clock.now */
		lua_insert(L, -2);                  /* now, clock */
		lua_call(L, 1, 1);                  /* t = clock:now() */
	}
	int ok;
	double t = lua_tonumberx(L, -1, &ok);
	lua_pop(L, 1);                              /* remove t */
	if (!ok || !isfinite(t))
		luaL_error(L, "the %s's clock must give a finite number of seconds", who);
	return t;
}
