-- what: keeps nearly all the memory so that the check itself runs out
-- expect: memory
local hog = {}
pcall(function() while true do hog[#hog + 1] = string.rep("z", 65536) .. #hog end end)
return {hog = hog, add = function(a, b) return a + b end, range = function() return {1, 2, 3} end}
