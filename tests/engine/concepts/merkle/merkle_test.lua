-- Tests of lab.merkle from Lua.

test("merkle/diff", function()
  local a, b = {}, {}
  for i = 1, 1000 do a["k" .. i] = tostring(i) b["k" .. i] = tostring(i) end
  b.k7 = "seven" b.k500 = nil b.new = "x"
  local ta, tb = lab.merkle.tree(a, {depth = 6}), lab.merkle.tree(b, {depth = 6})
  local d = lab.merkle.diff(ta, tb)
  same(d.keys, {"k500", "k7", "new"})
  truthy(d.hashes <= 1 + 3 * 2 * 6)
  eq(d.rounds, 8)
  eq(lab.merkle.diff(ta, lab.merkle.tree(a, {depth = 6})).hashes, 1)
  eq(ta:count(), 1000)
  eq(#ta:root(), 32)
  eq(ta:width(6), 64)
  raises(function() lab.merkle.diff(ta, lab.merkle.tree(a, {depth = 5})) end, "same depth")
  raises(function() lab.merkle.tree({x = 1}) end, "strings")
  raises(function() lab.merkle.tree({}, {depth = 20, fanout = 4}) end, "2^20")
end)
