/*
 * wal_lua.c — lab.wal: the Lua binding of wal.h.
 *
 *   local db = lab.wal.new{pages = 8, synchronous = "full", crash_at = 17}
 *   local tx = db:begin()  tx:write(k, v)  tx:read(k)  tx:commit() tx:abort()
 *   db:read(k) db:state() db:checkpoint() db:crash() db:recover()
 *   db:crashed() db:disk() db:trace() db:stats()
 *   lab.wal.replay(pages, log) -> the state recovery builds
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/wal/wal.h"

#include <string.h>

struct lwal {
	struct wal *w;
};

struct ltx {
	struct wal_tx *t;
	int done;
};

static void free_wal(void *obj)
{
	struct lwal *l = obj;
	wal_free(l->w);
	l->w = NULL;
}

static void free_tx(void *obj)
{
	struct ltx *x = obj;
	wal_tx_free(x->t);
	x->t = NULL;
}

static const struct lab_class wal_class, tx_class;

static struct wal *todb(lua_State *L)
{
	return ((struct lwal *)lab_self(L, &wal_class))->w;
}

static const char *const step_names[] = {
	"log write", "log commit", "fsync log", "page write", "fsync data", "truncate log",
};

/* Appends a description of step I (0-based) of W. */
static void step_text(struct wal *w, size_t i, struct sbuf *sb)
{
	const struct wal_step *s = wal_step_at(w, i);
	sbuf_addf(sb, "%zu %s", i + 1, step_names[s->kind]);
	if (s->kind == WAL_LOG_WRITE)
		sbuf_addf(sb, " T%u page %d", s->tx, s->page);
	else if (s->kind == WAL_LOG_COMMIT)
		sbuf_addf(sb, " T%u", s->tx);
	else if (s->kind == WAL_PAGE_WRITE)
		sbuf_addf(sb, " page %d", s->page);
}

/* Pushes false and "the database crashed at step N (what)". */
static int push_crashed(lua_State *L, struct wal *w)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_adds(&sb, "the database crashed at step ");
	step_text(w, wal_nsteps(w) - 1, &sb);
	lua_pushboolean(L, 0);
	lua_pushstring(L, sbuf_str(&sb));
	sbuf_free(&sb);
	return 2;
}

static void refuse_crashed(lua_State *L, struct wal *w, const char *who)
{
	if (wal_crashed(w))
		luaL_error(L, "%s: the database has crashed: db:recover() first", who);
}

static int check_page(lua_State *L, struct wal *w, int idx, const char *who)
{
	lua_Integer p = luaL_checkinteger(L, idx);
	int pages = wal_config(w)->pages;
	if (p < 1 || p > pages)
		luaL_error(L, "%s: pages are 1 to %d (got %I)", who, pages, p);
	return (int)p;
}

static void check_val(lua_State *L, int idx, struct wal_val *v, const char *who)
{
	memset(v, 0, sizeof *v);
	if (lua_isnoneornil(L, idx))
		return;
	if (lua_isinteger(L, idx)) {
		v->kind = 1;
		v->i = lua_tointeger(L, idx);
		return;
	}
	if (lua_type(L, idx) == LUA_TSTRING) {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		if (len > WAL_MAX_VALUE)
			luaL_error(L, "%s: a value holds at most %d bytes (got %I)", who, WAL_MAX_VALUE,
				   (lua_Integer)len);
		v->kind = 2;
		v->len = len;
		memcpy(v->s, s, len);
		return;
	}
	luaL_error(L, "%s: a value is an integer, a string or nil, not %s", who,
		   luaL_typename(L, idx));
}

static void push_val(lua_State *L, const struct wal_val *v)
{
	if (v->kind == 1)
		lua_pushinteger(L, v->i);
	else if (v->kind == 2)
		lua_pushlstring(L, v->s, v->len);
	else
		lua_pushnil(L);
}

static const struct lab_opt new_opts[] = {
	{"pages", LAB_INT, .num = 8, .min = 1, .max = WAL_MAX_PAGES, .help = "keys 1..pages"},
	{"synchronous", LAB_ENUM, .str = "full", .choices = "off normal full",
	 .help = "when the log and the data file are fsynced"},
	{"checkpoint", LAB_INT, .num = 4, .min = 0, .max = 1e9,
	 .help = "commits between automatic checkpoints; 0: only db:checkpoint()"},
	{"crash_at", LAB_INT, .num = 0, .min = 0, .max = 1e12, .help = "the step to crash at; 0: none"},
	{"seed", LAB_INT, .num = 1, .help = "which writes a crash keeps, loses or tears"},
	{"fsync_ms", LAB_NUM, .num = 2, .min = 0, .max = 1000, .help = "simulated time of an fsync"},
	{NULL},
};
enum { NEW_PAGES, NEW_SYNC, NEW_CHECKPOINT, NEW_CRASH_AT, NEW_SEED, NEW_FSYNC_MS };

