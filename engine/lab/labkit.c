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

/* Edit distance of A and B, counting a swap of two neighbours as one edit
 * (the optimal string alignment distance), capped at 9: longer names are
 * not typos of each other anyway. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 9;
	int d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb] > 9 ? 9 : d[la][lb];
}

/* Whether WORD is close enough to NAME to be a typo of it. */
static int close_to(const char *word, const char *name, int *best)
{
	int d = distance(word, name);
	size_t n = strlen(name);
	int allowed = n <= 3 ? 1 : n <= 6 ? 2 : 3;
	/* a prefix (plural or singular: "vnode" for "vnodes") is a typo too, and
	 * so is a word that holds the whole name ("pool_size" for "size") */
	if (d > allowed && strlen(word) < n && strncmp(word, name, strlen(word)) == 0 &&
	    strlen(word) >= 3)
		d = allowed;
	if (d > allowed && n >= 4 && strstr(word, name))
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

/* Raises the range error of option O for the value X. */
static void range_error(lua_State *L, const char *who, const struct lab_opt *o, double x)
{
	char lo[32], hi[32], got[32];
	snprintf(lo, sizeof lo, "%.15g", o->min);
	snprintf(hi, sizeof hi, "%.15g", o->max);
	snprintf(got, sizeof got, "%.15g", x);
	const char *above = (o->flags & LAB_ABOVE) ? "greater than" : "at least";
	if (isinf(o->max))
		luaL_error(L, "%s: option '%s' must be %s %s (got %s)", who, o->name, above, lo, got);
	if (o->flags & LAB_ABOVE)
		luaL_error(L, "%s: option '%s' must be greater than %s and at most %s (got %s)", who,
			   o->name, lo, hi, got);
	luaL_error(L, "%s: option '%s' must be between %s and %s (got %s)", who, o->name, lo, hi,
		   got);
}

/* Whether X is inside the range of O (always, without a range). */
static int in_range(const struct lab_opt *o, double x)
{
	if (!(o->min < o->max))
		return 1;
	if (o->flags & LAB_ABOVE)
		return x > o->min && x <= o->max;
	return x >= o->min && x <= o->max;
}

/* The integer of an integral double D inside the range of lua_Integer. */
static int to_integer(double d, lua_Integer *out)
{
	if (!(d == floor(d)) || !(d >= -0x1p63 && d < 0x1p63))
		return 0;
	*out = (lua_Integer)d;
	return 1;
}

/* Raises "WHO: WHAT must be one of: CHOICES (got 'S'; did you mean ...?)". */
static void choice_error(lua_State *L, const char *who, const char *what, const char *choices,
			 const char *s, size_t len)
{
	char buf[64], shown[48];
	snprintf(shown, sizeof shown, "%.*s", len > 40 ? 40 : (int)len, s);
	for (char *c = shown; *c; c++)
		if ((unsigned char)*c < 32 || *c == 127)
			*c = '?';
	const char *near = lab_didyoumean(shown, NULL, choices, buf, sizeof buf);
	if (near)
		luaL_error(L, "%s: %s must be one of: %s (got '%s'; did you mean '%s'?)", who, what,
			   choices, shown, near);
	luaL_error(L, "%s: %s must be one of: %s (got '%s')", who, what, choices, shown);
}

int lab_choice(lua_State *L, int idx, const char *who, const char *what, const char *choices)
{
	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_error(L, "%s: %s must be one of: %s (got %s)", who, what, choices,
			   luaL_typename(L, idx));
	size_t len;
	const char *s = lua_tolstring(L, idx, &len);
	int i = choice_index(choices, s, len);
	if (i < 0)
		choice_error(L, who, what, choices, s, len);
	return i;
}

/* Reads the value on top of the stack into V for option O; raises on a
 * wrong value. Leaves the stack as it was. */
static void read_value(lua_State *L, const char *who, const struct lab_opt *o, struct lab_val *v,
		       char **strbuf)
{
	int t = lua_type(L, -1);
	int ok = 1;
	switch (o->type) {
	case LAB_INT:
		if (t != LUA_TNUMBER) {
			ok = 0;
		} else if (lua_isinteger(L, -1)) {
			v->i = lua_tointeger(L, -1);
			v->num = (double)v->i;
		} else {
			v->num = lua_tonumber(L, -1);
			if (!to_integer(v->num, &v->i))
				luaL_error(L, "%s: option '%s' must be an integer (got %s)", who, o->name,
					   lua_tostring(L, -1));
		}
		break;
	case LAB_NUM:
		if (t != LUA_TNUMBER) {
			ok = 0;
			break;
		}
		v->num = lua_tonumber(L, -1);
		if (isnan(v->num) || (isinf(v->num) && !(o->flags & LAB_INF)))
			luaL_error(L, "%s: option '%s' must be a finite number", who, o->name);
		v->i = (v->num >= -0x1p63 && v->num < 0x1p63) ? (lua_Integer)v->num : 0;
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
				char what[80];
				snprintf(what, sizeof what, "option '%s'", o->name);
				choice_error(L, who, what, o->choices, s, len);
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
	if ((o->type == LAB_INT || o->type == LAB_NUM) && !in_range(o, v->num))
		range_error(L, who, o, v->num);
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
		v[i].i = (o->num >= -0x1p63 && o->num < 0x1p63) ? (lua_Integer)o->num : 0;
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

/* Stores value V of option O at its LAB_INTO member of INTO. */
static void store(lua_State *L, const struct lab_opt *o, const struct lab_val *v, char *into)
{
	char *at = into + o->into - 1;
	int bad = 0;
	switch (o->type) {
	case LAB_INT:
		if (o->size == 8) {
			uint64_t u = (uint64_t)v->i;
			memcpy(at, &u, 8);
		} else if (o->size == 4) {
			uint32_t u = (uint32_t)(uint64_t)v->i;
			memcpy(at, &u, 4);
		} else {
			bad = 1;
		}
		break;
	case LAB_NUM:
		bad = o->size != sizeof(double);
		if (!bad)
			memcpy(at, &v->num, sizeof(double));
		break;
	case LAB_BOOL:
	case LAB_ENUM: {
		int x = o->type == LAB_BOOL ? (int)v->i
			: o->values && v->choice >= 0 ? o->values[v->choice] : v->choice;
		bad = o->size != sizeof(int);
		if (!bad)
			memcpy(at, &x, sizeof(int));
		break;
	}
	case LAB_STR:
		bad = o->size != sizeof(const char *);
		if (!bad)
			memcpy(at, &v->s, sizeof(const char *));
		break;
	default:
		bad = 1;
		break;
	}
	if (bad)
		luaL_error(L, "internal error: option '%s' cannot be stored in a member of %d bytes",
			   o->name, (int)o->size);
}

const struct lab_val *lab_opts_into(lua_State *L, int idx, const char *who,
				    const struct lab_opt *spec, void *into, int flags)
{
	const struct lab_val *v = lab_opts_ex(L, idx, who, spec, flags);
	for (size_t i = 0; spec[i].name; i++)
		if (spec[i].into)
			store(L, &spec[i], &v[i], into);
	return v;
}

int lab_optsub(lua_State *L, int idx, const char *who, const char *name,
	       const struct lab_opt *spec, void *into)
{
	idx = lua_absindex(L, idx);
	int t = lab_optpush(L, idx, name);                     /* push value */
	if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
		lua_pop(L, 1);                                 /* remove it */
		lua_pushnil(L);
		return 0;
	}
	if (t != LUA_TTABLE && t != LUA_TBOOLEAN) {
		luaL_Buffer b;
		luaL_buffinit(L, &b);
		for (const struct lab_opt *o = spec; o->name; o++) {
			luaL_addstring(&b, o == spec ? "" : ", ");
			luaL_addstring(&b, o->name);
			luaL_addstring(&b, " = ");
		}
		luaL_pushresult(&b);                           /* push the names */
		return luaL_error(L, "%s: option '%s' must be {%s} or true", who, name,
				  lua_tostring(L, -1));
	}
	if (t == LUA_TBOOLEAN) {
		lua_pop(L, 1);                                 /* true: every default */
		lua_pushnil(L);
	}
	lua_pushfstring(L, "%s: %s", who, name);               /* push whom */
	lab_opts_into(L, -2, lua_tostring(L, -1), spec, into, 0); /* push box */
	lua_replace(L, -3);                                    /* box where the value was */
	lua_pop(L, 1);                                         /* remove whom */
	return 1;
}

void *lab_optlist(lua_State *L, int idx, const char *who, const char *name,
		  const struct lab_opt *spec, size_t size, size_t max, size_t *n,
		  lab_eachfn each, void *ud)
{
	idx = lua_absindex(L, idx);
	int t = lab_optpush(L, idx, name);                     /* push list */
	int list = lua_gettop(L);
	if (t != LUA_TNIL && t != LUA_TTABLE)
		luaL_error(L, "%s: option '%s' must be a list of tables", who, name);
	size_t len = t == LUA_TTABLE ? lua_rawlen(L, list) : 0;
	if (len > max)
		luaL_error(L, "%s: option '%s' holds %I elements; at most %I", who, name,
			   (lua_Integer)len, (lua_Integer)max);
	if (size && len > ((size_t)-1 >> 1) / size)
		luaL_error(L, "%s: option '%s' is too long", who, name);
	size_t bytes = len * size > 0 ? len * size : 1;
	char *arr = lua_newuserdatauv(L, bytes, 1);            /* push array */
	memset(arr, 0, bytes);
	lua_createtable(L, len < INT32_MAX ? (int)len : 0, 0);  /* the boxes, anchored */
	lua_setiuservalue(L, -2, 1);
	for (size_t i = 0; i < len; i++) {
		const char *whom = lua_pushfstring(L, "%s: %s[%I]", who, name,
						   (lua_Integer)i + 1); /* push whom */
		lua_rawgeti(L, list, (lua_Integer)i + 1);      /* push element */
		lab_opts_into(L, -1, whom, spec, arr + i * size, 0); /* push box */
		lua_getiuservalue(L, list + 1, 1);             /* push the boxes */
		lua_insert(L, -2);
		lua_rawseti(L, -2, (lua_Integer)i + 1);        /* boxes[i+1] = box */
		lua_pop(L, 1);                                 /* remove the boxes */
		if (each)
			each(L, arr + i * size, i, whom, ud);
		lua_pop(L, 2);                                 /* remove element, whom */
	}
	lua_remove(L, list);                                   /* remove the list */
	*n = len;
	return arr;
}

double *lab_checknums(lua_State *L, int idx, const char *what, size_t *n)
{
	idx = lua_absindex(L, idx);
	if (!lua_istable(L, idx))
		luaL_error(L, "%s must be a list of numbers, not %s", what, luaL_typename(L, idx));
	*n = (size_t)lua_rawlen(L, idx);
	double *v = lab_scratch(L, *n * sizeof *v);    /* push scratch */
	for (size_t i = 0; i < *n; i++) {
		int ok;
		lua_rawgeti(L, idx, (lua_Integer)i + 1); /* push t[i] */
		v[i] = lua_tonumberx(L, -1, &ok);
		if (!ok || lua_type(L, -1) != LUA_TNUMBER)
			luaL_error(L, "%s[%I] is %s%s, expected a number", what, (lua_Integer)i + 1,
				   lua_isnil(L, -1) ? "" : "a ", luaL_typename(L, -1));
		lua_pop(L, 1);                         /* remove t[i] */
	}
	return v;
}

void lab_checkclock(lua_State *L, int idx, const char *who)
{
	int t = lua_type(L, idx);
	if (t == LUA_TFUNCTION)
		return;
	int ok = 0;
	if (t == LUA_TTABLE || t == LUA_TUSERDATA) {
		ok = lua_getfield(L, idx, "now") == LUA_TFUNCTION; /* push now */
		lua_pop(L, 1);                                     /* remove it */
	}
	if (!ok)
		luaL_error(L, "%s: option 'clock' must be a lab.clock, an object with a now() "
			      "method, or a function returning the time",
			   who);
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
		} else if (o->str) {
			sbuf_addf(sb, " = %s", o->str);
		} else if (o->type == LAB_INT || o->type == LAB_NUM || o->type == LAB_BOOL) {
			sbuf_adds(sb, " = ");
			num_text(sb, o->num, o->type);
		}
		if (o->type == LAB_ENUM)
			sbuf_addf(sb, ": %s", o->choices);
		else if ((o->type == LAB_INT || o->type == LAB_NUM) && o->min < o->max) {
			sbuf_adds(sb, (o->flags & LAB_ABOVE) ? ", > " : ", ");
			num_text(sb, o->min, o->type);
			if (!isinf(o->max)) {
				sbuf_adds(sb, (o->flags & LAB_ABOVE) ? " and <= " : "..");
				num_text(sb, o->max, o->type);
			} else if (!(o->flags & LAB_ABOVE)) {
				sbuf_adds(sb, " or more");
			}
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
	int nuv = cls->uservalues > 0 ? cls->uservalues : 1;
	struct objhead *h = lua_newuserdatauv(L, OBJHEAD + size, nuv); /* push object */
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
		if (same) {
			struct objhead *h = lua_touserdata(L, 1);
			return live_body(L, h, h->cls);
		}
	}
	if (cls)
		return lab_checkobj(L, 1, cls);
	/* a shared method called on something else: name the method's class */
	const char *name = "lab object";
	if (lua_type(L, lua_upvalueindex(1)) == LUA_TTABLE &&
	    lua_getfield(L, lua_upvalueindex(1), "__name") == LUA_TSTRING) /* push name */
		name = lua_tostring(L, -1);            /* anchored in the metatable */
	luaL_typeerror(L, 1, name);
	return NULL;
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

/* A holder's header: what frees its body. */
struct holdhead {
	void (*free)(void *);
	int done;
};

#define HOLDHEAD ((sizeof(struct holdhead) + 15) & ~(size_t)15)
#define HOLDER_T "lab.holder"

static int holder_gc(lua_State *L)
{
	struct holdhead *h = lua_touserdata(L, 1);
	if (h && !h->done) {
		h->done = 1;
		if (h->free)
			h->free((char *)h + HOLDHEAD);
	}
	return 0;
}

void *lab_holder(lua_State *L, size_t size, void (*free)(void *))
{
	struct holdhead *h = lua_newuserdatauv(L, HOLDHEAD + size, 0); /* push holder */
	memset(h, 0, HOLDHEAD + size);
	h->free = free;
	if (luaL_newmetatable(L, HOLDER_T)) {                  /* push its metatable */
		lua_pushcfunction(L, holder_gc);
		lua_setfield(L, -2, "__gc");
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "__metatable");
	}
	lua_setmetatable(L, -2);                               /* pop it into the holder */
	return (char *)h + HOLDHEAD;
}

const char *lab_keep(lua_State *L, int keep)
{
	keep = lua_absindex(L, keep);
	const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
	lua_rawseti(L, keep, (lua_Integer)lua_rawlen(L, keep) + 1); /* keep[#keep+1] = value */
	return s;
}

void *lab_scratch(lua_State *L, size_t size)
{
	void *p = lua_newuserdatauv(L, size ? size : 1, 0);    /* push scratch */
	memset(p, 0, size ? size : 1);
	return p;
}

/* ---- results ---- */

/* The integer at P of the integer kind TYPE (0 for another kind). */
static lua_Integer int_at(const char *p, enum lab_ctype type)
{
	const void *v = p;
	switch (type) {
	case LAB_C_INT: case LAB_C_BOOL: return *(const int *)v;
	case LAB_C_UINT: return *(const unsigned *)v;
	case LAB_C_LONG: return *(const long *)v;
	case LAB_C_ULONG: return (lua_Integer)*(const unsigned long *)v;
	case LAB_C_LLONG: return *(const long long *)v;
	case LAB_C_ULLONG: return (lua_Integer)*(const unsigned long long *)v;
	case LAB_C_UCHAR: return *(const unsigned char *)v;
	case LAB_C_USHORT: return *(const unsigned short *)v;
	case LAB_C_SHORT: return *(const short *)v;
	case LAB_C_CBOOL: return *(const _Bool *)v;
	default: return 0;
	}
}

/* Pushes the C value at P of kind TYPE; returns 0 (nothing pushed) for a
 * value that is left out (NaN of LAB_C_OPT, NULL string). */
static int push_c(lua_State *L, const char *p, enum lab_ctype type)
{
	switch (type) {
	case LAB_C_UCHAR: case LAB_C_USHORT: case LAB_C_SHORT:
		lua_pushinteger(L, int_at(p, type));
		return 1;
	case LAB_C_CBOOL: lua_pushboolean(L, *(const _Bool *)(const void *)p); return 1;
	case LAB_C_FLOAT: lua_pushnumber(L, *(const float *)(const void *)p); return 1;
	case LAB_C_SUB: case LAB_C_STRUCTS: case LAB_C_ARRAY: case LAB_C_NAME: case LAB_C_INDEX:
	case LAB_C_FN:
		return 0; /* fields only: push_field */
	case LAB_C_DOUBLE: lua_pushnumber(L, *(const double *)(const void *)p); return 1;
	case LAB_C_INT: lua_pushinteger(L, *(const int *)(const void *)p); return 1;
	case LAB_C_UINT: lua_pushinteger(L, *(const unsigned *)(const void *)p); return 1;
	case LAB_C_LONG: lua_pushinteger(L, *(const long *)(const void *)p); return 1;
	case LAB_C_ULONG: lua_pushinteger(L, (lua_Integer)*(const unsigned long *)(const void *)p); return 1;
	case LAB_C_LLONG: lua_pushinteger(L, *(const long long *)(const void *)p); return 1;
	case LAB_C_ULLONG:
		lua_pushinteger(L, (lua_Integer)*(const unsigned long long *)(const void *)p);
		return 1;
	case LAB_C_BOOL: lua_pushboolean(L, *(const int *)(const void *)p); return 1;
	case LAB_C_OPT: {
		double x = *(const double *)(const void *)p;
		if (isnan(x))
			return 0;
		lua_pushnumber(L, x);
		return 1;
	}
	case LAB_C_STR: {
		const char *s = *(const char *const *)(const void *)p;
		if (!s)
			return 0;
		lua_pushstring(L, s);
		return 1;
	}
	case LAB_C_CHARS: lua_pushstring(L, p); return 1;
	}
	return 0;
}

static size_t c_size(enum lab_ctype type)
{
	switch (type) {
	case LAB_C_DOUBLE: case LAB_C_OPT: return sizeof(double);
	case LAB_C_INT: case LAB_C_BOOL: return sizeof(int);
	case LAB_C_UINT: return sizeof(unsigned);
	case LAB_C_LONG: case LAB_C_ULONG: return sizeof(long);
	case LAB_C_LLONG: case LAB_C_ULLONG: return sizeof(long long);
	case LAB_C_STR: return sizeof(const char *);
	case LAB_C_UCHAR: case LAB_C_CBOOL: return 1;
	case LAB_C_USHORT: case LAB_C_SHORT: return sizeof(short);
	case LAB_C_FLOAT: return sizeof(float);
	default: return 0; /* a char array; the kinds of fields only */
	}
}

/* The count member of field F of OBJ (a negative count is none). */
static size_t count_at(const char *obj, const struct lab_field *f)
{
	lua_Integer n = int_at(obj + f->count - 1, f->count_type);
	if (f->count_type == LAB_C_ULONG || f->count_type == LAB_C_ULLONG)
		return (size_t)(uint64_t)n;
	return n > 0 ? (size_t)n : 0;
}

/* Pushes field F of the struct OBJ; returns 0 (nothing pushed) for a value
 * left out. */
static int push_field(lua_State *L, const char *obj, const struct lab_field *f, const void *ud)
{
	const char *p = obj + f->offset;
	switch (f->type) {
	case LAB_C_SUB:
		lab_pushfields_ud(L, p, f->sub, ud);
		return 1;
	case LAB_C_STRUCTS: {
		size_t n = count_at(obj, f);
		lab_pushstructs(L, *(const void *const *)(const void *)p, n, f->stride, f->sub, ud);
		return 1;
	}
	case LAB_C_ARRAY: {
		size_t n = count_at(obj, f);
		lab_pusharray(L, *(const void *const *)(const void *)p, n, f->elem);
		return 1;
	}
	case LAB_C_NAME: {
		lua_Integer v = int_at(p, f->elem);
		lua_Integer i = 0;
		while (v >= 0 && i < v && f->names[i])
			i++;
		if (v >= 0 && f->names[i])
			lua_pushstring(L, f->names[i]);
		else
			lua_pushinteger(L, v);
		return 1;
	}
	case LAB_C_INDEX: lua_pushinteger(L, int_at(p, f->elem) + 1); return 1;
	case LAB_C_FN: return f->fn(L, obj, ud);
	default: return push_c(L, p, f->type);
	}
}

void lab_setfields_ud(lua_State *L, const void *obj, const struct lab_field *f, const void *ud)
{
	for (; f->name; f++)
		if (push_field(L, obj, f, ud))                 /* push value */
			lua_setfield(L, -2, f->name);          /* t[name] = it */
}

void lab_setfields(lua_State *L, const void *obj, const struct lab_field *f)
{
	lab_setfields_ud(L, obj, f, NULL);
}

void lab_pushfields_ud(lua_State *L, const void *obj, const struct lab_field *f, const void *ud)
{
	int n = 0;
	while (f[n].name)
		n++;
	lua_createtable(L, 0, n);                              /* push table */
	lab_setfields_ud(L, obj, f, ud);
}

void lab_pushfields(lua_State *L, const void *obj, const struct lab_field *f)
{
	lab_pushfields_ud(L, obj, f, NULL);
}

void lab_pushstructs(lua_State *L, const void *base, size_t n, size_t stride,
		     const struct lab_field *f, const void *ud)
{
	lua_createtable(L, n < INT32_MAX ? (int)n : 0, 0);     /* push array */
	for (size_t i = 0; i < n; i++) {
		lab_pushfields_ud(L, (const char *)base + i * stride, f, ud); /* push element */
		lua_rawseti(L, -2, (lua_Integer)i + 1);        /* array[i+1] = it */
	}
}

void lab_pusharray(lua_State *L, const void *v, size_t n, enum lab_ctype type)
{
	size_t size = c_size(type);
	lua_createtable(L, n < INT32_MAX ? (int)n : 0, 0);     /* push array */
	for (size_t i = 0; i < n && size; i++) {
		if (!push_c(L, (const char *)v + i * size, type))
			lua_pushnumber(L, NAN);               /* keep the array a sequence */
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

void lab_pushcolumns(lua_State *L, const void *base, size_t n, size_t stride,
		     const struct lab_field *f)
{
	int nf = 0;
	while (f[nf].name)
		nf++;
	lua_createtable(L, 0, nf);                             /* push columns */
	for (; f->name; f++) {
		lua_createtable(L, n < INT32_MAX ? (int)n : 0, 0); /* push column */
		for (size_t i = 0; i < n; i++) {
			if (!push_c(L, (const char *)base + i * stride + f->offset, f->type))
				lua_pushnumber(L, NAN);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_setfield(L, -2, f->name);                  /* columns[name] = it */
	}
}

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

lua_Integer lab_checkrange(lua_State *L, int arg, lua_Integer min, lua_Integer max)
{
	lua_Integer v = 0;
	if (lua_isinteger(L, arg)) {
		v = lua_tointeger(L, arg);
	} else {
		double d = luaL_checknumber(L, arg);
		if (!to_integer(d, &v))
			luaL_argerror(L, arg, lua_pushfstring(L, "an integer expected, got %s",
							      lua_tostring(L, arg)));
	}
	if (v < min || v > max)
		luaL_argerror(L, arg, lua_pushfstring(L, "must be between %I and %I (got %I)",
						      min, max, v));
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
