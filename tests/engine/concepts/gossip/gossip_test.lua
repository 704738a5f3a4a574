-- Tests of lab.gossip from Lua.

test("gossip/spread", function()
  local g = lab.gossip.spread{nodes = 50, fanout = 2, seed = 3}
  eq(g.informed, 50)
  eq(g.curve[#g.curve], 50)
  truthy(g.rounds > 2 and g.rounds < 15)
end)

test("gossip/swim", function()
  local w = lab.gossip.swim{nodes = 10, crash = 3, crash_at = 5, time = 60, seed = 2, keep = true}
  truthy(w.detect_all and w.detect_all > 0)
  eq(w.false_suspicions, 0)
  truthy(w.sim:timeline{width = 70}:find("n3"))
  truthy(w.sim:trace{kinds = {"crash"}}:find("CRASH"))
  raises(function() lab.gossip.swim{nodes = 3, crash = 4} end, "no node 4")
  raises(function() lab.gossip.swim{timeout = 2, interval = 1} end, "must not exceed")
end)

test("gossip/formulas", function()
  eq(lab.gossip.retransmit_limit(3, 99), 6)
  near(lab.gossip.suspicion_timeout(3, 50, 1) / 3, 1.698, 1e-9)
  near(lab.gossip.remaining_suspicion(2, 3, 3, 2, 30), 4.81, 1e-9)
end)

test("gossip/mixed_cluster", function()
  -- SWIM nodes and one Lua node that answers pings but says nothing else
  local s = lab.sim.new{nodes = 5, seed = 1, latency = 0.005}
  s:node({1, 2, 3, 4}, lab.gossip.node("swim", {interval = 1, timeout = 0.5}))
  s:node(5, {receive = function(n, from, m)
    if m.t == "ping" then n:send(from, {t = "ack", seq = m.seq}) end
  end})
  s:run(30)
  local view = lab.gossip.view(s, 1)
  same(view, {"alive", "alive", "alive", "alive", "alive"})
  raises(function() lab.gossip.view(s, 5) end, "not a running SWIM node")
end)
