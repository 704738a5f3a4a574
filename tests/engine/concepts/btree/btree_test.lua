-- Lua tests of lab.btree (engine/concepts/btree/btree_lua.c), and the
-- differential run against a sorted Lua table the issue asks for.

local B = lab.btree

test("btree/api", function()
  local t = B.new{order = 3}
  for i = 1, 5 do eq(t:insert(i, "v" .. i), true) end
  eq(t:insert(3, "three"), false)
  eq(t:shape(), "[3: [2: (1) (2)] [4: (3) (4 5)]]")
  eq(#t, 5)
  eq(t:get(3), "three")
  eq(t:get(3.0), "three")
  eq(t:get(9), nil)
  same(t:range(2, 4), {{2, "v2"}, {3, "three"}, {4, "v4"}})
  same(t:range(nil, 1), {{1, "v1"}})
  same(t:range(5), {{5, "v5"}})
  eq(#t:range(), 5)
  eq(t:delete(3), true)
  eq(t:delete(3), false)
  eq(t:get(3), nil)
  eq(t:check(), true)
  eq(tostring(t), "lab.btree(order 3, 4 keys, height 3)")
  raises(function() t:insert(1.5, 1) end, "integer or a string")
  raises(function() t:insert({}, 1) end, "integer or a string, not table")
  raises(function() t:insert(1) end, "a value is needed")
  raises(function() B.new{order = 2} end, "between 3 and 4096")
end)

test("btree/reads_per_operation", function()
  local t = B.new{order = 8}
  for i = 1, 5000 do t:insert(i, i) end
  local s = t:stats()
  eq(s.keys, 5000)
  t:reset_stats()
  t:get(1234)
  eq(t:stats().reads, s.height)
  t:reset_stats()
  local all = t:range()
  eq(#all, 5000)
  eq(t:stats().reads, s.height - 1 + s.leaves)
end)

-- The model: a sorted array of keys and a map of values.
local function model()
  local m = {keys = {}, vals = {}}
  function m.find(k)
    local lo, hi = 1, #m.keys + 1
    while lo < hi do
      local mid = (lo + hi) // 2
      if m.keys[mid] < k then lo = mid + 1 else hi = mid end
    end
    return lo, m.keys[lo] == k
  end
  function m.insert(k, v)
    local at, there = m.find(k)
    if not there then table.insert(m.keys, at, k) end
    m.vals[k] = v
    return not there
  end
  function m.delete(k)
    local at, there = m.find(k)
    if there then table.remove(m.keys, at); m.vals[k] = nil end
    return there
  end
  function m.range(lo, hi)
    local out, at = {}, m.find(lo)
    while m.keys[at] and m.keys[at] <= hi do
      out[#out + 1] = {m.keys[at], m.vals[m.keys[at]]}
      at = at + 1
    end
    return out
  end
  return m
end

test("btree/differential_1e5_ops_with_deletes", function()
  for _, order in ipairs{3, 4, 7, 32} do
    local r = lab.rand.new(order)
    local t, m = B.new{order = order}, model()
    for op = 1, 100000 do
      local k, x = r:int(1, 2000), r:uniform()
      local insert = op < 50000 and 0.5 or 0.3
      if x < insert then
        eq(t:insert(k, op), m.insert(k, op), "insert " .. k)
      elseif x < 0.8 then
        eq(t:delete(k), m.delete(k), "delete " .. k)
      elseif x < 0.95 then
        eq(t:get(k), m.vals[k], "get " .. k)
      else
        local hi = k + r:int(0, 40)
        same(t:range(k, hi), m.range(k, hi), "range")
      end
      if op % 5000 == 0 then
        eq(#t, #m.keys)
        eq(t:check(), true, "invariants at op " .. op)
      end
    end
  end
end)

test("btree/string_keys", function()
  local t = B.new{order = 4}
  for _, w in ipairs{"pear", "apple", "fig", "kiwi", "banana", 3, 1} do t:insert(w, #tostring(w)) end
  local keys = {}
  for _, p in ipairs(t:range()) do keys[#keys + 1] = p[1] end
  same(keys, {1, 3, "apple", "banana", "fig", "kiwi", "pear"})
  same(t:range("b", "g"), {{"banana", 6}, {"fig", 3}})
end)
