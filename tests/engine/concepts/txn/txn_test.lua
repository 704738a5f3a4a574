-- Tests of lab.txn from Lua: 2PC's atomicity over many seeded nemesis
-- runs, every crash point reached and survived, the blocking window, each
-- rule's bug breaking atomicity, 3PC non-blocking under crashes and mixed
-- under a partition, sagas compensating in reverse through crashes, the
-- outbox delivering every event at least once, and Lua nodes in a 2PC.

local function steps_of(role)
  return lab.txn.steps()[role]
end

test("txn/twopc_atomic_over_seeds", function()
  -- the property: no run ends with a transaction committed at one node and
  -- aborted at another; money is neither made nor lost
  local runs, fired, txns = 0, 0, 0
  for seed = 1, 400 do
    for _, nem in ipairs{"crash", "all"} do
      local r = lab.txn.twopc{participants = 3, txns = 5, seed = seed, nemesis = nem,
                              time = 20, loss = nem == "all" and 0.05 or 0}
      eq(r.mixed, 0, "seed " .. seed .. " " .. nem)
      truthy(r.atomic)
      eq(r.unfinished, 0, "seed " .. seed .. " " .. nem .. ": every doubt resolved by 20 s")
      eq(r.total, 30, "seed " .. seed .. " " .. nem)
      runs = runs + 1
      txns = txns + r.txns
      if r.crashes[1] and r.crashes[1].fired then fired = fired + 1 end
    end
  end
  eq(runs, 800)
  truthy(fired > 300, "most drawn crash points fire: " .. fired)
  truthy(txns > 2500, "transactions run: " .. txns)
end)

test("txn/twopc_every_step", function()
  for _, role in ipairs{"coordinator", "participant"} do
    for _, step in ipairs(steps_of(role)) do
      if not step:find("precommit") then
        local node = role == "coordinator" and 1 or 3
        local r = lab.txn.twopc{participants = 3, txns = 3, time = 15,
                                crash = {{node = node, step = step, tx = 1, down = 1.5}}}
        truthy(r.crashes[1].fired, step .. " was reached")
        truthy(r.atomic, step)
        eq(r.unfinished, 0, step)
        eq(r.total, 30, step)
      end
    end
  end
end)

