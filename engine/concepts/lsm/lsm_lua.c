/*
 * lsm_lua.c — lab.lsm: the Lua binding of lsm.h.
 *
 *   local db = lab.lsm.new{memtable = 64, policy = "leveled"}
 *   db:put(k, v) db:get(k) db:delete(k) db:range(lo, hi)
 *   db:flush() db:compact() db:stats() db:levels() db:reset_stats()
 *   lab.lsm.merge(newer, older [, drop_tombstones]) -> run
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/lsm/lsm.h"

#include <math.h>
#include <string.h>

struct llsm {
	struct lsm *t;
};

static void free_lsm(void *obj)
{
	struct llsm *l = obj;
	lsm_free(l->t);
	l->t = NULL;
}

static const struct lab_class lsm_class;

static struct llsm *todb(lua_State *L)
{
	return lab_self(L, &lsm_class);
}

/* The key at IDX (anchored there): an integer or a string. */
static struct lsm_key check_key(lua_State *L, int idx, const char *who)
{
	struct lsm_key k = {0};
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
		if (d == floor(d) && d >= -0x1p63 && d < 0x1p63) {
			k.i = (int64_t)d;
			return k;
		}
	}
	luaL_error(L, "%s: a key must be an integer or a string, not %s", who,
		   lua_type(L, idx) == LUA_TNUMBER ? "a fraction" : luaL_typename(L, idx));
	return k;
}

/* The value at IDX (anchored there): nil is a tombstone. */
static struct lsm_val check_val(lua_State *L, int idx, const char *who)
{
	struct lsm_val v = {0};
	switch (lua_type(L, idx)) {
	case LUA_TNONE:
	case LUA_TNIL: v.kind = LSM_TOMBSTONE; break;
	case LUA_TBOOLEAN: v.kind = LSM_BOOL; v.i = lua_toboolean(L, idx); break;
	case LUA_TSTRING: v.kind = LSM_STR; v.s = lua_tolstring(L, idx, &v.len); break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			v.kind = LSM_INT;
			v.i = lua_tointeger(L, idx);
		} else {
			v.kind = LSM_NUM;
			v.f = lua_tonumber(L, idx);
		}
		break;
	default:
		luaL_error(L, "%s: a value must be a string, a number or a boolean, not %s", who,
			   luaL_typename(L, idx));
	}
	return v;
}

static void push_key(lua_State *L, const struct lsm_key *k)
{
	if (k->s)
		lua_pushlstring(L, k->s, k->len);
	else
		lua_pushinteger(L, k->i);
}

static void push_val(lua_State *L, const struct lsm_val *v)
{
	switch (v->kind) {
	case LSM_INT: lua_pushinteger(L, v->i); break;
	case LSM_NUM: lua_pushnumber(L, v->f); break;
	case LSM_STR: lua_pushlstring(L, v->s, v->len); break;
	case LSM_BOOL: lua_pushboolean(L, (int)v->i); break;
	default: lua_pushnil(L); break;
	}
}

static const struct lab_opt new_opts[] = {
	{"memtable", LAB_INT, .num = 64, .min = 1, .max = 1e6,
	 .help = "entries the memtable holds before it is flushed"},
	{"policy", LAB_ENUM, .str = "leveled", .choices = "leveled tiered",
	 .help = "how runs are merged"},
	{"ratio", LAB_INT, .num = 10, .min = 2, .max = 100,
	 .help = "level size ratio (leveled), runs a level (tiered)"},
	{"level0", LAB_INT, .num = 4, .min = 1, .max = 100,
	 .help = "leveled: runs at level 0 before they are merged"},
	{"bloom_bits", LAB_INT, .num = 10, .min = 0, .max = 64,
	 .help = "Bloom filter bits a key of each run; 0: none"},
	{"block", LAB_INT, .num = 16, .min = 1, .max = 1e6,
	 .help = "entries a block: one fence pointer each"},
	{NULL},
};
enum { NEW_MEMTABLE, NEW_POLICY, NEW_RATIO, NEW_LEVEL0, NEW_BLOOM, NEW_BLOCK };

static int l_new(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.lsm.new", new_opts); /* push box */
	struct lsm_config c = {
		.memtable = (int)o[NEW_MEMTABLE].i,
		.policy = o[NEW_POLICY].choice == 0 ? LSM_LEVELED : LSM_TIERED,
		.ratio = (int)o[NEW_RATIO].i,
		.level0 = (int)o[NEW_LEVEL0].i,
		.bloom_bits = (int)o[NEW_BLOOM].i,
		.block = (int)o[NEW_BLOCK].i,
	};
	struct llsm *l = lab_newobj(L, &lsm_class, sizeof *l);      /* push object */
	l->t = lsm_new(&c);
	if (!l->t)
		return lab_fail(L, "lab.lsm.new: not enough memory");
	return 1;
}

