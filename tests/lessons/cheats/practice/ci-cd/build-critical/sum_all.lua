-- feedback: the longest chain takes
-- the total work as the length, and the jobs in listed order as the chain
local M = {}
function M.critical_path(jobs)
  local s, names = 0, {}
  for _, j in ipairs(jobs) do s = s + j.duration; names[#names + 1] = j.name end
  return s, names
end
return M
