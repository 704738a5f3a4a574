-- Lua tests of lab.lsm (engine/concepts/lsm/lsm_lua.c), and the
-- differential run against a Lua table the issue asks for.

local M = lab.lsm

test("lsm/api", function()
  local db = M.new{memtable = 4, policy = "tiered", ratio = 3}
  db:put("a", 1)
  db:put("b", "two")
  db:put("c", 3.5)
  db:put("d", true)
  eq(db:get("a"), 1)
  eq(db:get("b"), "two")
  eq(db:get("c"), 3.5)
  eq(db:get("d"), true)
  eq(db:get("z"), nil)
  db:delete("b")
  eq(db:get("b"), nil)
  same(db:range("a", "c"), {{"a", 1}, {"c", 3.5}})
  local s = db:stats()
  eq(s.puts, 4)
  eq(s.deletes, 1)
  eq(s.flushed, 4)
  eq(s.live, 3)
  eq(s.stored, 5)
  near(s.space_amp, 5 / 3, 1e-12)
  eq(#db:levels(), 1)
  eq(db:levels()[1][1].entries, 4)
  eq(db:levels()[1][1].first, "a")
  eq(tostring(db), "lab.lsm(tiered, ratio 3, 5 entries stored)")
  raises(function() db:put("x") end, "a value is needed")
  raises(function() db:put({}, 1) end, "integer or a string, not table")
  raises(function() db:put("x", {}) end, "string, a number or a boolean")
  raises(function() M.new{policy = "lsm"} end, "leveled tiered")
end)

test("lsm/merge", function()
  local newer = {{1, "a"}, {3}, {5, "e"}}
  local older = {{1, "x"}, {2, "b"}, {3, "c"}, {4}}
  same(M.merge(newer, older), {{1, "a"}, {2, "b"}, {3}, {4}, {5, "e"}})
  same(M.merge(newer, older, true), {{1, "a"}, {2, "b"}, {5, "e"}})
  same(M.merge({}, {}), {})
  raises(function() M.merge({{2, 1}, {1, 1}}, {}) end, "not in increasing order")
  raises(function() M.merge({{nil, 1}}, {}) end, "has no key")
  raises(function() M.merge({5}, {}) end, "is not a table")
end)

test("lsm/differential_1e5_ops_with_deletes", function()
  for _, cfg in ipairs{
    {memtable = 16, policy = "leveled", ratio = 3, level0 = 2, block = 4},
    {memtable = 16, policy = "tiered", ratio = 3, bloom_bits = 0, block = 1},
  } do
    local db, model, r = M.new(cfg), {}, lab.rand.new(9)
    for op = 1, 100000 do
      local k, x = r:int(1, 1500), r:uniform()
      if x < 0.45 then
        local v = r:int(1, 1e6)
        db:put(k, v)
        model[k] = v
      elseif x < 0.65 then
        db:delete(k)
        model[k] = nil
      elseif x < 0.98 then
        eq(db:get(k), model[k], cfg.policy .. " get " .. k .. " at op " .. op)
      else
        local hi, want = k + r:int(0, 30), {}
        for i = k, hi do if model[i] then want[#want + 1] = {i, model[i]} end end
        same(db:range(k, hi), want, "range")
      end
    end
    local live = 0
    for _ in pairs(model) do live = live + 1 end
    local s = db:stats()
    eq(s.live, live)
    truthy(s.stored >= live)
    db:compact()
    eq(db:stats().stored, live)
  end
end)

test("lsm/amplification_leveled_vs_tiered", function()
  local wa = {}
  for _, policy in ipairs{"leveled", "tiered"} do
    local db, r = M.new{memtable = 32, policy = policy, ratio = 4}, lab.rand.new(2)
    for i = 1, 20000 do db:put(r:int(1, 1 << 40), i) end
    wa[policy] = db:stats().write_amp
  end
  truthy(wa.tiered < wa.leveled, "tiered writes less")
end)
