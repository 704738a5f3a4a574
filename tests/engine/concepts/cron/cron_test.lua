-- Lua tests of lab.cron (engine/concepts/cron/cron_lua.c).

test("cron/page_example", function()
  eq(lab.cron.next("*/15 9-17 * * 1-5", "2026-12-04 17:50:00"), "2026-12-07 09:00:00")
  eq(#lab.cron.times("0 0 13 * 5", "2026-01-01 00:00:00", 10), 10)
  eq(lab.cron.matches("0 0 13 * 5", "2026-02-13 00:00:00"), true)
  same(lab.cron.parse("*/20 * * * *").minute, {0, 20, 40})
end)

test("cron/forms", function()
  local t = lab.cron.time("2026-12-04 17:50:00")
  eq(lab.cron.date(t), "2026-12-04 17:50:00")
  eq(lab.cron.next("0 * * * *", t), t + 600)
  eq(lab.cron.time("2026-12-04 17:50"), t)
  same(lab.cron.times("0 0 1 * *", "2026-01-15 00:00:00", 3),
    {"2026-02-01 00:00:00", "2026-03-01 00:00:00", "2026-04-01 00:00:00"})
  eq(lab.cron.next("0 0 30 2 *", 0), nil)
  local p = lab.cron.parse("0 0 13 * 5")
  eq(p.either_day, true); eq(p.seconds, false); same(p.second, {0}); same(p.weekday, {5})
  eq(lab.cron.parse("* * * * SUN,7").weekday[1], 0)
  raises(function() lab.cron.next("* * *", 0) end, "3 fields")
  raises(function() lab.cron.parse("61 * * * *") end, "minute: 61 is out of range")
  raises(function() lab.cron.next("* * * * *", "yesterday") end, "YYYY%-MM%-DD")
  raises(function() lab.cron.next("* * * * *", "2026-13-01 00:00:00") end, "YYYY")
end)

test("cron/week_counts", function()
  -- the lesson's exercise: */15 9-17 * * 1-5 fires 180 times a week
  local from = lab.cron.time("2026-12-06 23:59:59")      -- a Sunday night
  local n = 0
  for _, t in ipairs(lab.cron.times("*/15 9-17 * * 1-5", from, 500)) do
    if t <= from + 7 * 86400 then n = n + 1 end
  end
  eq(n, 180)
end)

-- lab.cron.schedule: the CronJob controller on simulated time

test("cron/schedule_policies", function()
  local function run(policy)
    return lab.cron.schedule{expr = "*/15 * * * *", from = "2026-01-05 00:00:00",
      to = "2026-01-05 01:00:00", duration = {600, 1500}, policy = policy}
  end
  local a, f, r = run("allow"), run("forbid"), run("replace")
  -- the 00:30 run takes 25 minutes: it is still running at 00:45
  eq(a.ran, 4); eq(a.max_concurrent, 2)
  eq(a.runs[2]["end"], "2026-01-05 00:55:00")
  eq(f.ran, 3); eq(f.skipped, 1); eq(f.runs[3].reason, "overlap"); eq(f.max_concurrent, 1)
  eq(r.ran, 4); eq(r.replaced, 1); eq(r.runs[2].replaced, true)
  eq(r.runs[2]["end"], "2026-01-05 00:45:00"); eq(r.max_concurrent, 1)
end)

test("cron/schedule_downtime", function()
  local r = lab.cron.schedule{expr = "*/10 * * * *", from = "2026-01-05 00:00:00",
    to = "2026-01-05 01:00:00", duration = 60, deadline = 600,
    downtime = {{from = "2026-01-05 00:05:00", to = "2026-01-05 00:35:00"}}}
  eq(r.skipped, 2); eq(r.late, 1); eq(r.ran, 3)
  eq(r.runs[3].status, "late"); eq(r.runs[3].start, "2026-01-05 00:35:00")
  eq(r.runs[1].reason, "down")
  r = lab.cron.schedule{expr = "*/10 * * * *", from = 0, to = 3600, duration = 60,
    deadline = 200, downtime = {{from = 300, to = 2700}}}
  eq(r.runs[4].reason, "deadline"); eq(r.late, 0); eq(r.runs[5].start, 3000)
  raises(function() lab.cron.schedule{expr = "* * * * *", from = 0, to = 1000000000} end,
         "more than 100000 fire times")
  raises(function() lab.cron.schedule{expr = "* * * * *", from = 0, to = 60,
    downtime = {{from = 50, to = 10}}} end, "downtime%[1%]: 'to' is before 'from'")
  raises(function() lab.cron.schedule{expr = "* * * * *", from = 0, to = 60,
    policy = "queue"} end, "allow forbid replace")
  raises(function() lab.cron.schedule{expr = "* * * * *", from = 0, to = 60,
    duration = -1} end, "whole seconds")
end)

-- An independent controller in Lua, jitter drawn from lab.rand with the
-- same seed, against lab.cron.schedule on random schedules.
local function reference(times, durs, policy, deadline, down, jitter, seed)
  local g = lab.rand.new(seed)
  local function back_at(t)
    local until_ = nil
    repeat
      local moved = false
      for _, w in ipairs(down) do
        local x = until_ or t
        if w.from <= x and x < w.to and (not until_ or w.to > until_) then
          until_, moved = w.to, true
        end
      end
    until not moved
    return until_
  end
  local runs = {}
  local function start(k, s, d)
    local active = {}
    for i = 1, k - 1 do
      local r = runs[i]
      if r.start and r.start <= s and s < r["end"] then active[#active + 1] = r end
    end
    if #active > 0 and policy == "forbid" then
      runs[k].status, runs[k].reason = "skipped", "overlap"
      return
    end
    if policy == "replace" then
      for _, r in ipairs(active) do r["end"], r.replaced = s, true end
    end
    runs[k].start, runs[k]["end"] = s, s + d
  end
  for k, t in ipairs(times) do
    local j = jitter > 0 and g:int(0, jitter) or 0
    local d = durs[(k - 1) % #durs + 1]
    runs[k] = {scheduled = t}
    local back = back_at(t)
    if not back then
      runs[k].status = "ran"
      start(k, t + j, d)
    elseif times[k + 1] and times[k + 1] < back then
      runs[k].status, runs[k].reason = "skipped", "down"
    elseif deadline >= 0 and back - t > deadline then
      runs[k].status, runs[k].reason = "skipped", "deadline"
    else
      runs[k].status = "late"
      start(k, back + j, d)
    end
  end
  return runs
end

test("cron/schedule_cross_check", function()
  local r = lab.rand.new(31)
  local exprs = {"*/5 * * * *", "*/7 * * * *", "0,20,25 * * * *", "*/15 9-17 * * *"}
  for round = 1, 80 do
    local expr = exprs[r:int(1, #exprs)]
    local from, to = 0, r:int(1, 12) * 3600
    local durs = {}
    for i = 1, r:int(1, 4) do durs[i] = r:int(0, 40) * 60 end
    local down = {}
    for i = 1, r:int(0, 3) do
      local a = r:int(0, to)
      down[i] = {from = a, to = a + r:int(0, 90) * 60}
    end
    local policy = ({"allow", "forbid", "replace"})[r:int(1, 3)]
    local deadline = r:int(1, 3) == 1 and -1 or r:int(0, 60) * 60
    local jitter = r:int(1, 2) == 1 and 0 or r:int(1, 600)
    local got = lab.cron.schedule{expr = expr, from = from, to = to, duration = durs,
      policy = policy, deadline = deadline, downtime = down, jitter = jitter, seed = round}
    local times = {}
    for _, x in ipairs(got.runs) do times[#times + 1] = x.scheduled end
    eq(#times, #lab.cron.times(expr, from, 100000) > 0 and #times or 0)
    local want = reference(times, durs, policy, deadline, down, jitter, round)
    for k, w in ipairs(want) do
      local g = got.runs[k]
      eq(g.status, w.status, ("round %d run %d"):format(round, k))
      eq(g.reason, w.reason); eq(g.start, w.start); eq(g["end"], w["end"])
      eq(g.replaced, w.replaced)
    end
  end
end)
