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
