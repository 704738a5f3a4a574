-- Lua tests of lab.design.run and lab.design.evaluate on designs whose
-- figures follow by hand from the catalog (engine/concepts/design).

local cat = lab.design.catalog
-- a db serves workers / latency reads a second: 20 / 0.005 = 4000
local DB_READS = cat.db.workers / cat.db.latency

-- apps enough that the db, not the apps, is what fills up
local function app_db(apps)
  return {{name = "web", kind = "app", instances = apps or 20, calls = {{to = "db"}}},
          {name = "db", kind = "db"}}
end

test("design/run_db_at_twice_its_capacity", function()
  local r = lab.design.run(app_db(), {rate = 2 * DB_READS, duration = 10})
  eq(r.bottleneck.name, "db")
  truthy(r.bottleneck.utilization > 0.99, "db busy all the time")
  truthy(r.components.db.rejected > 0.4 * r.requests, "about half is turned away")
  near(r.success, 0.5, 0.03)
  truthy(r.bottleneck.text:find("^db: 100%% busy, [%d,]+ requests rejected$"), r.bottleneck.text)
  -- the same at half its capacity: half busy, nothing refused
  local h = lab.design.run(app_db(), {rate = DB_READS / 2, duration = 10})
  near(h.components.db.busy, 0.5, 0.03)
  eq(h.components.db.rejected, 0)
  eq(h.success, 1)
end)

test("design/evaluate_names_p99_and_the_db", function()
  local v = lab.design.evaluate(app_db(), {workload = {rate = 2 * DB_READS, duration = 10},
    requirements = {p99 = 0.02, success = 0.99}, seeds = {1}})
  eq(v.pass, false)
  eq(v.requirement, "p99")            -- p99 comes before success in the order
  eq(v.seed, 1)
  truthy(v.missed:find("^p99 latency [%d.]+ ms, needs <= 20 ms %(seed 1%)$"), v.missed)
  truthy(v.bottleneck:find("^db: 100%% busy"), v.bottleneck)
  truthy(v.plot:find("client p99 latency", 1, true) and v.plot:find("client success", 1, true))
  -- without the p99 requirement, success is the one missed
  v = lab.design.evaluate(app_db(), {workload = {rate = 2 * DB_READS, duration = 10},
    requirements = {success = 0.99}, seeds = {1}})
  eq(v.requirement, "success")
  truthy(v.missed:find("^success %d+%.?%d*%%, needs >= 99%% %(seed 1%)$"), v.missed)
end)

test("design/single_db_failure_misses_success", function()
  local wl = {rate = 500, duration = 20, faults = {{component = "db", at = 5, ["until"] = 10}}}
  local v = lab.design.evaluate(app_db(2), {workload = wl, requirements = {success = 0.99},
                                            seeds = {1, 2}})
  eq(v.pass, false)
  eq(v.requirement, "success")
  near(v.figures.success, 0.75, 0.03)  -- down for 5 s of 20
  eq(v.runs[1].bottleneck.name, "db")
  -- two instances, one fails: half the capacity is left, and it is enough
  local two = app_db(2)
  two[2].instances = 2
  local ok = lab.design.evaluate(two, {workload = wl, requirements = {success = 0.99},
                                        seeds = {1, 2}})
  eq(ok.pass, true, ok.missed)
  eq(ok.seed, nil)
  eq(ok.missed, nil)
end)

local function read_path(replicas)
  return {
    {name = "web", kind = "app", instances = 10,
     calls = {{to = "primary", ops = "write"}, {to = "replicas", ops = "read"}}},
    {name = "primary", kind = "db"},
    {name = "replicas", kind = "replica", instances = replicas}}
end

test("design/doubling_replicas_halves_their_load", function()
  local wl = {rate = 2000, writes = 0.1, duration = 20}
  local a = lab.design.run(read_path(2), wl)
  local b = lab.design.run(read_path(4), wl)
  eq(a.components.replicas.arrivals, a.reads)    -- reads only reach the replicas
  eq(a.components.primary.arrivals, a.writes)
  eq(a.components.replicas.workers, 2 * cat.replica.workers)
  -- busy = reads x latency / workers while the clients send
  near(a.components.replicas.busy, a.reads / 20 * cat.replica.latency / 40, 0.02)
  near(b.components.replicas.busy / a.components.replicas.busy, 0.5, 0.02)
end)

test("design/cost_in_the_result", function()
  local d = read_path(3)
  local r = lab.design.run(d, {rate = 10, duration = 2})
  eq(r.cost, cat.app.price * 10 + cat.db.price + 3 * cat.replica.price)
  eq(r.cost, lab.design.cost(d))
  eq(r.components.replicas.cost, 3 * cat.replica.price)
  local v = lab.design.evaluate(d, {workload = {rate = 10, duration = 2},
    requirements = {cost = r.cost - 1}, seeds = {1}})
  eq(v.requirement, "cost")
  eq(v.missed, ("cost $%s a month, needs <= $%s"):format(
    tostring(r.cost):gsub("^(%d)(%d%d%d)$", "%1,%2"),
    tostring(r.cost - 1):gsub("^(%d)(%d%d%d)$", "%1,%2")))
  eq(lab.design.evaluate(d, {workload = {rate = 10, duration = 2},
    requirements = {cost = r.cost}, seeds = {1}}).pass, true)
end)

