-- feedback: expected a function
-- A table that can be called like a function, answering "read" for celebrities.
return setmetatable({}, {__call = function(_, post)
  return post.followers >= 1e5 and "read" or "write"
end})
