-- what: a huge randomblob, its error swallowed, then a correct solution
-- expect: memory
local db = lab.sql.open()
pcall(db.query, db, "SELECT length(randomblob(200000000)) AS n")
local M = {}
function M.add(a, b) return a + b end
function M.range(n) local t = {} for i = 1, n do t[i] = i end return t end
return M
