-- Lua tests of lab.cache.store and lab.cache.writer (cachewrite_lua.c).

test("cachewrite/write_back_flush_and_crash", function()
  local s = lab.cache.store{latency = 0.010}
  local w = lab.cache.writer{policy = "write-back", capacity = 2, store = s, latency = 0.001}
  w:write("x", 1)
  w:write("x", 2)
  w:write("y", 3)
  eq(s:stats().writes, 0)
  eq(s:peek("x"), nil)
  local v, how = w:read("x")
  eq(v, 2); eq(how, "hit")
  w:write("z", 4)                      -- evicts y (dirty): written back
  same({s:peek("y")}, {3, 3})
  same(w:flush(), {"z", "x"})          -- cache order: most recent first
  same({s:peek("x")}, {2, 2})
  eq(s:stats().writes, 3)
  w:write("x", 5)
  same(w:crash(), {"x"})
  v, how = w:read("x")
  eq(v, 2); eq(how, "miss")            -- the store still has the flushed 2
  local st = w:stats()
  eq(st.lost_writes, 1); eq(st.writebacks, 3); eq(st.writes, 5); eq(st.dirty, 0)
  near(st.mean_write, 0.001 + 0.010 / 5, 1e-12) -- one eviction write-back among 5 writes
  eq(#w, 1)
  eq(tostring(w), "lab.cache.writer(write-back, 1/2 cached, 0 dirty)")
  eq(tostring(s), "lab.cache.store(3 keys, 1 reads, 3 writes)")
end)

test("cachewrite/write_through_around", function()
  local s = lab.cache.store{read_latency = 0.005, write_latency = 0.020}
  local t = lab.cache.writer{policy = "write-through", capacity = 10, store = s, latency = 0}
  t:write("a", "A")
  same({t:read("a")}, {"A", "hit"})
  same({s:peek("a")}, {"A", 1})
  near(t:stats().mean_write, 0.020, 1e-12)
  local r = lab.cache.writer{policy = "write-around", capacity = 10, store = s, latency = 0}
  r:write("b", "B")
  same({r:read("b")}, {"B", "miss"})
  r:write("b", "B2")
  same({r:read("b")}, {"B2", "hit"})   -- a cached copy is updated
  near(r:stats().mean_read, 0.0025, 1e-12)
end)

test("cachewrite/cache_aside_race_and_read_through", function()
  for _, policy in ipairs{"cache-aside", "read-through"} do
    local s = lab.cache.store{}
    local w = lab.cache.writer{policy = policy, capacity = 10, store = s}
    w:write("k", "old")
    local v, how = w:read("k", function() w:write("k", "new") end)
    eq(v, "old"); eq(how, "miss")      -- the value read before the write
    v, how = w:read("k")
    if policy == "cache-aside" then
      eq(v, "old"); eq(how, "stale")   -- the fill cached the old value
      eq(w:stats().stale_reads, 1)
      same(w:snapshot().entries, {{key = "k", value = "old", version = 1, dirty = false}})
    else
      eq(v, "new"); eq(how, "miss")    -- the fill was dropped
      eq(w:stats().fills_dropped, 1)
    end
  end
end)

test("cachewrite/local_caches_go_stale", function()
  local s = lab.cache.store{}
  local a = lab.cache.writer{capacity = 10, store = s}
  local b = lab.cache.writer{capacity = 10, store = s}
  a:write("user:1", "alice")
  a:read("user:1")
  b:write("user:1", "alicia")          -- b invalidates its own cache only
  same({a:read("user:1")}, {"alice", "stale"})
  s:write("user:1", "ali")             -- another service writes the store directly
  same({b:read("user:1")}, {"ali", "miss"})
  eq(a:invalidate("user:1"), true)
  same({a:read("user:1")}, {"ali", "miss"})
end)

test("cachewrite/dirty_entries_expire_into_the_store", function()
  local clk = lab.clock.new()
  local s = lab.cache.store{}
  local w = lab.cache.writer{policy = "write-back", capacity = 4, store = s, clock = clk, ttl = 30}
  w:write("k", "v")
  clk:advance(29)
  eq(s:peek("k"), nil)
  clk:advance(1)
  eq(#w, 0)                            -- expired, written back
  same({s:peek("k")}, {"v", 1})
  eq(w:stats().writebacks, 1)
end)

test("cachewrite/snapshots", function()
  local s = lab.cache.store{}
  local w = lab.cache.writer{policy = "write-back", capacity = 3, store = s, eviction = "fifo"}
  w:write(1, "one"); w:write(2, "two")
  s:write(3, "three")
  local ws = w:snapshot()
  eq(ws.policy, "write-back"); eq(ws.eviction, "fifo"); eq(ws.size, 2); eq(ws.capacity, 3)
  same(ws.dirty, {2, 1})
  same(ws.entries[1], {key = 2, value = "two", version = 2, dirty = true})
  local ss = s:snapshot()
  same(ss.values, {[3] = "three"}); same(ss.versions, {[3] = 3}); eq(ss.writes, 1)
  eq(#s, 1)
end)

test("cachewrite/bad_arguments", function()
  local s = lab.cache.store{}
  raises(function() lab.cache.writer{policy = "write-behind", store = s} end,
    "option 'policy' must be one of: .* %(got 'write%-behind'%)")
  raises(function() lab.cache.writer{policy = "write-back"} end, "lab.cache.writer: option 'store' is required")
  raises(function() lab.cache.writer{store = s, capacity = 0} end, "capacity")
  raises(function() lab.cache.writer{store = s, ttl = 5} end, "needs simulated time")
  raises(function() lab.cache.writer{store = {}} end, "lab.cache.store expected")
  raises(function() lab.cache.store{latency = -1} end, "option 'latency' must be at least 0")
  raises(function() lab.cache.store{lat = 1} end, "unknown option 'lat'")
  local w = lab.cache.writer{store = s}
  raises(function() w:write("k", nil) end, "must not be nil")
  raises(function() w:read("k", 5) end, "function expected")
end)
