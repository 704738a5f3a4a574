-- The numbers the practice lessons quote: each is produced here by the
-- lesson's own examples (or lab.pipeline on the lesson's pipeline), and
-- found in the prose, so prose and runs cannot drift apart.
dofile("tests/lessons/figures.lua")

test("figures/practice/ci-cd", function()
  local L = lesson("lessons/13-practice/01-ci-cd.md")
  local out = L:run(1)
  local jobs = L.env.jobs
  local makespan, work = out:match("makespan (%d+) s, work (%d+) runner%-seconds")
  eq(tonumber(work), 1800)
  L:says("With one runner the pipeline takes its total work, 1800 s")
  eq(tonumber(makespan), 1230)
  local r = lab.pipeline.run{jobs = jobs}
  eq(r.critical, 1050)                            -- the first exercise's answer
  out = L:run(2)
  eq(grab(out, "unit%s+slack%s+(%d+)"), 420)
  eq(grab(out, "integration%s+slack%s+(%d+)"), 180)
  L:says("`unit` has 420 s of slack")
  L:says("`integration` has 180 s of slack")
  local halved = {}
  for i, j in ipairs(jobs) do
    halved[i] = {name = j.name, duration = j.name == "build" and j.duration / 2 or j.duration,
      needs = j.needs, gate = j.gate}
  end
  eq(1050 - lab.pipeline.critical_path{jobs = halved}, 120)
  L:says("every second saved there is a second off the pipeline: 120 s")
  L:says("(deps, build, e2e, deploy)")
  eq(table.concat(r.critical_path, ","), "deps,build,e2e,deploy")
  local warm = lab.pipeline.critical_path{jobs = jobs, warm = true}
  eq(warm, 855)                                   -- a wrong answer names it
  -- four jobs become ready when build ends (the hint)
  local ready = 0
  for _, j in ipairs(jobs) do
    if j.needs and j.needs[1] == "build" then ready = ready + 1 end
  end
  eq(ready, 4)
  L:says("When `build` ends, four jobs become ready")
  -- the flaky example: 20 suites at 2 %: about 33 % fail, about 0.8 % with a retry
  out = L:run(4)
  local none = tonumber(out:match("retries 0: ([%d.]+)%%"))
  local one = tonumber(out:match("retries 1: ([%d.]+)%%"))
  truthy(math.abs(none - 100 * (1 - 0.98 ^ 20)) < 3, out)
  truthy(one < 2, out)
end)

test("figures/practice/testing", function()
  local L = lesson("lessons/13-practice/02-testing.md")
  local out = L:run(1)
  eq(out, "0\t499\n9500\t9999\n0\t299\nnil")
  out = L:run(2)
  eq(out, "weak test passed")
  -- "Change `>=` to `>` in `if first >= size` and it still passes"
  L:says("Change `>=` to `>` in `if first >= size` and it still passes")
  local src = L.examples[1]:match("function parse_range.-\nend\n")
  local mutant = load("local " .. src:gsub("if first >= size then", "if first > size then")
    .. "\nreturn parse_range")()
  local weak = L.env.weak_test
  truthy(weak == nil)                    -- local to its example: rebuild it
  local function weak_test(p)
    assert(p("bytes=0-499", 10000))
    p("bytes=-500", 300); p("bytes=-0", 10); p("bytes=20-", 10)
    p("bytes=5-2", 10); p("bytes=0-99", 10); p("nonsense", 10)
  end
  truthy(L.examples[2]:find("assert(p(\"bytes=0-499\", 10000))", 1, true))
  truthy(pcall(weak_test, mutant))
  eq(select(1, mutant("bytes=10-19", 10)), 10)     -- the feedback's "returns 10, 9"
  eq(select(2, mutant("bytes=10-19", 10)), 9)
  L:says("the mutant returns 10, 9")
end)

test("figures/practice/desired-state", function()
  local L = lesson("lessons/13-practice/03-desired-state.md")
  local out = L:run(1)
  -- the first plan creates everything, each after what it depends on; the
  -- second is empty
  eq(out, "create\tnet\t\ncreate\tdb\t\ncreate\tcache\t\ncreate\tapp\t\n(nothing to do)")
  L:says("The first plan creates everything")
  L:says("The second plan is empty")
  local want = L.env.want
  -- the loop example: drifts at 100 and 200, rounds every 30 s: 20 + 10 s
  local r = lab.reconcile.loop{desired = want, interval = 30, time = 300,
    drift = {{at = 100, id = "app", set = {replicas = 1}},
             {at = 200, id = "cache", delete = true}}}
  eq(r.out_of_sync, 30)
  -- the out-of-sync exercise: 100 -> 120 and 250 -> 300
  r = lab.reconcile.loop{desired = want, interval = 60, time = 600,
    drift = {{at = 100, id = "app", set = {replicas = 1}},
             {at = 250, id = "cache", delete = true}}}
  eq(r.out_of_sync, 70)
end)

test("figures/practice/cloud-patterns", function()
  local L = lesson("lessons/13-practice/05-cloud-patterns.md")
  local out = L:run(1)
  eq(out, "worst backlog 42000, empty after 165 s")
  -- "The last message sent waited more than two minutes": it arrives at
  -- t = 90 and leaves when all 90,000 are done, at 90,000 / 400 s
  local waited = 90000 / 400 - 90
  eq(waited, 135)
  truthy(waited > 120)
  L:says("The last message sent waited more than two minutes")
end)
