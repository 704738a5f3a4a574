-- feedback: has a metatable
-- a design whose fields are computed on each read, so that what the
-- check inspects is not what it runs
local n = 0
local entry = setmetatable({name = "gateways", kind = "gateway"}, {
  __index = function(_, k)
    n = n + 1
    if k == "instances" then return n < 3 and 1000 or 1 end
  end})
return {entry, {name = "store", kind = "store"}}
