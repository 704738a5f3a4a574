/*
 * lab.c — the registry of concepts and the `lab` table built from it.
 * See lab.h. This is binding code: it may use Lua; the concepts may not.
 */
#include "engine/lab/lab.h"
#include "engine/concepts/plot/plot_lua.h"
#include "engine/base/sbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Openers, one per binding file (NAME_lua.c). */
int lab_open_rand(lua_State *L);
int lab_open_clock(lua_State *L);
int lab_open_hash(lua_State *L);
int lab_open_lb(lua_State *L);
int lab_open_ratelimit(lua_State *L);
int lab_open_pool(lua_State *L);
int lab_open_cache(lua_State *L);
int lab_open_httpcache(lua_State *L);
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
	{"hash", lab_open_hash, "consistent hashing: ketama ring, jump, rendezvous, Maglev; keys moved",
	 "  local r = lab.hash.ring{vnodes = 160, nodes = {\"a\", {\"b\", 2}}}   -- ketama: MD5 points\n"
	 "  r:add(name [, weight]) r:remove(name) r:lookup(key) r:nodes() r:points()\n"
	 "  r:distribution(n or {keys}) -> {node = count}, {max, mean, max_mean}\n"
	 "  lab.hash.rendezvous{\"a\", \"b\"}  h:lookup(key) h:rank(key, k) h:score(node, key)\n"
	 "  lab.hash.maglev{nodes = {\"a\", \"b\"}, size = 65537}  m:lookup(key) m:table()\n"
	 "  lab.hash.jump(key, buckets) -> 0..buckets-1   lab.hash.hash64(s) (FNV-1a)\n"
	 "  lab.hash.movement{scheme = \"ring\", nodes = 10, keys = 1e5, change = \"add\"}\n"
	 "    -> {moved, fraction, expected, before, after, max_mean_before, max_mean_after}\n"
	 "    schemes: modulo ring jump rendezvous maglev; keys are \"key-1\"..\"key-K\"\n"
	 "  64-bit hashes are Lua integers (may print negative); unsigned x mod n in Lua:\n"
	 "    ((x >> 1) % n * 2 + (x & 1)) % n\n"},
	{"lb", lab_open_lb, "load balancing: strategies step by step, and a simulator with health checks",
	 "  local b = lab.lb.new{strategy = \"swrr\", backends = {{\"a\", 5}, \"b\", \"c\"}, seed = 1}\n"
	 "  local i, name = b:pick([client])  b:done(i, latency)  b:fail(i)  b:mark(i, up)\n"
	 "  b:sequence(7) -> {\"a\",\"a\",\"b\",\"a\",\"c\",\"a\",\"a\"}   b:snapshot()\n"
	 "  strategies: rr swrr random lc lrt p2c iphash chash (iphash/chash need a client)\n"
	 "  local r = lab.lb.simulate{strategy = \"p2c\", rate = 5000, requests = 1e6, seed = 1,\n"
	 "    backends = {{weight = 1, capacity = 16, queue = false,   -- false: no limit\n"
	 "                 service = {dist = \"exp\", mean = 0.010}}, ...},  -- const normal bimodal\n"
	 "    clients = 1000, events = {{at = 10, backend = 2, down = true}},\n"
	 "    health = {interval = 1, fall = 3, rise = 2}}   -- no health checks unless given\n"
	 "  r.throughput r.errors r.latency.{mean,p50,p95,p99,max} r.health (marks)\n"
	 "  r.backends[i].{routed,completed,failed,rejected,mean_latency,utilisation}\n"
	 "  r.series.{t,completed,errors,latency,max}   per bucket (series = seconds or false)\n"},
	{"ratelimit", lab_open_ratelimit,
	 "rate limiters (buckets, windows, sliding log, GCRA) and a traffic simulator",
	 "  local tb = lab.ratelimit.token_bucket{rate = 10, burst = 5}  -- starts full\n"
	 "  local ok, remaining, retry_after = tb:allow(now [, n])   -- n units, default 1\n"
	 "  leaky_bucket{rate, capacity} (a meter)  leaky_queue{rate, capacity} (delays; detail().delay)\n"
	 "  fixed_window{limit, window}  sliding_log{limit, window}  sliding_window{limit, window}\n"
	 "  gcra{rate, burst}   or lab.ratelimit.new{algorithm = \"gcra\", rate = 1, burst = 5}\n"
	 "  lim:peek(now [, n]) lim:detail()  -> {allowed, limit, remaining, retry_after, reset_after}\n"
	 "  lim:snapshot() lim:reset() tostring(lim)    lab.ratelimit.algorithms\n"
	 "  Rules: times in seconds, rounded to 1 ns, then exact; time may not go backwards;\n"
	 "  a request is allowed whole or denied whole, denied ones count nowhere; n = 0 always\n"
	 "  passes; n > limit never does (retry_after = math.huge); window k is [k*w, (k+1)*w);\n"
	 "  a sliding-log entry at t counts until t + window (exclusive); a token that becomes\n"
	 "  whole at t can be taken at t; leaky_queue takes capacity + 1 at one instant.\n"
	 "  lab.ratelimit.simulate{limiter = {algorithm = ..., ...}, arrivals = {pattern =\n"
	 "    \"poisson\"|\"constant\"|\"burst\"|\"trace\", rate, duration, seed, size, every,\n"
	 "    start, times} or {t1, t2, ...}, cost = 1, interval = 1, peak_window = window}\n"
	 "    -> {requests, allowed, denied, peak, series = {time, allowed, denied}}\n"},
	{"pool", lab_open_pool,
	 "a connection pool before a database, simulated: pool size vs throughput, Little's law",
	 "  local r = lab.pool.simulate{rate = 600, size = 8}     -- open: Poisson arrivals a second\n"
	 "  lab.pool.simulate{clients = 50, think = 0.01, ...}    -- or a closed loop of clients\n"
	 "  options (defaults): size = 10 (0 = no pool: connect per request), timeout = 30,\n"
	 "    max_waiting (unbounded), connect = 0.005, cores = 4, service = 0.005 (mean, s),\n"
	 "    service_dist = \"exponential\"|\"constant\", contention = 0.05, max_connections\n"
	 "    (unlimited), duration = 60, warmup = 0, seed = 1\n"
	 "  each query runs at min(1, cores/a) / (1 + contention*max(0, a - cores)) with a running\n"
	 "  -> {requests, served, timed_out, rejected, throughput, p50, p95, p99, latency_mean,\n"
	 "      wait_mean, in_system, mean_waiting, mean_active, little = {L, lambda, W, lambda_W}}\n"
	 "  lab.pool.sweep{sizes = {1, 2, 4, 8, 16, 32, 64}, ...} -> {sizes, throughput, p50, p95,\n"
	 "      p99, latency_mean, in_system, served, timed_out, rejected, results}\n"
	 "  local sim = lab.pool.new{...}  sim:step() -> t, event  sim:run([t]) sim:stats()\n"
	 "  sim:snapshot() sim:done()    lab.pool.capacity(a, {cores, service, contention})\n"},
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

void lab_configure(lua_State *L, int width, int utf8)
{
	lab_plot_configure(L, width, utf8);
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

double lab_clock_time(lua_State *L, const char *who)
{
	if (lua_type(L, -1) == LUA_TFUNCTION) {
		lua_call(L, 0, 1);                  /* t = clock() */
	} else {
		lua_getfield(L, -1, "now");         /* push clock.now */
		lua_insert(L, -2);                  /* now, clock */
		lua_call(L, 1, 1);                  /* t = clock:now() */
	}
	int ok;
	double t = lua_tonumberx(L, -1, &ok);
	lua_pop(L, 1);                              /* remove t */
	if (!ok || !isfinite(t))
		luaL_error(L, "the %s's clock must give a finite number of seconds", who);
	return t;
}