static int m_put(lua_State *L)
{
	struct llsm *l = todb(L);
	struct lsm_key k = check_key(L, 2, "db:put");
	if (lua_isnoneornil(L, 3))
		return luaL_error(L, "db:put(k, v): a value is needed (db:delete(k) deletes)");
	struct lsm_val v = check_val(L, 3, "db:put");
	if (lsm_put(l->t, k, v) != 0)
		return lab_fail(L, "db:put: not enough memory");
	return 0;
}

static int m_delete(lua_State *L)
{
	struct llsm *l = todb(L);
	struct lsm_key k = check_key(L, 2, "db:delete");
	if (lsm_put(l->t, k, (struct lsm_val){.kind = LSM_TOMBSTONE}) != 0)
		return lab_fail(L, "db:delete: not enough memory");
	return 0;
}

static int m_get(lua_State *L)
{
	struct llsm *l = todb(L);
	struct lsm_key k = check_key(L, 2, "db:get");
	struct lsm_val v;
	if (lsm_get(l->t, k, &v))
		push_val(L, &v);
	else
		lua_pushnil(L);
	return 1;
}

struct collect {
	lua_State *L;
	int out;
	lua_Integer n;
};

static int collect_one(const struct lsm_entry *e, void *ud)
{
	struct collect *c = ud;
	lua_State *L = c->L;
	lua_createtable(L, 2, 0);                      /* push pair */
	push_key(L, &e->k);
	lua_rawseti(L, -2, 1);                         /* pair[1] = key */
	push_val(L, &e->v);
	lua_rawseti(L, -2, 2);                         /* pair[2] = value */
	lua_rawseti(L, c->out, ++c->n);                /* out[n] = pair */
	return 0;
}

static int m_range(lua_State *L)
{
	struct llsm *l = todb(L);
	struct lsm_key lo, hi;
	int has_lo = !lua_isnoneornil(L, 2), has_hi = !lua_isnoneornil(L, 3);
	if (has_lo)
		lo = check_key(L, 2, "db:range");
	if (has_hi)
		hi = check_key(L, 3, "db:range");
	lua_newtable(L);                               /* push out */
	struct collect c = {L, lua_gettop(L), 0};
	if (lsm_range(l->t, has_lo ? &lo : NULL, has_hi ? &hi : NULL, collect_one, &c) != 0)
		return lab_fail(L, "db:range: not enough memory");
	return 1;
}

static int m_flush(lua_State *L)
{
	if (lsm_flush(todb(L)->t) != 0)
		return lab_fail(L, "db:flush: not enough memory");
	return 0;
}

static int m_compact(lua_State *L)
{
	if (lsm_compact(todb(L)->t) != 0)
		return lab_fail(L, "db:compact: not enough memory");
	return 0;
}

#define SF(m) LAB_F(struct lsm_stats, m)
static const struct lab_field stats_fields[] = {
	SF(puts), SF(deletes), SF(gets), SF(ranges), SF(flushes), SF(flushed), SF(compactions),
	SF(compacted), SF(block_reads), SF(runs_probed), SF(bloom_skips), SF(bloom_false),
	SF(range_skips), SF(versions_dropped), SF(tombstones_dropped), {NULL},
};

static int m_stats(lua_State *L)
{
	struct llsm *l = todb(L);
	const struct lsm_stats *s = lsm_stats(l->t);
	long long live = lsm_live_keys(l->t);
	if (live < 0)
		return lab_fail(L, "db:stats: not enough memory");
	long long written = s->puts + s->deletes, stored = (long long)lsm_stored_entries(l->t);
	int runs = 0;
	for (int i = 0; i < lsm_levels(l->t); i++)
		runs += lsm_runs(l->t, i);
	lab_pushfields(L, s, stats_fields);
	lab_setint(L, "memtable", (lua_Integer)lsm_memtable_entries(l->t));
	lab_setint(L, "stored", stored);
	lab_setint(L, "live", live);
	lab_setint(L, "levels", lsm_levels(l->t));
	lab_setint(L, "runs", runs);
	lab_setnum(L, "write_amp", written ? (double)(s->flushed + s->compacted) / (double)written : 0);
	lab_setnum(L, "read_amp", s->gets ? (double)s->block_reads / (double)s->gets : 0);
	lab_setnum(L, "space_amp", live ? (double)stored / (double)live : 0);
	return 1;
}

static int m_reset_stats(lua_State *L)
{
	lsm_reset_stats(todb(L)->t);
	return 0;
}

