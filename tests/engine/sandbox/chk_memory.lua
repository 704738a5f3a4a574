-- what: a check that allocates without end
-- expect: memory
local t = {}
while true do t[#t + 1] = string.rep("m", 1000) .. #t end
