-- feedback: your self time is
-- Merges each child with the previous one only, not with the furthest end
-- reached: a long child that covers two later ones is counted twice.
local function self_times(spans)
  local kids = {}
  for _, s in ipairs(spans) do
    if s.parent then kids[s.parent] = kids[s.parent] or {}; table.insert(kids[s.parent], s) end
  end
  local out = {}
  for _, s in ipairs(spans) do
    local k = kids[s.id] or {}
    table.sort(k, function(a, b) return a.start < b.start end)
    local covered, prev = 0, s.start
    for _, c in ipairs(k) do
      local lo = math.max(c.start, prev)
      local hi = math.min(c.finish, s.finish)
      if hi > lo then covered = covered + (hi - lo) end
      prev = hi
    end
    out[s.id] = (s.finish - s.start) - covered
  end
  return out
end
return {self_times = self_times}
