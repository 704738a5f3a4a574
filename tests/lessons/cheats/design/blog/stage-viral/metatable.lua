-- feedback: has a metatable
local d = {{name = "lb", kind = "lb"}}
return setmetatable(d, {__index = function() return {name = "x"} end})
