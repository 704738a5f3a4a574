-- what: load with env tricks: the default env, an explicit _G, a chunk posing as the lesson
-- expect: fail
local g = load("return _G")()
assert(rawequal(g, _G))
local spoof = load("error('posing as the check')", "@lessons/x.md")
local real = load("return io", "x", "t", nil)
return {
	add = function() return spoof() end,
	range = function() return real and real() end,
}
