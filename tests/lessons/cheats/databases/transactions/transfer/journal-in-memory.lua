-- feedback: half a transfer
-- no transaction: remembers a half-done transfer in memory and finishes
-- it on the next call; a crash takes the memory with it
local M = {}
local pending
function M.transfer(db, from, to, cents)
  if pending then
    db:exec("UPDATE accounts SET balance = balance + ? WHERE id = ?", pending[2], pending[1])
    pending = nil
  end
  local ok = pcall(db.exec, db, "UPDATE accounts SET balance = balance - ? WHERE id = ?", cents, from)
  if not ok then return false end
  pending = {from, cents}
  ok = pcall(db.exec, db, "UPDATE accounts SET balance = balance + ? WHERE id = ?", cents, to)
  if ok then pending = nil return true end
  db:exec("UPDATE accounts SET balance = balance + ? WHERE id = ?", cents, from)
  pending = nil
  return false
end
return M
