-- feedback: half a transfer
-- no transaction: a failed credit is undone by hand (a compensation), which
-- a crash between the two statements never runs
local M = {}
function M.transfer(db, from, to, cents)
  local ok = pcall(db.exec, db, "UPDATE accounts SET balance = balance - ? WHERE id = ?", cents, from)
  if not ok then return false end
  ok = pcall(db.exec, db, "UPDATE accounts SET balance = balance + ? WHERE id = ?", cents, to)
  if not ok then
    db:exec("UPDATE accounts SET balance = balance + ? WHERE id = ?", cents, from)
    return false
  end
  return true
end
return M
