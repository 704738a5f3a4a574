-- raft_bench.lua — lab.raft: simulated events per second with the C
-- reference nodes (audited runs under the nemesis, and plain runs), and
-- with the Lua Raft node of lesson 19's solution.

print("lab.raft: simulated events per second (median of 5)")

-- audited: lab.raft.run checks every node after every event
local events
local t = median_time(5, function()
  local r = lab.raft.run{nodes = 5, seed = 1, time = 60}
  events = r.events
end)
report("C nodes, audited, nemesis, 5 nodes", events / t, "events/s")

-- plain lab.sim runs, no auditor, no trace
local function plain(node, label)
  local ev
  local tt = median_time(5, function()
    local s = lab.sim.new{nodes = 5, seed = 1, trace = false,
      latency = {dist = "exponential", mean = 0.005, min = 0.001}}
    s:node(node)
    for i = 1, 600 do
      s:request{at = 0.5 + i * 0.05, node = 1 + i % 5, client = 1, timeout = 1,
        op = {f = "put", key = "k" .. i % 7, value = tostring(i)}}
    end
    s:run(30)
    ev = s:stats().events
  end)
  report(label, ev / tt, "events/s")
end
plain(lab.raft.node{}, "C nodes, lab.sim, 5 nodes, no trace")

local f = assert(io.open("lessons/04-distributed-data/19-raft-persistence.md", "rb"))
local text = f:read("a")
f:close()
local source = text:match("```lua solution\n(.-)\n```")
assert(source, "lesson 19's solution block")
local env = {}
for k, v in pairs(_G) do env[k] = v end
plain(lab.sim.isolate(source, env, "raft.lua"), "Lua nodes (lesson 19), lab.sim, 5 nodes")
