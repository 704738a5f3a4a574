-- what: a WITH RECURSIVE without end inside pcall, then a correct solution
-- expect: timeout
local db = lab.sql.open()
pcall(db.query, db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) " ..
  "SELECT count(*) AS n FROM c")
local M = {}
function M.add(a, b) return a + b end
function M.range(n) local t = {} for i = 1, n do t[i] = i end return t end
return M
