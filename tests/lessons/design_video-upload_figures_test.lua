-- The numbers lessons/14-design/06-video-upload.md quotes from its own
-- examples and from its reference designs, checked against the runs (see
-- tests/lessons/figures.lua).
dofile("tests/lessons/figures.lua")

local PATH = "lessons/14-design/06-video-upload.md"

-- the reference designs of the two lab.design stages (the lesson's
-- solutions: lint proves they pass; here their figures are pinned)
local TRANSCODE = {
  {name = "api", kind = "app", instances = 2,
   calls = {{to = "store", ops = "write"}, {to = "jobs", async = true}}},
  {name = "store", kind = "blob"},
  {name = "jobs", kind = "queue", calls = {{to = "transcode"}}},
  {name = "transcode", kind = "transcoder", instances = 320},
}
local PLAYBACK = {
  {name = "edge", kind = "cdn", memory = 10, calls = {{to = "origin"}}},
  {name = "origin", kind = "origin", instances = 2},
}

local function near(got, want, tol, what)
  if math.abs(got - want) > tol then
    error(("%s: %s, the lesson says %s"):format(what, got, want), 2)
  end
end

test("figures/design/video-upload/estimates", function()
  local L = lesson(PATH)
  -- the hints' rates and the transcoders' floor
  L:says("100,000 a day is 1.157 a second on average")
  near(100000 / 86400, 1.157, 0.0005, "average rate")
  L:says("3.47 videos a second, each holding a transcoder for 360 seconds")
  near(100000 * 3 / 86400, 3.47, 0.005, "peak rate")
  L:says("1,250 transcoders are busy on average at the peak")
  near(100000 * 3 / 86400 * 360, 1250, 1e-6, "busy transcoders")
  L:says("312.5 machines is the floor")
  L:says("A day brings 20 TB of originals")
  eq(100000 * 200 / 1e6, 20)
end)

test("figures/design/video-upload/headroom", function()
  local L = lesson(PATH)
  L:run(1)
  L:says("The wait falls off a cliff within a few dozen workers of the floor")
  local q = function(c)
    return L.env.lab.queue.erlang_c{arrival = 100000 * 3 / 86400,
      service = 1 / 360, servers = c}
  end
  truthy(q(1255).wait_p99 > 300)       -- minutes of waiting 5 above the floor
  truthy(q(1300).wait_p99 < 60)        -- under a minute 50 above it
  local out = L:run(2)
  L:says("A pool of 10 busy workers needs 7 spare; a pool of 1,000 needs 22, about 2%")
  assert(out:find("10\t17\tspare 70%", 1, true), out)
  assert(out:find("1000\t1022\tspare 2%", 1, true), out)
  -- the exercise's answer is not printed by an example
  assert(not out:find("1273", 1, true), out)
end)

test("figures/design/video-upload/naive", function()
  local L = lesson(PATH)
  local out = L:run(4)
  L:says("No upload succeeds")
  L:says("it is `api`, 100% busy, because each of its 100 workers")
  L:says("time out after 30 s")
  assert(out:find("p99 30 s, success 0%", 1, true), out)
  local r = L.env.r
  eq(r.bottleneck.name, "api")
  truthy(r.bottleneck.utilization > 0.99)
  eq(r.components.api.workers, 100)
  L:says("a pool saturated during the peak reads about 75% there")
  local few = {}
  for i, c in ipairs(TRANSCODE) do few[i] = c end
  few[4] = {name = "transcode", kind = "transcoder", instances = 300}
  local v = L.env.lab.design.run(few, L.env.peak, L.env.kinds)
  local t = v.components.transcode
  eq(t.busy, 1)                                  -- saturated at the peak
  truthy(t.utilization > 0.74 and t.utilization < 0.80)
end)

test("figures/design/video-upload/reference", function()
  local L = lesson(PATH)
  L:run(5)
  local lab = L.env.lab
  local v = lab.design.evaluate(TRANSCODE, L.env.upload)
  truthy(v.pass)
  L:says("| transcoding | upload p99 ≤ 1 s | 0.48 s |")
  near(v.figures.p99, 0.48, 0.005, "upload p99")
  L:says("| transcoding | lag p99 ≤ 7 min (420 s) | 6.2 min (369 s) |")
  near(v.figures.lag, 369, 0.5, "lag p99")
  L:says("| transcoding | cost ≤ $135,000 a month | $128,300 |")
  eq(v.figures.cost, 128300)
  v = lab.design.evaluate(PLAYBACK, L.env.playback)
  truthy(v.pass)
  L:says("| playback | p99 ≤ 250 ms | 0.18 s |")
  near(v.figures.p99, 0.18, 0.005, "playback p99")
  L:says("| playback | success ≥ 99.9% | 100% |")
  eq(v.figures.success, 1)
  L:says("$2,200 (the edge answers 78% of requests, cold start included)")
  eq(v.figures.cost, 2200)
  for _, r in ipairs(v.runs) do near(r.components.edge.hit_ratio, 0.78, 0.01, "hit ratio") end
  -- three origins alone carry the load, over the budget
  L:says("Three origins carry the load alone (2,000 × 50 ms is 100 busy workers of 120), for $3,000")
  v = lab.design.evaluate({{name = "origin", kind = "origin", instances = 3}}, L.env.playback)
  eq(v.figures.success, 1)
  eq(v.figures.cost, 3000)
  eq(v.requirement, "cost")
  L:says("each GB holds 500 segments")
  eq(1e9 / L.env.playback.workload.size, 500)
end)
