-- what: loads a precompiled (binary) chunk
-- expect: fail
-- feedback: binary chunk
local f, err = load("\27LuaT\0\25\147\13\10\26\10\4\8\8xV\0\0\0\0\0\0\0\0\0\0\0(w@", "x", "b")
if not f then error(err) end
return f()
