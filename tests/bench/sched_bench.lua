-- tests/bench/sched_bench.lua — lab.sched: pods placed per second on a
-- cluster of 500 nodes (filter + score every node per pod), with and
-- without topology spreading.

print("lab.sched (median of 5)")
local nodes = {}
for i = 1, 500 do
  nodes[i] = {name = "n" .. i, cpu = "16", memory = "64Gi", zone = "z" .. (i % 3)}
end
local r = lab.rand.new(1)
local pods, apps = {}, {}
for i = 1, 5000 do
  pods[i] = {cpu = r:int(1, 8) * 250, memory = r:int(1, 16) * 268435456}
  apps[i] = {cpu = pods[i].cpu, memory = pods[i].memory, app = "app" .. (i % 20)}
end

for _, strategy in ipairs{"least", "most"} do
  local t = median_time(5, function()
    lab.sched.run{nodes = nodes, pods = pods, strategy = strategy}
  end)
  report("schedule 5000 pods on 500 nodes, " .. strategy, #pods / t, "pods/s")
end
local t = median_time(5, function()
  lab.sched.run{nodes = nodes, pods = apps}
end)
report("the same with 20 apps spread (zone, hostname)", #apps / t, "pods/s")

t = median_time(5, function()
  lab.cron.schedule{expr = "*/5 * * * *", from = 0, to = 86400 * 30,
                    duration = {200, 400}, policy = "replace", jitter = 30}
end)
report("cron.schedule: 30 days every 5 minutes", 8640 / t, "fire times/s")
