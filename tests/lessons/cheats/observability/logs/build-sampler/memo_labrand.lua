-- feedback: Another process
-- remembers a draw from a fixed-seed lab.rand per id: same seed, but the order ids arrive decides
local r, memo = lab.rand.new(42), {}
return {keep = function(id, rate)
  local u = memo[id]
  if not u then u = r:uniform(); memo[id] = u end
  return u < rate
end}
