-- feedback: debug
-- looks for the check's state
local d = debug.getregistry()
return d
