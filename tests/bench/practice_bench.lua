-- tests/bench/practice_bench.lua — lab.pipeline and lab.reconcile at the
-- sizes of their limits: a 2,000-job pipeline on 8 runners, and plans and
-- a 100-round control loop over 500 resources.

print("lab.pipeline and lab.reconcile (median of 5)")
local r = lab.rand.new(1)
local jobs = {}
for i = 1, 2000 do
  local needs = {}
  for _ = 1, (i > 1 and r:int(0, 3) or 0) do needs[#needs + 1] = "j" .. r:int(1, i - 1) end
  jobs[i] = {name = "j" .. i, duration = r:int(1, 600), needs = needs, flaky = 0.01}
end
local t = median_time(5, function() lab.pipeline.run{jobs = jobs, workers = 8, retries = 1} end)
report("pipeline of 2,000 jobs on 8 runners, one run", t * 1e3, " ms")
t = median_time(5, function() lab.pipeline.critical_path{jobs = jobs} end)
report("critical path of 2,000 jobs", t * 1e3, " ms")

local want = {}
for i = 1, 500 do
  local deps = i > 1 and {"r" .. r:int(1, i - 1)} or nil
  want[i] = {id = "r" .. i, type = "vm", attrs = {size = r:int(1, 4), zone = "z" .. r:int(1, 3)},
    depends_on = deps}
end
local have = lab.reconcile.apply(want, {})
for i = 1, 500, 7 do have[i].attrs.size = 99 end
t = median_time(5, function() lab.reconcile.plan(want, have) end)
report("plan over 500 resources (72 to update)", t * 1e3, " ms")
t = median_time(5, function()
  lab.reconcile.loop{desired = want, interval = 10, time = 990, fail = 0.1, seed = 2}
end)
report("control loop, 100 rounds over 500 resources", t * 1e3, " ms")
