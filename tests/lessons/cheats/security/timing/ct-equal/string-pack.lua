-- feedback: builds strings
-- constant Lua work, then string.pack builds two strings and == compares them with memcmp
local M = {}
function M.equal(a, b)
  if #a ~= #b then return false end
  local x = 0
  for i = 1, #a do x = x + a[i] end
  local f = ("B"):rep(#a)
  return string.pack(f, table.unpack(a)) == string.pack(f, table.unpack(b))
end
return M
