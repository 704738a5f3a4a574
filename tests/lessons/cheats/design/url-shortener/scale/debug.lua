-- feedback: debug
-- reach the check through the debug library
local info = debug.getinfo(1)
return {{name = "web", kind = "app"}}
