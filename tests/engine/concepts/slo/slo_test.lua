-- Lua tests of lab.slo: the workbook's table (budget spent at detection is
-- F L / period: 2 %, 5 %, 10 %), simulated detection and reset times
-- against the closed form for several incident sizes, a blip that fires
-- nothing, pending (for:), budgets, and refusals.

local day = 86400

-- an incident after three clean days, so that every window has history
local function run(e, dur, step, rules)
  local s = lab.slo.series{rate = 50, step = step, duration = 4 * day,
                           incidents = {{at = 3 * day, duration = dur, error_rate = e}}}
  return lab.slo.evaluate{slo = 0.999, series = s, rules = rules}
end

test("slo/workbook_table", function()
  local want = {0.02, 0.05, 0.10}
  for i, rule in ipairs(lab.slo.rules()) do
    near(rule.factor * rule.long / (30 * day), want[i], 1e-12, rule.name)
    eq(rule.short * 12, rule.long, rule.name .. ": the short window is 1/12 of the long")
  end
  for _, e in ipairs{1, 0.2, 0.05} do
    local r = run(e, 8 * 3600, 10)
    for i, rule in ipairs(r.rules) do
      local d = lab.slo.detection{slo = 0.999, error_rate = e, long = rule.long,
                                  short = rule.short, factor = rule.factor}
      if d.detect then
        -- fires at the first evaluation (every 10 s) after the closed form
        local late = rule.first - 3 * day - d.detect
        truthy(late >= 0 and late < 10, rule.name .. " e=" .. e .. " late " .. late)
        near(d.budget, want[i], 1e-12)
        near(rule.budget_at_first, want[i], e * 10 / (0.001 * 30 * day) + 1e-9)
      else
        eq(rule.first, nil, rule.name .. " e=" .. e)
      end
    end
  end
end)

