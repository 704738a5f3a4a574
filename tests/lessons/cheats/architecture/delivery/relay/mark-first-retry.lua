-- feedback: went on after it crashed
-- (find09 C3) Marks the row sent first, then retries publish until the
-- broker answers: the relay's own crash is swallowed with the rest.
local function relay(db, publish)
  local rows = db:query(
    "SELECT id, event FROM outbox WHERE sent = 0 ORDER BY id")
  for _, row in ipairs(rows) do
    db:exec("UPDATE outbox SET sent = 1 WHERE id = ?", row.id)
    while not pcall(publish, row.event) do end
  end
end
return relay
