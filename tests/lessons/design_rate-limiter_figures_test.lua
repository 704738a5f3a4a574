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

test("figures/design/rate-limiter/local-buckets", function()
  local L = lesson(P)
  local out = L:run(2)
  L:says("The run answers 85.9 %")
  eq(grab(out, "900/s sent: ([%d.]+)%% answered"), 85.9)
  L:says("about the limit (1,049 a second")
  eq(grab(out, "2000/s sent: [%d.]+%% answered, (%d+)/s admitted"), 1049)
  -- the refusals are where the busy machines land: some gateway refuses
  -- at 900/s while another refuses nothing
  local first = out:match("900/s sent.-\n(.-)2000/s")
  local most, least = 0, math.huge
  for n in first:gmatch("(%d+) refused") do
    n = tonumber(n)
    most, least = math.max(most, n), math.min(least, n)
  end
  truthy(most > 1000 and least == 0, first)
end)
