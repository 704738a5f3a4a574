-- feedback: still running after
-- ignores slo: the lesson's 1 %, with a 3 sigma margin
local function judge(canary, slo)
  local n, e = canary.requests, canary.errors
  if n < 100 then return "continue" end
  local expected = 0.01 * n
  if e > expected + 3 * math.sqrt(expected) then return "rollback" end
  return "continue"
end
return judge
