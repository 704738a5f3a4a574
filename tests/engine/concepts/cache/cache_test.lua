-- Lua tests of lab.cache (engine/concepts/cache/cache_lua.c): the documented traces
-- through the binding, and every policy against a plain Lua model of its
-- documented semantics (the kind of model a learner writes), differentially.

local function keys(c) return table.concat(c:keys(), " ") end

test("cache/lru_trace", function()
  local c = lab.cache.new{capacity = 3, policy = "lru"}
  eq(c:put("a", 1), nil)
  c:put("b", 2)
  c:put("c", 3)
  eq(c:get("a"), 1)
  eq(c:put("d", 4), "b")
  eq(keys(c), "d a c")
  eq(c:get("b"), nil)
  eq(c:put("c", 30), nil)              -- an update: a use, no eviction
  eq(keys(c), "c d a")
  eq(c:get("c"), 30)
  eq(#c, 3)
  local s = c:stats()
  eq(s.hits, 2); eq(s.misses, 1); eq(s.evictions, 1); eq(s.updates, 1)
  near(s.hit_ratio, 2 / 3, 1e-12)
  eq(tostring(c), "lab.cache(lru 3/3: c d a)")
end)

test("cache/fifo_lfu_clock_traces", function()
  local f = lab.cache.new{capacity = 3, policy = "fifo"}
  for _, k in ipairs{"a", "b", "c"} do f:put(k, k) end
  f:get("a")
  eq(f:put("d", "d"), "a")

  local l = lab.cache.new{capacity = 3, policy = "lfu"}
  for _, k in ipairs{"a", "b", "c"} do l:put(k, k) end
  l:get("a"); l:get("a"); l:get("b")
  eq(l:put("d", "d"), "c")
  l:get("d")
  eq(l:put("e", "e"), "b")             -- tie at 2 uses: least recently used
  local s = l:snapshot()
  same(s.order, {"a", "d", "e"})
  same(s.counts, {a = 3, d = 2, e = 1})

  local k = lab.cache.new{capacity = 3, policy = "clock"}
  for _, x in ipairs{"a", "b", "c"} do k:put(x, x) end
  k:get("a")
  eq(k:put("d", "d"), "b")
  s = k:snapshot()
  same(s.ring, {"c", "a", "d"})
  eq(s.hand, "c")
  same(s.ref, {c = 0, a = 0, d = 0})
  k:get("a")
  same(k:snapshot().ref, {c = 0, a = 1, d = 0})
end)

test("cache/arc_snapshot", function()
  local c = lab.cache.new{capacity = 2, policy = "arc"}
  c:put("a", 1); c:put("b", 2); c:get("a"); c:put("c", 3)
  eq(c:put("b", 2), "a")               -- a B1 hit: p grows to 1
  local s = c:snapshot()
  same(s.t1, {"c"}); same(s.t2, {"b"}); same(s.b1, {}); same(s.b2, {"a"})
  eq(s.p, 1.0)
  eq(s.policy, "arc")
  eq(s.size, 2)
  eq(c:get("a"), nil)                  -- a ghost holds no value
end)

test("cache/keys_and_values", function()
  local c = lab.cache.new{capacity = 10}
  c:put(2.0, "two")                    -- a float with an integral value is that integer
  eq(c:get(2), "two")
  c:put("2", "string two")
  eq(c:get(2), "two")
  eq(c:get("2"), "string two")
  local t = {}
  c:put("t", t); eq(c:get("t"), t)
  c:put("f", false); eq(c:get("f"), false)
  c:put("nul\0key", 1); eq(c:get("nul\0key"), 1)
  same(c:keys(), {"nul\0key", "f", "t", "2", 2})
  raises(function() c:put(1.5, 1) end, "key must be a string or an integer")
  raises(function() c:get({}) end, "key must be a string or an integer")
  raises(function() c:put("x", nil) end, "must not be nil")
  eq(c:delete("t"), true)
  eq(c:delete("t"), false)
  eq(c:peek("f"), false)
  eq(c:stats().hits, 6)                -- peek is not counted
end)

test("cache/bad_arguments", function()
  raises(function() lab.cache.new{} end, "lab.cache.new: option 'capacity' is required")
  raises(function() lab.cache.new{capacity = 0} end, "option 'capacity' must be between 1 and 10000000 %(got 0%)")
  raises(function() lab.cache.new{capacity = 1e12} end, "option 'capacity' must be between 1 and 10000000 %(got 1000000000000%)")
  raises(function() lab.cache.new{capacity = 2.5} end, "integer")
  raises(function() lab.cache.new{capacity = 3, policy = "mru"} end, "option 'policy' must be one of: fifo lru lfu clock random arc 2q %(got 'mru'; did you mean 'lru'%?%)")
  raises(function() lab.cache.new{capacity = 3, size = 3} end, "lab.cache.new: unknown option 'size'")
  raises(function() lab.cache.new{capacity = 3, polcy = "lru"} end,
    "lab.cache.new: unknown option 'polcy' %(did you mean 'policy'%?%)")
  raises(function() lab.cache.new{capacity = 3, ttl = 5} end, "needs simulated time")
  raises(function() lab.cache.new{capacity = 3, clock = 5} end, "option 'clock'")
  local c = lab.cache.new{capacity = 3}
  raises(function() c:put("a", 1, 5) end, "needs simulated time")
  raises(function() c.get(5, "a") end, "lab.cache expected")
  eq(getmetatable(c), false)           -- the class is locked
end)

test("cache/ttl_with_a_clock", function()
  local clk = lab.clock.new()
  local c = lab.cache.new{capacity = 2, policy = "lru", clock = clk, ttl = 10}
  c:put("a", 1)                        -- expires at 10 (the default ttl)
  c:put("b", 2, math.huge)             -- never expires
  clk:advance(5)
  c:put("c", 3, 2)                     -- expires at 7; evicts a (least recent)
  eq(c:get("a"), nil)
  same(c:snapshot().expires, {c = 7.0})
  clk:advance(2)                       -- now 7: c is gone
  eq(c:get("c"), nil)
  eq(#c, 1)
  local s = c:stats()
  eq(s.expirations, 1); eq(s.evictions, 1)
  c:put("d", 4)
  c:put("e", 5)                        -- full again: evicts b, the least recent
  same(c:keys(), {"e", "d"})
  clk:advance(100)
  eq(#c, 0)                            -- both expired, nothing evicted
  eq(c:stats().evictions, 2)
  eq(c:snapshot().now, 107.0)
end)

test("cache/function_clock", function()
  local now = 0
  local c = lab.cache.new{capacity = 4, clock = function() return now end}
  c:put("x", 1, 1.5)
  now = 1.4; eq(c:get("x"), 1)
  now = 1.5; eq(c:get("x"), nil)
end)

test("cache/reset_stats", function()
  local c = lab.cache.new{capacity = 2}
  eq(tostring(c), "lab.cache(lru 0/2)")
  c:put(1, 1); c:get(1); c:get(2)
  c:reset_stats()
  local s = c:stats()
  eq(s.hits, 0); eq(s.misses, 0); eq(s.hit_ratio, 0.0); eq(s.size, 1)
end)

test("cache/random_snapshot", function()
  local c = lab.cache.new{capacity = 3, policy = "random", seed = 5}
  for i = 1, 10 do c:put(i, i) end
  local s = c:snapshot()
  eq(s.seed, 5); eq(s.draws, 7); eq(#s.slots, 3)
end)

-- ---- plain Lua models of the documented semantics ----

local function index_of(list, k)
  for i, x in ipairs(list) do if x == k then return i end end
end

local function list_model(kind)
  -- fifo / lru: q[1] is the most recent (or newest), q[#q] the victim
  local m = {q = {}}
  function m:has(k) return index_of(self.q, k) ~= nil end
  function m:use(k)
    if kind == "lru" then
      table.remove(self.q, index_of(self.q, k)); table.insert(self.q, 1, k)
    end
  end
  function m:insert(k, cap)
    local ev
    if #self.q == cap then ev = table.remove(self.q) end
    table.insert(self.q, 1, k)
    return ev
  end
  function m:remove(k) table.remove(self.q, index_of(self.q, k)) end
  function m:order() return self.q end
  return m
end

local function lfu_model()
  local m = {e = {}, tick = 0}
  local function find(self, k) for i, x in ipairs(self.e) do if x.k == k then return i end end end
  function m:has(k) return find(self, k) ~= nil end
  function m:use(k)
    local x = self.e[find(self, k)]
    self.tick = self.tick + 1
    x.n, x.t = x.n + 1, self.tick
  end
  function m:insert(k, cap)
    local ev
    if #self.e == cap then
      local v = 1
      for i, x in ipairs(self.e) do
        local y = self.e[v]
        if x.n < y.n or (x.n == y.n and x.t < y.t) then v = i end
      end
      ev = table.remove(self.e, v).k
    end
    self.tick = self.tick + 1
    self.e[#self.e + 1] = {k = k, n = 1, t = self.tick}
    return ev
  end
  function m:remove(k) table.remove(self.e, find(self, k)) end
  function m:order()
    local s = {}
    for i, x in ipairs(self.e) do s[i] = x end
    table.sort(s, function(a, b) if a.n ~= b.n then return a.n > b.n end return a.t > b.t end)
    local o = {}
    for i, x in ipairs(s) do o[i] = x.k end
    return o
  end
  return m
end

local function clock_model()
  local m = {ring = {}, ref = {}}     -- ring[1] is under the hand
  function m:has(k) return index_of(self.ring, k) ~= nil end
  function m:use(k) self.ref[k] = 1 end
  function m:insert(k, cap)
    local ev
    if #self.ring == cap then
      while self.ref[self.ring[1]] == 1 do
        local h = table.remove(self.ring, 1)
        self.ref[h] = 0
        self.ring[#self.ring + 1] = h
      end
      ev = table.remove(self.ring, 1)
      self.ref[ev] = nil
    end
    self.ring[#self.ring + 1] = k
    self.ref[k] = 0
    return ev
  end
  function m:remove(k) table.remove(self.ring, index_of(self.ring, k)); self.ref[k] = nil end
  function m:order() return self.ring end
  return m
end

local function random_model(seed)
  local m = {slots = {}, r = lab.rand.new(seed)}
  function m:has(k) return index_of(self.slots, k) ~= nil end
  function m:use() end
  local function take(self, i)
    local k = self.slots[i]
    self.slots[i] = self.slots[#self.slots]
    self.slots[#self.slots] = nil
    return k
  end
  function m:insert(k, cap)
    local ev
    if #self.slots == cap then ev = take(self, self.r:int(0, cap - 1) + 1) end
    self.slots[#self.slots + 1] = k
    return ev
  end
  function m:remove(k) take(self, index_of(self.slots, k)) end
  function m:order() return self.slots end
  return m
end

local function arc_model()
  -- lists are most recent first
  local m = {t1 = {}, t2 = {}, b1 = {}, b2 = {}, p = 0}
  local function where(self, k)
    for _, n in ipairs{"t1", "t2", "b1", "b2"} do
      local i = index_of(self[n], k)
      if i then return n, i end
    end
  end
  function m:has(k) local w = where(self, k); return w == "t1" or w == "t2" end
  function m:use(k)
    local w, i = where(self, k)
    table.remove(self[w], i); table.insert(self.t2, 1, k)
  end
  local function replace(self, in_b2)
    local t1 = #self.t1
    local from_t1 = t1 >= 1 and (t1 > self.p or (in_b2 and t1 == self.p))
    if #self.t2 == 0 then from_t1 = true end
    local v
    if from_t1 then v = table.remove(self.t1); table.insert(self.b1, 1, v)
    else v = table.remove(self.t2); table.insert(self.b2, 1, v) end
    return v
  end
  function m:insert(k, c)
    local full = #self.t1 + #self.t2 == c
    local w, i = where(self, k)
    local ev
    if w == "b1" or w == "b2" then
      local b1, b2 = #self.b1, #self.b2
      if w == "b1" then self.p = math.min(self.p + (b1 >= b2 and 1 or b2 / b1), c)
      else self.p = math.max(self.p - (b2 >= b1 and 1 or b1 / b2), 0) end
      if full then ev = replace(self, w == "b2") end
      table.remove(self[w], index_of(self[w], k)); table.insert(self.t2, 1, k)
      return ev
    end
    local l1 = #self.t1 + #self.b1
    local total = l1 + #self.t2 + #self.b2
    if l1 == c then
      if #self.t1 < c then
        table.remove(self.b1)
        if full then ev = replace(self, false) end
      else
        ev = table.remove(self.t1)
      end
    elseif total >= c then
      if total == 2 * c then table.remove(self.b2) end
      if full then ev = replace(self, false) end
    end
    table.insert(self.t1, 1, k)
    return ev
  end
  function m:remove(k) local w, i = where(self, k); table.remove(self[w], i) end
  function m:order()
    local o = {}
    for _, k in ipairs(self.t1) do o[#o + 1] = k end
    for _, k in ipairs(self.t2) do o[#o + 1] = k end
    return o
  end
  return m
end

local models = {
  fifo = function() return list_model("fifo") end,
  lru = function() return list_model("lru") end,
  lfu = lfu_model, clock = clock_model, arc = arc_model,
  random = function() return random_model(11) end,
}

test("cache/differential_against_lua_models", function()
  for _, policy in ipairs{"fifo", "lru", "lfu", "clock", "random", "arc"} do
    for _, cap in ipairs{1, 3, 8} do
      local r = lab.rand.new(cap * 100 + #policy)
      local c = lab.cache.new{capacity = cap, policy = policy, seed = 11}
      local m = models[policy]()
      for step = 1, 3000 do
        local k = r:int(1, 3 * cap + 2)
        if k % 4 == 0 then k = "k" .. k end
        local op = r:int(1, 10)
        local where = string.format("%s cap %d step %d key %s", policy, cap, step, tostring(k))
        if op <= 5 then
          local hit = c:get(k) ~= nil
          eq(hit, m:has(k), where .. " get")
          if hit then m:use(k) end
        elseif op <= 9 then
          local ev = c:put(k, step)
          if m:has(k) then
            m:use(k)
            eq(ev, nil, where .. " update")
          else
            eq(ev, m:insert(k, cap), where .. " put")
          end
        else
          local was = c:delete(k)
          eq(was, m:has(k), where .. " delete")
          if was then m:remove(k) end
        end
        same(c:keys(), m:order(), where .. " order")
      end
      if policy == "arc" then
        local s = c:snapshot()
        same(s.b1, m.b1); same(s.b2, m.b2); near(s.p, m.p, 1e-9)
      end
    end
  end
end)

test("cache/misses_return_nil_not_nothing", function()
  local c = lab.cache.new{capacity = 1, policy = "lru"}
  eq(select("#", c:get("x")), 1)          -- print(c:get(k)) shows nil
  eq(select("#", c:put("a", 1)), 1)
  eq(c:put("b", 2), "a")
end)

test("cache/2q_snapshot", function()
  local c = lab.cache.new{capacity = 4, policy = "2q"}
  for _, k in ipairs{"a", "b", "c", "d"} do c:put(k, 1) end
  eq(c:put("e", 1), "a")            -- A1in is over Kin = 1: its oldest goes
  eq(c:get("a"), nil)               -- a ghost is a miss
  eq(c:put("a", false), "b")        -- seen again: to Am
  eq(c:get("a"), false)             -- false is a value like any other
  local s = c:snapshot()
  eq(s.policy, "2q")
  eq(table.concat(s.a1in, " "), "e d c")
  eq(table.concat(s.am, " "), "a")
  eq(table.concat(s.a1out, " "), "b")
  eq(s.kin, 1)
  eq(s.kout, 2)
  eq(table.concat(c:keys(), " "), "e d c a")
  local r = lab.cache.simulate{workload = {1, 2, 1, 3, 4, 5, 1}, policies = {"2q"},
    sizes = {2}}
  eq(r.hits["2q"][1], 1)
end)
