/*
 * graphql_lua.c — lab.graphql: the Lua binding of graphql.h.
 *
 *   local g = lab.graphql.new{users = 10, seed = 1}
 *   g:execute(query [, {batch = true}]) -> data, stats | nil, err
 *   g:fetch(table, column, keys [, limit]) -> rows (one query)
 *   g:stats() g:reset() g:schema()    lab.graphql.parse(query)
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/graphql/graphql.h"

#include <string.h>

static const struct lab_opt new_opts[] = {
	{"users", LAB_INT, .num = 10, .min = 0, .max = 200, .help = "users in the dataset"},
	{"seed", LAB_INT, .num = 1, .help = "seed of the posts and comments"},
	{NULL},
};

static const struct lab_opt exec_opts[] = {
	{"batch", LAB_BOOL, .num = 0, .help = "batch each field's fetches per level (a dataloader)"},
	{NULL},
};

static void free_db(void *p)
{
	gq_db_free(p);
}

static const struct lab_class gq_class;

static int l_new(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.graphql.new", new_opts);
	struct gq_db *db = lab_newobj(L, &gq_class, sizeof *db); /* push object */
	if (gq_db_init(db, (size_t)v[0].i, (uint64_t)v[1].i) != 0)
		return lab_fail(L, "lab.graphql.new: not enough memory");
	return 1;
}

