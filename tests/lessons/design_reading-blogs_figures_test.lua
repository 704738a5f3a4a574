-- The claims lessons/14-design/09-reading-blogs.md makes about its own
-- runs ("a third of the data where hashing moves two thirds", "two orders
-- of magnitude", "about 70 years"): each is checked against the example's
-- output. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local P = "lessons/14-design/09-reading-blogs.md"

test("figures/design/reading-blogs/years", function()
  local L = lesson(P)
  L:says("Instagram's 41 bits last about 70 years, not 41")
  local years = 2 ^ 41 / 1000 / 86400 / 365.25
  truthy(math.abs(years - 70) < 0.5)
end)

test("figures/design/reading-blogs/logical-shards", function()
  local L = lesson(P)
  local out = L:run(1)
  L:says("logical shards move a third of the data where hashing onto servers moves two thirds")
  local fixed = grab(out, "fixed%s+([%d.]+)")
  local mod = grab(out, "mod%s+([%d.]+)")
  truthy(math.abs(fixed - 1 / 3) < 0.01, fixed)
  truthy(math.abs(mod - 2 / 3) < 0.01, mod)
end)

test("figures/design/reading-blogs/master-only", function()
  local L = lesson(P)
  local out = L:run(2)
  L:says("reading replicas breaks read-your-writes")
  truthy(grab(out, "any.-missed own write (%d+)") > 0)
  eq(grab(out, "leader.-missed own write (%d+)"), 0)
end)

test("figures/design/reading-blogs/leases", function()
  local L = lesson(P)
  local out = L:run(3)
  L:says("The lab lowered the peak by two orders of magnitude")
  L:says("by about 13 times (17K/s to 1.3K/s)")
  local none = grab(out, "none.-at most (%d+) at once")
  local co = grab(out, "coalesce.-at most (%d+) at once")
  truthy(none / co >= 100 and none / co < 1000, none .. "/" .. co)
  truthy(math.abs(17 / 1.3 - 13) < 0.2)
end)
