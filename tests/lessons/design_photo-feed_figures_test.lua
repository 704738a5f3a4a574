-- The numbers lessons/14-design/05-photo-feed.md quotes from its own
-- examples: each is produced here by the example itself and found in the
-- prose. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local function commas(n)
  local s = ("%d"):format(n)
  repeat local k; s, k = s:gsub("^(%d+)(%d%d%d)", "%1,%2") until k == 0
  return s
end

test("figures/design/photo-feed", function()
  local L = lesson("lessons/14-design/05-photo-feed.md")
  -- the estimates the prose states after the exercises
  L:says("That is 3.65 PB")
  near(1e7 * 1e6 * 365 / 1e15, 3.65, 1e-9)
  L:says("about 11 PB of disks a year")
  L:says("300 TB a day is 3.5 GB a second on average, about 28 Gbit/s")
  near(2e9 * 150e3 / 86400 / 1e9, 3.47, 0.01)
  near(2e9 * 150e3 * 8 / 86400 / 1e9, 27.8, 0.1)
  local out = L:run(1)
  local big = "threshold%s+10000000: lag p99%s+([%d.]+) s, read p99%s+[%d.]+ ms,%s+(%d+) writes/s"
  local lag = grab(out, big)
  local w = grab(out, "threshold%s+10000000: lag p99%s+[%d.]+ s, read p99%s+[%d.]+ ms,%s+(%d+) writes/s")
  L:says(("is asked for %s and the lag p99 is %.2f s"):format(commas(w), lag))
  L:says(("The run above asked for less (%s)"):format(commas(w)))
  truthy(w < 750000)
  local r1 = grab(out, "threshold%s+1000: lag p99%s+[%d.]+ s, read p99%s+([%d.]+) ms")
  L:says(("(%.1f ms at p99)"):format(r1))
  local l5 = grab(out, "threshold%s+100000: lag p99%s+([%d.]+) s")
  local r5 = grab(out, "threshold%s+100000: lag p99%s+[%d.]+ s, read p99%s+([%d.]+) ms")
  truthy(l5 < 1 and r5 < 5, "at 100,000 both are small")
  out = L:run(2)
  local h = grab(out, "2.0 GB: hit ratio ([%d.]+)")
  L:says(("the hit ratio stays near %.2f"):format(h))
  L:says("All 10,000 photos take 2 GB")
  eq(10000 * 200000, 2e9)
end)
