-- Lua tests of lab.log (engine/concepts/log/log_lua.c).

test("log/page_example", function()
  local lg = lab.log.new{partitions = 3}
  local users = {"alice", "dave", "carol"}
  for i = 1, 6 do lg:produce(users[(i - 1) % 3 + 1], "event " .. i) end
  eq(lab.log.partition("dave", 3), 1)
  same({lg:offsets(1)}, {0, 2, 2})
  local g = lg:group{assignor = "range"}
  eq(g:join("a"), true); eq(g:join("b"), true); eq(g:join("a"), false)
  same(g:assignment(), {a = {0, 1}, b = {2}})
  local batch = g:poll("a", 10)
  eq(#batch, 4)
  same(batch[1], {partition = 0, offset = 0, key = "alice", value = "event 1"})
  eq(g:lag().total, 6)
  g:commit("a")
  eq(g:lag().total, 2)
  eq(g:lag()[2], 2)
  eq(g:committed(0), 2); eq(g:committed(1), 2); eq(g:committed(2), nil)
  eq(g:position(2), 0)
  eq(g:leave("b"), true); eq(g:leave("b"), false)
  same(g:assignment(), {a = {0, 1, 2}})
  eq(g:stats().moved, 2)              -- 2 went a -> b, then b -> a
end)

test("log/keys_keep_order", function()
  -- every record of a key lands in one partition, in produce order
  local lg = lab.log.new{partitions = 5}
  local where = {}
  for i = 1, 200 do
    local key = "k" .. i % 17
    local p, off = lg:produce(key, tostring(i))
    if where[key] then eq(p, where[key]) end
    where[key] = p
    eq(p, lab.log.partition(key, 5))
    local _, e = lg:offsets(p)
    eq(off, e - 1)
  end
  -- no key: round robin
  local rr = lab.log.new{partitions = 3}
  local ps = {}
  for i = 1, 6 do ps[i] = (rr:produce(nil, "v")) end
  same(ps, {0, 1, 2, 0, 1, 2})
  local all = lab.log.new{partitions = 2, partitioner = "roundrobin"}
  same({all:produce("a", "1")}, {0, 0}); same({all:produce("a", "2")}, {1, 0})
end)

test("log/compaction_and_retention", function()
  local lg = lab.log.new{partitions = 1}
  lg:produce("k1", "a"); lg:produce("k2", "b"); lg:produce("k1", "c")
  lg:produce("k2", nil); lg:produce("k3", "d")
  eq(lg:compact(), 2)
  same(lg:read(0, 0), {{offset = 2, key = "k1", value = "c"}, {offset = 3, key = "k2"},
    {offset = 4, key = "k3", value = "d"}})
  eq(lg:compact(true), 1)
  same(lg:read(0, 3), {{offset = 4, key = "k3", value = "d"}})
  eq(lg:retain(1), 1)
  same({lg:offsets(0)}, {4, 5, 1})
  local g = lg:group{}
  g:join("a")
  eq(g:poll("a")[1].offset, 4)
  local late = lg:group{reset = "latest"}
  late:join("a")
  eq(#late:poll("a"), 0)
  lg:produce("k9", "z")
  eq(late:poll("a")[1].key, "k9")
  raises(function() lg:produce(nil, nil) end, "tombstone")
  raises(function() lg:read(1, 0) end, "no partition 1")
end)

test("log/crash_replays_from_commit", function()
  local lg = lab.log.new{partitions = 2}
  for i = 1, 10 do lg:produce(nil, "m" .. i) end
  local g = lg:group{}
  g:join("a")
  eq(#g:poll("a", 4), 4)             -- partition 0, offsets 0 to 3
  g:commit("a")
  eq(#g:poll("a", 4), 4)
  g:crash("a")                       -- not committed: read again
  local again = g:poll("a", 4)
  eq(again[1].partition, 0); eq(again[1].offset, 4)
  raises(function() g:poll("zed") end, "not a member")
end)

test("log/assignors_balance", function()
  local r = lab.rand.new(3)
  for _, a in ipairs{"range", "roundrobin", "sticky"} do
    for case = 1, 20 do
      local n = r:int(1, 12)
      local lg = lab.log.new{partitions = n}
      local g, names, members = lg:group{assignor = a}, {}, 0
      for step = 1, 15 do
        local name = "m" .. r:int(1, 6)
        if names[name] then g:leave(name); names[name] = nil; members = members - 1
        else g:join(name); names[name] = true; members = members + 1 end
        local counts, owned = {}, {}
        for m, ps in pairs(g:assignment()) do
          counts[#counts + 1] = #ps
          for _, p in ipairs(ps) do
            truthy(not owned[p], a .. ": partition owned twice"); owned[p] = true
          end
        end
        if members > 0 then
          for p = 0, n - 1 do truthy(owned[p], a .. " case " .. case .. ": partition " .. p .. " unowned") end
          table.sort(counts)
          truthy(counts[#counts] - counts[1] <= 1, a .. ": unbalanced")
        end
      end
    end
  end
  -- sticky moves fewer partitions than round robin over the same joins
  local function moves(a)
    local lg = lab.log.new{partitions = 12}
    local g = lg:group{assignor = a}
    for _, m in ipairs{"a", "b", "c", "d"} do g:join(m) end
    g:leave("b"); g:join("e"); g:leave("a")
    return g:stats().moved
  end
  truthy(moves("sticky") < moves("roundrobin"))
end)

test("log/simulate", function()
  local o = {messages = 600, crash = 0.15, seed = 9}
  for _, c in ipairs{"before", "after"} do
    o.commit = c
    local r = lab.log.simulate(o)
    same(lab.log.simulate(o), r)
    eq(r.distinct + r.lost, 600)
    if c == "before" then eq(r.duplicates, 0); truthy(r.lost > 0) end
    if c == "after" then eq(r.lost, 0); truthy(r.duplicates > 0) end
  end
  raises(function() lab.log.simulate{commit = "during"} end, "one of")
  raises(function() lab.log.new{partitions = 0} end, "partitions")
  raises(function() lab.log.new{}:group{assignor = "cooperative"} end, "one of")
end)
