-- what: turns the hook off with debug.sethook, reads the registry, then loops
-- expect: fail timeout
pcall(function() debug.sethook() end)
pcall(function() debug.getregistry()._LOADED.io.open("@CREATE@", "w") end)
local reg = debug.getregistry()
return reg
