-- feedback: at least the rank
-- near miss: strict search, but only while the rank is above the first count (moved one step)
local function quantile(q, buckets)
  if q ~= q then return 0 / 0 end
  if q < 0 then return -math.huge end
  if q > 1 then return math.huge end
  local n = #buckets
  local total = buckets[n][2]
  if n < 2 or total == 0 then return 0 / 0 end
  local rank = q * total
  local i = 1
  while i < n and (buckets[i][2] < rank or (i > 1 and buckets[i][2] == rank)) do i = i + 1 end
  if i == n then return buckets[n - 1][1] end
  if i == 1 and buckets[1][1] <= 0 then return buckets[1][1] end
  local lo, count = 0, buckets[i][2]
  if i > 1 then lo = buckets[i - 1][1]; count = count - buckets[i - 1][2]; rank = rank - buckets[i - 1][2] end
  return lo + (buckets[i][1] - lo) * rank / count
end
return {quantile = quantile}
