-- what: values whose metamethods lie: __eq, __index, __len, __tostring, __lt, __le, __call
-- expect: fail
local liar = {}
liar.__eq = function() return true end
liar.__lt = function() return true end
liar.__le = function() return true end
liar.__index = function(_, k) return k end
liar.__len = function() return 3 end
liar.__tostring = function() return "5" end
liar.__name = "number"
liar.__call = function() return 5 end
liar.__concat = function() return "5" end
local five = setmetatable({}, liar)
return {add = function() return five end, range = function() return setmetatable({}, liar) end}
