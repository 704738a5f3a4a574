-- Lua tests of lab.sched (engine/concepts/sched/sched_lua.c).

local function cluster(opts)
  opts.nodes = opts.nodes or {
    {name = "n1", cpu = 4000, memory = "8Gi", zone = "a"},
    {name = "n2", cpu = "4", memory = "8Gi", zone = "b"},
    {name = "n3", cpu = 2000, memory = "4Gi", zone = "a"},
  }
  return lab.sched.new(opts)
end

test("sched/schedule_and_pending", function()
  local c = cluster{weights = {balanced = 0, spread = 0}}
  eq(c:schedule{cpu = 1000, memory = "1Gi"}, "n1")       -- tie n1/n2 drawn by seed 1
  local node, why = c:schedule{cpu = 5000, memory = "1Gi"}
  eq(node, nil)
  eq(why, "0/3 nodes are available: 3 Insufficient cpu.")
  node, why = c:schedule{cpu = 3000, memory = "20Gi"}
  eq(why, "0/3 nodes are available: 1 Insufficient cpu, 3 Insufficient memory.")
  local r = c:report()
  eq(r.placed, 1); eq(r.pending, 2); eq(r.nodes_used, 1); eq(r.nodes_empty, 2)
  eq(r.placements["pod-1"], "n1")
  eq(r.reasons["pod-2"], "0/3 nodes are available: 3 Insufficient cpu.")
  eq(r.fragmentation.free_cpu, 9000)
  eq(r.fragmentation.stranded_cpu, 9000)                -- no pending pod fits anywhere
  eq(tostring(c), "lab.sched(3 nodes, 3 pods, 2 pending)")
end)

