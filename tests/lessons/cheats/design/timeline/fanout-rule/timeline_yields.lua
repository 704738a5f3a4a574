-- feedback: your rule raised
-- Tries to leave the simulation half-way through by yielding from the rule.
local co = coroutine.running()
return function(post)
  coroutine.yield("read")
  return "write"
end
