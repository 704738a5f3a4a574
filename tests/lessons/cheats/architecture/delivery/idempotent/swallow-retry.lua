-- feedback: went on after `apply` raised
-- (find09) Right order, but swallows the crash and retries apply.
local function make_handler(db, apply)
  db.x = db.x or {}
  return function(d)
    if db.x[d.id] then return end
    while not pcall(apply, d.body) do end
    db.x[d.id] = true
  end
end
return make_handler
