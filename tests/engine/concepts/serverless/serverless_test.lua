-- Lua tests of lab.serverless (engine/concepts/serverless/serverless_lua.c):
-- the API, Little's law on every run, environments created = the peak
-- concurrency when nothing is reclaimed, throttling = Erlang B for a loss
-- system (lab.queue), and a differential against a model in plain Lua.

test("serverless/api", function()
  local r = lab.serverless.simulate{rate = 10, seconds = 60, work = 0.1, seed = 2}
  for _, k in ipairs{"requests", "served", "throttled", "cold_starts", "warm_starts",
                     "cold_rate", "environments", "reclaimed", "peak_environments", "window",
                     "mean_busy", "env_seconds", "mean_latency", "p50", "p90", "p99", "p999",
                     "max"} do
    truthy(type(r[k]) == "number", k)
  end
  eq(r.requests, r.served + r.throttled)
  eq(r.served, r.cold_starts + r.warm_starts)
  eq(r.timeline, nil)
  raises(function() lab.serverless.simulate{seconds = 10, work = 1} end, "'rate'.*'arrivals'")
  raises(function() lab.serverless.simulate{rate = 1, arrivals = {1}, work = 1} end, "not both")
  raises(function() lab.serverless.simulate{rate = 1, wrk = 1} end, "did you mean 'work'")
  raises(function() lab.serverless.simulate{arrivals = {2, 1}, work = 1} end, "increasing")
  raises(function() lab.serverless.simulate{arrivals = {1, "x"}, work = 1} end, "arrivals%[2%]")
  raises(function() lab.serverless.simulate{arrivals = {1}, steps = {{at = 1, rate = 2}},
                                            work = 1} end, "steps")
  raises(function() lab.serverless.simulate{rate = 1, work = 1, steps = {{at = 5, rate = 1},
                                            {at = 2, rate = 1}}} end, "increasing")
  raises(function() lab.serverless.simulate{rate = 1, work = 1, provisioned = 5,
                                            max_concurrency = 4} end, "provisioned")
end)

test("serverless/little", function()
  for seed = 1, 8 do
    local r = lab.serverless.simulate{rate = 40, seconds = 400, work = 0.25, cold_start = 1,
                                      work_times = "exponential", idle_timeout = 20, seed = seed}
    -- L and lambda W differ only by the stays cut at the window's end
    truthy(r.little.error < 2 * r.max / r.window, "little on seed " .. seed)
    near(r.little.L, 40 * r.mean_latency, 0.1 * 40 * r.mean_latency)
  end
end)

