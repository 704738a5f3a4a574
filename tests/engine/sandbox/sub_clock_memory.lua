-- what: fills lab.clock with timers in a pcall loop until C memory runs out, catches "not enough memory", frees everything and returns a right answer
-- expect: memory
local M = {}
function M.add(a, b) return a + b end
function M.range(n)
	local t = {}
	for i = 1, n do t[i] = i end
	return t
end
local clocks = {}
local ok, err = pcall(function()
	while true do
		local c = lab.clock.new()
		for i = 1, 100000 do c:after(i, M.add) end
		clocks[#clocks + 1] = c
	end
end)
clocks = nil
collectgarbage()
collectgarbage()
M.caught = err
return M
