-- tests/bench/txn_bench.lua — lab.txn: seeded nemesis runs per second of
-- 2PC, 3PC, sagas and the outbox (the property checks of the test suite
-- run these by the hundred), messages simulated per second, and one 2PC
-- with Lua participants for comparison with the C ones.

print("lab.txn: runs with a drawn crash point and lab.sim's nemesis (median of 5)")
local function bench(name, fn)
  local runs, msgs = 100, 0
  local t = median_time(5, function()
    msgs = 0
    for seed = 1, runs do msgs = msgs + fn(seed).messages end
  end)
  report(name .. ", runs", runs / t, "runs/s")
  report(name .. ", messages", msgs / t, "msg/s")
end
bench("2PC, 3 participants, 5 txns, 20 s", function(seed)
  return lab.txn.twopc{participants = 3, txns = 5, seed = seed, nemesis = "all", time = 20}
end)
bench("3PC, 3 participants, 5 txns, 20 s", function(seed)
  return lab.txn.threepc{participants = 3, txns = 5, seed = seed, nemesis = "all", time = 20}
end)
bench("saga, 4 steps, 6 sagas, 30 s", function(seed)
  return lab.txn.saga{steps = 4, sagas = 6, fail = 3, fail_every = 2, seed = seed,
                      nemesis = "crash", loss = 0.1, time = 30}
end)
bench("outbox, 20 orders, loss 0.2, 20 s", function(seed)
  return lab.txn.outbox{orders = 20, seed = seed, loss = 0.2, nemesis = "crash", time = 20}
end)

-- the same 2PC with Lua participants (what a graded exercise runs)
local P = {}
function P.start(n)
  n.store.balance = n.store.balance or 10
  n.store.tx = n.store.tx or {}
  n:set_timer(0.2, "doubt")
end
function P.receive(n, from, m)
  local t = n.store.tx
  if m.t == "prepare" then
    if not t[m.tx] then
      t[m.tx] = {state = n.store.balance + m.delta >= 0 and "prepared" or "abort",
                 delta = m.delta}
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
  n:set_timer(0.2, "doubt")
end
local events = 0
local t = median_time(5, function()
  events = 0
  for seed = 1, 20 do
    local s = lab.sim.new{nodes = 4, seed = seed, latency = 0.01,
      nemesis = {faults = {"crash", "partition"}, start = 0.3, stop = 12}}
    s:node(1, lab.txn.node("coordinator"))
    s:node({2, 3, 4}, P)
    for k = 1, 5 do
      s:request{at = k - 0.9, node = 1, op = {f = "txn", deltas = {[2] = -k, [3] = k}}}
    end
    s:run(20)
    events = events + s:stats().events
  end
end)
report("2PC, Lua participants, events", events / t, "events/s")
