-- what: raises an error object whose __tostring never returns and whose __index lies
-- expect: fail
-- feedback: error object
local evil = setmetatable({}, {
	__tostring = function() while true do end end,
	__index = function() while true do end end,
	__concat = function() while true do end end,
})
return {add = function() error(evil) end, range = function() error(evil) end}
