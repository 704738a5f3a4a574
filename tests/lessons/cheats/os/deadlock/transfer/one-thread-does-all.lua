-- feedback: must return the same steps for the same arguments
-- Remembers the earlier transfers and makes the last call do all of them.
local pending = {}
return function(from, to, amount)
  pending[#pending + 1] = {from, to, amount}
  local a, b = from, to
  if b < a then a, b = b, a end
  local steps = {{"lock", "lock:" .. a}, {"lock", "lock:" .. b}}
  for _, p in ipairs(pending) do
    steps[#steps + 1] = {"read", p[1], "f"}
    steps[#steps + 1] = {"add", "f", -p[3]}
    steps[#steps + 1] = {"write", p[1], "f"}
    steps[#steps + 1] = {"read", p[2], "t"}
    steps[#steps + 1] = {"add", "t", p[3]}
    steps[#steps + 1] = {"write", p[2], "t"}
  end
  steps[#steps + 1] = {"unlock", "lock:" .. b}
  steps[#steps + 1] = {"unlock", "lock:" .. a}
  return steps
end
