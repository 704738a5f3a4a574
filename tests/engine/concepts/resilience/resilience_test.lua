-- Lua tests of lab.resilience (engine/concepts/resilience/resilience_lua.c):
-- bookkeeping that must balance on every run, replay by seed, and the four
-- failure scenarios of lessons/10-resilience with the fix that removes each.

local function two_tier(call, client, faults, extra)
  call.to = "db"
  local o = {duration = 40, drain = 5, seed = 1,
    services = {
      {name = "api", workers = 200, queue = 1000, latency = 0.002, calls = {call}},
      {name = "db", workers = 10, queue = 1000, latency = 0.01},
    },
    client = client, faults = faults}
  for k, v in pairs(extra or {}) do o[k] = v end
  return lab.resilience.simulate(o)
end

-- Every request is counted once; every attempt is a call or a retry or was
-- refused before it went; every arrival at a service came over an edge.
local function balanced(r)
  eq(r.requests, r.ok + r.degraded + r.failed + r.unfinished, "requests")
  local into = {}
  for _, c in ipairs(r.calls) do
    eq(c.attempts + c.breaker_refused + c.bulkhead_refused, c.calls + c.retries,
       c.from .. "->" .. c.to .. " attempts")
    into[c.to] = (into[c.to] or 0) + c.attempts
  end
  for name, s in pairs(r.services) do
    eq(s.arrivals, into[name] or 0, name .. " arrivals")
    truthy(s.ok + s.errors + s.rejected + s.shed <= s.arrivals, name .. " replies")
  end
  local sum = 0
  for _, x in ipairs(r.series.requests) do sum = sum + x end
  eq(sum, r.requests, "series")
end

test("resilience/balances", function()
  local faults = {{service = "db", at = 5, ["until"] = 10, mode = "error", rate = 0.5},
                  {service = "db", at = 12, ["until"] = 15, mode = "down"},
                  {service = "db", at = 16, ["until"] = 20, mode = "brownout"},
                  {service = "db", at = 22, ["until"] = 25, mode = "slow"}}
  balanced(two_tier({timeout = 0.05, retries = 2, jitter = "full", breaker = true,
                     bulkhead = 50, fallback = true},
                    {rate = 500, timeout = 0.5, retries = 1, budget = 0.1}, faults))
  balanced(two_tier({}, {rate = 900}, faults))
end)

test("resilience/replays", function()
  local f = {{service = "db", at = 5, ["until"] = 10, mode = "error", rate = 0.3}}
  local a = two_tier({retries = 2, jitter = "full"}, {rate = 300}, f, {duration = 15})
  local b = two_tier({retries = 2, jitter = "full"}, {rate = 300}, f, {duration = 15})
  for _, k in ipairs{"requests", "ok", "failed", "p50", "p99", "events"} do eq(a[k], b[k], k) end
  same(a.series.ok, b.series.ok)
  same(a.services, b.services)
  same(a.calls, b.calls)
  local c = two_tier({retries = 2, jitter = "full"}, {rate = 300}, f, {duration = 15, seed = 2})
  truthy(c.requests ~= a.requests or c.p99 ~= a.p99)
end)

test("resilience/errors", function()
  local svc = {{name = "api"}}
  raises(function() lab.resilience.simulate{services = {{name = "api", calls = {{to = "db"}}}}} end,
         "calls 'db', which is no service")
  raises(function() lab.resilience.simulate{services = {{name = "a", calls = {{to = "b"}}},
    {name = "b", calls = {{to = "a"}}}}} end, "no cycles")
  raises(function() lab.resilience.simulate{services = {{name = "a"}, {name = "a"}}} end,
         "two services")
  raises(function() lab.resilience.simulate{services = svc, client = {jiter = "full"}} end,
         "did you mean 'jitter'")
  raises(function() lab.resilience.simulate{services = svc,
    faults = {{service = "api", at = 2, ["until"] = 1, mode = "down"}}} end, "until must come after")
  raises(function() lab.resilience.simulate{services = svc,
    faults = {{service = "x", at = 1, ["until"] = 2, mode = "down"}}} end, "'x' is no service")
  raises(function() lab.resilience.simulate{services = {{name = ("n"):rep(40)}}} end,
         "name of 1 to 31 bytes")
  raises(function() lab.resilience.simulate{services = svc, client = {backoff = 2, cap = 1}} end,
         "cap must be at least backoff")
  raises(function() lab.resilience.simulate{services = svc, client = {breaker = 3}} end,
         "breaker")
  raises(function() lab.resilience.simulate{services = svc, x = 1} end, "unknown option")
end)