static int l_new(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.wal.new", new_opts); /* push box */
	static const int modes[] = {WAL_OFF, WAL_NORMAL, WAL_FULL};
	struct wal_config c = {
		.pages = (int)o[NEW_PAGES].i,
		.sync = modes[o[NEW_SYNC].choice],
		.checkpoint = (int)o[NEW_CHECKPOINT].i,
		.crash_at = o[NEW_CRASH_AT].i,
		.seed = (uint64_t)o[NEW_SEED].i,
		.fsync_ms = o[NEW_FSYNC_MS].num,
	};
	struct lwal *l = lab_newobj(L, &wal_class, sizeof *l);      /* push object */
	l->w = wal_new(&c);
	if (!l->w)
		return lab_fail(L, "lab.wal.new: not enough memory");
	return 1;
}

static int m_begin(lua_State *L)
{
	struct wal *w = todb(L);
	refuse_crashed(L, w, "db:begin");
	struct ltx *x = lab_newobj(L, &tx_class, sizeof *x);        /* push tx */
	lua_pushvalue(L, 1);                                       /* push db */
	lua_setiuservalue(L, -2, 1);                               /* tx keeps its db */
	x->t = wal_begin(w);
	if (!x->t)
		return lab_fail(L, "db:begin: not enough memory");
	return 1;
}

/* The transaction at 1 (not finished) and its database. */
static struct ltx *totx(lua_State *L, struct wal **w, const char *who)
{
	struct ltx *x = lab_self(L, &tx_class);
	if (x->done)
		luaL_error(L, "%s: this transaction is over", who);
	lua_getiuservalue(L, 1, 1);                                /* push db */
	*w = ((struct lwal *)lab_checkobj(L, -1, &wal_class))->w;
	lua_pop(L, 1);                                             /* remove db */
	return x;
}

static int t_write(lua_State *L)
{
	struct wal *w;
	struct ltx *x = totx(L, &w, "tx:write");
	int page = check_page(L, w, 2, "tx:write");
	struct wal_val v;
	check_val(L, 3, &v, "tx:write");
	if (wal_tx_write(x->t, page, &v) != 0)
		return lab_fail(L, "tx:write: not enough memory");
	return 0;
}

static int t_read(lua_State *L)
{
	struct wal *w;
	struct ltx *x = totx(L, &w, "tx:read");
	struct wal_val v;
	wal_tx_read(w, x->t, check_page(L, w, 2, "tx:read"), &v);
	push_val(L, &v);
	return 1;
}

static int t_commit(lua_State *L)
{
	struct wal *w;
	struct ltx *x = totx(L, &w, "tx:commit");
	refuse_crashed(L, w, "tx:commit");
	int returned;
	int rc = wal_commit(w, x->t, &returned);
	x->done = 1;
	if (rc < 0)
		return lab_fail(L, "tx:commit: not enough memory");
	if (rc == 1 && !returned)
		return push_crashed(L, w);
	lua_pushboolean(L, 1);                  /* committed (a crash in the checkpoint after
						   it is the next operation's news) */
	return 1;
}

static int t_abort(lua_State *L)
{
	struct ltx *x = lab_self(L, &tx_class);
	x->done = 1;
	return 0;
}

static int m_read(lua_State *L)
{
	struct wal *w = todb(L);
	refuse_crashed(L, w, "db:read");
	struct wal_val v;
	wal_read(w, check_page(L, w, 2, "db:read"), &v);
	push_val(L, &v);
	return 1;
}

static int m_state(lua_State *L)
{
	struct wal *w = todb(L);
	refuse_crashed(L, w, "db:state");
	lua_newtable(L);                                           /* push state */
	for (int p = 1; p <= wal_config(w)->pages; p++) {
		struct wal_val v;
		wal_read(w, p, &v);
		push_val(L, &v);
		lua_rawseti(L, -2, p);
	}
	return 1;
}

static int m_checkpoint(lua_State *L)
{
	struct wal *w = todb(L);
	refuse_crashed(L, w, "db:checkpoint");
	int rc = wal_checkpoint(w);
	if (rc < 0)
		return lab_fail(L, "db:checkpoint: not enough memory");
	if (rc == 1)
		return push_crashed(L, w);
	lua_pushboolean(L, 1);
	return 1;
}

