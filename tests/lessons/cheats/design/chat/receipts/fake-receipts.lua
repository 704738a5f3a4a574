-- feedback: must be true
-- resends every message to every member forever, never reads an ack,
-- and reports every member as delivered at once
local Node = {}
function Node.start(n)
  n.ids, n.shown, n.seen = {}, {}, {}
  if n.id == 1 then n:set_timer(0.3, "retry") end
end
function Node.request(n, op, id)
  if op.f == "send" then
    n.ids[#n.ids + 1] = op.id
    n:reply(id, "ok")
  elseif op.f == "receipts" then
    local out = {}
    for _, m in ipairs(n.ids) do out[m] = {2, 3, 4, 5} end
    n:reply(id, out)
  else
    n:reply(id, n.shown)
  end
end
function Node.timer(n)
  for seq, m in ipairs(n.ids) do
    for _, p in ipairs(n.peers) do n:send(p, {seq = seq, id = m}) end
  end
  n:set_timer(0.3, "retry")
end
function Node.receive(n, from, m)
  n.seen[m.seq] = m.id
  local list = {}
  local i = 1
  while n.seen[i] do list[i] = n.seen[i] i = i + 1 end
  n.shown = list
end
return Node
