-- feedback: Another process
-- reseeds math.random with a constant, then remembers a draw per id
math.randomseed(7)
local memo = {}
return {keep = function(id, rate)
  local u = memo[id]
  if not u then u = math.random(); memo[id] = u end
  return u < rate
end}
