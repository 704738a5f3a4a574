/*
 * simclock_lua.c — lab.clock: the Lua binding of simclock.h.
 *
 *   local c = lab.clock.new()         -- simulated seconds, starting at 0
 *   c:now()  c:advance(dt)  c:advance_to(t)
 *   local id = c:after(dt, fn)        -- fn(c, id) runs when time passes it
 *   c:cancel(id)  c:pending()  c:snapshot()
 *
 * Callbacks are kept in the userdata's user value (a table id -> function),
 * so they live exactly as long as the clock.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/clock/simclock.h"

#include <math.h>

#define CLOCK_T "lab.clock"

struct lclock {
	struct simclock *c; /* NULL once collected */
};

static struct simclock *toclock(lua_State *L)
{
	struct lclock *lc = luaL_checkudata(L, 1, CLOCK_T);
	if (!lc->c)
		luaL_error(L, "clock is closed");
	return lc->c;
}

static int l_new(lua_State *L)
{
	double start = luaL_optnumber(L, 1, 0.0);
	luaL_argcheck(L, isfinite(start), 1, "start must be finite");
	struct lclock *lc = lua_newuserdatauv(L, sizeof *lc, 1);
	lc->c = NULL;
	luaL_setmetatable(L, CLOCK_T);
	lua_newtable(L);               /* callbacks by id */
	lua_setiuservalue(L, -2, 1);
	lc->c = simclock_new(start);
	if (!lc->c)
		return luaL_error(L, "not enough memory");
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
	lua_getiuservalue(L, 1, 1);    /* push callbacks */
	int cbs = lua_gettop(L);
	uint64_t id;
	double at;
	int fired = 0;
	while (simclock_pop_due(c, t, &id, &at) == 1) {
		lua_rawgeti(L, cbs, (lua_Integer)id); /* push fn */
		lua_pushnil(L);
		lua_rawseti(L, cbs, (lua_Integer)id); /* forget it: timers fire once */
		lua_pushvalue(L, 1);                  /* push clock */
		lua_pushinteger(L, (lua_Integer)id);
		lua_call(L, 2, 0);                    /* fn(clock, id) */
		fired++;
	}
	lua_pop(L, 1);                 /* remove callbacks */
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
		return luaL_error(L, "not enough memory");
	lua_getiuservalue(L, 1, 1);    /* push callbacks */
	lua_pushvalue(L, 3);
	lua_rawseti(L, -2, (lua_Integer)id); /* callbacks[id] = fn */
	lua_pop(L, 1);                 /* remove callbacks */
	lua_pushinteger(L, (lua_Integer)id);
	return 1;
}

static int m_cancel(lua_State *L)
{
	struct simclock *c = toclock(L);
	lua_Integer id = luaL_checkinteger(L, 2);
	int was = id > 0 && simclock_cancel(c, (uint64_t)id);
	if (was) {
		lua_getiuservalue(L, 1, 1); /* push callbacks */
		lua_pushnil(L);
		lua_rawseti(L, -2, id);     /* callbacks[id] = nil */
		lua_pop(L, 1);              /* remove callbacks */
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
	lua_createtable(L, 0, 2);
	lua_pushnumber(L, simclock_now(c));
	lua_setfield(L, -2, "now");
	lua_createtable(L, (int)n, 0);         /* timers, earliest first */
	/* scratch arrays owned by Lua, so an error cannot leak them */
	uint64_t *ids = lua_newuserdatauv(L, n * sizeof *ids + 1, 0);
	double *ats = lua_newuserdatauv(L, n * sizeof *ats + 1, 0);
	size_t k = simclock_timers(c, ids, ats, n);
	for (size_t i = 1; i < k; i++) {      /* insertion sort by (at, id) */
		for (size_t j = i; j > 0 && (ats[j] < ats[j - 1] ||
					     (ats[j] == ats[j - 1] && ids[j] < ids[j - 1])); j--) {
			double ta = ats[j];
			uint64_t ti = ids[j];
			ats[j] = ats[j - 1], ids[j] = ids[j - 1];
			ats[j - 1] = ta, ids[j - 1] = ti;
		}
	}
	for (size_t i = 0; i < k; i++) {
		lua_createtable(L, 0, 2);
		lua_pushinteger(L, (lua_Integer)ids[i]);
		lua_setfield(L, -2, "id");
		lua_pushnumber(L, ats[i]);
		lua_setfield(L, -2, "at");
		lua_rawseti(L, -4, (lua_Integer)i + 1); /* timers[i+1] = entry */
	}
	lua_pop(L, 2);                         /* remove scratch arrays */
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

static int m_gc(lua_State *L)
{
	struct lclock *lc = luaL_checkudata(L, 1, CLOCK_T);
	simclock_free(lc->c);
	lc->c = NULL;
	return 0;
}

static const luaL_Reg methods[] = {
	{"now", m_now},       {"advance", m_advance}, {"advance_to", m_advance_to},
	{"after", m_after},   {"cancel", m_cancel},   {"pending", m_pending},
	{"snapshot", m_snapshot},
	{NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__tostring", m_tostring},
	{"__gc", m_gc},
	{NULL, NULL},
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{NULL, NULL},
};

int lab_open_clock(lua_State *L)
{
	lab_newclass(L, CLOCK_T, methods, metamethods);
	luaL_newlib(L, functions);
	return 1;
}

const struct lab_namespace lab_ns_clock = {.open = lab_open_clock};
