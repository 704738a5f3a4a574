-- feedback: `encode`: expected a function
-- the functions hidden behind __index: the check reads raw fields only
local A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
return setmetatable({}, {__index = {
  encode = function(id) return A:sub(id % 62 + 1, id % 62 + 1) end,
  decode = function(c) return A:find(c, 1, true) - 1 end}})
