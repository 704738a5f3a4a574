-- what: a pathological pattern: a loop inside one C function (string.find)
-- expect: timeout
local s = string.rep("a", 100000)
return {
	add = function() return string.find(s, ".-.-.-.-.-.-.-.-.-b") end,
	range = function() end,
}
