/*
 * sqldb_lua.c — lab.web.db(): the SQL-injection lab on SQLite (sqldb.h).
 *
 *   local db = lab.web.db(seed)
 *   db:query("SELECT name FROM users WHERE id = ?", {2}) -> {{name = "bob"}}, or nil, err
 *                (params may carry n, as from table.pack, for nil values)
 *   db:exec(sql)                 every statement of the text (stacked queries)
 *   db:login(name, password, "concat" | "params")   -> the user row, or nil
 *   db:search(term, "concat" | "params")            -> rows
 *   lab.web.sql_quote(v)         a value as an SQL literal: 'it''s', NULL, 42
 */
#include "engine/concepts/web/sqldb.h"
#include "engine/concepts/web/web_lua.h"

#include "engine/concepts/crypto/sha256.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct ldb {
	struct sqldb *db;
};

static void free_db(void *obj)
{
	struct ldb *d = obj;
	sqldb_close(d->db);
	d->db = NULL;
}

static int push_row(void *ctx, int ncols, const char *const *names, const struct sqlv *v)
{
	lua_State *L = ctx;
	if (!lua_checkstack(L, 4))
		return -1;
	lua_createtable(L, 0, ncols);
	for (int i = 0; i < ncols; i++) {
		switch (v[i].type) {
		case SQLV_INT: lua_pushinteger(L, (lua_Integer)v[i].i); break;
		case SQLV_REAL: lua_pushnumber(L, v[i].r); break;
		case SQLV_TEXT: lua_pushlstring(L, v[i].s, v[i].len); break;
		case SQLV_NULL: lua_pushnil(L); break;
		}
		lua_setfield(L, -2, names[i]);
	}
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	return 0;
}

/* The Lua value at IDX as a bindable value (strings anchored by the caller). */
static void tosqlv(lua_State *L, int idx, struct sqlv *v, int n)
{
	memset(v, 0, sizeof *v);
	switch (lua_type(L, idx)) {
	case LUA_TNIL: v->type = SQLV_NULL; break;
	case LUA_TBOOLEAN: v->type = SQLV_INT, v->i = lua_toboolean(L, idx); break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			v->type = SQLV_INT, v->i = lua_tointeger(L, idx);
		else if (!isfinite(lua_tonumber(L, idx)))
			luaL_error(L, "lab.web.db: parameter %d is not a finite number", n);
		else
			v->type = SQLV_REAL, v->r = lua_tonumber(L, idx);
		break;
	case LUA_TSTRING: v->type = SQLV_TEXT, v->s = lua_tolstring(L, idx, &v->len); break;
	default: luaL_error(L, "lab.web.db: parameter %d must be a string, number, boolean or nil", n);
	}
}

/* Runs SQL (at SQLIDX) with the params list at PIDX (0: none); pushes the
 * rows, or nil and the error. */
static int run(lua_State *L, struct ldb *d, int sqlidx, int pidx, int multi)
{
	const char *sql = luaL_checkstring(L, sqlidx);
	struct sqlv params[32];
	int n = 0;
	if (pidx && !lua_isnoneornil(L, pidx)) {
		luaL_checktype(L, pidx, LUA_TTABLE);
		lua_Integer len = (lua_Integer)lua_rawlen(L, pidx);
		lua_pushliteral(L, "n");
		if (lua_rawget(L, pidx) == LUA_TNUMBER && lua_isinteger(L, -1))
			len = lua_tointeger(L, -1);       /* table.pack's n: nil holes */
		lua_pop(L, 1);
		if (len < 0)
			return luaL_error(L, "lab.web.db: params.n must not be negative");
		if (len > 32)
			return luaL_error(L, "lab.web.db: at most 32 parameters");
		luaL_checkstack(L, (int)len + 8, "lab.web.db");
		for (lua_Integer i = 1; i <= len; i++) {
			lua_rawgeti(L, pidx, i);              /* push param; stays as an anchor */
			tosqlv(L, -1, &params[n], (int)i);
			n++;
		}
	}
	lua_newtable(L);                                  /* push rows */
	char err[256];
	if (sqldb_run(d->db, sql, params, n, multi, push_row, L, err) != 0) {
		lab_poll(L);                                  /* a sandbox stop is the verdict */
		lua_pushnil(L);
		lua_pushstring(L, err);
		return 2;
	}
	return 1;
}

static struct ldb *todb(lua_State *L)
{
	struct ldb *d = lab_self(L, &web_db_class);
	if (!d->db)
		luaL_error(L, "lab.web.db: closed");
	return d;
}

