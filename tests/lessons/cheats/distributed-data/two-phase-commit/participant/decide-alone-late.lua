-- feedback: ends with balance
-- A participant in doubt for 2 s aborts on its own (lab.txn's bug
-- decide_alone), with a timeout longer than the coordinator's outage.
local P = {}

function P.start(n)
  n.store.balance = n.store.balance or 10
  n.store.tx = n.store.tx or {}       -- tx -> {state =, delta =}
  for tx, e in pairs(n.store.tx) do
    if e.state == "prepared" then n:set_timer(2, tx) end
  end
end

-- in doubt for 2 s: give up (the classic bug: decide alone)
function P.timer(n, tx)
  local e = n.store.tx[tx]
  if e and e.state == "prepared" then e.state = "aborted" end
end

function P.receive(n, from, m)
  local t = n.store.tx
  if m.t == "prepare" then
    if not t[m.tx] then
      local yes = n.store.balance + m.delta >= 0
      t[m.tx] = {state = yes and "prepared" or "aborted", delta = m.delta}
      if yes then n:set_timer(2, m.tx) end
    end
    n:send(1, {t = "vote", tx = m.tx, yes = t[m.tx].state ~= "aborted"})
  elseif m.t == "commit" or m.t == "abort" then
    local e = t[m.tx]
    if e and e.state == "prepared" then
      if m.t == "commit" then
        n.store.balance = n.store.balance + e.delta
        e.state = "committed"
      else
        e.state = "aborted"
      end
    end
    n:send(1, {t = "ack", tx = m.tx})
  end
end

function P.request(n, op, id)
  n:reply(id, {balance = n.store.balance})
end

return P
