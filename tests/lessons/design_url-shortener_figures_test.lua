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

local function pct(x) return math.floor(x * 100 + 0.5) end

test("figures/design/url-shortener/arithmetic", function()
  local L = lesson("lessons/14-design/01-url-shortener.md")
  eq(30 * 86400, 2592000)
  L:says("a month of 30 days has 2 592 000")
  eq(math.floor(62 ^ 5 / 1e6 + 0.5), 916)
  L:says("62^5 is about 916 million")
  eq(math.floor(62 ^ 6 / 1e8 + 0.5) / 10, 56.8)
  L:says("62^6 about 56.8 billion")
  eq(math.floor(62 ^ 7 / 1e11 + 0.5) / 10, 3.5)
  L:says("62^7 about 3.5 trillion")
  eq(62 ^ 7 // 1 | 0, 3521614606208)
  L:says("0 ≤ id < 62^7 (3 521 614 606 208")
end)

test("figures/design/url-shortener/catalog", function()
  local L = lesson("lessons/14-design/01-url-shortener.md")
  local out = L:run(2)
  local db = lab.design.catalog.db
  eq(db.workers, 20) eq(db.latency, 0.005)
  truthy(out:find("db%s+20 workers%s+5%.0 ms"), out)
  L:says("a `db` of 20 workers at 5 ms a read serves at most 20 / 0.005 = 4 000 reads a second")
  eq(lab.design.catalog.app.workers, 50) eq(lab.design.catalog.app.latency, 0.004)
  L:says("an app server's 50 workers are busy for the whole of a request, its own 4 ms")
  eq(lab.design.catalog.cache.memory_price, 10)
end)

test("figures/design/url-shortener/runs", function()
  local L = lesson("lessons/14-design/01-url-shortener.md")
  local out = L:run(3)
  truthy(out:find("total $900 a month", 1, true), out)
  out = L:run(4)
  local p99 = grab(out, "p99 (%d+) ms")
  eq(grab(out, "cost %$(%d+)"), 900)
  L:says(("the database is %d %% busy and the four app servers %d %%, and the p99 is %d ms"):format(
    grab(out, "db%s+(%d+)%% busy"), grab(out, "web%s+(%d+)%% busy"), p99))
  L:says("it costs $900 a month")

  out = L:run(5)
  L:says(("%s requests, and success falls to %s %%"):format(
    (("%d"):format(grab(out, "db%s+%d+%% busy%s+(%d+) rejected")):gsub("^(%d+)(%d%d%d)$", "%1 %2")),
    out:match("success ([%d.]+)%%")))
  eq(grab(out, "db%s+(%d+)%% busy"), 100)
  L:says(("The p99 rises to %d ms"):format(grab(out, "p99 (%d+) ms")))

  out = L:run(6)
  local hits = grab(out, "cache.-hit ratio ([%d.]+)")
  L:says(("The cache answers %d %% of reads"):format(pct(hits)))
  L:says(("it answered %d %% of reads at the `heavy` load"):format(pct(hits)))
  L:says(("the database, at %d %% busy, keeps up: the p99 is back to %d ms"):format(
    grab(out, "db%s+(%d+)%% busy"), grab(out, "p99 (%d+) ms")))
  eq(0.5 * 1e9 // 500, 1e6)
  L:says("here a million, every code there is")

  out = L:run(7)
  L:says(("Success falls to %s %%"):format(out:match("success ([%d.]+)%%")))
end)

test("figures/design/url-shortener/read-bottleneck", function()
  local L = lesson("lessons/14-design/01-url-shortener.md")
  L:run(4)
  local mark = #L.out
  L.env.report({
    {name = "web", kind = "app", instances = 3, calls = {{to = "cache"}}},
    {name = "cache", kind = "cache", memory = 0.5,
     calls = {{to = "primary", ops = "write"}, {to = "replicas", ops = "read"}}},
    {name = "primary", kind = "db"},
    {name = "replicas", kind = "replica"}},
    {rate = 11000, writes = 0.01, keys = 1000000, size = 500, skew = 0.99,
     duration = 20, seed = 1})
  local got = table.concat(L.out, "\n", mark + 1)
  local f = assert(io.open("lessons/14-design/01-url-shortener.md", "rb"))
  local text = f:read("a")
  f:close()
  truthy(text:find("```text\n" .. got .. "\n```", 1, true), got)
  L:says("at 11 000 requests a second")
end)

test("figures/design/url-shortener/predict-hits", function()
  -- the 0.001 GB cache's hit ratio sits far from the wrong answers the
  -- check names (a fifth of a percent; the 0.5 GB cache's 60 %)
  local r = lab.design.run({
    {name = "web", kind = "app", instances = 4, calls = {{to = "cache"}}},
    {name = "cache", kind = "cache", memory = 0.001, calls = {{to = "db"}}},
    {name = "db", kind = "db"}},
    {rate = 5000, writes = 0.01, keys = 1000000, size = 500, skew = 0.99,
     duration = 20, seed = 1})
  local h = r.components.cache.hit_ratio
  truthy(h > 0.3 and h < 0.55, h)
end)

test("figures/design/url-shortener/years-of-ids", function()
  local L = lesson("lessons/14-design/01-url-shortener.md")
  local years = 62 ^ 7 / (100e6 * 12)
  eq(math.floor(years / 100 + 0.5) * 100, 2900)
  L:says("about 2 900 years of ids at our rate")
end)

test("figures/design/url-shortener/scramble", function()
  -- a multiplication modulo 62^7 is one-to-one only for a constant
  -- coprime to 62 = 2 x 31: an odd multiple of 31 sends two ids to 0
  local L = lesson("lessons/14-design/01-url-shortener.md")
  local M = 3521614606208
  local id = 2 ^ 7 * 31 ^ 6 // 1 | 0
  eq(id * 31 % M, 0)
  truthy(id ~= 0 and id < M)
  L:says("62 is 2 × 31, so the constant must be odd *and* not a multiple of 31")
  L:says("the ids 0 and 2^7 × 31^6 both give 0")
end)
