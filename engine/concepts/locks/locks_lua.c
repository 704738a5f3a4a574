/*
 * locks_lua.c — lab.locks: the Lua binding of locks.h.
 *
 *   local lm = lab.locks.new{victim = "youngest"}
 *   lm:lock(tx, res, "S"|"X") -> "granted" | "waiting" | "deadlock", victim, cycle
 *   lm:release(tx) -> {{tx, res, mode}, ...} granted as a result
 *   lm:holders(res) lm:waiting(tx) lm:edges() lm:stats()
 *   lab.locks.find_cycle(edges) -> cycle or nil
 *   lab.locks.simulate{strategy = "for_update", ...} -> results
 *
 * Resources may be named by integers or strings; the binding numbers the
 * strings (user value 1 maps names to numbers, 2 numbers to names).
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/locks/locks.h"

#include <string.h>

struct llocks {
	struct lockmgr *m;
	int64_t next_name; /* numbers given to string names: -1, -2, ... */
};

static void free_locks(void *obj)
{
	struct llocks *l = obj;
	lk_free(l->m);
	l->m = NULL;
}

static const struct lab_class locks_class;

static struct llocks *tolocks(lua_State *L)
{
	return lab_self(L, &locks_class);
}

static uint32_t check_tx(lua_State *L, int idx, const char *who)
{
	lua_Integer t = luaL_checkinteger(L, idx);
	if (t < 1 || t > 1000000)
		luaL_error(L, "%s: transactions are numbered 1 to 10^6 (got %I)", who, t);
	return (uint32_t)t;
}

/* The number of the resource at IDX (an integer, or a string numbered on
 * first use). */
static int64_t check_res(lua_State *L, struct llocks *l, int idx, const char *who)
{
	if (lua_isinteger(L, idx)) {
		lua_Integer r = lua_tointeger(L, idx);
		if (r < 0)
			luaL_error(L, "%s: a resource number must not be negative", who);
		return r;
	}
	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_error(L, "%s: a resource is an integer or a string, not %s", who,
			   luaL_typename(L, idx));
	lua_getiuservalue(L, 1, 1);                            /* push names */
	lua_pushvalue(L, idx);
	if (lua_rawget(L, -2) == LUA_TNUMBER) {                /* push number or nil */
		int64_t r = lua_tointeger(L, -1);
		lua_pop(L, 2);
		return r;
	}
	lua_pop(L, 1);                                         /* remove nil */
	int64_t r = --l->next_name;
	lua_pushvalue(L, idx);
	lua_pushinteger(L, r);
	lua_rawset(L, -3);                                     /* names[name] = r */
	lua_getiuservalue(L, 1, 2);                            /* push numbers */
	lua_pushvalue(L, idx);
	lua_rawseti(L, -2, r);                                 /* numbers[r] = name */
	lua_pop(L, 2);                                         /* remove both */
	return r;
}

static void push_res(lua_State *L, int64_t r)
{
	if (r >= 0) {
		lua_pushinteger(L, r);
		return;
	}
	lua_getiuservalue(L, 1, 2);                            /* push numbers */
	lua_rawgeti(L, -1, r);                                 /* push name */
	lua_remove(L, -2);                                     /* remove numbers */
}

static int check_mode(lua_State *L, int idx, const char *who)
{
	const char *s = luaL_checkstring(L, idx);
	if (strcmp(s, "S") == 0)
		return LK_S;
	if (strcmp(s, "X") == 0)
		return LK_X;
	return luaL_error(L, "%s: a lock mode is \"S\" (shared) or \"X\" (exclusive), not \"%s\"",
			  who, s);
}

static const struct lab_opt new_opts[] = {
	{"victim", LAB_ENUM, .str = "youngest", .choices = "youngest fewest_locks",
	 .help = "who is aborted to break a deadlock"},
	{NULL},
};

static int l_new(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.locks.new", new_opts); /* push box */
	struct llocks *l = lab_newobj(L, &locks_class, sizeof *l); /* push object */
	lua_newtable(L);
	lua_setiuservalue(L, -2, 1);
	lua_newtable(L);
	lua_setiuservalue(L, -2, 2);
	l->m = lk_new(o[0].choice == 0 ? LK_VICTIM_YOUNGEST : LK_VICTIM_FEWEST_LOCKS);
	if (!l->m)
		return lab_fail(L, "lab.locks.new: not enough memory");
	return 1;
}

