-- The numbers lessons/10-resilience quotes from its own examples: each is
-- produced here by the example itself and found in the prose, so prose and
-- simulation cannot drift apart. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local function f1(x) return ("%.1f"):format(x) end

test("figures/resilience/queues", function()
  local L = lesson("lessons/10-resilience/01-queues.md")
  local out = L:run(1)
  local m5 = grab(out, "rho 0.50%s+mean%s+([%d.]+)")
  local m8 = grab(out, "rho 0.80%s+mean%s+([%d.]+)")
  local m9 = grab(out, "rho 0.90%s+mean%s+([%d.]+)")
  local m99 = grab(out, "rho 0.99%s+mean%s+([%d.]+)")
  near(m5 / 0.1, 2, 1e-9) near(m8 / 0.1, 5, 1e-9) near(m9 / 0.1, 10, 1e-9)
  near(m99 / 0.1, 100, 1e-6)
  L:says("At ρ = 0.5 a request takes twice its service time on average; at 0.8, five times; at 0.9, ten; at 0.99, a hundred.")
  local p99 = grab(out, "rho 0.80.-p99%s+([%d.]+)")
  L:says(("At 80 %% a 100 ms service has a p99 of %s s"):format(f1(p99)))
  L:says(("%s times the mean"):format(f1(p99 / m8)))
  out = L:run(3)
  truthy(out:find("unstable"), out)
  out = L:run(4)
  local w16 = grab(out, "16 servers.-mean ([%d.]+)")
  truthy(w16 < 0.115, "sixteen servers keep the mean near the service time")
  out = L:run(6)
  truthy(grab(out, "gap%s+([%d.e%-]+)") < 1e-3)
end)

test("figures/resilience/retries", function()
  local L = lesson("lessons/10-resilience/02-retries.md")
  local out = L:run(1)
  eq(grab(out, "client successes:%s+(%d+)"), 0)
  eq(grab(out, "timeouts:%s+(%d+)"), grab(out, "anyway:%s+(%d+)"))
  out = L:run(3)
  local success = grab(out, "success ([%d.]+)%%")
  local amp = grab(out, "amplification ([%d.]+)")
  L:says(("about %d requests for each one a user sends"):format(math.floor(amp + 0.5)))
  L:says(("the run's success is %s %%"):format(f1(success)))
  out = L:run(4)
  eq(out, "true true true false false false true")
  out = L:run(5)
  L:says(("still receives %s requests for each one"):format(
    grab(out, "amplification ([%d.]+)")))
  -- "the run's success is the same as before"
  eq(("%.1f"):format(L.env.one.success * 100), ("%.1f"):format(L.env.naive.success * 100))
end)

test("figures/resilience/breakers", function()
  local L = lesson("lessons/10-resilience/03-breakers.md")
  local out = L:run(1)
  near(grab(out, "success ([%d.]+)%%"), 50, 1)
  L:says("half the run fails")
  out = L:run(2)
  eq(grab(out, "degraded (%d+)"), 0)
  truthy(grab(out, "p99 ([%d.]+) s") < 0.3, "the p99 is short")
  -- "every request during the fault still fails"
  local r = L.env.pool{timeout = 0.1}
  for i, t in ipairs(r.series.t) do
    if t >= 10.5 and t < 30 then eq(r.series.ok[i], 0) end
  end
  out = L:run(3)
  eq(out, "open\tfalse\thalf_open\ttrue\ntrue\tfalse\thalf_open\tclosed")
  out = L:run(4)
  local times = {}
  for t, state in out:gmatch("([%d.]+)%s+%S+ %-> (%S+)") do times[#times + 1] = {t, state} end
  eq(times[#times][2], "closed")
  L:says(("the probes at %s fail too"):format(times[#times - 3][1]))
  L:says(("closes at %s"):format(times[#times][1]))
  out = L:run(5)
  local failed = grab(out, "checkout failed%s+([%d.]+)")
  L:says(("fails %s %% of its calls"):format(f1(failed)))
  -- cascade-choice's answer: a bulkhead on search protects checkout
  -- entirely, the other options do not
  local function ck_failed(extra)
    local q = {timeout = 0.1, retries = 5, backoff = 0.01, cap = 0.01}
    for k, v in pairs(extra) do q[k] = v end
    local c = L.env.shared(q).calls[3]
    return c.failed / c.calls
  end
  eq(ck_failed{bulkhead = 3}, 0)
  local longer = ck_failed{timeout = 0.5}
  truthy(longer > 0.01 and longer < 0.05, "a longer timeout: checkout loses about 3 %")
  truthy(ck_failed{retries = 10} > 0.1)
end)

test("figures/resilience/breaker_timeout_note", function()
  -- the prose's "with timeout = 0.2 it closes at 11.12"
  local r = lab.resilience.simulate{duration = 15, seed = 1,
    services = {{name = "api", workers = 200, latency = 0.002,
                 calls = {{to = "db", timeout = 0.2, fallback = true,
                           breaker = {open_for = 2, probes = 3}}}},
                {name = "db", workers = 10, latency = 0.01}},
    client = {rate = 200},
    faults = {{service = "db", at = 5, ["until"] = 10, mode = "down"}}}
  local last = r.transitions[#r.transitions]
  eq(last.state, "closed")
  local L = lesson("lessons/10-resilience/03-breakers.md")
  L:says(("With `timeout = 0.2` it closes at %.2f"):format(last.t))
end)

test("figures/resilience/overload", function()
  local L = lesson("lessons/10-resilience/04-overload.md")
  local out = L:run(1)
  local finished = grab(out, "api finished (%d+)")
  L:says(("finishes %s requests"):format(tostring(finished):gsub("^(%d%d)(%d%d%d)$", "%1 %2")))
  L:says(("only %s %% of requests succeed"):format(f1(grab(out, "success ([%d.]+)%%"))))
  out = L:run(2)
  L:says(("Now %s %% succeed"):format(f1(grab(out, "success ([%d.]+)%%"))))
  out = L:run(3)
  L:says(("About as many (%s %%) succeed"):format(f1(grab(out, "success ([%d.]+)%%"))))
  out = L:run(4)
  near(grab(out, "served%s+(%d+)"), 1010, 5)
  out = L:run(5)
  local nf = grab(out, "none%s+failed%s+(%d+)")
  local wave = grab(out, "none.-wave: (%d+)")
  L:says(("%s requests fail in the end"):format(tostring(nf):gsub("^(%d)(%d%d%d)$", "%1 %2")))
  L:says(("(%s requests in one tenth"):format(tostring(wave):gsub("^(%d)(%d%d%d)$", "%1 %2")))
  -- jitter spreads the herd: fix-herd's solution is not printed, but it works
  local ok, full = pcall(L.env.herd, "full")
  truthy(ok and full.failed < 300, "full jitter spreads the herd")
  L:says("the 1 880 that were refused at 20 s")
  -- 2000 arrive at once; 20 start and 100 wait: 1880 are refused
  local r = L.env.herd("none")
  truthy(r.services.api.rejected >= 1880)
end)

test("figures/resilience/migrations", function()
  local L = lesson("lessons/10-resilience/05-migrations.md")
  local out = L:run(1)
  local rate = grab(out, "after 30 s:.-%(([%d.]+)%%%)")
  truthy(rate > 3, "the canary's error rate is clearly above 1 %")
end)
