-- feedback: went on after `apply` raised
-- (fix09) Records the id first and takes it back if apply raises: a dead
-- process cannot take anything back.
local function make_handler(db, apply)
  db.done = db.done or {}
  return function(d)
    if db.done[d.id] then return end
    db.done[d.id] = true
    local ok, err = pcall(apply, d.body)
    if not ok then db.done[d.id] = nil; error(err, 0) end
  end
end
return make_handler
