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
int lab_open_cache(lua_State *L);
int lab_open_httpcache(lua_State *L);

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
	{"cache", lab_open_cache,
	 "caches: eviction policies, hit ratios, write policies, stampedes",
	 "  local c = lab.cache.new{capacity = 3, policy = \"lru\"}\n"
	 "    policies: fifo lru lfu clock random arc (random takes seed = n)\n"
	 "  c:put(k, v [, ttl]) -> evicted key or nil     c:get(k) -> value or nil\n"
	 "  c:peek(k) c:delete(k) #c c:keys() c:stats() c:reset_stats() c:snapshot()\n"
	 "  a get hit and a put of a cached key are uses; such a put never evicts;\n"
	 "  a missed get changes nothing; peek is no use; keys: strings or integers\n"
	 "  lfu ties go to the least recently used; clock: new keys get bit 0\n"
	 "  TTLs on simulated time: new{..., clock = lab.clock.new(), ttl = s}\n"
	 "  lab.cache.simulate{workload = \"zipf\", keys = 1000, s = 1, requests = 1e5,\n"
	 "    policies = {\"lru\", \"arc\", \"opt\"}, sizes = {10, 100}} -> r.hit_ratio.lru[i]\n"
	 "    workloads: zipf loop scan mixed, or a list of keys; lab.cache.trace{...}\n"
	 "  local s = lab.cache.store{latency = 0.01}\n"
	 "  local w = lab.cache.writer{policy = \"write-back\", capacity = 100, store = s}\n"
	 "    cache-aside read-through write-through write-back write-around\n"
	 "    w:read(k [, between]) -> v, \"hit\"|\"stale\"|\"miss\"   w:write(k, v)\n"
	 "    w:invalidate(k) w:flush() w:crash() w:stats() s:stats()\n"
	 "  lab.cache.stampede{strategy = \"none\"|\"coalesce\"|\"xfetch\", rate = 100,\n"
	 "    ttl = 60, recompute = 2} -> calls, latency, series\n"},
	{"httpcache", lab_open_httpcache,
	 "HTTP caching: storable? fresh? serve, revalidate or fetch (RFC 9111)",
	 "  local d = lab.httpcache.evaluate{now = 75, shared = false,\n"
	 "    response = {status = 200, headers = {[\"Cache-Control\"] = \"max-age=60\",\n"
	 "                Date = 0, ETag = '\"v1\"'}},\n"
	 "    request = {headers = {[\"If-None-Match\"] = '\"v1\"'}}}\n"
	 "  d.storable d.fresh d.lifetime d.age d.action d.status d.validators\n"
	 "  d.reason d.steps  -- every rule applied, with its RFC section\n"
	 "  actions: serve revalidate fetch fail; dates: seconds or HTTP-dates\n"
	 "  lab.httpcache.origin{request = {...}, etag = '\"v2\"', last_modified = t}\n"
	 "  lab.httpcache.etag_match(a, b [, \"strong\"])  .date(t)  .parse_date(s)\n"},
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
