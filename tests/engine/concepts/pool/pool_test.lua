-- Lua tests of lab.pool (engine/concepts/pool/pool_lua.c).

local P = lab.pool

test("pool/simulate_fields", function()
  local r = P.simulate{rate = 600, size = 8, duration = 30}
  for _, k in ipairs{"requests", "served", "timed_out", "rejected", "throughput",
                     "arrival_rate", "in_system", "mean_waiting", "mean_active", "wait_mean",
                     "latency_mean", "p50", "p95", "p99", "latency_max", "window"} do
    truthy(r[k], "missing " .. k)
  end
  eq(r.requests, r.served + r.timed_out + r.rejected)
  truthy(r.p50 <= r.p95 and r.p95 <= r.p99 and r.p99 <= r.latency_max)
  near(r.throughput, 600, 30)
  eq(r.little.L, r.in_system)
  eq(r.little.lambda, r.arrival_rate)
  near(r.little.lambda_W, r.little.L, 0.01 * r.little.L)
  truthy(r.little.error < 0.01)
end)

test("pool/deterministic", function()
  local a = P.simulate{clients = 20, think = 0.01, size = 4, duration = 10, seed = 3}
  local b = P.simulate{clients = 20, think = 0.01, size = 4, duration = 10, seed = 3}
  same(a, b)
  local c = P.simulate{clients = 20, think = 0.01, size = 4, duration = 10, seed = 4}
  truthy(c.requests ~= a.requests or c.latency_mean ~= a.latency_mean)
end)

test("pool/option_errors", function()
  raises(function() P.simulate{size = 4} end, "either rate")
  raises(function() P.simulate{rate = 5, clients = 5} end, "not both")
  raises(function() P.simulate{rate = 5, pool_size = 4} end, "lab.pool.simulate: unknown option 'pool_size' %(did you mean 'size'%?%)")
  raises(function() P.simulate{rate = 5, size = 2.5} end, "'size' must be an integer")
  raises(function() P.simulate{rate = 5, service_dist = "normal"} end, "exponential")
  raises(function() P.simulate{clients = 5, max_waiting = 0} end, "think must be positive")
  raises(function() P.sweep{rate = 5} end, "lab.pool.sweep: option 'sizes' is required")
  raises(function() P.sweep{rate = 5, sizes = {1}, size = 2} end,
    "lab.pool.sweep: unknown option 'size' %(did you mean 'sizes'%?%)")
  raises(function() P.sweep{rate = 5, sizes = {1, -1}} end, "size %-1")
end)

test("pool/sweep", function()
  local s = P.sweep{sizes = {0, 1, 4, 16, 64}, clients = 100, duration = 10}
  same(s.sizes, {0, 1, 4, 16, 64})
  for _, k in ipairs{"throughput", "p50", "p95", "p99", "latency_mean", "in_system",
                     "served", "timed_out", "rejected", "results"} do
    eq(#s[k], 5, k)
  end
  eq(s.results[3].size, 4)
  eq(s.throughput[3], s.results[3].throughput)
  -- the peak is at the cores (4); 64 connections and no pool are both slower
  truthy(s.throughput[3] > s.throughput[2] and s.throughput[3] > s.throughput[4])
  truthy(s.throughput[5] < s.throughput[4] and s.throughput[1] < s.throughput[3])
  -- nothing served in the window (the one connection is held for 100 s by the
  -- first request, before the warmup ends): NaN keeps the series dense
  local t = P.sweep{sizes = {1}, rate = 2000, service = 100, service_dist = "constant",
                    timeout = 0.001, duration = 0.5, warmup = 0.1}
  eq(t.served[1], 1)
  truthy(t.p50[1] ~= t.p50[1], "NaN")
  eq(t.results[1].p50, nil)
end)

test("pool/step_and_snapshot", function()
  -- three clients, two connections, queries of exactly 1 s (see test_pool.c)
  local sim = P.new{clients = 3, size = 2, service = 1, service_dist = "constant",
                    contention = 0, duration = 2.5}
  local events = {}
  while true do
    local t, e = sim:step()
    if not t then break end
    events[#events + 1] = t .. " " .. e
    if #events == 3 then
      same(sim:snapshot(), {now = 0.0, size = 2, idle = 0, waiting = 1, connecting = 0,
                            active = 2, in_system = 3, speed = 1.0, requests = 3, served = 0,
                            timed_out = 0, rejected = 0, thinking = 0, done = false})
      truthy(tostring(sim):find("lab.pool%(3 clients, size=2, cores=4%) at t=0: 2 active, 1 waiting"),
        tostring(sim))
    end
  end
  same(events, {"0.0 acquire", "0.0 acquire", "0.0 wait", "1.0 done", "1.0 done",
                "1.0 acquire", "1.0 wait", "2.0 done", "2.0 done", "2.0 acquire", "2.0 wait",
                "3.0 done", "3.0 done", "4.0 done"})
  eq(sim:done(), true)
  local st = sim:stats()
  eq(st.served, 7); eq(st.p50, 1.0); eq(st.p99, 2.0)
  eq(getmetatable(sim), false)
end)

test("pool/run_until", function()
  local sim = P.new{rate = 100, size = 2, duration = 10}
  local n = sim:run(5)
  truthy(n > 0)
  eq(sim:snapshot().now, 5.0)
  eq(sim:snapshot().done, false)
  raises(function() sim:run(4) end, "backwards")
  sim:run()
  eq(sim:snapshot().done, true)
  eq(sim:snapshot().in_system, 0)
end)

test("pool/no_pool_pays_connect", function()
  local r = P.simulate{rate = 100, size = 0, connect = 0.02, service_dist = "constant",
                       duration = 20}
  near(r.wait_mean, 0.02, 1e-12)       -- every request opened its own connection
  truthy(r.latency_mean >= 0.025)
end)

test("pool/capacity", function()
  eq(P.capacity(4, {cores = 4, service = 0.005, contention = 0.05}), 800.0)
  near(P.capacity(64, {cores = 4, service = 0.005, contention = 0.05}), 200, 1e-9)
  eq(P.capacity(0), 0.0)
  raises(function() P.capacity(-1) end, "negative")
end)
