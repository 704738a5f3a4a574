-- tests/bench/eventloop_bench.lua — lab.eventloop: callbacks run per second
-- (each a Lua call through the C loop), and requests simulated per second
-- by serve for each model.

print("lab.eventloop (median of 3)")
local N = 100000
local t = median_time(3, function()
  lab.eventloop.run(function(loop)
    local n = 0
    local function again() n = n + 1; if n < N then loop:immediate(again) end end
    again()
  end, {max_callbacks = N + 1})
end)
report("run: immediates", N / t, "callbacks/s")
t = median_time(3, function()
  lab.eventloop.run(function(loop)
    for i = 1, N do loop:timeout(i % 1000, function() end) end
  end, {max_callbacks = N + 1})
end)
report("run: timers (1000 distinct due times)", N / t, "callbacks/s")
for _, m in ipairs{"loop", "threads", "pool"} do
  t = median_time(3, function() lab.eventloop.serve{model = m, requests = 200000} end)
  report("serve " .. m, 200000 / t, "requests/s")
end
