/*
 * sql_lua.c — lab.sql: the Lua binding of sql.h.
 *
 *   local db = lab.sql.open("shop")          -- a dataset of the module (data/shop.sql)
 *   db:query(sql, ...) -> rows (each keyed by column name; rows.columns)
 *   db:exec(sql, ...)  -> rows changed        db:plan(sql) -> lines of the plan
 *   db:show(sql, ...)  -> the rows as a text table
 *   db:stats() db:reset_stats() db:close()   lab.sql.datasets()
 */
#include "engine/lab/labkit.h"
#include "engine/lab/lab.h"
#include "engine/base/utf8.h"
#include "engine/concepts/sql/sql.h"
#include "engine/concepts/sql/sqlfile_lua.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_ROWS 25  /* rows db:show() prints before "... more rows" */
#define SHOW_WIDTH 40 /* columns of text a cell of db:show() takes at most */

struct lsql {
	struct sql_db *d;
	char name[48];  /* the dataset, or "" */
	uint64_t seed;
};

static void free_sql(void *obj)
{
	struct lsql *s = obj;
	sql_close(s->d);
	s->d = NULL;
}

static const struct lab_class sql_class;

static struct lsql *todb(lua_State *L)
{
	struct lsql *s = lab_self(L, &sql_class);
	if (!s->d)
		luaL_error(L, "this database was closed");
	return s;
}

/* Raises "lab.sql WHO: message" (or the sandbox's stop reason). */
static int fail_with(lua_State *L, const char *who, struct sbuf *err)
{
	lua_pushfstring(L, "%s", sbuf_str(err));       /* push message (copied) */
	sbuf_free(err);
	return lab_fail(L, "%s: %s", who, lua_tostring(L, -1));
}

static const struct lab_opt open_opts[] = {
	{"seed", LAB_INT, .num = 1, .help = "seeds the dataset's rand_*() and random()"},
	{NULL},
};
enum { OPEN_SEED };

static int l_open(lua_State *L)
{
	const char *name = NULL; /* anchored: an argument */
	int opts = 2;
	if (lua_type(L, 1) == LUA_TSTRING) {
		name = lua_tostring(L, 1);
	} else if (lua_type(L, 1) == LUA_TTABLE) {
		opts = 1;                              /* open{seed = n} */
	} else if (!lua_isnoneornil(L, 1)) {
		return luaL_error(L, "lab.sql.open: give a dataset's name (a string), or nothing "
				     "for an empty database");
	}
	const struct lab_val *o = lab_opts(L, opts, "lab.sql.open", open_opts); /* push box */
	if (name && !sql_dataset_name_ok(name))
		return luaL_error(L, "lab.sql.open: '%s' is not a dataset's name (letters, digits, "
				     "'_' and '-')", name);
	struct sbuf err = SBUF_INIT;
	struct lsql *s = lab_newobj(L, &sql_class, sizeof *s);  /* push object */
	s->seed = (uint64_t)o[OPEN_SEED].i;
	s->d = sql_open(s->seed, &err);
	if (!s->d)
		return fail_with(L, "lab.sql.open", &err);
	if (name) {
		const char *dir = lab_datadir(L);
		if (!dir)
			return luaL_error(L, "lab.sql.open: no datasets here: datasets live in the "
					     "data/ folder of a module; open one of its lessons first");
		snprintf(s->name, sizeof s->name, "%s", name);
		if (sql_load(s->d, dir, name, &err) != 0)
			return fail_with(L, "lab.sql.open", &err);
	}
	return 1;
}

static int l_datasets(lua_State *L)
{
	struct sbuf names = SBUF_INIT;
	int n = sql_datasets(lab_datadir(L), &names);
	lua_createtable(L, n, 0);                      /* push list */
	const char *p = sbuf_str(&names);
	for (int i = 1; i <= n; i++) {
		const char *e = strstr(p, ", ");
		size_t len = e ? (size_t)(e - p) : strlen(p);
		lua_pushlstring(L, p, len);            /* push name */
		lua_rawseti(L, -2, i);                 /* list[i] = it */
		p += len + (e ? 2 : 0);
	}
	sbuf_free(&names);
	return 1;
}

