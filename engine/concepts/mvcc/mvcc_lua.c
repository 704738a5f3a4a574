/*
 * mvcc_lua.c — lab.mvcc: the Lua binding of mvcc.h.
 *
 *   local db = lab.mvcc.new{isolation = "repeatable read"}
 *   local t = db:begin(["serializable"])
 *   t:read(k) -> v or nil   t:scan([lo, hi]) -> {{k, v}, ...}
 *   t:write(k, v) -> true, or false and why (t is then aborted)
 *   t:commit() -> true, or false and why     t:abort()
 *   t:id() t:status() t:level() t:reason()
 *   db:read(k) db:versions(k) db:stats()
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/mvcc/mvcc.h"

#include <math.h>
#include <string.h>

static const char *const levels[] = {
	"read uncommitted", "read committed", "repeatable read", "serializable", NULL,
};

struct lmvcc {
	struct mvcc *m;
};

struct ltx {
	uint32_t id;
};

static void free_mvcc(void *obj)
{
	struct lmvcc *l = obj;
	mvcc_free(l->m);
	l->m = NULL;
}

static const struct lab_class mvcc_class, tx_class;

/* The level named by the string at IDX; raises on anything else. */
static int check_level(lua_State *L, int idx, const char *who)
{
	const char *s = luaL_checkstring(L, idx);
	for (int i = 0; levels[i]; i++)
		if (strcmp(s, levels[i]) == 0)
			return i;
	return luaL_error(L, "%s: the isolation level must be \"read uncommitted\", \"read "
			     "committed\", \"repeatable read\" or \"serializable\" (got \"%s\")",
			  who, s);
}