static void push_grants(lua_State *L, const struct lk_grant *g, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 3, 0);
		lua_pushinteger(L, g[i].tx);
		lua_rawseti(L, -2, 1);
		push_res(L, g[i].res);
		lua_rawseti(L, -2, 2);
		lua_pushstring(L, g[i].mode == LK_X ? "X" : "S");
		lua_rawseti(L, -2, 3);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

#define MAXG 1024

static int m_lock(lua_State *L)
{
	struct llocks *l = tolocks(L);
	uint32_t tx = check_tx(L, 2, "lm:lock");
	int64_t res = check_res(L, l, 3, "lm:lock");
	int mode = check_mode(L, 4, "lm:lock");
	uint32_t victim = 0;
	size_t ncycle, ngranted;
	uint32_t *cycle = lua_newuserdatauv(L, MAXG * sizeof *cycle, 0);      /* scratch */
	struct lk_grant *g = lua_newuserdatauv(L, MAXG * sizeof *g, 0);       /* scratch */
	int rc = lk_lock(l->m, tx, res, mode, &victim, cycle, MAXG, &ncycle, g, MAXG, &ngranted);
	if (rc == -1)
		return lab_fail(L, "lm:lock: not enough memory");
	if (rc == -2)
		return luaL_error(L, "lm:lock: T%d %s", (int)tx,
				  lk_aborted(l->m, tx) ? "was aborted as a deadlock victim: "
							 "lm:release(tx) ends it"
						       : "is waiting already: it cannot ask for more");
	if (rc == LK_GRANTED) {
		lua_pushliteral(L, "granted");
		return 1;
	}
	if (rc == LK_WAITING) {
		lua_pushliteral(L, "waiting");
		return 1;
	}
	lua_pushliteral(L, "deadlock");
	lua_pushinteger(L, victim);
	lua_createtable(L, (int)ncycle, 0);
	for (size_t i = 0; i < ncycle && i < MAXG; i++) {
		lua_pushinteger(L, cycle[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	push_grants(L, g, ngranted < MAXG ? ngranted : MAXG);
	return 4;
}

static int m_release(lua_State *L)
{
	struct llocks *l = tolocks(L);
	uint32_t tx = check_tx(L, 2, "lm:release");
	struct lk_grant *g = lua_newuserdatauv(L, MAXG * sizeof *g, 0); /* scratch */
	size_t n;
	lk_release(l->m, tx, g, MAXG, &n);
	push_grants(L, g, n < MAXG ? n : MAXG);
	return 1;
}

static int m_holders(lua_State *L)
{
	struct llocks *l = tolocks(L);
	int64_t res = check_res(L, l, 2, "lm:holders");
	size_t n = lk_holders(l->m, res, NULL, 0);
	struct lk_grant *g = lua_newuserdatauv(L, (n ? n : 1) * sizeof *g, 0); /* scratch */
	lk_holders(l->m, res, g, n);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 2);
		lab_setint(L, "tx", g[i].tx);
		lab_setstr(L, "mode", g[i].mode == LK_X ? "X" : "S");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int m_waiting(lua_State *L)
{
	struct llocks *l = tolocks(L);
	uint32_t tx = check_tx(L, 2, "lm:waiting");
	int64_t res;
	int mode;
	if (!lk_waiting(l->m, tx, &res, &mode)) {
		lua_pushnil(L);
		return 1;
	}
	push_res(L, res);
	lua_pushstring(L, mode == LK_X ? "X" : "S");
	return 2;
}

static int m_edges(lua_State *L)
{
	struct llocks *l = tolocks(L);
	size_t n = lk_edges(l->m, NULL, 0);
	uint32_t *e = lua_newuserdatauv(L, (n ? n : 1) * 2 * sizeof *e, 0); /* scratch */
	lk_edges(l->m, e, n);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 2, 0);
		lua_pushinteger(L, e[2 * i]);
		lua_rawseti(L, -2, 1);
		lua_pushinteger(L, e[2 * i + 1]);
		lua_rawseti(L, -2, 2);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

#define SF(m) LAB_F(struct lk_stats, m)
static const struct lab_field stats_fields[] = {
	SF(requests), SF(granted), SF(waits), SF(deadlocks), SF(releases), {NULL},
};

static int m_stats(lua_State *L)
{
	const struct lk_stats *s = lk_stats(tolocks(L)->m);
	lab_pushfields(L, s, stats_fields);
	return 1;
}

/* lab.locks.find_cycle({{from, to}, ...}) -> cycle or nil */
static int l_find_cycle(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	size_t n = lua_rawlen(L, 1);
	uint32_t *buf = lua_newuserdatauv(L, (n ? n : 1) * 4 * sizeof *buf, 0); /* scratch */
	uint32_t *from = buf, *to = buf + n, *cycle = buf + 2 * n;
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, 1, (lua_Integer)i + 1);         /* push edge */
		if (lua_type(L, -1) != LUA_TTABLE)
			return luaL_error(L, "lab.locks.find_cycle: edge %d is not {from, to}", (int)i + 1);
		for (int k = 1; k <= 2; k++) {
			lua_rawgeti(L, -1, k);
			lua_Integer v = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : -1;
			if (v < 0 || v > 0xffffffffLL)
				return luaL_error(L, "lab.locks.find_cycle: edge %d needs two "
						     "transaction numbers", (int)i + 1);
			(k == 1 ? from : to)[i] = (uint32_t)v;
			lua_pop(L, 1);
		}
		lua_pop(L, 1);                                 /* remove edge */
	}
	size_t len = lk_find_cycle(from, to, n, cycle, 2 * n);
	if (!len) {
		lua_pushnil(L);
		return 1;
	}
	lua_createtable(L, (int)len, 0);
	for (size_t i = 0; i < len; i++) {
		lua_pushinteger(L, cycle[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static const struct lab_opt sim_opts[] = {
	{"strategy", LAB_ENUM, .str = "none", .choices = "none for_update unique optimistic",
	 .help = "how a booking is protected"},
	{"clients", LAB_INT, .num = 20, .min = 1, .max = 10000},
	{"slots", LAB_INT, .num = 10, .min = 1, .max = 1e6, .help = "what can be booked"},
	{"skew", LAB_NUM, .num = 1, .min = 0, .max = 5, .help = "Zipf s of the slots' popularity"},
	{"think", LAB_NUM, .num = 0.05, .min = 1e-6, .max = 3600, .help = "seconds between attempts"},
	{"query", LAB_NUM, .num = 0.002, .min = 1e-6, .max = 60, .help = "seconds a statement takes"},
	{"hold", LAB_NUM, .num = 0.5, .min = 0, .max = 1e6, .help = "seconds a booking holds a slot"},
	{"retries", LAB_INT, .num = 5, .min = 1, .max = 1000, .help = "optimistic: attempts at most"},
	{"duration", LAB_NUM, .num = 60, .min = 0.001, .max = 1e6, .help = "seconds simulated"},
	{"seed", LAB_INT, .num = 1},
	{NULL},
};

#define RF(m) LAB_F(struct bk_result, m)
static const struct lab_field result_fields[] = {
	RF(attempts), RF(booked), RF(taken), RF(double_bookings), RF(gave_up), RF(retries),
	RF(waits), RF(wait_time), RF(latency_mean), RF(latency_p99), RF(throughput), {NULL},
};

static int l_simulate(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.locks.simulate", sim_opts); /* push box */
	struct bk_config c = {
		.strategy = o[0].choice, .clients = (int)o[1].i, .slots = (int)o[2].i,
		.skew = o[3].num, .think = o[4].num, .query = o[5].num, .hold = o[6].num,
		.retries = (int)o[7].i, .duration = o[8].num, .seed = (uint64_t)o[9].i,
	};
	struct bk_result r;
	if (bk_simulate(&c, &r) != 0)
		return lab_fail(L, "lab.locks.simulate: not enough memory");
	lab_pushfields(L, &r, result_fields);
	return 1;
}

static int m_tostring(lua_State *L)
{
	const struct lk_stats *s = lk_stats(tolocks(L)->m);
	lua_pushfstring(L, "lab.locks(%I requests, %I waits, %I deadlocks)", (lua_Integer)s->requests,
			(lua_Integer)s->waits, (lua_Integer)s->deadlocks);
	return 1;
}

static const luaL_Reg methods[] = {
	{"lock", m_lock},   {"release", m_release}, {"holders", m_holders}, {"waiting", m_waiting},
	{"edges", m_edges}, {"stats", m_stats},     {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class locks_class = {
	.name = "lab.locks", .methods = methods, .metamethods = metamethods, .free = free_locks,
	.uservalues = 2,
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{"find_cycle", l_find_cycle},
	{"simulate", l_simulate},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_locks = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&locks_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {"simulate", sim_opts}, {NULL, NULL}},
};