/* ---- statements ---- */

/* Binds arguments FIRST.. of the call to the '?' of ST; raises on a wrong
 * count or a value SQL has no type for. */
static void bind_args(lua_State *L, struct lsql *s, sqlite3_stmt *st, int first, const char *who)
{
	int given = lua_gettop(L) - first + 1, want = sqlite3_bind_parameter_count(st);
	if (given != want) {
		sql_finish(s->d, st);
		luaL_error(L, "%s: the statement has %d parameter%s ('?'), and %d value%s given",
			   who, want, want == 1 ? "" : "s", given, given == 1 ? " was" : "s were");
	}
	for (int i = 1; i <= want; i++) {
		int idx = first + i - 1, rc;
		switch (lua_type(L, idx)) {
		case LUA_TNIL: rc = sqlite3_bind_null(st, i); break;
		case LUA_TBOOLEAN: rc = sqlite3_bind_int(st, i, lua_toboolean(L, idx)); break;
		case LUA_TNUMBER:
			if (lua_isinteger(L, idx))
				rc = sqlite3_bind_int64(st, i, lua_tointeger(L, idx));
			else
				rc = sqlite3_bind_double(st, i, lua_tonumber(L, idx));
			break;
		case LUA_TSTRING: {
			size_t len;
			const char *v = lua_tolstring(L, idx, &len); /* anchored: an argument */
			rc = sqlite3_bind_text64(st, i, v, len, SQLITE_TRANSIENT, SQLITE_UTF8);
			break;
		}
		default:
			sql_finish(s->d, st);
			luaL_error(L, "%s: parameter %d is a %s; SQL takes nil, booleans, numbers "
				      "and strings", who, i, luaL_typename(L, idx));
			return;
		}
		if (rc != SQLITE_OK) {
			sql_finish(s->d, st);
			lab_fail(L, "%s: parameter %d: %s", who, i, sqlite3_errstr(rc));
		}
	}
}

/* Prepares the one statement at argument 2; raises if there is none, more
 * than one, or it does not compile. */
static sqlite3_stmt *prepare_one(lua_State *L, struct lsql *s, const char *who)
{
	size_t len;
	const char *sql = luaL_checklstring(L, 2, &len); /* anchored: an argument */
	struct sbuf err = SBUF_INIT;
	sqlite3_stmt *st;
	const char *tail;
	if (sql_prepare(s->d, sql, len, &st, &tail, &err) != 0)
		fail_with(L, who, &err);
	if (!st)
		luaL_error(L, "%s: there is no statement to run", who);
	if (!sql_blank(tail, sql + len)) {
		sql_finish(s->d, st);
		luaL_error(L, "%s: give one statement (db:exec runs a script of several)", who);
	}
	return st;
}

/* Pushes column I of the row ST is on (nil for NULL). */
static void push_value(lua_State *L, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER: lua_pushinteger(L, sqlite3_column_int64(st, i)); break;
	case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_column_double(st, i)); break;
	case SQLITE_TEXT:
	case SQLITE_BLOB: {
		const void *p = sqlite3_column_blob(st, i);
		lua_pushlstring(L, p ? p : "", (size_t)sqlite3_column_bytes(st, i));
		break;
	}
	default: lua_pushnil(L); break;
	}
}

/* Pushes the list of ST's column names; raises if a name repeats (rows are
 * keyed by name, so one column would hide the other). */
static void push_columns(lua_State *L, struct lsql *s, sqlite3_stmt *st, const char *who)
{
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(sqlite3_column_name(st, i), sqlite3_column_name(st, j)) == 0) {
				lua_pushstring(L, sqlite3_column_name(st, i)); /* push name */
				sql_finish(s->d, st);
				luaL_error(L, "%s: two columns of the result are named '%s': rows are "
					      "keyed by name, so rename one with AS", who,
					   lua_tostring(L, -1));
			}
	lua_createtable(L, n, 0);                      /* push columns */
	for (int i = 0; i < n; i++) {
		lua_pushstring(L, sqlite3_column_name(st, i));
		lua_rawseti(L, -2, i + 1);
	}
}