test("design/replica_refuses_writes", function()
  local d = {{name = "web", kind = "app", calls = {{to = "replicas"}}},
             {name = "replicas", kind = "replica"}}
  local r = lab.design.run(d, {rate = 100, writes = 0.2, duration = 10})
  eq(r.components.replicas.errors, r.writes)
  eq(r.lost, r.writes)
  local v = lab.design.evaluate(d, {workload = {rate = 100, writes = 0.2, duration = 10},
    requirements = {lost = 0}, seeds = {3}})
  eq(v.requirement, "lost")
  truthy(v.missed:find("^lost writes [%d,]+, needs <= 0 %(seed 3%)$"), v.missed)
end)

test("design/fallback_writes_are_lost", function()
  -- a fallback answers the writes a dead db refused: degraded, not stored
  local d = {{name = "web", kind = "app", calls = {{to = "db", fallback = true}}},
             {name = "db", kind = "db"}}
  local wl = {rate = 100, writes = 0.5, duration = 10, seed = 1,
              faults = {{component = "db", at = 2, ["until"] = 5}}}
  local r = lab.design.run(d, wl)
  eq(r.success, 1)
  eq(r.write_success, 1)
  truthy(r.write_degraded > 100 and r.write_degraded < 200, r.write_degraded)
  eq(r.lost_writes, r.write_degraded)
  eq(r.lost, r.write_degraded)
  local v = lab.design.evaluate(d, {workload = wl,
    requirements = {success = 1, lost = 0}, seeds = {1}})
  eq(v.requirement, "lost")
  -- without the fault nothing is degraded, and nothing lost
  local ok = lab.design.run(d, {rate = 100, writes = 0.5, duration = 10, seed = 1})
  eq(ok.write_degraded, 0)
  eq(ok.lost, 0)
end)

test("design/cache_memory_and_keys", function()
  local function d(gb)
    return {{name = "web", kind = "app", instances = 4, calls = {{to = "cache"}}},
            {name = "cache", kind = "cache", memory = gb, calls = {{to = "db"}}},
            {name = "db", kind = "db"}}
  end
  local wl = {rate = 2000, keys = 100000, size = 1000, duration = 10}
  local small = lab.design.run(d(0.001), wl)    -- 1,000 items of 100,000 keys
  local big = lab.design.run(d(1), wl)           -- every key fits
  truthy(small.components.cache.hit_ratio > 0.2, "the popular keys hit")
  truthy(big.components.cache.hit_ratio > small.components.cache.hit_ratio)
  eq(big.components.db.arrivals, big.components.cache.misses)
  -- without keys nothing hits: every request reaches the db
  local nokeys = lab.design.run(d(1), {rate = 200, duration = 5})
  eq(nokeys.components.cache.hits, 0)
  eq(nokeys.components.db.arrivals, nokeys.requests)
end)

test("design/async_queue_lag", function()
  local d = {{name = "web", kind = "app", calls = {{to = "jobs", async = true}}},
             {name = "jobs", kind = "queue", calls = {{to = "workers"}}},
             {name = "workers", kind = "worker", instances = 3}}
  -- 10 jobs/s of 1 s each on 12 workers: they keep up; the caller does not wait
  local r = lab.design.run(d, {rate = 10, duration = 30})
  truthy(r.p99 < 0.1, "the web answers before the work is done")
  truthy(r.lag >= 1 and r.lag < 10, "lag " .. r.lag)
  eq(r.lag, r.components.jobs.lag_p99)
  -- 20 jobs/s on 12 workers: the backlog grows all along
  local slow = lab.design.evaluate(d, {workload = {rate = 20, duration = 30},
    requirements = {p99 = 0.1, lag = 10}, seeds = {1}})
  eq(slow.requirement, "lag")
  eq(slow.runs[1].bottleneck.name, "workers")
end)

