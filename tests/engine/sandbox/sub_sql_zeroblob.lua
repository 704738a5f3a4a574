-- what: a zeroblob made real (hex) and kept in a table, grown until it bursts
-- expect: memory
local db = lab.sql.open()
db:exec("CREATE TABLE t(b)")
for i = 1, 100 do
  pcall(db.exec, db, "INSERT INTO t SELECT hex(zeroblob(4000000))")
end
local M = {}
function M.add(a, b) return a + b end
function M.range(n) local t = {} for i = 1, n do t[i] = i end return t end
return M