static int m_query(lua_State *L)
{
	struct lsql *s = todb(L);
	sqlite3_stmt *st = prepare_one(L, s, "db:query");
	bind_args(L, s, st, 3, "db:query");
	push_columns(L, s, st, "db:query");            /* push columns */
	int cols = lua_gettop(L), n = sqlite3_column_count(st);
	lua_newtable(L);                               /* push rows */
	struct sbuf err = SBUF_INIT;
	int rc;
	lua_Integer count = 0;
	while ((rc = sql_step(s->d, st, 1, &err)) == SQLITE_ROW) {
		lua_createtable(L, 0, n);              /* push row */
		for (int i = 0; i < n; i++) {
			push_value(L, st, i);          /* push value */
			lua_rawgeti(L, cols, i + 1);   /* push name */
			lua_insert(L, -2);             /* name, value */
			lua_rawset(L, -3);             /* row[name] = value */
		}
		lua_rawseti(L, -2, ++count);           /* rows[count] = row */
	}
	sql_finish(s->d, st);
	if (rc < 0)
		return fail_with(L, "db:query", &err);
	lua_pushvalue(L, cols);                        /* push columns */
	lua_setfield(L, -2, "columns");                /* rows.columns = it */
	return 1;
}

static int m_exec(lua_State *L)
{
	struct lsql *s = todb(L);
	struct sbuf err = SBUF_INIT;
	if (lua_gettop(L) <= 2) {                      /* a script, no parameters */
		size_t len;
		const char *sql = luaL_checklstring(L, 2, &len); /* anchored: an argument */
		long long changes;
		if (sql_script(s->d, sql, len, &changes, &err) != 0)
			return fail_with(L, "db:exec", &err);
		lua_pushinteger(L, (lua_Integer)changes);
		return 1;
	}
	sqlite3_stmt *st = prepare_one(L, s, "db:exec");
	bind_args(L, s, st, 3, "db:exec");
	long long before = sql_stats(s->d)->changes;
	int rc;
	while ((rc = sql_step(s->d, st, 0, &err)) == SQLITE_ROW)
		;
	sql_finish(s->d, st);
	if (rc < 0)
		return fail_with(L, "db:exec", &err);
	lua_pushinteger(L, (lua_Integer)(sql_stats(s->d)->changes - before));
	return 1;
}

/* db:readonly(sql): whether the one statement only reads (SELECT, or a
 * pragma that reads); it is prepared, not run. */
static int m_readonly(lua_State *L)
{
	struct lsql *s = todb(L);
	sqlite3_stmt *st = prepare_one(L, s, "db:readonly");
	int ro = sqlite3_stmt_readonly(st);
	sqlite3_finalize(st);
	sql_forget(s->d, st);
	lua_pushboolean(L, ro);
	return 1;
}

static int m_plan(lua_State *L)
{
	struct lsql *s = todb(L);
	size_t len;
	const char *sql = luaL_checklstring(L, 2, &len); /* anchored: an argument */
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	if (sql_plan(s->d, sql, len, &out, &err) != 0) {
		sbuf_free(&out);
		return fail_with(L, "db:plan", &err);
	}
	lua_newtable(L);                               /* push lines */
	const char *p = sbuf_str(&out);
	lua_Integer i = 0;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		lua_pushlstring(L, p, n);              /* push line */
		lua_rawseti(L, -2, ++i);               /* lines[i] = it */
		p += n + (e ? 1 : 0);
	}
	sbuf_free(&out);
	return 1;
}

#define SF(m) LAB_F(struct sql_stats, m)
static const struct lab_field stats_fields[] = {
	SF(queries), SF(rows), SF(changes), SF(steps), SF(fullscan_steps), SF(sorts),
	SF(autoindexes), {NULL},
};

