/*
 * json_lua.c — lab.json: JSON text to Lua values and back (json.h).
 *
 *   lab.json.decode(text [, opts]) -> value | nil, err, line, column
 *   lab.json.encode(value [, opts]) -> text (compact, one line)
 *   lab.json.null   lab.json.array(t)   lab.json.object(t)
 *
 * Decoded arrays and objects carry a metatable saying which they are
 * (getmetatable(t) is "json.array" or "json.object"), so encode writes an
 * empty one back as it was. Object keys are written sorted (byte order):
 * Lua tables have no order, and the same value must give the same text.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/json/json.h"

#include <stdlib.h>
#include <string.h>

#define MT_ARRAY "lab.json.array"
#define MT_OBJECT "lab.json.object"
#define NULL_KEY "lab.json.null"

/* Pushes the metatable marking arrays (KIND 'a') or objects ('o'),
 * made on first use. Its __metatable hides and protects it.      [-0, +1] */
static void push_mark(lua_State *L, char kind)
{
	if (luaL_newmetatable(L, kind == 'a' ? MT_ARRAY : MT_OBJECT)) {
		lua_pushstring(L, kind == 'a' ? "json.array" : "json.object");
		lua_setfield(L, -2, "__metatable");
	}
}

static int null_tostring(lua_State *L)
{
	lua_pushliteral(L, "lab.json.null");
	return 1;
}

/* Pushes lab.json.null, one userdata per Lua state.                [-0, +1] */
static void push_null(lua_State *L)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, NULL_KEY) != LUA_TNIL)
		return;
	lua_pop(L, 1);                                   /* pop nil */
	lua_newuserdatauv(L, 0, 0);                      /* push null */
	lua_createtable(L, 0, 3);                        /* push its metatable */
	lua_pushcfunction(L, null_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushliteral(L, "json.null");
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);                         /* pop metatable */
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, NULL_KEY);    /* pop copy */
}

/* ---- decode ---- */

enum { DUP_LAST, DUP_FIRST, DUP_ERROR };

static const struct lab_opt decode_opts[] = {
	{"max_depth", LAB_INT, .num = JSON_DEFAULT_DEPTH, .min = 1, .max = 100000,
	 .help = "arrays and objects nested deeper are an error"},
	{"duplicate_keys", LAB_ENUM, .str = "last", .choices = "last first error",
	 .help = "which of a repeated key's values is kept, or an error"},
	{"lone_surrogates", LAB_ENUM, .str = "error", .choices = "error replace",
	 .help = "a \\uD800-\\uDFFF escape without its pair: an error, or U+FFFD"},
	{NULL},
};

struct dctx {
	lua_State *L;
	int dup;
	int msg; /* stack slot holding the last error message */
};

static const char *on_event(void *ud, const struct json_event *ev)
{
	struct dctx *c = ud;
	lua_State *L = c->L;
	switch (ev->kind) {
	case JSON_ARRAY:
	case JSON_OBJECT:
		luaL_checkstack(L, 6, "JSON nesting");
		lua_newtable(L);                         /* push container */
		push_mark(L, ev->kind == JSON_ARRAY ? 'a' : 'o');
		lua_setmetatable(L, -2);                 /* pop mark */
		return NULL;
	case JSON_KEY:
		lua_pushlstring(L, ev->s, ev->len);     /* push key */
		if (c->dup == DUP_ERROR) {
			lua_pushvalue(L, -1);
			if (lua_rawget(L, -3) != LUA_TNIL) { /* push old value */
				lua_pushfstring(L, "duplicate key \"%s\"", lua_tostring(L, -2));
				lua_replace(L, c->msg);
				return lua_tostring(L, c->msg);
			}
			lua_pop(L, 1);                       /* pop nil */
		}
		return NULL;
	case JSON_END:
		break;                                   /* the container is on top */
	case JSON_NULL: push_null(L); break;
	case JSON_TRUE: lua_pushboolean(L, 1); break;
	case JSON_FALSE: lua_pushboolean(L, 0); break;
	case JSON_INT: lua_pushinteger(L, (lua_Integer)ev->i); break;
	case JSON_FLOAT: lua_pushnumber(L, (lua_Number)ev->d); break;
	case JSON_STRING: lua_pushlstring(L, ev->s, ev->len); break;
	}
	if (ev->parent == 'a') {
		lua_rawseti(L, -2, (lua_Integer)ev->index);   /* pop value */
	} else if (ev->parent == 'o') {
		if (c->dup == DUP_FIRST) {
			lua_pushvalue(L, -2);
			if (lua_rawget(L, -4) != LUA_TNIL) {  /* push old value */
				lua_pop(L, 3);                 /* keep the first */
				return NULL;
			}
			lua_pop(L, 1);                         /* pop nil */
		}
		lua_rawset(L, -3);                             /* pop key, value */
	}
	return NULL;
}

