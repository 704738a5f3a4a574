-- feedback: the reference returned
-- the textbook shortcut: delete "/./", then "seg/../" until nothing changes
local M = {}
function M.remove_dot_segments(path)
  local p, n = path, 1
  p = p:gsub("/%./", "/")
  while n > 0 do p, n = p:gsub("[^/]+/%.%./", "", 1) end
  p = p:gsub("/%.$", "/"):gsub("^%./", ""):gsub("^%.%./", "")
  return p
end
return M
