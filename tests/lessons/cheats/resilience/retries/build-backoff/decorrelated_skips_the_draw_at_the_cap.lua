-- feedback: called `rand` 0 times
-- decorrelated never draws when capped
local M = {}
function M.full(k, base, cap, rand) return rand() * math.min(cap, base * 2 ^ k) end
function M.decorrelated(prev, base, cap, rand)
  if base >= cap then return cap end
  return math.min(cap, base + rand() * (3 * prev - base)) end
return M
