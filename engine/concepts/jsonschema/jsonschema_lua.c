/*
 * jsonschema_lua.c — lab.jsonschema: the Lua binding of jsonschema.h.
 *
 *   lab.jsonschema.validate(schema, value) -> true | false, errors
 *   lab.jsonschema.match(pattern, s) -> boolean
 *   lab.jsonschema.null, lab.jsonschema.array(t), lab.jsonschema.object(t)
 *
 * Schemas and values are Lua values: tables with keys 1..n are arrays,
 * tables with string keys objects, an empty table both (unless marked by
 * array() or object()), lab.jsonschema.null is null.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/jsonschema/jsonschema.h"

#include <math.h>
#include <string.h>

#define JS_DEPTH 100

static const char *const MARK = "__jsontype";

/* 1 when the metatable on top of the stack is the one lab.json puts on
 * the tables it decodes as KIND ("lab.json.array" or "lab.json.object",
 * kept in the registry by engine/concepts/json/json_lua.c).        [-0, +0] */
static int is_json_mark(lua_State *L, const char *kind)
{
	luaL_getmetatable(L, kind);
	int same = lua_rawequal(L, -1, -2);
	lua_pop(L, 1);
	return same;
}

/* The mark of the table at IDX ("null", "array", "object") or NULL: ours
 * (array(), object(), null) or lab.json's, so that a body decoded by
 * lab.json keeps its [] and {} apart here too. */
static const char *mark_of(lua_State *L, int idx)
{
	if (!lua_getmetatable(L, idx))
		return NULL;
	if (is_json_mark(L, "lab.json.array") || is_json_mark(L, "lab.json.object")) {
		const char *m = is_json_mark(L, "lab.json.array") ? "array" : "object";
		lua_pop(L, 1);
		return m;
	}
	lua_pushstring(L, MARK);
	lua_rawget(L, -2);
	const char *m = NULL;
	if (lua_type(L, -1) == LUA_TSTRING) {
		const char *s = lua_tostring(L, -1);
		m = strcmp(s, "null") == 0 ? "null" : strcmp(s, "array") == 0 ? "array"
		    : strcmp(s, "object") == 0 ? "object" : NULL;
	}
	lua_pop(L, 2);
	return m;
}

static char *copy(lua_State *L, const char *s, size_t n, const char *who)
{
	char *p = budget_malloc(n + 1);
	if (!p)
		lab_fail(L, "%s: not enough memory", who);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void sort_keys(struct jv *v)
{
	for (size_t i = 1; i < v->n; i++)
		for (size_t j = i; j > 0; j--) {
			size_t a = v->klens[j - 1], b = v->klens[j];
			int c = memcmp(v->keys[j - 1], v->keys[j], a < b ? a : b);
			if (c < 0 || (c == 0 && a <= b))
				break;
			char *k = v->keys[j];
			v->keys[j] = v->keys[j - 1];
			v->keys[j - 1] = k;
			v->klens[j] = a;
			v->klens[j - 1] = b;
			struct jv t = v->items[j];
			v->items[j] = v->items[j - 1];
			v->items[j - 1] = t;
		}
}

static void to_jv(lua_State *L, int idx, struct jv *v, int depth, const char *who);

static void table_to_jv(lua_State *L, int idx, struct jv *v, int depth, const char *who)
{
	const char *mark = mark_of(L, idx);
	if (mark && strcmp(mark, "null") == 0) {
		v->t = JV_NULL;
		return;
	}
	size_t count = 0, ints = 0, strs = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		count++;
		if (lua_type(L, -2) == LUA_TSTRING)
			strs++;
		else if (lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1)
			ints++;
		lua_pop(L, 1);
	}
	int arr = mark ? strcmp(mark, "array") == 0 : count > 0 && ints == count;
	if (count == 0) {
		v->t = !mark ? JV_EMPTY : arr ? JV_ARR : JV_OBJ;
		return;
	}
	if (arr && (ints != count || lua_rawlen(L, idx) != count))
		luaL_error(L, "%s: a list has keys 1 to n and nothing else", who);
	if (!arr && strs != count)
		luaL_error(L, "%s: an object has string keys only (a table mixes keys?)", who);
	v->t = arr ? JV_ARR : JV_OBJ;
	v->items = budget_calloc(count, sizeof *v->items);
	if (!arr) {
		v->keys = budget_calloc(count, sizeof *v->keys);
		v->klens = budget_calloc(count, sizeof *v->klens);
	}
	if (!v->items || (!arr && (!v->keys || !v->klens)))
		lab_fail(L, "%s: not enough memory", who);
	v->n = count;
	if (arr) {
		for (size_t i = 0; i < count; i++) {
			lua_rawgeti(L, idx, (lua_Integer)i + 1);
			to_jv(L, lua_gettop(L), &v->items[i], depth + 1, who);
			lua_pop(L, 1);
		}
		return;
	}
	size_t i = 0;
	lua_pushnil(L);
	while (lua_next(L, idx) && i < count) {
		size_t kl;
		const char *k = lua_tolstring(L, -2, &kl);  /* a string key: no conversion */
		v->keys[i] = copy(L, k, kl, who);
		v->klens[i] = kl;
		to_jv(L, lua_gettop(L), &v->items[i], depth + 1, who);
		lua_pop(L, 1);
		i++;
	}
	sort_keys(v);
}

