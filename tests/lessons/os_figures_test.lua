-- The claims the os lessons make about their own examples: each is checked
-- here against the example's output. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local M = "lessons/02-os/"

test("figures/os/races", function()
  local L = lesson(M .. "05-races.md")
  local out = L:run(1)
  truthy(out:find("20 schedules, 18 lose an update", 1, true), out)
  truthy(out:find("x = 2\t2 schedules", 1, true), out)
  L:says("thread 1 reads 0 and adds, thread 2 reads the same 0 before thread 1 writes, and both write 1")
  truthy(out:find("1: read x -> r = 0", 1, true), out)
  out = L:run(2)
  L:says("three threads of ten steps have about 5.5 × 10^12")
  truthy(out:find("5550996791340 schedules, 1331 states", 1, true), out)
  -- the mutex section: "only two schedules remain"
  L:says("only two schedules remain")
  local t = {{"lock", "m"}, {"read", "x", "r"}, {"add", "r", 1},
    {"write", "x", "r"}, {"unlock", "m"}}
  eq(lab.interleave.explore{vars = {x = 0}, threads = {t, t}}.schedules, 2)
end)

test("figures/os/deadlock", function()
  local L = lesson(M .. "06-deadlock.md")
  local out = L:run(1)
  L:says("so it always reads 42")
  eq(out:match("^(%d+)\ttrue"), "1")
  L:says("Remove the two semaphore steps and some schedules read 0")
  local r = lab.interleave.explore{vars = {x = 0, y = 0},
    threads = {{{"write", "x", 42}}, {{"read", "x", "v"}, {"write", "y", "v"}}},
    expect = function(v) return v.y == 42 end}
  truthy(not r.ok)
  out = L:run(2)
  truthy(out:find("deadlock\t2", 1, true) and out:find("done\t4", 1, true), out)
end)

test("figures/os/paging", function()
  local L = lesson(M .. "02-memory-paging.md")
  local out = L:run(1)
  truthy(out:find("vpn 0x7f3a1  offset 0x2c4", 1, true), out)
  out = L:run(2)
  L:says("four tables, 16 KiB")
  truthy(out:find("3 pages mapped, tables per level: 1 1 1 1", 1, true), out)
  truthy(out:find("16384 bytes of tables, vs 512 GiB flat", 1, true), out)
  out = L:run(3)
  L:says("so 3 misses and 7 hits")
  truthy(out:find("^7\t3\t0.7\t221.0 ns per access"), out)
  out = L:run(4)
  truthy(out:find("fault   F F F   F F F   F F F F F F", 1, true), out)   -- FIFO: 12 faults
  out = L:run(5)
  L:says("The classic one faults 9 times with 3 frames and 10 times with 4")
  truthy(out:find("3 frames: 9 faults\n4 frames: 10 faults", 1, true), out)
  truthy(out:find("LRU anomaly found:\tfalse", 1, true), out)
end)

test("figures/os/event_loop", function()
  local L = lesson(M .. "07-event-loop.md")
  local out = L:run(1)
  local order = {}
  for msg in out:gmatch("ms  %S+%s+([^\n]+)") do order[#order + 1] = msg end
  eq(table.concat(order, "|"), "main starts|main ends|nextTick|promise|timeout|" ..
    "file read|immediate from I/O|timeout from I/O")
  L:says("Inside an I/O callback the immediate always comes before a zero timeout")
  out = L:run(2)
  truthy(out:find("startup 0 ms: immediate first\nstartup 1 ms: timeout first", 1, true), out)
  out = L:run(3)
  L:says("all three answer in about 52 ms")
  local rows = {}
  for m, p50, p99, kb in out:gmatch("(%a+)%s+p50%s+([%d.]+) ms%s+p99%s+([%d.]+) ms%s+(%d+) KiB") do
    rows[m] = {tonumber(p50), tonumber(p99), tonumber(kb)}
  end
  for _, m in ipairs{"loop", "threads", "pool"} do near(rows[m][1], 52, 1, m) end
  L:says("the requests queued behind it wait it out")
  truthy(rows.loop[2] > 4 * rows.threads[2], out)
  L:says("in a small fraction of the memory")
  truthy(rows.threads[3] > 10 * rows.loop[3], out)
  -- without blocking calls the three p50 are also about 52 ms
  for _, m in ipairs{"loop", "threads", "pool"} do
    local r = lab.eventloop.serve{model = m, requests = 2000, rate = 100, cpu_ms = 2,
      io_ms = 50, workers = 16, cores = 4}
    near(r.p50, 52, 1, m); truthy(r.p99 < 60, m)
  end
end)
