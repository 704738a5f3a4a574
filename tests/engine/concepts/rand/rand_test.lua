-- Lua tests of lab.rand (engine/concepts/rand/rand_lua.c).

test("rand/needs_seed", function()
  raises(function() lab.rand.new() end, "needs a seed")
end)

test("rand/same_seed_same_numbers", function()
  local a, b = lab.rand.new(42), lab.rand.new(42)
  for _ = 1, 100 do eq(a:uniform(), b:uniform()) end
  for _ = 1, 100 do eq(a:int(1, 6), b:int(1, 6)) end
  eq(a:zipf(1000, 1.1), b:zipf(1000, 1.1))
end)

test("rand/int_bounds", function()
  local r = lab.rand.new(1)
  local seen = {}
  for _ = 1, 600 do
    local x = r:int(6)
    truthy(x >= 1 and x <= 6 and math.type(x) == "integer")
    seen[x] = true
  end
  for i = 1, 6 do truthy(seen[i], "never drew " .. i) end
  raises(function() r:int(5, 1) end, "empty interval")
end)

test("rand/choice_shuffle", function()
  local r = lab.rand.new(9)
  local t = {"a", "b", "c", "d"}
  local s = r:shuffle({"a", "b", "c", "d"})
  table.sort(s)
  same(s, t)
  local c = r:choice(t)
  truthy(c == "a" or c == "b" or c == "c" or c == "d")
  raises(function() r:choice({}) end, "empty")
end)

test("rand/clone_forks_stream", function()
  local r = lab.rand.new(5)
  r:uniform()
  local c = r:clone()
  eq(r:uniform(), c:uniform())
  eq(r:snapshot().draws, 2)
end)

test("rand/snapshot_and_tostring", function()
  local r = lab.rand.new(3)
  r:normal()
  local s = r:snapshot()
  eq(s.seed, 3)
  eq(s.draws, 1)
  eq(#s.state, 4)
  truthy(tostring(r):find("lab.rand%(seed=3, draws=1%)"), tostring(r))
end)

test("rand/metatable_locked", function()
  eq(getmetatable(lab.rand.new(1)), false)
end)
