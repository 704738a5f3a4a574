-- The numbers lessons/14-design/01-url-shortener.md quotes from its own
-- examples: each is produced here by the example itself and found in the
-- prose, so prose and simulation cannot drift apart. See
-- tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

test("figures/design/url-shortener/collisions", function()
  local L = lesson("lessons/14-design/01-url-shortener.md")
  local out = L:run(1)
  local n = grab(out, "300 URLs, (%d+) collisions")
  L:says(("The run has %d collisions, close to the bound's %d."):format(n,
    math.floor(300 * 300 / (2 * 4096) + 0.5)))
  -- the arithmetic the prose quotes beside it
  L:says("about 300²/(2 × 4 096) collisions")
  local five_years = 100e6 * 12 * 5
  eq(math.floor(five_years ^ 2 / (2 * 62 ^ 7) / 1e6 + 0.5), 5)
  L:says("share codes about 5 million times")
end)
