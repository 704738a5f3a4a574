-- feedback: called `rand` 3 times
-- decorrelated calls rand() three times per wait; the brief says once
local M = {}
function M.full(k, base, cap, rand) return rand() * math.min(cap, base * 2 ^ k) end
function M.decorrelated(prev, base, cap, rand)
  rand(); rand()
  return math.min(cap, base + rand() * (3 * prev - base))
end
return M
