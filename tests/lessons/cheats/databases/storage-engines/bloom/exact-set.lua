-- feedback: the reference returned `true`
-- an exact set: never a false positive, so not the filter the check drives
local M = {}
M.__index = M
function M.new(o) return setmetatable({set = {}}, M) end
function M:add(x) self.set[x] = true end
function M:has(x) return self.set[x] == true end
return M
