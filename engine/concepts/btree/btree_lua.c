/*
 * btree_lua.c — lab.btree: the Lua binding of btree.h.
 *
 *   local t = lab.btree.new{order = 4}
 *   t:insert(k, v) -> true (new) or false (replaced)   t:get(k) -> v or nil
 *   t:delete(k) -> true or false    t:range(lo, hi) -> {{k, v}, ...}
 *   t:stats() t:reset_stats() t:shape() t:check() #t
 *
 * The tree (C) holds the keys; the values live in a Lua table kept as the
 * object's user value, keyed by the same keys.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/btree/btree.h"

#include <math.h>
#include <string.h>

struct lbtree {
	struct btree *t;
};

static void free_btree(void *obj)
{
	struct lbtree *b = obj;
	btree_free(b->t);
	b->t = NULL;
}

static const struct lab_class btree_class;

static struct lbtree *totree(lua_State *L)
{
	return lab_self(L, &btree_class);
}

/* The key at IDX: an integer (or a float with an integral value) or a
 * string, whose bytes stay anchored at IDX. Raises otherwise. */
static struct bt_key check_key(lua_State *L, int idx)
{
	struct bt_key k = {0};
	if (lua_type(L, idx) == LUA_TSTRING) {
		k.s = lua_tolstring(L, idx, &k.len);
		return k;
	}
	if (lua_isinteger(L, idx)) {
		k.i = lua_tointeger(L, idx);
		return k;
	}
	if (lua_type(L, idx) == LUA_TNUMBER) {
		double d = lua_tonumber(L, idx);
		if (d == floor(d) && d >= -9.2e18 && d <= 9.2e18) {
			k.i = (int64_t)d;
			return k;
		}
		luaL_error(L, "lab.btree: a key must be an integer or a string (got %f)", d);
	}
	luaL_error(L, "lab.btree: a key must be an integer or a string, not %s",
		   luaL_typename(L, idx));
	return k;
}

static void push_key(lua_State *L, const struct bt_key *k)
{
	if (k->s)
		lua_pushlstring(L, k->s, k->len);
	else
		lua_pushinteger(L, k->i);
}

static const struct lab_opt new_opts[] = {
	{"order", LAB_INT, .num = 4, .min = BTREE_MIN_ORDER, .max = BTREE_MAX_ORDER,
	 .help = "children of a full node: a page holds order - 1 keys"},
	{NULL},
};
enum { NEW_ORDER };

static int l_new(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.btree.new", new_opts); /* push box */
	struct lbtree *b = lab_newobj(L, &btree_class, sizeof *b); /* push object */
	lua_newtable(L);                               /* push values */
	lua_setiuservalue(L, -2, 1);                   /* object's user value = values */
	b->t = btree_new((int)o[NEW_ORDER].i);
	if (!b->t)
		return lab_fail(L, "lab.btree.new: not enough memory");
	return 1;
}

/* The key's value (the Lua value kept for it) is pushed. */
static void push_value(lua_State *L, int keyidx)
{
	lua_getiuservalue(L, 1, 1);                    /* push values */
	lua_pushvalue(L, keyidx);                      /* push key */
	lua_rawget(L, -2);                             /* replace with value */
	lua_remove(L, -2);                             /* remove values */
}

/* Normalizes the key argument at IDX to what the values table is keyed by
 * (an integral float becomes an integer). */
static void normalize_key(lua_State *L, int idx, const struct bt_key *k)
{
	if (!k->s) {
		lua_pushinteger(L, k->i);
		lua_replace(L, idx);
	}
}

static int m_insert(lua_State *L)
{
	struct lbtree *b = totree(L);
	struct bt_key k = check_key(L, 2);
	if (lua_isnoneornil(L, 3))
		return luaL_error(L, "t:insert(k, v): a value is needed (t:delete(k) removes a key)");
	normalize_key(L, 2, &k);
	int rc = btree_insert(b->t, k, 0);
	if (rc < 0)
		return lab_fail(L, "t:insert: not enough memory");
	lua_getiuservalue(L, 1, 1);                    /* push values */
	lua_pushvalue(L, 2);                           /* push key */
	lua_pushvalue(L, 3);                           /* push value */
	lua_rawset(L, -3);                             /* values[key] = value */
	lua_pushboolean(L, rc == 1);
	return 1;
}

static int m_get(lua_State *L)
{
	struct lbtree *b = totree(L);
	struct bt_key k = check_key(L, 2);
	normalize_key(L, 2, &k);
	if (!btree_get(b->t, k, NULL)) {
		lua_pushnil(L);
		return 1;
	}
	push_value(L, 2);
	return 1;
}

