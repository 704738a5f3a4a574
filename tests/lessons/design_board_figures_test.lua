-- The numbers lessons/14-design/08-board.md quotes from its own runs and
-- arithmetic ("about a third are rejected", "about 39%", "about 30%",
-- "36.5 TB", the reference designs' figures): each is checked against
-- the run. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local P = "lessons/14-design/08-board.md"

-- the solution block of the exercise whose heading has {#ID}
local function solution(id)
  local f = assert(io.open(P, "rb"))
  local text = f:read("a")
  f:close()
  local from = assert(text:find("{#" .. id .. "}", 1, true), id)
  local s = assert(text:find("\n```solution\n", from, true), id)
  local e = assert(text:find("\n```\n", s + 1, true), id)
  return assert(load(text:sub(s + #"\n```solution\n", e), id, "t"))()
end

test("figures/design/board/estimates", function()
  local L = lesson(P)
  L:says("100 million saves of 1 KB a day is 36.5 TB a year")
  eq(100e6 * 1000 * 365, 36.5e12)
  L:says("about 116,000 a second at peak")
  truthy(math.abs(2 * 5e9 / 86400 - 116000) < 500)
  L:says("an eighth of 116,000: about 14,500 requests a second")
  truthy(math.abs(2 * 5e9 / 86400 / 8 - 14500) < 100)
end)

test("figures/design/board/one-database", function()
  local L = lesson(P)
  local out = L:run(1)
  L:says("A `db` instance has 20 workers and takes 5 ms a read")
  local db = lab.design.catalog.db
  eq(db.workers, 20)
  eq(db.latency, 0.005)
  L:says("about 4,000 reads a second: 6,000 is half again too many")
  eq(db.workers / db.latency, 4000)
  L:says("about a third are rejected")
  local success = grab(out, "success ([%d.]+)%%")
  truthy(success > 60 and success < 72, success)
  truthy(out:find("bottleneck: db, 100% busy", 1, true), out)
end)

test("figures/design/board/hot-shard", function()
  local L = lesson(P)
  local out = L:run(2)
  local H = 0
  for k = 1, 1e6 do H = H + k ^ -1.3 end
  L:says("all requests, about 26%")
  truthy(math.abs(1 / H - 0.26) < 0.005, 1 / H)
  local share = {}
  for i = 1, 4 do share[i] = grab(out, "shard" .. i .. " ([%d.]+)%%") end
  table.sort(share)
  L:says("gets about 39%, more than 5,600 requests a second")
  truthy(math.abs(share[4] - 39) < 1, share[4])
  truthy(share[4] / 100 * 14500 > 5600)
  L:says("two other shards get about 13% each")
  truthy(math.abs(share[1] - 13) < 1 and math.abs(share[2] - 13) < 1)
  L:says("it is 100% busy")
  L:says("p99 is well over 100 ms")
  truthy(grab(out, "p99 (%d+) ms") > 100)
  truthy(out:find("100% busy", 1, true), out)
  L:says("board 1 lives on `shard2`")
  truthy(out:find("board 1 is on shard2", 1, true), out)
  truthy(out:find("bottleneck shard2", 1, true), out)
  -- eight shards: the exercise's answer, quoted after it
  L:says("from about 39% to about 30%")
  local r = lab.design.run(L.env.shards(8), L.env.viral)
  local top = 0
  for i = 1, 8 do
    top = math.max(top, r.components["shard" .. i].arrivals / r.requests)
  end
  truthy(math.abs(top - 0.30) < 0.01, top)
  L:says("never under the board's own 26%")
  truthy(top > 1 / H)
end)

test("figures/design/board/reference", function()
  local L = lesson(P)
  local function worst(design, workload, req)
    local v = lab.design.evaluate(design, {workload = workload,
      requirements = req, seeds = {1, 2, 3}})
    truthy(v.pass, v.missed)
    return v.figures
  end
  local f = worst(solution("shards"), {rate = 6000, writes = 0.02,
    keys = 1e6, skew = 0.99, duration = 6, drain = 2},
    {p99 = 0.05, success = 0.99, cost = 1500})
  L:says("| shards | p99 at most 50 ms | 31 ms |")
  eq(math.floor(f.p99 * 1000 + 0.5), 31)
  L:says("| shards | answered at least 99% | 100% |")
  eq(f.success, 1)
  L:says("| shards | cost at most $1,500 | $1,300 |")
  eq(f.cost, 1300)
  f = worst(solution("viral"), {rate = 14500, writes = 0.02, keys = 1e6,
    skew = 1.3, size = 1000, duration = 6, drain = 2,
    faults = {{component = "shard1", at = 2, ["until"] = 4}}},
    {p99 = 0.05, success = 0.95, write_success = 0.9, cost = 4000})
  L:says("| viral | p99 at most 50 ms | 24 ms |")
  eq(math.floor(f.p99 * 1000 + 0.5), 24)
  L:says("| viral | answered at least 95% | 97.2% |")
  eq(math.floor(f.success * 1000 + 0.5), 972)
  L:says("| viral | saves answered at least 90% | 95.3% |")
  eq(math.floor(f.write_success * 1000 + 0.5), 953)
  L:says("| viral | cost at most $4,000 | $2,660 |")
  eq(f.cost, 2660)
end)