test("txn/twopc_blocking_window", function()
  local r = lab.txn.twopc{participants = 3,
                          crash = {{node = 1, step = "after_log", down = 2}}}
  eq(r.decision, "commit")
  same(r.outcome, {"commit", "commit", "commit", "commit"})
  -- prepared at 0.11 s, the coordinator back at 2.12 s, commit at 2.13 s
  for p = 2, 4 do near(r.uncertain[p], 2.02, 1e-9) end
  eq(#r.down, 1)
  near(r.down[1].from, 0.12, 1e-9)
  near(r.down[1].to, 2.12, 1e-9)
  truthy(r.text:find("in doubt, asks for the decision"))
  -- down for good: blocked for good
  local b = lab.txn.twopc{participants = 3,
                          crash = {{node = 1, step = "after_log", down = -1}}}
  same(b.outcome, {"commit", "prepared", "prepared", "prepared"})
  eq(b.unfinished, 1)
  near(b.uncertain[2], 10 - 0.11, 1e-9)
  -- a crash before the decision is logged: presumed abort
  local a = lab.txn.twopc{participants = 3,
                          crash = {{node = 1, step = "before_log", down = 1}}}
  same(a.outcome, {"abort", "abort", "abort", "abort"})
end)

test("txn/twopc_vote_no", function()
  local r = lab.txn.twopc{participants = 3, vote_no = 3}
  same(r.outcome, {"abort", "abort", "abort", "abort"})
  eq(r.total, 30)
  eq(r.balances[2] + r.balances[3] + r.balances[4], 30)
end)

test("txn/twopc_bugs_break_atomicity", function()
  -- each rule removed, and a crash at the step that needs it
  local cases = {
    {bug = "decide_alone", crash = {node = 1, step = "after_log", down = 2}},
    {bug = "forget", crash = {node = 3, step = "after_vote", down = 0.1}},
    {bug = "no_log", crash = {node = 1, step = "mid_decision", down = 1}},
  }
  for _, c in ipairs(cases) do
    local r = lab.txn.twopc{participants = 3, bug = c.bug, crash = {c.crash}}
    eq(r.mixed, 1, c.bug)
    eq(r.atomic, false, c.bug)
    local ok = lab.txn.twopc{participants = 3, crash = {c.crash}}
    eq(ok.mixed, 0, c.bug .. " without the bug")
  end
  -- and over seeds, each bug shows up
  for _, bug in ipairs{"decide_alone", "forget", "no_log"} do
    local bad = 0
    for seed = 1, 100 do
      local r = lab.txn.twopc{participants = 3, txns = 5, seed = seed, nemesis = "crash",
                              bug = bug, time = 20}
      if r.mixed > 0 then bad = bad + 1 end
    end
    truthy(bad > 0, bug .. " never broke atomicity")
  end
end)

test("txn/threepc", function()
  -- crashes only: atomic over seeds, at every step
  for seed = 1, 300 do
    local r = lab.txn.threepc{participants = 3, txns = 5, seed = seed, nemesis = "crash",
                              time = 20}
    eq(r.mixed, 0, "3PC, crashes only, seed " .. seed)
    eq(r.unfinished, 0, "seed " .. seed)
  end
  for _, role in ipairs{"coordinator", "participant"} do
    for _, step in ipairs(steps_of(role)) do
      local r = lab.txn.threepc{participants = 3, txns = 2, time = 15,
                                crash = {{node = role == "coordinator" and 1 or 2,
                                          step = step, tx = 1, down = 1.5}}}
      truthy(r.crashes[1].fired, step)
      truthy(r.atomic, step)
    end
  end
  -- non-blocking: the coordinator gone for good after logging commit
  local r = lab.txn.threepc{participants = 3,
                            crash = {{node = 1, step = "after_log", down = -1}}}
  same({r.outcome[2], r.outcome[3], r.outcome[4]}, {"commit", "commit", "commit"})
  eq(r.unfinished, 0)
  -- the same crash blocks 2PC
  eq(lab.txn.twopc{participants = 3,
                   crash = {{node = 1, step = "after_log", down = -1}}}.unfinished, 1)
  -- a partition right after the first precommit: both sides decide
  local p = lab.txn.threepc{participants = 3, partition = 3}
  same(p.outcome, {"commit", "commit", "abort", "abort"})
  eq(p.mixed, 1)
  truthy(p.text:find("PARTITION"))
  -- and lab.sim's nemesis finds such runs by itself
  local bad = 0
  for seed = 1, 300 do
    if lab.txn.threepc{participants = 3, txns = 5, seed = seed, nemesis = "all",
                       time = 20}.mixed > 0 then bad = bad + 1 end
  end
  truthy(bad > 0, "no 3PC violation under partitions in 300 seeds")
  -- 2PC under the same partition stays atomic (it blocks instead)
  eq(lab.txn.twopc{participants = 3, partition = nil}.mixed, 0)
end)

test("txn/saga", function()
  local r = lab.txn.saga{steps = 3, fail = 3, keep = true}
  eq(r.compensated, 1)
  eq(r.completed, 0)
  truthy(r.consistent)
  same(r.sagas[1].applied, {false, false, false})
  -- compensations in reverse: step 2 undone before step 1
  local u2 = lab.txn.service(r.sim, 3, 1)
  local u1 = lab.txn.service(r.sim, 2, 1)
  eq(u2.undos, 1)
  eq(u1.undos, 1)
  truthy(u2.undo_at < u1.undo_at)
  eq(lab.txn.service(r.sim, 4, 1).dos, 0)
  local ok = lab.txn.saga{steps = 4}
  eq(ok.completed, 1)
  same(ok.sagas[1].applied, {true, true, true, true})
  -- through crashes and loss, over seeds: never half done
  for seed = 1, 300 do
    local s = lab.txn.saga{steps = 4, sagas = 6, fail = 3, fail_every = 2, seed = seed,
                           nemesis = "crash", loss = 0.1, time = 30}
    eq(s.broken, 0, "seed " .. seed)
    -- a saga asked of a crashed orchestrator is refused (never started)
    eq(s.completed + s.compensated, s.started, "seed " .. seed)
    truthy(s.started >= 3, "seed " .. seed)
  end
  -- a crash mid-saga, resumed from the log
  for _, step in ipairs{"after_step", "after_undo"} do
    local c = lab.txn.saga{steps = 3, fail = 3, crash = {{node = 1, step = step, down = 1}}}
    truthy(c.crashes[1].fired, step)
    eq(c.compensated, 1, step)
    truthy(c.text:find("restarts"), step)
  end
  -- a crash right after the last compensation: the log says it is over
  local last = lab.txn.saga{steps = 3, fail = 2, crash = {{node = 1, step = "after_undo", down = 1}}}
  eq(last.compensated, 1)
  eq(last.started, 1)
  -- the bugs
  eq(lab.txn.saga{steps = 3, fail = 3, bug = "no_compensate"}.broken, 1)
  eq(lab.txn.saga{steps = 3, fail = 3, bug = "no_log",
                  crash = {{node = 1, step = "after_step", down = 1}}}.broken, 1)
end)

test("txn/outbox", function()
  for seed = 1, 200 do
    local o = lab.txn.outbox{orders = 20, seed = seed, loss = 0.2, nemesis = "crash",
                             time = 20}
    eq(o.missing, 0, "seed " .. seed)
    eq(o.duplicates, 0, "seed " .. seed)
    eq(o.applied, o.orders, "seed " .. seed)
    truthy(o.published >= o.orders)
  end
  -- at least once: without the idempotent consumer, duplicates get applied
  local dup = 0
  for seed = 1, 20 do
    dup = dup + lab.txn.outbox{orders = 20, seed = seed, loss = 0.2,
                               idempotent = false}.duplicates
  end
  truthy(dup > 0)
  -- the dual write loses the event of a crash between the two writes
  local d = lab.txn.outbox{orders = 5, mode = "dual",
                           crash = {{node = 1, step = "after_write", tx = 2, down = 0.5}}}
  eq(d.missing, 1)
  local o = lab.txn.outbox{orders = 5,
                           crash = {{node = 1, step = "after_write", tx = 2, down = 0.5}}}
  eq(o.missing, 0)
end)

test("txn/replay_and_errors", function()
  local a = lab.txn.twopc{participants = 4, txns = 6, seed = 9, nemesis = "all"}
  local b = lab.txn.twopc{participants = 4, txns = 6, seed = 9, nemesis = "all"}
  eq(a.text, b.text)
  raises(function() lab.txn.twopc{participants = 9} end, "participants")
  raises(function() lab.txn.twopc{crash = {{node = 1, step = "after_vote"}}} end,
         "no step 'after_vote'")
  raises(function() lab.txn.twopc{crash = {{node = 2, step = "mid_precommit"}}} end,
         "no step")
  raises(function() lab.txn.twopc{crash = {{node = 7, step = "after_log"}}} end, "no node 7")
  raises(function() lab.txn.twopc{crash = {{node = 1, step = "after_lgo"}}} end, "after_log")
  raises(function() lab.txn.saga{steps = 2, fail = 3} end, "no step 3")
  raises(function() lab.txn.node("judge") end, "invalid option")
  -- C nodes in a cluster too large for them stop the run with a message
  local big = lab.sim.new{nodes = 12, seed = 1}
  big:node(1, lab.txn.node("orchestrator"))
  big:node(lab.txn.node("service"))
  raises(function() big:run(1) end, "at most 8 steps")
  local big2 = lab.sim.new{nodes = 12, seed = 1}
  big2:node(1, lab.txn.node("coordinator"))
  big2:node(lab.txn.node("participant"))
  raises(function() big2:run(1) end, "at most 8 participants")
end)

test("txn/lua_participants", function()
  -- the reference coordinator with Lua participants that follow the rules
  local P = {}
  function P.start(n)
    n.store.balance = n.store.balance or 10
    n.store.tx = n.store.tx or {}
    n:set_timer(0.5, "doubt")
  end
  function P.receive(n, from, m)
    local t = n.store.tx
    if m.t == "prepare" then
      if not t[m.tx] then
        local yes = n.store.balance + m.delta >= 0
        t[m.tx] = {state = yes and "prepared" or "abort", delta = m.delta}
      end
      n:send(1, {t = "vote", tx = m.tx, yes = t[m.tx].state ~= "abort"})
    elseif m.t == "commit" or m.t == "abort" then
      local e = t[m.tx]
      if e and e.state == "prepared" then
        if m.t == "commit" then n.store.balance = n.store.balance + e.delta end
        e.state = m.t
      end
      n:send(1, {t = "ack", tx = m.tx})
    end
  end
  function P.timer(n)
    for k, e in pairs(n.store.tx) do
      if e.state == "prepared" then n:send(1, {t = "status", tx = k}) end
    end
    n:set_timer(0.5, "doubt")
  end
  function P.request(n, op, id) n:reply(id, {balance = n.store.balance}) end
  local s = lab.sim.new{nodes = 3, seed = 1, latency = 0.01,
    faults = {{at = 0.115, crash = 2}, {at = 0.5, restart = 2}}}
  s:node(1, lab.txn.node("coordinator", {crash = {{node = 0, step = "after_log", down = 1}}}))
  s:node({2, 3}, P)
  s:request{at = 0.1, node = 1, op = {f = "txn", deltas = {[2] = -4, [3] = 4}}, timeout = 5}
  s:request{at = 5, node = 2, op = {f = "read"}, client = 2}
  s:request{at = 5, node = 3, op = {f = "read"}, client = 2}
  s:run(6)
  eq(lab.txn.decision(s, 1, 1), "commit")
  local h = s:history()
  eq(h[1].status, "info") -- the coordinator crashed before answering
  eq(h[2].result.balance, 6)
  eq(h[3].result.balance, 14)
  raises(function() lab.txn.decision(s, 2, 1) end, "not a lab.txn coordinator")
end)
