-- feedback: your rule raised
-- Returns a table that prints as "read".
local read = setmetatable({}, {__tostring = function() return "read" end})
return function(post)
  if post.followers >= 1e5 then return read end
  return "write"
end
