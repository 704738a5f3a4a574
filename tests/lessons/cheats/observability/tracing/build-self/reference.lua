-- feedback: lab.trace is not available
-- Hands back lab.trace.assemble's own self times.
local function self_times(spans)
  local out = {}
  for _, r in ipairs(lab.trace.assemble(spans).rows) do out[r.id] = r.self end
  return out
end
return {self_times = self_times}
