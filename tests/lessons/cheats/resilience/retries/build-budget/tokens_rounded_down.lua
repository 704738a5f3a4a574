-- feedback: `tokens()` returned
-- tokens() gives whole tokens only
local M = {}
function M.new(ratio, min)
  local t = min
  local b = {}
  function b:request() t = math.min(min, t + ratio) end
  function b:retry() if t < 1 - 1e-9 then return false end t = t - 1 return true end
  function b:tokens() return math.floor(t) end
  return b
end
return M
