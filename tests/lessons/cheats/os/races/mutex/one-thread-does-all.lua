-- feedback: must return the same steps on every call
-- The first call (the check's look at the steps) and then one thread in
-- each group does the work of all; the others do nothing.
local calls = 0
return function(var)
  calls = calls + 1
  if calls == 2 then
    return {{"lock", "m"}, {"read", var, "r"}, {"add", "r", 2},
      {"write", var, "r"}, {"unlock", "m"}}
  end
  return {{"lock", "m"}, {"unlock", "m"}}
end