static void push_val(lua_State *L, const struct gq_val *v)
{
	luaL_checkstack(L, 4, "lab.graphql");
	switch (v->k) {
	case GQ_V_NULL: lua_pushnil(L); return;
	case GQ_V_INT: lua_pushinteger(L, (lua_Integer)v->i); return;
	case GQ_V_STR: lua_pushstring(L, v->s); return;
	case GQ_V_LIST:
		lua_createtable(L, (int)v->n, 0);
		for (size_t i = 0; i < v->n; i++) {
			push_val(L, &v->items[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		return;
	case GQ_V_OBJ:
		lua_createtable(L, 0, (int)v->n);
		for (size_t i = 0; i < v->n; i++) {
			push_val(L, &v->items[i]);
			lua_setfield(L, -2, v->keys[i]);
		}
		return;
	}
}

static void push_stats(lua_State *L, const struct gq_db *db)
{
	lua_createtable(L, 0, 3);
	lab_setint(L, "queries", (lua_Integer)db->queries);
	lab_setint(L, "rows", (lua_Integer)db->fetched);
	lua_createtable(L, (int)db->nlog, 0);
	for (size_t i = 0; i < db->nlog; i++) {
		lua_pushstring(L, db->log[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "log");
}

static void free_query(void *p)
{
	gq_query_free(p);
}

static void free_val(void *p)
{
	gq_val_free(p);
}

/* Parses the query at IDX into a holder it pushes; on a syntax error
 * pushes nil and the message instead and returns NULL. */
static struct gq_query *parse_arg(lua_State *L, int idx, const char *who)
{
	size_t len;
	const char *text = luaL_checklstring(L, idx, &len);
	struct gq_query *q = lab_holder(L, sizeof *q, free_query);
	const char *why = NULL;
	size_t off = 0;
	int rc = gq_parse(text, len, q, &why, &off);
	if (rc == -2)
		lab_fail(L, "%s: not enough memory", who);
	if (rc != 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "%s at byte offset %I", why, (lua_Integer)off);
		return NULL;
	}
	return q;
}

static int m_execute(lua_State *L)
{
	struct gq_db *db = lab_self(L, &gq_class);
	const struct lab_val *o = lab_opts(L, 3, "g:execute", exec_opts); /* push 4 */
	struct gq_query *q = parse_arg(L, 2, "g:execute");                 /* push 5 */
	if (!q)
		return 2;
	struct gq_val *v = lab_holder(L, sizeof *v, free_val);            /* push 6 */
	gq_db_reset(db);
	char why[200];
	size_t off = 0;
	int rc = gq_execute(db, q, (int)o[0].i, v, why, sizeof why, &off);
	if (rc == -3)
		return lab_fail(L, "g:execute: stopped");
	if (rc == -2)
		return lab_fail(L, "g:execute: not enough memory");
	if (rc == -1) {
		lua_pushnil(L);
		lua_pushfstring(L, "%s (at byte offset %I)", why, (lua_Integer)off);
		return 2;
	}
	push_val(L, v);
	push_stats(L, db);
	return 2;
}

static void push_row(lua_State *L, const struct gq_db *db, enum gq_table t, size_t i)
{
	static const char *const text_names[] = {"name", "title", "body"};
	const struct gq_row *r = &db->rows[t][i];
	lua_createtable(L, 0, 4);
	lab_setint(L, "id", (lua_Integer)r->id);
	lab_setstr(L, text_names[t], r->text);
	if (t == GQ_POSTS)
		lab_setint(L, "author_id", (lua_Integer)r->ref[0]);
	if (t == GQ_COMMENTS) {
		lab_setint(L, "post_id", (lua_Integer)r->ref[0]);
		lab_setint(L, "author_id", (lua_Integer)r->ref[1]);
	}
}

static int m_fetch(lua_State *L)
{
	struct gq_db *db = lab_self(L, &gq_class);
	static const char *const tables[] = {"users", "posts", "comments", NULL};
	enum gq_table t = (enum gq_table)luaL_checkoption(L, 2, NULL, tables);
	const char *colname = luaL_checkstring(L, 3);
	int col = gq_column(t, colname);
	if (col < 0)
		return luaL_error(L, "g:fetch: the table %s has no column '%s'", tables[t], colname);
	lua_Integer limit = luaL_optinteger(L, 5, -1);
	luaL_argcheck(L, limit >= -1, 5, "a limit is >= 0");
	int64_t *keys = NULL;
	size_t n = 0;
	if (!lua_isnil(L, 4)) {
		luaL_checktype(L, 4, LUA_TTABLE);
		n = lua_rawlen(L, 4);
		keys = lab_scratch(L, (n + 1) * sizeof *keys);
		for (size_t i = 0; i < n; i++) {
			lua_rawgeti(L, 4, (lua_Integer)i + 1);
			if (!lua_isinteger(L, -1))
				return luaL_error(L, "g:fetch: keys[%I] is not an integer", (lua_Integer)i + 1);
			keys[i] = (int64_t)lua_tointeger(L, -1);
			lua_pop(L, 1);
		}
	}
	size_t *out = NULL, nout = 0;
	int rc = gq_fetch(db, t, col, keys, keys ? n : 0,
			  limit < 0 ? GQ_NO_LIMIT : (size_t)limit, &out, &nout);
	if (rc != 0) {
		budget_free(out);
		return lab_fail(L, "g:fetch: not enough memory");
	}
	lua_createtable(L, (int)nout, 0);
	for (size_t i = 0; i < nout; i++) {
		push_row(L, db, t, out[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	budget_free(out);
	return 1;
}

static int m_stats(lua_State *L)
{
	push_stats(L, lab_self(L, &gq_class));
	return 1;
}

static int m_reset(lua_State *L)
{
	gq_db_reset(lab_self(L, &gq_class));
	return 0;
}

static int m_schema(lua_State *L)
{
	lab_self(L, &gq_class);
	lua_pushstring(L, gq_schema_text);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct gq_db *db = lab_self(L, &gq_class);
	lua_pushfstring(L, "lab.graphql (%I users, %I posts, %I comments)",
			(lua_Integer)db->n[GQ_USERS], (lua_Integer)db->n[GQ_POSTS],
			(lua_Integer)db->n[GQ_COMMENTS]);
	return 1;
}

static void push_field(lua_State *L, const struct gq_field *f)
{
	luaL_checkstack(L, 6, "lab.graphql.parse");
	lua_createtable(L, 0, 3);
	lab_setstr(L, "name", f->name);
	lua_createtable(L, 0, (int)f->nargs);
	for (size_t i = 0; i < f->nargs; i++) {
		const struct gq_arg *a = &f->args[i];
		if (a->kind == GQ_ARG_INT)
			lua_pushinteger(L, (lua_Integer)a->i);
		else if (a->kind == GQ_ARG_STR)
			lua_pushstring(L, a->s);
		else
			lua_pushboolean(L, (int)a->i);
		lua_setfield(L, -2, a->name);
	}
	lua_setfield(L, -2, "args");
	if (f->sel) {
		lua_createtable(L, (int)f->nsel, 0);
		for (size_t i = 0; i < f->nsel; i++) {
			push_field(L, &f->sel[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_setfield(L, -2, "fields");
	}
}

static int l_parse(lua_State *L)
{
	struct gq_query *q = parse_arg(L, 1, "lab.graphql.parse");
	if (!q)
		return 2;
	lua_createtable(L, (int)q->root.nsel, 0);
	for (size_t i = 0; i < q->root.nsel; i++) {
		push_field(L, &q->root.sel[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static const luaL_Reg methods[] = {
	{"execute", m_execute}, {"fetch", m_fetch},   {"stats", m_stats},
	{"reset", m_reset},     {"schema", m_schema}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {{"__tostring", m_tostring}, {NULL, NULL}};

static const struct lab_class gq_class = {
	.name = "lab.graphql", .methods = methods, .metamethods = metamethods, .free = free_db};

static const luaL_Reg functions[] = {{"new", l_new}, {"parse", l_parse}, {NULL, NULL}};

const struct lab_namespace lab_ns_graphql = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&gq_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {"g:execute", exec_opts}, {NULL}},
};
