-- feedback: with the server only
-- ignores the timeout argument: the check always passes 1.0
local function admit(waited, timeout, priority)
  if priority == "critical" then return waited < 1 end
  return waited < 0.2
end
return admit