static int m_stats(lua_State *L)
{
	struct lsql *s = todb(L);
	const struct sql_stats *st = sql_stats(s->d);
	lab_pushfields(L, st, stats_fields);                      /* push stats */
	return 1;
}

static int m_reset_stats(lua_State *L)
{
	sql_reset_stats(todb(L)->d);
	return 0;
}

static int m_close(lua_State *L)
{
	struct lsql *s = lab_self(L, &sql_class);
	sql_close(s->d);
	s->d = NULL;
	return 0;
}

/* ---- db:show ---- */

/* Appends the text of column I of ST's row to OUT, cut to SHOW_WIDTH
 * columns of display; returns its display width. */
static size_t cell_text(sqlite3_stmt *st, int i, struct sbuf *out)
{
	size_t start = out->len;
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL: sbuf_adds(out, "NULL"); break;
	case SQLITE_INTEGER: sbuf_addf(out, "%lld", (long long)sqlite3_column_int64(st, i)); break;
	case SQLITE_FLOAT: sbuf_addf(out, "%.15g", sqlite3_column_double(st, i)); break;
	case SQLITE_BLOB: {
		const unsigned char *b = sqlite3_column_blob(st, i);
		int n = sqlite3_column_bytes(st, i);
		sbuf_adds(out, "x'");
		for (int k = 0; k < n && k < 16; k++)
			sbuf_addf(out, "%02x", b[k]);
		sbuf_adds(out, n > 16 ? "…'" : "'");
		break;
	}
	default: {
		const char *t = (const char *)sqlite3_column_text(st, i);
		size_t n = (size_t)sqlite3_column_bytes(st, i), w = 0;
		while (n > 0) {
			uint32_t cp;
			int k = utf8_decode(t, n, &cp);
			int cw = k > 0 ? utf8_cpwidth(cp) : 1;
			if (k <= 0 || cp < 32 || cp == 127 || cw < 0) {
				k = k > 0 ? k : 1;
				cw = 1;
				sbuf_addc(out, '?');
			} else if (w + (size_t)cw > SHOW_WIDTH - 1 && n > (size_t)k) {
				sbuf_adds(out, "…");
				w++;
				break;
			} else {
				sbuf_add(out, t, (size_t)k);
			}
			w += (size_t)cw;
			t += k;
			n -= (size_t)k;
		}
		return w;
	}
	}
	return utf8_width(out->buf + start, out->len - start);
}

/* Appends a cell padded to WIDTH: numbers to the right, the rest left. */
static void pad_cell(struct sbuf *out, const char *text, size_t w, size_t width, int right)
{
	if (right)
		sbuf_repeat(out, " ", width - w);
	sbuf_adds(out, text);
	if (!right)
		sbuf_repeat(out, " ", width - w);
}

struct grid {
	int ncol;
	size_t nrow;         /* rows kept (at most SHOW_ROWS) */
	char **cells;        /* (nrow + 1) * ncol: the header first */
	size_t *w;           /* display width of each cell */
	unsigned char *num;  /* whether each cell is a number */
	size_t *width;       /* of each column */
};

static void grid_free(struct grid *g)
{
	size_t n = (g->nrow + 1) * (size_t)g->ncol;
	for (size_t i = 0; g->cells && i < n; i++)
		free(g->cells[i]);
	free(g->cells);
	free(g->w);
	free(g->num);
	free(g->width);
}

static void grid_render(const struct grid *g, size_t total, struct sbuf *out)
{
	for (size_t r = 0; r <= g->nrow; r++) {
		for (int c = 0; c < g->ncol; c++) {
			size_t k = r * (size_t)g->ncol + (size_t)c;
			sbuf_adds(out, c ? " | " : "");
			pad_cell(out, g->cells[k], g->w[k], g->width[c], r > 0 && g->num[k]);
		}
		while (out->len && out->buf[out->len - 1] == ' ')
			sbuf_truncate(out, out->len - 1);
		sbuf_addc(out, '\n');
		if (r == 0) {
			for (int c = 0; c < g->ncol; c++) {
				sbuf_adds(out, c ? "-+-" : "");
				sbuf_repeat(out, "-", g->width[c]);
			}
			sbuf_addc(out, '\n');
		}
	}
	if (total > g->nrow)
		sbuf_addf(out, "… %zu more rows (%zu in all)\n", total - g->nrow, total);
	else
		sbuf_addf(out, "(%zu row%s)\n", total, total == 1 ? "" : "s");
}