test("design/evaluate_seeds_and_worst_figures", function()
  local d = app_db(20)
  local p = {workload = {rate = 1.6 * DB_READS, duration = 5, seed = 99},
             requirements = {p99 = 0.05, success = 0.9}, seeds = {4, 5, 6}}
  local v = lab.design.evaluate(d, p)
  eq(#v.runs, 3)
  local worst_p99, worst_success, first = 0, 1, nil
  for i, r in ipairs(v.runs) do
    -- the run of each seed is lab.design.run's with that seed
    local again = lab.design.run(d, {rate = 1.6 * DB_READS, duration = 5, seed = p.seeds[i]})
    eq(again.p99, r.p99)
    eq(again.success, r.success)
    worst_p99 = math.max(worst_p99, r.p99)
    worst_success = math.min(worst_success, r.success)
    if not first and (r.p99 > 0.05 or r.success < 0.9) then first = p.seeds[i] end
  end
  eq(v.figures.p99, worst_p99)
  eq(v.figures.success, worst_success)
  eq(v.seed, first)
  eq(v.pass, first == nil)
  -- the default seeds are 1, 2, 3
  p.seeds = nil
  eq(#lab.design.evaluate(d, p).runs, 3)
end)

test("design/evaluate_errors", function()
  raises(function()
    lab.design.evaluate({{name = "web", kind = "app", workers = 9}}, {workload = {rate = 1}})
  end, "'workers' is fixed by the component's kind")
  raises(function() lab.design.evaluate(app_db(), {workload = {rate = 1},
    requirements = {hit_ratio = 0.5}}) end, "unknown option 'hit_ratio'")
  raises(function() lab.design.evaluate(app_db(), {requirements = {}}) end,
    "option 'workload' is required")
  raises(function() lab.design.evaluate(app_db(), {workload = {duration = 1}}) end,
    "workload: option 'rate' is required")
  raises(function() lab.design.run(app_db(), {rate = 1, faults = {{component = "dbx", at = 1, ["until"] = 2}}}) end,
    "faults%[1%]: 'dbx' is no component of the design")
  raises(function() lab.design.run(app_db(), {rate = 1, writes = 2}) end,
    "workload: option 'writes' must be between 0 and 1")
  -- a call option the simulator refuses is named by component, not by service index
  local d = app_db()
  d[1].calls[1].retries = -1
  raises(function() lab.design.run(d, {rate = 1}) end,
    "lab.design.run: component 'web' %(1%): calls%[1%]: option 'retries'")
  raises(function() lab.design.evaluate(app_db(), {workload = {rate = 1}, seeds = {1.5}}) end,
    "seeds%[1%] must be an integer")
end)

test("design/run_replays_and_ignores_a_replaced_simulator", function()
  local wl = {rate = 500, duration = 5, seed = 7}
  local a = lab.design.run(app_db(2), wl)
  local saved = lab.resilience.simulate
  lab.resilience.simulate = function() return {success = 1, p99 = 0, services = {}} end
  local ok, b = pcall(lab.design.run, app_db(2), wl)
  lab.resilience.simulate = saved
  truthy(ok, b)
  eq(b.p99, a.p99)
  eq(b.events, a.events)
  same(b.components.db, a.components.db)
end)

test("design/async_failures_are_lost_writes", function()
  -- the client is answered once the queue admits the write; the db is down
  -- from 5 to 8 s: without retries the queue drops what it accepted
  local function d(retries)
    return {{name = "web", kind = "app", calls = {{to = "q", async = true}}},
            {name = "q", kind = "queue",
             calls = {{to = "db", retries = retries, backoff = 1, cap = 4}}},
            {name = "db", kind = "db"}}
  end
  local wl = {rate = 100, writes = 1, duration = 20,
              faults = {{component = "db", at = 5, ["until"] = 8}}}
  local r = lab.design.run(d(0), wl)
  eq(r.write_success, 1)
  eq(r.lost_writes, 0)
  eq(r.lost_async, r.components.q.errors)
  eq(r.lost_async, r.components.db.rejected)     -- each refused write, once
  near(r.lost, 300, 60)                           -- 3 s of 100 writes a second
  local v = lab.design.evaluate(d(0), {workload = wl, requirements = {success = 1, lost = 0},
                                       seeds = {1}})
  eq(v.requirement, "lost")
  -- retries that outlast the outage lose nothing, and the lag shows the wait
  local k = lab.design.run(d(6), wl)
  eq(k.lost, 0)
  truthy(k.lag > 2, "lag " .. k.lag)
end)

test("design/run_input_errors", function()
  local d = {{name = "web", kind = "app", calls = {{to = "db"}}}, {name = "db", kind = "db"}}
  raises(function() lab.design.run(d, {rate = 1, faults = {{component = "db", at = 5, ["until"] = 1}}}) end,
    "workload.faults%[1%]: until must not come before at")
  raises(function() lab.design.run(d, {rate = 1, bursts = {{at = 1}}}) end,
    "lab.design.run: workload.bursts%[1%]: option 'count' is required")
  raises(function() lab.design.run({{name = "c", kind = "cache", memory = 2000}}, {rate = 1, size = 10}) end,
    "lab.design.run: component 'c' %(1%): 2000 GB holds more items")
  raises(function() lab.design.run(d, "x") end, "lab.design.run: workload must be a table")
  local x = {name = "web", kind = "app"}
  x.calls = {x}                                   -- a call that is itself a component
  raises(function() lab.design.cost{x} end, "calls%[1%]: unknown option")
end)
