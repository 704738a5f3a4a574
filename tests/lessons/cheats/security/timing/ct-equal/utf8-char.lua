-- feedback: builds strings
-- no string literal at all: utf8.char turns each list into a string, == compares with memcmp
local M = {}
function M.equal(a, b)
  if #a ~= #b then return false end
  local x = 0
  for i = 1, #a do x = x | a[i] end
  return utf8.char(table.unpack(a)) == utf8.char(table.unpack(b))
end
return M