test("slo/detection_and_reset", function()
  -- 100 % errors: the 1 h rule at 14.4 fires after 0.0144 * 3600 = 51.84 s
  local d = lab.slo.detection{slo = 0.999, error_rate = 1}
  near(d.detect, 51.84, 1e-9)
  near(d.budget, 0.02, 1e-12)
  near(d.exhaustion, 2592, 1e-9)
  -- below F (1 - SLO) = 1.44 % it never fires
  eq(lab.slo.detection{slo = 0.999, error_rate = 0.014}.detect, nil)
  -- the alert stops S (1 - F (1 - SLO) / e) after a long incident ends
  local r = run(0.1, 7200, 10)
  local f = r.rules[1].fired
  eq(#f, 1)
  local after = f[1].to - (3 * day + 7200)
  truthy(after >= 256.8 and after < 266.8, "reset " .. after)
  -- with the long window alone (short = long) it goes on far longer
  local lone = run(0.1, 7200, 10, {{long = 3600, short = 3600, factor = 14.4}})
  truthy(lone.rules[1].fired[1].to - (3 * day + 7200) > 3000)
end)

test("slo/blip_and_pending", function()
  -- 30 s of total outage: no rule fires; 90 s: page-1h fires
  for _, rule in ipairs(run(1, 30, 10).rules) do eq(rule.first, nil, rule.name) end
  local r = run(1, 90, 10)
  truthy(r.rules[1].first, "page-1h fires for 90 s of outage")
  eq(r.rules[2].first, nil)
  -- pending (Prometheus's for:) delays firing by its length
  local base = run(0.2, 3600, 10, {{long = 3600, short = 300, factor = 14.4}})
  local held = run(0.2, 3600, 10, {{long = 3600, short = 300, factor = 14.4, pending = 120}})
  eq(held.rules[1].first - base.rules[1].first, 120)
end)

test("slo/budget_and_sli", function()
  near(lab.slo.budget{slo = 0.999}, 2592, 1e-9)
  near(lab.slo.budget{slo = 0.9999, period = 7 * day}, 60.48, 1e-9)
  local r = run(1, 2592, 60)
  -- a whole budget of outage (43.2 min) in a 4-day series at a constant rate
  near(r.budget_spent, 1, 1e-9)
  near(r.sli, 1 - 2592 / (4 * day), 1e-12)
  eq(#r.spent, 4 * 24 * 60)
  -- a series given by hand
  local h = lab.slo.evaluate{slo = 0.99, series = {step = 60, total = {100, 100}, bad = {0, 50}},
                             rules = {{long = 120, short = 60, factor = 2, name = "x"}}}
  eq(h.rules[1].name, "x"); eq(h.rules[1].first, 120)
  near(h.rules[1].long_burn[2], 25, 1e-12); near(h.rules[1].short_burn[2], 50, 1e-12)
end)

test("slo/refusals", function()
  local s = {step = 60, total = {1, 1}, bad = {0, 0}}
  raises(function() lab.slo.evaluate{slo = 0.999, series = s, rules = {{long = 90, short = 60, factor = 1}}} end,
         "multiples of the step")
  raises(function() lab.slo.evaluate{slo = 0.999, series = {step = 60, total = {1}, bad = {2}}} end,
         "total >= bad")
  raises(function() lab.slo.evaluate{slo = 0.999, series = {step = 60, total = {1}, bad = {}}} end,
         "same length")
  raises(function() lab.slo.evaluate{slo = 1, series = s} end, "between 0 and 1")
  raises(function() lab.slo.evaluate{slo = 0.999, series = s, rules = {{long = 60, factor = 1}}} end,
         "rules%[1%]: option 'short' is required")
  raises(function() lab.slo.series{step = 0.001, duration = 1e9} end, "more than")
end)

-- Counters: the step series turned into the cumulative counters a
-- Prometheus would scrape every SCRAPE seconds (a multiple of the step
-- dividing it, or the step itself), with a restart at each time of RESTARTS
-- (the counter starts again from 0 right after the sample at that time).
local function counters(s, scrape, restarts)
  local per = scrape // s.step
  local t, req, err = {0}, {0}, {0}
  local creq, cerr, restart = 0, 0, {}
  for _, at in ipairs(restarts or {}) do restart[at] = true end
  for i = 1, #s.total do
    creq, cerr = creq + s.total[i], cerr + s.bad[i]
    if i % per == 0 then
      local at = i * s.step
      t[#t + 1], req[#req + 1], err[#err + 1] = at, creq, cerr
      if restart[at] then creq, cerr = 0, 0 end
    end
  end
  return {step = s.step, t = t, requests = req, errors = err}
end

test("slo/counters_follow_increase", function()
  -- each window's burn rate is lab.metrics.increase() of errors over that of
  -- requests, restarts included: the same arithmetic as PromQL
  local s = lab.slo.series{rate = 20, step = 60, duration = 2 * day, baseline = 0.0005,
                           incidents = {{at = day, duration = 7200, error_rate = 0.05}}}
  local c = counters(s, 60, {day - 3600, day + 1800})
  local rules = {{long = 3600, short = 300, factor = 14.4}, {long = 6 * 3600, short = 1800, factor = 6}}
  local r = lab.slo.evaluate{slo = 0.999, series = c, rules = rules}
  eq(#r.rules[1].long_burn, #s.total)
  local samples = {}
  for i = 1, #c.t do samples[i] = {c.t[i], c.requests[i], c.errors[i]} end
  local function inc(k, at, range)
    local v = {}
    for i, p in ipairs(samples) do v[i] = {p[1], p[k]} end
    return lab.metrics.increase(v, {range = range, at = at})
  end
  for _, i in ipairs{1, 2, 30, 60, 61, 1380, 1381, 1410, 1440, 1470, 1500, 2000, #s.total} do
    local at = i * 60
    for k, rule in ipairs(rules) do
      for _, w in ipairs{{"long_burn", rule.long}, {"short_burn", rule.short}} do
        local t, b = inc(2, at, w[2]), inc(3, at, w[2])
        local want = (t == t and t > 0) and b / t / 0.001 or 0
        near(r.rules[k][w[1]][i], want, 1e-9 * math.max(1, want), ("%s %s at %d"):format(k, w[1], at))
      end
    end
  end
end)

test("slo/counters_match_steps", function()
  -- scraped at every step, the counters see what the step counts say: the
  -- same burn rates while the error ratio is steady over a window, the
  -- same detection within a step, and a restart changes neither
  local s = lab.slo.series{rate = 50, step = 60, duration = 4 * day, baseline = 0.0002,
                           incidents = {{at = 3 * day, duration = 3600, error_rate = 0.1}}}
  local steps = lab.slo.evaluate{slo = 0.999, series = s}
  local plain = lab.slo.evaluate{slo = 0.999, series = counters(s, 60)}
  local restarted = lab.slo.evaluate{slo = 0.999, series = counters(s, 60, {2 * day, 3 * day + 600})}
  for k, rule in ipairs(steps.rules) do
    -- a quiet stretch the long window lies in: ratio steady, burn equal
    local i = (2 * day + rule.long) // 60 + 10
    if i * 60 < 3 * day then
      near(plain.rules[k].long_burn[i], steps.rules[k].long_burn[i], 1e-9, rule.name)
    end
    truthy(plain.rules[k].first, rule.name .. " fires on counters")
    truthy(math.abs(plain.rules[k].first - rule.first) <= 60,
           ("%s: counters fire at %s, steps at %s"):format(rule.name, plain.rules[k].first, rule.first))
    eq(restarted.rules[k].first, plain.rules[k].first, rule.name .. ": a restart changes nothing")
    truthy(math.abs(plain.rules[k].budget_at_first - rule.budget_at_first) < 0.002, rule.name)
  end
  near(plain.sli, steps.sli, 1e-12)
  near(plain.budget_total, steps.budget_total, 1e-9 * steps.budget_total)
  near(restarted.budget_spent, plain.budget_spent, 1e-12)
  -- scraped every 15 s for 1-minute steps: the same alerts, within a step
  local fine = lab.slo.series{rate = 50, step = 15, duration = 4 * day, baseline = 0.0002,
                              incidents = {{at = 3 * day, duration = 3600, error_rate = 0.1}}}
  local c = counters(fine, 15)
  c.step = 60
  local f = lab.slo.evaluate{slo = 0.999, series = c}
  for k, rule in ipairs(steps.rules) do
    truthy(math.abs(f.rules[k].first - rule.first) <= 60, rule.name .. " at 15 s scrapes")
  end
end)

test("slo/counters_late_start", function()
  -- samples with Unix times: evaluated from the first sample on, the same
  -- alerts shifted by as much
  local s = lab.slo.series{rate = 50, step = 60, duration = day, baseline = 0.0002,
                           incidents = {{at = day / 2, duration = 3600, error_rate = 0.1}}}
  local c = counters(s, 60)
  local base = lab.slo.evaluate{slo = 0.999, series = c}
  local shift = 1700000040
  for i = 1, #c.t do c.t[i] = c.t[i] + shift end
  local late = lab.slo.evaluate{slo = 0.999, series = c}
  eq(#late.rules[1].long_burn, #base.rules[1].long_burn)
  for k, rule in ipairs(base.rules) do
    if rule.first then eq(late.rules[k].first, rule.first + shift, rule.name) end
    eq(late.rules[k].first == nil, rule.first == nil, rule.name)
  end
  truthy(base.rules[1].first, "the 1 h rule fires")
end)

test("slo/counters_refusals", function()
  local function ev(series) return function() lab.slo.evaluate{slo = 0.999, series = series} end end
  raises(ev{step = 60, t = {0, 60}, requests = {0, 1}, errors = {0}}, "same length")
  raises(ev{step = 60, t = {0, 0}, requests = {0, 1}, errors = {0, 0}}, "increasing")
  raises(ev{step = 60, t = {0, 60}, requests = {0, -1}, errors = {0, 0}}, ">= 0")
  raises(ev{step = 60, t = {0}, requests = {0}, errors = {0}}, "at least")
  raises(ev{step = 60, t = {0, 30}, requests = {0, 1}, errors = {0, 0}}, "at least one step")
end)
