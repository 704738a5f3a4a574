-- feedback: not requests
-- ignores the clock for the limit: refuses every second request
local M = {}

function M.new(sender, clock)
  local calls = {}
  local svc = {}
  function svc:request(email)
    calls[email] = (calls[email] or 0) + 1
    if calls[email] % 2 == 0 then return false end
    sender:send(email, "Reset your password",
      "It expires at " .. tostring(clock.now() + 3600))
    return true
  end
  return svc
end

return M
