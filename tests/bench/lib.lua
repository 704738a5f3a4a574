-- tests/bench/lib.lua — helpers for Lua benchmarks (loaded before each *_bench.lua).
--
--   local t = median_time(5, function() ... end)      -- seconds, median of 5 runs
--   report("cache lru put/get", ops / t, "ops/s")
--   compare("cache lru", n, lab_fn, lua_fn)           -- prints both rates and the ratio

function median_time(runs, fn)
  local times = {}
  for i = 1, runs do
    collectgarbage("collect")
    local t0 = os.clock()
    fn()
    times[i] = os.clock() - t0
  end
  table.sort(times)
  return times[(runs + 1) // 2]
end

local function si(x)
  if x >= 1e9 then return string.format("%.2fG", x / 1e9) end
  if x >= 1e6 then return string.format("%.2fM", x / 1e6) end
  if x >= 1e3 then return string.format("%.1fk", x / 1e3) end
  return string.format("%.1f", x)
end

function report(name, value, unit)
  print(string.format("  %-44s %10s %s", name, si(value), unit))
end

-- Runs lab_fn and lua_fn (each doing n operations) 5 times, reports both
-- rates and how many times faster the lab (C) version is.
function compare(name, n, lab_fn, lua_fn)
  local tc = median_time(5, lab_fn)
  local tl = median_time(5, lua_fn)
  print(string.format("  %-44s lab %9s ops/s   pure Lua %9s ops/s   ratio %5.1fx",
    name, si(n / tc), si(n / tl), tl / tc))
end
