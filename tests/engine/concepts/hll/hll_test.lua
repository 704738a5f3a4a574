-- Lua tests of lab.hll: Redis's counts through the binding, elements as
-- strings and numbers, merge, registers and histogram, errors.

test("hll/redis_counts", function()
  local want = {[1] = 1, [10] = 10, [100] = 100, [1000] = 1005, [5000] = 4973}
  local h, n = lab.hll.new(), 0
  for i = 0, 4999 do
    h:add("elem:" .. i)
    if want[i + 1] then eq(h:count(), want[i + 1], "n = " .. (i + 1)); n = n + 1 end
  end
  eq(n, 5)
  eq(lab.hll.hash(""), "d8dfea6585bc9732")
  local i, run = lab.hll.position("12345678")
  eq(i, 10579); eq(run, 3)
end)

test("hll/add_merge_registers", function()
  local a, b = lab.hll.new{precision = 10}, lab.hll.new{precision = 10}
  eq(#a, 1024)
  eq(a:add("x"), true); eq(a:add("x"), false)
  -- a number is its decimal text, as a Redis client sends it
  eq(a:add(42), true); eq(a:add("42"), false)
  for i = 1, 3000 do b:add(i) end
  local i, run = lab.hll.position("x", 10)
  eq(a:register(i), run)
  eq(a:merge(b), a)
  local regs = a:registers()
  eq(#regs, 1024)
  local hist, total = a:histogram(), 0
  for v = 0, 55 do total = total + hist[v] end
  eq(total, 1024)
  near(a:count(), 3002, 3002 * 4 * lab.hll.error(10))
  raises(function() a:merge(lab.hll.new()) end, "precisions differ")
  raises(function() a:add({}) end, "must be a string or a number")
  raises(function() lab.hll.new{precision = 3} end, "between 4 and 18")
  raises(function() lab.hll.new{precison = 12} end, "did you mean 'precision'")
  raises(function() a:register(1024) end, "")
  near(lab.hll.error(14), 0.008125, 1e-6)
end)
