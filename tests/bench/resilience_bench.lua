-- lab.resilience.simulate: simulated client requests a second of CPU
-- through a 10-service graph (a chain of 10, each calling the next with a
-- timeout, retries with full jitter and a breaker), healthy and under a
-- fault that makes the retries work.
local function chain(faults, trace)
  local services = {}
  for i = 1, 10 do
    local s = {name = "s" .. i, workers = 100, queue = 1000, latency = 0.001}
    if i < 10 then
      s.calls = {{to = "s" .. (i + 1), timeout = 0.5, retries = 2, jitter = "full",
                  breaker = true}}
    end
    services[i] = s
  end
  return function()
    local r = lab.resilience.simulate{duration = 100, drain = 2, seed = 1, services = services,
                                      client = {rate = 1000}, faults = faults,
                                      trace = trace}
    return r.requests
  end
end

for _, case in ipairs{{"healthy", nil},
                      {"s10 erroring 30%", {{service = "s10", at = 20, ["until"] = 80,
                                             mode = "error", rate = 0.3}}}} do
  local run = chain(case[2])
  local n = run()
  local t = median_time(3, run)
  report("resilience 10-service chain, " .. case[1], n / t, "requests/s")
end

-- The same healthy chain with every request traced (21 spans each, up to
-- the 10000-trace cap) and with 1% traced: what recording spans costs.
for _, case in ipairs{{"every request traced (first 10000)", {sample = 1, max = 10000}},
                      {"1% traced", {sample = 0.01, max = 10000}}} do
  local run = chain(nil, case[2])
  local n = run()
  local t = median_time(3, run)
  report("resilience 10-service chain, " .. case[1], n / t, "requests/s")
end

-- Keys (issue 20): the healthy chain with a million Zipf keys (0.99) and
-- 10% writes drawn per request; then with an LRU of 10000 keys at s5
-- (hits stop there: s6..s10 see the misses and writes only).
local function keyed(cache)
  local services = {}
  for i = 1, 10 do
    local s = {name = "s" .. i, workers = 100, queue = 1000, latency = 0.001}
    if i < 10 then
      s.calls = {{to = "s" .. (i + 1), timeout = 0.5, retries = 2, jitter = "full",
                  breaker = true}}
    end
    services[i] = s
  end
  services[5].cache = cache
  return function()
    local r = lab.resilience.simulate{duration = 100, drain = 2, seed = 1, services = services,
                                      client = {rate = 1000, keys = 1000000, skew = 0.99,
                                                writes = 0.1}}
    return r.requests, r.services.s5.hit_ratio
  end
end
for _, case in ipairs{{"keys and writes, no cache", nil}, {"keys, LRU of 10000 at s5", 10000}} do
  local run = keyed(case[2])
  local n, ratio = run()
  local t = median_time(3, run)
  report(("resilience 10-service chain, %s (s5 hit ratio %.2f)"):format(case[1], ratio or 0),
         n / t, "requests/s")
end