static int m_crash(lua_State *L)
{
	struct wal *w = todb(L);
	refuse_crashed(L, w, "db:crash");
	wal_crash(w);
	return 0;
}

static int m_crashed(lua_State *L)
{
	lua_pushboolean(L, wal_crashed(todb(L)));
	return 1;
}

static int m_recover(lua_State *L)
{
	struct wal *w = todb(L);
	if (!wal_crashed(w))
		return luaL_error(L, "db:recover: the database has not crashed (db:crash() first)");
	int replayed, discarded;
	if (wal_recover(w, &replayed, &discarded) != 0)
		return lab_fail(L, "db:recover: not enough memory");
	lua_createtable(L, 0, 2);                                  /* push result */
	lab_setint(L, "replayed", replayed);
	lab_setint(L, "discarded", discarded);
	return 1;
}

/* Pushes the records as db:disk() shows them. */
static void push_records(lua_State *L, const struct wal_record *r, size_t n)
{
	lua_createtable(L, (int)n, 0);                             /* push log */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 5);                          /* push record */
		if (r[i].valid) {
			lab_setstr(L, "type", r[i].type == 1 ? "write" : "commit");
			lab_setint(L, "tx", r[i].tx);
			if (r[i].type == 1) {
				lab_setint(L, "page", r[i].page);
				push_val(L, &r[i].v);
				lua_setfield(L, -2, "value");
			}
		}
		lab_setbool(L, "valid", r[i].valid);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static int m_disk(lua_State *L)
{
	struct wal *w = todb(L);
	struct wal_record *r;
	size_t n;
	if (wal_disk_log(w, &r, &n) != 0)
		return lab_fail(L, "db:disk: not enough memory");
	lua_createtable(L, 0, 2);                                  /* push disk */
	lua_newtable(L);                                           /* push pages */
	for (int p = 1; p <= wal_config(w)->pages; p++) {
		struct wal_val v;
		wal_disk_page(w, p, &v);
		push_val(L, &v);
		lua_rawseti(L, -2, p);
	}
	lua_setfield(L, -2, "pages");
	push_records(L, r, n);
	budget_free(r);
	lua_setfield(L, -2, "log");
	return 1;
}

static int m_trace(lua_State *L)
{
	struct wal *w = todb(L);
	lua_Integer from = luaL_optinteger(L, 2, 1);
	size_t n = wal_nsteps(w);
	lua_newtable(L);                                           /* push lines */
	lua_Integer k = 0;
	struct sbuf sb = SBUF_INIT;
	for (size_t i = from > 1 ? (size_t)from - 1 : 0; i < n; i++) {
		sbuf_truncate(&sb, 0);
		step_text(w, i, &sb);
		lua_pushstring(L, sbuf_str(&sb));
		lua_rawseti(L, -2, ++k);
	}
	sbuf_free(&sb);
	return 1;
}

#define SF(m) LAB_F(struct wal_stats, m)
static const struct lab_field stats_fields[] = {
	SF(steps), SF(log_writes), SF(log_bytes), SF(page_writes), SF(fsyncs), SF(commits),
	SF(checkpoints), SF(crashes), SF(recoveries), SF(time_ms), {NULL},
};

static int m_stats(lua_State *L)
{
	struct wal *w = todb(L);
	const struct wal_stats *s = wal_stats(w);
	lab_pushfields(L, s, stats_fields);                        /* push stats */
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct wal *w = todb(L);
	static const char *const modes[] = {"off", "normal", "full"};
	lua_pushfstring(L, "lab.wal(synchronous %s, %d pages, %I steps%s)", modes[wal_config(w)->sync],
			wal_config(w)->pages, (lua_Integer)wal_stats(w)->steps,
			wal_crashed(w) ? ", crashed" : "");
	return 1;
}

/* ---- lab.wal.replay ---- */

