-- what: a check that reaches for io, os.execute, require, debug, loadfile
-- expect: fail check_error
pcall(function() io.open("@CREATE@", "w"):write("x") end)
pcall(function() os.execute("rm -f @CANARY@") end)
pcall(function() os.remove("@CANARY@") end)
pcall(function() require("os").remove("@CANARY@") end)
pcall(function() debug.sethook() end)
pcall(function() loadfile("@CANARY@")() end)
io.write("escaped")