-- Timeouts leave the callee working: the wasted work is counted at the callee.
test("resilience/timeouts_waste_work", function()
  local r = lab.resilience.simulate{duration = 10, seed = 1,
    services = {{name = "api", workers = 100, latency = 0.2, dist = "deterministic"}},
    client = {rate = 50, timeout = 0.1}}
  eq(r.ok, 0)
  truthy(r.services.api.ok > 400, "the callee finished the work nobody waited for")
  eq(r.calls[1].timeouts, r.failed)
end)

-- Scenario 1: a retry storm. A 10 s slowdown of the database with retries
-- at two layers and no backoff never recovers (metastable); a retry budget
-- with jittered backoff recovers as soon as the fault ends.
local storm_fault = {{service = "db", at = 10, ["until"] = 20, mode = "slow", factor = 3}}
local function after(r, from, to)
  local ok, n = 0, 0
  for i, t in ipairs(r.series.t) do
    if t >= from and t < to then
      ok = ok + r.series.ok[i] + r.series.degraded[i]
      n = n + r.series.requests[i]
    end
  end
  return ok / n
end

test("resilience/retry_storm", function()
  local naive = {timeout = 0.1, retries = 3, backoff = 0.01, cap = 0.01}
  local r = two_tier(naive, {rate = 600, timeout = 0.5, retries = 3, backoff = 0.01, cap = 0.01},
                     storm_fault)
  truthy(after(r, 25, 40) < 0.05, "the storm outlives the fault")
  truthy(r.services.db.amplification > 8, r.services.db.amplification)
  local fixed = {timeout = 0.1, retries = 3, backoff = 0.01, cap = 1, jitter = "full", budget = 0.1}
  local f = two_tier(fixed, {rate = 600, timeout = 0.5, retries = 3, backoff = 0.01, cap = 1,
                             jitter = "full", budget = 0.1}, storm_fault)
  truthy(after(f, 25, 40) > 0.99, "recovers")
  truthy(f.services.db.amplification < 1.2, f.services.db.amplification)
  -- shedding by queue time alone also ends it: the database stops serving the dead
  local s = lab.resilience.simulate{duration = 40, drain = 5, seed = 1,
    services = {
      {name = "api", workers = 200, queue = 1000, latency = 0.002,
       calls = {{to = "db", timeout = 0.1, retries = 3, backoff = 0.01, cap = 0.01}}},
      {name = "db", workers = 10, queue = 1000, latency = 0.01, shed_after = 0.02},
    },
    client = {rate = 600, timeout = 0.5, retries = 3, backoff = 0.01, cap = 0.01},
    faults = storm_fault}
  truthy(after(s, 25, 40) > 0.99, "shedding recovers")
  truthy(s.services.db.shed > 0)
end)

-- Scenario 2: a slow dependency exhausts the gateway's threads, and every
-- request fails, those that never needed it too; a timeout with a fallback
-- keeps the gateway serving (degraded).
local function pool(call)
  call.to = "recommend"
  return lab.resilience.simulate{duration = 40, seed = 2,
    services = {
      {name = "gateway", workers = 50, queue = 200, latency = 0.002,
       calls = {{to = "profile", timeout = 0.5}, call}},
      {name = "profile", workers = 20, latency = 0.005},
      {name = "recommend", workers = 40, latency = 0.02},
    },
    client = {rate = 500, timeout = 1},
    faults = {{service = "recommend", at = 10, ["until"] = 30, mode = "slow", factor = 50}}}
end

test("resilience/thread_pool", function()
  local r = pool{}
  truthy(r.success < 0.6, r.success)
  truthy(r.services.gateway.rejected > 5000, "the gateway's queue overflowed")
  local t = pool{timeout = 0.1}
  truthy(t.success < 0.6, "a timeout alone turns slow into failed")
  local f = pool{timeout = 0.1, fallback = true}
  eq(f.failed, 0)
  truthy(f.degraded > 5000)
  truthy(f.p99 < 0.2)
  local b = pool{bulkhead = 10, fallback = true}   -- no timeout: the bulkhead alone
  truthy(b.success > 0.99, b.success)
end)

-- Scenario 3: a cascade through a shared database. Search retries hard into
-- a database that lost half its workers; checkout, which shares it, fails
-- too. A bulkhead on search's calls protects checkout.
local function shared(searchdb)
  searchdb.to = "db"
  return lab.resilience.simulate{duration = 40, seed = 3,
    services = {
      {name = "gateway", workers = 400, queue = 1000, latency = 0.001, route = "one",
       calls = {{to = "search"}, {to = "checkout"}}},
      {name = "search", workers = 100, latency = 0.002, calls = {searchdb}},
      {name = "checkout", workers = 100, latency = 0.002, calls = {{to = "db", timeout = 0.5}}},
      {name = "db", workers = 10, queue = 500, latency = 0.01},
    },
    client = {rate = 600, timeout = 2},
    faults = {{service = "db", at = 10, ["until"] = 20, mode = "brownout", factor = 0.5}}}
