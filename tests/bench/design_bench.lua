-- lab.design: designs evaluated a second of CPU (3 seeds each, as a check
-- grades), and simulated client requests a second through lab.design.run,
-- beside lab.resilience.simulate on the graph the design compiles to: what
-- compiling and the extra figures cost.
local design = {
  {name = "lb", kind = "lb", calls = {{to = "web"}}},
  {name = "web", kind = "app", instances = 8, calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1,
   calls = {{to = "primary", ops = "write"}, {to = "replicas", ops = "read"}}},
  {name = "primary", kind = "db"},
  {name = "replicas", kind = "replica", instances = 2},
}

-- a small problem, as a lesson's stage is: 10 s at 500 requests a second
local small = {workload = {rate = 500, writes = 0.05, keys = 100000, duration = 10},
               requirements = {p99 = 0.1, success = 0.999, cost = 5000}}
local t = median_time(3, function()
  for _ = 1, 5 do lab.design.evaluate(design, small) end
end)
report("design evaluate (3 seeds, 10 s at 500 req/s)", 5 / t, "designs/s")

local wl = {rate = 5000, writes = 0.05, keys = 1000000, duration = 60}
local n = lab.design.run(design, wl).requests
t = median_time(3, function() lab.design.run(design, wl) end)
report("design run, 5 components, 5000 req/s", n / t, "requests/s")

local c = lab.design.catalog
local services = {
  {name = "lb", workers = c.lb.workers, queue = c.lb.queue, latency = c.lb.latency,
   calls = {{to = "web"}}},
  {name = "web", workers = 8 * c.app.workers, queue = 8 * c.app.queue, latency = c.app.latency,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", workers = c.cache.workers, queue = c.cache.queue, latency = c.cache.latency,
   cache = 1000000, calls = {{to = "primary", ops = "write"}, {to = "replicas", ops = "read"}}},
  {name = "primary", workers = c.db.workers, queue = c.db.queue, latency = c.db.latency,
   write_latency = c.db.write_latency},
  {name = "replicas", workers = 2 * c.replica.workers, queue = 2 * c.replica.queue,
   latency = c.replica.latency, read_only = true},
}
local opts = {duration = 60, seed = 1, services = services,
              client = {rate = 5000, writes = 0.05, keys = 1000000, timeout = 1}}
n = lab.resilience.simulate(opts).requests
t = median_time(3, function() lab.resilience.simulate(opts) end)
report("the same graph through lab.resilience", n / t, "requests/s")
