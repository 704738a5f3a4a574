-- what: os.execute, os.remove, os.rename, os.getenv, os.tmpname, os.exit
-- expect: fail
pcall(function() os.execute("touch @CREATE@") end)
pcall(function() os.remove("@CANARY@") end)
pcall(function() os.rename("@CANARY@", "@CREATE@") end)
pcall(function() return os.getenv("HOME") end)
pcall(function() return os.tmpname() end)
os.exit(0)
