-- feedback: has a metatable
-- A design whose fields answer differently each time they are read.
local n = 0
return setmetatable({}, {__index = function(_, i)
  n = n + 1
  if i == 1 then return {name = "lb", kind = "lb"} end
end, __len = function() return 1 end})
