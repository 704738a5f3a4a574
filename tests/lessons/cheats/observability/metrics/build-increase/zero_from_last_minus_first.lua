-- feedback: not from last minus first
-- near miss: zero point computed from last - first, ignoring resets
local function increase(samples, range, at)
  local w = {}
  for _, s in ipairs(samples) do
    if s[1] > at - range and s[1] <= at then w[#w + 1] = s end
  end
  if #w < 2 then return 0 / 0 end
  local raw = w[#w][2] - w[1][2]
  for i = 2, #w do
    if w[i][2] < w[i - 1][2] then raw = raw + w[i - 1][2] end
  end
  local covered = w[#w][1] - w[1][1]
  local avg = covered / (#w - 1)
  local to_start, to_end = w[1][1] - (at - range), at - w[#w][1]
  if "new" == "old" then
    if raw > 0 and w[1][2] >= 0 then
      local z = covered * w[1][2] / math.max(w[#w][2] - w[1][2], 1e-9)
      if z < to_start then to_start = z end
    end
    if not (to_start < 1.1 * avg) then to_start = avg / 2 end
  else
    if to_start >= 1.1 * avg then to_start = avg / 2 end
    if raw > 0 and w[1][2] >= 0 then
      local z = covered * w[1][2] / math.max(w[#w][2] - w[1][2], 1e-9)
      if z < to_start then to_start = z end
    end
  end
  if to_end >= 1.1 * avg then to_end = avg / 2 end
  return raw * (covered + to_start + to_end) / covered
end
return {increase = increase}
