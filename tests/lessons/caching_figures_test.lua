-- The numbers the caching lessons quote from their own examples: each is
-- produced here by the example itself, and found in the prose, so prose and
-- simulation cannot drift apart. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local function pct(x) return math.floor(x * 100 + 0.5) end

test("figures/caching/basics", function()
  local L = lesson("lessons/05-caching/01-basics.md")
  local out = L:run(2)
  local h = grab(out, "hit ratio ([%d.]+)")
  local measured = grab(out, "measured%s+([%d.]+) ms")
  eq(measured, grab(out, "formula%s+([%d.]+) ms"))     -- "agree exactly"
  L:says("The two lines agree exactly")
  L:says(("averaged %.2f ms"):format(measured))
  L:says(("It still hits %d%% of the time"):format(pct(h)))
  out = L:run(5)
  local first = grab(out, "first block ([%d.]+)")
  local last = grab(out, "last block ([%d.]+)")
  L:says(("The first block hits %d%%, the warm cache about %d%%"):format(pct(first),
    pct(last)))
  -- the 100 most recently used keys of the trace span the last N requests
  local trace, seen, n, span = L.env.trace, {}, 0, nil
  for i = #trace, 1, -1 do
    if not seen[trace[i]] then
      seen[trace[i]], n = true, n + 1
      if n == 100 then span = #trace - i + 1 break end
    end
  end
  L:says(("span only the last %d requests"):format(span))
end)