static void free_parser(void *p)
{
	json_parser_free(p);
}

static int l_decode(lua_State *L)
{
	size_t len;
	const char *text = luaL_checklstring(L, 1, &len);
	const struct lab_val *v = lab_opts(L, 2, "lab.json.decode", decode_opts);
	struct json_options o = {.max_depth = (size_t)v[0].i,
	                         .lone = v[2].choice ? JSON_LONE_REPLACE : JSON_LONE_ERROR};
	struct dctx c = {.L = L, .dup = v[1].choice};
	/* the parser belongs to a userdata: a Lua error in a callback leaks nothing */
	struct json_parser *p = lab_holder(L, sizeof *p, free_parser);  /* push holder */
	json_parser_init(p, &o);
	lua_pushnil(L);                                                /* push msg slot */
	c.msg = lua_gettop(L);
	int base = c.msg;
	struct json_error e;
	int rc = json_parser_run(p, text, len, on_event, &c, &e);
	json_parser_free(p);
	if (rc == -2)
		return lab_fail(L, "lab.json.decode: %s", e.why);
	if (rc != 0) {
		lua_settop(L, base);
		lua_pushnil(L);
		lua_pushfstring(L, "line %I, column %I: %s", (lua_Integer)e.line,
		                (lua_Integer)e.column, e.why);
		lua_pushinteger(L, (lua_Integer)e.line);
		lua_pushinteger(L, (lua_Integer)e.column);
		return 4;
	}
	return 1;                                                      /* the value */
}

/* ---- encode ---- */

static const struct lab_opt encode_opts[] = {
	/* encode recurses in C: the range keeps its stack use small */
	{"max_depth", LAB_INT, .num = JSON_DEFAULT_DEPTH, .min = 1, .max = 1000,
	 .help = "tables nested deeper are an error (a table holding itself)"},
	{"ascii", LAB_BOOL, .num = 0, .help = "write non-ASCII characters as \\u escapes"},
	{NULL},
};

struct ectx {
	lua_State *L;
	struct json_buf out, path;
	int ascii;
	size_t max_depth;
};

static void free_ectx(void *p)
{
	struct ectx *e = p;
	json_buf_free(&e->out);
	json_buf_free(&e->path);
}

/* Raises "lab.json.encode: PATH: message"; a long path shows its two ends. */
static int efail(struct ectx *e, const char *fmt, const char *detail)
{
	lua_State *L = e->L;
	const char *msg = lua_pushfstring(L, fmt, detail);
	if (e->path.len <= 100)
		return luaL_error(L, "lab.json.encode: %s: %s", e->path.p, msg);
	lua_pushlstring(L, e->path.p, 40);
	return luaL_error(L, "lab.json.encode: %s ... %s: %s", lua_tostring(L, -1),
	                  e->path.p + e->path.len - 40, msg);
}

static void eadd(struct ectx *e, struct json_buf *b, const char *s, size_t n)
{
	if (json_buf_add(b, s, n) != 0)
		lab_fail(e->L, "lab.json.encode: not enough memory");
}

