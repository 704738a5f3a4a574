/*
 * paging_lua.c — lab.paging: the Lua binding of paging.h.
 *
 *   local t = lab.paging.table{rows = 20, order = "desc", seed = 1}
 *   t:insert([key]) t:delete(key) t:keys() t:offset(offset, limit)
 *   t:after(cursor, limit) -> keys, next_cursor   t:cursor(key) t:decode(c)
 *   lab.paging.walk{rows =, limit =, mode = "offset" | "cursor", ...}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/paging/paging.h"

struct table_config {
	int64_t rows, seed;
	int order;
};

static const struct lab_opt table_opts[] = {
	{"rows", LAB_INT, .num = 20, .min = 0, .max = 1e6, .help = "rows at first, keys 1..rows",
	 LAB_INTO(struct table_config, rows)},
	{"order", LAB_ENUM, .str = "asc", .choices = "asc desc",
	 .help = "the listing order of the keys (desc: newest first)",
	 LAB_INTO(struct table_config, order)},
	{"seed", LAB_INT, .num = 1, .help = "keys the cursors' check tag",
	 LAB_INTO(struct table_config, seed)},
	{NULL},
};

struct walk_config {
	int64_t rows, limit, inserts, deletes, max_pages, seed;
	int mode, order;
};

static const struct lab_opt walk_opts[] = {
	{"rows", LAB_INT, .num = 100, .min = 0, .max = 1e6, .help = "rows at the start",
	 LAB_INTO(struct walk_config, rows)},
	{"limit", LAB_INT, .num = 10, .min = 1, .max = 1e5, .help = "rows per page",
	 LAB_INTO(struct walk_config, limit)},
	{"mode", LAB_ENUM, .str = "offset", .choices = "offset cursor",
	 LAB_INTO(struct walk_config, mode)},
	{"order", LAB_ENUM, .str = "desc", .choices = "asc desc",
	 LAB_INTO(struct walk_config, order)},
	{"inserts", LAB_INT, .num = 0, .min = 0, .max = 1e4, .help = "new rows between two fetches",
	 LAB_INTO(struct walk_config, inserts)},
	{"deletes", LAB_INT, .num = 0, .min = 0, .max = 1e4,
	 .help = "random rows deleted between two fetches", LAB_INTO(struct walk_config, deletes)},
	{"max_pages", LAB_INT, .num = 10000, .min = 1, .max = 1e6, .help = "stop after so many",
	 LAB_INTO(struct walk_config, max_pages)},
	{"seed", LAB_INT, .num = 1, .help = "seed of the deletions", LAB_INTO(struct walk_config, seed)},
	{NULL},
};

static void free_table(void *obj)
{
	paging_free(obj);
}

static const struct lab_class table_class;

static int l_table(lua_State *L)
{
	struct table_config c;
	lab_opts_into(L, 1, "lab.paging.table", table_opts, &c, 0);
	struct paging_table *t = lab_newobj(L, &table_class, sizeof *t); /* push table */
	if (paging_init(t, (size_t)c.rows, c.order == 1, (uint64_t)c.seed) != 0)
		return lab_fail(L, "lab.paging.table: not enough memory");
	return 1;
}

static int64_t check_key(lua_State *L, int idx)
{
	lua_Integer k = luaL_checkinteger(L, idx);
	luaL_argcheck(L, k >= 1 && k <= ((lua_Integer)1 << 53), idx, "a key is an integer >= 1");
	return (int64_t)k;
}

static int m_insert(lua_State *L)
{
	struct paging_table *t = lab_self(L, &table_class);
	int64_t key = lua_isnoneornil(L, 2) ? t->next : check_key(L, 2);
	int rc = paging_insert(t, key);
	if (rc < 0)
		return lab_fail(L, "lab.paging: insert: not enough memory");
	if (rc == 0)
		return luaL_error(L, "lab.paging: insert: key %I is already there", (lua_Integer)key);
	lua_pushinteger(L, (lua_Integer)key);
	return 1;
}

static int m_delete(lua_State *L)
{
	struct paging_table *t = lab_self(L, &table_class);
	lua_pushboolean(L, paging_delete(t, check_key(L, 2)));
	return 1;
}

