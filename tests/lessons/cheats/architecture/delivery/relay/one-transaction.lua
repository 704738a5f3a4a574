-- feedback: reached the broker twice
-- Marks inside one transaction for the whole run, committed at the end: a
-- crash rolls back every mark of the run.
local function relay(db, publish)
  db:exec("BEGIN")
  local rows = db:query(
    "SELECT id, event FROM outbox WHERE sent = 0 ORDER BY id")
  for _, row in ipairs(rows) do
    local ok, err = pcall(publish, row.event)
    if not ok then
      if tostring(err):find("unreachable") then break end
      error(err, 0)
    end
    db:exec("UPDATE outbox SET sent = 1 WHERE id = ?", row.id)
  end
  db:exec("COMMIT")
end
return relay
