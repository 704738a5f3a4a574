-- feedback: went on after `apply` raised
-- (find09 C2) Records the id before the effect, then retries apply until it
-- works: the crash never reaches the checker.
local function make_handler(db, apply)
  db.x = db.x or {}
  return function(d)
    if db.x[d.id] then return end
    db.x[d.id] = true
    while not pcall(apply, d.body) do end
  end
end
return make_handler
