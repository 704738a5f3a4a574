-- The numbers lessons/14-design/02-rate-limiter.md quotes from its own
-- examples. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local P = "lessons/14-design/02-rate-limiter.md"

test("figures/design/rate-limiter/price-of-asking", function()
  local L = lesson(P)
  local out = L:run(1)
  local none = grab(out, "no limiter%s+p50%s+([%d.]+)")
  local shared = grab(out, "shared limiter%s+p50%s+([%d.]+)")
  L:says("The shared limiter adds about half a millisecond to the median")
  truthy(shared - none > 0.3 and shared - none < 0.8)
  L:says("slowed down, it fails 2.7 % of all requests")
  eq(grab(out, "limiter slow.-success ([%d.]+)"), 0.973)
  eq(grab(out, "shared limiter.-success ([%d.]+)"), 1)
end)
