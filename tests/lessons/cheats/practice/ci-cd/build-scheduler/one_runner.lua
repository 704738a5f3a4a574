-- feedback: starts at
-- one job at a time in a topological order, whatever the runners
local M = {}
function M.schedule(jobs, runners)
  local done, start, t, left = {}, {}, 0, #jobs
  while left > 0 do
    for _, j in ipairs(jobs) do
      if not start[j.name] then
        local ready = true
        for _, n in ipairs(j.needs or {}) do if not done[n] then ready = false end end
        if ready then start[j.name] = t; t = t + j.duration; done[j.name] = true; left = left - 1 end
      end
    end
  end
  return start
end
return M