static void push_keys(lua_State *L, const int64_t *k, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushinteger(L, (lua_Integer)k[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static int m_keys(lua_State *L)
{
	struct paging_table *t = lab_self(L, &table_class);
	lua_createtable(L, (int)t->n, 0); /* push list */
	for (size_t i = 0; i < t->n; i++) {
		lua_pushinteger(L, (lua_Integer)paging_at(t, i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static size_t check_limit(lua_State *L, int idx)
{
	lua_Integer l = luaL_checkinteger(L, idx);
	luaL_argcheck(L, l >= 1 && l <= 100000, idx, "a limit is between 1 and 100000");
	return (size_t)l;
}

static int m_offset(lua_State *L)
{
	struct paging_table *t = lab_self(L, &table_class);
	lua_Integer off = luaL_checkinteger(L, 2);
	luaL_argcheck(L, off >= 0, 2, "an offset is >= 0");
	size_t limit = check_limit(L, 3);
	int64_t *out = lab_scratch(L, limit * sizeof *out);
	size_t n = paging_offset(t, (size_t)off, limit, out);
	push_keys(L, out, n);
	return 1;
}

static int m_after(lua_State *L)
{
	struct paging_table *t = lab_self(L, &table_class);
	int have = !lua_isnil(L, 2);
	int64_t key = 0;
	if (have) {
		size_t len;
		const char *s = luaL_checklstring(L, 2, &len);
		if (paging_decode(t, s, len, &key) != 0)
			return luaL_error(L, "lab.paging: after: invalid cursor");
	}
	size_t limit = check_limit(L, 3);
	int64_t *out = lab_scratch(L, limit * sizeof *out);
	int more = 0;
	size_t n = paging_after(t, have, key, limit, out, &more);
	push_keys(L, out, n);
	if (!more || n == 0)
		return 1;
	char buf[PAGING_CURSOR_LEN];
	paging_cursor(t, out[n - 1], buf);
	lua_pushstring(L, buf);
	return 2;
}

static int m_cursor(lua_State *L)
{
	struct paging_table *t = lab_self(L, &table_class);
	char buf[PAGING_CURSOR_LEN];
	paging_cursor(t, check_key(L, 2), buf);
	lua_pushstring(L, buf);
	return 1;
}

static int m_decode(lua_State *L)
{
	struct paging_table *t = lab_self(L, &table_class);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	int64_t key;
	if (paging_decode(t, s, len, &key) != 0) {
		lua_pushnil(L);
		lua_pushliteral(L, "invalid cursor");
		return 2;
	}
	lua_pushinteger(L, (lua_Integer)key);
	return 1;
}

static int m_len(lua_State *L)
{
	struct paging_table *t = lab_self(L, &table_class);
	lua_pushinteger(L, (lua_Integer)t->n);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct paging_table *t = lab_self(L, &table_class);
	lua_pushfstring(L, "lab.paging.table (%I rows, %s)", (lua_Integer)t->n,
			t->desc ? "newest first" : "oldest first");
	return 1;
}

static void free_walk(void *w)
{
	paging_walk_free(w);
}

static int l_walk(lua_State *L)
{
	struct walk_config c;
	lab_opts_into(L, 1, "lab.paging.walk", walk_opts, &c, 0);
	struct paging_walk *w = lab_holder(L, sizeof *w, free_walk);
	w->rows = (size_t)c.rows;
	w->limit = (size_t)c.limit;
	w->inserts = (size_t)c.inserts;
	w->deletes = (size_t)c.deletes;
	w->max_pages = (size_t)c.max_pages;
	w->cursor = c.mode == 1;
	w->desc = c.order == 1;
	w->seed = (uint64_t)c.seed;
	int rc = paging_walk_run(w);
	if (rc == -2)
		return lab_fail(L, "lab.paging.walk: stopped");
	if (rc != 0)
		return lab_fail(L, "lab.paging.walk: not enough memory");
	lua_createtable(L, 0, 7); /* push result */
	lab_setint(L, "pages", (lua_Integer)w->pages);
	lab_setint(L, "returned", (lua_Integer)w->returned);
	lab_setbool(L, "truncated", w->truncated);
	push_keys(L, w->dups, w->ndups);
	lua_setfield(L, -2, "duplicated");
	push_keys(L, w->skipped, w->nskipped);
	lua_setfield(L, -2, "skipped");
	push_keys(L, w->fresh, w->nfresh);
	lua_setfield(L, -2, "new_seen");
	return 1;
}

static const luaL_Reg methods[] = {
	{"insert", m_insert}, {"delete", m_delete}, {"keys", m_keys},     {"offset", m_offset},
	{"after", m_after},   {"cursor", m_cursor}, {"decode", m_decode}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {{"__len", m_len}, {"__tostring", m_tostring}, {NULL, NULL}};

static const struct lab_class table_class = {
	.name = "lab.paging.table", .methods = methods, .metamethods = metamethods,
	.free = free_table};

static const luaL_Reg functions[] = {{"table", l_table}, {"walk", l_walk}, {NULL, NULL}};

const struct lab_namespace lab_ns_paging = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&table_class, NULL},
	.options = (const struct lab_fnopts[]){{"table", table_opts}, {"walk", walk_opts}, {NULL}},
};
