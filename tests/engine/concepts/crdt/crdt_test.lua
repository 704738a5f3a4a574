-- Tests of lab.crdt from Lua.

test("crdt/gcounter", function()
  local a, b = lab.crdt.new("gcounter", 1), lab.crdt.new("gcounter", 2)
  a:inc(2):inc() b:inc(5)
  eq(a:merge(b):value(), 8)
  same(a:state(), {[1] = 3, [2] = 5})
  raises(function() a:dec() end, "only grows")
  raises(function() a:add("x") end, "no add")
end)

test("crdt/orset", function()
  local a, b = lab.crdt.new("orset", 1), lab.crdt.new("orset", 2)
  a:add("x") b:merge(a) b:remove("x") a:add("x")
  a:merge(b) b:merge(a)
  eq(a:has("x"), true)
  truthy(a:equals(b))
  same(a:value(), {"x"})
  eq(#a:state().adds, 2)
  eq(#a:state().tombstones, 1)
  same(a:state().tombstones[1], {"x", 1, 1})
end)

test("crdt/registers", function()
  local a, b = lab.crdt.new("mvreg", 1), lab.crdt.new("mvreg", 2)
  a:set("x") b:set("y")
  same(a:clone():merge(b):value(), {"x", "y"})
  local w = lab.crdt.new("lww", 1)
  w:set("late", 5) w:set("early", 4)
  eq(w:value(), "late")
end)

test("crdt/laws", function()
  for _, t in ipairs{"gcounter", "pncounter", "gset", "2pset", "orset", "lww", "mvreg"} do
    local r = lab.crdt.laws{type = t, seed = 3, cases = 50}
    same(r, {cases = 50, commutative = 50, associative = 50, idempotent = 50,
             converged = 50, correct = 50}, t)
  end
  raises(function() lab.crdt.new("gcountr", 1) end, "types are")
end)
