-- Lua tests of lab.locks (engine/concepts/locks/): the lock table, deadlock
-- detection and victims, cycles in random graphs, and the booking race.

local K = lab.locks

test("locks/compatibility_and_fifo", function()
  local lm = K.new()
  eq(lm:lock(1, "row", "S"), "granted")
  eq(lm:lock(2, "row", "S"), "granted")   -- S with S
  eq(lm:lock(3, "row", "X"), "waiting")   -- X waits for both
  eq(lm:lock(4, "row", "S"), "waiting")   -- no barging past the X in line
  same(lm:edges(), {{3, 1}, {3, 2}, {4, 3}})
  eq(lm:waiting(3), "row")
  same(lm:release(1), {})
  same(lm:release(2), {{3, "row", "X"}})  -- X granted, S still waits
  same(lm:holders("row"), {{tx = 3, mode = "X"}})
  same(lm:release(3), {{4, "row", "S"}})
  eq(lm:lock(4, "row", "S"), "granted")   -- already held
end)

test("locks/upgrade", function()
  local lm = K.new()
  lm:lock(1, 7, "S")
  eq(lm:lock(1, 7, "X"), "granted")       -- the only holder upgrades
  lm:release(1)
  lm:lock(1, 7, "S")
  lm:lock(2, 7, "S")
  eq(lm:lock(1, 7, "X"), "waiting")       -- waits for 2 to go
  local st, victim, cycle = lm:lock(2, 7, "X") -- both want to upgrade: deadlock
  eq(st, "deadlock")
  eq(victim, 2)
  same(cycle, {2, 1})
  same(lm:holders(7), {{tx = 1, mode = "X"}})
  raises(function() lm:lock(2, 8, "S") end, "deadlock victim")
  lm:release(2)
  eq(lm:lock(2, 8, "S"), "granted")
end)

test("locks/victims", function()
  for _, rule in ipairs{"youngest", "fewest_locks"} do
    local lm = K.new{victim = rule}
    lm:lock(1, "a", "X"); lm:lock(1, "b", "X"); lm:lock(1, "c", "X")
    lm:lock(2, "d", "X")
    eq(lm:lock(2, "a", "X"), "waiting")
    local st, victim, cycle, granted = lm:lock(1, "d", "X")
    eq(st, "deadlock")
    same(cycle, {1, 2})
    if rule == "youngest" then
      eq(victim, 2)
      same(granted, {{1, "d", "X"}})
    else
      eq(victim, 2) -- holds 1 lock against 3
    end
    eq(lm:stats().deadlocks, 1)
  end
  local lm = K.new{victim = "fewest_locks"}
  lm:lock(1, "a", "X")
  lm:lock(2, "b", "X"); lm:lock(2, "c", "X")
  lm:lock(1, "b", "X")
  local _, victim = lm:lock(2, "a", "X")
  eq(victim, 1) -- the older one, but it holds fewer locks
end)

-- Random graphs: a cycle found is a cycle; none found means acyclic.
test("locks/find_cycle_random_graphs", function()
  local r = lab.rand.new(3)
  local with, without = 0, 0
  for _ = 1, 500 do
    local n, edges, adj = r:int(1, 7), {}, {}
    for _ = 1, r:int(0, 10) do
      local a, b = r:int(1, n), r:int(1, n)
      edges[#edges + 1] = {a, b}
      adj[a] = adj[a] or {}
      adj[a][b] = true
    end
    local c = K.find_cycle(edges)
    if c then
      with = with + 1
      local seen = {}
      for i, v in ipairs(c) do
        truthy(not seen[v], "a node twice")
        seen[v] = true
        local w = c[i % #c + 1]
        truthy(adj[v] and adj[v][w], ("no edge %d -> %d"):format(v, w))
        truthy(c[1] <= v, "starts at its smallest")
      end
    else
      without = without + 1
      -- acyclic: Kahn's algorithm removes every node
      local indeg, nodes = {}, {}
      for _, e in ipairs(edges) do
        nodes[e[1]], nodes[e[2]] = true, true
      end
      for a, out in pairs(adj) do for b in pairs(out) do indeg[b] = (indeg[b] or 0) + 1 end end
      local queue, removed = {}, 0
      for v in pairs(nodes) do if not indeg[v] then queue[#queue + 1] = v end end
      while #queue > 0 do
        local v = table.remove(queue)
        removed = removed + 1
        for w in pairs(adj[v] or {}) do
          indeg[w] = indeg[w] - 1
          if indeg[w] == 0 then queue[#queue + 1] = w end
        end
      end
      local count = 0
      for _ in pairs(nodes) do count = count + 1 end
      eq(removed, count, "acyclic")
    end
  end
  truthy(with > 50 and without > 50)
  eq(K.find_cycle({}), nil)
  same(K.find_cycle({{5, 5}}), {5})
end)

-- Strict 2PL on random schedules: holders are always compatible, and every
-- wait ends (granted or a victim) once everyone else has finished.
test("locks/random_schedules", function()
  local r = lab.rand.new(8)
  for _ = 1, 200 do
    local lm, active = K.new(), {}
    for t = 1, 4 do active[t] = true end
    for _ = 1, 30 do
      local t = r:int(1, 4)
      if active[t] and not lm:waiting(t) then
        if r:uniform() < 0.15 then
          lm:release(t)
        else
          local st, victim = lm:lock(t, r:int(1, 3), r:uniform() < 0.5 and "S" or "X")
          if st == "deadlock" then lm:release(victim) end
        end
      end
      for res = 1, 3 do
        local h, x = lm:holders(res), 0
        for _, e in ipairs(h) do if e.mode == "X" then x = x + 1 end end
        truthy(x == 0 or #h == 1, "an X lock shared")
      end
    end
    for t = 1, 4 do lm:release(t) end
    for t = 1, 4 do eq(lm:waiting(t), nil) end
  end
end)

test("locks/double_booking_four_ways", function()
  local r = {}
  for _, s in ipairs{"none", "for_update", "unique", "optimistic"} do
    r[s] = K.simulate{strategy = s, duration = 20, seed = 4}
    same(K.simulate{strategy = s, duration = 20, seed = 4}, r[s], s .. " replays")
  end
  truthy(r.none.double_bookings > 0, "the race double-books")
  for _, s in ipairs{"for_update", "unique", "optimistic"} do eq(r[s].double_bookings, 0, s) end
  truthy(r.for_update.waits > 0 and r.for_update.wait_time > 0)
  truthy(r.optimistic.retries > 0)
  eq(r.none.waits, 0)
  raises(function() K.simulate{strategy = "locks"} end, "none for_update unique optimistic")
end)
