-- Lua tests of lab.pipeline: the page's example (its printed numbers are
-- pinned here), needs given as a name or a list, the result's fields, the
-- chart, determinism, and the errors a learner meets.

local jobs = {
  {name = "build", duration = 300, cache = 60},
  {name = "lint", duration = 60},
  {name = "unit", duration = 240, needs = "build"},
  {name = "e2e", duration = 600, needs = "build", flaky = 0.2},
  {name = "deploy", duration = 120, gate = true},
}

test("pipeline/page_example", function()
  local r = lab.pipeline.run{jobs = jobs, workers = 2, retries = 1, seed = 3}
  eq(r.passed, true); eq(r.makespan, 1020); eq(r.critical, 1020)
  eq(table.concat(r.critical_path, " -> "), "build -> e2e -> deploy")
  eq(r.jobs.unit.slack, 360); eq(r.jobs.e2e.attempts, 1)
  eq(r.runners, 2); eq(r.work, 1320)
  truthy(math.abs(r.utilisation - 1320 / 2040) < 1e-12)
  eq(r.jobs.deploy.ready, 900); eq(r.jobs.deploy.start, 900)
  eq(r.jobs.unit.runner ~= r.jobs.e2e.runner, true)
  eq(#r.started, 5); eq(r.started[1], "build")
end)

test("pipeline/warm_and_one_runner", function()
  local r = lab.pipeline.run{jobs = jobs, workers = 1, warm = true}
  eq(r.makespan, 1080); eq(r.work, 1080); eq(r.utilisation, 1.0)
  eq(r.critical, 780)
  eq(r.jobs.e2e.wait, 300)                 -- ready at 60, starts after lint and unit
  local c, path = lab.pipeline.critical_path{jobs = jobs, warm = true}
  eq(c, 780); eq(table.concat(path, ","), "build,e2e,deploy")
  local cold = lab.pipeline.critical_path{jobs = jobs}
  eq(cold, 1020)
end)

test("pipeline/flaky_and_skip", function()
  local failed, seen = 0, {}
  for seed = 1, 60 do
    local r = lab.pipeline.run{jobs = jobs, workers = 2, seed = seed}
    local again = lab.pipeline.run{jobs = jobs, workers = 2, seed = seed}
    eq(r.makespan, again.makespan)           -- a seed replays its run
    if not r.passed then
      failed = failed + 1
      eq(r.failed, "e2e"); eq(r.jobs.e2e.status, "failed")
      eq(r.jobs.deploy.status, "skipped"); eq(r.jobs.deploy.start, nil)
      eq(r.jobs.deploy.attempts, 0)
      truthy(r.chart:find("deploy |%s*%-+|"), r.chart)
    end
    seen[r.passed] = true
  end
  truthy(failed > 3 and failed < 25, failed .. " of 60 failed at p = 0.2")
  truthy(seen[true] and seen[false])
end)

test("pipeline/retry_costs_time", function()
  local r
  for seed = 1, 200 do
    r = lab.pipeline.run{jobs = {{name = "t", duration = 10, flaky = 0.5}}, retries = 3, seed = seed}
    if r.jobs.t.attempts == 2 and r.passed then break end
  end
  eq(r.jobs.t.attempts, 2); eq(r.makespan, 20); eq(r.work, 20)
  truthy(r.chart:find("t    |x+#+|"), r.chart)
end)

test("pipeline/chart", function()
  local r = lab.pipeline.run{jobs = jobs, workers = 1}
  local lines = {}
  for l in r.chart:gmatch("[^\n]+") do lines[#lines + 1] = l end
  eq(#lines, 5)
  truthy(lines[2]:find("^lint   |%.*#+"), lines[2])   -- waits while build runs
  for _, l in ipairs(lines) do eq(utf8.len(l), 7 + 62) end
end)

test("pipeline/errors", function()
  local function err(opts) local ok, e = pcall(lab.pipeline.run, opts); eq(ok, false); return e end
  truthy(err{jobs = {{name = "a", duration = 1, needs = "b"}, {name = "b", duration = 1, needs = {"a"}}}}
    :find("a cycle: b %-> a %-> b"))
  truthy(err{jobs = {{name = "e2e", duration = 1, needs = "biuld"}}}
    :find("job 'e2e' needs 'biuld', which is not a job of this pipeline", 1, true))
  truthy(err{jobs = {{name = "a", duration = 1}, {name = "a", duration = 2}}}:find("two jobs are named 'a'", 1, true))
  truthy(err{jobs = {}}:find("at least one job"))
  truthy(err{jobs = {{name = "a", duration = 0}}}:find("duration"))
  truthy(err{jobs = {{name = "a", duration = 5, cache = 9}}}:find("cannot be slower"))
  truthy(err{jobs = {{name = "a", duration = 5, flaky = 1}}}:find("flaky"))
  truthy(err{jobs = {{name = "a", duration = 5, needs = {3}}}}:find("needs must name jobs"))
  truthy(err{jobs = {{name = "a", duration = 5}}, order = "fastest"}:find("listed critical"))
  truthy(err{jobs = {{name = "a", durration = 5}}}:find("did you mean 'duration'"))
end)
