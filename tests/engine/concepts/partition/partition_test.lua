-- Tests of lab.partition from Lua.

test("partition/rebalance", function()
  local mod = lab.partition.rebalance{scheme = "mod", from = 4, to = 5, keys = 20000}
  local fixed = lab.partition.rebalance{scheme = "fixed", from = 4, to = 5, keys = 20000}
  near(mod.fraction, 0.8, 0.02)
  near(fixed.fraction, 0.2, 0.03)
  eq(fixed.ideal, 0.2)
  eq(fixed.partitions_after, 256)
  eq(mod.bytes_total, 20000 * 1000)
  raises(function() lab.partition.rebalance{scheme = "fixed", partitions = 4, from = 4, to = 5} end,
    "at least as many partitions")
  raises(function() lab.partition.rebalance{scheme = "hashing"} end, "range mod ring")
end)

test("partition/load", function()
  local l = lab.partition.load{scheme = "range", nodes = 4, keys = 1000, workload = "sequential"}
  same(l.keys, {250, 250, 250, 250})
  near(l.share[4], 1, 1e-9)
  local z = lab.partition.load{scheme = "mod", nodes = 4, keys = 1000, workload = "zipf", zipf = 1.5}
  truthy(z.hottest > 0.3)
  local sum = 0
  for _, s in ipairs(z.share) do sum = sum + s end
  near(sum, 1, 1e-9)
end)