static int m_show(lua_State *L)
{
	struct lsql *s = todb(L);
	sqlite3_stmt *st = prepare_one(L, s, "db:show");
	bind_args(L, s, st, 3, "db:show");
	struct grid g = {.ncol = sqlite3_column_count(st)};
	size_t cap = (SHOW_ROWS + 1) * (size_t)g.ncol;
	g.cells = xcalloc(cap ? cap : 1, sizeof *g.cells);
	g.w = xcalloc(cap ? cap : 1, sizeof *g.w);
	g.num = xcalloc(cap ? cap : 1, 1);
	g.width = xcalloc(g.ncol ? (size_t)g.ncol : 1, sizeof *g.width);
	for (int c = 0; c < g.ncol; c++) {
		g.cells[c] = xstrdup(sqlite3_column_name(st, c));
		g.w[c] = g.width[c] = utf8_width(g.cells[c], strlen(g.cells[c]));
	}
	struct sbuf err = SBUF_INIT, cell = SBUF_INIT;
	size_t total = 0;
	int rc;
	while ((rc = sql_step(s->d, st, 1, &err)) == SQLITE_ROW) {
		if (++total > SHOW_ROWS)
			continue;
		g.nrow++;
		for (int c = 0; c < g.ncol; c++) {
			size_t k = g.nrow * (size_t)g.ncol + (size_t)c;
			sbuf_truncate(&cell, 0);
			g.w[k] = cell_text(st, c, &cell);
			g.cells[k] = xstrdup(sbuf_str(&cell));
			int t = sqlite3_column_type(st, c);
			g.num[k] = t == SQLITE_INTEGER || t == SQLITE_FLOAT;
			if (g.w[k] > g.width[c])
				g.width[c] = g.w[k];
		}
	}
	sql_finish(s->d, st);
	sbuf_free(&cell);
	if (rc < 0) {
		grid_free(&g);
		return fail_with(L, "db:show", &err);
	}
	struct sbuf out = SBUF_INIT;
	grid_render(&g, total, &out);
	grid_free(&g);
	lua_pushlstring(L, out.buf, out.len);          /* push text */
	sbuf_free(&out);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct lsql *s = lab_self(L, &sql_class);
	if (!s->d)
		lua_pushliteral(L, "lab.sql(closed)");
	else if (s->name[0])
		lua_pushfstring(L, "lab.sql(%s, seed %I)", s->name, (lua_Integer)s->seed);
	else
		lua_pushliteral(L, "lab.sql(empty)");
	return 1;
}

static const luaL_Reg methods[] = {
	{"query", m_query}, {"exec", m_exec},   {"plan", m_plan}, {"readonly", m_readonly},
	{"show", m_show},   {"stats", m_stats}, {"reset_stats", m_reset_stats},
	{"close", m_close}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class sql_class = {
	.name = "lab.sql", .methods = methods, .metamethods = metamethods, .free = free_sql,
};

static const luaL_Reg functions[] = {
	{"open", l_open},
	{"datasets", l_datasets},
	{NULL, NULL},
};

/* The file-format functions (sqlfile_lua.c) join open and datasets. */
static void fields(lua_State *L)
{
	luaL_setfuncs(L, sqlfile_functions, 0);
}

const struct lab_namespace lab_ns_sql = {
	.functions = functions,
	.fields = fields,
	.classes = (const struct lab_class *const[]){&sql_class, NULL},
	.options = (const struct lab_fnopts[]){{"open", open_opts}, {NULL, NULL}},
};
