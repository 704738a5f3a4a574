-- The numbers the observability lessons quote from their own examples:
-- each is produced here by the example itself and found in the prose, so
-- prose and lab cannot drift apart. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local M = "lessons/11-observability/"

local function nums(out)
  local t = {}
  for x in out:gmatch("%-?[%d.]+") do t[#t + 1] = tonumber(x) end
  return t
end

test("figures/observability/signals", function()
  local L = lesson(M .. "01-signals.md")
  eq(nums(L:run(1))[1], 6)
  L:says("Six series for two methods and three codes")
  local n = nums(L:run(2))
  eq(n[1], 24); L:says("`path` and `status` give 24 series")
  L:says(("the same 3,000 requests make %d series"):format(n[2]))
end)

test("figures/observability/metrics", function()
  local L = lesson(M .. "02-metrics.md")
  local out = L:run(2)
  truthy(out:find("line 1, column 26: the label value has no closing quote", 1, true), out)
  local n = nums(L:run(3))
  eq(n[1], 120); eq(n[2], 90); eq(n[3], 2)
  L:says("90 more over 45 seconds")
  L:says("so the 90 is scaled to 60 s: 120, and the rate is 2")
end)

test("figures/observability/percentiles", function()
  local L = lesson(M .. "03-percentiles.md")
  local n = nums(L:run(1))
  eq(n[4], 0.15); L:says("halfway from 0.1 to 0.2: 0.15")
  n = nums(L:run(2))
  eq(n[1], 0.0099); eq(n[2], 2); near(n[3], 1.005, 0.001); eq(n[4], 1.5)
  L:says("the two p99s come out as 0.0099 s and 2 s, and their average as about 1 s")
  L:says("the service's p99 is 1.5 s")
  n = nums(L:run(3))
  eq(n[1], 23552); eq(n[2], 188416)
  L:says("23,552 counters, 184 KiB")
  n = nums(L:run(4))
  eq(n[1], 1000)
  near(n[2] / 1e6, 98, 0.1)
  L:says("the p99 is 1 ms; corrected, it is about 98 s")
end)

test("figures/observability/logs", function()
  local L = lesson(M .. "04-logs.md")
  local n = nums(L:run(3))
  L:says(("About a thousand lines either way (%d and %d)"):format(n[1], n[3]))
  L:says(("sampled by line, %d of the 1,000 traces survive whole, sampled by trace %d do"):format(n[2], n[4]))
end)

test("figures/observability/tracing", function()
  local L = lesson(M .. "05-tracing.md")
  local out = L:run(4)
  truthy(out:find("prices%s+self%s+44%s+on the path%s+0"), out)
  L:says("`prices` is off the path")
end)

test("figures/observability/slos", function()
  local L = lesson(M .. "06-slos.md")
  eq(nums(L:run(1))[1], 43.2)
  L:says("allows 43.2 minutes of total outage")
  local out = L:run(2)
  local t = {}
  for name, at, pct in out:gmatch("(%S+)%s+fires%s+(%d+) s in,%s+([%d.]+) %%") do t[name] = {tonumber(at), pct} end
  L:says(("the 1 h rule fires %d s in, with %s %% of the budget spent"):format(t["page-1h"][1], t["page-1h"][2]))
  L:says(("the 6 h rule at %d s (%s %%)"):format(t["page-6h"][1], t["page-6h"][2]))
  L:says(("the ticket at %d s (%s %%)"):format(t["ticket-3d"][1], t["ticket-3d"][2]))
  local d = grab(L:run(3), "page%-1h%s+([%d.]+)")
  L:says(("(%g s here)"):format(d))
end)

test("figures/observability/testing-in-production", function()
  local L = lesson(M .. "07-testing-in-production.md")
  local v = nums(L:run(1))[1]
  L:says(("spends %.1f %% of the month's budget"):format(100 * v))
  L:says(("would spend %d %%"):format(math.floor(100 * v / 0.05 + 0.5)))
end)
