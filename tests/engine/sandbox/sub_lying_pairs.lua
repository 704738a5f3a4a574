-- what: a list that only pretends to hold 1, 2, 3 (__pairs, __index, __len)
-- expect: fail
-- feedback: range(3)
local fake = setmetatable({}, {
	__index = function(_, i) return i end,
	__len = function() return 3 end,
	__pairs = function() local i = 0 return function() i = i + 1 if i <= 3 then return i, i end end end,
})
return {add = function(a, b) return a + b end, range = function() return fake end}
