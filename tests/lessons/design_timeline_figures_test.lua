-- The numbers lessons/14-design/03-timeline.md quotes from its own examples:
-- each is produced here by the example itself and found in the prose. See
-- tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local function commas(n)
  local s = ("%d"):format(n)
  repeat local k; s, k = s:gsub("^(%d+)(%d%d%d)", "%1,%2") until k == 0
  return s
end

test("figures/design/timeline", function()
  local L = lesson("lessons/14-design/03-timeline.md")
  local out = L:run(1)
  eq(grab(out, "last follower after ([%d.]+) s"), 50)
  L:says("How many seconds pass before the last follower")
  out = L:run(2)
  local wl = grab(out, "write%s+lag p99%s+([%d.]+) s")
  local wr = grab(out, "write%s+lag p99.-read p99%s+([%d.]+) ms")
  local ww = grab(out, "write%s+lag.-ms%s+(%d+) writes/s")
  L:says(("fastest reads (%.1f ms: one cache lookup)"):format(wr))
  L:says(("a delivery lag p99 of %.2f s"):format(wl))
  L:says(("asked for %s writes a second"):format(commas(ww)))
  truthy(ww > 3 * 40000, "more than three times what it can do")
  local rr = grab(out, "\nread%s+lag p99%s+[%d.]+ s%s+read p99%s+([%d.]+) ms")
  L:says(("a read p99 of %.1f ms"):format(rr))
  local hl = grab(out, "hybrid%s+lag p99%s+([%d.]+) s")
  local hr = grab(out, "hybrid%s+lag p99.-read p99%s+([%d.]+) ms")
  local hw = grab(out, "hybrid.-ms%s+(%d+) writes/s")
  L:says(("lag p99 %.2f s, read p99 %.1f ms"):format(hl, hr))
  L:says(("%s writes a second"):format(commas(hw)))
  out = L:run(3)
  local t1 = grab(out, "threshold%s+1000: lag p99%s+[%d.]+ s, read p99%s+([%d.]+) ms")
  L:says(("At 1,000 followers the read p99 is %.1f ms"):format(t1))
  truthy(t1 > 10)
  local t4 = grab(out, "threshold%s+10000: lag p99%s+([%d.]+) s, read p99%s+([%d.]+) ms")
  local t4r = grab(out, "threshold%s+10000: lag p99%s+[%d.]+ s, read p99%s+([%d.]+) ms")
  truthy(t4 <= 5 and t4r <= 10, "10,000 meets both")
  local t7 = grab(out, "threshold%s+3000000: lag p99%s+([%d.]+) s")
  L:says(("the lag is back to %.2f s"):format(t7))
  -- 1,000,000 meets both too (the prose says "from 10,000 to 1,000,000")
  local r = lab.feed.run{duration = 30, seed = 1, celebrities = 2, celebrity_followers = 2e6,
                         celebrity_posts = 0.05, strategy = "hybrid", threshold = 1e6}
  truthy(r.lag_p99 <= 5 and r.read_p99 <= 0.010)
  L:says("Anywhere from 10,000 to 1,000,000 meets both requirements here")

  -- the read path: the no-cache design
  out = L:run(4)
  local busy = grab(out, "rebuild: (%d+)%% busy")
  L:says(("Four rebuilders are %d %% busy"):format(busy))
  local p99 = grab(out, "p99 latency (%d+) ms")
  truthy(p99 > 2 * 250, "over twice the limit")
  L:says("the p99 is over twice the limit")
  local six = {
    {name = "lb", kind = "lb", calls = {{to = "app"}}},
    {name = "app", kind = "app", instances = 3,
     calls = {{to = "rebuild", ops = "read", timeout = 1}, {to = "db", ops = "write", timeout = 1}}},
    {name = "rebuild", kind = "rebuild", instances = 6, calls = {{to = "db"}}},
    {name = "db", kind = "db"},
  }
  local v = lab.design.evaluate(six, L.env.problem)
  eq(v.requirement, "cost")              -- latency and success met: only the cost misses
  L:says(("meet the latency and the failure, and cost $%s a month"):format(commas(v.figures.cost)))
end)

