-- Tests of the lab.sim Lua API: Lua nodes, messages as values, faults,
-- clients, determinism, drawings, check.

local function gossip(fanout)
  return {
    start = function(n)
      n.seen = {}
      if n.id == 1 then n:set_timer(0.01, "go") end
    end,
    timer = function(n)
      for i = 1, fanout do n:send(n:random(n.nodes), {rumor = "r", hops = 0, pad = {n.id, i}}) end
    end,
    receive = function(n, from, msg)
      if n.seen[msg.rumor] then return end
      n.seen[msg.rumor] = true
      n.store.got = (n.store.got or 0) + 1
      for i = 1, fanout do
        n:send(n:random(n.nodes), {rumor = msg.rumor, hops = msg.hops + 1, pad = {n.id, i}})
      end
    end,
  }
end

local function build(seed)
  return lab.sim.new{nodes = 8, seed = seed, loss = 0.1, dup = 0.05, reorder = 0.1,
    latency = {dist = "exponential", mean = 0.01, min = 0.001}, clock_skew = 0.1,
    nemesis = {faults = "all", start = 0.02, stop = 2, interval = 0.1, duration = 0.2},
    node = gossip(3)}
end

test("sim/same_seed_same_trace", function()
  local a, b, c = build(5), build(5), build(6)
  a:run(2.5) b:run(2.5) c:run(2.5)
  local ta = a:trace{kinds = "all", limit = 1e7}
  eq(ta, b:trace{kinds = "all", limit = 1e7})
  truthy(ta ~= c:trace{kinds = "all", limit = 1e7}, "another seed, another run")
  truthy(#ta > 2000)
  same(a:stats(), b:stats())
end)

test("sim/messages_are_copies", function()
  local got
  local msg = {1, 2.5, "three", true, k = {nested = {x = -7}}, [10] = "hole", [2.5] = "float key"}
  local s = lab.sim.new{nodes = 2, seed = 1, node = {
    start = function(n) if n.id == 1 then n:send(2, msg) end end,
    receive = function(n, from, m) got = m; m.k.nested.x = 0 end}}
  s:run(1)
  same(got, {1, 2.5, "three", true, k = {nested = {x = 0}}, [10] = "hole", [2.5] = "float key"})
  eq(msg.k.nested.x, -7, "the sender's table is not shared")
  eq(lab.sim.size{}, 3)
  eq(lab.sim.size(1), 2)
  truthy(lab.sim.size{a = 1} < lab.sim.size{a = 1, b = 2})
  raises(function() lab.sim.size{[{}] = 1} end, "key of type table")
end)

test("sim/trace_keys_sorted", function()
  -- the same table built in two orders renders the same
  local s = lab.sim.new{nodes = 2, seed = 1, node = {
    start = function(n)
      if n.id == 1 then
        local a, b = {}, {}
        for i = 1, 20 do a["k" .. i] = i end
        for i = 20, 1, -1 do b["k" .. i] = i end
        n:send(2, a) n:send(2, b)
      end
    end}}
  s:run(1)
  local r = s:records{kinds = {"send"}}
  eq(#r, 2)
  local t = s:trace{kinds = {"send"}}
  local l1, l2 = t:match("([^\n]*)\n([^\n]*)")
  eq(l1:gsub("#%d", ""), l2:gsub("#%d", ""))
end)

test("sim/partition_cuts_links", function()
  local s = lab.sim.new{nodes = 4, seed = 2, latency = 0.001,
    faults = {{at = 1, partition = {{1, 2}, {3}}}, {at = 2, heal = true}},
    node = {start = function(n) n:set_timer(0.1) end,
            timer = function(n) for _, p in ipairs(n.peers) do n:send(p, n.id) end n:set_timer(0.1) end}}
  s:run(3)
  for _, r in ipairs(s:records{kinds = {"recv"}}) do
    if r.at > 1.0005 and r.at < 2 then
      local g = {1, 1, 2, 3}
      eq(g[r.from], g[r.to], ("n%d -> n%d at %.3f"):format(r.from, r.to, r.at))
    end
  end
  local cut = s:records{kinds = {"drop"}}
  truthy(#cut > 0)
  for _, r in ipairs(cut) do eq(r.why, "partition") end
  truthy(s:blocked(1, 3) == false)
end)

test("sim/oneway", function()
  local s = lab.sim.new{nodes = 3, seed = 2,
    faults = {{at = 0, block = {from = {1}, to = {2}}}},
    node = {start = function(n) for _, p in ipairs(n.peers) do n:send(p, "hi") end end}}
  s:run(1)
  eq(s:blocked(1, 2), true)
  eq(s:blocked(2, 1), false)
  local links = {}
  for _, r in ipairs(s:records{kinds = {"recv"}}) do links[#links + 1] = r.from .. ">" .. r.to end
  table.sort(links)
  eq(table.concat(links, " "), "1>3 2>1 2>3 3>1 3>2")
end)

test("sim/crash_keeps_store_only", function()
  local s = lab.sim.new{nodes = 2, seed = 3,
    faults = {{at = 1, crash = 2}, {at = 2, restart = 2}},
    node = {start = function(n, again)
      n.memory = (n.memory or 0) + 1
      n.store.starts = (n.store.starts or 0) + 1
      n.again = again
    end}}
  s:run(1.5)
  eq(s:up(2), false)
  s:run(3)
  eq(s:up(2), true)
  eq(s:incarnation(2), 2)
  eq(s:store(2).starts, 2)
  eq(s:state(2).memory, 1)
  eq(s:state(2).again, true)
  eq(s:state(1).again, false)
end)

test("sim/factory_restarts_module", function()
  local made = 0
  local function factory(id)
    made = made + 1
    local count = 0
    return {receive = function(n) count = count + 1 n.store.count = count end}
  end
  local s = lab.sim.new{nodes = 2, seed = 1, latency = 0.1,
    faults = {{at = 0.55, crash = 2}, {at = 0.62, restart = 2}}}
  s:node(1, {start = function(n) for i = 1, 10 do n:set_timer(0.1 * i) end end,
             timer = function(n) n:send(2, "x") end})
  s:node(2, factory)
  s:run(2)
  eq(made, 2)
  eq(s:store(2).count, 5, "the module's count restarted")
end)

test("sim/clients_and_history", function()
  local s = lab.sim.new{nodes = 2, seed = 1, latency = 0.05,
    faults = {{at = 5, crash = 2}},
    node = {
      request = function(n, op, id)
        if op.f == "write" then n.store[op.key] = op.value n:reply(id, "ok")
        elseif op.f == "read" then n:reply(id, n.store[op.key])
        elseif op.f == "slow" then n:set_timer(2, id)
        else n:fail(id, "unknown") end
      end,
      timer = function(n, id) n:reply(id, "late") end}}
  s:request{at = 1, node = 1, op = {f = "write", key = "x", value = 3}, client = 1}
  s:request{at = 2, node = 1, op = {f = "read", key = "x"}, client = 2}
  s:request{at = 3, node = 1, op = {f = "nope"}, client = 3}
  s:request{at = 3, node = 2, op = {f = "slow"}, client = 4, timeout = 1}
  s:request{at = 3, node = 1, op = {f = "slow"}, client = 4, timeout = 5}
  s:request{at = 6, node = 2, op = {f = "read", key = "x"}, client = 5}
  s:run(10)
  local h = s:history()
  eq(#h, 6)
  eq(h[1].status, "ok") eq(h[1].result, "ok")
  eq(h[2].result, 3)
  eq(h[3].status, "fail") eq(h[3].result, "unknown")
  eq(h[4].status, "info") eq(h[4].complete, 4)
  eq(h[5].status, "ok") eq(h[5].result, "late") eq(h[5].complete, 5)
  eq(h[6].status, "fail") eq(h[6].result, "refused")
  local chart = s:draw_history{width = 70, ascii = true}
  truthy(chart:find("c1"), chart)
  truthy(chart:find("?", 1, true), "the timed-out op is open: " .. chart)
  local custom = lab.sim.draw_history({{client = 1, invoke = 0, complete = 1, label = "w(x,1)"},
                                        {client = 2, invoke = 0.5, complete = 2, label = "r(x)=1"}},
                                       {width = 50, ascii = true})
  truthy(custom:find("w(x,1)", 1, true) and custom:find("r(x)=1", 1, true), custom)
end)

test("sim/clock_skew_and_jumps", function()
  local s = lab.sim.new{nodes = 3, seed = 9, clock_skew = 0.5,
    faults = {{at = 1, clock = 2, jump = 10}, {at = 1, clock = 3, drift = 0.5}},
    node = {start = function(n) n:set_timer(2, "t") end,
            timer = function(n) n.store.fired_local = n:now() end}}
  s:run(3)
  local t1, skew1 = s:clock(1)
  truthy(math.abs(skew1) <= 0.5)
  local t2, skew2 = s:clock(2)
  near(skew2 - 10, select(2, lab.sim.new{nodes = 3, seed = 9, clock_skew = 0.5}:clock(2)), 1e-9)
  local _, skew3, drift3 = s:clock(3)
  eq(drift3, 0.5)
  -- n1 set its timer for 2 s of its own clock
  near(s:store(1).fired_local - select(2, s:clock(1)), 2, 1e-6)
end)

test("sim/step_mode", function()
  local s = lab.sim.new{nodes = 2, seed = 1, latency = 0.5,
    node = {start = function(n) if n.id == 1 then n:send(2, "ping") end end,
            receive = function(n, from, m) if m == "ping" then n:send(from, "pong") end end}}
  local first = s:step()
  truthy(first:find("start") and first:find("send") and not first:find("recv"), first)
  eq(s:now(), 0)
  local second = s:step()
  truthy(second:find("recv") and second:find('"ping"') and second:find('"pong"'), second)
  eq(s:now(), 0.5)
  truthy(s:step():find('"pong"'))
  eq(s:step(), nil)
end)

test("sim/options_checked", function()
  raises(function() lab.sim.new{nodes = 3} end, "seed")
  raises(function() lab.sim.new{nodes = 3, seed = 1, los = 0.1} end, "did you mean 'loss'")
  raises(function() lab.sim.new{nodes = 3, seed = 1, loss = 2} end, "between 0 and 1")
  raises(function() lab.sim.new{nodes = 3, seed = 1, faults = {{at = 1, partition = {{1, 2}, {2, 3}}}}} end,
    "node 2 is in two groups")
  raises(function() lab.sim.new{nodes = 3, seed = 1, faults = {{at = 1, crash = 4}}} end, "no node 4")
  raises(function() lab.sim.new{nodes = 3, seed = 1, faults = {{at = 1, crash = 1, heal = true}}} end,
    "exactly one")
  raises(function() lab.sim.new{nodes = 3, seed = 1, nemesis = {faults = {"meteor"}, stop = 5}} end,
    "partition isolate")
  raises(function() lab.sim.new{nodes = 3, seed = 1, latency = {dist = "uniform", min = 2, max = 1}} end,
    "min <= max")
  local s = lab.sim.new{nodes = 2, seed = 1}
  s:run(2)
  raises(function() s:run(1) end, "in the past")
  raises(function() s:fault{at = 1, heal = true} end, "now or later")
  raises(function() s:node(1, {}) end, "before the simulation runs")
end)

test("sim/schedule_is_data", function()
  local s = lab.sim.new{nodes = 5, seed = 4,
    faults = {{at = 6, heal = true}, {at = 3.5, partition = {{1, 2}, {3, 4, 5}}}, {at = 8, crash = 2}}}
  local f = s:schedule()
  eq(#f, 3)
  eq(f[1].at, 3.5) same(f[1].partition, {{1, 2}, {3, 4, 5}})
  eq(f[2].at, 6) eq(f[2].heal, true)
  eq(f[3].crash, 2)
  -- a nemesis schedule replays with its seed, and is data too
  local function sched(seed)
    local x = lab.sim.new{nodes = 5, seed = seed}
    x:nemesis{faults = {"partition", "crash", "clock"}, start = 1, stop = 60}
    return x:schedule()
  end
  same(sched(7), sched(7))
  truthy(#sched(7) > 5)
  truthy(#sched(7) ~= #sched(8) or sched(7)[1].at ~= sched(8)[1].at)
end)

test("sim/drawings", function()
  local s = build(3)
  s:run(2.2)
  local d = s:diagram{nodes = {1, 2, 3}, limit = 20, width = 80, ascii = true}
  truthy(d:find("time%(s%)%s+n1%s+n2%s+n3"), d)
  for line in d:gmatch("[^\n]+") do truthy(#line <= 80, line) end
  local tl = s:timeline{width = 72, ascii = true}
  truthy(tl:find("n8") and tl:find("recv/s"), tl)
  local tr = s:trace{nodes = {4}, from = 1, to = 1.5, limit = 5}
  for line in tr:gmatch("[^\n]+") do
    local t = tonumber(line:match("^%s*([%d.]+)"))
    if t then
      truthy(t >= 1 and t <= 1.5, line)
      truthy(line:find("n4") or line:find("fault"), line)
    end
  end
end)

test("sim/drawings_filtered", function()
  -- the timeline and the diagram, cut to some nodes and a time window
  local s = lab.sim.new{nodes = 4, seed = 3, latency = 0.01,
    faults = {{at = 1, crash = 3}, {at = 1.6, restart = 3}, {at = 2.5, partition = {{1}, {2, 3, 4}}}},
    node = {start = function(n) n:set_timer(0.05) end,
            timer = function(n) n:send(n:random(n.nodes), 1) n:set_timer(0.05) end}}
  s:run(4)
  local tl = s:timeline{nodes = {2, 3}, from = 0.5, to = 2, width = 60, ascii = true}
  truthy(tl:find("^time%(s%)%s+0.5%s"), tl)
  local lanes = {}
  for name, cells in tl:gmatch("\n(n%d)%s+(%S+)") do lanes[name] = cells end
  same({lanes.n1, lanes.n4}, {}, "only the nodes asked for")
  truthy(lanes.n2 and not lanes.n2:find(".", 1, true), tl)
  truthy(lanes.n3 and lanes.n3:find("...", 1, true), "n3 is down from 1 to 1.6: " .. tl)
  truthy(not (lanes.n2 .. lanes.n3):find("[AB]"), "the partition at 2.5 is outside the window: " .. tl)
  truthy(s:timeline{nodes = {2, 3}, ascii = true}:find("\nn2%s+[=.]*[AB]"), "but not outside the run")
  local d = s:diagram{nodes = {3}, from = 0.9, to = 1.7, ascii = true, width = 70, limit = 100}
  truthy(d:find("^time%(s%)%s+n3\n"), d)
  local rows = 0
  for t in d:gmatch("\n%s*(%d+%.%d+)") do
    rows = rows + 1
    truthy(tonumber(t) >= 0.9 and tonumber(t) <= 1.7, d)
  end
  truthy(rows > 5 and d:find("n3 crashes", 1, true) and d:find("restart"), d)
end)

test("sim/check_verdicts", function()
  local function build2(seed)
    return lab.sim.new{nodes = 3, seed = seed, loss = 0.3, node = {
      start = function(n) if n.id == 1 then for _, p in ipairs(n.peers) do n:send(p, "v") end end end,
      receive = function(n) n.store.got = true end}}
  end
  local bad, info = lab.sim.check{runs = 20, seed = 100, time = 1, build = build2,
    property = function(s)
      for id = 2, 3 do
        if not s:store(id).got then return ("n%d never got the value"):format(id), {nodes = {id}} end
      end
    end}
  truthy(bad, "30% loss without retries fails some seed")
  truthy(bad.text:find("simulation seed " .. bad.seed, 1, true), bad.text)
  truthy(bad.text:find("check --seed 100", 1, true), bad.text)
  truthy(bad.trace:find("lost"), bad.trace)
  -- the failure replays: the same seed fails the same way
  local s = build2(bad.seed)
  s:run(1)
  truthy(not (s:store(2).got and s:store(3).got))
  local ok, stats = lab.sim.check{runs = 4, seed = 1, time = 1, build = build2}
  eq(ok, nil)
  eq(stats.runs, 4)
  truthy(stats.messages >= 8)
end)
