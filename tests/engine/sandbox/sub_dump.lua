-- what: string.dump, directly and through a string's methods
-- expect: fail
local ok1, a = pcall(function() return string.dump(print) end)
local ok2, b = pcall(function() return ("").dump(function() end) end)
return {add = function() return a or b end, range = function() return {1, 2, 3} end}