end

test("resilience/cascade", function()
  local hard = {timeout = 0.1, retries = 5, backoff = 0.01, cap = 0.01}
  local r = shared(hard)
  local ck = r.calls[3]
  eq(ck.from .. ">" .. ck.to, "gateway>checkout")
  truthy(ck.failed / ck.calls > 0.4, "checkout fails with search")
  hard.bulkhead = 3
  local b = shared(hard)
  eq(b.calls[3].failed, 0)
  -- route "one" splits by weight: about half each way
  near(r.calls[2].calls / r.requests, 0.5, 0.02)
end)

-- Scenario 4: a thundering herd. 2000 clients reconnect at the instant the
-- service comes back; without jitter their retries come back together,
-- wave after wave; with full jitter they spread.
local function herd(jitter)
  return lab.resilience.simulate{duration = 40, seed = 4, interval = 0.1,
    services = {{name = "api", workers = 20, queue = 100, latency = 0.01}},
    client = {rate = 200, timeout = 1, retries = 6, backoff = 0.5, cap = 8, jitter = jitter,
              bursts = {{at = 20, count = 2000}}},
    faults = {{service = "api", at = 10, ["until"] = 20, mode = "down"}}}
end

local function peak_after(r, from)
  local peak = 0
  for i, x in ipairs(r.service_series.api.arrivals) do
    if r.series.t[i] >= from and x > peak then peak = x end
  end
  return peak
end

test("resilience/herd", function()
  local none, full = herd("none"), herd("full")
  truthy(peak_after(none, 20.5) > 1500, "the retries come back together")
  truthy(peak_after(full, 20.5) < 400, "jitter spreads them")
  truthy(full.failed < none.failed / 4)
end)

test("resilience/breaker_in_graph", function()
  local r = two_tier({timeout = 0.05, breaker = {threshold = 0.5, window = 20, min_calls = 10,
                                                 open_for = 2, probes = 3}, fallback = true},
                     {rate = 200}, {{service = "db", at = 5, ["until"] = 10, mode = "down"}},
                     {duration = 15})
  local seen = {}
  for _, t in ipairs(r.transitions) do seen[#seen + 1] = t.was .. ">" .. t.state end
  eq(seen[1], "closed>open")
  eq(seen[2], "open>half_open")
  eq(seen[#seen], "half_open>closed")
  truthy(r.transitions[1].t >= 5 and r.transitions[#r.transitions].t >= 10)
  truthy(r.calls[2].breaker_refused > 500)
  eq(r.failed, 0)
end)

test("resilience/limit_reuses_ratelimit", function()
  local r = lab.resilience.simulate{duration = 10, drain = 1, seed = 1,
    services = {{name = "api", workers = 100, latency = 0.001, limit = {rate = 100, burst = 10}}},
    client = {rate = 300}}
  -- a token bucket of 100/s lets about 100 a second through, plus its burst
  near(r.services.api.ok, 100 * 10 + 10, 30)
  eq(r.services.api.rejected, r.failed)
end)

test("resilience/backoff_budget_breaker_objects", function()
  same(lab.resilience.backoff{jitter = "none", base = 0.1, cap = 1, retries = 5},
       {0.1, 0.2, 0.4, 0.8, 1})
  local w = lab.resilience.backoff{jitter = "full", base = 0.1, cap = 1, retries = 5, seed = 3}
  for i, x in ipairs(w) do truthy(x >= 0 and x <= math.min(1, 0.1 * 2 ^ (i - 1))) end
  local g = lab.resilience.budget{ratio = 0.5, min = 1}
  eq(g:retry(), true)
  eq(g:retry(), false)
  g:request() g:request()
  eq(g:retry(), true)
  local b = lab.resilience.breaker{window = 2, min_calls = 2, threshold = 1, open_for = 1}
  eq(b:record(0, false), "closed")
  eq(b:record(0, false), "open")
  eq(b:allow(0.5), false)
  eq(b:state(1), "half_open")
  eq(b:state(), "open")
  eq(b:allow(1), true)
  eq(b:allow(1), false)
  eq(b:record(1, true), "closed")
  eq(b:snapshot().transitions, 3)
end)
