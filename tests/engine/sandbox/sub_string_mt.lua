-- what: reaches the shared string metatable to hijack ("x"):upper() in the check
-- expect: fail
local mt = getmetatable("")
mt.__index.upper = function() return "X" end
mt.__index = {upper = function() return "X" end}
return {}
