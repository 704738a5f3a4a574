/*
 * schema_lua.c — lab.schema: the Lua binding of schema.h.
 *
 * Sets of attributes are written "ABC" (capital letters only: one attribute
 * each) or "order_id, product, qty" (names separated by commas or spaces),
 * or given as a list of names; dependencies as "A -> BC" (or {"A", "BC"}). Results come back in
 * the same style: letters run together when every name is one character,
 * else names joined by ", ", sorted.
 *
 *   lab.schema.closure(x, fds)         lab.schema.keys([r,] fds)
 *   lab.schema.normal_form([r,] fds)   lab.schema.cover(fds)
 *   lab.schema.decompose([r,] fds, "bcnf" | "3nf")
 *   lab.schema.lossless([r,] fds, parts)  lab.schema.preserving(fds, parts)
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/schema/schema.h"

#include <stdlib.h>
#include <string.h>

/* Attribute names of one call: NAMES (a Lua table name -> bit) sits at
 * stack index IDX; LIST[bit] points at the anchored names, sorted. */
struct names {
	lua_State *L;
	int idx;
	const char *list[64];
	size_t len[64];
	int n;
	int single;     /* every name is one character */
	int collecting; /* first pass: gather names */
	attrs set;      /* second pass: the set being built */
	const char *who;
};

/* Calls ADD(NAME, LEN) for every name of the set written at stack IDX. */
static void each_name(struct names *nm, int idx, void (*add)(struct names *, const char *, size_t))
{
	lua_State *L = nm->L;
	if (lua_type(L, idx) == LUA_TTABLE) {
		lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, idx, i);                /* push name */
			size_t len;
			const char *s = lua_tolstring(L, -1, &len);
			if (!s || lua_type(L, -1) != LUA_TSTRING || !len)
				luaL_error(L, "%s: a list of attributes holds names (strings)", nm->who);
			add(nm, s, len);               /* anchored: the list holds it */
			lua_pop(L, 1);
		}
		return;
	}
	size_t len;
	const char *s = lua_tolstring(L, idx, &len);
	if (!s || lua_type(L, idx) != LUA_TSTRING)
		luaL_error(L, "%s: attributes are a string like \"AB\" or \"a, b\", or a list",
			   nm->who);
	/* "ABC" is three attributes; anything else but capitals is names */
	int names = 0;
	for (size_t i = 0; i < len; i++)
		if (!(s[i] >= 'A' && s[i] <= 'Z'))
			names = 1;
	for (size_t i = 0; i < len;) {
		if (s[i] == ',' || s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		size_t j = i + 1;
		if (names)
			while (j < len && s[j] != ',' && s[j] != ' ' && s[j] != '\t')
				j++;
		add(nm, s + i, j - i);
		i = j;
	}
}

static void collect(struct names *nm, const char *s, size_t len)
{
	lua_State *L = nm->L;
	lua_pushlstring(L, s, len);                            /* push name */
	lua_pushboolean(L, 1);
	lua_rawset(L, nm->idx);                                /* names[name] = true */
}

static void lookup(struct names *nm, const char *s, size_t len)
{
	lua_State *L = nm->L;
	lua_pushlstring(L, s, len);
	lua_rawget(L, nm->idx);                                /* push bit */
	nm->set |= (attrs)1 << lua_tointeger(L, -1);
	lua_pop(L, 1);
}

