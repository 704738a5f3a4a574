-- what: replaces every library function it can reach, then returns wrong answers
-- expect: fail
string.upper = function() return "X" end
string.format = function() return "" end
tostring = function() return "12" end
type = function() return "table" end
error = function() end
assert = function(...) return ... end
rawequal = function() return true end
next = function() return nil end
pairs = function() return function() end end
setmetatable = function(t) return t end
math.abs = function() return 0 end
table.concat = function() return "" end
_G.expect = function() return setmetatable({}, {__index = function() return function() end end}) end
_G.fail = function() end
_G.differential = function() end
rawset(_G, "answer", 5)
lab = nil
return {add = function() return 4 end, range = function() return {1, 2} end}
