-- what: lab.sql loads a shared library with load_extension()
-- expect: fail
-- feedback: load_extension() is not allowed
local db = lab.sql.open()
db:query("SELECT load_extension('/lib/x86_64-linux-gnu/libc.so.6', 'system')")
local M = {}
function M.add(a, b) return a + b end
function M.range(n) local t = {} for i = 1, n do t[i] = i end return t end
return M