static int m_levels(lua_State *L)
{
	struct llsm *l = todb(L);
	int n = lsm_levels(l->t);
	lua_createtable(L, n, 0);                      /* push levels */
	for (int i = 0; i < n; i++) {
		int nr = lsm_runs(l->t, i);
		lua_createtable(L, nr, 0);             /* push level */
		for (int r = 0; r < nr; r++) {
			lua_createtable(L, 0, 4);      /* push run */
			lab_setint(L, "entries", (lua_Integer)lsm_run_entries(l->t, i, r));
			lab_setint(L, "tombstones", (lua_Integer)lsm_run_tombstones(l->t, i, r));
			const struct lsm_key *f = lsm_run_first(l->t, i, r);
			if (f) {
				push_key(L, f);
				lua_setfield(L, -2, "first");
				push_key(L, lsm_run_last(l->t, i, r));
				lua_setfield(L, -2, "last");
			}
			lua_rawseti(L, -2, r + 1);     /* level[r + 1] = run */
		}
		lua_rawseti(L, -2, i + 1);             /* levels[i + 1] = level */
	}
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct llsm *l = todb(L);
	const struct lsm_config *c = lsm_config(l->t);
	lua_pushfstring(L, "lab.lsm(%s, ratio %d, %I entries stored)",
			c->policy == LSM_LEVELED ? "leveled" : "tiered", c->ratio,
			(lua_Integer)lsm_stored_entries(l->t));
	return 1;
}

/* ---- lab.lsm.merge ---- */

/* Reads the run at IDX (an array of {k, v}, {k} a tombstone, keys strictly
 * increasing) into a new array (keys and values anchored in the Lua
 * tables, which stay on the stack). */
static struct lsm_entry *read_run(lua_State *L, int idx, const char *what, size_t *n)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
	struct lsm_entry *e = lua_newuserdatauv(L, (size_t)(len ? len : 1) * sizeof *e, 0);
	lua_replace(L, idx + 3);               /* anchor the array in a free slot */
	for (lua_Integer i = 1; i <= len; i++) {
		if (lua_rawgeti(L, idx, i) != LUA_TTABLE) /* push entry */
			luaL_error(L, "lab.lsm.merge: entry %I of the %s run is not a table {key, "
				      "value}", i, what);
		int top = lua_gettop(L);
		lua_rawgeti(L, top, 1);                /* push key */
		lua_rawgeti(L, top, 2);                /* push value */
		if (lua_isnil(L, top + 1))
			luaL_error(L, "lab.lsm.merge: entry %I of the %s run has no key", i, what);
		e[i - 1].k = check_key(L, top + 1, "lab.lsm.merge");
		e[i - 1].v = check_val(L, top + 2, "lab.lsm.merge");
		/* the strings stay anchored: the entry table holds them, and the
		 * run table holds the entry */
		lua_settop(L, top - 1);                /* remove entry, key, value */
		if (i > 1 && lsm_key_cmp(&e[i - 2].k, &e[i - 1].k) >= 0)
			luaL_error(L, "lab.lsm.merge: the keys of the %s run are not in increasing "
				      "order (entry %I)", what, i);
	}
	*n = (size_t)len;
	return e;
}

static int l_merge(lua_State *L)
{
	int drop = lua_toboolean(L, 3);
	lua_settop(L, 6);                              /* slots 4, 5 anchor the arrays */
	size_t na, nb;
	const struct lsm_entry *runs[2];
	runs[0] = read_run(L, 1, "newer", &na);
	runs[1] = read_run(L, 2, "older", &nb);
	size_t lens[2] = {na, nb};
	struct lsm_entry *out = lua_newuserdatauv(L, (na + nb ? na + nb : 1) * sizeof *out, 0);
	lua_replace(L, 6);                             /* anchor it */
	size_t n = lsm_merge(runs, lens, 2, drop, out);
	lua_createtable(L, (int)n, 0);                 /* push result */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 2, 0);              /* push entry */
		push_key(L, &out[i].k);
		lua_rawseti(L, -2, 1);
		if (out[i].v.kind != LSM_TOMBSTONE) {
			push_val(L, &out[i].v);
			lua_rawseti(L, -2, 2);
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static const luaL_Reg methods[] = {
	{"put", m_put},         {"get", m_get},       {"delete", m_delete},
	{"range", m_range},     {"flush", m_flush},   {"compact", m_compact},
	{"stats", m_stats},     {"levels", m_levels}, {"reset_stats", m_reset_stats},
	{NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class lsm_class = {
	.name = "lab.lsm", .methods = methods, .metamethods = metamethods, .free = free_lsm,
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{"merge", l_merge},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_lsm = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&lsm_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {NULL, NULL}},
};
