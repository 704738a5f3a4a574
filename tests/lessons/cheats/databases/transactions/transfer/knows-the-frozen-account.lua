-- feedback: return false instead
-- no transaction: checks the balance first and knows which account the
-- check froze
local M = {}
function M.transfer(db, from, to, cents)
  if to == 6 then return false end
  local row = db:query("SELECT balance FROM accounts WHERE id = ?", from)[1]
  if row.balance < cents then return false end
  db:exec("UPDATE accounts SET balance = balance - ? WHERE id = ?", cents, from)
  db:exec("UPDATE accounts SET balance = balance + ? WHERE id = ?", cents, to)
  return true
end
return M
