-- The claims lessons/09-architecture/01-styles.md makes about the runs it
-- asks the learner to do (section "Measure cold starts" and the exercises
-- after it), checked on lab.serverless. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local L = lesson("lessons/09-architecture/01-styles.md")

test("figures/architecture/rare_cold", function()
  -- rare-cold: 12 calls an hour, 100 ms, 15 min idle: e^-3 = 4.98 % cold,
  -- and the simulator agrees over a simulated year
  L:says("over a simulated year")
  local r = lab.serverless.simulate{rate = 12 / 3600, seconds = 365 * 86400, work = 0.1,
                                    idle_timeout = 900}
  near(r.cold_rate, math.exp(-3), 0.004)
  truthy(r.requests > 100000, r.requests)
end)

test("figures/architecture/step_storm", function()
  -- step-storm: with the previous exercise's step, both runs create more
  -- environments in the second bucket than Little's 90, more with a 1 s
  -- Init, and nothing is reclaimed
  L:says("Both are more than Little's")
  L:says("`r.reclaimed` stays 0")
  local cold = {}
  for _, cs in ipairs{0, 1} do
    local r = lab.serverless.simulate{rate = 40, seconds = 600, work = 0.25, cold_start = cs,
                                      steps = {{at = 300, rate = 400}}, bucket = 300}
    eq(#r.timeline.cold, 2)
    cold[cs] = r.timeline.cold[2]
    eq(r.reclaimed, 0)
    truthy(cold[cs] > 90, cold[cs])
  end
  truthy(cold[1] > cold[0] + 50, ("%d vs %d"):format(cold[1], cold[0]))
end)