struct key {
	const char *s;
	size_t len;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void encode_value(struct ectx *e, int idx, size_t depth);

/* The kind of the table at IDX: 'a' (array of N), 'o' (object), 'n' (null:
 * lab.jsonschema.null), or an error. */
static char table_kind(struct ectx *e, int idx, lua_Integer *n)
{
	*n = (lua_Integer)lua_rawlen(e->L, idx);
	if (lua_getmetatable(e->L, idx)) {                   /* push mt */
		push_mark(e->L, 'a');
		int is_array = lua_rawequal(e->L, -1, -2);
		lua_pop(e->L, 1);
		push_mark(e->L, 'o');
		int is_object = lua_rawequal(e->L, -1, -2);
		lua_pop(e->L, 1);                            /* pop mark */
		char other = 0;
		if (!is_array && !is_object) {
			/* lab.jsonschema's marks: the field __jsontype of the
			 * metatable says "array", "object" or "null" */
			lua_pushliteral(e->L, "__jsontype");
			lua_rawget(e->L, -2);                /* push mt.__jsontype */
			const char *t = lua_type(e->L, -1) == LUA_TSTRING ? lua_tostring(e->L, -1) : "";
			other = strcmp(t, "array") == 0 ? 'a' : strcmp(t, "object") == 0 ? 'o'
			      : strcmp(t, "null") == 0 ? 'n' : 0;
			lua_pop(e->L, 1);                    /* pop it */
		}
		lua_pop(e->L, 1);                            /* pop mt */
		if (is_array || is_object)
			return is_array ? 'a' : 'o';
		if (other)
			return other;
	}
	lua_Integer ints = 0, others = 0;
	lua_pushnil(e->L);
	while (lua_next(e->L, idx)) {
		lua_pop(e->L, 1);                            /* pop value */
		if (lua_isinteger(e->L, -1) && lua_tointeger(e->L, -1) >= 1 &&
		    lua_tointeger(e->L, -1) <= *n)
			ints++;
		else
			others++;
	}
	if (ints == 0 && others == 0)
		return 'o';
	if (others == 0 && ints == *n)
		return 'a';
	if (ints == 0)
		return 'o';
	return 'm';
}

static void encode_array(struct ectx *e, int idx, lua_Integer n, size_t depth)
{
	eadd(e, &e->out, "[", 1);
	size_t mark = e->path.len;
	for (lua_Integer i = 1; i <= n; i++) {
		if (i > 1)
			eadd(e, &e->out, ",", 1);
		char t[32];
		int k = snprintf(t, sizeof t, "[%lld]", (long long)i);
		eadd(e, &e->path, t, (size_t)k);
		lua_rawgeti(e->L, idx, i);                   /* push item */
		encode_value(e, lua_gettop(e->L), depth + 1);
		lua_pop(e->L, 1);                            /* pop item */
		e->path.len = mark;
		e->path.p[mark] = '\0';
	}
	eadd(e, &e->out, "]", 1);
}

static void encode_object(struct ectx *e, int idx, size_t depth)
{
	lua_State *L = e->L;
	size_t n = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			efail(e, "an object key must be a string, not a %s", luaL_typename(L, -1));
		n++;
	}
	/* the keys stay anchored in the table at IDX while we hold them */
	struct key *keys = lua_newuserdatauv(L, n * sizeof *keys + 1, 0); /* push keys */
	size_t i = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);                               /* pop value */
		keys[i].s = lua_tolstring(L, -1, &keys[i].len);
		i++;
	}
	qsort(keys, i, sizeof *keys, key_cmp);
	eadd(e, &e->out, "{", 1);
	size_t mark = e->path.len;
	for (size_t k = 0; k < i; k++) {
		if (k > 0)
			eadd(e, &e->out, ",", 1);
		size_t bad;
		int rc = json_write_string(&e->out, keys[k].s, keys[k].len, e->ascii, &bad);
		if (rc == -2)
			lab_fail(L, "lab.json.encode: not enough memory");
		if (rc == -1)
			efail(e, "an object key is not valid UTF-8", NULL);
		eadd(e, &e->out, ":", 1);
		eadd(e, &e->path, ".", 1);
		eadd(e, &e->path, keys[k].s, keys[k].len);
		lua_pushlstring(L, keys[k].s, keys[k].len);  /* push key */
		lua_rawget(L, idx);                          /* replace with value */
		encode_value(e, lua_gettop(L), depth + 1);
		lua_pop(L, 1);                               /* pop value */
		e->path.len = mark;
		e->path.p[mark] = '\0';
	}
	lua_pop(L, 1);                                       /* pop keys */
	eadd(e, &e->out, "}", 1);
}

