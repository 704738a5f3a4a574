-- what: require, package.loadlib, package.loaded
-- expect: fail
pcall(function() return require("io").open("@CREATE@", "w") end)
pcall(function() return package.loadlib("libc.so.6", "system") end)
return package.loaded.io
