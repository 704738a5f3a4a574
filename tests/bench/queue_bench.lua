-- lab.queue.simulate against the same FCFS M/M/1 queue in pure Lua:
-- simulated requests a second of CPU. Not like for like: the Lua loop only
-- sums response times, lab.queue also keeps every request to sort two
-- arrays for percentiles and measures the time averages of Little's law,
-- so it comes out slower (about 0.2x on a loaded 2-core machine).
local N = 1000000

local function lua_mm1(n, lambda, mu, seed)
  local r = lab.rand.new(seed)
  local t, free, sum = 0, 0, 0
  for _ = 1, n do
    t = t + r:exponential(lambda)
    local start = free > t and free or t
    free = start + r:exponential(mu)
    sum = sum + (free - t)
  end
  return sum / n
end

compare("queue M/M/1 simulate (requests)", N,
  function() lab.queue.simulate{arrival = 8, service = 10, requests = N, warmup = 0} end,
  function() lua_mm1(N, 8, 10, 1) end)
local t = median_time(3, function()
  lab.queue.simulate{arrival = 900, service = 10, servers = 100, requests = N, warmup = 0}
end)
report("queue M/M/100 simulate", N / t, "requests/s")
