-- feedback: the limit is per address
-- one rate limit for every address: a request for bob is refused because ada asked
local M = {}

function M.new(sender, clock)
  local last
  local svc = {}
  function svc:request(email)
    local now = clock.now()
    if last and now - last < 60 then return false end
    last = now
    sender:send(email, "Reset your password",
      "It expires at " .. tostring(now + 3600))
    return true
  end
  return svc
end

return M
