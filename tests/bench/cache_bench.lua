-- lab.cache against a straightforward pure-Lua LRU (a table plus a doubly
-- linked list: the structure a learner writes), on the same Zipf trace.

local KEYS, REQUESTS, SIZE = 10000, 200000, 1000
local trace = lab.cache.trace{workload = "zipf", keys = KEYS, s = 0.9, requests = REQUESTS,
  seed = 1}

local function lua_lru(cap)
  local map, n = {}, 0
  local head = {}                      -- head.next: most recent; head.prev: least
  head.next, head.prev = head, head
  local function unlink(node) node.prev.next = node.next; node.next.prev = node.prev end
  local function push(node)
    node.next, node.prev = head.next, head
    head.next.prev = node
    head.next = node
  end
  local c = {}
  function c.get(k)
    local node = map[k]
    if not node then return nil end
    unlink(node); push(node)
    return node.v
  end
  function c.put(k, v)
    local node = map[k]
    if node then node.v = v; unlink(node); push(node); return nil end
    local evicted
    if n == cap then
      local lru = head.prev
      unlink(lru); map[lru.k] = nil
      evicted, n = lru.k, n - 1
    end
    node = {k = k, v = v}
    map[k] = node; push(node); n = n + 1
    return evicted
  end
  return c
end

-- operations: one get per request plus one put per miss (same for both)
local ops = 0
do
  local c = lua_lru(SIZE)
  for _, k in ipairs(trace) do
    ops = ops + 1
    if c.get(k) == nil then c.put(k, k); ops = ops + 1 end
  end
end

print(string.format("lab.cache (Zipf 0.9 over %d keys, %d requests, capacity %d)", KEYS,
  REQUESTS, SIZE))
compare("lru get/put, method calls", ops, function()
  local c = lab.cache.new{capacity = SIZE, policy = "lru"}
  for _, k in ipairs(trace) do
    if c:get(k) == nil then c:put(k, k) end
  end
end, function()
  local c = lua_lru(SIZE)
  for _, k in ipairs(trace) do
    if c.get(k) == nil then c.put(k, k) end
  end
end)

-- the hit-ratio curve of LRU at three sizes: the trace is drawn once (lab.rand's
-- Zipf sampler on the Lua side too) and replayed once per size
local BIG, SIZES = 1000000, {100, 1000, 5000}
compare("simulate lru at 3 sizes, 10^6 requests", BIG * #SIZES, function()
  lab.cache.simulate{workload = "zipf", keys = KEYS, s = 0.9, requests = BIG, seed = 1,
    policies = {"lru"}, sizes = SIZES}
end, function()
  local r, keys = lab.rand.new(1), {}
  for i = 1, BIG do keys[i] = r:zipf(KEYS, 0.9) end
  for _, size in ipairs(SIZES) do
    local c, hits = lua_lru(size), 0
    for i = 1, BIG do
      local k = keys[i]
      if c.get(k) == nil then c.put(k, true) else hits = hits + 1 end
    end
  end
end)

compare("simulate a learner's list of keys (lru)", REQUESTS, function()
  lab.cache.simulate{workload = trace, policies = {"lru"}, sizes = {SIZE}}
end, function()
  local c, hits = lua_lru(SIZE), 0
  for _, k in ipairs(trace) do
    if c.get(k) == nil then c.put(k, true) else hits = hits + 1 end
  end
end)

local t = median_time(3, function()
  lab.cache.simulate{workload = "zipf", keys = 10000, s = 0.9, requests = 1000000,
    policies = {"lru", "lfu", "arc", "opt"}, sizes = {100, 500, 1000}, seed = 1}
end)
report("simulate: 4 policies x 3 sizes x 10^6 requests", 12e6 / t, "requests/s")
t = median_time(3, function() lab.cache.stampede{strategy = "none", rate = 1000,
  duration = 1000} end)
report("stampede: 10^6 requests, none, from Lua", 1e6 / t, "requests/s")
