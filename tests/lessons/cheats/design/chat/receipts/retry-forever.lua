-- feedback: retries must stop
-- true receipts, but resends every message forever
local Node = {}
function Node.start(n)
  n.ids, n.shown, n.seen, n.rc = {}, {}, {}, {}
  if n.id == 1 then n:set_timer(0.3, "retry") end
end
function Node.request(n, op, id)
  if op.f == "send" then
    n.ids[#n.ids + 1] = op.id
    n.rc[op.id] = {}
    n:reply(id, "ok")
  elseif op.f == "receipts" then
    local out = {}
    for m, who in pairs(n.rc) do
      local l = {}
      for p in pairs(who) do l[#l + 1] = p end
      table.sort(l)
      out[m] = l
    end
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
  if m.ack then n.rc[m.ack][from] = true return end
  n:send(from, {ack = m.id})
  n.seen[m.seq] = m.id
  local list, i = {}, 1
  while n.seen[i] do list[i] = n.seen[i] i = i + 1 end
  n.shown = list
end
return Node
