-- Lua tests of lab.cache.simulate and lab.cache.trace (cachesim_lua.c).

test("cachesim/loop_defeats_lru", function()
  local r = lab.cache.simulate{workload = "loop", keys = 101, requests = 10100,
    policies = {"lru", "fifo", "clock", "opt"}, sizes = {100}}
  eq(r.hit_ratio.lru[1], 0.0)
  eq(r.hit_ratio.fifo[1], 0.0)
  eq(r.hit_ratio.clock[1], 0.0)
  -- OPT: 101 first misses, then one miss every 100 requests
  eq(r.hits.opt[1], 10100 - (101 + (10100 - 101) // 100))
  eq(r.distinct, 101)
  eq(r.workload, "loop")
end)

test("cachesim/textbook_trace_as_a_list", function()
  -- Silberschatz et al.'s reference string; 3 frames: FIFO 15 faults, LRU 12, OPT 9
  local refs = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1}
  local named = {}
  for i, k in ipairs(refs) do named[i] = "page" .. k end
  for _, w in ipairs{refs, named} do
    local r = lab.cache.simulate{workload = w, policies = {"fifo", "lru", "opt"}, sizes = {3}}
    eq(r.hits.fifo[1], 5); eq(r.hits.lru[1], 8); eq(r.hits.opt[1], 11)
    eq(r.requests, 20); eq(r.distinct, 6); eq(r.workload, "list")
  end
end)

test("cachesim/agrees_with_lab_cache", function()
  local opts = {workload = "mixed", keys = 300, s = 0.9, requests = 20000, seed = 4,
    scan_every = 4000, scan_length = 500}
  local trace = lab.cache.trace(opts)
  eq(#trace, 20000)
  local policies = {"fifo", "lru", "lfu", "clock", "random", "arc"}
  opts.policies, opts.sizes = policies, {10, 60}
  local r = lab.cache.simulate(opts)
  for _, p in ipairs(policies) do
    for j, size in ipairs(r.sizes) do
      local c = lab.cache.new{capacity = size, policy = p, seed = 4}
      local hits = 0
      for _, k in ipairs(trace) do
        if c:get(k) then hits = hits + 1 else c:put(k, true) end
      end
      eq(r.hits[p][j], hits, p .. " at size " .. size)
      near(r.hit_ratio[p][j], hits / #trace, 1e-12)
    end
  end
end)

test("cachesim/determinism_and_timeline", function()
  local a = lab.cache.simulate{keys = 500, requests = 5000, policies = {"lru", "arc"},
    sizes = {20, 50}, seed = 9, window = 1000}
  local b = lab.cache.simulate{keys = 500, requests = 5000, policies = {"lru", "arc"},
    sizes = {20, 50}, seed = 9, window = 1000}
  same(a, b)
  eq(a.window, 1000)
  eq(#a.timeline.lru, 2)
  eq(#a.timeline.lru[1], 5)
  local sum = 0
  for _, x in ipairs(a.timeline.arc[2]) do sum = sum + x * 1000 end
  near(sum, a.hits.arc[2], 1e-6)
  local c = lab.cache.simulate{keys = 500, requests = 5000, policies = {"lru"},
    sizes = {20}, seed = 10}
  truthy(c.hits.lru[1] ~= a.hits.lru[1])
end)

test("cachesim/defaults", function()
  local r = lab.cache.simulate{workload = "zipf", keys = 1000, requests = 1e4}
  eq(r.requests, 10000); eq(r.keys, 1000)
  same(r.sizes, {10, 20, 50, 100, 200, 500})
  same(r.policies, {"fifo", "lru", "lfu", "clock", "random", "arc", "2q", "opt"})
  for _, p in ipairs(r.policies) do
    for j = 1, #r.sizes do truthy(r.hit_ratio[p][j] <= r.hit_ratio.opt[j] + 1e-12) end
  end
  eq(r.window, 100)
end)

test("cachesim/trace_workloads", function()
  same(lab.cache.trace{workload = "loop", keys = 3, requests = 7}, {1, 2, 3, 1, 2, 3, 1})
  same(lab.cache.trace{workload = "scan", requests = 4}, {1, 2, 3, 4})
  same(lab.cache.trace{workload = {"a", 5, "a"}}, {"a", 5, "a"})
  local z = lab.cache.trace{workload = "zipf", keys = 10, s = 0, requests = 100, seed = 1}
  for _, k in ipairs(z) do truthy(k >= 1 and k <= 10) end
end)

test("cachesim/bad_options", function()
  raises(function() lab.cache.simulate{workload = "zipfian"} end, "option 'workload' must be one of: zipf loop scan mixed .* %(got 'zipfian'; did you mean 'zipf'%?%)")
  raises(function() lab.cache.simulate{policies = {"mru"}} end, "every policy must be one of: fifo lru lfu clock random arc 2q opt %(got 'mru'; did you mean 'lru'%?%)")
  raises(function() lab.cache.simulate{sizes = {0}} end, "sizes must be positive")
  raises(function() lab.cache.simulate{size = 10} end, "unknown option 'size'")
  raises(function() lab.cache.simulate{requests = 0} end, "option 'requests' must be between 1 and 20000000 %(got 0%)")
  raises(function() lab.cache.simulate{s = -1} end, "option 's' must be at least 0 %(got %-1%)")
  raises(function() lab.cache.simulate{workload = {}} end, "between 1 and")
  raises(function() lab.cache.simulate{workload = {1.5}} end, "string or an integer")
  raises(function() lab.cache.simulate{workload = "mixed", keys = 100, scan_every = 50,
    scan_length = 50} end, "scan_length must be smaller")
end)
