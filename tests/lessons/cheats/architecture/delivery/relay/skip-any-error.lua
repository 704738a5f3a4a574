-- feedback: went on after it crashed
-- (fix09) Goes on to the next row after any error, the relay's crash
-- included.
local function relay(db, publish)
  local rows = db:query(
    "SELECT id, event FROM outbox WHERE sent = 0 ORDER BY id")
  for _, row in ipairs(rows) do
    if pcall(publish, row.event) then
      db:exec("UPDATE outbox SET sent = 1 WHERE id = ?", row.id)
    end
  end
end
return relay
