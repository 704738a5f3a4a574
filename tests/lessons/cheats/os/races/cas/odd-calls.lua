-- feedback: This one is lock-free
-- cas on odd calls, atomic_add on even ones
local calls = 0
return function(var)
  calls = calls + 1
  if calls % 2 == 1 then
    return {{"read", var, "old", label = "retry"}, {"set", "new", "old"}, {"add", "new", 1},
      {"cas", var, "old", "new", "ok"}, {"jz", "ok", "retry"}}
  end
  return {{"cas", var, -1, -1, "ok"}, {"atomic_add", var, 1}}
end