static void encode_value(struct ectx *e, int idx, size_t depth)
{
	lua_State *L = e->L;
	size_t len, bad;
	int rc;
	switch (lua_type(L, idx)) {
	case LUA_TNIL: eadd(e, &e->out, "null", 4); return;
	case LUA_TBOOLEAN:
		if (lua_toboolean(L, idx))
			eadd(e, &e->out, "true", 4);
		else
			eadd(e, &e->out, "false", 5);
		return;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			rc = json_write_int(&e->out, (int64_t)lua_tointeger(L, idx));
		else
			rc = json_write_double(&e->out, (double)lua_tonumber(L, idx));
		if (rc == -1) {
			double d = (double)lua_tonumber(L, idx);
			efail(e, "%s has no JSON form (numbers must be finite)",
			      d != d ? "NaN" : d > 0 ? "infinity" : "-infinity");
		}
		if (rc == -2)
			lab_fail(L, "lab.json.encode: not enough memory");
		return;
	case LUA_TSTRING: {
		const char *s = lua_tolstring(L, idx, &len);
		rc = json_write_string(&e->out, s, len, e->ascii, &bad);
		if (rc == -2)
			lab_fail(L, "lab.json.encode: not enough memory");
		if (rc == -1) {
			lua_pushfstring(L, "%I", (lua_Integer)bad);
			efail(e, "the string is not valid UTF-8 (byte %s)", lua_tostring(L, -1));
		}
		return;
	}
	case LUA_TTABLE: break;
	default:
		push_null(L);
		if (lua_rawequal(L, -1, idx)) {
			lua_pop(L, 1);
			eadd(e, &e->out, "null", 4);
			return;
		}
		efail(e, "a %s has no JSON form", luaL_typename(L, idx));
	}
	if (depth >= e->max_depth)
		efail(e, "nested deeper than max_depth (does a table contain itself?)", NULL);
	luaL_checkstack(L, 8, "JSON nesting");
	lua_Integer n;
	char kind = table_kind(e, idx, &n);
	if (kind == 'm')
		efail(e, "a table with both list items (1..n) and other keys, or with holes, "
		         "has no JSON form",
		      NULL);
	if (kind == 'n') {
		eadd(e, &e->out, "null", 4);
		return;
	}
	if (kind == 'a')
		encode_array(e, idx, n, depth);
	else
		encode_object(e, idx, depth);
}

static int l_encode(lua_State *L)
{
	luaL_checkany(L, 1);
	const struct lab_val *v = lab_opts(L, 2, "lab.json.encode", encode_opts);
	struct ectx *e = lab_holder(L, sizeof *e, free_ectx);       /* push holder */
	e->L = L;
	e->ascii = (int)v[1].i;
	e->max_depth = (size_t)v[0].i;
	eadd(e, &e->path, "$", 1);
	encode_value(e, 1, 0);
	lua_pushlstring(L, e->out.p, e->out.len);                   /* push text */
	free_ectx(e);
	return 1;
}

/* ---- marks ---- */

static int mark(lua_State *L, char kind)
{
	if (lua_isnoneornil(L, 1)) {
		lua_settop(L, 0);
		lua_newtable(L);
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	push_mark(L, kind);
	lua_setmetatable(L, 1);
	return 1;
}

static int l_array(lua_State *L)
{
	return mark(L, 'a');
}

static int l_object(lua_State *L)
{
	return mark(L, 'o');
}

static void fields(lua_State *L)
{
	push_null(L);
	lua_setfield(L, -2, "null");
}

static const luaL_Reg functions[] = {
	{"decode", l_decode}, {"encode", l_encode}, {"array", l_array}, {"object", l_object},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_json = {
	.functions = functions,
	.fields = fields,
	.options = (const struct lab_fnopts[]){{"decode", decode_opts}, {"encode", encode_opts}, {NULL}},
};
