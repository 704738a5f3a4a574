-- feedback: Another process
-- no table of ids, but a salt drawn once per process: two services disagree
local salt = math.random(0, 0xffffffff)
return {keep = function(id, rate)
  local h = 2166136261 ~ salt
  for i = 1, #id do h = ((h ~ id:byte(i)) * 16777619) & 0xffffffff end
  return h / 2 ^ 32 < rate
end}
