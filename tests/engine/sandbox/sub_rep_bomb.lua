-- what: a string bomb (string.rep)
-- expect: memory
-- feedback: ran out of memory
local s = string.rep("x", 2 ^ 30)
return {add = function() return #s end}