static void to_jv(lua_State *L, int idx, struct jv *v, int depth, const char *who)
{
	if (depth > JS_DEPTH)
		luaL_error(L, "%s: nested deeper than %d (a table that contains itself?)", who,
			   JS_DEPTH);
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		v->t = JV_NULL;
		return;
	case LUA_TBOOLEAN:
		v->t = JV_BOOL;
		v->b = lua_toboolean(L, idx);
		return;
	case LUA_TNUMBER:
		v->t = JV_NUM;
		v->num = lua_tonumber(L, idx);
		if (!isfinite(v->num))
			luaL_error(L, "%s: JSON has no infinite or NaN number", who);
		return;
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		v->t = JV_STR;
		v->s = copy(L, s, n, who);
		v->len = n;
		return;
	}
	case LUA_TTABLE:
		luaL_checkstack(L, 8, who);
		table_to_jv(L, idx, v, depth, who);
		return;
	default:
		/* lab.json.null, the userdata lab.json keeps in the registry */
		lua_getfield(L, LUA_REGISTRYINDEX, "lab.json.null");
		if (lua_type(L, idx) == LUA_TUSERDATA && lua_rawequal(L, -1, idx)) {
			lua_pop(L, 1);
			v->t = JV_NULL;
			return;
		}
		lua_pop(L, 1);
		luaL_error(L, "%s: a %s is not a JSON value", who, luaL_typename(L, idx));
	}
}

static void free_jv(void *p)
{
	jv_free(p);
}

static void free_result(void *p)
{
	js_result_free(p);
}

static int l_validate(lua_State *L)
{
	const char *who = "lab.jsonschema.validate";
	lua_settop(L, 2);
	struct jv *s = lab_holder(L, sizeof *s, free_jv);     /* push holder 3 */
	struct jv *v = lab_holder(L, sizeof *v, free_jv);     /* push holder 4 */
	to_jv(L, 1, s, 0, who);
	to_jv(L, 2, v, 0, who);
	struct js_result *r = lab_holder(L, sizeof *r, free_result); /* push 5 */
	int rc = js_validate(s, v, r);
	if (rc == -2)
		return lab_fail(L, "%s: stopped", who);
	if (rc != 0)
		return lab_fail(L, "%s: not enough memory", who);
	if (r->refused)
		return luaL_error(L, "%s: %s", who, r->refused);
	lua_pushboolean(L, r->n == 0);
	if (r->n == 0)
		return 1;
	lua_createtable(L, (int)r->n, 0);
	for (size_t i = 0; i < r->n; i++) {
		lua_createtable(L, 0, 3);
		lab_setstr(L, "path", r->errors[i].path);
		lab_setstr(L, "keyword", r->errors[i].keyword);
		lab_setstr(L, "message", r->errors[i].message);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 2;
}

static int l_match(lua_State *L)
{
	size_t pl, sl;
	const char *p = luaL_checklstring(L, 1, &pl);
	const char *s = luaL_checklstring(L, 2, &sl);
	const char *why = NULL;
	int m = js_regex_match(p, pl, s, sl, &why);
	if (m == -2)
		return lab_fail(L, "lab.jsonschema.match: not enough memory");
	if (m == -1)
		return luaL_error(L, "lab.jsonschema.match: %s", why);
	lua_pushboolean(L, m);
	return 1;
}

/* Sets on the table at 1 a metatable marking it as KIND, and returns it. */
static int mark(lua_State *L, const char *kind)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lua_createtable(L, 0, 1);
	lua_pushstring(L, kind);
	lua_setfield(L, -2, MARK);
	lua_setmetatable(L, 1);
	return 1;
}

static int l_array(lua_State *L)
{
	if (lua_isnoneornil(L, 1)) {
		lua_settop(L, 0);
		lua_newtable(L);
	}
	return mark(L, "array");
}

static int l_object(lua_State *L)
{
	if (lua_isnoneornil(L, 1)) {
		lua_settop(L, 0);
		lua_newtable(L);
	}
	return mark(L, "object");
}

static int null_tostring(lua_State *L)
{
	lua_pushliteral(L, "null");
	return 1;
}

/* Called when the namespace table is built: adds lab.jsonschema.null. */
static void add_null(lua_State *L)
{
	lua_newtable(L);
	lua_createtable(L, 0, 2);
	lua_pushstring(L, "null");
	lua_setfield(L, -2, MARK);
	lua_pushcfunction(L, null_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_setmetatable(L, -2);
	lua_setfield(L, -2, "null");
}

static const luaL_Reg functions[] = {
	{"validate", l_validate}, {"match", l_match}, {"array", l_array}, {"object", l_object},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_jsonschema = {
	.functions = functions,
	.fields = add_null,
};
