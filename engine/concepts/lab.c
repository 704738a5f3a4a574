/*
 * lab.c — the registry of concepts and the `lab` table built from it.
 * See lab.h. This is binding code: it may use Lua; the concepts may not.
 */
#include "engine/concepts/lab.h"
#include "engine/sbuf.h"

#include <stdlib.h>
#include <string.h>

/* Openers, one per binding file (NAME_lua.c). */
int lab_open_rand(lua_State *L);
int lab_open_clock(lua_State *L);
int lab_open_plot(lua_State *L);

/* One line per concept, in the order `help lab` lists them. */
const struct lab_concept lab_concepts[] = {
	{"rand", lab_open_rand, "seeded random numbers: uniform, exponential, normal, Zipf",
	 "  local r = lab.rand.new(seed)      -- same seed, same numbers, on every machine\n"
	 "  r:uniform() r:uniform(a, b) r:int(lo, hi) r:exponential(rate) r:normal(mean, sd)\n"
	 "  r:zipf(n, s)   rank 1..n, rank k with probability proportional to 1/k^s\n"
	 "  r:choice(list) r:shuffle(list) r:clone() r:snapshot()\n"},
	{"clock", lab_open_clock, "simulated time with timers; moves only when you move it",
	 "  local c = lab.clock.new([start])  -- seconds\n"
	 "  c:now() c:advance(dt) c:advance_to(t)   run the timers that come due, in order\n"
	 "  local id = c:after(dt, function(c, id) ... end)   c:cancel(id) c:pending()\n"},
	{"plot", lab_open_plot, "charts as text: bars, histograms, sparklines, line and scatter plots",
	 "  print(lab.plot.bars{ {\"lru\", 0.61}, {\"lfu\", 0.66} })   or bars{lru = 0.61, lfu = 0.66}\n"
	 "      options: title width max min format=\"%.2f\"|\"percent\" sort=\"label\"|\"value\"\n"
	 "  lab.plot.histogram(samples, {bins = 20, log = true, percentiles = {50, 99}, horizontal = true})\n"
	 "  lab.plot.sparkline(series)        one line, eight levels, with the min and max\n"
	 "  lab.plot.lines{series = { {name = \"lru\", x = sizes, y = ratios}, ... }, logx = true,\n"
	 "                 xlabel = \"cache size\", ylabel = \"hit ratio\", ylim = {0, 1}, height = 15}\n"
	 "  lab.plot.scatter{...} (points only)   lab.plot.bins(samples, opts) -> edges, counts\n"
	 "  every chart takes width = N and ascii = true, and returns a string: print() it\n"},
	{NULL, NULL, NULL, NULL},
};

static int l_help(lua_State *L)
{
	const char *name = luaL_optstring(L, 1, NULL);
	char *s = lab_help_text(name);
	if (!s)
		return luaL_error(L, "lab has no concept named '%s' (see lab.help())", name);
	lua_pushstring(L, s);
	free(s);
	return 1;
}

char *lab_help_text(const char *name)
{
	struct sbuf sb = SBUF_INIT;
	if (!name) {
		sbuf_adds(&sb, "lab — backend concepts implemented in C, for you to drive from Lua:\n");
		for (const struct lab_concept *c = lab_concepts; c->name; c++)
			sbuf_addf(&sb, "  lab.%-10s %s\n", c->name, c->summary);
		sbuf_adds(&sb, "lab.help(\"NAME\") shows how to use one.");
		return sbuf_detach(&sb);
	}
	for (const struct lab_concept *c = lab_concepts; c->name; c++) {
		if (strcmp(c->name, name) == 0) {
			sbuf_addf(&sb, "lab.%s — %s\n%s", c->name, c->summary, c->usage ? c->usage : "");
			return sbuf_detach(&sb);
		}
	}
	return NULL;
}

void lab_push(lua_State *L)
{
	lua_newtable(L); /* lab */
	for (const struct lab_concept *c = lab_concepts; c->name; c++) {
		lua_pushcfunction(L, c->open);
		lua_call(L, 0, 1);              /* concept table */
		lua_setfield(L, -2, c->name);   /* lab[name] = table */
	}
	lua_pushcfunction(L, l_help);
	lua_setfield(L, -2, "help");
}

void lab_newclass(lua_State *L, const char *tname, const luaL_Reg *methods,
		  const luaL_Reg *metamethods)
{
	if (!luaL_newmetatable(L, tname)) { /* already made in this state */
		lua_pop(L, 1);                  /* remove metatable */
		return;
	}
	if (metamethods)
		luaL_setfuncs(L, metamethods, 0);
	lua_newtable(L);                        /* methods table */
	if (methods)
		luaL_setfuncs(L, methods, 0);
	lua_setfield(L, -2, "__index");         /* mt.__index = methods */
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");     /* lock: getmetatable -> false */
	lua_pop(L, 1);                          /* remove metatable */
}

static int optfield(lua_State *L, int idx, const char *field, int type)
{
	if (lua_isnoneornil(L, idx))
		return 0;
	luaL_checktype(L, idx, LUA_TTABLE);
	int t = lua_getfield(L, idx, field);    /* push value */
	if (t == LUA_TNIL) {
		lua_pop(L, 1);                  /* remove nil */
		return 0;
	}
	if (t != type && !(type == LUA_TNUMBER && t == LUA_TSTRING && lua_isnumber(L, -1)))
		luaL_error(L, "option '%s' must be a %s, not a %s", field, lua_typename(L, type),
			   luaL_typename(L, -1));
	return 1;                               /* value left on the stack */
}

lua_Integer lab_optint(lua_State *L, int idx, const char *field, lua_Integer def)
{
	if (!optfield(L, idx, field, LUA_TNUMBER))
		return def;
	int ok;
	lua_Integer v = lua_tointegerx(L, -1, &ok);
	if (!ok)
		luaL_error(L, "option '%s' must be an integer", field);
	lua_pop(L, 1);                          /* remove value */
	return v;
}

lua_Number lab_optnum(lua_State *L, int idx, const char *field, lua_Number def)
{
	if (!optfield(L, idx, field, LUA_TNUMBER))
		return def;
	lua_Number v = lua_tonumber(L, -1);
	lua_pop(L, 1);                          /* remove value */
	return v;
}

const char *lab_optstr(lua_State *L, int idx, const char *field, const char *def)
{
	if (!optfield(L, idx, field, LUA_TSTRING))
		return def;
	/* the string stays referenced by the options table, which the caller holds */
	const char *s = lua_tostring(L, -1);
	lua_pop(L, 1);                          /* remove value */
	return s;
}

int lab_optbool(lua_State *L, int idx, const char *field, int def)
{
	if (!optfield(L, idx, field, LUA_TBOOLEAN))
		return def;
	int v = lua_toboolean(L, -1);
	lua_pop(L, 1);                          /* remove value */
	return v;
}
