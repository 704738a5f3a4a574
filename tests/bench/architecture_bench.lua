-- tests/bench/architecture_bench.lua — module 09's brokers: lab.broker's
-- queue (publish, receive, ack) and seeded crash run, lab.log's produce,
-- group poll and crash run, lab.events' appends and projections.

print("lab.broker, lab.log, lab.events (median of 5)")
local N = 100000

local t = median_time(5, function()
  local q = lab.broker.queue{ack_timeout = 30}
  for i = 1, N do q:publish("m") end
  local c = q:consumer{prefetch = 10}
  for i = 1, N do q:ack(q:receive(c, i).tag) end
end)
report("broker queue: publish + receive + ack", N / t, "msgs/s")

local r
t = median_time(5, function()
  r = lab.broker.simulate{messages = N, consumers = 3, prefetch = 10, crash = 0.01}
end)
report("broker simulate (at-least-once, 1% crash)", N / t, "msgs/s")

t = median_time(5, function()
  local lg = lab.log.new{partitions = 6}
  for i = 1, N do lg:produce("k" .. (i % 1000), "v") end
  local g = lg:group{}
  g:join("a"); g:join("b")
  for _, m in ipairs{"a", "b"} do
    while #g:poll(m, 500) > 0 do g:commit(m) end
  end
end)
report("log: produce (keyed) + poll + commit", N / t, "records/s")

t = median_time(5, function()
  r = lab.log.simulate{messages = N, partitions = 6, consumers = 3, batch = 100, crash = 0.01}
end)
report("log simulate (commit after, 1% crash)", N / t, "records/s")

t = median_time(5, function()
  local es = lab.events.new()
  for i = 1, N do es:append("s" .. (i % 100), "any", {{type = "t", data = "1"}}) end
  es:project(function(s) return s + 1 end, 0)
end)
report("events: append + project", N / t, "events/s")

t = median_time(5, function()
  local from = 0
  for _ = 1, 10000 do from = lab.cron.next("*/7 9-17 * * 1-5", from) end
end)
report("cron: next fire time", 10000 / t, "calls/s")
