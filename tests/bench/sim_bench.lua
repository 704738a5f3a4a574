-- sim_bench.lua — lab.sim with Lua nodes: events per second, and what the
-- simulator itself costs per Lua event (the same relay as bench_sim.c,
-- with handlers doing as little as a handler can).

local EVENTS = 200000

local function relay(node)
  return {
    start = function(n) for i = 1, 4 do n:send(n:random(n.nodes), 0) end end,
    receive = function(n, from, hops) n:send(n:random(n.nodes), hops + 1) end,
  }
end

local function table_relay()
  return {
    start = function(n) for i = 1, 4 do n:send(n:random(n.nodes), {hops = 0}) end end,
    receive = function(n, from, m) n:send(n:random(n.nodes), {hops = m.hops + 1, path = {from, n.id}}) end,
  }
end

-- Seconds for EVENTS events (the median of 5 runs). The run goes by
-- s:run to the simulated time that holds them, not by s:step, which
-- returns the text of every event it ran (a cost of its own).
local SIM_TIME
local function run(node, trace)
  return median_time(5, function()
    local s = lab.sim.new{nodes = 16, seed = 1, trace = trace,
      latency = {dist = "exponential", mean = 0.005, min = 0.001}, node = node}
    if not SIM_TIME then -- the first time (no trace): how long EVENTS events take
      s:step() -- the nodes start
      s:step(EVENTS)
      SIM_TIME = s:now()
    else
      s:run(SIM_TIME)
    end
    local e = s:stats().events
    assert(e >= EVENTS - 100 and e <= EVENTS + 100, e)
  end)
end

print(("lab.sim, Lua nodes (16 relays, 64 messages in flight, %d events):"):format(EVENTS))
local t_int = run(relay(), false)
report("integer messages, no trace", EVENTS / t_int, "events/s")
report("integer messages, trace recorded", EVENTS / run(relay(), true), "events/s")
local t_tab = run(table_relay(), false)
report("table messages, no trace", EVENTS / t_tab, "events/s")
report("table messages, trace recorded", EVENTS / run(table_relay(), true), "events/s")

-- The simulator's part of a Lua event: one pcall'd handler plus a send, vs
-- the same Lua work done by a plain loop.
local calls = 0
local function bare(n, from, hops) calls = calls + 1 return hops + 1 end
local t_bare = median_time(5, function()
  local fake = {random = function(_, k) return 1 end, send = function() end, nodes = 16}
  for i = 1, EVENTS do bare(fake, 1, i) fake:send(fake:random(16), i) end
end)
print(("  %-44s %10.2f us per event (handler + send, vs %.2f us in plain Lua)"):format(
  "simulator overhead", t_int / EVENTS * 1e6, t_bare / EVENTS * 1e6))
