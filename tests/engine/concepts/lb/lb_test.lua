-- Lua tests of lab.lb (engine/concepts/lb/lb_lua.c).

test("lb/swrr_sequence", function()
  local b = lab.lb.new{strategy = "swrr", backends = {{"a", 5}, "b", "c"}}
  same(b:sequence(7), {"a", "a", "b", "a", "c", "a", "a"})
  -- the same, one pick at a time, as a learner's balancer would be driven
  local b2 = lab.lb.new{strategy = "swrr", backends = {{name = "a", weight = 5}, "b", "c"}}
  local got = {}
  for k = 1, 7 do
    local i, name = b2:pick()
    got[k] = name
    eq(b2:snapshot().backends[i].outstanding, 1)
    b2:done(i, 0.01)
  end
  same(got, {"a", "a", "b", "a", "c", "a", "a"})
  local s = b2:snapshot()
  eq(s.strategy, "swrr")
  eq(s.backends[1].current_weight, 0)
  eq(s.backends[1].picks, 5)
  eq(s.backends[1].ewma, 0.01)
  eq(s.backends[2].weight, 1)
end)

test("lb/pick_done_fail", function()
  local b = lab.lb.new{strategy = "lc", backends = {"x", "y"}}
  local i = b:pick()
  local j = b:pick()
  truthy(i ~= j)
  raises(function() b:done(1, -1) end, "latency")
  b:done(i, 0.02)
  b:fail(j)
  raises(function() b:fail(j) end, "no request outstanding")
  raises(function() b:done(3) end, "out of range")
  b:mark("x", false)
  eq(select(2, b:pick()), "y")
  b:mark(2, false)
  local none, msg = b:pick()
  eq(none, nil)
  truthy(msg:find("no backend"))
  truthy(tostring(b):find("0 eligible"), tostring(b))
  eq(#b, 2)
end)

test("lb/keyed_strategies", function()
  raises(function() lab.lb.new{strategy = "iphash", backends = {"a", "b"}}:pick() end, "client")
  -- chash picks what a ketama ring of the same backends looks up
  local names = {"a", "b", "c", "d"}
  local b = lab.lb.new{strategy = "chash", backends = names}
  local r = lab.hash.ring{nodes = names}
  for client = 1, 200 do eq(select(2, b:pick(client)), r:lookup(client)) end
  -- iphash: hash64 of the client id, mod N (unsigned)
  local ip = lab.lb.new{strategy = "ip_hash", backends = names}
  local function umod(x, n) return ((x >> 1) % n * 2 + (x & 1)) % n end
  for client = 1, 200 do
    eq(ip:pick(client), umod(lab.hash.hash64(tostring(client)), 4) + 1)
  end
  raises(function() lab.lb.new{strategy = "magic", backends = {"a"}} end, "option 'strategy' must be one of: rr swrr random lc lrt p2c iphash chash .* %(got 'magic'%)")
  raises(function() lab.lb.new{backends = {"a", "a"}} end, "unique")
  raises(function() lab.lb.new{backends = {{"a", 0}}} end, "weight")
  raises(function() lab.lb.new{} end, "backends")
  eq(getmetatable(b), false)
end)

local function scenario(strategy, extra)
  local o = {strategy = strategy, rate = 2000, requests = 40000, seed = 3, clients = 50,
    backends = {
      {name = "fast", weight = 2, capacity = 8, service = {dist = "exp", mean = 0.004}},
      {name = "slow", capacity = 4, queue = 20, service = {dist = "bimodal", mean = 0.005, slow = 0.1, p_slow = 0.05}},
      {name = "steady", capacity = 8, service = {dist = "normal", mean = 0.006, sd = 0.002}},
      {name = "spare", backup = true, service = {dist = "const", mean = 0.003}},
    },
    events = {{at = 3, backend = "fast", down = true}, {at = 9, backend = 1, down = false}},
    health = {interval = 0.5, fall = 2, rise = 2}}
  for k, v in pairs(extra or {}) do o[k] = v end
  return o
end

test("lb/simulate_conservation_determinism", function()
  for _, st in ipairs{"rr", "swrr", "random", "lc", "lrt", "p2c", "iphash", "chash"} do
    local r = lab.lb.simulate(scenario(st))
    eq(r.strategy, st)
    eq(r.completed + r.failed + r.rejected + r.unavailable, r.requests, st)
    eq(r.errors, r.failed + r.rejected + r.unavailable)
    local routed, ended = 0, 0
    for _, b in ipairs(r.backends) do
      routed = routed + b.routed
      ended = ended + b.completed + b.failed + b.rejected
    end
    eq(routed, ended, st)
    local sc, se = 0, 0
    for k = 1, #r.series.t do sc = sc + r.series.completed[k]; se = se + r.series.errors[k] end
    eq(sc, r.completed)
    eq(se, r.errors)
    same(lab.lb.simulate(scenario(st)), r, st .. " replays")
    truthy(r.latency.p50 <= r.latency.p95 and r.latency.p95 <= r.latency.p99
      and r.latency.p99 <= r.latency.max)
  end
  local a = lab.lb.simulate(scenario("p2c"))
  local b = lab.lb.simulate(scenario("p2c", {seed = 4}))
  truthy(a.latency.mean ~= b.latency.mean)
end)

test("lb/simulate_mm1", function()
  -- M/M/1: mean time in system 1/(mu - lambda) = 1/(100 - 60) = 25 ms
  local r = lab.lb.simulate{rate = 60, requests = 300000, seed = 2,
    backends = {{capacity = 1, service = {dist = "exp", mean = 0.010}}}}
  near(r.latency.mean, 0.025, 0.025 * 0.05)
  near(r.backends[1].utilisation, 0.6, 0.01)
  near(r.throughput, 60, 1)
  eq(r.errors, 0)
end)

test("lb/simulate_health", function()
  local r = lab.lb.simulate{strategy = "rr", rate = 1000, requests = 30000, seed = 1,
    backends = {{service = {dist = "const", mean = 0.001}}, {service = {dist = "const", mean = 0.001}}},
    events = {{at = 10.5, backend = 2, down = true}, {at = 20.5, backend = 2, down = false}},
    health = {interval = 1, fall = 3, rise = 2}}
  same(r.health, {{at = 13.0, backend = 2, name = "b2", up = false},
                  {at = 22.0, backend = 2, name = "b2", up = true}})
  truthy(r.failed > 1100 and r.failed < 1400, r.failed)
  local quiet = lab.lb.simulate{strategy = "rr", rate = 1000, requests = 30000, seed = 1,
    backends = {{service = {dist = "const", mean = 0.001}}, {service = {dist = "const", mean = 0.001}}},
    events = {{at = 10.5, backend = 2, down = true}, {at = 20.5, backend = 2, down = false}}}
  eq(#quiet.health, 0)
  truthy(quiet.failed > 4700, quiet.failed)              -- nobody noticed for 10 s
end)

test("lb/simulate_load_aware_beats_round_robin", function()
  -- one backend is four times slower: rr keeps feeding it, lc and p2c do not
  local function run(st)
    return lab.lb.simulate{strategy = st, rate = 1500, requests = 60000, seed = 9,
      backends = {{capacity = 4, service = 0.002}, {capacity = 4, service = 0.002},
                  {capacity = 4, service = 0.008}}}
  end
  local rr, lc, p2c = run("rr"), run("lc"), run("p2c")
  truthy(lc.latency.p99 < rr.latency.p99 / 2, lc.latency.p99 .. " vs " .. rr.latency.p99)
  truthy(p2c.latency.p99 < rr.latency.p99 / 2)
  truthy(lc.backends[3].share < 0.2)
end)

test("lb/simulate_errors", function()
  raises(function() lab.lb.simulate{backends = {}} end, "option 'backends' must be a list of 1 to 10000 backends")
  raises(function() lab.lb.simulate{backends = {{service = {dist = "weird"}}}} end, "dist")
  raises(function() lab.lb.simulate{backends = {{capacity = 0}}} end, "capacity")
  raises(function() lab.lb.simulate{backends = {{queue = -2}}} end, "queue")
  raises(function() lab.lb.simulate{backends = {{}}, rate = 0} end, "rate")
  raises(function() lab.lb.simulate{backends = {{}}, requests = 0.5} end, "requests")
  raises(function() lab.lb.simulate{backends = {{}}, events = {{at = 1, backend = 5}}} end, "backend must be")
  raises(function() lab.lb.simulate{backends = {{}}, health = 3} end, "health")
  raises(function() lab.lb.simulate{backends = {{service = {mean = -1}}}} end, "mean")
  local r = lab.lb.simulate{backends = {{}}, requests = 100, series = false}
  eq(r.series, nil)
  eq(r.backends[1].name, "b1")
end)

test("lb/simulate_outlier", function()
  local b = {}
  for _, n in ipairs{"a", "b", "c"} do
    b[#b + 1] = {name = n, service = {dist = "const", mean = 0.005}}
  end
  local function run(outlier)
    return lab.lb.simulate{strategy = "rr", rate = 1000, requests = 30000,
      seed = 1, backends = b, outlier = outlier,
      events = {{at = 10.3, backend = "c", down = true},
                {at = 20.3, backend = "c", down = false}}}
  end
  local r = run{consecutive = 5, ejection = 30}
  eq(#r.ejections, 1)
  eq(r.ejections[1].name, "c")
  eq(r.ejections[1].backend, 3)
  near(r.ejections[1].ends - r.ejections[1].at, 30, 1e-9)
  truthy(r.failed >= 5 and r.failed <= 6, "five in a row, and one in flight")
  eq(r.backends[3].ejections, 1)
  local none = run(nil)
  eq(#none.ejections, 0)
  truthy(none.failed > 3000)
  local d = run(true)                   -- Envoy's defaults: 5, 30 s, 10%
  eq(#d.ejections, 1)
  raises(function() run{consecutive = 0} end, "consecutive")
  raises(function() run{consecutive = 2, ejection = -1} end, "ejection")
  raises(function() run{max_percent = 200} end, "max_percent")
  raises(function() run("yes") end, "outlier")
end)
