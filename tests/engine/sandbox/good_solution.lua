local M = {}
function M.add(a, b) return a + b end
function M.range(n)
	local t = {}
	for i = 1, n do t[i] = i end
	return t
end
return M