static struct mv_key check_key(lua_State *L, int idx, const char *who)
{
	struct mv_key k = {0};
	if (lua_type(L, idx) == LUA_TSTRING) {
		k.s = lua_tolstring(L, idx, &k.len); /* anchored: an argument */
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

static struct mv_val check_val(lua_State *L, int idx, const char *who)
{
	struct mv_val v = {0};
	switch (lua_type(L, idx)) {
	case LUA_TNONE:
	case LUA_TNIL: v.kind = MV_DELETED; break;
	case LUA_TBOOLEAN: v.kind = MV_BOOL; v.i = lua_toboolean(L, idx); break;
	case LUA_TSTRING: v.kind = MV_STR; v.s = lua_tolstring(L, idx, &v.len); break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			v.kind = MV_INT;
			v.i = lua_tointeger(L, idx);
		} else {
			v.kind = MV_NUM;
			v.f = lua_tonumber(L, idx);
		}
		break;
	default:
		luaL_error(L, "%s: a value must be a string, a number, a boolean or nil (delete), "
			      "not %s", who, luaL_typename(L, idx));
	}
	return v;
}

static void push_key(lua_State *L, const struct mv_key *k)
{
	if (k->s)
		lua_pushlstring(L, k->s, k->len);
	else
		lua_pushinteger(L, k->i);
}

static void push_val(lua_State *L, const struct mv_val *v)
{
	switch (v->kind) {
	case MV_INT: lua_pushinteger(L, v->i); break;
	case MV_NUM: lua_pushnumber(L, v->f); break;
	case MV_STR: lua_pushlstring(L, v->s, v->len); break;
	case MV_BOOL: lua_pushboolean(L, (int)v->i); break;
	default: lua_pushnil(L); break;
	}
}

static struct mvcc *todb(lua_State *L)
{
	return ((struct lmvcc *)lab_self(L, &mvcc_class))->m;
}

static int l_new(lua_State *L)
{
	int level = MV_READ_COMMITTED;
	if (!lua_isnoneornil(L, 1)) {
		luaL_checktype(L, 1, LUA_TTABLE);
		lua_pushnil(L);
		while (lua_next(L, 1)) {               /* push key, value */
			if (lua_type(L, -2) != LUA_TSTRING || strcmp(lua_tostring(L, -2), "isolation"))
				return luaL_error(L, "lab.mvcc.new: the only option is isolation");
			lua_pop(L, 1);
		}
		lua_pushliteral(L, "isolation");
		if (lua_rawget(L, 1) != LUA_TNIL)      /* push isolation */
			level = check_level(L, -1, "lab.mvcc.new");
		lua_pop(L, 1);
	}
	struct lmvcc *l = lab_newobj(L, &mvcc_class, sizeof *l); /* push object */
	l->m = mvcc_new(level);
	if (!l->m)
		return lab_fail(L, "lab.mvcc.new: not enough memory");
	return 1;
}

static int m_begin(lua_State *L)
{
	struct mvcc *m = todb(L);
	int level = lua_isnoneornil(L, 2) ? -1 : check_level(L, 2, "db:begin");
	uint32_t id = mvcc_begin(m, level);
	if (!id)
		return lab_fail(L, "db:begin: not enough memory");
	struct ltx *t = lab_newobj(L, &tx_class, sizeof *t);   /* push tx */
	t->id = id;
	lua_pushvalue(L, 1);                                   /* push db */
	lua_setiuservalue(L, -2, 1);                           /* the tx keeps its db */
	return 1;
}

/* The transaction at 1 and its store. */
static struct ltx *totx(lua_State *L, struct mvcc **m)
{
	struct ltx *t = lab_self(L, &tx_class);
	lua_getiuservalue(L, 1, 1);                            /* push db */
	*m = ((struct lmvcc *)lab_checkobj(L, -1, &mvcc_class))->m;
	lua_pop(L, 1);                                         /* remove db */
	return t;
}

/* Raises if T is no longer active (a read after the end is a bug). */
static void check_active(lua_State *L, struct mvcc *m, struct ltx *t, const char *who)
{
	int s = mvcc_status(m, t->id);
	if (s == MV_COMMITTED)
		luaL_error(L, "%s: T%d has committed; begin another transaction", who, (int)t->id);
	if (s == MV_ABORTED) {
		const char *why = mvcc_reason(m, t->id);
		luaL_error(L, "%s: T%d was aborted (%s); begin another transaction", who, (int)t->id,
			   why ? why : "no reason given");
	}
}

static int t_read(lua_State *L)
{
	struct mvcc *m;
	struct ltx *t = totx(L, &m);
	check_active(L, m, t, "t:read");
	struct mv_key k = check_key(L, 2, "t:read");
	struct mv_val v;
	int rc = mvcc_read(m, t->id, &k, &v);
	if (rc < 0)
		return lab_fail(L, "t:read: not enough memory");
	if (rc)
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

static void collect_one(const struct mv_key *k, const struct mv_val *v, void *ud)
{
	struct collect *c = ud;
	lua_State *L = c->L;
	lua_createtable(L, 2, 0);                              /* push pair */
	push_key(L, k);
	lua_rawseti(L, -2, 1);
	push_val(L, v);
	lua_rawseti(L, -2, 2);
	lua_rawseti(L, c->out, ++c->n);                        /* out[n] = pair */
}

static int t_scan(lua_State *L)
{
	struct mvcc *m;
	struct ltx *t = totx(L, &m);
	check_active(L, m, t, "t:scan");
	struct mv_key lo, hi;
	int has_lo = !lua_isnoneornil(L, 2), has_hi = !lua_isnoneornil(L, 3);
	if (has_lo)
		lo = check_key(L, 2, "t:scan");
	if (has_hi)
		hi = check_key(L, 3, "t:scan");
	lua_newtable(L);                                       /* push out */
	struct collect c = {L, lua_gettop(L), 0};
	if (mvcc_scan(m, t->id, has_lo ? &lo : NULL, has_hi ? &hi : NULL, collect_one, &c) != 0)
		return lab_fail(L, "t:scan: not enough memory");
	return 1;
}

/* Pushes false and why T was aborted. */
static int push_aborted(lua_State *L, struct mvcc *m, struct ltx *t)
{
	const char *why = mvcc_reason(m, t->id);
	lua_pushboolean(L, 0);
	lua_pushstring(L, why ? why : "aborted");
	return 2;
}

static int t_write(lua_State *L)
{
	struct mvcc *m;
	struct ltx *t = totx(L, &m);
	struct mv_key k = check_key(L, 2, "t:write");
	struct mv_val v = check_val(L, 3, "t:write");
	if (mvcc_status(m, t->id) == MV_ABORTED)
		return push_aborted(L, m, t);
	check_active(L, m, t, "t:write");
	int rc = mvcc_write(m, t->id, &k, &v);
	if (rc < 0)
		return lab_fail(L, "t:write: not enough memory");
	if (rc == 1)
		return push_aborted(L, m, t);
	lua_pushboolean(L, 1);
	return 1;
}

static int t_commit(lua_State *L)
{
	struct mvcc *m;
	struct ltx *t = totx(L, &m);
	if (mvcc_status(m, t->id) == MV_ABORTED)
		return push_aborted(L, m, t);
	check_active(L, m, t, "t:commit");
	int rc = mvcc_commit(m, t->id);
	if (rc < 0)
		return lab_fail(L, "t:commit: not enough memory");
	if (rc == 1)
		return push_aborted(L, m, t);
	lua_pushboolean(L, 1);
	return 1;
}

static int t_abort(lua_State *L)
{
	struct mvcc *m;
	struct ltx *t = totx(L, &m);
	mvcc_abort(m, t->id);
	return 0;
}

static int t_id(lua_State *L)
{
	lua_pushinteger(L, ((struct ltx *)lab_self(L, &tx_class))->id);
	return 1;
}

static const char *status_name(int s)
{
	return s == MV_ACTIVE ? "active" : s == MV_COMMITTED ? "committed" : "aborted";
}

static int t_status(lua_State *L)
{
	struct mvcc *m;
	struct ltx *t = totx(L, &m);
	lua_pushstring(L, status_name(mvcc_status(m, t->id)));
	return 1;
}

static int t_level(lua_State *L)
{
	struct mvcc *m;
	struct ltx *t = totx(L, &m);
	lua_pushstring(L, levels[mvcc_level(m, t->id)]);
	return 1;
}

static int t_reason(lua_State *L)
{
	struct mvcc *m;
	struct ltx *t = totx(L, &m);
	const char *why = mvcc_reason(m, t->id);
	if (why)
		lua_pushstring(L, why);
	else
		lua_pushnil(L);
	return 1;
}

static int t_tostring(lua_State *L)
{
	struct mvcc *m;
	struct ltx *t = totx(L, &m);
	lua_pushfstring(L, "T%d (%s, %s)", (int)t->id, levels[mvcc_level(m, t->id)],
			status_name(mvcc_status(m, t->id)));
	return 1;
}

static int m_read(lua_State *L)
{
	struct mvcc *m = todb(L);
	struct mv_key k = check_key(L, 2, "db:read");
	struct mv_val v;
	if (mvcc_latest(m, &k, &v))
		push_val(L, &v);
	else
		lua_pushnil(L);
	return 1;
}

static int m_versions(lua_State *L)
{
	struct mvcc *m = todb(L);
	struct mv_key k = check_key(L, 2, "db:versions");
	int n = mvcc_versions(m, &k);
	lua_createtable(L, n, 0);                              /* push list */
	for (int i = 0; i < n; i++) {
		struct mv_val v;
		uint32_t tx;
		uint64_t ts;
		mvcc_version(m, &k, i, &v, &tx, &ts);
		lua_createtable(L, 0, 3);                      /* push version */
		push_val(L, &v);
		lua_setfield(L, -2, "value");
		lab_setint(L, "tx", tx);
		lab_setint(L, "ts", (lua_Integer)ts);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

#define SF(m) LAB_F(struct mvcc_stats, m)
static const struct lab_field stats_fields[] = {
	SF(begins), SF(commits), SF(aborts), SF(write_conflicts), SF(commit_conflicts),
	SF(ssi_aborts), {NULL},
};

static int m_stats(lua_State *L)
{
	const struct mvcc_stats *s = mvcc_stats(todb(L));
	lab_pushfields(L, s, stats_fields);                      /* push stats */
	return 1;
}

static int m_tostring(lua_State *L)
{
	const struct mvcc_stats *s = mvcc_stats(todb(L));
	lua_pushfstring(L, "lab.mvcc(%I transactions, %I committed)", (lua_Integer)s->begins,
			(lua_Integer)s->commits);
	return 1;
}

static const luaL_Reg methods[] = {
	{"begin", m_begin}, {"read", m_read}, {"versions", m_versions}, {"stats", m_stats},
	{NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const luaL_Reg tx_methods[] = {
	{"read", t_read},     {"scan", t_scan},     {"write", t_write}, {"commit", t_commit},
	{"abort", t_abort},   {"id", t_id},         {"status", t_status}, {"level", t_level},
	{"reason", t_reason}, {NULL, NULL},
};

static const luaL_Reg tx_metamethods[] = {
	{"__tostring", t_tostring},
	{NULL, NULL},
};

static const struct lab_class mvcc_class = {
	.name = "lab.mvcc", .methods = methods, .metamethods = metamethods, .free = free_mvcc,
};

static const struct lab_class tx_class = {
	.name = "lab.mvcc.tx", .methods = tx_methods, .metamethods = tx_metamethods,
	.uservalues = 1,
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_mvcc = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&mvcc_class, &tx_class, NULL},
};
