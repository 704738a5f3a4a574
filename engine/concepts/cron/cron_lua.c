/*
 * cron_lua.c — lab.cron: the Lua binding of cron.h.
 *
 *   lab.cron.next(expr, from)      from: "2012-07-01 09:53:50" or seconds
 *   lab.cron.times(expr, from, n)  lab.cron.parse(expr)  lab.cron.matches(expr, t)
 *   lab.cron.time("2012-07-01 09:53:50") -> seconds   lab.cron.date(seconds) -> text
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/cron/cron.h"

#include <stdio.h>
#include <string.h>

/* Parses the expression at IDX, raising its error. */
static void check_expr(lua_State *L, int idx, struct cron *c, const char *who)
{
	const char *expr = luaL_checkstring(L, idx);
	char err[160];
	if (cron_parse(c, expr, err, sizeof err))
		luaL_error(L, "lab.cron.%s: %s", who, err);
}

/* The time at IDX: seconds (an integer) or "YYYY-MM-DD HH:MM[:SS]". */
static int64_t check_time(lua_State *L, int idx, const char *who)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		const char *s = lua_tostring(L, idx);
		int y, mo, d, h, mi, sec = 0, used = 0, n;
		n = sscanf(s, "%4d-%2d-%2d %2d:%2d%n:%2d%n", &y, &mo, &d, &h, &mi, &used, &sec, &used);
		if (n < 5 || s[used] != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
		    mi > 59 || sec > 59 || y < 1 || h < 0 || mi < 0 || sec < 0)
			luaL_error(L, "lab.cron.%s: a time is \"YYYY-MM-DD HH:MM:SS\" (got '%s')", who, s);
		return cron_from_civil(y, mo, d, h, mi, sec);
	}
	lua_Integer t = luaL_checkinteger(L, idx);
	if (t < -(lua_Integer)1e13 || t > (lua_Integer)1e13)
		luaL_error(L, "lab.cron.%s: the time is out of range", who);
	return (int64_t)t;
}

/* Pushes T as text. */
static void push_date(lua_State *L, int64_t t)
{
	int y, mo, d, h, mi, s, wd;
	char buf[48];
	cron_to_civil(t, &y, &mo, &d, &h, &mi, &s, &wd);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s);
	lua_pushstring(L, buf);
}

/* Pushes T in the form of the argument at IDX (text or seconds). */
static void push_like(lua_State *L, int idx, int64_t t)
{
	if (lua_type(L, idx) == LUA_TSTRING)
		push_date(L, t);
	else
		lua_pushinteger(L, (lua_Integer)t);
}

static int l_next(lua_State *L)
{
	struct cron c;
	check_expr(L, 1, &c, "next");
	int64_t t = check_time(L, 2, "next"), next;
	if (cron_next(&c, t, &next)) {
		lua_pushnil(L);
		return 1;
	}
	push_like(L, 2, next);
	return 1;
}

static int l_times(lua_State *L)
{
	struct cron c;
	check_expr(L, 1, &c, "times");
	int64_t t = check_time(L, 2, "times");
	lua_Integer n = luaL_checkinteger(L, 3);
	luaL_argcheck(L, n >= 0 && n <= 100000, 3, "0 to 100000 times");
	lua_createtable(L, (int)n, 0);
	for (lua_Integer k = 1; k <= n; k++) {
		if (cron_next(&c, t, &t))
			break;
		push_like(L, 2, t);
		lua_rawseti(L, -2, k);
	}
	return 1;
}

static int l_matches(lua_State *L)
{
	struct cron c;
	check_expr(L, 1, &c, "matches");
	lua_pushboolean(L, cron_matches(&c, check_time(L, 2, "matches")));
	return 1;
}

static int l_parse(lua_State *L)
{
	struct cron c;
	check_expr(L, 1, &c, "parse");
	static const char *const names[CRON_FIELDS] = {"second", "minute", "hour", "day", "month",
						       "weekday"};
	lua_createtable(L, 0, CRON_FIELDS + 2);
	for (int f = 0; f < CRON_FIELDS; f++) {
		lua_newtable(L);
		lua_Integer n = 0;
		for (int v = 0; v < 64; v++)
			if ((c.bits[f] >> v) & 1) {
				lua_pushinteger(L, v);
				lua_rawseti(L, -2, ++n);
			}
		lua_setfield(L, -2, names[f]);
	}
	lab_setbool(L, "seconds", c.has_seconds);
	lab_setbool(L, "either_day", !c.dom_any && !c.dow_any);
	return 1;
}

static int l_time(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TSTRING);
	lua_pushinteger(L, (lua_Integer)check_time(L, 1, "time"));
	return 1;
}

static int l_date(lua_State *L)
{
	push_date(L, check_time(L, 1, "date"));
	return 1;
}

static const luaL_Reg functions[] = {
	{"next", l_next}, {"times", l_times}, {"matches", l_matches}, {"parse", l_parse},
	{"time", l_time}, {"date", l_date}, {NULL, NULL},
};

const struct lab_namespace lab_ns_cron = {.functions = functions};
