-- feedback: the reference returned
-- drops expired idle environments before moving the ended ones to idle: one that ended and expired since the last arrival survives
local M = {}
function M.cold_starts(arrivals, work, cold_start, idle_timeout)
  local busy, idle, cold = {}, {}, 0
  for _, t in ipairs(arrivals) do
    local kept = {}
    for _, f in ipairs(idle) do
      if f + idle_timeout > t then kept[#kept + 1] = f end
    end
    idle = kept
    table.sort(busy)
    local still = {}
    for _, e in ipairs(busy) do
      if e <= t then idle[#idle + 1] = e else still[#still + 1] = e end
    end
    busy = still
    if #idle > 0 then
      table.remove(idle)
      busy[#busy + 1] = t + work
    else
      cold = cold + 1
      busy[#busy + 1] = t + cold_start + work
    end
  end
  return cold
end
return M
