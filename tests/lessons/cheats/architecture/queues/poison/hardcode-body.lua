-- feedback: `work` raised
-- (find09 C4) Never calls handle on a body that reads "poison": special-cases
-- the checker's input (the check no longer marks poison in the body).
local function work(q, c, now, handle)
  while true do
    local d = q:receive(c, now)
    if not d then return end
    if d.body == "poison" then q:nack(d.tag, false)
    else handle(d.body); q:ack(d.tag) end
  end
end
return work
