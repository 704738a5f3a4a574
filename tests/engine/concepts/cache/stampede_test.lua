-- Lua tests of lab.cache.stampede (stampede_lua.c).

test("stampede/three_strategies", function()
  local r = {}
  for _, s in ipairs{"none", "coalesce", "xfetch"} do
    r[s] = lab.cache.stampede{strategy = s, rate = 100, duration = 300, ttl = 60,
      recompute = 2, seed = 3}
    eq(r[s].strategy, s)
  end
  eq(r.none.requests, r.coalesce.requests)     -- same seed, same arrivals
  eq(r.none.requests, r.xfetch.requests)
  eq(r.coalesce.calls, 4)                      -- one call per expiry
  truthy(r.none.calls > 100 * r.coalesce.calls)
  truthy(r.xfetch.calls < 20 and r.xfetch.early == r.xfetch.calls)
  truthy(r.xfetch.latency.mean < r.coalesce.latency.mean)
  eq(r.none.hits + r.none.calls, r.none.requests)
  eq(r.coalesce.hits + r.coalesce.calls + r.coalesce.waited, r.coalesce.requests)
end)

test("stampede/series_shape", function()
  local r = lab.cache.stampede{strategy = "none", duration = 10, ttl = 4, recompute = 1,
    bin = 0.5, rate = 50}
  eq(#r.series.t, 20)
  eq(r.series.t[3], 1.0)
  local calls, requests = 0, 0
  for i = 1, 20 do
    calls = calls + r.series.calls[i]
    requests = requests + r.series.requests[i]
    truthy(r.series.max_latency[i] >= r.series.latency[i])
  end
  eq(calls, r.calls); eq(requests, r.requests)
  for i = 1, 8 do eq(r.series.calls[i], 0.0) end   -- fresh until 4 s
  truthy(r.series.calls[9] > 0)
  truthy(r.latency.p50 <= r.latency.p99 and r.latency.p99 <= r.latency.max)
end)

test("stampede/workers_queue_the_herd", function()
  local free = lab.cache.stampede{strategy = "none", workers = 0}
  local four = lab.cache.stampede{strategy = "none", workers = 4}
  eq(free.latency.max, 2.0)
  truthy(four.latency.max > 50)
end)

test("stampede/bad_options", function()
  raises(function() lab.cache.stampede{strategy = "lock"} end, "option 'strategy' must be one of: none coalesce xfetch %(got 'lock'%)")
  raises(function() lab.cache.stampede{rate = 0} end, "option 'rate' must be greater than 0 %(got 0%)")
  raises(function() lab.cache.stampede{workers = -1} end, "workers")
  raises(function() lab.cache.stampede{clients = 5} end, "unknown option 'clients'")
end)
