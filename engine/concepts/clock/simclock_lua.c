/*
 * simclock_lua.c — lab.clock: the Lua binding of simclock.h.
 *
 *   local c = lab.clock.new()         -- simulated seconds, starting at 0
 *   c:now()  c:advance(dt)  c:advance_to(t)
 *   local id = c:after(dt, fn)        -- fn(c, id) runs when time passes it
 *   c:cancel(id)  c:pending()  c:snapshot()
 *
 * Callbacks are kept in the object's user value (a table id -> function),
 * so they live exactly as long as the clock.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/clock/simclock.h"

#include <math.h>

struct lclock {
	struct simclock *c;
};

static const struct lab_class clock_class;

static struct simclock *toclock(lua_State *L)
{
	return ((struct lclock *)lab_self(L, &clock_class))->c;
}

static int l_new(lua_State *L)
{
	double start = luaL_optnumber(L, 1, 0.0);
	luaL_argcheck(L, isfinite(start), 1, "start must be finite");
	struct lclock *lc = lab_newobj(L, &clock_class, sizeof *lc); /* push clock */
	lua_newtable(L);                                             /* callbacks by id */
	lua_setiuservalue(L, -2, 1);
	if (!(lc->c = simclock_new(start)))
		return lab_fail(L, "lab.clock.new: not enough memory");
	return 1;
}

static int m_now(lua_State *L)
{
	lua_pushnumber(L, simclock_now(toclock(L)));
	return 1;
}

/* Fires every timer due up to T, in order, then leaves the clock at T. */
static int advance_to(lua_State *L, double t)
{
	struct simclock *c = toclock(L);
	if (!(t >= simclock_now(c)) || !isfinite(t))
		return luaL_error(L, "simulated time cannot go backwards (now %f, asked %f)",
				  simclock_now(c), t);
	lua_getiuservalue(L, 1, 1);                   /* push callbacks */
	int cbs = lua_gettop(L), fired = 0;
	uint64_t id;
	double at;
	while (simclock_pop_due(c, t, &id, &at) == 1) {
		lua_rawgeti(L, cbs, (lua_Integer)id);     /* push fn */
		lua_pushnil(L);
		lua_rawseti(L, cbs, (lua_Integer)id);     /* forget it: timers fire once */
		lua_pushvalue(L, 1);                      /* push clock */
		lua_pushinteger(L, (lua_Integer)id);
		lua_call(L, 2, 0);                        /* fn(clock, id) */
		fired++;
	}
	lua_pushinteger(L, fired);
	return 1;
}

static int m_advance(lua_State *L)
{
	struct simclock *c = toclock(L);
	double dt = luaL_checknumber(L, 2);
	luaL_argcheck(L, dt >= 0, 2, "cannot advance by a negative time");
	return advance_to(L, simclock_now(c) + dt);
}

static int m_advance_to(lua_State *L)
{
	return advance_to(L, luaL_checknumber(L, 2));
}

static int m_after(lua_State *L)
{
	struct simclock *c = toclock(L);
	double dt = luaL_checknumber(L, 2);
	luaL_checktype(L, 3, LUA_TFUNCTION);
	luaL_argcheck(L, dt >= 0 && isfinite(dt), 2, "delay must be a non-negative number");
	uint64_t id = simclock_after(c, dt);
	if (!id)
		return lab_fail(L, "lab.clock: not enough memory for another timer");
	lua_getiuservalue(L, 1, 1);                   /* push callbacks */
	lua_pushvalue(L, 3);
	lua_rawseti(L, -2, (lua_Integer)id);          /* callbacks[id] = fn */
	lua_pushinteger(L, (lua_Integer)id);
	return 1;
}

static int m_cancel(lua_State *L)
{
	struct simclock *c = toclock(L);
	lua_Integer id = luaL_checkinteger(L, 2);
	int was = id > 0 && simclock_cancel(c, (uint64_t)id);
	if (was) {
		lua_getiuservalue(L, 1, 1);           /* push callbacks */
		lua_pushnil(L);
		lua_rawseti(L, -2, id);               /* callbacks[id] = nil */
	}
	lua_pushboolean(L, was);
	return 1;
}

static int m_pending(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)simclock_pending(toclock(L)));
	return 1;
}

static int m_snapshot(lua_State *L)
{
	struct simclock *c = toclock(L);
	size_t n = simclock_pending(c);
	uint64_t *ids = lab_scratch(L, n * sizeof *ids);  /* push scratch */
	double *ats = lab_scratch(L, n * sizeof *ats);    /* push scratch */
	if (simclock_timers(c, ids, ats, n) != n)
		return lab_fail(L, "lab.clock: not enough memory");
	lua_createtable(L, 0, 2);                          /* push snapshot */
	lab_setnum(L, "now", simclock_now(c));
	lua_createtable(L, (int)n, 0);                     /* timers, earliest first */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 2);
		lab_setint(L, "id", (lua_Integer)ids[i]);
		lab_setnum(L, "at", ats[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);    /* timers[i+1] = timer */
	}
	lua_setfield(L, -2, "timers");
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct simclock *c = toclock(L);
	lua_pushfstring(L, "lab.clock(now=%f, %d pending)", simclock_now(c),
			(int)simclock_pending(c));
	return 1;
}

static void free_clock(void *obj)
{
	simclock_free(((struct lclock *)obj)->c);
}

static const luaL_Reg methods[] = {
	{"now", m_now},         {"advance", m_advance}, {"advance_to", m_advance_to},
	{"after", m_after},     {"cancel", m_cancel},   {"pending", m_pending},
	{"snapshot", m_snapshot}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {{"__tostring", m_tostring}, {NULL, NULL}};

static const struct lab_class clock_class = {
	.name = "lab.clock", .methods = methods, .metamethods = metamethods, .free = free_clock};

const struct lab_namespace lab_ns_clock = {
	.functions = (const luaL_Reg[]){{"new", l_new}, {NULL, NULL}},
	.classes = (const struct lab_class *const[]){&clock_class, NULL},
};
