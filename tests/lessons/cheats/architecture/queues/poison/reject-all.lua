-- feedback: call it once for every delivery
-- Rejects everything without requeue: nothing loops, but good work dies.
local function work(q, c, now, handle)
  while true do
    local d = q:receive(c, now)
    if not d then return end
    q:nack(d.tag, false)
  end
end
return work