test("sched/explain_by_hand", function()
  local c = cluster{weights = {balanced = 0, spread = 0}}
  c:schedule{cpu = 1000, memory = "1Gi", selector = {zone = "a"}, name = "first"}
  local e, pick = c:explain{cpu = 500, memory = "512Mi"}
  -- n1 holds 1000m and 1 GiB: cpu (4000-1500)*100/4000 = 62, memory 81 -> 71
  -- n2: cpu 87, memory 93 -> 90; n3: 75, 87 -> 81
  eq(e[1].fit, 71); eq(e[2].fit, 90); eq(e[3].fit, 81)
  eq(pick, "n2")
  local m = cluster{strategy = "most", weights = {balanced = 0, spread = 0}}
  m:schedule{cpu = 1000, memory = "1Gi", selector = {zone = "a"}}
  e, pick = m:explain{cpu = 500, memory = "512Mi"}
  -- the first pod went to n3 (50 and 25 -> 37 beats n1's 18); now
  -- n1 and n2: 500/4000 -> 12, 0.5/8 GiB -> 6: 9; n3: 75 and 37 -> 56
  eq(m:pods()[1].node, "n3")
  eq(e[1].fit, 9); eq(e[2].fit, 9); eq(e[3].fit, 56)
  eq(pick, "n3")
  -- a selector no node matches
  local none, nopick, why = c:explain{cpu = 1, selector = {zone = "c"}}
  eq(nopick, nil)
  eq(none[1].fits, false); same(none[1].reasons, {"selector"})
  eq(why, "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.")
end)

test("sched/requests_and_limits", function()
  local c = cluster{}
  c:schedule{name = "only-limits", limits = {cpu = "1", memory = "1Gi"}}
  local p = c:pods()[1]
  eq(p.cpu, 1000); eq(p.memory, 1073741824)              -- a limit alone is the request
  c:schedule{name = "burst", cpu = "250m", limits = {cpu = "2"}}
  local total = 0
  for _, n in ipairs(c:nodes()) do total = total + n.limits_cpu end
  eq(total, 3000)
  raises(function() c:schedule{cpu = 2000, limits = {cpu = 1000}} end,
         "cpu request is above its limit")
  raises(function() c:schedule{cpu = "2Gi"} end, "millicores or a quantity")
  raises(function() c:schedule{cpu = -5} end, "whole number")
  raises(function() c:schedule{cpu = 1, colour = "red"} end, "unknown option 'colour'")
  raises(function() c:schedule{cpu = 1, spread = {{key = "zone"}}} end, "give the pod an app")
  raises(function() lab.sched.new{nodes = {{name = "a", cpu = 1, memory = 1},
                                           {name = "a", cpu = 1, memory = 1}}} end,
         "two nodes are named 'a'")
  raises(function() lab.sched.new{nodes = {}} end, "1 to 10000 nodes")
  raises(function() lab.sched.new{nodes = {{name = "a", memory = 1}}} end, "nodes%[1%]: option 'cpu'")
end)

test("sched/seed_replays", function()
  local function run(seed)
    local nodes = {}
    for i = 1, 6 do nodes[i] = {name = "n" .. i, cpu = 4000, memory = "8Gi"} end
    local pods = {}
    for i = 1, 12 do pods[i] = {cpu = 500, memory = "1Gi"} end
    local r = lab.sched.run{nodes = nodes, pods = pods, seed = seed}
    local order = {}
    for i = 1, 12 do order[i] = r.placements["pod-" .. i] end
    return table.concat(order, " ")
  end
  eq(run(3), run(3))
  local differs = false
  for s = 4, 12 do differs = differs or run(s) ~= run(3) end
  truthy(differs, "ties are drawn by the seed")
end)

test("sched/fail_and_retry", function()
  local c = cluster{}
  for i = 1, 4 do c:schedule{cpu = 1500, memory = "1Gi", name = "p" .. i} end
  local on = {}
  for _, p in ipairs(c:pods()) do on[p.node] = (on[p.node] or 0) + 1 end
  local evicted = c:fail("n1")
  eq(evicted, on.n1 or 0)
  local placed = c:retry()
  local r = c:report()
  eq(r.placed + r.pending, 4)
  truthy(placed <= evicted)
  for _, n in ipairs(c:nodes()) do
    if n.name == "n1" then eq(n.pods, 0); eq(n.down, true) end
    truthy(n.requested_cpu <= n.cpu)
  end
  eq(c:remove("p2"), true); eq(c:remove("p2"), false)
  raises(function() c:fail("n9") end, "no node named 'n9'")
end)

-- An independent scorer: NodeResourcesFit with the non-zero defaults,
-- BalancedAllocation, and the choice among feasible nodes.
local function ref_fit(strategy, alloc, req)
  if strategy == "most" then return math.min(req, alloc) * 100 // alloc end
  if req > alloc then return 0 end
  return (alloc - req) * 100 // alloc
end

test("sched/cross_check", function()
  local r = lab.rand.new(17)
  for round = 1, 60 do
    local strategy = round % 2 == 0 and "most" or "least"
    local nodes = {}
    for i = 1, r:int(1, 5) do
      nodes[i] = {name = "n" .. i, cpu = r:int(1, 8) * 500, memory = r:int(1, 8) * 268435456}
    end
    local c = lab.sched.new{nodes = nodes, strategy = strategy, seed = round,
                            weights = {fit = 2, balanced = 1, spread = 0, affinity = 0}}
    local used = {}
    for i = 1, #nodes do used[i] = {cpu = 0, mem = 0, nzc = 0, nzm = 0} end
    for k = 1, 12 do
      local pod = {cpu = r:uniform() < 0.2 and nil or r:int(0, 6) * 250,
                   memory = r:uniform() < 0.2 and nil or r:int(0, 6) * 134217728}
      local e, pick = c:explain(pod)
      local best
      for i, n in ipairs(nodes) do
        local pc, pm = pod.cpu or 0, pod.memory or 0
        local fits = used[i].cpu + pc <= n.cpu and used[i].mem + pm <= n.memory
        eq(e[i].fits, fits)
        if fits then
          local nzc, nzm = used[i].nzc + (pod.cpu or 100), used[i].nzm + (pod.memory or 209715200)
          local fit = (ref_fit(strategy, n.cpu, nzc) + ref_fit(strategy, n.memory, nzm)) // 2
          local bal = 0
          if pc > 0 or pm > 0 then
            local f1 = math.min(1, (used[i].cpu + pc) / n.cpu)
            local f2 = math.min(1, (used[i].mem + pm) / n.memory)
            bal = math.floor((1 - math.abs(f1 - f2) / 2) * 100)
          end
          eq(e[i].fit, fit); eq(e[i].balanced, bal)
          eq(e[i].total, 2 * fit + bal)
          best = math.max(best or -1, 2 * fit + bal)
        end
      end
      local got = c:schedule(pod)
      eq(got, pick)
      if got then
        local i = tonumber(got:sub(2))
        eq(e[i].total, best)
        used[i].cpu = used[i].cpu + (pod.cpu or 0); used[i].mem = used[i].mem + (pod.memory or 0)
        used[i].nzc = used[i].nzc + (pod.cpu or 100); used[i].nzm = used[i].nzm + (pod.memory or 209715200)
      else
        eq(best, nil)
      end
    end
  end
end)

test("sched/affinity_and_spread", function()
  local c = cluster{weights = {fit = 0, balanced = 0, spread = 0, affinity = 1}}
  local e = c:explain{cpu = 1, prefer = {{weight = 10, key = "zone", value = "a"},
                                         {weight = 30, key = "hostname", value = "n3"}}}
  eq(e[1].affinity, 25); eq(e[2].affinity, 0); eq(e[3].affinity, 100)   -- 10, 0, 40 of 40
  -- three replicas of an app land on three nodes with spreading on
  local s = cluster{weights = {fit = 0, balanced = 0, spread = 2, affinity = 0}}
  local seen = {}
  for i = 1, 3 do seen[s:schedule{app = "web", cpu = 100}] = true end
  eq((seen.n1 and 1 or 0) + (seen.n2 and 1 or 0) + (seen.n3 and 1 or 0), 3)
  -- off: default_spread = false leaves the spread score at 0
  local off = cluster{default_spread = false}
  eq(off:explain{app = "web", cpu = 100}[1].spread, 0)
end)

test("sched/score_and_quantity", function()
  local node = {cpu = 4000, memory = 8e9, cpu_requested = 1000, memory_requested = 2e9}
  eq(lab.sched.score(node, {cpu = 500}, "most"), (37 + 27) // 2)   -- memory: 200 MiB default
  eq(lab.sched.score(node, {cpu = 500, memory = 0}, "least"), (62 + 75) // 2)
  eq(lab.sched.score(node, {cpu = 3500}, "least"), nil)
  eq(lab.sched.score(node, {cpu = 1000, memory = 2e9}, "balanced"), 100)
  eq(lab.sched.quantity("256Mi", "memory"), 268435456)
  eq(lab.sched.quantity("0.1", "cpu"), 100)
  raises(function() lab.sched.score(node, {}, "fast") end, "least most balanced")
end)

test("sched/fragmentation_probe", function()
  local c = lab.sched.new{nodes = {{name = "a", cpu = 4000, memory = "4Gi"},
                                   {name = "b", cpu = 4000, memory = "4Gi"}}}
  c:place{{cpu = 2500, memory = "1Gi"}, {cpu = 2500, memory = "1Gi"}}
  local f = c:fragmentation{cpu = 2000, memory = "1Gi"}
  eq(f.free_cpu, 3000); eq(f.largest_cpu, 1500); eq(f.fits, 0); eq(f.stranded_cpu, 3000)
  eq(c:fragmentation().fits, nil)
  raises(function() c:fragmentation{} end, "needs cpu or memory")
end)

test("sched/pack_by_hand", function()
  -- two nodes of 1000m; pods 300, 700, 400, 600 (memory 0). First fit in
  -- order: a = 300 + 700, b = 400 + 600: all four. Pods 500, 600, 500, 400:
  -- in order a = 500 + 500, b = 600 + 400; now 300, 600, 600, 500 in order:
  -- a = 300 + 600, b = 600, 500 left out; decreasing 600, 600, 500, 300:
  -- a = 600 + 300, b = 600, 500 still out. Best fit puts 300 where least
  -- CPU is left.
  local nodes = {{name = "a", cpu = 1000, memory = 1}, {name = "b", cpu = 1000, memory = 1}}
  local function pods(list)
    local t = {}
    for i, c in ipairs(list) do t[i] = {cpu = c} end
    return t
  end
  local r = lab.sched.pack{nodes = nodes, pods = pods{300, 700, 400, 600}, order = "given"}
  eq(r.placed, 4); same(r.placement, {"a", "a", "b", "b"})
  r = lab.sched.pack{nodes = nodes, pods = pods{300, 600, 600, 500}, order = "given"}
  eq(r.placed, 3); same(r.placement, {"a", "a", "b"})
  r = lab.sched.pack{nodes = nodes, pods = pods{300, 600, 600, 500}}
  eq(r.pending, 1); eq(r.placement[1], "a"); eq(r.placement[4], nil)
  -- 700 then 200 on a (1000m) and b (250m): first fit puts 200 on a;
  -- best fit picks b, where 50 is left rather than 100
  local three = {{name = "a", cpu = 1000, memory = 1}, {name = "b", cpu = 250, memory = 1}}
  r = lab.sched.pack{nodes = three, pods = pods{700, 200}, order = "given", fit = "best"}
  same(r.placement, {"a", "b"})
  r = lab.sched.pack{nodes = three, pods = pods{700, 200}, order = "given", fit = "first"}
  same(r.placement, {"a", "a"})
  raises(function() lab.sched.pack{nodes = nodes, pods = {5}} end, "pods%[1%] must be a table")
end)

test("sched/pack_never_beats_brute_force", function()
  local r = lab.rand.new(9)
  for round = 1, 80 do
    local nodes, pods = {}, {}
    for i = 1, r:int(1, 3) do nodes[i] = {name = "n" .. i, cpu = r:int(2, 8) * 250, memory = r:int(2, 8)} end
    for i = 1, r:int(1, 6) do pods[i] = {cpu = r:int(1, 6) * 250, memory = r:int(1, 4)} end
    local best = 0
    local fc, fm = {}, {}
    for i, n in ipairs(nodes) do fc[i], fm[i] = n.cpu, n.memory end
    local function try(i, placed)
      if i > #pods then best = math.max(best, placed) return end
      for k = 1, #nodes do
        if pods[i].cpu <= fc[k] and pods[i].memory <= fm[k] then
          fc[k], fm[k] = fc[k] - pods[i].cpu, fm[k] - pods[i].memory
          try(i + 1, placed + 1)
          fc[k], fm[k] = fc[k] + pods[i].cpu, fm[k] + pods[i].memory
        end
      end
      try(i + 1, placed)
    end
    try(1, 0)
    for _, order in ipairs{"given", "decreasing"} do
      for _, fit in ipairs{"first", "best"} do
        local p = lab.sched.pack{nodes = nodes, pods = pods, order = order, fit = fit}
        truthy(p.placed <= best)
        local c = lab.sched.new{nodes = nodes}
        for i, pod in ipairs(pods) do
          if p.placement[i] then
            eq(c:schedule{cpu = pod.cpu, memory = pod.memory,
                          selector = {hostname = p.placement[i]}}, p.placement[i])
          end
        end
      end
    end
    truthy(lab.sched.run{nodes = nodes, pods = pods}.placed <= best)
  end
end)