/* Reads a record table at the top of the stack into R. */
static void read_record(lua_State *L, lua_Integer i, struct wal_record *r, int pages)
{
	int top = lua_gettop(L);
	memset(r, 0, sizeof *r);
	if (lua_type(L, top) != LUA_TTABLE)
		luaL_error(L, "lab.wal.replay: log record %I is not a table", i);
	lua_pushliteral(L, "valid");
	lua_rawget(L, top);
	r->valid = lua_isnil(L, -1) || lua_toboolean(L, -1);
	lua_pushliteral(L, "type");
	lua_rawget(L, top);
	const char *type = lua_tostring(L, -1);
	if (r->valid) {
		if (!type || (strcmp(type, "write") != 0 && strcmp(type, "commit") != 0))
			luaL_error(L, "lab.wal.replay: record %I has no type 'write' or 'commit'", i);
		r->type = strcmp(type, "write") == 0 ? 1 : 2;
		lua_pushliteral(L, "tx");
		lua_rawget(L, top);
		if (!lua_isinteger(L, -1))
			luaL_error(L, "lab.wal.replay: record %I has no integer tx", i);
		r->tx = (uint32_t)lua_tointeger(L, -1);
		if (r->type == 1) {
			lua_pushliteral(L, "page");
			lua_rawget(L, top);
			lua_Integer p = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
			if (p < 1 || p > pages)
				luaL_error(L, "lab.wal.replay: record %I writes no page of 1..%d", i, pages);
			r->page = (int)p;
			lua_pushliteral(L, "value");
			lua_rawget(L, top);
			check_val(L, -1, &r->v, "lab.wal.replay");
		}
	}
	lua_settop(L, top);
}

static int l_replay(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checktype(L, 2, LUA_TTABLE);
	int pages = 0;
	lua_pushnil(L);                                            /* first key */
	while (lua_next(L, 1)) {                                   /* push key, value */
		if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 ||
		    lua_tointeger(L, -2) > WAL_MAX_PAGES)
			return luaL_error(L, "lab.wal.replay: pages are keyed 1 to %d", WAL_MAX_PAGES);
		if (lua_tointeger(L, -2) > pages)
			pages = (int)lua_tointeger(L, -2);
		lua_pop(L, 1);                                     /* remove value */
	}
	lua_Integer n = (lua_Integer)lua_rawlen(L, 2);
	for (lua_Integer i = 1; i <= n; i++) {                     /* pages the log names */
		lua_rawgeti(L, 2, i);
		if (lua_type(L, -1) == LUA_TTABLE) {
			lua_pushliteral(L, "page");
			lua_rawget(L, -2);
			if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > pages &&
			    lua_tointeger(L, -1) <= WAL_MAX_PAGES)
				pages = (int)lua_tointeger(L, -1);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	struct wal_val *data = lua_newuserdatauv(L, ((size_t)pages + 1) * sizeof *data, 0);
	struct wal_record *recs = lua_newuserdatauv(L, ((size_t)n + 1) * sizeof *recs, 0);
	memset(data, 0, ((size_t)pages + 1) * sizeof *data);
	for (int p = 1; p <= pages; p++) {
		lua_rawgeti(L, 1, p);
		check_val(L, -1, &data[p], "lab.wal.replay");
		lua_pop(L, 1);
	}
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, 2, i);                              /* push record */
		read_record(L, i, &recs[i - 1], pages);
		lua_pop(L, 1);                                     /* remove it */
	}
	wal_replay(data, pages, recs, (size_t)n, NULL);
	lua_createtable(L, pages, 0);                              /* push state */
	for (int p = 1; p <= pages; p++) {
		push_val(L, &data[p]);
		lua_rawseti(L, -2, p);
	}
	return 1;
}

static const luaL_Reg methods[] = {
	{"begin", m_begin},     {"read", m_read},       {"state", m_state},
	{"checkpoint", m_checkpoint}, {"crash", m_crash}, {"crashed", m_crashed},
	{"recover", m_recover}, {"disk", m_disk},       {"trace", m_trace},
	{"stats", m_stats},     {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static int t_tostring(lua_State *L)
{
	struct ltx *x = lab_self(L, &tx_class);
	lua_pushstring(L, x->done ? "lab.wal.tx(over)" : "lab.wal.tx(open)");
	return 1;
}

static const luaL_Reg tx_metamethods[] = {
	{"__tostring", t_tostring},
	{NULL, NULL},
};

static const luaL_Reg tx_methods[] = {
	{"write", t_write}, {"read", t_read}, {"commit", t_commit}, {"abort", t_abort},
	{NULL, NULL},
};

static const struct lab_class wal_class = {
	.name = "lab.wal", .methods = methods, .metamethods = metamethods, .free = free_wal,
};

static const struct lab_class tx_class = {
	.name = "lab.wal.tx", .methods = tx_methods, .metamethods = tx_metamethods, .free = free_tx,
	.uservalues = 1,
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{"replay", l_replay},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_wal = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&wal_class, &tx_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {NULL, NULL}},
};