static int m_query(lua_State *L)
{
	return run(L, todb(L), 2, 3, 0);
}

static int m_exec(lua_State *L)
{
	return run(L, todb(L), 2, 0, 1);
}

static int checkmode(lua_State *L, int arg)
{
	const char *m = luaL_optstring(L, arg, "params");
	if (strcmp(m, "concat") && strcmp(m, "params"))
		luaL_argerror(L, arg, "mode must be 'concat' (the bug) or 'params' (the fix)");
	return strcmp(m, "concat") == 0;
}

/* Pushes the hex SHA-256 of the string at IDX. */
static void push_sha256(lua_State *L, int idx)
{
	size_t n;
	const char *s = lua_tolstring(L, idx, &n);
	unsigned char d[SHA256_DIGEST_LEN];
	char hex[2 * SHA256_DIGEST_LEN + 1];
	sha256_digest(s, n, d);
	for (int i = 0; i < SHA256_DIGEST_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	lua_pushstring(L, hex);
}

/* login(name, password, mode): the user whose name matches and whose
 * stored hash is SHA-256(password). concat pastes the name into the SQL
 * text (the bug); params binds both. */
static int m_login(lua_State *L)
{
	struct ldb *d = todb(L);
	luaL_checkstring(L, 2);
	luaL_checkstring(L, 3);
	int concat = checkmode(L, 4);
	lua_settop(L, 4);
	push_sha256(L, 3);                                /* 5: the hash */
	int n;
	if (concat) {
		lua_pushfstring(L, "SELECT id, name, role FROM users WHERE name = '%s' AND "
				   "password_sha256 = '%s'", lua_tostring(L, 2), lua_tostring(L, 5));
		n = run(L, d, 6, 0, 0);
	} else {
		lua_pushliteral(L, "SELECT id, name, role FROM users WHERE name = ? AND password_sha256 = ?");
		lua_createtable(L, 2, 0);
		lua_pushvalue(L, 2);
		lua_rawseti(L, -2, 1);
		lua_pushvalue(L, 5);
		lua_rawseti(L, -2, 2);
		n = run(L, d, 6, 7, 0);
	}
	if (n == 2)
		return n;
	lua_rawgeti(L, -1, 1);                            /* the first row, or nil */
	return 1;
}

/* search(term, mode): names of users like %term%. */
static int m_search(lua_State *L)
{
	struct ldb *d = todb(L);
	luaL_checkstring(L, 2);
	int concat = checkmode(L, 3);
	lua_settop(L, 3);
	if (concat) {
		lua_pushfstring(L, "SELECT name, email FROM users WHERE name LIKE '%%%s%%' ORDER BY id",
				lua_tostring(L, 2));
		return run(L, d, 4, 0, 0);
	}
	lua_pushliteral(L, "SELECT name, email FROM users WHERE name LIKE ? ORDER BY id");
	lua_createtable(L, 1, 0);
	lua_pushfstring(L, "%%%s%%", lua_tostring(L, 2));
	lua_rawseti(L, -2, 1);
	return run(L, d, 4, 5, 0);
}

static const luaL_Reg methods[] = {
	{"query", m_query}, {"exec", m_exec}, {"login", m_login}, {"search", m_search},
	{NULL, NULL},
};
static int m_tostring(lua_State *L)
{
	struct ldb *d = lab_self(L, &web_db_class);
	lua_pushstring(L, d->db ? "lab.web.db(SQLite, in memory)" : "lab.web.db(closed)");
	return 1;
}

static const luaL_Reg meta[] = {{"__tostring", m_tostring}, {NULL, NULL}};
const struct lab_class web_db_class = {"lab.web.db", methods, meta, free_db, 0};

int web_l_db(lua_State *L)
{
	lua_Integer seed = luaL_optinteger(L, 1, 1);
	struct ldb *d = lab_newobj(L, &web_db_class, sizeof *d);
	d->db = sqldb_open((uint64_t)seed);
	if (!d->db)
		return lab_fail(L, "lab.web.db: cannot open the database");
	return 1;
}

int web_l_sql_quote(lua_State *L)
{
	luaL_checkany(L, 1);
	struct sqlv v;
	tosqlv(L, 1, &v, 1);
	size_t size = v.type == SQLV_TEXT ? 2 * v.len + 3 : 64;
	char *out = lab_scratch(L, size);                 /* push scratch */
	if (sqldb_quote(&v, out, size) != 0)
		return luaL_error(L, "lab.web.sql_quote: a string with a NUL byte cannot be an SQL literal");
	lua_pushstring(L, out);
	return 1;
}
