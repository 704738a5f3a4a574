-- feedback: This one is about a mutex
-- one table handed out each call and rewritten after: first a mutex, later atomic_add
local t = {}
local calls = 0
return function(var)
  calls = calls + 1
  for i = #t, 1, -1 do t[i] = nil end
  if calls % 2 == 1 then
    t[1] = {"lock", "m"}; t[2] = {"read", var, "r"}; t[3] = {"add", "r", 1}
    t[4] = {"write", var, "r"}; t[5] = {"unlock", "m"}
  else
    t[1] = {"lock", "m"}; t[2] = {"unlock", "m"}; t[3] = {"atomic_add", var, 1}
  end
  return t
end
