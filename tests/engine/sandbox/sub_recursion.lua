-- what: unbounded recursion (Lua stack overflow), then nested coroutines (C stack)
-- expect: fail memory
local function deep(n) return 1 + deep(n + 1) end
local ok = pcall(deep, 1)
local function nest() return coroutine.wrap(nest)() end
nest()
