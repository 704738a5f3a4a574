-- Lua tests of lab.wal (engine/concepts/wal/wal_lua.c).

local W = lab.wal

test("wal/api", function()
  local db = W.new{pages = 4, synchronous = "full", checkpoint = 0}
  local tx = db:begin()
  tx:write(1, "a")
  tx:write(2, 42)
  eq(tx:read(1), "a")
  eq(db:read(1), nil)
  eq(tx:commit(), true)
  eq(db:read(1), "a")
  eq(db:read(2), 42)
  same(db:state(), {"a", 42})
  same(db:trace(), {"1 log write T1 page 1", "2 log write T1 page 2", "3 log commit T1",
    "4 fsync log"})
  local d = db:disk()
  same(d.pages, {})
  eq(#d.log, 3) -- two writes and the commit; a clean end has no record
  same(d.log[1], {type = "write", tx = 1, page = 1, value = "a", valid = true})
  same(d.log[3], {type = "commit", tx = 1, valid = true})
  eq(db:checkpoint(), true)
  same(db:disk().pages, {"a", 42})
  local s = db:stats()
  eq(s.commits, 1)
  eq(s.fsyncs, 4)
  raises(function() tx:write(1, "b") end, "over")
  raises(function() db:begin():write(9, 1) end, "pages are 1 to 4")
  raises(function() db:begin():write(1, ("x"):rep(49)) end, "at most 48 bytes")
  raises(function() db:recover() end, "has not crashed")
  db:crash()
  raises(function() db:read(1) end, "recover")
  same(db:recover(), {replayed = 0, discarded = 0})
  same(db:state(), {"a", 42})
end)

test("wal/crash_at_a_step", function()
  local db = W.new{pages = 4, synchronous = "full", checkpoint = 0, crash_at = 6}
  local t1 = db:begin(); t1:write(1, "one"); eq(t1:commit(), true) -- steps 1-3
  local t2 = db:begin(); t2:write(2, "two")
  local ok, why = t2:commit() -- step 4 write, 5 commit record, 6 fsync: crash
  eq(ok, false)
  eq(why, "the database crashed at step 6 fsync log")
  eq(db:crashed(), true)
  db:recover()
  eq(db:read(1), "one")
end)

-- The property, through Lua: a seeded run crashed at every step recovers
-- the last committed state (full), and replay() agrees with recover().
test("wal/full_property_every_step", function()
  local function run(crash_at)
    local db = W.new{pages = 6, synchronous = "full", checkpoint = 3, crash_at = crash_at,
      seed = crash_at}
    local r, committed, inflight = lab.rand.new(4), {}, nil
    for i = 1, 20 do
      local tx, next = db:begin(), {}
      for k, v in pairs(committed) do next[k] = v end
      for _ = 1, r:int(1, 3) do
        local k, v = r:int(1, 6), r:int(1, 999)
        tx:write(k, v)
        next[k] = v
      end
      if tx:commit() then committed = next else inflight = next end
      if db:crashed() then break end
    end
    return db, committed, inflight
  end
  local db0 = run(0)
  local total = db0:stats().steps
  for s = 1, total do
    local db, committed, inflight = run(s)
    truthy(db:crashed(), "crashed at " .. s)
    local disk = db:disk()
    local replayed = W.replay(disk.pages, disk.log)
    db:recover()
    local got = db:state()
    same(replayed, got, "replay = recover at step " .. s)
    local ok = pcall(same, got, committed)
    if not ok then same(got, inflight, "step " .. s) end
  end
end)

test("wal/replay", function()
  local log = {
    {type = "write", tx = 1, page = 1, value = 10},
    {type = "commit", tx = 1},
    {type = "write", tx = 2, page = 2, value = 20},
    {type = "write", tx = 3, page = 3, value = 30},
    {type = "commit", tx = 3},
    {valid = false},
    {type = "write", tx = 4, page = 1, value = 99},
    {type = "commit", tx = 4},
  }
  same(W.replay({5, 6, 7}, log), {10, 6, 30})
  same(W.replay({}, {}), {})
  raises(function() W.replay({}, {{type = "write", tx = 1}}) end, "writes no page")
end)
