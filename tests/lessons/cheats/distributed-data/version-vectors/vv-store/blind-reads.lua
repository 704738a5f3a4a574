-- feedback: its own write
-- Keeps every value ever written and answers every get with nothing until
-- 18 s, so that no write seems to have seen another; from then on it
-- answers with everything. Not a store: a client does not read back what
-- it just wrote at the same node.
local Node = {}
function Node.start(n)
  n.data = {}
  n:set_timer(0.3, "sync")
end
local function learn(n, key, v)
  n.data[key] = n.data[key] or {}
  n.data[key][v] = true
end
function Node.request(n, op, id)
  if op.f == "put" then
    learn(n, op.key, op.value)
    return n:reply(id, true)
  end
  local values = {}
  if n:now() >= 18 then
    for v in pairs(n.data[op.key] or {}) do values[#values + 1] = v end
    table.sort(values)
  end
  n:reply(id, {values = values, ctx = {0, 0, 0}})
end
function Node.receive(n, from, m)
  for key, set in pairs(m) do
    for v in pairs(set) do learn(n, key, v) end
  end
end
function Node.timer(n)
  for _, p in ipairs(n.peers) do n:send(p, n.data) end
  n:set_timer(0.3, "sync")
end
return Node
