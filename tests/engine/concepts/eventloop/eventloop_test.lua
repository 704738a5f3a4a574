-- Lua tests of lab.eventloop (engine/concepts/eventloop/eventloop_lua.c):
-- orders taken from Node.js's guide "The Node.js Event Loop" and its
-- process.nextTick / setImmediate examples, worked by hand.

local function order(log)
  local t = {}
  for _, e in ipairs(log) do t[#t + 1] = e.msg end
  return table.concat(t, " ")
end
local run = lab.eventloop.run

test("eventloop/main_ticks_micro_immediate_timer", function()
  local log = run(function(loop)
    loop:timeout(0, function() loop:log("timeout") end)
    loop:immediate(function() loop:log("immediate") end)
    loop:micro(function() loop:log("promise") end)
    loop:tick(function() loop:log("nextTick") end)
    loop:log("main")
  end)
  eq(order(log), "main nextTick promise immediate timeout")
  eq(log[5].t, 1); eq(log[5].kind, "timer"); eq(log[2].kind, "tick")
end)

test("eventloop/timeout_vs_immediate", function()
  -- from the main module the order depends on how long the loop takes to
  -- start (Node's guide: "bound by the performance of the process")
  local function both(loop)
    loop:timeout(0, function() loop:log("timeout") end)
    loop:immediate(function() loop:log("immediate") end)
  end
  eq(order(run(both)), "immediate timeout")
  eq(order(run(both, {startup_ms = 1})), "timeout immediate")
  -- inside an I/O callback the immediate always comes first
  for _, s in ipairs{0, 1, 5} do
    eq(order(run(function(loop) loop:io(3, function() both(loop) end) end, {startup_ms = s})),
       "immediate timeout")
  end
end)

test("eventloop/ticks_before_microtasks", function()
  -- after the main script: t1; then all microtasks (m1, m0, and m2 queued
  -- by m1); only then t2, queued by m1
  local log = run(function(loop)
    loop:micro(function()
      loop:log("m1")
      loop:tick(function() loop:log("t2") end)
      loop:micro(function() loop:log("m2") end)
    end)
    loop:tick(function() loop:log("t1"); loop:micro(function() loop:log("m0") end) end)
  end)
  eq(order(log), "t1 m1 m0 m2 t2")
end)

test("eventloop/drain_between_timers", function()
  -- Node >= 11: the ticks of timer A run before timer B
  local log = run(function(loop)
    loop:timeout(1, function() loop:log("A"); loop:tick(function() loop:log("A.tick") end) end)
    loop:timeout(1, function() loop:log("B") end)
  end)
  eq(order(log), "A A.tick B")
end)

test("eventloop/blocking_delays_timers", function()
  -- an I/O callback that blocks 10 ms makes a timer due at 5 run at 13
  local log = run(function(loop)
    loop:io(3, function() loop:log("io"); loop:block(10) end)
    loop:timeout(5, function() loop:log("timer") end)
  end)
  eq(order(log), "io timer"); eq(log[1].t, 3); eq(log[2].t, 13)
end)

test("eventloop/immediates_queued_later_wait", function()
  -- an immediate queued by an immediate runs in the next check phase,
  -- after timers that became due meanwhile
  local log = run(function(loop)
    loop:immediate(function()
      loop:log("i1"); loop:block(2)
      loop:immediate(function() loop:log("i2") end)
    end)
    loop:timeout(1, function() loop:log("t") end)
  end)
  eq(order(log), "i1 t i2")
end)

test("eventloop/limits_and_errors", function()
  raises(function() run(function(loop)
    local function again() loop:immediate(again) end
    again()
  end, {max_callbacks = 100}) end, "more than 100 callbacks")
  raises(function() run(function(loop) loop:timeout(-1, print) end) end, "milliseconds")
  raises(function() run(function(loop) loop:tick(42) end) end, "function expected")
  local saved
  run(function(loop) saved = loop end)
  raises(function() saved:tick(print) end, "finished")
end)

test("eventloop/serve_models", function()
  -- light load, no blocking: every model answers in cpu + io
  for _, m in ipairs{"loop", "threads", "pool"} do
    local r = lab.eventloop.serve{model = m, requests = 200, rate = 10, cpu_ms = 1, io_ms = 20}
    near(r.p50, 21, 1e-9, m); eq(#r.latency, 200)
  end
  -- same seed, same arrivals across models
  local a = lab.eventloop.serve{model = "loop", requests = 100}
  local b = lab.eventloop.serve{model = "threads", requests = 100}
  for i = 1, 100 do eq(a.arrival[i], b.arrival[i]) end
  -- a blocking call in the loop delays the requests behind it; threads do not
  local lo = lab.eventloop.serve{model = "loop", block_every = 20, block_ms = 300}
  local th = lab.eventloop.serve{model = "threads", block_every = 20, block_ms = 300}
  truthy(lo.p99 > th.p99 and lo.p50 > th.p50)
  -- 1.5 s of blocking a second: the loop falls behind, and its queue grows
  truthy(lo.throughput < 0.7 * th.throughput and lo.peak_concurrent > 100)
  -- memory without blocking: a thread per request costs its stack
  lo = lab.eventloop.serve{model = "loop"}
  th = lab.eventloop.serve{model = "threads"}
  truthy(th.peak_kb > 10 * lo.peak_kb)
  eq(th.peak_kb, th.peak_concurrent * (1024 + 4))
  eq(lo.peak_kb, lo.peak_concurrent * 4 + 1024)
  -- a pool of 2 workers with 50 ms of I/O each caps throughput near 40/s
  local p = lab.eventloop.serve{model = "pool", workers = 2, rate = 200, requests = 2000, cpu_ms = 0, io_ms = 50}
  near(p.throughput, 40, 1)
end)

test("eventloop/timers_fire_in_due_then_queue_order", function()
  local r, delays = lab.rand.new(5), {}
  for i = 1, 500 do delays[i] = r:int(1, 40) end
  local log = run(function(loop)
    for i, d in ipairs(delays) do loop:timeout(d, function() loop:log(i) end) end
  end)
  eq(#log, 500)
  for k = 2, 500 do
    local a, b = log[k - 1].msg, log[k].msg
    truthy(delays[a] < delays[b] or (delays[a] == delays[b] and a < b), "order at " .. k)
    eq(log[k].t, delays[b])
  end
end)
