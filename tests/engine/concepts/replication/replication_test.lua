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

test("replication/check_finds_each_anomaly", function()
  -- lab.replication.check on your own nodes' history: node 1 keeps the
  -- writes (versions 1, 2, ...); node 2 answers reads from a script, so
  -- each anomaly happens exactly where we put it
  local function run(answers, multi)
    local s = lab.sim.new{nodes = 2, seed = 1, latency = 0.001}
    s:node(1, {request = function(n, op, id)
      n.store.v = (n.store.v or 0) + 1
      n:reply(id, {version = n.store.v})
    end})
    local k = 0
    s:node(2, {request = function(n, op, id)
      k = k + 1
      n:reply(id, answers[k])
    end})
    s:request{at = 1, node = 1, client = 1, op = {f = "write", key = "x", value = "a"}}
    s:request{at = 2, node = 1, client = 2, op = {f = "write", key = "x", value = "b"}}
    s:request{at = 3, node = 2, client = 1, op = {f = "read", key = "x"}}
    s:request{at = 4, node = 2, client = 1, op = {f = "read", key = "x"}}
    if multi then
      s:request{at = 4.5, node = 1, client = 3, op = {f = "write", key = "y", value = "c"}}
      s:request{at = 5, node = 2, client = 3, op = {f = "read", keys = {"x", "y"}}}
    end
    s:run(6)
    return lab.replication.check(s)
  end
  -- the newest version both times: nothing wrong
  same(run({{version = 2}, {version = 2}}), {stale = 0, ryw = 0, monotonic = 0, prefix = 0})
  -- version 1, then 2: stale once (client 2's write was acknowledged before)
  same(run({{version = 1}, {version = 2}}), {stale = 1, ryw = 0, monotonic = 0, prefix = 0})
  -- version 2, then nothing written (version 0): stale, misses client 1's
  -- own write, and goes back behind what client 1 read before
  same(run({{version = 2}, {version = 0}}), {stale = 1, ryw = 1, monotonic = 1, prefix = 0})
  -- a two-key read showing y's write (version 3) but not x's version 2
  local r = run({{version = 2}, {version = 2},
                 {x = {version = 1}, y = {version = 3}}}, true)
  eq(r.prefix, 1)
  eq(run({{version = 2}, {version = 2}, {x = {version = 2}, y = {version = 3}}}, true).prefix, 0)
end)
