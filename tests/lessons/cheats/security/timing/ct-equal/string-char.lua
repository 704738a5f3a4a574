-- feedback: builds strings
-- constant in Lua instructions, but the comparison is memcmp's early exit
local M = {}
function M.equal(a, b)
  if #a ~= #b then return false end
  return string.char(table.unpack(a)) == string.char(table.unpack(b))
end
return M
