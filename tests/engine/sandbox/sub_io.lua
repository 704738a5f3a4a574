-- what: reaches for io to write a file and read the canary
-- expect: fail
local f = io.open("@CREATE@", "w")
f:write("escaped")
f:close()
return {add = function() return io.open("@CANARY@"):read("a") end}