/* The two sides of the dependency at IDX, as stack indices (pushed). */
static void fd_sides(struct names *nm, int idx, int i)
{
	lua_State *L = nm->L;
	if (lua_type(L, idx) == LUA_TTABLE) {
		lua_rawgeti(L, idx, 1);
		lua_rawgeti(L, idx, 2);
		if (lua_isnil(L, -1) || lua_isnil(L, -2))
			luaL_error(L, "%s: dependency %d must be {lhs, rhs}", nm->who, i);
		return;
	}
	size_t len;
	const char *s = lua_tolstring(L, idx, &len);
	const char *arrow = s && lua_type(L, idx) == LUA_TSTRING ? strstr(s, "->") : NULL;
	if (!arrow)
		luaL_error(L, "%s: dependency %d must be written \"A -> B\"", nm->who, i);
	size_t a = (size_t)(arrow - s);
	while (a && s[a - 1] == ' ')
		a--;
	const char *r = arrow + 2;
	while (*r == ' ')
		r++;
	lua_pushlstring(L, s, a);
	lua_pushstring(L, r);
	if (!a || !*r)
		luaL_error(L, "%s: dependency %d has an empty side", nm->who, i);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Reads relation R (at R_IDX, 0: none) and the dependencies at F_IDX (and
 * the list of sets at EXTRA, 0: none) into NM (pushing its table), *F (a
 * scratch userdata, pushed) and *N; returns R (every attribute if none). */
static attrs read_all(lua_State *L, struct names *nm, int r_idx, int f_idx, int extra,
		      struct fd **f, size_t *n)
{
	luaL_checktype(L, f_idx, LUA_TTABLE);
	lua_newtable(L);                                       /* push names */
	nm->L = L;
	nm->idx = lua_gettop(L);
	size_t nf = lua_rawlen(L, f_idx);
	for (int pass = 0; pass < 2; pass++) {
		void (*add)(struct names *, const char *, size_t) = pass ? lookup : collect;
		if (r_idx)
			each_name(nm, r_idx, add);
		for (size_t i = 1; i <= nf; i++) {
			lua_rawgeti(L, f_idx, (lua_Integer)i);         /* push fd */
			int top = lua_gettop(L);
			fd_sides(nm, top, (int)i);             /* push lhs, rhs */
			nm->set = 0;
			each_name(nm, top + 1, add);
			if (pass)
				(*f)[i - 1].lhs = nm->set;
			nm->set = 0;
			each_name(nm, top + 2, add);
			if (pass)
				(*f)[i - 1].rhs = nm->set;
			lua_settop(L, top - 1);
		}
		if (extra) {
			size_t ne = lua_rawlen(L, extra);
			for (size_t i = 1; i <= ne; i++) {
				lua_rawgeti(L, extra, (lua_Integer)i);
				each_name(nm, lua_gettop(L), add);
				lua_pop(L, 1);
			}
		}
		if (pass == 0) { /* number the names, sorted */
			nm->n = 0;
			nm->single = 1;
			lua_pushnil(L);
			while (lua_next(L, nm->idx)) {         /* push name, true */
				lua_pop(L, 1);
				if (nm->n == 64)
					luaL_error(L, "%s: at most 64 attributes", nm->who);
				nm->list[nm->n] = lua_tolstring(L, -1, &nm->len[nm->n]); /* anchored: a key */
				if (strlen(nm->list[nm->n]) != nm->len[nm->n])
					luaL_error(L, "%s: an attribute's name holds a NUL byte", nm->who);
				nm->single &= nm->len[nm->n] == 1;
				nm->n++;
			}
			qsort(nm->list, (size_t)nm->n, sizeof *nm->list, by_name);
			for (int b = 0; b < nm->n; b++) {
				nm->len[b] = strlen(nm->list[b]); /* names hold no NUL: checked */
				lua_pushstring(L, nm->list[b]);
				lua_pushinteger(L, b);
				lua_rawset(L, nm->idx);        /* names[name] = bit */
			}
			/* the strings stay anchored: keys of the table */
			*f = lua_newuserdatauv(L, (nf ? nf : 1) * sizeof **f, 0); /* push scratch */
			*n = nf;
		}
	}
	nm->set = 0;
	if (r_idx)
		each_name(nm, r_idx, lookup);
	else
		nm->set = nm->n == 64 ? ~(attrs)0 : ((attrs)1 << nm->n) - 1;
	return nm->set;
}

static void push_set(lua_State *L, const struct names *nm, attrs s)
{
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	int first = 1;
	for (int i = 0; i < nm->n; i++)
		if (s >> i & 1) {
			if (!first && !nm->single)
				luaL_addstring(&b, ", ");
			luaL_addlstring(&b, nm->list[i], nm->len[i]);
			first = 0;
		}
	luaL_pushresult(&b);
}

static void push_fd(lua_State *L, const struct names *nm, const struct fd *d)
{
	push_set(L, nm, d->lhs);
	lua_pushliteral(L, " -> ");
	push_set(L, nm, d->rhs);
	lua_concat(L, 3);
}

/* keys([r,] fds), normal_form([r,] fds): two arguments give the relation. */
static int has_relation(lua_State *L)
{
	return lua_gettop(L) >= 2 && !lua_isnil(L, 2);
}

static int l_closure(lua_State *L)
{
	struct names nm = {.who = "lab.schema.closure"};
	struct fd *f;
	size_t n;
	attrs x = read_all(L, &nm, 1, 2, 0, &f, &n);
	push_set(L, &nm, schema_closure(x, f, n));
	return 1;
}

static int l_keys(lua_State *L)
{
	struct names nm = {.who = "lab.schema.keys"};
	int rel = has_relation(L);
	struct fd *f;
	size_t n;
	attrs r = read_all(L, &nm, rel ? 1 : 0, rel ? 2 : 1, 0, &f, &n);
	attrs keys[512];
	int k = schema_keys(r, f, n, keys, 512);
	if (k < 0 || k > 512)
		return luaL_error(L, "lab.schema.keys: too many attributes to search (at most %d "
				     "in keys and dependencies)", SCHEMA_MAX_SEARCH);
	lua_createtable(L, k, 0);
	for (int i = 0; i < k; i++) {
		push_set(L, &nm, keys[i]);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

static int l_normal_form(lua_State *L)
{
	struct names nm = {.who = "lab.schema.normal_form"};
	int rel = has_relation(L);
	struct fd *f, why;
	size_t n;
	attrs r = read_all(L, &nm, rel ? 1 : 0, rel ? 2 : 1, 0, &f, &n);
	int form = schema_normal_form(r, f, n, &why);
	static const char *const names[] = {"", "1NF", "2NF", "3NF", "BCNF"};
	if (form < 0)
		return luaL_error(L, "lab.schema.normal_form: too many attributes to search");
	lua_pushstring(L, names[form]);
	if (form == 4)
		return 1;
	push_fd(L, &nm, &why);
	return 2;
}

static int l_cover(lua_State *L)
{
	struct names nm = {.who = "lab.schema.cover"};
	struct fd *f;
	size_t n;
	read_all(L, &nm, 0, 1, 0, &f, &n);
	struct fd *out = lua_newuserdatauv(L, (64 * n + 1) * sizeof *out, 0); /* scratch */
	size_t m = schema_cover(f, n, out);
	lua_createtable(L, (int)m, 0);
	for (size_t i = 0; i < m; i++) {
		push_fd(L, &nm, &out[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* Orders sets as their text sorts: the first attribute one has and the
 * other lacks decides, unless the other has nothing after it (a prefix). */
static int by_text(const void *pa, const void *pb)
{
	attrs a = *(const attrs *)pa, b = *(const attrs *)pb, d = a ^ b;
	if (!d)
		return 0;
	int i = __builtin_ctzll(d);
	attrs later = i == 63 ? 0 : ~(((attrs)2 << i) - 1);
	if (a >> i & 1)
		return (b & later) ? -1 : 1;
	return (a & later) ? 1 : -1;
}

static int l_decompose(lua_State *L)
{
	struct names nm = {.who = "lab.schema.decompose"};
	int rel = lua_gettop(L) >= 3;
	const char *form = luaL_checkstring(L, rel ? 3 : 2);
	int bcnf = strcmp(form, "bcnf") == 0;
	if (!bcnf && strcmp(form, "3nf") != 0)
		return luaL_error(L, "lab.schema.decompose: the form is \"bcnf\" or \"3nf\"");
	struct fd *f;
	size_t n;
	attrs r = read_all(L, &nm, rel ? 1 : 0, rel ? 2 : 1, 0, &f, &n);
	attrs rels[64];
	int k = bcnf ? schema_bcnf(r, f, n, rels, 64) : schema_3nf(r, f, n, rels, 64);
	if (k < 0 || k > 64)
		return luaL_error(L, "lab.schema.decompose: too many attributes to search");
	qsort(rels, (size_t)k, sizeof *rels, by_text);
	lua_createtable(L, k, 0);
	for (int i = 0; i < k; i++) {
		push_set(L, &nm, rels[i]);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

/* Reads the list of parts at IDX into PARTS (at most 64). */
static int read_parts(lua_State *L, struct names *nm, int idx, attrs *parts)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	int k = (int)lua_rawlen(L, idx);
	if (k > 64)
		luaL_error(L, "%s: at most 64 parts", nm->who);
	for (int i = 0; i < k; i++) {
		lua_rawgeti(L, idx, i + 1);
		nm->set = 0;
		each_name(nm, lua_gettop(L), lookup);
		parts[i] = nm->set;
		lua_pop(L, 1);
	}
	return k;
}

static int l_lossless(lua_State *L)
{
	struct names nm = {.who = "lab.schema.lossless"};
	int rel = lua_gettop(L) >= 3;
	struct fd *f;
	size_t n;
	int pidx = rel ? 3 : 2;
	attrs r = read_all(L, &nm, rel ? 1 : 0, rel ? 2 : 1, pidx, &f, &n), parts[64];
	int k = read_parts(L, &nm, pidx, parts);
	lua_pushboolean(L, schema_lossless(r, f, n, parts, k));
	return 1;
}

static int l_preserving(lua_State *L)
{
	struct names nm = {.who = "lab.schema.preserving"};
	struct fd *f;
	size_t n;
	attrs parts[64];
	read_all(L, &nm, 0, 1, 2, &f, &n);
	int k = read_parts(L, &nm, 2, parts);
	lua_pushboolean(L, schema_preserving(f, n, parts, k));
	return 1;
}

static const luaL_Reg functions[] = {
	{"closure", l_closure},     {"keys", l_keys},         {"normal_form", l_normal_form},
	{"cover", l_cover},         {"decompose", l_decompose}, {"lossless", l_lossless},
	{"preserving", l_preserving}, {NULL, NULL},
};

const struct lab_namespace lab_ns_schema = {
	.functions = functions,
};
