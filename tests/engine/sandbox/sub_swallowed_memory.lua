-- what: a memory bomb caught by pcall, then a correct solution: still not a pass
-- expect: memory
pcall(function()
	local t = {}
	while true do t[#t + 1] = string.rep("y", 4096) .. #t end
end)
collectgarbage()
local M = {}
function M.add(a, b) return a + b end
function M.range(n) local t = {} for i = 1, n do t[i] = i end return t end
return M
