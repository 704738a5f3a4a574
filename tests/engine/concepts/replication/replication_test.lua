-- Tests of lab.replication from Lua.

test("replication/leader", function()
  local a = lab.replication.leader{slow = 3, apply_delay = 0.5, seed = 2}
  truthy(a.ryw > 0, "reads from a slow follower miss one's own writes")
  local b = lab.replication.leader{slow = 3, apply_delay = 0.5, seed = 2, reads = "leader"}
  eq(b.ryw, 0)
  eq(b.writes + b.reads, b.ok + b.failed + b.info)
  local f = lab.replication.leader{crash_at = 8, partition = {nodes = {1}, from = 6, to = 20}, seed = 1}
  truthy(f.lost > 0)
  truthy(f.leader ~= 1)
  raises(function() lab.replication.leader{partition = {nodes = {9}}} end, "no node 9")
end)

test("replication/quorum", function()
  local q = lab.replication.quorum{nodes = 5, n = 3, r = 2, w = 2, seed = 3, keep = true,
    partition = {nodes = {1, 2}, from = 3, to = 12}}
  eq(q.stale, 0)
  truthy(q.failed > 0)
  same(lab.replication.check(q.sim), {stale = 0, ryw = 0, monotonic = 0, prefix = 0})
  truthy(q.sim:draw_history{width = 80}:find("c1"))
  raises(function() lab.replication.quorum{n = 3, r = 4} end, "r, w <= n")
end)

test("replication/multi", function()
  eq(lab.replication.multi{keys = 1, period = 0.05}.lost, 0)
  truthy(lab.replication.multi{keys = 1, period = 0.05, clock_skew = 0.5}.lost > 0)
end)

test("replication/mixed_cluster", function()
  -- reference quorum nodes, and a client request through the Lua API
  local s = lab.sim.new{nodes = 3, seed = 1, node = lab.replication.node("quorum", {n = 3, r = 2, w = 2})}
  s:request{at = 1, node = 1, op = {f = "write", key = "x", value = "1"}, client = 1}
  s:request{at = 2, node = 2, op = {f = "read", key = "x"}, client = 2}
  s:run(3)
  local h = s:history()
  eq(h[1].status, "ok")
  eq(h[2].result.value, "1")
end)