-- Given arrivals and no Init time, request i holds an environment for
-- [a_i, a_i + work); with nothing ever reclaimed, an environment is created
-- only when every existing one is busy, so the count created is the most
-- intervals that overlap.
local function peak_overlap(arr, work)
  local ev = {}
  for _, a in ipairs(arr) do
    ev[#ev + 1] = {a, 1}
    ev[#ev + 1] = {a + work, -1}
  end
  table.sort(ev, function(x, y)
    if x[1] ~= y[1] then return x[1] < y[1] end
    return x[2] < y[2]                     -- an end before a start at the same time
  end)
  local n, top = 0, 0
  for _, e in ipairs(ev) do
    n = n + e[2]
    if n > top then top = n end
  end
  return top
end

local function arrivals(seed, n, rate)
  local g, t, out = lab.rand.new(seed), 0, {}
  for i = 1, n do
    t = t + g:exponential(rate)
    out[i] = t
  end
  return out
end

test("serverless/peak_overlap", function()
  for seed = 1, 20 do
    local arr = arrivals(seed, 2000, 25)
    local r = lab.serverless.simulate{arrivals = arr, work = 0.4, cold_start = 0,
                                      idle_timeout = math.huge}
    eq(r.environments, peak_overlap(arr, 0.4), "seed " .. seed)
    eq(r.environments, r.peak_environments)
    eq(r.reclaimed, 0)
    local p = lab.serverless.simulate{arrivals = arr, work = 0.4, cold_start = 0,
                                      provisioned = r.environments}
    eq(p.cold_starts, 0, "enough provisioned: no cold start")
  end
end)

-- c provisioned environments and no more: a loss system M/G/c/c, whose
-- blocking is Erlang B whatever the distribution of the work (Erlang B is
-- insensitive to it).
test("serverless/erlang_b", function()
  local want = lab.queue.erlang_b{arrival = 20, service = 2, servers = 12}.blocking
  for _, dist in ipairs{"deterministic", "exponential"} do
    local thr, req = 0, 0
    for seed = 1, 5 do
      local r = lab.serverless.simulate{rate = 20, seconds = 2000, work = 0.5, cold_start = 0,
                                        provisioned = 12, max_concurrency = 12,
                                        work_times = dist, seed = seed}
      eq(r.cold_starts, 0)
      thr, req = thr + r.throttled, req + r.requests
    end
    near(thr / req, want, 0.01, dist)
  end
end)

-- The rules of the page in plain Lua: reuse the most recently freed idle
-- environment, reclaim after idle_timeout, create otherwise, throttle at
-- the cap.
local function model(arr, o)
  local busy, idle, alive = {}, {}, 0
  local r = {cold_starts = 0, warm_starts = 0, throttled = 0, reclaimed = 0, peak = 0}
  local T = arr[#arr]
  for _, t in ipairs(arr) do
    local still = {}
    table.sort(busy)
    for _, e in ipairs(busy) do
      if e <= t then idle[#idle + 1] = e else still[#still + 1] = e end
    end
    busy = still
    local kept = {}
    for _, f in ipairs(idle) do
      if f + o.idle_timeout <= t then
        alive = alive - 1
        if f + o.idle_timeout < T then r.reclaimed = r.reclaimed + 1 end
      else
        kept[#kept + 1] = f
      end
    end
    idle = kept
    if #idle > 0 then
      table.remove(idle)
      busy[#busy + 1] = t + o.work
      r.warm_starts = r.warm_starts + 1
    elseif alive < o.max_concurrency then
      alive = alive + 1
      if alive > r.peak then r.peak = alive end
      busy[#busy + 1] = t + o.cold_start + o.work
      r.cold_starts = r.cold_starts + 1
    else
      r.throttled = r.throttled + 1
    end
  end
  return r
end

test("serverless/differential", function()
  local g = lab.rand.new(77)
  for seed = 1, 40 do
    local o = {work = g:uniform(0.05, 1), cold_start = g:uniform(0, 2),
               idle_timeout = g:uniform(0.5, 30), max_concurrency = g:int(3, 40)}
    local arr = arrivals(seed, g:int(50, 800), g:uniform(2, 60))
    local want = model(arr, o)
    local r = lab.serverless.simulate{arrivals = arr, work = o.work, cold_start = o.cold_start,
                                      idle_timeout = o.idle_timeout,
                                      max_concurrency = o.max_concurrency}
    for _, k in ipairs{"cold_starts", "warm_starts", "throttled", "reclaimed"} do
      eq(r[k], want[k], k .. " on case " .. seed)
    end
    eq(r.peak_environments, want.peak, "peak on case " .. seed)
  end
end)

test("serverless/steps_and_timeline", function()
  local r = lab.serverless.simulate{rate = 20, seconds = 300, work = 0.5, idle_timeout = 60,
                                    steps = {{at = 150, rate = 200}}, bucket = 30, seed = 3}
  local tl = r.timeline
  eq(#tl.t, 10)
  local before, after, total = 0, 0, 0
  for i = 1, 10 do
    total = total + tl.arrivals[i]
    if tl.t[i] < 150 then before = before + tl.arrivals[i] else after = after + tl.arrivals[i] end
  end
  eq(total, r.requests)
  near(before / 150, 20, 2)
  near(after / 150, 200, 10)
  truthy(tl.cold[6] > 50, "the spike's first bucket creates environments")
  local again = lab.serverless.simulate{rate = 20, seconds = 300, work = 0.5, idle_timeout = 60,
                                        steps = {{at = 150, rate = 200}}, bucket = 30, seed = 3}
  same(again, r)
end)
