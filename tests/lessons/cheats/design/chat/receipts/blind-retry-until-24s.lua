-- feedback: retry only what a member has not acknowledged
local Node = {}

function Node.start(n)
  n.seq, n.pending, n.receipts, n.ids = 0, {}, {}, {}
  n.shown, n.next, n.held = {}, 1, {}
  if n.id == 1 then n:set_timer(0.3, "retry") end
end

local function copy(n, member, seq)
  n:send(member, {t = "msg", seq = seq, id = n.ids[seq]})
end

function Node.request(n, op, id)
  if op.f == "send" then
    n.seq = n.seq + 1
    n.ids[n.seq], n.receipts[op.id] = op.id, {}
    n.pending[n.seq] = {}
    for _, member in ipairs(n.peers) do
      n.pending[n.seq][member] = true
      copy(n, member, n.seq)
    end
    n:reply(id, "ok")
  elseif op.f == "receipts" then
    local out = {}
    for msg_id, who in pairs(n.receipts) do
      local list = {}
      for member in pairs(who) do list[#list + 1] = member end
      table.sort(list)
      out[msg_id] = list
    end
    n:reply(id, out)
  elseif op.f == "read" then
    n:reply(id, n.shown)
  end
end

function Node.timer(n, tag)
  if n:now() > 24 then return end
  for seq = 1, n.seq do
    for _, member in ipairs(n.peers) do copy(n, member, seq) end
  end
  n:set_timer(0.3, "retry")
end

function Node.receive(n, from, m)
  if m.t == "msg" then
    n:send(from, {t = "ack", seq = m.seq})     -- ack every copy
    if m.seq >= n.next and not n.held[m.seq] then
      n.held[m.seq] = m.id
      while n.held[n.next] do
        n.shown[#n.shown + 1] = n.held[n.next]
        n.held[n.next] = nil
        n.next = n.next + 1
      end
    end
  elseif m.t == "ack" then
    local p = n.pending[m.seq]
    if p and p[from] then
      p[from] = nil
      n.receipts[n.ids[m.seq]][from] = true
    end
  end
end

return Node