static int m_delete(lua_State *L)
{
	struct lbtree *b = totree(L);
	struct bt_key k = check_key(L, 2);
	normalize_key(L, 2, &k);
	int rc = btree_delete(b->t, k);
	if (rc) {
		lua_getiuservalue(L, 1, 1);            /* push values */
		lua_pushvalue(L, 2);                   /* push key */
		lua_pushnil(L);
		lua_rawset(L, -3);                     /* values[key] = nil */
		lua_pop(L, 1);                         /* remove values */
	}
	lua_pushboolean(L, rc);
	return 1;
}

struct collect {
	lua_State *L;
	int values, out;
	lua_Integer n;
};

static int collect_one(const struct bt_key *k, int64_t val, void *ud)
{
	(void)val;
	struct collect *c = ud;
	lua_State *L = c->L;
	lua_createtable(L, 2, 0);                      /* push pair */
	push_key(L, k);                                /* push key */
	lua_pushvalue(L, -1);                          /* push key again */
	lua_rawget(L, c->values);                      /* replace with value */
	lua_rawseti(L, -3, 2);                         /* pair[2] = value */
	lua_rawseti(L, -2, 1);                         /* pair[1] = key */
	lua_rawseti(L, c->out, ++c->n);                /* out[n] = pair */
	return 0;
}

static int m_range(lua_State *L)
{
	struct lbtree *b = totree(L);
	struct bt_key lo, hi;
	int has_lo = !lua_isnoneornil(L, 2), has_hi = !lua_isnoneornil(L, 3);
	if (has_lo)
		lo = check_key(L, 2);                  /* anchored: an argument */
	if (has_hi)
		hi = check_key(L, 3);
	lua_getiuservalue(L, 1, 1);                    /* push values */
	lua_newtable(L);                               /* push out */
	struct collect c = {L, lua_gettop(L) - 1, lua_gettop(L), 0};
	btree_range(b->t, has_lo ? &lo : NULL, has_hi ? &hi : NULL, collect_one, &c);
	return 1;
}

static int m_stats(lua_State *L)
{
	struct lbtree *b = totree(L);
	const struct btree_stats *s = btree_stats(b->t);
	lua_createtable(L, 0, 10);                     /* push stats */
	lab_setint(L, "order", btree_order(b->t));
	lab_setint(L, "height", btree_height(b->t));
	lab_setint(L, "pages", (lua_Integer)btree_pages(b->t));
	lab_setint(L, "leaves", (lua_Integer)btree_leaves(b->t));
	lab_setint(L, "keys", (lua_Integer)btree_count(b->t));
	lab_setint(L, "reads", s->reads);
	lab_setint(L, "writes", s->writes);
	lab_setint(L, "splits", s->splits);
	lab_setint(L, "merges", s->merges);
	lab_setint(L, "borrows", s->borrows);
	return 1;
}

static int m_reset_stats(lua_State *L)
{
	btree_reset_stats(totree(L)->t);
	return 0;
}

static int m_shape(lua_State *L)
{
	struct lbtree *b = totree(L);
	struct sbuf sb = SBUF_INIT;
	btree_shape(b->t, &sb);
	lua_pushlstring(L, sbuf_str(&sb), sb.len);
	sbuf_free(&sb);
	return 1;
}

static int m_check(lua_State *L)
{
	struct lbtree *b = totree(L);
	struct sbuf err = SBUF_INIT;
	if (btree_check(b->t, &err) == 0) {
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushboolean(L, 0);
	lua_pushstring(L, sbuf_str(&err));
	sbuf_free(&err);
	return 2;
}

static int m_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)btree_count(totree(L)->t));
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct lbtree *b = totree(L);
	lua_pushfstring(L, "lab.btree(order %d, %I keys, height %d)", btree_order(b->t),
			(lua_Integer)btree_count(b->t), btree_height(b->t));
	return 1;
}

static const luaL_Reg methods[] = {
	{"insert", m_insert}, {"get", m_get},     {"delete", m_delete},
	{"range", m_range},   {"stats", m_stats}, {"reset_stats", m_reset_stats},
	{"shape", m_shape},   {"check", m_check}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__len", m_len},
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class btree_class = {
	.name = "lab.btree", .methods = methods, .metamethods = metamethods, .free = free_btree,
	.uservalues = 1, /* the values, keyed by key */
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_btree = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&btree_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {NULL, NULL}},
};
